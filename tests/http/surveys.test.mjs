// Surveys through the JSON API: lifecycle, definitions refused with their
// JSON Pointers, frozen names, every access mode, concurrency, drafts,
// results against an independent computation, suppression, export and
// erasure.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, expectError, rawExchange, clientIp } from './lib.mjs';

const DEF = () => ({
	title: { default: 'Umfrage zur Mobilität', en: 'Mobility survey' },
	pages: [{
		name: 'p1', elements: [
			{ type: 'radiogroup', name: 'mode', title: { default: 'Wie kommen Sie?', en: 'How do you come?' },
				isRequired: true, choices: ['bus', 'rad', 'auto'] },
			{ type: 'checkbox', name: 'wishes', choices: ['radwege', 'busse', 'parken'] },
			{ type: 'rating', name: 'sat', rateMin: 1, rateMax: 5 },
			{ type: 'text', inputType: 'number', name: 'km', min: 0, max: 500 },
			{ type: 'comment', name: 'note' },
		],
	}, {
		name: 'p2', elements: [
			{ type: 'ranking', name: 'prio', choices: ['a', 'b', 'c'] },
			{ type: 'matrix', name: 'grid', rows: ['r1', 'r2'], columns: ['gut', 'schlecht'] },
			{ type: 'dropdown', name: 'age', choices: ['u30', 'mid', 'old'], visibleIf: "{mode} = 'auto'" },
		],
	}],
});

let planner, staff;
async function roles() {
	planner ??= await member(['planner']);
	staff ??= await member(['staff'], 'tiefbau-und-verkehr');
}

async function createSurvey(extra = {}, def = DEF()) {
	await roles();
	const r = await json('POST', '/api/v1/surveys', { definition: def, ...extra }, as(planner));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.headers.get('location'), `/api/v1/surveys/${r.json.id}`);
	return r.json;
}

async function openSurvey(extra = {}, def) {
	const s = await createSurvey(extra, def);
	const r = await action(s.id, 'open', as(planner));
	assert.equal(r.status, 200, r.text);
	return r.json;
}

// A POST without a body (open, close, copy).
const action = (id, what, headers) => req(`/api/v1/surveys/${id}/${what}`, { method: 'POST', headers });
const respond = (id, body, headers) => json('POST', `/api/v1/surveys/${id}/responses`, body, headers);

test('lifecycle: draft invisible, open, close, copy; illegal steps are 409', async () => {
	const s = await createSurvey({ fields: ['mobilitaet'], access: 'account' });
	assert.equal(s.status, 'draft');
	assert.equal(s.title, 'Umfrage zur Mobilität');
	assert.equal(s.title_en, 'Mobility survey');
	assert.deepEqual(s.fields.map((f) => f.slug), ['mobilitaet']);
	expectError(await req(`/api/v1/surveys/${s.id}`), 404);
	const citizen = await member();
	expectError(await req(`/api/v1/surveys/${s.id}`, { headers: as(citizen) }), 404);
	assert.equal((await req(`/api/v1/surveys/${s.id}`, { headers: as(planner) })).status, 200);
	let list = await req('/api/v1/surveys?limit=100');
	assert.ok(!list.json.surveys.some((x) => x.id === s.id), 'no draft in the public list');
	expectError(await action(s.id, 'close', as(planner)), 409, 'illegal_transition');
	const o = await action(s.id, 'open', as(planner));
	assert.equal(o.json.status, 'open');
	assert.equal(o.json.accepting, true);
	const pub = await req(`/api/v1/surveys/${s.id}?lang=en`);
	assert.equal(pub.status, 200);
	assert.deepEqual(pub.json.definition, DEF());
	assert.equal(pub.json.fields[0].name, 'Mobility');
	list = await req('/api/v1/surveys?status=open&limit=100');
	assert.ok(list.json.surveys.some((x) => x.id === s.id));
	expectError(await action(s.id, 'open', as(planner)), 409, 'illegal_transition');
	const c = await action(s.id, 'close', as(planner));
	assert.equal(c.json.status, 'closed');
	expectError(await respond(s.id, { answers: { mode: 'bus' } }, as(citizen)), 409, 'survey_not_open');
	const copy = await action(s.id, 'copy', as(planner));
	assert.equal(copy.status, 201, copy.text);
	assert.equal(copy.json.status, 'draft');
	assert.deepEqual(copy.json.definition, DEF());
	assert.deepEqual(copy.json.fields.map((f) => f.slug), ['mobilitaet']);
	expectError(await action(s.id, 'open', as(citizen)), 403);
	expectError(await json('POST', '/api/v1/surveys', { definition: DEF() }, as(citizen)), 403);
});

