// Whitelisted domains of a website (contract §4.9, §5.4, D1, D10): add, list, remove by PATCH and the old DELETE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './helpers.mjs';
import { servePartners, newCustomer, newWebsite } from './entities.mjs';

let demo; // the fixture partner (website subscriptions)
servePartners({}, (s) => ({ demo } = s));

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
