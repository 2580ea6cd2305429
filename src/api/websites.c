/* Websites (contract §5.3, E6–E11): create (v3 nested body and legacy v2), list, read, delete,
 * and the old SDK's read by 3AS uuid. */
#include "api/api.h"
#include "api/render.h"
#include "api/resources.h"
#include "billing/provision.h"
#include "http/validate.h"

/* The body fields of both creates, once parsed. */
struct create_args {
    struct new_website nw;
    const char *intp_customer_id;
    const char *customer_field;
};

/* Create the parsed website for its owner and answer 201 with it. */
static enum http_status create_website(struct request *req, const struct create_args *a,
                                       struct response *res)
{
    struct tenant t = request_tenant(req);
    struct intp_model model;
    struct customer owner;
    struct website_view v;
    struct outcome o;
    char uuid[UUID_SIZE];
    if (intp_model_or_reply(req, &model, res) ||
        customer_find_or_reply(req, a->intp_customer_id, a->customer_field, &owner, res))
        return res->status;
    if (website_create(&t, &model, &owner, &a->nw, uuid, &o))
        return reply_outcome(res, &o);
    if (websites_db_view_by_uuid(t.db, t.intp_id, uuid, &v) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the new website back");
    return reply_payload(res, HTTP_CREATED, website_to_json(&v));
}

/* POST /v3/3as/websites {website: {id, domain, package?: {id?, billingDate?}, privacyLevel?},
 *                        intpc: {id}, opts?: {uft?}} -> 201 Website | 400 | 404 */
enum http_status websites_create_v3(struct request *req, struct response *res)
{
    cJSON *body = NULL;
    struct create_args a = {.nw = {.billing_date = request_now(req),
                                   .privacy_level = -1,
                                   .id_field = "website.id",
                                   .package_field = "website.package.id",
                                   .uft_field = "opts.uft"},
                            .customer_field = "intpc.id"};
    if (request_json_object_or_reply(req, res, &body))
        return res->status;
    if (external_id_or_reply(body, "website.id", true, &a.nw.intp_website_id, res) ||
        domain_or_reply(body, "website.domain", true, &a.nw.domain, res) ||
        external_id_or_reply(body, "website.package.id", false, &a.nw.package_id, res) ||
        timestamp_or_reply(body, "website.package.billingDate", &a.nw.billing_date, res) ||
        json_int_or_reply(body, "website.privacyLevel", 0, 1000000, &a.nw.privacy_level, res) ||
        external_id_or_reply(body, "intpc.id", true, &a.intp_customer_id, res) ||
        json_bool_or_reply(body, "opts.uft", &a.nw.uft, res))
        goto out;
    create_website(req, &a, res);
out:
    cJSON_Delete(body);
    return res->status;
}

/* POST /v2/3as/websites {intpWebsiteId, intpCustomerId, domain, packageId?, billingDate?}
 *   -> 201 Website | 400 | 404 (deprecated by the vendor, still served) */
enum http_status websites_create_v2(struct request *req, struct response *res)
{
    cJSON *body = NULL;
    struct create_args a = {.nw = {.billing_date = request_now(req),
                                   .privacy_level = -1,
                                   .id_field = "intpWebsiteId",
                                   .package_field = "packageId",
                                   .uft_field = "uft"},
                            .customer_field = "intpCustomerId"};
    if (request_json_object_or_reply(req, res, &body))
        return res->status;
    if (external_id_or_reply(body, "intpWebsiteId", true, &a.nw.intp_website_id, res) ||
        external_id_or_reply(body, "intpCustomerId", true, &a.intp_customer_id, res) ||
        domain_or_reply(body, "domain", true, &a.nw.domain, res) ||
        external_id_or_reply(body, "packageId", false, &a.nw.package_id, res) ||
        timestamp_or_reply(body, "billingDate", &a.nw.billing_date, res))
        goto out;
    create_website(req, &a, res);
out:
    cJSON_Delete(body);
    return res->status;
}

static void append_website(const struct website_view *v, void *ctx)
{
    cJSON_AddItemToArray(ctx, website_to_json(v));
}

/* GET /v2/3as/websites?page&pageSize[&externalCustomerId] -> 200 [Website] + meta | 400 | 404 */
enum http_status websites_list(struct request *req, struct response *res)
{
    struct db *db = req->db;
    const char *external = request_query(req, "externalCustomerId");
    struct customer owner;
    int64_t page, size, total = 0;
    if (pagination_or_reply(req, &page, &size, res))
        return res->status;
    if (external && customer_find_or_reply(req, external, "externalCustomerId", &owner, res))
        return res->status;
    const char *customer_id = external ? owner.id : NULL;
    cJSON *items = cJSON_CreateArray();
    if (websites_db_count(db, req->auth.intp_id, customer_id, &total) != DB_OK ||
        websites_db_view_list(db, req->auth.intp_id, customer_id, page, size, append_website,
                              items) != DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list websites");
    }
    return reply_list(res, items, pagination_meta(page, size, total));
}

/* The view of the {intpWebsiteId} param, or 404. */
static int view_or_reply(struct request *req, struct website_view *v, struct response *res)
{
    const char *id = request_param(req, "intpWebsiteId");
    enum db_result r = websites_db_view(req->db, req->auth.intp_id, id, v);
    if (r == DB_OK)
        return 0;
    if (r == DB_NOT_FOUND)
        reply_error(res, ERR_WEBSITE_NOT_FOUND, "intpWebsiteId", "intpWebsiteId '%s' is unknown",
                    id);
    else
        reply_error(res, ERR_INTERNAL, NULL, "could not read the website");
    return -1;
}

/* GET /v2/3as/websites/{intpWebsiteId} -> 200 Website | 404 (inactive websites included) */
enum http_status websites_get(struct request *req, struct response *res)
{
    struct website_view v;
    if (view_or_reply(req, &v, res))
        return res->status;
    return reply_payload(res, HTTP_OK, website_to_json(&v));
}

/* DELETE /v2/3as/websites/{intpWebsiteId} -> 200 Website (as it was) | 404; its subscription
 * (website model), whitelist, keys and contributors go with it */
enum http_status websites_delete(struct request *req, struct response *res)
{
    struct website_view v;
    if (view_or_reply(req, &v, res))
        return res->status;
    if (websites_db_delete(req->db, v.w.id) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not delete the website");
    return reply_payload(res, HTTP_OK, website_to_json(&v));
}

/* GET /v2/3as/internal/websites/{uuid} -> 200 Website | 404 (go-old's GetByIntID) */
enum http_status websites_get_internal(struct request *req, struct response *res)
{
    struct website_view v;
    const char *uuid = request_param(req, "uuid");
    enum db_result r = websites_db_view_by_uuid(req->db, req->auth.intp_id, uuid, &v);
    if (r == DB_NOT_FOUND)
        return reply_error(res, ERR_WEBSITE_NOT_FOUND, "uuid", "website '%s' is unknown", uuid);
    if (r != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the website");
    return reply_payload(res, HTTP_OK, website_to_json(&v));
}
