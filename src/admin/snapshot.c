/* Snapshots, seeds and backup (README "Snapshots, seeds and backup"): a partner's whole state as
 * one JSON document and back, and a consistent copy of the database file. The tables and columns
 * come from store/snapshot_db.h; this file only maps values to JSON and back. */
#include "admin/snapshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "auth/jwt.h"
#include "auth/keys.h"
#include "auth/secret.h"
#include "http/validate.h"
#include "util/util.h"

#define MAX_SAFE_INT 9007199254740991LL /* 2^53 - 1: exact as a JSON number */

/* ---- names ---- */

/* The JSON key of SQL name `name` ("intp_customer_id" -> "intpCustomerId") into out[size]. */
static void camel_case(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < size; p++) {
        if (*p == '_' && p[1]) {
            p++;
            out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* The member of the document holding table `t`: "intp" for the partner, else its camelCase. */
static void table_key(enum snapshot_table_id t, char *out, size_t size)
{
    if (t == SNAP_INTPS)
        snprintf(out, size, "intp");
    else
        camel_case(snapshot_tables[t].name, out, size);
}

/* ---- to JSON ---- */

static const char hex_digits[] = "0123456789abcdef";

static void hex_encode(const unsigned char *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex_digits[bytes[i] >> 4];
        out[2 * i + 1] = hex_digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

static void add_value(cJSON *row, const struct snapshot_column *col, const struct snapshot_value *v)
{
    char key[64], hex[2 * SNAPSHOT_HASH_SIZE + 1];
    camel_case(col->name, key, sizeof(key));
    if (v->null) {
        cJSON_AddNullToObject(row, key);
        return;
    }
    switch (col->kind) {
    case SNAP_TEXT:
        cJSON_AddStringToObject(row, key, v->s);
        break;
    case SNAP_HASH:
        hex_encode((const unsigned char *)v->s, SNAPSHOT_HASH_SIZE, hex);
        cJSON_AddStringToObject(row, key, hex);
        break;
    case SNAP_BOOL:
        cJSON_AddBoolToObject(row, key, v->i != 0);
        break;
    case SNAP_TIME:
        json_add_time(row, key, v->i);
        break;
    case SNAP_INT:
        cJSON_AddNumberToObject(row, key, (double)v->i);
        break;
    }
}

static void add_row(cJSON *row, enum snapshot_table_id t, const struct snapshot_value *v)
{
    for (size_t c = 0; c < snapshot_tables[t].ncolumns; c++)
        add_value(row, &snapshot_tables[t].columns[c], &v[c]);
}

cJSON *snapshot_to_json(const struct snapshot *s)
{
    char key[64];
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", SNAPSHOT_VERSION);
    for (int t = 0; t < SNAP__TABLES; t++) {
        table_key((enum snapshot_table_id)t, key, sizeof(key));
        if (t == SNAP_INTPS) {
            add_row(cJSON_AddObjectToObject(doc, key), SNAP_INTPS, snapshot_row(s, SNAP_INTPS, 0));
            continue;
        }
        cJSON *rows = cJSON_AddArrayToObject(doc, key);
        for (size_t i = 0; i < s->tables[t].nrows; i++) {
            cJSON *row = cJSON_CreateObject();
            cJSON_AddItemToArray(rows, row);
            add_row(row, (enum snapshot_table_id)t, snapshot_row(s, (enum snapshot_table_id)t, i));
        }
    }
    return doc;
}

/* ---- from JSON ---- */

static int hex_value(char c)
{
    const char *p = c ? strchr(hex_digits, c) : NULL;
    return p ? (int)(p - hex_digits) : -1;
}

/* `text` as SNAPSHOT_HASH_SIZE bytes into a new buffer; NULL unless it is that many bytes in
 * lower-case hex. */
static char *hex_decode_hash(const char *text)
{
    if (strlen(text) != 2 * SNAPSHOT_HASH_SIZE)
        return NULL;
    unsigned char *out = xmalloc(SNAPSHOT_HASH_SIZE);
    for (size_t i = 0; i < SNAPSHOT_HASH_SIZE; i++) {
        int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return (char *)out;
}

/* The allowed values of `col` as "a, b, c" into out[size]. */
static void allowed_list(const struct snapshot_column *col, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *const *a = col->allowed; *a; a++) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? ", " : "", *a);
    }
}

/* A string value of `col` (text or hash) into *v; 0, or -1 with the 400. */
static int string_or_reply(const cJSON *j, const struct snapshot_column *col, const char *path,
                           struct snapshot_value *v, struct response *res)
{
    char list[256];
    if (!cJSON_IsString(j)) {
        reply_error(res, ERR_VALIDATION, path, "%s must be a string", path);
        return -1;
    }
    if (col->kind == SNAP_HASH) {
        v->s = hex_decode_hash(j->valuestring);
        if (!v->s)
            reply_error(res, ERR_VALIDATION, path, "%s must be %d bytes in lower-case hex", path,
                        SNAPSHOT_HASH_SIZE);
        return v->s ? 0 : -1;
    }
    if (col->allowed && str_index(col->allowed, -1, j->valuestring) < 0) {
        allowed_list(col, list, sizeof(list));
        reply_error(res, ERR_VALIDATION, path, "%s must be one of: %s", path, list);
        return -1;
    }
    v->s = xstrdup(j->valuestring);
    return 0;
}

/* A number, boolean or time value of `col` into *v; 0, or -1 with the 400. */
static int integer_or_reply(const cJSON *j, const struct snapshot_column *col, const char *path,
                            struct snapshot_value *v, struct response *res)
{
    if (col->kind == SNAP_BOOL) {
        if (!cJSON_IsBool(j)) {
            reply_error(res, ERR_VALIDATION, path, "%s must be a boolean", path);
            return -1;
        }
        v->i = cJSON_IsTrue(j);
        return 0;
    }
    if (col->kind == SNAP_TIME) {
        if (!cJSON_IsString(j) || time_parse(j->valuestring, &v->i) || v->i < 0) {
            reply_error(res, ERR_VALIDATION, path, "%s must be an RFC 3339 time from 1970 on",
                        path);
            return -1;
        }
        return 0;
    }
    double d = cJSON_IsNumber(j) ? j->valuedouble : NAN;
    if (!(fabs(d) <= (double)MAX_SAFE_INT) || d != floor(d)) {
        reply_error(res, ERR_VALIDATION, path, "%s must be an integer of at most 2^53 - 1", path);
        return -1;
    }
    v->i = (int64_t)d;
    return 0;
}

/* Member `col` of `item` (named `path` in errors) into *v; 0, or -1 with the 400. */
static int value_or_reply(const cJSON *item, const struct snapshot_column *col, const char *path,
                          struct snapshot_value *v, struct response *res)
{
    char key[64];
    camel_case(col->name, key, sizeof(key));
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(item, key);
    if (!j) {
        reply_error(res, ERR_VALIDATION, path, "%s is required", path);
        return -1;
    }
    if (cJSON_IsNull(j)) {
        if (!col->nullable) {
            reply_error(res, ERR_VALIDATION, path, "%s must not be null", path);
            return -1;
        }
        v->null = true;
        return 0;
    }
    v->null = false;
    if (col->kind == SNAP_TEXT || col->kind == SNAP_HASH)
        return string_or_reply(j, col, path, v, res);
    return integer_or_reply(j, col, path, v, res);
}

/* Row object `item` of table `t` (named `where`, "customers[2]") appended to *out. */
static int row_or_reply(const cJSON *item, enum snapshot_table_id t, const char *where,
                        struct snapshot *out, struct response *res)
{
    const struct snapshot_table *table = &snapshot_tables[t];
    char path[256], key[64]; /* where (< 160) "." member (<= 64) */
    const cJSON *member;
    if (!cJSON_IsObject(item)) {
        reply_error(res, ERR_VALIDATION, where, "%s must be an object", where);
        return -1;
    }
    cJSON_ArrayForEach (member, item) {
        size_t c = 0;
        for (; c < table->ncolumns; c++) {
            camel_case(table->columns[c].name, key, sizeof(key));
            if (strcmp(key, member->string) == 0)
                break;
        }
        if (c == table->ncolumns) {
            snprintf(path, sizeof(path), "%s.%.64s", where, member->string);
            {
                reply_error(res, ERR_VALIDATION, path, "%s is not a column of %s", path,
                            table->name);
                return -1;
            }
        }
    }
    struct snapshot_value *v = snapshot_row_add(out, t);
    for (size_t c = 0; c < table->ncolumns; c++) {
        camel_case(table->columns[c].name, key, sizeof(key));
        snprintf(path, sizeof(path), "%s.%s", where, key);
        if (value_or_reply(item, &table->columns[c], path, &v[c], res))
            return -1;
    }
    return 0;
}

/* Member `key` of `doc`: the partner object, or the array of table `t`. */
static int table_or_reply(const cJSON *doc, enum snapshot_table_id t, struct snapshot *out,
                          struct response *res)
{
    char key[64], where[96];
    table_key(t, key, sizeof(key));
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(doc, key), *item;
    if (!j) {
        reply_error(res, ERR_VALIDATION, key, "%s is required", key);
        return -1;
    }
    if (t == SNAP_INTPS)
        return row_or_reply(j, t, key, out, res);
    if (!cJSON_IsArray(j)) {
        reply_error(res, ERR_VALIDATION, key, "%s must be an array", key);
        return -1;
    }
    size_t i = 0;
    cJSON_ArrayForEach (item, j) {
        snprintf(where, sizeof(where), "%s[%zu]", key, i++);
        if (row_or_reply(item, t, where, out, res))
            return -1;
    }
    return 0;
}

/* Refuse a member of the document that is neither "version" nor a table. */
static int members_or_reply(const cJSON *doc, struct response *res)
{
    char key[64];
    const cJSON *member;
    cJSON_ArrayForEach (member, doc) {
        bool known = strcmp(member->string, "version") == 0;
        for (int t = 0; t < SNAP__TABLES && !known; t++) {
            table_key((enum snapshot_table_id)t, key, sizeof(key));
            known = strcmp(key, member->string) == 0;
        }
        if (!known) {
            reply_error(res, ERR_VALIDATION, member->string, "%.64s is not a member of a snapshot",
                        member->string);
            return -1;
        }
    }
    return 0;
}

int snapshot_parse_or_reply(const cJSON *doc, struct snapshot *out, struct response *res)
{
    int64_t version = 0;
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(doc, "payload");
    if (payload && cJSON_GetArraySize(doc) == 1) {
        if (!cJSON_IsObject(payload)) {
            reply_error(res, ERR_VALIDATION, "payload", "payload must be an object");
            return -1;
        }
        doc = payload;
    }
    if (json_int_or_reply(doc, "version", 0, INT32_MAX, &version, res))
        return -1;
    if (version != SNAPSHOT_VERSION) {
        reply_error(res, ERR_VALIDATION, "version",
                    "version must be %d (the snapshot format this server reads)", SNAPSHOT_VERSION);
        return -1;
    }
    if (members_or_reply(doc, res))
        return -1;
    for (int t = 0; t < SNAP__TABLES; t++)
        if (table_or_reply(doc, (enum snapshot_table_id)t, out, res))
            return -1;
    return 0;
}

/* ---- restoring ---- */

/* The index of column `name` of table `t` (it is there: snapshot_db.c lists it). */
static size_t column_of(enum snapshot_table_id t, const char *name)
{
    size_t c = 0;
    while (strcmp(snapshot_tables[t].columns[c].name, name) != 0)
        c++;
    return c;
}

/* The keys of the partner row must be what onboarding accepts (auth/keys.h). */
static int keys_or_reply(const struct snapshot *s, struct response *res)
{
    const struct snapshot_value *p = snapshot_row(s, SNAP_INTPS, 0);
    const struct snapshot_value *public_key = &p[column_of(SNAP_INTPS, "public_key")];
    const struct snapshot_value *private_key = &p[column_of(SNAP_INTPS, "private_key")];
    EVP_PKEY *pub = keys_parse_public_pem(public_key->s);
    EVP_PKEY *priv = private_key->null ? NULL : keys_parse_private_pem(private_key->s);
    int rc = 0;
    if (!pub)
        rc = reply_error(res, ERR_VALIDATION, "intp.publicKey",
                         "intp.publicKey must be an RSA public key of at least %d bits in PEM",
                         KEYS_MIN_RSA_BITS);
    else if (!private_key->null && (!priv || !keys_match(pub, priv)))
        rc = reply_error(res, ERR_VALIDATION, "intp.privateKey",
                         "intp.privateKey must be the RSA private key (PEM) of intp.publicKey");
    EVP_PKEY_free(pub);
    EVP_PKEY_free(priv);
    return rc ? -1 : 0;
}

/* Replace the uuid `*s` by one derived from partner `id` and it (SHA-256, as a version 4 uuid). */
static void rename_id(char **s, const char *id)
{
    unsigned char h[SECRET_HASH_SIZE];
    char *seed = xmalloc(strlen(id) + strlen(*s) + 2), out[UUID_SIZE];
    sprintf(seed, "%s\n%s", id, *s);
    secret_hash(seed, h);
    free(seed);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x40);
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
    snprintf(out, sizeof(out),
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0], h[1],
             h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14],
             h[15]);
    free(*s);
    *s = xstrdup(out);
}

