/* Unit tests of util.c: RFC 3339 time, percent-decoding, ids, UTF-8 checks and scrubbing, and
 * cpu_share's count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "util/util.h"

static void test_time(void)
{
    static const struct {
        const char *text;
        int64_t want; /* -1: must be rejected */
    } cases[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2026-11-22T10:00:00Z", 1795341600},
        {"2026-11-22T10:00:00+00:00", 1795341600},
        {"2026-11-22T12:00:00+02:00", 1795341600},
        {"2026-11-22T10:00:00.123456Z", 1795341600},
        {"2024-02-29T00:00:00Z", 1709164800},
        {"2023-02-29T00:00:00Z", -1},
        {"2026-13-01T00:00:00Z", -1},
        {"2026-11-22", -1},
        {"2026-11-22T10:00:00", -1},
        {"2026-11-22T10:00:00+2:00", -1},
        {"", -1},
        {"2026-11-22T10:00:00Zjunk", -1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t t = 0;
        int rc = time_parse(cases[i].text, &t);
        if (cases[i].want < 0)
            ok(rc == -1, "time_parse rejects '%s'", cases[i].text);
        else
            ok(rc == 0 && t == cases[i].want, "time_parse '%s' = %lld", cases[i].text,
               (long long)t);
    }
    char buf[32];
    time_format(1795341600, buf);
    ok(strcmp(buf, "2026-11-22T10:00:00Z") == 0, "time_format uses the Z form: %s", buf);
    struct timespec ts = time_mono_timespec(3000001);
    ok(ts.tv_sec == 3 && ts.tv_nsec == 1000, "time_mono_timespec: 3000001 us = 3 s 1000 ns");
}

/* time_format against gmtime_r() and strftime(), which it replaced: the edges of the four-digit
 * years, leap days, times before 1970, then every day of 1000-9999 at a varying time of day.
 * And the calendar conversions, both ways. */
static void test_time_format(void)
{
    static const int64_t edges[] = {0,
                                    -1,
                                    86399,
                                    86400,
                                    951782400,
                                    951868799,
                                    4107542399LL,
                                    -30610224000LL,
                                    -62135596800LL,
                                    253402300799LL,
                                    253402300800LL,
                                    -62167219200LL,
                                    -62167219201LL};
    char got[32], want[32];
    int bad = 0, checked = 0;
    for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
        time_t tt = (time_t)edges[i];
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
        time_format(edges[i], got);
        ok(strcmp(got, want) == 0, "time_format(%lld) = %s (strftime: %s)", (long long)edges[i],
           got, want);
    }
    for (int64_t day = time_days_from_civil(1000, 1, 1); day <= time_days_from_civil(9999, 12, 31);
         day++) {
        int64_t t = day * 86400 + ((day * 7919) % 86400 + 86400) % 86400, y;
        int m, d;
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
        time_format(t, got);
        time_civil_from_days(day, &y, &m, &d);
        checked++;
        if (strcmp(got, want) != 0 || y != tm.tm_year + 1900 || m != tm.tm_mon + 1 ||
            d != tm.tm_mday || time_days_from_civil(y, m, d) != day) {
            if (bad++ < 3)
                printf("# day %lld: %s, strftime %s\n", (long long)day, got, want);
        }
    }
    ok(bad == 0, "every day of years 1000-9999 formats as strftime does (%d days, %d differ)",
       checked, bad);
}

static void test_percent(void)
{
    char a[] = "a%2Fb%20c+d", b[] = "a+b", c[] = "bad%zz", d[] = "nul%00", e[] = "%";
    ok(percent_decode(a, false) == 0 && strcmp(a, "a/b c+d") == 0, "path decode keeps '+'");
    ok(percent_decode(b, true) == 0 && strcmp(b, "a b") == 0, "query decode turns '+' to space");
    ok(percent_decode(c, false) == -1, "bad escape rejected");
    ok(percent_decode(d, false) == -1, "encoded NUL rejected");
    ok(percent_decode(e, false) == -1, "truncated escape rejected");
}

