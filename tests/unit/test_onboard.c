/* Unit tests of billing/onboard.c against ":memory:": the defaults, the refusals (each naming its
 * field), the three ways to settle a key pair (a public key, a matching pair, a generated pair)
 * with the test-only keys of fixtures/keys, and the default catalogue made afterwards. No HTTP. */
#include <stdlib.h>
#include <string.h>

#include "auth/keys.h"
#include "billing/onboard.h"
#include "store/db.h"
#include "store/intps_db.h"
#include "store/packages_db.h"
#include "fixture_key.h"
#include "tap.h"
#include "util/util.h"

#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */

static struct db db;
static char *demo_pub, *demo_priv, *other_priv, *other_pub_pkcs1;

static bool is_uuid_v4(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
            return false;
    }
    return s[14] == '4';
}

static bool starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether partner `id` is stored. */
static bool stored(const char *id)
{
    struct intp p;
    if (intps_db_get(&db, id, &p) != DB_OK)
        return false;
    intp_release(&p);
    return true;
}

static void test_defaults(void)
{
    struct onboarding in = {.public_key = demo_pub};
    struct onboarded out;
    struct outcome o = {0};
    struct intp got;
    ok(intp_onboard(&db, &in, NOW, &out, &o) == 0, "onboard with a public key alone");
    ok(is_uuid_v4(out.intp.id), "no id: a new uuid (%s)", out.intp.id);
    ok(strcmp(out.intp.name, out.intp.id) == 0, "no name: the id");
    ok(strcmp(out.intp.address, "") == 0, "no address: empty");
    ok(strcmp(out.intp.subscription_type, "website") == 0 &&
           strcmp(out.intp.billing_mode, "company_managed") == 0 && !out.intp.website_onboarding,
       "website model, company managed, no website onboarding");
    ok(out.intp.created_at == NOW, "created now");
    ok(out.public_key && starts_with(out.intp.public_key, "-----BEGIN PUBLIC KEY-----"),
       "the public key, parsed and as SPKI PEM");
    ok(!out.generated_private && out.intp.private_key == NULL,
       "the partner keeps its private key: the mock holds none");
    ok(intps_db_get(&db, out.intp.id, &got) == DB_OK && strcmp(got.name, out.intp.id) == 0 &&
           strcmp(got.subscription_type, "website") == 0 && got.private_key == NULL &&
           strcmp(got.public_key, out.intp.public_key) == 0,
       "stored as returned");
    intp_release(&got);

    struct package p;
    ok(packages_db_get_default(&db, out.intp.id, FREE_PACKAGE_NAME, "monthly", &p) == DB_OK &&
           p.touchpoints == 440 && p.price_cents == 0 && p.is_default &&
           strcmp(p.currency, "EUR") == 0,
       "the default catalogue exists: Free monthly, 440 touchpoints, free");
    ok(packages_db_get_default(&db, out.intp.id, UFT_PACKAGE_NAME, "monthly", &p) == DB_OK &&
           p.touchpoints == -1,
       "…the unlimited free trial");
    ok(packages_db_get_default(&db, out.intp.id, "Unicorn", "yearly", &p) == DB_OK &&
           p.touchpoints == 5500000,
       "…and Unicorn yearly");
    onboarded_release(&out);
    ok(out.public_key == NULL && out.intp.id == NULL, "release clears what it freed");
}

static void test_fields(void)
{
    struct onboarding in = {.id = "acme.partner-1_x",
                            .name = "Acme",
                            .address = "1 Road",
                            .subscription_type = "intpc",
                            .billing_mode = "platform_managed",
                            .website_onboarding = true,
                            .public_key = demo_pub};
    struct onboarded out;
    struct outcome o = {0};
    ok(intp_onboard(&db, &in, NOW + 1, &out, &o) == 0, "onboard with every field given");
    ok(strcmp(out.intp.id, "acme.partner-1_x") == 0 && strcmp(out.intp.name, "Acme") == 0 &&
           strcmp(out.intp.address, "1 Road") == 0 &&
           strcmp(out.intp.subscription_type, "intpc") == 0 &&
           strcmp(out.intp.billing_mode, "platform_managed") == 0 && out.intp.website_onboarding &&
           out.intp.created_at == NOW + 1,
       "every field as given");
    onboarded_release(&out);
    char type[16], mode[24];
    ok(intps_db_model(&db, "acme.partner-1_x", type, mode) == DB_OK && strcmp(type, "intpc") == 0 &&
           strcmp(mode, "platform_managed") == 0,
       "stored with its model");

    char longest[65];
    memset(longest, 'a', 64);
    longest[64] = '\0';
    in = (struct onboarding){.id = longest, .public_key = demo_pub};
    ok(intp_onboard(&db, &in, NOW, &out, &o) == 0 && strlen(out.intp.id) == 64,
       "a 64-character id is fine");
    onboarded_release(&out);
}

