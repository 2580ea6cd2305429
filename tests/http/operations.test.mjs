// Operations (README "Operations", issue 11): SIGTERM answers every request received and refuses new
// connections; two processes started together on a new file; connection limits per IP; the idle
// timeout; a clock moved through one process while the other writes; the connection flags refused
// at start-up. Every server listens on 127.0.0.1 port 0; all traffic stays on 127.0.0.0/8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startServer, call, mint, dialects, BIN, DEMO, DEMO_PRIVATE, tempDb } from './helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (srv) => Number(new URL(srv.url).port);

// Resolve with `promise`, or reject after `ms` with `what` in the message.
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Poll `probe` until it returns a truthy value, at most `ms`.
async function until(ms, probe, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

// One HTTP/1.1 request on its own raw socket. The request line and headers go out on connect;
// the body in `pieces` equal parts spread over `spreadMs` (all at once when 1). `sent` resolves
// once the headers are written; `answer` with {status, headers, body} once a whole answer (status
// line, headers, and a body of exactly Content-Length bytes) has arrived, and rejects when the
// connection ends or fails before that.
function rawRequest(port, { method, target, headers = {}, body = '', pieces = 1, spreadMs = 0 }) {
  const sock = net.connect({ host: '127.0.0.1', port });
  const buf = Buffer.from(body);
  const head = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close',
    `Content-Length: ${buf.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  let received = Buffer.alloc(0);
  let done = false;
  const sent = new Promise((resolve, reject) => {
    sock.once('connect', () => {
      if (pieces <= 1) {
        sock.write(Buffer.concat([Buffer.from(head), buf]), () => resolve());
        return;
      }
      sock.write(head, () => resolve());
      const size = Math.ceil(buf.length / pieces);
      for (let i = 0; i < pieces; i++) {
        setTimeout(() => { if (!sock.destroyed) sock.write(buf.subarray(i * size, (i + 1) * size)); }, ((i + 1) * spreadMs) / pieces);
      }
    });
    sock.once('error', reject);
  });
  const answer = new Promise((resolve, reject) => {
    const parse = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      const m = lines[0].match(/^HTTP\/1\.[01] (\d{3}) /);
      if (!m) throw new Error(`not a status line: ${JSON.stringify(lines[0])}`);
      const hdrs = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        hdrs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      if (!('content-length' in hdrs)) throw new Error(`answer without Content-Length: ${lines.join(' | ')}`);
      const len = Number(hdrs['content-length']);
      if (received.length - end - 4 < len) return null;
      return { status: Number(m[1]), headers: hdrs, body: received.subarray(end + 4, end + 4 + len).toString('utf8'), at: Date.now() };
    };
    sock.on('data', (d) => {
      received = Buffer.concat([received, d]);
      try {
        const r = parse();
        if (r && !done) { done = true; resolve(r); sock.end(); }
      } catch (e) { done = true; reject(e); sock.destroy(); }
    });
    sock.on('close', () => {
      if (!done) reject(new Error(`${method} ${target}: connection closed after ${received.length} bytes of answer: ${JSON.stringify(received.toString('latin1').slice(0, 200))}`));
    });
    sock.on('error', (e) => { if (!done) { done = true; reject(e); } });
  });
  answer.catch(() => {});
  return { sock, sent, answer };
}

// A JSON object text padded with whitespace to exactly `size` bytes.
function padded(obj, size) {
  const text = JSON.stringify(obj);
  assert.ok(text.length < size);
  return `${text.slice(0, -1)}${' '.repeat(size - text.length)}}`;
}

// Connect to 127.0.0.1:port and report how it went: 'refused', 'connected' (then closed by us),
// or the error code; never waits longer than `ms`.
function probeConnect(port, ms = 2000) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => { s.destroy(); resolve('timeout'); }, ms);
    s.once('connect', () => { clearTimeout(timer); s.destroy(); resolve('connected'); });
    s.once('error', (e) => { clearTimeout(timer); resolve(e.code === 'ECONNREFUSED' ? 'refused' : e.code || e.message); });
  });
}

// An idle TCP connection from `localAddress`; `state` says whether it is open or was closed, and
// `closedAt` when.
function idleConnection(port, localAddress) {
  const c = { state: 'connecting', closedAt: null, error: null };
  c.sock = net.connect({ host: '127.0.0.1', port, localAddress });
  c.connected = new Promise((resolve) => {
    c.sock.once('connect', () => { c.state = 'open'; resolve(true); });
    c.sock.once('error', (e) => { c.error = e.code || e.message; resolve(false); });
  });
  c.sock.on('close', () => { c.state = 'closed'; c.closedAt = Date.now(); });
  c.sock.on('data', () => {});
  return c;
}

// GET /healthz from `localAddress` on a new connection: {status} or {error}.
function healthzFrom(port, localAddress, ms = 3000) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', localAddress, agent: false, timeout: ms }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', (e) => resolve({ error: e.code || e.message }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ error: 'timeout' }); });
    req.on('error', (e) => resolve({ error: e.code || e.message }));
  });
}

test('SIGTERM with 20 requests in flight (4 onboardings, 10 slow bodies): every one answered in full, exit 0, a later connection refused',
  { timeout: 60000 }, async (t) => {
    const GRACE = 20000;
    const db = tempDb();
    const srv = await startServer({ db, args: ['--shutdown-grace', String(GRACE), '--log-level', 'info'] });
    const port = portOf(srv);
    const token = dialects.node(DEMO.id, DEMO_PRIVATE);
    const json = { 'Content-Type': 'application/json' };
    const requests = [];
    // 3 onboardings with a key generated by the mock (the first ones in place, later ones from the
    // pool), 7 customer creations, and 1 onboarding and 9 customer creations whose 200-byte bodies
    // trickle in over 300 ms
    const onboard = (name) => ({ method: 'POST', target: '/__admin/intps', headers: json, body: name ? padded({ name }, 200) : '{}' });
    const customer = (id, slow) => ({
      method: 'POST', target: '/v2/3as/customers', headers: { ...json, Authorization: `Bearer ${token}` },
      body: slow ? padded({ intpCustomerId: id, email: `${id}@x.io` }, 200) : JSON.stringify({ intpCustomerId: id, email: `${id}@x.io` }),
    });
    const slowly = { pieces: 5, spreadMs: 300 };
    for (let i = 0; i < 20; i++) {
      const slow = i % 2 === 1;
      if (i === 0 || i === 2 || i === 4) requests.push({ kind: 'onboard', ...rawRequest(port, onboard()) });
      else if (i === 1) requests.push({ kind: 'onboard', ...rawRequest(port, { ...onboard(`slow-${i}`), ...slowly }) });
      else requests.push({ kind: 'customer', id: `term-${i}`, ...rawRequest(port, { ...customer(`term-${i}`, slow), ...(slow ? slowly : {}) }) });
    }
    await within(10000, Promise.all(requests.map((r) => r.sent)), 'connecting and sending the headers');
    await sleep(100); // the slow bodies are half sent, onboardings are queued behind the key generation
    const stoppedAt = Date.now();
    srv.proc.kill('SIGTERM');
    await within(10000, until(10000, () => /SIGTERM: stopping/.test(srv.stderr()), 'the stopping line'), 'SIGTERM seen');
    await sleep(100);
    const late = await probeConnect(port);
    const settled = await Promise.allSettled(requests.map((r) => r.answer));
    const { code, signal } = await within(GRACE + 10000, srv.exited, 'exit after SIGTERM');
    const tookMs = Date.now() - stoppedAt;
    const afterTerm = settled.filter((s) => s.status === 'fulfilled' && s.value.at >= stoppedAt).length;
    t.diagnostic(`${afterTerm} of ${requests.length} answered after SIGTERM; exit ${tookMs} ms after it; late connection: ${late}`);

    // what the database holds afterwards: committed and answered must be the same requests
    const again = await startServer({ db });
    let partners;
    const committed = new Set();
    try {
      partners = (await call(again.url, 'GET', '/__admin/intps')).json.payload.map((p) => p.id);
      const tok = await mint(again.url, DEMO.id);
      for (const r of requests.filter((x) => x.kind === 'customer')) {
        if ((await call(again.url, 'GET', `/v2/3as/customers/${r.id}`, { token: tok })).status === 200) committed.add(r.id);
      }
    } finally {
      await again.stop();
    }

    const failures = settled.map((s, i) => (s.status === 'rejected'
      ? `#${i} ${requests[i].kind}${requests[i].id && committed.has(requests[i].id) ? ' (committed)' : ''}: ${s.reason.message}` : null)).filter(Boolean);
    assert.deepEqual(failures, [], `every request gets a whole answer; ${partners.length - 1} partners onboarded; stderr:\n${srv.stderr()}`);
    settled.forEach((s, i) => {
      const { status, body } = s.value;
      assert.equal(status, 201, `#${i} ${requests[i].kind}: ${body}`);
      assert.ok(JSON.parse(body).payload, `#${i}: a JSON payload`);
    });
    assert.ok(afterTerm >= 1, 'requests were still running at SIGTERM');
    assert.equal(late, 'refused', 'a connection opened after SIGTERM is refused, not left hanging');
    assert.equal(code, 0, `exit status; stderr:\n${srv.stderr()}`);
    assert.equal(signal, null);
    assert.ok(tookMs < GRACE, `exited ${tookMs} ms after SIGTERM, within the ${GRACE} ms grace`);
    assert.doesNotMatch(srv.stderr(), /dropped/);
    // nothing was committed without its answer, nothing answered without its commit
    const onboarded = settled.filter((s, i) => requests[i].kind === 'onboard').map((s) => JSON.parse(s.value.body).payload.id);
    assert.deepEqual([...partners].sort(), [DEMO.id, ...onboarded].sort());
    assert.equal(committed.size, requests.filter((x) => x.kind === 'customer').length);
  });

