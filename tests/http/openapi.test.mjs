// Contract test: the OpenAPI document the live server serves at
// /api/v1/openapi.json describes what the server really answers, and it
// lists exactly the JSON routes of src/routes.c.
//
//   cd tests && npm ci && BASE_URL=http://127.0.0.1:18888 \
//       DATABASE_URL='postgresql://…' node --test http/openapi.test.mjs
//
// For every documented operation it sends the happy request built from the
// documented examples and the error cases a client can cause (unknown or
// invalid parameters, malformed query strings, wrong methods, wrong
// Content-Type, bad bodies, missing credentials, missing roles, missing
// CSRF tokens, cross-site requests), then checks that the status is
// documented for the operation, that the body validates against the
// documented schema for that status and media type, and that the documented
// required headers are present and valid.  A 503 needs a stopped database or
// a flood of sign-ins and is not triggered.
//
// Operations with `security` are called as a signed-in account: the test
// registers its own accounts (unique addresses, so it neither depends on nor
// disturbs other test files) and signs them in with bearer tokens.  Admin
// rights are granted in the database of the server under test, DATABASE_URL
// (make test sets it); so are the tokens that normally arrive by mail.

import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ROUTES_C = new URL('../../src/routes.c', import.meta.url);
const OPENAPI_FILE = new URL('../../assets/openapi.json', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Methods tried against every path to provoke a 405.
const PROBE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/* ------------------------------------------------------------------ setup */

function baseUrl() {
  const raw = process.env.BASE_URL;
  if (!raw)
    throw new Error('set BASE_URL to the server under test, e.g. http://127.0.0.1:18888');
  const u = new URL(raw);
  if (!LOOPBACK.has(u.hostname))
    throw new Error(`BASE_URL must point at the loopback interface, not ${u.hostname}`);
  return raw.replace(/\/+$/, '');
}

let requestSeq = 0;
const newRequestId = () => `contract-${process.pid}-${++requestSeq}`;

// The server under test trusts X-Forwarded-For (tests/run.sh): this file
// acts from an address of its own, so its submissions count against no
// other test file's per-address limit.
const CLIENT_IP = `10.${[1, 2, 3].map(() => 1 + Math.floor(Math.random() * 250)).join('.')}`;

/*
 * One request; the query string is passed raw so malformed ones reach the
 * server unchanged.  Returns { status, headers, text }.
 */
async function send(method, path, { query, headers = {}, body } = {}) {
  const url = BASE + path + (query ? `?${query}` : '');
  headers = { 'x-forwarded-for': CLIENT_IP, ...headers };
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

/* A request written byte for byte (fetch always sends Content-Length). */
function sendRaw(lines) {
  const u = new URL(BASE);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80) });
    let data = '';
    sock.setEncoding('utf8');
    sock.setTimeout(15000, () => sock.destroy(new Error('no answer to the raw request')));
    sock.on('connect', () => sock.write(lines.join('\r\n') + '\r\n\r\n'));
    sock.on('data', (chunk) => { data += chunk; });
    sock.on('error', reject);
    sock.on('close', () => {
      const split = data.indexOf('\r\n\r\n');
      if (split < 0)
        return reject(new Error(`incomplete HTTP answer: ${JSON.stringify(data)}`));
      const [statusLine, ...headerLines] = data.slice(0, split).split('\r\n');
      const headers = new Headers();
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        text: data.slice(split + 4),
      });
    });
  });
}

async function loadSpec() {
  const res = await send('GET', '/api/v1/openapi.json');
  return { res, spec: JSON.parse(res.text) };
}

let BASE;
let loaded;
try {
  BASE = baseUrl();
  loaded = await loadSpec();
} catch (err) {
  loaded = { error: err };
}
const spec = loaded.spec;
const skip = loaded.error ? 'the OpenAPI document could not be loaded' : false;

/* --------------------------------------------------------- $ref handling */

function pointer(doc, ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs are supported: ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    assert.ok(node !== null && typeof node === 'object' && key in node,
      `$ref ${ref} does not resolve`);
    node = node[key];
  }
  return node;
}

/* Follows $ref chains of responses, parameters, headers, bodies, schemas. */
function resolve(node) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    assert.ok(!seen.has(node.$ref), `$ref cycle at ${node.$ref}`);
    seen.add(node.$ref);
    node = pointer(spec, node.$ref);
  }
  return node;
}

function* walk(node, path = '#') {
  if (node === null || typeof node !== 'object')
    return;
  yield [node, path];
  for (const [k, v] of Object.entries(node))
    yield* walk(v, `${path}/${k}`);
}

/* ---------------------------------- OpenAPI 3.1 schema → Ajv (2020-12) */

const COMPONENTS_ID = 'https://mitwirken.invalid/openapi/components.json';
// OpenAPI 3.1 schemas are JSON Schema 2020-12 plus these keywords.
const OAS_ONLY = new Set(['example', 'xml', 'externalDocs', 'discriminator']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'unevaluatedProperties', 'not',
  'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems']);

/* Drops the OpenAPI keywords; schema $refs point into the registered components. */
function toJsonSchema(node) {
  if (node === null || typeof node !== 'object' || Array.isArray(node))
    return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (OAS_ONLY.has(k))
      continue;
    if (k === '$ref') {
      const m = /^#\/components\/schemas\/(.+)$/.exec(v);
      assert.ok(m, `schema $ref must point into #/components/schemas: ${v}`);
      out.$ref = `${COMPONENTS_ID}#/$defs/${m[1]}`;
    } else if (SCHEMA_MAPS.has(k)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, toJsonSchema(s)]));
    } else if (SCHEMA_LISTS.has(k)) {
      out[k] = v.map(toJsonSchema);
    } else if (SCHEMA_VALUES.has(k)) {
      out[k] = typeof v === 'object' ? toJsonSchema(v) : v;
    } else {
      out[k] = v; // enum, default, pattern, …: values, not schemas
    }
  }
  return out;
}

let ajv;
const compiled = new Map();

function makeAjv() {
  ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const $defs = {};
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {}))
    $defs[name] = toJsonSchema(schema);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs });
}

function validator(schema) {
  const converted = toJsonSchema(schema);
  const key = JSON.stringify(converted);
  if (!compiled.has(key))
    compiled.set(key, ajv.compile(converted));
  return compiled.get(key);
}

function matches(schema, value) {
  return validator(schema)(value);
}

function assertValid(schema, value, label) {
  const v = validator(schema);
  if (!v(value)) {
    assert.fail(`${label} does not match its documented schema: ` +
      `${ajv.errorsText(v.errors, { separator: '; ' })}\n` +
      `value: ${JSON.stringify(value).slice(0, 600)}`);
  }
}

/* Header values are strings; compare them as the schema's type. */
function headerValue(schema, value) {
  const types = [resolve(schema)?.type].flat();
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false'))
    return value === 'true';
  return value;
}

/* ------------------------------------------------------- the contract */

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      if (item[method]) {
        ops.push({
          path,
          method: method.toUpperCase(),
          op: item[method],
          params: [...(item.parameters ?? []), ...(item[method].parameters ?? [])].map(resolve),
        });
      }
    }
  }
  return ops;
}

function responseFor(op, status) {
  const r = op.responses ?? {};
  const s = String(status);
  return r[s] ?? r[`${s[0]}XX`] ?? r.default;
}

const isJson = (mediaType) => /^application\/(.+\+)?json$/.test(mediaType);
const essence = (mediaType) => mediaType.split(';')[0].trim().toLowerCase();

/*
 * The heart of the test: the answer must be documented for this operation,
 * and its headers and body must match what the document says.  Returns the
 * parsed body (JSON) or text.
 */
function checkResponse(o, res, what) {
  const label = `${o.method} ${o.path} (${what})`;
  const documented = Object.keys(o.op.responses ?? {}).join(', ');
  const raw = responseFor(o.op, res.status);
  assert.ok(raw, `${label}: status ${res.status} is not documented ` +
    `(documented: ${documented}); body: ${res.text.slice(0, 300)}`);
  const response = resolve(raw);

  for (const [name, rawHeader] of Object.entries(response.headers ?? {})) {
    if (name.toLowerCase() === 'content-type')
      continue;
    const header = resolve(rawHeader);
    const value = res.headers.get(name);
    if (value === null) {
      assert.ok(!header.required, `${label}: ${res.status} lacks the required header ${name}`);
      continue;
    }
    if (header.schema)
      assertValid(header.schema, headerValue(header.schema, value), `${label}: header ${name}`);
  }

  const content = response.content ?? {};
  if (Object.keys(content).length === 0) {
    assert.equal(res.text, '', `${label}: ${res.status} is documented without a body`);
    return undefined;
  }
  const ctype = res.headers.get('content-type');
  assert.ok(ctype, `${label}: ${res.status} has a documented body but no Content-Type`);
  const mediaKey = Object.keys(content).find((k) => essence(k) === essence(ctype));
  assert.ok(mediaKey, `${label}: Content-Type ${ctype} is not documented for ` +
    `${res.status} (documented: ${Object.keys(content).join(', ')})`);
  let body = res.text;
  if (isJson(essence(mediaKey))) {
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      assert.fail(`${label}: the body is not JSON (${err.message}): ${res.text.slice(0, 300)}`);
    }
  }
  const schema = content[mediaKey].schema;
  if (schema)
    assertValid(schema, body, `${label}: ${res.status} ${mediaKey} body`);
  return body;
}

function exampleOf(thing) {
  if (thing === undefined || thing === null)
    return undefined;
  if ('example' in thing)
    return thing.example;
  if (thing.examples) {
    const first = Object.values(thing.examples)[0];
    if (first !== undefined)
      return resolve(first).value;
  }
  const schema = resolve(thing.schema ?? (thing.type ? thing : undefined));
  if (schema && schema !== thing)
    return exampleOf(schema);
  if (schema?.enum)
    return schema.enum[0];
  return schema?.default;
}

function bodyExamples(media) {
  const out = [];
  if ('example' in media)
    out.push(['example', media.example]);
  for (const [name, ex] of Object.entries(media.examples ?? {}))
    out.push([name, resolve(ex).value]);
  if (out.length === 0 && media.schema) {
    const ex = exampleOf(resolve(media.schema));
    if (ex !== undefined)
      out.push(['schema example', ex]);
  }
  return out;
}

const encodeQuery = (pairs) => pairs
  .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

function fillPath(o, overrides = {}) {
  return o.path.replace(/\{([^}]+)\}/g, (_, name) => {
    let value = overrides[name];
    if (value === undefined) {
      const p = o.params.find((q) => q.in === 'path' && q.name === name);
      assert.ok(p, `${o.method} ${o.path}: path parameter {${name}} is not declared`);
      value = exampleOf(p);
      assert.ok(value !== undefined,
        `${o.method} ${o.path}: path parameter {${name}} needs an example`);
    }
    return encodeURIComponent(String(value));
  });
}

function requiredQuery(o) {
  return o.params.filter((p) => p.in === 'query' && p.required).map((p) => {
    const v = exampleOf(p);
    assert.ok(v !== undefined, `${o.method} ${o.path}: query parameter ${p.name} needs an example`);
    return [p.name, v];
  });
}

/* Headers for a request: required header parameters and a fresh request id. */
function requestHeaders(o) {
  const headers = {};
  for (const p of o.params.filter((q) => q.in === 'header')) {
    if (p.name.toLowerCase() === 'x-request-id') {
      headers[p.name] = newRequestId();
    } else if (p.required) {
      const v = exampleOf(p);
      assert.ok(v !== undefined, `${o.method} ${o.path}: header ${p.name} needs an example`);
      headers[p.name] = String(v);
    }
  }
  return headers;
}

/*
 * The response carries the server's own request id, never the one we sent
 * (that is only logged beside it), and an error body names the same id.
 */
function checkRequestId(o, headers, res, body) {
  const sent = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  const got = res.headers.get('x-request-id');
  if (got === null)
    return;
  assert.match(got, /^[0-9a-f]{32}$/, `${o.method} ${o.path}: X-Request-Id is not a server id`);
  assert.notEqual(got, sent, `${o.method} ${o.path}: the client's X-Request-Id was adopted`);
  if (body && typeof body === 'object' && body.error)
    assert.equal(body.error.request_id, got, `${o.method} ${o.path}: error.request_id differs from X-Request-Id`);
}

/* A minimal body for methods that need one to get past Content-Length checks. */
function probeInit(method) {
  return ['POST', 'PUT', 'PATCH'].includes(method)
    ? { headers: { 'content-type': 'application/json' }, body: '{}' }
    : {};
}

/* A value the schema rejects, for negative tests; undefined when none found. */
function invalidValueFor(schema, candidates) {
  return candidates.find((c) => !matches(schema, c));
}

/* ----------------------------------------------- request bodies, auth */

const FORM_TYPE = 'application/x-www-form-urlencoded';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/* A documented example as the bytes of a request body of that type. */
function encodeBody(type, value) {
  if (essence(type) === FORM_TYPE)
    return new URLSearchParams(Object.entries(value ?? {}).map(([k, v]) => [k, String(v)])).toString();
  return JSON.stringify(value);
}

const MULTIPART_TYPE = 'multipart/form-data';
// Form bodies a page on another site could send: they need Sec-Fetch-Site.
const formLike = (type) => [FORM_TYPE, MULTIPART_TYPE].includes(essence(type));

/*
 * A documented example as a request body: [Content-Type, bytes].  In a
 * multipart body a Buffer (or each Buffer of an array) is a file part.
 */
