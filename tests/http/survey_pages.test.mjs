// Surveys as respondents see them without JavaScript: the list, the plain
// form one page at a time (errors next to the questions, answers kept
// across pages, drafts for signed-in citizens), access codes, the thank-you
// page, results with charts and tables, and the progressive SurveyJS page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, login, as, clientIp } from './lib.mjs';

const DEF = () => ({
	title: { default: 'Mobilität im Quartier', en: 'Mobility in the quarter' },
	description: 'Sagen Sie uns, wie Sie unterwegs sind.',
	pages: [{
		name: 'p1', title: 'Alltag', elements: [
			{ type: 'radiogroup', name: 'mode', title: { default: 'Wie kommen Sie zur Arbeit?', en: 'How do you get to work?' },
				isRequired: true, choices: [{ value: 'bus', text: 'Bus' }, { value: 'rad', text: 'Fahrrad' }, { value: 'auto', text: 'Auto' }] },
			{ type: 'checkbox', name: 'wishes', title: 'Was wünschen Sie sich?', choices: ['radwege', 'busse', 'parken'] },
			{ type: 'text', inputType: 'number', name: 'km', title: 'Wie viele Kilometer?', min: 0, max: 500 },
		],
	}, {
		name: 'p2', elements: [
			{ type: 'rating', name: 'sat', title: 'Zufriedenheit', isRequired: true },
			{ type: 'ranking', name: 'prio', title: 'Was ist am wichtigsten?', choices: ['a', 'b', 'c'] },
			{ type: 'matrix', name: 'grid', title: 'Bewertung', rows: ['r1', 'r2'], columns: ['gut', 'schlecht'] },
			{ type: 'dropdown', name: 'park', title: 'Wo parken Sie?', choices: ['strasse', 'garage'], visibleIf: "{mode} = 'auto'" },
			{ type: 'comment', name: 'note', title: 'Anmerkungen' },
		],
	}],
});

let planner;

async function openSurvey(extra = {}) {
	planner ??= await member(['planner']);
	const c = await json('POST', '/api/v1/surveys', { definition: DEF(), ...extra }, as(planner));
	assert.equal(c.status, 201, c.text);
	const o = await req(`/api/v1/surveys/${c.json.id}/open`, { method: 'POST', headers: as(planner) });
	assert.equal(o.status, 200, o.text);
	return c.json;
}

// A browser: a cookie session (signed in) or the pre-session form cookie.
async function citizen() {
	const m = await member([]);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}

function anonymous() {
	return { cookie: '', csrf: '', ip: clientIp() };
}

const cookieOf = (r) => (r.headers.getSetCookie?.() || []).map((c) => c.split(';')[0]);

const headersOf = (who) => ({ ...(who.cookie ? { cookie: who.cookie } : {}), 'x-forwarded-for': who.ip });

async function get(who, path) {
	const r = await req(path, { headers: headersOf(who) });
	for (const c of cookieOf(r)) {
		const name = c.split('=')[0];
		who.cookie = [...who.cookie.split('; ').filter((x) => x && !x.startsWith(name + '=')), c].join('; ');
	}
	const t = r.text.match(/name="csrf_token" value="([^"]+)"/);
	if (t)
		who.csrf = t[1];
	return r;
}

const unescape = (s) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<')
	.replaceAll('&gt;', '>').replaceAll('&amp;', '&');

// What a browser sends of a form as shown: hidden fields, checked boxes
// and radios, text fields, selected options and text areas.
function shownFields(html) {
	const start = html.indexOf('<form method="post" action="/umfragen/');
	const form = html.slice(start, html.indexOf('</form>', start));
	const out = new Map();
	for (const m of form.matchAll(/<input ([^>]*)>/g)) {
		const a = m[1];
		const name = a.match(/name="([^"]+)"/)?.[1];
		const value = unescape(a.match(/value="([^"]*)"/)?.[1] ?? '');
		const type = a.match(/type="([^"]+)"/)?.[1];
		if (!name || name === 'csrf_token')
			continue;
		if ((type === 'radio' || type === 'checkbox') && !/ checked/.test(a))
			continue;
		out.set(name, value);
	}
	for (const m of form.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
		const sel = m[2].match(/<option value="([^"]*)" selected>/);
		out.set(m[1], sel ? unescape(sel[1]) : (m[2].match(/<option value="([^"]*)"/)?.[1] ?? ''));
	}
	for (const m of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
		out.set(m[1], unescape(m[2]));
	return out;
}

