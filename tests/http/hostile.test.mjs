// Hostile input: each gets a clear 4xx, nothing is stored, nobody crashes.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { req, raw, rawExchange, json, psql, expectError, uniqueEmail, sleep, koreLog,
	member, as, ideaBody } from './lib.mjs';

const countAccounts = () => Number(psql('SELECT count(*) FROM accounts'));

function rawSocket(payload, waitMs) {
	const url = new URL(process.env.BASE_URL);
	return new Promise((resolve) => {
		const s = net.connect(Number(url.port), url.hostname, () => s.write(payload));
		let data = '';
		const t0 = Date.now();
		s.on('data', (d) => { data += d; });
		s.on('close', () => resolve({ data, closedAfter: Date.now() - t0 }));
		s.setTimeout(waitMs, () => { s.destroy(); resolve({ data, closedAfter: null }); });
	});
}

test('JSON: huge numbers, wrong types, deep nesting, duplicates, NUL: 4xx and nothing stored', async () => {
	const before = countAccounts();
	const post = (body) => req('/api/v1/accounts', { method: 'POST',
		headers: { 'content-type': 'application/json' }, body });
	let e = expectError(await post('{"email": 1e999, "password": 123456789012345678901234567890}'), 422);
	assert.equal(e.fields.email, 'must be a string');
	expectError(await post('{"email": "a@b.de", "email": "c@d.de", "password": "x"}'), 400, 'malformed_json');
	expectError(await post('{"a":'.repeat(40) + '1' + '}'.repeat(40)), 400, 'malformed_json');
	expectError(await post('{"email": "a\u0000b@example.de", "password": "x"}'), 400, 'malformed_json');
	// An escaped NUL would cut the string short inside cJSON: refused whole.
	let n = expectError(await post(String.raw`{"email": "x@example.de", "password": "secret horse\u0000ignored"}`),
		400, 'malformed_json');
	assert.match(n.message, /escaped NUL/);
	expectError(await post(Buffer.from('{"email": "\xc3\x28@example.de"}', 'latin1')), 400, 'malformed_json');
	expectError(await post('[]'), 422);
	expectError(await post('"just a string"'), 422);
	expectError(await post('{"email": ["x"], "password": {"a": 1}}'), 422);
	assert.equal(countAccounts(), before, 'nothing half-written');
});

test('query strings: too many, too long, broken escapes', async () => {
	const many = Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&');
	expectError(await req(`/api/v1/categories?${many}`), 400, 'malformed_query');
	// Kore refuses URIs over 2000 bytes itself (414); below that, our limits.
	const long = await rawExchange(`/api/v1/categories?department=${'a'.repeat(5000)}`);
	assert.equal(long.status, 414, `${long.error?.code || long.error}: ${long.data.slice(0, 200)}`);
	expectError(await req('/api/v1/categories?department=%'), 400, 'malformed_query');
	expectError(await req('/api/v1/categories?department=%C0%AF'), 400, 'malformed_query');
	expectError(await req('/api/v1/categories?department=x%00y'), 400, 'malformed_query');
});

test('paths: traversal, encoded slashes, overlong URI', async () => {
	for (const p of ['/assets/..%2f..%2fetc%2fpasswd', '/api/v1/fields/..%2f..', '/api/v1/fields/%2e%2e',
		'/%2e%2e/%2e%2e/etc/passwd', '/api/v1/fields/energie%00.json']) {
		const r = await raw(p);
		assert.equal(r.status, 404, p);
	}
	// A request head larger than Kore's buffer is dropped without an answer:
	// that reset is the refusal only if nothing was sent and no worker died.
	const r = await rawExchange('/' + 'a'.repeat(9000));
	if (r.status !== 414) {
		assert.equal(r.status, null, `overlong URI → ${r.status}`);
		assert.equal(r.data, '', 'nothing but a status line or nothing at all');
		assert.equal((await req('/healthz')).status, 200, 'the server still answers');
		await sleep(200);
		assert.doesNotMatch(koreLog(), /worker .* exited with|sandbox violation/);
	}
});

