/* The libmicrohttpd glue: per-request state allocated on the first callback, the body
 * accumulated under a hard cap (413, never truncated), the answer queued on the final callback
 * (so keep-alive survives), everything freed in the completion callback. */
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http/answer_cache.h"
#include "http/fault_timer.h"
#include "http/journal.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/workers.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

#define MAX_REQUEST_ID 128
#define MAX_URI        8192        /* longer request targets are 414 (README "What is refused") */
#define CONN_MEMORY    (64 * 1024) /* per-connection buffer: a URI up to ~60 KB reaches us */
#define QUIET_US       50000       /* shutdown: no new request for this long means drained */

/* A decoded query value, kept until the request ends. */
struct decoded {
    char *name;
    char *value;
    struct decoded *next;
};

/* Everything one request owns, from the first callback to MHD_OPTION_NOTIFY_COMPLETED. A request
 * that needs the database is suspended, run on a worker (`work`) and resumed with its answer in
 * `res`; the HTTP thread then queues it. */
struct conn_state {
    struct work work; /* first: the worker hands it back */
    struct app *app;
    struct MHD_Connection *conn;
    struct request req;
    struct response res;
    bool ran;           /* a worker filled res: queue it on the next callback */
    struct strbuf body; /* accumulated upload */
    bool too_large;
    enum error_id early;    /* refused before the upload (ERR__COUNT: not refused) */
    char early_detail[160]; /* its message */
    int64_t start_us;
    char request_id[MAX_REQUEST_ID + 1];
    struct decoded *decoded;
};

/* ---- request state ---- */

static bool request_id_is_sane(const char *id)
{
    return id && str_is_token(id, MAX_REQUEST_ID, "-_.:");
}

static struct conn_state *conn_state_new(struct app *app, struct MHD_Connection *conn)
{
    struct conn_state *st = xcalloc(1, sizeof(*st));
    atomic_fetch_add(&app->in_flight, 1);
    atomic_store(&app->last_request_us, time_mono_us());
    st->app = app;
    st->conn = conn;
    strbuf_init(&st->body, 0);
    st->early = ERR__COUNT;
    st->start_us = time_mono_us();
    const char *id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (request_id_is_sane(id))
        snprintf(st->request_id, sizeof(st->request_id), "%s", id);
    else
        id_stream_uuid(&app->request_ids, st->request_id); /* the HTTP thread's own stream */
    return st;
}

static void conn_state_free(struct conn_state *st)
{
    atomic_store(&st->app->last_request_us, time_mono_us());
    atomic_fetch_sub(&st->app->in_flight, 1);
    while (st->decoded) {
        struct decoded *d = st->decoded;
        st->decoded = d->next;
        free(d->name);
        free(d->value);
        free(d);
    }
    strbuf_release(&st->body);
    response_clear(&st->res);
    free(st);
}

/* Append an upload chunk, or mark the request too large once past the cap (the rest of the
 * body is read and dropped, so the client still gets its 413). */
static void body_append(struct conn_state *st, const char *data, size_t n)
{
    size_t max = st->app->cfg.max_body;
    if (st->too_large || n > max - st->body.len) {
        st->too_large = true;
        return;
    }
    strbuf_add(&st->body, data, n);
}

static const char *lookup_header(void *ctx, const char *name)
{
    struct conn_state *st = ctx;
    return MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, name);
}

