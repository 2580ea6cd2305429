/* Store of the per-partner clock: an offset from the wall clock, or a frozen moment, kept on
 * the partner's row. SQL only; what the clock means is billing/clock.h. */
#ifndef MOCK3AS_CLOCK_DB_H
#define MOCK3AS_CLOCK_DB_H

#include <stdint.h>

#include "store/db.h"

struct partner_clock {
    int64_t offset;    /* seconds added to the wall clock */
    int64_t frozen_at; /* -1: running */
};

/* Partner `intp_id`'s clock into *out. DB_NOT_FOUND for an unknown or tombstoned partner. */
enum db_result clock_db_get(struct db *db, const char *intp_id, struct partner_clock *out);

/* Store partner `intp_id`'s clock. DB_NOT_FOUND for an unknown or tombstoned partner. */
enum db_result clock_db_set(struct db *db, const char *intp_id, const struct partner_clock *c);

#endif
