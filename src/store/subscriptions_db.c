/* Store of subscriptions: SQL only. */
#include "store/subscriptions_db.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"

#define STATUS_TEXT(id, text) text,
static const char *const status_names[] = {FOR_EACH_SUB_STATUS(STATUS_TEXT)};
#undef STATUS_TEXT

const char *sub_status_name(enum sub_status s)
{
    return s >= 0 && s < SUB__COUNT ? status_names[s] : NULL;
}

enum sub_status sub_status_parse(const char *name)
{
    return (enum sub_status)str_index(status_names, SUB__COUNT, name); /* -1: SUB_STATUS_NONE */
}

/* SUB_COLUMNS are read FROM SUB_TABLES: a subscription and its period (schema/012) */
#define SUB_COLUMNS                                                                                \
    "s.id, s.intp_id, s.type, coalesce(s.website_id, ''), coalesce(s.customer_id, ''), "           \
    "s.package_id, s.status, s.billing_anchor, p.period_start, p.expires_at, p.stp_reset_at, "     \
    "s.last_package_change_at, s.in_trial, s.had_trial, s.trial_ends_at, "                         \
    "coalesce(s.trial_fallback_id, ''), coalesce(s.planned_package_id, ''), s.created_at"
#define SUB_NCOLUMNS 18 /* the columns of SUB_COLUMNS */
#define SUB_TABLES   "subscriptions s JOIN subscription_periods p ON p.subscription = s.rowid"

#define USAGE_SUMS                                                                                 \
    "coalesce(sum(w.visits), 0), coalesce(sum(w.visit_events), 0), "                               \
    "coalesce(sum(w.session_recordings), 0), coalesce(sum(w.heatmap_increments), 0), "             \
    "coalesce(sum(w.poll_answers), 0), coalesce(sum(w.survey_answers), 0), "                       \
    "coalesce(sum(w.funnel_matches), 0)"

static void read_subscription(sqlite3_stmt *st, void *out)
{
    struct subscription *s = out;
    db_column_copy(st, 0, s->id, sizeof(s->id));
    db_column_copy(st, 1, s->intp_id, sizeof(s->intp_id));
    db_column_copy(st, 2, s->type, sizeof(s->type));
    db_column_copy(st, 3, s->website_id, sizeof(s->website_id));
    db_column_copy(st, 4, s->customer_id, sizeof(s->customer_id));
    db_column_copy(st, 5, s->package_id, sizeof(s->package_id));
    s->status = sub_status_parse((const char *)sqlite3_column_text(st, 6));
    s->billing_anchor = sqlite3_column_int64(st, 7);
    s->period_start = sqlite3_column_int64(st, 8);
    s->expires_at = sqlite3_column_int64(st, 9);
    s->stp_reset_at = sqlite3_column_int64(st, 10);
    s->last_package_change_at = db_column_int_or(st, 11, -1);
    s->in_trial = sqlite3_column_int(st, 12) != 0;
    s->had_trial = sqlite3_column_int(st, 13) != 0;
    s->trial_ends_at = db_column_int_or(st, 14, -1);
    db_column_copy(st, 15, s->trial_fallback_id, sizeof(s->trial_fallback_id));
    db_column_copy(st, 16, s->planned_package_id, sizeof(s->planned_package_id));
    s->created_at = sqlite3_column_int64(st, 17);
    memset(s->usage, 0, sizeof(s->usage));
}

/* The same, then the USAGE_SUMS that follow SUB_COLUMNS. */
static void read_subscription_usage(sqlite3_stmt *st, void *out)
{
    struct subscription *s = out;
    read_subscription(st, s);
    for (int i = 0; i < USAGE__COUNT; i++)
        s->usage[i] = sqlite3_column_int64(st, SUB_NCOLUMNS + i);
}

/* A row whose status is not one of ours is a broken database, never a default. */
static enum db_result checked(enum db_result r, const struct subscription *s)
{
    if (r != DB_OK || s->status != SUB_STATUS_NONE)
        return r;
    log_error("subscription %s: unknown status in the database", s->id);
    return DB_ERROR;
}

