/* Unit tests of store/faults_db.c against ":memory:": rules round-trip with every delay kind, are
 * listed in creation order per partner, take turns (spent after `times` firings), are deleted one
 * by one or all together, and go with their partner. */
#include "store/faults_db.h"
#include "store_fixture.h"

static struct fault_rule rule(const char *id, const char *intp)
{
    struct fault_rule r = {
        .retry_after = -1, .times = -1, .probability = 1, .seed = 5, .created_at = NOW};
    snprintf(r.id, sizeof(r.id), "%s", id);
    snprintf(r.intp_id, sizeof(r.intp_id), "%s", intp);
    return r;
}

static void test_round_trip(void)
{
    struct fault_rule a = rule("a", "p1"), b = rule("b", "p1"), c = rule("c", "p1"), *got = NULL;
    size_t n = 0;
    snprintf(a.method, sizeof(a.method), "GET");
    a.route = "/v2/3as/customers";
    a.status = 429;
    a.retry_after = 3;
    a.body = "{\"x\":1}";
    a.delay = FAULT_DELAY_FIXED;
    a.delay_ms = 20;
    a.times = 2;
    b.path = "/v2/*";
    b.delay = FAULT_DELAY_UNIFORM;
    b.min_ms = 1;
    b.max_ms = 9;
    b.probability = 0.25;
    c.delay = FAULT_DELAY_LOGNORMAL;
    c.median_ms = 100;
    c.sigma = 0.75;
    c.drop = true;
    c.after_commit = true;
    ok(faults_db_insert(&db, &a) == DB_OK && faults_db_insert(&db, &b) == DB_OK &&
           faults_db_insert(&db, &c) == DB_OK,
       "three rules stored");
    ok(faults_db_insert(&db, &a) == DB_CONFLICT, "a duplicate id is a conflict");
    ok(faults_db_list(&db, "p1", &got, &n) == DB_OK && n == 3, "listed: 3");
    ok(n == 3 && strcmp(got[0].id, "a") == 0 && strcmp(got[1].id, "b") == 0 &&
           strcmp(got[2].id, "c") == 0,
       "in creation order");
    ok(n == 3 && strcmp(got[0].method, "GET") == 0 &&
           strcmp(got[0].route, "/v2/3as/customers") == 0 && !got[0].path && got[0].status == 429 &&
           got[0].retry_after == 3 && strcmp(got[0].body, "{\"x\":1}") == 0 &&
           got[0].delay == FAULT_DELAY_FIXED && got[0].delay_ms == 20 && got[0].times == 2 &&
           got[0].probability == 1 && got[0].seed == 5 && !got[0].drop && !got[0].after_commit,
       "a: status, body, fixed delay, times");
    ok(n == 3 && !got[1].method[0] && strcmp(got[1].path, "/v2/*") == 0 &&
           got[1].delay == FAULT_DELAY_UNIFORM && got[1].min_ms == 1 && got[1].max_ms == 9 &&
           got[1].probability == 0.25 && got[1].times == -1 && got[1].retry_after == -1,
       "b: path, uniform delay, probability");
    ok(n == 3 && got[2].delay == FAULT_DELAY_LOGNORMAL && got[2].median_ms == 100 &&
           got[2].sigma == 0.75 && got[2].drop && got[2].after_commit && !got[2].status,
       "c: lognormal delay, drop, after commit");
    fault_rules_free(got, n);
}

static void test_turns(void)
{
    int64_t m = 0, count = 0;
    struct fault_rule *got = NULL;
    size_t n = 0;
    ok(faults_db_take_turn(&db, "a", &m) == DB_OK && m == 1, "a's first turn: draw 1");
    ok(faults_db_fired(&db, "a") == DB_OK, "a fired once");
    ok(faults_db_take_turn(&db, "a", &m) == DB_OK && m == 2 && faults_db_fired(&db, "a") == DB_OK,
       "a's second turn, fired twice");
    ok(faults_db_take_turn(&db, "a", &m) == DB_NOT_FOUND, "times 2: a is spent");
    ok(faults_db_take_turn(&db, "nope", &m) == DB_NOT_FOUND, "an unknown rule takes no turn");
    ok(faults_db_list(&db, "p1", &got, &n) == DB_OK && n == 3 && got[0].matched == 2 &&
           got[0].fired == 2,
       "counters listed");
    fault_rules_free(got, n);
    ok(faults_db_count(&db, "p1", &count) == DB_OK && count == 3, "count 3");
    ok(faults_db_delete(&db, "p1", "b") == DB_OK &&
           faults_db_delete(&db, "p1", "b") == DB_NOT_FOUND,
       "delete one; twice is not found");
    ok(faults_db_delete(&db, "p2", "a") == DB_NOT_FOUND, "another partner's id is not found");
    ok(faults_db_clear(&db, "p1") == DB_OK && faults_db_count(&db, "p1", &count) == DB_OK &&
           count == 0,
       "clear: none left");
}

static void test_cascade(void)
{
    struct fault_rule a = rule("z", "p1");
    int64_t count = -1;
    a.status = 503;
    ok(faults_db_insert(&db, &a) == DB_OK, "a rule of p1");
    ok(db_exec(&db, "DELETE FROM intps WHERE id = 'p1'") == 0 &&
           faults_db_count(&db, "p1", &count) == DB_OK && count == 0,
       "deleting the partner's row deletes its rules");
}

int main(void)
{
    store_fixture_open();
    test_round_trip();
    test_turns();
    test_cascade();
    db_close(&db);
    return done_testing();
}
