/* Small cJSON helpers for rendering, shared by every layer that writes JSON. */
#ifndef MOCK3AS_JSON_H
#define MOCK3AS_JSON_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* cJSON_AddStringToObject, or null for a NULL value. */
void json_add_string_or_null(cJSON *obj, const char *key, const char *value);

/* An RFC 3339 timestamp (contract D11) member, or null for `t` < 0. */
void json_add_time(cJSON *obj, const char *key, int64_t t);

#endif
