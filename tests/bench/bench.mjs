// Runs the scenarios of tests/bench/scenarios.mjs against the servers that
// tests/bench/run.sh started, judges each figure against its goal and
// prints one table; writes it to $BENCH_DIR/results.md and results.csv.
// Exit status: 0 when every landed scenario measured cleanly (a figure
// short of its goal is a result, not a failure), 1 otherwise.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { OTHER_LIMIT, machineTicks, makeContext, stopChildren } from './lib.mjs';
import { scenarios } from './scenarios.mjs';

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => { stopChildren(); process.exit(130); });
}

const env = process.env;
const ctx = makeContext(env);
const started = performance.now();
// Full: the survey figures generate a million responses (about 3 min).
const budget = Number(env.BENCH_BUDGET || (ctx.quick ? 240 : 1200));
const only = env.BENCH_ONLY ? env.BENCH_ONLY.split(',') : null;

// ---- the machine ------------------------------------------------------------

const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8' }).trim(); } catch { return '?'; } };
const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const cpuModel = (/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || '?';
const memGb = Number((/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8')) || [])[1] || 0) / 1048576;
const now = new Date();
const header = {
	date: now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
	machine: `${sh('uname', ['-m'])}, ${sh('nproc', [])} cores (${cpuModel}), ${memGb.toFixed(0)} GB RAM, Linux ${os.release()}`,
	software: `Kore ${sh('kore', ['-v'])}, PostgreSQL ${sh('psql', ['-X', '-tAc', 'SHOW server_version'])}, ` +
		`wrk ${(/wrk (\S+)/.exec(sh('sh', ['-c', 'wrk --version 2>&1; true'])) || [])[1] || '?'}, ${sh('pgbench', ['--version'])}`,
	kore: `${ctx.workers} workers (MITWIRKEN_WORKERS) × ${ctx.dbConns} PostgreSQL connections each (MITWIRKEN_DB_CONNS) = pool of ${ctx.poolSize}`,
	mode: `${ctx.quick ? 'quick (QUICK=1)' : 'full'}: ${ctx.rounds} round(s) of ${ctx.duration} s per side, ${ctx.warmup} s warm-up; wrk -t2 -c64 unless noted`,
};
// How busy the machine is before any load: other jobs on a shared machine
// show here first.
{
	const m0 = machineTicks();
	await new Promise((r) => setTimeout(r, 1000));
	const m1 = machineTicks();
	const busy = os.availableParallelism() * 100 * (m1.busy - m0.busy) / (m1.total - m0.total);
	header.idle = `${busy.toFixed(0)} % CPU busy (of ${os.availableParallelism() * 100} %) in the second before the run` +
		(busy > 20 ? ': OTHER JOBS ARE RUNNING, expect disturbed figures' : '');
}
console.log(`date:     ${header.date}`);
console.log(`machine:  ${header.machine}`);
console.log(`software: ${header.software}`);
console.log(`kore:     ${header.kore}`);
console.log(`mode:     ${header.mode}`);
console.log(`before:   ${header.idle}`);

// ---- running ----------------------------------------------------------------

const elapsed = () => (performance.now() - started) / 1000;
const rows = [];
let errors = 0;

const selected = scenarios.filter((sc) => !only || only.includes(sc.id));
const landed = (sc) => sc.landed !== false && sc.run;
const estimate = (sc) => (landed(sc) && sc.seconds ? sc.seconds(ctx) * 1.1 : 0);

for (const [k, sc] of selected.entries()) {
	const row = { sc, result: '', note: '' };
	rows.push(row);
	if (!landed(sc)) { row.result = 'not landed'; continue; }
	const est = sc.seconds ? sc.seconds(ctx) : 0;
	// What the scenarios after this one need: repeated rounds may use the rest.
	const reserve = selected.slice(k + 1).reduce((a, x) => a + estimate(x), 0);
	ctx.timeLeft = () => budget - elapsed() - reserve;
	if (elapsed() + est * 1.1 > budget) {
		row.result = 'skipped';
		row.note = `would not fit in the time budget of ${budget} s (BENCH_BUDGET)`;
		continue;
	}
	console.log(`== ${sc.id}: ${sc.figure} (about ${Math.round(est)} s)`);
	try {
		if (sc.setup) await sc.setup(ctx);
		const r = await sc.run(ctx);
		Object.assign(row, r, { note: r.note || '' });
		const problems = [];
		for (const m of [r.main, r.base].filter(Boolean)) {
			if (m.failed) problems.push(`${m.label}: ${m.failed}`);
			if (m.errors) problems.push(`${m.label}: ${m.errors} non-2xx responses or socket errors`);
			if (m.tool === 'wrk' && m.procsChanged) problems.push(`${m.label}: the set of Kore workers changed during the run (a worker died?)`);
			if (m.tool === 'wrk' && m.procs !== ctx.workers) problems.push(`${m.label}: found ${m.procs} Kore workers, expected ${ctx.workers}`);
		}
		// Other jobs on this shared machine disturb a figure: say so.
		const other = Math.max(...[r.main, r.base].filter(Boolean).map((m) => m.maxOtherCpuPct ?? m.otherCpuPct ?? 0));
		const dropped = r.dropped ?? r.main?.dropped;
		if (dropped) {
			row.note = [row.note, `${dropped} disturbed round(s) run again`].filter(Boolean).join('; ');
		}
		if (other > OTHER_LIMIT) {
			row.note = [row.note, `the rest of the machine (kernel, other jobs) took up to ` +
				`${other.toFixed(0)} % CPU during a measured round: a disturbed figure`].filter(Boolean).join('; ');
		}
		if (problems.length) {
			row.result = 'invalid';
			row.note = [problems.join('; '), row.note].filter(Boolean).join('; ');
			errors++;
		} else if (!sc.judge) row.result = 'report';
		else row.result = sc.judge(row) ? 'pass' : 'short';
	} catch (e) {
		row.result = 'error';
		row.note = String(e.message || e).slice(0, 300);
		errors++;
	}
	console.log(`   ${row.result}: ${fmtValue(row.value, row.unit)} vs ${fmtValue(row.baseline, row.baselineUnit)} → ${fmtRatio(row.ratio)}`);
}

// ---- formatting -------------------------------------------------------------

function fmtNum(x) {
	if (!Number.isFinite(x)) return '';
	if (Math.abs(x) >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
	if (Math.abs(x) >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
	if (Math.abs(x) >= 100) return x.toFixed(0);
	return x.toFixed(2);
}
function fmtValue(x, unit) { return Number.isFinite(x) ? `${fmtNum(x)} ${unit || ''}`.trim() : ''; }
function fmtRatio(x) { return Number.isFinite(x) ? x.toFixed(2) : ''; }
function fmtMs(x) { return Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : ''; }
function fmtLat(m) { return m && Number.isFinite(m.p50) ? `${fmtMs(m.p50)} / ${fmtMs(m.p99)}` : ''; }
function fmtCpu(m) { return m && Number.isFinite(m.cpuPct) ? `${m.cpuPct.toFixed(0)} %` : ''; }
function fmtRss(m) { return m && m.peakRssMb ? `${m.peakRssMb.toFixed(1)} MB` : ''; }

const columns = ['figure', 'measured', 'baseline', 'ratio', 'goal', 'result',
	'p50 / p99 ms', 'worker CPU', 'worker peak RSS'];
const cells = rows.map((r) => [
	r.sc.figure, fmtValue(r.value, r.unit), fmtValue(r.baseline, r.baselineUnit),
	fmtRatio(r.ratio), r.sc.goal, r.result, fmtLat(r.main), fmtCpu(r.main), fmtRss(r.main),
]);
const notes = rows.filter((r) => r.note || r.ratios?.length > 1).map((r) => `${r.sc.id}: ` +
	[r.ratios?.length > 1 ? `ratio in each round ${r.ratios.map(fmtRatio).join(', ')}` : '', r.note]
		.filter(Boolean).join('; '));

// The measurements behind the table, both sides of every ratio.
const detailCols = ['scenario', 'side', 'runs', 'req/s (median)', 'each run', 'p50 / p99 ms',
	'Kore workers CPU', 'worker peak RSS', 'PostgreSQL CPU', 'load generator CPU',
	'rest of machine', `machine CPU of ${os.availableParallelism() * 100} % (steal)`, 'errors'];
const pct = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} %` : '');
const details = [];
for (const r of rows) {
	for (const [side, m] of [['measured', r.main], ['baseline', r.base]]) {
		if (!m) continue;
		details.push([r.sc.id, `${side}: ${m.label}`,
			`${m.runs || 1}${m.dropped ? ` (+${m.dropped} dropped)` : ''}`, fmtNum(m.rps),
			(m.all || [m]).map((x) => fmtNum(x.rps)).join(', '),
			m.tool === 'pgbench' ? `avg ${fmtMs(m.latAvg)}` : fmtLat(m),
			m.tool === 'wrk' ? fmtCpu(m) : '', m.tool === 'wrk' ? fmtRss(m) : '',
			pct(m.pgCpuPct), pct(m.clientCpuPct), pct(m.otherCpuPct),
			Number.isFinite(m.busyPct) ? `${m.busyPct.toFixed(0)} % (${m.stealPct.toFixed(0)} %)` : '',
			String(m.errors || 0)]);
	}
}

function textTable(cols, data) {
	const w = cols.map((c, i) => Math.max(c.length, ...data.map((d) => d[i].length)));
	const line = (d) => d.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd();
	return [line(cols), line(w.map((n) => '-'.repeat(n))), ...data.map(line)].join('\n');
}
function mdTable(cols, data) {
	const esc = (x) => x.replace(/\|/g, '\\|');
	return [`| ${cols.map(esc).join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`,
		...data.map((d) => `| ${d.map(esc).join(' | ')} |`)].join('\n');
}
function csvCell(x) {
	const s = x === undefined || x === null || (typeof x === 'number' && !Number.isFinite(x)) ? '' : String(x);
	return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

console.log('');
console.log(textTable(columns, cells));
if (notes.length) {
	console.log('');
	for (const n of notes) console.log(`note ${n}`);
}
console.log('');
console.log(textTable(detailCols, details));
console.log('');
console.log(`workers: ${ctx.workers}, pool: ${ctx.dbConns} per worker; ${Math.round(elapsed())} s; ` +
	`raw outputs in ${ctx.raw}`);

const md = [
	`# mitwirken benchmark (${ctx.quick ? 'quick' : 'full'} run)`, '',
	`- date: ${header.date}`,
	`- machine: ${header.machine}`,
	`- software: ${header.software}`,
	`- Kore: ${header.kore}`,
	`- mode: ${header.mode}`,
	`- before: ${header.idle}`, '',
	mdTable(columns, cells), '',
	...notes.map((n) => `- ${n}`), notes.length ? '' : null,
	'Measurements behind the ratios (medians of the rounds). CPU: 100 % = one core; processes ' +
	'from /proc/PID/stat every 200 ms, the machine from /proc/stat (in brackets: stolen by the ' +
	'hypervisor); "rest of machine" is the machine minus Kore, PostgreSQL and the load generator: ' +
	'kernel network work, and other jobs on this shared machine.', '',
	mdTable(detailCols, details), '',
].filter((x) => x !== null).join('\n');
writeFileSync(join(env.BENCH_DIR, 'results.md'), md);

const csvCols = ['id', 'figure', 'value', 'unit', 'baseline', 'baseline_unit', 'ratio', 'goal',
	'result', 'p50_ms', 'p99_ms', 'worker_cpu_pct', 'worker_peak_rss_mb', 'workers', 'db_conns',
	'date', 'mode', 'note'];
const csv = [csvCols.join(','), ...rows.map((r) => [r.sc.id, r.sc.figure, r.value, r.unit, r.baseline,
	r.baselineUnit, Number.isFinite(r.ratio) ? r.ratio.toFixed(4) : '', r.sc.goal, r.result,
	r.main?.p50, r.main?.p99, r.main ? r.main.cpuPct?.toFixed(1) : '', r.main ? r.main.peakRssMb?.toFixed(1) : '',
	ctx.workers, ctx.dbConns, header.date, ctx.quick ? 'quick' : 'full', r.note].map(csvCell).join(','))].join('\n') + '\n';
writeFileSync(join(env.BENCH_DIR, 'results.csv'), csv);
console.log(`results: ${join(env.BENCH_DIR, 'results.md')}, ${join(env.BENCH_DIR, 'results.csv')}`);
process.exit(errors ? 1 : 0);
