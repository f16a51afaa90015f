// The read replica and failover (README "Read replica and failover"): this
// test builds a streaming replica of the test cluster (pg_basebackup -R),
// starts a second mitwirken node with MITWIRKEN_REPLICA_URL, and proves by
// the /metrics counters which pool served what.  Then it promotes that
// replica, gives it a replica of its own, and kills the new primary under
// a node whose DATABASE_URL names both hosts: 503 + Retry-After, never
// 500, until the standby is promoted; then writes succeed, no restart.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import net from 'node:net';
import { PGDIR, PGPORT, DATABASE_URL, member, ideaBody, sleep } from './lib.mjs';

// Under make test-asan kore itself is not instrumented: the runtime comes
// first, as tests/run.sh starts the main server.
const KORE_WRAP = process.env.MITWIRKEN_ASAN ? 'env LD_PRELOAD="$(gcc -print-file-name=libasan.so) ' +
	'$(gcc -print-file-name=libubsan.so)" ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1 ' +
	'UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1' : 'env';

const skip = PGDIR ? false : 'needs the private test cluster (DATABASE_URL was given)';
const ROOT = new URL('../..', import.meta.url).pathname;
const MAX_LAG = 3;	// seconds, small so the test sees it crossed

// A shell with the project's PostgreSQL and Kore functions; values go in
// through the environment, never spliced into the script.
function sh(script, env = {}) {
	const r = spawnSync('sh', ['-c', `. src/tools/pg.sh; . src/tools/conf.sh; . src/tools/kore.sh; ${script}`],
		{ cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000 });
	if (r.status !== 0) throw new Error(`sh failed (${r.status}): ${script}\n${r.stderr}${r.stdout}`);
	return r.stdout.trim();
}

// The same without blocking the event loop (a load running meanwhile).
const shAsync = (script, env = {}) => new Promise((resolve, reject) => {
	const c = spawn('sh', ['-c', `. src/tools/pg.sh; ${script}`], { cwd: ROOT, env: { ...process.env, ...env } });
	let out = '';
	c.stdout.on('data', (d) => { out += d; });
	c.stderr.on('data', (d) => { out += d; });
	c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script}: ${out}`))));
});

const freePort = () => new Promise((resolve) => {
	const s = net.createServer();
	s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

const DB = DATABASE_URL ? DATABASE_URL.replace(/^[^/]*\/\/[^/]*\//, "").replace(/\?.*$/, "") : "";
const appUrl = (ports, extra = '') => {
	const pw = readFileSync(`${PGDIR}/app.password`, 'utf8').trim();
	const hosts = ports.map((p) => `127.0.0.1:${p}`).join(',');
	return `postgresql://mitwirken_app:${pw}@${hosts}/${DB}?gssencmode=disable&connect_timeout=2${extra}`;
};

// A streaming standby of the cluster whose socket folder is SRC, in DIR
// (max_connections as high as the primary's: a hot standby needs that).
function standby(src, srcPort, dir, port) {
	const d = sh(`d=$(pg_home "$DIR") && rm -rf "$d/data" && mkdir -p "$d/run" &&
	    { [ "$(id -u)" -ne 0 ] || chown postgres "$d/run"; } && chmod 700 "$d/run" &&
	    pg_as "$PGBIN/pg_basebackup" -h "$SRC" -p "$SRCPORT" -U postgres -D "$d/data" -R -X stream -c fast &&
	    echo "$d"`, { DIR: dir, SRC: src, SRCPORT: String(srcPort) });
	const c = { dir: d, port, sock: `${d}/run` };
	start(c);
	return c;
}
const start = (c) => sh(`pg_as "$PGBIN/pg_ctl" -D "$D/data" -l "$D/postgresql.log" -w -o "-k $D/run -p $P -c listen_addresses=127.0.0.1 -c max_connections=300 -c unix_socket_permissions=0700 -c hot_standby_feedback=on" start >/dev/null`,
	{ D: c.dir, P: String(c.port) });
const pgctl = (c, args) => sh(`pg_as "$PGBIN/pg_ctl" -D "$D/data" -w ${args} >/dev/null`, { D: c.dir });
const psqlOn = (c, sql) => sh(`psql -X -q -tA -v ON_ERROR_STOP=1 -h "$S" -p "$P" -U postgres -d "$DBN" -c "$SQL"`,
	{ S: c.sock, P: String(c.port), DBN: DB, SQL: sql });

