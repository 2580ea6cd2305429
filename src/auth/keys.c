/* RSA keys through OpenSSL 3's decoder/encoder API, and a chained hash table from partner id to
 * parsed public key. */
#include "auth/keys.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/rsa.h>

#include "util/util.h"

static EVP_PKEY *parse_pem(const char *pem, int selection)
{
    EVP_PKEY *key = NULL;
    const unsigned char *data = (const unsigned char *)pem;
    size_t len = strlen(pem);
    OSSL_DECODER_CTX *dctx =
        OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, "RSA", selection, NULL, NULL);
    if (!dctx)
        return NULL;
    if (OSSL_DECODER_from_data(dctx, &data, &len) != 1)
        key = NULL;
    OSSL_DECODER_CTX_free(dctx);
    if (key &&
        (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || EVP_PKEY_get_bits(key) < KEYS_MIN_RSA_BITS)) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    return key;
}

EVP_PKEY *keys_parse_public_pem(const char *pem)
{
    if (!strstr(pem, "-----BEGIN PUBLIC KEY-----") &&
        !strstr(pem, "-----BEGIN RSA PUBLIC KEY-----"))
        return NULL;
    return parse_pem(pem, EVP_PKEY_PUBLIC_KEY);
}

EVP_PKEY *keys_parse_private_pem(const char *pem)
{
    if (!strstr(pem, "PRIVATE KEY-----"))
        return NULL;
    return parse_pem(pem, EVP_PKEY_KEYPAIR);
}

/* EVP_PKEY_CTX_set_cb's callback, called for each candidate prime and each of its tests: a
 * pair costs 50-200 ms of one core, which other partners' requests on that core need not wait
 * for (util.h: cpu_share). Never stops the generation. */
static int share_cpu(EVP_PKEY_CTX *ctx)
{
    (void)ctx;
    cpu_share();
    return 1;
}

EVP_PKEY *keys_generate_rsa(int bits)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1) {
        EVP_PKEY_CTX_set_cb(ctx, share_cpu);
        if (EVP_PKEY_generate(ctx, &key) != 1)
            key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return key;
}

static char *encode_pem(EVP_PKEY *key, int selection, const char *structure)
{
    unsigned char *data = NULL;
    size_t len = 0;
    char *out = NULL;
    OSSL_ENCODER_CTX *ectx = OSSL_ENCODER_CTX_new_for_pkey(key, selection, "PEM", structure, NULL);
    if (ectx && OSSL_ENCODER_to_data(ectx, &data, &len) == 1)
        out = xstrndup((const char *)data, len);
    OPENSSL_free(data);
    OSSL_ENCODER_CTX_free(ectx);
    return out;
}

