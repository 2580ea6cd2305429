// The bad-input cases of badinput.test.mjs (issue 12), one table per route family. A case is
//   {name, method, path, headers?, body?, token?, apiKey?, server?, status, error?, field?, html?, check?}
// path, headers, body, token and apiKey may be functions of the suite's context `c` (ids, keys and
// tokens made in its before()). body: a string or a Buffer is sent as it is, anything else as JSON;
// a body without a Content-Type header goes out as application/json. token names an entry of
// c.tokens (sent as "Authorization: Bearer …") or is a function giving the token; apiKey names an
// entry of c.keys (sent as X-Api-Key). status, error (the D2 "error" text) and field (a string,
// or a list of acceptable names) are what the answer must carry; html marks the dashboard's pages;
// check(r, c, problems) adds case-specific checks.
//
// Name tags: "[issue]" a case issue 12 lists by name; "[extra]" a wrong answer found while writing
// this suite that the issue does not list.

// The "error" texts of FOR_EACH_ERROR (src/http/response.h).
export const E = {
  token: 'invalid access token',
  admin: 'invalid admin token',
  apiKey: 'invalid api key',
  keyScope: 'api key not allowed here',
  role: 'token role not allowed on this route',
  route: 'route not found',
  intp: 'intp not found',
  customer: 'customer not found',
  website: 'website not found',
  pkg: 'package not found',
  keyNotFound: 'api key not found',
  contributor: 'contributor not found',
  method: 'method not allowed',
  tooLarge: 'request body too large',
  media: 'request body must be application/json',
  json: 'request body is not valid JSON',
  val: 'invalid request',
  dup: 'already exists',
  model: "not allowed for this partner's subscription type",
  rule: 'illegal subscription action',
  action: 'subscription action not possible',
  noKey: 'the mock holds no private key for this intp',
  uriTooLong: 'request target too long',
  framing: 'request framing not supported',
};

const J = JSON.stringify;
// Bytes from strings (UTF-8) and arrays of byte values.
export const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
// A header value carrying these raw bytes (node writes header strings as latin1).
export const rawHeader = (...parts) => bytes(...parts).toString('latin1');
const enc = encodeURIComponent;
const x = (n, ch = 'a') => ch.repeat(n);
const E300 = enc(x(300, 'é')); // 600 bytes once decoded: longer than any message buffer

// Dates for the data API: the last week on the partner's clock (its range is clipped to now).
const day = (d) => new Date(Date.now() - d * 86400000).toISOString().slice(0, 10);
const RANGE = { start: `${day(7)}T00:00:00Z`, end: `${day(0)}T00:00:00Z` };

// ---- bodies: syntax, shape, encoding, size ----

const CUST = '/v2/3as/customers';
const cust = (id, extra = {}) => ({ intpCustomerId: id, email: `${id}@bi.test`, ...extra });
const postCust = (name, body, expect, more = {}) => ({ name, method: 'POST', path: CUST, token: 'intp', body, ...expect, ...more });
const notJson = { status: 400, error: E.json };