test('header injection: a request id with CR/LF is never echoed', async () => {
	const r = await rawSocket('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\rSet-Cookie: evil=1\r\n\r\n', 2000);
	assert.ok(!/^set-cookie: evil/im.test(r.data), r.data);
	const ok = await req('/healthz', { headers: { 'x-request-id': 'a'.repeat(200) } });
	assert.notEqual(ok.headers.get('x-request-id'), 'a'.repeat(200));
});

test('slow headers: Kore closes a connection that never finishes its request', async () => {
	const r = await rawSocket('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', 15000);
	assert.ok(r.closedAfter !== null, 'the server closed the connection');
	assert.ok(r.closedAfter < 14000, `closed after ${r.closedAfter} ms`);
	assert.equal((await req('/healthz')).status, 200, 'and still serves');
});

test('a 10 MB body is refused before it is read, nothing stored', async () => {
	const before = countAccounts();
	const big = 'x'.repeat(10 * 1024 * 1024);
	const r = await rawExchange('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json',
		'content-length': String(big.length) }, body: big });
	assert.equal(r.status, 413, `no 413 before the connection ended (${r.error?.code || r.error}): ${r.data.slice(0, 200)}`);
	assert.equal(countAccounts(), before);
});

test('forms: unknown fields and broken encoding are named, nothing stored', async () => {
	const before = countAccounts();
	let r = await req('/registrieren', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded',
		'sec-fetch-site': 'same-origin' },
		body: `email=${encodeURIComponent(uniqueEmail())}&password=ein+langes+Passwort&admin=1` });
	assert.equal(r.status, 422);
	assert.match(r.text, /<ul><li><code>admin<\/code>: Unerwartetes Feld.<\/li><\/ul>/);
	r = await req('/registrieren', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded',
		'sec-fetch-site': 'same-origin' },
		body: 'email=%ZZ&password=x' });
	assert.equal(r.status, 400);
	assert.equal(countAccounts(), before);
	await sleep(10);
});

// Large answers grow buffers past malloc's mmap threshold, where glibc's
// realloc uses mremap(2): the sandbox must allow it, or the worker's main
// thread dies silently (tests/run.sh then finds it wedged).
test('a megabyte-sized answer is served, twice, by a worker that survives', async () => {
	const { member } = await import('./lib.mjs');
	const mod = await member(['moderator']);
	const author = await member();
	psql(`INSERT INTO ideas (title, description, field_id, author_id, state)
	      SELECT 'Lange Idee ' || g, repeat('Sehr ausführlich begründet. ', 178), 1, ${author.account.id}, 'pending'
	      FROM generate_series(1, 200) g`);
	try {
		for (let k = 0; k < 2; k++) {
			const r = await req('/api/v1/moderation/queue?limit=200', { headers: { authorization: `Bearer ${mod.token}` } });
			assert.equal(r.status, 200);
			assert.ok(r.text.length > 900000, `${r.text.length} characters`);
			assert.equal(r.json.items.length, 200);
		}
	} finally {
		psql(`DELETE FROM ideas WHERE author_id = ${author.account.id}`);
	}
	for (let k = 0; k < 8; k++)
		assert.equal((await req('/healthz')).status, 200);
});

// A staff entry's consent code is text a staff member types: SQL, overlong
// and non-ASCII values are refused by name and store no idea.
test('consent codes: hostile values are 422 naming citizen_code, nothing stored', async () => {
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const ideas = () => Number(psql('SELECT count(*) FROM ideas'));
	const before = ideas();
	for (const code of ["' OR 1=1 --", 'A'.repeat(5000), 'ÄBCDEFGH', 'ABCD\u202EFGH']) {
		const r = await json('POST', '/api/v1/ideas', ideaBody({ channel: 'paper', citizen_code: code }),
			as(staff));
		expectError(r, 422);
		assert.ok('citizen_code' in r.json.error.fields, `${JSON.stringify(code).slice(0, 20)}: ${r.text}`);
	}
	assert.equal(ideas(), before);
});

