/* The dashboard page's HTML: header, key figures, the visits chart (chart.c), top pages,
 * audience, plan and touchpoints, the data API queries behind it all, and the footer (the style
 * sheet is in style.c). Numbers
 * come from the report's data API answers only, and each carries its raw value in a data-*
 * attribute next to the localized text. */
#include <math.h>
#include <string.h>

#include "billing/calendar.h"
#include "billing/usage.h"
#include "dashboard/page.h"
#include "store/packages_db.h"

/* ---- small pieces ---- */

static void number(struct strbuf *sb, const struct page *p, double v, int decimals)
{
    html_number(sb, p->loc, v, decimals);
}

/* Day `t` (UTC), short or with the year. */
static void day_text(struct strbuf *sb, const struct page *p, int64_t t, bool year)
{
    struct tm tm;
    page_utc_tm(t, &tm);
    i18n_date(sb, p->loc, &tm, year);
}

/* "Nov 1 – Nov 30, 2026" for the days from `start` to `end` (one year written once). */
static void days_text(struct strbuf *sb, const struct page *p, int64_t start, int64_t end)
{
    struct tm a, b;
    page_utc_tm(start, &a);
    page_utc_tm(end, &b);
    day_text(sb, p, start, end == start || a.tm_year != b.tm_year);
    if (end == start)
        return;
    strbuf_addstr(sb, " \xe2\x80\x93 ");
    day_text(sb, p, end, true);
}

static void local_text(struct strbuf *sb, const struct page *p, int64_t t)
{
    struct tm tm;
    page_local_tm(p, t, &tm);
    i18n_datetime(sb, p->loc, &tm);
}

/* A horizontal bar of `percent` (0..100) as an SVG. */
static void bar(struct strbuf *sb, double percent)
{
    percent = percent < 0 ? 0 : percent > 100 ? 100 : percent;
    strbuf_addf(sb,
                "<svg class=\"bar\" viewBox=\"0 0 100 6\" preserveAspectRatio=\"none\" "
                "aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"6\" rx=\"3\"/>"
                "<rect class=\"fill\" width=\"%.2f\" height=\"6\" rx=\"3\"/></svg>",
                percent);
}

/* ---- header ---- */

static const char *role_text(const struct page *p)
{
    return strcmp(p->role, "editor") == 0      ? page_text(p, L_R_EDITOR)
           : strcmp(p->role, "watcher") == 0   ? page_text(p, L_R_WATCHER)
           : strcmp(p->role, "dashboard") == 0 ? page_text(p, L_R_DASHBOARD)
                                               : page_text(p, L_R_OWNER);
}

static void render_top(struct strbuf *sb, const struct page *p, bool full)
{
    strbuf_addstr(sb, "<div class=\"top\"><div class=\"wrap topin\"><div class=\"brand\">");
    render_logo(sb);
    strbuf_addf(sb, "mock3as <span>%s</span></div>", page_text(p, L_TITLE));
    if (full)
        strbuf_addf(sb,
                    "<nav aria-label=\"%s\"><a href=\"#overview\">%s</a><a href=\"#pages\">%s</a>"
                    "<a href=\"#audience\">%s</a><a href=\"#plan\">%s</a></nav>",
                    page_text(p, L_TITLE), page_text(p, L_NAV_OVERVIEW), page_text(p, L_NAV_PAGES),
                    page_text(p, L_NAV_AUDIENCE), page_text(p, L_NAV_PLAN));
    strbuf_addstr(sb, "</div></div>");
}

static void render_presets(struct strbuf *sb, const struct page *p)
{
    static const int presets[] = {7, 30, 90};
    int64_t today = p->now - p->now % DAY_SECONDS;
    strbuf_addf(sb, "<nav class=\"presets\" aria-label=\"%s\">", page_text(p, L_RANGE));
    for (size_t i = 0; i < ARRAY_SIZE(presets); i++) {
        int64_t start = today - (presets[i] - 1) * (int64_t)DAY_SECONDS;
        strbuf_addstr(sb, "<a href=\"");
        page_href(sb, p, p->loc, start, today);
        strbuf_addf(sb, "\"%s>%d %s</a>",
                    p->start == start && p->end == today ? " aria-current=\"true\"" : "",
                    presets[i], page_text(p, L_DAYS));
    }
    strbuf_addstr(sb, "</nav>");
}

