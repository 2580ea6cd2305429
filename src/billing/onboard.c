/* Onboarding a partner. */
#include "billing/onboard.h"

#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"
#include "auth/keys.h"
#include "billing/purge.h"
#include "store/packages_db.h"
#include "util/util.h"

const char *const onboard_subscription_types[] = {"website", "intpc", NULL};
const char *const onboard_billing_modes[] = {"company_managed", "platform_managed", NULL};

/* Whether `s` is one of the NULL-terminated `allowed`. */
static bool one_of(const char *const *allowed, const char *s)
{
    return str_index(allowed, -1, s) >= 0;
}

/* Check the scalar fields and copy them into p (owned). */
static int fields(const struct onboarding *in, struct intp *p, struct outcome *o)
{
    char id[UUID_SIZE];
    const char *type = in->subscription_type ? in->subscription_type : "website";
    const char *mode = in->billing_mode ? in->billing_mode : "company_managed";
    if (in->id && !str_is_token(in->id, JWT_MAX_ID, "-_."))
        return outcome_fail(o, OUT_INVALID, "id",
                            "id may hold only letters, digits, '-', '_', '.'");
    if (!one_of(onboard_subscription_types, type) || !one_of(onboard_billing_modes, mode))
        return outcome_fail(o, OUT_INVALID,
                            one_of(onboard_billing_modes, mode) ? "subscriptionType"
                                                                : "billingMode",
                            "subscriptionType must be website or intpc, billingMode "
                            "company_managed or platform_managed");
    if (!in->id)
        uuid_v4(id);
    p->id = xstrdup(in->id ? in->id : id);
    p->name = xstrdup(in->name ? in->name : p->id);
    p->address = xstrdup(in->address ? in->address : "");
    p->subscription_type = xstrdup(type);
    p->billing_mode = xstrdup(mode);
    p->website_onboarding = in->website_onboarding;
    return 0;
}

/* Settle the key pair into *pub (and *priv when the mock holds the private key): parse what was
 * given, or generate a fresh RSA-2048 pair. */
static int key_pair(const struct onboarding *in, EVP_PKEY **pub, EVP_PKEY **priv, struct outcome *o)
{
    *pub = *priv = NULL;
    if (in->public_key && !(*pub = keys_parse_public_pem(in->public_key)))
        return outcome_fail(o, OUT_INVALID, "publicKey",
                            "publicKey must be an RSA public key of at least %d bits in PEM "
                            "(SPKI or PKCS#1)",
                            KEYS_MIN_RSA_BITS);
    if (in->private_key) {
        *priv = keys_parse_private_pem(in->private_key);
        if (!*priv || (*pub && !keys_match(*pub, *priv))) {
            EVP_PKEY_free(*pub);
            EVP_PKEY_free(*priv);
            *pub = *priv = NULL;
            return outcome_fail(o, OUT_INVALID, "privateKey",
                                "privateKey must be an RSA private key (PEM) of at least %d bits "
                                "matching publicKey",
                                KEYS_MIN_RSA_BITS);
        }
    }
    if (!*pub && !*priv)
        *priv = keypool_take(in->keys);
    if (!*pub && *priv) {
        char *pem = keys_public_pem(*priv);
        *pub = pem ? keys_parse_public_pem(pem) : NULL;
        free(pem);
    }
    if (!*pub)
        return outcome_fail(o, OUT_FAILED, NULL, "could not prepare the key pair");
    return 0;
}

int intp_onboard(struct db *db, const struct onboarding *in, int64_t now, struct onboarded *out,
                 struct outcome *o)
{
    EVP_PKEY *priv = NULL;
    int rc = -1;
    memset(out, 0, sizeof(*out));
    if (fields(in, &out->intp, o) || key_pair(in, &out->public_key, &priv, o))
        goto out;
    out->intp.public_key = keys_public_pem(out->public_key);
    out->intp.private_key = priv ? keys_private_pem(priv) : NULL;
    out->intp.created_at = now;
    out->generated_private = priv && !in->private_key;
    /* a deleted partner of the same id may still wait for its purge: its id is free */
    if (tenant_purge_now(db, out->intp.id)) {
        outcome_fail(o, OUT_FAILED, NULL, "could not purge the deleted intp '%s'", out->intp.id);
        goto out;
    }
    switch (intps_db_insert(db, &out->intp)) {
    case DB_OK:
        break;
    case DB_CONFLICT:
        outcome_fail(o, OUT_DUPLICATE, "id", "an intp with id '%s' already exists", out->intp.id);
        goto out;
    case DB_NOT_FOUND:
    case DB_ERROR:
        outcome_fail(o, OUT_FAILED, NULL, "could not store the intp");
        goto out;
    }
    if (packages_db_create_catalogue(db, out->intp.id, now) != DB_OK) {
        outcome_fail(o, OUT_FAILED, NULL, "could not create the package catalogue");
        goto out;
    }
    rc = 0;
out:
    EVP_PKEY_free(priv);
    if (rc)
        onboarded_release(out);
    return rc;
}

void onboarded_release(struct onboarded *out)
{
    intp_release(&out->intp);
    EVP_PKEY_free(out->public_key);
    out->public_key = NULL;
}
