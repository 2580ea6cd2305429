/* libFuzzer target of auth/: jwt_peek_kid and jwt_verify_rs256 on arbitrary tokens against the
 * demo partner's public key, the token cache (auth_token, auth_bearer) agreeing with them on a
 * miss and on a hit, and base64url round trips. The first input byte picks the mode:
 *   '0' token                        the rest of the input is the token
 *   '1' Authorization header value   through auth_bearer, then as '0'
 *   '2' header JSON '\n' claims JSON signed here with the demo private key, then as '0': reaches
 *                                    the claim checks, which no forged token gets to */
#include <stdbool.h>
#include <strings.h>

#include "auth/jwt.h"
#include "auth/keys.h"
#include "auth/token_cache.h"
#include "../unit/fixture_key.h"
#include "fuzz.h"

#define DEMO_ID "3a5d0c1e-7b2f-4c8d-9e60-0d3e5a5a5a5a" /* fixtures/intps.json */
#define NOW     1795341600LL /* 2026-11-22T10:00:00Z: the signed seeds are valid then */

static struct keystore *keys; /* DEMO_ID -> demo public key */
static EVP_PKEY *demo_pub;    /* a reference of its own, taken from `keys` */
static EVP_PKEY *demo_priv;
static struct token_cache *cache;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *pub = read_fixture("demo-intp.public.pem"), *priv = read_fixture("demo-intp.private.pem");
    EVP_PKEY *key = keys_parse_public_pem(pub);
    demo_priv = keys_parse_private_pem(priv);
    free(pub);
    free(priv);
    if (!key || !demo_priv) {
        fprintf(stderr, "fuzz_jwt: the fixture keys do not parse\n");
        exit(1);
    }
    keys = keystore_new(NULL);
    keystore_put(keys, DEMO_ID, key);
    demo_pub = keystore_get(keys, DEMO_ID, NULL);
    cache = token_cache_new(64);
    return 0;
}

/* Each dot-separated part that decodes encodes back to the same text (the decoder accepts only
 * canonical base64url), and encoding any bytes decodes back to them. */
static void check_base64url(const char *token)
{
    for (const char *p = token;;) {
        size_t len = strcspn(p, "."), n;
        unsigned char *raw = base64url_decode(p, len, &n);
        if (raw) {
            char *again = base64url_encode(raw, n);
            FUZZ_CHECK(strlen(again) == len && memcmp(again, p, len) == 0,
                       "'%.*s' decodes and encodes back as '%s'", (int)len, p, again);
            free(again);
            free(raw);
        }
        if (!p[len])
            break;
        p += len + 1;
    }
    size_t len = strlen(token), n = 0;
    char *text = base64url_encode((const unsigned char *)token, len);
    unsigned char *raw = base64url_decode(text, strlen(text), &n);
    FUZZ_CHECK(raw && n == len && memcmp(raw, token, len) == 0, "encode/decode of %zu bytes", len);
    free(raw);
    free(text);
}

/* What a verified token must say. */
static void check_claims(const struct jwt_claims *c, enum jwt_result peek, const char *kid)
{
    FUZZ_CHECK(peek == JWT_OK && strcmp(c->kid, kid) == 0, "verified kid '%s', peeked '%s' (%s)",
               c->kid, kid, jwt_result_text(peek));
    FUZZ_CHECK(*c->kid && strlen(c->kid) <= JWT_MAX_ID, "kid '%s'", c->kid);
    FUZZ_CHECK(c->roles && !(c->roles & ~(unsigned)(JWT_ROLE_INTP | JWT_ROLE_INTPC)), "roles %u",
               c->roles);
    FUZZ_CHECK(c->roles != JWT_ROLE_INTPC || *c->intpc_id, "an intpc token without intpc_id");
    FUZZ_CHECK(NOW < c->exp + JWT_SKEW_SECONDS + 1, "verified at %lld, exp %lld", (long long)NOW,
               (long long)c->exp);
}

/* What auth_token must answer for `token`, from the direct calls. */
static enum jwt_result expected(const char *token, enum jwt_result peek, const char *kid,
                                enum jwt_result verified)
{
    if (!*token)
        return JWT_MISSING;
    if (strlen(token) > JWT_MAX_TOKEN)
        return JWT_MALFORMED;
    if (peek != JWT_OK)
        return peek;
    return strcmp(kid, DEMO_ID) == 0 ? verified : JWT_UNKNOWN_KID;
}

static enum jwt_result check_token(const char *token)
{
    char kid[JWT_MAX_ID + 1] = "";
    struct jwt_claims c;
    enum jwt_result peek = jwt_peek_kid(token, kid);
    enum jwt_result r = jwt_verify_rs256(token, demo_pub, NOW, &c);
    FUZZ_CHECK(peek == JWT_OK || peek == JWT_MALFORMED || peek == JWT_NO_KID, "peek: %s",
               jwt_result_text(peek));
    FUZZ_CHECK(peek != JWT_MALFORMED || r == JWT_MALFORMED, "peek malformed, verify: %s",
               jwt_result_text(r));
    if (r == JWT_OK)
        check_claims(&c, peek, kid);
    enum jwt_result want = expected(token, peek, kid, r);
    for (int i = 0; i < 2; i++) { /* a miss, then (when verified) a hit */
        struct auth a;
        enum jwt_result got = auth_token(cache, keys, NULL, token, NOW, &a);
        FUZZ_CHECK(got == want, "auth_token #%d: %s, direct: %s", i, jwt_result_text(got),
                   jwt_result_text(want));
        if (got == JWT_OK)
            FUZZ_CHECK(strcmp(a.intp_id, c.kid) == 0 && a.roles == c.roles &&
                           strcmp(a.intpc_id, c.intpc_id) == 0,
                       "cached auth differs from the claims");
    }
    check_base64url(token);
    return r;
}

/* The token of an Authorization value as auth_bearer reads it: after "Bearer " (any case) and
 * more spaces; NULL when absent or empty. */
static const char *bearer(const char *header)
{
    if (strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    header += 7;
    while (*header == ' ')
        header++;
    return *header ? header : NULL;
}

static void check_header(const char *header)
{
    struct auth a, b;
    const char *token = bearer(header);
    enum jwt_result via_header = auth_bearer(cache, keys, NULL, header, NOW, &a);
    enum jwt_result via_token = token ? auth_token(cache, keys, NULL, token, NOW, &b) : JWT_MISSING;
    FUZZ_CHECK(via_header == via_token, "auth_bearer: %s, auth_token: %s",
               jwt_result_text(via_header), jwt_result_text(via_token));
    if (token)
        check_token(token);
}

static void check_signed(char *text, size_t len)
{
    char *claims;
    fuzz_split_line(text, len, &claims);
    char *token = jwt_sign_rs256(text, claims ? claims : "", demo_priv);
    FUZZ_CHECK(token, "signing failed");
    enum jwt_result r = check_token(token);
    FUZZ_CHECK(r != JWT_BAD_SIGNATURE && r != JWT_UNKNOWN_KID && r != JWT_MISSING,
               "a token signed with the demo key: %s", jwt_result_text(r));
    free(token);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = fuzz_text(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0:
        check_token(text);
        break;
    case 1:
        check_header(text);
        break;
    default:
        check_signed(text, size - 1);
        break;
    }
    free(text);
    return 0;
}
