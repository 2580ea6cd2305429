/* RSA keys: PEM parsing and export, key-pair generation, and the keystore that maps a partner id
 * (the JWT kid) to its parsed public key, so that a key is parsed once, not per request. */
#ifndef MOCK3AS_KEYS_H
#define MOCK3AS_KEYS_H

#include <stdbool.h>

#include <openssl/evp.h>

#define KEYS_MIN_RSA_BITS 2048

/* Parse an RSA public key from PEM, SPKI ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY").
 * Returns a key the caller owns (EVP_PKEY_free), or NULL when the text is no such key or the
 * key is shorter than KEYS_MIN_RSA_BITS. */
EVP_PKEY *keys_parse_public_pem(const char *pem);

/* Parse an RSA private key from PEM (PKCS#8 or PKCS#1). Same ownership and limits. */
EVP_PKEY *keys_parse_private_pem(const char *pem);

/* Generate a fresh RSA key pair of `bits`. The caller owns it; NULL on failure. */
EVP_PKEY *keys_generate_rsa(int bits);

/* The SPKI public PEM / PKCS#8 private PEM of `key`, as new strings the caller frees. */
char *keys_public_pem(EVP_PKEY *key);
char *keys_private_pem(EVP_PKEY *key);

/* true when `priv` is the private half of `pub`. */
bool keys_match(EVP_PKEY *pub, EVP_PKEY *priv);

/* partner id -> public key. Safe to share between threads. */
struct keystore;

/* Loads the public key of `id` from wherever partners are stored (`ctx`: what the caller of
 * keystore_get passed, e.g. its thread's database connection); returns a key the keystore then
 * owns, or NULL when there is no such partner. */
typedef EVP_PKEY *(*keystore_load_fn)(void *ctx, const char *id);

/* A keystore that calls `load` (may be NULL) for an id it does not hold yet, so that a key is
 * parsed once, on first use, also when another process onboarded the partner. */
struct keystore *keystore_new(keystore_load_fn load);
void keystore_free(struct keystore *ks);

/* Store `key` for `id`, taking ownership of it; replaces (and frees) an earlier key. */
void keystore_put(struct keystore *ks, const char *id, EVP_PKEY *key);

/* The key of `id` (loaded on a miss with `load_ctx`), as a new reference the caller releases
 * with EVP_PKEY_free (so that another thread may replace or remove the entry meanwhile); NULL
 * when there is no such partner. */
EVP_PKEY *keystore_get(struct keystore *ks, const char *id, void *load_ctx);

void keystore_remove(struct keystore *ks, const char *id);
void keystore_clear(struct keystore *ks);

#endif
