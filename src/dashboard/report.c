/* The dashboard's data API queries (report.h). */
#include "dashboard/report.h"

#include <stdlib.h>

#include "billing/calendar.h"
#include "util/util.h"

#define MAX_DAYS 366

static const char *const kpi_metrics[] = {"sessionCount", "visitorCount",         "pageviewCount",
                                          "bounceRate",   "averageVisitDuration", NULL};
static const char *const share_metrics[] = {"sessionCount", "sessionPercentOfTotal", NULL};
static const char *const page_metrics[] = {"pageviewCount", "visitCount", NULL};
static const char *const visit_metric[] = {"visitCount", NULL};

static void add_range(cJSON *body, const char *key, int64_t start, int64_t end)
{
    char s[32], e[32];
    time_format(start, s);
    time_format(end, e);
    cJSON *r = cJSON_AddObjectToObject(body, key);
    cJSON_AddStringToObject(r, "start", s);
    cJSON_AddStringToObject(r, "end", e);
}

/* A query body: `metrics` by `dimension` (NULL: none) over [start, end], ordered by `order`
 * descending (NULL: the data API's default), `size` rows. */
static cJSON *query(const char *const *metrics, const char *dimension, const char *order, int size,
                    int64_t start, int64_t end)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *m = cJSON_AddArrayToObject(body, "metrics");
    for (int i = 0; metrics[i]; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(metrics[i]));
    if (dimension) {
        cJSON *d = cJSON_AddArrayToObject(body, "dimensions");
        cJSON_AddItemToArray(d, cJSON_CreateString(dimension));
    }
    add_range(body, "dateRange", start, end);
    if (order) {
        cJSON *o = cJSON_AddArrayToObject(body, "order"), *by = cJSON_CreateObject();
        cJSON_AddItemToArray(o, by);
        cJSON_AddStringToObject(by, "member", order);
        cJSON_AddStringToObject(by, "direction", "desc");
    }
    cJSON *pg = cJSON_AddObjectToObject(body, "pagination");
    cJSON_AddNumberToObject(pg, "page", 1);
    cJSON_AddNumberToObject(pg, "pageSize", size);
    return body;
}

/* Run `body` (taken) as a `view` query into *q. */
static void run(struct report_query *q, const struct synth_site *site, enum data_view view,
                cJSON *body, int64_t now)
{
    char err[300], field[64];
    q->view = view;
    q->body = cJSON_PrintUnformatted(body);
    q->answer = data_query(site, view, body, now, err, sizeof(err), field, sizeof(field));
    q->refused = q->answer == NULL;
    if (q->refused) { /* an empty answer in its place */
        q->answer = cJSON_CreateObject();
        cJSON_AddArrayToObject(q->answer, "payload");
    }
    q->rows = cJSON_GetObjectItemCaseSensitive(q->answer, "payload");
    cJSON_Delete(body);
}

void report_run(struct report *r, const struct synth_site *site, int64_t start, int64_t end,
                int64_t now)
{
    int64_t last = end + DAY_SECONDS - 1, days = (end - start) / DAY_SECONDS + 1;
    cJSON *kpis = query(kpi_metrics, NULL, NULL, 1, start, last);
    add_range(kpis, "previousDateRange", start - days * DAY_SECONDS, start - 1);
    run(&r->kpis, site, VIEW_SESSIONS, kpis, now);
    run(&r->days, site, VIEW_SESSIONS, query(kpi_metrics, "date", NULL, MAX_DAYS, start, last),
        now);
    run(&r->pages, site, VIEW_PAGES,
        query(page_metrics, "pageUrl", "pageviewCount", 8, start, last), now);
    run(&r->devices, site, VIEW_SESSIONS,
        query(share_metrics, "deviceType", "sessionCount", 6, start, last), now);
    run(&r->browsers, site, VIEW_SESSIONS,
        query(share_metrics, "browserName", "sessionCount", 6, start, last), now);
    run(&r->countries, site, VIEW_SESSIONS,
        query(share_metrics, "countryCode", "sessionCount", 6, start, last), now);
    run(&r->sources, site, VIEW_SESSIONS,
        query(share_metrics, "referrerType", "sessionCount", 6, start, last), now);
    run(&r->period, site, VIEW_SESSIONS,
        query(visit_metric, NULL, NULL, 1, site->period_start < now ? site->period_start : now,
              now),
        now);
}

void report_release(struct report *r)
{
#define REPORT_FREE(name)                                                                          \
    cJSON_free(r->name.body);                                                                      \
    cJSON_Delete(r->name.answer);
    FOR_EACH_REPORT_QUERY(REPORT_FREE)
#undef REPORT_FREE
}

double report_number(const cJSON *row, const char *name)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(row, name);
    return cJSON_IsNumber(n) ? n->valuedouble : 0;
}

bool report_has_number(const cJSON *row, const char *name)
{
    return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(row, name));
}

const char *report_string(const cJSON *row, const char *name)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(row, name);
    return cJSON_IsString(s) ? s->valuestring : "";
}
