// Packages (contract §4.5, §5.7, §6, D1, D10, D11): the catalogue, custom packages, restricted packages and their assignments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, call } from './helpers.mjs';
import { servePartners, partner, RFC3339, uniq, packageNamed, newCustomer, newWebsite } from './entities.mjs';

let demo, pool, srv; // the fixture partner (website subscriptions), an intpc partner, their server
servePartners({ pool: true }, (s) => ({ demo, pool, srv } = s));

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

test('renaming the Free package and the free trial keeps D4 creation and the fall to Free', async () => {
  // a partner of its own: the renames and its clock touch no other test
  const created = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Renamer', subscriptionType: 'website' } });
  assert.equal(created.status, 201, created.text);
  const p = partner(srv, created.json.payload.id, created.json.payload.privateKey);
  const trial = await packageNamed(p, 'unlimited_30_day_free_trial');
  const free = await packageNamed(p, 'Free');
  const basic = await packageNamed(p, 'Basic');
  for (const [pkg, name] of [[trial, 'Try everything'], [free, 'Gratis']]) {
    const r = await p('PATCH', `/v2/3as/packages/${pkg.id}`, { name });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.payload.name, name);
  }
  assert.equal(await packageNamed(p, 'unlimited_30_day_free_trial'), undefined);
  assert.equal(await packageNamed(p, 'Free'), undefined);

  // a customer with a website and no package still starts in the (renamed) trial
  const c = uniq('ren');
  const r = await p('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: `${c}-w`, domain: 'ren.example.com' } });
  assert.equal(r.status, 201, r.text);
  const inTrial = (await p('GET', `/v2/3as/websites/${c}-w`)).json.payload;
  assert.equal(inTrial.inTrial, true);
  assert.equal(inTrial.packageId, trial.id);
  assert.equal(inTrial.packageName, 'Try everything');
  // v3 creation too
  const v3 = await p('POST', '/v3/3as/websites', { website: { id: `${c}-v3`, domain: 'v3.example.com' }, intpc: { id: c } });
  assert.equal(v3.status, 201, v3.text);
  assert.equal(v3.json.payload.inTrial, true);
  assert.equal(v3.json.payload.packageName, 'Try everything');

  // a canceled paid website falls to the (renamed) Free package at the period end
  const b = await p('POST', '/v3/3as/websites', { website: { id: `${c}-paid`, domain: 'paid.example.com', package: { id: basic.id } }, intpc: { id: c } });
  assert.equal(b.status, 201, b.text);
  const cancel = await p('POST', '/v3/3as/website-subscriptions/cancel', { intpWebsiteId: `${c}-paid` });
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.payload.status, 'canceled');
  assert.equal(cancel.json.payload.plannedDowngradePackageId, free.id);
  const clock = await call(srv.url, 'POST', `/__admin/intps/${p.id}/clock`, { body: { advanceBy: 'P2M' } });
  assert.equal(clock.status, 200, clock.text);
  const fallen = (await p('GET', `/v2/3as/websites/${c}-paid`)).json.payload;
  assert.equal(fallen.packageId, free.id);
  assert.equal(fallen.packageName, 'Gratis');
  assert.equal(fallen.status, 'active');
  // and the trial ended on it too
  const after = (await p('GET', `/v2/3as/websites/${c}-w`)).json.payload;
  assert.equal(after.inTrial, false);
  assert.equal(after.packageId, free.id);
  assert.equal(after.packageName, 'Gratis');
});
