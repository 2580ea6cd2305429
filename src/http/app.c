/* The application: database, keystore, token cache and fixtures, set up before the HTTP
 * server starts and released after it stops. */
#include "http/app.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/intps_db.h"
#include "util/log.h"
#include "util/util.h"

#define TOKEN_CACHE_SLOTS 4096
#define KEYPOOL_READY     4 /* pairs kept ready once a first one was asked for */

/* keystore_load_fn: the stored public key of partner `id`, parsed; NULL when unknown. */
static EVP_PKEY *load_intp_key(void *ctx, const char *id)
{
    struct app *app = ctx;
    struct intp p;
    if (intps_db_get(&app->db, id, &p) != DB_OK)
        return NULL;
    EVP_PKEY *key = keys_parse_public_pem(p.public_key);
    if (!key)
        log_error("intp %s: stored public key does not parse", p.id);
    intp_release(&p);
    return key;
}

void app_forget_keys(struct app *app)
{
    keystore_clear(app->keys);
    token_cache_clear(app->tokens);
}

int app_init(struct app *app, struct config *cfg, const struct route *routes, int64_t start_mono_us)
{
    memset(app, 0, sizeof(*app));
    app->cfg = *cfg;
    memset(cfg, 0, sizeof(*cfg));
    app->start_mono_us = start_mono_us;
    app->listen_fd = -1;
    app->routes = routes;
    app->keys = keystore_new(load_intp_key, app);
    app->tokens = token_cache_new(TOKEN_CACHE_SLOTS);
    app->keypool = keypool_new(KEYPOOL_READY);
    return 0;
}

int app_open_db(struct app *app)
{
    return db_open(&app->db, app->cfg.db_path);
}

EVP_PKEY *app_mock_key(struct app *app)
{
    char *pem = NULL;
    if (app->mock_key)
        return app->mock_key;
    if (db_setting_get(&app->db, "signing_key", &pem) == DB_OK) {
        app->mock_key = keys_parse_private_pem(pem);
    } else {
        EVP_PKEY *key = keypool_take(app->keypool);
        char *fresh = key ? keys_private_pem(key) : NULL;
        if (fresh && db_setting_set(&app->db, "signing_key", fresh) == DB_OK)
            app->mock_key = key;
        else
            EVP_PKEY_free(key);
        free(fresh);
    }
    free(pem);
    if (!app->mock_key)
        log_error("could not load or create the mock's signing key");
    return app->mock_key;
}

void app_release(struct app *app)
{
    if (app->listen_fd >= 0)
        close(app->listen_fd);
    if (app->db.conn)
        db_close(&app->db);
    keystore_free(app->keys);
    EVP_PKEY_free(app->mock_key);
    token_cache_free(app->tokens);
    keypool_free(app->keypool);
    config_release(&app->cfg);
    memset(app, 0, sizeof(*app));
}
