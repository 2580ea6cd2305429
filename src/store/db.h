/* The SQLite connection: opening with the house pragmas, migrations, a cache of prepared
 * statements indexed by enum stmt_id, and transactions. One connection per server thread. */
#ifndef MOCK3AS_DB_H
#define MOCK3AS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* The outcome of a store call. */
enum db_result { DB_OK, DB_NOT_FOUND, DB_CONFLICT, DB_ERROR };

/* Every cached statement. The SQL text sits next to its one use, in the *_db.c files. */
#define FOR_EACH_STMT(X)                                                                           \
    X(INTP_INSERT)                                                                                 \
    X(INTP_GET)                                                                                    \
    X(INTP_MODEL)                                                                                  \
    X(INTP_LIST)                                                                                   \
    X(INTP_DELETE)                                                                                 \
    X(INTP_WIPE_PACKAGES)                                                                          \
    X(INTP_WIPE_CUSTOMERS)                                                                         \
    X(PACKAGE_INSERT)                                                                              \
    X(PACKAGE_GET)                                                                                 \
    X(PACKAGE_GET_DEFAULT)                                                                         \
    X(PACKAGE_RENAME)                                                                              \
    X(PACKAGE_LIST)                                                                                \
    X(PACKAGE_LIST_FOR)                                                                            \
    X(PACKAGE_ASSIGNMENTS)                                                                         \
    X(PACKAGE_ASSIGN)                                                                              \
    X(PACKAGE_ASSIGNED)                                                                            \
    X(PACKAGE_UNASSIGN)                                                                            \
    X(CUSTOMER_INSERT)                                                                             \
    X(CUSTOMER_GET)                                                                                \
    X(CUSTOMER_GET_BY_ID)                                                                          \
    X(CUSTOMER_GET_BY_EMAIL)                                                                       \
    X(CUSTOMER_LIST)                                                                               \
    X(CUSTOMER_COUNT)                                                                              \
    X(CUSTOMER_DELETE)                                                                             \
    X(SUBSCRIPTION_INSERT)                                                                         \
    X(SUBSCRIPTION_OF_CUSTOMER)                                                                    \
    X(SUBSCRIPTION_GET)                                                                            \
    X(SUBSCRIPTION_UPDATE)                                                                         \
    X(SUBSCRIPTION_DUE)                                                                            \
    X(SUBSCRIPTION_NEXT_DUE)                                                                       \
    X(USAGE_RESET)                                                                                 \
    X(USAGE_RESET_MANY)                                                                            \
    X(USAGE_IN_USE)                                                                                \
    X(USAGE_ADD)                                                                                   \
    X(EVENT_INSERT)                                                                                \
    X(EVENT_INSERT_KEYED)                                                                          \
    X(EVENT_LIST)                                                                                  \
    X(INTP_CLOCK_GET)                                                                              \
    X(INTP_CLOCK_SET)                                                                              \
    X(WEBSITE_INSERT)                                                                              \
    X(WEBSITE_GET)                                                                                 \
    X(WEBSITE_VIEW)                                                                                \
    X(WEBSITE_VIEW_BY_UUID)                                                                        \
    X(WEBSITE_VIEW_LIST)                                                                           \
    X(WEBSITE_VIEW_LIST_BY_CUSTOMER)                                                               \
    X(WEBSITE_COUNT)                                                                               \
    X(WEBSITE_COUNT_BY_CUSTOMER)                                                                   \
    X(WEBSITE_DELETE)                                                                              \
    X(DOMAIN_ADD)                                                                                  \
    X(DOMAIN_REMOVE)                                                                               \
    X(DOMAIN_LIST)                                                                                 \
    X(APIKEY_INSERT)                                                                               \
    X(APIKEY_LIST)                                                                                 \
    X(APIKEY_DELETE)                                                                               \
    X(APIKEY_FIND)                                                                                 \
    X(REFRESH_INSERT)                                                                              \
    X(REFRESH_FIND)                                                                                \
    X(SETTING_GET)                                                                                 \
    X(SETTING_SET)                                                                                 \
    X(CONTRIBUTOR_UPSERT)                                                                          \
    X(CONTRIBUTOR_DELETE)                                                                          \
    X(CONTRIBUTOR_LIST)                                                                            \
    X(CONTRIBUTOR_ROLE)                                                                            \
    X(INTP_MARK_DELETED)                                                                           \
    X(INTP_TOMBSTONES)                                                                             \
    X(INTP_IS_TOMBSTONE)                                                                           \
    X(INTP_PURGE_ROW)                                                                              \
    X(PURGE_SUBSCRIPTIONS)                                                                         \
    X(PURGE_SUBSCRIPTION)                                                                          \
    X(PURGE_SUBSCRIPTION_EVENTS)                                                                   \
    X(PURGE_WEBSITES)                                                                              \
    X(PURGE_WEBSITE)                                                                               \
    X(PURGE_WEBSITE_REFRESH)                                                                       \
    X(PURGE_WEBSITE_KEYS)                                                                          \
    X(PURGE_WEBSITE_DOMAINS)                                                                       \
    X(PURGE_WEBSITE_CONTRIBUTORS)                                                                  \
    X(PURGE_WEBSITE_ASSIGNMENTS)                                                                   \
    X(PURGE_CUSTOMERS)                                                                             \
    X(PURGE_CUSTOMER)                                                                              \
    X(PURGE_CUSTOMER_CONTRIBUTORS)                                                                 \
    X(PURGE_CUSTOMER_ASSIGNMENTS)                                                                  \
    X(PURGE_PACKAGES)                                                                              \
    X(PURGE_PACKAGE)                                                                               \
    X(PURGE_PACKAGE_ASSIGNMENTS)                                                                   \
    X(PURGE_TOTALS)                                                                                \
    X(PURGE_TOTAL)                                                                                 \
    X(SUBSCRIPTION_UPDATE_PERIOD)                                                                  \
    X(SUBSCRIPTION_INSERT_PERIOD)                                                                  \
    X(FAULT_INSERT)                                                                                \
    X(FAULT_COUNT)                                                                                 \
    X(FAULT_LIST)                                                                                  \
    X(FAULT_LIST_ALL)                                                                              \
    X(FAULT_DELETE)                                                                                \
    X(FAULT_CLEAR)                                                                                 \
    X(FAULT_TAKE_TURN)                                                                             \
    X(FAULT_FIRED)                                                                                 \
    X(TX_BEGIN)                                                                                    \
    X(TX_COMMIT)                                                                                   \
    X(TX_SAVEPOINT)                                                                                \
    X(TX_ROLLBACK_TO)                                                                              \
    X(TX_RELEASE)

