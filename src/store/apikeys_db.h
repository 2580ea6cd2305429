/* Store of website API keys and the refresh tokens of the API-key login: SQL only. Only a
 * SHA-256 of each key or token is kept (auth/secret.h); `website_id` is the 3AS website uuid. */
#ifndef MOCK3AS_APIKEYS_DB_H
#define MOCK3AS_APIKEYS_DB_H

#include <stdint.h>

#include "store/customers_db.h"
#include "store/db.h"
#include "util/util.h"

struct api_key {
    char id[UUID_SIZE];
    char website_id[UUID_SIZE];
    char name[MAX_EXTERNAL_ID + 1];
    char comment[1025];
    unsigned char hash[32]; /* SHA-256 of the key */
    int64_t created_at;
    int64_t expires_at; /* -1: never */
};

enum db_result apikeys_db_insert(struct db *db, const struct api_key *k);

/* Each key of the website in creation order (hash left zero). */
enum db_result apikeys_db_foreach(struct db *db, const char *website_id,
                                  void (*fn)(const struct api_key *k, void *ctx), void *ctx);

/* Delete key `id` of the website: DB_NOT_FOUND when it is not one of its keys. */
enum db_result apikeys_db_delete(struct db *db, const char *website_id, const char *id);

/* The key with SHA-256 `hash`, with its website's partner ids. DB_NOT_FOUND when unknown or its
 * partner is tombstoned. */
struct api_key_owner {
    char id[UUID_SIZE];
    char website_id[UUID_SIZE];
    int64_t expires_at; /* -1: never */
    char intp_id[INTP_ID_SIZE];
    char intp_website_id[MAX_EXTERNAL_ID + 1];
};
enum db_result apikeys_db_find(struct db *db, const unsigned char hash[32],
                               struct api_key_owner *out);

/* Refresh tokens of the API-key login (D6), stored as SHA-256 too. */

enum db_result refresh_db_insert(struct db *db, const unsigned char hash[32],
                                 const char *website_id, const char *api_key_id, int64_t now,
                                 int64_t expires_at);

/* The website a refresh token opens (uuid into website_id[UUID_SIZE], its partner into
 * intp_id[INTP_ID_SIZE]), if the token is known, not expired at wall time `now` and its partner
 * is not tombstoned. */
enum db_result refresh_db_find(struct db *db, const unsigned char hash[32], int64_t now,
                               char *website_id, char *intp_id);

#endif