test('two processes started together on a new database file, 50 times: both start, the fixtures load once',
  { timeout: 90000 }, async (t) => {
    const started = Date.now();
    for (let round = 0; round < 50; round++) {
      const db = tempDb();
      const pair = await Promise.allSettled([startServer({ db }), startServer({ db })]);
      try {
        const failed = pair.filter((p) => p.status === 'rejected').map((p) => p.reason.message);
        assert.deepEqual(failed, [], `round ${round}: both print "listening on"`);
        const lists = await Promise.all(pair.map(({ value: s }) => call(s.url, 'GET', '/__admin/intps')));
        for (const list of lists) {
          assert.equal(list.status, 200);
          assert.deepEqual(list.json.payload.map((p) => p.id), [DEMO.id], `round ${round}: the demo partner, once`);
        }
      } finally {
        // killed, not stopped: a process that had exited on its own would not die of SIGKILL
        const up = pair.filter((p) => p.status === 'fulfilled').map((p) => p.value);
        const ends = await Promise.all(up.map((s) => s.stop('SIGKILL')));
        fs.rmSync(path.dirname(db), { recursive: true, force: true });
        for (const [k, e] of ends.entries()) {
          assert.deepEqual(e, { code: null, signal: 'SIGKILL' }, `round ${round}: process ${k} still up until killed; stderr: ${up[k].stderr()}`);
        }
      }
    }
    t.diagnostic(`50 rounds in ${Date.now() - started} ms`);
  });

