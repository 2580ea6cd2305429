// The emulated dashboard page (contract D8, §3.2): who may open it, what it shows, how it
// answers errors; that every number on it is the data API's answer to the same query, that the
// touchpoint period's visits are the visits the consumption counts, that nothing precedes the
// website's creation, and that it speaks en, de, fr, es and it (error pages too). The click on
// Upgrade and the screenshots are in browser.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, call, dialects, mint, DEMO, DEMO_PRIVATE } from './helpers.mjs';
import { parsePage, siteWithHistory, assertPageIsApi } from './dashpage.mjs';

let srv;
let api;
let site;
before(async () => {
  srv = await startServer();
  api = (method, p, body) => call(srv.url, method, p, { token: dialects.node(DEMO.id, DEMO_PRIVATE), body });
  const basic = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === 'Basic' && p.period === 'monthly');
  await api('POST', '/v2/3as/customers', { intpCustomerId: 'owner', email: 'owner@x.io', website: { intpWebsiteId: 'shop/1', domain: 'shop.example.com', packageId: basic.id } });
  for (const c of ['editor', 'watcher', 'viewer', 'stranger']) await api('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io` });
  await api('POST', '/v3/3as/websites/shop%2F1/contributors', { intpCustomerId: 'editor', role: 'editor' });
  await api('POST', '/v3/3as/websites/shop%2F1/contributors', { intpCustomerId: 'watcher', role: 'watcher' });
  await api('POST', '/v3/3as/websites/shop%2F1/contributors', { intpCustomerId: 'viewer', role: 'dashboard' });
  site = (await api('GET', '/v2/3as/websites/shop%2F1')).json.payload;
});
after(async () => { await srv.stop(); });

const tokenFor = (intpcId) => mint(srv.url, DEMO.id, { role: 'intpc', intpcId });
const page = (qs) => call(srv.url, 'GET', `/dashboard${qs}`);

test('the Node/PHP and the Go URL forms both open the page', async () => {
  const t = await tokenFor('owner');
  const node = await page(`?intpc_token=${t}&externalWebsiteId=shop/1`);
  assert.equal(node.status, 200, node.text);
  const go = await page(`/?externalWebsiteId=${encodeURIComponent('shop/1')}&intpc_token=${t}`);
  assert.equal(go.status, 200);
  assert.equal((await page(`?intpcToken=${t}&externalWebsiteId=shop/1`)).status, 200);
  for (const r of [node, go]) {
    assert.match(r.headers.get('content-type'), /^text\/html/);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9]+'/);
    assert.match(r.text, /shop\.example\.com/);
    assert.match(r.text, /<dd data-package>Basic<\/dd>/);
    assert.match(r.text, /data-status="active">active</);
    assert.match(r.text, /<svg/);
    assert.doesNotMatch(r.text, /<link|src="http|url\(/, 'no external assets');
    assert.doesNotMatch(r.text, /<script(?! nonce)/, 'every script carries the nonce');
  }
});

test('locale, timezone and the date range', async () => {
  const t = await tokenFor('owner');
  const de = await page(`?intpc_token=${t}&externalWebsiteId=shop/1&locale=de&timezone=America/New_York&startDate=2026-11-01&endDate=2026-11-07`);
  assert.match(de.text, /<html lang="de">/);
  assert.match(de.text, /Besuche pro Tag/);
  assert.match(de.text, /Zeiten in America\/New_York/);
  assert.equal((de.text.match(/<g class="day" data-date=/g) || []).length, 7, 'one bar per day');
  const en = await page(`?intpc_token=${t}&externalWebsiteId=shop/1&timezone=Mars/Olympus`);
  assert.match(en.text, /Visits per day/);
  assert.match(en.text, /Times in UTC/, 'an unknown zone falls back to UTC');
  // the chart and the data API count the same visits
  const key = (await api('POST', '/v2/3as/websites/shop%2F1/api-keys', { name: 'cmp' })).json.payload.apiKey;
  const rows = await call(srv.url, 'POST', `/v2/websites/${site.id}/analytics/sessions`, {
    headers: { 'X-Api-Key': key },
    body: { metrics: ['visitCount'], dateRange: { start: '2026-11-01T00:00:00Z', end: '2026-11-07T23:59:59Z' } },
  });
  assert.match(de.text, new RegExp(`<strong data-visits="${rows.json.payload[0]?.visitCount ?? 0}">`));
  assert.equal((await page(`?intpc_token=${t}&externalWebsiteId=shop/1&startDate=2026-13-01`)).status, 400);
});

