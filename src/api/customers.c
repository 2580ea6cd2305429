/* Customers (INTPCs, contract §5.2, E2–E5): create (optionally with a first website), list,
 * read, delete with everything below. */
#include "api/api.h"
#include "api/render.h"
#include "api/resources.h"
#include "billing/provision.h"
#include "http/validate.h"
#include "util/util.h"

static int parse_website_or_reply(const cJSON *body, struct new_customer *a, struct response *res)
{
    struct new_website *nw = &a->nw;
    nw->billing_date = a->billing_date;
    if (external_id_or_reply(body, "website.intpWebsiteId", false, &nw->intp_website_id, res) ||
        domain_or_reply(body, "website.domain", false, &nw->domain, res) ||
        external_id_or_reply(body, "website.packageId", false, &nw->package_id, res) ||
        timestamp_or_reply(body, "website.billingDate", &nw->billing_date, res))
        return -1;
    /* go-new sends {"intpWebsiteId":"","domain":""} when there is no website (contract §5.2) */
    a->has_website = nw->intp_website_id || nw->domain || nw->package_id;
    if (a->has_website &&
        (external_id_or_reply(body, "website.intpWebsiteId", true, &nw->intp_website_id, res) ||
         domain_or_reply(body, "website.domain", true, &nw->domain, res)))
        return -1;
    return 0;
}

static int parse_customer_or_reply(const struct request *req, const cJSON *body,
                                   struct new_customer *a, struct response *res)
{
    const cJSON *website;
    *a = (struct new_customer){.billing_date = request_now(req),
                               .nw = {.privacy_level = -1,
                                      .id_field = "website.intpWebsiteId",
                                      .package_field = "website.packageId",
                                      .uft_field = "website.uft"}};
    if (external_id_or_reply(body, "intpCustomerId", true, &a->intp_customer_id, res) ||
        email_or_reply(body, "email", &a->email, res) ||
        external_id_or_reply(body, "packageId", false, &a->package_id, res) ||
        timestamp_or_reply(body, "billingDate", &a->billing_date, res) ||
        json_object_or_reply(body, "website", &website, res))
        return -1;
    return parse_website_or_reply(body, a, res);
}

/* POST /v2/3as/customers {intpCustomerId, email, packageId?, billingDate?, website?: {
 *   intpWebsiteId, domain, packageId?, billingDate?}} -> 201 INTPC | 400 | 404 */
enum http_status customers_create(struct request *req, struct response *res)
{
    cJSON *body = NULL;
    struct tenant t = request_tenant(req);
    struct new_customer a;
    struct intp_model model;
    struct customer c;
    struct outcome o;
    if (request_json_object_or_reply(req, res, &body))
        return res->status;
    if (parse_customer_or_reply(req, body, &a, res) || intp_model_or_reply(req, &model, res))
        goto out;
    if (customer_create(&t, &model, &a, &c, &o))
        reply_outcome(res, &o);
    else
        reply_payload(res, HTTP_CREATED, customer_to_json(&c));
out:
    cJSON_Delete(body);
    return res->status;
}

static void append_customer(const struct customer *c, void *ctx)
{
    cJSON_AddItemToArray(ctx, customer_to_json(c));
}

/* GET /v2/3as/customers?page&pageSize -> 200 [INTPC] + meta | 400 */
enum http_status customers_list(struct request *req, struct response *res)
{
    int64_t page, size, total = 0;
    if (pagination_or_reply(req, &page, &size, res))
        return res->status;
    cJSON *items = cJSON_CreateArray();
    if (customers_db_count(req->db, req->auth.intp_id, &total) != DB_OK ||
        customers_db_list(req->db, req->auth.intp_id, page, size, append_customer, items) !=
            DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list customers");
    }
    return reply_list(res, items, pagination_meta(page, size, total));
}

/* GET /v2/3as/customers/{intpCustomerId} -> 200 INTPC | 404 */
enum http_status customers_get(struct request *req, struct response *res)
{
    struct customer c;
    if (customer_find_or_reply(req, request_param(req, "intpCustomerId"), "intpCustomerId", &c,
                               res))
        return res->status;
    return reply_payload(res, HTTP_OK, customer_to_json(&c));
}

/* DELETE /v2/3as/customers/{intpCustomerId} -> 200 INTPC (as it was) | 404; its websites,
 * subscriptions, keys, whitelists and contributor roles go with it */
enum http_status customers_delete(struct request *req, struct response *res)
{
    struct customer c;
    if (customer_find_or_reply(req, request_param(req, "intpCustomerId"), "intpCustomerId", &c,
                               res))
        return res->status;
    if (customers_db_delete(req->db, c.id) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not delete the customer");
    return reply_payload(res, HTTP_OK, customer_to_json(&c));
}
