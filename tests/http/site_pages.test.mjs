// What a German public body must show (issue 16): the legal pages linked
// in every footer, their texts editable by an admin in both languages and
// rendered safely, the accessibility feedback sent through the outbox, the
// city's name, colours and logo configurable without a rebuild, the
// favicon, Leichte Sprache and Gebärdensprache linked from the start page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, login, mailsTo, uniqueEmail, clientIp, sleep, as, register } from './lib.mjs';
import { jpeg, png, svg, gif, photoForm, pngThatIsHtml } from './images.mjs';

const LEGAL = ['/impressum', '/datenschutz', '/barrierefreiheit', '/leichte-sprache', '/gebaerdensprache'];
const csrfOf = (html) => html.match(/name="csrf_token" value="([^"]+)"/)[1];
const stampOf = (html) => html.match(/name="form_stamp" value="([^"]+)"/)[1];
const anon = () => ({ ip: clientIp() });
const headersOf = (who) => ({ 'x-forwarded-for': who.ip || clientIp(),
	...(who.cookie ? { cookie: who.cookie } : { 'sec-fetch-site': 'same-origin' }) });
const get = (who, path) => req(path, { headers: headersOf(who) });
const post = (who, path, fields = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headersOf(who) },
	body: new URLSearchParams({ ...(who.csrf ? { csrf_token: who.csrf } : {}), ...fields }).toString() });

async function browser(roles) {
	const m = await member(roles);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf };
}

// Settings are one row: tests that change them run one after another and
// put the defaults back.
const DEFAULTS = { site_name: 'mitwirken', city_name: 'Braunschweig', primary_colour: '#005a8c',
	link_colour: '#005a8c', sign_video_url: '', a11y_contact: '' };
let admin;
test.before(async () => { admin = await member(['admin']); });
test.after(async () => { await json('PUT', '/api/v1/admin/site', DEFAULTS, as(admin)); });

function footerLinks(html) {
	const footer = html.slice(html.lastIndexOf('<footer'));
	return LEGAL.every((p) => footer.includes(`href="${p}?lang=`));
}

