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

/* ---- near misses (a 404's "closest routes") ---- */

#define SEGMENT_COST  100 /* one segment added, dropped or wholly replaced */
#define TYPO_MAX      3   /* character edits a segment may be off by and still be "near" */
#define TYPO_MAX_LEN  24  /* longer segments are compared whole */
#define NEAR_MAX_COST SEGMENT_COST

/* Character edit distance of a[la] and b[lb], both at most TYPO_MAX_LEN; TYPO_MAX + 1 once it
 * is known to exceed TYPO_MAX. */
static int typo_distance(const char *a, size_t la, const char *b, size_t lb)
{
    int row[TYPO_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0], best;
        row[0] = best = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j], cost = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < cost)
                cost = up + 1;
            if (row[j - 1] + 1 < cost)
                cost = row[j - 1] + 1;
            diag = up;
            row[j] = cost;
            if (cost < best)
                best = cost;
        }
        if (best > TYPO_MAX)
            return TYPO_MAX + 1;
    }
    return row[lb];
}

/* The cost of putting path segment `s` where pattern segment `p` (n bytes) is. */
static int segment_cost(const char *s, const char *p, size_t n)
{
    size_t ls = strlen(s);
    if (p[0] == '{')
        return *s ? 0 : SEGMENT_COST;
    if (ls == n && memcmp(s, p, n) == 0)
        return 0;
    if (ls > TYPO_MAX_LEN || n > TYPO_MAX_LEN || (ls > n ? ls - n : n - ls) > TYPO_MAX)
        return SEGMENT_COST;
    int d = typo_distance(s, ls, p, n);
    size_t longest = ls > n ? ls : n;
    return d > TYPO_MAX ? SEGMENT_COST : (int)((size_t)d * SEGMENT_COST / longest);
}

/* Edit distance between the split path in `m` and `pattern`, segment by segment. */
static int pattern_distance(const char *pattern, const struct route_match *m)
{
    const char *seg[ROUTER_MAX_SEGMENTS + 1];
    size_t len[ROUTER_MAX_SEGMENTS + 1];
    int np = 0;
    for (const char *p = pattern + 1; *p && np <= ROUTER_MAX_SEGMENTS; np++) {
        const char *end = strchr(p, '/');
        seg[np] = p;
        len[np] = end ? (size_t)(end - p) : strlen(p);
        p += len[np] + (end != NULL);
    }
    int ns = m->nsegments, d[ROUTER_MAX_SEGMENTS + 1][ROUTER_MAX_SEGMENTS + 2];
    if (np > ROUTER_MAX_SEGMENTS || (ns > np ? ns - np : np - ns) * SEGMENT_COST > NEAR_MAX_COST)
        return NEAR_MAX_COST + 1;
    for (int i = 0; i <= ns; i++)
        for (int j = 0; j <= np; j++) {
            if (i == 0 || j == 0) {
                d[i][j] = (i + j) * SEGMENT_COST;
                continue;
            }
            int best = d[i - 1][j - 1] + segment_cost(m->segments[i - 1], seg[j - 1], len[j - 1]);
            if (d[i - 1][j] + SEGMENT_COST < best)
                best = d[i - 1][j] + SEGMENT_COST;
            if (d[i][j - 1] + SEGMENT_COST < best)
                best = d[i][j - 1] + SEGMENT_COST;
            d[i][j] = best;
        }
    return d[ns][np];
}

int router_near_misses(const struct route *routes, const char *method, const char *path,
                       const struct route **out, int max)
{
    struct route_match m;
    int rank[16], n = 0; /* rank: method difference first, then distance */
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    if (max > (int)ARRAY_SIZE(rank))
        max = (int)ARRAY_SIZE(rank);
    int best = NEAR_MAX_COST + 1;
    if (max <= 0 || split_path(path, &m))
        return 0;
    for (const struct route *r = routes; r->method; r++) {
        int d = pattern_distance(r->pattern, &m);
        best = d < best ? d : best;
    }
    /* when some route is off by typos only, the ones off by a whole segment are not near */
    int limit = best < SEGMENT_COST ? SEGMENT_COST - 1 : NEAR_MAX_COST;
    for (const struct route *r = routes; r->method; r++) {
        int d = pattern_distance(r->pattern, &m);
        if (d > limit)
            continue;
        int key = (strcmp(r->method, want) != 0) * (NEAR_MAX_COST + 1) + d, i = n;
        if (n == max && key >= rank[n - 1])
            continue;
        if (n < max)
            n++;
        for (; i > 0 && rank[i - 1] > key; i--) { /* insertion: equal keys keep table order */
            if (i < max) {
                rank[i] = rank[i - 1];
                out[i] = out[i - 1];
            }
        }
        rank[i] = key;
        out[i] = r;
    }
    return n;
}
