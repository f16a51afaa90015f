// Issue 12, "Accounts and sign-in limits": no account oracle, the same work
// for every address, sign-in attempts counted before the hash, limits on
// anonymous hashing and mail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { json, req, register, login, uniqueEmail, PASSWORD, expectError, psql, metric,
	mailsTo, clientIp } from './lib.mjs';

const signUp = (email, extra = {}, ip = clientIp()) => json('POST', '/api/v1/accounts',
	{ email, password: PASSWORD, ...extra }, { 'x-forwarded-for': ip });
const resetFor = (email, ip = clientIp()) => json('POST', '/api/v1/password-reset', { email },
	{ 'x-forwarded-for': ip });

test('a taken pseudonym answers the same for known and unknown addresses', async () => {
	const name = `kauz-${Date.now() % 1000000}`;
	const known = uniqueEmail('known');
	await register(known, { pseudonym: name });
	const a = await signUp(known, { pseudonym: name });
	const b = await signUp(uniqueEmail('fresh'), { pseudonym: name });
	assert.equal(a.status, 202, a.text);
	assert.equal(b.status, 202, b.text);
	assert.deepEqual(a.json, b.json);

	// The second oracle: a fresh pseudonym given with an address, then
	// tried again; whether the first insert happened must not show.
	const probe = `otter-${Date.now() % 1000000}`;
	const first = await signUp(known, { pseudonym: probe });
	const second = await signUp(uniqueEmail('probe'), { pseudonym: probe });
	assert.equal(first.status, 202);
	assert.equal(second.status, 202, second.text);
});

test('an account whose chosen pseudonym was taken gets a random one and is told by mail', async () => {
	const name = `biber-${Date.now() % 1000000}`;
	await register(uniqueEmail('owner'), { pseudonym: name });
	const email = uniqueEmail('late');
	assert.equal((await signUp(email, { pseudonym: name })).status, 202);
	const s = await login(email, { headers: { 'x-forwarded-for': clientIp() } });
	assert.notEqual(s.account.pseudonym, name);
	assert.match(s.account.pseudonym, /^[a-z]+-[a-z]+-\d+$/);
	const mail = mailsTo(email).at(-1);
	assert.match(mail, /Pseudonym war bereits vergeben/, 'the mail says the pseudonym was taken');
	assert.ok(mail.includes('token='), 'and still confirms the address');
});

test('the sign-up form answers a taken pseudonym like any other sign-up', async () => {
	const name = `specht-${Date.now() % 1000000}`;
	const owner = uniqueEmail('formowner');
	await register(owner, { pseudonym: name });
	const form = (email) => req('/registrieren', { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientIp(),
			'sec-fetch-site': 'same-origin' },
		body: new URLSearchParams({ email, password: PASSWORD, pseudonym: name }).toString() });
	const known = await form(owner);
	const r = await form(uniqueEmail('form'));
	assert.equal(known.status, 200);
	assert.equal(r.status, 200, r.text.slice(0, 400));
	assert.match(r.text, /<h1>Fast geschafft<\/h1>/);
});

test('password reset does the same work for known and unknown addresses: one mail each', async () => {
	const known = uniqueEmail('rk');
	await register(known);
	mailsTo(known);
	const unknown = uniqueEmail('ru');
	const k = await resetFor(known);
	const u = await resetFor(unknown);
	assert.equal(k.status, 202);
	assert.deepEqual(k.json, u.json);
	const km = mailsTo(known).filter((m) => m.includes('passwort-neu?token='));
	const um = mailsTo(unknown);
	assert.equal(km.length, 1, 'the owner gets the link');
	assert.equal(um.length, 1, 'an unknown address gets exactly one mail too');
	assert.ok(!um[0].includes('token='), 'without a link');
});

