/* The entities of the partner API as JSON (contract §4): INTPC, Website, Subscription and the
 * consumption block. Each `…_to_json` returns a new object the caller owns. */
#ifndef MOCK3AS_RENDER_H
#define MOCK3AS_RENDER_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "billing/subscriptions.h"
#include "store/customers_db.h"
#include "store/intps_db.h"
#include "store/usage_db.h"
#include "store/websites_db.h"

/* Add `consumption` (§4.4, all 16 numbers) to `obj`. `limit` is stpLimit (-1: unlimited or a
 * customer pool). */
void usage_add_json(cJSON *obj, const int64_t usage[USAGE__COUNT], int64_t limit);

/* The INTP entity of contract §4.1. */
cJSON *intp_to_json(const struct intp *p);

/* The INTPC entity of contract §4.2. */
cJSON *customer_to_json(const struct customer *c);

/* The Website entity of contract §4.3 / D12 for view `v`. */
cJSON *website_to_json(const struct website_view *v);

/* The Subscription entity of contract §4.6 (pool consumption for an intpc one). */
cJSON *subscription_to_json(const struct sub_target *t);

#endif
