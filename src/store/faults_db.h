/* Store of fault-injection rules (README "Fault injection"): SQL only. A rule belongs to one
 * partner; rules are listed in creation order, which is the order they are tried in. */
#ifndef MOCK3AS_FAULTS_DB_H
#define MOCK3AS_FAULTS_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/util.h"

enum fault_delay_kind {
    FAULT_DELAY_NONE,
    FAULT_DELAY_FIXED,
    FAULT_DELAY_UNIFORM,
    FAULT_DELAY_LOGNORMAL
};

/* One rule, as stored. Owns its strings: fault_rule_release(). */
struct fault_rule {
    char id[UUID_SIZE];
    char intp_id[INTP_ID_SIZE];
    int64_t seq;    /* creation order */
    char method[8]; /* "" = any */
    char *route;    /* a route template, or NULL */
    char *path;     /* an exact path or a prefix ending in '*', or NULL */
    int status;     /* 0: the handler's answer (a delay or a drop only) */
    char *body;     /* JSON text answered instead of the D2 body, or NULL */
    enum fault_delay_kind delay;
    int64_t delay_ms;       /* FAULT_DELAY_FIXED */
    int64_t min_ms, max_ms; /* FAULT_DELAY_UNIFORM */
    int64_t median_ms;      /* FAULT_DELAY_LOGNORMAL */
    double sigma;           /* FAULT_DELAY_LOGNORMAL */
    bool drop;              /* close the connection without an answer */
    int64_t retry_after;    /* seconds, -1: no Retry-After */
    bool after_commit;      /* run the handler (and commit) first */
    int64_t times;          /* fires at most this often, -1: no limit */
    double probability;     /* of firing on a request it is tried on; 1 when not given */
    int64_t seed;           /* of its draws, in [0, 2^53) */
    int64_t matched;        /* requests it was tried on */
    int64_t fired;          /* requests it faulted */
    int64_t created_at;     /* wall time */
};

/* Free what `r` owns (not `r`). */
void fault_rule_release(struct fault_rule *r);

/* A deep copy of `from` into *to (which then owns its strings). */
void fault_rule_copy(struct fault_rule *to, const struct fault_rule *from);

/* Free an array of `n` rules from faults_db_list. */
void fault_rules_free(struct fault_rule *rules, size_t n);

/* Store `r` (seq, matched and fired are ignored). DB_CONFLICT on a duplicate id. */
enum db_result faults_db_insert(struct db *db, const struct fault_rule *r);

/* How many rules partner `intp_id` has. */
enum db_result faults_db_count(struct db *db, const char *intp_id, int64_t *n);

/* The rules of partner `intp_id` (every partner's when NULL), oldest first, into a new array
 * *rules of *n (fault_rules_free). */
enum db_result faults_db_list(struct db *db, const char *intp_id, struct fault_rule **rules,
                              size_t *n);

/* Delete rule `id` of partner `intp_id`: DB_OK, or DB_NOT_FOUND. */
enum db_result faults_db_delete(struct db *db, const char *intp_id, const char *id);

/* Delete every rule of partner `intp_id` (none is fine). */
enum db_result faults_db_clear(struct db *db, const char *intp_id);

/* Rule `id` takes its turn on a request: its `matched` counter advances and *matched gets the new
 * value (the index of this draw, from 1). DB_NOT_FOUND when the rule is gone or spent (fired
 * `times` times). */
enum db_result faults_db_take_turn(struct db *db, const char *id, int64_t *matched);

/* Count one firing of rule `id`. */
enum db_result faults_db_fired(struct db *db, const char *id);

#endif
