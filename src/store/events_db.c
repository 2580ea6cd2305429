/* Store of subscription history: SQL only. */
#include "store/events_db.h"

#include <string.h>

#include "util/log.h"

#define EVENT_TEXT(id, text, resets, folds)   text,
#define EVENT_RESETS(id, text, resets, folds) resets,
#define EVENT_FOLDS(id, text, resets, folds)  folds,
static const char *const event_names[] = {FOR_EACH_SUB_EVENT(EVENT_TEXT)};
static const bool event_resets[] = {FOR_EACH_SUB_EVENT(EVENT_RESETS)};
static const bool event_folds[] = {FOR_EACH_SUB_EVENT(EVENT_FOLDS)};
#undef EVENT_TEXT
#undef EVENT_RESETS
#undef EVENT_FOLDS

const char *sub_event_name(enum sub_event_kind kind)
{
    return kind >= 0 && kind < EV__COUNT ? event_names[kind] : NULL;
}

enum sub_event_kind sub_event_parse(const char *name)
{
    return (enum sub_event_kind)str_index(event_names, EV__COUNT, name); /* -1: EV_NONE */
}

bool sub_event_kind_resets_usage(enum sub_event_kind kind)
{
    return kind >= 0 && kind < EV__COUNT && event_resets[kind];
}

bool sub_event_kind_folds(enum sub_event_kind kind)
{
    return kind >= 0 && kind < EV__COUNT && event_folds[kind];
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
    db_bind_text(st, 3, sub_event_name(ev->kind));
    db_bind_text(st, 4, ev->from_package_id);
    db_bind_text(st, 5, ev->to_package_id);
    db_bind_text(st, 6, sub_status_name(ev->status_before));
    db_bind_text(st, 7, sub_status_name(ev->status_after));
    db_bind_int_or_null(st, 8, ev->credit_cents);
    db_bind_int_or_null(st, 9, ev->charge_cents);
    sqlite3_bind_int64(st, 10, ev->periods > 1 ? ev->periods : 1);
    db_bind_int_or_null(st, 11, ev->periods > 1 ? ev->until_at : -1);
    return db_step_done(db, st, false);
}

/* One stored event and its packages' names. Returns -1 when a stored kind or status is not
 * one of ours. */
static int read_row(sqlite3_stmt *st, struct history_row *row)
{
    struct sub_event *ev = &row->ev;
    ev->at = sqlite3_column_int64(st, 0);
    ev->kind = sub_event_parse((const char *)sqlite3_column_text(st, 1));
    db_column_copy(st, 2, ev->from_package_id, sizeof(ev->from_package_id));
    row->has_from_name =
        db_column_copy(st, 3, row->from_package_name, sizeof(row->from_package_name));
    db_column_copy(st, 4, ev->to_package_id, sizeof(ev->to_package_id));
    row->has_to_name = db_column_copy(st, 5, row->to_package_name, sizeof(row->to_package_name));
    ev->status_before = sub_status_parse((const char *)sqlite3_column_text(st, 6));
    ev->status_after = sub_status_parse((const char *)sqlite3_column_text(st, 7));
    ev->credit_cents = db_column_int_or(st, 8, -1);
    ev->charge_cents = db_column_int_or(st, 9, -1);
    ev->periods = sqlite3_column_int64(st, 10);
    ev->until_at = db_column_int_or(st, 11, -1);
    bool before_ok =
        ev->status_before != SUB_STATUS_NONE || sqlite3_column_type(st, 6) == SQLITE_NULL;
    return ev->kind != EV_NONE && ev->status_after != SUB_STATUS_NONE && before_ok ? 0 : -1;
}

enum db_result events_db_foreach(struct db *db, const char *subscription_id,
                                 void (*fn)(const struct history_row *row, void *ctx), void *ctx)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_EVENT_LIST,
        "SELECT e.at, e.action, e.from_package_id, fp.name, e.to_package_id, tp.name, "
        "e.status_before, e.status_after, e.credit_cents, e.charge_cents, e.periods, e.until_at "
        "FROM "
        "subscription_events e LEFT JOIN packages fp ON fp.id = e.from_package_id LEFT JOIN "
        "packages tp ON tp.id = e.to_package_id WHERE e.subscription_id = ?1 ORDER BY e.at, e.id");
    struct history_row row;
    enum db_result r = DB_OK;
    int rc = SQLITE_DONE;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, subscription_id);
    while (r == DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (read_row(st, &row) == 0) {
            fn(&row, ctx);
        } else {
            log_error("subscription %s: unknown event kind or status in its history",
                      subscription_id);
            r = DB_ERROR;
        }
    }
    if (r == DB_OK)
        r = db_step_result(db, rc);
    db_done(st);
    return r;
}
