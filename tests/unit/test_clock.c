/* Unit tests of billing/clock.c: the partner's time (running, frozen), and the catch-up against
 * ":memory:" with subscriptions made the way the create routes make them (onboard.h,
 * provision.h): folded renewals and touchpoint resets, the end of the free trial, a planned
 * downgrade, the order of the answer, usage resets, idempotence. No HTTP. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "billing/calendar.h"
#include "billing/clock.h"
#include "billing/onboard.h"
#include "billing/provision.h"
#include "billing/submachine.h"
#include "billing/tenant.h"
#include "store/events_db.h"
#include "store/usage_db.h"
#include "store/websites_db.h"
#include "fixture_key.h"
#include "history_rows.h"
#include "tap.h"
#include "util/util.h"

#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */

static struct db db;
static char *public_pem;

static int64_t t(const char *text)
{
    int64_t v = 0;
    if (time_parse(text, &v)) {
        printf("Bail out! bad time %s\n", text);
        exit(1);
    }
    return v;
}

/* NOW moved by `months` calendar months: T(1) is 2026-12-22T10:00:00Z. */
static int64_t T(int months)
{
    return cal_add_months(NOW, months);
}

/* ---- setting up: partners, customers and websites as the routes make them ---- */

static void onboard(const char *id, const char *type)
{
    struct onboarding in = {.id = id, .subscription_type = type, .public_key = public_pem};
    struct onboarded out;
    struct outcome o = {0};
    int rc = intp_onboard(&db, &in, NOW, &out, &o);
    ok(rc == 0, "onboard %s (%s) %s", id, type, rc ? o.message : "");
    if (rc == 0)
        onboarded_release(&out);
}

static void package(const char *intp, const char *name, const char *period, struct package *p)
{
    ok(packages_db_get_default(&db, intp, name, period, p) == DB_OK, "%s: package %s %s", intp,
       name, period);
}

/* A website and its subscription. */
struct site {
    char website_id[UUID_SIZE];
    char sub_id[UUID_SIZE];
};

/* Customer and website `name` of partner `intp` created at partner time `now`, billed from
 * `anchor` on package `pkg_name`/`period` (NULL: the free trial), into *s. On an intpc partner
 * the package goes to the customer's pool. Returns 0, or -1 with `o` filled. */
static int new_site(const char *intp, int64_t now, const char *name, const char *pkg_name,
                    const char *period, int64_t anchor, struct site *s, struct outcome *o)
{
    struct tenant tn = {.db = &db, .intp_id = intp, .now = now};
    struct intp_model model;
    struct package pkg;
    struct customer c;
    struct website w;
    char email[64];
    const char *pkg_id = NULL;
    memset(&w, 0, sizeof(w));
    int rc = tenant_model(&tn, &model, o);
    if (rc == 0 && pkg_name) {
        rc = packages_db_get_default(&db, intp, pkg_name, period, &pkg) == DB_OK ? 0 : -1;
        pkg_id = pkg.id;
    }
    snprintf(email, sizeof(email), "%s@example.com", name);
    struct new_customer nc = {
        .intp_customer_id = name,
        .email = email,
        .package_id = model.intpc ? pkg_id : NULL,
        .billing_date = anchor,
        .has_website = true,
        .nw = {.intp_website_id = name,
               .domain = "example.com",
               .package_id = model.intpc ? NULL : pkg_id,
               .billing_date = anchor,
               .privacy_level = -1,
               .id_field = "website.intpWebsiteId",
               .package_field = "website.packageId",
               .uft_field = "website.opts.uft"},
    };
    if (rc == 0)
        rc = customer_create(&tn, &model, &nc, &c, o);
    if (rc == 0)
        rc = websites_db_get(&db, intp, name, &w) == DB_OK ? 0 : -1;
    memcpy(s->website_id, w.id, UUID_SIZE);
    memcpy(s->sub_id, w.subscription_id, UUID_SIZE);
    return rc;
}

/* The same, checked. */
static struct site site(const char *intp, int64_t now, const char *name, const char *pkg_name,
                        const char *period, int64_t anchor)
{
    struct outcome o = {0};
    struct site s;
    int rc = new_site(intp, now, name, pkg_name, period, anchor, &s, &o);
    ok(rc == 0, "%s: customer and website %s on %s %s %s", intp, name,
       pkg_name ? pkg_name : "the free trial", pkg_name ? period : "", rc ? o.message : "");
    return s;
}

