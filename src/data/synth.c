/* Synthetic analytics data: a splitmix64 stream per (website, day, session). */
#include "data/synth.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

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

void synth_site_init(struct synth_site *site, const char *uuid, const char *domain,
                     int64_t touchpoints, int64_t recorded_visits)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a of the uuid */
    for (const char *p = uuid; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    site->seed = h;
    /* a month's touchpoints spread over ~120 visits a day at most a quarter used, kept in a range
     * that makes a readable chart; recorded visits of the period add their daily share */
    int64_t tp = touchpoints < 0 ? 11000 : touchpoints;
    int64_t base = tp / 120;
    base = base < 5 ? 5 : base > 300 ? 300 : base;
    site->daily_base = base + recorded_visits / 30;
    bool has_scheme = strncmp(domain, "http://", 7) == 0 || strncmp(domain, "https://", 8) == 0;
    size_t n = strlen(domain);
    while (n && domain[n - 1] == '/')
        n--;
    snprintf(site->origin, sizeof(site->origin), "%s%.*s", has_scheme ? "" : "https://", (int)n,
             domain);
}

static uint64_t day_state(const struct synth_site *site, int64_t day, uint64_t salt)
{
    return site->seed ^ ((uint64_t)day * 0xd1b54a32d192ed03ULL) ^ (salt * 0x8cb92ba72f3d8dd7ULL);
}

int synth_day_count(const struct synth_site *site, int64_t day)
{
    uint64_t st = day_state(site, day, 0xffff);
    uint64_t r = splitmix64(&st) % 1000; /* 0.70 .. 1.30 of the base */
    return (int)(site->daily_base * (700 + (int64_t)r * 600 / 1000) / 1000);
}

void synth_session(const struct synth_site *site, int64_t day, int i, struct session *out)
{
    uint64_t st = day_state(site, day, (uint64_t)i + 1);
    out->id_hi = splitmix64(&st);
    out->id_lo = splitmix64(&st);
    out->started_at = day * DAY + (int64_t)(splitmix64(&st) % (DAY - 3600));
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
    /* a pool of returning visitors: about 1.4 sessions per visitor */
    out->visitor = (int)(splitmix64(&st) % (uint64_t)(site->daily_base * 20 + 1));
}

void synth_session_id(const struct session *s, char out[UUID_SIZE])
{
    snprintf(out, UUID_SIZE, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(s->id_hi >> 32),
             (unsigned)(s->id_hi >> 16) & 0xffff, (unsigned)s->id_hi & 0xfff,
             (unsigned)((s->id_lo >> 48) & 0x3fff) | 0x8000,
             (unsigned long long)(s->id_lo & 0xffffffffffffULL));
}