char *keys_public_pem(EVP_PKEY *key)
{
    return encode_pem(key, EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo");
}

char *keys_private_pem(EVP_PKEY *key)
{
    return encode_pem(key, EVP_PKEY_KEYPAIR, "PrivateKeyInfo");
}

bool keys_match(EVP_PKEY *pub, EVP_PKEY *priv)
{
    return EVP_PKEY_eq(pub, priv) == 1;
}

/* ---- keystore: a chained hash table, doubled when the load passes 1 ---- */

struct key_entry {
    char *id;
    EVP_PKEY *key;
    struct key_entry *next;
};

struct keystore {
    keystore_load_fn load;
    pthread_mutex_t lock; /* guards the table; never held while loading */
    struct key_entry **buckets;
    size_t nbuckets; /* a power of two */
    size_t count;
};

struct keystore *keystore_new(keystore_load_fn load)
{
    struct keystore *ks = xcalloc(1, sizeof(*ks));
    ks->load = load;
    pthread_mutex_init(&ks->lock, NULL);
    ks->nbuckets = 64;
    ks->buckets = xcalloc(ks->nbuckets, sizeof(*ks->buckets));
    return ks;
}

static void clear_locked(struct keystore *ks)
{
    for (size_t i = 0; i < ks->nbuckets; i++) {
        struct key_entry *e = ks->buckets[i];
        while (e) {
            struct key_entry *next = e->next;
            EVP_PKEY_free(e->key);
            free(e->id);
            free(e);
            e = next;
        }
        ks->buckets[i] = NULL;
    }
    ks->count = 0;
}

void keystore_clear(struct keystore *ks)
{
    pthread_mutex_lock(&ks->lock);
    clear_locked(ks);
    pthread_mutex_unlock(&ks->lock);
}

void keystore_free(struct keystore *ks)
{
    if (!ks)
        return;
    clear_locked(ks);
    pthread_mutex_destroy(&ks->lock);
    free(ks->buckets);
    free(ks);
}

static struct key_entry **find_slot(const struct keystore *ks, const char *id)
{
    struct key_entry **slot = &ks->buckets[(size_t)fnv1a(FNV1A_OFFSET, id) & (ks->nbuckets - 1)];
    while (*slot && strcmp((*slot)->id, id) != 0)
        slot = &(*slot)->next;
    return slot;
}

static void grow(struct keystore *ks)
{
    size_t n = ks->nbuckets * 2;
    struct key_entry **buckets = xcalloc(n, sizeof(*buckets));
    for (size_t i = 0; i < ks->nbuckets; i++) {
        struct key_entry *e = ks->buckets[i];
        while (e) {
            struct key_entry *next = e->next;
            size_t b = (size_t)fnv1a(FNV1A_OFFSET, e->id) & (n - 1);
            e->next = buckets[b];
            buckets[b] = e;
            e = next;
        }
    }
    free(ks->buckets);
    ks->buckets = buckets;
    ks->nbuckets = n;
}

static void put_locked(struct keystore *ks, const char *id, EVP_PKEY *key)
{
    struct key_entry **slot = find_slot(ks, id);
    if (*slot) {
        EVP_PKEY_free((*slot)->key);
        (*slot)->key = key;
        return;
    }
    struct key_entry *e = xcalloc(1, sizeof(*e));
    e->id = xstrdup(id);
    e->key = key;
    *slot = e;
    if (++ks->count > ks->nbuckets)
        grow(ks);
}

void keystore_put(struct keystore *ks, const char *id, EVP_PKEY *key)
{
    pthread_mutex_lock(&ks->lock);
    put_locked(ks, id, key);
    pthread_mutex_unlock(&ks->lock);
}

/* A new reference to the held key of `id`, or NULL. */
static EVP_PKEY *held(struct keystore *ks, const char *id)
{
    pthread_mutex_lock(&ks->lock);
    struct key_entry *e = *find_slot(ks, id);
    EVP_PKEY *key = e && EVP_PKEY_up_ref(e->key) == 1 ? e->key : NULL;
    pthread_mutex_unlock(&ks->lock);
    return key;
}

EVP_PKEY *keystore_get(struct keystore *ks, const char *id, void *load_ctx)
{
    EVP_PKEY *key = held(ks, id);
    if (key || !ks->load)
        return key;
    key = ks->load(load_ctx, id); /* unlocked: it may read the database */
    if (!key)
        return NULL;
    pthread_mutex_lock(&ks->lock);
    if (!*find_slot(ks, id)) { /* else another thread held it meanwhile: ours is the caller's */
        put_locked(ks, id, key);
        if (EVP_PKEY_up_ref(key) != 1)
            key = NULL;
    }
    pthread_mutex_unlock(&ks->lock);
    return key;
}

void keystore_remove(struct keystore *ks, const char *id)
{
    pthread_mutex_lock(&ks->lock);
    struct key_entry **slot = find_slot(ks, id), *e = *slot;
    if (e) {
        *slot = e->next;
        EVP_PKEY_free(e->key);
        free(e->id);
        free(e);
        ks->count--;
    }
    pthread_mutex_unlock(&ks->lock);
}
