/* Calendar arithmetic for billing periods (proleptic Gregorian, UTC). */
#include "billing/calendar.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "util/util.h"

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m) /* m: 1..12 */
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t cal_add_months(int64_t anchor, int months)
{
    int64_t days = floor_div(anchor, DAY_SECONDS), secs = anchor - days * DAY_SECONDS, y;
    int m, d;
    time_civil_from_days(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = floor_div(total, 12);
    int nm = (int)(total - ny * 12) + 1;
    int nd = d < days_in_month(ny, nm) ? d : days_in_month(ny, nm);
    return time_days_from_civil(ny, nm, nd) * DAY_SECONDS + secs;
}

/* The largest k with anchor + k * step_months at or before `now`: the calendar months between
 * the two dates give k to within one step, which one comparison settles. */
int64_t cal_steps_at_or_before(int64_t anchor, int step_months, int64_t now)
{
    int64_t ay, ny;
    int am, ad, nm, nd;
    time_civil_from_days(floor_div(anchor, DAY_SECONDS), &ay, &am, &ad);
    time_civil_from_days(floor_div(now, DAY_SECONDS), &ny, &nm, &nd);
    int64_t months = (ny * 12 + nm) - (ay * 12 + am);
    int64_t k = floor_div(months, step_months);
    while (cal_add_months(anchor, (int)(k * step_months)) > now)
        k--;
    while (cal_add_months(anchor, (int)((k + 1) * step_months)) <= now)
        k++;
    return k;
}

int64_t cal_last_at_or_before(int64_t anchor, int step_months, int64_t now)
{
    return cal_add_months(anchor,
                          (int)(cal_steps_at_or_before(anchor, step_months, now) * step_months));
}

int64_t cal_next_after(int64_t anchor, int step_months, int64_t now)
{
    int64_t k = cal_steps_at_or_before(anchor, step_months, now) + 1;
    return cal_add_months(anchor, (int)(k * step_months));
}

/* One "<digits><unit>" element of a duration; *p advances past it. */
static int duration_element(const char **p, int64_t *value, char *unit)
{
    int64_t v = 0;
    if (!isdigit((unsigned char)**p))
        return -1;
    while (isdigit((unsigned char)**p)) {
        if (v > 100000000)
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    if (!**p)
        return -1;
    *unit = *(*p)++;
    *value = v;
    return 0;
}

int cal_parse_duration(const char *text, int *months, int64_t *seconds)
{
    static const char date_units[] = "YMWD", time_units[] = "HMS";
    const char *p = text, *order = date_units;
    bool in_time = false, any = false;
    int64_t m = 0, s = 0, v;
    char unit;
    if (*p++ != 'P' || !*p)
        return -1;
    while (*p) {
        if (*p == 'T' && !in_time) {
            in_time = true;
            order = time_units;
            if (!*++p)
                return -1;
            continue;
        }
        if (duration_element(&p, &v, &unit))
            return -1;
        const char *at = strchr(order, unit);
        if (!at)
            return -1;
        order = at + 1; /* units must come in order, each at most once */
        any = true;
        if (!in_time)
            switch (unit) {
            case 'Y':
                m += v * 12;
                break;
            case 'M':
                m += v;
                break;
            case 'W':
                s += v * 7 * DAY_SECONDS;
                break;
            default:
                s += v * DAY_SECONDS;
                break;
            }
        else
            s += unit == 'H' ? v * 3600 : unit == 'M' ? v * 60 : v;
    }
    if (!any || m > 12 * 1000)
        return -1;
    *months = (int)m;
    *seconds = s;
    return 0;
}

int64_t cal_add_duration(int64_t t, int months, int64_t seconds)
{
    return cal_add_months(t, months) + seconds;
}
