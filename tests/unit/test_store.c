/* Unit tests of the store layer against ":memory:": migrations, partners and catalogue,
 * customers, websites and their views, subscriptions, cascades, packages and assignments,
 * whitelists, API keys and contributors. No HTTP. */
#include <string.h>

#include "store/customers_db.h"
#include "store/db.h"
#include "store/intps_db.h"
#include "store/packages_db.h"
#include "billing/subscriptions.h"
#include "tap.h"
#include "util/util.h"
#include "store/website_parts_db.h"
#include "store/websites_db.h"

#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */

static struct db db;

static void setup(void)
{
    struct intp p = {.id = "p1",
                     .name = "P",
                     .subscription_type = "website",
                     .billing_mode = "company_managed",
                     .public_key = "pem",
                     .created_at = NOW};
    ok(db_open(&db, ":memory:") == 0 && db.was_new, "migrations apply to a new database");
    ok(intps_db_insert(&db, &p) == DB_OK && intps_db_insert(&db, &p) == DB_CONFLICT,
       "partner insert, duplicate id is a conflict");
    ok(packages_db_create_catalogue(&db, "p1", NOW) == DB_OK, "default catalogue");
    char type[16], mode[24];
    ok(intps_db_model(&db, "p1", type, mode) == DB_OK && strcmp(type, "website") == 0 &&
           strcmp(mode, "company_managed") == 0,
       "partner model");
}

static int count_package(const struct package *p, void *ctx)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

static void test_packages(void)
{
    struct package free_pkg, uft, basic_yearly;
    ok(packages_db_get_default(&db, "p1", FREE_PACKAGE_NAME, "monthly", &free_pkg) == DB_OK &&
           free_pkg.touchpoints == 440 && free_pkg.price_cents == 0,
       "Free monthly: 440 touchpoints");
    ok(packages_db_get_default(&db, "p1", UFT_PACKAGE_NAME, "monthly", &uft) == DB_OK &&
           uft.touchpoints == -1,
       "the free trial is unlimited");
    ok(packages_db_get_default(&db, "p1", "Basic", "yearly", &basic_yearly) == DB_OK &&
           basic_yearly.price_cents == 12468,
       "Basic yearly costs 124.68");
    int n = 0;
    ok(packages_db_foreach(&db, "p1", NULL, NULL, count_package, &n) == DB_OK && n == 21,
       "21 default packages (10 x 2 periods + trial): %d", n);
    ok(packages_db_get(&db, "other", free_pkg.id, &free_pkg) == DB_NOT_FOUND,
       "another partner's package is not found");
}

/* A customer, a website with its own subscription on the trial, returned by id. */
static void make_site(const char *cust, const char *site, struct customer *c, struct website *w)
{
    struct package pkg, fallback;
    struct subscription s = {0};
    *c = (struct customer){.created_at = NOW};
    uuid_v4(c->id);
    strcpy(c->intp_id, "p1");
    strcpy(c->intp_customer_id, cust);
    snprintf(c->email, sizeof(c->email), "%s@example.com", cust);
    *w = (struct website){.privacy_level = -1, .created_at = NOW};
    uuid_v4(w->id);
    uuid_v4(w->subscription_id);
    strcpy(w->intp_id, "p1");
    strcpy(w->intp_website_id, site);
    strcpy(w->customer_id, c->id);
    strcpy(w->domain, "example.com");
    packages_db_get_default(&db, "p1", UFT_PACKAGE_NAME, "monthly", &pkg);
    packages_db_get_default(&db, "p1", FREE_PACKAGE_NAME, "monthly", &fallback);
    strcpy(s.id, w->subscription_id);
    strcpy(s.intp_id, "p1");
    strcpy(s.type, "website");
    strcpy(s.website_id, w->id);
    subscription_start(&s, &pkg, &fallback, NOW, NOW);
    ok(customers_db_insert(&db, c) == DB_OK && websites_db_insert(&db, w) == DB_OK &&
           subscriptions_db_insert(&db, &s) == DB_OK,
       "customer %s with website %s", cust, site);
}

