/* Purging a deleted partner in slices, between which other writers get the write lock. */
#include "billing/purge.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "store/intps_db.h"
#include "util/log.h"
#include "util/util.h"

int tenant_purge(struct db *db, const char *id, int slice_rows)
{
    bool done = false;
    int slices = 1;
    for (;;) {
        if (intps_db_purge_step(db, id, slice_rows, &done) == DB_ERROR) {
            log_error("intp %s: purge stopped after %d slices; the rest stays tombstoned", id,
                      slices);
            return -1;
        }
        if (done)
            break;
        if (db_yield(db)) {
            db_begin(db); /* the contract: return inside a transaction when one can be had */
            return -1;
        }
        slices++;
    }
    log_debug("intp %s: purged in %d slices of at most %d rows", id, slices, slice_rows);
    return 0;
}

/* intps_db_tombstones() callback: append the id to the struct tombstones ctx. */
struct tombstones {
    char (*ids)[INTP_ID_SIZE];
    size_t nr, alloc;
};

static void add_tombstone(const char *id, void *ctx)
{
    struct tombstones *t = ctx;
    ALLOC_GROW(t->ids, t->nr + 1, t->alloc);
    snprintf(t->ids[t->nr++], INTP_ID_SIZE, "%s", id);
}

int tenant_purge_leftovers(struct db *db)
{
    struct tombstones t = {0};
    int rc = intps_db_tombstones(db, add_tombstone, &t) == DB_OK ? 0 : -1;
    for (size_t i = 0; i < t.nr && rc == 0; i++) {
        log_info("intp %s: purging what a deletion left", t.ids[i]);
        rc = tenant_purge(db, t.ids[i], TENANT_PURGE_SLICE_ROWS);
    }
    free(t.ids);
    return rc;
}

int tenant_purge_now(struct db *db, const char *id)
{
    bool done = false;
    while (!done)
        if (intps_db_purge_step(db, id, INT_MAX, &done) == DB_ERROR)
            return -1;
    return 0;
}
