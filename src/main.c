/* mock3as: parse the configuration, open the app, serve HTTP until SIGINT/SIGTERM, then stop
 * gracefully and exit 0. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "admin/fixtures.h"
#include "billing/purge.h"
#include "http/app.h"
#include "http/healthcheck.h"
#include "http/http.h"
#include "store/intps_db.h"
#include "util/log.h"
#include "routes.h"
#include "util/util.h"

#define MAX_HINTS 3

/* Refuse a non-loopback bind with an open admin API unless --insecure-admin says so. */
static int check_admin_exposure(const struct config *cfg)
{
    if (cfg->admin_token || cfg->insecure_admin || config_bind_is_loopback(cfg->bind))
        return 0;
    fprintf(stderr,
            "mock3as: refusing to bind %s without --admin-token: anyone who can reach it could "
            "create partners and mint their tokens. Set --admin-token (MOCK3AS_ADMIN_TOKEN), or "
            "pass --insecure-admin to accept that.\n",
            cfg->bind);
    return -1;
}

static void set_public_url(struct app *app)
{
    const char *host = app->cfg.bind;
    if (app->cfg.public_url)
        snprintf(app->public_url, sizeof(app->public_url), "%s", app->cfg.public_url);
    else if (strchr(host, ':'))
        snprintf(app->public_url, sizeof(app->public_url), "http://[%s]:%d", host, app->port);
    else
        snprintf(app->public_url, sizeof(app->public_url), "http://%s:%d", host, app->port);
}

struct hint_walk {
    const struct app *app;
    int shown;
};

/* Print, for the first MAX_HINTS partners whose private key the mock holds, how to get a
 * token. */
static int print_hint(const struct intp *p, void *ctx)
{
    struct hint_walk *w = ctx;
    const char *admin = w->app->cfg.admin_token;
    if (!p->private_key || w->shown >= MAX_HINTS)
        return 0;
    w->shown++;
    /* never the token itself: the banner ends up in container and CI logs */
    printf("partner %s (%s, %s subscriptions): get a token with\n"
           "  curl -s %s/__admin/intps/%s/tokens%s --json '{\"role\":\"intp\"}'\n",
           p->id, p->name, p->subscription_type, w->app->public_url, p->id,
           admin ? " -H \"Authorization: Bearer $MOCK3AS_ADMIN_TOKEN\"" : "");
    return 0;
}

/* SIGINT and SIGTERM, blocked in every thread (they inherit the mask: block it before the first
 * one starts, the database's checkpointer) so that only serve()'s sigwait() takes them. */
static void block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int serve(struct app *app, const sigset_t *stop_signals)
{
    int sig = 0;
    set_public_url(app);
    printf("listening on %s\n", app->public_url);
    /* before the workers start: with ":memory:" one of them takes over this connection */
    struct hint_walk walk = {app, 0};
    intps_db_foreach(&app->db, print_hint, &walk);
    fflush(stdout);
    if (http_start(app))
        return -1;
    app->startup_ms = (time_mono_us() - app->start_mono_us + 500) / 1000;
    log_info("mock3as %s ready in %lld ms (db %s, profile %s, %d workers)", MOCK3AS_VERSION,
             (long long)app->startup_ms, app->cfg.db_path,
             app->cfg.profile == PROFILE_OBSERVED ? "observed" : "intended", app->cfg.workers);
    sigwait(stop_signals, &sig);
    log_info("%s: stopping (finishing in-flight requests)", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(app, app->cfg.shutdown_grace_ms);
    return 0;
}

/* Onboard the fixtures into a database this process just created, in one transaction. */
static int load_fixtures(struct app *app)
{
    if (!app->db.was_new)
        return 0;
    if (db_begin(&app->db))
        return -1;
    if (fixtures_load(&app->db, app->cfg.fixtures_dir, NULL)) {
        db_rollback(&app->db);
        return -1;
    }
    return db_commit(&app->db);
}

/* Finish the partner purges a crash or a stop cut short (their partners are invisible already:
 * only their rows remain). Never stops the start: what fails is tried again at the next one. */
static int purge_leftovers(struct app *app)
{
    if (db_begin(&app->db) == 0) {
        if (tenant_purge_leftovers(&app->db) == 0 && db_commit(&app->db) == 0)
            return 0;
        db_rollback(&app->db);
    }
    log_warn("could not finish the purge of deleted partners; trying again at the next start");
    return 0;
}

static const char *env_lookup(const char *name)
{
    return getenv(name);
}

int main(int argc, char **argv)
{
    int64_t start = time_mono_us();
    struct config cfg;
    struct app app;
    char err[512];
    int rc = 1;
    if (config_parse(&cfg, argc, argv, env_lookup, err, sizeof(err))) {
        fprintf(stderr, "mock3as: %s\n", err);
        config_release(&cfg);
        return 2;
    }
    if (cfg.check_health) {
        rc = healthcheck_run(cfg.check_health);
        config_release(&cfg);
        return rc;
    }
    if (cfg.help || cfg.version) {
        if (cfg.help)
            config_usage(stdout);
        else
            printf("mock3as %s\n", MOCK3AS_VERSION);
        config_release(&cfg);
        return 0;
    }
    log_setup(cfg.log_level, cfg.log_format);
    if (check_admin_exposure(&cfg)) {
        config_release(&cfg);
        return 2;
    }
    sigset_t stop_signals;
    block_stop_signals(&stop_signals);
    /* the port first: a port in use fails before the database is created */
    if (app_init(&app, &cfg, routes_table(), start) == 0 && http_listen(&app) == 0 &&
        app_open_db(&app) == 0 && load_fixtures(&app) == 0 && purge_leftovers(&app) == 0 &&
        serve(&app, &stop_signals) == 0)
        rc = 0;
    app_release(&app);
    log_info("stopped");
    return rc;
}
