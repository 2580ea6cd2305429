/* The data API's queries over synthetic sessions: parse and validate the body, walk the sessions
 * of the range, filter, group, compute metrics, order and paginate. */
#include "data/analytics.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

#define DAY      86400
#define MAX_DIMS 6

#define FOR_EACH_DIMENSION(X)                                                                      \
    X(DIM_DATE, "date")                                                                            \
    X(DIM_DEVICE, "deviceType")                                                                    \
    X(DIM_BROWSER, "browserName")                                                                  \
    X(DIM_OS, "osName")                                                                            \
    X(DIM_COUNTRY, "countryCode")                                                                  \
    X(DIM_PAGE, "pageUrl")                                                                         \
    X(DIM_REFERRER, "referrerType")

#define FOR_EACH_METRIC(X)                                                                         \
    X(M_SESSIONS, "sessionCount")                                                                  \
    X(M_VISITS, "visitCount")                                                                      \
    X(M_VISITORS, "visitorCount")                                                                  \
    X(M_PAGEVIEWS, "pageviewCount")                                                                \
    X(M_BOUNCE, "bounceRate")                                                                      \
    X(M_DURATION, "averageVisitDuration")                                                          \
    X(M_SESSION_PCT, "sessionPercentOfTotal")                                                      \
    X(M_VISIT_PCT, "visitPercentOfTotal")

#define ENUM_ID(id, name)   id,
#define ENUM_NAME(id, name) name,
enum dimension { FOR_EACH_DIMENSION(ENUM_ID) DIM__COUNT };
enum metric { FOR_EACH_METRIC(ENUM_ID) M__COUNT };
static const char *const dim_names[] = {FOR_EACH_DIMENSION(ENUM_NAME)};
static const char *const metric_names[] = {FOR_EACH_METRIC(ENUM_NAME)};
static const char *const operators[] = {"eq",  "ne", "in",  "contains", "gt",
                                        "gte", "lt", "lte", NULL};
/* filterable numbers besides the dimensions */
static const char *const number_members[] = {"duration", "pageviews", NULL};
/* raw-session fields, in their JSON order */
static const char *const session_fields[] = {"id",           "startedAt", "endedAt",   "duration",
                                             "pageviews",    "entryPage", "exitPage",  "device",
                                             "browser",      "os",        "country",   "referrer",
                                             "referrerType", "bounced",   "visitorId", NULL};

struct range {
    int64_t start, end; /* inclusive, clipped to now */
};

struct query {
    enum data_view view;
    int dims[MAX_DIMS], ndims;
    int metrics[M__COUNT], nmetrics;
    const cJSON *where;
    const cJSON *order; /* validated array of {member, direction} */
    int64_t page, size;
    struct range range, prev;
    bool has_prev;
    bool fields[32]; /* raw view: which session_fields */
};

struct error {
    char *msg, *field;
    size_t msglen, fieldlen;
};

static int fail(struct error *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct error *e, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, e->msglen, fmt, ap);
    va_end(ap);
    snprintf(e->field, e->fieldlen, "%s", field);
    return -1;
}

/* ---- parsing ---- */

static int parse_range(const cJSON *body, const char *key, int64_t now, struct range *r,
                       struct error *e)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(body, key);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "start");
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "end");
    if (!cJSON_IsString(s) || !cJSON_IsString(en) || time_parse(s->valuestring, &r->start) ||
        time_parse(en->valuestring, &r->end))
        return fail(e, key, "%s must be {\"start\": <RFC 3339>, \"end\": <RFC 3339>}", key);
    if (r->end < r->start)
        return fail(e, key, "%s ends before it starts", key);
    if ((r->end - r->start) / DAY >= DATA_MAX_RANGE_DAYS)
        return fail(e, key, "%s is longer than %d days", key, DATA_MAX_RANGE_DAYS);
    if (r->end > now)
        r->end = now; /* the partner's past only */
    return 0;
}

static int parse_names(const cJSON *body, const char *key, const char *const *names, int n,
                       int *out, int max, int *count, struct error *e)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, key), *item;
    *count = 0;
    if (!list)
        return 0;
    if (!cJSON_IsArray(list))
        return fail(e, key, "%s must be an array of names", key);
    cJSON_ArrayForEach (item, list) {
        int id = cJSON_IsString(item) ? str_index(names, n, item->valuestring) : -1;
        if (id < 0)
            return fail(e, key, "unknown %s: %s", key,
                        cJSON_IsString(item) ? item->valuestring : "(not a string)");
        if (*count == max)
            return fail(e, key, "at most %d %s", max, key);
        out[(*count)++] = id;
    }
    return 0;
}

