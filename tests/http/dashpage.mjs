// The dashboard page as data, for dashboard.test.mjs and browser.test.mjs: a partner with a
// website that has history (its clock moved on, usage recorded), the numbers the page carries in
// its data-* attributes, and the same numbers asked of the X-Api-Key data API.
import { call, dialects, mint } from './helpers.mjs';

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };
export const unescape = (s) => s.replace(/&(#x?[0-9a-f]+|\w+);/gi, (m, e) => {
  if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  return entities[e] ?? m;
});

// The attributes of a start tag's inside (`class="a" data-x="1" data-flag`).
export function attrs(text) {
  const out = {};
  for (const m of text.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out[m[1]] = m[2] === undefined ? '' : unescape(m[2]);
  return out;
}

const num = (v) => (v === undefined ? undefined : Number(v));
const sections = (html, name) => {
  const at = html.indexOf(`data-query="${name}"`);
  return at < 0 ? '' : html.slice(at, html.indexOf('</section>', at));
};

// Everything the page says with numbers, from its HTML (as served, or as a browser serializes
// its DOM).
export function parsePage(html) {
  const body = attrs(html.match(/<body ([^>]*)>/)[1]);
  const kpis = [...html.matchAll(/<div class="card kpi" ([^>]*)>.*?<div class="value">([^<]*)<\/div>/g)].map((m) => {
    const a = attrs(m[1]);
    return { metric: a['data-metric'], value: num(a['data-value']), previous: num(a['data-previous']), change: a['data-change'] === undefined ? null : num(a['data-change']), text: unescape(m[2]) };
  });
  const days = [...html.matchAll(/<g class="day" (data-date[^>]*)>/g)].map((m) => {
    const a = attrs(m[1]);
    return { date: a['data-date'], visits: num(a['data-visits']) };
  });
  const total = html.match(/<strong data-visits="(\d+)">([^<]*)</);
  const pages = [...sections(html, 'pages').matchAll(/<tr ([^>]*data-views[^>]*)>/g)].map((m) => {
    const a = attrs(m[1]);
    return { pageUrl: a['data-key'], pageviewCount: num(a['data-views']), visitCount: num(a['data-visits']) };
  });
  const shares = {};
  for (const name of ['devices', 'browsers', 'countries', 'sources']) {
    shares[name] = [...sections(html, name).matchAll(/<li ([^>]*data-sessions[^>]*)>/g)].map((m) => {
      const a = attrs(m[1]);
      return { key: a['data-key'], sessionCount: num(a['data-sessions']), sessionPercentOfTotal: num(a['data-percent']) };
    });
  }
  const pv = html.match(/<div class="pv" ([^>]*)>/);
  const p = pv ? attrs(pv[1]) : {};
  const queries = {};
  for (const m of html.matchAll(/<pre data-query-body="(\w+)" data-path="([^"]+)">([^<]*)<\/pre>/g)) queries[m[1]] = { path: m[2], body: JSON.parse(unescape(m[3])) };
  const big = html.match(/<div class="big" ([^>]*)>(.*?)<\/div>/);
  const c = big ? attrs(big[1]) : {};
  return {
    lang: html.match(/<html lang="(\w+)"/)[1],
    rangeStart: body['data-range-start'],
    rangeEnd: body['data-range-end'],
    website: body['data-website'],
    kpis,
    days,
    total: total ? { visits: Number(total[1]), text: unescape(total[2]) } : undefined,
    pages,
    shares,
    period: { visits: num(p['data-period-visits']), start: p['data-start'], end: p['data-end'] },
    consumption: { used: num(c['data-used']), limit: num(c['data-limit']), text: big ? unescape(big[2].replace(/<[^>]+>/g, '')) : '' },
    queries,
  };
}

// A partner of its own (its own clock) with customer `acme` owning `shop.acme.test` on `pkg`,
// created, then the clock moved by `advanceBy` and frozen, then `usage` recorded.
export async function siteWithHistory(srv, { pkg = 'Pro', advanceBy = 'P2M10DT5H', usage = { visits: 2950, visitEvents: 4200, sessionRecordings: 12 }, domain = 'shop.acme.test' } = {}) {
  const partner = (await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Dashboard demo' } })).json.payload;
  const api = (method, p, body) => call(srv.url, method, p, { token: dialects.node(partner.id, partner.privateKey), body });
  const pk = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === pkg && p.period === 'monthly');
  await api('POST', '/v2/3as/customers', { intpCustomerId: 'acme', email: 'owner@acme.test', website: { intpWebsiteId: 'acme-shop', domain, packageId: pk.id } });
  const created = (await api('GET', '/v2/3as/websites/acme-shop')).json.payload;
  const clock = await call(srv.url, 'POST', `/__admin/intps/${partner.id}/clock`, { body: { advanceBy, freeze: true } });
  if (clock.status !== 200) throw new Error(clock.text);
  if (usage) await call(srv.url, 'POST', `/__admin/intps/${partner.id}/websites/acme-shop/usage`, { body: usage });
  const website = (await api('GET', '/v2/3as/websites/acme-shop')).json.payload;
  const key = (await api('POST', '/v2/3as/websites/acme-shop/api-keys', { name: 'dashboard test' })).json.payload.apiKey;
  const token = () => mint(srv.url, partner.id, { role: 'intpc', intpcId: 'acme' });
  const now = Date.parse(clock.json.payload?.now ?? clock.json.now);
  return { partner, api, created, website, key, token, now, pkg: pk };
}

// The data API's answer to query `q` ({path, body}) of the page.
export async function ask(srv, site, q) {
  const r = await call(srv.url, 'POST', `/v2/websites/${site.website.id}/${q.path}`, { headers: { 'X-Api-Key': site.key }, body: q.body });
  if (r.status !== 200) throw new Error(`${q.path} ${JSON.stringify(q.body)}: ${r.status} ${r.text}`);
  return r.json.payload;
}

const previousOf = (m) => `previous${m[0].toUpperCase()}${m.slice(1)}`;

// Every number of the parsed page against the data API's answers to the page's own queries, and
// those queries against the page's range. Returns how many numbers were compared.
export async function assertPageIsApi(assert, srv, site, page) {
  const q = page.queries;
  let compared = 0;
  const day = 86400e3;
  const days = (Date.parse(page.rangeEnd) - Date.parse(page.rangeStart)) / day + 1;
  for (const name of ['kpis', 'days', 'pages', 'devices', 'browsers', 'countries', 'sources']) {
    assert.deepEqual(q[name].body.dateRange, { start: `${page.rangeStart}T00:00:00Z`, end: `${page.rangeEnd}T23:59:59Z` }, name);
  }
  const prevStart = new Date(Date.parse(page.rangeStart) - days * day).toISOString().replace('.000', '');
  const prevEnd = new Date(Date.parse(page.rangeStart) - 1000).toISOString().replace('.000', '');
  assert.deepEqual(q.kpis.body.previousDateRange, { start: prevStart, end: prevEnd });

  const [row] = await ask(srv, site, q.kpis);
  assert.equal(page.kpis.length, 5);
  for (const k of page.kpis) {
    assert.equal(k.value, row?.[k.metric] ?? 0, k.metric);
    assert.equal(k.previous, row?.[previousOf(k.metric)] ?? 0, `previous ${k.metric}`);
    assert.equal(k.change, row?.[`${k.metric}PercentageChange`] ?? null, `change ${k.metric}`);
    compared += 3;
  }
  const byDate = new Map((await ask(srv, site, q.days)).map((r) => [r.date, r.sessionCount]));
  assert.equal(page.days.length, days, 'a bar per day of the range');
  for (const d of page.days) {
    assert.equal(d.visits, byDate.get(d.date) ?? 0, d.date);
    compared++;
  }
  assert.equal(page.total.visits, page.days.reduce((n, d) => n + d.visits, 0));
  assert.equal(page.total.visits, row?.sessionCount ?? 0, 'the chart adds up to the sessions figure');
  assert.deepEqual(page.pages, await ask(srv, site, q.pages), 'top pages');
  compared += page.pages.length * 3;
  for (const [name, dim] of [['devices', 'deviceType'], ['browsers', 'browserName'], ['countries', 'countryCode'], ['sources', 'referrerType']]) {
    const rows = (await ask(srv, site, q[name])).map((r) => ({ key: r[dim], sessionCount: r.sessionCount, sessionPercentOfTotal: r.sessionPercentOfTotal }));
    assert.deepEqual(page.shares[name], rows, name);
    compared += rows.length * 2;
  }
  assert.deepEqual(q.period.body.dateRange, { start: page.period.start, end: page.period.end });
  const [period] = await ask(srv, site, q.period);
  assert.equal(page.period.visits, period?.visitCount ?? 0, 'visits of the touchpoint period');
  return compared + 1;
}
