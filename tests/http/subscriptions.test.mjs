// Subscriptions and the per-partner clock (contract §4.6, §5.8–§5.10, §6, D1, D3, D4, D5): every
// action on both models, the legacy routes, scheduled transitions, trials, usage and history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, dialects, assertError, DEMO, DEMO_PRIVATE } from './helpers.mjs';

const DAY = 86400000;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
let seq = 0;
const uniq = (p) => `${p}-${process.pid}-${++seq}`;

// A fresh server per test keeps the clocks of different tests apart.
async function withServer(fn, args = []) {
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
async function site(api, packageId) {
  const c = uniq('c');
  const w = `${c}-w`;
  const r = await api('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: w, domain: 'x.io', packageId } });
  assert.equal(r.status, 201, r.text);
  return w;
}
const website = async (api, id) => (await api('GET', `/v2/3as/websites/${id}`)).json.payload;
const act = (api, action, body) => api('POST', `/v3/3as/website-subscriptions/${action}`, body);

const SUBSCRIPTION_KEYS = ['billingInterval', 'consumption', 'createdAt', 'expiresAt', 'hadTrial', 'id', 'inTrial',
  'intpId', 'intpWebsiteId', 'intpcId', 'lastPackageChangeAt', 'packageId', 'packageName', 'plannedDowngradePackageId',
  'status', 'stpResetAt', 'type', 'websiteId'];

test('upgrade: immediate, a new period from now, consumption reset; D3 rules', () => withServer(async ({ demo }) => {
  const w = await site(demo);
  const pro = await demo.pkg('Pro');
  await demo.usage(w, { visits: 7 });
  const r = await act(demo, 'upgrade', { intpWebsiteId: w, packageId: pro.id, trial: false, proRate: false });
  assert.equal(r.status, 200, r.text);
  const s = r.json.payload;
  assert.deepEqual(Object.keys(s).sort(), SUBSCRIPTION_KEYS);
  assert.equal(s.packageId, pro.id);
  assert.equal(s.status, 'active');
  assert.equal(s.type, 'website');
  assert.equal(s.inTrial, false);
  assert.equal(s.hadTrial, true);
  assert.equal(s.billingInterval, 'monthly');
  assert.equal(s.consumption.stpLimit, 55000);
  assert.equal(s.consumption.stpConsumed, 0, 'consumption reset');
  for (const k of ['expiresAt', 'stpResetAt', 'lastPackageChangeAt', 'createdAt']) assert.match(s[k], RFC3339);
  const days = (Date.parse(s.expiresAt) - Date.parse(s.lastPackageChangeAt)) / DAY;
  assert.ok(days >= 28 && days <= 31, `about a month (${days} days)`);
  const wsite = await website(demo, w);
  assert.equal(wsite.packageName, 'Pro');
  assert.equal(wsite.expiresAt, s.expiresAt);
  const lower = await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Basic')).id });
  assertError(assert, lower, 500, 'illegal subscription action');
  assert.match(lower.json.message, /more touchpoints/);
  assertError(assert, await act(demo, 'upgrade', { intpWebsiteId: w, packageId: pro.id }), 500);
  assert.equal((await website(demo, w)).packageName, 'Pro', 'nothing changed');
}));

test('profile "intended": the D3 cases are 400, a same-package downgrade too', () => withServer(async ({ demo }) => {
  const w = await site(demo, (await demo.pkg('Pro')).id);
  assertError(assert, await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Basic')).id }), 400);
  assertError(assert, await act(demo, 'downgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Unicorn')).id }), 400);
  assertError(assert, await act(demo, 'resume', { intpWebsiteId: w }), 400);
  assertError(assert, await act(demo, 'downgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Pro')).id }), 400);
}, ['--profile', 'intended']));

