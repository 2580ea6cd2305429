/* The emulated dashboard iframe (contract D8, §3.2): a server-rendered page for one website,
 * opened with an INTPC token (owner or contributor) or the websiteToken of an API-key login.
 * No external assets, a strict Content-Security-Policy with a per-answer nonce, readable without
 * JavaScript; the only script posts UPGRADE_BUTTON_CLICKED to the parent frame. The token is in
 * the query string, so this handler authenticates it itself and answers 401/403 as HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing/calendar.h"
#include "billing/usage.h"
#include "dashboard/dashboard.h"
#include "data/analytics.h"
#include "store/contributors_db.h"
#include "store/packages_db.h"
#include "store/websites_db.h"
#include "util/html.h"
#include "util/strbuf.h"
#include "util/util.h"

#define MAX_DAYS 366

/* ---- labels ---- */

#define FOR_EACH_LABEL(X)                                                                          \
    X(L_TITLE, "Website analytics", "Website-Analyse")                                             \
    X(L_PACKAGE, "Package", "Paket")                                                               \
    X(L_STATUS, "Status", "Status")                                                                \
    X(L_TRIAL, "Trial", "Testphase")                                                               \
    X(L_IN_TRIAL, "in trial", "in der Testphase")                                                  \
    X(L_NO_TRIAL, "no trial", "keine Testphase")                                                   \
    X(L_HAD_TRIAL, "trial used", "Testphase genutzt")                                              \
    X(L_INTERVAL, "Billing interval", "Abrechnungsintervall")                                      \
    X(L_MONTHLY, "monthly", "monatlich")                                                           \
    X(L_YEARLY, "yearly", "jährlich")                                                              \
    X(L_PERIOD_ENDS, "Period ends", "Zeitraum endet")                                              \
    X(L_RESET, "Touchpoints reset", "Touchpoints werden zurückgesetzt")                            \
    X(L_CONSUMPTION, "Touchpoints used", "Verbrauchte Touchpoints")                                \
    X(L_UNLIMITED, "unlimited", "unbegrenzt")                                                      \
    X(L_VISITS, "Visits per day", "Besuche pro Tag")                                               \
    X(L_TOTAL, "Total", "Gesamt")                                                                  \
    X(L_UPGRADE, "Upgrade", "Upgrade")                                                             \
    X(L_ROLE, "Your role", "Ihre Rolle")                                                           \
    X(L_SHARED, "Shared custom dashboards", "Geteilte benutzerdefinierte Dashboards")              \
    X(L_NO_SHARED, "No custom dashboard has been shared with you yet.",                            \
      "Es wurde noch kein benutzerdefiniertes Dashboard mit Ihnen geteilt.")                       \
    X(L_CHECKOUT, "Checkout", "Kasse")                                                             \
    X(L_PAY, "Pay (emulated)", "Bezahlen (emuliert)")                                              \
    X(L_TIMES_IN, "Times in", "Zeiten in")

#define LABEL_ENUM(id, en, de) id,
#define LABEL_EN(id, en, de)   en,
#define LABEL_DE(id, en, de)   de,
enum label { FOR_EACH_LABEL(LABEL_ENUM) L__COUNT };
static const char *const labels_en[] = {FOR_EACH_LABEL(LABEL_EN)};
static const char *const labels_de[] = {FOR_EACH_LABEL(LABEL_DE)};

/* ---- the page's inputs ---- */

struct page {
    struct request *req;
    const char *const *l; /* labels of the locale */
    const char *locale;
    char role[16]; /* owner, editor, watcher, dashboard */
    struct website_view v;
    struct customer owner;
    char tz[64];        /* IANA zone shown, "UTC" when none or unknown */
    int64_t now;        /* the partner's clock */
    int64_t start, end; /* the data range, whole days (UTC) */
    bool allow_upgrade;
    const char *origin; /* postMessage target origin */
    char nonce[23];
};

