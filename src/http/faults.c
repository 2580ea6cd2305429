/* Fault injection per partner: rule matching, seeded draws, the per-process copy of the rules,
 * and applying a fired rule to a request on its worker. */
#include "http/faults.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"
#include "util/log.h"

/* ---- pure parts ---- */

bool fault_rule_matches(const struct fault_rule *r, const char *method, const char *route,
                        const char *path)
{
    if (r->method[0] && strcmp(r->method, method) != 0)
        return false;
    if (r->route && strcmp(r->route, route) != 0)
        return false;
    if (!r->path)
        return true;
    size_t len = strlen(r->path);
    if (len && r->path[len - 1] == '*')
        return strncmp(path, r->path, len - 1) == 0;
    return strcmp(path, r->path) == 0;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double fault_draw(int64_t seed, int64_t n, unsigned stream)
{
    uint64_t x = splitmix64(splitmix64((uint64_t)seed) ^ ((uint64_t)stream << 56)) + (uint64_t)n;
    return (double)(splitmix64(x) >> 11) * 0x1.0p-53;
}

bool fault_fires(const struct fault_rule *r, int64_t n)
{
    return r->probability >= 1 || fault_draw(r->seed, n, 0) < r->probability;
}

int64_t fault_delay_sample(const struct fault_rule *r, int64_t n)
{
    double ms = 0;
    switch (r->delay) {
    case FAULT_DELAY_NONE:
        return 0;
    case FAULT_DELAY_FIXED:
        ms = (double)r->delay_ms;
        break;
    case FAULT_DELAY_UNIFORM:
        ms = (double)r->min_ms +
             floor(fault_draw(r->seed, n, 1) * (double)(r->max_ms - r->min_ms + 1));
        break;
    case FAULT_DELAY_LOGNORMAL: {
        /* Box-Muller: 1 - u is in (0, 1], so the log is finite */
        double u1 = fault_draw(r->seed, n, 1), u2 = fault_draw(r->seed, n, 2);
        double z = sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
        ms = (double)r->median_ms * exp(r->sigma * z);
        break;
    }
    }
    if (!(ms >= 0)) /* NaN */
        ms = 0;
    return ms > FAULT_MAX_DELAY_MS ? FAULT_MAX_DELAY_MS : (int64_t)llround(ms);
}

int fault_status_error(int status)
{
    switch (status) {
    case 429:
        return ERR_TOO_MANY_REQUESTS;
    case 500:
        return ERR_INTERNAL;
    case 502:
        return ERR_BAD_GATEWAY;
    case 503:
        return ERR_UNAVAILABLE;
    case 504:
        return ERR_GATEWAY_TIMEOUT;
    default:
        return -1;
    }
}

/* ---- the rules of every partner, per process ---- */

struct faults {
    pthread_mutex_t lock;
    bool loaded;
    uint64_t epoch;           /* db_change_epoch() the copy was read at */
    struct fault_rule *rules; /* every partner's, by partner then creation order */
    size_t n;
};

struct faults *faults_new(void)
{
    struct faults *f = xcalloc(1, sizeof(*f));
    pthread_mutex_init(&f->lock, NULL);
    return f;
}

void faults_free(struct faults *f)
{
    if (!f)
        return;
    fault_rules_free(f->rules, f->n);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* Read the rules again when the database changed since the copy was read (always without a
 * change watch, ":memory:"). Under f->lock. Returns 0, or -1 (no copy). */
static int refresh(struct faults *f, struct db *db)
{
    uint64_t epoch = db_change_epoch(db); /* before reading: a later commit reads again */
    if (f->loaded && epoch && epoch == f->epoch)
        return 0;
    fault_rules_free(f->rules, f->n);
    f->loaded = faults_db_list(db, NULL, &f->rules, &f->n) == DB_OK;
    f->epoch = epoch;
    return f->loaded ? 0 : -1;
}

/* Copies of the rules of partner `intp_id` that match the request, oldest first, into *out (of
 * *n; fault_rules_free). Returns whether the partner has any rule. */
static bool candidates(struct faults *f, const struct request *req, struct fault_rule **out,
                       size_t *n)
{
    size_t alloc = 0;
    bool any = false;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&f->lock);
    if (refresh(f, req->db) == 0)
        for (size_t i = 0; i < f->n; i++) {
            const struct fault_rule *r = &f->rules[i];
            if (strcmp(r->intp_id, req->auth.intp_id) != 0)
                continue;
            any = true;
            if (!fault_rule_matches(r, req->method, req->match.route->pattern, req->path))
                continue;
            ALLOC_GROW(*out, *n + 1, alloc);
            fault_rule_copy(&(*out)[(*n)++], r);
        }
    pthread_mutex_unlock(&f->lock);
    return any;
}

/* ---- on the worker ---- */

bool fault_route_faultable(const struct route *route)
{
    switch (route->auth) {
    case AUTH_INTP:
    case AUTH_API_KEY:
        return true;
    case AUTH_DASHBOARD: /* a page for people, not partner code */
    case AUTH_ADMIN:     /* the rules could lock their own removal out */
    case AUTH_NONE:      /* no partner known */
        break;
    }
    return false;
}

/* Each candidate takes its turn until one fires, in one transaction: *matched gets the fired
 * rule's draw number. Returns its index, or -1 (none fired, or the database failed: then the
 * request runs unfaulted). */
static int pick(struct db *db, const struct fault_rule *c, size_t n, int64_t *matched)
{
    int chosen = -1;
    if (db_begin(db))
        return -1;
    for (size_t i = 0; i < n && chosen < 0; i++) {
        enum db_result r = faults_db_take_turn(db, c[i].id, matched);
        if (r == DB_NOT_FOUND) /* deleted or spent since the copy was read */
            continue;
        if (r != DB_OK)
            goto fail;
        if (!fault_fires(&c[i], *matched))
            continue;
        if (faults_db_fired(db, c[i].id) != DB_OK)
            goto fail;
        chosen = (int)i;
    }
    if (db_commit(db) == 0)
        return chosen;
fail:
    db_rollback(db);
    return -1;
}

/* Put the injected status into `res`: the rule's own body, or the D2 error of that status. */
static void reply_fault(struct response *res, const struct fault_hit *hit, const cJSON *body)
{
    if (body) {
        reply_json(res, (enum http_status)hit->status, cJSON_Duplicate(body, true));
        return;
    }
    reply_error(res, (enum error_id)fault_status_error(hit->status), NULL,
                "injected by fault rule %s", hit->rule_id);
}

/* Fill req->fault from rule `r` on its draw `n`. */
static void hit_from_rule(struct fault_hit *hit, const struct fault_rule *r, int64_t n)
{
    hit->fired = true;
    hit->pending = r->after_commit;
    hit->drop = r->drop;
    hit->status = r->status;
    hit->delay_ms = fault_delay_sample(r, n);
    hit->retry_after = r->retry_after;
    if (r->status == 429 && r->retry_after < 0)
        hit->retry_after = 1; /* a 429 always says when to retry */
    snprintf(hit->rule_id, sizeof(hit->rule_id), "%s", r->id);
}

int faults_before_or_reply(struct request *req, struct response *res)
{
    struct fault_hit *hit = &req->fault;
    struct fault_rule *c = NULL;
    size_t n = 0;
    int64_t matched = 0;
    int answered = 0;
    if (!fault_route_faultable(req->match.route) || !req->auth.intp_id[0])
        return 0;
    hit->partner_has_rules = candidates(req->app->faults, req, &c, &n);
    int chosen = n ? pick(req->db, c, n, &matched) : -1;
    if (chosen < 0)
        goto out;
    const struct fault_rule *r = &c[chosen];
    cJSON *body = r->body ? cJSON_Parse(r->body) : NULL;
    hit_from_rule(hit, r, matched);
    log_debug("fault rule %s fired on %s %s (draw %lld)", r->id, req->method, req->path,
              (long long)matched);
    metrics_fault_fired(req->app->metrics, hit->status ? "error" : hit->drop ? "drop" : "latency");
    if (hit->pending) {
        hit->body = body; /* until faults_after_run */
        goto out;
    }
    if (hit->status)
        reply_fault(res, hit, body);
    cJSON_Delete(body);
    answered = hit->status || hit->drop;
out:
    fault_rules_free(c, n);
    return answered;
}

void faults_after_run(struct request *req, struct response *res)
{
    struct fault_hit *hit = &req->fault;
    if (!hit->pending)
        return;
    hit->pending = false;
    if (hit->status)
        reply_fault(res, hit, hit->body);
    cJSON_Delete(hit->body);
    hit->body = NULL;
}
