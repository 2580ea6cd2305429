/* Unit tests of store/usage_db.c against ":memory:": adding usage, and resetting it for one
 * subscription or for a JSON array of them, as the website view shows it, and the index of the
 * websites in use that a reset looks them up in. No HTTP. */
#include <string.h>

#include "store/usage_db.h"
#include "store_fixture.h"

static const int64_t zero[USAGE__COUNT] = {0};

/* Whether website `uuid` of p1 shows `want` as its usage; prints what it shows otherwise. */
static bool usage_is(const char *uuid, const int64_t want[USAGE__COUNT])
{
    struct website_view v;
    if (websites_db_view_by_uuid(&db, "p1", uuid, &v) != DB_OK) {
        printf("# no view of %s\n", uuid);
        return false;
    }
    for (int i = 0; i < USAGE__COUNT; i++) {
        if (v.usage[i] != want[i]) {
            printf("# usage[%d] = %lld, want %lld\n", i, (long long)v.usage[i], (long long)want[i]);
            return false;
        }
    }
    return true;
}

#define IN_USE                                                                                     \
    "(visits OR visit_events OR session_recordings OR heatmap_increments OR poll_answers OR "      \
    "survey_answers OR funnel_matches)"
#define IN_USE_ZERO                                                                                \
    "visits = 0, visit_events = 0, session_recordings = 0, heatmap_increments = 0, "               \
    "poll_answers = 0, survey_answers = 0, funnel_matches = 0"

