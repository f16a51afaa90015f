// The evaluation report on a constructed dataset in 2018 (no other test
// writes there): known counts per Handlungsfeld against the period before,
// suppression, medians, a project's criterion verdict, ideas taken up, the
// dashboard agreeing on every shared figure, CSV parsed back, and the
// schedule from the settings.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { req, json, psql, member, as, expectError, setting, clientIp } from './lib.mjs';

let planner, admin, citizen;
const ideaIds = {};

function ideas(n, field, day, extra = '') {
	return psql(`INSERT INTO ideas (title, description, field_id, state, status, created_at, published_at)
		SELECT 'Auswertungsidee ' || g, 'Eine Beschreibung für die Auswertung ' || g,
			(SELECT id FROM fields WHERE slug = '${field}'), 'published', 'accepted',
			timestamptz '${day} 12:00 Europe/Berlin', timestamptz '${day} 12:00 Europe/Berlin'
		FROM generate_series(1, ${n}) g ${extra} RETURNING id`).split('\n').map(Number);
}

function defects(n, day, resolveDays) {
	psql(`INSERT INTO defect_reports (category_id, department_id, channel, status_nonce, status_hash,
		open311_token, lat, lon, description, created_at, status, state, acknowledged_at, closed_at)
		SELECT c.id, c.department_id, 'online', decode(md5('ev${day}' || g), 'hex'),
			sha256(('ev-${day}-' || g)::bytea), 'ev-${day}-' || g, 52.26, 10.52, 'Auswertung ' || g,
			timestamptz '${day} 08:00 Europe/Berlin', 'resolved', 'published',
			timestamptz '${day} 08:00 Europe/Berlin' + interval '1 day',
			timestamptz '${day} 08:00 Europe/Berlin' + interval '${resolveDays} days 1 hour'
		FROM generate_series(1, ${n}) g, defect_categories c WHERE c.code = 'strassenschaden'`);
}

let built = false;
async function dataset() {
	planner ??= await member(['planner']);
	admin ??= await member(['admin']);
	citizen ??= await member();
	if (built) return;
	built = true;
	// Energie: 7 in March 2018 (the period), 5 in January (the one before).
	ideaIds.current = ideas(7, 'energie', '2018-03-10');
	ideas(5, 'energie', '2018-01-20');
	// Mobilität: 2 in April, below k: withheld.
	ideas(2, 'mobilitaet', '2018-04-03');
	// Street damage (Mobilität): resolved in 3 days now, in 5 before.
	defects(5, '2018-03-05', 3);
	defects(5, '2018-01-05', 5);
	// A project in Energie with a criterion on track, taking up one idea.
	const p = Number(psql(`INSERT INTO projects (title_de, summary_de, status)
		VALUES ('Auswertungsprojekt', 'Ein Projekt für die Auswertung.', 'in_implementation') RETURNING id`));
	psql(`INSERT INTO project_fields VALUES (${p}, (SELECT id FROM fields WHERE slug = 'energie'));
		INSERT INTO project_goals VALUES (${p}, (SELECT id FROM goals WHERE slug = 'forschungsstandort-staerken'));
		INSERT INTO project_ideas (project_id, idea_id, linked_at)
			VALUES (${p}, ${ideaIds.current[0]}, '2018-03-15 12:00+01')`);
	const c = Number(psql(`INSERT INTO success_criteria (project_id, name_de, unit, baseline, baseline_on, target,
		target_on) VALUES (${p}, 'Solardächer', 'Stück', 10, '2018-01-01', 20, '2019-01-01') RETURNING id`));
	// 17 on 1 April is ahead of the path (12.5); the June value is after the period.
	psql(`INSERT INTO project_measurements (criterion_id, value, measured_on) VALUES
		(${c}, 17, '2018-04-01'), (${c}, 5, '2018-06-01')`);
	ideaIds.project = p;
	ideaIds.criterion = c;
}

const report = (q, s = planner) => req(`/api/v1/evaluation?${q}`, { headers: as(s) });

