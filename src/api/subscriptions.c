/* Subscription actions (contract §5.8–§5.10, D1, D3, D5): upgrade, downgrade, cancel, resume,
 * deactivate and the old SDK's reactivate, for both models and on the legacy v2 routes. This
 * file parses and renders; billing/subscriptions.c finds, decides, applies and stores. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/render.h"
#include "api/resources.h"
#include "billing/subscriptions.h"
#include "http/validate.h"

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
static int target_or_reply(struct request *req, const cJSON *body, bool intpc, struct sub_target *t,
                           struct response *res)
{
    struct tenant tn = request_tenant(req);
    struct outcome o;
    const char *field = intpc ? "intpcId" : "intpWebsiteId", *id;
    if (external_id_or_reply(body, field, true, &id, res))
        return -1;
    if (sub_target_find(&tn, intpc, id, field, t, &o)) {
        reply_outcome(res, &o);
        return -1;
    }
    return 0;
}

/* The package named by `field` (required unless `fallback` is given, which is used instead). */
static int package_arg_or_reply(struct request *req, const cJSON *body, const char *field,
                                const struct sub_target *t, const struct package *fallback,
                                struct package *out, struct response *res)
{
    struct tenant tn = request_tenant(req);
    struct outcome o;
    const char *id;
    if (external_id_or_reply(body, field, !fallback, &id, res))
        return -1;
    if (!id) {
        *out = *fallback;
        return 0;
    }
    if (sub_package_find(&tn, t, id, field, out, &o)) {
        reply_outcome(res, &o);
        return -1;
    }
    return 0;
}

/* The package an action moves to, and its options, parsed in the order the body is checked. */
static int action_args_or_reply(struct request *req, const cJSON *body, const struct sub_target *t,
                                enum sub_action action, struct package *pkg,
                                struct sub_options *opt, struct response *res)
{
    struct tenant tn = request_tenant(req);
    struct package free_pkg;
    struct outcome o;
    switch (action) {
    case ACT_UPGRADE:
    case ACT_REACTIVATE:
        /* reactivate without a package keeps the current one */
        return package_arg_or_reply(req, body, "packageId", t,
                                    action == ACT_REACTIVATE ? &t->current : NULL, pkg, res) ||
                       json_bool_or_reply(body, "trial", &opt->trial, res) ||
                       json_bool_or_reply(body, "proRate", &opt->prorate, res)
                   ? -1
                   : 0;
    case ACT_DOWNGRADE:
        return package_arg_or_reply(req, body, "packageId", t, NULL, pkg, res);
    case ACT_CANCEL:
        if (sub_free_package(&tn, &free_pkg, &o)) {
            reply_outcome(res, &o);
            return -1;
        }
        /* the legacy v2 cancel may name the free package itself */
        return package_arg_or_reply(req, body, "freePackageId", t, &free_pkg, pkg, res);
    case ACT_RESUME:
    case ACT_DEACTIVATE:
    case ACT_NONE:
    case ACT__COUNT:
        break;
    }
    return 0;
}

/* Deactivate answers with what was deactivated, as it was (D1, D5): the Website (which stays,
 * inactive), or the INTPC (deleted with its websites). */
static int deactivated_view_or_reply(struct request *req, const struct sub_target *t,
                                     struct website_view *before, struct response *res)
{
    if (t->intpc ||
        websites_db_view_by_uuid(req->db, req->auth.intp_id, t->site.id, before) == DB_OK)
        return 0;
    reply_error(res, ERR_INTERNAL, NULL, "could not deactivate the website");
    return -1;
}

static enum http_status run_action(struct request *req, struct response *res, bool intpc_route)
{
    const char *name = request_param(req, "action");
    enum sub_action action = sub_action_parse(name);
    struct tenant tn = request_tenant(req);
    struct sub_options opt = {.trial_days = req->app->cfg.trial_days,
                              .intended = req->app->cfg.profile == PROFILE_INTENDED};
    struct sub_target t;
    struct package pkg, *target_pkg;
    struct website_view before;
    struct outcome o;
    cJSON *body = NULL;
    if (action == ACT_NONE)
        return reply_error(res, ERR_ROUTE_NOT_FOUND, NULL, "no subscription action '%s'", name);
    if (request_json_object_or_reply(req, res, &body) ||
        model_matches_or_reply(req, intpc_route, res) ||
        target_or_reply(req, body, intpc_route, &t, res) ||
        action_args_or_reply(req, body, &t, action, &pkg, &opt, res))
        goto out;
    target_pkg = action == ACT_UPGRADE || action == ACT_REACTIVATE || action == ACT_DOWNGRADE ||
                         action == ACT_CANCEL
                     ? &pkg
                     : NULL;
    if (action == ACT_DEACTIVATE && deactivated_view_or_reply(req, &t, &before, res))
        goto out;
    if (sub_apply(&tn, &t, action, target_pkg, &opt, &o)) {
        reply_outcome(res, &o);
        goto out;
    }
    if (action != ACT_DEACTIVATE)
        reply_payload(res, HTTP_OK, subscription_to_json(&t));
    else if (t.intpc)
        reply_payload(res, HTTP_OK, customer_to_json(&t.customer));
    else
        reply_payload(res, HTTP_OK, website_to_json(&before));
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
