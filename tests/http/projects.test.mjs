// The project registry: Steckbriefe, the planners' status steps, success
// criteria with measurements and derived series, verdicts, pages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, expectError, publishedIdea } from './lib.mjs';

const planner = await member(['planner']);
const citizen = await member([]);
const moderator = await member(['moderator']);

const body = (extra = {}) => ({
	title_de: 'Digitale Parkraumsteuerung', title_en: 'Digital parking guidance',
	summary_de: 'Sensoren zeigen freie Parkplätze in der Innenstadt an.',
	department: undefined, partners: 'Verkehrsbetriebe',
	starts_on: '2026-01-01', ends_on: '2027-12-31', budget_eur: 250000.5,
	fields: ['mobilitaet', 'digitale-infrastruktur'], goals: [],
	...extra,
});

async function project(extra = {}) {
	const r = await json('POST', '/api/v1/projects', body(extra), as(planner));
	assert.equal(r.status, 201, r.text);
	return r.json;
}

test('a planner creates a project; everyone reads it; German first, English on request', async () => {
	const p = await project();
	assert.equal(p.status, 'proposed');
	assert.equal(p.version, 1);
	assert.deepEqual(p.fields.map((f) => f.slug).sort(), ['digitale-infrastruktur', 'mobilitaet']);
	assert.equal(p.budget_eur, 250000.5);
	const de = await req(`/api/v1/projects/${p.id}`);
	assert.equal(de.status, 200);
	assert.equal(de.json.title, 'Digitale Parkraumsteuerung');
	const en = await req(`/api/v1/projects/${p.id}?lang=en`);
	assert.equal(en.json.title, 'Digital parking guidance');
	assert.equal(de.json.history.length, 1);
	assert.equal(psql(`SELECT count(*) FROM audit_log WHERE action = 'project.create' AND target_id = ${p.id}`), '1');
});

test('bad input names the field and stores nothing', async () => {
	const before = psql('SELECT count(*) FROM projects');
	let r = await json('POST', '/api/v1/projects', body({ title_de: 'x', fields: [] }), as(planner));
	let e = expectError(r, 422);
	assert.ok(e.fields.title_de);
	r = await json('POST', '/api/v1/projects', body({ fields: ['nope'] }), as(planner));
	e = expectError(r, 422);
	assert.ok(e.fields.fields);
	r = await json('POST', '/api/v1/projects', body({ starts_on: '2027-01-01', ends_on: '2026-01-01' }), as(planner));
	e = expectError(r, 422);
	assert.ok(e.fields.ends_on);
	r = await json('POST', '/api/v1/projects', body({ starts_on: '2026-02-30' }), as(planner));
	assert.ok(expectError(r, 422).fields.starts_on);
	r = await json('POST', '/api/v1/projects', body({ budget_eur: -1 }), as(planner));
	assert.ok(expectError(r, 422).fields.budget_eur);
	r = await json('POST', '/api/v1/projects', body({ idea_ids: [999999999] }), as(planner));
	assert.ok(expectError(r, 422).fields.idea_ids);
	r = await json('POST', '/api/v1/projects', body({ department: 'gibt-es-nicht' }), as(planner));
	assert.ok(expectError(r, 422).fields.department);
	r = await json('POST', '/api/v1/projects', body({ surprise: 1 }), as(planner));
	assert.ok(expectError(r, 422).fields.surprise);
	assert.equal(psql('SELECT count(*) FROM projects'), before);
});

test('PUT checks the version: a stale one is a 409, nothing changes', async () => {
	const p = await project();
	let r = await json('PUT', `/api/v1/projects/${p.id}`, body({ title_de: 'Neuer Titel hier', version: 1 }), as(planner));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, 2);
	assert.equal(r.json.title, 'Neuer Titel hier');
	r = await json('PUT', `/api/v1/projects/${p.id}`, body({ title_de: 'Verloren', version: 1 }), as(planner));
	expectError(r, 409, 'version_conflict');
	r = await json('PUT', `/api/v1/projects/${p.id}`, body({ title_de: 'Ohne Version' }), as(planner));
	assert.ok(expectError(r, 422).fields.version);
	assert.equal(psql(`SELECT title_de FROM projects WHERE id = ${p.id}`), 'Neuer Titel hier');
	r = await json('PUT', '/api/v1/projects/999999999', body({ version: 1 }), as(planner));
	expectError(r, 404);
});

