// Fault injection per partner (README "Fault injection"): the admin routes, each fault kind, what
// a faulted write leaves behind, seeded replays, and delays that hold no one else's requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, call, DEMO, DEMO_PRIVATE, dialects } from './helpers.mjs';
import { uniq, withServer } from './entities.mjs';

const addRule = (srv, id, body) => call(srv.url, 'POST', `/__admin/intps/${id}/faults`, { body });
const listRules = async (srv, id) => (await call(srv.url, 'GET', `/__admin/intps/${id}/faults`)).json.payload;
const clearRules = (srv, id) => call(srv.url, 'DELETE', `/__admin/intps/${id}/faults`);

// A request outside call(): the answer of a dropped connection, or a rule's own body, is not one
// the OpenAPI document can describe. Resolves to {status, headers, text} or {dropped: true}.
async function raw(srv, api, method, p, body) {
  try {
    const res = await fetch(srv.url + p, {
      method,
      headers: { Authorization: `Bearer ${dialects.node(api.id, DEMO_PRIVATE)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (e) {
    return { dropped: true, error: e };
  }
}

const timed = async (fn) => {
  const t0 = performance.now();
  const r = await fn();
  return { r, ms: performance.now() - t0 };
};

test('status faults: the D2 body the SDKs parse, Retry-After, times, then the real answer', () => withServer(async ({ srv, demo }) => {
  const rule = await addRule(srv, demo.id, { match: { method: 'GET', route: '/v2/3as/customers' }, fault: { status: 429 }, times: 2 });
  assert.equal(rule.status, 201, rule.text);
  const id = rule.json.payload.id;
  assert.equal(rule.json.payload.times, 2);
  assert.equal(typeof rule.json.payload.seed, 'number', 'a seed is chosen and shown');
  for (let i = 0; i < 2; i++) {
    const r = await demo('GET', '/v2/3as/customers');
    assertError(assert, r, 429, 'too many requests');
    assert.equal(r.headers.get('retry-after'), '1', 'a 429 always carries Retry-After');
    assert.match(r.json.message, new RegExp(id));
  }
  assert.equal((await demo('GET', '/v2/3as/customers')).status, 200, 'spent after times');
  assert.equal((await demo('GET', '/v2/3as/packages')).status, 200, 'another route is not matched');
  const [listed] = await listRules(srv, demo.id);
  assert.equal(listed.matched, 2);
  assert.equal(listed.fired, 2);
  await clearRules(srv, demo.id);
  for (const status of [500, 502, 503, 504]) {
    await addRule(srv, demo.id, { match: { path: '/v2/3as/packages' }, fault: { status, retryAfter: 7 }, times: 1 });
    const r = await demo('GET', '/v2/3as/packages');
    assertError(assert, r, status);
    assert.equal(r.headers.get('retry-after'), '7');
  }
  assert.equal((await demo('GET', '/v2/3as/packages')).status, 200);
  // the rule's own body, answered as it is
  await addRule(srv, demo.id, { match: { path: '/v2/3as/*' }, fault: { status: 503, body: { oops: true } }, times: 1 });
  const own = await raw(srv, demo, 'GET', '/v2/3as/customers');
  assert.equal(own.status, 503);
  assert.deepEqual(JSON.parse(own.text), { oops: true });
}));

test('a faulted write changes nothing; after: commit writes and loses or replaces the answer', () => withServer(async ({ srv, demo }) => {
  const c1 = uniq('c');
  await addRule(srv, demo.id, { match: { method: 'POST', route: '/v2/3as/customers' }, fault: { status: 500 }, times: 1 });
  assertError(assert, await demo('POST', '/v2/3as/customers', { intpCustomerId: c1, email: `${c1}@x.io` }), 500);
  assertError(assert, await demo('GET', `/v2/3as/customers/${c1}`), 404);

  await addRule(srv, demo.id, { match: { method: 'POST' }, fault: { dropConnection: true }, times: 1 });
  const dropped = await raw(srv, demo, 'POST', '/v2/3as/customers', { intpCustomerId: c1, email: `${c1}@x.io` });
  assert.ok(dropped.dropped, 'the connection closed without an answer');
  assertError(assert, await demo('GET', `/v2/3as/customers/${c1}`), 404); // a dropped write changes nothing

  await addRule(srv, demo.id, { match: { method: 'POST' }, fault: { dropConnection: true }, after: 'commit', times: 1 });
  const lost = await raw(srv, demo, 'POST', '/v2/3as/customers', { intpCustomerId: c1, email: `${c1}@x.io` });
  assert.ok(lost.dropped, 'the answer is lost');
  assert.equal((await demo('GET', `/v2/3as/customers/${c1}`)).status, 200, 'but the write happened');

  const c2 = uniq('c');
  await addRule(srv, demo.id, { match: { method: 'POST' }, fault: { status: 502 }, after: 'commit', times: 1 });
  assertError(assert, await demo('POST', '/v2/3as/customers', { intpCustomerId: c2, email: `${c2}@x.io` }), 502);
  assert.equal((await demo('GET', `/v2/3as/customers/${c2}`)).status, 200, 'the write behind a replaced answer happened');
  const retry = await demo('POST', '/v2/3as/customers', { intpCustomerId: c2, email: `${c2}@x.io` });
  assertError(assert, retry, 400, 'already exists'); // a retry meets the committed write
}));

// One run of a seeded rule over 24 requests: their statuses.
async function seededRun() {
  let seen;
  await withServer(async ({ srv, demo }) => {
    await addRule(srv, demo.id, { match: { route: '/v2/3as/packages' }, fault: { status: 503 }, probability: 0.5, seed: 1234 });
    seen = [];
    for (let i = 0; i < 24; i++) seen.push((await demo('GET', '/v2/3as/packages')).status);
    const [rule] = await listRules(srv, demo.id);
    assert.equal(rule.matched, 24);
    assert.equal(rule.fired, seen.filter((s) => s === 503).length);
  });
  return seen;
}

test('probability with a seed: the same faults on a replay, on another server', async () => {
  const first = await seededRun();
  const second = await seededRun();
  assert.deepEqual(first, second, 'the same seed faults the same requests');
  assert.ok(first.includes(503) && first.includes(200), `a mix: ${first.join(' ')}`);
});

test('delays: fixed and sampled, and they hold no other partner (nor a worker)', () => withServer(async ({ srv, demo, pool }) => {
  await addRule(srv, demo.id, { match: { route: '/v2/3as/customers' }, fault: { delayMs: 2000 } });
  await addRule(srv, demo.id, { match: { route: '/v2/3as/packages' }, fault: { delay: { distribution: 'uniform', minMs: 300, maxMs: 400 } }, seed: 9 });
  const sampled = await timed(() => demo('GET', '/v2/3as/packages'));
  assert.equal(sampled.r.status, 200, 'a delay alone keeps the real answer');
  assert.ok(sampled.ms >= 290 && sampled.ms < 1500, `uniform 300..400 ms: ${sampled.ms}`);

  // six delayed requests of A on a server with two workers, and B meanwhile
  const t0 = performance.now();
  const slow = Array.from({ length: 6 }, () => demo('GET', '/v2/3as/customers').then((r) => ({ r, ms: performance.now() - t0 })));
  await new Promise((r) => setTimeout(r, 100));
  const b = await timed(() => pool('GET', '/v2/3as/packages'));
  assert.equal(b.r.status, 200);
  assert.ok(b.ms < 300, `B answers at once while A waits: ${b.ms} ms`);
  const a = await timed(() => demo('GET', '/v2/3as/company-details'));
  assert.equal(a.r.status, 200);
  assert.ok(a.ms < 300, `A's unmatched route answers at once too: ${a.ms} ms`);
  const done = await Promise.all(slow);
  for (const { r, ms } of done) {
    assert.equal(r.status, 200);
    assert.ok(ms >= 1950 && ms < 3500, `each delayed request takes its 2 s, side by side: ${ms} ms`);
  }
}, ['--workers', '2']));

test('admin: list in the order tried, delete one, clear; partner routes only', () => withServer(async ({ srv, demo, pool }) => {
  const a = (await addRule(srv, demo.id, { fault: { status: 503 }, match: { route: '/v2/3as/customers/{intpCustomerId}' } })).json.payload;
  const b = (await addRule(srv, demo.id, { fault: { status: 500 }, match: { path: '/v2/3as/customers/*' } })).json.payload;
  assert.deepEqual((await listRules(srv, demo.id)).map((r) => r.id), [a.id, b.id]);
  assert.deepEqual(await listRules(srv, pool.id), [], 'rules are per partner');
  assertError(assert, await demo('GET', '/v2/3as/customers/nobody'), 503, 'service unavailable');
  assert.equal((await pool('GET', '/v2/3as/customers/nobody')).status, 404, 'the other partner is not faulted');
  assert.equal((await call(srv.url, 'GET', `/__admin/intps/${demo.id}/clock`)).status, 200, 'admin routes are never faulted');
  assert.equal((await call(srv.url, 'DELETE', `/__admin/intps/${demo.id}/faults/${a.id}`)).status, 204);
  assertError(assert, await call(srv.url, 'DELETE', `/__admin/intps/${demo.id}/faults/${a.id}`), 404);
  assertError(assert, await demo('GET', '/v2/3as/customers/nobody'), 500); // the next rule now
  assert.equal((await clearRules(srv, demo.id)).status, 204);
  assert.deepEqual(await listRules(srv, demo.id), []);
  assertError(assert, await demo('GET', '/v2/3as/customers/nobody'), 404); // cleared: the real answer
  assertError(assert, await call(srv.url, 'GET', '/__admin/intps/nope/faults'), 404);
}));

test('cached reads meet the rules too', () => withServer(async ({ srv, demo }) => {
  for (let i = 0; i < 3; i++) assert.equal((await demo('GET', '/v2/3as/packages')).status, 200);
  await addRule(srv, demo.id, { match: { route: '/v2/3as/packages' }, fault: { status: 503 }, times: 2 });
  assertError(assert, await demo('GET', '/v2/3as/packages'), 503);
  assertError(assert, await demo('GET', '/v2/3as/packages'), 503);
  assert.equal((await demo('GET', '/v2/3as/packages')).status, 200);
}));

test('bad rules: 400 naming the field, nothing stored', () => withServer(async ({ srv, demo }) => {
  const cases = [
    [{}, 'fault'],
    [{ fault: {} }, 'fault'],
    [{ fault: { status: 418 } }, 'fault.status'],
    [{ fault: { status: 'x' } }, 'fault.status'],
    [{ fault: { delayMs: 60001 } }, 'fault.delayMs'],
    [{ fault: { delayMs: 5, delay: { distribution: 'uniform', minMs: 1, maxMs: 2 } } }, 'fault.delay'],
    [{ fault: { delay: { distribution: 'normal' } } }, 'fault.delay.distribution'],
    [{ fault: { delay: { distribution: 'uniform', minMs: 5, maxMs: 2 } } }, 'fault.delay.maxMs'],
    [{ fault: { delay: { distribution: 'lognormal' } } }, 'fault.delay.medianMs'],
    [{ fault: { delay: { distribution: 'lognormal', medianMs: 10, sigma: 9 } } }, 'fault.delay.sigma'],
    [{ fault: { status: 503, dropConnection: true } }, 'fault.dropConnection'],
    [{ fault: { delayMs: 5, retryAfter: 3 } }, 'fault.retryAfter'],
    [{ fault: { body: {} } }, 'fault.body'],
    [{ fault: { status: 503, delayMS: 5 } }, 'fault.delayMS'],
    [{ fault: { status: 503 }, extra: 1 }, 'extra'],
    [{ fault: { status: 503 }, match: { route: '/v2/3as/nothing' } }, 'match.route'],
    [{ fault: { status: 503 }, match: { route: '/__admin/intps/{id}/clock' } }, 'match.route'],
    [{ fault: { status: 503 }, match: { method: 'DELETE', route: '/v2/3as/packages' } }, 'match.route'],
    [{ fault: { status: 503 }, match: { route: '/v2/3as/packages', path: '/v2/3as/packages' } }, 'match.path'],
    [{ fault: { status: 503 }, match: { path: 'v2/*' } }, 'match.path'],
    [{ fault: { status: 503 }, match: { path: '/v2/*/x' } }, 'match.path'],
    [{ fault: { status: 503 }, match: { method: 'TRACE' } }, 'match.method'],
    [{ fault: { delayMs: 5 }, after: 'commit' }, 'after'],
    [{ fault: { status: 503 }, after: 'later' }, 'after'],
    [{ fault: { status: 503 }, times: 0 }, 'times'],
    [{ fault: { status: 503 }, probability: 1.5 }, 'probability'],
    [{ fault: { status: 503 }, seed: -1 }, 'seed'],
  ];
  for (const [body, field] of cases) {
    const r = await addRule(srv, demo.id, body);
    assertError(assert, r, 400);
    assert.equal(r.json.field, field, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.deepEqual(await listRules(srv, demo.id), [], 'nothing stored');
  for (let i = 0; i < 32; i++) assert.equal((await addRule(srv, demo.id, { fault: { delayMs: 0 }, match: { path: '/none' } })).status, 201);
  const over = await addRule(srv, demo.id, { fault: { delayMs: 0 } });
  assertError(assert, over, 400);
  assert.match(over.json.message, /32/);
}));

test('rules are stored: a restart keeps them, and they go with their partner', async () => {
  const { startServer } = await import('./helpers.mjs');
  const srv = await startServer();
  let db = srv.db;
  try {
    const p = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Faulty' } });
    const id = p.json.payload.id;
    await addRule(srv, id, { fault: { status: 503 } });
    await addRule(srv, DEMO.id, { fault: { status: 503 }, times: 1 });
    await srv.stop();
    const again = await startServer({ db });
    try {
      assert.equal((await listRules(again, id)).length, 1, 'kept across a restart');
      assert.equal((await call(again.url, 'DELETE', `/__admin/intps/${id}`)).status, 200);
      const back = await call(again.url, 'POST', '/__admin/intps', { body: { id, name: 'Faulty again' } });
      assert.equal(back.status, 201, back.text);
      assert.deepEqual(await listRules(again, id), [], 'a deleted partner takes its rules along');
    } finally {
      await again.stop();
    }
  } finally {
    await srv.stop();
  }
});

test('a partner reset drops its rules: it answers as a fresh partner', () => withServer(async ({ srv, demo }) => {
  const rule = await addRule(srv, demo.id, { match: { route: '/v2/3as/packages' }, fault: { status: 503 } });
  assert.equal(rule.status, 201, rule.text);
  assertError(assert, await demo('GET', '/v2/3as/packages'), 503);
  const reset = await call(srv.url, 'POST', `/__admin/intps/${demo.id}/reset`);
  assert.equal(reset.status, 200, reset.text);
  assert.deepEqual(await listRules(srv, demo.id), []);
  assert.equal((await demo('GET', '/v2/3as/packages')).status, 200);
}));