/* Replace the hash `*s` by SHA-256 of partner `id` and its hex: the copy's keys and tokens
 * open nothing (their plain text was never kept), and collide with nothing. */
static void rename_hash(char *s, const char *id)
{
    char hex[2 * SNAPSHOT_HASH_SIZE + 1];
    hex_encode((const unsigned char *)s, SNAPSHOT_HASH_SIZE, hex);
    char *seed = xmalloc(strlen(id) + sizeof(hex) + 1);
    sprintf(seed, "%s\n%s", id, hex);
    secret_hash(seed, (unsigned char *)s);
    free(seed);
}

/* Rename every global id of `s`, every reference to one, and every hash, for partner `id`. */
static void rename_for(struct snapshot *s, const char *id)
{
    for (int t = 0; t < SNAP__TABLES; t++) {
        const struct snapshot_table *table = &snapshot_tables[t];
        for (size_t row = 0; row < s->tables[t].nrows; row++) {
            struct snapshot_value *v = snapshot_row(s, (enum snapshot_table_id)t, row);
            for (size_t c = 0; c < table->ncolumns; c++) {
                const struct snapshot_column *col = &table->columns[c];
                if (v[c].null)
                    continue;
                if ((c == 0 && table->global_id) || col->ref != SNAP_NO_REF)
                    rename_id(&v[c].s, id);
                else if (col->kind == SNAP_HASH)
                    rename_hash(v[c].s, id);
            }
        }
    }
}

