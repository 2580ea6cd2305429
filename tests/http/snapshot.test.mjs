// Snapshots, seeds and backup (README "Snapshots, seeds and backup"): GET/POST
// /__admin/intps/{id}/snapshot, POST /__admin/snapshots, GET /__admin/backup, and the demo seed
// of fixtures/demo/snapshots/ (the other suites use fixtures/, whose demo partner starts empty).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, call, assertError, DEMO, FIXTURES } from './helpers.mjs';
import { dbState, dbDiff, closeDbState } from './dbstate.mjs';
import { partner, act } from './entities.mjs';

const SQLITE3 = process.env.SQLITE3 || 'sqlite3';

// A server and a fresh partner of it with some of everything: customers, websites on the trial,
// on Basic (downgrade planned) and on a custom package (assigned), a cancellation, whitelisted
// domains, an API key used to log in (a refresh token), a contributor, usage, a month passed.
async function livedIn() {
  const srv = await startServer();
  const made = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'Snap Shop', subscriptionType: 'website' } });
  assert.equal(made.status, 201, made.text);
  const id = made.json.payload.id;
  const api = partner(srv, id, made.json.payload.privateKey);
  const admin = (method, p, body) => call(srv.url, method, `/__admin/intps/${id}${p}`, { body });
  const packages = (await api('GET', '/v2/3as/packages')).json.payload;
  const pkg = (name) => packages.find((p) => p.name === name && p.period === 'monthly').id;
  const customer = async (c, packageId) => assert.equal((await api('POST', '/v2/3as/customers',
    { intpCustomerId: c, email: `${c}@snap.test`, website: { intpWebsiteId: `${c}-site`, domain: `${c}.snap.test`, packageId } })).status, 201);
  await customer('trial');
  await customer('basic', pkg('Basic'));
  await customer('leaving', pkg('Basic'));
  await customer('agency');
  const custom = (await api('POST', '/v2/3as/packages', { name: 'Agency', touchpoints: 900, price: 49.5, currency: 'USD',
    period: 'monthly', visibility: 'restricted', externalId: 'ag-1' })).json.payload;
  assert.equal((await api('PUT', `/v3/3as/packages/${custom.id}/assignments/agency-site`)).status, 204);
  assert.equal((await act(api, 'upgrade', { intpWebsiteId: 'agency-site', packageId: custom.id, trial: false, proRate: true })).status, 200);
  assert.equal((await act(api, 'cancel', { intpWebsiteId: 'leaving-site' })).status, 200);
  assert.equal((await api('POST', '/v2/3as/websites/basic-site/whitelisted-domains', { domain: 'cdn.snap.test' })).status, 204);
  const key = (await api('POST', '/v2/3as/websites/basic-site/api-keys', { name: 'export', comment: 'nightly' })).json.payload;
  const site = (await api('GET', '/v2/3as/websites/basic-site')).json.payload;
  assert.equal((await call(srv.url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: key.apiKey, websiteId: site.id } })).status, 200);
  assert.equal((await api('POST', '/v3/3as/websites/basic-site/contributors', { intpCustomerId: 'trial', role: 'watcher' })).status, 204);
  assert.equal((await admin('POST', '/clock', { advanceBy: 'P1M' })).status, 200);
  assert.equal((await admin('POST', '/websites/basic-site/usage', { visits: 120, sessionRecordings: 3 })).status, 200);
  assert.equal((await act(api, 'downgrade', { intpWebsiteId: 'basic-site', packageId: pkg('Free') })).status, 200);
  return { srv, id, api, admin, key, site };
}

const snapshotText = async (srv, id) => {
  const r = await call(srv.url, 'GET', `/__admin/intps/${id}/snapshot`);
  assert.equal(r.status, 200, r.text);
  return r.text;
};