static void render_hero(struct strbuf *sb, const struct page *p, bool full)
{
    int64_t days = (p->end - p->start) / DAY_SECONDS + 1;
    strbuf_addstr(sb, "<header class=\"hero\" id=\"overview\"><div><h1>");
    html_escape(sb, p->v.w.domain);
    strbuf_addstr(sb, "</h1>");
    if (full) {
        strbuf_addf(sb, "<p class=\"range\">%s%s<strong data-period>", page_text(p, L_RANGE),
                    page_text(p, L_COLON));
        days_text(sb, p, p->start, p->end);
        strbuf_addf(sb, "</strong> \xc2\xb7 %s ", page_text(p, L_COMPARED));
        days_text(sb, p, p->start - days * DAY_SECONDS, p->start - DAY_SECONDS);
        strbuf_addstr(sb, "</p>");
    }
    strbuf_addstr(sb, "</div><div class=\"actions\">");
    if (full)
        render_presets(sb, p);
    strbuf_addstr(sb, "<span class=\"badge\">");
    html_escape(sb, p->v.package_name);
    strbuf_addf(sb, "</span><span class=\"badge\">%s%s<span data-role=\"%s\">%s</span></span>",
                page_text(p, L_ROLE), page_text(p, L_COLON), p->role, role_text(p));
    if (p->can_upgrade)
        strbuf_addf(sb, "<button type=\"button\" data-upgrade>%s</button>",
                    page_text(p, L_UPGRADE));
    strbuf_addstr(sb, "</div></header>");
}

/* ---- key figures ---- */

struct kpi {
    const char *metric;
    enum label label;
    bool lower_is_better;
};

static const struct kpi kpis[] = {
    {"sessionCount", L_SESSIONS, false},         {"visitorCount", L_VISITORS, false},
    {"pageviewCount", L_PAGEVIEWS, false},       {"bounceRate", L_BOUNCE, true},
    {"averageVisitDuration", L_DURATION, false},
};

static void kpi_value(struct strbuf *sb, const struct page *p, const char *metric, double v)
{
    if (strcmp(metric, "bounceRate") == 0)
        html_percent(sb, p->loc, v, 1);
    else if (strcmp(metric, "averageVisitDuration") == 0)
        i18n_duration(sb, p->loc, v);
    else
        number(sb, p, v, 0);
}

static void render_kpi(struct strbuf *sb, const struct page *p, const cJSON *row,
                       const struct kpi *k)
{
    char prev[64], change[80];
    snprintf(prev, sizeof(prev), "previous%c%s", k->metric[0] - 'a' + 'A', k->metric + 1);
    snprintf(change, sizeof(change), "%sPercentageChange", k->metric);
    double v = report_number(row, k->metric), before = report_number(row, prev);
    strbuf_addf(sb,
                "<div class=\"card kpi\" data-metric=\"%s\" data-value=\"%.17g\" "
                "data-previous=\"%.17g\"",
                k->metric, v, before);
    if (report_has_number(row, change))
        strbuf_addf(sb, " data-change=\"%.17g\"", report_number(row, change));
    strbuf_addf(sb, "><div class=\"label\">%s</div><div class=\"value\">", page_text(p, k->label));
    kpi_value(sb, p, k->metric, v);
    strbuf_addstr(sb, "</div>");
    if (report_has_number(row, change)) {
        double c = report_number(row, change);
        bool good = k->lower_is_better ? c < 0 : c > 0;
        strbuf_addf(sb, "<span class=\"chg %s\">%s ",
                    c == 0 ? "flat"
                    : good ? "good"
                           : "bad",
                    c > 0   ? "\xe2\x96\xb2"
                    : c < 0 ? "\xe2\x96\xbc"
                            : "\xe2\x80\x93");
        html_percent(sb, p->loc, fabs(c), 1);
        strbuf_addf(sb, "</span><small>%s</small>", page_text(p, L_VS_PREV));
    } else
        strbuf_addf(sb, "<span class=\"chg flat\">\xe2\x80\x93</span><small>%s</small>",
                    page_text(p, L_NO_PREV));
    render_sparkline(sb, p, k->metric);
    strbuf_addstr(sb, "</div>");
}

static void render_kpis(struct strbuf *sb, const struct page *p)
{
    const cJSON *row = cJSON_GetArrayItem(p->report.kpis.rows, 0);
    strbuf_addstr(sb, "<section class=\"kpis\" data-query=\"kpis\">");
    for (size_t i = 0; i < ARRAY_SIZE(kpis); i++)
        render_kpi(sb, p, row, &kpis[i]);
    strbuf_addstr(sb, "</section>");
}

