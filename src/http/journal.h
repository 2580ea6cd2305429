/* The request journal: what every request asked and what it was answered, kept in memory for
 * the admin API (/__admin/requests) to search. One ring per partner plus one for requests of no
 * partner, each at most `max_entries` entries, and all of them together at most `max_bytes`
 * bytes: the oldest entries make room (and count as dropped). Recording copies raw fields only
 * (no JSON is built until an admin read), keeps at most JOURNAL_MAX_BODY bytes of the body, and
 * never keeps a credential: Authorization and X-Api-Key headers, query values and JSON body
 * strings whose names say token, key, secret or password become "sha256:" and the first 8 hex
 * digits of their SHA-256. The journal's own admin API is not journaled (a search would find
 * itself). Safe to share between threads. */
#ifndef MOCK3AS_JOURNAL_H
#define MOCK3AS_JOURNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define JOURNAL_MAX_BODY   4096 /* body bytes kept per entry; the rest is counted, not kept */
#define JOURNAL_OWN_ROUTES "/__admin/requests" /* the journal's admin API: not journaled */

/* The request headers kept, in this order: name, and whether the value is a credential. */
#define FOR_EACH_JOURNAL_HEADER(X)                                                                 \
    X(CONTENT_TYPE, "Content-Type", false)                                                         \
    X(ACCEPT, "Accept", false)                                                                     \
    X(USER_AGENT, "User-Agent", false)                                                             \
    X(REQUEST_ID, "X-Request-Id", false)                                                           \
    X(AUTHORIZATION, "Authorization", true)                                                        \
    X(API_KEY, "X-Api-Key", true)

#define JOURNAL_HEADER_ENUM(id, name, secret) JOURNAL_H_##id,
enum journal_header { FOR_EACH_JOURNAL_HEADER(JOURNAL_HEADER_ENUM) JOURNAL_HEADERS };
#undef JOURNAL_HEADER_ENUM

/* The name of header `h` ("Content-Type"). */
const char *journal_header_name(enum journal_header h);

/* What one request leaves in the journal; every pointer is borrowed for the call. */
struct journal_input {
    const char *method;
    const char *path;  /* as received, without the query */
    const char *query; /* as received, without the '?'; NULL or "" when none */
    const char *body;  /* body_len bytes */
    size_t body_len;
    const char *headers[JOURNAL_HEADERS]; /* values as received, NULL when absent */
    int status;
    int64_t at_us;       /* wall-clock time of the answer, unix microseconds */
    int64_t duration_us; /* from the first byte read to the answer */
    const char *request_id;
    const char *intp_id;      /* the partner it spoke for; NULL or "": none */
    const char *route;        /* the matched route template, static; NULL when none matched */
    bool unmatched;           /* no route matched (404 route not found, 405) */
    const char *error;        /* the "error" of an error answer, else NULL */
    const char *auth_failure; /* which authentication check failed, else NULL or "" */
    /* a credential already digested (auth/token_cache.h, struct auth): when the secret of a
     * header starts at token_at, its fingerprint is taken from token_sha256; NULL: none */
    const char *token_at;
    const unsigned char *token_sha256;
};

/* One recorded request. Immutable once recorded; strings are never NULL ("" when absent) except
 * `route` and the header values. */
struct journal_entry {
    struct journal_entry *older, *newer;           /* in the journal, across partners */
    struct journal_entry *ring_older, *ring_newer; /* in its partner's ring */
    struct journal_ring *ring;
    atomic_int refs; /* the journal's reference, plus one per reader holding it */
    size_t size;     /* bytes this entry costs, the struct included */
    uint64_t seq;    /* order of recording */
    int64_t at_us, duration_us;
    int status;
    bool unmatched;
    size_t body_len; /* as received; `body` holds the first min(body_len, JOURNAL_MAX_BODY) */
    size_t body_kept;
    const char *method, *path, *query, *body, *request_id, *intp_id, *error, *auth_failure;
    const char *route;
    const char *headers[JOURNAL_HEADERS]; /* redacted where secret; NULL when absent */
    char data[];
};

/* Which entries a search wants; zero / NULL fields match everything. */
struct journal_query {
    const char *intp_id;
    bool no_intp;               /* only requests of no partner */
    const char *method;         /* case-insensitive */
    const char *path;           /* exact, without the query; one trailing slash ignored */
    const char *route;          /* the route template, exact */
    int status_min, status_max; /* inclusive; 0: any */
    int64_t since_us;           /* at_us >= since_us */
    bool unmatched;             /* only requests that matched no route */
    const char *body_contains;  /* a substring of the kept body */
    const cJSON *body_json;     /* a subset of the body parsed as JSON (json_subset) */
    size_t limit;               /* at most this many (newest first); 0: no limit */
};

struct journal;

/* A journal of at most `max_entries` (>= 1) per ring and `max_bytes` in all. */
struct journal *journal_new(size_t max_entries, size_t max_bytes);
void journal_free(struct journal *j);

/* Record one request (copying what it keeps, redacting credentials). */
void journal_record(struct journal *j, const struct journal_input *in);

struct request;
struct response;

/* Record the request `req` answered with `res` (before http.c queues it: the error is read
 * from its body): `query` as received (NULL: none), `intp_id` the partner it spoke for (NULL:
 * none), `duration_us` from its first byte. */
void journal_note(struct journal *j, const struct request *req, const struct response *res,
                  const char *query, const char *intp_id, int64_t duration_us);

/* The entries matching `q`, newest first, into a new array *out (the caller frees it with
 * journal_entries_release, which drops the references it holds). Returns how many. */
size_t journal_find(struct journal *j, const struct journal_query *q, struct journal_entry ***out);

/* How many entries match `q` (its limit ignored). */
size_t journal_count(struct journal *j, const struct journal_query *q);

/* The newest entry with request id `id`, referenced (journal_entry_put), or NULL. */
struct journal_entry *journal_get(struct journal *j, const char *id);

/* Drop a reference taken by journal_find or journal_get. */
void journal_entry_put(struct journal_entry *e);
void journal_entries_release(struct journal_entry **entries, size_t n);

/* Forget the entries of partner `intp_id`, or every entry when NULL. Returns how many. Not
 * counted as dropped. */
size_t journal_clear(struct journal *j, const char *intp_id);

/* Entries and bytes held now, and entries dropped to make room since creation. */
void journal_stats(struct journal *j, size_t *entries, size_t *bytes, uint64_t *dropped);

/* Whether entry `e` matches `q` (its limit ignored). Pure. */
bool journal_entry_matches(const struct journal_entry *e, const struct journal_query *q);

/* Whether `pattern` is a subset of `actual`: an object's every member is in `actual` with a
 * matching value (more members allowed), an array matches an array of the same length element
 * by element, numbers by value, strings, booleans and null exactly. Pure. */
bool json_subset(const cJSON *pattern, const cJSON *actual);

/* "sha256:" and the first 8 hex digits of the SHA-256 of `secret` into out[16]. */
#define JOURNAL_FINGERPRINT_SIZE 16
void journal_fingerprint(const char *secret, size_t len, char out[JOURNAL_FINGERPRINT_SIZE]);

/* The entry as the admin API shows it (a new object the caller owns). */
cJSON *journal_entry_to_json(const struct journal_entry *e);

#endif