// Sends the form as a browser would, with the person's own changes
// (fields) and the button pressed (action).
async function send(who, path, html, fields, action) {
	const shown = shownFields(html);
	for (const [k, v] of Object.entries(fields))
		shown.set(k, v);
	const form = new URLSearchParams([...shown]);
	form.set('action', action);
	form.set('csrf_token', who.csrf);
	const r = await req(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded',
		...headersOf(who) }, body: form.toString() });
	const t = r.text.match(/name="csrf_token" value="([^"]+)"/);
	if (t)
		who.csrf = t[1];
	return r;
}

// The messages a page shows, for assertion messages.
const errs = (html) => [...html.matchAll(/<p class="(?:error|notice)"[^>]*>([^<]*)<\/p>|<div class="notice"[^>]*>([\s\S]*?)<\/div>/g)]
	.map((m) => m[1] ?? m[2]).join(' | ') + ' @ ' + (html.match(/Seite \d von \d/)?.[0] ?? '');

const responses = (id) => JSON.parse(psql(`SELECT coalesce(json_agg(answers ORDER BY id), '[]') FROM survey_responses WHERE survey_id = ${id}`));

test('list: open surveys, with German and English titles', async () => {
	const s = await openSurvey({ access: 'open' });
	let r = await req('/umfragen');
	assert.equal(r.status, 200, errs(r.text));
	assert.ok(r.text.includes(`<a href="/umfragen/${s.id}?lang=de">Mobilität im Quartier</a>`), r.text);
	r = await req('/umfragen?lang=en');
	assert.ok(r.text.includes('Mobility in the quarter'));
	assert.ok(!/\{\{/.test(r.text));
});

test('plain form: page by page, errors next to questions, answers kept, one response stored', async () => {
	const s = await openSurvey({ access: 'account' });
	const alice = await citizen();
	const path = `/umfragen/${s.id}`;
	let r = await get(alice, path);
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /<h1>Mobilität im Quartier<\/h1>/);
	assert.match(r.text, /Seite 1 von 2/);
	assert.match(r.text, /<legend>Wie kommen Sie zur Arbeit\? <span class="req">\(Pflichtfrage\)<\/span><\/legend>/);
	assert.match(r.text, /<input type="radio" id="q-mode-0" name="q_mode" value="bus">/);
	assert.match(r.text, /<input type="checkbox" id="q-wishes-1" name="q_wishes\.1" value="busse">/);
	assert.ok(!r.text.includes('name="q_sat"'), 'page 2 is not shown yet');
	assert.ok(!/\{\{/.test(r.text));

	// Nothing chosen for a required question: 422, the reason beside it.
	r = await send(alice, path, r.text, { 'q_km': '12,5', 'q_wishes.0': 'radwege' }, 'next');
	assert.equal(r.status, 422, errs(r.text));
	assert.match(r.text, /<p class="error" id="q-mode-error">Bitte beantworten Sie diese Frage\.<\/p>/);
	assert.match(r.text, /aria-describedby="q-mode-error"/);
	assert.match(r.text, /id="q-km-input" name="q_km" type="text" inputmode="decimal" value="12,5"/, 'typed number kept');
	assert.match(r.text, /name="q_wishes\.0" value="radwege" checked/);

	// A number out of range: refused as well.
	r = await send(alice, path, r.text, { q_mode: 'auto', q_km: '900' }, 'next');
	assert.equal(r.status, 422, errs(r.text));
	assert.match(r.text, /id="q-km-error">Bitte geben Sie eine Zahl von 0 bis 500 ein\.</);

	r = await send(alice, path, r.text, { q_mode: 'auto', q_km: '12,5', 'q_wishes.0': 'radwege', 'q_wishes.2': 'parken' }, 'next');
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Seite 2 von 2/);
	assert.match(r.text, /<input type="hidden" name="q_mode" value="auto">/);
	assert.match(r.text, /<input type="hidden" name="q_km" value="12.5">/);
	assert.match(r.text, /name="q_park"/, 'shown: its condition holds');
	assert.match(r.text, /value="submit">Antworten absenden</);

	// Back keeps page 2's answers as hidden fields, and page 1 shows them.
	const page2 = r.text;
	r = await send(alice, path, page2, { q_sat: '4', 'q_grid.0': 'gut' }, 'back');
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Seite 1 von 2/);
	assert.match(r.text, /name="q_mode" value="auto" checked/);
	assert.match(r.text, /<input type="hidden" name="q_sat" value="4">/);
	r = await send(alice, path, r.text, {}, 'next');
	assert.match(r.text, /name="q_sat" value="4" checked/);

	r = await send(alice, path, r.text, { 'q_prio.0': '2', 'q_prio.1': '1', 'q_prio.2': '3', 'q_grid.1': 'schlecht',
		q_park: 'garage', q_note: 'Mehr Bänke <bitte> & Licht', district: 'mitte' }, 'submit');
	assert.equal(r.status, 303, errs(r.text));
	assert.equal(r.headers.get('location'), `/umfragen/${s.id}/danke?lang=de`);
	const stored = responses(s.id);
	assert.equal(stored.length, 1);
	assert.deepEqual(stored[0], { mode: 'auto', wishes: ['radwege', 'parken'], km: 12.5, sat: 4,
		prio: ['b', 'a', 'c'], grid: { r1: 'gut', r2: 'schlecht' }, park: 'garage',
		note: 'Mehr Bänke <bitte> & Licht' });
	assert.equal(psql(`SELECT d.slug FROM survey_responses r JOIN districts d ON d.id = r.district_id WHERE r.survey_id = ${s.id}`), 'mitte');

	r = await get(alice, `/umfragen/${s.id}/danke`);
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Ihre Antworten sind angekommen/);

	// Once only: a second response is refused in plain words.
	r = await send(alice, path, page2, { q_sat: '2' }, 'submit');
	assert.equal(r.status, 409, errs(r.text));
	assert.match(r.text, /bereits teilgenommen/);
	assert.equal(responses(s.id).length, 1);
});

