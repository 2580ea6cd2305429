/* Store of the per-partner clock: SQL only. */
#include "store/clock_db.h"

static void read_clock(sqlite3_stmt *st, void *out)
{
    struct partner_clock *c = out;
    c->offset = sqlite3_column_int64(st, 0);
    c->frozen_at = db_column_int_or(st, 1, -1);
}

enum db_result clock_db_get(struct db *db, const char *intp_id, struct partner_clock *out)
{
    return db_row_text(
        db, STMT_INTP_CLOCK_GET,
        "SELECT clock_offset, clock_frozen_at FROM intps WHERE id = ?1 AND deleted_at "
        "IS NULL",
        read_clock, out, 1, intp_id);
}

enum db_result clock_db_set(struct db *db, const char *intp_id, const struct partner_clock *c)
{
    sqlite3_stmt *st = db_stmt(db, STMT_INTP_CLOCK_SET,
                               "UPDATE intps SET clock_offset = ?2, clock_frozen_at = ?3 WHERE "
                               "id = ?1 AND deleted_at IS NULL");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, c->offset);
    db_bind_int_or_null(st, 3, c->frozen_at);
    return db_step_done(db, st, true);
}
