// Partner API resources (contract §4, §5.2–§5.7, D1, D2, D4, D10–D12): customers, websites,
// whitelisted domains, API keys, contributors and packages, as the official SDKs call them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, dialects, assertError, DEMO, DEMO_PRIVATE } from './helpers.mjs';

let srv;
let demo; // website-subscription partner (the fixture)
let pool; // intpc-subscription partner
before(async () => {
  srv = await startServer();
  demo = partner(DEMO.id, DEMO_PRIVATE);
  const created = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Pool Partner', subscriptionType: 'intpc' } });
  pool = partner(created.json.payload.id, created.json.payload.privateKey);
});
after(async () => { await srv.stop(); });

// A client for one partner: api('GET', '/v2/3as/...', body)
function partner(id, pem) {
  const token = dialects.node(id, pem);
  const api = (method, p, body, headers) => call(srv.url, method, p, { token, body, headers });
  api.id = id;
  return api;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CONSUMPTION = ['stpLimit', 'stpConsumed', 'stpRateVisit', 'stpConsumedVisit', 'stpRateVisitEvent',
  'stpConsumedVisitEvent', 'stpRateSessionRecording', 'stpConsumedSessionRecording', 'stpRateHeatmapIncrement',
  'stpConsumedHeatmapIncrement', 'stpRatePollAnswer', 'stpConsumedPollAnswer', 'stpRateSurveyAnswer',
  'stpConsumedSurveyAnswer', 'stpRateFunnelMatch', 'stpConsumedFunnelMatch'];
let seq = 0;
const uniq = (prefix) => `${prefix}-${process.pid}-${++seq}`;

function assertCustomer(c, intpId) {
  assert.deepEqual(Object.keys(c).sort(), ['createdAt', 'email', 'id', 'intpCustomerId', 'intpId', 'visaId']);
  assert.match(c.id, UUID);
  assert.equal(c.visaId, c.id);
  assert.equal(c.intpId, intpId);
  assert.match(c.createdAt, RFC3339);
}

function assertWebsite(w) {
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

async function packageNamed(api, name, period = 'monthly') {
  const list = (await api('GET', '/v2/3as/packages')).json.payload;
  return list.find((p) => p.name === name && p.period === period);
}

async function newCustomer(api, extra = {}) {
  const id = uniq('cust');
  const r = await api('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@example.com`, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json.payload;
}

async function newWebsite(api, intpcId, extra = {}) {
  const id = uniq('site');
  const r = await api('POST', '/v3/3as/websites', { website: { id, domain: `${id}.example.com`, ...extra }, intpc: { id: intpcId } });
  assert.equal(r.status, 201, r.text);
  assertWebsite(r.json.payload);
  return r.json.payload;
}

// ---- customers ----

test('a customer without a website: create, read, list', async () => {
  const c = await newCustomer(demo);
  assertCustomer(c, demo.id);
  const got = await demo('GET', `/v2/3as/customers/${c.intpCustomerId}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.json.payload, c);
  const list = await demo('GET', '/v2/3as/customers?page=0&pageSize=100');
  assert.ok(list.json.payload.some((x) => x.id === c.id));
  assert.deepEqual(Object.keys(list.json.meta).sort(), ['page', 'pageSize', 'pageTotal', 'total']);
});

test('a customer with a website and no package gets the 30-day free trial (D4)', async () => {
  const id = uniq('cust');
  const r = await demo('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@x.io`, website: { intpWebsiteId: `${id}-w`, domain: 'shop.example.com' } });
  assert.equal(r.status, 201, r.text);
  const w = (await demo('GET', `/v2/3as/websites/${id}-w`)).json.payload;
  assertWebsite(w);
  assert.equal(w.packageName, 'unlimited_30_day_free_trial');
  assert.equal(w.inTrial, true);
  assert.equal(w.status, 'active');
  assert.equal(w.subscriptionType, 'website');
  assert.equal(w.intpCustomerId, id);
  assert.equal(w.visaCustomerId, r.json.payload.id);
  assert.equal(w.consumption.stpLimit, -1);
  assert.equal(Date.parse(w.expiresAt) - Date.parse(w.createdAt), 30 * 86400 * 1000);
  assert.equal(w.plannedDowngradePackageId, null);
  assert.equal(w.plannedDowngradePackageInterval, null);
  assert.equal(w.plannedDowngradeBillingInterval, null);
});

test('a website package and billing date set the period, anchored on the billing day', async () => {
  const basic = await packageNamed(demo, 'Basic');
  const c = await newCustomer(demo, { website: { intpWebsiteId: uniq('w'), domain: 'a.io', packageId: basic.id, billingDate: '2026-01-31T10:00:00Z' } });
  const w = (await demo('GET', `/v2/3as/websites?externalCustomerId=${c.intpCustomerId}`)).json.payload[0];
  assert.equal(w.packageId, basic.id);
  assert.equal(w.packageName, 'Basic');
  assert.equal(w.inTrial, false);
  assert.equal(w.consumption.stpLimit, 11000);
  const exp = new Date(w.expiresAt);
  assert.ok(exp > new Date(), 'the period ends in the future');
  const day = exp.getUTCDate();
  const last = new Date(Date.UTC(exp.getUTCFullYear(), exp.getUTCMonth() + 1, 0)).getUTCDate();
  assert.equal(day, Math.min(31, last), 'the 31st, or the month end');
  assert.equal(exp.getUTCHours(), 10);
  assert.equal(w.stpResetAt, w.expiresAt);
});

test('a yearly package renews yearly and resets touchpoints monthly', async () => {
  const yearly = await packageNamed(demo, 'Advanced', 'yearly');
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId, { package: { id: yearly.id, billingDate: '2026-03-15T00:00:00Z' } });
  assert.equal(w.billingInterval, 'yearly');
  assert.equal(w.expiresAt, '2027-03-15T00:00:00Z');
  assert.match(w.stpResetAt, /^\d{4}-\d\d-15T00:00:00Z$/);
  assert.ok(w.stpResetAt < w.expiresAt);
});

test('packageId placement follows the partner model (400) and writes nothing', async () => {
  const basic = await packageNamed(demo, 'Basic');
  const id = uniq('cust');
  const wrong = await demo('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@x.io`, packageId: basic.id });
  assertError(assert, wrong, 400);
  assert.equal(wrong.json.field, 'packageId');
  assertError(assert, await demo('GET', `/v2/3as/customers/${id}`), 404);
  const pro = await packageNamed(pool, 'Pro');
  const wrong2 = await pool('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@x.io`, packageId: pro.id, website: { intpWebsiteId: `${id}-w`, domain: 'x.io', packageId: pro.id } });
  assertError(assert, wrong2, 400);
  assert.equal(wrong2.json.field, 'website.packageId');
  assertError(assert, await pool('GET', `/v2/3as/customers/${id}`), 404);
});

test('the go-new empty website object means no website', async () => {
  const id = uniq('cust');
  const r = await demo('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@x.io`, billingDate: new Date().toISOString(), website: { intpWebsiteId: '', domain: '' } });
  assert.equal(r.status, 201, r.text);
  assert.equal((await demo('GET', `/v2/3as/websites?externalCustomerId=${id}`)).json.meta.total, 0);
});

test('duplicates within a partner are 400 naming the field; another partner may reuse them', async () => {
  const c = await newCustomer(demo, { website: { intpWebsiteId: uniq('dup-w'), domain: 'd.io' } });
  const dupId = await demo('POST', '/v2/3as/customers', { intpCustomerId: c.intpCustomerId, email: 'other@x.io' });
  assertError(assert, dupId, 400);
  assert.equal(dupId.json.field, 'intpCustomerId');
  const dupMail = await demo('POST', '/v2/3as/customers', { intpCustomerId: uniq('c'), email: c.email.toUpperCase() });
  assertError(assert, dupMail, 400);
  assert.equal(dupMail.json.field, 'email');
  const w = (await demo('GET', `/v2/3as/websites?externalCustomerId=${c.intpCustomerId}`)).json.payload[0];
  const dupSite = await demo('POST', '/v2/3as/websites', { intpWebsiteId: w.intpWebsiteId, intpCustomerId: c.intpCustomerId, domain: 'e.io' });
  assertError(assert, dupSite, 400);
  assert.equal(dupSite.json.field, 'intpWebsiteId');
  const dupV3 = await demo('POST', '/v3/3as/websites', { website: { id: w.intpWebsiteId, domain: 'e.io' }, intpc: { id: c.intpCustomerId } });
  assert.equal(dupV3.json.field, 'website.id');
  const other = await pool('POST', '/v2/3as/customers', { intpCustomerId: c.intpCustomerId, email: c.email });
  assert.equal(other.status, 201, 'ids are per partner');
});

test('the same create sent 5 times at once succeeds exactly once', async () => {
  const id = uniq('race');
  const body = { intpCustomerId: id, email: `${id}@x.io`, website: { intpWebsiteId: `${id}-w`, domain: 'race.io' } };
  const results = await Promise.all([1, 2, 3, 4, 5].map(() => demo('POST', '/v2/3as/customers', body)));
  const codes = results.map((r) => r.status).sort();
  assert.deepEqual(codes, [201, 400, 400, 400, 400]);
  assert.equal((await demo('GET', `/v2/3as/websites?externalCustomerId=${id}`)).json.meta.total, 1);
});

test('deleting a customer returns it and removes its websites', async () => {
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId);
  const del = await demo('DELETE', `/v2/3as/customers/${c.intpCustomerId}`);
  assert.equal(del.status, 200);
  assert.deepEqual(del.json.payload, c);
  assertError(assert, await demo('GET', `/v2/3as/customers/${c.intpCustomerId}`), 404, 'customer not found');
  assertError(assert, await demo('GET', `/v2/3as/websites/${w.intpWebsiteId}`), 404, 'website not found');
  assertError(assert, await demo('GET', `/v2/3as/internal/websites/${w.id}`), 404);
  assertError(assert, await demo('DELETE', `/v2/3as/customers/${c.intpCustomerId}`), 404);
});

test('customer bodies are validated', async () => {
  const cases = [
    [{ email: 'a@b.io' }, 'intpCustomerId'],
    [{ intpCustomerId: 'x' }, 'email'],
    [{ intpCustomerId: 'x', email: 'not-an-email' }, 'email'],
    [{ intpCustomerId: 7, email: 'a@b.io' }, 'intpCustomerId'],
    [{ intpCustomerId: 'x'.repeat(256), email: 'a@b.io' }, 'intpCustomerId'],
    [{ intpCustomerId: 'x', email: 'a@b.io', billingDate: 'yesterday' }, 'billingDate'],
    [{ intpCustomerId: 'x', email: 'a@b.io', website: 'w1' }, 'website'],
    [{ intpCustomerId: 'x', email: 'a@b.io', website: { intpWebsiteId: 'w' } }, 'website.domain'],
    [{ intpCustomerId: 'x', email: 'a@b.io', website: { intpWebsiteId: 'w', domain: 'a b' } }, 'website.domain'],
  ];
  for (const [body, field] of cases) {
    const r = await demo('POST', '/v2/3as/customers', body);
    assertError(assert, r, 400);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  const bad = await fetch(`${srv.url}/v2/3as/customers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${dialects.node(DEMO.id, DEMO_PRIVATE)}`, 'Content-Type': 'application/json' },
    body: Buffer.concat([Buffer.from('{"intpCustomerId":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","email":"a@b.io"}')]),
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).field, 'intpCustomerId');
  assertError(assert, await demo('POST', '/v2/3as/customers', 'intpCustomerId=x', { 'Content-Type': 'text/plain' }), 415);
});

// ---- websites ----

test('v3 create: package, uft, the go-new empty package, and the errors', async () => {
  const c = await newCustomer(demo);
  const basic = await packageNamed(demo, 'Basic');
  const withPkg = await newWebsite(demo, c.intpCustomerId, { package: { id: basic.id, billingDate: new Date().toISOString() }, privacyLevel: 0 });
  assert.equal(withPkg.packageName, 'Basic');
  const id = uniq('site');
  const uft = await demo('POST', '/v3/3as/websites', { website: { id, domain: 'u.io' }, intpc: { id: c.intpCustomerId }, opts: { uft: true } });
  assert.equal(uft.status, 201);
  assert.equal(uft.json.payload.packageName, 'unlimited_30_day_free_trial');
  const goNew = await demo('POST', '/v3/3as/websites', { website: { id: uniq('site'), domain: 'g.io', package: { id: '', billingDate: new Date().toISOString() } }, intpc: { id: c.intpCustomerId }, opts: { uft: false } });
  assert.equal(goNew.status, 201);
  assert.equal(goNew.json.payload.inTrial, true);
  const both = await demo('POST', '/v3/3as/websites', { website: { id: uniq('site'), domain: 'b.io', package: { id: basic.id } }, intpc: { id: c.intpCustomerId }, opts: { uft: true } });
  assertError(assert, both, 400);
  assert.equal(both.json.field, 'opts.uft');
  const noCustomer = await demo('POST', '/v3/3as/websites', { website: { id: uniq('site'), domain: 'n.io' }, intpc: { id: 'nobody' } });
  assertError(assert, noCustomer, 404, 'customer not found');
  assert.equal(noCustomer.json.field, 'intpc.id');
  const noPkg = await demo('POST', '/v3/3as/websites', { website: { id: uniq('site'), domain: 'n.io', package: { id: 'no-such-package' } }, intpc: { id: c.intpCustomerId } });
  assertError(assert, noPkg, 404, 'package not found');
  const notObject = await demo('POST', '/v3/3as/websites', { website: [], intpc: { id: c.intpCustomerId } });
  assertError(assert, notObject, 400);
});

test('v2 create (legacy): 201 active Website, trial without a package', async () => {
  const c = await newCustomer(demo);
  const r = await demo('POST', '/v2/3as/websites', { intpWebsiteId: uniq('v2'), intpCustomerId: c.intpCustomerId, domain: 'domain.example.com', packageId: '', billingDate: '' });
  assert.equal(r.status, 201, r.text);
  assertWebsite(r.json.payload);
  assert.equal(r.json.payload.status, 'active');
  assert.equal(r.json.payload.inTrial, true);
  const missing = await demo('POST', '/v2/3as/websites', { intpWebsiteId: uniq('v2'), domain: 'x.io' });
  assert.equal(missing.json.field, 'intpCustomerId');
});

test('intpc model: websites share the customer pool and carry no package', async () => {
  const pro = await packageNamed(pool, 'Pro');
  const id = uniq('pc');
  const r = await pool('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@x.io`, packageId: pro.id, website: { intpWebsiteId: `${id}-a`, domain: 'a.io' } });
  assert.equal(r.status, 201, r.text);
  const second = await newWebsite(pool, id);
  const first = (await pool('GET', `/v2/3as/websites/${id}-a`)).json.payload;
  for (const w of [first, second]) {
    assert.equal(w.packageId, pro.id);
    assert.equal(w.subscriptionType, 'intpc');
    assert.equal(w.consumption.stpLimit, -1);
    assert.equal(w.expiresAt, first.expiresAt);
  }
  const withPkg = await pool('POST', '/v3/3as/websites', { website: { id: uniq('s'), domain: 'p.io', package: { id: pro.id } }, intpc: { id } });
  assertError(assert, withPkg, 400);
  assert.equal(withPkg.json.field, 'website.package.id');
  const uft = await pool('POST', '/v3/3as/websites', { website: { id: uniq('s'), domain: 'p.io' }, intpc: { id }, opts: { uft: true } });
  assertError(assert, uft, 400);
  const noPkg = await pool('POST', '/v2/3as/customers', { intpCustomerId: uniq('pc'), email: `${uniq('m')}@x.io` });
  assert.equal(noPkg.status, 201, 'an intpc customer without packageId starts on the trial');
});

test('website lists paginate with meta', async () => {
  const c = await newCustomer(demo);
  for (let i = 0; i < 3; i++) await newWebsite(demo, c.intpCustomerId);
  const q = (s) => demo('GET', `/v2/3as/websites?externalCustomerId=${c.intpCustomerId}&${s}`);
  let r = await q('page=0&pageSize=2');
  assert.deepEqual(r.json.meta, { page: 0, pageSize: 2, pageTotal: 2, total: 3 });
  assert.equal(r.json.payload.length, 2);
  const last = await q('page=1&pageSize=2');
  assert.equal(last.json.payload.length, 1, 'last page');
  assert.notEqual(last.json.payload[0].id, r.json.payload[0].id);
  r = await q('page=5&pageSize=2');
  assert.deepEqual(r.json.payload, [], 'empty page past the end');
  r = await q('pageSize=100');
  assert.equal(r.json.payload.length, 3);
  assert.equal(r.json.meta.pageSize, 100);
  r = await demo('GET', `/v2/3as/websites?externalCustomerId=${c.intpCustomerId}`);
  assert.equal(r.json.meta.pageSize, 10, 'default page size');
  const ids = r.json.payload.map((w) => w.intpWebsiteId);
  assert.deepEqual(ids, [...ids].sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())), 'creation order');
  for (const bad of ['pageSize=0', 'pageSize=101', 'pageSize=abc', 'page=-1']) {
    const e = await q(bad);
    assertError(assert, e, 400);
    assert.equal(e.json.field, bad.split('=')[0]);
  }
  assertError(assert, await demo('GET', '/v2/3as/websites?externalCustomerId=nobody'), 404);
  assertError(assert, await demo('GET', '/v2/3as/customers?pageSize=500'), 400);
});

test('another partner\'s ids behave as unknown (404) and never leak', async () => {
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId);
  assertError(assert, await pool('GET', `/v2/3as/customers/${c.intpCustomerId}`), 404);
  assertError(assert, await pool('GET', `/v2/3as/websites/${w.intpWebsiteId}`), 404);
  assertError(assert, await pool('GET', `/v2/3as/internal/websites/${w.id}`), 404);
  assertError(assert, await pool('DELETE', `/v2/3as/websites/${w.intpWebsiteId}`), 404);
  assertError(assert, await pool('GET', `/v2/3as/websites/${w.intpWebsiteId}/api-keys`), 404);
  const basic = await packageNamed(demo, 'Basic');
  assertError(assert, await pool('GET', `/v2/3as/packages/${basic.id}`), 404);
  const list = (await pool('GET', '/v2/3as/websites?pageSize=100')).json.payload;
  assert.ok(!list.some((x) => x.id === w.id));
  assert.equal((await demo('GET', `/v2/3as/websites/${w.intpWebsiteId}`)).status, 200, 'still there');
});

