// Idempotency-Key on POST: a retry with the same key and request gets the
// first answer again (and the write happens once); the same key with
// another request gets 422; a retry while the first still runs gets 409.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { req, json, psql, accountWith, bearer, uniqueEmail, expectError, metric,
	PASSWORD, member, ideaBody, as } from './lib.mjs';

// Anonymous requests are scoped by client address; each test acts from its own.
const address = () => `198.51.100.${1 + (randomBytes(1)[0] % 250)}`;
const from = (ip) => ({ 'x-forwarded-for': ip });
const pseudonym = (tag) => `idem-${tag}-${randomBytes(4).toString('hex')}`;
const q = (s) => `'${s.replace(/'/g, "''")}'`;

const registration = (tag) => ({ email: uniqueEmail(tag), password: PASSWORD, pseudonym: pseudonym(tag) });
const post = (path, body, key, headers = {}) =>
	json('POST', path, body, key === undefined ? headers : { 'idempotency-key': key, ...headers });

const accounts = (name) => Number(psql(`SELECT count(*) FROM accounts WHERE pseudonym = ${q(name)}`));
const outbox = (name) => Number(psql(`SELECT count(*) FROM outbox o JOIN accounts a
	ON a.id = o.account_id WHERE a.pseudonym = ${q(name)}`));
const row = (key) => psql(`SELECT state || ':' || coalesce(status::text, '') FROM idempotency_keys
	WHERE key = ${q(key)}`);

test('a retry with the same key replays the first answer; the write happens once', async () => {
	const ip = from(address());
	const key = randomUUID();
	const body = registration('replay');
	const replays = await metric('mitwirken_idempotent_replays_total');
	const first = await post('/api/v1/accounts', body, key, ip);
	assert.equal(first.status, 202, first.text);
	assert.equal(first.headers.get('idempotent-replayed'), null);
	assert.equal(row(key), 'done:202');
	for (let i = 0; i < 2; i++) {
		const again = await post('/api/v1/accounts', body, key, ip);
		assert.equal(again.status, 202);
		assert.equal(again.headers.get('idempotent-replayed'), 'true');
		assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));
		assert.equal(again.text, first.text);
		assert.notEqual(again.headers.get('x-request-id'), first.headers.get('x-request-id'));
	}
	assert.equal(accounts(body.pseudonym), 1);
	assert.equal(outbox(body.pseudonym), 1, 'one verification mail, not three');
	assert.equal(await metric('mitwirken_idempotent_replays_total'), replays + 2);
	// Without the header the same request runs again (a notice to the owner).
	assert.equal((await post('/api/v1/accounts', body, undefined, ip)).status, 202);
	assert.equal(outbox(body.pseudonym), 2);
});

test('the same key with a different request gets 422 and changes nothing', async () => {
	const ip = from(address());
	const key = randomUUID();
	const body = registration('reuse');
	assert.equal((await post('/api/v1/accounts', body, key, ip)).status, 202);
	const other = { ...body, pseudonym: pseudonym('reuse') };
	let e = expectError(await post('/api/v1/accounts', other, key, ip), 422, 'idempotency_key_reused');
	assert.ok(e.fields['Idempotency-Key']);
	assert.equal(accounts(other.pseudonym), 0);
	// Another route, or the same body as a form, is another request too.
	e = expectError(await post('/api/v1/password-reset', { email: body.email }, key, ip), 422,
		'idempotency_key_reused');
	const form = await req('/api/v1/accounts', { method: 'POST', body: new URLSearchParams(body).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin',
			'idempotency-key': key, ...ip } });
	expectError(form, 422, 'idempotency_key_reused');
	assert.equal(row(key), 'done:202', 'the first answer stays');
	assert.equal(outbox(body.pseudonym), 1);
});

