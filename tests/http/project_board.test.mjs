// The board's selection of projects: assessments by the strategy's four
// criteria (own first, the others' after one's own), the ranking of
// proposed projects by weighted mean, the decision with its reason,
// history and audit trail, and the board's pages without JavaScript.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, login, as, expectError, clientIp } from './lib.mjs';

const FOUR = ['buergernutzen', 'kosten-nutzen', 'strategische-wirkung', 'aussenwirkung'];
const all = (v) => Object.fromEntries(FOUR.map((c) => [c, v]));
const count = (sql) => Number(psql(sql));

let admin, planner, citizen, anna, bernd, carla;

// A project as the registry holds it; made in SQL so these tests do not
// depend on the planners' API.
function project({ title = 'Ein Projekt für das Gremium', status = 'proposed', field, budget } = {}) {
	const t = title.replaceAll("'", "''");
	const id = Number(psql(`INSERT INTO projects (title_de, title_en, summary_de, status, budget_eur)
		VALUES ('${t}', 'A project for the board', 'Eine Zusammenfassung des Projekts.', '${status}',
		${budget ?? 'NULL'}) RETURNING id`));
	if (field) {
		psql(`INSERT INTO project_fields (project_id, field_id) SELECT ${id}, id FROM fields WHERE slug = '${field}'`);
	}
	return id;
}

const assess = (who, id, body) => json('PUT', `/api/v1/projects/${id}/assessment`, body, as(who));
const view = (who, id, q = '') => req(`/api/v1/projects/${id}/assessments${q}`, { headers: as(who) });
const decide = (who, id, body) => json('POST', `/api/v1/projects/${id}/decision`, body, as(who));
const ranking = (who, q = '') => req(`/api/v1/board/projects${q}`, { headers: as(who) });

test.before(async () => {
	admin = await member(['admin']);
	planner = await member(['planner']);
	citizen = await member();
	anna = await member(['board']);
	bernd = await member(['board']);
	carla = await member(['board']);
});

test('a member sees the others\' scores of a project only after submitting their own', async () => {
	const id = project();
	const a = await assess(anna, id, { scores: { buergernutzen: 3, 'kosten-nutzen': 2, 'strategische-wirkung': 1,
		aussenwirkung: 0 }, comment: 'Großer Nutzen, teuer.' });
	assert.equal(a.status, 200, a.text);
	assert.equal(a.json.mine.weighted_mean, 1.5);
	assert.deepEqual(a.json.criteria.map((c) => c.slug), FOUR);
	assert.deepEqual(a.json.others, [], 'the first member sees an empty list');

	const before = await view(bernd, id);
	assert.equal(before.status, 200);
	assert.equal(before.json.mine, null);
	assert.equal(before.json.others, null);
	assert.equal(before.json.others_visible, false);
	assert.equal(before.json.weighted_mean, null);
	assert.equal(before.json.assessments, 1);
	assert.ok(!before.text.includes('Großer Nutzen'), 'no comment leaks');
	assert.ok(!before.text.includes(anna.account.pseudonym), 'no name leaks');

	const r = await assess(bernd, id, { scores: all(1), comment: '' });
	assert.equal(r.status, 200);
	assert.equal(r.json.others_visible, true);
	assert.equal(r.json.others.length, 1);
	assert.equal(r.json.others[0].member, anna.account.pseudonym);
	assert.equal(r.json.others[0].comment, 'Großer Nutzen, teuer.');
	assert.equal(r.json.others[0].weighted_mean, 1.5);
	assert.equal(r.json.mine.weighted_mean, 1);
	assert.equal(r.json.weighted_mean, 1.25);
	// English names come from the criteria table.
	const en = await view(bernd, id, '?lang=en');
	assert.deepEqual(en.json.criteria.map((c) => c.name), ['Benefit to citizens', 'Cost-benefit ratio',
		'Strategic impact', 'External impact']);
	const de = await view(bernd, id);
	assert.deepEqual(de.json.criteria.map((c) => c.name), ['Bürgernutzen', 'Kosten-Nutzen-Verhältnis',
		'Strategische Wirkung', 'Außenwirkung']);
	// A revision replaces the scores; the log records it without them.
	assert.equal((await assess(bernd, id, { scores: all(2) })).status, 200);
	assert.equal(count(`SELECT count(*) FROM project_assessment_scores WHERE project_id = ${id}`), 8);
	assert.equal(count(`SELECT count(*) FROM project_assessment_scores WHERE project_id = ${id} AND score = 2`), 5);
	assert.equal(psql(`SELECT string_agg(concat_ws(':', detail->>'revision', detail->>'others_seen'), ' ' ORDER BY id)
		FROM audit_log WHERE target_kind = 'project' AND target_id = ${id} AND action = 'board.assess'`),
		'false:0 false:0 true:1');
	assert.equal(count(`SELECT count(*) FROM audit_log WHERE target_kind = 'project' AND target_id = ${id}
		AND (detail ? 'scores' OR detail::text LIKE '%Nutzen%')`), 0);
});

