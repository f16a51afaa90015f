// Measuring tools for the benchmark scenarios (tests/bench/scenarios.mjs):
// wrk and pgbench runs with /proc sampling of the Kore workers and the
// PostgreSQL backends, interleaved A/B rounds, psql and COPY helpers.
// Every child process is bounded in time and stopped on SIGTERM/SIGINT.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';

const CLK_TCK = 100;	// sysconf(_SC_CLK_TCK) on Linux
const SAMPLE_MS = 200;

// ---- child processes --------------------------------------------------

const children = new Set();

export function stopChildren() {
	for (const c of children) {
		try { c.kill('SIGTERM'); } catch { /* gone */ }
	}
}

// run(cmd, args, {timeoutMs, input, env, stdin}) -> {code, stdout, stderr}.
// A process still running after timeoutMs is killed (and reported).
export function run(cmd, args, { timeoutMs = 60000, input, env, stdin } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			env: { ...process.env, ...env },
			stdio: [stdin ? 'pipe' : (input === undefined ? 'ignore' : 'pipe'), 'pipe', 'pipe'],
		});
		children.add(child);
		const out = [];
		const err = [];
		let killed = false;
		const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, timeoutMs);
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => err.push(d));
		child.on('error', (e) => { clearTimeout(timer); children.delete(child); reject(e); });
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			children.delete(child);
			const res = { code, signal, stdout: Buffer.concat(out).toString(),
				stderr: Buffer.concat(err).toString() };
			if (killed) reject(new Error(`${cmd} killed after ${timeoutMs} ms`));
			else resolve(res);
		});
		if (input !== undefined) child.stdin.end(input);
		if (stdin) stdin(child.stdin);
	});
}

// ---- /proc sampling -----------------------------------------------------

function readStat(pid) {
	try {
		const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
		const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
		// f[0] is field 3 (state): ppid is field 4, utime 14, stime 15
		return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
	} catch { return null; }
}

function readRssKb(pid) {
	try {
		const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
		return m ? Number(m[1]) : 0;
	} catch { return 0; }
}

function cmdline(pid) {
	try { return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim(); }
	catch { return ''; }
}

export function childrenOf(ppid) {
	const out = [];
	for (const d of readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		const st = readStat(d);
		if (st && st.ppid === ppid) out.push(Number(d));
	}
	return out;
}

// Kore's workers are the children of its parent titled "kore [wrk N]".
export function koreWorkers(parent) {
	return childrenOf(parent).filter((p) => /\[wrk/.test(cmdline(p)));
}

// The postmaster's pid is the first line of postmaster.pid.
export function postmasterPid(pgdata) {
	try { return Number(readFileSync(join(pgdata, 'postmaster.pid'), 'latin1').split('\n')[0]); }
	catch { return 0; }
}

// A sampler reads utime+stime and VmRSS of a group of processes every
// SAMPLE_MS.  CPU counts ticks from the first sample of each pid (a pid
// that appears later counts from zero: it is new); a pid that exits keeps
// its last reading.  stop() returns the group's CPU % (100 = one core),
// the peak VmRSS of any one process, the largest VmRSS at the first and
// the last sample, and whether the set of processes changed.
export function sampler(listPids) {
	const seen = new Map();	// pid -> {first, last, peakKb}
	let firstSample = true;
	let t0 = 0;
	let t1 = 0;
	let firstRss = 0;
	let lastRss = 0;
	let initialPids = null;
	let changed = false;
	const sample = () => {
		const now = performance.now();
		const pids = listPids();
		if (initialPids === null) initialPids = new Set(pids);
		else if (pids.length !== initialPids.size || pids.some((p) => !initialPids.has(p))) changed = true;
		let maxRss = 0;
		for (const pid of pids) {
			const st = readStat(pid);
			if (!st) continue;
			const rss = readRssKb(pid);
			maxRss = Math.max(maxRss, rss);
			const e = seen.get(pid);
			if (e) { e.last = st.ticks; e.peakKb = Math.max(e.peakKb, rss); }
			else seen.set(pid, { first: firstSample ? st.ticks : 0, last: st.ticks, peakKb: rss });
		}
		if (firstSample) { t0 = now; firstRss = maxRss; }
		t1 = now;
		lastRss = maxRss;
		firstSample = false;
	};
	sample();
	const timer = setInterval(sample, SAMPLE_MS);
	return {
		stop() {
			clearInterval(timer);
			sample();
			let ticks = 0;
			let peakKb = 0;
			for (const e of seen.values()) { ticks += e.last - e.first; peakKb = Math.max(peakKb, e.peakKb); }
			const secs = (t1 - t0) / 1000;
			return {
				cpuPct: secs > 0 ? (100 * ticks / CLK_TCK) / secs : 0,
				peakRssMb: peakKb / 1024,
				rssFirstMb: firstRss / 1024,
				rssLastMb: lastRss / 1024,
				procs: initialPids ? initialPids.size : 0,
				changed,
			};
		},
	};
}

// ---- parsing --------------------------------------------------------------

function toMs(v, unit) {
	const n = Number(v);
	return unit === 'us' ? n / 1000 : unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60000 : NaN;
}

export function parseWrk(text) {
	const num = (re) => { const m = re.exec(text); return m ? Number(m[1]) : 0; };
	const pct = (p) => { const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text); return m ? toMs(m[1], m[2]) : NaN; };
	const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
	return {
		rps: num(/Requests\/sec:\s+([\d.]+)/),
		requests: num(/(\d+) requests in/),
		p50: pct(50),
		p99: pct(99),
		non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
		socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
	};
}

