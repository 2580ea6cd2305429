/* Small cJSON helpers for rendering. */
#include "util/json.h"

#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/util.h"

void json_add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

void json_add_time(cJSON *obj, const char *key, int64_t t)
{
    char buf[32];
    if (t < 0) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    time_format(t, buf);
    cJSON_AddStringToObject(obj, key, buf);
}

void json_write_string(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        strbuf_add(sb, "null", 4);
        return;
    }
    strbuf_addch(sb, '"');
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_add(sb, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '\0':
            strbuf_addch(sb, '"');
            return;
        case '"':
        case '\\':
            strbuf_addch(sb, '\\');
            strbuf_addch(sb, c);
            break;
        case '\b':
            strbuf_add(sb, "\\b", 2);
            break;
        case '\f':
            strbuf_add(sb, "\\f", 2);
            break;
        case '\n':
            strbuf_add(sb, "\\n", 2);
            break;
        case '\r':
            strbuf_add(sb, "\\r", 2);
            break;
        case '\t':
            strbuf_add(sb, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_add(sb, u, sizeof(u));
        }
        }
    }
}

void json_write_time(struct strbuf *sb, int64_t t)
{
    char buf[32];
    if (t < 0) {
        strbuf_add(sb, "null", 4);
        return;
    }
    time_format(t, buf);
    json_write_string(sb, buf);
}

#define JSON_MAX_DEPTH 64 /* deeper nesting is still scanned; its path stops growing */

/* One open object or array of the scan: where its path ends, and whether the next string in it
 * is a key. */
struct scan_frame {
    size_t path_len;
    bool object, want_key;
};

#define HAS_NUL     1u /* \u0000 */
#define HAS_CONTROL 2u /* a raw byte below 0x20 */

/* The string starting after the quote at text[*i]: its end in *i, its raw text, and what is in
 * it (HAS_NUL, HAS_CONTROL). */
static unsigned scan_string(const char *text, size_t len, size_t *i, const char **start,
                            size_t *raw_len)
{
    unsigned found = 0;
    size_t j = *i + 1;
    *start = text + j;
    while (j < len && text[j] != '"') {
        if ((unsigned char)text[j] < 0x20)
            found |= HAS_CONTROL;
        if (text[j] == '\\') {
            if (j + 5 < len && text[j + 1] == 'u' && memcmp(text + j + 2, "0000", 4) == 0)
                found |= HAS_NUL;
            j++;
        }
        j++;
    }
    *raw_len = j - (*i + 1);
    *i = j;
    return found;
}

/* The first string holding one of `wanted`, with its path: what it holds, or 0. */
static unsigned find_in_strings(const char *text, size_t len, char *path, size_t size,
                                unsigned wanted)
{
    struct scan_frame stack[JSON_MAX_DEPTH];
    int depth = -1;
    size_t plen = 0;
    path[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        struct scan_frame *top = depth >= 0 && depth < JSON_MAX_DEPTH ? &stack[depth] : NULL;
        if (c == '{' || c == '[') {
            depth++;
            if (depth < JSON_MAX_DEPTH)
                stack[depth] = (struct scan_frame){plen, c == '{', c == '{'};
        } else if (c == '}' || c == ']') {
            if (top)
                plen = top->path_len;
            path[plen < size ? plen : size - 1] = '\0';
            depth--;
        } else if (c == ',' && top && top->object) {
            top->want_key = true;
            plen = top->path_len;
        } else if (c == '"') {
            const char *s;
            size_t n;
            bool key = top && top->object && top->want_key;
            unsigned found = scan_string(text, len, &i, &s, &n) & wanted;
            if (key) {
                top->want_key = false;
                plen = top->path_len;
                if (plen + 1 + n < size) {
                    int w =
                        snprintf(path + plen, size - plen, "%s%.*s", plen ? "." : "", (int)n, s);
                    plen += (size_t)w;
                }
            }
            if (found)
                return found;
        }
    }
    path[0] = '\0';
    return 0;
}

bool json_find_escaped_nul(const char *text, size_t len, char *path, size_t size)
{
    return find_in_strings(text, len, path, size, HAS_NUL) != 0;
}

enum json_string_problem json_find_string_problem(const char *text, size_t len, char *path,
                                                  size_t size)
{
    unsigned found = find_in_strings(text, len, path, size, HAS_NUL | HAS_CONTROL);
    return found & HAS_NUL       ? JSON_STRING_ESCAPED_NUL
           : found & HAS_CONTROL ? JSON_STRING_RAW_CONTROL
                                 : JSON_STRING_OK;
}
