/* Synthetic analytics data (contract D7): sessions generated from a seed made of the website's
 * uuid and the day, so the same website, day and state always give the same sessions.
 *
 * The volume has one source of truth per stretch of time:
 * - before the website's creation: nothing;
 * - closed touchpoint periods (creation up to the start of the current one): the package's
 *   expected traffic, `daily_base` sessions on an average day (their usage is gone: the store
 *   zeroes it at every touchpoint reset);
 * - the current touchpoint period: exactly the visits recorded for it (the usage that the
 *   consumption counts), spread over the period's elapsed whole hours by day weights.
 * Pure: no I/O. */
#ifndef MOCK3AS_SYNTH_H
#define MOCK3AS_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

#define SYNTH_MAX_PAGES 8

struct synth_site {
    uint64_t seed;      /* from the website uuid */
    int64_t daily_base; /* sessions on an average day of a closed touchpoint period */
    int64_t created_at; /* no session starts before (INT64_MIN: unbounded) */
    /* The current touchpoint period: exactly period_visits sessions start in
     * [period_start, period_end); INT64_MAX for both until synth_site_bind(). */
    int64_t period_start, period_end;
    int64_t period_visits;
    int64_t period_weight; /* the sum of the day weights over that window */
    char origin[300];      /* "https://example.com" */
};

/* One day of a site: how many sessions start on it, the first `closed` of them in a closed
 * period (before period_start), the others in the current one. */
struct synth_day {
    int64_t day;   /* days since 1970-01-01 (UTC) */
    int64_t count; /* sessions that start on the day */
    int64_t closed;
};

struct session {
    uint64_t id_hi, id_lo; /* the session id, formatted by synth_session_id() */
    char date[11];         /* "YYYY-MM-DD" (UTC), set by the caller that walks days */
    int64_t started_at, ended_at;
    int64_t duration; /* seconds */
    int pageviews;
    bool bounced;
    const char *device, *browser, *os, *country, *referrer_type, *referrer;
    const char *pages[SYNTH_MAX_PAGES]; /* paths visited, in order; entry first, exit last */
    int64_t visitor;                    /* visitor number within the website */
};

/* The site of website `uuid` on `domain` (a host or a URL), with package `touchpoints` (-1:
 * unlimited) and `recorded_visits` of usage in the current touchpoint period. Unbound: every
 * day has the package's traffic until synth_site_bind() places the site in time. */
void synth_site_init(struct synth_site *site, const char *uuid, const char *domain,
                     int64_t touchpoints, int64_t recorded_visits);

/* Place the site in time: created at `created_at`, its current touchpoint period begun at
 * `period_start` (clamped to created_at), seen at the partner's time `now`. The recorded visits
 * then start in [period_start, the last whole hour of now) (when the period began within the
 * current hour: [period_start, now]). */
void synth_site_bind(struct synth_site *site, int64_t created_at, int64_t period_start,
                     int64_t now);

/* Day `day` (days since 1970-01-01, UTC) of the site into *out. */
void synth_day_open(const struct synth_site *site, int64_t day, struct synth_day *out);

/* How many sessions day `day` has (synth_day_open's count). */
int64_t synth_day_count(const struct synth_site *site, int64_t day);

/* Session `i` (0 <= i < d->count) of day `d`. */
void synth_session(const struct synth_site *site, const struct synth_day *d, int64_t i,
                   struct session *out);

/* The session's id as a uuid-shaped string into out[UUID_SIZE]. */
void synth_session_id(const struct session *s, char out[UUID_SIZE]);

#endif
