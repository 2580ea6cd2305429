/* Subscriptions: how one starts, how its consumption renders, and its store. */
#include "billing/subscriptions.h"

#include <stdio.h>
#include <string.h>

#include "billing/calendar.h"

void subscription_start(struct subscription *s, const struct package *pkg,
                        const struct package *fallback, int64_t anchor, int64_t now)
{
    snprintf(s->package_id, sizeof(s->package_id), "%s", pkg->id);
    strcpy(s->status, "active");
    s->created_at = now;
    s->last_package_change_at = -1;
    s->planned_package_id[0] = '\0';
    memset(s->usage, 0, sizeof(s->usage));
    if (strcmp(pkg->name, UFT_PACKAGE_NAME) == 0) {
        s->in_trial = s->had_trial = true;
        s->billing_anchor = s->period_start = now;
        s->trial_ends_at = s->expires_at = s->stp_reset_at = now + UFT_DAYS * DAY_SECONDS;
        snprintf(s->trial_fallback_id, sizeof(s->trial_fallback_id), "%s",
                 fallback ? fallback->id : "");
        return;
    }
    int step = strcmp(pkg->period, "yearly") == 0 ? 12 : 1;
    s->in_trial = s->had_trial = false;
    s->trial_ends_at = -1;
    s->trial_fallback_id[0] = '\0';
    s->billing_anchor = anchor;
    s->period_start = cal_last_at_or_before(anchor, step, now);
    s->expires_at = cal_next_after(anchor, step, now);
    s->stp_reset_at = cal_next_after(anchor, 1, now);
}

#define USAGE_NAME(id, name, rate) name,
#define USAGE_RATE(id, name, rate) rate,
static const char *const usage_names[] = {FOR_EACH_USAGE(USAGE_NAME)};
static const int64_t usage_rate_tenths[] = {FOR_EACH_USAGE(USAGE_RATE)};

int64_t usage_consumed_tenths(const int64_t usage[USAGE__COUNT])
{
    int64_t total = 0;
    for (int i = 0; i < USAGE__COUNT; i++)
        total += usage[i] * usage_rate_tenths[i];
    return total;
}

void usage_add_json(cJSON *obj, const int64_t usage[USAGE__COUNT], int64_t limit)
{
    char key[64];
    cJSON *c = cJSON_AddObjectToObject(obj, "consumption");
    cJSON_AddNumberToObject(c, "stpLimit", (double)limit);
    cJSON_AddNumberToObject(c, "stpConsumed", (double)usage_consumed_tenths(usage) / 10.0);
    for (int i = 0; i < USAGE__COUNT; i++) {
        snprintf(key, sizeof(key), "stpRate%s", usage_names[i]);
        cJSON_AddNumberToObject(c, key, (double)usage_rate_tenths[i] / 10.0);
        snprintf(key, sizeof(key), "stpConsumed%s", usage_names[i]);
        cJSON_AddNumberToObject(c, key, (double)(usage[i] * usage_rate_tenths[i]) / 10.0);
    }
}

enum db_result subscriptions_db_of_customer(struct db *db, const char *customer_id, char *id)
{
    sqlite3_stmt *st = db_stmt(db, STMT_SUBSCRIPTION_OF_CUSTOMER,
                               "SELECT id FROM subscriptions WHERE customer_id = ?1");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, customer_id);
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK)
        db_column_copy(st, 0, id, 37);
    db_done(st);
    return r;
}
