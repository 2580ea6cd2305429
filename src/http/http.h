/* The HTTP server: libmicrohttpd lives in http.c and nowhere else. */
#ifndef MOCK3AS_HTTP_H
#define MOCK3AS_HTTP_H

#include <stdbool.h>

#include "http/app.h"

/* Start listening on cfg.bind:cfg.port with one internal epoll thread; sets app->port to the
 * bound port. Returns 0, or -1 (logged). */
int http_start(struct app *app);

/* Graceful stop: refuse new connections, let in-flight requests finish (at most `grace_ms`),
 * then stop the daemon, closing idle keep-alive connections. Safe to call when not started. */
void http_stop(struct app *app, int grace_ms);

#endif