enum db_result subscriptions_db_get(struct db *db, const char *id, struct subscription *out)
{
    enum db_result r = db_row_text(db, STMT_SUBSCRIPTION_GET,
                                   "SELECT " SUB_COLUMNS ", " USAGE_SUMS " FROM " SUB_TABLES
                                   " LEFT JOIN websites w ON "
                                   "w.subscription_id = s.id WHERE s.id = ?1 GROUP BY s.id",
                                   read_subscription_usage, out, 1, id);
    return checked(r, out);
}

/* The period of `s` as ?2..?5: period_start, expires_at, stp_reset_at, and next_due_at, when a
 * transition is next due (trial end, renewal, touchpoint reset), NULL while it is inactive.
 * schema/012's trigger computes next_due_at the same way for rows written by hand. */
static void bind_period(sqlite3_stmt *st, const struct subscription *s)
{
    sqlite3_bind_int64(st, 2, s->period_start);
    sqlite3_bind_int64(st, 3, s->expires_at);
    sqlite3_bind_int64(st, 4, s->stp_reset_at);
    int64_t due = s->expires_at < s->stp_reset_at ? s->expires_at : s->stp_reset_at;
    if (s->trial_ends_at >= 0 && s->trial_ends_at < due)
        due = s->trial_ends_at;
    if (s->status == SUB_INACTIVE)
        sqlite3_bind_null(st, 5);
    else
        sqlite3_bind_int64(st, 5, due);
}

/* The fields an action or a transition may change outside the period, as ?2..?10 (?1 is the
 * id), shared by the insert and the update. */
static void bind_mutable(sqlite3_stmt *st, const struct subscription *s)
{
    db_bind_text(st, 1, s->id);
    db_bind_text(st, 2, s->package_id);
    db_bind_text(st, 3, sub_status_name(s->status));
    sqlite3_bind_int64(st, 4, s->billing_anchor);
    db_bind_int_or_null(st, 5, s->last_package_change_at);
    sqlite3_bind_int(st, 6, s->in_trial);
    sqlite3_bind_int(st, 7, s->had_trial);
    db_bind_int_or_null(st, 8, s->trial_ends_at);
    db_bind_text(st, 9, s->trial_fallback_id);
    db_bind_text(st, 10, s->planned_package_id);
}

enum db_result subscriptions_db_insert(struct db *db, const struct subscription *s)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_SUBSCRIPTION_INSERT,
        "INSERT INTO subscriptions (id, package_id, status, billing_anchor, "
        "last_package_change_at, in_trial, had_trial, trial_ends_at, trial_fallback_id, "
        "planned_package_id, intp_id, type, website_id, customer_id, created_at) VALUES (?1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, NULLIF(?9, ''), NULLIF(?10, ''), ?11, ?12, NULLIF(?13, ''), "
        "NULLIF(?14, ''), ?15)");
    if (!st)
        return DB_ERROR;
    bind_mutable(st, s);
    db_bind_text(st, 11, s->intp_id);
    db_bind_text(st, 12, s->type);
    db_bind_text(st, 13, s->website_id);
    db_bind_text(st, 14, s->customer_id);
    sqlite3_bind_int64(st, 15, s->created_at);
    enum db_result r = db_step_done(db, st, false);
    if (r != DB_OK)
        return r;
    /* an unknown partner leaves intp NULL: refused (NOT NULL) */
    st = db_stmt(db, STMT_SUBSCRIPTION_INSERT_PERIOD,
                 "INSERT INTO subscription_periods (subscription, period_start, expires_at, "
                 "stp_reset_at, next_due_at, intp) VALUES (?1, ?2, ?3, ?4, ?5, "
                 "(SELECT rowid FROM intps WHERE id = ?6))");
    if (!st)
        return DB_ERROR;
    sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(db->conn));
    bind_period(st, s);
    db_bind_text(st, 6, s->intp_id);
    return db_step_done(db, st, false);
}

/* Write the period of subscription `rowid` from `s`: the narrow row only, by rowid (no foreign
 * key to check, one index to move). */
static enum db_result update_period(struct db *db, int64_t rowid, const struct subscription *s)
{
    sqlite3_stmt *st = db_stmt(db, STMT_SUBSCRIPTION_UPDATE_PERIOD,
                               "UPDATE subscription_periods SET period_start = ?2, "
                               "expires_at = ?3, stp_reset_at = ?4, next_due_at = ?5 "
                               "WHERE subscription = ?1");
    if (!st)
        return DB_ERROR;
    sqlite3_bind_int64(st, 1, rowid);
    bind_period(st, s);
    return db_step_done(db, st, true);
}