test('deleting a website returns it; the internal route reads by uuid', async () => {
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId);
  const internal = await demo('GET', `/v2/3as/internal/websites/${w.id}`);
  assert.equal(internal.status, 200);
  assert.equal(internal.json.payload.intpWebsiteId, w.intpWebsiteId);
  const del = await demo('DELETE', `/v2/3as/websites/${w.intpWebsiteId}`);
  assert.equal(del.status, 200);
  assert.equal(del.json.payload.id, w.id);
  assertError(assert, await demo('GET', `/v2/3as/websites/${w.intpWebsiteId}`), 404);
  assert.equal((await demo('GET', `/v2/3as/customers/${c.intpCustomerId}`)).status, 200, 'the owner stays');
});

// ---- whitelisted domains ----

test('whitelisted domains: add, list, remove by PATCH (with or without slash) and old DELETE', async () => {
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId);
  const base = `/v2/3as/websites/${w.intpWebsiteId}/whitelisted-domains`;
  for (const d of ['google.com', 'example.org', 'google.com', 'a.b/c']) {
    const r = await demo('POST', base, { domain: d });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
  }
  assert.deepEqual((await demo('GET', base)).json.payload, ['google.com', 'example.org', 'a.b/c']);
  assert.equal((await demo('PATCH', `${base}/`, { domain: 'google.com' })).status, 204, 'node: trailing slash');
  assert.equal((await demo('PATCH', base, { domain: 'notactuallywhitelisted.com' })).status, 204);
  assert.equal((await demo('DELETE', `${base}/${encodeURIComponent('a.b/c')}`)).status, 204);
  assert.deepEqual((await demo('GET', base)).json.payload, ['example.org']);
  const bad = await demo('POST', base, { domain: '' });
  assertError(assert, bad, 400);
  assert.equal(bad.json.field, 'domain');
  assertError(assert, await demo('POST', base, { domain: '<script>' }), 400);
  assertError(assert, await demo('GET', '/v2/3as/websites/nope/whitelisted-domains'), 404);
});

