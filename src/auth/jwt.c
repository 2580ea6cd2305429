/* JSON Web Tokens, RS256 only: parse, verify (contract D9) and sign. Pure: no globals. */
#include "auth/jwt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/util.h"

#define JWT_TEXT(name, text) text,
static const char *const result_texts[] = {FOR_EACH_JWT_RESULT(JWT_TEXT)};
#undef JWT_TEXT

const char *jwt_result_text(enum jwt_result r)
{
    return result_texts[r];
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *base64url_encode(const unsigned char *data, size_t len)
{
    char *out = xmalloc((len + 2) / 3 * 4 + 1), *w = out;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16 | (unsigned)data[i + 1] << 8 | data[i + 2];
        *w++ = b64url[v >> 18 & 63];
        *w++ = b64url[v >> 12 & 63];
        *w++ = b64url[v >> 6 & 63];
        *w++ = b64url[v & 63];
    }
    if (i < len) {
        unsigned v = (unsigned)data[i] << 16 | (i + 1 < len ? (unsigned)data[i + 1] << 8 : 0);
        *w++ = b64url[v >> 18 & 63];
        *w++ = b64url[v >> 12 & 63];
        if (i + 1 < len)
            *w++ = b64url[v >> 6 & 63];
    }
    *w = '\0';
    return out;
}

static int b64url_value(unsigned char c)
{
    const char *p = c ? strchr(b64url, c) : NULL;
    return p ? (int)(p - b64url) : -1;
}

unsigned char *base64url_decode(const char *text, size_t text_len, size_t *out_len)
{
    if (text_len % 4 == 1)
        return NULL;
    unsigned char *out = xmalloc(text_len / 4 * 3 + 3), *w = out;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < text_len; i++) {
        int v = b64url_value((unsigned char)text[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6 | (unsigned)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *w++ = (unsigned char)(acc >> bits);
        }
    }
    if (bits && (acc & ((1u << bits) - 1))) { /* non-canonical trailing bits */
        free(out);
        return NULL;
    }
    *w = '\0';
    *out_len = (size_t)(w - out);
    return out;
}

/* The three dot-separated parts of a compact JWT, decoded where JSON. */
struct jwt_parts {
    cJSON *header;
    cJSON *payload;
    const char *signed_part; /* "header.payload", not NUL-terminated */
    size_t signed_len;
    const char *sig_text; /* the base64url signature */
    size_t sig_len;
};

static void parts_release(struct jwt_parts *p)
{
    cJSON_Delete(p->header);
    cJSON_Delete(p->payload);
}

static cJSON *decode_json_part(const char *text, size_t len)
{
    size_t n;
    unsigned char *raw = base64url_decode(text, len, &n);
    if (!raw)
        return NULL;
    cJSON *json = strlen((char *)raw) == n ? cJSON_ParseWithLength((char *)raw, n) : NULL;
    free(raw);
    if (json && !cJSON_IsObject(json)) {
        cJSON_Delete(json);
        return NULL;
    }
    return json;
}

static int parse_parts(const char *token, struct jwt_parts *p)
{
    memset(p, 0, sizeof(*p));
    size_t len = strnlen(token, JWT_MAX_TOKEN + 1);
    const char *dot1 = memchr(token, '.', len);
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) : NULL;
    if (len > JWT_MAX_TOKEN || !dot2 || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)))
        return -1;
    p->signed_part = token;
    p->signed_len = (size_t)(dot2 - token);
    p->sig_text = dot2 + 1;
    p->sig_len = len - (size_t)(dot2 + 1 - token);
    p->header = decode_json_part(token, (size_t)(dot1 - token));
    p->payload = decode_json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    if (!p->header || !p->payload || p->sig_len == 0) {
        parts_release(p);
        return -1;
    }
    return 0;
}

static enum jwt_result copy_kid(const cJSON *header, char *kid)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(header, "kid");
    if (!cJSON_IsString(k) || !*k->valuestring || strlen(k->valuestring) > JWT_MAX_ID)
        return JWT_NO_KID;
    strcpy(kid, k->valuestring);
    return JWT_OK;
}

enum jwt_result jwt_peek_kid(const char *token, char *kid)
{
    struct jwt_parts p;
    if (parse_parts(token, &p))
        return JWT_MALFORMED;
    enum jwt_result r = copy_kid(p.header, kid);
    parts_release(&p);
    return r;
}

static enum jwt_result check_header(const cJSON *header, char *kid)
{
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    const cJSON *typ = cJSON_GetObjectItemCaseSensitive(header, "typ");
    if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "RS256") != 0)
        return JWT_BAD_ALG;
    if (typ && !(cJSON_IsString(typ) &&
                 (strcmp(typ->valuestring, "JWT") == 0 || strcmp(typ->valuestring, "jwt") == 0)))
        return JWT_BAD_TYP;
    if (cJSON_GetObjectItemCaseSensitive(header, "crit"))
        return JWT_MALFORMED; /* no extension is understood, so none may be critical */
    return copy_kid(header, kid);
}

static enum jwt_result check_signature(const struct jwt_parts *p, EVP_PKEY *key)
{
    size_t sig_len;
    unsigned char *sig = base64url_decode(p->sig_text, p->sig_len, &sig_len);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    enum jwt_result r = JWT_BAD_SIGNATURE;
    if (!sig || !ctx || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
        goto out;
    if (EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
        EVP_DigestVerify(ctx, sig, sig_len, (const unsigned char *)p->signed_part, p->signed_len) ==
            1)
        r = JWT_OK;
out:
    EVP_MD_CTX_free(ctx);
    free(sig);
    return r;
}

/* A NumericDate claim: absent (returns 0, *present false), a finite number, or mistyped (-1). */
static int numeric_date(const cJSON *payload, const char *name, double *out, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(payload, name);
    *present = v != NULL;
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || fabs(v->valuedouble) > 1e15)
        return -1;
    *out = v->valuedouble;
    return 0;
}

