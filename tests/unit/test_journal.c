/* Unit tests of the request journal (http/journal.c): ring bounds by count and by bytes, the
 * body bound, redaction of credentials, every matcher, json_subset, and the near-miss ranking of
 * router.c over the real route table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/journal.h"
#include "http/request.h"
#include "http/router.h"
#include "routes.h"
#include "tap.h"
#include "util/util.h"

static struct journal_input input(const char *intp, const char *method, const char *path,
                                  int status)
{
    static int n;
    static char ids[64][40];
    char *id = ids[n++ % 64];
    snprintf(id, 40, "req-%d", n);
    struct journal_input in = {.method = method,
                               .path = path,
                               .body = "",
                               .status = status,
                               .at_us = 1000000LL * n,
                               .request_id = id,
                               .intp_id = intp};
    return in;
}

static void record(struct journal *j, const char *intp, int n)
{
    for (int i = 0; i < n; i++) {
        struct journal_input in = input(intp, "GET", "/v2/3as/customers", 200);
        journal_record(j, &in);
    }
}

static size_t held(struct journal *j)
{
    size_t entries, bytes;
    uint64_t dropped;
    journal_stats(j, &entries, &bytes, &dropped);
    return entries;
}

static void test_count_bound(void)
{
    struct journal *j = journal_new(3, 1 << 20);
    size_t entries, bytes;
    uint64_t dropped;
    record(j, "a", 5);
    record(j, "b", 2);
    record(j, NULL, 4);
    journal_stats(j, &entries, &bytes, &dropped);
    ok(entries == 8 && dropped == 3,
       "3 per ring: a 3 of 5, b 2, none 3 of 4 (got %zu, %llu dropped)", entries,
       (unsigned long long)dropped);
    struct journal_query q = {.intp_id = "a"};
    ok(journal_count(j, &q) == 3, "partner a keeps 3");
    struct journal_query none = {.no_intp = true};
    ok(journal_count(j, &none) == 3, "no partner keeps 3");
    struct journal_entry **v;
    size_t n = journal_find(j, &q, &v);
    ok(n == 3 && v[0]->seq > v[1]->seq && v[1]->seq > v[2]->seq, "newest first");
    journal_entries_release(v, n);
    ok(journal_clear(j, "a") == 3 && held(j) == 5, "clear one partner");
    ok(journal_clear(j, "nobody") == 0, "clear an unknown partner: nothing");
    record(j, "a", 1);
    ok(journal_clear(j, NULL) == 6 && held(j) == 0, "clear all");
    journal_free(j);
}

static void test_byte_bound(void)
{
    static char body[10000];
    memset(body, 'x', sizeof(body) - 1);
    struct journal *j = journal_new(1000, 20000);
    size_t entries, bytes, worst = 0;
    uint64_t dropped;
    for (int i = 0; i < 50; i++) {
        struct journal_input in = input(i % 2 ? "a" : NULL, "POST", "/x", 201);
        in.body = body;
        in.body_len = sizeof(body) - 1;
        journal_record(j, &in);
        journal_stats(j, &entries, &bytes, &dropped);
        worst = bytes > worst ? bytes : worst;
    }
    ok(worst <= 20000, "bytes never above the bound (worst %zu)", worst);
    ok(entries >= 3 && entries <= 5 && dropped == 50 - entries,
       "the oldest make room: %zu held, %llu dropped", entries, (unsigned long long)dropped);
    struct journal_entry **v;
    struct journal_query all = {0};
    size_t n = journal_find(j, &all, &v);
    ok(n && v[0]->body_len == sizeof(body) - 1 && v[0]->body_kept == JOURNAL_MAX_BODY,
       "a body is kept up to %d bytes and counted whole", JOURNAL_MAX_BODY);
    cJSON *o = journal_entry_to_json(v[0]);
    ok(cJSON_IsTrue(cJSON_GetObjectItem(o, "bodyTruncated")), "bodyTruncated");
    cJSON_Delete(o);
    /* an entry a reader holds outlives its eviction */
    struct journal_entry *held_entry = v[n - 1];
    atomic_fetch_add(&held_entry->refs, 1);
    journal_entries_release(v, n);
    journal_clear(j, NULL);
    ok(strcmp(held_entry->method, "POST") == 0, "a held entry stays readable after a clear");
    journal_entry_put(held_entry);
    journal_free(j);
}

static bool rendered_contains(const struct journal_entry *e, const char *s)
{
    cJSON *o = journal_entry_to_json(e);
    char *text = cJSON_PrintUnformatted(o);
    bool found = strstr(text, s) != NULL;
    cJSON_free(text);
    cJSON_Delete(o);
    return found;
}

