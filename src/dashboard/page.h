/* The dashboard page's inputs, shared by the handler (dashboard.c) and the renderers (render.c,
 * chart.c, style.c). */
#ifndef MOCK3AS_PAGE_H
#define MOCK3AS_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "dashboard/i18n.h"
#include "dashboard/report.h"
#include "data/synth.h"
#include "http/request.h"
#include "store/websites_db.h"
#include "util/html.h"
#include "util/strbuf.h"

struct page {
    struct request *req;
    enum html_locale loc;
    char role[16]; /* owner, editor, watcher, dashboard */
    struct website_view v;
    struct synth_site site; /* as the data API opens it (data/site.c) */
    struct report report;
    char tz[64];        /* IANA zone shown, "UTC" when none or unknown */
    int64_t now;        /* the partner's clock */
    int64_t start, end; /* the range: midnights (UTC) of its first and its last day */
    bool can_upgrade;   /* allowUpgrade=true and a role that may */
    const char *origin; /* postMessage target origin */
    char nonce[23];
};

/* Label `id` in the page's locale. */
const char *page_text(const struct page *p, enum label id);

/* `t` broken down in the page's zone / in UTC. */
void page_local_tm(const struct page *p, int64_t t, struct tm *out);
void page_utc_tm(int64_t t, struct tm *out);

/* Append a link (an href value, escaped) to this page in locale `loc` over the days from `start`
 * to `end` (midnights), keeping every other parameter of the request. */
void page_href(struct strbuf *sb, const struct page *p, enum html_locale loc, int64_t start,
               int64_t end);

/* The page's style sheet and the brand's mark (style.c). */
void render_style(struct strbuf *sb);
void render_logo(struct strbuf *sb);

/* The page's HTML (render.c). */
void render_page(struct strbuf *sb, const struct page *p);

/* The visits chart of the range, as two SVGs (wide and narrow screens) (chart.c). */
void render_chart(struct strbuf *sb, const struct page *p);

/* A small line of metric `metric` per day of the range (chart.c). */
void render_sparkline(struct strbuf *sb, const struct page *p, const char *metric);

#endif