test('a retry while the first request runs gets 409; the write happens once', async () => {
	const ip = from(address());
	const key = randomUUID();
	const body = registration('race');
	// Registration hashes the password in a task (~0.1 s): the second
	// request arrives while the first still holds the key.
	const both = await Promise.all([post('/api/v1/accounts', body, key, ip),
		post('/api/v1/accounts', body, key, ip)]);
	const statuses = both.map((r) => r.status).sort();
	const fresh = both.filter((r) => r.status === 202 && r.headers.get('idempotent-replayed') === null);
	assert.equal(fresh.length, 1, `exactly one ran: ${statuses}`);
	const second = both.find((r) => r !== fresh[0]);
	if (second.status === 409) {
		const e = expectError(second, 409, 'idempotency_in_progress');
		assert.ok(e.fields['Idempotency-Key']);
	} else {
		assert.equal(second.headers.get('idempotent-replayed'), 'true', 'or it came late and got the replay');
	}
	assert.equal(accounts(body.pseudonym), 1);
	assert.equal(outbox(body.pseudonym), 1);
	const later = await post('/api/v1/accounts', body, key, ip);
	assert.equal(later.status, 202);
	assert.equal(later.headers.get('idempotent-replayed'), 'true');
});

test('a request still holding its key, or one that was carried out without storing its answer, gets 409', async () => {
	const ip = from(address());
	const key = randomUUID();
	const body = registration('stale');
	assert.equal((await post('/api/v1/accounts', body, key, ip)).status, 202);
	// As if the answer had not been stored yet, and then never.
	psql(`UPDATE idempotency_keys SET state = 'running', status = NULL, content_type = NULL,
		body = NULL WHERE key = ${q(key)}`);
	expectError(await post('/api/v1/accounts', body, key, ip), 409, 'idempotency_in_progress');
	assert.equal(psql(`SELECT written FROM idempotency_keys WHERE key = ${q(key)}`), 't',
		'the write marked the key in its own statement');
	// Held far too long: its write committed, so it was carried out.
	psql(`UPDATE idempotency_keys SET created_at = now() - interval '2 minutes' WHERE key = ${q(key)}`);
	let e = expectError(await post('/api/v1/accounts', body, key, ip), 409, 'idempotency_carried_out');
	assert.match(e.message, /carried out/);
	// A key claimed before owners were recorded (migration 026): unknown.
	psql(`UPDATE idempotency_keys SET owner = NULL, claim = NULL, written = false WHERE key = ${q(key)}`);
	e = expectError(await post('/api/v1/accounts', body, key, ip), 409, 'idempotency_outcome_unknown');
	assert.match(e.message, /unknown/);
	assert.equal(outbox(body.pseudonym), 1, 'never run again: its write happened, or may have');
});

test('a created idea is replayed with its Location; it is created once', async () => {
	const alice = await member();
	const key = randomUUID();
	const body = ideaBody({ title: `Idee ${randomUUID()}` });
	const first = await json('POST', '/api/v1/ideas', body, as(alice, { 'idempotency-key': key }));
	assert.equal(first.status, 201, first.text);
	assert.match(first.headers.get('location') ?? '', /^\/api\/v1\/ideas\/\d+$/);
	const again = await json('POST', '/api/v1/ideas', body, as(alice, { 'idempotency-key': key }));
	assert.equal(again.status, 201);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	assert.equal(again.headers.get('location'), first.headers.get('location'));
	assert.equal(again.text, first.text);
	assert.equal(psql(`SELECT count(*) FROM ideas WHERE title = ${q(body.title)}`), '1');
});

