/* The entities of the partner API as JSON (contract §4): INTPC, Website, Subscription and their
 * consumption. Each returns a new object the caller owns. */
#include "api/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/usage.h"
#include "http/validate.h"
#include "util/util.h"

/* The worker URL of the vendor's production tracking snippet (contract §4.3). */
#define TRACKER_SRC "//app-worker.visitor-analytics.io/main.js"

void usage_add_json(cJSON *obj, const int64_t usage[USAGE__COUNT], int64_t limit)
{
    char key[64];
    cJSON *c = cJSON_AddObjectToObject(obj, "consumption");
    cJSON_AddNumberToObject(c, "stpLimit", (double)limit);
    cJSON_AddNumberToObject(c, "stpConsumed", (double)usage_consumed_tenths(usage) / 10.0);
    for (int i = 0; i < USAGE__COUNT; i++) {
        int64_t rate = usage_rate_tenths((enum usage_kind)i);
        snprintf(key, sizeof(key), "stpRate%s", usage_name((enum usage_kind)i));
        cJSON_AddNumberToObject(c, key, (double)rate / 10.0);
        snprintf(key, sizeof(key), "stpConsumed%s", usage_name((enum usage_kind)i));
        cJSON_AddNumberToObject(c, key, (double)(usage[i] * rate) / 10.0);
    }
}

cJSON *intp_to_json(const struct intp *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", p->id);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "address", p->address);
    json_add_time(o, "createdAt", p->created_at);
    cJSON_AddStringToObject(o, "billingMode", p->billing_mode);
    cJSON_AddStringToObject(o, "subscriptionType", p->subscription_type);
    cJSON_AddBoolToObject(o, "websiteOnboarding", p->website_onboarding);
    return o;
}

cJSON *customer_to_json(const struct customer *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "intpCustomerId", c->intp_customer_id);
    cJSON_AddStringToObject(o, "visaId", c->id);
    cJSON_AddStringToObject(o, "email", c->email);
    cJSON_AddStringToObject(o, "intpId", c->intp_id);
    json_add_time(o, "createdAt", c->created_at);
    return o;
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
    cJSON_AddStringToObject(o, "status", sub_status_name(v->status));
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

/* The Subscription entity of contract §4.6 (pool consumption for an intpc one). New object. */
cJSON *subscription_to_json(const struct sub_target *t)
{
    const struct subscription *s = &t->sub;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", s->id);
    cJSON_AddStringToObject(o, "status", sub_status_name(s->status));
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