// A mitwirken node on its own port with its own environment.
async function node(dir, env) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const module = `${dirname(process.env.MIGRATE_BIN)}/mitwirken.so`;
	const pid = sh(`mkdir -p "$W" && MITWIRKEN_DROP=0 conf_render "$W/kore.conf" &&
	    kore_start "$W/kore.conf" "$W/kore.log" ${KORE_WRAP} && echo $KORE_PID`,
	{ W: dir, MITWIRKEN_LISTEN: `127.0.0.1:${port}`, MITWIRKEN_MODULE: module,
		MITWIRKEN_PUBLIC_URL: base, ...env });
	sh('kore_wait "$U/healthz" "$K" "$W/kore.log" 15', { U: base, K: pid, W: dir });
	return { base, pid, dir };
}
const stopNode = (n) => n && sh('kore_stop "$K"', { K: n.pid });

async function call(n, path, { method = 'GET', headers = {}, body } = {}) {
	const res = await fetch(n.base + path, { method, headers, body });
	return { status: res.status, headers: res.headers, text: await res.text() };
}

async function metrics(n) {
	const t = (await call(n, '/metrics')).text;
	const v = (re) => { const m = t.match(re); return m ? Number(m[1]) : 0; };
	return {
		replica: v(/^mitwirken_db_queries_total\{pool="replica"\} (\d+)$/m),
		primary: v(/^mitwirken_db_queries_total\{pool="primary"\} (\d+)$/m),
		routed: (d) => v(new RegExp(`^mitwirken_db_replica_routing_total\\{decision="${d}"\\} (\\d+)$`, 'm')),
		lags: [...t.matchAll(/^mitwirken_db_replica_lag_seconds\{worker="\d+"\} (\S+)$/gm)].map((m) => Number(m[1])),
		text: t,
	};
}

// Until fn() is true, at most ms.
async function until(what, fn, ms = 15000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await fn()) return;
		await sleep(100);
	}
	throw new Error(`timed out waiting for: ${what}`);
}

// Every worker of the node has measured the replica within the bound.
const replicaFresh = async (n) => {
	const m = await metrics(n);
	return m.lags.length > 0 && m.lags.every((l) => l >= 0 && l < 1.5);
};

const HEAVY = ['/api/v1/ideas.geojson', '/api/v1/defects.geojson', '/api/v1/stats/dashboard',
	'/api/v1/stats/inclusion', '/open311/v2/requests.json', '/api/v1/opendata/ideas.csv'];