function encodeRequest(type, value) {
  if (essence(type) !== MULTIPART_TYPE)
    return [type, encodeBody(type, value)];
  const boundary = `contract${randomBytes(12).toString('hex')}`;
  const parts = [];
  let files = 0;
  for (const [name, v] of Object.entries(value ?? {})) {
    for (const item of [v].flat()) {
      const file = Buffer.isBuffer(item);
      const disposition = `form-data; name="${name}"${file ? `; filename="photo-${++files}.jpg"` : ''}`;
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
        `${file ? 'Content-Type: image/jpeg\r\n' : ''}\r\n`), file ? item : Buffer.from(String(item)), Buffer.from('\r\n'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return [`${MULTIPART_TYPE}; boundary=${boundary}`, Buffer.concat(parts)];
}

/* Path and query values arrive as strings: compare them as the schema's type. */
const asParam = (schema, value) => headerValue(schema, value);

const securityOf = (o) => o.op.security ?? spec.security ?? [];
/* Signed in or 401: every alternative names a scheme. */
const needsAuth = (o) => securityOf(o).length > 0 &&
  !securityOf(o).some((req) => Object.keys(req).length === 0);
/* Knows sessions (and so CSRF and cross-site checks), signed in or not. */
const hasSecurity = (o) => securityOf(o).length > 0;
const rolesOf = (o) => o.op['x-roles'] ?? [];

function opFor(method, path) {
  const o = operations().find((x) => x.method === method && x.path === path);
  assert.ok(o, `${method} ${path} is not documented`);
  return o;
}

/*
 * Credentials for a request: { bearer: token } or { cookie: 'name=value',
 * csrf: token or undefined }.  An account object has both once signed in.
 */
function authHeaders(auth) {
  if (!auth)
    return {};
  if (auth.bearer)
    return { authorization: `Bearer ${auth.bearer}` };
  const h = { cookie: auth.cookie };
  if (auth.csrf)
    h['x-csrf-token'] = auth.csrf;
  return h;
}
const bearerOf = (acct) => ({ bearer: acct.token });
const cookieOf = (acct, withCsrf = true) => ({ cookie: acct.cookie, csrf: withCsrf ? acct.csrf : undefined });

/*
 * One request to a documented operation; the answer is checked against the
 * document as every other answer.  Returns { res, body }.
 */
async function call(method, path, { params = {}, query, auth, type = 'application/json', body, headers = {}, what } = {}) {
  const o = opFor(method, path);
  // A form body comes from the site's own page, as a current browser says;
  // without it an anonymous form body is refused (login CSRF).
  const sameOrigin = body !== undefined && formLike(type) ? { 'sec-fetch-site': 'same-origin' } : {};
  const h = { ...requestHeaders(o), ...authHeaders(auth), ...sameOrigin, ...headers };
  let payload;
  if (body !== undefined)
    [h['content-type'], payload] = encodeRequest(type, body);
  const res = await send(method, fillPath(o, params), { query, headers: h, body: payload });
  const parsed = checkResponse(o, res, what ?? 'helper request');
  checkRequestId(o, h, res, parsed);
  return { res, body: parsed };
}

/* Like call(), and the status must be the one given. */
async function expectStatus(status, method, path, opts = {}) {
  const r = await call(method, path, opts);
  assert.equal(r.res.status, status, `${method} ${path} (${opts.what ?? 'helper request'}): ` +
    `expected ${status}, got ${r.res.status}: ${r.res.text.slice(0, 300)}`);
  return r;
}

/* ------------------------------------------- accounts made by the test */

const RUN_ID = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
let uniqueSeq = 0;
const uniqueEmail = (label) => `contract-${label}-${RUN_ID}-${++uniqueSeq}@example.org`;
const uniquePseudonym = () => `ct-${RUN_ID}-${++uniqueSeq}`;
const PASSWORD = 'contract test passphrase';
const madeAccounts = [];

function sqlId(id) {
  assert.ok(Number.isSafeInteger(id) && id > 0, `not an id: ${id}`);
  return String(id);
}

/* The database of the server under test; only for what no API offers. */
function psql(sql) {
  const url = process.env.DATABASE_URL;
  assert.ok(url, 'set DATABASE_URL to the database of the server under test ' +
    '(the test grants the admin role and stands in for mailed tokens there)');
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', url, '-c', sql],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql failed: ${r.stderr}${r.error ?? ''}`);
  return r.stdout.trim();
}

async function register(label, extra = {}) {
  const acct = { email: uniqueEmail(label), password: PASSWORD, label };
  await expectStatus(202, 'POST', '/api/v1/accounts', {
    body: { email: acct.email, password: acct.password, ...extra }, what: `register ${label}`,
  });
  return acct;
}

/* Signs in; bearer sessions fill acct.token, cookie sessions acct.cookie/csrf. */
async function signIn(acct, kind = 'bearer', { auth } = {}) {
  const { res, body } = await expectStatus(200, 'POST', '/api/v1/session', {
    body: { email: acct.email, password: acct.password, kind }, auth, what: `sign in ${acct.label} (${kind})`,
  });
  acct.id = body.account.id;
  acct.pseudonym = body.account.pseudonym;
  if (kind === 'bearer') {
    assert.equal(typeof body.token, 'string', 'a bearer sign-in returns the token');
    return { bearer: body.token, csrf: body.csrf_token, body };
  }
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  assert.match(cookie, /^(__Host-)?mw_session=[A-Za-z0-9_-]{43}$/, 'a cookie sign-in sets the session cookie');
  return { cookie, csrf: body.csrf_token, body };
}

async function newAccount(label) {
  const acct = await register(label);
  acct.token = (await signIn(acct, 'bearer')).bearer;
  madeAccounts.push(acct);
  return acct;
}

async function withCookie(acct) {
  if (!acct.cookie) {
    const s = await signIn(acct, 'cookie');
    acct.cookie = s.cookie;
    acct.csrf = s.csrf;
  }
  return acct;
}

/* The id of the session a bearer token belongs to. */
async function sessionIdOf(bearer) {
  const { body } = await expectStatus(200, 'GET', '/api/v1/me/sessions', { auth: { bearer }, what: 'own sessions' });
  const current = body.sessions.find((s) => s.current);
  assert.ok(current, 'the session of the request is marked current');
  return current.id;
}

/*
 * A token as the verification or reset mail would carry it.  Mails sit
 * sealed in the outbox; but session tokens are hashed with the same key
 * (src/lib/token.c), so the token of a fresh session, registered for the
 * purpose in the database, stands in for the link.  The helper session is
 * ended again.
 */
async function mailToken(acct, purpose) {
  assert.ok(['verify', 'reset'].includes(purpose));
  const { bearer } = await signIn(acct, 'bearer');
  const id = await sessionIdOf(bearer);
  psql(`INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at)
        SELECT token_hash, account_id, '${purpose}', now() + interval '1 hour'
        FROM sessions WHERE id = ${sqlId(id)}`);
  await expectStatus(200, 'DELETE', '/api/v1/me/sessions/{id}', { params: { id }, auth: { bearer }, what: 'end helper session' });
  return bearer;
}

/*
 * What every signed-in test needs, made once: a citizen, an admin (granted
 * in the database: only an admin can grant roles), an account to grant
 * roles to, and a department slug.
 */
let fixturesMade;
function fixtures() {
  fixturesMade ??= (async () => {
    const citizen = await newAccount('citizen');
    const admin = await newAccount('admin');
    psql(`INSERT INTO account_roles (account_id, role) VALUES (${sqlId(admin.id)}, 'admin')`);
    const target = await newAccount('target');
    const { body } = await expectStatus(200, 'GET', '/api/v1/categories', { what: 'departments' });
    assert.ok(body.categories.length > 0, 'the seed has defect categories');
    // Only verified accounts contribute ideas, comments, supports, flags.
    verify(citizen);
    // The default, pre-moderation: new ideas and comments wait for a moderator.
    await expectStatus(200, 'PUT', '/api/v1/admin/settings', {
      auth: bearerOf(admin), body: { moderation_mode: 'pre', flag_threshold: 3 }, what: 'pre-moderation',
    });
    return { citizen, admin, target, department: body.categories[0].department.slug, made: new Map() };
  })();
  return fixturesMade;
}

function verify(acct) {
  psql(`UPDATE accounts SET verified_at = now() WHERE id = ${sqlId(acct.id)}`);
  return acct;
}

/* Made once per run and key: later calls get the same promise. */
function once(fx, key, make) {
  if (!fx.made.has(key))
    fx.made.set(key, make());
  return fx.made.get(key);
}

/* A verified account holding role (staff: of the fixture department). */
function withRole(fx, role) {
  assert.ok(['moderator', 'staff', 'planner', 'board', 'admin'].includes(role), role);
  return once(fx, `role:${role}`, () => roleAccount(fx, role));
}

async function roleAccount(fx, role) {
  const acct = verify(await newAccount(role));
  const department = role === 'staff'
    ? `(SELECT id FROM departments WHERE slug = '${fx.department.replace(/[^a-z0-9-]/g, '')}')` : 'NULL';
  psql(`INSERT INTO account_roles (account_id, role, department_id)
        VALUES (${sqlId(acct.id)}, '${role}', ${department})`);
  return acct;
}

/*
 * Ideas and comments the scenarios need, submitted through the API by
 * verified authors of their own (a new one every 20 submissions, well
 * below the per-account limit), and published by the moderator.
 */
const TOKEN = `kt${RUN_ID}`; // one search word that finds this run's ideas
let ideaSeq = 0;
let author = null;
let authorUses = 0;

async function nextAuthor() {
  if (author === null || authorUses >= 20) {
    author = verify(await newAccount('author'));
    authorUses = 0;
  }
  authorUses++;
  return author;
}

async function submitIdea(extra = {}) {
  const acct = await nextAuthor();
  const { body } = await expectStatus(201, 'POST', '/api/v1/ideas', {
    auth: bearerOf(acct), what: 'submit an idea',
    body: { title: `Vertragstest ${TOKEN} Nummer ${++ideaSeq}`,
      description: 'Eine ausführliche Beschreibung für den Vertragstest der Schnittstelle.',
      field: 'mobilitaet', ...extra },
  });
  assert.equal(body.state, 'pending', 'pre-moderation: a new idea waits for a moderator');
  return { ...body, by: acct };
}

async function decide(fx, kind, ids, decision, extra = {}) {
  const mod = await withRole(fx, 'moderator');
  return expectStatus(200, 'POST', '/api/v1/moderation/decisions', {
    auth: bearerOf(mod), body: { kind, ids, decision, ...extra }, what: `${decision} ${kind} ${ids}`,
  });
}

async function publishedIdea(fx, extra = {}) {
  const idea = await submitIdea(extra);
  await decide(fx, 'idea', [idea.id], 'publish');
  return idea;
}

async function submitComment(ideaId, extra = {}) {
  const acct = await nextAuthor();
  const { body } = await expectStatus(201, 'POST', '/api/v1/ideas/{id}/comments', {
    params: { id: ideaId }, auth: bearerOf(acct), body: { body: `Ein Kommentar zum Vertragstest ${TOKEN}.`, ...extra },
    what: 'submit a comment',
  });
  return { ...body, by: acct };
}

async function publishedComment(fx, ideaId) {
  const c = await submitComment(ideaId);
  await decide(fx, 'comment', [c.id], 'publish');
  return c;
}

/* Shared: one published idea with one published comment, one pending idea. */
const sharedIdea = (fx) => once(fx, 'idea', () => publishedIdea(fx));
const sharedComment = (fx) => once(fx, 'comment', async () => publishedComment(fx, (await sharedIdea(fx)).id));
const sharedPending = (fx) => once(fx, 'pending', () => submitIdea());

const ideaState = (id) => psql(`SELECT state FROM ideas WHERE id = ${sqlId(id)}`);

/* A proposed project, made in SQL; its id. */
function proposedProject() {
  return Number(psql(`INSERT INTO projects (title_de, summary_de) VALUES ('Vertragstest-Projekt',
    'Ein Projekt für den Vertragstest.') RETURNING id`));
}

/* Scores for every active criterion, as JSON or as form fields. */
async function allScores(acct, score) {
  const { body } = await expectStatus(200, 'GET', '/api/v1/board/criteria', { auth: bearerOf(acct), what: 'criteria' });
  const active = body.criteria.filter((c) => c.active).map((c) => c.slug);
  assert.ok(active.length > 0, 'there are active criteria');
  return Object.fromEntries(active.map((slug) => [slug, score]));
}

/*
 * Surveys the scenarios need, made through the API by the fixture planner
 * from the documented example definition: a draft, or opened with the
 * given settings.
 */
const surveyExample = () =>
  spec.paths['/api/v1/surveys'].post.requestBody.content['application/json'].examples.survey.value.definition;

/* ------------------------------------------------- projects of the test */

const projectExample = () => ({ title_de: 'Vertragsprojekt', summary_de: 'Ein Steckbrief für den Vertragstest.',
  fields: ['mobilitaet'] });

async function newProject(fx) {
  const { body } = await expectStatus(201, 'POST', '/api/v1/projects', {
    auth: bearerOf(await withRole(fx, 'planner')), body: projectExample(), what: 'a project',
  });
  return body;
}

async function newCriterion(fx, id) {
  const { body } = await expectStatus(201, 'POST', '/api/v1/projects/{id}/criteria', {
    params: { id }, auth: bearerOf(await withRole(fx, 'planner')), what: 'a criterion',
    body: { name_de: 'Vertragskriterium', baseline: 0, baseline_on: '2026-01-01', target: 10, target_on: '2026-12-31' },
  });
  return body;
}

/* A project with one criterion and one measurement (on track), shared. */
function sharedProject(fx) {
  return once(fx, 'project', async () => {
    const p = await newProject(fx);
    const c = await newCriterion(fx, p.id);
    await expectStatus(201, 'POST', '/api/v1/projects/{id}/criteria/{cid}/measurements', {
      params: { id: p.id, cid: c.id }, auth: bearerOf(await withRole(fx, 'planner')),
      body: { value: 5, measured_on: '2026-03-01' }, what: 'a measurement',
    });
    return (await expectStatus(200, 'GET', '/api/v1/projects/{id}', { params: { id: p.id }, what: 'the project' })).body;
  });
}

async function selectedProject(fx) {
  const p = await newProject(fx);
  psql(`UPDATE projects SET status = 'selected', decided_at = now(), decision_reason = 'Vertragstest'
        WHERE id = ${sqlId(p.id)}`);
  return p;
}

async function surveyDraft(fx, extra = {}) {
  const planner = await withRole(fx, 'planner');
  const { body } = await expectStatus(201, 'POST', '/api/v1/surveys', {
    auth: bearerOf(planner), what: 'a survey draft',
    body: { definition: surveyExample(), ...extra },
  });
  return body;
}

async function surveyOpen(fx, extra = {}) {
  const s = await surveyDraft(fx, extra);
  await expectStatus(200, 'POST', '/api/v1/surveys/{id}/open', {
    params: { id: s.id }, auth: bearerOf(await withRole(fx, 'planner')), what: 'open the survey',
  });
  return s;
}

/* One per run: an open survey of each access mode. */
const sharedSurvey = (fx, access, extra = {}) =>
  once(fx, `survey:${access}:${JSON.stringify(extra)}`, () => surveyOpen(fx, { access, ...extra }));

after(() => {
  // Roles granted by this file go again, so no later test finds an extra
  // admin; but the last admin keeps the role
  // (sql/functions/keep_last_admin.sql) when this file runs alone on a
  // fresh database.
  const ids = madeAccounts.map((a) => a.id).filter((id) => Number.isSafeInteger(id));
  if (ids.length > 0 && process.env.DATABASE_URL) {
    const list = ids.map(sqlId).join(', ');
    psql(`DELETE FROM account_roles WHERE account_id IN (${list}) AND (role <> 'admin' OR
          EXISTS (SELECT 1 FROM account_roles r WHERE r.role = 'admin' AND r.account_id NOT IN (${list})))`);
  }
});

async function me(acct, auth = bearerOf(acct)) {
  return call('GET', '/api/v1/me', { auth, what: `who is ${acct.label}` });
}

/*
 * Defect reports the scenarios need: anonymous, each from a client
 * address of its own (the per-address submission limit is for people);
 * status changes by the admin, who may act for any department.  Photos
 * are put in the database (a 16×16 JPEG made with libjpeg): uploading is
 * tested in tests/http/defect_photos.test.mjs, serving and moderating
 * them here.
 */
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCjp6dK6XT06Vg6enSul09OlY4vL/I9PHT3P//Z', 'base64');
const otherIp = () => `10.${[1, 2, 3].map(() => 1 + Math.floor(Math.random() * 250)).join('.')}`;
const defectBody = (extra = {}) => ({ category: 'strassenschaden', lat: 52.2645, lon: 10.5236,
  description: `Vertragstest ${TOKEN}: ein tiefes Schlagloch auf der Fahrbahn.`, ...extra });
const defectCount = () => Number(psql('SELECT count(*) FROM defect_reports'));

/* { defect, status_token, status_url } */
async function newDefect(extra = {}) {
  const { body } = await expectStatus(201, 'POST', '/api/v1/defects', {
    body: defectBody(extra), headers: { 'x-forwarded-for': otherIp() }, what: 'a defect report',
  });
  return body;
}

async function defectStatus(fx, id, status, extra = {}) {
  return expectStatus(200, 'POST', '/api/v1/defects/{id}/status', {
    params: { id }, auth: bearerOf(fx.admin), what: `${status} report ${id}`,
    body: { status, note: 'Eine öffentliche Notiz zum Vertragstest.', ...extra },
  });
}

/* A photo of the report at the next position; its id. */
function defectPhoto(reportId, state) {
  const hex = JPEG.toString('hex');
  return Number(psql(`INSERT INTO defect_photos (report_id, position, state, image, thumb, width, height,
      thumb_width, thumb_height) SELECT ${sqlId(reportId)}, coalesce(max(position), 0) + 1, '${state}',
      decode('${hex}', 'hex'), decode('${hex}', 'hex'), 16, 16, 16, 16
      FROM defect_photos WHERE report_id = ${sqlId(reportId)} RETURNING id`).split('\n')[0]);
}

/* A category routed to another department than the fixture staff's. */
const foreignCategory = (fx) => psql(`SELECT c.code FROM defect_categories c JOIN departments d
  ON d.id = c.department_id WHERE c.active AND d.slug <> '${fx.department.replace(/[^a-z0-9-]/g, '')}'
  ORDER BY c.id LIMIT 1`);

const sharedDefect = (fx) => once(fx, 'defect', () => newDefect({ email: uniqueEmail('melder') }));

/* A report of the fixture citizen, signed in. */
async function citizenDefect(fx) {
  const { body } = await expectStatus(201, 'POST', '/api/v1/defects', {
    auth: bearerOf(fx.citizen), body: defectBody(), what: 'the citizen\'s report',
  });
  return body;
}

/*
 * One statistics document agrees with itself: a month list as long as
 * every series; a suppressed cell has no number; a period total is shown
 * only as the sum of its shown month cells (the disclosure rule), and a
 * suppressed one carries as `at_least` the sum of its shown month cells,
 * no more; month cells are never lower bounds; the small multiples have
 * a cell per month and field.
 */
const shownSum = (cells) => cells.reduce((a, c) => a + (c.suppressed ? 0 : c.n ?? 0), 0);
function checkPeriodTotal(total, cells, what) {
  if (!total) return;
  assert.equal(total.suppressed, cells.some((c) => c.suppressed), `${what}: withheld exactly when a month is`);
  if (total.suppressed) {
    assert.equal(total.n, null, `${what}: a withheld total has no number`);
    assert.equal(total.at_least, shownSum(cells), `${what}: at least the sum of the shown months`);
  } else {
    assert.equal(total.n, shownSum(cells), `${what}: the total is the months' sum`);
    assert.equal('at_least' in total, false, `${what}: a shown total is no lower bound`);
  }
}


function checkStatsDocument(body) {
  const nm = body.months.length;
  assert.ok(nm >= 1 && nm <= 120);
  for (const [metric, cells] of Object.entries(body.series)) {
    assert.equal(cells.length, nm, metric);
    assert.deepEqual(cells.map((c) => c.month), body.months);
    for (const c of cells) {
      assert.ok(!c.suppressed || c.n === null, `${metric} ${c.month}: a suppressed cell has no number`);
      assert.equal('at_least' in c, false, `${metric} ${c.month}: a month cell is no lower bound`);
    }
    checkPeriodTotal(body.totals[metric], cells, metric);
  }
  for (const f of body.by_field_series) {
    for (const metric of ['ideas_submitted', 'defect_reports']) {
      assert.equal(f.series[metric].length, nm, `${f.slug} ${metric}`);
      checkPeriodTotal(body.by_field.find((x) => x.slug === f.slug).counts[metric], f.series[metric],
        `${f.slug} ${metric}: the field's total and its small multiple`);
    }
  }
}

/* The CSV parsed back (RFC 4180, no quoting needed here): its lines as objects. */
function checkStatsCsv(text) {
  const lines = text.split('\r\n');
  assert.equal(lines.pop(), '', 'CRLF after the last line');
  const head = lines.shift().split(',');
  assert.deepEqual(head, ['section', 'metric', 'period', 'field', 'district', 'channel', 'category', 'value', 'suppressed',
    'at_least']);
  return lines.map((l) => {
    const cols = l.split(',');
    assert.equal(cols.length, head.length, l);
    assert.match(cols[8], /^[01]$/, l);
    assert.ok(cols[8] === '1' ? cols[7] === '' : /^\d+(\.\d+)?$/.test(cols[7]), l);
    assert.ok(cols[9] === '' || (cols[8] === '1' && /^\d+$/.test(cols[9])), `${l}: a lower bound only where withheld`);
    return Object.fromEntries(head.map((h, i) => [h, cols[i]]));
  });
}

/*
 * How to call each operation as a client that did everything right, where
 * the documented examples alone cannot (unique addresses, real tokens and
 * ids).  principal: the account for the operation's requests (default: the
 * citizen, or the admin for x-roles admin).  params: path values for all
 * its requests.  happy({ name, type, value }): the example request → what
 * to change ({ params, body, auth }) and check(res, body) afterwards.
 * extra(t): further cases.
 */
const SCENARIOS = {
  // Districts are never deleted: each run adds its own, with a free place,
  // no official number (they are unique) and retired, so forms and the
  // taxonomy tests still see Braunschweig's twelve.
  createDistrict: {
    happy: ({ value }) => ({ body: { ...value, slug: `vertrag-${RUN_ID}`.toLowerCase().replace(/[^a-z0-9-]/g, ''),
      position: undefined, number: undefined, active: false } }),
  },
  putDistrict: {
    params: (fx) => once(fx, 'district', async () => {
      const slug = `vertrag-put-${RUN_ID}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
      await expectStatus(201, 'POST', '/api/v1/admin/districts', {
        auth: bearerOf(fx.admin), body: { slug, name: 'Vertragsbezirk', active: false }, what: 'a district to change',
      });
      return { slug };
    }),
    happy: ({ value }) => ({ body: { name: value.name, number: '', active: value.active } }),
  },
  revokeOpen311Key: {
    // A key of its own to revoke, issued by the fixture admin.
    params: (fx) => once(fx, 'open311Key', async () => {
      const { body } = await expectStatus(201, 'POST', '/api/v1/admin/open311-keys', {
        auth: bearerOf(fx.admin), body: { name: `Vertragstest ${TOKEN}` }, what: 'a key to revoke',
      });
      return { id: body.id };
    }),
  },

  putSiteLogo: {
    // A JPEG in the part "logo"; removed again, other tests expect none.
    happy: (_, fx) => ({
      body: { logo: [JPEG] },
      async check(res, body) {
        assert.match(body.logo, /^\/assets\/logo\?v=\d+$/);
        await expectStatus(200, 'DELETE', '/api/v1/admin/site/logo', { auth: bearerOf(fx.admin), what: 'logo removed' });
      },
    }),
  },

  putSiteText: {
    // The example changes the English sign-language text: put it back.
    happy: ({ value }, fx) => ({
      body: value,
      async check(res, body) {
        assert.equal(body.key, 'gebaerdensprache');
        assert.equal(body.texts.en.body, value.en);
        assert.ok(body.texts.de.body.length > 0, 'the German text stays');
      },
    }),
  },

  putCategoryRouting: {
    // Back to its department afterwards: other tests route by it.
    happy: ({ value }, fx) => ({
      body: value,
      async check(res, body) {
        assert.equal(body.code, 'spielplatz');
        await expectStatus(200, 'PUT', '/api/v1/admin/categories/{code}', {
          params: { code: 'spielplatz' }, auth: bearerOf(fx.admin), what: 'routing restored',
          body: { department: 'stadtgruen', ack_days: 2, resolve_days: 14 },
        });
      },
    }),
  },

  exportSurveyResponses: {
    // A survey with one response, made in the database (the export only reads).
    params: (fx) => once(fx, 'survey', () => {
      const def = JSON.stringify({ pages: [{ name: 'p', elements: [{ type: 'checkbox', name: 'verkehr',
        choices: ['bus', 'rad'] }] }] });
      const id = psql(`INSERT INTO surveys (title, definition) VALUES ('Vertragstest', '${def}') RETURNING id`)
        .split('\n')[0];
      psql(`INSERT INTO survey_responses (survey_id, respondent, answers)
            VALUES (${id}, decode(repeat('ab', 32), 'hex'), '{"verkehr": ["bus"]}')`);
      return { id: Number(id) };
    }),
  },

  registerAccount: {
    happy: ({ value }) => ({
      body: { ...value, email: uniqueEmail('register'),
        ...('pseudonym' in value ? { pseudonym: uniquePseudonym() } : {}) },
    }),
    async extra(t, fx) {
      await t.test('an address that already has an account gets the same 202', async () => {
        const r = await expectStatus(202, 'POST', '/api/v1/accounts', {
          body: { email: fx.citizen.email, password: 'another contract passphrase' }, what: 'known address',
        });
        assert.deepEqual(r.body, { status: 'verification_sent' });
      });
      await t.test('a pseudonym that is taken gets the same 202 (no account oracle)', async () => {
        const r = await expectStatus(202, 'POST', '/api/v1/accounts', {
          body: { email: uniqueEmail('taken'), password: PASSWORD, pseudonym: fx.admin.pseudonym }, what: 'taken pseudonym',
        });
        assert.deepEqual(r.body, { status: 'verification_sent' });
      });
      await t.test('invalid fields are 422, each named', async () => {
        const r = await expectStatus(422, 'POST', '/api/v1/accounts', {
          body: { email: 'not-an-address', password: 'short', pseudonym: 'Not Valid' }, what: 'invalid fields',
        });
        assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['email', 'password', 'pseudonym']);
      });
    },
  },

  verifyAccount: {
    async happy({ value }, fx) {
      const acct = await newAccount('verify');
      const token = await mailToken(acct, 'verify');
      return {
        body: { ...value, token },
        async check() {
          assert.equal((await me(acct)).body.verified, true, 'the account counts as verified');
          const again = await expectStatus(422, 'POST', '/api/v1/accounts/verify', { body: { token }, what: 'used token' });
          assert.ok(again.body.error.fields.token, 'a token works once');
        },
      };
    },
  },

  createSession: {
    happy: ({ value }, fx) => ({
      body: { ...value, email: fx.citizen.email, password: fx.citizen.password },
      check(res, body) {
        assert.equal(body.account.id, fx.citizen.id);
        if ((value.kind ?? 'cookie') === 'bearer') {
          assert.equal(typeof body.token, 'string', 'bearer: the token is in the answer');
          assert.equal(res.headers.get('set-cookie'), null, 'bearer: no cookie');
        } else {
          assert.equal(body.token, undefined, 'cookie: no token in the answer');
          assert.match(res.headers.get('set-cookie') ?? '', /^(__Host-)?mw_session=/, 'cookie: Set-Cookie');
        }
      },
    }),
    async extra(t, fx) {
      await t.test('a wrong password and an unknown address are the same 401 invalid_credentials', async () => {
        for (const email of [fx.citizen.email, uniqueEmail('nobody')]) {
          const r = await expectStatus(401, 'POST', '/api/v1/session', {
            body: { email, password: 'not the contract passphrase', kind: 'bearer' }, what: 'wrong credentials',
          });
          assert.equal(r.body.error.code, 'invalid_credentials');
        }
      });
      await t.test('the session presented with a sign-in is ended', async () => {
        const old = await signIn(fx.citizen, 'bearer');
        const fresh = await signIn(fx.citizen, 'bearer', { auth: { bearer: old.bearer } });
        assert.notEqual(fresh.bearer, old.bearer);
        await expectStatus(401, 'GET', '/api/v1/me', { auth: { bearer: old.bearer }, what: 'old token' });
        await expectStatus(200, 'GET', '/api/v1/me', { auth: { bearer: fresh.bearer }, what: 'new token' });
      });
      await t.test('too many failed sign-ins of an address are 429 with Retry-After', async () => {
        // The failure count of one address of our own, set in the database:
        // failing for real would also count against the client address,
        // which every test file shares.
        const acct = await newAccount('limited');
        const key = `'a:' || encode(email_lookup, 'hex')`;
        psql(`INSERT INTO login_failures (key, failures) SELECT ${key}, 100000 FROM accounts
              WHERE id = ${sqlId(acct.id)} ON CONFLICT (key) DO UPDATE SET failures = 100000, window_start = now()`);
        try {
          const r = await expectStatus(429, 'POST', '/api/v1/session', {
            body: { email: acct.email, password: acct.password, kind: 'bearer' }, what: 'rate limited',
          });
          assert.equal(r.body.error.code, 'too_many_requests');
        } finally {
          psql(`DELETE FROM login_failures WHERE key = (SELECT ${key} FROM accounts WHERE id = ${sqlId(acct.id)})`);
        }
      });
    },
  },

  deleteSession: {
    principal: () => newAccount('logout'),
    async happy(_, fx, acct) {
      const { bearer } = await signIn(acct, 'bearer');
      return {
        auth: { bearer },
        async check() {
          await expectStatus(401, 'GET', '/api/v1/me', { auth: { bearer }, what: 'ended token' });
          await expectStatus(200, 'GET', '/api/v1/me', { auth: bearerOf(acct), what: 'other session' });
        },
      };
    },
    async extra(t, fx, acct) {
      await t.test('a cookie session also gets its cookie deleted', async () => {
        const s = await signIn(acct, 'cookie');
        const r = await expectStatus(204, 'DELETE', '/api/v1/session', { auth: { cookie: s.cookie, csrf: s.csrf }, what: 'cookie sign-out' });
        assert.match(r.res.headers.get('set-cookie') ?? '', /^(__Host-)?mw_session=; .*Max-Age=0/);
      });
    },
  },

  requestPasswordReset: {
    happy: ({ value }) => ({ body: { ...value, email: uniqueEmail('reset-unknown') } }),
    async extra(t, fx) {
      await t.test('a registered address gets the same 202', async () => {
        const r = await expectStatus(202, 'POST', '/api/v1/password-reset', { body: { email: fx.citizen.email }, what: 'known address' });
        assert.deepEqual(r.body, { status: 'reset_sent' });
      });
    },
  },

  confirmPasswordReset: {
    async happy({ value }) {
      const acct = await newAccount('reset');
      const token = await mailToken(acct, 'reset');
      const password = `${PASSWORD} renewed`;
      return {
        body: { ...value, token, password },
        async check() {
          await expectStatus(401, 'GET', '/api/v1/me', { auth: bearerOf(acct), what: 'session before the reset' });
          const again = await expectStatus(422, 'POST', '/api/v1/password-reset/confirm', {
            body: { token, password }, what: 'used token',
          });
          assert.ok(again.body.error.fields.token, 'a token works once');
          acct.password = password;
          const s = await signIn(acct, 'bearer');
          assert.equal(s.body.account.verified, true, 'a reset confirms the address');
        },
      };
    },
  },

  getMe: {
    happy: (_, fx) => ({
      check(res, body) {
        assert.equal(body.id, fx.citizen.id);
        assert.equal(body.csrf_token, '', 'bearer sessions need no CSRF token');
      },
    }),
    async extra(t, fx) {
      await t.test('a cookie session sees its CSRF token', async () => {
        await withCookie(fx.citizen);
        const { body } = await expectStatus(200, 'GET', '/api/v1/me', { auth: cookieOf(fx.citizen, false), what: 'cookie session' });
        assert.equal(body.csrf_token, fx.citizen.csrf);
      });
    },
  },

  updateMe: {
    happy: ({ value }, fx) => {
      const pseudonym = uniquePseudonym();
      return {
        body: { ...value, pseudonym },
        async check(res, body) {
          assert.equal(body.pseudonym, pseudonym);
          fx.citizen.pseudonym = pseudonym;
          assert.equal((await me(fx.citizen)).body.pseudonym, pseudonym);
        },
      };
    },
    async extra(t, fx) {
      await t.test('a pseudonym that is taken is 409 naming pseudonym', async () => {
        const r = await expectStatus(409, 'PATCH', '/api/v1/me', {
          auth: bearerOf(fx.citizen), body: { pseudonym: fx.admin.pseudonym }, what: 'taken pseudonym',
        });
        assert.ok(r.body.error.fields.pseudonym);
      });
      await t.test('the age band: set, cleared with null, 422 naming age_band for any other value', async () => {
        let r = await expectStatus(200, 'PATCH', '/api/v1/me', {
          auth: bearerOf(fx.citizen), body: { age_band: '65-79' }, what: 'age band set',
        });
        assert.equal(r.body.age_band, '65-79');
        assert.equal((await me(fx.citizen)).body.age_band, '65-79');
        r = await expectStatus(200, 'PATCH', '/api/v1/me', {
          auth: bearerOf(fx.citizen), body: { age_band: null }, what: 'age band cleared',
        });
        assert.equal(r.body.age_band, null);
        r = await expectStatus(422, 'PATCH', '/api/v1/me', {
          auth: bearerOf(fx.citizen), body: { age_band: 'ueber-80' }, what: 'unknown age band',
        });
        assert.ok(r.body.error.fields.age_band);
      });
      await t.test('a cookie session changes it with X-CSRF-Token or the form field csrf_token', async () => {
        await withCookie(fx.citizen);
        await expectStatus(200, 'PATCH', '/api/v1/me', {
          auth: cookieOf(fx.citizen), body: { pseudonym: uniquePseudonym() }, what: 'cookie + X-CSRF-Token',
        });
        await expectStatus(200, 'PATCH', '/api/v1/me', {
          auth: cookieOf(fx.citizen, false), type: FORM_TYPE,
          body: { pseudonym: uniquePseudonym(), csrf_token: fx.citizen.csrf }, what: 'cookie + form csrf_token',
        });
      });
    },
  },

  eraseMe: {
    principal: () => newAccount('erase-probe'),
    async happy() {
      const acct = await newAccount('erase');
      return {
        auth: bearerOf(acct),
        async check() {
          await expectStatus(401, 'GET', '/api/v1/me', { auth: bearerOf(acct), what: 'session of the erased account' });
          await expectStatus(401, 'POST', '/api/v1/session', {
            body: { email: acct.email, password: acct.password, kind: 'bearer' }, what: 'sign-in of the erased account',
          });
        },
      };
    },
  },

  exportMe: {
    happy: (_, fx) => ({
      check(res, body) {
        assert.equal(body.account.id, fx.citizen.id);
        assert.equal(body.account.email, fx.citizen.email, 'the export holds the address');
      },
    }),
  },

  listMySessions: {
    happy: () => ({ check: (res, body) => assert.equal(body.sessions.filter((s) => s.current).length, 1) }),
  },

  getNotifications: {
    happy: () => ({
      check: (res, body) => assert.deepEqual(Object.keys(body).sort(),
        ['comment_reply', 'defect_status', 'idea_decision', 'idea_status', 'lang']),
    }),
  },

  updateNotifications: {
    // The example switches only what it names; the answer is what is stored.
    happy: (example, fx) => ({
      async check(res, body) {
        const { body: now } = await expectStatus(200, 'GET', '/api/v1/me/notifications', {
          auth: bearerOf(fx.citizen), what: 'switches after PATCH',
        });
        assert.deepEqual(now, body);
      },
    }),
    async extra(t, fx) {
      await t.test('a switch that is not a boolean, another language, an unknown kind: 422 naming it', async () => {
        const before = (await expectStatus(200, 'GET', '/api/v1/me/notifications', {
          auth: bearerOf(fx.citizen), what: 'switches before' })).body;
        for (const [body, field] of [[{ idea_status: 'no' }, 'idea_status'], [{ lang: 'fr' }, 'lang'],
          [{ newsletter: true }, 'newsletter'], [{ comment_reply: false, defect_status: 1 }, 'defect_status']]) {
          const r = await expectStatus(422, 'PATCH', '/api/v1/me/notifications', {
            auth: bearerOf(fx.citizen), body, what: `bad ${field}`,
          });
          assert.ok(r.body.error.fields[field], field);
        }
        const after = (await expectStatus(200, 'GET', '/api/v1/me/notifications', {
          auth: bearerOf(fx.citizen), what: 'switches after' })).body;
        assert.deepEqual(after, before, 'nothing half-written');
      });
    },
  },

  deleteMySessions: {
    principal: () => newAccount('everywhere-probe'),
    async happy() {
      const acct = await newAccount('everywhere');
      const other = await signIn(acct, 'bearer');
      return {
        auth: bearerOf(acct),
        async check() {
          for (const bearer of [acct.token, other.bearer])
            await expectStatus(401, 'GET', '/api/v1/me', { auth: { bearer }, what: 'ended session' });
        },
      };
    },
  },

  deleteMySession: {
    async happy(_, fx) {
      const other = await signIn(fx.citizen, 'bearer');
      const id = await sessionIdOf(other.bearer);
      return {
        params: { id },
        async check(res, body) {
          assert.equal(body.id, id);
          await expectStatus(401, 'GET', '/api/v1/me', { auth: { bearer: other.bearer }, what: 'ended session' });
          await expectStatus(200, 'GET', '/api/v1/me', { auth: bearerOf(fx.citizen), what: 'this session' });
        },
      };
    },
    async extra(t, fx) {
      await t.test("another account's session is not found", async () => {
        const id = await sessionIdOf(fx.admin.token);
        await expectStatus(404, 'DELETE', '/api/v1/me/sessions/{id}', { params: { id }, auth: bearerOf(fx.citizen), what: 'foreign session' });
        await expectStatus(200, 'GET', '/api/v1/me', { auth: bearerOf(fx.admin), what: 'the foreign session lives' });
      });
    },
  },

  listAccounts: {
    async extra(t, fx) {
      await t.test('after and limit page through the accounts', async () => {
        const first = await expectStatus(200, 'GET', '/api/v1/admin/accounts', { query: 'limit=1', auth: bearerOf(fx.admin), what: 'first page' });
        assert.equal(first.body.accounts.length, 1);
        const next = await expectStatus(200, 'GET', '/api/v1/admin/accounts', {
          query: `after=${first.body.accounts[0].id}&limit=2`, auth: bearerOf(fx.admin), what: 'next page',
        });
        assert.ok(next.body.accounts.every((a) => a.id > first.body.accounts[0].id));
      });
      await t.test('role=admin lists the admin', async () => {
        const { body } = await expectStatus(200, 'GET', '/api/v1/admin/accounts', {
          query: `role=admin&after=${fx.admin.id - 1}&limit=1`, auth: bearerOf(fx.admin), what: 'admins',
        });
        assert.deepEqual(body.accounts.map((a) => a.id), [fx.admin.id]);
        assert.deepEqual(body.accounts[0].roles, [{ role: 'admin', department: null }]);
      });
    },
  },

  grantRole: {
    params: (fx) => ({ id: fx.target.id }),
    happy: ({ name, value }, fx) => {
      const role = name === 'other' ? 'moderator' : 'staff';
      const department = role === 'staff' ? fx.department : null;
      return {
        params: { role },
        body: role === 'staff' ? { ...value, department } : value,
        async check(res, body) {
          assert.deepEqual(body, { account_id: fx.target.id, role, department });
          const { body: list } = await expectStatus(200, 'GET', '/api/v1/admin/accounts', {
            query: `role=${role}&after=${fx.target.id - 1}&limit=1`, auth: bearerOf(fx.admin), what: 'granted role listed',
          });
          assert.deepEqual(list.accounts[0]?.roles.find((r) => r.role === role), { role, department });
          assert.ok((await me(fx.target)).body.roles.includes(role), 'the account holds the role at once');
        },
      };
    },
    async extra(t, fx) {
      await t.test('staff without a department is 422 naming department', async () => {
        const r = await expectStatus(422, 'PUT', '/api/v1/admin/accounts/{id}/roles/{role}', {
          params: { id: fx.target.id, role: 'staff' }, auth: bearerOf(fx.admin), body: {}, what: 'staff without department',
        });
        assert.ok(r.body.error.fields.department);
      });
      await t.test('a role without department may come without a body', async () => {
        const r = await expectStatus(200, 'PUT', '/api/v1/admin/accounts/{id}/roles/{role}', {
          params: { id: fx.target.id, role: 'board' }, auth: bearerOf(fx.admin), what: 'no body, no Content-Type',
        });
        assert.deepEqual(r.body, { account_id: fx.target.id, role: 'board', department: null });
      });
    },
  },

  revokeRole: {
    params: (fx) => ({ id: fx.target.id, role: 'staff' }),
    async happy(_, fx) {
      await expectStatus(200, 'PUT', '/api/v1/admin/accounts/{id}/roles/{role}', {
        params: { id: fx.target.id, role: 'staff' }, auth: bearerOf(fx.admin), body: { department: fx.department }, what: 'grant first',
      });
      return {
        async check() {
          assert.ok(!(await me(fx.target)).body.roles.includes('staff'), 'the role is gone at once');
          await expectStatus(404, 'DELETE', '/api/v1/admin/accounts/{id}/roles/{role}', {
            params: { id: fx.target.id, role: 'staff' }, auth: bearerOf(fx.admin), what: 'role no longer held',
          });
        },
      };
    },
    async extra(t, fx) {
      await t.test('the last administrator keeps the role (409 last_admin)', async () => {
        // Other files' admins step aside for the moment (test files run one
        // at a time) and come back exactly as they were.
        const id = sqlId(fx.admin.id);
        const others = psql(`SELECT coalesce(json_agg(r), '[]') FROM account_roles r
                             WHERE role = 'admin' AND account_id <> ${id}`);
        psql(`DELETE FROM account_roles WHERE role = 'admin' AND account_id <> ${id}`);
        try {
          const { body } = await expectStatus(200, 'GET', '/api/v1/admin/accounts', {
            query: 'role=admin', auth: bearerOf(fx.admin), what: 'admins',
          });
          assert.deepEqual(body.accounts.map((a) => a.id), [fx.admin.id]);
          const r = await expectStatus(409, 'DELETE', '/api/v1/admin/accounts/{id}/roles/{role}', {
            params: { id: fx.admin.id, role: 'admin' }, auth: bearerOf(fx.admin), what: 'last admin',
          });
          assert.equal(r.body.error.code, 'last_admin');
        } finally {
          psql(`INSERT INTO account_roles SELECT * FROM
                json_populate_recordset(null::account_roles, '${others.replace(/'/g, "''")}')`);
        }
        const restored = await expectStatus(200, 'GET', '/api/v1/admin/accounts', {
          query: 'role=admin&limit=200', auth: bearerOf(fx.admin), what: 'admins restored',
        });
        assert.equal(restored.body.accounts.length, JSON.parse(others).length + 1);
      });
    },
  },

  /* ---------------------------------------------------------- surveys */

  getSurvey: {
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'account')).id }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.status, 'open');
        assert.equal(body.responses, undefined, 'response counts are for planners');
      },
    }),
    async extra(t, fx) {
      await t.test('a draft is there only for planners', async () => {
        const d = await surveyDraft(fx);
        await expectStatus(404, 'GET', '/api/v1/surveys/{id}', { params: { id: d.id }, what: 'draft, anonymous' });
        await expectStatus(404, 'GET', '/api/v1/surveys/{id}', { params: { id: d.id }, auth: bearerOf(fx.citizen), what: 'draft, citizen' });
        await expectStatus(200, 'GET', '/api/v1/surveys/{id}', { params: { id: d.id },
          auth: bearerOf(await withRole(fx, 'planner')), what: 'draft, planner' });
      });
    },
  },

  updateSurvey: {
    params: async (fx) => ({ id: (await once(fx, 'survey:update', () => surveyDraft(fx))).id }),
  },

  copySurvey: {
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'account')).id }),
    happy: () => ({ check: (res, body) => assert.equal(body.status, 'draft') }),
  },

  openSurvey: {
    params: async (fx) => ({ id: (await once(fx, 'survey:open', () => surveyDraft(fx))).id }),
    happy: async (_, fx) => ({ params: { id: (await surveyDraft(fx)).id } }),
  },

  closeSurvey: {
    params: async (fx) => ({ id: (await once(fx, 'survey:close', () => surveyOpen(fx))).id }),
    happy: async (_, fx) => ({ params: { id: (await surveyOpen(fx)).id } }),
  },

  submitSurveyResponse: {
    // Anonymous, to a survey open to every browser: each request without
    // the cookie is a respondent of its own.
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'open')).id }),
    happy: () => ({ check: (res, body) => assert.equal(body.channel, 'online') }),
  },

  getSurveyDraft: {
    params: async (fx) => {
      const s = await sharedSurvey(fx, 'account');
      await expectStatus(200, 'PUT', '/api/v1/surveys/{id}/draft', { params: { id: s.id }, auth: bearerOf(fx.citizen),
        body: { answers: { mode: 'bus' } }, what: 'save a draft' });
      return { id: s.id };
    },
  },

  putSurveyDraft: {
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'account')).id }),
  },

  deleteSurveyDraft: {
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'account')).id }),
    async happy(_, fx, acct) {
      const { id } = await sharedSurvey(fx, 'account');
      await expectStatus(200, 'PUT', '/api/v1/surveys/{id}/draft', { params: { id }, auth: bearerOf(acct),
        body: { answers: { mode: 'bus' } }, what: 'save a draft first' });
      return {};
    },
  },

  createSurveyCodes: {
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'codes')).id }),
  },

  getSurveyResults: {
    params: async (fx) => ({ id: (await sharedSurvey(fx, 'open', { results_public: true })).id }),
  },

  /* ------------------------------------------------ project registry */

  getProject: {
    params: async (fx) => ({ id: (await sharedProject(fx)).id }),
    happy: () => ({ check: (res, body) => assert.equal(body.criteria[0].progress.verdict, 'on_track') }),
  },

  updateProject: {
    // The example's version is 1: a new project per request.
    params: async (fx) => ({ id: (await sharedProject(fx)).id }),
    happy: async (_, fx) => ({ params: { id: (await newProject(fx)).id },
      check: (res, body) => assert.equal(body.version, 2) }),
    async extra(t, fx) {
      await t.test('a stale version is 409 version_conflict', async () => {
        const p = await newProject(fx);
        await expectStatus(200, 'PUT', '/api/v1/projects/{id}', { params: { id: p.id },
          auth: bearerOf(await withRole(fx, 'planner')), body: { ...projectExample(), version: 1 }, what: 'first save' });
        const r = await expectStatus(409, 'PUT', '/api/v1/projects/{id}', { params: { id: p.id },
          auth: bearerOf(await withRole(fx, 'planner')), body: { ...projectExample(), version: 1 }, what: 'stale save' });
        assert.equal(r.body.error.code, 'version_conflict');
      });
    },
  },

  setProjectStatus: {
    // A selected project per request (the board's decision, set here).
    params: async (fx) => ({ id: (await sharedProject(fx)).id }),
    happy: async (_, fx) => ({ params: { id: (await selectedProject(fx)).id },
      check: (res, body) => assert.equal(body.status, 'in_implementation') }),
    async extra(t, fx) {
      await t.test('a proposed project cannot be moved on: 409 illegal_transition', async () => {
        const r = await expectStatus(409, 'POST', '/api/v1/projects/{id}/status', { params: { id: (await newProject(fx)).id },
          auth: bearerOf(await withRole(fx, 'planner')), body: { status: 'completed', note: 'Zu früh.' }, what: 'too early' });
        assert.equal(r.body.error.code, 'illegal_transition');
      });
    },
  },

  listProjectCriteria: {
    params: async (fx) => ({ id: (await sharedProject(fx)).id }),
  },

  createProjectCriterion: {
    params: async (fx) => ({ id: (await sharedProject(fx)).id }),
  },

  updateProjectCriterion: {
    params: async (fx) => {
      const p = await sharedProject(fx);
      return { id: p.id, cid: p.criteria[0].id };
    },
  },

  deleteProjectCriterion: {
    params: async (fx) => {
      const p = await sharedProject(fx);
      return { id: p.id, cid: p.criteria[0].id };
    },
    happy: async (_, fx) => {
      const p = await sharedProject(fx);
      return { params: { id: p.id, cid: (await newCriterion(fx, p.id)).id } };
    },
  },

  addProjectMeasurement: {
    // One value per date: a new criterion per request.
    params: async (fx) => {
      const p = await sharedProject(fx);
      return { id: p.id, cid: p.criteria[0].id };
    },
    happy: async (_, fx) => {
      const p = await sharedProject(fx);
      return { params: { id: p.id, cid: (await newCriterion(fx, p.id)).id } };
    },
    async extra(t, fx) {
      await t.test('a second value on the same date is 409 duplicate', async () => {
        const p = await sharedProject(fx);
        const r = await expectStatus(409, 'POST', '/api/v1/projects/{id}/criteria/{cid}/measurements', {
          params: { id: p.id, cid: p.criteria[0].id }, auth: bearerOf(await withRole(fx, 'planner')),
          body: { value: 1, measured_on: '2026-03-01' }, what: 'same date',
        });
        assert.equal(r.body.error.code, 'duplicate');
      });
    },
  },

  deleteProjectMeasurement: {
    params: async (fx) => {
      const p = await sharedProject(fx);
      return { id: p.id, cid: p.criteria[0].id, mid: p.criteria[0].series[0].id };
    },
    happy: async (_, fx) => {
      const p = await sharedProject(fx);
      const c = await newCriterion(fx, p.id);
      const { body } = await expectStatus(201, 'POST', '/api/v1/projects/{id}/criteria/{cid}/measurements', {
        params: { id: p.id, cid: c.id }, auth: bearerOf(await withRole(fx, 'planner')),
        body: { value: 2, measured_on: '2026-02-01' }, what: 'a measurement to remove',
      });
      return { params: { id: p.id, cid: c.id, mid: body.id } };
    },
  },

  /* ------------------------------------------------------ statistics */

  getStatsDashboard: {
    // The default view; one document, so its parts must agree.
    happy: () => ({ check: (res, body) => checkStatsDocument(body) }),
    async extra(t, fx) {
      await t.test('the internal view: 401 anonymously, 403 for a citizen, internal true for a planner', async () => {
        const anon = await expectStatus(401, 'GET', '/api/v1/stats/dashboard', { query: 'internal=1', auth: null, what: 'anonymous' });
        assert.ok(anon.body.error.fields.internal);
        const citizen = await expectStatus(403, 'GET', '/api/v1/stats/dashboard', {
          query: 'internal=1', auth: bearerOf(fx.citizen), what: 'citizen' });
        assert.ok(citizen.body.error.fields.internal);
        const { body } = await expectStatus(200, 'GET', '/api/v1/stats/dashboard', {
          query: 'internal=1', auth: bearerOf(await withRole(fx, 'planner')), what: 'planner' });
        assert.equal(body.internal, true);
        checkStatsDocument(body);
      });
      await t.test('a field and a district filter name themselves; unknown ones are 422 by name', async () => {
        const { body } = await expectStatus(200, 'GET', '/api/v1/stats/dashboard', {
          query: 'field=mobilitaet&from=2025-01&to=2025-12', what: 'one field' });
        assert.equal(body.filters.field.slug, 'mobilitaet');
        assert.equal(body.by_channel, null, 'no channel cells inside a field');
        checkStatsDocument(body);
        const r = await expectStatus(422, 'GET', '/api/v1/stats/dashboard', {
          query: 'field=kein-feld&district=kein-bezirk', what: 'unknown names' });
        assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['district', 'field']);
        const range = await expectStatus(422, 'GET', '/api/v1/stats/dashboard', {
          query: 'from=2025-06&to=2025-01', what: 'to before from' });
        assert.ok(range.body.error.fields.to);
      });
    },
  },

  getStatsDashboardCsv: {
    happy: () => ({ check: (res) => checkStatsCsv(res.text) }),
    async extra(t) {
      await t.test('the CSV says what the JSON says, cell for cell', async () => {
        const query = 'from=2025-01&to=2025-12';
        const json = (await expectStatus(200, 'GET', '/api/v1/stats/dashboard', { query, what: 'JSON' })).body;
        const csv = checkStatsCsv((await expectStatus(200, 'GET', '/api/v1/stats/dashboard.csv', { query, what: 'CSV' })).res.text);
        for (const [metric, cells] of Object.entries(json.series)) {
          for (const c of cells) {
            const line = csv.find((l) => l.section === 'month' && l.metric === metric && l.period === c.month);
            if (c.n === null && !c.suppressed) continue;
            assert.ok(line, `month ${metric} ${c.month} in the CSV`);
            assert.equal(line.suppressed, c.suppressed ? '1' : '0');
            assert.equal(line.value, c.suppressed ? '' : String(c.n));
          }
        }
        for (const [metric, c] of Object.entries(json.totals)) {
          if (c === null) continue;
          const line = csv.find((l) => l.section === 'total' && l.metric === metric);
          assert.equal(line.at_least, c.at_least === undefined ? '' : String(c.at_least), `total ${metric}: at_least`);
        }
        const fieldMonths = csv.filter((l) => l.section === 'field_month');
        assert.equal(fieldMonths.length, json.by_field_series.length * 2 * json.months.length,
          'a line per field, metric and month of the small multiples');
      });
    },
  },

  getStatsInclusion: {
    happy: () => ({
      check: (res, body) => {
        assert.deepEqual(body.channels.map((c) => c.channel), ['online', 'paper', 'phone', 'in_person', 'open311']);
        assert.deepEqual(body.age_bands.map((b) => b.band),
          ['not-given', 'under-18', '18-29', '30-44', '45-64', '65-79', '80-plus']);
        for (const c of [...body.channels.map((x) => x.contributions), ...body.age_bands.map((x) => x.participant_months)]) {
          assert.ok(c.suppressed ? c.n === null : Number.isInteger(c.n), JSON.stringify(c));
          assert.ok(c.suppressed ? Number.isInteger(c.at_least) : !('at_least' in c), JSON.stringify(c));
        }
      },
    }),
  },

  /* ------------------------------------------- settings and criteria */

  getSettings: {
    happy: () => ({ check: (res, body) => assert.equal(body.moderation_mode, 'pre', 'this file runs pre-moderated') }),
  },

  updateSettings: {
    happy: ({ value }, fx) => ({
      async check(res, body) {
        // The example's settings as sent; the others (issue 15's) as they are.
        const want = { moderation_mode: 'pre', flag_threshold: 3, ...value };
        assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, body[k]])), want);
        const now = await expectStatus(200, 'GET', '/api/v1/admin/settings', { auth: bearerOf(fx.admin), what: 'settings now' });
        assert.deepEqual(now.body, body);
      },
    }),
    async extra(t, fx) {
      await t.test('an unknown mode and a threshold out of range are 422, each named', async () => {
        const r = await expectStatus(422, 'PUT', '/api/v1/admin/settings', {
          auth: bearerOf(fx.admin), body: { moderation_mode: 'sometimes', flag_threshold: 0 }, what: 'invalid settings',
        });
        assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['flag_threshold', 'moderation_mode']);
      });
    },
  },

  putCriterion: {
    // A criterion of its own, inactive (active ones must be scored in
    // every assessment), removed again after the check.
    createsAt: ['slug'],
    params: () => ({ slug: `contract-${RUN_ID}` }),
    happy: ({ value }) => {
      const slug = `contract-${RUN_ID}`;
      return {
        body: { ...value, active: false },
        async check(res, body) {
          try {
            assert.deepEqual(body, { slug, name_de: value.name_de, name_en: value.name_en, weight: value.weight,
              position: value.position, active: false, is_demo: false });
            const audit = psql(`SELECT detail->>'slug' FROM audit_log WHERE action = 'admin.criterion' ORDER BY id DESC LIMIT 1`);
            assert.equal(audit, slug, 'written to the audit log');
          } finally {
            psql(`DELETE FROM criteria WHERE slug = '${slug}'`);
          }
        },
      };
    },
    async extra(t, fx) {
      await t.test('a weight of 0 is 422 naming weight', async () => {
        const r = await expectStatus(422, 'PUT', '/api/v1/admin/criteria/{slug}', {
          params: { slug: `contract-${RUN_ID}` }, auth: bearerOf(fx.admin),
          body: { name_de: 'Klimawirkung', name_en: 'Climate impact', weight: 0, position: 6 }, what: 'weight 0',
        });
        assert.ok(r.body.error.fields.weight);
      });
    },
  },

  listCriteria: {
    // The strategy's four (section 4.4) are the active defaults.
    happy: () => ({ check: (res, body) => assert.deepEqual(body.criteria.filter((c) => c.active).map((c) => c.slug),
      ['buergernutzen', 'kosten-nutzen', 'strategische-wirkung', 'aussenwirkung']) }),
  },

  /* ------------------------------------------------------------ ideas */

  listIdeas: {
    async extra(t, fx) {
      await t.test('only published ideas, page by page with the next cursor', async () => {
        const a = await sharedIdea(fx);
        const b = await publishedIdea(fx);
        const pending = await sharedPending(fx);
        const query = (more) => `q=${TOKEN}&limit=1${more}`;
        const first = await expectStatus(200, 'GET', '/api/v1/ideas', { query: query(''), what: 'first page' });
        assert.deepEqual(first.body.ideas.map((i) => i.id), [b.id], 'newest first');
        assert.match(first.body.next, /^n\./);
        const second = await expectStatus(200, 'GET', '/api/v1/ideas', { query: query(`&after=${first.body.next}`), what: 'next page' });
        assert.ok(second.body.ideas.length === 1 && second.body.ideas[0].id < b.id);
        const all = await expectStatus(200, 'GET', '/api/v1/ideas', { query: `q=${TOKEN}&limit=100`, what: 'all of this run' });
        const ids = all.body.ideas.map((i) => i.id);
        assert.ok(ids.includes(a.id) && ids.includes(b.id));
        assert.ok(!ids.includes(pending.id), 'a pending idea is not listed');
      });
      await t.test('a cursor of the other sort order is 422 naming after', async () => {
        const r = await expectStatus(422, 'GET', '/api/v1/ideas', { query: 'sort=supported&after=n.1.2', what: 'foreign cursor' });
        assert.ok(r.body.error.fields.after);
      });
    },
  },

  createIdea: {
    happy: ({ value }, fx) => {
      const title = `Vertragstest ${TOKEN} Nummer ${++ideaSeq}`;
      return {
        body: { ...value, title },
        async check(res, body) {
          assert.equal(res.headers.get('location'), `/api/v1/ideas/${body.id}`);
          assert.equal(body.title, title);
          assert.equal(body.state, 'pending', 'pre-moderation');
          assert.equal(body.status, 'submitted');
          assert.equal(body.author.pseudonym, fx.citizen.pseudonym);
          assert.equal(body.mine, true);
          await expectStatus(404, 'GET', '/api/v1/ideas/{id}', { params: { id: body.id }, what: 'pending, anonymous' });
          const own = await expectStatus(200, 'GET', '/api/v1/ideas/{id}', { params: { id: body.id }, auth: bearerOf(fx.citizen), what: 'pending, author' });
          assert.equal(own.body.state, 'pending');
        },
      };
    },
    async extra(t, fx) {
      const idea = () => ({ title: `Vertragstest ${TOKEN} Nummer ${++ideaSeq}`,
        description: 'Eine ausführliche Beschreibung für den Vertragstest der Schnittstelle.', field: 'mobilitaet' });
      await t.test('an unverified account gets 403 unverified', async () => {
        const fresh = await newAccount('unverified');
        const r = await expectStatus(403, 'POST', '/api/v1/ideas', { auth: bearerOf(fresh), body: idea(), what: 'unverified' });
        assert.equal(r.body.error.code, 'unverified');
      });
      await t.test('only staff enter submissions on a citizen\'s behalf', async () => {
        const r = await expectStatus(403, 'POST', '/api/v1/ideas', {
          auth: bearerOf(fx.citizen), body: { ...idea(), channel: 'paper' }, what: 'paper by a citizen',
        });
        assert.equal(r.body.error.code, 'forbidden');
        const staff = await withRole(fx, 'staff');
        const consent = await expectStatus(201, 'POST', '/api/v1/me/consent-code', {
          auth: bearerOf(fx.citizen), what: 'consent code',
        });
        const ok = await expectStatus(201, 'POST', '/api/v1/ideas', {
          auth: bearerOf(staff), body: { ...idea(), channel: 'phone', citizen_code: consent.body.code }, what: 'phone by staff',
        });
        assert.deepEqual(ok.body.author, { pseudonym: fx.citizen.pseudonym, deleted: false, channel: 'phone' });
      });
      await t.test('invalid and unknown fields are 422, each named', async () => {
        const r = await expectStatus(422, 'POST', '/api/v1/ideas', {
          auth: bearerOf(fx.citizen), body: { title: 'Kurz', description: 'zu kurz', field: 'mobilitaet', colour: 'rot' }, what: 'invalid idea',
        });
        assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['colour']);
        const r2 = await expectStatus(422, 'POST', '/api/v1/ideas', {
          auth: bearerOf(fx.citizen), body: { title: 'Kurz', description: 'zu kurz', field: 'mobilitaet' }, what: 'short idea',
        });
        assert.deepEqual(Object.keys(r2.body.error.fields).sort(), ['description', 'title']);
        const r3 = await expectStatus(422, 'POST', '/api/v1/ideas', {
          auth: bearerOf(fx.citizen), body: { ...idea(), field: 'raumfahrt' }, what: 'unknown field',
        });
        assert.ok(r3.body.error.fields.field);
      });
      await t.test('over the submission limit: 429 with Retry-After, nothing stored', async () => {
        const acct = verify(await newAccount('limited'));
        const key = `a:${sqlId(acct.id)}`;
        psql(`INSERT INTO submission_counts (key, count) VALUES ('${key}', 100000)
              ON CONFLICT (key) DO UPDATE SET count = 100000, window_start = now()`);
        try {
          const r = await expectStatus(429, 'POST', '/api/v1/ideas', { auth: bearerOf(acct), body: idea(), what: 'limited' });
          assert.equal(r.body.error.code, 'too_many_requests');
          assert.ok(Number(r.res.headers.get('retry-after')) > 0);
          assert.equal(psql(`SELECT count(*) FROM ideas WHERE author_id = ${sqlId(acct.id)}`), '0');
        } finally {
          psql(`DELETE FROM submission_counts WHERE key = '${key}'`);
        }
      });
    },
  },

  getComment: {
    params: async (fx) => ({ id: (await sharedComment(fx)).id }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.id, (await sharedComment(fx)).id);
        assert.equal(body.state, 'published');
        assert.equal(body.moderation, null, 'moderation details are not public');
      },
    }),
  },

  listComments: {
    // The shared comment first: the request must find it published.
    params: async (fx) => ({ id: (await sharedComment(fx)) && (await sharedIdea(fx)).id }),
    happy: () => ({
      async check(res, body) {
        assert.ok(body.comments_total >= 1, 'the shared idea has a published comment');
        assert.ok(body.comments.every((x) => x.state === 'published'), 'others see published comments only');
        const ids = body.comments.map((x) => x.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'oldest first');
      },
    }),
    async extra(t, fx) {
      await t.test('pages follow comments_next; a pending idea is 404 to others', async () => {
        const idea = await sharedIdea(fx);
        const c = await sharedComment(fx);
        const after = await expectStatus(200, 'GET', '/api/v1/ideas/{id}/comments', {
          params: { id: idea.id }, query: `after=${c.id}&limit=1`, what: 'after the shared comment',
        });
        assert.ok(after.body.comments.every((x) => x.id > c.id));
        await expectStatus(404, 'GET', '/api/v1/ideas/{id}/comments', {
          params: { id: (await sharedPending(fx)).id }, what: 'pending idea, anonymous',
        });
        await expectStatus(422, 'GET', '/api/v1/ideas/{id}/comments', {
          params: { id: idea.id }, query: 'limit=101', what: 'limit too large',
        });
      });
    },
  },

  getIdea: {
    params: async (fx) => ({ id: (await sharedIdea(fx)).id }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.id, (await sharedIdea(fx)).id);
        assert.equal(body.state, 'published');
        assert.equal(body.moderation, null, 'moderation details are not public');
        assert.equal(body.mine, false);
      },
    }),
    async extra(t, fx) {
      await t.test('a pending idea is there only for its author and moderators', async () => {
        const p = await sharedPending(fx);
        const get = (auth, status, what) => expectStatus(status, 'GET', '/api/v1/ideas/{id}', { params: { id: p.id }, auth, what });
        await get(undefined, 404, 'anonymous');
        await get(bearerOf(fx.citizen), 404, 'another citizen');
        const own = await get(bearerOf(p.by), 200, 'author');
        assert.equal(own.body.state, 'pending');
        assert.equal(own.body.moderation.open_flags, null, 'open flags are for moderators');
        const mod = await get(bearerOf(await withRole(fx, 'moderator')), 200, 'moderator');
        assert.equal(mod.body.moderation.open_flags, 0);
      });
    },
  },

  supportIdea: {
    params: async (fx) => ({ id: (await publishedIdea(fx)).id }),
    happy: () => ({
      async check(res, body) {
        assert.equal(res.status, 201, 'a new support');
        assert.deepEqual(body, { supports: 1, supported: true });
      },
    }),
    async extra(t, fx, acct) {
      await t.test('a second support of the same account is 200 and counts once', async () => {
        const id = (await publishedIdea(fx)).id;
        await expectStatus(201, 'POST', '/api/v1/ideas/{id}/supports', { params: { id }, auth: bearerOf(acct), what: 'first' });
        const r = await expectStatus(200, 'POST', '/api/v1/ideas/{id}/supports', { params: { id }, auth: bearerOf(acct), what: 'again' });
        assert.deepEqual(r.body, { supports: 1, supported: true });
      });
      await t.test('a pending idea cannot be supported (404)', async () => {
        await expectStatus(404, 'POST', '/api/v1/ideas/{id}/supports', {
          params: { id: (await sharedPending(fx)).id }, auth: bearerOf(acct), what: 'pending idea',
        });
      });
    },
  },

  unsupportIdea: {
    params: async (fx) => ({ id: (await once(fx, 'unsupport', () => publishedIdea(fx))).id }),
    async happy(_, fx, acct) {
      // Only a support can be withdrawn: support first.
      const { id } = await once(fx, 'unsupport', () => publishedIdea(fx));
      await expectStatus(201, 'POST', '/api/v1/ideas/{id}/supports', { params: { id }, auth: bearerOf(acct), what: 'support first' });
      return {
        async check(res, body) {
          assert.deepEqual(body, { supports: 0, supported: false });
          await expectStatus(404, 'DELETE', '/api/v1/ideas/{id}/supports', { params: { id }, auth: bearerOf(acct), what: 'withdrawn already' });
        },
      };
    },
  },

  createComment: {
    params: async (fx) => ({ id: (await sharedIdea(fx)).id }),
    async happy({ value }, fx) {
      const idea = await sharedIdea(fx);
      const parent = 'parent_id' in value ? (await sharedComment(fx)).id : undefined;
      return {
        body: parent ? { ...value, parent_id: parent } : value,
        async check(res, body) {
          assert.equal(res.headers.get('location'), `/api/v1/comments/${body.id}`);
          assert.equal(body.state, 'pending', 'pre-moderation');
          assert.equal(body.parent_id, parent ?? null);
          assert.equal(body.mine, true);
          assert.deepEqual(body.replies, parent ? null : []);
          const pub = await expectStatus(200, 'GET', '/api/v1/ideas/{id}', { params: { id: idea.id }, what: 'the idea, anonymous' });
          const seen = pub.body.comments.flatMap((c) => [c.id, ...c.replies.map((r) => r.id)]);
          assert.ok(!seen.includes(body.id), 'a pending comment is not public');
        },
      };
    },
    async extra(t, fx, acct) {
      await t.test('comments go only under published ideas (404)', async () => {
        await expectStatus(404, 'POST', '/api/v1/ideas/{id}/comments', {
          params: { id: (await sharedPending(fx)).id }, auth: bearerOf(acct), body: { body: 'Hallo dort' }, what: 'pending idea',
        });
      });
      await t.test('a reply to a comment of another idea is 422 naming parent_id', async () => {
        const other = await publishedIdea(fx);
        const r = await expectStatus(422, 'POST', '/api/v1/ideas/{id}/comments', {
          params: { id: other.id }, auth: bearerOf(acct), body: { body: 'Antwort', parent_id: (await sharedComment(fx)).id }, what: 'foreign parent',
        });
        assert.ok(r.body.error.fields.parent_id);
      });
    },
  },

  flagIdea: {
    params: async (fx) => ({ id: (await once(fx, 'flagged', () => publishedIdea(fx))).id }),
    happy: () => ({
      check(res, body) {
        assert.equal(body.created, res.status === 201, '201 for a new flag, 200 for a repeated one');
        assert.equal(body.hidden, false, 'one account\'s flags never hide');
      },
    }),
    async extra(t, fx, acct) {
      await t.test('the flag that reaches the threshold hides the idea pending review', async () => {
        const idea = await publishedIdea(fx);
        const flaggers = [acct, verify(await newAccount('flagger')), verify(await newAccount('flagger'))];
        const results = [];
        for (const who of flaggers) {
          const r = await expectStatus(201, 'POST', '/api/v1/ideas/{id}/flags', {
            params: { id: idea.id }, auth: bearerOf(who), body: { reason: 'spam' }, what: 'flag',
          });
          results.push(r.body.hidden);
        }
        assert.deepEqual(results, [false, false, true], 'the third of three hides it (flag_threshold 3)');
        assert.equal(ideaState(idea.id), 'hidden');
        await expectStatus(404, 'GET', '/api/v1/ideas/{id}', { params: { id: idea.id }, what: 'hidden idea, anonymous' });
        const mod = await withRole(fx, 'moderator');
        const q = await expectStatus(200, 'GET', '/api/v1/moderation/queue', {
          query: `state=hidden&after=${idea.id - 1}&limit=1`, auth: bearerOf(mod), what: 'queue of hidden ideas',
        });
        assert.equal(q.body.items[0]?.id, idea.id);
        assert.deepEqual(q.body.items[0].flags, { spam: 3 });
      });
      await t.test('a reason citizens cannot choose is 422 naming reason', async () => {
        const r = await expectStatus(422, 'POST', '/api/v1/ideas/{id}/flags', {
          params: { id: (await sharedIdea(fx)).id }, auth: bearerOf(acct), body: { reason: 'illegal' }, what: 'not flaggable',
        });
        assert.ok(r.body.error.fields.reason);
      });
    },
  },

  flagComment: {
    params: async (fx) => ({ id: (await sharedComment(fx)).id }),
    happy: () => ({
      check(res, body) {
        assert.equal(body.created, res.status === 201, '201 for a new flag, 200 for a repeated one');
        assert.equal(body.hidden, false);
      },
    }),
  },

  setIdeaStatus: {
    async happy({ value }, fx) {
      const idea = await publishedIdea(fx);
      const dup = value.duplicate_of !== undefined ? (await sharedIdea(fx)).id : undefined;
      const body = dup ? { ...value, duplicate_of: dup } : value;
      return {
        params: { id: idea.id },
        body,
        check(res, got) {
          assert.equal(got.id, idea.id);
          assert.equal(got.status, value.status);
          assert.equal(got.duplicate_of, dup ?? null);
          const last = got.status_history.at(-1);
          assert.deepEqual([last.status, last.justification, last.duplicate_of],
            [value.status, value.justification, dup ?? null]);
          assert.notEqual(got.moderation, null, 'answered as moderators see it');
        },
      };
    },
    async extra(t, fx, acct) {
      const post = (id, body, status, what) => expectStatus(status, 'POST', '/api/v1/ideas/{id}/status', {
        params: { id }, auth: bearerOf(acct), body, what,
      });
      await t.test('a status that cannot follow is 409 illegal_transition', async () => {
        const idea = await publishedIdea(fx);
        const r = await post(idea.id, { status: 'implemented', justification: 'Schon erledigt, fertig.' }, 409, 'submitted → implemented');
        assert.equal(r.body.error.code, 'illegal_transition');
      });
      await t.test('an idea that is not published has no public status (409 conflict)', async () => {
        const r = await post((await sharedPending(fx)).id, { status: 'under_review', justification: 'Wir schauen es uns an.' }, 409, 'pending');
        assert.equal(r.body.error.code, 'conflict');
      });
      await t.test('duplicate needs duplicate_of; a justification is required', async () => {
        const idea = await sharedIdea(fx);
        const r = await post(idea.id, { status: 'duplicate', justification: 'Gibt es schon einmal.' }, 422, 'no duplicate_of');
        assert.ok(r.body.error.fields.duplicate_of);
        const r2 = await post(idea.id, { status: 'under_review' }, 422, 'no justification');
        assert.ok(r2.body.error.fields.justification);
      });
      await t.test('staff and planners set the status too', async () => {
        const idea = await publishedIdea(fx);
        await expectStatus(200, 'POST', '/api/v1/ideas/{id}/status', { params: { id: idea.id },
          auth: bearerOf(await withRole(fx, 'staff')), body: { status: 'under_review', justification: 'Das Amt prüft es.' }, what: 'staff' });
        await expectStatus(200, 'POST', '/api/v1/ideas/{id}/status', { params: { id: idea.id },
          auth: bearerOf(await withRole(fx, 'planner')), body: { status: 'accepted', justification: 'Wird umgesetzt.' }, what: 'planner' });
      });
    },
  },

  /* ------------------------------------------------------------ board */

  getAssessments: {
    params: async (fx) => ({ id: (await sharedIdea(fx)).id }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.idea_id, (await sharedIdea(fx)).id);
        assert.ok(body.criteria.length > 0);
      },
    }),
    async extra(t, fx, acct) {
      await t.test('a member sees the others\' scores only after submitting their own', async () => {
        const idea = await publishedIdea(fx);
        const other = await roleAccount(fx, 'board');
        const view = (who, what) => expectStatus(200, 'GET', '/api/v1/ideas/{id}/assessments', { params: { id: idea.id }, auth: bearerOf(who), what });
        const assess = (who, scores, comment, what) => expectStatus(200, 'PUT', '/api/v1/ideas/{id}/assessment', {
          params: { id: idea.id }, auth: bearerOf(who), body: { scores, comment }, what,
        });
        await assess(acct, await allScores(acct, 3), 'Vertraulicher Kommentar', 'first member');
        const before = await view(other, 'second member, before');
        assert.deepEqual([before.body.others_visible, before.body.others, before.body.weighted_mean, before.body.mine, before.body.assessments],
          [false, null, null, null, 1]);
        assert.ok(!before.res.text.includes('Vertraulicher'), 'no comment leaks');
        const after = await assess(other, await allScores(other, 1), '', 'second member');
        assert.equal(after.body.others_visible, true);
        assert.deepEqual(after.body.others.map((o) => [o.member, o.comment, o.weighted_mean]), [[acct.pseudonym, 'Vertraulicher Kommentar', 3]]);
        assert.equal(after.body.mine.weighted_mean, 1);
        assert.equal(after.body.weighted_mean, 2);
        assert.equal((await view(acct, 'first member, after')).body.others.length, 1);
      });
    },
  },

  putAssessment: {
    params: async (fx) => ({ id: (await once(fx, 'assessed', () => publishedIdea(fx))).id }),
    async happy({ type, value }, fx, acct) {
      const scores = await allScores(acct, 2);
      const body = essence(type) === FORM_TYPE
        ? { ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [`score-${k}`, String(v)])), comment: value.comment }
        : { ...value, scores };
      return {
        body,
        async check(res, got) {
          const { id } = await once(fx, 'assessed', () => publishedIdea(fx));
          assert.equal(got.idea_id, id);
          assert.deepEqual(got.mine.scores, scores);
          assert.equal(got.mine.comment, value.comment);
          assert.equal(got.mine.weighted_mean, 2);
          assert.equal(got.others_visible, true);
          const ranking = await expectStatus(200, 'GET', '/api/v1/board/ranking', { query: 'field=mobilitaet', auth: bearerOf(acct), what: 'ranking' });
          const entry = ranking.body.ideas.find((i) => i.id === id);
          assert.deepEqual([entry?.assessed_by_me, entry?.weighted_mean], [true, 2]);
        },
      };
    },
    async extra(t, fx, acct) {
      await t.test('scores must cover exactly the active criteria (422 naming scores)', async () => {
        const { id } = await once(fx, 'assessed', () => publishedIdea(fx));
        for (const scores of [{ strategie: 3 }, { ...(await allScores(acct, 2)), kosten: 1 }, await allScores(acct, 4)]) {
          const r = await expectStatus(422, 'PUT', '/api/v1/ideas/{id}/assessment', { params: { id }, auth: bearerOf(acct), body: { scores }, what: JSON.stringify(scores) });
          assert.ok(r.body.error.fields.scores);
        }
      });
      await t.test('only published ideas are assessed (404)', async () => {
        await expectStatus(404, 'PUT', '/api/v1/ideas/{id}/assessment', {
          params: { id: (await sharedPending(fx)).id }, auth: bearerOf(acct), body: { scores: await allScores(acct, 2) }, what: 'pending idea',
        });
      });
    },
  },

  getBoardRanking: {
    happy: () => ({ check: (res, body) => assert.ok(body.ideas.every((i) => i.assessed_by_me || i.weighted_mean === null)) }),
  },

  /* Projects the board selects from, made in SQL (the registry's API is
   * the projects helper's): proposed, one per purpose. */
  getProjectAssessments: {
    params: async (fx) => ({ id: await once(fx, 'boardProject', proposedProject) }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.project_id, await once(fx, 'boardProject', proposedProject));
        assert.equal(body.status, 'proposed');
        assert.ok(body.criteria.length > 0 && body.criteria.every((c) => body.columns.some((k) => k.slug === c.slug)));
        assert.ok(body.others_visible || (body.others === null && body.weighted_mean === null));
      },
    }),
  },

  putProjectAssessment: {
    params: async (fx) => ({ id: await once(fx, 'assessedProject', proposedProject) }),
    async happy({ type, value }, fx, acct) {
      const scores = await allScores(acct, 2);
      const body = essence(type) === FORM_TYPE
        ? { ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [`score-${k}`, String(v)])), comment: value.comment }
        : { ...value, scores };
      return {
        body,
        async check(res, got) {
          const id = await once(fx, 'assessedProject', proposedProject);
          assert.equal(got.project_id, id);
          assert.deepEqual(got.mine.scores, scores);
          assert.equal(got.mine.comment, value.comment);
          assert.equal(got.mine.weighted_mean, 2);
          const ranking = await expectStatus(200, 'GET', '/api/v1/board/projects', { auth: bearerOf(acct), what: 'ranking' });
          const entry = ranking.body.projects.find((p) => p.id === id);
          assert.deepEqual([entry?.assessed_by_me, entry?.weighted_mean], [true, 2]);
        },
      };
    },
  },

  decideProject: {
    // Every successful example decides a project of its own: a decision
    // is made once.
    params: async (fx) => ({ id: await once(fx, 'decideBase', proposedProject) }),
    happy: ({ value }, fx, acct) => {
      const id = proposedProject();
      return {
        params: { id },
        async check(res, got) {
          assert.deepEqual([got.id, got.status, got.decision_reason, got.decided_by],
            [id, value.decision, value.reason, acct.pseudonym]);
          assert.equal(psql(`SELECT status || '|' || note FROM project_history WHERE project_id = ${id}`),
            `${value.decision}|${value.reason}`);
          await expectStatus(409, 'POST', '/api/v1/projects/{id}/decision', { params: { id }, auth: bearerOf(acct),
            body: value, what: 'a second decision' });
        },
      };
    },
  },

  getBoardProjects: {
    happy: () => ({ check: (res, body) => assert.ok(body.projects.every((p) => p.status === 'proposed' &&
      (p.assessed_by_me || p.weighted_mean === null))) }),
  },

  /* ------------------------------------------------------- moderation */

  getModerationQueue: {
    async extra(t, fx, acct) {
      await t.test('a pending idea and a pending comment are in the queue, paged by after', async () => {
        const p = await sharedPending(fx);
        const q = await expectStatus(200, 'GET', '/api/v1/moderation/queue', {
          query: `state=pending&after=${p.id - 1}&limit=1`, auth: bearerOf(acct), what: 'pending ideas',
        });
        assert.equal(q.body.items.length, 1);
        assert.deepEqual([q.body.items[0].kind, q.body.items[0].id, q.body.items[0].author.pseudonym], ['idea', p.id, p.by.pseudonym]);
        assert.equal(q.body.next, String(p.id), 'a full page names its last id');
        const c = await submitComment((await sharedIdea(fx)).id);
        const qc = await expectStatus(200, 'GET', '/api/v1/moderation/queue', {
          query: `kind=comment&state=pending&after=${c.id - 1}&limit=1`, auth: bearerOf(acct), what: 'pending comments',
        });
        assert.deepEqual([qc.body.items[0]?.kind, qc.body.items[0]?.id], ['comment', c.id]);
      });
    },
  },

  decideModeration: {
    async happy({ type, value }, fx) {
      const idea = await submitIdea();
      const body = essence(type) === FORM_TYPE
        ? { ...Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('id-'))), [`id-${idea.id}`]: 'on' }
        : { ...value, ids: [idea.id] };
      const to = { publish: 'published', reject: 'rejected' }[value.decision];
      return {
        body,
        check(res, got) {
          const { decision_id: id, undo_until: until, ...rest } = got;
          assert.deepEqual(rest, { decision: value.decision, kind: 'idea', items: [{ id: idea.id, from: 'pending', to }] });
          assert.ok(id > 0 && Date.parse(until) > Date.now(), 'an id to undo it, and until when');
          assert.equal(ideaState(idea.id), to);
        },
      };
    },
    async extra(t, fx, acct) {
      const post = (body, status, what) => expectStatus(status, 'POST', '/api/v1/moderation/decisions', { auth: bearerOf(acct), body, what });
      await t.test('a bulk decision applies to all items or, with one illegal, to none (409 illegal_transition)', async () => {
        const p = await submitIdea();
        const published = await sharedIdea(fx);
        const r = await post({ kind: 'idea', ids: [p.id, published.id], decision: 'publish' }, 409, 'one already published');
        assert.equal(r.body.error.code, 'illegal_transition');
        assert.equal(ideaState(p.id), 'pending');
      });
      await t.test('reject and hide need a reason; other needs an explanation (422)', async () => {
        const p = await sharedPending(fx);
        assert.ok((await post({ kind: 'idea', ids: [p.id], decision: 'reject' }, 422, 'no reason')).body.error.fields.reason);
        assert.ok((await post({ kind: 'idea', ids: [p.id], decision: 'hide' }, 422, 'no reason')).body.error.fields.reason);
        assert.ok((await post({ kind: 'idea', ids: [p.id], decision: 'reject', reason: 'other' }, 422, 'other')).body.error.fields.explanation);
        assert.equal(ideaState(p.id), 'pending');
      });
      await t.test('an unknown id is 404', async () => {
        await post({ kind: 'idea', ids: [999999999], decision: 'publish' }, 404, 'unknown id');
      });
      await t.test('the decision is in the audit log with its moderator', async () => {
        const p = await submitIdea();
        await post({ kind: 'idea', ids: [p.id], decision: 'publish' }, 200, 'publish');
        const log = await expectStatus(200, 'GET', '/api/v1/moderation/log', {
          query: `kind=idea&id=${p.id}&action=moderation.`, auth: bearerOf(acct), what: 'log of the idea',
        });
        assert.deepEqual(log.body.entries.map((e) => [e.actor, e.action, e.target_id, e.detail.from, e.detail.to]),
          [[acct.pseudonym, 'moderation.publish', p.id, 'pending', 'published']]);
      });
    },
  },

  undoModerationDecision: {
    params: async (fx) => ({ id: (await decide(fx, 'idea', [(await submitIdea()).id], 'publish')).body.decision_id }),
    async happy(example, fx) {
      const idea = await submitIdea();
      const { body } = await decide(fx, 'idea', [idea.id], 'publish');
      return {
        params: { id: body.decision_id },
        check(res, got) {
          assert.deepEqual(got, { decision_id: body.decision_id, kind: 'idea', undone: 'publish',
            items: [{ id: idea.id, from: 'published', to: 'pending' }] });
          assert.equal(ideaState(idea.id), 'pending');
        },
      };
    },
    async extra(t, fx, acct) {
      const undo = (id, status, what) => expectStatus(status, 'POST', '/api/v1/moderation/decisions/{id}/undo',
        { params: { id }, auth: bearerOf(acct), body: {}, what });
      await t.test('twice, too late, or after a later decision: 409, nothing changed', async () => {
        const a = await submitIdea();
        const first = (await decide(fx, 'idea', [a.id], 'publish')).body.decision_id;
        await undo(first, 200, 'undo');
        assert.equal((await undo(first, 409, 'again')).body.error.code, 'already_undone');
        const late = (await decide(fx, 'idea', [a.id], 'publish')).body.decision_id;
        psql(`UPDATE moderation_decisions SET decided_at = now() - interval '1 hour' WHERE id = ${sqlId(late)}`);
        assert.equal((await undo(late, 409, 'too late')).body.error.code, 'undo_expired');
        const hide = (await decide(fx, 'idea', [a.id], 'hide', { reason: 'spam' })).body.decision_id;
        await decide(fx, 'idea', [a.id], 'restore');
        assert.equal((await undo(hide, 409, 'decided since')).body.error.code, 'undo_conflict');
        assert.equal(ideaState(a.id), 'published');
      });
    },
  },

  editIdeaAsModerator: {
    params: async (fx) => ({ id: (await once(fx, 'edited', () => publishedIdea(fx))).id }),
    happy: ({ value }, fx) => ({
      async check(res, body) {
        const { id } = await once(fx, 'edited', () => publishedIdea(fx));
        assert.equal(body.id, id);
        assert.equal(body.kind, 'idea');
        assert.equal(body.revisions, Number(psql(`SELECT count(*) FROM idea_revisions WHERE kind = 'idea' AND target_id = ${sqlId(id)}`)));
        const pub = await expectStatus(200, 'GET', '/api/v1/ideas/{id}', { params: { id }, what: 'the edited idea' });
        for (const k of ['title', 'description'].filter((f) => value[f]))
          assert.equal(pub.body[k], value[k]);
        assert.equal(pub.body.state, 'published', 'an edit keeps the state');
      },
    }),
    async extra(t, fx, acct) {
      await t.test('an edit without a note is 422 naming note', async () => {
        const r = await expectStatus(422, 'PATCH', '/api/v1/moderation/ideas/{id}', {
          params: { id: (await sharedIdea(fx)).id }, auth: bearerOf(acct), body: { title: 'Ein neuer Titel' }, what: 'no note',
        });
        assert.ok(r.body.error.fields.note);
      });
    },
  },

  editCommentAsModerator: {
    params: async (fx) => ({ id: (await once(fx, 'edited-comment', async () => publishedComment(fx, (await sharedIdea(fx)).id))).id }),
    happy: ({ value }, fx) => ({
      async check(res, body) {
        const c = await once(fx, 'edited-comment', async () => publishedComment(fx, (await sharedIdea(fx)).id));
        assert.equal(body.id, c.id);
        assert.equal(body.kind, 'comment');
        const pub = await expectStatus(200, 'GET', '/api/v1/ideas/{id}', { params: { id: (await sharedIdea(fx)).id }, what: 'the idea' });
        assert.equal(pub.body.comments.find((x) => x.id === c.id)?.body, value.body);
      },
    }),
  },

  getModerationLog: {
    happy: () => ({ check: (res, body) => assert.ok(body.entries.every((e, i, all) => i === 0 || all[i - 1].id > e.id), 'newest first') }),
  },

  listModerationReasons: {
    happy: () => ({
      check(res, body) {
        assert.ok(body.reasons.some((r) => r.slug === 'spam' && r.flaggable));
        assert.ok(body.reasons.some((r) => r.slug === 'illegal' && !r.flaggable));
      },
    }),
  },

  /* --------------------------------------------------- defect reports */

  listDefects: {
    async extra(t) {
      await t.test('a new report comes first, its text only after moderation', async () => {
        const d = await newDefect({ category: 'graffiti' });
        const { body } = await expectStatus(200, 'GET', '/api/v1/defects', { query: 'category=graffiti&limit=1', what: 'newest graffiti' });
        assert.deepEqual(body.defects.map((x) => [x.id, x.excerpt]), [[d.defect.id, null]]);
      });
    },
  },

  createDefect: {
    happy: ({ type, value }) => ({
      body: essence(type) === MULTIPART_TYPE ? { ...value, photos: [JPEG] } : value,
      async check(res, body) {
        assert.equal(res.headers.get('location'), `/api/v1/defects/${body.defect.id}`);
        assert.deepEqual([body.defect.status, body.defect.state, body.defect.mine], ['open', 'pending', true]);
        assert.ok(body.status_url.endsWith(`/maengel/status/${body.status_token}`));
        if (value.email)
          assert.ok(!res.text.includes(value.email), 'the address never comes back');
        if (essence(type) === MULTIPART_TYPE)
          assert.deepEqual(body.defect.photos.map((p) => [p.position, p.state]), [[1, 'pending']]);
        const view = await expectStatus(200, 'GET', '/api/v1/defect-status/{token}', {
          params: { token: body.status_token }, what: 'the new status link',
        });
        assert.equal(view.body.id, body.defect.id);
        assert.equal(psql(`SELECT count(*) FROM defect_history WHERE report_id = ${sqlId(body.defect.id)}`), '1');
      },
    }),
    async extra(t, fx) {
      await t.test('an Idempotency-Key is refused (the answer holds a secret); nothing stored', async () => {
        const before = defectCount();
        const r = await expectStatus(422, 'POST', '/api/v1/defects', {
          body: defectBody(), headers: { 'idempotency-key': `contract-${RUN_ID}` }, what: 'with Idempotency-Key',
        });
        assert.equal(r.body.error.code, 'idempotency_not_supported');
        assert.equal(defectCount(), before);
      });
      await t.test('invalid fields are 422, each named; nothing stored', async () => {
        const before = defectCount();
        const r = await expectStatus(422, 'POST', '/api/v1/defects', {
          body: { category: 'strassenschaden', description: 'kurz' }, what: 'no location, short text',
        });
        assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['description', 'location']);
        const r2 = await expectStatus(422, 'POST', '/api/v1/defects', {
          body: defectBody({ category: 'ufo-landung', attributes: { colour: 'rot' } }), what: 'unknown category',
        });
        assert.ok(r2.body.error.fields.category);
        assert.equal(defectCount(), before);
      });
      await t.test('only staff enter reports on a citizen\'s behalf (403 forbidden)', async () => {
        const r = await expectStatus(403, 'POST', '/api/v1/defects', {
          auth: bearerOf(fx.citizen), body: defectBody({ channel: 'phone' }), what: 'phone by a citizen',
        });
        assert.equal(r.body.error.code, 'forbidden');
        const staff = await withRole(fx, 'staff');
        const ok = await expectStatus(201, 'POST', '/api/v1/defects', {
          auth: bearerOf(staff), body: defectBody({ channel: 'phone' }), what: 'phone by staff',
        });
        assert.equal(ok.body.defect.channel, 'phone');
      });
    },
  },

  getDefectsGeoJson: {
    async extra(t) {
      await t.test('a report inside the box is a point, longitude first', async () => {
        const d = (await newDefect({ lat: 52.2711, lon: 10.5111 })).defect;
        const { body } = await expectStatus(200, 'GET', '/api/v1/defects.geojson', {
          query: `bbox=10.511,52.271,10.5112,52.2712&after=${d.id - 1}&limit=1`, what: 'a tiny box',
        });
        assert.deepEqual(body.features.map((f) => [f.id, ...f.geometry.coordinates]), [[d.id, 10.5111, 52.2711]]);
        await expectStatus(422, 'GET', '/api/v1/defects.geojson', { query: 'bbox=10.6,52.3,10.5,52.2', what: 'min above max' });
      });
    },
  },

  getNearbyDefects: {
    async extra(t) {
      await t.test('an open report at the point is offered, a closed one not', async () => {
        const d = (await newDefect({ lat: 52.2731, lon: 10.5131 })).defect;
        const { body } = await expectStatus(200, 'GET', '/api/v1/defects/nearby', {
          query: 'category=strassenschaden&lat=52,2731&lon=10,5131', what: 'decimal comma',
        });
        assert.equal(body.defects.find((x) => x.id === d.id)?.distance, 0);
        await expectStatus(422, 'GET', '/api/v1/defects/nearby', {
          query: 'category=strassenschaden&lat=48.1&lon=11.5', what: 'outside the city',
        });
      });
    },
  },

  getDefect: {
    params: async (fx) => ({ id: (await sharedDefect(fx)).defect.id }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.id, (await sharedDefect(fx)).defect.id);
        assert.deepEqual([body.state, body.description, body.moderation, body.mine], ['pending', null, null, false],
          'the text waits for moderation');
        assert.ok(!('email' in body), 'no contact details');
      },
    }),
    async extra(t, fx) {
      await t.test('staff see the text before moderation', async () => {
        const { body } = await expectStatus(200, 'GET', '/api/v1/defects/{id}', {
          params: { id: (await sharedDefect(fx)).defect.id }, auth: bearerOf(await withRole(fx, 'staff')), what: 'as staff',
        });
        assert.match(body.description, /Vertragstest/);
      });
    },
  },

  supportDefect: {
    params: async (fx) => ({ id: (await sharedDefect(fx)).defect.id }),
    happy: () => ({ check: (res, body) => assert.equal(body.supported, true) }),
    async extra(t, fx) {
      await t.test('once per person; a closed report takes none (404)', async () => {
        const { id } = (await newDefect()).defect;
        const ip = { 'x-forwarded-for': otherIp() };
        await expectStatus(201, 'POST', '/api/v1/defects/{id}/supports', { params: { id }, headers: ip, what: 'first' });
        const again = await expectStatus(200, 'POST', '/api/v1/defects/{id}/supports', { params: { id }, headers: ip, what: 'again' });
        assert.deepEqual(again.body, { supports: 1, supported: true });
        await defectStatus(fx, id, 'rejected');
        await expectStatus(404, 'POST', '/api/v1/defects/{id}/supports', { params: { id }, auth: bearerOf(fx.citizen), what: 'closed' });
      });
    },
  },

  setDefectStatus: {
    async happy({ value }) {
      const { id } = (await newDefect()).defect;
      return {
        params: { id },
        check(res, body) {
          assert.equal(body.id, id);
          assert.equal(body.status, value.status);
          assert.equal(body.forwarded_to, value.forwarded_to ?? null);
          assert.deepEqual([body.history.at(-1).status, body.history.at(-1).note], [value.status, value.note]);
          assert.equal(psql(`SELECT count(*) FROM audit_log WHERE action = 'defect.status' AND target_id = ${sqlId(id)}`), '1');
        },
      };
    },
    async extra(t, fx, acct) {
      const post = (id, body, status, what, as = acct) => expectStatus(status, 'POST', '/api/v1/defects/{id}/status', {
        params: { id }, auth: bearerOf(as), body, what,
      });
      await t.test('a status that cannot follow is 409 illegal_transition, changing nothing', async () => {
        const { id } = (await newDefect()).defect;
        await defectStatus(fx, id, 'resolved');
        const r = await post(id, { status: 'acknowledged', note: 'Doch noch einmal ansehen.' }, 409, 'resolved → acknowledged');
        assert.equal(r.body.error.code, 'illegal_transition');
        assert.equal(psql(`SELECT status FROM defect_reports WHERE id = ${sqlId(id)}`), 'resolved');
      });
      await t.test('staff of another department get 403 forbidden, changing nothing', async () => {
        const { id } = (await newDefect({ category: foreignCategory(fx) })).defect;
        const r = await post(id, { status: 'acknowledged', note: 'Das falsche Amt schaut hin.' }, 403, 'foreign staff',
          await withRole(fx, 'staff'));
        assert.equal(r.body.error.code, 'forbidden');
        assert.equal(psql(`SELECT status FROM defect_reports WHERE id = ${sqlId(id)}`), 'open');
      });
      await t.test('duplicate needs another report, not_responsible an authority (422)', async () => {
        const { id } = (await newDefect()).defect;
        const note = 'Eine ausreichend lange Notiz.';
        assert.ok((await post(id, { status: 'duplicate', note }, 422, 'no duplicate_of')).body.error.fields.duplicate_of);
        assert.ok((await post(id, { status: 'duplicate', note, duplicate_of: id }, 422, 'itself')).body.error.fields.duplicate_of);
        assert.ok((await post(id, { status: 'not_responsible', note }, 422, 'no authority')).body.error.fields.forwarded_to);
      });
    },
  },

  reassignDefect: {
    async happy({ value }) {
      const { id } = (await newDefect()).defect;
      return {
        params: { id },
        check(res, body) {
          assert.equal(body.department.slug, value.department);
          assert.equal(body.history.at(-1).department, value.department);
        },
      };
    },
    async extra(t, fx, acct) {
      await t.test('to the department it is with already: 409 conflict', async () => {
        const { defect } = await newDefect();
        const r = await expectStatus(409, 'POST', '/api/v1/defects/{id}/department', {
          params: { id: defect.id }, auth: bearerOf(acct), what: 'same department',
          body: { department: defect.department.slug, note: 'Bleibt bei uns, wie gehabt.' },
        });
        assert.equal(r.body.error.code, 'conflict');
      });
    },
  },

  createDefectMessage: {
    // The reporter of the shared report, signed in: so a body without a
    // token is theirs, and an empty one is 422, not 401.
    principal: (fx) => fx.citizen,
    params: async (fx) => ({ id: (await once(fx, 'defect:citizen', () => citizenDefect(fx))).defect.id }),
    async happy({ value }) {
      const d = await newDefect();
      return {
        params: { id: d.defect.id },
        body: { ...value, token: d.status_token },
        check(res, body) {
          assert.deepEqual([body.report, body.sender, body.state, body.body], [d.defect.id, 'reporter', 'pending', value.body]);
        },
      };
    },
    async extra(t, fx) {
      const d = await once(fx, 'defect:citizen', () => citizenDefect(fx));
      const post = (body, status, what, opts = {}) => expectStatus(status, 'POST', '/api/v1/defects/{id}/messages', {
        params: { id: d.defect.id }, body, what, ...opts,
      });
      await t.test('the signed-in reporter writes without a token; nobody else may', async () => {
        await post({ body: 'Es ist etwa zehn Zentimeter tief.' }, 201, 'reporter', { auth: bearerOf(fx.citizen) });
        const r = await post({ body: 'Anonym ohne Link.' }, 401, 'neither session nor token');
        assert.equal(r.body.error.code, 'unauthorized');
        await post({ body: 'Ich mische mich ein.' }, 404, 'a moderator, not the reporter', { auth: bearerOf(await withRole(fx, 'moderator')) });
        await post({ body: 'Falscher Link.', token: 'A'.repeat(43) }, 404, 'unknown token');
      });
      await t.test('staff messages are published at once', async () => {
        const { defect } = await newDefect({ category: psql(`SELECT c.code FROM defect_categories c JOIN departments d
          ON d.id = c.department_id WHERE c.active AND d.slug = '${fx.department}' ORDER BY c.id LIMIT 1`) });
        const r = await expectStatus(201, 'POST', '/api/v1/defects/{id}/messages', {
          params: { id: defect.id }, auth: bearerOf(await withRole(fx, 'staff')), body: { body: 'Wie tief ist das Loch?' }, what: 'staff',
        });
        assert.deepEqual([r.body.sender, r.body.state], ['staff', 'published']);
      });
    },
  },

  defectFeedback: {
    principal: (fx) => fx.citizen,
    params: async (fx) => ({ id: (await once(fx, 'defect:citizen', () => citizenDefect(fx))).defect.id }),
    async happy({ value }, fx) {
      const d = await newDefect();
      await defectStatus(fx, d.defect.id, 'resolved');
      return {
        params: { id: d.defect.id },
        body: { ...value, token: d.status_token },
        check(res, body) {
          if (value.action === 'confirm') {
            assert.deepEqual([body.status, typeof body.confirmed_at], ['resolved', 'string']);
          } else {
            assert.deepEqual([body.status, body.reopened, body.history.at(-1).by], ['open', 1, 'reporter']);
          }
        },
      };
    },
    async extra(t, fx) {
      await t.test('an open report cannot be confirmed (409); after the window: 409 too_late', async () => {
        const d = await newDefect();
        const post = (body, status, what) => expectStatus(status, 'POST', '/api/v1/defects/{id}/feedback', {
          params: { id: d.defect.id }, body: { token: d.status_token, ...body }, what,
        });
        assert.equal((await post({ action: 'confirm' }, 409, 'open')).body.error.code, 'conflict');
        await defectStatus(fx, d.defect.id, 'rejected');
        psql(`UPDATE defect_reports SET closed_at = now() - interval '400 days' WHERE id = ${sqlId(d.defect.id)}`);
        const r = await post({ action: 'reopen', note: 'Immer noch kaputt, nach langer Zeit.' }, 409, 'late');
        assert.equal(r.body.error.code, 'too_late');
        assert.equal((await post({ action: 'reopen' }, 422, 'no note')).body.error.fields.note, 'required');
        assert.equal((await expectStatus(401, 'POST', '/api/v1/defects/{id}/feedback', {
          params: { id: d.defect.id }, body: { action: 'confirm' }, what: 'neither session nor token',
        })).body.error.code, 'unauthorized');
      });
    },
  },

  getDefectPhoto: {
    params: (fx) => once(fx, 'photo', async () => {
      const { id } = (await newDefect()).defect;
      defectPhoto(id, 'published');
      return { id, n: 1 };
    }),
    happy: () => ({
      check(res) {
        assert.match(res.headers.get('content-type'), /^image\/jpeg/);
      },
    }),
    async extra(t, fx) {
      await t.test('a pending photo: for its reporter\'s token and staff only', async () => {
        const d = await newDefect();
        defectPhoto(d.defect.id, 'pending');
        const get = (status, what, opts = {}) => expectStatus(status, 'GET', '/api/v1/defects/{id}/photos/{n}', {
          params: { id: d.defect.id, n: 1 }, what, ...opts,
        });
        await get(404, 'anonymous');
        await get(404, 'another token', { query: `token=${'A'.repeat(43)}` });
        await get(200, 'the reporter\'s token', { query: `token=${d.status_token}&size=thumb` });
        await get(200, 'staff', { auth: bearerOf(await withRole(fx, 'staff')) });
        await get(404, 'no second photo', { params: { id: d.defect.id, n: 2 }, query: `token=${d.status_token}` });
      });
    },
  },

  getDefectByToken: {
    params: async (fx) => ({ token: (await sharedDefect(fx)).status_token }),
    happy: (_, fx) => ({
      async check(res, body) {
        assert.equal(body.id, (await sharedDefect(fx)).defect.id);
        assert.match(body.description, /Vertragstest/, 'the reporter sees the text before moderation');
        assert.deepEqual([body.mine, body.email, body.can_confirm, body.can_reopen, body.answer_until],
          [true, true, false, false, null]);
      },
    }),
  },

  eraseDefectEmail: {
    params: async (fx) => ({ token: (await once(fx, 'defect:erase', () => newDefect({ email: uniqueEmail('erase') }))).status_token }),
    happy: (_, fx) => ({
      async check(res, body) {
        const d = await once(fx, 'defect:erase', () => newDefect({ email: uniqueEmail('erase') }));
        assert.deepEqual(body, { id: d.defect.id, email: false });
        assert.equal(psql(`SELECT email_ct IS NULL AND email_lookup IS NULL AND NOT notify
          FROM defect_reports WHERE id = ${sqlId(d.defect.id)}`), 't');
      },
    }),
  },

  getDefectQueue: {
    async extra(t, fx) {
      await t.test('staff see their own department; naming another is 403', async () => {
        const staff = await withRole(fx, 'staff');
        const own = await expectStatus(200, 'GET', '/api/v1/staff/defects', { auth: bearerOf(staff), what: 'own queue' });
        assert.equal(own.body.department.slug, fx.department);
        const other = psql(`SELECT slug FROM departments WHERE slug <> '${fx.department}' ORDER BY id LIMIT 1`);
        const r = await expectStatus(403, 'GET', '/api/v1/staff/defects', {
          query: `department=${other}`, auth: bearerOf(staff), what: 'another department',
        });
        assert.equal(r.body.error.code, 'forbidden');
        await expectStatus(422, 'GET', '/api/v1/staff/defects', { query: 'after=q.1.x', auth: bearerOf(staff), what: 'bad cursor' });
      });
    },
  },

  getDefectModerationQueue: {
    async extra(t, fx, acct) {
      await t.test('a new report text waits in the queue', async () => {
        // Oldest first: the backlog other test files leave is worked off.
        psql("UPDATE defect_reports SET state = 'published' WHERE state = 'pending'");
        const { defect } = await newDefect();
        const { body } = await expectStatus(200, 'GET', '/api/v1/moderation/defects', { query: 'limit=200', auth: bearerOf(acct), what: 'queue' });
        assert.ok(body.defects.some((x) => x.id === defect.id));
      });
    },
  },

  moderateDefectPhoto: {
    params: (fx) => once(fx, 'photo:pending', async () => ({ id: defectPhoto((await newDefect()).defect.id, 'pending') })),
    async happy({ value }) {
      const id = defectPhoto((await newDefect()).defect.id, 'pending');
      return {
        params: { id },
        check: (res, body) => assert.deepEqual([body.id, body.state, body.blurred],
          [id, { publish: 'published', remove: 'removed', blur: 'pending' }[value.decision], value.decision === 'blur' || undefined]),
      };
    },
    async extra(t, fx, acct) {
      await t.test('a removed photo is deleted and then 404', async () => {
        const d = await newDefect();
        const id = defectPhoto(d.defect.id, 'pending');
        const post = (status, what) => expectStatus(status, 'POST', '/api/v1/moderation/defect-photos/{id}', {
          params: { id }, auth: bearerOf(acct), body: { decision: 'remove' }, what,
        });
        await post(200, 'remove');
        assert.equal(psql(`SELECT image IS NULL AND thumb IS NULL FROM defect_photos WHERE id = ${id}`), 't');
        await post(404, 'removed already');
        await expectStatus(404, 'GET', '/api/v1/defects/{id}/photos/{n}', {
          params: { id: d.defect.id, n: 1 }, query: `token=${d.status_token}`, what: 'the removed photo',
        });
      });
    },
  },
};

