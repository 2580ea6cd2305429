/* Provisioning: what creating a customer or a website sets up (contract §6, D4): the partner's
 * model decides where the subscription lives and where a package may be given. Shared by the
 * customer create (E2) and both website creates (E8, E9). Runs inside the caller's transaction;
 * every function returns 0, or -1 with the refusal in `o`. */
#ifndef MOCK3AS_PROVISION_H
#define MOCK3AS_PROVISION_H

#include <stdbool.h>
#include <stdint.h>

#include "billing/tenant.h"
#include "store/subscriptions_db.h"

#define UFT_DAYS 30

/* A website to create, as parsed from any of the create bodies. */
struct new_website {
    const char *intp_website_id;
    const char *domain;
    const char *package_id; /* NULL: none given */
    int64_t billing_date;   /* the billing anchor */
    bool uft;               /* opts.uft (v3) */
    int64_t privacy_level;  /* -1: not given */
    /* the body's names for these, for refusals */
    const char *id_field, *package_field, *uft_field;
};

/* A customer to create, with its first website when `has_website`. */
struct new_customer {
    const char *intp_customer_id, *email;
    const char *package_id; /* intpc model only */
    int64_t billing_date;
    bool has_website;
    struct new_website nw;
};

/* Fill the dates and trial state of a new subscription on `pkg`: the free trial (UFT, `pkg` is
 * the trial package) runs UFT_DAYS from `now` and falls to `fallback` (the Free package); any
 * other package bills in calendar periods (monthly/yearly) anchored on `anchor`, with
 * touchpoints reset monthly. Identity fields (id, type, owner) are the caller's. Pure. */
void subscription_start(struct subscription *s, const struct package *pkg,
                        const struct package *fallback, int64_t anchor, int64_t now);

/* Start a subscription `id` (NULL: a new uuid) of `type` ("website"/"intpc") for the website
 * or customer `owner_id` (3AS id): on `package_id`, or on the 30-day free trial when NULL (D4).
 * A restricted package cannot be started on (it is assigned to an existing website or customer,
 * then upgraded to). */
int subscription_create(const struct tenant *t, const char *type, const char *owner_id,
                        const char *id, const char *package_id, const char *package_field,
                        int64_t billing_date, struct subscription *out, struct outcome *o);

/* Create website `nw` for `owner` under the partner's `model`: with its own subscription
 * (website model) or joined to the owner's (intpc model, where a package or uft is refused).
 * A taken intpWebsiteId is OUT_DUPLICATE. Fills website_uuid[UUID_SIZE]. */
int website_create(const struct tenant *t, const struct intp_model *model,
                   const struct customer *owner, const struct new_website *nw, char *website_uuid,
                   struct outcome *o);

/* Create customer `nc` (its pool subscription on an intpc partner, and its first website) into
 * *out. A package outside the model's place is OUT_WRONG_MODEL; a taken id or email
 * OUT_DUPLICATE. */
int customer_create(const struct tenant *t, const struct intp_model *model,
                    const struct new_customer *nc, struct customer *out, struct outcome *o);

#endif
