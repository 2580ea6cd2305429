/* Unit tests of store/subscriptions_db.c against ":memory:": the status vocabulary, insert and
 * get of every field, update, the intpc pool (its usage summed over the websites), the scan for
 * due transitions, and a stored status that is not ours. No HTTP. */
#include <stddef.h>
#include <string.h>

#include "store/subscriptions_db.h"
#include "store/usage_db.h"
#include "store_fixture.h"

/* Customer `cust` of partner `intp` with website `site` whose subscription id is `sub_id`
 * (its own on a website partner, the owner's pool on an intpc one); the website's 3AS id goes to
 * w->id. The subscription itself is the caller's. */
static void add_site(const char *intp, const char *cust, const char *site, const char *owner_id,
                     const char *sub_id, struct customer *c, struct website *w)
{
    int rc = DB_OK;
    if (!owner_id) {
        *c = (struct customer){.created_at = NOW};
        uuid_v4(c->id);
        snprintf(c->intp_id, sizeof(c->intp_id), "%s", intp);
        snprintf(c->intp_customer_id, sizeof(c->intp_customer_id), "%s", cust);
        snprintf(c->email, sizeof(c->email), "%s@example.com", cust);
        rc = customers_db_insert(&db, c);
        owner_id = c->id;
    }
    *w = (struct website){.privacy_level = -1, .created_at = NOW};
    uuid_v4(w->id);
    snprintf(w->intp_id, sizeof(w->intp_id), "%s", intp);
    snprintf(w->intp_website_id, sizeof(w->intp_website_id), "%s", site);
    snprintf(w->customer_id, sizeof(w->customer_id), "%s", owner_id);
    snprintf(w->subscription_id, sizeof(w->subscription_id), "%s", sub_id);
    strcpy(w->domain, "example.com");
    if (rc == DB_OK)
        rc = websites_db_insert(&db, w);
    ok(rc == DB_OK, "%s: customer %s with website %s", intp, cust, site);
}

static void package(const char *intp, const char *name, const char *period, struct package *p)
{
    ok(packages_db_get_default(&db, intp, name, period, p) == DB_OK, "%s: package %s %s", intp,
       name, period);
}

/* ---- the status vocabulary ---- */

static void test_status_names(void)
{
    static const struct {
        enum sub_status s;
        const char *name;
    } cases[] = {
        {SUB_ACTIVE, "active"},
        {SUB_CANCELED, "canceled"},
        {SUB_INACTIVE, "inactive"},
    };
    ok(ARRAY_SIZE(cases) == SUB__COUNT, "every status has a case (%d)", (int)SUB__COUNT);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *name = sub_status_name(cases[i].s);
        ok(name && strcmp(name, cases[i].name) == 0 && sub_status_parse(name) == cases[i].s,
           "status %s: name and parse round trip", cases[i].name);
    }
    static const char *const unknown[] = {"weird", "", "Active", "ACTIVE", "active ", "cancelled"};
    for (size_t i = 0; i < ARRAY_SIZE(unknown); i++)
        ok(sub_status_parse(unknown[i]) == SUB_STATUS_NONE, "'%s' is SUB_STATUS_NONE", unknown[i]);
    ok(sub_status_parse(NULL) == SUB_STATUS_NONE, "NULL is SUB_STATUS_NONE");
    ok(sub_status_name(SUB_STATUS_NONE) == NULL && sub_status_name(SUB__COUNT) == NULL,
       "SUB_STATUS_NONE and out-of-range statuses have no name");
}

/* ---- insert, get, update ---- */

