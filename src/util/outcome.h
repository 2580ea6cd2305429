/* What a domain function (billing/) reports when it refuses: a code, the field at fault and a
 * message for the client. The handler maps the code to its HTTP answer (http/response.h,
 * reply_outcome), so the domain never sees HTTP. */
#ifndef MOCK3AS_OUTCOME_H
#define MOCK3AS_OUTCOME_H

#define FOR_EACH_OUTCOME(X)                                                                        \
    X(OUT_OK)            /* done */                                                                \
    X(OUT_INVALID)       /* the input breaks a rule (400) */                                       \
    X(OUT_DUPLICATE)     /* the id or email is taken (400) */                                      \
    X(OUT_WRONG_MODEL)   /* not for this partner's subscription type (400) */                      \
    X(OUT_RULE_OBSERVED) /* a D3 rule, profile "observed" (500) */                                 \
    X(OUT_RULE_INTENDED) /* a D3 rule, profile "intended" (400) */                                 \
    X(OUT_NOT_POSSIBLE)  /* not possible from this status (400) */                                 \
    X(OUT_NO_INTP)       /* unknown partner (404) */                                               \
    X(OUT_NO_CUSTOMER)   /* unknown customer (404) */                                              \
    X(OUT_NO_WEBSITE)    /* unknown website (404) */                                               \
    X(OUT_NO_PACKAGE)    /* unknown package (404) */                                               \
    X(OUT_FAILED)        /* the store failed (500, logged where it failed) */

#define OUTCOME_ENUM(id) id,
enum outcome_code { FOR_EACH_OUTCOME(OUTCOME_ENUM) OUT__COUNT };
#undef OUTCOME_ENUM

struct outcome {
    enum outcome_code code;
    char field[128];   /* the request field at fault, "" for none */
    char message[512]; /* for the client's "message" */
};

/* Fill `o` (field may be NULL) and return -1, so that a domain function can end with
 * `return outcome_fail(o, …);`. */
int outcome_fail(struct outcome *o, enum outcome_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
