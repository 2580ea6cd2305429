/* Server-rendered HTML: escaping (text and attribute values, JSON strings inside a <script>,
 * URL query values), numbers as a locale writes them, and the localized error page, appended to
 * a strbuf. */
#ifndef MOCK3AS_HTML_H
#define MOCK3AS_HTML_H

#include "util/strbuf.h"

/* Append `text` escaped for HTML text and attribute values (& < > " '). */
void html_escape(struct strbuf *sb, const char *text);

/* Append `text` as a JSON string safe inside a <script> (escapes <, >, & and quotes). */
void html_js_string(struct strbuf *sb, const char *text);

/* Append `text` percent-encoded as a URL query value (RFC 3986 unreserved characters kept). */
void html_url_encode(struct strbuf *sb, const char *text);

/* ---- locales ---- */

#define FOR_EACH_LOCALE(X)                                                                         \
    X(LOCALE_EN, "en") X(LOCALE_DE, "de") X(LOCALE_FR, "fr") X(LOCALE_ES, "es") X(LOCALE_IT, "it")

#define LOCALE_ENUM(id, tag) id,
enum html_locale { FOR_EACH_LOCALE(LOCALE_ENUM) LOCALE__COUNT };
#undef LOCALE_ENUM

/* The locale of a language tag ("de", "de-AT", "fr_CA", "IT"): by its language subtag; en for
 * any other language and for NULL. */
enum html_locale html_locale_parse(const char *tag);

/* The ISO 639-1 code of `loc` ("de"). */
const char *html_locale_tag(enum html_locale loc);

/* Append `value` rounded half away from zero to `decimals` (0..3) fraction digits, written as
 * the locale writes numbers (CLDR, the same as JavaScript's Intl.NumberFormat): en 1,400.5;
 * de 1.400,5; fr 1 400,5 (U+202F between groups, U+00A0 before %); es and it 1400,5 but 14.000,5
 * (groups from five digits on). */
void html_number(struct strbuf *sb, enum html_locale loc, double value, int decimals);

/* Append `value` percent (42.5 -> en "42.5%", de "42,5 %"), as Intl.NumberFormat's "percent"
 * style writes it. */
void html_percent(struct strbuf *sb, enum html_locale loc, double value, int decimals);

/* Append a whole error page in `loc`: the status and its name, `why` (in the page's language;
 * NULL: the status's own explanation), a hint of what to do, and `detail` (technical, may be
 * NULL) in small print. Its <style> carries `nonce` (the answer's Content-Security-Policy must
 * allow it). */
void html_error_page(struct strbuf *sb, enum html_locale loc, int status, const char *why,
                     const char *detail, const char *nonce);

#endif
