// The loopback cluster test's driver (tests/cluster/run.sh starts it with
// the cluster running; README "Cluster").  Each check prints "ok" or
// "FAIL"; the measurements are printed as they are taken; the last line
// is "N passed, N failed".  Kills, stops and promotions go through
// tests/cluster/ctl.sh.
//
// Outcomes of a write, as the client saw them (as in tests/crash):
//   acknowledged  201: must be in the database at the end, exactly once
//   unavailable   503 with Retry-After (PostgreSQL away): may be there
//   bad-gateway   502 from nginx: the node died with the request in it
//   reset/timeout the connection broke: unknown
// A 500 anywhere is a failure.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import net from 'node:net';

const NGINX = process.env.CT_NGINX;
const NODES = process.env.CT_NODES.trim().split(/\s+/);
const CL = process.env.CT_CL;
const PG = { 1: process.env.CT_PG1, 2: process.env.CT_PG2 };
const BUDGET_MS = Number(process.env.CLUSTER_BUDGET || 240) * 1000;
const PASSWORD = 'ein langes Passwort für den Cluster-Test';
const TAG = Date.now().toString(36);
const started = Date.now();
const now = () => Date.now() - started;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (m) => console.log(`[${(now() / 1000).toFixed(1).padStart(5)}s] ${m}`);
let passed = 0, failed = 0;
const check = (name, ok, detail = '') => {
	if (ok) passed++; else failed++;
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
	return ok;
};
const measured = {};
const measure = (name, value) => { measured[name] = value; console.log(`MEASURED ${name}: ${value}`); };
const deadline = () => { if (now() > BUDGET_MS) throw new Error(`over the budget of ${BUDGET_MS / 1000} s`); };

// --- tools -----------------------------------------------------------------

