// The HTTP layer and the process: 404/405/413, X-Request-Id, trailing slashes, restart keeps
// data, SIGTERM/SIGINT exit 0, a second instance on the same database, JSON logs, start-up
// errors that say why (issue 12), --check-health over IPv6.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, call, mint, assertError, BIN, DEMO, FIXTURES, tempDb } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--max-body', '1k'] }); });
after(async () => { await srv.stop(); });

test('an unknown route is a JSON 404', async () => {
  for (const p of ['/nope', '/v2/3as/company-details/extra', '/v2/3as/company-details//']) {
    assertError(assert, await call(srv.url, 'GET', p), 404, 'route not found');
  }
});

test('a wrong method is 405 with Allow', async () => {
  const r = await call(srv.url, 'DELETE', '/v2/3as/company-details');
  assertError(assert, r, 405);
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
  const p = await call(srv.url, 'PUT', '/__admin/intps');
  assert.equal(p.headers.get('allow'), 'POST, GET, HEAD');
});

test('one trailing slash is tolerated', async () => {
  const token = await mint(srv.url, DEMO.id);
  const r = await call(srv.url, 'GET', '/v2/3as/company-details/', { token });
  assert.equal(r.status, 200);
  assert.equal(r.json.payload.id, DEMO.id);
});

test('a body over --max-body is 413 and creates nothing', async () => {
  const before = (await call(srv.url, 'GET', '/__admin/intps')).json.payload.length;
  const r = await call(srv.url, 'POST', '/__admin/intps', { body: { name: 'x'.repeat(2000) } });
  assertError(assert, r, 413);
  assert.equal((await call(srv.url, 'GET', '/__admin/intps')).json.payload.length, before);
  // the connection is still usable afterwards
  assert.equal((await call(srv.url, 'GET', '/healthz')).status, 200);
});

test('X-Request-Id: a sane one is echoed, anything else replaced by a uuid v4', async () => {
  const echoed = await call(srv.url, 'GET', '/nope', { headers: { 'X-Request-Id': 'ci-job-7.step:3' } });
  assert.equal(echoed.headers.get('x-request-id'), 'ci-job-7.step:3');
  assert.equal(echoed.json.correlationId, 'ci-job-7.step:3');
  const replaced = await call(srv.url, 'GET', '/healthz', { headers: { 'X-Request-Id': 'bad id <script>' } });
  assert.match(replaced.headers.get('x-request-id'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const fresh = await call(srv.url, 'GET', '/healthz');
  assert.notEqual(fresh.headers.get('x-request-id'), replaced.headers.get('x-request-id'));
});

test('restart keeps the data and does not load the fixtures twice', async () => {
  const db = tempDb();
  const a = await startServer({ db });
  const created = await call(a.url, 'POST', '/__admin/intps', { body: { name: 'Persistent' } });
  assert.equal((await a.stop()).code, 0);
  const b = await startServer({ db });
  try {
    const ids = (await call(b.url, 'GET', '/__admin/intps')).json.payload.map((p) => p.id);
    assert.deepEqual(ids, [DEMO.id, created.json.payload.id]);
    // the generated key survived too: the mock can still mint for it
    const token = await mint(b.url, created.json.payload.id);
    assert.equal((await call(b.url, 'GET', '/v2/3as/company-details', { token })).json.payload.name, 'Persistent');
  } finally {
    await b.stop();
  }
});

test('SIGTERM and SIGINT stop the server with exit code 0', async () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const s = await startServer();
    await call(s.url, 'GET', '/healthz');
    const { code } = await s.stop(signal);
    assert.equal(code, 0, `${signal}: ${s.stderr()}`);
  }
});

test('a second instance on the same database file works alongside the first', async () => {
  const db = tempDb();
  const a = await startServer({ db });
  const b = await startServer({ db });
  try {
    const created = await call(a.url, 'POST', '/__admin/intps', { body: { name: 'Shared' } });
    const seen = await call(b.url, 'GET', `/__admin/intps/${created.json.payload.id}`);
    assert.equal(seen.status, 200);
    // B loads the key of a partner A onboarded on first use of one of its tokens
    const token = await mint(a.url, created.json.payload.id);
    const details = await call(b.url, 'GET', '/v2/3as/company-details', { token });
    assert.equal(details.status, 200, details.text);
    assert.equal(details.json.payload.name, 'Shared');
    assert.equal((await call(b.url, 'GET', '/__admin/intps')).json.payload.length, 2);
  } finally {
    assert.equal((await a.stop()).code, 0);
    assert.equal((await b.stop()).code, 0);
  }
});

test(':memory: databases start with the fixtures', async () => {
  const s = await startServer({ db: ':memory:' });
  try {
    assert.equal((await call(s.url, 'GET', `/__admin/intps/${DEMO.id}`)).status, 200);
  } finally {
    await s.stop();
  }
});

test('--log-format json writes one JSON object per request', async () => {
  const s = await startServer({ args: ['--log-format', 'json', '--log-level', 'info'] });
  await call(s.url, 'GET', '/healthz', { headers: { 'X-Request-Id': 'log-probe' } });
  await s.stop();
  const lines = s.stderr().trim().split('\n').map((l) => JSON.parse(l));
  const line = lines.find((l) => l.requestId === 'log-probe');
  assert.ok(line, s.stderr());
  assert.equal(line.method, 'GET');
  assert.equal(line.path, '/healthz');
  assert.equal(line.status, 200);
  assert.equal(typeof line.us, 'number');
  assert.ok(lines.some((l) => /ready in \d+ ms/.test(l.msg)));
});

