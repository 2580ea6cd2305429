/* Login via API key (contract D6): an API key and its website's uuid buy an access token signed
 * by the mock's own key and a refresh token that opens the dashboard as `websiteToken`. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/secret.h"
#include "http/authenticate.h"
#include "http/validate.h"
#include "util/util.h"
#include "store/apikeys_db.h"

#define ACCESS_TTL    900   /* 15 minutes */
#define REFRESH_TTL   86400 /* 24 hours */
#define REFRESH_CHARS 48

/* The access token: RS256 by the mock's key, for the key's website, 15 minutes. */
static char *access_token(struct request *req, const struct api_key_owner *o, int64_t now)
{
    EVP_PKEY *key = app_mock_key(req->app, req->db);
    if (!key)
        return NULL;
    cJSON *claims = cJSON_CreateObject();
    cJSON_AddStringToObject(claims, "sub", o->website_id);
    cJSON *roles = cJSON_AddArrayToObject(claims, "roles");
    cJSON_AddItemToArray(roles, cJSON_CreateString("website"));
    cJSON_AddStringToObject(claims, "intp_id", o->intp_id);
    cJSON_AddStringToObject(claims, "intp_website_id", o->intp_website_id);
    cJSON_AddStringToObject(claims, "api_key_id", o->id);
    cJSON_AddNumberToObject(claims, "iat", (double)now);
    cJSON_AddNumberToObject(claims, "exp", (double)(now + ACCESS_TTL));
    char *token = jwt_sign_claims("mock3as", claims, key);
    cJSON_Delete(claims);
    return token;
}

/* POST /v2/3as/api-keys/login {apiKey, websiteId} (no Authorization) -> 200 {accessToken,
 *   refreshToken, expiresIn, refreshExpiresIn, websiteId, intpWebsiteId, dashboardUrl}
 *   | 400 | 401 "invalid api key" (unknown, deleted, expired, or another website's) */
enum http_status api_key_login(struct request *req, struct response *res)
{
    struct api_key_owner owner;
    cJSON *body = NULL;
    const char *key, *website;
    char refresh[REFRESH_CHARS + 1], url[1024];
    unsigned char hash[32];
    int64_t now = time_now(); /* tokens live on the wall clock (D9) */
    char *token = NULL;
    if (request_json_object_or_reply(req, res, &body) ||
        json_string_or_reply(body, "apiKey", true, 64, &key, res) ||
        json_string_or_reply(body, "websiteId", true, 64, &website, res) ||
        api_key_check_or_reply(req, key, &owner, res))
        goto out;
    if (strcmp(owner.website_id, website) != 0) {
        reply_error(res, ERR_INVALID_API_KEY, "websiteId",
                    "the api key belongs to another website");
        goto out;
    }
    token = access_token(req, &owner, now);
    random_string(refresh, sizeof(refresh),
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    secret_hash(refresh, hash);
    if (!token || refresh_db_insert(req->db, hash, owner.website_id, owner.id, now,
                                    now + REFRESH_TTL) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not issue the tokens");
        goto out;
    }
    snprintf(url, sizeof(url), "%s/dashboard?websiteToken=%s", req->app->public_url, refresh);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "accessToken", token);
    cJSON_AddStringToObject(p, "refreshToken", refresh);
    cJSON_AddNumberToObject(p, "expiresIn", ACCESS_TTL);
    cJSON_AddNumberToObject(p, "refreshExpiresIn", REFRESH_TTL);
    cJSON_AddStringToObject(p, "websiteId", owner.website_id);
    cJSON_AddStringToObject(p, "intpWebsiteId", owner.intp_website_id);
    cJSON_AddStringToObject(p, "dashboardUrl", url);
    reply_payload(res, HTTP_OK, p);
out:
    free(token);
    cJSON_Delete(body);
    return res->status;
}