static void test_redaction(void)
{
    static const char token[] = "eyJhbGciOiJSUzI1NiJ9.eyJpbnRwX2lkIjoiZGVtbyJ9.c2lnbmF0dXJl";
    char fp[JOURNAL_FINGERPRINT_SIZE], want[64];
    struct journal *j = journal_new(10, 1 << 20);
    struct journal_input in = input("demo", "POST", "/v2/3as/api-keys/login", 200);
    char auth[128], body[512];
    snprintf(auth, sizeof(auth), "Bearer %s", token);
    snprintf(body, sizeof(body),
             "{\"apiKey\": \"%s\", \"nested\": {\"refreshToken\":\"%s\"}, \"name\": \"%s\","
             " \"esc\\\"token\": \"a\\\"b\", \"privateKey\": 5}",
             token, token, "plain");
    in.headers[JOURNAL_H_AUTHORIZATION] = auth;
    in.headers[JOURNAL_H_API_KEY] = token;
    in.headers[JOURNAL_H_USER_AGENT] = "ua/1";
    in.query = "intpc_token="
               "abc"
               "&externalWebsiteId=w1&websiteToken=xyz";
    in.body = body;
    in.body_len = strlen(body);
    journal_record(j, &in);
    struct journal_entry *e = journal_get(j, in.request_id);
    journal_fingerprint(token, strlen(token), fp);
    snprintf(want, sizeof(want), "Bearer %s", fp);
    ok(e && strcmp(e->headers[JOURNAL_H_AUTHORIZATION], want) == 0, "Authorization: %s",
       e ? e->headers[JOURNAL_H_AUTHORIZATION] : "-");
    ok(e && strcmp(e->headers[JOURNAL_H_API_KEY], fp) == 0, "X-Api-Key: %s",
       e ? e->headers[JOURNAL_H_API_KEY] : "-");
    ok(e && strncmp(fp, "sha256:", 7) == 0 && strlen(fp) == 15, "fingerprint is sha256:8 hex");
    ok(e && strcmp(e->headers[JOURNAL_H_USER_AGENT], "ua/1") == 0, "other headers kept");
    ok(e && strstr(e->query, "externalWebsiteId=w1") && !strstr(e->query, "abc") &&
           !strstr(e->query, "xyz"),
       "token query values redacted: %s", e ? e->query : "-");
    ok(e && !strstr(e->body, token) && strstr(e->body, "\"name\": \"plain\"") &&
           strstr(e->body, "\"privateKey\": 5"),
       "credential body strings redacted, others kept: %s", e ? e->body : "-");
    ok(e && !strstr(e->body, "a\\\"b"), "escaped quotes inside names and values handled");
    ok(e && !rendered_contains(e, token) && !rendered_contains(e, "abc"),
       "the token appears nowhere in the rendered entry");
    journal_entry_put(e);
    journal_free(j);
}

static struct journal_entry *one(struct journal *j, struct journal_input *in)
{
    journal_record(j, in);
    return journal_get(j, in->request_id);
}

/* A bearer token the authentication digested already: its digest is reused for the header's
 * fingerprint when the header's secret is that very string, and only then. */
static void test_known_digest(void)
{
    static const char token[] = "eyJhbGciOiJSUzI1NiJ9.eyJpbnRwX2lkIjoiZGVtbyJ9.c2lnbmF0dXJl";
    unsigned char digest[32];
    char auth[128], copy[128], fp[JOURNAL_FINGERPRINT_SIZE], want[64];
    struct journal *j = journal_new(10, 1 << 20);
    snprintf(auth, sizeof(auth), "Bearer %s", token);
    memset(digest, 0xab, sizeof(digest)); /* not the token's: shows which path was taken */
    struct journal_input in = input("demo", "GET", "/v2/3as/packages", 200);
    in.headers[JOURNAL_H_AUTHORIZATION] = auth;
    in.token_at = auth + 7;
    in.token_sha256 = digest;
    struct journal_entry *e = one(j, &in);
    ok(e && strcmp(e->headers[JOURNAL_H_AUTHORIZATION], "Bearer sha256:abababab") == 0,
       "the digest of the token the header carries is reused: %s",
       e ? e->headers[JOURNAL_H_AUTHORIZATION] : "-");
    journal_entry_put(e);
    snprintf(copy, sizeof(copy), "Bearer %s", token); /* the same text, another string */
    in = input("demo", "GET", "/v2/3as/packages", 200);
    in.headers[JOURNAL_H_AUTHORIZATION] = copy;
    in.token_at = auth + 7;
    in.token_sha256 = digest;
    e = one(j, &in);
    journal_fingerprint(token, strlen(token), fp);
    snprintf(want, sizeof(want), "Bearer %s", fp);
    ok(e && strcmp(e->headers[JOURNAL_H_AUTHORIZATION], want) == 0,
       "a digest of another string is not used: %s", e ? e->headers[JOURNAL_H_AUTHORIZATION] : "-");
    journal_entry_put(e);
    journal_free(j);
}