test('downgrade: planned for the period end, both interval spellings; replaced by a later one', () => withServer(async ({ demo }) => {
  const w = await site(demo, (await demo.pkg('Pro')).id);
  const basic = await demo.pkg('Basic');
  const free = await demo.pkg('Free');
  const r = await act(demo, 'downgrade', { intpWebsiteId: w, packageId: basic.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.payload.plannedDowngradePackageId, basic.id);
  let ws = await website(demo, w);
  assert.equal(ws.packageName, 'Pro');
  assert.equal(ws.status, 'active');
  assert.equal(ws.plannedDowngradePackageId, basic.id);
  assert.equal(ws.plannedDowngradePackageName, 'Basic');
  assert.equal(ws.plannedDowngradePackageInterval, 'monthly');
  assert.equal(ws.plannedDowngradeBillingInterval, 'monthly');
  await act(demo, 'downgrade', { intpWebsiteId: w, packageId: free.id });
  assert.equal((await website(demo, w)).plannedDowngradePackageId, free.id, 'the later plan wins');
  assertError(assert, await act(demo, 'downgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Unicorn')).id }), 500);
  assert.equal((await act(demo, 'downgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Pro')).id })).status, 200, 'same package: accepted when observed');
  const up = await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Unicorn')).id });
  assert.equal(up.json.payload.plannedDowngradePackageId, null, 'an upgrade replaces the plan');
}));

test('cancel, resume, and upgrade out of canceled', () => withServer(async ({ demo }) => {
  const w = await site(demo, (await demo.pkg('Basic')).id);
  const free = await demo.pkg('Free');
  const before = await website(demo, w);
  const c = await act(demo, 'cancel', { intpWebsiteId: w });
  assert.equal(c.status, 200);
  assert.equal(c.json.payload.status, 'canceled');
  assert.equal(c.json.payload.plannedDowngradePackageId, free.id);
  let ws = await website(demo, w);
  assert.equal(ws.status, 'canceled');
  assert.equal(ws.expiresAt, before.expiresAt, 'dates unchanged');
  const r = await act(demo, 'resume', { intpWebsiteId: w });
  assert.equal(r.json.payload.status, 'active');
  assert.equal(r.json.payload.plannedDowngradePackageId, null);
  assertError(assert, await act(demo, 'resume', { intpWebsiteId: w }), 500, 'illegal subscription action');
  await act(demo, 'cancel', { intpWebsiteId: w });
  const up = await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Pro')).id });
  assert.equal(up.json.payload.status, 'active');
  assert.equal(up.json.payload.plannedDowngradePackageId, null, 'the cancellation is cleared');
}));

test('deactivate (D5): 200 Website, still readable as inactive; upgrade and reactivate bring it back', () => withServer(async ({ demo }) => {
  const w = await site(demo, (await demo.pkg('Basic')).id);
  const d = await act(demo, 'deactivate', { intpWebsiteId: w });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.payload.intpWebsiteId, w);
  assert.equal(d.json.payload.status, 'active', 'the website as it was before');
  const ws = await website(demo, w);
  assert.equal(ws.status, 'inactive');
  assertError(assert, await act(demo, 'cancel', { intpWebsiteId: w }), 400);
  const up = await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Free')).id });
  assert.equal(up.status, 200, 'any package reactivates');
  assert.equal((await website(demo, w)).status, 'active');
  await act(demo, 'deactivate', { intpWebsiteId: w });
  const re = await act(demo, 'reactivate', { intpWebsiteId: w, packageId: (await demo.pkg('Pro')).id, trial: false });
  assert.equal(re.status, 200, re.text);
  assert.equal(re.json.payload.packageName, 'Pro');
  assert.equal((await website(demo, w)).status, 'active');
}));

test('legacy v2 notification routes behave as the website routes (cancel may name the free package)', () => withServer(async ({ demo }) => {
  const w = await site(demo);
  const v2 = (action, body) => demo('POST', `/v2/3as/notifications/subscriptions/${action}`, body);
  assert.equal((await v2('upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Pro')).id })).status, 200);
  assert.equal((await v2('downgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Basic')).id })).status, 200);
  const basicYearly = await demo.pkg('Free', 'yearly');
  const c = await v2('cancel', { intpWebsiteId: w, freePackageId: basicYearly.id });
  assert.equal(c.json.payload.plannedDowngradePackageId, basicYearly.id);
  assert.equal((await v2('resume', { intpWebsiteId: w })).json.payload.status, 'active');
  assert.equal((await v2('deactivate', { intpWebsiteId: w })).status, 200);
  assert.equal((await v2('reactivate', { intpWebsiteId: w })).status, 200, 'reactivate keeps the package when none is given');
  assertError(assert, await v2('explode', { intpWebsiteId: w }), 404);
}));

