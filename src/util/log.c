/* Logging to stderr: a timestamped text line, or one JSON object per line (--log-format json). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "util/util.h"

static enum log_level max_level = LOG_INFO;
static enum log_format out_format = LOG_TEXT;
static const char *const level_names[] = {"error", "warn", "info", "debug"};

void log_setup(enum log_level level, enum log_format format)
{
    max_level = level;
    out_format = format;
}

int log_level_parse(const char *s, enum log_level *out)
{
    for (int i = 0; i <= LOG_DEBUG; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

int log_format_parse(const char *s, enum log_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = LOG_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = LOG_JSON;
    else
        return -1;
    return 0;
}

static void timestamp(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* A JSON log line that starts with "time" and "level"; the caller adds fields and emits it. */
static cJSON *json_line(enum log_level level)
{
    char ts[40];
    timestamp(ts);
    cJSON *line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "time", ts);
    cJSON_AddStringToObject(line, "level", level_names[level]);
    return line;
}

/* Print `line` on one line of stderr and free it. */
static void json_emit(cJSON *line)
{
    char *text = cJSON_PrintUnformatted(line);
    if (text)
        fprintf(stderr, "%s\n", text);
    cJSON_free(text);
    cJSON_Delete(line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    if (level > max_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (out_format == LOG_JSON) {
        cJSON *line = json_line(level);
        cJSON_AddStringToObject(line, "msg", msg);
        json_emit(line);
        return;
    }
    char ts[40];
    timestamp(ts);
    fprintf(stderr, "%s %-5s %s\n", ts, level_names[level], msg);
}

void log_request(const char *method, const char *path, int status, int64_t micros,
                 const char *request_id, const char *intp_id)
{
    char safe_path[8200], safe_intp[256];
    if (LOG_INFO > max_level)
        return;
    /* a log line is read by tools too: client bytes in it are well-formed UTF-8 */
    utf8_scrub(path, safe_path, sizeof(safe_path));
    path = safe_path;
    if (intp_id) {
        utf8_scrub(intp_id, safe_intp, sizeof(safe_intp));
        intp_id = safe_intp;
    }
    if (out_format == LOG_JSON) {
        cJSON *obj = json_line(LOG_INFO);
        cJSON_AddStringToObject(obj, "method", method);
        cJSON_AddStringToObject(obj, "path", path);
        cJSON_AddNumberToObject(obj, "status", status);
        cJSON_AddNumberToObject(obj, "us", (double)micros);
        cJSON_AddStringToObject(obj, "requestId", request_id);
        if (intp_id)
            cJSON_AddStringToObject(obj, "intpId", intp_id);
        else
            cJSON_AddNullToObject(obj, "intpId");
        json_emit(obj);
        return;
    }
    char ts[40];
    timestamp(ts);
    fprintf(stderr, "%s info  %s %s %d %lldus req=%s intp=%s\n", ts, method, path, status,
            (long long)micros, request_id, intp_id ? intp_id : "-");
}
