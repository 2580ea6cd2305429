/* Unit tests of the pure parts of http/faults.c: which requests a rule matches, the seeded draws
 * (the same on every run, uniform, independent per stream), whether a rule fires, the sampled
 * delays (uniform within its bounds, lognormal around its median, capped) and the injectable
 * statuses. */
#include <stdlib.h>
#include <string.h>

#include "http/faults.h"
#include "http/response.h"
#include "tap.h"

static void test_matching(void)
{
    static const struct {
        const char *method, *route, *path; /* the rule's */
        const char *req_method, *req_route, *req_path;
        bool want;
        const char *name;
    } cases[] = {
        {"", NULL, NULL, "GET", "/v2/3as/customers", "/v2/3as/customers", true, "empty: anything"},
        {"GET", NULL, NULL, "GET", "/v2/3as/customers", "/v2/3as/customers", true, "method"},
        {"POST", NULL, NULL, "GET", "/v2/3as/customers", "/v2/3as/customers", false,
         "other method"},
        {"", "/v2/3as/customers/{intpCustomerId}", NULL, "GET",
         "/v2/3as/customers/{intpCustomerId}", "/v2/3as/customers/c1", true, "route template"},
        {"", "/v2/3as/customers/{intpCustomerId}", NULL, "GET", "/v2/3as/customers",
         "/v2/3as/customers", false, "other route"},
        {"DELETE", "/v2/3as/customers/{intpCustomerId}", NULL, "GET",
         "/v2/3as/customers/{intpCustomerId}", "/v2/3as/customers/c1", false,
         "route with another method"},
        {"", NULL, "/v2/3as/customers/c1", "GET", "/v2/3as/customers/{intpCustomerId}",
         "/v2/3as/customers/c1", true, "exact path"},
        {"", NULL, "/v2/3as/customers/c1", "GET", "/v2/3as/customers/{intpCustomerId}",
         "/v2/3as/customers/c10", false, "exact path is not a prefix"},
        {"", NULL, "/v2/3as/websites/*", "GET", "/v2/3as/websites/{intpWebsiteId}",
         "/v2/3as/websites/w1", true, "prefix"},
        {"", NULL, "/v2/3as/websites/*", "GET", "/v2/3as/websites", "/v2/3as/websites", false,
         "prefix needs its slash"},
        {"", NULL, "*", "GET", "/v2/3as/websites", "/v2/3as/websites", true, "'*' alone: all"},
        {"POST", NULL, "/v3/*", "POST", "/v3/3as/websites", "/v3/3as/websites", true,
         "method and prefix"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fault_rule r = {.route = (char *)cases[i].route, .path = (char *)cases[i].path};
        snprintf(r.method, sizeof(r.method), "%s", cases[i].method);
        ok(fault_rule_matches(&r, cases[i].req_method, cases[i].req_route, cases[i].req_path) ==
               cases[i].want,
           "match: %s", cases[i].name);
    }
}

static void test_draws(void)
{
    int in_range = 1, same = 1, low = 0;
    for (int n = 1; n <= 10000; n++) {
        double d = fault_draw(42, n, 0);
        in_range &= d >= 0 && d < 1;
        same &= d == fault_draw(42, n, 0);
        low += d < 0.5;
    }
    ok(in_range, "draws are in [0, 1)");
    ok(same, "a draw is a function of seed, n and stream");
    ok(low > 4800 && low < 5200, "draws are uniform (%d of 10000 below 0.5)", low);
    ok(fault_draw(42, 1, 0) != fault_draw(43, 1, 0), "another seed, another draw");
    ok(fault_draw(42, 1, 0) != fault_draw(42, 1, 1), "another stream, another draw");
    ok(fault_draw(0, 1, 0) != fault_draw(0, 2, 0), "seed 0 still varies with n");
}

static void test_fires(void)
{
    struct fault_rule always = {.probability = 1, .seed = 7}, never = {.probability = 0, .seed = 7},
                      third = {.probability = 0.3, .seed = 7};
    int a = 0, z = 0, t = 0, replay = 1;
    for (int n = 1; n <= 10000; n++) {
        a += fault_fires(&always, n);
        z += fault_fires(&never, n);
        t += fault_fires(&third, n);
        replay &= fault_fires(&third, n) == fault_fires(&third, n);
    }
    ok(a == 10000 && z == 0, "probability 1 always fires, 0 never");
    ok(t > 2800 && t < 3200, "probability 0.3 fires about 30%% of the time (%d)", t);
    ok(replay, "the same seed fires on the same draws");
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_delays(void)
{
    struct fault_rule
        none = {0},
        fixed = {.delay = FAULT_DELAY_FIXED, .delay_ms = 1500},
        uni = {.delay = FAULT_DELAY_UNIFORM, .min_ms = 100, .max_ms = 200, .seed = 3},
        logn = {.delay = FAULT_DELAY_LOGNORMAL, .median_ms = 300, .sigma = 0.5, .seed = 3},
        wide = {.delay = FAULT_DELAY_LOGNORMAL, .median_ms = 50000, .sigma = 4, .seed = 3};
    static int64_t samples[5001];
    int bounded = 1, hit_min = 0, hit_max = 0, capped = 1, replay = 1;
    ok(fault_delay_sample(&none, 1) == 0, "no delay: 0");
    ok(fault_delay_sample(&fixed, 1) == 1500 && fault_delay_sample(&fixed, 99) == 1500,
       "fixed delay");
    for (int n = 1; n <= 5001; n++) {
        int64_t u = fault_delay_sample(&uni, n);
        bounded &= u >= 100 && u <= 200;
        hit_min |= u == 100;
        hit_max |= u == 200;
        replay &= u == fault_delay_sample(&uni, n);
        samples[n - 1] = fault_delay_sample(&logn, n);
        capped &=
            fault_delay_sample(&wide, n) <= FAULT_MAX_DELAY_MS && fault_delay_sample(&wide, n) >= 0;
    }
    ok(bounded && hit_min && hit_max, "uniform: within [min, max], both ends reached");
    ok(replay, "uniform: the same seed, the same delays");
    qsort(samples, 5001, sizeof(samples[0]), cmp_i64);
    ok(samples[2500] > 280 && samples[2500] < 320, "lognormal: median about medianMs (%lld)",
       (long long)samples[2500]);
    /* with sigma 0.5, the 84th percentile is median * e^0.5 ~ 495 */
    ok(samples[4200] > 450 && samples[4200] < 540, "lognormal: spread by sigma (p84 %lld)",
       (long long)samples[4200]);
    ok(capped, "lognormal: never past FAULT_MAX_DELAY_MS");
}

static void test_statuses(void)
{
    static const int yes[] = {429, 500, 502, 503, 504}, no[] = {0, 200, 400, 404, 418, 501, 599};
    int good = 1;
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
        good &= fault_status_error(yes[i]) >= 0 &&
                (int)error_status((enum error_id)fault_status_error(yes[i])) == yes[i];
    ok(good, "429, 500, 502, 503, 504 map to a D2 error of that status");
    good = 1;
    for (size_t i = 0; i < ARRAY_SIZE(no); i++)
        good &= fault_status_error(no[i]) < 0;
    ok(good, "other statuses cannot be injected");
}

int main(void)
{
    test_matching();
    test_draws();
    test_fires();
    test_delays();
    test_statuses();
    return done_testing();
}
