// Operations endpoints, security headers, request ids and the log line.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { req, json, koreLog, sleep, uniqueEmail, PASSWORD } from './lib.mjs';

// Every route of the server, read from its one table (src/routes.c).
const ROUTES = [...readFileSync(new URL('../../src/routes.c', import.meta.url), 'utf8')
	.matchAll(/\{\s*M_(GET|POST|PUT|PATCH|DELETE),\s*"([^"]+)",\s*ROUTE_[A-Z]+/g)]
	.map(([, method, pattern]) => `${method} ${pattern}`);

test('/healthz answers ok without touching the database', async () => {
	const r = await req('/healthz');
	assert.equal(r.status, 200);
	assert.equal(r.text, 'ok\n');
	assert.match(r.headers.get('content-type'), /^text\/plain/);
});

test('/readyz runs SELECT 1', async () => {
	const r = await req('/readyz');
	assert.equal(r.status, 200);
	assert.match(r.text, /^ready\nprimary pool: \d+ busy of 16, \d+ waiting \(worker \d+\)\n$/);
});

test('security headers on every response, HSTS only behind TLS', async () => {
	for (const path of ['/healthz', '/', '/api/v1/fields', '/api/v1/nope', '/nope']) {
		const r = await req(path);
		const csp = r.headers.get('content-security-policy');
		assert.ok(csp, `${path}: CSP`);
		assert.match(csp, /default-src 'none'/);
		assert.match(csp, /frame-ancestors 'none'/);
		assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
		assert.equal(r.headers.get('referrer-policy'), 'same-origin', path);
		assert.equal(r.headers.get('strict-transport-security'), null, path);
		assert.equal(r.headers.get('server'), 'mitwirken', path);
	}
});

test('request ids: always generated; a sane X-Request-Id is not reused', async () => {
	const a = await req('/healthz');
	assert.match(a.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
	const a2 = await req('/healthz');
	assert.notEqual(a2.headers.get('x-request-id'), a.headers.get('x-request-id'));
	const b = await req('/healthz', { headers: { 'X-Request-Id': 'proxy-abc-12345' } });
	assert.match(b.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
	const c = await req('/healthz', { headers: { 'X-Request-Id': 'bad id with spaces' } });
	assert.match(c.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
	await sleep(300);
	assert.doesNotMatch(koreLog(), /client_id=bad/, 'an id that is not sane is not logged');
});

test('one log line per request with id, method, path, status, duration; no query string', async () => {
	const r = await req('/api/v1/categories?department=secret-token-xyz');
	const id = r.headers.get('x-request-id');
	let line;
	for (let i = 0; i < 50 && !line; i++) {
		line = koreLog().split('\n').find((l) => l.includes(`req id=${id} `));
		if (!line) await sleep(50);
	}
	assert.ok(line, 'log line present');
	assert.match(line, /method=GET path=\/api\/v1\/categories route=GET \/api\/v1\/categories status=200 ms=\d+\.\d\d$/);
	assert.ok(!koreLog().includes('secret-token-xyz'), 'query string never logged');
	const lines = koreLog().split('\n').filter((l) => l.includes(`req id=${id} `));
	assert.equal(lines.length, 1, 'exactly one line, not repeated by workers');
	const starts = koreLog().split('\n').filter((l) => l.includes('kore is starting up'));
	assert.equal(starts.length, 1, 'parent output is not repeated by forked workers');
});

// Prometheus text format 0.0.4: HELP/TYPE comments and samples.
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+-]+(Inf)?$/;

test('/metrics is valid Prometheus text with requests, latency, pool', async () => {
	await req('/healthz');
	await req('/api/v1/fields');
	const r = await req('/metrics');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
	const lines = r.text.trimEnd().split('\n');
	for (const l of lines) {
		if (l.startsWith('# HELP ') || l.startsWith('# TYPE ')) continue;
		assert.match(l, SAMPLE, `bad sample line: ${l}`);
	}
	const val = (re) => Number((r.text.match(re) || [])[1]);
	assert.ok(val(/mitwirken_http_requests_total\{route="GET \/healthz",status="200"\} (\d+)/) >= 1);
	assert.ok(val(/mitwirken_http_requests_total\{route="GET \/api\/v1\/fields",status="200"\} (\d+)/) >= 1);
	assert.match(r.text, /# TYPE mitwirken_http_request_duration_seconds histogram/);
	const count = val(/duration_seconds_count\{route="GET \/healthz"\} (\d+)/);
	const inf = val(/duration_seconds_bucket\{route="GET \/healthz",le="\+Inf"\} (\d+)/);
	assert.equal(inf, count);
	let prev = 0;
	for (const m of r.text.matchAll(/duration_seconds_bucket\{route="GET \/healthz",le="[^"]+"\} (\d+)/g)) {
		assert.ok(Number(m[1]) >= prev, 'buckets are cumulative');
		prev = Number(m[1]);
	}
	assert.match(r.text, /mitwirken_db_errors_total \d+/);
	assert.match(r.text, /mitwirken_db_pool_connections\{worker="\d+",state="max"\} 16/);
	assert.match(r.text, /mitwirken_db_queue_waiting\{worker="\d+"\} \d+/);
});

test('a CSP violation report is accepted and logged', async () => {
	const report = { 'csp-report': { 'document-uri': 'http://x/', 'blocked-uri': 'inline',
		'violated-directive': 'script-src' } };
	const r = await req('/api/v1/csp-reports', { method: 'POST',
		headers: { 'content-type': 'application/csp-report' }, body: JSON.stringify(report) });
	assert.equal(r.status, 204);
	const id = r.headers.get('x-request-id');
	for (let i = 0; i < 50 && !koreLog().includes(`csp id=${id}`); i++) await sleep(50);
	assert.match(koreLog(), new RegExp(`csp id=${id} document=http://x/ blocked=inline directive=script-src`));
});

// The registry is sized from the route table: a route that never ran is a
// zero-valued histogram, so dashboards and alerts see every route.
test('/metrics lists every route of the table', async () => {
	assert.ok(ROUTES.length > 64, `routes.c parsed: ${ROUTES.length} routes`);
	const r = await req('/metrics');
	const missing = ROUTES.filter((name) =>
		!r.text.includes(`mitwirken_http_request_duration_seconds_count{route="${name}"} `));
	assert.deepEqual(missing, [], `routes missing from /metrics:\n${missing.join('\n')}`);
	// The last route of the table is counted when it runs (an off-by-one
	// in the registry would lose it), whatever its answer.
	const last = ROUTES[ROUTES.length - 1];
	const [method, pattern] = last.split(' ');
	const r2 = await req(pattern.replace(/\{[a-z_]+\}/g, '1'), { method });
	const after = (await req('/metrics')).text;
	const counted = after.split('\n').find((l) =>
		l.startsWith(`mitwirken_http_requests_total{route="${last}",status="${r2.status}"} `));
	assert.ok(counted && Number(counted.split(' ').pop()) >= 1, `${last} → ${r2.status} counted: ${counted}`);
});

test('/metrics labels a status by its code (202, not "other")', async () => {
	const r = await json('POST', '/api/v1/accounts', { email: uniqueEmail('m'), password: PASSWORD });
	assert.equal(r.status, 202);
	const m = await req('/metrics');
	assert.match(m.text, /mitwirken_http_requests_total\{route="POST \/api\/v1\/accounts",status="202"\} [1-9]/);
	assert.doesNotMatch(m.text, /status="other"/);
});

// A client's X-Request-Id is logged beside the server's own id, never
// adopted: a client could otherwise reuse (or forge) the id of another
// request and make two log lines look like one.
test('X-Request-Id: the server keeps its own id and logs the client one beside it', async () => {
	const first = await req('/healthz');
	const serverId = first.headers.get('x-request-id');
	assert.match(serverId, /^[0-9a-f]{32}$/);
	const again = await req('/healthz', { headers: { 'x-request-id': serverId } });
	assert.notEqual(again.headers.get('x-request-id'), serverId, 'a server id given back is not adopted');
	const mine = `proxy-${Date.now()}`;
	const r = await req('/api/v1/nothing-here', { headers: { 'x-request-id': mine } });
	const id = r.headers.get('x-request-id');
	assert.match(id, /^[0-9a-f]{32}$/);
	assert.equal(r.json.error.request_id, id, 'the error names the server id');
	await sleep(300);
	assert.match(koreLog(), new RegExp(`req id=${id} client_id=${mine} `), 'the client id is logged beside it');
});