// Surveys: hostile definitions and answers are refused by name (or as a
// whole), store nothing, and no worker dies.
test('surveys: hostile definitions and answers are 4xx, nothing stored', async () => {
	const planner = await member(['planner']);
	const surveys = () => Number(psql('SELECT count(*) FROM surveys'));
	const before = surveys();
	const q = (extra) => ({ title: 'Feindlich', pages: [{ name: 'p', elements: [
		{ type: 'radiogroup', name: 'a', choices: ['x', 'y'], ...extra }] }] });
	const nested = (n) => n === 0 ? 'x' : { default: nested(n - 1) };
	for (const def of [
		q({ name: "a'; DROP TABLE surveys; --" }),
		q({ name: 'x'.repeat(5000) }),
		q({ choices: Array.from({ length: 5000 }, (_, i) => `c${i}`) }),
		q({ visibleIf: '{a} = ' + '('.repeat(500) + '1' + ')'.repeat(500) }),
		q({ visibleIf: "{a} = 'x' or " .repeat(2000) + 'true' }),
		q({ title: nested(20) }),
		q({ rateMin: 1e308, type: 'rating' }),
		q({ type: 'rating', rateMin: 1, rateMax: 1e9, rateStep: 1e-9 }),
		q({ isRequired: 'yes' }),
		{ title: 'Feindlich', pages: 'nein' },
		{ title: 'Feindlich', pages: Array.from({ length: 500 }, (_, i) => ({ name: `p${i}`, elements: [] })) },
		{ title: 'a\u202Eb', pages: [] },
	]) {
		const r = await json('POST', '/api/v1/surveys', { definition: def }, as(planner));
		assert.ok(r.status === 422 || r.status === 413 || r.status === 400, `${r.status}: ${r.text.slice(0, 200)}`);
		expectError(r, r.status);
	}
	const nul = await req('/api/v1/surveys', { method: 'POST', headers: { ...as(planner), 'content-type': 'application/json' },
		body: String.raw`{"definition": {"title": "a\u0000b", "pages": []}}` });
	expectError(nul, 400, 'malformed_json');
	assert.equal(surveys(), before, 'no survey stored');

	// Answers: a survey open to everyone.
	const ok = await json('POST', '/api/v1/surveys', { definition: q({}), access: 'open' }, as(planner));
	assert.equal(ok.status, 201, ok.text);
	await req(`/api/v1/surveys/${ok.json.id}/open`, { method: 'POST', headers: as(planner) });
	const responses = () => Number(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${ok.json.id}`));
	for (const answers of [{ a: "x' OR 1=1 --" }, { a: ['x', 'y'] }, { a: { x: 1 } }, { a: 1.5 }, { a: true },
		{ "a'; --": 'x' }, { a: 'x', ['b'.repeat(300)]: 1 }, { a: 'x'.repeat(60000) }]) {
		const r = await req(`/api/v1/surveys/${ok.json.id}/responses`, { method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.99.0.1' }, body: JSON.stringify({ answers }) });
		assert.ok([400, 413, 422].includes(r.status), `${JSON.stringify(answers).slice(0, 60)} → ${r.status}: ${r.text.slice(0, 200)}`);
	}
	for (const code of ["' OR 1=1 --", 'A'.repeat(5000), 'ÄBCDEFGHJK']) {
		const r = await json('POST', `/api/v1/surveys/${ok.json.id}/responses`, { answers: { a: 'x' }, access_code: code },
			{ 'x-forwarded-for': '10.99.0.2' });
		expectError(r, 422);
	}
	assert.equal(responses(), 0);
	assert.equal((await req('/healthz')).status, 200);
	await sleep(200);
	assert.doesNotMatch(koreLog(), /worker .* exited with|sandbox violation/);
});
