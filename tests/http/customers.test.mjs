// Customers (contract §4.2, §5.2, §6, D1, D2, D4): create with or without a website, read, list, duplicates, delete, validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, assertError, DEMO, DEMO_PRIVATE } from './helpers.mjs';
import { servePartners, uniq, assertCustomer, assertWebsite, packageNamed, newCustomer, newWebsite } from './entities.mjs';

let srv, demo, pool; // the server, the fixture partner (website subscriptions), an intpc partner
servePartners({ pool: true }, (s) => ({ srv, demo, pool } = s));

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