static void test_ids(void)
{
    char u[37], r[21];
    uuid_v4(u);
    ok(strlen(u) == 36 && u[8] == '-' && u[14] == '4' && strchr("89ab", u[19]), "uuid v4 shape: %s",
       u);
    /* ordered ids: v4 text, time first, so later ids sort after earlier ones */
    char first[37], prev[37], next[37];
    bool ordered_shape = true, never_before = true;
    uuid_v4_ordered(first);
    memcpy(prev, first, sizeof(prev));
    for (int i = 0; i < 5000; i++) {
        uuid_v4_ordered(next);
        ordered_shape = ordered_shape && strlen(next) == 36 && next[14] == '4' &&
                        strchr("89ab", next[19]) && strspn(next, "0123456789abcdef-") == 36;
        /* within one millisecond the random part may sort either way; the time part not */
        never_before = never_before && strncmp(next, prev, 13) >= 0 && strcmp(next, prev) != 0;
        memcpy(prev, next, sizeof(prev));
    }
    ok(ordered_shape, "uuid_v4_ordered gives uuid v4 text: %s", next);
    ok(never_before, "uuid_v4_ordered: the time part never goes back, no id repeats (5,000)");
    struct timespec nap = {0, 3 * 1000 * 1000};
    nanosleep(&nap, NULL);
    uuid_v4_ordered(next);
    ok(strcmp(next, first) > 0, "an id drawn 3 ms later sorts after the first (%s > %s)", next,
       first);
    unsigned long long ms =
        strtoull((char[13]){first[0], first[1], first[2], first[3], first[4], first[5], first[6],
                            first[7], first[9], first[10], first[11], first[12], 0},
                 NULL, 16);
    ok(llabs((long long)ms - (long long)time(NULL) * 1000) < 5000,
       "its first 48 bits are the time in milliseconds (%llu)", ms);
    struct id_stream s, t;
    char a[37], b[37];
    bool shaped = true, distinct = true;
    id_stream_seed(&s);
    id_stream_seed(&t);
    id_stream_uuid(&s, a);
    for (int i = 0; i < 10000; i++) {
        id_stream_uuid(&s, b);
        shaped = shaped && strlen(b) == 36 && b[8] == '-' && b[13] == '-' && b[14] == '4' &&
                 b[18] == '-' && b[23] == '-' && strchr("89ab", b[19]) &&
                 strspn(b, "0123456789abcdef-") == 36;
        distinct = distinct && strcmp(a, b) != 0;
        memcpy(a, b, sizeof(a));
    }
    ok(shaped, "id_stream gives uuid v4 text: %s", b);
    ok(distinct, "id_stream: no id repeats the one before (10,000 drawn)");
    id_stream_uuid(&s, a);
    id_stream_uuid(&t, b);
    ok(strcmp(a, b) != 0, "two streams are seeded apart");
    ok(fnv1a(14695981039346656037ULL, "a") == 0xaf63dc4c8601ec8cULL &&
           fnv1a(14695981039346656037ULL, "foobar") == 0x85944171f73967e8ULL,
       "fnv1a from the published offset basis gives the published FNV-1a 64 vectors");
    ok(fnv1a(FNV1A_OFFSET, "") == 0x14650fb0739d0383ULL &&
           fnv1a(FNV1A_OFFSET, "a") == 0x44bd8ad473cd9906ULL &&
           fnv1a(FNV1A_OFFSET, "foobar") == 0x88fad7c0a8ff07f2ULL,
       "fnv1a from FNV1A_OFFSET: the values the replaced copies gave (synthetic data depend on "
       "them)");
    ok(fnv1a(fnv1a(FNV1A_OFFSET, "foo"), "bar") == fnv1a(FNV1A_OFFSET, "foobar") &&
           fnv1a(7, NULL) == 7,
       "fnv1a continues a hash; NULL hashes nothing");
    random_string(r, sizeof(r), "AB");
    ok(strlen(r) == 20 && strspn(r, "AB") == 20, "random_string stays in its alphabet: %s", r);
    ok(str_is_token("abc-1.2_3", 64, "-_.") && !str_is_token("a b", 64, "-_.") &&
           !str_is_token("", 64, "") && !str_is_token("abcd", 3, ""),
       "str_is_token");
    ok(str_equal_ct("secret", "secret") && !str_equal_ct("secret", "secreT") &&
           !str_equal_ct("a", "ab"),
       "str_equal_ct");
}

