/* Store of a website's contributors (customers with a role on it): SQL only; `website_id` is
 * the 3AS website uuid. */
#ifndef MOCK3AS_CONTRIBUTORS_DB_H
#define MOCK3AS_CONTRIBUTORS_DB_H

#include <stdint.h>

#include "store/db.h"

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