static bool is_member(const char *name)
{
    return str_index(dim_names, DIM__COUNT, name) >= 0 || str_index(number_members, -1, name) >= 0;
}

/* Validate a where node: {and: [...]}, {or: [...]} or {member, operator, values}. */
static int check_where(const cJSON *w, int depth, struct error *e)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(w, "and"), *item;
    if (!list)
        list = cJSON_GetObjectItemCaseSensitive(w, "or");
    if (!cJSON_IsObject(w) || depth > 8)
        return fail(e, "where", "where must be an object of and/or lists and conditions");
    if (list) {
        if (!cJSON_IsArray(list))
            return fail(e, "where", "and/or take an array");
        cJSON_ArrayForEach (item, list)
            if (check_where(item, depth + 1, e))
                return -1;
        return 0;
    }
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(w, "member");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(w, "operator");
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(w, "values");
    if (!cJSON_IsString(m) || !is_member(m->valuestring))
        return fail(e, "where.member", "unknown member: %s",
                    cJSON_IsString(m) ? m->valuestring : "(missing)");
    if (!cJSON_IsString(op) || str_index(operators, -1, op->valuestring) < 0)
        return fail(e, "where.operator", "unknown operator: %s",
                    cJSON_IsString(op) ? op->valuestring : "(missing)");
    if (!cJSON_IsArray(values) || cJSON_GetArraySize(values) == 0)
        return fail(e, "where.values", "values must be a non-empty array");
    return 0;
}

static int check_order(const cJSON *order, const struct query *q, struct error *e)
{
    const cJSON *item;
    if (!order)
        return 0;
    if (!cJSON_IsArray(order))
        return fail(e, "order", "order must be an array of {member, direction}");
    cJSON_ArrayForEach (item, order) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(item, "member");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(item, "direction");
        bool known =
            cJSON_IsString(m) &&
            (q->view == VIEW_RAW ? str_index(session_fields, -1, m->valuestring) >= 0
                                 : str_index(dim_names, DIM__COUNT, m->valuestring) >= 0 ||
                                       str_index(metric_names, M__COUNT, m->valuestring) >= 0);
        if (!known)
            return fail(e, "order.member", "unknown order member: %s",
                        cJSON_IsString(m) ? m->valuestring : "(missing)");
        if (d && !(cJSON_IsString(d) &&
                   (strcmp(d->valuestring, "asc") == 0 || strcmp(d->valuestring, "desc") == 0)))
            return fail(e, "order.direction", "direction must be asc or desc");
    }
    return 0;
}

/* A JSON number with no fraction. */
static bool is_whole(const cJSON *n)
{
    return cJSON_IsNumber(n) && n->valuedouble == floor(n->valuedouble);
}

static int parse_pagination(const cJSON *body, struct query *q, struct error *e)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "pagination");
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(p, "page");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(p, "pageSize");
    q->page = 1;
    q->size = q->view == VIEW_RAW ? 50 : 10;
    if (p && !cJSON_IsNull(p) && !cJSON_IsObject(p))
        return fail(e, "pagination", "pagination must be an object {page, pageSize}");
    if (page && !(is_whole(page) && page->valuedouble >= 1 && page->valuedouble <= 1e9))
        return fail(e, "pagination.page", "pagination.page counts from 1");
    if (size &&
        !(is_whole(size) && size->valuedouble >= 1 && size->valuedouble <= DATA_PAGE_SIZE_MAX))
        return fail(e, "pagination.pageSize", "pagination.pageSize must be 1..%d",
                    DATA_PAGE_SIZE_MAX);
    if (page)
        q->page = (int64_t)page->valuedouble;
    if (size)
        q->size = (int64_t)size->valuedouble;
    return 0;
}

static int parse_fields(const cJSON *body, struct query *q, struct error *e)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "fields"), *item;
    for (int i = 0; session_fields[i]; i++)
        q->fields[i] = list == NULL;
    if (!list)
        return 0;
    if (!cJSON_IsArray(list))
        return fail(e, "fields", "fields must be an array of session fields");
    cJSON_ArrayForEach (item, list) {
        int id = cJSON_IsString(item) ? str_index(session_fields, -1, item->valuestring) : -1;
        if (id < 0)
            return fail(e, "fields", "unknown field: %s",
                        cJSON_IsString(item) ? item->valuestring : "(not a string)");
        q->fields[id] = true;
    }
    return 0;
}

