/* Store of website API keys: SQL only. Only a SHA-256 of each key is kept. */
#include "website_parts_db.h"

enum db_result apikeys_db_insert(struct db *db, const struct api_key *k)
{
    sqlite3_stmt *st = db_stmt(db, STMT_APIKEY_INSERT,
                               "INSERT INTO api_keys (id, website_id, name, comment, key_hash, "
                               "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, k->id);
    db_bind_text(st, 2, k->website_id);
    db_bind_text(st, 3, k->name);
    db_bind_text(st, 4, k->comment);
    sqlite3_bind_blob(st, 5, k->hash, sizeof(k->hash), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, k->created_at);
    db_bind_int_or_null(st, 7, k->expires_at);
    return db_step_done(db, st, false);
}

enum db_result apikeys_db_foreach(struct db *db, const char *website_id,
                                  void (*fn)(const struct api_key *k, void *ctx), void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, STMT_APIKEY_LIST,
                               "SELECT id, name, comment, created_at, expires_at FROM api_keys "
                               "WHERE website_id = ?1 ORDER BY created_at, rowid");
    int rc;
    if (!st)
        return DB_ERROR;
    db_bind_text(st, 1, website_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct api_key k = {0};
        db_column_copy(st, 0, k.id, sizeof(k.id));
        db_column_copy(st, 1, k.name, sizeof(k.name));
        db_column_copy(st, 2, k.comment, sizeof(k.comment));
        k.created_at = sqlite3_column_int64(st, 3);
        k.expires_at = db_column_int_or(st, 4, -1);
        fn(&k, ctx);
    }
    enum db_result r = db_step_result(db, rc);
    db_done(st);
    return r;
}

enum db_result apikeys_db_delete(struct db *db, const char *website_id, const char *id)
{
    return db_run_text(db, STMT_APIKEY_DELETE,
                       "DELETE FROM api_keys WHERE website_id = ?1 AND id = ?2", true, 2,
                       website_id, id);
}
