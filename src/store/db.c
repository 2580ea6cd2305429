/* The SQLite connection: pragmas, embedded migrations, the statement cache and transactions. */
#include "store/db.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/walbuf.h"
#include "util/embedded.h"
#include "util/log.h"
#include "util/util.h"

/* The change watch reads the WAL-index header that SQLite keeps in the "-shm" file of a WAL
 * database (https://www.sqlite.org/walformat.html, "The WAL-Index Header"): two copies of a
 * 48-byte header that every commit, by any connection of any process, rewrites (iChange counts
 * transactions, mxFrame and the salts move), copy 1 first, then copy 0. Reading it is a memory
 * compare, no system call, no lock: while the bytes equal what the watch saw last, nothing was
 * committed since. A half-written header or two copies that differ count as a change. */
#define WAL_HDR_SIZE    48
#define WAL_HDR_MXFRAME 16 /* where the header holds the WAL's last valid frame */

#define SHARE_CPU_OPS 1000 /* VM steps between cpu_share() calls: a few microseconds */

#define CHECKPOINT_EVERY_MS 50
#define CHECKPOINT_PASSES   4 /* unlocked passes before the tail is done under the turn */
/* At most this many frames are left to copy while holding the write turn (a few ms: writers of
 * this process wait meanwhile); with more left, the WAL is not restarted this time, unless it
 * has reached CHECKPOINT_FORCE frames (256 MiB of 4 KiB pages). At 64 MiB, purging a partner
 * of 10,000 customers reached it, and the forced tail made other writers wait 12-15 ms. */
#define CHECKPOINT_TAIL  256
#define CHECKPOINT_FORCE 65536
/* The WAL starts over once it holds this many frames (8 MiB): each restart's tail ends in a
 * sync of the database file under the turn, a few ms on this machine's disk, so not every
 * pass makes one. */
#define CHECKPOINT_RESTART 2048

struct db_file {
    char *path;
    /* the checkpointer: a thread with its own connection that copies the WAL into the database
     * file, so that no COMMIT does it while holding the write turn (wal_autocheckpoint is 0) */
    pthread_t checkpointer;
    bool checkpointing, stop_checkpointing;
    pthread_cond_t stop_changed;
    pthread_mutex_t lock;
    pthread_cond_t turn_changed;
    uint64_t next_ticket, serving; /* the write turn: FIFO tickets */
    /* the change watch (db_change_epoch), guarded by `lock` */
    const volatile unsigned char *shm; /* the mapped header of PATH-shm, NULL: no watch */
    size_t shm_len;
    int shm_fd; /* open until every connection is closed: closing any descriptor of a file drops
                   all of the process' POSIX locks on it, SQLite's included (its lock on the
                   -shm file keeps another process from truncating it under our mappings) */
    unsigned char seen[WAL_HDR_SIZE];
    uint64_t epoch;
    int db_fd;  /* the database file, for the checkpointer's sync outside the turn (held open
                   until the end, like shm_fd) */
    int wal_fd; /* the WAL, likewise */
};

static struct db_file *db_file_new(const char *path)
{
    struct db_file *f = xcalloc(1, sizeof(*f));
    f->path = xstrdup(path);
    f->shm_fd = -1;
    f->db_fd = -1;
    f->wal_fd = -1;
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->turn_changed, NULL);
    pthread_cond_init(&f->stop_changed, NULL);
    return f;
}

static void db_file_free(struct db_file *f)
{
    if (!f)
        return;
    if (f->shm)
        munmap((void *)f->shm, f->shm_len);
    if (f->shm_fd >= 0)
        close(f->shm_fd);
    if (f->db_fd >= 0)
        close(f->db_fd);
    if (f->wal_fd >= 0)
        close(f->wal_fd);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->turn_changed);
    pthread_cond_destroy(&f->stop_changed);
    free(f->path);
    free(f);
}

/* Wait for this process' turn to write: tickets are served in the order they were drawn. */
/* The connection holds the turn from now (turn_take, turn_try_take). */
static void turn_held(struct db *db)
{
    db->has_turn = true;
    db->turn_since_us = time_mono_us();
}