/* ---- the visits chart ---- */

static void render_visits(struct strbuf *sb, const struct page *p)
{
    double total = 0;
    const cJSON *row;
    cJSON_ArrayForEach (row, p->report.days.rows)
        total += report_number(row, "sessionCount");
    strbuf_addf(sb,
                "<section class=\"card\" id=\"visits\" data-query=\"days\"><div class=\"head\">"
                "<h2>%s</h2><span class=\"muted\">%s%s<strong data-visits=\"%.0f\">",
                page_text(p, L_VISITS_PER_DAY), page_text(p, L_TOTAL), page_text(p, L_COLON),
                total);
    number(sb, p, total, 0);
    strbuf_addstr(sb, "</strong></span></div>");
    render_chart(sb, p);
    strbuf_addstr(sb, "</section>");
}

/* ---- top pages and shares ---- */

static void render_pages(struct strbuf *sb, const struct page *p)
{
    const cJSON *row, *rows = p->report.pages.rows;
    double top = report_number(cJSON_GetArrayItem(rows, 0), "pageviewCount");
    size_t origin = strlen(p->site.origin);
    strbuf_addf(sb,
                "<section class=\"card\" data-query=\"pages\"><h2>%s</h2><table><thead><tr>"
                "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>",
                page_text(p, L_TOP_PAGES), page_text(p, L_PAGE), page_text(p, L_VIEWS),
                page_text(p, L_VISITS));
    cJSON_ArrayForEach (row, rows) {
        const char *url = report_string(row, "pageUrl");
        double views = report_number(row, "pageviewCount");
        double visits = report_number(row, "visitCount");
        strbuf_addstr(sb, "<tr data-key=\"");
        html_escape(sb, url);
        strbuf_addf(sb, "\" data-views=\"%.0f\" data-visits=\"%.0f\"><td class=\"path\">", views,
                    visits);
        html_escape(sb,
                    strncmp(url, p->site.origin, origin) == 0 && url[origin] ? url + origin : url);
        bar(sb, top > 0 ? 100.0 * views / top : 0);
        strbuf_addstr(sb, "</td><td class=\"n\">");
        number(sb, p, views, 0);
        strbuf_addstr(sb, "</td><td class=\"n\">");
        number(sb, p, visits, 0);
        strbuf_addstr(sb, "</td></tr>");
    }
    if (!cJSON_GetArraySize(rows))
        strbuf_addf(sb, "<tr><td colspan=\"3\" class=\"muted\">%s</td></tr>",
                    page_text(p, L_NO_DATA));
    strbuf_addstr(sb, "</tbody></table></section>");
}

/* Sessions by `dimension`: a list of names with their share. */
static void render_share(struct strbuf *sb, const struct page *p, const char *query,
                         const struct report_query *rq, const char *dimension, enum label title)
{
    const cJSON *row;
    strbuf_addf(sb, "<section class=\"card\" data-query=\"%s\"><h2>%s</h2><ul class=\"share\">",
                query, page_text(p, title));
    cJSON_ArrayForEach (row, rq->rows) {
        const char *key = report_string(row, dimension);
        double n = report_number(row, "sessionCount");
        double pct = report_number(row, "sessionPercentOfTotal");
        strbuf_addstr(sb, "<li data-key=\"");
        html_escape(sb, key);
        strbuf_addf(sb,
                    "\" data-sessions=\"%.0f\" data-percent=\"%.17g\"><div class=\"row\">"
                    "<span>",
                    n, pct);
        html_escape(sb, i18n_value(p->loc, dimension, key));
        strbuf_addstr(sb, "</span><span>");
        number(sb, p, n, 0);
        strbuf_addstr(sb, " \xc2\xb7 ");
        html_percent(sb, p->loc, pct, 1);
        strbuf_addstr(sb, "</span></div>");
        bar(sb, pct);
        strbuf_addstr(sb, "</li>");
    }
    if (!cJSON_GetArraySize(rq->rows))
        strbuf_addf(sb, "<li class=\"muted\">%s</li>", page_text(p, L_NO_DATA));
    strbuf_addstr(sb, "</ul></section>");
}

