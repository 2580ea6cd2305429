/* Synthetic analytics data: a splitmix64 stream per (website, day, session), the day's volume
 * from the package (closed touchpoint periods) or from the recorded visits (the current one). */
#include "data/synth.h"

#include <stdio.h>
#include <string.h>

#define DAY  86400
#define HOUR 3600
/* The longest stretch the recorded visits are spread over (about 55 years): keeps the summed
 * day weights below 2^32, so that the shares are exact in 64-bit arithmetic. */
#define MAX_WINDOW_DAYS 20000

static const char *const devices[] = {"desktop", "desktop", "desktop",
                                      "mobile",  "mobile",  "tablet"};
static const char *const browsers[] = {"Chrome", "Chrome",  "Chrome", "Safari",
                                       "Safari", "Firefox", "Edge"};
static const char *const oses[] = {"Windows", "macOS", "Android", "iOS", "Linux"};
static const char *const countries[] = {"DE", "DE", "US", "US", "GB", "FR", "RO", "AT", "CH", "NL"};
static const char *const referrer_types[] = {"direct", "direct",   "search", "search",
                                             "social", "referral", "email"};
static const char *const referrers[] = {"",
                                        "",
                                        "https://www.google.com/",
                                        "https://www.bing.com/",
                                        "https://www.linkedin.com/",
                                        "https://news.example.org/",
                                        "https://mail.example.net/"};
static const char *const paths[] = {
    "/",      "/",        "/pricing",  "/blog",        "/blog/analytics-101",
    "/about", "/contact", "/products", "/products/pro"};

#define PICK(list, r) ((list)[(r) % (sizeof(list) / sizeof((list)[0]))])

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* Seconds of day `day` inside [lo, hi). */
static int64_t overlap(int64_t day, int64_t lo, int64_t hi)
{
    int64_t a = max64(day * DAY, lo), b = min64(day * DAY + DAY, hi);
    return b > a ? b - a : 0;
}

static uint64_t day_state(const struct synth_site *site, int64_t day, uint64_t salt)
{
    return site->seed ^ ((uint64_t)day * 0xd1b54a32d192ed03ULL) ^ (salt * 0x8cb92ba72f3d8dd7ULL);
}

/* The day's traffic in percent of an ordinary weekday: 85..115, three quarters of it on
 * Saturdays and Sundays. */
static int64_t day_factor(const struct synth_site *site, int64_t day)
{
    uint64_t st = day_state(site, day, 0xffff);
    int64_t jitter = 85 + (int64_t)(splitmix64(&st) % 31);
    int64_t weekday = ((day % 7) + 11) % 7; /* 0 is Sunday; 1970-01-01 was a Thursday */
    return weekday == 0 || weekday == 6 ? jitter * 3 / 4 : jitter;
}

/* ---- the current touchpoint period ---- */

/* The recorded visits lie in [window_start, period_end). */
static int64_t window_start(const struct synth_site *site)
{
    return max64(site->period_start, site->period_end - (int64_t)MAX_WINDOW_DAYS * DAY);
}

/* Day `day`'s weight in the current period: its factor times its minutes in the window. */
static int64_t day_weight(const struct synth_site *site, int64_t day)
{
    int64_t seconds = overlap(day, window_start(site), site->period_end);
    return seconds ? day_factor(site, day) * ((seconds + 59) / 60) : 0;
}

/* How many of the recorded visits lie before the point where `weight` of the period's weight
 * has passed: floor(visits * weight / total), exact in 64 bits as total < 2^32. */
static int64_t visits_up_to(const struct synth_site *site, int64_t weight)
{
    uint64_t total = (uint64_t)site->period_weight, v = (uint64_t)site->period_visits;
    uint64_t w = (uint64_t)weight;
    return total ? (int64_t)((v / total) * w + (v % total) * w / total) : 0;
}

/* The recorded visits that start on day `day`. The shares of consecutive days telescope, so
 * the days of the period add up to exactly the recorded visits. */
static int64_t period_share(const struct synth_site *site, int64_t day)
{
    int64_t first = window_start(site) / DAY, before = 0;
    int64_t own = site->period_visits > 0 ? day_weight(site, day) : 0;
    if (own == 0)
        return 0;
    for (int64_t d = first; d < day; d++)
        before += day_weight(site, d);
    return visits_up_to(site, before + own) - visits_up_to(site, before);
}

/* ---- the site ---- */

