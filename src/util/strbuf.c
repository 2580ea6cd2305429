/* A growable byte buffer, always NUL-terminated, after git's strbuf. */
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

char strbuf_slopbuf[1];

/* Bytes that fit before the NUL without growing. */
static size_t avail(const struct strbuf *sb)
{
    return sb->alloc ? sb->alloc - sb->len - 1 : 0;
}

void strbuf_init(struct strbuf *sb, size_t hint)
{
    sb->buf = strbuf_slopbuf;
    sb->len = 0;
    sb->alloc = 0;
    if (hint)
        strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    if (!sb->alloc)
        strbuf_grow(sb, 0);
    char *out = sb->buf;
    if (len)
        *len = sb->len;
    strbuf_init(sb, 0);
    return out;
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->alloc) /* strbuf_slopbuf is "" already and shared: never written */
        sb->buf[0] = '\0';
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
    bool fresh = !sb->alloc;
    if (extra >= SIZE_MAX - sb->len) {
        fprintf(stderr, "mock3as: strbuf of %zu bytes cannot grow by %zu\n", sb->len, extra);
        abort();
    }
    if (fresh)
        sb->buf = NULL; /* realloc from nothing, never from strbuf_slopbuf */
    ALLOC_GROW(sb->buf, sb->len + extra + 1, sb->alloc);
    if (fresh)
        sb->buf[0] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
    strbuf_grow(sb, len);
    if (len) /* data may be NULL when len is 0 */
        memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
    strbuf_grow(sb, 1);
    sb->buf[sb->len++] = (char)c;
    sb->buf[sb->len] = '\0';
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    if (!avail(sb))
        strbuf_grow(sb, 64);
    va_copy(cp, ap);
    int n = vsnprintf(sb->buf + sb->len, avail(sb) + 1, fmt, cp);
    va_end(cp);
    if (n >= 0 && (size_t)n > avail(sb)) { /* cut short: grow to fit and print again */
        strbuf_grow(sb, (size_t)n);
        n = vsnprintf(sb->buf + sb->len, avail(sb) + 1, fmt, ap);
    }
    if (n < 0) { /* nothing appended; drop whatever vsnprintf() left behind */
        sb->buf[sb->len] = '\0';
        return;
    }
    sb->len += (size_t)n;
}
