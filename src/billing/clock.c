/* The per-partner clock and the catch-up that applies due subscription transitions. */
#include "billing/clock.h"

#include <stdlib.h>
#include <string.h>

#include "http/jsonutil.h"
#include "util/log.h"
#include "store/packages_db.h"
#include "billing/submachine.h"
#include "billing/subscriptions.h"
#include "util/util.h"

static void read_clock(sqlite3_stmt *st, void *out)
{
    struct partner_clock *c = out;
    c->offset = sqlite3_column_int64(st, 0);
    c->frozen_at = db_column_int_or(st, 1, -1);
}

enum db_result clock_get(struct db *db, const char *intp_id, struct partner_clock *out)
{
    return db_row_text(db, STMT_INTP_CLOCK_GET,
                       "SELECT clock_offset, clock_frozen_at FROM intps WHERE id = ?1", read_clock,
                       out, 1, intp_id);
}

enum db_result clock_set(struct db *db, const char *intp_id, const struct partner_clock *c)
{
    sqlite3_stmt *st = db_stmt(db, STMT_INTP_CLOCK_SET,
                               "UPDATE intps SET clock_offset = ?2, clock_frozen_at = ?3 WHERE "
                               "id = ?1");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, c->offset);
    db_bind_int_or_null(st, 3, c->frozen_at);
    return db_step_done(db, st, true);
}

int64_t clock_now(const struct partner_clock *c, int64_t wall)
{
    return c->frozen_at >= 0 ? c->frozen_at : wall + c->offset;
}

/* ---- catch-up ---- */

/* The partner's packages, loaded once per catch-up as transitions ask for them. */
struct package_cache {
    struct package *items;
    size_t n, cap;
};

static const struct package *cached_package(struct db *db, struct package_cache *pc,
                                            const char *intp_id, const char *id)
{
    if (!id[0])
        return NULL;
    for (size_t i = 0; i < pc->n; i++)
        if (strcmp(pc->items[i].id, id) == 0)
            return &pc->items[i];
    if (pc->n == pc->cap) {
        pc->cap = pc->cap ? pc->cap * 2 : 32;
        struct package *grown = realloc(pc->items, pc->cap * sizeof(*grown));
        if (!grown)
            abort();
        pc->items = grown;
    }
    if (packages_db_get(db, intp_id, id, &pc->items[pc->n]) != DB_OK)
        return NULL;
    return &pc->items[pc->n++];
}

/* A transition to list, with its time for the final ordering. */
struct listed {
    int64_t at;
    size_t seq; /* the order it was applied in: ties keep it */
    cJSON *item;
};

struct due_walk {
    struct db *db;
    const char *intp_id;
    int64_t now;
    struct package_cache packages;
    struct listed *listed; /* up to CLOCK_MAX_LISTED */
    size_t nlisted;
    int64_t total;
    cJSON *resets; /* subscriptions whose websites' usage goes back to zero */
};

static cJSON *transition_to_json(const struct subscription *s, const struct sub_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    json_add_time(o, "at", ev->at);
    cJSON_AddStringToObject(o, "action", ev->action);
    cJSON_AddStringToObject(o, "subscriptionId", s->id);
    cJSON_AddStringToObject(o, "type", s->type);
    json_add_string_or_null(o, "fromPackageId",
                            ev->from_package_id[0] ? ev->from_package_id : NULL);
    json_add_string_or_null(o, "toPackageId", ev->to_package_id[0] ? ev->to_package_id : NULL);
    cJSON_AddStringToObject(o, "statusBefore", ev->status_before);
    cJSON_AddStringToObject(o, "statusAfter", ev->status_after);
    cJSON_AddNumberToObject(o, "periods", (double)ev->periods);
    json_add_time(o, "until", ev->periods > 1 ? ev->until_at : -1);
    return o;
}

/* Record one (possibly folded) transition: history row, and the answer's list. */
static int record(struct due_walk *w, const struct subscription *s, const struct sub_event *ev)
{
    if (events_db_insert(w->db, s->id, ev) != DB_OK)
        return -1;
    if (w->listed && w->nlisted < CLOCK_MAX_LISTED) {
        w->listed[w->nlisted] = (struct listed){ev->at, w->nlisted, transition_to_json(s, ev)};
        w->nlisted++;
    }
    w->total++;
    return 0;
}

/* Step one subscription until nothing more is due; consecutive renewals (or touchpoint
 * resets) fold into one recorded event. */
static int catch_up_one(struct due_walk *w, struct subscription *s)
{
    struct sub_event ev, pending;
    bool reset = false, has_pending = false;
    for (;;) {
        struct sub_packages pk = {
            cached_package(w->db, &w->packages, w->intp_id, s->package_id),
            cached_package(w->db, &w->packages, w->intp_id, s->planned_package_id),
            cached_package(w->db, &w->packages, w->intp_id, s->trial_fallback_id)};
        if (!pk.current)
            return -1;
        if (!sub_step(s, &pk, w->now, &ev))
            break;
        reset |= sub_event_resets_usage(&ev);
        if (has_pending && sub_event_fold(&pending, &ev))
            continue;
        if (has_pending && record(w, s, &pending))
            return -1;
        pending = ev;
        has_pending = true;
    }
    if (has_pending && record(w, s, &pending))
        return -1;
    if (reset)
        cJSON_AddItemToArray(w->resets, cJSON_CreateString(s->id));
    return subscriptions_db_update(w->db, s) == DB_OK ? 0 : -1;
}

/* The due subscriptions, read in one scan. */
struct due_list {
    struct subscription *items;
    size_t n, cap;
};

static void collect_due(const struct subscription *s, void *ctx)
{
    struct due_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        struct subscription *grown = realloc(l->items, l->cap * sizeof(*grown));
        if (!grown)
            abort();
        l->items = grown;
    }
    l->items[l->n++] = *s;
}

/* Zero the usage of every subscription the walk started a new touchpoint period for, in one
 * statement. */
static int reset_usage(struct due_walk *w)
{
    char *ids = cJSON_PrintUnformatted(w->resets);
    int rc = ids && usage_db_reset_many(w->db, ids) == DB_OK ? 0 : -1;
    cJSON_free(ids);
    return rc;
}

static int by_time(const void *a, const void *b)
{
    const struct listed *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int clock_catch_up(struct db *db, const char *intp_id, int64_t now, struct catch_up *out)
{
    struct due_walk w = {.db = db, .intp_id = intp_id, .now = now};
    struct due_list due = {0};
    int rc = 0;
    if (out && out->listed)
        w.listed = xcalloc(CLOCK_MAX_LISTED, sizeof(*w.listed));
    /* collect first: the updates below change the rows the scan walks */
    if (subscriptions_db_foreach_due(db, intp_id, now, collect_due, &due) != DB_OK)
        rc = -1;
    w.resets = cJSON_CreateArray();
    for (size_t i = 0; i < due.n && rc == 0; i++)
        rc = catch_up_one(&w, &due.items[i]);
    if (rc == 0 && due.n && reset_usage(&w))
        rc = -1;
    cJSON_Delete(w.resets);
    if (w.nlisted)
        qsort(w.listed, w.nlisted, sizeof(*w.listed), by_time);
    for (size_t i = 0; i < w.nlisted; i++)
        cJSON_AddItemToArray(out->listed, w.listed[i].item);
    if (out)
        out->total = w.total;
    free(w.listed);
    free(due.items);
    free(w.packages.items);
    if (rc)
        log_error("clock: could not apply the transitions due for intp %s", intp_id);
    return rc;
}
