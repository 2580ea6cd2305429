/* Provisioning: subscriptions, websites and customers as the create routes set them up. */
#include "billing/provision.h"

#include <stdio.h>
#include <string.h>

#include "billing/calendar.h"
#include "billing/submachine.h"
#include "store/events_db.h"
#include "util/util.h"

void subscription_start(struct subscription *s, const struct package *pkg,
                        const struct package *fallback, int64_t anchor, int64_t now)
{
    snprintf(s->package_id, sizeof(s->package_id), "%s", pkg->id);
    s->status = SUB_ACTIVE;
    s->created_at = now;
    s->last_package_change_at = -1;
    s->planned_package_id[0] = '\0';
    memset(s->usage, 0, sizeof(s->usage));
    if (package_is_trial(pkg)) {
        s->in_trial = s->had_trial = true;
        s->billing_anchor = s->period_start = now;
        s->trial_ends_at = s->expires_at = s->stp_reset_at = now + UFT_DAYS * DAY_SECONDS;
        snprintf(s->trial_fallback_id, sizeof(s->trial_fallback_id), "%s",
                 fallback ? fallback->id : "");
        return;
    }
    int step = strcmp(pkg->period, "yearly") == 0 ? 12 : 1;
    s->in_trial = s->had_trial = false;
    s->trial_ends_at = -1;
    s->trial_fallback_id[0] = '\0';
    s->billing_anchor = anchor;
    s->period_start = cal_last_at_or_before(anchor, step, now);
    s->expires_at = cal_next_after(anchor, step, now);
    s->stp_reset_at = cal_next_after(anchor, 1, now);
}

/* The package a new subscription starts on: `package_id`, or the free trial (with the Free
 * package it falls to). */
static int start_package(const struct tenant *t, const char *package_id, const char *field,
                         struct package *pkg, struct package *fallback, bool *has_fallback,
                         struct outcome *o)
{
    *has_fallback = false;
    if (package_id) {
        if (tenant_package(t, package_id, field, pkg, o))
            return -1;
        if (strcmp(pkg->visibility, "restricted") == 0)
            return outcome_fail(o, OUT_INVALID, field,
                                "%s names a restricted package: create on the free plan, assign "
                                "the package, then upgrade to it",
                                field);
        if (!package_is_trial(pkg))
            return 0;
    } else if (packages_db_get_default(t->db, t->intp_id, UFT_PACKAGE_NAME, "monthly", pkg) !=
               DB_OK) {
        return outcome_fail(o, OUT_FAILED, NULL, "the partner has no free-trial package");
    }
    *has_fallback =
        packages_db_get_default(t->db, t->intp_id, FREE_PACKAGE_NAME, "monthly", fallback) == DB_OK;
    return 0;
}

int subscription_create(const struct tenant *t, const char *type, const char *owner_id,
                        const char *id, const char *package_id, const char *package_field,
                        int64_t billing_date, struct subscription *out, struct outcome *o)
{
    struct package pkg, fallback;
    bool has_fallback;
    if (start_package(t, package_id, package_field, &pkg, &fallback, &has_fallback, o))
        return -1;
    memset(out, 0, sizeof(*out));
    if (id)
        snprintf(out->id, sizeof(out->id), "%s", id);
    else
        uuid_v4_ordered(out->id);
    snprintf(out->intp_id, sizeof(out->intp_id), "%s", t->intp_id);
    snprintf(out->type, sizeof(out->type), "%s", type);
    bool website = strcmp(type, "website") == 0;
    snprintf(website ? out->website_id : out->customer_id, UUID_SIZE, "%s", owner_id);
    subscription_start(out, &pkg, has_fallback ? &fallback : NULL, billing_date, t->now);
    struct sub_event ev = {.at = out->created_at,
                           .kind = EV_CREATED,
                           .status_before = SUB_STATUS_NONE,
                           .status_after = out->status,
                           .credit_cents = -1,
                           .charge_cents = -1};
    snprintf(ev.to_package_id, sizeof(ev.to_package_id), "%s", out->package_id);
    if (subscriptions_db_insert(t->db, out) != DB_OK ||
        events_db_insert(t->db, out->id, &ev) != DB_OK)
        return outcome_fail(o, OUT_FAILED, NULL, "could not store the subscription");
    return 0;
}

/* Check that the partner's model allows what `nw` carries (that its id is free, the insert
 * finds: website_conflict). */
static int website_allowed(const struct intp_model *model, const struct new_website *nw,
                           struct outcome *o)
{
    if (model->intpc && nw->package_id)
        return outcome_fail(o, OUT_WRONG_MODEL, nw->package_field,
                            "%s: on an intpc-subscription partner a website shares its "
                            "customer's subscription and carries no package",
                            nw->package_field);
    if (nw->uft && (model->intpc || nw->package_id))
        return outcome_fail(o, model->intpc ? OUT_WRONG_MODEL : OUT_INVALID, nw->uft_field,
                            model->intpc ? "%s: an intpc-subscription website carries no trial"
                                         : "%s cannot be combined with a package",
                            nw->uft_field);
    return 0;
}

