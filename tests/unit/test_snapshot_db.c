/* Unit tests of store/snapshot_db.c against ":memory:": the table list covers every column of
 * every partner-owned table of the schema (so a migration cannot add one the snapshot misses),
 * a read restored over itself reads back the same, the reference check, the constraint-message
 * reader, and the backup bytes. No HTTP. */
#include <stdlib.h>
#include <string.h>

#include "auth/secret.h"
#include "store/apikeys_db.h"
#include "store/snapshot_db.h"
#include "store/whitelist_db.h"
#include "store_fixture.h"

/* Tables of the schema that no partner owns row by row: the mock's settings, the totals the
 * triggers keep (rebuilt by the inserts of a restore), and the fault-injection rules (test
 * set-up, not the partner's state); and the history's numbers, which a snapshot holds through
 * their view subscription_events (schema/011). */
/* and the tables behind the views snapshots use (subscription_events, subscriptions_full) */
static const char *const not_partner_tables[] = {
    "settings",      "intp_totals",          "faults", "subscription_history",
    "subscriptions", "subscription_periods", NULL};

/* Columns of snapshot tables the snapshot leaves out on purpose (snapshot_db.h). */
static bool left_out(const struct snapshot_table *t, const char *column, int hidden)
{
    return hidden != 0 || (t->has_intp_id && strcmp(column, "intp_id") == 0) ||
           (strcmp(t->name, "subscription_events") == 0 && strcmp(column, "id") == 0) ||
           (strcmp(t->name, "subscriptions") == 0 &&
            (strcmp(column, "seq") == 0 || strcmp(column, "next_due_at") == 0)) ||
           (strcmp(t->name, "intps") == 0 && strcmp(column, "deleted_at") == 0);
}

static int table_index(const char *name)
{
    for (int t = 0; t < SNAP__TABLES; t++)
        if (strcmp(snapshot_tables[t].source, name) == 0)
            return t;
    return -1;
}

static bool listed(const struct snapshot_table *t, const char *column)
{
    for (size_t c = 0; c < t->ncolumns; c++)
        if (strcmp(t->columns[c].name, column) == 0)
            return true;
    return false;
}

/* Every table is listed or named above; every column of a listed table is in its list (or left
 * out on purpose), and the list names no column the table lacks. */
static void test_schema_covered(void)
{
    sqlite3_stmt *st = NULL;
    int missing = 0, columns = 0, extra = 0;
    sqlite3_prepare_v2(db.conn,
                       "SELECT m.name, c.name, c.hidden FROM sqlite_schema m, "
                       "pragma_table_xinfo(m.name) c WHERE m.type IN ('table', 'view') AND "
                       "m.name NOT LIKE "
                       "'sqlite_%' ORDER BY 1, c.cid",
                       -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        const char *column = (const char *)sqlite3_column_text(st, 1);
        int t = table_index(table);
        if (t < 0) {
            if (str_index(not_partner_tables, -1, table) < 0) {
                ok(0, "table %s is neither in a snapshot nor known to be left out", table);
                missing++;
            }
            continue;
        }
        columns++;
        if (!left_out(&snapshot_tables[t], column, sqlite3_column_int(st, 2)) &&
            !listed(&snapshot_tables[t], column)) {
            ok(0, "column %s.%s is missing from the snapshot", table, column);
            missing++;
        }
    }
    sqlite3_finalize(st);
    ok(missing == 0 && columns > 60, "every column of the %d partner-owned tables (%d columns)",
       SNAP__TABLES, columns);
    for (int t = 0; t < SNAP__TABLES; t++)
        for (size_t c = 0; c < snapshot_tables[t].ncolumns; c++) {
            char sql[160];
            snprintf(sql, sizeof(sql), "SELECT %s FROM %s LIMIT 0",
                     snapshot_tables[t].columns[c].name, snapshot_tables[t].source);
            st = NULL;
            if (sqlite3_prepare_v2(db.conn, sql, -1, &st, NULL) != SQLITE_OK) {
                ok(0, "%s is a column", sql);
                extra++;
            }
            sqlite3_finalize(st);
        }
    ok(extra == 0, "every column listed exists");
}

static bool same_value(enum snapshot_kind kind, const struct snapshot_value *a,
                       const struct snapshot_value *b)
{
    if (a->null || b->null)
        return a->null == b->null;
    if (kind == SNAP_TEXT)
        return strcmp(a->s, b->s) == 0;
    if (kind == SNAP_HASH)
        return memcmp(a->s, b->s, SNAPSHOT_HASH_SIZE) == 0;
    return a->i == b->i;
}

/* The number of values that differ between `a` and `b` (-1 when the row counts do). */
static int differences(const struct snapshot *a, const struct snapshot *b)
{
    int n = 0;
    for (int t = 0; t < SNAP__TABLES; t++) {
        const struct snapshot_table *table = &snapshot_tables[t];
        if (a->tables[t].nrows != b->tables[t].nrows)
            return -1;
        for (size_t row = 0; row < a->tables[t].nrows; row++)
            for (size_t c = 0; c < table->ncolumns; c++)
                n += !same_value(table->columns[c].kind,
                                 &snapshot_row(a, (enum snapshot_table_id)t, row)[c],
                                 &snapshot_row(b, (enum snapshot_table_id)t, row)[c]);
    }
    return n;
}