/* The 400 of what the store refused, naming "table[row].column". */
static int fault_reply(const struct snapshot_fault *f, struct response *res)
{
    char where[160], key[64];
    table_key(f->table, key, sizeof(key));
    if (f->table == SNAP_INTPS)
        snprintf(where, sizeof(where), "%s", key);
    else
        snprintf(where, sizeof(where), "%s[%zu]", key, f->row);
    if (f->column >= 0) {
        size_t n = strlen(where);
        camel_case(snapshot_tables[f->table].columns[f->column].name, key, sizeof(key));
        snprintf(where + n, sizeof(where) - n, ".%s", key);
    }
    reply_error(res, f->duplicate ? ERR_DUPLICATE : ERR_VALIDATION, where, "%s: %s", where,
                f->message);
    return -1;
}

int snapshot_restore_or_reply(struct db *db, const char *id, struct snapshot *s, bool *existed,
                              struct response *res)
{
    struct snapshot_fault fault;
    if (!str_is_token(id, JWT_MAX_ID, "-_.")) {
        reply_error(res, ERR_VALIDATION, "id",
                    "id may hold only letters, digits, '-', '_', '.' (at most %d)", JWT_MAX_ID);
        return -1;
    }
    if (keys_or_reply(s, res))
        return -1;
    /* references are checked before renaming, so that an error names the value sent */
    if (snapshot_check(s, &fault))
        return fault_reply(&fault, res);
    if (strcmp(snapshot_row(s, SNAP_INTPS, 0)[0].s, id) != 0)
        rename_for(s, id);
    switch (snapshot_db_restore(db, id, s, existed, &fault)) {
    case DB_OK:
        return 0;
    case DB_CONFLICT:
        return fault_reply(&fault, res);
    case DB_NOT_FOUND:
    case DB_ERROR:
        break;
    }
    reply_error(res, ERR_INTERNAL, NULL, "could not restore the snapshot");
    return -1;
}

