// Contributors of a website (contract §4.8, §5.6, §6, D1): one role each, the owner refused, removal, deleted customers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './helpers.mjs';
import { servePartners, newCustomer, newWebsite } from './entities.mjs';

let demo; // the fixture partner (website subscriptions)
servePartners({}, (s) => ({ demo } = s));

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
