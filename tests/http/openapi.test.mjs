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
import Ajv from 'ajv';
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

/*
 * One request; the query string is passed raw so malformed ones reach the
 * server unchanged.  Returns { status, headers, text }.
 */
async function send(method, path, { query, headers = {}, body } = {}) {
  const url = BASE + path + (query ? `?${query}` : '');
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

/* ------------------------------------------- OpenAPI 3.0 schema → Ajv */

const COMPONENTS_ID = 'https://mitwirken.invalid/openapi/components.json';
// OpenAPI 3.0 keywords that JSON Schema lacks (nullable is translated).
const OAS_ONLY = new Set(['nullable', 'example', 'xml', 'externalDocs', 'discriminator']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not']);

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
      out.$ref = `${COMPONENTS_ID}#/definitions/${m[1]}`;
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
  // OpenAPI 3.0 has boolean exclusiveMinimum/Maximum.
  for (const [ex, lim] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (out[ex] === true) {
      out[ex] = out[lim];
      delete out[lim];
    } else if (out[ex] === false) {
      delete out[ex];
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum))
        out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

let ajv;
const compiled = new Map();

function makeAjv() {
  ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  const definitions = {};
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {}))
    definitions[name] = toJsonSchema(schema);
  ajv.addSchema({ $id: COMPONENTS_ID, definitions });
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
  const type = resolve(schema)?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false'))
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

/* The request id we sent must come back in the header and the error body. */
function checkRequestId(o, headers, res, body) {
  const sent = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  if (sent === undefined || res.headers.get('x-request-id') === null)
    return;
  assert.equal(res.headers.get('x-request-id'), sent, `${o.method} ${o.path}: X-Request-Id not echoed`);
  if (body && typeof body === 'object' && body.error)
    assert.equal(body.error.request_id, sent, `${o.method} ${o.path}: error.request_id differs from X-Request-Id`);
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
  const h = { ...requestHeaders(o), ...authHeaders(auth), ...headers };
  let payload;
  if (body !== undefined) {
    h['content-type'] = type;
    payload = encodeBody(type, body);
  }
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
 * (src/crypto.c), so the token of a fresh session, registered for the
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
    return { citizen, admin, target, department: body.categories[0].department.slug };
  })();
  return fixturesMade;
}

after(() => {
  // Roles granted by this file go again, so no later test finds an extra admin.
  const ids = madeAccounts.map((a) => a.id).filter((id) => Number.isSafeInteger(id));
  if (ids.length > 0 && process.env.DATABASE_URL)
    psql(`DELETE FROM account_roles WHERE account_id IN (${ids.map(sqlId).join(', ')})`);
});

async function me(acct, auth = bearerOf(acct)) {
  return call('GET', '/api/v1/me', { auth, what: `who is ${acct.label}` });
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
      await t.test('a pseudonym that is taken is 409 naming pseudonym', async () => {
        const r = await expectStatus(409, 'POST', '/api/v1/accounts', {
          body: { email: uniqueEmail('taken'), password: PASSWORD, pseudonym: fx.admin.pseudonym }, what: 'taken pseudonym',
        });
        assert.ok(r.body.error.fields.pseudonym);
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
};

/* The account an operation's requests are made as, or null (anonymous). */
async function principalFor(o, sc, fx) {
  if (sc.principal)
    return sc.principal(fx);
  if (!needsAuth(o))
    return null;
  const roles = rolesOf(o);
  if (roles.length === 0)
    return fx.citizen;
  assert.ok(roles.includes('admin'), `${o.method} ${o.path}: teach the test an account with one of ${roles}`);
  return fx.admin;
}

/* ---------------------------------------------------------------- tests */

test('GET /api/v1/openapi.json serves an OpenAPI 3.0.x JSON document', () => {
  if (loaded.error)
    throw loaded.error;
  assert.equal(loaded.res.status, 200);
  assert.match(loaded.res.headers.get('content-type') ?? '', /^application\/json\b/);
  assert.equal(typeof spec, 'object');
  assert.match(String(spec.openapi), /^3\.0\.\d+$/, 'openapi must be 3.0.x');
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

  await t.test('OpenAPI 3.0 schema types are single strings', () => {
    const types = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
    const check = (schema, where) => {
      for (const [node, at] of walk(schema, where)) {
        if ('type' in node && !('in' in node) && typeof node.type !== 'object')
          assert.ok(types.has(node.type), `${at}: type ${node.type}`);
      }
    };
    for (const [name, schema] of Object.entries(spec.components?.schemas ?? {}))
      check(schema, `#/components/schemas/${name}`);
  });

  await t.test('every component schema compiles (Ajv strict mode)', () => {
    makeAjv();
    for (const name of Object.keys(spec.components?.schemas ?? {}))
      assert.doesNotThrow(() => ajv.getSchema(`${COMPONENTS_ID}#/definitions/${name}`), name);
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
    const fx = hasSecurity(o) ? await fixtures() : null;
    const principal = fx ? await principalFor(o, sc, fx) : null;
    const auth = principal ? bearerOf(principal) : undefined;
    const baseParams = fx && sc.params ? sc.params(fx) : {};

    // example: { name, type, value }; the scenario may adapt it.
    const happy = async (what, init, example = {}) => {
      const prep = (sc.happy ? await sc.happy(example, fx, principal) : {}) ?? {};
      const headers = { ...requestHeaders(o), ...authHeaders(prep.auth ?? auth), ...(init.headers ?? {}) };
      const body = example.type ? encodeBody(example.type, prep.body ?? example.value) : init.body;
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
              headers: { 'content-type': type },
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
      return {
        headers: { 'content-type': type },
        body: encodeBody(type, bodyExamples(media)[0]?.[1] ?? {}),
      };
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
        const unknown = ['contract-no-such-item-0', '999999999'].find((c) => matches(p.schema, asParam(p.schema, c)));
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
            // 1 MiB: above the default limit (64 KiB), below Kore's own cap.
            const big = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });
            await expectError('1 MiB body', 413, {
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
  const re = /\{\s*(M_[A-Z]+(?:\s*\|\s*M_[A-Z]+)*)\s*,\s*"([^"]*)"\s*,\s*(ROUTE_[A-Z_]+)/g;
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

  const api = entries.filter((e) => e.kind !== 'ROUTE_PAGE');
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