/* ---- the routes ---- */

/* GET /__admin/intps/{id}/snapshot -> 200 {payload: snapshot} | 404 */
enum http_status admin_snapshot_get(struct request *req, struct response *res)
{
    struct snapshot s = {0};
    const char *id = request_param(req, "id");
    switch (snapshot_db_read(req->db, id, &s)) {
    case DB_OK:
        reply_payload(res, HTTP_OK, snapshot_to_json(&s));
        break;
    case DB_NOT_FOUND:
    case DB_CONFLICT:
        reply_error(res, ERR_INTP_NOT_FOUND, "id", "no intp with id '%s'", id);
        break;
    case DB_ERROR:
        reply_error(res, ERR_INTERNAL, NULL, "could not read the snapshot");
        break;
    }
    snapshot_release(&s);
    return res->status;
}

/* {id, replaced, rows: {table: count}} of a restore. */
static cJSON *restored_to_json(const char *id, bool replaced, const struct snapshot *s)
{
    char key[64];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddBoolToObject(o, "replaced", replaced);
    cJSON *rows = cJSON_AddObjectToObject(o, "rows");
    for (int t = SNAP_INTPS + 1; t < SNAP__TABLES; t++) {
        table_key((enum snapshot_table_id)t, key, sizeof(key));
        cJSON_AddNumberToObject(rows, key, (double)s->tables[t].nrows);
    }
    return o;
}

