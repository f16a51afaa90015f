// The planners' survey pages as plain HTML forms: the list with the form
// for a new survey, a definition's problems listed with their JSON
// Pointers (the text kept), a survey's page (settings, version conflict,
// frozen names), open, close, copy, access codes as a printable page and
// as CSV, the preview; and nobody else gets in.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, login, as, clientIp } from './lib.mjs';

let planner, citizen;

async function browser(roles = []) {
	const m = await member(roles);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}

const get = (who, path) => req(path, { headers: who ? { cookie: who.cookie, 'x-forwarded-for': who.ip } : {} });
const post = (who, path, fields = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie, 'x-forwarded-for': who.ip },
	body: new URLSearchParams({ csrf_token: who.csrf, ...fields }).toString() });
const esc = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
	.replaceAll('"', '&quot;').replaceAll("'", '&#39;');
const idOf = (r) => Number(r.headers.get('location').match(/^\/planung\/umfragen\/(\d+)\?lang=(de|en)$/)[1]);

const DEF = {
	title: { default: 'Planungsumfrage', en: 'Planning survey' },
	pages: [{
		name: 'p1', elements: [
			{ type: 'radiogroup', name: 'mode', title: { default: 'Wie kommen Sie?', en: 'How do you come?' },
				isRequired: true, choices: ['bus', 'rad', 'auto'] },
			{ type: 'checkbox', name: 'wishes', choices: ['radwege', 'busse'] },
		],
	}, {
		name: 'p2', elements: [
			{ type: 'rating', name: 'sat', title: { default: 'Wie zufrieden sind Sie?', en: 'How satisfied?' } },
		],
	}],
};

test.before(async () => {
	planner = await browser(['planner']);
	citizen = await browser();
});