/*
 * The account an operation's requests are made as, or null (anonymous):
 * the citizen, the admin for x-roles with admin, else a verified account
 * holding the first role of x-roles.
 */
async function principalFor(o, sc, fx) {
  if (sc.principal)
    return sc.principal(fx);
  if (!needsAuth(o))
    return null;
  const roles = rolesOf(o);
  if (roles.length === 0)
    return fx.citizen;
  if (roles.includes('admin'))
    return fx.admin;
  return withRole(fx, roles[0]);
}

/* ---------------------------------------------------------------- tests */

test('GET /api/v1/openapi.json serves an OpenAPI 3.1.x JSON document', () => {
  if (loaded.error)
    throw loaded.error;
  assert.equal(loaded.res.status, 200);
  assert.match(loaded.res.headers.get('content-type') ?? '', /^application\/json\b/);
  assert.equal(typeof spec, 'object');
  assert.match(String(spec.openapi), /^3\.1\.\d+$/, 'openapi must be 3.1.x');
  assert.equal(spec.info?.title, 'mitwirken');
  assert.equal(typeof spec.info?.version, 'string');
  assert.ok(spec.paths && Object.keys(spec.paths).length > 0, 'paths must not be empty');
});

test('the served document is assets/openapi.json (restart the server after editing it)', { skip }, async () => {
  const onDisk = JSON.parse(await readFile(OPENAPI_FILE, 'utf8'));
  assert.deepEqual(spec, onDisk);
});

