/* Store of partners (INTPs): SQL only. */
#include "store/intps_db.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

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
        db_stmt(db, STMT_INTP_GET, "SELECT " INTP_COLUMNS " FROM intps WHERE id = ?1");
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
    sqlite3_stmt *st = db_stmt(db, STMT_INTP_MODEL,
                               "SELECT subscription_type, billing_mode FROM intps WHERE id = ?1");
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
    sqlite3_stmt *st = db_stmt(db, STMT_INTP_LIST,
                               "SELECT " INTP_COLUMNS " FROM intps ORDER BY created_at, rowid");
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
    return db_run_text(db, STMT_INTP_DELETE, "DELETE FROM intps WHERE id = ?1", true, 1, id);
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
