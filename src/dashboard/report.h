/* The numbers of the dashboard page: every one of them is the answer of a data API query
 * (data/analytics.c's data_query, the function POST /v2/websites/{id}/analytics/... answers
 * with) on the website's site (data/site.c, as the data API opens it). The query bodies are kept
 * so the page can show them: replayed against the data API, they give the same rows. */
#ifndef MOCK3AS_REPORT_H
#define MOCK3AS_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "data/analytics.h"
#include "data/synth.h"

struct report_query {
    enum data_view view; /* VIEW_SESSIONS or VIEW_PAGES */
    char *body;          /* the query, JSON text */
    cJSON *answer;       /* {"payload", "meta"} */
    const cJSON *rows;   /* its payload */
    bool refused;        /* the data API would refuse the query (then no rows) */
};

#define FOR_EACH_REPORT_QUERY(X)                                                                   \
    X(kpis)      /* the range's totals with the previous range: one row */                         \
    X(days)      /* the same metrics by date */                                                    \
    X(pages)     /* top pages by page views */                                                     \
    X(devices)   /* sessions by deviceType */                                                      \
    X(browsers)  /* sessions by browserName */                                                     \
    X(countries) /* sessions by countryCode */                                                     \
    X(sources)   /* sessions by referrerType */                                                    \
    X(period)    /* visits of the current touchpoint period so far */

struct report {
#define REPORT_FIELD(name) struct report_query name;
    FOR_EACH_REPORT_QUERY(REPORT_FIELD)
#undef REPORT_FIELD
};

/* Run every query on `site` at the partner's time `now`: the range is the whole UTC days from
 * `start` to `end` (midnights), compared with as many days before it. */
void report_run(struct report *r, const struct synth_site *site, int64_t start, int64_t end,
                int64_t now);

void report_release(struct report *r);

/* Number `name` of `row` (0 when absent or null); whether it is a number. */
double report_number(const cJSON *row, const char *name);
bool report_has_number(const cJSON *row, const char *name);

/* String `name` of `row` ("" when absent). */
const char *report_string(const cJSON *row, const char *name);

#endif