test('GET snapshot: every table, keys as hashes, the clock; POST it back: byte for byte the same', async () => {
  const { srv, id, admin, key } = await livedIn();
  try {
    const before = await snapshotText(srv, id);
    const s = JSON.parse(before).payload;
    assert.equal(s.version, 1);
    assert.equal(s.intp.id, id);
    assert.ok(s.intp.clockOffset >= 30 * 86400 - 5, 'the clock setting');
    for (const [table, n] of Object.entries({ customers: 4, websites: 4, subscriptions: 4, whitelistedDomains: 1, apiKeys: 1,
      refreshTokens: 1, contributors: 1, packageAssignments: 1 })) assert.equal(s[table].length, n, table);
    assert.ok(s.subscriptionEvents.some((e) => e.action === 'renewal') && s.subscriptionEvents.some((e) => e.action === 'cancel'));
    assert.ok(s.packages.some((p) => p.name === 'Agency' && p.priceCents === 4950 && p.visibility === 'restricted'));
    assert.match(s.apiKeys[0].keyHash, /^[0-9a-f]{64}$/);
    assert.ok(!before.includes(key.apiKey), 'never the plain API key');
    assert.equal(s.websites.find((w) => w.intpWebsiteId === 'basic-site').visits, 120, 'usage');

    const r = await admin('POST', '/snapshot', JSON.parse(before));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.payload, { id, replaced: true, rows: { packages: s.packages.length, customers: 4, websites: 4,
      subscriptions: 4, subscriptionEvents: s.subscriptionEvents.length, whitelistedDomains: 1, apiKeys: 1, refreshTokens: 1,
      contributors: 1, packageAssignments: 1 } });
    assert.equal(await snapshotText(srv, id), before, 'the envelope posted back');
    assert.equal((await admin('POST', '/snapshot', s)).status, 200, 'the bare document too');
    assert.equal(await snapshotText(srv, id), before);

    // the restored partner lives on: its key, login and clock work, and both copies age alike
    const login = await call(srv.url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: key.apiKey, websiteId: s.websites[1].id } });
    assert.equal(login.status, 200, 'the API key still opens the website');
    assert.equal((await admin('POST', '/clock', { advanceBy: 'P2M' })).status, 200);
    const aged = await snapshotText(srv, id);
    assert.notEqual(aged, before);
    assert.equal((await admin('POST', '/snapshot', JSON.parse(aged))).status, 200);
    assert.equal(await snapshotText(srv, id), aged, 'the same after a clock move');
  } finally {
    await srv.stop();
  }
});

test('restore replaces the whole state: what was made after the snapshot is gone', async () => {
  const { srv, id, api, admin } = await livedIn();
  try {
    await admin('POST', '/clock', { freeze: true });
    const before = await snapshotText(srv, id);
    assert.equal((await api('POST', '/v2/3as/customers', { intpCustomerId: 'late', email: 'late@snap.test' })).status, 201);
    const pro = JSON.parse(before).payload.packages.find((p) => p.name === 'Pro' && p.period === 'monthly');
    const up = await act(api, 'upgrade', { intpWebsiteId: 'trial-site', packageId: pro.id, trial: false, proRate: false });
    assert.equal(up.status, 200, up.text);
    assert.equal((await api('DELETE', '/v2/3as/customers/agency')).status, 200);
    assert.equal((await admin('POST', '/snapshot', JSON.parse(before))).status, 200);
    assertError(assert, await api('GET', '/v2/3as/customers/late'), 404);
    assert.equal((await api('GET', '/v2/3as/customers/agency')).status, 200);
    assert.notEqual((await api('GET', '/v2/3as/websites/trial-site')).json.payload.packageName, 'Pro', 'the upgrade is undone');
    assert.equal(await snapshotText(srv, id), before);
  } finally {
    await srv.stop();
  }
});

// A snapshot with its ids (and hashes) left out, to compare copies taken under other ids.
function withoutIds(doc) {
  const s = structuredClone(doc);
  delete s.intp.id;
  const ids = new Map();
  const named = (v) => { if (!ids.has(v)) ids.set(v, `#${ids.size}`); return ids.get(v); };
  for (const rows of Object.values(s)) {
    if (!Array.isArray(rows)) continue;
    for (const row of rows) {
      for (const k of Object.keys(row)) {
        if (row[k] !== null && (k === 'id' || (k.endsWith('Id') && !/^intp(Customer|Website)Id$|^externalId$/.test(k)))) row[k] = named(row[k]);
        if (k.endsWith('Hash')) row[k] = 'hash';
      }
    }
  }
  return s;
}