static int parse_query(const cJSON *body, enum data_view view, int64_t now, struct query *q,
                       struct error *e)
{
    memset(q, 0, sizeof(*q));
    q->view = view;
    q->where = cJSON_GetObjectItemCaseSensitive(body, "where");
    q->order = cJSON_GetObjectItemCaseSensitive(body, "order");
    if (parse_range(body, "dateRange", now, &q->range, e) ||
        (q->where && check_where(q->where, 0, e)) || check_order(q->order, q, e) ||
        parse_pagination(body, q, e))
        return -1;
    if (view == VIEW_RAW)
        return parse_fields(body, q, e);
    if (parse_names(body, "dimensions", dim_names, DIM__COUNT, q->dims, MAX_DIMS, &q->ndims, e) ||
        parse_names(body, "metrics", metric_names, M__COUNT, q->metrics, M__COUNT, &q->nmetrics, e))
        return -1;
    if (q->nmetrics == 0)
        return fail(e, "metrics", "metrics must name at least one metric");
    q->has_prev = cJSON_GetObjectItemCaseSensitive(body, "previousDateRange") != NULL;
    return q->has_prev ? parse_range(body, "previousDateRange", now, &q->prev, e) : 0;
}

/* ---- one session's values ---- */

static void format_date(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The text of dimension `d` for session `s` (page: the given path), into buf. */
static const char *dim_value(const struct synth_site *site, const struct session *s, int d,
                             const char *page, char *buf, size_t size)
{
    switch ((enum dimension)d) {
    case DIM_DATE:
        return s->date;
    case DIM_DEVICE:
        return s->device;
    case DIM_BROWSER:
        return s->browser;
    case DIM_OS:
        return s->os;
    case DIM_COUNTRY:
        return s->country;
    case DIM_PAGE:
        snprintf(buf, size, "%s%s", site->origin, page);
        return buf;
    case DIM_REFERRER:
        return s->referrer_type;
    case DIM__COUNT:
        break;
    }
    return "";
}

static bool compare(const char *op, const char *text, double number, bool numeric,
                    const cJSON *value)
{
    bool is_num = cJSON_IsNumber(value);
    const char *vs = cJSON_IsString(value) ? value->valuestring : "";
    double vn = is_num ? value->valuedouble : atof(vs);
    if (strcmp(op, "contains") == 0)
        return !numeric && strstr(text, vs) != NULL;
    int c = numeric ? (number > vn) - (number < vn) : strcmp(text, is_num ? "" : vs);
    if (strcmp(op, "gt") == 0)
        return c > 0;
    if (strcmp(op, "gte") == 0)
        return c >= 0;
    if (strcmp(op, "lt") == 0)
        return c < 0;
    if (strcmp(op, "lte") == 0)
        return c <= 0;
    return c == 0; /* eq, in; ne is their negation */
}

/* Does session `s` (viewing `page`) satisfy where node `w`? */
static bool matches(const struct synth_site *site, const struct session *s, const char *page,
                    const cJSON *w)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(w, "and"), *item;
    bool all = list != NULL;
    if (!list)
        list = cJSON_GetObjectItemCaseSensitive(w, "or");
    if (list) {
        cJSON_ArrayForEach (item, list) {
            if (matches(site, s, page, item) != all)
                return !all;
        }
        return all;
    }
    const char *member = cJSON_GetObjectItemCaseSensitive(w, "member")->valuestring;
    const char *op = cJSON_GetObjectItemCaseSensitive(w, "operator")->valuestring;
    char buf[400];
    int d = str_index(dim_names, DIM__COUNT, member);
    bool numeric = d < 0;
    double number =
        numeric && strcmp(member, "duration") == 0 ? (double)s->duration : (double)s->pageviews;
    const char *text = numeric ? "" : dim_value(site, s, d, page, buf, sizeof(buf));
    bool any = false;
    cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(w, "values")) {
        if (compare(strcmp(op, "ne") == 0 ? "eq" : op, text, number, numeric, item))
            any = true;
    }
    return strcmp(op, "ne") == 0 ? !any : any;
}

