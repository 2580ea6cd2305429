/* Rendered answers of read routes, kept while they are still right: an entry holds the bytes a
 * worker sent for one partner's GET of one URL, the database change epoch it read them under
 * (store/db.h: db_change_epoch) and the partner clock it ran on. It answers a later identical
 * request on the HTTP thread, with no database access, while nothing was committed since (by
 * any process) and the partner's clock has not reached its next scheduled transition. Bounded:
 * ANSWER_CACHE_SLOTS entries, direct-mapped, each body at most ANSWER_CACHE_MAX_BODY bytes and
 * all of them at most ANSWER_CACHE_MAX_BYTES. Safe to share between threads. */
#ifndef MOCK3AS_ANSWER_CACHE_H
#define MOCK3AS_ANSWER_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "store/clock_db.h"

#define ANSWER_CACHE_SLOTS     2048
#define ANSWER_CACHE_MAX_BODY  (64 * 1024)
#define ANSWER_CACHE_MAX_BYTES (8 * 1024 * 1024)

struct answer_cache;

/* What an entry was computed under. */
struct answer_basis {
    uint64_t epoch;             /* db_change_epoch() before the request read anything */
    struct partner_clock clock; /* the partner's clock setting it ran on */
    int64_t next_due;           /* the partner's next scheduled transition (INT64_MAX: none) */
};

struct answer_cache *answer_cache_new(void);
void answer_cache_free(struct answer_cache *c);

/* Remember `body` (len bytes, copied) as the 200 answer to `key` under `basis`. Skipped when
 * too large or over the byte budget. */
void answer_cache_put(struct answer_cache *c, const char *key, const struct answer_basis *basis,
                      const char *body, size_t len);

/* A new copy (malloc) of the answer to `key` when it is still right at database epoch `epoch`
 * and wall time `wall` (the partner's time, from the entry's clock, before its next_due);
 * NULL otherwise. *len gets its length. */
char *answer_cache_get(struct answer_cache *c, const char *key, uint64_t epoch, int64_t wall,
                       size_t *len);

/* Answers served from the cache / requests that had to go to a worker since creation. */
void answer_cache_counts(struct answer_cache *c, uint64_t *hits, uint64_t *misses);

#endif