static void test_customers_and_websites(void)
{
    struct customer c, c2, got;
    struct website w, w2;
    struct website_view v;
    make_site("c1", "w1", &c, &w);
    c2 = c;
    uuid_v4(c2.id);
    ok(customers_db_insert(&db, &c2) == DB_CONFLICT, "duplicate intpCustomerId is a conflict");
    strcpy(c2.intp_customer_id, "c1-other");
    strcpy(c2.email, "C1@EXAMPLE.COM");
    ok(customers_db_insert(&db, &c2) == DB_CONFLICT, "email is unique without regard to case");
    ok(customers_db_email_taken(&db, "p1", "c1@Example.com") == DB_OK, "email lookup ignores case");
    ok(customers_db_get(&db, "p1", "c1", &got) == DB_OK && strcmp(got.id, c.id) == 0, "get");
    ok(websites_db_view(&db, "p1", "w1", &v) == DB_OK &&
           strcmp(v.package_name, UFT_PACKAGE_NAME) == 0 && v.in_trial &&
           v.expires_at == NOW + 30 * 86400 && strcmp(v.intp_customer_id, "c1") == 0 &&
           strcmp(v.sub_type, "website") == 0 && strcmp(v.billing_mode, "company_managed") == 0,
       "the view joins owner, trial subscription, package and partner");
    make_site("c2", "w2", &c2, &w2);
    int64_t total = 0;
    ok(websites_db_count(&db, "p1", NULL, &total) == DB_OK && total == 2, "two websites");
    ok(websites_db_count(&db, "p1", c.id, &total) == DB_OK && total == 1, "one of them c1's");
    ok(customers_db_delete(&db, c.id) == DB_OK, "delete customer");
    ok(websites_db_view(&db, "p1", "w1", &v) == DB_NOT_FOUND &&
           websites_db_count(&db, "p1", NULL, &total) == DB_OK && total == 1,
       "its website went with it");
    ok(customers_db_delete(&db, c.id) == DB_NOT_FOUND, "a second delete finds nothing");
}

static void collect(const char *s, void *ctx)
{
    strcat(ctx, s);
    strcat(ctx, ";");
}

static void collect_role(const char *role, const char *id, const char *email, void *ctx)
{
    (void)email;
    collect(role, ctx);
    collect(id, ctx);
}

static void test_parts(void)
{
    struct customer c, helper;
    struct website w, hw;
    char buf[256] = "";
    make_site("owner", "ws", &c, &w);
    make_site("helper", "hs", &helper, &hw);
    whitelist_db_add(&db, w.id, "b.com", NOW);
    whitelist_db_add(&db, w.id, "a.com", NOW);
    whitelist_db_add(&db, w.id, "b.com", NOW);
    whitelist_db_remove(&db, w.id, "never.com");
    ok(whitelist_db_foreach(&db, w.id, collect, buf) == DB_OK && strcmp(buf, "b.com;a.com;") == 0,
       "whitelist keeps order, ignores repeats: %s", buf);
    struct api_key k = {.created_at = NOW, .expires_at = -1};
    uuid_v4(k.id);
    strcpy(k.website_id, w.id);
    strcpy(k.name, "k");
    memset(k.hash, 7, sizeof(k.hash));
    ok(apikeys_db_insert(&db, &k) == DB_OK && apikeys_db_delete(&db, w.id, k.id) == DB_OK &&
           apikeys_db_delete(&db, w.id, k.id) == DB_NOT_FOUND,
       "API key insert, delete, gone");
    buf[0] = '\0';
    contributors_db_set(&db, w.id, helper.id, "editor", NOW);
    contributors_db_set(&db, w.id, helper.id, "watcher", NOW);
    ok(contributors_db_foreach(&db, w.id, collect_role, buf) == DB_OK &&
           strcmp(buf, "watcher;helper;") == 0,
       "a contributor has one role, the last given: %s", buf);
    ok(contributors_db_remove(&db, w.id, helper.id) == DB_OK &&
           contributors_db_remove(&db, w.id, helper.id) == DB_NOT_FOUND,
       "contributor removal");
}

static void test_assignments(void)
{
    struct customer c;
    struct website w;
    struct package p = {.price_cents = 100, .touchpoints = 5, .created_at = NOW};
    make_site("pc", "pw", &c, &w);
    uuid_v4(p.id);
    strcpy(p.intp_id, "p1");
    strcpy(p.name, "Custom");
    strcpy(p.currency, "EUR");
    strcpy(p.period, "monthly");
    strcpy(p.visibility, "restricted");
    ok(packages_db_insert(&db, &p) == DB_OK, "restricted package");
    int n = 0;
    packages_db_foreach(&db, "p1", w.id, NULL, count_package, &n);
    ok(n == 21, "filtered: the 21 public packages, not the restricted one (%d)", n);
    packages_db_assign(&db, p.id, w.id, NULL, NOW);
    packages_db_assign(&db, p.id, w.id, NULL, NOW);
    n = 0;
    packages_db_foreach(&db, "p1", w.id, NULL, count_package, &n);
    ok(n == 22, "assigned: listed for its website (%d)", n);
    ok(packages_db_unassign(&db, p.id, w.id, NULL) == DB_OK &&
           packages_db_unassign(&db, p.id, w.id, NULL) == DB_NOT_FOUND,
       "unassign once");
}

static void test_wipe(void)
{
    int64_t total = -1;
    ok(intps_db_wipe(&db, "p1") == DB_OK && customers_db_count(&db, "p1", &total) == DB_OK &&
           total == 0,
       "wipe removes customers");
    int n = 0;
    packages_db_foreach(&db, "p1", NULL, NULL, count_package, &n);
    ok(n == 21, "and custom packages, keeping the catalogue (%d)", n);
    ok(intps_db_delete(&db, "p1") == DB_OK, "delete partner cascades");
}

int main(void)
{
    setup();
    test_packages();
    test_customers_and_websites();
    test_parts();
    test_assignments();
    test_wipe();
    db_close(&db);
    return done_testing();
}
