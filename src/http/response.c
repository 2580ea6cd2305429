/* The response envelope and the error table: the only place that shapes success and error
 * bodies (contract §2.2 and D2). */
#include "http/response.h"

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
    char message[512];
    enum http_status status = errors[id].status;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof(message), fmt, ap);
        va_end(ap);
    } else {
        snprintf(message, sizeof(message), "%s", errors[id].text);
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
