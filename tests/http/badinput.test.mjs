// Issue 12: every bad input gets a clean answer and changes nothing. Each case of the tables in
// badinput_cases.mjs (and the raw-socket cases below) must answer
//   1. the documented status;
//   2. the D2 error body {error, message, status, code, correlationId (+ field)} with the status
//      repeated and correlationId = X-Request-Id, or for /dashboard an HTML page;
//   3. bytes that are valid UTF-8, and JSON that parses (and matches the OpenAPI document);
//   4. with the server still up (GET /healthz after each group);
//   5. with the database unchanged: row counts of every table and a SHA-256 of its content,
//      before and after (dbstate.mjs).
// Cases tagged "[mhd]" are answered by libmicrohttpd 0.9.75 itself, before mock3as sees the
// request; they assert only what must hold whatever the library does (no crash, no stall, no
// change, a 4xx/5xx), and report the rest as test diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import {
  startServer, call, signJwt, dialects, intpcToken, mint, nowSec, key, DEMO, DEMO_PRIVATE, OTHER_PRIVATE,
} from './helpers.mjs';
import { checkResponse } from './openapi.mjs';
import { dbState, dbDiff, closeDbState } from './dbstate.mjs';
import { GROUPS, E, bytes } from './badinput_cases.mjs';

const ADMIN_TOKEN = 'bi-admin-secret';
const utf8 = new TextDecoder('utf-8', { fatal: true });
const D2_KEYS = new Set(['error', 'message', 'status', 'code', 'correlationId', 'field']);

const servers = {}; // main; second (--profile intended --admin-token): {url, db, proc, state}
const c = { tokens: {}, keys: {}, keyIds: {}, pkg: {}, poolPkg: {}, dash: {} }; // the context cases read

// ---- setup: one partner of each model with customers, websites, keys and tokens ----

