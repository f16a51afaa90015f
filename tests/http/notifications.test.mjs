// Notifications by e-mail about one's own contributions (README
// "Notifications"): each kind once on its event, in the account's
// language, with a link to the item and one unsubscribe link that works
// signed out (GET changes nothing, POST and RFC 8058 one-click switch the
// kind off, forged tokens are refused readably); switched off, to the
// actor themself or to an erased account: nothing.  The switches in the
// API, on the profile page, in the export and gone after erasure.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, decide, publishedIdea, postIdea, expectError, mailsTo,
	clientIp, login, setting, uniqueEmail, PASSWORD } from './lib.mjs';

let admin, mod, staff;

test.before(async () => {
	admin = await member(['admin']);
	mod = await member(['moderator']);
	staff = await member(['staff'], 'tiefbau-und-verkehr');
	await setting(admin, { moderation_mode: 'pre' });
});

const prefs = (who) => req('/api/v1/me/notifications', { headers: as(who) });
const patch = (who, body) => json('PATCH', '/api/v1/me/notifications', body, as(who));
const kindMails = (who, subject) => mailsTo(who.email).filter((m) => subject.test(decodeSubject(m)));
const decodeSubject = (mail) => {
	const m = mail.match(/^Subject: =\?UTF-8\?B\?([^?]+)\?=/m);
	return m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
};
const body = (mail) => mail.slice(mail.indexOf('\r\n\r\n') + 4);
const unsubUrl = (mail) => {
	const m = mail.match(/^List-Unsubscribe: <([^>]+)>\r$/m);
	assert.ok(m, `a List-Unsubscribe header:\n${mail}`);
	return new URL(m[1]);
};
const form = (path, fields, headers = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
	body: new URLSearchParams(fields).toString() });

test('API: defaults all on in German; PATCH changes only what it names; bad input 422', async () => {
	const p = await member();
	let r = await prefs(p);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { lang: 'de', idea_decision: true, idea_status: true,
		comment_reply: true, defect_status: true });
	r = await patch(p, { idea_status: false, lang: 'en' });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { lang: 'en', idea_decision: true, idea_status: false,
		comment_reply: true, defect_status: true });
	r = await patch(p, { comment_reply: false });
	assert.equal(r.json.idea_status, false, 'kept');
	assert.equal(r.json.comment_reply, false);
	assert.equal(expectError(await patch(p, { idea_status: 'nein' }), 422).fields.idea_status,
		'must be true or false');
	assert.ok(expectError(await patch(p, { lang: 'fr' }), 422).fields.lang);
	assert.ok(expectError(await patch(p, { newsletter: true }), 422).fields.newsletter);
	assert.ok(expectError(await patch(p, { idea_status: null }), 422).fields.idea_status);
	assert.equal((await prefs(p)).json.comment_reply, false, 'nothing half-written');
	expectError(await req('/api/v1/me/notifications'), 401);
	expectError(await json('PATCH', '/api/v1/me/notifications', { idea_status: true }), 401);
});