export const bodies = [
  postCust('not JSON at all', 'hello', notJson),
  postCust('a truncated JSON object', J(cust('bi-b1')).slice(0, -1), notJson),
  postCust('[issue] a JSON object followed by garbage', `${J(cust('bi-b2'))}garbage`, notJson),
  postCust('[issue] two JSON objects back to back', J(cust('bi-b3')) + J(cust('bi-b4')), notJson),
  postCust('[issue] a JSON object followed by a number', `${J(cust('bi-b5'))} 5`, notJson),
  postCust('[issue] a JSON object followed by a closing brace', `${J(cust('bi-b6'))}}`, notJson),
  postCust('a JSON object followed by a raw NUL byte', bytes(J(cust('bi-b7')), [0]), notJson),
  postCust('a raw NUL byte inside a string', bytes('{"intpCustomerId":"bi-b8', [0], 'x","email":"bi-b8@bi.test"}'), notJson),
  postCust('an array instead of an object', '[]', notJson),
  postCust('an array holding the object', `[${J(cust('bi-b9'))}]`, notJson),
  postCust('a string instead of an object', '"bi-b10"', notJson),
  postCust('a number instead of an object', '42', notJson),
  postCust('a huge number instead of an object', '1e999999', notJson),
  postCust('null instead of an object', 'null', notJson),
  postCust('true instead of an object', 'true', notJson),
  postCust('single-quoted JSON', "{'intpCustomerId':'bi-b11','email':'bi-b11@bi.test'}", notJson),
  postCust('a trailing comma', `${J(cust('bi-b12')).slice(0, -1)},}`, notJson),
  postCust('a comment before the object', `/* hi */${J(cust('bi-b13'))}`, notJson),
  postCust('NaN as a value', '{"intpCustomerId":"bi-b14","email":"bi-b14@bi.test","packageId":NaN}', notJson),
  postCust('an array nested 10000 deep', `${x(10000, '[')}${x(10000, ']')}`, notJson),
  postCust('an object nested 2000 deep in a member', `{"intpCustomerId":"bi-b15","email":"bi-b15@bi.test","x":${x(2000, '{"a":')}1${x(2000, '}')}}`, notJson),
  postCust('invalid UTF-8 (FF FE) in a string value', bytes('{"intpCustomerId":"bi-', [0xff, 0xfe], '","email":"bi-u1@bi.test"}'), { status: 400, error: E.json, field: 'intpCustomerId' }),
  postCust('overlong UTF-8 (C0 AF) in a string value', bytes('{"intpCustomerId":"bi-', [0xc0, 0xaf], '","email":"bi-u2@bi.test"}'), { status: 400, error: E.json, field: 'intpCustomerId' }),
  postCust('an encoded surrogate (ED A0 80) in a string value', bytes('{"intpCustomerId":"bi-u3","email":"u', [0xed, 0xa0, 0x80], '@bi.test"}'), { status: 400, error: E.json, field: 'email' }),
  postCust('a truncated UTF-8 sequence (E2 82) ending a value', bytes('{"intpCustomerId":"bi-u4', [0xe2, 0x82], '","email":"bi-u4@bi.test"}'), { status: 400, error: E.json, field: 'intpCustomerId' }),
  postCust('[issue] invalid UTF-8 in a key (echoed into field)', bytes('{"', [0xff, 0xc0, 0xaf], '":1,"intpCustomerId":"bi-u5","email":"bi-u5@bi.test"}'), { status: 400, error: E.json }),
  postCust('[issue] invalid UTF-8 in a nested key', bytes('{"intpCustomerId":"bi-u6","email":"bi-u6@bi.test","website":{"', [0xfe], '":1}}'), { status: 400, error: E.json }),
  postCust('a lone high surrogate escape \\ud800', '{"intpCustomerId":"bi-\\ud800","email":"bi-u7@bi.test"}', notJson),
  postCust('a lone low surrogate escape \\udc00', '{"intpCustomerId":"bi-\\udc00","email":"bi-u8@bi.test"}', notJson),
  postCust('an invalid escape \\x41', '{"intpCustomerId":"bi-\\x41","email":"bi-u9@bi.test"}', notJson),
  postCust('[issue] an escaped NUL in intpCustomerId', { intpCustomerId: 'esc0\u0000tail', email: 'esc0@bi.test' }, { status: 400, error: E.val, field: 'intpCustomerId' }),
  postCust('[issue] an escaped NUL in email', { intpCustomerId: 'bi-n2', email: 'bi-n2@bi.test\u0000evil' }, { status: 400, error: E.val, field: 'email' }),
  postCust('[issue] an escaped NUL in website.domain', cust('bi-n3', { website: { intpWebsiteId: 'bi-n3-site', domain: 'n3.bi.test\u0000evil' } }), { status: 400, error: E.val, field: 'website.domain' }),
  postCust('[issue] an escaped NUL in website.intpWebsiteId', cust('bi-n4', { website: { intpWebsiteId: 'bi-n4\u0000site', domain: 'n4.bi.test' } }), { status: 400, error: E.val, field: 'website.intpWebsiteId' }),
  postCust('[issue] an escaped NUL in a key', '{"intpCustomerId\\u0000evil":"bi-n5","email":"bi-n5@bi.test"}', { status: 400, error: E.val }),
  postCust('[extra] a raw line feed inside a string (RFC 8259: control characters must be escaped)', '{"intpCustomerId":"bi-\nctl","email":"bi-ctl1@bi.test"}', notJson),
  postCust('[extra] a raw tab inside a string', '{"intpCustomerId":"bi-\tctl","email":"bi-ctl2@bi.test"}', notJson),
  postCust('Content-Type text/plain', J(cust('bi-c1')), { status: 415, error: E.media }, { headers: { 'Content-Type': 'text/plain' } }),
  postCust('Content-Type application/x-www-form-urlencoded', 'intpCustomerId=bi-c2&email=bi-c2%40bi.test', { status: 415, error: E.media }, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
  postCust('Content-Type multipart/form-data', J(cust('bi-c3')), { status: 415, error: E.media }, { headers: { 'Content-Type': 'multipart/form-data; boundary=x' } }),
  postCust('Content-Type application/jsonx', J(cust('bi-c4')), { status: 415, error: E.media }, { headers: { 'Content-Type': 'application/jsonx' } }),
  postCust('[issue] Content-Type with invalid UTF-8 (FF)', J(cust('bi-c5')), { status: 415, error: E.media }, { headers: { 'Content-Type': rawHeader('text/', [0xff], 'plain') } }),
  postCust('[issue] Content-Type with overlong UTF-8 (C0 AF)', J(cust('bi-c6')), { status: 415, error: E.media }, { headers: { 'Content-Type': rawHeader('text/', [0xc0, 0xaf]) } }),
  postCust('[issue] Content-Type of 600 two-byte characters (message cut mid-character)', J(cust('bi-c7')), { status: 415, error: E.media }, { headers: { 'Content-Type': rawHeader(`text/${x(600, 'é')}`) } }),
  postCust('a body over --max-body (1.1 MB)', J(cust('bi-s1', { pad: x(1100 * 1024) })), { status: 413, error: E.tooLarge }),
  { name: 'a chunked upload over --max-body', method: 'POST', path: CUST, token: 'intp', chunks: () => [J(cust('bi-s2')).slice(0, -1), `,"pad":"${x(600 * 1024)}`, `${x(600 * 1024)}"}`], status: 413, error: E.tooLarge },
  postCust('an empty body', '', { status: 400, error: E.val, field: 'intpCustomerId' }),
  postCust('a whitespace-only body', ' \r\n\t ', { status: 400, error: E.val, field: 'intpCustomerId' }),
  // the same holes on the other route families' bodies
  { name: '[issue] POST /v3/3as/websites: an object followed by garbage', method: 'POST', path: '/v3/3as/websites', token: 'intp', body: `${J({ website: { id: 'bi-bw1', domain: 'bw1.bi.test' }, intpc: { id: 'bi-owner' } })}garbage`, ...notJson },
  { name: '[issue] POST /v2/3as/websites: two objects', method: 'POST', path: '/v2/3as/websites', token: 'intp', body: J({ intpWebsiteId: 'bi-bw2', intpCustomerId: 'bi-owner', domain: 'bw2.bi.test' }).repeat(2), ...notJson },
  { name: '[issue] POST /v2/3as/packages: an object followed by garbage', method: 'POST', path: '/v2/3as/packages', token: 'intp', body: `${J({ name: 'BI garbage', touchpoints: 10, price: 1, currency: 'EUR', period: 'monthly' })}xx`, ...notJson },
  { name: '[issue] PATCH a package: an object followed by garbage', method: 'PATCH', path: (c) => `/v2/3as/packages/${c.pkg.restricted}`, token: 'intp', body: '{"name":"renamed"}]', ...notJson },
  { name: '[issue] POST whitelisted-domains: an object followed by garbage', method: 'POST', path: '/v2/3as/websites/bi-site/whitelisted-domains', token: 'intp', body: '{"domain":"ok.bi.test"}!', ...notJson },
  { name: '[issue] POST api-keys: two objects', method: 'POST', path: '/v2/3as/websites/bi-site/api-keys', token: 'intp', body: '{"name":"k1"}{"name":"k2"}', ...notJson },
  { name: '[issue] POST contributors: an object followed by garbage', method: 'POST', path: '/v3/3as/websites/bi-site/contributors', token: 'intp', body: '{"intpCustomerId":"bi-cand1","role":"editor"},', ...notJson },
  { name: '[issue] POST a subscription action: an object followed by garbage', method: 'POST', path: '/v3/3as/website-subscriptions/cancel', token: 'intp', body: '{"intpWebsiteId":"bi-victim1"}garbage', ...notJson },
  { name: '[issue] POST /__admin/intps: an object followed by garbage', method: 'POST', path: '/__admin/intps', body: (c) => `${J({ name: 'BI garbage', publicKey: c.otherPublic })}garbage`, ...notJson },
  { name: '[issue] POST a partner clock: an object followed by garbage', method: 'POST', path: (c) => `/__admin/intps/${c.clockPartner}/clock`, body: '{"advanceBy":"P1D"}garbage', ...notJson },
  { name: '[issue] POST usage: two objects', method: 'POST', path: (c) => `/__admin/intps/${c.demo}/websites/bi-site/usage`, body: '{"visits":5}{"visits":6}', ...notJson },
  { name: '[issue] POST api-keys/login: an object followed by garbage', method: 'POST', path: '/v2/3as/api-keys/login', body: (c) => `${J({ apiKey: c.keys.A, websiteId: c.site })}garbage`, ...notJson },
  { name: '[issue] data API: an object followed by garbage', method: 'POST', path: (c) => `/v2/websites/${c.site}/analytics/sessions`, apiKey: 'A', body: `${J({ metrics: ['sessionCount'], dateRange: RANGE })}garbage`, ...notJson },
];

// ---- customers ----

const custVal = (name, body, field, more = {}) => postCust(name, body, { status: 400, error: E.val, field }, more);
const getCust = (name, p, status, error, field) => ({ name, method: 'GET', path: p, token: 'intp', status, error, field });

export const customers = [
  custVal('intpCustomerId missing', { email: 'bi-v1@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId a number', { intpCustomerId: 5, email: 'bi-v2@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId null', { intpCustomerId: null, email: 'bi-v3@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId an empty string', { intpCustomerId: '', email: 'bi-v4@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId a nested object', { intpCustomerId: { id: 'bi-v5' }, email: 'bi-v5@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId an array', { intpCustomerId: ['bi-v6'], email: 'bi-v6@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId a boolean', { intpCustomerId: true, email: 'bi-v7@bi.test' }, 'intpCustomerId'),
  custVal('intpCustomerId of 256 bytes', cust(x(256)), 'intpCustomerId'),
  custVal('intpCustomerId of 128 two-byte characters (256 bytes)', { intpCustomerId: x(128, 'é'), email: 'bi-v8@bi.test' }, 'intpCustomerId'),
  custVal('email missing', { intpCustomerId: 'bi-v9' }, 'email'),
  custVal('email a number', { intpCustomerId: 'bi-v10', email: 5 }, 'email'),
  custVal('email without @', { intpCustomerId: 'bi-v11', email: 'not-an-email' }, 'email'),
  custVal('email without a dot in the domain', { intpCustomerId: 'bi-v12', email: 'a@b' }, 'email'),
  custVal('email with two @', { intpCustomerId: 'bi-v13', email: 'a@b@bi.test' }, 'email'),
  custVal('email with a space', { intpCustomerId: 'bi-v14', email: 'a b@bi.test' }, 'email'),
  custVal('email of 300 bytes', { intpCustomerId: 'bi-v15', email: `${x(290)}@bi.test` }, 'email'),
  custVal('packageId a number', cust('bi-v16', { packageId: 5 }), 'packageId'),
  custVal('billingDate not a date', cust('bi-v17', { billingDate: 'yesterday' }), 'billingDate'),
  custVal('billingDate a number', cust('bi-v18', { billingDate: 1700000000 }), 'billingDate'),
  custVal('billingDate month 13', cust('bi-v19', { billingDate: '2026-13-01T00:00:00Z' }), 'billingDate'),
  custVal('website a string', cust('bi-v20', { website: 'shop' }), 'website'),
  custVal('website an array', cust('bi-v21', { website: [] }), 'website'),
  custVal('website a number', cust('bi-v22', { website: 5 }), 'website'),
  custVal('website.domain a nested object', cust('bi-v23', { website: { intpWebsiteId: 'bi-v23-s', domain: { host: 'x.bi.test' } } }), 'website.domain'),
  custVal('website.domain with a space', cust('bi-v24', { website: { intpWebsiteId: 'bi-v24-s', domain: 'a b.bi.test' } }), 'website.domain'),
  custVal('website.domain of 256 bytes', cust('bi-v25', { website: { intpWebsiteId: 'bi-v25-s', domain: x(256) } }), 'website.domain'),
  custVal('website.intpWebsiteId a number', cust('bi-v26', { website: { intpWebsiteId: 7, domain: 'v26.bi.test' } }), 'website.intpWebsiteId'),
  custVal('website.intpWebsiteId of 256 bytes', cust('bi-v27', { website: { intpWebsiteId: x(256), domain: 'v27.bi.test' } }), 'website.intpWebsiteId'),
  custVal('website.domain missing', cust('bi-v28', { website: { intpWebsiteId: 'bi-v28-s' } }), 'website.domain'),
  postCust('website.packageId unknown', cust('bi-v29', { website: { intpWebsiteId: 'bi-v29-s', domain: 'v29.bi.test', packageId: 'nope' } }), { status: 404, error: E.pkg, field: 'website.packageId' }),
  postCust('website.packageId of another partner', (c) => cust('bi-v30', { website: { intpWebsiteId: 'bi-v30-s', domain: 'v30.bi.test', packageId: c.poolPkg.basic } }), { status: 404, error: E.pkg, field: 'website.packageId' }),
  custVal('website.packageId a restricted package', (c) => cust('bi-v31', { website: { intpWebsiteId: 'bi-v31-s', domain: 'v31.bi.test', packageId: c.pkg.restricted } }), 'website.packageId'),
  postCust('packageId for the other model (website partner)', (c) => cust('bi-v32', { packageId: c.pkg.basic }), { status: 400, error: E.model, field: 'packageId' }),
  postCust('a duplicate intpCustomerId', { intpCustomerId: 'bi-owner', email: 'bi-v33@bi.test' }, { status: 400, error: E.dup, field: 'intpCustomerId' }),
  postCust('a duplicate email in another case', { intpCustomerId: 'bi-v34', email: 'BI-OWNER@BI.TEST' }, { status: 400, error: E.dup, field: 'email' }),
  postCust('a duplicate website.intpWebsiteId', cust('bi-v35', { website: { intpWebsiteId: 'bi-site', domain: 'v35.bi.test' } }), { status: 400, error: E.dup, field: 'website.intpWebsiteId' }),
  getCust('list: page -1', `${CUST}?page=-1`, 400, E.val, 'page'),
  getCust('list: page 1.5', `${CUST}?page=1.5`, 400, E.val, 'page'),
  getCust('list: page not a number', `${CUST}?page=abc`, 400, E.val, 'page'),
  getCust('list: page empty', `${CUST}?page=`, 400, E.val, 'page'),
  getCust('list: page 1e3', `${CUST}?page=1e3`, 400, E.val, 'page'),
  getCust('list: page of 20 digits (overflow)', `${CUST}?page=99999999999999999999`, 400, E.val, 'page'),
  getCust('list: page with invalid UTF-8 (%FF)', `${CUST}?page=%FF`, 400, E.val, 'page'),
  getCust('list: page with a malformed escape (%ZZ)', `${CUST}?page=%ZZ`, 400, E.val, 'page'),
  getCust('list: pageSize 0', `${CUST}?pageSize=0`, 400, E.val, 'pageSize'),
  getCust('list: pageSize 101', `${CUST}?pageSize=101`, 400, E.val, 'pageSize'),
  getCust('list: pageSize -5', `${CUST}?pageSize=-5`, 400, E.val, 'pageSize'),
  getCust('list: pageSize 2.5', `${CUST}?pageSize=2.5`, 400, E.val, 'pageSize'),
  getCust('read: an unknown id', `${CUST}/nope`, 404, E.customer, 'intpCustomerId'),
  getCust('[issue] read: an id of invalid UTF-8 (%FF)', `${CUST}/%FF`, 404, E.customer, 'intpCustomerId'),
  getCust('[issue] read: an overlong-UTF-8 id (%C0%AF)', `${CUST}/%C0%AF`, 404, E.customer, 'intpCustomerId'),
  getCust('[issue] read: an encoded surrogate id (%ED%A0%80)', `${CUST}/%ED%A0%80`, 404, E.customer, 'intpCustomerId'),
  getCust('read: an id of 256 bytes', `${CUST}/${x(256)}`, 404, E.customer, 'intpCustomerId'),
  getCust('[issue] read: an id of 300 two-byte characters (message cut mid-character)', `${CUST}/${E300}`, 404, E.customer, 'intpCustomerId'),
  getCust('[issue] read: an id of 255 x "a" then a two-byte character', `${CUST}/${x(255)}${enc('é')}`, 404, E.customer, 'intpCustomerId'),
  getCust('read: an id that is an encoded NUL (%00)', `${CUST}/%00`, 404),
  { name: 'delete: an unknown id', method: 'DELETE', path: `${CUST}/nope`, token: 'intp', status: 404, error: E.customer, field: 'intpCustomerId' },
  { name: '[issue] delete: an id of invalid UTF-8 (%FF%FE)', method: 'DELETE', path: `${CUST}/%FF%FE`, token: 'intp', status: 404, error: E.customer, field: 'intpCustomerId' },
  { name: 'delete: another partner\'s customer', method: 'DELETE', path: `${CUST}/pc-1`, token: 'intp', status: 404, error: E.customer },
];

// ---- websites (v3, v2, internal) ----

const V3 = '/v3/3as/websites';
const V2 = '/v2/3as/websites';
const v3 = (site, intpc = { id: 'bi-owner' }, extra = {}) => ({ website: site, intpc, ...extra });
const postV3 = (name, body, status, error, field) => ({ name, method: 'POST', path: V3, token: 'intp', body, status, error, field });
const postV2 = (name, body, status, error, field) => ({ name, method: 'POST', path: V2, token: 'intp', body, status, error, field });
const w2 = (id, extra = {}) => ({ intpWebsiteId: id, intpCustomerId: 'bi-owner', domain: `${id}.bi.test`, ...extra });

export const websites = [
  postV3('v3: an empty object', {}, 400, E.val, 'website.id'),
  postV3('v3: website a string', v3('shop'), 400, E.val, ['website', 'website.id']),
  postV3('v3: website an array', v3([]), 400, E.val, ['website', 'website.id']),
  postV3('v3: website.id a number', v3({ id: 5, domain: 'w1.bi.test' }), 400, E.val, 'website.id'),
  postV3('v3: website.id of 256 bytes', v3({ id: x(256), domain: 'w2.bi.test' }), 400, E.val, 'website.id'),
  postV3('[issue] v3: an escaped NUL in website.id', v3({ id: 'bi-w3\u0000x', domain: 'w3.bi.test' }), 400, E.val, 'website.id'),
  postV3('v3: website.domain missing', v3({ id: 'bi-w4' }), 400, E.val, 'website.domain'),
  postV3('v3: website.domain a nested object', v3({ id: 'bi-w5', domain: { name: 'w5.bi.test' } }), 400, E.val, 'website.domain'),
  postV3('v3: website.domain with a space', v3({ id: 'bi-w6', domain: 'w 6.bi.test' }), 400, E.val, 'website.domain'),
  postV3('v3: website.domain of 256 bytes', v3({ id: 'bi-w7', domain: x(256) }), 400, E.val, 'website.domain'),
  postV3('v3: website.package a string', v3({ id: 'bi-w8', domain: 'w8.bi.test', package: 'basic' }), 400, E.val, ['website.package', 'website.package.id']),
  postV3('v3: website.package.id unknown', v3({ id: 'bi-w9', domain: 'w9.bi.test', package: { id: 'nope' } }), 404, E.pkg, 'website.package.id'),
  postV3('v3: website.package.id restricted', (c) => v3({ id: 'bi-w10', domain: 'w10.bi.test', package: { id: c.pkg.restricted } }), 400, E.val, 'website.package.id'),
  postV3('v3: website.package.billingDate not a date', v3({ id: 'bi-w11', domain: 'w11.bi.test', package: { billingDate: 'never' } }), 400, E.val, 'website.package.billingDate'),
  postV3('v3: website.privacyLevel a string', v3({ id: 'bi-w12', domain: 'w12.bi.test', privacyLevel: 'high' }), 400, E.val, 'website.privacyLevel'),
  postV3('v3: website.privacyLevel -1', v3({ id: 'bi-w13', domain: 'w13.bi.test', privacyLevel: -1 }), 400, E.val, 'website.privacyLevel'),
  postV3('v3: website.privacyLevel 1.5', v3({ id: 'bi-w14', domain: 'w14.bi.test', privacyLevel: 1.5 }), 400, E.val, 'website.privacyLevel'),
  postV3('v3: website.privacyLevel 1e400 (overflows a double)', '{"website":{"id":"bi-w15","domain":"w15.bi.test","privacyLevel":1e400},"intpc":{"id":"bi-owner"}}', 400, E.val, 'website.privacyLevel'),
  postV3('v3: intpc missing', { website: { id: 'bi-w16', domain: 'w16.bi.test' } }, 400, E.val, 'intpc.id'),
  postV3('v3: intpc.id unknown', v3({ id: 'bi-w17', domain: 'w17.bi.test' }, { id: 'nope' }), 404, E.customer, 'intpc.id'),
  postV3('v3: intpc.id of invalid UTF-8', bytes('{"website":{"id":"bi-w18","domain":"w18.bi.test"},"intpc":{"id":"', [0xff], '"}}'), 400, E.json, 'intpc.id'),
  postV3('v3: opts.uft a string', v3({ id: 'bi-w19', domain: 'w19.bi.test' }, undefined, { opts: { uft: 'yes' } }), 400, E.val, 'opts.uft'),
  postV3('v3: opts.uft with a package (D4)', (c) => v3({ id: 'bi-w20', domain: 'w20.bi.test', package: { id: c.pkg.basic } }, undefined, { opts: { uft: true } }), 400, E.val, 'opts.uft'),
  postV3('v3: a duplicate website.id', v3({ id: 'bi-site', domain: 'w21.bi.test' }), 400, E.dup, 'website.id'),
  postV2('v2: an empty object', {}, 400, E.val, 'intpWebsiteId'),
  postV2('v2: intpCustomerId unknown', w2('bi-w22', { intpCustomerId: 'nope' }), 404, E.customer, 'intpCustomerId'),
  postV2('v2: a domain with quotes', w2('bi-w23', { domain: '"evil".bi.test' }), 400, E.val, 'domain'),
  postV2('v2: a domain with non-ASCII letters', w2('bi-w24', { domain: 'bücher.bi.test' }), 400, E.val, 'domain'),
  postV2('v2: a domain with angle brackets', w2('bi-w25', { domain: '<script>.bi.test' }), 400, E.val, 'domain'),
  postV2('v2: packageId an array', w2('bi-w26', { packageId: [] }), 400, E.val, 'packageId'),
  postV2('v2: billingDate a number', w2('bi-w27', { billingDate: 5 }), 400, E.val, 'billingDate'),
  postV2('[issue] v2: an escaped NUL in domain', w2('bi-w28', { domain: 'w28.bi.test\u0000<script>' }), 400, E.val, 'domain'),
  postV2('[issue] v2: an escaped NUL in intpCustomerId', w2('bi-w29', { intpCustomerId: 'bi-owner\u0000x' }), 400, E.val, 'intpCustomerId'),
  postV2('v2: a duplicate intpWebsiteId', w2('bi-site'), 400, E.dup, 'intpWebsiteId'),
  getCust('list: page -1', `${V2}?page=-1`, 400, E.val, 'page'),
  getCust('list: pageSize 1000', `${V2}?pageSize=1000`, 400, E.val, 'pageSize'),
  getCust('list: pageSize 0.5', `${V2}?pageSize=0.5`, 400, E.val, 'pageSize'),
  getCust('list: externalCustomerId unknown', `${V2}?externalCustomerId=nope`, 404, E.customer, 'externalCustomerId'),
  getCust('[issue] list: externalCustomerId of invalid UTF-8 (%FF)', `${V2}?externalCustomerId=%FF`, 404, E.customer, 'externalCustomerId'),
  getCust('[issue] list: externalCustomerId %C0%AF', `${V2}?externalCustomerId=%C0%AF`, 404, E.customer, 'externalCustomerId'),
  getCust('read: an unknown id', `${V2}/nope`, 404, E.website, 'intpWebsiteId'),
  getCust('[issue] read: an id of invalid UTF-8 (%FF)', `${V2}/%FF`, 404, E.website, 'intpWebsiteId'),
  getCust('read: an id of 256 bytes', `${V2}/${x(256)}`, 404, E.website, 'intpWebsiteId'),
  getCust('[issue] read: an id of 300 two-byte characters', `${V2}/${E300}`, 404, E.website, 'intpWebsiteId'),
  getCust('read: another partner\'s website', `${V2}/pc-1-site`, 404, E.website, 'intpWebsiteId'),
  { name: 'delete: an unknown id', method: 'DELETE', path: `${V2}/nope`, token: 'intp', status: 404, error: E.website, field: 'intpWebsiteId' },
  { name: '[issue] delete: an id %C0%AF', method: 'DELETE', path: `${V2}/%C0%AF`, token: 'intp', status: 404, error: E.website, field: 'intpWebsiteId' },
  getCust('internal read: not a uuid', '/v2/3as/internal/websites/not-a-uuid', 404, E.website, 'uuid'),
  getCust('[issue] internal read: invalid UTF-8 (%FF%FE)', '/v2/3as/internal/websites/%FF%FE', 404, E.website, 'uuid'),
  getCust('internal read: another partner\'s website uuid', (c) => `/v2/3as/internal/websites/${c.poolSite}`, 404, E.website, 'uuid'),
];

// ---- whitelisted domains ----

const WL = '/v2/3as/websites/bi-site/whitelisted-domains';
const wl = (name, method, p, body, status, error, field) => ({ name, method, path: p, token: 'intp', body, status, error, field });

export const whitelist = [
  wl('add: an empty object', 'POST', WL, {}, 400, E.val, 'domain'),
  wl('add: domain a number', 'POST', WL, { domain: 5 }, 400, E.val, 'domain'),
  wl('add: domain null', 'POST', WL, { domain: null }, 400, E.val, 'domain'),
  wl('add: domain with a space', 'POST', WL, { domain: 'a b.bi.test' }, 400, E.val, 'domain'),
  wl('add: domain with angle brackets', 'POST', WL, { domain: '<script>' }, 400, E.val, 'domain'),
  wl('add: domain of 256 bytes', 'POST', WL, { domain: x(256) }, 400, E.val, 'domain'),
  wl('[issue] add: an escaped NUL in domain', 'POST', WL, { domain: 'ok.bi.test\u0000<script>' }, 400, E.val, 'domain'),
  wl('add: domain of invalid UTF-8', 'POST', WL, bytes('{"domain":"', [0xff], '.bi.test"}'), 400, E.json, 'domain'),
  wl('add: an array body', 'POST', WL, '["ok.bi.test"]', 400, E.json),
  wl('add: a string body', 'POST', WL, '"ok.bi.test"', 400, E.json),
  wl('add: an unknown website', 'POST', '/v2/3as/websites/nope/whitelisted-domains', { domain: 'ok.bi.test' }, 404, E.website, 'intpWebsiteId'),
  wl('[issue] add: a website id of invalid UTF-8', 'POST', '/v2/3as/websites/%FF/whitelisted-domains', { domain: 'ok.bi.test' }, 404, E.website, 'intpWebsiteId'),
  wl('remove (PATCH): an empty object', 'PATCH', WL, {}, 400, E.val, 'domain'),
  wl('remove (PATCH): not JSON', 'PATCH', WL, 'domain=ok.bi.test', 400, E.json),
  wl('remove (PATCH): an unknown website', 'PATCH', '/v2/3as/websites/nope/whitelisted-domains/', { domain: 'ok.bi.test' }, 404, E.website, 'intpWebsiteId'),
  wl('remove (DELETE): an unknown website', 'DELETE', '/v2/3as/websites/nope/whitelisted-domains/ok.bi.test', undefined, 404, E.website, 'intpWebsiteId'),
  wl('[issue] remove (DELETE): a website id %C0%AF', 'DELETE', '/v2/3as/websites/%C0%AF/whitelisted-domains/ok.bi.test', undefined, 404, E.website, 'intpWebsiteId'),
  wl('list: an unknown website', 'GET', '/v2/3as/websites/nope/whitelisted-domains', undefined, 404, E.website, 'intpWebsiteId'),
];

// ---- API keys ----

const AK = '/v2/3as/websites/bi-site/api-keys';
export const apikeys = [
  wl('create: an empty object', 'POST', AK, {}, 400, E.val, 'name'),
  wl('create: name a number', 'POST', AK, { name: 5 }, 400, E.val, 'name'),
  wl('create: name of 256 bytes', 'POST', AK, { name: x(256) }, 400, E.val, 'name'),
  wl('[issue] create: an escaped NUL in name', 'POST', AK, { name: 'key\u0000hidden' }, 400, E.val, 'name'),
  wl('create: comment a nested object', 'POST', AK, { name: 'k', comment: { text: 'x' } }, 400, E.val, 'comment'),
  wl('create: comment of 1025 bytes', 'POST', AK, { name: 'k', comment: x(1025) }, 400, E.val, 'comment'),
  wl('create: expiresAt in the past', 'POST', AK, { name: 'k', expiresAt: '2000-01-01T00:00:00Z' }, 400, E.val, 'expiresAt'),
  wl('create: expiresAt not a date', 'POST', AK, { name: 'k', expiresAt: 'soon' }, 400, E.val, 'expiresAt'),
  wl('create: expiresAt a number', 'POST', AK, { name: 'k', expiresAt: 12345 }, 400, E.val, 'expiresAt'),
  wl('create: an unknown website', 'POST', '/v2/3as/websites/nope/api-keys', { name: 'k' }, 404, E.website, 'intpWebsiteId'),
  wl('list: an unknown website', 'GET', '/v2/3as/websites/nope/api-keys', undefined, 404, E.website, 'intpWebsiteId'),
  wl('delete: an unknown key id', 'DELETE', `${AK}/nope`, undefined, 404, E.keyNotFound, 'apiKeyId'),
  wl('[issue] delete: a key id of invalid UTF-8 (%FF)', 'DELETE', `${AK}/%FF`, undefined, 404, E.keyNotFound, 'apiKeyId'),
  wl('[issue] delete: a key id of 300 two-byte characters', 'DELETE', `${AK}/${E300}`, undefined, 404, E.keyNotFound, 'apiKeyId'),
  wl('delete: another website\'s key', 'DELETE', (c) => `${AK}/${c.keyIds.B}`, undefined, 404, E.keyNotFound, 'apiKeyId'),
  wl('delete: an unknown website', 'DELETE', (c) => `/v2/3as/websites/nope/api-keys/${c.keyIds.A}`, undefined, 404, E.website, 'intpWebsiteId'),
];

// ---- contributors ----

const CO = '/v3/3as/websites/bi-site/contributors';
export const contributors = [
  wl('add: an empty object', 'POST', CO, {}, 400, E.val, 'intpCustomerId'),
  wl('add: role not a role', 'POST', CO, { intpCustomerId: 'bi-stranger', role: 'admin' }, 400, E.val, 'role'),
  wl('add: role a number', 'POST', CO, { intpCustomerId: 'bi-stranger', role: 5 }, 400, E.val, 'role'),
  wl('add: role missing', 'POST', CO, { intpCustomerId: 'bi-stranger' }, 400, E.val, 'role'),
  wl('[issue] add: an escaped NUL after a valid role', 'POST', CO, { intpCustomerId: 'bi-cand2', role: 'editor\u0000x' }, 400, E.val, 'role'),
  wl('[issue] add: an escaped NUL in intpCustomerId', 'POST', CO, { intpCustomerId: 'bi-cand3\u0000x', role: 'editor' }, 400, E.val, 'intpCustomerId'),
  wl('add: intpCustomerId unknown', 'POST', CO, { intpCustomerId: 'nope', role: 'editor' }, 404, E.customer, 'intpCustomerId'),
  wl('add: the owner', 'POST', CO, { intpCustomerId: 'bi-owner', role: 'editor' }, 400, E.val, 'intpCustomerId'),
  wl('add: an unknown website', 'POST', '/v3/3as/websites/nope/contributors', { intpCustomerId: 'bi-stranger', role: 'editor' }, 404, E.website, 'intpWebsiteId'),
  wl('remove: an unknown customer', 'DELETE', `${CO}/nope`, undefined, 404, E.customer, 'intpCustomerId'),
  wl('remove: a customer who is not a contributor', 'DELETE', `${CO}/bi-stranger`, undefined, 404, E.contributor, 'intpCustomerId'),
  wl('[issue] remove: a customer id of invalid UTF-8', 'DELETE', `${CO}/%FF`, undefined, 404, E.customer, 'intpCustomerId'),
  wl('list: an unknown website', 'GET', '/v3/3as/websites/nope/contributors', undefined, 404, E.website, 'intpWebsiteId'),
];

// ---- packages and assignments ----

const PK = '/v2/3as/packages';
const pkg = (extra = {}) => ({ name: 'BI bad', touchpoints: 1000, price: 9.5, currency: 'EUR', period: 'monthly', ...extra });
const noField = (o, k) => { const c = { ...o }; delete c[k]; return c; };
const pkgVal = (name, body, field) => wl(name, 'POST', PK, body, 400, E.val, field);
const assign = (p, t) => `/v3/3as/packages/${p}/assignments/${t}`;

export const packages = [
  wl('read: an unknown id', 'GET', `${PK}/nope`, undefined, 404, E.pkg, 'packageId'),
  wl('[issue] read: an id of invalid UTF-8', 'GET', `${PK}/%FF`, undefined, 404, E.pkg, 'packageId'),
  wl('read: another partner\'s package', 'GET', (c) => `${PK}/${c.poolPkg.basic}`, undefined, 404, E.pkg, 'packageId'),
  wl('list: intpWebsiteId unknown', 'GET', `${PK}?intpWebsiteId=nope`, undefined, 404, E.website, 'intpWebsiteId'),
  wl('[issue] list: intpCustomerId of invalid UTF-8', 'GET', `${PK}?intpCustomerId=%FF`, undefined, 404, E.customer, 'intpCustomerId'),
  wl('[issue] list: intpWebsiteId %C0%AF', 'GET', `${PK}?intpWebsiteId=%C0%AF`, undefined, 404, E.website, 'intpWebsiteId'),
  pkgVal('create: an empty object', {}, 'name'),
  pkgVal('create: name a number', pkg({ name: 5 }), 'name'),
  pkgVal('create: name of 256 bytes', pkg({ name: x(256) }), 'name'),
  wl('[issue] create: an escaped NUL in name', 'POST', PK, pkg({ name: 'BI\u0000hidden' }), 400, E.val, 'name'),
  pkgVal('create: touchpoints a string', pkg({ touchpoints: '100' }), 'touchpoints'),
  pkgVal('create: touchpoints 0', pkg({ touchpoints: 0 }), 'touchpoints'),
  pkgVal('create: touchpoints -5', pkg({ touchpoints: -5 }), 'touchpoints'),
  pkgVal('create: touchpoints 1.5', pkg({ touchpoints: 1.5 }), 'touchpoints'),
  pkgVal('create: touchpoints 1e400', J(pkg()).replace('"touchpoints":1000', '"touchpoints":1e400'), 'touchpoints'),
  pkgVal('create: touchpoints of 30 digits', J(pkg()).replace('"touchpoints":1000', `"touchpoints":${x(30, '9')}`), 'touchpoints'),
  pkgVal('create: touchpoints missing', noField(pkg(), 'touchpoints'), 'touchpoints'),
  pkgVal('create: price a string', pkg({ price: '10' }), 'price'),
  pkgVal('create: price -1', pkg({ price: -1 }), 'price'),
  pkgVal('create: price 1e308', pkg({ price: 1e308 }), 'price'),
  pkgVal('create: price missing', noField(pkg(), 'price'), 'price'),
  pkgVal('create: currency GBP', pkg({ currency: 'GBP' }), 'currency'),
  pkgVal('create: currency missing', noField(pkg(), 'currency'), 'currency'),
  wl('[issue] create: an escaped NUL after a valid currency', 'POST', PK, pkg({ currency: 'EUR\u0000x' }), 400, E.val, 'currency'),
  pkgVal('create: period weekly', pkg({ period: 'weekly' }), 'period'),
  pkgVal('create: visibility secret', pkg({ visibility: 'secret' }), 'visibility'),
  pkgVal('create: externalId a number', pkg({ externalId: 5 }), 'externalId'),
  wl('rename: an unknown package', 'PATCH', `${PK}/nope`, { name: 'x' }, 404, E.pkg, 'packageId'),
  wl('rename: the recommended package', 'PATCH', (c) => `${PK}/${c.pkg.pro}`, { name: 'x' }, 400, E.val, 'packageId'),
  wl('rename: name null', 'PATCH', (c) => `${PK}/${c.pkg.restricted}`, { name: null }, 400, E.val, 'name'),
  wl('rename: name empty', 'PATCH', (c) => `${PK}/${c.pkg.restricted}`, { name: '' }, 400, E.val, 'name'),
  wl('rename: name an array', 'PATCH', (c) => `${PK}/${c.pkg.restricted}`, { name: ['x'] }, 400, E.val, 'name'),
  wl('[issue] rename: an escaped NUL in name', 'PATCH', (c) => `${PK}/${c.pkg.restricted}`, { name: 'BI\u0000hidden' }, 400, E.val, 'name'),
  wl('assign: a public package', 'PUT', (c) => assign(c.pkg.basic, 'bi-site'), '[]', 400, E.val, 'packageId'),
  wl('assign: an unknown package', 'PUT', assign('nope', 'bi-site'), undefined, 404, E.pkg, 'packageId'),
  wl('assign: an unknown target', 'PUT', (c) => assign(c.pkg.restricted, 'nope'), undefined, 404, E.website, 'targetId'),
  wl('[issue] assign: a target of invalid UTF-8', 'PUT', (c) => assign(c.pkg.restricted, '%FF'), undefined, 404, E.website, 'targetId'),
  wl('unassign: an unknown package', 'DELETE', assign('nope', 'bi-site'), undefined, 404, E.pkg, 'packageId'),
  wl('unassign: an unknown target', 'DELETE', (c) => assign(c.pkg.restricted, 'nope'), undefined, 404, E.website, 'targetId'),
];

// ---- subscription actions ----

const WS = '/v3/3as/website-subscriptions';
const IS = '/v3/3as/intpc-subscriptions';
const LEG = '/v2/3as/notifications/subscriptions';
const act = (name, p, body, status, error, field, token = 'intp') => ({ name, method: 'POST', path: p, token, body, status, error, field });

export const subscriptions = [
  act('an unknown action', `${WS}/explode`, { intpWebsiteId: 'bi-site' }, 404, E.route),
  act('an action in capitals', `${WS}/UPGRADE`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.pro }), 404, E.route),
  act('[issue] an action of invalid UTF-8 (%FF)', `${WS}/%FF`, { intpWebsiteId: 'bi-site' }, 404, E.route),
  act('[issue] an action of 300 two-byte characters', `${WS}/${E300}`, { intpWebsiteId: 'bi-site' }, 404, E.route),
  act('upgrade: an empty object', `${WS}/upgrade`, {}, 400, E.val, 'intpWebsiteId'),
  act('upgrade: intpWebsiteId null', `${WS}/upgrade`, { intpWebsiteId: null }, 400, E.val, 'intpWebsiteId'),
  act('upgrade: an unknown website', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'nope', packageId: c.pkg.pro }), 404, E.website, 'intpWebsiteId'),
  act('[issue] upgrade: a website id of invalid UTF-8', `${WS}/upgrade`, bytes('{"intpWebsiteId":"', [0xff], '"}'), 400, E.json, 'intpWebsiteId'),
  act('upgrade: packageId missing', `${WS}/upgrade`, { intpWebsiteId: 'bi-site' }, 400, E.val, 'packageId'),
  act('upgrade: packageId a number', `${WS}/upgrade`, { intpWebsiteId: 'bi-site', packageId: 5 }, 400, E.val, 'packageId'),
  act('upgrade: packageId unknown', `${WS}/upgrade`, { intpWebsiteId: 'bi-site', packageId: 'nope' }, 404, E.pkg, 'packageId'),
  act('upgrade: another partner\'s package', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.poolPkg.pro }), 404, E.pkg, 'packageId'),
  act('upgrade: trial a string', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.pro, trial: 'yes' }), 400, E.val, 'trial'),
  act('upgrade: proRate a number', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.pro, proRate: 1 }), 400, E.val, 'proRate'),
  act('upgrade: a restricted package not assigned', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.restricted }), 400, E.val, 'packageId'),
  act('[issue] upgrade: an escaped NUL in packageId', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-victim2', packageId: `${c.pkg.pro}\u0000x` }), 400, E.val, 'packageId'),
  act('upgrade to a lower package (D3, observed)', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.free }), 500, E.rule),
  act('upgrade to the same package (D3, observed)', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.basic }), 500, E.rule),
  act('downgrade to a higher package (D3, observed)', `${WS}/downgrade`, (c) => ({ intpWebsiteId: 'bi-site', packageId: c.pkg.pro }), 500, E.rule),
  act('resume of an active subscription (D3, observed)', `${WS}/resume`, { intpWebsiteId: 'bi-site' }, 500, E.rule),
  act('reactivate an active subscription without a package (D3, observed)', `${WS}/reactivate`, { intpWebsiteId: 'bi-site' }, 500, E.rule),
  act('[issue] downgrade of a paid website to the free trial', `${WS}/downgrade`, (c) => ({ intpWebsiteId: 'bi-paid1', packageId: c.pkg.trial }), 500, E.rule),
  act('[issue] legacy v2 downgrade of a paid website to the free trial', `${LEG}/downgrade`, (c) => ({ intpWebsiteId: 'bi-paid2', packageId: c.pkg.trial }), 500, E.rule),
  act('[issue] upgrade of a paid website to the free trial', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-paid1', packageId: c.pkg.trial }), 500, E.rule),
  act('[issue] reactivate a paid website onto the free trial', `${WS}/reactivate`, (c) => ({ intpWebsiteId: 'bi-paid1', packageId: c.pkg.trial }), 500, E.rule),
  act('[issue] legacy v2 cancel onto the free trial (freePackageId)', `${LEG}/cancel`, (c) => ({ intpWebsiteId: 'bi-paid3', freePackageId: c.pkg.trial }), 500, E.rule),
  act('[issue] upgrade of a deactivated website onto the free trial', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-inactive', packageId: c.pkg.trial }), 500, E.rule),
  act('[issue] reactivate a deactivated website onto the free trial', `${LEG}/reactivate`, (c) => ({ intpWebsiteId: 'bi-inactive', packageId: c.pkg.trial }), 500, E.rule),
  act('downgrade of a deactivated website', `${WS}/downgrade`, (c) => ({ intpWebsiteId: 'bi-inactive', packageId: c.pkg.free }), 400, E.action),
  act('cancel of a deactivated website', `${WS}/cancel`, { intpWebsiteId: 'bi-inactive' }, 400, E.action),
  act('upgrade of a website on the trial to the trial itself (D3, observed)', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'bi-site2', packageId: c.pkg.trial }), 500, E.rule),
  act('downgrade: packageId missing', `${WS}/downgrade`, { intpWebsiteId: 'bi-site' }, 400, E.val, 'packageId'),
  act('deactivate: an unknown website', `${WS}/deactivate`, { intpWebsiteId: 'nope' }, 404, E.website, 'intpWebsiteId'),
  act('the intpc route on a website-subscription partner', `${IS}/upgrade`, (c) => ({ intpcId: 'bi-owner', packageId: c.pkg.pro }), 400, E.model),
  act('legacy v2: an unknown action', `${LEG}/explode`, { intpWebsiteId: 'bi-site' }, 404, E.route),
  act('legacy v2: cancel with an unknown freePackageId', `${LEG}/cancel`, { intpWebsiteId: 'bi-site', freePackageId: 'nope' }, 404, E.pkg, 'freePackageId'),
  act('legacy v2: upgrade without a body', `${LEG}/upgrade`, undefined, 400, E.val, 'intpWebsiteId'),
  act('legacy v2: resume of an active subscription', `${LEG}/resume`, { intpWebsiteId: 'bi-site' }, 500, E.rule),
  act('[issue] intpc: downgrade of a paid customer to the free trial', `${IS}/downgrade`, (c) => ({ intpcId: 'pc-1', packageId: c.poolPkg.trial }), 500, E.rule, undefined, 'pool'),
  act('[issue] intpc: upgrade onto the free trial', `${IS}/upgrade`, (c) => ({ intpcId: 'pc-1', packageId: c.poolPkg.trial }), 500, E.rule, undefined, 'pool'),
  act('[issue] intpc: reactivate onto the free trial', `${IS}/reactivate`, (c) => ({ intpcId: 'pc-1', packageId: c.poolPkg.trial }), 500, E.rule, undefined, 'pool'),
  act('[issue] intpc: cancel onto the free trial (freePackageId)', `${IS}/cancel`, (c) => ({ intpcId: 'pc-2', freePackageId: c.poolPkg.trial }), 500, E.rule, undefined, 'pool'),
  act('intpc: an empty object', `${IS}/upgrade`, {}, 400, E.val, 'intpcId', 'pool'),
  act('intpc: an unknown customer', `${IS}/upgrade`, (c) => ({ intpcId: 'nope', packageId: c.poolPkg.pro }), 404, E.customer, 'intpcId', 'pool'),
  act('intpc: upgrade to a lower package (D3, observed)', `${IS}/upgrade`, (c) => ({ intpcId: 'pc-1', packageId: c.poolPkg.free }), 500, E.rule, undefined, 'pool'),
  act('intpc: resume of an active subscription (D3, observed)', `${IS}/resume`, { intpcId: 'pc-1' }, 500, E.rule, undefined, 'pool'),
  act('intpc: the website route on an intpc partner', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'pc-1-site', packageId: c.poolPkg.pro }), 400, E.model, undefined, 'pool'),
  act('intpc: the legacy v2 route on an intpc partner', `${LEG}/cancel`, { intpWebsiteId: 'pc-1-site' }, 400, E.model, undefined, 'pool'),
  act('intpc: a customer with website.packageId', '/v2/3as/customers', (c) => cust('pc-x1', { website: { intpWebsiteId: 'pc-x1-site', domain: 'x1.pc.test', packageId: c.poolPkg.basic } }), 400, E.model, 'website.packageId', 'pool'),
  act('intpc: a v3 website with opts.uft', V3, v3({ id: 'pc-x2-site', domain: 'x2.pc.test' }, { id: 'pc-1' }, { opts: { uft: true } }), 400, E.model, 'opts.uft', 'pool'),
];

