// API keys of a website (contract §4.7, §5.5, D1, D12), login via API key (D6) and how API keys authenticate (D2, D7).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, call, dialects, assertError, DEMO, DEMO_PRIVATE } from './helpers.mjs';
import { partner, RFC3339, UUID, newCustomer, newWebsite } from './entities.mjs';

let srv;
let api;
let demo; // the same partner as `api`, as the resource tests call it
before(async () => {
  srv = await startServer();
  const token = dialects.node(DEMO.id, DEMO_PRIVATE);
  api = (method, p, body, headers) => call(srv.url, method, p, { token, body, headers });
  demo = partner(srv, DEMO.id, DEMO_PRIVATE);
});
after(async () => { await srv.stop(); });

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

let seq = 0;
async function siteWithKey(extra = {}) {
  const c = `k-${process.pid}-${++seq}`;
  await api('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: `${c}-w`, domain: 'k.io' } });
  const w = (await api('GET', `/v2/3as/websites/${c}-w`)).json.payload;
  const k = (await api('POST', `/v2/3as/websites/${c}-w/api-keys`, { name: 'login', ...extra })).json.payload;
  return { w, k };
}
const login = (body, headers) => call(srv.url, 'POST', '/v2/3as/api-keys/login', { body, headers });

test('login via API key: tokens signed by the mock, expiries, the dashboard URL', async () => {
  const { w, k } = await siteWithKey();
  const r = await login({ apiKey: k.apiKey, websiteId: w.id });
  assert.equal(r.status, 200, r.text);
  const p = r.json.payload;
  assert.equal(p.expiresIn, 900);
  assert.equal(p.refreshExpiresIn, 86400);
  assert.equal(p.websiteId, w.id);
  assert.equal(p.intpWebsiteId, w.intpWebsiteId);
  assert.equal(p.dashboardUrl, `${srv.url}/dashboard?websiteToken=${p.refreshToken}`);
  const [h, c, s] = p.accessToken.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const claims = JSON.parse(Buffer.from(c, 'base64url'));
  assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: 'mock3as' });
  assert.equal(claims.sub, w.id);
  assert.equal(claims.exp - claims.iat, 900);
  assert.equal(s.length > 300, true, 'an RSA-2048 signature');
  const again = await login({ apiKey: k.apiKey, websiteId: w.id });
  assert.notEqual(again.json.payload.refreshToken, p.refreshToken, 'a fresh refresh token each time');
});

test('a wrong, deleted or expired key, or another website\'s, is 401 "invalid api key"', async () => {
  const { w, k } = await siteWithKey();
  const other = await siteWithKey();
  assertError(assert, await login({ apiKey: 'twpl-AAAAAAAAAAAAAAAAAAAA', websiteId: w.id }), 401, 'invalid api key');
  assertError(assert, await login({ apiKey: k.apiKey, websiteId: other.w.id }), 401, 'invalid api key');
  assert.equal((await api('DELETE', `/v2/3as/websites/${w.intpWebsiteId}/api-keys/${k.id}`)).status, 204);
  assertError(assert, await login({ apiKey: k.apiKey, websiteId: w.id }), 401, 'invalid api key');
  const soon = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const expiring = await siteWithKey({ expiresAt: soon });
  assert.equal((await login({ apiKey: expiring.k.apiKey, websiteId: expiring.w.id })).status, 200);
  await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/clock`, { body: { advanceBy: 'PT2H' } });
  assertError(assert, await login({ apiKey: expiring.k.apiKey, websiteId: expiring.w.id }), 401, 'invalid api key');
  assertError(assert, await login({ websiteId: w.id }), 400);
});

test('an API key is no partner token: 403 on partner routes, reads and writes alike', async () => {
  const { w, k } = await siteWithKey();
  const key = { 'X-Api-Key': k.apiKey };
  assertError(assert, await call(srv.url, 'GET', `/v2/3as/websites/${w.intpWebsiteId}`, { headers: key }), 403);
  assertError(assert, await call(srv.url, 'POST', '/v2/3as/customers', { body: { intpCustomerId: 'x', email: 'x@x.io' }, headers: key }), 403);
  assertError(assert, await call(srv.url, 'DELETE', `/v2/3as/websites/${w.intpWebsiteId}`, { headers: { 'x-api-key': k.apiKey } }), 403);
  assertError(assert, await call(srv.url, 'GET', '/v2/3as/company-details', { headers: { 'X-API-KEY': 'twpl-nope' } }), 401, 'invalid api key');
  assert.equal((await api('GET', `/v2/3as/websites/${w.intpWebsiteId}`)).status, 200, 'still there');
  assert.ok(crypto.randomUUID());
});