#define STMT_ENUM(name) STMT_##name,
enum stmt_id { FOR_EACH_STMT(STMT_ENUM) STMT__COUNT };
#undef STMT_ENUM

/* What every connection of this process to one database file shares: the turn to write (a FIFO
 * ticket lock, so that writers of this process queue in order instead of polling SQLite's busy
 * handler) and the change watch (store/db_watch.h). Owned by the connection db_open() made. */
struct db_file;

struct db {
    sqlite3 *conn;
    struct db_file *file;
    sqlite3_stmt *stmts[STMT__COUNT];
    const char *sql[STMT__COUNT]; /* the text each slot was prepared from */
    bool was_new;                 /* db_open() created the schema (this process) */
    bool owns_file;               /* made by db_open(), not db_open_another() */
    bool has_turn;                /* holds the write turn (between db_begin and commit/rollback) */
    int64_t turn_since_us;        /* when it took the turn (monotonic) */
    uint64_t memo_gen;            /* see db_memo_gen() */
    void *packages_memo;          /* store/packages_db.c's, freed by db_close() */
};

/* Open `path` (or ":memory:"), set foreign_keys=ON, journal_mode=WAL, synchronous=NORMAL and a
 * busy timeout, then apply every embedded schema/NNN_*.sql above PRAGMA user_version, each in its
 * own transaction. Returns 0, or -1 after logging why (db is then released). */
int db_open(struct db *db, const char *path);

/* Open one more connection to the database `first` opened (for another thread: a connection is
 * used by one thread at a time), sharing its write turn and change watch. No migrations. Returns
 * 0, or -1 (logged). Close it before `first`. */
int db_open_another(struct db *db, const struct db *first);

/* Start a thread with its own connection that checkpoints the WAL every 50 ms, and
 * turn the automatic checkpoint of `first` and of the connections opened after this call off:
 * a COMMIT then never copies the WAL into the database file while holding the write lock. It
 * stops in db_close(first). Nothing for ":memory:". Returns 0, or -1 (logged; the automatic
 * checkpoint stays on). */
int db_checkpoint_in_background(struct db *first);

/* Whether more than one connection may be opened: false for ":memory:" (each connection would be
 * its own empty database). */
bool db_shareable(const struct db *db);

/* A number that changes whenever anything was committed to the database since the last call,
 * by any connection of any process (read from SQLite's WAL index in shared memory: no system
 * call). Answers computed from the database while the epoch stays the same are still right.
 * 0 when changes cannot be watched (":memory:", no WAL index): then nothing may be cached. */
uint64_t db_change_epoch(struct db *db);

/* Inside a transaction of this connection begun by db_begin(): a number that stays the same as
 * long as what the transaction read of the tables in DB_MEMO_TABLES is still what it would
 * read again. It changes when a row of one of them is written (SQLite's update hook, cascades
 * included), at a savepoint's rollback, and when a transaction begins (once it has ended, the
 * connection no longer holds the turn, and the number is 0); no other process writes while
 * this one holds the write lock. So a store may keep such a read for the
 * rest of the transaction (store/packages_db.c: the default packages that every create looks
 * up). Outside such a transaction, 0: keep nothing. */
#define DB_MEMO_TABLES "packages"
uint64_t db_memo_gen(struct db *db);

