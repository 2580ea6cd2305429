/* A growing text buffer for server-rendered HTML. */
#include "dashboard/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void reserve(struct sb *sb, size_t more)
{
    if (sb->len + more + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 4096;
    while (cap < sb->len + more + 1)
        cap *= 2;
    char *grown = realloc(sb->buf, cap);
    if (!grown)
        abort();
    sb->buf = grown;
    sb->cap = cap;
}

void sb_printf(struct sb *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    reserve(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

static void append_escaped(struct sb *sb, const char *text, const char *const table[256])
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        const char *rep = table[*p];
        size_t n = rep ? strlen(rep) : 1;
        reserve(sb, n);
        if (rep)
            memcpy(sb->buf + sb->len, rep, n);
        else
            sb->buf[sb->len] = (char)*p;
        sb->len += n;
        sb->buf[sb->len] = '\0';
    }
}

void sb_escape(struct sb *sb, const char *text)
{
    static const char *const table[256] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    append_escaped(sb, text, table);
}

void sb_js_string(struct sb *sb, const char *text)
{
    sb_printf(sb, "\"");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || strchr("\"\\<>&'", *p))
            sb_printf(sb, "\\u%04x", *p);
        else
            sb_printf(sb, "%c", *p);
    }
    sb_printf(sb, "\"");
}

char *sb_detach(struct sb *sb, size_t *len)
{
    reserve(sb, 0);
    char *out = sb->buf;
    *len = sb->len;
    memset(sb, 0, sizeof(*sb));
    return out;
}
