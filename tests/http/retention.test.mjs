// Retention (README "Security", "Retention"; GDPR Art. 5(1)(e)): what is no
// longer needed is deleted after a documented period by retention_sweep(),
// which the mailer runs on start and then periodically, so make run and a
// deployment (the mailer runs as a service) sweep without anyone calling it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { psql, mailerSweeps } from './lib.mjs';

const bytes = () => `'\\x${randomBytes(32).toString('hex')}'::bytea`;
const tag = randomBytes(4).toString('hex');

// An account created `days` ago; verified or not.
function account(name, days, verified) {
	return psql(`INSERT INTO accounts (pseudonym, email_lookup, email_ct, created_at, verified_at)
		VALUES ('ret-${name}-${tag}', ${bytes()}, ${bytes()}, now() - interval '${days} days',
		${verified ? 'now()' : 'NULL'}) RETURNING id`).split('\n')[0];
}

function session(acct, expiredDaysAgo) {
	return psql(`INSERT INTO sessions (token_hash, account_id, kind, user_agent, expires_at)
		VALUES (${bytes()}, ${acct}, 'cookie', 'Mozilla/5.0 retention-${tag}',
		now() - interval '${expiredDaysAgo} days') RETURNING id`).split('\n')[0];
}

function token(acct, { usedDaysAgo = null, expiredDaysAgo = -1 } = {}) {
	const hash = bytes();
	psql(`INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at, used_at)
		VALUES (${hash}, ${acct}, 'reset', now() - interval '${expiredDaysAgo} days',
		${usedDaysAgo === null ? 'NULL' : `now() - interval '${usedDaysAgo} days'`})`);
	return hash;
}

function mail(acct, { sentDaysAgo = null, createdDaysAgo = 0 }) {
	return psql(`INSERT INTO outbox (account_id, sealed, created_at, next_attempt_at, sent_at)
		VALUES (${acct}, '\\x00'::bytea, now() - interval '${createdDaysAgo} days',
		now() + interval '1 day',
		${sentDaysAgo === null ? 'NULL' : `now() - interval '${sentDaysAgo} days'`}) RETURNING id`).split('\n')[0];
}

const exists = (table, where) => psql(`SELECT count(*) FROM ${table} WHERE ${where}`) !== '0';

