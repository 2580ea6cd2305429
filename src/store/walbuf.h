/* An SQLite VFS that writes each WAL commit with one system call.
 *
 * SQLite writes a WAL frame as two writes (its 24-byte header, then the page), so a commit of
 * n pages costs 2n pwrite calls, each a full system call on this path. This VFS wraps the
 * default one and, for WAL files only, gathers the writes that continue one another in a
 * buffer and hands them to the file in one write when the commit frame (the frame whose header
 * carries the database size) has been written, and before anything else touches the file
 * (a read, a truncate, a sync, a size query, a lock, a close). So a commit's frames are in
 * the file before the commit returns and before SQLite publishes the new frames in the
 * wal-index: other connections and processes see exactly what they saw before, and every
 * acknowledged write is in the operating system's hands as before (kill -9 loses none).
 * Errors of the gathered write are the commit's errors. Database, journal and temporary
 * files go straight to the default VFS. */
#ifndef MOCK3AS_WALBUF_H
#define MOCK3AS_WALBUF_H

/* Bytes gathered at most before they are written anyway: under the 128 KiB that the default
 * (unix) VFS writes per call (its seekAndWrite masks the length with 0x1ffff). */
#define WALBUF_SIZE (127 * 1024)

/* The VFS's name for sqlite3_open_v2, registered on the first call (thread-safe); NULL when
 * it could not be (then the default VFS serves). */
const char *walbuf_vfs(void);

#endif
