/* What a handler produces: a status, a JSON body (or raw text) and extra headers, plus the one
 * envelope ({"payload": …, "meta": …}) and the one error table (contract D2). */
#ifndef MOCK3AS_RESPONSE_H
#define MOCK3AS_RESPONSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/outcome.h"

/* The HTTP statuses mock3as answers with: enum value, code, reason phrase. */
#define FOR_EACH_HTTP_STATUS(X)                                                                    \
    X(HTTP_OK, 200, "OK")                                                                          \
    X(HTTP_CREATED, 201, "Created")                                                                \
    X(HTTP_NO_CONTENT, 204, "No Content")                                                          \
    X(HTTP_BAD_REQUEST, 400, "Bad Request")                                                        \
    X(HTTP_UNAUTHORIZED, 401, "Unauthorized")                                                      \
    X(HTTP_FORBIDDEN, 403, "Forbidden")                                                            \
    X(HTTP_NOT_FOUND, 404, "Not Found")                                                            \
    X(HTTP_METHOD_NOT_ALLOWED, 405, "Method Not Allowed")                                          \
    X(HTTP_PAYLOAD_TOO_LARGE, 413, "Payload Too Large")                                            \
    X(HTTP_URI_TOO_LONG, 414, "URI Too Long")                                                      \
    X(HTTP_UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported Media Type")                                  \
    X(HTTP_TOO_MANY_REQUESTS, 429, "Too Many Requests")                                            \
    X(HTTP_INTERNAL_ERROR, 500, "Internal Server Error")                                           \
    X(HTTP_BAD_GATEWAY, 502, "Bad Gateway")                                                        \
    X(HTTP_SERVICE_UNAVAILABLE, 503, "Service Unavailable")                                        \
    X(HTTP_GATEWAY_TIMEOUT, 504, "Gateway Timeout")

#define HTTP_ENUM(name, code, reason) name = code,
enum http_status { FOR_EACH_HTTP_STATUS(HTTP_ENUM) };
#undef HTTP_ENUM

/* Every error mock3as reports: id, status, the text of "error". Handlers add a "message" with
 * the detail (which field, which id) when it helps. */
#define FOR_EACH_ERROR(X)                                                                          \
    X(ERR_INVALID_TOKEN, HTTP_UNAUTHORIZED, "invalid access token")                                \
    X(ERR_INVALID_ADMIN_TOKEN, HTTP_UNAUTHORIZED, "invalid admin token")                           \
    X(ERR_INVALID_API_KEY, HTTP_UNAUTHORIZED, "invalid api key")                                   \
    X(ERR_API_KEY_SCOPE, HTTP_FORBIDDEN, "api key not allowed here")                               \
    X(ERR_WRONG_ROLE, HTTP_FORBIDDEN, "token role not allowed on this route")                      \
    X(ERR_ROUTE_NOT_FOUND, HTTP_NOT_FOUND, "route not found")                                      \
    X(ERR_REQUEST_NOT_FOUND, HTTP_NOT_FOUND, "request not found")                                  \
    X(ERR_INTP_NOT_FOUND, HTTP_NOT_FOUND, "intp not found")                                        \
    X(ERR_CUSTOMER_NOT_FOUND, HTTP_NOT_FOUND, "customer not found")                                \
    X(ERR_WEBSITE_NOT_FOUND, HTTP_NOT_FOUND, "website not found")                                  \
    X(ERR_PACKAGE_NOT_FOUND, HTTP_NOT_FOUND, "package not found")                                  \
    X(ERR_API_KEY_NOT_FOUND, HTTP_NOT_FOUND, "api key not found")                                  \
    X(ERR_CONTRIBUTOR_NOT_FOUND, HTTP_NOT_FOUND, "contributor not found")                          \
    X(ERR_METHOD_NOT_ALLOWED, HTTP_METHOD_NOT_ALLOWED, "method not allowed")                       \
    X(ERR_BODY_TOO_LARGE, HTTP_PAYLOAD_TOO_LARGE, "request body too large")                        \
    X(ERR_URI_TOO_LONG, HTTP_URI_TOO_LONG, "request target too long")                              \
    X(ERR_BAD_FRAMING, HTTP_BAD_REQUEST, "request framing not supported")                          \
    X(ERR_UNSUPPORTED_MEDIA_TYPE, HTTP_UNSUPPORTED_MEDIA_TYPE,                                     \
      "request body must be application/json")                                                     \
    X(ERR_INVALID_JSON, HTTP_BAD_REQUEST, "request body is not valid JSON")                        \
    X(ERR_VALIDATION, HTTP_BAD_REQUEST, "invalid request")                                         \
    X(ERR_DUPLICATE, HTTP_BAD_REQUEST, "already exists")                                           \
    X(ERR_WRONG_MODEL, HTTP_BAD_REQUEST, "not allowed for this partner's subscription type")       \
    X(ERR_RULE_OBSERVED, HTTP_INTERNAL_ERROR, "illegal subscription action")                       \
    X(ERR_RULE_INTENDED, HTTP_BAD_REQUEST, "illegal subscription action")                          \
    X(ERR_INVALID_ACTION, HTTP_BAD_REQUEST, "subscription action not possible")                    \
    X(ERR_NO_PRIVATE_KEY, HTTP_BAD_REQUEST, "the mock holds no private key for this intp")         \
    X(ERR_INTERNAL, HTTP_INTERNAL_ERROR, "internal error")                                         \
    X(ERR_SHUTTING_DOWN, HTTP_SERVICE_UNAVAILABLE, "server is shutting down")                      \
    X(ERR_FAULT_NOT_FOUND, HTTP_NOT_FOUND, "fault rule not found")                                 \
    X(ERR_TOO_MANY_REQUESTS, HTTP_TOO_MANY_REQUESTS, "too many requests")                          \
    X(ERR_BAD_GATEWAY, HTTP_BAD_GATEWAY, "bad gateway")                                            \
    X(ERR_UNAVAILABLE, HTTP_SERVICE_UNAVAILABLE, "service unavailable")                            \
    X(ERR_GATEWAY_TIMEOUT, HTTP_GATEWAY_TIMEOUT, "gateway timeout")

#define ERR_ENUM(name, status, text) name,
enum error_id { FOR_EACH_ERROR(ERR_ENUM) ERR__COUNT };
#undef ERR_ENUM

struct response {
    enum http_status status;
    cJSON *body; /* owned JSON body, or NULL */
    char *text;  /* owned raw body (HTML, YAML), used when body is NULL */
    size_t text_len;
    const char *content_type; /* for `text`; JSON bodies are always application/json */
    char allow[96];           /* Allow header value, "" for none */
    char csp[256];            /* Content-Security-Policy header value, "" for none */
    char disposition[128];    /* Content-Disposition header value, "" for none */
    const char *request_id;   /* borrowed: the X-Request-Id, echoed as correlationId */
};

/* The reason phrase of a status ("Not Found"); "Unknown" for a code not in the table. */
const char *http_status_reason(int status);

/* The status and "error" text of an error id. */
enum http_status error_status(enum error_id id);
const char *error_text(enum error_id id);

/* Free what `res` owns and make it empty again (request_id is kept). */
void response_clear(struct response *res);

/* {"payload": payload}, taking ownership of `payload`. Returns `status`. */
enum http_status reply_payload(struct response *res, enum http_status status, cJSON *payload);

/* {"payload": items, "meta": meta}, taking ownership of both. Returns HTTP_OK. */
enum http_status reply_list(struct response *res, cJSON *items, cJSON *meta);

/* `body` as it is (no envelope), taking ownership. Returns `status`. */
enum http_status reply_json(struct response *res, enum http_status status, cJSON *body);

/* `text` (len bytes, owned from now on) as the JSON body, already printed: for answers written
 * as text rather than built as a cJSON tree. Returns `status`. */
enum http_status reply_json_text(struct response *res, enum http_status status, char *text,
                                 size_t len);

/* 204 with no body. */
enum http_status reply_no_content(struct response *res);

/* The D2 error body {"error","message","status","code","correlationId"} (+ "field" when given).
 * `fmt` (may be NULL) is the detail for "message"; without it "message" repeats "error".
 * Replaces whatever `res` held. Returns the error's status. */
enum http_status reply_error(struct response *res, enum error_id id, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* An HTML error page of the dashboard (its 401s) in the language of `locale` (the page's
 * `locale` parameter; NULL or an unknown language: en), util/html.c's html_error_page(): the
 * status, its name and explanation in that language, and `detail` (technical, English) in small
 * print, under a CSP that allows only its own nonce'd style sheet. Replaces whatever `res` held.
 * Returns `status`. */
enum http_status reply_page(struct response *res, enum http_status status, const char *locale,
                            const char *detail);

/* The D2 error for what a domain function refused (util/outcome.h): its code mapped to an error
 * id, with its field and message. Returns the error's status. */
enum http_status reply_outcome(struct response *res, const struct outcome *o);

#endif