before(async () => {
  const weakKey = new Promise((resolve, reject) => crypto.generateKeyPair('rsa', { modulusLength: 1024 }, (e, pub) => (e ? reject(e) : resolve(pub))));
  const [main, second] = await Promise.all([startServer(), startServer({ args: ['--profile', 'intended', '--admin-token', ADMIN_TOKEN] })]);
  servers.main = { url: main.url, db: main.db, proc: main };
  servers.second = { url: second.url, db: second.db, proc: second };
  const url = main.url;
  c.demo = DEMO.id;
  c.demoPrivate = DEMO_PRIVATE;
  c.otherPublic = key('other.public.pem');
  c.rsa1024 = (await weakKey).export({ type: 'spki', format: 'pem' });

  const ok = (r, what) => { if (r.status >= 300) throw new Error(`setup: ${what}: ${r.status} ${r.text}`); return r.json?.payload; };
  const demo = (method, p, body) => call(url, method, p, { token: c.tokens.intp, body });
  c.tokens.intp = dialects.node(DEMO.id, DEMO_PRIVATE);

  const find = (list, name, period = 'monthly') => list.find((p) => p.name === name && p.period === period).id;
  const catalogue = ok(await demo('GET', '/v2/3as/packages'), 'packages');
  c.pkg = { basic: find(catalogue, 'Basic'), free: find(catalogue, 'Free'), pro: find(catalogue, 'Pro'), trial: find(catalogue, 'unlimited_30_day_free_trial') };
  c.pkg.restricted = ok(await demo('POST', '/v2/3as/packages', { name: 'BI Restricted', touchpoints: 100000, price: 99, currency: 'EUR', period: 'monthly', visibility: 'restricted' }), 'restricted package').id;

  ok(await demo('POST', '/v2/3as/customers', { intpCustomerId: 'bi-owner', email: 'bi-owner@bi.test', website: { intpWebsiteId: 'bi-site', domain: 'shop.bi.test', packageId: c.pkg.basic } }), 'bi-owner');
  ok(await demo('POST', '/v2/3as/customers', { intpCustomerId: 'bi-other', email: 'bi-other@bi.test', website: { intpWebsiteId: 'bi-site2', domain: 'other.bi.test' } }), 'bi-other');
  for (const id of ['bi-stranger', 'bi-cand1', 'bi-cand2', 'bi-cand3', 'bi-nul']) ok(await demo('POST', '/v2/3as/customers', { intpCustomerId: id, email: `${id}@bi.test` }), id);
  // paid websites of their own for the cases that would change a subscription if accepted
  for (const id of ['bi-victim1', 'bi-victim2', 'bi-paid1', 'bi-paid2', 'bi-paid3', 'bi-inactive']) {
    ok(await demo('POST', '/v2/3as/websites', { intpWebsiteId: id, intpCustomerId: 'bi-owner', domain: `${id}.bi.test`, packageId: c.pkg.basic }), id);
  }
  ok(await demo('POST', '/v3/3as/website-subscriptions/deactivate', { intpWebsiteId: 'bi-inactive' }), 'deactivate');
  c.site = ok(await demo('GET', '/v2/3as/websites/bi-site'), 'bi-site').id;
  c.site2 = ok(await demo('GET', '/v2/3as/websites/bi-site2'), 'bi-site2').id;

  const newKey = async (site, body) => ok(await demo('POST', `/v2/3as/websites/${site}/api-keys`, body), `key on ${site}`);
  const a = await newKey('bi-site', { name: 'A' });
  const b = await newKey('bi-site2', { name: 'B' });
  const gone = await newKey('bi-site', { name: 'deleted' });
  const expiring = await newKey('bi-site', { name: 'expiring', expiresAt: new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') });
  ok(await demo('DELETE', `/v2/3as/websites/bi-site/api-keys/${gone.id}`), 'delete key');
  c.keys = { A: a.apiKey, B: b.apiKey, deleted: gone.apiKey, expired: expiring.apiKey };
  c.keyIds = { A: a.id, B: b.id };
  // the expiring key expires on the partner's clock
  ok(await call(url, 'POST', `/__admin/intps/${DEMO.id}/clock`, { body: { advanceBy: 'PT2H' } }), 'clock');
  // a login: the websiteToken of the dashboard cases (and the mock's own signing key, made on
  // first use, exists before any case runs)
  c.websiteToken = ok(await call(url, 'POST', '/v2/3as/api-keys/login', { body: { apiKey: c.keys.A, websiteId: c.site } }), 'login').refreshToken;

  // an intpc-subscription partner (with the test key pair "other": no key generation), and two
  // onboarded with a public key only
  const pool = ok(await call(url, 'POST', '/__admin/intps', { body: { name: 'BI Pool', subscriptionType: 'intpc', publicKey: c.otherPublic, privateKey: OTHER_PRIVATE } }), 'pool partner');
  c.pool = pool.id;
  c.tokens.pool = dialects.node(pool.id, OTHER_PRIVATE);
  const poolApi = (method, p, body) => call(url, method, p, { token: c.tokens.pool, body });
  const poolCatalogue = ok(await poolApi('GET', '/v2/3as/packages'), 'pool packages');
  c.poolPkg = { basic: find(poolCatalogue, 'Basic'), free: find(poolCatalogue, 'Free'), pro: find(poolCatalogue, 'Pro'), trial: find(poolCatalogue, 'unlimited_30_day_free_trial') };
  ok(await poolApi('POST', '/v2/3as/customers', { intpCustomerId: 'pc-1', email: 'pc-1@pc.test', packageId: c.poolPkg.basic, website: { intpWebsiteId: 'pc-1-site', domain: 'one.pc.test' } }), 'pc-1');
  ok(await poolApi('POST', '/v2/3as/customers', { intpCustomerId: 'pc-2', email: 'pc-2@pc.test', packageId: c.poolPkg.basic }), 'pc-2');
  c.poolSite = ok(await poolApi('GET', '/v2/3as/websites/pc-1-site'), 'pc-1-site').id;
  c.ownKey = ok(await call(url, 'POST', '/__admin/intps', { body: { id: 'bi-ownkey', publicKey: c.otherPublic } }), 'own-key partner').id;
  c.clockPartner = ok(await call(url, 'POST', '/__admin/intps', { body: { id: 'bi-clock', publicKey: c.otherPublic } }), 'clock partner').id;

  // the second server (profile intended): the demo partner with one paid website
  const secondApi = (method, p, body) => call(second.url, method, p, { token: c.tokens.intp, body });
  const secondCatalogue = ok(await secondApi('GET', '/v2/3as/packages'), 'second packages');
  c.second = { basic: find(secondCatalogue, 'Basic'), free: find(secondCatalogue, 'Free'), pro: find(secondCatalogue, 'Pro'), trial: find(secondCatalogue, 'unlimited_30_day_free_trial') };
  ok(await secondApi('POST', '/v2/3as/customers', { intpCustomerId: 'gi-owner', email: 'gi-owner@bi.test', website: { intpWebsiteId: 'gi-site', domain: 'gi.bi.test', packageId: c.second.basic } }), 'gi-owner');

  // partner tokens: every kind of forgery, made once
  const now = nowSec();
  const hdr = (extra = {}) => ({ alg: 'RS256', typ: 'JWT', kid: DEMO.id, ...extra });
  const claims = (extra = {}) => ({ roles: ['intp'], intp_id: DEMO.id, exp: now + 600, iat: now, ...extra });
  Object.assign(c.tokens, {
    intpc: intpcToken(DEMO.id, 'bi-owner', DEMO_PRIVATE),
    expired: signJwt(hdr(), claims({ exp: now - 120, iat: now - 720 }), DEMO_PRIVATE),
    wrongKey: signJwt(hdr(), claims(), OTHER_PRIVATE),
    none: signJwt(hdr({ alg: 'none' }), claims(), null, 'none'),
    hs256: signJwt(hdr({ alg: 'HS256' }), claims(), key('demo-intp.public.pem')),
    unknownKid: signJwt(hdr({ kid: 'nobody' }), claims({ intp_id: 'nobody' }), DEMO_PRIVATE),
    noKid: signJwt({ alg: 'RS256', typ: 'JWT' }, claims(), DEMO_PRIVATE),
    rolesString: signJwt(hdr(), claims({ roles: 'intp' }), DEMO_PRIVATE),
  });
  const customerClaims = (extra = {}) => ({ roles: ['intpc'], intp_id: DEMO.id, intpc_id: 'bi-owner', exp: now + 600, iat: now, ...extra });
  c.dash = {
    owner: await mint(url, DEMO.id, { role: 'intpc', intpcId: 'bi-owner' }),
    stranger: await mint(url, DEMO.id, { role: 'intpc', intpcId: 'bi-stranger' }),
    expired: signJwt(hdr(), customerClaims({ exp: now - 120, iat: now - 720 }), DEMO_PRIVATE),
    wrongKey: signJwt(hdr(), customerClaims(), OTHER_PRIVATE),
    none: signJwt(hdr({ alg: 'none' }), customerClaims(), null, 'none'),
  };
});

after(async () => {
  closeDbState();
  await Promise.all(Object.values(servers).map((s) => s.proc.stop()));
});

// ---- sending ----

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

// One request over node:http; the answer's body stays raw bytes.
function send(base, { method, path, headers, body, chunks }) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, agent }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('no answer within 10 s')));
    if (chunks) {
      for (const chunk of chunks) req.write(chunk);
      req.end();
    } else {
      req.end(body);
    }
  });
}