static const char *q(const struct page *p, const char *name)
{
    return request_query(p->req, name);
}

/* The role of customer `intpc_id` on the website: owner, a contributor's role, or none. */
static int role_of(struct page *p, const char *intp, const char *intpc_id, const char *site,
                   struct response *res)
{
    struct db *db = &p->req->app->db;
    struct customer c;
    struct website w;
    if (!site || websites_db_get(db, intp, site, &w) != DB_OK ||
        customers_db_get(db, intp, intpc_id, &c) != DB_OK) {
        reply_page(res, HTTP_FORBIDDEN, "Forbidden",
                   "This customer cannot see that website (unknown website or customer).");
        return -1;
    }
    if (strcmp(c.id, w.customer_id) == 0)
        strcpy(p->role, "owner");
    else if (contributors_db_role(db, w.id, c.id, p->role) != DB_OK) {
        reply_page(res, HTTP_FORBIDDEN, "Forbidden",
                   "This customer neither owns this website nor contributes to it.");
        return -1;
    }
    return websites_db_view_by_uuid(db, intp, w.id, &p->v) == DB_OK ? 0 : -1;
}

/* The website the authenticated credentials open (AUTH_DASHBOARD, http/authenticate.c): the
 * websiteToken's, or the externalWebsiteId the customer of the INTPC token owns or contributes
 * to. */
static int open_website(struct page *p, struct response *res)
{
    struct request *req = p->req;
    if (req->auth.website_id[0]) {
        strcpy(p->role, "owner");
        return websites_db_view_by_uuid(&req->app->db, req->auth.intp_id, req->auth.website_id,
                                        &p->v) == DB_OK
                   ? 0
                   : -1;
    }
    return role_of(p, req->auth.intp_id, req->auth.intpc_id, q(p, "externalWebsiteId"), res);
}

/* ---- options ---- */

/* A "YYYY-MM-DD" query value as the unix time of that day's midnight (UTC). */
static int parse_day(const char *text, int64_t *out)
{
    char full[32];
    if (!text || strlen(text) != 10)
        return -1;
    snprintf(full, sizeof(full), "%sT00:00:00Z", text);
    return time_parse(full, out);
}

/* A zone name of the system's zone database: a regular file there that starts with the TZif
 * magic (a directory such as "Europe" is not a zone), or -1. */
static int check_zone(const char *tz)
{
    char path[128], magic[4];
    if (!tz || !str_is_token(tz, 60, "/_+-") || strstr(tz, "..") || tz[0] == '/')
        return -1;
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(magic, 1, sizeof(magic), f); /* a directory reads nothing */
    fclose(f);
    return n == sizeof(magic) && memcmp(magic, "TZif", 4) == 0 ? 0 : -1;
}

static int read_options(struct page *p, struct response *res)
{
    const char *locale = q(p, "locale"), *tz = q(p, "timezone"), *up = q(p, "allowUpgrade");
    const char *s = q(p, "startDate"), *e = q(p, "endDate"), *origin = q(p, "targetOrigin");
    p->locale = locale && strncmp(locale, "de", 2) == 0 ? "de" : "en";
    p->l = strcmp(p->locale, "de") == 0 ? labels_de : labels_en;
    snprintf(p->tz, sizeof(p->tz), "%s", check_zone(tz) == 0 ? tz : "UTC");
    p->allow_upgrade = up && strcmp(up, "true") == 0;
    p->origin = origin && *origin ? origin : "*";
    p->end = p->now - p->now % DAY_SECONDS;
    p->start = p->end - 29 * (int64_t)DAY_SECONDS;
    if ((s && parse_day(s, &p->start)) || (e && parse_day(e, &p->end)) || p->end < p->start ||
        (p->end - p->start) / DAY_SECONDS >= MAX_DAYS) {
        reply_page(res, HTTP_BAD_REQUEST, "Bad request",
                   "startDate and endDate are YYYY-MM-DD, in order, at most 366 days apart");
        return -1;
    }
    return 0;
}

