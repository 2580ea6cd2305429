/* Secrets kept only as a hash. */
#include "auth/secret.h"

#include <string.h>

#include <openssl/evp.h>

void secret_hash(const char *secret, unsigned char out[SECRET_HASH_SIZE])
{
    EVP_Digest(secret, strlen(secret), out, NULL, EVP_sha256(), NULL);
}
