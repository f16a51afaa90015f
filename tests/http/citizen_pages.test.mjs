// Citizens hear back and find their things: "Meine Beiträge" (page and
// API), sign-in that returns to the page that asked for it (and refuses
// to send anyone elsewhere), anchors after supporting, commenting and
// flagging, one plain state on an idea, sessions as devices, the export
// as a file, and the confirmation page leading on to sign-in.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, psql, member, login, publishedIdea, postIdea, json, as, setting, clientIp,
	uniqueEmail, mailsTo, linkToken, PASSWORD, register } from './lib.mjs';

let admin, mod, alice, bob;

const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';

async function browser(roles = [], ua = FIREFOX_ANDROID) {
	const m = await member(roles);
	const s = await login(m.email, { kind: 'cookie', headers: { 'user-agent': ua } });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}

const get = (who, path) => req(path, { headers: who ? { cookie: who.cookie,
	'x-forwarded-for': who.ip } : {} });
const post = (who, path, fields, headers = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin',
		...(who ? { cookie: who.cookie, 'x-forwarded-for': who.ip } : {}), ...headers },
	body: new URLSearchParams({ ...(who ? { csrf_token: who.csrf } : {}), ...fields }).toString() });
const unescape = (s) => s.replaceAll('&amp;', '&');
const csrfOf = (html) => html.match(/name="csrf_token" value="([^"]+)"/)[1];

test.before(async () => {
	admin = await member(['admin']);
	mod = await browser(['moderator']);
	alice = await browser();
	bob = await browser();
	await setting(admin, { moderation_mode: 'pre', flag_threshold: 3 });
});

test('signed out: each action links to sign-in saying why, and sign-in returns there', async () => {
	const idea = await publishedIdea(alice, mod);
	let r = await get(null, `/ideen/${idea.id}?lang=en`);
	const links = [...r.text.matchAll(/<a href="(\/anmelden\?[^"]+)">([^<]+)<\/a>/g)].map((m) => [unescape(m[1]), m[2]]);
	const support = links.find(([, text]) => text === 'Please sign in to support');
	assert.ok(support, JSON.stringify(links));
	const u = new URL(support[0], 'http://x');
	assert.equal(u.searchParams.get('next'), `/ideen/${idea.id}?lang=en#unterstuetzen`);
	assert.equal(u.searchParams.get('why'), 'support');
	assert.equal(u.searchParams.get('lang'), 'en', 'the language is kept');
	assert.ok(links.some(([, t]) => t === 'Please sign in to comment'));
	assert.ok(links.some(([, t]) => t === 'Please sign in to report a contribution'));

	r = await req(support[0]);
	assert.equal(r.status, 200);
	assert.match(r.text, /id="signin-why">Please sign in to support</);
	assert.ok(r.text.includes(`name="next" value="/ideen/${idea.id}?lang=en#unterstuetzen"`));
	const csrf = csrfOf(r.text);
	const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
	// A wrong password: the form again, still knowing where to go.
	r = await post(null, '/anmelden?lang=en', { csrf_token: csrf, email: alice.email, password: 'falsch falsch falsch',
		next: `/ideen/${idea.id}?lang=en#unterstuetzen`, why: 'support' }, { cookie });
	assert.equal(r.status, 401);
	assert.match(r.text, /Please sign in to support/);
	assert.ok(r.text.includes(`name="next" value="/ideen/${idea.id}?lang=en#unterstuetzen"`));
	r = await post(null, '/anmelden?lang=en', { csrf_token: csrfOf(r.text), email: alice.email, password: PASSWORD,
		next: `/ideen/${idea.id}?lang=en#unterstuetzen`, why: 'support' }, { cookie });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/ideen/${idea.id}?lang=en#unterstuetzen`);

	// A page that needs a session sends there with the way back.
	r = await req('/konto/beitraege?lang=en');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/anmelden?lang=en&next=%2Fkonto%2Fbeitraege%3Flang%3Den&why=account');
	r = await req('/ideen/neu');
	assert.equal(r.headers.get('location'), '/anmelden?lang=de&next=%2Fideen%2Fneu&why=idea');
	r = await req(r.headers.get('location'));
	assert.match(r.text, /Zum Einreichen einer Idee bitte anmelden/);
});

