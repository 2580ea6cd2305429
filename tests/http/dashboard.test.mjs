// The emulated dashboard page (contract D8, §3.2): who may open it, what it shows, how it
// answers errors. The click on Upgrade is in browser.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, dialects, mint, DEMO, DEMO_PRIVATE } from './helpers.mjs';

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
    assert.match(r.text, /<dd>Basic<\/dd>/);
    assert.match(r.text, /data-status>active</);
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
  assert.equal((de.text.match(/<rect x=/g) || []).length, 7, 'one bar per day');
  const en = await page(`?intpc_token=${t}&externalWebsiteId=shop/1&timezone=Mars/Olympus`);
  assert.match(en.text, /Visits per day/);
  assert.match(en.text, /Times in UTC/, 'an unknown zone falls back to UTC');
  // the chart and the data API count the same visits
  const key = (await api('POST', '/v2/3as/websites/shop%2F1/api-keys', { name: 'cmp' })).json.payload.apiKey;
  const rows = await call(srv.url, 'POST', `/v2/websites/${site.id}/analytics/sessions`, {
    headers: { 'X-Api-Key': key },
    body: { metrics: ['visitCount'], dateRange: { start: '2026-11-01T00:00:00Z', end: '2026-11-07T23:59:59Z' } },
  });
  assert.match(de.text, new RegExp(`data-visits>${rows.json.payload[0]?.visitCount ?? 0}<`));
  assert.equal((await page(`?intpc_token=${t}&externalWebsiteId=shop/1&startDate=2026-13-01`)).status, 400);
});

test('roles: contributors see the page, a watcher gets no Upgrade, a dashboard contributor only shared dashboards', async () => {
  const q = async (who, extra = '') => page(`?intpc_token=${await tokenFor(who)}&externalWebsiteId=shop/1&allowUpgrade=true${extra}`);
  const owner = await q('owner');
  assert.match(owner.text, /data-upgrade/);
  assert.match(owner.text, /UPGRADE_BUTTON_CLICKED/);
  const editor = await q('editor');
  assert.match(editor.text, /data-role>editor</);
  assert.match(editor.text, /data-upgrade/);
  const watcher = await q('watcher');
  assert.equal(watcher.status, 200);
  assert.match(watcher.text, /data-role>watcher</);
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
    assert.match(r.text, /<h1>401/);
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