void synth_site_init(struct synth_site *site, const char *uuid, const char *domain,
                     int64_t touchpoints, int64_t recorded_visits)
{
    site->seed = fnv1a(FNV1A_OFFSET, uuid);
    /* a month's touchpoints over ~120 visits a day: a quarter of the package used, kept in a
     * range that makes a readable chart */
    int64_t tp = touchpoints < 0 ? 11000 : touchpoints;
    int64_t base = tp / 120;
    site->daily_base = base < 5 ? 5 : base > 300 ? 300 : base;
    site->created_at = INT64_MIN;
    site->period_start = site->period_end = INT64_MAX;
    site->period_visits = recorded_visits > 0 ? recorded_visits : 0;
    site->period_weight = 0;
    bool has_scheme = strncmp(domain, "http://", 7) == 0 || strncmp(domain, "https://", 8) == 0;
    size_t n = strlen(domain);
    while (n && domain[n - 1] == '/')
        n--;
    snprintf(site->origin, sizeof(site->origin), "%s%.*s", has_scheme ? "" : "https://", (int)n,
             domain);
}

void synth_site_bind(struct synth_site *site, int64_t created_at, int64_t period_start, int64_t now)
{
    int64_t end = now - now % HOUR;
    site->created_at = created_at;
    site->period_start = max64(period_start, created_at);
    if (end <= site->period_start) /* the period began within this hour */
        end = max64(now, site->period_start) + 1;
    site->period_end = end;
    site->period_weight = 0;
    for (int64_t d = window_start(site) / DAY; d <= (end - 1) / DAY; d++)
        site->period_weight += day_weight(site, d);
}

void synth_day_open(const struct synth_site *site, int64_t day, struct synth_day *out)
{
    int64_t closed = overlap(day, site->created_at, site->period_start);
    out->day = day;
    out->closed = site->daily_base * day_factor(site, day) * closed / (100 * DAY);
    out->count = out->closed + period_share(site, day);
}

int64_t synth_day_count(const struct synth_site *site, int64_t day)
{
    struct synth_day d;
    synth_day_open(site, day, &d);
    return d.count;
}

void synth_session(const struct synth_site *site, const struct synth_day *d, int64_t i,
                   struct session *out)
{
    uint64_t st = day_state(site, d->day, (uint64_t)i + 1);
    int64_t d0 = d->day * DAY, lo, hi;
    if (i < d->closed) {
        lo = max64(d0, site->created_at);
        hi = min64(d0 + DAY, site->period_start);
    } else {
        lo = max64(d0, window_start(site));
        hi = min64(d0 + DAY, site->period_end);
    }
    out->id_hi = splitmix64(&st);
    out->id_lo = splitmix64(&st);
    out->started_at = lo + (int64_t)(splitmix64(&st) % (uint64_t)(hi > lo ? hi - lo : 1));
    out->pageviews = 1 + (int)(splitmix64(&st) % 100 < 38 ? 0 : splitmix64(&st) % 7);
    out->bounced = out->pageviews == 1;
    out->duration = out->bounced ? (int64_t)(splitmix64(&st) % 30)
                                 : 20 + (int64_t)(splitmix64(&st) % 600) * out->pageviews / 2;
    out->ended_at = out->started_at + out->duration;
    out->device = PICK(devices, splitmix64(&st));
    out->browser = PICK(browsers, splitmix64(&st));
    out->os = PICK(oses, splitmix64(&st));
    out->country = PICK(countries, splitmix64(&st));
    int ref = (int)(splitmix64(&st) % (sizeof(referrer_types) / sizeof(referrer_types[0])));
    out->referrer_type = referrer_types[ref];
    out->referrer = referrers[ref];
    int n = out->pageviews < SYNTH_MAX_PAGES ? out->pageviews : SYNTH_MAX_PAGES;
    for (int p = 0; p < n; p++)
        out->pages[p] = PICK(paths, splitmix64(&st));
    /* a pool of returning visitors that grows with the traffic */
    uint64_t pool = (uint64_t)max64(site->daily_base, d->count) * 20 + 1;
    out->visitor = (int64_t)(splitmix64(&st) % pool);
}

void synth_session_id(const struct session *s, char out[UUID_SIZE])
{
    snprintf(out, UUID_SIZE, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(s->id_hi >> 32),
             (unsigned)(s->id_hi >> 16) & 0xffff, (unsigned)s->id_hi & 0xfff,
             (unsigned)((s->id_lo >> 48) & 0x3fff) | 0x8000,
             (unsigned long long)(s->id_lo & 0xffffffffffffULL));
}