test('idle connections beyond the per-IP limit: /healthz from another address answers, the limit holds',
  { timeout: 60000 }, async (t) => {
    const srv = await startServer({ args: ['--max-connections-per-ip', '20'] });
    const port = portOf(srv);
    const idle = Array.from({ length: 60 }, () => idleConnection(port, '127.0.0.2'));
    try {
      const connected = await within(10000, Promise.all(idle.map((c) => c.connected)), 'TCP connect from 127.0.0.2');
      assert.ok(connected.every(Boolean), `every TCP connect succeeds (the kernel accepts): ${idle.map((c) => c.error).filter(Boolean)}`);
      // the server accepts them and closes at once every one beyond the first 20
      await until(10000, () => idle.filter((c) => c.state === 'closed').length >= 40, '40 connections closed by the server');
      await sleep(300);
      assert.equal(idle.filter((c) => c.state === 'open').length, 20, 'exactly 20 stay open');
      assert.equal(idle.filter((c) => c.state === 'closed').length, 40);

      const t0 = Date.now();
      const r = await within(1000, call(srv.url, 'GET', '/healthz'), '/healthz from 127.0.0.1');
      assert.equal(r.status, 200);
      assert.ok(Date.now() - t0 < 1000);

      const refused = await healthzFrom(port, '127.0.0.2');
      t.diagnostic(`a 21st request from 127.0.0.2: ${JSON.stringify(refused)}`);
      assert.equal(refused.status, undefined, `a 21st connection from 127.0.0.2 gets no answer: ${JSON.stringify(refused)}`);
      assert.ok(['ECONNRESET', 'socket hang up', 'EPIPE'].includes(refused.error), `closed by the server: ${refused.error}`);
    } finally {
      for (const c of idle) c.sock.destroy();
    }
    // the slots free up once the idle connections are gone
    const back = await until(5000, async () => ((await healthzFrom(port, '127.0.0.2')).status === 200), '127.0.0.2 served again');
    assert.ok(back);
    assert.equal((await srv.stop()).code, 0);
  });