const val = (v) => (typeof v === 'function' ? v(c) : v);

// The request a case describes, with its context filled in.
function requestOf(k) {
  const headers = { ...val(k.headers) };
  const token = typeof k.token === 'function' ? k.token(c) : c.tokens[k.token];
  if (k.token) headers.Authorization = `Bearer ${token}`;
  if (k.apiKey) headers['X-Api-Key'] = c.keys[k.apiKey];
  let body = val(k.body);
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) body = JSON.stringify(body);
  const chunks = val(k.chunks);
  if ((body !== undefined || chunks) && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  return { method: k.method, path: val(k.path), headers, body, chunks };
}

// The checks every D2 error answer must pass; problems are pushed, not thrown, so that a case
// reports everything that is wrong with its answer at once.
function checkD2(r, k, problems) {
  if (!/^application\/json/.test(r.headers['content-type'] || '')) problems.push(`Content-Type ${r.headers['content-type']}, want application/json`);
  let j;
  try { j = JSON.parse(r.text); } catch { problems.push(`the body is not JSON: ${r.text.slice(0, 200)}`); return; }
  if (!j || typeof j !== 'object' || Array.isArray(j)) { problems.push(`the body is not a JSON object: ${r.text.slice(0, 200)}`); return; }
  const extra = Object.keys(j).filter((key) => !D2_KEYS.has(key));
  if (extra.length) problems.push(`members beyond D2: ${extra.join(', ')}`);
  if (typeof j.error !== 'string' || !j.error) problems.push(`error ${JSON.stringify(j.error)} is not a text`);
  if (k.error !== undefined && j.error !== k.error) problems.push(`error ${JSON.stringify(j.error)}, want ${JSON.stringify(k.error)}`);
  if (typeof j.message !== 'string' || !j.message) problems.push(`message ${JSON.stringify(j.message)} is not a text`);
  if (j.status !== r.status || j.code !== r.status) problems.push(`status ${j.status} / code ${j.code} do not repeat ${r.status}`);
  if (typeof j.correlationId !== 'string' || !j.correlationId || j.correlationId !== r.headers['x-request-id']) {
    problems.push(`correlationId ${JSON.stringify(j.correlationId)} is not the X-Request-Id ${JSON.stringify(r.headers['x-request-id'])}`);
  }
  if ('field' in j && typeof j.field !== 'string') problems.push(`field ${JSON.stringify(j.field)} is not a string`);
  const fields = k.field === undefined ? null : [].concat(k.field);
  if (fields && !fields.includes(j.field)) problems.push(`field ${JSON.stringify(j.field)}, want ${fields.map((f) => JSON.stringify(f)).join(' or ')}`);
  if (r.status === 405 && !r.headers.allow) problems.push('405 without an Allow header');
}

