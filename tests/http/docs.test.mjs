// The OpenAPI document and the deliverables around it: it covers exactly the routes of
// src/routes.c, the server serves it, and deps/debian.txt is the one Debian package list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { startServer, call } from './helpers.mjs';
import { DOC, checkRequest } from './openapi.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');

let srv;
before(async () => { srv = await startServer({ fixtures: '' }); });
after(async () => { await srv.stop(); });

// {"METHOD", "/pattern", …} entries of the route table.
function routeTable() {
  const src = read('src/routes.c');
  return [...src.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"/g)].map(([, m, p]) => `${m} ${p}`).sort();
}

// The paths of the document less the trailing-slash forms (x-trailing-slash-of): one per route.
const routePaths = () => Object.entries(DOC.paths).filter(([, item]) => !item['x-trailing-slash-of']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = () => Object.entries(DOC.paths)
  .flatMap(([p, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([m, op]) => ({ p, m, op })));
const deref = (node) => (node?.$ref ? node.$ref.slice(2).split('/').reduce((n, k) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], DOC) : node);

test('the OpenAPI document covers exactly the routes the server answers', () => {
  const documented = routePaths()
    .flatMap(([p, ops]) => Object.keys(ops).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
  const served = routeTable();
  assert.ok(served.length > 40, `the route table was read (${served.length} routes)`);
  assert.deepEqual(documented, served);
});

test('every operation has an id, a 2xx answer and a documented error body', () => {
  const ids = new Set();
  for (const [p, ops] of Object.entries(DOC.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      if (!METHODS.includes(m)) continue;
      assert.ok(op.operationId && !ids.has(op.operationId), `${m} ${p}: unique operationId`);
      ids.add(op.operationId);
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${m} ${p}: a success answer`);
    }
  }
});

test('a path ends with a slash only as the trailing-slash form of a route, with the same operations', () => {
  const slashed = Object.keys(DOC.paths).filter((p) => p.length > 1 && p.endsWith('/'));
  assert.deepEqual(slashed.sort(), ['/dashboard/', '/v2/3as/packages/', '/v2/3as/websites/{intpWebsiteId}/whitelisted-domains/']);
  const strip = (op) => { const { operationId, summary, description, ...rest } = op; return rest; };
  for (const p of slashed) {
    const of = DOC.paths[p]['x-trailing-slash-of'];
    assert.equal(of, p.slice(0, -1), `${p}: x-trailing-slash-of names the route it is a form of`);
    assert.deepEqual(DOC.paths[p].parameters, DOC.paths[of].parameters, `${p}: path parameters`);
    for (const m of METHODS.filter((k) => DOC.paths[p][k])) {
      assert.ok(DOC.paths[of][m], `${m} ${of} exists`);
      assert.deepEqual(strip(DOC.paths[p][m]), strip(DOC.paths[of][m]), `${m} ${p} is ${m} ${of} but for its names`);
    }
  }
});

test('every operation: a description, 400 and 414 (refused before routing); 413 with a body, 415 when it reads JSON', () => {
  for (const { p, m, op } of operations()) {
    const what = `${m.toUpperCase()} ${p}`;
    assert.ok(typeof op.description === 'string' && op.description.length > 20, `${what}: a description`);
    for (const status of ['400', '414']) assert.ok(op.responses[status], `${what}: ${status}`);
    const body = deref(op.requestBody);
    assert.equal(Boolean(op.responses['413']), Boolean(body), `${what}: 413 exactly when it takes a body`);
    // a body the route ignores ([] from the PHP SDK) is never refused for its media type
    const readsJson = Boolean(body) && op.requestBody.$ref !== '#/components/requestBodies/Ignored';
    assert.equal(Boolean(op.responses['415']), readsJson, `${what}: 415 exactly when it reads a JSON body`);
  }
});

test('the admin API needs a token only when the server has one; health and the document never', () => {
  for (const { p, m, op } of operations()) {
    if (p.startsWith('/__admin/')) assert.deepEqual(op.security, [{}, { adminToken: [] }], `${m} ${p}`);
    if (['/healthz', '/openapi.json', '/openapi.yaml', '/dashboard', '/dashboard/', '/v2/3as/api-keys/login'].includes(p)) assert.deepEqual(op.security, [], `${m} ${p}`);
  }
});

test('the request check refuses what the document refuses', () => {
  const B = 'http://127.0.0.1:1';
  const auth = { Authorization: 'Bearer x.y.z' };
  const json = { 'Content-Type': 'application/json' };
  const ok = (method, url, headers, body) => assert.doesNotThrow(() => checkRequest(method, B + url, headers, body), `${method} ${url}`);
  const refused = (method, url, headers, body, re) => assert.throws(() => checkRequest(method, B + url, headers, body), re, `${method} ${url}`);
  ok('GET', '/v2/3as/customers/c1', auth);
  ok('GET', '/v2/3as/customers/c1/', auth); // one trailing slash, the documented rule
  ok('GET', '/v2/3as/packages/', auth);
  ok('PATCH', '/v2/3as/websites/w1/whitelisted-domains/', { ...auth, ...json }, '{"domain":"a.test"}');
  ok('GET', '/dashboard/?externalWebsiteId=w1&intpc_token=t');
  ok('POST', '/__admin/intps/p1/tokens', {}, undefined);
  ok('PUT', '/v3/3as/packages/p1/assignments/w1', { ...auth, ...json }, '[]');
  ok('POST', '/__admin/intps/p1/reset', json, '[]');
  ok('POST', '/v2/3as/customers', { ...auth, ...json }, '{"intpCustomerId":"c","email":"c@x.io","billingDate":"2026-11-22T10:00:00.000+01:00"}');
  ok('GET', '/v2/3as/customers?page=2&pageSize=100', auth);
  refused('GET', '/v2/3as/nothing', auth, undefined, /path is not in the OpenAPI document/);
  refused('PUT', '/v2/3as/customers', auth, undefined, /has no PUT/);
  refused('GET', '/v2/3as/customers', {}, undefined, /security/);
  refused('GET', '/v2/3as/customers?pageSize=101', auth, undefined, /pageSize/);
  refused('POST', '/v3/3as/website-subscriptions/renew', { ...auth, ...json }, '{"intpWebsiteId":"w"}', /action/);
  refused('POST', '/v2/3as/customers', auth, undefined, /requires a body/);
  refused('POST', '/v2/3as/customers', { ...auth, ...json }, '{"email":"c@x.io"}', /intpCustomerId/);
  refused('POST', '/v2/3as/customers', { ...auth, 'Content-Type': 'text/plain' }, 'x', /text\/plain/);
  refused('DELETE', '/v2/3as/customers/c1', { ...auth, ...json }, '{}', /declares none/);
  refused('POST', '/v2/websites/not-a-uuid/sessions', { 'X-Api-Key': 'k', ...json }, '{"dateRange":{"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z"}}', /websiteId/);
});

test('call() holds accepted requests to the document; { invalid: true } marks, and must mark, an off-document one', async () => {
  // the server takes any ...+json media type; the document names application/json only
  const offDoc = { body: '{}', headers: { 'Content-Type': 'application/merge-patch+json' } };
  await assert.rejects(call(srv.url, 'POST', '/__admin/intps', offDoc), /body of type application\/merge-patch\+json/);
  assert.equal((await call(srv.url, 'POST', '/__admin/intps', { ...offDoc, invalid: true })).status, 201);
  await assert.rejects(call(srv.url, 'GET', '/healthz', { invalid: true }), /marked invalid, but the OpenAPI document accepts/);
  // a refused request is not checked: bad input needs no mark
  assert.equal((await call(srv.url, 'POST', '/__admin/intps', { body: { id: 'bad id!' } })).status, 400);
});

test('the server serves the document as JSON and as YAML, the same document', async () => {
  const json = await call(srv.url, 'GET', '/openapi.json');
  assert.equal(json.status, 200);
  assert.deepEqual(json.json, JSON.parse(JSON.stringify(DOC)));
  const yaml = await call(srv.url, 'GET', '/openapi.yaml');
  assert.match(yaml.headers.get('content-type'), /^application\/yaml/);
  assert.deepEqual(YAML.parse(yaml.text), DOC);
});

test('deps/debian.txt is the one Debian package list (README command, CI, Dockerfile)', () => {
  const deps = read('deps/debian.txt').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s+/));
  const names = deps.map(([name]) => name);
  for (const role of ['build', 'runtime', 'test']) assert.ok(deps.some(([, r]) => r === role), `a ${role} package`);
  assert.match(read('mock3as.sh'), /deps\/debian\.txt/);
  assert.match(read('.ci/run'), /\.\/mock3as\.sh test/);
  const dockerfile = read('docker/Dockerfile');
  assert.match(dockerfile, /COPY deps\/debian\.txt/);
  // both stages pick their role's names, skipping the comment lines of the list
  for (const role of ['build', 'runtime']) assert.ok(dockerfile.includes(`awk '!/^#/ && $2 == "${role}" {print $1}' /tmp/debian.txt`), role);
  // every apt-get install in the Dockerfile takes its names from the list, none written inline
  for (const line of dockerfile.split('\n').filter((l) => /apt-get install/.test(l))) {
    for (const name of names) assert.ok(!new RegExp(`\\s${name.replace(/[+.]/g, '\\$&')}(\\s|$)`).test(line), `Dockerfile names ${name} inline: ${line}`);
  }
  // the compose check of tests/docker/ runs Debian's docker-compose in CI
  assert.ok(deps.some(([name, role]) => name === 'docker-compose' && role === 'test'), 'docker-compose, role test');
});

test('docker/compose.yaml parses: health check, read-only fixtures, admin token from the environment, a partner app', () => {
  const compose = YAML.parse(read('docker/compose.yaml'));
  const mock = compose.services.mock3as;
  assert.equal(mock.build.dockerfile, 'docker/Dockerfile');
  assert.deepEqual(mock.healthcheck.test.slice(0, 3), ['CMD', 'mock3as', '--check-health']);
  assert.ok(mock.volumes.includes('../fixtures:/opt/mock3as/fixtures:ro'));
  assert.ok(mock.volumes.some((v) => v.endsWith(':/data')));
  assert.match(mock.environment.MOCK3AS_ADMIN_TOKEN, /^\$\{MOCK3AS_ADMIN_TOKEN/);
  const app = compose.services['partner-app'];
  assert.equal(app.depends_on.mock3as.condition, 'service_healthy');
  assert.equal(app.environment.MOCK3AS_URL, 'http://mock3as:8080');
  // loopback only, the host port from MOCK3AS_PORT (parallel jobs), and the links follow it
  assert.deepEqual(mock.ports, ['127.0.0.1:${MOCK3AS_PORT:-8080}:8080']);
  assert.equal(mock.environment.MOCK3AS_PUBLIC_URL, 'http://localhost:${MOCK3AS_PORT:-8080}');
  // Compose interpolates the partner-app script too: each $ it needs is written $$
  // (tests/docker/compose.mjs runs the interpolated script for real)
  assert.doesNotMatch(app.command.at(-1).replace(/\$\$/g, ''), /\$/, 'a lone $ in the partner-app script');
  assert.equal(compose.name, undefined, 'no top-level name: docker-compose 1.29 refuses the file');
});

test('the Dockerfile: two stages on bookworm-slim, non-root, /data, 8080, a health check without curl', () => {
  const d = read('docker/Dockerfile');
  assert.equal((d.match(/^FROM debian:bookworm-slim/gm) || []).length, 2);
  assert.match(d, /meson setup \/build --buildtype=release/);
  assert.match(d, /^USER mock3as$/m);
  assert.match(d, /^VOLUME \/data$/m);
  assert.match(d, /^EXPOSE 8080$/m);
  assert.match(d, /MOCK3AS_BIND=0\.0\.0\.0/);
  assert.match(d, /HEALTHCHECK[\s\S]*"--check-health"/);
  assert.doesNotMatch(d, /curl|wget/);
  // links and the banner name the published address, not http://0.0.0.0:8080
  assert.match(d, /MOCK3AS_PUBLIC_URL=http:\/\/localhost:8080/);
  // the entrypoint checks /data before exec'ing mock3as
  assert.match(d, /^COPY docker\/entrypoint\.sh \/usr\/local\/bin\/mock3as-entrypoint$/m);
  assert.match(d, /^ENTRYPOINT \["\/bin\/sh", "\/usr\/local\/bin\/mock3as-entrypoint"\]$/m);
  assert.match(read('docker/entrypoint.sh'), /chown -R 10001/);
  // .dockerignore lets through every path the Dockerfile copies from the context, and little else
  const ignore = read('.dockerignore').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  assert.equal(ignore[0], '*');
  const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
  for (const [, srcs] of d.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const src of srcs.split(/\s+/)) assert.ok(allowed.includes(src.replace(/\/$/, '')), `.dockerignore lets ${src} through`);
  }
});