static void test_matchers(void)
{
    struct journal *j = journal_new(10, 1 << 20);
    struct journal_input in = input("demo", "POST", "/v2/3as/customers/", 401);
    in.route = "/v2/3as/customers";
    in.body = "{\"email\":\"a@b.c\",\"tags\":[1,2],\"n\":{\"x\":1,\"y\":true}}";
    in.body_len = strlen(in.body);
    in.at_us = 5000000;
    struct journal_entry *e = one(j, &in);
    cJSON *subset = cJSON_Parse("{\"n\":{\"x\":1}}"), *other = cJSON_Parse("{\"n\":{\"x\":2}}");
    static const struct {
        struct journal_query q;
        bool want;
        const char *what;
    } cases[] = {
        {{.method = "post"}, true, "method, any case"},
        {{.method = "GET"}, false, "other method"},
        {{.path = "/v2/3as/customers"}, true, "path, trailing slash ignored"},
        {{.path = "/v2/3as/customer"}, false, "other path"},
        {{.route = "/v2/3as/customers"}, true, "route template"},
        {{.route = "/v2/3as/customers/{intpCustomerId}"}, false, "other route"},
        {{.status_min = 401, .status_max = 401}, true, "status"},
        {{.status_min = 400, .status_max = 499}, true, "status class"},
        {{.status_min = 200, .status_max = 299}, false, "other status class"},
        {{.intp_id = "demo"}, true, "partner"},
        {{.intp_id = "other"}, false, "other partner"},
        {{.no_intp = true}, false, "no partner"},
        {{.since_us = 5000000}, true, "since, inclusive"},
        {{.since_us = 5000001}, false, "since, later"},
        {{.body_contains = "a@b.c"}, true, "bodyContains"},
        {{.body_contains = "zzz"}, false, "bodyContains, absent"},
        {{.unmatched = true}, false, "unmatched"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        ok(journal_entry_matches(e, &cases[i].q) == cases[i].want, "matcher: %s", cases[i].what);
    struct journal_query qj = {.body_json = subset}, qn = {.body_json = other};
    ok(journal_entry_matches(e, &qj), "matcher: bodyJson subset");
    ok(!journal_entry_matches(e, &qn), "matcher: bodyJson other value");
    struct journal_input miss = input(NULL, "GET", "/nope", 404);
    miss.unmatched = true;
    journal_record(j, &miss);
    struct journal_query qu = {.unmatched = true}, lim = {.limit = 1};
    ok(journal_count(j, &qu) == 1, "unmatched requests found");
    struct journal_entry **v;
    size_t n = journal_find(j, &lim, &v);
    ok(n == 1 && strcmp(v[0]->path, "/nope") == 0, "limit keeps the newest");
    journal_entries_release(v, n);
    ok(journal_get(j, "no-such-id") == NULL, "unknown request id");
    cJSON_Delete(subset);
    cJSON_Delete(other);
    journal_entry_put(e);
    journal_free(j);
}

static void test_json_subset(void)
{
    static const struct {
        const char *pattern, *actual;
        bool want;
    } cases[] = {
        {"{}", "{\"a\":1}", true},
        {"{\"a\":1}", "{\"a\":1,\"b\":2}", true},
        {"{\"a\":1}", "{\"a\":1.0}", true},
        {"{\"a\":1}", "{\"a\":\"1\"}", false},
        {"{\"a\":1}", "{\"b\":1}", false},
        {"{\"a\":{\"b\":[1,{\"c\":null}]}}", "{\"a\":{\"b\":[1,{\"c\":null,\"d\":0}],\"e\":1}}",
         true},
        {"{\"a\":[1,2]}", "{\"a\":[1,2,3]}", false},
        {"{\"a\":[2,1]}", "{\"a\":[1,2]}", false},
        {"{\"a\":true}", "{\"a\":false}", false},
        {"{\"a\":null}", "{}", false},
        {"\"x\"", "\"x\"", true},
        {"[]", "{}", false},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        cJSON *p = cJSON_Parse(cases[i].pattern), *a = cJSON_Parse(cases[i].actual);
        ok(json_subset(p, a) == cases[i].want, "json_subset(%s, %s) == %d", cases[i].pattern,
           cases[i].actual, cases[i].want);
        cJSON_Delete(p);
        cJSON_Delete(a);
    }
}

static void test_near_misses(void)
{
    static const struct {
        const char *method, *path, *first, *second; /* "METHOD pattern"; NULL: none */
    } cases[] = {
        {"GET", "/v2/3as/custmers", "GET /v2/3as/customers", NULL},
        {"POST", "/v2/3as/customer", "POST /v2/3as/customers", NULL},
        {"GET", "/v3/3as/customers/c1", "GET /v2/3as/customers/{intpCustomerId}", NULL},
        {"DELETE", "/v2/3as/websites/w1/whitelisted-domain/x",
         "DELETE /v2/3as/websites/{intpWebsiteId}/whitelisted-domains/{domain}", NULL},
        {"HEAD", "/v2/3as/packges", "GET /v2/3as/packages", "POST /v2/3as/packages"},
        {"PUT", "/v2/3as/customers", "POST /v2/3as/customers", "GET /v2/3as/customers"},
        {"GET", "/v2/3as/customers/c1/extra", "GET /v2/3as/customers/{intpCustomerId}", NULL},
        {"GET", "/completely/else/entirely/here/x/y", NULL, NULL},
        {"GET", "/v2/3as/customers/%zz", NULL, NULL},
    };
    const struct route *routes = routes_table();
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct route *near[3];
        char first[160] = "", second[160] = "";
        int n = router_near_misses(routes, cases[i].method, cases[i].path, near, 3);
        if (n > 0)
            snprintf(first, sizeof(first), "%s %s", near[0]->method, near[0]->pattern);
        if (n > 1)
            snprintf(second, sizeof(second), "%s %s", near[1]->method, near[1]->pattern);
        ok(strcmp(first, cases[i].first ? cases[i].first : "") == 0 &&
               (!cases[i].second || strcmp(second, cases[i].second) == 0),
           "near %s %s: %d, first '%s', second '%s'", cases[i].method, cases[i].path, n, first,
           second);
    }
    /* a path made to cost the most stays cheap enough to answer on the HTTP thread */
    char worst[ROUTER_MAX_PATH];
    int64_t t0 = time_mono_us();
    strcpy(worst, "");
    for (int s = 0; s < 7; s++)
        strcat(worst, "/whitelisted-domaimx-abcd");
    for (int i = 0; i < 100; i++) {
        const struct route *near[3];
        router_near_misses(routes, "GET", worst, near, 3);
    }
    int64_t each = (time_mono_us() - t0) / 100;
    ok(each < 2000, "a costly path takes %lld us", (long long)each);
}

static const char *no_header(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "Authorization") == 0 ? "Bearer secret-token" : NULL;
}

