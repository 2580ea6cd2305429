/* The X-Api-Key data API's queries (contract D7, §10): session and page analytics (metrics by
 * dimensions over a date range, filtered, ordered, paginated, optionally compared with a previous
 * range) and raw sessions, all computed from the same synthetic sessions (synth.c), so both views
 * always agree. Pure: no I/O; the caller gives the site, the time and the request body. */
#ifndef MOCK3AS_ANALYTICS_H
#define MOCK3AS_ANALYTICS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "data/synth.h"

#define DATA_MAX_RANGE_DAYS 366
#define DATA_PAGE_SIZE_MAX  1000

enum data_view { VIEW_SESSIONS, VIEW_PAGES, VIEW_RAW };

/* Run `body` (the POST body, borrowed) as a `view` query on `site` at partner time `now`.
 * Returns a new {"payload": [...], "meta": {...}} object, or NULL with a message (and the field
 * or member it names) in err[errlen] / field[fieldlen] for a 400. */
cJSON *data_query(const struct synth_site *site, enum data_view view, const cJSON *body,
                  int64_t now, char *err, size_t errlen, char *field, size_t fieldlen);

#endif
