// Seeds N contributions for the statistics benchmarks: ideas (most
// published, some accepted or implemented), comments, supports, survey
// responses and defect reports (some acknowledged, some resolved), over the
// last 24 months, across fields, districts and channels, from accounts of
// which two in five gave an age band.  The rows go into the real tables in
// batches of INSERT … SELECT generate_series, so the statistics triggers
// (sql/functions/stats_on_*.sql) run as they do for every write; it prints
// the time per kind and the rate.  Bench data only: survey tallies and
// support counters are not kept.
//
// usage: DATABASE_URL=… node tests/bench/seed_stats.mjs N [BATCH]
//        (or import { seedStats } and pass a psql runner)
import { spawnSync } from 'node:child_process';

// Shares of the N contributions.
const MIX = { ideas: 0.15, comments: 0.25, supports: 0.30, responses: 0.20, defects: 0.10 };
const SPAN = `(now() - random() * interval '730 days')`;
const BYTES32 = `decode(md5(random()::text) || md5(random()::text), 'hex')`;

function psqlRunner(url) {
	return (sql) => {
		const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', url, '-c', sql],
			{ encoding: 'utf8', maxBuffer: 1 << 26 });
		if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
		return r.stdout.trim();
	};
}

// One INSERT … SELECT per batch of `count` rows; `make(from, to)` gives it.
function batches(psql, count, size, make) {
	for (let from = 1; from <= count; from += size)
		psql(make(from, Math.min(count, from + size - 1)));
}

const SQL = {
	accounts: (tag, a, b) => `INSERT INTO accounts (pseudonym, email_lookup, email_ct, verified_at, age_band)
		SELECT 'bench-${tag}-' || g, ${BYTES32}, '\\x00', now(),
		    CASE WHEN g % 5 < 2 THEN (ARRAY['under-18', '18-29', '30-44', '45-64', '65-79',
			'80-plus'])[1 + g % 6] END
		FROM generate_series(${a}::bigint, ${b}) g`,
	// Staff-entered ideas (paper, phone, in person) carry entered_by.
	ideas: (k, a, b) => `INSERT INTO ideas (title, description, field_id, district_id, author_id,
		    entered_by, channel, state, status, published_at, created_at)
		SELECT 'Bench-Idee ' || g, 'Eine Beschreibung für die Messung der Statistik.',
		    (SELECT id FROM fields ORDER BY id OFFSET g % 10 LIMIT 1),
		    CASE WHEN g % 4 = 0 THEN NULL ELSE (SELECT id FROM districts ORDER BY id
			OFFSET g % (SELECT count(*) FROM districts) LIMIT 1) END,
		    CASE WHEN g % 10 < 9 THEN ${k.acctLo} + (g * 7919) % ${k.accts} END,
		    CASE WHEN g % 10 = 9 THEN ${k.acctLo} END,
		    CASE WHEN g % 10 = 9 THEN (ARRAY['paper', 'phone', 'in_person'])[1 + g % 3]
			ELSE 'online' END,
		    CASE WHEN g % 10 < 8 THEN 'published' WHEN g % 10 = 8 THEN 'rejected'
			ELSE 'pending' END,
		    CASE WHEN g % 10 < 8 THEN (ARRAY['submitted', 'under_review', 'accepted',
			'in_implementation', 'implemented', 'not_feasible'])[1 + g % 6]
			ELSE 'submitted' END,
		    CASE WHEN g % 10 < 8 THEN now() END, ${SPAN}
		FROM generate_series(${a}::bigint, ${b}) g`,
	comments: (k, a, b) => `INSERT INTO comments (idea_id, author_id, body, state, published_at, created_at)
		SELECT ${k.ideaLo} + (g * 104729) % ${k.ideas}, ${k.acctLo} + (g * 31) % ${k.accts},
		    'Ein Kommentar zur Messung.', CASE WHEN g % 10 < 9 THEN 'published' ELSE 'pending' END,
		    CASE WHEN g % 10 < 9 THEN now() END, ${SPAN}
		FROM generate_series(${a}::bigint, ${b}) g`,
	supports: (k, a, b) => `INSERT INTO supports (idea_id, account_id, created_at)
		SELECT ${k.ideaLo} + (g * 15485863) % ${k.ideas}, ${k.acctLo} + (g * 7) % ${k.accts}, ${SPAN}
		FROM generate_series(${a}::bigint, ${b}) g ON CONFLICT DO NOTHING`,
	responses: (k, a, b) => `INSERT INTO survey_responses (survey_id, respondent, channel, district_id,
		    answers, submitted_at)
		SELECT ${k.survey}, ${BYTES32}, CASE WHEN g % 8 = 0 THEN 'paper' ELSE 'online' END,
		    CASE WHEN g % 3 = 0 THEN NULL ELSE (SELECT id FROM districts ORDER BY id
			OFFSET g % (SELECT count(*) FROM districts) LIMIT 1) END,
		    '{"q": "a"}', ${SPAN}
		FROM generate_series(${a}::bigint, ${b}) g`,
	// A third acknowledged within days, a third of those resolved.
	defects: (k, a, b) => `INSERT INTO defect_reports (category_id, department_id, reporter_id, channel,
		    status_nonce, status_hash, open311_token, lat, lon, district_id, description, state, status,
		    created_at, acknowledged_at, closed_at)
		SELECT c.id, c.department_id, CASE WHEN x.g % 2 = 0 THEN ${k.acctLo} + (x.g * 13) % ${k.accts} END,
		    (ARRAY['online', 'online', 'online', 'open311', 'phone'])[1 + x.g % 5],
		    decode(md5(random()::text), 'hex'), ${BYTES32}, 'bench-${k.tag}-' || x.g,
		    52.26, 10.52, CASE WHEN x.g % 4 = 0 THEN NULL ELSE (SELECT id FROM districts ORDER BY id
			OFFSET x.g % (SELECT count(*) FROM districts) LIMIT 1) END,
		    'Ein Schaden zur Messung.', 'published',
		    CASE WHEN x.g % 9 < 2 THEN 'resolved' WHEN x.g % 3 = 2 THEN 'acknowledged' ELSE 'open' END,
		    x.at,
		    CASE WHEN x.g % 9 < 2 OR x.g % 3 = 2 THEN x.at + random() * interval '9 days' END,
		    CASE WHEN x.g % 9 < 2 THEN x.at + interval '9 days' + random() * interval '40 days' END
		FROM (SELECT g, ${SPAN} AS at FROM generate_series(${a}::bigint, ${b}) g) x
		JOIN defect_categories c ON c.id = (SELECT id FROM defect_categories ORDER BY id
		    OFFSET x.g % (SELECT count(*) FROM defect_categories) LIMIT 1)`,
};

