/* A pool of pre-generated RSA-2048 key pairs, filled by one background thread. */
#include "auth/keypool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "auth/keys.h"
#include "util/util.h"

#define KEYPOOL_BITS 2048
#define KEYPOOL_MAX  64
/* The filler's nice value (Linux: per thread). A key costs 50-100 ms of CPU; on two cores,
 * onboarding 20 partners kept one busy for over a second, and other partners' requests queued
 * behind it for the CPU (bench/fairness.mjs). Raising one's own nice value needs no privilege. */
#define KEYPOOL_NICE 10

struct keypool {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a key was taken, or stop */
    EVP_PKEY *keys[KEYPOOL_MAX];
    size_t n, target;
    bool started, stop;
    pthread_t thread;
};

struct keypool *keypool_new(size_t target)
{
    struct keypool *pool = xcalloc(1, sizeof(*pool));
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pool->target = target < 1 ? 1 : target > KEYPOOL_MAX ? KEYPOOL_MAX : target;
    return pool;
}

/* The filler: generate outside the lock until the pool holds `target`, then sleep until a key
 * is taken. */
static void *fill(void *arg)
{
    struct keypool *pool = arg;
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
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

EVP_PKEY *keypool_take(struct keypool *pool)
{
    EVP_PKEY *key = NULL;
    if (!pool)
        return keys_generate_rsa(KEYPOOL_BITS);
    pthread_mutex_lock(&pool->lock);
    if (!pool->started && !pool->stop)
        pool->started = pthread_create(&pool->thread, NULL, fill, pool) == 0;
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
    EVP_PKEY *key = keys_generate_rsa(KEYPOOL_BITS); /* on the caller's thread, unlocked */
    if (!key)
        return;
    pthread_mutex_lock(&pool->lock);
    if (!pool->started && !pool->stop)
        pool->started = pthread_create(&pool->thread, NULL, fill, pool) == 0;
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
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}
