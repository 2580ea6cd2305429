/* libFuzzer target of the request-body validators (http/validate.c). The input is
 * "CONTENT-TYPE '\n' BODY" (no newline: no Content-Type header, the whole input is the body;
 * the body may hold NULs). request_json_object_or_reply parses it, as tests/unit/
 * test_validators.c drives it; an accepted object then goes through the json_*_or_reply helpers
 * on a few keys. Checked: every refusal is a D2 error body (400 or 415) that is valid UTF-8
 * (message and field included) and names the key at fault; an accepted body is one JSON object
 * and nothing after it, holds no escaped NUL (\u0000), and only valid UTF-8. Also the two helpers
 * behind that: util's utf8_scrub (valid, bounded, the identity on valid text that fits) and
 * json_find_escaped_nul (agrees with a plain scanner on every valid JSON body). */
#include <stdbool.h>
#include <strings.h>

#include "http/validate.h"
#include "util/json.h"
#include "fuzz.h"

static const char *content_type; /* the fake request's header; NULL: absent */

static const char *fake_header(void *ctx, const char *name)
{
    (void)ctx;
    return strcasecmp(name, "Content-Type") == 0 ? content_type : NULL;
}

static const char *fake_query(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

/* `res` holds a D2 error of `status` (0: 400 or 415), valid UTF-8, naming `field` (NULL: any
 * or none). */
static void check_error(const struct response *res, int status, const char *field)
{
    const cJSON *b = res->body;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(b, "field");
    FUZZ_CHECK(status
                   ? (int)res->status == status
                   : res->status == HTTP_BAD_REQUEST || res->status == HTTP_UNSUPPORTED_MEDIA_TYPE,
               "status %d", (int)res->status);
    FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(b, "error")) &&
                   cJSON_IsString(cJSON_GetObjectItemCaseSensitive(b, "message")) &&
                   cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "status")) ==
                       (double)res->status,
               "not a D2 error body");
    FUZZ_CHECK(!f || cJSON_IsString(f), "field is not a string");
    FUZZ_CHECK(!field || (f && strcmp(f->valuestring, field) == 0), "field '%s', want '%s'",
               f ? f->valuestring : "(none)", field);
    char *text = cJSON_PrintUnformatted(b);
    FUZZ_CHECK(text && utf8_valid(text), "error body is not valid UTF-8: %s", text ? text : "");
    cJSON_free(text);
}

/* Does the JSON text hold a string with an escaped NUL? */
static bool has_escaped_nul(const char *s, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = false;
        } else if (s[i] == '\\') {
            if (i + 5 < len && s[i + 1] == 'u' && memcmp(s + i + 2, "0000", 4) == 0)
                return true;
            i++;
        }
    }
    return false;
}

/* An accepted body: one object, nothing but white space after it, no \u0000, UTF-8 only. */
static void check_accepted(const char *body, size_t len, const cJSON *obj)
{
    const char *end = NULL;
    FUZZ_CHECK(cJSON_IsObject(obj), "accepted a body that is not an object");
    if (strspn(body, " \t\r\n") == len)
        return; /* the empty body is {} */
    cJSON *again = cJSON_ParseWithLengthOpts(body, len, &end, false);
    FUZZ_CHECK(again && end, "accepted a body cJSON cannot parse");
    cJSON_Delete(again);
    for (const char *p = end; p < body + len; p++)
        FUZZ_CHECK((unsigned char)*p <= ' ', "accepted a body with '%.*s' after its object",
                   (int)(body + len - p), p);
    FUZZ_CHECK(!has_escaped_nul(body, len), "accepted a string with an escaped NUL: %s", body);
    FUZZ_CHECK(fuzz_all_utf8(obj), "accepted a string that is not valid UTF-8");
}

/* utf8_scrub(in) into out[size] for a few sizes: valid UTF-8, within size, and `in` itself when
 * that is valid and fits. */