// ---- API keys ----

test('API keys: shown once, only a hash kept, listed without the key, deleted for good', async () => {
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId);
  const base = `/v2/3as/websites/${w.intpWebsiteId}/api-keys`;
  const a = await demo('POST', base, { name: 'ci' });
  assert.equal(a.status, 201, a.text);
  const k = a.json.payload;
  assert.match(k.apiKey, /^twpl-[A-Za-z0-9]{20}$/);
  assert.match(k.id, UUID);
  assert.equal(k.comment, '');
  assert.equal(k.expiresAt, null);
  assert.equal(k.intpWebsiteId, w.intpWebsiteId);
  assert.equal(k.intpCustomerId, c.intpCustomerId);
  assert.match(k.createdAt, RFC3339);
  const future = new Date(Date.now() + 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  const b = await demo('POST', base, { name: 'rotating', comment: 'for the dashboard', expiresAt: future });
  assert.equal(b.json.payload.expiresAt, future);
  assert.notEqual(b.json.payload.apiKey, k.apiKey);
  const list = (await demo('GET', base)).json.payload;
  assert.deepEqual(list.map((x) => x.id), [k.id, b.json.payload.id]);
  for (const x of list) assert.ok(!('apiKey' in x));
  assert.equal((await demo('DELETE', `${base}/${k.id}`)).status, 204);
  assertError(assert, await demo('DELETE', `${base}/${k.id}`), 404, 'api key not found');
  assert.deepEqual((await demo('GET', base)).json.payload.map((x) => x.id), [b.json.payload.id]);
  const past = await demo('POST', base, { name: 'old', expiresAt: '2020-01-01T00:00:00Z' });
  assertError(assert, past, 400);
  assert.equal(past.json.field, 'expiresAt');
  assertError(assert, await demo('POST', base, { comment: 'no name' }), 400);
});

