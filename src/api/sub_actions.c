/* Subscription actions (contract §5.8–§5.10, D1, D3, D5): upgrade, downgrade, cancel, resume,
 * deactivate and the old SDK's reactivate, for both models and on the legacy v2 routes. The
 * decisions and state changes live in submachine.c; this file finds the subscription, checks
 * the packages, stores the result and answers. */
#include <stdio.h>
#include <string.h>

#include "http/handlers.h"
#include "http/jsonutil.h"
#include "billing/provision.h"
#include "billing/submachine.h"

/* What an action works on. */
struct target {
    bool intpc;               /* the customer's pool (else one website's subscription) */
    struct customer customer; /* the pool's customer, or the website's owner */
    struct website site;      /* website model only */
    struct subscription sub;
    struct package current;
};

/* The Subscription entity of contract §4.6 (pool consumption for an intpc one). New object. */
static cJSON *subscription_to_json(const struct target *t)
{
    const struct subscription *s = &t->sub;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", s->id);
    cJSON_AddStringToObject(o, "status", s->status);
    cJSON_AddStringToObject(o, "packageId", s->package_id);
    cJSON_AddStringToObject(o, "packageName", t->current.name);
    if (!t->intpc) {
        cJSON_AddStringToObject(o, "websiteId", t->site.id);
        cJSON_AddStringToObject(o, "intpWebsiteId", t->site.intp_website_id);
    }
    cJSON_AddStringToObject(o, "intpId", s->intp_id);
    cJSON_AddStringToObject(o, "intpcId", t->customer.intp_customer_id);
    json_add_time(o, "expiresAt", s->expires_at);
    json_add_time(o, "stpResetAt", s->stp_reset_at);
    json_add_time(o, "lastPackageChangeAt", s->last_package_change_at);
    json_add_time(o, "createdAt", s->created_at);
    cJSON_AddStringToObject(o, "billingInterval", t->current.period);
    cJSON_AddStringToObject(o, "type", s->type);
    cJSON_AddBoolToObject(o, "inTrial", s->in_trial);
    cJSON_AddBoolToObject(o, "hadTrial", s->had_trial);
    usage_add_json(o, s->usage, t->current.touchpoints);
    json_add_string_or_null(o, "plannedDowngradePackageId",
                            s->planned_package_id[0] ? s->planned_package_id : NULL);
    return o;
}

/* The route's model must be the partner's (contract: 400 naming the partner's model). */
static int model_matches_or_reply(struct request *req, bool intpc_route, struct response *res)
{
    struct intp_model m;
    if (intp_model_or_reply(req, &m, res))
        return -1;
    if (m.intpc == intpc_route)
        return 0;
    reply_error(res, ERR_WRONG_MODEL, NULL,
                "this partner has %s subscriptions: use /v3/3as/%s-subscriptions/…",
                m.intpc ? "intpc" : "website", m.intpc ? "intpc" : "website");
    return -1;
}

/* Find the subscription the body names, with its current package. */
static int target_or_reply(struct request *req, const cJSON *body, bool intpc, struct target *t,
                           struct response *res)
{
    struct db *db = &req->app->db;
    const char *id, *sub_id;
    char pool_id[37];
    memset(t, 0, sizeof(*t));
    t->intpc = intpc;
    if (intpc) {
        if (external_id_or_reply(body, "intpcId", true, &id, res) ||
            customer_find_or_reply(req, id, "intpcId", &t->customer, res))
            return -1;
        if (subscriptions_db_of_customer(db, t->customer.id, pool_id) != DB_OK) {
            reply_error(res, ERR_INTERNAL, NULL, "the customer has no subscription");
            return -1;
        }
        sub_id = pool_id;
    } else {
        if (external_id_or_reply(body, "intpWebsiteId", true, &id, res) ||
            website_find_or_reply(req, id, "intpWebsiteId", &t->site, res))
            return -1;
        if (customers_db_get_by_id(db, t->site.customer_id, &t->customer) != DB_OK) {
            reply_error(res, ERR_INTERNAL, NULL, "the website has no owner");
            return -1;
        }
        sub_id = t->site.subscription_id;
    }
    if (subscriptions_db_get(db, sub_id, &t->sub) != DB_OK ||
        packages_db_get(db, req->auth.intp_id, t->sub.package_id, &t->current) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not read the subscription");
        return -1;
    }
    return 0;
}

