/* store/walbuf: WAL commits gathered into one write change nothing SQLite or a reader sees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/walbuf.h"
#include "tap.h"

static char path[64];

static sqlite3 *open_with(const char *vfs, const char *pragmas)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK)
        return NULL;
    sqlite3_busy_timeout(db, 2000);
    sqlite3_exec(db, pragmas, NULL, NULL, NULL);
    return db;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static long long wal_size(void)
{
    char wal[80];
    struct stat sb;
    snprintf(wal, sizeof(wal), "%s-wal", path);
    return stat(wal, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void remove_files(void)
{
    char p[80];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

int main(void)
{
    snprintf(path, sizeof(path), "/tmp/test_walbuf_%d.db", (int)getpid());
    remove_files();
    const char *vfs = walbuf_vfs();
    ok(vfs && sqlite3_vfs_find(vfs) != NULL, "the VFS is registered (%s)", vfs ? vfs : "none");
    ok(walbuf_vfs() == vfs, "a second call returns the same VFS");
    ok(sqlite3_vfs_find(NULL) != sqlite3_vfs_find(vfs), "it is not made the default VFS");

    /* a tiny page cache, so a large transaction also spills frames before its commit */
    sqlite3 *w = open_with(vfs, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                "PRAGMA cache_size = 10; PRAGMA wal_autocheckpoint = 0");
    sqlite3 *r = open_with(NULL, "PRAGMA cache_size = 10");
    ok(w && r, "a writer through the VFS and a reader through the default VFS open one file");
    char *mode = text(w, "PRAGMA journal_mode");
    ok(mode && strcmp(mode, "wal") == 0, "the writer's file is in WAL mode");
    free(mode);
    ok(exec(w, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)") == SQLITE_OK,
       "a table is created");

    /* small commits: one frame or a few, below the buffer */
    int small_ok = 1;
    for (int i = 0; i < 200; i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "INSERT INTO t (v) VALUES (printf('%%.*c', %d, 'a'))",
                 1 + i * 37 % 900);
        small_ok &= exec(w, sql) == SQLITE_OK;
        small_ok &= one(r, "SELECT count(*) FROM t") == i + 1;
    }
    ok(small_ok, "200 small commits: the other connection sees each one right after it");

    /* one commit of ~2 MB: larger than the buffer, with spills (cache_size 10) */
    ok(exec(w, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
               "i < 4000) INSERT INTO t (v) SELECT printf('%.*c', 500, 'b') FROM n; COMMIT") ==
           SQLITE_OK,
       "a commit of 4,000 rows (~2 MB, spilled and larger than the %d-byte buffer)", WALBUF_SIZE);
    ok(one(r, "SELECT count(*) FROM t") == 4200, "the reader sees all 4,200 rows");
    ok(one(r, "SELECT sum(length(v)) FROM t WHERE v LIKE 'b%'") == 4000LL * 500,
       "and every byte of them");

    /* a rolled-back transaction leaves nothing behind */
    ok(exec(w, "BEGIN; UPDATE t SET v = 'gone'; DELETE FROM t WHERE k % 2 = 0; ROLLBACK") ==
           SQLITE_OK,
       "a large update rolled back");
    ok(one(r, "SELECT count(*) FROM t WHERE v = 'gone'") == 0 &&
           one(w, "SELECT count(*) FROM t") == 4200,
       "changes nothing either connection sees");

    /* a checkpoint through the other connection, then a WAL that starts over */
    ok(exec(r, "PRAGMA wal_checkpoint(TRUNCATE)") == SQLITE_OK && wal_size() == 0,
       "the reader checkpoints and truncates the WAL");
    ok(exec(w, "UPDATE t SET v = 'z' WHERE k = 1") == SQLITE_OK,
       "the writer commits into the WAL that starts over");
    char *v = text(r, "SELECT v FROM t WHERE k = 1");
    ok(v && strcmp(v, "z") == 0, "the reader sees that commit");
    free(v);
    ok(wal_size() > 0, "its frames are in the WAL file before the commit returned (%lld bytes)",
       wal_size());

    char *check = text(r, "PRAGMA integrity_check");
    ok(check && strcmp(check, "ok") == 0, "integrity_check: %s", check ? check : "(none)");
    free(check);

    /* the WAL as left by the writer (not checkpointed) recovers on a fresh open */
    ok(exec(w, "INSERT INTO t (v) VALUES ('last')") == SQLITE_OK, "a last commit");
    sqlite3_close(r);
    /* copy the three files, as a crash would leave them, and open the copy */
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "cp %s %s.copy && cp %s-wal %s.copy-wal && rm -f %s.copy-shm", path,
             path, path, path, path);
    ok(system(cmd) == 0, "the database and its WAL are copied while the writer holds them");
    char copy[80];
    snprintf(copy, sizeof(copy), "%s.copy", path);
    sqlite3 *c = NULL;
    ok(sqlite3_open_v2(copy, &c, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK,
       "the copy opens with the default VFS");
    ok(one(c, "SELECT count(*) FROM t WHERE v = 'last'") == 1 &&
           one(c, "SELECT count(*) FROM t") == 4201,
       "recovery from the copied WAL finds every committed row");
    check = text(c, "PRAGMA integrity_check");
    ok(check && strcmp(check, "ok") == 0, "and the copy is intact");
    free(check);
    sqlite3_close(c);
    sqlite3_close(w);

    remove_files();
    snprintf(cmd, sizeof(cmd), "rm -f %s.copy %s.copy-wal %s.copy-shm", path, path, path);
    ok(system(cmd) == 0, "cleaned up");
    return done_testing();
}
