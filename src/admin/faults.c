/* The admin API of fault injection (README "Fault injection"): a partner's rules, added one at a
 * time, listed, and removed one by one or all together. The dispatcher has already checked that
 * the {id} partner exists; http/faults.c applies the rules to the partner's requests. */
#include "admin/admin.h"
#include "http/faults.h"
#include "http/validate.h"
#include "store/faults_db.h"
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define FAULT_MAX_PATH        512
#define FAULT_MAX_BODY        (64 * 1024) /* the rule's own answer body, printed */
#define FAULT_MAX_TIMES       1000000
#define FAULT_MAX_RETRY_AFTER 86400
#define FAULT_MAX_SIGMA       4
#define FAULT_SEED_MAX        ((1LL << 53) - 1) /* exact as a JSON number */
#define FAULT_DEFAULT_SIGMA   0.5

/* ---- rendering ---- */

static void add_delay(cJSON *fault, const struct fault_rule *r)
{
    cJSON *d;
    switch (r->delay) {
    case FAULT_DELAY_NONE:
        return;
    case FAULT_DELAY_FIXED:
        cJSON_AddNumberToObject(fault, "delayMs", (double)r->delay_ms);
        return;
    case FAULT_DELAY_UNIFORM:
        d = cJSON_AddObjectToObject(fault, "delay");
        cJSON_AddStringToObject(d, "distribution", "uniform");
        cJSON_AddNumberToObject(d, "minMs", (double)r->min_ms);
        cJSON_AddNumberToObject(d, "maxMs", (double)r->max_ms);
        return;
    case FAULT_DELAY_LOGNORMAL:
        d = cJSON_AddObjectToObject(fault, "delay");
        cJSON_AddStringToObject(d, "distribution", "lognormal");
        cJSON_AddNumberToObject(d, "medianMs", (double)r->median_ms);
        cJSON_AddNumberToObject(d, "sigma", r->sigma);
        return;
    }
}

/* The rule as the admin API shows it (new object, the caller owns it). */
static cJSON *fault_rule_to_json(const struct fault_rule *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON *match = cJSON_AddObjectToObject(o, "match");
    if (r->method[0])
        cJSON_AddStringToObject(match, "method", r->method);
    if (r->route)
        cJSON_AddStringToObject(match, "route", r->route);
    if (r->path)
        cJSON_AddStringToObject(match, "path", r->path);
    cJSON *fault = cJSON_AddObjectToObject(o, "fault");
    if (r->status)
        cJSON_AddNumberToObject(fault, "status", r->status);
    if (r->body)
        cJSON_AddItemToObject(fault, "body", cJSON_Parse(r->body));
    add_delay(fault, r);
    cJSON_AddBoolToObject(fault, "dropConnection", r->drop);
    if (r->retry_after >= 0)
        cJSON_AddNumberToObject(fault, "retryAfter", (double)r->retry_after);
    cJSON_AddStringToObject(o, "after", r->after_commit ? "commit" : "request");
    if (r->times >= 0)
        cJSON_AddNumberToObject(o, "times", (double)r->times);
    else
        cJSON_AddNullToObject(o, "times");
    cJSON_AddNumberToObject(o, "probability", r->probability);
    cJSON_AddNumberToObject(o, "seed", (double)r->seed);
    cJSON_AddNumberToObject(o, "matched", (double)r->matched);
    cJSON_AddNumberToObject(o, "fired", (double)r->fired);
    json_add_time(o, "createdAt", r->created_at);
    return o;
}

/* ---- validation ---- */

/* 400 naming the first member of `obj` (at `where`, "" for the top) not in `allowed`. */
static int known_keys_or_reply(const cJSON *obj, const char *where, const char *const *allowed,
                               struct response *res)
{
    const cJSON *item;
    if (!obj)
        return 0;
    cJSON_ArrayForEach (item, obj) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], item->string) != 0)
            i++;
        if (allowed[i])
            continue;
        char field[160];
        snprintf(field, sizeof(field), "%s%s%.100s", where, *where ? "." : "", item->string);
        reply_error(res, ERR_VALIDATION, field, "%s is not a field of a fault rule", field);
        return -1;
    }
    return 0;
}

/* Optional number member `key` (a dotted path, as json_int_or_reply) in [min, max]: absent or
 * null leaves *out. */