// ---- partner tokens and misplaced API keys ----

const tok = (name, token, status = 401, error = E.token) => ({ name, method: 'GET', path: CUST, token, status, error });
export const tokens = [
  { name: 'no Authorization header', method: 'GET', path: CUST, status: 401, error: E.token },
  { name: 'Bearer without a token', method: 'GET', path: CUST, headers: { Authorization: 'Bearer' }, status: 401, error: E.token },
  { name: 'Bearer and a space', method: 'GET', path: CUST, headers: { Authorization: 'Bearer ' }, status: 401, error: E.token },
  { name: 'a Basic Authorization header', method: 'GET', path: CUST, headers: { Authorization: 'Basic dXNlcjpwYXNz' }, status: 401, error: E.token },
  tok('not a JWT', () => 'not-a-token'),
  tok('three empty parts', () => '..'),
  tok('parts that are not base64url', () => 'a!.b!.c!'),
  tok('a header of invalid UTF-8', () => `${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.e30.AAAA`),
  tok('a header that is a JSON array', () => `${Buffer.from('[]').toString('base64url')}.e30.AAAA`),
  tok('10 KB of junk', () => x(10240, 'A')),
  { name: 'a token with raw FF bytes', method: 'GET', path: CUST, headers: { Authorization: rawHeader('Bearer ', [0xff, 0xff]) }, status: 401, error: E.token },
  tok('expired two minutes ago', 'expired'),
  tok('signed with another key', 'wrongKey'),
  tok('alg none', 'none'),
  tok('HS256 keyed with the public key', 'hs256'),
  tok('an unknown kid', 'unknownKid'),
  tok('no kid', 'noKid'),
  tok('roles a string', 'rolesString'),
  tok('an intpc token on a partner route', 'intpc', 403, E.role),
  { name: 'create a customer with an expired token', method: 'POST', path: CUST, token: 'expired', body: cust('bi-t1'), status: 401, error: E.token },
  { name: 'create a customer with alg none', method: 'POST', path: CUST, token: 'none', body: cust('bi-t2'), status: 401, error: E.token },
  { name: 'create a customer with an intpc token', method: 'POST', path: CUST, token: 'intpc', body: cust('bi-t3'), status: 403, error: E.role },
  { name: 'delete a customer with a token signed by another key', method: 'DELETE', path: `${CUST}/bi-owner`, token: 'wrongKey', status: 401, error: E.token },
  { name: 'delete a website with HS256', method: 'DELETE', path: `${V2}/bi-site`, token: 'hs256', status: 401, error: E.token },
  { name: 'another partner\'s token reads a demo website', method: 'GET', path: `${V2}/bi-site`, token: 'pool', status: 404, error: E.website },
  { name: 'an X-Api-Key on a partner read route', method: 'GET', path: '/v2/3as/company-details', apiKey: 'A', status: 403, error: E.keyScope },
  { name: 'an X-Api-Key on a partner write route', method: 'POST', path: CUST, apiKey: 'A', body: cust('bi-t4'), status: 403, error: E.keyScope },
  { name: 'an X-Api-Key deleting its own website', method: 'DELETE', path: `${V2}/bi-site`, apiKey: 'A', status: 403, error: E.keyScope },
  { name: 'an unknown X-Api-Key on a partner route', method: 'GET', path: '/v2/3as/company-details', headers: { 'X-Api-Key': 'twpl-nope' }, status: 401, error: E.apiKey },
];