test('document structure', { skip }, async (t) => {
  await t.test('every $ref resolves', () => {
    for (const [node, where] of walk(spec)) {
      if (typeof node.$ref === 'string')
        assert.doesNotThrow(() => pointer(spec, node.$ref), `${where}: ${node.$ref}`);
    }
  });

  await t.test('schema types are JSON Schema types (nullable is type "null")', () => {
    const types = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
    const check = (schema, where) => {
      for (const [node, at] of walk(schema, where)) {
        if (!('type' in node) || 'in' in node || (typeof node.type === 'object' && !Array.isArray(node.type)))
          continue; // a property named "type"
        const list = [node.type].flat();
        assert.ok(list.length > 0 && list.every((ty) => types.has(ty)), `${at}: type ${JSON.stringify(node.type)}`);
        assert.ok(!('nullable' in node), `${at}: nullable is OpenAPI 3.0; use type "null"`);
      }
    };
    for (const [name, schema] of Object.entries(spec.components?.schemas ?? {}))
      check(schema, `#/components/schemas/${name}`);
  });

  await t.test('every component schema compiles (Ajv strict mode)', () => {
    makeAjv();
    for (const name of Object.keys(spec.components?.schemas ?? {}))
      assert.doesNotThrow(() => ajv.getSchema(`${COMPONENTS_ID}#/$defs/${name}`), name);
  });

  await t.test('operationIds are unique', () => {
    const ids = operations().map((o) => o.op.operationId).filter(Boolean);
    assert.equal(new Set(ids).size, ids.length);
  });

  await t.test('path templates and path parameters agree', () => {
    for (const o of operations()) {
      const inTemplate = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = o.params.filter((p) => p.in === 'path');
      assert.deepEqual(declared.map((p) => p.name).sort(), inTemplate, `${o.method} ${o.path}`);
      for (const p of declared)
        assert.equal(p.required, true, `${o.method} ${o.path}: {${p.name}} must be required`);
    }
  });

  await t.test('405 documents Allow, 429 and 503 document Retry-After (required)', () => {
    for (const o of operations()) {
      for (const [status, name] of [['405', 'Allow'], ['429', 'Retry-After'], ['503', 'Retry-After']]) {
        if (!o.op.responses?.[status])
          continue;
        const header = resolve(resolve(o.op.responses[status]).headers?.[name]);
        assert.equal(header?.required, true, `${o.method} ${o.path} ${status}: ${name}`);
      }
    }
  });

  await t.test('the document examples match their schemas', () => {
    for (const o of operations()) {
      for (const p of o.params) {
        const ex = exampleOf(p);
        if (ex !== undefined && p.schema)
          assertValid(p.schema, ex, `${o.method} ${o.path}: example of ${p.in} ${p.name}`);
      }
      const content = resolve(o.op.requestBody)?.content ?? {};
      for (const [type, media] of Object.entries(content)) {
        for (const [name, ex] of bodyExamples(media))
          assertValid(media.schema, ex, `${o.method} ${o.path}: ${type} request ${name}`);
      }
      for (const [status, raw] of Object.entries(o.op.responses ?? {})) {
        for (const [type, media] of Object.entries(resolve(raw).content ?? {})) {
          if (media.schema && 'example' in media)
            assertValid(media.schema, media.example, `${o.method} ${o.path}: ${status} ${type} example`);
        }
      }
    }
  });
});