static struct subscription get_sub(const struct site *s)
{
    struct subscription sub;
    memset(&sub, 0, sizeof(sub));
    if (subscriptions_db_get(&db, s->sub_id, &sub) != DB_OK)
        printf("# cannot read subscription %s\n", s->sub_id);
    return sub;
}

/* ---- reading back ---- */

static struct rows history(const struct site *s)
{
    struct rows rows = {.n = 0};
    if (events_db_foreach(&db, s->sub_id, collect_row, &rows) != DB_OK)
        rows.n = -1;
    return rows;
}

/* Whether `ev` is `kind` at `at` from package `from` to `to`, standing for `periods` periods up
 * to `until` (-1 for a single one), active before and after, with no proration. */
static bool event_is(const struct sub_event *ev, enum sub_event_kind kind, int64_t at,
                     const char *from, const char *to, int64_t periods, int64_t until)
{
    bool same = ev->kind == kind && ev->at == at && strcmp(ev->from_package_id, from) == 0 &&
                strcmp(ev->to_package_id, to) == 0 && ev->periods == periods &&
                (periods == 1 || ev->until_at == until) && ev->status_before == SUB_ACTIVE &&
                ev->status_after == SUB_ACTIVE && ev->credit_cents == -1 && ev->charge_cents == -1;
    if (!same)
        printf("# got %s at %lld (want %s at %lld), periods %lld until %lld, status %d->%d\n",
               sub_event_name(ev->kind), (long long)ev->at, sub_event_name(kind), (long long)at,
               (long long)ev->periods, (long long)ev->until_at, ev->status_before,
               ev->status_after);
    return same;
}

static bool usage_is(const struct site *s, const int64_t want[USAGE__COUNT], const char *intp)
{
    struct website_view v;
    if (websites_db_view_by_uuid(&db, intp, s->website_id, &v) != DB_OK)
        return false;
    for (int i = 0; i < USAGE__COUNT; i++)
        if (v.usage[i] != want[i])
            return false;
    return true;
}

/* ---- clock_now ---- */

