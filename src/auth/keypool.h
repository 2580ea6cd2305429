/* RSA-2048 key pairs generated ahead of need by a background thread (under SCHED_IDLE: it uses
 * only CPU nobody else wants), so that onboarding a partner without a key (and the mock's own
 * signing key) does not spend ~0.1-0.3 s of RSA key generation on a thread that serves
 * requests. The thread starts on the first take, so a process that never onboards never pays
 * for it. */
#ifndef MOCK3AS_KEYPOOL_H
#define MOCK3AS_KEYPOOL_H

#include <stddef.h>

#include <openssl/evp.h>

struct keypool;

/* A pool that keeps `target` keys ready once started (1..64). */
struct keypool *keypool_new(size_t target);

/* Stop the thread (waiting for a generation under way) and free the keys. NULL is fine. */
void keypool_free(struct keypool *pool);

/* A ready key, or a freshly generated one when none is ready yet (the first take, or a burst
 * larger than the pool). The caller owns it; NULL only when generation fails. `pool` may be
 * NULL: generate in place. */
EVP_PKEY *keypool_take(struct keypool *pool);

/* Keys ready now (for tests and logs). */
size_t keypool_ready(struct keypool *pool);

/* Return once the pool holds a pair, so that the next keypool_take() is quick: for callers that
 * must not generate while holding a lock. An empty pool's filler is woken and waited for,
 * KEYPOOL_WAIT_MS (keypool.c) at most; then the calling thread generates the pair. Another
 * thread may still take that pair first. */
void keypool_wait(struct keypool *pool);

#endif
