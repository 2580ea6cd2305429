/* The admin API of recorded usage: touchpoint consumption for a website, at the documented
 * rates. */
#include "admin/admin.h"
#include "api/render.h"
#include "api/resources.h"
#include "http/validate.h"
#include "store/usage_db.h"

/* Visits one website may record in one touchpoint period: the synthetic sessions of the current
 * period are generated from them, one per visit, on every data-API or dashboard request (about
 * 0.75 s at this ceiling), so the ceiling bounds what one tenant's usage can cost the others. */
#define MAX_PERIOD_VISITS 50000

/* POST /__admin/intps/{id}/websites/{intpWebsiteId}/usage {visits?, visitEvents?,
 *   sessionRecordings?, heatmapIncrements?, pollAnswers?, surveyAnswers?, funnelMatches?}
 *   -> 200 Website with the new consumption | 400 | 404 */
enum http_status admin_website_usage(struct request *req, struct response *res)
{
    static const char *const keys[USAGE__COUNT] = {
        "visits",      "visitEvents",   "sessionRecordings", "heatmapIncrements",
        "pollAnswers", "surveyAnswers", "funnelMatches"};
    struct website w;
    struct website_view v;
    int64_t counts[USAGE__COUNT] = {0};
    cJSON *body = NULL;
    if (website_find_or_reply(req, request_param(req, "intpWebsiteId"), "intpWebsiteId", &w, res) ||
        request_json_object_or_reply(req, res, &body))
        goto out;
    for (int i = 0; i < USAGE__COUNT; i++)
        if (json_int_or_reply(body, keys[i], 0, 1000000000, &counts[i], res))
            goto out;
    if (websites_db_view_by_uuid(req->db, req->auth.intp_id, w.id, &v) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not read the website");
        goto out;
    }
    if (v.usage[USAGE_VISITS] + counts[USAGE_VISITS] > MAX_PERIOD_VISITS) {
        reply_error(res, ERR_VALIDATION, "visits",
                    "a touchpoint period records at most %d visits (the data API and the "
                    "dashboard generate one session per visit); %lld are recorded",
                    MAX_PERIOD_VISITS, (long long)v.usage[USAGE_VISITS]);
        goto out;
    }
    if (usage_db_add(req->db, w.id, counts) != DB_OK ||
        websites_db_view_by_uuid(req->db, req->auth.intp_id, w.id, &v) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not record the usage");
        goto out;
    }
    reply_payload(res, HTTP_OK, website_to_json(&v));
out:
    cJSON_Delete(body);
    return res->status;
}
