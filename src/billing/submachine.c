/* The subscription state machine: the transition table, the actions and the scheduled
 * transitions, all on a struct subscription in memory. */
#include "billing/submachine.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "billing/calendar.h"

#define SUB_ACTION_TEXT(id, text) text,
static const char *const action_names[] = {FOR_EACH_SUB_ACTION(SUB_ACTION_TEXT)};
#undef SUB_ACTION_TEXT

const char *sub_action_name(enum sub_action a)
{
    return a >= 0 && a < ACT__COUNT ? action_names[a] : NULL;
}

enum sub_action sub_action_parse(const char *name)
{
    return (enum sub_action)str_index(action_names, ACT__COUNT, name); /* -1: ACT_NONE */
}

enum sub_event_kind sub_action_event(enum sub_action a)
{
    static const enum sub_event_kind kinds[ACT__COUNT] = {
        [ACT_UPGRADE] = EV_UPGRADE,       [ACT_DOWNGRADE] = EV_DOWNGRADE,
        [ACT_CANCEL] = EV_CANCEL,         [ACT_RESUME] = EV_RESUME,
        [ACT_DEACTIVATE] = EV_DEACTIVATE, [ACT_REACTIVATE] = EV_REACTIVATE,
    };
    return a >= 0 && a < ACT__COUNT ? kinds[a] : EV_NONE;
}

/* The package rule a transition carries. */
enum sub_rule {
    RULE_NONE,
    RULE_MORE,  /* strictly more touchpoints than now (upgrade) */
    RULE_FEWER, /* strictly fewer (downgrade; equal: D3's "same package" case) */
};

/* Every allowed {from, action} pair. Anything not listed is refused: resume of a subscription
 * that is not canceled under D3's rule, everything else as invalid. */
static const struct {
    enum sub_status from;
    enum sub_action action;
    enum sub_status to;
    enum sub_rule rule;
} transitions[] = {
    {SUB_ACTIVE, ACT_UPGRADE, SUB_ACTIVE, RULE_MORE},
    {SUB_ACTIVE, ACT_REACTIVATE, SUB_ACTIVE, RULE_MORE},
    {SUB_ACTIVE, ACT_DOWNGRADE, SUB_ACTIVE, RULE_FEWER},
    {SUB_ACTIVE, ACT_CANCEL, SUB_CANCELED, RULE_NONE},
    {SUB_ACTIVE, ACT_DEACTIVATE, SUB_INACTIVE, RULE_NONE},
    {SUB_CANCELED, ACT_UPGRADE, SUB_ACTIVE, RULE_MORE},
    {SUB_CANCELED, ACT_REACTIVATE, SUB_ACTIVE, RULE_MORE},
    {SUB_CANCELED, ACT_DOWNGRADE, SUB_ACTIVE, RULE_FEWER},
    {SUB_CANCELED, ACT_CANCEL, SUB_CANCELED, RULE_NONE},
    {SUB_CANCELED, ACT_RESUME, SUB_ACTIVE, RULE_NONE},
    {SUB_CANCELED, ACT_DEACTIVATE, SUB_INACTIVE, RULE_NONE},
    {SUB_INACTIVE, ACT_UPGRADE, SUB_ACTIVE, RULE_NONE},
    {SUB_INACTIVE, ACT_REACTIVATE, SUB_ACTIVE, RULE_NONE},
};

/* The status the table names for `action` from `from`; the action must be in the table (the
 * caller decided with sub_decide first). */
static enum sub_status table_to(enum sub_status from, enum sub_action action)
{
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
        if (transitions[i].from == from && transitions[i].action == action)
            return transitions[i].to;
    assert(!"an action applied without sub_decide");
    return from;
}

static struct sub_decision decision(enum sub_verdict v, enum sub_status to, const char *reason)
{
    struct sub_decision d = {.verdict = v, .to = to};
    snprintf(d.reason, sizeof(d.reason), "%s", reason);
    return d;
}

static struct sub_decision check_rule(enum sub_rule rule, enum sub_status to, int64_t current_tp,
                                      int64_t target_tp, bool same_package, bool intended)
{
    switch (rule) {
    case RULE_NONE:
        break;
    case RULE_MORE:
        if (target_tp <= current_tp || same_package)
            return decision(
                VERDICT_RULE, to,
                "an upgrade needs a package with more touchpoints than the current one");
        break;
    case RULE_FEWER:
        if (target_tp > current_tp)
            return decision(VERDICT_RULE, to,
                            "a downgrade needs a package with fewer touchpoints than the current "
                            "one");
        if ((target_tp == current_tp || same_package) && intended)
            return decision(VERDICT_INVALID, to,
                            "a downgrade to the same package (or as many touchpoints) changes "
                            "nothing");
        break;
    }
    return decision(VERDICT_OK, to, "");
}

/* Ranking of touchpoints: the unlimited trial (-1) is below every package. */
static int64_t rank(int64_t tp)
{
    return tp < 0 ? -1 : tp;
}

