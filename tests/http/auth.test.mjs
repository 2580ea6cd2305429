// Authentication (contract §3, D2, D9): every SDK dialect accepted, every forgery refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startServer, call, signJwt, dialects, intpcToken, mint, assertError, nowSec,
  DEMO, DEMO_PRIVATE, OTHER_PRIVATE, key,
} from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const details = (token, headers) => call(srv.url, 'GET', '/v2/3as/company-details', { token, headers });

function assertDetails(r, id = DEMO.id) {
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const p = r.json.payload;
  assert.deepEqual(Object.keys(p).sort(),
    ['address', 'billingMode', 'createdAt', 'id', 'name', 'subscriptionType', 'websiteOnboarding']);
  assert.equal(p.id, id);
  assert.match(p.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(typeof p.websiteOnboarding, 'boolean');
}

for (const [name, make] of Object.entries(dialects)) {
  test(`the ${name} SDK token reads company details`, async () => {
    const r = await details(make(DEMO.id, DEMO_PRIVATE));
    assertDetails(r);
    assert.equal(r.json.payload.subscriptionType, DEMO.subscriptionType);
    assert.equal(r.json.payload.billingMode, DEMO.billingMode);
    assert.equal(r.json.payload.name, DEMO.name);
  });
}

test('a token minted by the admin API is accepted, and again from the cache', async () => {
  const token = await mint(srv.url, DEMO.id);
  assertDetails(await details(token));
  assertDetails(await details(token));
});

const base = () => ({ roles: ['intp'], intp_id: DEMO.id, exp: nowSec() + 600, iat: nowSec() });
const hdr = (extra = {}) => ({ alg: 'RS256', typ: 'JWT', kid: DEMO.id, ...extra });
const ecKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

const forgeries = {
  'no Authorization header': () => undefined,
  'not a JWT': () => 'not-a-token',
  'alg none': () => signJwt(hdr({ alg: 'none' }), base(), null, 'none'),
  'HS256 with the public key PEM as secret': () => signJwt(hdr({ alg: 'HS256' }), base(), key('demo-intp.public.pem')),
  'RS512': () => signJwt(hdr({ alg: 'RS512' }), base(), DEMO_PRIVATE),
  'ES256': () => signJwt(hdr({ alg: 'ES256' }), base(), ecKey),
  'signed with another key': () => signJwt(hdr(), base(), OTHER_PRIVATE),
  'payload tampered': () => {
    const [h, , s] = signJwt(hdr(), base(), DEMO_PRIVATE).split('.');
    const evil = Buffer.from(JSON.stringify({ ...base(), exp: nowSec() + 999999 })).toString('base64url');
    return `${h}.${evil}.${s}`;
  },
  'expired two minutes ago': () => signJwt(hdr(), { ...base(), exp: nowSec() - 120, iat: nowSec() - 720 }, DEMO_PRIVATE),
  'nbf in the future': () => signJwt(hdr(), { ...base(), nbf: nowSec() + 600 }, DEMO_PRIVATE),
  'no exp': () => signJwt(hdr(), { roles: ['intp'], intp_id: DEMO.id }, DEMO_PRIVATE),
  'unknown kid': () => signJwt(hdr({ kid: 'nobody' }), { ...base(), intp_id: 'nobody' }, DEMO_PRIVATE),
  'no kid': () => signJwt({ alg: 'RS256', typ: 'JWT' }, base(), DEMO_PRIVATE),
  'intp_id differs from kid': () => signJwt(hdr(), { ...base(), intp_id: 'someone-else' }, DEMO_PRIVATE),
  'no roles': () => signJwt(hdr(), { intp_id: DEMO.id, exp: nowSec() + 600 }, DEMO_PRIVATE),
  'typ JWS': () => signJwt(hdr({ typ: 'JWS' }), base(), DEMO_PRIVATE),
};

for (const [name, make] of Object.entries(forgeries)) {
  test(`refused with 401: ${name}`, async () => {
    const r = await details(make());
    assertError(assert, r, 401, 'invalid access token');
    assert.ok(!('payload' in r.json));
  });
}

test('a Basic Authorization header is refused', async () => {
  assertError(assert, await details(undefined, { Authorization: 'Basic dXNlcjpwYXNz' }), 401, 'invalid access token');
});

test('an intpc token on an intp route is 403', async () => {
  const r = await details(intpcToken(DEMO.id, 'customer-1', DEMO_PRIVATE));
  assertError(assert, r, 403);
});

test('each partner sees only its own company details', async () => {
  const created = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Second', subscriptionType: 'intpc' } });
  assert.equal(created.status, 201);
  const other = created.json.payload;
  const r = await details(dialects.node(other.id, created.json.payload.privateKey));
  assertDetails(r, other.id);
  assert.equal(r.json.payload.subscriptionType, 'intpc');
  // the other partner's key cannot speak for the demo partner
  assertError(assert, await details(signJwt(hdr(), base(), created.json.payload.privateKey)), 401);
});

test('a partner onboarded with its own PKCS#1 public key signs its own tokens', async () => {
  const id = `own-key-${crypto.randomUUID()}`;
  const created = await call(srv.url, 'POST', '/__admin/intps', { body: { id, publicKey: key('other.public.pkcs1.pem') } });
  assert.equal(created.status, 201, created.text);
  assert.ok(!('privateKey' in created.json.payload));
  assert.match(created.json.payload.publicKey, /^-----BEGIN PUBLIC KEY-----/);
  assertDetails(await details(dialects.php(id, OTHER_PRIVATE)), id);
  // the mock holds no private key for it, so it cannot mint
  const m = await call(srv.url, 'POST', `/__admin/intps/${id}/tokens`, { body: { role: 'intp' } });
  assertError(assert, m, 400);
});

test('after a partner is deleted its cached token is refused', async () => {
  const created = await call(srv.url, 'POST', '/__admin/intps', { body: {} });
  const { id, privateKey } = created.json.payload;
  const token = dialects.node(id, privateKey);
  assertDetails(await details(token), id);
  assert.equal((await call(srv.url, 'DELETE', `/__admin/intps/${id}`)).status, 200);
  assertError(assert, await details(token), 401, 'invalid access token');
});
