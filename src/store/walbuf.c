/* A VFS that gathers each WAL commit into one write (see walbuf.h). */
#include "store/walbuf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/util.h"

#define FRAME_HEADER 24 /* a WAL frame header (sqlite.org/fileformat2.html#walformat) */

/* A WAL file: our methods over the default VFS's file, which follows this struct in the same
 * allocation (sqlite3_vfs.szOsFile covers both). */
struct walbuf_file {
    sqlite3_file base;
    sqlite3_file *sub;
    char *buf; /* WALBUF_SIZE bytes, allocated on the first write */
    size_t len;
    sqlite3_int64 off;   /* where buf[0] goes in the file */
    bool commit_pending; /* the last write was a commit frame's header: its page ends it */
};

static sqlite3_vfs walbuf;
static sqlite3_vfs *parent;
static pthread_once_t registered = PTHREAD_ONCE_INIT;
static bool usable;

static int flush(struct walbuf_file *p)
{
    if (!p->len)
        return SQLITE_OK;
    int rc = p->sub->pMethods->xWrite(p->sub, p->buf, (int)p->len, p->off);
    p->len = 0;
    return rc;
}

/* A commit frame's header: bytes 4..7 hold the database size in pages, zero in other frames. */
static bool commit_header(const void *data, int amt, sqlite3_int64 ofst)
{
    const unsigned char *h = data;
    return amt == FRAME_HEADER && ofst > 0 && (h[4] | h[5] | h[6] | h[7]) != 0;
}

static int wal_write(sqlite3_file *f, const void *data, int amt, sqlite3_int64 ofst)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    cpu_share(); /* a large commit: milliseconds of copying */
    bool ends_commit = p->commit_pending;
    p->commit_pending = false;
    if (p->len && ofst == p->off + (sqlite3_int64)p->len && p->len + (size_t)amt <= WALBUF_SIZE) {
        memcpy(p->buf + p->len, data, (size_t)amt);
        p->len += (size_t)amt;
    } else {
        int rc = flush(p);
        if (rc != SQLITE_OK)
            return rc;
        if (!p->buf && (size_t)amt < WALBUF_SIZE)
            p->buf = malloc(WALBUF_SIZE);
        if (!p->buf || (size_t)amt >= WALBUF_SIZE)
            return p->sub->pMethods->xWrite(p->sub, data, amt, ofst);
        memcpy(p->buf, data, (size_t)amt);
        p->len = (size_t)amt;
        p->off = ofst;
    }
    if (ends_commit)
        return flush(p);
    p->commit_pending = commit_header(data, amt, ofst);
    return SQLITE_OK;
}

static int wal_close(sqlite3_file *f)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    int rc2 = p->sub->pMethods->xClose(p->sub);
    free(p->buf);
    p->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wal_read(sqlite3_file *f, void *data, int amt, sqlite3_int64 ofst)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    cpu_share(); /* the checkpointer copies frame after frame, with no SQL to share the CPU */
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xRead(p->sub, data, amt, ofst);
}

static int wal_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xTruncate(p->sub, size);
}

static int wal_sync(sqlite3_file *f, int flags)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xSync(p->sub, flags);
}

static int wal_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xFileSize(p->sub, size);
}

static int wal_lock(sqlite3_file *f, int level)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xLock(p->sub, level);
}

static int wal_unlock(sqlite3_file *f, int level)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xUnlock(p->sub, level);
}

static int wal_check_reserved(sqlite3_file *f, int *out)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    return p->sub->pMethods->xCheckReservedLock(p->sub, out);
}

static int wal_file_control(sqlite3_file *f, int op, void *arg)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    int rc = flush(p);
    return rc != SQLITE_OK ? rc : p->sub->pMethods->xFileControl(p->sub, op, arg);
}

static int wal_sector_size(sqlite3_file *f)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    return p->sub->pMethods->xSectorSize(p->sub);
}

static int wal_device(sqlite3_file *f)
{
    struct walbuf_file *p = (struct walbuf_file *)f;
    return p->sub->pMethods->xDeviceCharacteristics(p->sub);
}

/* Version 1: SQLite maps no shared memory and no pages through a WAL file. */
static const sqlite3_io_methods wal_methods = {
    .iVersion = 1,
    .xClose = wal_close,
    .xRead = wal_read,
    .xWrite = wal_write,
    .xTruncate = wal_truncate,
    .xSync = wal_sync,
    .xFileSize = wal_file_size,
    .xLock = wal_lock,
    .xUnlock = wal_unlock,
    .xCheckReservedLock = wal_check_reserved,
    .xFileControl = wal_file_control,
    .xSectorSize = wal_sector_size,
    .xDeviceCharacteristics = wal_device,
};

/* Files other than WALs are the default VFS's own, opened in place. */
static int walbuf_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
                       int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL))
        return parent->xOpen(parent, name, f, flags, out_flags);
    struct walbuf_file *p = (struct walbuf_file *)f;
    memset(p, 0, sizeof(*p));
    p->sub = (sqlite3_file *)(p + 1);
    int rc = parent->xOpen(parent, name, p->sub, flags, out_flags);
    if (rc != SQLITE_OK || !p->sub->pMethods) {
        if (p->sub->pMethods)
            p->sub->pMethods->xClose(p->sub);
        p->base.pMethods = NULL; /* nothing for SQLite to close */
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    p->base.pMethods = &wal_methods;
    return SQLITE_OK;
}

/* Every other method is the default VFS's: they read no more of the sqlite3_vfs than the
 * copied fields (pAppData, mxPathname). */
static void register_vfs(void)
{
    parent = sqlite3_vfs_find(NULL);
    if (!parent)
        return;
    walbuf = *parent;
    walbuf.zName = "mock3as-walbuf";
    walbuf.szOsFile = (int)sizeof(struct walbuf_file) + parent->szOsFile;
    walbuf.xOpen = walbuf_open;
    walbuf.pNext = NULL;
    usable = sqlite3_vfs_register(&walbuf, 0) == SQLITE_OK;
}

const char *walbuf_vfs(void)
{
    pthread_once(&registered, register_vfs);
    return usable ? walbuf.zName : NULL;
}
