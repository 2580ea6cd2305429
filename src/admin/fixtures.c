/* Fixtures: the demo partners of fixtures/intps.json, onboarded like POST /__admin/intps. */
#include "admin/fixtures.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/onboard.h"
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

/* Read the fixture entry into *in (strings borrowed from entry). */
static int read_entry(const cJSON *entry, struct onboarding *in)
{
    static const struct {
        const char *key;
        size_t offset;
    } strings[] = {
        {"id", offsetof(struct onboarding, id)},
        {"name", offsetof(struct onboarding, name)},
        {"address", offsetof(struct onboarding, address)},
        {"subscriptionType", offsetof(struct onboarding, subscription_type)},
        {"billingMode", offsetof(struct onboarding, billing_mode)},
        {"publicKey", offsetof(struct onboarding, public_key)},
        {"privateKey", offsetof(struct onboarding, private_key)},
    };
    *in = (struct onboarding){0};
    for (size_t i = 0; i < ARRAY_SIZE(strings); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, strings[i].key);
        if (v && !cJSON_IsString(v)) {
            log_error("fixtures: %s must be a string", strings[i].key);
            return -1;
        }
        if (v && *v->valuestring)
            *(const char **)((char *)in + strings[i].offset) = v->valuestring;
    }
    const cJSON *onboarding = cJSON_GetObjectItemCaseSensitive(entry, "websiteOnboarding");
    in->website_onboarding = cJSON_IsTrue(onboarding);
    return 0;
}

static int onboard_entry(struct db *db, const char *dir, cJSON *entry, cJSON *ids)
{
    struct onboarding in;
    struct onboarded done;
    struct outcome o;
    if (!cJSON_IsObject(entry)) {
        log_error("fixtures: intps.json entries must be objects");
        return -1;
    }
    if (inline_key_file(dir, entry, "publicKeyFile", "publicKey") ||
        inline_key_file(dir, entry, "privateKeyFile", "privateKey") || read_entry(entry, &in))
        return -1;
    if (intp_onboard(db, &in, time_now(), &done, &o)) {
        log_error("fixtures: intp rejected: %s", o.message);
        return -1;
    }
    log_info("fixtures: onboarded intp %s", done.intp.id);
    if (ids)
        cJSON_AddItemToArray(ids, cJSON_CreateString(done.intp.id));
    onboarded_release(&done);
    return 0;
}

int fixtures_load(struct db *db, const char *dir, cJSON *ids)
{
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
            rc = onboard_entry(db, dir, entry, ids);
    }
    cJSON_Delete(list);
    return rc;
}
