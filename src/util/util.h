/* Small helpers with no project state: memory that aborts on exhaustion, ids, time, text. */
#ifndef MOCK3AS_UTIL_H
#define MOCK3AS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Buffer sizes of ids, NUL included: a uuid in text ("8-4-4-4-12" hex digits) and a partner id
 * (at most 64 bytes, the JWT kid limit of auth/jwt.h). */
#define UUID_SIZE    37
#define INTP_ID_SIZE 65

/* Like malloc/calloc/realloc/strdup, but abort() on exhaustion (as redis' zmalloc does): callers
 * never see NULL. The caller owns and free()s the result. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow `array` of `size`-byte elements, holding *alloc of them, to hold at least nr > *alloc:
 * the new capacity, max(nr, (*alloc + 16) * 3 / 2), goes to *alloc. Returns the moved array.
 * Aborts when the size overflows or memory is exhausted. Use it through ALLOC_GROW(). */
void *xalloc_grow(void *array, size_t nr, size_t *alloc, size_t size);

/* git's ALLOC_GROW: make the array `x` (NULL at first) hold at least `nr` elements, its
 * capacity kept in the size_t lvalue `alloc` (0 at first). Append with
 * `ALLOC_GROW(v, n + 1, cap); v[n++] = item;`. The arguments are evaluated more than once. */
#define ALLOC_GROW(x, nr, alloc)                                                                   \
    do {                                                                                           \
        if ((nr) > (alloc))                                                                        \
            (x) = xalloc_grow((x), (nr), &(alloc), sizeof(*(x)));                                  \
    } while (0)

/* The start value of fnv1a(). Not the published FNV offset basis (14695981039346656037): the
 * copies this hash replaced all used this value, one digit short, and the synthetic analytics
 * (data/synth.c) derive every website's numbers from it, so it stays. */
#define FNV1A_OFFSET 1469598103934665603ULL

/* FNV-1a (Fowler-Noll-Vo: xor a byte, multiply by the 64-bit FNV prime) of the NUL-terminated
 * `s` (NULL: nothing), continuing from `h` (FNV1A_OFFSET to start): the one non-cryptographic
 * string hash of the project (hash tables, lanes, seeds). */
uint64_t fnv1a(uint64_t h, const char *s);

/* Fill out[UUID_SIZE] with a random (CSPRNG) RFC 4122 version 4 uuid in lower case. */
void uuid_v4(char out[UUID_SIZE]);

/* Fill out[UUID_SIZE] with a version 4 uuid whose first 48 bits are the wall-clock time in
 * milliseconds (the layout of a version 7 uuid's timestamp) and whose other 74 free bits are
 * random (CSPRNG). For the ids of rows that SQLite indexes: new ids sort after older ones, so
 * an insert appends to the index b-trees instead of touching a random leaf (README "Ids"). */
void uuid_v4_ordered(char out[UUID_SIZE]);

/* A stream of version 4 uuids for correlation ids (request ids): SplitMix64 over a seed from
 * the CSPRNG, so unique per stream and unguessable without the seed, at no system call per id
 * (uuid_v4 costs the CSPRNG's fork check and reseed logic). Never for secrets or entity ids.
 * One stream per thread. */
struct id_stream {
    uint64_t state;
};
void id_stream_seed(struct id_stream *s);
void id_stream_uuid(struct id_stream *s, char out[UUID_SIZE]);

/* Fill out[len] with `len - 1` random characters from `alphabet`, NUL-terminated, drawn from the
 * CSPRNG without modulo bias. */
void random_string(char *out, size_t len, const char *alphabet);

/* Wall-clock time in unix seconds and in unix microseconds, and a monotonic clock in
 * microseconds. */
int64_t time_now(void);
int64_t time_wall_us(void);
int64_t time_mono_us(void);

/* A time_mono_us() value as a timespec: the deadline of a pthread_cond_timedwait() on a
 * condition variable set to CLOCK_MONOTONIC. */
struct timespec time_mono_timespec(int64_t us);

/* Long work on a serving thread calls cpu_share() often (every few microseconds of work or
 * more): once the thread has run CPU_SHARE_US since it last let go, it leaves the CPU to the
 * threads waiting for it on this core (sched_yield(): back at once when none waits) and returns
 * true. A first call after CPU_SHARE_FRESH_US without one starts the count. Without it, a
 * request that wakes on the core of another tenant's long work (a clock move, a purge, a year of
 * sessions, the checkpointer's copying, a key pair) waits for the kernel's next tick (4 ms at
 * 250 Hz), not for the slice it needs. Callers: SQLite's progress handler and the WAL VFS
 * (store/db.c, store/walbuf.c), the session generator (data/analytics.c) and RSA key generation
 * (auth/keys.c). */
#define CPU_SHARE_US       250
#define CPU_SHARE_FRESH_US (4 * CPU_SHARE_US)
bool cpu_share(void);

/* Format unix seconds as RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" into out[32] (contract D11). */
void time_format(int64_t t, char out[32]);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12, d 1-31), and back (Howard
 * Hinnant's days_from_civil and civil_from_days). */
int64_t time_days_from_civil(int64_t y, int m, int d);
void time_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Parse RFC 3339 ("2026-11-22T10:00:00Z", "+02:00" offsets, optional fraction) into unix
 * seconds. Returns 0, or -1 when the text is not such a timestamp. */
int time_parse(const char *text, int64_t *out);

/* Decode %XX escapes (and '+' as space when `plus_is_space`) in place. Returns 0, or -1 on a
 * malformed escape or an encoded NUL. */
int percent_decode(char *s, bool plus_is_space);

/* The index of `name` in `names`: the first `n` entries, or up to a NULL entry when `n` < 0.
 * -1 when it is not there or `name` is NULL. For the name tables of the X-macro enums. */
int str_index(const char *const *names, int n, const char *name);

/* true when s is 1..max characters, each of them in [A-Za-z0-9] or one of `extra`. */
bool str_is_token(const char *s, size_t max, const char *extra);

/* true when `s` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
bool utf8_valid(const char *s);

/* Copy `in` into out[size] as well-formed UTF-8: every byte that does not start a well-formed
 * sequence becomes U+FFFD, and the copy stops before a character that would not fit whole.
 * Always NUL-terminates (size > 0). Returns the bytes written. For echoing client bytes. */
size_t utf8_scrub(const char *in, char *out, size_t size);

/* Constant-time comparison of two NUL-terminated strings (length is not hidden). */
bool str_equal_ct(const char *a, const char *b);

#endif