test('intpc model: one pool per customer shown by all its websites; deactivate deletes the customer', () => withServer(async ({ pool }) => {
  const c = uniq('pc');
  await pool('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, packageId: (await pool.pkg('Basic')).id, website: { intpWebsiteId: `${c}-a`, domain: 'a.io' } });
  await pool('POST', '/v3/3as/websites', { website: { id: `${c}-b`, domain: 'b.io' }, intpc: { id: c } });
  const pro = await pool.pkg('Pro');
  const up = await pool('POST', '/v3/3as/intpc-subscriptions/upgrade', { intpcId: c, packageId: pro.id, trial: false, proRate: false });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.payload.type, 'intpc');
  assert.equal(up.json.payload.intpcId, c);
  assert.equal(up.json.payload.consumption.stpLimit, 55000, 'the pool has the package limit');
  for (const w of [`${c}-a`, `${c}-b`]) {
    const ws = await website(pool, w);
    assert.equal(ws.packageId, pro.id);
    assert.equal(ws.consumption.stpLimit, -1);
  }
  await pool.usage(`${c}-a`, { visits: 10 });
  await pool.usage(`${c}-b`, { visits: 5, sessionRecordings: 2 });
  assert.equal((await website(pool, `${c}-a`)).consumption.stpConsumedVisit, 10, 'per-website breakdown');
  const cancel = await pool('POST', '/v3/3as/intpc-subscriptions/cancel', { intpcId: c });
  assert.equal(cancel.json.payload.consumption.stpConsumed, 25, 'the pool: 15 visits + 2 recordings');
  assert.equal((await website(pool, `${c}-b`)).status, 'canceled');
  const d = await pool('POST', '/v3/3as/intpc-subscriptions/deactivate', { intpcId: c });
  assert.equal(d.status, 200);
  assert.equal(d.json.payload.intpCustomerId, c);
  assertError(assert, await pool('GET', `/v2/3as/customers/${c}`), 404);
  assertError(assert, await pool('GET', `/v2/3as/websites/${c}-a`), 404);
}));

test('a route of the other model is 400 naming the partner\'s model', () => withServer(async ({ demo, pool }) => {
  const w = await site(demo);
  const r = await demo('POST', '/v3/3as/intpc-subscriptions/cancel', { intpcId: 'x' });
  assertError(assert, r, 400);
  assert.match(r.json.message, /website subscriptions/);
  const p = await pool('POST', '/v3/3as/website-subscriptions/cancel', { intpWebsiteId: w });
  assert.match(p.json.message, /intpc subscriptions/);
  assertError(assert, await act(demo, 'cancel', { intpWebsiteId: 'nobody' }), 404, 'website not found');
  assertError(assert, await act(demo, 'upgrade', { intpWebsiteId: w, packageId: 'nope' }), 404, 'package not found');
  assertError(assert, await act(demo, 'upgrade', { intpWebsiteId: w }), 400);
}));