test('status: planners only move selected → in_implementation → completed, with a note', async () => {
	const p = await project();
	let r = await json('POST', `/api/v1/projects/${p.id}/status`, { status: 'selected', note: 'Wir wählen aus.' }, as(planner));
	assert.ok(expectError(r, 422).fields.status);
	r = await json('POST', `/api/v1/projects/${p.id}/status`, { status: 'in_implementation', note: 'Los geht es.' }, as(planner));
	expectError(r, 409, 'illegal_transition');
	// The board's decision (its own endpoint) selects; here set directly.
	psql(`UPDATE projects SET status = 'selected', decided_at = now(), decision_reason = 'gut' WHERE id = ${p.id}`);
	r = await json('POST', `/api/v1/projects/${p.id}/status`, { status: 'in_implementation' }, as(planner));
	assert.ok(expectError(r, 422).fields.note);
	r = await json('POST', `/api/v1/projects/${p.id}/status`, { status: 'in_implementation', note: 'Vergabe erfolgt.' }, as(planner));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'in_implementation');
	r = await json('POST', `/api/v1/projects/${p.id}/status`, { status: 'completed', note: 'Fertig gebaut.' }, as(planner));
	assert.equal(r.json.status, 'completed');
	assert.deepEqual(r.json.history.map((h) => h.status), ['proposed', 'in_implementation', 'completed']);
	assert.equal(psql(`SELECT count(*) FROM audit_log WHERE action = 'project.status' AND target_id = ${p.id}`), '2');
});

test('filters by field, goal and status; unknown slugs are named', async () => {
	const a = await project({ fields: ['energie'], goals: ['staedtische-ziele-umsetzen'] });
	const b = await project({ fields: ['gesundheit-und-soziales'] });
	let r = await req('/api/v1/projects?field=energie');
	assert.equal(r.status, 200);
	const ids = r.json.projects.map((x) => x.id);
	assert.ok(ids.includes(a.id) && !ids.includes(b.id));
	r = await req('/api/v1/projects?goal=staedtische-ziele-umsetzen&status=proposed');
	assert.ok(r.json.projects.some((x) => x.id === a.id));
	r = await req('/api/v1/projects?status=completed&field=energie');
	assert.ok(!r.json.projects.some((x) => x.id === a.id));
	expectError(await req('/api/v1/projects?field=unbekannt'), 422);
	expectError(await req('/api/v1/projects?status=bogus'), 422);
	expectError(await req('/api/v1/projects?utm_source=x'), 422);
});

test('criteria: manual measurements over time and the verdict along the path', async () => {
	const p = await project();
	let r = await json('POST', `/api/v1/projects/${p.id}/criteria`, {
		name_de: 'Belegte Parkplätze gefunden', unit: '%', baseline: 20, baseline_on: '2026-01-01',
		target: 60, target_on: '2026-12-31', source: 'Sensorzählung' }, as(planner));
	assert.equal(r.status, 201, r.text);
	const c = r.json;
	assert.equal(c.progress.verdict, 'no_data');
	const m = (value, measured_on) => json('POST', `/api/v1/projects/${p.id}/criteria/${c.id}/measurements`,
		{ value, measured_on, note: 'Zählung' }, as(planner));
	r = await m(30, '2026-04-01');
	assert.equal(r.status, 201, r.text);
	// On 1 July (day 181 of 364) the path is at 20 + 40 * 181/364 = 39.89.
	r = await m(35, '2026-07-01');
	assert.equal(r.status, 201);
	let got = (await req(`/api/v1/projects/${p.id}`)).json.criteria[0];
	assert.equal(got.progress.verdict, 'behind');
	assert.equal(got.progress.expected, 39.8901);
	expectError(await m(36, '2026-07-01'), 409, 'duplicate');
	r = await m(45, '2026-08-01');
	got = (await req(`/api/v1/projects/${p.id}/criteria`)).json.criteria[0];
	assert.equal(got.progress.verdict, 'on_track');
	assert.deepEqual(got.series.map((s) => s.value), [30, 35, 45]);
	r = await m(61, '2026-09-01');
	const mid = r.json.id;
	got = (await req(`/api/v1/projects/${p.id}/criteria`)).json.criteria[0];
	assert.equal(got.progress.verdict, 'reached');
	r = await req(`/api/v1/projects/${p.id}/criteria/${c.id}/measurements/${mid}`, { method: 'DELETE', headers: as(planner) });
	assert.equal(r.status, 200, r.text);
	got = (await req(`/api/v1/projects/${p.id}/criteria`)).json.criteria[0];
	assert.equal(got.progress.verdict, 'on_track');
	// Less is better: a target below the baseline.
	r = await json('PUT', `/api/v1/projects/${p.id}/criteria/${c.id}`, {
		name_de: 'Suchverkehr in Minuten', baseline: 60, baseline_on: '2026-01-01',
		target: 20, target_on: '2026-12-31' }, as(planner));
	assert.equal(r.status, 200, r.text);
	// 45 on 1 August, where the path is at 60 - 40 * 212/364 = 36.70.
	assert.equal(r.json.progress.verdict, 'behind');
	assert.equal(r.json.progress.expected, 36.7033);
	r = await json('POST', `/api/v1/projects/${p.id}/criteria`, { name_de: 'Ohne Richtung', baseline: 5,
		baseline_on: '2026-01-01', target: 5, target_on: '2026-12-31' }, as(planner));
	assert.ok(expectError(r, 422).fields.target);
	r = await json('POST', `/api/v1/projects/${p.id}/criteria`, { name_de: 'Rückwärts', baseline: 5,
		baseline_on: '2026-12-31', target: 6, target_on: '2026-01-01' }, as(planner));
	assert.ok(expectError(r, 422).fields.target_on);
	r = await json('POST', `/api/v1/projects/${p.id}/criteria`, { name_de: 'Umfrage', baseline: 1,
		baseline_on: '2026-01-01', target: 4, target_on: '2026-12-31', derivation: 'survey_mean' }, as(planner));
	const e = expectError(r, 422);
	assert.ok(e.fields.survey_id && e.fields.question);
	assert.ok(Number(psql(`SELECT count(*) FROM audit_log WHERE target_kind = 'project' AND target_id = ${p.id} AND action LIKE 'project.measurement%'`)) >= 5);
});

