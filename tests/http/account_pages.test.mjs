// The account flows as plain HTML forms, without JavaScript, posted by a
// current browser from the site's own pages (Sec-Fetch-Site: same-origin;
// login_csrf.test.mjs covers browsers that send neither it nor Origin).
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, uniqueEmail, mailsTo, linkToken, PASSWORD } from './lib.mjs';

const form = (path, fields, headers = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers },
	body: new URLSearchParams(fields).toString() });
const csrfOf = (html) => html.match(/name="csrf_token" value="([^"]+)"/)[1];
const cookieOf = (r) => (r.headers.get('set-cookie') || '').match(/^(mw_session=[^;]+)/)[1];

test('sign-up form: errors next to the fields, input kept, password never echoed', async () => {
	const r = await form('/registrieren', { email: 'kein-at', password: 'geheim', pseudonym: 'Ab' });
	assert.equal(r.status, 422);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.match(r.text, /role="alert"[^]*Bitte prüfen Sie die markierten Angaben/);
	assert.match(r.text, /value="kein-at" aria-invalid="true" aria-describedby="email-error"/);
	assert.match(r.text, /id="email-error">Das ist keine gültige E-Mail-Adresse/);
	assert.match(r.text, /id="password-error">Das Passwort muss mindestens 12 Zeichen/);
	assert.match(r.text, /id="pseudonym-error">3 bis 32 Zeichen/);
	assert.ok(!r.text.includes('geheim'), 'the password is not sent back');
	const en = await form('/registrieren?lang=en', { email: 'x', password: 'y' });
	assert.match(en.text, /This is not a valid e-mail address/);
});

test('sign up, confirm, sign in, change pseudonym, sign out, all by forms', async () => {
	const email = uniqueEmail('form');
	let r = await form('/registrieren', { email, password: PASSWORD });
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Fast geschafft<\/h1>/);
	const token = linkToken(mailsTo(email)[0]);
	r = await req(`/bestaetigen?token=${token}`);
	assert.equal(r.status, 200);
	assert.match(r.text, new RegExp(`name="token" value="${token}"`));
	r = await form('/bestaetigen', { token });
	assert.match(r.text, /<h1>E-Mail-Adresse bestätigt<\/h1>/);

	r = await form('/anmelden', { email, password: 'falsch falsch falsch' });
	assert.equal(r.status, 401);
	assert.match(r.text, /E-Mail-Adresse oder Passwort stimmen nicht/);
	assert.match(r.text, new RegExp(`value="${email}"`), 'the address is kept');
	r = await form('/anmelden', { email, password: PASSWORD });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/konto');
	const cookie = cookieOf(r);

	r = await req('/konto', { headers: { cookie } });
	assert.equal(r.status, 200);
	assert.match(r.text, /Angemeldete Geräte/);
	assert.match(r.text, /\(dieses Gerät\)/);
	const csrf = csrfOf(r.text);
	const name = `formular-${Date.now() % 1000000}`;
	r = await form('/konto/pseudonym', { pseudonym: name }, { cookie });
	assert.equal(r.status, 403, 'without the CSRF token');
	r = await form('/konto/pseudonym', { pseudonym: name, csrf_token: csrf }, { cookie });
	assert.equal(r.status, 303);
	r = await req('/konto', { headers: { cookie } });
	assert.match(r.text, new RegExp(`value="${name}"`));
	assert.match(r.text, new RegExp(`Mein Konto \\(${name}\\)`));

	r = await form('/konto/pseudonym', { pseudonym: 'X!', csrf_token: csrf }, { cookie });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="pseudonym-error">3 bis 32 Zeichen/);

	r = await form('/abmelden', { csrf_token: csrf }, { cookie });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('set-cookie'), /^mw_session=; Path=\/; Max-Age=0/);
	r = await req('/konto', { headers: { cookie } });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/anmelden?lang=de&next=%2Fkonto&why=account');
});

test('forgotten password by forms; erasure needs a confirmation', async () => {
	const email = uniqueEmail('formreset');
	await form('/registrieren', { email, password: PASSWORD });
	let r = await form('/passwort-vergessen', { email });
	assert.match(r.text, /Wenn es zu dieser Adresse ein Konto gibt/);
	const token = linkToken(mailsTo(email).find((m) => m.includes('passwort-neu')));
	r = await req(`/passwort-neu?token=${token}`);
	assert.match(r.text, /Neues Passwort festlegen/);
	r = await form('/passwort-neu', { token, password: 'kurz' });
	assert.equal(r.status, 422);
	assert.match(r.text, new RegExp(`name="token" value="${token}"`), 'the token is kept for the retry');
	r = await form('/passwort-neu', { token, password: 'mein neues langes Passwort' });
	assert.match(r.text, /<h1>Passwort geändert<\/h1>/);
	r = await form('/anmelden', { email, password: 'mein neues langes Passwort' });
	const cookie = cookieOf(r);
	const page = await req('/konto', { headers: { cookie } });
	const csrf = csrfOf(page.text);
	r = await form('/konto/loeschen', { csrf_token: csrf }, { cookie });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="confirm-error">Bitte bestätigen Sie/);
	r = await form('/konto/loeschen', { csrf_token: csrf, confirm: 'ja' }, { cookie });
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Konto gelöscht<\/h1>/);
	r = await form('/anmelden', { email, password: 'mein neues langes Passwort' });
	assert.equal(r.status, 401);
});

test('profile form: a pseudonym already taken is shown next to the field', async () => {
	const email = uniqueEmail('formtaken');
	const other = uniqueEmail('formother');
	const taken = `vergeben-${Date.now() % 1000000}`;
	await form('/registrieren', { email: other, password: PASSWORD, pseudonym: taken });
	await form('/registrieren', { email, password: PASSWORD });
	await form('/bestaetigen', { token: linkToken(mailsTo(email)[0]) });
	let r = await form('/anmelden', { email, password: PASSWORD });
	const cookie = cookieOf(r);
	const csrf = csrfOf((await req('/konto', { headers: { cookie } })).text);
	r = await form('/konto/pseudonym', { pseudonym: taken, csrf_token: csrf }, { cookie });
	// The API's own status (409 conflict), as on every form shown again.
	assert.equal(r.status, 409);
	assert.match(r.text, /id="pseudonym-error">Dieses Pseudonym ist schon vergeben/);
	assert.match(r.text, /Angemeldete Geräte/, 'the rest of the page is there too');
});
