// The defect reporter's pages as plain HTML forms, without JavaScript and
// without an account: the list, the two-step report form (decimal comma,
// errors next to the fields with the input kept, reports nearby offered
// before photos), the reporter's status page by its private link, the
// department's queue and detail (another department gets a 403 page), the
// reporter's reopen within the window, and the moderation of report texts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, login, clientIp, sleep, uniqueEmail, mailsTo, as } from './lib.mjs';
import { jpeg } from './images.mjs';

let admin, mod, staffA, staffB, citizen;

async function browser(roles = [], department) {
	const m = await member(roles, department);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}

// Someone without an account: a browser posting from the site's own page.
const anonymous = () => ({ ip: clientIp() });
const headersOf = (who) => ({ 'x-forwarded-for': who.ip,
	...(who.cookie ? { cookie: who.cookie } : { 'sec-fetch-site': 'same-origin' }) });
const get = (who, path) => req(path, { headers: who ? headersOf(who) : {} });
const post = (who, path, fields = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headersOf(who) },
	body: new URLSearchParams({ ...(who.csrf ? { csrf_token: who.csrf } : {}), ...fields }).toString() });
const stampOf = (html) => html.match(/name="form_stamp" value="([^"]+)"/)[1];
const unescape = (s) => s.replaceAll('&amp;', '&');
const noTags = (r) => assert.ok(!/\{\{/.test(r.text), 'no unrendered template tags');
const STEP1 = '/maengel/neu?schritt=2&category=strassenschaden';

// A point in town, a little apart for each test so reports do not meet.
let spot = 0;
function point() {
	spot++;
	return { lat: 52.2 + spot * 0.004, lon: 10.45 + spot * 0.004 };
}
const comma = (v) => String(v).replace('.', ',');

// A report through the API: anonymous, with a follow-up address.
async function apiReport(extra = {}) {
	const r = await json('POST', '/api/v1/defects', { category: 'strassenschaden',
		description: 'Ein tiefes Schlagloch mitten auf der Fahrbahn.', ...point(), ...extra },
	{ 'x-forwarded-for': clientIp() });
	assert.equal(r.status, 201, r.text);
	return { id: r.json.defect.id, token: r.json.status_token };
}

async function staffStatus(who, id, status, note, extra = {}) {
	return post(who, `/fachbereich/maengel/${id}/status`, { status, note, ...extra });
}

test.before(async () => {
	admin = await browser(['admin']);
	mod = await browser(['moderator']);
	staffA = await browser(['staff'], 'tiefbau-und-verkehr');
	staffB = await browser(['staff'], 'stadtgruen');
	citizen = await browser();
});

test('list, form and detail render in German and English; user text is escaped', async () => {
	const rep = await apiReport({ address: 'Bohlweg <b>30</b>' });
	let r = await req('/maengel');
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Gemeldete Mängel<\/h1>/);
	assert.ok(r.text.includes(`<a href="/maengel/${rep.id}?lang=de">Straßenschaden: Bohlweg &lt;b&gt;30&lt;/b&gt;</a>`));
	assert.match(r.text, /<span class="status">Offen<\/span>/);
	assert.match(r.text, /heute/);
	assert.match(r.text, /id="defect-map" class="map" hidden/, 'the map waits for JavaScript');
	assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
	noTags(r);
	r = await req('/maengel?lang=en&category=strassenschaden&status=open');
	assert.match(r.text, /<h1>Reported defects<\/h1>/);
	assert.match(r.text, /Road damage/);
	assert.match(r.text, /<option value="strassenschaden" selected>/);

	r = await req(`/maengel/${rep.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Straßenschaden: Bohlweg &lt;b&gt;30&lt;\/b&gt;<\/h1>/);
	assert.match(r.text, /Die Beschreibung erscheint, sobald sie geprüft ist/);
	assert.ok(!r.text.includes('Schlagloch mitten'), 'the text waits for a moderator');
	assert.match(r.text, /Tiefbau und Verkehr/);
	noTags(r);
	assert.equal((await req('/maengel/999999999')).status, 404);

	r = await req('/maengel/neu');
	assert.equal(r.status, 200);
	assert.match(r.text, /Schritt 1 von 2/);
	assert.match(r.text, /<input type="radio" id="category-strassenschaden" name="category" value="strassenschaden" aria-describedby="category-strassenschaden-hint">/);
	assert.match(r.text, /Schlaglöcher/, 'each category with its description');
	assert.match(r.text, /<form method="get" action="\/maengel\/neu"/);
	noTags(r);
});

test('step 1: errors next to the fields, what was typed kept; the decimal comma is accepted', async () => {
	let r = await req('/maengel/neu?schritt=2&lat=52%2C27&lon=abc&address=');
	assert.equal(r.status, 422);
	assert.match(r.text, /Schritt 1 von 2/);
	assert.match(r.text, /id="category-error">[^<]+</);
	assert.match(r.text, /<input id="lat" name="lat" type="text" inputmode="decimal" autocomplete="off" value="52,27"/);
	assert.match(r.text, /<input id="lon"[^>]*value="abc"[^>]*aria-invalid="true"/);
	assert.match(r.text, /<a href="#category">Kategorie: /, 'the summary links to the field');
	r = await req('/maengel/neu?schritt=2&category=strassenschaden');
	assert.equal(r.status, 422);
	assert.match(r.text, /Bitte geben Sie eine Adresse oder einen Punkt/);
	assert.match(r.text, /value="strassenschaden" checked/);
	r = await req('/maengel/neu?schritt=2&category=strassenschaden&lat=48,1&lon=11,5');
	assert.equal(r.status, 422);
	assert.match(r.text, /id="lat-error">Dieser Ort liegt nicht im Stadtgebiet/);

	const p = point();
	r = await req(`${STEP1}&lat=${comma(p.lat)}&lon=${comma(p.lon)}`);
	assert.equal(r.status, 200, r.text.slice(0, 500));
	assert.match(r.text, /Schritt 2 von 2/);
	assert.match(r.text, /In der Nähe ist nichts Gleiches gemeldet/);
	assert.match(r.text, /enctype="multipart\/form-data"/);
	assert.match(r.text, /<input id="photos" name="photos" type="file" multiple accept="image\/jpeg,image\/png"/);
	assert.ok(r.text.includes(`<input type="hidden" name="lat" value="${comma(p.lat)}">`));
	r = await req(`${STEP1}&address=Am+Wendentor+1`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Ohne Punkt auf der Karte/);
});

test('step 2 offers open reports nearby; supporting one needs no account', async () => {
	const p = point();
	const near = await apiReport({ lat: p.lat, lon: p.lon, address: 'Ecke Ring' });
	const far = await apiReport({ lat: p.lat + 0.01, lon: p.lon });
	let r = await req(`${STEP1}&lat=${comma(p.lat + 0.0001)}&lon=${comma(p.lon)}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Schon gemeldet\?/);
	assert.ok(r.text.includes(`<a href="/maengel/${near.id}?lang=de">Meldung Nr. ${near.id}</a>: Offen, Ecke Ring – 11 m`));
	assert.ok(!r.text.includes(`/maengel/${far.id}?`), 'a report 1 km away is not offered');
	assert.match(r.text, new RegExp(`action="/maengel/${near.id}/unterstuetzen\\?lang=de"`));
	assert.match(r.text, /Schon gemeldet – unterstützen/);
	// Another category at the same place is another defect.
	r = await req(`/maengel/neu?schritt=2&category=graffiti&lat=${comma(p.lat)}&lon=${comma(p.lon)}`);
	assert.ok(!r.text.includes(`/maengel/${near.id}?`));

	const someone = anonymous();
	r = await post(someone, `/maengel/${near.id}/unterstuetzen?lang=de`);
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.equal(r.headers.get('location'), `/maengel/${near.id}?lang=de`);
	r = await req(`/maengel/${near.id}`);
	assert.match(r.text, /Unterstützungen<\/dt><dd>1<\/dd>/);
	r = await post(citizen, `/maengel/${near.id}/unterstuetzen?lang=de`);
	assert.equal(r.status, 303);
	assert.match((await req(`/maengel/${near.id}`)).text, /Unterstützungen<\/dt><dd>2<\/dd>/);
});

test('a report sent with the plain form: the status link shown once, mailed, and a 404 for a wrong token', async () => {
	const p = point();
	const who = anonymous();
	const email = uniqueEmail('mangel');
	let r = await get(who, `${STEP1}&lat=${comma(p.lat)}&lon=${comma(p.lon)}&address=Hagenmarkt`);
	const stamp = stampOf(r.text);
	await sleep(1100);
	const fields = { form_stamp: stamp, website: '', category: 'strassenschaden', address: 'Hagenmarkt',
		lat: comma(p.lat), lon: comma(p.lon), description: 'kurz', email, notify: 'true' };
	// Too short: step 2 again, the text kept, the photos to be chosen again.
	r = await post(who, '/maengel/neu?lang=de', fields);
	assert.equal(r.status, 422, r.text.slice(0, 500));
	assert.match(r.text, /Schritt 2 von 2/);
	assert.match(r.text, />kurz<\/textarea>/);
	assert.match(r.text, /id="description-error"/);
	assert.match(r.text, /Bitte wählen Sie sie noch einmal aus/);
	assert.ok(r.text.includes(`value="${email}"`), 'the address is kept');

	r = await post(who, '/maengel/neu?lang=de', { ...fields,
		description: 'Die Gehwegplatte ist lose und kippelt beim Drauftreten.' });
	assert.equal(r.status, 303, r.text.slice(0, 800));
	const loc = r.headers.get('location');
	const m = loc.match(/^\/maengel\/status\/([A-Za-z0-9_-]+)\?lang=de&neu=1$/);
	assert.ok(m, loc);
	r = await req(loc);
	assert.equal(r.status, 200);
	assert.match(r.text, /Bewahren Sie diesen Link auf/);
	assert.ok(r.text.includes(`/maengel/status/${m[1]}</a>`));
	assert.match(r.text, /Bestätigung mit diesem Link per E-Mail geschickt/);
	assert.match(r.text, /Die Gehwegplatte ist lose/, 'the reporter sees the own text');
	assert.match(r.text, /wird noch geprüft/);
	noTags(r);
	const mail = mailsTo(email);
	assert.equal(mail.length, 1);
	assert.ok(mail[0].includes(`/maengel/status/${m[1]}`));

	r = await req(`/maengel/status/${m[1]}`);
	assert.ok(!/Bewahren Sie diesen Link auf/.test(r.text), 'said once, after sending');
	r = await req(`/maengel/status/${'A'.repeat(43)}`);
	assert.equal(r.status, 404);
	assert.match(r.text, /Diese Seite gibt es nicht/);
	assert.equal((await req('/maengel/status/kaputt')).status, 404);

	// The address can go; then nothing is stored.
	r = await post(who, `/maengel/status/${m[1]}/email-loeschen?lang=de`);
	assert.equal(r.status, 303, r.text.slice(0, 500));
	r = await req(`/maengel/status/${m[1]}`);
	assert.match(r.text, /keine E-Mail-Adresse gespeichert/);
});

test('the form as a browser sends it: multipart/form-data with a photo, no account', async () => {
	const p = point();
	const who = anonymous();
	let r = await get(who, `${STEP1}&lat=${comma(p.lat)}&lon=${comma(p.lon)}`);
	assert.match(r.text, /<form method="post" action="\/maengel\/neu\?lang=de" enctype="multipart\/form-data"/);
	const stamp = stampOf(r.text);
	await sleep(1100);
	const form = new FormData();
	for (const [k, v] of Object.entries({ form_stamp: stamp, website: '', category: 'strassenschaden',
		address: '', lat: comma(p.lat), lon: comma(p.lon), notify: 'false',
		description: 'Ein Riss quer über den Radweg, gut zu sehen auf dem Foto.' }))
		form.append(k, v);
	form.append('photos', new Blob([jpeg()], { type: 'image/jpeg' }), 'riss.jpg');
	r = await req('/maengel/neu?lang=de', { method: 'POST', body: form, headers: headersOf(who) });
	assert.equal(r.status, 303, r.text.slice(0, 800));
	const token = r.headers.get('location').match(/^\/maengel\/status\/([A-Za-z0-9_-]+)\?/)[1];
	r = await req(`/maengel/status/${token}?neu=1`);
	assert.match(r.text, /Bewahren Sie diesen Link auf/);
	assert.ok(!/per E-Mail geschickt/.test(r.text), 'no address, no mail');
	assert.match(r.text, /Ein Riss quer über den Radweg/);
	const id = Number(r.text.match(/href="\/maengel\/(\d+)\?lang=de">Öffentliche Seite/)[1]);
	// The photo shows to the reporter at once, marked as awaiting review.
	assert.equal(psql(`SELECT count(*) FROM defect_photos WHERE report_id = ${id}`), '1');
	const thumb = r.text.match(/<img src="(\/api\/v1\/defects\/\d+\/photos\/1\?size=thumb&amp;token=[^"]+)"/);
	assert.ok(thumb, 'the thumbnail, with the token that admits the reporter');
	assert.match(r.text, /<\/a><br><span class="pending">wird noch geprüft<\/span>/);
	let img = await req(unescape(thumb[1]));
	assert.equal(img.status, 200);
	assert.equal(img.headers.get('content-type'), 'image/jpeg');
	r = await req(`/maengel/${id}`);
	assert.ok(!/photos\/1/.test(r.text), 'not public before moderation');

	// The moderator sees it and publishes it from the page.
	r = await get(mod, '/moderation/maengel?tab=photos&sort=newest');
	const photoId = psql(`SELECT id FROM defect_photos WHERE report_id = ${id}`);
	assert.ok(r.text.includes(`id="photo-${photoId}"`));
	assert.ok(r.text.includes(`<img src="/api/v1/defects/${id}/photos/1?size=thumb" alt="Foto 1" loading="lazy">`));
	// A rectangle outside the photo: said next to that photo, the numbers kept.
	r = await post(mod, `/moderation/maengel/fotos/${photoId}?lang=de`, { decision: 'blur', x: '90', y: '10',
		w: '40', h: '20' });
	assert.equal(r.status, 422, r.text.slice(0, 500));
	assert.ok(r.text.includes(`<p class="error" id="photo-${photoId}-areas-error">Bitte ein Rechteck innerhalb des Fotos`));
	assert.ok(r.text.includes(`<a href="#photo-${photoId}-areas">`), 'the summary links to the photo\'s fields');
	assert.ok(r.text.includes(`id="photo-${photoId}-x" name="x" type="text" inputmode="decimal" size="5" value="90"`));
	r = await post(mod, `/moderation/maengel/fotos/${photoId}?lang=de`, { decision: 'blur', x: '10', y: '10',
		w: '40', h: '20' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.equal(r.headers.get('location'), '/moderation/maengel?lang=de&tab=photos', 'back to the photos');
	assert.equal(psql(`SELECT blurred FROM defect_photos WHERE id = ${photoId}`), 't');
	r = await post(mod, `/moderation/maengel/fotos/${photoId}?lang=de`, { decision: 'publish' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	r = await req(`/maengel/${id}`);
	assert.match(r.text, new RegExp(`<a href="/api/v1/defects/${id}/photos/1"><img src="/api/v1/defects/${id}/photos/1\\?size=thumb"`));
	img = await req(`/api/v1/defects/${id}/photos/1?size=thumb`);
	assert.equal(img.status, 200);
});

test('staff enter a report from a letter: the channel is theirs to set, nobody else sees the field', async () => {
	const p = point();
	const path = `${STEP1}&lat=${comma(p.lat)}&lon=${comma(p.lon)}`;
	assert.ok(!/name="channel"/.test((await get(citizen, path)).text));
	assert.ok(!/name="channel"/.test((await get(mod, path)).text));
	let r = await get(staffA, path);
	assert.match(r.text, /<select id="channel" name="channel">/);
	assert.ok(!/id="email"/.test(r.text), 'signed in: mail goes to the account');
	const stamp = stampOf(r.text);
	await sleep(1100);
	r = await post(staffA, '/maengel/neu?lang=de', { form_stamp: stamp, website: '', category: 'strassenschaden',
		lat: comma(p.lat), lon: comma(p.lon), channel: 'paper', citizen_code: '', notify: 'false',
		description: 'Brief von Frau M.: Der Bordstein ist abgebrochen.' });
	assert.equal(r.status, 303, r.text.slice(0, 800));
	const id = psql(`SELECT id FROM defect_reports WHERE description LIKE 'Brief von Frau M.%'`);
	assert.equal(psql(`SELECT channel FROM defect_reports WHERE id = ${id}`), 'paper');
	assert.match((await req(`/maengel/${id}`)).text, /\(per Post eingereicht\)/);
});

test('the department: queue with counts and overdue marks, status change shown publicly, another department refused', async () => {
	const rep = await apiReport({ address: 'Überfällige Straße 1' });
	psql(`UPDATE defect_reports SET created_at = now() - interval '20 days' WHERE id = ${rep.id}`);
	let r = await get(staffA, '/fachbereich');
	assert.equal(r.status, 200);
	assert.match(r.text, /Tiefbau und Verkehr/);
	assert.match(r.text, /Offen \(\d+\)<\/a>/);
	const row = r.text.match(new RegExp(`<li class="desk-row is-overdue" id="defect-${rep.id}">\\s*<p class="desk-head"><a href="/fachbereich/maengel/${rep.id}\\?lang=de">[^]*?</li>`));
	assert.ok(row, 'the old report is marked overdue');
	assert.match(row[0], /⚠ Überfällig/, 'in words, not by colour alone');
	noTags(r);
	r = await get(staffA, '/fachbereich?overdue=1');
	assert.ok(r.text.includes(`/fachbereich/maengel/${rep.id}?`));
	r = await get(staffB, '/fachbereich');
	assert.ok(!r.text.includes(`/fachbereich/maengel/${rep.id}?`), 'another department\'s queue');
	r = await get(staffB, '/fachbereich?department=tiefbau-und-verkehr');
	assert.equal(r.status, 403);
	r = await get(admin, '/fachbereich?department=stadtgruen');
	assert.equal(r.status, 200);
	assert.match(r.text, /<option value="stadtgruen" selected>/);

	r = await get(staffA, `/fachbereich/maengel/${rep.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Ein tiefes Schlagloch/, 'staff read the text before moderation');
	assert.match(r.text, /<option value="acknowledged">Angenommen<\/option>/);
	assert.ok(!r.text.includes('<option value="open">'), 'only the next steps');
	noTags(r);

	// Another department sees the report but may not change it.
	r = await get(staffB, `/fachbereich/maengel/${rep.id}`);
	assert.match(r.text, /einem anderen Fachbereich zugeordnet/);
	r = await staffStatus(staffB, rep.id, 'acknowledged', 'Wir kümmern uns darum, versprochen.');
	assert.equal(r.status, 403);
	assert.match(r.text, /Das dürfen Sie hier nicht/);

	// A note too short: the form again, the choice kept.
	r = await staffStatus(staffA, rep.id, 'in_progress', 'kurz');
	assert.equal(r.status, 422);
	assert.match(r.text, /<option value="in_progress" selected>/);
	assert.match(r.text, /id="status-note-error"/);
	r = await staffStatus(staffA, rep.id, 'acknowledged', 'Der Bautrupp ist für Montag eingeplant.');
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.equal(r.headers.get('location'), `/fachbereich/maengel/${rep.id}?lang=de`);
	r = await req(`/maengel/${rep.id}`);
	assert.match(r.text, /<span class="status">Angenommen<\/span>/);
	assert.match(r.text, /<strong>Angenommen<\/strong> <span class="date">\(\d{1,2}\. [A-Za-zä]+ \d{4}, \d\d:\d\d\)<\/span><div class="text">Der Bautrupp ist für Montag eingeplant\.<\/div>/);

	r = await post(staffA, `/fachbereich/maengel/${rep.id}/nachricht`, { body: 'Danke für den Hinweis!' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.match((await req(`/maengel/${rep.id}`)).text, /Danke für den Hinweis!/);

	r = await post(staffA, `/fachbereich/maengel/${rep.id}/fachbereich`, { department: 'stadtgruen',
		note: 'Der Baum gehört zur Grünpflege.' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	r = await get(staffB, `/fachbereich/maengel/${rep.id}`);
	assert.ok(!/einem anderen Fachbereich zugeordnet/.test(r.text), 'now it is theirs');
});

test('the reporter confirms or reopens within the window, by the status link', async () => {
	const rep = await apiReport();
	const who = anonymous();
	let r = await req(`/maengel/status/${rep.token}`);
	assert.match(r.text, /noch in Bearbeitung/);
	assert.ok(!/name="action" value="reopen"/.test(r.text), 'nothing to reopen yet');

	r = await post(who, `/maengel/status/${rep.token}/nachricht?lang=de&id=${rep.id}`,
		{ token: rep.token, body: 'Es ist inzwischen noch größer geworden.' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	r = await req(`/maengel/status/${rep.token}`);
	assert.match(r.text, /Es ist inzwischen noch größer geworden\./);
	assert.match(r.text, /Meldende Person<\/strong> · [^<]* · <span class="pending">wird noch geprüft/);

	r = await staffStatus(staffA, rep.id, 'resolved', 'Das Schlagloch wurde heute verfüllt.');
	assert.equal(r.status, 303, r.text.slice(0, 500));
	r = await req(`/maengel/status/${rep.token}`);
	assert.match(r.text, /name="action" value="confirm"/);
	assert.match(r.text, /name="action" value="reopen"/);

	// Reopening needs a reason: the form again with the error next to it.
	r = await post(who, `/maengel/status/${rep.token}/rueckmeldung?lang=de&id=${rep.id}`,
		{ token: rep.token, action: 'reopen', note: '' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="feedback-note-error"/);
	r = await post(who, `/maengel/status/${rep.token}/rueckmeldung?lang=de&id=${rep.id}`,
		{ token: rep.token, action: 'reopen', note: 'Das Loch ist schon wieder aufgebrochen.' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	r = await req(`/maengel/${rep.id}`);
	assert.match(r.text, /<span class="status">Offen<\/span>/);
	assert.match(r.text, /Das Loch ist schon wieder aufgebrochen\./);

	// After the window: explained, not offered.
	await staffStatus(staffA, rep.id, 'resolved', 'Jetzt aber wirklich dauerhaft repariert.');
	psql(`UPDATE defect_reports SET closed_at = now() - interval '30 days' WHERE id = ${rep.id}`);
	r = await req(`/maengel/status/${rep.token}`);
	assert.match(r.text, /Die Frist für eine Rückmeldung ist abgelaufen/);
	assert.ok(!/name="action" value="reopen"/.test(r.text));
});

test('moderation: report texts and reporter messages are published from their own page', async () => {
	// The page shows the oldest 100 waiting; other test files leave many.
	psql("UPDATE defect_reports SET state = 'published' WHERE state = 'pending'");
	const rep = await apiReport({ description: 'Graffiti "Tag" & Schmiererei an der Wand.' });
	let r = await get(mod, '/moderation');
	assert.match(r.text, /href="\/moderation\/maengel\?lang=de"/);
	r = await get(mod, '/moderation/maengel');
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('Graffiti &quot;Tag&quot; &amp; Schmiererei an der Wand.'));
	assert.match(r.text, /aria-current="page">Beschreibungen \(1\)</);
	noTags(r);
	r = await post(mod, '/moderation/entscheidungen?lang=de', { kind: 'defect', [`id-${rep.id}`]: 'on',
		decision: 'publish' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.equal(r.headers.get('location'), '/moderation/maengel?lang=de&tab=texts');
	assert.match((await req(`/maengel/${rep.id}`)).text, /Graffiti &quot;Tag&quot; &amp; Schmiererei/);
	r = await get(citizen, '/moderation/maengel');
	assert.equal(r.status, 403);
});

// A department of its own, so that the queue holds exactly what the test
// made: five reports with known ages, districts, supports and statuses.
test('the department queue: tabs counted per status, filters by category, district and age, three orders, keyset paging, time of day', async () => {
	const dep = psql(`INSERT INTO departments (id, slug, name_de, name_en)
		SELECT coalesce(max(id), 0) + 1, 'desk2-queue', 'Prüfamt', 'Test office' FROM departments
		ON CONFLICT (slug) DO UPDATE SET name_de = excluded.name_de RETURNING id`).trim().split('\n')[0];
	const staff = await browser(['staff'], 'desk2-queue');
	const districts = (await json('GET', '/api/v1/districts')).json.districts;
	const [d1, d2] = [districts[0], districts[1]];
	const made = [];
	// days old, district, supports, status
	const spec = [[0.2, d1, 5, 'open'], [2, d1, 1, 'open'], [4, d2, 9, 'acknowledged'],
		[8, d2, 0, 'in_progress'], [10, d1, 3, 'open']];
	for (const [days, d, supports, status] of spec) {
		const rep = await apiReport({ address: `Prüfweg ${made.length + 1}` });
		psql(`UPDATE defect_reports SET department_id = ${dep}, district_id = ${d.id ?? `(SELECT id FROM districts WHERE slug = '${d.slug}')`},
			created_at = date_trunc('minute', now()) - interval '${days * 24} hours', support_count = ${supports},
			status = '${status}', acknowledged_at = CASE WHEN '${status}' <> 'open' THEN now() END WHERE id = ${rep.id}`);
		made.push(rep.id);
	}
	const ids = (html) => [...html.matchAll(/<li class="desk-row[^"]*" id="defect-(\d+)">/g)].map((m) => Number(m[1]));
	let r = await get(staff, '/fachbereich');
	assert.equal(r.status, 200, r.text);
	noTags(r);
	assert.deepEqual(ids(r.text), [made[4], made[3], made[2], made[1], made[0]], 'oldest first');
	assert.match(r.text, /Offen \(3\)<\/a>/);
	assert.match(r.text, /Angenommen \(1\)<\/a>/);
	assert.match(r.text, />Überfällig \(\d\)<\/a>|Überfällig[^<]*\(\d\)<\/a>/);
	// Each row: field, district, date with time, supports.
	const row = r.text.match(new RegExp(`<li class="desk-row[^"]*" id="defect-${made[0]}">[^]*?</li>`))[0];
	assert.match(row, new RegExp(d1.name));
	assert.match(row, /\d{1,2}\. [A-ZÄÖÜa-zäöü]+ \d{4}, \d\d:\d\d<\/time>/, 'date with time in German');
	assert.match(row, /5 Unterstützungen/);
	assert.match(row, /<details><summary>/);
	r = await get(staff, '/fachbereich?lang=en');
	assert.match(r.text, /\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d<\/time>/, 'date with time in English');
	// Filters.
	r = await get(staff, `/fachbereich?district=${d2.slug}`);
	assert.deepEqual(ids(r.text), [made[3], made[2]]);
	assert.match(r.text, /Offen \(0\)<\/a>/, 'the tabs count the filtered reports');
	r = await get(staff, '/fachbereich?age=3');
	assert.deepEqual(ids(r.text), [made[4], made[3], made[2]]);
	r = await get(staff, '/fachbereich?age=7');
	assert.deepEqual(ids(r.text), [made[4], made[3]]);
	r = await get(staff, '/fachbereich?age=1&category=strassenschaden');
	assert.deepEqual(ids(r.text), [made[4], made[3], made[2], made[1]]);
	r = await get(staff, '/fachbereich?category=strassenbeleuchtung');
	assert.deepEqual(ids(r.text), []);
	r = await get(staff, '/fachbereich?status=acknowledged');
	assert.deepEqual(ids(r.text), [made[2]]);
	assert.match(r.text, /aria-current="page">Angenommen \(1\)/);
	// Orders.
	r = await get(staff, '/fachbereich?sort=newest');
	assert.deepEqual(ids(r.text), [made[0], made[1], made[2], made[3], made[4]]);
	r = await get(staff, '/fachbereich?sort=supports');
	assert.deepEqual(ids(r.text), [made[2], made[0], made[4], made[1], made[3]]);
	// Paging through the API, two at a time, in each order.
	for (const [sort, want] of [['oldest', [4, 3, 2, 1, 0]], ['newest', [0, 1, 2, 3, 4]], ['supports', [2, 0, 4, 1, 3]]]) {
		const seen = [];
		let after = '';
		for (let page = 0; page < 4; page++) {
			const q = await req(`/api/v1/staff/defects?department=desk2-queue&sort=${sort}&limit=2${after}`, { headers: as(admin) });
			assert.equal(q.status, 200, q.text);
			const body = JSON.parse(q.text);
			seen.push(...body.defects.map((d) => d.id));
			if (!body.next) break;
			after = `&after=${encodeURIComponent(body.next)}`;
		}
		assert.deepEqual(seen, want.map((i) => made[i]), `paging ${sort}`);
	}
	// The page's next link carries the view; a cursor of another order is refused.
	const q = JSON.parse((await req('/api/v1/staff/defects?department=desk2-queue&sort=supports&limit=2', { headers: as(admin) })).text);
	assert.match(q.next, /^s\.\d+\.\d+$/);
	let bad = await req(`/api/v1/staff/defects?department=desk2-queue&sort=newest&after=${q.next}`, { headers: as(admin) });
	assert.equal(bad.status, 422);
	assert.match(bad.text, /after/);
	bad = await get(staff, `/fachbereich?after=${q.next}`);
	assert.equal(bad.status, 400);
	bad = await req('/api/v1/staff/defects?age=2', { headers: as(admin) });
	assert.equal(bad.status, 422);
	assert.match(bad.text, /age/);
	bad = await req('/api/v1/staff/defects?sort=loudest', { headers: as(admin) });
	assert.equal(bad.status, 422);
	assert.match(bad.text, /sort/);
	bad = await req('/api/v1/staff/defects?color=red', { headers: as(admin) });
	assert.equal(bad.status, 422);
	assert.match(bad.text, /color/);
});

test('defect moderation like the desk: tabs counted under the filters, category, district and age, two orders, keyset paging, date with time', async () => {
	psql("UPDATE defect_reports SET state = 'published' WHERE state = 'pending'");
	psql("UPDATE defect_messages SET state = 'published' WHERE state = 'pending'");
	const districts = (await json('GET', '/api/v1/districts')).json.districts;
	const [d1, d2] = [districts[0], districts[1]];
	const made = [];
	for (const [days, d] of [[0.1, d1], [2, d2], [5, d1]]) {
		const rep = await apiReport({ description: `Prüftext ${made.length}: ein Schaden am Weg.` });
		psql(`UPDATE defect_reports SET district_id = ${d.id}, created_at = now() - interval '${days * 24} hours' WHERE id = ${rep.id}`);
		made.push(rep.id);
	}
	const ids = (html) => [...html.matchAll(/<li class="desk-row" id="defect-(\d+)">/g)].map((m) => Number(m[1]));
	let r = await get(mod, '/moderation/maengel');
	assert.equal(r.status, 200);
	noTags(r);
	assert.deepEqual(ids(r.text), [made[2], made[1], made[0]], 'oldest first');
	assert.match(r.text, /aria-current="page">Beschreibungen \(3\)</);
	assert.match(r.text, /Nachrichten von Meldenden \(0\)</);
	assert.match(r.text, /\d{1,2}\. [A-ZÄÖÜa-zäöü]+ \d{4}, \d\d:\d\d<\/time>/, 'date with time');
	assert.ok(r.text.includes(d2.name));
	r = await get(mod, '/moderation/maengel?sort=newest');
	assert.deepEqual(ids(r.text), [made[0], made[1], made[2]]);
	r = await get(mod, `/moderation/maengel?district=${d1.slug}`);
	assert.deepEqual(ids(r.text), [made[2], made[0]]);
	assert.match(r.text, /Beschreibungen \(2\)</, 'the tab counts the filtered items');
	r = await get(mod, '/moderation/maengel?age=1');
	assert.deepEqual(ids(r.text), [made[2], made[1]]);
	r = await get(mod, '/moderation/maengel?age=3&category=strassenschaden');
	assert.deepEqual(ids(r.text), [made[2]]);
	r = await get(mod, '/moderation/maengel?category=strassenbeleuchtung');
	assert.deepEqual(ids(r.text), []);
	// 51 more: a second page by the cursor, nothing lost or repeated.
	psql(`INSERT INTO defect_reports (category_id, department_id, status_nonce, status_hash, open311_token,
		address, lat, lon, description, created_at)
		SELECT category_id, department_id, decode(md5('n' || g || id), 'hex'), decode(md5('a' || g || id) || md5('b' || g || id), 'hex'), 'desk2-' || g || '-' || id,
		address, lat, lon, 'Kopie ' || g || repeat(' mit sehr langer Beschreibung des Schadens', 90), now() - g * interval '1 minute'
		FROM defect_reports, generate_series(1, 51) g WHERE id = ${made[0]}`);
	r = await get(mod, '/moderation/maengel?sort=newest');
	const first = ids(r.text);
	assert.equal(first.length, 15);
	assert.ok(Buffer.byteLength(r.text) <= 50 * 1024, `${Buffer.byteLength(r.text)} bytes`);
	const next = r.text.match(/href="\/moderation\/maengel\?([^"]+)" rel="next"/);
	assert.ok(next, 'a next link');
	assert.match(unescape(next[1]), /sort=newest&tab=texts&after=n\.\d+\.\d+$/);
	const seen = [...first];
	let href = next[1];
	for (let n = 0; n < 5 && href; n++) {
		r = await get(mod, `/moderation/maengel?${unescape(href)}`);
		seen.push(...ids(r.text));
		href = r.text.match(/href="\/moderation\/maengel\?([^"]+)" rel="next"/)?.[1];
	}
	assert.equal(seen.length, 54);
	assert.equal(new Set(seen).size, 54, 'nothing lost or repeated');
	assert.ok(!/rel="next"/.test(r.text));
	assert.match(r.text, /Zum Anfang der Liste/);
	// Hostile: a cursor of the other order, a tab that is none, an undeclared parameter.
	const cursor = unescape(next[1]).match(/after=(.*)$/)[1];
	assert.equal((await get(mod, `/moderation/maengel?after=${cursor}`)).status, 400);
	assert.equal((await get(mod, '/moderation/maengel?tab=ideas')).status, 422);
	assert.equal((await get(mod, '/moderation/maengel?after=n.1.x')).status, 400);
	// The API takes the same filters and refuses what it does not know.
	let a = await req(`/api/v1/moderation/defects?district=${d1.slug}&age=1&sort=newest&limit=5`, { headers: as(mod) });
	assert.equal(a.status, 200, a.text);
	assert.equal(JSON.parse(a.text).defects.at(-1).id, made[2]);
	a = await req('/api/v1/moderation/defects?tab=texts', { headers: as(mod) });
	assert.equal(a.status, 422);
	assert.match(a.text, /tab/);
	psql("UPDATE defect_reports SET state = 'published' WHERE state = 'pending'");
});
