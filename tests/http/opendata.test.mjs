// Open data: the catalogue and its data dictionary, every dataset as CSV
// parsed back and compared with its JSON, nothing personal or unpublished
// in any file, survey results suppressed as on the results page, the
// licence setting reflected, and paging across a full keyset page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { req, json, psql, member, as, expectError, clientIp, uniqueEmail, publishedIdea, postIdea,
	setting } from './lib.mjs';

const SETS = ['ideas', 'defects', 'projects', 'criteria', 'survey-results'];
const MARK = `odtest${Date.now()}`;

let admin, mod, author, planner;
async function people() {
	admin ??= await member(['admin']);
	mod ??= await member(['moderator']);
	author ??= await member();
	planner ??= await member(['planner']);
}

// The file as CSV rows (objects by header) and as the JSON array.
async function both(set) {
	const c = await req(`/api/v1/opendata/${set}.csv`);
	assert.equal(c.status, 200, c.text);
	assert.match(c.headers.get('content-type'), /^text\/csv; charset=utf-8/);
	assert.equal(c.headers.get('transfer-encoding'), 'chunked', 'streamed');
	const j = await req(`/api/v1/opendata/${set}.json`);
	assert.equal(j.status, 200, j.text);
	assert.ok(Array.isArray(j.json), `${set}.json is an array`);
	const rows = parse(c.text, { columns: true, bom: false, record_delimiter: '\r\n' });
	return { csv: rows, json: j.json, csvText: c.text, jsonText: j.text };
}

// A JSON cell as its CSV text, by the dictionary's type.
function asCsv(v, type) {
	if (v === null) return '';
	if (Array.isArray(v)) return v.join(';');
	if (typeof v === 'boolean') return v ? 't' : 'f';
	return String(v);
}

async function dictionary() {
	const r = await req('/api/v1/opendata');
	assert.equal(r.status, 200, r.text);
	return Object.fromEntries(r.json.datasets.map((d) => [d.name, d]));
}

// CSV and JSON hold the same rows, columns in dictionary order and types.
function sameRows(set, d, { csv, json: rows, csvText }) {
	const names = d.columns.map((c) => c.name);
	assert.equal(csvText.split('\r\n')[0], names.join(','), `${set}: CSV header is the dictionary`);
	assert.equal(csv.length, rows.length, `${set}: as many CSV rows as JSON objects`);
	for (const [i, o] of rows.entries()) {
		assert.deepEqual(Object.keys(o), names, `${set}: JSON keys are the dictionary`);
		for (const c of d.columns) {
			const v = o[c.name];
			if (v !== null) {
				const want = { integer: 'number', number: 'number', boolean: 'boolean',
					'string[]': 'object', 'integer[]': 'object' }[c.type] ?? 'string';
				assert.equal(typeof v, want, `${set}.${c.name} is ${c.type}`);
			}
			// A text that looks like a formula is neutralised in CSV only.
			const text = asCsv(v, c.type);
			const got = csv[i][c.name];
			if (typeof v === 'number') {
				assert.equal(Number(got), v, `${set} row ${i} ${c.name}`);
				continue;
			}
			assert.equal(/^[=+\-@\t\r]/.test(text) && typeof v === 'string' ? got.slice(1) : got, text,
				`${set} row ${i} ${c.name}`);
		}
	}
}