// ---- contributors ----

test('contributors: one role each, replaced on re-add; the owner cannot be added', async () => {
  const owner = await newCustomer(demo);
  const helper = await newCustomer(demo);
  const w = await newWebsite(demo, owner.intpCustomerId);
  const base = `/v3/3as/websites/${w.intpWebsiteId}/contributors`;
  const empty = (await demo('GET', base)).json.payload;
  assert.deepEqual(empty, { owner: { intpCustomerId: owner.intpCustomerId, email: owner.email }, contributors: { editor: [], watcher: [], dashboard: [] } });
  assert.equal((await demo('POST', base, { intpCustomerId: helper.intpCustomerId, role: 'editor' })).status, 204);
  assert.equal((await demo('POST', base, { intpCustomerId: helper.intpCustomerId, role: 'watcher' })).status, 204);
  const one = (await demo('GET', base)).json.payload.contributors;
  assert.deepEqual(one, { editor: [], watcher: [{ intpCustomerId: helper.intpCustomerId, email: helper.email }], dashboard: [] });
  assertError(assert, await demo('POST', base, { intpCustomerId: owner.intpCustomerId, role: 'editor' }), 400);
  const role = await demo('POST', base, { intpCustomerId: helper.intpCustomerId, role: 'admin' });
  assertError(assert, role, 400);
  assert.equal(role.json.field, 'role');
  assertError(assert, await demo('POST', base, { intpCustomerId: 'nobody', role: 'editor' }), 404, 'customer not found');
  assert.equal((await demo('DELETE', `${base}/${helper.intpCustomerId}`)).status, 204);
  assertError(assert, await demo('DELETE', `${base}/${helper.intpCustomerId}`), 404, 'contributor not found');
  assert.equal((await demo('GET', base)).json.payload.contributors.watcher.length, 0);
});