test('plain form: a hidden question loses its answer; signed-out people are asked to sign in', async () => {
	const s = await openSurvey({ access: 'account' });
	const bob = await citizen();
	const path = `/umfragen/${s.id}`;
	let r = await get(bob, path);
	r = await send(bob, path, r.text, { q_mode: 'bus' }, 'next');
	assert.equal(r.status, 200, errs(r.text));
	assert.ok(!r.text.includes('name="q_park"'), 'not shown: its condition fails');
	r = await send(bob, path, r.text, { q_sat: '5', q_park: 'garage' }, 'submit');
	assert.equal(r.status, 303, errs(r.text));
	assert.deepEqual(responses(s.id)[0], { mode: 'bus', sat: 5 });

	r = await req(path);
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Melden Sie sich an, um an dieser Umfrage teilzunehmen/);
	assert.ok(!r.text.includes('name="q_mode"'));
});

test('drafts: each step is saved, and the form resumes where it was left', async () => {
	const s = await openSurvey({ access: 'account' });
	const carol = await citizen();
	const path = `/umfragen/${s.id}`;
	let r = await get(carol, path);
	r = await send(carol, path, r.text, { q_mode: 'rad' }, 'next');
	assert.equal(r.status, 200, errs(r.text));
	r = await send(carol, path, r.text, { q_note: 'später mehr' }, 'save');
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Ihre Antworten sind gespeichert/);
	r = await get(carol, path);
	assert.match(r.text, /Sie machen dort weiter, wo Sie aufgehört haben/);
	assert.match(r.text, /Seite 2 von 2/);
	assert.match(r.text, />später mehr<\/textarea>/);
	assert.match(r.text, /<input type="hidden" name="q_mode" value="rad">/);
	assert.equal(responses(s.id).length, 0, 'a draft is no response');
});

