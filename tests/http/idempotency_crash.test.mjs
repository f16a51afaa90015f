// Idempotency-Key after a crash (README "Idempotency-Key"): a request
// that died with its node before its write committed runs again on
// retry, exactly once; one that died after it answers 409
// idempotency_carried_out; one whose worker still runs is waited for.
// First with the states made directly in the test database, then for
// real: a second node is killed (SIGKILL, its whole process group) while
// its keyed write sleeps in PostgreSQL, and the retry on the first node
// succeeds, with one row in the database.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { json, psql, member, ideaBody, as, expectError, sleep, PGDIR, PGPORT, DATABASE_URL,
	koreLog } from './lib.mjs';

// Under make test-asan kore itself is not instrumented: the runtime comes
// first, as tests/run.sh starts the main server.
const KORE_WRAP = process.env.MITWIRKEN_ASAN ? 'env LD_PRELOAD="$(gcc -print-file-name=libasan.so) ' +
	'$(gcc -print-file-name=libubsan.so)" ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1 ' +
	'UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1' : 'env';

const ROOT = new URL('../..', import.meta.url).pathname;
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const ideas = (title) => Number(psql(`SELECT count(*) FROM ideas WHERE title = ${q(title)}`));
const post = (s, body, key) => json('POST', '/api/v1/ideas', body, as(s, { 'idempotency-key': key }));

// A running key for the same request as a finished one (the fingerprint
// does not cover the key), as its claimant left it.
function plant(from, key, { owner, written = false, age = '0 seconds', claim = 'gone' }) {
	psql(`INSERT INTO idempotency_keys (scope, key, request_hash, owner, claim, written, created_at)
		SELECT scope, ${q(key)}, request_hash, ${owner}, ${claim === null ? 'NULL' : q(claim)},
		${written}, now() - interval ${q(age)} FROM idempotency_keys WHERE key = ${q(from)}`);
}
// An owner number no worker holds a lock on.
const DEAD = '4242424242';

test('a key left by a dead request: not written runs once, written is carried out, a live one waits', async () => {
	const alice = await member();
	const body = ideaBody({ title: `Absturz ${randomUUID()}` });
	const first = randomUUID();
	assert.equal((await post(alice, body, first)).status, 201);
	assert.equal(ideas(body.title), 1);
	const mine = psql(`SELECT owner FROM idempotency_keys WHERE key = ${q(first)}`);
	assert.match(mine, /^\d+$/, 'the claim records its worker');

	// Its worker is gone and it never wrote: the retry runs it, once.
	const dead = randomUUID();
	plant(first, dead, { owner: DEAD });
	const run = await post(alice, body, dead);
	assert.equal(run.status, 201, run.text);
	assert.equal(run.headers.get('idempotent-replayed'), null, 'it ran');
	assert.equal(ideas(body.title), 2, 'one more idea, the first run never wrote');
	assert.equal(psql(`SELECT state || ':' || written || ':' || (owner = ${mine} OR owner IS NOT NULL)
		FROM idempotency_keys WHERE key = ${q(dead)}`), 'done:true:true');
	const again = await post(alice, body, dead);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	assert.equal(again.text, run.text);
	assert.equal(ideas(body.title), 2);
	assert.match(koreLog(), /Idempotency-Key taken over from a request that ended before its write \(claim gone\)/);

	// Its write committed, its answer was lost: carried out, not run.
	const written = randomUUID();
	plant(first, written, { owner: DEAD, written: true });
	const e = expectError(await post(alice, body, written), 409, 'idempotency_carried_out');
	assert.match(e.message, /carried out/);
	assert.ok(e.fields['Idempotency-Key']);
	assert.equal(ideas(body.title), 2);

	// Its worker still runs: in progress, with a hint when to ask again.
	// (A worker takes its liveness lock a moment after it starts; until
	// then its keys look abandoned, by design. Wait for it.)
	for (let i = 0; i < 100 && psql(`SELECT idem_owner_alive(${mine})`) !== 't'; i++) await sleep(100);
	assert.equal(psql(`SELECT idem_owner_alive(${mine})`), 't', 'the worker holds its liveness lock');
	const live = randomUUID();
	plant(first, live, { owner: mine });
	const busy = await post(alice, body, live);
	expectError(busy, 409, 'idempotency_in_progress');
	assert.equal(busy.headers.get('retry-after'), '1');
	// ... unless it has held the key too long: then it is taken over.
	psql(`UPDATE idempotency_keys SET created_at = now() - interval '2 minutes' WHERE key = ${q(live)}`);
	assert.equal((await post(alice, body, live)).status, 201);
	assert.equal(ideas(body.title), 3);

	// The old request, were it alive, could commit nothing now: its
	// claim check fails the whole statement.
	assert.throws(() => psql(`WITH idem_mark AS (UPDATE idempotency_keys
		SET written = idem_fence(claim, 'gone') WHERE key = ${q(dead)})
		INSERT INTO ideas (title) SELECT 'never' WHERE false`), /taken over by a retry/);
});

