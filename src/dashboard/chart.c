/* The dashboard's charts, as inline SVG: visits per day with labelled axes, dates, a tooltip per
 * day, the start of the touchpoint period and the days before the website existed marked (two
 * drawings, for wide and for narrow screens: CSS shows one); and the key figures' sparklines. The
 * values are the rows of the report's "days" query. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "billing/calendar.h"
#include "dashboard/page.h"

#define MAX_DAYS 366

struct geometry {
    const char *cls; /* "wide" or "narrow" */
    int w, h;        /* the viewBox */
    int left, right, top, bottom;
    int max_labels;   /* dates on the x axis, at most */
    int value_labels; /* a value over each bar up to this many days */
    bool data;        /* carries the data-* attributes (one drawing does) */
};

static const struct geometry geometries[] = {
    {"wide", 960, 300, 64, 12, 34, 50, 10, 16, true},
    {"narrow", 360, 290, 52, 8, 34, 50, 4, 7, false},
};

/* `metric` per day of the range from the "days" rows (0 on days without a row) into v[]; the
 * number of days. */
static int values(const struct page *p, const char *metric, double v[MAX_DAYS])
{
    int n = (int)((p->end - p->start) / DAY_SECONDS) + 1;
    const cJSON *row;
    memset(v, 0, sizeof(double) * MAX_DAYS);
    cJSON_ArrayForEach (row, p->report.days.rows) {
        char full[32];
        int64_t t;
        snprintf(full, sizeof(full), "%sT00:00:00Z", report_string(row, "date"));
        if (time_parse(full, &t) == 0 && t >= p->start && t <= p->end)
            v[(t - p->start) / DAY_SECONDS] = report_number(row, metric);
    }
    return n;
}

/* A round step for about `ticks` gridlines up to `max` (1, 2, 2.5 or 5 times a power of ten,
 * at least 1). */
static double nice_step(double max, int ticks)
{
    double raw = max / ticks;
    if (raw <= 1)
        return 1;
    double mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

struct plot {
    const struct geometry *g;
    int n;
    double slot, top_value; /* width of a day; the value at the top of the plot */
    double pw, ph;          /* the plot's size */
};

static double y_of(const struct plot *pl, double v)
{
    return pl->g->top + pl->ph - pl->ph * v / pl->top_value;
}

static void axis_y(struct strbuf *sb, const struct page *p, const struct plot *pl, double step)
{
    const struct geometry *g = pl->g;
    for (double t = 0; t <= pl->top_value + step / 2; t += step) {
        double y = y_of(pl, t);
        strbuf_addf(sb,
                    "<line class=\"%s\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">",
                    t == 0 ? "axis" : "grid", g->left, g->w - g->right, y, y, g->left - 8, y + 4);
        html_number(sb, p->loc, t, step < 1 ? 1 : 0);
        strbuf_addstr(sb, "</text>");
    }
    strbuf_addf(sb,
                "<text class=\"ttl\" transform=\"rotate(-90)\" x=\"%.1f\" y=\"14\" "
                "text-anchor=\"middle\" font-size=\"12\">%s</text>"
                "<text class=\"ttl\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                "font-size=\"12\">%s (UTC)</text>",
                -(g->top + pl->ph / 2), page_text(p, L_VISITS), g->left + pl->pw / 2, g->h - 6,
                page_text(p, L_DATE));
}

/* The days before the website's creation, shaded; the start of the touchpoint period, marked. */
static void marks(struct strbuf *sb, const struct page *p, const struct plot *pl)
{
    const struct geometry *g = pl->g;
    int64_t created_day = p->v.w.created_at - p->v.w.created_at % DAY_SECONDS;
    if (created_day > p->start) {
        double days = (double)((created_day - p->start) / DAY_SECONDS);
        double w = days > pl->n ? pl->pw : days * pl->slot;
        strbuf_addf(sb,
                    "<rect class=\"before\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\">"
                    "<title>%s</title></rect>",
                    g->left, g->top, w, pl->ph, page_text(p, L_BEFORE_CREATED));
        if (w > 170)
            strbuf_addf(sb,
                        "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                        "font-size=\"12\">%s</text>",
                        g->left + w / 2, g->top + pl->ph / 2, page_text(p, L_BEFORE_CREATED));
    }
    int64_t s = p->site.period_start;
    if (s > p->start && s < p->end + DAY_SECONDS && s > p->v.w.created_at) {
        double x = g->left + (double)(s - p->start) / DAY_SECONDS * pl->slot;
        double label = 7.0 * (double)strlen(page_text(p, L_PERIOD_START)) + 20; /* about */
        bool right = x + label < g->w - g->right;
        strbuf_addf(sb,
                    "<line class=\"mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>"
                    "<text class=\"marklabel\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" "
                    "font-size=\"12\">%s%s%s</text>",
                    x, x, g->top - 14, g->top + pl->ph, right ? x + 5 : x - 5, g->top - 18,
                    right ? "start" : "end", right ? "" : "\xe2\x86\x90 ",
                    page_text(p, L_PERIOD_START), right ? " \xe2\x86\x92" : "");
    }
}

/* One day: its bar, a tooltip and, when there is room, its value. */
static void day_bar(struct strbuf *sb, const struct page *p, const struct plot *pl, int i, double v)
{
    const struct geometry *g = pl->g;
    int64_t t = p->start + (int64_t)i * DAY_SECONDS;
    struct tm tm;
    char date[32];
    double x = g->left + i * pl->slot, gap = pl->slot > 6 ? pl->slot * 0.22 : 0.5;
    double y = y_of(pl, v);
    time_format(t, date);
    date[10] = '\0';
    page_utc_tm(t, &tm);
    strbuf_addstr(sb, "<g class=\"day\"");
    if (g->data)
        strbuf_addf(sb, " data-date=\"%s\" data-visits=\"%.0f\"", date, v);
    strbuf_addstr(sb, "><title>");
    i18n_date(sb, p->loc, &tm, true);
    strbuf_addf(sb, " \xe2\x80\x94 %s%s", page_text(p, L_VISITS), page_text(p, L_COLON));
    html_number(sb, p->loc, v, 0);
    strbuf_addf(sb,
                "</title><rect class=\"hit\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%.1f\"/>"
                "<rect class=\"val\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                "rx=\"%.1f\"/>",
                x, g->top, pl->slot, pl->ph, x + gap / 2, y, pl->slot - gap, g->top + pl->ph - y,
                pl->slot > 8 ? 2.0 : 0.0);
    if (pl->n <= g->value_labels && v > 0) {
        strbuf_addf(sb,
                    "<text class=\"vl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "font-size=\"11\">",
                    x + pl->slot / 2, y - 5);
        html_number(sb, p->loc, v, 0);
        strbuf_addstr(sb, "</text>");
    }
    strbuf_addstr(sb, "</g>");
}

static void axis_x(struct strbuf *sb, const struct page *p, const struct plot *pl)
{
    const struct geometry *g = pl->g;
    int every = (pl->n + g->max_labels - 1) / g->max_labels;
    for (int i = 0; i < pl->n; i += every) {
        struct tm tm;
        page_utc_tm(p->start + (int64_t)i * DAY_SECONDS, &tm);
        strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">",
                    g->left + (i + 0.5) * pl->slot, g->top + pl->ph + 18);
        i18n_date(sb, p->loc, &tm, false);
        strbuf_addstr(sb, "</text>");
    }
}