test('the list: every survey, the new-survey form with a starter definition, German and English', async () => {
	const draft = (await json('POST', '/api/v1/surveys', { definition: DEF }, as(planner))).json;
	let r = await get(planner, '/planung/umfragen');
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /<h1>Umfragen planen<\/h1>/);
	assert.match(r.text, /<a href="\/planung\/umfragen\?lang=de">Planung<\/a>/, 'the header links planning');
	assert.ok(r.text.includes(`<a href="/planung/umfragen/${draft.id}?lang=de">Planungsumfrage</a>`), 'drafts are listed');
	assert.match(r.text, new RegExp(`id="umfrage-${draft.id}">[^]*?<td>Entwurf</td>`));
	assert.ok(r.text.includes(`/planung/umfragen/${draft.id}/vorschau?lang=de`));
	assert.match(r.text, /<textarea id="definition" name="definition"[^>]*>\{\n {2}&quot;title&quot;/, 'a starter definition');
	assert.match(r.text, /<label for="definition">Definition \(SurveyJS-JSON\)<\/label>/);
	assert.match(r.text, /<input type="radio" id="access-account" name="access" value="account" checked/);
	assert.match(r.text, /<input id="opens_at" name="opens_at" type="datetime-local"/);
	assert.match(r.text, /<input type="checkbox" id="goal-[a-z-]+" name="goal-[a-z-]+" value="on">/);
	assert.match(r.text, /<input type="checkbox" id="district-[a-z0-9-]+"/);
	assert.ok(!/\{\{/.test(r.text), 'no unrendered template tags');
	r = await get(planner, '/planung/umfragen?lang=en');
	assert.match(r.text, /<html lang="en">/);
	assert.match(r.text, /<h1>[^<]+<\/h1>/);
	assert.match(r.text, /Create survey/);
	assert.ok(r.text.includes('>Planning survey</a>'), 'the English title');
});

test('create: a bad definition lists each problem with its path, the text kept; then it is created', async () => {
	const bad = JSON.stringify({ title: 'Kaputt <b>', pages: [{ name: 'p', elements: [
		{ type: 'slider', name: 'a' }, { type: 'radiogroup', name: 'b', choices: [] }] }] }, null, 2);
	const before = Number(psql('SELECT count(*) FROM surveys'));
	let r = await post(planner, '/planung/umfragen', { definition: bad, access: 'codes', opens_at: '2030-03-01T08:00',
		'goal-staedtische-ziele-umsetzen': 'on' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /<div class="problems" id="definition-problems">/);
	assert.match(r.text, /<li><code>\/pages\/0\/elements\/0\/type<\/code>: /);
	assert.match(r.text, /<li><code>\/pages\/0\/elements\/1\/choices<\/code>: /);
	assert.ok(r.text.includes(`>${esc(bad)}</textarea>`), 'the text is kept');
	assert.match(r.text, /aria-invalid="true"/);
	assert.match(r.text, /aria-describedby="definition-hint definition-problems definition-error"/);
	assert.match(r.text, /<input type="radio" id="access-codes" name="access" value="codes" checked/, 'access kept');
	assert.match(r.text, /name="opens_at" type="datetime-local" value="2030-03-01T08:00"/, 'the typed time kept');
	assert.match(r.text, /id="goal-staedtische-ziele-umsetzen" name="goal-staedtische-ziele-umsetzen" value="on" checked/);
	assert.match(r.text, /<a href="#definition">/, 'the summary links the field');

	r = await post(planner, '/planung/umfragen', { definition: '{"title": "x", "pages": [' });
	assert.equal(r.status, 422);
	assert.match(r.text, /Die Definition ist kein gültiges JSON:/);
	assert.match(r.text, /<li><code>\/<\/code>: malformed JSON at byte \d+<\/li>/);
	assert.ok(r.text.includes('>{&quot;title&quot;: &quot;x&quot;, &quot;pages&quot;: [</textarea>'));

	r = await post(planner, '/planung/umfragen', { definition: JSON.stringify({ pages: DEF.pages }) });
	assert.equal(r.status, 422, 'no title');
	assert.match(r.text, /<p class="error" id="definition-error">[^<]+<\/p>/);
	assert.match(r.text, /<a href="#definition">/);

	r = await post(planner, '/planung/umfragen', { definition: JSON.stringify(DEF), closes_at: '2030-02-01T08:00',
		opens_at: '2030-03-01T08:00' });
	assert.equal(r.status, 422, 'closes before it opens');
	assert.match(r.text, /<p class="error" id="closes_at-error">Das Ende muss nach dem Beginn liegen\.<\/p>/);
	assert.equal(Number(psql('SELECT count(*) FROM surveys')), before, 'nothing stored');

	r = await post(planner, '/planung/umfragen', { definition: JSON.stringify(DEF), access: 'codes',
		opens_at: '2030-03-01T08:00', closes_at: '2030-07-01T18:00', results_public: 'on',
		'field-mobilitaet': 'on', 'goal-staedtische-ziele-umsetzen': 'on', 'crosstab-a': 'mode', 'crosstab-b': 'wishes' });
	assert.equal(r.status, 303, r.text);
	const id = idOf(r);
	// Berlin: CET (UTC+1) in March, CEST (UTC+2) in July.
	assert.equal(psql(`SELECT to_char(opens_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' ||
		to_char(closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || access || ' ' || results_public ||
		' ' || status || ' ' || crosstab_a || ' ' || crosstab_b FROM surveys WHERE id = ${id}`),
	'2030-03-01 07:00 2030-07-01 16:00 codes true draft mode wishes');
	assert.equal(psql(`SELECT count(*) FROM survey_fields WHERE survey_id = ${id}`), '1');
	assert.equal(psql(`SELECT count(*) FROM survey_goals WHERE survey_id = ${id}`), '1');

	r = await get(planner, `/planung/umfragen/${id}`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /<h1>Planungsumfrage<\/h1>/);
	assert.match(r.text, /name="opens_at" type="datetime-local" value="2030-03-01T08:00"/);
	assert.match(r.text, /name="closes_at" type="datetime-local" value="2030-07-01T18:00"/);
	assert.match(r.text, /id="results_public" name="results_public" value="on" checked/);
	assert.match(r.text, /id="field-mobilitaet" name="field-mobilitaet" value="on" checked/);
	assert.match(r.text, /<option value="mode" selected>Wie kommen Sie\? \(mode\)<\/option>/);
	assert.match(r.text, /<option value="wishes" selected>/);
	assert.match(r.text, /<input type="hidden" name="version" value="1">/);
	assert.ok(r.text.includes(`href="/api/v1/surveys/${id}/export?format=csv&amp;dialect=excel-de"`) ||
		!/has_results/.test(r.text));
	assert.ok(!/\{\{/.test(r.text));
});

test('create: a long definition (over 30,000 characters) fits the form', async () => {
	const elements = Array.from({ length: 60 }, (_, i) => ({ type: 'radiogroup', name: `frage_${i}`,
		title: { default: `Frage ${i}: ${'Wie beurteilen Sie die Lage am Stadtrand? '.repeat(10)}`, en: `Question ${i}` },
		choices: ['sehr gut', 'gut', 'mittel', 'schlecht', 'sehr schlecht'] }));
	const def = JSON.stringify({ title: 'Lange Umfrage', pages: [{ name: 'p', elements }] });
	assert.ok(def.length > 30000, `${def.length} characters`);
	const r = await post(planner, '/planung/umfragen', { definition: def });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	const id = idOf(r);
	assert.equal(psql(`SELECT jsonb_array_length(definition->'pages'->0->'elements') FROM surveys WHERE id = ${id}`), '60');
});

async function created(extra = {}, def = DEF) {
	const r = await json('POST', '/api/v1/surveys', { definition: def, ...extra }, as(planner));
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

test('edit: saved with the version; a stale version says so and keeps the text', async () => {
	const id = await created({ access: 'account' });
	const changed = { ...DEF, title: { default: 'Geänderter Titel', en: 'Changed title' } };
	let r = await post(planner, `/planung/umfragen/${id}`, { definition: JSON.stringify(changed), version: '1',
		access: 'open', opens_at: '2030-10-01T09:15:30', 'crosstab-a': 'mode', 'crosstab-b': 'sat',
		'district-mitte': 'on' });
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), `/planung/umfragen/${id}?lang=de`);
	assert.equal(psql(`SELECT title || ' ' || version || ' ' || access || ' ' || crosstab_b FROM surveys WHERE id = ${id}`),
		'Geänderter Titel 2 open sat');
	// With seconds, as a browser may send them: CEST in October.
	assert.equal(psql(`SELECT to_char(opens_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM surveys
		WHERE id = ${id}`), '2030-10-01 07:15:30');

	const stale = { ...DEF, title: 'Veraltet' };
	r = await post(planner, `/planung/umfragen/${id}`, { definition: JSON.stringify(stale), version: '1' });
	assert.equal(r.status, 409, r.text);
	assert.match(r.text, /Jemand hat die Umfrage geändert/);
	assert.ok(r.text.includes(esc(JSON.stringify(stale))), 'the text is kept');
	assert.match(r.text, /<input type="hidden" name="version" value="2">/, 'saving again replaces it');
	assert.equal(psql(`SELECT title FROM surveys WHERE id = ${id}`), 'Geänderter Titel');

	r = await post(planner, `/planung/umfragen/${id}`, { definition: JSON.stringify(DEF), version: '2',
		'crosstab-a': 'mode' });
	assert.equal(r.status, 422);
	assert.match(r.text, /<p class="error" id="crosstab-error">/);
});

test('lifecycle buttons: open, close, copy; frozen names explained', async () => {
	const id = await created({ access: 'open' });
	let r = await post(planner, `/planung/umfragen/${id}/oeffnen`);
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), `/planung/umfragen/${id}?lang=de`);
	assert.equal(psql(`SELECT status FROM surveys WHERE id = ${id}`), 'open');
	r = await post(planner, `/planung/umfragen/${id}/oeffnen`);
	assert.equal(r.status, 409, 'open twice');
	assert.match(r.headers.get('content-type'), /^text\/html/);

	const resp = await json('POST', `/api/v1/surveys/${id}/responses`, { answers: { mode: 'bus', sat: 4 } },
		{ 'x-forwarded-for': clientIp() });
	assert.equal(resp.status, 201, resp.text);
	r = await get(planner, `/planung/umfragen/${id}`);
	assert.match(r.text, /Es gibt schon Antworten/);
	const renamed = JSON.parse(JSON.stringify(DEF));
	renamed.pages[0].elements[0].name = 'verkehrsmittel';
	r = await post(planner, `/planung/umfragen/${id}`, { definition: JSON.stringify(renamed), version: '2',
		access: 'open' });
	assert.equal(r.status, 409, r.text);
	assert.match(r.text, /Namen von Fragen und Werte von Antwortoptionen sind deshalb fest/);
	assert.match(r.text, /<li><code>\/[^<]+<\/code>: /);
	assert.ok(r.text.includes('&quot;verkehrsmittel&quot;'), 'the text is kept');

	const draft = await created();
	r = await post(planner, `/planung/umfragen/${draft}/schliessen`);
	assert.equal(r.status, 409, 'a draft cannot be closed');
	assert.match(r.text, /Diese Änderung ist im aktuellen Zustand nicht möglich/);
	assert.ok(r.text.includes(`href="/planung/umfragen/${draft}?lang=de"`), 'the way back');
	assert.equal(psql(`SELECT status FROM surveys WHERE id = ${draft}`), 'draft');

	r = await post(planner, `/planung/umfragen/${id}/kopieren`);
	assert.equal(r.status, 303, r.text);
	const copy = idOf(r);
	assert.notEqual(copy, id);
	assert.equal(psql(`SELECT status FROM surveys WHERE id = ${copy}`), 'draft');

	r = await post(planner, `/planung/umfragen/${id}/schliessen`);
	assert.equal(r.status, 303);
	assert.equal(psql(`SELECT status FROM surveys WHERE id = ${id}`), 'closed');
	r = await get(planner, '/planung/umfragen');
	assert.match(r.text, new RegExp(`id="umfrage-${id}">[^]*?<td>Geschlossen</td>[^]*?<td class="num">1</td>`));
	assert.ok(r.text.includes(`/umfragen/${id}/ergebnisse?lang=de`), 'results linked');
	assert.ok(r.text.includes(`/api/v1/surveys/${id}/export?format=spss`), 'exports linked');
});

test('access codes: a printable page once, a CSV download, the count checked', async () => {
	const id = await created({ access: 'codes' });
	let r = await get(planner, `/planung/umfragen/${id}`);
	assert.match(r.text, new RegExp(`action="/planung/umfragen/${id}/codes\\?lang=de"`));
	assert.match(r.text, /formaction="[^"]*format=csv"/);
	r = await post(planner, `/planung/umfragen/${id}/codes`, { count: '3' });
	assert.equal(r.status, 201, r.text);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.equal(r.headers.get('cache-control'), 'no-store');
	const codes = [...r.text.matchAll(/<p class="code">([A-Z2-9]{10})<\/p>/g)].map((m) => m[1]);
	assert.equal(codes.length, 3);
	assert.equal(new Set(codes).size, 3);
	assert.match(r.text, /nur jetzt angezeigt/);
	assert.match(r.text, new RegExp(`<p class="code-url">[^<]*/umfragen/${id}</p>`));
	assert.match(r.text, /<p class="code-survey">Planungsumfrage<\/p>/);
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${id}`), '3');
	r = await post(planner, `/planung/umfragen/${id}/codes?lang=en`, { count: '1' });
	assert.equal(r.status, 201);
	assert.match(r.text, /<p class="code-survey">Planning survey<\/p>/);
	assert.match(r.text, /shown only now/);
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${id}`), '4');

	r = await post(planner, `/planung/umfragen/${id}/codes?format=csv`, { count: '2' });
	assert.equal(r.status, 201);
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition'), /attachment/);
	assert.match(r.text, /^code\r\n[A-Z2-9]{10}\r\n[A-Z2-9]{10}\r\n$/);
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${id}`), '6');

	r = await post(planner, `/planung/umfragen/${id}/codes`, { count: '0' });
	assert.equal(r.status, 422);
	assert.match(r.text, /<input id="count" name="count" type="number"[^>]*value="0"[^>]*aria-invalid="true"/);
	assert.match(r.text, /<p class="error" id="count-error">/);
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${id}`), '6');
});

