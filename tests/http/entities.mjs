// Shared by the partner-resource and subscription tests: partner clients, the shape checks of the
// entities (contract §4, D11, D12), and helpers that create customers, websites and subscriptions.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, dialects, DEMO, DEMO_PRIVATE } from './helpers.mjs';

// A client for one partner of server `srv`: api('GET', '/v2/3as/...', body)
export function partner(srv, id, pem) {
  const token = dialects.node(id, pem);
  const api = (method, p, body, headers) => call(srv.url, method, p, { token, body, headers });
  api.id = id;
  return api;
}

// One server for a test file: before() starts it with the fixture partner (`demo`, website
// subscriptions) and, with { pool: true }, an onboarded intpc-subscription partner (`pool`), and
// hands { srv, demo, pool } to `assign`; after() stops it.
export function servePartners({ pool = false } = {}, assign) {
  let srv;
  before(async () => {
    srv = await startServer();
    const s = { srv, demo: partner(srv, DEMO.id, DEMO_PRIVATE) };
    if (pool) {
      const created = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Pool Partner', subscriptionType: 'intpc' } });
      s.pool = partner(srv, created.json.payload.id, created.json.payload.privateKey);
    }
    assign(s);
  });
  after(async () => { await srv.stop(); });
}

export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const CONSUMPTION = ['stpLimit', 'stpConsumed', 'stpRateVisit', 'stpConsumedVisit', 'stpRateVisitEvent',
  'stpConsumedVisitEvent', 'stpRateSessionRecording', 'stpConsumedSessionRecording', 'stpRateHeatmapIncrement',
  'stpConsumedHeatmapIncrement', 'stpRatePollAnswer', 'stpConsumedPollAnswer', 'stpRateSurveyAnswer',
  'stpConsumedSurveyAnswer', 'stpRateFunnelMatch', 'stpConsumedFunnelMatch'];
let seq = 0;
export const uniq = (prefix) => `${prefix}-${process.pid}-${++seq}`;

export function assertCustomer(c, intpId) {
  assert.deepEqual(Object.keys(c).sort(), ['createdAt', 'email', 'id', 'intpCustomerId', 'intpId', 'visaId']);
  assert.match(c.id, UUID);
  assert.equal(c.visaId, c.id);
  assert.equal(c.intpId, intpId);
  assert.match(c.createdAt, RFC3339);
}

export function assertWebsite(w) {
  for (const k of ['id', 'status', 'intpId', 'intpWebsiteId', 'intpCustomerId', 'domain', 'packageId', 'packageName',
    'billingInterval', 'createdAt', 'expiresAt', 'stpResetAt']) {
    assert.equal(typeof w[k], 'string', `${k} is a string`);
    assert.notEqual(w[k], '', `${k} is not empty`);
  }
  for (const k of ['createdAt', 'expiresAt', 'stpResetAt']) assert.match(w[k], RFC3339);
  assert.match(w.id, UUID);
  assert.match(w.visaCustomerId, UUID);
  assert.ok(['active', 'canceled', 'inactive'].includes(w.status));
  assert.ok(['monthly', 'yearly'].includes(w.billingInterval));
  assert.ok(['website', 'intpc'].includes(w.subscriptionType));
  assert.ok('plannedDowngradePackageInterval' in w && 'plannedDowngradeBillingInterval' in w);
  assert.ok('lastPackageChangeAt' in w && 'plannedDowngradePackageId' in w && 'plannedDowngradePackageName' in w);
  assert.equal(typeof w.inTrial, 'boolean');
  assert.equal(typeof w.hadTrial, 'boolean');
  assert.deepEqual(Object.keys(w.consumption), CONSUMPTION);
  for (const k of CONSUMPTION) assert.equal(typeof w.consumption[k], 'number', k);
  assert.ok(w.visaTrackingCode.includes(`'${w.id}'`) && w.visaTrackingCode.includes(`Tracking Code for ${w.domain}`));
  assert.equal(typeof w.visaMaxPrivacyModeTrackingCode, 'string');
  assert.notEqual(w.visaMaxPrivacyModeTrackingCode, w.visaTrackingCode);
}

export async function packageNamed(api, name, period = 'monthly') {
  const list = (await api('GET', '/v2/3as/packages')).json.payload;
  return list.find((p) => p.name === name && p.period === period);
}

export async function newCustomer(api, extra = {}) {
  const id = uniq('cust');
  const r = await api('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@example.com`, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json.payload;
}

export async function newWebsite(api, intpcId, extra = {}) {
  const id = uniq('site');
  const r = await api('POST', '/v3/3as/websites', { website: { id, domain: `${id}.example.com`, ...extra }, intpc: { id: intpcId } });
  assert.equal(r.status, 201, r.text);
  assertWebsite(r.json.payload);
  return r.json.payload;
}

// ---- subscriptions and the clock (subscriptions.test.mjs, clock.test.mjs) ----

// A fresh server per test keeps the clocks of different tests apart.
export async function withServer(fn, args = []) {
  const srv = await startServer({ args });
  try {
    const pool = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Pool', subscriptionType: 'intpc' } });
    const ctx = {
      srv,
      demo: client(srv, DEMO.id, DEMO_PRIVATE),
      pool: client(srv, pool.json.payload.id, pool.json.payload.privateKey),
    };
    await fn(ctx);
  } finally {
    await srv.stop();
  }
}

function client(srv, id, pem) {
  const api = (method, p, body) => call(srv.url, method, p, { token: dialects.node(id, pem), body });
  api.id = id;
  api.pkg = async (name, period = 'monthly') => (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === name && p.period === period);
  api.clock = (body) => call(srv.url, body ? 'POST' : 'GET', `/__admin/intps/${id}/clock`, { body });
  api.history = async (kind, extId) => (await call(srv.url, 'GET', `/__admin/intps/${id}/${kind}/${extId}/subscription/history`)).json.payload;
  api.usage = (site, body) => call(srv.url, 'POST', `/__admin/intps/${id}/websites/${site}/usage`, { body });
  return api;
}

// A customer with one website (website model), on `packageId` or the free trial.
export async function site(api, packageId) {
  const c = uniq('c');
  const w = `${c}-w`;
  const r = await api('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: w, domain: 'x.io', packageId } });
  assert.equal(r.status, 201, r.text);
  return w;
}
export const website = async (api, id) => (await api('GET', `/v2/3as/websites/${id}`)).json.payload;
export const act = (api, action, body) => api('POST', `/v3/3as/website-subscriptions/${action}`, body);
