/* Onboarding a partner (INTP): check what it is given, settle its key pair (its own public key,
 * its own pair, or a fresh RSA-2048 pair the mock holds), store it and create its default
 * package catalogue (contract §4.5). The admin API (admin/intps.c) and the fixtures
 * (admin/fixtures.c) both onboard through here. No HTTP. */
#ifndef MOCK3AS_ONBOARD_H
#define MOCK3AS_ONBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "auth/keypool.h"
#include "store/intps_db.h"
#include "util/outcome.h"

#define ONBOARD_MAX_NAME    200
#define ONBOARD_MAX_ADDRESS 500
#define ONBOARD_MAX_PEM     16384

/* A partner to onboard; every string is borrowed, NULL for "not given". */
struct onboarding {
    const char *id;                /* NULL: a new uuid */
    const char *name;              /* NULL: the id */
    const char *address;           /* NULL: "" */
    const char *subscription_type; /* "website" (default) | "intpc" */
    const char *billing_mode;      /* "company_managed" (default) | "platform_managed" */
    bool website_onboarding;
    const char *public_key;  /* PEM, SPKI or PKCS#1 */
    const char *private_key; /* PEM; must match public_key when both are given */
    struct keypool *keys;    /* where a generated pair comes from; NULL: generated in place */
};

/* An onboarded partner. */
struct onboarded {
    struct intp intp;       /* as stored (owns its strings) */
    EVP_PKEY *public_key;   /* owned: hand it to the keystore or free it */
    bool generated_private; /* the mock generated the pair: show intp.private_key once */
};

/* The allowed values of the enumerated fields (NULL-terminated), for parsers. */
extern const char *const onboard_subscription_types[];
extern const char *const onboard_billing_modes[];

/* Onboard `in` at time `now` inside the caller's transaction (a tombstone of the same id is
 * purged first, within it). A taken id is OUT_DUPLICATE, a bad id, key or enum OUT_INVALID
 * naming the field. On success release *out with onboarded_release. */
int intp_onboard(struct db *db, const struct onboarding *in, int64_t now, struct onboarded *out,
                 struct outcome *o);
void onboarded_release(struct onboarded *out);

#endif
