/* The worker threads: every request that needs the database runs here, off the HTTP thread,
 * on a worker with its own SQLite connection. Requests queue in lanes (one per partner, or per
 * credential: http/dispatch.c picks it); the lanes with work are served round-robin and one
 * request of a lane runs at a time, so that a partner's burst or long call occupies one worker
 * and every other partner keeps the rest. The idle worker that comes first takes the next lane,
 * so that a light load stays on connections whose page caches are warm. The batchable requests
 * (writes) queued at the head of a lane are handed over together, at most WORKERS_BATCH_MAX, to run
 * in one transaction: one commit instead of many (group commit). */
#ifndef MOCK3AS_WORKERS_H
#define MOCK3AS_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define WORKERS_BATCH_MAX 16 /* queued requests of one lane run in one transaction at most */

/* One queued piece of work, embedded in the caller's own state (container_of). */
struct work {
    struct work *next;
    uint64_t lane;
    bool batchable; /* may share one transaction with the batchable ones queued behind it */
};

/* Runs `batch` (n >= 1 pieces of one lane, in their order; n > 1 only when all are batchable)
 * on a worker, with that worker's connection. */
typedef void (*work_fn)(struct work **batch, size_t n, struct db *db);

struct workers;

/* Start `n` workers (1 when `first` is a ":memory:" database: it is then the one connection,
 * used by that worker alone from now on); workers 2..n open their own connection to the file
 * of `first` on their thread (one that cannot does not serve; the others do). Returns NULL
 * (logged) when a thread cannot be started. */
struct workers *workers_start(struct db *first, int n, work_fn run);

/* Queue `w` at the end of its lane. Never blocks on work: the queue is as long as the number of
 * requests in flight, which the connection limit bounds. */
void workers_submit(struct workers *ws, struct work *w);

/* How many workers run. */
int workers_count(const struct workers *ws);

/* Stop: running work finishes, then every worker exits; work still queued is handed to `drop`
 * (on the calling thread). Closes the connections workers_start opened and frees `ws`. */
void workers_stop(struct workers *ws, void (*drop)(struct work *w));

#endif