test('deleting a contributing customer ends its role', async () => {
  const owner = await newCustomer(demo);
  const helper = await newCustomer(demo);
  const w = await newWebsite(demo, owner.intpCustomerId);
  const base = `/v3/3as/websites/${w.intpWebsiteId}/contributors`;
  await demo('POST', base, { intpCustomerId: helper.intpCustomerId, role: 'dashboard' });
  await demo('DELETE', `/v2/3as/customers/${helper.intpCustomerId}`);
  assert.deepEqual((await demo('GET', base)).json.payload.contributors.dashboard, []);
});

// ---- packages ----

test('the package catalogue: defaults, no meta, numbers typed as the SDKs need', async () => {
  const r = await demo('GET', '/v2/3as/packages/');
  assert.equal(r.status, 200, 'go-old asks with a trailing slash');
  assert.ok(!('meta' in r.json));
  const list = r.json.payload;
  assert.ok(list.length >= 21);
  const basic = list.find((p) => p.name === 'Basic' && p.period === 'monthly');
  assert.equal(basic.price, 12.99);
  assert.equal(basic.touchpoints, 11000);
  assert.equal(basic.currency, 'EUR');
  assert.equal(list.find((p) => p.name === 'Basic' && p.period === 'yearly').price, 124.68);
  assert.ok(list.some((p) => p.name === 'unlimited_30_day_free_trial'));
  for (const p of list) {
    assert.ok(Number.isInteger(p.touchpoints));
    assert.equal(typeof p.price, 'number');
    assert.match(p.createdAt, RFC3339);
    assert.ok(Array.isArray(p.restrictedTo));
    assert.equal(p.intpId, demo.id);
  }
  const one = await demo('GET', `/v2/3as/packages/${basic.id}`);
  assert.deepEqual(one.json.payload, basic);
  assertError(assert, await demo('GET', '/v2/3as/packages/nope'), 404, 'package not found');
});

