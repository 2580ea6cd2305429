/* The request journal (journal.h): entries in one allocation each, linked into a journal-wide
 * list (oldest first, for the byte bound) and into their partner's ring (for the count bound),
 * under one mutex. Readers take references and render outside the lock. */
#include "http/journal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "http/request.h"
#include "util/json.h"
#include "util/util.h"

#define RING_BUCKETS 256

struct journal_ring {
    char intp_id[INTP_ID_SIZE]; /* "" for the ring of requests of no partner */
    struct journal_entry *oldest, *newest;
    size_t n;
    struct journal_ring *next; /* in its hash bucket */
};

struct journal {
    pthread_mutex_t lock;
    size_t max_entries, max_bytes;
    struct journal_entry *oldest, *newest; /* every entry, in recording order */
    size_t n, bytes;
    uint64_t seq, dropped;
    struct journal_ring anon; /* requests of no partner */
    struct journal_ring *buckets[RING_BUCKETS];
};

#define HEADER_NAME(id, name, secret) name,
static const char *const header_names[] = {FOR_EACH_JOURNAL_HEADER(HEADER_NAME)};
#undef HEADER_NAME
#define HEADER_SECRET(id, name, secret) secret,
static const bool header_secret[] = {FOR_EACH_JOURNAL_HEADER(HEADER_SECRET)};
#undef HEADER_SECRET

const char *journal_header_name(enum journal_header h)
{
    return header_names[h];
}

/* ---- redaction ---- */

