// The OpenAPI document as the test suite's oracle, in both directions: every response a test
// receives through helpers.call() is validated against schema/openapi.yaml for its route and
// status (checkResponse), and every request it sends that the server accepted (checkRequest:
// route, method, security, parameters, body), so the document and the server cannot drift apart.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DOC_PATH = path.join(here, '..', '..', 'schema', 'openapi.yaml');
export const DOC = YAML.parse(fs.readFileSync(DOC_PATH, 'utf8'));

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(DOC, 'doc');
// Parameters arrive as strings: this instance coerces them to the schema's type first.
const ajvParams = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: 'array' });
addFormats(ajvParams);
ajvParams.addSchema(DOC, 'doc');

const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Each documented path as a regex capturing its {params}; more literal segments first, so that
// /v2/3as/packages/ (a path of its own) wins over /v2/3as/packages/{packageId}.
const templates = Object.keys(DOC.paths)
  .map((p) => {
    const segments = p.split('/');
    return {
      p,
      names: segments.filter((s) => /^\{.+\}$/.test(s)).map((s) => s.slice(1, -1)),
      literal: segments.filter((s) => s && !s.startsWith('{')).length,
      re: new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '([^/]+)' : escapeRegex(s))).join('/')}$`),
    };
  })
  .sort((a, b) => b.literal - a.literal);

// The documented path and operation a request goes to: as written first, then without its one
// trailing slash (info.description: every route also matches with one). `op` is undefined when
// the path is documented but not for this method; null when no path matches at all.
function route(method, pathname) {
  const m = method === 'HEAD' ? 'get' : method.toLowerCase();
  const candidates = [pathname];
  if (pathname.length > 1 && pathname.endsWith('/')) candidates.push(pathname.slice(0, -1));
  let pathOnly = null;
  for (const candidate of candidates) {
    for (const t of templates) {
      const match = t.re.exec(candidate);
      if (!match) continue;
      const params = Object.fromEntries(t.names.map((n, i) => [n, match[i + 1]]));
      if (DOC.paths[t.p][m]) return { template: t.p, m, op: DOC.paths[t.p][m], params };
      pathOnly ??= { template: t.p, m, op: undefined, params };
    }
  }
  return pathOnly;
}

export function documentedPath(pathname) {
  return route('GET', pathname)?.template;
}

// The operationId a request goes to, or undefined.
export function operationOf(method, url) {
  return route(method, new URL(url).pathname)?.op?.operationId;
}

// Every operationId of the document.
export const OPERATION_IDS = Object.values(DOC.paths)
  .flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m].operationId));

function resolve(ref) {
  return ref.replace(/^#\//, '').split('/').reduce((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], DOC);
}

// An object that may be a {$ref}, with the pointer it really lives at.
function deref(node, pointer) {
  return node.$ref ? { node: resolve(node.$ref), pointer: node.$ref } : { node, pointer };
}

function validate(pointer, value, what, whose = 'the answer') {
  const check = ajv.getSchema(`doc${pointer}`);
  if (!check) throw new Error(`${what}: no schema at ${pointer}`);
  if (!check(value)) {
    throw new Error(`${what}: ${whose} does not match the OpenAPI document:\n${ajv.errorsText(check.errors, { separator: '\n' })}\n${JSON.stringify(value).slice(0, 2000)}`);
  }
}

// Statuses the server may answer before routing (info.description), so also for a path the
// document does not have: 404 and 405 of the router, 400 (request framing), 413 and 414.
const UNROUTED = new Set([400, 404, 405, 413, 414]);

// Throw unless the response matches the document for its route and status.
export function checkResponse(method, url, status, contentType, text) {
  const pathname = new URL(url).pathname;
  const what = `${method} ${pathname} -> ${status}`;
  const found = route(method, pathname);
  const op = found?.op;
  if (!op) {
    if (!UNROUTED.has(status)) throw new Error(`${what}: the route is not in the OpenAPI document`);
    validate('#/components/schemas/Error', JSON.parse(text), what);
    return;
  }
  const base = `#/paths/${escapePointer(found.template)}/${found.m}/responses/${status}`;
  if (!op.responses[String(status)]) throw new Error(`${what}: status ${status} is not documented for ${found.m.toUpperCase()} ${found.template}`);
  const { node: response, pointer } = deref(op.responses[String(status)], base);
  if (!response.content) {
    if (text !== '') throw new Error(`${what}: documented without a body, answered ${text.slice(0, 200)}`);
    return;
  }
  const mediaType = (contentType || '').split(';')[0].trim().toLowerCase();
  const type = Object.keys(response.content).find((t) => t === mediaType);
  if (!type) throw new Error(`${what}: Content-Type ${contentType}, documented ${Object.keys(response.content).join(' or ')}`);
  if (type === 'application/json' && method !== 'HEAD') {
    validate(`${pointer}/content/${escapePointer(type)}/schema`, JSON.parse(text), what);
  }
}

