/* Request-body validation in the redis "…OrReply" style: each helper either stores the value
 * and returns 0, or fills `res` with the 400/415 naming the field and returns -1, so the caller
 * just returns res->status. */
#ifndef MOCK3AS_VALIDATE_H
#define MOCK3AS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "http/request.h"
#include "http/response.h"
#include "util/json.h"

/* Parse the request body as a JSON object into *out (owned by the caller, cJSON_Delete). An
 * empty body is {}. 415 when Content-Type names something that is not JSON; 400 when the body
 * is not JSON, not an object, or holds a string that is not valid UTF-8 (named by its path). */
int request_json_object_or_reply(const struct request *req, struct response *res, cJSON **out);

/* Every `key` below may be a dotted path into nested objects ("website.package.id"); errors name
 * the whole path. An absent or null parent makes the member absent. */

/* Optional object member: *out NULL when absent or null; anything but an object answers 400. */
int json_object_or_reply(const cJSON *obj, const char *key, const cJSON **out,
                         struct response *res);

/* Optional or required string member `key`. Absent, null and "" count as absent (contract D4):
 * *out is then NULL, and a required key answers 400. Non-strings and strings longer than `max`
 * bytes answer 400. *out is borrowed from `obj`. */
int json_string_or_reply(const cJSON *obj, const char *key, bool required, size_t max,
                         const char **out, struct response *res);

/* Optional boolean member: absent or null leaves *out as it was; a non-boolean answers 400. */
int json_bool_or_reply(const cJSON *obj, const char *key, bool *out, struct response *res);

/* Optional integer member in [min, max]: absent or null leaves *out; anything else 400. */
int json_int_or_reply(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out,
                      struct response *res);

/* Optional string member that must be one of `allowed` (NULL-terminated). Absent, null or ""
 * leaves *out as it was. *out points into `allowed`. */
int json_enum_or_reply(const cJSON *obj, const char *key, const char *const *allowed,
                       const char **out, struct response *res);

#endif