test('sign-in never sends anyone to another site', async () => {
	for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/\t/evil.example',
		'javascript:alert(1)', `/${'a'.repeat(600)}`]) {
		const page = await req(`/anmelden?next=${encodeURIComponent(next)}`);
		assert.ok([200, 422].includes(page.status), `${next}: ${page.status}`);
		assert.ok(!page.text.includes('name="next"'), `${next} is not carried`);
		const r = await post(null, '/anmelden', { csrf_token: csrfOf((await req('/anmelden')).text),
			email: bob.email, password: PASSWORD, next }, { cookie: '' });
		if (r.status === 303)
			assert.equal(r.headers.get('location'), '/konto', next);
	}
	const r = await req('/anmelden?next=%2F%2Fevil.example&why=erfunden');
	assert.equal(r.status, 200, 'an unknown reason is dropped, not an error');
	assert.doesNotMatch(r.text, /signin-why/);
});

test('after supporting, commenting and flagging: back to the item, at its anchor', async () => {
	const idea = await publishedIdea(alice, mod);
	const page = `/ideen/${idea.id}`;
	let r = await post(bob, `${page}/unterstuetzen`, {});
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `${page}?lang=de#unterstuetzen`);
	r = await post(bob, `${page}/kommentare`, { body: 'Ein Kommentar mit Anker.' });
	assert.equal(r.status, 303);
	const cid = psql(`SELECT max(id) FROM comments WHERE idea_id = ${idea.id}`);
	assert.equal(r.headers.get('location'), `${page}?lang=de#kommentar-${cid}`);
	r = await post(bob, `${page}/melden`, { reason: 'spam' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `${page}?lang=de#melden`);
	r = await get(bob, page);
	for (const id of ['unterstuetzen', `kommentar-${cid}`, 'melden'])
		assert.ok(r.text.includes(`id="${id}"`), `the page has #${id}`);
	await json('POST', '/api/v1/moderation/decisions', { kind: 'comment', ids: [Number(cid)], decision: 'publish' }, as(mod));
	r = await post(alice, `/kommentare/${cid}/melden?idee=${idea.id}`, { reason: 'off-topic' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `${page}?lang=de#kommentar-${cid}`);
});

test('an idea shows one state in plain words, with the reason', async () => {
	const idea = await postIdea(alice);
	let r = await get(alice, `/ideen/${idea.id}`);
	assert.match(r.text, /<strong>Wartet auf Prüfung<\/strong>/);
	assert.doesNotMatch(r.text, /Prüfstand/);
	assert.doesNotMatch(r.text, /<span class="status">Eingereicht/);
	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [idea.id], decision: 'reject',
		reason: 'off-topic', explanation: 'Das betrifft nicht die Stadt.' }, as(mod));
	r = await get(alice, `/ideen/${idea.id}`);
	assert.match(r.text, /<strong>Nicht veröffentlicht: Nicht zum Thema<\/strong>[^]*Das betrifft nicht die Stadt\./);
	const m = r.text.match(/.{80}(Abgelehnt|Eingereicht).{40}/);
	assert.equal(m, null, m && m[0]);
	r = await get(alice, `/ideen/${idea.id}?lang=en`);
	assert.match(r.text, /<strong>Not published: /);
});