export function seedStats(psql, n, batch = 50000, log = console.log) {
	const tag = `${Date.now().toString(36)}${process.pid}`;
	const count = Object.fromEntries(Object.entries(MIX).map(([k, s]) => [k, Math.max(1, Math.round(n * s))]));
	const accts = Math.max(50, Math.round(n / 40));
	const times = {};
	const timed = (what, fn) => {
		const t0 = performance.now();
		fn();
		times[what] = (performance.now() - t0) / 1000;
		log(`seed_stats: ${what}: ${count[what] ?? accts} rows in ${times[what].toFixed(1)} s`);
	};
	const k = { tag, accts };
	timed('accounts', () => batches(psql, accts, batch, (a, b) => SQL.accounts(tag, a, b)));
	k.acctLo = Number(psql(`SELECT min(id) FROM accounts WHERE pseudonym LIKE 'bench-${tag}-%'`));
	k.survey = Number(psql(`INSERT INTO surveys (title, definition, status) VALUES ('Bench ${tag}',
		'{"pages": [{"name": "p1", "elements": [{"type": "radiogroup", "name": "q",
		"choices": ["a", "b"]}]}]}', 'open') RETURNING id`));
	timed('ideas', () => batches(psql, count.ideas, batch, (a, b) => SQL.ideas(k, a, b)));
	const [lo, hi] = psql(`SELECT min(id) || ' ' || max(id) FROM ideas WHERE title LIKE 'Bench-Idee %'`)
		.split(' ').map(Number);
	Object.assign(k, { ideaLo: lo, ideas: hi - lo + 1 });
	for (const what of ['comments', 'supports', 'responses', 'defects'])
		timed(what, () => batches(psql, count[what], batch, (a, b) => SQL[what](k, a, b)));
	psql('ANALYZE');
	const total = Object.values(times).reduce((s, t) => s + t, 0);
	log(`seed_stats: ${n} contributions in ${total.toFixed(1)} s (${Math.round(n / total)}/s, batches of ${batch})`);
	return { n, seconds: total, times };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const n = Number(process.argv[2]);
	if (!process.env.DATABASE_URL || !(n > 0)) {
		console.error('usage: DATABASE_URL=… node tests/bench/seed_stats.mjs N [BATCH]');
		process.exit(2);
	}
	seedStats(psqlRunner(process.env.DATABASE_URL), n, Number(process.argv[3]) || 50000);
}
