/* The timer of delayed answers (README "Fault injection"): one thread that calls each scheduled
 * function at its time, so that a delayed request holds neither a worker nor its lane while it
 * waits. Its heap holds one (time, fn, arg) per delayed connection, each suspended until then,
 * so the connection limit (--max-connections) bounds it. */
#ifndef MOCK3AS_FAULT_TIMER_H
#define MOCK3AS_FAULT_TIMER_H

#include <stdint.h>

struct fault_timer;

/* Start the thread. NULL (logged) when it cannot be started. */
struct fault_timer *fault_timer_start(void);

/* Call fn(arg) on the timer's thread at monotonic time `due_us` (util/util.h time_mono_us), or
 * at once on the calling thread once the timer is flushed. */
void fault_timer_add(struct fault_timer *t, int64_t due_us, void (*fn)(void *arg), void *arg);

/* Call every scheduled function now (on the calling thread), and from now on call each one at
 * once when it is added (shutdown: no delayed answer is left waiting). */
void fault_timer_flush(struct fault_timer *t);

/* Flush, stop the thread and free `t`. NULL is fine. */
void fault_timer_stop(struct fault_timer *t);

#endif
