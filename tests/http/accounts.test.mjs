// Pseudonymous accounts: the flows, sessions, CSRF, limits, GDPR.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { req, json, psql, register, login, bearer, uniqueEmail, mailsTo, linkToken,
	expectError, metric, sleep, PASSWORD, DATABASE_URL, accountWith, member, as, clientIp,
	decide } from './lib.mjs';

const commonLong = readFileSync(new URL('../../assets/common-passwords.txt', import.meta.url), 'utf8')
	.split('\n').find((p) => p.length >= 12);

test('register → verify → sign in → sign out → reset → sign in with the new password', async () => {
	const email = uniqueEmail('flow');
	const r = await register(email);
	assert.deepEqual(r.json, { status: 'verification_sent' });
	const [mail] = mailsTo(email);
	assert.match(mail, /Subject: =\?UTF-8\?B\?/);
	assert.match(mail, /bestaetigen\?token=/);

	let s = await login(email);
	assert.equal(s.account.verified, false);
	assert.equal((await req('/api/v1/me', { headers: bearer(s) })).json.can_publish, false);
	assert.match(s.account.pseudonym, /^[a-z]+-[a-z]+-\d{2}$/, 'a generated pseudonym');
	const v = await json('POST', '/api/v1/accounts/verify', { token: linkToken(mail) });
	assert.equal(v.status, 200);
	const again = await json('POST', '/api/v1/accounts/verify', { token: linkToken(mail) });
	expectError(again, 422, 'validation_failed');
	const me = (await req('/api/v1/me', { headers: bearer(s) })).json;
	assert.equal(me.verified, true);
	assert.equal(me.can_publish, true);

	assert.equal((await req('/api/v1/session', { method: 'DELETE', headers: bearer(s) })).status, 204);
	expectError(await req('/api/v1/me', { headers: bearer(s) }), 401, 'unauthorized');

	assert.equal((await json('POST', '/api/v1/password-reset', { email })).status, 202);
	const reset = mailsTo(email).find((m) => m.includes('passwort-neu?token='));
	assert.ok(reset, 'reset mail delivered');
	const newPassword = 'ganz neues Passwort 2026';
	const c = await json('POST', '/api/v1/password-reset/confirm', { token: linkToken(reset), password: newPassword });
	assert.equal(c.status, 200);
	expectError(await json('POST', '/api/v1/password-reset/confirm',
		{ token: linkToken(reset), password: newPassword }), 422);
	expectError(await json('POST', '/api/v1/session', { email, password: PASSWORD }), 401, 'invalid_credentials');
	s = await login(email, { password: newPassword });
	assert.equal(s.account.verified, true);
});

test('registration never reveals whether an address has an account', async () => {
	const email = uniqueEmail('dup');
	const a = await register(email);
	const b = await json('POST', '/api/v1/accounts', { email: email.toUpperCase(), password: 'ein anderes langes Passwort' });
	assert.equal(b.status, a.status);
	assert.deepEqual(b.json, a.json);
	const mails = mailsTo(email);
	assert.equal(mails.length, 2);
	assert.match(mails[1], /passwort-vergessen/, 'the owner is told instead');
	const unknown = await json('POST', '/api/v1/password-reset', { email: uniqueEmail('nobody') });
	const known = await json('POST', '/api/v1/password-reset', { email });
	assert.equal(unknown.status, known.status);
	assert.deepEqual(unknown.json, known.json);
});

