// Hostile input: each gets a clear 4xx, nothing is stored, nobody crashes.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { req, raw, rawExchange, json, psql, expectError, uniqueEmail, sleep, koreLog,
	member, as, ideaBody, clientIp, login } from './lib.mjs';

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

/* ------------------------------------------------------ defect reports */

// Defect reports take coordinates, free text, category attributes, ids
// and status tokens from anyone, signed in or not: each hostile value is a
// clear 4xx (by name where it is a field), nothing is stored, no worker
// dies.  Staff bodies are sent by staff of the report's department, so
// only the hostile value is wrong.
const defectCounts = () => psql(`SELECT (SELECT count(*) FROM defect_reports) || '/' ||
	(SELECT count(*) FROM defect_history) || '/' || (SELECT count(*) FROM defect_messages) || '/' ||
	(SELECT count(*) FROM defect_supports) || '/' || (SELECT count(*) FROM defect_photos)`);
const defectJson = (extra = {}) => JSON.stringify({ category: 'strassenschaden', lat: 52.2645, lon: 10.5236,
	description: 'Ein Schlagloch für den Härtetest der Schnittstelle.', ...extra });
const nested = (n) => n === 0 ? 1 : { a: nested(n - 1) };
const postDefect = (body, type = 'application/json', headers = {}) => req('/api/v1/defects', { method: 'POST',
	headers: { 'content-type': type, 'x-forwarded-for': clientIp(), 'sec-fetch-site': 'same-origin', ...headers }, body });

/* 4xx with the uniform error, naming field when one is given. */
function refused(r, what, statuses, field) {
	assert.ok(statuses.includes(r.status), `${what} → ${r.status}: ${r.text.slice(0, 300)}`);
	const e = expectError(r, r.status);
	if (field && r.status === 422)
		assert.ok(field in (e.fields ?? {}), `${what}: ${field} not named in ${r.text.slice(0, 300)}`);
}

async function workersAlive() {
	assert.equal((await req('/healthz')).status, 200);
	await sleep(200);
	assert.doesNotMatch(koreLog(), /worker .* exited with|sandbox violation/);
}

test('defect reports: hostile JSON bodies are 4xx by name, nothing stored', async () => {
	const before = defectCounts();
	const cases = [
		// Numbers JSON cannot carry, and ones it can but no map has.
		['lat NaN', defectJson().replace('52.2645', 'NaN'), [400]],
		['lat Infinity', defectJson().replace('52.2645', 'Infinity'), [400]],
		['lat 1e999', defectJson().replace('52.2645', '1e999'), [422], 'lat'],
		// A point outside the city is named by lat, whichever is off.
		['lon -1e999', defectJson().replace('10.5236', '-1e999'), [422], 'lat'],
		['lat 1e308', defectJson({ lat: 1e308 }), [422], 'lat'],
		['lat -91', defectJson({ lat: -91 }), [422], 'lat'],
		['lat 5e-324', defectJson({ lat: 5e-324 }), [422], 'lat'],
		['lat as a string', defectJson({ lat: '52.2645' }), [422], 'lat'],
		['lat as a list', defectJson({ lat: [52.2645] }), [422], 'lat'],
		['lat as an object', defectJson({ lat: { v: 52 } }), [422], 'lat'],
		['lon without lat', defectJson({ lat: undefined }), [422], 'lat'],
		['lat true', defectJson({ lat: true }), [422], 'lat'],
		// Text fields: SQL, types, lengths, control characters, bad UTF-8.
		['category SQL', defectJson({ category: "strassenschaden' OR '1'='1" }), [422], 'category'],
		['category a number', defectJson({ category: 7 }), [422], 'category'],
		['category null', defectJson({ category: null }), [422], 'category'],
		['district traversal', defectJson({ district: '../../etc/passwd' }), [422], 'district'],
		['description 4001 chars', defectJson({ description: 'x'.repeat(4001) }), [422], 'description'],
		['description a bell', defectJson({ description: 'Ein Schlagloch \u0007 mit Klingel.' }), [422], 'description'],
		['description escape sequence', defectJson({ description: 'Ein Schlagloch \u001b[2J hier.' }), [422], 'description'],
		['description HTML', defectJson({ description: '<img src=x onerror=alert(1)> Schlagloch' }), [422], 'description'],
		['description escaped NUL', defectJson().replace('Härtetest', 'H\\u0000rtetest'), [400]],
		['description invalid UTF-8', Buffer.from(defectJson().replace('Härtetest', 'H\xc3\x28rtetest'), 'latin1'), [400]],
		['description a list', defectJson({ description: ['Ein Schlagloch für den Test.'] }), [422], 'description'],
		['address 201 chars', defectJson({ address: 'B'.repeat(201) }), [422], 'address'],
		['email header injection', defectJson({ email: 'a@example.org\r\nBcc: all@example.org' }), [422], 'email'],
		['email SQL', defectJson({ email: "x@example.org' OR '1'='1" }), [422], 'email'],
		['notify a string', defectJson({ notify: 'yes' }), [422], 'notify'],
		['channel SQL (anonymous)', defectJson({ channel: "online'; --" }), [403, 422], 'channel'],
		['citizen_id', defectJson({ citizen_id: 1 }), [403, 422], 'citizen_id'],
		['citizen_id overflowing', defectJson({ citizen_id: 1e30 }), [403, 422], 'citizen_id'],
		['unknown field', defectJson({ reporter_id: 1 }), [422], 'reporter_id'],
		['duplicate keys', defectJson().replace('{', '{"category": "graffiti", '), [400]],
		// Attributes: the category's answers, checked in the database.
		['attributes nested 30 deep', defectJson({ attributes: { depth: nested(30) } }), [400, 422], 'attributes'],
		['attributes nested 40 deep', defectJson({ attributes: { depth: nested(40) } }), [400]],
		['attributes a list', defectJson({ attributes: [12] }), [422], 'attributes'],
		['attributes a string', defectJson({ attributes: 'depth=12' }), [422], 'attributes'],
		['attribute SQL name', defectJson({ attributes: { "depth'; DROP TABLE defect_reports; --": 1 } }), [422], 'attributes'],
		['attribute 1000 names', defectJson({ attributes: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`a${i}`, i])) }), [422], 'attributes'],
		['attribute huge number', defectJson({ attributes: { depth: 1e308 } }), [422], 'attributes'],
		['attribute 1e999', defectJson().replace('"description"', '"attributes": {"depth": 1e999}, "description"'), [422], 'attributes'],
		['attribute negative', defectJson({ attributes: { depth: -1 } }), [422], 'attributes'],
		['attribute wrong type', defectJson({ attributes: { depth: '12' } }), [422], 'attributes'],
		['attribute not a value', defectJson({ attributes: { size: "medium' OR '1'='1" } }), [422], 'attributes'],
		['attribute string 501 chars', defectJson({ category: 'strassenbeleuchtung', attributes: { lamp_number: 'L'.repeat(501) } }), [422], 'attributes'],
		// Not an object at all.
		['a list', '[]', [422]], ['a string', '"Schlagloch"', [422]], ['null', 'null', [422]],
	];
	for (const [what, body, statuses, field] of cases)
		refused(await postDefect(body), what, statuses, field);
	// Above MITWIRKEN_JSON_BODY_MAX.
	refused(await postDefect(defectJson({ description: 'x'.repeat(70000) })), 'a 70 KB body', [413]);
	assert.equal(defectCounts(), before, 'nothing stored');
	await workersAlive();
});

test('defect reports: hostile form bodies are 4xx by name, nothing stored', async () => {
	const before = defectCounts();
	const form = (extra) => new URLSearchParams({ category: 'strassenschaden', lat: '52.2645', lon: '10.5236',
		description: 'Ein Schlagloch für den Härtetest der Schnittstelle.', ...extra }).toString();
	const F = 'application/x-www-form-urlencoded';
	for (const [what, body, statuses, field] of [
		['lat NaN', form({ lat: 'NaN' }), [422], 'lat'],
		['lat Infinity', form({ lat: 'Infinity' }), [422], 'lat'],
		['lat -inf', form({ lat: '-inf' }), [422], 'lat'],
		['lat 1e999', form({ lat: '1e999' }), [422], 'lat'],
		['lat hex', form({ lat: '0x34' }), [422], 'lat'],
		['lat with trailing text', form({ lat: '52.26abc' }), [422], 'lat'],
		['lat with spaces', form({ lat: ' 52.26 ' }), [422], 'lat'],
		['lat 500 digits', form({ lat: `52.${'1'.repeat(500)}` }), [422], 'lat'],
		['lat SQL', form({ lat: "52.26' OR '1'='1" }), [422], 'lat'],
		['attribute SQL name', form({ "attribute-x'--": '1' }), [422]],
		['attribute 100-character name', form({ [`attribute-${'a'.repeat(100)}`]: '1' }), [400, 422]],
		['unknown field', form({ state: 'published' }), [422], 'state'],
		['notify a list', `${form({})}&notify=1&notify=0`, [400, 422]],
		['broken percent-encoding', `${form({})}&address=%ZZ`, [400]],
		['NUL in a value', `${form({})}&address=Bohl%00weg`, [400, 422]],
		['overlong UTF-8', `${form({})}&address=%C0%AFetc`, [400]],
	])
		refused(await postDefect(body, F), what, statuses, field);
	assert.equal(defectCounts(), before, 'nothing stored');
});

