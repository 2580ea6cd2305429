/* Escaping for server-rendered HTML: text and attribute values, and JSON strings inside a
 * <script>, appended to a strbuf. */
#ifndef MOCK3AS_HTML_H
#define MOCK3AS_HTML_H

#include "util/strbuf.h"

/* Append `text` escaped for HTML text and attribute values (& < > " '). */
void html_escape(struct strbuf *sb, const char *text);

/* Append `text` as a JSON string safe inside a <script> (escapes <, >, & and quotes). */
void html_js_string(struct strbuf *sb, const char *text);

#endif
