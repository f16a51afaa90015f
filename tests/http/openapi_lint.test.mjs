// The OpenAPI document must be one that standard tools accept, so that
// client generators and documentation tools can use it:
//
//   - @apidevtools/swagger-parser validates it (OpenAPI 3.1 schema, $refs);
//   - `redocly lint` with the recommended ruleset (tests/redocly.yaml)
//     reports no error;
//   - every example (of schemas at any depth, of media types, parameters
//     and headers) is valid against its own schema, checked here with Ajv
//     in JSON Schema 2020-12 mode, the dialect of OpenAPI 3.1.
//
// This test reads assets/openapi.json from disk and needs no server:
//
//   cd tests && npm ci && node --test http/openapi_lint.test.mjs
//
// Each test fails with the list of all problems it found.  Whether the live
// server answers what the document says is tests/http/openapi.test.mjs.

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const OPENAPI_FILE = fileURLToPath(new URL('../../assets/openapi.json', import.meta.url));
const REDOCLY_CONFIG = fileURLToPath(new URL('../redocly.yaml', import.meta.url));
const spec = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));

const list = (problems) => `${problems.length} problem(s):\n  ${problems.join('\n  ')}`;

test('the document is OpenAPI 3.1', () => {
  assert.match(String(spec.openapi), /^3\.1\.\d+$/);
});

test('@apidevtools/swagger-parser validates the document', async () => {
  try {
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(spec));
  } catch (err) {
    assert.fail(`swagger-parser rejects assets/openapi.json:\n${err.message}`);
  }
});

test('redocly lint (recommended rules, redocly.yaml) reports no error', () => {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  const r = spawnSync(process.execPath, [cli, 'lint', OPENAPI_FILE, '--config', REDOCLY_CONFIG,
    '--format=json', '--max-problems=1000'], {
    encoding: 'utf8',
    timeout: 120000,
    // Offline and quiet: no telemetry, no update check.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
  assert.equal(r.error, undefined, `redocly did not run: ${r.error}`);
  const start = r.stdout.indexOf('{');
  assert.ok(start >= 0, `redocly printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const { problems } = JSON.parse(r.stdout.slice(start));
  const show = (p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer}: ${p.message}`;
  const warnings = problems.filter((p) => p.severity !== 'error');
  if (warnings.length > 0)
    console.log(`# redocly warnings:\n#   ${warnings.map(show).join('\n#   ')}`);
  const errors = problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map(show), [], `redocly lint: ${list(errors.map(show))}`);
  assert.equal(r.status, 0, `redocly exited with ${r.status}: ${r.stderr}`);
});

/* ------------------------------------------------------------ examples */

const COMPONENTS_ID = 'https://mitwirken.invalid/openapi/components.json';
const SCHEMA_PREFIX = '#/components/schemas/';

/* Schema $refs point into the components document registered with Ajv. */
function absoluteRefs(node) {
  if (node === null || typeof node !== 'object')
    return node;
  if (Array.isArray(node))
    return node.map(absoluteRefs);
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      assert.ok(v.startsWith(SCHEMA_PREFIX), `a schema $ref outside #/components/schemas: ${v}`);
      out.$ref = `${COMPONENTS_ID}#/$defs/${v.slice(SCHEMA_PREFIX.length)}`;
    } else if (['example', 'examples', 'enum', 'const', 'default'].includes(k)) {
      out[k] = v; // values, not schemas
    } else {
      out[k] = absoluteRefs(v);
    }
  }
  return out;
}

function makeAjv(problems) {
  // Strict: an unknown keyword (an OpenAPI 3.0 leftover such as nullable)
  // or format is a problem.  OpenAPI adds a few keywords of its own.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
  try {
    ajv.addSchema({ $id: COMPONENTS_ID, $defs: absoluteRefs(spec.components?.schemas ?? {}) });
  } catch (err) {
    problems.push(`#/components/schemas: ${err.message}`);
    return null;
  }
  return ajv;
}

