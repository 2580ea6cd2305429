/* Counters for GET /metrics (Prometheus text exposition format 0.0.4): requests by route and
 * status, their latency as a histogram, faults fired, clock moves and the transitions they
 * applied. Counting is a few relaxed atomic additions, safe from any thread; the rest of the
 * exposition (gauges read from the app) is printed by the handler with metrics_print(). */
#ifndef MOCK3AS_METRICS_H
#define MOCK3AS_METRICS_H

#include <stdint.h>

#include "http/router.h"
#include "util/strbuf.h"

/* Upper bounds (seconds) of the latency histogram's buckets; +Inf follows. */
#define FOR_EACH_LATENCY_BUCKET(X)                                                                 \
    X(0.0001)                                                                                      \
    X(0.00025)                                                                                     \
    X(0.0005)                                                                                      \
    X(0.001)                                                                                       \
    X(0.0025)                                                                                      \
    X(0.005)                                                                                       \
    X(0.01)                                                                                        \
    X(0.025)                                                                                       \
    X(0.05)                                                                                        \
    X(0.1)                                                                                         \
    X(0.25)                                                                                        \
    X(0.5)                                                                                         \
    X(1)                                                                                           \
    X(2.5)                                                                                         \
    X(5)

#define METRICS_MAX_FAULTS 32 /* distinct fault names counted; later ones count as "other" */

struct metrics;

/* Counters for the routes of `routes` (the table the app serves; borrowed, must outlive). */
struct metrics *metrics_new(const struct route *routes);
void metrics_free(struct metrics *m);

/* One answered request: its route (NULL when none matched; `method` then names the row), its
 * status and how long it took. */
void metrics_request(struct metrics *m, const struct route *route, const char *method, int status,
                     int64_t duration_us);

/* A fault (an injected failure, by name: "latency", "error", …) fired on a request. */
void metrics_fault_fired(struct metrics *m, const char *fault);

/* A partner's clock moved (POST /__admin/intps/{id}/clock), applying `transitions` scheduled
 * transitions. */
void metrics_clock_moved(struct metrics *m, uint64_t transitions);

/* Append the counters above to `out` in the text exposition format. */
void metrics_render(struct metrics *m, struct strbuf *out);

/* Append one metric without labels: "# HELP", "# TYPE" (`type`: counter, gauge) and its
 * sample. */
void metrics_print(struct strbuf *out, const char *name, const char *type, const char *help,
                   double value);

#endif
