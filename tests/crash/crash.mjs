// The crash test's driver (tests/crash/run.sh starts it; README "Crash
// durability").  Writers post under load and record each attempt and its
// outcome; the phases kill a Kore worker, the Kore parent and PostgreSQL
// through tests/crash/ctl.sh; then the database is compared with what the
// clients were told.  Exit status 1 on any violation.
//
// Outcomes of a write:
//   acknowledged  201 (idea) or 202 (registration): must be in the
//                 database, complete, exactly as sent
//   rejected      any other 4xx: must not be in the database
//   unavailable   503: may be in the database (PostgreSQL crashed after
//                 the commit, before the answer) but never half
//   reset         the connection broke (a killed process): unknown
//   refused       nothing was listening: never sent
//   timeout       no answer within REQUEST_MS: unknown
// and 500 (or any other 5xx) is a violation wherever it appears.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const BASE = process.env.CRASH_URL;
const DATABASE_URL = process.env.DATABASE_URL;
const LOG = process.env.CRASH_LOG;
const BUDGET_MS = Number(process.env.CRASH_BUDGET || 240) * 1000;
const REQUEST_MS = 10000;
const PASSWORD = 'ein langes Passwort für den Crash-Test';
const TAG = Date.now().toString(36);

const started = Date.now();
const now = () => Date.now() - started;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const violations = [];
const violation = (msg) => { violations.push(msg); console.log(`VIOLATION ${msg}`); };
const say = (msg) => console.log(`[${(now() / 1000).toFixed(1).padStart(5)}s] ${msg}`);

if (!BASE || !DATABASE_URL || !LOG) throw new Error('run through tests/crash/run.sh (make crash-test)');

// --- tools -----------------------------------------------------------------