test('derived: the median days to acknowledge defect reports per month, suppressed below k', async () => {
	const p = await project();
	const cat = psql("SELECT id FROM defect_categories WHERE code = 'graffiti'");
	// A category of its own data: five reports in March 2026 acknowledged
	// after 1, 2, 3, 10, 20 days (median 3); two in April (suppressed).
	psql(`DELETE FROM defect_reports WHERE category_id = ${cat}`);
	// Six in May after 1, 2, 3, 4, 8, 9 days: the median of an even count
	// is the mean of the two middle values (3.5), as on the dashboard.
	const days = [[1, '2026-03-02'], [2, '2026-03-03'], [3, '2026-03-04'], [10, '2026-03-05'], [20, '2026-03-06'],
		[4, '2026-04-02'], [5, '2026-04-03'],
		[1, '2026-05-04'], [2, '2026-05-05'], [3, '2026-05-06'], [4, '2026-05-07'], [8, '2026-05-08'], [9, '2026-05-11']];
	for (const [d, on] of days) {
		psql(`INSERT INTO defect_reports (category_id, department_id, status_nonce, status_hash, open311_token,
		      lat, lon, description, created_at, acknowledged_at, status)
		      VALUES (${cat}, (SELECT department_id FROM defect_categories WHERE id = ${cat}),
		      decode(md5(random()::text), 'hex'), decode(md5(random()::text) || md5(random()::text), 'hex'),
		      md5(random()::text), 52.26, 10.52, 'Graffiti an der Wand hier', '${on} 12:00+01',
		      '${on} 12:00+01'::timestamptz + interval '${d} days' + interval '1 hour', 'acknowledged')`);
	}
	let r = await json('POST', `/api/v1/projects/${p.id}/criteria`, { name_de: 'Tage bis zur Bestätigung', unit: 'Tage',
		baseline: 10, baseline_on: '2026-01-01', target: 2, target_on: '2026-12-31',
		derivation: 'defect_ack_days', category: 'graffiti' }, as(planner));
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(r.json.series.map((s) => [s.measured_on, s.value, s.suppressed]),
		[['2026-03-01', 3, false], ['2026-04-01', null, true], ['2026-05-01', 3.5, false]]);
	// The latest shown value (3.5 on 1 May) is below the path (7.4): on track.
	assert.equal(r.json.progress.verdict, 'on_track');
	// The dashboard's medians come from the aggregates' histograms: the
	// same months by the same rule give the same numbers.
	const hist = psql(`SELECT month || ' ' || days || ' ' || n FROM stats_durations
		WHERE kind = 'ack' AND category_id = ${cat} AND n > 0 ORDER BY month, days`).split('\n');
	const months = {};
	for (const [m, d, n] of hist.map((l) => l.split(' ')))
		(months[m] ??= []).push(...Array(Number(n)).fill(Number(d)));
	const median = (v) => (v[Math.floor((v.length - 1) / 2)] + v[Math.floor(v.length / 2)]) / 2;
	for (const s of r.json.series) {
		const v = months[s.measured_on];
		assert.ok(v, `${s.measured_on} is a month of stats_durations`);
		assert.equal(s.suppressed, v.length < 5);
		if (!s.suppressed) assert.equal(s.value, median(v), s.measured_on);
	}
	assert.deepEqual(Object.keys(months).sort(), r.json.series.map((s) => s.measured_on));
	r = await json('POST', `/api/v1/projects/${p.id}/criteria/${r.json.id}/measurements`,
		{ value: 1, measured_on: '2026-05-01' }, as(planner));
	expectError(r, 409, 'derived');
});