test('time window: before opens_at and after closes_at no response is taken', async () => {
	const future = await openSurvey({ opens_at: '2099-01-01T00:00:00Z' });
	assert.equal(future.accepting, false);
	const citizen = await member();
	expectError(await respond(future.id, { answers: { mode: 'bus' } }, as(citizen)), 409, 'survey_not_open');
	const past = await openSurvey({ closes_at: '2001-01-01T00:00:00+01:00' });
	expectError(await respond(past.id, { answers: { mode: 'bus' } }, as(citizen)), 409, 'survey_not_open');
	const r = await json('POST', '/api/v1/surveys', { definition: DEF(), opens_at: 'tomorrow',
		closes_at: '2001-01-01T00:00:00Z', access: 'sometimes' }, as(planner));
	const e = expectError(r, 422);
	assert.deepEqual(Object.keys(e.fields).sort(), ['access', 'opens_at']);
	const w = await json('POST', '/api/v1/surveys', { definition: DEF(), opens_at: '2030-01-02T00:00:00Z',
		closes_at: '2030-01-01T00:00:00Z' }, as(planner));
	assert.ok(expectError(w, 422).fields.closes_at);
});

test('bad definitions: 422 listing each problem with its JSON Pointer', async () => {
	await roles();
	const def = {
		title: 'Kaputt',
		pages: [{ name: 'p1', elements: [
			{ type: 'slider', name: 'a' },
			{ type: 'radiogroup', name: 'b', choices: [] },
			{ type: 'radiogroup', name: 'b', choices: ['x'] },
			{ type: 'text', name: 'c', visibleIf: '{nope} = 1' },
			{ type: 'comment', name: 'd', colour: 'red' },
		] }],
	};
	const r = await json('POST', '/api/v1/surveys', { definition: def }, as(planner));
	const e = expectError(r, 422, 'validation_failed');
	assert.ok(Array.isArray(e.problems) && e.problems.length >= 4, r.text);
	for (const p of e.problems) {
		assert.match(p.path, /^\/definition(\/|$)/);
		assert.equal(typeof p.reason, 'string');
		assert.ok(p.path in e.fields);
	}
	const at = (prefix) => e.problems.some((p) => p.path.startsWith(prefix));
	for (const i of [0, 1, 2, 4])
		assert.ok(at(`/definition/pages/0/elements/${i}`), `a problem at element ${i}: ${r.text}`);
	// Conditions are checked once the questions themselves are sound.
	const unknown = { pages: [{ name: 'p', elements: [{ type: 'text', name: 'c', visibleIf: '{nope} = 1' }] }] };
	const u = expectError(await json('POST', '/api/v1/surveys', { definition: unknown, title: 'Unbekannt' }, as(planner)), 422);
	assert.ok(u.problems.some((p) => p.path === '/definition/pages/0/elements/0/visibleIf'), JSON.stringify(u));
	const cycle = { pages: [{ name: 'p', elements: [
		{ type: 'text', name: 'x', visibleIf: '{y} notempty' },
		{ type: 'text', name: 'y', visibleIf: '{x} notempty' }] }] };
	expectError(await json('POST', '/api/v1/surveys', { definition: cycle, title: 'Zyklus' }, as(planner)), 422);
	expectError(await json('POST', '/api/v1/surveys', { definition: 'nein' }, as(planner)), 422);
	expectError(await json('POST', '/api/v1/surveys', { title: 'ohne' }, as(planner)), 422);
	const x = await json('POST', '/api/v1/surveys', { definition: DEF(), crosstab: { a: 'mode', b: 'note' } }, as(planner));
	assert.ok(expectError(x, 422).fields.crosstab);
	const f = await json('POST', '/api/v1/surveys', { definition: DEF(), fields: ['no-such-field'] }, as(planner));
	assert.ok(expectError(f, 422).fields.fields);
});