test('registration input is validated field by field', async () => {
	let e = expectError(await json('POST', '/api/v1/accounts', { email: 'kein-at-zeichen', password: 'kurz' }), 422);
	assert.equal(e.fields.email, 'is not an e-mail address');
	assert.match(e.fields.password, /at least 12/);
	e = expectError(await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: commonLong }), 422);
	assert.match(e.fields.password, /most common/);
	// What the common list misses at the 12-character minimum (issue 12).
	for (const [weak, why] of [['Passwort1234', /dictionary word/], ['password1234', /dictionary word/],
		['aaaaaaaaaaaa', /one character/], ['123456789012', /alphabet, the digits/],
		['abcabcabcabc', /short pattern/]]) {
		e = expectError(await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: weak }), 422);
		assert.match(e.fields.password, why, weak);
	}
	e = expectError(await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: PASSWORD, admin: 'yes' }), 422);
	assert.equal(e.fields.admin, 'unknown field');
	e = expectError(await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: 12345678901234 }), 422);
	assert.equal(e.fields.password, 'must be a string');
	e = expectError(await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: PASSWORD, pseudonym: 'Ü' }), 422);
	assert.ok(e.fields.pseudonym);
	const name = `eule-${Date.now() % 100000}`;
	await register(uniqueEmail(), { pseudonym: name });
	// A taken pseudonym is not an error: answering it would tell whether
	// the address is known (signup_limits.test.mjs).
	assert.equal((await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: PASSWORD, pseudonym: name })).status, 202);
	// 128 characters of any script are fine; 129 are not; nothing is truncated.
	const long = 'Grüße über Öl, ' + 'ä'.repeat(113);
	assert.equal([...long].length, 128);
	const email = uniqueEmail('long');
	await register(email, { password: long });
	await login(email, { password: long });
	expectError(await json('POST', '/api/v1/session', { email, password: long + 'x' }), 401);
	e = expectError(await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: 'ä'.repeat(129) }), 422);
	assert.match(e.fields.password, /at most 128/);
});

