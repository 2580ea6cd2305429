/* Store of partner snapshots and of the database backup: SQL only. The SELECT and INSERT of each
 * table are built from snapshot_tables, so they cannot drift from the column lists. */
#include "store/snapshot_db.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/events_db.h"
#include "store/intps_db.h"
#include "store/subscriptions_db.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

/* ---- the tables ---- */

static const char *const subscription_types[] = {"website", "intpc", NULL};
static const char *const billing_modes[] = {"company_managed", "platform_managed", NULL};
static const char *const currencies[] = {"EUR", "USD", "RON", NULL};
static const char *const periods[] = {"monthly", "yearly", NULL};
static const char *const visibilities[] = {"public", "restricted", NULL};
static const char *const roles[] = {"editor", "watcher", "dashboard", NULL};
#define STATUS_TEXT(id, text) text,
static const char *const statuses[] = {FOR_EACH_SUB_STATUS(STATUS_TEXT) NULL};
#define ACTION_TEXT(id, text, resets, folds) text,
static const char *const actions[] = {FOR_EACH_SUB_EVENT(ACTION_TEXT) NULL};

/* clang-format off */
#define COL(name, kind)       {name, kind, false, SNAP_NO_REF, NULL}
#define COL_NULL(name, kind)  {name, kind, true, SNAP_NO_REF, NULL}
#define ENUM(name, allowed)   {name, SNAP_TEXT, false, SNAP_NO_REF, allowed}
#define REF(name, table)      {name, SNAP_TEXT, false, table, NULL}
#define REF_NULL(name, table) {name, SNAP_TEXT, true, table, NULL}

static const struct snapshot_column intp_columns[] = {
    COL("id", SNAP_TEXT), COL("name", SNAP_TEXT), COL("address", SNAP_TEXT),
    ENUM("subscription_type", subscription_types), ENUM("billing_mode", billing_modes),
    COL("website_onboarding", SNAP_BOOL), COL("public_key", SNAP_TEXT),
    COL_NULL("private_key", SNAP_TEXT), COL("created_at", SNAP_TIME),
    COL("clock_offset", SNAP_INT), COL_NULL("clock_frozen_at", SNAP_TIME),
};
static const struct snapshot_column package_columns[] = {
    COL("id", SNAP_TEXT), COL("name", SNAP_TEXT), COL("price_cents", SNAP_INT),
    ENUM("currency", currencies), ENUM("period", periods), COL("touchpoints", SNAP_INT),
    COL("recommended", SNAP_BOOL), ENUM("visibility", visibilities),
    COL_NULL("external_id", SNAP_TEXT), COL("is_default", SNAP_BOOL),
    COL_NULL("catalogue_key", SNAP_TEXT), COL("created_at", SNAP_TIME),
};
static const struct snapshot_column customer_columns[] = {
    COL("id", SNAP_TEXT), COL("intp_customer_id", SNAP_TEXT), COL("email", SNAP_TEXT),
    COL("created_at", SNAP_TIME),
};
static const struct snapshot_column website_columns[] = {
    COL("id", SNAP_TEXT), COL("intp_website_id", SNAP_TEXT),
    REF("customer_id", SNAP_CUSTOMERS), COL("domain", SNAP_TEXT),
    COL_NULL("privacy_level", SNAP_INT), REF("subscription_id", SNAP_SUBSCRIPTIONS),
    COL("created_at", SNAP_TIME), COL("visits", SNAP_INT), COL("visit_events", SNAP_INT),
    COL("session_recordings", SNAP_INT), COL("heatmap_increments", SNAP_INT),
    COL("poll_answers", SNAP_INT), COL("survey_answers", SNAP_INT),
    COL("funnel_matches", SNAP_INT),
};
static const struct snapshot_column subscription_columns[] = {
    COL("id", SNAP_TEXT), ENUM("type", subscription_types),
    REF_NULL("website_id", SNAP_WEBSITES), REF_NULL("customer_id", SNAP_CUSTOMERS),
    REF("package_id", SNAP_PACKAGES), ENUM("status", statuses),
    COL("billing_anchor", SNAP_TIME), COL("period_start", SNAP_TIME),
    COL("expires_at", SNAP_TIME), COL("stp_reset_at", SNAP_TIME),
    COL_NULL("last_package_change_at", SNAP_TIME), COL("in_trial", SNAP_BOOL),
    COL("had_trial", SNAP_BOOL), COL_NULL("trial_ends_at", SNAP_TIME),
    REF_NULL("trial_fallback_id", SNAP_PACKAGES), REF_NULL("planned_package_id", SNAP_PACKAGES),
    COL("created_at", SNAP_TIME),
};
static const struct snapshot_column event_columns[] = {
    REF("subscription_id", SNAP_SUBSCRIPTIONS), COL("at", SNAP_TIME), ENUM("action", actions),
    REF_NULL("from_package_id", SNAP_PACKAGES), REF_NULL("to_package_id", SNAP_PACKAGES),
    {"status_before", SNAP_TEXT, true, SNAP_NO_REF, statuses}, ENUM("status_after", statuses),
    COL_NULL("credit_cents", SNAP_INT), COL_NULL("charge_cents", SNAP_INT),
    COL("periods", SNAP_INT), COL_NULL("until_at", SNAP_TIME),
};
static const struct snapshot_column whitelist_columns[] = {
    REF("website_id", SNAP_WEBSITES), COL("domain", SNAP_TEXT), COL("created_at", SNAP_TIME),
};
static const struct snapshot_column api_key_columns[] = {
    COL("id", SNAP_TEXT), REF("website_id", SNAP_WEBSITES), COL("name", SNAP_TEXT),
    COL("comment", SNAP_TEXT), COL("key_hash", SNAP_HASH), COL("created_at", SNAP_TIME),
    COL_NULL("expires_at", SNAP_TIME),
};
static const struct snapshot_column refresh_token_columns[] = {
    COL("token_hash", SNAP_HASH), REF("website_id", SNAP_WEBSITES),
    REF("api_key_id", SNAP_API_KEYS), COL("created_at", SNAP_TIME), COL("expires_at", SNAP_TIME),
};
static const struct snapshot_column contributor_columns[] = {
    REF("website_id", SNAP_WEBSITES), REF("customer_id", SNAP_CUSTOMERS), ENUM("role", roles),
    COL("created_at", SNAP_TIME),
};
static const struct snapshot_column assignment_columns[] = {
    REF("package_id", SNAP_PACKAGES), REF_NULL("website_id", SNAP_WEBSITES),
    REF_NULL("customer_id", SNAP_CUSTOMERS), COL("created_at", SNAP_TIME),
};