test('concurrent wrong sign-ins for one account: at most the limit are hashed', async () => {
	const email = uniqueEmail('burst');
	await register(email);
	const before = await metric('mitwirken_password_hashes_total');
	const rs = await Promise.all(Array.from({ length: 20 }, () => json('POST', '/api/v1/session',
		{ email, password: 'falsches Passwort!!' }, { 'x-forwarded-for': clientIp() })));
	const after = await metric('mitwirken_password_hashes_total');
	const counts = {};
	for (const r of rs) counts[r.status] = (counts[r.status] || 0) + 1;
	assert.ok((counts[401] || 0) <= 5, JSON.stringify(counts));
	assert.equal((counts[401] || 0) + (counts[429] || 0), 20, JSON.stringify(counts));
	assert.ok(after - before <= 5, `${after - before} hashes ran`);
});

test('registration is limited per address: 429 with Retry-After', async () => {
	const email = uniqueEmail('again');
	const rs = [];
	for (let i = 0; i < 6; i++) rs.push(await signUp(email));
	assert.deepEqual(rs.slice(0, 5).map((r) => r.status), [202, 202, 202, 202, 202]);
	expectError(rs[5], 429, 'too_many_requests');
	assert.ok(Number(rs[5].headers.get('retry-after')) >= 1);
	assert.equal(mailsTo(email).length, 5, 'no mail beyond the limit (MITWIRKEN_ANON_LIMIT_ADDRESS=5)');
});

test('registration is limited per client address, counted before the hash', async () => {
	const ip = clientIp();
	const n = 210;
	const rs = await Promise.all(Array.from({ length: n }, () => signUp(uniqueEmail('flood'), {}, ip)));
	const limited = rs.filter((r) => r.status === 429);
	assert.equal(limited.length, n - 200, rs.map((r) => r.status).join(','));
	for (const r of limited) {
		expectError(r, 429, 'too_many_requests');
		assert.ok(Number(r.headers.get('retry-after')) >= 1);
	}
});

test('password reset: limited per address, at most one live token per account', async () => {
	const email = uniqueEmail('many');
	await register(email);
	const id = psql(`SELECT id FROM accounts ORDER BY id DESC LIMIT 1`);
	const rs = [];
	for (let i = 0; i < 5; i++) rs.push(await resetFor(email));
	// Registration took one of the five.
	assert.deepEqual(rs.map((r) => r.status), [202, 202, 202, 202, 429]);
	expectError(rs[4], 429, 'too_many_requests');
	const live = psql(`SELECT count(*) FROM account_tokens WHERE account_id = ${id}
		AND purpose = 'reset' AND used_at IS NULL AND expires_at > now()`);
	assert.equal(live, '1');
	const links = mailsTo(email).filter((m) => m.includes('passwort-neu?token='));
	assert.equal(links.length, 4);
	// Only the newest link works.
	const tok = (m) => m.match(/token=([A-Za-z0-9_-]{43})/)[1];
	const newPassword = 'ein ganz neues Passwort 42';
	expectError(await json('POST', '/api/v1/password-reset/confirm',
		{ token: tok(links[0]), password: newPassword }), 422);
	assert.equal((await json('POST', '/api/v1/password-reset/confirm',
		{ token: tok(links[3]), password: newPassword })).status, 200);
});

test('password reset is limited per client address', async () => {
	const ip = clientIp();
	const rs = await Promise.all(Array.from({ length: 205 }, () => resetFor(uniqueEmail('rf'), ip)));
	assert.equal(rs.filter((r) => r.status === 429).length, 5);
});

test('with the anonymous share of the hash queue full, sign-ins are still hashed', async () => {
	const emails = Array.from({ length: 8 }, () => uniqueEmail('starve'));
	for (const e of emails) await register(e);
	let firstBusy;
	const busy = new Promise((r) => { firstBusy = r; });
	const flood = Array.from({ length: 300 }, () => signUp(uniqueEmail('fill')).then((r) => {
		if (r.status === 503) firstBusy();
		return r;
	}));
	await Promise.race([busy, Promise.all(flood)]);
	const signIns = await Promise.all(emails.map((email) => json('POST', '/api/v1/session',
		{ email, password: PASSWORD, kind: 'bearer' }, { 'x-forwarded-for': clientIp() })));
	const rs = await Promise.all(flood);
	assert.ok(rs.some((x) => x.status === 503), 'the flood did fill the anonymous share');
	assert.deepEqual(signIns.map((r) => r.status), emails.map(() => 200));
});
