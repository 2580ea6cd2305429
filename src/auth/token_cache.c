/* Bearer-token authentication with a direct-mapped cache of verified tokens. */
#include "auth/token_cache.h"

#include <pthread.h>
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
    pthread_mutex_t lock; /* guards entries and counters */
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
    pthread_mutex_init(&c->lock, NULL);
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
    pthread_mutex_destroy(&cache->lock);
    free(cache->entries);
    free(cache);
}

void token_cache_clear(struct token_cache *cache)
{
    pthread_mutex_lock(&cache->lock);
    memset(cache->entries, 0, (cache->mask + 1) * sizeof(*cache->entries));
    pthread_mutex_unlock(&cache->lock);
}

uint64_t token_cache_hits(struct token_cache *cache)
{
    pthread_mutex_lock(&cache->lock);
    uint64_t n = cache->hits;
    pthread_mutex_unlock(&cache->lock);
    return n;
}

uint64_t token_cache_misses(struct token_cache *cache)
{
    pthread_mutex_lock(&cache->lock);
    uint64_t n = cache->misses;
    pthread_mutex_unlock(&cache->lock);
    return n;
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

/* Remember in `out` which token it came from (never kept in the cache: set after remember). */
static void note_token(struct auth *out, const char *token, const unsigned char hash[32])
{
    out->token_at = token;
    memcpy(out->token_sha256, hash, sizeof(out->token_sha256));
}

/* Verify with RSA: kid -> key, then the full check. */
static enum jwt_result verify(struct keystore *keys, void *load_ctx, const char *token, int64_t now,
                              struct jwt_claims *claims)
{
    char kid[JWT_MAX_ID + 1];
    enum jwt_result r = jwt_peek_kid(token, kid);
    if (r != JWT_OK)
        return r;
    EVP_PKEY *key = keystore_get(keys, kid, load_ctx);
    if (!key)
        return JWT_UNKNOWN_KID;
    r = jwt_verify_rs256(token, key, now, claims);
    EVP_PKEY_free(key);
    return r;
}

enum jwt_result auth_bearer(struct token_cache *cache, struct keystore *keys, void *load_ctx,
                            const char *authorization, int64_t now, struct auth *out)
{
    return auth_token(cache, keys, load_ctx, bearer_token(authorization), now, out);
}

/* The cached verification of the token of SHA-256 `hash`: JWT_OK with *out, JWT_EXPIRED (and
 * the entry dropped), or JWT_MISSING when the cache does not hold it. */
static enum jwt_result cached(struct token_cache *cache, const unsigned char *hash, int64_t now,
                              struct auth *out)
{
    size_t slot;
    enum jwt_result r = JWT_MISSING;
    memcpy(&slot, hash, sizeof(slot));
    pthread_mutex_lock(&cache->lock);
    struct token_entry *e = &cache->entries[slot & cache->mask];
    if (memcmp(e->hash, hash, 32) != 0) {
        cache->misses++;
    } else if (now >= e->exp + JWT_SKEW_SECONDS) {
        memset(e, 0, sizeof(*e));
        r = JWT_EXPIRED;
    } else {
        cache->hits++;
        *out = e->auth;
        r = JWT_OK;
    }
    pthread_mutex_unlock(&cache->lock);
    return r;
}

static void remember(struct token_cache *cache, const unsigned char *hash, int64_t exp,
                     const struct auth *auth)
{
    size_t slot;
    memcpy(&slot, hash, sizeof(slot));
    pthread_mutex_lock(&cache->lock);
    struct token_entry *e = &cache->entries[slot & cache->mask];
    memcpy(e->hash, hash, sizeof(e->hash));
    e->exp = exp;
    e->auth = *auth;
    pthread_mutex_unlock(&cache->lock);
}

enum jwt_result auth_bearer_cached(struct token_cache *cache, const char *authorization,
                                   int64_t now, struct auth *out)
{
    unsigned char hash[32];
    const char *token = bearer_token(authorization);
    if (!token || strlen(token) > JWT_MAX_TOKEN)
        return JWT_MISSING;
    EVP_Digest(token, strlen(token), hash, NULL, cache->sha256, NULL);
    enum jwt_result r = cached(cache, hash, now, out);
    if (r == JWT_OK)
        note_token(out, token, hash);
    return r;
}

enum jwt_result auth_token(struct token_cache *cache, struct keystore *keys, void *load_ctx,
                           const char *token, int64_t now, struct auth *out)
{
    unsigned char hash[32];
    struct jwt_claims claims;
    if (!token || !*token)
        return JWT_MISSING;
    if (strlen(token) > JWT_MAX_TOKEN)
        return JWT_MALFORMED;
    EVP_Digest(token, strlen(token), hash, NULL, cache->sha256, NULL);
    enum jwt_result r = cached(cache, hash, now, out);
    if (r == JWT_OK)
        note_token(out, token, hash);
    if (r != JWT_MISSING)
        return r;
    r = verify(keys, load_ctx, token, now, &claims);
    if (r != JWT_OK)
        return r;
    claims_to_auth(&claims, out);
    remember(cache, hash, claims.exp, out);
    note_token(out, token, hash);
    return JWT_OK;
}
