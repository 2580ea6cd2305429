/* The admin API of a subscription's history: every stored change, in time order, for a website
 * or an intpc customer's pool. */
#include "admin/history.h"

#include "admin/admin.h"
#include "api/resources.h"
#include "http/validate.h"
#include "store/events_db.h"
#include "store/subscriptions_db.h"
#include "util/json.h"
#include "util/strbuf.h"

/* proration: {creditCents, chargeCents} or null. */
static void add_proration(cJSON *o, const struct sub_event *ev)
{
    if (ev->credit_cents < 0) {
        cJSON_AddNullToObject(o, "proration");
        return;
    }
    cJSON *p = cJSON_AddObjectToObject(o, "proration");
    cJSON_AddNumberToObject(p, "creditCents", (double)ev->credit_cents);
    cJSON_AddNumberToObject(p, "chargeCents", (double)ev->charge_cents);
}

/* One stored change as the admin API shows it: at, action, fromPackageId, fromPackageName,
 * toPackageId, toPackageName, statusBefore, statusAfter, proration, periods, until. */
static cJSON *event_to_json(const struct history_row *row)
{
    const struct sub_event *ev = &row->ev;
    cJSON *o = cJSON_CreateObject();
    json_add_time(o, "at", ev->at);
    cJSON_AddStringToObject(o, "action", sub_event_name(ev->kind));
    json_add_string_or_null(o, "fromPackageId",
                            ev->from_package_id[0] ? ev->from_package_id : NULL);
    json_add_string_or_null(o, "fromPackageName",
                            row->has_from_name ? row->from_package_name : NULL);
    json_add_string_or_null(o, "toPackageId", ev->to_package_id[0] ? ev->to_package_id : NULL);
    json_add_string_or_null(o, "toPackageName", row->has_to_name ? row->to_package_name : NULL);
    json_add_string_or_null(o, "statusBefore", sub_status_name(ev->status_before));
    cJSON_AddStringToObject(o, "statusAfter", sub_status_name(ev->status_after));
    add_proration(o, ev);
    cJSON_AddNumberToObject(o, "periods", (double)ev->periods);
    json_add_time(o, "until", ev->periods > 1 ? ev->until_at : -1);
    return o;
}

void transition_write_json(struct strbuf *sb, const struct transition *t)
{
    const struct sub_event *ev = &t->ev;
    strbuf_add(sb, "{\"at\":", 6);
    json_write_time(sb, ev->at);
    strbuf_add(sb, ",\"action\":", 10);
    json_write_string(sb, sub_event_name(ev->kind));
    strbuf_add(sb, ",\"subscriptionId\":", 18);
    json_write_string(sb, t->subscription_id);
    strbuf_add(sb, ",\"type\":", 8);
    json_write_string(sb, t->type);
    strbuf_add(sb, ",\"fromPackageId\":", 17);
    json_write_string(sb, ev->from_package_id[0] ? ev->from_package_id : NULL);
    strbuf_add(sb, ",\"toPackageId\":", 15);
    json_write_string(sb, ev->to_package_id[0] ? ev->to_package_id : NULL);
    strbuf_add(sb, ",\"statusBefore\":", 16);
    json_write_string(sb, sub_status_name(ev->status_before));
    strbuf_add(sb, ",\"statusAfter\":", 15);
    json_write_string(sb, sub_status_name(ev->status_after));
    strbuf_addf(sb, ",\"periods\":%lld,\"until\":", (long long)ev->periods);
    json_write_time(sb, ev->periods > 1 ? ev->until_at : -1);
    strbuf_addch(sb, '}');
}

static void append_event(const struct history_row *row, void *ctx)
{
    cJSON_AddItemToArray(ctx, event_to_json(row));
}

static enum http_status reply_history(struct request *req, const char *subscription_id,
                                      struct response *res)
{
    cJSON *items = cJSON_CreateArray();
    if (events_db_foreach(req->db, subscription_id, append_event, items) != DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the history");
    }
    return reply_payload(res, HTTP_OK, items);
}

/* GET /__admin/intps/{id}/websites/{intpWebsiteId}/subscription/history -> 200 [event] | 404
 * (an intpc website shows its customer's pool subscription) */
enum http_status admin_website_history(struct request *req, struct response *res)
{
    struct website w;
    if (website_find_or_reply(req, request_param(req, "intpWebsiteId"), "intpWebsiteId", &w, res))
        return res->status;
    return reply_history(req, w.subscription_id, res);
}

/* GET /__admin/intps/{id}/customers/{intpCustomerId}/subscription/history -> 200 [event] | 404
 * (website model: 404, a customer has no subscription of its own there) */
enum http_status admin_customer_history(struct request *req, struct response *res)
{
    struct customer cust;
    char sub_id[UUID_SIZE];
    if (customer_find_or_reply(req, request_param(req, "intpCustomerId"), "intpCustomerId", &cust,
                               res))
        return res->status;
    if (subscriptions_db_of_customer(req->db, cust.id, sub_id) != DB_OK)
        return reply_error(res, ERR_WRONG_MODEL, "intpCustomerId",
                           "customer '%s' has no subscription of its own (website-subscription "
                           "partner): ask for its websites' history",
                           cust.intp_customer_id);
    return reply_history(req, sub_id, res);
}
