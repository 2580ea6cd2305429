/* libFuzzer target of http/router.c over the real route table (routes.c) and of util's
 * percent_decode. The input is "METHOD PATH" (no space: the whole input is a GET path). Checked:
 * a found route has the method asked for (HEAD finds GET) and every {param} non-empty; a 405's
 * Allow lists methods that each find a route on the same path; a 404 is a 404 for every
 * method; percent_decode agrees with a byte-by-byte reference decoder. */
#include <stdbool.h>

#include "http/router.h"
#include "routes.h"
#include "fuzz.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The reference: out gets the decoded text; -1 on a bad escape or %00. */
static int reference_decode(const char *in, bool plus_is_space, char *out)
{
    size_t w = 0;
    for (size_t i = 0; in[i]; i++) {
        if (in[i] != '%') {
            out[w++] = plus_is_space && in[i] == '+' ? ' ' : in[i];
            continue;
        }
        if (!in[i + 1] || !in[i + 2] || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0)
            return -1;
        int v = hex(in[i + 1]) * 16 + hex(in[i + 2]);
        if (v == 0)
            return -1;
        out[w++] = (char)v;
        i += 2;
    }
    out[w] = '\0';
    return 0;
}

static void check_decode(const char *text, bool plus_is_space)
{
    size_t len = strlen(text);
    char *got = xstrdup(text), *want = xmalloc(len + 1);
    int rc = percent_decode(got, plus_is_space),
        want_rc = reference_decode(text, plus_is_space, want);
    FUZZ_CHECK(rc == want_rc, "percent_decode('%s', %d) = %d, reference %d", text, plus_is_space,
               rc, want_rc);
    if (rc == 0)
        FUZZ_CHECK(strcmp(got, want) == 0, "percent_decode('%s') = '%s', reference '%s'", text, got,
                   want);
    free(got);
    free(want);
}

static void check_found(const char *method, const char *path, const struct route_match *m)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    FUZZ_CHECK(m->route && strcmp(m->route->method, want) == 0, "%s %s found a %s route", method,
               path, m->route ? m->route->method : "NULL");
    FUZZ_CHECK(m->nparams >= 0 && m->nparams <= ROUTER_MAX_PARAMS, "%d params", m->nparams);
    for (int i = 0; i < m->nparams; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)m->name_lens[i], m->names[i]);
        FUZZ_CHECK(*m->values[i], "empty {%s} in %s %s", name, method, path);
        FUZZ_CHECK(route_param(m, name) != NULL, "{%s} captured but not found", name);
        FUZZ_CHECK(strstr(m->route->pattern, name) != NULL, "{%s} not in %s", name,
                   m->route->pattern);
    }
}

/* Every method of a 405's Allow finds a route on the same path. */
static void check_allow(const char *path, const char *allow)
{
    char copy[sizeof(((struct route_match *)0)->allow)];
    snprintf(copy, sizeof(copy), "%s", allow);
    FUZZ_CHECK(*copy, "405 with an empty Allow for %s", path);
    for (char *save = NULL, *a = strtok_r(copy, ", ", &save); a; a = strtok_r(NULL, ", ", &save)) {
        struct route_match *m = xmalloc(sizeof(*m));
        enum route_outcome o = router_match(routes_table(), a, path, m);
        FUZZ_CHECK(o == ROUTE_FOUND, "Allow '%s' names %s, which does not find %s (%d)", allow, a,
                   path, (int)o);
        free(m);
    }
}

static void check_route(const char *method, const char *path)
{
    struct route_match *m = xmalloc(sizeof(*m));
    enum route_outcome o = router_match(routes_table(), method, path, m);
    switch (o) {
    case ROUTE_FOUND:
        check_found(method, path, m);
        break;
    case ROUTE_METHOD_NOT_ALLOWED:
        check_allow(path, m->allow);
        break;
    case ROUTE_NOT_FOUND:
        for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
            FUZZ_CHECK(router_match(routes_table(), methods[i], path, m) == ROUTE_NOT_FOUND,
                       "%s %s is a 404, %s is not", method, path, methods[i]);
        break;
    }
    free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    char *space = strchr(text, ' ');
    const char *method = "GET", *path = text;
    if (space) {
        *space = '\0';
        method = text;
        path = space + 1;
    }
    check_route(method, path);
    check_decode(path, false);
    check_decode(path, true);
    free(text);
    return 0;
}
