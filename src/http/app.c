/* The application: database, keystore, token cache and fixtures, set up before the HTTP
 * server starts and released after it stops. */
#include "http/app.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/answer_cache.h"
#include "http/journal.h"
#include "http/metrics.h"
#include "http/faults.h"
#include "store/intps_db.h"
#include "util/log.h"
#include "util/util.h"

#define TOKEN_CACHE_SLOTS 4096
#define KEYPOOL_READY     4 /* pairs kept ready once a first one was asked for */

/* keystore_load_fn: the stored public key of partner `id`, parsed, read through the calling
 * thread's connection `ctx`; NULL when unknown. */
static EVP_PKEY *load_intp_key(void *ctx, const char *id)
{
    struct db *db = ctx;
    struct intp p;
    if (intps_db_get(db, id, &p) != DB_OK)
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
    app->keys = keystore_new(load_intp_key);
    pthread_mutex_init(&app->mock_key_lock, NULL);
    app->tokens = token_cache_new(TOKEN_CACHE_SLOTS);
    app->keypool = keypool_new(KEYPOOL_READY);
    app->answers = answer_cache_new();
    app->journal = app->cfg.no_journal
                       ? NULL
                       : journal_new((size_t)app->cfg.journal_entries, app->cfg.journal_bytes);
    app->metrics = metrics_new(routes);
    app->faults = faults_new();
    id_stream_seed(&app->request_ids);
    return 0;
}

int app_open_db(struct app *app)
{
    if (db_open(&app->db, app->cfg.db_path))
        return -1;
    if (db_checkpoint_in_background(&app->db))
        log_warn("sqlite: no background checkpointer: commits checkpoint the WAL themselves");
    return 0;
}

EVP_PKEY *app_mock_key(struct app *app, struct db *db)
{
    char *pem = NULL;
    pthread_mutex_lock(&app->mock_key_lock);
    if (app->mock_key)
        goto out;
    if (db_setting_get(db, "signing_key", &pem) == DB_OK) {
        app->mock_key = keys_parse_private_pem(pem);
    } else {
        EVP_PKEY *key = keypool_take(app->keypool);
        char *fresh = key ? keys_private_pem(key) : NULL;
        if (fresh && db_setting_set(db, "signing_key", fresh) == DB_OK)
            app->mock_key = key;
        else
            EVP_PKEY_free(key);
        free(fresh);
    }
    free(pem);
    if (!app->mock_key)
        log_error("could not load or create the mock's signing key");
out:
    pthread_mutex_unlock(&app->mock_key_lock);
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
    pthread_mutex_destroy(&app->mock_key_lock);
    token_cache_free(app->tokens);
    answer_cache_free(app->answers);
    journal_free(app->journal);
    metrics_free(app->metrics);
    faults_free(app->faults);
    keypool_free(app->keypool);
    config_release(&app->cfg);
    memset(app, 0, sizeof(*app));
}
