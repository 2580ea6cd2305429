/* Logging to stderr, as plain text or one JSON object per line. */
#ifndef MOCK3AS_LOG_H
#define MOCK3AS_LOG_H

#include <stdint.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
enum log_format { LOG_TEXT, LOG_JSON };

/* Process-wide sink settings: set once at start-up, before any thread starts. */
void log_setup(enum log_level level, enum log_format format);

/* Parse "error|warn|info|debug" and "text|json". Return 0, or -1 when unknown. */
int log_level_parse(const char *s, enum log_level *out);
int log_format_parse(const char *s, enum log_format *out);

/* One message line at `level` (dropped when above the configured level). */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The access line of one request: method, path, status, duration in µs, request id, partner id
 * (NULL when the request is not scoped to a partner). */
void log_request(const char *method, const char *path, int status, int64_t micros,
                 const char *request_id, const char *intp_id);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
