// tests/docker/compose.mjs: docker/compose.yaml through a real Compose implementation, no engine
// needed. `docker-compose config` (Debian's docker-compose 1.29, deps/debian.txt role test)
// interpolates the file as `up` would; then:
// - without MOCK3AS_ADMIN_TOKEN it refuses, naming the variable;
// - with it, both services get the token, the port follows MOCK3AS_PORT (127.0.0.1 only) and so
//   does MOCK3AS_PUBLIC_URL, the health check is kept;
// - the partner-app script after interpolation is the script as written, every ${…} of it intact
//   (no `/__admin/intps//tokens`), and it runs: against the built binary (MOCK3AS_BIN) with that
//   admin token it mints a token and reads the company details (exit 0, "200 …").
// Exit 0 when all hold, 77 (meson's skip) with "SKIP: <reason>" without docker-compose, 1 else.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const composeFile = path.join(root, 'docker', 'compose.yaml');
const TOKEN = 'ci-admin-token-7f3a';
const PORT = '18123';

function compose(env) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(COMPOSE_|MOCK3AS_|DOCKER_)/.test(k)));
  return spawnSync('docker-compose', ['-f', composeFile, 'config'], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60000 });
}

const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8', timeout: 60000 });
if (probe.error || probe.status !== 0) {
  console.log(`SKIP: docker-compose does not run (${probe.error ? probe.error.code : probe.stderr.trim()}); ` +
    'install it with deps/debian.txt (role test): apt-get install docker-compose');
  process.exit(77);
}
console.log(`# ${probe.stdout.split('\n')[0]}`);

let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n${String(e.stack || e).replace(/^/gm, '  # ')}`);
  }
}

// docker-compose config writes a Compose file again, so a literal $ comes out as $$.
const unescape = (s) => s.replace(/\$\$/g, '$');

await check('without MOCK3AS_ADMIN_TOKEN compose refuses and names it', () => {
  const r = compose({});
  assert.notEqual(r.status, 0, r.stdout);
  assert.match(r.stderr, /set MOCK3AS_ADMIN_TOKEN to protect \/__admin/);
});

const r = compose({ MOCK3AS_ADMIN_TOKEN: TOKEN, MOCK3AS_PORT: PORT });
if (r.status !== 0) {
  console.log(`not ok - docker-compose config accepts the file\n${r.stderr.replace(/^/gm, '  # ')}`);
  process.exit(1);
}
console.log('ok - docker-compose config accepts the file');
const cfg = YAML.parse(r.stdout);
const source = YAML.parse(fs.readFileSync(composeFile, 'utf8'));
const mock = cfg.services.mock3as;
const app = cfg.services['partner-app'];

await check('the admin token reaches both services', () => {
  assert.equal(mock.environment.MOCK3AS_ADMIN_TOKEN, TOKEN);
  assert.equal(app.environment.MOCK3AS_ADMIN_TOKEN, TOKEN);
});

await check('the port is MOCK3AS_PORT on 127.0.0.1, and the public URL follows it', () => {
  // short syntax (1.29: "127.0.0.1:18123:8080/tcp") or long ({host_ip, published, target})
  const ports = mock.ports.map((p) => (typeof p === 'string' ? p.replace(/\/tcp$/, '') : `${p.host_ip}:${p.published}:${p.target}`));
  assert.deepEqual(ports, [`127.0.0.1:${PORT}:8080`]);
  assert.equal(mock.environment.MOCK3AS_PUBLIC_URL, `http://localhost:${PORT}`);
  const dflt = compose({ MOCK3AS_ADMIN_TOKEN: TOKEN });
  assert.equal(dflt.status, 0, dflt.stderr);
  assert.match(dflt.stdout, /127\.0\.0\.1:8080:8080/);
  assert.match(dflt.stdout, /MOCK3AS_PUBLIC_URL: http:\/\/localhost:8080\b/);
});

await check('the health check, the read-only fixtures and the /data volume are kept', () => {
  assert.deepEqual(mock.healthcheck.test, ['CMD', 'mock3as', '--check-health', 'http://127.0.0.1:8080/healthz']);
  assert.ok(mock.volumes.some((v) => /fixtures:\/opt\/mock3as\/fixtures:ro$/.test(typeof v === 'string' ? v : `${v.source}:${v.target}:ro`)));
  assert.ok(mock.volumes.some((v) => (typeof v === 'string' ? v.startsWith('mock3as-data:/data') : v.target === '/data')));
  assert.equal(app.depends_on.mock3as.condition, 'service_healthy');
});

const script = unescape(app.command.at(-1));
await check('the partner-app script after interpolation is the script as written, ${…} intact', () => {
  assert.equal(script, unescape(source.services['partner-app'].command.at(-1)));
  for (const literal of ['`${base}/__admin/intps/${id}/tokens`', '`Bearer ${process.env.MOCK3AS_ADMIN_TOKEN}`', '`Bearer ${payload.token}`', '`${base}/v2/3as/company-details`']) {
    assert.ok(script.includes(literal), `the script keeps ${literal}`);
  }
  assert.doesNotMatch(script, /\/__admin\/intps\/\/tokens|Bearer `|`\/__admin|`\/v2/);
});

await check('the interpolated partner-app command runs against the built mock3as', async () => {
  const bin = process.env.MOCK3AS_BIN;
  assert.ok(bin && fs.existsSync(bin), 'MOCK3AS_BIN names the built binary (meson sets it)');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MOCK3AS_')));
  const server = spawn(bin, ['--port', '0', '--db', ':memory:', '--fixtures', process.env.MOCK3AS_FIXTURES || path.join(root, 'fixtures'),
    '--admin-token', TOKEN, '--log-level', 'warn'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('no "listening on" within 10 s')), 10000);
      server.stdout.on('data', (d) => {
        const m = (out += d).match(/listening on (http:\/\/\S+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`mock3as exited ${code}`)); });
    });
    const [cmd, ...args] = app.command.map(unescape);
    assert.equal(cmd, 'node');
    const run = spawnSync(process.execPath, args, {
      env: { ...env, ...app.environment, MOCK3AS_URL: url }, encoding: 'utf8', timeout: 30000,
    });
    assert.equal(run.status, 0, `partner-app exited ${run.status}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /^200 \{"payload":\{.*"id":"3a5d0c1e-7b2f-4c8d-9e60-0d3e5a5a5a5a"/);
  } finally {
    server.kill('SIGTERM');
  }
});

console.log(failed ? `# ${failed} failed` : '# all passed');
process.exit(failed ? 1 : 0);
