// Personal and privileged answers must not be kept by any cache (a shared
// proxy, the browser's back button on a shared computer): every answer to
// a signed-in request says Cache-Control: no-store, while anonymous public
// answers keep what they had.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, member, login, as, postIdea } from './lib.mjs';

let boss;
let cookie;
let pending;

test.before(async () => {
	boss = await member(['admin', 'moderator', 'board']);
	cookie = await login(boss.email, { kind: 'cookie' });
	pending = await postIdea(boss);
});

const API = () => [
	['GET', '/api/v1/me'],
	['GET', '/api/v1/me/export'],
	['GET', '/api/v1/me/sessions'],
	['GET', '/api/v1/moderation/queue'],
	['GET', '/api/v1/moderation/log'],
	['GET', '/api/v1/board/ranking'],
	['GET', '/api/v1/admin/accounts'],
	['GET', '/api/v1/admin/settings'],
	['GET', `/api/v1/ideas/${pending.id}`],
	['POST', '/api/v1/me/consent-code'],
];

const PAGES = () => ['/konto', '/moderation', '/gremium', `/ideen/${pending.id}`, '/ideen', '/'];

test('signed-in API answers are no-store', async () => {
	for (const [method, path] of API()) {
		const r = method === 'GET' ? await req(path, { headers: as(boss) })
			: await req(path, { method, headers: as(boss) });
		assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
		assert.equal(r.headers.get('cache-control'), 'no-store', `${method} ${path}`);
	}
});

test('signed-in pages are no-store (they carry the CSRF token and pseudonym)', async () => {
	for (const path of PAGES()) {
		const r = await req(path, { headers: { cookie: cookie.cookie } });
		assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 200)}`);
		assert.equal(r.headers.get('cache-control'), 'no-store', path);
	}
});

test('anonymous public answers keep their caching', async () => {
	for (const path of ['/api/v1/fields', '/api/v1/ideas', '/', '/ideen']) {
		const r = await req(path);
		assert.equal(r.status, 200, path);
		assert.equal(r.headers.get('cache-control'), null, path);
	}
	// A route that never looks at credentials answers everyone alike.
	const fields = await req('/api/v1/fields', { headers: as(boss) });
	assert.equal(fields.headers.get('cache-control'), null);
	const asset = await req('/assets/style.css');
	assert.notEqual(asset.headers.get('cache-control'), 'no-store');
});
