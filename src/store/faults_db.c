/* Store of fault-injection rules: SQL only. */
#include "store/faults_db.h"

#include <stdlib.h>
#include <string.h>

#define FAULT_COLUMNS                                                                              \
    "id, intp_id, seq, method, route, path, status, body, delay_ms, delay_distribution, "          \
    "delay_min_ms, delay_max_ms, delay_median_ms, delay_sigma, drop_connection, retry_after, "     \
    "after_commit, times, probability, seed, matched, fired, created_at"

void fault_rule_release(struct fault_rule *r)
{
    free(r->route);
    free(r->path);
    free(r->body);
    r->route = r->path = r->body = NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void fault_rule_copy(struct fault_rule *to, const struct fault_rule *from)
{
    *to = *from;
    to->route = dup_or_null(from->route);
    to->path = dup_or_null(from->path);
    to->body = dup_or_null(from->body);
}

void fault_rules_free(struct fault_rule *rules, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fault_rule_release(&rules[i]);
    free(rules);
}

static const char *distribution_name(enum fault_delay_kind k)
{
    switch (k) {
    case FAULT_DELAY_UNIFORM:
        return "uniform";
    case FAULT_DELAY_LOGNORMAL:
        return "lognormal";
    case FAULT_DELAY_NONE:
    case FAULT_DELAY_FIXED:
        break;
    }
    return NULL;
}

enum db_result faults_db_insert(struct db *db, const struct fault_rule *r)
{
    sqlite3_stmt *st = db_stmt(
        db, STMT_FAULT_INSERT,
        "INSERT INTO faults (id, intp_id, method, route, path, status, body, delay_ms, "
        "delay_distribution, delay_min_ms, delay_max_ms, delay_median_ms, delay_sigma, "
        "drop_connection, retry_after, after_commit, times, probability, seed, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
        "?19, ?20)");
    if (!st)
        return DB_ERROR;
    bool uniform = r->delay == FAULT_DELAY_UNIFORM, lognormal = r->delay == FAULT_DELAY_LOGNORMAL;
    db_bind_text(st, 1, r->id);
    db_bind_text(st, 2, r->intp_id);
    db_bind_text(st, 3, r->method[0] ? r->method : NULL);
    db_bind_text(st, 4, r->route);
    db_bind_text(st, 5, r->path);
    db_bind_int_or_null(st, 6, r->status ? r->status : -1);
    db_bind_text(st, 7, r->body);
    db_bind_int_or_null(st, 8, r->delay == FAULT_DELAY_FIXED ? r->delay_ms : -1);
    db_bind_text(st, 9, distribution_name(r->delay));
    db_bind_int_or_null(st, 10, uniform ? r->min_ms : -1);
    db_bind_int_or_null(st, 11, uniform ? r->max_ms : -1);
    db_bind_int_or_null(st, 12, lognormal ? r->median_ms : -1);
    if (lognormal)
        sqlite3_bind_double(st, 13, r->sigma);
    sqlite3_bind_int(st, 14, r->drop);
    db_bind_int_or_null(st, 15, r->retry_after);
    sqlite3_bind_int(st, 16, r->after_commit);
    db_bind_int_or_null(st, 17, r->times);
    if (r->probability < 1)
        sqlite3_bind_double(st, 18, r->probability);
    sqlite3_bind_int64(st, 19, r->seed);
    sqlite3_bind_int64(st, 20, r->created_at);
    return db_step_done(db, st, false);
}

enum db_result faults_db_count(struct db *db, const char *intp_id, int64_t *n)
{
    return db_int_text(db, STMT_FAULT_COUNT, "SELECT count(*) FROM faults WHERE intp_id = ?1", n, 1,
                       intp_id);
}

/* The delay columns (8..13) into r->delay and its parameters; -1 on an unknown distribution. */
static int read_delay(sqlite3_stmt *st, struct fault_rule *r)
{
    const char *dist = (const char *)sqlite3_column_text(st, 9);
    r->delay = FAULT_DELAY_NONE;
    if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
        r->delay = FAULT_DELAY_FIXED;
        r->delay_ms = sqlite3_column_int64(st, 8);
    } else if (dist && strcmp(dist, "uniform") == 0) {
        r->delay = FAULT_DELAY_UNIFORM;
        r->min_ms = sqlite3_column_int64(st, 10);
        r->max_ms = sqlite3_column_int64(st, 11);
    } else if (dist && strcmp(dist, "lognormal") == 0) {
        r->delay = FAULT_DELAY_LOGNORMAL;
        r->median_ms = sqlite3_column_int64(st, 12);
        r->sigma = sqlite3_column_double(st, 13);
    } else if (dist) {
        return -1;
    }
    return 0;
}

