/* Unit tests of admin/history.c's transition_write_json: the text it writes is the one
 * cJSON_PrintUnformatted prints for the same transition built as a tree, field for field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/history.h"
#include "tap.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/util.h"

/* The transition as the clock answer showed it when it was built as a cJSON tree. */
static char *as_tree(const struct transition *t)
{
    const struct sub_event *ev = &t->ev;
    cJSON *o = cJSON_CreateObject();
    json_add_time(o, "at", ev->at);
    cJSON_AddStringToObject(o, "action", sub_event_name(ev->kind));
    cJSON_AddStringToObject(o, "subscriptionId", t->subscription_id);
    cJSON_AddStringToObject(o, "type", t->type);
    json_add_string_or_null(o, "fromPackageId",
                            ev->from_package_id[0] ? ev->from_package_id : NULL);
    json_add_string_or_null(o, "toPackageId", ev->to_package_id[0] ? ev->to_package_id : NULL);
    json_add_string_or_null(o, "statusBefore", sub_status_name(ev->status_before));
    cJSON_AddStringToObject(o, "statusAfter", sub_status_name(ev->status_after));
    cJSON_AddNumberToObject(o, "periods", (double)ev->periods);
    json_add_time(o, "until", ev->periods > 1 ? ev->until_at : -1);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static void check(const char *what, const struct transition *t)
{
    struct strbuf sb = STRBUF_INIT;
    char *want = as_tree(t);
    transition_write_json(&sb, t);
    cJSON *back = cJSON_Parse(sb.buf);
    ok(want && strcmp(sb.buf, want) == 0 && cJSON_IsObject(back), "%s: %s", what, sb.buf);
    if (want && strcmp(sb.buf, want) != 0)
        printf("# cJSON: %s\n", want);
    cJSON_Delete(back);
    cJSON_free(want);
    strbuf_release(&sb);
}

int main(void)
{
    struct transition t = {0};
    snprintf(t.subscription_id, sizeof(t.subscription_id), "0f8a3c2e-1111-4a2b-9c3d-5e6f7a8b9c0d");
    snprintf(t.type, sizeof(t.type), "website");
    t.ev = (struct sub_event){.at = 1795341600,
                              .kind = EV_RENEWAL,
                              .status_before = SUB_ACTIVE,
                              .status_after = SUB_ACTIVE,
                              .credit_cents = -1,
                              .charge_cents = -1,
                              .periods = 12,
                              .until_at = 1824199200};
    snprintf(t.ev.from_package_id, sizeof(t.ev.from_package_id), "pkg-basic-monthly");
    snprintf(t.ev.to_package_id, sizeof(t.ev.to_package_id), "pkg-basic-monthly");
    check("folded renewals", &t);
    t.ev.periods = 1;
    check("one renewal: until is null", &t);
    t.ev.kind = EV_DOWNGRADE_APPLIED;
    t.ev.to_package_id[0] = '\0';
    snprintf(t.type, sizeof(t.type), "intpc");
    check("no target package: null", &t);
    t.ev.kind = EV_CREATED;
    t.ev.status_before = SUB_STATUS_NONE;
    t.ev.from_package_id[0] = '\0';
    check("no status before: null", &t);
    snprintf(t.ev.from_package_id, sizeof(t.ev.from_package_id), "odd \"id\"\\\t\x01 caf\xc3\xa9");
    t.ev.periods = 3000000000LL;
    t.ev.at = 253402300799LL;
    check("escapes, a large count, the last second of 9999", &t);
    return done_testing();
}
