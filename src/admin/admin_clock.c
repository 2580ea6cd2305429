/* The admin API of one partner's subscriptions: its clock, the history of a subscription, and
 * recorded usage (touchpoint consumption) for a website. */
#include <string.h>

#include "billing/calendar.h"
#include "billing/clock.h"
#include "http/handlers.h"
#include "store/intps_db.h"
#include "http/jsonutil.h"
#include "billing/provision.h"
#include "util/util.h"

/* Scope an admin request to the {id} partner, as a partner route is scoped to its token's:
 * partner lookups, its clock, and the transitions that clock has passed. */
static int admin_scope_or_reply(struct request *req, struct partner_clock *c, struct response *res)
{
    const char *id = request_param(req, "id");
    if (clock_get(&req->app->db, id, c) != DB_OK) {
        reply_error(res, ERR_INTP_NOT_FOUND, "id", "no intp with id '%s'", id);
        return -1;
    }
    snprintf(req->auth.intp_id, sizeof(req->auth.intp_id), "%s", id);
    req->now = clock_now(c, time_now());
    if (clock_catch_up(&req->app->db, id, req->now, NULL)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not apply the due transitions");
        return -1;
    }
    return 0;
}

static cJSON *clock_to_json(const struct partner_clock *c, int64_t now)
{
    cJSON *o = cJSON_CreateObject();
    json_add_time(o, "now", now);
    cJSON_AddBoolToObject(o, "frozen", c->frozen_at >= 0);
    cJSON_AddNumberToObject(o, "offsetSeconds", (double)c->offset);
    return o;
}

/* GET /__admin/intps/{id}/clock -> 200 {now, frozen, offsetSeconds} | 404 */
enum http_status admin_clock_get(struct request *req, struct response *res)
{
    struct partner_clock c;
    if (admin_scope_or_reply(req, &c, res))
        return res->status;
    return reply_json(res, HTTP_OK, clock_to_json(&c, req->now));
}

/* The moment the body asks for: now + advanceBy, or set; never before now. */
static int clock_target_or_reply(const cJSON *body, int64_t now, int64_t *target,
                                 struct response *res)
{
    const char *by, *at;
    int months;
    int64_t seconds;
    *target = now;
    if (json_string_or_reply(body, "advanceBy", false, 64, &by, res) ||
        json_string_or_reply(body, "set", false, 64, &at, res))
        return -1;
    if (by && at) {
        reply_error(res, ERR_VALIDATION, "set", "give advanceBy or set, not both");
        return -1;
    }
    if (by && cal_parse_duration(by, &months, &seconds)) {
        reply_error(res, ERR_VALIDATION, "advanceBy",
                    "advanceBy must be an ISO-8601 duration such as P1M, P30D, PT12H or P1Y2M");
        return -1;
    }
    if (by)
        *target = cal_add_duration(now, months, seconds);
    if (at && timestamp_or_reply(body, "set", target, res))
        return -1;
    if (*target < now) {
        reply_error(res, ERR_VALIDATION, "set", "the clock cannot move backwards");
        return -1;
    }
    return 0;
}

/* POST /__admin/intps/{id}/clock {advanceBy? | set?, freeze?} -> 200 {now, frozen,
 *   offsetSeconds, transitions: [...], transitionsTotal} | 400 | 404: every transition the move
 *   passes is applied, in time order */
enum http_status admin_clock_set(struct request *req, struct response *res)
{
    struct partner_clock c;
    struct catch_up applied = {0};
    cJSON *body = NULL;
    int64_t target, wall = time_now();
    bool frozen;
    if (admin_scope_or_reply(req, &c, res) || request_json_object_or_reply(req, res, &body) ||
        clock_target_or_reply(body, req->now, &target, res))
        goto out;
    frozen = c.frozen_at >= 0;
    if (json_bool_or_reply(body, "freeze", &frozen, res))
        goto out;
    c.offset = target - wall;
    c.frozen_at = frozen ? target : -1;
    applied.listed = cJSON_CreateArray();
    if (clock_set(&req->app->db, req->auth.intp_id, &c) != DB_OK ||
        clock_catch_up(&req->app->db, req->auth.intp_id, target, &applied)) {
        cJSON_Delete(applied.listed);
        reply_error(res, ERR_INTERNAL, NULL, "could not move the clock");
        goto out;
    }
    cJSON *o = clock_to_json(&c, target);
    cJSON_AddItemToObject(o, "transitions", applied.listed);
    cJSON_AddNumberToObject(o, "transitionsTotal", (double)applied.total);
    reply_json(res, HTTP_OK, o);
out:
    cJSON_Delete(body);
    return res->status;
}