test('catalogue: every dataset with title, description, licence, formats and its dictionary', async () => {
	const r = await req('/api/v1/opendata');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.license, 'dl-de/by-2-0');
	assert.equal(r.json.license_url, 'https://www.govdata.de/dl-de/by-2-0');
	assert.deepEqual(r.json.datasets.map((d) => d.name), SETS);
	for (const d of r.json.datasets) {
		assert.ok(d.title.de && d.title.en && d.description.de && d.description.en, d.name);
		assert.equal(d.license, 'dl-de/by-2-0');
		assert.deepEqual(d.formats.map((f) => f.url), [`/api/v1/opendata/${d.name}.csv`,
			`/api/v1/opendata/${d.name}.json`]);
		assert.ok(d.columns.length >= 5, d.name);
		for (const c of d.columns) {
			assert.match(c.name, /^[a-z_]+$/);
			assert.ok(['integer', 'number', 'string', 'date', 'datetime', 'boolean', 'string[]',
				'integer[]'].includes(c.type), `${d.name}.${c.name}: ${c.type}`);
			assert.equal(typeof c.unit, 'string');
			assert.ok(c.description.de.length > 2 && c.description.en.length > 2);
		}
		// No column a person could be found by.
		for (const c of d.columns)
			assert.doesNotMatch(c.name, /author|reporter|email|e_mail|pseudonym|account|address|contact|respondent/);
	}
	expectError(await req('/api/v1/opendata?format=csv'), 422);
	expectError(await req('/api/v1/opendata/ideas.xml'), 404);
	expectError(await req('/api/v1/opendata/accounts.csv'), 404);
	expectError(await req('/api/v1/opendata/ideas.csv?limit=5'), 422);
});

test('ideas: published only, no author; CSV parsed back equals JSON', async () => {
	await people();
	const pub = await publishedIdea(author, mod, { title: `Offene Idee ${MARK} mit "Anführungszeichen", Komma`,
		description: `Zweizeilig\nund mit =Formel am Anfang ${MARK} beschrieben.`, goals: ['basisinfrastruktur-und-datensouveraenitaet'] });
	const hidden = await postIdea(author, { title: `Geheime Idee ${MARK}x noch nicht frei` });
	psql(`UPDATE ideas SET state = 'pending' WHERE id = ${hidden.id}`);
	const d = await dictionary();
	const f = await both('ideas');
	sameRows('ideas', d.ideas, f);
	const row = f.json.find((o) => o.id === pub.id);
	assert.ok(row, 'the published idea is there');
	assert.match(row.title, new RegExp(MARK));
	assert.equal(row.field, 'mobilitaet');
	assert.deepEqual(row.goals, ['basisinfrastruktur-und-datensouveraenitaet']);
	assert.equal(row.supports, 0);
	assert.equal(row.status, 'submitted');
	assert.ok(!f.json.some((o) => o.id === hidden.id), 'an unpublished idea never appears');
	assert.ok(!f.csvText.includes(`${MARK}x`) && !f.jsonText.includes(`${MARK}x`));
	const who = psql(`SELECT pseudonym FROM accounts WHERE id = ${author.account.id}`);
	assert.ok(!f.csvText.includes(who) && !f.jsonText.includes(who), 'no author pseudonym');
	// As many rows as published ideas.
	assert.equal(f.json.length, Number(psql("SELECT count(*) FROM ideas WHERE state = 'published'")));
});

test('defects: published reports only; no reporter, e-mail, description or address', async () => {
	const email = uniqueEmail('odreporter');
	const r = await json('POST', '/api/v1/defects', { category: 'strassenschaden', lat: 52.2641, lon: 10.5229,
		description: `Schlagloch ${MARK} vor Hausnummer 12`, address: `Geheimweg ${MARK} 12`, email },
	{ 'x-forwarded-for': clientIp() });
	assert.equal(r.status, 201, r.text);
	const id = r.json.defect.id;
	const hidden = await json('POST', '/api/v1/defects', { category: 'graffiti', lat: 52.27, lon: 10.53,
		description: `Noch nicht geprüft ${MARK}` }, { 'x-forwarded-for': clientIp() });
	assert.equal(hidden.status, 201, hidden.text);
	psql(`UPDATE defect_reports SET state = 'published', status = 'resolved',
		acknowledged_at = created_at + interval '2 days 3 hours', closed_at = created_at + interval '9 days'
		WHERE id = ${id}`);
	psql(`UPDATE defect_reports SET state = 'pending' WHERE id = ${hidden.json.defect.id}`);
	const d = await dictionary();
	const f = await both('defects');
	sameRows('defects', d.defects, f);
	const row = f.json.find((o) => o.id === id);
	assert.ok(row, 'the published report is there');
	assert.equal(row.category, 'strassenschaden');
	assert.equal(row.field, 'mobilitaet');
	assert.equal(row.status, 'resolved');
	assert.equal(row.ack_days, 2);
	assert.equal(row.resolve_days, 9);
	assert.equal(row.lat, 52.2641);
	assert.ok(!f.json.some((o) => o.id === hidden.json.defect.id), 'an unmoderated report never appears');
	for (const text of [f.csvText, f.jsonText]) {
		assert.ok(!text.includes(MARK), 'no description or address');
		assert.ok(!text.includes(email) && !text.includes(email.split('@')[0]), 'no e-mail');
	}
});

