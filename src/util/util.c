/* Small helpers with no project state: memory, random ids, RFC 3339 time, percent-decoding. */
#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "mock3as: out of memory allocating %zu bytes\n", size);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *grown = realloc(p, size ? size : 1);
    if (!grown)
        out_of_memory(size);
    return grown;
}

void *xalloc_grow(void *array, size_t nr, size_t *alloc, size_t size)
{
    size_t next = *alloc <= SIZE_MAX / 3 - 16 ? (*alloc + 16) * 3 / 2 : nr;
    if (next < nr)
        next = nr;
    if (size && next > SIZE_MAX / size) {
        fprintf(stderr, "mock3as: size overflow: %zu elements of %zu bytes\n", next, size);
        abort();
    }
    array = xrealloc(array, next * size);
    *alloc = next;
    return array;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

/* The kernel's CSPRNG (getrandom(2), the source OpenSSL's own generator seeds from). Not
 * RAND_bytes: its first call instantiates OpenSSL's generator, about 1.5 ms of the start-up,
 * and nothing else the start-up does needs it. Blocks only until the kernel's pool is first
 * seeded, at boot. */
static void csprng(unsigned char *buf, size_t n)
{
    while (n) {
        ssize_t got = getrandom(buf, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (RAND_bytes(buf, (int)n) == 1)
                return; /* no getrandom(2) (ENOSYS, a seccomp filter): OpenSSL's */
            fprintf(stderr, "mock3as: the CSPRNG failed\n");
            abort();
        }
        buf += got;
        n -= (size_t)got;
    }
}

/* CSPRNG bytes, drawn RANDOM_POOL at a time per thread: RAND_bytes costs about 2 us a call
 * (its locks and fork check), a third of a create's id work. Every byte is used once. The
 * process never forks, so no two processes share a pool. */
#define RANDOM_POOL 4096
static void random_bytes(unsigned char *buf, size_t n)
{
    static _Thread_local unsigned char pool[RANDOM_POOL];
    static _Thread_local size_t left;
    if (n > RANDOM_POOL / 8) {
        csprng(buf, n);
        return;
    }
    if (left < n) {
        csprng(pool, RANDOM_POOL);
        left = RANDOM_POOL;
    }
    memcpy(buf, pool + RANDOM_POOL - left, n);
    OPENSSL_cleanse(pool + RANDOM_POOL - left, n);
    left -= n;
}

uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* 16 random bytes as UUID v4 text (version and variant bits set). */
static void uuid_format(unsigned char b[16], char out[UUID_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char *o = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    *o = '\0';
}

void uuid_v4(char out[UUID_SIZE])
{
    unsigned char b[16];
    random_bytes(b, sizeof(b));
    uuid_format(b, out);
}

void uuid_v4_ordered(char out[UUID_SIZE])
{
    unsigned char b[16];
    uint64_t ms = (uint64_t)time_wall_us() / 1000u;
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (40 - 8 * i));
    random_bytes(b + 6, sizeof(b) - 6);
    uuid_format(b, out);
}

void id_stream_seed(struct id_stream *s)
{
    random_bytes((unsigned char *)&s->state, sizeof(s->state));
}

/* SplitMix64 (Steele, Lea, Flood 2014): a bijective mix of a Weyl sequence. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void id_stream_uuid(struct id_stream *s, char out[UUID_SIZE])
{
    uint64_t w[2] = {splitmix64(&s->state), splitmix64(&s->state)};
    unsigned char b[16];
    memcpy(b, w, sizeof(b));
    uuid_format(b, out);
}

void random_string(char *out, size_t len, const char *alphabet)
{
    size_t n = strlen(alphabet), i = 0;
    unsigned limit = 256 - 256 % (unsigned)n; /* reject bytes >= limit: no modulo bias */
    while (i + 1 < len) {
        unsigned char b[32];
        random_bytes(b, sizeof(b));
        for (size_t j = 0; j < sizeof(b) && i + 1 < len; j++)
            if (b[j] < limit)
                out[i++] = alphabet[b[j] % n];
    }
    out[i] = '\0';
}

int64_t time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t time_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct timespec time_mono_timespec(int64_t us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};
    return ts;
}

static _Thread_local int64_t share_mark; /* when this thread last let go, or began counting */

bool cpu_share(void)
{
    int64_t now = time_mono_us(), ran = now - share_mark;
    if (ran < CPU_SHARE_US)
        return false;
    share_mark = now;
    if (ran >= CPU_SHARE_FRESH_US) /* not called for that long: new work, counting starts */
        return false;
    sched_yield();
    share_mark = time_mono_us();
    return true;
}

int64_t time_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void two_digits(char *out, int v)
{
    out[0] = (char)('0' + v / 10);
    out[1] = (char)('0' + v % 10);
}

