/* A growing text buffer for server-rendered HTML, with escaping. */
#ifndef MOCK3AS_HTML_H
#define MOCK3AS_HTML_H

#include <stddef.h>

struct sb {
    char *buf;
    size_t len, cap;
};

/* Append formatted text (not escaped: markup). */
void sb_printf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append `text` escaped for HTML text and attribute values (& < > " '). */
void sb_escape(struct sb *sb, const char *text);

/* Append `text` as a JSON string safe inside a <script> (escapes <, >, & and quotes). */
void sb_js_string(struct sb *sb, const char *text);

/* The buffer, handed over (the caller frees); the builder is empty again. */
char *sb_detach(struct sb *sb, size_t *len);

#endif
