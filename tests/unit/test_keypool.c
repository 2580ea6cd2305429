/* Unit tests of auth/keypool.c: keys come out usable, the pool fills itself after the first take
 * on a thread that yields the CPU to every other, keypool_wait() returns with a pair ready, and
 * freeing it with the filler running leaks nothing (the sanitizer build checks). */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "auth/keypool.h"
#include "auth/keys.h"
#include "tap.h"

static int is_rsa_2048(EVP_PKEY *key)
{
    return key && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) == 2048;
}

/* Whether this process may put a thread under SCHED_IDLE (5): a thread of its own tries. */
static void *try_idle(void *arg)
{
    struct sched_param p = {0};
    *(int *)arg = sched_setscheduler(0, 5, &p) == 0;
    return NULL;
}

static int idle_allowed(void)
{
    int allowed = 0;
    pthread_t t;
    if (pthread_create(&t, NULL, try_idle, &allowed) == 0)
        pthread_join(t, NULL);
    return allowed;
}

/* Whether a thread of this process runs under SCHED_IDLE (or, with `nice_instead`, at nice 10):
 * the filler. */
static int filler_found(int nice_instead)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            pid_t tid = (pid_t)atoi(e->d_name);
            found = nice_instead ? getpriority(PRIO_PROCESS, (id_t)tid) == 10
                                 : sched_getscheduler(tid) == 5;
        }
    if (d)
        closedir(d);
    return found;
}

int main(void)
{
    EVP_PKEY *k = keypool_take(NULL);
    ok(is_rsa_2048(k), "without a pool a key is generated in place");
    EVP_PKEY_free(k);

    struct keypool *pool = keypool_new(2);
    ok(keypool_ready(pool) == 0, "a new pool generates nothing before it is asked");
    k = keypool_take(pool);
    ok(is_rsa_2048(k), "the first take is served at once (generated in place)");
    EVP_PKEY_free(k);
    for (int i = 0; i < 300 && keypool_ready(pool) < 2; i++)
        usleep(100 * 1000);
    ok(keypool_ready(pool) == 2, "then the pool fills itself to its target");
    int idle = idle_allowed();
    ok(filler_found(!idle), "on a thread under %s",
       idle ? "SCHED_IDLE" : "nice 10 (SCHED_IDLE refused)");
    EVP_PKEY *a = keypool_take(pool), *b = keypool_take(pool);
    ok(is_rsa_2048(a) && is_rsa_2048(b) && !keys_match(a, b), "ready keys are distinct pairs");
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    keypool_free(pool); /* the filler is generating again: stop and join it */
    ok(1, "freeing a pool whose filler is running returns");

    pool = keypool_new(1);
    keypool_wait(pool);
    ok(keypool_ready(pool) >= 1, "keypool_wait on a new pool returns with a pair ready");
    k = keypool_take(pool);
    ok(is_rsa_2048(k), "and it is a key");
    EVP_PKEY_free(k);
    keypool_wait(pool);
    ok(keypool_ready(pool) >= 1, "again once it was taken");
    keypool_free(pool);
    return done_testing();
}
