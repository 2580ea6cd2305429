/* A pool of pre-generated RSA-2048 key pairs, filled by one background thread. */
#include "auth/keypool.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "auth/keys.h"
#include "util/util.h"

#define KEYPOOL_BITS 2048
#define KEYPOOL_MAX  64
/* The filler runs under SCHED_IDLE (Linux: per thread; lowering one's own priority needs no
 * privilege): it gets the CPU only when no other thread wants it, and any request's thread
 * that wakes up takes the CPU from it at once. A key costs 50-100 ms of CPU; on two cores,
 * onboarding 20 partners at nice 10 (the setting before) still doubled the p99 of another
 * partner's requests (bench/fairness.mjs). It holds no lock while it generates, so starving it
 * delays nobody but a caller of keypool_wait(), which generates the pair itself after
 * KEYPOOL_WAIT_MS. Where SCHED_IDLE is refused, nice KEYPOOL_NICE. */
#ifndef SCHED_IDLE
#define SCHED_IDLE 5 /* <sched.h> shows it with _GNU_SOURCE only */
#endif
#define KEYPOOL_NICE    10
#define KEYPOOL_WAIT_MS 500 /* keypool_wait() waits this long for the filler, at most */

struct keypool {
    pthread_mutex_t lock;
    pthread_cond_t wake;   /* a key was taken or is awaited, or stop */
    pthread_cond_t filled; /* a key was added, or the filler ended (CLOCK_MONOTONIC) */
    EVP_PKEY *keys[KEYPOOL_MAX];
    size_t n, target;
    bool started, stop, ended; /* ended: the filler stopped (asked to, or generation failed) */
    pthread_t thread;
};

struct keypool *keypool_new(size_t target)
{
    struct keypool *pool = xcalloc(1, sizeof(*pool));
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&pool->filled, &monotonic);
    pthread_condattr_destroy(&monotonic);
    pool->target = target < 1 ? 1 : target > KEYPOOL_MAX ? KEYPOOL_MAX : target;
    return pool;
}

/* The filler: generate outside the lock until the pool holds `target`, then sleep until a key
 * is taken. */
static void *fill(void *arg)
{
    struct keypool *pool = arg;
    struct sched_param idle = {0};
    if (sched_setscheduler(0, SCHED_IDLE, &idle))                           /* the calling thread */
        setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), KEYPOOL_NICE); /* best effort */
    pthread_mutex_lock(&pool->lock);
    while (!pool->stop) {
        if (pool->n >= pool->target) {
            pthread_cond_wait(&pool->wake, &pool->lock);
            continue;
        }
        pthread_mutex_unlock(&pool->lock);
        EVP_PKEY *key = keys_generate_rsa(KEYPOOL_BITS);
        pthread_mutex_lock(&pool->lock);
        if (!key)
            break; /* takes generate in place from now on */
        if (pool->n < KEYPOOL_MAX)
            pool->keys[pool->n++] = key;
        else
            EVP_PKEY_free(key);
        pthread_cond_broadcast(&pool->filled);
    }
    pool->ended = true;
    pthread_cond_broadcast(&pool->filled);
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

/* Start the filler unless it runs, was stopped, or could not start before (pool->lock held). */
static void start_filler(struct keypool *pool)
{
    if (!pool->started && !pool->stop)
        pool->started = pthread_create(&pool->thread, NULL, fill, pool) == 0;
}

EVP_PKEY *keypool_take(struct keypool *pool)
{
    EVP_PKEY *key = NULL;
    if (!pool)
        return keys_generate_rsa(KEYPOOL_BITS);
    pthread_mutex_lock(&pool->lock);
    start_filler(pool);
    if (pool->n)
        key = pool->keys[--pool->n];
    pthread_cond_signal(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    return key ? key : keys_generate_rsa(KEYPOOL_BITS);
}

void keypool_wait(struct keypool *pool)
{
    if (!pool || keypool_ready(pool))
        return;
    /* the filler's next pair, for KEYPOOL_WAIT_MS at most */
    struct timespec until = time_mono_timespec(time_mono_us() + KEYPOOL_WAIT_MS * 1000);
    pthread_mutex_lock(&pool->lock);
    start_filler(pool);
    pthread_cond_signal(&pool->wake);
    while (pool->n == 0 && pool->started && !pool->ended)
        if (pthread_cond_timedwait(&pool->filled, &pool->lock, &until) == ETIMEDOUT)
            break;
    bool ready = pool->n > 0;
    pthread_mutex_unlock(&pool->lock);
    if (ready)
        return;
    EVP_PKEY *key = keys_generate_rsa(KEYPOOL_BITS); /* on the caller's thread, unlocked */
    if (!key)
        return;
    pthread_mutex_lock(&pool->lock);
    start_filler(pool); /* again, should it have failed to start above */
    if (pool->n < KEYPOOL_MAX)
        pool->keys[pool->n++] = key;
    else
        EVP_PKEY_free(key);
    pthread_mutex_unlock(&pool->lock);
}

size_t keypool_ready(struct keypool *pool)
{
    pthread_mutex_lock(&pool->lock);
    size_t n = pool->n;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

void keypool_free(struct keypool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = true;
    pthread_cond_signal(&pool->wake);
    bool started = pool->started;
    pthread_mutex_unlock(&pool->lock);
    if (started)
        pthread_join(pool->thread, NULL);
    for (size_t i = 0; i < pool->n; i++)
        EVP_PKEY_free(pool->keys[i]);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->filled);
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}