test('cookie sessions: flags, a new token at every sign-in, no fixation', async () => {
	const email = uniqueEmail('cookie');
	await register(email);
	const planted = 'mw_session=' + 'A'.repeat(43);
	const first = await login(email, { kind: 'cookie', headers: { cookie: planted } });
	const setCookie = first.res.headers.get('set-cookie');
	assert.match(setCookie, /^mw_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
	assert.ok(!setCookie.includes('Secure'), 'not behind TLS in this set-up');
	assert.notEqual(first.cookie, planted, 'a planted cookie is never adopted');
	assert.equal(first.res.json.token, undefined, 'cookie sessions do not expose the token');
	expectError(await req('/api/v1/me', { headers: { cookie: planted } }), 401);
	const me = await req('/api/v1/me', { headers: { cookie: first.cookie } });
	assert.equal(me.status, 200);
	assert.equal(me.headers.get('cache-control'), 'no-store');

	// Signed in already, the cookie session must show its CSRF token.
	const second = await login(email, { kind: 'cookie',
		headers: { cookie: first.cookie, 'x-csrf-token': first.csrf } });
	assert.notEqual(second.cookie, first.cookie);
	expectError(await req('/api/v1/me', { headers: { cookie: first.cookie } }), 401,
		undefined, 'the session presented at sign-in is ended');
	assert.equal((await req('/api/v1/me', { headers: { cookie: second.cookie } })).status, 200);
	// A cookie token is not a bearer token and vice versa.
	const tok = second.cookie.split('=')[1];
	expectError(await req('/api/v1/me', { headers: { authorization: `Bearer ${tok}` } }), 401);
});

test('CSRF: cookie sessions need the synchronizer token; cross-site requests are refused', async () => {
	const email = uniqueEmail('csrf');
	await register(email);
	const s = await login(email, { kind: 'cookie' });
	const patch = (headers) => json('PATCH', '/api/v1/me', { pseudonym: `csrf-${Date.now() % 1000000}` },
		{ cookie: s.cookie, ...headers });
	expectError(await patch({}), 403, 'csrf_failed');
	expectError(await patch({ 'x-csrf-token': 'x'.repeat(43) }), 403, 'csrf_failed');
	expectError(await patch({ 'x-csrf-token': s.csrf, 'sec-fetch-site': 'cross-site' }), 403, 'csrf_failed');
	expectError(await patch({ 'x-csrf-token': s.csrf, origin: 'https://evil.example' }), 403, 'csrf_failed');
	const ok = await patch({ 'x-csrf-token': s.csrf, origin: new URL(process.env.BASE_URL).origin,
		'sec-fetch-site': 'same-origin' });
	assert.equal(ok.status, 200, ok.text);
	// Signing in from another site is refused too (login CSRF).
	expectError(await json('POST', '/api/v1/session', { email, password: PASSWORD },
		{ origin: 'https://evil.example' }), 403, 'csrf_failed');
	// Bearer clients are not browsers: no CSRF token, but never cross-site.
	const b = await login(email);
	assert.equal((await req('/api/v1/me/sessions', { headers: bearer(b) })).status, 200);
	expectError(await req('/api/v1/session', { method: 'DELETE', headers: { ...bearer(b), 'sec-fetch-site': 'cross-site' } }), 403);
});

test('sign-in limits per account and per address answer 429 with Retry-After, then reset', async () => {
	const email = uniqueEmail('limit');
	await register(email);
	const wrong = () => json('POST', '/api/v1/session', { email, password: 'falsches Passwort!!' },
		{ 'x-forwarded-for': '198.51.100.1' });
	for (let i = 0; i < 5; i++) expectError(await wrong(), 401);
	let r = await wrong();
	expectError(r, 429, 'too_many_requests');
	const retry = Number(r.headers.get('retry-after'));
	assert.ok(retry >= 1 && retry <= 10, `Retry-After ${retry}`);
	r = await json('POST', '/api/v1/session', { email, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.2' });
	expectError(r, 429, 'too_many_requests', 'even the right password waits');
	await sleep((retry + 1) * 1000);
	await login(email, { headers: { 'x-forwarded-for': '198.51.100.3' } });

	// Per address: many accounts, one client.
	const ip = { 'x-forwarded-for': '203.0.113.77' };
	let limited = null;
	for (let i = 0; i < 25 && !limited; i++) {
		r = await json('POST', '/api/v1/session', { email: uniqueEmail('spray'), password: 'irgendein Passwort' }, ip);
		if (r.status === 429) limited = i;
		else expectError(r, 401, 'invalid_credentials');
	}
	assert.equal(limited, 20, 'the 21st attempt from one address is refused');
	assert.ok(Number(r.headers.get('retry-after')) >= 1);
});

test('an unknown address costs a full password hash, like a known one', async () => {
	const email = uniqueEmail('timing');
	await register(email);
	const before = await metric('mitwirken_password_hashes_total');
	expectError(await json('POST', '/api/v1/session', { email: uniqueEmail('unknown'), password: PASSWORD },
		{ 'x-forwarded-for': '192.0.2.10' }), 401, 'invalid_credentials');
	const afterUnknown = await metric('mitwirken_password_hashes_total');
	expectError(await json('POST', '/api/v1/session', { email, password: 'falsches Passwort!!' },
		{ 'x-forwarded-for': '192.0.2.11' }), 401, 'invalid_credentials');
	const afterKnown = await metric('mitwirken_password_hashes_total');
	assert.equal(afterUnknown - before, 1);
	assert.equal(afterKnown - afterUnknown, 1);
});

test('sessions: list, revoke one, sign out everywhere; another person\'s session is not found', async () => {
	const email = uniqueEmail('sess');
	await register(email);
	const a = await login(email);
	const b = await login(email);
	const list = await req('/api/v1/me/sessions', { headers: bearer(a) });
	assert.equal(list.status, 200);
	assert.equal(list.json.sessions.length, 2);
	assert.equal(list.json.sessions.filter((x) => x.current).length, 1);
	const other = list.json.sessions.find((x) => !x.current);

	const stranger = await login(await (async () => { const e = uniqueEmail('str'); await register(e); return e; })());
	expectError(await req(`/api/v1/me/sessions/${other.id}`, { method: 'DELETE', headers: bearer(stranger) }), 404);
	assert.equal((await req('/api/v1/me', { headers: bearer(b) })).status, 200, 'still alive');

	assert.equal((await req(`/api/v1/me/sessions/${other.id}`, { method: 'DELETE', headers: bearer(a) })).status, 200);
	expectError(await req('/api/v1/me', { headers: bearer(b) }), 401);
	const c = await login(email);
	assert.equal((await req('/api/v1/me/sessions', { method: 'DELETE', headers: bearer(a) })).status, 204);
	expectError(await req('/api/v1/me', { headers: bearer(a) }), 401);
	expectError(await req('/api/v1/me', { headers: bearer(c) }), 401);
});

test('export holds the person\'s data, the address included, and nobody else\'s', async () => {
	const email = uniqueEmail('export');
	await register(email);
	const s = await login(email);
	// A failed sign-in of another address (it must be refused, not crash).
	const failed = await json('POST', '/api/v1/session', { email: uniqueEmail('x'), password: PASSWORD });
	assert.equal(failed.status, 401, failed.text);
	const r = await req('/api/v1/me/export', { headers: bearer(s) });
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-disposition'), /^attachment; filename="mitwirken-daten-\d{4}-\d{2}-\d{2}\.json"$/);
	const d = JSON.parse(r.text);
	assert.equal(d.account.email, email);
	assert.equal(d.account.id, s.account.id);
	assert.equal(d.account.pseudonym, s.account.pseudonym);
	assert.equal(d.sessions.length, 1);
	for (const k of ['ideas', 'comments', 'supports', 'survey_responses', 'defect_reports', 'defect_supports'])
		assert.deepEqual(d[k], [], k);
	assert.ok(!JSON.stringify(d).includes('password'), 'no password hash');
});

test('erasure removes address, password, sessions; contributions stay under "gelöschtes Konto"', async () => {
	const email = uniqueEmail('erase');
	await register(email);
	const s = await login(email);
	const second = await login(email);
	assert.equal((await req('/api/v1/me', { method: 'DELETE', headers: bearer(s) })).status, 204);
	expectError(await req('/api/v1/me', { headers: bearer(second) }), 401);
	expectError(await json('POST', '/api/v1/session', { email, password: PASSWORD }), 401);
	const row = psql(`SELECT pseudonym, email_lookup IS NULL, email_ct IS NULL, password_hash IS NULL,
		deleted_at IS NOT NULL,
		(SELECT count(*) FROM sessions WHERE account_id = ${s.account.id}),
		(SELECT count(*) FROM account_tokens WHERE account_id = ${s.account.id}),
		(SELECT count(*) FROM outbox WHERE account_id = ${s.account.id})
		FROM accounts WHERE id = ${s.account.id}`);
	const [pseudonym, ...rest] = row.split('|');
	assert.match(pseudonym, /^geloescht-[0-9a-f]{12}$/);
	assert.notEqual(pseudonym, s.account.pseudonym);
	assert.deepEqual(rest, ['t', 't', 't', 't', '0', '0', '0']);
	// The address can register again as a new, unrelated person.
	await register(email);
	const again = await login(email);
	assert.notEqual(again.account.id, s.account.id);
});

// Defect reports made signed in belong to the person: the export holds
// them with their history and dialogue, and the supports; a report the
// same person (or anyone) made anonymously is not linked to the account
// and never in it.  After erasure the reports stay (the department still
// works on them) but lead to no address: no mail is queued for them.
test('defect reports: in the export with history and messages, anonymous ones never; after erasure no mail', async () => {
	const p = await member();
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const body = (n) => ({ category: 'strassenschaden', lat: 52.2645, lon: 10.5236 + n / 10000,
		description: `Ein Schlagloch für den Export, Nummer ${n}.` });
	const mine = await json('POST', '/api/v1/defects', body(1), as(p));
	assert.equal(mine.status, 201, mine.text);
	const id = mine.json.defect.id;
	const anon = await json('POST', '/api/v1/defects', { ...body(2), email: p.email }, { 'x-forwarded-for': clientIp() });
	assert.equal(anon.status, 201, anon.text);
	const other = await json('POST', '/api/v1/defects', body(3), { 'x-forwarded-for': clientIp() });
	assert.equal((await req(`/api/v1/defects/${other.json.defect.id}/supports`, { method: 'POST', headers: as(p) })).status, 201);
	const note = 'Wir schauen uns das diese Woche an.';
	assert.equal((await json('POST', `/api/v1/defects/${id}/status`, { status: 'acknowledged', note }, as(staff))).status, 200);
	const asked = await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Wie tief ist das Loch?' }, as(staff));
	const answer = await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Etwa zehn Zentimeter.' }, as(p));
	assert.equal(answer.status, 201, answer.text);

	const r = await req('/api/v1/me/export', { headers: bearer(p) });
	assert.equal(r.status, 200);
	const d = JSON.parse(r.text);
	assert.deepEqual(d.defect_reports.map((x) => x.id), [id], 'own report only, not the anonymous one');
	const x = d.defect_reports[0];
	assert.equal(x.description, body(1).description, 'the own text, before moderation');
	assert.deepEqual(x.history.map((h) => [h.status, h.note]), [['open', ''], ['acknowledged', note]]);
	assert.deepEqual(x.messages.map((m) => [m.id, m.sender, m.state]),
		[[asked.json.id, 'staff', 'published'], [answer.json.id, 'reporter', 'pending']]);
	assert.deepEqual(d.defect_supports.map((s) => s.report), [other.json.defect.id]);
	assert.ok(!r.text.includes(anon.json.status_token), 'nothing of the anonymous report');
	assert.equal((await req('/api/v1/me', { method: 'DELETE', headers: bearer(p) })).status, 204);
	assert.equal(psql(`SELECT count(*) FROM defect_reports WHERE id IN (${id}, ${anon.json.defect.id})`), '2',
		'the reports stay');
	assert.equal(psql(`SELECT r.email_ct IS NULL AND r.email_lookup IS NULL AND a.email_ct IS NULL
		AND a.email_lookup IS NULL FROM defect_reports r JOIN accounts a ON a.id = r.reporter_id
		WHERE r.id = ${id}`), 't', 'no address behind the report');
	const outbox = () => psql('SELECT count(*) FROM outbox');
	const before = outbox();
	const done = await json('POST', `/api/v1/defects/${id}/status`, { status: 'resolved', note: 'Das Loch ist verfüllt.' }, as(staff));
	assert.equal(done.status, 200, done.text);
	const msg = await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Erledigt, danke für den Hinweis.' }, as(staff));
	assert.equal(msg.status, 201, msg.text);
	assert.equal(outbox(), before, 'the report\'s mail goes nowhere');
	const pub = await req(`/api/v1/defects/${id}`);
	assert.equal(pub.json.history.length, 3, 'the department\'s work goes on');
});

// The export holds what the server holds about the person (GDPR Art. 15):
// a message a moderator rejected is still theirs.
test('defect reports: the reporter\'s rejected message stays in their export', async () => {
	const p = await member();
	const mod = await member(['moderator']);
	const made = await json('POST', '/api/v1/defects', { category: 'strassenschaden', lat: 52.2645, lon: 10.5236,
		description: 'Ein Schlagloch mit einer abgelehnten Nachricht.' }, as(p));
	assert.equal(made.status, 201, made.text);
	const m = await json('POST', `/api/v1/defects/${made.json.defect.id}/messages`, { body: 'Kaufen Sie billige Uhren!' }, as(p));
	assert.equal(m.status, 201, m.text);
	assert.equal((await decide(mod, 'defect_message', [m.json.id], 'reject', { reason: 'spam' })).status, 200);
	const d = JSON.parse((await req('/api/v1/me/export', { headers: bearer(p) })).text);
	assert.deepEqual(d.defect_reports[0].messages.map((x) => [x.id, x.state]), [[m.json.id, 'rejected']]);
});

test('a dump of the database contains no e-mail address in plain text', async () => {
	const emails = [];
	for (let i = 0; i < 3; i++) {
		const e = uniqueEmail('dump');
		emails.push(e);
		await register(e);
		await json('POST', '/api/v1/password-reset', { email: e });
	}
	const dump = spawnSync('pg_dump', ['--no-owner', DATABASE_URL], { encoding: 'utf8', maxBuffer: 1 << 28 });
	assert.equal(dump.status, 0, dump.stderr);
	assert.ok(dump.stdout.includes('CREATE TABLE public.accounts'));
	for (const e of emails) {
		assert.ok(!dump.stdout.includes(e), `${e} appears in the dump`);
		assert.ok(!dump.stdout.includes(e.split('@')[0]), `the local part of ${e} appears`);
	}
});

test('make admin: the first administrator gets a one-time link to set a password', async () => {
	const email = uniqueEmail('admin');
	const r = spawnSync(process.env.ADMIN_BIN, [email], { encoding: 'utf8', env: process.env });
	assert.equal(r.status, 0, r.stderr);
	const token = r.stdout.match(/passwort-neu\?token=([A-Za-z0-9_-]{43})/)[1];
	assert.equal((await json('POST', '/api/v1/password-reset/confirm', { token, password: 'Admin-Passwort für Tests' })).status, 200);
	const s = await login(email, { password: 'Admin-Passwort für Tests' });
	assert.ok(s.account.roles.includes('admin'));
	const again = await json('POST', '/api/v1/password-reset/confirm', { token, password: 'noch ein Passwort 123' });
	expectError(again, 422, undefined, 'the link works once');
});

test('sessions expire when idle for 30 minutes and after 12 hours at most', async () => {
	const email = uniqueEmail('expiry');
	await register(email);
	const idle = await login(email);
	const old = await login(email);
	assert.equal((await req('/api/v1/me', { headers: bearer(idle) })).status, 200);
	psql(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'
	      WHERE account_id = ${idle.account.id} AND id = (SELECT min(id) FROM sessions WHERE account_id = ${idle.account.id})`);
	expectError(await req('/api/v1/me', { headers: bearer(idle) }), 401);
	// Activity keeps a session alive, but never beyond its absolute end.
	psql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE account_id = ${old.account.id}`);
	expectError(await req('/api/v1/me', { headers: bearer(old) }), 401);
	const cookie = await login(email, { kind: 'cookie' });
	assert.match(cookie.res.headers.get('set-cookie'), /Max-Age=43200;/);
	const row = psql(`SELECT round(extract(epoch FROM expires_at - created_at)) FROM sessions
	                  WHERE account_id = ${cookie.account.id} ORDER BY id DESC LIMIT 1`);
	assert.equal(row, '43200');
});

test('a hash made at lower limits is upgraded at the next sign-in', async () => {
	const s = await accountWith([]);
	const weak = spawnSync(process.env.WEAKHASH_BIN, { input: `${PASSWORD}\n`, encoding: 'utf8' });
	assert.equal(weak.status, 0, weak.stderr);
	const old = weak.stdout.trim();
	assert.match(old, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
	psql(`UPDATE accounts SET password_hash = '${old}' WHERE id = ${s.account.id}`);
	const again = await login(s.email);
	assert.equal(again.account.id, s.account.id, 'the old hash still verifies');
	const now = psql(`SELECT password_hash FROM accounts WHERE id = ${s.account.id}`);
	assert.notEqual(now, old);
	assert.match(now, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/, 'rehashed at the current limits');
	assert.equal((await login(s.email)).account.id, s.account.id, 'and the new hash verifies');
});