test('after the first response names and choice values are frozen, wording is not', async () => {
	const s = await openSurvey();
	const put = (def, extra = {}) => json('PUT', `/api/v1/surveys/${s.id}`, { definition: def, ...extra }, as(planner));
	// Before any response, everything may change.
	const renamed = DEF();
	renamed.pages[0].elements[4].name = 'remark';
	let r = await put(renamed);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, s.version + 1);
	const citizen = await member();
	assert.equal((await respond(s.id, { answers: { mode: 'bus' } }, as(citizen))).status, 201);
	const again = structuredClone(renamed);
	again.pages[0].elements[2].name = 'zufriedenheit';
	r = await put(again);
	const e = expectError(r, 409, 'frozen');
	assert.ok(e.problems.length > 0 && e.problems.every((p) => p.path.startsWith('/definition')), r.text);
	const choice = structuredClone(renamed);
	choice.pages[0].elements[0].choices = ['bus', 'rad', 'pkw'];
	expectError(await put(choice), 409, 'frozen');
	const worded = structuredClone(renamed);
	worded.pages[0].elements[0].title = { default: 'Womit kommen Sie?', en: 'By what means?' };
	r = await put(worded, { version: s.version + 1 });
	assert.equal(r.status, 200, r.text);
	expectError(await put(worded, { version: s.version }), 409, 'version_conflict');
	const m = await req(`/api/v1/surveys/${s.id}`, { method: 'PUT', headers: { ...as(planner),
		'content-type': 'application/json', 'if-match': `"${s.version}"` }, body: JSON.stringify({ definition: worded }) });
	expectError(m, 409, 'version_conflict');
	// The cross-table was counted for no pair: another pair now would mix
	// tables; the same (none) is fine.
	const cur = (await json('GET', `/api/v1/surveys/${s.id}`, undefined, as(planner))).json;
	const x = expectError(await put(worded, { crosstab: { a: 'mode', b: 'sat' } }), 409, 'frozen');
	assert.ok(x.fields.crosstab, JSON.stringify(x));
	assert.equal((await put(worded, { version: cur.version })).status, 200);
});

test('access "account": signed-in citizens once each, anonymous 401', async () => {
	const s = await openSurvey({ access: 'account' });
	expectError(await respond(s.id, { answers: { mode: 'bus' } }, { 'x-forwarded-for': clientIp() }), 401);
	const citizen = await member();
	const r = await respond(s.id, { answers: { mode: 'auto', age: 'old', sat: 4 } }, as(citizen));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.survey_id, s.id);
	expectError(await respond(s.id, { answers: { mode: 'bus' } }, as(citizen)), 409, 'already_responded');
	const stored = psql(`SELECT answers::text FROM survey_responses WHERE id = ${r.json.id}`);
	assert.deepEqual(JSON.parse(stored), { mode: 'auto', age: 'old', sat: 4 });
});

test('answers of invisible questions are dropped, unknown names and bad values refused', async () => {
	const s = await openSurvey({ access: 'account' });
	const citizen = await member();
	let r = await respond(s.id, { answers: { nope: 1, sat: 9, wishes: ['parken', 'parken'] } }, as(citizen));
	const e = expectError(r, 422);
	assert.ok(e.problems.every((p) => p.path.startsWith('/answers')), r.text);
	assert.ok('/answers/mode' in e.fields, 'the required question is named');
	r = await respond(s.id, { answers: { mode: 'bus', age: 'old' } }, as(citizen));
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(JSON.parse(psql(`SELECT answers::text FROM survey_responses WHERE id = ${r.json.id}`)), { mode: 'bus' });
});

