// The dashboard in a real browser (contract D8, §3.2): headless Chromium (Debian's) driven by
// playwright-core loads a partner page on another origin that embeds the dashboard in an iframe,
// clicks Upgrade and receives exactly the UPGRADE_BUTTON_CLICKED message. A screenshot is saved
// under tests/out/ (the README's picture comes from it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, call, dialects, mint, DEMO, DEMO_PRIVATE } from './helpers.mjs';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');
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
  await page.screenshot({ path: path.join(out, 'dashboard.png') });
  assert.ok(fs.statSync(path.join(out, 'dashboard.png')).size > 1000);
  await page.close();
});
