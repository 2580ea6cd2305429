/* The counters of GET /metrics (metrics.h): one row per route of the table plus one per method
 * for requests that matched no route, each row a counter per status and a latency histogram. */
#include "http/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "util/util.h"

#define STATUS_CODE(name, code, reason) code,
static const int statuses[] = {FOR_EACH_HTTP_STATUS(STATUS_CODE)};
#undef STATUS_CODE
#define NSTATUS ARRAY_SIZE(statuses)

#define BUCKET_BOUND(s) s,
static const double buckets[] = {FOR_EACH_LATENCY_BUCKET(BUCKET_BOUND)};
#undef BUCKET_BOUND
#define NBUCKETS (ARRAY_SIZE(buckets) + 1) /* the last one is +Inf */

/* The rows of requests that matched no route, by method. */
static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
#define NMETHODS (ARRAY_SIZE(methods) + 1) /* the last one is every other method */

struct row {
    _Atomic uint64_t by_status[NSTATUS];
    _Atomic uint64_t by_bucket[NBUCKETS]; /* not cumulative; metrics_render sums them up */
    _Atomic uint64_t sum_us;
};

struct metrics {
    const struct route *routes;
    size_t nroutes;
    struct row *rows; /* nroutes + NMETHODS */
    _Atomic uint64_t clock_moves, transitions;
    pthread_mutex_t faults_lock; /* guards adding a name; the counts are atomic */
    char fault_names[METRICS_MAX_FAULTS + 1][48];
    _Atomic uint64_t fault_counts[METRICS_MAX_FAULTS + 1]; /* the last one is "other" */
    _Atomic int nfaults;
};

struct metrics *metrics_new(const struct route *routes)
{
    struct metrics *m = xcalloc(1, sizeof(*m));
    m->routes = routes;
    while (routes && routes[m->nroutes].method)
        m->nroutes++;
    m->rows = xcalloc(m->nroutes + NMETHODS, sizeof(*m->rows));
    pthread_mutex_init(&m->faults_lock, NULL);
    snprintf(m->fault_names[METRICS_MAX_FAULTS], sizeof(m->fault_names[0]), "other");
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->faults_lock);
    free(m->rows);
    free(m);
}

static size_t row_of(const struct metrics *m, const struct route *route, const char *method)
{
    if (route)
        return (size_t)(route - m->routes);
    int i = str_index(methods, (int)ARRAY_SIZE(methods), method);
    return m->nroutes + (i < 0 ? ARRAY_SIZE(methods) : (size_t)i);
}

static void add(_Atomic uint64_t *counter, uint64_t n)
{
    atomic_fetch_add_explicit(counter, n, memory_order_relaxed);
}

static uint64_t get(_Atomic uint64_t *counter)
{
    return atomic_load_explicit(counter, memory_order_relaxed);
}

void metrics_request(struct metrics *m, const struct route *route, const char *method, int status,
                     int64_t duration_us)
{
    struct row *r = &m->rows[row_of(m, route, method)];
    size_t b = 0;
    for (size_t s = 0; s < NSTATUS; s++)
        if (statuses[s] == status)
            add(&r->by_status[s], 1);
    while (b < ARRAY_SIZE(buckets) && (double)duration_us > buckets[b] * 1e6)
        b++;
    add(&r->by_bucket[b], 1);
    add(&r->sum_us, duration_us > 0 ? (uint64_t)duration_us : 0);
}

void metrics_fault_fired(struct metrics *m, const char *fault)
{
    int n = atomic_load(&m->nfaults), i;
    for (i = 0; i < n && strcmp(m->fault_names[i], fault) != 0; i++)
        ;
    if (i == n) {
        pthread_mutex_lock(&m->faults_lock);
        n = atomic_load(&m->nfaults);
        for (i = 0; i < n && strcmp(m->fault_names[i], fault) != 0; i++)
            ;
        if (i == n && n < METRICS_MAX_FAULTS) {
            snprintf(m->fault_names[n], sizeof(m->fault_names[n]), "%s", fault);
            atomic_store(&m->nfaults, n + 1); /* published after the name is written */
        } else if (i == n) {
            i = METRICS_MAX_FAULTS;
        }
        pthread_mutex_unlock(&m->faults_lock);
    }
    add(&m->fault_counts[i], 1);
}

void metrics_clock_moved(struct metrics *m, uint64_t transitions)
{
    add(&m->clock_moves, 1);
    add(&m->transitions, transitions);
}