test('defect ids, photo numbers and status tokens that cannot be are 404', async () => {
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const before = defectCounts();
	const emails = () => psql('SELECT count(*) FROM defect_reports WHERE email_ct IS NOT NULL');
	const mails = emails();
	for (const id of ['-1', '0', '99999999999999999999', '9007199254740992', '1e3', '0x10', '1.5', '%2e%2e',
		"1'%20OR%20'1'='1", '1%00', '%20%31']) {
		assert.equal((await req(`/api/v1/defects/${id}`)).status, 404, `GET ${id}`);
		assert.equal((await req(`/api/v1/defects/${id}/supports`, { method: 'POST',
			headers: { 'x-forwarded-for': clientIp() } })).status, 404, `support ${id}`);
		const r = await json('POST', `/api/v1/defects/${id}/status`, { status: 'acknowledged',
			note: 'Eine Notiz für den Härtetest.' }, as(staff));
		assert.equal(r.status, 404, `status ${id}: ${r.text}`);
		assert.equal((await req(`/api/v1/defects/${id}/photos/1`)).status, 404, `photo of ${id}`);
	}
	for (const n of ['0', '4', '-1', '99999999999999999999', 'x'])
		assert.equal((await req(`/api/v1/defects/1/photos/${n}`)).status, 404, `photo ${n}`);
	for (const t of ['A'.repeat(42), 'A'.repeat(44), 'A'.repeat(64), 'A'.repeat(65), `${'A'.repeat(42)}+`,
		`${'A'.repeat(42)}%2F`, `${'A'.repeat(42)}=`, "' OR '1'='1' --", encodeURIComponent('Ä'.repeat(43)),
		`${'A'.repeat(42)}%00`, '..%2F..%2Fetc%2Fpasswd', 'A'.repeat(43)]) {
		const r = await req(`/api/v1/defect-status/${t}`);
		expectError(r, 404);
		expectError(await req(`/api/v1/defect-status/${t}/email`, { method: 'DELETE' }), 404);
	}
	// A token of the wrong shape in a body is named; in ?token= it is 404.
	for (const token of ['A'.repeat(42), "' OR 1=1 --", 'A'.repeat(200), 7]) {
		for (const [path, body] of [['messages', { body: 'Hallo aus dem Härtetest.' }], ['feedback', { action: 'confirm' }]]) {
			const r = await json('POST', `/api/v1/defects/1/${path}`, { ...body, token }, { 'x-forwarded-for': clientIp() });
			refused(r, `${path} token ${String(token).slice(0, 10)}`, [422], 'token');
		}
	}
	expectError(await req(`/api/v1/defects/1/photos/1?token=${encodeURIComponent("' OR 1=1 --")}`), 404);
	assert.equal(defectCounts(), before, 'nothing stored');
	assert.equal(emails(), mails, 'no address erased');
});

test('defect queries: bounding boxes, coordinates, cursors and limits are 422 by name', async () => {
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	for (const bbox of ['1,2,3', '1,2,3,4,5', 'a,b,c,d', 'Infinity,0,1,1', '1e999,0,1,1', '-181,0,1,1',
		'10.6,52.3,10.5,52.2', '10.5,52.2,10.5,52.2', "1,2,3,4' OR '1'='1", '1;2;3;4', '1,2,3,4,',
		`${'1'.repeat(60)},0,1,1`, ',,,'])
		refused(await req(`/api/v1/defects.geojson?bbox=${encodeURIComponent(bbox)}`), `bbox ${bbox}`, [422], 'bbox');
	for (const [lat, lon] of [['NaN', '10.5'], ['Infinity', '10.5'], ['1e999', '10.5'], ['52.26', '-inf'],
		['0x34', '10.5'], ['91', '10.5'], ['52.26', '181'], ["52' OR '1'='1", '10.5'], ['52.26.1', '10.5'],
		['', '10.5'], ['52.2645', `10.${'5'.repeat(30)}`]]) {
		const r = await req(`/api/v1/defects/nearby?category=strassenschaden&lat=${encodeURIComponent(lat)}&lon=${encodeURIComponent(lon)}`);
		refused(r, `nearby ${lat},${lon}`, [422]);
	}
	refused(await req('/api/v1/defects/nearby?category=x%27--&lat=52.26&lon=10.52'), 'nearby category SQL', [422], 'category');
	for (const [q, field] of [['after=-1', 'after'], ['after=99999999999999999999', 'after'], ['limit=0', 'limit'],
		['limit=101', 'limit'], ['limit=1e2', 'limit'], ['status=open%27--', 'status'], ['category=A', 'category'],
		['department=%3Cscript%3E', 'department']])
		refused(await req(`/api/v1/defects?${q}`), `list ${q}`, [422], field);
	for (const [q, field] of [['after=q.99999999999999999999.1', 'after'], ['after=q.-1.-1', 'after'],
		['after=q.1', 'after'], ['after=n.1.2', 'after'], ["after=q.1.1'--", 'after'], ['overdue=yes', 'overdue'],
		['status=any', 'status'], ['limit=201', 'limit']])
		refused(await req(`/api/v1/staff/defects?${q}`, { headers: as(staff) }), `queue ${q}`, [422], field);
});

// NaN compares false with every bound, so a box of NaN must be refused
// as such, not searched (and found empty).
test('defect map: a bounding box of NaN is 422 naming bbox', async () => {
	for (const bbox of ['NaN,NaN,NaN,NaN', 'NaN,52.2,10.6,52.3', '10.5,52.2,10.6,nan'])
		refused(await req(`/api/v1/defects.geojson?bbox=${bbox}`), `bbox ${bbox}`, [422], 'bbox');
});

test('defect workflow bodies from staff: hostile values are 422 by name, nothing changed', async () => {
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const mod = await member(['moderator']);
	const made = await postDefect(defectJson());
	assert.equal(made.status, 201, made.text);
	const id = made.json.defect.id;
	const token = made.json.status_token;
	const state = () => psql(`SELECT status || '/' || department_id || '/' ||
		(SELECT count(*) FROM defect_history WHERE report_id = ${id}) || '/' ||
		(SELECT count(*) FROM defect_messages WHERE report_id = ${id}) FROM defect_reports WHERE id = ${id}`);
	const before = state();
	const note = 'Eine Notiz für den Härtetest.';
	for (const [what, body, field] of [
		['status SQL', { status: "acknowledged' --", note }, 'status'],
		['status open', { status: 'open', note }, 'status'],
		['status a number', { status: 2, note }, 'status'],
		['note a bell', { status: 'acknowledged', note: 'Notiz mit \u0007 Klingel.' }, 'note'],
		['note 2001 chars', { status: 'acknowledged', note: 'n'.repeat(2001) }, 'note'],
		['duplicate_of negative', { status: 'duplicate', note, duplicate_of: -1 }, 'duplicate_of'],
		['duplicate_of overflowing', { status: 'duplicate', note, duplicate_of: 1e30 }, 'duplicate_of'],
		['duplicate_of 2^53', { status: 'duplicate', note, duplicate_of: 9007199254740992 }, 'duplicate_of'],
		['duplicate_of a string', { status: 'duplicate', note, duplicate_of: "1' OR '1'='1" }, 'duplicate_of'],
		['duplicate_of a fraction', { status: 'duplicate', note, duplicate_of: 1.5 }, 'duplicate_of'],
		['duplicate_of itself', { status: 'duplicate', note, duplicate_of: id }, 'duplicate_of'],
		['forwarded_to 201 chars', { status: 'not_responsible', note, forwarded_to: 'F'.repeat(201) }, 'forwarded_to'],
		['forwarded_to a list', { status: 'not_responsible', note, forwarded_to: ['Land'] }, 'forwarded_to'],
	])
		refused(await json('POST', `/api/v1/defects/${id}/status`, body, as(staff)), what, [422], field);
	for (const [what, body, field] of [
		['department SQL', { department: "stadtgruen'; DROP TABLE departments; --", note }, 'department'],
		['department unknown', { department: 'weltraumamt', note }, 'department'],
		['department an object', { department: { slug: 'stadtgruen' }, note }, 'department'],
	])
		refused(await json('POST', `/api/v1/defects/${id}/department`, body, as(staff)), what, [422], field);
	for (const [what, body, field] of [
		['message 2001 chars', { body: 'm'.repeat(2001), token }, 'body'],
		['message a bell', { body: 'Hallo \u0007 Amt', token }, 'body'],
		['message empty', { body: '', token }, 'body'],
		['message an object', { body: { text: 'Hallo' }, token }, 'body'],
		['feedback action SQL', { action: "confirm' --", token }, 'action'],
		['feedback note 2001 chars', { action: 'reopen', note: 'n'.repeat(2001), token }, 'note'],
	]) {
		const path = 'action' in body ? 'feedback' : 'messages';
		refused(await json('POST', `/api/v1/defects/${id}/${path}`, body, { 'x-forwarded-for': clientIp() }), what, [422], field);
	}
	for (const [what, body] of [['decision sharpen', { decision: 'sharpen' }], ['decision SQL', { decision: "publish' --" }],
		['decision a list', { decision: ['publish'] }]])
		refused(await json('POST', '/api/v1/moderation/defect-photos/1', body, as(mod)), what, [422], 'decision');
	for (const pid of ['-1', '0', '99999999999999999999'])
		expectError(await json('POST', `/api/v1/moderation/defect-photos/${pid}`, { decision: 'publish' }, as(mod)), 404);
	assert.equal(state(), before, 'the report is unchanged');
	await workersAlive();
});