test('roles: contributors see the page, a watcher gets no Upgrade, a dashboard contributor only shared dashboards', async () => {
  const q = async (who, extra = '') => page(`?intpc_token=${await tokenFor(who)}&externalWebsiteId=shop/1&allowUpgrade=true${extra}`);
  const owner = await q('owner');
  assert.match(owner.text, /data-upgrade/);
  assert.match(owner.text, /UPGRADE_BUTTON_CLICKED/);
  const editor = await q('editor');
  assert.match(editor.text, /data-role="editor">/);
  assert.match(editor.text, /data-upgrade/);
  const watcher = await q('watcher');
  assert.equal(watcher.status, 200);
  assert.match(watcher.text, /data-role="watcher">/);
  assert.doesNotMatch(watcher.text, /data-upgrade|<script/);
  const viewer = await q('viewer');
  assert.match(viewer.text, /data-shared/);
  assert.doesNotMatch(viewer.text, /data-status|data-visits/);
  const plain = await page(`?intpc_token=${await tokenFor('owner')}&externalWebsiteId=shop/1`);
  assert.doesNotMatch(plain.text, /data-upgrade/, 'no Upgrade without allowUpgrade=true');
});

test('who may not: 401 and 403 pages that say why', async () => {
  const r401 = [
    '',
    '?externalWebsiteId=shop/1&intpc_token=garbage',
    `?externalWebsiteId=shop/1&intpc_token=${dialects.node(DEMO.id, DEMO_PRIVATE)}`,
    '?websiteToken=nope',
  ];
  for (const qs of r401) {
    const r = await page(qs);
    assert.equal(r.status, 401, qs);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /<h1>(<span>)?401/);
  }
  const t = await tokenFor('owner');
  const tampered = t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.equal((await page(`?intpc_token=${tampered}&externalWebsiteId=shop/1`)).status, 401);
  const stranger = await page(`?intpc_token=${await tokenFor('stranger')}&externalWebsiteId=shop/1`);
  assert.equal(stranger.status, 403);
  assert.match(stranger.text, /neither owns this website nor contributes/);
  assert.equal((await page(`?intpc_token=${t}&externalWebsiteId=nope`)).status, 403);
  assert.equal((await page(`?intpc_token=${await tokenFor('ghost')}&externalWebsiteId=shop/1`)).status, 403);
  // another partner's customer token never opens this partner's website
  const other = (await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Other' } })).json.payload;
  await call(srv.url, 'POST', '/v2/3as/customers', { token: dialects.node(other.id, other.privateKey), body: { intpCustomerId: 'owner', email: 'o@x.io' } });
  const foreign = await mint(srv.url, other.id, { role: 'intpc', intpcId: 'owner' });
  const f = await page(`?intpc_token=${foreign}&externalWebsiteId=shop/1`);
  assert.equal(f.status, 403);
  assert.doesNotMatch(f.text, /shop\.example\.com/);
});

test('the websiteToken of an API-key login opens the page until it expires', async () => {
  const key = (await api('POST', '/v2/3as/websites/shop%2F1/api-keys', { name: 'login' })).json.payload.apiKey;
  const login = await call(srv.url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: key, websiteId: site.id } });
  const url = new URL(login.json.payload.dashboardUrl);
  const r = await page(url.search);
  assert.equal(r.status, 200);
  assert.match(r.text, /shop\.example\.com/);
});

test('upgradePackageId opens a checkout on platform-managed partners only', async () => {
  const t = await tokenFor('owner');
  const pro = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === 'Pro' && p.period === 'monthly');
  const company = await page(`?intpc_token=${t}&externalWebsiteId=shop/1&upgradePackageId=${pro.id}`);
  assert.match(company.text, /platform-managed partners only/);
  const pm = (await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'PM', billingMode: 'platform_managed' } })).json.payload;
  const pmApi = (method, p, body) => call(srv.url, method, p, { token: dialects.node(pm.id, pm.privateKey), body });
  await pmApi('POST', '/v2/3as/customers', { intpCustomerId: 'o', email: 'o@pm.io', website: { intpWebsiteId: 'pm-site', domain: 'pm.example.com' } });
  const pmPro = (await pmApi('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === 'Pro' && p.period === 'monthly');
  const pmToken = await mint(srv.url, pm.id, { role: 'intpc', intpcId: 'o' });
  const checkout = await page(`?intpc_token=${pmToken}&externalWebsiteId=pm-site&upgradePackageId=${pmPro.id}`);
  assert.match(checkout.text, /data-checkout/);
  assert.match(checkout.text, /Pro — 39\.99 EUR \/ monthly/);
});