test('Meine Beiträge: own ideas, comments, supports, defect reports; states in plain words; paged', async () => {
	const carol = await browser();
	const pending = await postIdea(carol, { title: 'Carols wartende Idee zum Testen' });
	const rejected = await postIdea(carol, { title: 'Carols abgelehnte Idee zum Testen' });
	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [rejected.id], decision: 'reject',
		reason: 'spam', explanation: 'Bitte keine Werbung.' }, as(mod));
	const other = await publishedIdea(alice, mod, { title: 'Alices Idee, von Carol unterstützt' });
	let r = await req(`/api/v1/ideas/${other.id}/supports`, { method: 'POST', headers: as(carol) });
	assert.ok([200, 201].includes(r.status), r.text);
	r = await json('POST', `/api/v1/ideas/${other.id}/comments`, { body: 'Carols Kommentar dazu.' }, as(carol));
	const cid = r.json.id;

	r = await json('GET', '/api/v1/me/contributions', undefined, as(carol));
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('cache-control'), /no-store/);
	const kinds = r.json.items.map((i) => `${i.kind}:${i.id}`);
	for (const k of [`idea:${pending.id}`, `idea:${rejected.id}`, `support:${other.id}`, `comment:${cid}`])
		assert.ok(kinds.includes(k), `${k} in ${kinds}`);
	assert.equal(r.json.total, 4);
	const rej = r.json.items.find((i) => i.kind === 'idea' && i.id === rejected.id);
	assert.equal(rej.state, 'rejected');
	assert.equal(rej.reason, 'spam');
	assert.equal(rej.explanation, 'Bitte keine Werbung.');
	assert.equal(r.json.items.find((i) => i.kind === 'comment').path, `/ideen/${other.id}#kommentar-${cid}`);
	assert.equal(r.json.next_offset, null);
	r = await json('GET', '/api/v1/me/contributions?limit=3', undefined, as(carol));
	assert.equal(r.json.items.length, 3);
	assert.equal(r.json.next_offset, 3);
	r = await json('GET', '/api/v1/me/contributions?limit=3&offset=3', undefined, as(carol));
	assert.equal(r.json.items.length, 1);
	r = await json('GET', '/api/v1/me/contributions?limit=0', undefined, as(carol));
	assert.equal(r.status, 422);
	assert.match(r.text, /limit/);
	// Nobody else's.
	r = await json('GET', '/api/v1/me/contributions', undefined, as(bob));
	assert.ok(!r.json.items.some((i) => i.id === pending.id && i.kind === 'idea'));

	r = await get(carol, '/konto/beitraege');
	assert.equal(r.status, 200);
	assert.match(r.text, new RegExp(`Idee:</span> <a href="/ideen/${pending.id}\\?lang=de">Carols wartende Idee zum Testen</a>[^]*Wartet auf Prüfung`));
	assert.match(r.text, /Carols abgelehnte Idee zum Testen<\/a>[^]*Nicht veröffentlicht[^]*Grund: Werbung[^<]*<\/p>\s*<p class="text">Bitte keine Werbung\./);
	assert.ok(r.text.includes(`href="/ideen/${other.id}?lang=de#kommentar-${cid}"`));
	assert.match(r.text, /Unterstützt:<\/span>[^]*Eingereicht/);
	assert.match(r.text, /\d{1,2}\. [A-Za-zä]+ \d{4}, \d\d:\d\d/, 'dates in words');
	r = await get(carol, '/konto/beitraege?lang=en');
	assert.match(r.text, /Waiting for review/);
	r = await get(carol, '/konto');
	assert.match(r.text, /href="\/konto\/beitraege\?lang=de"/);
});