test('idea_decision: published, then another rejected with the reason, once each', async () => {
	const author = await member();
	const idea = await publishedIdea(author, mod, { title: 'Mehr Bänke am Ringgleis' });
	let mails = kindMails(author, /Entscheidung zu Ihrer Idee/);
	assert.equal(mails.length, 1);
	assert.match(body(mails[0]), /Ihre Idee „Mehr Bänke am Ringgleis“ ist jetzt veröffentlicht/);
	assert.ok(body(mails[0]).includes(`/ideen/${idea.id}\r\n`), 'links the idea');
	assert.doesNotMatch(body(mails[0]), /Grund:/);
	assert.match(mails[0], /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
	const u = unsubUrl(mails[0]);
	assert.equal(u.pathname, '/abbestellen');
	assert.equal((body(mails[0]).match(/\/abbestellen\?t=/g) || []).length, 1, 'one unsubscribe link');
	assert.ok(body(mails[0]).includes(u.href), 'the body has the same link');

	const second = await postIdea(author, { title: 'Werbung für meinen Laden' });
	const r = await decide(mod, 'idea', [second.id], 'reject',
		{ reason: 'off-topic', explanation: 'Bitte keine Werbung.' });
	assert.equal(r.status, 200, r.text);
	mails = kindMails(author, /Entscheidung zu Ihrer Idee/);
	assert.equal(mails.length, 2, 'one more, not two');
	assert.match(body(mails[1]), /„Werbung für meinen Laden“ wurde von der Moderation nicht/);
	assert.match(body(mails[1]), /Grund: Nicht zum Thema/);
	assert.match(body(mails[1]), /Erläuterung der Moderation: Bitte keine Werbung\./);
	assert.doesNotMatch(body(mails[1]), /ist jetzt veröffentlicht/);
});

test('idea_status: in the account language (English), with the justification', async () => {
	const author = await member();
	assert.equal((await patch(author, { lang: 'en' })).status, 200);
	const idea = await publishedIdea(author, mod);
	assert.equal(kindMails(author, /A decision about your idea/).length, 1, 'the decision, in English');
	const r = await json('POST', `/api/v1/ideas/${idea.id}/status`,
		{ status: 'under_review', justification: 'Wir prüfen die Kosten.' }, as(staff));
	assert.equal(r.status, 200, r.text);
	const mails = kindMails(author, /News about your idea/);
	assert.equal(mails.length, 1);
	assert.match(body(mails[0]), /has a new status: Under review/);
	assert.match(body(mails[0]), /Why: Wir prüfen die Kosten\./);
	assert.ok(body(mails[0]).includes(`/ideen/${idea.id}`));
	assert.equal(kindMails(author, /Neuer Stand/).length, 0, 'no German copy');
});

test('the language of registration is the language of the mails, until another is chosen', async () => {
	const en = uniqueEmail('english'), de = uniqueEmail('deutsch'), page = uniqueEmail('seite');
	await json('POST', '/api/v1/accounts', { email: en, password: PASSWORD },
		{ 'x-forwarded-for': clientIp(), 'accept-language': 'en-GB,en;q=0.8' });
	await json('POST', '/api/v1/accounts', { email: de, password: PASSWORD },
		{ 'x-forwarded-for': clientIp(), 'accept-language': 'de-DE,de;q=0.9' });
	let r = await req('/registrieren?lang=en');
	const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
	r = await form('/registrieren?lang=en', { csrf_token: r.text.match(/name="csrf_token" value="([^"]+)"/)[1],
		email: page, password: PASSWORD }, { cookie, 'x-forwarded-for': clientIp(), 'sec-fetch-site': 'same-origin' });
	assert.equal(r.status, 200, r.text);
	const verified = async (email) => {
		const s = await login(email);
		psql(`UPDATE accounts SET verified_at = now() WHERE id = ${s.account.id}`);
		return { email, ...s, ip: clientIp() };
	};
	const [a, b, c] = [await verified(en), await verified(de), await verified(page)];
	assert.equal((await prefs(a)).json.lang, 'en', 'registered through the API in English');
	assert.equal((await prefs(b)).json.lang, 'de');
	assert.equal((await prefs(c)).json.lang, 'en', 'registered on the English page');
	assert.equal(psql(`SELECT count(*) FROM notification_settings WHERE account_id = ${b.account.id}`), '0',
		'German, the default, stores nothing');
	await publishedIdea(a, mod);
	await publishedIdea(c, mod);
	await publishedIdea(b, mod);
	assert.equal(kindMails(a, /A decision about your idea/).length, 1);
	assert.equal(kindMails(c, /A decision about your idea/).length, 1);
	assert.equal(kindMails(b, /Entscheidung zu Ihrer Idee/).length, 1);
	// Chosen otherwise on the profile: that wins.
	assert.equal((await patch(a, { lang: 'de' })).status, 200);
	await publishedIdea(a, mod);
	assert.equal(kindMails(a, /Entscheidung zu Ihrer Idee/).length, 1);
});

test('switched off: no mail of that kind, the others still come', async () => {
	const author = await member();
	assert.equal((await patch(author, { idea_status: false })).status, 200);
	const idea = await publishedIdea(author, mod);
	assert.equal(kindMails(author, /Entscheidung/).length, 1);
	const r = await json('POST', `/api/v1/ideas/${idea.id}/status`,
		{ status: 'under_review', justification: 'Wir prüfen die Kosten.' }, as(staff));
	assert.equal(r.status, 200, r.text);
	assert.equal(kindMails(author, /Neuer Stand zu Ihrer Idee/).length, 0);
	assert.equal(psql(`SELECT count(*) FROM outbox WHERE account_id = ${author.account.id}
		AND notice->>'kind' = 'idea_status'`), '0', 'nothing even queued');
});

