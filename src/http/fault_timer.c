/* The timer of delayed answers: a binary min-heap of (due, seq) under one mutex, and a thread
 * that sleeps on a monotonic condition variable until the earliest entry is due. */
#include "http/fault_timer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "util/log.h"
#include "util/util.h"

struct timer_entry {
    int64_t due_us;
    uint64_t seq; /* ties: first added, first called */
    void (*fn)(void *arg);
    void *arg;
};

struct fault_timer {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t thread;
    struct timer_entry *heap;
    size_t n, alloc;
    uint64_t next_seq;
    bool flushed; /* call at once from now on */
    bool stopping;
};

static bool earlier(const struct timer_entry *a, const struct timer_entry *b)
{
    return a->due_us < b->due_us || (a->due_us == b->due_us && a->seq < b->seq);
}

static void swap(struct timer_entry *a, struct timer_entry *b)
{
    struct timer_entry t = *a;
    *a = *b;
    *b = t;
}

static void heap_push(struct fault_timer *t, struct timer_entry e)
{
    ALLOC_GROW(t->heap, t->n + 1, t->alloc);
    size_t i = t->n++;
    t->heap[i] = e;
    while (i > 0 && earlier(&t->heap[i], &t->heap[(i - 1) / 2])) {
        swap(&t->heap[i], &t->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static struct timer_entry heap_pop(struct fault_timer *t)
{
    struct timer_entry top = t->heap[0];
    t->heap[0] = t->heap[--t->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < t->n && earlier(&t->heap[l], &t->heap[m]))
            m = l;
        if (r < t->n && earlier(&t->heap[r], &t->heap[m]))
            m = r;
        if (m == i)
            break;
        swap(&t->heap[i], &t->heap[m]);
        i = m;
    }
    return top;
}

static void *timer_main(void *arg)
{
    struct fault_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stopping) {
        if (!t->n) {
            pthread_cond_wait(&t->changed, &t->lock);
            continue;
        }
        if (t->heap[0].due_us > time_mono_us()) {
            struct timespec ts = time_mono_timespec(t->heap[0].due_us);
            pthread_cond_timedwait(&t->changed, &t->lock, &ts);
            continue;
        }
        struct timer_entry e = heap_pop(t);
        pthread_mutex_unlock(&t->lock);
        e.fn(e.arg);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

struct fault_timer *fault_timer_start(void)
{
    struct fault_timer *t = xcalloc(1, sizeof(*t));
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* time_mono_us's clock */
    pthread_cond_init(&t->changed, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&t->lock, NULL);
    if (pthread_create(&t->thread, NULL, timer_main, t)) {
        log_error("cannot start the fault timer thread");
        pthread_cond_destroy(&t->changed);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return NULL;
    }
    return t;
}

void fault_timer_add(struct fault_timer *t, int64_t due_us, void (*fn)(void *arg), void *arg)
{
    pthread_mutex_lock(&t->lock);
    if (t->flushed) {
        pthread_mutex_unlock(&t->lock);
        fn(arg);
        return;
    }
    heap_push(t, (struct timer_entry){due_us, t->next_seq++, fn, arg});
    if (t->heap[0].seq == t->next_seq - 1) /* a new earliest: the thread sleeps too long */
        pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->lock);
}

void fault_timer_flush(struct fault_timer *t)
{
    pthread_mutex_lock(&t->lock);
    t->flushed = true;
    while (t->n) {
        struct timer_entry e = heap_pop(t);
        pthread_mutex_unlock(&t->lock);
        e.fn(e.arg);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
}

void fault_timer_stop(struct fault_timer *t)
{
    if (!t)
        return;
    fault_timer_flush(t);
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->lock);
    free(t->heap);
    free(t);
}
