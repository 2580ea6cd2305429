/* The emulated dashboard iframe (contract D8, §3.2): a server-rendered page for one website,
 * opened with an INTPC token (owner or contributor) or the websiteToken of an API-key login.
 * No external assets, a strict Content-Security-Policy with a per-answer nonce, readable without
 * JavaScript; the only script posts UPGRADE_BUTTON_CLICKED to the parent frame. Every number on
 * it is a data API answer (report.c). This file reads the request, finds the website and answers
 * the errors it finds itself (400, 403, 404) with localized pages; render.c writes the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing/calendar.h"
#include "dashboard/dashboard.h"
#include "dashboard/page.h"
#include "data/site.h"
#include "store/contributors_db.h"
#include "store/websites_db.h"
#include "util/util.h"

#define MAX_DAYS 366

static const char *q(const struct page *p, const char *name)
{
    return request_query(p->req, name);
}

const char *page_text(const struct page *p, enum label id)
{
    return i18n(p->loc, id);
}

/* ---- answers ---- */

static void new_nonce(struct page *p)
{
    random_string(p->nonce, sizeof(p->nonce),
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

/* Put `html` (taken) into `res` under the page's Content-Security-Policy. */
static enum http_status answer_html(const struct page *p, struct response *res,
                                    enum http_status status, struct strbuf *html)
{
    response_clear(res);
    res->status = status;
    res->text = strbuf_detach(html, &res->text_len);
    res->content_type = "text/html; charset=utf-8";
    snprintf(res->csp, sizeof(res->csp),
             "default-src 'none'; style-src 'nonce-%s'; script-src 'nonce-%s'; img-src data:; "
             "base-uri 'none'; form-action 'none'; frame-ancestors *",
             p->nonce, p->nonce);
    return status;
}

/* A localized error page that says why (`why`: a label). */
static enum http_status error_page(const struct page *p, struct response *res,
                                   enum http_status status, enum label why)
{
    struct strbuf sb = STRBUF_INIT;
    html_error_page(&sb, p->loc, (int)status, page_text(p, why), NULL, p->nonce);
    return answer_html(p, res, status, &sb);
}

/* ---- the website ---- */

/* The role of customer `intpc_id` on website `site`: owner, a contributor's role, or -1 after a
 * 403 page. */
static int role_of(struct page *p, const char *intpc_id, const char *site, char *uuid,
                   struct response *res)
{
    struct db *db = p->req->db;
    struct customer c;
    struct website w;
    if (!site || websites_db_get(db, p->req->auth.intp_id, site, &w) != DB_OK ||
        customers_db_get(db, p->req->auth.intp_id, intpc_id, &c) != DB_OK) {
        error_page(p, res, HTTP_FORBIDDEN, L_ERR_UNKNOWN);
        return -1;
    }
    if (strcmp(c.id, w.customer_id) == 0)
        strcpy(p->role, "owner");
    else if (contributors_db_role(db, w.id, c.id, p->role) != DB_OK) {
        error_page(p, res, HTTP_FORBIDDEN, L_ERR_NOT_OWNER);
        return -1;
    }
    memcpy(uuid, w.id, UUID_SIZE);
    return 0;
}

/* The website the authenticated credentials open (AUTH_DASHBOARD, http/authenticate.c): the
 * websiteToken's, or the externalWebsiteId the customer of the INTPC token owns or contributes
 * to; opened as the data API opens it. -1 after an error page. */
static int open_website(struct page *p, struct response *res)
{
    struct request *req = p->req;
    char uuid[UUID_SIZE];
    if (req->auth.website_id[0]) {
        strcpy(p->role, "owner");
        memcpy(uuid, req->auth.website_id, UUID_SIZE);
    } else if (role_of(p, req->auth.intpc_id, q(p, "externalWebsiteId"), uuid, res))
        return -1;
    if (data_site_open(req->db, req->auth.intp_id, uuid, p->now, &p->v, &p->site) != DB_OK) {
        error_page(p, res, HTTP_NOT_FOUND, L_ERR_NO_SITE);
        return -1;
    }
    return 0;
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

/* The range and the display options; -1 after a 400 page. */
static int read_options(struct page *p, struct response *res)
{
    const char *tz = q(p, "timezone"), *up = q(p, "allowUpgrade");
    const char *s = q(p, "startDate"), *e = q(p, "endDate"), *origin = q(p, "targetOrigin");
    snprintf(p->tz, sizeof(p->tz), "%s", check_zone(tz) == 0 ? tz : "UTC");
    p->can_upgrade = up && strcmp(up, "true") == 0 && strcmp(p->role, "watcher") != 0 &&
                     strcmp(p->role, "dashboard") != 0;
    p->origin = origin && *origin ? origin : "*";
    p->end = p->now - p->now % DAY_SECONDS;
    p->start = p->end - 29 * (int64_t)DAY_SECONDS;
    if ((s && parse_day(s, &p->start)) || (e && parse_day(e, &p->end)) || p->end < p->start ||
        (p->end - p->start) / DAY_SECONDS >= MAX_DAYS) {
        error_page(p, res, HTTP_BAD_REQUEST, L_ERR_DATES);
        return -1;
    }
    return 0;
}

/* ---- helpers of the renderers ---- */

void page_utc_tm(int64_t t, struct tm *out)
{
    time_t tt = (time_t)t;
    gmtime_r(&tt, out);
}

void page_local_tm(const struct page *p, int64_t t, struct tm *out)
{
    char *saved = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
    time_t tt = (time_t)t;
    setenv("TZ", p->tz, 1); /* one server thread: the zone is switched for this call only */
    tzset();
    localtime_r(&tt, out);
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

static void add_param(struct strbuf *sb, const char *name, const char *value)
{
    if (!value)
        return;
    strbuf_addf(sb, "%s%s=", sb->len > 1 ? "&" : "", name);
    html_url_encode(sb, value);
}

void page_href(struct strbuf *sb, const struct page *p, enum html_locale loc, int64_t start,
               int64_t end)
{
    static const char *const kept[] = {"intpc_token",       "intpcToken",      "websiteToken",
                                       "externalWebsiteId", "timezone",        "allowUpgrade",
                                       "targetOrigin",      "upgradePackageId"};
    struct strbuf url = STRBUF_INIT;
    char s[32], e[32];
    time_format(start, s);
    time_format(end, e);
    s[10] = e[10] = '\0';
    strbuf_addch(&url, '?');
    for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
        add_param(&url, kept[i], q(p, kept[i]));
    add_param(&url, "locale", html_locale_tag(loc));
    add_param(&url, "startDate", s);
    add_param(&url, "endDate", e);
    html_escape(sb, url.buf);
    strbuf_release(&url);
}

/* GET /dashboard[/]?intpc_token|intpcToken=…&externalWebsiteId=… | ?websiteToken=…
 *   [&locale&timezone&startDate&endDate&allowUpgrade&upgradePackageId&targetOrigin]
 *   -> 200 HTML | 400 | 401 | 403 | 404 HTML pages that say why */
enum http_status dashboard_page(struct request *req, struct response *res)
{
    struct page p = {.req = req, .now = request_now(req)};
    p.loc = html_locale_parse(request_query(req, "locale"));
    new_nonce(&p);
    if (open_website(&p, res) || read_options(&p, res))
        return res->status;
    if (strcmp(p.role, "dashboard") != 0)
        report_run(&p.report, &p.site, p.start, p.end, p.now);
    struct strbuf sb = STRBUF_INIT;
    render_page(&sb, &p);
    if (strcmp(p.role, "dashboard") != 0)
        report_release(&p.report);
    return answer_html(&p, res, HTTP_OK, &sb);
}