static EVP_MD *sha256; /* fetched once: an implicit fetch per digest costs more than hashing */
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/* "sha256:" and the first 4 bytes of the digest `md` in hex. */
static void fingerprint_of(const unsigned char *md, char out[JOURNAL_FINGERPRINT_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    memcpy(out, "sha256:", 7);
    for (int i = 0; i < 4; i++) {
        out[7 + 2 * i] = hex[md[i] >> 4];
        out[8 + 2 * i] = hex[md[i] & 15];
    }
    out[15] = '\0';
}

void journal_fingerprint(const char *secret, size_t len, char out[JOURNAL_FINGERPRINT_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    pthread_once(&sha256_once, fetch_sha256);
    if (!sha256 || !EVP_Digest(secret, len, md, NULL, sha256, NULL))
        memset(md, 0, sizeof(md)); /* "sha256:00000000": still no secret */
    fingerprint_of(md, out);
}

/* Whether a query or JSON member name `name` (len bytes) names a credential. */
static bool secret_name(const char *name, size_t len)
{
    static const char *const words[] = {"token",    "apikey",     "api_key",    "secret",
                                        "password", "privatekey", "private_key"};
    for (size_t w = 0; w < ARRAY_SIZE(words); w++) {
        size_t n = strlen(words[w]);
        for (size_t i = 0; i + n <= len; i++)
            if (strncasecmp(name + i, words[w], n) == 0)
                return true;
    }
    return false;
}

/* Append `n` bytes to dst (when not NULL) at *at. */
static void put(char *dst, size_t *at, const char *src, size_t n)
{
    if (dst)
        memcpy(dst + *at, src, n);
    *at += n;
}

/* The fingerprint of `secret`; `known` is the input's digested credential (or NULL), used
 * when `secret` is that very string. */
static void put_fingerprint(char *dst, size_t *at, const char *secret, size_t len,
                            const struct journal_input *known)
{
    char fp[JOURNAL_FINGERPRINT_SIZE];
    if (!dst) { /* measuring: the length is fixed, the hash is not needed */
        *at += JOURNAL_FINGERPRINT_SIZE - 1;
        return;
    }
    if (known && known->token_at == secret)      /* token_at is NULL unless a token was digested */
        fingerprint_of(known->token_sha256, fp); /* the same bytes to the end: the same digest */
    else
        journal_fingerprint(secret, len, fp);
    put(dst, at, fp, JOURNAL_FINGERPRINT_SIZE - 1);
}

/* A credential header: "Scheme <secret>" keeps the scheme, anything else is all secret. Writes
 * into dst (NULL: only measures); returns the length. */
static size_t redact_header(const char *value, char *dst, const struct journal_input *known)
{
    size_t at = 0, len = strlen(value);
    const char *space = memchr(value, ' ', len < 16 ? len : 16);
    if (space) {
        put(dst, &at, value, (size_t)(space - value) + 1);
        len -= (size_t)(space - value) + 1;
        value = space + 1;
    }
    put_fingerprint(dst, &at, value, len, known);
    return at;
}

/* The query with the values of credential names ("websiteToken=…") fingerprinted. */
static size_t redact_query(const char *q, size_t len, char *dst)
{
    size_t at = 0;
    for (size_t i = 0; i < len;) {
        const char *amp = memchr(q + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - q) : len;
        const char *eq = memchr(q + i, '=', end - i);
        if (eq && secret_name(q + i, (size_t)(eq - q) - i)) {
            put(dst, &at, q + i, (size_t)(eq - q) - i + 1);
            put_fingerprint(dst, &at, eq + 1, end - (size_t)(eq - q) - 1, NULL);
        } else {
            put(dst, &at, q + i, end - i);
        }
        if (amp)
            put(dst, &at, "&", 1);
        i = end + 1;
    }
    return at;
}

/* The end of the JSON string starting after its opening quote at s[i]: the index of the
 * closing quote, or len when it is cut short. */
static size_t string_end(const char *s, size_t i, size_t len)
{
    while (i < len && s[i] != '"')
        i += s[i] == '\\' ? 2 : 1;
    return i < len ? i : len;
}

static size_t skip_space(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* The body with every string value of a credential member ("apiKey": "…") fingerprinted. A
 * textual scan, so a body cut at JOURNAL_MAX_BODY or one that is no JSON is handled too. */
static size_t redact_body(const char *b, size_t len, char *dst)
{
    size_t at = 0, i = 0;
    while (i < len) {
        const char *quote = memchr(b + i, '"', len - i);
        if (!quote) {
            put(dst, &at, b + i, len - i);
            break;
        }
        size_t open = (size_t)(quote - b), close = string_end(b, open + 1, len);
        size_t next = close < len ? close + 1 : len;
        put(dst, &at, b + i, next - i);
        i = next;
        size_t colon = skip_space(b, i, len);
        if (colon >= len || b[colon] != ':' || !secret_name(b + open + 1, close - open - 1))
            continue;
        size_t value = skip_space(b, colon + 1, len);
        if (value >= len || b[value] != '"')
            continue;
        size_t value_end = string_end(b, value + 1, len);
        put(dst, &at, b + i, value + 1 - i);
        put_fingerprint(dst, &at, b + value + 1, value_end - value - 1, NULL);
        if (value_end < len)
            put(dst, &at, "\"", 1);
        i = value_end + 1;
    }
    return at;
}

/* ---- recording ---- */

static size_t text_len(const char *s)
{
    return s ? strlen(s) + 1 : 1;
}

/* Copy `s` (NULL: "") into the entry's data at *at; returns the copy. */
static const char *copy_text(struct journal_entry *e, size_t *at, const char *s)
{
    const char *out = e->data + *at;
    size_t n = s ? strlen(s) : 0;
    memcpy(e->data + *at, s ? s : "", n + 1);
    *at += n + 1;
    return out;
}

/* The bytes of data an entry for `in` needs, every string NUL-terminated. */
static size_t data_size(const struct journal_input *in, size_t body_kept)
{
    size_t n = text_len(in->method) + text_len(in->path) + text_len(in->request_id) +
               text_len(in->intp_id) + text_len(in->error) + text_len(in->auth_failure);
    n += (in->query ? redact_query(in->query, strlen(in->query), NULL) : 0) + 1;
    n += redact_body(in->body, body_kept, NULL) + 1;
    for (int h = 0; h < JOURNAL_HEADERS; h++)
        if (in->headers[h])
            n += (header_secret[h] ? redact_header(in->headers[h], NULL, in)
                                   : strlen(in->headers[h])) +
                 1;
    return n;
}

static struct journal_entry *entry_new(const struct journal_input *in)
{
    size_t kept = in->body_len < JOURNAL_MAX_BODY ? in->body_len : JOURNAL_MAX_BODY;
    size_t size = sizeof(struct journal_entry) + data_size(in, kept), at = 0;
    struct journal_entry *e = xmalloc(size);
    memset(e, 0, sizeof(*e));
    e->size = size;
    atomic_init(&e->refs, 1);
    e->at_us = in->at_us;
    e->duration_us = in->duration_us;
    e->status = in->status;
    e->unmatched = in->unmatched;
    e->route = in->route;
    e->body_len = in->body_len;
    e->method = copy_text(e, &at, in->method);
    e->path = copy_text(e, &at, in->path);
    e->request_id = copy_text(e, &at, in->request_id);
    e->intp_id = copy_text(e, &at, in->intp_id);
    e->error = copy_text(e, &at, in->error);
    e->auth_failure = copy_text(e, &at, in->auth_failure);
    e->query = e->data + at;
    at += in->query ? redact_query(in->query, strlen(in->query), e->data + at) : 0;
    e->data[at++] = '\0';
    e->body = e->data + at;
    e->body_kept = redact_body(in->body, kept, e->data + at);
    at += e->body_kept;
    e->data[at++] = '\0';
    for (int h = 0; h < JOURNAL_HEADERS; h++) {
        if (!in->headers[h])
            continue;
        e->headers[h] = e->data + at;
        if (header_secret[h]) {
            at += redact_header(in->headers[h], e->data + at, in);
            e->data[at++] = '\0';
        } else {
            copy_text(e, &at, in->headers[h]);
        }
    }
    return e;
}

static unsigned bucket_of(const char *id)
{
    uint32_t h = 2166136261u;
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 16777619u;
    return h % RING_BUCKETS;
}

/* The ring of partner `id` ("" or NULL: the ring of no partner); created when `create`. */
static struct journal_ring *ring_of(struct journal *j, const char *id, bool create)
{
    if (!id || !*id)
        return &j->anon;
    struct journal_ring **slot = &j->buckets[bucket_of(id)];
    for (struct journal_ring *r = *slot; r; r = r->next)
        if (strcmp(r->intp_id, id) == 0)
            return r;
    if (!create)
        return NULL;
    struct journal_ring *r = xcalloc(1, sizeof(*r));
    snprintf(r->intp_id, sizeof(r->intp_id), "%s", id);
    r->next = *slot;
    *slot = r;
    return r;
}

static void ring_remove(struct journal *j, struct journal_ring *ring)
{
    struct journal_ring **slot = &j->buckets[bucket_of(ring->intp_id)];
    while (*slot != ring)
        slot = &(*slot)->next;
    *slot = ring->next;
    free(ring);
}

/* Take `e` out of the journal and its ring (a partner's ring goes when empty), and drop the
 * journal's reference. Under the lock. */
static void unlink_entry(struct journal *j, struct journal_entry *e)
{
    struct journal_ring *ring = e->ring;
    *(e->older ? &e->older->newer : &j->oldest) = e->newer;
    *(e->newer ? &e->newer->older : &j->newest) = e->older;
    *(e->ring_older ? &e->ring_older->ring_newer : &ring->oldest) = e->ring_newer;
    *(e->ring_newer ? &e->ring_newer->ring_older : &ring->newest) = e->ring_older;
    j->n--;
    j->bytes -= e->size;
    if (--ring->n == 0 && ring != &j->anon)
        ring_remove(j, ring);
    journal_entry_put(e);
}

static void link_entry(struct journal *j, struct journal_ring *ring, struct journal_entry *e)
{
    e->seq = ++j->seq;
    e->ring = ring;
    e->older = j->newest;
    *(j->newest ? &j->newest->newer : &j->oldest) = e;
    j->newest = e;
    e->ring_older = ring->newest;
    *(ring->newest ? &ring->newest->ring_newer : &ring->oldest) = e;
    ring->newest = e;
    ring->n++;
    j->n++;
    j->bytes += e->size;
}

void journal_record(struct journal *j, const struct journal_input *in)
{
    struct journal_entry *e = entry_new(in);
    pthread_mutex_lock(&j->lock);
    struct journal_ring *ring = ring_of(j, in->intp_id, true);
    link_entry(j, ring, e);
    while (ring->n > j->max_entries) {
        unlink_entry(j, ring->oldest);
        j->dropped++;
    }
    while (j->bytes > j->max_bytes && j->oldest != e) {
        unlink_entry(j, j->oldest);
        j->dropped++;
    }
    pthread_mutex_unlock(&j->lock);
}

/* The "error" of an error answer: from its JSON tree, or from the text it was printed to
 * ({"error":"…", first, as reply_error builds it). */
static const char *error_of(const struct response *res, char *buf, size_t size)
{
    static const char prefix[] = "{\"error\":\"";
    if (res->status < 400)
        return NULL;
    if (res->body) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(res->body, "error");
        return cJSON_IsString(e) ? e->valuestring : NULL;
    }
    if (!res->text || res->text_len < sizeof(prefix) ||
        memcmp(res->text, prefix, sizeof(prefix) - 1) != 0)
        return NULL;
    const char *start = res->text + sizeof(prefix) - 1;
    const char *end = memchr(start, '"', res->text_len - (sizeof(prefix) - 1));
    if (!end)
        return NULL;
    snprintf(buf, size, "%.*s", (int)(end - start), start);
    return buf;
}

void journal_note(struct journal *j, const struct request *req, const struct response *res,
                  const char *query, const char *intp_id, int64_t duration_us)
{
    char error[64];
    const struct route *route = req->match.route;
    if (route && strncmp(route->pattern, JOURNAL_OWN_ROUTES, strlen(JOURNAL_OWN_ROUTES)) == 0)
        return; /* a search of the journal would find itself */
    struct journal_input in = {
        .method = req->method,
        .path = req->path,
        .query = query,
        .body = req->body,
        .body_len = req->body_len,
        .status = (int)res->status,
        .at_us = time_wall_us(),
        .duration_us = duration_us,
        .request_id = res->request_id,
        .intp_id = intp_id,
        .route = route ? route->pattern : NULL,
        .unmatched =
            !route && (res->status == HTTP_NOT_FOUND || res->status == HTTP_METHOD_NOT_ALLOWED),
        .error = error_of(res, error, sizeof(error)),
        .auth_failure = req->auth_failure,
        .token_at = req->auth.token_at,
        .token_sha256 = req->auth.token_sha256,
    };
    for (int h = 0; h < JOURNAL_HEADERS; h++)
        in.headers[h] = req->header ? request_header(req, header_names[h]) : NULL;
    journal_record(j, &in);
}

/* ---- life cycle ---- */

struct journal *journal_new(size_t max_entries, size_t max_bytes)
{
    struct journal *j = xcalloc(1, sizeof(*j));
    pthread_mutex_init(&j->lock, NULL);
    j->max_entries = max_entries ? max_entries : 1;
    j->max_bytes = max_bytes;
    return j;
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    journal_clear(j, NULL);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

void journal_entry_put(struct journal_entry *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1)
        free(e);
}

void journal_entries_release(struct journal_entry **entries, size_t n)
{
    for (size_t i = 0; i < n; i++)
        journal_entry_put(entries[i]);
    free(entries);
}

size_t journal_clear(struct journal *j, const char *intp_id)
{
    size_t n = 0;
    pthread_mutex_lock(&j->lock);
    if (!intp_id) {
        while (j->oldest) {
            unlink_entry(j, j->oldest);
            n++;
        }
    } else {
        struct journal_ring *ring = ring_of(j, intp_id, false);
        size_t left = ring ? ring->n : 0;
        for (; left; left--, n++)
            unlink_entry(j, ring->oldest); /* the last one frees the ring */
    }
    pthread_mutex_unlock(&j->lock);
    return n;
}

void journal_stats(struct journal *j, size_t *entries, size_t *bytes, uint64_t *dropped)
{
    pthread_mutex_lock(&j->lock);
    *entries = j->n;
    *bytes = j->bytes;
    *dropped = j->dropped;
    pthread_mutex_unlock(&j->lock);
}

/* ---- matching ---- */

bool json_subset(const cJSON *pattern, const cJSON *actual)
{
    if (!pattern || !actual)
        return false;
    if (cJSON_IsObject(pattern)) {
        if (!cJSON_IsObject(actual))
            return false;
        const cJSON *item;
        cJSON_ArrayForEach (item, pattern) {
            if (!json_subset(item, cJSON_GetObjectItemCaseSensitive(actual, item->string)))
                return false;
        }
        return true;
    }
    if (cJSON_IsArray(pattern)) {
        if (!cJSON_IsArray(actual) || cJSON_GetArraySize(pattern) != cJSON_GetArraySize(actual))
            return false;
        const cJSON *a = actual->child, *p;
        cJSON_ArrayForEach (p, pattern) {
            if (!json_subset(p, a))
                return false;
            a = a->next;
        }
        return true;
    }
    if (cJSON_IsNumber(pattern))
        return cJSON_IsNumber(actual) && pattern->valuedouble == actual->valuedouble;
    if (cJSON_IsString(pattern))
        return cJSON_IsString(actual) && strcmp(pattern->valuestring, actual->valuestring) == 0;
    if (cJSON_IsBool(pattern))
        return cJSON_IsBool(actual) && cJSON_IsTrue(pattern) == cJSON_IsTrue(actual);
    return cJSON_IsNull(pattern) && cJSON_IsNull(actual);
}

/* Paths equal but for one trailing slash on either side. */
static bool same_path(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 1 && a[la - 1] == '/')
        la--;
    if (lb > 1 && b[lb - 1] == '/')
        lb--;
    return la == lb && memcmp(a, b, la) == 0;
}

/* Whether `needle` occurs in the `len` bytes at `hay` (memmem is not POSIX). */
static bool contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

static bool body_matches(const struct journal_entry *e, const struct journal_query *q)
{
    if (q->body_contains && *q->body_contains && !contains(e->body, e->body_kept, q->body_contains))
        return false;
    if (!q->body_json)
        return true;
    cJSON *body = cJSON_ParseWithLength(e->body, e->body_kept);
    bool ok = body && json_subset(q->body_json, body);
    cJSON_Delete(body);
    return ok;
}

/* Everything but the body. */
static bool head_matches(const struct journal_entry *e, const struct journal_query *q)
{
    if (q->intp_id && strcmp(q->intp_id, e->intp_id) != 0)
        return false;
    if (q->no_intp && e->intp_id[0])
        return false;
    if (q->method && strcasecmp(q->method, e->method) != 0)
        return false;
    if (q->path && !same_path(q->path, e->path))
        return false;
    if (q->route && (!e->route || strcmp(q->route, e->route) != 0))
        return false;
    if (q->status_min && (e->status < q->status_min || e->status > q->status_max))
        return false;
    if (q->unmatched && !e->unmatched)
        return false;
    return e->at_us >= q->since_us;
}

bool journal_entry_matches(const struct journal_entry *e, const struct journal_query *q)
{
    return head_matches(e, q) && body_matches(e, q);
}

/* Reference every entry whose head matches, newest first (all of them when the body must be
 * checked too: that happens outside the lock). Returns how many went into *out. */
static size_t collect(struct journal *j, const struct journal_query *q, bool use_limit,
                      struct journal_entry ***out)
{
    struct journal_entry **v = NULL;
    size_t n = 0, alloc = 0;
    bool body_filter = (q->body_contains && *q->body_contains) || q->body_json;
    size_t stop = use_limit && !body_filter && q->limit ? q->limit : SIZE_MAX;
    pthread_mutex_lock(&j->lock);
    bool by_ring = q->intp_id || q->no_intp;
    struct journal_ring *ring = by_ring ? ring_of(j, q->no_intp ? NULL : q->intp_id, false) : NULL;
    struct journal_entry *e = by_ring ? (ring ? ring->newest : NULL) : j->newest;
    for (; e && n < stop; e = by_ring ? e->ring_older : e->older) {
        if (!head_matches(e, q))
            continue;
        atomic_fetch_add(&e->refs, 1);
        ALLOC_GROW(v, n + 1, alloc);
        v[n++] = e;
    }
    pthread_mutex_unlock(&j->lock);
    *out = v;
    return n;
}

size_t journal_find(struct journal *j, const struct journal_query *q, struct journal_entry ***out)
{
    size_t n = collect(j, q, true, out), kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct journal_entry *e = (*out)[i];
        if ((!q->limit || kept < q->limit) && body_matches(e, q))
            (*out)[kept++] = e;
        else
            journal_entry_put(e);
    }
    return kept;
}

