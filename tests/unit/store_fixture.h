/* Shared by the store unit tests (test_*_db.c): one ":memory:" database per test program with
 * partner "p1" and its default catalogue, and customers with a website on the free trial. */
#ifndef MOCK3AS_STORE_FIXTURE_H
#define MOCK3AS_STORE_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "billing/provision.h"
#include "store/customers_db.h"
#include "store/db.h"
#include "store/intps_db.h"
#include "store/packages_db.h"
#include "store/subscriptions_db.h"
#include "store/websites_db.h"
#include "tap.h"
#include "util/util.h"

#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */

static struct db db;

/* A new ":memory:" database with partner "p1" (website model, company-managed) and its default
 * catalogue (test_intps_db.c checks each step on its own). */
static inline void store_fixture_open(void)
{
    struct intp p = {.id = "p1",
                     .name = "P",
                     .subscription_type = "website",
                     .billing_mode = "company_managed",
                     .public_key = "pem",
                     .created_at = NOW};
    ok(db_open(&db, ":memory:") == 0 && db.was_new && intps_db_insert(&db, &p) == DB_OK &&
           packages_db_create_catalogue(&db, "p1", NOW) == DB_OK,
       "fixture: a new database with partner p1 and its catalogue");
}

/* A packages_db_foreach() callback counting into *(int *)ctx. */
static inline int count_package(const struct package *p, void *ctx)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

/* A foreach callback appending "s;" to the char buffer ctx. */
static inline void collect(const char *s, void *ctx)
{
    strcat(ctx, s);
    strcat(ctx, ";");
}

/* A customer, a website with its own subscription on the trial, returned by id. */
static inline void make_site(const char *cust, const char *site, struct customer *c,
                             struct website *w)
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

/* A restricted custom package of p1 ("Custom", 1.00 EUR monthly, 5 touchpoints), not stored. */
static inline struct package custom_package(void)
{
    struct package p = {.price_cents = 100, .touchpoints = 5, .created_at = NOW};
    uuid_v4(p.id);
    strcpy(p.intp_id, "p1");
    strcpy(p.name, "Custom");
    strcpy(p.currency, "EUR");
    strcpy(p.period, "monthly");
    strcpy(p.visibility, "restricted");
    return p;
}

#endif