/* Compare every field but usage; prints the first that differs. */
static bool same_subscription(const struct subscription *a, const struct subscription *b)
{
    static const struct {
        const char *name;
        size_t off;
    } texts[] =
        {
            {"id", offsetof(struct subscription, id)},
            {"intp_id", offsetof(struct subscription, intp_id)},
            {"type", offsetof(struct subscription, type)},
            {"website_id", offsetof(struct subscription, website_id)},
            {"customer_id", offsetof(struct subscription, customer_id)},
            {"package_id", offsetof(struct subscription, package_id)},
            {"trial_fallback_id", offsetof(struct subscription, trial_fallback_id)},
            {"planned_package_id", offsetof(struct subscription, planned_package_id)},
        },
      ints[] = {
          {"billing_anchor", offsetof(struct subscription, billing_anchor)},
          {"period_start", offsetof(struct subscription, period_start)},
          {"expires_at", offsetof(struct subscription, expires_at)},
          {"stp_reset_at", offsetof(struct subscription, stp_reset_at)},
          {"last_package_change_at", offsetof(struct subscription, last_package_change_at)},
          {"trial_ends_at", offsetof(struct subscription, trial_ends_at)},
          {"created_at", offsetof(struct subscription, created_at)},
      };
    const char *pa = (const char *)a, *pb = (const char *)b;
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
        if (strcmp(pa + texts[i].off, pb + texts[i].off) != 0) {
            printf("# %s: '%s' != '%s'\n", texts[i].name, pa + texts[i].off, pb + texts[i].off);
            return false;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(ints); i++) {
        int64_t x, y;
        memcpy(&x, pa + ints[i].off, sizeof(x));
        memcpy(&y, pb + ints[i].off, sizeof(y));
        if (x != y) {
            printf("# %s: %lld != %lld\n", ints[i].name, (long long)x, (long long)y);
            return false;
        }
    }
    if (a->status != b->status || a->in_trial != b->in_trial || a->had_trial != b->had_trial) {
        printf("# status %d/%d, in_trial %d/%d, had_trial %d/%d\n", a->status, b->status,
               a->in_trial, b->in_trial, a->had_trial, b->had_trial);
        return false;
    }
    return true;
}

static bool usage_is(const struct subscription *s, const int64_t want[USAGE__COUNT])
{
    for (int i = 0; i < USAGE__COUNT; i++)
        if (s->usage[i] != want[i])
            return false;
    return true;
}

