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
#define CLOCK_SLICE      256  /* due subscriptions applied between two yields of the write lock */
#define CLOCK_TURN_CHECK 8    /* a slice looks for a waiting writer after this many subscriptions */

/* The partner's time under clock `c` at wall time `wall`. */
int64_t clock_now(const struct partner_clock *c, int64_t wall);

/* One transition a catch-up applied (folded renewals or resets count as one). */
struct transition {
    struct sub_event ev;
    char subscription_id[UUID_SIZE];
    char type[8]; /* the subscription's: "website" | "intpc" */
};

/* What a catch-up did: with `want_list`, up to CLOCK_MAX_LISTED transitions in time order in
 * `listed` (owned: clock_catch_up_release); `total` counts them all. With `may_yield`, the
 * catch-up may commit the caller's transaction between slices (db_yield). */
struct catch_up {
    bool want_list;
    bool may_yield;
    size_t slice; /* due subscriptions per slice, at most CLOCK_SLICE; 0: CLOCK_SLICE */
    struct transition *listed;
    size_t nlisted;
    int64_t total;
};

/* Apply every transition of the partner's subscriptions due at or before `now`, in time order
 * per subscription, with their history and usage resets. Runs inside the caller's transaction,
 * in slices of at most CLOCK_SLICE due subscriptions (each read, stepped and written before
 * the next is read). With out->may_yield, it calls db_yield() between two slices, so that
 * the write lock is held for one slice at a time, and a slice ends after a multiple of
 * CLOCK_TURN_CHECK subscriptions when a writer waits (db_turn_wanted()); every state between two
 * slices is one where some subscriptions are caught up and the others not yet, which the next
 * catch-up finishes (the caller must have stored anything the catch-up relies on, such as the moved
 * clock, before). Without it (and with `out` NULL) the whole catch-up is one transaction. A
 * failure leaves the slices already yielded committed. `out` may be NULL. Returns 0, or -1
 * (logged). */
int clock_catch_up(struct db *db, const char *intp_id, int64_t now, struct catch_up *out);

/* Free what a catch-up listed. */
void clock_catch_up_release(struct catch_up *c);

#endif