test('project assessments are validated; nothing half-written is stored', async () => {
	const id = project();
	const bad = [
		{ scores: { buergernutzen: 3 } },
		{ scores: { ...all(2), kosten: 1 } },
		{ scores: { ...all(2), strategie: 1 } },
		{ scores: all(4) },
		{ scores: all(-1) },
		{ scores: { ...all(2), buergernutzen: 1.5 } },
		{ scores: { ...all(2), aussenwirkung: '2' } },
		{ scores: all(2), comment: 'x'.repeat(2001) },
		{ scores: all(2), comment: 7 },
		{ scores: all(2), extra: true },
		{ scores: [] },
		{ scores: {} },
		{ comment: 'ohne Punkte' },
	];
	for (const body of bad) {
		const e = expectError(await assess(anna, id, body), 422);
		assert.ok(Object.keys(e.fields).length > 0, JSON.stringify(body));
	}
	assert.equal(count(`SELECT count(*) FROM project_assessments WHERE project_id = ${id}`), 0);
	const missing = id + 100000;
	expectError(await assess(anna, missing, { scores: all(2) }), 404);
	expectError(await view(anna, missing), 404);
	assert.ok(expectError(await req(`/api/v1/projects/${id}/assessments?foo=1`, { headers: as(anna) }), 422).fields.foo);
});

test('the ranking lists proposed projects by weighted mean; others\' means only after one\'s own', async () => {
	const field = 'bildung-und-forschung';
	const low = project({ field, title: 'Niedrig bewertet' });
	const high = project({ field, title: 'Hoch bewertet', budget: 125000 });
	const open = project({ field, title: 'Noch offen' });
	const chosen = project({ field, status: 'selected', title: 'Schon ausgewählt' });
	const elsewhere = project({ field: 'energie', title: 'Anderes Feld' });
	await assess(carla, low, { scores: all(1) });
	await assess(carla, high, { scores: { ...all(3), aussenwirkung: 1 } });
	await assess(anna, open, { scores: all(3) });
	const r = await ranking(carla, `?field=${field}`);
	assert.equal(r.status, 200, r.text);
	const ids = r.json.projects.map((p) => p.id);
	assert.ok(!ids.includes(chosen), 'decided projects are not ranked');
	assert.ok(!ids.includes(elsewhere), 'the field filter holds');
	assert.ok(ids.indexOf(high) < ids.indexOf(low) && ids.indexOf(low) < ids.indexOf(open), ids.join());
	const h = r.json.projects.find((p) => p.id === high);
	assert.equal(h.weighted_mean, 2.5);
	assert.equal(h.budget_eur, 125000);
	assert.deepEqual(h.fields, [field]);
	assert.equal(h.title, 'Hoch bewertet');
	const o = r.json.projects.find((p) => p.id === open);
	assert.equal(o.assessed_by_me, false);
	assert.equal(o.weighted_mean, null, 'no mean before one\'s own judgement');
	assert.equal(o.assessments, 1);
	const en = await ranking(carla, `?field=${field}&lang=en`);
	assert.equal(en.json.projects.find((p) => p.id === high).title, 'A project for the board');
	assert.ok(expectError(await ranking(carla, '?field=Keine Slug'), 422).fields.field);
	assert.ok(expectError(await ranking(carla, '?sort=mean'), 422).fields.sort);
});