static void turn_take(struct db *db)
{
    struct db_file *f = db->file;
    pthread_mutex_lock(&f->lock);
    uint64_t mine = f->next_ticket++;
    while (f->serving != mine)
        pthread_cond_wait(&f->turn_changed, &f->lock);
    pthread_mutex_unlock(&f->lock);
    turn_held(db);
}

/* Take the turn only if nobody holds it or waits for it; returns whether it was taken. */
static bool turn_try_take(struct db *db)
{
    struct db_file *f = db->file;
    pthread_mutex_lock(&f->lock);
    bool free_now = f->serving == f->next_ticket;
    if (free_now)
        f->next_ticket++;
    pthread_mutex_unlock(&f->lock);
    if (free_now)
        turn_held(db);
    return free_now;
}

static void turn_give_back(struct db *db)
{
    struct db_file *f = db->file;
    if (!db->has_turn)
        return;
    db->has_turn = false;
    pthread_mutex_lock(&f->lock);
    f->serving++;
    pthread_cond_broadcast(&f->turn_changed);
    pthread_mutex_unlock(&f->lock);
}

/* Copy header copy 0 into out; false when the two copies differ (a commit is writing it). */
static bool read_wal_header(const struct db_file *f, unsigned char *out)
{
    unsigned char other[WAL_HDR_SIZE];
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    for (size_t i = 0; i < WAL_HDR_SIZE; i++) {
        out[i] = f->shm[i];
        other[i] = f->shm[WAL_HDR_SIZE + i];
    }
    return memcmp(out, other, WAL_HDR_SIZE) == 0;
}

/* The WAL's last valid frame (mxFrame) into *out; false when the header is not mapped or a
 * commit is writing it. */
static bool wal_last_frame(const struct db_file *f, uint32_t *out)
{
    unsigned char h[WAL_HDR_SIZE];
    if (!f->shm || !read_wal_header(f, h))
        return false;
    memcpy(out, h + WAL_HDR_MXFRAME, sizeof(*out));
    return true;
}

uint64_t db_change_epoch(struct db *db)
{
    struct db_file *f = db->file;
    unsigned char now[WAL_HDR_SIZE];
    if (!f->shm)
        return 0;
    pthread_mutex_lock(&f->lock);
    bool whole = read_wal_header(f, now);
    if (!whole || memcmp(now, f->seen, WAL_HDR_SIZE) != 0) {
        memcpy(f->seen, now, WAL_HDR_SIZE);
        f->epoch++;
    }
    uint64_t e = f->epoch;
    pthread_mutex_unlock(&f->lock);
    return e;
}

/* Open PATH followed by `suffix` ("-shm", "-wal") read-only: a descriptor, or -1. */
static int open_beside(const struct db_file *f, const char *suffix)
{
    char path[4200];
    if (snprintf(path, sizeof(path), "%s%s", f->path, suffix) >= (int)sizeof(path))
        return -1;
    return open(path, O_RDONLY | O_CLOEXEC);
}

/* Map the WAL-index header of the open WAL database and check that a commit moves it (a
 * setting written for the purpose); without both, db_change_epoch() stays 0. */
static void watch_start(struct db *db)
{
    struct db_file *f = db->file;
    struct stat st;
    if (!db_shareable(db))
        return;
    f->shm_fd = open_beside(f, "-shm");
    if (f->shm_fd < 0)
        return;
    if (fstat(f->shm_fd, &st) == 0 && st.st_size >= 2 * WAL_HDR_SIZE) {
        void *m = mmap(NULL, 2 * WAL_HDR_SIZE, PROT_READ, MAP_SHARED, f->shm_fd, 0);
        if (m != MAP_FAILED) {
            f->shm = m;
            f->shm_len = 2 * WAL_HDR_SIZE;
        }
    }
    if (!f->shm)
        return; /* the descriptor stays open until db_close, for the reason above */
    uint64_t before = db_change_epoch(db);
    char stamp[UUID_SIZE]; /* a new value: SQLite writes no page for a value it already holds */
    uuid_v4(stamp);
    if (db_begin(db) == 0 && db_setting_set(db, "last_start", stamp) == DB_OK &&
        db_commit(db) == 0 && db_change_epoch(db) != before)
        return;
    db_rollback(db);
    log_warn("sqlite: %s-shm: commits do not show in the WAL-index header; reads are not cached",
             f->path);
    munmap((void *)f->shm, f->shm_len);
    f->shm = NULL;
}

