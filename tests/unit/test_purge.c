/* Unit tests of billing/purge.c on a database file: a deleted partner purged in slices with the
 * write lock given up between them, a step cut short for a waiting writer, the leftovers of a
 * purge cut short purged at start-up, and the whole purge inside one transaction for a partner
 * onboarded again. */
#include <pthread.h>
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

/* Another connection of this process: it waits for the write turn, then writes nothing. */
static void *wait_for_turn(void *arg)
{
    struct db own;
    bool *wrote = arg;
    if (db_open_another(&own, &db))
        return NULL;
    *wrote = db_begin(&own) == 0 && db_commit(&own) == 0;
    db_close(&own);
    return NULL;
}

/* A step with room for the whole partner stops after a few subscriptions when a writer of this
 * process waits for the turn; the purge goes on from there. */
static void test_waiting_writer(const struct table_counts *kept_only)
{
    bool done = false, wrote = false;
    pthread_t thread;
    seed_partner(&db, "gone", 'g');
    tombstone();
    int64_t subscriptions = rows_naming(&db, "subscriptions", "gone");
    ok(db_begin(&db) == 0 && pthread_create(&thread, NULL, wait_for_turn, &wrote) == 0,
       "a writer waits for the purge's turn");
    for (int i = 0; i < 50000 && !db_turn_wanted(&db); i++)
        usleep(100);
    ok(intps_db_purge_step(&db, "gone", 100000, &done) == DB_OK && !done,
       "a step with room for everything");
    int64_t left = rows_naming(&db, "subscriptions", "gone");
    ok(left > 0 && left < subscriptions,
       "it stopped for the writer: %lld of %lld subscriptions left", (long long)left,
       (long long)subscriptions);
    ok(db_commit(&db) == 0 && pthread_join(thread, NULL) == 0 && wrote, "the writer had its turn");
    ok(db_begin(&db) == 0 && tenant_purge(&db, "gone", 100000) == 0 && db_commit(&db) == 0 &&
           partner_rows_gone(&db, kept_only, "gone"),
       "the purge goes on to the end");
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
    test_waiting_writer(&kept_only);
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