// ---- admin API (no --admin-token) ----

const AD = '/__admin/intps';
const adm = (name, method, p, body, status, error, field) => ({ name, method, path: p, body, status, error, field });
// on a partner of its own, so that a move wrongly accepted changes no other case's subscriptions
const clock = (name, body, status, error, field) => adm(name, 'POST', (c) => `${AD}/${c.clockPartner}/clock`, body, status, error, field);
const tokensOf = (id) => `${AD}/${id}/tokens`;
const usage = (c) => `${AD}/${c.demo}/websites/bi-site/usage`;

export const admin = [
  adm('onboard: subscriptionType not a type', 'POST', AD, { subscriptionType: 'both' }, 400, E.val, 'subscriptionType'),
  adm('onboard: billingMode a number', 'POST', AD, { billingMode: 5 }, 400, E.val, 'billingMode'),
  adm('onboard: websiteOnboarding a string', 'POST', AD, { websiteOnboarding: 'true' }, 400, E.val, 'websiteOnboarding'),
  adm('onboard: id with a space', 'POST', AD, { id: 'a b' }, 400, E.val, 'id'),
  adm('onboard: id with a slash', 'POST', AD, { id: 'a/b' }, 400, E.val, 'id'),
  adm('onboard: id of 65 bytes', 'POST', AD, { id: x(65) }, 400, E.val, 'id'),
  adm('[issue] onboard: an escaped NUL in id', 'POST', AD, (c) => ({ id: 'bi\u0000evil', publicKey: c.otherPublic }), 400, E.val, 'id'),
  adm('onboard: id of invalid UTF-8', 'POST', AD, bytes('{"id":"bi', [0xff], '"}'), 400, E.json, 'id'),
  adm('onboard: a duplicate id', 'POST', AD, (c) => ({ id: c.demo, publicKey: c.otherPublic }), 400, E.dup, 'id'),
  adm('onboard: name a number', 'POST', AD, { name: 5 }, 400, E.val, 'name'),
  adm('onboard: name of 201 bytes', 'POST', AD, { name: x(201) }, 400, E.val, 'name'),
  adm('onboard: address a nested object', 'POST', AD, { address: { street: 'x' } }, 400, E.val, 'address'),
  adm('onboard: publicKey not a PEM', 'POST', AD, { publicKey: 'not a pem' }, 400, E.val, 'publicKey'),
  adm('onboard: publicKey RSA-1024', 'POST', AD, (c) => ({ publicKey: c.rsa1024 }), 400, E.val, 'publicKey'),
  adm('onboard: privateKey not matching publicKey', 'POST', AD, (c) => ({ publicKey: c.otherPublic, privateKey: c.demoPrivate }), 400, E.val, 'privateKey'),
  adm('read: an unknown partner', 'GET', `${AD}/nope`, undefined, 404, E.intp, 'id'),
  adm('[issue] read: a partner id of invalid UTF-8', 'GET', `${AD}/%FF`, undefined, 404, E.intp, 'id'),
  adm('[issue] read: a partner id %C0%AF', 'GET', `${AD}/%C0%AF`, undefined, 404, E.intp, 'id'),
  adm('[issue] read: a partner id of 300 two-byte characters', 'GET', `${AD}/${E300}`, undefined, 404, E.intp, 'id'),
  adm('delete: an unknown partner', 'DELETE', `${AD}/nope`, undefined, 404, E.intp, 'id'),
  adm('reset: an unknown partner', 'POST', `${AD}/nope/reset`, undefined, 404, E.intp, 'id'),
  adm('tokens: an unknown partner', 'POST', tokensOf('nope'), {}, 404, E.intp, 'id'),
  adm('tokens: role not a role', 'POST', (c) => tokensOf(c.demo), { role: 'admin' }, 400, E.val, 'role'),
  adm('tokens: intpc without intpcId', 'POST', (c) => tokensOf(c.demo), { role: 'intpc' }, 400, E.val, 'intpcId'),
  adm('tokens: intpcId of 256 bytes', 'POST', (c) => tokensOf(c.demo), { role: 'intpc', intpcId: x(256) }, 400, E.val, 'intpcId'),
  adm('tokens: ttlSeconds 0', 'POST', (c) => tokensOf(c.demo), { ttlSeconds: 0 }, 400, E.val, 'ttlSeconds'),
  adm('tokens: ttlSeconds -5', 'POST', (c) => tokensOf(c.demo), { ttlSeconds: -5 }, 400, E.val, 'ttlSeconds'),
  adm('tokens: ttlSeconds 1e12', 'POST', (c) => tokensOf(c.demo), { ttlSeconds: 1e12 }, 400, E.val, 'ttlSeconds'),
  adm('tokens: ttlSeconds a string', 'POST', (c) => tokensOf(c.demo), { ttlSeconds: '600' }, 400, E.val, 'ttlSeconds'),
  adm('tokens: ttlSeconds 1.5', 'POST', (c) => tokensOf(c.demo), { ttlSeconds: 1.5 }, 400, E.val, 'ttlSeconds'),
  adm('tokens: a partner onboarded with its own public key', 'POST', (c) => tokensOf(c.ownKey), {}, 400, E.noKey),
  adm('tokens: an array body', 'POST', (c) => tokensOf(c.demo), '[]', 400, E.json),
  clock('clock: advanceBy without P', { advanceBy: '1M' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy negative', { advanceBy: '-P1M' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy P alone', { advanceBy: 'P' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy PT alone', { advanceBy: 'PT' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy units out of order', { advanceBy: 'P1M1Y' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy a fraction', { advanceBy: 'P1.5D' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy over 1000 years', { advanceBy: 'P1001Y' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy of 30 digits', { advanceBy: `PT${x(30, '9')}S` }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy a number', { advanceBy: 5 }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy over 100 years (P101Y)', { advanceBy: 'P101Y' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy over 100 years in days (P36600D)', { advanceBy: 'P36600D' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy over 100 years in hours (PT99999999H)', { advanceBy: 'PT99999999H' }, 400, E.val, 'advanceBy'),
  clock('clock: advanceBy P1000000000W', { advanceBy: 'P1000000000W' }, 400, E.val, 'advanceBy'),
  clock('clock: set over 100 years ahead', { set: '2200-01-01T00:00:00Z' }, 400, E.val, 'set'),
  clock('clock: set to year 9999', { set: '9999-12-31T23:59:59Z' }, 400, E.val, 'set'),
  clock('clock: set with a five-digit year', { set: '10000-01-01T00:00:00Z' }, 400, E.val, 'set'),
  clock('[issue] clock: an escaped NUL after a valid duration', { advanceBy: 'P1M\u0000garbage' }, 400, E.val, 'advanceBy'),
  clock('clock: set backwards', { set: '2000-01-01T00:00:00Z' }, 400, E.val, 'set'),
  clock('clock: set one hour back', { set: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') }, 400, E.val, 'set'),
  clock('clock: set not a date', { set: 'tomorrow' }, 400, E.val, 'set'),
  clock('clock: set and advanceBy together', { set: '2099-01-01T00:00:00Z', advanceBy: 'P1D' }, 400, E.val, 'set'),
  clock('clock: freeze a string', { freeze: 'yes' }, 400, E.val, 'freeze'),
  clock('clock: a JSON string body', '"P1D"', 400, E.json),
  adm('clock: an unknown partner', 'POST', `${AD}/nope/clock`, { advanceBy: 'P1D' }, 404, E.intp, 'id'),
  adm('[issue] clock: read an unknown partner of invalid UTF-8', 'GET', `${AD}/%FF%FE/clock`, undefined, 404, E.intp, 'id'),
  adm('history: an unknown website', 'GET', (c) => `${AD}/${c.demo}/websites/nope/subscription/history`, undefined, 404, E.website, 'intpWebsiteId'),
  adm('[issue] history: a website id of invalid UTF-8', 'GET', (c) => `${AD}/${c.demo}/websites/%FF/subscription/history`, undefined, 404, E.website, 'intpWebsiteId'),
  adm('history: a customer on a website-subscription partner', 'GET', (c) => `${AD}/${c.demo}/customers/bi-owner/subscription/history`, undefined, 400, E.model, 'intpCustomerId'),
  adm('history: an unknown customer', 'GET', (c) => `${AD}/${c.pool}/customers/nope/subscription/history`, undefined, 404, E.customer, 'intpCustomerId'),
  adm('history: an unknown partner', 'GET', `${AD}/nope/websites/bi-site/subscription/history`, undefined, 404, E.intp, 'id'),
  adm('usage: visits -1', 'POST', usage, { visits: -1 }, 400, E.val, 'visits'),
  adm('usage: visits a string', 'POST', usage, { visits: '5' }, 400, E.val, 'visits'),
  adm('usage: visits 1.5', 'POST', usage, { visits: 1.5 }, 400, E.val, 'visits'),
  adm('usage: visits 1e10', 'POST', usage, { visits: 1e10 }, 400, E.val, 'visits'),
  adm('usage: a valid count then a bad one', 'POST', usage, { visits: 5, funnelMatches: -1 }, 400, E.val, 'funnelMatches'),
  adm('usage: an array body', 'POST', usage, '[{"visits":5}]', 400, E.json),
  adm('usage: an unknown website', 'POST', (c) => `${AD}/${c.demo}/websites/nope/usage`, { visits: 5 }, 404, E.website, 'intpWebsiteId'),
  adm('usage: an unknown partner', 'POST', `${AD}/nope/websites/bi-site/usage`, { visits: 5 }, 404, E.intp, 'id'),
  adm('reset: GET instead of POST', 'GET', '/__admin/reset', undefined, 405, E.method),
  adm('partners: PUT instead of POST', 'PUT', AD, {}, 405, E.method),
];

// ---- the second server: --profile intended, --admin-token ----

// D3 in profile "intended": the rule breaks are 400 (a downgrade to the same package too).
const intended = (name, p, body, error = E.rule) => ({ name, method: 'POST', path: p, token: 'intp', body, server: 'second', status: 400, error });
export const profileIntended = [
  intended('upgrade to a lower package', `${WS}/upgrade`, (c) => ({ intpWebsiteId: 'gi-site', packageId: c.second.free })),
  intended('downgrade to a higher package', `${WS}/downgrade`, (c) => ({ intpWebsiteId: 'gi-site', packageId: c.second.pro })),
  intended('resume of an active subscription', `${WS}/resume`, { intpWebsiteId: 'gi-site' }),
  intended('downgrade to the same package', `${WS}/downgrade`, (c) => ({ intpWebsiteId: 'gi-site', packageId: c.second.basic }), E.action),
  intended('[issue] downgrade of a paid website to the free trial', `${WS}/downgrade`, (c) => ({ intpWebsiteId: 'gi-site', packageId: c.second.trial })),
  intended('[issue] legacy v2 downgrade of a paid website to the free trial', `${LEG}/downgrade`, (c) => ({ intpWebsiteId: 'gi-site', packageId: c.second.trial })),
  intended('[issue] legacy v2 cancel onto the free trial (freePackageId)', `${LEG}/cancel`, (c) => ({ intpWebsiteId: 'gi-site', freePackageId: c.second.trial })),
];

const guarded = (name, method, p, headers, body) => ({ name, method, path: p, headers, body, server: 'second', status: 401, error: E.admin });
export const adminToken = [
  guarded('list partners without the admin token', 'GET', AD),
  guarded('global reset without the admin token', 'POST', '/__admin/reset'),
  guarded('global reset with a wrong admin token', 'POST', '/__admin/reset', { Authorization: 'Bearer wrong' }),
  guarded('global reset with the token but no Bearer', 'POST', '/__admin/reset', { Authorization: 'bi-admin-secret' }),
  guarded('global reset with the token as Basic', 'POST', '/__admin/reset', { Authorization: 'Basic bi-admin-secret' }),
  guarded('global reset with the token and a suffix', 'POST', '/__admin/reset', { Authorization: 'Bearer bi-admin-secretx' }),
  guarded('global reset with a prefix of the token', 'POST', '/__admin/reset', { Authorization: 'Bearer bi-admin' }),
  guarded('delete the demo partner without the admin token', 'DELETE', (c) => `${AD}/${c.demo}`),
  guarded('reset the demo partner with raw FF bytes as token', 'POST', (c) => `${AD}/${c.demo}/reset`, { Authorization: rawHeader('Bearer ', [0xff]) }),
  guarded('onboard a partner without the admin token', 'POST', AD, undefined, { name: 'BI guarded' }),
  guarded('move a clock without the admin token', 'POST', (c) => `${AD}/${c.demo}/clock`, undefined, { advanceBy: 'P1Y' }),
  guarded('mint a token with a partner token', 'POST', (c) => tokensOf(c.demo), { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.AAAA' }, {}),
  guarded('admin health without the admin token', 'GET', '/__admin/health'),
];

// ---- login via API key ----

const LOGIN = '/v2/3as/api-keys/login';
const login = (name, body, status, error, field, more = {}) => ({ name, method: 'POST', path: LOGIN, body, status, error, field, ...more });
export const loginCases = [
  login('an empty object', {}, 400, E.val, 'apiKey'),
  login('apiKey a number', (c) => ({ apiKey: 5, websiteId: c.site }), 400, E.val, 'apiKey'),
  login('apiKey of 65 bytes', (c) => ({ apiKey: x(65), websiteId: c.site }), 400, E.val, 'apiKey'),
  login('websiteId missing', (c) => ({ apiKey: c.keys.A }), 400, E.val, 'websiteId'),
  login('websiteId a number', (c) => ({ apiKey: c.keys.A, websiteId: 5 }), 400, E.val, 'websiteId'),
  login('an unknown key', (c) => ({ apiKey: 'twpl-AAAAAAAAAAAAAAAAAAAA', websiteId: c.site }), 401, E.apiKey),
  login('another website\'s key', (c) => ({ apiKey: c.keys.B, websiteId: c.site }), 401, E.apiKey),
  login('a deleted key', (c) => ({ apiKey: c.keys.deleted, websiteId: c.site }), 401, E.apiKey),
  login('an expired key (on the partner\'s clock)', (c) => ({ apiKey: c.keys.expired, websiteId: c.site }), 401, E.apiKey),
  login('[issue] an escaped NUL after a valid key', (c) => ({ apiKey: `${c.keys.A}\u0000x`, websiteId: c.site }), 400, E.val, 'apiKey'),
  login('[issue] an escaped NUL after a valid websiteId', (c) => ({ apiKey: c.keys.A, websiteId: `${c.site}\u0000x` }), 400, E.val, 'websiteId'),
  login('an apiKey of invalid UTF-8', bytes('{"apiKey":"twpl-', [0xff], '","websiteId":"x"}'), 400, E.json, 'apiKey'),
  login('Content-Type text/plain', (c) => J({ apiKey: c.keys.A, websiteId: c.site }), 415, E.media, undefined, { headers: { 'Content-Type': 'text/plain' } }),
  login('an array body', (c) => J([{ apiKey: c.keys.A, websiteId: c.site }]), 400, E.json),
  { name: 'GET instead of POST', method: 'GET', path: LOGIN, status: 405, error: E.method },
];

// ---- the X-Api-Key data API ----

const DS = (c) => `/v2/websites/${c.site}/analytics/sessions`;
const DP = (c) => `/v2/websites/${c.site}/analytics/pages`;
const DR = (c) => `/v2/websites/${c.site}/sessions`;
const q = (extra = {}) => ({ metrics: ['sessionCount'], dateRange: RANGE, ...extra });
const data = (name, body, status, error, field, more = {}) => ({ name, method: 'POST', path: DS, apiKey: 'A', body, status, error, field, ...more });
const dval = (name, body, field, more) => data(name, body, 400, E.val, field, more);

export const dataApi = [
  { name: 'no X-Api-Key', method: 'POST', path: DS, body: q(), status: 401, error: E.apiKey },
  { name: 'an unknown X-Api-Key', method: 'POST', path: DS, headers: { 'X-Api-Key': 'twpl-nope' }, body: q(), status: 401, error: E.apiKey },
  { name: 'an X-Api-Key of raw FF bytes', method: 'POST', path: DS, headers: { 'X-Api-Key': rawHeader([0xff, 0xfe]) }, body: q(), status: 401, error: E.apiKey },
  { name: 'an empty X-Api-Key', method: 'POST', path: DS, headers: { 'X-Api-Key': '' }, body: q(), status: 401, error: E.apiKey },
  data('another website\'s key', q(), 403, E.keyScope, undefined, { apiKey: 'B' }),
  data('a deleted key', q(), 401, E.apiKey, undefined, { apiKey: 'deleted' }),
  data('an expired key (on the partner\'s clock)', q(), 401, E.apiKey, undefined, { apiKey: 'expired' }),
  data('an INTP token instead of a key', q(), 401, E.apiKey, undefined, { apiKey: undefined, token: 'intp' }),
  data('an unknown website uuid', q(), 403, E.keyScope, undefined, { path: '/v2/websites/00000000-0000-4000-8000-000000000000/analytics/sessions' }),
  data('[issue] a website id of invalid UTF-8', q(), 403, E.keyScope, undefined, { path: '/v2/websites/%FF/analytics/sessions' }),
  dval('[issue] pagination a number', q({ pagination: 5 }), 'pagination'),
  dval('[issue] pagination a string', q({ pagination: 'all' }), 'pagination'),
  dval('[issue] pagination an array', q({ pagination: [1, 10] }), 'pagination'),
  dval('[issue] pagination a number on raw sessions', { dateRange: RANGE, pagination: 5 }, 'pagination', { path: DR }),
  dval('pagination.page 0', q({ pagination: { page: 0 } }), 'pagination.page'),
  dval('pagination.page -1', q({ pagination: { page: -1 } }), 'pagination.page'),
  dval('[extra] pagination.page 1.5', q({ pagination: { page: 1.5 } }), 'pagination.page'),
  dval('pagination.page a string', q({ pagination: { page: '1' } }), 'pagination.page'),
  dval('pagination.page 1e400', J(q()).replace(/}$/, ',"pagination":{"page":1e400}}'), 'pagination.page'),
  dval('pagination.pageSize 0', q({ pagination: { pageSize: 0 } }), 'pagination.pageSize'),
  dval('pagination.pageSize 1001', q({ pagination: { pageSize: 1001 } }), 'pagination.pageSize'),
  dval('[extra] pagination.pageSize 2.5', q({ pagination: { pageSize: 2.5 } }), 'pagination.pageSize'),
  dval('metrics an unknown name', q({ metrics: ['revenue'] }), 'metrics'),
  dval('metrics a string', q({ metrics: 'sessionCount' }), 'metrics'),
  dval('metrics empty', q({ metrics: [] }), 'metrics'),
  dval('metrics missing', { dateRange: RANGE }, 'metrics'),
  dval('metrics holding a number', q({ metrics: [5] }), 'metrics'),
  dval('[issue] metrics: an escaped NUL after a valid name', q({ metrics: ['sessionCount\u0000x'] }), 'metrics'),
  dval('[issue] metrics: an unknown name of 300 two-byte characters (message cut)', q({ metrics: [x(300, 'é')] }), 'metrics'),
  data('metrics: a name of invalid UTF-8', bytes(`{"dateRange":${J(RANGE)},"metrics":["session`, [0xff], '"]}'), 400, E.json, 'metrics'),
  dval('dimensions an unknown name', q({ dimensions: ['nope'] }), 'dimensions'),
  dval('dimensions an object', q({ dimensions: {} }), 'dimensions'),
  dval('dateRange missing', { metrics: ['sessionCount'] }, 'dateRange'),
  dval('dateRange ending before it starts', q({ dateRange: { start: RANGE.end, end: RANGE.start } }), 'dateRange'),
  dval('dateRange over 366 days', q({ dateRange: { start: '2020-01-01T00:00:00Z', end: RANGE.end } }), 'dateRange'),
  dval('dateRange.start not a date', q({ dateRange: { start: 'last week', end: RANGE.end } }), 'dateRange'),
  dval('dateRange a string', q({ dateRange: 'P7D' }), 'dateRange'),
  dval('where an array', q({ where: [] }), 'where'),
  dval('where.member unknown', q({ where: { member: 'nope', operator: 'eq', values: ['x'] } }), 'where.member'),
  dval('where.operator unknown', q({ where: { member: 'deviceType', operator: 'like', values: ['x'] } }), 'where.operator'),
  dval('where.values empty', q({ where: { member: 'deviceType', operator: 'eq', values: [] } }), 'where.values'),
  dval('where nested 20 deep', q({ where: JSON.parse(`${x(20, '{"and":[')}{"member":"deviceType","operator":"eq","values":["x"]}${x(20, ']}')}`) }), 'where'),
  dval('order an object', q({ order: { member: 'date' } }), 'order'),
  dval('order.member unknown', q({ order: [{ member: 'nope', direction: 'asc' }] }), 'order.member'),
  dval('order.direction up', q({ order: [{ member: 'sessionCount', direction: 'up' }] }), 'order.direction'),
  dval('previousDateRange a string', q({ previousDateRange: 'x' }), 'previousDateRange'),
  dval('page analytics: dimensions holding null', q({ dimensions: [null] }), 'dimensions', { path: DP }),
  dval('raw sessions: fields an unknown name', { dateRange: RANGE, fields: ['nope'] }, 'fields', { path: DR }),
  dval('raw sessions: fields a string', { dateRange: RANGE, fields: 'id' }, 'fields', { path: DR }),
  data('Content-Type text/plain', J(q()), 415, E.media, undefined, { headers: { 'Content-Type': 'text/plain' } }),
  data('a string body', '"sessions"', 400, E.json),
  { name: 'GET instead of POST', method: 'GET', path: DS, apiKey: 'A', status: 405, error: E.method },
];

// ---- the dashboard (HTML pages) ----

const DASH = (c, extra = '') => `/dashboard?intpc_token=${c.dash.owner}&externalWebsiteId=bi-site${extra}`;
const page = (name, p, status, check) => ({ name, method: 'GET', path: p, status, html: true, check });
// The page shows UTC and does not name the refused zone.
const inUtc = (zone) => (r, c, problems) => {
  if (!/Times in UTC/.test(r.text)) problems.push('the page does not say "Times in UTC"');
  if (r.text.includes(`Times in ${zone}`)) problems.push(`the page shows "Times in ${zone}"`);
};

export const dashboard = [
  page('no credentials', '/dashboard', 401),
  page('intpc_token not a JWT', '/dashboard?intpc_token=garbage&externalWebsiteId=bi-site', 401),
  page('intpc_token empty and no websiteToken', '/dashboard?intpc_token=&externalWebsiteId=bi-site', 401),
  page('an expired intpc token', (c) => `/dashboard?intpc_token=${c.dash.expired}&externalWebsiteId=bi-site`, 401),
  page('an intpc token signed with another key', (c) => `/dashboard?intpcToken=${c.dash.wrongKey}&externalWebsiteId=bi-site`, 401),
  page('an intpc token with alg none', (c) => `/dashboard?intpc_token=${c.dash.none}&externalWebsiteId=bi-site`, 401),
  page('an INTP token as intpc_token', (c) => `/dashboard?intpc_token=${c.tokens.intp}&externalWebsiteId=bi-site`, 401),
  page('intpc_token of invalid UTF-8 (%FF)', '/dashboard?intpc_token=%FF%FE&externalWebsiteId=bi-site', 401),
  page('an unknown websiteToken', '/dashboard?websiteToken=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 401),
  page('a websiteToken of invalid UTF-8', '/dashboard?websiteToken=%C0%AF', 401),
  page('a customer who neither owns nor contributes', (c) => `/dashboard?intpc_token=${c.dash.stranger}&externalWebsiteId=bi-site`, 403),
  page('an unknown externalWebsiteId', (c) => `/dashboard?intpc_token=${c.dash.owner}&externalWebsiteId=nope`, 403),
  page('no externalWebsiteId', (c) => `/dashboard?intpc_token=${c.dash.owner}`, 403),
  page('externalWebsiteId of invalid UTF-8', (c) => `/dashboard?intpc_token=${c.dash.owner}&externalWebsiteId=%FF`, 403),
  page('startDate not a date', (c) => DASH(c, '&startDate=yesterday'), 400),
  page('startDate of invalid UTF-8', (c) => DASH(c, '&startDate=%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF'), 400),
  page('endDate before startDate', (c) => DASH(c, '&startDate=2026-02-10&endDate=2026-02-01'), 400),
  page('a range over 366 days', (c) => DASH(c, '&startDate=2020-01-01&endDate=2026-01-01'), 400),
  page('startDate February 30', (c) => DASH(c, '&startDate=2026-02-30&endDate=2026-03-05'), 400),
  page('[issue] timezone=Europe (a directory) falls back to UTC', (c) => DASH(c, '&timezone=Europe'), 200, inUtc('Europe')),
  page('[issue] timezone=America (a directory) falls back to UTC', (c) => DASH(c, '&timezone=America'), 200, inUtc('America')),
  page('[issue] timezone=Europe/ (a directory, trailing slash) falls back to UTC', (c) => DASH(c, '&timezone=Europe%2F'), 200, inUtc('Europe/')),
  page('[issue] a websiteToken page with timezone=Europe falls back to UTC', (c) => `/dashboard?websiteToken=${c.websiteToken}&timezone=Europe`, 200, inUtc('Europe')),
  page('a websiteToken page with endDate not a date', (c) => `/dashboard?websiteToken=${c.websiteToken}&endDate=2026-1-1`, 400),
  page('timezone=../../etc/passwd falls back to UTC', (c) => DASH(c, '&timezone=..%2F..%2Fetc%2Fpasswd'), 200, inUtc('..')),
  page('timezone of invalid UTF-8 falls back to UTC', (c) => DASH(c, '&timezone=%FF'), 200, inUtc('\ufffd')),
  { name: 'POST instead of GET', method: 'POST', path: '/dashboard', body: {}, status: 405, error: E.method },
];

// ---- routing, methods and request headers ----

export const routing = [
  { name: 'an unknown route', method: 'GET', path: '/v2/3as/nope', status: 404, error: E.route },
  { name: 'the root', method: 'GET', path: '/', status: 404, error: E.route },
  { name: 'an extra segment', method: 'GET', path: '/v2/3as/customers/a/b', token: 'intp', status: 404, error: E.route },
  { name: 'an empty id segment', method: 'GET', path: '/v2/3as/customers//', token: 'intp', status: 404, error: E.route },
  { name: 'a malformed escape in the path (%ZZ)', method: 'GET', path: '/v2/3as/customers/%ZZ', token: 'intp', status: 404, error: E.route },
  { name: 'an unknown route with %FF%FE in it', method: 'GET', path: '/v2/3as/%FF%FE/x', status: 404, error: E.route },
  { name: 'a path of 4000 bytes', method: 'GET', path: `/${x(4000)}`, status: 404, error: E.route },
  { name: 'PUT on a POST/GET route', method: 'PUT', path: CUST, token: 'intp', body: {}, status: 405, error: E.method },
  { name: 'DELETE on company details', method: 'DELETE', path: '/v2/3as/company-details', token: 'intp', status: 405, error: E.method },
  { name: 'PATCH on /healthz', method: 'PATCH', path: '/healthz', status: 405, error: E.method },
  { name: 'an X-Request-Id of raw FF bytes is replaced', method: 'GET', path: '/v2/3as/nope', headers: { 'X-Request-Id': rawHeader('id-', [0xff, 0xfe]) }, status: 404, error: E.route, check: freshId },
  { name: 'an X-Request-Id of 129 characters is replaced', method: 'GET', path: '/v2/3as/nope', headers: { 'X-Request-Id': x(129) }, status: 404, error: E.route, check: freshId },
  { name: 'an X-Request-Id with angle brackets is replaced', method: 'GET', path: '/v2/3as/nope', headers: { 'X-Request-Id': '<script>' }, status: 404, error: E.route, check: freshId },
];

function freshId(r, c, problems) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.headers['x-request-id'] || '')) {
    problems.push(`X-Request-Id not replaced by a uuid: ${J(r.headers['x-request-id'])}`);
  }
}

export const GROUPS = [
  ['bodies: syntax, shape, encoding, size', bodies],
  ['customers', customers],
  ['websites (v3, v2, internal)', websites],
  ['whitelisted domains', whitelist],
  ['api keys', apikeys],
  ['contributors', contributors],
  ['packages and assignments', packages],
  ['subscription actions (v3 website, v3 intpc, legacy v2)', subscriptions],
  ['partner tokens and misplaced api keys', tokens],
  ['admin API', admin],
  ['subscription actions, --profile intended (second server)', profileIntended],
  ['admin API behind --admin-token (second server)', adminToken],
  ['login via api key', loginCases],
  ['data API (X-Api-Key)', dataApi],
  ['dashboard (HTML pages)', dashboard],
  ['routing, methods, request headers', routing],
];
