/* Request-body validation helpers that answer the 400 themselves. */
#include "http/validate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

/* true when the Content-Type is absent or is a JSON media type. */
static bool content_type_is_json(const char *ct)
{
    if (!ct || !*ct)
        return true;
    size_t n = strcspn(ct, ";");
    while (n && ct[n - 1] == ' ')
        n--;
    if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return true;
    return n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0;
}

/* The first string (key or value) below `item` that is not valid UTF-8, as a dotted path written
 * into path[size]; false when everything is valid. */
static bool find_bad_utf8(const cJSON *item, char *path, size_t size)
{
    const cJSON *child;
    size_t n = strlen(path);
    cJSON_ArrayForEach (child, item) {
        if (child->string)
            snprintf(path + n, size - n, "%s%s", n ? "." : "", child->string);
        if ((child->string && !utf8_valid(child->string)) ||
            (cJSON_IsString(child) && !utf8_valid(child->valuestring)) ||
            find_bad_utf8(child, path, size))
            return true;
        path[n] = '\0';
    }
    return false;
}

int request_json_object_or_reply(const struct request *req, struct response *res, cJSON **out)
{
    *out = NULL;
    if (!content_type_is_json(request_header(req, "Content-Type"))) {
        reply_error(res, ERR_UNSUPPORTED_MEDIA_TYPE, NULL,
                    "Content-Type must be application/json, got '%s'",
                    request_header(req, "Content-Type"));
        return -1;
    }
    size_t skip = strspn(req->body, " \t\r\n");
    if (skip == req->body_len) {
        *out = cJSON_CreateObject();
        return 0;
    }
    const char *end = NULL;
    cJSON *json = strlen(req->body) == req->body_len
                      ? cJSON_ParseWithLengthOpts(req->body, req->body_len, &end, false)
                      : NULL;
    if (!json || !cJSON_IsObject(json)) {
        reply_error(res, ERR_INVALID_JSON, NULL,
                    json ? "request body must be a JSON object" : "request body is not valid JSON");
        cJSON_Delete(json);
        return -1;
    }
    end += strspn(end, " \t\r\n");
    if (end != req->body + req->body_len) {
        reply_error(res, ERR_INVALID_JSON, NULL,
                    "request body must be one JSON object: more follows it at byte %zu",
                    (size_t)(end - req->body));
        cJSON_Delete(json);
        return -1;
    }
    char path[256] = "";
    enum json_string_problem problem =
        json_find_string_problem(req->body, req->body_len, path, sizeof(path));
    if (problem) {
        const char *where = path[0] ? path : "a key";
        if (problem == JSON_STRING_ESCAPED_NUL)
            reply_error(res, ERR_VALIDATION, path[0] ? path : NULL,
                        "%s must not contain \\u0000 (a NUL character)", where);
        else
            reply_error(res, ERR_INVALID_JSON, path[0] ? path : NULL,
                        "%s holds a raw control character: JSON strings escape them (\\n, "
                        "\\t, \\u001f)",
                        where);
        cJSON_Delete(json);
        return -1;
    }
    if (find_bad_utf8(json, path, sizeof(path))) {
        reply_error(res, ERR_INVALID_JSON, path[0] ? path : NULL, "%s is not valid UTF-8",
                    path[0] ? path : "a key");
        cJSON_Delete(json);
        return -1;
    }
    *out = json;
    return 0;
}

/* Find the member at dotted `path` ("website.package.id"). Absent or null intermediates make
 * it absent (*out NULL); an intermediate that is not an object answers 400. */
static int lookup_or_reply(const cJSON *obj, const char *path, const cJSON **out,
                           struct response *res)
{
    char key[128];
    const char *p = path, *dot;
    *out = obj;
    while ((dot = strchr(p, '.'))) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - p), p);
        *out = cJSON_GetObjectItemCaseSensitive(*out, key);
        if (!*out || cJSON_IsNull(*out)) {
            *out = NULL;
            return 0;
        }
        if (!cJSON_IsObject(*out)) {
            reply_error(res, ERR_VALIDATION, path, "%.*s must be an object", (int)(dot - path),
                        path);
            return -1;
        }
        p = dot + 1;
    }
    *out = cJSON_GetObjectItemCaseSensitive(*out, p);
    return 0;
}

int json_object_or_reply(const cJSON *obj, const char *key, const cJSON **out, struct response *res)
{
    if (lookup_or_reply(obj, key, out, res))
        return -1;
    if (*out && cJSON_IsNull(*out))
        *out = NULL;
    if (*out && !cJSON_IsObject(*out)) {
        reply_error(res, ERR_VALIDATION, key, "%s must be an object", key);
        return -1;
    }
    return 0;
}

int json_string_or_reply(const cJSON *obj, const char *key, bool required, size_t max,
                         const char **out, struct response *res)
{
    const cJSON *v;
    *out = NULL;
    if (lookup_or_reply(obj, key, &v, res))
        return -1;
    if (v && !cJSON_IsNull(v) && !cJSON_IsString(v)) {
        reply_error(res, ERR_VALIDATION, key, "%s must be a string", key);
        return -1;
    }
    if (cJSON_IsString(v) && *v->valuestring) {
        if (strlen(v->valuestring) > max) {
            reply_error(res, ERR_VALIDATION, key, "%s must be at most %zu bytes", key, max);
            return -1;
        }
        *out = v->valuestring;
        return 0;
    }
    if (required) {
        reply_error(res, ERR_VALIDATION, key, "%s is required", key);
        return -1;
    }
    return 0;
}

int json_bool_or_reply(const cJSON *obj, const char *key, bool *out, struct response *res)
{
    const cJSON *v;
    if (lookup_or_reply(obj, key, &v, res))
        return -1;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsBool(v)) {
        reply_error(res, ERR_VALIDATION, key, "%s must be a boolean", key);
        return -1;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

int json_int_or_reply(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out,
                      struct response *res)
{
    const cJSON *v;
    if (lookup_or_reply(obj, key, &v, res))
        return -1;
    if (!v || cJSON_IsNull(v))
        return 0;
    double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!(d >= (double)min && d <= (double)max) || d != floor(d)) {
        reply_error(res, ERR_VALIDATION, key, "%s must be an integer from %lld to %lld", key,
                    (long long)min, (long long)max);
        return -1;
    }
    *out = (int64_t)d;
    return 0;
}

int json_enum_or_reply(const cJSON *obj, const char *key, const char *const *allowed,
                       const char **out, struct response *res)
{
    const char *s;
    char list[256] = "";
    if (json_string_or_reply(obj, key, false, 64, &s, res))
        return -1;
    if (!s)
        return 0;
    for (const char *const *a = allowed; *a; a++) {
        if (strcmp(s, *a) == 0) {
            *out = *a;
            return 0;
        }
        size_t n = strlen(list);
        snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", *a);
    }
    reply_error(res, ERR_VALIDATION, key, "%s must be one of: %s", key, list);
    return -1;
}