// Photos (polyglots, pixel floods, deflate bombs, truncated and wrong
// files, too many parts, cross-site uploads) are refused in
// tests/http/defect_photos.test.mjs, next to the upload pipeline's other
// tests; multipart parsing itself is fuzzed (tests/fuzz/fuzz_multipart.c).

// Open311: hostile parameters get the spec's 400 (or 403 for a bad key),
// nothing is stored, the server lives on.
test('Open311: hostile parameters are 400 in the spec\'s format, nothing stored', async () => {
	const admin = await member(['admin']);
	const key = (await json('POST', '/api/v1/admin/open311-keys', { name: 'Feindselig' }, as(admin))).json.key;
	const good = { api_key: key, service_code: 'strassenschaden', lat: '52.2645', long: '10.5236',
		description: 'Ein Schlagloch aus dem feindseligen Test.' };
	const post = (body) => req('/open311/v2/requests.json', { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientIp() }, body });
	const enc = (o) => new URLSearchParams(o).toString();
	const before = psql('SELECT count(*) FROM defect_reports');
	for (const [name, body, status] of [
		['NaN latitude', enc({ ...good, lat: 'NaN' }), 400],
		['infinite longitude', enc({ ...good, long: 'Infinity' }), 400],
		['SQL in the service code', enc({ ...good, service_code: "x' OR '1'='1" }), 400],
		['invalid UTF-8 in the description', `${enc({ ...good, description: '' })}description=%C3%28%FF`, 400],
		['a control character', enc({ ...good, description: 'Loch\u0000hier im Weg' }), 400],
		['a nested attribute', `${enc(good)}&attribute%5Bdepth%5D%5Ba%5D%5Bb%5D=1`, 400],
		['an attribute of the wrong type', `${enc(good)}&attribute%5Bdepth%5D=tief`, 400],
		['a key of the wrong alphabet', enc({ ...good, api_key: '<script>' }), 403],
	]) {
		const r = await post(body);
		assert.equal(r.status, status, `${name}: ${r.text}`);
		assert.ok(Array.isArray(r.json) && r.json[0].code === status, `${name}: the spec's error array`);
	}
	assert.equal(psql('SELECT count(*) FROM defect_reports'), before, 'nothing stored');
	for (const q of ['page_size=100000', 'page=-1', 'start_date=yesterday', 'status=open%27--',
		'service_request_id=1,x', 'start_date=2026-01-01T00:00:00Z&end_date=2025-01-01T00:00:00Z']) {
		const r = await req(`/open311/v2/requests.json?${q}`);
		assert.equal(r.status, 400, `${q}: ${r.text}`);
	}
	assert.equal((await req('/healthz')).status, 200);
});

// The report form: hostile fields come back on the form, nothing stored.
test('defect form: hostile fields re-show the form with a message, nothing stored', async () => {
	const origin = new URL(process.env.BASE_URL).origin;
	const before = psql('SELECT count(*) FROM defect_reports');
	for (const [name, body] of [
		['NaN latitude', 'category=strassenschaden&lat=NaN&lon=10.52&description=Ein+Loch+im+Weg+hier.'],
		['invalid UTF-8', 'category=strassenschaden&lat=52.26&lon=10.52&description=%C3%28%FF%FE+Loch'],
		['an unknown category', 'category=%27%3B+DROP+TABLE+defect_reports%3B--&lat=52.26&lon=10.52&description=Ein+Loch+im+Weg+hier.'],
		['over 4000 characters', `category=strassenschaden&lat=52.26&lon=10.52&description=${'x'.repeat(4001)}`],
	]) {
		const r = await req('/maengel/neu?lang=de', { method: 'POST', body,
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'x-forwarded-for': clientIp() } });
		assert.ok(r.status === 400 || r.status === 422, `${name}: ${r.status}`);
		assert.match(r.headers.get('content-type'), /^text\/html/, name);
	}
	assert.equal(psql('SELECT count(*) FROM defect_reports'), before, 'nothing stored');
});

// The board's project selection: hostile scores, decisions and reasons
// are 4xx by name (JSON and form alike); nothing is stored or changed.
test('board project assessments and decisions: hostile values are 4xx by name, nothing changed', async () => {
	const board = await member(['board']);
	const id = Number(psql(`INSERT INTO projects (title_de, summary_de) VALUES ('Härtetest-Projekt',
		'Ein Projekt für hostile Eingaben.') RETURNING id`));
	const four = { buergernutzen: 2, 'kosten-nutzen': 2, 'strategische-wirkung': 2, aussenwirkung: 2 };
	const state = () => psql(`SELECT concat_ws('/', status, version, decision_reason,
		(SELECT count(*) FROM project_assessments WHERE project_id = ${id}),
		(SELECT count(*) FROM project_history WHERE project_id = ${id}),
		(SELECT count(*) FROM audit_log WHERE target_kind = 'project' AND target_id = ${id}))
		FROM projects WHERE id = ${id}`);
	const before = state();
	const put = (body, type = 'application/json') => req(`/api/v1/projects/${id}/assessment`, { method: 'PUT',
		headers: as(board, { 'content-type': type }), body });
	for (const [what, body, field] of [
		['score SQL', { scores: { ...four, "buergernutzen' --": 1 } }, 'scores'],
		['score 1e999', { scores: { ...four, aussenwirkung: 1e999 } }, 'scores'],
		['score negative zero string', { scores: { ...four, aussenwirkung: '-0' } }, 'scores'],
		['score NaN string', { scores: { ...four, aussenwirkung: 'NaN' } }, 'scores'],
		['score a list', { scores: { ...four, aussenwirkung: [3] } }, 'scores'],
		['score slug of 65', { scores: { ...four, ['a'.repeat(65)]: 1 } }, 'scores'],
		['scores a string', { scores: 'buergernutzen=3' }, 'scores'],
		['comment a bell', { scores: four, comment: 'Klingel \u0007' }, 'comment'],
		['comment an object', { scores: four, comment: { text: 'x' } }, 'comment'],
		['comment 2001 chars', { scores: four, comment: 'c'.repeat(2001) }, 'comment'],
	])
		refused(await put(JSON.stringify(body)), what, [422], field);
	refused(await put('{"scores": {"buergernutzen": 2, "buergernutzen": 3}}'), 'duplicate keys', [400]);
	refused(await put(String.raw`{"scores": {"buergernutzen\u0000": 2}}`), 'escaped NUL', [400]);
	refused(await put('score-buergernutzen=9&comment=x', 'application/x-www-form-urlencoded'), 'form score 9', [422],
		'scores');
	refused(await put('scores=1', 'text/plain'), 'text/plain', [415]);
	const decide = (body) => json('POST', `/api/v1/projects/${id}/decision`, body, as(board));
	for (const [what, body, field] of [
		['decision SQL', { decision: "selected' --", reason: 'Grund.' }, 'decision'],
		['decision upper case', { decision: 'SELECTED', reason: 'Grund.' }, 'decision'],
		['decision a list', { decision: ['selected'], reason: 'Grund.' }, 'decision'],
		['decision a number', { decision: 1, reason: 'Grund.' }, 'decision'],
		['decision completed', { decision: 'completed', reason: 'Grund.' }, 'decision'],
		['reason a bell', { decision: 'rejected', reason: 'Klingel \u0007' }, 'reason'],
		['reason bidi override', { decision: 'rejected', reason: 'Grund \u202e.' }, 'reason'],
		['reason 2001 chars', { decision: 'rejected', reason: 'r'.repeat(2001) }, 'reason'],
		['reason an object', { decision: 'rejected', reason: { de: 'Grund' } }, 'reason'],
		['reason only spaces', { decision: 'rejected', reason: '   ' }, 'reason'],
		['decided_by smuggled', { decision: 'rejected', reason: 'Grund.', decided_by: 1 }, 'decided_by'],
	])
		refused(await decide(body), what, [422], field);
	for (const pid of ['-1', '0', '99999999999999999999', '1.5', 'abc'])
		refused(await json('POST', `/api/v1/projects/${pid}/decision`, { decision: 'selected', reason: 'Grund.' },
			as(board)), `project id ${pid}`, [404, 422]);
	assert.equal(state(), before, 'the project is unchanged');
	await workersAlive();
});

/* ------------------------------------------------------------ projects */

// The project registry's bodies come from planners: each hostile value is
// a 4xx naming its field (or the whole body as malformed), nothing is
// stored, no worker dies.
const projectCounts = () => psql(`SELECT (SELECT count(*) FROM projects) || '/' ||
	(SELECT count(*) FROM project_history) || '/' || (SELECT count(*) FROM success_criteria) || '/' ||
	(SELECT count(*) FROM project_measurements) || '/' ||
	(SELECT count(*) FROM audit_log WHERE target_kind = 'project')`);
