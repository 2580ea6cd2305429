/* A website's synthetic site, placed in time: the one place that turns a website's state (its
 * package, its creation, its current touchpoint period and the visits recorded in it) into the
 * parameters of synth.c. The data API and the dashboard both open their site here, so the numbers
 * they show come from the same sessions. */
#ifndef MOCK3AS_SITE_H
#define MOCK3AS_SITE_H

#include <stdint.h>

#include "data/synth.h"
#include "store/db.h"
#include "store/websites_db.h"

/* Website `uuid` of partner `intp_id` into *v and its site at the partner's time `now` into
 * *site: no sessions before v->w.created_at; the closed touchpoint periods at the package's
 * traffic; from site->period_start (the last usage reset of the website's subscription, or its
 * creation) exactly v->usage[USAGE_VISITS] sessions. DB_NOT_FOUND for an unknown website. */
enum db_result data_site_open(struct db *db, const char *intp_id, const char *uuid, int64_t now,
                              struct website_view *v, struct synth_site *site);

#endif
