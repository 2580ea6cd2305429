/* Store of recorded usage: SQL only. */
#include "store/usage_db.h"

#include <stdio.h>

enum db_result usage_db_reset(struct db *db, const char *subscription_id)
{
    char ids[64]; /* a uuid as a one-element JSON array, for the statement that serves both */
    snprintf(ids, sizeof(ids), "[\"%s\"]", subscription_id);
    return usage_db_reset_many(db, ids);
}

enum db_result usage_db_reset_many(struct db *db, const char *ids_json)
{
    return db_run_text(
        db, STMT_USAGE_RESET_MANY,
        "UPDATE websites INDEXED BY websites_in_use SET visits = 0, visit_events = 0, "
        "session_recordings = 0, heatmap_increments = 0, poll_answers = 0, "
        "survey_answers = 0, funnel_matches = 0 WHERE subscription_id IN (SELECT "
        "value FROM json_each(?1)) AND (visits OR visit_events OR "
        "session_recordings OR heatmap_increments OR poll_answers OR "
        "survey_answers OR funnel_matches)",
        false, 1, ids_json);
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