/* p1 with two sites, a whitelisted domain and an API key, read, restored over itself. */
static void test_round_trip(void)
{
    struct customer c;
    struct website w;
    struct snapshot a = {0}, b = {0};
    struct snapshot_fault fault;
    struct api_key k = {.created_at = NOW, .expires_at = -1};
    bool existed = false;
    make_site("alice", "alice-shop", &c, &w);
    whitelist_db_add(&db, w.id, "cdn.alice.test", NOW);
    uuid_v4(k.id);
    strcpy(k.website_id, w.id);
    strcpy(k.name, "export");
    secret_hash("twpl-test-key", k.hash);
    ok(apikeys_db_insert(&db, &k) == DB_OK, "an API key");
    make_site("bob", "bob-shop", &c, &w);
    ok(snapshot_db_read(&db, "p1", &a) == DB_OK, "p1 read");
    ok(a.tables[SNAP_INTPS].nrows == 1 && a.tables[SNAP_CUSTOMERS].nrows == 2 &&
           a.tables[SNAP_WEBSITES].nrows == 2 && a.tables[SNAP_SUBSCRIPTIONS].nrows == 2 &&
           a.tables[SNAP_WHITELIST].nrows == 1 && a.tables[SNAP_API_KEYS].nrows == 1 &&
           a.tables[SNAP_PACKAGES].nrows > 5,
       "every row of p1 is there (%zu packages)", a.tables[SNAP_PACKAGES].nrows);
    ok(db_begin(&db) == 0 && snapshot_db_restore(&db, "p1", &a, &existed, &fault) == DB_OK &&
           existed && db_commit(&db) == 0,
       "restored over itself");
    ok(snapshot_db_read(&db, "p1", &b) == DB_OK && differences(&a, &b) == 0,
       "read back the same, value for value");
    db_begin(&db);
    ok(snapshot_db_restore(&db, "p2", &a, &existed, &fault) == DB_CONFLICT && !existed &&
           fault.duplicate && fault.table == SNAP_PACKAGES && fault.row == 0 && fault.column == 0,
       "the same ids under another partner collide: %s", fault.message);
    db_rollback(&db);
    snapshot_release(&b);
    ok(snapshot_db_read(&db, "p2", &b) == DB_NOT_FOUND, "nothing of p2 stayed");
    snapshot_release(&a);
    snapshot_release(&b);
}

/* A website naming a customer the snapshot lacks; two partner rows. */
static void test_check(void)
{
    struct snapshot s = {0};
    struct snapshot_fault fault;
    ok(snapshot_db_read(&db, "p1", &s) == DB_OK, "p1 read");
    ok(snapshot_check(&s, &fault) == 0, "a snapshot as read passes the check");
    struct snapshot_value *site = snapshot_row(&s, SNAP_WEBSITES, 1);
    free(site[2].s);
    site[2].s = xstrdup("nobody");
    ok(snapshot_check(&s, &fault) == -1 && fault.table == SNAP_WEBSITES && fault.row == 1 &&
           fault.column == 2 && strstr(fault.message, "'nobody'"),
       "a dangling reference is named: %s", fault.message);
    snapshot_row_add(&s, SNAP_INTPS);
    ok(snapshot_check(&s, &fault) == -1 && fault.table == SNAP_INTPS,
       "two partner rows are refused: %s", fault.message);
    snapshot_release(&s);
}

static void test_fault_column(void)
{
    static const struct {
        enum snapshot_table_id table;
        const char *message;
        const char *column; /* NULL: none */
    } cases[] = {
        {SNAP_CUSTOMERS, "UNIQUE constraint failed: customers.intp_id, customers.email", "email"},
        {SNAP_CUSTOMERS, "UNIQUE constraint failed: customers.id", "id"},
        {SNAP_PACKAGES, "CHECK constraint failed: price_cents >= 0", "price_cents"},
        {SNAP_SUBSCRIPTIONS,
         "CHECK constraint failed: (type = 'website') = (website_id IS NOT NULL)", "type"},
        {SNAP_API_KEYS, "UNIQUE constraint failed: api_keys.key_hash", "key_hash"},
        {SNAP_WEBSITES, "FOREIGN KEY constraint failed", NULL},
        {SNAP_WEBSITES, "no such thing", NULL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int c = snapshot_fault_column(cases[i].table, cases[i].message);
        const char *got = c < 0 ? NULL : snapshot_tables[cases[i].table].columns[c].name;
        ok(got == cases[i].column || (got && cases[i].column && strcmp(got, cases[i].column) == 0),
           "'%s' -> %s", cases[i].message, cases[i].column ? cases[i].column : "(none)");
    }
}

static void test_backup(void)
{
    char *bytes = NULL;
    size_t len = 0;
    enum db_result r = snapshot_db_backup(&db, &bytes, &len);
    ok(r == DB_OK && len >= 4096 && memcmp(bytes, "SQLite format 3", 16) == 0,
       "the backup is an SQLite file (%zu bytes)", len);
    free(bytes);
}

int main(void)
{
    store_fixture_open();
    test_schema_covered();
    test_round_trip();
    test_check();
    test_fault_column();
    test_backup();
    db_close(&db);
    return done_testing();
}