const projectJson = (extra = {}) => JSON.stringify({ title_de: 'Härtetest des Projektregisters',
	summary_de: 'Ein Steckbrief, der feindliche Werte übersteht.', fields: ['energie'], budget_eur: 1000,
	starts_on: '2026-01-01', ...extra });

test('projects: hostile Steckbrief bodies are 4xx by name, nothing stored', async () => {
	const planner = await member(['planner']);
	const post = (body) => req('/api/v1/projects', { method: 'POST',
		headers: { ...as(planner), 'content-type': 'application/json' }, body });
	const before = projectCounts();
	for (const [what, body, statuses, field] of [
		['budget NaN', projectJson().replace('1000', 'NaN'), [400]],
		['budget Infinity', projectJson().replace('1000', 'Infinity'), [400]],
		['budget 1e999', projectJson().replace('1000', '1e999'), [422], 'budget_eur'],
		['budget 1e308', projectJson({ budget_eur: 1e308 }), [422], 'budget_eur'],
		['budget negative', projectJson({ budget_eur: -0.01 }), [422], 'budget_eur'],
		['budget a string', projectJson({ budget_eur: '1000' }), [422], 'budget_eur'],
		['budget a list', projectJson({ budget_eur: [1000] }), [422], 'budget_eur'],
		['title invalid UTF-8', Buffer.from(projectJson().replace('Härtetest', 'H\xc3\x28rtetest'), 'latin1'), [400]],
		['title escaped NUL', projectJson().replace('Härtetest', 'H\\u0000rtetest'), [400]],
		['title a bell', projectJson({ title_de: 'Projekt \u0007 mit Klingel' }), [422], 'title_de'],
		['title a line break', projectJson({ title_de: 'Projekt\nzweizeilig' }), [422], 'title_de'],
		['title 201 chars', projectJson({ title_de: 'T'.repeat(201) }), [422], 'title_de'],
		['title a number', projectJson({ title_de: 42 }), [422], 'title_de'],
		['title an object', projectJson({ title_de: { de: 'Projekt' } }), [422], 'title_de'],
		['summary an escape sequence', projectJson({ summary_de: 'Ein Steckbrief \u001b[2J hier.' }), [422], 'summary_de'],
		['summary 5001 chars', projectJson({ summary_de: 's'.repeat(5001) }), [422], 'summary_de'],
		['department SQL', projectJson({ department: "stadtgruen'; DROP TABLE projects; --" }), [422], 'department'],
		['department a number', projectJson({ department: 7 }), [422], 'department'],
		['fields SQL', projectJson({ fields: ["energie' OR '1'='1"] }), [422], 'fields'],
		['fields a string', projectJson({ fields: 'energie' }), [422], 'fields'],
		['fields nested', projectJson({ fields: [['energie']] }), [422], 'fields'],
		['fields an object', projectJson({ fields: { energie: true } }), [422], 'fields'],
		['fields empty', projectJson({ fields: [] }), [422], 'fields'],
		['goals unknown', projectJson({ goals: ['weltherrschaft'] }), [422], 'goals'],
		['idea_ids a fraction', projectJson({ idea_ids: [1.5] }), [422], 'idea_ids'],
		['idea_ids negative', projectJson({ idea_ids: [-1] }), [422], 'idea_ids'],
		['idea_ids overflowing', projectJson({ idea_ids: [1e30] }), [422], 'idea_ids'],
		['idea_ids 2^53', projectJson({ idea_ids: [9007199254740992] }), [422], 'idea_ids'],
		['idea_ids strings', projectJson({ idea_ids: ['1'] }), [422], 'idea_ids'],
		['idea_ids an object', projectJson({ idea_ids: { a: 1 } }), [422], 'idea_ids'],
		['idea_ids 101', projectJson({ idea_ids: Array.from({ length: 101 }, (_, i) => i + 1) }), [422], 'idea_ids'],
		['survey_ids unknown', projectJson({ survey_ids: [999999999] }), [422], 'survey_ids'],
		['starts_on 30 February', projectJson({ starts_on: '2026-02-30' }), [422], 'starts_on'],
		['starts_on 29 February 2026', projectJson({ starts_on: '2026-02-29' }), [422], 'starts_on'],
		['starts_on month 13', projectJson({ starts_on: '2026-13-01' }), [422], 'starts_on'],
		['starts_on unpadded', projectJson({ starts_on: '2026-1-1' }), [422], 'starts_on'],
		['starts_on with a time', projectJson({ starts_on: '2026-01-01T00:00:00Z' }), [422], 'starts_on'],
		['starts_on SQL', projectJson({ starts_on: "2026-01-01'::date; --" }), [422], 'starts_on'],
		['starts_on a number', projectJson({ starts_on: 20260101 }), [422], 'starts_on'],
		['ends_on year 0', projectJson({ ends_on: '0000-01-01' }), [422], 'ends_on'],
		['version a string', projectJson({ version: '1' }), [422], 'version'],
		['version overflowing', projectJson({ version: 1e30 }), [422], 'version'],
		['unknown field', projectJson({ status: 'completed' }), [422], 'status'],
		['unknown field created_by', projectJson({ created_by: 1 }), [422], 'created_by'],
		['duplicate keys', projectJson().replace('{', '{"title_de": "Zweimal", '), [400]],
		['nested 40 deep', projectJson({ partners: nested(40) }), [400]],
		['a list', '[]', [422]], ['null', 'null', [422]], ['a string', '"Projekt"', [422]],
	])
		refused(await post(body), what, statuses, field);
	refused(await post(projectJson({ summary_de: 'x'.repeat(70000) })), 'a 70 KB body', [413]);
	assert.equal(projectCounts(), before, 'nothing stored');
	await workersAlive();
});