struct sub_decision sub_decide(enum sub_status from, enum sub_action action, int64_t current_tp,
                               int64_t target_tp, bool same_package, bool intended)
{
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
        if (transitions[i].from == from && transitions[i].action == action)
            return check_rule(transitions[i].rule, transitions[i].to, rank(current_tp),
                              rank(target_tp), same_package, intended);
    if (action == ACT_RESUME)
        return decision(VERDICT_RULE, from, "only a canceled subscription can be resumed");
    char reason[160];
    snprintf(reason, sizeof(reason), "a subscription that is %s cannot be %s",
             sub_status_name(from),
             action == ACT_CANCEL      ? "canceled"
             : action == ACT_DOWNGRADE ? "downgraded"
                                       : "deactivated");
    return decision(VERDICT_INVALID, from, reason);
}

/* ---- actions ---- */

/* Copy an id or status between fields of the same size (the clock copies millions). */
#define COPY_FIELD(dst, src) memcpy((dst), (src), sizeof(dst))

static void event_begin(struct sub_event *ev, const struct subscription *s,
                        enum sub_event_kind kind, int64_t at)
{
    ev->at = ev->until_at = at;
    ev->kind = kind;
    ev->credit_cents = ev->charge_cents = -1;
    ev->periods = 1;
    COPY_FIELD(ev->from_package_id, s->package_id);
    ev->status_before = s->status;
}

/* `to_package` is a package id (UUID_SIZE bytes, NUL-padded or not: copied up to its NUL). */
static void event_end(struct sub_event *ev, const struct subscription *s, const char *to_package)
{
    size_t n = strnlen(to_package, sizeof(ev->to_package_id) - 1);
    memcpy(ev->to_package_id, to_package, n);
    ev->to_package_id[n] = '\0';
    ev->status_after = s->status;
}

static int period_months(const struct package *p)
{
    return strcmp(p->period, "yearly") == 0 ? 12 : 1;
}

/* A new paid period on `p` from `t`: anchored there, touchpoints monthly. */
static void start_period(struct subscription *s, const struct package *p, int64_t t)
{
    COPY_FIELD(s->package_id, p->id);
    s->billing_anchor = s->period_start = t;
    s->expires_at = cal_add_months(t, period_months(p));
    s->stp_reset_at = cal_add_months(t, 1);
    s->in_trial = false;
    s->trial_ends_at = -1;
    s->trial_fallback_id[0] = '\0';
}

/* Credit for the unused part of the current period at `old`'s price, charge for a new period
 * at `target`'s. Nothing is credited for a trial or for a period already over. */
static void prorate(const struct subscription *s, const struct package *old,
                    const struct package *target, int64_t now, struct sub_event *ev)
{
    int64_t length = s->expires_at - s->period_start, left = s->expires_at - now;
    ev->credit_cents = 0;
    if (!s->in_trial && length > 0 && left > 0)
        ev->credit_cents = (old->price_cents * left + length / 2) / length;
    ev->charge_cents = target->price_cents;
}

void sub_upgrade(struct subscription *s, enum sub_action action, const struct package *old,
                 const struct package *target, int64_t now, bool trial, int trial_days,
                 bool prorate_it, struct sub_event *ev)
{
    event_begin(ev, s, sub_action_event(action), now);
    if (prorate_it)
        prorate(s, old, target, now, ev);
    s->status = table_to(s->status, action);
    start_period(s, target, now);
    s->planned_package_id[0] = '\0';
    s->last_package_change_at = now;
    if (trial) {
        s->in_trial = s->had_trial = true;
        s->trial_ends_at = s->expires_at = now + (int64_t)trial_days * DAY_SECONDS;
        if (s->stp_reset_at > s->expires_at)
            s->stp_reset_at = s->expires_at;
    }
    event_end(ev, s, target->id);
}

void sub_downgrade(struct subscription *s, const struct package *target, int64_t now,
                   struct sub_event *ev)
{
    event_begin(ev, s, EV_DOWNGRADE, now);
    snprintf(s->planned_package_id, sizeof(s->planned_package_id), "%s", target->id);
    s->status = table_to(s->status, ACT_DOWNGRADE);
    event_end(ev, s, target->id);
}

void sub_cancel(struct subscription *s, const struct package *free_pkg, int64_t now,
                struct sub_event *ev)
{
    event_begin(ev, s, EV_CANCEL, now);
    snprintf(s->planned_package_id, sizeof(s->planned_package_id), "%s", free_pkg->id);
    s->status = table_to(s->status, ACT_CANCEL);
    event_end(ev, s, free_pkg->id);
}

void sub_resume(struct subscription *s, int64_t now, struct sub_event *ev)
{
    event_begin(ev, s, EV_RESUME, now);
    s->planned_package_id[0] = '\0';
    s->status = table_to(s->status, ACT_RESUME);
    event_end(ev, s, s->package_id);
}

