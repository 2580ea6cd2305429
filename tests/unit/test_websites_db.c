/* Unit tests of store/websites_db.c against ":memory:": insert, the view (owner, subscription,
 * package and partner joined), counts, and the cascade from the owner. No HTTP. */
#include <string.h>

#include "store/websites_db.h"
#include "store_fixture.h"

static void test_websites(void)
{
    struct customer c, c2;
    struct website w, w2;
    struct website_view v;
    make_site("c1", "w1", &c, &w);
    ok(websites_db_view(&db, "p1", "w1", &v) == DB_OK &&
           strcmp(v.package_name, UFT_PACKAGE_NAME) == 0 && v.in_trial &&
           v.expires_at == NOW + 30 * 86400 && strcmp(v.intp_customer_id, "c1") == 0 &&
           strcmp(v.sub_type, "website") == 0 && strcmp(v.billing_mode, "company_managed") == 0,
       "the view joins owner, trial subscription, package and partner");
    make_site("c2", "w2", &c2, &w2);
    int64_t total = 0;
    ok(websites_db_count(&db, "p1", NULL, &total) == DB_OK && total == 2, "two websites");
    ok(websites_db_count(&db, "p1", c.id, &total) == DB_OK && total == 1, "one of them c1's");
    ok(customers_db_delete(&db, c.id) == DB_OK, "delete customer");
    ok(websites_db_view(&db, "p1", "w1", &v) == DB_NOT_FOUND &&
           websites_db_count(&db, "p1", NULL, &total) == DB_OK && total == 1,
       "its website went with it");
}

int main(void)
{
    store_fixture_open();
    test_websites();
    db_close(&db);
    return done_testing();
}
