/* Unit tests of http/workers.c (lanes served round-robin, one request of a lane at a time, a
 * long lane not holding the others, the first idle worker woken) and http/answer_cache.c (an answer
 * is reused only under the epoch and before the due time it was computed for, within its bounds).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/answer_cache.h"
#include "http/workers.h"
#include "tap.h"
#include "util/util.h"

#define MAX_JOBS 64

struct job {
    struct work work; /* first */
    int id, sleep_ms;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int order[MAX_JOBS], norder;
static int64_t finished_us[MAX_JOBS];
static atomic_int running[4], max_running[4];
static atomic_int done_count;

static int batches, batched;        /* runs of more than one job, and the jobs in them */
static struct db *ran_on[MAX_JOBS]; /* the connection each job ran with */

static void run_one(struct work *w)
{
    struct job *j = (struct job *)w;
    int lane = (int)j->work.lane, now = atomic_fetch_add(&running[lane], 1) + 1;
    if (now > atomic_load(&max_running[lane]))
        atomic_store(&max_running[lane], now);
    pthread_mutex_lock(&lock);
    order[norder++] = j->id;
    pthread_mutex_unlock(&lock);
    usleep((useconds_t)j->sleep_ms * 1000);
    atomic_fetch_sub(&running[lane], 1);
    finished_us[j->id] = time_mono_us();
    atomic_fetch_add(&done_count, 1);
}

static void run(struct work **batch, size_t n, struct db *db)
{
    (void)db;
    if (n > 1) {
        batches++;
        batched += (int)n;
    }
    for (size_t i = 0; i < n; i++) {
        ran_on[((struct job *)batch[i])->id] = db;
        run_one(batch[i]);
    }
}

static void reset(void)
{
    norder = 0;
    atomic_store(&done_count, 0);
    for (int i = 0; i < 4; i++)
        atomic_store(&max_running[i], 0);
}

static void wait_for(int n)
{
    for (int i = 0; i < 5000 && atomic_load(&done_count) < n; i++)
        usleep(1000);
}

static void test_round_robin(struct db *db)
{
    static struct job jobs[6];
    reset();
    struct workers *ws = workers_start(db, 1, run);
    ok(ws && workers_count(ws) == 1, "one worker");
    /* the first job holds the worker while the rest queue: lanes 1,1,1 then 2,2 */
    int lanes[] = {1, 1, 1, 2, 2, 3};
    for (int i = 0; i < 6; i++) {
        jobs[i] = (struct job){.work.lane = (uint64_t)lanes[i], .id = i, .sleep_ms = i ? 1 : 30};
        workers_submit(ws, &jobs[i].work);
    }
    wait_for(6);
    workers_stop(ws, NULL);
    /* 0 ran first; lane 1's next waits behind the lanes that queued meanwhile */
    int want[] = {0, 3, 5, 1, 4, 2};
    ok(norder == 6 && memcmp(order, want, sizeof(want)) == 0,
       "lanes take turns: 0 3 5 1 4 2 (got %d %d %d %d %d %d)", order[0], order[1], order[2],
       order[3], order[4], order[5]);
}

static void test_lanes_apart(struct db *db)
{
    static struct job jobs[9];
    reset();
    struct workers *ws = workers_start(db, 3, run);
    ok(ws && workers_count(ws) == 3, "three workers");
    int64_t t0 = time_mono_us();
    for (int i = 0; i < 8; i++) { /* lane 1: eight slow requests */
        jobs[i] = (struct job){.work.lane = 1, .id = i, .sleep_ms = 20};
        workers_submit(ws, &jobs[i].work);
    }
    jobs[8] = (struct job){.work.lane = 2, .id = 8, .sleep_ms = 0};
    workers_submit(ws, &jobs[8].work);
    wait_for(9);
    workers_stop(ws, NULL);
    ok(atomic_load(&max_running[1]) == 1, "a lane runs one request at a time");
    ok(finished_us[8] - t0 < 100 * 1000, "another lane's request does not wait for it (%lld ms)",
       (long long)(finished_us[8] - t0) / 1000);
    ok(finished_us[7] - t0 >= 8 * 20 * 1000, "the slow lane's requests ran in turn");
}

/* One request after another, each on a lane of its own: every one runs on the first worker's
 * connection (the first idle worker is woken), not on each worker in turn. */
static void test_first_idle_worker(struct db *db)
{
    static struct job jobs[6];
    reset();
    struct workers *ws = workers_start(db, 3, run);
    int same = 0;
    for (int i = 0; i < 6; i++) {
        usleep(20 * 1000); /* the worker that ran the last one waits again */
        jobs[i] = (struct job){.work.lane = (uint64_t)(i % 3 + 1), .id = i, .sleep_ms = 0};
        workers_submit(ws, &jobs[i].work);
        wait_for(i + 1);
        same += ran_on[i] == db;
    }
    workers_stop(ws, NULL);
    ok(same == 6, "a light load runs on the first worker's connection (%d of 6)", same);
}

