/* A website's synthetic site, placed in time (site.h). */
#include "data/site.h"

#include "store/events_db.h"

/* The time of the last event that zeroed the subscription's usage (a folded run of renewals or
 * resets: the last of them). */
static void last_reset(const struct history_row *row, void *ctx)
{
    int64_t *at = ctx;
    const struct sub_event *ev = &row->ev;
    if (sub_event_kind_resets_usage(ev->kind))
        *at = ev->periods > 1 ? ev->until_at : ev->at;
}

enum db_result data_site_open(struct db *db, const char *intp_id, const char *uuid, int64_t now,
                              struct website_view *v, struct synth_site *site)
{
    enum db_result r = websites_db_view_by_uuid(db, intp_id, uuid, v);
    if (r != DB_OK)
        return r;
    int64_t reset = v->w.created_at;
    r = events_db_foreach(db, v->w.subscription_id, last_reset, &reset);
    if (r != DB_OK)
        return r;
    synth_site_init(site, v->w.id, v->w.domain, v->touchpoints, v->usage[USAGE_VISITS]);
    synth_site_bind(site, v->w.created_at, reset, now);
    return DB_OK;
}
