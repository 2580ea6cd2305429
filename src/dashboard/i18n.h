/* The dashboard's words in every locale it speaks (en, de, fr, es, it: util/html.h), and dates,
 * times and durations as each locale writes them. One row per string, so a language can never
 * miss one. */
#ifndef MOCK3AS_I18N_H
#define MOCK3AS_I18N_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/html.h"
#include "util/strbuf.h"

/* id, en, de, fr, es, it */
#define FOR_EACH_LABEL(X)                                                                              \
    X(L_TITLE, "Website analytics", "Website-Analyse", "Analyse du site web", "Analítica web",         \
      "Analisi del sito web")                                                                          \
    X(L_NAV_OVERVIEW, "Overview", "Übersicht", "Vue d’ensemble", "Resumen", "Panoramica")              \
    X(L_NAV_PAGES, "Pages", "Seiten", "Pages", "Páginas", "Pagine")                                    \
    X(L_NAV_AUDIENCE, "Audience", "Zielgruppe", "Audience", "Audiencia", "Pubblico")                   \
    X(L_NAV_PLAN, "Plan & usage", "Paket & Verbrauch", "Forfait et consommation",                      \
      "Plan y consumo", "Piano e consumo")                                                             \
    X(L_RANGE, "Period", "Zeitraum", "Période", "Periodo", "Periodo")                                  \
    X(L_COMPARED, "compared with", "verglichen mit", "comparé à", "comparado con", "rispetto a")       \
    X(L_DAYS, "days", "Tage", "jours", "días", "giorni")                                               \
    X(L_SESSIONS, "Sessions", "Sitzungen", "Sessions", "Sesiones", "Sessioni")                         \
    X(L_VISITORS, "Visitors", "Besucher", "Visiteurs", "Visitantes", "Visitatori")                     \
    X(L_PAGEVIEWS, "Page views", "Seitenaufrufe", "Pages vues", "Páginas vistas",                      \
      "Visualizzazioni di pagina")                                                                     \
    X(L_BOUNCE, "Bounce rate", "Absprungrate", "Taux de rebond", "Tasa de rebote",                     \
      "Frequenza di rimbalzo")                                                                         \
    X(L_DURATION, "Avg. visit duration", "Ø Besuchsdauer", "Durée moy. des visites",                   \
      "Duración media", "Durata media")                                                                \
    X(L_VS_PREV, "vs. previous period", "ggü. Vorzeitraum", "vs période précédente",                   \
      "vs. periodo anterior", "vs periodo precedente")                                                 \
    X(L_NO_PREV, "no earlier data", "keine Vorwerte", "pas de données antérieures",                    \
      "sin datos anteriores", "nessun dato precedente")                                                \
    X(L_VISITS_PER_DAY, "Visits per day", "Besuche pro Tag", "Visites par jour",                       \
      "Visitas por día", "Visite al giorno")                                                           \
    X(L_VISITS, "Visits", "Besuche", "Visites", "Visitas", "Visite")                                   \
    X(L_DATE, "Date", "Datum", "Date", "Fecha", "Data")                                                \
    X(L_TOTAL, "Total", "Gesamt", "Total", "Total", "Totale")                                          \
    X(L_CREATED, "Website created", "Website erstellt", "Site créé", "Sitio creado",                   \
      "Sito creato")                                                                                   \
    X(L_PERIOD_START, "Touchpoint period", "Touchpoint-Zeitraum", "Période de touchpoints",            \
      "Periodo de touchpoints", "Periodo di touchpoint")                                               \
    X(L_NO_DATA, "No visits in this period.", "Keine Besuche in diesem Zeitraum.",                     \
      "Aucune visite sur cette période.", "No hay visitas en este periodo.",                           \
      "Nessuna visita in questo periodo.")                                                             \
    X(L_BEFORE_CREATED, "No data before the website was created",                                      \
      "Keine Daten vor dem Anlegen der Website", "Aucune donnée avant la création du site",            \
      "Sin datos antes de la creación del sitio", "Nessun dato prima della creazione del sito")        \
    X(L_TOP_PAGES, "Top pages", "Top-Seiten", "Pages les plus vues", "Páginas principales",            \
      "Pagine principali")                                                                             \
    X(L_PAGE, "Page", "Seite", "Page", "Página", "Pagina")                                             \
    X(L_VIEWS, "Views", "Aufrufe", "Vues", "Vistas", "Visualizzazioni")                                \
    X(L_SHARE, "Share", "Anteil", "Part", "Cuota", "Quota")                                            \
    X(L_DEVICES, "Devices", "Geräte", "Appareils", "Dispositivos", "Dispositivi")                      \
    X(L_BROWSERS, "Browsers", "Browser", "Navigateurs", "Navegadores", "Browser")                      \
    X(L_COUNTRIES, "Countries", "Länder", "Pays", "Países", "Paesi")                                   \
    X(L_SOURCES, "Traffic sources", "Traffic-Quellen", "Sources de trafic", "Fuentes de tráfico",      \
      "Sorgenti di traffico")                                                                          \
    X(L_PACKAGE, "Package", "Paket", "Forfait", "Paquete", "Pacchetto")                                \
    X(L_STATUS, "Status", "Status", "Statut", "Estado", "Stato")                                       \
    X(L_ST_ACTIVE, "active", "aktiv", "actif", "activo", "attivo")                                     \
    X(L_ST_CANCELED, "canceled", "gekündigt", "résilié", "cancelado", "annullato")                     \
    X(L_ST_INACTIVE, "inactive", "inaktiv", "inactif", "inactivo", "inattivo")                         \
    X(L_TRIAL, "Trial", "Testphase", "Essai", "Prueba", "Prova")                                       \
    X(L_IN_TRIAL, "in trial", "in der Testphase", "en période d’essai", "en periodo de prueba",        \
      "in prova")                                                                                      \
    X(L_NO_TRIAL, "no trial", "keine Testphase", "pas d’essai", "sin prueba", "nessuna prova")         \
    X(L_HAD_TRIAL, "trial used", "Testphase genutzt", "essai utilisé", "prueba utilizada",             \
      "prova utilizzata")                                                                              \
    X(L_INTERVAL, "Billing interval", "Abrechnungsintervall", "Périodicité de facturation",            \
      "Intervalo de facturación", "Intervallo di fatturazione")                                        \
    X(L_MONTHLY, "monthly", "monatlich", "mensuelle", "mensual", "mensile")                            \
    X(L_YEARLY, "yearly", "jährlich", "annuelle", "anual", "annuale")                                  \
    X(L_PERIOD_ENDS, "Period ends", "Zeitraum endet", "Fin de la période", "Fin del periodo",          \
      "Fine del periodo")                                                                              \
    X(L_RESET, "Touchpoints reset", "Touchpoints werden zurückgesetzt",                                \
      "Réinitialisation des touchpoints", "Reinicio de touchpoints", "Azzeramento dei touchpoint")     \
    X(L_CONSUMPTION, "Touchpoints used", "Verbrauchte Touchpoints", "Touchpoints utilisés",            \
      "Touchpoints usados", "Touchpoint utilizzati")                                                   \
    X(L_UNLIMITED, "unlimited", "unbegrenzt", "illimité", "ilimitado", "illimitati")                   \
    X(L_POOL, "shared pool", "gemeinsames Kontingent", "forfait partagé", "bolsa compartida",          \
      "pool condiviso")                                                                                \
    X(L_PERIOD_VISITS, "Visits this touchpoint period",                                                \
      "Besuche im laufenden Touchpoint-Zeitraum", "Visites de la période de touchpoints en cours",     \
      "Visitas del periodo de touchpoints actual", "Visite del periodo di touchpoint in corso")        \
    X(L_SINCE, "since", "seit", "depuis le", "desde el", "dal")                                        \
    X(L_PERIOD_EXPLAIN,                                                                                \
      "The data API answers the same number for this stretch: the visits the consumption counts.",     \
      "Die Daten-API liefert für diesen Abschnitt dieselbe Zahl: die Besuche, die der Verbrauch "     \
      "zählt.",                                                                                        \
      "L’API de données renvoie le même nombre pour cet intervalle : les visites que la "          \
      "consommation compte.",                                                                          \
      "La API de datos devuelve el mismo número para este intervalo: las visitas que cuenta el "      \
      "consumo.",                                                                                      \
      "L’API dati restituisce lo stesso numero per questo intervallo: le visite conteggiate dal "    \
      "consumo.")                                                                                      \
    X(L_USAGE, "Usage", "Nutzung", "Utilisation", "Uso", "Utilizzo")                                   \
    X(L_EVENTS, "Events", "Ereignisse", "Événements", "Eventos", "Eventi")                             \
    X(L_TOUCHPOINTS, "Touchpoints", "Touchpoints", "Touchpoints", "Touchpoints", "Touchpoint")         \
    X(L_U_VISIT, "Visits", "Besuche", "Visites", "Visitas", "Visite")                                  \
    X(L_U_VISIT_EVENT, "Visit events", "Besuchsereignisse", "Événements de visite",                    \
      "Eventos de visita", "Eventi di visita")                                                         \
    X(L_U_RECORDING, "Session recordings", "Sitzungsaufzeichnungen", "Enregistrements de session",     \
      "Grabaciones de sesión", "Registrazioni di sessione")                                            \
    X(L_U_HEATMAP, "Heatmap increments", "Heatmap-Inkremente", "Incréments de heatmap",                \
      "Incrementos de mapa de calor", "Incrementi heatmap")                                            \
    X(L_U_POLL, "Poll answers", "Antworten auf Umfragen", "Réponses aux sondages",                     \
      "Respuestas a sondeos", "Risposte ai sondaggi")                                                  \
    X(L_U_SURVEY, "Survey answers", "Antworten auf Befragungen", "Réponses aux enquêtes",              \
      "Respuestas a encuestas", "Risposte ai questionari")                                             \
    X(L_U_FUNNEL, "Funnel matches", "Funnel-Treffer", "Correspondances d’entonnoir",                   \
      "Coincidencias de embudo", "Corrispondenze del funnel")                                          \
    X(L_UPGRADE, "Upgrade", "Upgrade", "Passer à l’offre supérieure", "Mejorar plan",                  \
      "Esegui upgrade")                                                                                \
    X(L_ROLE, "Your role", "Ihre Rolle", "Votre rôle", "Su rol", "Il tuo ruolo")                       \
    X(L_R_OWNER, "owner", "Inhaber", "propriétaire", "propietario", "proprietario")                    \
    X(L_R_EDITOR, "editor", "Bearbeiter", "éditeur", "editor", "editor")                               \
    X(L_R_WATCHER, "watcher", "Beobachter", "observateur", "observador", "osservatore")                \
    X(L_R_DASHBOARD, "dashboard viewer", "Dashboard-Betrachter", "lecteur de tableaux de bord",        \
      "lector de paneles", "visualizzatore di dashboard")                                              \
    X(L_SHARED, "Shared custom dashboards", "Geteilte benutzerdefinierte Dashboards",                  \
      "Tableaux de bord personnalisés partagés", "Paneles personalizados compartidos",                 \
      "Dashboard personalizzate condivise")                                                            \
    X(L_NO_SHARED, "No custom dashboard has been shared with you yet.",                                \
      "Es wurde noch kein benutzerdefiniertes Dashboard mit Ihnen geteilt.",                           \
      "Aucun tableau de bord personnalisé n’a encore été partagé avec vous.",                          \
      "Todavía no se ha compartido ningún panel personalizado con usted.",                             \
      "Nessuna dashboard personalizzata è stata ancora condivisa con te.")                             \
    X(L_CHECKOUT, "Checkout", "Kasse", "Paiement", "Pago", "Pagamento")                                \
    X(L_PAY, "Pay (emulated)", "Bezahlen (emuliert)", "Payer (émulé)", "Pagar (emulado)",              \
      "Paga (emulato)")                                                                                \
    X(L_CHECKOUT_PM, "upgradePackageId opens a checkout for platform-managed partners only.",          \
      "upgradePackageId öffnet eine Kasse nur für plattformverwaltete Partner.",                       \
      "upgradePackageId n’ouvre un paiement que pour les partenaires gérés par la plateforme.",        \
      "upgradePackageId solo abre un pago para socios gestionados por la plataforma.",                 \
      "upgradePackageId apre un pagamento solo per i partner gestiti dalla piattaforma.")              \
    X(L_UNKNOWN_PKG, "Unknown package.", "Unbekanntes Paket.", "Forfait inconnu.",                     \
      "Paquete desconocido.", "Pacchetto sconosciuto.")                                                \
    X(L_TIMES_IN, "Times in", "Zeiten in", "Heures en", "Horas en", "Orari in")                        \
    X(L_LANGUAGE, "Language", "Sprache", "Langue", "Idioma", "Lingua")                                 \
    X(L_FOOTER,                                                                                        \
      "Emulated TWIPLA 3AS dashboard · synthetic data, from the same queries as the X-Api-Key "       \
      "data API",                                                                                      \
      "Emuliertes TWIPLA-3AS-Dashboard · synthetische Daten aus denselben Abfragen wie die "          \
      "X-Api-Key-Daten-API",                                                                           \
      "Tableau de bord TWIPLA 3AS émulé · données synthétiques, issues des mêmes requêtes que " \
      "l’API de données X-Api-Key",                                                                    \
      "Panel de TWIPLA 3AS emulado · datos sintéticos, de las mismas consultas que la API de "       \
      "datos X-Api-Key",                                                                               \
      "Dashboard TWIPLA 3AS emulata · dati sintetici, dalle stesse query dell’API dati X-Api-Key")     \
    X(L_EMPTY_PERIOD, "No visits recorded in this touchpoint period yet.",                             \
      "In diesem Touchpoint-Zeitraum wurden noch keine Besuche erfasst.",                              \
      "Aucune visite enregistrée pour l’instant dans cette période de touchpoints.",                   \
      "Aún no se han registrado visitas en este periodo de touchpoints.",                              \
      "Nessuna visita ancora registrata in questo periodo di touchpoint.")                             \
    X(L_QUERIES, "The data API queries behind this page",                                              \
      "Die Abfragen der Daten-API hinter dieser Seite",                                                \
      "Les requêtes de l’API de données derrière cette page",                                          \
      "Las consultas a la API de datos detrás de esta página",                                         \
      "Le query dell’API dati dietro questa pagina")                                                   \
    X(L_COLON, ": ", ": ", " : ", ": ", ": ")                                                          \
    X(L_UNIT_MIN, "m", " Min.", " min", " min", " min")                                                \
    X(L_UNIT_SEC, "s", " Sek.", " s", " s", " s")                                                      \
    X(L_ERR_NOT_OWNER, "This customer neither owns this website nor contributes to it.",               \
      "Dieser Kunde ist weder Inhaber dieser Website noch an ihr beteiligt.",                          \
      "Ce client n’est ni propriétaire de ce site ni contributeur.",                                   \
      "Este cliente no es propietario de este sitio ni colabora en él.",                               \
      "Questo cliente non è proprietario di questo sito né vi collabora.")                             \
    X(L_ERR_UNKNOWN, "This customer cannot see that website (unknown website or customer).",           \
      "Dieser Kunde kann diese Website nicht sehen (unbekannte Website oder unbekannter Kunde).",      \
      "Ce client ne peut pas voir ce site (site ou client inconnu).",                                  \
      "Este cliente no puede ver ese sitio (sitio o cliente desconocido).",                            \
      "Questo cliente non può vedere quel sito (sito o cliente sconosciuto).")                         \
    X(L_ERR_DATES, "startDate and endDate are YYYY-MM-DD, in order, at most 366 days apart.",          \
      "startDate und endDate haben die Form YYYY-MM-DD, in dieser Reihenfolge, höchstens 366 "        \
      "Tage auseinander.",                                                                             \
      "startDate et endDate sont au format YYYY-MM-DD, dans l’ordre, à 366 jours d’écart au "    \
      "plus.",                                                                                         \
      "startDate y endDate tienen el formato YYYY-MM-DD, en orden, con 366 días de diferencia "       \
      "como máximo.",                                                                                  \
      "startDate ed endDate sono nel formato YYYY-MM-DD, in ordine, a non più di 366 giorni di "      \
      "distanza.")                                                                                     \
    X(L_ERR_NO_SITE, "No such website.", "Diese Website gibt es nicht.", "Ce site n’existe pas.",      \
      "Ese sitio no existe.", "Questo sito non esiste.")                                               \
    X(L_DEV_DESKTOP, "Desktop", "Desktop", "Ordinateur", "Escritorio", "Desktop")                      \
    X(L_DEV_MOBILE, "Mobile", "Mobil", "Mobile", "Móvil", "Mobile")                                    \
    X(L_DEV_TABLET, "Tablet", "Tablet", "Tablette", "Tableta", "Tablet")                               \
    X(L_SRC_DIRECT, "Direct", "Direkt", "Accès direct", "Directo", "Diretto")                          \
    X(L_SRC_SEARCH, "Search engines", "Suchmaschinen", "Moteurs de recherche", "Buscadores",           \
      "Motori di ricerca")                                                                             \
    X(L_SRC_SOCIAL, "Social networks", "Soziale Netzwerke", "Réseaux sociaux", "Redes sociales",       \
      "Social network")                                                                                \
    X(L_SRC_REFERRAL, "Referring sites", "Verweisende Websites", "Sites référents",                    \
      "Sitios de referencia", "Siti di riferimento")                                                   \
    X(L_SRC_EMAIL, "Email", "E-Mail", "E-mail", "Correo electrónico", "Email")                         \
    X(L_C_DE, "Germany", "Deutschland", "Allemagne", "Alemania", "Germania")                           \
    X(L_C_US, "United States", "Vereinigte Staaten", "États-Unis", "Estados Unidos",                   \
      "Stati Uniti")                                                                                   \
    X(L_C_GB, "United Kingdom", "Vereinigtes Königreich", "Royaume-Uni", "Reino Unido",                \
      "Regno Unito")                                                                                   \
    X(L_C_FR, "France", "Frankreich", "France", "Francia", "Francia")                                  \
    X(L_C_RO, "Romania", "Rumänien", "Roumanie", "Rumanía", "Romania")                                 \
    X(L_C_AT, "Austria", "Österreich", "Autriche", "Austria", "Austria")                               \
    X(L_C_CH, "Switzerland", "Schweiz", "Suisse", "Suiza", "Svizzera")                                 \
    X(L_C_NL, "Netherlands", "Niederlande", "Pays-Bas", "Países Bajos", "Paesi Bassi")

