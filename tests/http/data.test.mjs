// The X-Api-Key data API (contract D7): session and page analytics and raw sessions, synthetic
// but deterministic, scaled by package and recorded usage, and always in agreement. The sites are
// created, then the partner's clock moves a month on: that month is a closed touchpoint period
// with the package's traffic (no data before the sites existed, and the current period holds
// exactly the visits recorded in it, which the last test records).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, dialects, assertError, DEMO, DEMO_PRIVATE, tempDb } from './helpers.mjs';

const db = tempDb();
let srv;
let api;
let site; // { w, key }
let other;
let NOW; // the partner's clock (ms)
let WEEK;
before(async () => {
  srv = await startServer({ db });
  api = (method, p, body) => call(srv.url, method, p, { token: dialects.node(DEMO.id, DEMO_PRIVATE), body });
  site = await newSite('data');
  other = await newSite('other');
  await moveClock({ advanceBy: 'P1M' });
  WEEK = range(-8, -2);
});
after(async () => { await srv.stop(); });

async function newSite(name) {
  const c = `${name}-${process.pid}`;
  const basic = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === 'Basic' && p.period === 'monthly');
  await api('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: `${c}-w`, domain: 'shop.example.com', packageId: basic.id } });
  const w = (await api('GET', `/v2/3as/websites/${c}-w`)).json.payload;
  const key = (await api('POST', `/v2/3as/websites/${c}-w/api-keys`, { name: 'reporting' })).json.payload.apiKey;
  return { w, key };
}

