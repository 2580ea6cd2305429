/* One HTTP request as handlers see it: method, path, route params, query, headers, body and
 * the authenticated caller. Built by http.c, authenticated by dispatch.c. */
#ifndef MOCK3AS_REQUEST_H
#define MOCK3AS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "http/app.h"
#include "http/faults.h"
#include "auth/token_cache.h"
#include "http/router.h"
#include "store/clock_db.h"
#include "util/util.h"

struct request {
    struct app *app;
    struct db *db; /* the connection of the thread that runs the request */
    const char *method;
    const char *path;         /* without the query string, still percent-encoded */
    struct route_match match; /* route and decoded {params} */
    const char *body;         /* NUL-terminated, body_len bytes ("" when none) */
    size_t body_len;
    struct auth auth; /* filled by the dispatcher for INTP/INTPC routes */
    int64_t now;      /* the partner's clock for partner routes (dispatcher), 0 elsewhere */
    struct partner_clock clock; /* that clock's setting, as the dispatcher read it */
    bool batched;               /* in a batch's transaction (dispatch_run_batch): no yields */
    int64_t next_due;           /* the partner's next scheduled transition after the catch-up, else
                                   INT64_MAX (INT64_MIN: unknown) */
    struct fault_hit fault;     /* what a fault rule of the partner does to it (http/faults.h) */
    char auth_failure[64];      /* which check a 401/403 of authenticate.c failed ("" else): for
                                   the journal and the debug log, never the client's body */
    /* Header (case-insensitive) and decoded query-string lookups; NULL when absent.
     * Returned strings are borrowed until the request ends. */
    const char *(*header)(void *ctx, const char *name);
    const char *(*query)(void *ctx, const char *name);
    void *ctx;
};

static inline const char *request_param(const struct request *req, const char *name)
{
    return route_param(&req->match, name);
}

/* The partner's time for this request: its clock, read once by the dispatcher; the wall clock
 * on routes of no partner. */
static inline int64_t request_now(const struct request *req)
{
    return req->now ? req->now : time_now();
}

static inline const char *request_header(const struct request *req, const char *name)
{
    return req->header(req->ctx, name);
}

static inline const char *request_query(const struct request *req, const char *name)
{
    return req->query(req->ctx, name);
}

/* Route the request, authenticate it, run its handler (inside a transaction when the route
 * writes) and leave the answer in `res`. Never fails: errors become D2 error responses.
 * dispatch_match() then dispatch_run(), in one go. */
void dispatch(struct request *req, struct response *res);

/* The part that needs no database (the HTTP thread runs it): match the route into req->match,
 * or answer 404/405 and return true. */
bool dispatch_match(struct request *req, struct response *res);

/* The worker lane of a matched request (http/workers.h): its partner as far as can be told
 * without the database (the {id} of an admin route, else its credential: the Authorization or
 * X-Api-Key header), or `connection` for routes of no partner. */
uint64_t dispatch_lane(const struct request *req, uint64_t connection);

/* The rest, on a worker with req->db: authenticate, scope to the partner and its clock, run the
 * handler. */
void dispatch_run(struct request *req, struct response *res);

/* dispatch_run() for n writing requests of one lane, in their order, in one transaction: each
 * in its own savepoint (rolled back to it on an error status, as a lone request is), one commit
 * for all, after which every answer goes out (a failed commit turns the answers of those that
 * wrote into 500s). All share reqs[0]->db. */
void dispatch_run_batch(struct request **reqs, struct response **res, size_t n);

#endif
