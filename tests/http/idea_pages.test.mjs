// The idea pages as plain HTML forms, without JavaScript: list, detail,
// submission (honeypot, fill time, similar ideas), supports, comments,
// flags, status, the moderation queue and the board.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { req, psql, member, login, publishedIdea, postIdea, json, as, setting, sleep,
	clientIp } from './lib.mjs';

let admin, mod, alice, bob;

// A verified account with a cookie session, as a browser has it.
async function browser(roles = [], department) {
	const m = await member(roles, department);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}

const get = (who, path) => req(path, { headers: who ? { cookie: who.cookie,
	'x-forwarded-for': who.ip } : {} });
const post = (who, path, fields) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie,
		'x-forwarded-for': who.ip },
	body: new URLSearchParams({ csrf_token: who.csrf, ...fields }).toString() });
const stampOf = (html) => html.match(/name="form_stamp" value="([^"]+)"/)[1];
const count = (sql) => Number(psql(sql));
const unescape = (s) => s.replaceAll('&amp;', '&');

test.before(async () => {
	admin = await member(['admin']);
	mod = await browser(['moderator']);
	alice = await browser();
	bob = await browser();
	await setting(admin, { moderation_mode: 'pre', flag_threshold: 3 });
});

test('list and detail: German and English, user text escaped, line breaks kept', async () => {
	const idea = await publishedIdea(alice, mod, {
		title: 'Bänke <script>alert(1)</script> am Ring',
		description: 'Erste Zeile mit <b>Markup</b>\nZweite Zeile & mehr Text dazu',
		district: 'mitte', lat: 52.2689, lon: 10.5268,
		goals: ['staedtische-ziele-umsetzen'] });
	let r = await req('/ideen');
	assert.equal(r.status, 200);
	assert.match(r.text, /<html lang="de">/);
	assert.match(r.text, /<h1>Ideen<\/h1>/);
	assert.ok(r.text.includes(`<a href="/ideen/${idea.id}?lang=de">Bänke &lt;script&gt;alert(1)&lt;/script&gt; am Ring</a>`));
	assert.ok(!r.text.includes('<script>alert(1)'));
	assert.ok(!/\{\{/.test(r.text), 'no unrendered template tags');

	r = await req(`/ideen/${idea.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Bänke &lt;script&gt;/);
	assert.match(r.text, /<div class="text">Erste Zeile mit &lt;b&gt;Markup&lt;\/b&gt;\nZweite Zeile &amp; mehr/);
	assert.match(r.text, /<dd>Mobilität<\/dd>/);
	assert.match(r.text, /<dd>Städtische Ziele umsetzen<\/dd>/);
	assert.match(r.text, /<dd>Mitte<\/dd>/);
	assert.match(r.text, /52\.2689, 10\.5268 \(<a href="https:\/\/www\.openstreetmap\.org\/\?mlat=52\.2689&amp;mlon=10\.5268/);
	assert.match(r.text, /<span class="status">Eingereicht<\/span>/);
	assert.ok(r.text.includes(alice.account.pseudonym));
	assert.match(r.text, /Zum Unterstützen bitte anmelden/);
	assert.ok(!/\{\{/.test(r.text));

	r = await req(`/ideen/${idea.id}?lang=en`);
	assert.match(r.text, /<html lang="en">/);
	assert.match(r.text, /<dd>Mobility<\/dd>/);
	assert.match(r.text, /<span class="status">Submitted<\/span>/);
	assert.match(r.text, /Status history/);
	r = await req('/ideen?lang=en');
	assert.match(r.text, /<h1>Ideas<\/h1>/);
	assert.match(r.text, /All fields of action/);

	assert.equal((await req('/ideen/999999999')).status, 404);
	const pending = await postIdea(alice);
	r = await req(`/ideen/${pending.id}`);
	assert.equal(r.status, 404, 'a pending idea is not public');
	assert.match(r.text, /Diese Seite gibt es nicht/);
});

test('list: filters from a GET form (empty fields are no filter) and the "weiter" link', async () => {
	const word = `Zauberwort${Date.now() % 1000000}`;
	const ids = [];
	for (const field of ['mobilitaet', 'mobilitaet', 'bauen-und-wohnen'])
		ids.push((await publishedIdea(alice, mod, { title: `Idee ${word} ${ids.length}`, field })).id);
	let r = await req(`/ideen?field=&district=&status=&goal=&q=${word}&sort=newest&limit=2`);
	assert.equal(r.status, 200);
	const shown = (t) => [...t.matchAll(/<h3><a href="\/ideen\/(\d+)\?/g)].map((m) => Number(m[1]));
	assert.deepEqual(shown(r.text), [ids[2], ids[1]]);
	const next = r.text.match(/<a href="([^"]+)" rel="next">Weitere Ideen/);
	assert.ok(next, 'a link to the next page');
	assert.match(next[1], new RegExp(`q=${word}.*after=`));
	r = await req(unescape(next[1]));
	assert.equal(r.status, 200);
	assert.deepEqual(shown(r.text), [ids[0]]);
	assert.ok(!/rel="next"/.test(r.text), 'the last page has no next link');

	r = await req(`/ideen?q=${word}&field=bauen-und-wohnen`);
	assert.deepEqual(shown(r.text), [ids[2]]);
	assert.match(r.text, /<option value="bauen-und-wohnen" selected>/);
	assert.match(r.text, new RegExp(`id="filter-q" name="q" type="search" value="${word}"`));
	r = await req(`/ideen?q=${word}&status=accepted`);
	assert.deepEqual(shown(r.text), []);
	assert.match(r.text, /Keine Ideen gefunden/);
	assert.equal((await req('/ideen?after=kaputt')).status, 422);
});

test('detail: status history with justifications, comments with replies', async () => {
	const idea = await publishedIdea(alice, mod);
	let r = await json('POST', `/api/v1/ideas/${idea.id}/status`,
		{ status: 'under_review', justification: 'Das Tiefbauamt prüft die Machbarkeit.' }, as(mod));
	assert.equal(r.status, 200, r.text);
	const c = await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Gute Idee!\nUnbedingt.' }, as(bob));
	await json('POST', '/api/v1/moderation/decisions', { kind: 'comment', ids: [c.json.id], decision: 'publish' }, as(mod));
	const reply = await json('POST', `/api/v1/ideas/${idea.id}/comments`,
		{ body: 'Danke <3', parent_id: c.json.id }, as(alice));
	await json('POST', '/api/v1/moderation/decisions', { kind: 'comment', ids: [reply.json.id], decision: 'publish' }, as(mod));
	r = await req(`/ideen/${idea.id}`);
	assert.match(r.text, /<li><strong>Eingereicht<\/strong>/);
	assert.match(r.text, /<li><strong>In Prüfung<\/strong> <span class="date">\(\d{1,2}\. [A-Za-zä]+ \d{4}, \d\d:\d\d\)<\/span><div class="text">Das Tiefbauamt prüft die Machbarkeit\.<\/div>/);
	assert.match(r.text, new RegExp(`id="kommentar-${c.json.id}">[^]*${bob.account.pseudonym}[^]*Gute Idee!\nUnbedingt\.`));
	assert.match(r.text, new RegExp(`class="comment reply" id="kommentar-${reply.json.id}">[^]*Danke &lt;3`));
});

test('submit form end to end without JavaScript: stamp, wait, 303, the idea with its goals', async () => {
	let r = await get(alice, '/ideen/neu');
	assert.equal(r.status, 200);
	assert.match(r.text, /<select id="field" name="field" required>/);
	assert.match(r.text, /<fieldset class="field" id="goals">\n<legend>Strategische Ziele/);
	assert.match(r.text, /<label for="website">Bitte lassen Sie dieses Feld leer\.<\/label>\n<input id="website" name="website" type="text" value="" autocomplete="off" tabindex="-1">/);
	assert.ok(!r.text.includes('name="channel"'), 'only staff enter on a citizen\'s behalf');
	const stamp = stampOf(r.text);
	await sleep(1100);
	const title = `Mehr Fahrradbügel ${Date.now() % 100000}`;
	r = await post(alice, '/ideen/neu', { form_stamp: stamp, website: '', title,
		description: 'Vor dem Bahnhof fehlen sichere Abstellplätze für Räder.',
		field: 'mobilitaet', 'goal-staedtische-ziele-umsetzen': 'on',
		'goal-forschungsstandort-staerken': 'on', district: 'oestliches-ringgebiet', lat: '52,2530', lon: '10.5400' });
	assert.equal(r.status, 303, r.text);
	const m = r.headers.get('location').match(/^\/ideen\/(\d+)\?lang=de$/);
	assert.ok(m, r.headers.get('location'));
	const id = Number(m[1]);
	assert.equal(psql(`SELECT title || '|' || state || '|' || (SELECT slug FROM districts WHERE id = district_id)
		|| '|' || lat FROM ideas WHERE id = ${id}`), `${title}|pending|oestliches-ringgebiet|52.253`);
	assert.equal(psql(`SELECT string_agg(g.slug, ',' ORDER BY g.slug) FROM idea_goals ig
		JOIN goals g ON g.id = ig.goal_id WHERE ig.idea_id = ${id}`),
	'forschungsstandort-staerken,staedtische-ziele-umsetzen');
	r = await get(alice, `/ideen/${id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /<strong>Wartet auf Prüfung<\/strong>/);
	assert.doesNotMatch(r.text, /Prüfstand|<span class="status">Eingereicht/, 'one state, not two');
	assert.match(r.text, /Ihre Idee wartet auf die Prüfung durch die Moderation/);
	assert.equal((await get(bob, `/ideen/${id}`)).status, 404, 'others do not see it yet');
});

test('submit form: honeypot filled, too fast, forged or missing stamp: the form again, nothing stored', async () => {
	const title = `Roboter-Idee ${Date.now() % 100000}`;
	const fields = { title, description: 'Eine Beschreibung mit genug Zeichen darin.', field: 'mobilitaet' };
	const stored = () => count(`SELECT count(*) FROM ideas WHERE title = '${title}'`);
	let r = await get(alice, '/ideen/neu');
	const stamp = stampOf(r.text);
	r = await post(alice, '/ideen/neu', { ...fields, form_stamp: stamp });
	assert.equal(r.status, 422, 'too fast');
	assert.match(r.text, /role="alert"[^]*Das ging sehr schnell/);
	assert.match(r.text, new RegExp(`value="${title}"`), 'input kept');
	assert.match(r.text, /Eine Beschreibung mit genug Zeichen darin\.<\/textarea>/);
	const fresh = stampOf(r.text);
	await sleep(1100);
	r = await post(alice, '/ideen/neu', { ...fields, form_stamp: fresh, website: 'http://spam.example' });
	assert.equal(r.status, 422, 'honeypot');
	assert.match(r.text, /im Feld, das leer bleiben soll/);
	assert.match(r.text, /name="website" type="text" value=""/, 'the honeypot is not echoed');
	for (const forged of [`${Math.floor(Date.now() / 1000) - 60}.${'0'.repeat(32)}`, 'kaputt', undefined]) {
		const f = { ...fields };
		if (forged) f.form_stamp = forged;
		r = await post(alice, '/ideen/neu', f);
		assert.equal(r.status, 422, `stamp ${forged}`);
		assert.match(r.text, /Das Formular ist ungültig oder veraltet/);
	}
	r = await post(alice, '/ideen/neu?lang=en', { ...fields, form_stamp: 'x.y' });
	assert.match(r.text, /The form is invalid or out of date/);
	assert.equal(stored(), 0);
	r = await post(alice, '/ideen/neu', { ...fields, form_stamp: fresh });
	assert.equal(r.status, 303, 'the fresh stamp works once the time has passed');
	assert.equal(stored(), 1);
});

// A genuine stamp for a time long past, signed with the server's key.
const stampAt = (secs) => execFileSync(process.env.MKSTAMP_BIN, [String(secs)],
	{ encoding: 'utf8' }).trim();

test('submit form: an expired stamp shows the form again, input kept, nothing stored', async () => {
	const title = `Vergessene Idee ${Date.now() % 100000}`;
	const fields = { title, description: 'Eine Beschreibung mit genug Zeichen darin.', field: 'mobilitaet' };
	const now = Math.floor(Date.now() / 1000);
	let r = await post(alice, '/ideen/neu', { ...fields, form_stamp: stampAt(now - 86400 - 60) });
	assert.equal(r.status, 422, r.text.slice(0, 300));
	assert.match(r.text, /role="alert"[^]*Das Formular ist abgelaufen/);
	assert.match(r.text, new RegExp(`value="${title}"`), 'input kept');
	assert.notEqual(stampOf(r.text), stampAt(now - 86400 - 60), 'a new stamp');
	assert.equal(count(`SELECT count(*) FROM ideas WHERE title = '${title}'`), 0);
	r = await post(alice, '/ideen/neu?lang=en', { ...fields, form_stamp: stampAt(now - 90000) });
	assert.match(r.text, /The form has expired/);
	r = await post(alice, '/ideen/neu', { ...fields, form_stamp: stampAt(now - 3600) });
	assert.equal(r.status, 303, 'an hour-old form is still taken');
	assert.equal(count(`SELECT count(*) FROM ideas WHERE title = '${title}'`), 1);
});

test('submit form: errors next to their fields, input kept, summary links to the fields', async () => {
	const r0 = await get(alice, '/ideen/neu?lang=de');
	await sleep(1100);
	const before = count('SELECT count(*) FROM ideas');
	const r = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), title: 'Kurz',
		description: 'zu kurz', field: '', 'goal-forschungsstandort-staerken': 'on', lat: '52.26' });
	assert.equal(r.status, 422);
	assert.match(r.text, /Bitte prüfen Sie die markierten Angaben/);
	assert.match(r.text, /<a href="#title">Titel: Bitte 5 bis 120 Zeichen\.<\/a>/);
	assert.match(r.text, /value="Kurz" aria-describedby="title-hint title-error" aria-invalid="true">/);
	assert.match(r.text, /<p class="error" id="title-error">Bitte 5 bis 120 Zeichen\.<\/p>/);
	assert.match(r.text, /id="description-error">Bitte 20 bis 5000 Zeichen\./);
	assert.match(r.text, /aria-invalid="true" aria-describedby="field-error"><option value="">/);
	assert.match(r.text, /id="lon-error">Bitte Breiten- und Längengrad angeben/);
	assert.match(r.text, /name="goal-forschungsstandort-staerken" value="on" checked>/);
	assert.match(r.text, /id="lat" name="lat" type="text" inputmode="decimal" value="52.26"/);
	assert.equal(count('SELECT count(*) FROM ideas'), before);
	// A slug the database does not know is an error at its field too.
	const r2 = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), title: 'Eine gute Idee',
		description: 'Eine Beschreibung mit genug Zeichen darin.', field: 'raumfahrt' });
	assert.equal(r2.status, 422);
	assert.match(r2.text, /id="field-error">Bitte ein Handlungsfeld aus der Liste wählen/);
	assert.match(r2.text, /value="Eine gute Idee"/);
});