test('the mailer sweeps on start: old rows go, young ones and verified accounts stay', async () => {
	const keep = account('keep', 400, true);
	const oldSession = session(keep, 8);
	const youngSession = session(keep, 1);
	const oldUsed = token(keep, { usedDaysAgo: 8 });
	const youngUsed = token(keep, { usedDaysAgo: 1 });
	const oldExpired = token(keep, { expiredDaysAgo: 8 });
	const oldSent = mail(keep, { sentDaysAgo: 8, createdDaysAgo: 8 });
	const youngSent = mail(keep, { sentDaysAgo: 1, createdDaysAgo: 1 });
	const oldUnsent = mail(keep, { createdDaysAgo: 8 });
	psql(`INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES
		('i:10.9.9.9', 'old-${tag}', ${bytes()}, now() - interval '25 hours'),
		('i:10.9.9.9', 'young-${tag}', ${bytes()}, now() - interval '1 hour')`);
	psql(`INSERT INTO login_failures (key, window_start) VALUES
		('i:old-${tag}', now() - interval '25 hours'), ('i:young-${tag}', now())`);
	// Registration and reset counters hold client addresses too.
	psql(`INSERT INTO anon_limits (key, window_start) VALUES
		('i:old-${tag}', now() - interval '25 hours'), ('i:young-${tag}', now())`);
	// Consent codes: used or expired ones name who entered for whom.
	const codeOld = account('codeold', 400, true);
	const codeYoung = account('codeyoung', 400, true);
	psql(`INSERT INTO consent_codes (code, account_id, expires_at) VALUES
		('${tag.slice(0, 4).toUpperCase().replace(/[^A-Z2-9]/g, 'X')}OLD2', ${codeOld}, now() - interval '8 days'),
		('${tag.slice(0, 4).toUpperCase().replace(/[^A-Z2-9]/g, 'X')}NEW2', ${codeYoung}, now() + interval '10 minutes')`);
	const stale = account('stale', 31, false);
	const staleToken = token(stale, { expiredDaysAgo: 29 });
	session(stale, 29);
	const fresh = account('fresh', 29, false);

	const out = await mailerSweeps();
	assert.match(out, /retention: deleted/, out);

	assert.equal(exists('sessions', `id = ${oldSession}`), false, 'expired session with its user agent');
	assert.equal(exists('sessions', `id = ${youngSession}`), true);
	assert.equal(exists('account_tokens', `token_hash = ${oldUsed}`), false, 'used token');
	assert.equal(exists('account_tokens', `token_hash = ${oldExpired}`), false, 'expired token');
	assert.equal(exists('account_tokens', `token_hash = ${youngUsed}`), true);
	assert.equal(exists('outbox', `id = ${oldSent}`), false, 'sent mail');
	assert.equal(exists('outbox', `id = ${oldUnsent}`), false, 'mail never deliverable');
	assert.equal(exists('outbox', `id = ${youngSent}`), true);
	assert.equal(exists('idempotency_keys', `key = 'old-${tag}'`), false);
	assert.equal(exists('idempotency_keys', `key = 'young-${tag}'`), true);
	assert.equal(exists('login_failures', `key = 'i:old-${tag}'`), false);
	assert.equal(exists('login_failures', `key = 'i:young-${tag}'`), true);
	assert.equal(exists('anon_limits', `key = 'i:old-${tag}'`), false, 'old registration counter');
	assert.equal(exists('anon_limits', `key = 'i:young-${tag}'`), true);
	assert.equal(exists('consent_codes', `account_id = ${codeOld}`), false, 'expired consent code');
	assert.equal(exists('consent_codes', `account_id = ${codeYoung}`), true);
	assert.equal(exists('accounts', `id = ${stale}`), false, 'never-verified account');
	assert.equal(exists('account_tokens', `token_hash = ${staleToken}`), false);
	assert.equal(exists('sessions', `account_id = ${stale}`), false);
	assert.equal(exists('accounts', `id = ${fresh}`), true);
	assert.equal(exists('accounts', `id = ${keep}`), true, 'a verified account is never swept');
});

test('the periods come from the environment', async () => {
	const a = account('conf', 31, false);
	const s = session(account('conf2', 1, true), 3);
	await mailerSweeps({ MITWIRKEN_RETAIN_UNVERIFIED_DAYS: '60', MITWIRKEN_RETAIN_SESSIONS_DAYS: '2' });
	assert.equal(exists('accounts', `id = ${a}`), true, 'kept: younger than the configured 60 days');
	assert.equal(exists('sessions', `id = ${s}`), false, 'deleted: expired longer than 2 days ago');
});

test('an anonymous reporter\'s address goes 30 days after the report closed, not before', async () => {
	const report = (closedDaysAgo) => psql(`INSERT INTO defect_reports (category_id, department_id,
		status_nonce, status_hash, open311_token, lat, lon, description, email_lookup, email_ct,
		contact_ct, status, closed_at)
		VALUES (1, 1, decode(substr(md5(random()::text), 1, 32), 'hex'), ${bytes()},
		'ret-${tag}-' || random(), 52.26, 10.52, 'Ein Schlagloch für die Aufbewahrung.',
		${bytes()}, ${bytes()}, ${bytes()}, ${closedDaysAgo === null ? "'open', NULL"
		: `'resolved', now() - interval '${closedDaysAgo} days'`}) RETURNING id`).split('\n')[0];
	const old = report(31);
	const young = report(29);
	const open = report(null);
	const out = await mailerSweeps();
	assert.match(out, /defect reporter contacts/, out);
	const contact = (id) => psql(`SELECT email_ct IS NOT NULL OR email_lookup IS NOT NULL OR
		contact_ct IS NOT NULL FROM defect_reports WHERE id = ${id}`);
	assert.equal(contact(old), 'f', 'closed 31 days ago: erased');
	assert.equal(psql(`SELECT notify FROM defect_reports WHERE id = ${old}`), 'f');
	assert.equal(contact(young), 't');
	assert.equal(contact(open), 't');
});
