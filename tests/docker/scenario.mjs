// tests/docker/scenario.mjs PHASE BASE ADMIN_TOKEN: what a user does with the running image,
// run by image.sh against the published port. Prints "ok - …" lines; exits 1 on the first failure.
//   first  the admin API wants the token; mint a partner token, create a customer with a website,
//          log in with an API key (its dashboardUrl starts with the image's MOCK3AS_PUBLIC_URL,
//          http://localhost:8080), open that dashboard and the INTPC-token one
//   again  after a restart: the customer and website of "first" are still there (/data kept)
import assert from 'node:assert/strict';

const [phase, base, adminToken] = process.argv.slice(2);
const DEMO = '3a5d0c1e-7b2f-4c8d-9e60-0d3e5a5a5a5a';
const PUBLIC_URL = 'http://localhost:8080';

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json };
}

async function step(name, fn) {
  await fn();
  console.log(`ok - ${name}`);
}

const mint = async (body) => {
  const r = await call('POST', `/__admin/intps/${DEMO}/tokens`, { token: adminToken, body });
  assert.equal(r.status, 201, r.text);
  return r.json.payload.token;
};

if (phase === 'first') {
  await step('/healthz answers without the admin token, /__admin refuses without it', async () => {
    assert.equal((await call('GET', '/healthz')).status, 200);
    assert.equal((await call('POST', `/__admin/intps/${DEMO}/tokens`, { body: { role: 'intp' } })).status, 401);
  });
  const token = await mint({ role: 'intp' });
  console.log('ok - minted a partner token with the admin token');
  let site;
  await step('created a customer with a website through the partner API', async () => {
    const c = await call('POST', '/v2/3as/customers', {
      token, body: { intpCustomerId: 'docker-ci', email: 'ci@docker.example.com', website: { intpWebsiteId: 'docker-site', domain: 'docker.example.com' } },
    });
    assert.ok(c.status === 200 || c.status === 201, c.text);
    const w = await call('GET', '/v2/3as/websites/docker-site', { token });
    assert.equal(w.status, 200, w.text);
    site = w.json.payload;
  });
  await step(`an API-key login's dashboardUrl is under ${PUBLIC_URL}, and the page opens`, async () => {
    const key = await call('POST', '/v2/3as/websites/docker-site/api-keys', { token, body: { name: 'docker' } });
    assert.ok(key.status === 200 || key.status === 201, key.text);
    const login = await call('POST', '/v2/3as/api-keys/login', { body: { apiKey: key.json.payload.apiKey, websiteId: site.id } });
    assert.equal(login.status, 200, login.text);
    const url = new URL(login.json.payload.dashboardUrl);
    assert.equal(url.origin, PUBLIC_URL);
    const page = await call('GET', url.pathname + url.search);
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.match(page.text, /docker\.example\.com/);
  });
  await step('the dashboard opens with an INTPC token, as the SDKs build its URL', async () => {
    const intpc = await mint({ role: 'intpc', intpcId: 'docker-ci' });
    const page = await call('GET', `/dashboard?intpc_token=${intpc}&externalWebsiteId=docker-site`);
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.match(page.text, /docker\.example\.com/);
  });
} else if (phase === 'again') {
  await step('after the restart the customer and website are still there (/data kept)', async () => {
    const token = await mint({ role: 'intp' });
    const w = await call('GET', '/v2/3as/websites/docker-site', { token });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.payload.domain, 'docker.example.com');
  });
} else {
  console.error('usage: scenario.mjs first|again BASE ADMIN_TOKEN');
  process.exit(2);
}
