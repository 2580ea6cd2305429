/* Lookups and validators shared by the partner-API handlers. */
#include "api/resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/intps_db.h"
#include "http/jsonutil.h"
#include "util/util.h"

int64_t request_now(const struct request *req)
{
    return req->now ? req->now : time_now();
}

/* Map a store result to 0 / 404 (`missing`) / 500. */
static int found_or_reply(enum db_result r, enum error_id missing, const char *field,
                          const char *id, struct response *res)
{
    switch (r) {
    case DB_OK:
        return 0;
    case DB_NOT_FOUND:
    case DB_CONFLICT:
        reply_error(res, missing, field, "%s '%s' is unknown", field, id);
        return -1;
    case DB_ERROR:
        break;
    }
    reply_error(res, ERR_INTERNAL, NULL, "database error");
    return -1;
}

int intp_model_or_reply(const struct request *req, struct intp_model *out, struct response *res)
{
    char type[16];
    enum db_result r = intps_db_model(&req->app->db, req->auth.intp_id, type, out->billing_mode);
    out->intpc = strcmp(type, "intpc") == 0;
    return found_or_reply(r, ERR_INTP_NOT_FOUND, "intpId", req->auth.intp_id, res);
}

int customer_find_or_reply(const struct request *req, const char *intp_customer_id,
                           const char *field, struct customer *out, struct response *res)
{
    enum db_result r = customers_db_get(&req->app->db, req->auth.intp_id, intp_customer_id, out);
    return found_or_reply(r, ERR_CUSTOMER_NOT_FOUND, field, intp_customer_id, res);
}

int website_find_or_reply(const struct request *req, const char *intp_website_id, const char *field,
                          struct website *out, struct response *res)
{
    enum db_result r = websites_db_get(&req->app->db, req->auth.intp_id, intp_website_id, out);
    return found_or_reply(r, ERR_WEBSITE_NOT_FOUND, field, intp_website_id, res);
}

int package_find_or_reply(const struct request *req, const char *id, const char *field,
                          struct package *out, struct response *res)
{
    enum db_result r = packages_db_get(&req->app->db, req->auth.intp_id, id, out);
    return found_or_reply(r, ERR_PACKAGE_NOT_FOUND, field, id, res);
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
