/* Lookups and validators the partner-API handlers share, each in the "…_or_reply" style: 0 and
 * the result, or -1 with the D2 error already in `res`. Every lookup is scoped to the partner of
 * the request: another partner's ids are unknown (404). */
#ifndef MOCK3AS_RESOURCES_H
#define MOCK3AS_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "billing/tenant.h"
#include "http/request.h"
#include "http/response.h"

#define PAGE_SIZE_DEFAULT 10
#define PAGE_SIZE_MAX     100

/* The partner this request is scoped to, on its clock (read once by the dispatcher). */
struct tenant request_tenant(const struct request *req);

int intp_model_or_reply(const struct request *req, struct intp_model *out, struct response *res);

/* The partner's customer / website (by the partner's own id) / package (by id). `field` names
 * where the id came from ("intpCustomerId", "packageId", or a route param). */
int customer_find_or_reply(const struct request *req, const char *intp_customer_id,
                           const char *field, struct customer *out, struct response *res);
int website_find_or_reply(const struct request *req, const char *intp_website_id, const char *field,
                          struct website *out, struct response *res);
int package_find_or_reply(const struct request *req, const char *id, const char *field,
                          struct package *out, struct response *res);

/* `?page` (0-based, default 0) and `?pageSize` (1..100, default 10). */
int pagination_or_reply(const struct request *req, int64_t *page, int64_t *size,
                        struct response *res);

/* {"page","pageSize","pageTotal","total"} for a list answer. New object, caller owns. */
cJSON *pagination_meta(int64_t page, int64_t size, int64_t total);

/* A partner-chosen id (intpCustomerId, intpWebsiteId …): a string of 1..255 bytes. */
int external_id_or_reply(const cJSON *obj, const char *key, bool required, const char **out,
                         struct response *res);

/* An email address: one '@', something on each side, a dot in the domain, no spaces. */
int email_or_reply(const cJSON *obj, const char *key, const char **out, struct response *res);

/* A domain as websites carry it ("example.com", "https://example.io"): 1..255 printable bytes,
 * no spaces, quotes or angle brackets (it is written into the tracking snippet). */
int domain_or_reply(const cJSON *obj, const char *key, bool required, const char **out,
                    struct response *res);

/* An optional RFC 3339 timestamp: *out stays as it was when absent, null or "". */
int timestamp_or_reply(const cJSON *obj, const char *key, int64_t *out, struct response *res);

/* The website of the {intpWebsiteId} route param, or 404. */
int param_website_or_reply(struct request *req, struct website *w, struct response *res);

/* The owner of website `w`, or 500. */
int owner_or_reply(struct request *req, const struct website *w, struct customer *owner,
                   struct response *res);

/* Answer 204 after a store call that returned `r`, or 500. */
enum http_status reply_done(enum db_result r, struct response *res);

#endif