test('access "codes": single-use codes, JSON and CSV, shown once', async () => {
	const s = await openSurvey({ access: 'codes' });
	const c = await json('POST', `/api/v1/surveys/${s.id}/codes`, { count: 3 }, as(planner));
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.codes.length, 3);
	for (const code of c.json.codes) assert.match(code, /^[A-HJ-NP-Z2-9]{10}$/);
	const csv = await json('POST', `/api/v1/surveys/${s.id}/codes?format=csv`, { count: 2 }, as(planner));
	assert.equal(csv.status, 201);
	assert.match(csv.headers.get('content-type'), /^text\/csv/);
	assert.match(csv.text, /^code\r\n[A-Z2-9]{10}\r\n[A-Z2-9]{10}\r\n$/);
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${s.id}`), '5');
	for (const code of c.json.codes)
		assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE code_hash::text LIKE '%${code.toLowerCase()}%'`), '0');
	const anon = { 'x-forwarded-for': clientIp() };
	assert.ok(expectError(await respond(s.id, { answers: { mode: 'bus' } }, anon), 422).fields.access_code);
	assert.ok(expectError(await respond(s.id, { answers: { mode: 'bus' }, access_code: 'ABCDEFGHJK' }, anon), 422)
		.fields.access_code);
	const [code] = c.json.codes;
	assert.equal((await respond(s.id, { answers: { mode: 'bus' }, access_code: code.toLowerCase() }, anon)).status, 201);
	expectError(await respond(s.id, { answers: { mode: 'rad' }, access_code: code }, anon), 409, 'already_responded');
	const other = await openSurvey({ access: 'account' });
	expectError(await json('POST', `/api/v1/surveys/${other.id}/codes`, { count: 1 }, as(planner)), 409);
	expectError(await json('POST', `/api/v1/surveys/${s.id}/codes`, { count: 1001 }, as(planner)), 422);
	const citizen = await member();
	expectError(await json('POST', `/api/v1/surveys/${s.id}/codes`, { count: 1 }, as(citizen)), 403);
});

test('one access code used by 30 parallel requests stores exactly one response', async () => {
	const s = await openSurvey({ access: 'codes' });
	const [code] = (await json('POST', `/api/v1/surveys/${s.id}/codes`, { count: 1 }, as(planner))).json.codes;
	const rs = await Promise.all(Array.from({ length: 30 }, (_, i) =>
		respond(s.id, { answers: { mode: ['bus', 'rad', 'auto'][i % 3] }, access_code: code }, { 'x-forwarded-for': clientIp() })));
	const statuses = rs.map((r) => r.status).sort();
	assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(','));
	// Every other one is refused as what it is, never a 503 (db.c keeps a
	// refusal's result when Kore reads the connection again before the
	// handler runs).
	assert.ok(statuses.every((x) => x === 201 || x === 409), statuses.join(','));
	assert.equal(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${s.id}`), '1');
	assert.equal(psql(`SELECT n FROM survey_tallies WHERE survey_id = ${s.id} AND kind = 'n'`), '1');
});

test('50 parallel identical submissions of one citizen store exactly one response', async () => {
	const s = await openSurvey({ access: 'account' });
	const citizen = await member();
	const rs = await Promise.all(Array.from({ length: 50 }, () =>
		respond(s.id, { answers: { mode: 'rad', wishes: ['busse'] } }, as(citizen))));
	const statuses = rs.map((r) => r.status);
	assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(','));
	assert.ok(statuses.every((x) => x === 201 || x === 409), statuses.join(','));
	assert.equal(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${s.id}`), '1');
	assert.equal(psql(`SELECT n FROM survey_tallies WHERE survey_id = ${s.id} AND kind = 'v' AND question = 'wishes'`), '1');
});

test('access "open": one per browser by cookie, which is no guarantee', async () => {
	const s = await openSurvey({ access: 'open' });
	const ip = { 'x-forwarded-for': clientIp() };
	const r = await respond(s.id, { answers: { mode: 'bus' } }, ip);
	assert.equal(r.status, 201, r.text);
	const cookie = (r.headers.get('set-cookie') || '').match(/^(mw_survey=[^;]+)/)?.[1];
	assert.ok(cookie, 'a browser token cookie');
	expectError(await respond(s.id, { answers: { mode: 'rad' } }, { ...ip, cookie }), 409, 'already_responded');
	// Without the cookie the browser is a new respondent: stated in the docs.
	assert.equal((await respond(s.id, { answers: { mode: 'rad' } }, ip)).status, 201);
	const citizen = await member();
	assert.equal((await respond(s.id, { answers: { mode: 'auto' } }, as(citizen))).status, 201);
	expectError(await respond(s.id, { answers: { mode: 'auto' } }, as(citizen)), 409, 'already_responded');
});

