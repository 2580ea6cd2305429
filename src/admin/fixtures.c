/* Fixtures: the demo partners of <dir>/intps.json, onboarded like POST /__admin/intps, then the
 * partner snapshots of <dir>/snapshots/ (seeds), restored like POST /__admin/snapshots. */
#include "admin/fixtures.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/snapshot.h"
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

/* ---- seeds: snapshots/<name>.json ---- */

/* Move every time of `s` by `delta` seconds. */
static void shift_times(struct snapshot *s, int64_t delta)
{
    for (int t = 0; t < SNAP__TABLES; t++)
        for (size_t row = 0; row < s->tables[t].nrows; row++) {
            struct snapshot_value *v = snapshot_row(s, (enum snapshot_table_id)t, row);
            for (size_t c = 0; c < snapshot_tables[t].ncolumns; c++)
                if (snapshot_tables[t].columns[c].kind == SNAP_TIME && !v[c].null)
                    v[c].i += delta;
        }
}

/* The seconds from `then` to `now`, rounded down to whole days (negative when then > now). */
static int64_t whole_days_since(int64_t then, int64_t now)
{
    int64_t d = now - then;
    return (d >= 0 ? d / 86400 : -((86399 - d) / 86400)) * 86400;
}

/* Log the error `res` holds for seed `name`. */
static void log_refused(const char *name, const struct response *res)
{
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(res->body, "message");
    log_error("fixtures: snapshots/%s refused: %s", name,
              cJSON_IsString(message) ? message->valuestring : "(no message)");
}

/* Restore seed `doc` (a snapshot, or {"asOf": time, "payload": snapshot}: its times then move by
 * whole days so that asOf falls on today) as the partner it was taken from. */
static int restore_seed(struct db *db, const char *name, cJSON *doc, cJSON *ids)
{
    struct snapshot s = {0};
    struct response res = {0};
    bool existed;
    int64_t as_of = -1;
    int rc = -1;
    const cJSON *when = cJSON_GetObjectItemCaseSensitive(doc, "asOf");
    if (when && (!cJSON_IsString(when) || time_parse(when->valuestring, &as_of))) {
        log_error("fixtures: snapshots/%s: asOf must be an RFC 3339 time", name);
        return -1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "asOf");
    if (snapshot_parse_or_reply(doc, &s, &res)) {
        log_refused(name, &res);
        goto out;
    }
    if (as_of >= 0)
        shift_times(&s, whole_days_since(as_of, time_now()));
    const char *id = snapshot_row(&s, SNAP_INTPS, 0)[0].s;
    if (snapshot_restore_or_reply(db, id, &s, &existed, &res)) {
        log_refused(name, &res);
        goto out;
    }
    log_info("fixtures: restored intp %s from snapshots/%s", id, name);
    if (ids && !existed)
        cJSON_AddItemToArray(ids, cJSON_CreateString(id));
    rc = 0;
out:
    response_clear(&res);
    snapshot_release(&s);
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json names in <dir>/snapshots, sorted (a new array of new strings, *n of them). */
static char **seed_names(const char *dir, size_t *n)
{
    char path[4096];
    char **names = NULL;
    size_t alloc = 0;
    struct dirent *e;
    *n = 0;
    snprintf(path, sizeof(path), "%s/snapshots", dir);
    DIR *d = opendir(path);
    if (!d)
        return NULL;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 5 && e->d_name[0] != '.' && strcmp(e->d_name + len - 5, ".json") == 0) {
            ALLOC_GROW(names, *n + 1, alloc);
            names[(*n)++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof(*names), compare_names);
    return names;
}

/* Restore every seed of <dir>/snapshots, in name order; *n says how many there are. */
static int load_seeds(struct db *db, const char *dir, cJSON *ids, size_t *n)
{
    char sub[4200];
    char **names = seed_names(dir, n);
    int rc = 0;
    snprintf(sub, sizeof(sub), "%s/snapshots", dir);
    for (size_t i = 0; i < *n; i++) {
        char *text = rc ? NULL : read_file(sub, names[i]);
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        if (rc == 0 && !cJSON_IsObject(doc)) {
            log_error("fixtures: snapshots/%s: %s", names[i],
                      text ? "not a JSON object" : strerror(errno));
            rc = -1;
        }
        if (rc == 0)
            rc = restore_seed(db, names[i], doc, ids);
        cJSON_Delete(doc);
        free(text);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Onboard every entry of <dir>/intps.json; *found says whether there is one. */
static int onboard_listed(struct db *db, const char *dir, cJSON *ids, bool *found)
{
    char *text = read_file(dir, "intps.json");
    *found = text != NULL;
    if (!text)
        return 0;
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

int fixtures_load(struct db *db, const char *dir, cJSON *ids)
{
    bool listed;
    size_t seeds = 0;
    if (!dir)
        return 0;
    int rc = onboard_listed(db, dir, ids, &listed);
    if (rc == 0)
        rc = load_seeds(db, dir, ids, &seeds);
    if (rc == 0 && !listed && seeds == 0)
        log_warn("fixtures: neither %s/intps.json nor %s/snapshots/<name>.json: starting with no "
                 "partner",
                 dir, dir);
    return rc;
}