test('keys expire after 24 hours; expired ones are swept', async () => {
	const ip = from(address());
	const key = randomUUID();
	const body = registration('expiry');
	assert.equal((await post('/api/v1/accounts', body, key, ip)).status, 202);
	psql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ${q(key)}`);
	psql(`INSERT INTO idempotency_keys (scope, key, request_hash, created_at)
		VALUES ('i:sweep-test', 'old', '\\x${'00'.repeat(32)}', now() - interval '30 hours')`);
	const again = await post('/api/v1/accounts', body, key, ip);
	assert.equal(again.status, 202);
	assert.equal(again.headers.get('idempotent-replayed'), null, 'an expired key is a new key');
	assert.equal(outbox(body.pseudonym), 2);
	assert.equal(psql(`SELECT count(*) FROM idempotency_keys WHERE scope = 'i:sweep-test'`), '0');
	assert.equal(psql(`SELECT count(*) FROM idempotency_keys
		WHERE created_at < now() - interval '24 hours'`), '0');
});

test('a malformed key is refused, naming the header, and nothing runs', async () => {
	const ip = from(address());
	for (const key of ['with space', 'k'.repeat(256)]) {
		const body = registration('badkey');
		const e = expectError(await post('/api/v1/accounts', body, key, ip), 422, 'validation_failed');
		assert.match(e.fields['Idempotency-Key'], /1 to 255 visible ASCII/);
		assert.equal(accounts(body.pseudonym), 0);
	}
	// Kore answers some itself (400): an empty value, a tab.  Either way
	// nothing runs.
	for (const key of ['', 'tab\there', 'umlaut-\u00e4']) {
		const body = registration('oddkey');
		const r = await post('/api/v1/accounts', body, key, ip);
		assert.ok(r.status === 400 || r.status === 422, `${JSON.stringify(key)}: ${r.status}`);
		assert.equal(accounts(body.pseudonym), 0);
	}
	const body = registration('longkey');
	assert.equal((await post('/api/v1/accounts', body, '~'.repeat(255), ip)).status, 202);
});

test('accounts and addresses never share keys', async () => {
	const a = await accountWith();
	const b = await accountWith();
	const key = randomUUID();
	const target = await accountWith();
	const body = { email: target.email };
	// Each reset that runs writes one mail (the token is replaced).
	const tokens = () => Number(psql(`SELECT count(*) FROM outbox
		WHERE account_id = ${target.account.id}`)) - 1;
	for (const who of [a, b]) {
		const r = await post('/api/v1/password-reset', body, key, bearer(who));
		assert.equal(r.status, 202);
		assert.equal(r.headers.get('idempotent-replayed'), null, 'not the other account\'s answer');
	}
	assert.equal(tokens(), 2);
	// One account is one scope, from any address.
	const r = await post('/api/v1/password-reset', body, key, { ...bearer(a), ...from(address()) });
	assert.equal(r.headers.get('idempotent-replayed'), 'true');
	// Two anonymous clients: two scopes.
	for (const ip of ['203.0.113.7', '203.0.113.8']) {
		const x = await post('/api/v1/password-reset', body, key, from(ip));
		assert.equal(x.status, 202);
		assert.equal(x.headers.get('idempotent-replayed'), null);
	}
	assert.equal(tokens(), 4);
	// Erasure removes what was stored under the account.
	assert.equal(psql(`SELECT count(*) FROM idempotency_keys WHERE scope = 'a:${a.account.id}'`), '1');
	assert.equal((await req('/api/v1/me', { method: 'DELETE', headers: bearer(a) })).status, 204);
	assert.equal(psql(`SELECT count(*) FROM idempotency_keys WHERE scope = 'a:${a.account.id}'`), '0');
});

test('a 4xx answer is stored and replayed; a 5xx is not, so the retry runs', async () => {
	const ip = from(address());
	let key = randomUUID();
	const bad = { email: 'kein-at', password: PASSWORD };
	const first = await post('/api/v1/accounts', bad, key, ip);
	expectError(first, 422, 'validation_failed');
	const again = await post('/api/v1/accounts', bad, key, ip);
	assert.equal(again.status, 422);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	assert.equal(again.text, first.text, 'the original answer, with its request id');

	const body = registration('boom');
	psql(`CREATE FUNCTION idem_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.pseudonym = ${q(body.pseudonym)} THEN
				RAISE EXCEPTION 'test failure' USING ERRCODE = TG_ARGV[0];
			END IF;
			RETURN NEW;
		END $$`);
	try {
		for (const [errcode, status] of [['internal_error', 500], ['serialization_failure', 503]]) {
			key = randomUUID();
			psql(`CREATE TRIGGER idem_test_fail BEFORE INSERT ON accounts
				FOR EACH ROW EXECUTE FUNCTION idem_test_fail(${q(errcode)})`);
			try {
				const failed = await post('/api/v1/accounts', body, key, ip);
				assert.equal(failed.status, status, failed.text);
				assert.equal(psql(`SELECT state || ':' || (claim IS NULL) || ':' || written
					FROM idempotency_keys WHERE key = ${q(key)}`), 'running:true:false',
					`the key is given up after a ${status}, nothing written`);
			} finally {
				psql('DROP TRIGGER idem_test_fail ON accounts');
			}
			const retry = await post('/api/v1/accounts', body, key, ip);
			assert.equal(retry.status, 202);
			assert.equal(retry.headers.get('idempotent-replayed'), null, 'the retry ran');
			assert.equal((await post('/api/v1/accounts', body, key, ip)).headers.get('idempotent-replayed'),
				'true');
		}
	} finally {
		psql('DROP FUNCTION idem_test_fail()');
	}
	assert.equal(accounts(body.pseudonym), 1);
});

test('the sign-in refuses a key: its answer is a session token, never stored', async () => {
	const s = await accountWith();
	const r = await post('/api/v1/session', { email: s.email, password: PASSWORD, kind: 'cookie' }, randomUUID());
	const e = expectError(r, 422, 'idempotency_not_supported');
	assert.ok(e.fields['Idempotency-Key']);
	assert.equal(r.headers.get('set-cookie'), null);
	assert.equal(psql(`SELECT count(*) FROM idempotency_keys WHERE status = 200
		AND convert_from(body, 'UTF8') LIKE '%csrf_token%'`), '0');
});

test('a defect report refuses a key: its answer holds the private status link', async () => {
	const before = psql('SELECT count(*) FROM defect_reports');
	const r = await post('/api/v1/defects', { category: 'graffiti', lat: 52.26, lon: 10.52,
		description: 'Ein Graffito an der Brücke, mit Schlüssel.' }, randomUUID(), from(address()));
	const e = expectError(r, 422, 'idempotency_not_supported');
	assert.ok(e.fields['Idempotency-Key']);
	assert.equal(psql('SELECT count(*) FROM defect_reports'), before, 'nothing stored');
});

test('HTML forms and CSP reports ignore the header', async () => {
	const key = randomUUID();
	const body = registration('form');
	const r = await req('/registrieren', { method: 'POST', body: new URLSearchParams(body).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin',
			'idempotency-key': key, ...from(address()) } });
	assert.ok(r.status < 400, `${r.status}`);
	assert.equal(accounts(body.pseudonym), 1);
	const csp = await json('POST', '/api/v1/csp-reports', { 'csp-report': { 'document-uri': 'x' } },
		{ 'idempotency-key': key });
	assert.equal(csp.status, 204);
	assert.equal(row(key), '');
});

test('the OpenAPI document lists the header on every POST that takes it', async () => {
	const spec = (await req('/api/v1/openapi.json')).json;
	// Answers that carry a secret (a session, a status link's token, an API
	// key) refuse the header (secret_routes in src/lib/idemkey.c); a CSP
	// report changes nothing a retry could repeat.
	const takesNone = new Set(['/api/v1/session', '/api/v1/csp-reports', '/api/v1/defects',
		'/api/v1/admin/open311-keys']);
	for (const [path, item] of Object.entries(spec.paths)) {
		if (!item.post || !path.startsWith('/api/'))
			continue;
		const listed = (item.post.parameters ?? []).some((p) => p.$ref === '#/components/parameters/IdempotencyKey');
		assert.equal(listed, !takesNone.has(path), `POST ${path}`);
		if (listed) {
			assert.ok(item.post.responses['409'], `POST ${path}: 409 documented`);
			assert.ok(item.post.responses['422'], `POST ${path}: 422 documented`);
		}
	}
});

test('a burst of new keys from one address stops at the quota; retries still replay', async () => {
	// MITWIRKEN_IDEM_LIMIT is 20 in tests; this address is used nowhere else.
	const ip = from('203.0.113.77');
	const keys = Array.from({ length: 30 }, () => randomUUID());
	// Invalid bodies answer 422 at once, and a 422 is a kept answer.
	const res = await Promise.all(keys.map((k) => post('/api/v1/accounts', {}, k, ip)));
	const over = res.filter((r) => r.status === 429);
	assert.equal(over.length, 10, res.map((r) => r.status).join(' '));
	for (const r of over) {
		expectError(r, 429, 'too_many_requests');
		assert.match(r.headers.get('retry-after'), /^[1-9][0-9]*$/);
	}
	assert.equal(Number(psql(`SELECT count(*) FROM idempotency_keys WHERE scope = 'i:203.0.113.77'`)), 20);
	const kept = keys[res.findIndex((r) => r.status === 422)];
	const again = await post('/api/v1/accounts', {}, kept, ip);
	assert.equal(again.status, 422);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	// Without a key the request runs as ever.
	expectError(await post('/api/v1/accounts', {}, undefined, ip), 422, 'validation_failed');
});
