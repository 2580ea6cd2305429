/* Store of a website's whitelisted domains: SQL only; `website_id` is the 3AS website uuid. */
#ifndef MOCK3AS_WHITELIST_DB_H
#define MOCK3AS_WHITELIST_DB_H

#include <stdint.h>

#include "store/db.h"

/* Add `domain` (adding it again is a no-op) / remove it (removing an absent one is fine). */
enum db_result whitelist_db_add(struct db *db, const char *website_id, const char *domain,
                                int64_t now);
enum db_result whitelist_db_remove(struct db *db, const char *website_id, const char *domain);

/* Each domain in the order it was added. */
enum db_result whitelist_db_foreach(struct db *db, const char *website_id,
                                    void (*fn)(const char *domain, void *ctx), void *ctx);

#endif
