/* Unit tests of submachine.c: every {status, action} pair of the transition table in both
 * profiles, the package rules, the actions and the scheduled transitions. */
#include <string.h>

#include "billing/calendar.h"
#include "billing/provision.h"
#include "billing/submachine.h"
#include "tap.h"
#include "util/util.h"

static int64_t t(const char *text)
{
    int64_t v = 0;
    time_parse(text, &v);
    return v;
}

static struct package pkg(const char *id, int64_t tp, int64_t cents, const char *period)
{
    struct package p = {.touchpoints = tp, .price_cents = cents};
    strcpy(p.id, id);
    strcpy(p.name, id);
    strcpy(p.catalogue_key, id); /* as if from the default catalogue */
    strcpy(p.period, period);
    return p;
}

/* Expected verdicts: from x action, for an upgrade to more / a downgrade to fewer touchpoints.
 * O: ok, R: D3 rule, I: invalid. */
static void test_table(void)
{
    static const char *const want[SUB__COUNT][ACT__COUNT] = {
        /*            upgrade downgrade cancel resume deactivate reactivate */
        /* active   */ {"O", "O", "O", "R", "O", "O"},
        /* canceled */ {"O", "O", "O", "O", "O", "O"},
        /* inactive */ {"O", "I", "I", "R", "I", "O"},
    };
    static const enum sub_status to[SUB__COUNT][ACT__COUNT] = {
        {SUB_ACTIVE, SUB_ACTIVE, SUB_CANCELED, SUB_ACTIVE, SUB_INACTIVE, SUB_ACTIVE},
        {SUB_ACTIVE, SUB_ACTIVE, SUB_CANCELED, SUB_ACTIVE, SUB_INACTIVE, SUB_ACTIVE},
        {SUB_ACTIVE, SUB_INACTIVE, SUB_INACTIVE, SUB_INACTIVE, SUB_INACTIVE, SUB_ACTIVE},
    };
    for (int intended = 0; intended <= 1; intended++) {
        for (int s = 0; s < SUB__COUNT; s++) {
            for (int a = 0; a < ACT__COUNT; a++) {
                int64_t target = a == ACT_DOWNGRADE ? 100 : 5000;
                struct sub_decision d = sub_decide(s, a, 1000, target, false, intended);
                char got = d.verdict == VERDICT_OK ? 'O' : d.verdict == VERDICT_RULE ? 'R' : 'I';
                ok(got == want[s][a][0] && (got != 'O' || d.to == to[s][a]),
                   "%s: %s %s -> %c (got %c)", intended ? "intended" : "observed",
                   sub_status_name(s), sub_action_name(a), want[s][a][0], got);
            }
        }
    }
}

