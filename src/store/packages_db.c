/* Store of packages and custom-package assignments: SQL only, plus the default catalogue every
 * partner starts with. */
#include "store/packages_db.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

#define PACKAGE_COLUMNS                                                                            \
    "id, intp_id, name, price_cents, currency, period, touchpoints, recommended, visibility, "     \
    "external_id, is_default, created_at, catalogue_key"
/* what reads select: the columns, then the rowid (the history refers to packages by it) */
#define PACKAGE_SELECT PACKAGE_COLUMNS ", rowid"

/* Contract §4.5: the vendor's dashboard catalogue (EUR, monthly). */
static const struct {
    const char *name;
    int64_t touchpoints;
    int64_t monthly_cents;
    bool recommended;
} catalogue[] = {
    {FREE_PACKAGE_NAME, 440, 0, false},      {"Basic", 11000, 1299, false},
    {"Advanced", 27500, 2499, false},        {"Pro", 55000, 3999, true},
    {"Pro +", 110000, 7799, false},          {"Pro ++", 220000, 15400, false},
    {"Executive", 330000, 22900, false},     {"Executive +", 660000, 45000, false},
    {"Executive ++", 1100000, 69900, false}, {"Unicorn", 5500000, 299900, false},
};

enum db_result packages_db_insert(struct db *db, const struct package *p)
{
    sqlite3_stmt *st = db_stmt(db, STMT_PACKAGE_INSERT,
                               "INSERT INTO packages (" PACKAGE_COLUMNS ") VALUES (?1, ?2, ?3, "
                               "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULLIF(?13, ''))");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->intp_id);
    db_bind_text(st, 3, p->name);
    sqlite3_bind_int64(st, 4, p->price_cents);
    db_bind_text(st, 5, p->currency);
    db_bind_text(st, 6, p->period);
    sqlite3_bind_int64(st, 7, p->touchpoints);
    sqlite3_bind_int(st, 8, p->recommended);
    db_bind_text(st, 9, p->visibility);
    db_bind_text(st, 10, p->has_external_id ? p->external_id : NULL);
    sqlite3_bind_int(st, 11, p->is_default);
    sqlite3_bind_int64(st, 12, p->created_at);
    db_bind_text(st, 13, p->catalogue_key);
    return db_step_done(db, st, false);
}

static void read_package(sqlite3_stmt *st, void *out)
{
    struct package *p = out;
    db_column_copy(st, 0, p->id, sizeof(p->id));
    db_column_copy(st, 1, p->intp_id, sizeof(p->intp_id));
    db_column_copy(st, 2, p->name, sizeof(p->name));
    p->price_cents = sqlite3_column_int64(st, 3);
    db_column_copy(st, 4, p->currency, sizeof(p->currency));
    db_column_copy(st, 5, p->period, sizeof(p->period));
    p->touchpoints = sqlite3_column_int64(st, 6);
    p->recommended = sqlite3_column_int(st, 7) != 0;
    db_column_copy(st, 8, p->visibility, sizeof(p->visibility));
    p->has_external_id = db_column_copy(st, 9, p->external_id, sizeof(p->external_id));
    p->is_default = sqlite3_column_int(st, 10) != 0;
    p->created_at = sqlite3_column_int64(st, 11);
    db_column_copy(st, 12, p->catalogue_key, sizeof(p->catalogue_key));
    p->rowid = sqlite3_column_int64(st, 13);
}

enum db_result packages_db_get(struct db *db, const char *intp_id, const char *id,
                               struct package *out)
{
    return db_row_text(db, STMT_PACKAGE_GET,
                       "SELECT " PACKAGE_SELECT " FROM packages WHERE id = ?1 AND intp_id = ?2",
                       read_package, out, 2, id, intp_id);
}

/* The default packages a transaction looked up, kept while db_memo_gen() stays the same: a
 * batch of creates (one transaction) reads the free trial and the Free package once. */
#define DEFAULT_MEMO 4 /* entries; the oldest makes room */

struct default_memo {
    struct {
        uint64_t gen;     /* 0: empty */
        struct package p; /* looked up by its intp_id, catalogue_key and period */
    } e[DEFAULT_MEMO];
    size_t next;
};

static struct package *memo_find(struct db *db, uint64_t gen, const char *intp_id, const char *key,
                                 const char *period)
{
    struct default_memo *m = db->packages_memo;
    for (size_t i = 0; gen && m && i < DEFAULT_MEMO; i++)
        if (m->e[i].gen == gen && strcmp(m->e[i].p.catalogue_key, key) == 0 &&
            strcmp(m->e[i].p.intp_id, intp_id) == 0 && strcmp(m->e[i].p.period, period) == 0)
            return &m->e[i].p;
    return NULL;
}

static void memo_keep(struct db *db, uint64_t gen, const struct package *p)
{
    struct default_memo *m = db->packages_memo;
    if (!gen)
        return;
    if (!m)
        m = db->packages_memo = xcalloc(1, sizeof(*m));
    size_t i = m->next++ % DEFAULT_MEMO;
    m->e[i].gen = gen;
    m->e[i].p = *p;
}

enum db_result packages_db_get_default(struct db *db, const char *intp_id, const char *key,
                                       const char *period, struct package *out)
{
    uint64_t gen = db_memo_gen(db);
    const struct package *kept = memo_find(db, gen, intp_id, key, period);
    if (kept) {
        *out = *kept;
        return DB_OK;
    }
    enum db_result r = db_row_text(db, STMT_PACKAGE_GET_DEFAULT,
                                   "SELECT " PACKAGE_SELECT " FROM packages WHERE intp_id = ?1 "
                                   "AND catalogue_key = ?2 AND period = ?3",
                                   read_package, out, 3, intp_id, key, period);
    if (r == DB_OK)
        memo_keep(db, gen, out);
    return r;
}