/* One top-level test per documented operation, with a subtest per case. */
for (const o of loaded.error ? [] : operations()) {
  test(`${o.method} ${o.path}`, async (t) => {
    if (!ajv)
      makeAjv();
    const pathQuery = requiredQuery(o);
    const successes = Object.keys(o.op.responses ?? {}).filter((s) => /^2/.test(s));
    assert.ok(successes.length > 0, 'documents no 2xx response');

    // Who asks: nobody for public operations, else an account of the test.
    const sc = SCENARIOS[o.op.operationId] ?? {};
    // Public operations too when their scenario makes prior state (a report).
    const fx = hasSecurity(o) || sc.params || sc.happy ? await fixtures() : null;
    const principal = fx ? await principalFor(o, sc, fx) : null;
    const auth = principal ? bearerOf(principal) : undefined;
    const baseParams = fx && sc.params ? await sc.params(fx) : {};

    // example: { name, type, value }; the scenario may adapt it.
    const happy = async (what, init, example = {}) => {
      const prep = (sc.happy ? await sc.happy(example, fx, principal) : {}) ?? {};
      const headers = { ...requestHeaders(o), ...authHeaders(prep.auth ?? auth), ...(init.headers ?? {}) };
      let body = init.body;
      if (example.type)
        [headers['content-type'], body] = encodeRequest(example.type, prep.body ?? example.value);
      const res = await send(o.method, fillPath(o, { ...baseParams, ...prep.params }), { ...init, headers, body });
      assert.ok(res.status >= 200 && res.status < 300,
        `${what}: expected success, got ${res.status}: ${res.text.slice(0, 300)}`);
      const parsed = checkResponse(o, res, what);
      checkRequestId(o, headers, res, parsed);
      if (prep.check)
        await prep.check(res, parsed);
      return res;
    };

    const requestBody = resolve(o.op.requestBody);
    if (!requestBody) {
      await t.test('the documented example request succeeds', async () => {
        await happy('example request', { query: encodeQuery(pathQuery) });
      });
      if (o.op.responses?.['304']) {
        await t.test('answers 304 to If-None-Match with the current ETag', async () => {
          const query = encodeQuery(pathQuery);
          const first = await happy('example request', { query });
          const etag = first.headers.get('etag');
          assert.ok(etag, '304 is documented, so the success response needs an ETag');
          const headers = { ...requestHeaders(o), ...authHeaders(auth), 'if-none-match': etag };
          const res = await send(o.method, fillPath(o, baseParams), { query, headers });
          assert.equal(res.status, 304, `got ${res.status}`);
          checkResponse(o, res, 'If-None-Match');
          checkRequestId(o, headers, res, undefined);
        });
      }
      const optional = o.params.filter((p) => p.in === 'query' && !p.required &&
        exampleOf(p) !== undefined);
      if (optional.length > 0) {
        await t.test(`succeeds with the optional query parameters (${optional.map((p) => p.name).join(', ')})`, async () => {
          await happy('optional parameters', {
            query: encodeQuery([...pathQuery, ...optional.map((p) => [p.name, exampleOf(p)])]),
          });
        });
      }
    } else {
      for (const [type, media] of Object.entries(requestBody.content ?? {})) {
        const examples = bodyExamples(media);
        assert.ok(examples.length > 0 || !requestBody.required, `${type} request body needs an example`);
        for (const [name, value] of examples) {
          await t.test(`succeeds with the ${type} request example "${name}"`, async () => {
            await happy(`${type} ${name}`, {
              query: encodeQuery(pathQuery),
              // A form body as a current browser sends it from the site's own page.
              headers: { 'content-type': type, ...(formLike(type) ? { 'sec-fetch-site': 'same-origin' } : {}) },
            }, { name, type, value });
          });
        }
      }
    }

    // Some request that passes parameter checks, for error cases below.
    const validInit = () => {
      if (!requestBody)
        return {};
      const [type, media] = Object.entries(requestBody.content)[0];
      // A multipart body needs its boundary in the Content-Type.
      const [sent, body] = encodeRequest(type, bodyExamples(media)[0]?.[1] ?? {});
      return { headers: { 'content-type': sent }, body };
    };

    // Error cases are sent as the principal, so only the thing tested is wrong.
    const expectError = async (what, status, { path, query, init = validInit(), as = auth } = {}) => {
      const headers = { ...requestHeaders(o), ...authHeaders(as), ...(init.headers ?? {}) };
      const res = await send(o.method, path ?? fillPath(o, baseParams), { query, body: init.body, headers });
      const body = checkResponse(o, res, what);
      assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
      checkRequestId(o, headers, res, body);
      return body;
    };

    await t.test('rejects an undeclared query parameter by name with 422', async () => {
      const body = await expectError('undeclared query parameter', 422, {
        query: encodeQuery([...pathQuery, ['contract_undeclared', '1']]),
      });
      assert.equal(body?.error?.fields?.contract_undeclared, 'unknown parameter');
    });

    await t.test('rejects a malformed query string with 400', async () => {
      const body = await expectError('parameter given twice', 400, {
        query: encodeQuery([...pathQuery, ['contract_twice', '1'], ['contract_twice', '2']]),
      });
      assert.ok(body?.error?.fields?.contract_twice, 'fields names the parameter');
      await expectError('broken percent-encoding', 400, { query: 'contract%zz=1' });
    });

    for (const p of o.params.filter((q) => q.in === 'query' && q.schema)) {
      const bad = ['Not a valid value!', '', '-1', 'x'.repeat(300)].find((c) => !matches(p.schema, asParam(p.schema, c)));
      if (bad === undefined)
        continue;
      await t.test(`rejects an invalid value of ${p.name} by name with 422`, async () => {
        const body = await expectError(`invalid ${p.name}=${JSON.stringify(bad)}`, 422, {
          query: encodeQuery([...pathQuery.filter(([k]) => k !== p.name), [p.name, bad]]),
        });
        assert.ok(body?.error?.fields?.[p.name], `fields names ${p.name}`);
      });
    }

    for (const p of o.params.filter((q) => q.in === 'path')) {
      await t.test(`answers 404 for an unknown or impossible {${p.name}}`, async () => {
        // A PUT that creates what it names (upsert) has no unknown value:
        // a new one is created, as its happy request shows.
        const unknown = sc.createsAt?.includes(p.name) ? undefined
          : ['contract-no-such-item-0', '999999999'].find((c) => matches(p.schema, asParam(p.schema, c)));
        if (unknown !== undefined) {
          await expectError(`unknown ${p.name}`, 404, {
            path: fillPath(o, { ...baseParams, [p.name]: unknown }), query: encodeQuery(pathQuery),
          });
        }
        const impossible = ['NOT_A_VALID_ID!', 'x'.repeat(100)].find((c) => !matches(p.schema, asParam(p.schema, c)));
        if (impossible !== undefined) {
          await expectError(`impossible ${p.name}`, 404, {
            path: fillPath(o, { ...baseParams, [p.name]: impossible }), query: encodeQuery(pathQuery),
          });
        }
      });
    }

    if (requestBody) {
      const content = requestBody.content ?? {};
      const types = Object.keys(content);
      const jsonType = types.find((ty) => isJson(essence(ty)));

      await t.test('rejects an undocumented Content-Type with 415', async () => {
        assert.ok(!types.includes('text/plain'));
        await expectError('text/plain body', 415, {
          init: { headers: { 'content-type': 'text/plain' }, body: validInit().body },
        });
      });

      if (jsonType) {
        await t.test('rejects malformed JSON with 400', async () => {
          await expectError('malformed JSON', 400, {
            init: { headers: { 'content-type': jsonType }, body: '{"truncated": ' },
          });
          await expectError('empty body', 400, {
            init: { headers: { 'content-type': jsonType }, body: '' },
          });
        });

        const wrong = invalidValueFor(content[jsonType].schema, [{}, [], 'text', 42, null]);
        if (wrong !== undefined) {
          await t.test('rejects JSON that does not match the request schema with 422', async () => {
            await expectError(`body ${JSON.stringify(wrong)}`, 422, {
              init: { headers: { 'content-type': jsonType }, body: JSON.stringify(wrong) },
            });
          });
        }

        if (o.op.responses?.['413']) {
          await t.test('rejects a body over the size limit with 413', async () => {
            // 100 KiB: above the default limit (64 KiB), below Kore's own
            // cap (twice it), where the answer is bare.
            const big = JSON.stringify({ padding: 'x'.repeat(100 * 1024) });
            await expectError('100 KiB body', 413, {
              init: { headers: { 'content-type': jsonType }, body: big },
            });
          });
        }

        if (o.op.responses?.['411']) {
          await t.test('answers 411 when Content-Length is missing', async () => {
            const u = new URL(BASE);
            const res = await sendRaw([
              `${o.method} ${fillPath(o)} HTTP/1.1`,
              `Host: ${u.host}`,
              `Content-Type: ${jsonType}`,
              'Connection: close',
            ]);
            checkResponse(o, res, 'no Content-Length');
            assert.equal(res.status, 411);
          });
        }
      }
    }

    if (needsAuth(o)) {
      await t.test('answers 401 with WWW-Authenticate without credentials', async () => {
        const body = await expectError('no credentials', 401, { query: encodeQuery(pathQuery), as: null });
        assert.equal(body?.error?.code, 'unauthorized');
        await expectError('unknown bearer token', 401, {
          query: encodeQuery(pathQuery), as: { bearer: randomBytes(32).toString('base64url') },
        });
        await expectError('malformed Authorization', 401, {
          query: encodeQuery(pathQuery), as: null,
          init: { ...validInit(), headers: { ...validInit().headers, authorization: 'Basic Y29udHJhY3Q6dGVzdA==' } },
        });
      });
    }

    if (rolesOf(o).length > 0) {
      await t.test(`answers 403 forbidden to an account without ${rolesOf(o).join(' or ')}`, async () => {
        const body = await expectError('citizen', 403, { query: encodeQuery(pathQuery), as: bearerOf(fx.citizen) });
        assert.equal(body?.error?.code, 'forbidden');
      });
    }

    if (hasSecurity(o) && STATE_CHANGING.has(o.method)) {
      if (needsAuth(o)) {
        await t.test('answers 403 csrf_failed to a cookie session without its CSRF token', async () => {
          await withCookie(principal);
          for (const [what, as] of [['no X-CSRF-Token', cookieOf(principal, false)],
            ['wrong X-CSRF-Token', { cookie: principal.cookie, csrf: randomBytes(32).toString('base64url') }]]) {
            const body = await expectError(what, 403, { query: encodeQuery(pathQuery), as });
            assert.equal(body?.error?.code, 'csrf_failed');
          }
        });
      }
      await t.test('answers 403 csrf_failed to a cross-site request', async () => {
        const crossSite = [
          ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
          ['foreign Origin', { origin: 'https://evil.example' }],
        ];
        if (principal)
          await withCookie(principal);
        for (const [what, extra] of crossSite) {
          // Even a cookie session with its token, or a bearer client.
          for (const as of principal ? [cookieOf(principal), bearerOf(principal)] : [null]) {
            const init = validInit();
            const body = await expectError(`${what}${as ? (as.bearer ? ', bearer' : ', cookie') : ''}`, 403, {
              query: encodeQuery(pathQuery), as, init: { ...init, headers: { ...(init.headers ?? {}), ...extra } },
            });
            assert.equal(body?.error?.code, 'csrf_failed');
          }
        }
      });
    }

    if (sc.extra)
      await sc.extra(t, fx, principal);
  });
}