test('the clock: read, advance, set, freeze; never backwards; partners apart', () => withServer(async ({ demo, pool }) => {
  const c0 = (await demo.clock()).json;
  assert.equal(c0.frozen, false);
  assert.equal(c0.offsetSeconds, 0);
  assert.ok(Math.abs(Date.parse(c0.now) - Date.now()) < 5000);
  const a = await demo.clock({ advanceBy: 'P30D' });
  assert.equal(a.status, 200, a.text);
  assert.ok(Math.abs(a.json.offsetSeconds - 30 * 86400) < 5);
  assert.equal((await pool.clock()).json.offsetSeconds, 0, 'another partner is not moved');
  const f = await demo.clock({ freeze: true });
  assert.equal(f.json.frozen, true);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await demo.clock()).json.now, f.json.now, 'a frozen clock stands still');
  const set = await demo.clock({ set: '2030-01-31T10:00:00Z' });
  assert.equal(set.json.now, '2030-01-31T10:00:00Z');
  assert.equal((await demo.clock({ advanceBy: 'P1M' })).json.now, '2030-02-28T10:00:00Z', 'calendar months');
  const back = await demo.clock({ set: '2029-01-01T00:00:00Z' });
  assertError(assert, back, 400);
  assert.equal(back.json.field, 'set');
  assertError(assert, await demo.clock({ advanceBy: 'one month' }), 400);
  assertError(assert, await demo.clock({ advanceBy: 'P1M', set: '2031-01-01T00:00:00Z' }), 400);
  const c = uniq('c');
  const created = await demo('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io` });
  assert.equal(created.json.payload.createdAt, '2030-02-28T10:00:00Z', 'dates are written on the partner clock');
}));

test('advancing applies scheduled downgrades, cancellations and renewals in time order', () => withServer(async ({ demo }) => {
  await demo.clock({ set: '2030-01-31T10:00:00Z', freeze: true });
  const pro = await demo.pkg('Pro');
  const basic = await demo.pkg('Basic');
  const free = await demo.pkg('Free');
  const a = await site(demo, pro.id);
  const b = await site(demo, basic.id);
  const c = await site(demo, basic.id);
  await act(demo, 'downgrade', { intpWebsiteId: a, packageId: basic.id });
  await act(demo, 'cancel', { intpWebsiteId: b });
  const r = await demo.clock({ advanceBy: 'P3M' });
  assert.equal(r.status, 200, r.text);
  const t = r.json.transitions;
  const actions = t.map((x) => x.action);
  assert.equal(actions.filter((x) => x === 'downgrade_applied').length, 1);
  assert.equal(actions.filter((x) => x === 'cancellation_applied').length, 1);
  const renewals = t.filter((x) => x.action === 'renewal');
  assert.equal(renewals.length, 3, 'consecutive renewals of one subscription fold into one event');
  assert.equal(renewals.reduce((n, x) => n + x.periods, 0), 7, '2 after each switch + 3 for c');
  const cRenewal = renewals.find((x) => x.periods === 3);
  assert.equal(cRenewal.at, '2030-02-28T10:00:00Z');
  assert.equal(cRenewal.until, '2030-04-30T10:00:00Z');
  assert.equal(r.json.transitionsTotal, t.length);
  assert.deepEqual(t.map((x) => x.at), [...t.map((x) => x.at)].sort(), 'time order');
  assert.equal(t[0].at, '2030-02-28T10:00:00Z');
  const wa = await website(demo, a);
  assert.equal(wa.packageId, basic.id);
  assert.equal(wa.plannedDowngradePackageId, null);
  assert.equal(wa.lastPackageChangeAt, '2030-02-28T10:00:00Z');
  const wb = await website(demo, b);
  assert.equal(wb.packageId, free.id);
  assert.equal(wb.status, 'active');
  const wc = await website(demo, c);
  assert.equal(wc.expiresAt, '2030-05-31T10:00:00Z', 'Feb 28, Mar 31, Apr 30 renewals: next May 31');
  const h = await demo.history('websites', a);
  assert.deepEqual(h.map((x) => x.action), ['created', 'downgrade', 'downgrade_applied', 'renewal']);
  assert.equal(h[3].periods, 2);
  assert.equal(h[3].until, '2030-04-28T10:00:00Z');
  assert.equal(h[2].fromPackageName, 'Pro');
  assert.equal(h[2].toPackageName, 'Basic');
  assert.equal(h[2].statusBefore, 'active');
}));

