/* Store of recorded usage: SQL only. */
#include "store/usage_db.h"

/* What websites_in_use holds (010_lighter_catch_up.sql): the statements below name it whole so
 * that SQLite can use the partial index. */
#define IN_USE                                                                                     \
    "(visits OR visit_events OR session_recordings OR heatmap_increments OR poll_answers OR "      \
    "survey_answers OR funnel_matches)"
#define ZERO                                                                                       \
    "visits = 0, visit_events = 0, session_recordings = 0, heatmap_increments = 0, "               \
    "poll_answers = 0, survey_answers = 0, funnel_matches = 0"

enum db_result usage_db_reset(struct db *db, const char *subscription_id)
{
    return db_run_text(db, STMT_USAGE_RESET,
                       "UPDATE websites SET " ZERO " WHERE subscription_id = ?1 AND " IN_USE, false,
                       1, subscription_id);
}

enum db_result usage_db_reset_many(struct db *db, const char *intp_id, const char *ids_json)
{
    return db_run_text(db, STMT_USAGE_RESET_MANY,
                       "UPDATE websites INDEXED BY websites_in_use SET " ZERO
                       " WHERE intp_id = ?1 AND subscription_id IN (SELECT value FROM "
                       "json_each(?2)) AND " IN_USE,
                       false, 2, intp_id, ids_json);
}

enum db_result usage_db_in_use(struct db *db, const char *intp_id, bool *any)
{
    int64_t exists = 0;
    enum db_result r = db_int_text(db, STMT_USAGE_IN_USE,
                                   "SELECT EXISTS (SELECT 1 FROM websites INDEXED BY "
                                   "websites_in_use WHERE intp_id = ?1 AND " IN_USE ")",
                                   &exists, 1, intp_id);
    *any = exists != 0;
    return r;
}

enum db_result usage_db_add(struct db *db, const char *website_id,
                            const int64_t counts[USAGE__COUNT])
{
    sqlite3_stmt *st = db_stmt(db, STMT_USAGE_ADD,
                               "UPDATE websites SET visits = visits + ?2, visit_events = "
                               "visit_events + ?3, session_recordings = session_recordings + ?4, "
                               "heatmap_increments = heatmap_increments + ?5, poll_answers = "
                               "poll_answers + ?6, survey_answers = survey_answers + ?7, "
                               "funnel_matches = funnel_matches + ?8 WHERE id = ?1");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    for (int i = 0; i < USAGE__COUNT; i++)
        sqlite3_bind_int64(st, 2 + i, counts[i]);
    return db_step_done(db, st, true);
}