static void test_rules(void)
{
    static const struct {
        enum sub_status from;
        enum sub_action action;
        int64_t current, target;
        bool same, intended;
        enum sub_verdict want;
        const char *name;
    } cases[] = {
        {SUB_ACTIVE, ACT_UPGRADE, 1000, 1000, false, false, VERDICT_RULE, "upgrade to equal"},
        {SUB_ACTIVE, ACT_UPGRADE, 1000, 500, false, true, VERDICT_RULE, "upgrade to lower"},
        {SUB_ACTIVE, ACT_UPGRADE, 1000, 1000, true, false, VERDICT_RULE, "upgrade to itself"},
        {SUB_ACTIVE, ACT_UPGRADE, -1, 440, false, false, VERDICT_OK, "out of the unlimited trial"},
        {SUB_ACTIVE, ACT_UPGRADE, 440, -1, false, false, VERDICT_RULE, "into the trial"},
        {SUB_ACTIVE, ACT_DOWNGRADE, 1000, 5000, false, false, VERDICT_RULE, "downgrade to higher"},
        {SUB_ACTIVE, ACT_DOWNGRADE, 1000, 1000, true, false, VERDICT_OK, "same, observed"},
        {SUB_ACTIVE, ACT_DOWNGRADE, 1000, 1000, true, true, VERDICT_INVALID, "same, intended"},
        {SUB_INACTIVE, ACT_UPGRADE, 5000, 100, false, false, VERDICT_OK, "reactivate lower"},
        {SUB_CANCELED, ACT_UPGRADE, 1000, 500, false, false, VERDICT_RULE, "canceled, lower"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct sub_decision d = sub_decide(cases[i].from, cases[i].action, cases[i].current,
                                           cases[i].target, cases[i].same, cases[i].intended);
        ok(d.verdict == cases[i].want, "%s", cases[i].name);
    }
    ok(sub_status_parse("canceled") == SUB_CANCELED && sub_status_parse("x") == -1 &&
           sub_action_parse("reactivate") == ACT_REACTIVATE,
       "names parse");
}

static struct subscription paid(const struct package *p, const char *anchor)
{
    struct subscription s = {0};
    strcpy(s.id, "s1");
    subscription_start(&s, p, NULL, t(anchor), t(anchor));
    return s;
}

static void test_actions(void)
{
    struct package basic = pkg("basic", 11000, 1200, "monthly"),
                   pro = pkg("pro", 55000, 3000, "monthly"),
                   free_pkg = pkg("free", 440, 0, "monthly");
    struct subscription s = paid(&basic, "2026-01-01T00:00:00Z");
    struct sub_event ev;
    sub_upgrade(&s, ACT_UPGRADE, &basic, &pro, t("2026-01-16T00:00:00Z"), false, 30, true, &ev);
    ok(strcmp(s.package_id, "pro") == 0 && s.period_start == t("2026-01-16T00:00:00Z") &&
           s.expires_at == t("2026-02-16T00:00:00Z") && s.last_package_change_at == s.period_start,
       "upgrade: new package, new period from now");
    ok(ev.credit_cents == 619 && ev.charge_cents == 3000,
       "proration: 16/31 of the period's 12.00 back, 30.00 charged (%lld/%lld)",
       (long long)ev.credit_cents, (long long)ev.charge_cents);
    sub_cancel(&s, &free_pkg, t("2026-01-20T00:00:00Z"), &ev);
    ok(s.status == SUB_CANCELED && strcmp(s.planned_package_id, "free") == 0 &&
           s.expires_at == t("2026-02-16T00:00:00Z"),
       "cancel: canceled, Free planned, dates unchanged");
    sub_resume(&s, t("2026-01-21T00:00:00Z"), &ev);
    ok(s.status == SUB_ACTIVE && !s.planned_package_id[0], "resume clears the plan");
    sub_downgrade(&s, &basic, t("2026-01-22T00:00:00Z"), &ev);
    ok(strcmp(s.planned_package_id, "basic") == 0 && strcmp(s.package_id, "pro") == 0,
       "downgrade is planned, the package stays");
    sub_upgrade(&s, ACT_UPGRADE, &pro, &pro, t("2026-01-23T00:00:00Z"), true, 14, false, &ev);
    ok(s.in_trial && s.had_trial && s.trial_ends_at == t("2026-02-06T00:00:00Z") &&
           s.expires_at == s.trial_ends_at && !s.planned_package_id[0] && ev.credit_cents == -1,
       "trial upgrade: 14 days, the plan replaced, no proration asked");
    sub_deactivate(&s, t("2026-01-24T00:00:00Z"), &ev);
    ok(s.status == SUB_INACTIVE && ev.status_before == SUB_ACTIVE, "deactivate");
    struct sub_packages pk = {&pro, NULL, NULL};
    ok(!sub_step(&s, &pk, t("2027-01-01T00:00:00Z"), &ev), "nothing happens to an inactive one");
}

/* Step until nothing is due; returns the number of transitions and the last one. */
static int run_clock(struct subscription *s, const struct package *const *all, int n, int64_t now,
                     char *trace, size_t size)
{
    struct sub_event ev;
    int steps = 0;
    trace[0] = '\0';
    for (;;) {
        const struct package *cur = NULL, *planned = NULL, *fallback = NULL;
        for (int i = 0; i < n; i++) {
            if (strcmp(all[i]->id, s->package_id) == 0)
                cur = all[i];
            if (strcmp(all[i]->id, s->planned_package_id) == 0)
                planned = all[i];
            if (strcmp(all[i]->id, s->trial_fallback_id) == 0)
                fallback = all[i];
        }
        struct sub_packages pk = {cur, planned, fallback};
        if (!sub_step(s, &pk, now, &ev))
            return steps;
        steps++;
        size_t len = strlen(trace);
        snprintf(trace + len, size - len, "%s%s", len ? "," : "", sub_event_name(ev.kind));
    }
}

static void test_clock(void)
{
    struct package basic = pkg("basic", 11000, 1200, "monthly"),
                   yearly = pkg("yearly", 27500, 24000, "yearly"),
                   free_pkg = pkg("free", 440, 0, "monthly"),
                   uft = pkg(UFT_PACKAGE_NAME, -1, 0, "monthly");
    const struct package *all[] = {&basic, &yearly, &free_pkg, &uft};
    char trace[512];
    struct subscription s = {0};
    subscription_start(&s, &uft, &free_pkg, 0, t("2026-01-01T00:00:00Z"));
    ok(run_clock(&s, all, 4, t("2026-01-30T23:59:59Z"), trace, sizeof(trace)) == 0,
       "the free trial runs 30 days");
    ok(run_clock(&s, all, 4, t("2026-01-31T00:00:00Z"), trace, sizeof(trace)) == 1 &&
           strcmp(s.package_id, "free") == 0 && !s.in_trial && s.had_trial &&
           s.expires_at == t("2026-02-28T00:00:00Z"),
       "…then falls to Free, billed from its end (Jan 31 -> Feb 28)");
    ok(run_clock(&s, all, 4, t("2026-04-30T00:00:00Z"), trace, sizeof(trace)) == 3 &&
           s.expires_at == t("2026-05-31T00:00:00Z"),
       "renewals anchored on the 31st: Feb 28, Mar 31, Apr 30, next May 31 (%s)", trace);

    s = paid(&basic, "2026-01-31T10:00:00Z");
    struct sub_event ev;
    sub_cancel(&s, &free_pkg, t("2026-02-01T00:00:00Z"), &ev);
    ok(run_clock(&s, all, 4, t("2026-03-01T00:00:00Z"), trace, sizeof(trace)) == 1 &&
           strcmp(trace, "cancellation_applied") == 0 && strcmp(s.package_id, "free") == 0 &&
           s.status == SUB_ACTIVE && !s.planned_package_id[0],
       "a cancel falls to Free at the period end (%s)", trace);

    s = paid(&basic, "2026-01-10T00:00:00Z");
    sub_downgrade(&s, &free_pkg, t("2026-01-11T00:00:00Z"), &ev);
    ok(run_clock(&s, all, 4, t("2026-03-10T00:00:00Z"), trace, sizeof(trace)) == 2 &&
           strcmp(trace, "downgrade_applied,renewal") == 0 && strcmp(s.package_id, "free") == 0,
       "a downgrade applies at the period end, then renews (%s)", trace);

    s = paid(&yearly, "2026-01-15T00:00:00Z");
    ok(run_clock(&s, all, 4, t("2027-01-15T00:00:00Z"), trace, sizeof(trace)) == 12 &&
           s.expires_at == t("2028-01-15T00:00:00Z") && s.stp_reset_at == t("2027-02-15T00:00:00Z"),
       "a yearly plan resets touchpoints monthly and renews once a year (%s)", trace);

    s = paid(&basic, "2026-01-01T00:00:00Z");
    sub_upgrade(&s, ACT_UPGRADE, &basic, &yearly, t("2026-01-05T00:00:00Z"), true, 30, false, &ev);
    ok(run_clock(&s, all, 4, t("2026-02-04T00:00:00Z"), trace, sizeof(trace)) == 1 &&
           strcmp(trace, "trial_ended") == 0 && strcmp(s.package_id, "yearly") == 0 &&
           !s.in_trial && s.had_trial && s.expires_at == t("2027-02-04T00:00:00Z"),
       "a paid trial ends by continuing on the package (%s)", trace);
}

/* Step `s` with sub_step() alone until nothing is due, folding as the catch-up does; the last
 * folded event into *last. Returns the number of events recorded. */
static int step_all(struct subscription *s, const struct package *cur, int64_t now,
                    struct sub_event *last)
{
    struct sub_packages pk = {cur, NULL, NULL};
    struct sub_event ev;
    int n = 0;
    while (sub_step(s, &pk, now, &ev)) {
        if (n && sub_event_fold(last, &ev))
            continue;
        *last = ev;
        n++;
    }
    return n;
}

/* The same with sub_skip() first, as clock_catch_up() runs it. */
static int skip_all(struct subscription *s, const struct package *cur, int64_t now,
                    struct sub_event *last, int *calls)
{
    struct sub_packages pk = {cur, NULL, NULL};
    struct sub_event ev;
    int n = 0;
    *calls = 0;
    while (++*calls < 100000 && (sub_skip(s, cur, now, &ev) || sub_step(s, &pk, now, &ev))) {
        if (n && sub_event_fold(last, &ev))
            continue;
        *last = ev;
        n++;
    }
    return n;
}

/* sub_skip() lands where stepping lands, with the same folded history, in a number of calls that
 * does not grow with the periods passed. */
static void test_skip(void)
{
    static const struct {
        const char *anchor, *now, *period;
    } cases[] = {
        {"2026-01-31T10:00:00Z", "2026-07-01T00:00:00Z", "monthly"},
        {"2026-01-31T10:00:00Z", "2126-01-30T00:00:00Z", "monthly"},
        {"2024-02-29T00:00:00Z", "2031-03-01T00:00:00Z", "monthly"},
        {"2026-03-15T12:00:00Z", "2026-04-15T12:00:00Z", "monthly"},
        {"2026-01-31T10:00:00Z", "2026-11-30T23:59:59Z", "yearly"},
        {"2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z", "yearly"},
        {"2026-05-10T08:00:00Z", "2076-05-09T08:00:00Z", "yearly"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct package p = pkg("basic", 11000, 1200, cases[i].period);
        struct subscription a = {0}, b;
        struct sub_event ea = {0}, eb = {0};
        int calls;
        subscription_start(&a, &p, NULL, t(cases[i].anchor), t(cases[i].anchor));
        b = a;
        int na = step_all(&a, &p, t(cases[i].now), &ea);
        int nb = skip_all(&b, &p, t(cases[i].now), &eb, &calls);
        ok(na == nb && memcmp(&a, &b, sizeof(a)) == 0 && ea.kind == eb.kind && ea.at == eb.at &&
               ea.until_at == eb.until_at && ea.periods == eb.periods,
           "%s %s to %s: skipping lands where stepping does (%d events, last %s x%lld)",
           cases[i].period, cases[i].anchor, cases[i].now, nb, sub_event_name(eb.kind),
           (long long)eb.periods);
        int years = (int)((t(cases[i].now) - t(cases[i].anchor)) / (365 * 86400LL)) + 1;
        ok(calls <= 3 * years + 4, "%s over %d years: %d calls", cases[i].period, years, calls);
    }
}

int main(void)
{
    test_table();
    test_rules();
    test_actions();
    test_clock();
    test_skip();
    return done_testing();
}
