/* Store of customers (INTPCs): SQL only. */
#ifndef MOCK3AS_CUSTOMERS_DB_H
#define MOCK3AS_CUSTOMERS_DB_H

#include <stdint.h>

#include "store/db.h"
#include "util/util.h"

#define MAX_EXTERNAL_ID 255 /* intpCustomerId, intpWebsiteId, email, domain: bytes */

struct customer {
    char id[UUID_SIZE]; /* 3AS id, also visaId */
    char intp_id[INTP_ID_SIZE];
    char intp_customer_id[MAX_EXTERNAL_ID + 1];
    char email[MAX_EXTERNAL_ID + 1];
    int64_t created_at;
};

/* Insert `c`. DB_CONFLICT when its intpCustomerId or email is taken within the partner. */
enum db_result customers_db_insert(struct db *db, const struct customer *c);

/* The partner's customer `intp_customer_id` into *out; DB_NOT_FOUND when unknown. */
enum db_result customers_db_get(struct db *db, const char *intp_id, const char *intp_customer_id,
                                struct customer *out);

/* Customer `id` (3AS id) into *out. */
enum db_result customers_db_get_by_id(struct db *db, const char *id, struct customer *out);

/* DB_OK when a customer of the partner has `email` (case-insensitive), else DB_NOT_FOUND. */
enum db_result customers_db_email_taken(struct db *db, const char *intp_id, const char *email);

/* Page `page` (0-based) of `size` customers in creation order, each passed to `fn`; and the
 * partner's total. */
enum db_result customers_db_list(struct db *db, const char *intp_id, int64_t page, int64_t size,
                                 void (*fn)(const struct customer *c, void *ctx), void *ctx);
enum db_result customers_db_count(struct db *db, const char *intp_id, int64_t *total);

/* Delete customer `id` (3AS id) and, by cascade, its websites, subscriptions, keys, roles. */
enum db_result customers_db_delete(struct db *db, const char *id);

#endif