test('restore under another id: a copy that collides with nothing; POST /__admin/snapshots creates', async () => {
  const { srv, id, admin, key } = await livedIn();
  try {
    const source = await snapshotText(srv, id);
    const doc = JSON.parse(source).payload;
    const created = await call(srv.url, 'POST', '/__admin/snapshots?id=snap-copy', { body: doc });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.payload.replaced, false);
    assert.equal(await snapshotText(srv, id), source, 'the source is untouched');
    const copyText = await snapshotText(srv, 'snap-copy');
    const copy = JSON.parse(copyText).payload;
    assert.equal(copy.intp.id, 'snap-copy');
    assert.deepEqual(withoutIds(copy), withoutIds(doc), 'the same state under new ids');
    const sourceIds = new Set(doc.websites.map((w) => w.id).concat(doc.customers.map((c) => c.id), doc.packages.map((p) => p.id)));
    assert.ok(copy.websites.concat(copy.customers, copy.packages).every((x) => !sourceIds.has(x.id)), 'no id shared');
    assert.notEqual(copy.apiKeys[0].keyHash, doc.apiKeys[0].keyHash);

    // the copy is a working partner: the source's private key signs for it too; its API key opens nothing
    const token = (await call(srv.url, 'POST', '/__admin/intps/snap-copy/tokens', { body: { role: 'intp' } })).json.payload.token;
    const site = await call(srv.url, 'GET', '/v2/3as/websites/agency-site', { token });
    assert.equal(site.status, 200, site.text);
    assert.equal(site.json.payload.packageName, 'Agency');
    assertError(assert, await call(srv.url, 'POST', '/v2/3as/api-keys/login',
      { body: { apiKey: key.apiKey, websiteId: copy.websites[1].id } }), 401);

    // again under the same id: replaced, and deterministic (the same new ids)
    const again = await call(srv.url, 'POST', '/__admin/snapshots?id=snap-copy', { body: doc });
    assert.equal(again.status, 200);
    assert.equal(again.json.payload.replaced, true);
    assert.equal(await snapshotText(srv, 'snap-copy'), copyText);
    assert.equal((await call(srv.url, 'POST', '/__admin/intps/snap-copy/snapshot', { body: JSON.parse(copyText) })).status, 200);
    assert.equal(await snapshotText(srv, 'snap-copy'), copyText, 'the copy round-trips too');

    // a deleted partner comes back under its own id
    assert.equal((await admin('DELETE', '')).status, 200);
    assertError(assert, await admin('GET', '/snapshot'), 404);
    assertError(assert, await admin('POST', '/snapshot', doc), 404);
    const back = await call(srv.url, 'POST', '/__admin/snapshots', { body: JSON.parse(source) });
    assert.equal(back.status, 201, back.text);
    assert.equal(back.json.payload.id, id);
    assert.equal(await snapshotText(srv, id), source);
  } finally {
    await srv.stop();
  }
});