static int number_or_reply(const cJSON *obj, const char *key, double min, double max, double *out,
                           struct response *res)
{
    const char *dot = strrchr(key, '.');
    const cJSON *parent = obj, *v;
    if (dot) {
        char head[64];
        snprintf(head, sizeof(head), "%.*s", (int)(dot - key), key);
        if (json_object_or_reply(obj, head, &parent, res))
            return -1;
    }
    v = parent ? cJSON_GetObjectItemCaseSensitive(parent, dot ? dot + 1 : key) : NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= min && v->valuedouble <= max)) {
        reply_error(res, ERR_VALIDATION, key, "%s must be a number from %g to %g", key, min, max);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

/* Whether `pattern` is the template of a route of `routes` that can be faulted (with `method`,
 * when given). */
static bool known_route(const struct route *routes, const char *method, const char *pattern)
{
    for (const struct route *r = routes; r->method; r++)
        if (strcmp(r->pattern, pattern) == 0 && (!method || strcmp(r->method, method) == 0) &&
            fault_route_faultable(r))
            return true;
    return false;
}

/* match: {method?, route? | path?} */
static int match_or_reply(const struct request *req, const cJSON *body, struct fault_rule *r,
                          struct response *res)
{
    static const char *const keys[] = {"method", "route", "path", NULL};
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};
    const cJSON *match;
    const char *method = NULL, *route, *path;
    if (json_object_or_reply(body, "match", &match, res) ||
        known_keys_or_reply(match, "match", keys, res) ||
        json_enum_or_reply(body, "match.method", methods, &method, res) ||
        json_string_or_reply(body, "match.route", false, FAULT_MAX_PATH, &route, res) ||
        json_string_or_reply(body, "match.path", false, FAULT_MAX_PATH, &path, res))
        return -1;
    if (route && path) {
        reply_error(res, ERR_VALIDATION, "match.path",
                    "give match.route or match.path, "
                    "not both");
        return -1;
    }
    if (route && !known_route(req->app->routes, method, route)) {
        reply_error(res, ERR_VALIDATION, "match.route",
                    "match.route must be the template of a partner route%s%s, such as "
                    "/v2/3as/customers/{intpCustomerId}",
                    method ? " with method " : "", method ? method : "");
        return -1;
    }
    const char *star = path ? strchr(path, '*') : NULL;
    if (path && (path[0] != '/' || (star && star[1]))) {
        reply_error(res, ERR_VALIDATION, "match.path",
                    "match.path must start with '/'; a '*' may only end it (a prefix)");
        return -1;
    }
    snprintf(r->method, sizeof(r->method), "%s", method ? method : "");
    r->route = route ? xstrdup(route) : NULL;
    r->path = path ? xstrdup(path) : NULL;
    return 0;
}

/* fault.delay: {distribution: "uniform", minMs, maxMs} | {distribution: "lognormal", medianMs,
 * sigma?} */
static int delay_or_reply(const cJSON *body, struct fault_rule *r, struct response *res)
{
    static const char *const keys[] = {"distribution", "minMs", "maxMs", "medianMs", "sigma", NULL};
    static const char *const kinds[] = {"uniform", "lognormal", NULL};
    const cJSON *delay;
    const char *kind = NULL;
    int64_t min = -1, max = -1, median = -1;
    double sigma = FAULT_DEFAULT_SIGMA;
    if (json_object_or_reply(body, "fault.delay", &delay, res))
        return -1;
    if (!delay)
        return 0;
    if (known_keys_or_reply(delay, "fault.delay", keys, res) ||
        json_enum_or_reply(body, "fault.delay.distribution", kinds, &kind, res))
        return -1;
    if (!kind) {
        reply_error(res, ERR_VALIDATION, "fault.delay.distribution",
                    "fault.delay.distribution is required: uniform or lognormal");
        return -1;
    }
    if (strcmp(kind, "uniform") == 0) {
        if (json_int_or_reply(body, "fault.delay.minMs", 0, FAULT_MAX_DELAY_MS, &min, res) ||
            json_int_or_reply(body, "fault.delay.maxMs", 0, FAULT_MAX_DELAY_MS, &max, res))
            return -1;
        if (min < 0 || max < min) {
            reply_error(res, ERR_VALIDATION, min < 0 ? "fault.delay.minMs" : "fault.delay.maxMs",
                        "a uniform delay needs minMs and maxMs, minMs <= maxMs");
            return -1;
        }
        r->delay = FAULT_DELAY_UNIFORM;
        r->min_ms = min;
        r->max_ms = max;
        return 0;
    }
    if (json_int_or_reply(body, "fault.delay.medianMs", 1, FAULT_MAX_DELAY_MS, &median, res) ||
        number_or_reply(body, "fault.delay.sigma", 0, FAULT_MAX_SIGMA, &sigma, res))
        return -1;
    if (median < 0) {
        reply_error(res, ERR_VALIDATION, "fault.delay.medianMs",
                    "a lognormal delay needs medianMs");
        return -1;
    }
    r->delay = FAULT_DELAY_LOGNORMAL;
    r->median_ms = median;
    r->sigma = sigma;
    return 0;
}

