/* Unit tests of the request validators (http/validate.c, api/resources.c): body parsing, dotted
 * paths, required and optional members, and the field named in each 400. */
#include <string.h>

#include "http/validate.h"
#include "api/resources.h"
#include "tap.h"
#include "util/util.h"

struct fake {
    const char *content_type;
    const char *query[4][2];
};

static const char *fake_header(void *ctx, const char *name)
{
    struct fake *f = ctx;
    return strcmp(name, "Content-Type") == 0 ? f->content_type : NULL;
}

static const char *fake_query(void *ctx, const char *name)
{
    struct fake *f = ctx;
    for (int i = 0; i < 4 && f->query[i][0]; i++)
        if (strcmp(f->query[i][0], name) == 0)
            return f->query[i][1];
    return NULL;
}

static struct request make_request(struct fake *f, const char *body)
{
    struct request r = {.method = "POST",
                        .path = "/",
                        .body = body,
                        .body_len = strlen(body),
                        .header = fake_header,
                        .query = fake_query,
                        .ctx = f};
    return r;
}

static const char *field_of(const struct response *res)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(res->body, "field");
    return cJSON_IsString(f) ? f->valuestring : "";
}

static void test_body(void)
{
    static const struct {
        const char *content_type, *body;
        int status; /* 0: accepted */
    } cases[] = {
        {NULL, "", 0},
        {"application/json", " {\"a\":1} ", 0},
        {"application/json; charset=utf-8", "{}", 0},
        {"application/merge-patch+json", "{}", 0},
        {"text/plain", "{}", 415},
        {"application/json", "[]", 400},
        {"application/json", "{\"a\":", 400},
        {"application/json", "{\"a\":\"\xc3\x28\"}", 400},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fake f = {.content_type = cases[i].content_type};
        struct request req = make_request(&f, cases[i].body);
        struct response res = {0};
        cJSON *obj = NULL;
        int rc = request_json_object_or_reply(&req, &res, &obj);
        ok(cases[i].status ? rc == -1 && (int)res.status == cases[i].status : rc == 0 && obj,
           "body case %zu -> %d", i, cases[i].status);
        cJSON_Delete(obj);
        response_clear(&res);
    }
}

static void test_members(void)
{
    cJSON *o = cJSON_Parse("{\"website\":{\"id\":\"w1\",\"package\":{\"id\":\"\"},\"n\":5},"
                           "\"flag\":true,\"num\":1.5,\"s\":7,\"opts\":[]}");
    struct response res = {0};
    const char *s = "unset";
    int64_t n = -1;
    bool b = false;
    ok(json_string_or_reply(o, "website.id", true, 255, &s, &res) == 0 && strcmp(s, "w1") == 0,
       "dotted path");
    ok(json_string_or_reply(o, "website.package.id", false, 255, &s, &res) == 0 && !s,
       "empty string counts as absent");
    ok(json_string_or_reply(o, "website.package.id", true, 255, &s, &res) == -1 &&
           strcmp(field_of(&res), "website.package.id") == 0,
       "…and a required one is missing");
    ok(json_string_or_reply(o, "missing.id", false, 255, &s, &res) == 0 && !s,
       "absent parent: absent member");
    ok(json_bool_or_reply(o, "opts.uft", &b, &res) == -1 && strcmp(field_of(&res), "opts.uft") == 0,
       "a parent that is not an object is 400 naming the path");
    ok(json_string_or_reply(o, "s", false, 255, &s, &res) == -1 && strcmp(field_of(&res), "s") == 0,
       "a number where a string belongs");
    ok(json_string_or_reply(o, "website.id", true, 1, &s, &res) == -1, "over the length limit");
    ok(json_int_or_reply(o, "website.n", 0, 10, &n, &res) == 0 && n == 5, "integer member");
    ok(json_int_or_reply(o, "num", 0, 10, &n, &res) == -1, "1.5 is no integer");
    ok(json_bool_or_reply(o, "flag", &b, &res) == 0 && b, "boolean member");
    cJSON_Delete(o);
    response_clear(&res);
}

static void test_formats(void)
{
    struct response res = {0};
    const char *s;
    int64_t t = -1;
    static const char *const emails[] = {"a@b.io", "first.last+tag@sub.example.com"};
    static const char *const bad_emails[] = {"a", "@b.io", "a@b", "a@@b.io", "a b@c.io", "a@b."};
    for (size_t i = 0; i < ARRAY_SIZE(emails); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "email", emails[i]);
        ok(email_or_reply(o, "email", &s, &res) == 0, "email %s", emails[i]);
        cJSON_Delete(o);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad_emails); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "email", bad_emails[i]);
        ok(email_or_reply(o, "email", &s, &res) == -1, "not an email: %s", bad_emails[i]);
        cJSON_Delete(o);
    }
    cJSON *o =
        cJSON_Parse("{\"d\":\"https://example.io\",\"bad\":\"a<b\",\"t\":\"2026-01-31T10:00:00Z\","
                    "\"tb\":\"31/01/2026\",\"te\":\"\"}");
    ok(domain_or_reply(o, "d", true, &s, &res) == 0, "a URL is a domain as websites carry it");
    ok(domain_or_reply(o, "bad", true, &s, &res) == -1, "angle brackets are refused");
    ok(timestamp_or_reply(o, "t", &t, &res) == 0 && t == 1769853600, "RFC 3339 timestamp");
    ok(timestamp_or_reply(o, "tb", &t, &res) == -1 && strcmp(field_of(&res), "tb") == 0,
       "other date formats are 400");
    t = 42;
    ok(timestamp_or_reply(o, "te", &t, &res) == 0 && t == 42, "empty timestamp is absent");
    cJSON_Delete(o);
    response_clear(&res);
}

static void test_pagination(void)
{
    static const struct {
        const char *page, *size;
        int64_t want_page, want_size; /* -1: 400 */
    } cases[] = {
        {NULL, NULL, 0, 10}, {"2", "100", 2, 100},  {"0", "1", 0, 1},    {"-1", NULL, -1, -1},
        {NULL, "0", -1, -1}, {NULL, "101", -1, -1}, {"x", NULL, -1, -1}, {NULL, "5x", -1, -1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fake f = {.query = {{"page", cases[i].page}, {"pageSize", cases[i].size}}};
        struct request req = make_request(&f, "");
        struct response res = {0};
        int64_t page, size;
        int rc = pagination_or_reply(&req, &page, &size, &res);
        ok(cases[i].want_page < 0
               ? rc == -1
               : rc == 0 && page == cases[i].want_page && size == cases[i].want_size,
           "page=%s pageSize=%s", cases[i].page ? cases[i].page : "-",
           cases[i].size ? cases[i].size : "-");
        response_clear(&res);
    }
    cJSON *meta = pagination_meta(1, 10, 25);
    char *text = cJSON_PrintUnformatted(meta);
    ok(strcmp(text, "{\"page\":1,\"pageSize\":10,\"pageTotal\":3,\"total\":25}") == 0, "meta %s",
       text);
    cJSON_free(text);
    cJSON_Delete(meta);
}

int main(void)
{
    test_body();
    test_members();
    test_formats();
    test_pagination();
    return done_testing();
}