#define BY_PARTNER "t.intp_id = ?1"
#define BY_WEBSITE "t.website_id IN (SELECT id FROM websites WHERE intp_id = ?1)"
#define TABLE(name, owned, has_intp_id, global_id, columns) \
    {name, name, owned, has_intp_id, global_id, columns, ARRAY_SIZE(columns), "t.rowid"}
/* a view, with no rowid: ordered by one of its columns */
#define VIEW(name, view, owned, has_intp_id, global_id, columns, order) \
    {name, view, owned, has_intp_id, global_id, columns, ARRAY_SIZE(columns), order}

const struct snapshot_table snapshot_tables[SNAP__TABLES] = {
    [SNAP_INTPS] = TABLE("intps", "t.id = ?1", false, false, intp_columns),
    [SNAP_PACKAGES] = TABLE("packages", BY_PARTNER, true, true, package_columns),
    [SNAP_CUSTOMERS] = TABLE("customers", BY_PARTNER, true, true, customer_columns),
    [SNAP_WEBSITES] = TABLE("websites", BY_PARTNER, true, true, website_columns),
    [SNAP_SUBSCRIPTIONS] = VIEW("subscriptions", "subscriptions_full", BY_PARTNER, true, true,
                                subscription_columns, "t.seq"),
    [SNAP_EVENTS] = VIEW("subscription_events", "subscription_events",
                          "t.subscription_id IN (SELECT id FROM subscriptions WHERE intp_id = ?1)",
                          false, false, event_columns, "t.id"),
    [SNAP_WHITELIST] = TABLE("whitelisted_domains", BY_WEBSITE, false, false, whitelist_columns),
    [SNAP_API_KEYS] = TABLE("api_keys", BY_WEBSITE, false, true, api_key_columns),
    [SNAP_REFRESH_TOKENS] = TABLE("refresh_tokens", BY_WEBSITE, false, false,
                                  refresh_token_columns),
    [SNAP_CONTRIBUTORS] = TABLE("contributors", BY_WEBSITE, false, false, contributor_columns),
    [SNAP_ASSIGNMENTS] = TABLE("package_assignments",
                               "t.package_id IN (SELECT id FROM packages WHERE intp_id = ?1)",
                               false, false, assignment_columns),
};
/* clang-format on */

