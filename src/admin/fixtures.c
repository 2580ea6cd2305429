/* Fixtures: the demo partners of fixtures/intps.json, onboarded like POST /__admin/intps. */
#include "admin/fixtures.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "util/log.h"
#include "util/util.h"

#define MAX_FIXTURE_FILE (4 << 20)

/* Read <dir>/<name> into a new NUL-terminated string, or NULL (errno kept). */
static char *read_file(const char *dir, const char *name)
{
    char path[4096];
    size_t n = strlen(dir);
    snprintf(path, sizeof(path), "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = xmalloc(MAX_FIXTURE_FILE + 1);
    size_t len = fread(buf, 1, MAX_FIXTURE_FILE + 1, f);
    fclose(f);
    if (len > MAX_FIXTURE_FILE) {
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* Replace entry[file_key] (a path) with entry[pem_key] (the file's text). */
static int inline_key_file(const char *dir, cJSON *entry, const char *file_key, const char *pem_key)
{
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(entry, file_key);
    if (!file)
        return 0;
    char *pem = cJSON_IsString(file) ? read_file(dir, file->valuestring) : NULL;
    if (!pem) {
        log_error("fixtures: %s: cannot read '%s': %s", file_key,
                  cJSON_IsString(file) ? file->valuestring : "(not a string)", strerror(errno));
        return -1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(entry, file_key);
    cJSON_AddStringToObject(entry, pem_key, pem);
    free(pem);
    return 0;
}

static int onboard_entry(struct app *app, cJSON *entry, cJSON *ids)
{
    struct response res = {.request_id = "fixtures"};
    const char *dir = app->cfg.fixtures_dir;
    int rc = -1;
    if (!cJSON_IsObject(entry)) {
        log_error("fixtures: intps.json entries must be objects");
        return -1;
    }
    if (inline_key_file(dir, entry, "publicKeyFile", "publicKey") ||
        inline_key_file(dir, entry, "privateKeyFile", "privateKey"))
        return -1;
    if (intps_onboard(app, entry, &res) != HTTP_CREATED) {
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(res.body, "message");
        log_error("fixtures: intp rejected: %s", cJSON_IsString(msg) ? msg->valuestring : "?");
        goto out;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res.body, "payload"), "id");
    log_info("fixtures: onboarded intp %s", id->valuestring);
    if (ids)
        cJSON_AddItemToArray(ids, cJSON_CreateString(id->valuestring));
    rc = 0;
out:
    response_clear(&res);
    return rc;
}

int fixtures_load(struct app *app, cJSON *ids)
{
    const char *dir = app->cfg.fixtures_dir;
    if (!dir)
        return 0;
    char *text = read_file(dir, "intps.json");
    if (!text) {
        log_warn("fixtures: no %s/intps.json (%s): starting with no partner", dir, strerror(errno));
        return 0;
    }
    cJSON *list = cJSON_Parse(text), *entry;
    free(text);
    int rc = cJSON_IsArray(list) ? 0 : -1;
    if (rc)
        log_error("fixtures: %s/intps.json must be a JSON array", dir);
    cJSON_ArrayForEach (entry, list) {
        if (rc == 0)
            rc = onboard_entry(app, entry, ids);
    }
    cJSON_Delete(list);
    return rc;
}