test('custom packages: validation, create, rename, and recommended ones stay named', async () => {
  const good = { name: 'Agency', touchpoints: 1500, price: 100, currency: 'USD', period: 'monthly' };
  const cases = [
    [{ ...good, name: '' }, 'name'], [{ ...good, touchpoints: 0 }, 'touchpoints'], [{ ...good, touchpoints: 1.5 }, 'touchpoints'],
    [{ ...good, touchpoints: undefined }, 'touchpoints'], [{ ...good, price: -1 }, 'price'], [{ ...good, price: '9' }, 'price'],
    [{ ...good, currency: 'GBP' }, 'currency'], [{ ...good, period: 'month' }, 'period'], [{ ...good, visibility: 'secret' }, 'visibility'],
  ];
  for (const [body, field] of cases) {
    const r = await demo('POST', '/v2/3as/packages', body);
    assertError(assert, r, 400);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  const created = await demo('POST', '/v2/3as/packages', { ...good, price: 123.45 });
  assert.equal(created.status, 201, created.text);
  const p = created.json.payload;
  assert.equal(p.price, 123.45);
  assert.equal(p.visibility, 'public');
  assert.equal(p.recommended, false);
  const renamed = await demo('PATCH', `/v2/3as/packages/${p.id}`, { name: 'Agency Plus' });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.json.payload.name, 'Agency Plus');
  assert.equal((await demo('GET', `/v2/3as/packages/${p.id}`)).json.payload.name, 'Agency Plus');
  const pro = await packageNamed(demo, 'Pro');
  assert.equal(pro.recommended, true);
  assertError(assert, await demo('PATCH', `/v2/3as/packages/${pro.id}`, { name: 'Renamed' }), 400);
  assertError(assert, await demo('PATCH', '/v2/3as/packages/nope', { name: 'x' }), 404);
});

