/* The HTTP server: libmicrohttpd lives in http.c and nowhere else. */
#ifndef MOCK3AS_HTTP_H
#define MOCK3AS_HTTP_H

#include <stdbool.h>

#include "http/app.h"

/* Bind and listen on cfg.bind:cfg.port (before anything slow happens at start-up, so that a port
 * in use fails at once); sets app->port to the bound port. Returns 0, or -1 after printing one
 * line that names the address and the cause. */
int http_listen(struct app *app);

/* Serve the listening socket with one internal epoll thread. Returns 0, or -1 (logged). */
int http_start(struct app *app);

/* Graceful stop: refuse new connections, let in-flight requests finish (at most `grace_ms`),
 * then stop the daemon, closing idle keep-alive connections. Safe to call when not started. */
void http_stop(struct app *app, int grace_ms);

#endif
