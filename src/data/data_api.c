/* The X-Api-Key data API (contract D7): session analytics, page analytics and raw sessions of
 * the key's own website, over synthetic data (synth.c, analytics.c) placed in time by site.c, as
 * the dashboard's. The router has checked the key and that {websiteId} is its website. */
#include "data/analytics.h"
#include "data/data.h"
#include "data/site.h"
#include "http/validate.h"

static enum http_status run(struct request *req, struct response *res, enum data_view view)
{
    struct website_view v;
    struct synth_site site;
    cJSON *body = NULL;
    char err[300], field[64];
    int64_t now = request_now(req);
    if (data_site_open(req->db, req->auth.intp_id, req->auth.website_id, now, &v, &site) != DB_OK)
        return reply_error(res, ERR_WEBSITE_NOT_FOUND, "websiteId", "the website is gone");
    if (request_json_object_or_reply(req, res, &body))
        return res->status;
    cJSON *answer = data_query(&site, view, body, now, err, sizeof(err), field, sizeof(field));
    cJSON_Delete(body);
    if (!answer)
        return reply_error(res, ERR_VALIDATION, field, "%s", err);
    return reply_json(res, HTTP_OK, answer);
}

/* POST /v2/websites/{websiteId}/analytics/sessions {metrics, dimensions?, where?, order?,
 *   pagination?, dateRange, previousDateRange?} -> 200 {payload: [row], meta} | 400 | 401 | 403 */
enum http_status data_session_analytics(struct request *req, struct response *res)
{
    return run(req, res, VIEW_SESSIONS);
}

/* POST /v2/websites/{websiteId}/analytics/pages (the same body; a row per page viewed) */
enum http_status data_page_analytics(struct request *req, struct response *res)
{
    return run(req, res, VIEW_PAGES);
}

/* POST /v2/websites/{websiteId}/sessions {dateRange, where?, order?, pagination?, fields?}
 *   -> 200 {payload: [session], meta} | 400 | 401 | 403 */
enum http_status data_raw_sessions(struct request *req, struct response *res)
{
    return run(req, res, VIEW_RAW);
}