test('restricted packages: listed only for their targets, assigned per model, unassigned', async () => {
  const c = await newCustomer(demo);
  const w = await newWebsite(demo, c.intpCustomerId);
  const other = await newWebsite(demo, c.intpCustomerId);
  const p = (await demo('POST', '/v2/3as/packages', { name: 'Custom', touchpoints: 77777, price: 50, currency: 'EUR', period: 'monthly', visibility: 'restricted' })).json.payload;
  const listed = async (id) => (await demo('GET', `/v2/3as/packages?intpWebsiteId=${id}`)).json.payload.some((x) => x.id === p.id);
  assert.equal(await listed(w.intpWebsiteId), false);
  assert.ok((await demo('GET', '/v2/3as/packages')).json.payload.some((x) => x.id === p.id), 'unfiltered: all packages');
  const assign = await demo('PUT', `/v3/3as/packages/${p.id}/assignments/${w.intpWebsiteId}`, '[]');
  assert.equal(assign.status, 204, assign.text);
  assert.equal(await listed(w.intpWebsiteId), true);
  assert.equal(await listed(other.intpWebsiteId), false);
  const shown = (await demo('GET', `/v2/3as/packages/${p.id}`)).json.payload;
  assert.deepEqual(shown.restrictedTo, [{ intpWebsiteId: w.intpWebsiteId, intpCustomerId: c.intpCustomerId }]);
  const restrictedStart = await demo('POST', '/v3/3as/websites', { website: { id: uniq('s'), domain: 'r.io', package: { id: p.id } }, intpc: { id: c.intpCustomerId } });
  assertError(assert, restrictedStart, 400);
  const basic = await packageNamed(demo, 'Basic');
  assertError(assert, await demo('PUT', `/v3/3as/packages/${basic.id}/assignments/${w.intpWebsiteId}`), 400);
  assertError(assert, await demo('PUT', `/v3/3as/packages/${p.id}/assignments/nobody`), 404);
  assertError(assert, await demo('PUT', `/v3/3as/packages/${p.id}/assignments/${c.intpCustomerId}`), 404, 'website not found');
  assert.equal((await demo('DELETE', `/v3/3as/packages/${p.id}/assignments/${w.intpWebsiteId}`)).status, 204);
  assert.equal(await listed(w.intpWebsiteId), false);
  assertError(assert, await demo('GET', '/v2/3as/packages?intpCustomerId=nobody'), 404);
});