/* The website insert broke a constraint: a taken id, or else a failure. */
static int website_conflict(const struct tenant *t, const struct new_website *nw, struct outcome *o)
{
    struct website existing;
    if (websites_db_get(t->db, t->intp_id, nw->intp_website_id, &existing) == DB_OK)
        return outcome_fail(o, OUT_DUPLICATE, nw->id_field, "a website with %s '%s' already exists",
                            nw->id_field, nw->intp_website_id);
    return outcome_fail(o, OUT_FAILED, NULL, "could not store the website");
}

int website_create(const struct tenant *t, const struct intp_model *model,
                   const struct customer *owner, const struct new_website *nw, char *website_uuid,
                   struct outcome *o)
{
    struct website w = {.privacy_level = nw->privacy_level, .created_at = t->now};
    struct subscription sub;
    if (website_allowed(model, nw, o))
        return -1;
    uuid_v4_ordered(w.id);
    snprintf(w.intp_id, sizeof(w.intp_id), "%s", t->intp_id);
    snprintf(w.intp_website_id, sizeof(w.intp_website_id), "%s", nw->intp_website_id);
    snprintf(w.customer_id, sizeof(w.customer_id), "%s", owner->id);
    snprintf(w.domain, sizeof(w.domain), "%s", nw->domain);
    if (model->intpc) {
        if (subscriptions_db_of_customer(t->db, owner->id, w.subscription_id) != DB_OK)
            return outcome_fail(o, OUT_FAILED, NULL, "the customer has no subscription");
    } else {
        uuid_v4_ordered(
            w.subscription_id); /* the website row comes first: the subscription refers to it */
    }
    enum db_result r = websites_db_insert(t->db, &w);
    if (r == DB_CONFLICT)
        return website_conflict(t, nw, o);
    if (r != DB_OK)
        return outcome_fail(o, OUT_FAILED, NULL, "could not store the website");
    if (!model->intpc && subscription_create(t, "website", w.id, w.subscription_id, nw->package_id,
                                             nw->package_field, nw->billing_date, &sub, o))
        return -1;
    snprintf(website_uuid, UUID_SIZE, "%s", w.id);
    return 0;
}

/* Where packageId may stand depends on the partner's model (contract §2.3). */
static int customer_allowed(const struct intp_model *model, const struct new_customer *nc,
                            struct outcome *o)
{
    if (!model->intpc && nc->package_id)
        return outcome_fail(o, OUT_WRONG_MODEL, "packageId",
                            "packageId: on a website-subscription partner the package belongs "
                            "in website.packageId");
    return 0;
}

/* The customer insert broke a constraint: a taken id, then a taken email, or else a failure.
 * (Ids must be free: the insert's unique indexes find a taken one, so a create that succeeds
 * looks nothing up first.) */
static int customer_conflict(const struct tenant *t, const struct new_customer *nc,
                             struct outcome *o)
{
    struct customer existing;
    if (customers_db_get(t->db, t->intp_id, nc->intp_customer_id, &existing) == DB_OK)
        return outcome_fail(o, OUT_DUPLICATE, "intpCustomerId",
                            "a customer with intpCustomerId '%s' already exists",
                            nc->intp_customer_id);
    if (customers_db_email_taken(t->db, t->intp_id, nc->email) == DB_OK)
        return outcome_fail(o, OUT_DUPLICATE, "email", "a customer with email '%s' already exists",
                            nc->email);
    return outcome_fail(o, OUT_FAILED, NULL, "could not store the customer");
}

int customer_create(const struct tenant *t, const struct intp_model *model,
                    const struct new_customer *nc, struct customer *c, struct outcome *o)
{
    struct subscription sub;
    char website_uuid[UUID_SIZE];
    if (customer_allowed(model, nc, o))
        return -1;
    *c = (struct customer){.created_at = t->now};
    uuid_v4_ordered(c->id);
    snprintf(c->intp_id, sizeof(c->intp_id), "%s", t->intp_id);
    snprintf(c->intp_customer_id, sizeof(c->intp_customer_id), "%s", nc->intp_customer_id);
    snprintf(c->email, sizeof(c->email), "%s", nc->email);
    enum db_result r = customers_db_insert(t->db, c);
    if (r == DB_CONFLICT)
        return customer_conflict(t, nc, o);
    if (r != DB_OK)
        return outcome_fail(o, OUT_FAILED, NULL, "could not store the customer");
    if (model->intpc && subscription_create(t, "intpc", c->id, NULL, nc->package_id, "packageId",
                                            nc->billing_date, &sub, o))
        return -1;
    if (nc->has_website && website_create(t, model, c, &nc->nw, website_uuid, o))
        return -1;
    return 0;
}