/* ---- rows in memory ---- */

void snapshot_release(struct snapshot *s)
{
    for (int t = 0; t < SNAP__TABLES; t++) {
        struct snapshot_rows *rows = &s->tables[t];
        for (size_t i = 0; i < rows->nrows * snapshot_tables[t].ncolumns; i++)
            free(rows->values[i].s);
        free(rows->values);
    }
    memset(s, 0, sizeof(*s));
}

struct snapshot_value *snapshot_row_add(struct snapshot *s, enum snapshot_table_id t)
{
    struct snapshot_rows *rows = &s->tables[t];
    size_t n = snapshot_tables[t].ncolumns, used = rows->nrows * n;
    ALLOC_GROW(rows->values, used + n, rows->alloc);
    for (size_t c = 0; c < n; c++)
        rows->values[used + c] = (struct snapshot_value){.null = true};
    rows->nrows++;
    return &rows->values[used];
}

struct snapshot_value *snapshot_row(const struct snapshot *s, enum snapshot_table_id t, size_t row)
{
    return &s->tables[t].values[row * snapshot_tables[t].ncolumns];
}

/* ---- reading ---- */

/* Prepare `sql` (not cached: a snapshot is rare). NULL (logged) on failure. */
static sqlite3_stmt *prepare(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("sqlite: prepare: %s in: %s", sqlite3_errmsg(db->conn), sql);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Column `col` of the current row into *v. -1 (logged) for a hash of the wrong size. */
static int read_value(sqlite3_stmt *st, int col, enum snapshot_kind kind, struct snapshot_value *v)
{
    v->null = sqlite3_column_type(st, col) == SQLITE_NULL;
    if (v->null)
        return 0;
    switch (kind) {
    case SNAP_TEXT:
        v->s = db_column_dup(st, col);
        return 0;
    case SNAP_HASH:
        if (sqlite3_column_bytes(st, col) != SNAPSHOT_HASH_SIZE) {
            log_error("snapshot: a stored hash is %d bytes", sqlite3_column_bytes(st, col));
            return -1;
        }
        v->s = xmalloc(SNAPSHOT_HASH_SIZE);
        memcpy(v->s, sqlite3_column_blob(st, col), SNAPSHOT_HASH_SIZE);
        return 0;
    case SNAP_INT:
    case SNAP_BOOL:
    case SNAP_TIME:
        v->i = sqlite3_column_int64(st, col);
        return 0;
    }
    return -1;
}

/* Every row of table `t` that partner `id` owns, in insertion order, appended to `out`. */
static enum db_result read_table(struct db *db, enum snapshot_table_id t, const char *id,
                                 struct snapshot *out)
{
    const struct snapshot_table *table = &snapshot_tables[t];
    struct strbuf sql = STRBUF_INIT;
    strbuf_addstr(&sql, "SELECT ");
    for (size_t c = 0; c < table->ncolumns; c++)
        strbuf_addf(&sql, "%st.%s", c ? ", " : "", table->columns[c].name);
    strbuf_addf(&sql, " FROM %s AS t WHERE %s ORDER BY %s", table->source, table->owned,
                table->order);
    sqlite3_stmt *st = prepare(db, sql.buf);
    strbuf_release(&sql);
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, id);
    int rc = SQLITE_DONE;
    enum db_result r = DB_OK;
    while (r == DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct snapshot_value *v = snapshot_row_add(out, t);
        for (size_t c = 0; c < table->ncolumns; c++)
            if (read_value(st, (int)c, table->columns[c].kind, &v[c]))
                r = DB_ERROR;
    }
    if (r == DB_OK)
        r = db_step_result(db, rc);
    sqlite3_finalize(st);
    return r;
}

