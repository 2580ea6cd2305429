/* Contributors of a website (contract §5.6, E19–E21): customers with a role on it. */
#include <string.h>

#include "api/api.h"
#include "api/resources.h"
#include "http/validate.h"
#include "store/contributors_db.h"

static const char *const contributor_roles[] = {"editor", "watcher", "dashboard", NULL};

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
    reply_done(contributors_db_set(req->db, w.id, c.id, role, request_now(req)), res);
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
    if (contributors_db_foreach(req->db, w.id, append_contributor, roles) != DB_OK) {
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
    enum db_result r = contributors_db_remove(req->db, w.id, c.id);
    if (r == DB_NOT_FOUND)
        return reply_error(res, ERR_CONTRIBUTOR_NOT_FOUND, "intpCustomerId",
                           "customer '%s' is not a contributor of this website", id);
    return reply_done(r, res);
}