static void render_audience(struct strbuf *sb, const struct page *p)
{
    const struct report *r = &p->report;
    strbuf_addstr(sb, "<div class=\"grid2\" id=\"pages\">");
    render_pages(sb, p);
    strbuf_addstr(sb, "<div>");
    render_share(sb, p, "sources", &r->sources, "referrerType", L_SOURCES);
    render_share(sb, p, "devices", &r->devices, "deviceType", L_DEVICES);
    strbuf_addstr(sb, "</div></div><div class=\"grid2 even\" id=\"audience\">");
    render_share(sb, p, "browsers", &r->browsers, "browserName", L_BROWSERS);
    render_share(sb, p, "countries", &r->countries, "countryCode", L_COUNTRIES);
    strbuf_addstr(sb, "</div>");
}

/* ---- plan and touchpoints ---- */

static const enum label usage_labels[USAGE__COUNT] = {
    L_U_VISIT, L_U_VISIT_EVENT, L_U_RECORDING, L_U_HEATMAP, L_U_POLL, L_U_SURVEY, L_U_FUNNEL};

static void render_usage_kinds(struct strbuf *sb, const struct page *p)
{
    strbuf_addf(sb,
                "<table class=\"kinds\"><thead><tr><th>%s</th><th class=\"n\">%s</th>"
                "<th class=\"n\">%s</th></tr></thead><tbody>",
                page_text(p, L_USAGE), page_text(p, L_EVENTS), page_text(p, L_TOUCHPOINTS));
    for (int i = 0; i < USAGE__COUNT; i++) {
        int64_t n = p->v.usage[i];
        if (n == 0 && i != USAGE_VISITS)
            continue;
        strbuf_addf(sb, "<tr data-usage=\"%s\" data-events=\"%lld\"><td>%s</td><td class=\"n\">",
                    usage_name((enum usage_kind)i), (long long)n, page_text(p, usage_labels[i]));
        number(sb, p, (double)n, 0);
        strbuf_addstr(sb, "</td><td class=\"n\">");
        number(sb, p, (double)(n * usage_rate_tenths((enum usage_kind)i)) / 10.0, 1);
        strbuf_addstr(sb, "</td></tr>");
    }
    strbuf_addstr(sb, "</tbody></table>");
}

static void render_consumption(struct strbuf *sb, const struct page *p)
{
    int64_t used = usage_consumed_tenths(p->v.usage);
    bool pool = strcmp(p->v.sub_type, "intpc") == 0;
    bool unlimited = p->v.touchpoints < 0 && !pool;
    double limit = (double)p->v.touchpoints, pct = 0;
    strbuf_addf(sb,
                "<div class=\"muted\">%s</div><div class=\"big\" data-consumption "
                "data-used=\"%.1f\" data-limit=\"%lld\">",
                page_text(p, L_CONSUMPTION), (double)used / 10.0,
                pool || unlimited ? -1LL : (long long)p->v.touchpoints);
    number(sb, p, (double)used / 10.0, 1);
    strbuf_addstr(sb, " <span>/ ");
    if (pool || unlimited)
        strbuf_addstr(sb, page_text(p, pool ? L_POOL : L_UNLIMITED));
    else
        number(sb, p, limit, 0);
    strbuf_addstr(sb, "</span></div>");
    if (!pool && !unlimited && limit > 0) {
        pct = 100.0 * (double)used / 10.0 / limit;
        strbuf_addf(sb,
                    "<svg class=\"meter\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" "
                    "role=\"img\" aria-label=\"%.1f%%\"><rect class=\"track\" width=\"100\" "
                    "height=\"10\" rx=\"5\"/><rect class=\"%s\" width=\"%.2f\" height=\"10\" "
                    "rx=\"5\"/></svg><small>",
                    pct, pct > 100 ? "over" : "fill", pct > 100 ? 100.0 : pct);
        html_percent(sb, p->loc, pct, 1);
        strbuf_addstr(sb, "</small>");
    }
    render_usage_kinds(sb, p);
}

/* The visits the data API reports for the touchpoint period so far: the recorded visits. */
static void render_period_visits(struct strbuf *sb, const struct page *p)
{
    const struct report_query *rq = &p->report.period;
    cJSON *body = cJSON_Parse(rq->body);
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(body, "dateRange");
    double visits = report_number(cJSON_GetArrayItem(rq->rows, 0), "visitCount");
    strbuf_addf(sb,
                "<div class=\"pv\" data-query=\"period\" data-period-visits=\"%.0f\" "
                "data-start=\"%s\" data-end=\"%s\"><div class=\"muted\">%s</div><strong>",
                visits, report_string(range, "start"), report_string(range, "end"),
                page_text(p, L_PERIOD_VISITS));
    number(sb, p, visits, 0);
    strbuf_addf(sb, "</strong> <small>%s ", page_text(p, L_SINCE));
    local_text(sb, p, p->site.period_start);
    strbuf_addf(sb, "</small><div><small>%s</small></div>",
                visits > 0 ? page_text(p, L_PERIOD_EXPLAIN) : page_text(p, L_EMPTY_PERIOD));
    strbuf_addstr(sb, "</div>");
    cJSON_Delete(body);
}

