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

/* The stored numbers of enum sub_event_kind and enum sub_status (schema/011's CHECKs). */
_Static_assert(EV__COUNT == 12, "schema/011: subscription_history.action holds 0-11");
_Static_assert(SUB__COUNT == 3, "schema/011: subscription_history statuses hold 0-2");

/* ?2.. the event's own columns, after the subscription (?1) and its packages (?4, ?5). */
static void bind_event(sqlite3_stmt *st, const struct sub_event *ev)
{
    sqlite3_bind_int64(st, 2, ev->at);
    sqlite3_bind_int(st, 3, (int)ev->kind);
    db_bind_int_or_null(st, 6, ev->status_before);
    sqlite3_bind_int(st, 7, (int)ev->status_after);
    db_bind_int_or_null(st, 8, ev->credit_cents);
    db_bind_int_or_null(st, 9, ev->charge_cents);
    sqlite3_bind_int64(st, 10, ev->periods > 1 ? ev->periods : 1);
    db_bind_int_or_null(st, 11, ev->periods > 1 ? ev->until_at : -1);
}

#define HISTORY_COLUMNS                                                                            \
    "subscription_history (subscription, at, action, from_package, to_package, status_before, "    \
    "status_after, credit_cents, charge_cents, periods, until_at)"

enum db_result events_db_insert(struct db *db, const char *subscription_id,
                                const struct sub_event *ev)
{
    /* nothing inserted (DB_NOT_FOUND) for an unknown subscription or package */
    sqlite3_stmt *st = db_stmt(
        db, STMT_EVENT_INSERT,
        "INSERT INTO " HISTORY_COLUMNS " SELECT s.rowid, ?2, ?3, fp.rowid, tp.rowid, ?6, ?7, ?8, "
        "?9, ?10, ?11 FROM subscriptions s LEFT JOIN packages fp ON fp.id = ?4 LEFT JOIN packages "
        "tp ON tp.id = ?5 WHERE s.id = ?1 AND (?4 IS NULL OR fp.rowid IS NOT NULL) AND (?5 IS "
        "NULL OR tp.rowid IS NOT NULL)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, subscription_id);
    db_bind_text(st, 4, ev->from_package_id[0] ? ev->from_package_id : NULL);
    db_bind_text(st, 5, ev->to_package_id[0] ? ev->to_package_id : NULL);
    bind_event(st, ev);
    return db_step_done(db, st, true);
}

enum db_result events_db_insert_keyed(struct db *db, const struct event_keys *keys,
                                      const struct sub_event *ev)
{
    sqlite3_stmt *st = db_stmt(db, STMT_EVENT_INSERT_KEYED,
                               "INSERT INTO " HISTORY_COLUMNS
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st)
        return DB_ERROR;
    sqlite3_bind_int64(st, 1, keys->subscription);
    db_bind_int_or_null(st, 4, keys->from_package > 0 ? keys->from_package : -1);
    db_bind_int_or_null(st, 5, keys->to_package > 0 ? keys->to_package : -1);
    bind_event(st, ev);
    return db_step_done(db, st, false);
}

/* One stored event and its packages' names. Returns -1 when a stored kind or status is not
 * one of ours. */
static int read_row(sqlite3_stmt *st, struct history_row *row)
{
    struct sub_event *ev = &row->ev;
    int64_t kind = sqlite3_column_int64(st, 1), after = sqlite3_column_int64(st, 7);
    int64_t before = db_column_int_or(st, 6, SUB_STATUS_NONE);
    bool known = kind >= 0 && kind < EV__COUNT && after >= 0 && after < SUB__COUNT &&
                 before >= SUB_STATUS_NONE && before < SUB__COUNT;
    if (!known)
        return -1;
    ev->at = sqlite3_column_int64(st, 0);
    ev->kind = (enum sub_event_kind)kind;
    db_column_copy(st, 2, ev->from_package_id, sizeof(ev->from_package_id));
    row->has_from_name =
        db_column_copy(st, 3, row->from_package_name, sizeof(row->from_package_name));
    db_column_copy(st, 4, ev->to_package_id, sizeof(ev->to_package_id));
    row->has_to_name = db_column_copy(st, 5, row->to_package_name, sizeof(row->to_package_name));
    ev->status_before = (enum sub_status)before;
    ev->status_after = (enum sub_status)after;
    ev->credit_cents = db_column_int_or(st, 8, -1);
    ev->charge_cents = db_column_int_or(st, 9, -1);
    ev->periods = sqlite3_column_int64(st, 10);
    ev->until_at = db_column_int_or(st, 11, -1);
    return 0;
}

enum db_result events_db_foreach(struct db *db, const char *subscription_id,
                                 void (*fn)(const struct history_row *row, void *ctx), void *ctx)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_EVENT_LIST,
        "SELECT e.at, e.action, fp.id, fp.name, tp.id, tp.name, e.status_before, e.status_after, "
        "e.credit_cents, e.charge_cents, e.periods, e.until_at FROM subscription_history e "
        "LEFT JOIN packages fp ON fp.rowid = e.from_package LEFT JOIN packages tp ON tp.rowid = "
        "e.to_package WHERE e.subscription = (SELECT rowid FROM subscriptions WHERE id = ?1) "
        "ORDER BY e.at, e.id");
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