static int by_start(const void *a, const void *b)
{
    const struct session *x = a, *y = b;
    if (x->started_at != y->started_at)
        return x->started_at < y->started_at ? -1 : 1;
    return (x->id_hi > y->id_hi) - (x->id_hi < y->id_hi);
}

/* Call fn for every session of `r` (clipped to the range), in time order when `sorted` (the
 * aggregates do not need it: they take one session at a time, whatever the day's volume). */
static void each_session(const struct synth_site *site, const struct range *r, bool sorted,
                         void (*fn)(const struct session *s, void *ctx), void *ctx)
{
    for (int64_t day = r->start / DAY; day <= r->end / DAY; day++) {
        struct synth_day d;
        struct session one, *all = NULL;
        char date[11];
        synth_day_open(site, day, &d);
        format_date(day * DAY, date);
        if (sorted)
            all = xcalloc((size_t)d.count + 1, sizeof(*all));
        for (int64_t i = 0; i < d.count; i++) {
            struct session *s = sorted ? &all[i] : &one;
            if (i % 64 == 0) /* a year of a busy site: a core's work for a while */
                cpu_share();
            synth_session(site, &d, i, s);
            memcpy(s->date, date, sizeof(date));
            if (!sorted && s->started_at >= r->start && s->started_at <= r->end)
                fn(s, ctx);
        }
        if (!sorted)
            continue;
        qsort(all, (size_t)d.count, sizeof(*all), by_start);
        for (int64_t i = 0; i < d.count; i++)
            if (all[i].started_at >= r->start && all[i].started_at <= r->end)
                fn(&all[i], ctx);
        free(all);
    }
}

/* ---- aggregation ---- */

struct group {
    char *key;         /* dimension values joined by \x1f */
    int64_t sessions;  /* sessions (visits) in the group */
    int64_t pageviews; /* views */
    int64_t bounced;   /* bounced sessions */
    int64_t duration;  /* seconds, summed over the sessions */
    int64_t *visitors; /* visitor numbers, deduplicated when finished */
    size_t nvisitors, cap;
    struct group *next;
};

struct groups {
    struct group *buckets[1024];
    struct group **all;
    size_t n, cap;
    int64_t total_sessions;
};

static struct group *group_for(struct groups *g, const char *key)
{
    size_t h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    struct group **slot = &g->buckets[h % 1024];
    for (; *slot; slot = &(*slot)->next)
        if (strcmp((*slot)->key, key) == 0)
            return *slot;
    struct group *n = xcalloc(1, sizeof(*n));
    n->key = xstrdup(key);
    *slot = n;
    ALLOC_GROW(g->all, g->n + 1, g->cap);
    g->all[g->n++] = n;
    return n;
}

static void add_visitor(struct group *gr, int64_t visitor)
{
    ALLOC_GROW(gr->visitors, gr->nvisitors + 1, gr->cap);
    gr->visitors[gr->nvisitors++] = visitor;
}

static void groups_release(struct groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->all[i]->key);
        free(g->all[i]->visitors);
        free(g->all[i]);
    }
    free(g->all);
}

struct walk {
    const struct synth_site *site;
    const struct query *q;
    struct groups *groups;
};

/* The group key of session `s` (viewing `page`). */
static void key_of(const struct walk *w, const struct session *s, const char *page, char *key,
                   size_t size)
{
    size_t len = 0;
    for (int i = 0; i < w->q->ndims; i++) {
        char buf[400];
        const char *v = dim_value(w->site, s, w->q->dims[i], page, buf, sizeof(buf));
        size_t n = strlen(v);
        if (len + n + 2 > size)
            break;
        if (i)
            key[len++] = '\x1f';
        memcpy(key + len, v, n);
        len += n;
    }
    key[len] = '\0';
}

static void count_into(struct group *gr, const struct session *s, int views)
{
    gr->sessions++;
    gr->pageviews += views;
    gr->bounced += s->bounced;
    gr->duration += s->duration;
    add_visitor(gr, s->visitor);
}

/* Sessions view: a session counts once, under its entry page. */
static void walk_session(const struct session *s, void *ctx)
{
    struct walk *w = ctx;
    char key[2048];
    if (w->q->where && !matches(w->site, s, s->pages[0], w->q->where))
        return;
    key_of(w, s, s->pages[0], key, sizeof(key));
    count_into(group_for(w->groups, key), s, s->pageviews);
    w->groups->total_sessions++;
}

