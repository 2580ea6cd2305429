/* Store of packages: SQL only. The partner-facing package routes come with the resources
 * issue; onboarding needs the default catalogue now. */
#ifndef MOCK3AS_PACKAGES_DB_H
#define MOCK3AS_PACKAGES_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

#define UFT_PACKAGE_NAME "unlimited_30_day_free_trial"

struct package {
    char id[37];
    const char *intp_id;
    const char *name;
    int64_t price_cents;
    const char *currency; /* "EUR" | "USD" | "RON" */
    const char *period;   /* "monthly" | "yearly" */
    int64_t touchpoints;  /* -1: unlimited */
    bool recommended;
    const char *visibility; /* "public" | "restricted" */
    bool is_default;        /* made by onboarding */
    int64_t created_at;
};

/* Insert `p` (its id already set). DB_CONFLICT on a duplicate id. */
enum db_result packages_db_insert(struct db *db, const struct package *p);

/* Create partner `intp_id`'s default catalogue at time `now` (contract §4.5): Free 440 …
 * Unicorn 5,500,000 monthly in EUR, each also yearly at 12 × (monthly − 20 %), plus the
 * unlimited 30-day free trial. Returns DB_OK or the first failure. */
enum db_result packages_db_create_catalogue(struct db *db, const char *intp_id, int64_t now);

#endif