test('a retired criterion is no longer asked for nor counted, and stays on the sheets that scored it', async () => {
	const put = (body) => json('PUT', '/api/v1/admin/criteria/projekt-test', body, as(admin));
	const crit = { name_de: 'Testkriterium', name_en: 'Test criterion', weight: 2, position: 40 };
	const id = project();
	assert.equal((await put(crit)).status, 200);
	try {
		expectError(await assess(anna, id, { scores: all(3) }), 422);
		const a = await assess(anna, id, { scores: { ...all(3), 'projekt-test': 0 } });
		assert.equal(a.status, 200, a.text);
		assert.equal(a.json.mine.weighted_mean, 2, '(4 · 3 + 0 · 2) / 6');
	} finally {
		assert.equal((await put({ ...crit, active: false })).status, 200);
	}
	const v = await view(anna, id);
	assert.ok(!v.json.criteria.some((c) => c.slug === 'projekt-test'));
	assert.equal(v.json.mine.weighted_mean, 3);
	assert.equal(v.json.mine.scores['projekt-test'], 0);
	assert.deepEqual(v.json.columns.map((c) => [c.slug, c.active]), [...FOUR.map((c) => [c, true]), ['projekt-test', false]]);
	const r = await ranking(anna);
	assert.equal(r.json.projects.find((p) => p.id === id).weighted_mean, 3);
	expectError(await assess(anna, id, { scores: { ...all(3), 'projekt-test': 0 } }), 422);
	assert.equal((await assess(bernd, id, { scores: all(1) })).status, 200);
	const b = await view(bernd, id);
	assert.equal(b.json.weighted_mean, 2);
	assert.ok(b.json.columns.some((c) => c.slug === 'projekt-test' && !c.active));
	// A member who can see no sheet with it sees no such column.
	const fresh = await view(carla, id);
	assert.ok(!fresh.json.columns.some((c) => c.slug === 'projekt-test'));
});

