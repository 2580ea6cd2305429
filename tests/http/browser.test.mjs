// The dashboard in a real browser (contract D8, §3.2): headless Chromium (Debian's) driven by
// playwright-core loads a partner page on another origin that embeds the dashboard in an iframe,
// clicks Upgrade and receives exactly the UPGRADE_BUTTON_CLICKED message. Then the page alone at
// 1280 and 390 px wide (and 360): the numbers the browser shows are the data API's, nothing
// scrolls sideways, and the screenshots go to tests/out/ and to docs/ (the README's pictures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, call, dialects, mint, DEMO, DEMO_PRIVATE } from './helpers.mjs';
import { parsePage, siteWithHistory, assertPageIsApi } from './dashpage.mjs';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');
const docs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let srv;
let parent;
let browser;
before(async () => {
  srv = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  parent?.close();
  await srv.stop();
});

// A partner's page on its own origin, embedding `src` and recording the messages it receives.
function partnerPage(src) {
  const html = `<!doctype html><html><body><h1>Partner app</h1>
<iframe id="dash" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="900" height="700"></iframe>
<script>window.received = []; addEventListener('message', (e) => window.received.push({ data: e.data, origin: e.origin }));</script>
</body></html>`;
  return new Promise((resolve) => {
    parent = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(html); });
    parent.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${parent.address().port}/`));
  });
}

test('clicking Upgrade in the embedded dashboard posts exactly UPGRADE_BUTTON_CLICKED to the parent', async () => {
  const api = (method, p, body) => call(srv.url, method, p, { token: dialects.node(DEMO.id, DEMO_PRIVATE), body });
  const basic = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === 'Basic' && p.period === 'monthly');
  await api('POST', '/v2/3as/customers', { intpCustomerId: 'acme', email: 'owner@acme.test', website: { intpWebsiteId: 'acme-shop', domain: 'shop.acme.test', packageId: basic.id } });
  const site = (await api('GET', '/v2/3as/websites/acme-shop')).json.payload;
  const token = await mint(srv.url, DEMO.id, { role: 'intpc', intpcId: 'acme' });
  const url = await partnerPage(`${srv.url}/dashboard?intpc_token=${token}&externalWebsiteId=acme-shop&allowUpgrade=true`);

  const page = await browser.newPage({ viewport: { width: 960, height: 780 } });
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
  await page.goto(url);
  const frame = page.frameLocator('#dash');
  await frame.locator('h1').waitFor();
  assert.equal(await frame.locator('h1').textContent(), 'shop.acme.test');
  await frame.locator('[data-upgrade]').click();
  await page.waitForFunction(() => window.received.length > 0, null, { timeout: 10000 });
  const [msg] = await page.evaluate(() => window.received);
  assert.deepEqual(msg.data, {
    type: 'UPGRADE_BUTTON_CLICKED',
    data: {
      intpWebsiteId: 'acme-shop',
      intpCustomerId: 'acme',
      packageName: 'Basic',
      packageId: basic.id,
      inTrial: false,
      expiresAt: site.expiresAt,
      billingInterval: 'monthly',
    },
  });
  assert.equal(msg.origin, new URL(srv.url).origin);
  assert.deepEqual(violations, [], 'the page runs within its Content-Security-Policy');
  fs.mkdirSync(out, { recursive: true });
  await page.screenshot({ path: path.join(out, 'dashboard-embedded.png') });
  assert.ok(fs.statSync(path.join(out, 'dashboard-embedded.png')).size > 1000);
  await page.close();
});

// The page at `width` px: its CSP holds, nothing scrolls sideways, and the numbers the browser
// has are the data API's.
async function openAt(site, qs, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
  const r = await page.goto(`${srv.url}/dashboard${qs}`);
  const scroll = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll.scroll <= scroll.client, `${width} px: the page is ${scroll.scroll} px wide`);
  assert.deepEqual(violations, [], 'the page runs within its Content-Security-Policy');
  return { page, status: r.status() };
}

test('the page at 1280 and 390 px: the data API\'s numbers, no sideways scroll, screenshots', async () => {
  const site = await siteWithHistory(srv);
  const qs = `?intpc_token=${await site.token()}&externalWebsiteId=acme-shop&allowUpgrade=true`;
  fs.mkdirSync(out, { recursive: true });
  for (const [width, file] of [[1280, 'dashboard.png'], [390, 'dashboard-mobile.png'], [360, null]]) {
    const { page } = await openAt(site, qs, width);
    const shown = parsePage(await page.content());
    await assertPageIsApi(assert, srv, site, shown);
    assert.equal(shown.period.visits, 2950, 'the touchpoint period: the recorded visits');
    const charts = await page.evaluate(() => [...document.querySelectorAll('svg.chart')].map((c) => getComputedStyle(c).display));
    assert.deepEqual(charts, width > 720 ? ['block', 'none'] : ['none', 'block'], 'one chart drawing per screen size');
    if (file) {
      await page.screenshot({ path: path.join(out, file), fullPage: true });
      assert.ok(fs.statSync(path.join(out, file)).size > 10000);
      fs.copyFileSync(path.join(out, file), path.join(docs, file));
    }
    await page.close();
  }
  for (const locale of ['de', 'fr', 'es', 'it']) {
    const { page } = await openAt(site, `${qs}&locale=${locale}`, 390);
    await assertPageIsApi(assert, srv, site, parsePage(await page.content()));
    await page.close();
  }
});

test('the error pages are styled, localized, and fit a phone', async () => {
  const site = await siteWithHistory(srv, { usage: null });
  const { page, status } = await openAt(site, `?intpc_token=${await site.token()}&externalWebsiteId=nope&locale=it`, 360);
  assert.equal(status, 403);
  assert.equal(await page.locator('h1').textContent(), '403 Accesso negato');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('main')).borderTopStyle), 'solid', 'its style sheet applies');
  await page.screenshot({ path: path.join(out, 'dashboard-403.png') });
  await page.close();
});
