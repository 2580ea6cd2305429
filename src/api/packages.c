/* Packages (contract §5.7, E22–E27): the partner's catalogue, custom packages, renaming, and
 * the assignment of restricted packages to websites or customers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "http/validate.h"
#include "api/resources.h"
#include "util/util.h"

#define MAX_PRICE 1e9

static const char *const currencies[] = {"EUR", "USD", "RON", NULL};
static const char *const periods[] = {"monthly", "yearly", NULL};
static const char *const visibilities[] = {"public", "restricted", NULL};

static void append_assignment(const char *intp_website_id, const char *intp_customer_id, void *ctx)
{
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddItemToArray(ctx, entry);
    json_add_string_or_null(entry, "intpWebsiteId", intp_website_id);
    json_add_string_or_null(entry, "intpCustomerId", intp_customer_id);
}

/* The Package entity of contract §4.5, with its assignments as restrictedTo. New object. */
static cJSON *package_to_json(struct db *db, const struct package *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", p->id);
    cJSON_AddStringToObject(o, "intpId", p->intp_id);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddNumberToObject(o, "price", (double)p->price_cents / 100.0);
    cJSON_AddStringToObject(o, "currency", p->currency);
    cJSON_AddStringToObject(o, "period", p->period);
    cJSON_AddNumberToObject(o, "touchpoints", (double)p->touchpoints);
    cJSON_AddBoolToObject(o, "recommended", p->recommended);
    json_add_time(o, "createdAt", p->created_at);
    cJSON_AddStringToObject(o, "visibility", p->visibility);
    cJSON *to = cJSON_AddArrayToObject(o, "restrictedTo");
    packages_db_foreach_assignment(db, p->id, append_assignment, to);
    json_add_string_or_null(o, "externalId", p->has_external_id ? p->external_id : NULL);
    return o;
}

struct package_list {
    struct db *db;
    cJSON *items;
};

static int append_package(const struct package *p, void *ctx)
{
    struct package_list *l = ctx;
    cJSON_AddItemToArray(l->items, package_to_json(l->db, p));
    return 0;
}

/* GET /v2/3as/packages[?intpWebsiteId][&intpCustomerId] -> 200 [Package] (no meta) | 404:
 * with a filter, the public packages plus the restricted ones assigned to that target */
enum http_status packages_list(struct request *req, struct response *res)
{
    const char *wid = request_query(req, "intpWebsiteId"),
               *cid = request_query(req, "intpCustomerId");
    struct website w;
    struct customer c;
    if ((wid && *wid && website_find_or_reply(req, wid, "intpWebsiteId", &w, res)) ||
        (cid && *cid && customer_find_or_reply(req, cid, "intpCustomerId", &c, res)))
        return res->status;
    struct package_list l = {req->db, cJSON_CreateArray()};
    if (packages_db_foreach(req->db, req->auth.intp_id, wid && *wid ? w.id : NULL,
                            cid && *cid ? c.id : NULL, append_package, &l) != DB_OK) {
        cJSON_Delete(l.items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list packages");
    }
    return reply_payload(res, HTTP_OK, l.items);
}

/* GET /v2/3as/packages/{packageId} -> 200 Package | 404 */
enum http_status packages_get(struct request *req, struct response *res)
{
    struct package p;
    if (package_find_or_reply(req, request_param(req, "packageId"), "packageId", &p, res))
        return res->status;
    return reply_payload(res, HTTP_OK, package_to_json(req->db, &p));
}

/* A required price: a JSON number from 0 to MAX_PRICE, kept in cents. */
static int price_or_reply(const cJSON *body, int64_t *cents, struct response *res)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "price");
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= MAX_PRICE)) {
        reply_error(res, ERR_VALIDATION, "price", "price is required: a number from 0 to %.0f",
                    MAX_PRICE);
        return -1;
    }
    *cents = llround(v->valuedouble * 100.0);
    return 0;
}

static int package_args_or_reply(const cJSON *body, struct package *p, struct response *res)
{
    const char *name, *currency = NULL, *period = NULL, *visibility = "public", *external;
    p->touchpoints = 0;
    if (json_string_or_reply(body, "name", true, MAX_EXTERNAL_ID, &name, res) ||
        json_int_or_reply(body, "touchpoints", 1, 1000000000000LL, &p->touchpoints, res) ||
        price_or_reply(body, &p->price_cents, res) ||
        json_enum_or_reply(body, "currency", currencies, &currency, res) ||
        json_enum_or_reply(body, "period", periods, &period, res) ||
        json_enum_or_reply(body, "visibility", visibilities, &visibility, res) ||
        json_string_or_reply(body, "externalId", false, MAX_EXTERNAL_ID, &external, res))
        return -1;
    const char *missing = !p->touchpoints ? "touchpoints"
                          : !currency     ? "currency"
                          : !period       ? "period"
                                          : NULL;
    if (missing) {
        reply_error(res, ERR_VALIDATION, missing, "%s is required", missing);
        return -1;
    }
    snprintf(p->name, sizeof(p->name), "%s", name);
    snprintf(p->currency, sizeof(p->currency), "%s", currency);
    snprintf(p->period, sizeof(p->period), "%s", period);
    snprintf(p->visibility, sizeof(p->visibility), "%s", visibility);
    p->has_external_id = external != NULL;
    snprintf(p->external_id, sizeof(p->external_id), "%s", external ? external : "");
    return 0;
}