test('report: known counts beside the period before, with the change', async () => {
	await dataset();
	const r = await report('from=2018-03-05&to=2018-04-20');
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.period, { from: '2018-03-01', to: '2018-04-30' }, 'whole months');
	assert.deepEqual(r.json.previous, { from: '2018-01-01', to: '2018-02-28' }, 'the same length before');
	assert.equal(r.json.k, 5);
	const energie = r.json.fields.find((f) => f.slug === 'energie');
	assert.deepEqual(energie.counts.ideas_submitted, { current: 7, previous: 5, change: 2, change_pct: 40 });
	assert.deepEqual(energie.counts.ideas_accepted, { current: 7, previous: 5, change: 2, change_pct: 40 });
	const mob = r.json.fields.find((f) => f.slug === 'mobilitaet');
	assert.equal(mob.counts.ideas_submitted.current, null, '2 ideas: below k, withheld');
	assert.equal(mob.counts.ideas_submitted.change, null, 'no change from a withheld count');
	assert.equal(mob.counts.defect_reports.current, 5);
	const street = mob.defects.find((d) => d.category === 'strassenschaden');
	assert.deepEqual(street.resolve_days, { current: 3, previous: 5, change: -2, change_pct: -40 });
	assert.equal(street.acknowledge_days.current, 1);
	// The project and its criterion, judged at the period's end.
	const proj = energie.projects.find((p) => p.id === ideaIds.project);
	assert.ok(proj, 'the project is in its field');
	const crit = proj.criteria.find((c) => c.id === ideaIds.criterion);
	assert.equal(crit.progress.latest, 17, 'the June value lies after the period');
	assert.equal(crit.progress.verdict, 'on_track');
	assert.deepEqual(energie.ideas_taken_up, { current: 1, previous: 0, change: 1, change_pct: null });
	const goal = r.json.goals.find((g) => g.slug === 'forschungsstandort-staerken');
	assert.ok(goal.projects.some((p) => p.id === ideaIds.project));
	assert.equal(goal.ideas_taken_up.current, 1);
	// The period before, asked for itself: the same figures as "previous".
	const before = await report('from=2018-01-01&to=2018-02-28');
	const e2 = before.json.fields.find((f) => f.slug === 'energie');
	assert.equal(e2.counts.ideas_submitted.current, 5);
	assert.equal(e2.ideas_taken_up.current, 0);
});

test('one source of truth: the dashboard shows the same figures', async () => {
	await dataset();
	const r = await report('from=2018-03-01&to=2018-04-30');
	const d = await req('/api/v1/stats/dashboard?from=2018-03&to=2018-04');
	assert.equal(d.status, 200, d.text);
	const p = await req('/api/v1/stats/dashboard?from=2018-01&to=2018-02');
	for (const f of r.json.fields) {
		const cur = d.json.by_field.find((x) => x.slug === f.slug).counts;
		const prev = p.json.by_field.find((x) => x.slug === f.slug).counts;
		for (const [m, c] of Object.entries(f.counts)) {
			assert.equal(c.current, cur[m].n, `${f.slug} ${m} now`);
			assert.equal(c.previous, prev[m].n, `${f.slug} ${m} before`);
		}
		for (const x of f.defects) {
			const dc = d.json.defects.find((y) => y.category === x.category);
			assert.equal(x.resolve_days.current, dc.resolve.median_days, x.category);
			assert.equal(x.acknowledge_days.current, dc.acknowledge.median_days, x.category);
		}
	}
	for (const [m, c] of Object.entries(r.json.totals))
		assert.equal(c.current, d.json.totals[m].n, `total ${m}`);
});

test('CSV: one row per figure, parsed back equal to the JSON', async () => {
	await dataset();
	const j = (await report('from=2018-03-01&to=2018-04-30')).json;
	const c = await report('from=2018-03-01&to=2018-04-30&format=csv');
	assert.equal(c.status, 200, c.text);
	assert.match(c.headers.get('content-type'), /^text\/csv/);
	const rows = parse(c.text, { columns: true });
	const row = (section, key, item, measure) => rows.find((x) => x.section === section && x.key === key &&
		x.item === item && x.measure === measure);
	assert.deepEqual(row('field', 'energie', 'ideas_submitted', 'count'),
		{ section: 'field', key: 'energie', item: 'ideas_submitted', measure: 'count', current: '7', previous: '5',
			change: '2', change_pct: '40', text: '' });
	assert.equal(row('field', 'mobilitaet', 'ideas_submitted', 'count').current, '', 'withheld is empty');
	assert.equal(row('field', 'mobilitaet', 'strassenschaden', 'resolve_days').current, '3');
	const crit = row('field', 'energie', `project-${ideaIds.project}/criterion-${ideaIds.criterion}`, 'latest');
	assert.equal(crit.current, '17');
	assert.equal(crit.text, 'on_track');
	for (const f of j.fields)
		for (const [m, v] of Object.entries(f.counts))
			assert.equal(row('field', f.slug, m, 'count').current, v.current === null ? '' : String(v.current));
});

