/* The admin API of a partner's clock (contract §6): read it, and move it forward (advance, set,
 * freeze), applying and listing every scheduled transition the move passes. The dispatcher has
 * already put the request on the {id} partner's clock and applied what was due. */
#include "admin/admin.h"
#include "admin/history.h"
#include "api/resources.h"
#include "billing/calendar.h"
#include "billing/clock.h"
#include "http/metrics.h"
#include "http/validate.h"
#include "store/clock_db.h"
#include "util/strbuf.h"
#include "util/util.h"

static cJSON *clock_to_json(const struct partner_clock *c, int64_t now)
{
    cJSON *o = cJSON_CreateObject();
    json_add_time(o, "now", now);
    cJSON_AddBoolToObject(o, "frozen", c->frozen_at >= 0);
    cJSON_AddNumberToObject(o, "offsetSeconds", (double)c->offset);
    return o;
}

/* GET /__admin/intps/{id}/clock -> 200 {now, frozen, offsetSeconds} | 404 */
enum http_status admin_clock_get(struct request *req, struct response *res)
{
    return reply_json(res, HTTP_OK, clock_to_json(&req->clock, req->now));
}

#define CLOCK_MAX_MOVE_MONTHS 1200         /* 100 years per call */
#define CLOCK_END             221845392000 /* 9000-01-01T00:00:00Z */

/* The moment the body asks for: now + advanceBy, or set; never before now, at most 100 years
 * ahead, and before CLOCK_END: a period or trial that starts before it ends before year
 * 10000. */
static int clock_target_or_reply(const cJSON *body, int64_t now, int64_t *target,
                                 struct response *res)
{
    const char *by, *at;
    int months;
    int64_t seconds;
    *target = now;
    if (json_string_or_reply(body, "advanceBy", false, 64, &by, res) ||
        json_string_or_reply(body, "set", false, 64, &at, res))
        return -1;
    if (by && at) {
        reply_error(res, ERR_VALIDATION, "set", "give advanceBy or set, not both");
        return -1;
    }
    if (by && cal_parse_duration(by, &months, &seconds)) {
        reply_error(res, ERR_VALIDATION, "advanceBy",
                    "advanceBy must be an ISO-8601 duration such as P1M, P30D, PT12H or P1Y2M");
        return -1;
    }
    int64_t limit = cal_add_months(now, CLOCK_MAX_MOVE_MONTHS);
    if (by && (months > CLOCK_MAX_MOVE_MONTHS || seconds > limit - now))
        months = CLOCK_MAX_MOVE_MONTHS + 1; /* refused below, without overflowing */
    else if (by)
        *target = cal_add_duration(now, months, seconds);
    if (at && timestamp_or_reply(body, "set", target, res))
        return -1;
    if (*target < now) {
        reply_error(res, ERR_VALIDATION, "set", "the clock cannot move backwards");
        return -1;
    }
    if ((by && months > CLOCK_MAX_MOVE_MONTHS) || *target > limit) {
        reply_error(res, ERR_VALIDATION, by ? "advanceBy" : "set",
                    "the clock moves at most 100 years (P100Y) per call");
        return -1;
    }
    if (*target >= CLOCK_END) {
        reply_error(res, ERR_VALIDATION, by ? "advanceBy" : "set",
                    "the clock stops before 9000-01-01T00:00:00Z (every date it leads to stays "
                    "a four-digit year)");
        return -1;
    }
    return 0;
}

/* 200 {now, frozen, offsetSeconds, transitions, transitionsTotal}: clock_to_json's members, then
 * the transitions written as text (transition_write_json), the bytes cJSON would print. */
static void reply_moved(struct response *res, const struct partner_clock *c, int64_t now,
                        const struct catch_up *applied)
{
    struct strbuf sb = STRBUF_INIT;
    /* one allocation for the answer: a transition takes 300-odd bytes (fresh memory costs a
     * page fault per 4 KiB here, and each doubling copies what was written) */
    strbuf_grow(&sb, 128 + applied->nlisted * TRANSITION_JSON_HINT);
    cJSON *head = clock_to_json(c, now);
    char *text = cJSON_PrintUnformatted(head);
    cJSON_Delete(head);
    if (!text) {
        reply_error(res, ERR_INTERNAL, NULL, "out of memory");
        return;
    }
    strbuf_add(&sb, text, strlen(text) - 1); /* without its closing brace */
    cJSON_free(text);
    strbuf_addstr(&sb, ",\"transitions\":[");
    for (size_t i = 0; i < applied->nlisted; i++) {
        if (i)
            strbuf_addch(&sb, ',');
        transition_write_json(&sb, &applied->listed[i]);
    }
    strbuf_addf(&sb, "],\"transitionsTotal\":%lld}", (long long)applied->total);
    size_t len = sb.len;
    reply_json_text(res, HTTP_OK, strbuf_detach(&sb, NULL), len);
}

/* POST /__admin/intps/{id}/clock {advanceBy? | set?, freeze?} -> 200 {now, frozen,
 *   offsetSeconds, transitions: [...], transitionsTotal} | 400 | 404: every transition the move
 *   passes is applied, in time order, holding the write lock for CLOCK_SLICE subscriptions at
 *   a time, or fewer when a writer of another partner waits (billing/clock.c) */
enum http_status admin_clock_set(struct request *req, struct response *res)
{
    struct partner_clock c = req->clock; /* read by the dispatcher, in this transaction */
    /* may yield: once the clock is stored, any state between two slices is one the next
     * request catches up from */
    struct catch_up applied = {.want_list = true, .may_yield = true};
    cJSON *body = NULL;
    int64_t target, wall = time_now();
    bool frozen;
    if (request_json_object_or_reply(req, res, &body) ||
        clock_target_or_reply(body, req->now, &target, res))
        goto out;
    frozen = c.frozen_at >= 0;
    if (json_bool_or_reply(body, "freeze", &frozen, res))
        goto out;
    c.offset = target - wall;
    c.frozen_at = frozen ? target : -1;
    if (clock_db_set(req->db, req->auth.intp_id, &c) != DB_OK ||
        clock_catch_up(req->db, req->auth.intp_id, target, &applied)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not move the clock");
        goto out;
    }
    reply_moved(res, &c, target, &applied);
    metrics_clock_moved(req->app->metrics, applied.total);
out:
    clock_catch_up_release(&applied);
    cJSON_Delete(body);
    return res->status;
}
