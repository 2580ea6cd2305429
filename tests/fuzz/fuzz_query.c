/* libFuzzer target of the data API's query parser and engine (data/analytics.c): the input is a
 * POST body, run as a session, page and raw-session query on a small synthetic site, as
 * data/data_api.c does after the body validator (which lets only objects of valid UTF-8
 * through). Checked: an answer is {"payload": [at most one page], "meta": {...}}; a refusal
 * names a field and, answered as the server does (reply_error), is valid UTF-8; a member of the
 * wrong type (other than null) is never accepted. */
#include <stdbool.h>

#include "data/analytics.h"
#include "data/synth.h"
#include "http/response.h"
#include "fuzz.h"

#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */

/* Members each view reads, and the type each must have (null aside). */
static const struct {
    const char *name;
    int type; /* cJSON_Object or cJSON_Array */
    bool raw, analytics;
} members[] = {
    {"dateRange", cJSON_Object, true, true},  {"previousDateRange", cJSON_Object, false, true},
    {"where", cJSON_Object, true, true},      {"order", cJSON_Array, true, true},
    {"pagination", cJSON_Object, true, true}, {"dimensions", cJSON_Array, false, true},
    {"metrics", cJSON_Array, false, true},    {"fields", cJSON_Array, true, false},
};

static void check_printed(const cJSON *json, const char *what)
{
    char *text = cJSON_PrintUnformatted(json);
    FUZZ_CHECK(text && utf8_valid(text), "%s is not valid UTF-8: %s", what, text ? text : "NULL");
    cJSON_free(text);
}

static void check_types(const cJSON *body, enum data_view view)
{
    for (size_t i = 0; i < ARRAY_SIZE(members); i++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, members[i].name);
        if (!m || cJSON_IsNull(m) || !(view == VIEW_RAW ? members[i].raw : members[i].analytics))
            continue;
        FUZZ_CHECK((m->type & 0xff) == members[i].type, "view %d accepted \"%s\" of cJSON type %d",
                   (int)view, members[i].name, m->type & 0xff);
    }
}

static void check_answer(const cJSON *answer, const cJSON *body, enum data_view view)
{
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(answer, "payload");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(answer, "meta");
    FUZZ_CHECK(cJSON_IsArray(payload) && cJSON_IsObject(meta), "view %d: no payload/meta",
               (int)view);
    FUZZ_CHECK(cJSON_GetArraySize(payload) <= DATA_PAGE_SIZE_MAX, "view %d: %d rows", (int)view,
               cJSON_GetArraySize(payload));
    check_types(body, view);
    check_printed(answer, "an answer");
}

static void run(const struct synth_site *site, enum data_view view, const cJSON *body)
{
    char err[300] = "", field[64] = ""; /* the sizes of data/data_api.c */
    cJSON *answer = data_query(site, view, body, NOW, err, sizeof(err), field, sizeof(field));
    if (answer) {
        check_answer(answer, body, view);
        cJSON_Delete(answer);
        return;
    }
    FUZZ_CHECK(*err && *field, "view %d: refused with message '%s', field '%s'", (int)view, err,
               field);
    struct response res = {0};
    reply_error(&res, ERR_VALIDATION, field, "%s", err);
    check_printed(res.body, "a 400 body");
    response_clear(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct synth_site site;
    if (!site.daily_base) /* the smallest volume: ~5 sessions a day */
        synth_site_init(&site, "6f1c2a9e-0000-4000-8000-00000000f022", "shop.example.com", 600, 0);
    cJSON *body = cJSON_ParseWithLength((const char *)data, size);
    if (cJSON_IsObject(body) && fuzz_all_utf8(body)) {
        run(&site, VIEW_SESSIONS, body);
        run(&site, VIEW_PAGES, body);
        run(&site, VIEW_RAW, body);
    }
    cJSON_Delete(body);
    return 0;
}