test('timezone: a zone directory or a non-zone file falls back to UTC; a real zone is kept', async () => {
  const t = await tokenFor('owner');
  const open = (tz) => page(`?intpc_token=${t}&externalWebsiteId=shop/1&timezone=${encodeURIComponent(tz)}`);
  const notZones = ['Europe', 'Europe/', 'America'];
  // a text file of the zone database (no TZif data), where this system has it
  if (fs.existsSync('/usr/share/zoneinfo/leapseconds')) notZones.push('leapseconds');
  for (const tz of notZones) {
    const r = await open(tz);
    assert.equal(r.status, 200, tz);
    assert.match(r.text, /Times in UTC/, tz);
    assert.doesNotMatch(r.text, new RegExp(`Times in ${tz}`), tz);
  }
  const berlin = await open('Europe/Berlin');
  assert.equal(berlin.status, 200);
  assert.match(berlin.text, /Times in Europe\/Berlin/);
  assert.doesNotMatch(berlin.text, /Times in UTC/);
});

// ---- the numbers, the locales, the history (a partner of their own: its clock moves) ----

test('every number on the page is the data API\'s answer to the same query, for several ranges', async () => {
  const site = await siteWithHistory(srv);
  const t = await site.token();
  const day = (offset) => new Date(site.now + offset * 86400e3).toISOString().slice(0, 10);
  for (const range of ['', `&startDate=${day(-6)}&endDate=${day(0)}`, `&startDate=${day(-89)}&endDate=${day(0)}`, `&startDate=${day(-80)}&endDate=${day(-40)}`]) {
    const r = await page(`?intpc_token=${t}&externalWebsiteId=acme-shop${range}`);
    assert.equal(r.status, 200, r.text);
    const p = parsePage(r.text);
    assert.equal(p.website, site.website.id);
    const compared = await assertPageIsApi(assert, srv, site, p);
    assert.ok(compared > 30, `${range}: ${compared} numbers compared`);
  }
  const p = parsePage((await page(`?intpc_token=${t}&externalWebsiteId=acme-shop`)).text);
  assert.equal(p.rangeEnd, day(0), 'the default range ends today on the partner\'s clock');
  assert.equal(p.rangeStart, day(-29), 'and spans 30 days');
  assert.ok(p.total.visits > 5000, `a Pro site shows its traffic: ${p.total.visits}`);
});

test('the visits of the current touchpoint period are the visits the consumption counts', async () => {
  const site = await siteWithHistory(srv, { usage: { visits: 2950, visitEvents: 4200, sessionRecordings: 12 } });
  const p = parsePage((await page(`?intpc_token=${await site.token()}&externalWebsiteId=acme-shop`)).text);
  const c = site.website.consumption;
  assert.equal(c.stpConsumedVisit / c.stpRateVisit, 2950);
  assert.equal(p.period.visits, 2950, 'the data API\'s visits since the last touchpoint reset');
  assert.equal(p.consumption.used, c.stpConsumed);
  assert.equal(p.consumption.limit, c.stpLimit);
  assert.equal(p.consumption.text, '3,430.0 / 55,000', 'thousands separators');
  const history = (await call(srv.url, 'GET', `/__admin/intps/${site.partner.id}/websites/acme-shop/subscription/history`)).json.payload;
  const reset = history.filter((e) => e.action === 'renewal').pop();
  assert.equal(p.period.start, reset.until ?? reset.at, 'the period begins at the last touchpoint reset');
  // more usage: the page and the data API both follow, by construction
  await call(srv.url, 'POST', `/__admin/intps/${site.partner.id}/websites/acme-shop/usage`, { body: { visits: 1000 } });
  const again = parsePage((await page(`?intpc_token=${await site.token()}&externalWebsiteId=acme-shop`)).text);
  assert.equal(again.period.visits, 3950);
  await assertPageIsApi(assert, srv, site, again);
});

test('no data before the website was created', async () => {
  const site = await siteWithHistory(srv, { pkg: 'Basic', advanceBy: 'P10D', usage: { visits: 500 } });
  const created = Date.parse(site.website.createdAt);
  const day = (t) => new Date(t).toISOString().slice(0, 10);
  const r = await page(`?intpc_token=${await site.token()}&externalWebsiteId=acme-shop&startDate=${day(created - 20 * 86400e3)}&endDate=${day(site.now)}`);
  const p = parsePage(r.text);
  await assertPageIsApi(assert, srv, site, p);
  const before = p.days.filter((d) => d.date < day(created));
  assert.equal(before.length, 20);
  assert.ok(before.every((d) => d.visits === 0), 'no visits before the creation day');
  assert.match(r.text, /class="before"/, 'the chart marks the days before the website existed');
  assert.equal(p.total.visits, 500, 'still in its first touchpoint period: exactly the recorded visits');
  const raw = await call(srv.url, 'POST', `/v2/websites/${site.website.id}/sessions`, { headers: { 'X-Api-Key': site.key }, body: { dateRange: { start: `${day(created - 20 * 86400e3)}T00:00:00Z`, end: site.website.createdAt }, pagination: { pageSize: 1 } } });
  assert.equal(raw.json.meta.total, 0, 'no session up to the second of creation');
});