static void test_note(void)
{
    struct journal *j = journal_new(10, 1 << 20);
    struct request req = {
        .method = "GET", .path = "/v2/3as/customers", .body = "", .header = no_header};
    struct response res = {.request_id = "rid-1"};
    snprintf(req.auth_failure, sizeof(req.auth_failure), "token has expired");
    reply_error(&res, ERR_INVALID_TOKEN, NULL, "token has expired");
    journal_note(j, &req, &res, "a=1", NULL, 1500);
    response_clear(&res);
    res.status = HTTP_UNAUTHORIZED;
    res.text = xstrdup("{\"error\":\"invalid api key\",\"message\":\"x\"}");
    res.text_len = strlen(res.text);
    res.request_id = "rid-2";
    journal_note(j, &req, &res, NULL, "demo", 10);
    response_clear(&res);
    struct journal_entry *a = journal_get(j, "rid-1"), *b = journal_get(j, "rid-2");
    ok(a && strcmp(a->error, "invalid access token") == 0 &&
           strcmp(a->auth_failure, "token has expired") == 0 && strcmp(a->query, "a=1") == 0 &&
           a->duration_us == 1500 && !a->unmatched,
       "note: error and reason from a JSON tree");
    ok(b && strcmp(b->error, "invalid api key") == 0 && strcmp(b->intp_id, "demo") == 0,
       "note: error from a printed answer");
    ok(a && !strstr(a->headers[JOURNAL_H_AUTHORIZATION], "secret-token"), "note: redacted");
    journal_entry_put(a);
    journal_entry_put(b);
    journal_free(j);
}

int main(void)
{
    test_count_bound();
    test_byte_bound();
    test_redaction();
    test_known_digest();
    test_matchers();
    test_json_subset();
    test_near_misses();
    test_note();
    return done_testing();
}
