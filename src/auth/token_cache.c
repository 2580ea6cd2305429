/* Bearer-token authentication with a direct-mapped cache of verified tokens. */
#include "auth/token_cache.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "util/util.h"

struct token_entry {
    unsigned char hash[32]; /* SHA-256 of the token; all zero: empty */
    int64_t exp;
    struct auth auth;
};

struct token_cache {
    EVP_MD *sha256; /* fetched once: an implicit fetch per digest costs more than the digest */
    struct token_entry *entries;
    size_t mask; /* slots - 1 */
    uint64_t hits, misses;
};

struct token_cache *token_cache_new(size_t slots)
{
    size_t n = 1;
    while (n < slots)
        n <<= 1;
    struct token_cache *c = xcalloc(1, sizeof(*c));
    c->entries = xcalloc(n, sizeof(*c->entries));
    c->mask = n - 1;
    c->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!c->sha256)
        abort(); /* libcrypto without SHA-256 cannot verify RS256 either */
    return c;
}

void token_cache_free(struct token_cache *cache)
{
    if (!cache)
        return;
    EVP_MD_free(cache->sha256);
    free(cache->entries);
    free(cache);
}

void token_cache_clear(struct token_cache *cache)
{
    memset(cache->entries, 0, (cache->mask + 1) * sizeof(*cache->entries));
}

uint64_t token_cache_hits(const struct token_cache *cache)
{
    return cache->hits;
}

uint64_t token_cache_misses(const struct token_cache *cache)
{
    return cache->misses;
}

/* The token after "Bearer " (scheme case-insensitive), or NULL. */
static const char *bearer_token(const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return NULL;
    const char *t = authorization + 7;
    while (*t == ' ')
        t++;
    return *t ? t : NULL;
}

static void claims_to_auth(const struct jwt_claims *c, struct auth *out)
{
    memset(out, 0, sizeof(*out));
    strcpy(out->intp_id, c->kid);
    strcpy(out->intpc_id, c->intpc_id);
    out->roles = c->roles;
}

/* Verify with RSA: kid -> key, then the full check. */
static enum jwt_result verify(struct keystore *keys, const char *token, int64_t now,
                              struct jwt_claims *claims)
{
    char kid[JWT_MAX_ID + 1];
    enum jwt_result r = jwt_peek_kid(token, kid);
    if (r != JWT_OK)
        return r;
    EVP_PKEY *key = keystore_get(keys, kid);
    if (!key)
        return JWT_UNKNOWN_KID;
    return jwt_verify_rs256(token, key, now, claims);
}

enum jwt_result auth_bearer(struct token_cache *cache, struct keystore *keys,
                            const char *authorization, int64_t now, struct auth *out)
{
    return auth_token(cache, keys, bearer_token(authorization), now, out);
}

enum jwt_result auth_token(struct token_cache *cache, struct keystore *keys, const char *token,
                           int64_t now, struct auth *out)
{
    unsigned char hash[32];
    struct jwt_claims claims;
    if (!token || !*token)
        return JWT_MISSING;
    if (strlen(token) > JWT_MAX_TOKEN)
        return JWT_MALFORMED;
    EVP_Digest(token, strlen(token), hash, NULL, cache->sha256, NULL);
    size_t slot;
    memcpy(&slot, hash, sizeof(slot));
    struct token_entry *e = &cache->entries[slot & cache->mask];
    if (memcmp(e->hash, hash, sizeof(hash)) == 0) {
        if (now >= e->exp + JWT_SKEW_SECONDS) {
            memset(e, 0, sizeof(*e));
            return JWT_EXPIRED;
        }
        cache->hits++;
        *out = e->auth;
        return JWT_OK;
    }
    cache->misses++;
    enum jwt_result r = verify(keys, token, now, &claims);
    if (r != JWT_OK)
        return r;
    claims_to_auth(&claims, out);
    memcpy(e->hash, hash, sizeof(hash));
    e->exp = claims.exp;
    e->auth = *out;
    return JWT_OK;
}