size_t journal_count(struct journal *j, const struct journal_query *q)
{
    struct journal_entry **v;
    struct journal_query all = *q;
    all.limit = 0;
    size_t n = journal_find(j, &all, &v);
    journal_entries_release(v, n);
    return n;
}

struct journal_entry *journal_get(struct journal *j, const char *id)
{
    struct journal_entry *e;
    pthread_mutex_lock(&j->lock);
    for (e = j->newest; e && strcmp(e->request_id, id) != 0; e = e->older)
        ;
    if (e)
        atomic_fetch_add(&e->refs, 1);
    pthread_mutex_unlock(&j->lock);
    return e;
}

/* ---- rendering (admin reads only) ---- */

/* Add `len` bytes of client text as a well-formed UTF-8 string (a NUL ends it). */
static void add_client_text(cJSON *o, const char *key, const char *s, size_t len)
{
    char *copy = xstrndup(s, len), *safe = xmalloc(3 * len + 1);
    utf8_scrub(copy, safe, 3 * len + 1);
    cJSON_AddStringToObject(o, key, safe);
    free(safe);
    free(copy);
}

static void add_text_or_null(cJSON *o, const char *key, const char *s)
{
    if (s && *s)
        add_client_text(o, key, s, strlen(s));
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *journal_entry_to_json(const struct journal_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    char at[40], stamp[32];
    time_format(e->at_us / 1000000, stamp);
    snprintf(at, sizeof(at), "%.19s.%06lldZ", stamp, (long long)(e->at_us % 1000000));
    cJSON_AddStringToObject(o, "requestId", e->request_id);
    cJSON_AddStringToObject(o, "loggedAt", at);
    add_client_text(o, "method", e->method, strlen(e->method));
    add_client_text(o, "path", e->path, strlen(e->path));
    add_text_or_null(o, "query", e->query);
    cJSON *headers = cJSON_AddObjectToObject(o, "headers");
    for (int h = 0; h < JOURNAL_HEADERS; h++)
        if (e->headers[h])
            add_client_text(headers, header_names[h], e->headers[h], strlen(e->headers[h]));
    if (e->body_len)
        add_client_text(o, "body", e->body, e->body_kept);
    else
        cJSON_AddNullToObject(o, "body");
    cJSON_AddNumberToObject(o, "bodyBytes", (double)e->body_len);
    cJSON_AddBoolToObject(o, "bodyTruncated", e->body_len > JOURNAL_MAX_BODY);
    cJSON_AddNumberToObject(o, "status", e->status);
    cJSON_AddNumberToObject(o, "durationMs", (double)e->duration_us / 1000.0);
    add_text_or_null(o, "intpId", e->intp_id);
    json_add_string_or_null(o, "route", e->route);
    cJSON_AddBoolToObject(o, "matched", !e->unmatched);
    add_text_or_null(o, "error", e->error);
    add_text_or_null(o, "authFailure", e->auth_failure);
    return o;
}