/* fault.status and fault.body */
static int status_or_reply(const cJSON *body, struct fault_rule *r, struct response *res)
{
    int64_t status = 0;
    const cJSON *answer =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(body, "fault"), "body");
    if (json_int_or_reply(body, "fault.status", 400, 599, &status, res))
        return -1;
    if (status && fault_status_error((int)status) < 0) {
        reply_error(res, ERR_VALIDATION, "fault.status",
                    "fault.status must be 429, 500, 502, 503 or 504");
        return -1;
    }
    r->status = (int)status;
    if (!answer || cJSON_IsNull(answer))
        return 0;
    if (!status) {
        reply_error(res, ERR_VALIDATION, "fault.body", "fault.body needs fault.status");
        return -1;
    }
    r->body = cJSON_PrintUnformatted(answer);
    if (!r->body || strlen(r->body) > FAULT_MAX_BODY) {
        reply_error(res, ERR_VALIDATION, "fault.body", "fault.body is larger than %d bytes",
                    FAULT_MAX_BODY);
        return -1;
    }
    return 0;
}

/* fault: {status?, body?, delayMs? | delay?, dropConnection?, retryAfter?} */
static int fault_or_reply(const cJSON *body, struct fault_rule *r, struct response *res)
{
    static const char *const keys[] = {"status",         "body",       "delayMs", "delay",
                                       "dropConnection", "retryAfter", NULL};
    const cJSON *fault;
    int64_t delay_ms = -1;
    if (json_object_or_reply(body, "fault", &fault, res) ||
        known_keys_or_reply(fault, "fault", keys, res))
        return -1;
    if (!fault) {
        reply_error(res, ERR_VALIDATION, "fault", "fault is required");
        return -1;
    }
    if (status_or_reply(body, r, res) ||
        json_int_or_reply(body, "fault.delayMs", 0, FAULT_MAX_DELAY_MS, &delay_ms, res) ||
        delay_or_reply(body, r, res) ||
        json_bool_or_reply(body, "fault.dropConnection", &r->drop, res) ||
        json_int_or_reply(body, "fault.retryAfter", 0, FAULT_MAX_RETRY_AFTER, &r->retry_after, res))
        return -1;
    if (delay_ms >= 0 && r->delay != FAULT_DELAY_NONE) {
        reply_error(res, ERR_VALIDATION, "fault.delay",
                    "give fault.delayMs or fault.delay, "
                    "not both");
        return -1;
    }
    if (delay_ms >= 0) {
        r->delay = FAULT_DELAY_FIXED;
        r->delay_ms = delay_ms;
    }
    if (r->drop && r->status) {
        reply_error(res, ERR_VALIDATION, "fault.dropConnection",
                    "a dropped connection answers no status: give one of them");
        return -1;
    }
    if (r->retry_after >= 0 && !r->status) {
        reply_error(res, ERR_VALIDATION, "fault.retryAfter", "fault.retryAfter needs fault.status");
        return -1;
    }
    if (!r->status && !r->drop && r->delay == FAULT_DELAY_NONE) {
        reply_error(res, ERR_VALIDATION, "fault",
                    "fault needs status, delayMs, delay or dropConnection");
        return -1;
    }
    return 0;
}

/* A seed for a rule that gave none: random, shown in the rule so that the run can be replayed. */
static int64_t new_seed(void)
{
    char u[UUID_SIZE];
    uuid_v4(u);
    return (int64_t)(fnv1a(FNV1A_OFFSET, u) & (uint64_t)FAULT_SEED_MAX);
}