int db_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("sqlite: %s", msg ? msg : sqlite3_errmsg(db->conn));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Run a cached statement that returns no rows. Returns 0, or -1 (logged). */
static int exec_cached(struct db *db, enum stmt_id id, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, id, sql);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    log_error("sqlite: %s: %s", sql, sqlite3_errmsg(db->conn));
    return -1;
}

/* sqlite3_update_hook: a row of `table` was inserted, updated or deleted. */
static void on_row_change(void *arg, int op, const char *schema, const char *table,
                          sqlite3_int64 rowid)
{
    struct db *db = arg;
    (void)op, (void)schema, (void)rowid;
    if (strcmp(table, DB_MEMO_TABLES) == 0)
        db->memo_gen++;
}

/* sqlite3_progress_handler's callback: long statements (a purge step, a catch-up's reads) leave
 * the CPU to waiting threads now and then. Never interrupts. */
static int share_cpu(void *unused)
{
    (void)unused;
    cpu_share();
    return 0;
}

/* Every connection's start: the update hook that db_memo_gen() follows. */
static void watch_rows(struct db *db)
{
    db->memo_gen = 1;
    sqlite3_update_hook(db->conn, on_row_change, db);
}

uint64_t db_memo_gen(struct db *db)
{
    return db->has_turn && !sqlite3_get_autocommit(db->conn) ? db->memo_gen : 0;
}

int db_savepoint(struct db *db)
{
    return exec_cached(db, STMT_TX_SAVEPOINT, "SAVEPOINT request");
}

void db_savepoint_end(struct db *db, bool keep)
{
    if (!keep) {
        exec_cached(db, STMT_TX_ROLLBACK_TO, "ROLLBACK TO request");
        db->memo_gen++;
    }
    exec_cached(db, STMT_TX_RELEASE, "RELEASE request");
}

static int user_version(struct db *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The number of the last migration: the version a database is migrated to. */
static int last_version(void)
{
    int last = 0;
    for (const struct embedded_file *f = schema_sql; f->name; f++)
        last = atoi(f->name);
    return last;
}

/* Apply the migrations above the schema's version, all in one transaction: the version is
 * re-read under the write lock (two processes starting at once apply each once). A new
 * database gets instead the schema they build, as one script (schema_new: replaying them
 * re-reads the whole schema at each ALTER and DROP, about 5 ms), in one commit. */
static int migrate(struct db *db)
{
    char pragma[64];
    int current = user_version(db), last = last_version();
    if (current < 0)
        return -1;
    if (current >= last)
        return 0; /* up to date: no write transaction */
    if (db_begin(db))
        return -1;
    if ((current = user_version(db)) < 0)
        goto fail;
    if (current == 0) { /* a new database: the schema they build, in one script */
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", last);
        if (db_exec(db, schema_new[0].text) || db_exec(db, pragma)) {
            log_error("schema: %s failed", schema_new[0].name);
            goto fail;
        }
        log_debug("schema: created at version %d", last);
        db->was_new = true; /* this process created the schema, so it loads the fixtures */
        return db_commit(db);
    }
    for (const struct embedded_file *f = schema_sql; f->name; f++) {
        int number = atoi(f->name);
        if (number <= 0) {
            log_error("schema: %s does not start with a migration number", f->name);
            goto fail;
        }
        if (number <= current)
            continue;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", number);
        if (db_exec(db, f->text) || db_exec(db, pragma)) {
            log_error("schema: migration %s failed", f->name);
            goto fail;
        }
        log_debug("schema: applied %s", f->name);
    }
    return db_commit(db);
fail:
    db_rollback(db);
    return -1;
}

/* Why `path` cannot be opened read-write (or created), as far as the file system tells, into
 * why[size]; "" when nothing is visibly wrong. */
static void path_problem(const char *path, char *why, size_t size)
{
    struct stat st;
    char dir[4096];
    why[0] = '\0';
    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
        return;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            snprintf(why, size, "it is a directory");
        else if (access(path, R_OK | W_OK) != 0)
            snprintf(why, size, "no permission to read and write it (%s)", strerror(errno));
        return;
    }
    if (errno != ENOENT) {
        snprintf(why, size, "%s", strerror(errno));
        return;
    }
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (stat(dir, &st) != 0)
        snprintf(why, size, "directory %s does not exist", dir);
    else if (!S_ISDIR(st.st_mode))
        snprintf(why, size, "%s is not a directory", dir);
    else if (access(dir, W_OK | X_OK) != 0)
        snprintf(why, size, "no permission to create files in %s (%s)", dir, strerror(errno));
}