test('trials end: the free trial falls to Free, a paid trial goes on paying', () => withServer(async ({ demo }) => {
  await demo.clock({ set: '2030-03-01T00:00:00Z', freeze: true });
  const uft = await site(demo);
  const paid = await site(demo, (await demo.pkg('Basic')).id);
  const t = await act(demo, 'upgrade', { intpWebsiteId: paid, packageId: (await demo.pkg('Pro')).id, trial: true, proRate: false });
  assert.equal(t.json.payload.inTrial, true);
  assert.equal(t.json.payload.expiresAt, '2030-03-31T00:00:00Z', '30 trial days');
  await demo.clock({ advanceBy: 'P29D' });
  assert.equal((await website(demo, uft)).inTrial, true, 'still in the trial');
  const r = await demo.clock({ advanceBy: 'P1D' });
  assert.ok(r.json.transitions.filter((x) => x.action === 'trial_ended').length === 2, JSON.stringify(r.json.transitions));
  const u = await website(demo, uft);
  assert.equal(u.packageName, 'Free');
  assert.equal(u.inTrial, false);
  assert.equal(u.hadTrial, true);
  assert.equal(u.expiresAt, '2030-04-30T00:00:00Z');
  const p = await website(demo, paid);
  assert.equal(p.packageName, 'Pro');
  assert.equal(p.inTrial, false);
  assert.equal(p.hadTrial, true);
}, ['--trial-days', '30']));

test('usage adds consumption at the documented rates and resets at stpResetAt', () => withServer(async ({ demo }) => {
  await demo.clock({ set: '2030-01-10T00:00:00Z', freeze: true });
  const w = await site(demo, (await demo.pkg('Basic')).id);
  const r = await demo.usage(w, { visits: 100, visitEvents: 50, sessionRecordings: 2, heatmapIncrements: 4, pollAnswers: 1, surveyAnswers: 1, funnelMatches: 2 });
  assert.equal(r.status, 200, r.text);
  const cons = r.json.payload.consumption;
  assert.equal(cons.stpConsumedVisit, 100);
  assert.equal(cons.stpConsumedVisitEvent, 5);
  assert.equal(cons.stpConsumedSessionRecording, 10);
  assert.equal(cons.stpConsumed, 100 + 5 + 10 + 2 + 1 + 1 + 1);
  assertError(assert, await demo.usage(w, { visits: -1 }), 400);
  await demo.clock({ advanceBy: 'P1M' });
  const after = await website(demo, w);
  assert.equal(after.consumption.stpConsumed, 0);
  assert.equal(after.stpResetAt, '2030-03-10T00:00:00Z');
}));

test('proration and the history of a subscription', () => withServer(async ({ demo }) => {
  await demo.clock({ set: '2030-01-01T00:00:00Z', freeze: true });
  const w = await site(demo, (await demo.pkg('Basic')).id);
  await demo.clock({ set: '2030-01-16T00:00:00Z' });
  await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Pro')).id, trial: false, proRate: true });
  const h = await demo.history('websites', w);
  const up = h.find((x) => x.action === 'upgrade');
  assert.deepEqual(up.proration, { creditCents: 670, chargeCents: 3999 }, '16 of 31 days of 12.99 back, 39.99 charged');
  assert.equal(up.at, '2030-01-16T00:00:00Z');
  assert.equal(h[0].action, 'created');
  assert.equal(h[0].proration, null);
}));

test('two actions at once are serialised: one order or the other, never a mix', () => withServer(async ({ demo }) => {
  const w = await site(demo, (await demo.pkg('Basic')).id);
  const pro = await demo.pkg('Pro');
  const [up, cancel] = await Promise.all([
    act(demo, 'upgrade', { intpWebsiteId: w, packageId: pro.id }),
    act(demo, 'cancel', { intpWebsiteId: w }),
  ]);
  assert.equal(up.status, 200);
  assert.equal(cancel.status, 200);
  const ws = await website(demo, w);
  const upgradedLast = ws.status === 'active' && ws.plannedDowngradePackageId === null;
  const canceledLast = ws.status === 'canceled' && ws.plannedDowngradePackageId === (await demo.pkg('Free')).id;
  assert.ok(upgradedLast || canceledLast, JSON.stringify(ws));
  assert.equal(ws.packageId, pro.id);
}));