/* The whole rule: {match?, fault, after?, times?, probability?, seed?} */
static int rule_or_reply(const struct request *req, const cJSON *body, struct fault_rule *r,
                         struct response *res)
{
    static const char *const keys[] = {"match",       "fault", "after", "times",
                                       "probability", "seed",  NULL};
    static const char *const afters[] = {"request", "commit", NULL};
    const char *after = "request";
    r->retry_after = r->times = r->seed = -1;
    r->probability = 1;
    if (known_keys_or_reply(body, "", keys, res) || match_or_reply(req, body, r, res) ||
        fault_or_reply(body, r, res) || json_enum_or_reply(body, "after", afters, &after, res) ||
        json_int_or_reply(body, "times", 1, FAULT_MAX_TIMES, &r->times, res) ||
        number_or_reply(body, "probability", 0, 1, &r->probability, res) ||
        json_int_or_reply(body, "seed", 0, FAULT_SEED_MAX, &r->seed, res))
        return -1;
    r->after_commit = strcmp(after, "commit") == 0;
    if (r->after_commit && !r->status && !r->drop) {
        reply_error(res, ERR_VALIDATION, "after",
                    "after: commit needs fault.status or fault.dropConnection (the answer "
                    "it replaces)");
        return -1;
    }
    if (r->seed < 0)
        r->seed = new_seed();
    return 0;
}

/* ---- handlers ---- */

/* POST /__admin/intps/{id}/faults {match?, fault, after?, times?, probability?, seed?} -> 201
 *   {"payload": FaultRule} | 400 naming the field | 404 */
enum http_status admin_faults_create(struct request *req, struct response *res)
{
    struct fault_rule r = {0};
    cJSON *body = NULL;
    int64_t count = 0;
    if (request_json_object_or_reply(req, res, &body) || rule_or_reply(req, body, &r, res))
        goto out;
    if (faults_db_count(req->db, req->auth.intp_id, &count) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not count the fault rules");
        goto out;
    }
    if (count >= FAULT_MAX_RULES) {
        reply_error(res, ERR_VALIDATION, "fault", "a partner holds at most %d fault rules",
                    FAULT_MAX_RULES);
        goto out;
    }
    uuid_v4(r.id);
    snprintf(r.intp_id, sizeof(r.intp_id), "%s", req->auth.intp_id);
    r.created_at = time_now();
    if (faults_db_insert(req->db, &r) != DB_OK) {
        reply_error(res, ERR_INTERNAL, NULL, "could not store the fault rule");
        goto out;
    }
    reply_payload(res, HTTP_CREATED, fault_rule_to_json(&r));
out:
    fault_rule_release(&r);
    cJSON_Delete(body);
    return res->status;
}

/* GET /__admin/intps/{id}/faults -> 200 {"payload": [FaultRule]} (in the order they are tried)
 *   | 404 */
enum http_status admin_faults_list(struct request *req, struct response *res)
{
    struct fault_rule *rules = NULL;
    size_t n = 0;
    if (faults_db_list(req->db, req->auth.intp_id, &rules, &n) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not read the fault rules");
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(list, fault_rule_to_json(&rules[i]));
    fault_rules_free(rules, n);
    return reply_payload(res, HTTP_OK, list);
}

/* DELETE /__admin/intps/{id}/faults -> 204 (every rule of the partner removed) | 404 */
enum http_status admin_faults_clear(struct request *req, struct response *res)
{
    if (faults_db_clear(req->db, req->auth.intp_id) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not remove the fault rules");
    return reply_no_content(res);
}

/* DELETE /__admin/intps/{id}/faults/{faultId} -> 204 | 404 */
enum http_status admin_faults_delete(struct request *req, struct response *res)
{
    const char *id = request_param(req, "faultId");
    switch (faults_db_delete(req->db, req->auth.intp_id, id)) {
    case DB_OK:
        return reply_no_content(res);
    case DB_NOT_FOUND:
        return reply_error(res, ERR_FAULT_NOT_FOUND, "faultId", "no fault rule '%s' on intp '%s'",
                           id, req->auth.intp_id);
    case DB_CONFLICT:
    case DB_ERROR:
        break;
    }
    return reply_error(res, ERR_INTERNAL, NULL, "could not remove the fault rule");
}