static void test_round_trip(void)
{
    struct customer c;
    struct website w;
    struct package basic, pro, free_pkg, adv;
    struct subscription s = {0}, got;
    static const int64_t zero[USAGE__COUNT] = {0};
    static const int64_t counts[USAGE__COUNT] = {1, 2, 3, 4, 5, 6, 7};
    char sub_id[UUID_SIZE];

    package("p1", "Basic", "monthly", &basic);
    package("p1", "Pro", "yearly", &pro);
    package("p1", FREE_PACKAGE_NAME, "monthly", &free_pkg);
    package("p1", "Advanced", "monthly", &adv);
    uuid_v4(sub_id);
    add_site("p1", "rt", "rt-w", NULL, sub_id, &c, &w);

    /* every field away from its zero value, and each different from the others */
    strcpy(s.id, sub_id);
    strcpy(s.intp_id, "p1");
    strcpy(s.type, "website");
    strcpy(s.website_id, w.id);
    strcpy(s.package_id, basic.id);
    s.status = SUB_CANCELED;
    s.billing_anchor = NOW - 3 * 86400;
    s.period_start = NOW - 86400;
    s.expires_at = NOW + 20 * 86400;
    s.stp_reset_at = NOW + 10 * 86400;
    s.last_package_change_at = NOW - 7;
    s.in_trial = true;
    s.had_trial = true;
    s.trial_ends_at = NOW + 5 * 86400;
    strcpy(s.trial_fallback_id, free_pkg.id);
    strcpy(s.planned_package_id, adv.id);
    s.created_at = NOW - 100;
    ok(subscriptions_db_insert(&db, &s) == DB_OK, "insert a subscription with every field set");
    memset(&got, 0x5a, sizeof(got));
    ok(subscriptions_db_get(&db, s.id, &got) == DB_OK && same_subscription(&s, &got),
       "get returns every field as inserted");
    ok(got.status == SUB_CANCELED, "the status comes back as the enum (SUB_CANCELED, got %d)",
       got.status);
    ok(usage_is(&got, zero), "a new website's subscription has no usage");
    ok(subscriptions_db_insert(&db, &s) == DB_CONFLICT, "a second insert of the id is a conflict");

    ok(usage_db_add(&db, w.id, counts) == DB_OK && subscriptions_db_get(&db, s.id, &got) == DB_OK &&
           usage_is(&got, counts),
       "get carries the website's usage");

    /* update: everything mutable changes, "none" values included */
    struct subscription u = got;
    strcpy(u.package_id, pro.id);
    u.status = SUB_ACTIVE;
    u.billing_anchor = NOW + 1;
    u.period_start = NOW + 2;
    u.expires_at = NOW + 400 * 86400;
    u.stp_reset_at = NOW + 30 * 86400;
    u.last_package_change_at = -1;
    u.in_trial = false;
    u.trial_ends_at = -1;
    u.trial_fallback_id[0] = '\0';
    u.planned_package_id[0] = '\0';
    ok(subscriptions_db_update(&db, &u) == DB_OK, "update");
    ok(subscriptions_db_get(&db, s.id, &got) == DB_OK && same_subscription(&u, &got),
       "get after update returns the new values");
    ok(got.last_package_change_at == -1 && got.trial_ends_at == -1 && !got.trial_fallback_id[0] &&
           !got.planned_package_id[0] && got.had_trial && !got.in_trial,
       "the 'none' values (-1, \"\") come back as none");

    struct subscription v = u;
    strcpy(v.type, "intpc");
    strcpy(v.website_id, "someone-else");
    v.created_at = 1;
    strcpy(v.intp_id, "p2");
    ok(subscriptions_db_update(&db, &v) == DB_OK &&
           subscriptions_db_get(&db, s.id, &got) == DB_OK && strcmp(got.type, "website") == 0 &&
           strcmp(got.website_id, w.id) == 0 && strcmp(got.intp_id, "p1") == 0 &&
           got.created_at == NOW - 100,
       "update leaves the identity (type, owner, partner, created_at) alone");

    struct subscription missing = u;
    uuid_v4(missing.id);
    ok(subscriptions_db_update(&db, &missing) == DB_NOT_FOUND, "update of an unknown id");
    ok(subscriptions_db_get(&db, missing.id, &got) == DB_NOT_FOUND, "get of an unknown id");
    ok(subscriptions_db_get(&db, "", &got) == DB_NOT_FOUND, "get of an empty id");

    struct subscription bad = u;
    uuid_v4(bad.id);
    bad.website_id[0] = '\0';
    ok(subscriptions_db_insert(&db, &bad) == DB_CONFLICT,
       "a website subscription without its website breaks a constraint");
}

/* ---- the intpc model ---- */

