/* The container health check: one HTTP/1.0 GET over a socket, status line read back. */
#include "http/healthcheck.h"

#include <netdb.h>
#include <stdbool.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TIMEOUT_MS 3000

/* Split "http://host[:port]/path" into its parts; an IPv6 host is written in brackets
 * ("http://[::1]:8080/healthz") and comes out without them. Returns 0, or -1. */
static int parse_url(const char *url, char *host, size_t hsize, char *port, size_t psize,
                     const char **path)
{
    if (strncmp(url, "http://", 7) != 0)
        return -1;
    const char *h = url + 7, *slash = strchr(h, '/'), *end = slash ? slash : h + strlen(h);
    const char *host_end = NULL, *after;
    if (*h == '[') {
        host_end = memchr(h, ']', (size_t)(end - h));
        if (!host_end)
            return -1;
        h++;
        after = host_end + 1;
    } else {
        after = memchr(h, ':', (size_t)(end - h));
        host_end = after ? after : end;
        after = after ? after : end;
    }
    size_t hlen = (size_t)(host_end - h);
    if (hlen == 0 || hlen >= hsize || (after != end && *after != ':'))
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    if (after == end)
        snprintf(port, psize, "80");
    else
        snprintf(port, psize, "%.*s", (int)(end - after - 1), after + 1);
    *path = slash ? slash : "/";
    return 0;
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int fd = -1;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

/* Read until the status line is complete or the timeout passes. */
static int read_status(int fd, char *buf, size_t size)
{
    size_t len = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (len + 1 < size && !memchr(buf, '\n', len)) {
        if (poll(&p, 1, TIMEOUT_MS) <= 0)
            return -1;
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
    }
    buf[len] = '\0';
    return len ? 0 : -1;
}

int healthcheck_run(const char *url)
{
    char host[256], port[16], request[1024], status[256] = "";
    const char *path;
    if (parse_url(url, host, sizeof(host), port, sizeof(port), &path)) {
        fprintf(stderr, "mock3as: --check-health wants http://HOST[:PORT]/PATH, got %s\n", url);
        return 1;
    }
    int fd = connect_to(host, port);
    if (fd < 0) {
        fprintf(stderr, "mock3as: health check: cannot connect to %s:%s\n", host, port);
        return 1;
    }
    bool v6 = strchr(host, ':') != NULL;
    int n = snprintf(request, sizeof(request), "GET %s HTTP/1.0\r\nHost: %s%s%s\r\n\r\n", path,
                     v6 ? "[" : "", host, v6 ? "]" : "");
    int ok = write(fd, request, (size_t)n) == n && read_status(fd, status, sizeof(status)) == 0 &&
             strncmp(status, "HTTP/1.", 7) == 0 && strncmp(status + 8, " 200", 4) == 0;
    close(fd);
    if (!ok)
        fprintf(stderr, "mock3as: health check of %s failed: %.*s\n", url,
                (int)strcspn(status, "\r\n"), status);
    return ok ? 0 : 1;
}