test('the decision: selected or rejected with a reason, once, with history and audit trail', async () => {
	const id = project();
	await assess(anna, id, { scores: all(3), comment: 'Vertraulich: sehr gut.' });
	await assess(bernd, id, { scores: all(2) });
	const bad = [
		[{ decision: 'selected' }, 'reason'],
		[{ decision: 'selected', reason: '' }, 'reason'],
		[{ decision: 'selected', reason: 'x'.repeat(2001) }, 'reason'],
		[{ decision: 'completed', reason: 'Passt.' }, 'decision'],
		[{ decision: 'proposed', reason: 'Passt.' }, 'decision'],
		[{ reason: 'Passt.' }, 'decision'],
		[{ decision: 'selected', reason: 'Passt.', by: 'anna' }, 'by'],
		[{ decision: 'selected', reason: 'Klingel\u0007' }, 'reason'],
	];
	for (const [body, field] of bad) {
		const e = expectError(await decide(anna, id, body), 422);
		assert.ok(e.fields[field], `${JSON.stringify(body)}: ${JSON.stringify(e.fields)}`);
	}
	assert.equal(psql(`SELECT status FROM projects WHERE id = ${id}`), 'proposed');
	const version = count(`SELECT version FROM projects WHERE id = ${id}`);

	const reason = 'Hoher Bürgernutzen bei vertretbaren Kosten.\nUmsetzung ab 2025.';
	const r = await decide(bernd, id, { decision: 'selected', reason });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'selected');
	assert.equal(r.json.decision_reason, reason);
	assert.equal(r.json.decided_by, bernd.account.pseudonym);
	assert.ok(Math.abs(Date.parse(r.json.decided_at) - Date.now()) < 60000);
	assert.equal(r.json.version, version + 1);
	assert.equal(psql(`SELECT concat_ws('|', status, decided_by, decision_reason IS NOT NULL) FROM projects
		WHERE id = ${id}`), `selected|${bernd.account.id}|t`);
	assert.equal(psql(`SELECT concat_ws('|', status, note, changed_by) FROM project_history
		WHERE project_id = ${id} ORDER BY id DESC LIMIT 1`), `selected|${reason}|${bernd.account.id}`);
	const log = JSON.parse(psql(`SELECT json_agg(json_build_object('actor', actor_id, 'detail', detail))
		FROM audit_log WHERE target_kind = 'project' AND target_id = ${id} AND action = 'board.decide'`));
	assert.deepEqual(log, [{ actor: bernd.account.id, detail: { status: 'selected', assessments: 2 } }]);
	assert.equal(count(`SELECT count(*) FROM audit_log WHERE target_kind = 'project' AND target_id = ${id}
		AND (detail ? 'scores' OR detail::text LIKE '%Vertraulich%')`), 0, 'no scores, no comments');

	// Once: a second decision, and assessments after it, are conflicts.
	expectError(await decide(anna, id, { decision: 'rejected', reason: 'Doch nicht.' }), 409);
	expectError(await assess(carla, id, { scores: all(1) }), 409);
	assert.equal(psql(`SELECT status FROM projects WHERE id = ${id}`), 'selected');
	assert.equal(count(`SELECT count(*) FROM project_history WHERE project_id = ${id}`), 1);
	// The assessments stay readable as the record of the decision.
	const v = await view(anna, id);
	assert.equal(v.json.status, 'selected');
	assert.equal(v.json.weighted_mean, 2.5);

	const no = project();
	const n = await decide(anna, no, { decision: 'rejected', reason: 'Kein Bezug zur Strategie.' });
	assert.equal(n.status, 200, n.text);
	assert.equal(n.json.status, 'rejected');
	const busy = project({ status: 'in_implementation' });
	expectError(await decide(anna, busy, { decision: 'selected', reason: 'Schon dabei.' }), 409);
	expectError(await decide(anna, no + 100000, { decision: 'selected', reason: 'Gibt es nicht.' }), 404);
});

test('concurrent decisions: exactly one wins', async () => {
	const id = project();
	const rs = await Promise.all([anna, bernd, carla].map((m, i) =>
		decide(m, id, { decision: i % 2 ? 'rejected' : 'selected', reason: `Entscheidung ${i}` })));
	assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409, 409]);
	assert.equal(count(`SELECT count(*) FROM project_history WHERE project_id = ${id}`), 1);
	assert.equal(count(`SELECT count(*) FROM audit_log WHERE target_kind = 'project' AND target_id = ${id}
		AND action = 'board.decide'`), 1);
});

test('only the board assesses, ranks and decides', async () => {
	const id = project();
	for (const who of [citizen, planner, admin]) {
		expectError(await assess(who, id, { scores: all(2) }), 403);
		expectError(await view(who, id), 403);
		expectError(await ranking(who), 403);
		expectError(await decide(who, id, { decision: 'selected', reason: 'Nein.' }), 403);
	}
	expectError(await req(`/api/v1/projects/${id}/assessments`), 401);
	expectError(await json('POST', `/api/v1/projects/${id}/decision`, { decision: 'selected', reason: 'x' }), 401);
	assert.equal(psql(`SELECT status FROM projects WHERE id = ${id}`), 'proposed');
	assert.equal(count(`SELECT count(*) FROM project_assessments WHERE project_id = ${id}`), 0);
});

// A verified account with a cookie session, as a browser has it.
async function browser(roles) {
	const m = await member(roles);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}
const get = (who, path) => req(path, { headers: { cookie: who.cookie, 'x-forwarded-for': who.ip } });
const post = (who, path, fields) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie, 'x-forwarded-for': who.ip },
	body: new URLSearchParams({ csrf_token: who.csrf, ...fields }).toString() });
const form = (n) => Object.fromEntries(FOUR.map((c) => [`score-${c}`, String(n)]));

