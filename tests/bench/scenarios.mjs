// The benchmark scenarios: one entry per figure of the "Performance"
// table, in the order printed.  This is the only file a capability's issue
// edits to add its figure.
//
// HOW TO ADD A SCENARIO (when a capability lands)
//   Find the capability's entry below (they are listed with `landed:
//   false`), remove that line and give it:
//     setup(ctx)  optional: create the data.  Use ctx.copy(table, columns,
//                 n, i => [values…]) (streams COPY … FROM STDIN; 1M rows
//                 take seconds) or ctx.psql(sql) for INSERT … SELECT
//                 generate_series and ANALYZE.  Sizes come from
//                 ctx.size(quick, full), so QUICK=1 stays short.
//     run(ctx)    measure, and return
//                   { value, unit, baseline, baselineUnit, ratio, main, base, note }
//                 where main/base are measurements (for the latency, CPU
//                 and RSS columns).  Ratios are the point: take the
//                 baseline in the same run, with ctx.interleave(a, b) so
//                 both sides see the same machine.
//     judge(r)    true (pass) / false (short) against the goal; leave it
//                 out for goals that are only "report".
//     seconds(ctx) optional: an upper estimate of the run time, so the
//                 time budget (15 min) can skip what would not fit.
//   Measuring tools (tests/bench/lib.mjs):
//     ctx.wrk('app', path, {headers, script, connections, threads, label})
//       wrk -t2 -c64 --latency against the application (or 'bare'); the
//       Kore workers' CPU and RSS are sampled from /proc during the run.
//       For POSTs or signed-in requests give a Lua `script` written to
//       ctx.raw (wrk.method/wrk.body/wrk.headers).
//     ctx.pgbench(name, sql, {clients, jobs, label})
//       the equivalent SQL through pgbench on the same database (clients
//       default to the application's pool size, extended protocol).
//     ctx.interleave(a, b) / ctx.repeat(a)
//       warm-up, then ctx.rounds runs (A B, B A, …); medians.
//   The functions a and b receive opts ({warm: true} for the warm-up) and
//   pass them on: (o) => ctx.wrk('app', '/x', o).
//   Nothing else changes: bench.mjs prints, judges and writes the tables.
//
// Every figure is a ratio against something measured in the same run, or
// the same query at two data sizes: these machines are shared and noisy,
// so absolute numbers from different runs do not compare.

const kilo = (x) => `${(x / 1000).toFixed(x >= 100000 ? 0 : 1)}k`;

export const scenarios = [
	{
		id: 'healthz',
		figure: '/healthz requests/s (no database)',
		goal: '≥ 150k req/s on 2 cores',
		baselineName: 'bare Kore handler',
		judge: (r) => r.value >= 150000,
		seconds: (ctx) => 2 * (ctx.warmup + ctx.rounds * ctx.duration),
		async run(ctx) {
			const { a, b } = await ctx.interleave(
				(o) => ctx.wrk('app', '/healthz', { ...o, label: 'app /healthz' }),
				(o) => ctx.wrk('bare', '/healthz', { ...o, label: 'bare Kore' }));
			const ratio = a.rps / b.rps;
			let note = `healthz/bare = ${ratio.toFixed(2)}: the application keeps ` +
				`${(100 * ratio).toFixed(0)} % of what a bare Kore handler reaches here ` +
				'(request id, security headers, routing, log line, metrics)';
			if (b.rps < 150000) {
				note += `; a bare Kore handler itself reaches only ${kilo(b.rps)} req/s ` +
					'on this machine, so the absolute goal of 150k is out of reach ' +
					'for any Kore handler here';
			}
			return { value: a.rps, unit: 'req/s', baseline: b.rps, baselineUnit: 'req/s',
				ratio, main: a, base: b, note };
		},
	},
	{
		id: 'readyz',
		figure: '/readyz requests/s / pgbench SELECT 1',
		goal: 'report',
		baselineName: 'pgbench SELECT 1 (pool size clients, -j 2)',
		seconds: (ctx) => 2 * (ctx.warmup + ctx.rounds * ctx.duration),
		async run(ctx) {
			const { a, b } = await ctx.interleave(
				(o) => ctx.wrk('app', '/readyz', { ...o, label: 'app /readyz' }),
				(o) => ctx.pgbench('select1', 'SELECT 1;', { ...o, label: 'pgbench SELECT 1' }));
			return { value: a.rps, unit: 'req/s', baseline: b.rps, baselineUnit: 'tps',
				ratio: a.rps / b.rps, main: a, base: b,
				note: `pgbench: ${ctx.poolSize} clients (= workers × pool), -j 2, extended protocol, same socket` };
		},
	},
	{
		id: 'fields',
		figure: 'GET /api/v1/fields requests/s / /readyz',
		goal: 'report',
		baselineName: '/readyz',
		seconds: (ctx) => 2 * (ctx.warmup + ctx.rounds * ctx.duration),
		async run(ctx) {
			const { a, b } = await ctx.interleave(
				(o) => ctx.wrk('app', '/api/v1/fields', { ...o, label: 'app /api/v1/fields' }),
				(o) => ctx.wrk('app', '/readyz', { ...o, label: 'app /readyz (base)' }));
			return { value: a.rps, unit: 'req/s', baseline: b.rps, baselineUnit: 'req/s',
				ratio: a.rps / b.rps, main: a, base: b,
				note: 'a JSON document built by PostgreSQL (10 fields): the shape of the ideas list' };
		},
	},

	// ---- not landed yet: each issue fills in setup/run/judge ----------
	{
		id: 'ideas-list',
		figure: 'published-ideas list (20 per page, JSON) / /readyz',
		goal: '≥ 0.6',
		landed: false,
		// sizes: ctx.size(1e4, 1e5) published ideas
	},
	{
		id: 'survey-submit',
		figure: 'survey response submit (10 answers, signed in) / pgbench equivalent SQL',
		goal: '≥ 0.7',
		landed: false,
		// a wrk Lua script posting the form with a session cookie vs
		// ctx.pgbench with the same INSERTs in one transaction
	},
	{
		id: 'survey-results',
		figure: 'survey results latency at 1M vs 1k responses',
		goal: '≤ 2×, p50 ≤ 50 ms',
		landed: false,
		// sizes: 1k and ctx.size(1e5, 1e6) responses; ratio of p50
	},
	{
		id: 'csv-export',
		figure: 'CSV export of 1M responses: rows/s / psql \\copy; worker peak RSS',
		goal: '≥ 0.5; ≤ 64 MB',
		landed: false,
		// sizes: ctx.size(1e5, 1e6) responses; peak RSS from main.peakRssMb
	},
	{
		id: 'healthz-under-logins',
		figure: '/healthz p99 while 20 logins/s run',
		goal: '≤ 10 ms',
		landed: false,
	},
	{
		id: 'open311-requests',
		figure: 'GET /open311/v2/requests.json (1000 results) requests/s; worker RSS flat',
		goal: 'report',
		landed: false,
		// RSS flat: main.rssFirstMb vs main.rssLastMb
	},
	{
		id: 'forum-dashboard',
		figure: 'forum dashboard latency at 1M vs 10k contributions',
		goal: '≤ 2×',
		landed: false,
		// sizes: 10k and ctx.size(1e5, 1e6) contributions
	},
];
