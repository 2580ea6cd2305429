/* Unit tests of calendar.c: months anchored on the billing day, across month ends and leap
 * years, and the next/last period boundaries around a moment. */
#include <string.h>

#include "billing/calendar.h"
#include "tap.h"
#include "util/util.h"

static int64_t t(const char *text)
{
    int64_t v = 0;
    if (time_parse(text, &v))
        printf("Bail out! bad test time %s\n", text);
    return v;
}

static void test_add_months(void)
{
    static const struct {
        const char *anchor;
        int months;
        const char *want;
    } cases[] = {
        {"2026-01-31T10:00:00Z", 1, "2026-02-28T10:00:00Z"},
        {"2026-01-31T10:00:00Z", 2, "2026-03-31T10:00:00Z"},
        {"2028-01-31T10:00:00Z", 1, "2028-02-29T10:00:00Z"},
        {"2026-03-31T00:00:00Z", 1, "2026-04-30T00:00:00Z"},
        {"2026-01-15T08:30:00Z", 12, "2027-01-15T08:30:00Z"},
        {"2028-02-29T12:00:00Z", 12, "2029-02-28T12:00:00Z"},
        {"2028-02-29T12:00:00Z", 48, "2032-02-29T12:00:00Z"},
        {"2026-12-31T23:59:59Z", 1, "2027-01-31T23:59:59Z"},
        {"2026-03-31T00:00:00Z", -1, "2026-02-28T00:00:00Z"},
        {"2026-01-10T00:00:00Z", -13, "2024-12-10T00:00:00Z"},
        {"1969-12-31T12:00:00Z", 2, "1970-02-28T12:00:00Z"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char got[32];
        time_format(cal_add_months(t(cases[i].anchor), cases[i].months), got);
        ok(strcmp(got, cases[i].want) == 0, "%s %+d months = %s (got %s)", cases[i].anchor,
           cases[i].months, cases[i].want, got);
    }
}

static void test_boundaries(void)
{
    static const struct {
        const char *anchor, *now;
        int step;
        const char *last, *next;
    } cases[] = {
        {"2026-01-31T10:00:00Z", "2026-03-05T00:00:00Z", 1, "2026-02-28T10:00:00Z",
         "2026-03-31T10:00:00Z"},
        {"2026-01-31T10:00:00Z", "2026-01-31T10:00:00Z", 1, "2026-01-31T10:00:00Z",
         "2026-02-28T10:00:00Z"},
        {"2026-01-15T00:00:00Z", "2026-11-22T10:00:00Z", 12, "2026-01-15T00:00:00Z",
         "2027-01-15T00:00:00Z"},
        {"2027-06-01T00:00:00Z", "2026-11-22T10:00:00Z", 1, "2026-11-01T00:00:00Z",
         "2026-12-01T00:00:00Z"},
        {"2020-02-29T00:00:00Z", "2026-11-22T00:00:00Z", 12, "2026-02-28T00:00:00Z",
         "2027-02-28T00:00:00Z"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char last[32], next[32];
        time_format(cal_last_at_or_before(t(cases[i].anchor), cases[i].step, t(cases[i].now)),
                    last);
        time_format(cal_next_after(t(cases[i].anchor), cases[i].step, t(cases[i].now)), next);
        ok(strcmp(last, cases[i].last) == 0 && strcmp(next, cases[i].next) == 0,
           "anchor %s every %d months around %s: %s .. %s (got %s .. %s)", cases[i].anchor,
           cases[i].step, cases[i].now, cases[i].last, cases[i].next, last, next);
    }
}

static void test_durations(void)
{
    static const struct {
        const char *text;
        int months;
        int64_t seconds; /* months -1: refused */
    } cases[] = {
        {"P1M", 1, 0},
        {"P30D", 0, 30 * 86400},
        {"PT12H", 0, 43200},
        {"P1Y2M", 14, 0},
        {"P2W", 0, 14 * 86400},
        {"P1DT1H30M5S", 0, 86400 + 5405},
        {"P1Y", 12, 0},
        {"PT1M", 0, 60},
        {"P", -1, 0},
        {"PT", -1, 0},
        {"1M", -1, 0},
        {"P1.5M", -1, 0},
        {"P-1D", -1, 0},
        {"P1D1M", -1, 0},
        {"P1H", -1, 0},
        {"P1MT", -1, 0},
        {"", -1, 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int m = 0;
        int64_t s = 0;
        int rc = cal_parse_duration(cases[i].text, &m, &s);
        if (cases[i].months < 0)
            ok(rc == -1, "duration '%s' refused", cases[i].text);
        else
            ok(rc == 0 && m == cases[i].months && s == cases[i].seconds,
               "duration %s = %d months %lld s", cases[i].text, m, (long long)s);
    }
    char got[32];
    time_format(cal_add_duration(t("2026-01-31T10:00:00Z"), 1, 3600), got);
    ok(strcmp(got, "2026-02-28T11:00:00Z") == 0, "P1MT1H from Jan 31: %s", got);
}

int main(void)
{
    test_durations();
    test_add_months();
    test_boundaries();
    return done_testing();
}