/* Pages view: a session counts under every page it viewed, with that page's views. */
static void walk_pages(const struct session *s, void *ctx)
{
    struct walk *w = ctx;
    char key[2048];
    bool counted = false;
    int n = s->pageviews < SYNTH_MAX_PAGES ? s->pageviews : SYNTH_MAX_PAGES;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        int views = 0;
        for (int j = 0; j < n; j++) {
            seen |= j < i && strcmp(s->pages[j], s->pages[i]) == 0;
            views += strcmp(s->pages[j], s->pages[i]) == 0;
        }
        if (seen || (w->q->where && !matches(w->site, s, s->pages[i], w->q->where)))
            continue;
        key_of(w, s, s->pages[i], key, sizeof(key));
        count_into(group_for(w->groups, key), s, views);
        counted = true;
    }
    w->groups->total_sessions += counted;
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t distinct_visitors(struct group *gr)
{
    if (gr->nvisitors == 0)
        return 0;
    qsort(gr->visitors, gr->nvisitors, sizeof(*gr->visitors), cmp_int64);
    int64_t n = 1;
    for (size_t i = 1; i < gr->nvisitors; i++)
        n += gr->visitors[i] != gr->visitors[i - 1];
    return n;
}

static double round2(double v)
{
    return (double)(int64_t)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0;
}

static double metric_value(struct group *gr, int m, int64_t total)
{
    double s = (double)gr->sessions;
    switch ((enum metric)m) {
    case M_SESSIONS:
    case M_VISITS:
        return s;
    case M_VISITORS:
        return (double)distinct_visitors(gr);
    case M_PAGEVIEWS:
        return (double)gr->pageviews;
    case M_BOUNCE:
        return s ? round2(100.0 * (double)gr->bounced / s) : 0;
    case M_DURATION:
        return s ? round2((double)gr->duration / s) : 0;
    case M_SESSION_PCT:
    case M_VISIT_PCT:
        return total ? round2(100.0 * s / (double)total) : 0;
    case M__COUNT:
        break;
    }
    return 0;
}

static void aggregate(const struct synth_site *site, const struct query *q, const struct range *r,
                      struct groups *g)
{
    struct walk w = {.site = site, .q = q, .groups = g};
    memset(g, 0, sizeof(*g));
    each_session(site, r, false, q->view == VIEW_PAGES ? walk_pages : walk_session, &w);
}

/* ---- rows: render, compare with the previous range, order, paginate ---- */

static cJSON *row_for(const struct query *q, struct group *gr, int64_t total)
{
    cJSON *row = cJSON_CreateObject();
    const char *p = gr->key;
    for (int i = 0; i < q->ndims; i++) {
        const char *end = strchr(p, '\x1f');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *v = xstrndup(p, n);
        cJSON_AddStringToObject(row, dim_names[q->dims[i]], v);
        free(v);
        p = end ? end + 1 : p + n;
    }
    for (int i = 0; i < q->nmetrics; i++)
        cJSON_AddNumberToObject(row, metric_names[q->metrics[i]],
                                metric_value(gr, q->metrics[i], total));
    return row;
}

/* Add previousX and XPercentageChange for every metric (null change when previous is 0). */
static void add_previous(const struct query *q, cJSON *row, struct groups *prev, const char *key)
{
    struct group *gr = NULL;
    for (size_t i = 0; i < prev->n && !gr; i++)
        if (strcmp(prev->all[i]->key, key) == 0)
            gr = prev->all[i];
    for (int i = 0; i < q->nmetrics; i++) {
        const char *name = metric_names[q->metrics[i]];
        char pkey[64], ckey[64];
        double now = cJSON_GetObjectItemCaseSensitive(row, name)->valuedouble;
        double before = gr ? metric_value(gr, q->metrics[i], prev->total_sessions) : 0;
        snprintf(pkey, sizeof(pkey), "previous%c%s", name[0] - 'a' + 'A', name + 1);
        snprintf(ckey, sizeof(ckey), "%sPercentageChange", name);
        cJSON_AddNumberToObject(row, pkey, before);
        if (before != 0)
            cJSON_AddNumberToObject(row, ckey, round2(100.0 * (now - before) / before));
        else
            cJSON_AddNullToObject(row, ckey);
    }
}

/* -1/0/1 of rows a and b under `order` (default: date ascending, else the first metric
 * descending), the row key breaking ties. */