test('projects: hostile criteria, measurements, ids and filters are 4xx, nothing stored', async () => {
	const planner = await member(['planner']);
	const h = { ...as(planner), 'content-type': 'application/json' };
	const made = await json('POST', '/api/v1/projects', JSON.parse(projectJson()), as(planner));
	assert.equal(made.status, 201, made.text);
	const id = made.json.id;
	const crit = { name_de: 'Härtetestkriterium', baseline: 1, baseline_on: '2026-01-01', target: 5,
		target_on: '2026-12-31' };
	const c = await json('POST', `/api/v1/projects/${id}/criteria`, crit, as(planner));
	assert.equal(c.status, 201, c.text);
	const cid = c.json.id;
	const before = projectCounts();
	const critJson = (extra = {}) => JSON.stringify({ ...crit, ...extra });
	for (const [what, body, statuses, field] of [
		['baseline NaN', critJson().replace('"baseline":1', '"baseline":NaN'), [400]],
		['baseline 1e999', critJson().replace('"baseline":1', '"baseline":1e999'), [422], 'baseline'],
		['baseline 1e13', critJson({ baseline: 1e13 }), [422], 'baseline'],
		['baseline a string', critJson({ baseline: '1' }), [422], 'baseline'],
		['baseline null', critJson({ baseline: null }), [422], 'baseline'],
		['target a list', critJson({ target: [5] }), [422], 'target'],
		['target_on 30 February', critJson({ target_on: '2026-02-30' }), [422], 'target_on'],
		['baseline_on SQL', critJson({ baseline_on: "2026-01-01' OR '1'='1" }), [422], 'baseline_on'],
		['derivation SQL', critJson({ derivation: "manual'; --" }), [422], 'derivation'],
		['derivation a number', critJson({ derivation: 1 }), [422], 'derivation'],
		['survey_id negative', critJson({ derivation: 'survey_mean', survey_id: -1, question: 'q' }), [422], 'survey_id'],
		['survey_id a fraction', critJson({ derivation: 'survey_mean', survey_id: 1.5, question: 'q' }), [422], 'survey_id'],
		['survey_id 1e30', critJson({ derivation: 'survey_mean', survey_id: 1e30, question: 'q' }), [422], 'survey_id'],
		['category SQL', critJson({ derivation: 'defect_ack_days', category: "graffiti' OR '1'='1" }), [422], 'category'],
		['question a bell', critJson({ derivation: 'survey_mean', survey_id: 1, question: 'q\u0007' }), [422], 'question'],
		['position 1e9', critJson({ position: 1e9 }), [422], 'position'],
		['name a control character', critJson({ name_de: 'Kriterium\u0001' }), [422], 'name_de'],
		['name invalid UTF-8', Buffer.from(critJson().replace('Härtetest', 'H\xc3\x28rtetest'), 'latin1'), [400]],
		['unknown field', critJson({ value: 3 }), [422], 'value'],
		['a list', '[1]', [422]],
	]) {
		refused(await req(`/api/v1/projects/${id}/criteria`, { method: 'POST', headers: h, body }), what, statuses, field);
		refused(await req(`/api/v1/projects/${id}/criteria/${cid}`, { method: 'PUT', headers: h, body }),
			`PUT ${what}`, statuses, field);
	}
	const m = (extra = {}) => JSON.stringify({ value: 2, measured_on: '2026-03-01', note: 'Zählung', ...extra });
	for (const [what, body, statuses, field] of [
		['value NaN', m().replace('"value":2', '"value":NaN'), [400]],
		['value -Infinity', m().replace('"value":2', '"value":-Infinity'), [400]],
		['value 1e999', m().replace('"value":2', '"value":1e999'), [422], 'value'],
		['value 1e300', m({ value: 1e300 }), [422], 'value'],
		['value a string', m({ value: '2' }), [422], 'value'],
		['value an object', m({ value: { v: 2 } }), [422], 'value'],
		['value missing', m({ value: undefined }), [422], 'value'],
		['measured_on 30 February', m({ measured_on: '2026-02-30' }), [422], 'measured_on'],
		['measured_on 31 April', m({ measured_on: '2026-04-31' }), [422], 'measured_on'],
		['measured_on SQL', m({ measured_on: "2026-03-01'); DELETE FROM project_measurements; --" }), [422], 'measured_on'],
		['measured_on a list', m({ measured_on: ['2026-03-01'] }), [422], 'measured_on'],
		['note a bell', m({ note: 'Zählung \u0007' }), [422], 'note'],
		['note 501 chars', m({ note: 'n'.repeat(501) }), [422], 'note'],
		['note invalid UTF-8', Buffer.from(m().replace('Zählung', 'Z\xc3\x28hlung'), 'latin1'), [400]],
		['unknown field', m({ criterion_id: 1 }), [422], 'criterion_id'],
		['duplicate keys', m().replace('{', '{"value": 3, '), [400]],
		['nested 40 deep', m({ note: nested(40) }), [400]],
	])
		refused(await req(`/api/v1/projects/${id}/criteria/${cid}/measurements`, { method: 'POST', headers: h, body }),
			what, statuses, field);
	const status = (body) => req(`/api/v1/projects/${id}/status`, { method: 'POST', headers: h,
		body: JSON.stringify(body) });
	for (const [what, body, statuses, field] of [
		['status SQL', { status: "completed' --", note: 'Notiz' }, [422], 'status'],
		['status selected', { status: 'selected', note: 'Notiz' }, [422], 'status'],
		['status a list', { status: ['completed'], note: 'Notiz' }, [422], 'status'],
		['note a bell', { status: 'completed', note: 'Notiz \u0007' }, [422], 'note'],
	])
		refused(await status(body), what, statuses, field);
	// Ids that cannot be are 404, on every project route.
	for (const bad of ['-1', '0', '99999999999999999999', '9007199254740992', '1e3', '0x10', '1.5', '%2e%2e',
		"1'%20OR%20'1'='1", '1%00']) {
		assert.equal((await req(`/api/v1/projects/${bad}`)).status, 404, `GET ${bad}`);
		assert.equal((await req(`/api/v1/projects/${bad}/criteria`)).status, 404, `criteria of ${bad}`);
		// (/projekte/%2e%2e is / to the client before it is sent.)
		if (bad !== '%2e%2e') assert.equal((await req(`/projekte/${bad}`)).status, 404, `page ${bad}`);
		assert.equal((await req(`/api/v1/projects/${id}/criteria/${bad}`, { method: 'DELETE', headers: h })).status,
			404, `DELETE criterion ${bad}`);
		assert.equal((await req(`/api/v1/projects/${id}/criteria/${cid}/measurements`, { method: 'POST',
			headers: { ...h }, body: m() }).then(() => req(`/api/v1/projects/${id}/criteria/${cid}/measurements/${bad}`,
			{ method: 'DELETE', headers: h }))).status, 404, `DELETE measurement ${bad}`);
	}
	psql(`DELETE FROM project_measurements WHERE criterion_id = ${cid}`);
	psql(`DELETE FROM audit_log WHERE target_kind = 'project' AND target_id = ${id} AND action = 'project.measurement_add'`);
	// Filters: by name.
	for (const [q, field] of [['page=0', 'page'], ['page=10001', 'page'], ['page=1e2', 'page'], ['page=NaN', 'page'],
		['page=-1', 'page'], ['status=open%27--', 'status'], ['status=', 'status'], ['field=energie%27--', 'field'],
		['goal=%3Cscript%3E', 'goal'], ['field=A', 'field'], ['lang=xx', 'lang']]) {
		refused(await req(`/api/v1/projects?${q}`), `list ${q}`, [400, 422], field);
		// The filter form sends an empty value for "any".
		if (q === 'status=') continue;
		const page = await req(`/projekte?${q}`);
		assert.ok([400, 422].includes(page.status), `page ${q} → ${page.status}`);
		assert.match(page.headers.get('content-type'), /^text\/html/);
	}
	assert.equal(projectCounts(), before, 'nothing stored');
	await workersAlive();
});

test('the age band: hostile values are refused by name, nothing stored', async () => {
	const p = await member();
	const patch = (body) => req('/api/v1/me', { method: 'PATCH', headers: { ...as(p),
		'content-type': 'application/json' }, body });
	for (const v of [`"30-44' OR '1'='1"`, `"${'9'.repeat(5000)}"`, '"30-44\\n"', '"30\u202e-44"', '["30-44"]',
		'{"band": "30-44"}', '30', 'true', '"UNDER-18"', '""'.replace('""', '" 30-44"')]) {
		const e = expectError(await patch(`{"age_band": ${v}}`), 422);
		assert.ok(e.fields.age_band, v);
	}
	expectError(await patch(Buffer.from('{"age_band": "\xc3\x28"}', 'latin1')), 400, 'malformed_json');
	assert.equal(psql(`SELECT coalesce(age_band, 'none') FROM accounts WHERE id = ${p.account.id}`), 'none');
});

// The evaluation report's and open data's parameters: each hostile value a
// 4xx that names the parameter (a path segment that can name no dataset is
// a 404, as every {id} and {slug}), never a 500.
test('evaluation and open data: hostile parameters are 4xx by name', async () => {
	const planner = await member(['planner']);
	const ev = (q) => req(`/api/v1/evaluation?${q}`, { headers: as(planner) });
	const named = (r, what, field, statuses = [400, 422]) => {
		refused(r, what, statuses);
		const e = expectError(r, r.status);
		assert.ok(field in (e.fields ?? {}), `${what}: ${field} not named in ${r.text.slice(0, 300)}`);
	};
	const ok = 'from=2024-01-01&to=2024-12-31';
	for (const [what, q, field] of [
		['from 30 February', 'from=2026-02-30&to=2026-12-31', 'from'],
		['to month 13', 'from=2026-01-01&to=2026-13-01', 'to'],
		['from year 99999', 'from=99999-01-01&to=2026-12-31', 'from'],
		['to year 99999', 'from=2026-01-01&to=99999-12-31', 'to'],
		['from empty', 'from=&to=2026-12-31', 'from'],
		['to empty', 'from=2026-01-01&to=', 'to'],
		['from missing', 'to=2026-12-31', 'from'],
		['from repeated', 'from=2024-01-01&from=2025-01-01&to=2025-12-31', 'from'],
		['to repeated', `${ok}&to=2025-12-31`, 'to'],
		['from with a time', 'from=2024-01-01T00:00&to=2024-12-31', 'from'],
		['from signed', 'from=+2024-01-01&to=2024-12-31', 'from'],
		['from in SQL', "from=2024'--&to=2024-12-31", 'from'],
		['to before from', 'from=2025-01-01&to=2024-12-31', 'to'],
		['format xlsx', `${ok}&format=xlsx`, 'format'],
		['format uppercase', `${ok}&format=CSV`, 'format'],
		['internal yes', `${ok}&internal=yes`, 'internal'],
		['internal 2', `${ok}&internal=2`, 'internal'],
		['lang xx', `${ok}&lang=xx`, 'lang'],
		['undeclared', `${ok}&field=energie`, 'field'],
		['undeclared k', `${ok}&k=1`, 'k'],
	])
		named(await ev(q), what, field);
	for (const [what, q] of [
		['from invalid UTF-8', 'from=2024-01-0%C3&to=2024-12-31'],
		['from overlong UTF-8', 'from=%C0%AF&to=2024-12-31'],
		['from encoded NUL', 'from=2024-01-01%00&to=2024-12-31'],
		['broken escape', 'from=2024-01-01%&to=2024-12-31'],
	])
		refused(await ev(q), what, [400]);
	// The page: its form may carry empty fields, a bad date is still named.
	for (const q of ['from=2026-02-30&to=2026-12-31', 'from=2026-01-01&to=2026-13-01', 'internal=yes',
		'from=99999-01-01&to=2026-12-31']) {
		const r = await req(`/planung/auswertung?${q}`, { headers: as(planner) });
		assert.ok(r.status >= 400 && r.status < 500, `page ${q} → ${r.status}`);
	}

	for (const f of ['..%2f..%2fetc%2fpasswd', '..%2fideas.csv', '%2e%2e', '%2e%2e%2fideas.json',
		'ideas.csv%00', 'ideas%00.csv', 'ideas.csv.json', 'ideas.json.csv', 'IDEAS.CSV', 'Ideas.csv',
		'ideas.CSV', 'ideas', 'ideas.', '.csv', 'ideas.xlsx', 'ideas.csv%20', '%20ideas.csv',
		'ideas%C3.csv', '%C0%AFideas.csv', 'x'.repeat(300) + '.csv'])
		refused(await req(`/api/v1/opendata/${f}`), `file ${f}`, [400, 404]);
	const r = await raw('/api/v1/opendata/../opendata/ideas.csv');
	assert.equal(r.status, 404, 'raw ../ names no dataset');
	named(await req('/api/v1/opendata/ideas.csv?after=0'), 'undeclared after', 'after');
	named(await req('/api/v1/opendata/ideas.csv?lang=xx'), 'lang xx', 'lang');
	named(await req('/api/v1/opendata?format=csv'), 'catalogue undeclared', 'format');
	await workersAlive();
});

