/* Store of customers (INTPCs): SQL only. */
#include "store/customers_db.h"

#define CUSTOMER_COLUMNS "id, intp_id, intp_customer_id, email, created_at"

enum db_result customers_db_insert(struct db *db, const struct customer *c)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_CUSTOMER_INSERT,
                "INSERT INTO customers (" CUSTOMER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->intp_id);
    db_bind_text(st, 3, c->intp_customer_id);
    db_bind_text(st, 4, c->email);
    sqlite3_bind_int64(st, 5, c->created_at);
    return db_step_done(db, st, false);
}

static void read_customer(sqlite3_stmt *st, void *out)
{
    struct customer *c = out;
    db_column_copy(st, 0, c->id, sizeof(c->id));
    db_column_copy(st, 1, c->intp_id, sizeof(c->intp_id));
    db_column_copy(st, 2, c->intp_customer_id, sizeof(c->intp_customer_id));
    db_column_copy(st, 3, c->email, sizeof(c->email));
    c->created_at = sqlite3_column_int64(st, 4);
}

enum db_result customers_db_get(struct db *db, const char *intp_id, const char *intp_customer_id,
                                struct customer *out)
{
    return db_row_text(db, STMT_CUSTOMER_GET,
                       "SELECT " CUSTOMER_COLUMNS
                       " FROM customers WHERE intp_id = ?1 AND intp_customer_id = ?2",
                       read_customer, out, 2, intp_id, intp_customer_id);
}

enum db_result customers_db_get_by_id(struct db *db, const char *id, struct customer *out)
{
    return db_row_text(db, STMT_CUSTOMER_GET_BY_ID,
                       "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = ?1", read_customer,
                       out, 1, id);
}

enum db_result customers_db_email_taken(struct db *db, const char *intp_id, const char *email)
{
    int64_t one;
    return db_int_text(db, STMT_CUSTOMER_GET_BY_EMAIL,
                       "SELECT 1 FROM customers WHERE intp_id = ?1 AND email = ?2 COLLATE NOCASE",
                       &one, 2, intp_id, email);
}

enum db_result customers_db_list(struct db *db, const char *intp_id, int64_t page, int64_t size,
                                 void (*fn)(const struct customer *c, void *ctx), void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, STMT_CUSTOMER_LIST,
                               /* the page is found on the covering index, so the rows skipped
                                  by OFFSET cost no table lookups */
                               "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE rowid IN "
                               "(SELECT rowid FROM customers WHERE intp_id = ?1 ORDER BY "
                               "created_at, rowid LIMIT ?2 OFFSET ?3) ORDER BY created_at, rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, intp_id);
    sqlite3_bind_int64(st, 2, size);
    sqlite3_bind_int64(st, 3, page * size);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct customer c;
        read_customer(st, &c);
        fn(&c, ctx);
    }
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result customers_db_count(struct db *db, const char *intp_id, int64_t *total)
{
    return db_int_text(db, STMT_CUSTOMER_COUNT,
                       "SELECT coalesce((SELECT customers FROM intp_totals WHERE intp_id = ?1), 0)",
                       total, 1, intp_id);
}

enum db_result customers_db_delete(struct db *db, const char *id)
{
    return db_run_text(db, STMT_CUSTOMER_DELETE, "DELETE FROM customers WHERE id = ?1", true, 1,
                       id);
}
