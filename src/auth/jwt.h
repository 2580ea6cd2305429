/* JSON Web Tokens, RS256 only (contract §3, D9). A pure module: no globals, the time is passed
 * in, keys are OpenSSL EVP_PKEYs owned by the caller. */
#ifndef MOCK3AS_JWT_H
#define MOCK3AS_JWT_H

#include <stdint.h>

#include <openssl/evp.h>

#define JWT_SKEW_SECONDS 60 /* allowed clock skew for exp, nbf and iat (D9) */
#define JWT_MAX_TOKEN    8192
#define JWT_MAX_ID       64  /* kid / intp_id */
#define JWT_MAX_INTPC_ID 255 /* intpc_id */

enum jwt_role { JWT_ROLE_INTP = 1 << 0, JWT_ROLE_INTPC = 1 << 1 };

/* Every outcome of a verification, with the reason a 401 reports in its "message". */
#define FOR_EACH_JWT_RESULT(X)                                                                     \
    X(JWT_OK, "ok")                                                                                \
    X(JWT_MISSING, "no Bearer token in the Authorization header")                                  \
    X(JWT_MALFORMED, "token is not a well-formed JWT")                                             \
    X(JWT_BAD_ALG, "token algorithm must be RS256")                                                \
    X(JWT_BAD_TYP, "token typ must be JWT")                                                        \
    X(JWT_NO_KID, "token header has no kid")                                                       \
    X(JWT_UNKNOWN_KID, "token kid names no known intp")                                            \
    X(JWT_BAD_SIGNATURE, "token signature does not verify")                                        \
    X(JWT_BAD_CLAIMS, "token claims are missing or mistyped")                                      \
    X(JWT_KID_MISMATCH, "token intp_id does not equal its kid")                                    \
    X(JWT_NO_ROLE, "token roles contain neither intp nor intpc")                                   \
    X(JWT_EXPIRED, "token has expired")                                                            \
    X(JWT_NOT_YET_VALID, "token is not valid yet (nbf or iat in the future)")

#define JWT_ENUM(name, text) name,
enum jwt_result { FOR_EACH_JWT_RESULT(JWT_ENUM) };
#undef JWT_ENUM

/* What a verified token says. Strings are copies; nothing to free. */
struct jwt_claims {
    char kid[JWT_MAX_ID + 1];
    char intpc_id[JWT_MAX_INTPC_ID + 1]; /* "" when absent or null */
    unsigned roles;                      /* enum jwt_role bits */
    int64_t exp;                         /* seconds, fraction dropped */
};

/* The reason text of a result ("token has expired"). */
const char *jwt_result_text(enum jwt_result r);

/* Read the kid of `token`'s header into kid[JWT_MAX_ID + 1] without checking anything else.
 * Returns JWT_OK, JWT_MALFORMED or JWT_NO_KID. */
enum jwt_result jwt_peek_kid(const char *token, char *kid);

/* Verify `token` against the RSA public `key` at unix time `now`: header (alg RS256, typ
 * JWT/jwt/absent, kid), signature, then claims (roles, intp_id == kid, exp required, nbf and
 * iat honoured, integers or floats, 60 s skew, iss ignored). Fills *claims on JWT_OK. */
enum jwt_result jwt_verify_rs256(const char *token, EVP_PKEY *key, int64_t now,
                                 struct jwt_claims *claims);

/* Sign `header_json`.`payload_json` with the RSA private `key` (RS256). Returns a new token the
 * caller frees, or NULL when signing fails. */
char *jwt_sign_rs256(const char *header_json, const char *payload_json, EVP_PKEY *key);

/* Sign `claims` under the header {"alg":"RS256","typ":"JWT","kid":kid}, as the node SDK does.
 * Returns a new token the caller frees, or NULL. */
struct cJSON;
char *jwt_sign_claims(const char *kid, const struct cJSON *claims, EVP_PKEY *key);

/* base64url without padding. encode returns a new string the caller frees; decode returns a new
 * buffer (NUL-terminated for convenience) and its length, or NULL on bad input. */
char *base64url_encode(const unsigned char *data, size_t len);
unsigned char *base64url_decode(const char *text, size_t text_len, size_t *out_len);

#endif
