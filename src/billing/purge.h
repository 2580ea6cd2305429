/* Purging a deleted partner: its tombstone (store/intps_db.h) makes it absent at once, then its
 * rows go in short transactions, the write lock given up between them, so that no other
 * partner waits for the whole delete. */
#ifndef MOCK3AS_PURGE_H
#define MOCK3AS_PURGE_H

#include "store/db.h"

/* Rows per slice: each slice is one transaction, so this bounds how long another writer waits.
 * Measured with bench/seed.sql (10,000 customers, each with a website, a subscription and one
 * history event: 40,000 rows) on the 2-core development machine under load: a slice of 2,000
 * rows holds the write lock for ~80 ms of CPU, one of 100 rows for 2.3 ms (median; 5.8 ms at
 * the 90th percentile). A row costs 20-40 us: its random-key index pages are written again by
 * every slice that touches them. The whole purge costs about 3 times the one-statement delete
 * (~400 ms), spread over ~400 slices. */
#define TENANT_PURGE_SLICE_ROWS 100

/* Purge tombstoned partner `id` in slices of at most `slice_rows` rows (intps_db_purge_step),
 * with db_yield() between them, so writers that waited go in between. Call it inside an open
 * transaction; it returns inside one (holding the last slice, not yet committed). Returns 0
 * when the partner is gone or was no tombstone (a live partner is never touched); -1 (logged)
 * on a database error: what was purged stays purged, the rest stays tombstoned for
 * tenant_purge_leftovers(). After -1 no transaction is open only when a new BEGIN failed too. */
int tenant_purge(struct db *db, const char *id, int slice_rows);

/* Purge every tombstone, oldest first, as tenant_purge() does with TENANT_PURGE_SLICE_ROWS: at
 * start-up, for the purges a crash cut short. Same transaction contract. Returns 0, or -1 after
 * the first failure. */
int tenant_purge_leftovers(struct db *db);

/* Purge tombstone `id` whole inside the open transaction, without yielding: for a transaction
 * that must stay atomic (onboarding the same id again). 0 (also when `id` is no tombstone), or
 * -1 (logged). */
int tenant_purge_now(struct db *db, const char *id);

#endif