#define LABEL_ENUM(id, en, de, fr, es, it) id,
enum label { FOR_EACH_LABEL(LABEL_ENUM) L__COUNT };
#undef LABEL_ENUM

/* Label `id` in `loc`. */
const char *i18n(enum html_locale loc, enum label id);

/* The name of a value of data API dimension `dimension` ("deviceType" "mobile", "referrerType"
 * "search", "countryCode" "DE") in `loc`; the value itself when it has none. */
const char *i18n_value(enum html_locale loc, const char *dimension, const char *value);

/* Append the date of `tm` as `loc` writes it short (en "Nov 3", de "3. Nov.") or with the year
 * (en "Nov 3, 2026", fr "3 nov. 2026"): Intl.DateTimeFormat's day, month "short", year. */
void i18n_date(struct strbuf *sb, enum html_locale loc, const struct tm *tm, bool year);

/* Append date and time of `tm` (en "Nov 3, 2026, 2:05 PM", de "3. Nov. 2026, 14:05"). */
void i18n_datetime(struct strbuf *sb, enum html_locale loc, const struct tm *tm);

/* Append a duration in whole seconds (en "2m 35s", de "2 Min. 35 Sek.", fr "2 min 35 s"). */
void i18n_duration(struct strbuf *sb, enum html_locale loc, double seconds);

#endif