// Bad snapshots: each `edit` of a good document (or a raw body) and the field the 400 names.
const BAD = [
  { body: '[]', field: undefined, why: 'not an object' },
  { body: '{"version":1,', field: undefined, why: 'not JSON' },
  { edit: (s) => { s.version = 2; }, field: 'version' },
  { edit: (s) => { delete s.version; }, field: 'version' },
  { edit: (s) => { s.version = '1'; }, field: 'version' },
  { edit: (s) => { delete s.customers; }, field: 'customers' },
  { edit: (s) => { s.websites = {}; }, field: 'websites' },
  { edit: (s) => { s.extra = []; }, field: 'extra' },
  { edit: (s) => { s.intp = 'x'; }, field: 'intp' },
  { edit: (s) => { s.customers[0] = 7; }, field: 'customers[0]' },
  { edit: (s) => { s.customers[1].emial = 'x'; }, field: 'customers[1].emial' },
  { edit: (s) => { delete s.customers[1].email; }, field: 'customers[1].email' },
  { edit: (s) => { s.customers[1].email = null; }, field: 'customers[1].email' },
  { edit: (s) => { s.packages[0].priceCents = 'cheap'; }, field: 'packages[0].priceCents' },
  { edit: (s) => { s.packages[0].priceCents = 1.5; }, field: 'packages[0].priceCents' },
  { edit: (s) => { s.packages[0].priceCents = -1; }, field: 'packages[0].priceCents' },
  { edit: (s) => { s.packages[0].currency = 'GBP'; }, field: 'packages[0].currency' },
  { edit: (s) => { s.packages[0].recommended = 1; }, field: 'packages[0].recommended' },
  { edit: (s) => { s.websites[0].createdAt = 'yesterday'; }, field: 'websites[0].createdAt' },
  { edit: (s) => { s.subscriptions[0].status = 'paused'; }, field: 'subscriptions[0].status' },
  { edit: (s) => { s.subscriptionEvents[0].action = 'teleport'; }, field: 'subscriptionEvents[0].action' },
  { edit: (s) => { s.websites[0].customerId = 'nobody'; }, field: 'websites[0].customerId' },
  { edit: (s) => { s.subscriptions[0].packageId = 'no-such-package'; }, field: 'subscriptions[0].packageId' },
  { edit: (s) => { s.apiKeys[0].keyHash = 'abc'; }, field: 'apiKeys[0].keyHash' },
  { edit: (s) => { s.customers[1].intpCustomerId = s.customers[0].intpCustomerId; }, field: 'customers[1].intpCustomerId', error: 'already exists' },
  { edit: (s) => { s.intp.publicKey = 'not a key'; }, field: 'intp.publicKey' },
  { edit: (s) => { s.intp.subscriptionType = 'both'; }, field: 'intp.subscriptionType' },
  { edit: (s) => { s.subscriptions[0].type = 'intpc'; }, field: 'subscriptions[0].type' },
  { raw: (text) => { const at = text.indexOf('Snap Shop'); return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at))]); },
    field: 'intp.name', why: 'invalid UTF-8' },
];

test('bad snapshots: 400 naming the field, and the database is unchanged', async () => {
  const { srv, id, admin } = await livedIn();
  try {
    await admin('POST', '/clock', { freeze: true });
    const good = await snapshotText(srv, id);
    const state = await dbState(srv.db);
    for (const c of BAD) {
      const doc = JSON.parse(good).payload;
      let r;
      if (c.raw) {
        const res = await fetch(`${srv.url}/__admin/intps/${id}/snapshot`, { method: 'POST',
          headers: { 'Content-Type': 'application/json' }, body: c.raw(JSON.stringify(doc)) });
        r = { status: res.status, headers: res.headers, text: await res.text() };
        r.json = JSON.parse(r.text);
      } else {
        c.edit?.(doc);
        r = await admin('POST', '/snapshot', c.body ?? doc);
      }
      assertError(assert, r, 400, c.error);
      if (c.field) assert.equal(r.json.field, c.field, `${c.field}: ${r.text}`);
      assert.equal(dbDiff(state, await dbState(srv.db)), null, `${c.field ?? c.why}: nothing changed`);
    }
    const good2 = JSON.parse(good).payload;
    assertError(assert, await call(srv.url, 'POST', '/__admin/snapshots?id=bad%20id', { body: good2 }), 400);
    assertError(assert, await call(srv.url, 'POST', '/__admin/intps/nobody/snapshot', { body: good2 }), 404);
    assert.equal(dbDiff(state, await dbState(srv.db)), null);
    assert.equal(await snapshotText(srv, id), good);
  } finally {
    closeDbState(srv.db);
    await srv.stop();
  }
});