test('parameters and roles: planners only, dates checked', async () => {
	await dataset();
	expectError(await req('/api/v1/evaluation?from=2018-03-01&to=2018-04-30'), 401);
	expectError(await report('from=2018-03-01&to=2018-04-30', citizen), 403);
	const bad = expectError(await report('from=2018-02-30&to=2018-04-30'), 422);
	assert.ok(bad.fields.from);
	assert.ok(expectError(await report('from=2018-05-01&to=2018-04-30'), 422).fields.to);
	assert.ok(expectError(await report('from=2010-01-01&to=2018-04-30'), 422).fields.to, 'at most 60 months');
	expectError(await report('from=2018-03-01'), 422);
	expectError(await report('from=2018-03-01&to=2018-04-30&format=xml'), 422);
	expectError(await report('from=2018-03-01&to=2018-04-30&utm_source=x'), 422);
});

test('page: printable report with contents and k; the schedule from the settings', async () => {
	await dataset();
	const pg = await req('/planung/auswertung?from=2018-03-01&to=2018-04-30', { headers: as(planner) });
	assert.equal(pg.status, 200, pg.text);
	assert.match(pg.text, /<nav class="toc"/);
	assert.match(pg.text, /href="#feld-energie"/);
	assert.match(pg.text, /<section id="feld-energie" class="report-section">/);
	assert.match(pg.text, /k = 5/);
	assert.match(pg.text, /Solardächer/);
	assert.match(pg.text, /Im Plan/);
	const css = await req('/assets/style.css');
	assert.match(css.text, /@media print[\s\S]*\.report-section \{ break-before: page/);
	try {
		await setting(admin, { strategy_adopted_on: '' });
		const unset = await req('/planung/auswertung', { headers: as(planner) });
		assert.equal(unset.status, 200);
		assert.match(unset.text, /noch nicht eingetragen/);
		assert.match(unset.text, /PUT \/api\/v1\/admin\/settings/);
		const s = await setting(admin, { strategy_adopted_on: '2016-03-15', evaluation_first_months: 12,
			evaluation_every_months: 24 });
		assert.equal(s.strategy_adopted_on, '2016-03-15');
		assert.equal(s.evaluation_every_months, 24);
		const sched = await req('/planung/auswertung', { headers: as(planner) });
		assert.match(sched.text, /2017-03-15/);
		assert.match(sched.text, /href="\/planung\/auswertung\?from=2016-03-01&amp;to=2017-02-28&amp;lang=de"/);
		assert.match(sched.text, /href="\/planung\/auswertung\?from=2017-03-01&amp;to=2019-02-28&amp;lang=de"/);
		assert.match(sched.text, /nächster Termin/);
		// One click: the link's report answers.
		const first = await req('/planung/auswertung?from=2016-03-01&to=2017-02-28', { headers: as(planner) });
		assert.equal(first.status, 200);
		for (const [key, value] of [['strategy_adopted_on', '2023-02-30'], ['evaluation_first_months', 0],
			['evaluation_every_months', 121], ['stats_k', 2], ['stats_k_internal', 0],
			['population_age', 'kinder=12'], ['population_age', 'under-18=100.5'], ['opendata_license', '']]) {
			const e = expectError(await json('PUT', '/api/v1/admin/settings', { [key]: value }, as(admin)), 422);
			assert.ok(e.fields[key], `${key}=${value} names the key: ${JSON.stringify(e.fields)}`);
		}
		const ok = await setting(admin, { population_age: 'under-18=16.2;18-29=17', stats_k_internal: 3 });
		assert.equal(ok.population_age, 'under-18=16.2;18-29=17');
		assert.equal(ok.stats_k_internal, 3);
	} finally {
		await setting(admin, { strategy_adopted_on: '', population_age: '', stats_k_internal: 5 });
	}
	assert.equal((await req('/planung/auswertung', { headers: as(citizen) })).status, 403);
});

// Surveys tagged with a goal: each item as the results page publishes it
// (the survey k): a rating's mean, a choice's most chosen option and its
// share.  A survey with neither open nor close date counts in a period
// only when it had responses in it.
test('surveys: results per item as published; undated surveys by their responses', async () => {
	await dataset();
	const goal = psql(`SELECT slug FROM goals WHERE slug <> 'forschungsstandort-staerken' ORDER BY id DESC LIMIT 1`);
	const def = { pages: [{ name: 'p', elements: [
		{ type: 'radiogroup', name: 'mode', choices: ['bus', 'rad', 'auto'] },
		{ type: 'rating', name: 'sat', rateMin: 1, rateMax: 5 },
		{ type: 'comment', name: 'note' }] }] };
	const mk = async (title) => {
		const s = await json('POST', '/api/v1/surveys', { title, definition: def, access: 'open', results_public: true },
			as(planner));
		assert.equal(s.status, 201, s.text);
		assert.equal((await req(`/api/v1/surveys/${s.json.id}/open`, { method: 'POST', headers: as(planner) })).status, 200);
		psql(`INSERT INTO survey_goals VALUES (${s.json.id}, (SELECT id FROM goals WHERE slug = '${goal}'))`);
		return s.json.id;
	};
	const dated = await mk('Verkehrsmittel');
	const undated = await mk('Ohne Termine');
	// 9 bus, 4 Rad and 2 Auto (both withheld, 6 together: bus is the most
	// chosen for all that); satisfaction 4 ten times, 2 five times.
	const plan = [...Array(9).fill('bus'), ...Array(4).fill('rad'), 'auto', 'auto'];
	for (const [i, mode] of plan.entries()) {
		const r = await json('POST', `/api/v1/surveys/${dated}/responses`,
			{ answers: { mode, sat: i < 10 ? 4 : 2, note: 'frei' } }, { 'x-forwarded-for': clientIp() });
		assert.equal(r.status, 201, r.text);
	}
	for (let i = 0; i < 5; i++) {
		const r = await json('POST', `/api/v1/surveys/${undated}/responses`,
			{ answers: { mode: 'rad', sat: 3 } }, { 'x-forwarded-for': clientIp() });
		assert.equal(r.status, 201, r.text);
	}
	psql(`UPDATE surveys SET opens_at = NULL, closes_at = NULL WHERE id = ${undated}`);
	const today = psql(`SELECT to_char(now() AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD')`);
	const r = await report(`from=${today.slice(0, 7)}-01&to=${today}`);
	assert.equal(r.status, 200, r.text);
	const surveys = r.json.goals.find((g) => g.slug === goal).surveys;
	const s = surveys.find((x) => x.id === dated);
	assert.ok(s, 'the dated survey runs in this period');
	assert.equal(s.definition, undefined, 'no definition in the report');
	assert.equal(s.tallies, undefined, 'no tallies in the report');
	const page = (await req(`/api/v1/surveys/${dated}/results`)).json;
	const pmode = page.questions.find((q) => q.name === 'mode');
	const bus = pmode.options.find((o) => o.value === 'bus');
	assert.deepEqual(s.items.map((i) => i.question), ['mode', 'sat'], 'no summary of free text');
	const mode = s.items.find((i) => i.question === 'mode');
	assert.equal(mode.answered, 15);
	assert.equal(mode.most_chosen.value, 'bus');
	assert.equal(mode.most_chosen.count, 9);
	assert.equal(mode.most_chosen.share, bus.share, 'the share the results page publishes');
	assert.ok(Math.abs(bus.share - 9 / 15) < 1e-12);
	assert.equal(pmode.options.find((o) => o.value === 'rad').count, null, '4: withheld');
	const sat = s.items.find((i) => i.question === 'sat');
	assert.equal(sat.mean, page.questions.find((q) => q.name === 'sat').mean);
	assert.ok(Math.abs(sat.mean - 50 / 15) < 1e-12, `mean ${sat.mean}`);
	// Five answers of one option: no other can be larger.
	const u = surveys.find((x) => x.id === undated);
	assert.ok(u, 'the undated survey had responses in this period');
	assert.equal(u.items.find((i) => i.question === 'mode').most_chosen.value, 'rad');
	// 2018: the undated survey had no responses then, the dated one had not opened.
	const old = await report('from=2018-03-01&to=2018-04-30');
	const og = old.json.goals.find((g) => g.slug === goal).surveys;
	assert.ok(!og.some((x) => x.id === undated || x.id === dated), 'neither ran in 2018');
	// CSV and the page carry the same.
	const c = parse((await report(`from=${today.slice(0, 7)}-01&to=${today}&format=csv`)).text, { columns: true });
	const row = c.find((x) => x.section === 'goal' && x.key === goal && x.item === `survey-${dated}/mode`);
	assert.equal(row.measure, 'most_chosen_share');
	assert.equal(Number(row.current), bus.share);
	assert.equal(row.text, 'bus');
	const html = await req(`/planung/auswertung?from=${today.slice(0, 7)}-01&to=${today}`, { headers: as(planner) });
	assert.equal(html.status, 200);
	assert.match(html.text, new RegExp(`bus \\(${Math.round(bus.share * 1000) / 10} %\\)`));
});