/* Finalize the cached statements and close the connection. */
void db_close(struct db *db);

/* The cached statement for `id`, prepared from `sql` on first use, reset with its bindings
 * cleared. Borrowed: call db_done() when finished with it. NULL (logged) on a prepare error. */
sqlite3_stmt *db_stmt(struct db *db, enum stmt_id id, const char *sql);

/* Reset `stmt` so that it holds no read transaction open. NULL is fine. */
void db_done(sqlite3_stmt *stmt);

/* Reset every statement of the connection that is still mid-step (end of request safety net). */
void db_reset_all(struct db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return 0, or -1 (logged). db_begin() first waits for this
 * process' write turn (FIFO among its connections); commit and rollback give it back. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

#define DB_YIELD_AFTER_US                                                                          \
    20000 /* a slice of long work holds the write lock at most this long                           \
             while no writer of this process waits */

/* Let other writers in, if any wait: commit the open transaction and begin the next one after
 * the writers of this process that were waiting have had their turn. Long work (a clock catch-up
 * over many subscriptions, a partner purge) calls it between bounded steps, so it holds the
 * write lock only while nobody waits, or for DB_YIELD_AFTER_US at most (another process'
 * writers are not seen, only bounded). When nobody waits and the time has not run out it does
 * nothing (the work goes on in the same transaction). Returns 0, or -1 (logged; no transaction
 * is open then). */
int db_yield(struct db *db);

/* Whether a writer of this process waits for the write turn: long work may end its step early
 * and db_yield(). */
bool db_turn_wanted(struct db *db);

/* db_yield() in two halves, for slow work that needs no database inside a writing route (an RSA
 * key generated for onboarding): db_pause commits what was done so far and gives the write lock
 * back; db_resume begins the next transaction. Return 0, or -1 (logged; after a failed pause no
 * transaction is open, and db_resume must not be called). */
int db_pause(struct db *db);
int db_resume(struct db *db);

/* Run SQL text with no results (several statements allowed). Returns 0, or -1 (logged). */
int db_exec(struct db *db, const char *sql);

/* Inside a transaction, one request of a group commit: db_savepoint marks where it starts;
 * db_savepoint_end keeps what it did (keep) or undoes it back to the mark, and drops the mark.
 * Prepared once per connection. db_savepoint returns 0, or -1 (logged). */
int db_savepoint(struct db *db);
void db_savepoint_end(struct db *db, bool keep);

/* The mock's own settings (a key-value table): a new copy of `key`'s value into *value (the
 * caller frees), or DB_NOT_FOUND. */
enum db_result db_setting_get(struct db *db, const char *key, char **value);
enum db_result db_setting_set(struct db *db, const char *key, const char *value);

/* Map the result code of a final sqlite3_step() of an INSERT/UPDATE/DELETE. */
enum db_result db_step_result(struct db *db, int rc);

/* Bind a C string, or NULL as SQL NULL, at 1-based `index`. */
void db_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Bind `value`, or SQL NULL when it is negative (the "none" of times, levels, cents). */
void db_bind_int_or_null(sqlite3_stmt *stmt, int index, int64_t value);

/* A new copy of column `col` as text; NULL for SQL NULL. The caller frees. */
char *db_column_dup(sqlite3_stmt *stmt, int col);

/* Copy column `col` as text into buf[size] (truncated to fit; "" for NULL). Returns whether
 * the column was non-NULL. */
bool db_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t size);

/* Column `col` as an integer, or `null_value` when it is NULL. */
int64_t db_column_int_or(sqlite3_stmt *stmt, int col, int64_t null_value);

/* Step a single-row SELECT: DB_OK with the row ready, DB_NOT_FOUND, or DB_ERROR (logged). */
enum db_result db_step_row(struct db *db, sqlite3_stmt *stmt);

/* Run cached statement `id` (prepared from `sql`) with the `n` text parameters that follow as
 * ?1..?n (NULL binds SQL NULL) to completion: the db_step_done() result. */
enum db_result db_run_text(struct db *db, enum stmt_id id, const char *sql, bool need_change, int n,
                           ...);

/* Run a single-row query the same way and hand its row to `read(stmt, out)`: DB_OK,
 * DB_NOT_FOUND (read not called) or DB_ERROR. */
enum db_result db_row_text(struct db *db, enum stmt_id id, const char *sql,
                           void (*read)(sqlite3_stmt *stmt, void *out), void *out, int n, ...);

/* Run a single-row, single-column query the same way and read its integer into *out. */
enum db_result db_int_text(struct db *db, enum stmt_id id, const char *sql, int64_t *out, int n,
                           ...);

/* Step an INSERT/UPDATE/DELETE to completion and reset it: DB_OK, DB_NOT_FOUND when it
 * changed no row and `need_change` is set, DB_CONFLICT on a constraint, or DB_ERROR. */
enum db_result db_step_done(struct db *db, sqlite3_stmt *stmt, bool need_change);

#endif