enum db_result subscriptions_db_update(struct db *db, const struct subscription *s)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_SUBSCRIPTION_UPDATE,
        "UPDATE subscriptions SET package_id = ?2, status = ?3, billing_anchor = ?4, "
        "last_package_change_at = ?5, in_trial = ?6, had_trial = ?7, trial_ends_at = ?8, "
        "trial_fallback_id = NULLIF(?9, ''), planned_package_id = NULLIF(?10, '') WHERE id = ?1 "
        "RETURNING rowid");
    if (!st)
        return DB_ERROR;
    bind_mutable(st, s);
    enum db_result r = db_step_row(db, st); /* DB_NOT_FOUND: no such id */
    int64_t rowid = r == DB_OK ? sqlite3_column_int64(st, 0) : 0;
    if (r == DB_OK) /* the id is unique: the one row, then done */
        r = db_step_result(db, sqlite3_step(st));
    db_done(st);
    return r == DB_OK ? update_period(db, rowid, s) : r;
}

enum db_result subscriptions_db_due_page(struct db *db, const char *intp_id, int64_t now,
                                         struct due_cursor *cursor, struct due_subscription *out,
                                         size_t max, size_t *n)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_SUBSCRIPTION_DUE,
                "SELECT " SUB_COLUMNS ", p.next_due_at, p.subscription FROM " SUB_TABLES
                " WHERE p.intp = (SELECT rowid FROM intps WHERE id = ?1) AND p.next_due_at <= ?2 "
                "AND (p.next_due_at, p.subscription) > (?3, ?4) ORDER BY p.next_due_at, "
                "p.subscription LIMIT ?5");
    enum db_result r = DB_OK;
    int rc = SQLITE_DONE;
    *n = 0;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, cursor->due_at);
    sqlite3_bind_int64(st, 4, cursor->rowid);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)max);
    while (r == DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct due_subscription *d = &out[*n];
        read_subscription(st, &d->sub);
        r = checked(DB_OK, &d->sub);
        if (r != DB_OK)
            break;
        cursor->due_at = d->due_at = sqlite3_column_int64(st, SUB_NCOLUMNS);
        cursor->rowid = d->rowid = sqlite3_column_int64(st, SUB_NCOLUMNS + 1);
        (*n)++;
    }
    if (r == DB_OK)
        r = db_step_result(db, rc);
    db_done(st);
    return r;
}

/* Whether `s` differs from `before` in its period only. */
static bool only_period_changed(const struct subscription *before, const struct subscription *s)
{
    return strcmp(s->package_id, before->package_id) == 0 && s->status == before->status &&
           s->billing_anchor == before->billing_anchor &&
           s->last_package_change_at == before->last_package_change_at &&
           s->in_trial == before->in_trial && s->had_trial == before->had_trial &&
           s->trial_ends_at == before->trial_ends_at &&
           strcmp(s->trial_fallback_id, before->trial_fallback_id) == 0 &&
           strcmp(s->planned_package_id, before->planned_package_id) == 0;
}

enum db_result subscriptions_db_update_due(struct db *db, const struct due_subscription *before,
                                           const struct subscription *s)
{
    return only_period_changed(&before->sub, s) ? update_period(db, before->rowid, s)
                                                : subscriptions_db_update(db, s);
}

enum db_result subscriptions_db_next_due(struct db *db, const char *intp_id, int64_t *at)
{
    sqlite3_stmt *st = db_stmt(db, STMT_SUBSCRIPTION_NEXT_DUE,
                               "SELECT min(next_due_at) FROM subscription_periods WHERE intp = "
                               "(SELECT rowid FROM intps WHERE id = ?1)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK)
        *at = db_column_int_or(st, 0, INT64_MAX);
    db_done(st);
    return r;
}

enum db_result subscriptions_db_of_customer(struct db *db, const char *customer_id, char *id)
{
    sqlite3_stmt *st = db_stmt(db, STMT_SUBSCRIPTION_OF_CUSTOMER,
                               "SELECT id FROM subscriptions WHERE customer_id = ?1");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, customer_id);
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK)
        db_column_copy(st, 0, id, UUID_SIZE);
    db_done(st);
    return r;
}
