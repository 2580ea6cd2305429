/* Unit tests of jwt.c, keys.c and the token cache of auth.c: one case per acceptance and
 * rejection of contract D9. Tokens are signed here with the test-only keys of fixtures/keys. */
#include <stdlib.h>
#include <string.h>

#include <openssl/hmac.h>

#include "auth/token_cache.h"
#include "auth/jwt.h"
#include "auth/keys.h"
#include "fixture_key.h"
#include "tap.h"
#include "util/util.h"

#define NOW 1767225600LL /* 2026-01-01T00:00:00Z */
#define KID "intp-1"

static EVP_PKEY *demo_priv, *demo_pub, *other_priv;
static char *demo_pub_pem;

static void load_keys(void)
{
    char *priv = read_fixture("demo-intp.private.pem"), *other = read_fixture("other.private.pem");
    demo_pub_pem = read_fixture("demo-intp.public.pem");
    demo_priv = keys_parse_private_pem(priv);
    demo_pub = keys_parse_public_pem(demo_pub_pem);
    other_priv = keys_parse_private_pem(other);
    free(priv);
    free(other);
    if (!demo_priv || !demo_pub || !other_priv) {
        printf("Bail out! fixture keys do not parse\n");
        exit(1);
    }
}

/* A token with a standard node-style header and the given claims, signed by `key`. */
static char *sign(const char *header, const char *claims, EVP_PKEY *key)
{
    return jwt_sign_rs256(header, claims, key);
}

static const char *const NODE_HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}";

/* Claims text from a printf format (exp/iat relative to NOW). */
static char *claims_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *claims_fmt(const char *fmt, ...)
{
    va_list ap;
    char *s = xmalloc(1024);
    va_start(ap, fmt);
    vsnprintf(s, 1024, fmt, ap);
    va_end(ap);
    return s;
}

static void expect(const char *name, const char *header, const char *claims, EVP_PKEY *signer,
                   enum jwt_result want)
{
    char *token = sign(header, claims, signer);
    struct jwt_claims c;
    enum jwt_result got = token ? jwt_verify_rs256(token, demo_pub, NOW, &c) : JWT_MALFORMED;
    ok(got == want, "%s: %s (got: %s)", name, jwt_result_text(want), jwt_result_text(got));
    free(token);
}

static void expect_claims(const char *name, const char *claims, enum jwt_result want)
{
    expect(name, NODE_HEADER, claims, demo_priv, want);
}

static void test_accepted_dialects(void)
{
    char *c = claims_fmt("{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":%lld,\"iat\":%lld}",
                         NOW + 600, NOW);
    expect("node dialect (int iat/exp, typ JWT)", NODE_HEADER, c, demo_priv, JWT_OK);
    free(c);
    c = claims_fmt(
        "{\"iat\":%lld.123456,\"exp\":%lld.123456,\"roles\":[\"intp\"],\"intp_id\":\"" KID
        "\",\"intpc_id\":null}",
        NOW, NOW + 600);
    expect("php dialect (float iat/exp, intpc_id null)",
           "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"" KID "\"}", c, demo_priv, JWT_OK);
    free(c);
    c = claims_fmt("{\"exp\":%lld,\"iat\":%lld,\"intp_id\":\"" KID
                   "\",\"iss\":\"twipla-3as-go-sdk\",\"roles\":[\"intp\"]}",
                   NOW + 14400, NOW);
    expect("go-new dialect (sorted keys, iss ignored)",
           "{\"alg\":\"RS256\",\"kid\":\"" KID "\",\"typ\":\"JWT\"}", c, demo_priv, JWT_OK);
    expect("go-old dialect (typ jwt)", "{\"alg\":\"RS256\",\"kid\":\"" KID "\",\"typ\":\"jwt\"}", c,
           demo_priv, JWT_OK);
    expect("typ absent", "{\"alg\":\"RS256\",\"kid\":\"" KID "\"}", c, demo_priv, JWT_OK);
    free(c);
}

static void test_claims_read_back(void)
{
    char *c = claims_fmt("{\"roles\":[\"intpc\"],\"intp_id\":\"" KID
                         "\",\"intpc_id\":\"cust-7\",\"exp\":%lld,\"iat\":%lld}",
                         NOW + 600, NOW);
    char *token = sign(NODE_HEADER, c, demo_priv);
    struct jwt_claims cl;
    enum jwt_result r = jwt_verify_rs256(token, demo_pub, NOW, &cl);
    ok(r == JWT_OK && cl.roles == JWT_ROLE_INTPC && strcmp(cl.intpc_id, "cust-7") == 0 &&
           strcmp(cl.kid, KID) == 0 && cl.exp == NOW + 600,
       "intpc token: role, intpc_id, kid and exp read back");
    char kid[JWT_MAX_ID + 1];
    ok(jwt_peek_kid(token, kid) == JWT_OK && strcmp(kid, KID) == 0, "jwt_peek_kid");
    free(token);
    free(c);
}

