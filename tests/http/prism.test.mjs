// An independent validator of the OpenAPI document against the real server, in both directions:
// Prism (@stoplight/prism-cli, tests/node_modules) in proxy mode with --errors in front of a
// running mock3as, and a scenario in the shape of the README walkthrough that calls every
// operation of schema/openapi.yaml through it. Prism checks each request against the document
// before forwarding it (a refusal is a problem+json answer that never reaches the mock) and each
// answer of the mock after (a violation is an sl-violations header, or a 500 problem+json with
// --errors). Any of these fails the test, and so does an operation the scenario did not reach.
// Skipped, with the reason printed, only when Prism cannot start on this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, DEMO } from './helpers.mjs';
import { DOC_PATH, OPERATION_IDS, operationOf } from './openapi.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRISM_CLI = path.join(here, '..', 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const START_MS = 25000; // Prism needs ~5 s on this machine to load and resolve the document

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Start `prism proxy DOC upstream --errors`; resolves { url, stop, log } or rejects with why not.
async function startPrism(upstream) {
  if (!fs.existsSync(PRISM_CLI)) throw new Error(`${PRISM_CLI} is not installed (run npm ci in tests/)`);
  const port = await freePort();
  const proc = spawn(process.execPath, [PRISM_CLI, 'proxy', DOC_PATH, upstream, '--errors', '--host', '127.0.0.1',
    '--port', String(port), '--cors', 'false'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let log = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); await exited; };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`Prism printed no "listening" within ${START_MS} ms:\n${log.slice(-2000)}`)); }, START_MS);
    const onData = (d) => {
      log += d;
      if (/Prism is listening on/.test(log)) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, stop, log: () => log });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`Prism exited (${code ?? signal}) before listening:\n${log.slice(-2000)}`)); });
  });
}

