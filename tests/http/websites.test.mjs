// Websites (contract §4.3, §4.4, §5.3, §6, D1, D2, D4, D12): v2/v3 create, intpc websites, lists, the internal route, other partners' ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './helpers.mjs';
import { servePartners, uniq, assertWebsite, packageNamed, newCustomer, newWebsite } from './entities.mjs';

let demo, pool; // the fixture partner (website subscriptions), an intpc partner
servePartners({ pool: true }, (s) => ({ demo, pool } = s));

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