test('GET /__admin/backup: a consistent SQLite file that passes integrity_check, with the partner', async () => {
  const { srv, id } = await livedIn();
  try {
    const res = await fetch(`${srv.url}/__admin/backup`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.sqlite3');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    const file = path.join(path.dirname(srv.db), 'backup.db');
    fs.writeFileSync(file, bytes);
    const q = (sql) => execFileSync(SQLITE3, ['-readonly', '-batch', file, sql], { encoding: 'utf8' }).trim();
    assert.equal(q('PRAGMA integrity_check'), 'ok');
    assert.equal(q('PRAGMA journal_mode'), 'delete', 'a plain file: nothing left in a WAL');
    assert.equal(q(`SELECT count(*) FROM customers WHERE intp_id = '${id}'`), '4');
    assert.equal(q(`SELECT name FROM intps WHERE id = '${id}'`), 'Snap Shop');
    // a server starts on the copy and serves the same partner
    const copy = await startServer({ db: file, fixtures: '' });
    try {
      assert.equal(await snapshotText(copy, id), await snapshotText(srv, id));
    } finally {
      await copy.stop();
    }
  } finally {
    await srv.stop();
  }
});

test('GET /__admin/backup names its file', async () => {
  const srv = await startServer({ fixtures: '' });
  try {
    const res = await fetch(`${srv.url}/__admin/backup`);
    await res.arrayBuffer();
    assert.match(res.headers.get('content-disposition') || '', /^attachment; filename="mock3as-\d{8}T\d{6}Z\.db"$/);
  } finally {
    await srv.stop();
  }
});

test('the demo seed (--fixtures fixtures/demo/): customers, packages, a trial, a planned downgrade, a cancellation, history', async () => {
  const srv = await startServer({ fixtures: path.join(FIXTURES, 'demo') });
  try {
    const s = JSON.parse(await snapshotText(srv, DEMO.id)).payload;
    assert.ok(s.customers.length >= 5 && s.websites.length >= 6, 'customers and websites');
    const subs = s.subscriptions;
    const pkgName = (pid) => s.packages.find((p) => p.id === pid).name;
    assert.ok(new Set(subs.map((x) => pkgName(x.packageId))).size >= 4, 'websites on different packages');
    assert.ok(subs.some((x) => x.inTrial), 'a trial');
    assert.ok(subs.some((x) => x.status === 'active' && x.plannedPackageId), 'a scheduled downgrade');
    assert.ok(subs.some((x) => x.status === 'canceled'), 'a pending cancellation');
    assert.ok(s.subscriptionEvents.some((e) => e.action === 'cancellation_applied'), 'an applied cancellation');
    assert.ok(s.subscriptionEvents.some((e) => e.action === 'renewal'), 'renewals');
    assert.ok(s.packages.some((p) => !p.isDefault) && s.packageAssignments.length >= 1, 'a custom package, assigned');
    assert.ok(s.apiKeys.length >= 1 && s.contributors.length >= 1 && s.whitelistedDomains.length >= 1);
    const months = new Set(s.subscriptionEvents.map((e) => e.at.slice(0, 7)));
    assert.ok(months.size >= 4, `history over past months: ${[...months]}`);
    const now = Date.now();
    assert.ok(s.subscriptionEvents.every((e) => Date.parse(e.at) <= now + 1000), 'no event in the future');
    assert.equal(s.intp.clockOffset, 0, 'on the wall clock');
    // the partner API sees it at once
    const token = (await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/tokens`, { body: { role: 'intp' } })).json.payload.token;
    const list = await call(srv.url, 'GET', '/v2/3as/customers?pageSize=100', { token });
    assert.equal(list.json.meta.total, s.customers.length);
    // and a reset brings the seed back
    assert.equal((await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/snapshot`, { body: { ...s, customers: [], websites: [],
      subscriptions: [], subscriptionEvents: [], whitelistedDomains: [], apiKeys: [], refreshTokens: [], contributors: [],
      packageAssignments: [] } })).status, 200);
    assert.equal((await call(srv.url, 'GET', '/v2/3as/customers', { token })).json.meta.total, 0);
    const reset = await call(srv.url, 'POST', '/__admin/reset');
    assert.deepEqual(reset.json.payload.intps, [DEMO.id]);
    assert.equal((await call(srv.url, 'GET', '/v2/3as/customers?pageSize=100', { token })).json.meta.total, s.customers.length);
  } finally {
    await srv.stop();
  }
});