test('access "open": new browsers from one address are limited per survey (429 with Retry-After)', async () => {
	const s = await openSurvey({ access: 'open' });
	const ip = { 'x-forwarded-for': clientIp() };
	// MITWIRKEN_SUBMIT_LIMIT_IP in tests/run.sh: 60 in the window.
	const limit = 60;
	for (let i = 0; i < limit; i += 10) {
		const rs = await Promise.all(Array.from({ length: 10 }, () =>
			respond(s.id, { answers: { mode: 'bus' } }, ip)));
		for (const r of rs) assert.equal(r.status, 201, r.text);
	}
	const over = await respond(s.id, { answers: { mode: 'rad' } }, ip);
	expectError(over, 429, 'too_many_requests');
	assert.match(over.headers.get('retry-after') || '', /^[1-9]\d*$/, 'Retry-After in seconds');
	assert.equal(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${s.id}`), String(limit));
	assert.equal(psql(`SELECT n FROM survey_tallies WHERE survey_id = ${s.id} AND kind = 'n'`), String(limit));
	// Another address, another survey, a signed-in citizen: not this limit.
	assert.equal((await respond(s.id, { answers: { mode: 'rad' } }, { 'x-forwarded-for': clientIp() })).status, 201);
	const other = await openSurvey({ access: 'open' });
	assert.equal((await respond(other.id, { answers: { mode: 'rad' } }, ip)).status, 201);
	const citizen = await member();
	assert.equal((await respond(s.id, { answers: { mode: 'auto' } }, { ...as(citizen), ...ip })).status, 201);
});

test('staff enter paper responses; with a consent code they count as the citizen\'s', async () => {
	const s = await openSurvey({ access: 'account' });
	await roles();
	const citizen = await member();
	expectError(await respond(s.id, { answers: { mode: 'bus' }, channel: 'paper' }, as(citizen)), 403);
	let r = await respond(s.id, { answers: { mode: 'bus' }, channel: 'paper', district: 'mitte' }, as(staff));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.channel, 'paper');
	r = await respond(s.id, { answers: { mode: 'bus' }, channel: 'phone' }, as(staff));
	assert.equal(r.status, 201, 'each paper form is a respondent of its own');
	const bad = await respond(s.id, { answers: { mode: 'bus' }, channel: 'paper', district: 'nowhere' }, as(staff));
	assert.ok(expectError(bad, 422).fields.district);
	const code = (await req('/api/v1/me/consent-code', { method: 'POST', headers: as(citizen) })).json.code;
	r = await respond(s.id, { answers: { mode: 'rad' }, channel: 'in_person', citizen_code: code }, as(staff));
	assert.equal(r.status, 201, r.text);
	expectError(await respond(s.id, { answers: { mode: 'rad' } }, as(citizen)), 409, 'already_responded');
	const used = await respond(s.id, { answers: { mode: 'rad' }, channel: 'paper', citizen_code: code }, as(staff));
	assert.ok(expectError(used, 422).fields.citizen_code);
});

test('drafts: save, resume, replaced by the response', async () => {
	const s = await openSurvey({ access: 'account' });
	const citizen = await member();
	const url = `/api/v1/surveys/${s.id}/draft`;
	expectError(await req(url, { headers: as(citizen) }), 404);
	let r = await json('PUT', url, { answers: { wishes: ['busse'] }, page: 1 }, as(citizen));
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.answers, { wishes: ['busse'] });
	assert.ok(expectError(await json('PUT', url, { answers: { sat: 'sehr' } }, as(citizen)), 422)
		.problems.some((p) => p.path === '/answers/sat'));
	r = await req(url, { headers: as(citizen) });
	assert.deepEqual(r.json, { ...r.json, answers: { wishes: ['busse'] }, page: 1 });
	const other = await member();
	expectError(await req(url, { headers: as(other) }), 404, undefined);
	expectError(await req(url), 401);
	assert.equal((await respond(s.id, { answers: { mode: 'bus', wishes: ['busse'] } }, as(citizen))).status, 201);
	expectError(await req(url, { headers: as(citizen) }), 404);
	expectError(await json('PUT', url, { answers: {} }, as(citizen)), 409, 'already_responded');
	assert.equal((await json('PUT', url, { answers: {} }, as(other))).status, 200);
	assert.equal((await req(url, { method: 'DELETE', headers: as(other) })).status, 204);
	expectError(await req(url, { method: 'DELETE', headers: as(other) }), 404);
});

test('413, 415 and 422 on the response endpoint', async () => {
	const s = await openSurvey({ access: 'open' });
	const ip = { 'x-forwarded-for': clientIp() };
	const big = JSON.stringify({ answers: { note: 'x'.repeat(100 * 1024) } });
	const r = await rawExchange(`/api/v1/surveys/${s.id}/responses`, { method: 'POST',
		headers: { 'content-type': 'application/json', 'content-length': String(big.length), ...ip }, body: big });
	assert.equal(r.status, 413);
	expectError(await req(`/api/v1/surveys/${s.id}/responses`, { method: 'POST',
		headers: { 'content-type': 'text/plain', ...ip }, body: '{}' }), 415);
	expectError(await respond(s.id, { answers: [1, 2] }, ip), 422);
	expectError(await respond(s.id, { answers: { mode: 'bus' }, extra: 1 }, ip), 422);
	expectError(await respond(s.id, {}, ip), 422);
	expectError(await respond(s.id, { answers: { note: 'x'.repeat(5001), mode: 'bus' } }, ip), 422);
	expectError(await respond(999999999, { answers: { mode: 'bus' } }, ip), 404);
	assert.equal(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${s.id}`), '0');
});

