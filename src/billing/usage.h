/* Consumption: what recorded usage costs in touchpoints, at the rates of FOR_EACH_USAGE
 * (store/usage_db.h). Pure. */
#ifndef MOCK3AS_USAGE_H
#define MOCK3AS_USAGE_H

#include <stdint.h>

#include "store/usage_db.h"

/* The touchpoints `usage` consumed, in tenths. */
int64_t usage_consumed_tenths(const int64_t usage[USAGE__COUNT]);

/* The rate of `kind` in tenths of a touchpoint per event, and its name inside
 * stpRate…/stpConsumed… ("Visit"). */
int64_t usage_rate_tenths(enum usage_kind kind);
const char *usage_name(enum usage_kind kind);

#endif
