// The request journal (/__admin/requests): bounds under load, redaction of credentials, every
// matcher, the near-miss 404 and the unmatched list, why a 401/403 was refused, and forgetting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, call, signJwt, intpcToken, mint, assertError, nowSec, DEMO, DEMO_PRIVATE,
} from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const list = async (base, query = '') => {
  const r = await call(base, 'GET', `/__admin/requests${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const find = async (base, body) => {
  const r = await call(base, 'POST', '/__admin/requests/find', { body });
  assert.equal(r.status, 200, r.text);
  return r.json.payload;
};
const count = async (base, body) => {
  const r = await call(base, 'POST', '/__admin/requests/count', { body });
  assert.equal(r.status, 200, r.text);
  return r.json.payload.count;
};

// `n` calls, `width` at a time.
async function burst(n, width, one) {
  for (let i = 0; i < n; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => one(i + k)));
  }
}

test('the journal stays within --journal-entries per partner and --journal-bytes under load', async () => {
  const small = await startServer({ args: ['--journal-entries', '40', '--journal-bytes', '64k'] });
  try {
    const token = await mint(small.url, DEMO.id);
    await burst(2000, 50, (i) => {
      const kind = i % 4;
      if (kind === 0) return fetch(`${small.url}/healthz`).then((r) => r.text());
      if (kind === 1) return fetch(`${small.url}/nope/${i}`).then((r) => r.text());
      if (kind === 2) {
        return fetch(`${small.url}/v2/3as/customers`, {
          method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: 'x'.repeat(3000) }),
        }).then((r) => r.text());
      }
      return fetch(`${small.url}/v2/3as/customers`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.text());
    });
    const all = await list(small.url, '?limit=1000');
    assert.ok(all.meta.bytes <= 64 * 1024, `bytes ${all.meta.bytes}`);
    assert.ok(all.meta.entries <= 80, `entries ${all.meta.entries}`);
    assert.ok(all.meta.dropped >= 2000 - 80, `dropped ${all.meta.dropped}`);
    assert.equal(all.payload.length, all.meta.entries);
    assert.ok((await list(small.url, `?intpId=${DEMO.id}&limit=1000`)).payload.length <= 40);
    const times = all.payload.map((e) => e.loggedAt);
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
  } finally {
    await small.stop();
  }
});

test('credentials never appear in an admin answer: only their sha256 fingerprint', async () => {
  const token = await mint(srv.url, DEMO.id);
  const intpc = intpcToken(DEMO.id, 'customer-x', DEMO_PRIVATE);
  const id = `redact-${Date.now()}`;
  await call(srv.url, 'GET', '/v2/3as/company-details', { token, headers: { 'X-Request-Id': id } });
  await call(srv.url, 'GET', '/v2/3as/customers', { headers: { 'X-Api-Key': 'twpl-SECRETSECRETSECRET1', 'X-Request-Id': `${id}-key` } });
  await fetch(`${srv.url}/dashboard?intpc_token=${intpc}&externalWebsiteId=w1`).then((r) => r.text());
  await call(srv.url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: 'twpl-SECRETSECRETSECRET2', websiteId: 'w' } });
  await call(srv.url, 'GET', `/no/such/route?websiteToken=${token}`);
  const answers = [
    await call(srv.url, 'GET', '/__admin/requests?limit=1000'),
    await call(srv.url, 'GET', '/__admin/requests/unmatched'),
    await call(srv.url, 'POST', '/__admin/requests/find', { body: {} }),
    await call(srv.url, 'GET', `/__admin/requests/${id}`),
  ];
  for (const r of answers) {
    assert.equal(r.status, 200, r.text);
    for (const secret of [token, intpc, 'SECRETSECRETSECRET', token.split('.')[2]]) {
      assert.ok(!r.text.includes(secret), 'a credential leaked into an admin answer');
    }
  }
  const entry = answers[3].json.payload;
  assert.match(entry.headers.Authorization, /^Bearer sha256:[0-9a-f]{8}$/);
  const login = (await find(srv.url, { route: '/v2/3as/api-keys/login' }))[0];
  assert.match(login.body, /"apiKey":"sha256:[0-9a-f]{8}"/);
  assert.match(login.body, /"websiteId":"w"/);
  const dash = (await find(srv.url, { route: '/dashboard' }))[0];
  assert.match(dash.query, /^intpc_token=sha256:[0-9a-f]{8}&externalWebsiteId=w1$/);
  const keyed = (await call(srv.url, 'GET', `/__admin/requests/${id}-key`)).json.payload;
  assert.match(keyed.headers['X-Api-Key'], /^sha256:[0-9a-f]{8}$/);
});

test('an entry holds the request and its answer; one is found by its request id', async () => {
  const token = await mint(srv.url, DEMO.id);
  const id = `entry-${Date.now()}`;
  const r = await call(srv.url, 'POST', '/v2/3as/customers?x=1', {
    token, body: { email: 'not-an-email' }, headers: { 'X-Request-Id': id, 'User-Agent': 'journal-test' },
  });
  assert.equal(r.status, 400);
  const e = (await call(srv.url, 'GET', `/__admin/requests/${id}`)).json.payload;
  assert.equal(e.requestId, id);
  assert.equal(e.method, 'POST');
  assert.equal(e.path, '/v2/3as/customers');
  assert.equal(e.query, 'x=1');
  assert.equal(e.headers['User-Agent'], 'journal-test');
  assert.equal(e.headers['Content-Type'], 'application/json');
  assert.equal(e.body, '{"email":"not-an-email"}');
  assert.equal(e.bodyBytes, e.body.length);
  assert.equal(e.bodyTruncated, false);
  assert.equal(e.status, 400);
  assert.equal(e.intpId, DEMO.id);
  assert.equal(e.route, '/v2/3as/customers');
  assert.equal(e.matched, true);
  assert.equal(e.error, r.json.error);
  assert.equal(e.authFailure, null);
  assert.ok(e.durationMs > 0);
  assert.match(e.loggedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assertError(assert, await call(srv.url, 'GET', '/__admin/requests/no-such-request'), 404);
});

test('every matcher: method, path, route, status and class, intpId, since, bodyContains, bodyJson, limit', async () => {
  const token = await mint(srv.url, DEMO.id);
  const mark = `m${Date.now()}`;
  const since = new Date(Date.now() - 1000).toISOString();
  const email = `${mark}@example.com`;
  const created = await call(srv.url, 'POST', '/v2/3as/customers', {
    token, body: { email, intpCustomerId: mark, website: { intpWebsiteId: `${mark}-w`, domain: `${mark}.example.com` } },
  });
  assert.equal(created.status, 201, created.text);
  await call(srv.url, 'GET', `/v2/3as/customers/${mark}`, { token });
  await call(srv.url, 'GET', `/v2/3as/customers/${mark}/`, { token });
  const byRoute = { route: '/v2/3as/customers/{intpCustomerId}', intpId: DEMO.id };
  const cases = [
    [{ bodyContains: email }, 1],
    [{ bodyJson: { email } }, 1],
    [{ bodyJson: { website: { domain: `${mark}.example.com` } } }, 1],
    [{ bodyJson: { email, extra: true } }, 0],
    [{ bodyJson: { email: 'other@example.com' } }, 0],
    [{ method: 'post', bodyContains: mark }, 1],
    [{ method: 'DELETE', bodyContains: mark }, 0],
    [{ path: `/v2/3as/customers/${mark}` }, 2],
    [{ path: `/v2/3as/customers/${mark}`, method: 'GET', status: 200 }, 2],
    [{ path: `/v2/3as/customers/${mark}`, status: '2xx' }, 2],
    [{ path: `/v2/3as/customers/${mark}`, status: '4xx' }, 0],
    [{ ...byRoute, since, path: `/v2/3as/customers/${mark}` }, 2],
    [{ ...byRoute, since: '2999-01-01T00:00:00Z' }, 0],
    [{ intpId: 'no-such-partner', bodyContains: mark }, 0],
  ];
  for (const [matcher, want] of cases) {
    assert.equal(await count(srv.url, matcher), want, JSON.stringify(matcher));
    assert.equal((await find(srv.url, matcher)).length, want, JSON.stringify(matcher));
  }
  const limited = await find(srv.url, { path: `/v2/3as/customers/${mark}`, limit: 1 });
  assert.equal(limited.length, 1);
  assert.equal(limited[0].path, `/v2/3as/customers/${mark}/`, 'the newest');
  // the same filters on the list
  const listed = await list(srv.url, `?route=${encodeURIComponent(byRoute.route)}&intpId=${DEMO.id}&method=GET&status=2xx&since=${since}&limit=5`);
  assert.ok(listed.payload.length >= 2 && listed.payload.every((e) => e.route === byRoute.route && e.status === 200));
  assert.equal((await list(srv.url, `?path=/v2/3as/customers/${mark}&limit=1`)).payload.length, 1);
  // bad matchers and filters are 400s that name the field
  for (const [body, field] of [[{ urlPath: '/x' }, 'urlPath'], [{ status: 'teapot' }, 'status'], [{ since: 'yesterday' }, 'since'], [{ limit: 0 }, 'limit']]) {
    const r = await call(srv.url, 'POST', '/__admin/requests/find', { body });
    assertError(assert, r, 400);
    assert.equal(r.json.field, field);
  }
  assertError(assert, await call(srv.url, 'POST', '/__admin/requests/count', { body: { limit: 3 } }), 400);
  for (const q of ['?status=600', '?limit=0', '?since=x']) assertError(assert, await call(srv.url, 'GET', `/__admin/requests${q}`), 400);
});

test('a 404 for an unknown route names the nearest routes; the unmatched list has them too', async () => {
  const r = await call(srv.url, 'GET', '/v2/3as/custmers');
  assertError(assert, r, 404, 'route not found');
  assert.match(r.json.message, /^no route for GET \/v2\/3as\/custmers; closest: GET \/v2\/3as\/customers\b/);
  const post = await call(srv.url, 'POST', '/v2/3as/customer', { body: {} });
  assert.match(post.json.message, /closest: POST \/v2\/3as\/customers\b/);
  const far = await call(srv.url, 'GET', '/nothing/like/any/route/at/all');
  assert.equal(far.json.message, 'no route for GET /nothing/like/any/route/at/all');
  const wrongMethod = await call(srv.url, 'PATCH', '/v2/3as/customers');
  assert.equal(wrongMethod.status, 405);
  const unmatched = (await call(srv.url, 'GET', '/__admin/requests/unmatched?limit=1000')).json.payload;
  const miss = unmatched.find((e) => e.requestId === r.headers.get('x-request-id'));
  assert.ok(miss, 'the 404 is in the unmatched list');
  assert.equal(miss.matched, false);
  assert.equal(miss.route, null);
  assert.equal(miss.nearMisses[0], 'GET /v2/3as/customers');
  assert.ok(unmatched.some((e) => e.requestId === wrongMethod.headers.get('x-request-id')), 'a 405 matched no route either');
  assert.ok(unmatched.every((e) => e.matched === false));
  assert.ok(!unmatched.some((e) => e.path === '/healthz'), 'matched requests are not listed');
});

test('the journal says why a 401/403 was refused; the answer does not say more than before', async () => {
  const exp = nowSec() - 3600;
  const expired = signJwt({ alg: 'RS256', typ: 'JWT', kid: DEMO.id }, { roles: ['intp'], intp_id: DEMO.id, exp, iat: exp - 60 }, DEMO_PRIVATE);
  const unknownKid = signJwt({ alg: 'RS256', typ: 'JWT', kid: 'no-such-intp' },
    { roles: ['intp'], intp_id: 'no-such-intp', exp: nowSec() + 600, iat: nowSec() }, DEMO_PRIVATE);
  const wrongRole = intpcToken(DEMO.id, 'customer-1', DEMO_PRIVATE);
  const tampered = `${(await mint(srv.url, DEMO.id)).slice(0, -4)}AAAA`;
  const cases = [
    [expired, 401, 'token has expired'],
    [unknownKid, 401, 'token kid names no known intp'],
    [wrongRole, 403, 'token role is not intp'],
    [tampered, 401, 'token signature does not verify'],
    [undefined, 401, 'no Bearer token in the Authorization header'],
  ];
  for (const [token, status, why] of cases) {
    const r = await call(srv.url, 'GET', '/v2/3as/company-details', { token });
    assert.equal(r.status, status, r.text);
    assert.ok(!('authFailure' in r.json));
    const e = (await call(srv.url, 'GET', `/__admin/requests/${r.headers.get('x-request-id')}`)).json.payload;
    assert.equal(e.authFailure, why);
    assert.equal(e.status, status);
  }
  const apiKey = await call(srv.url, 'POST', `/v2/websites/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/sessions`,
    { headers: { 'X-Api-Key': 'twpl-AAAAAAAAAAAAAAAAAAAA' }, body: {} });
  assert.equal(apiKey.status, 401);
  const e = (await call(srv.url, 'GET', `/__admin/requests/${apiKey.headers.get('x-request-id')}`)).json.payload;
  assert.equal(e.authFailure, 'api key unknown or deleted');
  const ok = await find(srv.url, { route: '/v2/3as/company-details', status: 200 });
  assert.ok(ok.every((x) => x.authFailure === null));
});

test('the admin token guards the journal, and a refused admin call says why', async () => {
  const guarded = await startServer({ args: ['--admin-token', 'adm1n-secret'] });
  try {
    const auth = { Authorization: 'Bearer adm1n-secret' };
    assertError(assert, await call(guarded.url, 'GET', '/__admin/requests'), 401);
    const wrong = await call(guarded.url, 'GET', '/__admin/intps', { headers: { Authorization: 'Bearer nope' } });
    assertError(assert, wrong, 401);
    const r = await call(guarded.url, 'GET', `/__admin/requests/${wrong.headers.get('x-request-id')}`, { headers: auth });
    assert.equal(r.json.payload.authFailure, 'admin token wrong');
    assert.ok(!r.text.includes('adm1n-secret') && !r.text.includes('"Bearer nope"'));
  } finally {
    await guarded.stop();
  }
});

test('DELETE forgets one partner\'s requests, or all of them', async () => {
  const token = await mint(srv.url, DEMO.id);
  await call(srv.url, 'GET', '/v2/3as/company-details', { token });
  await call(srv.url, 'GET', '/healthz');
  const mine = (await list(srv.url, `?intpId=${DEMO.id}&limit=1000`)).payload.length;
  assert.ok(mine > 0);
  const one = await call(srv.url, 'DELETE', `/__admin/requests?intpId=${DEMO.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.json.payload.deleted, mine);
  assert.equal((await list(srv.url, `?intpId=${DEMO.id}`)).payload.length, 0);
  assert.ok((await list(srv.url, '?path=/healthz')).payload.length > 0, 'the others stay');
  const all = await call(srv.url, 'DELETE', '/__admin/requests');
  assert.ok(all.json.payload.deleted > 0);
  const left = await list(srv.url, '');
  assert.deepEqual(left.payload, [], 'the journal\'s own API is not journaled');
  assert.equal(left.meta.entries, 0);
});

test('--no-journal keeps nothing and answers empty', async () => {
  const off = await startServer({ args: ['--no-journal'] });
  try {
    await call(off.url, 'GET', '/healthz');
    const r = await list(off.url, '');
    assert.deepEqual(r.payload, []);
    assert.deepEqual(r.meta, { enabled: false, entries: 0, bytes: 0, dropped: 0 });
    assert.equal(await count(off.url, {}), 0);
    assertError(assert, await call(off.url, 'GET', '/__admin/requests/any'), 404);
  } finally {
    await off.stop();
  }
});
