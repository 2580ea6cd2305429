/* Store of website contributors: SQL only. A customer has at most one role per website. */
#include "store/contributors_db.h"

enum db_result contributors_db_set(struct db *db, const char *website_id, const char *customer_id,
                                   const char *role, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, STMT_CONTRIBUTOR_UPSERT,
                               "INSERT INTO contributors (website_id, customer_id, role, "
                               "created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (website_id, "
                               "customer_id) DO UPDATE SET role = excluded.role");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    db_bind_text(st, 2, customer_id);
    db_bind_text(st, 3, role);
    sqlite3_bind_int64(st, 4, now);
    return db_step_done(db, st, false);
}

enum db_result contributors_db_remove(struct db *db, const char *website_id,
                                      const char *customer_id)
{
    return db_run_text(db, STMT_CONTRIBUTOR_DELETE,
                       "DELETE FROM contributors WHERE website_id = ?1 AND customer_id = ?2", true,
                       2, website_id, customer_id);
}

enum db_result contributors_db_foreach(struct db *db, const char *website_id,
                                       void (*fn)(const char *role, const char *intp_customer_id,
                                                  const char *email, void *ctx),
                                       void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, STMT_CONTRIBUTOR_LIST,
                               "SELECT r.role, c.intp_customer_id, c.email FROM contributors r "
                               "JOIN customers c ON c.id = r.customer_id WHERE r.website_id = ?1 "
                               "ORDER BY r.created_at, r.rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), ctx);
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

static void read_role(sqlite3_stmt *st, void *out)
{
    db_column_copy(st, 0, out, 16);
}

enum db_result contributors_db_role(struct db *db, const char *website_id, const char *customer_id,
                                    char *role)
{
    return db_row_text(db, STMT_CONTRIBUTOR_ROLE,
                       "SELECT role FROM contributors WHERE website_id = ?1 AND customer_id = ?2",
                       read_role, role, 2, website_id, customer_id);
}