test('preview: any page of a draft as respondents see it, nothing to send', async () => {
	const id = await created();
	let r = await get(planner, `/planung/umfragen/${id}/vorschau?seite=2`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /Vorschau: So sehen Teilnehmende die Umfrage/);
	assert.match(r.text, /Wie zufrieden sind Sie\?/);
	assert.ok(!r.text.includes('Wie kommen Sie?'), 'only page 2');
	assert.ok(!/<form method="post" action="\/umfragen/.test(r.text), 'no form to send');
	assert.ok(!/value="submit"/.test(r.text), 'no submit button');
	assert.ok(r.text.includes(`<a href="/planung/umfragen/${id}/vorschau?seite=1&amp;lang=de" rel="prev">Zurück</a>`));
	assert.ok(!/rel="next"/.test(r.text), 'the last page');
	r = await get(planner, `/planung/umfragen/${id}/vorschau?lang=en`);
	assert.match(r.text, /How do you come\?/);
	assert.ok(r.text.includes(`<a href="/planung/umfragen/${id}/vorschau?seite=2&amp;lang=en" rel="next">`));
	assert.equal((await get(planner, `/planung/umfragen/${id}/vorschau?seite=0`)).status, 422);
	assert.equal((await get(planner, '/planung/umfragen/999999999/vorschau')).status, 404);
	assert.equal(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${id}`), '0');
});

test('only planners: a citizen gets 403 on every planning route, nothing changes', async () => {
	const id = await created({ access: 'codes' });
	for (const path of ['/planung/umfragen', `/planung/umfragen/${id}`, `/planung/umfragen/${id}/vorschau`]) {
		const r = await get(citizen, path);
		assert.equal(r.status, 403, path);
		assert.match(r.text, /Das dürfen Sie hier nicht/);
		assert.equal((await req(path)).status, 303, `${path}: anonymous to the sign-in page`);
	}
	for (const [path, fields] of [['/planung/umfragen', { definition: JSON.stringify(DEF) }],
		[`/planung/umfragen/${id}`, { definition: JSON.stringify(DEF), version: '1' }],
		[`/planung/umfragen/${id}/oeffnen`, {}], [`/planung/umfragen/${id}/schliessen`, {}],
		[`/planung/umfragen/${id}/kopieren`, {}], [`/planung/umfragen/${id}/codes`, { count: '2' }],
		[`/planung/umfragen/${id}/codes?format=csv`, { count: '2' }]]) {
		const r = await post(citizen, path, fields);
		assert.equal(r.status, 403, path);
		assert.match(r.headers.get('content-type'), /^text\/html/);
	}
	assert.equal(psql(`SELECT status || ' ' || version FROM surveys WHERE id = ${id}`), 'draft 1');
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${id}`), '0');
});