test("an idea's JSON and page name the projects taking it up", async () => {
	const author = await member([]);
	const idea = await publishedIdea(author, moderator);
	const p = await project({ idea_ids: [idea.id] });
	assert.deepEqual(p.idea_ids, [idea.id]);
	const r = await req(`/api/v1/ideas/${idea.id}`);
	assert.deepEqual(r.json.projects.map((x) => x.id), [p.id]);
	const page = await req(`/projekte/${p.id}`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(`/ideen/${idea.id}`));
	const ideaPage = await req(`/ideen/${idea.id}`);
	assert.match(ideaPage.text, new RegExp(`<dt>Aufgegriffen im Projekt</dt><dd><a href="/projekte/${p.id}\\?lang=de">` +
		'Digitale Parkraumsteuerung</a> \\(Vorgeschlagen\\)</dd>'));
	const en = await req(`/ideen/${idea.id}?lang=en`);
	assert.ok(en.text.includes('Taken up in the project'));
	assert.ok(en.text.includes('Digital parking guidance'));
});

test('pages: the list and the Steckbrief with a chart against the target', async () => {
	const p = await project({ title_de: 'Projekt mit Diagramm' });
	const c = (await json('POST', `/api/v1/projects/${p.id}/criteria`, { name_de: 'Nutzerzahl', baseline: 0,
		baseline_on: '2026-01-01', target: 100, target_on: '2026-12-31' }, as(planner))).json;
	await json('POST', `/api/v1/projects/${p.id}/criteria/${c.id}/measurements`, { value: 10, measured_on: '2026-02-01' }, as(planner));
	let r = await req('/projekte?field=mobilitaet&fbclid=abc');
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('Projekt mit Diagramm'));
	r = await req(`/projekte/${p.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /<svg[^>]*role="img"/);
	assert.ok(r.text.includes('Im Plan'));
	assert.ok(r.text.includes('<dd>250.000,50 €</dd>'), 'the budget as German readers write it');
	r = await req(`/projekte/${p.id}?lang=en`);
	assert.ok(r.text.includes('On track'));
	assert.ok(r.text.includes('<dd>€250,000.50</dd>'), 'and as English readers do');
	r = await req('/projekte/999999999');
	assert.equal(r.status, 404);
});

test('planner forms: create and errors beside fields, input kept', async () => {
	const headers = { ...as(planner), 'content-type': 'application/x-www-form-urlencoded' };
	const form = (o) => new URLSearchParams({ csrf_token: planner.csrf, ...o }).toString();
	let r = await req('/planung/projekte', { headers: as(planner) });
	assert.equal(r.status, 200);
	r = await req('/planung/projekte/neu', { method: 'POST', headers, body: form({
		title_de: 'Fo', summary_de: 'Eine Beschreibung, die lang genug ist.', 'field-energie': 'on' }) });
	assert.equal(r.status, 422);
	assert.ok(r.text.includes('Eine Beschreibung, die lang genug ist.'));
	assert.match(r.text, /id="title_de-error"/);
	r = await req('/planung/projekte/neu', { method: 'POST', headers, body: form({
		title_de: 'Formularprojekt', summary_de: 'Eine Beschreibung, die lang genug ist.', 'field-energie': 'on',
		budget_eur: '1.000,50'.replace('.', ''), idea_ids: '' }) });
	assert.equal(r.status, 303, r.text);
	const id = psql("SELECT max(id) FROM projects WHERE title_de = 'Formularprojekt'");
	assert.equal(psql(`SELECT budget_eur FROM projects WHERE id = ${id}`), '1000.50');
	r = await req(`/planung/projekte/${id}`, { headers: as(planner) });
	assert.equal(r.status, 200);
	r = await req(`/planung/projekte/${id}/kriterien`, { method: 'POST', headers, body: form({
		name_de: 'Kriterium', baseline: '1', baseline_on: '2026-01-01', target: '1', target_on: '2026-06-01' }) });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="g-target-error"/);
	r = await req(`/planung/projekte/${id}`, { method: 'POST', headers, body: form({
		title_de: 'Formularprojekt neu', summary_de: 'Eine Beschreibung, die lang genug ist.', 'field-energie': 'on',
		version: '1' }) });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT version FROM projects WHERE id = ${id}`), '2');
	void citizen;
});

