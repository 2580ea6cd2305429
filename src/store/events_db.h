/* Store of subscription history: one row per change of a subscription (an action, or a
 * scheduled transition the clock passed), with its proration. SQL only. */
#ifndef MOCK3AS_EVENTS_DB_H
#define MOCK3AS_EVENTS_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/subscriptions_db.h"
#include "util/util.h"

/* Every kind of change: enum value, the text shown as "action", whether it starts a new
 * touchpoint period (usage back to zero), and whether consecutive ones of one catch-up fold
 * into one event ("periods"). The history stores the enum value (schema/011): append new kinds
 * at the end, never reorder, and extend the CHECK and the CASEs of subscription_history. */
#define FOR_EACH_SUB_EVENT(X)                                                                      \
    X(EV_CREATED, "created", false, false)                                                         \
    X(EV_UPGRADE, "upgrade", true, false)                                                          \
    X(EV_REACTIVATE, "reactivate", true, false)                                                    \
    X(EV_DOWNGRADE, "downgrade", false, false)                                                     \
    X(EV_CANCEL, "cancel", false, false)                                                           \
    X(EV_RESUME, "resume", false, false)                                                           \
    X(EV_DEACTIVATE, "deactivate", false, false)                                                   \
    X(EV_TRIAL_ENDED, "trial_ended", true, false)                                                  \
    X(EV_RENEWAL, "renewal", true, true)                                                           \
    X(EV_DOWNGRADE_APPLIED, "downgrade_applied", true, false)                                      \
    X(EV_CANCELLATION_APPLIED, "cancellation_applied", true, false)                                \
    X(EV_STP_RESET, "stp_reset", true, true)

#define SUB_EVENT_ENUM(id, text, resets, folds) id,
enum sub_event_kind { EV_NONE = -1, FOR_EACH_SUB_EVENT(SUB_EVENT_ENUM) EV__COUNT };
#undef SUB_EVENT_ENUM

/* The text of `kind` ("renewal"); NULL for EV_NONE. */
const char *sub_event_name(enum sub_event_kind kind);

/* The kind called `name`; EV_NONE when unknown. */
enum sub_event_kind sub_event_parse(const char *name);

/* Whether events of `kind` reset usage / fold when repeated (the table above). */
bool sub_event_kind_resets_usage(enum sub_event_kind kind);
bool sub_event_kind_folds(enum sub_event_kind kind);

/* One change to a subscription, for the history and for the clock's answer. */
struct sub_event {
    int64_t at;
    enum sub_event_kind kind;
    char from_package_id[UUID_SIZE]; /* "" for none */
    char to_package_id[UUID_SIZE];   /* "" for none */
    enum sub_status status_before;   /* SUB_STATUS_NONE for a creation */
    enum sub_status status_after;
    int64_t credit_cents, charge_cents; /* proration; -1 when none */
    int64_t periods;  /* consecutive renewals or resets this event stands for (1 or more) */
    int64_t until_at; /* the time of the last of them */
};

/* Append `ev` to subscription `subscription_id`'s history, its packages named by their ids.
 * DB_NOT_FOUND, and nothing written, when the subscription or a package named is unknown. */
enum db_result events_db_insert(struct db *db, const char *subscription_id,
                                const struct sub_event *ev);

/* The same, for a caller that holds the rowids the history refers to (a clock move: its
 * subscriptions and their packages are read already): the subscription's and, 0 for none, the
 * packages' (struct package's rowid). No lookup: about a third of an insert. */
struct event_keys {
    int64_t subscription, from_package, to_package;
};
enum db_result events_db_insert_keyed(struct db *db, const struct event_keys *keys,
                                      const struct sub_event *ev);

/* A stored event with the names its packages have now ("" and has_… false when the package is
 * gone or there was none). */
struct history_row {
    struct sub_event ev;
    char from_package_name[256];
    char to_package_name[256];
    bool has_from_name, has_to_name;
};

/* Call `fn` with each event of subscription `subscription_id` in time order (the row is borrowed
 * for the call). DB_ERROR (logged) when a stored kind or status is unknown. */
enum db_result events_db_foreach(struct db *db, const char *subscription_id,
                                 void (*fn)(const struct history_row *row, void *ctx), void *ctx);

#endif
