// The OpenAPI document as the test suite's oracle: every response a test receives through
// helpers.call() is validated against schema/openapi.yaml for its route and status, so the
// document and the server cannot drift apart.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DOC_PATH = path.join(here, '..', '..', 'schema', 'openapi.yaml');
export const DOC = YAML.parse(fs.readFileSync(DOC_PATH, 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(DOC, 'doc');

const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Each documented path as a regex; more literal segments first, so they win over templates.
const templates = Object.keys(DOC.paths)
  .map((p) => ({
    p,
    literal: p.split('/').filter((s) => s && !s.startsWith('{')).length,
    re: new RegExp(`^${p.split('/').map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : escapeRegex(s))).join('/')}/?$`),
  }))
  .sort((a, b) => b.literal - a.literal);

export function documentedPath(pathname) {
  return templates.find((t) => t.re.test(pathname))?.p;
}

function resolve(ref) {
  return ref.replace(/^#\//, '').split('/').reduce((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], DOC);
}

function validate(pointer, value, what) {
  const check = ajv.getSchema(`doc${pointer}`);
  if (!check) throw new Error(`${what}: no schema at ${pointer}`);
  if (!check(value)) {
    throw new Error(`${what}: the answer does not match the OpenAPI document:\n${ajv.errorsText(check.errors, { separator: '\n' })}\n${JSON.stringify(value).slice(0, 2000)}`);
  }
}

// Throw unless the response matches the document for its route and status.
export function checkResponse(method, url, status, contentType, text) {
  const pathname = new URL(url).pathname;
  const m = (method === 'HEAD' ? 'get' : method.toLowerCase());
  const what = `${method} ${pathname} -> ${status}`;
  const template = documentedPath(pathname);
  const op = template && DOC.paths[template][m];
  if (!op) {
    if (status !== 404 && status !== 405) throw new Error(`${what}: the route is not in the OpenAPI document`);
    validate('#/components/schemas/Error', JSON.parse(text), what);
    return;
  }
  let response = op.responses[String(status)];
  if (!response) throw new Error(`${what}: status ${status} is not documented for ${m.toUpperCase()} ${template}`);
  let pointer = `#/paths/${escapePointer(template)}/${m}/responses/${status}`;
  if (response.$ref) {
    pointer = response.$ref;
    response = resolve(response.$ref);
  }
  if (!response.content) {
    if (text !== '') throw new Error(`${what}: documented without a body, answered ${text.slice(0, 200)}`);
    return;
  }
  const [type] = Object.keys(response.content);
  if (!(contentType || '').startsWith(type)) throw new Error(`${what}: Content-Type ${contentType}, documented ${type}`);
  if (type === 'application/json' && method !== 'HEAD') {
    validate(`${pointer}/content/${escapePointer(type)}/schema`, JSON.parse(text), what);
  }
}
