/* Subscription actions as the domain runs them (contract §5.8–§5.10, D1, D3, D5): find what an
 * action works on, check the package it names, decide with the state machine (submachine.h),
 * apply, store the result and its history. No HTTP: the handlers (api/subscriptions.c) parse,
 * call these in order, and render. Every function returns 0, or -1 with the refusal in `o`. */
#ifndef MOCK3AS_SUBSCRIPTIONS_H
#define MOCK3AS_SUBSCRIPTIONS_H

#include <stdbool.h>

#include "billing/submachine.h"
#include "billing/tenant.h"

/* What an action works on. */
struct sub_target {
    bool intpc;               /* the customer's pool (else one website's subscription) */
    struct customer customer; /* the pool's customer, or the website's owner */
    struct website site;      /* website model only */
    struct subscription sub;
    struct package current;
};

/* The subscription of the partner's customer (`intpc`) or website named `id` (from body field
 * `field`), with its current package. */
int sub_target_find(const struct tenant *t, bool intpc, const char *id, const char *field,
                    struct sub_target *out, struct outcome *o);

/* The package `id` an action names (from `field`): a restricted package must be assigned to
 * the target. */
int sub_package_find(const struct tenant *t, const struct sub_target *target, const char *id,
                     const char *field, struct package *out, struct outcome *o);

/* The partner's Free package (monthly), where a cancel falls to. */
int sub_free_package(const struct tenant *t, struct package *out, struct outcome *o);

/* How an action runs. */
struct sub_options {
    bool trial;     /* upgrade: a trial of `trial_days` first */
    bool prorate;   /* upgrade: credit the unused part of the period */
    int trial_days; /* --trial-days */
    bool intended;  /* the D3 profile "intended" (else "observed") */
};

/* Decide `action` on `target` (towards `pkg`, NULL for actions without a package), apply it,
 * store the subscription and its event, and read the target back. Deactivating an intpc pool
 * deletes the customer with its websites instead (D5). */
int sub_apply(const struct tenant *t, struct sub_target *target, enum sub_action action,
              const struct package *pkg, const struct sub_options *opt, struct outcome *o);

#endif
