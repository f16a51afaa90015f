// The HTML start page: German first, escaping, stylesheet caching.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, psql, expectError } from './lib.mjs';

test('GET / is a German page listing the Handlungsfelder', async () => {
	const r = await req('/');
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
	assert.match(r.text, /^<!doctype html>\n<html lang="de">/);
	for (const name of ['Bauen und Wohnen', 'Mobilität', 'Wirtschaft und Tourismus'])
		assert.ok(r.text.includes(`<h3>${name}</h3>`), name);
	assert.match(r.text, /<link rel="stylesheet" href="\/assets\/style\.css\?v=[0-9a-f]{16}">/);
	assert.ok(!/\{\{/.test(r.text), 'no unrendered template tags');
});

test('English by ?lang=en or Accept-Language; ?lang wins', async () => {
	let r = await req('/?lang=en');
	assert.match(r.text, /<html lang="en">/);
	assert.ok(r.text.includes('<h3>Mobility</h3>'));
	r = await req('/', { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
	assert.match(r.text, /<html lang="en">/);
	r = await req('/?lang=de', { headers: { 'Accept-Language': 'en' } });
	assert.match(r.text, /<html lang="de">/);
	r = await req('/?lang=fr');
	assert.equal(r.status, 422);
	assert.match(r.headers.get('content-type'), /^text\/html/);
});

test('data is HTML-escaped on the page', async () => {
	psql(`INSERT INTO fields (id, slug, name_de, name_en, description_de, description_en, position)
	      VALUES (99, 'escape-test', '<script>alert(1)</script>', 'x', 'a & b "c" ''d''', 'x', 99)`);
	try {
		const r = await req('/');
		assert.ok(r.text.includes('<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>'));
		assert.ok(r.text.includes('a &amp; b &quot;c&quot; &#39;d&#39;'));
		assert.ok(!r.text.includes('<script>alert(1)'));
	} finally {
		psql('DELETE FROM fields WHERE id = 99');
	}
});

test('stylesheet: versioned URL is immutable, plain URL revalidates, ETag gives 304', async () => {
	const page = await req('/');
	const href = page.text.match(/href="(\/assets\/style\.css\?v=[0-9a-f]+)"/)[1];
	const a = await req(href);
	assert.equal(a.status, 200);
	assert.equal(a.headers.get('content-type'), 'text/css; charset=utf-8');
	assert.match(a.headers.get('cache-control'), /max-age=31536000, immutable/);
	const b = await req('/assets/style.css');
	assert.match(b.headers.get('cache-control'), /max-age=300/);
	const etag = b.headers.get('etag');
	const c = await req('/assets/style.css', { headers: { 'If-None-Match': etag } });
	assert.equal(c.status, 304);
	assert.equal(c.text, '');
});

test('assets: unknown names and traversal attempts are 404', async () => {
	for (const p of ['/assets/nope.css', '/assets/..%2F..%2Fetc%2Fpasswd', '/assets/../sql/001_taxonomy.sql',
		'/assets/%2e%2e%2fopenapi.json', '/assets/templates%2Findex.html']) {
		const r = await req(p);
		assert.equal(r.status, 404, p);
	}
});

test('unknown page → German 404 page; HEAD has no body', async () => {
	const r = await req('/gibt-es-nicht');
	assert.equal(r.status, 404);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.ok(r.text.includes('Diese Seite gibt es nicht.'));
	assert.ok(r.text.includes(r.headers.get('x-request-id')));
	const h = await req('/', { method: 'HEAD' });
	assert.equal(h.status, 200);
	assert.equal(h.text, '');
});

// Shared links carry tracking parameters: a page ignores what it does not
// declare; the JSON API stays strict and names the parameter.
test('pages ignore unknown query parameters, the API names them', async () => {
	let r = await req('/ideen?fbclid=x&utm_source=y&utm_medium=social');
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Ideen<\/h1>/);
	assert.match(r.text, /id="results-heading"/);
	r = await req('/?fbclid=IwAR0abc&lang=en');
	assert.equal(r.status, 200);
	assert.match(r.text, /<html lang="en">/, 'declared parameters still apply');
	r = await req('/ideen/neu?utm_campaign=x');
	assert.notEqual(r.status, 422);
	r = await req('/api/v1/ideas?fbclid=x');
	const e = expectError(r, 422);
	assert.deepEqual(Object.keys(e.fields), ['fbclid']);
	assert.equal(e.fields.fbclid, 'unknown parameter');
	// A declared parameter with a bad value is still refused, on a page
	// people can read (German, with the request id), not a bare status.
	r = await req('/ideen?status=kaputt&fbclid=x');
	assert.equal(r.status, 422);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.match(r.text, /<h1>[^<]*422<\/h1>/);
	assert.match(r.text, /Einige Angaben sind ungültig\./);
	assert.ok(r.text.includes(r.headers.get('x-request-id')));
});