function sh(cmd, args, timeoutMs = 60000) {
	return new Promise((resolve) => {
		const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { err += d; });
		p.on('close', (code) => { clearTimeout(t); resolve({ code, out: out.trim(), err: err.trim() }); });
	});
}
async function ctl(...args) {
	const r = await sh('sh', ['tests/cluster/ctl.sh', ...args]);
	if (r.code !== 0) throw new Error(`ctl ${args.join(' ')}: ${r.err} ${r.out}`);
	return r.out;
}
// Asynchronous psql: the load goes on meanwhile.
async function psql(which, sql) {
	const r = await sh('psql', ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', PG[which], '-c', sql], 30000);
	if (r.code !== 0) throw new Error(`psql pg${which}: ${r.err}`);
	return r.out;
}

const REQUEST_MS = 15000;
async function send(base, method, path, body, headers = {}) {
	const t0 = performance.now();
	try {
		const res = await fetch(base + path, {
			method, signal: AbortSignal.timeout(REQUEST_MS),
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try { json = JSON.parse(text); } catch { json = undefined; }
		return { kind: 'status', status: res.status, json, text, h: res.headers, ms: performance.now() - t0 };
	} catch (e) {
		if (e.name === 'TimeoutError') return { kind: 'timeout' };
		const code = e.cause?.code || e.cause?.cause?.code;
		return { kind: code === 'ECONNREFUSED' ? 'refused' : 'reset', error: code || e.message };
	}
}
const upstream = (r) => r.h?.get('x-upstream-addr') ?? '';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };

// --- accounts ----------------------------------------------------------------

async function account(base, name, kind = 'bearer') {
	const email = `cl-${TAG}-${name}@example.org`;
	const r = await send(base, 'POST', '/api/v1/accounts', { email, password: PASSWORD });
	if (r.status !== 202) throw new Error(`register ${name}: ${r.status} ${r.text}`);
	return email;
}
async function login(base, email, kind) {
	const r = await send(base, 'POST', '/api/v1/session', { email, password: PASSWORD, kind });
	if (r.status !== 200) throw new Error(`login: ${r.status} ${r.text}`);
	const cookie = (/(__Host-mw_session=[^;]+)/.exec(r.h.get('set-cookie') || '') || [])[1];
	return { token: r.json.token, csrf: r.json.csrf_token, id: r.json.account.id, cookie, setCookie: r.h.get('set-cookie') };
}
let fields = [];
const ideaBody = (title) => ({ title, description: `Beschreibung von ${title}: mehr Bäume im Viertel.`,
	field: fields[title.length % fields.length] });

// --- 1. nodes are interchangeable -------------------------------------------

async function interchangeable() {
	say('nodes are interchangeable: one cookie session across nodes, an idempotent retry on the other');
	const [A, B] = NODES;
	const email = await account(A, 'alt');
	// Directly against the node ports: sign in on A, act on B, sign out on A.
	const s = await login(A, email, 'cookie');
	check('sign-in on node A sets a Secure __Host- cookie (MITWIRKEN_BEHIND_TLS=1)',
		!!s.cookie && /;\s*Secure/i.test(s.setCookie), s.setCookie?.slice(0, 60));
	const auth = { cookie: s.cookie, 'x-csrf-token': s.csrf };
	const me = await send(B, 'GET', '/api/v1/me', undefined, { cookie: s.cookie });
	check('the session from node A is valid on node B', me.status === 200 && (me.json?.account?.id ?? me.json?.id) === s.id,
		`${me.status}`);
	const key = randomUUID();
	const body = ideaBody(`Cluster ${TAG} alt`);
	const first = await send(B, 'POST', '/api/v1/ideas', body, { ...auth, 'idempotency-key': key });
	check('a POST with the session and its CSRF token on node B is accepted', first.status === 201,
		`${first.status} ${first.text?.slice(0, 120)}`);
	const again = await send(A, 'POST', '/api/v1/ideas', body, { ...auth, 'idempotency-key': key });
	check('the same POST with the same Idempotency-Key on node A returns the stored answer',
		again.status === first.status && again.text === first.text &&
		again.h.get('idempotent-replayed') === 'true', `${again.status} replayed=${again.h?.get('idempotent-replayed')}`);
	const n = await psql(1, `SELECT count(*) FROM ideas WHERE title = '${body.title}'`);
	check('the idea was written once', n === '1', n);
	const out = await send(A, 'DELETE', '/api/v1/session', undefined, auth);
	check('sign-out on node A', out.status === 204 || out.status === 200, `${out.status}`);
	const gone = await send(B, 'GET', '/api/v1/me', undefined, { cookie: s.cookie });
	check('after sign-out on A, node B refuses the session', gone.status === 401, `${gone.status}`);

	// Through nginx: the same session lands on both nodes.
	const t = await login(NGINX, email, 'cookie');
	const seen = new Set();
	let allOk = true;
	for (let i = 0; i < 8; i++) {
		const r = await send(NGINX, 'GET', '/api/v1/me', undefined, { cookie: t.cookie });
		allOk &&= r.status === 200 && (r.json?.account?.id ?? r.json?.id) === t.id;
		seen.add(upstream(r));
	}
	check('through nginx, one session is served by every node', allOk && seen.size === NODES.length,
		[...seen].join(' '));
	const key2 = randomUUID();
	const body2 = ideaBody(`Cluster ${TAG} alt nginx`);
	const h2 = { cookie: t.cookie, 'x-csrf-token': t.csrf, 'idempotency-key': key2,
		origin: NGINX, 'sec-fetch-site': 'same-origin' };
	const p1 = await send(NGINX, 'POST', '/api/v1/ideas', body2, h2);
	let replayedElsewhere = false, sameAnswers = true;
	for (let i = 0; i < 6 && !replayedElsewhere; i++) {
		const p2 = await send(NGINX, 'POST', '/api/v1/ideas', body2, h2);
		sameAnswers &&= p2.status === p1.status && p2.text === p1.text && p2.h.get('idempotent-replayed') === 'true';
		replayedElsewhere = upstream(p2) !== upstream(p1);
	}
	check('through nginx, an idempotent retry answered by the other node returns the stored answer',
		p1.status === 201 && sameAnswers && replayedElsewhere, `${p1.status} ${upstream(p1)}`);
	const del = await send(NGINX, 'DELETE', '/api/v1/session', undefined,
		{ cookie: t.cookie, 'x-csrf-token': t.csrf, origin: NGINX });
	let refused = true;
	for (let i = 0; i < 4; i++)
		refused &&= (await send(NGINX, 'GET', '/api/v1/me', undefined, { cookie: t.cookie })).status === 401;
	check('through nginx, sign-out holds on every node', (del.status === 204 || del.status === 200) && refused,
		`${del.status}`);
}

// --- 2. what nginx refuses ---------------------------------------------------

// One raw request on a fresh TLS (nginx) or TCP (node) connection; the
// status line of the answer, or '' when the server closed without one.
function raw(base, text) {
	const u = new URL(base);
	return new Promise((resolve) => {
		const opts = { host: u.hostname, port: Number(u.port), servername: undefined,
			ca: readFileSync(`${CL}/nginx/cert.pem`) };
		const sock = u.protocol === 'https:' ? tls.connect(opts) : net.connect(opts);
		let got = '';
		const done = () => { sock.destroy(); resolve(got); };
		sock.setTimeout(3000, done);
		sock.on('data', (d) => { got += d.toString('latin1'); if (got.includes('\r\n\r\n')) done(); });
		sock.on('error', done);
		sock.on('end', done);
		sock.on(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => sock.write(text));
	});
}
const statusOf = (resp) => Number((/^HTTP\/1\.[01] (\d{3})/.exec(resp) || [])[1] || 0);

async function smuggling() {
	say('request smuggling and duplicate headers against nginx (raw sockets)');
	const host = new URL(NGINX).host;
	const cases = [
		['Content-Length with Transfer-Encoding', 'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n', [400]],
		['Transfer-Encoding before Content-Length', 'Transfer-Encoding: chunked\r\nContent-Length: 4\r\n', '0\r\n\r\n', [400]],
		['two Content-Lengths, different values', 'Content-Length: 2\r\nContent-Length: 7\r\n', '{}', [400]],
		['two Content-Lengths, the same value', 'Content-Length: 2\r\nContent-Length: 2\r\n', '{}', [400]],
		['Content-Length: 2, 2 (a list)', 'Content-Length: 2, 2\r\n', '{}', [400]],
		['Transfer-Encoding folded onto a continuation line (obs-fold)', 'Transfer-Encoding:\r\n chunked\r\n', '0\r\n\r\n', [400]],
		['obs-fold in another header', 'X-Note: a\r\n b\r\nContent-Length: 2\r\n', '{}', [400]],
		['Transfer-Encoding: xchunked', 'Transfer-Encoding: xchunked\r\n', '0\r\n\r\n', [501, 400]],
		['Transfer-Encoding: chunked, identity', 'Transfer-Encoding: chunked, identity\r\n', '0\r\n\r\n', [501, 400]],
		['space before the colon', 'Content-Length : 2\r\n', '{}', [400]],
		['Transfer-Encoding with a tab-prefixed value and Content-Length', 'Content-Length: 2\r\nTransfer-Encoding:\tchunked\r\n', '0\r\n\r\n', [400, 501]],
		['a header name with a control character', 'X-No\x01te: a\r\nContent-Length: 2\r\n', '{}', [400]],
	];
	const kore = [];
	for (const [i, [name, headers, body, want]] of cases.entries()) {
		const msg = (path, h) => `POST ${path} HTTP/1.1\r\nHost: ${h}\r\n${headers}Connection: close\r\n\r\n${body}`;
		const st = statusOf(await raw(NGINX, msg(`/smuggle-${TAG}-${i}`, host)));
		check(`nginx refuses: ${name}`, want.includes(st), `status ${st || 'none'}`);
		// What the node itself does with it (for the note, not a check).
		kore.push(`${statusOf(await raw(NODES[0], msg(`/direct-${TAG}-${i}`, new URL(NODES[0]).host))) || 'closed'}`);
	}
	await sleep(500);
	let reached = 0;
	for (let n = 1; n <= NODES.length; n++) {
		try {
			reached += readFileSync(`${CL}/node${n}/kore.log`, 'utf8').split('\n')
				.filter((l) => l.includes(`/smuggle-${TAG}-`)).length;
		} catch { /* no log */ }
	}
	check('none of the refused requests reached a node (node logs)', reached === 0, `${reached} log lines`);
	measure('the same requests sent to a node directly (Kore 4.1), statuses', kore.join(' '));
	// A chunked upload, which Kore alone answers 411, arrives whole.
	const chunked = `POST /api/v1/ideas HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
		'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n';
	const c = statusOf(await raw(NGINX, chunked));
	check('a chunked request body reaches the node de-chunked (not 411)', c !== 411 && c >= 400 && c < 500 && c !== 400,
		`status ${c}`);
	const big = statusOf(await raw(NGINX, `POST /api/v1/ideas HTTP/1.1\r\nHost: ${host}\r\n` +
		`Content-Type: application/json\r\nContent-Length: ${200 * 1024 * 1024}\r\nConnection: close\r\n\r\n{`));
	check('a body over client_max_body_size is refused by nginx with 413 before it is sent', big === 413, `status ${big}`);
}

// --- 3. TLS, gzip, headers -----------------------------------------------------

async function edge() {
	say('TLS, gzip and headers at nginx');
	const r = await send(NGINX, 'GET', '/', undefined, { 'accept-encoding': 'gzip' });
	check('HTML is gzipped', r.status === 200 && r.h.get('content-encoding') === 'gzip', r.h.get('content-encoding'));
	const j = await send(NGINX, 'GET', '/api/v1/fields', undefined, { 'accept-encoding': 'gzip' });
	check('JSON is gzipped', j.status === 200 && j.h.get('content-encoding') === 'gzip', j.h.get('content-encoding'));
	check('HSTS is sent behind TLS', /max-age=\d+/.test(r.h.get('strict-transport-security') || ''));
	const plain = await sh('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3',
		`http://${new URL(NGINX).host}/`]);
	check('plain HTTP on the TLS port gets no page', plain.out === '400' || plain.code !== 0, plain.out);
}

// --- load ----------------------------------------------------------------------

let stopping = false;
let phase = 'setup';
const attempts = [];	// { title, phase, outcome, keyed }
const counts = {};	// phase -> outcome -> n
const bump = (what) => { counts[phase] ??= {}; counts[phase][what] = (counts[phase][what] || 0) + 1; };
const outcomeOf = (r) => {
	if (r.kind !== 'status') return r.kind;
	if (r.status === 201 || r.status === 200) return 'ok';
	if (r.status === 503) return r.h.get('retry-after') ? 'unavailable' : 'unavailable-without-retry-after';
	if (r.status === 502 || r.status === 504) return `bad-gateway-${r.status}`;
	return `http-${r.status}`;
};
let lastAck = 0;
const keyed = { sent: 0, retried: 0, unresolved: 0, replayed: 0 };

async function writer(w, token) {
	for (let n = 0; !stopping; n++) {
		const title = `Cluster ${TAG} w${w} n${n}`;
		const a = { title, phase, keyed: w % 2 === 0 };
		attempts.push(a);
		const headers = { authorization: `Bearer ${token}` };
		let r;
		if (a.keyed) {
			// A careful client: the same key until the answer is known.
			// 409 idempotency_in_progress: the key's request still runs,
			// or its node died and the key is not free yet (README
			// "Idempotency-Key": a retry takes it over once the dead
			// worker's lock is gone), so ask again.  409
			// idempotency_carried_out: the write committed but its node
			// died before answering; the client stops (and looks it up).
			headers['idempotency-key'] = randomUUID();
			keyed.sent++;
			for (let tries = 0; ; tries++) {
				r = await send(NGINX, 'POST', '/api/v1/ideas', ideaBody(title), headers);
				const o = outcomeOf(r);
				const waiting = r.status === 409 && r.json?.error?.code === 'idempotency_in_progress';
				if (o === 'ok' || (o.startsWith('http-4') && !waiting) || tries >= 150) {
					a.tries = tries;
					if (tries) keyed.retried++;
					if (o !== 'ok') keyed.unresolved++;
					if (r.status === 409) a.held = r.json?.error?.code;
					if (r.h?.get('idempotent-replayed') === 'true') keyed.replayed++;
					break;
				}
				bump(`keyed retry after ${waiting ? 'idempotency_in_progress' : o}`);
				await sleep(200);
			}
		} else {
			r = await send(NGINX, 'POST', '/api/v1/ideas', ideaBody(title), headers);
		}
		a.outcome = outcomeOf(r);
		a.phase = phase;
		bump(`write ${a.outcome}`);
		if (a.outcome === 'ok') { lastAck = now(); a.ackAt = lastAck; }
		if (r.kind === 'status' && r.status >= 500 && r.status !== 502 && r.status !== 503 && r.status !== 504)
			check(`no ${r.status} from a write (${phase})`, false, r.text.slice(0, 200));
		await sleep(a.outcome === 'ok' ? 5 : 100);
	}
}

// Readers: the public lists and statistics (the replica's routes when
// the replica pool exists), by node as nginx chose it.
const READS = ['/api/v1/ideas?limit=10', '/api/v1/fields', '/api/v1/defects.geojson', '/api/v1/stats/dashboard',
	'/open311/v2/requests.json'];

// Statements run per pool, summed over the nodes (the replica branch's
// mitwirken_db_queries_total{pool=...}).
async function poolCounts() {
	const c = { primary: 0, replica: 0 };
	for (const n of NODES) {
		const t = (await send(n, 'GET', '/metrics')).text || '';
		for (const m of t.matchAll(/^mitwirken_db_queries_total\{pool="(\w+)"\} (\d+)$/gm)) c[m[1]] = (c[m[1]] || 0) + Number(m[2]);
	}
	return c;
}
let readPaths = READS;
const served = {};	// upstream -> count, per phase
async function reader(w) {
	for (let n = 0; !stopping; n++) {
		const r = await send(NGINX, 'GET', readPaths[(w + n) % readPaths.length]);
		const o = outcomeOf(r);
		bump(`read ${o}`);
		if (o === 'ok') {
			served[phase] ??= {};
			served[phase][upstream(r)] = (served[phase][upstream(r)] || 0) + 1;
		}
		await sleep(o === 'ok' ? 10 : 100);
	}
}

function enter(name) { phase = name; say(`phase ${name}`); }
const failuresIn = (p, kind) => Object.entries(counts[p] || {})
	.filter(([k]) => k.startsWith(kind) && !k.endsWith(' ok')).reduce((s, [, v]) => s + v, 0);

async function until(fn, boundMs, every = 100) {
	const t0 = now();
	while (now() - t0 < boundMs) { if (await fn()) return now() - t0; await sleep(every); }
	return null;
}

// Replica lag on the primary pgN, sampled while the load runs.
const lagSamples = [];
let sampling = null;
function sampleLag(which) {
	let on = true;
	const run = (async () => {
		while (on) {
			try {
				const out = await psql(which, `SELECT coalesce(extract(epoch FROM replay_lag) * 1000, 0)::int,
					coalesce(extract(epoch FROM flush_lag) * 1000, 0)::int,
					pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, sync_state
					FROM pg_stat_replication LIMIT 1`);
				if (out) { const [replay, flush, bytes, st] = out.split('|'); lagSamples.push({ replay: +replay, flush: +flush, bytes: +bytes, st }); }
			} catch { /* the primary may be gone */ }
			await sleep(250);
		}
	})();
	return async () => { on = false; await run; };
}

// --- 4. kill -9 a node under load ------------------------------------------------

async function killNode() {
	enter('node-kill');
	const victim = NODES.length;
	const addr = new URL(NODES[victim - 1]).host;
	await ctl('kill-node', String(victim));
	const t0 = now();
	say(`killed node ${victim} (${addr}) with SIGKILL, the whole process group`);
	await sleep(4000);
	enter('node-restart');
	await ctl('start-node', String(victim));
	say(`node ${victim} started again`);
	const t1 = now();
	const back = await until(() => (served['node-restart']?.[addr] || 0) > 0, 15000);
	check('nginx routes to the restarted node again', back !== null, back === null ? 'never' : `${back} ms after its start`);
	if (back !== null) measure('restarted node serving through nginx again after', `${back} ms (fail_timeout 3 s)`);
	await sleep(2000);
	const readFails = failuresIn('node-kill', 'read') + failuresIn('node-restart', 'read');
	check('no read failed while a node was killed (nginx passed GETs to the next node)', readFails === 0,
		JSON.stringify({ ...counts['node-kill'] }));
	const bad = attempts.filter((a) => (a.phase === 'node-kill' || a.phase === 'node-restart') && !a.keyed && a.outcome && a.outcome !== 'ok');
	check(`unkeyed writes that failed are at most the in-flight ones (≤ ${WRITERS} writers)`, bad.length <= WRITERS,
		bad.map((a) => a.outcome).join(' ') || 'none');
	// Every keyed write the kill interrupted succeeds on retry: a request
	// that died before its write committed runs again (once; the final
	// check finds no title twice), one that died after it is reported as
	// carried out, and its idea is there.
	const killPhase = (a) => a.phase === 'node-kill' || a.phase === 'node-restart';
	const keyedBad = attempts.filter((a) => killPhase(a) && a.keyed && a.outcome && a.outcome !== 'ok');
	const carried = keyedBad.filter((a) => a.held === 'idempotency_carried_out');
	const carriedThere = carried.length ? Number(await psql(1, `SELECT count(*) FROM ideas WHERE title IN
		(${carried.map((a) => `'${a.title}'`).join(', ')})`)) : 0;
	check('writes with an Idempotency-Key interrupted by the kill succeeded on retry (or were reported carried out, and are stored)',
		keyedBad.length === carried.length && carriedThere === carried.length,
		keyedBad.map((a) => `${a.outcome} ${a.held ?? ''}`).join(', ') || 'none');
	const retriedKeyed = attempts.filter((a) => killPhase(a) && a.keyed && a.tries > 0);
	measure('keyed writes retried around the kill', `${retriedKeyed.length} (${retriedKeyed.filter((a) => a.outcome === 'ok').length} ` +
		`then succeeded, ${carried.length} carried out without an answer; most tries ${Math.max(0, ...retriedKeyed.map((a) => a.tries))})`);
	void t0; void t1;
}

// --- 5. stop the replica ----------------------------------------------------------

async function stopReplica(replicaPool) {
	// With synchronous replication a primary without its standby waits
	// for ever on each commit: the operator switches to asynchronous
	// first (README "Cluster").  So does the test.
	await ctl('sync', '1', '0');
	const before = await poolCounts();
	enter('replica-down');
	await ctl('stop-pg', '2');
	say('replica stopped (pg_ctl stop -m fast)');
	const t0 = await poolCounts();
	await sleep(5000);
	const t1 = await poolCounts();
	if (replicaPool) {
		measure('statements per pool before the replica stop, and while it was down (5 s)',
			`before: replica ${before.replica}, primary ${before.primary}; down: replica +${t1.replica - t0.replica}, primary +${t1.primary - t0.primary}`);
		check('with the replica down, the heavy reads ran on the primary', t1.replica - t0.replica === 0 && t1.primary > t0.primary,
			`replica +${t1.replica - t0.replica}`);
	}
	const f = failuresIn('replica-down', 'read') + failuresIn('replica-down', 'write');
	check(`replica stopped: nothing failed${replicaPool ? ' (heavy reads moved to the primary)' : ' (no replica pool on this branch: reads were on the primary)'}`,
		f === 0, JSON.stringify(counts['replica-down'] || {}));
	enter('replica-back');
	await ctl('start-pg', '2');
	const caught = await until(async () => (await psql(1,
		"SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND replay_lsn = pg_current_wal_lsn()")) === '1' ||
		(await psql(1, "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 1e9) FROM pg_stat_replication")) < 65536,
		20000, 200);
	check('the replica catches up from its slot after a restart', caught !== null, caught === null ? 'not in 20 s' : `${caught} ms`);
	await ctl('sync', '1', '1');
	await sleep(1000);
}

// --- 6. crash the primary, promote the replica -----------------------------------

const crashTimes = {};
async function failover(from, to, label) {
	enter(`${label}-crash`);
	const t0 = now();
	await ctl('crash-pg', String(from));
	say(`pg${from} crashed (pg_ctl stop -m immediate)`);
	const crashedAt = now();
	crashTimes[label] = crashedAt;
	// The operator's step; done at once here, so the time measured is
	// the system's, not a person's.
	await ctl('promote', String(to));
	const promotedAt = now();
	say(`pg${to} promoted in ${promotedAt - crashedAt} ms`);
	enter(`${label}-promoted`);
	const first = await until(() => lastAck > promotedAt, 30000, 10);
	check(`${label}: writes resume on the promoted replica without restarting a node`, first !== null,
		first === null ? 'not within 30 s' : '');
	if (first !== null)
		measure(`${label}: primary crash to first acknowledged write`, `${lastAck - t0} ms ` +
			`(promotion ${promotedAt - crashedAt} ms, then ${lastAck - promotedAt} ms to the nodes' first write on the new primary)`);
	await sleep(3000);
	const p = [`${label}-crash`, `${label}-promoted`];
	const five = p.flatMap((x) => Object.entries(counts[x] || {})).filter(([k]) => / http-5|unavailable-without/.test(k));
	check(`${label}: clients saw 503 with Retry-After in between, never a 500`, five.length === 0,
		JSON.stringify(p.map((x) => counts[x] || {})));
	return to;
}

// --- verification ----------------------------------------------------------------

async function verify(which, phases) {
	const rows = new Map();
	const out = await psql(which, `SELECT title, count(*) FROM ideas WHERE title LIKE 'Cluster ${TAG} w%' GROUP BY title`);
	for (const line of out.split('\n').filter(Boolean)) { const [t, c] = line.split('|'); rows.set(t, Number(c)); }
	const acked = attempts.filter((a) => a.outcome === 'ok' && phases(a.phase));
	const lost = acked.filter((a) => !rows.has(a.title));
	const twice = [...rows.values()].filter((c) => c > 1).length;
	return { acked: acked.length, lost, twice };
}

// --- measurements -----------------------------------------------------------------

// wrk for D seconds with C connections against URL; requests per second.
async function wrk(url, c = 32, d = 4) {
	const r = await sh('wrk', ['-t2', `-c${c}`, `-d${d}s`, '--latency', url], (d + 10) * 1000);
	const rps = Number((/Requests\/sec:\s+([\d.]+)/.exec(r.out) || [])[1] || 0);
	const p50 = (/50%\s+([\d.]+\w+)/.exec(r.out) || [])[1] || '?';
	const non2xx = Number((/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.out) || [])[1] || 0);
	return { rps, p50, non2xx };
}

async function throughput() {
	say('throughput: one node directly, every node directly at once, every node behind nginx (wrk, 4 s each)');
	const path = '/api/v1/ideas?limit=10';
	await wrk(NODES[0] + path, 8, 1);
	const one = await wrk(NODES[0] + path);
	const all = await Promise.all(NODES.map((n) => wrk(n + path, Math.ceil(32 / NODES.length))));
	const viaNginx = await wrk(NGINX + path);
	measure(`GET ${path}, one node (1 worker) directly`, `${one.rps.toFixed(0)} req/s, p50 ${one.p50}`);
	measure(`GET ${path}, ${NODES.length} nodes directly at once`, `${all.reduce((s, x) => s + x.rps, 0).toFixed(0)} req/s`);
	measure(`GET ${path}, ${NODES.length} nodes behind nginx (TLS, keep-alive)`, `${viaNginx.rps.toFixed(0)} req/s, p50 ${viaNginx.p50}`);
	measure(`ratio nginx(${NODES.length} nodes) / one node`, (viaNginx.rps / one.rps).toFixed(2));
	check('no errors under the throughput runs', one.non2xx + viaNginx.non2xx + all.reduce((s, x) => s + x.non2xx, 0) === 0);
}

async function latency() {
	const path = '/api/v1/fields';
	const direct = [], proxied = [];
	for (let i = 0; i < 300; i++) {
		direct.push((await send(NODES[0], 'GET', path)).ms);
		proxied.push((await send(NGINX, 'GET', path)).ms);
	}
	const d = median(direct), p = median(proxied);
	measure(`nginx's added latency (GET ${path}, one keep-alive client, medians of 300)`,
		`direct ${d.toFixed(2)} ms, through nginx with TLS ${p.toFixed(2)} ms, added ${(p - d).toFixed(2)} ms`);
}

// --- main ---------------------------------------------------------------------

const WRITERS = 4, READERS = 2;

async function main() {
	say(`nginx ${NGINX}, nodes ${NODES.join(' ')}`);
	fields = (await send(NGINX, 'GET', '/api/v1/fields')).json.fields.map((x) => x.slug);
	const metrics = (await send(NODES[0], 'GET', '/metrics')).text;
	const replicaPool = /replica/i.test(metrics);
	// Heavy reads exist on this branch?  Keep only the routes that answer.
	const live = [];
	for (const p of READS) if ((await send(NGINX, 'GET', p)).status === 200) live.push(p);
	readPaths = live;
	say(`read routes: ${readPaths.join(' ')}; replica pool: ${replicaPool ? 'yes' : 'no'}`);

	await interchangeable();
	await smuggling();
	await edge();
	await latency();
	await throughput();
	deadline();

	// The load for the failures: writers with their own accounts.
	const tokens = [];
	for (let w = 0; w < WRITERS; w++) {
		const email = await account(NGINX, `w${w}`);
		tokens.push((await login(NGINX, email, 'bearer')).token);
	}
	enter('warm');
	const stopLag = sampleLag(1);
	const load = [...tokens.map((t, w) => writer(w, t)), ...Array.from({ length: READERS }, (_, w) => reader(w))];
	let failure;
	try {
		await sleep(3000);
		await killNode();
		deadline();
		await stopLag();
		const rl = lagSamples.filter((s) => s.st);
		if (rl.length) measure(`replica lag under ${WRITERS} writers and ${READERS} readers (synchronous)`,
			`replay lag median ${median(rl.map((s) => s.replay))} ms, max ${Math.max(...rl.map((s) => s.replay))} ms; ` +
			`flush lag max ${Math.max(...rl.map((s) => s.flush))} ms; bytes behind max ${Math.max(...rl.map((s) => s.bytes))} (${rl.length} samples)`);
		await stopReplica(replicaPool);
		deadline();
		// Synchronous: no acknowledged write may be lost.
		await failover(1, 2, 'sync');
		deadline();
		// Asynchronous: pg1 rebuilt as pg2's replica, then pg2 crashes.
		enter('rebuild');
		await ctl('sync', '2', '0');
		await ctl('rebuild', '1', '2');
		say('pg1 rebuilt as an asynchronous replica of pg2');
		lagSamples.length = 0;
		const stop2 = sampleLag(2);
		await sleep(3000);
		await stop2();
		const al = lagSamples.filter((s) => s.st);
		if (al.length) measure('replica lag, asynchronous, same load', `replay lag median ${median(al.map((s) => s.replay))} ms, max ` +
			`${Math.max(...al.map((s) => s.replay))} ms; bytes behind max ${Math.max(...al.map((s) => s.bytes))}`);
		await failover(2, 1, 'async');
		enter('after');
		await sleep(2000);
	} catch (e) {
		failure = e;
	} finally {
		stopping = true;
		await Promise.all(load);
	}
	if (failure) check('the run completed', false, failure.message);

	// Every acknowledged write of every phase before the asynchronous
	// failover is on the final primary (pg1, made from pg2 after the
	// synchronous failover); those of the asynchronous phases are counted.
	say('verifying on the final primary');
	const before = await verify(1, (p) => !p.startsWith('async') && p !== 'rebuild' && p !== 'after');
	check(`no acknowledged write lost through node kill, replica stop and synchronous failover (${before.acked} acknowledged)`,
		before.lost.length === 0, before.lost.slice(0, 3).map((a) => `${a.title} (${a.phase})`).join(', '));
	const asyncAll = await verify(1, (p) => p === 'rebuild' || p.startsWith('async') || p === 'after');
	const t = crashTimes.async ?? 0;
	const window = attempts.filter((a) => a.outcome === 'ok' && a.ackAt > t - 1000 && a.ackAt <= t);
	measure('asynchronous failover: acknowledged writes lost', `${asyncAll.lost.length} of ${asyncAll.acked} ` +
		`acknowledged since the rebuild (${window.length} were acknowledged in the last second before the crash)`);
	check('no write stored twice (idempotent retries)', before.twice + asyncAll.twice === 0, `${before.twice + asyncAll.twice}`);
	// The client's check for a held key: was it written?  Either way
	// once at most (above); reported for the note.
	const held = attempts.filter((a) => a.held);
	const heldWritten = held.length ? Number(await psql(1, `SELECT count(*) FROM ideas WHERE title IN
		(${held.map((a) => `'${a.title}'`).join(', ')})`)) : 0;
	measure('keyed writes', `${keyed.sent} sent, ${keyed.retried} retried, ${keyed.replayed} answered by a replay, ` +
		`${held.length} ended with a 409 (${held.map((a) => a.held).join(' ') || 'none'}; ${heldWritten} of them committed)`);
	check('keyed writes are resolved but for keys reported carried out or unknown', keyed.unresolved === held.length,
		`${keyed.unresolved} vs ${held.length}`);
	const total = {};
	for (const c of Object.values(counts)) for (const [k, n] of Object.entries(c)) total[k] = (total[k] || 0) + n;
	console.log(`outcomes: ${JSON.stringify(total)}`);
	for (const [p, c] of Object.entries(counts)) console.log(`  ${p.padEnd(16)} ${JSON.stringify(c)}`);
	console.log(`run time ${(now() / 1000).toFixed(1)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

process.on('SIGTERM', () => { stopping = true; process.exit(143); });
main().catch((e) => { console.log(`FAIL ${e.stack}`); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); });
