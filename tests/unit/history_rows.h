/* A subscription's history read back for the unit tests: the first 16 rows and the count. */
#ifndef MOCK3AS_HISTORY_ROWS_H
#define MOCK3AS_HISTORY_ROWS_H

#include "store/events_db.h"

struct rows {
    struct history_row r[16];
    int n;
};

/* events_db_foreach() callback filling a struct rows. */
static inline void collect_row(const struct history_row *row, void *ctx)
{
    struct rows *rows = ctx;
    if (rows->n < 16)
        rows->r[rows->n] = *row;
    rows->n++;
}

#endif
