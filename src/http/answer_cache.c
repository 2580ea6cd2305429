/* A direct-mapped cache of rendered read answers, valid per database epoch and partner clock. */
#include "http/answer_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "billing/clock.h"
#include "util/util.h"

struct answer {
    char *key; /* NULL: empty slot */
    uint64_t hash;
    struct answer_basis basis;
    char *body;
    size_t len;
};

struct answer_cache {
    pthread_mutex_t lock;
    struct answer slots[ANSWER_CACHE_SLOTS];
    size_t bytes; /* bodies held */
    uint64_t hits, misses;
};

struct answer_cache *answer_cache_new(void)
{
    struct answer_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void slot_clear(struct answer_cache *c, struct answer *a)
{
    c->bytes -= a->len;
    free(a->key);
    free(a->body);
    memset(a, 0, sizeof(*a));
}

void answer_cache_free(struct answer_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < ANSWER_CACHE_SLOTS; i++)
        slot_clear(c, &c->slots[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void answer_cache_put(struct answer_cache *c, const char *key, const struct answer_basis *basis,
                      const char *body, size_t len)
{
    uint64_t h = fnv1a(FNV1A_OFFSET, key);
    if (len > ANSWER_CACHE_MAX_BODY)
        return;
    char *k = xstrdup(key), *b = xmalloc(len);
    memcpy(b, body, len);
    pthread_mutex_lock(&c->lock);
    struct answer *a = &c->slots[h % ANSWER_CACHE_SLOTS];
    slot_clear(c, a); /* a colliding key replaces the older one */
    if (c->bytes + len <= ANSWER_CACHE_MAX_BYTES) {
        *a = (struct answer){.key = k, .hash = h, .basis = *basis, .body = b, .len = len};
        c->bytes += len;
        k = b = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    free(k);
    free(b);
}

char *answer_cache_get(struct answer_cache *c, const char *key, uint64_t epoch, int64_t wall,
                       size_t *len)
{
    uint64_t h = fnv1a(FNV1A_OFFSET, key);
    char *copy = NULL;
    pthread_mutex_lock(&c->lock);
    struct answer *a = &c->slots[h % ANSWER_CACHE_SLOTS];
    if (a->key && a->hash == h && strcmp(a->key, key) == 0) {
        if (a->basis.epoch == epoch && clock_now(&a->basis.clock, wall) < a->basis.next_due) {
            copy = xmalloc(a->len ? a->len : 1);
            memcpy(copy, a->body, a->len);
            *len = a->len;
        } else {
            slot_clear(c, a); /* it can never be right again */
        }
    }
    if (copy)
        c->hits++;
    else
        c->misses++;
    pthread_mutex_unlock(&c->lock);
    return copy;
}

void answer_cache_counts(struct answer_cache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}
