// Measuring tools for the benchmark scenarios (tests/bench/scenarios.mjs):
// wrk and pgbench runs with /proc sampling of the Kore workers and the
// PostgreSQL backends, interleaved A/B rounds, psql and COPY helpers.
// Every child process is bounded in time and stopped on SIGTERM/SIGINT.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const CLK_TCK = 100;	// USER_HZ: the unit of /proc/PID/stat on Linux
const NCPU = availableParallelism();
const SAMPLE_MS = 200;
// A run during which the rest of the machine (other jobs, and the kernel's
// network work, ~10-20 % here under load) took more CPU than this (100 =
// one core) is disturbed: interleave() runs that round again.
export const OTHER_LIMIT = 30;

// ---- child processes --------------------------------------------------

const children = new Set();

export function stopChildren() {
	for (const c of children) {
		try { c.kill('SIGTERM'); } catch { /* gone */ }
	}
}

// run(cmd, args, {timeoutMs, input, env, stdin, onSpawn}) ->
// {code, stdout, stderr}.  A process still running after timeoutMs is
// killed (and reported).  stdin(stream) writes the input; onSpawn(child)
// is called once the process exists.
export function run(cmd, args, { timeoutMs = 60000, input, env, stdin, onSpawn } = {}) {
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
		if (onSpawn && child.pid) onSpawn(child);
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

// The postmaster's pid is the first line of postmaster.pid.
export function postmasterPid(pgdata) {
	try { return Number(readFileSync(join(pgdata, 'postmaster.pid'), 'latin1').split('\n')[0]); }
	catch { return 0; }
}

// The machine's CPU time from the first line of /proc/stat, in ticks
// summed over all cores: busy (everything but idle and iowait), steal
// (taken by the hypervisor for other guests: noisy neighbours), total.
export function machineTicks() {
	const f = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
	return { busy: total - f[3] - f[4], steal: f[7] || 0, total };
}

// A sampler reads utime+stime and VmRSS of groups of processes every
// SAMPLE_MS; a group is the children of a parent pid (filtered by `match`
// on the command line), or given pids ({pids: [..]}).  Children are
// looked up in /proc once a second (a full scan costs more than the
// readings), and at the end.  CPU counts ticks from the
// first sample of each pid (a pid that appears later counts from zero: it
// is new); a pid that exits keeps its last reading.  stop() returns, per
// group, the CPU % (100 = one core), the peak VmRSS of any one process,
// the largest VmRSS at the first and at the last sample, the number of
// processes at the start and whether the set changed.
export function sampler(groups) {
	const state = {};
	for (const name of Object.keys(groups)) {
		state[name] = { seen: new Map(), pids: [], initial: null, changed: false,
			firstRss: 0, lastRss: 0 };
	}
	const m0 = machineTicks();
	let tick = 0;
	let t0 = 0;
	let t1 = 0;
	const scan = () => {
		for (const [name, g] of Object.entries(groups)) {
			const parent = typeof g.parent === 'function' ? g.parent() : g.parent;
			let pids = g.pids ? g.pids.slice() : parent ? childrenOf(parent) : [];
			if (g.match) pids = pids.filter((p) => g.match.test(cmdline(p)));
			const s = state[name];
			s.pids = pids;
			if (s.initial === null) s.initial = new Set(pids);
			else if (pids.length !== s.initial.size || pids.some((p) => !s.initial.has(p))) s.changed = true;
		}
	};
	const sample = (rescan) => {
		const now = performance.now();
		if (rescan || tick % 5 === 0) scan();
		for (const s of Object.values(state)) {
			let maxRss = 0;
			for (const pid of s.pids) {
				const st = readStat(pid);
				if (!st) continue;
				const rss = readRssKb(pid);
				maxRss = Math.max(maxRss, rss);
				const e = s.seen.get(pid);
				if (e) { e.last = st.ticks; e.peakKb = Math.max(e.peakKb, rss); }
				else s.seen.set(pid, { first: tick === 0 ? st.ticks : 0, last: st.ticks, peakKb: rss });
			}
			if (tick === 0) s.firstRss = maxRss;
			s.lastRss = maxRss;
		}
		if (tick === 0) t0 = now;
		t1 = now;
		tick++;
	};
	sample(true);
	const timer = setInterval(() => sample(false), SAMPLE_MS);
	return {
		stop() {
			clearInterval(timer);
			sample(true);	// rescan: notices a worker that died late
			const secs = (t1 - t0) / 1000;
			const m1 = machineTicks();
			const mt = m1.total - m0.total;
			const out = {
				// in the same unit as the processes: 100 % = one core
				machine: {
					busyPct: mt > 0 ? NCPU * 100 * (m1.busy - m0.busy) / mt : NaN,
					stealPct: mt > 0 ? NCPU * 100 * (m1.steal - m0.steal) / mt : NaN,
				},
			};
			for (const [name, s] of Object.entries(state)) {
				let ticks = 0;
				let peakKb = 0;
				for (const e of s.seen.values()) { ticks += e.last - e.first; peakKb = Math.max(peakKb, e.peakKb); }
				out[name] = {
					cpuPct: secs > 0 ? (100 * ticks / CLK_TCK) / secs : 0,
					peakRssMb: peakKb / 1024,
					rssFirstMb: s.firstRss / 1024,
					rssLastMb: s.lastRss / 1024,
					procs: s.initial ? s.initial.size : 0,
					changed: s.changed,
				};
			}
			return out;
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
		// wrk prints no 95th percentile; a script's done() may (p95Script).
		p95: pct(95),
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

// A wrk script that prints the 95th percentile in the format of wrk's
// own latency distribution, so that parseWrk reads it as p95.
export function p95Script(dir) {
	const file = join(dir, 'p95.lua');
	writeFileSync(file, 'done = function(summary, latency, requests)\n' +
		'\tio.write(string.format("     95%%  %.2fus\\n", latency:percentile(95)))\nend\n');
	return file;
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
	// Full: five short interleaved rounds rather than three long ones,
	// so that a burst of other work on the machine spoils one round of
	// one side, not the median.
	const duration = Number(env.BENCH_DURATION || (quick ? 3 : 6));
	const rounds = Number(env.BENCH_ROUNDS || (quick ? 1 : 5));
	const warmup = quick ? 1 : 2;
	const servers = {
		app: { url: env.BENCH_APP_URL, pid: Number(env.BENCH_APP_PID) },
		bare: { url: env.BENCH_BARE_URL, pid: Number(env.BENCH_BARE_PID) },
	};
	const pgdata = env.BENCH_PGDATA;
	const measurements = [];	// every run, for the detail table
	let seq = 0;

	// What a run samples: the Kore workers of the server under load (the
	// children of its parent titled "kore [wrk N]"), every PostgreSQL
	// process (the children of the postmaster), and the load generator.
	const groups = (server, clientPid) => ({
		kore: { parent: server ? servers[server].pid : 0, match: /\[wrk/ },
		pg: { parent: () => postmasterPid(pgdata) },
		client: { pids: [clientPid] },
	});

	// Runs round(i) until `rounds` rounds were undisturbed or 2 × rounds
	// were run; keeps the undisturbed ones, then the least disturbed, in
	// the order they ran.
	// A round more is run only while ctx.timeLeft() (set by bench.mjs:
	// the budget minus what the later scenarios need) allows it.
	async function undisturbed(round) {
		const all = [];
		for (let i = 0; i < 2 * rounds; i++) {
			const t0 = performance.now();
			const ms = await round(i);
			const secs = (performance.now() - t0) / 1000;
			all.push({ i, ms, other: Math.max(...ms.map((m) => m.otherCpuPct || 0)) });
			const clean = all.filter((r) => r.other <= OTHER_LIMIT).length;
			if (clean >= rounds) break;
			if (i + 1 >= rounds && i + 1 < 2 * rounds) {
				const more = ctx.timeLeft() > secs * 1.2;
				ctx.log(`${clean} of ${rounds} rounds undisturbed (round ${i + 1}: other work took ` +
					`${all[i].other.toFixed(0)} % CPU): ${more ? 'one more round' : 'no time left for more'}`);
				if (!more) break;
			}
		}
		const best = [...all].sort((x, y) => (x.other <= OTHER_LIMIT) === (y.other <= OTHER_LIMIT)
			? (x.other <= OTHER_LIMIT ? x.i - y.i : x.other - y.other)
			: (x.other <= OTHER_LIMIT ? -1 : 1)).slice(0, rounds);
		best.sort((x, y) => x.i - y.i);
		return { rounds: best.map((r) => r.ms), dropped: all.filter((r) => !best.includes(r)).map((r) => r.ms) };
	}

	const ctx = {
		quick, raw, workers, dbConns, duration, rounds, warmup, servers, measurements,
		poolSize: workers * dbConns,

		// Seconds this scenario may still use (bench.mjs sets it).
		timeLeft: () => Infinity,

		// size(quickValue, fullValue): a data size for this mode.
		size: (q, f) => (quick ? q : f),

		log: (msg) => console.log(`   ${msg}`),

		// wrk against a server ('app' or 'bare').  Options: label, threads,
		// connections, duration, script (a Lua file), headers (array of
		// "Name: value"), timeout (wrk's, default 2s: a slower answer
		// counts as a socket error), warm (true: a short unrecorded run).
		async wrk(server, path, opts = {}) {
			const s = servers[server];
			const d = opts.warm ? warmup : (opts.duration || duration);
			const args = ['-t', String(opts.threads || 2), '-c', String(opts.connections || 64),
				'-d', `${d}s`, '--latency'];
			if (opts.timeout) args.push('--timeout', opts.timeout);
			for (const h of opts.headers || []) args.push('-H', h);
			if (opts.script) args.push('-s', opts.script);
			args.push(s.url + path);
			let smp = null;
			const res = await run('wrk', args, {
				timeoutMs: (d + 30) * 1000,
				onSpawn: (c) => { if (!opts.warm) smp = sampler(groups(server, c.pid)); },
			});
			const smpl = smp ? smp.stop() : null;
			if (opts.warm) return null;
			const label = opts.label || `${server} ${path}`;
			const file = `${String(++seq).padStart(2, '0')}-wrk-${label.replace(/[^\w.-]+/g, '_')}.txt`;
			writeFileSync(join(raw, file), `wrk ${args.join(' ')}\n\n${res.stdout}${res.stderr}`);
			const r = parseWrk(res.stdout);
			const m = { label, tool: 'wrk', ...r, errors: r.non2xx + r.socketErrors,
				...fromSample(smpl), raw: file };
			if (res.code !== 0 || !r.rps) m.failed = `wrk exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`;
			measurements.push(m);
			return m;
		},

		// pgbench with a custom script (SQL text) against the bench
		// database, over the same Unix socket the application uses, with
		// the extended protocol the application uses.  Options: label,
		// clients (default: the application's pool size), jobs (2),
		// duration, warm.  Its latency is pgbench's own average
		// (clients / tps): its per-transaction log reads a clock cached
		// per thread loop and is no fit for percentiles.
		async pgbench(name, sql, opts = {}) {
			const d = opts.warm ? warmup : (opts.duration || duration);
			const script = join(raw, `${name}.pgbench.sql`);
			writeFileSync(script, sql.endsWith('\n') ? sql : sql + '\n');
			const label = opts.label || `pgbench ${name}`;
			const args = ['-n', '-M', 'extended', '-c', String(opts.clients || ctx.poolSize),
				'-j', String(opts.jobs || 2), '-T', String(d), '-f', script];
			let smp = null;
			const res = await run('pgbench', args, {
				timeoutMs: (d + 30) * 1000,
				onSpawn: (c) => { if (!opts.warm) smp = sampler(groups(null, c.pid)); },
			});
			const smpl = smp ? smp.stop() : null;
			if (opts.warm) return null;
			const file = `${String(++seq).padStart(2, '0')}-pgbench-${label.replace(/[^\w.-]+/g, '_')}.txt`;
			writeFileSync(join(raw, file), `pgbench ${args.join(' ')}\n\n${res.stdout}${res.stderr}`);
			const r = parsePgbench(res.stdout + res.stderr);
			const m = { label, tool: 'pgbench', rps: r.rps, requests: r.requests,
				latAvg: r.latAvg, errors: r.failed, ...fromSample(smpl), raw: file };
			if (res.code !== 0 || !r.rps) m.failed = `pgbench exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`;
			measurements.push(m);
			return m;
		},

		// interleave(a, b): one unrecorded warm-up of each, then `rounds`
		// rounds in A B, B A, A B … order (so a drift in the machine's
		// speed hits both alike); returns the medians of each side and
		// the ratio of requests/s in each round (a/b), to show the spread.
		// a and b are functions (opts) => Promise<measurement>; they get
		// {warm: true} for the warm-up.  A round during which other work
		// took more than OTHER_LIMIT % CPU is run again (at most `rounds`
		// times in all), and the least disturbed rounds are kept.
		async interleave(a, b) {
			await a({ warm: true });
			await b({ warm: true });
			const kept = await undisturbed(async (i) => (i % 2 === 0
				? [await a({}), await b({})]
				: [await b({}), await a({})].reverse()));
			const as = kept.rounds.map((r) => r[0]);
			const bs = kept.rounds.map((r) => r[1]);
			return {
				a: summarize(as, kept.dropped.map((r) => r[0])),
				b: summarize(bs, kept.dropped.map((r) => r[1])),
				ratios: as.map((m, i) => m.rps / bs[i].rps),
				dropped: kept.dropped.length,
			};
		},

		// repeat(a): warm-up, then `rounds` runs (again, as above); medians.
		async repeat(a) {
			await a({ warm: true });
			const kept = await undisturbed(async () => [await a({})]);
			return summarize(kept.rounds.map((r) => r[0]), kept.dropped.flat());
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

// The sampled figures a measurement carries.
function fromSample(x) {
	if (!x) return {};
	return {
		cpuPct: x.kore.cpuPct, peakRssMb: x.kore.peakRssMb, rssFirstMb: x.kore.rssFirstMb,
		rssLastMb: x.kore.rssLastMb, procs: x.kore.procs, procsChanged: x.kore.changed,
		pgCpuPct: x.pg.cpuPct, clientCpuPct: x.client.cpuPct,
		busyPct: x.machine.busyPct, stealPct: x.machine.stealPct,
		// the kernel's softirq work and everything else on the machine
		otherCpuPct: x.machine.busyPct - x.kore.cpuPct - x.pg.cpuPct - x.client.cpuPct,
	};
}

// Medians of repeated measurements (peak RSS: the largest; errors: the
// sum).  Dropped (disturbed) runs do not count towards the figures, but
// their errors and failures do: a crash must not go unnoticed.
export function summarize(ms, dropped = []) {
	const med = (k) => median(ms.map((m) => m[k]));
	const every = [...ms, ...dropped];
	const failed = every.map((m) => m.failed).filter(Boolean);
	return {
		label: ms[0].label, tool: ms[0].tool, runs: ms.length, dropped: dropped.length,
		rps: med('rps'), p50: med('p50'), p95: med('p95'), p99: med('p99'), latAvg: med('latAvg'),
		cpuPct: med('cpuPct'), pgCpuPct: med('pgCpuPct'), clientCpuPct: med('clientCpuPct'),
		busyPct: med('busyPct'), stealPct: med('stealPct'), otherCpuPct: med('otherCpuPct'),
		maxOtherCpuPct: Math.max(...ms.map((m) => m.otherCpuPct || 0)),
		peakRssMb: Math.max(...ms.map((m) => m.peakRssMb || 0)),
		rssFirstMb: ms[0].rssFirstMb, rssLastMb: ms[ms.length - 1].rssLastMb,
		procs: ms[0].procs, procsChanged: every.some((m) => m.procsChanged),
		errors: every.reduce((a, m) => a + (m.errors || 0), 0),
		failed: failed.length ? failed.join('; ') : undefined,
		all: ms,
	};
}