// The kills and restarts, asynchronously: the writers go on meanwhile.
function ctl(...args) {
	return new Promise((resolve) => {
		const p = spawn('sh', ['tests/crash/ctl.sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { err += d; });
		p.on('close', (code) => resolve({ code, out: out.trim(), err: err.trim() }));
	});
}

async function ctlOk(...args) {
	const r = await ctl(...args);
	if (r.code !== 0) throw new Error(`ctl ${args.join(' ')} failed: ${r.err}${r.out}`);
	return r.out;
}

// Only outside the load (set-up and verification): it blocks.
function psql(sql) {
	const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', DATABASE_URL, '-c', sql],
		{ encoding: 'utf8', maxBuffer: 1 << 28 });
	if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
	return r.stdout.trim();
}

// One request; never throws.  kind: 'status' (with status, retryAfter,
// json) or a transport failure ('reset', 'refused', 'timeout').
async function send(method, path, body, headers = {}) {
	try {
		const res = await fetch(BASE + path, {
			method, signal: AbortSignal.timeout(REQUEST_MS),
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try { json = JSON.parse(text); } catch { json = undefined; }
		return { kind: 'status', status: res.status, retryAfter: res.headers.get('retry-after'), json, text,
			headers: { replayed: res.headers.get('idempotent-replayed') === 'true',
				location: res.headers.get('location') } };
	} catch (e) {
		if (e.name === 'TimeoutError') return { kind: 'timeout' };
		const code = e.cause?.code || e.cause?.cause?.code;
		return { kind: code === 'ECONNREFUSED' ? 'refused' : 'reset', error: code || e.message };
	}
}

// --- what happened ---------------------------------------------------------

let phase = 'setup';
const phases = [];		// { name, from, to }
const attempts = [];		// every write: { resource, key, sent, phase, t, outcome, id }
const counts = {};		// phase → outcome → n
let lastAck = 0;		// time of the latest acknowledgement
const acks = [];		// times of acknowledgements, for gaps

function enter(name) {
	if (phases.length) phases[phases.length - 1].to = now();
	phases.push({ name, from: now() });
	phase = name;
	say(`phase ${name}`);
}

function count(outcome) {
	counts[phase] ??= {};
	counts[phase][outcome] = (counts[phase][outcome] || 0) + 1;
}

// Classifies an answer; returns the outcome name.
function classify(a, r, ackStatus) {
	if (r.kind !== 'status') {
		a.outcome = r.kind;
	} else if (r.status === ackStatus) {
		a.outcome = 'acknowledged';
		lastAck = now();
		acks.push(lastAck);
	} else if (r.status === 503) {
		a.outcome = 'unavailable';
		if (!/^\d+$/.test(r.retryAfter || ''))
			violation(`503 without Retry-After (${a.resource} in ${phase}): ${r.text.slice(0, 200)}`);
	} else if (r.status === 409 && a.keyed && /^idempotency_/.test(r.json?.error?.code || '')) {
		// The key is held by a request whose worker was killed: its
		// outcome stays unknown (409 for 60 s, then outcome_unknown),
		// and it is never run twice.
		a.outcome = 'unknown (key held)';
	} else if (r.status >= 500) {
		a.outcome = `http-${r.status}`;
		violation(`${r.status} for ${a.resource} in ${phase}: ${r.text.slice(0, 300)}`);
	} else {
		a.outcome = 'rejected';
		a.status = r.status;
		violation(`unexpected ${r.status} for ${a.resource} in ${phase}: ${r.text.slice(0, 300)}`);
	}
	count(a.outcome);
	return a.outcome;
}

// --- writers ---------------------------------------------------------------

let stopping = false;
let fields = [], goals = [];

// Ideas: a unique title per attempt, so that every row can be traced back
// to the request that wrote it.
async function ideaWriter(w, session) {
	for (let n = 0; !stopping; n++) {
		const picked = goals.filter(() => Math.random() < 0.15).slice(0, 4);
		const sent = {
			title: `Crash ${TAG} w${w} n${n}`,
			description: `Idee ${n} von Schreiber ${w} im Crash-Test ${TAG}: mehr Bänke am Ufer, ` +
				'x'.repeat(n % 200 + 1),
			field: fields[(w + n) % fields.length],
		};
		if (picked.length || n % 2) sent.goals = picked;
		const a = { resource: 'idea', key: sent.title, sent, phase, t: now(), account: session.id };
		attempts.push(a);
		const headers = { authorization: `Bearer ${session.token}`, 'x-forwarded-for': `10.9.0.${w + 1}` };
		const r = w % 2 ? await send('POST', '/api/v1/ideas', sent, headers)
			: await sendUntilKnown(a, sent, headers);
		const outcome = classify(a, r, 201);
		if (outcome === 'acknowledged') {
			const idea = r.json?.idea ?? r.json;
			a.id = idea?.id;
			if (!Number.isInteger(a.id))
				violation(`201 without an id for ${a.key}: ${r.text.slice(0, 200)}`);
			else if (idea.title !== sent.title || idea.description !== sent.description)
				violation(`the 201 for ${a.key} does not echo what was sent: ${r.text.slice(0, 200)}`);
			await sleep(20);
		} else {
			await sleep(100);
		}
	}
}

// Survey responses: anonymous, to a survey open to every browser (no
// cookie: each is a respondent of its own), traced by a unique comment.
// A response and its tallies are one transaction: verified by comparing
// the tallies with the responses.
const MODES = ['bus', 'rad', 'auto'];
let surveyId = null;

async function responseWriter(w) {
	for (let n = 0; !stopping; n++) {
		const sent = { answers: { mode: MODES[(w + n) % MODES.length], note: `Crash ${TAG} w${w} n${n}` } };
		const a = { resource: 'response', key: sent.answers.note, sent, phase, t: now() };
		attempts.push(a);
		const r = await send('POST', `/api/v1/surveys/${surveyId}/responses`, sent,
			{ 'x-forwarded-for': `10.9.4.${w + 1}` });
		if (classify(a, r, 201) === 'acknowledged') {
			a.id = r.json?.id;
			if (!Number.isInteger(a.id))
				violation(`201 without an id for ${a.key}: ${r.text.slice(0, 200)}`);
			await sleep(20);
		} else {
			await sleep(100);
		}
	}
}

function verifyResponses(mine) {
	const rows = JSON.parse(psql(`SELECT coalesce(json_agg(json_build_object('id', r.id,
		'title', r.answers->>'note', 'mode', r.answers->>'mode')), '[]')
		FROM survey_responses r WHERE r.survey_id = ${surveyId}`));
	const v = verify('response', mine, rows, (a, row) => {
		const bad = [];
		if (a.id !== undefined && row.id !== a.id) bad.push(`id ${row.id} ≠ acknowledged ${a.id}`);
		if (row.mode !== a.sent.answers.mode) bad.push(`mode ${row.mode} ≠ ${a.sent.answers.mode}`);
		return bad;
	});
	// The tallies count exactly the responses there are (no half-written
	// response, no count without its response).
	const tallies = JSON.parse(psql(`SELECT json_build_object(
		'n', (SELECT coalesce(sum(n), 0) FROM survey_tallies WHERE survey_id = ${surveyId} AND kind = 'n'),
		'd', (SELECT coalesce(sum(n), 0) FROM survey_tallies WHERE survey_id = ${surveyId} AND kind = 'd'),
		'modes', (SELECT coalesce(json_object_agg(value, c), '{}') FROM (SELECT value, sum(n) AS c
			FROM survey_tallies WHERE survey_id = ${surveyId} AND kind = 'v' AND question = 'mode'
			GROUP BY value) t))`));
	const modes = {};
	for (const row of rows) modes[row.mode] = (modes[row.mode] || 0) + 1;
	if (tallies.n !== rows.length || tallies.d !== rows.length)
		violation(`survey tallies count ${tallies.n} respondents (${tallies.d} by day), the table holds ${rows.length}`);
	for (const m of MODES)
		if ((tallies.modes[m] || 0) !== (modes[m] || 0))
			violation(`survey tally mode=${m} is ${tallies.modes[m] || 0}, the responses say ${modes[m] || 0}`);
	return v;
}

// Defect reports: anonymous, traced by a unique description.  No
// Idempotency-Key: the route refuses it (the answer holds the reporter's
// status token, which is never stored), so a broken connection leaves the
// outcome unknown.  An acknowledged report is the one its Location names.
let defectCategory = null;

async function defectWriter(w) {
	for (let n = 0; !stopping; n++) {
		const sent = { category: defectCategory, lat: 52.26 + w * 0.001, lon: 10.52 + (n % 500) * 0.00001,
			description: `Crash ${TAG} w${w} n${n}: ein Schlagloch auf der Fahrbahn.` };
		const a = { resource: 'defect', key: sent.description, sent, phase, t: now() };
		attempts.push(a);
		const r = await send('POST', '/api/v1/defects', sent, { 'x-forwarded-for': `10.9.5.${w + 1}` });
		if (classify(a, r, 201) === 'acknowledged') {
			a.id = Number(/^\/api\/v1\/defects\/(\d+)$/.exec(r.headers.location ?? '')?.[1]);
			if (!Number.isInteger(a.id) || r.json?.defect?.id !== a.id)
				violation(`201 for ${a.key} without a Location naming its report: ${r.headers.location}`);
			await sleep(20);
		} else {
			await sleep(100);
		}
	}
}

// A report is whole with its point, its category (so its department),
// its status token, its first history row and its audit entry; and no
// report anywhere lacks its history row.
function verifyDefects(mine) {
	const rows = JSON.parse(psql(`SELECT coalesce(json_agg(json_build_object('id', r.id,
		'title', r.description, 'category', c.code, 'lat', r.lat, 'lon', r.lon, 'status', r.status,
		'routed', r.department_id = c.department_id, 'token', r.status_hash IS NOT NULL,
		'history', (SELECT count(*) FROM defect_history h WHERE h.report_id = r.id
		            AND h.status = 'open' AND h.department_id = r.department_id),
		'audit', (SELECT count(*) FROM audit_log l WHERE l.action = 'defect.submit'
		          AND l.target_kind = 'defect' AND l.target_id = r.id))), '[]')
		FROM defect_reports r JOIN defect_categories c ON c.id = r.category_id
		WHERE r.description LIKE 'Crash ${TAG} %'`));
	const v = verify('defect', mine, rows, (a, row) => {
		const bad = [];
		if (a.id !== undefined && row.id !== a.id) bad.push(`id ${row.id} ≠ Location ${a.id}`);
		if (row.category !== a.sent.category || !row.routed) bad.push(`category ${row.category}, routed ${row.routed}`);
		if (Math.abs(row.lat - a.sent.lat) > 1e-6 || Math.abs(row.lon - a.sent.lon) > 1e-6)
			bad.push(`point ${row.lat},${row.lon} ≠ ${a.sent.lat},${a.sent.lon}`);
		if (row.status !== 'open' || !row.token) bad.push(`status ${row.status}, token ${row.token}`);
		if (row.history !== 1) bad.push(`${row.history} history rows, not 1`);
		if (row.audit !== 1) bad.push(`${row.audit} audit entries, not 1`);
		return bad;
	});
	const orphans = Number(psql(`SELECT count(*) FROM defect_reports r WHERE NOT EXISTS
		(SELECT 1 FROM defect_history h WHERE h.report_id = r.id)`));
	if (orphans > 0) violation(`${orphans} defect reports have no history row`);
	return v;
}

// Measurements of success criteria, by a planner: each writer its own
// manual criterion, one date per attempt (a unique note traces each row).
// Every fifth attempt repeats the date before it, so the database's
// one-value-per-date rule answers 409 (rejected: nothing stored), unless
// the attempt before was not committed (then 201); every seventh sends
// 30 February (422).  An acknowledged measurement is the one its
// Location names.
let project = null;		// { id, token, criteria: [id per writer] }

const dayAfter = (n) => new Date(Date.UTC(2000, 0, 1) + n * 86400000).toISOString().slice(0, 10);

async function measurementWriter(w) {
	const cid = project.criteria[w];
	let last = null;
	for (let n = 0; !stopping; n++) {
		const repeat = n % 5 === 4 && last !== null;
		const invalid = n % 7 === 6;
		const sent = { value: n + w / 4, measured_on: invalid ? '2026-02-30' : repeat ? last : dayAfter(n),
			note: `Crash ${TAG} m w${w} n${n}` };
		const a = { resource: 'measurement', key: sent.note, sent, phase, t: now(), criterion: cid };
		attempts.push(a);
		const r = await send('POST', `/api/v1/projects/${project.id}/criteria/${cid}/measurements`, sent,
			{ authorization: `Bearer ${project.token}` });
		const code = r.json?.error?.code;
		if (r.kind === 'status' && ((repeat && r.status === 409 && code === 'duplicate') ||
		    (invalid && r.status === 422 && r.json?.error?.fields?.measured_on))) {
			a.outcome = 'rejected';
			a.status = r.status;
			count('rejected as meant');
		} else if (classify(a, r, 201) === 'acknowledged') {
			a.id = Number(/\/measurements\/(\d+)$/.exec(r.headers.location ?? '')?.[1]);
			if (!Number.isInteger(a.id) || r.json?.id !== a.id)
				violation(`201 for ${a.key} without a Location naming its measurement: ${r.headers.location}`);
			// (A repeated date is free when the attempt before it was
			// never committed: then 201 is right.)
			if (invalid)
				violation(`${a.key} was acknowledged with the date ${sent.measured_on}`);
		}
		if (!invalid && !repeat) last = sent.measured_on;
		await sleep(a.outcome === 'acknowledged' || a.outcome === 'rejected' ? 20 : 100);
	}
}

// A measurement is whole with its criterion, value, date and audit entry;
// a rejected one left nothing; no date of a criterion holds two values.
function verifyMeasurements(mine) {
	const rows = JSON.parse(psql(`SELECT coalesce(json_agg(json_build_object('id', m.id,
		'title', m.note, 'criterion', m.criterion_id, 'value', m.value, 'on', m.measured_on,
		'audit', (SELECT count(*) FROM audit_log l WHERE l.action = 'project.measurement_add'
		          AND l.target_kind = 'project' AND l.target_id = ${project.id}
		          AND (l.detail->>'measurement')::bigint = m.id))), '[]')
		FROM project_measurements m WHERE m.note LIKE 'Crash ${TAG} m %'`));
	const v = verify('measurement', mine, rows, (a, row) => {
		const bad = [];
		if (a.id !== undefined && row.id !== a.id) bad.push(`id ${row.id} ≠ Location ${a.id}`);
		if (row.criterion !== a.criterion) bad.push(`criterion ${row.criterion} ≠ ${a.criterion}`);
		if (row.value !== a.sent.value) bad.push(`value ${row.value} ≠ ${a.sent.value}`);
		if (row.on !== a.sent.measured_on) bad.push(`date ${row.on} ≠ ${a.sent.measured_on}`);
		if (row.audit !== 1) bad.push(`${row.audit} audit entries, not 1`);
		return bad;
	});
	const twice = Number(psql(`SELECT count(*) FROM (SELECT 1 FROM project_measurements
		WHERE criterion_id IN (${project.criteria.join(', ')}) GROUP BY criterion_id, measured_on
		HAVING count(*) > 1) d`));
	if (twice > 0) violation(`${twice} dates hold two measurements of one criterion`);
	return v;
}

// The even writers act as a careful client: an Idempotency-Key per idea,
// and after a broken connection or a 503 the same request again with the
// same key until the answer is known (bounded), so nothing is written
// twice and nothing stays unknown.  A 409 means the first try still runs.
const keyed = { attempts: 0, retried: 0, ackedAfterRetry: 0, replayed: 0, unresolved: 0 };

async function sendUntilKnown(a, sent, headers) {
	const h = { ...headers, 'idempotency-key': randomUUID() };
	keyed.attempts++;
	a.keyed = true;
	for (let tries = 0; ; tries++) {
		const r = await send('POST', '/api/v1/ideas', sent, h);
		const known = r.kind === 'status' && r.status !== 503 && r.status !== 409;
		if (known || tries >= 100) {
			if (!known) keyed.unresolved++;
			if (tries > 0) keyed.retried++;
			if (tries > 0 && r.status === 201) keyed.ackedAfterRetry++;
			if (r.kind === 'status' && r.headers?.replayed) keyed.replayed++;
			return r;
		}
		if (r.kind === 'status' && r.status === 409)
			count('in progress (409)');
		else
			count(r.kind === 'status' ? 'unavailable' : r.kind);
		await sleep(200);
	}
}

// Registration: an account row, its verification token and its mail in
// one statement (202).  Each costs an argon2id hash, so few writers.
async function accountWriter(w) {
	for (let n = 0; !stopping; n++) {
		const sent = { email: `crash-${TAG}-${w}-${n}@example.org`, password: PASSWORD,
			pseudonym: `cr-${TAG}-${w}-${n}` };
		const a = { resource: 'account', key: sent.pseudonym, sent, phase, t: now() };
		attempts.push(a);
		const r = await send('POST', '/api/v1/accounts', sent, { 'x-forwarded-for': `10.9.1.${w + 1}` });
		classify(a, r, 202);
		await sleep(a.outcome === 'acknowledged' ? 50 : 100);
	}
}

// --- phases ----------------------------------------------------------------

const results = {};
const deadline = () => {
	if (now() > BUDGET_MS) throw new Error(`over the budget of ${BUDGET_MS / 1000} s`);
};

// Waits until fn() is true, polling; returns the time it took or null.
async function until(fn, boundMs, everyMs = 50) {
	const t0 = now();
	while (now() - t0 < boundMs) {
		if (await fn()) return now() - t0;
		await sleep(everyMs);
	}
	return null;
}

// The longest stretch without an acknowledgement between from and to.
function longestGap(from, to) {
	let prev = from, gap = 0;
	for (const t of acks) {
		if (t < from || t > to) continue;
		gap = Math.max(gap, t - prev);
		prev = t;
	}
	return Math.max(gap, to - prev);
}

async function killWorker() {
	enter('worker-kill');
	const before = (await ctlOk('workers')).split('\n').filter(Boolean);
	const t0 = now();
	const victim = await ctlOk('kill-worker');
	say(`killed worker ${victim} (workers were ${before.join(', ')})`);
	// Kore's parent restarts it by itself.
	results.workerRespawnMs = await until(async () => {
		const ws = (await ctlOk('workers')).split('\n').filter(Boolean);
		return ws.length === before.length && !ws.includes(victim);
	}, 10000);
	if (results.workerRespawnMs === null)
		violation(`Kore did not replace the killed worker ${victim} within 10 s`);
	results.workerFirstAckMs = await until(() => lastAck > t0, 5000, 10);
	if (results.workerFirstAckMs === null)
		violation('no write was acknowledged within 5 s of the worker kill');
	await sleep(Math.max(0, t0 + 5000 - now()));
	results.workerLongestGapMs = longestGap(t0, now());
}

async function killParent() {
	enter('parent-kill');
	const t0 = now();
	const group = await ctlOk('kill-parent');
	say(`killed the Kore parent ${group}`);
	// Its workers must go by themselves (app.c: PR_SET_PDEATHSIG).
	results.orphansGoneMs = await until(async () => (await ctlOk('members', group)) === '', 5000);
	if (results.orphansGoneMs === null) {
		const left = (await ctlOk('members', group)).split('\n').join(', ');
		violation(`workers of the killed parent still running after 5 s: ${left}`);
		await ctl('stop', group);
	}
	// The supervisor restarts Kore on the same port.
	enter('kore-restart');
	const r = await ctl('start');
	if (r.code !== 0) {
		violation(`Kore did not start again on its port: ${r.err}`);
		throw new Error('no Kore to test further');
	}
	say(`Kore ${r.out} serving again`);
	const t1 = now();
	const first = await until(() => lastAck > t1, 10000, 10);
	if (first === null) violation('no write acknowledged within 10 s of the Kore restart');
	results.parentDowntimeMs = first === null ? null : now() - t0;
	await sleep(3000);
}

async function crashPostgres() {
	enter('pg-down');
	const t0 = now();
	await ctlOk('pg-crash');
	say('PostgreSQL crashed (pg_ctl -m immediate)');
	await sleep(5000);
	// Writes committed just before the crash may still be acknowledged
	// in this phase: the verification holds them to it like any other.
	if (!counts['pg-down']?.unavailable) violation('no client saw 503 while PostgreSQL was down');
	enter('pg-recovery');
	await ctlOk('pg-start');
	const t1 = now();
	results.pgDownMs = t1 - t0;
	say('PostgreSQL started again; Kore is not restarted');
	results.pgFirstAckMs = await until(() => lastAck > t1, 30000, 10);
	if (results.pgFirstAckMs === null) {
		violation('the application did not recover within 30 s of PostgreSQL starting');
		return;
	}
	// Recovered: no writer has seen a 503 for 2 s.
	let last503 = now();
	let prev = counts['pg-recovery']?.unavailable || 0;
	results.pgRecoveredMs = await until(() => {
		const c = counts['pg-recovery']?.unavailable || 0;
		if (c !== prev) { prev = c; last503 = now(); }
		return now() - last503 >= 2000;
	}, 30000, 20);
	if (results.pgRecoveredMs === null)
		violation('503s went on for 30 s after PostgreSQL was back');
	else
		results.pgRecoveredMs = last503 - t1;
}

// --- verification ----------------------------------------------------------

const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

// An idea is whole with its field, its goal links (exactly those sent)
// and its first status history entry.
function verifyIdeas(mine) {
	const rows = JSON.parse(psql(`SELECT coalesce(json_agg(json_build_object(
		'id', i.id, 'title', i.title, 'description', i.description, 'field', f.slug,
		'author', i.author_id,
		'goals', (SELECT coalesce(json_agg(g.slug), '[]') FROM idea_goals ig
		          JOIN goals g ON g.id = ig.goal_id WHERE ig.idea_id = i.id),
		'history', (SELECT count(*) FROM idea_status_history h WHERE h.idea_id = i.id))), '[]')
		FROM ideas i LEFT JOIN fields f ON f.id = i.field_id
		WHERE i.title LIKE 'Crash ${TAG} %'`));
	return verify('idea', mine, rows, (a, row) => {
		const bad = [];
		if (a.id !== undefined && row.id !== a.id) bad.push(`id ${row.id} ≠ acknowledged ${a.id}`);
		if (row.description !== a.sent.description) bad.push('description differs');
		if (row.field !== a.sent.field) bad.push(`field ${row.field} ≠ ${a.sent.field}`);
		if (row.author !== a.account) bad.push(`author ${row.author} ≠ ${a.account}`);
		if (!sameSet(row.goals, a.sent.goals || []))
			bad.push(`goals [${row.goals}] ≠ sent [${a.sent.goals || []}]`);
		if (row.history !== 1) bad.push(`${row.history} status history rows, not 1`);
		return bad;
	});
}

// An account is whole with its address (lookup and sealed), password
// hash, verification token and verification mail.
function verifyAccounts(mine) {
	const rows = JSON.parse(psql(`SELECT coalesce(json_agg(json_build_object(
		'title', a.pseudonym, 'lookup', a.email_lookup IS NOT NULL, 'ct', a.email_ct IS NOT NULL,
		'hash', a.password_hash IS NOT NULL,
		'tokens', (SELECT count(*) FROM account_tokens t WHERE t.account_id = a.id AND t.purpose = 'verify'),
		'mails', (SELECT count(*) FROM outbox o WHERE o.account_id = a.id))), '[]')
		FROM accounts a WHERE a.pseudonym LIKE 'cr-${TAG}-%'`));
	return verify('account', mine, rows, (a, row) => {
		const bad = [];
		if (!row.lookup || !row.ct) bad.push('address missing');
		if (!row.hash) bad.push('password hash missing');
		if (row.tokens !== 1) bad.push(`${row.tokens} verification tokens`);
		if (row.mails !== 1) bad.push(`${row.mails} mails`);
		return bad;
	});
}

// Every acknowledged attempt has its row, whole and as sent; every row
// belongs to an attempt, is whole, and none was written twice; rejected
// attempts wrote nothing.
// The statistics are kept by triggers in each write's own transaction:
// after every crash they must still equal a recount from the base tables.
function verifyStats() {
	const has = psql("SELECT to_regproc('stats_recount') IS NOT NULL");
	if (has !== 't') return null;
	const diff = Number(psql('SELECT count(*) FROM stats_recount()'));
	if (diff) violation(`${diff} statistics cells differ from a recount after the crashes: ` +
		psql("SELECT string_agg(tbl || ' ' || cell::text, '; ') FROM (SELECT * FROM stats_recount() LIMIT 3) d"));
	return diff;
}

function verify(resource, mine, rows, check) {
	const byKey = new Map();
	for (const row of rows) {
		if (byKey.has(row.title)) violation(`${resource} "${row.title}" exists twice`);
		byKey.set(row.title, row);
	}
	const v = { attempted: mine.length, acknowledged: 0, verified: 0, lost: 0, mismatched: 0,
		halfWritten: 0, phantom: 0, unknownCommitted: 0, unavailableCommitted: 0, keyedUnknown: 0 };
	const attemptByKey = new Map(mine.map((a) => [a.key, a]));
	for (const a of mine) {
		const row = byKey.get(a.key);
		if (a.outcome === 'acknowledged') {
			v.acknowledged++;
			if (!row) {
				v.lost++;
				violation(`acknowledged ${resource} "${a.key}" (id ${a.id ?? '-'}, ${a.phase}) is missing: a 2xx for a lost write`);
				continue;
			}
			const bad = check(a, row);
			if (bad.length) {
				v.mismatched++;
				violation(`acknowledged ${resource} "${a.key}" differs from what was sent: ${bad.join('; ')}`);
			} else {
				v.verified++;
			}
		} else if (row) {
			if (a.keyed) v.keyedUnknown++;
			if (a.outcome === 'unavailable') v.unavailableCommitted++;
			else if (a.outcome === 'rejected') violation(`rejected ${resource} "${a.key}" was written`);
			else v.unknownCommitted++;
			const bad = check({ ...a, id: undefined }, row);
			if (bad.length) {
				v.halfWritten++;
				violation(`${resource} "${a.key}" (outcome ${a.outcome}) is half-written: ${bad.join('; ')}`);
			}
		}
	}
	for (const row of rows) {
		if (!attemptByKey.has(row.title)) {
			v.phantom++;
			violation(`${resource} "${row.title}" exists but was never sent`);
		}
	}
	return v;
}

// Each acknowledged registration signs in (address and password stored
// right); one per phase, each an argon2id hash.
async function signInSample(mine) {
	const byPhase = new Map();
	for (const a of mine) if (a.outcome === 'acknowledged') byPhase.set(a.phase, a);
	let ok = 0;
	for (const a of byPhase.values()) {
		const r = await send('POST', '/api/v1/session',
			{ email: a.sent.email, password: PASSWORD, kind: 'bearer' }, { 'x-forwarded-for': '10.9.2.1' });
		if (r.kind === 'status' && r.status === 200 && r.json?.account?.pseudonym === a.sent.pseudonym) ok++;
		else violation(`acknowledged account ${a.key} cannot sign in: ${r.status ?? r.kind} ${r.text?.slice(0, 200) ?? ''}`);
	}
	return ok;
}

// --- main ------------------------------------------------------------------

async function setup() {
	say(`Kore ${await ctlOk('start')} on ${BASE}`);
	const f = await send('GET', '/api/v1/fields');
	fields = f.json.fields.map((x) => x.slug);
	const g = await send('GET', '/api/v1/goals');
	goals = g.json.groups.flatMap((x) => x.goals.map((y) => y.slug));
	// Ideas are written if the server has them (issue 4).
	const probe = await send('POST', '/api/v1/ideas', {});
	const haveIdeas = probe.kind === 'status' && probe.status !== 404 && probe.status !== 405;
	const sessions = [];
	if (haveIdeas) {
		for (let w = 0; w < 6; w++) {
			const email = `crash-${TAG}-author-${w}@example.org`;
			const r = await send('POST', '/api/v1/accounts', { email, password: PASSWORD });
			if (r.status !== 202) throw new Error(`register: ${r.status} ${r.text}`);
			const s = await send('POST', '/api/v1/session', { email, password: PASSWORD, kind: 'bearer' },
				{ 'x-forwarded-for': `10.9.3.${w + 1}` });
			if (s.status !== 200) throw new Error(`login: ${s.status} ${s.text}`);
			sessions.push({ token: s.json.token, id: s.json.account.id });
		}
		psql(`UPDATE accounts SET verified_at = now() WHERE pseudonym NOT LIKE 'cr-%'`);
	}
	// Survey responses are written if the server has surveys (issue 13).
	const surveys = await send('GET', '/api/v1/surveys');
	if (surveys.kind === 'status' && surveys.status === 200) {
		surveyId = Number(psql(`INSERT INTO surveys (title, definition, status, access) VALUES
			('Crash ${TAG}', '{"title": "Crash", "pages": [{"name": "p", "elements": [
			{"type": "radiogroup", "name": "mode", "choices": ["bus", "rad", "auto"]},
			{"type": "comment", "name": "note"}]}]}', 'open', 'open') RETURNING id`).split('\n')[0]);
	}
	// Defect reports are written if the server has them (issue 14).
	const categories = await send('GET', '/api/v1/categories');
	defectCategory = categories.json?.categories?.[0]?.code ?? null;
	if (defectCategory && (await send('GET', '/api/v1/defects?limit=1')).status !== 200)
		defectCategory = null;
	// Measurements are written if the server has the project registry
	// (issue 15): a planner of its own, a project, a criterion per writer.
	if ((await send('GET', '/api/v1/projects')).status === 200) {
		const email = `crash-${TAG}-planner@example.org`;
		const r = await send('POST', '/api/v1/accounts', { email, password: PASSWORD });
		if (r.status !== 202) throw new Error(`register: ${r.status} ${r.text}`);
		const s = await send('POST', '/api/v1/session', { email, password: PASSWORD, kind: 'bearer' },
			{ 'x-forwarded-for': '10.9.6.1' });
		if (s.status !== 200) throw new Error(`login: ${s.status} ${s.text}`);
		psql(`UPDATE accounts SET verified_at = now() WHERE id = ${s.json.account.id}`);
		psql(`INSERT INTO account_roles (account_id, role) VALUES (${s.json.account.id}, 'planner')`);
		const auth = { authorization: `Bearer ${s.json.token}` };
		const p = await send('POST', '/api/v1/projects', { title_de: `Crash ${TAG}`,
			summary_de: 'Ein Projekt für den Crash-Test.', fields: [fields[0]] }, auth);
		if (p.status !== 201) throw new Error(`project: ${p.status} ${p.text}`);
		project = { id: p.json.id, token: s.json.token, criteria: [] };
		for (let w = 0; w < 2; w++) {
			const c = await send('POST', `/api/v1/projects/${project.id}/criteria`, { name_de: `Crash-Kriterium ${w}`,
				baseline: 0, baseline_on: '2000-01-01', target: 100, target_on: '2030-12-31' }, auth);
			if (c.status !== 201) throw new Error(`criterion: ${c.status} ${c.text}`);
			project.criteria.push(c.json.id);
		}
	}
	say(`writers: ${haveIdeas ? '6 ideas (POST /api/v1/ideas), ' : 'no ideas (not on this server), '}2 registrations (POST /api/v1/accounts)` +
		(surveyId ? ', 2 survey responses (POST /api/v1/surveys/{id}/responses)' : '') +
		(defectCategory ? ', 2 defect reports (POST /api/v1/defects)' : '') +
		(project ? ', 2 measurements (POST /api/v1/projects/{id}/criteria/{cid}/measurements)' : ''));
	return { haveIdeas, sessions };
}

async function main() {
	const { haveIdeas, sessions } = await setup();
	const writers = [];
	enter('warm');
	if (haveIdeas) sessions.forEach((s, w) => writers.push(ideaWriter(w, s)));
	for (let w = 0; w < 2; w++) writers.push(accountWriter(w));
	if (surveyId) for (let w = 0; w < 2; w++) writers.push(responseWriter(w));
	if (defectCategory) for (let w = 0; w < 2; w++) writers.push(defectWriter(w));
	if (project) for (let w = 0; w < 2; w++) writers.push(measurementWriter(w));
	let failure;
	try {
		await sleep(4000);
		deadline();
		await killWorker();
		deadline();
		await killParent();
		deadline();
		await crashPostgres();
		deadline();
		enter('after');
		await sleep(3000);
		const after = counts.after || {};
		if (after.unavailable) violation(`${after.unavailable} writes got 503 after recovery`);
	} catch (e) {
		failure = e;
	} finally {
		stopping = true;
		enter('drain');
		await Promise.all(writers);
		phases[phases.length - 1].to = now();
	}
	if (failure) violation(`the run stopped early: ${failure.message}`);

	// Verification: the database against the clients' records.
	say('verifying');
	const ideas = haveIdeas ? verifyIdeas(attempts.filter((a) => a.resource === 'idea')) : null;
	// A careful client learns every outcome: none of its writes may be
	// committed without its knowing, unless it gave up.
	if (ideas && ideas.keyedUnknown > keyed.unresolved)
		violation(`${ideas.keyedUnknown} ideas sent with an Idempotency-Key were committed, ` +
			`but their client never learnt it (${keyed.unresolved} gave up)`);
	const accountAttempts = attempts.filter((a) => a.resource === 'account');
	const accounts = verifyAccounts(accountAttempts);
	const signedIn = await signInSample(accountAttempts);
	const responses = surveyId ? verifyResponses(attempts.filter((a) => a.resource === 'response')) : null;
	const defects = defectCategory ? verifyDefects(attempts.filter((a) => a.resource === 'defect')) : null;
	const statsDiff = verifyStats();
	const measurements = project ? verifyMeasurements(attempts.filter((a) => a.resource === 'measurement')) : null;

	// Stop Kore so that its log is complete, then read it.
	const group = readFileSync(`${process.env.CRASH_DIR}/kore.groups`, 'utf8').trim().split('\n').pop();
	await ctl('stop', group);
	const log = readFileSync(LOG, 'utf8');
	const lines = log.split('\n');
	const status500 = lines.filter((l) => /^req .* status=5(?!03)\d\d /.test(l));
	const crashes = lines.filter((l) => /sandbox violation|AddressSanitizer|runtime error:|bug id=/.test(l));
	const statusLines = lines.filter((l) => /^req .* status=503 /.test(l)).length;
	if (status500.length) violation(`the Kore log shows ${status500.length} 5xx other than 503: ${status500.slice(0, 3).join(' | ')}`);
	if (crashes.length) violation(`the Kore log shows: ${crashes.slice(0, 3).join(' | ')}`);
	const workerExits = lines.filter((l) => /worker .* exited with status/.test(l)).length;

	// --- summary ---
	const total = {};
	for (const c of Object.values(counts))
		for (const [k, n] of Object.entries(c)) total[k] = (total[k] || 0) + n;
	const ms = (x) => (x === null || x === undefined ? 'never' : `${(x / 1000).toFixed(2)} s`);
	console.log('\n== crash-test summary');
	console.log(`writes attempted: ${attempts.length}; outcomes: ${JSON.stringify(total)}`);
	for (const p of phases) console.log(`  ${p.name.padEnd(12)} ${((p.to - p.from) / 1000).toFixed(1).padStart(5)} s  ${JSON.stringify(counts[p.name] || {})}`);
	for (const [name, v] of [['ideas', ideas], ['accounts', accounts], ['survey responses', responses],
		['defect reports', defects], ['measurements', measurements]]) {
		if (!v) { console.log(`${name}: not on this server`); continue; }
		console.log(`${name}: attempted ${v.attempted}, acknowledged ${v.acknowledged}, verified ${v.verified}, ` +
			`lost (2xx for a lost write) ${v.lost}, differing ${v.mismatched}, half-written ${v.halfWritten}, ` +
			`never sent ${v.phantom}; committed without acknowledgement: ${v.unavailableCommitted} after 503, ` +
			`${v.unknownCommitted} after a broken connection`);
	}
	console.log(`ideas with an Idempotency-Key (even writers): ${keyed.attempts}, retried after a broken ` +
		`connection, 503 or 409: ${keyed.retried}, acknowledged by a retry: ${keyed.ackedAfterRetry} ` +
		`(${keyed.replayed} of them the stored first answer), still unknown: ${keyed.unresolved}; ` +
		`keyed ideas committed without acknowledgement: ${ideas ? ideas.keyedUnknown : '-'}`);
	console.log(`accounts signed in (one per phase): ${signedIn}`);
	console.log(`statistics cells differing from a recount: ${statsDiff ?? 'no statistics on this server'}`);
	console.log(`503 seen by clients: ${total.unavailable || 0} (all with Retry-After unless listed above); ` +
		`in the Kore log: ${statusLines}; other 5xx: ${status500.length}`);
	console.log(`connections reset: ${total.reset || 0}, refused: ${total.refused || 0}, timed out: ${total.timeout || 0}`);
	console.log(`worker kill: replaced by Kore in ${ms(results.workerRespawnMs)}, next acknowledgement after ` +
		`${ms(results.workerFirstAckMs)}, longest gap ${ms(results.workerLongestGapMs)}`);
	console.log(`parent kill: orphaned workers gone by themselves in ${ms(results.orphansGoneMs)}, ` +
		`writes acknowledged again ${ms(results.parentDowntimeMs)} after the kill (Kore restarted on the same port)`);
	console.log(`PostgreSQL crash: down ${ms(results.pgDownMs)}, first acknowledgement ${ms(results.pgFirstAckMs)} ` +
		`after its start, last 503 ${ms(results.pgRecoveredMs)} after its start (no Kore restart)`);
	console.log(`worker exits in the Kore log: ${workerExits}; run time ${ms(now())}`);
	if (violations.length) {
		console.log(`FAIL ${violations.length} violation(s)`);
		process.exit(1);
	}
	console.log('PASS');
}

process.on('SIGTERM', () => { stopping = true; process.exit(143); });
main().catch((e) => { console.log(`FAIL ${e.stack}`); process.exit(1); });