#define DB_CHECK_MAX_BYTES (64 << 20)
#define WAL_RETRY_MS       10
#define WAL_RETRY_TOTAL_MS 10000

/* A database this process did not create must be whole: PRAGMA quick_check, for files up to
 * DB_CHECK_MAX_BYTES (larger ones start unchecked, said in the log). Returns 0, or -1 (logged). */
static int check_integrity(struct db *db, const char *path)
{
    struct stat st;
    sqlite3_stmt *q = NULL;
    int rc = 0;
    if (db->was_new || stat(path, &st) != 0)
        return 0;
    if (st.st_size > DB_CHECK_MAX_BYTES) {
        log_info("sqlite: %s is over %d MiB: starting without an integrity check", path,
                 DB_CHECK_MAX_BYTES >> 20);
        return 0;
    }
    if (sqlite3_prepare_v2(db->conn, "PRAGMA quick_check", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        log_error("sqlite: cannot check %s: %s", path, sqlite3_errmsg(db->conn));
        rc = -1;
    } else if (strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0) {
        char what[256];
        snprintf(what, sizeof(what), "%s", (const char *)sqlite3_column_text(q, 0));
        for (char *c = what; *c; c++)
            if (*c == '\n')
                *c = ' ';
        log_error("sqlite: %s is damaged (%s): restore a copy or remove it", path, what);
        rc = -1;
    }
    sqlite3_finalize(q);
    return rc;
}

/* Switch to WAL. Switching takes an exclusive lock that the busy handler does not wait for,
 * so when another process opens the same new file at the same moment this retries, every
 * WAL_RETRY_MS for at most WAL_RETRY_TOTAL_MS. Returns 0, or -1 (logged). */
static int set_wal(struct db *db, const char *path)
{
    for (int waited = 0;; waited += WAL_RETRY_MS) {
        int rc = sqlite3_exec(db->conn, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= WAL_RETRY_TOTAL_MS) {
            log_error("sqlite: cannot switch %s to WAL: %s", path, sqlite3_errmsg(db->conn));
            return -1;
        }
        usleep(WAL_RETRY_MS * 1000);
    }
}

#define IMAGE_CHUNK 16384

static int write_all(int fd, const unsigned char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write new_database_image to `fd`, IMAGE_CHUNK bytes at a time. */
static int write_image(int fd, const struct embedded_image *img)
{
    unsigned char chunk[IMAGE_CHUNK];
    for (uint32_t at = 0; at < img->size; at += IMAGE_CHUNK) {
        uint32_t len = img->size - at < IMAGE_CHUNK ? img->size - at : IMAGE_CHUNK;
        memset(chunk, 0, len);
        for (const struct embedded_run *r = img->runs; r->length; r++) {
            uint32_t from = r->offset > at ? r->offset : at;
            uint32_t to = r->offset + r->length < at + len ? r->offset + r->length : at + len;
            if (from < to)
                memcpy(chunk + (from - at), r->bytes + (from - r->offset), to - from);
        }
        if (write_all(fd, chunk, len))
            return -1;
    }
    return 0;
}

/* Create the database file `path`, when it does not exist, from new_database_image (WAL mode,
 * the whole schema, at version `version`): written into a temporary file beside it, synced,
 * then linked to `path`. No process sees it half-written, and of several processes creating the
 * same file at once, one link succeeds (link() does not replace). Switching a new file to WAL
 * (a rollback journal and four syncs) and running the schema script took 5-6 ms; this, about 1.
 * Returns true when this process created the file; false when it exists, or is not a plain
 * file path, or cannot be made this way (then SQLite creates it and migrate() the schema). */
static bool create_from_image(const char *path, int version)
{
    static atomic_uint serial;
    const struct embedded_image *img = &new_database_image;
    char tmp[4200];
    struct stat st;
    bool created = false;
    if (img->version != version || strcmp(path, ":memory:") == 0 ||
        strncmp(path, "file:", 5) == 0 || !path[0] || stat(path, &st) == 0 || errno != ENOENT)
        return false;
    snprintf(tmp, sizeof(tmp), "%s.new-%ld-%u", path, (long)getpid(), atomic_fetch_add(&serial, 1));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool written = write_image(fd, img) == 0 && fdatasync(fd) == 0;
    if (close(fd) != 0)
        written = false;
    if (!written)
        log_debug("sqlite: cannot write %s (%s): SQLite creates it", tmp, strerror(errno));
    else if (!(created = link(tmp, path) == 0) && errno != EEXIST)
        log_debug("sqlite: cannot link %s (%s): SQLite creates it", path, strerror(errno));
    unlink(tmp);
    return created;
}

int db_open(struct db *db, const char *path)
{
    char why[4200];
    memset(db, 0, sizeof(*db));
    path_problem(path, why, sizeof(why));
    if (why[0]) {
        log_error("sqlite: cannot open %s: %s", path, why);
        return -1;
    }
    /* process-wide, before the first connection (later calls are refused, harmlessly): no
     * allocation statistics, which cost a mutex per malloc */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    db->file = db_file_new(path);
    db->owns_file = true;
    db->was_new = create_from_image(path, last_version());
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->conn, flags, walbuf_vfs()) != SQLITE_OK) {
        log_error("sqlite: cannot open %s: %s", path,
                  db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(db->conn, 5000);
    sqlite3_progress_handler(db->conn, SHARE_CPU_OPS, share_cpu, NULL);
    watch_rows(db);
    if (sqlite3_exec(db->conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) == SQLITE_NOTADB ||
        sqlite3_exec(db->conn, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) ==
            SQLITE_NOTADB) {
        log_error("sqlite: cannot open %s: it is not an SQLite database", path);
        goto fail;
    }
    if (db_exec(db, "PRAGMA foreign_keys = ON") || set_wal(db, path) ||
        db_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192; "
                    "PRAGMA temp_store = MEMORY;") ||
        migrate(db) || check_integrity(db, path))
        goto fail;
    watch_start(db);
    return 0;
fail:
    db_close(db);
    return -1;
}

/* Copy the WAL into the database file. The bulk is copied while writers go on (PASSIVE passes
 * take no lock a writer needs); but a WAL starts over from its beginning only for a writer that
 * begins when every frame is copied, so the last frames, at most CHECKPOINT_TAIL of them, are
 * copied while this process' writers wait for the turn: a few milliseconds. While writes come
 * too fast for that (more frames left after CHECKPOINT_PASSES passes), the WAL grows until they
 * slow down or it reaches CHECKPOINT_FORCE frames. The file keeps the size it grew to (SQLite's
 * default journal_size_limit): cutting it back is done by the first commit after the WAL
 * starts over, under the turn, and took 30-46 ms for the 40 MB a partner's purge leaves, with
 * another partner's write waiting. SQLite removes the file when the last connection closes. */
static void checkpoint(struct db *own)
{
    int frames = 0, copied = 0;
    for (int pass = 0; pass < CHECKPOINT_PASSES; pass++) {
        if (sqlite3_wal_checkpoint_v2(own->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                      &copied) != SQLITE_OK ||
            frames - copied <= CHECKPOINT_TAIL)
            break;
    }
    if (frames < CHECKPOINT_RESTART)
        return; /* empty, small, or it starts over with the next write */
    if (frames - copied > CHECKPOINT_TAIL && frames < CHECKPOINT_FORCE)
        return; /* writes go on apace: try again next time rather than make them wait long */
    /* the pages the passes copied reach the disk now, not in the sync that ends the tail's
     * checkpoint (measured: up to 16 ms under the turn while a partner was purged); and the
     * frames written so far, not in the sync of the WAL that begins it (about 1 ms) */
    if (own->file->db_fd >= 0)
        fdatasync(own->file->db_fd);
    if (own->file->wal_fd >= 0)
        fdatasync(own->file->wal_fd);
    /* even when all was copied: a write in progress appends behind it, and the WAL starts over
     * only for a writer that begins when every frame is in the database file. The turn is
     * taken when it is free: waiting behind a writer would leave that writer's frames to copy
     * under the turn (measured: 1,000-2,000 frames, 15-23 ms, while a partner was purged) */
    if (!turn_try_take(own)) {
        if (frames < CHECKPOINT_FORCE)
            return;
        turn_take(own);
    }
    /* a commit since the last pass (a clock move's last slice, say) left more than the tail:
     * those frames go to the next checkpoint's passes, not under the turn (measured: 500-900
     * frames, 6-18 ms, while another partner's writes waited) */
    uint32_t last;
    if (frames < CHECKPOINT_FORCE && wal_last_frame(own->file, &last) &&
        (int64_t)last - copied > CHECKPOINT_TAIL) {
        turn_give_back(own);
        return;
    }
    sqlite3_wal_checkpoint_v2(own->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    turn_give_back(own);
}

/* The checkpointer's loop: a checkpoint (it never waits for, nor blocks, readers and
 * writers) every CHECKPOINT_EVERY_MS, until db_close of the first connection. */
static void *checkpoint_loop(void *arg)
{
    struct db *first = arg, *own = xcalloc(1, sizeof(*own));
    struct db_file *f = first->file;
    if (db_open_another(own, first)) { /* here, not before the server is ready */
        log_error("sqlite: the checkpointer cannot open a connection: the WAL grows until restart");
        free(own);
        return NULL;
    }
    pthread_mutex_lock(&f->lock);
    while (!f->stop_checkpointing) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += CHECKPOINT_EVERY_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&f->stop_changed, &f->lock, &until);
        if (f->stop_checkpointing)
            break;
        pthread_mutex_unlock(&f->lock);
        checkpoint(own);
        pthread_mutex_lock(&f->lock);
    }
    pthread_mutex_unlock(&f->lock);
    db_close(own);
    free(own);
    return NULL;
}

