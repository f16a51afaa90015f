// Shared helpers for the HTTP tests: the server under test is BASE_URL,
// its database DATABASE_URL, its log KORE_LOG (see tests/run.sh).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';

export const BASE = process.env.BASE_URL;
export const DATABASE_URL = process.env.DATABASE_URL;
export const PGDIR = process.env.MITWIRKEN_TEST_PGDIR || '';
export const PGPORT = process.env.MITWIRKEN_TEST_PGPORT || '';

if (!BASE) throw new Error('BASE_URL is not set; run the tests with make test');

// One request; returns status, headers, body text and parsed JSON if any.
export async function req(path, { method = 'GET', headers = {}, body } = {}) {
	const res = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	let json;
	if ((res.headers.get('content-type') || '').startsWith('application/json')) {
		try { json = JSON.parse(text); } catch { json = undefined; }
	}
	return { status: res.status, headers: res.headers, text, json };
}

// A raw request through node:http, for what fetch refuses to send.
export function raw(path, { method = 'GET', headers = {}, body } = {}) {
	const url = new URL(BASE + path);
	return new Promise((resolve, reject) => {
		const r = http.request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
				text: Buffer.concat(chunks).toString('utf8') }));
		});
		r.on('error', reject);
		if (body !== undefined) r.write(body);
		r.end();
	});
}

// A request over a plain socket that records what the server sent even if
// it then resets the connection: a server may answer 413 or 414 and close
// while the client is still sending.  Like a client sending "Expect:
// 100-continue", it gives the server a moment to answer the head before
// the body goes out, in chunks, until an answer arrives (a write into a
// closed connection would throw away the answer waiting to be read).
// status is the code of the status line that arrived, or null (then error
// says what happened instead), so a crashed worker is a failure, never
// taken for the expected refusal.  sent is how many body bytes went out
// before the answer or the close: fewer than the body means the server
// refused without reading it all.
export function rawExchange(path, { method = 'GET', headers = {}, body = '' } = {}, timeoutMs = 10000) {
	const url = new URL(BASE);
	const head = `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n` +
		Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
	const buf = Buffer.from(body);
	return new Promise((resolve) => {
		const chunks = [];
		let error = null, off = 0, done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			s.destroy();
			const data = Buffer.concat(chunks).toString('latin1');
			const m = data.match(/^HTTP\/1\.[01] (\d{3}) /);
			resolve({ status: m ? Number(m[1]) : null, data, error, sent: off });
		};
		const timer = setTimeout(() => { error = error || new Error('timeout'); finish(); }, timeoutMs);
		const s = net.connect(Number(url.port), url.hostname, () => {
			s.write(head);
			const pump = () => {
				while (off < buf.length && chunks.length === 0 && !s.destroyed) {
					const piece = buf.subarray(off, off + 65536);
					off += piece.length;
					if (!s.write(piece)) return s.once('drain', pump);
				}
			};
			setTimeout(pump, buf.length > 0 ? 500 : 0);
		});
		s.on('data', (d) => chunks.push(d));
		s.on('error', (e) => { error = e; finish(); });
		s.on('close', finish);
	});
}