test('projects and criteria: the registry, only published ideas linked, one row per measurement', async () => {
	await people();
	const pub = await publishedIdea(author, mod);
	const secret = await postIdea(author);
	psql(`UPDATE ideas SET state = 'pending' WHERE id = ${secret.id}`);
	const p = Number(psql(`INSERT INTO projects (title_de, summary_de, status, budget_eur, starts_on, created_by)
		VALUES ('Projekt ${MARK}', 'Eine Zusammenfassung des Projekts.', 'in_implementation', 125000.50,
		'2025-01-01', ${planner.account.id}) RETURNING id`));
	psql(`INSERT INTO project_fields VALUES (${p}, (SELECT id FROM fields WHERE slug = 'mobilitaet')),
		(${p}, (SELECT id FROM fields WHERE slug = 'energie'));
		INSERT INTO project_ideas (project_id, idea_id) VALUES (${p}, ${pub.id}), (${p}, ${secret.id})`);
	const c = Number(psql(`INSERT INTO success_criteria (project_id, name_de, unit, baseline, baseline_on,
		target, target_on) VALUES (${p}, 'Radverkehrsanteil', '%', 10, '2024-01-01', 20, '2028-01-01') RETURNING id`));
	const empty = Number(psql(`INSERT INTO success_criteria (project_id, name_de, baseline, baseline_on,
		target, target_on) VALUES (${p}, 'Noch ohne Messung', 0, '2024-01-01', 5, '2028-01-01') RETURNING id`));
	psql(`INSERT INTO project_measurements (criterion_id, value, measured_on, note) VALUES
		(${c}, 12.5, '2025-01-01', 'Zählung'), (${c}, 14, '2025-07-01', '')`);
	const d = await dictionary();
	const pr = await both('projects');
	sameRows('projects', d.projects, pr);
	const row = pr.json.find((o) => o.id === p);
	assert.ok(row);
	assert.equal(row.status, 'in_implementation');
	assert.equal(row.budget_eur, 125000.5);
	assert.deepEqual(row.fields.sort(), ['energie', 'mobilitaet']);
	assert.deepEqual(row.idea_ids, [pub.id], 'an unpublished idea is not named');
	assert.equal(row.starts_on, '2025-01-01');
	const cr = await both('criteria');
	sameRows('criteria', d.criteria, cr);
	const mine = cr.json.filter((o) => o.criterion_id === c);
	assert.deepEqual(mine.map((o) => [o.measured_on, o.value]), [['2025-01-01', 12.5], ['2025-07-01', 14]]);
	assert.equal(mine[0].unit, '%');
	// A derived criterion: the values the project page shows (success_series),
	// a month of fewer than k reports withheld.
	const derived = Number(psql(`INSERT INTO success_criteria (project_id, name_de, unit, baseline, baseline_on,
		target, target_on, derivation, category_id) VALUES (${p}, 'Tage bis zur Behebung', 'Tage', 10, '2016-01-01',
		3, '2016-12-31', 'defect_resolve_days', (SELECT id FROM defect_categories WHERE code = 'strassenschaden'))
		RETURNING id`));
	const defects = (n, day, days) => psql(`INSERT INTO defect_reports (category_id, department_id, channel,
		status_nonce, status_hash, open311_token, lat, lon, description, created_at, status, state, acknowledged_at,
		closed_at)
		SELECT c.id, c.department_id, 'online', decode(md5('od${day}' || g), 'hex'), sha256(('od-${day}-' || g)::bytea),
			'od-${day}-' || g, 52.26, 10.52, 'Offene Daten ' || g, timestamptz '${day} 08:00 Europe/Berlin', 'resolved',
			'published', timestamptz '${day} 09:00 Europe/Berlin',
			timestamptz '${day} 08:00 Europe/Berlin' + interval '1 day' * (${days} + (g + 1) % 2) + interval '1 hour'
		FROM generate_series(1, ${n}) g, defect_categories c WHERE c.code = 'strassenschaden'`);
	defects(5, '2016-02-10', 4);
	defects(2, '2016-03-10', 1);
	const page = (await req(`/api/v1/projects/${p}/criteria`)).json;
	const series = (page.criteria ?? page).find((x) => x.id === derived).series
		.filter((e) => e.measured_on.startsWith('2016'));
	const dcr = (await both('criteria')).json.filter((o) => o.criterion_id === derived && o.measured_on?.startsWith('2016'));
	// Five reports resolved in 4, 5, 4, 5, 4 days: the median 4; March's two withheld.
	assert.deepEqual(dcr.map((o) => [o.measured_on, o.value]), [['2016-02-01', 4], ['2016-03-01', null]]);
	assert.deepEqual(series.map((e) => [e.measured_on.slice(0, 10), e.value]), dcr.map((o) => [o.measured_on, o.value]),
		'the values the project shows');
	assert.equal(dcr[0].derivation, 'defect_resolve_days');
	const none = cr.json.filter((o) => o.criterion_id === empty);
	assert.equal(none.length, 1);
	assert.equal(none[0].measured_on, null);
	// The idea's own file names the project.
	const ideas = (await req('/api/v1/opendata/ideas.json')).json;
	assert.deepEqual(ideas.find((o) => o.id === pub.id).project_ids, [p]);
});