int db_checkpoint_in_background(struct db *first)
{
    struct db_file *f = first->file;
    if (!db_shareable(first) || f->checkpointing)
        return 0;
    f->checkpointing = true; /* before the thread reads it */
    if (f->db_fd < 0)
        f->db_fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (f->wal_fd < 0)
        f->wal_fd = open_beside(f, "-wal");
    if (pthread_create(&f->checkpointer, NULL, checkpoint_loop, first)) {
        f->checkpointing = false;
        return -1;
    }
    db_exec(first, "PRAGMA wal_autocheckpoint = 0");
    return 0;
}

static void checkpointer_stop(struct db_file *f)
{
    if (!f->checkpointing)
        return;
    pthread_mutex_lock(&f->lock);
    f->stop_checkpointing = true;
    pthread_cond_broadcast(&f->stop_changed);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->checkpointer, NULL);
    f->checkpointing = false;
}

int db_open_another(struct db *db, const struct db *first)
{
    memset(db, 0, sizeof(*db));
    db->file = first->file;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(first->file->path, &db->conn, flags, walbuf_vfs()) != SQLITE_OK) {
        log_error("sqlite: cannot open %s again: %s", first->file->path,
                  db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(db->conn, 5000);
    sqlite3_progress_handler(db->conn, SHARE_CPU_OPS, share_cpu, NULL);
    watch_rows(db);
    /* a smaller page cache than the first connection's: they share the OS page cache anyway */
    if (db_exec(
            db,
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; "
            "PRAGMA cache_size = -4096;") ||
        (first->file->checkpointing && db_exec(db, "PRAGMA wal_autocheckpoint = 0")))
        goto fail;
    return 0;
fail:
    db_close(db);
    return -1;
}

bool db_shareable(const struct db *db)
{
    const char *p = db->file->path;
    return strcmp(p, ":memory:") != 0 && strstr(p, "mode=memory") == NULL;
}

void db_close(struct db *db)
{
    for (int i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(db->stmts[i]);
    if (db->owns_file)
        checkpointer_stop(db->file);
    if (db->conn && sqlite3_close(db->conn) != SQLITE_OK)
        log_error("sqlite: close: %s", sqlite3_errmsg(db->conn));
    if (db->owns_file)
        db_file_free(db->file);
    free(db->packages_memo);
    memset(db, 0, sizeof(*db));
}

sqlite3_stmt *db_stmt(struct db *db, enum stmt_id id, const char *sql)
{
    sqlite3_stmt *st = db->stmts[id];
    if (st) {
        assert(db->sql[id] == sql || strcmp(db->sql[id], sql) == 0);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("sqlite: prepare: %s in: %s", sqlite3_errmsg(db->conn), sql);
        return NULL;
    }
    db->stmts[id] = st;
    db->sql[id] = sql;
    return st;
}

void db_done(sqlite3_stmt *stmt)
{
    if (stmt)
        sqlite3_reset(stmt);
}

void db_reset_all(struct db *db)
{
    sqlite3_stmt *st = NULL;
    while ((st = sqlite3_next_stmt(db->conn, st)))
        if (sqlite3_stmt_busy(st))
            sqlite3_reset(st);
}

int db_begin(struct db *db)
{
    turn_take(db);
    db->memo_gen++;
    if (exec_cached(db, STMT_TX_BEGIN, "BEGIN IMMEDIATE") == 0)
        return 0;
    turn_give_back(db);
    return -1;
}

int db_commit(struct db *db)
{
    int rc = exec_cached(db, STMT_TX_COMMIT, "COMMIT");
    if (sqlite3_get_autocommit(db->conn))
        turn_give_back(db); /* a failed COMMIT leaves the transaction open for the rollback */
    return rc;
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        db_exec(db, "ROLLBACK");
    turn_give_back(db);
}

int db_pause(struct db *db)
{
    if (db_commit(db)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int db_resume(struct db *db)
{
    return db_begin(db);
}

bool db_turn_wanted(struct db *db)
{
    struct db_file *f = db->file;
    pthread_mutex_lock(&f->lock);
    bool wanted = f->next_ticket > f->serving + 1;
    pthread_mutex_unlock(&f->lock);
    return wanted;
}

int db_yield(struct db *db)
{
    /* nobody of this process waits, and another process' writer has not waited long: go on in
     * the same transaction (each commit costs WAL writes and maybe a checkpoint) */
    if (!db_turn_wanted(db) && time_mono_us() - db->turn_since_us < DB_YIELD_AFTER_US)
        return 0;
    if (db_commit(db)) {
        db_rollback(db);
        return -1;
    }
    return db_begin(db); /* a new ticket: behind everyone who waited meanwhile */
}

enum db_result db_step_result(struct db *db, int rc)
{
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return DB_OK;
    if (rc == SQLITE_CONSTRAINT)
        return DB_CONFLICT;
    log_error("sqlite: %s", sqlite3_errmsg(db->conn));
    return DB_ERROR;
}

void db_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, index);
}

void db_bind_int_or_null(sqlite3_stmt *stmt, int index, int64_t value)
{
    if (value < 0)
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_int64(stmt, index, value);
}

char *db_column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    return t ? xstrndup((const char *)t, (size_t)sqlite3_column_bytes(stmt, col)) : NULL;
}

bool db_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t size)
{
    /* what snprintf(buf, size, "%s", t) did, without the format machinery: a clock move copies
     * eight text columns of each of its subscriptions */
    const char *t = (const char *)sqlite3_column_text(stmt, col);
    size_t n = t && size ? strnlen(t, size - 1) : 0;
    if (!size)
        return t != NULL;
    if (n)
        memcpy(buf, t, n);
    buf[n] = '\0';
    return t != NULL;
}

