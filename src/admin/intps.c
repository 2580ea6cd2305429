/* Partners (INTPs): onboarding and the admin API under /__admin/intps, token minting, and the
 * partner's own GET /v2/3as/company-details (contract §4.1, E1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "api/render.h"
#include "billing/onboard.h"
#include "billing/purge.h"
#include "store/faults_db.h"
#include "store/intps_db.h"
#include "http/validate.h"
#include "auth/keys.h"
#include "util/log.h"
#include "store/packages_db.h"
#include "util/util.h"

#define MAX_TOKEN_TTL (366 * 86400)

static const char *const token_roles[] = {"intp", "intpc", NULL};

/* The admin view: the INTP plus its public key and whether the mock can mint its tokens. */
static cJSON *intp_admin_to_json(const struct intp *p)
{
    cJSON *o = intp_to_json(p);
    cJSON_AddStringToObject(o, "publicKey", p->public_key);
    cJSON_AddBoolToObject(o, "hasPrivateKey", p->private_key != NULL);
    return o;
}

/* ---- onboarding ---- */

/* Read the onboarding body into *in (strings borrowed from body). */
static int onboarding_or_reply(const cJSON *body, struct onboarding *in, struct response *res)
{
    *in = (struct onboarding){0};
    if (json_string_or_reply(body, "id", false, JWT_MAX_ID, &in->id, res) ||
        json_string_or_reply(body, "name", false, ONBOARD_MAX_NAME, &in->name, res) ||
        json_string_or_reply(body, "address", false, ONBOARD_MAX_ADDRESS, &in->address, res) ||
        json_enum_or_reply(body, "subscriptionType", onboard_subscription_types,
                           &in->subscription_type, res) ||
        json_enum_or_reply(body, "billingMode", onboard_billing_modes, &in->billing_mode, res) ||
        json_bool_or_reply(body, "websiteOnboarding", &in->website_onboarding, res) ||
        json_string_or_reply(body, "publicKey", false, ONBOARD_MAX_PEM, &in->public_key, res) ||
        json_string_or_reply(body, "privateKey", false, ONBOARD_MAX_PEM, &in->private_key, res))
        return -1;
    return 0;
}

/* POST /__admin/intps {id?, name?, address?, publicKey?, privateKey?, subscriptionType?,
 *                      billingMode?, websiteOnboarding?} -> 201 INTP (+privateKey once) | 400 */
enum http_status admin_intps_create(struct request *req, struct response *res)
{
    struct onboarding in;
    struct onboarded done;
    struct outcome o;
    cJSON *body = NULL;
    if (request_json_object_or_reply(req, res, &body) || onboarding_or_reply(body, &in, res))
        goto out;
    in.keys = req->app->keypool;
    /* a deleted partner of this id still being purged: finish it in slices first, so that
     * onboarding (which would purge it whole) holds no long write lock */
    if (in.id && tenant_purge(req->db, in.id, TENANT_PURGE_SLICE_ROWS)) {
        reply_error(res, ERR_INTERNAL, NULL, "could not purge the deleted intp '%s'", in.id);
        goto out;
    }
    /* no key given and none ready: wait for a generated pair without holding the write lock
     * (what was written so far is committed: a purge slice at most) */
    if (!in.public_key && !in.private_key && keypool_ready(in.keys) == 0) {
        if (db_pause(req->db)) {
            reply_error(res, ERR_INTERNAL, NULL, "could not commit before the key generation");
            goto out;
        }
        keypool_wait(in.keys);
        if (db_resume(req->db)) {
            reply_error(res, ERR_INTERNAL, NULL, "could not start a transaction");
            goto out;
        }
    }
    if (intp_onboard(req->db, &in, time_now(), &done, &o)) {
        reply_outcome(res, &o);
        goto out;
    }
    cJSON *payload = intp_admin_to_json(&done.intp);
    /* a generated private key is shown once, here; a partner's own is never echoed */
    if (done.generated_private)
        cJSON_AddStringToObject(payload, "privateKey", done.intp.private_key);
    keystore_put(req->app->keys, done.intp.id, done.public_key);
    done.public_key = NULL;
    onboarded_release(&done);
    reply_payload(res, HTTP_CREATED, payload);
out:
    cJSON_Delete(body);
    return res->status;
}

/* ---- admin reads and deletes ---- */

static int append_admin_json(const struct intp *p, void *ctx)
{
    cJSON_AddItemToArray(ctx, intp_admin_to_json(p));
    return 0;
}

/* GET /__admin/intps -> 200 [INTP…] in creation order */
enum http_status admin_intps_list(struct request *req, struct response *res)
{
    cJSON *items = cJSON_CreateArray();
    if (intps_db_foreach(req->db, append_admin_json, items) != DB_OK) {
        cJSON_Delete(items);
        return reply_error(res, ERR_INTERNAL, NULL, "could not list intps");
    }
    return reply_payload(res, HTTP_OK, items);
}

/* Load the partner named by the {id} param, or answer 404/500. */
static int load_intp_or_reply(struct request *req, const char *id, struct intp *p,
                              struct response *res)
{
    switch (intps_db_get(req->db, id, p)) {
    case DB_OK:
        return 0;
    case DB_NOT_FOUND:
    case DB_CONFLICT:
        reply_error(res, ERR_INTP_NOT_FOUND, "id", "no intp with id '%s'", id);
        return -1;
    case DB_ERROR:
        break;
    }
    reply_error(res, ERR_INTERNAL, NULL, "could not read the intp");
    return -1;
}

/* Something done to partner `id` after it was found; DB_OK or the failure. */
typedef enum db_result (*intp_action_fn)(struct request *req, const char *id);

/* Load the {id} partner, run `action` (may be NULL) and answer 200 with the partner as it was
 * loaded, or 404 / 500 ("could not <what> the intp"). */
