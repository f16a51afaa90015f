// The mailer against a real relay (README "Security", "Mail"): Debian's
// aiosmtpd on a loopback port, with STARTTLS and AUTH like a city's
// submission relay.  Sign-in and reset links travel in these mails, so they
// go only over TLS, with the relay's credentials, and a relay that fails
// or hangs delays a mail, never the mailer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psql, register, uniqueEmail, mailsTo } from './lib.mjs';

const RELAY = new URL('./smtp_relay.py', import.meta.url).pathname;
const USER = 'mitwirken-relay';
const PASSWORD = 'relay-secret-7f3a9c';
const dir = mkdtempSync(join(tmpdir(), 'mw-smtp-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
const passwordFile = join(dir, 'smtp-password');

test.before(() => {
	// A throwaway certificate for 127.0.0.1, trusted through the CA file.
	const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes',
		'-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
		'-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
	// Mail other tests left pending goes to the mail folder first, so each
	// test here sees only its own.
	mailsTo('nobody@example.org');
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
	});
}

// Starts the relay; tls: offer STARTTLS (and require it and AUTH).
async function relay({ tls = true, password = PASSWORD } = {}) {
	const port = await freePort();
	const log = join(dir, `relay-${port}.log`);
	const args = [RELAY, '--port', port, '--log', log, '--user', USER, '--password', password];
	if (tls) args.push('--cert', cert, '--key', key);
	const child = spawn('/usr/bin/python3', args.map(String));
	let err = '';
	child.stderr.on('data', (d) => { err += d; });
	await new Promise((resolve, reject) => {
		child.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
		child.on('exit', (code) => reject(new Error(`relay exited ${code}: ${err}`)));
	});
	return {
		port,
		events: () => existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n')
			.filter(Boolean).map((l) => JSON.parse(l)) : [],
		stop: () => child.kill(),
	};
}

// One mailer run (--once).  The guard only ends a mailer that hangs, so a
// hang fails the test instead of blocking the suite; nothing is timed.
function mailer(port, extra = {}) {
	const child = spawn(process.env.MAILER_BIN, ['--once'], { env: { ...process.env,
		MITWIRKEN_SMTP_HOST: '127.0.0.1', MITWIRKEN_SMTP_PORT: String(port),
		MITWIRKEN_SMTP_USER: USER, MITWIRKEN_SMTP_PASSWORD_FILE: passwordFile,
		MITWIRKEN_SMTP_CAFILE: cert, MITWIRKEN_SMTP_TIMEOUT: '2', ...extra } });
	let out = '';
	child.stdout.on('data', (d) => { out += d; });
	child.stderr.on('data', (d) => { out += d; });
	return new Promise((resolve) => {
		const guard = setTimeout(() => child.kill('SIGKILL'), 60000);
		child.on('exit', (code, signal) => {
			clearTimeout(guard);
			resolve({ code, hung: signal === 'SIGKILL', out });
		});
	});
}

// Registers an account; returns its address and its verification mail's row.
async function queued(tag) {
	const email = uniqueEmail(tag);
	const pseudonym = `smtp-${tag}-${randomBytes(4).toString('hex')}`;
	await register(email, { pseudonym });
	const id = psql(`SELECT o.id FROM outbox o JOIN accounts a ON a.id = o.account_id
		WHERE a.pseudonym = '${pseudonym}'`);
	assert.match(id, /^\d+$/);
	return { email, id };
}

const row = (id) => {
	const [sent, attempts, due, error] = psql(`SELECT sent_at IS NOT NULL, attempts,
		next_attempt_at > now(), coalesce(last_error, '') FROM outbox WHERE id = ${id}`).split('|');
	return { sent: sent === 't', attempts: Number(attempts), later: due === 't', error };
};

test('mail goes to the relay over STARTTLS, signed in with the relay credentials', async () => {
	const r = await relay();
	try {
		const m = await queued('tls');
		const run = await mailer(r.port);
		assert.equal(run.code, 0, run.out);
		const ev = r.events();
		assert.ok(ev.some((e) => e.auth && e.user === USER && e.ok && e.tls), JSON.stringify(ev));
		const mail = ev.find((e) => e.message && e.message.includes(m.email));
		assert.ok(mail, `the relay got no mail for ${m.email}: ${run.out}`);
		assert.equal(mail.tls, true);
		assert.equal(mail.authenticated, true);
		assert.match(mail.data, /token=[A-Za-z0-9_-]{43}/);
		assert.equal(row(m.id).sent, true);
		assert.ok(!run.out.includes(PASSWORD), 'the password is never logged');
	} finally {
		r.stop();
	}
});

test('a relay without STARTTLS gets nothing: the mail stays queued', async () => {
	const r = await relay({ tls: false });
	try {
		const m = await queued('clear');
		const run = await mailer(r.port);
		assert.equal(run.code, 0, run.out);
		assert.deepEqual(r.events().filter((e) => e.message || e.auth), [],
			'nothing, not even the credentials, went over the clear connection');
		const o = row(m.id);
		assert.equal(o.sent, false);
		assert.match(o.error, /STARTTLS/);
		assert.match(run.out, /STARTTLS/);
	} finally {
		r.stop();
	}
});

test('wrong relay credentials: not delivered, retried later, password not logged', async () => {
	const r = await relay({ password: 'the-relay-wants-another' });
	try {
		const m = await queued('auth');
		const run = await mailer(r.port);
		assert.equal(run.code, 0, run.out);
		assert.ok(r.events().some((e) => e.auth && e.user === USER && !e.ok && e.tls));
		assert.ok(!r.events().some((e) => e.message), 'nothing delivered');
		let o = row(m.id);
		assert.equal(o.sent, false);
		assert.equal(o.attempts, 1);
		assert.equal(o.later, true, 'the next attempt waits (backoff)');
		assert.match(o.error, /credentials|authentication/i);
		assert.match(run.out, /credentials|authentication/i);
		assert.ok(!run.out.includes(PASSWORD));
		// Due again only after the backoff: a run now does not touch it.
		await mailer(r.port);
		assert.equal(row(m.id).attempts, 1);
		// Once due, the next attempt with the right password delivers.
		r.stop();
		const good = await relay();
		try {
			psql(`UPDATE outbox SET next_attempt_at = now() WHERE id = ${m.id}`);
			const again = await mailer(good.port);
			assert.equal(again.code, 0, again.out);
			o = row(m.id);
			assert.equal(o.sent, true, again.out);
			assert.equal(o.attempts, 2);
		} finally {
			good.stop();
		}
	} finally {
		r.stop();
	}
});

test('a relay that accepts and never answers: the mailer gives up and goes on', async () => {
	const sockets = [];
	const silent = net.createServer((s) => sockets.push(s));
	await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
	try {
		const m = await queued('hang');
		const run = await mailer(silent.address().port);
		assert.equal(run.hung, false, 'the mailer waited for the relay forever');
		assert.equal(run.code, 0, run.out);
		const o = row(m.id);
		assert.equal(o.sent, false);
		assert.match(o.error, /timed out|timeout/i);
	} finally {
		sockets.forEach((s) => s.destroy());
		silent.close();
	}
});
