/* Worker threads serving lanes round-robin, one request per lane at a time; the idle worker that
 * comes first takes the next lane. */
#include "http/workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/util.h"

#define LANE_BUCKETS 256 /* lanes with queued or running work: at most the requests in flight */

struct lane {
    uint64_t key;
    struct work *head, *tail; /* queued, not running */
    bool running;             /* one of its requests is on a worker */
    bool ready;               /* in the ready list */
    struct lane *next_in_bucket, *next_ready;
};

struct worker {
    struct workers *ws;
    pthread_t thread;
    struct db own; /* workers 2..n: their connection, opened by their thread */
    struct db *db; /* NULL until it is open */
    struct db *first;
    pthread_cond_t wake;
    bool idle; /* waiting for work, and not woken since */
};

struct workers {
    pthread_mutex_t lock;
    struct lane *buckets[LANE_BUCKETS];
    struct lane *ready_head, *ready_tail; /* lanes with queued work and nothing running */
    bool stopping;
    work_fn run;
    int n;
    struct worker *workers;
};

static struct lane **lane_slot(struct workers *ws, uint64_t key)
{
    struct lane **slot = &ws->buckets[key % LANE_BUCKETS];
    while (*slot && (*slot)->key != key)
        slot = &(*slot)->next_in_bucket;
    return slot;
}

static void ready_push(struct workers *ws, struct lane *l)
{
    l->ready = true;
    l->next_ready = NULL;
    if (ws->ready_tail)
        ws->ready_tail->next_ready = l;
    else
        ws->ready_head = l;
    ws->ready_tail = l;
}

static struct lane *ready_pop(struct workers *ws)
{
    struct lane *l = ws->ready_head;
    if (!l)
        return NULL;
    ws->ready_head = l->next_ready;
    if (!ws->ready_head)
        ws->ready_tail = NULL;
    l->ready = false;
    return l;
}

/* Wake the idle worker that comes first (under ws->lock). A light load then runs on the same
 * one or two connections, whose page caches hold what it reads: the first connection's holds
 * the whole database after its start-up check. Woken in turn, the next request found a cold
 * cache on the next connection: a clock move over 10,000 subscriptions after one other request
 * took 65 ms instead of 46 (bench/clock.sh). Bounded by --workers (at most 64). */
static void wake_one(struct workers *ws)
{
    for (int i = 0; i < ws->n; i++) {
        struct worker *w = &ws->workers[i];
        if (w->idle) {
            w->idle = false;
            pthread_cond_signal(&w->wake);
            return;
        }
    }
}

static struct work *lane_pop(struct lane *l)
{
    struct work *w = l->head;
    l->head = w->next;
    if (!l->head)
        l->tail = NULL;
    w->next = NULL;
    return w;
}

/* The lane is idle: forget it. */
static void lane_drop(struct workers *ws, struct lane *l)
{
    struct lane **slot = lane_slot(ws, l->key);
    *slot = l->next_in_bucket;
    free(l);
}

void workers_submit(struct workers *ws, struct work *w)
{
    pthread_mutex_lock(&ws->lock);
    struct lane **slot = lane_slot(ws, w->lane), *l = *slot;
    if (!l) {
        l = *slot = xcalloc(1, sizeof(*l));
        l->key = w->lane;
    }
    w->next = NULL;
    if (l->tail)
        l->tail->next = w;
    else
        l->head = w;
    l->tail = w;
    if (!l->running && !l->ready) {
        ready_push(ws, l);
        wake_one(ws);
    }
    pthread_mutex_unlock(&ws->lock);
}

static void *worker_main(void *arg)
{
    struct worker *me = arg;
    struct workers *ws = me->ws;
    /* its own connection, opened here, not before the server is ready (about 1 ms each) */
    if (me->db != me->first) {
        if (db_open_another(&me->own, me->first)) {
            log_error("a worker could not open its database connection: it does not serve");
            return NULL;
        }
        me->db = &me->own;
    }
    pthread_mutex_lock(&ws->lock);
    for (;;) {
        struct lane *l;
        while (!(l = ready_pop(ws)) && !ws->stopping) {
            me->idle = true;
            pthread_cond_wait(&me->wake, &ws->lock);
        }
        me->idle = false;
        if (!l)
            break;
        if (ws->stopping) { /* leave it queued for workers_stop's drop */
            ready_push(ws, l);
            break;
        }
        struct work *batch[WORKERS_BATCH_MAX];
        size_t n = 0;
        batch[n++] = lane_pop(l);
        while (batch[0]->batchable && n < WORKERS_BATCH_MAX && l->head && l->head->batchable)
            batch[n++] = lane_pop(l);
        l->running = true;
        pthread_mutex_unlock(&ws->lock);
        ws->run(batch, n, me->db);
        pthread_mutex_lock(&ws->lock);
        l->running = false;
        if (l->head) /* its next request goes behind the lanes that waited */
            ready_push(ws, l);
        else
            lane_drop(ws, l);
        if (ws->ready_head)
            wake_one(ws);
    }
    pthread_mutex_unlock(&ws->lock);
    return NULL;
}

struct workers *workers_start(struct db *first, int n, work_fn run)
{
    struct workers *ws = xcalloc(1, sizeof(*ws));
    if (!db_shareable(first))
        n = 1;
    pthread_mutex_init(&ws->lock, NULL);
    ws->run = run;
    ws->workers = xcalloc((size_t)n, sizeof(*ws->workers));
    for (int i = 0; i < n; i++) {
        struct worker *w = &ws->workers[i];
        w->ws = ws;
        w->first = first;
        w->db = i == 0 ? first : NULL;
        pthread_cond_init(&w->wake, NULL);
        if (pthread_create(&w->thread, NULL, worker_main, w)) {
            log_error("cannot start worker %d", i + 1);
            pthread_cond_destroy(&w->wake);
            break;
        }
        ws->n++;
    }
    if (ws->n == n)
        return ws;
    workers_stop(ws, NULL);
    return NULL;
}

int workers_count(const struct workers *ws)
{
    return ws->n;
}

void workers_stop(struct workers *ws, void (*drop)(struct work *w))
{
    if (!ws)
        return;
    pthread_mutex_lock(&ws->lock);
    ws->stopping = true;
    for (int i = 0; i < ws->n; i++)
        pthread_cond_signal(&ws->workers[i].wake);
    pthread_mutex_unlock(&ws->lock);
    for (int i = 0; i < ws->n; i++) {
        pthread_join(ws->workers[i].thread, NULL);
        pthread_cond_destroy(&ws->workers[i].wake);
        if (ws->workers[i].db == &ws->workers[i].own)
            db_close(&ws->workers[i].own);
    }
    for (size_t b = 0; b < LANE_BUCKETS; b++)
        while (ws->buckets[b]) {
            struct lane *l = ws->buckets[b];
            while (l->head) {
                struct work *w = lane_pop(l);
                if (drop)
                    drop(w);
            }
            ws->buckets[b] = l->next_in_bucket;
            free(l);
        }
    pthread_mutex_destroy(&ws->lock);
    free(ws->workers);
    free(ws);
}