async function moveClock(body) {
  const r = await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/clock`, { body });
  assert.equal(r.status, 200, r.text);
  NOW = Date.parse(r.json.payload?.now ?? r.json.now);
}

const day = (offset) => new Date(NOW + offset * 86400e3).toISOString().slice(0, 10);
const range = (from, to) => ({ start: `${day(from)}T00:00:00.000+00:00`, end: `${day(to)}T23:59:59.999+00:00` });
const query = (kind, body, s = site, headers) => call(srv.url, 'POST', `/v2/websites/${s.w.id}/${kind}`, { body, headers: headers || { 'X-Api-Key': s.key } });
const total = async (where, dateRange = WEEK) => (await query('analytics/sessions', { metrics: ['sessionCount'], dateRange, where })).json.payload[0]?.sessionCount ?? 0;
const rawTotal = async (where, dateRange = WEEK) => (await query('sessions', { dateRange, where, pagination: { page: 1, pageSize: 1 } })).json.meta.total;

test('the key: its own website only, header name in any case', async () => {
  const body = { metrics: ['sessionCount'], dateRange: WEEK };
  assert.equal((await query('analytics/sessions', body, site, { 'x-api-key': site.key })).status, 200);
  assert.equal((await query('analytics/sessions', body, site, { 'X-API-KEY': site.key })).status, 200);
  assertError(assert, await query('analytics/sessions', body, site, {}), 401, 'invalid api key');
  assertError(assert, await query('analytics/sessions', body, site, { 'X-Api-Key': 'twpl-xxxxxxxxxxxxxxxxxxxx' }), 401, 'invalid api key');
  assertError(assert, await query('analytics/sessions', body, other, { 'X-Api-Key': site.key }), 403);
  assertError(assert, await query('sessions', { dateRange: WEEK }, site, { Authorization: 'Bearer x' }), 401);
});

test('unknown metrics, dimensions, operators and fields are 400 naming them', async () => {
  const cases = [
    [{ metrics: ['sessionz'], dateRange: WEEK }, 'sessionz'],
    [{ metrics: ['sessionCount'], dimensions: ['planet'], dateRange: WEEK }, 'planet'],
    [{ metrics: ['sessionCount'], dateRange: WEEK, where: { and: [{ member: 'deviceType', operator: 'like', values: ['x'] }] } }, 'like'],
    [{ metrics: ['sessionCount'], dateRange: WEEK, where: { and: [{ member: 'color', operator: 'eq', values: ['x'] }] } }, 'color'],
    [{ metrics: ['sessionCount'], dateRange: { start: 'yesterday', end: 'today' } }, 'dateRange'],
    [{ metrics: ['sessionCount'], dateRange: range(-400, -1) }, 'dateRange'],
    [{ metrics: ['sessionCount'], dateRange: WEEK, pagination: { page: 0 } }, 'pagination.page'],
  ];
  for (const [body, name] of cases) {
    const r = await query('analytics/sessions', body);
    assertError(assert, r, 400);
    assert.match(r.json.message, new RegExp(name), JSON.stringify(body));
  }
  const f = await query('sessions', { dateRange: WEEK, fields: ['id', 'mood'] });
  assertError(assert, f, 400);
  assert.match(f.json.message, /mood/);
});

test('deterministic: the same query gives the same numbers, also after a restart', async () => {
  const body = { metrics: ['sessionCount', 'visitorCount', 'bounceRate', 'averageVisitDuration'], dimensions: ['date', 'deviceType'], dateRange: WEEK, pagination: { pageSize: 100 } };
  const a = await query('analytics/sessions', body);
  const b = await query('analytics/sessions', body);
  assert.equal(a.status, 200);
  assert.deepEqual(a.json, b.json);
  const rawA = await query('sessions', { dateRange: WEEK, pagination: { page: 2, pageSize: 5 } });
  await srv.stop();
  srv = await startServer({ db });
  const c = await query('analytics/sessions', body);
  assert.deepEqual(c.json, a.json);
  assert.deepEqual((await query('sessions', { dateRange: WEEK, pagination: { page: 2, pageSize: 5 } })).json, rawA.json);
});

test('analytics and raw sessions agree for several ranges and filters', async () => {
  const filters = [
    undefined,
    { and: [{ member: 'deviceType', operator: 'eq', values: ['mobile'] }] },
    { or: [{ member: 'countryCode', operator: 'in', values: ['DE', 'AT'] }, { member: 'browserName', operator: 'eq', values: ['Firefox'] }] },
    { and: [{ member: 'pageviews', operator: 'gt', values: [3] }, { member: 'referrerType', operator: 'ne', values: ['direct'] }] },
    { and: [{ member: 'pageUrl', operator: 'contains', values: ['/blog'] }] },
    { and: [{ member: 'date', operator: 'gte', values: [day(-5)] }, { or: [{ member: 'duration', operator: 'lt', values: [60] }] }] },
  ];
  const ranges = [WEEK, range(-1, -1), range(-30, -1)];
  for (const r of ranges) {
    for (const where of filters) {
      const a = await total(where, r);
      assert.equal(await rawTotal(where, r), a, `${JSON.stringify(r)} ${JSON.stringify(where)}`);
    }
  }
  assert.ok(await total(filters[1]) > 0 && await total(filters[1]) < await total(undefined));
});

test('rows by date: one per day in order, adding up to the total; percentages of the total', async () => {
  const r = await query('analytics/sessions', { metrics: ['sessionCount', 'sessionPercentOfTotal', 'visitCount', 'pageviewCount'], dimensions: ['date'], dateRange: WEEK });
  const rows = r.json.payload;
  assert.equal(rows.length, 7);
  assert.deepEqual(rows.map((x) => x.date), [-8, -7, -6, -5, -4, -3, -2].map(day));
  assert.equal(rows.reduce((n, x) => n + x.sessionCount, 0), await total());
  const pct = rows.reduce((n, x) => n + x.sessionPercentOfTotal, 0);
  assert.ok(Math.abs(pct - 100) < 0.1, `${pct}`);
  for (const x of rows) {
    assert.equal(x.visitCount, x.sessionCount);
    assert.ok(x.pageviewCount >= x.sessionCount);
  }
  assert.deepEqual(r.json.meta, { page: 1, pageSize: 10, pageTotal: 1, total: 7 });
});

test('order, pagination and the previous range', async () => {
  const body = { metrics: ['sessionCount'], dimensions: ['countryCode'], dateRange: WEEK, order: [{ member: 'sessionCount', direction: 'asc' }], pagination: { page: 1, pageSize: 3 } };
  const r = await query('analytics/sessions', body);
  const counts = r.json.payload.map((x) => x.sessionCount);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
  assert.equal(r.json.payload.length, 3);
  assert.ok(r.json.meta.total > 3);
  const prev = await query('analytics/sessions', { ...body, previousDateRange: range(-15, -9) });
  const row = prev.json.payload[0];
  assert.equal(typeof row.previousSessionCount, 'number');
  assert.ok('sessionCountPercentageChange' in row);
  if (row.previousSessionCount) {
    const want = (100 * (row.sessionCount - row.previousSessionCount)) / row.previousSessionCount;
    assert.ok(Math.abs(row.sessionCountPercentageChange - want) <= 0.005 + 1e-9, `${row.sessionCountPercentageChange} ~ ${want}`);
  }
});

test('page analytics: a row per page, views and visits', async () => {
  const r = await query('analytics/pages', { metrics: ['visitCount', 'pageviewCount', 'visitorCount', 'bounceRate'], dimensions: ['pageUrl'], dateRange: WEEK, order: [{ member: 'visitCount', direction: 'desc' }], pagination: { pageSize: 50 } });
  assert.equal(r.status, 200);
  const rows = r.json.payload;
  assert.ok(rows.length >= 5);
  for (const x of rows) {
    assert.match(x.pageUrl, /^https:\/\/shop\.example\.com\//);
    assert.ok(x.pageviewCount >= x.visitCount && x.visitCount >= x.visitorCount);
  }
  assert.ok(rows.reduce((n, x) => n + x.visitCount, 0) >= await total(), 'a session visits one page or more');
});

test('raw sessions: fields, pagination, the partner\'s past only', async () => {
  const r = await query('sessions', { dateRange: WEEK, fields: ['id', 'startedAt', 'entryPage', 'bounced'], pagination: { page: 1, pageSize: 7 } });
  assert.equal(r.json.payload.length, 7);
  for (const s of r.json.payload) assert.deepEqual(Object.keys(s).sort(), ['bounced', 'entryPage', 'id', 'startedAt']);
  const starts = r.json.payload.map((s) => s.startedAt);
  assert.deepEqual(starts, [...starts].sort(), 'oldest first');
  const full = (await query('sessions', { dateRange: range(-2, -2), pagination: { pageSize: 1 } })).json.payload[0];
  for (const k of ['id', 'startedAt', 'endedAt', 'duration', 'pageviews', 'entryPage', 'exitPage', 'device', 'browser', 'os', 'country', 'referrer', 'referrerType', 'bounced']) assert.ok(k in full, k);
  assert.equal(full.bounced, full.pageviews === 1);
  assert.equal(await rawTotal(undefined, range(1, 7)), 0, 'nothing in the future');
});

test('no data before the website existed; the current touchpoint period holds exactly the recorded visits', async () => {
  const created = Date.parse(site.w.createdAt);
  const createdDay = Math.floor(created / 86400e3);
  const fromCreation = (await query('sessions', { dateRange: { start: new Date(createdDay * 86400e3 - 5 * 86400e3).toISOString(), end: site.w.createdAt }, pagination: { pageSize: 1 } })).json.meta.total;
  assert.equal(fromCreation, 0, 'nothing up to the second the website was created');
  const history = (await call(srv.url, 'GET', `/__admin/intps/${DEMO.id}/websites/${site.w.intpWebsiteId}/subscription/history`)).json.payload;
  const reset = history.filter((e) => ['renewal', 'stp_reset'].includes(e.action)).pop();
  const start = reset.until ?? reset.at;
  const visitsSince = async () => (await query('analytics/sessions', { metrics: ['visitCount'], dateRange: { start, end: new Date(NOW).toISOString() } })).json.payload[0]?.visitCount ?? 0;
  assert.equal(await visitsSince(), 0, 'no usage recorded yet: no visits in the period');
  const closedBefore = await total(undefined, range(-8, -2));
  const w = await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/websites/${site.w.intpWebsiteId}/usage`, { body: { visits: 30000, visitEvents: 500 } });
  assert.equal(w.status, 200);
  const dayBefore = Math.floor(NOW / 86400e3);
  await moveClock({ advanceBy: 'P3DT2H' });
  const shift = Math.floor(NOW / 86400e3) - dayBefore; // 3, or 4 when the 2 hours pass midnight
  const consumed = (await api('GET', `/v2/3as/websites/${site.w.intpWebsiteId}`)).json.payload;
  assert.equal(await visitsSince(), 30000);
  assert.equal(consumed.consumption.stpConsumedVisit / consumed.consumption.stpRateVisit, 30000, 'the visits the consumption counts');
  const byDay = (await query('analytics/sessions', { metrics: ['visitCount'], dimensions: ['date'], dateRange: range(-4, 0) })).json.payload;
  assert.ok(byDay.filter((r) => r.date >= start.slice(0, 10)).length >= 3, JSON.stringify(byDay));
  assert.equal(await total(undefined, range(-8 - shift, -2 - shift)), closedBefore, 'the closed period is unchanged');
});