static const char *status_text(const struct page *p)
{
    switch (p->v.status) {
    case SUB_CANCELED:
        return page_text(p, L_ST_CANCELED);
    case SUB_INACTIVE:
        return page_text(p, L_ST_INACTIVE);
    case SUB_ACTIVE:
    case SUB_STATUS_NONE:
    case SUB__COUNT:
        break;
    }
    return page_text(p, L_ST_ACTIVE);
}

static void render_facts(struct strbuf *sb, const struct page *p)
{
    strbuf_addf(sb, "<dl><dt>%s</dt><dd data-package>", page_text(p, L_PACKAGE));
    html_escape(sb, p->v.package_name);
    strbuf_addf(sb, "</dd><dt>%s</dt><dd data-status=\"%s\">%s</dd>", page_text(p, L_STATUS),
                sub_status_name(p->v.status), status_text(p));
    strbuf_addf(sb, "<dt>%s</dt><dd>%s</dd>", page_text(p, L_TRIAL),
                p->v.in_trial    ? page_text(p, L_IN_TRIAL)
                : p->v.had_trial ? page_text(p, L_HAD_TRIAL)
                                 : page_text(p, L_NO_TRIAL));
    strbuf_addf(sb, "<dt>%s</dt><dd>%s</dd>", page_text(p, L_INTERVAL),
                strcmp(p->v.package_period, "yearly") == 0 ? page_text(p, L_YEARLY)
                                                           : page_text(p, L_MONTHLY));
    strbuf_addf(sb, "<dt>%s</dt><dd><time>", page_text(p, L_PERIOD_ENDS));
    local_text(sb, p, p->v.expires_at);
    strbuf_addf(sb, "</time></dd><dt>%s</dt><dd><time>", page_text(p, L_RESET));
    local_text(sb, p, p->v.stp_reset_at);
    strbuf_addf(sb, "</time></dd></dl><p><small>%s ", page_text(p, L_TIMES_IN));
    html_escape(sb, p->tz);
    strbuf_addstr(sb, "</small></p>");
}

static void render_plan(struct strbuf *sb, const struct page *p)
{
    strbuf_addf(sb, "<section class=\"card\" id=\"plan\"><h2>%s</h2><div class=\"plan\"><div>",
                page_text(p, L_NAV_PLAN));
    render_consumption(sb, p);
    render_period_visits(sb, p);
    strbuf_addstr(sb, "</div><div>");
    render_facts(sb, p);
    strbuf_addstr(sb, "</div></div></section>");
}

static void render_checkout(struct strbuf *sb, const struct page *p)
{
    const char *id = request_query(p->req, "upgradePackageId");
    struct package pkg;
    if (!id || !*id)
        return;
    strbuf_addf(sb, "<section class=\"card\" data-checkout><h2>%s</h2>", page_text(p, L_CHECKOUT));
    if (strcmp(p->v.billing_mode, "platform_managed") != 0)
        strbuf_addf(sb, "<p>%s</p>", page_text(p, L_CHECKOUT_PM));
    else if (packages_db_get(p->req->db, p->v.w.intp_id, id, &pkg) != DB_OK)
        strbuf_addf(sb, "<p>%s</p>", page_text(p, L_UNKNOWN_PKG));
    else {
        strbuf_addstr(sb, "<p>");
        html_escape(sb, pkg.name);
        strbuf_addstr(sb, " — ");
        number(sb, p, (double)pkg.price_cents / 100.0, 2);
        strbuf_addf(sb, " %s / %s</p><button disabled>%s</button>", pkg.currency,
                    strcmp(pkg.period, "yearly") == 0 ? page_text(p, L_YEARLY)
                                                      : page_text(p, L_MONTHLY),
                    page_text(p, L_PAY));
    }
    strbuf_addstr(sb, "</section>");
}

/* ---- the queries behind the page, the footer, the script ---- */