test('Prism (proxy, --errors) finds no request or response violation over every operation', { timeout: 60000 }, async (t) => {
  const srv = await startServer();
  let prism;
  try {
    try {
      prism = await startPrism(srv.url);
    } catch (e) {
      const why = `Prism cannot start here: ${e.message.split('\n')[0]}`;
      console.log(why);
      t.skip(why);
      return;
    }
    const violations = [];
    const reached = new Set();
    let requests = 0;

    // One request through Prism; `status` is what the scenario expects of the mock.
    async function px(method, p, { token, apiKey, body, status = 200 } = {}) {
      const headers = {};
      if (token) headers.Authorization = `Bearer ${token}`;
      if (apiKey) headers['X-Api-Key'] = apiKey;
      let payload;
      if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['Content-Type'] = 'application/json';
      }
      requests += 1;
      const res = await fetch(prism.url + p, { method, headers, body: payload });
      const text = await res.text();
      const what = `${method} ${p.split('?')[0]} -> ${res.status}`;
      const op = operationOf(method, prism.url + p);
      if (op) reached.add(op);
      const sl = res.headers.get('sl-violations');
      if (/^application\/problem\+json/.test(res.headers.get('content-type') || '')) {
        violations.push(`${what}: Prism answered for the mock: ${text.slice(0, 800)}`);
      } else if (sl) {
        violations.push(`${what}: ${sl.slice(0, 800)}`);
      } else if (res.status !== status) {
        violations.push(`${what}: the scenario expected ${status}: ${text.slice(0, 300)}`);
      }
      let json;
      try { json = text && /json/.test(res.headers.get('content-type') || '') ? JSON.parse(text) : undefined; } catch { json = undefined; }
      return { status: res.status, json, text };
    }
    const payload = (r) => r.json?.payload;

    // ---- health and the document ----
    await px('GET', '/healthz');
    await px('GET', '/openapi.json');
    await px('GET', '/openapi.yaml');
    await px('GET', '/__admin/health');

    // ---- onboard two partners (website and intpc subscriptions) and mint their tokens ----
    const site = payload(await px('POST', '/__admin/intps', { body: { name: 'Prism Shop Partner', subscriptionType: 'website' }, status: 201 }));
    const pool = payload(await px('POST', '/__admin/intps', { body: { name: 'Prism Pool Partner', subscriptionType: 'intpc' }, status: 201 }));
    await px('GET', '/__admin/intps');
    await px('GET', `/__admin/intps/${site.id}`);
    const mint = async (id, body) => payload(await px('POST', `/__admin/intps/${id}/tokens`, { body, status: 201 })).token;
    const T = await mint(site.id, { role: 'intp' });
    const P = await mint(pool.id, { role: 'intp', ttlSeconds: 600 });
    await px('GET', `/__admin/intps/${site.id}/clock`);
    await px('POST', `/__admin/intps/${site.id}/clock`, { body: { freeze: true } });

    // ---- customers and websites ----
    await px('GET', '/v2/3as/company-details', { token: T });
    await px('POST', '/v2/3as/customers', { token: T, status: 201,
      body: { intpCustomerId: 'acme', email: 'owner@acme.test', website: { intpWebsiteId: 'acme-shop', domain: 'shop.acme.test' } } });
    await px('POST', '/v2/3as/customers', { token: T, status: 201, body: { intpCustomerId: 'bob', email: 'bob@acme.test' } });
    await px('POST', '/v2/3as/customers', { token: T, status: 400, body: { intpCustomerId: 'acme', email: 'again@acme.test' } });
    await px('GET', '/v2/3as/customers?page=0&pageSize=10', { token: T });
    await px('GET', '/v2/3as/customers/acme', { token: T });
    await px('GET', '/v2/3as/customers/nobody', { token: T, status: 404 });
    await px('POST', '/v3/3as/websites', { token: T, status: 201,
      body: { website: { id: 'acme-blog', domain: 'blog.acme.test', package: { id: '', billingDate: '2026-01-15T10:00:00.000Z' } }, intpc: { id: 'acme' }, opts: { uft: false } } });
    await px('POST', '/v2/3as/websites', { token: T, status: 201, body: { intpWebsiteId: 'acme-news', intpCustomerId: 'acme', domain: 'news.acme.test' } });
    await px('GET', '/v2/3as/websites?page=0&pageSize=10&externalCustomerId=acme', { token: T });
    const shop = payload(await px('GET', '/v2/3as/websites/acme-shop', { token: T }));
    await px('GET', `/v2/3as/internal/websites/${shop.id}`, { token: T });

    // ---- whitelisted domains, API keys, login, contributors ----
    const WL = '/v2/3as/websites/acme-shop/whitelisted-domains';
    await px('POST', WL, { token: T, body: { domain: 'cdn.acme.test' }, status: 204 });
    await px('POST', WL, { token: T, body: { domain: 'old.acme.test' }, status: 204 });
    await px('POST', WL, { token: T, body: { domain: 'new.acme.test' }, status: 204 });
    await px('GET', WL, { token: T });
    await px('PATCH', WL, { token: T, body: { domain: 'cdn.acme.test' }, status: 204 });
    await px('PATCH', `${WL}/`, { token: T, body: { domain: 'new.acme.test' }, status: 204 }); // node's form
    await px('DELETE', `${WL}/old.acme.test`, { token: T, status: 204 });
    const AK = '/v2/3as/websites/acme-shop/api-keys';
    const key = payload(await px('POST', AK, { token: T, body: { name: 'reporting', comment: 'nightly export' }, status: 201 }));
    await px('GET', AK, { token: T });
    const login = payload(await px('POST', '/v2/3as/api-keys/login', { body: { apiKey: key.apiKey, websiteId: shop.id } }));
    await px('POST', '/v2/3as/api-keys/login', { body: { apiKey: 'twpl-00000000000000000000', websiteId: shop.id }, status: 401 });
    const CO = '/v3/3as/websites/acme-shop/contributors';
    await px('POST', CO, { token: T, body: { intpCustomerId: 'bob', role: 'editor' }, status: 204 });
    await px('GET', CO, { token: T });

    // ---- the dashboard: the Node/PHP form, the Go form (trailing slash), the API-key login ----
    const bobToken = await mint(site.id, { role: 'intpc', intpcId: 'bob' });
    await px('GET', `/dashboard?intpc_token=${bobToken}&externalWebsiteId=acme-shop&locale=de&allowUpgrade=true`);
    await px('GET', `/dashboard/?externalWebsiteId=acme-shop&intpc_token=${bobToken}`);
    await px('GET', `/dashboard?websiteToken=${login.refreshToken}`);
    await px('DELETE', `${CO}/bob`, { token: T, status: 204 });

    // ---- the data API (X-Api-Key) ----
    const day = (d) => new Date(Date.now() - d * 86400000).toISOString().slice(0, 10);
    const dateRange = { start: `${day(7)}T00:00:00Z`, end: `${day(1)}T23:59:59Z` };
    const previousDateRange = { start: `${day(14)}T00:00:00Z`, end: `${day(8)}T23:59:59Z` };
    await px('POST', `/v2/websites/${shop.id}/analytics/sessions`, { apiKey: key.apiKey,
      body: { metrics: ['visitCount', 'bounceRate'], dimensions: ['date'], dateRange, previousDateRange, pagination: { page: 1, pageSize: 10 } } });
    await px('POST', `/v2/websites/${shop.id}/analytics/pages`, { apiKey: key.apiKey,
      body: { metrics: ['pageviewCount'], dimensions: ['pageUrl'], order: [{ member: 'pageviewCount', direction: 'desc' }], dateRange } });
    await px('POST', `/v2/websites/${shop.id}/sessions`, { apiKey: key.apiKey,
      body: { dateRange, fields: ['id', 'startedAt', 'entryPage'], where: { and: [{ member: 'deviceType', operator: 'eq', values: ['mobile'] }] }, pagination: { page: 1, pageSize: 5 } } });
    await px('DELETE', `${AK}/${key.id}`, { token: T, status: 204 });

    // ---- packages and assignments ----
    const packages = payload(await px('GET', '/v2/3as/packages', { token: T }));
    await px('GET', '/v2/3as/packages/', { token: T }); // go-old's form
    const basic = packages.find((p) => p.name === 'Basic' && p.period === 'monthly');
    const free = packages.find((p) => p.name === 'Free' && p.period === 'monthly');
    await px('GET', `/v2/3as/packages/${basic.id}`, { token: T });
    const agency = payload(await px('POST', '/v2/3as/packages', { token: T, status: 201,
      body: { name: 'Agency', touchpoints: 1500, price: 100, currency: 'USD', period: 'monthly', visibility: 'restricted', externalId: 'agency-1' } }));
    await px('PATCH', `/v2/3as/packages/${agency.id}`, { token: T, body: { name: 'Agency Plus' } });
    await px('PUT', `/v3/3as/packages/${agency.id}/assignments/acme-blog`, { token: T, body: [], status: 204 }); // php sends []
    await px('PUT', `/v3/3as/packages/${agency.id}/assignments/acme-news`, { token: T, status: 204 });
    await px('GET', '/v2/3as/packages?intpWebsiteId=acme-blog', { token: T });
    await px('DELETE', `/v3/3as/packages/${agency.id}/assignments/acme-news`, { token: T, status: 204 });

    // ---- subscription actions (website model), the clock, history, usage ----
    const WS = '/v3/3as/website-subscriptions';
    await px('POST', `${WS}/upgrade`, { token: T, body: { intpWebsiteId: 'acme-shop', packageId: basic.id, trial: false, proRate: true } });
    await px('POST', `${WS}/downgrade`, { token: T, body: { intpWebsiteId: 'acme-shop', packageId: free.id } });
    await px('POST', `${WS}/cancel`, { token: T, body: { intpWebsiteId: 'acme-shop' } });
    await px('POST', `${WS}/resume`, { token: T, body: { intpWebsiteId: 'acme-shop' } });
    await px('POST', `${WS}/deactivate`, { token: T, body: { intpWebsiteId: 'acme-shop' } });
    await px('POST', `${WS}/reactivate`, { token: T, body: { intpWebsiteId: 'acme-shop', packageId: basic.id } });
    await px('POST', `${WS}/upgrade`, { token: T, body: { intpWebsiteId: 'acme-blog', packageId: agency.id } });
    await px('POST', '/v2/3as/notifications/subscriptions/upgrade', { token: T, body: { intpWebsiteId: 'acme-news', packageId: basic.id } });
    await px('POST', '/v2/3as/notifications/subscriptions/cancel', { token: T, body: { intpWebsiteId: 'acme-news', freePackageId: free.id } });
    await px('POST', `/__admin/intps/${site.id}/clock`, { body: { advanceBy: 'P1M' } });
    await px('POST', `/__admin/intps/${site.id}/websites/acme-shop/usage`, { body: { visits: 100, sessionRecordings: 2 } });
    await px('GET', `/__admin/intps/${site.id}/websites/acme-shop/subscription/history`);

    // ---- the intpc model: a customer's pool ----
    await px('POST', '/v2/3as/customers', { token: P, status: 201,
      body: { intpCustomerId: 'pool-1', email: 'pool@acme.test', website: { intpWebsiteId: 'pool-site', domain: 'pool.acme.test' } } });
    const poolBasic = payload(await px('GET', '/v2/3as/packages', { token: P })).find((p) => p.name === 'Basic' && p.period === 'monthly');
    await px('POST', '/v3/3as/intpc-subscriptions/upgrade', { token: P, body: { intpcId: 'pool-1', packageId: poolBasic.id, trial: false, proRate: false } });
    await px('GET', `/__admin/intps/${pool.id}/customers/pool-1/subscription/history`);
    await px('POST', '/v3/3as/intpc-subscriptions/deactivate', { token: P, body: { intpcId: 'pool-1' } });

    // ---- snapshots and the backup ----
    const snap = payload(await px('GET', `/__admin/intps/${site.id}/snapshot`));
    await px('POST', `/__admin/intps/${site.id}/snapshot`, { body: snap });
    await px('POST', '/__admin/snapshots?id=prism-copy', { body: snap, status: 201 });
    await px('GET', '/__admin/backup');

    // ---- fault injection: a rule, the status it injects, its removal ----
    const rule = payload(await px('POST', `/__admin/intps/${site.id}/faults`, { body: { match: { method: 'GET', route: '/v2/3as/packages' }, fault: { status: 503, retryAfter: 2 }, times: 1, seed: 7 }, status: 201 }));
    await px('GET', `/__admin/intps/${site.id}/faults`);
    await px('GET', '/v2/3as/packages', { token: T, status: 503 });
    await px('DELETE', `/__admin/intps/${site.id}/faults/${rule.id}`, { status: 204 });
    await px('DELETE', `/__admin/intps/${site.id}/faults`, { status: 204 });

    // ---- the request journal and the metrics ----
    const journal = payload(await px('GET', `/__admin/requests?intpId=${site.id}&status=2xx&limit=5`));
    await px('GET', `/__admin/requests/${journal[0].requestId}`);
    await px('GET', '/__admin/requests/unmatched?limit=3');
    await px('POST', '/__admin/requests/count', { body: { route: '/v2/3as/packages', status: '2xx' } });
    await px('POST', '/__admin/requests/find', { body: { method: 'POST', bodyJson: { intpWebsiteId: 'acme-shop' }, limit: 2 } });
    await px('GET', '/metrics');
    await px('DELETE', `/__admin/requests?intpId=${site.id}`);

    // ---- deletions and resets ----
    await px('DELETE', '/v2/3as/websites/acme-news', { token: T });
    await px('DELETE', '/v2/3as/customers/bob', { token: T });
    await px('POST', `/__admin/intps/${site.id}/reset`, { body: [] });
    await px('DELETE', `/__admin/intps/${pool.id}`);
    await px('POST', '/__admin/reset');
    await px('GET', `/__admin/intps/${DEMO.id}`);

    const missed = OPERATION_IDS.filter((id) => !reached.has(id));
    t.diagnostic(`${requests} requests through Prism, ${reached.size} of ${OPERATION_IDS.length} operations`);
    assert.deepEqual(missed, [], 'operations the scenario did not reach');
    assert.ok(violations.length === 0, `${violations.length} violations through Prism:\n${violations.join('\n')}`);
  } finally {
    await prism?.stop();
    await srv.stop();
  }
});
