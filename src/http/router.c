/* Route matching over the table of routes.c: segment by segment, {params} captured. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* Split a copy of `path` into decoded segments. Returns -1 when the path cannot match any
 * route (not absolute, too long, too many segments, bad escape). */
static int split_path(const char *path, struct route_match *m)
{
    size_t len = strlen(path);
    if (path[0] != '/' || len > ROUTER_MAX_PATH)
        return -1;
    memcpy(m->buf, path, len + 1);
    if (len > 1 && m->buf[len - 1] == '/')
        m->buf[--len] = '\0'; /* one trailing slash is tolerated (D10) */
    m->nsegments = 0;
    if (len == 1)
        return 0;
    for (char *p = m->buf + 1;;) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        if (m->nsegments == ROUTER_MAX_SEGMENTS || percent_decode(p, false))
            return -1;
        m->segments[m->nsegments++] = p;
        if (!slash)
            return 0;
        p = slash + 1;
    }
}

/* Does `pattern` match the split path? Captures params into m on success. */
static bool pattern_matches(const char *pattern, struct route_match *m)
{
    const char *p = pattern + 1;
    int seg = 0;
    m->nparams = 0;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (seg == m->nsegments)
            return false;
        const char *s = m->segments[seg++];
        if (p[0] == '{') {
            if (!*s || m->nparams == ROUTER_MAX_PARAMS)
                return false;
            m->names[m->nparams] = p + 1;
            m->name_lens[m->nparams] = n - 2;
            m->values[m->nparams++] = s;
        } else if (strlen(s) != n || memcmp(s, p, n) != 0) {
            return false;
        }
        p += n + (end != NULL);
    }
    return seg == m->nsegments;
}

static void allow_add(char *allow, size_t size, const char *method)
{
    size_t n = strlen(method), len = strlen(allow);
    for (const char *p = allow; (p = strstr(p, method)); p += n)
        if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return;
    snprintf(allow + len, size - len, "%s%s", len ? ", " : "", method);
}

enum route_outcome router_match(const struct route *routes, const char *method, const char *path,
                                struct route_match *m)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    m->route = NULL;
    m->allow[0] = '\0';
    if (split_path(path, m))
        return ROUTE_NOT_FOUND;
    for (const struct route *r = routes; r->method; r++) {
        if (!pattern_matches(r->pattern, m))
            continue;
        if (strcmp(r->method, want) == 0) {
            m->route = r;
            return ROUTE_FOUND;
        }
        allow_add(m->allow, sizeof(m->allow), r->method);
        if (strcmp(r->method, "GET") == 0)
            allow_add(m->allow, sizeof(m->allow), "HEAD");
    }
    m->nparams = 0;
    return m->allow[0] ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

const char *route_param(const struct route_match *m, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < m->nparams; i++)
        if (m->name_lens[i] == n && memcmp(m->names[i], name, n) == 0)
            return m->values[i];
    return NULL;
}
