/* Small cJSON helpers for rendering, shared by every layer that writes JSON. */
#ifndef MOCK3AS_JSON_H
#define MOCK3AS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* cJSON_AddStringToObject, or null for a NULL value. */
void json_add_string_or_null(cJSON *obj, const char *key, const char *value);

/* An RFC 3339 timestamp (contract D11) member, or null for `t` < 0. */
void json_add_time(cJSON *obj, const char *key, int64_t t);

/* Whether valid JSON `text` (len bytes) holds a string (key or value) with an escaped NUL
 * (\u0000), which a C string would silently cut. When it does, path[size] receives where: the
 * dotted keys down to it ("website.domain"; array items add nothing), or the key itself. Bounded
 * by `len`: one pass, no recursion. */
bool json_find_escaped_nul(const char *text, size_t len, char *path, size_t size);

#endif
