/* Store of websites: SQL only. */
#include "store/websites_db.h"

#include "util/log.h"

#define WEBSITE_COLUMNS                                                                            \
    "w.id, w.intp_id, w.intp_website_id, w.customer_id, w.domain, w.privacy_level, "               \
    "w.subscription_id, w.created_at"

#define VIEW_SELECT                                                                                \
    "SELECT " WEBSITE_COLUMNS ", c.intp_customer_id, s.type, s.status, s.package_id, "             \
    "s.last_package_change_at, s.planned_package_id, s.in_trial, s.had_trial, sp.expires_at, "     \
    "sp.stp_reset_at, w.visits, w.visit_events, w.session_recordings, w.heatmap_increments, "      \
    "w.poll_answers, w.survey_answers, w.funnel_matches, p.name, p.period, p.touchpoints, "        \
    "pp.name, pp.period, i.billing_mode FROM websites w "                                          \
    "JOIN customers c ON c.id = w.customer_id JOIN subscriptions s ON s.id = w.subscription_id "   \
    "JOIN subscription_periods sp ON sp.subscription = s.rowid "                                   \
    "JOIN packages p ON p.id = s.package_id LEFT JOIN packages pp ON pp.id = "                     \
    "s.planned_package_id "                                                                        \
    "JOIN intps i ON i.id = w.intp_id "

