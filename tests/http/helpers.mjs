// Helpers for the black-box HTTP tests: start the real binary on port 0 with a temp database,
// call it, and sign tokens the way each official SDK does.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkResponse, checkRequest } from './openapi.mjs';

export const BIN = process.env.MOCK3AS_BIN;
export const FIXTURES = process.env.MOCK3AS_FIXTURES;
if (!BIN || !FIXTURES) throw new Error('MOCK3AS_BIN and MOCK3AS_FIXTURES must be set (run through meson test)');

export const key = (name) => fs.readFileSync(path.join(FIXTURES, 'keys', name), 'utf8');
export const DEMO = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'intps.json'), 'utf8'))[0];
export const DEMO_PRIVATE = key('demo-intp.private.pem');
export const OTHER_PRIVATE = key('other.private.pem');

export function tempDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mock3as-test-'));
  return path.join(dir, 'test.db');
}

// Start mock3as; resolves once it prints "listening on URL". `args` are extra flags.
export function startServer({ args = [], db = tempDb(), env = {}, fixtures = FIXTURES } = {}) {
  const proc = spawn(BIN, ['--port', '0', '--db', db, '--fixtures', fixtures, '--log-level', 'warn', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  proc.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" within 10 s; stderr: ${stderr}`)), 10000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1], proc, db, exited,
          stdout: () => stdout,
          stderr: () => stderr,
          async stop(signal = 'SIGTERM') {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`exited ${code} before listening; stderr: ${stderr}`)); });
  });
}

// One HTTP call. `body` objects are sent as JSON; strings as they are. Before the test sees the
// answer, both directions are held against the OpenAPI document (openapi.mjs):
// - the response, always (its route, status, media type and body);
// - the request, whenever the answer is 2xx: the server accepted it, so the document must accept
//   it too (route, method, security, parameters, body). Requests answered 4xx/5xx are not checked,
//   so tests that send bad input on purpose need no mark.
// `invalid: true` marks a request that is off the document on purpose although the server
// accepts it (a leniency test); call() then checks the opposite, that the document does refuse
// it, so the mark cannot outlive the reason for it.
export async function call(base, method, p, { token, body, headers = {}, invalid = false } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const res = await fetch(base + p, { method, headers: h, body: payload });
  const text = await res.text();
  checkResponse(method, base + p, res.status, res.headers.get('content-type'), text);
  if (res.status >= 200 && res.status < 300) {
    let refused = null;
    try { checkRequest(method, base + p, h, payload); } catch (e) { refused = e; }
    if (refused && !invalid) throw refused;
    if (!refused && invalid) throw new Error(`${method} ${p}: marked invalid, but the OpenAPI document accepts the request`);
  }
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// Sign header.claims with `privateKeyPem`: RS256/RS512 (RSA), ES256 (EC), HS256 (secret).
export function signJwt(header, claims, secret, alg = header.alg) {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const c = typeof claims === 'string' ? claims : JSON.stringify(claims);
  const input = `${b64url(h)}.${b64url(c)}`;
  let sig;
  if (alg === 'RS256') sig = crypto.sign('sha256', Buffer.from(input), secret);
  else if (alg === 'RS512') sig = crypto.sign('sha512', Buffer.from(input), secret);
  else if (alg === 'ES256') sig = crypto.sign('sha256', Buffer.from(input), { key: secret, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'HS256') sig = crypto.createHmac('sha256', secret).update(input).digest();
  else sig = Buffer.alloc(0);
  return `${input}.${b64url(sig)}`;
}

const nowSec = () => Math.floor(Date.now() / 1000);

// The INTP token of each official SDK (contract §3.1), for partner `id`.
export const dialects = {
  node: (id, pem) => signJwt({ alg: 'RS256', typ: 'JWT', kid: id },
    { roles: ['intp'], intp_id: id, exp: nowSec() + 600, iat: nowSec() }, pem),
  php: (id, pem) => {
    const t = Date.now() / 1000 + 0.123456;
    // lcobucci: typ before alg, float iat/exp with microseconds, intpc_id null
    return signJwt(`{"typ":"JWT","alg":"RS256","kid":"${id}"}`,
      `{"iat":${t.toFixed(6)},"exp":${(t + 600).toFixed(6)},"roles":["intp"],"intp_id":"${id}","intpc_id":null}`, pem, 'RS256');
  },
  goNew: (id, pem) => signJwt(`{"alg":"RS256","kid":"${id}","typ":"JWT"}`,
    `{"exp":${nowSec() + 14400},"iat":${nowSec()},"intp_id":"${id}","iss":"twipla-3as-go-sdk","roles":["intp"]}`, pem, 'RS256'),
  goOld: (id, pem) => signJwt(`{"alg":"RS256","kid":"${id}","typ":"jwt"}`,
    `{"exp":${nowSec() + 14400},"iat":${nowSec()},"intp_id":"${id}","iss":"twipla-3as-go-sdk","roles":["intp"]}`, pem, 'RS256'),
};

export const intpcToken = (id, intpcId, pem) => signJwt({ alg: 'RS256', typ: 'JWT', kid: id },
  { roles: ['intpc'], intp_id: id, intpc_id: intpcId, exp: nowSec() + 600, iat: nowSec() }, pem);

export { nowSec };

// Admin: mint a token through the mock.
export async function mint(base, id, body = { role: 'intp' }, headers = {}) {
  const r = await call(base, 'POST', `/__admin/intps/${id}/tokens`, { body, headers });
  if (r.status !== 201) throw new Error(`mint failed: ${r.status} ${r.text}`);
  return r.json.payload.token;
}

// Assert a D2 error body and its correlation with X-Request-Id.
export function assertError(assert, r, status, error) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assert.equal(r.json.status, status);
  assert.equal(r.json.code, status);
  if (error) assert.equal(r.json.error, error);
  assert.equal(typeof r.json.message, 'string');
  assert.equal(r.json.correlationId, r.headers.get('x-request-id'));
}
