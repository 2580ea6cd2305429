/* The per-partner clock: each partner sees the wall clock moved forward by its own offset, or a
 * frozen moment, and the scheduled transitions of its subscriptions happen when that clock
 * passes them (contract §6; the admin API moves it). Tokens keep the wall clock (D9). The
 * clock's storage is store/clock_db.h; this is what it means. */
#ifndef MOCK3AS_CLOCK_H
#define MOCK3AS_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "store/clock_db.h"
#include "store/events_db.h"
#include "store/subscriptions_db.h"

#define CLOCK_MAX_LISTED 1000 /* transitions listed in one answer; the total is always given */

/* The partner's time under clock `c` at wall time `wall`. */
int64_t clock_now(const struct partner_clock *c, int64_t wall);

/* One transition a catch-up applied (folded renewals or resets count as one). */
struct transition {
    struct sub_event ev;
    char subscription_id[UUID_SIZE];
    char type[8]; /* the subscription's: "website" | "intpc" */
};

/* What a catch-up did: with `want_list`, up to CLOCK_MAX_LISTED transitions in time order in
 * `listed` (owned: clock_catch_up_release); `total` counts them all. */
struct catch_up {
    bool want_list;
    struct transition *listed;
    size_t nlisted;
    int64_t total;
};

/* Apply every transition of the partner's subscriptions due at or before `now`, in time order
 * per subscription, with their history and usage resets. Runs inside the caller's transaction.
 * `out` may be NULL. Returns 0, or -1 (logged). */
int clock_catch_up(struct db *db, const char *intp_id, int64_t now, struct catch_up *out);

/* Free what a catch-up listed. */
void clock_catch_up_release(struct catch_up *c);

#endif