test('survey results: published surveys only, suppressed as on the results page', async () => {
	await people();
	const def = { pages: [{ name: 'p', elements: [
		{ type: 'radiogroup', name: 'mode', choices: ['bus', 'rad', 'auto'] },
		{ type: 'rating', name: 'sat', rateMin: 1, rateMax: 5 },
		{ type: 'comment', name: 'note' }] }] };
	const mk = async (results_public) => {
		const s = await json('POST', '/api/v1/surveys', { title: `Umfrage ${MARK}`, definition: def, access: 'open', results_public }, as(planner));
		assert.equal(s.status, 201, s.text);
		assert.equal((await req(`/api/v1/surveys/${s.json.id}/open`, { method: 'POST', headers: as(planner) })).status, 200);
		return s.json.id;
	};
	const pub = await mk(true);
	const priv = await mk(false);
	const plan = [...Array(7).fill('bus'), ...Array(6).fill('rad'), 'auto', 'auto'];
	for (const [i, mode] of plan.entries()) {
		for (const id of [pub, priv]) {
			const r = await json('POST', `/api/v1/surveys/${id}/responses`,
				{ answers: { mode, sat: (i % 5) + 1, note: `Freitext ${MARK}z` } }, { 'x-forwarded-for': clientIp() });
			assert.equal(r.status, 201, r.text);
		}
	}
	const d = await dictionary();
	const f = await both('survey-results');
	sameRows('survey-results', d['survey-results'], f);
	assert.ok(!f.json.some((o) => o.survey_id === priv), 'results not published: not in the file');
	assert.ok(!f.csvText.includes(`${MARK}z`) && !f.jsonText.includes(`${MARK}z`), 'no free-text answers');
	const rows = f.json.filter((o) => o.survey_id === pub);
	const page = (await req(`/api/v1/surveys/${pub}/results`)).json;
	const get = (q, item, measure) => rows.find((o) => o.question === q && o.item === item && o.measure === measure);
	assert.equal(get(null, null, 'respondents').value, page.respondents);
	const mode = page.questions.find((q) => q.name === 'mode');
	for (const o of mode.options) {
		assert.equal(get('mode', o.value, 'count').value, o.count, `mode ${o.value}`);
		assert.equal(get('mode', o.value, 'share').value, o.share);
	}
	assert.equal(get('mode', 'auto', 'count').value, null, 'a count of 2 is withheld');
	const sat = page.questions.find((q) => q.name === 'sat');
	assert.equal(get('sat', null, 'mean').value, sat.mean);
	assert.equal(get('sat', null, 'median').value, sat.median);
	for (const o of rows.filter((x) => x.measure === 'count'))
		assert.ok(o.value === null || o.value === 0 || o.value >= 5, JSON.stringify(o));
});

