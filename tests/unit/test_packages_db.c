/* Unit tests of store/packages_db.c against ":memory:": the default catalogue, restricted
 * packages and their assignments. No HTTP. */
#include <string.h>

#include "store/packages_db.h"
#include "store_fixture.h"

static void test_packages(void)
{
    struct package free_pkg, uft, basic_yearly;
    ok(packages_db_get_default(&db, "p1", FREE_PACKAGE_NAME, "monthly", &free_pkg) == DB_OK &&
           free_pkg.touchpoints == 440 && free_pkg.price_cents == 0,
       "Free monthly: 440 touchpoints");
    ok(packages_db_get_default(&db, "p1", UFT_PACKAGE_NAME, "monthly", &uft) == DB_OK &&
           uft.touchpoints == -1,
       "the free trial is unlimited");
    ok(packages_db_get_default(&db, "p1", "Basic", "yearly", &basic_yearly) == DB_OK &&
           basic_yearly.price_cents == 12468,
       "Basic yearly costs 124.68");
    int n = 0;
    ok(packages_db_foreach(&db, "p1", NULL, NULL, count_package, &n) == DB_OK && n == 21,
       "21 default packages (10 x 2 periods + trial): %d", n);
    ok(packages_db_get(&db, "other", free_pkg.id, &free_pkg) == DB_NOT_FOUND,
       "another partner's package is not found");
}

static void test_assignments(void)
{
    struct customer c;
    struct website w;
    struct package p = custom_package();
    make_site("pc", "pw", &c, &w);
    ok(packages_db_insert(&db, &p) == DB_OK, "restricted package");
    int n = 0;
    packages_db_foreach(&db, "p1", w.id, NULL, count_package, &n);
    ok(n == 21, "filtered: the 21 public packages, not the restricted one (%d)", n);
    packages_db_assign(&db, p.id, w.id, NULL, NOW);
    packages_db_assign(&db, p.id, w.id, NULL, NOW);
    n = 0;
    packages_db_foreach(&db, "p1", w.id, NULL, count_package, &n);
    ok(n == 22, "assigned: listed for its website (%d)", n);
    ok(packages_db_unassign(&db, p.id, w.id, NULL) == DB_OK &&
           packages_db_unassign(&db, p.id, w.id, NULL) == DB_NOT_FOUND,
       "unassign once");
}

int main(void)
{
    store_fixture_open();
    test_packages();
    test_assignments();
    db_close(&db);
    return done_testing();
}
