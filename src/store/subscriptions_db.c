/* Store of subscriptions, their usage and their history: SQL only. */
#include <stdio.h>
#include <string.h>

#include "http/jsonutil.h"
#include "billing/submachine.h"
#include "billing/subscriptions.h"

#define SUB_COLUMNS                                                                                \
    "s.id, s.intp_id, s.type, coalesce(s.website_id, ''), coalesce(s.customer_id, ''), "           \
    "s.package_id, s.status, s.billing_anchor, s.period_start, s.expires_at, s.stp_reset_at, "     \
    "s.last_package_change_at, s.in_trial, s.had_trial, s.trial_ends_at, "                         \
    "coalesce(s.trial_fallback_id, ''), coalesce(s.planned_package_id, ''), s.created_at"

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
    db_column_copy(st, 6, s->status, sizeof(s->status));
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
    for (int i = 0; i < USAGE__COUNT; i++)
        s->usage[i] = sqlite3_column_count(st) > 18 + i ? sqlite3_column_int64(st, 18 + i) : 0;
}

enum db_result subscriptions_db_get(struct db *db, const char *id, struct subscription *out)
{
    return db_row_text(db, STMT_SUBSCRIPTION_GET,
                       "SELECT " SUB_COLUMNS ", " USAGE_SUMS " FROM subscriptions s LEFT JOIN "
                       "websites w ON w.subscription_id = s.id WHERE s.id = ?1 GROUP BY s.id",
                       read_subscription, out, 1, id);
}

/* The fields an action or a transition may change, as ?2..?13 (?1 is the id), shared by the
 * insert and the update. */
static void bind_mutable(sqlite3_stmt *st, const struct subscription *s)
{
    db_bind_text(st, 1, s->id);
    db_bind_text(st, 2, s->package_id);
    db_bind_text(st, 3, s->status);
    sqlite3_bind_int64(st, 4, s->billing_anchor);
    sqlite3_bind_int64(st, 5, s->period_start);
    sqlite3_bind_int64(st, 6, s->expires_at);
    sqlite3_bind_int64(st, 7, s->stp_reset_at);
    db_bind_int_or_null(st, 8, s->last_package_change_at);
    sqlite3_bind_int(st, 9, s->in_trial);
    sqlite3_bind_int(st, 10, s->had_trial);
    db_bind_int_or_null(st, 11, s->trial_ends_at);
    db_bind_text(st, 12, s->trial_fallback_id);
    db_bind_text(st, 13, s->planned_package_id);
}

enum db_result subscriptions_db_insert(struct db *db, const struct subscription *s)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_SUBSCRIPTION_INSERT,
        "INSERT INTO subscriptions (id, package_id, status, billing_anchor, period_start, "
        "expires_at, stp_reset_at, last_package_change_at, in_trial, had_trial, trial_ends_at, "
        "trial_fallback_id, planned_package_id, intp_id, type, website_id, customer_id, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULLIF(?12, ''), "
        "NULLIF(?13, ''), ?14, ?15, NULLIF(?16, ''), NULLIF(?17, ''), ?18)");
    if (!st)
        return DB_ERROR;
    bind_mutable(st, s);
    db_bind_text(st, 14, s->intp_id);
    db_bind_text(st, 15, s->type);
    db_bind_text(st, 16, s->website_id);
    db_bind_text(st, 17, s->customer_id);
    sqlite3_bind_int64(st, 18, s->created_at);
    return db_step_done(db, st, false);
}

enum db_result subscriptions_db_update(struct db *db, const struct subscription *s)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_SUBSCRIPTION_UPDATE,
        "UPDATE subscriptions SET package_id = ?2, status = ?3, billing_anchor = ?4, "
        "period_start = ?5, expires_at = ?6, stp_reset_at = ?7, last_package_change_at = ?8, "
        "in_trial = ?9, had_trial = ?10, trial_ends_at = ?11, trial_fallback_id = NULLIF(?12, ''), "
        "planned_package_id = NULLIF(?13, '') WHERE id = ?1");
    if (!st)
        return DB_ERROR;
    bind_mutable(st, s);
    return db_step_done(db, st, true);
}

enum db_result subscriptions_db_foreach_due(struct db *db, const char *intp_id, int64_t now,
                                            void (*fn)(const struct subscription *s, void *ctx),
                                            void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, STMT_SUBSCRIPTION_DUE,
                               "SELECT " SUB_COLUMNS " FROM subscriptions s WHERE s.intp_id = ?1 "
                               "AND s.next_due_at <= ?2 ORDER BY s.next_due_at, s.rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, now);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subscription sub;
        read_subscription(st, &sub);
        fn(&sub, ctx);
    }
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result subscriptions_db_any_due(struct db *db, const char *intp_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, STMT_SUBSCRIPTION_ANY_DUE,
                               "SELECT 1 FROM subscriptions WHERE intp_id = ?1 AND "
                               "next_due_at <= ?2 LIMIT 1");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, now);
    enum db_result r = db_step_row(db, st);
    db_done(st);
    return r;
}