/* `t` as "YYYY-MM-DD HH:MM" in the page's zone. */
static void local_time(const struct page *p, int64_t t, char out[32])
{
    char *saved = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
    time_t tt = (time_t)t;
    struct tm tm;
    setenv("TZ", p->tz, 1); /* one server thread: the zone is switched for this call only */
    tzset();
    localtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

/* Visits per day of the range, from the data API's own query: both always agree. */
static cJSON *visits_per_day(const struct page *p)
{
    struct synth_site site;
    char err[200], field[64], start[32], end[32];
    synth_site_init(&site, p->v.w.id, p->v.w.domain, p->v.touchpoints, p->v.usage[USAGE_VISITS]);
    time_format(p->start, start);
    time_format(p->end + DAY_SECONDS - 1, end);
    cJSON *body = cJSON_CreateObject();
    cJSON *m = cJSON_AddArrayToObject(body, "metrics"),
          *d = cJSON_AddArrayToObject(body, "dimensions");
    cJSON_AddItemToArray(m, cJSON_CreateString("visitCount"));
    cJSON_AddItemToArray(d, cJSON_CreateString("date"));
    cJSON *r = cJSON_AddObjectToObject(body, "dateRange"),
          *pg = cJSON_AddObjectToObject(body, "pagination");
    cJSON_AddStringToObject(r, "start", start);
    cJSON_AddStringToObject(r, "end", end);
    cJSON_AddNumberToObject(pg, "pageSize", MAX_DAYS);
    cJSON *answer =
        data_query(&site, VIEW_SESSIONS, body, p->now, err, sizeof(err), field, sizeof(field));
    cJSON_Delete(body);
    return answer;
}

/* ---- rendering ---- */

static const char css[] =
    "body{font:14px/1.4 "
    "system-ui,sans-serif;margin:0;padding:16px;color:#1d2433;background:#f6f7fb}"
    "header{display:flex;align-items:center;gap:12px;flex-wrap:wrap}h1{font-size:20px;margin:0}"
    ".badge{background:#e3e8f4;border-radius:10px;padding:2px 8px;font-size:12px}"
    "section{background:#fff;border-radius:8px;padding:12px 16px;margin-top:12px}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#5b6478}"
    "button{background:#3659e3;color:#fff;border:0;border-radius:6px;padding:6px "
    "14px;cursor:pointer}"
    "small{color:#5b6478}svg{display:block;max-width:100%}";

static void render_facts(struct strbuf *sb, const struct page *p)
{
    const char *const *l = p->l;
    char exp[32], reset[32];
    local_time(p, p->v.expires_at, exp);
    local_time(p, p->v.stp_reset_at, reset);
    strbuf_addf(sb, "<section><dl><dt>%s</dt><dd>", l[L_PACKAGE]);
    html_escape(sb, p->v.package_name);
    strbuf_addf(sb, "</dd><dt>%s</dt><dd data-status>%s</dd>", l[L_STATUS],
                sub_status_name(p->v.status));
    strbuf_addf(sb, "<dt>%s</dt><dd>%s</dd>", l[L_TRIAL],
                p->v.in_trial    ? l[L_IN_TRIAL]
                : p->v.had_trial ? l[L_HAD_TRIAL]
                                 : l[L_NO_TRIAL]);
    strbuf_addf(sb, "<dt>%s</dt><dd>%s</dd>", l[L_INTERVAL],
                strcmp(p->v.package_period, "yearly") == 0 ? l[L_YEARLY] : l[L_MONTHLY]);
    strbuf_addf(sb, "<dt>%s</dt><dd><time>%s</time></dd><dt>%s</dt><dd><time>%s</time></dd>",
                l[L_PERIOD_ENDS], exp, l[L_RESET], reset);
    strbuf_addf(sb, "</dl><small>%s ", l[L_TIMES_IN]);
    html_escape(sb, p->tz);
    strbuf_addf(sb, "</small></section>");
}

static void render_consumption(struct strbuf *sb, const struct page *p)
{
    int64_t used = usage_consumed_tenths(p->v.usage);
    bool pool = strcmp(p->v.sub_type, "intpc") == 0, unlimited = p->v.touchpoints < 0 || pool;
    double width = unlimited ? 0 : 100.0 * (double)used / 10.0 / (double)p->v.touchpoints;
    strbuf_addf(sb, "<section><h2>%s</h2><p data-consumption>%.1f / ", p->l[L_CONSUMPTION],
                (double)used / 10.0);
    if (unlimited)
        strbuf_addf(sb, "%s", p->l[L_UNLIMITED]);
    else
        strbuf_addf(sb, "%lld", (long long)p->v.touchpoints);
    strbuf_addf(sb,
                "</p><svg width=\"400\" height=\"14\" role=\"img\" aria-label=\"%.0f%%\">"
                "<rect width=\"400\" height=\"14\" rx=\"7\" fill=\"#e3e8f4\"/>"
                "<rect width=\"%.0f\" height=\"14\" rx=\"7\" fill=\"#3659e3\"/></svg></section>",
                width, width > 100 ? 400.0 : width * 4.0);
}

static void render_chart(struct strbuf *sb, const struct page *p)
{
    cJSON *answer = visits_per_day(p), *row;
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(answer, "payload");
    int n = cJSON_GetArraySize(rows);
    double max = 1, total = 0;
    cJSON_ArrayForEach (row, rows) {
        double v = cJSON_GetObjectItemCaseSensitive(row, "visitCount")->valuedouble;
        max = v > max ? v : max;
        total += v;
    }
    strbuf_addf(sb,
                "<section><h2>%s</h2><p>%s: <strong data-visits>%.0f</strong></p>"
                "<svg viewBox=\"0 0 %d 120\" width=\"%d\" height=\"120\" role=\"img\">",
                p->l[L_VISITS], p->l[L_TOTAL], total, n * 12 + 1, n * 12 + 1);
    int i = 0;
    cJSON_ArrayForEach (row, rows) {
        double v = cJSON_GetObjectItemCaseSensitive(row, "visitCount")->valuedouble;
        double h = 110.0 * v / max;
        strbuf_addf(
            sb, "<rect x=\"%d\" y=\"%.1f\" width=\"10\" height=\"%.1f\" fill=\"#3659e3\"><title>",
            i * 12 + 1, 115.0 - h, h);
        html_escape(sb, cJSON_GetObjectItemCaseSensitive(row, "date")->valuestring);
        strbuf_addf(sb, ": %.0f</title></rect>", v);
        i++;
    }
    strbuf_addf(sb, "</svg></section>");
    cJSON_Delete(answer);
}

static void render_checkout(struct strbuf *sb, const struct page *p)
{
    const char *id = q(p, "upgradePackageId");
    struct package pkg;
    if (!id || !*id)
        return;
    strbuf_addf(sb, "<section data-checkout><h2>%s</h2>", p->l[L_CHECKOUT]);
    if (strcmp(p->v.billing_mode, "platform_managed") != 0)
        strbuf_addf(sb,
                    "<p>upgradePackageId opens a checkout for platform-managed partners only.</p>");
    else if (packages_db_get(&p->req->app->db, p->v.w.intp_id, id, &pkg) != DB_OK)
        strbuf_addf(sb, "<p>Unknown package.</p>");
    else {
        strbuf_addf(sb, "<p>");
        html_escape(sb, pkg.name);
        strbuf_addf(sb, " — %lld.%02lld %s / %s</p><button disabled>%s</button>",
                    (long long)(pkg.price_cents / 100), (long long)(pkg.price_cents % 100),
                    pkg.currency, pkg.period, p->l[L_PAY]);
    }
    strbuf_addf(sb, "</section>");
}

/* The UPGRADE_BUTTON_CLICKED message of contract §3.2 and the script that posts it. */
static void render_upgrade_script(struct strbuf *sb, const struct page *p)
{
    char exp[32];
    time_format(p->v.expires_at, exp);
    strbuf_addf(sb,
                "<script nonce=\"%s\">(function(){var m={type:\"UPGRADE_BUTTON_CLICKED\",data:{"
                "intpWebsiteId:",
                p->nonce);
    html_js_string(sb, p->v.w.intp_website_id);
    strbuf_addf(sb, ",intpCustomerId:");
    html_js_string(sb, p->v.intp_customer_id);
    strbuf_addf(sb, ",packageName:");
    html_js_string(sb, p->v.package_name);
    strbuf_addf(sb, ",packageId:");
    html_js_string(sb, p->v.package_id);
    strbuf_addf(sb, ",inTrial:%s,expiresAt:", p->v.in_trial ? "true" : "false");
    html_js_string(sb, exp);
    strbuf_addf(sb, ",billingInterval:");
    html_js_string(sb, p->v.package_period);
    strbuf_addf(sb, "}};var o=");
    html_js_string(sb, p->origin);
    strbuf_addf(sb, ";document.querySelectorAll(\"[data-upgrade]\").forEach(function(b){"
                    "b.addEventListener(\"click\",function(){window.parent.postMessage(m,o);});});"
                    "})();</script>");
}

static char *render(struct page *p, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    bool can_upgrade =
        p->allow_upgrade && strcmp(p->role, "watcher") != 0 && strcmp(p->role, "dashboard") != 0;
    strbuf_addf(&sb,
                "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width\"><title>",
                p->locale);
    html_escape(&sb, p->v.w.domain);
    strbuf_addf(&sb, " — %s</title><style nonce=\"%s\">%s</style></head><body><header><h1>",
                p->l[L_TITLE], p->nonce, css);
    html_escape(&sb, p->v.w.domain);
    strbuf_addf(&sb, "</h1><span class=\"badge\">%s: <span data-role>%s</span></span>",
                p->l[L_ROLE], p->role);
    if (can_upgrade)
        strbuf_addf(&sb, "<button type=\"button\" data-upgrade>%s</button>", p->l[L_UPGRADE]);
    strbuf_addf(&sb, "</header>");
    if (strcmp(p->role, "dashboard") == 0) {
        strbuf_addf(&sb, "<section data-shared><h2>%s</h2><p>%s</p></section>", p->l[L_SHARED],
                    p->l[L_NO_SHARED]);
    } else {
        render_facts(&sb, p);
        render_consumption(&sb, p);
        render_chart(&sb, p);
        render_checkout(&sb, p);
        if (can_upgrade)
            render_upgrade_script(&sb, p);
    }
    strbuf_addf(&sb, "</body></html>\n");
    return strbuf_detach(&sb, len);
}

/* GET /dashboard[/]?intpc_token|intpcToken=…&externalWebsiteId=… | ?websiteToken=…
 *   [&locale&timezone&startDate&endDate&allowUpgrade&upgradePackageId&targetOrigin]
 *   -> 200 HTML | 400 | 401 | 403 HTML pages that say why */
enum http_status dashboard_page(struct request *req, struct response *res)
{
    struct page p = {.req = req};
    if (open_website(&p, res))
        return res->status ? res->status
                           : reply_page(res, HTTP_NOT_FOUND, "Not found", "No such website.");
    p.now = request_now(req);
    if (read_options(&p, res))
        return res->status;
    random_string(p.nonce, sizeof(p.nonce),
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    response_clear(res);
    res->status = HTTP_OK;
    res->text = render(&p, &res->text_len);
    res->content_type = "text/html; charset=utf-8";
    snprintf(res->csp, sizeof(res->csp),
             "default-src 'none'; style-src 'nonce-%s'; script-src 'nonce-%s'; img-src data:; "
             "base-uri 'none'; form-action 'none'; frame-ancestors *",
             p.nonce, p.nonce);
    return HTTP_OK;
}