void sub_deactivate(struct subscription *s, int64_t now, struct sub_event *ev)
{
    event_begin(ev, s, EV_DEACTIVATE, now);
    s->status = table_to(s->status, ACT_DEACTIVATE);
    event_end(ev, s, s->package_id);
}

/* ---- the clock ---- */

/* The trial ends: fall to its fallback (the Free package after the free trial) or go on paying
 * for the current package, a new period from the trial's end either way. */
static void end_trial(struct subscription *s, const struct sub_packages *pk, int64_t t,
                      struct sub_event *ev)
{
    const struct package *next = pk->fallback ? pk->fallback : pk->current;
    event_begin(ev, s, EV_TRIAL_ENDED, t);
    if (pk->fallback)
        s->last_package_change_at = t;
    start_period(s, next, t);
    event_end(ev, s, next->id);
}

/* The period ends: the planned package (a downgrade, or Free after a cancel) takes over, or the
 * current one renews. */
static void end_period(struct subscription *s, const struct sub_packages *pk, int64_t t,
                       struct sub_event *ev)
{
    bool canceled = s->status == SUB_CANCELED;
    if (pk->planned) {
        event_begin(ev, s, canceled ? EV_CANCELLATION_APPLIED : EV_DOWNGRADE_APPLIED, t);
        start_period(s, pk->planned, t);
        s->planned_package_id[0] = '\0';
        s->last_package_change_at = t;
        s->status = SUB_ACTIVE; /* the planned package starts a normal period */
        event_end(ev, s, pk->planned->id);
        return;
    }
    event_begin(ev, s, EV_RENEWAL, t);
    int months = period_months(pk->current);
    s->period_start = t;
    s->expires_at = cal_next_after(s->billing_anchor, months, t);
    s->stp_reset_at = months == 1 ? s->expires_at : cal_next_after(s->billing_anchor, 1, t);
    event_end(ev, s, s->package_id);
}

bool sub_step(struct subscription *s, const struct sub_packages *pk, int64_t now,
              struct sub_event *ev)
{
    if (s->status == SUB_INACTIVE)
        return false;
    if (s->in_trial && s->trial_ends_at >= 0 && s->trial_ends_at <= now &&
        s->trial_ends_at <= s->stp_reset_at) {
        end_trial(s, pk, s->trial_ends_at, ev);
        return true;
    }
    if (s->expires_at <= now && s->expires_at <= s->stp_reset_at) {
        end_period(s, pk, s->expires_at, ev);
        return true;
    }
    if (s->stp_reset_at <= now) {
        event_begin(ev, s, EV_STP_RESET, s->stp_reset_at);
        s->stp_reset_at = cal_next_after(s->billing_anchor, 1, s->stp_reset_at);
        event_end(ev, s, s->package_id);
        return true;
    }
    return false;
}

bool sub_event_resets_usage(const struct sub_event *ev)
{
    return sub_event_kind_resets_usage(ev->kind);
}

bool sub_event_fold(struct sub_event *ev, const struct sub_event *next)
{
    if (!sub_event_kind_folds(ev->kind) || ev->kind != next->kind ||
        strcmp(ev->to_package_id, next->to_package_id) != 0 ||
        ev->status_after != next->status_after)
        return false;
    ev->periods += next->periods;
    ev->until_at = next->until_at;
    return true;
}

bool sub_skip(struct subscription *s, const struct package *current, int64_t now,
              struct sub_event *ev)
{
    if (s->status != SUB_ACTIVE || s->in_trial || s->planned_package_id[0] || s->stp_reset_at > now)
        return false;
    bool monthly = period_months(current) == 1;
    /* the last boundary the run covers, anchor + k months: renewals up to now (monthly, where
     * every renewal is also the touchpoint reset), or resets up to the last month before the
     * yearly renewal */
    int64_t k = cal_steps_at_or_before(s->billing_anchor, 1, now);
    int64_t last = cal_add_months(s->billing_anchor, (int)k);
    if (!monthly && last >= s->expires_at) {
        k = cal_steps_at_or_before(s->billing_anchor, 1, s->expires_at - 1);
        last = cal_add_months(s->billing_anchor, (int)k);
    }
    if ((monthly && s->expires_at != s->stp_reset_at) || last <= s->stp_reset_at)
        return false; /* one step or none: sub_step does it */
    event_begin(ev, s, monthly ? EV_RENEWAL : EV_STP_RESET, s->stp_reset_at);
    /* the boundaries from stp_reset_at (itself one) to last (step k: boundaries only grow) */
    ev->periods = k - cal_steps_at_or_before(s->billing_anchor, 1, s->stp_reset_at) + 1;
    ev->until_at = last;
    s->stp_reset_at = cal_add_months(s->billing_anchor, (int)(k + 1));
    if (monthly) {
        s->period_start = last;
        s->expires_at = s->stp_reset_at;
    }
    event_end(ev, s, s->package_id);
    return true;
}