static void render_queries(struct strbuf *sb, const struct page *p)
{
    static const char *const names[] = {"kpis",     "days",      "pages",   "devices",
                                        "browsers", "countries", "sources", "period"};
    const struct report_query *qs[] = {
        &p->report.kpis,     &p->report.days,      &p->report.pages,   &p->report.devices,
        &p->report.browsers, &p->report.countries, &p->report.sources, &p->report.period};
    strbuf_addf(sb, "<details class=\"card\" id=\"queries\"><summary>%s</summary>",
                page_text(p, L_QUERIES));
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const char *path = qs[i]->view == VIEW_PAGES ? "analytics/pages" : "analytics/sessions";
        strbuf_addf(sb,
                    "<h3>POST /v2/websites/%s/%s</h3><pre data-query-body=\"%s\" "
                    "data-path=\"%s\">",
                    p->v.w.id, path, names[i], path);
        html_escape(sb, qs[i]->body);
        strbuf_addstr(sb, "</pre>");
    }
    strbuf_addstr(sb, "</details>");
}

static void render_footer(struct strbuf *sb, const struct page *p)
{
    static const char *const names[LOCALE__COUNT] = {"English", "Deutsch", "Français", "Español",
                                                     "Italiano"};
    strbuf_addf(sb, "<footer class=\"wrap foot\"><span>%s</span><nav aria-label=\"%s\">%s%s",
                page_text(p, L_FOOTER), page_text(p, L_LANGUAGE), page_text(p, L_LANGUAGE),
                page_text(p, L_COLON));
    for (int i = 0; i < LOCALE__COUNT; i++) {
        strbuf_addstr(sb, "<a href=\"");
        page_href(sb, p, (enum html_locale)i, p->start, p->end);
        strbuf_addf(sb, "\" hreflang=\"%s\" lang=\"%s\"%s>%s</a>",
                    html_locale_tag((enum html_locale)i), html_locale_tag((enum html_locale)i),
                    (int)p->loc == i ? " aria-current=\"true\"" : "", names[i]);
    }
    strbuf_addstr(sb, "</nav></footer>");
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
    strbuf_addstr(sb, ",intpCustomerId:");
    html_js_string(sb, p->v.intp_customer_id);
    strbuf_addstr(sb, ",packageName:");
    html_js_string(sb, p->v.package_name);
    strbuf_addstr(sb, ",packageId:");
    html_js_string(sb, p->v.package_id);
    strbuf_addf(sb, ",inTrial:%s,expiresAt:", p->v.in_trial ? "true" : "false");
    html_js_string(sb, exp);
    strbuf_addstr(sb, ",billingInterval:");
    html_js_string(sb, p->v.package_period);
    strbuf_addstr(sb, "}};var o=");
    html_js_string(sb, p->origin);
    strbuf_addstr(sb,
                  ";document.querySelectorAll(\"[data-upgrade]\").forEach(function(b){"
                  "b.addEventListener(\"click\",function(){window.parent.postMessage(m,o);});});"
                  "})();</script>");
}

void render_page(struct strbuf *sb, const struct page *p)
{
    bool full = strcmp(p->role, "dashboard") != 0;
    char s[32], e[32];
    time_format(p->start, s);
    time_format(p->end, e);
    s[10] = e[10] = '\0';
    strbuf_addf(sb,
                "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
                html_locale_tag(p->loc));
    html_escape(sb, p->v.w.domain);
    strbuf_addf(sb, " — %s</title><style nonce=\"%s\">", page_text(p, L_TITLE), p->nonce);
    render_style(sb);
    strbuf_addf(sb,
                "</style></head><body data-locale=\"%s\" data-range-start=\"%s\" "
                "data-range-end=\"%s\" data-website=\"%s\">",
                html_locale_tag(p->loc), s, e, p->v.w.id);
    render_top(sb, p, full);
    strbuf_addstr(sb, "<main class=\"wrap\">");
    render_hero(sb, p, full);
    if (!full) {
        strbuf_addf(sb, "<section class=\"card\" data-shared><h2>%s</h2><p>%s</p></section>",
                    page_text(p, L_SHARED), page_text(p, L_NO_SHARED));
    } else {
        render_kpis(sb, p);
        render_visits(sb, p);
        render_audience(sb, p);
        render_plan(sb, p);
        render_checkout(sb, p);
        render_queries(sb, p);
    }
    strbuf_addstr(sb, "</main>");
    render_footer(sb, p);
    if (p->can_upgrade)
        render_upgrade_script(sb, p);
    strbuf_addstr(sb, "</body></html>\n");
}