static int compare_rows(const cJSON *a, const cJSON *b, const struct query *q)
{
    const cJSON *o;
    cJSON_ArrayForEach (o, q->order) {
        const char *m = cJSON_GetObjectItemCaseSensitive(o, "member")->valuestring;
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "direction");
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, m),
                    *y = cJSON_GetObjectItemCaseSensitive(b, m);
        int c = 0;
        if (cJSON_IsNumber(x) && cJSON_IsNumber(y))
            c = (x->valuedouble > y->valuedouble) - (x->valuedouble < y->valuedouble);
        else if (cJSON_IsString(x) && cJSON_IsString(y))
            c = strcmp(x->valuestring, y->valuestring);
        if (c)
            return cJSON_IsString(d) && strcmp(d->valuestring, "desc") == 0 ? -c : c;
    }
    if (!q->order) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, "date"),
                    *y = cJSON_GetObjectItemCaseSensitive(b, "date");
        if (x && y)
            return strcmp(x->valuestring, y->valuestring);
        const char *m = metric_names[q->metrics[0]];
        double dx = cJSON_GetObjectItemCaseSensitive(a, m)->valuedouble,
               dy = cJSON_GetObjectItemCaseSensitive(b, m)->valuedouble;
        if (dx != dy)
            return dx > dy ? -1 : 1;
    }
    char *ka = cJSON_PrintUnformatted(a), *kb = cJSON_PrintUnformatted(b);
    int c = strcmp(ka, kb);
    cJSON_free(ka);
    cJSON_free(kb);
    return c;
}

/* A stable merge sort with the query as context (qsort has none). */
static void sort_rows(cJSON **rows, cJSON **tmp, size_t n, const struct query *q)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_rows(rows, tmp, h, q);
    sort_rows(rows + h, tmp, n - h, q);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = compare_rows(rows[j], rows[i], q) < 0 ? rows[j++] : rows[i++];
    while (i < h)
        tmp[k++] = rows[i++];
    while (j < n)
        tmp[k++] = rows[j++];
    memcpy(rows, tmp, n * sizeof(*rows));
}

static cJSON *meta_for(const struct query *q, int64_t total)
{
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddNumberToObject(meta, "page", (double)q->page);
    cJSON_AddNumberToObject(meta, "pageSize", (double)q->size);
    cJSON_AddNumberToObject(meta, "pageTotal", (double)((total + q->size - 1) / q->size));
    cJSON_AddNumberToObject(meta, "total", (double)total);
    return meta;
}

/* The page of `rows` (all owned here) as {"payload", "meta"}. */
static cJSON *paginate(const struct query *q, cJSON **rows, size_t n)
{
    cJSON *body = cJSON_CreateObject(), *payload = cJSON_AddArrayToObject(body, "payload");
    size_t from = (size_t)((q->page - 1) * q->size);
    for (size_t i = 0; i < n; i++) {
        if (i >= from && i < from + (size_t)q->size)
            cJSON_AddItemToArray(payload, rows[i]);
        else
            cJSON_Delete(rows[i]);
    }
    cJSON_AddItemToObject(body, "meta", meta_for(q, (int64_t)n));
    return body;
}

static cJSON *analytics(const struct synth_site *site, const struct query *q)
{
    struct groups cur, prev;
    aggregate(site, q, &q->range, &cur);
    if (q->has_prev)
        aggregate(site, q, &q->prev, &prev);
    cJSON **rows = xcalloc(cur.n + 1, sizeof(*rows)), **tmp = xcalloc(cur.n + 1, sizeof(*tmp));
    for (size_t i = 0; i < cur.n; i++) {
        rows[i] = row_for(q, cur.all[i], cur.total_sessions);
        if (q->has_prev)
            add_previous(q, rows[i], &prev, cur.all[i]->key);
    }
    sort_rows(rows, tmp, cur.n, q);
    cJSON *body = paginate(q, rows, cur.n);
    free(rows);
    free(tmp);
    groups_release(&cur);
    if (q->has_prev)
        groups_release(&prev);
    return body;
}

/* ---- raw sessions ---- */

