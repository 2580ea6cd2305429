/* Store of partner snapshots: every row a partner owns, table by table and column by column,
 * read inside one read transaction and written back inside the caller's; and a consistent copy
 * of the whole database file. The tables and columns are data (snapshot_tables), so the
 * snapshot format follows the schema: tests/unit/test_snapshot_db.c fails when a migration adds
 * a column or a partner-owned table this file does not list. SQL only. */
#ifndef MOCK3AS_SNAPSHOT_DB_H
#define MOCK3AS_SNAPSHOT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* The bytes of a stored hash (API keys, refresh tokens: SHA-256). */
#define SNAPSHOT_HASH_SIZE 32

/* The partner-owned tables in the order they are restored (every reference points to a table
 * before it, except websites.subscription_id, which has no foreign key): enum value, the SQL
 * table. The partner's own row comes first. */
#define FOR_EACH_SNAPSHOT_TABLE(X)                                                                 \
    X(SNAP_INTPS, "intps")                                                                         \
    X(SNAP_PACKAGES, "packages")                                                                   \
    X(SNAP_CUSTOMERS, "customers")                                                                 \
    X(SNAP_WEBSITES, "websites")                                                                   \
    X(SNAP_SUBSCRIPTIONS, "subscriptions")                                                         \
    X(SNAP_EVENTS, "subscription_events")                                                          \
    X(SNAP_WHITELIST, "whitelisted_domains")                                                       \
    X(SNAP_API_KEYS, "api_keys")                                                                   \
    X(SNAP_REFRESH_TOKENS, "refresh_tokens")                                                       \
    X(SNAP_CONTRIBUTORS, "contributors")                                                           \
    X(SNAP_ASSIGNMENTS, "package_assignments")

#define SNAP_TABLE_ENUM(id, name) id,
enum snapshot_table_id { FOR_EACH_SNAPSHOT_TABLE(SNAP_TABLE_ENUM) SNAP__TABLES, SNAP_NO_REF };
#undef SNAP_TABLE_ENUM

/* How a column is stored (and written in JSON by admin/snapshot.c). */
enum snapshot_kind {
    SNAP_TEXT, /* TEXT */
    SNAP_INT,  /* INTEGER */
    SNAP_BOOL, /* INTEGER 0 or 1 */
    SNAP_TIME, /* INTEGER unix seconds, >= 0 */
    SNAP_HASH, /* BLOB of SNAPSHOT_HASH_SIZE bytes */
};

struct snapshot_column {
    const char *name; /* the SQL column */
    enum snapshot_kind kind;
    bool nullable;
    enum snapshot_table_id ref; /* the table whose "id" the value names, or SNAP_NO_REF */
    const char *const *allowed; /* SNAP_TEXT: the values allowed (NULL-terminated), or NULL */
};

struct snapshot_table {
    const char *name;   /* in a snapshot (camelCased: its member) and in messages */
    const char *source; /* the table or view its rows are read from and written to */
    const char *owned;  /* SQL condition on its rows (alias t) selecting partner ?1's */
    bool has_intp_id;   /* an intp_id column (not listed), set to the partner restored into */
    bool global_id;     /* column 0 is "id", a primary key unique across partners */
    const struct snapshot_column *columns;
    size_t ncolumns;
    const char *order; /* the insertion order of its rows (alias t) */
};

/* Every table of a snapshot, indexed by enum snapshot_table_id. Columns the snapshot leaves
 * out: the intp_id of each row (implied), subscriptions_full.seq (the subscription's rowid) and
 * next_due_at (computed from the others; subscriptions_full is a view of subscriptions and
 * subscription_periods, schema/012),
 * subscription_events.id (the history's rowid: the events keep their order, not their numbers;
 * subscription_events is a view of subscription_history, schema/011) and
 * intps.deleted_at (a deleted partner has no snapshot; a restored one is live). */
extern const struct snapshot_table snapshot_tables[SNAP__TABLES];

/* One value of a row. */
struct snapshot_value {
    bool null;
    int64_t i; /* SNAP_INT, SNAP_BOOL, SNAP_TIME */
    char *s;   /* owned: SNAP_TEXT the text, SNAP_HASH its SNAPSHOT_HASH_SIZE bytes */
};

/* The rows of one table, each `ncolumns` values in column order. */
struct snapshot_rows {
    struct snapshot_value *values;
    size_t nrows;
    size_t alloc; /* capacity, in values */
};

/* A partner's whole state. Zero-initialise; snapshot_release() frees it. */
struct snapshot {
    struct snapshot_rows tables[SNAP__TABLES];
};

/* Free every value of `s` and make it empty again. */
void snapshot_release(struct snapshot *s);

/* Append a row of all-NULL values to table `t` and return its first value (borrowed: valid
 * until the next append to that table). */
struct snapshot_value *snapshot_row_add(struct snapshot *s, enum snapshot_table_id t);

/* The values of row `row` of table `t`. */
struct snapshot_value *snapshot_row(const struct snapshot *s, enum snapshot_table_id t, size_t row);

/* Read every row partner `id` owns into *out (empty at first; the caller releases it), in
 * insertion order, inside one read transaction of its own (no transaction may be open).
 * DB_NOT_FOUND when no partner has that id. */
enum db_result snapshot_db_read(struct db *db, const char *id, struct snapshot *out);

/* What a restore refused: the row (and column, or -1 for the row as a whole) and why. */
struct snapshot_fault {
    enum snapshot_table_id table;
    size_t row;
    int column;
    bool duplicate; /* a unique value another row (maybe another partner's) holds */
    char message[256];
};

/* Check that every reference of `s` names a row of `s` (value of a column with `ref` equal to
 * the "id" of a row of that table), and that there is exactly one partner row. 0, or -1 with
 * *fault filled. Pure. */
int snapshot_check(const struct snapshot *s, struct snapshot_fault *fault);

/* Replace everything partner `id` owns by `s` (whose partner row's id is ignored: `id` is
 * written), inside the caller's transaction; the partner is created when it does not exist,
 * *existed says which. DB_OK; DB_CONFLICT with *fault (snapshot_check() refused, or the schema
 * refused a value); DB_ERROR (logged). The caller rolls back on anything but DB_OK. */
enum db_result snapshot_db_restore(struct db *db, const char *id, const struct snapshot *s,
                                   bool *existed, struct snapshot_fault *fault);

/* The column of table `t` that an SQLite constraint message ("UNIQUE constraint failed:
 * customers.intp_id, customers.email") names first, leaving intp_id out; -1 when none. Pure. */
int snapshot_fault_column(enum snapshot_table_id t, const char *message);

/* A consistent copy of the whole database (VACUUM INTO a temporary file, read back, removed)
 * into a new buffer *bytes of *len bytes (the caller frees). Outside any transaction. DB_OK or
 * DB_ERROR (logged). */
enum db_result snapshot_db_backup(struct db *db, char **bytes, size_t *len);

#endif
