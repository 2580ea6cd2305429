/* A growable byte buffer, always NUL-terminated, after git's strbuf: the one way the project
 * builds text and bodies of unknown length. */
#ifndef MOCK3AS_STRBUF_H
#define MOCK3AS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/* `buf` holds `len` bytes followed by a NUL and may hold NULs itself; `alloc` is the size of the
 * storage, 0 while `buf` still points at the shared empty string of STRBUF_INIT. Read `buf` and
 * `len` freely; change them only through the functions below. */
struct strbuf {
    char *buf;
    size_t len, alloc;
};

/* The empty string every unallocated strbuf points at; never written to. */
extern char strbuf_slopbuf[];

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        .buf = strbuf_slopbuf, .len = 0, .alloc = 0                                                \
    }

/* Make `sb` an empty buffer, with room for `hint` bytes reserved when `hint` is not 0. */
void strbuf_init(struct strbuf *sb, size_t hint);

/* Free the storage of `sb` and make it empty again (STRBUF_INIT), ready for reuse. */
void strbuf_release(struct strbuf *sb);

/* Hand the storage over: the caller now owns it and free()s it. The result is never NULL and
 * always NUL-terminated ("" when nothing was added); its length goes to *len unless len is
 * NULL. `sb` is empty again (STRBUF_INIT). */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Empty `sb` (len 0), keeping its storage for reuse. */
void strbuf_reset(struct strbuf *sb);

/* Make room for `extra` more bytes after `len` (and the NUL) without another allocation.
 * Aborts when the size overflows or memory is exhausted, like xmalloc(). */
void strbuf_grow(struct strbuf *sb, size_t extra);

/* Append `len` bytes of `data`, which may hold NULs. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);

/* Append the NUL-terminated string `s`. */
void strbuf_addstr(struct strbuf *sb, const char *s);

/* Append the byte `c`. */
void strbuf_addch(struct strbuf *sb, int c);

/* Append printf-style formatted text. When vsnprintf() fails (an encoding error) nothing is
 * appended. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* strbuf_addf() with a va_list, which it consumes. */
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
