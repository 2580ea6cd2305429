/* The dashboard's words, dates and durations by locale (i18n.h). */
#include "dashboard/i18n.h"

#include <math.h>
#include <string.h>

#define LABEL_ROW(id, en, de, fr, es, it) [id] = {en, de, fr, es, it},
static const char *const labels[L__COUNT][LOCALE__COUNT] = {FOR_EACH_LABEL(LABEL_ROW)};
#undef LABEL_ROW

const char *i18n(enum html_locale loc, enum label id)
{
    return labels[id][loc];
}

static const struct {
    const char *dimension, *value;
    enum label name;
} value_names[] = {
    {"deviceType", "desktop", L_DEV_DESKTOP},
    {"deviceType", "mobile", L_DEV_MOBILE},
    {"deviceType", "tablet", L_DEV_TABLET},
    {"referrerType", "direct", L_SRC_DIRECT},
    {"referrerType", "search", L_SRC_SEARCH},
    {"referrerType", "social", L_SRC_SOCIAL},
    {"referrerType", "referral", L_SRC_REFERRAL},
    {"referrerType", "email", L_SRC_EMAIL},
    {"countryCode", "DE", L_C_DE},
    {"countryCode", "US", L_C_US},
    {"countryCode", "GB", L_C_GB},
    {"countryCode", "FR", L_C_FR},
    {"countryCode", "RO", L_C_RO},
    {"countryCode", "AT", L_C_AT},
    {"countryCode", "CH", L_C_CH},
    {"countryCode", "NL", L_C_NL},
};

const char *i18n_value(enum html_locale loc, const char *dimension, const char *value)
{
    for (size_t i = 0; i < sizeof(value_names) / sizeof(value_names[0]); i++)
        if (strcmp(value_names[i].dimension, dimension) == 0 &&
            strcmp(value_names[i].value, value) == 0)
            return i18n(loc, value_names[i].name);
    return value;
}

/* Month abbreviations of CLDR's "short" format, as Intl.DateTimeFormat writes them. */
static const char *const months[LOCALE__COUNT][12] = {
    [LOCALE_EN] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                   "Dec"},
    [LOCALE_DE] = {"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
                   "Nov.", "Dez."},
    [LOCALE_FR] = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                   "oct.", "nov.", "déc."},
    [LOCALE_ES] = {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov",
                   "dic"},
    [LOCALE_IT] = {"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov",
                   "dic"},
};

void i18n_date(struct strbuf *sb, enum html_locale loc, const struct tm *tm, bool year)
{
    const char *month = months[loc][tm->tm_mon];
    switch (loc) {
    case LOCALE_EN:
        strbuf_addf(sb, "%s %d", month, tm->tm_mday);
        if (year)
            strbuf_addf(sb, ", %d", tm->tm_year + 1900);
        return;
    case LOCALE_DE:
        strbuf_addf(sb, "%d. %s", tm->tm_mday, month);
        break;
    case LOCALE_FR:
    case LOCALE_ES:
    case LOCALE_IT:
    case LOCALE__COUNT:
        strbuf_addf(sb, "%d %s", tm->tm_mday, month);
        break;
    }
    if (year)
        strbuf_addf(sb, " %d", tm->tm_year + 1900);
}

void i18n_datetime(struct strbuf *sb, enum html_locale loc, const struct tm *tm)
{
    i18n_date(sb, loc, tm, true);
    if (loc == LOCALE_EN) {
        int h = tm->tm_hour % 12;
        strbuf_addf(sb, ", %d:%02d\xe2\x80\xaf%s", h ? h : 12, tm->tm_min,
                    tm->tm_hour < 12 ? "AM" : "PM");
    } else
        strbuf_addf(sb, ", %02d:%02d", tm->tm_hour, tm->tm_min);
}

void i18n_duration(struct strbuf *sb, enum html_locale loc, double seconds)
{
    long long s = seconds > 0 ? (long long)llround(seconds) : 0;
    const char *m = i18n(loc, L_UNIT_MIN), *sec = i18n(loc, L_UNIT_SEC);
    if (s >= 60)
        strbuf_addf(sb, "%lld%s %lld%s", s / 60, m, s % 60, sec);
    else
        strbuf_addf(sb, "%lld%s", s, sec);
}