test('pages: the ranking, the sheet, an assessment and the decision by plain forms', async () => {
	const m1 = await browser(['board']);
	const m2 = await browser(['board']);
	const title = `Projekt für Formulare ${Date.now() % 100000}`;
	const id = project({ title });
	let r = await get(m1, '/gremium/projekte');
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`<a href="/gremium/projekte/${id}?lang=de">${title}</a>`));
	assert.ok(!/<script/i.test(r.text), 'no JavaScript');
	r = await get(m1, '/gremium');
	assert.ok(r.text.includes('href="/gremium/projekte?lang=de"'), 'the ideas\' ranking links the projects');

	r = await get(m1, `/gremium/projekte/${id}`);
	assert.equal(r.status, 200);
	assert.ok(!/<script/i.test(r.text), 'no JavaScript');
	assert.deepEqual([...new Set([...r.text.matchAll(/name="score-([a-z0-9-]+)"/g)].map((m) => m[1]))], FOUR);
	assert.match(r.text, /<legend>Bürgernutzen <span class="hint">/);
	assert.match(r.text, /nachdem Sie selbst bewertet haben/);
	assert.match(r.text, /action="\/gremium\/projekte\/\d+\/entscheidung\?lang=de"/);
	const en = await get(m1, `/gremium/projekte/${id}?lang=en`);
	assert.match(en.text, /<legend>Benefit to citizens <span class="hint">/);
	// Dates and amounts as the reader writes them.
	const dated = project({ title: 'Projekt mit Zeitraum', budget: 1250000.5 });
	psql(`UPDATE projects SET starts_on = '2026-03-01', ends_on = '2027-02-28' WHERE id = ${dated}`);
	const de = await get(m1, `/gremium/projekte/${dated}`);
	assert.ok(de.text.includes('<dd>1. März 2026 – 28. Februar 2027</dd>'), 'German dates');
	assert.ok(de.text.includes('<dd>1.250.000,50 €</dd>'), 'German amount');

	// A missing score: the error beside the scores, the input kept.
	r = await post(m1, `/gremium/projekte/${id}`, { 'score-buergernutzen': '2', comment: 'Mein Entwurf' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="assess-scores-error">Bitte jedes Kriterium mit 0 bis 3 Punkten bewerten/);
	assert.match(r.text, /name="score-buergernutzen" value="2" checked>/);
	assert.match(r.text, /Mein Entwurf<\/textarea>/);
	assert.match(r.text, /href="#assess-scores"/, 'the summary links the field');
	r = await post(m1, `/gremium/projekte/${id}`, { ...form(3), comment: 'Überzeugt <b>.' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/gremium/projekte/${id}?lang=de`);
	r = await post(m2, `/gremium/projekte/${id}`, form(1));
	assert.equal(r.status, 303);
	r = await get(m1, `/gremium/projekte/${id}`);
	assert.match(r.text, /Sie haben bewertet\./);
	assert.match(r.text, new RegExp(`<tr class="other"><th scope="row">${m2.account.pseudonym}</th>(<td>1</td>){4}<td>1</td>`));
	assert.match(r.text, /<tr class="mine"><th scope="row">Sie<\/th>(<td>3<\/td>){4}<td>3<\/td><td>Überzeugt &lt;b&gt;\.<\/td>/);
	r = await get(m1, '/gremium/projekte');
	assert.match(r.text, new RegExp(`${title}</a></td><td>Vorgeschlagen</td><td></td><td>2</td><td>2</td>`));

	// The decision: without a reason the error stands beside the field.
	r = await post(m1, `/gremium/projekte/${id}/entscheidung`, { decision: 'rejected', reason: '' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="decide-reason-error">Bitte ausfüllen\./);
	assert.match(r.text, /name="decision" value="rejected" checked>/);
	assert.match(r.text, /href="#decide-reason"/);
	r = await post(m1, `/gremium/projekte/${id}/entscheidung`, { decision: 'vielleicht', reason: 'Hm.' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="decide-decision-error">Bitte „Ausgewählt“ oder „Abgelehnt“ wählen\./);
	assert.match(r.text, /Hm\.<\/textarea>/);
	assert.equal(psql(`SELECT status FROM projects WHERE id = ${id}`), 'proposed');
	r = await post(m1, `/gremium/projekte/${id}/entscheidung`, { decision: 'selected', reason: 'Überzeugt alle.' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/gremium/projekte/${id}?lang=de`);
	r = await get(m2, `/gremium/projekte/${id}`);
	assert.match(r.text, /Entscheidung des Gremiums/);
	assert.match(r.text, /<strong>Ausgewählt<\/strong>/);
	assert.match(r.text, /Überzeugt alle\./);
	assert.ok(!r.text.includes('name="score-'), 'no assessment form after the decision');
	assert.ok(!r.text.includes('/entscheidung'), 'no decision form after the decision');
	// A second decision by a stale form: a readable conflict page.
	r = await post(m2, `/gremium/projekte/${id}/entscheidung`, { decision: 'rejected', reason: 'Zu spät.' });
	assert.equal(r.status, 409);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	r = await get(m1, '/gremium/projekte');
	assert.ok(!r.text.includes(title), 'decided projects leave the ranking');
});

