/* Bearer-token authentication: the partner's key from the keystore, RS256 verification (jwt.c)
 * and a bounded cache of verified tokens, so that a repeated token costs no RSA verify. */
#ifndef MOCK3AS_TOKEN_CACHE_H
#define MOCK3AS_TOKEN_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/jwt.h"
#include "auth/keys.h"
#include "util/util.h"

/* Who a verified request speaks for. */
struct auth {
    char intp_id[JWT_MAX_ID + 1];        /* "" when the route is not partner-scoped */
    unsigned roles;                      /* enum jwt_role bits */
    char intpc_id[JWT_MAX_INTPC_ID + 1]; /* the customer of an intpc token, else "" */
    char website_id[UUID_SIZE];          /* the website of an X-Api-Key or websiteToken, else "" */
    /* after a bearer token was accepted: where it starts (in the caller's string) and its
     * SHA-256, which the request journal's fingerprint of the header reuses; else NULL */
    const char *token_at;
    unsigned char token_sha256[32];
};

struct token_cache;

/* A cache of `slots` entries (rounded up to a power of two), direct-mapped by the SHA-256 of
 * the token: a colliding token replaces the older one. Entries live until the token's exp. */
struct token_cache *token_cache_new(size_t slots);
void token_cache_free(struct token_cache *cache);

/* Forget every entry (after a partner's key is removed or replaced). */
void token_cache_clear(struct token_cache *cache);

/* Verifications the cache answered / had to pass on to RSA since creation. */
uint64_t token_cache_hits(struct token_cache *cache);
uint64_t token_cache_misses(struct token_cache *cache);

/* Authenticate an Authorization header value ("Bearer <jwt>", may be NULL) at wall-clock `now`;
 * a key not held yet is loaded with `load_ctx` (keystore_get). Returns JWT_OK with *out filled,
 * or the reason for the 401. Safe to call from several threads. */
enum jwt_result auth_bearer(struct token_cache *cache, struct keystore *keys, void *load_ctx,
                            const char *authorization, int64_t now, struct auth *out);

/* auth_bearer() as far as the cache knows: JWT_OK with *out filled for a token verified before
 * and not expired; JWT_MISSING when the cache does not hold it (or JWT_EXPIRED). Never loads a
 * key or verifies a signature, so it costs a hash and a lookup. */
enum jwt_result auth_bearer_cached(struct token_cache *cache, const char *authorization,
                                   int64_t now, struct auth *out);

/* The same for a bare token (the dashboard's intpc_token query parameter); NULL or "" is
 * JWT_MISSING. */
enum jwt_result auth_token(struct token_cache *cache, struct keystore *keys, void *load_ctx,
                           const char *token, int64_t now, struct auth *out);

#endif
