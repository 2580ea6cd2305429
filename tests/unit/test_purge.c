/* Unit tests of billing/purge.c on a database file: a deleted partner purged in slices with the
 * write lock given up between them, the leftovers of a purge cut short purged at start-up, and
 * the whole purge inside one transaction for a partner onboarded again. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "billing/purge.h"
#include "partner_rows.h"
#include "store/intps_db.h"

static struct db db;
static char path[64];

static void open_db(void)
{
    ok(db_open(&db, path) == 0, "open %s", path);
}

/* Tombstone "gone" and commit it, as DELETE /__admin/intps/{id} does. */
static void tombstone(void)
{
    ok(db_begin(&db) == 0 && intps_db_mark_deleted(&db, "gone", NOW) == DB_OK &&
           db_commit(&db) == 0,
       "gone tombstoned");
}

static void test_sliced(const struct table_counts *kept_only)
{
    seed_partner(&db, "gone", 'g');
    tombstone();
    ok(db_begin(&db) == 0 && tenant_purge(&db, "gone", 5) == 0 &&
           !sqlite3_get_autocommit(db.conn) && db_commit(&db) == 0,
       "tenant_purge in slices of 5 returns inside a transaction");
    ok(partner_rows_gone(&db, kept_only, "gone"), "nothing of the partner is left");
    int64_t before = total_rows(&db);
    ok(db_begin(&db) == 0 && tenant_purge(&db, "kept", 5) == 0 && db_commit(&db) == 0 &&
           total_rows(&db) == before,
       "tenant_purge of a live partner touches nothing");
}

/* A purge cut short: two slices committed, a third in flight when the process dies (here: the
 * connection closes without COMMIT). The partner stays absent; start-up purges the rest. */
static void test_leftovers(const struct table_counts *kept_only)
{
    struct intp p;
    bool done;
    seed_partner(&db, "gone", 'g');
    tombstone();
    for (int i = 0; i < 2; i++)
        ok(db_begin(&db) == 0 && intps_db_purge_step(&db, "gone", 10, &done) == DB_OK && !done &&
               db_commit(&db) == 0,
           "slice %d committed", i + 1);
    ok(db_begin(&db) == 0 && intps_db_purge_step(&db, "gone", 10, &done) == DB_OK,
       "a third slice in flight");
    db_close(&db);
    open_db();
    ok(intps_db_get(&db, "gone", &p) == DB_NOT_FOUND, "after the restart the partner is absent");
    ok(!partner_rows_gone(&db, kept_only, "gone"), "with rows left");
    ok(db_begin(&db) == 0 && tenant_purge_leftovers(&db) == 0 && db_commit(&db) == 0,
       "start-up purges the leftovers");
    ok(partner_rows_gone(&db, kept_only, "gone"), "nothing of the partner is left");
}

static void test_now(const struct table_counts *kept_only)
{
    seed_partner(&db, "gone", 'g');
    tombstone();
    ok(db_begin(&db) == 0 && tenant_purge_now(&db, "gone") == 0 && db_commit(&db) == 0,
       "tenant_purge_now in one transaction");
    ok(partner_rows_gone(&db, kept_only, "gone"), "nothing of the partner is left");
}

int main(void)
{
    struct table_counts kept_only;
    char dir[] = "/tmp/mock3as-purge-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/test.db", dir);
    open_db();
    seed_partner(&db, "kept", 'k');
    count_tables(&db, &kept_only);
    test_sliced(&kept_only);
    test_leftovers(&kept_only);
    test_now(&kept_only);
    db_close(&db);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char f[80];
        snprintf(f, sizeof(f), "%s%s", path, suffixes[i]);
        unlink(f);
    }
    rmdir(dir);
    return done_testing();
}