test('comment_reply: once the reply is published; never for replying to oneself', async () => {
	const author = await member(), alice = await member(), bob = await member();
	const idea = await publishedIdea(author, mod, { title: 'Trinkbrunnen in der Innenstadt' });
	const c = await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Sehr gute Idee!' }, as(alice));
	assert.equal(c.status, 201, c.text);
	assert.equal((await decide(mod, 'comment', [c.json.id], 'publish')).status, 200);
	const own = await json('POST', `/api/v1/ideas/${idea.id}/comments`,
		{ body: 'Und ich ergänze mich selbst.', parent_id: c.json.id }, as(alice));
	assert.equal(own.status, 201, own.text);
	assert.equal((await decide(mod, 'comment', [own.json.id], 'publish')).status, 200);
	const reply = await json('POST', `/api/v1/ideas/${idea.id}/comments`,
		{ body: 'Finde ich auch.', parent_id: c.json.id }, as(bob));
	assert.equal(reply.status, 201, reply.text);
	assert.equal(kindMails(alice, /Antwort auf Ihren Kommentar/).length, 0, 'not while pending');
	assert.equal((await decide(mod, 'comment', [reply.json.id], 'publish')).status, 200);
	const mails = kindMails(alice, /Antwort auf Ihren Kommentar/);
	assert.equal(mails.length, 1, 'one mail: the own reply sent none');
	assert.match(body(mails[0]), /zur Idee „Trinkbrunnen in der Innenstadt“ geantwortet/);
	assert.ok(body(mails[0]).includes(`/ideen/${idea.id}#kommentar-${reply.json.id}`));
	assert.equal(kindMails(bob, /Antwort/).length, 0);
	assert.ok(!body(mails[0]).includes('Finde ich auch'), 'the reply itself stays on the site');
});

test('comment_reply after post-moderation: sent when the reply is published at once', async () => {
	const author = await member(), alice = await member(), bob = await member();
	const idea = await publishedIdea(author, mod);
	const c = await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Sehr gute Idee!' }, as(alice));
	assert.equal((await decide(mod, 'comment', [c.json.id], 'publish')).status, 200);
	await setting(admin, { moderation_mode: 'post' });
	try {
		const reply = await json('POST', `/api/v1/ideas/${idea.id}/comments`,
			{ body: 'Stimmt genau.', parent_id: c.json.id }, as(bob));
		assert.equal(reply.status, 201, reply.text);
		assert.equal(reply.json.state, 'published');
	} finally {
		await setting(admin, { moderation_mode: 'pre' });
	}
	assert.equal(kindMails(alice, /Antwort auf Ihren Kommentar/).length, 1);
});

test('no mail to the actor: a moderator deciding on their own idea', async () => {
	const both = await member(['moderator']);
	const idea = await postIdea(both);
	assert.equal((await decide(both, 'idea', [idea.id], 'publish')).status, 200);
	assert.equal(kindMails(both, /Entscheidung/).length, 0);
});

const defect = (who) => json('POST', '/api/v1/defects', { category: 'strassenschaden',
	lat: 52.2645, lon: 10.5236 + Math.random() / 100,
	description: 'Tiefes Schlagloch mitten auf der Fahrbahn am Radweg.' },
	who ? as(who) : { 'x-forwarded-for': clientIp() });
const setStatus = (id, status) => json('POST', `/api/v1/defects/${id}/status`,
	{ status, note: 'Eine öffentliche Notiz zum neuen Stand.' }, as(staff));

