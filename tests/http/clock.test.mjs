// The per-partner clock and the admin clock, history and usage routes (contract §4.6, §6, D4): scheduled transitions, trials, usage, proration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './helpers.mjs';
import { uniq, withServer, site, website, act } from './entities.mjs';

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

test('a clock move is bounded: 100 years per call, never into year 9000; the longest move costs one event', () => withServer(async ({ demo }) => {
  await demo.clock({ set: '2030-01-15T10:00:00Z', freeze: true });
  const basic = await demo.pkg('Basic');
  const w = await site(demo, basic.id);
  for (const [body, field] of [[{ advanceBy: 'P101Y' }, 'advanceBy'], [{ advanceBy: 'P1000000000W' }, 'advanceBy'],
    [{ advanceBy: 'P100YT1S' }, 'advanceBy'], [{ set: '2130-01-16T10:00:00Z' }, 'set']]) {
    const r = await demo.clock(body);
    assertError(assert, r, 400);
    assert.equal(r.json.field, field, JSON.stringify(body));
    assert.match(r.json.message, /100 years/);
  }
  assert.equal((await demo.clock()).json.now, '2030-01-15T10:00:00Z', 'a refused move moves nothing');
  const moved = await demo.clock({ advanceBy: 'P100Y' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.now, '2130-01-15T10:00:00Z');
  const renewals = moved.json.transitions.filter((t) => t.action === 'renewal');
  assert.deepEqual(renewals.map((t) => [t.periods, t.at, t.until]), [[1200, '2030-02-15T10:00:00Z', '2130-01-15T10:00:00Z']],
    'twelve hundred monthly renewals are one event');
  const h = await demo.history('websites', w);
  assert.equal(h.at(-1).periods, 1200);
  assert.equal(h.at(-1).until, '2130-01-15T10:00:00Z');
  assertError(assert, await demo.clock({ set: '8999-12-31T23:59:59Z' }), 400);
  const st = await website(demo, w);
  assert.match(st.expiresAt, /^2130-02-15T/, 'the next renewal after the move');
}));

test('recorded visits have a ceiling per touchpoint period: 50,000', () => withServer(async ({ demo }) => {
  const w = await site(demo);
  assert.equal((await demo.usage(w, { visits: 49999 })).status, 200);
  const over = await demo.usage(w, { visits: 2 });
  assertError(assert, over, 400);
  assert.equal(over.json.field, 'visits');
  assert.match(over.json.message, /at most 50000 visits/);
  assert.equal((await demo.usage(w, { visits: 1, visitEvents: 10 })).status, 200, 'up to the ceiling exactly');
  assert.equal((await website(demo, w)).consumption.stpConsumedVisit, 50000, 'the refused call recorded nothing');
}));
