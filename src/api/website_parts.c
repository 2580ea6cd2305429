/* What hangs below one website (contract §5.4–§5.6): whitelisted domains (E12–E14 and the old
 * DELETE), API keys (E15–E17) and contributors (E19–E21). */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "http/handlers.h"
#include "http/jsonutil.h"
#include "api/resources.h"
#include "util/util.h"
#include "store/website_parts_db.h"

#define API_KEY_PREFIX "twpl-"
#define API_KEY_CHARS  20

static const char *const contributor_roles[] = {"editor", "watcher", "dashboard", NULL};

/* The website of the {intpWebsiteId} param, or 404. */
static int param_website_or_reply(struct request *req, struct website *w, struct response *res)
{
    return website_find_or_reply(req, request_param(req, "intpWebsiteId"), "intpWebsiteId", w, res);
}

/* Run a store call and answer 204, or 500. */
static enum http_status reply_done(enum db_result r, struct response *res)
{
    if (r != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "database error");
    return reply_no_content(res);
}

/* ---- whitelisted domains ---- */

/* Read {"domain"} and add or remove it on the website. */
static enum http_status change_whitelist(struct request *req, struct response *res, bool add)
{
    struct website w;
    cJSON *body = NULL;
    const char *domain;
    if (param_website_or_reply(req, &w, res) || request_json_object_or_reply(req, res, &body) ||
        domain_or_reply(body, "domain", true, &domain, res))
        goto out;
    reply_done(add ? whitelist_db_add(&req->app->db, w.id, domain, request_now(req))
                   : whitelist_db_remove(&req->app->db, w.id, domain),
               res);
out:
    cJSON_Delete(body);
    return res->status;
}

/* POST /v2/3as/websites/{intpWebsiteId}/whitelisted-domains {domain} -> 204 | 400 | 404 */
enum http_status whitelist_add(struct request *req, struct response *res)
{
    return change_whitelist(req, res, true);
}

/* PATCH /v2/3as/websites/{intpWebsiteId}/whitelisted-domains {domain} -> 204 (removes it; a
 * domain that was never whitelisted is fine) | 400 | 404 */
enum http_status whitelist_remove(struct request *req, struct response *res)
{
    return change_whitelist(req, res, false);
}

/* DELETE /v2/3as/websites/{intpWebsiteId}/whitelisted-domains/{domain} -> 204 | 404 (the old
 * SDKs' form, the domain URL-encoded in the path) */
enum http_status whitelist_remove_path(struct request *req, struct response *res)
{
    struct website w;
    if (param_website_or_reply(req, &w, res))
        return res->status;
    return reply_done(whitelist_db_remove(&req->app->db, w.id, request_param(req, "domain")), res);
}

static void append_string(const char *s, void *ctx)
{
    cJSON_AddItemToArray(ctx, cJSON_CreateString(s));
}

/* GET /v2/3as/websites/{intpWebsiteId}/whitelisted-domains -> 200 [string] | 404 */
enum http_status whitelist_list(struct request *req, struct response *res)
{
    struct website w;
    if (param_website_or_reply(req, &w, res))
        return res->status;
    cJSON *items = cJSON_CreateArray();
    if (whitelist_db_foreach(&req->app->db, w.id, append_string, items) != DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list the domains");
    }
    return reply_payload(res, HTTP_OK, items);
}

/* ---- API keys ---- */

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

static int owner_or_reply(struct request *req, const struct website *w, struct customer *owner,
                          struct response *res)
{
    if (customers_db_get_by_id(&req->app->db, w->customer_id, owner) == DB_OK)
        return 0;
    reply_error(res, ERR_INTERNAL, NULL, "the website has no owner");
    return -1;
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
    if (apikeys_db_insert(&req->app->db, &k) != DB_OK)
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
    if (apikeys_db_foreach(&req->app->db, w.id, append_key, &l) != DB_OK) {
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
    enum db_result r = apikeys_db_delete(&req->app->db, w.id, id);
    if (r == DB_NOT_FOUND)
        return reply_error(res, ERR_API_KEY_NOT_FOUND, "apiKeyId", "apiKeyId '%s' is unknown", id);
    return reply_done(r, res);
}

/* ---- contributors ---- */

/* POST /v3/3as/websites/{intpWebsiteId}/contributors {intpCustomerId, role} -> 204 (a second
 * add replaces the role) | 400 (bad role, the owner) | 404 */
enum http_status contributors_add(struct request *req, struct response *res)
{
    struct website w;
    struct customer c;
    cJSON *body = NULL;
    const char *id, *role = NULL;
    if (param_website_or_reply(req, &w, res) || request_json_object_or_reply(req, res, &body) ||
        external_id_or_reply(body, "intpCustomerId", true, &id, res) ||
        json_string_or_reply(body, "role", true, 16, &role, res) ||
        json_enum_or_reply(body, "role", contributor_roles, &role, res) ||
        customer_find_or_reply(req, id, "intpCustomerId", &c, res))
        goto out;
    if (strcmp(c.id, w.customer_id) == 0) {
        reply_error(res, ERR_VALIDATION, "intpCustomerId",
                    "customer '%s' owns this website and cannot contribute to it", id);
        goto out;
    }
    reply_done(contributors_db_set(&req->app->db, w.id, c.id, role, request_now(req)), res);
out:
    cJSON_Delete(body);
    return res->status;
}

static void append_contributor(const char *role, const char *intp_customer_id, const char *email,
                               void *ctx)
{
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(ctx, role), entry);
    cJSON_AddStringToObject(entry, "intpCustomerId", intp_customer_id);
    cJSON_AddStringToObject(entry, "email", email);
}

/* GET /v3/3as/websites/{intpWebsiteId}/contributors -> 200 {owner, contributors: {editor,
 * watcher, dashboard}} (all three arrays always present) | 404 */
enum http_status contributors_list(struct request *req, struct response *res)
{
    struct website w;
    struct customer owner;
    if (param_website_or_reply(req, &w, res) || owner_or_reply(req, &w, &owner, res))
        return res->status;
    cJSON *payload = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(payload, "owner");
    cJSON_AddStringToObject(o, "intpCustomerId", owner.intp_customer_id);
    cJSON_AddStringToObject(o, "email", owner.email);
    cJSON *roles = cJSON_AddObjectToObject(payload, "contributors");
    for (const char *const *r = contributor_roles; *r; r++)
        cJSON_AddArrayToObject(roles, *r);
    if (contributors_db_foreach(&req->app->db, w.id, append_contributor, roles) != DB_OK) {
        cJSON_Delete(payload);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list the contributors");
    }
    return reply_payload(res, HTTP_OK, payload);
}

/* DELETE /v3/3as/websites/{intpWebsiteId}/contributors/{intpCustomerId} -> 204 | 404 */
enum http_status contributors_remove(struct request *req, struct response *res)
{
    struct website w;
    struct customer c;
    const char *id = request_param(req, "intpCustomerId");
    if (param_website_or_reply(req, &w, res) ||
        customer_find_or_reply(req, id, "intpCustomerId", &c, res))
        return res->status;
    enum db_result r = contributors_db_remove(&req->app->db, w.id, c.id);
    if (r == DB_NOT_FOUND)
        return reply_error(res, ERR_CONTRIBUTOR_NOT_FOUND, "intpCustomerId",
                           "customer '%s' is not a contributor of this website", id);
    return reply_done(r, res);
}
