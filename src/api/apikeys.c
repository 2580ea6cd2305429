/* API keys of a website (contract §5.5, E15–E17): shown once, kept as a hash. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/resources.h"
#include "http/validate.h"
#include "auth/secret.h"
#include "store/apikeys_db.h"
#include "util/util.h"

#define API_KEY_PREFIX "twpl-"
#define API_KEY_CHARS  20

/* The ApiKey entity of contract §4.7; `clear` is the key itself (create only) or NULL. */
static cJSON *api_key_to_json(const struct api_key *k, const char *clear, const struct website *w,
                              const struct customer *owner)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", k->id);
    cJSON_AddStringToObject(o, "name", k->name);
    if (clear)
        cJSON_AddStringToObject(o, "apiKey", clear);
    cJSON_AddStringToObject(o, "comment", k->comment);
    json_add_time(o, "createdAt", k->created_at);
    json_add_time(o, "expiresAt", k->expires_at);
    cJSON_AddStringToObject(o, "intpWebsiteId", w->intp_website_id);
    cJSON_AddStringToObject(o, "intpCustomerId", owner->intp_customer_id);
    return o;
}

/* Parse the create body into *k (name, comment, expiry in the future). */
static int api_key_args_or_reply(const struct request *req, const cJSON *body, struct api_key *k,
                                 struct response *res)
{
    const char *name, *comment;
    if (json_string_or_reply(body, "name", true, MAX_EXTERNAL_ID, &name, res) ||
        json_string_or_reply(body, "comment", false, sizeof(k->comment) - 1, &comment, res) ||
        timestamp_or_reply(body, "expiresAt", &k->expires_at, res))
        return -1;
    if (k->expires_at >= 0 && k->expires_at <= request_now(req)) {
        reply_error(res, ERR_VALIDATION, "expiresAt", "expiresAt must be in the future");
        return -1;
    }
    snprintf(k->name, sizeof(k->name), "%s", name);
    snprintf(k->comment, sizeof(k->comment), "%s", comment ? comment : "");
    return 0;
}

/* POST /v2/3as/websites/{intpWebsiteId}/api-keys {name, comment?, expiresAt?}
 *   -> 201 ApiKey with apiKey (the only time it is shown) | 400 | 404 */
enum http_status api_keys_create(struct request *req, struct response *res)
{
    struct website w;
    struct customer owner;
    struct api_key k = {.expires_at = -1, .created_at = request_now(req)};
    char clear[sizeof(API_KEY_PREFIX) + API_KEY_CHARS];
    cJSON *body = NULL;
    if (param_website_or_reply(req, &w, res) || owner_or_reply(req, &w, &owner, res) ||
        request_json_object_or_reply(req, res, &body) || api_key_args_or_reply(req, body, &k, res))
        goto out;
    uuid_v4(k.id);
    snprintf(k.website_id, sizeof(k.website_id), "%s", w.id);
    strcpy(clear, API_KEY_PREFIX);
    random_string(clear + strlen(API_KEY_PREFIX), API_KEY_CHARS + 1,
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    secret_hash(clear, k.hash);
    if (apikeys_db_insert(req->db, &k) != DB_OK)
        reply_error(res, ERR_INTERNAL, NULL, "could not store the key");
    else
        reply_payload(res, HTTP_CREATED, api_key_to_json(&k, clear, &w, &owner));
out:
    cJSON_Delete(body);
    return res->status;
}

struct key_list {
    cJSON *items;
    const struct website *w;
    const struct customer *owner;
};

static void append_key(const struct api_key *k, void *ctx)
{
    struct key_list *l = ctx;
    cJSON_AddItemToArray(l->items, api_key_to_json(k, NULL, l->w, l->owner));
}

/* GET /v2/3as/websites/{intpWebsiteId}/api-keys -> 200 [ApiKey without apiKey] | 404 */
enum http_status api_keys_list(struct request *req, struct response *res)
{
    struct website w;
    struct customer owner;
    if (param_website_or_reply(req, &w, res) || owner_or_reply(req, &w, &owner, res))
        return res->status;
    struct key_list l = {cJSON_CreateArray(), &w, &owner};
    if (apikeys_db_foreach(req->db, w.id, append_key, &l) != DB_OK) {
        cJSON_Delete(l.items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list the keys");
    }
    return reply_payload(res, HTTP_OK, l.items);
}

/* DELETE /v2/3as/websites/{intpWebsiteId}/api-keys/{apiKeyId} -> 204 | 404 */
enum http_status api_keys_delete(struct request *req, struct response *res)
{
    struct website w;
    const char *id = request_param(req, "apiKeyId");
    if (param_website_or_reply(req, &w, res))
        return res->status;
    enum db_result r = apikeys_db_delete(req->db, w.id, id);
    if (r == DB_NOT_FOUND)
        return reply_error(res, ERR_API_KEY_NOT_FOUND, "apiKeyId", "apiKeyId '%s' is unknown", id);
    return reply_done(r, res);
}