test('licence: the setting is reflected in the catalogue and on the page', async () => {
	await people();
	try {
		await setting(admin, { opendata_license: 'dl-de/zero-2-0' });
		const r = await req('/api/v1/opendata');
		assert.equal(r.json.license, 'dl-de/zero-2-0');
		assert.ok(r.json.datasets.every((d) => d.license === 'dl-de/zero-2-0'));
		const pg = await req('/offene-daten');
		assert.equal(pg.status, 200);
		assert.match(pg.text, /dl-de\/zero-2-0/);
		await setting(admin, { opendata_license: 'stadt-bs-1' });
		const o = await req('/api/v1/opendata');
		assert.equal(o.json.license, 'stadt-bs-1');
		assert.equal(o.json.license_url, null, 'an unknown licence has no link');
		const bad = await json('PUT', '/api/v1/admin/settings', { opendata_license: 'CC BY <script>' }, as(admin));
		assert.equal(expectError(bad, 422).fields.opendata_license !== undefined, true);
	} finally {
		await setting(admin, { opendata_license: 'dl-de/by-2-0' });
	}
});

test('page /offene-daten: every dataset, its dictionary and downloads, in German and English', async () => {
	const de = await req('/offene-daten?utm_source=x');
	assert.equal(de.status, 200);
	assert.match(de.text, /<h1>Offene Daten<\/h1>/);
	for (const s of SETS) {
		assert.match(de.text, new RegExp(`href="/api/v1/opendata/${s}\\.csv"`));
		assert.match(de.text, new RegExp(`id="${s}"`));
	}
	assert.match(de.text, /<code>resolve_days<\/code>/);
	assert.match(de.text, /Volle Tage bis zur Behebung/);
	assert.match(de.text, /rel="license"/);
	const en = await req('/offene-daten?lang=en');
	assert.match(en.text, /<h1>Open data<\/h1>/);
	assert.match(en.text, /Whole days until resolved/);
});

test('paging: more than one keyset page streams every row once', async () => {
	await people();
	const before = Number(psql("SELECT count(*) FROM ideas WHERE state = 'published'"));
	psql(`INSERT INTO ideas (title, description, field_id, author_id, state, published_at)
		SELECT 'Massenidee ' || g, 'Eine Beschreibung der Massenidee ' || g, 1, ${author.account.id}, 'published', now()
		FROM generate_series(1, 5003) g`);
	try {
		const c = await req('/api/v1/opendata/ideas.csv');
		const rows = parse(c.text, { columns: true });
		assert.equal(rows.length, before + 5003);
		assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no row twice');
		const ids = rows.map((r) => Number(r.id));
		assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in id order');
		const j = await req('/api/v1/opendata/ideas.json');
		assert.equal(j.json.length, before + 5003);
	} finally {
		psql("DELETE FROM ideas WHERE title LIKE 'Massenidee %'");
	}
});
