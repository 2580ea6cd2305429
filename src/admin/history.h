/* Subscription history as the admin API shows it. */
#ifndef MOCK3AS_HISTORY_H
#define MOCK3AS_HISTORY_H

#include "billing/clock.h"
#include "store/events_db.h"

struct strbuf;

/* A clock move's transition as JSON text appended to `sb`: {at, action, subscriptionId, type,
 * fromPackageId, toPackageId, statusBefore, statusAfter, periods, until}, the bytes
 * cJSON_PrintUnformatted() would print for it, without building the tree (a clock move lists
 * up to 1,000: as cJSON trees, about 7 ms of a P1Y over 10,000 subscriptions). */
void transition_write_json(struct strbuf *sb, const struct transition *t);
#define TRANSITION_JSON_HINT 340 /* about what one takes, with both package ids */

#endif
