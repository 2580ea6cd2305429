/* Store of recorded usage: per website, the billable events since its subscription's last
 * touchpoint reset (the columns of `websites` named in FOR_EACH_USAGE). SQL only. */
#ifndef MOCK3AS_USAGE_DB_H
#define MOCK3AS_USAGE_DB_H

#include <stdint.h>

#include "store/db.h"

/* Billable event kinds: enum value, the name inside stpRate…/stpConsumed…, the rate in tenths
 * of a touchpoint per event (README: "Consumption rates"). The order is the column order. */
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

/* Zero the usage of every website on subscription `id` (a new touchpoint period). */
enum db_result usage_db_reset(struct db *db, const char *subscription_id);

/* The same for every subscription of partner `intp_id` whose id is in `ids_json` (a JSON array
 * of strings): one statement for a slice of a catch-up. */
enum db_result usage_db_reset_many(struct db *db, const char *intp_id, const char *ids_json);

/* Whether any website of partner `intp_id` has usage (then a catch-up has resets to make). */
enum db_result usage_db_in_use(struct db *db, const char *intp_id, bool *any);

/* Add `counts` (USAGE__COUNT event counts) to website `website_id`'s usage. */
enum db_result usage_db_add(struct db *db, const char *website_id,
                            const int64_t counts[USAGE__COUNT]);

#endif