/* Restore the body as partner `id` (NULL: ?id=, else the snapshot's own). */
static enum http_status restore(struct request *req, struct response *res, const char *id)
{
    struct snapshot s = {0};
    cJSON *body = NULL;
    bool existed = false;
    if (request_json_object_or_reply(req, res, &body) || snapshot_parse_or_reply(body, &s, res))
        goto out;
    if (!id)
        id = request_query(req, "id");
    if (!id || !*id)
        id = snapshot_row(&s, SNAP_INTPS, 0)[0].s;
    if (snapshot_restore_or_reply(req->db, id, &s, &existed, res))
        goto out;
    app_forget_keys(req->app);
    reply_payload(res, existed ? HTTP_OK : HTTP_CREATED, restored_to_json(id, existed, &s));
out:
    snapshot_release(&s);
    cJSON_Delete(body);
    return res->status;
}

/* POST /__admin/intps/{id}/snapshot {snapshot} -> 200 {id, replaced, rows} | 400 | 404 */
enum http_status admin_snapshot_restore(struct request *req, struct response *res)
{
    return restore(req, res, request_param(req, "id"));
}

/* POST /__admin/snapshots?id= {snapshot} -> 201 (created) | 200 (replaced) {id, replaced, rows}
 *   | 400: under ?id=, else under the snapshot's own partner id */
enum http_status admin_snapshots_restore(struct request *req, struct response *res)
{
    return restore(req, res, NULL);
}

/* GET /__admin/backup -> 200 the database file (application/vnd.sqlite3) | 500 */
enum http_status admin_backup(struct request *req, struct response *res)
{
    char *bytes = NULL, stamp[32], name[32];
    size_t len = 0;
    if (snapshot_db_backup(req->db, &bytes, &len) != DB_OK)
        return reply_error(res, ERR_INTERNAL, NULL, "could not copy the database");
    time_format(time_now(), stamp);
    size_t n = 0;
    for (const char *p = stamp; *p && n + 1 < sizeof(name); p++)
        if (*p != '-' && *p != ':')
            name[n++] = *p;
    name[n] = '\0';
    response_clear(res);
    res->status = HTTP_OK;
    res->text = bytes;
    res->text_len = len;
    res->content_type = "application/vnd.sqlite3";
    snprintf(res->disposition, sizeof(res->disposition), "attachment; filename=\"mock3as-%s.db\"",
             name);
    return HTTP_OK;
}
