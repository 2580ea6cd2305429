/* Escaping for server-rendered HTML, appended to a strbuf. */
#include "util/html.h"

#include <string.h>

void html_escape(struct strbuf *sb, const char *text)
{
    static const char *const table[256] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (table[*p])
            strbuf_addstr(sb, table[*p]);
        else
            strbuf_addch(sb, *p);
    }
}

void html_js_string(struct strbuf *sb, const char *text)
{
    strbuf_addch(sb, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || strchr("\"\\<>&'", *p))
            strbuf_addf(sb, "\\u%04x", *p);
        else
            strbuf_addch(sb, *p);
    }
    strbuf_addch(sb, '"');
}
