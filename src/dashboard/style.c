/* The dashboard page's look: its style sheet (under the answer's nonce) and the brand's mark.
 * No external assets: system fonts, colours and shapes only. */
#include "dashboard/page.h"

/* The page's style sheet, in parts (C compilers need only take string literals of 4095
 * bytes). */
static const char *const css[] = {
    "*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}"
    "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,sans-serif;color:#1d2433;background:#f3f5fa}"
    "a{color:#3659e3;text-decoration:none}a:hover{text-decoration:underline}"
    ".wrap{max-width:1200px;margin:0 auto;padding:0 24px}"
    ".top{background:#14213d;color:#fff}"
    ".topin{display:flex;align-items:center;gap:8px 24px;min-height:56px;flex-wrap:wrap}"
    ".brand{display:flex;align-items:center;gap:10px;font-weight:650;font-size:15px;"
    "white-space:nowrap}.brand span{font-weight:400;color:#aab4cf}"
    ".top nav{display:flex;gap:2px;flex-wrap:wrap}"
    ".top nav a{color:#cfd6ea;padding:6px 10px;border-radius:6px}"
    ".top nav a:hover{background:rgba(255,255,255,.1);color:#fff;text-decoration:none}"
    ".hero{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;"
    "gap:12px 24px;padding:24px 0 4px}"
    "h1{margin:0;font-size:28px;line-height:1.2;overflow-wrap:anywhere}"
    ".range{margin:6px 0 0;color:#5b6478}.range strong{color:#1d2433}"
    ".actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}"
    ".badge{display:inline-block;background:#e6ebfa;color:#2a3a72;border-radius:999px;"
    "padding:3px 10px;font-size:12px;font-weight:500}"
    "button{font:inherit;background:#3659e3;color:#fff;border:0;border-radius:8px;"
    "padding:7px 16px;font-weight:600;cursor:pointer}button:hover{background:#2a48c4}"
    "button[disabled]{background:#9aa8d8;cursor:default}"
    ".presets{display:inline-flex;gap:2px;background:#e3e8f5;border-radius:8px;padding:3px}"
    ".presets a{padding:4px 10px;border-radius:6px;color:#2a3a72;font-size:13px;"
    "white-space:nowrap}.presets a:hover{text-decoration:none;background:#f4f6fc}"
    ".presets a[aria-current]{background:#fff;box-shadow:0 1px 2px rgba(16,24,40,.12);"
    "font-weight:600}"
    ".card{background:#fff;border-radius:12px;padding:18px 20px;margin-top:16px;min-width:0;"
    "box-shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.05)}"
    "h2{font-size:15px;margin:0 0 12px;font-weight:650}"
    ".head{display:flex;justify-content:space-between;align-items:baseline;gap:8px;"
    "flex-wrap:wrap}.head h2{margin:0}.muted,small{color:#5b6478}"
    ".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:16px;"
    "margin-top:16px}.kpis .card{margin:0}"
    ".kpi .label{color:#5b6478;font-size:13px}"
    ".kpi .value{font-size:26px;font-weight:650;margin:2px 0 4px;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".chg{font-size:12px;font-weight:600;border-radius:6px;padding:1px 6px;white-space:nowrap}"
    ".good{color:#127a3e;background:#e3f6ea}.bad{color:#b42318;background:#fdecea}"
    ".flat{color:#5b6478;background:#eef0f5}.kpi small{font-size:12px;margin-left:4px}"
    ".spark{display:block;width:100%;height:34px;margin-top:10px}"
    ".spark polyline{fill:none;stroke:#3659e3;stroke-width:1.5}"
    ".spark polygon{fill:#3659e3;opacity:.08}"
    ".chart{display:block;width:100%;height:auto;margin-top:8px}.narrow{display:none}",
    ".chart text{fill:#5b6478;font-family:inherit}.chart .grid{stroke:#eef0f5}"
    ".chart .axis{stroke:#c9cfdd}.chart .val{fill:#3659e3}.chart .hit{fill:transparent}"
    ".chart g.day:hover .val{fill:#2440b3}.chart g.day:hover .hit{fill:#3659e3;opacity:.06}"
    ".chart .vl{fill:#1d2433;font-weight:600}.chart .ttl{fill:#8a92a6}"
    ".chart .before{fill:#f3f5fa}.chart .mark{stroke:#f59e0b;stroke-dasharray:4 3}"
    ".chart .marklabel{fill:#b26b00;font-weight:600}.chart .empty{fill:#8a92a6}"
    ".grid2{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px}"
    ".grid2.even{grid-template-columns:repeat(2,minmax(0,1fr))}"
    "table{width:100%;border-collapse:collapse}"
    "th{font-size:12px;text-align:left;color:#8a92a6;font-weight:500;padding:0 0 6px}"
    "td{padding:7px 0;border-top:1px solid #eef0f5;vertical-align:middle}"
    ".n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;padding-left:12px}"
    ".path{overflow-wrap:anywhere}"
    ".bar{display:block;width:100%;height:6px;margin-top:5px}"
    ".bar .track{fill:#eef0f5}.bar .fill{fill:#3659e3}"
    ".share{list-style:none;margin:0;padding:0}.share li{padding:6px 0}"
    ".share .row{display:flex;justify-content:space-between;gap:8px}"
    ".share .row span:last-child{color:#5b6478;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    ".plan{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px 32px}"
    ".big{font-size:28px;font-weight:650;font-variant-numeric:tabular-nums}"
    ".big span{font-size:16px;color:#5b6478;font-weight:500}"
    ".meter{display:block;width:100%;height:10px;margin:8px 0 4px}"
    ".meter .track{fill:#eef0f5}.meter .fill{fill:#3659e3}.meter .over{fill:#e5484d}"
    ".pv{margin:16px 0 0;padding:12px 14px;background:#f6f8fd;border-radius:10px}"
    ".pv strong{font-size:18px}"
    "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:6px 16px;margin:0}"
    "dt{color:#5b6478}dd{margin:0;overflow-wrap:anywhere}"
    ".kinds{margin-top:12px}"
    "details summary{cursor:pointer;font-weight:600}"
    "details pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fd;"
    "border-radius:8px;padding:8px 10px;font-size:12px;margin:4px 0 12px}"
    "details h3{font-size:13px;margin:12px 0 0;font-weight:600}"
    ".foot{display:flex;justify-content:space-between;flex-wrap:wrap;gap:8px 24px;"
    "padding:20px 24px 32px;color:#8a92a6;font-size:12px}"
    ".foot nav a{margin-left:8px}.foot nav a[aria-current]{color:#1d2433;font-weight:600}"
    "@media (max-width:900px){.plan{grid-template-columns:minmax(0,1fr)}}"
    "@media (max-width:720px){.wrap{padding:0 12px}.wide{display:none}.narrow{display:block}"
    ".grid2,.grid2.even{grid-template-columns:minmax(0,1fr);gap:0}"
    ".kpis{grid-template-columns:repeat(2,minmax(0,1fr));gap:10px}"
    ".kpi .value{font-size:21px}.card{padding:14px}h1{font-size:22px}"
    ".hero{padding-top:16px}.top nav a{padding:4px 8px 8px 0}.topin{padding-top:8px}"
    ".kpis .card:last-child{grid-column:1/-1}.kpi small{display:block;margin:4px 0 0}"
    ".foot{padding:16px 12px 24px}"
    ".foot nav a{margin:0 8px 0 0}}",
};

/* The brand's mark: three rising bars. */
static const char logo[] =
    "<svg width=\"26\" height=\"26\" viewBox=\"0 0 26 26\" aria-hidden=\"true\">"
    "<rect width=\"26\" height=\"26\" rx=\"7\" fill=\"#3659e3\"/>"
    "<rect x=\"6\" y=\"13\" width=\"3.5\" height=\"7\" rx=\"1.5\" fill=\"#fff\" opacity=\".6\"/>"
    "<rect x=\"11.25\" y=\"9\" width=\"3.5\" height=\"11\" rx=\"1.5\" fill=\"#fff\" "
    "opacity=\".8\"/><rect x=\"16.5\" y=\"5\" width=\"3.5\" height=\"15\" rx=\"1.5\" "
    "fill=\"#fff\"/></svg>";

void render_style(struct strbuf *sb)
{
    for (size_t i = 0; i < sizeof(css) / sizeof(css[0]); i++)
        strbuf_addstr(sb, css[i]);
}

void render_logo(struct strbuf *sb)
{
    strbuf_addstr(sb, logo);
}
