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

struct strbuf;

/* Append `s` as a JSON string, the bytes cJSON_PrintUnformatted() prints for it (the same
 * escapes: \" \\ \b \f \n \r \t, \u00XX for the other bytes below 0x20, the rest as they
 * are), or null for NULL. For answers written as text rather than built as a cJSON tree. */
void json_write_string(struct strbuf *sb, const char *s);

/* Append an RFC 3339 timestamp as a JSON string, or null for `t` < 0 (json_add_time's value). */
void json_write_time(struct strbuf *sb, int64_t t);

/* What can be wrong in a string of valid JSON that a C string or a careless parser hides. */
enum json_string_problem {
    JSON_STRING_OK,
    JSON_STRING_ESCAPED_NUL, /* \u0000: a C string would silently cut it */
    JSON_STRING_RAW_CONTROL, /* a raw byte below 0x20 (RFC 8259: must be escaped) */
};

/* The first string (key or value) of JSON `text` (len bytes, already known to parse) with such a
 * problem. When there is one, path[size] receives where: the dotted keys down to it
 * ("website.domain"; array items add nothing), or the key itself. Bounded by `len`: one pass, no
 * recursion. */
enum json_string_problem json_find_string_problem(const char *text, size_t len, char *path,
                                                  size_t size);

/* Whether a string of `text` holds \u0000, found the same way (raw control bytes ignored). */
bool json_find_escaped_nul(const char *text, size_t len, char *path, size_t size);

#endif