test('pages: only the board; others get a 403 page, the anonymous the sign-in', async () => {
	const id = project();
	const c = await browser([]);
	for (const p of ['/gremium/projekte', `/gremium/projekte/${id}`]) {
		const r = await get(c, p);
		assert.equal(r.status, 403, p);
		assert.match(r.headers.get('content-type'), /^text\/html/);
		const a = await req(p);
		assert.equal(a.status, 303, p);
		assert.match(a.headers.get('location'), /^\/anmelden/);
	}
	const m = await browser(['board']);
	assert.equal((await get(m, `/gremium/projekte/${id + 100000}`)).status, 404);
	assert.equal((await get(m, '/gremium/projekte/abc')).status, 404);
});

test('the personal export holds a member\'s project assessments and decisions; a planner\'s projects and measurements', async () => {
	const dora = await member(['board', 'planner']);
	const id = project({ title: 'Ein Projekt für den Export' });
	assert.equal((await assess(dora, id, { scores: all(2), comment: 'Für den Export.' })).status, 200);
	assert.equal((await decide(dora, id, { decision: 'rejected', reason: 'Zu teuer für den Nutzen.' })).status, 200);
	const mine = Number(psql(`INSERT INTO projects (title_de, summary_de, created_by)
		VALUES ('Vom Planer angelegt', 'Eine Zusammenfassung des Projekts.', ${dora.account.id}) RETURNING id`));
	const crit = Number(psql(`INSERT INTO success_criteria (project_id, name_de, baseline, baseline_on, target, target_on)
		VALUES (${mine}, 'Messgröße', 1, '2026-01-01', 2, '2027-01-01') RETURNING id`));
	psql(`INSERT INTO project_measurements (criterion_id, value, measured_on, note, entered_by)
		VALUES (${crit}, 1.5, '2026-06-01', 'Halbzeit', ${dora.account.id})`);
	const r = await req('/api/v1/me/export', { headers: as(dora) });
	assert.equal(r.status, 200);
	const e = r.json;
	assert.deepEqual(e.project_assessments.map((a) => [a.project_id, a.comment, a.scores]),
		[[id, 'Für den Export.', all(2)]]);
	assert.deepEqual(e.project_decisions.map((d) => [d.project_id, d.decision, d.reason]),
		[[id, 'rejected', 'Zu teuer für den Nutzen.']]);
	assert.deepEqual(e.projects_created.map((p) => [p.id, p.title]), [[mine, 'Vom Planer angelegt']]);
	assert.deepEqual(e.project_measurements.map((m) => [m.criterion_id, Number(m.value), m.measured_on, m.note]),
		[[crit, 1.5, '2026-06-01', 'Halbzeit']]);
	// Someone else's export holds none of it.
	const other = (await req('/api/v1/me/export', { headers: as(citizen) })).json;
	assert.deepEqual([other.project_assessments, other.project_decisions, other.projects_created,
		other.project_measurements], [[], [], [], []]);
});