/* The package named by `field` (required unless `fallback` is given, which is used instead). A
 * restricted package must be assigned to the target. */
static int package_arg_or_reply(struct request *req, const cJSON *body, const char *field,
                                const struct target *t, const struct package *fallback,
                                struct package *out, struct response *res)
{
    const char *id;
    if (external_id_or_reply(body, field, !fallback, &id, res))
        return -1;
    if (!id) {
        *out = *fallback;
        return 0;
    }
    if (package_find_or_reply(req, id, field, out, res))
        return -1;
    if (strcmp(out->visibility, "restricted") == 0 &&
        packages_db_assigned(&req->app->db, out->id, t->intpc ? NULL : t->site.id,
                             t->customer.id) != DB_OK) {
        reply_error(res, ERR_VALIDATION, field,
                    "%s names a restricted package that is not assigned to this %s", field,
                    t->intpc ? "customer" : "website");
        return -1;
    }
    return 0;
}

/* The partner's Free package (monthly), where a cancel falls to. */
static int free_package_or_reply(struct request *req, const cJSON *body, const struct target *t,
                                 struct package *out, struct response *res)
{
    struct package free_pkg;
    if (packages_db_get_default(&req->app->db, req->auth.intp_id, FREE_PACKAGE_NAME, "monthly",
                                &free_pkg) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "the partner has no Free package");
        return -1;
    }
    /* the legacy v2 cancel may name the free package itself */
    return package_arg_or_reply(req, body, "freePackageId", t, &free_pkg, out, res);
}

static int decide_or_reply(const struct request *req, const struct target *t,
                           enum sub_action action, const struct package *target,
                           struct response *res)
{
    int from = sub_status_parse(t->sub.status);
    bool intended = req->app->cfg.profile == PROFILE_INTENDED;
    struct sub_decision d = sub_decide(from < 0 ? SUB_ACTIVE : (enum sub_status)from, action,
                                       t->current.touchpoints, target ? target->touchpoints : 0,
                                       target && strcmp(target->id, t->current.id) == 0, intended);
    switch (d.verdict) {
    case VERDICT_OK:
        return 0;
    case VERDICT_RULE:
        reply_error(res, intended ? ERR_RULE_INTENDED : ERR_RULE_OBSERVED, NULL, "%s: %s",
                    sub_action_name(action), d.reason);
        return -1;
    case VERDICT_INVALID:
        break;
    }
    reply_error(res, ERR_INVALID_ACTION, NULL, "%s: %s", sub_action_name(action), d.reason);
    return -1;
}

/* Store the changed subscription and its event. */
static int store_or_reply(struct request *req, struct target *t, const struct sub_event *ev,
                          struct response *res)
{
    struct db *db = &req->app->db;
    if (events_db_insert(db, t->sub.id, ev) != DB_OK ||
        (sub_event_resets_usage(ev) && usage_db_reset(db, t->sub.id) != DB_OK) ||
        subscriptions_db_update(db, &t->sub) != DB_OK ||
        subscriptions_db_get(db, t->sub.id, &t->sub) != DB_OK ||
        packages_db_get(db, req->auth.intp_id, t->sub.package_id, &t->current) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not store the subscription");
        return -1;
    }
    return 0;
}

/* Upgrade or reactivate: {packageId, trial?, proRate?} (reactivate without a package keeps the
 * current one). */
static int upgrade_or_reply(struct request *req, const cJSON *body, struct target *t,
                            enum sub_action action, struct sub_event *ev, struct response *res)
{
    struct package target;
    bool trial = false, prorate = false;
    if (package_arg_or_reply(req, body, "packageId", t,
                             action == ACT_REACTIVATE ? &t->current : NULL, &target, res) ||
        json_bool_or_reply(body, "trial", &trial, res) ||
        json_bool_or_reply(body, "proRate", &prorate, res) ||
        decide_or_reply(req, t, action, &target, res))
        return -1;
    sub_upgrade(&t->sub, action, &t->current, &target, request_now(req), trial,
                req->app->cfg.trial_days, prorate, ev);
    return 0;
}

