// GET /metrics: the Prometheus text exposition format (read with a real parser), the counters
// moving with the requests, the gauges, and the admin token guarding it when one is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheus from 'parse-prometheus-text-format';
import { startServer, call, mint, assertError, DEMO } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--journal-entries', '5'] }); });
after(async () => { await srv.stop(); });

// Scrape: the parsed families by name, and the raw text.
async function scrape(base = srv.url, headers = {}) {
  const r = await call(base, 'GET', '/metrics', { headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const families = Object.fromEntries(parsePrometheus(r.text).map((f) => [f.name, f]));
  return { families, text: r.text };
}

// The value of the sample of `name` whose labels include `labels` (0 when there is none).
function value({ families }, name, labels = {}) {
  const f = families[name];
  assert.ok(f, `${name} is exposed`);
  const m = f.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  return m ? Number(m.value) : 0;
}

// The raw samples of histogram `name` with labels `labels` (the parser folds labelled
// histograms into one): buckets as [le, count] in order, sum and count.
function histogram(text, name, labels) {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const buckets = [];
  let sum;
  let count;
  for (const line of text.split('\n')) {
    let m = line.match(new RegExp(`^${name}_bucket\\{${want.replace(/[{}/]/g, '\\$&')},le="([^"]+)"\\} (\\d+)$`));
    if (m) buckets.push([m[1], Number(m[2])]);
    m = line.match(/^(\S+)\{(.*)\} (\S+)$/);
    if (m && m[2] === want && m[1] === `${name}_sum`) sum = Number(m[3]);
    if (m && m[2] === want && m[1] === `${name}_count`) count = Number(m[3]);
  }
  return { buckets, sum, count };
}

test('the exposition parses, and every family has its HELP and TYPE', async () => {
  const s = await scrape();
  const want = {
    mock3as_http_requests_total: 'COUNTER',
    mock3as_http_request_duration_seconds: 'HISTOGRAM',
    mock3as_faults_fired_total: 'COUNTER',
    mock3as_clock_moves_total: 'COUNTER',
    mock3as_clock_transitions_applied_total: 'COUNTER',
    mock3as_partners: 'GAUGE',
    mock3as_journal_entries: 'GAUGE',
    mock3as_journal_bytes: 'GAUGE',
    mock3as_journal_dropped_total: 'COUNTER',
    mock3as_answer_cache_hits_total: 'COUNTER',
    mock3as_answer_cache_misses_total: 'COUNTER',
    mock3as_token_cache_hits_total: 'COUNTER',
    mock3as_token_cache_misses_total: 'COUNTER',
    mock3as_database_bytes: 'GAUGE',
    mock3as_uptime_seconds: 'GAUGE',
  };
  for (const [name, type] of Object.entries(want)) {
    assert.ok(s.families[name], `${name} is exposed`);
    assert.equal(s.families[name].type, type, name);
    assert.ok(s.families[name].help.length > 10, `${name} has a HELP`);
  }
  // every sample line is well formed: name{labels} value
  for (const line of s.text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.match(line, /^[a-z0-9_]+(\{([a-z_]+="[^"\\\n]*",?)+\})? [0-9.e+-]+$/, line);
  }
  assert.ok(value(s, 'mock3as_uptime_seconds') > 0);
  assert.ok(value(s, 'mock3as_database_bytes') > 0);
});

test('requests count by route and status, and their latency lands in the histogram', async () => {
  const token = await mint(srv.url, DEMO.id);
  const route = { method: 'GET', route: '/v2/3as/customers' };
  const before = await scrape();
  const hBefore = histogram(before.text, 'mock3as_http_request_duration_seconds', route);
  for (let i = 0; i < 7; i++) await call(srv.url, 'GET', '/v2/3as/customers', { token });
  await call(srv.url, 'GET', '/v2/3as/customers');
  await call(srv.url, 'GET', '/v2/3as/custmers');
  await call(srv.url, 'DELETE', '/v2/3as/nothing');
  const after = await scrape();
  const delta = (labels) => value(after, 'mock3as_http_requests_total', labels) - value(before, 'mock3as_http_requests_total', labels);
  assert.equal(delta({ ...route, status: '200' }), 7);
  assert.equal(delta({ ...route, status: '401' }), 1);
  assert.equal(delta({ method: 'GET', route: 'none', status: '404' }), 1);
  assert.equal(delta({ method: 'DELETE', route: 'none', status: '404' }), 1);
  const h = histogram(after.text, 'mock3as_http_request_duration_seconds', route);
  assert.equal(h.count - (hBefore.count ?? 0), 8);
  assert.deepEqual(h.buckets.at(-1), ['+Inf', h.count]);
  for (let i = 1; i < h.buckets.length; i++) {
    const [le, n] = h.buckets[i];
    const [prevLe, prevN] = h.buckets[i - 1];
    assert.ok(Number(le) > Number(prevLe) || le === '+Inf', 'bounds rise');
    assert.ok(n >= prevN, 'buckets are cumulative');
  }
  assert.ok(h.sum > 0 && h.sum < h.count * 5);
});

test('gauges: partners from the database, the journal, the caches', async () => {
  const intps = await call(srv.url, 'GET', '/__admin/intps');
  const s0 = await scrape();
  assert.equal(value(s0, 'mock3as_partners'), intps.json.payload.length);
  const token = await mint(srv.url, DEMO.id);
  for (let i = 0; i < 12; i++) await call(srv.url, 'GET', '/v2/3as/company-details', { token });
  const s1 = await scrape();
  assert.ok(value(s1, 'mock3as_answer_cache_hits_total') > value(s0, 'mock3as_answer_cache_hits_total'), 'answer cache hits move');
  assert.ok(value(s1, 'mock3as_token_cache_hits_total') + value(s1, 'mock3as_answer_cache_hits_total') >
    value(s0, 'mock3as_token_cache_hits_total') + value(s0, 'mock3as_answer_cache_hits_total'));
  assert.ok(value(s1, 'mock3as_token_cache_misses_total') >= 1);
  // --journal-entries 5: the demo partner's ring holds 5, the rest was dropped
  const journal = await call(srv.url, 'GET', '/__admin/requests?limit=1000');
  assert.equal(value(s1, 'mock3as_journal_entries') >= 5, true);
  assert.ok(value(s1, 'mock3as_journal_dropped_total') >= 7);
  assert.ok(value(s1, 'mock3as_journal_bytes') > 0);
  assert.equal(journal.json.meta.dropped >= value(s1, 'mock3as_journal_dropped_total'), true);
  const created = await call(srv.url, 'POST', '/__admin/intps', { body: { id: `metrics-${Date.now()}`, name: 'M' } });
  assert.equal(created.status, 201, created.text);
  assert.equal(value(await scrape(), 'mock3as_partners'), intps.json.payload.length + 1);
});

test('a clock move counts, with the transitions it applied', async () => {
  const before = await scrape();
  const r = await call(srv.url, 'POST', `/__admin/intps/${DEMO.id}/clock`, { body: { advanceBy: 'P1D' } });
  assert.equal(r.status, 200, r.text);
  const after = await scrape();
  assert.equal(value(after, 'mock3as_clock_moves_total') - value(before, 'mock3as_clock_moves_total'), 1);
  assert.equal(value(after, 'mock3as_clock_transitions_applied_total') - value(before, 'mock3as_clock_transitions_applied_total'),
    r.json.transitionsTotal);
});

test('with --admin-token, /metrics needs it like /__admin; /healthz stays open', async () => {
  const guarded = await startServer({ args: ['--admin-token', 'metrics-secret'] });
  try {
    assertError(assert, await call(guarded.url, 'GET', '/metrics'), 401, 'invalid admin token');
    const s = await scrape(guarded.url, { Authorization: 'Bearer metrics-secret' });
    assert.ok(value(s, 'mock3as_http_requests_total', { route: '/metrics', status: '401' }) >= 1);
    assert.equal((await call(guarded.url, 'GET', '/healthz')).status, 200);
  } finally {
    await guarded.stop();
  }
});
