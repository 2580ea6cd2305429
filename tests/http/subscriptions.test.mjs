// Subscription actions (contract §4.6, §5.8–§5.10, §6, D1, D3, D4, D5): every action on both models,
// the legacy routes, the other model's routes, and concurrent actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './helpers.mjs';
import { RFC3339, uniq, withServer, site, website, act } from './entities.mjs';

const DAY = 86400000;

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

// Issue 12: the trial is entered only as D4 says (created without a package), never as the target
// of an action; a refused action writes nothing.
const TRIAL = 'unlimited_30_day_free_trial';

test('the free trial is no target: downgrade, upgrade and reactivate to it are D3 rule breaks (observed: 500)', () => withServer(async ({ demo, pool }) => {
  const w = await site(demo);
  const trial = await demo.pkg(TRIAL);
  const up = await act(demo, 'upgrade', { intpWebsiteId: w, packageId: (await demo.pkg('Basic')).id, trial: false, proRate: false });
  assert.equal(up.status, 200, up.text);
  const before = await website(demo, w);
  const history = await demo.history('websites', w);
  const down = await act(demo, 'downgrade', { intpWebsiteId: w, packageId: trial.id });
  assertError(assert, down, 500, 'illegal subscription action');
  assert.match(down.json.message, /free trial/);
  assertError(assert, await act(demo, 'upgrade', { intpWebsiteId: w, packageId: trial.id }), 500, 'illegal subscription action');
  const legacy = await demo('POST', '/v2/3as/notifications/subscriptions/downgrade', { intpWebsiteId: w, packageId: trial.id });
  assertError(assert, legacy, 500, 'illegal subscription action');
  assert.deepEqual(await website(demo, w), before, 'the website is unchanged');
  assert.deepEqual(await demo.history('websites', w), history, 'nothing written to the history');
  assert.equal(before.plannedDowngradePackageId, null);

  assert.equal((await act(demo, 'deactivate', { intpWebsiteId: w })).status, 200);
  const inactive = await website(demo, w);
  const history2 = await demo.history('websites', w);
  const re = await act(demo, 'reactivate', { intpWebsiteId: w, packageId: trial.id, trial: false });
  assertError(assert, re, 500, 'illegal subscription action');
  assert.deepEqual(await website(demo, w), inactive);
  assert.equal(inactive.status, 'inactive');
  assert.deepEqual(await demo.history('websites', w), history2);

  // the intpc model: a paid customer pool cannot be downgraded to the trial either
  const c = uniq('pc');
  const created = await pool('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, packageId: (await pool.pkg('Basic')).id });
  assert.equal(created.status, 201, created.text);
  const poolHistory = await pool.history('customers', c);
  const poolDown = await pool('POST', '/v3/3as/intpc-subscriptions/downgrade', { intpcId: c, packageId: (await pool.pkg(TRIAL)).id });
  assertError(assert, poolDown, 500, 'illegal subscription action');
  assert.deepEqual(await pool.history('customers', c), poolHistory);
}));

test('the free trial is no target: profile "intended" answers 400 and writes nothing', () => withServer(async ({ demo }) => {
  const w = await site(demo, (await demo.pkg('Basic')).id);
  const trial = await demo.pkg(TRIAL);
  const before = await website(demo, w);
  const history = await demo.history('websites', w);
  assertError(assert, await act(demo, 'downgrade', { intpWebsiteId: w, packageId: trial.id }), 400, 'illegal subscription action');
  assert.deepEqual(await website(demo, w), before);
  assert.deepEqual(await demo.history('websites', w), history);
  assert.equal((await act(demo, 'deactivate', { intpWebsiteId: w })).status, 200);
  const inactive = await website(demo, w);
  const history2 = await demo.history('websites', w);
  assertError(assert, await act(demo, 'reactivate', { intpWebsiteId: w, packageId: trial.id }), 400, 'illegal subscription action');
  assert.deepEqual(await website(demo, w), inactive);
  assert.deepEqual(await demo.history('websites', w), history2);
}, ['--profile', 'intended']));