const LOCALES = {
  en: { title: 'Visits per day', used: 'Touchpoints used', error403: 'Forbidden', error400: 'Bad request' },
  de: { title: 'Besuche pro Tag', used: 'Verbrauchte Touchpoints', error403: 'Kein Zugriff', error400: 'Ungültige Anfrage' },
  fr: { title: 'Visites par jour', used: 'Touchpoints utilisés', error403: 'Accès refusé', error400: 'Requête invalide' },
  es: { title: 'Visitas por día', used: 'Touchpoints usados', error403: 'Acceso denegado', error400: 'Solicitud no válida' },
  it: { title: 'Visite al giorno', used: 'Touchpoint utilizzati', error403: 'Accesso negato', error400: 'Richiesta non valida' },
};
// English words of the page that every other locale says differently
const ENGLISH = ['Visits per day', 'Top pages', 'Bounce rate', 'Touchpoints used', 'Your role', 'Traffic sources', 'Billing interval', 'vs. previous period', 'Plan &amp; usage', 'Period ends', 'Countries', 'Devices'];

test('locales: en, de, fr, es and it for every string and number, error pages too; others fall back to en', async () => {
  const site = await siteWithHistory(srv);
  const t = await site.token();
  const c = site.website.consumption;
  for (const [loc, words] of Object.entries(LOCALES)) {
    const r = await page(`?intpc_token=${t}&externalWebsiteId=acme-shop&locale=${loc}&allowUpgrade=true`);
    const p = parsePage(r.text);
    assert.equal(p.lang, loc);
    assert.ok(r.text.includes(words.title) && r.text.includes(words.used), loc);
    if (loc !== 'en') for (const w of ENGLISH) assert.ok(!r.text.includes(w), `${loc} page says "${w}"`);
    const n = (v, d = 0) => new Intl.NumberFormat(loc, { minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
    assert.equal(p.consumption.text, `${n(c.stpConsumed, 1)} / ${n(c.stpLimit)}`, `${loc} consumption`);
    for (const k of p.kpis.filter((x) => ['sessionCount', 'visitorCount', 'pageviewCount'].includes(x.metric))) assert.equal(k.text, n(k.value), `${loc} ${k.metric}`);
    const bounce = p.kpis.find((x) => x.metric === 'bounceRate');
    // the rate as a fraction without a binary division (46.55 / 100 is 0.46549999999999997, which
    // rounds to 46.5 %; the page rounds the decimal 46.55, as Intl does the decimal 0.4655)
    const fraction = Number(`${bounce.value}e-2`);
    assert.equal(bounce.text, new Intl.NumberFormat(loc, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(fraction));
    assert.equal(p.total.text, n(p.total.visits));
    await assertPageIsApi(assert, srv, site, p);
    const forbidden = await page(`?intpc_token=${t}&externalWebsiteId=nope&locale=${loc}`);
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.text, new RegExp(`<html lang="${loc}">`));
    assert.ok(forbidden.text.includes(words.error403), `${loc} 403 page`);
    const bad = await page(`?intpc_token=${t}&externalWebsiteId=acme-shop&locale=${loc}&startDate=2026-02-30`);
    assert.equal(bad.status, 400);
    assert.ok(bad.text.includes(words.error400), `${loc} 400 page`);
  }
  for (const [tag, want] of [['de-AT', 'de'], ['FR_ca', 'fr'], ['pt', 'en'], ['xx-YY', 'en'], ['', 'en'], ['e', 'en']]) {
    const r = await page(`?intpc_token=${t}&externalWebsiteId=acme-shop&locale=${tag}`);
    assert.equal(parsePage(r.text).lang, want, tag);
  }
});

test('the page keeps its links within itself: ranges and languages, with the same credentials', async () => {
  const site = await siteWithHistory(srv);
  const t = await site.token();
  const r = await page(`?intpc_token=${t}&externalWebsiteId=acme-shop&locale=de&timezone=Europe/Berlin`);
  const links = [...r.text.matchAll(/<a href="(\?[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.equal(links.length, 3 + 5, 'three ranges and five languages');
  for (const l of links) {
    const q = new URLSearchParams(l.slice(1));
    assert.equal(q.get('intpc_token'), t);
    assert.equal(q.get('externalWebsiteId'), 'acme-shop');
    assert.equal(q.get('timezone'), 'Europe/Berlin');
    const next = await page(l);
    assert.equal(next.status, 200, l);
  }
  const week = new URLSearchParams(links[0].slice(1));
  assert.equal((Date.parse(week.get('endDate')) - Date.parse(week.get('startDate'))) / 86400e3, 6);
  assert.match(r.text, /aria-current="true"[^>]*>30 Tage</);
});