test('submit form: "check" lists similar published ideas and stores nothing', async () => {
	const word = `Trinkbrunnen${Date.now() % 100000}`;
	const idea = await publishedIdea(bob, mod, { title: `${word} in der Innenstadt` });
	const before = count('SELECT count(*) FROM ideas');
	const r0 = await get(alice, '/ideen/neu');
	const r = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), action: 'check',
		title: `${word} Innenstadt`, description: '', field: '' });
	assert.equal(r.status, 200);
	assert.match(r.text, /<h2 id="similar-heading">Ähnliche Ideen<\/h2>/);
	assert.ok(r.text.includes(`<a href="/ideen/${idea.id}?lang=de">${word} in der Innenstadt</a>`));
	assert.match(r.text, new RegExp(`value="${word} Innenstadt"`));
	assert.ok(!r.text.includes('class="error"'), 'no field errors for a check');
	assert.equal(count('SELECT count(*) FROM ideas'), before);
	const none = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), action: 'check',
		title: 'Xylophonwiesenquark' });
	assert.match(none.text, /keine ähnlichen veröffentlichten Ideen/);
});

// The goals ticked in the answer to "check" are exactly those sent: the
// page-level "checked" (similar ideas were looked up) once ticked all nine.
test('submit form: "check" keeps exactly the goals ticked, none when none', async () => {
	const r0 = await get(alice, '/ideen/neu');
	const ticked = (html) => [...html.matchAll(/name="goal-([a-z0-9-]+)" value="on" checked>/g)].map((m) => m[1]);
	const goals = [...r0.text.matchAll(/name="goal-([a-z0-9-]+)" value="on"/g)].map((m) => m[1]);
	assert.equal(goals.length, 9, 'nine strategic goals on the form');
	assert.deepEqual(ticked(r0.text), []);
	let r = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), action: 'check',
		title: 'Mehr Bänke am Wasser' });
	assert.equal(r.status, 200);
	assert.match(r.text, /id="similar-heading"/);
	assert.deepEqual(ticked(r.text), []);
	r = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), action: 'check',
		title: 'Mehr Bänke am Wasser', [`goal-${goals[1]}`]: 'on', [`goal-${goals[6]}`]: 'on' });
	assert.equal(r.status, 200);
	assert.deepEqual(ticked(r.text), [goals[1], goals[6]]);
	// The rest of the page still reaches the page's data from inside lists.
	assert.ok(!/\{\{/.test(r.text), 'no unrendered template tags');
});