static cJSON *session_to_json(const struct synth_site *site, const struct session *s,
                              const struct query *q)
{
    char buf[400];
    cJSON *o = cJSON_CreateObject();
    for (int f = 0; session_fields[f]; f++) {
        if (!q->fields[f])
            continue;
        const char *name = session_fields[f];
        if (strcmp(name, "id") == 0) {
            synth_session_id(s, buf);
            cJSON_AddStringToObject(o, name, buf);
        } else if (strcmp(name, "startedAt") == 0 || strcmp(name, "endedAt") == 0) {
            time_format(name[0] == 's' ? s->started_at : s->ended_at, buf);
            cJSON_AddStringToObject(o, name, buf);
        } else if (strcmp(name, "duration") == 0)
            cJSON_AddNumberToObject(o, name, (double)s->duration);
        else if (strcmp(name, "pageviews") == 0)
            cJSON_AddNumberToObject(o, name, s->pageviews);
        else if (strcmp(name, "entryPage") == 0 || strcmp(name, "exitPage") == 0) {
            int last = (s->pageviews < SYNTH_MAX_PAGES ? s->pageviews : SYNTH_MAX_PAGES) - 1;
            snprintf(buf, sizeof(buf), "%s%s", site->origin, s->pages[name[1] == 'n' ? 0 : last]);
            cJSON_AddStringToObject(o, name, buf);
        } else if (strcmp(name, "bounced") == 0)
            cJSON_AddBoolToObject(o, name, s->bounced);
        else if (strcmp(name, "visitorId") == 0) {
            snprintf(buf, sizeof(buf), "v%llx-%lld", (unsigned long long)(site->seed & 0xffffff),
                     (long long)s->visitor);
            cJSON_AddStringToObject(o, name, buf);
        } else {
            const char *v = strcmp(name, "device") == 0     ? s->device
                            : strcmp(name, "browser") == 0  ? s->browser
                            : strcmp(name, "os") == 0       ? s->os
                            : strcmp(name, "country") == 0  ? s->country
                            : strcmp(name, "referrer") == 0 ? s->referrer
                                                            : s->referrer_type;
            cJSON_AddStringToObject(o, name, v);
        }
    }
    return o;
}

struct raw_walk {
    const struct synth_site *site;
    const struct query *q;
    struct query all; /* q with every field: rows are rendered whole for ordering */
    bool stream;      /* no order: time order, so only the asked page is rendered */
    int64_t from, to; /* stream: the indexes of that page */
    int64_t matched;  /* matching sessions */
    cJSON **rows;
    size_t n, cap;
};

static void walk_raw(const struct session *s, void *ctx)
{
    struct raw_walk *w = ctx;
    if (w->q->where && !matches(w->site, s, s->pages[0], w->q->where))
        return;
    int64_t index = w->matched++;
    if (w->stream && (index < w->from || index >= w->to))
        return;
    ALLOC_GROW(w->rows, w->n + 1, w->cap);
    w->rows[w->n++] = session_to_json(w->site, s, w->stream ? w->q : &w->all);
}

/* Raw sessions, oldest first unless `order` says otherwise. */
static cJSON *raw_sessions(const struct synth_site *site, const struct query *q)
{
    struct raw_walk w = {.site = site, .q = q, .all = *q, .stream = q->order == NULL};
    w.from = (q->page - 1) * q->size;
    w.to = w.from + q->size;
    for (int f = 0; session_fields[f]; f++) /* trimmed to the asked fields below */
        w.all.fields[f] = true;
    each_session(site, &q->range, true, walk_raw, &w);
    if (w.stream) {
        cJSON *body = cJSON_CreateObject(), *payload = cJSON_AddArrayToObject(body, "payload");
        for (size_t i = 0; i < w.n; i++)
            cJSON_AddItemToArray(payload, w.rows[i]);
        cJSON_AddItemToObject(body, "meta", meta_for(q, w.matched));
        free(w.rows);
        return body;
    }
    cJSON **tmp = xcalloc(w.n + 1, sizeof(*tmp));
    sort_rows(w.rows, tmp, w.n, q);
    free(tmp);
    for (size_t i = 0; i < w.n; i++) /* keep only the requested fields */
        for (int f = 0; session_fields[f]; f++)
            if (!q->fields[f])
                cJSON_DeleteItemFromObjectCaseSensitive(w.rows[i], session_fields[f]);
    cJSON *body = paginate(q, w.rows, w.n);
    free(w.rows);
    return body;
}

cJSON *data_query(const struct synth_site *site, enum data_view view, const cJSON *body,
                  int64_t now, char *err, size_t errlen, char *field, size_t fieldlen)
{
    struct query q;
    struct error e = {err, field, errlen, fieldlen};
    if (parse_query(body, view, now, &q, &e))
        return NULL;
    return view == VIEW_RAW ? raw_sessions(site, &q) : analytics(site, &q);
}
