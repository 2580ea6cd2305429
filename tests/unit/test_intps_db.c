/* Unit tests of store/intps_db.c against ":memory:": migrations, partner insert and model, the
 * wipe and delete of a partner, and tombstones with their purge in bounded steps. No HTTP. */
#include <string.h>

#include "store/apikeys_db.h"
#include "store/clock_db.h"
#include "store/intps_db.h"
#include "partner_rows.h"
#include "store_fixture.h"

static void setup(void)
{
    struct intp p = {.id = "p1",
                     .name = "P",
                     .subscription_type = "website",
                     .billing_mode = "company_managed",
                     .public_key = "pem",
                     .created_at = NOW};
    ok(db_open(&db, ":memory:") == 0 && db.was_new, "migrations apply to a new database");
    ok(intps_db_insert(&db, &p) == DB_OK && intps_db_insert(&db, &p) == DB_CONFLICT,
       "partner insert, duplicate id is a conflict");
    ok(packages_db_create_catalogue(&db, "p1", NOW) == DB_OK, "default catalogue");
    char type[16], mode[24];
    ok(intps_db_model(&db, "p1", type, mode) == DB_OK && strcmp(type, "website") == 0 &&
           strcmp(mode, "company_managed") == 0,
       "partner model");
}

/* What a wipe has to remove: a customer with a website, and a custom package assigned to it. */
static void seed(void)
{
    struct customer c;
    struct website w;
    struct package p = custom_package();
    make_site("pc", "pw", &c, &w);
    ok(packages_db_insert(&db, &p) == DB_OK &&
           packages_db_assign(&db, p.id, w.id, NULL, NOW) == DB_OK,
       "a restricted package assigned to the website");
}

static void test_wipe(void)
{
    int64_t total = -1;
    ok(intps_db_wipe(&db, "p1") == DB_OK && customers_db_count(&db, "p1", &total) == DB_OK &&
           total == 0,
       "wipe removes customers");
    int n = 0;
    packages_db_foreach(&db, "p1", NULL, NULL, count_package, &n);
    ok(n == 21, "and custom packages, keeping the catalogue (%d)", n);
    ok(intps_db_delete(&db, "p1") == DB_OK, "delete partner cascades");
}

/* ---- tombstones and purge ---- */

static int first_partner(const struct intp *p, void *ctx)
{
    if (!*(char *)ctx)
        snprintf(ctx, INTP_ID_SIZE, "%s", p->id);
    return 0;
}

static void collect_id(const char *id, void *ctx)
{
    collect(id, ctx);
}

/* A tombstoned partner is absent for every getter; its id stays taken until purged. */
static void test_tombstone_invisible(void)
{
    struct intp p = {0};
    struct partner_clock c = {.offset = 0, .frozen_at = -1};
    struct api_key_owner owner;
    unsigned char hash[32];
    char type[16], mode[24], first[INTP_ID_SIZE] = "", list[256] = "", site[UUID_SIZE],
                             intp[INTP_ID_SIZE];
    ok(intps_db_mark_deleted(&db, "gone", NOW) == DB_OK &&
           intps_db_mark_deleted(&db, "gone", NOW) == DB_NOT_FOUND &&
           intps_db_mark_deleted(&db, "nobody", NOW) == DB_NOT_FOUND,
       "tombstone once; again or unknown is not found");
    ok(intps_db_get(&db, "gone", &p) == DB_NOT_FOUND &&
           intps_db_model(&db, "gone", type, mode) == DB_NOT_FOUND,
       "get and model: not found");
    intps_db_foreach(&db, first_partner, first);
    ok(strcmp(first, "kept") == 0, "the list omits it (first: %s)", first);
    ok(clock_db_get(&db, "gone", &c) == DB_NOT_FOUND &&
           clock_db_set(&db, "gone", &c) == DB_NOT_FOUND,
       "its clock: not found");
    memset(hash, 'g', sizeof(hash));
    ok(apikeys_db_find(&db, hash, &owner) == DB_NOT_FOUND &&
           refresh_db_find(&db, hash, NOW, site, intp) == DB_NOT_FOUND,
       "its api key and refresh token: unknown");
    memset(hash, 'k', sizeof(hash));
    ok(apikeys_db_find(&db, hash, &owner) == DB_OK && strcmp(owner.intp_id, "kept") == 0 &&
           refresh_db_find(&db, hash, NOW, site, intp) == DB_OK,
       "the other partner's key and token still open");
    p = (struct intp){.id = "gone",
                      .name = "P",
                      .subscription_type = "website",
                      .billing_mode = "company_managed",
                      .public_key = "pem",
                      .created_at = NOW};
    ok(intps_db_insert(&db, &p) == DB_CONFLICT, "its id stays taken until the purge");
    intps_db_tombstones(&db, collect_id, list);
    ok(strcmp(list, "gone;") == 0, "the tombstones: %s", list);
}

/* Purge "gone" in steps of at most `max_rows` rows: each step within the bound, until done. */
static void test_purge_bounded(int max_rows)
{
    bool done = false, bounded = true;
    int steps = 0;
    int64_t before = total_rows(&db), rows = before;
    while (!done && steps < 10000) {
        if (intps_db_purge_step(&db, "gone", max_rows, &done) != DB_OK)
            break;
        int64_t now_rows = total_rows(&db);
        if (rows - now_rows > max_rows || rows == now_rows)
            bounded = false;
        rows = now_rows;
        steps++;
    }
    ok(done && bounded, "purge in %d steps of at most %d rows, each deleting some (%lld rows)",
       steps, max_rows, (long long)(before - rows));
}

/* After the purge no table holds a row of "gone". */
static void test_purge_complete(const struct table_counts *kept_only, const char *how)
{
    ok(partner_rows_gone(&db, kept_only, "gone"),
       "%s: every table holds what it held before the partner", how);
}

/* A live partner is never touched by a purge. */
static void test_purge_live(void)
{
    bool done = false;
    int64_t before = total_rows(&db);
    ok(intps_db_purge_step(&db, "kept", 1000, &done) == DB_NOT_FOUND && done &&
           total_rows(&db) == before,
       "purge of a live partner: not found, nothing deleted");
}

static void test_kept_intact(void)
{
    struct intp p;
    int64_t n = -1;
    ok(intps_db_get(&db, "kept", &p) == DB_OK && customers_db_count(&db, "kept", &n) == DB_OK &&
           n == 20,
       "the other partner is intact (%lld customers)", (long long)n);
    intp_release(&p);
}

int main(void)
{
    struct table_counts kept_only;
    setup();
    seed();
    test_wipe();
    seed_partner(&db, "kept", 'k');
    count_tables(&db, &kept_only);
    seed_partner(&db, "gone", 'g');
    test_tombstone_invisible();
    test_purge_live();
    test_purge_bounded(3); /* below one subscription's history and one website's domains */
    test_purge_complete(&kept_only, "steps of 3");
    seed_partner(&db, "gone", 'g');
    ok(intps_db_mark_deleted(&db, "gone", NOW) == DB_OK, "again, tombstoned");
    test_purge_bounded(50);
    test_purge_complete(&kept_only, "steps of 50");
    seed_partner(&db, "gone", 'g');
    ok(intps_db_mark_deleted(&db, "gone", NOW) == DB_OK &&
           intps_db_delete(&db, "gone") == DB_NOT_FOUND,
       "a one-statement delete of a tombstone: not found (it was gone already)");
    test_purge_complete(&kept_only, "one statement");
    test_kept_intact();
    db_close(&db);
    return done_testing();
}
