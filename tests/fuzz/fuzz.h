/* What every libFuzzer target of tests/fuzz shares: the entry point's prototype, a check that
 * names the broken property before it aborts, and NUL-terminated copies of the input. */
#ifndef MOCK3AS_FUZZ_H
#define MOCK3AS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/util.h"

/* libFuzzer calls it once per input; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort (libFuzzer then saves the input as a crash) when `cond` is false, after printing which
 * property broke and the detail of `...` (a printf format and its arguments). */
#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property broken: %s: ", __FILE__, __LINE__, #cond);            \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A NUL-terminated copy of data[0..size) the caller frees (it may hold earlier NULs). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Split `text` (of `len` bytes) at its first '\n': *second points after it, or is NULL when
 * there is none. The '\n' becomes a NUL. */
static inline void fuzz_split_line(char *text, size_t len, char **second)
{
    char *nl = memchr(text, '\n', len);
    *second = NULL;
    if (nl) {
        *nl = '\0';
        *second = nl + 1;
    }
}

/* Whether every key and string below `item` is valid UTF-8 (the oracle, written apart from the
 * server's own check). */
static inline bool fuzz_all_utf8(const cJSON *item)
{
    const cJSON *child;
    cJSON_ArrayForEach (child, item) {
        if ((child->string && !utf8_valid(child->string)) ||
            (cJSON_IsString(child) && !utf8_valid(child->valuestring)) || !fuzz_all_utf8(child))
            return false;
    }
    return true;
}

#endif
