/* The admin API that is not about one partner: health and the global reset. */
#include "admin/fixtures.h"
#include "admin/admin.h"
#include "admin/fixtures.h"
#include "store/intps_db.h"
#include "util/util.h"

/* GET /healthz, GET /__admin/health -> 200 {status, version, uptimeSeconds, startupMs} */
enum http_status admin_health(struct request *req, struct response *res)
{
    const struct app *app = req->app;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "status", "ok");
    cJSON_AddStringToObject(body, "version", MOCK3AS_VERSION);
    cJSON_AddNumberToObject(body, "uptimeSeconds",
                            (double)((time_mono_us() - app->start_mono_us) / 1000000));
    cJSON_AddNumberToObject(body, "startupMs", (double)app->startup_ms);
    return reply_json(res, HTTP_OK, body);
}

/* POST /__admin/reset -> 200 {"payload": {"intps": [ids from the fixtures]}}: every partner and
 * everything below is deleted, then the fixtures are loaded again */
enum http_status admin_reset_all(struct request *req, struct response *res)
{
    struct app *app = req->app;
    if (intps_db_delete_all(req->db) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not delete the intps");
    app_forget_keys(app);
    cJSON *payload = cJSON_CreateObject();
    cJSON *ids = cJSON_AddArrayToObject(payload, "intps");
    if (fixtures_load(req->db, app->cfg.fixtures_dir, ids)) {
        cJSON_Delete(payload);
        /* the rollback restores the old partners; drop the keys the fixtures registered */
        app_forget_keys(app);
        return reply_error(res, ERR_INTERNAL, NULL, "could not load the fixtures (see the log)");
    }
    return reply_payload(res, HTTP_OK, payload);
}