// ---- results -------------------------------------------------------------

// A deterministic random source, so a failure can be replayed.
function rng(seed) {
	let x = seed >>> 0;
	return () => { x = (x * 1664525 + 1013904223) >>> 0; return x / 2 ** 32; };
}

function randomAnswers(rand) {
	const pick = (a) => a[Math.floor(rand() * a.length)];
	const a = { mode: pick(['bus', 'rad', 'auto']) };
	const wishes = ['radwege', 'busse', 'parken'].filter(() => rand() < 0.5);
	if (wishes.length) a.wishes = wishes;
	if (rand() < 0.8) a.sat = 1 + Math.floor(rand() * 5);
	if (rand() < 0.7) a.km = Math.round(rand() * 400) / 4;
	if (rand() < 0.5) a.prio = ['a', 'b', 'c'].sort(() => rand() - 0.5);
	if (rand() < 0.6) a.grid = { r1: pick(['gut', 'schlecht']), ...(rand() < 0.5 ? { r2: pick(['gut', 'schlecht']) } : {}) };
	if (a.mode === 'auto' && rand() < 0.9) a.age = pick(['u30', 'mid', 'old']);
	return a;
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function sd(xs) {
	const m = mean(xs);
	return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}
const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

// The expected results of the responses rs, computed here independently.
function expected(rs) {
	const q = (name) => rs.filter((r) => name in r.answers).map((r) => r.answers[name]);
	const seenAge = rs.filter((r) => r.answers.mode === 'auto').length;
	return { n: rs.length, q, seenAge };
}

function checkResults(doc, rs, what) {
	const { n, q, seenAge } = expected(rs);
	assert.equal(doc.respondents, n, `${what}: respondents`);
	const byName = Object.fromEntries(doc.questions.map((x) => [x.name, x]));
	// Choice counts and shares (denominator: respondents who saw it).
	for (const [name, values, seen] of [['mode', ['bus', 'rad', 'auto'], n], ['age', ['u30', 'mid', 'old'], seenAge]]) {
		const got = byName[name];
		assert.equal(got.seen, seen, `${what}: ${name} seen`);
		for (const v of values) {
			const c = q(name).filter((x) => x === v).length;
			const o = got.options.find((x) => x.value === v);
			assert.equal(o.count, c, `${what}: ${name}=${v}`);
			if (seen > 0) close(o.share, c / seen, `${what}: ${name}=${v} share`);
		}
	}
	// Checkbox: per option, not per combination.
	for (const v of ['radwege', 'busse', 'parken'])
		assert.equal(byName.wishes.options.find((x) => x.value === v).count,
			q('wishes').filter((x) => x.includes(v)).length, `${what}: wishes ${v}`);
	assert.equal(byName.wishes.answered, q('wishes').length);
	// Rating and number: mean, median, sample sd.
	for (const name of ['sat', 'km']) {
		const xs = q(name);
		assert.equal(byName[name].n, xs.length, `${what}: ${name} n`);
		if (xs.length > 0) {
			close(byName[name].mean, mean(xs), `${what}: ${name} mean`);
			close(byName[name].median, median(xs), `${what}: ${name} median`);
		}
		if (xs.length > 1) close(byName[name].sd, sd(xs), `${what}: ${name} sd`);
	}
	// Ranking: first places and mean rank.
	const ranks = q('prio');
	for (const c of ['a', 'b', 'c']) {
		const got = byName.prio.choices.find((x) => x.value === c);
		assert.equal(got.first, ranks.filter((r) => r[0] === c).length, `${what}: prio first ${c}`);
		if (ranks.length) close(got.mean_rank, mean(ranks.map((r) => r.indexOf(c) + 1)), `${what}: prio mean rank ${c}`);
	}
	// Matrix per row.
	for (const row of ['r1', 'r2']) {
		const got = byName.grid.rows.find((x) => x.value === row);
		for (const col of ['gut', 'schlecht'])
			assert.equal(got.columns.find((x) => x.value === col).count,
				q('grid').filter((g) => g[row] === col).length, `${what}: grid ${row} ${col}`);
	}
	// Cross-tabulation mode × wishes (a checkbox counts each option).
	const modes = ['bus', 'rad', 'auto'];
	for (const [i, m] of modes.entries()) {
		for (const [j, w] of ['radwege', 'busse', 'parken'].entries())
			assert.equal(doc.crosstab.rows[i].counts[j],
				rs.filter((r) => r.answers.mode === m && (r.answers.wishes || []).includes(w)).length,
				`${what}: crosstab ${m} × ${w}`);
	}
	// Per day: all of them today.
	assert.equal(doc.days.reduce((s, d) => s + d.count, 0), n, `${what}: days`);
}

test('results: arithmetic against an independent computation, filters by channel and district', async () => {
	const s = await openSurvey({ access: 'open', crosstab: { a: 'mode', b: 'wishes' } });
	const rand = rng(20261203);
	const rs = [];
	const channels = ['online', 'paper', 'phone', 'in_person'];
	const districts = [undefined, 'mitte', 'oestliches-ringgebiet'];
	for (let i = 0; i < 60; i++) {
		const channel = channels[Math.floor(rand() * channels.length)];
		const district = districts[Math.floor(rand() * districts.length)];
		const answers = randomAnswers(rand);
		const body = { answers, ...(district ? { district } : {}), ...(channel !== 'online' ? { channel } : {}) };
		const r = await respond(s.id, body, channel === 'online' ? { 'x-forwarded-for': clientIp() } : as(staff));
		assert.equal(r.status, 201, r.text);
		rs.push({ answers, channel, district });
	}
	const get = async (query = '') => {
		const r = await req(`/api/v1/surveys/${s.id}/results${query}`, { headers: as(planner) });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.k, 0, 'planners see every count');
		return r.json;
	};
	checkResults(await get(), rs, 'all');
	checkResults(await get('?channel=paper'), rs.filter((r) => r.channel === 'paper'), 'paper');
	checkResults(await get('?district=oestliches-ringgebiet'), rs.filter((r) => r.district === 'oestliches-ringgebiet'), 'oestliches-ringgebiet');
	checkResults(await get('?channel=online&district=mitte'),
		rs.filter((r) => r.channel === 'online' && r.district === 'mitte'), 'online in mitte');
	// Not published: only planners.
	expectError(await req(`/api/v1/surveys/${s.id}/results`), 403, 'results_not_public');
	expectError(await req(`/api/v1/surveys/${s.id}/results?channel=fax`), 422);
});