test('statistics: hostile parameters are 4xx by name on the API and the pages', async () => {
	const citizen = await member();
	const rows = [
		['from=2026-13', 422, 'from'], ['from=2026-00', 422, 'from'], ['to=2026-3', 422, 'to'],
		['from=26-03', 422, 'from'], ['from=2026-03-01', 422, 'from'], ['from=2026%2F03', 422, 'from'],
		['from=2026%E2%80%9003', 422, 'from'], ['from=%EF%BC%92026-03', 422, 'from'],
		['from=1999-12', 422, 'from'], ['to=2100-01', 422, 'to'], ['from=9999-01', 422, 'from'],
		['from=20260-01', 422, 'from'], [`from=${'2'.repeat(17)}`, 422, 'from'],
		['from=-2026-01', 422, 'from'], ['from=2026-+1', 422, 'from'], ['from=2026-1e', 422, 'from'],
		["from=2026-01'--", 422, 'from'], ['from=2026-01%00', 400], ['from=', 422, 'from'],
		['from=2026-02&to=2026-01', 422, 'to'], ['from=2000-01&to=2099-12', 422, 'from'],
		['field=unbekannt', 422, 'field'], ["field=x'%20OR%20'1'='1", 422, 'field'],
		['field=Mobilitaet', 422, 'field'], ['field=%3Cscript%3E', 422, 'field'],
		['district=nirgendwo', 422, 'district'], ['district=a;DROP%20TABLE%20stats_counts', 422, 'district'],
		[`district=${'a'.repeat(65)}`, 422, 'district'],
		['internal=yes', 422, 'internal'], ['internal=true', 422, 'internal'], ['internal=2', 422, 'internal'],
		['from=2026-01&from=2026-02', 400, 'from'], ['field=a&field=b', 400, 'field'],
		['internal=0&internal=0', 400, 'internal'],
		['field=%C3%28', 400], ['district=%FF%FE', 400], ['from=%ED%A0%80', 400], ['to=%C0%AF', 400],
		['from=%', 400], ['lang=de', 422, 'lang'], ['k=1', 422, 'k'],
	];
	for (const path of ['/api/v1/stats/dashboard', '/api/v1/stats/dashboard.csv', '/api/v1/stats/inclusion']) {
		for (const [q, status, field] of rows) {
			const r = await req(`${path}?${q}`);
			refused(r, `${path}?${q}`, [status]);
			if (field)
				assert.ok(field in (r.json.error.fields ?? {}), `${path}?${q}: ${field} named in ${r.text}`);
		}
		// The internal view is the planners': 401 without an account, 403
		// for one without the role, naming internal either way.
		for (const [who, status] of [[{}, 401], [as(citizen), 403]]) {
			const r = await req(`${path}?internal=1`, { headers: who });
			refused(r, `${path}?internal=1`, [status]);
			assert.ok('internal' in (r.json.error.fields ?? {}), `${path}: internal named`);
		}
	}
	for (const path of ['/statistik', '/statistik/handlungsfelder', '/statistik/teilhabe']) {
		// An empty value is "all" on the pages (the filter form sends one),
		// and a page, unlike the API, ignores parameters it does not know.
		for (const [q, status] of rows.filter(([q]) => !['lang=de', 'from=', 'k=1'].includes(q))
			.concat([['lang=xx', 422]])) {
			const r = await req(`${path}?${q}`);
			assert.equal(r.status, status, `${path}?${q} → ${r.status}`);
			assert.match(r.headers.get('content-type') ?? '', /^text\/html/, `${path}?${q}: a page`);
			assert.doesNotMatch(r.text, /stats_counts|syntax error|<script>/i, `${path}?${q}: nothing echoed raw`);
		}
	}
	await workersAlive();
});

test('moderation desk: hostile views, cursors, undo ids and bodies are 4xx, nothing changed', async () => {
	const mod = await member(['moderator']);
	const cookie = (await login(mod.email, { kind: 'cookie' })).cookie;
	const page = (q) => req(`/moderation?${q}`, { headers: { cookie } });
	for (const q of ['after=1.2.3', 'after=1.2.3.4.5', "after=1.2.3.4'--", 'after=99999999999999999.1.1.1',
		'after=1..2.3', `after=${'9'.repeat(90)}`, 'after=-.-.-.-', 'tab=alles', 'sort=random', 'age=2',
		'age=-1', 'kind=defect', "field=x'%20OR%20'1'='1", 'district=%3Cscript%3E', 'alle=ja', 'erledigt=-1',
		'erledigt=abc', 'rueckgaengig=1e3', 'after=%00', 'entscheiden=-1', 'entscheiden=abc',
		"entscheiden=1'--"])
		assert.ok([400, 404, 422].includes((await page(q)).status), q);
	// The staff queue and the defect moderation: cursors of another order,
	// unknown tabs, orders and ages; the API names what it refuses.
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const staffCookie = (await login(staff.email, { kind: 'cookie' })).cookie;
	for (const q of ['after=q.1', 'after=q.1.x', 'after=n.1.1', 'sort=supports&after=q.1.1', "after=s.1.1'--",
		`after=q.${'9'.repeat(40)}.1`, 'sort=loudest', 'age=2', 'age=-1', 'district=%3Cscript%3E', 'after=%00'])
		assert.ok([400, 403, 422].includes((await req(`/fachbereich?${q}`, { headers: { cookie: staffCookie } })).status), `fachbereich ${q}`);
	for (const q of ['tab=ideas', 'after=q.1', 'after=s.1.1', 'sort=newest&after=q.1.1', 'sort=supports', 'age=30',
		"category=x'%20OR%20'1'='1", 'after=%00'])
		assert.ok([400, 422].includes((await req(`/moderation/maengel?${q}`, { headers: { cookie } })).status), `maengel ${q}`);
	for (const q of ['age=2', 'sort=supports&after=q.1.1', 'colour=red', 'tab=texts'])
		assert.equal((await req(`/api/v1/moderation/defects?${q}`, { headers: { authorization: `Bearer ${mod.token}` } })).status, 422, q);
	for (const q of ['age=2', 'sort=newest&after=q.1.1', 'sort=loudest'])
		assert.equal((await req(`/api/v1/staff/defects?${q}`, { headers: { authorization: `Bearer ${staff.token}` } })).status, 422, q);
	// If-Match that is no version: 422 naming it, nothing edited.
	const edited = psql("SELECT count(*) FROM idea_revisions");
	for (const h of ['drei', '"-"', 'W/x', '""'])
		assert.equal((await json('PATCH', '/api/v1/moderation/ideas/1', { title: 'Ein Titel hier', note: 'feindlich' },
			{ authorization: `Bearer ${mod.token}`, 'if-match': h })).status, 422, h);
	assert.equal(psql("SELECT count(*) FROM idea_revisions"), edited);
	assert.equal((await page('after=0.0.0.0')).status, 200, 'a well-formed cursor past everything is an empty page');
	const before = psql("SELECT count(*) FROM audit_log WHERE action = 'moderation.undo'");
	for (const id of ['-1', '0', 'abc', '99999999999999999999', '1e3'])
		assert.ok([404, 422].includes((await json('POST', `/api/v1/moderation/decisions/${id}/undo`, {},
			{ authorization: `Bearer ${mod.token}` })).status), id);
	for (const [what, body] of [['a field', { id: 1 }], ['a list', []], ['a string', 'undo'], ['null', null]])
		refused(await json('POST', '/api/v1/moderation/decisions/1/undo', body, { authorization: `Bearer ${mod.token}` }),
			what, [400, 422]);
	assert.equal(psql("SELECT count(*) FROM audit_log WHERE action = 'moderation.undo'"), before);
	await workersAlive();
});

