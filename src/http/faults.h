/* Fault injection per partner (README "Fault injection"): which stored rule a request of a
 * partner meets, whether it fires (seeded draws, so a run can be replayed), what it does to the
 * answer (a D2 error status, a delay, a dropped connection, before or after the handler's commit),
 * and a per-process copy of every partner's rules, read again only when the database changed, so
 * that requests of partners without rules cost no query. */
#ifndef MOCK3AS_FAULTS_H
#define MOCK3AS_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "http/router.h"
#include "store/faults_db.h"

#define FAULT_MAX_RULES    32    /* per partner */
#define FAULT_MAX_DELAY_MS 60000 /* every delay, sampled ones included, is at most this */

struct request;
struct response;
struct db;

/* What a fired rule does to its request: filled by faults_before_or_reply() on the worker, read
 * by http.c when it answers (delay, drop, Retry-After). Zeroed with the request. */
struct fault_hit {
    bool partner_has_rules; /* the answer must not be kept in the answer cache */
    bool fired;             /* a rule fired: the fields below apply */
    bool pending;           /* after_commit: applied by faults_after_run() */
    bool drop;              /* close the connection without an answer */
    int status;             /* the injected status, 0: the handler's answer stands */
    int64_t delay_ms;       /* hold the answer this long */
    int64_t retry_after;    /* seconds for Retry-After, -1: none */
    cJSON *body;            /* pending: the body to answer (owned until faults_after_run) */
    char rule_id[UUID_SIZE];
};

/* ---- pure parts (unit-tested) ---- */

/* Whether rule `r` applies to a request of `method` on route template `route` (src/routes.c)
 * and raw path `path`: an absent method, route or path matches anything; a path ending in '*'
 * is a prefix. */
bool fault_rule_matches(const struct fault_rule *r, const char *method, const char *route,
                        const char *path);

/* Draw number `n` (from 1) of stream `stream` of seed `seed`: uniform in [0, 1), the same on
 * every run and machine. */
double fault_draw(int64_t seed, int64_t n, unsigned stream);

/* Whether rule `r` fires on the request that is its draw `n`. */
bool fault_fires(const struct fault_rule *r, int64_t n);

/* The delay of rule `r` on its draw `n`, in ms: fixed, uniform in [min, max], or lognormal
 * around the median, capped at FAULT_MAX_DELAY_MS; 0 when it has none. */
int64_t fault_delay_sample(const struct fault_rule *r, int64_t n);

/* Whether requests of `route` can be faulted: partner routes (INTP token) and the data API
 * (X-Api-Key); never admin routes, the dashboard page or routes of no partner. */
bool fault_route_faultable(const struct route *route);

/* The D2 error id of an injectable status, or -1 when `status` cannot be injected (only 429,
 * 500, 502, 503 and 504 can). */
int fault_status_error(int status);

/* ---- the rules of every partner, per process ---- */

struct faults;

struct faults *faults_new(void);
void faults_free(struct faults *f);

/* ---- on the worker (http/dispatch.c) ---- */

/* Before the handler: find the first rule of the request's partner that matches and fires
 * (counters advance in one short transaction of their own), and apply it. Returns 1 when the
 * request is answered (an injected status, or a drop) and the handler must not run; else 0 (no
 * rule fired, a delay only, or a rule that applies after the commit). Routes of no partner and
 * admin routes are never faulted. */
int faults_before_or_reply(struct request *req, struct response *res);

/* After the handler ran (and its transaction committed): apply a pending after-commit rule. */
void faults_after_run(struct request *req, struct response *res);

#endif