test('published results: no count below k, and secondary suppression', async () => {
	const s = await openSurvey({ access: 'open', results_public: true });
	// mode: bus 7, rad 6, auto 2: auto is hidden, and so must be one more
	// option, or the total would give it away.
	const plan = [...Array(7).fill('bus'), ...Array(6).fill('rad'), 'auto', 'auto'];
	for (const [i, mode] of plan.entries())
		assert.equal((await respond(s.id, { answers: { mode }, ...(i < 2 ? { district: 'mitte' } : {}) },
			{ 'x-forwarded-for': clientIp() })).status, 201);
	const pub = await req(`/api/v1/surveys/${s.id}/results`);
	assert.equal(pub.status, 200, pub.text);
	assert.equal(pub.json.k, 5);
	assert.equal(pub.json.suppressed, true);
	const mode = pub.json.questions.find((q) => q.name === 'mode');
	const counts = Object.fromEntries(mode.options.map((o) => [o.value, o.count]));
	assert.equal(counts.auto, null, 'a count of 2 is hidden');
	const hidden = mode.options.filter((o) => o.count === null).length;
	const totalShown = mode.answered !== null;
	assert.ok(hidden >= 2 || !totalShown, `one hidden cell next to a published total: ${JSON.stringify(mode)}`);
	for (const o of mode.options) assert.ok(o.count === null || o.count >= 5);
	for (const q of pub.json.questions)
		for (const o of q.options || []) assert.ok(o.count === null || o.count === 0 || o.count >= 5, JSON.stringify(q));
	const full = await req(`/api/v1/surveys/${s.id}/results`, { headers: as(planner) });
	assert.equal(full.json.questions.find((q) => q.name === 'mode').options.find((o) => o.value === 'auto').count, 2);
	// Too few respondents in a filter: nothing at all.
	const few = await req(`/api/v1/surveys/${s.id}/results?district=mitte`);
	assert.equal(few.status, 200);
	assert.equal(few.json.respondents, null);
	assert.equal(few.json.too_few_respondents, true);
	assert.equal(few.json.questions, undefined);
});