test('--help, --version and bad flags', () => {
  const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const flag of ['--bind', '--port', '--db', '--fixtures', '--profile', '--log-level', '--log-format',
    '--admin-token', '--max-body', '--public-url', '--trial-days', '--version']) assert.match(help.stdout, new RegExp(flag));
  assert.match(help.stdout, /MOCK3AS_PORT/);
  const version = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^mock3as \d+\.\d+\.\d+/);
  const bad = spawnSync(BIN, ['--profile', 'strict'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--profile/);
});

test('a busy port is a clear start-up error', async () => {
  const port = new URL(srv.url).port;
  const r = spawnSync(BIN, ['--port', port, '--db', ':memory:', '--fixtures', ''], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot listen/);
});

test('--check-health probes a URL without curl: 0 for a 200, 1 otherwise', () => {
  const ok = spawnSync(BIN, ['--check-health', `${srv.url}/healthz`], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const missing = spawnSync(BIN, ['--check-health', `${srv.url}/nope`], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /404/);
  const closed = spawnSync(BIN, ['--check-health', 'http://127.0.0.1:1/healthz'], { encoding: 'utf8' });
  assert.equal(closed.status, 1);
  assert.equal(spawnSync(BIN, ['--check-health', 'https://example.invalid/'], { encoding: 'utf8' }).status, 2);
});

// ---- start-up errors (issue 12): exit non-zero at once, one stderr line naming the path and the cause ----

// Start the binary as startServer() does, expecting it to refuse: returns its stderr line.
function startFails(db, extra = []) {
  const t0 = Date.now();
  const r = spawnSync(BIN, ['--port', '0', '--db', db, '--fixtures', FIXTURES, '--log-level', 'warn', ...extra],
    { encoding: 'utf8', timeout: 5000 });
  const ms = Date.now() - t0;
  assert.equal(r.signal, null, `still running after 5 s; stderr: ${r.stderr}`);
  assert.notEqual(r.status, 0, `exit status; stderr: ${r.stderr}`);
  assert.ok(ms < 2000, `refused in ${ms} ms`);
  assert.doesNotMatch(r.stdout, /listening on/);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one stderr line: ${r.stderr}`);
  return lines[0];
}

test('start-up: a database in a directory that does not exist', () => {
  const db = '/nonexistent-dir/x.db';
  const line = startFails(db);
  assert.ok(line.includes(db), line);
  assert.match(line, /does not exist/);
  assert.equal(fs.existsSync('/nonexistent-dir'), false);
});

test('start-up: a database path that is a regular file but no database', () => {
  const db = tempDb();
  const content = 'this is not a database\n'.repeat(200);
  fs.writeFileSync(db, content);
  const line = startFails(db);
  assert.ok(line.includes(db), line);
  assert.match(line, /not an SQLite database/);
  assert.equal(fs.readFileSync(db, 'utf8'), content, 'the file is left as it was');
});

test('start-up: a database in a directory without write permission', (t) => {
  if (process.getuid() === 0) {
    t.skip('running as root: permissions do not apply to root, so the directory would be writable');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mock3as-ro-'));
  fs.chmodSync(dir, 0o555);
  try {
    const db = path.join(dir, 'x.db');
    const line = startFails(db);
    assert.ok(line.includes(db), line);
    assert.match(line, /permission/i);
    assert.equal(fs.existsSync(db), false);
  } finally {
    fs.chmodSync(dir, 0o755);
  }
});

test('start-up: a damaged database is refused, not served with 500s', async () => {
  const db = tempDb();
  const s = await startServer({ db });
  assert.equal((await call(s.url, 'GET', `/__admin/intps/${DEMO.id}`)).status, 200);
  assert.equal((await s.stop()).code, 0);
  assert.equal(fs.existsSync(`${db}-wal`), false, 'checkpointed on exit: every page is in the file');
  const fd = fs.openSync(db, 'r+');
  try {
    const header = Buffer.alloc(100);
    fs.readSync(fd, header, 0, 100, 0);
    const pageSize = header.readUInt16BE(16);
    assert.equal(pageSize, 4096);
    assert.ok(fs.fstatSync(fd).size >= 5 * pageSize, 'the database has a page 4');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, 3 * pageSize); // page 4, all 0xFF
  } finally {
    fs.closeSync(fd);
  }
  const line = startFails(db);
  assert.ok(line.includes(db), line);
  assert.match(line, /damaged/);
});

test('start-up: a port in use is refused before the database is created', () => {
  const port = new URL(srv.url).port;
  const db = tempDb();
  const r = spawnSync(BIN, ['--port', port, '--db', db, '--fixtures', FIXTURES, '--log-level', 'warn'],
    { encoding: 'utf8', timeout: 5000 });
  assert.equal(r.signal, null, r.stderr);
  assert.notEqual(r.status, 0, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`port ${port}\\b`), 'the port asked for, not 0');
  assert.match(lines[0], /Address already in use/);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) assert.equal(fs.existsSync(f), false, `${f} not created`);
});

// Whether this host can listen on the IPv6 loopback.
function ipv6Loopback() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

test('--check-health takes a bracketed IPv6 URL', async (t) => {
  if (!(await ipv6Loopback())) {
    t.skip('no IPv6 loopback (::1) on this host');
    return;
  }
  const s = await startServer({ db: ':memory:', args: ['--bind', '::1'] });
  try {
    const port = new URL(s.url).port;
    assert.equal(s.url, `http://[::1]:${port}`);
    const ok = spawnSync(BIN, ['--check-health', `http://[::1]:${port}/healthz`], { encoding: 'utf8', timeout: 5000 });
    assert.equal(ok.status, 0, ok.stderr);
    const missing = spawnSync(BIN, ['--check-health', `http://[::1]:${port}/nope`], { encoding: 'utf8', timeout: 5000 });
    assert.equal(missing.status, 1, 'a 404 over IPv6 is a failed check');
  } finally {
    await s.stop();
  }
});