test('every page links the legal pages in its footer, for every role', async () => {
	const citizen = await browser([]);
	const roles = { anonymous: anon(), citizen, moderator: await browser(['moderator']),
		planner: await browser(['planner']), board: await browser(['board']),
		staff: await browser(['admin']), admin: await browser(['admin']) };
	const pages = { anonymous: ['/', '/ideen', '/umfragen', '/maengel', '/anmelden', '/statistik', '/gibt-es-nicht', ...LEGAL],
		citizen: ['/', '/konto', '/ideen/neu'], moderator: ['/moderation'], planner: ['/planung/umfragen'],
		board: ['/gremium'], staff: ['/fachbereich'], admin: ['/verwaltung/texte', '/verwaltung/auftritt',
			'/verwaltung/texte/impressum'] };
	for (const [role, paths] of Object.entries(pages)) {
		for (const path of paths) {
			for (const lang of ['de', 'en']) {
				const r = await get(roles[role], `${path}?lang=${lang}`);
				assert.match(r.headers.get('content-type'), /^text\/html/, `${role} ${path}`);
				assert.ok(footerLinks(r.text), `${role} ${path}?lang=${lang}: legal links in the footer`);
				assert.ok(!/\{\{/.test(r.text), `${role} ${path}: no unrendered tags`);
			}
		}
	}
});

test('the legal pages ship honest default texts in German and English', async () => {
	let r = await req('/impressum');
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Impressum<\/h1>/);
	assert.match(r.text, /<h2>Anbieter<\/h2>/);
	assert.match(r.text, /Platz der Deutschen Einheit 1/);
	assert.match(r.text, /\[Von der Stadt auszufüllen/, 'what only the city knows is marked, not invented');
	r = await req('/impressum?lang=en');
	assert.match(r.text, /<h1>Legal notice<\/h1>/);
	assert.match(r.text, /\[To be filled in by the city/);
	r = await req('/datenschutz');
	assert.match(r.text, /<h1>Datenschutzerklärung<\/h1>/);
	assert.match(r.text, /argon2id/);
	r = await req('/barrierefreiheit');
	assert.match(r.text, /<h1>Erklärung zur Barrierefreiheit<\/h1>/);
	for (const part of [/Stand der Vereinbarkeit/, /teilweise vereinbar/, /Nicht barrierefreie Inhalte/,
		/Datum dieser Erklärung/, /Feedback und Kontakt/, /Schlichtungs/, /Zuletzt geändert am \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}/])
		assert.match(r.text, part);
	r = await req('/leichte-sprache');
	assert.match(r.text, /<h1>Leichte Sprache<\/h1>/);
	assert.match(r.text, /Was kann ich hier machen\?/);
	assert.match(r.text, /Oben auf jeder Seite ist das Menü\.<br>/, 'one statement per line');
	assert.match(r.text, /<a href="\/barrierefreiheit">Erklärung zur Barrierefreiheit<\/a>/);
	r = await req('/leichte-sprache?lang=en');
	assert.match(r.text, /<h1>Easy language<\/h1>/);
	const start = await req('/');
	assert.match(start.text, /<main id="main">[^]*href="\/leichte-sprache\?lang=de"[^]*<\/main>/);
	assert.match(start.text, /<main id="main">[^]*href="\/gebaerdensprache\?lang=de"[^]*<\/main>/);
	assert.ok(!/zehn Handlungsfeldern zu/.test(start.text), 'no claim that every contribution has a field');
	const api = await req('/api/v1/site');
	assert.equal(api.status, 200);
	assert.ok(api.json.texts.impressum.de.body.includes('Anbieter'));
	assert.ok(api.json.texts.leichte_sprache.en.body.length > 100);
});

test('an admin edits a text in both languages, in the browser and by the API', async () => {
	const a = await browser(['admin']);
	let r = await get(a, '/verwaltung/texte');
	assert.match(r.text, /href="\/verwaltung\/texte\/impressum\?lang=de"/);
	r = await get(a, '/verwaltung/texte/impressum');
	assert.equal(r.status, 200);
	assert.match(r.text, /<textarea id="de" name="de"[^>]*># Anbieter/);
	const de = `# Anbieter\nStadt Braunschweig, Test ${Date.now()}\n\n<script>alert(1)</script>\n- [Rathaus](https://www.braunschweig.de)`;
	const en = '# Provider\nCity of Braunschweig, edited';
	// Without the CSRF token: refused, nothing stored.
	r = await post({ ...a, csrf: undefined }, '/verwaltung/texte/impressum', { de, en });
	assert.equal(r.status, 403);
	r = await post(a, '/verwaltung/texte/impressum', { de, en });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/verwaltung/texte/impressum?lang=de&gespeichert=1');
	r = await get(a, r.headers.get('location'));
	assert.match(r.text, /Gespeichert\./);
	r = await req('/impressum');
	assert.ok(r.text.includes(de.split('\n')[1]));
	assert.match(r.text, /<p>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p>/, 'a script is shown as text');
	assert.ok(!r.text.includes('<script>'));
	assert.match(r.text, /<li><a href="https:\/\/www.braunschweig.de">Rathaus<\/a><\/li>/);
	r = await req('/impressum?lang=en');
	assert.match(r.text, /City of Braunschweig, edited/);
	// An empty text: the error next to the field, the other kept.
	r = await post(a, '/verwaltung/texte/impressum', { de: '   ', en: 'kept text' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="de-error">Bitte ausfüllen/);
	assert.match(r.text, /<textarea id="en" name="en"[^>]*>kept text<\/textarea>/);
	assert.match(r.text, /href="#de"/, 'the summary links to the field');
	// The API: one language only changes that one.
	r = await json('PUT', '/api/v1/admin/site/texts/impressum', { en: '# Provider\nAPI text' }, as(admin));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.texts.en.body, '# Provider\nAPI text');
	assert.ok(r.json.texts.de.body.includes('Test'));
	r = await json('PUT', '/api/v1/admin/site/texts/impressum', {}, as(admin));
	assert.equal(r.status, 422);
	assert.ok(r.json.error.fields.de);
	r = await json('PUT', '/api/v1/admin/site/texts/unbekannt', { de: 'x' }, as(admin));
	assert.equal(r.status, 404);
	r = await json('PUT', '/api/v1/admin/site/texts/impressum', { de: 5 }, as(admin));
	assert.equal(r.status, 422);
	r = await json('PUT', '/api/v1/admin/site/texts/impressum', { de: 'x' }, as(await member([])));
	assert.equal(r.status, 403);
	r = await get(await browser([]), '/verwaltung/texte/impressum');
	assert.equal(r.status, 403);
});

test('colours below 4.5:1 against white are refused with a clear message', async () => {
	let r = await json('PUT', '/api/v1/admin/site', { primary_colour: '#777777' }, as(admin));
	assert.equal(r.status, 422);
	assert.match(r.json.error.fields.primary_colour, /contrast against white: at least 4.5:1/);
	r = await json('PUT', '/api/v1/admin/site', { link_colour: 'blue' }, as(admin));
	assert.equal(r.status, 422);
	assert.match(r.json.error.fields.link_colour, /#rrggbb/);
	const a = await browser(['admin']);
	r = await post(a, '/verwaltung/auftritt', { site_name: 'mitwirken', city_name: 'Braunschweig',
		primary_colour: '#ffff00', link_colour: '#005a8c' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="primary_colour-error">Diese Farbe hat zu wenig Kontrast zu Weiß/);
	assert.match(r.text, /value="#ffff00"/, 'the input is kept');
	assert.equal(psql('SELECT primary_colour FROM site_settings'), '#005a8c', 'nothing stored');
});

test('name and colours change without a rebuild and show on the next pages within 2 s', async () => {
	const before = (await req('/api/v1/site')).json.version;
	const a = await browser(['admin']);
	let r = await get(a, '/verwaltung/auftritt');
	assert.match(r.text, /id="primary_colour"[^>]*value="#005a8c"/);
	r = await post(a, '/verwaltung/auftritt', { site_name: 'Mitmachen', city_name: 'Teststadt',
		primary_colour: '#1A4D8F', link_colour: '#6b2c91', a11y_contact: '', sign_video_url: '' });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	const site = (await req('/api/v1/site')).json;
	assert.equal(site.primary_colour, '#1a4d8f');
	assert.ok(site.version > before);
	// Every worker refreshes its copy within 2 s (core/site.c).
	const deadline = Date.now() + 2600;
	let seen = 0;
	while (Date.now() < deadline && seen < 6) {
		r = await req('/ideen');
		seen = r.text.includes('<title>Ideen – Mitmachen Teststadt</title>') ? seen + 1 : 0;
		if (seen === 0) await sleep(100);
	}
	assert.equal(seen, 6, 'six pages in a row show the new name');
	assert.match(r.text, /Beteiligung für die Smart City Teststadt/);
	const css = r.text.match(/<link rel="stylesheet" href="(\/assets\/site\.css\?v=(\d+))">/);
	assert.equal(Number(css[2]), site.version);
	r = await req(css[1]);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/css/);
	assert.match(r.headers.get('cache-control'), /max-age=31536000, immutable/);
	assert.match(r.text, /--accent: #1a4d8f; --link: #6b2c91;/);
	r = await req('/assets/site.css?v=1');
	assert.match(r.headers.get('cache-control'), /max-age=300/, 'an old version is not cached for long');
	// Mails name the site as the city named it, in the subject too.
	const email = uniqueEmail('sitename');
	await register(email);
	assert.equal((await json('POST', '/api/v1/password-reset', { email })).status, 202);
	const mails = mailsTo(email);
	assert.ok(mails.some((m) => /Sie haben bei Mitmachen, der Bürgerbeteiligung/.test(m) && /Ihr Mitmachen-Team/.test(m)),
		mails.join('\n---\n').slice(0, 2000));
	const subjects = mails.map((m) => Buffer.from(m.match(/^Subject: =\?UTF-8\?B\?([^?]+)\?=/m)[1], 'base64').toString());
	assert.ok(subjects.includes('Neues Passwort für Mitmachen'), subjects.join(' | '));
	assert.ok(!mails.some((m) => /mitwirken/.test(m.split('\r\n\r\n').slice(1).join(''))), 'no body says mitwirken');
	await json('PUT', '/api/v1/admin/site', DEFAULTS, as(admin));
});

test('favicon and icon: served, cacheable, in the primary colour', async () => {
	let r = await req('/favicon.ico');
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'image/x-icon');
	assert.match(r.headers.get('cache-control'), /public, max-age=\d+/);
	const etag = r.headers.get('etag');
	assert.ok(etag);
	const body = Buffer.from(await (await fetch(`${process.env.BASE_URL}/favicon.ico`)).arrayBuffer());
	assert.deepEqual([...body.subarray(0, 4)], [0, 0, 1, 0], 'an ICO file');
	r = await req('/favicon.ico', { headers: { 'if-none-match': etag } });
	assert.equal(r.status, 304);
	const page = await req('/');
	const icon = page.text.match(/<link rel="icon" href="(\/assets\/icon\.svg\?v=\d+)" type="image\/svg\+xml">/);
	assert.ok(icon);
	assert.match(page.text, /<link rel="icon" href="\/favicon.ico"/);
	r = await req(icon[1]);
	assert.equal(r.headers.get('content-type'), 'image/svg+xml');
	assert.match(r.headers.get('cache-control'), /immutable/);
	assert.match(r.text, /fill="#005a8c"/);
	assert.ok(!/script/i.test(r.text));
});

test('logo: PNG or JPEG re-encoded; SVG and other files refused', async () => {
	let r = await req('/api/v1/admin/site/logo', { method: 'PUT',
		headers: { 'content-type': 'image/svg+xml', ...as(admin) }, body: svg() });
	assert.equal(r.status, 415);
	r = await req('/api/v1/admin/site/logo', { method: 'PUT',
		headers: { 'content-type': 'image/png', ...as(admin) }, body: pngThatIsHtml() });
	assert.ok([415, 422].includes(r.status), `${r.status}`);
	const a = await browser(['admin']);
	for (const [file, name] of [[svg(), 'logo.svg'], [gif(), 'logo.gif'], [Buffer.from('<html>'), 'logo.png']]) {
		r = await req('/verwaltung/auftritt/logo', { method: 'POST', headers: headersOf(a),
			body: photoForm({ csrf_token: a.csrf }, [['logo', file, name]]) });
		assert.equal(r.status, 422, name);
		assert.match(r.text, /id="logo-error"/, name);
	}
	assert.equal(psql('SELECT count(*) FROM site_settings WHERE logo IS NOT NULL'), '0');
	r = await req('/verwaltung/auftritt/logo', { method: 'POST', headers: headersOf(a),
		body: photoForm({ csrf_token: a.csrf }, [['logo', png({ width: 200, height: 60 }), 'logo.png']]) });
	assert.equal(r.status, 303, r.text.slice(0, 600));
	r = await get(a, '/verwaltung/auftritt');
	const logo = r.text.match(/<img src="(\/assets\/logo\?v=\d+)" alt="[^"]+" class="logo-preview">/);
	assert.ok(logo);
	r = await req(logo[1]);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'image/jpeg');
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
	assert.match(r.headers.get('cache-control'), /immutable/);
	r = await json('DELETE', '/api/v1/admin/site/logo', undefined, as(admin));
	assert.equal(r.status, 200);
	assert.equal(r.json.logo, null);
	r = await req('/assets/logo');
	assert.equal(r.status, 404);
	r = await req('/api/v1/admin/site/logo', { method: 'PUT', headers: as(admin),
		body: photoForm({}, [['logo', jpeg({ width: 120, height: 40 }), 'logo.jpg']]) });
	assert.equal(r.status, 200, r.text);
	assert.match(r.json.logo, /^\/assets\/logo\?v=\d+$/);
	await json('DELETE', '/api/v1/admin/site/logo', undefined, as(admin));
});

test('accessibility feedback: validated, then mailed through the outbox to the contact', async () => {
	const who = anon();
	let r = await get(who, '/barrierefreiheit');
	assert.match(r.text, /Die Stadt hat noch keine Kontaktadresse/, 'honest while none is set');
	assert.ok(!/name="message"/.test(r.text));
	const contact = uniqueEmail('barrierefrei');
	r = await json('PUT', '/api/v1/admin/site', { a11y_contact: 'keine-adresse' }, as(admin));
	assert.equal(r.status, 422);
	assert.ok(r.json.error.fields.a11y_contact);
	r = await json('PUT', '/api/v1/admin/site', { a11y_contact: contact }, as(admin));
	assert.equal(r.status, 200);
	r = await get(who, '/barrierefreiheit');
	assert.match(r.text, /<form method="post" action="\/barrierefreiheit\?lang=de#feedback"/);
	const stamp = stampOf(r.text);
	await sleep(1100);
	const outbox = () => Number(psql('SELECT count(*) FROM outbox'));
	const n = outbox();
	r = await post(who, '/barrierefreiheit', { form_stamp: stamp, website: '', message: 'kurz', email: 'x@' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="message-error">Bitte 10 bis 2000 Zeichen/);
	assert.match(r.text, /id="email-error">/);
	assert.match(r.text, /<textarea id="message"[^>]*>kurz<\/textarea>/);
	assert.match(r.text, /role="alert"/);
	r = await post(who, '/barrierefreiheit', { form_stamp: stamp, website: 'http://spam', message: 'Eine lange genug Nachricht.' });
	assert.equal(r.status, 422, 'the honeypot');
	assert.equal(outbox(), n, 'nothing queued');
	const message = `Die Karte auf /maengel/neu geht nicht mit der Tastatur ${Date.now()}.`;
	r = await post(who, '/barrierefreiheit', { form_stamp: stamp, website: '', message,
		name: 'Erika Muster', email: 'erika@example.org' });
	assert.equal(r.status, 200, r.text.slice(0, 600));
	assert.match(r.text, /Ihre Rückmeldung ist angekommen/);
	assert.equal(outbox(), n + 1);
	const mails = mailsTo(contact);
	assert.equal(mails.length, 1);
	assert.match(mails[0], /Subject: =\?UTF-8\?B\?/);
	assert.ok(mails[0].includes(message), 'the words as written');
	assert.match(mails[0], /E-Mail: erika@example.org/);
	await json('PUT', '/api/v1/admin/site', { a11y_contact: '' }, as(admin));
});

test('sign-language page: honest without a video, a link with one', async () => {
	let r = await req('/gebaerdensprache');
	assert.equal(r.status, 200);
	assert.match(r.text, /noch kein Video in Gebärdensprache hinterlegt/);
	assert.match(r.text, /href="\/barrierefreiheit\?lang=de#feedback"/);
	r = await json('PUT', '/api/v1/admin/site', { sign_video_url: 'javascript:alert(1)' }, as(admin));
	assert.equal(r.status, 422);
	r = await json('PUT', '/api/v1/admin/site', { sign_video_url: 'https://www.braunschweig.de/dgs.mp4' }, as(admin));
	assert.equal(r.status, 200);
	r = await req('/gebaerdensprache');
	assert.match(r.text, /<a class="button" href="https:\/\/www.braunschweig.de\/dgs.mp4">Video in Gebärdensprache ansehen<\/a>/);
	await json('PUT', '/api/v1/admin/site', { sign_video_url: '' }, as(admin));
});
