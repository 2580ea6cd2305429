/* Unit tests of response.c: the error table, the D2 error body and the envelope. */
#include <string.h>

#include "http/response.h"
#include "tap.h"
#include "util/util.h"

static void test_table(void)
{
    int bad = 0;
    for (int i = 0; i < ERR__COUNT; i++) {
        enum http_status s = error_status((enum error_id)i);
        if (s < 400 || s > 599 || !error_text((enum error_id)i)[0] ||
            strcmp(http_status_reason(s), "Unknown") == 0)
            bad++;
    }
    ok(bad == 0, "every error has a 4xx/5xx status with a reason phrase and a text");
    ok(strcmp(error_text(ERR_INVALID_TOKEN), "invalid access token") == 0 &&
           error_status(ERR_INVALID_TOKEN) == 401,
       "auth failure is 401 'invalid access token' (D2)");
    ok(strcmp(http_status_reason(405), "Method Not Allowed") == 0, "reason phrase");
    ok(strcmp(http_status_reason(418), "Unknown") == 0, "unknown status");
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void test_error_body(void)
{
    struct response res = {.request_id = "req-1"};
    enum http_status s = reply_error(&res, ERR_VALIDATION, "email", "email is required");
    ok(s == 400 && res.status == 400, "reply_error returns the status");
    ok(strcmp(str(res.body, "error"), "invalid request") == 0 &&
           strcmp(str(res.body, "message"), "email is required") == 0 &&
           num(res.body, "status") == 400 && num(res.body, "code") == 400 &&
           strcmp(str(res.body, "correlationId"), "req-1") == 0 &&
           strcmp(str(res.body, "field"), "email") == 0,
       "D2 body: error, message, status, code, correlationId, field");
    reply_error(&res, ERR_INVALID_TOKEN, NULL, NULL);
    ok(strcmp(str(res.body, "message"), "invalid access token") == 0 &&
           !cJSON_GetObjectItemCaseSensitive(res.body, "field"),
       "no detail: message repeats error, no field");
    ok(strcmp(res.request_id, "req-1") == 0, "request id survives a second reply");
    response_clear(&res);
}

static void test_envelope(void)
{
    struct response res = {0};
    reply_payload(&res, HTTP_CREATED, cJSON_CreateString("x"));
    ok(res.status == 201 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(res.body, "payload")),
       "payload envelope");
    reply_list(&res, cJSON_CreateArray(), cJSON_CreateObject());
    ok(res.status == 200 && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(res.body, "payload")) &&
           cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(res.body, "meta")),
       "list envelope with meta");
    reply_no_content(&res);
    ok(res.status == 204 && !res.body, "204 has no body");
    response_clear(&res);
}

int main(void)
{
    test_table();
    test_error_body();
    test_envelope();
    return done_testing();
}