static void test_now(void)
{
    static const struct {
        int64_t offset, frozen_at, wall, want;
        const char *name;
    } cases[] = {
        {0, -1, NOW, NOW, "running, no offset: the wall clock"},
        {3600, -1, NOW, NOW + 3600, "running an hour ahead"},
        {90 * 86400LL, -1, NOW + 5, NOW + 90 * 86400LL + 5, "running 90 days ahead, wall moves"},
        {3600, NOW - 100, NOW, NOW - 100, "frozen: the moment, whatever the offset"},
        {0, NOW + 7, NOW + 1000, NOW + 7, "frozen: the wall clock does not matter"},
        {3600, 0, NOW, 0, "frozen at the epoch"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct partner_clock c = {cases[i].offset, cases[i].frozen_at};
        int64_t got = clock_now(&c, cases[i].wall);
        ok(got == cases[i].want, "clock_now: %s (%lld)", cases[i].name, (long long)got);
    }
}

/* ---- catch-up ---- */

/* A monthly plan renews (renewals fold into one event), a yearly plan resets its touchpoints
 * monthly (resets fold too); a second call with the same time does nothing. */
static void test_renewals(void)
{
    struct package bm, by;
    onboard("renew", "website");
    onboard("idle", "website");
    package("renew", "Basic", "monthly", &bm);
    package("renew", "Basic", "yearly", &by);
    struct site m = site("renew", NOW, "m", "Basic", "monthly", NOW);
    struct site y = site("renew", NOW, "y", "Basic", "yearly", NOW);
    struct site idle = site("idle", NOW, "i", "Basic", "monthly", NOW);

    struct subscription s = get_sub(&m);
    ok(s.expires_at == T(1) && s.stp_reset_at == T(1) && s.period_start == NOW,
       "monthly: the period runs to %lld", (long long)s.expires_at);
    s = get_sub(&y);
    ok(s.expires_at == T(12) && s.stp_reset_at == T(1), "yearly: a year, touchpoints monthly");

    struct catch_up cu = {.want_list = true};
    ok(clock_catch_up(&db, "renew", T(3), &cu) == 0, "catch up 3 months");
    ok(cu.total == 2 && cu.nlisted == 2, "two transitions: one per subscription (total %lld)",
       (long long)cu.total);
    if (cu.nlisted == 2) {
        ok(event_is(&cu.listed[0].ev, EV_RENEWAL, T(1), bm.id, bm.id, 3, T(3)) &&
               strcmp(cu.listed[0].subscription_id, m.sub_id) == 0 &&
               strcmp(cu.listed[0].type, "website") == 0,
           "listed: the monthly one renewed 3 times, folded (from T1 until T3)");
        ok(event_is(&cu.listed[1].ev, EV_STP_RESET, T(1), by.id, by.id, 3, T(3)) &&
               strcmp(cu.listed[1].subscription_id, y.sub_id) == 0,
           "listed: the yearly one reset its touchpoints 3 times, folded, no renewal");
    }
    clock_catch_up_release(&cu);
    ok(cu.listed == NULL && cu.nlisted == 0, "release empties the list");

    struct rows h = history(&m);
    ok(h.n == 2 && h.r[0].ev.kind == EV_CREATED && h.r[0].ev.status_before == SUB_STATUS_NONE &&
           strcmp(h.r[0].ev.to_package_id, bm.id) == 0,
       "monthly history: created…");
    ok(h.n == 2 && event_is(&h.r[1].ev, EV_RENEWAL, T(1), bm.id, bm.id, 3, T(3)) &&
           strcmp(h.r[1].to_package_name, "Basic") == 0,
       "…then one renewal row for 3 periods");
    h = history(&y);
    ok(h.n == 2 && h.r[0].ev.kind == EV_CREATED &&
           event_is(&h.r[1].ev, EV_STP_RESET, T(1), by.id, by.id, 3, T(3)),
       "yearly history: created, one stp_reset row for 3 periods");
    s = get_sub(&m);
    ok(s.period_start == T(3) && s.expires_at == T(4) && s.stp_reset_at == T(4) &&
           s.billing_anchor == NOW && s.status == SUB_ACTIVE && strcmp(s.package_id, bm.id) == 0,
       "monthly: now in the period T3..T4, anchor kept");
    s = get_sub(&y);
    ok(s.period_start == NOW && s.expires_at == T(12) && s.stp_reset_at == T(4),
       "yearly: same period, next reset T4");
    h = history(&idle);
    s = get_sub(&idle);
    ok(h.n == 1 && s.expires_at == T(1), "another partner's due subscription is left alone");

    struct subscription before = get_sub(&m);
    struct catch_up again = {.want_list = true};
    int rc = clock_catch_up(&db, "renew", T(3), &again);
    ok(rc == 0 && again.total == 0 && again.nlisted == 0,
       "a second catch-up to the same time does nothing (total %lld)", (long long)again.total);
    clock_catch_up_release(&again);
    s = get_sub(&m);
    ok(history(&m).n == 2 && history(&y).n == 2 && s.expires_at == before.expires_at &&
           s.period_start == before.period_start && s.stp_reset_at == before.stp_reset_at,
       "…no new history, the subscription unchanged");

    struct catch_up quiet = {.want_list = false};
    rc = clock_catch_up(&db, "renew", T(4), &quiet);
    ok(rc == 0 && quiet.total == 2 && quiet.listed == NULL && quiet.nlisted == 0,
       "without want_list: the total only (%lld)", (long long)quiet.total);
    ok(clock_catch_up(&db, "renew", T(5), NULL) == 0 && history(&m).n == 4 &&
           get_sub(&m).expires_at == T(6),
       "without an answer at all: still applied");
    h = history(&m);
    ok(h.n == 4 && event_is(&h.r[2].ev, EV_RENEWAL, T(4), bm.id, bm.id, 1, -1) &&
           event_is(&h.r[3].ev, EV_RENEWAL, T(5), bm.id, bm.id, 1, -1),
       "separate catch-ups make separate rows, each for one period");
}

static void test_nothing_due(void)
{
    struct catch_up cu = {.want_list = true, .total = 99};
    struct site idle;
    struct website w;
    ok(websites_db_get(&db, "idle", "i", &w) == DB_OK, "idle's website");
    memcpy(idle.website_id, w.id, UUID_SIZE);
    memcpy(idle.sub_id, w.subscription_id, UUID_SIZE);
    ok(clock_catch_up(&db, "idle", T(1) - 1, &cu) == 0 && cu.total == 0 && cu.nlisted == 0,
       "one second before the period ends: nothing");
    clock_catch_up_release(&cu);
    ok(history(&idle).n == 1 && get_sub(&idle).expires_at == T(1), "…nothing written");
    onboard("empty", "website");
    cu = (struct catch_up){.want_list = true, .total = 99};
    ok(clock_catch_up(&db, "empty", T(24), &cu) == 0 && cu.total == 0 && cu.nlisted == 0,
       "a partner without subscriptions: nothing");
    clock_catch_up_release(&cu);
    cu = (struct catch_up){.want_list = true, .total = 99};
    ok(clock_catch_up(&db, "no-such-partner", T(24), &cu) == 0 && cu.total == 0,
       "an unknown partner: nothing");
    clock_catch_up_release(&cu);
}

/* D4: a website created without a package starts on the 30-day free trial and falls to Free. */
static void test_trial(void)
{
    struct package uft, free_pkg;
    onboard("trial", "website");
    package("trial", UFT_PACKAGE_NAME, "monthly", &uft);
    package("trial", FREE_PACKAGE_NAME, "monthly", &free_pkg);
    struct site tr = site("trial", NOW, "t", NULL, NULL, NOW);
    int64_t end = NOW + UFT_DAYS * DAY_SECONDS;
    struct subscription s = get_sub(&tr);
    ok(s.in_trial && s.had_trial && s.trial_ends_at == end && strcmp(s.package_id, uft.id) == 0 &&
           strcmp(s.trial_fallback_id, free_pkg.id) == 0,
       "the trial runs 30 days and falls to Free");

    struct catch_up cu = {.want_list = true};
    ok(clock_catch_up(&db, "trial", end - 1, &cu) == 0 && cu.total == 0,
       "a second before its end: still on the trial");
    clock_catch_up_release(&cu);
    cu = (struct catch_up){.want_list = true};
    ok(clock_catch_up(&db, "trial", end, &cu) == 0 && cu.total == 1 && cu.nlisted == 1,
       "at its end: one transition");
    ok(cu.nlisted == 1 &&
           event_is(&cu.listed[0].ev, EV_TRIAL_ENDED, end, uft.id, free_pkg.id, 1, -1),
       "listed: trial_ended, from the trial to Free");
    clock_catch_up_release(&cu);
    s = get_sub(&tr);
    ok(strcmp(s.package_id, free_pkg.id) == 0 && !s.in_trial && s.had_trial &&
           s.trial_ends_at == -1 && !s.trial_fallback_id[0] && s.status == SUB_ACTIVE,
       "now on Free, the trial over (had_trial kept)");
    ok(s.period_start == end && s.billing_anchor == end && s.expires_at == cal_add_months(end, 1) &&
           s.last_package_change_at == end,
       "a monthly period from the trial's end, counted as a package change");
    struct rows h = history(&tr);
    ok(h.n == 2 && h.r[1].ev.kind == EV_TRIAL_ENDED && h.r[1].has_from_name &&
           strcmp(h.r[1].from_package_name, UFT_PACKAGE_NAME) == 0 &&
           strcmp(h.r[1].to_package_name, FREE_PACKAGE_NAME) == 0,
       "history: created, trial_ended (trial -> Free)");

    cu = (struct catch_up){.want_list = true};
    ok(clock_catch_up(&db, "trial", cal_add_months(end, 3), &cu) == 0 && cu.total == 1 &&
           cu.nlisted == 1 &&
           event_is(&cu.listed[0].ev, EV_RENEWAL, cal_add_months(end, 1), free_pkg.id, free_pkg.id,
                    3, cal_add_months(end, 3)),
       "Free then renews monthly: 3 renewals folded");
    clock_catch_up_release(&cu);
}

/* A downgrade is planned at once and applied when the period ends. */
static void test_downgrade(void)
{
    struct package pro, basic;
    struct sub_event ev;
    onboard("down", "website");
    package("down", "Pro", "monthly", &pro);
    package("down", "Basic", "monthly", &basic);
    struct site d = site("down", NOW, "d", "Pro", "monthly", NOW);
    struct subscription s = get_sub(&d);
    sub_downgrade(&s, &basic, NOW + 10 * DAY_SECONDS, &ev);
    ok(subscriptions_db_update(&db, &s) == DB_OK && events_db_insert(&db, s.id, &ev) == DB_OK,
       "downgrade to Basic planned on day 10");

    struct catch_up cu = {.want_list = true};
    ok(clock_catch_up(&db, "down", T(1) - 1, &cu) == 0 && cu.total == 0, "before the period end");
    clock_catch_up_release(&cu);
    s = get_sub(&d);
    ok(strcmp(s.package_id, pro.id) == 0 && strcmp(s.planned_package_id, basic.id) == 0,
       "…still on Pro, Basic planned");

    cu = (struct catch_up){.want_list = true};
    ok(clock_catch_up(&db, "down", T(1), &cu) == 0 && cu.total == 1 && cu.nlisted == 1 &&
           event_is(&cu.listed[0].ev, EV_DOWNGRADE_APPLIED, T(1), pro.id, basic.id, 1, -1),
       "at the period end: downgrade_applied, Pro -> Basic");
    clock_catch_up_release(&cu);
    s = get_sub(&d);
    ok(strcmp(s.package_id, basic.id) == 0 && !s.planned_package_id[0] && s.status == SUB_ACTIVE &&
           s.billing_anchor == T(1) && s.period_start == T(1) && s.expires_at == T(2) &&
           s.last_package_change_at == T(1),
       "on Basic from T1, nothing planned");
    struct rows h = history(&d);
    ok(h.n == 3 && h.r[0].ev.kind == EV_CREATED && h.r[1].ev.kind == EV_DOWNGRADE &&
           h.r[1].ev.at == NOW + 10 * DAY_SECONDS && h.r[2].ev.kind == EV_DOWNGRADE_APPLIED,
       "history: created, downgrade, downgrade_applied");
}

/* The answer lists the transitions in time order across subscriptions, though the catch-up
 * works one subscription at a time. */
static void test_order(void)
{
    struct package pro, basic;
    struct sub_event ev;
    onboard("order", "website");
    package("order", "Pro", "monthly", &pro);
    package("order", "Basic", "monthly", &basic);
    /* a: billed from Nov 2, a downgrade planned: Dec 2 downgrade_applied, Jan 2 renewal */
    struct site a = site("order", NOW, "a", "Pro", "monthly", t("2026-11-02T10:00:00Z"));
    struct subscription s = get_sub(&a);
    sub_downgrade(&s, &basic, NOW, &ev);
    ok(subscriptions_db_update(&db, &s) == DB_OK && s.expires_at == t("2026-12-02T10:00:00Z"),
       "a: Pro until Dec 2, Basic planned");
    /* b: billed from Nov 12: Dec 12 renewal */
    struct site b = site("order", NOW, "b", "Basic", "monthly", t("2026-11-12T10:00:00Z"));

    struct catch_up cu = {.want_list = true};
    int rc = clock_catch_up(&db, "order", t("2027-01-10T00:00:00Z"), &cu);
    ok(rc == 0 && cu.total == 3 && cu.nlisted == 3, "three transitions up to Jan 10 (total %lld)",
       (long long)cu.total);
    static const struct {
        const char *at;
        enum sub_event_kind kind;
        int who; /* 0: a, 1: b */
    } want[] = {
        {"2026-12-02T10:00:00Z", EV_DOWNGRADE_APPLIED, 0},
        {"2026-12-12T10:00:00Z", EV_RENEWAL, 1},
        {"2027-01-02T10:00:00Z", EV_RENEWAL, 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(want) && i < cu.nlisted; i++) {
        const struct transition *tr = &cu.listed[i];
        ok(tr->ev.at == t(want[i].at) && tr->ev.kind == want[i].kind &&
               strcmp(tr->subscription_id, want[i].who ? b.sub_id : a.sub_id) == 0,
           "listed %zu: %s of %s at %s", i, sub_event_name(want[i].kind), want[i].who ? "b" : "a",
           want[i].at);
    }
    clock_catch_up_release(&cu);
    struct rows h = history(&a);
    ok(h.n == 3 && h.r[1].ev.kind == EV_DOWNGRADE_APPLIED && h.r[2].ev.kind == EV_RENEWAL &&
           strcmp(h.r[2].ev.to_package_id, basic.id) == 0,
       "a's history: created, downgrade_applied, renewal of Basic");
}

/* A transition that starts a touchpoint period zeroes the usage of the websites on it, and only
 * theirs. */
static void test_usage(void)
{
    static const int64_t counts[USAGE__COUNT] = {3, 1, 4, 1, 5, 9, 2};
    static const int64_t zero[USAGE__COUNT] = {0};
    onboard("usage", "website");
    struct site renews = site("usage", NOW, "r", "Basic", "monthly", NOW);
    struct site resets = site("usage", NOW, "s", "Basic", "yearly", NOW);
    struct site later =
        site("usage", NOW + 20 * DAY_SECONDS, "l", "Basic", "monthly", NOW + 20 * DAY_SECONDS);
    const struct site *all[] = {&renews, &resets, &later};
    for (size_t i = 0; i < ARRAY_SIZE(all); i++)
        ok(usage_db_add(&db, all[i]->website_id, counts) == DB_OK &&
               usage_is(all[i], counts, "usage"),
           "usage recorded on website %zu", i);

    struct catch_up cu = {.want_list = true};
    ok(clock_catch_up(&db, "usage", NOW + DAY_SECONDS, &cu) == 0 && cu.total == 0 &&
           usage_is(&renews, counts, "usage") && usage_is(&resets, counts, "usage"),
       "nothing due: the usage stays");
    clock_catch_up_release(&cu);
    cu = (struct catch_up){.want_list = true};
    ok(clock_catch_up(&db, "usage", T(1), &cu) == 0 && cu.total == 2, "T1: two transitions");
    clock_catch_up_release(&cu);
    ok(usage_is(&renews, zero, "usage"), "a renewal zeroes the usage");
    ok(usage_is(&resets, zero, "usage"), "a touchpoint reset zeroes the usage");
    ok(usage_is(&later, counts, "usage"), "a subscription with nothing due keeps its usage");

    /* the intpc model: the customer's pool renews, its websites' usage goes back to zero */
    struct package basic;
    onboard("pool", "intpc");
    package("pool", "Basic", "monthly", &basic);
    struct site p = site("pool", NOW, "p", "Basic", "monthly", NOW);
    struct subscription s = get_sub(&p);
    ok(strcmp(s.type, "intpc") == 0 && strcmp(s.package_id, basic.id) == 0,
       "intpc: the website is on its customer's pool");
    ok(usage_db_add(&db, p.website_id, counts) == DB_OK, "usage on the pool's website");
    cu = (struct catch_up){.want_list = true};
    ok(clock_catch_up(&db, "pool", T(1), &cu) == 0 && cu.total == 1 && cu.nlisted == 1 &&
           strcmp(cu.listed[0].type, "intpc") == 0 &&
           strcmp(cu.listed[0].subscription_id, p.sub_id) == 0 &&
           event_is(&cu.listed[0].ev, EV_RENEWAL, T(1), basic.id, basic.id, 1, -1),
       "the pool renews; listed with type intpc");
    clock_catch_up_release(&cu);
    ok(usage_is(&p, zero, "pool"), "the pool's website is back to zero");
}

/* ---- many subscriptions: slices and yields, one move against month-by-month moves ---- */

#define MANY 1000

/* Partner `intp` with MANY subscriptions of what a catch-up meets: monthly and yearly plans
 * billed on every day of the month, the free trial, planned downgrades, cancellations, usage;
 * their sites into sites[MANY]. Returns 0, or -1. */
static int many(const char *intp, struct site *sites)
{
    static const int64_t counts[USAGE__COUNT] = {1, 2, 3, 4, 5, 6, 7};
    struct package basic, free_pkg;
    struct outcome o = {0};
    struct sub_event ev;
    int rc = 0;
    onboard(intp, "website");
    package(intp, "Basic", "monthly", &basic);
    package(intp, FREE_PACKAGE_NAME, "monthly", &free_pkg);
    for (int i = 0; i < MANY && rc == 0; i++) {
        /* monthly, yearly, a downgrade planned, canceled, with usage, on the free trial */
        static const char *const pkg_of[] = {"Basic", "Basic", "Pro", "Basic", "Basic", NULL};
        int kind = i % 6;
        char name[16];
        snprintf(name, sizeof(name), "m%d", i);
        int64_t anchor = t("2026-01-29T10:00:00Z") + (int64_t)(i % 37) * DAY_SECONDS;
        rc = new_site(intp, NOW, name, pkg_of[kind], kind == 1 ? "yearly" : "monthly", anchor,
                      &sites[i], &o);
        struct subscription s = rc ? (struct subscription){0} : get_sub(&sites[i]);
        if (rc == 0 && (kind == 2 || kind == 3)) {
            if (kind == 2)
                sub_downgrade(&s, &basic, NOW + DAY_SECONDS, &ev);
            else
                sub_cancel(&s, &free_pkg, NOW + DAY_SECONDS, &ev);
            if (subscriptions_db_update(&db, &s) != DB_OK ||
                events_db_insert(&db, s.id, &ev) != DB_OK)
                rc = -1;
        }
        if (rc == 0 && kind == 4)
            rc = usage_db_add(&db, sites[i].website_id, counts) == DB_OK ? 0 : -1;
    }
    return rc;
}

/* A copy of the database so far, opened into *copy (VACUUM INTO a file in `dir`). */
static int copy_db(const char *dir, const char *name, struct db *copy)
{
    char path[512], sql[600];
    snprintf(path, sizeof(path), "%s/%s.db", dir, name);
    snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", path);
    return db_exec(&db, sql) == 0 && db_open(copy, path) == 0 ? 0 : -1;
}

/* Catch partner `intp` of `d` up to `now` in one transaction. */
static int catch_up_in(struct db *d, const char *intp, int64_t now, struct catch_up *cu)
{
    if (db_begin(d))
        return -1;
    if (clock_catch_up(d, intp, now, cu)) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}

static bool same_event(const struct sub_event *a, const struct sub_event *b)
{
    return a->at == b->at && a->kind == b->kind &&
           strcmp(a->from_package_id, b->from_package_id) == 0 &&
           strcmp(a->to_package_id, b->to_package_id) == 0 &&
           a->status_before == b->status_before && a->status_after == b->status_after &&
           a->credit_cents == b->credit_cents && a->charge_cents == b->charge_cents &&
           a->periods == b->periods && (a->periods == 1 || a->until_at == b->until_at);
}

/* A subscription's history with consecutive renewals (or resets) folded as one catch-up
 * folds them. */
static struct rows folded_history(struct db *d, const struct site *s)
{
    struct rows raw = {.n = 0}, out = {.n = 0};
    if (events_db_foreach(d, s->sub_id, collect_row, &raw) != DB_OK || raw.n > 16)
        return (struct rows){.n = -1};
    for (int i = 0; i < raw.n; i++) {
        struct sub_event *ev = &raw.r[i].ev;
        if (ev->periods == 1)
            ev->until_at = ev->at;
        if (out.n && sub_event_fold(&out.r[out.n - 1].ev, ev))
            continue;
        out.r[out.n++] = raw.r[i];
    }
    return out;
}

/* Whether site `s` is the same in `a` and `b`: its subscription row, its usage and its history
 * (folded with `fold`). */
static bool same_site(struct db *a, struct db *b, const struct site *s, bool fold)
{
    struct subscription x, y;
    struct website_view vx, vy;
    memset(&x, 0, sizeof(x));
    memset(&y, 0, sizeof(y));
    if (subscriptions_db_get(a, s->sub_id, &x) != DB_OK ||
        subscriptions_db_get(b, s->sub_id, &y) != DB_OK || memcmp(&x, &y, sizeof(x)) != 0 ||
        websites_db_view_by_uuid(a, x.intp_id, s->website_id, &vx) != DB_OK ||
        websites_db_view_by_uuid(b, x.intp_id, s->website_id, &vy) != DB_OK ||
        memcmp(vx.usage, vy.usage, sizeof(vx.usage)) != 0)
        return false;
    struct rows hx = {.n = 0}, hy = {.n = 0};
    if (fold) {
        hx = folded_history(a, s);
        hy = folded_history(b, s);
    } else if (events_db_foreach(a, s->sub_id, collect_row, &hx) != DB_OK ||
               events_db_foreach(b, s->sub_id, collect_row, &hy) != DB_OK) {
        return false;
    }
    bool same = hx.n == hy.n && hx.n > 0 && hx.n <= 16;
    for (int i = 0; same && i < hx.n; i++)
        same = same_event(&hx.r[i].ev, &hy.r[i].ev);
    return same;
}

/* How many of the sites are the same in `a` and `b`. */
static int count_same(struct db *a, struct db *b, const struct site *sites, bool fold)
{
    int n = 0;
    for (int i = 0; i < MANY; i++)
        n += same_site(a, b, &sites[i], fold);
    return n;
}

static bool same_answer(const struct catch_up *a, const struct catch_up *b)
{
    bool same = a->total == b->total && a->nlisted == b->nlisted;
    for (size_t i = 0; same && i < a->nlisted; i++)
        same = same_event(&a->listed[i].ev, &b->listed[i].ev) &&
               strcmp(a->listed[i].subscription_id, b->listed[i].subscription_id) == 0 &&
               strcmp(a->listed[i].type, b->listed[i].type) == 0;
    return same;
}

/* Another connection to the same file taking the write turn over and over: a writer of another
 * partner that is nearly always waiting. */
struct contender {
    struct db *first, own;
    atomic_bool stop;
    int turns;
};

static void *contend(void *arg)
{
    struct contender *c = arg;
    if (db_open_another(&c->own, c->first))
        return NULL;
    while (!atomic_load(&c->stop))
        if (db_begin(&c->own) == 0 && db_commit(&c->own) == 0)
            c->turns++;
    db_close(&c->own);
    return NULL;
}

/* The catch-up in slices of 7 with a yield between them writes what one slice does, and
 * answers the same; so does one in whole slices cut short every CLOCK_TURN_CHECK subscriptions
 * for a waiting writer; one year in one move leaves what twelve monthly moves leave. */
static void test_many(void)
{
    static struct site sites[MANY];
    char dir[] = "/tmp/mock3as-test-clock-XXXXXX";
    struct db whole, sliced, stepped, contended;
    ok(many("many", sites) == 0, "%d subscriptions of every kind", MANY);
    if (!mkdtemp(dir) || copy_db(dir, "whole", &whole) || copy_db(dir, "sliced", &sliced) ||
        copy_db(dir, "stepped", &stepped) || copy_db(dir, "contended", &contended)) {
        ok(false, "three copies of the database in %s", dir);
        return;
    }

    struct catch_up one = {.want_list = true},
                    in7 = {.want_list = true, .may_yield = true, .slice = 7};
    int rc = catch_up_in(&whole, "many", T(1) + 20 * DAY_SECONDS, &one);
    rc = rc ? rc : catch_up_in(&sliced, "many", T(1) + 20 * DAY_SECONDS, &in7);
    ok(rc == 0, "catch up 7 weeks, in one slice and in slices of 7 with yields (%lld transitions)",
       (long long)one.total);
    ok(one.total > MANY && one.nlisted == CLOCK_MAX_LISTED && same_answer(&one, &in7),
       "the same answer: total and every listed transition");
    clock_catch_up_release(&in7);
    ok(count_same(&whole, &sliced, sites, false) == MANY,
       "the same rows: every subscription, its usage and its history");

    struct contender c = {.first = &contended};
    pthread_t thread;
    struct catch_up cut = {.want_list = true, .may_yield = true};
    ok(pthread_create(&thread, NULL, contend, &c) == 0, "a writer that keeps waiting for the turn");
    while (c.turns == 0)
        usleep(100);
    rc = catch_up_in(&contended, "many", T(1) + 20 * DAY_SECONDS, &cut);
    atomic_store(&c.stop, true);
    pthread_join(thread, NULL);
    ok(rc == 0 && same_answer(&one, &cut) && count_same(&whole, &contended, sites, false) == MANY,
       "with it, in slices cut short for it: the same answer and rows (it wrote %d times)",
       c.turns);
    clock_catch_up_release(&one);
    clock_catch_up_release(&cut);

    one = (struct catch_up){.want_list = true};
    rc = catch_up_in(&whole, "many", T(13), &one);
    ok(rc == 0, "then P1Y in one move (%lld transitions)", (long long)one.total);
    clock_catch_up_release(&one);
    bool stepped_ok = true;
    for (int m = 2; m <= 13; m++)
        stepped_ok = stepped_ok && catch_up_in(&stepped, "many", T(m), NULL) == 0;
    ok(stepped_ok, "and, in the other copy, month by month");
    ok(count_same(&whole, &stepped, sites, true) == MANY,
       "the same rows, usage and history (consecutive renewals and resets folded)");

    static const char *const files[] = {"whole", "sliced", "stepped", "contended"}, *const ext[] = {
                                                                                        "", "-wal",
                                                                                        "-shm"};
    char path[512];
    db_close(&whole);
    db_close(&sliced);
    db_close(&stepped);
    db_close(&contended);
    for (size_t i = 0; i < ARRAY_SIZE(files); i++)
        for (size_t k = 0; k < ARRAY_SIZE(ext); k++) {
            snprintf(path, sizeof(path), "%s/%s.db%s", dir, files[i], ext[k]);
            remove(path);
        }
    rmdir(dir);
}

int main(void)
{
    public_pem = read_fixture("demo-intp.public.pem");
    if (db_open(&db, ":memory:") != 0) {
        printf("Bail out! cannot open :memory:\n");
        return 1;
    }
    test_now();
    test_renewals();
    test_nothing_due();
    test_trial();
    test_downgrade();
    test_order();
    test_usage();
    test_many();
    db_close(&db);
    free(public_pem);
    return done_testing();
}