// Unsubscribe tokens: only a MAC the server made passes; every hostile
// value is a readable 4xx page, and no switch of anyone changes.
test('unsubscribe tokens: hostile values are 4xx pages, no switch changes', async () => {
	const switches = () => psql('SELECT count(*) || \'/\' || count(*) FILTER (WHERE NOT (idea_decision AND idea_status' +
		' AND comment_reply AND defect_status)) FROM notification_settings');
	const before = switches();
	const mac = 'A'.repeat(43);
	const values = ['', '.', '...', '1.1.idea_status.', `1.1.idea_status.${mac}`, `1.0.idea_status.${mac}`,
		`1.-1.idea_status.${mac}`, `1.01.idea_status.${mac}`, `1.9007199254740992.idea_status.${mac}`,
		`1.99999999999999999999.idea_status.${mac}`, `0.1.idea_status.${mac}`, `2.1.idea_status.${mac}`,
		`1.1.newsletter.${mac}`, `1.1.IDEA_STATUS.${mac}`, `1.1.idea_status.${mac}A`, `1.1.idea_status.${mac}+`,
		`1.1.idea_status.${mac.slice(1)}%00`, `1.1.idea_status%00.${mac}`, "1.1' OR '1'='1.idea_status." + mac,
		`1.1.idea_status.${mac}.x`, `1 .1.idea_status.${mac}`, '%C3%28', encodeURIComponent('Ä'.repeat(60)),
		'x'.repeat(513)];
	for (const v of values) {
		const q = /%/.test(v) ? v : encodeURIComponent(v);
		for (const r of [await req(`/abbestellen?t=${q}`), await req(`/abbestellen?t=${q}`, { method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }),
		await req('/abbestellen', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: `t=${q}` })]) {
			assert.ok([400, 422].includes(r.status), `${v.slice(0, 40)}: ${r.status}`);
			assert.match(r.headers.get('content-type'), /^text\/html/);
		}
	}
	// Bodies it does not take, and a JSON body: refused by type.
	const j = await req(`/abbestellen?t=1.1.idea_status.${mac}`, { method: 'POST',
		headers: { 'content-type': 'application/json' }, body: '{"t":"x"}' });
	assert.equal(j.status, 415);
	assert.equal(switches(), before, 'no switch changed');
});

// "Meine Beiträge": the page's offset and the API's limit and offset are
// bounded numbers; anything else is a 4xx by name (a page for the page).
test('Meine Beiträge: hostile offsets and limits are 4xx by name, page and API', async () => {
	const citizen = await member();
	const cookie = (await login(citizen.email, { kind: 'cookie' })).cookie;
	const bad = ['-1', 'abc', '1e3', '1.5', '0x10', '%201', '1000001', '99999999999999999999', '%00', '%C3%28',
		"1'--", '1;DROP%20TABLE%20ideas', '%EF%BC%91'];
	for (const v of bad) {
		const r = await req(`/konto/beitraege?offset=${v}`, { headers: { cookie } });
		assert.ok([400, 422].includes(r.status), `page offset=${v} → ${r.status}`);
		assert.match(r.headers.get('content-type') ?? '', /^text\/html/, `page offset=${v}: a page`);
		assert.doesNotMatch(r.text, /DROP TABLE|syntax error/i, `page offset=${v}: nothing echoed raw`);
	}
	assert.equal((await req('/konto/beitraege?offset=1&offset=2', { headers: { cookie } })).status, 400);
	for (const ok of ['0', '1000000'])
		assert.equal((await req(`/konto/beitraege?offset=${ok}`, { headers: { cookie } })).status, 200, ok);
	const api = (q) => req(`/api/v1/me/contributions?${q}`, { headers: as(citizen) });
	for (const v of bad.concat(['0', '101', '']))
		refused(await api(`limit=${v}`), `limit=${v}`, [400, 422], 'limit');
	for (const v of bad.concat(['']))
		refused(await api(`offset=${v}`), `offset=${v}`, [400, 422], 'offset');
	refused(await api('limit=1&limit=2'), 'limit twice', [400], 'limit');
	refused(await api('kind=idea'), 'an unknown parameter', [400, 422], 'kind');
	for (const q of ['limit=1', 'limit=100', 'offset=0', 'offset=1000000&limit=100'])
		assert.equal((await api(q)).status, 200, q);
	expectError(await req('/api/v1/me/contributions?limit=10'), 401);
	await workersAlive();
});

// Sign-in's return path: whatever a link or a form says, the way on from
// /anmelden is a path on this site (nextpath.c), never another host, and
// nothing of a refused value reaches the page or a header.
test('sign-in return path: open-redirect attempts stay local', async () => {
	const who = await member();
	const hostile = ['//evil.example', '//evil.example/%2e%2e', '/\\evil.example', '/\\/evil.example',
		'\\\\evil.example', 'https://evil.example/', 'http:evil.example', 'HTTPS://evil.example',
		'javascript:alert(1)', 'data:text/html,evil', '%2F%2Fevil.example', '%252F%252Fevil.example',
		'/\t/evil.example', '/\n/evil.example', '/konto\r\nSet-Cookie: evil=1', '/konto\r\nLocation: //evil.example',
		' //evil.example', '/anmelden?next=//evil.example', '/abmelden', `/${'a'.repeat(600)}evil`,
		'/konto\u0000//evil.example', '/k\u00f6nto//evil.example', 'evil.example'];
	for (const v of hostile) {
		const r = await req(`/anmelden?next=${encodeURIComponent(v)}&why=support`);
		assert.ok([200, 400, 422].includes(r.status), `GET next=${JSON.stringify(v)} → ${r.status}`);
		assert.doesNotMatch(r.text, /evil/, `GET next=${JSON.stringify(v)}: not on the page`);
		assert.equal(r.headers.get('location'), null);
	}
	// Already percent-encoded once more than a browser would: still refused.
	for (const q of ['%2F%2Fevil.example', '%2F%5Cevil.example', '%252F%252Fevil.example', '%0D%0ASet-Cookie:%20evil=1']) {
		const r = await req(`/anmelden?next=${q}`);
		assert.ok([200, 400, 422].includes(r.status), q);
		assert.doesNotMatch(r.text, /evil/, q);
		assert.ok(!(r.headers.get('set-cookie') ?? '').includes('evil'), q);
	}
	// Signing in with each: on to the profile, on this site.
	const signIn = async (next) => {
		const page = await req('/anmelden');
		const csrf = page.text.match(/name="csrf_token" value="([^"]+)"/)[1];
		const cookie = (page.headers.get('set-cookie') || '').split(';')[0];
		return req('/anmelden', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded',
			'sec-fetch-site': 'same-origin', cookie, 'x-forwarded-for': clientIp() },
		body: new URLSearchParams({ csrf_token: csrf, email: who.email, password: 'ein langes Passwort für Tests',
			next }).toString() });
	};
	const good = await signIn('/ideen?lang=en');
	assert.equal(good.status, 303, good.text);
	assert.equal(good.headers.get('location'), '/ideen?lang=en', 'a local path is followed (the test can fail)');
	for (const v of hostile) {
		const r = await signIn(v);
		assert.ok(!(r.headers.get('set-cookie') ?? '').includes('evil'));
		// A NUL is refused with the whole form (400), before anyone signs in.
		if (v.includes('\u0000') && r.status === 400) {
			assert.equal(r.headers.get('location'), null);
			continue;
		}
		assert.equal(r.status, 303, `POST next=${JSON.stringify(v)} → ${r.status}: ${r.text.slice(0, 200)}`);
		assert.equal(r.headers.get('location'), '/konto', `POST next=${JSON.stringify(v)}`);
	}
	await workersAlive();
});

test('site texts and settings: hostile text, bidi controls, huge bodies, bad colours: 4xx, nothing stored', async () => {
	const admin = await member(['admin']);
	const before = psql("SELECT md5(string_agg(body, '' ORDER BY key, lang)) FROM site_texts");
	const put = (path, body) => json('PUT', path, body, as(admin));
	let e = expectError(await put('/api/v1/admin/site/texts/impressum', { de: 'x'.repeat(30001) }), 422);
	assert.ok(e.fields.de);
	e = expectError(await put('/api/v1/admin/site/texts/impressum', { de: 'Text\u202emit Umkehr' }), 422);
	assert.ok(e.fields.de);
	e = expectError(await put('/api/v1/admin/site/texts/impressum', { de: 'a', en: ['b'] }), 422);
	assert.ok(e.fields.en);
	expectError(await put('/api/v1/admin/site/texts/impressum', { de: 'a', html: '<b>' }), 422);
	expectError(await put('/api/v1/admin/site/texts/..%2fimpressum', { de: 'a' }), 404);
	expectError(await put('/api/v1/admin/site/texts/impressum%00', { de: 'a' }), 404);
	assert.equal(psql("SELECT md5(string_agg(body, '' ORDER BY key, lang)) FROM site_texts"), before);
	const version = psql('SELECT version FROM site_settings');
	for (const body of [{ primary_colour: '#00000' }, { primary_colour: 'rgb(0,0,0)' },
		{ link_colour: '#ffffff' }, { site_name: ' ' }, { city_name: 'x'.repeat(81) },
		{ sign_video_url: 'http://example.org/v' }, { sign_video_url: 'https://a"><script>' },
		{ a11y_contact: 'a@b@c' }, { primary_colour: 5 }])
		expectError(await put('/api/v1/admin/site', body), 422);
	assert.equal(psql('SELECT version FROM site_settings'), version, 'nothing stored');
	// A text with markup that tries to break out stays text on the page.
	const saved = (await req('/api/v1/site')).json.texts.gebaerdensprache.de.body;
	const r = await put('/api/v1/admin/site/texts/gebaerdensprache', {
		de: '[x](javascript:alert(1)) [y](https://a" onmouseover="z) <img src=x onerror=y>' });
	assert.equal(r.status, 200);
	const page = await req('/gebaerdensprache');
	assert.ok(!/<img src=x|href="javascript|onmouseover="/.test(page.text), page.text.slice(0, 2000));
	assert.equal((await put('/api/v1/admin/site/texts/gebaerdensprache', { de: saved })).status, 200);
});

