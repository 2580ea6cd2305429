/* Unit tests of auth/keypool.c: keys come out usable, the pool fills itself after the first take,
 * and freeing it with the filler running leaks nothing (the sanitizer build checks). */
#include <unistd.h>

#include <openssl/evp.h>

#include "auth/keypool.h"
#include "auth/keys.h"
#include "tap.h"

static int is_rsa_2048(EVP_PKEY *key)
{
    return key && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) == 2048;
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
    EVP_PKEY *a = keypool_take(pool), *b = keypool_take(pool);
    ok(is_rsa_2048(a) && is_rsa_2048(b) && !keys_match(a, b), "ready keys are distinct pairs");
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    keypool_free(pool); /* the filler is generating again: stop and join it */
    ok(1, "freeing a pool whose filler is running returns");
    return done_testing();
}
