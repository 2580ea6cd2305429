/* The one struct handed to every layer: configuration, database, keys, token cache, timings.
 * No globals: two apps can run in one process. */
#ifndef MOCK3AS_APP_H
#define MOCK3AS_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "auth/token_cache.h"
#include "util/config.h"
#include "store/db.h"
#include "auth/keypool.h"
#include "auth/keys.h"
#include "http/router.h"

struct MHD_Daemon;
struct open_conns;
struct workers;
struct answer_cache;
struct journal;
struct metrics;
struct faults;
struct fault_timer;

struct app {
    struct config cfg;
    struct db db;
    struct keystore *keys;      /* partner id -> public key, loaded from intps on first use */
    struct token_cache *tokens; /* verified bearer tokens */
    struct keypool *keypool;    /* RSA pairs generated ahead (onboarding, the mock's key) */
    EVP_PKEY *mock_key; /* the mock's own RSA key (API-key login tokens), see app_mock_key */
    pthread_mutex_t mock_key_lock;
    const struct route *routes; /* the table served (src/routes.c) */
    struct MHD_Daemon *daemon;
    struct workers *workers;         /* the threads that run requests (http/workers.h) */
    struct answer_cache *answers;    /* kept read answers (http/answer_cache.h) */
    struct journal *journal;         /* the request journal (http/journal.h); NULL: --no-journal */
    struct metrics *metrics;         /* the counters of GET /metrics (http/metrics.h) */
    struct faults *faults;           /* fault-injection rules, per process (http/faults.h) */
    struct fault_timer *fault_timer; /* delayed answers (http/fault_timer.h), while serving */
    struct open_conns *conns;        /* the sockets of open connections (http.c), for shutdown */
    atomic_bool stopping;            /* set by http_stop: answers close their connection */
    atomic_int in_flight;            /* requests between their first callback and completion */
    _Atomic int64_t last_request_us; /* monotonic time a request last started or finished */
    struct id_stream request_ids;    /* used by the HTTP thread only (http.c) */
    int listen_fd; /* http_listen()'s socket until http_start() hands it over, else -1 */
    bool listen_ipv6;
    int port;              /* the bound port (after --port 0) */
    char public_url[512];  /* --public-url, or http://BIND:PORT */
    int64_t start_mono_us; /* process start, for uptime and start-up time */
    int64_t startup_ms;    /* exec to ready */
};

/* Set the app up to serve `routes` (src/routes.c); `cfg` is moved into the app. Opens nothing:
 * see app_open_db. Returns 0, or -1 (logged; call app_release anyway). */
int app_init(struct app *app, struct config *cfg, const struct route *routes,
             int64_t start_mono_us);

/* Open (and migrate, and check) the database of cfg.db_path. Returns 0, or -1 (logged). */
int app_open_db(struct app *app);

/* The mock's own signing key: loaded from the database through `db` (the calling thread's
 * connection), or generated and stored on first use (inside the caller's transaction).
 * Borrowed (it lives as long as the app); NULL (logged) on failure. */
EVP_PKEY *app_mock_key(struct app *app, struct db *db);

/* Release everything the app owns (the HTTP daemon must be stopped first). */
void app_release(struct app *app);

/* Forget every parsed key and cached token (after partners were removed or a transaction that
 * touched them rolled back); keys load again from the database on first use. */
void app_forget_keys(struct app *app);

#endif
