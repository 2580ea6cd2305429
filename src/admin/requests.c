/* The admin API of the request journal (http/journal.h): list and search what was asked and
 * answered, count it, list the requests that matched no route with the routes nearest to them,
 * and forget it. With --no-journal every answer is empty. */
#include "admin/requests.h"

#include <stdlib.h>
#include <string.h>

#include "http/journal.h"
#include "http/validate.h"
#include "util/util.h"

#define LIST_DEFAULT 100  /* entries a list answers when no limit is given */
#define LIST_MAX     1000 /* the largest limit */
#define NEAR_MISSES  3

static const char *non_empty(const char *s)
{
    return s && *s ? s : NULL;
}

/* "401" or "4xx" into [*min, *max]. Returns 0, or -1 when it is neither. */
static int parse_status(const char *s, int *min, int *max)
{
    char *end;
    if (s[0] >= '1' && s[0] <= '5' && strcmp(s + 1, "xx") == 0) {
        *min = (s[0] - '0') * 100;
        *max = *min + 99;
        return 0;
    }
    long n = strtol(s, &end, 10);
    if (end == s || *end || n < 100 || n > 599)
        return -1;
    *min = *max = (int)n;
    return 0;
}

static int status_or_reply(const char *s, struct journal_query *q, struct response *res)
{
    if (!parse_status(s, &q->status_min, &q->status_max))
        return 0;
    reply_error(res, ERR_VALIDATION, "status",
                "status must be a status code such as 401, or a class such as 4xx");
    return -1;
}

static int since_or_reply(const char *s, struct journal_query *q, struct response *res)
{
    int64_t t;
    if (!time_parse(s, &t)) {
        q->since_us = t * 1000000;
        return 0;
    }
    reply_error(res, ERR_VALIDATION, "since",
                "since must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z");
    return -1;
}

/* {"enabled", "entries", "bytes", "dropped"}: the journal as a whole. */
static cJSON *journal_meta(struct journal *j)
{
    size_t entries = 0, bytes = 0;
    uint64_t dropped = 0;
    cJSON *meta = cJSON_CreateObject();
    if (j)
        journal_stats(j, &entries, &bytes, &dropped);
    cJSON_AddBoolToObject(meta, "enabled", j != NULL);
    cJSON_AddNumberToObject(meta, "entries", (double)entries);
    cJSON_AddNumberToObject(meta, "bytes", (double)bytes);
    cJSON_AddNumberToObject(meta, "dropped", (double)dropped);
    return meta;
}

/* "GET /v2/3as/customers", … : the routes nearest to an entry that matched none. */
static void add_near_misses(cJSON *o, const struct route *routes, const struct journal_entry *e)
{
    const struct route *near[NEAR_MISSES];
    int n = router_near_misses(routes, e->method, e->path, near, NEAR_MISSES);
    cJSON *list = cJSON_AddArrayToObject(o, "nearMisses");
    for (int i = 0; i < n; i++) {
        char text[512];
        snprintf(text, sizeof(text), "%s %s", near[i]->method, near[i]->pattern);
        cJSON_AddItemToArray(list, cJSON_CreateString(text));
    }
}

/* The entries matching `q`, newest first, as {"payload": [...], "meta": …}. */
static enum http_status reply_entries(struct request *req, const struct journal_query *q,
                                      struct response *res)
{
    struct journal *j = req->app->journal;
    struct journal_entry **found = NULL;
    size_t n = j ? journal_find(j, q, &found) : 0;
    cJSON *items = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = journal_entry_to_json(found[i]);
        cJSON_AddItemToArray(items, o);
        if (found[i]->unmatched)
            add_near_misses(o, req->app->routes, found[i]);
    }
    journal_entries_release(found, n);
    return reply_list(res, items, journal_meta(j));
}

/* The list filters of the query string into *q. */
static int query_filters_or_reply(struct request *req, struct journal_query *q,
                                  struct response *res)
{
    const char *status = non_empty(request_query(req, "status"));
    const char *since = non_empty(request_query(req, "since"));
    const char *limit = non_empty(request_query(req, "limit"));
    q->intp_id = non_empty(request_query(req, "intpId"));
    q->method = non_empty(request_query(req, "method"));
    q->path = non_empty(request_query(req, "path"));
    q->route = non_empty(request_query(req, "route"));
    q->limit = LIST_DEFAULT;
    if ((status && status_or_reply(status, q, res)) || (since && since_or_reply(since, q, res)))
        return -1;
    if (limit) {
        char *end;
        long n = strtol(limit, &end, 10);
        if (end == limit || *end || n < 1 || n > LIST_MAX) {
            reply_error(res, ERR_VALIDATION, "limit", "limit must be a whole number in 1..%d",
                        LIST_MAX);
            return -1;
        }
        q->limit = (size_t)n;
    }
    return 0;
}

/* GET /__admin/requests?intpId=&method=&path=&route=&status=&since=&limit= -> 200 {"payload":
 *   [entries, newest first], "meta": {enabled, entries, bytes, dropped}} | 400 */
enum http_status admin_requests_list(struct request *req, struct response *res)
{
    struct journal_query q = {0};
    if (query_filters_or_reply(req, &q, res))
        return res->status;
    return reply_entries(req, &q, res);
}