test('access codes: asked on the first page, checked at once, used once', async () => {
	const s = await openSurvey({ access: 'codes' });
	const c = await json('POST', `/api/v1/surveys/${s.id}/codes`, { count: 2 }, as(planner));
	assert.equal(c.status, 201, c.text);
	const [code] = c.json.codes;
	const dora = anonymous();
	const path = `/umfragen/${s.id}`;
	let r = await get(dora, path);
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /<label for="access_code">Zugangscode<\/label>/);

	r = await send(dora, path, r.text, { access_code: 'AAAAAAAAAA', q_mode: 'bus' }, 'next');
	assert.equal(r.status, 422, errs(r.text));
	assert.match(r.text, /id="access_code-error">Dieser Zugangscode gilt nicht/);
	assert.match(r.text, /name="q_mode" value="bus" checked/, 'answers kept');

	r = await send(dora, path, r.text, { access_code: code.toLowerCase(), q_mode: 'bus' }, 'next');
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Seite 2 von 2/);
	r = await send(dora, path, r.text, { q_sat: '3' }, 'submit');
	assert.equal(r.status, 303, errs(r.text));
	assert.equal(responses(s.id).length, 1);

	// The same code again, by someone else: refused at the first step.
	const eve = anonymous();
	r = await get(eve, path);
	r = await send(eve, path, r.text, { access_code: code, q_mode: 'rad' }, 'next');
	assert.equal(r.status, 422, errs(r.text));
	assert.match(r.text, /schon benutzt/);
});

test('results page: planners see every count, the public only published and suppressed results', async () => {
	const s = await openSurvey({ access: 'open' });
	for (let i = 0; i < 7; i++) {
		const r = await json('POST', `/api/v1/surveys/${s.id}/responses`,
			{ answers: { mode: i < 6 ? 'bus' : 'auto', sat: (i % 5) + 1 } }, { 'x-forwarded-for': clientIp() });
		assert.equal(r.status, 201, r.text);
	}
	let r = await req(`/umfragen/${s.id}/ergebnisse`);
	assert.equal(r.status, 403, errs(r.text));
	assert.match(r.text, /noch nicht veröffentlicht/);

	const p = await login(planner.email, { kind: 'cookie' });
	r = await req(`/umfragen/${s.id}/ergebnisse`, { headers: { cookie: p.cookie } });
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /Planungsansicht/);
	assert.match(r.text, /<svg class="chart"/);
	assert.match(r.text, /<th scope="row">Bus<\/th><td class="num">6<\/td><td class="num">85,7 %<\/td>/);
	assert.match(r.text, /<th scope="row">Auto<\/th><td class="num">1<\/td>/);
	assert.match(r.text, /<dt>Mittelwert<\/dt><dd>2,57<\/dd>/);

	const got = await json('GET', `/api/v1/surveys/${s.id}`, undefined, as(planner));
	const put = await json('PUT', `/api/v1/surveys/${s.id}`, { definition: DEF(), access: 'open', results_public: true,
		version: got.json.version }, as(planner));
	assert.equal(put.status, 200, put.text);
	r = await req(`/umfragen/${s.id}/ergebnisse?lang=en`);
	assert.equal(r.status, 200, errs(r.text));
	assert.match(r.text, /<th scope="row">Bus<\/th><td class="num">&lt; 5<\/td>/, 'suppressed together with the single Auto');
	assert.match(r.text, /<th scope="row">Auto<\/th><td class="num">&lt; 5<\/td>/);
	assert.ok(!r.text.includes('Planner view'));
	assert.ok(!/\{\{/.test(r.text));
});

test('progressive page: SurveyJS from this server, scripts allowed on that page only', async () => {
	const s = await openSurvey({ access: 'open' });
	const r = await req(`/umfragen/${s.id}/interaktiv`);
	assert.equal(r.status, 200, errs(r.text));
	const csp = r.headers.get('content-security-policy');
	assert.match(csp, /script-src 'self'/);
	assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
	for (const name of ['survey.core.min.js', 'survey-js-ui.min.js', 'survey-page.js', 'survey-core.min.css']) {
		const m = r.text.match(new RegExp(`"(/assets/${name.replaceAll('.', '\\.')}\\?v=[^"]+)"`));
		assert.ok(m, `${name} is linked`);
		const a = await req(m[1].replaceAll('&amp;', '&'));
		assert.equal(a.status, 200, name);
	}
	assert.match(r.text, new RegExp(`<a href="/umfragen/${s.id}\\?lang=de">`), 'the plain form is one link away');
	const plain = await req(`/umfragen/${s.id}`);
	assert.ok(!plain.headers.get('content-security-policy').includes('script-src'));
	assert.ok(!/<script/.test(plain.text));
});
