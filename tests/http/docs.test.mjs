// The OpenAPI document and the deliverables around it: it covers exactly the routes of
// src/routes.c, the server serves it, and deps/debian.txt is the one Debian package list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { startServer, call } from './helpers.mjs';
import { DOC } from './openapi.mjs';

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

test('the OpenAPI document covers exactly the routes the server answers', () => {
  const documented = Object.entries(DOC.paths)
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
      if (m === 'parameters') continue;
      assert.ok(op.operationId && !ids.has(op.operationId), `${m} ${p}: unique operationId`);
      ids.add(op.operationId);
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${m} ${p}: a success answer`);
    }
  }
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
});
