/* The per-partner clock: each partner sees the wall clock moved forward by its own offset, or a
 * frozen moment, and the scheduled transitions of its subscriptions happen when that clock
 * passes them (contract §6; the admin API moves it). Tokens keep the wall clock (D9). */
#ifndef MOCK3AS_CLOCK_H
#define MOCK3AS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store/db.h"

#define CLOCK_MAX_LISTED 1000 /* transitions listed in one answer; the total is always given */

struct partner_clock {
    int64_t offset;    /* seconds added to the wall clock */
    int64_t frozen_at; /* -1: running */
};

/* Partner `intp_id`'s clock. DB_NOT_FOUND for an unknown partner. */
enum db_result clock_get(struct db *db, const char *intp_id, struct partner_clock *out);
enum db_result clock_set(struct db *db, const char *intp_id, const struct partner_clock *c);

/* The partner's time under clock `c` at wall time `wall`. */
int64_t clock_now(const struct partner_clock *c, int64_t wall);

/* What a catch-up did: `listed` (may be NULL) receives up to CLOCK_MAX_LISTED transitions as
 * JSON objects in time order; `total` counts them all. */
struct catch_up {
    cJSON *listed;
    int64_t total;
};

/* Apply every transition of the partner's subscriptions due at or before `now`, in time order
 * per subscription, with their history and usage resets. Runs inside the caller's transaction.
 * Returns 0, or -1 (logged). */
int clock_catch_up(struct db *db, const char *intp_id, int64_t now, struct catch_up *out);

#endif