/* By hand rather than gmtime_r() and strftime(): every answer with times formats several, and
 * those two took about 2 us a time (strftime reads the locale). Years outside 1000-9999, which no
 * answer holds (contract D11), go through them still (strftime pads no year below 1000). */
void time_format(int64_t t, char out[32])
{
    int64_t days = t / 86400, secs = t % 86400, y;
    int m, d;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    time_civil_from_days(days, &y, &m, &d);
    if (y < 1000 || y > 9999) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return;
    }
    two_digits(out, (int)(y / 100));
    two_digits(out + 2, (int)(y % 100));
    out[4] = '-';
    two_digits(out + 5, m);
    out[7] = '-';
    two_digits(out + 8, d);
    out[10] = 'T';
    two_digits(out + 11, (int)(secs / 3600));
    out[13] = ':';
    two_digits(out + 14, (int)(secs / 60 % 60));
    out[16] = ':';
    two_digits(out + 17, (int)(secs % 60));
    out[19] = 'Z';
    out[20] = '\0';
}

static int parse_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int expect_char(const char **p, const char *set)
{
    if (!**p || !strchr(set, **p))
        return -1;
    (*p)++;
    return 0;
}

static int parse_offset(const char *p, int *offset)
{
    int sign, hh, mm;
    if (*p == 'Z' || *p == 'z') {
        *offset = 0;
        return p[1] ? -1 : 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p++ == '-' ? -1 : 1;
    if (parse_digits(&p, 2, &hh) || expect_char(&p, ":") || parse_digits(&p, 2, &mm) || *p)
        return -1;
    if (hh > 23 || mm > 59)
        return -1;
    *offset = sign * (hh * 3600 + mm * 60);
    return 0;
}

int time_parse(const char *text, int64_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = text;
    int y, mo, d, h, mi, s, offset;
    if (parse_digits(&p, 4, &y) || expect_char(&p, "-") || parse_digits(&p, 2, &mo) ||
        expect_char(&p, "-") || parse_digits(&p, 2, &d) || expect_char(&p, "Tt ") ||
        parse_digits(&p, 2, &h) || expect_char(&p, ":") || parse_digits(&p, 2, &mi) ||
        expect_char(&p, ":") || parse_digits(&p, 2, &s))
        return -1;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (parse_offset(p, &offset))
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || s > 60)
        return -1;
    *out = time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    return 0;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int percent_decode(char *s, bool plus_is_space)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '%') {
            int hi = hex_value((unsigned char)r[1]),
                lo = hi < 0 ? -1 : hex_value((unsigned char)r[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = plus_is_space && *r == '+' ? ' ' : *r;
        }
    }
    *w = '\0';
    return 0;
}

bool str_is_token(const char *s, size_t max, const char *extra)
{
    size_t n = 0;
    for (; s[n]; n++) {
        unsigned char c = (unsigned char)s[n];
        if (n >= max || !(isalnum(c) || (c && strchr(extra, c))))
            return false;
    }
    return n > 0;
}

bool str_equal_ct(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la == lb && CRYPTO_memcmp(a, b, la) == 0;
}

/* Length of the UTF-8 sequence that starts with byte `c` (0: no sequence starts so), its
 * payload bits and the smallest code point that may use that length. */
static int utf8_lead(unsigned char c, uint32_t *min, uint32_t *cp)
{
    static const struct {
        unsigned char mask, value, bits;
        int len;
        uint32_t min;
    } leads[] = {{0x80, 0x00, 0x7f, 1, 0},
                 {0xe0, 0xc0, 0x1f, 2, 0x80},
                 {0xf0, 0xe0, 0x0f, 3, 0x800},
                 {0xf8, 0xf0, 0x07, 4, 0x10000}};
    for (size_t i = 0; i < ARRAY_SIZE(leads); i++) {
        if ((c & leads[i].mask) == leads[i].value) {
            *cp = c & leads[i].bits;
            *min = leads[i].min;
            return leads[i].len;
        }
    }
    return 0;
}

/* The length of the well-formed UTF-8 sequence at p (1..4), or 0 when it is not one. */
static int utf8_sequence(const unsigned char *p)
{
    uint32_t min, cp;
    int n = utf8_lead(*p, &min, &cp);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (n == 0 || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = utf8_sequence(p);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

size_t utf8_scrub(const char *in, char *out, size_t size)
{
    static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
    const unsigned char *p = (const unsigned char *)in;
    size_t len = 0;
    if (size == 0)
        return 0;
    while (*p) {
        int n = utf8_sequence(p);
        const char *from = n ? (const char *)p : replacement;
        size_t take = n ? (size_t)n : 3;
        if (len + take >= size)
            break; /* never half a character */
        memcpy(out + len, from, take);
        len += take;
        p += n ? n : 1;
    }
    out[len] = '\0';
    return len;
}

int str_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && (n < 0 ? names[i] != NULL : i < n); i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
