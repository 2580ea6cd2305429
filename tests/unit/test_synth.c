/* Unit tests of synth.c and analytics.c: deterministic sessions, volume by package, the current
 * touchpoint period holding exactly the recorded visits, nothing before the website's creation,
 * query validation, and analytics agreeing with raw sessions. */
#include <string.h>

#include "data/analytics.h"
#include "data/synth.h"
#include "tap.h"
#include "util/util.h"

#define DAY 86400
#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */

static cJSON *run(const struct synth_site *site, enum data_view view, const char *body, char *err)
{
    char field[64];
    cJSON *b = cJSON_Parse(body);
    cJSON *out = data_query(site, view, b, NOW, err, 200, field, sizeof(field));
    cJSON_Delete(b);
    return out;
}

/* A session analytics query at partner time `now`. */
static cJSON *run_at(const struct synth_site *site, const char *body, int64_t now, char *err)
{
    char field[64];
    cJSON *b = cJSON_Parse(body);
    cJSON *out = data_query(site, VIEW_SESSIONS, b, now, err, 200, field, sizeof(field));
    cJSON_Delete(b);
    return out;
}

static double total_of(cJSON *answer)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(answer, "meta"),
                                            "total")
        ->valuedouble;
}

static void test_generator(void)
{
    struct synth_site a, b, big;
    struct synth_day d;
    struct session s1, s2;
    synth_site_init(&a, "uuid-1", "example.com", 11000, 0);
    synth_site_init(&b, "uuid-1", "https://example.com/", 11000, 0);
    synth_site_init(&big, "uuid-1", "example.com", 5500000, 0);
    ok(strcmp(a.origin, "https://example.com") == 0 && strcmp(b.origin, a.origin) == 0,
       "origin from a host or a URL");
    synth_day_open(&a, 20000, &d);
    synth_session(&a, &d, 3, &s1);
    synth_session(&b, &d, 3, &s2);
    ok(s1.id_hi == s2.id_hi && s1.started_at == s2.started_at && s1.pageviews == s2.pageviews,
       "the same website, day and index give the same session");
    ok(s1.started_at >= 20000LL * DAY && s1.started_at < 20001LL * DAY &&
           s1.ended_at >= s1.started_at,
       "a session lies in its day");
    ok(s1.bounced == (s1.pageviews == 1), "bounced means one page view");
    bool in_range = true;
    for (int64_t day = 20000; day < 20070; day++) {
        int64_t n = synth_day_count(&a, day);
        in_range &= n >= a.daily_base * 63 / 100 && n <= a.daily_base * 115 / 100;
    }
    ok(in_range, "unbound, a day has 0.63-1.15x the package's base (weekends lower)");
    ok(big.daily_base > a.daily_base && a.daily_base == 91, "the base follows the package");
    char id[37];
    synth_session_id(&s1, id);
    ok(strlen(id) == 36 && id[14] == '4', "uuid-shaped session id: %s", id);
}

/* Sessions of days [from, to] of `site` that start in [lo, hi), and all of them. */
static int64_t count_between(const struct synth_site *site, int64_t from, int64_t to, int64_t lo,
                             int64_t hi, int64_t *all)
{
    int64_t n = 0;
    *all = 0;
    for (int64_t day = from; day <= to; day++) {
        struct synth_day d;
        struct session s;
        synth_day_open(site, day, &d);
        for (int64_t i = 0; i < d.count; i++) {
            synth_session(site, &d, i, &s);
            n += s.started_at >= lo && s.started_at < hi;
        }
        *all += d.count;
    }
    return n;
}

/* The current touchpoint period holds exactly the recorded visits, in the period's elapsed whole
 * hours; closed periods have the package's traffic; nothing before the website's creation. */
