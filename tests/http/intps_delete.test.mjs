// DELETE /__admin/intps/{id}: the partner is gone at once for every purpose (its tombstone is
// committed first), its rows are purged in short transactions, its id can be onboarded again, and
// a crash in the middle of the purge leaves the partner whole or absent, never half there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, call, dialects, intpcToken, mint, assertError, DEMO } from './helpers.mjs';

const SQLITE3 = process.env.SQLITE3 || 'sqlite3';
const SEED = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'seed.sql');

// One query on the server's database file, as the server sees it after its last commit.
const sql = (db, q) => execFileSync(SQLITE3, ['-readonly', '-batch', db, q], { encoding: 'utf8' }).trim();

// N customers with a website and a subscription each (bench/seed.sql), plus one history event per
// subscription, written straight into the database of partner `id` (no server running on it).
function seed(db, id, n) {
  const script = fs.readFileSync(SEED, 'utf8').replaceAll('@N@', String(n)).replaceAll('@INTP@', id)
    .replaceAll('@NOW@', String(Math.floor(Date.now() / 1000)));
  execFileSync(SQLITE3, ['-batch', db], {
    input: `${script}\nINSERT INTO subscription_events (subscription_id, at, action, status_after) `
      + `SELECT id, created_at, 'created', 'active' FROM subscriptions WHERE intp_id = '${id}';\n`,
  });
}

// Rows that name partner `id`, in every table that has a path to it.
function rowsOf(db, id) {
  const q = (t, where) => `(SELECT count(*) FROM ${t} WHERE ${where})`;
  const bySite = `website_id IN (SELECT id FROM websites WHERE intp_id = '${id}')`;
  return Number(sql(db, `SELECT ${[
    q('intps', `id = '${id}'`), q('intp_totals', `intp_id = '${id}'`), q('packages', `intp_id = '${id}'`),
    q('customers', `intp_id = '${id}'`), q('websites', `intp_id = '${id}'`), q('subscriptions', `intp_id = '${id}'`),
    q('subscription_events', `subscription_id IN (SELECT id FROM subscriptions WHERE intp_id = '${id}')`),
    // the periods of its subscriptions, and any period whose subscription is gone
    q('subscription_periods', `subscription IN (SELECT rowid FROM subscriptions WHERE intp_id = '${id}') `
      + 'OR subscription NOT IN (SELECT rowid FROM subscriptions)'),
    q('api_keys', bySite), q('refresh_tokens', bySite), q('whitelisted_domains', bySite), q('contributors', bySite),
    q('package_assignments', `package_id IN (SELECT id FROM packages WHERE intp_id = '${id}')`),
  ].join(' + ')}`));
}

const onboard = async (srv, id) => {
  const r = await call(srv.url, 'POST', '/__admin/intps', { body: { id, name: 'To delete' } });
  assert.equal(r.status, 201, r.text);
  return r.json.payload;
};

// A server whose partner `id` has n seeded customers: onboarded, stopped, seeded, started again.
async function seededServer(id, n) {
  const first = await startServer();
  await onboard(first, id);
  await first.stop();
  seed(first.db, id, n);
  return startServer({ db: first.db });
}

