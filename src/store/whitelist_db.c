/* Store of whitelisted domains: SQL only. */
#include "store/whitelist_db.h"

enum db_result whitelist_db_add(struct db *db, const char *website_id, const char *domain,
                                int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, STMT_DOMAIN_ADD,
                               "INSERT OR IGNORE INTO whitelisted_domains (website_id, domain, "
                               "created_at) VALUES (?1, ?2, ?3)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    db_bind_text(st, 2, domain);
    sqlite3_bind_int64(st, 3, now);
    return db_step_done(db, st, false);
}

enum db_result whitelist_db_remove(struct db *db, const char *website_id, const char *domain)
{
    return db_run_text(db, STMT_DOMAIN_REMOVE,
                       "DELETE FROM whitelisted_domains WHERE website_id = ?1 AND domain = ?2",
                       false, 2, website_id, domain);
}

enum db_result whitelist_db_foreach(struct db *db, const char *website_id,
                                    void (*fn)(const char *domain, void *ctx), void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, STMT_DOMAIN_LIST,
                               "SELECT domain FROM whitelisted_domains WHERE website_id = ?1 "
                               "ORDER BY created_at, rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0), ctx);
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}