/* 405 is a property of the path: probe each method it does not document. */
for (const [path, item] of loaded.error ? [] : Object.entries(spec.paths ?? {})) {
  const documented = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
  const others = PROBE_METHODS.filter((m) => !documented.includes(m));
  if (others.length === 0)
    continue;
  test(`${path}: other methods get 405 with Allow`, async (t) => {
    if (!ajv)
      makeAjv();
    const expectedAllow = new Set(documented);
    if (expectedAllow.has('GET'))
      expectedAllow.add('HEAD');
    for (const method of others) {
      await t.test(`${method} ${path}`, async () => {
        const o = operations().find((x) => x.path === path);
        const init = probeInit(method);
        const res = await send(method, fillPath(o), init);
        assert.equal(res.status, 405, `got ${res.status}: ${res.text.slice(0, 300)}`);
        for (const docOp of operations().filter((x) => x.path === path))
          checkResponse(docOp, res, `${method} instead`);
        const allow = (res.headers.get('allow') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        assert.deepEqual(new Set(allow), expectedAllow, 'Allow lists the documented methods');
      });
    }
  });
}

test('an unknown API path gets the documented 404 error', { skip }, async () => {
  if (!ajv)
    makeAjv();
  const notFound = spec.components?.responses?.NotFound;
  assert.ok(notFound, 'components.responses.NotFound is documented');
  const res = await send('GET', '/api/v1/contract-no-such-route');
  assert.equal(res.status, 404);
  checkResponse({ method: 'GET', path: '/api/v1/contract-no-such-route', op: { responses: { 404: notFound } } },
    res, 'unknown path');
});

/* ------------------------------------------------ routes.c ⇄ document */

/*
 * Entries look like { M_GET, "/api/v1/fields/{slug}", ROUTE_API, handler,
 * params, body_types }.  ROUTE_PAGE entries ("/", "/assets/{name}") are HTML
 * for people and stay out of the document.
 */
async function routesFromSource() {
  const src = (await readFile(ROUTES_C, 'utf8'))
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[\s;{}])\/\/[^\n]*/g, '$1');
  const entries = [];
  const re = /\{\s*(M_[A-Z]+(?:\s*\|\s*M_[A-Z]+)*)\s*,\s*"([^"]*)"\s*,\s*(ROUTE_[A-Z0-9_]+)/g;
  let parsed = 0;
  for (const m of src.matchAll(re)) {
    parsed++;
    for (const method of m[1].split('|'))
      entries.push({ method: method.trim().slice(2), path: m[2], kind: m[3] });
  }
  // Every "{ M_…" that opens an entry must have matched the pattern above.
  const starts = (src.match(/\{\s*M_[A-Z]+/g) ?? []).length;
  return { entries, starts, parsed };
}

