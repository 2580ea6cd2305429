/* libFuzzer target of util's RFC 3339 times and billing/calendar.c's ISO-8601 durations. The
 * input is "TIME '\n' DURATION" (no newline: the whole input is tried as both). Checked, for
 * years 1000-9999: whatever time_parse accepts, time_format prints and time_parse reads back as
 * the same second (what the server prints it must accept back), and any second formats and
 * parses back to itself; a parsed duration is non-negative, moves a time forward (months first,
 * keeping the time of day), and the billing-period neighbours of the moved time bracket it. */
#include <stdbool.h>

#include "billing/calendar.h"
#include "fuzz.h"

#define T_MIN (-30610224000LL) /* 1000-01-01T00:00:00Z */
#define T_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */
#define NOW   1795341600LL     /* 2026-11-22T10:00:00Z */

static bool in_range(int64_t t)
{
    return t >= T_MIN && t <= T_MAX;
}

/* time_format(t) parses back to t, and is the canonical "YYYY-MM-DDTHH:MM:SSZ". */
static void check_format(int64_t t)
{
    char out[32], again[32];
    int64_t back = 0;
    time_format(t, out);
    FUZZ_CHECK(strlen(out) == 20 && out[10] == 'T' && out[19] == 'Z', "%lld printed as '%s'",
               (long long)t, out);
    FUZZ_CHECK(time_parse(out, &back) == 0, "time_parse refuses '%s', printed for %lld", out,
               (long long)t);
    FUZZ_CHECK(back == t, "'%s' is %lld, printed for %lld", out, (long long)back, (long long)t);
    time_format(back, again);
    FUZZ_CHECK(strcmp(out, again) == 0, "'%s' then '%s'", out, again);
}

static void check_time(const char *text)
{
    int64_t t = 0;
    if (time_parse(text, &t) == 0 && in_range(t))
        check_format(t);
}

/* The period boundaries of an anchor every `step` months bracket `now`. */
static void check_periods(int64_t anchor, int step, int64_t now)
{
    int64_t last = cal_last_at_or_before(anchor, step, now);
    int64_t next = cal_next_after(anchor, step, now);
    FUZZ_CHECK(last <= now && now < next, "anchor %lld every %d months around %lld: %lld .. %lld",
               (long long)anchor, step, (long long)now, (long long)last, (long long)next);
    FUZZ_CHECK((last - anchor) % DAY_SECONDS == 0 && (next - anchor) % DAY_SECONDS == 0,
               "period boundaries %lld .. %lld keep the time of day of %lld", (long long)last,
               (long long)next, (long long)anchor);
}

static void check_duration(const char *text, int64_t t)
{
    int months = -1;
    int64_t seconds = -1;
    if (cal_parse_duration(text, &months, &seconds))
        return;
    FUZZ_CHECK(months >= 0 && months <= 12 * 1000 && seconds >= 0, "'%s': %d months, %lld s", text,
               months, (long long)seconds);
    int64_t by_months = cal_add_months(t, months);
    int64_t moved = cal_add_duration(t, months, seconds);
    FUZZ_CHECK(moved == by_months + seconds, "'%s' from %lld: %lld", text, (long long)t,
               (long long)moved);
    FUZZ_CHECK(by_months >= t && (by_months - t) % DAY_SECONDS == 0 &&
                   (months == 0) == (by_months == t),
               "%lld + %d months = %lld", (long long)t, months, (long long)by_months);
    FUZZ_CHECK(cal_add_months(by_months, -months) <= t, "%lld + %d - %d months is later",
               (long long)t, months, months);
    if (in_range(moved))
        check_format(moved);
    if (months >= 1 && moved <= T_MAX) {
        check_periods(t, months, moved);
        check_periods(moved, months, t);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *duration;
    fuzz_split_line(text, size, &duration);
    int64_t t = NOW;
    check_time(text);
    if (time_parse(text, &t) || !in_range(t))
        t = NOW;
    check_duration(duration ? duration : text, t);
    /* any second of the range, chosen by the input's bytes */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    check_format(T_MIN + (int64_t)(h % (uint64_t)(T_MAX - T_MIN + 1)));
    free(text);
    return 0;
}
