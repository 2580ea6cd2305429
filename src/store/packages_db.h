/* Store of packages and custom-package assignments: SQL only. */
#ifndef MOCK3AS_PACKAGES_DB_H
#define MOCK3AS_PACKAGES_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store/db.h"
#include "util/util.h"

#define UFT_PACKAGE_NAME  "unlimited_30_day_free_trial"
#define FREE_PACKAGE_NAME "Free"

struct package {
    char id[UUID_SIZE];
    char intp_id[INTP_ID_SIZE];
    char name[256];
    int64_t price_cents;
    char currency[4];    /* "EUR" | "USD" | "RON" */
    char period[8];      /* "monthly" | "yearly" */
    int64_t touchpoints; /* -1: unlimited */
    bool recommended;
    char visibility[11]; /* "public" | "restricted" */
    char external_id[256];
    bool has_external_id;
    bool is_default; /* made by onboarding */
    int64_t created_at;
    char catalogue_key[32]; /* a default package's catalogue name, kept through renames; "" */
    int64_t rowid;          /* as read (what the history refers to it by); unused on insert */
};

/* Whether `p` is the partner's 30-day free trial (D4), whatever it is called now. */
static inline bool package_is_trial(const struct package *p)
{
    return strcmp(p->catalogue_key, UFT_PACKAGE_NAME) == 0;
}

/* Insert `p` (its id already set). DB_CONFLICT on a duplicate id. */
enum db_result packages_db_insert(struct db *db, const struct package *p);

/* Package `id` of partner `intp_id` into *out. DB_NOT_FOUND when it is not the partner's. */
enum db_result packages_db_get(struct db *db, const char *intp_id, const char *id,
                               struct package *out);

/* The partner's default (onboarding) package whose catalogue name is `key` (FREE_PACKAGE_NAME,
 * UFT_PACKAGE_NAME, "Basic" …; renames do not change it) with `period`. */
enum db_result packages_db_get_default(struct db *db, const char *intp_id, const char *key,
                                       const char *period, struct package *out);

/* Rename package `id`. DB_NOT_FOUND when unknown. */
enum db_result packages_db_rename(struct db *db, const char *intp_id, const char *id,
                                  const char *name);

/* Call `fn` for each package of the partner in creation order. With `website_id` and/or
 * `customer_id` (3AS ids, may be NULL), only the public packages and the restricted ones assigned
 * to one of them. A non-zero return from fn stops the walk (DB_ERROR). */
enum db_result packages_db_foreach(struct db *db, const char *intp_id, const char *website_id,
                                   const char *customer_id,
                                   int (*fn)(const struct package *p, void *ctx), void *ctx);

/* Call `fn` for each assignment of package `id`: the website's and owner's partner ids for a
 * website assignment (intp_website_id non-NULL), or the customer's id alone. */
enum db_result packages_db_foreach_assignment(struct db *db, const char *id,
                                              void (*fn)(const char *intp_website_id,
                                                         const char *intp_customer_id, void *ctx),
                                              void *ctx);

/* DB_OK when package `id` is assigned to the website or the customer (3AS ids, either NULL). */
enum db_result packages_db_assigned(struct db *db, const char *id, const char *website_id,
                                    const char *customer_id);

/* Assign package `id` to a website or a customer (exactly one non-NULL); assigning twice is a
 * no-op. Unassign: DB_NOT_FOUND when there was no such assignment. */
enum db_result packages_db_assign(struct db *db, const char *id, const char *website_id,
                                  const char *customer_id, int64_t now);
enum db_result packages_db_unassign(struct db *db, const char *id, const char *website_id,
                                    const char *customer_id);

/* Create partner `intp_id`'s default catalogue at time `now` (contract §4.5): Free 440 …
 * Unicorn 5,500,000 monthly in EUR, each also yearly at 12 × (monthly − 20 %), plus the
 * unlimited 30-day free trial. Returns DB_OK or the first failure. */
enum db_result packages_db_create_catalogue(struct db *db, const char *intp_id, int64_t now);

#endif
