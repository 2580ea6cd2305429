/* Calendar arithmetic for billing periods: months and years anchored on the billing day, so that
 * a period that starts on Jan 31 ends on Feb 28/29 and the next on Mar 31. Pure; UTC. */
#ifndef MOCK3AS_CALENDAR_H
#define MOCK3AS_CALENDAR_H

#include <stdint.h>

#define DAY_SECONDS 86400

/* `anchor` moved by `months` calendar months (negative allowed): same time of day, same day of
 * month, clamped to the length of the target month. */
int64_t cal_add_months(int64_t anchor, int months);

/* The first anchor + k * step_months (k any integer) strictly after `now`. step_months > 0. */
int64_t cal_next_after(int64_t anchor, int step_months, int64_t now);

/* The largest k with anchor + k * step_months at or before `now` (k may be negative). */
int64_t cal_steps_at_or_before(int64_t anchor, int step_months, int64_t now);

/* The last anchor + k * step_months at or before `now`. */
int64_t cal_last_at_or_before(int64_t anchor, int step_months, int64_t now);

/* Parse an ISO-8601 duration ("P1M", "P30D", "PT12H", "P1Y2M", "P2W", "P1DT1H30M5S") into calendar
 * months and plain seconds (weeks, days, hours, minutes, seconds). Fractions and negative
 * durations are refused; so is "P" alone. Returns 0, or -1. */
int cal_parse_duration(const char *text, int *months, int64_t *seconds);

/* `t` moved forward by a parsed duration: months first (anchored on t's day), then seconds. */
int64_t cal_add_duration(int64_t t, int months, int64_t seconds);

#endif