static void test_times(void)
{
    static const char *const fmt =
        "{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":%lld,\"iat\":%lld}";
    static const struct {
        const char *name;
        long long exp, iat;
        enum jwt_result want;
    } cases[] = {
        {"expired 30 s ago: inside the 60 s skew", NOW - 30, NOW - 630, JWT_OK},
        {"expired 61 s ago", NOW - 61, NOW - 661, JWT_EXPIRED},
        {"expired an hour ago", NOW - 3600, NOW - 4200, JWT_EXPIRED},
        {"iat 30 s in the future: inside the skew", NOW + 630, NOW + 30, JWT_OK},
        {"iat an hour in the future", NOW + 4200, NOW + 3600, JWT_NOT_YET_VALID},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *c = claims_fmt(fmt, cases[i].exp, cases[i].iat);
        expect_claims(cases[i].name, c, cases[i].want);
        free(c);
    }
    char *c = claims_fmt("{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":%lld,\"nbf\":%lld}",
                         NOW + 600, NOW + 120);
    expect_claims("nbf two minutes ahead", c, JWT_NOT_YET_VALID);
    free(c);
    c = claims_fmt("{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":%lld,\"nbf\":%lld}",
                   NOW + 600, NOW + 30);
    expect_claims("nbf 30 s ahead: inside the skew", c, JWT_OK);
    free(c);
    expect_claims("no exp", "{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\"}", JWT_BAD_CLAIMS);
    expect_claims("exp as a string",
                  "{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":\"1767226200\"}",
                  JWT_BAD_CLAIMS);
}

