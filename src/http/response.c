/* The response envelope and the error table: the only place that shapes success and error
 * bodies (contract §2.2 and D2). */
#include "http/response.h"

#include "util/html.h"
#include "util/strbuf.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_CASE(name, code, reason)                                                            \
    case code:                                                                                     \
        return reason;

const char *http_status_reason(int status)
{
    switch (status) {
        FOR_EACH_HTTP_STATUS(REASON_CASE)
    default:
        return "Unknown";
    }
}

#define ERR_ENTRY(name, status, text) {status, text},
static const struct {
    enum http_status status;
    const char *text;
} errors[] = {FOR_EACH_ERROR(ERR_ENTRY)};

enum http_status error_status(enum error_id id)
{
    return errors[id].status;
}

const char *error_text(enum error_id id)
{
    return errors[id].text;
}

void response_clear(struct response *res)
{
    const char *request_id = res->request_id;
    cJSON_Delete(res->body);
    free(res->text);
    memset(res, 0, sizeof(*res));
    res->request_id = request_id;
}

enum http_status reply_json(struct response *res, enum http_status status, cJSON *body)
{
    response_clear(res);
    res->status = status;
    res->body = body;
    return status;
}

enum http_status reply_json_text(struct response *res, enum http_status status, char *text,
                                 size_t len)
{
    response_clear(res);
    res->status = status;
    res->text = text;
    res->text_len = len;
    res->content_type = "application/json";
    return status;
}

enum http_status reply_payload(struct response *res, enum http_status status, cJSON *payload)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "payload", payload);
    return reply_json(res, status, body);
}

enum http_status reply_list(struct response *res, cJSON *items, cJSON *meta)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "payload", items);
    cJSON_AddItemToObject(body, "meta", meta);
    return reply_json(res, HTTP_OK, body);
}

enum http_status reply_no_content(struct response *res)
{
    response_clear(res);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status reply_error(struct response *res, enum error_id id, const char *field,
                             const char *fmt, ...)
{
    char raw[512], message[512], safe_field[256];
    enum http_status status = errors[id].status;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof(raw), fmt, ap);
        va_end(ap);
    } else {
        snprintf(raw, sizeof(raw), "%s", errors[id].text);
    }
    /* the one place client bytes are echoed: made well-formed, cut on a character boundary */
    utf8_scrub(raw, message, sizeof(message));
    if (field) {
        utf8_scrub(field, safe_field, sizeof(safe_field));
        field = safe_field;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "error", errors[id].text);
    cJSON_AddStringToObject(body, "message", message);
    cJSON_AddNumberToObject(body, "status", status);
    cJSON_AddNumberToObject(body, "code", status);
    cJSON_AddStringToObject(body, "correlationId", res->request_id ? res->request_id : "");
    if (field)
        cJSON_AddStringToObject(body, "field", field);
    return reply_json(res, status, body);
}

enum http_status reply_outcome(struct response *res, const struct outcome *o)
{
    static const enum error_id errors_of[OUT__COUNT] = {
        [OUT_OK] = ERR_INTERNAL, /* not an error: a caller bug, answered as one */
        [OUT_INVALID] = ERR_VALIDATION,
        [OUT_DUPLICATE] = ERR_DUPLICATE,
        [OUT_WRONG_MODEL] = ERR_WRONG_MODEL,
        [OUT_RULE_OBSERVED] = ERR_RULE_OBSERVED,
        [OUT_RULE_INTENDED] = ERR_RULE_INTENDED,
        [OUT_NOT_POSSIBLE] = ERR_INVALID_ACTION,
        [OUT_NO_INTP] = ERR_INTP_NOT_FOUND,
        [OUT_NO_CUSTOMER] = ERR_CUSTOMER_NOT_FOUND,
        [OUT_NO_WEBSITE] = ERR_WEBSITE_NOT_FOUND,
        [OUT_NO_PACKAGE] = ERR_PACKAGE_NOT_FOUND,
        [OUT_FAILED] = ERR_INTERNAL,
    };
    enum error_id id = o->code < OUT__COUNT ? errors_of[o->code] : ERR_INTERNAL;
    return reply_error(res, id, o->field[0] ? o->field : NULL, "%s", o->message);
}

enum http_status reply_page(struct response *res, enum http_status status, const char *locale,
                            const char *detail)
{
    struct strbuf sb = STRBUF_INIT;
    char nonce[23];
    random_string(nonce, sizeof(nonce),
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    html_error_page(&sb, html_locale_parse(locale), (int)status, NULL, detail, nonce);
    response_clear(res);
    res->status = status;
    res->text = strbuf_detach(&sb, &res->text_len);
    res->content_type = "text/html; charset=utf-8";
    snprintf(res->csp, sizeof(res->csp),
             "default-src 'none'; style-src 'nonce-%s'; frame-ancestors *", nonce);
    return status;
}