static void test_pool(void)
{
    struct intp p2 = {.id = "p2",
                      .name = "P2",
                      .subscription_type = "intpc",
                      .billing_mode = "platform_managed",
                      .public_key = "pem",
                      .created_at = NOW};
    struct package basic;
    struct customer c, cw;
    struct website w1, w2, ws;
    struct subscription s = {0}, got;
    char id[UUID_SIZE], sub_id[UUID_SIZE];
    static const int64_t a[USAGE__COUNT] = {1, 2, 3, 4, 5, 6, 7};
    static const int64_t b[USAGE__COUNT] = {10, 0, 30, 0, 50, 0, 70};
    static const int64_t sum[USAGE__COUNT] = {11, 2, 33, 4, 55, 6, 77};

    ok(intps_db_insert(&db, &p2) == DB_OK && packages_db_create_catalogue(&db, "p2", NOW) == DB_OK,
       "partner p2 (intpc model) with its catalogue");
    package("p2", "Basic", "monthly", &basic);
    uuid_v4(sub_id);
    add_site("p2", "pool", "pool-w1", NULL, sub_id, &c, &w1);
    add_site("p2", "pool", "pool-w2", c.id, sub_id, &c, &w2);
    strcpy(s.id, sub_id);
    strcpy(s.intp_id, "p2");
    strcpy(s.type, "intpc");
    strcpy(s.customer_id, c.id);
    subscription_start(&s, &basic, NULL, NOW, NOW);
    ok(subscriptions_db_insert(&db, &s) == DB_OK, "insert the customer's pool subscription");

    memset(id, 'x', sizeof(id));
    ok(subscriptions_db_of_customer(&db, c.id, id) == DB_OK && strcmp(id, sub_id) == 0,
       "subscriptions_db_of_customer finds the pool");
    ok(subscriptions_db_get(&db, sub_id, &got) == DB_OK && strcmp(got.type, "intpc") == 0 &&
           strcmp(got.customer_id, c.id) == 0 && !got.website_id[0] && got.status == SUB_ACTIVE &&
           strcmp(got.package_id, basic.id) == 0,
       "get of an intpc subscription: its customer, no website");
    ok(usage_db_add(&db, w1.id, a) == DB_OK && usage_db_add(&db, w2.id, b) == DB_OK &&
           subscriptions_db_get(&db, sub_id, &got) == DB_OK && usage_is(&got, sum),
       "the pool's usage is the sum over its websites");

    /* a website-model customer has its subscriptions on its websites, none of its own */
    char site_sub[UUID_SIZE];
    uuid_v4(site_sub);
    add_site("p1", "website-model", "wm-w", NULL, site_sub, &cw, &ws);
    struct subscription own = {0};
    struct package uft;
    package("p1", UFT_PACKAGE_NAME, "monthly", &uft);
    strcpy(own.id, site_sub);
    strcpy(own.intp_id, "p1");
    strcpy(own.type, "website");
    strcpy(own.website_id, ws.id);
    subscription_start(&own, &uft, NULL, NOW, NOW);
    ok(subscriptions_db_insert(&db, &own) == DB_OK, "a website-model subscription");
    ok(subscriptions_db_of_customer(&db, cw.id, id) == DB_NOT_FOUND,
       "a website-model customer has no subscription of its own");
    ok(subscriptions_db_of_customer(&db, "no-such-customer", id) == DB_NOT_FOUND,
       "an unknown customer has none either");
}

/* ---- the scan for due transitions ---- */

struct due_seen {
    char ids[16][UUID_SIZE];
    int n;
    bool usage_zero;
};

/* The partner's due subscriptions, read two per page (the cursor carries the walk on), into
 * *d: the result of the last page. */
static enum db_result due_pages(const char *intp, int64_t now, struct due_seen *d)
{
    struct due_cursor cursor = DUE_CURSOR_START;
    struct due_subscription page[2];
    size_t n;
    enum db_result r;
    do {
        r = subscriptions_db_due_page(&db, intp, now, &cursor, page, ARRAY_SIZE(page), &n);
        for (size_t i = 0; i < n; i++) {
            for (int k = 0; k < USAGE__COUNT; k++)
                if (page[i].sub.usage[k])
                    d->usage_zero = false;
            if (d->n < 16)
                strcpy(d->ids[d->n], page[i].sub.id);
            d->n++;
        }
    } while (r == DB_OK && n == ARRAY_SIZE(page));
    return r;
}

/* A subscription of `intp` (a website of its own on p1, the pool of a new customer on p2) with
 * the given dates; its id into id[UUID_SIZE]. */