static void append_event(const cJSON *event, void *ctx)
{
    cJSON_AddItemToArray(ctx, cJSON_Duplicate(event, true));
}

static enum http_status reply_history(struct request *req, const char *subscription_id,
                                      struct response *res)
{
    cJSON *items = cJSON_CreateArray();
    if (events_db_foreach(&req->app->db, subscription_id, append_event, items) != DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the history");
    }
    return reply_payload(res, HTTP_OK, items);
}

/* GET /__admin/intps/{id}/websites/{intpWebsiteId}/subscription/history -> 200 [event] | 404
 * (an intpc website shows its customer's pool subscription) */
enum http_status admin_website_history(struct request *req, struct response *res)
{
    struct partner_clock c;
    struct website w;
    if (admin_scope_or_reply(req, &c, res) ||
        website_find_or_reply(req, request_param(req, "intpWebsiteId"), "intpWebsiteId", &w, res))
        return res->status;
    return reply_history(req, w.subscription_id, res);
}

/* GET /__admin/intps/{id}/customers/{intpCustomerId}/subscription/history -> 200 [event] | 404
 * (website model: 404, a customer has no subscription of its own there) */
enum http_status admin_customer_history(struct request *req, struct response *res)
{
    struct partner_clock c;
    struct customer cust;
    char sub_id[37];
    if (admin_scope_or_reply(req, &c, res) ||
        customer_find_or_reply(req, request_param(req, "intpCustomerId"), "intpCustomerId", &cust,
                               res))
        return res->status;
    if (subscriptions_db_of_customer(&req->app->db, cust.id, sub_id) != DB_OK)
        return reply_error(res, ERR_WRONG_MODEL, "intpCustomerId",
                           "customer '%s' has no subscription of its own (website-subscription "
                           "partner): ask for its websites' history",
                           cust.intp_customer_id);
    return reply_history(req, sub_id, res);
}

/* POST /__admin/intps/{id}/websites/{intpWebsiteId}/usage {visits?, visitEvents?,
 *   sessionRecordings?, heatmapIncrements?, pollAnswers?, surveyAnswers?, funnelMatches?}
 *   -> 200 Website with the new consumption | 400 | 404 */
enum http_status admin_website_usage(struct request *req, struct response *res)
{
    static const char *const keys[USAGE__COUNT] = {
        "visits",      "visitEvents",   "sessionRecordings", "heatmapIncrements",
        "pollAnswers", "surveyAnswers", "funnelMatches"};
    struct partner_clock c;
    struct website w;
    struct website_view v;
    int64_t counts[USAGE__COUNT] = {0};
    cJSON *body = NULL;
    if (admin_scope_or_reply(req, &c, res) ||
        website_find_or_reply(req, request_param(req, "intpWebsiteId"), "intpWebsiteId", &w, res) ||
        request_json_object_or_reply(req, res, &body))
        goto out;
    for (int i = 0; i < USAGE__COUNT; i++)
        if (json_int_or_reply(body, keys[i], 0, 1000000000, &counts[i], res))
            goto out;
    if (usage_db_add(&req->app->db, w.id, counts) != DB_OK ||
        websites_db_view_by_uuid(&req->app->db, req->auth.intp_id, w.id, &v) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not record the usage");
        goto out;
    }
    reply_payload(res, HTTP_OK, website_to_json(&v));
out:
    cJSON_Delete(body);
    return res->status;
}