/* One row of FAULT_COLUMNS into *r (zeroed first). -1 on a value this build does not know. */
static int read_rule(sqlite3_stmt *st, struct fault_rule *r)
{
    memset(r, 0, sizeof(*r));
    db_column_copy(st, 0, r->id, sizeof(r->id));
    db_column_copy(st, 1, r->intp_id, sizeof(r->intp_id));
    r->seq = sqlite3_column_int64(st, 2);
    db_column_copy(st, 3, r->method, sizeof(r->method));
    r->route = db_column_dup(st, 4);
    r->path = db_column_dup(st, 5);
    r->status = (int)db_column_int_or(st, 6, 0);
    r->body = db_column_dup(st, 7);
    r->drop = sqlite3_column_int(st, 14) != 0;
    r->retry_after = db_column_int_or(st, 15, -1);
    r->after_commit = sqlite3_column_int(st, 16) != 0;
    r->times = db_column_int_or(st, 17, -1);
    r->probability = sqlite3_column_type(st, 18) == SQLITE_NULL ? 1 : sqlite3_column_double(st, 18);
    r->seed = sqlite3_column_int64(st, 19);
    r->matched = sqlite3_column_int64(st, 20);
    r->fired = sqlite3_column_int64(st, 21);
    r->created_at = sqlite3_column_int64(st, 22);
    return read_delay(st, r);
}

enum db_result faults_db_list(struct db *db, const char *intp_id, struct fault_rule **rules,
                              size_t *n)
{
    sqlite3_stmt *st =
        intp_id ? db_stmt(db, STMT_FAULT_LIST,
                          "SELECT " FAULT_COLUMNS " FROM faults WHERE intp_id = ?1 ORDER BY seq")
                : db_stmt(db, STMT_FAULT_LIST_ALL,
                          "SELECT " FAULT_COLUMNS " FROM faults ORDER BY intp_id, seq");
    size_t alloc = 0;
    int rc;
    enum db_result r = DB_OK;
    *rules = NULL;
    *n = 0;
    if (!st)
        return DB_ERROR;
    if (intp_id)
        db_bind_text(st, 1, intp_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ALLOC_GROW(*rules, *n + 1, alloc);
        if (read_rule(st, &(*rules)[*n])) {
            fault_rule_release(&(*rules)[*n]);
            r = DB_ERROR;
            break;
        }
        ++*n;
    }
    if (r == DB_OK)
        r = db_step_result(db, rc);
    db_done(st);
    if (r != DB_OK) {
        fault_rules_free(*rules, *n);
        *rules = NULL;
        *n = 0;
    }
    return r;
}

enum db_result faults_db_delete(struct db *db, const char *intp_id, const char *id)
{
    return db_run_text(db, STMT_FAULT_DELETE, "DELETE FROM faults WHERE intp_id = ?1 AND id = ?2",
                       true, 2, intp_id, id);
}

enum db_result faults_db_clear(struct db *db, const char *intp_id)
{
    return db_run_text(db, STMT_FAULT_CLEAR, "DELETE FROM faults WHERE intp_id = ?1", false, 1,
                       intp_id);
}

enum db_result faults_db_take_turn(struct db *db, const char *id, int64_t *matched)
{
    return db_int_text(db, STMT_FAULT_TAKE_TURN,
                       "UPDATE faults SET matched = matched + 1"
                       " WHERE id = ?1 AND (times IS NULL OR fired < times) RETURNING matched",
                       matched, 1, id);
}

enum db_result faults_db_fired(struct db *db, const char *id)
{
    return db_run_text(db, STMT_FAULT_FIRED, "UPDATE faults SET fired = fired + 1 WHERE id = ?1",
                       true, 1, id);
}