export function psql(sql) {
	const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', DATABASE_URL, '-c', sql],
		{ encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
	return r.stdout.trim();
}

// Stops or starts the private test cluster (only when the tests own it).
export function pgctl(action, mode = 'fast') {
	const script = action === 'down'
		? `. src/tools/pg.sh; pg_down "${PGDIR}" ${mode}`
		: `. src/tools/pg.sh; pg_up "${PGDIR}" "${PGPORT}"`;
	const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
	if (r.status !== 0) throw new Error(`pg ${action} failed: ${r.stderr}${r.stdout}`);
}

export function koreLog() {
	return readFileSync(process.env.KORE_LOG, 'utf8');
}

export function expectError(r, status, code) {
	if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
	if (!r.json || !r.json.error) throw new Error(`expected a JSON error, got: ${r.text}`);
	if (code && r.json.error.code !== code) throw new Error(`expected code ${code}, got ${r.json.error.code}`);
	if (r.json.error.request_id !== r.headers.get('x-request-id'))
		throw new Error('request_id in the body differs from X-Request-Id');
	return r.json.error;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- accounts -------------------------------------------------------------
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const uniqueEmail = (tag = 'p') =>
	`${tag}-${randomBytes(5).toString('hex')}@example.org`;
export const PASSWORD = 'ein langes Passwort für Tests';

// Delivers the outbox once and returns the mails sent to `to`, newest last.
export function mailsTo(to) {
	const r = spawnSync(process.env.MAILER_BIN, ['--once'], { encoding: 'utf8',
		cwd: new URL('../..', import.meta.url).pathname });
	if (r.status !== 0) throw new Error(`mailer failed: ${r.stderr}`);
	const dir = process.env.MITWIRKEN_MAIL_DIR;
	let files = [];
	try { files = readdirSync(dir).sort(); } catch { return []; }
	return files.map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
		.filter((m) => m.includes(`To: <${to}>`));
}

export function linkToken(mail) {
	const m = mail.match(/token=([A-Za-z0-9_-]{43})/);
	if (!m) throw new Error(`no token link in mail:\n${mail}`);
	return m[1];
}

export const json = (method, path, body, headers = {}) => req(path, { method,
	headers: { 'content-type': 'application/json', ...headers },
	body: body === undefined ? undefined : JSON.stringify(body) });

export async function register(email, extra = {}) {
	// From an address of its own: sign-ups are limited per client address.
	const r = await json('POST', '/api/v1/accounts', { email, password: PASSWORD, ...extra },
		{ 'x-forwarded-for': clientIp() });
	if (r.status !== 202) throw new Error(`register: ${r.status} ${r.text}`);
	return r;
}

// Signs in; returns { token (bearer) | cookie, csrf, account }.
export async function login(email, { password = PASSWORD, kind = 'bearer', headers = {} } = {}) {
	const r = await json('POST', '/api/v1/session', { email, password, kind }, headers);
	if (r.status !== 200) throw new Error(`login: ${r.status} ${r.text}`);
	const setCookie = r.headers.get('set-cookie') || '';
	const cookie = (setCookie.match(/^(mw_session=[^;]+)/) || [])[1];
	return { token: r.json.token, cookie, csrf: r.json.csrf_token, account: r.json.account, res: r };
}

export const bearer = (s) => ({ authorization: `Bearer ${s.token}` });

// A signed-in account holding the given roles (granted in the database).
export async function accountWith(roles = [], department) {
	const email = uniqueEmail(roles[0] || 'citizen');
	await register(email);
	const s = await login(email);
	for (const role of roles) {
		const dept = role === 'staff'
			? `(SELECT id FROM departments WHERE slug = '${department}')` : 'NULL';
		psql(`INSERT INTO account_roles (account_id, role, department_id)
		      VALUES (${s.account.id}, '${role}', ${dept})`);
	}
	return { email, ...s };
}

export async function metric(name) {
	const m = (await req('/metrics')).text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
	return m ? Number(m[1]) : NaN;
}

// --- ideas ------------------------------------------------------------------

// A verified account (may publish) holding the given roles.
export async function member(roles = [], department) {
	const s = await accountWith(roles, department);
	psql(`UPDATE accounts SET verified_at = now() WHERE id = ${s.account.id}`);
	return { ...s, ip: clientIp() };
}

// Requests of one test come from their own client address (the tests trust
// X-Forwarded-For), so per-address submission limits do not add up.
export const clientIp = () => `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

export const as = (s, extra = {}) => ({ ...(s ? bearer(s) : {}), 'x-forwarded-for': s?.ip || '10.0.0.1', ...extra });

let ideaSeq = 0;
export function ideaBody(extra = {}) {
	ideaSeq++;
	return {
		title: `Idee Nummer ${ideaSeq} für Braunschweig`,
		description: 'Eine ausführliche Beschreibung, warum diese Idee der Stadt hilft.',
		field: 'mobilitaet',
		...extra,
	};
}

export async function postIdea(s, extra = {}) {
	const r = await json('POST', '/api/v1/ideas', ideaBody(extra), as(s));
	if (r.status !== 201) throw new Error(`postIdea: ${r.status} ${r.text}`);
	return r.json;
}

export async function decide(mod, kind, ids, decision, extra = {}) {
	return json('POST', '/api/v1/moderation/decisions', { kind, ids, decision, ...extra }, as(mod));
}

// A published idea (pre-moderation: submitted, then published).
export async function publishedIdea(author, mod, extra = {}) {
	const idea = await postIdea(author, extra);
	if (idea.state !== 'published') {
		const r = await decide(mod, 'idea', [idea.id], 'publish');
		if (r.status !== 200) throw new Error(`publish: ${r.status} ${r.text}`);
	}
	return idea;
}

export async function setting(admin, body) {
	const r = await json('PUT', '/api/v1/admin/settings', body, as(admin));
	if (r.status !== 200) throw new Error(`settings: ${r.status} ${r.text}`);
	return r.json;
}

// Starts the mailer as a service (no --once) and stops it once it has
// reported its first retention sweep; resolves with its output.  The guard
// only ends a mailer that never sweeps.
export function mailerSweeps(extra = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'mw-sweep-'));
	const child = spawn(process.env.MAILER_BIN, [], { env: { ...process.env,
		MITWIRKEN_MAIL_DIR: dir, ...extra } });
	let out = '';
	return new Promise((resolve) => {
		const guard = setTimeout(() => child.kill('SIGKILL'), 60000);
		const seen = (d) => {
			out += d;
			if (/retention: deleted/.test(out)) child.kill('SIGTERM');
		};
		child.stdout.on('data', seen);
		child.stderr.on('data', seen);
		child.on('exit', () => {
			clearTimeout(guard);
			rmSync(dir, { recursive: true, force: true });
			resolve(out);
		});
	});
}