/* Apply `action` to the target in memory, after the checks it needs. */
static int apply_or_reply(struct request *req, const cJSON *body, struct target *t,
                          enum sub_action action, struct sub_event *ev, struct response *res)
{
    struct package target;
    int64_t now = request_now(req);
    switch (action) {
    case ACT_UPGRADE:
    case ACT_REACTIVATE:
        return upgrade_or_reply(req, body, t, action, ev, res);
    case ACT_DOWNGRADE:
        if (package_arg_or_reply(req, body, "packageId", t, NULL, &target, res) ||
            decide_or_reply(req, t, action, &target, res))
            return -1;
        sub_downgrade(&t->sub, &target, now, ev);
        return 0;
    case ACT_CANCEL:
        if (free_package_or_reply(req, body, t, &target, res) ||
            decide_or_reply(req, t, action, NULL, res))
            return -1;
        sub_cancel(&t->sub, &target, now, ev);
        return 0;
    case ACT_RESUME:
        if (decide_or_reply(req, t, action, NULL, res))
            return -1;
        sub_resume(&t->sub, now, ev);
        return 0;
    case ACT_DEACTIVATE:
        if (decide_or_reply(req, t, action, NULL, res))
            return -1;
        sub_deactivate(&t->sub, now, ev);
        return 0;
    case ACT__COUNT:
        break;
    }
    reply_error(res, ERR_INTERNAL, NULL, "unknown action");
    return -1;
}

/* Deactivate answers with what was deactivated, as it was (D1, D5): the Website (which stays,
 * inactive), or the INTPC (deleted with its websites). */
static enum http_status reply_deactivated(struct request *req, struct target *t,
                                          const struct sub_event *ev, struct response *res)
{
    struct website_view before;
    if (t->intpc) {
        if (customers_db_delete(&req->app->db, t->customer.id) != DB_OK)
            return reply_error(res, ERR_INTERNAL, NULL, "could not delete the customer");
        return reply_payload(res, HTTP_OK, customer_to_json(&t->customer));
    }
    if (websites_db_view_by_uuid(&req->app->db, req->auth.intp_id, t->site.id, &before) != DB_OK ||
        store_or_reply(req, t, ev, res))
        return reply_error(res, ERR_INTERNAL, NULL, "could not deactivate the website");
    return reply_payload(res, HTTP_OK, website_to_json(&before));
}

static enum http_status run_action(struct request *req, struct response *res, bool intpc_route)
{
    const char *name = request_param(req, "action");
    int action = sub_action_parse(name);
    struct target t;
    struct sub_event ev;
    cJSON *body = NULL;
    if (action < 0)
        return reply_error(res, ERR_ROUTE_NOT_FOUND, NULL, "no subscription action '%s'", name);
    if (request_json_object_or_reply(req, res, &body) ||
        model_matches_or_reply(req, intpc_route, res) ||
        target_or_reply(req, body, intpc_route, &t, res) ||
        apply_or_reply(req, body, &t, (enum sub_action)action, &ev, res))
        goto out;
    if (action == ACT_DEACTIVATE)
        reply_deactivated(req, &t, &ev, res);
    else if (store_or_reply(req, &t, &ev, res) == 0)
        reply_payload(res, HTTP_OK, subscription_to_json(&t));
out:
    cJSON_Delete(body);
    return res->status;
}

/* POST /v3/3as/website-subscriptions/{upgrade|downgrade|cancel|resume|deactivate|reactivate}
 * POST /v2/3as/notifications/subscriptions/{…} (legacy, the same bodies)
 *   {intpWebsiteId, packageId?, trial?, proRate?, freePackageId?} -> 200 Subscription
 *   (deactivate: 200 Website) | 400 | 404 | 500 (D3 rules, profile "observed") */
enum http_status website_subscription_action(struct request *req, struct response *res)
{
    return run_action(req, res, false);
}

/* POST /v3/3as/intpc-subscriptions/{upgrade|downgrade|cancel|resume|deactivate|reactivate}
 *   {intpcId, packageId?, trial?, proRate?} -> 200 Subscription (deactivate: 200 INTPC, the
 *   customer and its websites deleted) | 400 | 404 | 500 (D3 rules, profile "observed") */
enum http_status intpc_subscription_action(struct request *req, struct response *res)
{
    return run_action(req, res, true);
}