static void test_batches(struct db *db)
{
    static struct job jobs[10];
    reset();
    batches = batched = 0;
    struct workers *ws = workers_start(db, 1, run);
    /* job 0 holds the worker; behind it on one lane: 5 batchable, 1 not, 3 batchable; and a
     * batchable one on another lane, which is not batched with them */
    bool batchable[] = {false, true, true, true, true, true, false, true, true, true};
    for (int i = 0; i < 10; i++) {
        jobs[i] = (struct job){.work = {.lane = i == 9 ? 2 : 1, .batchable = batchable[i]},
                               .id = i,
                               .sleep_ms = i ? 0 : 30};
        workers_submit(ws, &jobs[i].work);
    }
    wait_for(10);
    workers_stop(ws, NULL);
    ok(batches == 2 && batched == 7,
       "the batchable requests at a lane's head go together, up to one that is not (%d batches "
       "of %d requests)",
       batches, batched);
    ok(norder == 10 && order[0] == 0 && order[1] == 9 && order[2] == 1 && order[7] == 6 &&
           order[9] == 8,
       "in their lane's order, lanes taking turns: %d %d %d %d %d %d %d %d %d %d", order[0],
       order[1], order[2], order[3], order[4], order[5], order[6], order[7], order[8], order[9]);
}

static int dropped;

static void drop(struct work *w)
{
    (void)w;
    dropped++;
}

static void test_stop_drops_queued(struct db *db)
{
    static struct job jobs[4];
    reset();
    struct workers *ws = workers_start(db, 1, run);
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){.work.lane = 1, .id = i, .sleep_ms = 50};
        workers_submit(ws, &jobs[i].work);
    }
    for (int i = 0; i < 5000 && atomic_load(&running[1]) == 0; i++)
        usleep(1000); /* until the first one runs */
    workers_stop(ws, drop);
    ok(atomic_load(&done_count) == 1 && dropped == 3,
       "stop: the running request finishes, the queued ones are handed back (%d ran, %d dropped)",
       atomic_load(&done_count), dropped);
}

static void test_answer_cache(void)
{
    struct answer_cache *c = answer_cache_new();
    struct answer_basis b = {
        .epoch = 7, .clock = {.offset = 0, .frozen_at = 1000}, .next_due = 2000};
    size_t len = 0;
    char *got;
    answer_cache_put(c, "p GET /x?", &b, "{\"a\":1}", 7);
    got = answer_cache_get(c, "p GET /x?", 7, 0, &len);
    ok(got && len == 7 && memcmp(got, "{\"a\":1}", 7) == 0, "an answer is reused as it was");
    free(got);
    ok(!answer_cache_get(c, "q GET /x?", 7, 0, &len), "another partner's key misses");
    ok(!answer_cache_get(c, "p GET /x?", 8, 0, &len), "a later epoch misses");
    ok(!answer_cache_get(c, "p GET /x?", 7, 0, &len), "...and the stale entry is gone");
    b.clock.frozen_at = 1999;
    answer_cache_put(c, "p GET /y?", &b, "y", 1);
    got = answer_cache_get(c, "p GET /y?", 7, 0, &len);
    ok(got != NULL, "before the partner's next due transition: reused");
    free(got);
    b.clock.frozen_at = 2000;
    answer_cache_put(c, "p GET /z?", &b, "z", 1);
    ok(!answer_cache_get(c, "p GET /z?", 7, 0, &len), "at the due time: not reused");
    struct answer_basis ticking = {
        .epoch = 7, .clock = {.offset = 100, .frozen_at = -1}, .next_due = 1100};
    answer_cache_put(c, "p GET /r?", &ticking, "r", 1);
    got = answer_cache_get(c, "p GET /r?", 7, 999, &len);
    ok(got != NULL, "a running clock: reused while wall + offset is before the due time");
    free(got);
    ok(!answer_cache_get(c, "p GET /r?", 7, 1000, &len), "...and not once it reaches it");
    char *big = xcalloc(1, ANSWER_CACHE_MAX_BODY + 1);
    answer_cache_put(c, "p GET /big?", &b, big, ANSWER_CACHE_MAX_BODY + 1);
    ok(!answer_cache_get(c, "p GET /big?", 7, 0, &len), "a body over the bound is not kept");
    free(big);
    uint64_t hits, misses;
    answer_cache_counts(c, &hits, &misses);
    ok(hits == 3 && misses == 6, "hits and misses are counted (%llu, %llu)",
       (unsigned long long)hits, (unsigned long long)misses);
    answer_cache_free(c);
}

int main(void)
{
    char dir[] = "/tmp/mock3as-test-workers-XXXXXX", path[80], cmd[128];
    struct db db;
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/w.db", dir);
    if (db_open(&db, path) != 0)
        return 1;
    test_round_robin(&db);
    test_lanes_apart(&db);
    test_first_idle_worker(&db);
    test_stop_drops_queued(&db);
    test_batches(&db);
    db_close(&db);
    test_answer_cache();
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ok(system(cmd) == 0, "cleaned up");
    return done_testing();
}