function checkPage(r, k, problems) {
  if (!/^text\/html/.test(r.headers['content-type'] || '')) problems.push(`Content-Type ${r.headers['content-type']}, want text/html`);
  // "<title>403 Forbidden</title>", "<h1>401 Unauthorized</h1>": the status, then its reason
  if (r.status >= 400 && !r.text.includes(`>${r.status} `)) problems.push(`the page does not say ${r.status}: ${r.text.slice(0, 200)}`);
}

async function runCase(k) {
  const s = servers[k.server || 'main'];
  const req = requestOf(k);
  const stateBefore = s.state ?? await dbState(s.db);
  const r = await send(s.url, req);
  const stateAfter = await dbState(s.db);
  s.state = stateAfter;

  const problems = [];
  if (r.status !== k.status) problems.push(`status ${r.status}, want ${k.status}`);
  try {
    r.text = utf8.decode(r.raw);
  } catch {
    r.text = r.raw.toString('utf8');
    problems.push(`the body is not valid UTF-8: ${r.raw.toString('latin1').slice(0, 300)}`);
  }
  if (k.html) checkPage(r, k, problems);
  else if (r.status >= 400) checkD2(r, k, problems);
  try {
    checkResponse(req.method, s.url + req.path, r.status, r.headers['content-type'], r.text);
  } catch (e) {
    problems.push(`OpenAPI: ${e.message.split('\n').slice(0, 3).join(' | ')}`);
  }
  if (k.check) k.check(r, c, problems);
  const changed = dbDiff(stateBefore, stateAfter);
  if (changed) problems.push(changed);
  if (problems.length) assert.fail(`${req.method} ${req.path.slice(0, 120)} answered ${r.status}: ${r.text.slice(0, 300)}\n  - ${problems.join('\n  - ')}`);
}

