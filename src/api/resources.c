/* Lookups and validators shared by the partner-API handlers. */
#include "api/resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/validate.h"
#include "util/util.h"

struct tenant request_tenant(const struct request *req)
{
    return (struct tenant){req->db, req->auth.intp_id, request_now(req)};
}

/* Answer the refusal of a lookup. */
static int refused(int rc, const struct outcome *o, struct response *res)
{
    if (rc)
        reply_outcome(res, o);
    return rc;
}

int intp_model_or_reply(const struct request *req, struct intp_model *out, struct response *res)
{
    struct tenant t = request_tenant(req);
    struct outcome o;
    return refused(tenant_model(&t, out, &o), &o, res);
}

int customer_find_or_reply(const struct request *req, const char *intp_customer_id,
                           const char *field, struct customer *out, struct response *res)
{
    struct tenant t = request_tenant(req);
    struct outcome o;
    return refused(tenant_customer(&t, intp_customer_id, field, out, &o), &o, res);
}

int website_find_or_reply(const struct request *req, const char *intp_website_id, const char *field,
                          struct website *out, struct response *res)
{
    struct tenant t = request_tenant(req);
    struct outcome o;
    return refused(tenant_website(&t, intp_website_id, field, out, &o), &o, res);
}

int package_find_or_reply(const struct request *req, const char *id, const char *field,
                          struct package *out, struct response *res)
{
    struct tenant t = request_tenant(req);
    struct outcome o;
    return refused(tenant_package(&t, id, field, out, &o), &o, res);
}

/* An optional non-negative integer query parameter in [min, max]. */
static int query_int_or_reply(const struct request *req, const char *name, int64_t min, int64_t max,
                              int64_t *out, struct response *res)
{
    const char *v = request_query(req, name);
    char *end;
    if (!v)
        return 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < min || n > max) {
        reply_error(res, ERR_VALIDATION, name, "%s must be an integer from %lld to %lld", name,
                    (long long)min, (long long)max);
        return -1;
    }
    *out = n;
    return 0;
}

int pagination_or_reply(const struct request *req, int64_t *page, int64_t *size,
                        struct response *res)
{
    *page = 0;
    *size = PAGE_SIZE_DEFAULT;
    if (query_int_or_reply(req, "page", 0, 1000000000, page, res) ||
        query_int_or_reply(req, "pageSize", 1, PAGE_SIZE_MAX, size, res))
        return -1;
    return 0;
}

cJSON *pagination_meta(int64_t page, int64_t size, int64_t total)
{
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddNumberToObject(meta, "page", (double)page);
    cJSON_AddNumberToObject(meta, "pageSize", (double)size);
    cJSON_AddNumberToObject(meta, "pageTotal", (double)((total + size - 1) / size));
    cJSON_AddNumberToObject(meta, "total", (double)total);
    return meta;
}

int external_id_or_reply(const cJSON *obj, const char *key, bool required, const char **out,
                         struct response *res)
{
    return json_string_or_reply(obj, key, required, MAX_EXTERNAL_ID, out, res);
}

int email_or_reply(const cJSON *obj, const char *key, const char **out, struct response *res)
{
    if (json_string_or_reply(obj, key, true, MAX_EXTERNAL_ID, out, res))
        return -1;
    const char *at = strchr(*out, '@');
    if (!at || at == *out || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
        at[strlen(at) - 1] == '.' || strpbrk(*out, " \t\r\n<>\"")) {
        reply_error(res, ERR_VALIDATION, key, "%s must be an email address", key);
        return -1;
    }
    return 0;
}

int domain_or_reply(const cJSON *obj, const char *key, bool required, const char **out,
                    struct response *res)
{
    if (json_string_or_reply(obj, key, required, MAX_EXTERNAL_ID, out, res))
        return -1;
    for (const unsigned char *p = (const unsigned char *)*out; p && *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || strchr("<>\"'`\\", *p)) {
            reply_error(res, ERR_VALIDATION, key,
                        "%s must be a domain or URL without spaces, quotes or angle brackets", key);
            return -1;
        }
    }
    return 0;
}

int timestamp_or_reply(const cJSON *obj, const char *key, int64_t *out, struct response *res)
{
    const char *text;
    if (json_string_or_reply(obj, key, false, 64, &text, res))
        return -1;
    if (text && time_parse(text, out)) {
        reply_error(res, ERR_VALIDATION, key,
                    "%s must be an RFC 3339 date-time such as 2026-11-22T10:00:00Z", key);
        return -1;
    }
    return 0;
}

/* The website of the {intpWebsiteId} param, or 404. */
int param_website_or_reply(struct request *req, struct website *w, struct response *res)
{
    return website_find_or_reply(req, request_param(req, "intpWebsiteId"), "intpWebsiteId", w, res);
}

/* Run a store call and answer 204, or 500. */
enum http_status reply_done(enum db_result r, struct response *res)
{
    if (r != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "database error");
    return reply_no_content(res);
}

int owner_or_reply(struct request *req, const struct website *w, struct customer *owner,
                   struct response *res)
{
    if (customers_db_get_by_id(req->db, w->customer_id, owner) == DB_OK)
        return 0;
    reply_error(res, ERR_INTERNAL, NULL, "the website has no owner");
    return -1;
}
