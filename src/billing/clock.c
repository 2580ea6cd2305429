/* The per-partner clock and the catch-up that applies due subscription transitions. */
#include "billing/clock.h"

#include <stdlib.h>
#include <string.h>

#include "billing/submachine.h"
#include "store/packages_db.h"
#include "store/usage_db.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

int64_t clock_now(const struct partner_clock *c, int64_t wall)
{
    return c->frozen_at >= 0 ? c->frozen_at : wall + c->offset;
}

/* ---- catch-up ---- */

/* The partner's packages, loaded once per catch-up as transitions ask for them (at most the
 * partner's catalogue). */
struct package_cache {
    struct package *items;
    size_t n, alloc;
};

static const struct package *cached_package(struct db *db, struct package_cache *pc,
                                            const char *intp_id, const char *id)
{
    if (!id[0])
        return NULL;
    for (size_t i = 0; i < pc->n; i++)
        if (strcmp(pc->items[i].id, id) == 0)
            return &pc->items[i];
    ALLOC_GROW(pc->items, pc->n + 1, pc->alloc);
    if (packages_db_get(db, intp_id, id, &pc->items[pc->n]) != DB_OK)
        return NULL;
    return &pc->items[pc->n++];
}

/* A transition to list, with the order it was applied in (ties in time keep it). */
struct listed {
    struct transition t;
    size_t seq;
};

/* One slice: the due subscriptions read, and which of them start a new touchpoint period. */
struct slice {
    struct due_subscription due[CLOCK_SLICE];
    size_t n;
    struct strbuf resets; /* JSON array of the subscriptions whose usage goes back to zero */
};

struct due_walk {
    struct db *db;
    const char *intp_id;
    int64_t now;
    struct package_cache packages;
    struct listed *listed; /* up to CLOCK_MAX_LISTED */
    size_t nlisted;
    int64_t total;
    struct slice *slice;
    bool in_use; /* a website of the partner has usage: resets to make */
};

/* The rowid of package `id` ("" for none: 0), from the catch-up's cache. */
static int64_t package_key(struct due_walk *w, const char *id)
{
    const struct package *p = cached_package(w->db, &w->packages, w->intp_id, id);
    return p ? p->rowid : 0;
}

/* Record one (possibly folded) transition: history row, and the answer's list. */
static int record(struct due_walk *w, const struct due_subscription *due,
                  const struct sub_event *ev)
{
    const struct subscription *s = &due->sub;
    struct event_keys keys = {due->rowid, package_key(w, ev->from_package_id),
                              package_key(w, ev->to_package_id)};
    if ((ev->from_package_id[0] && !keys.from_package) ||
        (ev->to_package_id[0] && !keys.to_package) ||
        events_db_insert_keyed(w->db, &keys, ev) != DB_OK)
        return -1;
    if (w->listed && w->nlisted < CLOCK_MAX_LISTED) {
        struct listed *l = &w->listed[w->nlisted];
        l->t.ev = *ev;
        memcpy(l->t.subscription_id, s->id, sizeof(l->t.subscription_id));
        memcpy(l->t.type, s->type, sizeof(l->t.type));
        l->seq = w->nlisted++;
    }
    w->total++;
    return 0;
}

/* Step one subscription until nothing more is due; consecutive renewals (or touchpoint
 * resets) fold into one recorded event. */
static int catch_up_one(struct due_walk *w, const struct due_subscription *due)
{
    struct subscription s = due->sub;
    struct sub_event ev, pending;
    bool reset = false, has_pending = false;
    for (;;) {
        struct sub_packages pk = {
            cached_package(w->db, &w->packages, w->intp_id, s.package_id),
            cached_package(w->db, &w->packages, w->intp_id, s.planned_package_id),
            cached_package(w->db, &w->packages, w->intp_id, s.trial_fallback_id)};
        if (!pk.current)
            return -1;
        if (!sub_skip(&s, pk.current, w->now, &ev) && !sub_step(&s, &pk, w->now, &ev))
            break;
        reset |= sub_event_resets_usage(&ev);
        if (has_pending && sub_event_fold(&pending, &ev))
            continue;
        if (has_pending && record(w, due, &pending))
            return -1;
        pending = ev;
        has_pending = true;
    }
    if (has_pending && record(w, due, &pending))
        return -1;
    if (reset && w->in_use) { /* ids are uuids: nothing to escape */
        struct strbuf *r = &w->slice->resets;
        if (r->len > 1)
            strbuf_addch(r, ',');
        strbuf_addch(r, '"');
        strbuf_addstr(r, s.id);
        strbuf_addch(r, '"');
    }
    return subscriptions_db_update_due(w->db, due, &s) == DB_OK ? 0 : -1;
}