test('src/routes.c and the document list the same JSON routes', { skip }, async (t) => {
  const { entries, starts, parsed } = await routesFromSource();

  await t.test('every route entry of routes.c was understood', () => {
    assert.ok(entries.length > 0, 'no routes found in src/routes.c');
    assert.equal(parsed, starts, 'some "{ M_…" entries did not match the expected layout');
  });

  // Open311 (/open311/v2/) follows its own specification, GeoReport v2,
  // and is checked against its schemas in open311.test.mjs.
  const api = entries.filter((e) => e.kind !== 'ROUTE_PAGE' && e.kind !== 'ROUTE_OPEN311');
  const pages = entries.filter((e) => e.kind === 'ROUTE_PAGE');

  await t.test('every JSON route in routes.c is documented', () => {
    const missing = api.filter((e) => !spec.paths?.[e.path]?.[e.method.toLowerCase()])
      .map((e) => `${e.method} ${e.path}`);
    assert.deepEqual(missing, [], 'routes missing from assets/openapi.json');
  });

  await t.test('every documented operation exists in routes.c', () => {
    const known = new Set(api.map((e) => `${e.method} ${e.path}`));
    const extra = operations().map((o) => `${o.method} ${o.path}`).filter((k) => !known.has(k));
    assert.deepEqual(extra, [], 'documented operations without a route (or only an HTML page route)');
  });

  await t.test('HTML page routes are not documented', () => {
    const documentedPages = pages.filter((e) => spec.paths?.[e.path]?.[e.method.toLowerCase()])
      .map((e) => `${e.method} ${e.path}`);
    assert.deepEqual(documentedPages, []);
  });
});
