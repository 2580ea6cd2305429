/* Unit tests of store/packages_db.c against ":memory:": the default catalogue, restricted
 * packages and their assignments. No HTTP. */
#include <stdio.h>
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

/* How many times the default-package statement has run on this connection. */
static int default_runs(void)
{
    sqlite3_stmt *st = db.stmts[STMT_PACKAGE_GET_DEFAULT];
    return st ? sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0) : 0;
}

/* The default packages a transaction looked up are kept for it, and only while they are what
 * a look-up would read again. */
static void test_memo(void)
{
    struct package a, b;
    char sql[256];
    ok(db_memo_gen(&db) == 0, "outside a transaction nothing is kept");
    packages_db_get_default(&db, "p1", "Basic", "monthly", &a);
    int runs = default_runs();
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    ok(default_runs() == runs + 1, "outside a transaction every look-up reads");
    ok(db_begin(&db) == 0 && db_memo_gen(&db) != 0, "inside one, look-ups may be kept");
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    runs = default_runs();
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    ok(default_runs() == runs && strcmp(b.id, a.id) == 0 && strcmp(b.name, a.name) == 0,
       "a second look-up in the transaction reads nothing and answers the same");
    packages_db_rename(&db, "p1", a.id, "Renamed");
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    ok(strcmp(b.name, "Renamed") == 0, "a rename in the transaction is seen: %s", b.name);
    ok(db_savepoint(&db) == 0, "savepoint");
    snprintf(sql, sizeof(sql), "UPDATE packages SET name = 'Again' WHERE id = '%s'", a.id);
    db_exec(&db, sql); /* any statement, not only the store's */
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    ok(strcmp(b.name, "Again") == 0, "so is any other write to the table: %s", b.name);
    db_savepoint_end(&db, false);
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    ok(strcmp(b.name, "Renamed") == 0, "after the savepoint's rollback, the name before it: %s",
       b.name);
    db_rollback(&db);
    ok(db_begin(&db) == 0, "a new transaction");
    packages_db_get_default(&db, "p1", "Basic", "monthly", &b);
    ok(strcmp(b.name, a.name) == 0, "after the rollback, the first name: %s", b.name);
    db_rollback(&db);
}

int main(void)
{
    store_fixture_open();
    test_packages();
    test_assignments();
    test_memo();
    db_close(&db);
    return done_testing();
}
