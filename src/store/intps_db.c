/* Store of partners (INTPs): SQL only. */
#include "store/intps_db.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/util.h"

#define IS_TOMBSTONE_SQL "SELECT 1 FROM intps WHERE id = ?1 AND deleted_at IS NOT NULL"

#define INTP_COLUMNS                                                                               \
    "id, name, address, subscription_type, billing_mode, website_onboarding, public_key, "         \
    "private_key, created_at"

void intp_release(struct intp *p)
{
    free(p->id);
    free(p->name);
    free(p->address);
    free(p->subscription_type);
    free(p->billing_mode);
    free(p->public_key);
    free(p->private_key);
    memset(p, 0, sizeof(*p));
}

enum db_result intps_db_insert(struct db *db, const struct intp *p)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_INTP_INSERT,
                "INSERT INTO intps (" INTP_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->name);
    db_bind_text(st, 3, p->address ? p->address : "");
    db_bind_text(st, 4, p->subscription_type);
    db_bind_text(st, 5, p->billing_mode);
    sqlite3_bind_int(st, 6, p->website_onboarding);
    db_bind_text(st, 7, p->public_key);
    db_bind_text(st, 8, p->private_key);
    sqlite3_bind_int64(st, 9, p->created_at);
    enum db_result r = db_step_result(db, sqlite3_step(st));
    db_done(st);
    return r;
}

static void read_row(sqlite3_stmt *st, struct intp *out)
{
    out->id = db_column_dup(st, 0);
    out->name = db_column_dup(st, 1);
    out->address = db_column_dup(st, 2);
    out->subscription_type = db_column_dup(st, 3);
    out->billing_mode = db_column_dup(st, 4);
    out->website_onboarding = sqlite3_column_int(st, 5) != 0;
    out->public_key = db_column_dup(st, 6);
    out->private_key = db_column_dup(st, 7);
    out->created_at = sqlite3_column_int64(st, 8);
}

enum db_result intps_db_get(struct db *db, const char *id, struct intp *out)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_INTP_GET,
                "SELECT " INTP_COLUMNS " FROM intps WHERE id = ?1 AND deleted_at IS NULL");
    enum db_result r = DB_ERROR;
    memset(out, 0, sizeof(*out));
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, out);
        r = DB_OK;
    } else {
        r = rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
    }
    db_done(st);
    return r;
}

enum db_result intps_db_model(struct db *db, const char *id, char *type, char *mode)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_INTP_MODEL,
                "SELECT subscription_type, billing_mode FROM intps WHERE id = ?1 AND "
                "deleted_at IS NULL");
    type[0] = mode[0] = '\0';
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, id);
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK) {
        db_column_copy(st, 0, type, 16);
        db_column_copy(st, 1, mode, 24);
    }
    db_done(st);
    return r;
}

enum db_result intps_db_foreach(struct db *db, int (*fn)(const struct intp *p, void *ctx),
                                void *ctx)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_INTP_LIST,
                "SELECT " INTP_COLUMNS " FROM intps WHERE deleted_at IS NULL ORDER BY "
                "created_at, rowid");
    enum db_result r = DB_OK;
    int rc;
    if (!st)
        return DB_ERROR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct intp p;
        read_row(st, &p);
        int stop = fn(&p, ctx);
        intp_release(&p);
        if (stop) {
            r = DB_ERROR;
            break;
        }
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result intps_db_delete(struct db *db, const char *id)
{
    int64_t one;
    enum db_result tombstone =
        db_int_text(db, STMT_INTP_IS_TOMBSTONE, IS_TOMBSTONE_SQL, &one, 1, id);
    if (tombstone == DB_ERROR)
        return DB_ERROR;
    enum db_result r =
        db_run_text(db, STMT_INTP_DELETE, "DELETE FROM intps WHERE id = ?1", true, 1, id);
    return r == DB_OK && tombstone == DB_OK ? DB_NOT_FOUND : r;
}

enum db_result intps_db_delete_all(struct db *db)
{
    return db_exec(db, "DELETE FROM intps") ? DB_ERROR : DB_OK;
}

enum db_result intps_db_wipe(struct db *db, const char *id)
{
    /* customers first: their subscriptions may run on the custom packages deleted next */
    enum db_result r = db_run_text(db, STMT_INTP_WIPE_CUSTOMERS,
                                   "DELETE FROM customers WHERE intp_id = ?1", false, 1, id);
    if (r != DB_OK)
        return r;
    return db_run_text(db, STMT_INTP_WIPE_PACKAGES,
                       "DELETE FROM packages WHERE intp_id = ?1 AND is_default = 0", false, 1, id);
}

/* ---- tombstones ---- */

enum db_result intps_db_mark_deleted(struct db *db, const char *id, int64_t now)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_INTP_MARK_DELETED,
                "UPDATE intps SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return db_step_done(db, st, true);
}

enum db_result intps_db_tombstones(struct db *db, void (*fn)(const char *id, void *ctx), void *ctx)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_INTP_TOMBSTONES,
                "SELECT id FROM intps WHERE deleted_at IS NOT NULL ORDER BY deleted_at");
    int rc;
    if (!st)
        return DB_ERROR;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0), ctx);
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

