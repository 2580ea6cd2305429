/* Store of website API keys: SQL only. Only a SHA-256 of each key is kept. */
#include "store/apikeys_db.h"

#include <string.h>

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

static void read_owner(sqlite3_stmt *st, void *out)
{
    struct api_key_owner *o = out;
    db_column_copy(st, 0, o->id, sizeof(o->id));
    db_column_copy(st, 1, o->website_id, sizeof(o->website_id));
    o->expires_at = db_column_int_or(st, 2, -1);
    db_column_copy(st, 3, o->intp_id, sizeof(o->intp_id));
    db_column_copy(st, 4, o->intp_website_id, sizeof(o->intp_website_id));
}

enum db_result apikeys_db_find(struct db *db, const unsigned char hash[32],
                               struct api_key_owner *out)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_APIKEY_FIND,
                "SELECT k.id, k.website_id, k.expires_at, w.intp_id, "
                "w.intp_website_id FROM api_keys k JOIN websites w ON w.id = "
                "k.website_id JOIN intps i ON i.id = w.intp_id AND i.deleted_at IS NULL "
                "WHERE k.key_hash = ?1");
    if (!st)
        return DB_ERROR;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK)
        read_owner(st, out);
    db_done(st);
    return r;
}

enum db_result refresh_db_insert(struct db *db, const unsigned char hash[32],
                                 const char *website_id, const char *api_key_id, int64_t now,
                                 int64_t expires_at)
{
    sqlite3_stmt *st = db_stmt(db, STMT_REFRESH_INSERT,
                               "INSERT INTO refresh_tokens (token_hash, website_id, api_key_id, "
                               "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return DB_ERROR;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    db_bind_text(st, 2, website_id);
    db_bind_text(st, 3, api_key_id);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, expires_at);
    return db_step_done(db, st, false);
}

enum db_result refresh_db_find(struct db *db, const unsigned char hash[32], int64_t now,
                               char *website_id, char *intp_id)
{
    sqlite3_stmt *st =
        db_stmt(db, STMT_REFRESH_FIND,
                "SELECT r.website_id, w.intp_id FROM refresh_tokens r JOIN websites "
                "w ON w.id = r.website_id JOIN intps i ON i.id = w.intp_id AND "
                "i.deleted_at IS NULL WHERE r.token_hash = ?1 AND r.expires_at > ?2");
    if (!st)
        return DB_ERROR;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    enum db_result r = db_step_row(db, st);
    if (r == DB_OK) {
        db_column_copy(st, 0, website_id, UUID_SIZE);
        db_column_copy(st, 1, intp_id, INTP_ID_SIZE);
    }
    db_done(st);
    return r;
}
