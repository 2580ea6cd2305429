/* Shared by test_intps_db.c and test_purge.c: a partner with a row in every table that hangs off
 * one, and the row counts of every table, to show that a purge removed exactly that partner. */
#ifndef MOCK3AS_PARTNER_ROWS_H
#define MOCK3AS_PARTNER_ROWS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/apikeys_db.h"
#include "store/db.h"
#include "store/packages_db.h"
#include "tap.h"
#include "util/strbuf.h"

#ifndef NOW
#define NOW 1795341600LL /* 2026-11-22T10:00:00Z */
#endif

/* A partner with a row in every table that hangs off one: 20 customers with a website and a
 * subscription each (one with a long history, one website with many whitelisted domains),
 * contributors, package assignments, then an API key and a refresh token (hashes all `mark`). */
static const char partner_sql[] =
    "INSERT INTO intps (id, name, subscription_type, billing_mode, public_key, created_at) "
    "VALUES ('@X@', 'P', 'website', 'company_managed', 'pem', 1);"
    "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 20) "
    "INSERT INTO customers (id, intp_id, intp_customer_id, email, created_at) "
    "SELECT '@X@-c' || n, '@X@', 'c' || n, 'c' || n || '@example.com', 1 FROM seq;"
    "INSERT INTO packages (id, intp_id, name, price_cents, currency, period, touchpoints, "
    "created_at) VALUES ('@X@-pkg', '@X@', 'Custom', 100, 'EUR', 'monthly', 10, 1);"
    "INSERT INTO websites (id, intp_id, intp_website_id, customer_id, domain, subscription_id, "
    "created_at) SELECT '@X@-w' || substr(id, length('@X@-c') + 1), '@X@', 'w' || substr(id, "
    "length('@X@-c') + 1), id, 'example.com', '@X@-s' || substr(id, length('@X@-c') + 1), 1 "
    "FROM customers WHERE intp_id = '@X@';"
    "INSERT INTO subscriptions_full (id, intp_id, type, website_id, package_id, status, "
    "billing_anchor, period_start, expires_at, stp_reset_at, created_at) SELECT "
    "subscription_id, '@X@', 'website', id, '@X@-pkg', 'active', 1, 1, 2, 2, 1 FROM websites "
    "WHERE intp_id = '@X@';"
    "INSERT INTO subscription_events (subscription_id, at, action, status_after) "
    "SELECT id, 1, 'created', 'active' FROM subscriptions WHERE intp_id = '@X@';"
    "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 12) "
    "INSERT INTO subscription_events (subscription_id, at, action, status_after) "
    "SELECT '@X@-s1', n, 'renewal', 'active' FROM seq;"
    "INSERT INTO whitelisted_domains (website_id, domain, created_at) SELECT id, "
    "'a.example.com', 1 FROM websites WHERE intp_id = '@X@';"
    "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 9) "
    "INSERT INTO whitelisted_domains (website_id, domain, created_at) "
    "SELECT '@X@-w3', 'd' || n || '.example.com', 1 FROM seq;"
    "INSERT INTO contributors (website_id, customer_id, role, created_at) "
    "VALUES ('@X@-w1', '@X@-c2', 'editor', 1);"
    "INSERT INTO package_assignments (package_id, website_id, created_at) "
    "VALUES ('@X@-pkg', '@X@-w2', 1);"
    "INSERT INTO package_assignments (package_id, customer_id, created_at) "
    "VALUES ('@X@-pkg', '@X@-c3', 1);";

static inline void seed_partner(struct db *db, const char *id, unsigned char mark)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = partner_sql; *p; p++)
        if (strncmp(p, "@X@", 3) == 0) {
            strbuf_addstr(&sb, id);
            p += 2;
        } else {
            strbuf_addch(&sb, *p);
        }
    struct api_key k = {.created_at = 1, .expires_at = -1};
    snprintf(k.id, sizeof(k.id), "%s-k", id);
    snprintf(k.website_id, sizeof(k.website_id), "%s-w1", id);
    memset(k.hash, mark, sizeof(k.hash));
    ok(db_exec(db, sb.buf) == 0 && packages_db_create_catalogue(db, id, NOW) == DB_OK &&
           apikeys_db_insert(db, &k) == DB_OK &&
           refresh_db_insert(db, k.hash, k.website_id, k.id, 1, NOW * 2) == DB_OK,
       "partner %s with a row in every table", id);
    strbuf_release(&sb);
}

#define MAX_TABLES 32

/* The row count of every table of the schema. */
struct table_counts {
    int n;
    char names[MAX_TABLES][64];
    int64_t rows[MAX_TABLES];
};

static inline void count_tables(struct db *db, struct table_counts *out)
{
    sqlite3_stmt *st = NULL;
    out->n = 0;
    sqlite3_prepare_v2(db->conn,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY name",
                       -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW && out->n < MAX_TABLES) {
        char sql[128];
        snprintf(out->names[out->n], sizeof(out->names[0]), "%s", sqlite3_column_text(st, 0));
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", out->names[out->n]);
        sqlite3_stmt *c = NULL;
        sqlite3_prepare_v2(db->conn, sql, -1, &c, NULL);
        out->rows[out->n++] = sqlite3_step(c) == SQLITE_ROW ? sqlite3_column_int64(c, 0) : -1;
        sqlite3_finalize(c);
    }
    sqlite3_finalize(st);
}

static inline int64_t total_rows(struct db *db)
{
    struct table_counts t;
    int64_t sum = 0;
    count_tables(db, &t);
    for (int i = 0; i < t.n; i++)
        sum += t.rows[i];
    return sum;
}

/* Rows of table `name` whose intp_id (for intps: id) is `id`; 0 for a table without one. */
static inline int64_t rows_naming(struct db *db, const char *name, const char *id)
{
    const char *column = strcmp(name, "intps") == 0 ? "id" : "intp_id";
    char sql[256];
    int64_t n = 0;
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" WHERE %s = ?1", name, column);
    if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return 0; /* no such column */
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Whether no row of partner `id` is left: every table holds what it held in `without` (the
 * counts before the partner was seeded) and no intp_id column names it. */
static inline bool partner_rows_gone(struct db *db, const struct table_counts *without,
                                     const char *id)
{
    struct table_counts now;
    count_tables(db, &now);
    bool same = now.n == without->n && now.n > 10;
    for (int i = 0; i < now.n && same; i++) {
        same = strcmp(now.names[i], without->names[i]) == 0 && now.rows[i] == without->rows[i] &&
               rows_naming(db, now.names[i], id) == 0;
        if (!same)
            printf("# %s: %lld rows, %lld without the partner\n", now.names[i],
                   (long long)now.rows[i], (long long)without->rows[i]);
    }
    return same;
}

#endif
