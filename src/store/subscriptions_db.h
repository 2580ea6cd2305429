/* Store of subscriptions: the record both models share (a website's own, or an intpc
 * customer's pool), its status vocabulary, and the scan for due transitions. SQL only. */
#ifndef MOCK3AS_SUBSCRIPTIONS_DB_H
#define MOCK3AS_SUBSCRIPTIONS_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/usage_db.h"
#include "util/util.h"

/* A subscription's status: enum value and the text stored and shown (contract §4.6). */
#define FOR_EACH_SUB_STATUS(X)                                                                     \
    X(SUB_ACTIVE, "active")                                                                        \
    X(SUB_CANCELED, "canceled")                                                                    \
    X(SUB_INACTIVE, "inactive")

#define SUB_STATUS_ENUM(id, text) id,
enum sub_status { SUB_STATUS_NONE = -1, FOR_EACH_SUB_STATUS(SUB_STATUS_ENUM) SUB__COUNT };
#undef SUB_STATUS_ENUM

/* The text of `s` ("active"); NULL for SUB_STATUS_NONE. */
const char *sub_status_name(enum sub_status s);

/* The status called `name`; SUB_STATUS_NONE when `name` is none of them. */
enum sub_status sub_status_parse(const char *name);

struct subscription {
    char id[UUID_SIZE];
    char intp_id[INTP_ID_SIZE];
    char type[8];                /* "website" | "intpc" */
    char website_id[UUID_SIZE];  /* website model, else "" */
    char customer_id[UUID_SIZE]; /* intpc model, else "" */
    char package_id[UUID_SIZE];
    enum sub_status status;
    int64_t billing_anchor;
    int64_t period_start;
    int64_t expires_at;
    int64_t stp_reset_at;
    int64_t last_package_change_at; /* -1: never */
    bool in_trial;
    bool had_trial;
    int64_t trial_ends_at;              /* -1: no trial running */
    char trial_fallback_id[UUID_SIZE];  /* the package a trial falls to, "" to stay */
    char planned_package_id[UUID_SIZE]; /* scheduled downgrade or cancel target, "" for none */
    int64_t created_at;
    int64_t usage[USAGE__COUNT]; /* events since the last stp reset */
};

/* Insert `s`. */
enum db_result subscriptions_db_insert(struct db *db, const struct subscription *s);

/* The id of customer `customer_id`'s (intpc model) subscription into id[UUID_SIZE];
 * DB_NOT_FOUND for a customer of a website-model partner. */
enum db_result subscriptions_db_of_customer(struct db *db, const char *customer_id, char *id);

/* Subscription `id` into *out, with its pool usage (the sum over its websites) in out->usage.
 * DB_ERROR (logged) when the stored status is not one of FOR_EACH_SUB_STATUS. */
enum db_result subscriptions_db_get(struct db *db, const char *id, struct subscription *out);

/* Write back everything an action or a transition may change. */
enum db_result subscriptions_db_update(struct db *db, const struct subscription *s);

/* Where a walk over a partner's due subscriptions stands: after the row whose next due time
 * and rowid these are. DUE_CURSOR_START: before the first. */
struct due_cursor {
    int64_t due_at;
    int64_t rowid;
};

#define DUE_CURSOR_START ((struct due_cursor){INT64_MIN, INT64_MIN})

/* A due subscription as read, and its row. */
struct due_subscription {
    struct subscription sub; /* usage left zero */
    int64_t rowid;
    int64_t due_at; /* its next_due_at: {due_at, rowid} is a cursor that resumes after it */
};

/* Up to `max` subscriptions of the partner with a transition due at or before `now` that come
 * after *cursor, earliest first (ties in table order), into out[0..*n); the cursor moves past
 * the last one. Pages read one after another give the rows one scan would have given, except
 * those changed in between. DB_ERROR (logged) at a row whose status is not one of
 * FOR_EACH_SUB_STATUS (the rows before it are in out[]). */
enum db_result subscriptions_db_due_page(struct db *db, const char *intp_id, int64_t now,
                                         struct due_cursor *cursor, struct due_subscription *out,
                                         size_t max, size_t *n);

/* Write back `s`, which was `before` when its due page was read (same transaction): only the
 * period columns (period_start, expires_at, stp_reset_at) when nothing else changed (a run of
 * renewals or touchpoint resets), else all that subscriptions_db_update() writes. */
enum db_result subscriptions_db_update_due(struct db *db, const struct due_subscription *before,
                                           const struct subscription *s);

/* The earliest moment a transition of the partner's subscriptions falls due into *at (INT64_MAX
 * when none is scheduled). */
enum db_result subscriptions_db_next_due(struct db *db, const char *intp_id, int64_t *at);

#endif
