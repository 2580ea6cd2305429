/* Authentication by the route's auth kind: admin token, partner and customer JWTs, API keys,
 * and the dashboard's query-string credentials. */
#include "http/authenticate.h"

#include <stdio.h>
#include <string.h>

#include "auth/secret.h"
#include "billing/clock.h"
#include "store/clock_db.h"
#include "util/log.h"
#include "util/util.h"

/* Note which check failed (the journal's authFailure, and the debug log); the client's body
 * never says more than the error does. */
static void note_failure(struct request *req, const struct response *res, const char *why)
{
    snprintf(req->auth_failure, sizeof(req->auth_failure), "%s", why);
    log_debug("request %s: %s %s refused: %s", res->request_id ? res->request_id : "-", req->method,
              req->path, why);
}

/* /__admin routes: with --admin-token set, "Authorization: Bearer <token>" must carry it. */
static int check_admin_or_reply(struct request *req, struct response *res)
{
    const char *want = req->app->cfg.admin_token, *got = request_header(req, "Authorization");
    if (!want)
        return 0;
    if (got && strncmp(got, "Bearer ", 7) == 0 && str_equal_ct(got + 7, want))
        return 0;
    note_failure(req, res, got ? "admin token wrong" : "admin token missing");
    reply_error(res, ERR_INVALID_ADMIN_TOKEN, NULL,
                "/__admin needs 'Authorization: Bearer <the --admin-token>'");
    return -1;
}

int api_key_check_or_reply(struct request *req, const char *key, struct api_key_owner *owner,
                           struct response *res)
{
    unsigned char hash[SECRET_HASH_SIZE];
    struct partner_clock c;
    secret_hash(key, hash);
    if (apikeys_db_find(req->db, hash, owner) != DB_OK)
        note_failure(req, res, "api key unknown or deleted");
    else if (clock_db_get(req->db, owner->intp_id, &c) != DB_OK)
        note_failure(req, res, "api key of an unknown partner");
    else if (owner->expires_at >= 0 && owner->expires_at <= clock_now(&c, time_now()))
        note_failure(req, res, "api key expired");
    else
        return 0;
    reply_error(res, ERR_INVALID_API_KEY, NULL, "the api key is unknown, deleted or expired");
    return -1;
}

/* An X-Api-Key where a token belongs: a valid key may not use this route (403, D2/D7), an
 * invalid one is 401. */
static int api_key_misplaced_or_reply(struct request *req, const char *key, struct response *res)
{
    struct api_key_owner owner;
    if (api_key_check_or_reply(req, key, &owner, res))
        return -1;
    note_failure(req, res, "api key on a token route");
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
        note_failure(req, res, "no X-Api-Key header");
        reply_error(res, ERR_INVALID_API_KEY, NULL, "this route needs an X-Api-Key header");
        return -1;
    }
    if (api_key_check_or_reply(req, key, &owner, res))
        return -1;
    if (!website || strcmp(website, owner.website_id) != 0) {
        note_failure(req, res, "api key of another website");
        reply_error(res, ERR_API_KEY_SCOPE, "websiteId", "the api key belongs to another website");
        return -1;
    }
    snprintf(req->auth.intp_id, sizeof(req->auth.intp_id), "%s", owner.intp_id);
    snprintf(req->auth.website_id, sizeof(req->auth.website_id), "%s", owner.website_id);
    return 0;
}

/* Partner routes: a verified token with the intp role (contract §3.1). An intpc token opens the
 * dashboard only (AUTH_DASHBOARD). */
static int check_token_or_reply(struct request *req, struct response *res)
{
    struct app *app = req->app;
    const char *key = request_header(req, "X-Api-Key");
    if (key && !request_header(req, "Authorization"))
        return api_key_misplaced_or_reply(req, key, res);
    enum jwt_result r = auth_bearer(app->tokens, app->keys, req->db,
                                    request_header(req, "Authorization"), time_now(), &req->auth);
    if (r != JWT_OK) {
        memset(&req->auth, 0, sizeof(req->auth));
        note_failure(req, res, jwt_result_text(r));
        reply_error(res, ERR_INVALID_TOKEN, NULL, "%s", jwt_result_text(r));
        return -1;
    }
    if (!(req->auth.roles & JWT_ROLE_INTP)) {
        note_failure(req, res, "token role is not intp");
        reply_error(res, ERR_WRONG_ROLE, NULL, "this route needs a token with role intp");
        return -1;
    }
    return 0;
}

/* The dashboard (D8): an INTPC token in the query string (intpc_token or intpcToken), or the
 * websiteToken of an API-key login. The page's errors are pages too. */
static int check_dashboard_or_reply(struct request *req, struct response *res)
{
    struct app *app = req->app;
    const char *token = request_query(req, "intpc_token");
    const char *website_token = request_query(req, "websiteToken");
    if (!token)
        token = request_query(req, "intpcToken");
    if (token && *token) {
        enum jwt_result r =
            auth_token(app->tokens, app->keys, req->db, token, time_now(), &req->auth);
        if (r == JWT_OK && !(req->auth.roles & JWT_ROLE_INTPC))
            r = JWT_NO_ROLE;
        if (r == JWT_OK && req->auth.intpc_id[0])
            return 0;
        memset(&req->auth, 0, sizeof(req->auth));
        note_failure(req, res, r != JWT_OK ? jwt_result_text(r) : "token names no intpc_id");
        reply_page(res, HTTP_UNAUTHORIZED, request_query(req, "locale"),
                   r != JWT_OK ? jwt_result_text(r) : "the token names no customer (intpc_id)");
        return -1;
    }
    if (website_token && *website_token) {
        unsigned char hash[SECRET_HASH_SIZE];
        secret_hash(website_token, hash);
        if (refresh_db_find(req->db, hash, time_now(), req->auth.website_id, req->auth.intp_id) ==
            DB_OK)
            return 0;
        memset(&req->auth, 0, sizeof(req->auth));
        note_failure(req, res, "websiteToken unknown or expired");
        reply_page(res, HTTP_UNAUTHORIZED, request_query(req, "locale"),
                   "the websiteToken is unknown or expired");
        return -1;
    }
    note_failure(req, res, "no dashboard credentials");
    reply_page(res, HTTP_UNAUTHORIZED, request_query(req, "locale"),
               "give intpc_token (or intpcToken) with externalWebsiteId, or websiteToken");
    return -1;
}

int authenticate_or_reply(struct request *req, struct response *res)
{
    switch (req->match.route->auth) {
    case AUTH_NONE:
        return 0;
    case AUTH_ADMIN:
        return check_admin_or_reply(req, res);
    case AUTH_INTP:
        return check_token_or_reply(req, res);
    case AUTH_API_KEY:
        return check_api_key_or_reply(req, res);
    case AUTH_DASHBOARD:
        return check_dashboard_or_reply(req, res);
    }
    reply_error(res, ERR_INTERNAL, NULL, "unknown auth kind");
    return -1;
}