/* Apply what is due to the subscriptions of the slice, then zero the usage of those that
 * started a new touchpoint period (one statement). With `may_yield`, stop early when a writer
 * of another partner waits for the turn: *done gets how many were applied (at least one). */
static int catch_up_slice(struct due_walk *w, bool may_yield, size_t *done)
{
    struct slice *sl = w->slice;
    size_t i = 0;
    strbuf_reset(&sl->resets);
    strbuf_addch(&sl->resets, '[');
    while (i < sl->n) {
        if (catch_up_one(w, &sl->due[i++]))
            return -1;
        if (may_yield && i % CLOCK_TURN_CHECK == 0 && db_turn_wanted(w->db))
            break;
    }
    *done = i;
    strbuf_addch(&sl->resets, ']');
    if (sl->resets.len > 2 && usage_db_reset_many(w->db, w->intp_id, sl->resets.buf) != DB_OK)
        return -1;
    return 0;
}

/* Walk the due subscriptions `size` at a time: each slice is read after the one before was
 * written, so that the walk may commit between slices (with `may_yield`). A slice cut short
 * for a waiting writer goes on from its last applied subscription: the next read starts after
 * it (those applied are no longer due). */
static int walk_due(struct due_walk *w, size_t size, bool may_yield)
{
    struct due_cursor cursor = DUE_CURSOR_START;
    for (;;) {
        struct slice *sl = w->slice;
        size_t done = 0;
        /* usage only goes back to zero during a catch-up, but a request that ran at a yield
         * may have recorded some: none now, none to reset in this slice */
        if (usage_db_in_use(w->db, w->intp_id, &w->in_use) != DB_OK ||
            subscriptions_db_due_page(w->db, w->intp_id, w->now, &cursor, sl->due, size, &sl->n) !=
                DB_OK ||
            catch_up_slice(w, may_yield, &done))
            return -1;
        if (done < sl->n)
            cursor = (struct due_cursor){sl->due[done - 1].due_at, sl->due[done - 1].rowid};
        else if (sl->n < size)
            return 0;
        if (may_yield && db_yield(w->db))
            return -1;
    }
}

static int by_time(const void *a, const void *b)
{
    const struct listed *x = a, *y = b;
    if (x->t.ev.at != y->t.ev.at)
        return x->t.ev.at < y->t.ev.at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int clock_catch_up(struct db *db, const char *intp_id, int64_t now, struct catch_up *out)
{
    struct due_walk w = {.db = db, .intp_id = intp_id, .now = now};
    if (out && out->want_list)
        w.listed = xcalloc(CLOCK_MAX_LISTED, sizeof(*w.listed));
    w.slice = xmalloc(sizeof(*w.slice));
    strbuf_init(&w.slice->resets, 0);
    size_t size = out && out->slice && out->slice < CLOCK_SLICE ? out->slice : CLOCK_SLICE;
    int rc = walk_due(&w, size, out && out->may_yield);
    strbuf_release(&w.slice->resets);
    if (w.nlisted)
        qsort(w.listed, w.nlisted, sizeof(*w.listed), by_time);
    if (out) {
        out->total = w.total;
        out->nlisted = w.nlisted;
        out->listed = out->want_list ? xcalloc(w.nlisted + 1, sizeof(*out->listed)) : NULL;
        for (size_t i = 0; i < w.nlisted; i++)
            out->listed[i] = w.listed[i].t;
    }
    free(w.listed);
    free(w.slice);
    free(w.packages.items);
    if (rc)
        log_error("clock: could not apply the transitions due for intp %s", intp_id);
    return rc;
}

void clock_catch_up_release(struct catch_up *c)
{
    free(c->listed);
    c->listed = NULL;
    c->nlisted = 0;
}
