/* Whitelisted domains of a website (contract §5.4, E12–E14 and the old DELETE). */
#include <string.h>

#include "api/api.h"
#include "api/resources.h"
#include "http/validate.h"
#include "store/whitelist_db.h"

/* Read {"domain"} and add or remove it on the website. */
static enum http_status change_whitelist(struct request *req, struct response *res, bool add)
{
    struct website w;
    cJSON *body = NULL;
    const char *domain;
    if (param_website_or_reply(req, &w, res) || request_json_object_or_reply(req, res, &body) ||
        domain_or_reply(body, "domain", true, &domain, res))
        goto out;
    reply_done(add ? whitelist_db_add(req->db, w.id, domain, request_now(req))
                   : whitelist_db_remove(req->db, w.id, domain),
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
    return reply_done(whitelist_db_remove(req->db, w.id, request_param(req, "domain")), res);
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
    if (whitelist_db_foreach(req->db, w.id, append_string, items) != DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list the domains");
    }
    return reply_payload(res, HTTP_OK, items);
}