const pointerKey = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
const refTarget = (ref) => ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  .reduce((node, key) => node?.[key], spec);
const resolve = (node) => (node && typeof node.$ref === 'string' ? resolve(refTarget(node.$ref)) : node);

// Keywords whose value is a schema, a list of schemas or a map of schemas.
const SUB_SCHEMA = ['items', 'additionalProperties', 'unevaluatedProperties', 'not', 'if', 'then', 'else',
  'contains', 'propertyNames', 'unevaluatedItems'];
const SUB_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUB_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

/* Every [schema, JSON pointer] under a schema, itself included. */
function* schemasIn(schema, at) {
  if (schema === null || typeof schema !== 'object')
    return;
  yield [schema, at];
  for (const k of SUB_SCHEMA)
    yield* schemasIn(schema[k], `${at}/${k}`);
  for (const k of SUB_LISTS)
    for (const [i, s] of (schema[k] ?? []).entries())
      yield* schemasIn(s, `${at}/${k}/${i}`);
  for (const k of SUB_MAPS)
    for (const [n, s] of Object.entries(schema[k] ?? {}))
      yield* schemasIn(s, `${at}/${k}/${pointerKey(n)}`);
}

/*
 * Every example of the document with the schema it must match and where it
 * is: [schema, value, pointer].  Schemas carry `example` (OpenAPI) or
 * `examples` (JSON Schema: a list); media types, parameters and headers
 * carry `example` or `examples` (a map of Example Objects) next to `schema`.
 */
function* examplesIn(node, at = '#') {
  if (node === null || typeof node !== 'object')
    return;
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries())
      yield* examplesIn(v, `${at}/${i}`);
    return;
  }
  for (const [k, v] of Object.entries(node)) {
    const here = `${at}/${pointerKey(k)}`;
    if (k === 'schema' || (at === '#/components' && k === 'schemas')) {
      const roots = k === 'schema' ? [[v, here]]
        : Object.entries(v).map(([n, s]) => [s, `${here}/${pointerKey(n)}`]);
      for (const [root, rootAt] of roots) {
        for (const [s, sAt] of schemasIn(root, rootAt)) {
          if ('example' in s)
            yield [s, s.example, `${sAt}/example`];
          if (Array.isArray(s.examples))
            for (const [i, ex] of s.examples.entries())
              yield [s, ex, `${sAt}/examples/${i}`];
        }
      }
    } else if ((k === 'example' || k === 'examples') && 'schema' in node) {
      if (k === 'example')
        yield [node.schema, v, here];
      else
        for (const [name, ex] of Object.entries(v))
          yield [node.schema, resolve(ex)?.value, `${here}/${pointerKey(name)}/value`];
    } else if (k !== 'example' && k !== 'examples') {
      yield* examplesIn(v, here);
    }
  }
}

test('every example matches its own schema (JSON Schema 2020-12)', () => {
  const problems = [];
  const ajv = makeAjv(problems);
  assert.ok(ajv, `the component schemas are not JSON Schema 2020-12: ${list(problems)}`);
  for (const name of Object.keys(spec.components?.schemas ?? {})) {
    try {
      ajv.getSchema(`${COMPONENTS_ID}#/$defs/${name}`);
    } catch (err) {
      problems.push(`#/components/schemas/${name} does not compile: ${err.message}`);
    }
  }
  const compiled = new Map();
  let checked = 0;
  for (const [schema, value, at] of examplesIn(spec)) {
    checked++;
    const converted = absoluteRefs(schema);
    const key = JSON.stringify(converted);
    let validate = compiled.get(key);
    if (!validate) {
      try {
        validate = ajv.compile(converted);
      } catch (err) {
        problems.push(`${at}: the schema does not compile: ${err.message}`);
        continue;
      }
      compiled.set(key, validate);
    }
    if (value === undefined)
      problems.push(`${at}: the example has no value`);
    else if (!validate(value))
      problems.push(`${at}: ${ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'example' })}`);
  }
  assert.ok(checked > 100, `only ${checked} examples found: is the walk broken?`);
  assert.deepEqual(problems, [], `examples that do not match their schema: ${list(problems)}`);
});
