/* Server-rendered HTML, appended to a strbuf: escaping, numbers by locale, the error page. */
#include "util/html.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

void html_url_encode(struct strbuf *sb, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            strbuf_addch(sb, *p);
        else
            strbuf_addf(sb, "%%%02X", *p);
    }
}

/* ---- locales ---- */

#define NBSP                "\xc2\xa0"     /* U+00A0 NO-BREAK SPACE */
#define NNBSP               "\xe2\x80\xaf" /* U+202F NARROW NO-BREAK SPACE */
#define LOCALE_TAG(id, tag) tag,
static const char *const locale_tags[] = {FOR_EACH_LOCALE(LOCALE_TAG)};
#undef LOCALE_TAG

/* How a locale writes numbers (CLDR): the group and decimal separators, the percent suffix, and
 * from how many integer digits on groups are separated. */
static const struct {
    const char *group, *decimal, *percent;
    int group_from;
} formats[LOCALE__COUNT] = {
    [LOCALE_EN] = {",", ".", "%", 4},        [LOCALE_DE] = {".", ",", NBSP "%", 4},
    [LOCALE_FR] = {NNBSP, ",", NBSP "%", 4}, [LOCALE_ES] = {".", ",", NBSP "%", 5},
    [LOCALE_IT] = {".", ",", "%", 5},
};

enum html_locale html_locale_parse(const char *tag)
{
    if (!tag || !tag[0] || !tag[1] || (tag[2] && tag[2] != '-' && tag[2] != '_'))
        return LOCALE_EN;
    for (int i = 0; i < LOCALE__COUNT; i++) {
        const char *t = locale_tags[i];
        if ((tag[0] | 0x20) == t[0] && (tag[1] | 0x20) == t[1])
            return (enum html_locale)i;
    }
    return LOCALE_EN;
}

const char *html_locale_tag(enum html_locale loc)
{
    return locale_tags[loc];
}

/* `v` (finite, >= 0, below 1e15) times 10^decimals, rounded half away from zero as a decimal
 * number: the shortest decimal that reads back as v is rounded (so 1.005 gives 1.01 at two
 * digits, as Intl.NumberFormat does), not the binary value. */
static uint64_t scaled(double v, int decimals)
{
    char e[40], digits[24];
    int n = 0;
    for (int p = 1; p <= 17; p++) {
        snprintf(e, sizeof(e), "%.*e", p - 1, v);
        if (strtod(e, NULL) == v)
            break;
    }
    const char *c = e;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            digits[n++] = *c;
    int keep = atoi(c + 1) + 1 + decimals; /* digits before the rounding point */
    if (keep <= 0)
        return keep == 0 && digits[0] >= '5';
    uint64_t out = 0;
    for (int i = 0; i < keep; i++)
        out = out * 10 + (uint64_t)(i < n ? digits[i] - '0' : 0);
    return out + (keep < n && digits[keep] >= '5');
}

void html_number(struct strbuf *sb, enum html_locale loc, double value, int decimals)
{
    char whole[32];
    uint64_t pow10 = 1;
    decimals = decimals < 0 ? 0 : decimals > 3 ? 3 : decimals;
    for (int i = 0; i < decimals; i++)
        pow10 *= 10;
    if (!isfinite(value) || fabs(value) >= 1e15) {
        strbuf_addf(sb, "%.*f", decimals, value);
        return;
    }
    uint64_t n = scaled(fabs(value), decimals);
    if (value < 0 && n)
        strbuf_addch(sb, '-');
    snprintf(whole, sizeof(whole), "%llu", (unsigned long long)(n / pow10));
    int len = (int)strlen(whole);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0 && len >= formats[loc].group_from)
            strbuf_addstr(sb, formats[loc].group);
        strbuf_addch(sb, whole[i]);
    }
    if (decimals)
        strbuf_addf(sb, "%s%0*llu", formats[loc].decimal, decimals,
                    (unsigned long long)(n % pow10));
}

void html_percent(struct strbuf *sb, enum html_locale loc, double value, int decimals)
{
    html_number(sb, loc, value, decimals);
    strbuf_addstr(sb, formats[loc].percent);
}

/* ---- the error page ---- */

struct page_text {
    int status;
    const char *title[LOCALE__COUNT];
    const char *why[LOCALE__COUNT]; /* when the caller gives none */
    const char *hint[LOCALE__COUNT];
};

