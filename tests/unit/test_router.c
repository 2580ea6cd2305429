/* Unit tests of router.c (matching, params, trailing slash, 405 Allow) and of the real route
 * table of routes.c. */
#include <string.h>

#include "http/router.h"
#include "routes.h"
#include "tap.h"
#include "util/util.h"

static enum http_status h_dummy(struct request *req, struct response *res)
{
    (void)req;
    (void)res;
    return HTTP_OK;
}

static const struct route table[] = {
    {"GET", "/", h_dummy, AUTH_NONE, false, false},
    {"GET", "/v2/3as/customers", h_dummy, AUTH_INTP, false, false},
    {"POST", "/v2/3as/customers", h_dummy, AUTH_INTP, true, false},
    {"GET", "/v2/3as/customers/{intpCustomerId}", h_dummy, AUTH_INTP, false, false},
    {"DELETE", "/v2/3as/customers/{intpCustomerId}", h_dummy, AUTH_INTP, true, false},
    {"DELETE", "/v2/3as/websites/{id}/whitelisted-domains/{domain}", h_dummy, AUTH_INTP, true,
     false},
    {"PUT", "/v3/3as/packages/{packageId}/assignments/{targetId}", h_dummy, AUTH_INTP, true, false},
    {0},
};

static void test_match(void)
{
    static const struct {
        const char *method, *path;
        enum route_outcome want;
        int index; /* into table, for ROUTE_FOUND */
    } cases[] = {
        {"GET", "/", ROUTE_FOUND, 0},
        {"GET", "/v2/3as/customers", ROUTE_FOUND, 1},
        {"GET", "/v2/3as/customers/", ROUTE_FOUND, 1},
        {"POST", "/v2/3as/customers/", ROUTE_FOUND, 2},
        {"HEAD", "/v2/3as/customers", ROUTE_FOUND, 1},
        {"GET", "/v2/3as/customers//", ROUTE_NOT_FOUND, 0},
        {"GET", "/v2/3as/customers/c1", ROUTE_FOUND, 3},
        {"GET", "/v2/3as/customers/c1/", ROUTE_FOUND, 3},
        {"DELETE", "/v2/3as/customers/c1", ROUTE_FOUND, 4},
        {"GET", "/v2/3as/customers/c1/x", ROUTE_NOT_FOUND, 0},
        {"GET", "/v2/3as/Customers", ROUTE_NOT_FOUND, 0},
        {"GET", "/v2/3as", ROUTE_NOT_FOUND, 0},
        {"GET", "v2/3as/customers", ROUTE_NOT_FOUND, 0},
        {"GET", "/v2/3as/customers/%zz", ROUTE_NOT_FOUND, 0},
        {"PATCH", "/v2/3as/customers", ROUTE_METHOD_NOT_ALLOWED, 0},
        {"PUT", "/v3/3as/packages/p1/assignments/t1", ROUTE_FOUND, 6},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct route_match m;
        enum route_outcome got = router_match(table, cases[i].method, cases[i].path, &m);
        ok(got == cases[i].want && (got != ROUTE_FOUND || m.route == &table[cases[i].index]),
           "%s %s -> %d (got %d)", cases[i].method, cases[i].path, cases[i].want, got);
    }
}

static void test_params(void)
{
    struct route_match m;
    ok(router_match(table, "DELETE", "/v2/3as/websites/w%201/whitelisted-domains/a.com%2Fx", &m) ==
               ROUTE_FOUND &&
           strcmp(route_param(&m, "id"), "w 1") == 0 &&
           strcmp(route_param(&m, "domain"), "a.com/x") == 0,
       "params are captured and percent-decoded, an encoded '/' stays inside its segment");
    ok(route_param(&m, "nope") == NULL, "unknown param is NULL");
    ok(router_match(table, "GET", "/v2/3as/customers/c1", &m) == ROUTE_FOUND &&
           strcmp(route_param(&m, "intpCustomerId"), "c1") == 0,
       "single param");
    ok(router_match(table, "PATCH", "/v2/3as/customers/c1", &m) == ROUTE_METHOD_NOT_ALLOWED &&
           strcmp(m.allow, "GET, HEAD, DELETE") == 0,
       "405 lists the path's methods: %s", m.allow);
    ok(router_match(table, "DELETE", "/v2/3as/customers", &m) == ROUTE_METHOD_NOT_ALLOWED &&
           strcmp(m.allow, "GET, HEAD, POST") == 0,
       "405 Allow without duplicates: %s", m.allow);
    char longpath[ROUTER_MAX_PATH + 16];
    memset(longpath, 'a', sizeof(longpath) - 1);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = '\0';
    ok(router_match(table, "GET", longpath, &m) == ROUTE_NOT_FOUND, "over-long path is 404");
}

/* Every route of the real table matches itself, and no method+pattern appears twice. */
static void test_real_table(void)
{
    const struct route *routes = routes_table();
    int bad = 0, dup = 0, n = 0;
    for (const struct route *r = routes; r->method; r++, n++) {
        char path[ROUTER_MAX_PATH];
        struct route_match m;
        size_t w = 0;
        for (const char *p = r->pattern; *p && w < sizeof(path) - 2; p++) {
            if (*p == '{') {
                path[w++] = 'x';
                p = strchr(p, '}');
            } else {
                path[w++] = *p;
            }
        }
        path[w] = '\0';
        if (router_match(routes, r->method, path, &m) != ROUTE_FOUND || m.route != r)
            bad++;
        for (const struct route *q = routes; q != r; q++)
            if (strcmp(q->method, r->method) == 0 && strcmp(q->pattern, r->pattern) == 0)
                dup++;
    }
    ok(n > 0 && bad == 0, "all %d routes of routes.c match their own pattern", n);
    ok(dup == 0, "no route appears twice");
}

int main(void)
{
    test_match();
    test_params();
    test_real_table();
    return done_testing();
}
