/* The application: database, keystore, token cache and fixtures, set up before the HTTP
 * server starts and released after it stops. */
#include "app.h"

#include <string.h>

#include "fixtures.h"
#include "intps_db.h"
#include "log.h"
#include "routes.h"
#include "util.h"

#define TOKEN_CACHE_SLOTS 4096

static int load_key(const struct intp *p, void *ctx)
{
    struct app *app = ctx;
    EVP_PKEY *key = keys_parse_public_pem(p->public_key);
    if (!key) {
        log_error("intp %s: stored public key does not parse", p->id);
        return -1;
    }
    keystore_put(app->keys, p->id, key);
    return 0;
}

int app_load_keys(struct app *app)
{
    return intps_db_foreach(&app->db, load_key, app) == DB_OK ? 0 : -1;
}

/* Onboard the fixtures into a database that was just created. */
static int load_fixtures(struct app *app)
{
    if (db_begin(&app->db))
        return -1;
    if (fixtures_load(app, NULL)) {
        db_rollback(&app->db);
        return -1;
    }
    return db_commit(&app->db);
}

int app_init(struct app *app, struct config *cfg, int64_t start_mono_us)
{
    memset(app, 0, sizeof(*app));
    app->cfg = *cfg;
    memset(cfg, 0, sizeof(*cfg));
    app->start_mono_us = start_mono_us;
    app->routes = routes_table();
    app->keys = keystore_new();
    app->tokens = token_cache_new(TOKEN_CACHE_SLOTS);
    if (db_open(&app->db, app->cfg.db_path))
        return -1;
    if (app->db.was_new && load_fixtures(app))
        return -1;
    return app_load_keys(app);
}

void app_release(struct app *app)
{
    if (app->db.conn)
        db_close(&app->db);
    keystore_free(app->keys);
    token_cache_free(app->tokens);
    config_release(&app->cfg);
    memset(app, 0, sizeof(*app));
}