export function parsePgbench(text) {
	const num = (re) => { const m = re.exec(text); return m ? Number(m[1]) : 0; };
	return {
		rps: num(/tps = ([\d.]+) \(without initial connection time\)/),
		requests: num(/number of transactions actually processed: (\d+)/),
		failed: num(/number of failed transactions: (\d+)/),
		latAvg: num(/latency average = ([\d.]+) ms/),
	};
}

export function percentile(sorted, p) {
	if (!sorted.length) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
	return sorted[i];
}

export function median(xs) {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return NaN;
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- the context scenarios get --------------------------------------------

export function makeContext(env) {
	const quick = env.BENCH_QUICK === '1';
	const raw = env.BENCH_RAW;
	const workers = Number(env.MITWIRKEN_WORKERS || 2);
	const dbConns = Number(env.MITWIRKEN_DB_CONNS || 16);
	const duration = Number(env.BENCH_DURATION || (quick ? 3 : 10));
	const rounds = Number(env.BENCH_ROUNDS || (quick ? 1 : 3));
	const warmup = quick ? 1 : 2;
	const servers = {
		app: { url: env.BENCH_APP_URL, pid: Number(env.BENCH_APP_PID) },
		bare: { url: env.BENCH_BARE_URL, pid: Number(env.BENCH_BARE_PID) },
	};
	const pgdata = env.BENCH_PGDATA;
	const measurements = [];	// every run, for the detail table
	let seq = 0;

	const pgBackends = () => {
		const pm = postmasterPid(pgdata);
		return pm ? childrenOf(pm) : [];
	};
	const workersOf = (name) => () => koreWorkers(servers[name].pid);

	const ctx = {
		quick, raw, workers, dbConns, duration, rounds, warmup, servers, measurements,
		poolSize: workers * dbConns,

		// size(quickValue, fullValue): a data size for this mode.
		size: (q, f) => (quick ? q : f),

		log: (msg) => console.log(`   ${msg}`),

		// wrk against a server ('app' or 'bare').  Options: label, threads,
		// connections, duration, script (a Lua file), headers (array of
		// "Name: value"), warm (true: a short unrecorded run).
		async wrk(server, path, opts = {}) {
			const s = servers[server];
			const d = opts.warm ? warmup : (opts.duration || duration);
			const args = ['-t', String(opts.threads || 2), '-c', String(opts.connections || 64),
				'-d', `${d}s`, '--latency'];
			for (const h of opts.headers || []) args.push('-H', h);
			if (opts.script) args.push('-s', opts.script);
			args.push(s.url + path);
			const smp = opts.warm ? null : sampler(workersOf(server));
			const pg = opts.warm ? null : sampler(pgBackends);
			const res = await run('wrk', args, { timeoutMs: (d + 20) * 1000 });
			const w = smp ? smp.stop() : null;
			const p = pg ? pg.stop() : null;
			if (opts.warm) return null;
			const label = opts.label || `${server} ${path}`;
			const file = `${String(++seq).padStart(2, '0')}-wrk-${label.replace(/[^\w.-]+/g, '_')}.txt`;
			writeFileSync(join(raw, file), `wrk ${args.join(' ')}\n\n${res.stdout}${res.stderr}`);
			const r = parseWrk(res.stdout);
			const m = { label, tool: 'wrk', ...r, errors: r.non2xx + r.socketErrors,
				cpuPct: w.cpuPct, peakRssMb: w.peakRssMb, rssFirstMb: w.rssFirstMb,
				rssLastMb: w.rssLastMb, procs: w.procs, procsChanged: w.changed,
				pgCpuPct: p.cpuPct, raw: file };
			if (res.code !== 0 || !r.rps) m.failed = `wrk exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`;
			measurements.push(m);
			return m;
		},

		// pgbench with a custom script (SQL text) against the bench
		// database, over the same Unix socket the application uses, with
		// the extended protocol the application uses.  Options: label,
		// clients (default: the application's pool size), jobs (2),
		// duration, warm.  p50/p99 come from a 10 % sample of the
		// per-transaction log.
		async pgbench(name, sql, opts = {}) {
			const d = opts.warm ? warmup : (opts.duration || duration);
			const script = join(raw, `${name}.pgbench.sql`);
			writeFileSync(script, sql.endsWith('\n') ? sql : sql + '\n');
			const label = opts.label || `pgbench ${name}`;
			const n = ++seq;
			const prefix = join(raw, `pgbench-log-${n}`);
			const args = ['-n', '-M', 'extended', '-c', String(opts.clients || ctx.poolSize),
				'-j', String(opts.jobs || 2), '-T', String(d), '-f', script];
			if (!opts.warm) args.push('-l', '--sampling-rate=0.1', `--log-prefix=${prefix}`);
			const pg = opts.warm ? null : sampler(pgBackends);
			const res = await run('pgbench', args, { timeoutMs: (d + 30) * 1000 });
			const p = pg ? pg.stop() : null;
			const lat = [];
			for (const f of readdirSync(raw).filter((f) => f.startsWith(`pgbench-log-${n}.`))) {
				for (const line of readFileSync(join(raw, f), 'latin1').split('\n')) {
					const x = line.split(' ');
					if (x.length > 2) lat.push(Number(x[2]) / 1000);
				}
				rmSync(join(raw, f));
			}
			if (opts.warm) return null;
			lat.sort((a, b) => a - b);
			const file = `${String(n).padStart(2, '0')}-pgbench-${label.replace(/[^\w.-]+/g, '_')}.txt`;
			writeFileSync(join(raw, file), `pgbench ${args.join(' ')}\n\n${res.stdout}${res.stderr}`);
			const r = parsePgbench(res.stdout + res.stderr);
			const m = { label, tool: 'pgbench', rps: r.rps, requests: r.requests,
				p50: percentile(lat, 50), p99: percentile(lat, 99), errors: r.failed,
				pgCpuPct: p.cpuPct, raw: file };
			if (res.code !== 0 || !r.rps) m.failed = `pgbench exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`;
			measurements.push(m);
			return m;
		},

		// interleave(a, b): one unrecorded warm-up of each, then `rounds`
		// rounds in A B, B A, A B … order (so a drift in the machine's
		// speed hits both alike); returns the medians of each side.
		// a and b are functions (opts) => Promise<measurement>; they get
		// {warm: true} for the warm-up.
		async interleave(a, b) {
			await a({ warm: true });
			await b({ warm: true });
			const as = [];
			const bs = [];
			for (let i = 0; i < rounds; i++) {
				if (i % 2 === 0) { as.push(await a({})); bs.push(await b({})); }
				else { bs.push(await b({})); as.push(await a({})); }
			}
			return { a: summarize(as), b: summarize(bs) };
		},

		// repeat(a): warm-up, then `rounds` runs; medians.
		async repeat(a) {
			await a({ warm: true });
			const as = [];
			for (let i = 0; i < rounds; i++) as.push(await a({}));
			return summarize(as);
		},

		// psql(sql) -> stdout (unaligned, tuples only); throws on error.
		async psql(sql, { timeoutMs = 600000 } = {}) {
			const res = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', '-c', sql], { timeoutMs });
			if (res.code !== 0) throw new Error(`psql: ${res.stderr.trim()}`);
			return res.stdout.trim();
		},

		// copy(table, columns, n, row): generates n rows with row(i)
		// (an array of values; null is NULL) and streams them into
		// COPY table (columns) FROM STDIN.  Returns {rows, seconds}.
		async copy(table, columns, n, row, { timeoutMs = 600000 } = {}) {
			const t0 = performance.now();
			const esc = (v) => (v === null || v === undefined ? '\\N'
				: String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
			const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
			const res = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
				timeoutMs,
				stdin: (w) => {
					let i = 0;
					const write = () => {
						while (i < n) {
							let chunk = '';
							for (let k = 0; k < 5000 && i < n; k++, i++) chunk += row(i).map(esc).join('\t') + '\n';
							if (!w.write(chunk)) { w.once('drain', write); return; }
						}
						w.end();
					};
					w.on('error', () => {});
					write();
				},
			});
			if (res.code !== 0) throw new Error(`COPY ${table}: ${res.stderr.trim()}`);
			return { rows: n, seconds: (performance.now() - t0) / 1000 };
		},
	};
	return ctx;
}

// Medians of repeated measurements (peak RSS: the largest; errors: the sum).
export function summarize(ms) {
	const med = (k) => median(ms.map((m) => m[k]));
	const failed = ms.map((m) => m.failed).filter(Boolean);
	return {
		label: ms[0].label, tool: ms[0].tool, runs: ms.length,
		rps: med('rps'), p50: med('p50'), p99: med('p99'),
		cpuPct: med('cpuPct'), pgCpuPct: med('pgCpuPct'),
		peakRssMb: Math.max(...ms.map((m) => m.peakRssMb || 0)),
		rssFirstMb: ms[0].rssFirstMb, rssLastMb: ms[ms.length - 1].rssLastMb,
		procs: ms[0].procs, procsChanged: ms.some((m) => m.procsChanged),
		errors: ms.reduce((a, m) => a + (m.errors || 0), 0),
		failed: failed.length ? failed.join('; ') : undefined,
		all: ms,
	};
}

export function appendText(file, text) { appendFileSync(file, text); }
