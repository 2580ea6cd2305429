/* Small helpers with no project state: memory that aborts on exhaustion, ids, time, text. */
#ifndef MOCK3AS_UTIL_H
#define MOCK3AS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Like malloc/calloc/strdup, but abort() on exhaustion (as redis' zmalloc does): callers never
 * see NULL. The caller owns and free()s the result. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Fill out[37] with a random (CSPRNG) RFC 4122 version 4 uuid in lower case. */
void uuid_v4(char out[37]);

/* Fill out[len] with `len - 1` random characters from `alphabet`, NUL-terminated, drawn from the
 * CSPRNG without modulo bias. */
void random_string(char *out, size_t len, const char *alphabet);

/* Wall-clock time in unix seconds, and a monotonic clock in microseconds. */
int64_t time_now(void);
int64_t time_mono_us(void);

/* Format unix seconds as RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" into out[32] (contract D11). */
void time_format(int64_t t, char out[32]);

/* Parse RFC 3339 ("2026-11-22T10:00:00Z", "+02:00" offsets, optional fraction) into unix
 * seconds. Returns 0, or -1 when the text is not such a timestamp. */
int time_parse(const char *text, int64_t *out);

/* Decode %XX escapes (and '+' as space when `plus_is_space`) in place. Returns 0, or -1 on a
 * malformed escape or an encoded NUL. */
int percent_decode(char *s, bool plus_is_space);

/* true when s is 1..max characters, each of them in [A-Za-z0-9] or one of `extra`. */
bool str_is_token(const char *s, size_t max, const char *extra);

/* true when `s` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
bool utf8_valid(const char *s);

/* Constant-time comparison of two NUL-terminated strings (length is not hidden). */
bool str_equal_ct(const char *a, const char *b);

#endif
