/* Subscription actions: find, check, decide, apply, store. */
#include "billing/subscriptions.h"

#include <stdio.h>
#include <string.h>

#include "store/events_db.h"
#include "store/usage_db.h"

int sub_target_find(const struct tenant *t, bool intpc, const char *id, const char *field,
                    struct sub_target *out, struct outcome *o)
{
    char pool_id[UUID_SIZE];
    const char *sub_id;
    memset(out, 0, sizeof(*out));
    out->intpc = intpc;
    if (intpc) {
        if (tenant_customer(t, id, field, &out->customer, o))
            return -1;
        if (subscriptions_db_of_customer(t->db, out->customer.id, pool_id) != DB_OK)
            return outcome_fail(o, OUT_FAILED, NULL, "the customer has no subscription");
        sub_id = pool_id;
    } else {
        if (tenant_website(t, id, field, &out->site, o))
            return -1;
        if (customers_db_get_by_id(t->db, out->site.customer_id, &out->customer) != DB_OK)
            return outcome_fail(o, OUT_FAILED, NULL, "the website has no owner");
        sub_id = out->site.subscription_id;
    }
    if (subscriptions_db_get(t->db, sub_id, &out->sub) != DB_OK ||
        packages_db_get(t->db, t->intp_id, out->sub.package_id, &out->current) != DB_OK)
        return outcome_fail(o, OUT_FAILED, NULL, "could not read the subscription");
    return 0;
}

int sub_package_find(const struct tenant *t, const struct sub_target *target, const char *id,
                     const char *field, struct package *out, struct outcome *o)
{
    if (tenant_package(t, id, field, out, o))
        return -1;
    if (strcmp(out->visibility, "restricted") == 0 &&
        packages_db_assigned(t->db, out->id, target->intpc ? NULL : target->site.id,
                             target->customer.id) != DB_OK)
        return outcome_fail(o, OUT_INVALID, field,
                            "%s names a restricted package that is not assigned to this %s", field,
                            target->intpc ? "customer" : "website");
    return 0;
}

int sub_free_package(const struct tenant *t, struct package *out, struct outcome *o)
{
    if (packages_db_get_default(t->db, t->intp_id, FREE_PACKAGE_NAME, "monthly", out) != DB_OK)
        return outcome_fail(o, OUT_FAILED, NULL, "the partner has no Free package");
    return 0;
}

/* Ask the state machine; a refusal names the action and the reason. */
static int decide(const struct sub_target *target, enum sub_action action,
                  const struct package *pkg, bool intended, struct outcome *o)
{
    struct sub_decision d = sub_decide(target->sub.status, action, target->current.touchpoints,
                                       pkg ? pkg->touchpoints : 0,
                                       pkg && strcmp(pkg->id, target->current.id) == 0, intended);
    if (d.verdict == VERDICT_OK && pkg && package_is_trial(pkg)) {
        /* D4: the trial is where a subscription created without a package starts, never a
         * target (renaming the trial package changes nothing: catalogue_key) */
        d.verdict = VERDICT_RULE;
        snprintf(d.reason, sizeof(d.reason),
                 "the free trial is entered only when a subscription is created without a "
                 "package (D4)");
    }
    switch (d.verdict) {
    case VERDICT_OK:
        return 0;
    case VERDICT_RULE:
        return outcome_fail(o, intended ? OUT_RULE_INTENDED : OUT_RULE_OBSERVED, NULL, "%s: %s",
                            sub_action_name(action), d.reason);
    case VERDICT_INVALID:
        break;
    }
    return outcome_fail(o, OUT_NOT_POSSIBLE, NULL, "%s: %s", sub_action_name(action), d.reason);
}

/* Change the subscription in memory as `action` says. */
static void act(const struct tenant *t, struct sub_target *target, enum sub_action action,
                const struct package *pkg, const struct sub_options *opt, struct sub_event *ev)
{
    struct subscription *s = &target->sub;
    switch (action) {
    case ACT_UPGRADE:
    case ACT_REACTIVATE:
        sub_upgrade(s, action, &target->current, pkg, t->now, opt->trial, opt->trial_days,
                    opt->prorate, ev);
        return;
    case ACT_DOWNGRADE:
        sub_downgrade(s, pkg, t->now, ev);
        return;
    case ACT_CANCEL:
        sub_cancel(s, pkg, t->now, ev);
        return;
    case ACT_RESUME:
        sub_resume(s, t->now, ev);
        return;
    case ACT_DEACTIVATE:
        sub_deactivate(s, t->now, ev);
        return;
    case ACT_NONE:
    case ACT__COUNT:
        break;
    }
}

/* Store the changed subscription and its event, then read both back. */
static int store(const struct tenant *t, struct sub_target *target, const struct sub_event *ev,
                 struct outcome *o)
{
    const char *id = target->sub.id;
    if (events_db_insert(t->db, id, ev) != DB_OK ||
        (sub_event_resets_usage(ev) && usage_db_reset(t->db, id) != DB_OK) ||
        subscriptions_db_update(t->db, &target->sub) != DB_OK ||
        subscriptions_db_get(t->db, id, &target->sub) != DB_OK ||
        packages_db_get(t->db, t->intp_id, target->sub.package_id, &target->current) != DB_OK)
        return outcome_fail(o, OUT_FAILED, NULL, "could not store the subscription");
    return 0;
}

int sub_apply(const struct tenant *t, struct sub_target *target, enum sub_action action,
              const struct package *pkg, const struct sub_options *opt, struct outcome *o)
{
    struct sub_event ev;
    if (action < 0 || action >= ACT__COUNT)
        return outcome_fail(o, OUT_FAILED, NULL, "unknown action");
    if (decide(target, action, pkg, opt->intended, o))
        return -1;
    act(t, target, action, pkg, opt, &ev);
    if (action == ACT_DEACTIVATE && target->intpc) {
        if (customers_db_delete(t->db, target->customer.id) != DB_OK)
            return outcome_fail(o, OUT_FAILED, NULL, "could not delete the customer");
        return 0;
    }
    return store(t, target, &ev, o);
}