enum db_result snapshot_db_read(struct db *db, const char *id, struct snapshot *out)
{
    if (db_exec(db, "BEGIN"))
        return DB_ERROR;
    enum db_result r = DB_OK;
    for (int t = 0; t < SNAP__TABLES && r == DB_OK; t++)
        r = read_table(db, (enum snapshot_table_id)t, id, out);
    if (r == DB_OK && out->tables[SNAP_INTPS].nrows == 0)
        r = DB_NOT_FOUND;
    if (db_exec(db, "COMMIT")) {
        db_exec(db, "ROLLBACK");
        r = DB_ERROR;
    }
    return r;
}

/* ---- checking references ---- */

static int compare_ids(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The "id" values of table `t`, sorted (a new array the caller frees). */
static const char **sorted_ids(const struct snapshot *s, enum snapshot_table_id t)
{
    size_t n = s->tables[t].nrows;
    const char **ids = xcalloc(n ? n : 1, sizeof(*ids));
    for (size_t i = 0; i < n; i++)
        ids[i] = snapshot_row(s, t, i)[0].s;
    qsort(ids, n, sizeof(*ids), compare_ids);
    return ids;
}

static void fault_set(struct snapshot_fault *f, enum snapshot_table_id t, size_t row, int column,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fault_set(struct snapshot_fault *f, enum snapshot_table_id t, size_t row, int column,
                      const char *fmt, ...)
{
    va_list ap;
    *f = (struct snapshot_fault){.table = t, .row = row, .column = column};
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof(f->message), fmt, ap);
    va_end(ap);
}

/* The first reference of table `t` that names no row; 0, or -1 with *fault. */
static int check_table_refs(const struct snapshot *s, enum snapshot_table_id t,
                            const char **ids[SNAP__TABLES], struct snapshot_fault *fault)
{
    const struct snapshot_table *table = &snapshot_tables[t];
    for (size_t row = 0; row < s->tables[t].nrows; row++) {
        const struct snapshot_value *v = snapshot_row(s, t, row);
        for (size_t c = 0; c < table->ncolumns; c++) {
            enum snapshot_table_id ref = table->columns[c].ref;
            if (ref == SNAP_NO_REF || v[c].null ||
                bsearch(&v[c].s, ids[ref], s->tables[ref].nrows, sizeof(char *), compare_ids))
                continue;
            fault_set(fault, t, row, (int)c, "no row of %s has id '%.80s'",
                      snapshot_tables[ref].name, v[c].s);
            return -1;
        }
    }
    return 0;
}

int snapshot_check(const struct snapshot *s, struct snapshot_fault *fault)
{
    const char **ids[SNAP__TABLES] = {0};
    int rc = 0;
    if (s->tables[SNAP_INTPS].nrows != 1) {
        fault_set(fault, SNAP_INTPS, 0, -1, "a snapshot holds exactly one partner");
        return -1;
    }
    for (int t = 0; t < SNAP__TABLES; t++)
        if (snapshot_tables[t].global_id)
            ids[t] = sorted_ids(s, (enum snapshot_table_id)t);
    for (int t = 0; t < SNAP__TABLES && rc == 0; t++)
        rc = check_table_refs(s, (enum snapshot_table_id)t, ids, fault);
    for (int t = 0; t < SNAP__TABLES; t++)
        free(ids[t]);
    return rc;
}

/* ---- restoring ---- */

static bool is_identifier_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

int snapshot_fault_column(enum snapshot_table_id t, const char *message)
{
    const struct snapshot_table *table = &snapshot_tables[t];
    const char *text = strstr(message, "failed: ");
    const char *best = NULL;
    int column = -1;
    if (!text)
        return -1;
    for (size_t c = 0; c < table->ncolumns; c++) {
        size_t n = strlen(table->columns[c].name);
        for (const char *p = text; (p = strstr(p, table->columns[c].name)); p += n) {
            if (is_identifier_char(p[-1]) || is_identifier_char(p[n]))
                continue;
            if (!best || p < best) {
                best = p;
                column = (int)c;
            }
            break;
        }
    }
    return column;
}

/* Bind value `v` of kind `kind` at 1-based `index`. */
static void bind_value(sqlite3_stmt *st, int index, enum snapshot_kind kind,
                       const struct snapshot_value *v)
{
    if (v->null)
        sqlite3_bind_null(st, index);
    else if (kind == SNAP_TEXT)
        db_bind_text(st, index, v->s);
    else if (kind == SNAP_HASH)
        sqlite3_bind_blob(st, index, v->s, SNAPSHOT_HASH_SIZE, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, index, v->i);
}

/* Insert every row of table `t` for partner `id`. */
static enum db_result insert_table(struct db *db, enum snapshot_table_id t, const char *id,
                                   const struct snapshot *s, struct snapshot_fault *fault)
{
    const struct snapshot_table *table = &snapshot_tables[t];
    int n = (int)table->ncolumns;
    struct strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "INSERT INTO %s (", table->source);
    for (int c = 0; c < n; c++)
        strbuf_addf(&sql, "%s%s", c ? ", " : "", table->columns[c].name);
    strbuf_addstr(&sql, table->has_intp_id ? ", intp_id) VALUES (" : ") VALUES (");
    for (int c = 0; c < n + table->has_intp_id; c++)
        strbuf_addf(&sql, "%s?%d", c ? ", " : "", c + 1);
    strbuf_addch(&sql, ')');
    sqlite3_stmt *st = prepare(db, sql.buf);
    strbuf_release(&sql);
    if (!st)
        return DB_ERROR;
    enum db_result r = DB_OK;
    for (size_t row = 0; row < s->tables[t].nrows && r == DB_OK; row++) {
        const struct snapshot_value *v = snapshot_row(s, t, row);
        sqlite3_reset(st);
        for (int c = 0; c < n; c++)
            bind_value(st, c + 1, table->columns[c].kind, &v[c]);
        if (t == SNAP_INTPS)
            db_bind_text(st, 1, id);
        if (table->has_intp_id)
            db_bind_text(st, n + 1, id);
        int rc = sqlite3_step(st);
        r = db_step_result(db, rc);
        if (r == DB_CONFLICT) {
            const char *why = sqlite3_errmsg(db->conn);
            fault_set(fault, t, row, snapshot_fault_column(t, why), "refused: %s", why);
            fault->duplicate = strstr(why, "UNIQUE") != NULL;
        }
    }
    sqlite3_finalize(st);
    return r;
}