static void test_utf8(void)
{
    static const struct {
        const char *s;
        bool valid;
    } cases[] = {
        {"plain", true},
        {"\xc3\xa9t\xc3\xa9", true},
        {"\xe2\x82\xac", true},
        {"\xf0\x9f\x98\x80", true},
        {"\xc3", false},
        {"\xc0\xaf", false},
        {"\xed\xa0\x80", false},
        {"\xf4\x90\x80\x80", false},
        {"\xff", false},
        {"a\x80"
         "b",
         false},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        ok(utf8_valid(cases[i].s) == cases[i].valid, "utf8_valid case %zu is %s", i,
           cases[i].valid ? "valid" : "invalid");
}

/* utf8_scrub (issue 12): client bytes echoed in error bodies and logs are well-formed UTF-8. */
#define FFFD "\xef\xbf\xbd"

static void test_utf8_scrub(void)
{
    static const struct {
        const char *in;
        size_t size; /* of the output buffer */
        const char *want;
    } cases[] = {
        /* valid text is copied unchanged */
        {"plain", 64, "plain"},
        {"", 64, ""},
        {"\xc3\xa9t\xc3\xa9", 64, "\xc3\xa9t\xc3\xa9"},
        {"\xe2\x82\xac 5", 64, "\xe2\x82\xac 5"},
        {"\xf0\x9f\x98\x80", 64, "\xf0\x9f\x98\x80"},
        {"\xef\xbf\xbd", 64, FFFD},
        /* every byte that starts no well-formed sequence becomes U+FFFD */
        {"\xff", 64, FFFD},
        {"a\xff"
         "b",
         64, "a" FFFD "b"},
        {"\xc0\xaf", 64, FFFD FFFD}, /* overlong '/' */
        {"\x80", 64, FFFD},          /* lone continuation */
        {"x\x80y", 64, "x" FFFD "y"},
        {"\xed\xa0\x80", 64, FFFD FFFD FFFD}, /* surrogate U+D800 */
        {"ab\xe2\x82", 64, "ab" FFFD FFFD},   /* 3-byte sequence cut at the end */
        {"\xe2\x82", 64, FFFD FFFD},
        {"\xf4\x90\x80\x80", 64, FFFD FFFD FFFD FFFD}, /* above U+10FFFF */
        {"\xc3\xa9\xff\xc3\xa9", 64, "\xc3\xa9" FFFD "\xc3\xa9"},
        /* a buffer too small: cut before a character that does not fit whole, NUL-terminated */
        {"abc", 1, ""},
        {"\xc3\xa9", 1, ""},
        {"abc", 3, "ab"},
        {"abc", 4, "abc"},
        {"\xc3\xa9", 2, ""},
        {"\xc3\xa9", 3, "\xc3\xa9"},
        {"a\xe2\x82\xac", 2, "a"},
        {"a\xe2\x82\xac", 4, "a"},
        {"a\xe2\x82\xac", 5, "a\xe2\x82\xac"},
        {"\xf0\x9f\x98\x80", 4, ""},
        {"\xf0\x9f\x98\x80", 5, "\xf0\x9f\x98\x80"},
        {"\xff", 3, ""},
        {"\xff", 4, FFFD},
        {"a\xff", 4, "a"},
        {"\xff\xff", 6, FFFD},
        {"\xff\xff", 7, FFFD FFFD},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char out[80];
        memset(out, 'X', sizeof(out));
        size_t n = utf8_scrub(cases[i].in, out, cases[i].size);
        bool untouched = true; /* nothing written past out[size - 1] */
        for (size_t j = cases[i].size; j < sizeof(out); j++)
            untouched = untouched && out[j] == 'X';
        ok(n < cases[i].size && out[n] == '\0' && untouched && strcmp(out, cases[i].want) == 0 &&
               n == strlen(cases[i].want) && utf8_valid(out),
           "utf8_scrub case %zu (size %zu) gives %zu bytes", i, cases[i].size, n);
    }
    char out[4] = "XXX";
    ok(utf8_scrub("abc", out, 0) == 0 && strcmp(out, "XXX") == 0,
       "utf8_scrub size 0 writes nothing");
}

/* cpu_share: the first call after a pause only starts the count; running on, a call lets go
 * once CPU_SHARE_US have passed since then, and not before. */
static void test_cpu_share(void)
{
    struct timespec pause = {0, (CPU_SHARE_FRESH_US + 1000) * 1000L};
    nanosleep(&pause, NULL);
    int64_t start = time_mono_us();
    ok(!cpu_share(), "cpu_share: the first call after a pause starts the count");
    int64_t let_go = 0;
    while (!let_go && time_mono_us() - start < 5000000) /* 5 s at most, however often preempted */
        if (cpu_share())
            let_go = time_mono_us();
    ok(let_go >= start + CPU_SHARE_US, "cpu_share lets go after %d us of running (%lld us)",
       CPU_SHARE_US, (long long)(let_go - start));
    bool again = cpu_share(); /* true only when this thread was held up meanwhile */
    ok(!again || time_mono_us() - let_go >= CPU_SHARE_US,
       "cpu_share: the count starts again after letting go");
}

int main(void)
{
    test_utf8();
    test_utf8_scrub();
    test_time();
    test_time_format();
    test_cpu_share();
    test_percent();
    test_ids();
    return done_testing();
}