static void test_periods(void)
{
    static const struct {
        int64_t created, start, now, visits;
    } cases[] = {
        {NOW - 70 * DAY, NOW - 10 * DAY - 1234, NOW, 3000},       /* two closed periods */
        {NOW - 70 * DAY, NOW - 10 * DAY - 1234, NOW, 0},          /* nothing recorded */
        {NOW - 5 * DAY + 77, NOW - 5 * DAY + 77, NOW, 1},         /* one visit */
        {NOW - 3 * DAY, NOW - 3 * DAY, NOW + 1799, 250000},       /* mid-hour */
        {NOW - 40 * DAY, NOW - 1000, NOW, 500},                   /* began within the hour */
        {NOW - 40 * DAY, NOW, NOW, 42},                           /* began this second */
        {NOW - 400 * DAY, NOW - 31 * DAY + 5, NOW + 3600, 31031}, /* a whole month */
    };
    for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
        struct synth_site site;
        int64_t all, created = cases[c].created, start = cases[c].start, now = cases[c].now;
        synth_site_init(&site, "uuid-3", "shop.example.com", 11000, cases[c].visits);
        synth_site_bind(&site, created, start, now);
        int64_t first = created / DAY - 2, last = now / DAY + 2;
        int64_t in_period = count_between(&site, first, last, start, INT64_MAX, &all);
        int64_t before = count_between(&site, first, last, INT64_MIN, created, &all);
        int64_t after_now = count_between(&site, first, last, now + 1, INT64_MAX, &all);
        ok(in_period == cases[c].visits && before == 0 && after_now == 0,
           "case %zu: %lld sessions in the period for %lld recorded, %lld before creation, "
           "%lld after now",
           c, (long long)in_period, (long long)cases[c].visits, (long long)before,
           (long long)after_now);
        if (cases[c].visits <= 31031 && now - start < 366LL * DAY) {
            char err[200], body[256], from[32], to[32];
            time_format(start, from);
            time_format(now, to);
            snprintf(body, sizeof(body),
                     "{\"metrics\":[\"visitCount\"],\"dateRange\":{\"start\":\"%s\",\"end\":"
                     "\"%s\"}}",
                     from, to);
            cJSON *answer = run_at(&site, body, now, err);
            const cJSON *row =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(answer, "payload"), 0);
            double visits =
                row ? cJSON_GetObjectItemCaseSensitive(row, "visitCount")->valuedouble : 0;
            ok(answer && visits == (double)cases[c].visits,
               "case %zu: the data API counts %.0f visits from the period's start to now", c,
               visits);
            cJSON_Delete(answer);
        }
        if (c == 0) {
            int64_t closed = all - in_period, days = (start - created) / DAY;
            ok(closed > site.daily_base * days * 8 / 10 && closed < site.daily_base * days,
               "closed periods: %lld sessions over %lld days at base %lld", (long long)closed,
               (long long)days, (long long)site.daily_base);
        }
    }
    struct synth_site huge;
    synth_site_init(&huge, "uuid-4", "x.example", 11000, 4000000000LL);
    synth_site_bind(&huge, NOW - 90 * DAY, NOW - 29 * DAY - 999, NOW);
    int64_t sum = 0;
    for (int64_t day = NOW / DAY - 31; day <= NOW / DAY; day++) {
        struct synth_day d;
        synth_day_open(&huge, day, &d);
        sum += d.count - d.closed;
    }
    ok(sum == 4000000000LL, "4e9 recorded visits are counted exactly (%lld)", (long long)sum);
}

static void test_queries(void)
{
    struct synth_site site;
    char err[200] = "";
    synth_site_init(&site, "uuid-2", "shop.example.com", 11000, 0);
    static const char *const bad[] = {
        "{\"metrics\":[\"nope\"],\"dateRange\":{\"start\":\"2026-11-01T00:00:00Z\",\"end\":\"2026-"
        "11-02T00:00:00Z\"}}",
        "{\"metrics\":[\"sessionCount\"],\"dimensions\":[\"planet\"],\"dateRange\":{\"start\":"
        "\"2026-11-01T00:00:00Z\",\"end\":\"2026-11-02T00:00:00Z\"}}",
        "{\"metrics\":[\"sessionCount\"],\"where\":{\"member\":\"date\",\"operator\":\"like\","
        "\"values\":[\"x\"]},\"dateRange\":{\"start\":\"2026-11-01T00:00:00Z\",\"end\":\"2026-11-"
        "02T00:00:00Z\"}}",
        "{\"metrics\":[\"sessionCount\"]}",
    };
    static const char *const names[] = {"nope", "planet", "like", "dateRange"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        cJSON *r = run(&site, VIEW_SESSIONS, bad[i], err);
        ok(!r && strstr(err, names[i]), "refused, naming %s: %s", names[i], err);
        cJSON_Delete(r);
    }
    const char *where =
        "\"where\":{\"or\":[{\"member\":\"deviceType\",\"operator\":\"eq\",\"values\":"
        "[\"mobile\"]},{\"member\":\"pageviews\",\"operator\":\"gte\",\"values\":[5]}]}";
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"metrics\":[\"sessionCount\"],%s,\"dateRange\":{\"start\":\"2026-10-01T00:00:00Z\","
             "\"end\":\"2026-10-31T23:59:59Z\"}}",
             where);
    cJSON *agg = run(&site, VIEW_SESSIONS, body, err);
    snprintf(
        body, sizeof(body),
        "{%s,\"dateRange\":{\"start\":\"2026-10-01T00:00:00Z\",\"end\":\"2026-10-31T23:59:59Z\"}}",
        where);
    cJSON *raw = run(&site, VIEW_RAW, body, err);
    double sessions =
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(agg, "payload"), 0), "sessionCount")
            ->valuedouble;
    ok(agg && raw && sessions > 0 && sessions == total_of(raw),
       "analytics and raw sessions agree (%.0f = %.0f)", sessions, raw ? total_of(raw) : -1);
    cJSON_Delete(agg);
    cJSON_Delete(raw);
    cJSON *future =
        run(&site, VIEW_RAW,
            "{\"dateRange\":{\"start\":\"2027-01-01T00:00:00Z\",\"end\":\"2027-01-02T00:00:00Z\"}}",
            err);
    ok(future && total_of(future) == 0, "nothing after the partner's now");
    cJSON_Delete(future);
}

int main(void)
{
    test_generator();
    test_periods();
    test_queries();
    return done_testing();
}
