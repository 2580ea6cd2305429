/* The dispatcher: route, authenticate, scope to the partner, run the handler inside one
 * transaction when the route writes. Handlers never check auth themselves. */
#include "http/request.h"

#include <stdio.h>
#include <string.h>

#include "billing/clock.h"
#include "billing/subscriptions.h"
#include "http/handlers.h"
#include "util/log.h"
#include "store/website_parts_db.h"
#include "util/util.h"

/* /__admin routes: with --admin-token set, "Authorization: Bearer <token>" must carry it. */
static int check_admin_or_reply(struct request *req, struct response *res)
{
    const char *want = req->app->cfg.admin_token, *got = request_header(req, "Authorization");
    if (!want)
        return 0;
    if (got && strncmp(got, "Bearer ", 7) == 0 && str_equal_ct(got + 7, want))
        return 0;
    reply_error(res, ERR_INVALID_ADMIN_TOKEN, NULL,
                "/__admin needs 'Authorization: Bearer <the --admin-token>'");
    return -1;
}

/* An X-Api-Key where a token belongs: a valid key may not use this route (403, D2/D7), an
 * invalid one is 401. */
static int api_key_misplaced_or_reply(struct request *req, const char *key, struct response *res)
{
    struct api_key_owner owner;
    if (api_key_check_or_reply(req, key, &owner, res))
        return -1;
    reply_error(res, ERR_API_KEY_SCOPE, NULL,
                "an api key is read-only and reads its own website's data only");
    return -1;
}

/* The data API: the X-Api-Key of the website in the path. */
static int check_api_key_or_reply(struct request *req, struct response *res)
{
    struct api_key_owner owner;
    const char *key = request_header(req, "X-Api-Key"), *website = request_param(req, "websiteId");
    if (!key) {
        reply_error(res, ERR_INVALID_API_KEY, NULL, "this route needs an X-Api-Key header");
        return -1;
    }
    if (api_key_check_or_reply(req, key, &owner, res))
        return -1;
    if (!website || strcmp(website, owner.website_id) != 0) {
        reply_error(res, ERR_API_KEY_SCOPE, "websiteId", "the api key belongs to another website");
        return -1;
    }
    snprintf(req->auth.intp_id, sizeof(req->auth.intp_id), "%s", owner.intp_id);
    snprintf(req->auth.website_id, sizeof(req->auth.website_id), "%s", owner.website_id);
    return 0;
}

/* INTP/INTPC routes: a verified token with the role the route needs. */
static int check_token_or_reply(struct request *req, struct response *res, unsigned role)
{
    struct app *app = req->app;
    const char *key = request_header(req, "X-Api-Key");
    if (key && !request_header(req, "Authorization"))
        return api_key_misplaced_or_reply(req, key, res);
    enum jwt_result r = auth_bearer(app->tokens, app->keys, request_header(req, "Authorization"),
                                    time_now(), &req->auth);
    if (r != JWT_OK) {
        memset(&req->auth, 0, sizeof(req->auth));
        reply_error(res, ERR_INVALID_TOKEN, NULL, "%s", jwt_result_text(r));
        return -1;
    }
    if (!(req->auth.roles & role)) {
        reply_error(res, ERR_WRONG_ROLE, NULL, "this route needs a token with role %s",
                    role == JWT_ROLE_INTP ? "intp" : "intpc");
        return -1;
    }
    return 0;
}

static int authenticate_or_reply(struct request *req, struct response *res)
{
    switch (req->match.route->auth) {
    case AUTH_NONE:
        return 0;
    case AUTH_ADMIN:
        return check_admin_or_reply(req, res);
    case AUTH_INTP:
        return check_token_or_reply(req, res, JWT_ROLE_INTP);
    case AUTH_INTPC:
        return check_token_or_reply(req, res, JWT_ROLE_INTPC);
    case AUTH_API_KEY:
        return check_api_key_or_reply(req, res);
    }
    reply_error(res, ERR_INTERNAL, NULL, "unknown auth kind");
    return -1;
}

/* Run a writing handler inside BEGIN IMMEDIATE … COMMIT, rolling back on any error status. */
static void run_in_transaction(struct request *req, struct response *res)
{
    struct db *db = &req->app->db;
    if (db_begin(db)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not start a transaction");
        return;
    }
    enum http_status status = req->match.route->handler(req, res);
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

/* Partner routes run on the partner's clock: read it, and first apply whatever scheduled
 * subscription transitions it has passed (in their own transaction). */
static int partner_clock_or_reply(struct request *req, struct response *res)
{
    struct db *db = &req->app->db;
    struct partner_clock c;
    if (clock_get(db, req->auth.intp_id, &c) != DB_OK) {
        reply_error(res, ERR_INTP_NOT_FOUND, NULL, "intp '%s' no longer exists", req->auth.intp_id);
        return -1;
    }
    req->now = clock_now(&c, time_now());
    if (subscriptions_db_any_due(db, req->auth.intp_id, req->now) != DB_OK)
        return 0;
    if (db_begin(db) == 0 && clock_catch_up(db, req->auth.intp_id, req->now, NULL) == 0 &&
        db_commit(db) == 0)
        return 0;
    db_rollback(db);
    reply_error(res, ERR_INTERNAL, NULL, "could not apply the due subscription transitions");
    return -1;
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
    if (req->auth.intp_id[0] && partner_clock_or_reply(req, res))
        goto out;
    if (req->match.route->writes)
        run_in_transaction(req, res);
    else
        req->match.route->handler(req, res);
out:
    db_reset_all(&req->app->db);
}