int64_t db_column_int_or(sqlite3_stmt *stmt, int col, int64_t null_value)
{
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
        return null_value;
    return sqlite3_column_int64(stmt, col);
}

enum db_result db_step_row(struct db *db, sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return DB_OK;
    if (rc == SQLITE_DONE)
        return DB_NOT_FOUND;
    return db_step_result(db, rc);
}

enum db_result db_step_done(struct db *db, sqlite3_stmt *stmt, bool need_change)
{
    enum db_result r = db_step_result(db, sqlite3_step(stmt));
    if (r == DB_OK && need_change && sqlite3_changes(db->conn) == 0)
        r = DB_NOT_FOUND;
    sqlite3_reset(stmt);
    return r;
}

/* Prepare `id` and bind the `n` strings of `ap` as ?1..?n. */
static sqlite3_stmt *bind_texts(struct db *db, enum stmt_id id, const char *sql, int n, va_list ap)
{
    sqlite3_stmt *st = db_stmt(db, id, sql);
    for (int i = 1; st && i <= n; i++)
        db_bind_text(st, i, va_arg(ap, const char *));
    return st;
}

enum db_result db_run_text(struct db *db, enum stmt_id id, const char *sql, bool need_change, int n,
                           ...)
{
    va_list ap;
    va_start(ap, n);
    sqlite3_stmt *st = bind_texts(db, id, sql, n, ap);
    va_end(ap);
    return st ? db_step_done(db, st, need_change) : DB_ERROR;
}

