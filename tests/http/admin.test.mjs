// The admin API under /__admin: onboarding, listing, deleting, resetting, minting tokens,
// health, and its protection by --admin-token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, call, dialects, mint, assertError, DEMO, DEMO_PRIVATE, key } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const list = async () => (await call(srv.url, 'GET', '/__admin/intps')).json.payload;
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());

test('health answers on /healthz and /__admin/health', async () => {
  for (const p of ['/healthz', '/__admin/health', '/healthz/']) {
    const r = await call(srv.url, 'GET', p);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ok');
    assert.match(r.json.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof r.json.uptimeSeconds, 'number');
    assert.ok(Number.isInteger(r.json.startupMs) && r.json.startupMs >= 0);
  }
});

test('the demo partner from the fixtures is there', async () => {
  const r = await call(srv.url, 'GET', `/__admin/intps/${DEMO.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.payload.name, DEMO.name);
  assert.equal(r.json.payload.hasPrivateKey, true);
  assert.ok(!('privateKey' in r.json.payload));
});

test('onboarding without a key returns a generated key pair once', async () => {
  const r = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Acme', billingMode: 'platform_managed', websiteOnboarding: true } });
  assert.equal(r.status, 201, r.text);
  const p = r.json.payload;
  assert.match(p.id, /^[0-9a-f-]{36}$/);
  assert.equal(p.name, 'Acme');
  assert.equal(p.subscriptionType, 'website');
  assert.equal(p.billingMode, 'platform_managed');
  assert.equal(p.websiteOnboarding, true);
  assert.match(p.createdAt, RFC3339);
  assert.match(p.privateKey, /^-----BEGIN PRIVATE KEY-----/);
  // the pair is real: what the private key signs, the public key verifies
  const sig = crypto.sign('sha256', Buffer.from('x'), p.privateKey);
  assert.ok(crypto.verify('sha256', Buffer.from('x'), p.publicKey, sig));
  const again = await call(srv.url, 'GET', `/__admin/intps/${p.id}`);
  assert.ok(!('privateKey' in again.json.payload));
  assert.equal(again.json.payload.publicKey, p.publicKey);
});

test('onboarding with an SPKI public key and a custom id', async () => {
  const id = `spki-${crypto.randomUUID()}`;
  const r = await call(srv.url, 'POST', '/__admin/intps', { body: { id, publicKey: key('other.public.pem') } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.payload.id, id);
  assert.equal(r.json.payload.hasPrivateKey, false);
});

const invalid = {
  'a bad PEM': [{ publicKey: 'not a key' }, 'publicKey'],
  'an EC key': [{ publicKey: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) }, 'publicKey'],
  'a private key that does not match': [{ publicKey: key('demo-intp.public.pem'), privateKey: key('other.private.pem') }, 'privateKey'],
  'a bad subscriptionType': [{ subscriptionType: 'account' }, 'subscriptionType'],
  'a bad billingMode': [{ billingMode: 'company-managed' }, 'billingMode'],
  'a non-boolean websiteOnboarding': [{ websiteOnboarding: 'yes' }, 'websiteOnboarding'],
  'an id with a slash': [{ id: 'a/b' }, 'id'],
  'a numeric name': [{ name: 7 }, 'name'],
  'a duplicate id': [{ id: DEMO.id }, 'id'],
};

for (const [name, [body, field]] of Object.entries(invalid)) {
  test(`onboarding with ${name} is 400 naming ${field}, and writes nothing`, async () => {
    const before = (await list()).length;
    const r = await call(srv.url, 'POST', '/__admin/intps', { body });
    assertError(assert, r, 400);
    assert.equal(r.json.field, field);
    assert.match(r.json.message, new RegExp(field));
    assert.equal((await list()).length, before);
  });
}

test('a body that is not JSON is 400, a non-JSON content type 415', async () => {
  assertError(assert, await call(srv.url, 'POST', '/__admin/intps', { body: '{"id":' }), 400);
  assertError(assert, await call(srv.url, 'POST', '/__admin/intps', { body: '[1,2]' }), 400);
  assertError(assert, await call(srv.url, 'POST', '/__admin/intps', { body: 'id=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415);
});

test('list, get, reset and delete a partner', async () => {
  const created = (await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Short-lived' } })).json.payload;
  const ids = (await list()).map((p) => p.id);
  assert.equal(ids[0], DEMO.id, 'creation order');
  assert.ok(ids.includes(created.id));
  const reset = await call(srv.url, 'POST', `/__admin/intps/${created.id}/reset`);
  assert.equal(reset.status, 200);
  assert.equal(reset.json.payload.id, created.id);
  const del = await call(srv.url, 'DELETE', `/__admin/intps/${created.id}`);
  assert.equal(del.status, 200);
  assert.equal(del.json.payload.id, created.id);
  assertError(assert, await call(srv.url, 'GET', `/__admin/intps/${created.id}`), 404);
  assertError(assert, await call(srv.url, 'DELETE', `/__admin/intps/${created.id}`), 404);
  assertError(assert, await call(srv.url, 'POST', `/__admin/intps/${created.id}/reset`), 404);
  assert.ok(!(await list()).some((p) => p.id === created.id));
});

test('an intp reset wipes customers and custom packages, keeps the catalogue', async () => {
  const s = await startServer();
  try {
    const api = (method, p, body) => call(s.url, method, p, { token: dialects.node(DEMO.id, DEMO_PRIVATE), body });
    await api('POST', '/v2/3as/customers', { intpCustomerId: 'r1', email: 'r1@x.io', website: { intpWebsiteId: 'rw', domain: 'r.io' } });
    await api('POST', '/v2/3as/packages', { name: 'Gone', touchpoints: 1, price: 0, currency: 'EUR', period: 'monthly' });
    const before = (await api('GET', '/v2/3as/packages')).json.payload.length;
    assert.equal((await call(s.url, 'POST', `/__admin/intps/${DEMO.id}/reset`)).status, 200);
    assertError(assert, await api('GET', '/v2/3as/customers/r1'), 404);
    assertError(assert, await api('GET', '/v2/3as/websites/rw'), 404);
    assert.equal((await api('GET', '/v2/3as/packages')).json.payload.length, before - 1);
  } finally {
    await s.stop();
  }
});

test('minted tokens are signed exactly as the node SDK signs them', async () => {
  const r = await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/tokens`, { body: { role: 'intp', ttlSeconds: 120 } });
  assert.equal(r.status, 201);
  assert.match(r.json.payload.expiresAt, RFC3339);
  const [h, c, s] = r.json.payload.token.split('.');
  assert.deepEqual(decode(h), { alg: 'RS256', typ: 'JWT', kid: DEMO.id });
  const claims = decode(c);
  assert.deepEqual(Object.keys(claims).sort(), ['exp', 'iat', 'intp_id', 'roles']);
  assert.deepEqual(claims.roles, ['intp']);
  assert.equal(claims.intp_id, DEMO.id);
  assert.equal(claims.exp - claims.iat, 120);
  assert.equal(new Date(claims.exp * 1000).toISOString().replace('.000', ''), r.json.payload.expiresAt);
  const pub = crypto.createPublicKey(DEMO_PRIVATE);
  assert.ok(crypto.verify('sha256', Buffer.from(`${h}.${c}`), pub, Buffer.from(s, 'base64url')));
});

