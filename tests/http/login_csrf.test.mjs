// Issue 12: login CSRF through the anonymous forms, and CSRF tokens that
// must not be stored in clear.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, register, login, uniqueEmail, expectError } from './lib.mjs';

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