async function assertUp(s) {
  const r = await send(s.url, { method: 'GET', path: '/healthz' });
  assert.equal(r.status, 200, 'GET /healthz');
  assert.equal(JSON.parse(r.raw.toString()).status, 'ok');
}

for (const [group, cases] of GROUPS) {
  describe(group, () => {
    for (const k of cases) test(k.name, () => runCase(k));
    test(`the server still answers GET /healthz after the ${group} cases`, () => assertUp(servers[cases[0].server || 'main']));
  });
}

// ---- protocol level: raw bytes over a socket ----

// Send `data` (with `then`: and `then` `pause` ms later; with halfClose: and end our side) and
// collect everything until the server closes or `wait` ms pass.
function exchange(s, data, { wait = 5000, halfClose = false, then, pause = 300 } = {}) {
  const u = new URL(s.url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const parts = [];
    const t0 = Date.now();
    let first = null;
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ raw: Buffer.concat(parts), firstMs: first, ms: Date.now() - t0, how });
    };
    const timer = setTimeout(() => finish('timeout'), wait);
    sock.on('data', (d) => { if (first === null) first = Date.now() - t0; parts.push(d); });
    sock.on('end', () => finish('closed'));
    sock.on('error', (e) => finish(`error ${e.code}`));
    sock.on('connect', () => {
      sock.write(data);
      if (halfClose) sock.end();
      if (then) setTimeout(() => { if (!done) sock.write(then); }, pause);
    });
  });
}