/* ---- the purge of a tombstone, in slices ----
 *
 * The rows of a partner hang off it in four tables with an intp_id (subscriptions, websites,
 * customers, packages) plus its totals row; everything else hangs off those. Each phase deletes
 * parents of one of them in an order the foreign keys allow, and counts for each parent the rows
 * its delete cascades to ("weight", from indexed counts), so that a slice stops before max_rows.
 * Deleted parents leave the index the next round starts from: no slice scans what an earlier
 * one removed. */

#define PURGE_CHUNK 256 /* parents picked per round of a phase */
/* A step ends early, after every this many parents, when a writer of this process waits for the
 * write turn (db_turn_wanted): it waits for a few parents, not for the whole step (up to 10 ms
 * measured). The caller's next step picks afresh. */
#define PURGE_TURN_CHECK 4

/* A child table under a phase's parent, emptied on its own (LIMIT ?2) only below a parent
 * whose rows would not fit even a whole slice. */
struct purge_child {
    enum stmt_id id;
    const char *sql; /* ?1 the parent id, ?2 the most rows */
};

struct purge_phase {
    enum stmt_id list_id;
    const char *list_sql; /* rowid, id, weight of each parent of intp ?1 */
    enum stmt_id delete_id;
    const char *delete_sql;         /* the parent of rowid ?1, and by cascade its children */
    struct purge_child children[6]; /* in a deletable order, ended by a NULL sql */
};

#define DELETE_BY(table, column) DELETE_WHERE(table, column " = ?1")
#define DELETE_WHERE(table, condition)                                                             \
    "DELETE FROM " table " WHERE rowid IN (SELECT rowid FROM " table " WHERE " condition           \
    " LIMIT ?2)"

static const struct purge_phase purge_phases[] = {
    {STMT_PURGE_SUBSCRIPTIONS,
     "SELECT s.rowid, s.id, 2" /* the subscription and its period (deleted by a trigger) */
     " + (SELECT count(*) FROM subscription_history WHERE subscription = s.rowid)"
     " FROM subscriptions s WHERE s.intp_id = ?1",
     STMT_PURGE_SUBSCRIPTION,
     "DELETE FROM subscriptions WHERE rowid = ?1",
     {{STMT_PURGE_SUBSCRIPTION_EVENTS,
       DELETE_WHERE("subscription_history",
                    "subscription = (SELECT rowid FROM subscriptions WHERE id = ?1)")}}},
    {STMT_PURGE_WEBSITES,
     "SELECT w.rowid, w.id, 1"
     " + (SELECT count(*) FROM refresh_tokens WHERE website_id = w.id)"
     " + (SELECT count(*) FROM api_keys WHERE website_id = w.id)"
     " + (SELECT count(*) FROM whitelisted_domains WHERE website_id = w.id)"
     " + (SELECT count(*) FROM contributors WHERE website_id = w.id)"
     " + (SELECT count(*) FROM package_assignments WHERE website_id = w.id)"
     " FROM websites w WHERE w.intp_id = ?1",
     STMT_PURGE_WEBSITE,
     "DELETE FROM websites WHERE rowid = ?1",
     {{STMT_PURGE_WEBSITE_REFRESH, DELETE_BY("refresh_tokens", "website_id")},
      {STMT_PURGE_WEBSITE_KEYS, DELETE_BY("api_keys", "website_id")},
      {STMT_PURGE_WEBSITE_DOMAINS, DELETE_BY("whitelisted_domains", "website_id")},
      {STMT_PURGE_WEBSITE_CONTRIBUTORS, DELETE_BY("contributors", "website_id")},
      {STMT_PURGE_WEBSITE_ASSIGNMENTS, DELETE_BY("package_assignments", "website_id")}}},
    {STMT_PURGE_CUSTOMERS,
     "SELECT c.rowid, c.id, 1"
     " + (SELECT count(*) FROM contributors WHERE customer_id = c.id)"
     " + (SELECT count(*) FROM package_assignments WHERE customer_id = c.id)"
     " FROM customers c WHERE c.intp_id = ?1",
     STMT_PURGE_CUSTOMER,
     "DELETE FROM customers WHERE rowid = ?1",
     {{STMT_PURGE_CUSTOMER_CONTRIBUTORS, DELETE_BY("contributors", "customer_id")},
      {STMT_PURGE_CUSTOMER_ASSIGNMENTS, DELETE_BY("package_assignments", "customer_id")}}},
    {STMT_PURGE_PACKAGES,
     "SELECT p.rowid, p.id, 1"
     " + (SELECT count(*) FROM package_assignments WHERE package_id = p.id)"
     " FROM packages p WHERE p.intp_id = ?1",
     STMT_PURGE_PACKAGE,
     "DELETE FROM packages WHERE rowid = ?1",
     {{STMT_PURGE_PACKAGE_ASSIGNMENTS, DELETE_BY("package_assignments", "package_id")}}},
    {STMT_PURGE_TOTALS,
     "SELECT rowid, intp_id, 1 FROM intp_totals WHERE intp_id = ?1",
     STMT_PURGE_TOTAL,
     "DELETE FROM intp_totals WHERE rowid = ?1",
     {{STMT__COUNT, NULL}}}, /* no child */
};