/* How many entries websites_in_use has for `sub` (the reset finds websites only there), or -1. */
static int in_use(const char *sub)
{
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(db.conn,
                           "SELECT count(*) FROM websites INDEXED BY websites_in_use WHERE "
                           "intp_id = 'p1' AND subscription_id = ?1 AND " IN_USE,
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, sub, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Whether usage_db_in_use() says partner `intp` has a website with usage; false on an error. */
static bool partner_in_use(const char *intp)
{
    bool any = false;
    return usage_db_in_use(&db, intp, &any) == DB_OK && any;
}

static void test_add(void)
{
    struct customer c;
    struct website w, w2;
    static const int64_t a[USAGE__COUNT] = {1, 2, 3, 4, 5, 6, 7};
    static const int64_t b[USAGE__COUNT] = {100, 0, 0, 0, 0, 0, 1000};
    static const int64_t a_b[USAGE__COUNT] = {101, 2, 3, 4, 5, 6, 1007};
    static const int64_t twice[USAGE__COUNT] = {202, 4, 6, 8, 10, 12, 2014};
    make_site("c1", "w1", &c, &w);
    make_site("c2", "w2", &c, &w2);
    ok(usage_is(w.id, zero), "a new website has no usage");
    ok(usage_db_add(&db, w.id, a) == DB_OK && usage_is(w.id, a),
       "add: each kind lands in its own column");
    ok(usage_db_add(&db, w.id, b) == DB_OK && usage_is(w.id, a_b), "add again: the counts sum");
    ok(usage_db_add(&db, w.id, a_b) == DB_OK && usage_is(w.id, twice), "and again");
    ok(usage_db_add(&db, w.id, zero) == DB_OK && usage_is(w.id, twice), "adding zeros is a no-op");
    ok(usage_is(w2.id, zero), "another website is untouched");
    ok(usage_db_add(&db, "no-such-website", a) == DB_NOT_FOUND, "add to an unknown website");
}

/* Three websites on subscriptions s1, s2, s3 with usage; resets zero exactly the ones named. */
static void test_reset(void)
{
    struct customer c;
    struct website w[3];
    static const int64_t u[USAGE__COUNT] = {3, 1, 4, 1, 5, 9, 2};
    char json[256];
    const char *names[3] = {"r1", "r2", "r3"};
    for (int i = 0; i < 3; i++) {
        char cust[8];
        snprintf(cust, sizeof(cust), "rc%d", i);
        make_site(cust, names[i], &c, &w[i]);
        ok(usage_db_add(&db, w[i].id, u) == DB_OK && usage_is(w[i].id, u), "usage on %s", names[i]);
    }
    ok(usage_db_reset(&db, w[0].subscription_id) == DB_OK && usage_is(w[0].id, zero) &&
           usage_is(w[1].id, u) && usage_is(w[2].id, u),
       "reset one subscription zeroes its website only");
    ok(usage_db_reset(&db, w[0].subscription_id) == DB_OK && usage_is(w[0].id, zero),
       "a reset of a subscription already at zero is fine");
    ok(usage_db_reset(&db, "no-such-subscription") == DB_OK && usage_is(w[1].id, u),
       "a reset of an unknown subscription changes nothing");

    ok(usage_db_add(&db, w[0].id, u) == DB_OK, "usage on r1 again");
    snprintf(json, sizeof(json), "[\"%s\",\"%s\"]", w[0].subscription_id, w[2].subscription_id);
    ok(usage_db_reset_many(&db, "p1", json) == DB_OK && usage_is(w[0].id, zero) &&
           usage_is(w[1].id, u) && usage_is(w[2].id, zero),
       "reset_many zeroes the subscriptions named in the array, no other");
    ok(usage_db_reset_many(&db, "p1", "[]") == DB_OK && usage_is(w[1].id, u),
       "an empty array resets nothing");
    snprintf(json, sizeof(json), "[\"nope\",\"%s\",\"%s\"]", w[1].subscription_id,
             w[1].subscription_id);
    ok(usage_db_reset_many(&db, "p1", json) == DB_OK && usage_is(w[1].id, zero),
       "unknown and repeated ids in the array are harmless");
    ok(usage_db_reset_many(&db, "p1", "[\"unterminated") == DB_ERROR,
       "an array that is not JSON is an error");
}

/* An intpc pool: every website on the subscription goes back to zero at once. */
static void test_pool(void)
{
    struct intp p2 = {.id = "p2",
                      .name = "P2",
                      .subscription_type = "intpc",
                      .billing_mode = "company_managed",
                      .public_key = "pem",
                      .created_at = NOW};
    struct customer c = {.created_at = NOW};
    struct website w[2];
    struct package basic;
    struct subscription s = {0};
    struct website_view v;
    static const int64_t u[USAGE__COUNT] = {1, 1, 1, 1, 1, 1, 1};
    ok(intps_db_insert(&db, &p2) == DB_OK &&
           packages_db_create_catalogue(&db, "p2", NOW) == DB_OK &&
           packages_db_get_default(&db, "p2", "Basic", "monthly", &basic) == DB_OK,
       "partner p2 (intpc) with its catalogue");
    uuid_v4(c.id);
    strcpy(c.intp_id, "p2");
    strcpy(c.intp_customer_id, "pool");
    strcpy(c.email, "pool@example.com");
    uuid_v4(s.id);
    strcpy(s.intp_id, "p2");
    strcpy(s.type, "intpc");
    strcpy(s.customer_id, c.id);
    subscription_start(&s, &basic, NULL, NOW, NOW);
    ok(customers_db_insert(&db, &c) == DB_OK && subscriptions_db_insert(&db, &s) == DB_OK,
       "a customer with its pool subscription");
    for (int i = 0; i < 2; i++) {
        w[i] = (struct website){.privacy_level = -1, .created_at = NOW};
        uuid_v4(w[i].id);
        strcpy(w[i].intp_id, "p2");
        snprintf(w[i].intp_website_id, sizeof(w[i].intp_website_id), "pool-w%d", i);
        strcpy(w[i].customer_id, c.id);
        strcpy(w[i].domain, "example.com");
        strcpy(w[i].subscription_id, s.id);
        ok(websites_db_insert(&db, &w[i]) == DB_OK && usage_db_add(&db, w[i].id, u) == DB_OK &&
               websites_db_view_by_uuid(&db, "p2", w[i].id, &v) == DB_OK && v.usage[0] == 1,
           "pool website %d with usage", i);
    }
    ok(partner_in_use("p2"), "p2 is in use");
    ok(usage_db_reset(&db, s.id) == DB_OK && !partner_in_use("p2"), "reset the pool: p2 is not");
    for (int i = 0; i < 2; i++) {
        bool zeroed = websites_db_view_by_uuid(&db, "p2", w[i].id, &v) == DB_OK;
        for (int k = 0; zeroed && k < USAGE__COUNT; k++)
            zeroed = v.usage[k] == 0;
        ok(zeroed, "pool website %d is back to zero", i);
    }
}

/* Usage of any one kind puts a website in the index (and its partner in use), and the reset
 * takes it out again. */
static void test_in_use(void)
{
    struct customer c;
    struct website w;
    ok(db_exec(&db, "UPDATE websites SET " IN_USE_ZERO) == 0 && !partner_in_use("p1"),
       "p1 without usage: not in use");
    make_site("iu", "iu", &c, &w);
    ok(in_use(w.subscription_id) == 0, "a new website is not in use");
    for (int k = 0; k < USAGE__COUNT; k++) {
        int64_t one[USAGE__COUNT] = {0};
        one[k] = 1;
        ok(usage_db_add(&db, w.id, one) == DB_OK && in_use(w.subscription_id) == 1 &&
               usage_is(w.id, one) && partner_in_use("p1") && !partner_in_use("p2"),
           "usage[%d] alone: in use, and p1 with it (no other partner)", k);
        ok(usage_db_reset(&db, w.subscription_id) == DB_OK && in_use(w.subscription_id) == 0 &&
               usage_is(w.id, zero),
           "usage[%d] alone: the reset finds it and zeroes it", k);
        ok(!partner_in_use("p1"), "usage[%d] alone: p1 is not in use after the reset", k);
    }
    ok(!partner_in_use("no-such-partner"), "an unknown partner is not in use");
}

int main(void)
{
    store_fixture_open();
    test_add();
    test_reset();
    test_in_use();
    test_pool();
    db_close(&db);
    return done_testing();
}
