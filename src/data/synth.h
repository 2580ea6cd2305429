/* Synthetic analytics data (contract D7): sessions generated from a seed made of the website's
 * uuid and the day, so the same website and day always give the same sessions. The volume
 * follows the website's package and its recorded usage. Pure: no I/O. */
#ifndef MOCK3AS_SYNTH_H
#define MOCK3AS_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

#define SYNTH_MAX_PAGES 8

struct synth_site {
    uint64_t seed;      /* from the website uuid */
    int64_t daily_base; /* average sessions per day */
    char origin[300];   /* "https://example.com" */
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
    int visitor;                        /* visitor number within the website */
};

/* The site of website `uuid` on `domain` (a host or a URL), with package `touchpoints` (-1:
 * unlimited) and `recorded_visits` of usage in the current period. */
void synth_site_init(struct synth_site *site, const char *uuid, const char *domain,
                     int64_t touchpoints, int64_t recorded_visits);

/* How many sessions day `day` (days since 1970-01-01, UTC) has. */
int synth_day_count(const struct synth_site *site, int64_t day);

/* Session `i` (0 <= i < synth_day_count) of day `day`. */
void synth_session(const struct synth_site *site, int64_t day, int i, struct session *out);

/* The session's id as a uuid-shaped string into out[UUID_SIZE]. */
void synth_session_id(const struct session *s, char out[UUID_SIZE]);

#endif
