// Issue 12: login CSRF through the anonymous forms, and CSRF tokens that
// must not be stored in clear.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, register, login, uniqueEmail, expectError, PASSWORD } from './lib.mjs';

// A browser that sends neither Origin nor Sec-Fetch-Site.
const form = (path, fields, headers = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
	body: new URLSearchParams(fields).toString() });
const csrfOf = (html) => (html.match(/name="csrf_token" value="([^"]+)"/) || [])[1];
const formCookieOf = (r) => ((r.headers.get('set-cookie') || '').match(/(mw_form=[^;]+)/) || [])[1];
const sessionCookieOf = (r) => ((r.headers.get('set-cookie') || '').match(/(mw_session=[^;]+)/) || [])[1];

// What a browser gets from the form's GET: its cookie and the hidden field.
async function formPage(path) {
	const r = await req(path);
	assert.equal(r.status, 200);
	const cookie = formCookieOf(r), csrf = csrfOf(r.text);
	assert.ok(cookie, 'the form sets its pre-session cookie');
	assert.ok(csrf, 'the form carries the token');
	assert.match(r.headers.get('set-cookie'), /HttpOnly; SameSite=Lax/);
	return { cookie, csrf };
}

test('login CSRF: a sign-in form post without the pre-session token is refused', async () => {
	const email = uniqueEmail('logincsrf');
	await register(email);
	const r = await form('/anmelden', { email, password: PASSWORD });
	assert.equal(r.status, 403, r.text.slice(0, 300));
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.match(r.text, /<h1>/, 'a readable page');
	assert.equal(sessionCookieOf(r), undefined, 'no session cookie');
	// Cross-site stays refused even with a valid pair.
	const p = await formPage('/anmelden');
	const x = await form('/anmelden', { email, password: PASSWORD, csrf_token: p.csrf },
		{ cookie: p.cookie, 'sec-fetch-site': 'cross-site' });
	assert.equal(x.status, 403);
	assert.equal(sessionCookieOf(x), undefined);
});

test('login CSRF: the token from the form GET signs in; another browser\'s token does not', async () => {
	const email = uniqueEmail('logincsrf');
	await register(email);
	const a = await formPage('/anmelden');
	const b = await formPage('/anmelden');
	assert.notEqual(a.cookie, b.cookie);
	let r = await form('/anmelden', { email, password: PASSWORD, csrf_token: b.csrf }, { cookie: a.cookie });
	assert.equal(r.status, 403, 'a token from another browser');
	assert.equal(sessionCookieOf(r), undefined);
	r = await form('/anmelden', { email, password: PASSWORD }, { cookie: a.cookie });
	assert.equal(r.status, 403, 'the cookie alone');
	r = await form('/anmelden', { email, password: PASSWORD, csrf_token: a.cookie.split('=')[1] },
		{ cookie: a.cookie });
	assert.equal(r.status, 403, 'the cookie value echoed is not the token');
	r = await form('/anmelden', { email, password: PASSWORD, csrf_token: a.csrf }, { cookie: a.cookie });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.ok(sessionCookieOf(r), 'signed in');
	// A browser that says same-origin keeps working as before.
	r = await form('/anmelden', { email, password: PASSWORD }, { 'sec-fetch-site': 'same-origin' });
	assert.equal(r.status, 303);
});

test('login CSRF: the sign-up and reset forms need the token too', async () => {
	for (const [path, fields] of [['/registrieren', { email: uniqueEmail('regcsrf'), password: PASSWORD }],
		['/passwort-vergessen', { email: uniqueEmail('rescsrf') }]]) {
		const r = await form(path, fields);
		assert.equal(r.status, 403, path);
		const p = await formPage(path);
		const ok = await form(path, { ...fields, csrf_token: p.csrf }, { cookie: p.cookie, 'x-forwarded-for': '10.9.8.7' });
		assert.equal(ok.status, 200, `${path}: ${ok.text.slice(0, 300)}`);
	}
});

test('API sign-in: JSON clients need no form token; a form body to it does', async () => {
	const email = uniqueEmail('apicsrf');
	await register(email);
	const s = await login(email);
	assert.ok(s.token);
	assert.ok((await login(email, { kind: 'cookie' })).cookie, 'JSON, no Origin, no cookies');
	// A cross-site HTML form can post form fields to the API as well.
	const r = await form('/api/v1/session', { email, password: PASSWORD, kind: 'cookie' });
	expectError(r, 403, 'csrf_failed');
	assert.equal(sessionCookieOf(r), undefined);
});

test('CSRF tokens are not stored in clear, and still work', async () => {
	const email = uniqueEmail('csrfhash');
	await register(email);
	const s = await login(email, { kind: 'cookie' });
	assert.match(s.csrf, /^[A-Za-z0-9_-]{43}$/);
	assert.equal(psql(`SELECT count(*) FROM sessions s WHERE s::text LIKE '%${s.csrf}%'`), '0');
	const patch = (headers) => json('PATCH', '/api/v1/me', { pseudonym: `hash-${Date.now() % 1000000}` },
		{ cookie: s.cookie, ...headers });
	expectError(await patch({ 'x-csrf-token': 'x'.repeat(43) }), 403, 'csrf_failed');
	assert.equal((await patch({ 'x-csrf-token': s.csrf })).status, 200);
	const me = await req('/api/v1/me', { headers: { cookie: s.cookie } });
	assert.equal(me.json.csrf_token, s.csrf, 'the same token on every request');
});
