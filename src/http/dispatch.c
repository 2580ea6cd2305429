/* The dispatcher: route, authenticate (authenticate.c), put the request on its partner's clock
 * (applying the transitions that clock has passed: the one catch-up point), and run the
 * handler, inside one transaction when the route writes. Handlers never check auth, never open
 * transactions and never catch up. */
#include "http/request.h"

#include <stdio.h>
#include <string.h>

#include "billing/clock.h"
#include "http/authenticate.h"
#include "http/workers.h"
#include "store/clock_db.h"
#include "store/subscriptions_db.h"
#include "util/util.h"

/* An admin route with an {id} works on that partner as a partner route works on its token's. */
static void scope_admin(struct request *req)
{
    const char *id = request_param(req, "id");
    if (req->match.route->auth == AUTH_ADMIN && id)
        snprintf(req->auth.intp_id, sizeof(req->auth.intp_id), "%s", id);
}

/* The partner's clock into req->now, and every scheduled transition it has passed applied: inside
 * the route's transaction when it writes, else in one of its own. */
static int partner_time_or_reply(struct request *req, bool in_transaction, struct response *res)
{
    struct db *db = req->db;
    const char *id = req->auth.intp_id;
    struct partner_clock *c = &req->clock;
    if (clock_db_get(db, id, c) != DB_OK) {
        if (req->match.route->auth == AUTH_ADMIN)
            reply_error(res, ERR_INTP_NOT_FOUND, "id", "no intp with id '%s'", id);
        else
            reply_error(res, ERR_INTP_NOT_FOUND, NULL, "intp '%s' no longer exists", id);
        return -1;
    }
    req->now = clock_now(c, time_now());
    if (subscriptions_db_next_due(db, id, &req->next_due) != DB_OK)
        req->next_due = INT64_MIN; /* unknown: nothing is cached on it */
    if (req->next_due > req->now)
        return 0;
    /* in slices: between two of them every state is a valid one (see clock.h); not inside a
     * batch, whose requests each roll back to their own savepoint */
    struct catch_up sliced = {.may_yield = !req->batched};
    if (in_transaction && clock_catch_up(db, id, req->now, &sliced) == 0)
        return 0;
    if (!in_transaction && db_begin(db) == 0) {
        if (clock_catch_up(db, id, req->now, &sliced) == 0 && db_commit(db) == 0)
            return 0;
        db_rollback(db);
    }
    reply_error(res, ERR_INTERNAL, NULL, "could not apply the due subscription transitions");
    return -1;
}

/* Whether the request may reach its handler: authenticated, scoped to its partner, and not
 * answered by one of that partner's fault rules instead. */
static bool admitted(struct request *req, struct response *res)
{
    if (authenticate_or_reply(req, res))
        return false;
    scope_admin(req);
    return !faults_before_or_reply(req, res);
}

/* The handler's status, run on the partner's time when the request speaks for a partner. */
static enum http_status handle(struct request *req, bool in_transaction, struct response *res)
{
    if (req->auth.intp_id[0] && partner_time_or_reply(req, in_transaction, res))
        return res->status;
    return req->match.route->handler(req, res);
}

/* Run the handler on the partner's time; a writing route inside BEGIN IMMEDIATE … COMMIT,
 * rolled back on any error status. */
static void run(struct request *req, struct response *res)
{
    struct db *db = req->db;
    bool writes = req->match.route->writes;
    if (writes && db_begin(db)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not start a transaction");
        return;
    }
    enum http_status status = handle(req, writes, res);
    if (!writes)
        return;
    if (status >= 400) {
        db_rollback(db);
        return;
    }
    if (db_commit(db)) {
        db_rollback(db);
        reply_error(res, ERR_INTERNAL, NULL, "could not commit the transaction");
        /* the handler may have registered or dropped keys for what was just rolled back */
        app_forget_keys(req->app);
    }
}

bool dispatch_match(struct request *req, struct response *res)
{
    switch (router_match(req->app->routes, req->method, req->path, &req->match)) {
    case ROUTE_NOT_FOUND: {
        const struct route *near[3];
        char closest[320] = "";
        int n = router_near_misses(req->app->routes, req->method, req->path, near, 3);
        for (int i = 0; i < n; i++) /* a near-miss report, as WireMock's */
            snprintf(closest + strlen(closest), sizeof(closest) - strlen(closest), "%s%s %s",
                     i ? ", " : "; closest: ", near[i]->method, near[i]->pattern);
        reply_error(res, ERR_ROUTE_NOT_FOUND, NULL, "no route for %s %.200s%s", req->method,
                    req->path, closest);
        return true;
    }
    case ROUTE_METHOD_NOT_ALLOWED:
        reply_error(res, ERR_METHOD_NOT_ALLOWED, NULL, "%s is not allowed here; allowed: %s",
                    req->method, req->match.allow);
        strcpy(res->allow, req->match.allow);
        return true;
    case ROUTE_FOUND:
        break;
    }
    return false;
}

uint64_t dispatch_lane(const struct request *req, uint64_t connection)
{
    const struct route *r = req->match.route;
    uint64_t h = FNV1A_OFFSET + (uint64_t)r->auth;
    switch (r->auth) {
    case AUTH_ADMIN: {
        const char *id = request_param(req, "id");
        return id ? fnv1a(h, id) : fnv1a(h, r->pattern);
    }
    case AUTH_INTP:
        return fnv1a(h, request_header(req, "Authorization"));
    case AUTH_API_KEY:
        return fnv1a(h, request_header(req, "X-Api-Key"));
    case AUTH_DASHBOARD:
    case AUTH_NONE:
        break;
    }
    return fnv1a(h, "connection") ^ connection;
}

/* One request of a batch, inside the batch's transaction and its own savepoint: rolled back to
 * it on an error status. Returns whether it wrote something to commit. */
static bool run_in_batch(struct request *req, struct response *res)
{
    struct db *db = req->db;
    req->batched = true;
    if (!admitted(req, res))
        return false;
    if (db_savepoint(db)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not start a transaction");
        return false;
    }
    enum http_status status = handle(req, true, res);
    db_savepoint_end(db, status < 400);
    db_reset_all(db);
    return status < 400;
}

void dispatch_run_batch(struct request **reqs, struct response **res, size_t n)
{
    struct db *db = reqs[0]->db;
    bool wrote[WORKERS_BATCH_MAX] = {false};
    if (n == 1) {
        dispatch_run(reqs[0], res[0]);
        return;
    }
    if (db_begin(db)) {
        for (size_t i = 0; i < n; i++)
            reply_error(res[i], ERR_INTERNAL, NULL, "could not start a transaction");
        return;
    }
    for (size_t i = 0; i < n; i++)
        wrote[i] = run_in_batch(reqs[i], res[i]);
    if (db_commit(db)) {
        db_rollback(db);
        for (size_t i = 0; i < n; i++)
            if (wrote[i]) {
                response_clear(res[i]);
                reply_error(res[i], ERR_INTERNAL, NULL, "could not commit the transaction");
            }
        app_forget_keys(reqs[0]->app);
    }
    for (size_t i = 0; i < n; i++) /* an after-commit fault replaces its answer now */
        faults_after_run(reqs[i], res[i]);
}

void dispatch_run(struct request *req, struct response *res)
{
    /* a fault rule of the partner may answer instead of the handler, or after its commit */
    if (admitted(req, res)) {
        run(req, res);
        faults_after_run(req, res);
    }
    db_reset_all(req->db);
}

void dispatch(struct request *req, struct response *res)
{
    if (!dispatch_match(req, res))
        dispatch_run(req, res);
}