/* What one round of a phase picked: the first parents whose weights fit the budget. */
struct purge_pick {
    int64_t rowids[PURGE_CHUNK];
    int n;
    int64_t rows;               /* the picked parents with what their deletes cascade to */
    bool more;                  /* a parent is (or may be) left after them */
    int64_t next_rows;          /* the first parent left that did not fit: its weight */
    char next_id[INTP_ID_SIZE]; /* and its id ("" when the chunk was full) */
};

static enum db_result purge_pick(struct db *db, const struct purge_phase *ph, const char *intp_id,
                                 int64_t budget, struct purge_pick *out)
{
    sqlite3_stmt *st = db_stmt(db, ph->list_id, ph->list_sql);
    int rc = SQLITE_DONE;
    out->n = 0;
    out->rows = out->next_rows = 0;
    out->next_id[0] = '\0';
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    while (out->n < PURGE_CHUNK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t rows = sqlite3_column_int64(st, 2);
        if (out->rows + rows > budget) {
            out->next_rows = rows;
            db_column_copy(st, 1, out->next_id, sizeof(out->next_id));
            break;
        }
        out->rowids[out->n++] = sqlite3_column_int64(st, 0);
        out->rows += rows;
    }
    out->more = rc == SQLITE_ROW;
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

/* Delete the picked parents; *deleted gets how many: fewer than picked when a writer waits. */
static enum db_result purge_picked(struct db *db, const struct purge_phase *ph,
                                   const struct purge_pick *pk, int *deleted)
{
    sqlite3_stmt *st = db_stmt(db, ph->delete_id, ph->delete_sql);
    enum db_result r = st ? DB_OK : DB_ERROR;
    int i = 0;
    while (i < pk->n && r == DB_OK) {
        sqlite3_bind_int64(st, 1, pk->rowids[i++]);
        r = db_step_done(db, st, false);
        if (i % PURGE_TURN_CHECK == 0 && i < pk->n && db_turn_wanted(db))
            break;
    }
    *deleted = i;
    return r;
}

/* Delete the children of parent `id` directly, at most *budget rows (counted off). */
static enum db_result purge_children(struct db *db, const struct purge_phase *ph, const char *id,
                                     int64_t *budget)
{
    int64_t before = *budget;
    for (const struct purge_child *c = ph->children; c->sql && *budget > 0; c++) {
        sqlite3_stmt *st = db_stmt(db, c->id, c->sql);
        if (!st)
            return DB_ERROR;
        db_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, *budget);
        enum db_result r = db_step_done(db, st, false);
        if (r != DB_OK)
            return r;
        *budget -= sqlite3_changes(db->conn);
    }
    if (*budget == before) {
        log_error("purge: parent %s counts rows its phase cannot delete", id);
        return DB_ERROR;
    }
    return DB_OK;
}

/* Delete parents of one phase while their weights fit *budget (counted off); *empty when none is
 * left. A parent heavier than a whole slice has its children deleted first, over slices. */
static enum db_result purge_phase_run(struct db *db, const struct purge_phase *ph,
                                      const char *intp_id, int max_rows, int64_t *budget,
                                      bool *empty)
{
    struct purge_pick pk;
    *empty = false;
    for (;;) {
        int deleted = 0;
        enum db_result r = purge_pick(db, ph, intp_id, *budget, &pk);
        if (r == DB_OK)
            r = purge_picked(db, ph, &pk, &deleted);
        if (r != DB_OK || deleted < pk.n)
            return r; /* the rest waits for the next step */
        *budget -= pk.rows;
        if (!pk.more) {
            *empty = true;
            return DB_OK;
        }
        if (pk.n > 0)
            continue;
        if (pk.next_rows <= max_rows || *budget == 0)
            return DB_OK; /* the next parent waits for the next slice */
        r = purge_children(db, ph, pk.next_id, budget);
        if (r != DB_OK)
            return r;
    }
}

enum db_result intps_db_purge_step(struct db *db, const char *id, int max_rows, bool *done)
{
    int64_t budget = max_rows, tombstone;
    assert(max_rows > 0);
    *done = false;
    enum db_result r = db_int_text(db, STMT_INTP_IS_TOMBSTONE, IS_TOMBSTONE_SQL, &tombstone, 1, id);
    if (r == DB_NOT_FOUND)
        *done = true;
    for (size_t i = 0; r == DB_OK && i < ARRAY_SIZE(purge_phases); i++) {
        bool empty;
        r = purge_phase_run(db, &purge_phases[i], id, max_rows, &budget, &empty);
        if (r == DB_OK && !empty)
            return DB_OK;
    }
    if (r != DB_OK || budget < 1)
        return r;
    r = db_run_text(db, STMT_INTP_PURGE_ROW,
                    "DELETE FROM intps WHERE id = ?1 AND deleted_at IS NOT NULL", true, 1, id);
    *done = r == DB_OK;
    return r;
}