test('planner forms: the department from a select, errors beside the measurement and criterion fields', async () => {
	const headers = { ...as(planner), 'content-type': 'application/x-www-form-urlencoded' };
	const form = (o) => new URLSearchParams({ csrf_token: planner.csrf, ...o }).toString();
	const dept = psql('SELECT slug FROM departments ORDER BY id LIMIT 1');
	let r = await req('/planung/projekte/neu', { headers: as(planner) });
	assert.match(r.text, new RegExp(`<select id="department" name="department"[^>]*><option value="">`));
	assert.ok(r.text.includes(`<option value="${dept}">`));
	// An error elsewhere keeps the department chosen.
	r = await req('/planung/projekte/neu', { method: 'POST', headers, body: form({ title_de: 'Fo',
		summary_de: 'Eine Beschreibung, die lang genug ist.', 'field-energie': 'on', department: dept }) });
	assert.equal(r.status, 422);
	assert.ok(r.text.includes(`<option value="${dept}" selected>`));
	r = await req('/planung/projekte/neu', { method: 'POST', headers, body: form({ title_de: 'Projekt mit Fachbereich',
		summary_de: 'Eine Beschreibung, die lang genug ist.', 'field-energie': 'on', department: dept }) });
	assert.equal(r.status, 303, r.text);
	const id = psql("SELECT max(id) FROM projects WHERE title_de = 'Projekt mit Fachbereich'");
	assert.equal(psql(`SELECT d.slug FROM projects p JOIN departments d ON d.id = p.department_id WHERE p.id = ${id}`), dept);
	r = await req(`/planung/projekte/${id}`, { headers: as(planner) });
	assert.ok(r.text.includes(`<option value="${dept}" selected>`));

	const c = (await json('POST', `/api/v1/projects/${id}/criteria`, { name_de: 'Zähler', baseline: 0,
		baseline_on: '2026-01-01', target: 10, target_on: '2026-12-31' }, as(planner))).json;
	const other = (await json('POST', `/api/v1/projects/${id}/criteria`, { name_de: 'Anderer Zähler', baseline: 0,
		baseline_on: '2026-01-01', target: 10, target_on: '2026-12-31' }, as(planner))).json;
	r = await req(`/planung/projekte/${id}/kriterien/${c.id}/messungen`, { method: 'POST', headers,
		body: form({ value: 'viele', measured_on: '2026-02-30', note: 'Zählung im Februar' }) });
	assert.equal(r.status, 422);
	// Beside that criterion's fields, its input kept; the other's form is blank.
	assert.match(r.text, new RegExp(`id="m-${c.id}-value" name="value" inputmode="decimal" value="viele" aria-invalid="true"`));
	assert.match(r.text, new RegExp(`<p class="error" id="m-${c.id}-value-error">`));
	assert.match(r.text, new RegExp(`<p class="error" id="m-${c.id}-measured_on-error">`));
	assert.ok(r.text.includes('value="Zählung im Februar"'));
	assert.ok(r.text.includes(`href="#m-${c.id}-value"`), 'the summary links to the field');
	assert.match(r.text, new RegExp(`id="m-${other.id}-value" name="value" inputmode="decimal" value="">`));
	assert.equal(psql(`SELECT count(*) FROM project_measurements WHERE criterion_id = ${c.id}`), '0');
	r = await req(`/planung/projekte/${id}/kriterien/${c.id}/messungen`, { method: 'POST', headers,
		body: form({ value: '4,5', measured_on: '2026-02-01' }) });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT value FROM project_measurements WHERE criterion_id = ${c.id}`), '4.5');

	// The criterion form keeps the derivation chosen.
	r = await req(`/planung/projekte/${id}/kriterien`, { method: 'POST', headers, body: form({
		name_de: 'Mittelwert', baseline: '1', baseline_on: '2026-01-01', target: '4', target_on: '2026-12-31',
		derivation: 'survey_mean' }) });
	assert.equal(r.status, 422);
	assert.ok(r.text.includes('<option value="survey_mean" selected>'));
	assert.match(r.text, /id="g-survey_id-error"/);
});
