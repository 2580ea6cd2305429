/* Subscription history as the admin API shows it. */
#ifndef MOCK3AS_HISTORY_H
#define MOCK3AS_HISTORY_H

#include <cjson/cJSON.h>

#include "billing/clock.h"
#include "store/events_db.h"

/* One change as JSON: at, action, fromPackageId, toPackageId, statusBefore, statusAfter,
 * periods, until; with `row` (a stored event) also the package names and the proration, with
 * `t` (a clock move's transition) the subscription's id and type. New object. */
cJSON *event_to_json(const struct sub_event *ev, const struct history_row *row,
                     const struct transition *t);

#endif