test('Meine Beiträge: a survey response shows the survey and when, never the answers', async () => {
	const planner = await member(['planner']);
	const dave = await browser();
	const secret = 'Geheime Antwort 7f3a: nur für die Auswertung';
	const def = { title: { default: 'Umfrage zu Radwegen am Ring', en: 'Survey on cycle lanes at the Ring' },
		pages: [{ name: 'p1', elements: [
			{ type: 'radiogroup', name: 'mode', isRequired: true, choices: ['bus', 'rad'] },
			{ type: 'comment', name: 'note' }] }] };
	let r = await json('POST', '/api/v1/surveys', { definition: def, access: 'account' }, as(planner));
	assert.equal(r.status, 201, r.text);
	const survey = r.json.id;
	assert.equal((await req(`/api/v1/surveys/${survey}/open`, { method: 'POST', headers: as(planner) })).status, 200);
	r = await json('POST', `/api/v1/surveys/${survey}/responses`, { answers: { mode: 'rad', note: secret } },
		as(dave));
	assert.equal(r.status, 201, r.text);

	r = await json('GET', '/api/v1/me/contributions', undefined, as(dave));
	assert.equal(r.status, 200, r.text);
	const item = r.json.items.find((i) => i.kind === 'survey');
	assert.ok(item, JSON.stringify(r.json));
	assert.equal(item.id, survey);
	assert.equal(item.title, 'Umfrage zu Radwegen am Ring');
	assert.equal(item.path, `/umfragen/${survey}`);
	assert.ok(item.at, 'when it was sent');
	assert.ok(!JSON.stringify(r.json).includes('7f3a'), 'never the answers');
	assert.ok(!JSON.stringify(r.json).includes('"rad"'), 'not even a choice');
	r = await json('GET', '/api/v1/me/contributions', undefined, as(bob));
	assert.ok(!r.json.items.some((i) => i.kind === 'survey' && i.id === survey), 'nobody else\'s');

	r = await get(dave, '/konto/beitraege');
	assert.equal(r.status, 200);
	assert.match(r.text, new RegExp(`<article class="contribution" id="survey-${survey}">\\s*<h2><span class="kind">Umfrage:</span> ` +
		`<a href="/umfragen/${survey}\\?lang=de">Umfrage zu Radwegen am Ring</a></h2>\\s*<p><strong class="status">Abgeschickt</strong> · ` +
		`<span class="date">\\d{1,2}\\. [A-Za-zä]+ \\d{4}, \\d\\d:\\d\\d</span></p>\\s*</article>`));
	assert.ok(!r.text.includes('7f3a'), 'never the answers');
	r = await get(dave, '/konto/beitraege?lang=en');
	assert.match(r.text, new RegExp(`<a href="/umfragen/${survey}\\?lang=en">Survey on cycle lanes at the Ring</a>`));
	assert.ok(!r.text.includes('7f3a'));
});

test('sessions as devices; the export as a file download', async () => {
	let r = await get(alice, '/konto');
	assert.match(r.text, /<td>Firefox auf Android <strong>\(dieses Gerät\)<\/strong><\/td><td>heute \d\d:\d\d<\/td>/);
	r = await get(alice, '/konto?lang=en');
	assert.match(r.text, /<td>Firefox on Android <strong>\(this device\)<\/strong><\/td><td>today \d\d:\d\d<\/td>/);
	assert.match(r.text, /<form method="get" action="\/konto\/export">/);
	const odd = await browser([], 'curl/8.5.0');
	r = await get(odd, '/konto');
	assert.match(r.text, /<td>Unbekannter Browser <strong>/);

	r = await get(alice, '/konto/export');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	const day = psql(`SELECT to_char(now() AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD')`);
	assert.equal(r.headers.get('content-disposition'), `attachment; filename="mitwirken-daten-${day}.json"`);
	assert.match(r.headers.get('cache-control'), /no-store/);
	const api = await json('GET', '/api/v1/me/export', undefined, as(alice));
	assert.equal(api.headers.get('content-disposition'), r.headers.get('content-disposition'));
	assert.deepEqual(Object.keys(JSON.parse(r.text)).sort(), Object.keys(api.json).sort());
	assert.ok(JSON.parse(r.text).sessions?.some?.((s) => s.user_agent === FIREFOX_ANDROID) ||
		JSON.stringify(JSON.parse(r.text)).includes(FIREFOX_ANDROID), 'the user agent is in the export');
});