test('read replica: routing, read-your-writes, lag and outage fallback, failover', { skip, timeout: 120000 }, async (t) => {
	const work = `${dirname(PGDIR)}/replica-test-${process.pid}`;
	const primary = { dir: PGDIR, port: Number(PGPORT), sock: `${PGDIR}/run` };
	let r1, r2, a, b;
	// A cluster made before the replication entry existed gets it now.
	sh(`grep -q '^local[[:space:]]*replication' "$D/data/pg_hba.conf" || {
	    printf 'local\\treplication\\tpostgres\\t\\tpeer map=mw\\n' | pg_as sh -c "cat >>'$D/data/pg_hba.conf'" &&
	    pg_as "$PGBIN/pg_ctl" -D "$D/data" reload >/dev/null; }`, { D: PGDIR });
	try {
		let t0 = Date.now();
		r1 = standby(primary.sock, primary.port, `${work}/r1`, await freePort());
		t.diagnostic(`standby r1 built and started in ${Date.now() - t0} ms`);
		t0 = Date.now();
		a = await node(`${work}/node-a`, {
			DATABASE_URL: appUrl([primary.port]),
			MITWIRKEN_REPLICA_URL: appUrl([r1.port], '&target_session_attrs=standby'),
			MITWIRKEN_REPLICA_MAX_LAG: String(MAX_LAG), MITWIRKEN_REPLICA_CONNS: '4',
		});
		t.diagnostic(`node a up in ${Date.now() - t0} ms`);
		const author = await member();
		const mod = await member(['moderator']);
		const word = 'replikat' + Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'q');

		await t.test('a heavy read is served by the replica (per-pool counters)', async () => {
			await until('the replica measured fresh', () => replicaFresh(a));
			const ready = await call(a, '/readyz');
			assert.equal(ready.status, 200);
			assert.match(ready.text, /^replica pool: \d+ busy of 4, \d+ waiting/m);
			assert.match(ready.text, /^replica: up, lag \d+\.\d s \(bound 3 s\)$/m);
			const before = await metrics(a);
			for (const path of HEAVY) {
				const r = await call(a, path);
				assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 200)}`);
			}
			const after = await metrics(a);
			// Every heavy route ran on the standby: none needed the primary.
			assert.equal(after.routed('fallback') - before.routed('fallback'), 0,
				'no heavy route fails on a standby');
			assert.ok(after.replica - before.replica >= HEAVY.length, 'the replica pool served them');
			assert.equal(after.routed('replica') - before.routed('replica'), HEAVY.length);
			// A read that must be current stays on the primary.
			const p0 = after.primary;
			assert.equal((await call(a, '/api/v1/fields')).status, 200);
			const after2 = await metrics(a);
			assert.ok(after2.primary > p0);
			assert.equal(after2.replica, after.replica);
		});

		let cookie = '';
		await t.test('a client reads its own write from the primary at once', async () => {
			const idea = await (await fetch(`${a.base}/api/v1/ideas`, { method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${author.token}`,
					'x-forwarded-for': author.ip },
				body: JSON.stringify(ideaBody({ title: `Ein Vorschlag ${word} am Ring`, lat: 52.2625, lon: 10.5211 })) })).json();
			assert.ok(idea.id, 'idea created');
			// The replica stops replaying; the publication below exists
			// only on the primary.
			psqlOn(r1, 'SELECT pg_wal_replay_pause()');
			const pub = await call(a, '/api/v1/moderation/decisions', { method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${mod.token}`,
					'x-forwarded-for': mod.ip },
				body: JSON.stringify({ kind: 'idea', ids: [idea.id], decision: 'publish' }) });
			assert.equal(pub.status, 200, pub.text);
			const set = pub.headers.get('set-cookie') || '';
			const m = set.match(/(?:^|, )(mw_wrote=\d+); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Lax/);
			assert.ok(m, `write cookie set: ${set}`);
			assert.equal(Number(m[2]), MAX_LAG + 2);
			cookie = m[1];
			const before = await metrics(a);
			const own = await call(a, `/api/v1/ideas.geojson?q=${word}`, { headers: { cookie } });
			const stranger = await call(a, `/api/v1/ideas.geojson?q=${word}`);
			const after = await metrics(a);
			assert.equal(own.status, 200);
			assert.deepEqual(JSON.parse(own.text).features.map((f) => f.id), [idea.id],
				'the writer sees the publication');
			assert.equal(after.routed('own_write') - before.routed('own_write'), 1);
			// Within the bound, another client may see the replica's older
			// state: the publication is not there yet.
			assert.equal(after.routed('replica') - before.routed('replica'), 1);
			assert.deepEqual(JSON.parse(stranger.text).features, []);
		});

		await t.test('a replica paused beyond the bound: reads fall back to the primary', async () => {
			await until('lag beyond the bound', async () => (await metrics(a)).lags.every((l) => l > MAX_LAG));
			const ready = await call(a, '/readyz');
			assert.equal(ready.status, 200);
			assert.match(ready.text, /^replica: up, lagging \d+\.\d s \(bound 3 s\); its reads go to the primary$/m);
			const before = await metrics(a);
			const r = await call(a, `/api/v1/ideas.geojson?q=${word}`);
			assert.equal(JSON.parse(r.text).features.length, 1, 'current data from the primary');
			const after = await metrics(a);
			assert.equal(after.routed('lagging') - before.routed('lagging'), 1);
			assert.equal(after.replica, before.replica);
			psqlOn(r1, 'SELECT pg_wal_replay_resume()');
			await until('the replica caught up', () => replicaFresh(a));
			const again = await call(a, `/api/v1/ideas.geojson?q=${word}`);
			assert.equal(JSON.parse(again.text).features.length, 1);
			assert.ok((await metrics(a)).replica > after.replica, 'back on the replica');
		});

		await t.test('measured: the replica lag under a write load (pgbench inserts)', async () => {
			psqlOn(primary, 'CREATE TABLE IF NOT EXISTS replica_load (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), pad text)');
			const lags = [];
			let running = true;
			const sampler = (async () => {
				while (running) {
					lags.push(...(await metrics(a)).lags.filter((l) => l >= 0));
					await sleep(100);
				}
			})();
			let out;
			try {
				out = await shAsync(`printf 'INSERT INTO replica_load (pad) VALUES (repeat(md5(random()::text), 4));\n' >"$W/load.sql" &&
				    pg_as "$PGBIN/pgbench" -n -h "$S" -p "$P" -U postgres -c 4 -j 2 -T 3 -f "$W/load.sql" "$DBN" 2>&1`,
				{ W: work, S: primary.sock, P: String(primary.port), DBN: DB });
			} finally {
				running = false;
				await sampler;
			}
			const tps = (out.match(/tps = ([\d.]+)/) || [])[1];
			lags.sort((x, y) => x - y);
			t.diagnostic(`replica lag under ${tps} inserts/s (4 clients, 3 s): median ${lags[lags.length >> 1]} s, ` +
				`max ${lags[lags.length - 1]} s over ${lags.length} samples (probe every 0.5 s)`);
			await until('the replica caught up', () => replicaFresh(a));
		});

		await t.test('the replica stops under load: heavy reads move to the primary, none fails', async () => {
			const statuses = [];
			let running = true;
			const clients = Array.from({ length: 6 }, async (_, i) => {
				for (let n = 0; running && n < 400; n++)
					statuses.push((await call(a, HEAVY[(i + n) % 3])).status);
			});
			try {
				await sleep(300);
				pgctl(r1, '-m fast stop');
				await sleep(1500);
			} finally {
				running = false;
				await Promise.all(clients);
			}
			const ready = await call(a, '/readyz');
			const m = await metrics(a);
			start(r1);
			assert.ok(statuses.length > 30, `${statuses.length} requests`);
			assert.deepEqual([...new Set(statuses)], [200]);
			assert.ok(m.routed('down') + m.routed('fallback') > 0);
			assert.equal(ready.status, 200, 'the primary serves: still ready');
			assert.match(ready.text, /^replica: down; its reads go to the primary$/m);
			assert.match(m.text, /^mitwirken_db_replica_up\{worker="\d+"\} 0$/m);
		});

		await t.test('failover: the standby is promoted, the node reconnects without a restart', async () => {
			// r1 becomes a primary of its own with a standby r2; node b
			// names both in DATABASE_URL.
			let t2 = Date.now();
			pgctl(r1, 'promote');
			await until('r1 writable', () => psqlOn(r1, 'SELECT pg_is_in_recovery()') === 'f', 10000);
			r2 = standby(r1.sock, r1.port, `${work}/r2`, await freePort());
			b = await node(`${work}/node-b`, {
				DATABASE_URL: appUrl([r1.port, r2.port], '&target_session_attrs=read-write'),
				MITWIRKEN_REPLICA_URL: appUrl([r2.port], '&target_session_attrs=standby'),
				MITWIRKEN_REPLICA_MAX_LAG: String(MAX_LAG),
			});
			const write = (n) => call(b, '/api/v1/ideas', { method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${author.token}`,
					'x-forwarded-for': author.ip },
				body: JSON.stringify(ideaBody({ title: `Nach dem Wechsel ${n} ${word}` })) });
			t.diagnostic(`promote, standby r2 and node b in ${Date.now() - t2} ms`);
			for (let i = 0; i < 10; i++) assert.equal((await call(b, '/api/v1/fields')).status, 200);
			assert.equal((await write(0)).status, 201);

			pgctl(r1, '-m immediate stop');
			const statuses = [];
			const t1 = Date.now();
			for (let i = 0; i < 10; i++) {
				for (const r of [await call(b, '/api/v1/fields'), await write(1), await call(b, '/readyz')]) {
					statuses.push(r.status);
					if (r.status === 503) assert.match(r.headers.get('retry-after') || '', /^\d+$/);
				}
			}
			t.diagnostic(`30 requests without a primary took ${Date.now() - t1} ms`);
			assert.ok(statuses.includes(503), 'unavailable while no primary exists');
			const crashed = Date.now();
			pgctl(r2, 'promote');
			let created;
			await until('a write succeeds on the promoted standby', async () => {
				const r = await write(2);
				statuses.push(r.status);
				if (r.status === 503) assert.match(r.headers.get('retry-after') || '', /^\d+$/);
				if (r.status === 201) created = JSON.parse(r.text);
				return r.status === 201;
			}, 20000);
			t.diagnostic(`first acknowledged write ${Date.now() - crashed} ms after pg_ctl promote began`);
			assert.ok(statuses.every((s) => [200, 201, 503].includes(s)), `statuses: ${statuses.join(' ')}`);
			assert.equal(psqlOn(r2, `SELECT count(*) FROM ideas WHERE id = ${created.id}`), '1');
			// The same node, never restarted.
			assert.ok(sh('kore_members "$K"', { K: b.pid }).split('\n').includes(String(b.pid)));
			for (let i = 0; i < 10; i++) assert.equal((await call(b, '/api/v1/fields')).status, 200);
		});

		await t.test('no node crashed', () => {
			for (const n of [a, b].filter(Boolean)) {
				// PostgreSQL's own messages that libpq relays when a server
				// ends a connection ("FATAL:  terminating connection …")
				// are not this process failing.
				const log = readFileSync(`${n.dir}/kore.log`, 'utf8').split('\n')
					.filter((l) => !/^\s*FATAL:  terminating connection due to administrator command$/.test(l)).join('\n');
				assert.doesNotMatch(log, /sandbox violation|worker \d+ .*exited|fatal|bug id=/i);
			}
		});
	} finally {
		for (const n of [a, b]) { try { stopNode(n); } catch (e) { console.error(e.message); } }
		for (const c of [r1, r2]) {
			if (c) { try { sh('pg_down "$D" immediate', { D: c.dir }); } catch (e) { console.error(e.message); } }
		}
		rmSync(work, { recursive: true, force: true });
	}
});