static void check_scrub(const char *in)
{
    static const size_t sizes[] = {1, 2, 3, 4, 7, 64, 512};
    char out[512];
    bool valid = utf8_valid(in);
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        size_t n = utf8_scrub(in, out, sizes[i]);
        FUZZ_CHECK(n < sizes[i] && strlen(out) == n && utf8_valid(out),
                   "utf8_scrub into %zu bytes wrote %zu: %s", sizes[i], n, out);
        FUZZ_CHECK(!valid || strlen(in) >= sizes[i] || strcmp(in, out) == 0,
                   "utf8_scrub changed valid '%s' into '%s'", in, out);
    }
}

/* On a body that is exactly one JSON value, json_find_escaped_nul agrees with the scanner. */
static void check_find_nul(const char *body, size_t len)
{
    const char *end = NULL;
    char path[256];
    if (strlen(body) != len)
        return;
    cJSON *json = cJSON_ParseWithLengthOpts(body, len, &end, false);
    bool whole = json && end && strspn(end, " \t\r\n") == (size_t)(body + len - end);
    cJSON_Delete(json);
    if (!whole)
        return;
    bool found = json_find_escaped_nul(body, len, path, sizeof(path));
    FUZZ_CHECK(found == has_escaped_nul(body, len), "json_find_escaped_nul: %d in %s", found, body);
}

static void check_string(const cJSON *obj, const char *key, bool required, size_t max)
{
    struct response res = {.request_id = "fuzz"};
    const char *s = "unset";
    if (json_string_or_reply(obj, key, required, max, &s, &res)) {
        check_error(&res, HTTP_BAD_REQUEST, key);
    } else {
        FUZZ_CHECK(!s || (*s && strlen(s) <= max && utf8_valid(s)), "%s: '%s'", key, s);
        FUZZ_CHECK(s || !required, "%s: required, but answered absent", key);
    }
    response_clear(&res);
}

static void check_members(const cJSON *obj)
{
    static const char *const roles[] = {"editor", "dashboard", "watcher", NULL};
    struct response res = {.request_id = "fuzz"};
    const cJSON *o = NULL;
    const char *e = NULL;
    bool b = false;
    int64_t n = 0;
    check_string(obj, "intpCustomerId", true, 255);
    check_string(obj, "website.domain", false, 255);
    check_string(obj, "website.package.id", false, 36);
    if (json_object_or_reply(obj, "website", &o, &res))
        check_error(&res, HTTP_BAD_REQUEST, "website");
    else
        FUZZ_CHECK(!o || cJSON_IsObject(o), "website: not an object");
    response_clear(&res);
    if (json_bool_or_reply(obj, "opts.trial", &b, &res))
        check_error(&res, HTTP_BAD_REQUEST, "opts.trial");
    response_clear(&res);
    if (json_int_or_reply(obj, "pagination.page", 1, 1000000, &n, &res))
        check_error(&res, HTTP_BAD_REQUEST, "pagination.page");
    else
        FUZZ_CHECK(n == 0 || (n >= 1 && n <= 1000000), "pagination.page %lld", (long long)n);
    response_clear(&res);
    if (json_enum_or_reply(obj, "role", roles, &e, &res))
        check_error(&res, HTTP_BAD_REQUEST, "role");
    else
        FUZZ_CHECK(!e || e == roles[0] || e == roles[1] || e == roles[2], "role: %s", e);
    response_clear(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *body = text;
    size_t body_len = size;
    char *nl = memchr(text, '\n', size);
    content_type = NULL;
    if (nl) {
        *nl = '\0';
        content_type = text;
        body = nl + 1;
        body_len = size - (size_t)(body - text);
    }
    struct request req = {.method = "POST",
                          .path = "/",
                          .body = body,
                          .body_len = body_len,
                          .header = fake_header,
                          .query = fake_query};
    struct response res = {.request_id = "fuzz"};
    cJSON *obj = NULL;
    if (request_json_object_or_reply(&req, &res, &obj)) {
        FUZZ_CHECK(!obj, "refused, yet *out is set");
        check_error(&res, 0, NULL);
    } else {
        FUZZ_CHECK(obj && !res.body, "accepted, yet no object or an error body");
        check_accepted(body, body_len, obj);
        check_members(obj);
    }
    check_scrub(body);
    if (content_type)
        check_scrub(content_type);
    check_find_nul(body, body_len);
    cJSON_Delete(obj);
    response_clear(&res);
    free(text);
    return 0;
}