/* Every refusal: its code and the field it names; nothing is stored. */
static void test_refusals(void)
{
    char too_long[66];
    memset(too_long, 'a', 65);
    too_long[65] = '\0';
    static const char *const garbage = "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC "
                                       "KEY-----\n";
    const struct {
        const char *name;
        struct onboarding in;
        enum outcome_code code;
        const char *field;
    } cases[] = {
        {"a space in the id", {.id = "bad id", .public_key = demo_pub}, OUT_INVALID, "id"},
        {"a slash in the id", {.id = "a/b", .public_key = demo_pub}, OUT_INVALID, "id"},
        {"a colon in the id", {.id = "a:b", .public_key = demo_pub}, OUT_INVALID, "id"},
        {"a non-ASCII id", {.id = "caf\xc3\xa9", .public_key = demo_pub}, OUT_INVALID, "id"},
        {"an empty id", {.id = "", .public_key = demo_pub}, OUT_INVALID, "id"},
        {"a 65-character id", {.id = too_long, .public_key = demo_pub}, OUT_INVALID, "id"},
        {"an unknown subscription type",
         {.id = "t1", .subscription_type = "customer", .public_key = demo_pub},
         OUT_INVALID,
         "subscriptionType"},
        {"an unknown billing mode",
         {.id = "t2", .billing_mode = "self", .public_key = demo_pub},
         OUT_INVALID,
         "billingMode"},
        {"a public key that is not PEM",
         {.id = "k1", .public_key = "hello"},
         OUT_INVALID,
         "publicKey"},
        {"a PEM public key that does not parse",
         {.id = "k2", .public_key = garbage},
         OUT_INVALID,
         "publicKey"},
        {"a private key given as the public key",
         {.id = "k3", .public_key = demo_priv},
         OUT_INVALID,
         "publicKey"},
        {"a private key that does not match",
         {.id = "k4", .public_key = demo_pub, .private_key = other_priv},
         OUT_INVALID,
         "privateKey"},
        {"a private key that is not PEM",
         {.id = "k5", .public_key = demo_pub, .private_key = "hello"},
         OUT_INVALID,
         "privateKey"},
        {"a private key alone that is not PEM",
         {.id = "k6", .private_key = "hello"},
         OUT_INVALID,
         "privateKey"},
        {"a public key given as the private key",
         {.id = "k7", .public_key = demo_pub, .private_key = demo_pub},
         OUT_INVALID,
         "privateKey"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct onboarded out;
        struct outcome o = {.code = OUT_OK};
        int rc = intp_onboard(&db, &cases[i].in, NOW, &out, &o);
        ok(rc == -1 && o.code == cases[i].code && strcmp(o.field, cases[i].field) == 0,
           "%s: refused, naming %s (got %d, '%s')", cases[i].name, cases[i].field, o.code, o.field);
        if (rc == 0)
            onboarded_release(&out);
        else
            ok(out.public_key == NULL && out.intp.id == NULL, "%s: nothing left to release",
               cases[i].name);
        if (cases[i].in.id && cases[i].in.id[0])
            ok(!stored(cases[i].in.id), "%s: not stored", cases[i].name);
    }

    struct onboarding dup = {.id = "dup", .public_key = demo_pub};
    struct onboarded out;
    struct outcome o = {.code = OUT_OK};
    struct package p;
    ok(intp_onboard(&db, &dup, NOW, &out, &o) == 0, "onboard 'dup'");
    onboarded_release(&out);
    dup.name = "Second";
    int rc = intp_onboard(&db, &dup, NOW + 5, &out, &o);
    ok(rc == -1 && o.code == OUT_DUPLICATE && strcmp(o.field, "id") == 0 &&
           strstr(o.message, "dup"),
       "a taken id: OUT_DUPLICATE naming id (%s)", o.message);
    struct intp got;
    ok(intps_db_get(&db, "dup", &got) == DB_OK && strcmp(got.name, "dup") == 0 &&
           got.created_at == NOW,
       "the first partner is kept as it was");
    intp_release(&got);
    ok(packages_db_get_default(&db, "dup", FREE_PACKAGE_NAME, "monthly", &p) == DB_OK &&
           p.created_at == NOW,
       "its catalogue too");
}

/* The three ways to a key pair. */
static void test_keys(void)
{
    struct onboarded out;
    struct outcome o = {0};
    EVP_PKEY *priv = NULL;

    struct onboarding pkcs1 = {.id = "pkcs1", .public_key = other_pub_pkcs1};
    ok(intp_onboard(&db, &pkcs1, NOW, &out, &o) == 0 &&
           starts_with(out.intp.public_key, "-----BEGIN PUBLIC KEY-----"),
       "a PKCS#1 public key is accepted and stored as SPKI");
    priv = keys_parse_private_pem(other_priv);
    ok(priv && out.public_key && keys_match(out.public_key, priv), "…the same key");
    EVP_PKEY_free(priv);
    onboarded_release(&out);

    struct onboarding pair = {.id = "pair", .public_key = demo_pub, .private_key = demo_priv};
    ok(intp_onboard(&db, &pair, NOW, &out, &o) == 0, "a matching pair");
    ok(!out.generated_private && starts_with(out.intp.private_key, "-----BEGIN PRIVATE KEY-----"),
       "…is not generated, and the mock holds the private key");
    priv = out.intp.private_key ? keys_parse_private_pem(out.intp.private_key) : NULL;
    ok(priv && keys_match(out.public_key, priv), "…which matches the public key");
    EVP_PKEY_free(priv);
    onboarded_release(&out);

    struct onboarding alone = {.id = "alone", .private_key = demo_priv};
    ok(intp_onboard(&db, &alone, NOW, &out, &o) == 0 && !out.generated_private,
       "a private key alone: the public key is derived, nothing generated");
    priv = keys_parse_private_pem(demo_priv);
    EVP_PKEY *pub = keys_parse_public_pem(demo_pub);
    ok(priv && pub && out.public_key && keys_match(out.public_key, priv) && keys_match(pub, priv) &&
           out.intp.private_key,
       "…it is the fixture's public key");
    EVP_PKEY_free(priv);
    EVP_PKEY_free(pub);
    onboarded_release(&out);

    struct onboarding none = {.id = "generated"};
    ok(intp_onboard(&db, &none, NOW, &out, &o) == 0, "no key at all");
    ok(out.generated_private && starts_with(out.intp.private_key, "-----BEGIN PRIVATE KEY-----") &&
           starts_with(out.intp.public_key, "-----BEGIN PUBLIC KEY-----"),
       "…a generated pair: generated_private and a private key PEM");
    priv = out.intp.private_key ? keys_parse_private_pem(out.intp.private_key) : NULL;
    EVP_PKEY *fixture = keys_parse_private_pem(demo_priv);
    ok(priv && keys_match(out.public_key, priv) && !keys_match(out.public_key, fixture),
       "…the two halves match, and the pair is new");
    EVP_PKEY_free(priv);
    EVP_PKEY_free(fixture);
    struct intp got;
    ok(intps_db_get(&db, "generated", &got) == DB_OK && got.private_key &&
           strcmp(got.private_key, out.intp.private_key) == 0,
       "…stored with its private key");
    intp_release(&got);
    onboarded_release(&out);
}

int main(void)
{
    demo_pub = read_fixture("demo-intp.public.pem");
    demo_priv = read_fixture("demo-intp.private.pem");
    other_priv = read_fixture("other.private.pem");
    other_pub_pkcs1 = read_fixture("other.public.pkcs1.pem");
    if (db_open(&db, ":memory:") != 0) {
        printf("Bail out! cannot open :memory:\n");
        return 1;
    }
    test_defaults();
    test_fields();
    test_refusals();
    test_keys();
    db_close(&db);
    free(demo_pub);
    free(demo_priv);
    free(other_priv);
    free(other_pub_pkcs1);
    return done_testing();
}