static enum jwt_result check_roles(const cJSON *payload, struct jwt_claims *c)
{
    const cJSON *roles = cJSON_GetObjectItemCaseSensitive(payload, "roles"), *role;
    if (!cJSON_IsArray(roles))
        return JWT_BAD_CLAIMS;
    c->roles = 0;
    cJSON_ArrayForEach (role, roles) {
        if (!cJSON_IsString(role))
            return JWT_BAD_CLAIMS;
        if (strcmp(role->valuestring, "intp") == 0)
            c->roles |= JWT_ROLE_INTP;
        else if (strcmp(role->valuestring, "intpc") == 0)
            c->roles |= JWT_ROLE_INTPC;
    }
    return c->roles ? JWT_OK : JWT_NO_ROLE;
}

static enum jwt_result check_ids(const cJSON *payload, struct jwt_claims *c)
{
    const cJSON *intp = cJSON_GetObjectItemCaseSensitive(payload, "intp_id");
    const cJSON *intpc = cJSON_GetObjectItemCaseSensitive(payload, "intpc_id");
    if (!cJSON_IsString(intp) || strcmp(intp->valuestring, c->kid) != 0)
        return JWT_KID_MISMATCH;
    c->intpc_id[0] = '\0';
    if (cJSON_IsString(intpc)) {
        if (strlen(intpc->valuestring) > JWT_MAX_INTPC_ID)
            return JWT_BAD_CLAIMS;
        strcpy(c->intpc_id, intpc->valuestring);
    } else if (intpc && !cJSON_IsNull(intpc)) {
        return JWT_BAD_CLAIMS;
    }
    if ((c->roles & JWT_ROLE_INTPC) && !(c->roles & JWT_ROLE_INTP) && !c->intpc_id[0])
        return JWT_BAD_CLAIMS; /* a customer token must name its customer */
    return JWT_OK;
}

static enum jwt_result check_times(const cJSON *payload, int64_t now, struct jwt_claims *c)
{
    double exp = 0, nbf = 0, iat = 0;
    int has_exp, has_nbf, has_iat;
    if (numeric_date(payload, "exp", &exp, &has_exp) || !has_exp ||
        numeric_date(payload, "nbf", &nbf, &has_nbf) ||
        numeric_date(payload, "iat", &iat, &has_iat))
        return JWT_BAD_CLAIMS;
    if ((double)now >= exp + JWT_SKEW_SECONDS)
        return JWT_EXPIRED;
    if ((has_nbf && nbf > (double)now + JWT_SKEW_SECONDS) ||
        (has_iat && iat > (double)now + JWT_SKEW_SECONDS))
        return JWT_NOT_YET_VALID;
    c->exp = (int64_t)floor(exp);
    return JWT_OK;
}

enum jwt_result jwt_verify_rs256(const char *token, EVP_PKEY *key, int64_t now,
                                 struct jwt_claims *claims)
{
    struct jwt_parts p;
    struct jwt_claims c;
    enum jwt_result r;
    if (parse_parts(token, &p))
        return JWT_MALFORMED;
    memset(&c, 0, sizeof(c));
    r = check_header(p.header, c.kid);
    if (r != JWT_OK)
        goto out;
    r = check_signature(&p, key);
    if (r != JWT_OK)
        goto out;
    r = check_roles(p.payload, &c);
    if (r != JWT_OK)
        goto out;
    r = check_ids(p.payload, &c);
    if (r != JWT_OK)
        goto out;
    r = check_times(p.payload, now, &c);
    if (r != JWT_OK)
        goto out;
    *claims = c;
out:
    parts_release(&p);
    return r;
}

char *jwt_sign_rs256(const char *header_json, const char *payload_json, EVP_PKEY *key)
{
    char *h = base64url_encode((const unsigned char *)header_json, strlen(header_json));
    char *pl = base64url_encode((const unsigned char *)payload_json, strlen(payload_json));
    size_t signed_len = strlen(h) + 1 + strlen(pl), sig_len = 0;
    char *token = NULL, *sig_text = NULL;
    unsigned char *sig = NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    char *signed_part = xmalloc(signed_len + 1);
    snprintf(signed_part, signed_len + 1, "%s.%s", h, pl);
    if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
        EVP_DigestSign(ctx, NULL, &sig_len, (unsigned char *)signed_part, signed_len) != 1)
        goto out;
    sig = xmalloc(sig_len);
    if (EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)signed_part, signed_len) != 1)
        goto out;
    sig_text = base64url_encode(sig, sig_len);
    token = xmalloc(signed_len + 1 + strlen(sig_text) + 1);
    sprintf(token, "%s.%s", signed_part, sig_text);
out:
    EVP_MD_CTX_free(ctx);
    free(h);
    free(pl);
    free(signed_part);
    free(sig);
    free(sig_text);
    return token;
}

char *jwt_sign_claims(const char *kid, const cJSON *claims, EVP_PKEY *key)
{
    cJSON *header = cJSON_CreateObject();
    cJSON_AddStringToObject(header, "alg", "RS256");
    cJSON_AddStringToObject(header, "typ", "JWT");
    cJSON_AddStringToObject(header, "kid", kid);
    char *h = cJSON_PrintUnformatted(header), *c = cJSON_PrintUnformatted(claims);
    char *token = h && c ? jwt_sign_rs256(h, c, key) : NULL;
    cJSON_free(h);
    cJSON_free(c);
    cJSON_Delete(header);
    return token;
}