test('intpc tokens carry the customer id', async () => {
  const token = await mint(srv.url, DEMO.id, { role: 'intpc', intpcId: 'cust-42' });
  const claims = decode(token.split('.')[1]);
  assert.deepEqual(claims.roles, ['intpc']);
  assert.equal(claims.intpc_id, 'cust-42');
  assert.equal(claims.exp - claims.iat, 600, 'default ttl: 10 minutes, as the SDKs');
});

test('token requests are validated', async () => {
  const bad = [{ role: 'admin' }, { role: 'intpc' }, { ttlSeconds: 0 }, { ttlSeconds: 1.5 }, { ttlSeconds: 'x' }];
  for (const body of bad) assertError(assert, await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/tokens`, { body }), 400);
  assertError(assert, await call(srv.url, 'POST', '/__admin/intps/nobody/tokens', { body: {} }), 404);
});

test('POST /__admin/reset brings back exactly the fixtures', async () => {
  await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Gone after reset' } });
  const r = await call(srv.url, 'POST', '/__admin/reset');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.payload.intps, [DEMO.id]);
  assert.deepEqual((await list()).map((p) => p.id), [DEMO.id]);
  // the demo partner's key was registered again
  const token = await mint(srv.url, DEMO.id);
  assert.equal((await call(srv.url, 'GET', '/v2/3as/company-details', { token })).status, 200);
});

test('--admin-token protects /__admin but not /healthz or the partner API', async () => {
  const s = await startServer({ args: ['--admin-token', 's3cret'] });
  try {
    assertError(assert, await call(s.url, 'GET', '/__admin/intps'), 401, 'invalid admin token');
    assertError(assert, await call(s.url, 'GET', '/__admin/health', { token: 'wrong' }), 401);
    assert.equal((await call(s.url, 'GET', '/__admin/intps', { token: 's3cret' })).status, 200);
    assert.equal((await call(s.url, 'GET', '/healthz')).status, 200);
    const token = await mint(s.url, DEMO.id, { role: 'intp' }, { Authorization: 'Bearer s3cret' });
    assert.equal((await call(s.url, 'GET', '/v2/3as/company-details', { token })).status, 200);
  } finally {
    await s.stop();
  }
});

test('a non-loopback bind without an admin token refuses to start', async () => {
  await assert.rejects(startServer({ args: ['--bind', '0.0.0.0'] }), /refusing to bind 0\.0\.0\.0 without --admin-token/);
  const s = await startServer({ args: ['--bind', '0.0.0.0', '--insecure-admin'] });
  assert.match(s.url, /^http:\/\/0\.0\.0\.0:\d+$/);
  assert.equal((await s.stop()).code, 0);
});