enum db_result websites_db_insert(struct db *db, const struct website *w)
{
    sqlite3_stmt *st = db_stmt(db, STMT_WEBSITE_INSERT,
                               "INSERT INTO websites (id, intp_id, intp_website_id, customer_id, "
                               "domain, privacy_level, subscription_id, created_at) VALUES (?1, "
                               "?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, w->id);
    db_bind_text(st, 2, w->intp_id);
    db_bind_text(st, 3, w->intp_website_id);
    db_bind_text(st, 4, w->customer_id);
    db_bind_text(st, 5, w->domain);
    db_bind_int_or_null(st, 6, w->privacy_level);
    db_bind_text(st, 7, w->subscription_id);
    sqlite3_bind_int64(st, 8, w->created_at);
    return db_step_done(db, st, false);
}

static void read_website(sqlite3_stmt *st, void *out)
{
    struct website *w = out;
    db_column_copy(st, 0, w->id, sizeof(w->id));
    db_column_copy(st, 1, w->intp_id, sizeof(w->intp_id));
    db_column_copy(st, 2, w->intp_website_id, sizeof(w->intp_website_id));
    db_column_copy(st, 3, w->customer_id, sizeof(w->customer_id));
    db_column_copy(st, 4, w->domain, sizeof(w->domain));
    w->privacy_level = db_column_int_or(st, 5, -1);
    db_column_copy(st, 6, w->subscription_id, sizeof(w->subscription_id));
    w->created_at = sqlite3_column_int64(st, 7);
}

static void read_view(sqlite3_stmt *st, void *out)
{
    struct website_view *v = out;
    read_website(st, &v->w);
    db_column_copy(st, 8, v->intp_customer_id, sizeof(v->intp_customer_id));
    db_column_copy(st, 9, v->sub_type, sizeof(v->sub_type));
    v->status = sub_status_parse((const char *)sqlite3_column_text(st, 10));
    db_column_copy(st, 11, v->package_id, sizeof(v->package_id));
    v->last_package_change_at = db_column_int_or(st, 12, -1);
    db_column_copy(st, 13, v->planned_package_id, sizeof(v->planned_package_id));
    v->in_trial = sqlite3_column_int(st, 14) != 0;
    v->had_trial = sqlite3_column_int(st, 15) != 0;
    v->expires_at = sqlite3_column_int64(st, 16);
    v->stp_reset_at = sqlite3_column_int64(st, 17);
    for (int i = 0; i < USAGE__COUNT; i++)
        v->usage[i] = sqlite3_column_int64(st, 18 + i);
    db_column_copy(st, 25, v->package_name, sizeof(v->package_name));
    db_column_copy(st, 26, v->package_period, sizeof(v->package_period));
    v->touchpoints = sqlite3_column_int64(st, 27);
    db_column_copy(st, 28, v->planned_name, sizeof(v->planned_name));
    db_column_copy(st, 29, v->planned_period, sizeof(v->planned_period));
    db_column_copy(st, 30, v->billing_mode, sizeof(v->billing_mode));
}

enum db_result websites_db_get(struct db *db, const char *intp_id, const char *intp_website_id,
                               struct website *out)
{
    return db_row_text(db, STMT_WEBSITE_GET,
                       "SELECT " WEBSITE_COLUMNS " FROM websites w WHERE w.intp_id = ?1 AND "
                       "w.intp_website_id = ?2",
                       read_website, out, 2, intp_id, intp_website_id);
}

/* A view whose subscription status is not one of ours is a broken database, never a default. */
static enum db_result checked(enum db_result r, const struct website_view *v)
{
    if (r != DB_OK || v->status != SUB_STATUS_NONE)
        return r;
    log_error("website %s: unknown subscription status in the database", v->w.id);
    return DB_ERROR;
}

enum db_result websites_db_view(struct db *db, const char *intp_id, const char *intp_website_id,
                                struct website_view *out)
{
    enum db_result r = db_row_text(db, STMT_WEBSITE_VIEW,
                                   VIEW_SELECT "WHERE w.intp_id = ?1 AND w.intp_website_id = ?2",
                                   read_view, out, 2, intp_id, intp_website_id);
    return checked(r, out);
}

enum db_result websites_db_view_by_uuid(struct db *db, const char *intp_id, const char *uuid,
                                        struct website_view *out)
{
    enum db_result r =
        db_row_text(db, STMT_WEBSITE_VIEW_BY_UUID, VIEW_SELECT "WHERE w.intp_id = ?1 AND w.id = ?2",
                    read_view, out, 2, intp_id, uuid);
    return checked(r, out);
}

enum db_result websites_db_view_list(struct db *db, const char *intp_id, const char *customer_id,
                                     int64_t page, int64_t size,
                                     void (*fn)(const struct website_view *v, void *ctx), void *ctx)
{
    sqlite3_stmt *st =
        customer_id
            ? db_stmt(db, STMT_WEBSITE_VIEW_LIST_BY_CUSTOMER,
                      VIEW_SELECT "WHERE w.rowid IN (SELECT rowid FROM websites WHERE intp_id = ?1 "
                                  "AND customer_id = ?4 ORDER BY created_at, rowid LIMIT ?2 "
                                  "OFFSET ?3) ORDER BY w.created_at, w.rowid")
            /* the page is found on the covering index: OFFSET skips no table rows */
            : db_stmt(db, STMT_WEBSITE_VIEW_LIST,
                      VIEW_SELECT "WHERE w.rowid IN (SELECT rowid FROM websites WHERE intp_id = ?1 "
                                  "ORDER BY created_at, rowid LIMIT ?2 OFFSET ?3) "
                                  "ORDER BY w.created_at, w.rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, size);
    sqlite3_bind_int64(st, 3, page * size);
    if (customer_id)
        db_bind_text(st, 4, customer_id);
    enum db_result r = DB_OK;
    while (r == DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct website_view v;
        read_view(st, &v);
        r = checked(DB_OK, &v);
        if (r == DB_OK)
            fn(&v, ctx);
    }
    if (r == DB_OK)
        r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result websites_db_count(struct db *db, const char *intp_id, const char *customer_id,
                                 int64_t *total)
{
    if (customer_id)
        return db_int_text(db, STMT_WEBSITE_COUNT_BY_CUSTOMER,
                           "SELECT count(*) FROM websites WHERE intp_id = ?1 AND customer_id = ?2",
                           total, 2, intp_id, customer_id);
    return db_int_text(db, STMT_WEBSITE_COUNT,
                       "SELECT coalesce((SELECT websites FROM intp_totals WHERE intp_id = ?1), 0)",
                       total, 1, intp_id);
}

enum db_result websites_db_delete(struct db *db, const char *id)
{
    return db_run_text(db, STMT_WEBSITE_DELETE, "DELETE FROM websites WHERE id = ?1", true, 1, id);
}
