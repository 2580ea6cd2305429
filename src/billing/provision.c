/* Provisioning: subscriptions and websites as the create routes set them up, and the Website
 * entity. */
#include "billing/provision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/jsonutil.h"
#include "billing/submachine.h"
#include "util/util.h"

/* The worker URL of the vendor's production tracking snippet (contract §4.3). */
#define TRACKER_SRC "//app-worker.visitor-analytics.io/main.js"

/* The package a new subscription starts on: `package_id`, or the free trial (with the Free
 * package it falls to). */
static int start_package_or_reply(const struct request *req, const char *package_id,
                                  const char *field, struct package *pkg, struct package *fallback,
                                  bool *has_fallback, struct response *res)
{
    struct db *db = &req->app->db;
    const char *intp = req->auth.intp_id;
    *has_fallback = false;
    if (package_id) {
        if (package_find_or_reply(req, package_id, field, pkg, res))
            return -1;
        if (strcmp(pkg->visibility, "restricted") == 0) {
            reply_error(res, ERR_VALIDATION, field,
                        "%s names a restricted package: create on the free plan, assign the "
                        "package, then upgrade to it",
                        field);
            return -1;
        }
        if (strcmp(pkg->name, UFT_PACKAGE_NAME) != 0 || !pkg->is_default)
            return 0;
    } else if (packages_db_get_default(db, intp, UFT_PACKAGE_NAME, "monthly", pkg) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "the partner has no free-trial package");
        return -1;
    }
    *has_fallback =
        packages_db_get_default(db, intp, FREE_PACKAGE_NAME, "monthly", fallback) == DB_OK;
    return 0;
}

int subscription_create_or_reply(const struct request *req, const char *type, const char *owner_id,
                                 const char *id, const char *package_id, const char *package_field,
                                 int64_t billing_date, struct subscription *out,
                                 struct response *res)
{
    struct package pkg, fallback;
    bool has_fallback;
    if (start_package_or_reply(req, package_id, package_field, &pkg, &fallback, &has_fallback, res))
        return -1;
    memset(out, 0, sizeof(*out));
    if (id)
        snprintf(out->id, sizeof(out->id), "%s", id);
    else
        uuid_v4(out->id);
    snprintf(out->intp_id, sizeof(out->intp_id), "%s", req->auth.intp_id);
    snprintf(out->type, sizeof(out->type), "%s", type);
    bool website = strcmp(type, "website") == 0;
    snprintf(website ? out->website_id : out->customer_id, 37, "%s", owner_id);
    subscription_start(out, &pkg, has_fallback ? &fallback : NULL, billing_date, request_now(req));
    struct sub_event ev = {
        .at = out->created_at, .action = "created", .credit_cents = -1, .charge_cents = -1};
    snprintf(ev.to_package_id, sizeof(ev.to_package_id), "%s", out->package_id);
    snprintf(ev.status_after, sizeof(ev.status_after), "%s", out->status);
    if (subscriptions_db_insert(&req->app->db, out) != DB_OK ||
        events_db_insert(&req->app->db, out->id, &ev) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not store the subscription");
        return -1;
    }
    return 0;
}

/* Check that the partner's model allows what `nw` carries, and that its id is free. */
static int website_allowed_or_reply(const struct request *req, const struct intp_model *model,
                                    const struct new_website *nw, struct response *res)
{
    struct website existing;
    if (model->intpc && nw->package_id) {
        reply_error(res, ERR_WRONG_MODEL, nw->package_field,
                    "%s: on an intpc-subscription partner a website shares its customer's "
                    "subscription and carries no package",
                    nw->package_field);
        return -1;
    }
    if (nw->uft && (model->intpc || nw->package_id)) {
        reply_error(res, model->intpc ? ERR_WRONG_MODEL : ERR_VALIDATION, nw->uft_field,
                    model->intpc ? "%s: an intpc-subscription website carries no trial"
                                 : "%s cannot be combined with a package",
                    nw->uft_field);
        return -1;
    }
    enum db_result r =
        websites_db_get(&req->app->db, req->auth.intp_id, nw->intp_website_id, &existing);
    if (r == DB_OK) {
        reply_error(res, ERR_DUPLICATE, nw->id_field, "a website with %s '%s' already exists",
                    nw->id_field, nw->intp_website_id);
        return -1;
    }
    if (r != DB_NOT_FOUND) {
        reply_error(res, ERR_INTERNAL, NULL, "database error");
        return -1;
    }
    return 0;
}