static void drawing(struct strbuf *sb, const struct page *p, const struct geometry *g,
                    const double *v, int n)
{
    struct plot pl = {.g = g, .n = n};
    double max = 0, total = 0;
    for (int i = 0; i < n; i++) {
        max = v[i] > max ? v[i] : max;
        total += v[i];
    }
    double step = nice_step(max > 0 ? max : 4, 4);
    pl.top_value = ceil((max > 0 ? max : 4) / step) * step;
    pl.pw = g->w - g->left - g->right;
    pl.ph = g->h - g->top - g->bottom;
    pl.slot = pl.pw / n;
    strbuf_addf(sb, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                g->cls, g->w, g->h, page_text(p, L_VISITS_PER_DAY));
    marks(sb, p, &pl);
    axis_y(sb, p, &pl, step);
    for (int i = 0; i < n; i++)
        day_bar(sb, p, &pl, i, v[i]);
    axis_x(sb, p, &pl);
    if (total == 0)
        strbuf_addf(sb,
                    "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "font-size=\"14\">%s</text>",
                    g->left + pl.pw / 2, g->top + pl.ph / 2 + 20, page_text(p, L_NO_DATA));
    strbuf_addstr(sb, "</svg>");
}

void render_chart(struct strbuf *sb, const struct page *p)
{
    double v[MAX_DAYS];
    int n = values(p, "sessionCount", v);
    for (size_t i = 0; i < sizeof(geometries) / sizeof(geometries[0]); i++)
        drawing(sb, p, &geometries[i], v, n);
}

void render_sparkline(struct strbuf *sb, const struct page *p, const char *metric)
{
    double v[MAX_DAYS], max = 0;
    int n = values(p, metric, v);
    for (int i = 0; i < n; i++)
        max = v[i] > max ? v[i] : max;
    strbuf_addstr(sb, "<svg class=\"spark\" viewBox=\"0 0 100 30\" preserveAspectRatio=\"none\" "
                      "aria-hidden=\"true\"><polygon points=\"0,30");
    struct strbuf line = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        double x = n > 1 ? 100.0 * i / (n - 1) : (i ? 100 : 0);
        double y = 28 - (max > 0 ? 26 * v[i] / max : 0);
        strbuf_addf(&line, " %.2f,%.2f", x, y);
        if (n == 1)
            strbuf_addf(&line, " 100,%.2f", y);
    }
    strbuf_addf(sb,
                "%s 100,30\"/><polyline vector-effect=\"non-scaling-stroke\" points=\"%s\"/>"
                "</svg>",
                line.buf, line.buf);
    strbuf_release(&line);
}
