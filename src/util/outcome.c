/* What a domain function reports when it refuses. */
#include "util/outcome.h"

#include <stdarg.h>
#include <stdio.h>

int outcome_fail(struct outcome *o, enum outcome_code code, const char *field, const char *fmt, ...)
{
    va_list ap;
    o->code = code;
    snprintf(o->field, sizeof(o->field), "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(o->message, sizeof(o->message), fmt, ap);
    va_end(ap);
    return -1;
}