test('defect_status: a signed-in reporter gets it with an unsubscribe link; switched off: none', async () => {
	const citizen = await member();
	const d = await defect(citizen);
	assert.equal(d.status, 201, d.text);
	assert.equal((await setStatus(d.json.defect.id, 'acknowledged')).status, 200);
	let mails = kindMails(citizen, /Neuer Stand zu Ihrer Mängelmeldung/);
	assert.equal(mails.length, 1);
	const u = unsubUrl(mails[0]);
	assert.match(u.search, /^\?t=1\.\d+\.defect_status\./);
	assert.match(body(mails[0]), /Keine E-Mails mehr zum Stand Ihrer Meldungen/);
	assert.doesNotMatch(body(mails[0]), /Ihre E-Mail-Adresse löschen/, 'not the anonymous wording');
	assert.equal((await patch(citizen, { defect_status: false })).status, 200);
	assert.equal((await setStatus(d.json.defect.id, 'in_progress')).status, 200);
	mails = kindMails(citizen, /Neuer Stand zu Ihrer Mängelmeldung/);
	assert.equal(mails.length, 1, 'switched off');
});

test('defect_message: the department writes; the defect_status switch governs it, with its unsubscribe link', async () => {
	const citizen = await member();
	assert.equal((await patch(citizen, { lang: 'en' })).status, 200);
	const d = await defect(citizen);
	assert.equal(d.status, 201, d.text);
	const say = () => json('POST', `/api/v1/defects/${d.json.defect.id}/messages`,
		{ body: 'Wir schauen uns das morgen an.' }, as(staff));
	assert.equal((await say()).status, 201);
	let mails = kindMails(citizen, /The department has written to you/);
	assert.equal(mails.length, 1, 'in the reporter\'s language, not the staff member\'s');
	const u = unsubUrl(mails[0]);
	assert.match(u.search, /^\?t=1\.\d+\.defect_status\./, 'the switch that covers it');
	assert.match(body(mails[0]), /No more e-mails about your reports\? Unsubscribe/);
	assert.ok(body(mails[0]).includes(u.href));
	assert.doesNotMatch(body(mails[0]), /delete your e-mail/, 'not the anonymous wording');
	// The unsubscribe page says that the messages stop too.
	let r = await req(`${u.pathname}${u.search}&lang=en`);
	assert.equal(r.status, 200);
	assert.match(r.text, /This includes the department(&#39;|')s messages about your report\./);
	const s = await login(citizen.email, { kind: 'cookie' });
	r = await req('/konto/benachrichtigungen?lang=en', { headers: { cookie: s.cookie } });
	assert.equal(r.status, 200);
	assert.match(r.text, /aria-describedby="defect_status-hint"> <label for="defect_status">[^<]+<\/label><p class="hint" id="defect_status-hint">This includes the department(&#39;|')s messages/);

	assert.equal((await patch(citizen, { defect_status: false })).status, 200);
	const queued = () => psql(`SELECT count(*) FROM outbox WHERE account_id = ${citizen.account.id}`);
	const before = queued();
	assert.equal((await say()).status, 201);
	assert.equal(queued(), before, 'switched off: nothing even queued');
	mails = kindMails(citizen, /The department has written to you/);
	assert.equal(mails.length, 1, 'switched off: no more');
});

test('defect_message: an anonymous reporter who asked for mail still hears, without an unsubscribe link', async () => {
	const email = `anon-msg-${Date.now()}@example.org`;
	const d = await json('POST', '/api/v1/defects', { category: 'strassenschaden', lat: 52.2645,
		lon: 10.531, description: 'Tiefes Schlagloch mitten auf der Fahrbahn.', email },
		{ 'x-forwarded-for': clientIp() });
	assert.equal(d.status, 201, d.text);
	assert.equal((await json('POST', `/api/v1/defects/${d.json.defect.id}/messages`,
		{ body: 'Wir schauen uns das morgen an.' }, as(staff))).status, 201);
	const mails = mailsTo(email).filter((m) => /Der Fachbereich hat Ihnen/.test(decodeSubject(m)));
	assert.equal(mails.length, 1);
	assert.doesNotMatch(mails[0], /List-Unsubscribe|abbestellen/);
	assert.match(body(mails[0]), /Ihre E-Mail-Adresse löschen/);
});

test('defect_status: an anonymous reporter still hears, without an unsubscribe link', async () => {
	const email = `anon-${Date.now()}@example.org`;
	const r = await json('POST', '/api/v1/defects', { category: 'strassenschaden', lat: 52.2645,
		lon: 10.53, description: 'Tiefes Schlagloch mitten auf der Fahrbahn.', email },
		{ 'x-forwarded-for': clientIp() });
	assert.equal(r.status, 201, r.text);
	assert.equal((await setStatus(r.json.defect.id, 'acknowledged')).status, 200);
	const mails = mailsTo(email).filter((m) => /Neuer Stand/.test(decodeSubject(m)));
	assert.equal(mails.length, 1);
	assert.doesNotMatch(mails[0], /List-Unsubscribe/);
	assert.match(body(mails[0]), /Ihre E-Mail-Adresse löschen/);
});

test('unsubscribe link: GET changes nothing, the button switches off, signed out', async () => {
	const author = await member();
	await publishedIdea(author, mod);
	const u = unsubUrl(kindMails(author, /Entscheidung/)[0]);
	const link = u.pathname + u.search;
	let r = await req(link);
	assert.equal(r.status, 200);
	assert.match(r.text, /Möchten Sie diese E-Mails abbestellen\?/);
	assert.match(r.text, /Meine Idee wurde veröffentlicht oder abgelehnt/);
	assert.match(r.text, /<form method="post" action="\/abbestellen\?lang=de">/);
	assert.equal((await prefs(author)).json.idea_decision, true, 'GET changed nothing');
	const token = new URLSearchParams(u.search).get('t');
	r = await form('/abbestellen', { t: token });
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /keine E-Mails mehr, wenn über Ihre Ideen entschieden wird/);
	assert.equal((await prefs(author)).json.idea_decision, false);
	assert.equal((await prefs(author)).json.idea_status, true, 'only that kind');
	r = await form('/abbestellen', { t: token });
	assert.equal(r.status, 200, 'again: the same answer');
	const en = await req(`${link}&lang=en`);
	assert.match(en.text, /Do you want to unsubscribe/);
});

test('unsubscribe: RFC 8058 one-click POST to the header URL', async () => {
	const author = await member();
	await publishedIdea(author, mod);
	const u = unsubUrl(kindMails(author, /Entscheidung/)[0]);
	const r = await req(u.pathname + u.search, { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: 'List-Unsubscribe=One-Click' });
	assert.equal(r.status, 200, r.text);
	assert.equal((await prefs(author)).json.idea_decision, false);
	const fd = new FormData();
	fd.append('List-Unsubscribe', 'One-Click');
	const author2 = await member();
	await publishedIdea(author2, mod);
	const u2 = unsubUrl(kindMails(author2, /Entscheidung/)[0]);
	const r2 = await req(u2.pathname + u2.search, { method: 'POST', body: fd });
	assert.equal(r2.status, 200, r2.text);
	assert.equal((await prefs(author2)).json.idea_decision, false, 'multipart as well');
});

test('unsubscribe: forged, tampered and malformed tokens get a readable 400 page', async () => {
	const author = await member(), victim = await member();
	await publishedIdea(author, mod);
	const token = new URLSearchParams(unsubUrl(kindMails(author, /Entscheidung/)[0]).search).get('t');
	const [v, , kind, mac] = token.split('.');
	const forged = [
		`${v}.${victim.account.id}.${kind}.${mac}`,
		`${v}.${author.account.id}.idea_status.${mac}`,
		`2.${author.account.id}.${kind}.${mac}`,
		`${v}.${author.account.id}.${kind}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
		'', 'kaputt', '1.1.idea_status.', `${token}x`,
	];
	for (const t of forged) {
		let r = await req(`/abbestellen?t=${encodeURIComponent(t)}`);
		assert.equal(r.status, 400, `GET ${t}: ${r.status}`);
		assert.match(r.headers.get('content-type'), /^text\/html/);
		assert.match(r.text, /Abmeldelink ist ungültig|Anfrage/, t);
		r = await form('/abbestellen', { t });
		assert.equal(r.status, 400, `POST ${t}`);
	}
	assert.match((await req('/abbestellen?t=kaputt&lang=en')).text, /unsubscribe link is invalid/);
	// Longer than any token: refused by the parameter check, as a page.
	const long = await req(`/abbestellen?t=${'x'.repeat(600)}`);
	assert.equal(long.status, 422);
	assert.match(long.headers.get('content-type'), /^text\/html/);
	assert.equal((await req('/abbestellen')).status, 400, 'no token at all');
	assert.equal((await prefs(victim)).json.idea_status, true);
	assert.equal((await prefs(author)).json.idea_decision, true);
	assert.equal((await prefs(author)).json.idea_status, true);
});

test('erased accounts get nothing: not queued after, dropped if queued before', async () => {
	const author = await member();
	const idea = await postIdea(author);
	const gone = await json('DELETE', '/api/v1/me', undefined, as(author));
	assert.equal(gone.status, 204, gone.text);
	assert.equal((await decide(mod, 'idea', [idea.id], 'publish')).status, 200);
	assert.equal(psql(`SELECT count(*) FROM outbox WHERE account_id = ${author.account.id}`), '0');
	// A notice queued before the erasure but delivered after: dropped.
	const id = psql(`INSERT INTO outbox (account_id, notice) VALUES (${author.account.id},
		'{"kind":"idea_status","lang":"de","path":"/ideen/1","vars":{}}') RETURNING id`);
	mailsTo('nobody@example.org');
	assert.equal(psql(`SELECT count(*) FROM outbox WHERE id = ${id}`), '0');
	assert.equal(psql(`SELECT count(*) FROM notification_settings WHERE account_id = ${author.account.id}`), '0');
});

test('erasure deletes the switches; the export shows them', async () => {
	const p = await member();
	await patch(p, { comment_reply: false, lang: 'en' });
	const e = await req('/api/v1/me/export', { headers: as(p) });
	assert.equal(e.status, 200);
	assert.equal(e.json.notifications.comment_reply, false);
	assert.equal(e.json.notifications.lang, 'en');
	assert.ok(e.json.notifications.updated_at);
	assert.equal(psql(`SELECT count(*) FROM notification_settings WHERE account_id = ${p.account.id}`), '1');
	assert.equal((await json('DELETE', '/api/v1/me', undefined, as(p))).status, 204);
	assert.equal(psql(`SELECT count(*) FROM notification_settings WHERE account_id = ${p.account.id}`), '0');
});

test('profile page: one checkbox per kind beside its label; the form saves them', async () => {
	const p = await member();
	const s = await login(p.email, { kind: 'cookie' });
	const headers = { cookie: s.cookie, 'sec-fetch-site': 'same-origin' };
	let r = await req('/konto/benachrichtigungen', { headers });
	assert.equal(r.status, 200);
	for (const k of ['idea_decision', 'idea_status', 'comment_reply', 'defect_status'])
		assert.match(r.text, new RegExp(`<input type="checkbox" id="${k}" name="${k}" value="on" checked( aria-describedby="${k}-hint")?> <label for="${k}">`));
	const csrf = r.text.match(/name="csrf_token" value="([^"]+)"/)[1];
	assert.match((await req('/konto', { headers })).text, /href="\/konto\/benachrichtigungen\?lang=de"/);
	r = await form('/konto/benachrichtigungen', { csrf_token: csrf, idea_decision: 'on', comment_reply: 'on',
		lang: 'en' }, headers);
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), '/konto/benachrichtigungen?gespeichert=1');
	assert.deepEqual((await prefs(p)).json, { lang: 'en', idea_decision: true, idea_status: false,
		comment_reply: true, defect_status: false });
	r = await req('/konto/benachrichtigungen?gespeichert=1', { headers });
	assert.match(r.text, /Ihre Einstellungen sind gespeichert/);
	assert.match(r.text, /id="idea_status" name="idea_status" value="on">/, 'unticked');
	assert.match(r.text, /<option value="en" selected>/);
	// A tampered language: the error next to the field and on top, nothing stored.
	r = await form('/konto/benachrichtigungen', { csrf_token: csrf, lang: 'fr' }, headers);
	assert.equal(r.status, 422);
	assert.match(r.text, /role="alert"/);
	assert.match(r.text, /id="lang-error"/);
	assert.equal((await prefs(p)).json.idea_decision, true);
	// Without the CSRF token: refused.
	r = await form('/konto/benachrichtigungen', { idea_decision: 'on' }, headers);
	assert.equal(r.status, 403);
	// Signed out: to the sign-in page.
	r = await req('/konto/benachrichtigungen');
	assert.ok([303, 401].includes(r.status));
});