enum db_result packages_db_rename(struct db *db, const char *intp_id, const char *id,
                                  const char *name)
{
    return db_run_text(db, STMT_PACKAGE_RENAME,
                       "UPDATE packages SET name = ?3 WHERE id = ?1 AND intp_id = ?2", true, 3, id,
                       intp_id, name);
}

enum db_result packages_db_foreach(struct db *db, const char *intp_id, const char *website_id,
                                   const char *customer_id,
                                   int (*fn)(const struct package *p, void *ctx), void *ctx)
{
    bool filtered = website_id || customer_id;
    sqlite3_stmt *st =
        filtered ? db_stmt(db, STMT_PACKAGE_LIST_FOR,
                           "SELECT " PACKAGE_SELECT " FROM packages WHERE intp_id = ?1 AND "
                           "(visibility = 'public' OR EXISTS (SELECT 1 FROM package_assignments a "
                           "WHERE a.package_id = packages.id AND (a.website_id = ?2 OR "
                           "a.customer_id = ?3))) ORDER BY created_at, rowid")
                 : db_stmt(db, STMT_PACKAGE_LIST,
                           "SELECT " PACKAGE_SELECT
                           " FROM packages WHERE intp_id = ?1 ORDER BY created_at, rowid");
    enum db_result r = DB_OK;
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    if (filtered) {
        db_bind_text(st, 2, website_id);
        db_bind_text(st, 3, customer_id);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct package p;
        read_package(st, &p);
        if (fn(&p, ctx)) {
            r = DB_ERROR;
            break;
        }
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result packages_db_foreach_assignment(struct db *db, const char *id,
                                              void (*fn)(const char *intp_website_id,
                                                         const char *intp_customer_id, void *ctx),
                                              void *ctx)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_PACKAGE_ASSIGNMENTS,
                "SELECT w.intp_website_id, c.intp_customer_id FROM package_assignments a "
                "LEFT JOIN websites w ON w.id = a.website_id "
                "JOIN customers c ON c.id = COALESCE(a.customer_id, w.customer_id) "
                "WHERE a.package_id = ?1 ORDER BY a.created_at, a.rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), ctx);
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result packages_db_assigned(struct db *db, const char *id, const char *website_id,
                                    const char *customer_id)
{
    int64_t one;
    return db_int_text(db, STMT_PACKAGE_ASSIGNED,
                       "SELECT 1 FROM package_assignments WHERE package_id = ?1 AND "
                       "(website_id = ?2 OR customer_id = ?3)",
                       &one, 3, id, website_id, customer_id);
}

enum db_result packages_db_assign(struct db *db, const char *id, const char *website_id,
                                  const char *customer_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, STMT_PACKAGE_ASSIGN,
                               "INSERT OR IGNORE INTO package_assignments (package_id, website_id, "
                               "customer_id, created_at) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, website_id);
    db_bind_text(st, 3, customer_id);
    sqlite3_bind_int64(st, 4, now);
    return db_step_done(db, st, false);
}

enum db_result packages_db_unassign(struct db *db, const char *id, const char *website_id,
                                    const char *customer_id)
{
    return db_run_text(db, STMT_PACKAGE_UNASSIGN,
                       "DELETE FROM package_assignments WHERE package_id = ?1 AND "
                       "(website_id = ?2 OR customer_id = ?3)",
                       true, 3, id, website_id, customer_id);
}

/* Yearly price: the monthly price less 20 %, rounded to the cent, times 12 (Basic: 10.39 × 12 =
 * 124.68, as the vendor's dashboard shows). */
static int64_t yearly_cents(int64_t monthly_cents)
{
    return (monthly_cents * 8 + 5) / 10 * 12;
}

static enum db_result insert_default(struct db *db, struct package *p, const char *period,
                                     int64_t price_cents)
{
    uuid_v4(p->id);
    snprintf(p->period, sizeof(p->period), "%s", period);
    p->price_cents = price_cents;
    return packages_db_insert(db, p);
}

enum db_result packages_db_create_catalogue(struct db *db, const char *intp_id, int64_t now)
{
    struct package p = {.is_default = true, .created_at = now};
    enum db_result r = DB_OK;
    snprintf(p.intp_id, sizeof(p.intp_id), "%s", intp_id);
    strcpy(p.currency, "EUR");
    strcpy(p.visibility, "public");
    for (size_t i = 0; i < ARRAY_SIZE(catalogue) && r == DB_OK; i++) {
        snprintf(p.name, sizeof(p.name), "%s", catalogue[i].name);
        snprintf(p.catalogue_key, sizeof(p.catalogue_key), "%s", catalogue[i].name);
        p.touchpoints = catalogue[i].touchpoints;
        p.recommended = catalogue[i].recommended;
        r = insert_default(db, &p, "monthly", catalogue[i].monthly_cents);
        if (r == DB_OK)
            r = insert_default(db, &p, "yearly", yearly_cents(catalogue[i].monthly_cents));
    }
    if (r != DB_OK)
        return r;
    snprintf(p.name, sizeof(p.name), "%s", UFT_PACKAGE_NAME);
    snprintf(p.catalogue_key, sizeof(p.catalogue_key), "%s", UFT_PACKAGE_NAME);
    p.touchpoints = -1;
    p.recommended = false;
    return insert_default(db, &p, "monthly", 0);
}
