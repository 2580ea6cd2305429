/* Subscriptions: the record both models share, how a new one starts (period dates from the
 * package and billing date, or the 30-day unlimited free trial of contract D4), consumption
 * and its store. */
#ifndef MOCK3AS_SUBSCRIPTIONS_H
#define MOCK3AS_SUBSCRIPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store/db.h"
#include "store/packages_db.h"

#define UFT_DAYS 30

/* Billable event kinds: column, the name inside stpRate…/stpConsumed…, the rate in tenths of a
 * touchpoint per event (README: "Consumption rates"). */
#define FOR_EACH_USAGE(X)                                                                          \
    X(USAGE_VISITS, "Visit", 10)                                                                   \
    X(USAGE_VISIT_EVENTS, "VisitEvent", 1)                                                         \
    X(USAGE_SESSION_RECORDINGS, "SessionRecording", 50)                                            \
    X(USAGE_HEATMAP_INCREMENTS, "HeatmapIncrement", 5)                                             \
    X(USAGE_POLL_ANSWERS, "PollAnswer", 10)                                                        \
    X(USAGE_SURVEY_ANSWERS, "SurveyAnswer", 10)                                                    \
    X(USAGE_FUNNEL_MATCHES, "FunnelMatch", 5)

#define USAGE_ENUM(id, name, rate) id,
enum usage_kind { FOR_EACH_USAGE(USAGE_ENUM) USAGE__COUNT };
#undef USAGE_ENUM

struct subscription {
    char id[37];
    char intp_id[65];
    char type[8];         /* "website" | "intpc" */
    char website_id[37];  /* website model, else "" */
    char customer_id[37]; /* intpc model, else "" */
    char package_id[37];
    char status[9]; /* "active" | "canceled" | "inactive" */
    int64_t billing_anchor;
    int64_t period_start;
    int64_t expires_at;
    int64_t stp_reset_at;
    int64_t last_package_change_at; /* -1: never */
    bool in_trial;
    bool had_trial;
    int64_t trial_ends_at;       /* -1: no trial running */
    char trial_fallback_id[37];  /* the package a trial falls to, "" to stay */
    char planned_package_id[37]; /* scheduled downgrade or cancel target, "" for none */
    int64_t created_at;
    int64_t usage[USAGE__COUNT]; /* events since the last stp reset */
};

/* Fill the dates and trial state of a new subscription on `pkg`: the free trial (UFT, `pkg` is
 * the trial package) runs UFT_DAYS from `now` and falls to `fallback` (the Free package); any
 * other package bills in calendar periods (monthly/yearly) anchored on `anchor`, with
 * touchpoints reset monthly. Identity fields (id, type, owner) are the caller's. */
void subscription_start(struct subscription *s, const struct package *pkg,
                        const struct package *fallback, int64_t anchor, int64_t now);

/* The touchpoints `usage` consumed, in tenths (the rates of FOR_EACH_USAGE). */
int64_t usage_consumed_tenths(const int64_t usage[USAGE__COUNT]);

/* Add `consumption` (§4.4, all 16 numbers) to `obj`. `limit` is stpLimit (-1: unlimited or a
 * customer pool). */
void usage_add_json(cJSON *obj, const int64_t usage[USAGE__COUNT], int64_t limit);

/* Insert `s`. */
enum db_result subscriptions_db_insert(struct db *db, const struct subscription *s);

/* The id of customer `customer_id`'s (intpc model) subscription into id[37]. */
enum db_result subscriptions_db_of_customer(struct db *db, const char *customer_id, char *id);

/* Subscription `id` into *out, with its pool usage (the sum over its websites) in out->usage. */
enum db_result subscriptions_db_get(struct db *db, const char *id, struct subscription *out);

/* Write back everything an action or a transition may change. */
enum db_result subscriptions_db_update(struct db *db, const struct subscription *s);

/* Call `fn` with each subscription of the partner with a transition due at or before `now`,
 * earliest first (usage left zero; the struct is borrowed for the call). */
enum db_result subscriptions_db_foreach_due(struct db *db, const char *intp_id, int64_t now,
                                            void (*fn)(const struct subscription *s, void *ctx),
                                            void *ctx);

/* DB_OK when some subscription of the partner has a transition due at or before `now`. */
enum db_result subscriptions_db_any_due(struct db *db, const char *intp_id, int64_t now);

/* Zero the usage of every website on subscription `id` (a new touchpoint period). */
enum db_result usage_db_reset(struct db *db, const char *subscription_id);

/* The same for every subscription whose id is in `ids_json` (a JSON array of strings): one
 * statement for a whole catch-up. */
enum db_result usage_db_reset_many(struct db *db, const char *ids_json);

/* Add `counts` (USAGE__COUNT event counts) to website `website_id`'s usage. */
enum db_result usage_db_add(struct db *db, const char *website_id,
                            const int64_t counts[USAGE__COUNT]);

/* The history of subscription `id`: each stored event in order, as JSON objects passed to
 * `fn` (borrowed). */
struct sub_event;
enum db_result events_db_insert(struct db *db, const char *subscription_id,
                                const struct sub_event *ev);
enum db_result events_db_foreach(struct db *db, const char *subscription_id,
                                 void (*fn)(const cJSON *event, void *ctx), void *ctx);

#endif