static void test_claim_rejections(void)
{
    static const struct {
        const char *name, *claims;
        enum jwt_result want;
    } cases[] = {
        {"intp_id differs from kid",
         "{\"roles\":[\"intp\"],\"intp_id\":\"other\",\"exp\":1767226200}", JWT_KID_MISMATCH},
        {"intp_id missing", "{\"roles\":[\"intp\"],\"exp\":1767226200}", JWT_KID_MISMATCH},
        {"roles missing", "{\"intp_id\":\"" KID "\",\"exp\":1767226200}", JWT_BAD_CLAIMS},
        {"roles a string", "{\"roles\":\"intp\",\"intp_id\":\"" KID "\",\"exp\":1767226200}",
         JWT_BAD_CLAIMS},
        {"roles without intp or intpc",
         "{\"roles\":[\"admin\"],\"intp_id\":\"" KID "\",\"exp\":1767226200}", JWT_NO_ROLE},
        {"intpc role without intpc_id",
         "{\"roles\":[\"intpc\"],\"intp_id\":\"" KID "\",\"exp\":1767226200}", JWT_BAD_CLAIMS},
        {"intpc_id a number",
         "{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"intpc_id\":5,\"exp\":1767226200}",
         JWT_BAD_CLAIMS},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        expect_claims(cases[i].name, cases[i].claims, cases[i].want);
}

static const char *const GOOD_CLAIMS =
    "{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":1767226200,\"iat\":1767225600}";

static void test_header_rejections(void)
{
    static const struct {
        const char *name, *header;
        enum jwt_result want;
    } cases[] = {
        {"alg RS512", "{\"alg\":\"RS512\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}", JWT_BAD_ALG},
        {"alg ES256", "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}", JWT_BAD_ALG},
        {"alg PS256", "{\"alg\":\"PS256\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}", JWT_BAD_ALG},
        {"alg missing", "{\"typ\":\"JWT\",\"kid\":\"" KID "\"}", JWT_BAD_ALG},
        {"alg rs256 (case)", "{\"alg\":\"rs256\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}",
         JWT_BAD_ALG},
        {"typ at+jwt", "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" KID "\"}", JWT_BAD_TYP},
        {"kid missing", "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", JWT_NO_KID},
        {"kid empty", "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"\"}", JWT_NO_KID},
        {"kid a number", "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":7}", JWT_NO_KID},
        {"crit header", "{\"alg\":\"RS256\",\"kid\":\"" KID "\",\"crit\":[\"exp\"]}",
         JWT_MALFORMED},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        expect(cases[i].name, cases[i].header, GOOD_CLAIMS, demo_priv, cases[i].want);
    expect("signed with another partner's key", NODE_HEADER, GOOD_CLAIMS, other_priv,
           JWT_BAD_SIGNATURE);
}

static char *b64(const char *s)
{
    return base64url_encode((const unsigned char *)s, strlen(s));
}

/* "header.claims.signature" from raw parts (signature already base64url). */
static char *join(const char *header, const char *claims, const char *sig)
{
    char *h = b64(header), *c = b64(claims), *t = xmalloc(strlen(h) + strlen(c) + strlen(sig) + 3);
    sprintf(t, "%s.%s.%s", h, c, sig);
    free(h);
    free(c);
    return t;
}

static void expect_token(const char *name, const char *token, enum jwt_result want)
{
    struct jwt_claims c;
    enum jwt_result got = jwt_verify_rs256(token, demo_pub, NOW, &c);
    ok(got == want, "%s: %s (got: %s)", name, jwt_result_text(want), jwt_result_text(got));
}

static void test_forgeries(void)
{
    /* alg none, with an empty and with a junk signature */
    char *t = join("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}", GOOD_CLAIMS, "");
    expect_token("alg none, empty signature", t, JWT_MALFORMED);
    free(t);
    t = join("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}", GOOD_CLAIMS, "AAAA");
    expect_token("alg none, junk signature", t, JWT_BAD_ALG);
    free(t);

    /* HS256 whose HMAC secret is the partner's public key PEM (the key-confusion attack) */
    char *h = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}"), *c = b64(GOOD_CLAIMS);
    char signing[4096];
    unsigned char mac[32];
    unsigned mac_len = 0;
    snprintf(signing, sizeof(signing), "%s.%s", h, c);
    HMAC(EVP_sha256(), demo_pub_pem, (int)strlen(demo_pub_pem), (unsigned char *)signing,
         strlen(signing), mac, &mac_len);
    char *sig = base64url_encode(mac, mac_len), token[8192];
    snprintf(token, sizeof(token), "%s.%s", signing, sig);
    expect_token("HS256 signed with the public key PEM as secret", token, JWT_BAD_ALG);
    free(h);
    free(c);
    free(sig);

    /* tampering with a good token */
    char *good = sign(NODE_HEADER, GOOD_CLAIMS, demo_priv);
    char *evil_claims = b64("{\"roles\":[\"intp\"],\"intp_id\":\"" KID "\",\"exp\":1999999999}");
    char *dot1 = strchr(good, '.'), *dot2 = strchr(dot1 + 1, '.');
    snprintf(token, sizeof(token), "%.*s.%s%s", (int)(dot1 - good), good, evil_claims, dot2);
    expect_token("payload swapped under a valid signature", token, JWT_BAD_SIGNATURE);
    strcpy(token, good);
    char *last = token + strlen(token) - 2;
    *last = *last == 'A' ? 'B' : 'A';
    expect_token("signature byte flipped", token, JWT_BAD_SIGNATURE);
    expect_token("valid token still verifies", good, JWT_OK);
    free(evil_claims);
    free(good);
}

static void test_malformed(void)
{
    static const char *const junk[] = {"",         "abc",      "a.b",         "a.b.c.d",
                                       "!!.??.**", "e30.e30.", "W10.e30.AAAA" /* header is [] */};
    for (size_t i = 0; i < ARRAY_SIZE(junk); i++)
        expect_token(junk[i][0] ? junk[i] : "(empty)", junk[i], JWT_MALFORMED);
    size_t n;
    ok(base64url_decode("e30=", 4, &n) == NULL, "base64url rejects '=' padding");
    unsigned char *raw = base64url_decode("aGk", 3, &n);
    ok(raw && n == 2 && memcmp(raw, "hi", 2) == 0, "base64url decodes unpadded text");
    free(raw);
}

static char *pem_of_generated(const char *type, const char *arg, size_t bits)
{
    EVP_PKEY *k =
        arg ? EVP_PKEY_Q_keygen(NULL, NULL, type, arg) : EVP_PKEY_Q_keygen(NULL, NULL, type, bits);
    char *pem = k ? keys_public_pem(k) : NULL;
    EVP_PKEY_free(k);
    return pem;
}

static void test_keys(void)
{
    char *pkcs1 = read_fixture("other.public.pkcs1.pem");
    EVP_PKEY *k = keys_parse_public_pem(pkcs1);
    ok(k != NULL, "PKCS#1 RSA public key parses");
    EVP_PKEY_free(k);
    free(pkcs1);
    char *ec = pem_of_generated("EC", "P-256", 0), *small = pem_of_generated("RSA", NULL, 1024);
    ok(ec && keys_parse_public_pem(ec) == NULL, "EC public key refused");
    ok(small && keys_parse_public_pem(small) == NULL, "RSA-1024 public key refused");
    ok(keys_parse_public_pem("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n") ==
           NULL,
       "garbage PEM refused");
    ok(keys_match(demo_pub, demo_priv) && !keys_match(demo_pub, other_priv), "keys_match");
    free(ec);
    free(small);
}

static void test_cache(void)
{
    struct keystore *ks = keystore_new(NULL);
    struct token_cache *cache = token_cache_new(16);
    struct auth a;
    char header[8192];
    keystore_put(ks, KID, keys_parse_public_pem(demo_pub_pem));
    char *good = sign(NODE_HEADER, GOOD_CLAIMS, demo_priv);
    snprintf(header, sizeof(header), "Bearer %s", good);
    ok(auth_bearer(cache, ks, NULL, header, NOW, &a) == JWT_OK && strcmp(a.intp_id, KID) == 0 &&
           a.roles == JWT_ROLE_INTP,
       "first use verifies");
    ok(auth_bearer(cache, ks, NULL, header, NOW + 1, &a) == JWT_OK &&
           token_cache_hits(cache) == 1 && token_cache_misses(cache) == 1,
       "second use is a cache hit");
    ok(auth_bearer(cache, ks, NULL, header, NOW + 600 + 60, &a) == JWT_EXPIRED,
       "a cached token still expires");
    snprintf(header, sizeof(header), "bearer   %s", good);
    ok(auth_bearer(cache, ks, NULL, header, NOW, &a) == JWT_OK, "scheme is case-insensitive");
    ok(auth_bearer(cache, ks, NULL, NULL, NOW, &a) == JWT_MISSING, "no header");
    ok(auth_bearer(cache, ks, NULL, "Basic dXNlcjpwYXNz", NOW, &a) == JWT_MISSING, "Basic scheme");
    ok(auth_bearer(cache, ks, NULL, "Bearer ", NOW, &a) == JWT_MISSING, "empty bearer");
    keystore_remove(ks, KID);
    token_cache_clear(cache);
    snprintf(header, sizeof(header), "Bearer %s", good);
    ok(auth_bearer(cache, ks, NULL, header, NOW, &a) == JWT_UNKNOWN_KID,
       "unknown kid after removal");
    free(good);
    token_cache_free(cache);
    keystore_free(ks);
}

static int loads;

static EVP_PKEY *load_demo(void *ctx, const char *id)
{
    (void)ctx;
    loads++;
    return strcmp(id, KID) == 0 ? keys_parse_public_pem(demo_pub_pem) : NULL;
}

static void test_keystore_loader(void)
{
    struct keystore *ks = keystore_new(load_demo);
    EVP_PKEY *a = keystore_get(ks, KID, NULL), *b = keystore_get(ks, KID, NULL);
    ok(a && a == b && loads == 1, "a missing key is loaded once, then held");
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    ok(keystore_get(ks, "nobody", NULL) == NULL && keystore_get(ks, "nobody", NULL) == NULL &&
           loads == 3,
       "an unknown id is asked for each time and never held");
    keystore_clear(ks);
    a = keystore_get(ks, KID, NULL);
    ok(a != NULL && loads == 4, "after clear the key is loaded again");
    EVP_PKEY_free(a);
    for (int i = 0; i < 200; i++) {
        char id[16];
        snprintf(id, sizeof(id), "p%d", i);
        keystore_put(ks, id, keys_parse_public_pem(demo_pub_pem));
    }
    a = keystore_get(ks, "p0", NULL);
    b = keystore_get(ks, "p199", NULL);
    ok(a && b && loads == 4, "200 keys survive the table growing");
    keystore_remove(ks, "p0");
    ok(EVP_PKEY_get_bits(a) == 2048, "a key handed out outlives its removal from the store");
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    keystore_free(ks);
}

int main(void)
{
    load_keys();
    test_keystore_loader();
    test_accepted_dialects();
    test_claims_read_back();
    test_times();
    test_claim_rejections();
    test_header_rejections();
    test_forgeries();
    test_malformed();
    test_keys();
    test_cache();
    EVP_PKEY_free(demo_priv);
    EVP_PKEY_free(demo_pub);
    EVP_PKEY_free(other_priv);
    free(demo_pub_pem);
    return done_testing();
}
