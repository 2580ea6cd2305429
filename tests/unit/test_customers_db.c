/* Unit tests of store/customers_db.c against ":memory:": insert, unique ids and emails (without
 * regard to case), get and delete. No HTTP. */
#include <string.h>

#include "store/customers_db.h"
#include "store_fixture.h"

static void test_customers(void)
{
    struct customer c, c2, got;
    struct website w;
    make_site("c1", "w1", &c, &w);
    c2 = c;
    uuid_v4(c2.id);
    ok(customers_db_insert(&db, &c2) == DB_CONFLICT, "duplicate intpCustomerId is a conflict");
    strcpy(c2.intp_customer_id, "c1-other");
    strcpy(c2.email, "C1@EXAMPLE.COM");
    ok(customers_db_insert(&db, &c2) == DB_CONFLICT, "email is unique without regard to case");
    ok(customers_db_email_taken(&db, "p1", "c1@Example.com") == DB_OK, "email lookup ignores case");
    ok(customers_db_get(&db, "p1", "c1", &got) == DB_OK && strcmp(got.id, c.id) == 0, "get");
    ok(customers_db_delete(&db, c.id) == DB_OK, "delete customer");
    ok(customers_db_delete(&db, c.id) == DB_NOT_FOUND, "a second delete finds nothing");
}

int main(void)
{
    store_fixture_open();
    test_customers();
    db_close(&db);
    return done_testing();
}
