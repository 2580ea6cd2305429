/* Provisioning: what creating a customer or a website sets up (contract §6, D4): the partner's
 * model decides where the subscription lives and where a package may be given. Shared by the
 * customer create (E2) and both website creates (E8, E9). Runs inside the request's
 * transaction; every function answers the error itself ("…_or_reply"). */
#ifndef MOCK3AS_PROVISION_H
#define MOCK3AS_PROVISION_H

#include <stdbool.h>
#include <stdint.h>

#include "api/resources.h"

/* A website to create, as parsed from any of the create bodies. */
struct new_website {
    const char *intp_website_id;
    const char *domain;
    const char *package_id; /* NULL: none given */
    int64_t billing_date;   /* the billing anchor */
    bool uft;               /* opts.uft (v3) */
    int64_t privacy_level;  /* -1: not given */
    /* the body's names for these, for error messages */
    const char *id_field, *package_field, *uft_field;
};

/* Start a subscription `id` (NULL: a new uuid) of `type` ("website"/"intpc") for the website
 * or customer `owner_id` (3AS id): on `package_id`, or on the 30-day free trial when NULL (D4).
 * A restricted package cannot be started on (it is assigned to an existing website or customer,
 * then upgraded to). */
int subscription_create_or_reply(const struct request *req, const char *type, const char *owner_id,
                                 const char *id, const char *package_id, const char *package_field,
                                 int64_t billing_date, struct subscription *out,
                                 struct response *res);

/* Create website `nw` for `owner` under the partner's `model`: with its own subscription
 * (website model) or joined to the owner's (intpc model, where a package or uft is 400).
 * Duplicate intpWebsiteId: 400. Fills website_uuid[37]. */
int website_create_or_reply(const struct request *req, const struct intp_model *model,
                            const struct customer *owner, const struct new_website *nw,
                            char *website_uuid, struct response *res);

/* Answer 201 {"payload": Website} for the website with 3AS id `uuid`. */
enum http_status reply_website_created(const struct request *req, const char *uuid,
                                       struct response *res);

/* The INTPC entity of contract §4.2. New object, caller owns. */
cJSON *customer_to_json(const struct customer *c);

/* The Website entity of contract §4.3 / D12 for view `v`. New object, caller owns. */
cJSON *website_to_json(const struct website_view *v);

#endif
