/* The container health check: GET a URL over plain HTTP without curl (the runtime image has
 * none) and tell whether it answered 200. */
#ifndef MOCK3AS_HEALTHCHECK_H
#define MOCK3AS_HEALTHCHECK_H

/* GET `url` ("http://HOST[:PORT]/PATH") with a 3 s timeout. Returns 0 when the answer is
 * 200, 1 otherwise (the reason on stderr). */
int healthcheck_run(const char *url);

#endif