/* db_row_text() with its parameters as a va_list. */
static enum db_result row_text_v(struct db *db, enum stmt_id id, const char *sql,
                                 void (*read)(sqlite3_stmt *stmt, void *out), void *out, int n,
                                 va_list ap)
{
    sqlite3_stmt *st = bind_texts(db, id, sql, n, ap);
    if (!st)
        return DB_ERROR;
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK)
        read(st, out);
    db_done(st);
    return r;
}

enum db_result db_row_text(struct db *db, enum stmt_id id, const char *sql,
                           void (*read)(sqlite3_stmt *stmt, void *out), void *out, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    enum db_result r = row_text_v(db, id, sql, read, out, n, ap);
    va_end(ap);
    return r;
}

static void read_int(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

enum db_result db_int_text(struct db *db, enum stmt_id id, const char *sql, int64_t *out, int n,
                           ...)
{
    va_list ap;
    va_start(ap, n);
    enum db_result r = row_text_v(db, id, sql, read_int, out, n, ap);
    va_end(ap);
    return r;
}

static void read_text_dup(sqlite3_stmt *stmt, void *out)
{
    *(char **)out = db_column_dup(stmt, 0);
}

enum db_result db_setting_get(struct db *db, const char *key, char **value)
{
    *value = NULL;
    return db_row_text(db, STMT_SETTING_GET, "SELECT value FROM settings WHERE key = ?1",
                       read_text_dup, value, 1, key);
}

enum db_result db_setting_set(struct db *db, const char *key, const char *value)
{
    return db_run_text(db, STMT_SETTING_SET,
                       "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO "
                       "UPDATE SET value = excluded.value",
                       false, 2, key, value);
}
