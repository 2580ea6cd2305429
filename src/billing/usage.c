/* Consumption: the touchpoints recorded usage costs. */
#include "billing/usage.h"

#define USAGE_NAME(id, name, rate) name,
#define USAGE_RATE(id, name, rate) rate,
static const char *const usage_names[] = {FOR_EACH_USAGE(USAGE_NAME)};
static const int64_t usage_rates[] = {FOR_EACH_USAGE(USAGE_RATE)};
#undef USAGE_NAME
#undef USAGE_RATE

int64_t usage_consumed_tenths(const int64_t usage[USAGE__COUNT])
{
    int64_t total = 0;
    for (int i = 0; i < USAGE__COUNT; i++)
        total += usage[i] * usage_rates[i];
    return total;
}

int64_t usage_rate_tenths(enum usage_kind kind)
{
    return usage_rates[kind];
}

const char *usage_name(enum usage_kind kind)
{
    return usage_names[kind];
}
