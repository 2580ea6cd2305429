/* Unit tests of store/intps_db.c against ":memory:": migrations, partner insert and model, and
 * the wipe and delete of a partner. No HTTP. */
#include <string.h>

#include "store/intps_db.h"
#include "store_fixture.h"

static void setup(void)
{
    struct intp p = {.id = "p1",
                     .name = "P",
                     .subscription_type = "website",
                     .billing_mode = "company_managed",
                     .public_key = "pem",
                     .created_at = NOW};
    ok(db_open(&db, ":memory:") == 0 && db.was_new, "migrations apply to a new database");
    ok(intps_db_insert(&db, &p) == DB_OK && intps_db_insert(&db, &p) == DB_CONFLICT,
       "partner insert, duplicate id is a conflict");
    ok(packages_db_create_catalogue(&db, "p1", NOW) == DB_OK, "default catalogue");
    char type[16], mode[24];
    ok(intps_db_model(&db, "p1", type, mode) == DB_OK && strcmp(type, "website") == 0 &&
           strcmp(mode, "company_managed") == 0,
       "partner model");
}

/* What a wipe has to remove: a customer with a website, and a custom package assigned to it. */
static void seed(void)
{
    struct customer c;
    struct website w;
    struct package p = custom_package();
    make_site("pc", "pw", &c, &w);
    ok(packages_db_insert(&db, &p) == DB_OK &&
           packages_db_assign(&db, p.id, w.id, NULL, NOW) == DB_OK,
       "a restricted package assigned to the website");
}

static void test_wipe(void)
{
    int64_t total = -1;
    ok(intps_db_wipe(&db, "p1") == DB_OK && customers_db_count(&db, "p1", &total) == DB_OK &&
           total == 0,
       "wipe removes customers");
    int n = 0;
    packages_db_foreach(&db, "p1", NULL, NULL, count_package, &n);
    ok(n == 21, "and custom packages, keeping the catalogue (%d)", n);
    ok(intps_db_delete(&db, "p1") == DB_OK, "delete partner cascades");
}

int main(void)
{
    setup();
    seed();
    test_wipe();
    db_close(&db);
    return done_testing();
}
