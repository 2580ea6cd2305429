// The serving core (README "How requests are served", fast-core issue): answers of read routes are
// reused only while they are still right: right after a write, after a clock move, when the
// partner's running clock reaches a scheduled transition, and after another process wrote to the
// same file. (That a partner's slow requests do not hold another partner's is shown by the
// workers' unit test, tests/unit/test_workers.c, and measured by bench/fairness.mjs.) Every
// server listens on 127.0.0.1 port 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, mint, DEMO, tempDb } from './helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let seq = 0;
const uniq = (p) => `${p}-${process.pid}-${++seq}`;

// A client with one fixed token (so that repeated reads can be answered from the answer cache).
async function client(srv, id = DEMO.id) {
  const token = await mint(srv.url, id);
  const api = (method, p, body) => call(srv.url, method, p, { token, body });
  api.id = id;
  return api;
}

async function siteOn(api, packageName = 'Basic') {
  const pkg = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === packageName && p.period === 'monthly');
  const c = uniq('core');
  const r = await api('POST', '/v2/3as/customers', { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: `${c}-w`, domain: 'x.io', packageId: pkg.id } });
  assert.equal(r.status, 201, r.text);
  return `${c}-w`;
}

test('a repeated read answers the same bytes, and a write shows in the very next read', async () => {
  const srv = await startServer();
  try {
    const api = await client(srv);
    const w = await siteOn(api);
    const first = await api('GET', `/v2/3as/websites/${w}`);
    const again = await api('GET', `/v2/3as/websites/${w}`);
    assert.equal(again.text, first.text);
    assert.notEqual(again.headers.get('x-request-id'), first.headers.get('x-request-id'), 'each answer has its own request id');
    const list1 = await api('GET', '/v2/3as/customers?page=0&pageSize=50');
    const pro = (await api('GET', '/v2/3as/packages')).json.payload.find((p) => p.name === 'Pro' && p.period === 'monthly');
    const up = await api('POST', '/v3/3as/website-subscriptions/upgrade', { intpWebsiteId: w, packageId: pro.id, trial: false, proRate: true });
    assert.equal(up.status, 200, up.text);
    const after = (await api('GET', `/v2/3as/websites/${w}`)).json.payload;
    assert.equal(after.packageName, 'Pro', 'the read right after the write sees it');
    const c2 = uniq('core');
    assert.equal((await api('POST', '/v2/3as/customers', { intpCustomerId: c2, email: `${c2}@x.io` })).status, 201);
    const list2 = await api('GET', '/v2/3as/customers?page=0&pageSize=50');
    assert.equal(list2.json.meta.total, list1.json.meta.total + 1, 'a list read right after a create counts it');
    // another query string is another answer
    const small = await api('GET', '/v2/3as/customers?page=0&pageSize=1');
    assert.notEqual(small.text, list2.text);
  } finally {
    await srv.stop();
  }
});

test('a clock move, and a running clock reaching a renewal, show in the next read', async () => {
  const srv = await startServer();
  try {
    const api = await client(srv);
    const w = await siteOn(api);
    const before = (await api('GET', `/v2/3as/websites/${w}`)).json.payload;
    const moved = await call(srv.url, 'POST', `/__admin/intps/${api.id}/clock`, { body: { advanceBy: 'P1M' } });
    assert.equal(moved.status, 200, moved.text);
    const renewed = (await api('GET', `/v2/3as/websites/${w}`)).json.payload;
    assert.ok(renewed.expiresAt > before.expiresAt, `renewed after the move: ${before.expiresAt} -> ${renewed.expiresAt}`);
    // put the running clock 3 s before the next renewal, read (kept), wait past it, read again
    const due = Date.parse(renewed.expiresAt);
    const set = await call(srv.url, 'POST', `/__admin/intps/${api.id}/clock`, {
      body: { set: new Date(due - 3000).toISOString().replace(/\.\d+Z$/, 'Z'), freeze: false },
    });
    assert.equal(set.status, 200, set.text);
    const kept = await api('GET', `/v2/3as/websites/${w}`);
    assert.equal(kept.json.payload.expiresAt, renewed.expiresAt);
    assert.equal((await api('GET', `/v2/3as/websites/${w}`)).text, kept.text, 'still the same before the due time');
    await sleep(3500);
    const later = (await api('GET', `/v2/3as/websites/${w}`)).json.payload;
    assert.ok(later.expiresAt > renewed.expiresAt, `the renewal the running clock reached shows: ${later.expiresAt}`);
  } finally {
    await srv.stop();
  }
});

test('two processes on one file: a write through one shows in the next read through the other', async () => {
  const db = tempDb();
  const a = await startServer({ db });
  const b = await startServer({ db });
  try {
    const viaA = await client(a);
    const viaB = await client(b);
    const w = await siteOn(viaA);
    const seen = await viaA('GET', `/v2/3as/websites/${w}`);
    assert.equal((await viaA('GET', `/v2/3as/websites/${w}`)).text, seen.text);
    const add = await viaB('POST', `/v2/3as/websites/${w}/whitelisted-domains`, { domain: 'b.example.org' });
    assert.ok(add.status < 300, add.text);
    const list = await viaA('GET', `/v2/3as/websites/${w}/whitelisted-domains`);
    assert.match(list.text, /b\.example\.org/, 'A sees what B wrote');
    // both processes cache (the second one's start-up check of the change watch must see its
    // own commit although the first wrote the same setting a moment before)
    await viaB('GET', '/v2/3as/packages');
    await viaB('GET', '/v2/3as/packages');
    const metricsB = (await fetch(`${b.url}/metrics`).then((r) => r.text())).match(/^mock3as_answer_cache_hits_total (\d+)/m);
    assert.ok(metricsB && Number(metricsB[1]) > 0, 'the second process answers repeated reads from its cache');
    const del = await viaB('DELETE', `/v2/3as/websites/${w}`);
    assert.ok(del.status < 300, del.text);
    assert.equal((await viaA('GET', `/v2/3as/websites/${w}`)).status, 404, 'A no longer answers the deleted website');
  } finally {
    await a.stop();
    await b.stop();
  }
});