static enum http_status reply_intp_after(struct request *req, struct response *res,
                                         intp_action_fn action, const char *what)
{
    struct intp p;
    const char *id = request_param(req, "id");
    if (load_intp_or_reply(req, id, &p, res))
        return res->status;
    if (action && action(req, id) != DB_OK)
        reply_error(res, ERR_INTERNAL, NULL, "could not %s the intp", what);
    else
        reply_payload(res, HTTP_OK, intp_admin_to_json(&p));
    intp_release(&p);
    return res->status;
}

/* Tombstone partner `id` and commit that alone: from then on it is gone for every read (other
 * workers included), also after a crash. Then purge its rows in slices; a purge cut short leaves
 * a tombstone that tenant_purge_leftovers() finishes, so the partner is deleted all the same. */
static enum db_result delete_intp(struct request *req, const char *id)
{
    struct app *app = req->app;
    enum db_result r = intps_db_mark_deleted(req->db, id, time_now());
    if (r != DB_OK)
        return r;
    keystore_remove(app->keys, id);
    token_cache_clear(app->tokens);
    /* the tombstone commits alone, waiting writers or not (db_yield might go on) */
    if (db_pause(req->db) || db_resume(req->db))
        return DB_ERROR;
    tenant_purge(req->db, id, TENANT_PURGE_SLICE_ROWS);
    return DB_OK;
}

/* A reset also drops the partner's fault rules: a reset partner answers as a fresh one. */
static enum db_result wipe_intp(struct request *req, const char *id)
{
    enum db_result r = intps_db_wipe(req->db, id);
    return r == DB_OK ? faults_db_clear(req->db, id) : r;
}

/* GET /__admin/intps/{id} -> 200 INTP | 404 */
enum http_status admin_intps_get(struct request *req, struct response *res)
{
    return reply_intp_after(req, res, NULL, NULL);
}

/* DELETE /__admin/intps/{id} -> 200 INTP (as it was) | 404; removes everything of the partner,
 * in short transactions (no other partner waits for the whole of it) */
enum http_status admin_intps_delete(struct request *req, struct response *res)
{
    return reply_intp_after(req, res, delete_intp, "delete");
}

/* POST /__admin/intps/{id}/reset -> 200 INTP | 404: wipe what the partner made, keep the
 * partner and its default catalogue */
enum http_status admin_intps_reset(struct request *req, struct response *res)
{
    return reply_intp_after(req, res, wipe_intp, "reset");
}

/* ---- tokens ---- */

/* Sign a token exactly as the node SDK does (contract §3.1/§3.2). Returns a new string. */
static char *mint_token(EVP_PKEY *key, const char *intp_id, const char *intpc_id, int64_t iat,
                        int64_t exp)
{
    cJSON *claims = cJSON_CreateObject();
    cJSON *roles = cJSON_AddArrayToObject(claims, "roles");
    cJSON_AddItemToArray(roles, cJSON_CreateString(intpc_id ? "intpc" : "intp"));
    cJSON_AddStringToObject(claims, "intp_id", intp_id);
    if (intpc_id)
        cJSON_AddStringToObject(claims, "intpc_id", intpc_id);
    cJSON_AddNumberToObject(claims, "exp", (double)exp);
    cJSON_AddNumberToObject(claims, "iat", (double)iat);
    char *token = jwt_sign_claims(intp_id, claims, key);
    cJSON_Delete(claims);
    return token;
}

/* Parse the tokens body: role, intpcId (required for intpc), ttlSeconds. */
static int token_request_or_reply(const cJSON *body, const char **intpc_id, int64_t *ttl,
                                  struct response *res)
{
    const char *role = "intp";
    *ttl = 600;
    if (json_enum_or_reply(body, "role", token_roles, &role, res) ||
        json_string_or_reply(body, "intpcId", strcmp(role, "intpc") == 0, JWT_MAX_INTPC_ID,
                             intpc_id, res) ||
        json_int_or_reply(body, "ttlSeconds", 1, MAX_TOKEN_TTL, ttl, res))
        return -1;
    if (strcmp(role, "intp") == 0)
        *intpc_id = NULL;
    return 0;
}

/* POST /__admin/intps/{id}/tokens {role?, intpcId?, ttlSeconds?} -> 201 {token, expiresAt}
 *   | 400 (bad body, or no private key held) | 404 */
enum http_status admin_intps_tokens(struct request *req, struct response *res)
{
    struct intp p;
    cJSON *body = NULL;
    const char *intpc_id;
    int64_t ttl, now = time_now();
    EVP_PKEY *key = NULL;
    char *token = NULL;
    if (load_intp_or_reply(req, request_param(req, "id"), &p, res))
        return res->status;
    if (request_json_object_or_reply(req, res, &body) ||
        token_request_or_reply(body, &intpc_id, &ttl, res))
        goto out;
    if (!p.private_key) {
        reply_error(res, ERR_NO_PRIVATE_KEY, NULL,
                    "intp '%s' was onboarded with its own public key; sign tokens with its "
                    "private key",
                    p.id);
        goto out;
    }
    key = keys_parse_private_pem(p.private_key);
    token = key ? mint_token(key, p.id, intpc_id, now, now + ttl) : NULL;
    if (!token) {
        reply_error(res, ERR_INTERNAL, NULL, "could not sign the token");
        goto out;
    }
    cJSON *payload = cJSON_CreateObject();
    cJSON_AddStringToObject(payload, "token", token);
    json_add_time(payload, "expiresAt", now + ttl);
    reply_payload(res, HTTP_CREATED, payload);
out:
    free(token);
    EVP_PKEY_free(key);
    cJSON_Delete(body);
    intp_release(&p);
    return res->status;
}
