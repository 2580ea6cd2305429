/* Secrets kept only as a hash: API keys and the refresh tokens of the API-key login. */
#ifndef MOCK3AS_SECRET_H
#define MOCK3AS_SECRET_H

#define SECRET_HASH_SIZE 32

/* Hash an API key or a refresh token as it is stored: SHA-256 of its text into out[32]. */
void secret_hash(const char *secret, unsigned char out[SECRET_HASH_SIZE]);

#endif
