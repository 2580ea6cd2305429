/* Unit tests of synth.c and analytics.c: deterministic sessions, volume by package and usage,
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

static double total_of(cJSON *answer)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(answer, "meta"),
                                            "total")
        ->valuedouble;
}

static void test_generator(void)
{
    struct synth_site a, b, big, used;
    struct session s1, s2;
    synth_site_init(&a, "uuid-1", "example.com", 11000, 0);
    synth_site_init(&b, "uuid-1", "https://example.com/", 11000, 0);
    synth_site_init(&big, "uuid-1", "example.com", 5500000, 0);
    synth_site_init(&used, "uuid-1", "example.com", 11000, 30000);
    ok(strcmp(a.origin, "https://example.com") == 0 && strcmp(b.origin, a.origin) == 0,
       "origin from a host or a URL");
    synth_session(&a, 20000, 3, &s1);
    synth_session(&b, 20000, 3, &s2);
    ok(s1.id_hi == s2.id_hi && s1.started_at == s2.started_at && s1.pageviews == s2.pageviews,
       "the same website, day and index give the same session");
    ok(s1.started_at >= 20000LL * DAY && s1.started_at < 20001LL * DAY &&
           s1.ended_at >= s1.started_at,
       "a session lies in its day");
    ok(s1.bounced == (s1.pageviews == 1), "bounced means one page view");
    int n = synth_day_count(&a, 20000);
    ok(n >= a.daily_base * 7 / 10 && n <= a.daily_base * 13 / 10, "a day has 0.7-1.3x the base");
    ok(big.daily_base > a.daily_base && used.daily_base == a.daily_base + 1000,
       "volume grows with the package and with recorded visits");
    char id[37];
    synth_session_id(&s1, id);
    ok(strlen(id) == 36 && id[14] == '4', "uuid-shaped session id: %s", id);
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
    test_queries();
    return done_testing();
}