test('personal export holds the person\'s responses; erasure unlinks them', async () => {
	const s = await openSurvey({ access: 'account' });
	const drafted = await openSurvey({ access: 'account' });
	const citizen = await member();
	const r = await respond(s.id, { answers: { mode: 'rad', note: 'Mehr Radwege bitte' } }, as(citizen));
	assert.equal(r.status, 201);
	assert.equal((await json('PUT', `/api/v1/surveys/${drafted.id}/draft`, { answers: { mode: 'bus' } }, as(citizen))).status, 200);
	const ex = await req('/api/v1/me/export', { headers: as(citizen) });
	assert.equal(ex.status, 200);
	const mine = ex.json.survey_responses.filter((x) => x.survey_id === s.id);
	assert.equal(mine.length, 1, ex.text);
	assert.deepEqual(mine[0].answers, { mode: 'rad', note: 'Mehr Radwege bitte' });
	assert.ok(ex.json.survey_drafts.some((d) => d.survey_id === drafted.id));
	const other = await member();
	const theirs = await req('/api/v1/me/export', { headers: as(other) });
	assert.equal(theirs.json.survey_responses.length, 0, 'nobody else\'s');
	const before = psql(`SELECT encode(respondent, 'hex') FROM survey_responses WHERE id = ${r.json.id}`);
	assert.equal((await req('/api/v1/me', { method: 'DELETE', headers: as(citizen) })).status, 204);
	const after = psql(`SELECT encode(respondent, 'hex') FROM survey_responses WHERE id = ${r.json.id}`);
	assert.equal(after.length, 64, 'the response stays in the results');
	assert.notEqual(after, before, 'but no longer under the person\'s pseudonym');
	assert.equal(psql(`SELECT count(*) FROM survey_drafts WHERE survey_id = ${drafted.id}`), '0', 'drafts go');
});