test('hostile form values: 4xx, nothing stored, no worker dies', async () => {
	const before = Number(psql('SELECT count(*) FROM surveys'));
	for (const fields of [
		{ definition: JSON.stringify(DEF), admin: '1' },
		{ definition: JSON.stringify(DEF), results_public: 'yes' },
		{ definition: JSON.stringify(DEF), access: "codes' OR 1=1 --" },
		{ definition: JSON.stringify(DEF), 'goal-x\'; DROP TABLE surveys; --': 'on' },
		{ definition: JSON.stringify(DEF), 'field-gibt-es-nicht': 'on' },
		{ definition: JSON.stringify(DEF), opens_at: '2030-02-30T08:00' },
		{ definition: JSON.stringify(DEF), 'crosstab-c': 'mode' },
		{ definition: '{"title": "a", "title": "b", "pages": []}' },
		{ definition: '[' .repeat(40) + ']'.repeat(40) },
		{ definition: '' },
	]) {
		const r = await post(planner, '/planung/umfragen', fields);
		assert.ok([400, 409, 422].includes(r.status), `${JSON.stringify(fields).slice(0, 80)} → ${r.status}`);
		assert.match(r.headers.get('content-type'), /^text\/html/);
	}
	const id = await created({ access: 'codes' });
	for (const count of ['1001', '-1', '2.5', 'x', "1' OR 1=1"]) {
		const r = await post(planner, `/planung/umfragen/${id}/codes`, { count });
		assert.equal(r.status, 422, count);
	}
	assert.equal(Number(psql('SELECT count(*) FROM surveys')), before + 1);
	assert.equal(psql(`SELECT count(*) FROM survey_codes WHERE survey_id = ${id}`), '0');
	assert.equal((await req('/healthz')).status, 200);
});