/* GET /__admin/requests/unmatched?limit= -> 200 {"payload": [entries with nearMisses]} | 400:
 *   the requests that matched no route */
enum http_status admin_requests_unmatched(struct request *req, struct response *res)
{
    struct journal_query q = {0};
    if (query_filters_or_reply(req, &q, res))
        return res->status;
    q.unmatched = true;
    return reply_entries(req, &q, res);
}

/* GET /__admin/requests/{requestId} -> 200 {"payload": entry} | 404 */
enum http_status admin_requests_get(struct request *req, struct response *res)
{
    const char *id = request_param(req, "requestId");
    struct journal_entry *e = req->app->journal ? journal_get(req->app->journal, id) : NULL;
    if (!e)
        return reply_error(res, ERR_REQUEST_NOT_FOUND, "requestId",
                           "the journal holds no request with id '%s'", id);
    cJSON *o = journal_entry_to_json(e);
    if (e->unmatched)
        add_near_misses(o, req->app->routes, e);
    journal_entry_put(e);
    return reply_payload(res, HTTP_OK, o);
}

/* The members a matcher may have. */
static int matcher_members_or_reply(const cJSON *body, bool with_limit, struct response *res)
{
    static const char *const known[] = {"method", "path",         "route",    "status", "intpId",
                                        "since",  "bodyContains", "bodyJson", "limit"};
    const cJSON *item;
    cJSON_ArrayForEach (item, body) {
        int i = str_index(known, (int)ARRAY_SIZE(known) - !with_limit, item->string);
        if (i >= 0)
            continue;
        reply_error(res, ERR_VALIDATION, item->string,
                    "unknown matcher member '%s'; known: method, path, route, status, intpId, "
                    "since, bodyContains, bodyJson%s",
                    item->string, with_limit ? ", limit" : "");
        return -1;
    }
    return 0;
}

/* A matcher {method?, path?, route?, status?, intpId?, since?, bodyContains?, bodyJson?,
 * limit?} into *q (borrowing from `body`). */
static int matcher_or_reply(const cJSON *body, bool with_limit, struct journal_query *q,
                            struct response *res)
{
    const char *since = NULL;
    int64_t limit = 0;
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(body, "status");
    if (matcher_members_or_reply(body, with_limit, res) ||
        json_string_or_reply(body, "method", false, 16, &q->method, res) ||
        json_string_or_reply(body, "path", false, 8192, &q->path, res) ||
        json_string_or_reply(body, "route", false, 512, &q->route, res) ||
        json_string_or_reply(body, "intpId", false, JWT_MAX_ID, &q->intp_id, res) ||
        json_string_or_reply(body, "since", false, 64, &since, res) ||
        json_string_or_reply(body, "bodyContains", false, JOURNAL_MAX_BODY, &q->body_contains,
                             res) ||
        json_int_or_reply(body, "limit", 1, LIST_MAX, &limit, res) ||
        (since && since_or_reply(since, q, res)))
        return -1;
    if (cJSON_IsNumber(status) && status->valuedouble >= 100 && status->valuedouble <= 599 &&
        status->valuedouble == (double)status->valueint) {
        q->status_min = q->status_max = status->valueint;
    } else if (cJSON_IsString(status)) {
        if (status_or_reply(status->valuestring, q, res))
            return -1;
    } else if (status && !cJSON_IsNull(status)) {
        return status_or_reply("", q, res);
    }
    const cJSON *json = cJSON_GetObjectItemCaseSensitive(body, "bodyJson");
    q->body_json = json && !cJSON_IsNull(json) ? json : NULL;
    q->limit = (size_t)limit;
    return 0;
}

/* POST /__admin/requests/count {matcher} -> 200 {"payload": {"count": N}} | 400 */
enum http_status admin_requests_count(struct request *req, struct response *res)
{
    struct journal_query q = {0};
    cJSON *body = NULL;
    if (request_json_object_or_reply(req, res, &body) || matcher_or_reply(body, false, &q, res))
        goto out;
    size_t n = req->app->journal ? journal_count(req->app->journal, &q) : 0;
    cJSON *payload = cJSON_CreateObject();
    cJSON_AddNumberToObject(payload, "count", (double)n);
    reply_payload(res, HTTP_OK, payload);
out:
    cJSON_Delete(body);
    return res->status;
}

/* POST /__admin/requests/find {matcher, limit?} -> 200 {"payload": [entries, newest first],
 *   "meta": …} | 400 */
enum http_status admin_requests_find(struct request *req, struct response *res)
{
    struct journal_query q = {0};
    cJSON *body = NULL;
    if (request_json_object_or_reply(req, res, &body) || matcher_or_reply(body, true, &q, res))
        goto out;
    reply_entries(req, &q, res);
out:
    cJSON_Delete(body);
    return res->status;
}

/* DELETE /__admin/requests?intpId= -> 200 {"payload": {"deleted": N}}: forget one partner's
 *   requests, or all of them */
enum http_status admin_requests_clear(struct request *req, struct response *res)
{
    const char *intp = non_empty(request_query(req, "intpId"));
    size_t n = req->app->journal ? journal_clear(req->app->journal, intp) : 0;
    cJSON *payload = cJSON_CreateObject();
    cJSON_AddNumberToObject(payload, "deleted", (double)n);
    return reply_payload(res, HTTP_OK, payload);
}