void metrics_print(struct strbuf *out, const char *name, const char *type, const char *help,
                   double value)
{
    strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, value);
}

/* A label value with \, " and newlines escaped. */
static void add_label_value(struct strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            strbuf_addch(out, '\\');
        if (*s == '\n')
            strbuf_addstr(out, "\\n");
        else
            strbuf_addch(out, *s);
    }
}

/* The method and route labels of row `i`. */
static void add_row_labels(struct strbuf *out, const struct metrics *m, size_t i)
{
    const char *method = i < m->nroutes                         ? m->routes[i].method
                         : i - m->nroutes < ARRAY_SIZE(methods) ? methods[i - m->nroutes]
                                                                : "other";
    strbuf_addf(out, "method=\"%s\",route=\"", method);
    add_label_value(out, i < m->nroutes ? m->routes[i].pattern : "none");
    strbuf_addch(out, '"');
}

static uint64_t row_count(struct row *r)
{
    uint64_t n = 0;
    for (size_t b = 0; b < NBUCKETS; b++)
        n += get(&r->by_bucket[b]);
    return n;
}

static void render_requests(struct metrics *m, struct strbuf *out)
{
    strbuf_addstr(out, "# HELP mock3as_http_requests_total Requests answered, by route template "
                       "(none: no route matched) and status.\n"
                       "# TYPE mock3as_http_requests_total counter\n");
    for (size_t i = 0; i < m->nroutes + NMETHODS; i++)
        for (size_t s = 0; s < NSTATUS; s++) {
            uint64_t n = get(&m->rows[i].by_status[s]);
            if (!n)
                continue;
            strbuf_addstr(out, "mock3as_http_requests_total{");
            add_row_labels(out, m, i);
            strbuf_addf(out, ",status=\"%d\"} %llu\n", statuses[s], (unsigned long long)n);
        }
}

static void render_latency(struct metrics *m, struct strbuf *out)
{
    const char *name = "mock3as_http_request_duration_seconds";
    strbuf_addf(out,
                "# HELP %s Time from a request's first byte to its answer, by route template.\n"
                "# TYPE %s histogram\n",
                name, name);
    for (size_t i = 0; i < m->nroutes + NMETHODS; i++) {
        struct row *r = &m->rows[i];
        uint64_t total = row_count(r), cumulative = 0;
        if (!total)
            continue;
        for (size_t b = 0; b < NBUCKETS; b++) {
            cumulative += get(&r->by_bucket[b]);
            strbuf_addf(out, "%s_bucket{", name);
            add_row_labels(out, m, i);
            if (b < ARRAY_SIZE(buckets))
                strbuf_addf(out, ",le=\"%g\"} %llu\n", buckets[b], (unsigned long long)cumulative);
            else
                strbuf_addf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)total);
        }
        strbuf_addf(out, "%s_sum{", name);
        add_row_labels(out, m, i);
        strbuf_addf(out, "} %.6f\n%s_count{", (double)get(&r->sum_us) / 1e6, name);
        add_row_labels(out, m, i);
        strbuf_addf(out, "} %llu\n", (unsigned long long)total);
    }
}

static void render_faults(struct metrics *m, struct strbuf *out)
{
    int n = atomic_load(&m->nfaults);
    strbuf_addstr(out, "# HELP mock3as_faults_fired_total Injected faults fired, by fault.\n"
                       "# TYPE mock3as_faults_fired_total counter\n");
    for (int i = 0; i <= METRICS_MAX_FAULTS; i++) {
        uint64_t count = get(&m->fault_counts[i]);
        if (i >= n && (i < METRICS_MAX_FAULTS || !count))
            continue;
        strbuf_addstr(out, "mock3as_faults_fired_total{fault=\"");
        add_label_value(out, m->fault_names[i]);
        strbuf_addf(out, "\"} %llu\n", (unsigned long long)count);
    }
}

void metrics_render(struct metrics *m, struct strbuf *out)
{
    render_requests(m, out);
    render_latency(m, out);
    render_faults(m, out);
    metrics_print(out, "mock3as_clock_moves_total", "counter",
                  "Partner clock moves (POST /__admin/intps/{id}/clock).",
                  (double)get(&m->clock_moves));
    metrics_print(out, "mock3as_clock_transitions_applied_total", "counter",
                  "Scheduled subscription transitions applied by clock moves.",
                  (double)get(&m->transitions));
}