/* POST /v2/3as/packages {name, touchpoints, price, currency, period, visibility?, externalId?}
 *   -> 201 Package | 400 */
enum http_status packages_create(struct request *req, struct response *res)
{
    struct package p = {.created_at = request_now(req)};
    cJSON *body = NULL;
    if (request_json_object_or_reply(req, res, &body) || package_args_or_reply(body, &p, res))
        goto out;
    uuid_v4(p.id);
    snprintf(p.intp_id, sizeof(p.intp_id), "%s", req->auth.intp_id);
    if (packages_db_insert(req->db, &p) != DB_OK)
        reply_error(res, ERR_INTERNAL, NULL, "could not store the package");
    else
        reply_payload(res, HTTP_CREATED, package_to_json(req->db, &p));
out:
    cJSON_Delete(body);
    return res->status;
}

/* PATCH /v2/3as/packages/{packageId} {name} -> 200 Package | 400 (recommended) | 404 */
enum http_status packages_rename(struct request *req, struct response *res)
{
    struct package p;
    cJSON *body = NULL;
    const char *name;
    if (package_find_or_reply(req, request_param(req, "packageId"), "packageId", &p, res) ||
        request_json_object_or_reply(req, res, &body) ||
        json_string_or_reply(body, "name", true, MAX_EXTERNAL_ID, &name, res))
        goto out;
    if (p.recommended) {
        reply_error(res, ERR_VALIDATION, "packageId", "a recommended package cannot be renamed");
        goto out;
    }
    if (packages_db_rename(req->db, p.intp_id, p.id, name) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not rename the package");
        goto out;
    }
    snprintf(p.name, sizeof(p.name), "%s", name);
    reply_payload(res, HTTP_OK, package_to_json(req->db, &p));
out:
    cJSON_Delete(body);
    return res->status;
}

/* The {packageId} (must be restricted) and the {targetId}: a website on a website-subscription
 * partner, a customer on an intpc one. Fills exactly one of website_id / customer_id. */
static int assignment_or_reply(struct request *req, struct package *p, char *website_id,
                               char *customer_id, struct response *res)
{
    struct intp_model model;
    const char *target = request_param(req, "targetId");
    website_id[0] = customer_id[0] = '\0';
    if (package_find_or_reply(req, request_param(req, "packageId"), "packageId", p, res) ||
        intp_model_or_reply(req, &model, res))
        return -1;
    if (model.intpc) {
        struct customer c;
        if (customer_find_or_reply(req, target, "targetId", &c, res))
            return -1;
        snprintf(customer_id, UUID_SIZE, "%s", c.id);
    } else {
        struct website w;
        if (website_find_or_reply(req, target, "targetId", &w, res))
            return -1;
        snprintf(website_id, UUID_SIZE, "%s", w.id);
    }
    return 0;
}

static const char *or_null(const char *s)
{
    return *s ? s : NULL;
}

/* PUT /v3/3as/packages/{packageId}/assignments/{targetId} -> 204 | 400 (not restricted) | 404.
 * The body is ignored (php sends []). */
enum http_status packages_assign(struct request *req, struct response *res)
{
    struct package p;
    char wid[UUID_SIZE], cid[UUID_SIZE];
    if (assignment_or_reply(req, &p, wid, cid, res))
        return res->status;
    if (strcmp(p.visibility, "restricted") != 0)
        return reply_error(res, ERR_VALIDATION, "packageId",
                           "only restricted packages can be assigned; '%s' is public", p.id);
    if (packages_db_assign(req->db, p.id, or_null(wid), or_null(cid), request_now(req)) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not assign the package");
    return reply_no_content(res);
}

/* DELETE /v3/3as/packages/{packageId}/assignments/{targetId} -> 204 | 404. A subscription
 * running on the package keeps running; unassigning what is not assigned is fine. */
enum http_status packages_unassign(struct request *req, struct response *res)
{
    struct package p;
    char wid[UUID_SIZE], cid[UUID_SIZE];
    if (assignment_or_reply(req, &p, wid, cid, res))
        return res->status;
    enum db_result r = packages_db_unassign(req->db, p.id, or_null(wid), or_null(cid));
    if (r != DB_OK && r != DB_NOT_FOUND)
        return reply_error(res, ERR_INTERNAL, NULL, "could not unassign the package");
    return reply_no_content(res);
}
