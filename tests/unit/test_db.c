/* Unit tests of store/db.c against ":memory:": the migrations, the rule that every foreign key
 * has an index under it (a cascade must never scan a table), settings, transactions, and the
 * statement cache. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "tap.h"
#include "util/embedded.h"

static struct db db;

static int64_t scalar_of(struct db *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(c->conn, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int64_t scalar(const char *sql)
{
    return scalar_of(&db, sql);
}

static void test_migrations(void)
{
    size_t n = 0;
    while (schema_sql[n].name)
        n++;
    ok(db_open(&db, ":memory:") == 0 && db.was_new, "a new database is created and migrated");
    ok(scalar("PRAGMA user_version") == (int64_t)n,
       "user_version is the number of migrations (%zu)", n);
    ok(scalar("PRAGMA foreign_keys") == 1, "foreign keys are enforced");
}

/* The schema of connection `conn`: every object's type, name, table and SQL, in name order,
 * one line each, into `out` (the caller frees it); NULL on an error. */
static char *schema_of(sqlite3 *conn)
{
    sqlite3_stmt *st = NULL;
    size_t len = 0, cap = 0;
    char *out = NULL;
    if (sqlite3_prepare_v2(conn,
                           "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || "
                           "coalesce(sql, '') FROM sqlite_schema ORDER BY type, name",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        size_t n = strlen(row);
        if (len + n + 2 > cap) {
            cap = (len + n + 2) * 2;
            out = realloc(out, cap);
        }
        memcpy(out + len, row, n);
        len += n;
        out[len++] = '\n';
        out[len] = '\0';
    }
    sqlite3_finalize(st);
    return out;
}

/* Replay the migrations numbered up to `upto` into `conn` as the server did before it created
 * new databases from one script; sets user_version. 0 on success. */
static int replay(sqlite3 *conn, int upto)
{
    char pragma[64];
    if (sqlite3_exec(conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    for (const struct embedded_file *f = schema_sql; f->name && atoi(f->name) <= upto; f++)
        if (sqlite3_exec(conn, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(conn, f->text, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            return -1;
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", upto);
    return sqlite3_exec(conn, pragma, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* A new database gets the schema the migrations build, as one script (new_database.sql, made
 * at build time): the same objects, the same SQL, as replaying them; and a database one
 * migration behind is brought to that schema too. */
static void test_new_schema(void)
{
    int last = 0;
    for (const struct embedded_file *f = schema_sql; f->name; f++)
        last = atoi(f->name);
    sqlite3 *raw = NULL;
    char *replayed = NULL, *created = schema_of(db.conn);
    ok(sqlite3_open(":memory:", &raw) == SQLITE_OK && replay(raw, last) == 0 &&
           (replayed = schema_of(raw)) != NULL,
       "the %d migrations replay", last);
    ok(created && replayed && strcmp(created, replayed) == 0,
       "a new database's schema is the replayed one");
    if (created && replayed && strcmp(created, replayed) != 0)
        printf("# created:\n%s# replayed:\n%s", created, replayed);
    sqlite3_close(raw);

    char path[] = "/tmp/mock3as-test-db-XXXXXX";
    int fd = mkstemp(path);
    struct db older = {0};
    char *upgraded = NULL;
    raw = NULL;
    ok(fd >= 0 && sqlite3_open(path, &raw) == SQLITE_OK && replay(raw, last - 1) == 0 &&
           sqlite3_close(raw) == SQLITE_OK,
       "a database at version %d", last - 1);
    ok(db_open(&older, path) == 0 && !older.was_new &&
           scalar_of(&older, "PRAGMA user_version") == last &&
           (upgraded = schema_of(older.conn)) != NULL && created && strcmp(upgraded, created) == 0,
       "opened, it is migrated to version %d and has the new database's schema", last);
    db_close(&older);
    if (fd >= 0) {
        close(fd);
        char side[sizeof(path) + 8];
        snprintf(side, sizeof(side), "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof(side), "%s-shm", path);
        unlink(side);
        unlink(path);
    }
    free(created);
    free(replayed);
    free(upgraded);
}

/* The entries of directory `dir` other than . and .., as "name name ..." sorted, into out. */
static void list_dir(const char *dir, char *out, size_t size)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.')
            snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "",
                     names[i]->d_name);
        free(names[i]);
    }
    free(names);
}

static void remove_db_files(const char *path)
{
    char side[4200];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
    unlink(path);
}

/* A new database file is written from the image made at build time (WAL mode, the schema, the
 * version): the same schema as a new database in memory, whole, and nothing left beside it; a
 * second open finds it existing. A file that exists but is empty is not overwritten: SQLite
 * creates the database in it and the schema script runs, to the same schema. */
static void test_new_file(void)
{
    char dir[] = "/tmp/mock3as-test-new-XXXXXX", path[4200], files[4200], mode[16] = "";
    char *expected = schema_of(db.conn), *made = NULL, *from_empty = NULL;
    struct db fresh = {0};
    sqlite3_stmt *st = NULL;
    ok(mkdtemp(dir) != NULL, "a directory for new databases");
    snprintf(path, sizeof(path), "%s/new.db", dir);
    ok(db_open(&fresh, path) == 0 && fresh.was_new, "a new file is created (was_new)");
    if (sqlite3_prepare_v2(fresh.conn, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(mode, sizeof(mode), "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    ok(strcmp(mode, "wal") == 0, "it is in WAL mode (%s)", mode);
    ok(scalar_of(&fresh, "PRAGMA user_version") == scalar("PRAGMA user_version") &&
           new_database_image.version == scalar("PRAGMA user_version"),
       "at the last migration's version (%d)", new_database_image.version);
    ok((made = schema_of(fresh.conn)) != NULL && expected && strcmp(made, expected) == 0,
       "with the schema of a new database in memory");
    ok(scalar_of(&fresh, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = "
                         "'ok'") == 1,
       "and whole (integrity_check)");
    ok(db_exec(&fresh, "INSERT INTO settings (key, value) VALUES ('probe', 'x')") == 0,
       "it takes writes");
    list_dir(dir, files, sizeof(files));
    ok(strcmp(files, "new.db new.db-shm new.db-wal") == 0, "nothing is left beside it (%s)", files);
    db_close(&fresh);
    ok(db_open(&fresh, path) == 0 && !fresh.was_new &&
           scalar_of(&fresh, "SELECT count(*) FROM settings WHERE key = 'probe'") == 1,
       "opened again, it exists: not new, its rows kept");
    db_close(&fresh);
    remove_db_files(path);

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    ok(fd >= 0 && close(fd) == 0 && db_open(&fresh, path) == 0 && fresh.was_new &&
           (from_empty = schema_of(fresh.conn)) != NULL && expected &&
           strcmp(from_empty, expected) == 0,
       "an empty file is not replaced: the schema script fills it, to the same schema");
    db_close(&fresh);
    remove_db_files(path);
    rmdir(dir);
    free(expected);
    free(made);
    free(from_empty);
}

/* The rows `sql` reads, one per line ("|" between columns, NULL as "NULL"), into a new
 * string; NULL on an error. */
static char *query_text(sqlite3 *conn, const char *sql)
{
    sqlite3_stmt *st = NULL;
    struct {
        char *buf;
        size_t len;
    } out = {NULL, 0};
    FILE *f = open_memstream(&out.buf, &out.len);
    if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK) {
        fclose(f);
        free(out.buf);
        return NULL;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++)
            fprintf(f, "%s%s", c ? "|" : "",
                    sqlite3_column_type(st, c) == SQLITE_NULL
                        ? "NULL"
                        : (const char *)sqlite3_column_text(st, c));
        fputc('\n', f);
    }
    sqlite3_finalize(st);
    fclose(f);
    return out.buf;
}

/* The history as subscription_events shows it (the table before migration 011, its view
 * after). */
static const char history_sql[] =
    "SELECT id, subscription_id, at, action, from_package_id, to_package_id, status_before, "
    "status_after, credit_cents, charge_cents, periods, until_at FROM subscription_events "
    "ORDER BY id";

static char *history_text(sqlite3 *conn)
{
    return query_text(conn, history_sql);
}

/* `d`, a database at `path` that `sql` reads as `want`, after VACUUM and in a copy made by
 * VACUUM INTO (the backup): both read the same, so they kept the rowids that `what` refer to. */
static void test_vacuums_keep(struct db *d, const char *path, const char *sql, const char *want,
                              const char *what)
{
    char copy[128], vac[160];
    sqlite3 *raw = NULL;
    char *vacuumed = NULL, *copied = NULL;
    ok(db_exec(d, "VACUUM") == 0 && (vacuumed = query_text(d->conn, sql)) != NULL && want &&
           strcmp(want, vacuumed) == 0,
       "VACUUM keeps the rowids %s refer to", what);
    snprintf(copy, sizeof(copy), "%s.copy", path);
    snprintf(vac, sizeof(vac), "VACUUM INTO '%s'", copy);
    ok(db_exec(d, vac) == 0 && sqlite3_open(copy, &raw) == SQLITE_OK &&
           (copied = query_text(raw, sql)) != NULL && want && strcmp(want, copied) == 0,
       "VACUUM INTO (the backup) keeps them too");
    sqlite3_close(raw);
    unlink(copy);
    free(vacuumed);
    free(copied);
}

/* Migration 011 turns the history's text into numbers: the rows read back through the view as
 * they were stored (every action, status, package and proration), orphans dropped. The history
 * refers to subscriptions and packages by rowid: VACUUM and VACUUM INTO keep those (SQLite
 * keeps the rowids of a table that has an index), checked here so that a SQLite that stops
 * doing so fails this test rather than the history. */
static void test_history_migrated(void)
{
    static const char rows[] =
        "INSERT INTO intps (id, name, subscription_type, billing_mode, public_key, created_at) "
        "VALUES ('p', 'P', 'website', 'company_managed', 'pem', 1);"
        "INSERT INTO customers (id, intp_id, intp_customer_id, email, created_at) VALUES "
        "('c1', 'p', 'c1', 'c1@x.io', 1), ('c2', 'p', 'c2', 'c2@x.io', 1);"
        "INSERT INTO packages (id, intp_id, name, price_cents, currency, period, touchpoints, "
        "created_at) VALUES ('k1', 'p', 'One', 100, 'EUR', 'monthly', 10, 1), "
        "('k2', 'p', 'Two', 200, 'EUR', 'monthly', 20, 1);"
        "INSERT INTO websites (id, intp_id, intp_website_id, customer_id, domain, "
        "subscription_id, created_at) VALUES ('w1', 'p', 'w1', 'c1', 'x.io', 's1', 1), "
        "('w2', 'p', 'w2', 'c2', 'x.io', 's2', 1);"
        "INSERT INTO subscriptions (id, intp_id, type, website_id, package_id, status, "
        "billing_anchor, period_start, expires_at, stp_reset_at, created_at) VALUES "
        "('s1', 'p', 'website', 'w1', 'k1', 'active', 1, 1, 2, 2, 1), "
        "('s2', 'p', 'website', 'w2', 'k2', 'canceled', 1, 1, 2, 2, 1);"
        "INSERT INTO subscription_events (subscription_id, at, action, from_package_id, "
        "to_package_id, status_before, status_after, credit_cents, charge_cents, periods, "
        "until_at) VALUES "
        "('s1', 1, 'created', NULL, 'k1', NULL, 'active', NULL, NULL, 1, NULL), "
        "('s1', 2, 'upgrade', 'k1', 'k2', 'active', 'active', 50, 200, 1, NULL), "
        "('s2', 3, 'renewal', 'k2', 'k2', 'active', 'active', NULL, NULL, 12, 99), "
        "('s2', 4, 'cancel', 'k2', 'k1', 'active', 'canceled', 0, 0, 1, NULL), "
        "('s1', 5, 'reactivate', 'k2', 'k2', 'inactive', 'active', NULL, NULL, 1, NULL), "
        "('s1', 6, 'downgrade', 'k2', 'k1', 'active', 'active', NULL, NULL, 1, NULL), "
        "('s1', 7, 'resume', 'k1', 'k1', 'canceled', 'active', NULL, NULL, 1, NULL), "
        "('s1', 8, 'deactivate', 'k1', NULL, 'active', 'inactive', NULL, NULL, 1, NULL), "
        "('s1', 9, 'trial_ended', 'k1', 'k2', 'active', 'active', NULL, NULL, 1, NULL), "
        "('s1', 10, 'downgrade_applied', 'k2', 'k1', 'active', 'active', NULL, NULL, 1, NULL), "
        "('s2', 11, 'cancellation_applied', 'k2', NULL, 'canceled', 'inactive', NULL, NULL, 1, "
        "NULL), ('s2', 12, 'stp_reset', 'k2', 'k2', 'active', 'active', NULL, NULL, 3, 40);";
    char path[] = "/tmp/mock3as-test-hist-XXXXXX";
    int fd = mkstemp(path);
    sqlite3 *raw = NULL;
    char *before = NULL, *after = NULL;
    struct db migrated = {0};
    ok(fd >= 0 && sqlite3_open(path, &raw) == SQLITE_OK && replay(raw, 10) == 0 &&
           sqlite3_exec(raw, rows, NULL, NULL, NULL) == SQLITE_OK &&
           sqlite3_exec(raw,
                        "INSERT INTO subscription_events (subscription_id, at, action, "
                        "status_after) VALUES ('gone', 13, 'created', 'active')",
                        NULL, NULL, NULL) == SQLITE_OK &&
           (before = history_text(raw)) != NULL && sqlite3_close(raw) == SQLITE_OK,
       "a database at version 10 with a history of every action (and an orphan row)");
    /* the orphan's line is the last: it does not survive the migration */
    char *orphan = before ? strstr(before, "|gone|") : NULL;
    while (orphan && orphan > before && orphan[-1] != '\n')
        orphan--;
    if (orphan)
        *orphan = '\0';
    ok(db_open(&migrated, path) == 0 && (after = history_text(migrated.conn)) != NULL && before &&
           strcmp(before, after) == 0,
       "migrated, the history reads back the same through the view");
    if (before && after && strcmp(before, after) != 0)
        printf("# before:\n%s# after:\n%s", before, after);
    ok(db_exec(&migrated, "DELETE FROM subscriptions WHERE id = 's2'") == 0 &&
           db_exec(&migrated, "INSERT INTO subscriptions_full (id, intp_id, type, website_id, "
                              "package_id, status, billing_anchor, period_start, expires_at, "
                              "stp_reset_at, created_at) VALUES ('s2', 'p', 'website', 'w2', "
                              "'k2', 'active', 1, 1, 2, 2, 1)") == 0 &&
           db_exec(&migrated, "INSERT INTO subscription_events (subscription_id, at, action, "
                              "status_after) VALUES ('s2', 20, 'created', 'active')") == 0,
       "a subscription deleted (its history with it) and made again, with a rowid gap");
    free(after);
    after = history_text(migrated.conn);
    test_vacuums_keep(&migrated, path, history_sql, after, "the history's rows");
    db_close(&migrated);
    if (fd >= 0)
        close(fd);
    remove_db_files(path);
    free(before);
    free(after);
}

/* Migration 012 moves the period to subscription_periods: subscriptions_full reads back what
 * subscriptions held, next_due_at included (one trial, one inactive, one touchpoint reset
 * first). The periods refer to subscriptions and intps by rowid: VACUUM and VACUUM INTO keep
 * them. A row written through the view gets next_due_at as the generated column had it. */
static void test_periods_migrated(void)
{
    static const char rows[] =
        "INSERT INTO intps (id, name, subscription_type, billing_mode, public_key, created_at) "
        "VALUES ('q', 'Q', 'website', 'company_managed', 'pem', 1), "
        "('p', 'P', 'website', 'company_managed', 'pem', 1);"
        "INSERT INTO customers (id, intp_id, intp_customer_id, email, created_at) VALUES "
        "('c1', 'p', 'c1', 'c1@x.io', 1), ('c2', 'p', 'c2', 'c2@x.io', 1), "
        "('c3', 'p', 'c3', 'c3@x.io', 1);"
        "INSERT INTO packages (id, intp_id, name, price_cents, currency, period, touchpoints, "
        "created_at) VALUES ('k1', 'p', 'One', 100, 'EUR', 'monthly', 10, 1);"
        "INSERT INTO websites (id, intp_id, intp_website_id, customer_id, domain, "
        "subscription_id, created_at) VALUES ('w1', 'p', 'w1', 'c1', 'x.io', 's1', 1), "
        "('w2', 'p', 'w2', 'c2', 'x.io', 's2', 1), ('w3', 'p', 'w3', 'c3', 'x.io', 's3', 1);"
        "INSERT INTO subscriptions (id, intp_id, type, website_id, package_id, status, "
        "billing_anchor, period_start, expires_at, stp_reset_at, in_trial, had_trial, "
        "trial_ends_at, created_at) VALUES "
        "('s1', 'p', 'website', 'w1', 'k1', 'active', 1, 10, 40, 30, 1, 1, 20, 1), "
        "('s2', 'p', 'website', 'w2', 'k1', 'inactive', 1, 10, 40, 40, 0, 0, NULL, 1), "
        "('s3', 'p', 'website', 'w3', 'k1', 'canceled', 1, 10, 50, 45, 0, 1, NULL, 1);";
    static const char read[] =
        "SELECT id, intp_id, status, period_start, expires_at, stp_reset_at, trial_ends_at, "
        "next_due_at FROM %s ORDER BY id";
    char path[] = "/tmp/mock3as-test-periods-XXXXXX", sql[256];
    int fd = mkstemp(path);
    sqlite3 *raw = NULL;
    char *before = NULL, *after = NULL, *again = NULL;
    struct db migrated = {0};
    snprintf(sql, sizeof(sql), read, "subscriptions");
    ok(fd >= 0 && sqlite3_open(path, &raw) == SQLITE_OK && replay(raw, 11) == 0 &&
           sqlite3_exec(raw, rows, NULL, NULL, NULL) == SQLITE_OK &&
           (before = query_text(raw, sql)) != NULL && sqlite3_close(raw) == SQLITE_OK,
       "a database at version 11 with three subscriptions");
    snprintf(sql, sizeof(sql), read, "subscriptions_full");
    ok(db_open(&migrated, path) == 0 && (after = query_text(migrated.conn, sql)) != NULL &&
           before && strcmp(before, after) == 0,
       "migrated, the subscriptions read back the same through the view");
    if (before && after && strcmp(before, after) != 0)
        printf("# before:\n%s# after:\n%s", before, after);
    ok(after && strstr(after, "s1|p|active|10|40|30|20|20\n") &&
           strstr(after, "s2|p|inactive|10|40|40|NULL|NULL\n") &&
           strstr(after, "s3|p|canceled|10|50|45|NULL|45\n"),
       "next_due_at: the trial's end, none while inactive, the touchpoint reset");
    ok(db_exec(&migrated, "DELETE FROM subscriptions WHERE id = 's2'") == 0 &&
           db_exec(&migrated, "INSERT INTO subscriptions_full (id, intp_id, type, website_id, "
                              "package_id, status, billing_anchor, period_start, expires_at, "
                              "stp_reset_at, created_at) VALUES ('s2', 'p', 'website', 'w2', "
                              "'k1', 'inactive', 1, 10, 40, 40, 1)") == 0 &&
           db_exec(&migrated, "DELETE FROM intps WHERE id = 'q'") == 0 &&
           (again = query_text(migrated.conn, sql)) != NULL && strcmp(after, again) == 0,
       "a subscription deleted (its period with it) and written again through the view, "
       "with rowid gaps in both tables");
    test_vacuums_keep(&migrated, path, sql, after, "the periods");
    db_close(&migrated);
    if (fd >= 0)
        close(fd);
    remove_db_files(path);
    free(before);
    free(after);
    free(again);
}

/* db_column_copy: the text, cut to the buffer (NUL-terminated), "" and false for NULL. */
static void test_column_copy(void)
{
    sqlite3_stmt *st = NULL;
    char big[16], small[4], none[8] = "x";
    ok(sqlite3_prepare_v2(db.conn, "SELECT 'abcdef', NULL, ''", -1, &st, NULL) == SQLITE_OK &&
           sqlite3_step(st) == SQLITE_ROW,
       "a row of text, NULL and empty text");
    ok(db_column_copy(st, 0, big, sizeof(big)) && strcmp(big, "abcdef") == 0, "fits: %s", big);
    ok(db_column_copy(st, 0, small, sizeof(small)) && strcmp(small, "abc") == 0,
       "cut to the buffer: %s", small);
    ok(!db_column_copy(st, 1, none, sizeof(none)) && none[0] == '\0', "NULL: empty, false");
    ok(db_column_copy(st, 2, big, sizeof(big)) && big[0] == '\0', "empty text: empty, true");
    sqlite3_finalize(st);
}

/* Whether a lookup of `table` by `col` (what a foreign-key check or cascade makes) searches an
 * index rather than scanning: a partial index (WHERE col IS NOT NULL) must be usable for it. */
static int lookup_searches(const char *table, const char *col)
{
    char sql[256];
    sqlite3_stmt *plan = NULL;
    int search = 0;
    snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1", table,
             col);
    if (sqlite3_prepare_v2(db.conn, sql, -1, &plan, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(plan) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(plan, 3);
        search = detail && strncmp(detail, "SEARCH", 6) == 0;
    }
    sqlite3_finalize(plan);
    return search;
}

/* Whether some index of `table` (or its primary key) starts with column `col`. */
static int indexed(const char *table, const char *col)
{
    char sql[256];
    sqlite3_stmt *list = NULL;
    int found = 0;
    snprintf(sql, sizeof(sql),
             "SELECT 1 FROM pragma_index_list(?1) l, pragma_index_info(l.name) i "
             "WHERE i.seqno = 0 AND i.name = ?2 UNION ALL SELECT 1 FROM pragma_table_info(?1) "
             "WHERE pk = 1 AND name = ?2");
    if (sqlite3_prepare_v2(db.conn, sql, -1, &list, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(list, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(list, 2, col, -1, SQLITE_STATIC);
    found = sqlite3_step(list) == SQLITE_ROW;
    sqlite3_finalize(list);
    return found;
}

static void test_foreign_keys_indexed(void)
{
    sqlite3_stmt *fks = NULL;
    int n = 0, missing = 0;
    sqlite3_prepare_v2(db.conn,
                       "SELECT m.name, f.\"from\" FROM sqlite_schema m, "
                       "pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1, 2",
                       -1, &fks, NULL);
    while (sqlite3_step(fks) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(fks, 0);
        const char *col = (const char *)sqlite3_column_text(fks, 1);
        n++;
        if (!indexed(table, col)) {
            missing++;
            ok(0, "foreign key %s.%s has an index", table, col);
        } else if (!lookup_searches(table, col)) {
            missing++;
            ok(0, "a lookup by foreign key %s.%s searches its index", table, col);
        }
    }
    sqlite3_finalize(fks);
    ok(n >= 20 && missing == 0,
       "all %d foreign keys have an index under them that a lookup by value searches", n);
}

static void test_settings_and_transactions(void)
{
    char *v = NULL;
    ok(db_setting_get(&db, "k", &v) == DB_NOT_FOUND && !v, "an unset setting is not found");
    ok(db_begin(&db) == 0 && db_setting_set(&db, "k", "one") == DB_OK, "set inside a transaction");
    db_rollback(&db);
    ok(db_setting_get(&db, "k", &v) == DB_NOT_FOUND, "a rollback undoes it");
    ok(db_begin(&db) == 0 && db_setting_set(&db, "k", "two") == DB_OK && db_commit(&db) == 0,
       "set and commit");
    ok(db_setting_get(&db, "k", &v) == DB_OK && v && strcmp(v, "two") == 0, "read back");
    free(v);
    v = NULL;
    ok(db_setting_set(&db, "k", "three") == DB_OK && db_setting_get(&db, "k", &v) == DB_OK &&
           strcmp(v, "three") == 0,
       "setting again replaces the value");
    free(v);
}

static void test_statement_cache(void)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
    sqlite3_stmt *a = db_stmt(&db, STMT_SETTING_GET, sql);
    db_done(a);
    sqlite3_stmt *b = db_stmt(&db, STMT_SETTING_GET, sql);
    ok(a && a == b, "a statement is prepared once and served from the cache");
    db_done(b);
    ok(db_exec(&db, "SELECT * FROM no_such_table") == -1, "db_exec reports an error");
}

/* A file database: one more connection shares the write turn; the change epoch moves with every
 * commit of any connection, also of another process, and with nothing else. */
static void test_file_connections(void)
{
    char dir[] = "/tmp/mock3as-test-db-XXXXXX", path[64], cmd[256];
    struct db a, b;
    if (!mkdtemp(dir)) {
        ok(0, "a temporary directory");
        return;
    }
    snprintf(path, sizeof(path), "%s/t.db", dir);
    ok(db_open(&a, path) == 0 && db_shareable(&a) && db_open_another(&b, &a) == 0,
       "a file database takes more connections");
    uint64_t e0 = db_change_epoch(&a);
    ok(e0 != 0, "the change watch runs on a WAL file");
    ok(db_change_epoch(&b) == e0 && db_change_epoch(&a) == e0, "no commit: the same epoch");
    sqlite3_exec(a.conn, "SELECT count(*) FROM settings", NULL, NULL, NULL);
    ok(db_change_epoch(&a) == e0, "a read does not move it");
    ok(db_begin(&b) == 0 && db_setting_set(&b, "k", "1") == DB_OK && db_commit(&b) == 0,
       "the second connection writes");
    uint64_t e1 = db_change_epoch(&a);
    ok(e1 > e0, "its commit moves the epoch seen through the first");
    ok(db_begin(&a) == 0 && db_setting_set(&a, "k", "2") == DB_OK, "a write in progress...");
    ok(db_change_epoch(&b) == e1, "...does not move it before its commit");
    ok(db_pause(&a) == 0 && db_change_epoch(&b) > e1, "db_pause commits");
    ok(db_resume(&a) == 0 && db_setting_set(&a, "k", "3") == DB_OK && db_yield(&a) == 0 &&
           db_setting_set(&a, "k", "4") == DB_OK && db_commit(&a) == 0,
       "db_resume and db_yield go on in new transactions");
    char *v = NULL;
    ok(db_setting_get(&b, "k", &v) == DB_OK && v && strcmp(v, "4") == 0, "every slice landed");
    free(v);
    uint64_t e2 = db_change_epoch(&a);
    snprintf(cmd, sizeof(cmd),
             "sqlite3 %s \"INSERT OR REPLACE INTO settings (key, value) VALUES ('x', 'y')\" "
             "2>/dev/null",
             path);
    if (system(cmd) == 0)
        ok(db_change_epoch(&a) > e2, "a commit of another process moves the epoch");
    else
        ok(1, "# SKIP no sqlite3 command-line tool");
    db_close(&b);
    db_close(&a);
    struct db m;
    ok(db_open(&m, ":memory:") == 0 && !db_shareable(&m) && db_change_epoch(&m) == 0,
       "an in-memory database is not shared and not watched");
    db_close(&m);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ok(system(cmd) == 0, "cleaned up");
}

/* The frames in the WAL after the last commit of a connection (its WAL hook; nothing copied). */
static int last_frames;
static int note_frames(void *arg, sqlite3 *conn, const char *name, int frames)
{
    (void)arg, (void)conn, (void)name;
    last_frames = frames;
    return SQLITE_OK;
}

static int commit_one(struct db *c, const char *sql)
{
    return db_begin(c) == 0 && db_exec(c, sql) == 0 && db_commit(c) == 0 ? last_frames : -1;
}

/* The background checkpointer copies the WAL while writers go on (wal_autocheckpoint is 0: no
 * commit copies), so a large WAL starts over at the next commit once it has been copied. */
static void test_checkpointer(void)
{
    char dir[] = "/tmp/mock3as-test-ckpt-XXXXXX", path[64], cmd[128];
    struct db a, b;
    struct timespec nap = {0, 300 * 1000 * 1000};
    if (!mkdtemp(dir)) {
        ok(0, "a temporary directory");
        return;
    }
    snprintf(path, sizeof(path), "%s/t.db", dir);
    ok(db_open(&a, path) == 0 && db_checkpoint_in_background(&a) == 0 &&
           db_open_another(&b, &a) == 0,
       "a file database with the background checkpointer");
    sqlite3_wal_hook(b.conn, note_frames, NULL);
    ok(commit_one(&b, "CREATE TABLE big (v TEXT)") > 0, "a table");
    /* ~12 MB in one commit: about 3,000 frames, over the restart size */
    int large = commit_one(&b, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                               "WHERE i < 3000) INSERT INTO big SELECT printf('%.*c', 4000, 'x') "
                               "FROM n");
    ok(large > 2048, "a large commit leaves %d frames", large);
    nanosleep(&nap, NULL);
    int after = commit_one(&b, "INSERT INTO big VALUES ('z')");
    ok(after >= 1 && after < 10, "300 ms later the next commit starts a new WAL (%d frames)",
       after);
    ok(scalar_of(&b, "SELECT count(*) FROM big") == 3001, "every row is there");
    ok(scalar_of(&a, "SELECT count(*) FROM pragma_quick_check WHERE quick_check = 'ok'") == 1,
       "and the file is intact");
    db_close(&b);
    db_close(&a);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ok(system(cmd) == 0, "cleaned up");
}

int main(void)
{
    test_migrations();
    test_new_schema();
    test_new_file();
    test_history_migrated();
    test_periods_migrated();
    test_column_copy();
    test_foreign_keys_indexed();
    test_settings_and_transactions();
    test_statement_cache();
    db_close(&db);
    test_file_connections();
    test_checkpointer();
    return done_testing();
}