test('--idle-timeout 1: an idle connection is closed by the server within ~3 s', { timeout: 30000 }, async (t) => {
  const srv = await startServer({ args: ['--idle-timeout', '1'] });
  const port = portOf(srv);
  try {
    // one that never sends anything, one idle after a keep-alive answer
    const silent = idleConnection(port, '127.0.0.1');
    const keptAlive = idleConnection(port, '127.0.0.1');
    assert.ok(await silent.connected);
    assert.ok(await keptAlive.connected);
    const t0 = Date.now();
    let answered = '';
    keptAlive.sock.on('data', (d) => { answered += d; });
    keptAlive.sock.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await until(5000, () => /\r\n\r\n\{.*\}/s.test(answered), 'the keep-alive answer');
    assert.match(answered, /^HTTP\/1\.1 200 /);
    const answeredAt = Date.now();
    await until(6000, () => silent.state === 'closed' && keptAlive.state === 'closed', 'both closed by the server');
    const silentMs = silent.closedAt - t0;
    const keptMs = keptAlive.closedAt - answeredAt;
    t.diagnostic(`closed after ${silentMs} ms (silent), ${keptMs} ms after the answer (keep-alive)`);
    assert.ok(silentMs >= 500 && silentMs <= 3500, `silent connection closed after ${silentMs} ms`);
    assert.ok(keptMs >= 500 && keptMs <= 3500, `keep-alive connection closed ${keptMs} ms after its answer`);
    assert.equal((await call(srv.url, 'GET', '/healthz')).status, 200, 'the server itself goes on');
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('a clock moved through process A while process B upgrades: history in time order, proration within the plan price',
  { timeout: 90000 }, async (t) => {
    const db = tempDb();
    const a = await startServer({ db });
    const b = await startServer({ db });
    try {
      const token = dialects.node(DEMO.id, DEMO_PRIVATE);
      const api = (srv, method, p, body) => call(srv.url, method, p, { token, body });
      const clock = (srv, body) => call(srv.url, body ? 'POST' : 'GET', `/__admin/intps/${DEMO.id}/clock`, { body });
      const history = async (srv, w) => {
        const r = await call(srv.url, 'GET', `/__admin/intps/${DEMO.id}/websites/${w}/subscription/history`);
        assert.equal(r.status, 200, r.text);
        return r.json.payload;
      };
      const packages = (await api(a, 'GET', '/v2/3as/packages')).json.payload;
      const basic = packages.find((p) => p.name === 'Basic' && p.period === 'monthly');
      const pro = packages.find((p) => p.name === 'Pro' && p.period === 'monthly');
      const basicCents = Math.round(basic.price * 100);
      const proCents = Math.round(pro.price * 100);
      assert.equal(basicCents, 1299);

      assert.equal((await clock(a, { set: '2030-01-01T00:00:00Z', freeze: true })).status, 200);
      const sites = [];
      for (let i = 0; i < 12; i++) {
        const c = `ops-${process.pid}-${i}`;
        const r = await api(a, 'POST', '/v2/3as/customers',
          { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: `${c}-w`, domain: 'x.io', packageId: basic.id } });
        assert.equal(r.status, 201, r.text);
        sites.push(`${c}-w`);
      }
      // ballast: more Basic websites, so that a clock move has work to do under the write lock
      for (let i = 0; i < 150; i += 10) {
        await Promise.all(Array.from({ length: 10 }, (_, j) => {
          const c = `ballast-${process.pid}-${i + j}`;
          return api(a, 'POST', '/v2/3as/customers',
            { intpCustomerId: c, email: `${c}@x.io`, website: { intpWebsiteId: `${c}-w`, domain: 'x.io', packageId: basic.id } });
        }));
      }
      const upgrade = (srv, w) => api(srv, 'POST', '/v3/3as/website-subscriptions/upgrade',
        { intpWebsiteId: w, packageId: pro.id, trial: false, proRate: true });

      // in turn: A moves the clock, B's upgrade runs at A's time
      assert.equal((await clock(a, { set: '2030-01-16T00:00:00Z' })).status, 200);
      assert.equal((await clock(b)).json.now, '2030-01-16T00:00:00Z', 'B reads the clock A moved');
      const first = await upgrade(b, sites[0]);
      assert.equal(first.status, 200, first.text);
      const h0 = await history(b, sites[0]);
      const up0 = h0.find((e) => e.action === 'upgrade');
      assert.equal(up0.at, '2030-01-16T00:00:00Z', 'the upgrade happened at the time A set');
      assert.ok(up0.proration.creditCents <= basicCents, JSON.stringify(up0.proration));

      // at once: each of 11 one-month moves through A renews every Basic subscription (the ballast
      // makes a move hold the write lock a while); B upgrades a website while the move runs
      const JITTER = [0, 2, 5, 10, 20];
      for (let k = 1; k < sites.length; k++) {
        const move = clock(a, { advanceBy: 'P1M' });
        await sleep(JITTER[k % JITTER.length]);
        const [m, u] = await Promise.all([move, upgrade(b, sites[k])]);
        assert.equal(m.status, 200, m.text);
        assert.equal(u.status, 200, u.text);
      }
      const end = (await clock(b)).json.now;
      const upgradedAt = [];
      assert.equal(end, '2030-12-16T00:00:00Z', '11 moves of a month after Jan 16');

      for (const [i, w] of sites.entries()) {
        const h = await history(i % 2 ? a : b, w);
        const ats = h.map((e) => e.at);
        for (let k = 1; k < ats.length; k++) {
          assert.ok(ats[k - 1] <= ats[k], `${w}: history in time order: ${h.map((e) => `${e.action}@${e.at}`).join(', ')}`);
        }
        assert.ok(ats.at(-1) <= end, `${w}: nothing after the clock`);
        const ups = h.filter((e) => e.action === 'upgrade');
        assert.equal(ups.length, 1, `${w}: one upgrade`);
        upgradedAt.push(ups[0].at.slice(5, 10));
        const { creditCents, chargeCents } = ups[0].proration;
        assert.ok(creditCents >= 0 && creditCents <= basicCents,
          `${w}: credit ${creditCents} within the Basic price ${basicCents} (upgrade at ${ups[0].at}; ${h.map((e) => `${e.action}@${e.at}`).join(', ')})`);
        assert.equal(chargeCents, proCents);
      }
      t.diagnostic(`upgrades at (MM-DD): ${upgradedAt.join(' ')}`);
    } finally {
      assert.equal((await a.stop()).code, 0);
      assert.equal((await b.stop()).code, 0);
    }
  });

test('the connection flags: a bad value stops start-up with exit 2 naming the flag', () => {
  const db = tempDb();
  const cases = [
    ['--max-connections', '0'], ['--max-connections', '-1'], ['--max-connections', 'many'], ['--max-connections', '100001'],
    ['--max-connections', ''], ['--max-connections-per-ip', '-1'], ['--max-connections-per-ip', '20x'],
    ['--idle-timeout', '0'], ['--idle-timeout', '-5'], ['--idle-timeout', '1.5'], ['--idle-timeout', '3601'],
    ['--shutdown-grace', '-1'], ['--shutdown-grace', 'soon'], ['--shutdown-grace', '600001'],
  ];
  for (const [flag, value] of cases) {
    const r = spawnSync(BIN, ['--port', '0', '--db', db, '--fixtures', '', flag, value], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2, `${flag} ${JSON.stringify(value)}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`invalid value '${value}' for ${flag} `), `${flag} ${JSON.stringify(value)}`);
    assert.equal(r.stdout, '', 'never listening');
    const missing = spawnSync(BIN, ['--port', '0', '--db', db, flag], { encoding: 'utf8', timeout: 10000 });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, new RegExp(`${flag} needs a value`));
  }
  for (const [env, value] of [['MOCK3AS_MAX_CONNECTIONS', '0'], ['MOCK3AS_MAX_CONNECTIONS_PER_IP', 'x'],
    ['MOCK3AS_IDLE_TIMEOUT', '0'], ['MOCK3AS_SHUTDOWN_GRACE', '-1']]) {
    const r = spawnSync(BIN, ['--port', '0', '--db', db, '--fixtures', ''], { encoding: 'utf8', timeout: 10000, env: { ...process.env, [env]: value } });
    assert.equal(r.status, 2, `${env}=${value}`);
    assert.match(r.stderr, new RegExp(`invalid value '${value}' in ${env}`));
  }
  assert.equal(fs.existsSync(db), false, 'refused before the database is created');
  const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  for (const flag of ['--max-connections', '--max-connections-per-ip', '--idle-timeout', '--shutdown-grace']) {
    assert.match(help.stdout, new RegExp(`${flag} `));
  }
});

test('the connection flags: their boundary values start', { timeout: 30000 }, async () => {
  const s = await startServer({ args: ['--max-connections', '1', '--max-connections-per-ip', '0', '--idle-timeout', '3600', '--shutdown-grace', '0'] });
  try {
    assert.equal((await call(s.url, 'GET', '/healthz')).status, 200);
  } finally {
    assert.equal((await s.stop()).code, 0);
  }
});