// The parameters of an operation: those of its path item, overridden by its own (by in + name).
function parametersOf(template, m) {
  const all = new Map();
  const add = (list, at) => (list || []).forEach((p, i) => {
    const { node, pointer } = deref(p, `${at}/${i}`);
    all.set(`${node.in} ${node.name}`, { param: node, pointer });
  });
  add(DOC.paths[template].parameters, `#/paths/${escapePointer(template)}/parameters`);
  add(DOC.paths[template][m].parameters, `#/paths/${escapePointer(template)}/${m}/parameters`);
  return [...all.values()];
}

// A validator of one parameter ({value}), compiled once per parameter.
const paramCheckers = new Map();
function paramChecker(pointer) {
  if (!paramCheckers.has(pointer)) {
    paramCheckers.set(pointer, ajvParams.compile({ type: 'object', properties: { value: { $ref: `doc${pointer}/schema` } } }));
  }
  return paramCheckers.get(pointer);
}

const decode = (s) => { try { return decodeURIComponent(s); } catch { return s; } };

// Does the request carry what one of the operation's security alternatives asks for?
function secured(op, headers) {
  const requirements = op.security ?? DOC.security ?? [];
  if (requirements.length === 0) return true;
  return requirements.some((req) => Object.keys(req).every((name) => {
    const scheme = DOC.components.securitySchemes[name];
    if (scheme.type === 'http' && scheme.scheme === 'bearer') return /^Bearer \S/.test(headers.authorization || '');
    if (scheme.type === 'apiKey' && scheme.in === 'header') return headers[scheme.name.toLowerCase()] !== undefined;
    throw new Error(`security scheme ${name}: not understood by openapi.mjs`);
  }));
}

// Throw unless the request is one the document accepts: a documented route and method, its
// security, its required and typed parameters, and its body (present when required, absent
// when none is documented, of a documented media type, matching the schema when JSON).
// `headers` is a plain object (any case); `body` the payload as sent (a string), or undefined.
export function checkRequest(method, url, headers = {}, body = undefined) {
  const u = new URL(url);
  const what = `${method} ${u.pathname}${u.search}`;
  const found = route(method, u.pathname);
  if (!found) throw new Error(`${what}: the request's path is not in the OpenAPI document`);
  const { template, m, op } = found;
  if (!op) throw new Error(`${what}: the OpenAPI document has no ${m.toUpperCase()} ${template}`);
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));

  if (!secured(op, h)) throw new Error(`${what}: the request does not meet the security of ${m.toUpperCase()} ${template}`);

  for (const { param, pointer } of parametersOf(template, m)) {
    let value;
    if (param.in === 'path') value = found.params[param.name] === undefined ? undefined : decode(found.params[param.name]);
    else if (param.in === 'query') value = u.searchParams.has(param.name) ? u.searchParams.get(param.name) : undefined;
    else if (param.in === 'header') value = h[param.name.toLowerCase()];
    else continue;
    if (value === undefined) {
      if (param.required) throw new Error(`${what}: the required ${param.in} parameter ${param.name} is missing`);
      continue;
    }
    if (param.schema) {
      const holder = { value };
      const check = paramChecker(pointer);
      if (!check(holder)) throw new Error(`${what}: ${param.in} parameter ${param.name}=${JSON.stringify(value)} does not match the OpenAPI document: ${ajv.errorsText(check.errors)}`);
    }
  }

  const rb = op.requestBody && deref(op.requestBody, `#/paths/${escapePointer(template)}/${m}/requestBody`);
  const hasBody = body !== undefined && body !== null && String(body).length > 0;
  if (!hasBody) {
    if (rb?.node.required) throw new Error(`${what}: the OpenAPI document requires a body`);
    return;
  }
  if (!rb) throw new Error(`${what}: sent a body, the OpenAPI document declares none`);
  const mediaType = (h['content-type'] || 'application/json').split(';')[0].trim().toLowerCase();
  const type = Object.keys(rb.node.content).find((t) => t === mediaType);
  if (!type) throw new Error(`${what}: body of type ${mediaType}, documented ${Object.keys(rb.node.content).join(' or ')}`);
  if (type !== 'application/json' || !rb.node.content[type].schema) return;
  let json;
  try { json = JSON.parse(body); } catch { throw new Error(`${what}: the body is not JSON: ${String(body).slice(0, 200)}`); }
  validate(`${rb.pointer}/content/${escapePointer(type)}/schema`, json, what, 'the request body');
}
