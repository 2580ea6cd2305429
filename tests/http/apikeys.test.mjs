// Login via API key (contract D6) and how API keys authenticate (D2, D7).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, call, dialects, assertError, DEMO, DEMO_PRIVATE } from './helpers.mjs';

let srv;
let api;
before(async () => {
  srv = await startServer();
  const token = dialects.node(DEMO.id, DEMO_PRIVATE);
  api = (method, p, body, headers) => call(srv.url, method, p, { token, body, headers });
});
after(async () => { await srv.stop(); });

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
