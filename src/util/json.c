/* Small cJSON helpers for rendering. */
#include "util/json.h"

#include "util/util.h"

void json_add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

void json_add_time(cJSON *obj, const char *key, int64_t t)
{
    char buf[32];
    if (t < 0) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    time_format(t, buf);
    cJSON_AddStringToObject(obj, key, buf);
}