test('intpc partners assign restricted packages to customers', async () => {
  const pro = await packageNamed(pool, 'Pro');
  const c = await newCustomer(pool, { packageId: pro.id });
  const p = (await pool('POST', '/v2/3as/packages', { name: 'Pool custom', touchpoints: 5, price: 0, currency: 'RON', period: 'yearly', visibility: 'restricted' })).json.payload;
  assert.equal((await pool('PUT', `/v3/3as/packages/${p.id}/assignments/${c.intpCustomerId}`)).status, 204);
  const list = (await pool('GET', `/v2/3as/packages?intpCustomerId=${c.intpCustomerId}`)).json.payload;
  assert.ok(list.some((x) => x.id === p.id));
  assert.deepEqual(list.find((x) => x.id === p.id).restrictedTo, [{ intpWebsiteId: null, intpCustomerId: c.intpCustomerId }]);
});

test('an intp reset wipes customers and custom packages, keeps the catalogue', async () => {
  const s = await startServer();
  try {
    const api = (method, p, body) => call(s.url, method, p, { token: dialects.node(DEMO.id, DEMO_PRIVATE), body });
    await api('POST', '/v2/3as/customers', { intpCustomerId: 'r1', email: 'r1@x.io', website: { intpWebsiteId: 'rw', domain: 'r.io' } });
    await api('POST', '/v2/3as/packages', { name: 'Gone', touchpoints: 1, price: 0, currency: 'EUR', period: 'monthly' });
    const before = (await api('GET', '/v2/3as/packages')).json.payload.length;
    assert.equal((await call(s.url, 'POST', `/__admin/intps/${DEMO.id}/reset`)).status, 200);
    assertError(assert, await api('GET', '/v2/3as/customers/r1'), 404);
    assertError(assert, await api('GET', '/v2/3as/websites/rw'), 404);
    assert.equal((await api('GET', '/v2/3as/packages')).json.payload.length, before - 1);
  } finally {
    await s.stop();
  }
});