static const struct page_text page_texts[] = {
    {400,
     {"Bad request", "Ungültige Anfrage", "Requête invalide", "Solicitud no válida",
      "Richiesta non valida"},
     {"The dashboard link is not valid.", "Der Dashboard-Link ist ungültig.",
      "Le lien du tableau de bord n’est pas valide.", "El enlace del panel no es válido.",
      "Il link della dashboard non è valido."},
     {"Check the dashboard link's parameters and try again.",
      "Prüfen Sie die Parameter des Dashboard-Links und versuchen Sie es erneut.",
      "Vérifiez les paramètres du lien du tableau de bord, puis réessayez.",
      "Compruebe los parámetros del enlace del panel e inténtelo de nuevo.",
      "Controlla i parametri del link della dashboard e riprova."}},
    {401,
     {"Unauthorized", "Nicht autorisiert", "Non autorisé", "No autorizado", "Non autorizzato"},
     {"This dashboard link's token is missing, invalid or expired.",
      "Das Token dieses Dashboard-Links fehlt, ist ungültig oder abgelaufen.",
      "Le jeton de ce lien de tableau de bord est absent, invalide ou expiré.",
      "El token de este enlace del panel falta, no es válido o ha caducado.",
      "Il token di questo link della dashboard manca, non è valido o è scaduto."},
     {"Open the dashboard again from the partner application to get a fresh link.",
      "Öffnen Sie das Dashboard erneut aus der Partneranwendung, um einen neuen Link zu erhalten.",
      "Rouvrez le tableau de bord depuis l’application partenaire pour obtenir un nouveau lien.",
      "Vuelva a abrir el panel desde la aplicación del socio para obtener un enlace nuevo.",
      "Riapri la dashboard dall’applicazione partner per ottenere un nuovo link."}},
    {403,
     {"Forbidden", "Kein Zugriff", "Accès refusé", "Acceso denegado", "Accesso negato"},
     {"You may not see this website.", "Sie dürfen diese Website nicht sehen.",
      "Vous n’avez pas accès à ce site.", "No tiene acceso a este sitio.",
      "Non hai accesso a questo sito."},
     {"Ask the website's owner to add you as a contributor.",
      "Bitten Sie den Inhaber der Website, Sie als Mitwirkenden hinzuzufügen.",
      "Demandez au propriétaire du site de vous ajouter comme contributeur.",
      "Pida al propietario del sitio que le añada como colaborador.",
      "Chiedi al proprietario del sito di aggiungerti come collaboratore."}},
    {404,
     {"Not found", "Nicht gefunden", "Introuvable", "No encontrado", "Non trovato"},
     {"No such website.", "Diese Website gibt es nicht.", "Ce site n’existe pas.",
      "Ese sitio no existe.", "Questo sito non esiste."},
     {"The website may have been deleted.", "Die Website wurde möglicherweise gelöscht.",
      "Le site a peut-être été supprimé.", "Es posible que el sitio se haya eliminado.",
      "Il sito potrebbe essere stato eliminato."}},
    {0,
     {"Error", "Fehler", "Erreur", "Error", "Errore"},
     {"Something went wrong.", "Etwas ist schiefgelaufen.", "Une erreur s’est produite.",
      "Algo ha salido mal.", "Qualcosa è andato storto."},
     {"Please try again later.", "Bitte versuchen Sie es später erneut.",
      "Veuillez réessayer plus tard.", "Inténtelo de nuevo más tarde.", "Riprova più tardi."}},
};

static const char *const details_label[LOCALE__COUNT] = {"Details", "Details", "Détails",
                                                         "Detalles", "Dettagli"};

static const char error_css[] =
    "*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;"
    "justify-content:center;padding:16px;font:15px/1.5 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif;color:#1d2433;background:#f3f5fa}"
    "main{max-width:480px;width:100%;background:#fff;border-radius:12px;padding:28px;"
    "box-shadow:0 1px 3px rgba(16,24,40,.08),0 8px 24px rgba(16,24,40,.06);"
    "border-top:4px solid #e5484d}"
    "h1{margin:0 0 8px;font-size:22px}h1 span{color:#e5484d;margin-right:2px}"
    "p{margin:8px 0}.hint{color:#5b6478}"
    "small{display:block;margin-top:16px;color:#8a92a6;overflow-wrap:anywhere}";

void html_error_page(struct strbuf *sb, enum html_locale loc, int status, const char *why,
                     const char *detail, const char *nonce)
{
    const struct page_text *t = page_texts;
    while (t->status && t->status != status)
        t++;
    strbuf_addf(sb,
                "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                "<title>%d %s</title><style nonce=\"%s\">%s</style></head><body>"
                "<main data-error=\"%d\"><h1><span>%d</span> %s</h1><p>",
                html_locale_tag(loc), status, t->title[loc], nonce, error_css, status, status,
                t->title[loc]);
    html_escape(sb, why ? why : t->why[loc]);
    strbuf_addf(sb, "</p><p class=\"hint\">%s</p>", t->hint[loc]);
    if (detail && *detail) {
        strbuf_addf(sb, "<small>%s: ", details_label[loc]);
        html_escape(sb, detail);
        strbuf_addstr(sb, "</small>");
    }
    strbuf_addstr(sb, "</main></body></html>\n");
}