test('administration: hostile API bodies and forms are 4xx by name, CSRF and roles enforced, nothing changed', async () => {
	const { login } = await import('./lib.mjs');
	const admin = await member(['admin']);
	const h = as(admin);
	const slug = `feind-${Date.now() % 1e6}`;
	let r = await json('POST', '/api/v1/admin/districts', { slug, name: 'Feindbezirk', active: false }, h);
	assert.equal(r.status, 201, r.text);
	const row = () => psql(`SELECT name || '|' || coalesce(number, '-') || '|' || position || '|' || active
		FROM districts WHERE slug = '${slug}'`);
	const before = row();
	const field = psql('SELECT slug FROM fields ORDER BY position LIMIT 1');
	const fieldRow = () => psql(`SELECT name_de || name_en || description_de FROM fields WHERE slug = '${field}'`);
	const fieldBefore = fieldRow();
	const criterion = psql('SELECT slug FROM criteria ORDER BY position LIMIT 1');
	const critRow = () => psql(`SELECT name_de || weight || position || active FROM criteria WHERE slug = '${criterion}'`);
	const critBefore = critRow();
	// The API: oversized, control characters, wrong types, unknown fields.
	const cases = [
		[`/api/v1/admin/districts/${slug}`, { name: 'x'.repeat(10000) }, 'name'],
		[`/api/v1/admin/districts/${slug}`, { name: 'Bell\u0007bezirk' }, 'name'],
		[`/api/v1/admin/districts/${slug}`, { number: '1\n2' }, 'number'],
		[`/api/v1/admin/districts/${slug}`, { number: '٣' }, 'number'],
		[`/api/v1/admin/districts/${slug}`, { number: '9'.repeat(5000) }, 'number'],
		[`/api/v1/admin/districts/${slug}`, { number: ['1'] }, 'number'],
		[`/api/v1/admin/districts/${slug}`, { active: 'false' }, 'active'],
		[`/api/v1/admin/districts/${slug}`, { active: 0 }, 'active'],
		[`/api/v1/admin/districts/${slug}`, { position: 1e300 }, 'position'],
		[`/api/v1/admin/districts/${slug}`, { position: '5' }, 'position'],
		[`/api/v1/admin/districts/${slug}`, { is_demo: true }, 'is_demo'],
		[`/api/v1/admin/fields/${field}`, { name_de: 'x'.repeat(121) }, 'name_de'],
		[`/api/v1/admin/fields/${field}`, { description_de: 'x'.repeat(2001) }, 'description_de'],
		[`/api/v1/admin/fields/${field}`, { name_en: { de: 'x' } }, 'name_en'],
		[`/api/v1/admin/fields/${field}`, { name_de: 'Null\u0000Feld' }, null],
		[`/api/v1/admin/criteria/${criterion}`, { name_de: 'A', name_en: 'B', weight: 'viel', position: 1 }, 'weight'],
		[`/api/v1/admin/criteria/${criterion}`, { name_de: 'x'.repeat(201), name_en: 'B', weight: 1, position: 1 }, 'name_de'],
		[`/api/v1/admin/criteria/${criterion}`, { name_de: 'A', name_en: 'B', weight: 1, position: 1, active: 'ja' },
			'active'],
	];
	for (const [path, body, name] of cases) {
		r = await json('PUT', path, body, h);
		assert.ok(r.status === 422 || r.status === 400, `${path} ${JSON.stringify(body).slice(0, 60)}: ${r.status}`);
		if (name) assert.ok(r.text.includes(`"${name}"`), `${name} named: ${r.text.slice(0, 200)}`);
	}
	for (const body of [{ slug: 'x'.repeat(65), name: 'Zu lang' }, { slug: 'Groß', name: 'A' },
		{ slug: `${slug}-n`, name: 'A', number: '12 3' }, { slug: `${slug}-n`, name: 'A', active: 'yes' }]) {
		r = await json('POST', '/api/v1/admin/districts', body, h);
		assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
	}
	assert.equal(psql(`SELECT count(*) FROM districts WHERE slug LIKE '${slug}-%'`), '0', 'nothing added');
	// The forms: without the CSRF token, 403; hostile values named; kept out.
	const s = await login(admin.email, { kind: 'cookie' });
	const ip = clientIp();
	const form = (path, fields, csrf = true) => req(path, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie, 'x-forwarded-for': ip },
		body: new URLSearchParams({ ...(csrf ? { csrf_token: s.csrf } : {}), ...fields }).toString() });
	const forms = [
		[`/verwaltung/taxonomie/bezirke/${slug}`, { name: 'Ohne Token' }],
		[`/verwaltung/taxonomie/bezirke/${slug}/aktiv`, { active: 'true', confirm: 'ja' }],
		['/verwaltung/taxonomie/bezirke', { slug: `${slug}-f`, name: 'Ohne Token' }],
		['/verwaltung/kriterien', { slug: `${slug}-k`, name_de: 'A', name_en: 'B', weight: '1', position: '1' }],
		[`/verwaltung/kriterien/${criterion}`, { name_de: 'A', name_en: 'B', weight: '1', position: '1' }],
		[`/verwaltung/taxonomie/felder/${field}`, { name_de: 'Ohne Token' }],
		['/verwaltung/open311', { name: 'Ohne Token' }],
	];
	for (const [path, fields] of forms) {
		r = await form(path, fields, false);
		assert.equal(r.status, 403, `${path} without CSRF: ${r.status}`);
	}
	for (const [path, fields, name] of [
		[`/verwaltung/taxonomie/bezirke/${slug}`, { name: 'x'.repeat(5000), number: '', position: '5' }, 'name'],
		[`/verwaltung/taxonomie/bezirke/${slug}`, { name: 'Feind', number: '<script>', position: '5' }, 'number'],
		[`/verwaltung/taxonomie/bezirke/${slug}`, { name: 'Feind\u001b[2J', number: '', position: '5' }, 'name'],
		[`/verwaltung/taxonomie/bezirke/${slug}`, { name: 'Feind', position: '5', is_demo: 'true' }, 'is_demo'],
		[`/verwaltung/taxonomie/bezirke/${slug}/aktiv`, { active: 'vielleicht', confirm: 'ja' }, 'active'],
		['/verwaltung/kriterien', { slug: `${slug}-k`.padEnd(300, 'x'), name_de: 'A', name_en: 'B', weight: '1',
			position: '1' }, 'slug'],
		['/verwaltung/kriterien', { slug: `${slug}-k`, name_de: 'A\u0000B', name_en: 'B', weight: '1', position: '1' },
			null],
		['/verwaltung/kriterien', { slug: `${slug}-k`, name_de: 'A', name_en: 'B', weight: '1e999', position: '1' },
			'weight'],
	]) {
		r = await form(path, fields);
		assert.ok(r.status === 422 || r.status === 400, `${path} ${name}: ${r.status} ${r.text.slice(0, 200)}`);
		// The reason on top, linked to the field where the form has one
		// (control characters are refused whole, 400, before any form).
		if (name && r.status === 422) assert.ok(r.text.includes('id="form-message"') && (r.text.includes(`-${name}"`) ||
			r.text.includes(`<code>${name}</code>`)), `${path} ${name} shown: ${r.text.slice(0, 300)}`);
		assert.ok(!r.text.includes('<script>'), 'nothing echoed raw');
	}
	assert.equal(row(), before, 'the district unchanged');
	assert.equal(fieldRow(), fieldBefore, 'the field unchanged');
	assert.equal(critRow(), critBefore, 'the criterion unchanged');
	assert.equal(psql(`SELECT count(*) FROM criteria WHERE slug LIKE '${slug}%'`), '0', 'no criterion added');
	// Not an administrator: each new operation refused, nothing changed.
	for (const roles of [[], ['moderator'], ['board'], ['staff']]) {
		let other;
		try {
			other = roles.includes('staff') ? await member(roles, psql('SELECT slug FROM departments LIMIT 1'))
				: await member(roles);
		} catch { continue; }
		const o = as(other);
		assert.equal((await json('PUT', `/api/v1/admin/districts/${slug}`, { active: true }, o)).status, 403);
		assert.equal((await json('POST', '/api/v1/admin/districts', { slug: `${slug}-x`, name: 'X' }, o)).status, 403);
		assert.equal((await json('PUT', `/api/v1/admin/fields/${field}`, { name_de: 'X' }, o)).status, 403);
		assert.equal((await json('PUT', `/api/v1/admin/criteria/${slug}-x`, { name_de: 'X', name_en: 'X', weight: 1,
			position: 1 }, o)).status, 403);
		const os = await login(other.email, { kind: 'cookie' });
		for (const [path, fields] of [...forms, [`/verwaltung/taxonomie/bezirke/${slug}/aktiv`,
			{ active: 'true', confirm: 'ja' }]]) {
			r = await req(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded',
				cookie: os.cookie, 'x-forwarded-for': ip },
				body: new URLSearchParams({ csrf_token: os.csrf, ...fields }).toString() });
			assert.equal(r.status, 403, `${roles} ${path}: ${r.status}`);
		}
	}
	assert.equal(row(), before, 'still unchanged');
	assert.equal(psql(`SELECT count(*) FROM districts WHERE slug LIKE '${slug}-%'`), '0');
});