test('registration begun at a page that asked for sign-in: the confirmation mail leads back there', async () => {
	const next = '/ideen/neu?lang=en';
	let r = await req(`/registrieren?lang=en&next=${encodeURIComponent(next)}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`name="next" value="${next}"`), 'the form carries where to go on to');
	assert.ok(unescape(r.text).includes(`href="/anmelden?lang=en&next=${encodeURIComponent(next)}"`),
		'and so does the link for those who have an account');
	const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
	const email = uniqueEmail('zurueck');
	r = await post(null, '/registrieren?lang=en', { csrf_token: csrfOf(r.text), email, password: PASSWORD, next },
		{ cookie, 'x-forwarded-for': clientIp() });
	assert.equal(r.status, 200, r.text);
	const mail = mailsTo(email)[0];
	const link = new URL(mail.match(/^(http\S+\/bestaetigen\?\S+)\r$/m)[1]);
	assert.equal(link.searchParams.get('next'), next);
	assert.equal(link.searchParams.get('lang'), 'en', 'the confirmation page speaks the registration\'s language');
	r = await req(link.pathname + link.search);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`name="next" value="${next}"`));
	r = await post(null, '/bestaetigen?lang=en', { csrf_token: csrfOf(r.text), token: link.searchParams.get('token'), next },
		{ cookie: (r.headers.get('set-cookie') || '').split(';')[0] });
	assert.equal(r.status, 200);
	assert.ok(unescape(r.text).includes(`href="/anmelden?lang=en&next=${encodeURIComponent(next)}"`), r.text);

	// A next that is no local path never reaches the mail; the link still works.
	for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)',
		'/anmelden?next=/konto', '/ok\r\nSet-Cookie: x=1']) {
		const other = uniqueEmail('boese');
		r = await req('/registrieren');
		r = await post(null, '/registrieren', { csrf_token: csrfOf(r.text), email: other, password: PASSWORD,
			next: evil }, { cookie: (r.headers.get('set-cookie') || '').split(';')[0], 'x-forwarded-for': clientIp() });
		assert.equal(r.status, 200, `${evil}: ${r.text}`);
		const m = mailsTo(other)[0];
		assert.match(m, /\/bestaetigen\?token=[A-Za-z0-9_-]{43}&lang=de\r$/m, evil);
		assert.doesNotMatch(m, /evil|next=/, evil);
	}
	// The API registers without a next, in the language asked for.
	const api = uniqueEmail('api');
	await json('POST', '/api/v1/accounts', { email: api, password: PASSWORD },
		{ 'x-forwarded-for': clientIp(), 'accept-language': 'en' });
	assert.match(mailsTo(api)[0], /\/bestaetigen\?token=[A-Za-z0-9_-]{43}&lang=en\r$/m);
});

test('confirmation and new password lead on to sign-in', async () => {
	const email = uniqueEmail('weiter');
	await register(email);
	const token = linkToken(mailsTo(email)[0]);
	let r = await req(`/bestaetigen?token=${token}&next=${encodeURIComponent('/ideen?lang=de')}`);
	assert.ok(r.text.includes('name="next" value="/ideen?lang=de"'));
	r = await post(null, '/bestaetigen', { csrf_token: csrfOf(r.text), token, next: '/ideen?lang=de' },
		{ cookie: (r.headers.get('set-cookie') || '').split(';')[0] });
	assert.match(r.text, /<h1>E-Mail-Adresse bestätigt<\/h1>/);
	assert.ok(unescape(r.text).includes('<a class="button" href="/anmelden?lang=de&next=%2Fideen%3Flang%3Dde">Jetzt anmelden</a>'));
	const r2 = await json('POST', '/api/v1/password-reset', { email });
	assert.equal(r2.status, 202);
	const reset = linkToken(mailsTo(email).find((m) => m.includes('passwort-neu')));
	r = await req(`/passwort-neu?token=${reset}`);
	r = await post(null, '/passwort-neu', { csrf_token: csrfOf(r.text), token: reset, password: 'ein anderes langes Passwort' },
		{ cookie: (r.headers.get('set-cookie') || '').split(';')[0] });
	assert.match(r.text, /<h1>Passwort geändert<\/h1>/);
	assert.ok(unescape(r.text).includes('<a class="button" href="/anmelden?lang=de">Jetzt anmelden</a>'));
});