// The responses in `raw`: [{status, headers (lowercased), body Buffer}], in order.
function parseResponses(raw) {
  const out = [];
  let at = 0;
  while (at < raw.length) {
    const end = raw.indexOf('\r\n\r\n', at);
    if (end < 0) { out.push({ status: null, headers: {}, body: raw.subarray(at), incomplete: true }); break; }
    const lines = raw.subarray(at, end).toString('latin1').split('\r\n');
    const m = lines[0].match(/^HTTP\/1\.[01] (\d{3})/);
    const headers = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? (m && /^(1\d\d|204|304)$/.test(m[1]) ? 0 : raw.length - end - 4));
    out.push({ status: m ? Number(m[1]) : null, statusLine: lines[0], headers, body: raw.subarray(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return out;
}

const T = (n) => `Authorization: Bearer ${c.tokens[n]}\r\n`;
const line = (method, target, extra = '', body = '') => bytes(`${method} ${target} HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n${extra}\r\n${body}`);

// A raw case: bytes to send, how to send them, and what must hold. d2: the answer is mock3as'
// own D2 body with one of these statuses; mhd: libmicrohttpd answers itself with one of these
// statuses (answered: 'maybe': or closes the connection without an answer).
const rawCases = [
  { name: '[issue] [mhd] Content-Length: -1', data: () => line('POST', '/v2/3as/customers', 'Content-Type: application/json\r\nContent-Length: -1\r\n', '{}'), mhd: [400] },
  { name: '[issue] [mhd] Content-Length: abc', data: () => line('POST', '/v2/3as/customers', 'Content-Type: application/json\r\nContent-Length: abc\r\n', '{}'), mhd: [400] },
  { name: '[mhd] Content-Length of 30 digits', data: () => line('POST', '/v2/3as/customers', `Content-Length: ${'9'.repeat(30)}\r\n`, '{}'), mhd: [400, 413] },
  // RFC 9112 §6.3: differing Content-Length values make the framing invalid (a 400); taking
  // either one lets the rest of the bytes be read as another request (request smuggling)
  {
    name: '[extra] two different Content-Length headers',
    data: () => {
      const body = JSON.stringify({ intpCustomerId: 'bi-p1', email: 'bi-p1@bi.test' });
      return line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: 2\r\n`, body);
    },
    d2: [400], error: E.framing,
  },
  { name: '[issue] an unknown Transfer-Encoding (gzip) is answered at once', data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n`, 'x'), d2: [400], error: E.framing },
  { name: '[issue] Transfer-Encoding: gzip, chunked is answered at once', data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n`, '2\r\n{}\r\n0\r\n\r\n'), d2: [400], error: E.framing },
  { name: '[issue] [mhd] a bad chunk size', data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n`, 'zz\r\n{}\r\n0\r\n\r\n'), mhd: [400] },
  { name: 'a chunked body that is not JSON', data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n`, '5\r\nhello\r\n0\r\n\r\n'), d2: [400], error: E.json },
  { name: '[issue] a chunked JSON object followed by garbage', data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n`, (() => { const b = `${JSON.stringify({ intpCustomerId: 'bi-p2', email: 'bi-p2@bi.test' })}junk`; return `${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`; })()), d2: [400], error: E.json },
  {
    name: '[issue] Expect: 100-continue with a Content-Length over --max-body gets 413 before any 100 Continue',
    data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n`),
    d2: [413], error: E.tooLarge,
    check: (res, problems) => { if (/^HTTP\/1\.[01] 100/.test(res.raw.toString('latin1'))) problems.push('100 Continue came first'); },
  },
  {
    name: 'Expect: 100-continue within --max-body is answered after the upload',
    data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 7\r\n`),
    then: '"hello"', d2: [400], error: E.json,
  },
  { name: '[issue] a path of 60 KB', data: () => line('GET', `/${'a'.repeat(60 * 1024)}`), d2: [414], error: E.uriTooLong },
  { name: '[issue] a path of 9000 bytes on a real route prefix', data: () => line('GET', `/v2/3as/customers/${'a'.repeat(9000)}`, T('intp')), d2: [414], error: E.uriTooLong },
  { name: '[mhd] a request line of 200 KB', data: () => line('GET', `/${'a'.repeat(200 * 1024)}`), mhd: [400, 413, 414, 431] },
  { name: '[mhd] a header of 200 KB', data: () => line('GET', '/healthz', `X-Big: ${'a'.repeat(200 * 1024)}\r\n`), mhd: [400, 413, 431] },
  { name: '[issue] [mhd] a header line without a colon', data: () => line('GET', '/healthz', 'BadHeaderLine\r\n'), mhd: [400] },
  { name: '[issue] [mhd] HTTP/9.9', data: () => bytes('GET /healthz HTTP/9.9\r\nHost: mock\r\n\r\n'), mhd: [400, 505] },
  { name: '[mhd] HTTX/1.1', data: () => bytes('GET /healthz HTTX/1.1\r\nHost: mock\r\n\r\n'), mhd: [400, 505] },
  { name: '[mhd] a request line without a version', data: () => bytes('GET /healthz\r\nHost: mock\r\n\r\n'), mhd: [400, 505], answered: 'maybe' },
  // libmicrohttpd 0.9.75 cuts the target at the NUL and hands mock3as "/heal"
  { name: 'a NUL byte in the request target', data: () => bytes('GET /heal', [0], 'thz HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n'), d2: [400, 404] },
  // … so "DELETE /v2/3as/customers/bi-nul<NUL>/x" deletes bi-nul: the raw-byte form of the \u0000
  // hole; a 400 from either libmicrohttpd or mock3as will do
  { name: '[extra] a NUL byte in the target of a DELETE (cut there: the customer is deleted)', data: () => bytes('DELETE /v2/3as/customers/bi-nul', [0], `/x HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n${T('intp')}\r\n`), mhd: [400] },
  { name: '[mhd] binary garbage instead of a request', data: () => bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03], '\r\n\r\n'), mhd: [400, 505], answered: 'maybe' },
  { name: '[mhd] a body shorter than its Content-Length, then EOF', data: () => line('POST', '/v2/3as/customers', `${T('intp')}Content-Type: application/json\r\nContent-Length: 100\r\n`, '{"intpCustomerId":'), halfClose: true, wait: 1000, mhd: [400], answered: 'maybe' },
  { name: '[issue] raw invalid UTF-8 bytes in a customer id', data: () => bytes('GET /v2/3as/customers/', [0xff, 0xc0, 0xaf], ` HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n${T('intp')}\r\n`), d2: [404], error: E.customer },
  { name: '[issue] raw invalid UTF-8 bytes in an unknown route', data: () => bytes('GET /v2/3as/', [0xfe, 0xff], '/x HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n'), d2: [404], error: E.route },
  { name: '[issue] raw invalid UTF-8 bytes in a query value', data: () => bytes('GET /v2/3as/websites?externalCustomerId=', [0xc0, 0xaf], ` HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n${T('intp')}\r\n`), d2: [404], error: E.customer },
  { name: '[issue] raw invalid UTF-8 bytes in a Content-Type', data: () => bytes('POST /v2/3as/customers HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n', T('intp'), 'Content-Type: text/', [0xff, 0xfe], '\r\nContent-Length: 2\r\n\r\n{}'), d2: [415], error: E.media },
  { name: 'a lowercase method', data: () => line('get', '/healthz'), d2: [405, 400, 501] },
  { name: 'an unknown method', data: () => line('BREW', '/v2/3as/customers', T('intp')), d2: [405, 400, 501] },
];

