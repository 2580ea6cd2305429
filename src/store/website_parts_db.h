/* Stores of what hangs below one website: whitelisted domains, API keys and contributors.
 * SQL only; `website_id` is always the 3AS website uuid. */
#ifndef MOCK3AS_WEBSITE_PARTS_DB_H
#define MOCK3AS_WEBSITE_PARTS_DB_H

#include <stdint.h>

#include "store/customers_db.h"
#include "store/db.h"

/* ---- whitelisted domains (whitelist_db.c) ---- */

/* Add `domain` (adding it again is a no-op) / remove it (removing an absent one is fine). */
enum db_result whitelist_db_add(struct db *db, const char *website_id, const char *domain,
                                int64_t now);
enum db_result whitelist_db_remove(struct db *db, const char *website_id, const char *domain);

/* Each domain in the order it was added. */
enum db_result whitelist_db_foreach(struct db *db, const char *website_id,
                                    void (*fn)(const char *domain, void *ctx), void *ctx);

/* ---- API keys (apikeys_db.c) ---- */

struct api_key {
    char id[37];
    char website_id[37];
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

/* The key with SHA-256 `hash`, with its website's partner ids. */
struct api_key_owner {
    char id[37];
    char website_id[37];
    int64_t expires_at; /* -1: never */
    char intp_id[65];
    char intp_website_id[MAX_EXTERNAL_ID + 1];
};
enum db_result apikeys_db_find(struct db *db, const unsigned char hash[32],
                               struct api_key_owner *out);

/* Hash an API key or a refresh token as stored: SHA-256 into out[32]. */
void secret_hash(const char *secret, unsigned char out[32]);

/* ---- refresh tokens of the API-key login (apikeys_db.c) ---- */

enum db_result refresh_db_insert(struct db *db, const unsigned char hash[32],
                                 const char *website_id, const char *api_key_id, int64_t now,
                                 int64_t expires_at);

/* The website a refresh token opens (uuid into website_id[37], its partner into intp_id[65]),
 * if the token is known and not expired at wall time `now`. */
enum db_result refresh_db_find(struct db *db, const unsigned char hash[32], int64_t now,
                               char *website_id, char *intp_id);

/* ---- contributors (contributors_db.c) ---- */

/* Give customer `customer_id` (3AS id) `role` on the website, replacing an earlier role. */
enum db_result contributors_db_set(struct db *db, const char *website_id, const char *customer_id,
                                   const char *role, int64_t now);

/* Remove the customer's role: DB_NOT_FOUND when it had none. */
enum db_result contributors_db_remove(struct db *db, const char *website_id,
                                      const char *customer_id);

/* The role of customer `customer_id` on the website into role[16]; DB_NOT_FOUND for none. */
enum db_result contributors_db_role(struct db *db, const char *website_id, const char *customer_id,
                                    char *role);

/* Each contributor in the order they were added: role, intpCustomerId, email. */
enum db_result contributors_db_foreach(struct db *db, const char *website_id,
                                       void (*fn)(const char *role, const char *intp_customer_id,
                                                  const char *email, void *ctx),
                                       void *ctx);

#endif