test('after the delete the partner is gone for every purpose; its id can be onboarded again', async () => {
  const srv = await startServer();
  try {
    const id = `del-${crypto.randomUUID()}`;
    const p = await onboard(srv, id);
    const token = dialects.node(id, p.privateKey);
    const minted = await mint(srv.url, id);
    const api = (method, url, body, headers) => call(srv.url, method, url, { token, body, headers });
    assert.equal((await api('POST', '/v2/3as/customers', { intpCustomerId: 'c1', email: 'c1@x.io', website: { intpWebsiteId: 'w1', domain: 'd.io' } })).status, 201);
    const w = (await api('GET', '/v2/3as/websites/w1')).json.payload;
    const key = (await api('POST', '/v2/3as/websites/w1/api-keys', { name: 'k' })).json.payload.apiKey;
    const login = (await call(srv.url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: key, websiteId: w.id } })).json.payload;
    const day = new Date().toISOString().slice(0, 10);
    const data = () => call(srv.url, 'POST', `/v2/websites/${w.id}/analytics/sessions`, {
      headers: { 'X-Api-Key': key },
      body: { metrics: ['sessionCount'], dateRange: { start: `${day}T00:00:00.000+00:00`, end: `${day}T23:59:59.999+00:00` } },
    });
    const dashboard = (qs) => call(srv.url, 'GET', `/dashboard?${qs}`);
    const intpc = intpcToken(id, 'c1', p.privateKey);
    assert.equal((await data()).status, 200, 'the data API opens before');
    assert.equal((await dashboard(`websiteToken=${login.refreshToken}`)).status, 200, 'the dashboard opens before');
    assert.equal((await dashboard(`intpc_token=${intpc}&externalWebsiteId=w1`)).status, 200);

    const del = await call(srv.url, 'DELETE', `/__admin/intps/${id}`);
    assert.equal(del.status, 200, del.text);
    assert.equal(del.json.payload.id, id);

    assertError(assert, await api('GET', '/v2/3as/customers'), 401);
    assertError(assert, await call(srv.url, 'GET', '/v2/3as/customers', { token: minted }), 401);
    assertError(assert, await call(srv.url, 'GET', `/__admin/intps/${id}`), 404);
    assertError(assert, await call(srv.url, 'DELETE', `/__admin/intps/${id}`), 404);
    assertError(assert, await call(srv.url, 'POST', `/__admin/intps/${id}/reset`), 404);
    assertError(assert, await call(srv.url, 'POST', `/__admin/intps/${id}/tokens`, { body: { role: 'intp' } }), 404);
    const list = (await call(srv.url, 'GET', '/__admin/intps')).json.payload;
    assert.ok(!list.some((x) => x.id === id), 'the list omits it');
    assertError(assert, await data(), 401);
    assertError(assert, await call(srv.url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: key, websiteId: w.id } }), 401);
    assert.equal((await dashboard(`websiteToken=${login.refreshToken}`)).status, 401);
    assert.equal((await dashboard(`intpc_token=${intpc}&externalWebsiteId=w1`)).status, 401);
    assert.equal(rowsOf(srv.db, id), 0, 'no row is left');

    const again = await onboard(srv, id);
    const fresh = (method, url) => call(srv.url, method, url, { token: dialects.node(id, again.privateKey) });
    const customers = await fresh('GET', '/v2/3as/customers');
    assert.equal(customers.status, 200, customers.text);
    assert.deepEqual(customers.json.payload, [], 'the new partner starts empty');
    assertError(assert, await api('GET', '/v2/3as/customers'), 401); // the old key pair is gone
    assertError(assert, await data(), 401);
    assert.equal((await call(srv.url, 'GET', `/__admin/intps/${DEMO.id}`)).status, 200, 'other partners stay');
  } finally {
    await srv.stop();
  }
});

test('deleting a partner with 2,000 customers leaves nothing and no other partner\'s row', async () => {
  const id = `big-${crypto.randomUUID()}`;
  const srv = await seededServer(id, 2000);
  try {
    const before = rowsOf(srv.db, id);
    assert.ok(before > 8000, `seeded (${before} rows)`);
    const others = sql(srv.db, `SELECT count(*) FROM customers WHERE intp_id <> '${id}'`);
    const del = await call(srv.url, 'DELETE', `/__admin/intps/${id}`);
    assert.equal(del.status, 200, del.text);
    assert.equal(rowsOf(srv.db, id), 0);
    assert.equal(sql(srv.db, `SELECT count(*) FROM customers WHERE intp_id <> '${id}'`), others);
    await onboard(srv, id);
  } finally {
    await srv.stop();
  }
});

test('SIGKILL in the middle of a purge: after the restart the partner is whole or absent', async (t) => {
  const id = `crash-${crypto.randomUUID()}`;
  const srv = await seededServer(id, 5000);
  let restarted;
  try {
    const whole = rowsOf(srv.db, id);
    const pending = call(srv.url, 'DELETE', `/__admin/intps/${id}`).catch(() => null);
    // kill once the first slices are committed: subscriptions go first
    const subscriptions = () => Number(sql(srv.db, `SELECT count(*) FROM subscriptions WHERE intp_id = '${id}'`));
    for (let i = 0; i < 1000 && subscriptions() === 5000; i++) await new Promise((r) => setTimeout(r, 1));
    await srv.stop('SIGKILL');
    await pending;
    const left = rowsOf(srv.db, id);
    restarted = await startServer({ db: srv.db });
    const got = await call(restarted.url, 'GET', `/__admin/intps/${id}`);
    const listed = (await call(restarted.url, 'GET', '/__admin/intps')).json.payload.some((x) => x.id === id);
    if (got.status === 200) {
      assert.equal(left, whole, 'visible, so whole');
      assert.ok(listed);
    } else {
      assertError(assert, got, 404);
      assert.ok(!listed, 'absent from the list too');
      assert.ok(left < whole, `killed in the middle: ${left} of ${whole} rows left`);
      t.diagnostic(`killed with ${left} of ${whole} rows left`);
      assert.equal(rowsOf(restarted.db, id), 0, 'the start-up finished the purge: no row is left');
      const trace = sql(restarted.db, `SELECT count(*) FROM intps WHERE id = '${id}'`);
      assert.equal(trace, '0', 'nor the tombstone');
    }
    await onboard(restarted, id); // the id is free: leftovers are purged first
    const customers = sql(restarted.db, `SELECT count(*) FROM customers WHERE intp_id = '${id}'`);
    assert.equal(customers, '0', 'the partner onboarded again has none of the old rows');
  } finally {
    await srv.stop('SIGKILL');
    if (restarted) await restarted.stop();
  }
});
