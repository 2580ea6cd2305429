/* The dispatcher: route, authenticate (authenticate.c), put the request on its partner's clock
 * (applying the transitions that clock has passed: the one catch-up point), and run the
 * handler, inside one transaction when the route writes. Handlers never check auth, never open
 * transactions and never catch up. */
#include "http/request.h"

#include <stdio.h>
#include <string.h>

#include "billing/clock.h"
#include "http/authenticate.h"
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
    struct db *db = &req->app->db;
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
    if (subscriptions_db_any_due(db, id, req->now) != DB_OK)
        return 0;
    if (in_transaction && clock_catch_up(db, id, req->now, NULL) == 0)
        return 0;
    if (!in_transaction && db_begin(db) == 0) {
        if (clock_catch_up(db, id, req->now, NULL) == 0 && db_commit(db) == 0)
            return 0;
        db_rollback(db);
    }
    reply_error(res, ERR_INTERNAL, NULL, "could not apply the due subscription transitions");
    return -1;
}

/* Run the handler on the partner's time; a writing route inside BEGIN IMMEDIATE … COMMIT,
 * rolled back on any error status. */
static void run(struct request *req, struct response *res)
{
    struct db *db = &req->app->db;
    bool writes = req->match.route->writes, scoped = req->auth.intp_id[0] != '\0';
    if (writes && db_begin(db)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not start a transaction");
        return;
    }
    enum http_status status = HTTP_INTERNAL_ERROR;
    if (!scoped || partner_time_or_reply(req, writes, res) == 0)
        status = req->match.route->handler(req, res);
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

void dispatch(struct request *req, struct response *res)
{
    switch (router_match(req->app->routes, req->method, req->path, &req->match)) {
    case ROUTE_NOT_FOUND:
        reply_error(res, ERR_ROUTE_NOT_FOUND, NULL, "no route for %s %s", req->method, req->path);
        return;
    case ROUTE_METHOD_NOT_ALLOWED:
        reply_error(res, ERR_METHOD_NOT_ALLOWED, NULL, "%s is not allowed here; allowed: %s",
                    req->method, req->match.allow);
        strcpy(res->allow, req->match.allow);
        return;
    case ROUTE_FOUND:
        break;
    }
    if (authenticate_or_reply(req, res))
        return;
    scope_admin(req);
    run(req, res);
    db_reset_all(&req->app->db);
}