int website_create_or_reply(const struct request *req, const struct intp_model *model,
                            const struct customer *owner, const struct new_website *nw,
                            char *website_uuid, struct response *res)
{
    struct website w = {.privacy_level = nw->privacy_level, .created_at = request_now(req)};
    struct subscription sub;
    if (website_allowed_or_reply(req, model, nw, res))
        return -1;
    uuid_v4(w.id);
    snprintf(w.intp_id, sizeof(w.intp_id), "%s", req->auth.intp_id);
    snprintf(w.intp_website_id, sizeof(w.intp_website_id), "%s", nw->intp_website_id);
    snprintf(w.customer_id, sizeof(w.customer_id), "%s", owner->id);
    snprintf(w.domain, sizeof(w.domain), "%s", nw->domain);
    if (model->intpc) {
        if (subscriptions_db_of_customer(&req->app->db, owner->id, w.subscription_id) != DB_OK) {
            reply_error(res, ERR_INTERNAL, NULL, "the customer has no subscription");
            return -1;
        }
    } else {
        uuid_v4(w.subscription_id); /* the website row comes first: the subscription refers to it */
    }
    if (websites_db_insert(&req->app->db, &w) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not store the website");
        return -1;
    }
    if (!model->intpc &&
        subscription_create_or_reply(req, "website", w.id, w.subscription_id, nw->package_id,
                                     nw->package_field, nw->billing_date, &sub, res))
        return -1;
    snprintf(website_uuid, 37, "%s", w.id);
    return 0;
}

/* The tracking snippet of contract §4.3 for `domain` and website `uuid`; `max_privacy` adds the
 * max-privacy marker (the vendor's text of that variant is unknown: README). New string. */
static char *tracking_code(const char *domain, const char *uuid, bool max_privacy)
{
    static const char fmt[] =
        "<!-- TWIPLA Tracking Code%s for %s --><script>(function(v,i,s,a,t){v[t]=v[t]||"
        "function(){(v[t].v=v[t].v||[]).push(arguments)};if(!v._visaSettings){v._visaSettings={}}"
        "v._visaSettings[a]={v:'1.0',s:a,a:'1',t:t%s};var b=i.getElementsByTagName('body')[0];"
        "var p=i.createElement('script');p.defer=1;p.async=1;p.src=s+'?s='+a;b.appendChild(p)})"
        "(window,document,'" TRACKER_SRC "','%s','va')</script><!-- TWIPLA Tracking Code%s for "
        "%s -->";
    const char *mode = max_privacy ? " (max privacy mode)" : "", *flag = max_privacy ? ",mp:1" : "";
    int n = snprintf(NULL, 0, fmt, mode, domain, flag, uuid, mode, domain);
    char *out = xmalloc((size_t)n + 1);
    snprintf(out, (size_t)n + 1, fmt, mode, domain, flag, uuid, mode, domain);
    return out;
}

static void add_tracking_codes(cJSON *o, const struct website_view *v)
{
    char *code = tracking_code(v->w.domain, v->w.id, false);
    cJSON_AddStringToObject(o, "visaTrackingCode", code);
    free(code);
    code = tracking_code(v->w.domain, v->w.id, true);
    cJSON_AddStringToObject(o, "visaMaxPrivacyModeTrackingCode", code);
    free(code);
}

static void add_planned_downgrade(cJSON *o, const struct website_view *v)
{
    bool planned = v->planned_package_id[0] != '\0';
    json_add_string_or_null(o, "plannedDowngradePackageId", planned ? v->planned_package_id : NULL);
    json_add_string_or_null(o, "plannedDowngradePackageName", planned ? v->planned_name : NULL);
    /* the sources disagree on the name: both are sent (D12) */
    json_add_string_or_null(o, "plannedDowngradePackageInterval",
                            planned ? v->planned_period : NULL);
    json_add_string_or_null(o, "plannedDowngradeBillingInterval",
                            planned ? v->planned_period : NULL);
}

cJSON *website_to_json(const struct website_view *v)
{
    bool intpc = strcmp(v->sub_type, "intpc") == 0;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", v->w.id);
    cJSON_AddStringToObject(o, "status", v->status);
    cJSON_AddStringToObject(o, "intpId", v->w.intp_id);
    cJSON_AddStringToObject(o, "intpWebsiteId", v->w.intp_website_id);
    cJSON_AddStringToObject(o, "intpCustomerId", v->intp_customer_id);
    cJSON_AddStringToObject(o, "visaCustomerId", v->w.customer_id);
    add_tracking_codes(o, v);
    cJSON_AddStringToObject(o, "domain", v->w.domain);
    cJSON_AddStringToObject(o, "packageId", v->package_id);
    cJSON_AddStringToObject(o, "packageName", v->package_name);
    cJSON_AddStringToObject(o, "billingInterval", v->package_period);
    cJSON_AddStringToObject(o, "billingMode", v->billing_mode);
    json_add_time(o, "lastPackageChangeAt", v->last_package_change_at);
    add_planned_downgrade(o, v);
    cJSON_AddBoolToObject(o, "inTrial", v->in_trial);
    cJSON_AddBoolToObject(o, "hadTrial", v->had_trial);
    json_add_time(o, "createdAt", v->w.created_at);
    json_add_time(o, "expiresAt", v->expires_at);
    json_add_time(o, "stpResetAt", v->stp_reset_at);
    /* a website of a customer pool reports no limit of its own (contract §4.4) */
    usage_add_json(o, v->usage, intpc ? -1 : v->touchpoints);
    cJSON_AddStringToObject(o, "subscriptionType", v->sub_type);
    return o;
}

enum http_status reply_website_created(const struct request *req, const char *uuid,
                                       struct response *res)
{
    struct website_view v;
    if (websites_db_view_by_uuid(&req->app->db, req->auth.intp_id, uuid, &v) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the new website back");
    return reply_payload(res, HTTP_CREATED, website_to_json(&v));
}