enum db_result snapshot_db_restore(struct db *db, const char *id, const struct snapshot *s,
                                   bool *existed, struct snapshot_fault *fault)
{
    if (snapshot_check(s, fault))
        return DB_CONFLICT;
    enum db_result r = intps_db_delete(db, id);
    if (r != DB_OK && r != DB_NOT_FOUND)
        return DB_ERROR;
    *existed = r == DB_OK;
    r = DB_OK;
    for (int t = 0; t < SNAP__TABLES && r == DB_OK; t++)
        r = insert_table(db, (enum snapshot_table_id)t, id, s, fault);
    return r;
}

/* ---- backup ---- */

/* The whole file `path` into a new buffer. */
static enum db_result read_whole_file(const char *path, char **bytes, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    char chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f) {
        log_error("backup: cannot read %s: %s", path, strerror(errno));
        return DB_ERROR;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        strbuf_add(&sb, chunk, n);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        log_error("backup: cannot read %s", path);
        strbuf_release(&sb);
        return DB_ERROR;
    }
    *bytes = strbuf_detach(&sb, len);
    return DB_OK;
}

enum db_result snapshot_db_backup(struct db *db, char **bytes, size_t *len)
{
    char dir[4096], path[4200];
    const char *tmp = getenv("TMPDIR");
    enum db_result r = DB_ERROR;
    snprintf(dir, sizeof(dir), "%s/mock3as-backup-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        log_error("backup: cannot create a directory like %s: %s", dir, strerror(errno));
        return DB_ERROR;
    }
    snprintf(path, sizeof(path), "%s/copy.db", dir);
    sqlite3_stmt *st = prepare(db, "VACUUM INTO ?1");
    if (st) {
        db_bind_text(st, 1, path);
        r = db_step_result(db, sqlite3_step(st));
        sqlite3_finalize(st);
    }
    if (r == DB_OK)
        r = read_whole_file(path, bytes, len);
    unlink(path);
    rmdir(dir);
    return r;
}
