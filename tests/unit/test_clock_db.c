/* Unit tests of store/clock_db.c against ":memory:": a partner's clock (offset, frozen moment)
 * reads back as stored, per partner. No HTTP. */
#include <string.h>

#include "store/clock_db.h"
#include "store_fixture.h"

static void test_clock_db(void)
{
    struct partner_clock c = {.offset = 123, .frozen_at = 456};
    struct intp p2 = {.id = "p2",
                      .name = "P2",
                      .subscription_type = "website",
                      .billing_mode = "company_managed",
                      .public_key = "pem",
                      .created_at = NOW};
    ok(clock_db_get(&db, "p1", &c) == DB_OK && c.offset == 0 && c.frozen_at == -1,
       "a new partner's clock runs with no offset");
    ok(intps_db_insert(&db, &p2) == DB_OK, "partner p2");

    static const struct {
        int64_t offset, frozen_at;
        const char *name;
    } cases[] = {
        {3600, -1, "running, an hour ahead"},
        {3600, NOW, "frozen (the offset kept)"},
        {90 * 86400LL, -1, "running again: frozen_at back to none"},
        {0, 0, "frozen at the epoch (0 is a moment, not none)"},
        {-5, -1, "a negative offset"},
        {4102444800LL, 4102444800LL, "far in the future"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct partner_clock set = {cases[i].offset, cases[i].frozen_at}, got = {7, 7};
        enum db_result r = clock_db_set(&db, "p1", &set);
        if (r == DB_OK)
            r = clock_db_get(&db, "p1", &got);
        ok(r == DB_OK && got.offset == cases[i].offset && got.frozen_at == cases[i].frozen_at,
           "%s: round trip (%lld, %lld)", cases[i].name, (long long)got.offset,
           (long long)got.frozen_at);
    }
    struct partner_clock other = {1, 1};
    ok(clock_db_get(&db, "p2", &other) == DB_OK && other.offset == 0 && other.frozen_at == -1,
       "another partner's clock is its own");
    struct partner_clock set = {42, -1};
    ok(clock_db_set(&db, "nobody", &set) == DB_NOT_FOUND, "set for an unknown partner");
    ok(clock_db_get(&db, "nobody", &other) == DB_NOT_FOUND, "get for an unknown partner");
}

int main(void)
{
    store_fixture_open();
    test_clock_db();
    db_close(&db);
    return done_testing();
}