enum db_result usage_db_reset(struct db *db, const char *subscription_id)
{
    char ids[64]; /* a uuid as a one-element JSON array, for the statement that serves both */
    snprintf(ids, sizeof(ids), "[\"%s\"]", subscription_id);
    return usage_db_reset_many(db, ids);
}

enum db_result usage_db_reset_many(struct db *db, const char *ids_json)
{
    return db_run_text(db, STMT_USAGE_RESET_MANY,
                       "UPDATE websites SET visits = 0, visit_events = 0, session_recordings = 0, "
                       "heatmap_increments = 0, poll_answers = 0, survey_answers = 0, "
                       "funnel_matches = 0 WHERE subscription_id IN (SELECT value FROM "
                       "json_each(?1)) AND (visits OR visit_events OR session_recordings OR "
                       "heatmap_increments OR poll_answers OR survey_answers OR funnel_matches)",
                       false, 1, ids_json);
}

enum db_result usage_db_add(struct db *db, const char *website_id,
                            const int64_t counts[USAGE__COUNT])
{
    sqlite3_stmt *st = db_stmt(db, STMT_USAGE_ADD,
                               "UPDATE websites SET visits = visits + ?2, visit_events = "
                               "visit_events + ?3, session_recordings = session_recordings + ?4, "
                               "heatmap_increments = heatmap_increments + ?5, poll_answers = "
                               "poll_answers + ?6, survey_answers = survey_answers + ?7, "
                               "funnel_matches = funnel_matches + ?8 WHERE id = ?1");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    for (int i = 0; i < USAGE__COUNT; i++)
        sqlite3_bind_int64(st, 2 + i, counts[i]);
    return db_step_done(db, st, true);
}

enum db_result events_db_insert(struct db *db, const char *subscription_id,
                                const struct sub_event *ev)
{
    sqlite3_stmt *st = db_stmt(db, STMT_EVENT_INSERT,
                               "INSERT INTO subscription_events (subscription_id, at, action, "
                               "from_package_id, to_package_id, status_before, status_after, "
                               "credit_cents, charge_cents, periods, until_at) VALUES (?1, ?2, ?3, "
                               "NULLIF(?4, ''), NULLIF(?5, ''), NULLIF(?6, ''), ?7, ?8, ?9, ?10, "
                               "?11)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, subscription_id);
    sqlite3_bind_int64(st, 2, ev->at);
    db_bind_text(st, 3, ev->action);
    db_bind_text(st, 4, ev->from_package_id);
    db_bind_text(st, 5, ev->to_package_id);
    db_bind_text(st, 6, ev->status_before);
    db_bind_text(st, 7, ev->status_after);
    db_bind_int_or_null(st, 8, ev->credit_cents);
    db_bind_int_or_null(st, 9, ev->charge_cents);
    sqlite3_bind_int64(st, 10, ev->periods > 1 ? ev->periods : 1);
    db_bind_int_or_null(st, 11, ev->periods > 1 ? ev->until_at : -1);
    return db_step_done(db, st, false);
}

/* One history row as the admin API shows it. */
static cJSON *event_row_to_json(sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();
    json_add_time(o, "at", sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "action", (const char *)sqlite3_column_text(st, 1));
    json_add_string_or_null(o, "fromPackageId", (const char *)sqlite3_column_text(st, 2));
    json_add_string_or_null(o, "fromPackageName", (const char *)sqlite3_column_text(st, 3));
    json_add_string_or_null(o, "toPackageId", (const char *)sqlite3_column_text(st, 4));
    json_add_string_or_null(o, "toPackageName", (const char *)sqlite3_column_text(st, 5));
    json_add_string_or_null(o, "statusBefore", (const char *)sqlite3_column_text(st, 6));
    cJSON_AddStringToObject(o, "statusAfter", (const char *)sqlite3_column_text(st, 7));
    if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
        cJSON_AddNullToObject(o, "proration");
    } else {
        cJSON *p = cJSON_AddObjectToObject(o, "proration");
        cJSON_AddNumberToObject(p, "creditCents", (double)sqlite3_column_int64(st, 8));
        cJSON_AddNumberToObject(p, "chargeCents", (double)sqlite3_column_int64(st, 9));
    }
    cJSON_AddNumberToObject(o, "periods", (double)sqlite3_column_int64(st, 10));
    json_add_time(o, "until", db_column_int_or(st, 11, -1));
    return o;
}

enum db_result events_db_foreach(struct db *db, const char *subscription_id,
                                 void (*fn)(const cJSON *event, void *ctx), void *ctx)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_EVENT_LIST,
        "SELECT e.at, e.action, e.from_package_id, fp.name, e.to_package_id, tp.name, "
        "e.status_before, e.status_after, e.credit_cents, e.charge_cents, e.periods, e.until_at "
        "FROM "
        "subscription_events e LEFT JOIN packages fp ON fp.id = e.from_package_id LEFT JOIN "
        "packages tp ON tp.id = e.to_package_id WHERE e.subscription_id = ?1 ORDER BY e.at, e.id");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, subscription_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *o = event_row_to_json(st);
        fn(o, ctx);
        cJSON_Delete(o);
    }
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}
