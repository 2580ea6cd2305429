/* Route matching: a NULL-terminated table of {method, pattern, handler, auth, writes} (see
 * routes.c) matched against a method and a path. Pure: no I/O, no state. */
#ifndef MOCK3AS_ROUTER_H
#define MOCK3AS_ROUTER_H

#include <stdbool.h>

#include "http/response.h"

struct request;

/* Who may call a route. The dispatcher checks it; handlers never do. */
enum auth_kind {
    AUTH_NONE,      /* open */
    AUTH_ADMIN,     /* /__admin: the --admin-token, when one is set */
    AUTH_INTP,      /* partner JWT, role intp (contract §3.1) */
    AUTH_API_KEY,   /* X-Api-Key of the {websiteId} in the path, read-only (contract D7) */
    AUTH_DASHBOARD, /* intpc_token / websiteToken in the query string (contract D8); errors are
                       HTML pages */
};

typedef enum http_status (*handler_fn)(struct request *req, struct response *res);

struct route {
    const char *method;  /* "GET", "POST", … */
    const char *pattern; /* "/v2/3as/customers/{intpCustomerId}" */
    handler_fn handler;
    enum auth_kind auth;
    bool writes; /* runs inside one BEGIN IMMEDIATE transaction */
    bool cached; /* a GET whose 200 answer depends on the partner's data and the due transitions
                    of its clock only: kept in http/answer_cache.h */
};

#define ROUTER_MAX_PATH     2048
#define ROUTER_MAX_SEGMENTS 16
#define ROUTER_MAX_PARAMS   4

enum route_outcome { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_METHOD_NOT_ALLOWED };

struct route_match {
    const struct route *route; /* on ROUTE_FOUND */
    int nparams;
    const char *names[ROUTER_MAX_PARAMS]; /* point into the pattern: "intpCustomerId}" */
    size_t name_lens[ROUTER_MAX_PARAMS];
    const char *values[ROUTER_MAX_PARAMS]; /* percent-decoded, point into buf */
    char allow[96];                        /* on ROUTE_METHOD_NOT_ALLOWED: "GET, POST" */
    char buf[ROUTER_MAX_PATH + 1];
    const char *segments[ROUTER_MAX_SEGMENTS];
    int nsegments;
};

/* Match `method` + `path` (no query string; still percent-encoded) against `routes`. One
 * trailing slash is ignored; each segment is percent-decoded before it is compared or captured;
 * HEAD matches GET routes. On ROUTE_METHOD_NOT_ALLOWED, m->allow lists the methods the path
 * has. */
enum route_outcome router_match(const struct route *routes, const char *method, const char *path,
                                struct route_match *m);

/* The routes nearest to a `method` + `path` that matched none (a near-miss report), best first,
 * into out[max]; returns how many (0 when none is near). Nearness is an edit distance over the
 * path's segments: a {param} takes any segment, a literal segment differing by a few typed
 * characters costs in proportion to them, any other segment added, dropped or replaced costs
 * one; routes more than one segment away are left out, and so are those a whole segment away
 * when some route is only typos away. Routes of the same method (HEAD: GET)
 * come first, then the nearer, then table order. Pure. */
int router_near_misses(const struct route *routes, const char *method, const char *path,
                       const struct route **out, int max);

/* The decoded value of parameter `name` of a found match, or NULL. Borrowed from `m`. */
const char *route_param(const struct route_match *m, const char *name);

#endif