const freePort = () => new Promise((resolve) => {
	const s = net.createServer();
	s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
function sh(script, env = {}) {
	const r = spawnSync('sh', ['-c', `. src/tools/pg.sh; . src/tools/conf.sh; . src/tools/kore.sh; ${script}`],
		{ cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000 });
	if (r.status !== 0) throw new Error(`sh failed (${r.status}): ${script}\n${r.stderr}${r.stdout}`);
	return r.stdout.trim();
}
const DB = DATABASE_URL ? DATABASE_URL.replace(/^[^/]*\/\/[^/]*\//, '').replace(/\?.*$/, '') : '';

// A second node on the same database and key file, one worker.
async function node(dir) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const pw = readFileSync(`${PGDIR}/app.password`, 'utf8').trim();
	const pid = sh(`mkdir -p "$W" && MITWIRKEN_DROP=0 conf_render "$W/kore.conf" &&
	    kore_start "$W/kore.conf" "$W/kore.log" ${KORE_WRAP} && echo $KORE_PID`, { W: dir,
		MITWIRKEN_LISTEN: `127.0.0.1:${port}`, MITWIRKEN_PUBLIC_URL: base, MITWIRKEN_WORKERS: '1',
		MITWIRKEN_MODULE: `${dirname(process.env.MIGRATE_BIN)}/mitwirken.so`,
		DATABASE_URL: `postgresql://mitwirken_app:${pw}@127.0.0.1:${PGPORT}/${DB}?gssencmode=disable` });
	sh('kore_wait "$U/healthz" "$K" "$W/kore.log" 15', { U: base, K: pid, W: dir });
	return { base, pid, dir };
}

const skip = PGDIR ? false : 'needs the private test cluster (DATABASE_URL was given)';

test('kill -9 a node while its keyed write runs: the retry on another node succeeds, one row', { skip }, async () => {
	const alice = await member();
	const body = ideaBody({ title: `Getötet ${randomUUID()}` });
	const key = randomUUID();
	// In this throwaway database: the first insert of this title sleeps
	// 3 s; the retry's (the advisory lock is taken) does not.
	psql(`CREATE FUNCTION idem_crash_slow() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.title = ${q(body.title)} AND pg_try_advisory_xact_lock(7171) THEN
				PERFORM pg_sleep(3);
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER idem_crash_slow BEFORE INSERT ON ideas
		FOR EACH ROW EXECUTE FUNCTION idem_crash_slow()`);
	const dir = `${process.env.MITWIRKEN_STATE || `${ROOT}/var`}/test-run/idem-crash-${process.pid}`;
	const pgLog = () => { try { return readFileSync(`${PGDIR}/postgresql.log`, 'utf8'); } catch { return ''; } };
	const fenced = () => (pgLog().match(/Idempotency-Key taken over by a retry/g) || []).length;
	const fencedBefore = fenced();
	let b;
	try {
		b = await node(dir);
		const doomed = fetch(`${b.base}/api/v1/ideas`, { method: 'POST', body: JSON.stringify(body),
			headers: { 'content-type': 'application/json', ...as(alice, { 'idempotency-key': key }) } })
			.then((r) => r.status, (e) => e.cause?.code || e.message);
		let sleeping = false;
		for (let i = 0; i < 50 && !sleeping; i++) {
			await sleep(100);
			sleeping = psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
				AND state = 'active' AND wait_event = 'PgSleep'`) !== '0';
		}
		assert.ok(sleeping, 'the keyed write is running in PostgreSQL');
		process.kill(-Number(b.pid), 'SIGKILL');
		const lost = await doomed;
		assert.notEqual(lost, 201, `the killed node answered nothing (${lost})`);

		// The careful client: the same key until it has an answer.
		let r;
		const t0 = Date.now();
		for (let i = 0; i < 50; i++) {
			r = await post(alice, body, key);
			if (r.status !== 409 || r.json?.error?.code !== 'idempotency_in_progress') break;
			await sleep(200);
		}
		assert.equal(r.status, 201, `retry after ${Date.now() - t0} ms: ${r.text}`);
		assert.equal(r.headers.get('idempotent-replayed'), null, 'the retry ran the request');
		// The dead node's statement finishes its sleep on the server and
		// then fails its claim check: it commits nothing.
		for (let i = 0; i < 60; i++) {
			if (psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
				AND wait_event = 'PgSleep'`) === '0') break;
			await sleep(100);
		}
		await sleep(200);
		assert.equal(ideas(body.title), 1, 'exactly one row');
		if (pgLog()) assert.equal(fenced(), fencedBefore + 1, "the dead node's statement failed its claim check");
		const again = await post(alice, body, key);
		assert.equal(again.headers.get('idempotent-replayed'), 'true');
		assert.equal(again.text, r.text);
	} finally {
		if (b) { try { process.kill(-Number(b.pid), 'SIGKILL'); } catch { /* gone */ } }
		psql('DROP TRIGGER IF EXISTS idem_crash_slow ON ideas; DROP FUNCTION IF EXISTS idem_crash_slow()');
		rmSync(dir, { recursive: true, force: true });
	}
});
