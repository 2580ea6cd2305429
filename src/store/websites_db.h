/* Store of websites: SQL only. A "view" joins a website with its owner, its subscription (its
 * own or the owner's), the packages involved and the partner's billing mode: everything the
 * Website entity of contract §4.3 shows. */
#ifndef MOCK3AS_WEBSITES_DB_H
#define MOCK3AS_WEBSITES_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "store/customers_db.h"
#include "store/db.h"
#include "store/subscriptions_db.h"
#include "util/util.h"

struct website {
    char id[UUID_SIZE]; /* 3AS uuid */
    char intp_id[INTP_ID_SIZE];
    char intp_website_id[MAX_EXTERNAL_ID + 1];
    char customer_id[UUID_SIZE]; /* owner, 3AS id */
    char domain[MAX_EXTERNAL_ID + 1];
    int64_t privacy_level; /* -1: not given */
    char subscription_id[UUID_SIZE];
    int64_t created_at;
};

struct website_view {
    struct website w;
    char intp_customer_id[MAX_EXTERNAL_ID + 1];
    char sub_type[8];
    enum sub_status status; /* the subscription's */
    char package_id[UUID_SIZE];
    int64_t last_package_change_at;     /* -1: never */
    char planned_package_id[UUID_SIZE]; /* "" for none */
    bool in_trial, had_trial;
    int64_t expires_at, stp_reset_at;
    int64_t usage[USAGE__COUNT];
    char package_name[256];
    char package_period[8];
    int64_t touchpoints;
    char planned_name[256];
    char planned_period[8];
    char billing_mode[24];
};

enum db_result websites_db_insert(struct db *db, const struct website *w);

/* The partner's website `intp_website_id` into *out; DB_NOT_FOUND when unknown. */
enum db_result websites_db_get(struct db *db, const char *intp_id, const char *intp_website_id,
                               struct website *out);

/* Views, by the partner's website id or by the 3AS uuid. */
enum db_result websites_db_view(struct db *db, const char *intp_id, const char *intp_website_id,
                                struct website_view *out);
enum db_result websites_db_view_by_uuid(struct db *db, const char *intp_id, const char *uuid,
                                        struct website_view *out);

/* Page `page` of `size` views in creation order (all the partner's websites, or only those of
 * customer `customer_id` when not NULL), each passed to `fn`; and their total. */
enum db_result websites_db_view_list(struct db *db, const char *intp_id, const char *customer_id,
                                     int64_t page, int64_t size,
                                     void (*fn)(const struct website_view *v, void *ctx),
                                     void *ctx);
enum db_result websites_db_count(struct db *db, const char *intp_id, const char *customer_id,
                                 int64_t *total);

/* Delete website `id` (3AS uuid) and what hangs below it. */
enum db_result websites_db_delete(struct db *db, const char *id);

#endif
