// What the server refuses, and how: 404, 405, 413, 415, 400, 422.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, raw, rawExchange, expectError, koreLog } from './lib.mjs';

const CSP = '/api/v1/csp-reports';

test('unknown API route → 404 JSON error', async () => {
	const e = expectError(await req('/api/v1/does-not-exist'), 404, 'not_found');
	assert.ok(e.message.length > 0);
});

test('wrong method → 405 with Allow', async () => {
	let r = await req('/api/v1/fields', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	expectError(r, 405, 'method_not_allowed');
	assert.equal(r.headers.get('allow'), 'GET, HEAD');
	r = await req('/healthz', { method: 'DELETE' });
	assert.equal(r.status, 405);
	r = await req(CSP, { method: 'GET' });
	expectError(r, 405);
	assert.equal(r.headers.get('allow'), 'POST');
	r = await req('/api/v1/fields', { method: 'OPTIONS' });
	assert.equal(r.status, 204);
	assert.equal(r.headers.get('allow'), 'GET, HEAD');
});

test('oversize body → 413 (application limit as JSON, Kore limit bare)', async () => {
	const big = JSON.stringify({ 'csp-report': { pad: 'x'.repeat(100 * 1024) } });
	expectError(await req(CSP, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }),
		413, 'payload_too_large');
	const huge = 'x'.repeat(9 * 1024 * 1024);
	// Kore answers 413 on the Content-Length alone and may reset the
	// connection while the body is still on its way: the status line must
	// have arrived first, or the refusal did not happen (a crash, say).
	const r = await rawExchange(CSP, { method: 'POST', headers: { 'content-type': 'application/json',
		'content-length': String(huge.length) }, body: huge });
	assert.equal(r.status, 413, `no 413 before the connection ended (${r.error?.code || r.error}): ${r.data.slice(0, 200)}`);
});

test('a body over Kore\'s cap is refused by Kore before it is read', async () => {
	// Above the largest body the application takes (three 10 MiB photos
	// with their form; Kore's cap is that plus 2 MiB, src/tools/conf.sh):
	// Kore must answer from the Content-Length alone, so the worker never
	// holds the body.
	const big = 'x'.repeat(40 * 1024 * 1024);
	const r = await rawExchange(CSP, { method: 'POST', headers: { 'content-type': 'application/json',
		'content-length': String(big.length) }, body: big });
	assert.equal(r.status, 413, `no 413 before the connection ended (${r.error?.code || r.error}): ${r.data.slice(0, 200)}`);
	assert.ok(r.sent < big.length, `the server read all ${big.length} bytes before it answered`);
	assert.match(r.data, /^content-length: 0\r$/im, 'Kore\'s bare answer, not the application\'s');
	assert.match(r.data, /^connection: close\r$/im);
});

test('wrong or missing Content-Type → 415', async () => {
	const body = JSON.stringify({ 'csp-report': {} });
	expectError(await req(CSP, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
		415, 'unsupported_media_type');
	expectError(await req(CSP, { method: 'POST', headers: { 'content-type': 'application/jsonx' }, body }), 415);
	const r = await raw(CSP, { method: 'POST', headers: { 'content-length': String(body.length) }, body });
	assert.equal(r.status, 415);
});

test('malformed JSON → 400 naming the problem; valid JSON of the wrong shape → 422', async () => {
	const post = (body) => req(CSP, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
	let e = expectError(await post('{"csp-report": '), 400, 'malformed_json');
	assert.match(e.message, /malformed JSON/);
	e = expectError(await post('{"a":1,"a":2}'), 400, 'malformed_json');
	assert.match(e.message, /duplicate key/);
	e = expectError(await post('['.repeat(100) + ']'.repeat(100)), 400);
	assert.match(e.message, /nested deeper/);
	e = expectError(await post(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), 400);
	assert.match(e.message, /UTF-8/);
	expectError(await post('{"something": "else"}'), 422, 'validation_failed');
});

test('CSP reports: a flood from one client is refused with 429 and not logged', async () => {
	// 60 reports per client and minute, counted per worker (two in tests).
	const marker = `flood${Date.now()}`;
	const body = JSON.stringify({ 'csp-report': { 'document-uri': `http://x/${marker}`,
		'blocked-uri': 'inline', 'violated-directive': 'script-src' } });
	const res = [];
	for (let i = 0; i < 200; i++) {
		res.push(await req(CSP, { method: 'POST', headers: { 'content-type': 'application/csp-report',
			'x-forwarded-for': '192.0.2.201' }, body }));
	}
	const refused = res.filter((r) => r.status === 429);
	assert.ok(refused.length >= 200 - 2 * 60, `only ${refused.length} of 200 refused`);
	assert.equal(refused.length + res.filter((r) => r.status === 204).length, 200);
	expectError(refused[0], 429, 'too_many_requests');
	assert.match(refused[0].headers.get('retry-after'), /^[1-9][0-9]*$/);
	const logged = koreLog().split('\n').filter((l) => l.includes(marker)).length;
	assert.ok(logged <= 2 * 60, `${logged} reports logged`);
	// Another client is not affected.
	assert.equal((await req(CSP, { method: 'POST', headers: { 'content-type': 'application/csp-report',
		'x-forwarded-for': '192.0.2.202' }, body })).status, 204);
});