describe('protocol level (raw sockets)', () => {
  for (const k of rawCases) {
    test(k.name, async (t) => {
      const s = servers.main;
      const stateBefore = s.state ?? await dbState(s.db);
      const res = await exchange(s, k.data(), { halfClose: k.halfClose, then: k.then, wait: k.wait });
      const stateAfter = await dbState(s.db);
      s.state = stateAfter;
      const problems = [];
      const answers = parseResponses(res.raw);
      const first = answers.find((a) => a.status !== 100) || answers[0];
      const shown = res.raw.toString('latin1').slice(0, 300);
      t.diagnostic(`answered ${first ? first.statusLine : '(nothing)'} (${res.how} after ${res.ms} ms)`);
      try { utf8.decode(res.raw); } catch { problems.push('the answer is not valid UTF-8'); }
      if (res.how === 'timeout' && !(k.mhd && k.answered === 'maybe' && res.raw.length === 0)) {
        problems.push(`stalled: ${res.raw.length ? 'the connection stayed open' : 'no answer'} after ${res.ms} ms`);
      }
      if (res.firstMs !== null && res.firstMs > 2000) problems.push(`the first byte came after ${res.firstMs} ms`);
      if (k.mhd) {
        if (!first && k.answered !== 'maybe') problems.push('no answer');
        if (first && !k.mhd.includes(first.status)) problems.push(`status ${first.status}, want one of ${k.mhd.join(', ')}`);
        // what the answer is beyond that (libmicrohttpd's HTML, or mock3as' JSON), for the report
        if (first) {
          const twice = /^HTTP\/1/.test(first.body.toString('latin1')) ? '; its header block twice' : '';
          t.diagnostic(`the answer: ${first.headers['content-type'] || 'no Content-Type'}, ${first.headers['x-request-id'] ? 'with' : 'without'} X-Request-Id${twice}`);
        }
      } else {
        if (!first) {
          problems.push('no answer');
        } else {
          const r = { status: first.status, headers: first.headers, raw: first.body, text: first.body.toString('utf8') };
          if (!k.d2.includes(r.status)) problems.push(`status ${r.status}, want ${k.d2.join(' or ')}`);
          if (r.status >= 400) checkD2(r, { error: k.error }, problems);
          if (answers.filter((a) => a.status !== null && a.status !== 100).length > 1) problems.push(`${answers.length} answers to one request`);
        }
      }
      if (k.check) k.check(res, problems);
      const changed = dbDiff(stateBefore, stateAfter);
      if (changed) problems.push(changed);
      if (problems.length) assert.fail(`answered (${res.how}, ${res.ms} ms): ${JSON.stringify(shown)}\n  - ${problems.join('\n  - ')}`);
    });
  }
  test('the server still answers GET /healthz after the protocol cases', () => assertUp(servers.main));
});