static void add_due(const char *intp, const char *name, enum sub_status status, int64_t expires,
                    int64_t stp, int64_t trial_ends, char *id)
{
    struct customer c;
    struct website w;
    struct package pkg;
    struct subscription s = {0};
    bool intpc = strcmp(intp, "p2") == 0;
    uuid_v4(id);
    add_site(intp, name, name, NULL, id, &c, &w);
    packages_db_get_default(&db, intp, "Basic", "monthly", &pkg);
    strcpy(s.id, id);
    snprintf(s.intp_id, sizeof(s.intp_id), "%s", intp);
    strcpy(s.type, intpc ? "intpc" : "website");
    strcpy(intpc ? s.customer_id : s.website_id, intpc ? c.id : w.id);
    strcpy(s.package_id, pkg.id);
    s.status = status;
    s.billing_anchor = s.period_start = s.created_at = NOW;
    s.expires_at = expires;
    s.stp_reset_at = stp;
    s.last_package_change_at = -1;
    s.in_trial = s.had_trial = trial_ends >= 0;
    s.trial_ends_at = trial_ends;
    ok(subscriptions_db_insert(&db, &s) == DB_OK, "subscription %s", name);
}

static void test_due(void)
{
    enum { A, B, C, D, E, F, G, H, N };
    char id[N][UUID_SIZE];
    struct due_seen seen = {.usage_zero = true};
    static const int64_t counts[USAGE__COUNT] = {5, 5, 5, 5, 5, 5, 5};
    const int64_t far = NOW + 5000;

    /* a fresh database: only these subscriptions */
    db_close(&db);
    store_fixture_open();
    struct intp p2 = {.id = "p2",
                      .name = "P2",
                      .subscription_type = "intpc",
                      .billing_mode = "company_managed",
                      .public_key = "pem",
                      .created_at = NOW};
    ok(intps_db_insert(&db, &p2) == DB_OK && packages_db_create_catalogue(&db, "p2", NOW) == DB_OK,
       "partner p2 with its catalogue");
    add_due("p1", "a", SUB_ACTIVE, NOW + 300, NOW + 300, -1, id[A]);   /* renewal at +300 */
    add_due("p1", "b", SUB_ACTIVE, NOW + 1000, NOW + 100, -1, id[B]);  /* stp reset at +100 */
    add_due("p1", "c", SUB_ACTIVE, far, far, NOW + 200, id[C]);        /* trial end at +200 */
    add_due("p1", "d", SUB_ACTIVE, NOW + 1000, NOW + 1000, -1, id[D]); /* not yet */
    add_due("p1", "e", SUB_INACTIVE, NOW + 50, NOW + 50, -1, id[E]);   /* inactive: never */
    add_due("p1", "f", SUB_CANCELED, NOW + 500, far, -1, id[F]);       /* exactly at now */
    add_due("p2", "g", SUB_ACTIVE, NOW + 10, NOW + 10, -1, id[G]);     /* another partner */
    add_due("p1", "h", SUB_ACTIVE, NOW + 300, NOW + 400, -1, id[H]);   /* ties with a */

    struct website w;
    ok(websites_db_get(&db, "p1", "a", &w) == DB_OK && usage_db_add(&db, w.id, counts) == DB_OK,
       "usage on a's website");

    ok(due_pages("p1", NOW + 500, &seen) == DB_OK, "due pages at +500");
    static const int want[] = {B, C, A, H, F};
    bool order = seen.n == (int)ARRAY_SIZE(want);
    for (size_t i = 0; order && i < ARRAY_SIZE(want); i++)
        order = strcmp(seen.ids[i], id[want[i]]) == 0;
    ok(order, "the partner's due ones, earliest next_due_at first, ties in insert order (%d seen)",
       seen.n);
    ok(seen.usage_zero, "due pages leave usage zero");

    struct due_seen none = {.usage_zero = true};
    ok(due_pages("p1", NOW + 99, &none) == DB_OK && none.n == 0,
       "nothing due at +99: the inactive one at +50 does not count, and no trial end (-1) is "
       "stored as a time");
    struct due_seen one = {.usage_zero = true};
    ok(due_pages("p1", NOW + 100, &one) == DB_OK && one.n == 1 && strcmp(one.ids[0], id[B]) == 0,
       "due at or before now: +100 gives b alone");
    struct due_seen other = {.usage_zero = true};
    ok(due_pages("p2", far, &other) == DB_OK && other.n == 1 && strcmp(other.ids[0], id[G]) == 0,
       "p2 sees its own one only");

    static const struct {
        const char *intp;
        int64_t now;
        enum db_result want;
    } any[] = {
        {"p1", NOW + 99, DB_NOT_FOUND}, {"p1", NOW + 100, DB_OK}, {"p1", far, DB_OK},
        {"p2", NOW + 9, DB_NOT_FOUND},  {"p2", NOW + 10, DB_OK},  {"nobody", far, DB_NOT_FOUND},
    };
    for (size_t i = 0; i < ARRAY_SIZE(any); i++) {
        int64_t next = 0;
        enum db_result r = subscriptions_db_next_due(&db, any[i].intp, &next);
        ok(r == DB_OK && (next <= any[i].now) == (any[i].want == DB_OK),
           "something due for %s at NOW+%lld: %s", any[i].intp, (long long)(any[i].now - NOW),
           any[i].want == DB_OK ? "yes" : "no");
    }
    int64_t next1 = 0, next2 = 0, none_next = 0;
    ok(subscriptions_db_next_due(&db, "p1", &next1) == DB_OK && next1 == NOW + 100 &&
           subscriptions_db_next_due(&db, "p2", &next2) == DB_OK && next2 == NOW + 10 &&
           subscriptions_db_next_due(&db, "nobody", &none_next) == DB_OK && none_next == INT64_MAX,
       "next_due: the earliest due time of the partner's subscriptions, INT64_MAX for none");

    /* the store writes next_due_at itself (schema/012): as the trigger of subscriptions_full
     * computes it for rows written by hand, for every row above (trial, inactive, reset first) */
    struct subscription moved;
    ok(subscriptions_db_get(&db, id[E], &moved) == DB_OK, "e read");
    moved.status = SUB_ACTIVE;
    moved.expires_at = NOW + 70;
    ok(subscriptions_db_update(&db, &moved) == DB_OK, "e made active, renewing at +70");
    sqlite3_stmt *agree = NULL;
    ok(sqlite3_prepare_v2(db.conn,
                          "SELECT count(*), sum(next_due_at IS NOT (CASE WHEN status = 'inactive' "
                          "THEN NULL ELSE min(expires_at, stp_reset_at, coalesce(trial_ends_at, "
                          "expires_at)) END)) FROM subscriptions_full",
                          -1, &agree, NULL) == SQLITE_OK &&
           sqlite3_step(agree) == SQLITE_ROW && sqlite3_column_int(agree, 0) == N &&
           sqlite3_column_int(agree, 1) == 0,
       "next_due_at of all %d rows as schema/012's formula has it", N);
    sqlite3_finalize(agree);
    int64_t next_now = 0;
    ok(subscriptions_db_next_due(&db, "p1", &next_now) == DB_OK && next_now == NOW + 50,
       "e, active, is due at +50 (its touchpoint reset): next_due follows an update");

    /* a stored status that is not ours is a broken row: never read as a default */
    char sql[256];
    struct subscription got;
    snprintf(sql, sizeof(sql),
             "PRAGMA ignore_check_constraints = ON; UPDATE subscriptions SET status = 'weird' "
             "WHERE id = '%s'; PRAGMA ignore_check_constraints = OFF;",
             id[C]);
    ok(db_exec(&db, sql) == 0, "write status 'weird' into c");
    ok(subscriptions_db_get(&db, id[C], &got) == DB_ERROR, "get of a row with status 'weird'");
    ok(subscriptions_db_get(&db, id[A], &got) == DB_OK && got.status == SUB_ACTIVE,
       "the other rows still read");
    struct due_seen broken = {.usage_zero = true};
    enum db_result r = due_pages("p1", NOW + 500, &broken);
    ok(r == DB_ERROR && broken.n == 2,
       "due pages stop with DB_ERROR at the broken row (e and b before it were seen: %d)",
       broken.n);
}

int main(void)
{
    store_fixture_open();
    test_status_names();
    test_round_trip();
    test_pool();
    test_due();
    db_close(&db);
    return done_testing();
}