// Enter in a text field submits with the form's first submit button (its
// default button): that must be "submit the idea", not "check".
test('submit form: the default button submits the idea', async () => {
	const r0 = await get(alice, '/ideen/neu');
	const form = r0.text.match(/<form method="post" action="\/ideen\/neu[^]*?<\/form>/)[0];
	const first = form.match(/<button[^>]*type="submit"[^>]*>[^<]*<\/button>/)[0];
	assert.doesNotMatch(first, /name="action"/, `default button: ${first}`);
	assert.match(first, /Idee einreichen|einreichen/i);
	// It stays out of the keyboard order and the accessibility tree: the
	// visible submit button at the end is the one people use.
	assert.match(first, /tabindex="-1"/);
	assert.match(first, /aria-hidden="true"/);
	// The visible buttons are still there.
	assert.match(form, /<button type="submit" name="action" value="check"/);
	const buttons = [...form.matchAll(/<button[^>]*type="submit"/g)];
	assert.equal(buttons.length, 3);
	await sleep(1100);
	const title = `Enter im Titel ${Date.now() % 100000}`;
	const r = await post(alice, '/ideen/neu', { form_stamp: stampOf(r0.text), title,
		description: 'Eine Beschreibung mit genug Zeichen darin.', field: 'mobilitaet' });
	assert.equal(r.status, 303, 'a form sent without "action" is a submission');
	assert.equal(count(`SELECT count(*) FROM ideas WHERE title = '${title}'`), 1);
});

// German users type a decimal comma: the form takes it, the JSON API
// takes numbers only, and neither takes two separators.
test('submit form: a decimal comma in the map point is the decimal point', async () => {
	const r0 = await get(alice, '/ideen/neu');
	await sleep(1100);
	const fields = { form_stamp: stampOf(r0.text), field: 'mobilitaet',
		description: 'Eine Beschreibung mit genug Zeichen darin.' };
	const title = `Komma im Breitengrad ${Date.now() % 100000}`;
	let r = await post(alice, '/ideen/neu', { ...fields, title, lat: '52,2646', lon: '10,5' });
	assert.equal(r.status, 303, r.text);
	const id = Number(r.headers.get('location').match(/^\/ideen\/(\d+)/)[1]);
	const api = await req(`/api/v1/ideas/${id}`, { headers: { cookie: alice.cookie, 'x-forwarded-for': alice.ip } });
	assert.equal(api.status, 200, api.text);
	assert.deepEqual(api.json.location, { lat: 52.2646, lon: 10.5 });
	for (const bad of ['52,26,46', '52.2,6', ',', '52 2646']) {
		r = await post(alice, '/ideen/neu', { ...fields, title: `${title} ${bad}`, lat: bad, lon: '10,5' });
		assert.equal(r.status, 422, bad);
		assert.match(r.text, /id="lat-error">Bitte eine Zahl eingeben, zum Beispiel 52,2689\./, bad);
	}
	r = await json('POST', '/api/v1/ideas', { title: `${title} JSON`, description: fields.description,
		field: 'mobilitaet', lat: '52,2646', lon: 10.5 }, as(alice));
	assert.equal(r.status, 422, r.text);
	assert.deepEqual(r.json.error.fields, { lat: 'must be a number' });
});

test('support, comment, reply and flag forms: 303 back to the idea, errors on the idea page', async () => {
	const idea = await publishedIdea(alice, mod);
	const page = `/ideen/${idea.id}`;
	let r = await post(bob, `${page}/unterstuetzen`, {});
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/ideen/${idea.id}?lang=de#unterstuetzen`);
	r = await get(bob, page);
	assert.match(r.text, /Unterstützungen: <strong>1<\/strong>/);
	assert.match(r.text, /Sie unterstützen diese Idee\./);
	r = await post(bob, `${page}/unterstuetzung-zurueckziehen?lang=en`, {});
	assert.equal(r.headers.get('location'), `/ideen/${idea.id}?lang=en#unterstuetzen`);
	assert.equal(count(`SELECT support_count FROM ideas WHERE id = ${idea.id}`), 0);
	r = await post(bob, `${page}/unterstuetzen`, { csrf_token: 'falsch' });
	assert.equal(r.status, 403, 'without the CSRF token');

	r = await post(bob, `${page}/kommentare`, { body: ' ' });
	assert.equal(r.status, 422);
	assert.match(r.text, /<a href="#comment-body">Kommentar: Bitte ausfüllen\.<\/a>/);
	assert.match(r.text, /id="comment-body-error">Bitte ausfüllen\./);
	r = await post(bob, `${page}/kommentare`, { body: 'Ein Kommentar <i>mit</i> Text' });
	assert.equal(r.status, 303);
	const cid = Number(psql(`SELECT max(id) FROM comments WHERE idea_id = ${idea.id}`));
	r = await get(bob, page);
	assert.match(r.text, /Ein Kommentar &lt;i&gt;mit&lt;\/i&gt; Text/);
	assert.match(r.text, /class="notice">Wartet auf Prüfung</, 'the author sees their pending comment');
	await json('POST', '/api/v1/moderation/decisions', { kind: 'comment', ids: [cid], decision: 'publish' }, as(mod));
	r = await post(alice, `${page}/kommentare`, { body: 'x', parent_id: String(cid) });
	assert.equal(r.status, 422);
	assert.match(r.text, new RegExp(`<details open><summary>Antworten</summary>[^]*id="reply-${cid}-body-error">Bitte 2 bis 2000 Zeichen`));
	r = await post(alice, `${page}/kommentare`, { body: 'Danke für den Hinweis.', parent_id: String(cid) });
	assert.equal(r.status, 303);
	assert.equal(count(`SELECT count(*) FROM comments WHERE parent_id = ${cid}`), 1);

	r = await post(bob, `${page}/melden`, { reason: '' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="flag-reason-error">Bitte ausfüllen\./);
	r = await post(bob, `${page}/melden`, { reason: 'spam', note: 'Werbung für einen Laden' });
	assert.equal(r.status, 303);
	r = await get(bob, page);
	assert.match(r.text, /Sie haben diese Idee gemeldet/);
	r = await post(alice, `/kommentare/${cid}/melden?idee=${idea.id}`, { reason: 'off-topic' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/ideen/${idea.id}?lang=de#kommentar-${cid}`);
	assert.equal(count(`SELECT count(*) FROM flags WHERE kind = 'comment' AND target_id = ${cid}`), 1);
	r = await post(alice, `/kommentare/${cid}/melden?idee=${idea.id}`, { reason: 'illegal' });
	assert.equal(r.status, 422, 'not a reason citizens may choose');
	assert.match(r.text, new RegExp(`id="cflag-${cid}-reason-error">Bitte einen Grund aus der Liste`));

	const unverified = await member();
	psql(`UPDATE accounts SET verified_at = NULL WHERE id = ${unverified.account.id}`);
	const u = { ...unverified, ...(await login(unverified.email, { kind: 'cookie' })) };
	r = await post(u, `${page}/unterstuetzen`, {});
	assert.equal(r.status, 403);
	assert.match(r.text, /Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse/);
	assert.match(r.text, new RegExp(`<a href="/ideen/${idea.id}\\?lang=de">Zurück zur vorigen Seite`));
});

test('comment forms on a later page of comments stay on that page', async () => {
	const idea = await publishedIdea(alice, mod);
	psql(`INSERT INTO comments (idea_id, author_id, body, state, published_at)
		SELECT ${idea.id}, ${bob.account.id}, 'Kommentar ' || g, 'published', now()
		FROM generate_series(1, 60) g ORDER BY g`);
	const ids = psql(`SELECT id FROM comments WHERE idea_id = ${idea.id} ORDER BY id`)
		.split('\n').map(Number);
	const after = ids[49], target = ids[55];
	const page = `/ideen/${idea.id}`;
	let r = await get(alice, `${page}?lang=de&after=${after}`);
	assert.match(r.text, /Kommentare \(60\)/);
	assert.ok(r.text.includes(`action="/ideen/${idea.id}/kommentare?lang=de&amp;after=${after}"`));
	assert.ok(r.text.includes(`action="/kommentare/${target}/melden?idee=${idea.id}&amp;lang=de&amp;after=${after}"`));
	r = await post(alice, `${page}/kommentare?lang=de&after=${after}`, { body: 'x', parent_id: String(target) });
	assert.equal(r.status, 422);
	assert.match(r.text, new RegExp(`id="reply-${target}-body-error">Bitte 2 bis 2000 Zeichen`),
		'the error is next to the comment, on its page');
	r = await post(alice, `${page}/kommentare?lang=de&after=${after}`, { body: 'Genau so.', parent_id: String(target) });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), new RegExp(`^${page}\\?lang=de&after=${after}#kommentar-\\d+$`));
	r = await post(alice, `/kommentare/${target}/melden?idee=${idea.id}&lang=de&after=${after}`, { reason: 'off-topic' });
	assert.equal(r.headers.get('location'), `${page}?lang=de&after=${after}#kommentar-${target}`);
});

test('status form: staff set a public status with a justification; illegal ones are explained', async () => {
	const idea = await publishedIdea(alice, mod);
	let r = await get(alice, `/ideen/${idea.id}`);
	assert.ok(!r.text.includes('Status ändern'), 'citizens see no status form');
	r = await get(mod, `/ideen/${idea.id}`);
	assert.match(r.text, /<h2 id="status-heading">Status ändern<\/h2>/);
	r = await post(mod, `/ideen/${idea.id}/status`, { status: 'under_review', justification: 'kurz' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="status-justification-error">Bitte 10 bis 2000 Zeichen/);
	assert.match(r.text, /<option value="under_review" selected>/);
	r = await post(mod, `/ideen/${idea.id}/status`, { status: 'under_review',
		justification: 'Wir prüfen das mit dem Fachbereich.' });
	assert.equal(r.status, 303);
	r = await req(`/ideen/${idea.id}`);
	assert.match(r.text, /In Prüfung<\/strong>[^]*Wir prüfen das mit dem Fachbereich\./);
	r = await post(mod, `/ideen/${idea.id}/status`, { status: 'implemented',
		justification: 'Das geht so nicht, Status springt.' });
	assert.equal(r.status, 409);
	assert.match(r.text, /Diese Änderung ist im aktuellen Zustand nicht möglich/);
	r = await post(alice, `/ideen/${idea.id}/status`, { status: 'accepted', justification: 'Ich will das.' });
	assert.equal(r.status, 403);
});

test('moderation page: pending items, a bulk publish by form, errors explained', async () => {
	const a = await postIdea(alice, { title: `Warteschlange A ${Date.now() % 100000}` });
	const b = await postIdea(bob, { title: `Warteschlange B ${Date.now() % 100000}` });
	// Newest first: earlier tests leave older items waiting, and a page
	// shows 20.
	let r = await get(mod, '/moderation?sort=newest');
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Moderation<\/h1>/);
	assert.match(r.text, /aria-current="page">Ideen prüfen \(\d+\)/);
	for (const i of [a, b]) {
		assert.ok(r.text.includes(`<input type="checkbox" form="bulk" id="sel-idea-${i.id}" name="id-${i.id}" value="on">`));
		assert.ok(r.text.includes(i.title));
	}
	assert.ok(r.text.indexOf(`id="idea-${b.id}"`) < r.text.indexOf(`id="idea-${a.id}"`), 'newest first');
	assert.ok(r.text.includes(alice.account.pseudonym));

	r = await post(mod, '/moderation/entscheidungen?state=pending', { kind: 'idea', decision: 'reject',
		[`id-${a.id}`]: 'on' });
	assert.equal(r.status, 422);
	assert.match(r.text, /<a href="#bulk-reason">Grund: Bitte ausfüllen\.<\/a>/);
	assert.match(r.text, /id="bulk-reason-error">Bitte ausfüllen/);

	r = await post(mod, '/moderation/entscheidungen?state=pending', { kind: 'idea', decision: 'publish',
		[`id-${a.id}`]: 'on', [`id-${b.id}`]: 'on' });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /^\/moderation\?lang=de&tab=review&kind=idea&state=pending&erledigt=\d+$/);
	assert.equal(psql(`SELECT string_agg(state, ',') FROM ideas WHERE id IN (${a.id}, ${b.id})`), 'published,published');

	r = await post(mod, '/moderation/entscheidungen', { kind: 'idea', decision: 'publish', [`id-${a.id}`]: 'on' });
	assert.equal(r.status, 409);
	assert.match(r.text, /Diese Änderung ist im aktuellen Zustand nicht möglich[^]*Es wurde nichts geändert/);
	assert.match(r.text, /<a href="\/moderation\?lang=de&amp;tab=review&amp;kind=idea">Zurück/);

	r = await post(mod, `/moderation/entscheidungen?back=${a.id}`, { kind: 'idea', decision: 'hide',
		reason: 'off-topic', explanation: 'Bitte beim Thema bleiben.', [`id-${a.id}`]: 'on' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/ideen/${a.id}?lang=de`);
	r = await get(alice, `/ideen/${a.id}`);
	assert.match(r.text, /<strong>Ausgeblendet: Nicht zum Thema<\/strong>[^]*Bitte beim Thema bleiben\./,
		'the author sees why');
	r = await get(mod, '/moderation?state=hidden&sort=newest&lang=en');
	assert.match(r.text, /aria-current="page">Review ideas/);
	assert.ok(r.text.includes(`id="idea-${a.id}"`));
});

test('board: the ranking, an assessment by form, then the others\' scores', async () => {
	const m1 = await browser(['board']);
	const m2 = await browser(['board']);
	const idea = await publishedIdea(alice, mod, { title: `Bewertbare Idee ${Date.now() % 100000}` });
	let r = await get(m1, '/gremium');
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`<a href="/gremium/ideen/${idea.id}?lang=de">${idea.title}</a>`));
	r = await get(m1, `/gremium/ideen/${idea.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /nachdem Sie selbst bewertet haben/);
	const criteria = [...new Set([...r.text.matchAll(/name="score-([a-z0-9-]+)"/g)].map((m) => m[1]))];
	assert.ok(criteria.length > 0);
	assert.match(r.text, /<fieldset class="field scores">\n<legend>/);

	const scores = (n) => Object.fromEntries(criteria.map((c) => [`score-${c}`, String(n)]));
	r = await post(m1, `/gremium/ideen/${idea.id}`, { [`score-${criteria[0]}`]: '2' });
	if (criteria.length > 1) {
		assert.equal(r.status, 422);
		assert.match(r.text, /id="assess-scores-error">Bitte jedes Kriterium mit 0 bis 3 Punkten bewerten/);
		assert.match(r.text, new RegExp(`name="score-${criteria[0]}" value="2" checked>`));
	}
	r = await post(m1, `/gremium/ideen/${idea.id}`, { ...scores(3), comment: 'Sehr überzeugend.' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/gremium/ideen/${idea.id}?lang=de`);
	r = await post(m2, `/gremium/ideen/${idea.id}`, { ...scores(1), comment: 'Eher schwach <b>.' });
	assert.equal(r.status, 303);
	r = await get(m1, `/gremium/ideen/${idea.id}`);
	assert.match(r.text, /Sie haben bewertet\./);
	assert.match(r.text, new RegExp(`<tr class="other"><th scope="row">${m2.account.pseudonym}</th>(<td>1</td>){${criteria.length}}`));
	assert.match(r.text, /Eher schwach &lt;b&gt;\./);
	assert.match(r.text, /Sehr überzeugend\.<\/textarea>/, 'the own comment is shown for editing');
	r = await get(m1, '/gremium');
	assert.match(r.text, new RegExp(`${idea.title}</a></td><td>Eingereicht</td><td>0</td><td>2</td><td>2</td>`),
		'the mean of both, now that m1 has assessed');
});

test('roles: citizens get a 403 page on moderation and board pages; links only for the roles', async () => {
	for (const p of ['/moderation', '/gremium', '/gremium/ideen/1']) {
		const r = await get(alice, p);
		assert.equal(r.status, 403, p);
		assert.match(r.headers.get('content-type'), /^text\/html/);
		assert.match(r.text, /Das dürfen Sie hier nicht/);
	}
	let r = await req('/ideen/neu');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/anmelden?lang=de&next=%2Fideen%2Fneu&why=idea');
	r = await get(alice, '/');
	assert.match(r.text, /<a href="\/ideen\?lang=de">Ideen<\/a>/);
	assert.match(r.text, /<a href="\/ideen\/neu\?lang=de">Idee einreichen<\/a>/);
	assert.ok(!r.text.includes('href="/moderation'));
	r = await get(mod, '/');
	assert.match(r.text, /<a href="\/moderation\?lang=de">Moderation<\/a>/);
	assert.ok(!r.text.includes('href="/gremium'));
});

test('staff enter a paper submission for a citizen through the form', async () => {
	const staff = await browser(['staff'], 'buergerservice');
	const carl = await member();
	const code = (await req('/api/v1/me/consent-code', { method: 'POST', headers: as(carl) })).json.code;
	let r = await get(staff, '/ideen/neu');
	assert.match(r.text, /<select id="channel" name="channel">/);
	await sleep(1100);
	r = await post(staff, '/ideen/neu', { form_stamp: stampOf(r.text), title: 'Brief einer Bürgerin',
		description: 'Abgetippt aus einem Brief an das Bürgerbüro.', field: 'mobilitaet',
		channel: 'paper', citizen_code: code });
	assert.equal(r.status, 303, r.text);
	const id = r.headers.get('location').match(/\/ideen\/(\d+)/)[1];
	assert.equal(psql(`SELECT channel || '|' || author_id || '|' || entered_by FROM ideas WHERE id = ${id}`),
		`paper|${carl.account.id}|${staff.account.id}`);
});