static const char *lookup_query(void *ctx, const char *name)
{
    struct conn_state *st = ctx;
    for (struct decoded *d = st->decoded; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d->value;
    const char *raw = MHD_lookup_connection_value(st->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!raw)
        return NULL;
    struct decoded *d = xcalloc(1, sizeof(*d));
    d->name = xstrdup(name);
    d->value = xstrdup(raw);
    if (percent_decode(d->value, true))
        d->value[0] = '\0'; /* a malformed escape reads as an empty value */
    d->next = st->decoded;
    st->decoded = d;
    return d->value;
}

/* ---- answering ---- */

static enum MHD_Result queue(struct conn_state *st, struct response *res)
{
    struct MHD_Response *r;
    if (res->body) {
        char *text = cJSON_PrintUnformatted(res->body);
        if (!text)
            return MHD_NO;
        r = MHD_create_response_from_buffer_with_free_callback(strlen(text), text, cJSON_free);
        MHD_add_response_header(r, "Content-Type", "application/json");
    } else if (res->text) {
        r = MHD_create_response_from_buffer_with_free_callback(res->text_len, res->text, free);
        res->text = NULL; /* now MHD's */
        MHD_add_response_header(r, "Content-Type", res->content_type);
    } else {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "X-Request-Id", st->request_id);
    if (res->csp[0]) {
        MHD_add_response_header(r, "Content-Security-Policy", res->csp);
        MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
        MHD_add_response_header(r, "Cache-Control", "no-store");
    }
    if (res->allow[0])
        MHD_add_response_header(r, "Allow", res->allow);
    if (res->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", res->disposition);
    if (st->req.fault.fired && st->req.fault.retry_after >= 0) {
        char seconds[24];
        snprintf(seconds, sizeof(seconds), "%lld", (long long)st->req.fault.retry_after);
        MHD_add_response_header(r, "Retry-After", seconds);
    }
    if (atomic_load(&st->app->stopping))
        MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(st->conn, res->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* The partner a request spoke for: its token's, or the {id} of an admin partner route. */
static const char *logged_intp(const struct request *req)
{
    if (req->auth.intp_id[0])
        return req->auth.intp_id;
    if (req->match.route && req->match.route->auth == AUTH_ADMIN)
        return request_param(req, "id");
    return NULL;
}

/* ---- answers kept for read routes (http/answer_cache.h) ---- */

#define ANSWER_KEY_MAX (MAX_URI + 2 * JWT_MAX_ID + 64)

/* MHD_KeyValueIterator: append "&name=value" (as received) to the strbuf `cls`. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    struct strbuf *sb = cls;
    (void)kind;
    strbuf_addch(sb, '&');
    strbuf_addstr(sb, key);
    if (value) {
        strbuf_addch(sb, '=');
        strbuf_addstr(sb, value);
    }
    return sb->len < ANSWER_KEY_MAX ? MHD_YES : MHD_NO;
}

/* The cache key of a request of a cached route: partner, method, path and query as received.
 * False when it would be too long to be worth keeping. */
static bool answer_key(struct conn_state *st, struct strbuf *key)
{
    strbuf_addstr(key, st->req.auth.intp_id);
    strbuf_addch(key, ' ');
    strbuf_addstr(key, st->req.method);
    strbuf_addch(key, ' ');
    strbuf_addstr(key, st->req.path);
    strbuf_addch(key, '?');
    MHD_get_connection_values(st->conn, MHD_GET_ARGUMENT_KIND, add_arg, key);
    return key->len < ANSWER_KEY_MAX;
}

/* Answer a request of a cached route from the cache, on the HTTP thread: its token is one the
 * cache verified before, and the answer kept for it is still right. */
static bool answer_from_cache(struct conn_state *st)
{
    struct app *app = st->app;
    struct request *req = &st->req;
    uint64_t epoch = db_change_epoch(&app->db);
    int64_t wall = time_now();
    if (!epoch || auth_bearer_cached(app->tokens, request_header(req, "Authorization"), wall,
                                     &req->auth) != JWT_OK)
        return false;
    if (!(req->auth.roles & JWT_ROLE_INTP))
        return false; /* the worker answers the 403 */
    struct strbuf key = STRBUF_INIT;
    size_t len = 0;
    char *body =
        answer_key(st, &key) ? answer_cache_get(app->answers, key.buf, epoch, wall, &len) : NULL;
    strbuf_release(&key);
    if (!body)
        return false;
    st->res.status = HTTP_OK;
    st->res.text = body;
    st->res.text_len = len;
    st->res.content_type = "application/json";
    return true;
}

/* Keep the 200 answer a worker just computed for a cached route, under what it was read. */
static void keep_answer(struct conn_state *st, uint64_t epoch)
{
    const struct request *req = &st->req;
    struct strbuf key = STRBUF_INIT;
    if (epoch && st->res.status == HTTP_OK && st->res.text && req->next_due != INT64_MIN &&
        req->auth.intp_id[0] && answer_key(st, &key)) {
        struct answer_basis basis = {epoch, req->clock, req->next_due};
        answer_cache_put(st->app->answers, key.buf, &basis, st->res.text, st->res.text_len);
    }
    strbuf_release(&key);
}

/* Print a JSON answer into its text (on the worker, not the HTTP thread). */
static void render(struct response *res)
{
    if (!res->body)
        return;
    char *text = cJSON_PrintUnformatted(res->body);
    if (!text) {
        cJSON_Delete(res->body);
        res->body = NULL;
        reply_error(res, ERR_INTERNAL, NULL, "out of memory");
        text = cJSON_PrintUnformatted(res->body);
        if (!text)
            return;
    }
    cJSON_Delete(res->body);
    res->body = NULL;
    res->text = text;
    res->text_len = strlen(text);
    res->content_type = "application/json";
}

/* The answer is in st->res: queue it, log the access line, free the answer. */
static enum MHD_Result finish(struct conn_state *st)
{
    int64_t us = time_mono_us() - st->start_us;
    if (st->app->journal) { /* before queue(): it hands the answer's text over */
        struct strbuf query = STRBUF_INIT;
        MHD_get_connection_values(st->conn, MHD_GET_ARGUMENT_KIND, add_arg, &query);
        journal_note(st->app->journal, &st->req, &st->res, query.len ? query.buf + 1 : NULL,
                     logged_intp(&st->req), us);
        strbuf_release(&query);
    }
    metrics_request(st->app->metrics, st->req.match.route, st->req.method, st->res.status, us);
    /* a fault's dropConnection: MHD_NO closes the connection without an answer */
    enum MHD_Result ret = st->req.fault.drop ? MHD_NO : queue(st, &st->res);
    log_request(st->req.method, st->req.path, st->res.status, us, st->request_id,
                logged_intp(&st->req));
    response_clear(&st->res);
    return ret;
}

/* fault_timer_add's fn: a delayed answer's time has come. */
static void resume_delayed(void *arg)
{
    struct conn_state *st = arg;
    MHD_resume_connection(st->conn);
}

/* work_fn: run the request on a worker, then hand the connection back to the HTTP thread (at
 * once, or from the fault timer when a fault rule delays the answer: no worker waits). */
/* The answer of a request a worker ran is rendered: hand the connection back, now or after its
 * fault's delay. */
static void hand_back(struct conn_state *st)
{
    st->req.db = NULL;
    st->ran = true;
    if (st->req.fault.delay_ms > 0)
        fault_timer_add(st->app->fault_timer, time_mono_us() + st->req.fault.delay_ms * 1000,
                        resume_delayed, st);
    else
        MHD_resume_connection(st->conn);
}

/* work_fn: run the request (or a batch of one lane's writes, in one transaction) on a worker. */
static void run_on_worker(struct work **batch, size_t n, struct db *db)
{
    struct conn_state *st = (struct conn_state *)batch[0];
    if (n == 1) {
        bool cached = st->req.match.route->cached;
        uint64_t epoch = cached ? db_change_epoch(db) : 0; /* before anything is read */
        st->req.db = db;
        dispatch_run(&st->req, &st->res);
        render(&st->res);
        if (cached && !st->req.fault.partner_has_rules) /* faults must meet every request */
            keep_answer(st, epoch);
        hand_back(st);
        return;
    }
    struct request *reqs[WORKERS_BATCH_MAX];
    struct response *res[WORKERS_BATCH_MAX];
    for (size_t i = 0; i < n; i++) {
        st = (struct conn_state *)batch[i];
        st->req.db = db;
        reqs[i] = &st->req;
        res[i] = &st->res;
    }
    dispatch_run_batch(reqs, res, n);
    for (size_t i = 0; i < n; i++) { /* after the commit: every answer is durable */
        st = (struct conn_state *)batch[i];
        render(&st->res);
        hand_back(st);
    }
}

/* workers_stop's drop: the grace period ran out before this request's turn. */
static void drop_queued(struct work *w)
{
    struct conn_state *st = (struct conn_state *)w;
    reply_error(&st->res, ERR_SHUTTING_DOWN, NULL, "the server is shutting down");
    st->ran = true;
    MHD_resume_connection(st->conn);
}

/* The request is complete: answer what needs no database at once (refusals, 404, 405), send
 * the rest to a worker. */
static enum MHD_Result answer(struct conn_state *st, const char *url, const char *method)
{
    struct request *req = &st->req;
    req->app = st->app;
    req->method = method;
    req->path = url;
    req->body = st->body.buf;
    req->body_len = st->body.len;
    req->header = lookup_header;
    req->query = lookup_query;
    req->ctx = st;
    st->res.request_id = st->request_id;
    if (st->early != ERR__COUNT)
        reply_error(&st->res, st->early, NULL, "%s", st->early_detail);
    else if (st->too_large)
        reply_error(&st->res, ERR_BODY_TOO_LARGE, NULL, "request body exceeds %zu bytes",
                    st->app->cfg.max_body);
    else if (!dispatch_match(req, &st->res) &&
             !(req->match.route->cached && answer_from_cache(st))) {
        st->work.lane = dispatch_lane(req, (uint64_t)(uintptr_t)st->conn);
        /* the partner API's writes share a transaction with those queued behind them */
        st->work.batchable = req->match.route->writes && req->match.route->auth == AUTH_INTP;
        MHD_suspend_connection(st->conn);
        workers_submit(st->app->workers, &st->work);
        return MHD_YES;
    }
    return finish(st);
}

/* MHD_KeyValueIterator: count the Content-Length headers. */
static enum MHD_Result count_lengths(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    (void)value;
    if (strcasecmp(key, "Content-Length") == 0)
        ++*(int *)cls;
    return MHD_YES;
}

/* MHD_KeyValueIterator: the first query argument's key, where libmicrohttpd left it. */
static enum MHD_Result first_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    (void)value;
    *(const char **)cls = key;
    return MHD_NO;
}

/* Whether the request target held a raw NUL byte, which libmicrohttpd 0.9.75 lets cut the path
 * short ("DELETE /v2/3as/customers/a<NUL>/x" would reach us as .../customers/a). It parses the
 * request line in place: the target runs from `url` to the space before `version`, with the '?'
 * and the query's separators overwritten by NULs and the arguments' keys and values pointing
 * into it. So the path is whole when it ends where the target ends, or where the query's first
 * key begins (one byte, the '?', between). */
static bool target_has_nul(struct conn_state *st, const char *url, const char *version)
{
    size_t path = strlen(url),
           target = version && version > url ? (size_t)(version - url) - 1 : path;
    const char *key = NULL;
    if (target <= path + 1) /* nothing after the path, or a bare '?' */
        return false;
    MHD_get_connection_values(st->conn, MHD_GET_ARGUMENT_KIND, first_arg, &key);
    return key != url + path + 1;
}

/* What can be refused from the request line and headers alone, before any body is read: a
 * too-long target (414), several Content-Length headers or a Transfer-Encoding other than
 * chunked (400), and a declared body over the cap when the client waits for "100 Continue" (413
 * instead, so nothing is uploaded). Returns the error, or ERR__COUNT. */
static enum error_id refuse_early(struct conn_state *st, const char *url, const char *version)
{
    const char *te = lookup_header(st, "Transfer-Encoding");
    const char *expect = lookup_header(st, "Expect");
    const char *length = lookup_header(st, "Content-Length");
    if (target_has_nul(st, url, version)) {
        snprintf(st->early_detail, sizeof(st->early_detail), "the request target holds a NUL byte");
        return ERR_BAD_FRAMING;
    }
    if (strlen(url) > MAX_URI) {
        snprintf(st->early_detail, sizeof(st->early_detail),
                 "the request target is longer than %d bytes", MAX_URI);
        return ERR_URI_TOO_LONG;
    }
    int lengths = 0;
    MHD_get_connection_values(st->conn, MHD_HEADER_KIND, count_lengths, &lengths);
    if (lengths > 1) { /* which one frames the body is ambiguous: request smuggling */
        snprintf(st->early_detail, sizeof(st->early_detail),
                 "give one Content-Length header, not %d", lengths);
        return ERR_BAD_FRAMING;
    }
    if (te && strcasecmp(te, "chunked") != 0) {
        snprintf(st->early_detail, sizeof(st->early_detail),
                 "Transfer-Encoding must be chunked (or absent)");
        return ERR_BAD_FRAMING;
    }
    if (expect && strcasecmp(expect, "100-continue") == 0 && length &&
        strtoull(length, NULL, 10) > st->app->cfg.max_body) {
        snprintf(st->early_detail, sizeof(st->early_detail), "request body exceeds %zu bytes",
                 st->app->cfg.max_body);
        return ERR_BODY_TOO_LARGE;
    }
    return ERR__COUNT;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct conn_state *st = *con_cls;
    if (st && st->ran)
        return finish(st);
    if (!st) {
        *con_cls = st = conn_state_new(cls, conn);
        st->early = refuse_early(st, url, version);
        /* answered now, the connection closes after it: nothing more is read */
        return st->early == ERR__COUNT ? MHD_YES : answer(st, url, method);
    }
    if (*upload_data_size) {
        body_append(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(st, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    if (*con_cls)
        conn_state_free(*con_cls);
    *con_cls = NULL;
}

/* Keep the path and query escaped: router.c and lookup_query() decode per segment / value, so
 * that an encoded '/' inside an id stays inside its segment. */
static size_t keep_escaped(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("http: %s", msg);
}

/* ---- open connections, for a shutdown that answers what was received ---- */

/* The sockets of the open connections: added and removed by the daemon's thread, read by the
 * one that stops it. At most --max-connections entries. */
struct open_conns {
    pthread_mutex_t lock;
    int *fds;
    size_t n, alloc;
};

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct open_conns *c = ((struct app *)cls)->conns;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    (void)socket_context;
    if (!info)
        return;
    pthread_mutex_lock(&c->lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        ALLOC_GROW(c->fds, c->n + 1, c->alloc);
        c->fds[c->n++] = info->connect_fd;
    } else {
        for (size_t i = 0; i < c->n; i++)
            if (c->fds[i] == info->connect_fd) {
                c->fds[i] = c->fds[--c->n];
                break;
            }
    }
    pthread_mutex_unlock(&c->lock);
}

/* Whether some open connection has bytes the daemon has not read yet: a request received but
 * not started. */
static bool unread_input(struct open_conns *c)
{
    bool pending = false;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n && !pending; i++) {
        int n = 0;
        pending = ioctl(c->fds[i], FIONREAD, &n) == 0 && n > 0;
    }
    pthread_mutex_unlock(&c->lock);
    return pending;
}

/* ---- start and stop ---- */

static int resolve_bind(const struct config *cfg, struct sockaddr_storage *addr, bool *ipv6)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICSERV | AI_PASSIVE, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    char port[8];
    snprintf(port, sizeof(port), "%d", cfg->port);
    int rc = getaddrinfo(cfg->bind, port, &hints, &res);
    if (rc != 0) {
        log_error("cannot resolve --bind %s: %s", cfg->bind, gai_strerror(rc));
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *ipv6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return 0;
}

/* The port a bound socket got (after --port 0). */
static int bound_port(int fd)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &len))
        return -1;
    if (addr.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    return ntohs(((struct sockaddr_in *)&addr)->sin_port);
}

int http_listen(struct app *app)
{
    struct sockaddr_storage addr;
    bool ipv6;
    int one = 1;
    if (resolve_bind(&app->cfg, &addr, &ipv6))
        return -1;
    int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(fd, (struct sockaddr *)&addr,
             ipv6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) ||
        listen(fd, SOMAXCONN)) {
        fprintf(stderr, "mock3as: cannot listen on %s port %d: %s\n", app->cfg.bind, app->cfg.port,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    app->listen_fd = fd;
    app->listen_ipv6 = ipv6;
    app->port = bound_port(fd);
    return 0;
}

int http_start(struct app *app)
{
    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (app->listen_ipv6)
        flags |= MHD_USE_IPv6;
    atomic_store(&app->stopping, false);
    app->workers = workers_start(&app->db, app->cfg.workers, run_on_worker);
    app->fault_timer = app->workers ? fault_timer_start() : NULL;
    if (!app->fault_timer) {
        workers_stop(app->workers, NULL);
        app->workers = NULL;
        return -1;
    }
    app->conns = xcalloc(1, sizeof(*app->conns));
    pthread_mutex_init(&app->conns->lock, NULL);
    app->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, app, MHD_OPTION_LISTEN_SOCKET,
        (MHD_socket)app->listen_fd, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONN_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.idle_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->cfg.max_per_ip, MHD_OPTION_END);
    if (!app->daemon) {
        log_error("cannot start the HTTP server on %s port %d", app->cfg.bind, app->port);
        workers_stop(app->workers, NULL);
        app->workers = NULL;
        fault_timer_stop(app->fault_timer);
        app->fault_timer = NULL;
        pthread_mutex_destroy(&app->conns->lock);
        free(app->conns);
        app->conns = NULL;
        return -1;
    }
    app->listen_fd = -1; /* the daemon's now */
    return 0;
}

/* Whether every request received so far has been answered: none in flight, no open connection
 * with unread bytes (a request waiting its turn while another was served), and none started or
 * finished for QUIET_US. A request whose headers are still arriving does not count as received:
 * its connection is closed at the stop. */
static bool drained(struct app *app)
{
    return atomic_load(&app->in_flight) == 0 &&
           time_mono_us() - atomic_load(&app->last_request_us) >= QUIET_US &&
           !unread_input(app->conns);
}

/* Hand the daemon every connection still waiting in the listen backlog: their clients have
 * connected and may have sent a request, which must be answered too. Returns how many. */
static int adopt_backlog(struct app *app, MHD_socket listener)
{
    int n = 0;
    fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK);
    for (;;) {
        struct sockaddr_storage addr;
        socklen_t len = sizeof(addr);
        int fd = accept(listener, (struct sockaddr *)&addr, &len);
        if (fd < 0)
            return n;
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (MHD_add_connection(app->daemon, fd, (struct sockaddr *)&addr, len) == MHD_YES)
            n++; /* the daemon closes it */
    }
}

void http_stop(struct app *app, int grace_ms)
{
    if (!app->daemon)
        return;
    atomic_store(&app->stopping, true);
    fault_timer_flush(app->fault_timer); /* delayed answers go now, later ones at once */
    /* stop accepting at once: a connection opened from now on is refused, not left hanging */
    MHD_socket listener = MHD_quiesce_daemon(app->daemon);
    if (listener != MHD_INVALID_SOCKET) {
        int adopted = adopt_backlog(app, listener);
        close(listener);
        if (adopted)
            log_info("shutdown: %d connection(s) from the backlog will be answered", adopted);
    }
    int64_t deadline = time_mono_us() + (int64_t)grace_ms * 1000;
    while (!drained(app) && time_mono_us() < deadline)
        usleep(2 * 1000);
    int left = atomic_load(&app->in_flight);
    if (left > 0)
        log_warn("shutdown grace of %d ms over: %d request(s) still running are dropped", grace_ms,
                 left);
    /* requests still queued get a 503; running ones finish first */
    workers_stop(app->workers, drop_queued);
    app->workers = NULL;
    fault_timer_stop(app->fault_timer); /* no connection is left suspended by a delay */
    app->fault_timer = NULL;
    /* idle keep-alive connections do not count: MHD_stop_daemon closes them */
    MHD_stop_daemon(app->daemon);
    app->daemon = NULL;
    pthread_mutex_destroy(&app->conns->lock);
    free(app->conns->fds);
    free(app->conns);
    app->conns = NULL;
}
