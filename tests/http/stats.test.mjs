// The forum dashboard API (GET /api/v1/stats/dashboard, .csv, inclusion):
// a dataset built through the API, moved to March and April 2019 (months
// no other test writes to; the aggregates follow the rows), then every
// KPI checked against the known answer, suppression included.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, postIdea, setting, clientIp, expectError } from './lib.mjs';

let admin, planner, alice, bob, ids;
const MAR = '2019-03-15 12:00+01';
const APR = '2019-04-15 12:00+02';
const Q = 'from=2019-03&to=2019-04';
const api = (q, who) => req(`/api/v1/stats/dashboard?${q}`, { headers: who ? as(who) : {} });

// RFC 4180, enough for the long format: quoted fields, CRLF lines.
export function parseCsv(text) {
	const rows = [];
	let row = [], field = '', i = 0, quoted = false;
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
			if (c === '"') { quoted = false; i++; continue; }
			field += c; i++; continue;
		}
		if (c === '"') { quoted = true; i++; continue; }
		if (c === ',') { row.push(field); field = ''; i++; continue; }
		if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
		field += c; i++;
	}
	assert.equal(field, '', 'the CSV ends with CRLF');
	return rows;
}

test.before(async () => {
	admin = await member(['admin']);
	planner = await member(['planner']);
	alice = await member();
	bob = await member();
	await setting(admin, { moderation_mode: 'post' });
	const carol = await member(), dave = await member(), eve = await member();
	// March: 7 ideas in Mobilität, 2 in Energie, all in mitte; April:
	// 6 in Mobilität.  All by alice.
	const mk = (field, n) => Promise.all(Array.from({ length: n }, () =>
		postIdea(alice, { field, district: 'mitte' })));
	const mar = [...await mk('mobilitaet', 7), ...await mk('energie', 2)];
	const apr = await mk('mobilitaet', 6);
	// 5 comments by bob and 3 supports (carol, dave, eve) on a March idea.
	for (let i = 0; i < 5; i++) {
		const r = await json('POST', `/api/v1/ideas/${mar[0].id}/comments`,
			{ body: `Ein Kommentar Nummer ${i} zur Idee, gut begründet.` }, as(bob));
		assert.equal(r.status, 201, r.text);
	}
	for (const s of [carol, dave, eve]) {
		const r = await req(`/api/v1/ideas/${mar[0].id}/supports`, { method: 'POST', headers: as(s) });
		assert.ok(r.status === 201 || r.status === 200, r.text);
	}
	// Two March ideas accepted, one of them implemented.
	psql(`UPDATE ideas SET status = 'accepted' WHERE id = ${mar[1].id}`);
	psql(`UPDATE ideas SET status = 'implemented' WHERE id = ${mar[2].id}`);
	ids = { mar: mar.map((x) => x.id), apr: apr.map((x) => x.id) };
	psql(`UPDATE ideas SET created_at = '${MAR}' WHERE id IN (${ids.mar})`);
	psql(`UPDATE ideas SET created_at = '${APR}' WHERE id IN (${ids.apr})`);
	psql(`UPDATE comments SET created_at = '${MAR}' WHERE idea_id = ${mar[0].id}`);
	psql(`UPDATE supports SET created_at = '${MAR}' WHERE idea_id = ${mar[0].id}`);
	// Defects: 5 road reports in March acknowledged after 2, 3, 3, 5, 9
	// days (median 3); 3 lighting reports (fewer than k: no median).
	const point = { lat: 52.2645, lon: 10.5236 };
	const rep = async (category, i) => {
		const r = await json('POST', '/api/v1/defects', { category, ...point, lat: 52.26 + i / 1000,
			description: `Ein Schaden Nummer ${i} an dieser Stelle, bitte prüfen.` }, { 'x-forwarded-for': clientIp() });
		assert.equal(r.status, 201, r.text);
		return r.json.defect.id;
	};
	const road = [], light = [];
	for (let i = 0; i < 5; i++) road.push(await rep('strassenschaden', i));
	for (let i = 0; i < 3; i++) light.push(await rep('strassenbeleuchtung', 10 + i));
	psql(`UPDATE defect_reports SET created_at = '${MAR}' WHERE id IN (${[...road, ...light]})`);
	const days = [2, 3, 3, 5, 9];
	road.forEach((id, i) => psql(`UPDATE defect_reports SET status = 'acknowledged',
		acknowledged_at = created_at + interval '${days[i]} days 1 hour' WHERE id = ${id}`));
	light.forEach((id) => psql(`UPDATE defect_reports SET status = 'acknowledged',
		acknowledged_at = created_at + interval '1 day' WHERE id = ${id}`));
	assert.equal(psql('SELECT count(*) FROM stats_recount()'), '0');
});

const cell = (n) => ({ n, suppressed: false });
const HIDDEN = { n: null, suppressed: true };
// A period total over a withheld month: withheld, with the sum of its
// shown months as a lower bound.
const LOW = (n) => ({ ...HIDDEN, at_least: n });
const month = (doc, metric, m) => {
	const { month: _, ...c } = doc.series[metric].find((x) => x.month === m);
	return c;
};

test('every KPI of the whole city, month by month and over the period', async () => {
	const r = await api(Q);
	assert.equal(r.status, 200, r.text);
	const d = r.json;
	assert.deepEqual(d.months, ['2019-03', '2019-04']);
	assert.equal(d.k, 5);
	assert.equal(d.internal, false);
	assert.deepEqual(month(d, 'ideas_submitted', '2019-03'), cell(9));
	assert.deepEqual(month(d, 'ideas_submitted', '2019-04'), cell(6));
	assert.deepEqual(d.totals.ideas_submitted, cell(15));
	assert.deepEqual(d.totals.ideas_published, cell(15));
	// 2 accepted (accepted, implemented) and 1 implemented: below k.
	assert.deepEqual(month(d, 'ideas_accepted', '2019-03'), HIDDEN);
	assert.deepEqual(month(d, 'ideas_implemented', '2019-03'), HIDDEN);
	// March withheld, April 0: the lower bound is April's 0.
	assert.deepEqual(d.totals.ideas_accepted, LOW(0));
	assert.deepEqual(month(d, 'comments', '2019-03'), cell(5));
	assert.deepEqual(month(d, 'supports', '2019-03'), HIDDEN);
	assert.deepEqual(month(d, 'supports', '2019-04'), cell(0));
	assert.deepEqual(d.totals.survey_responses, cell(0));
	assert.deepEqual(d.totals.defect_reports, cell(8));
	// alice, bob, carol, dave, eve took part in March; alice alone in April.
	assert.equal(d.participants.scope, 'all');
	assert.deepEqual(d.participants.series.map(({ month: _, ...c }) => c), [cell(5), HIDDEN]);
	const road = d.defects.find((x) => x.category === 'strassenschaden');
	assert.deepEqual(road.acknowledge, { median_days: 3, suppressed: false });
	assert.deepEqual(road.resolve, { median_days: null, suppressed: false });
	const light = d.defects.find((x) => x.category === 'strassenbeleuchtung');
	assert.deepEqual(light.acknowledge, { median_days: null, suppressed: true });
	// Projects are not people: counted as they are.
	const want = Object.fromEntries(psql(`SELECT string_agg(status || '=' || n, ',') FROM
		(SELECT status, count(*) n FROM projects GROUP BY 1) s`).split(',').filter(Boolean)
		.map((x) => x.split('=')).map(([k, v]) => [k, Number(v)]));
	for (const s of ['proposed', 'selected', 'in_implementation', 'completed', 'rejected'])
		assert.equal(d.projects[s], want[s] || 0, s);
	// Online is the only channel: its column equals the totals.
	const online = d.by_channel.find((x) => x.channel === 'online');
	assert.deepEqual(online.counts.ideas_submitted, cell(15));
	assert.deepEqual(d.by_channel.find((x) => x.channel === 'paper').counts.ideas_submitted, cell(0));
});

test('a small cell, its partner, and the period that would reveal it', async () => {
	// Energie has 2 March ideas: hidden; Mobilität's 7 go with them, or
	// "all fields" (9) minus Mobilität would give Energie's 2 away.
	const all = (await api(Q)).json;
	const f = (slug) => all.by_field.find((x) => x.slug === slug).counts.ideas_submitted;
	assert.deepEqual(f('energie'), LOW(0));
	assert.deepEqual(f('mobilitaet'), LOW(6));
	// In the month cells too, small (Energie) and partner (Mobilität)
	// read alike: nothing in the JSON tells them apart.
	const fs = (slug) => all.by_field_series.find((x) => x.slug === slug).series.ideas_submitted[0];
	assert.deepEqual(fs('energie'), { ...HIDDEN, month: '2019-03' });
	assert.deepEqual(fs('mobilitaet'), fs('energie'));
	assert.deepEqual(f('bauen-und-wohnen'), cell(0));
	const mob = (await api(`${Q}&field=mobilitaet`)).json;
	assert.deepEqual(mob.filters.field.slug, 'mobilitaet');
	assert.deepEqual(month(mob, 'ideas_submitted', '2019-03'), HIDDEN);
	assert.deepEqual(month(mob, 'ideas_submitted', '2019-04'), cell(6));
	// March to April would be April's 6 plus March's hidden 7: withheld,
	// published only as at least April's 6, never with March's 7 in it.
	assert.deepEqual(mob.totals.ideas_submitted, LOW(6));
	const apr = (await api('from=2019-04&to=2019-04&field=mobilitaet')).json;
	assert.deepEqual(apr.totals.ideas_submitted, cell(6));
	// Survey responses have no field: not applicable, not zero.
	assert.equal(mob.totals.survey_responses, null);
	assert.equal(mob.by_channel, null);
	// The district filter: mitte holds every idea, so its column
	// equals the city's and is shown.
	const nord = (await api(`${Q}&district=mitte`)).json;
	assert.deepEqual(nord.totals.ideas_submitted, cell(15));
	assert.deepEqual(all.by_district.find((x) => x.slug === 'mitte').counts.ideas_submitted, cell(15));
	// Every published number of a field is a sum of published months:
	// a shown total equals its months, a lower bound their shown part.
	for (const row of all.by_field) {
		const c = row.counts.ideas_submitted;
		const months = all.by_field_series.find((x) => x.slug === row.slug).series.ideas_submitted;
		const shown = months.reduce((a, m) => a + (m.suppressed ? 0 : m.n), 0);
		if (c.suppressed) assert.equal(c.at_least, shown, row.slug);
		else assert.equal(c.n, shown, row.slug);
		assert.equal(c.suppressed, months.some((m) => m.suppressed), row.slug);
	}
	// Month cells are never lower bounds.
	for (const series of Object.values(all.series))
		for (const m of series) assert.equal('at_least' in m, false);
});

test('planners may ask for the internal view with stats_k_internal', async () => {
	psql(`UPDATE settings SET value = '1' WHERE key = 'stats_k_internal'`);
	try {
		const r = await api(`${Q}&field=energie&internal=1`, planner);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.internal, true);
		assert.equal(r.json.k, 1);
		assert.deepEqual(month(r.json, 'ideas_submitted', '2019-03'), cell(2));
		expectError(await api(`${Q}&internal=1`), 401);
		expectError(await api(`${Q}&internal=1`, alice), 403);
		const pub = await api(`${Q}&internal=0`, planner);
		assert.equal(pub.json.internal, false);
	} finally {
		psql(`UPDATE settings SET value = '5' WHERE key = 'stats_k_internal'`);
	}
});

test('bad parameters are named', async () => {
	for (const [q, field] of [['from=2019-13', 'from'], ['from=19-03', 'from'], ['to=2019-3', 'to'],
		['from=2019-05&to=2019-04', 'to'], ['field=keins', 'field'], ['district=nirgends', 'district'],
		['from=2000-01&to=2019-04', 'from'], ['internal=yes', 'internal'], ['colour=red', 'colour'],
		['from=2019-03%27%3B--', 'from']]) {
		const r = await api(q);
		assert.ok(r.status === 422 || r.status === 400, `${q}: ${r.status}`);
		assert.ok(r.json.error.fields && field in r.json.error.fields, `${q}: ${r.text}`);
	}
});

test('the CSV has the JSON numbers and the same gaps', async () => {
	const r = await req(`/api/v1/stats/dashboard.csv?${Q}`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	const [head, ...rows] = parseCsv(r.text);
	assert.deepEqual(head, ['section', 'metric', 'period', 'field', 'district', 'channel', 'category', 'value', 'suppressed', 'at_least']);
	assert.ok(rows.every((x) => x.length === head.length), 'every line has every column');
	const find = (...k) => rows.find((x) => k.every((v, i) => v === undefined || x[i] === v));
	assert.deepEqual(find('month', 'ideas_submitted', '2019-03'), ['month', 'ideas_submitted', '2019-03', 'all', 'all', 'all', '', '9', '0', '']);
	assert.deepEqual(find('month', 'supports', '2019-03').slice(7), ['', '1', '']);
	assert.deepEqual(find('field', 'ideas_submitted', '2019-03/2019-04', 'energie').slice(7), ['', '1', '0']);
	assert.deepEqual(find('field', 'ideas_submitted', '2019-03/2019-04', 'mobilitaet').slice(7), ['', '1', '6']);
	assert.deepEqual(find('total', 'ideas_submitted').slice(7), ['15', '0', '']);
	// Energie's 2 March ideas are small, Mobilität's 7 are withheld as
	// their partner: the two lines must not tell which is which.
	const fm = (slug) => find('field_month', 'ideas_submitted', '2019-03', slug);
	assert.deepEqual(fm('energie').slice(7), ['', '1', '']);
	assert.deepEqual(fm('mobilitaet').slice(7), fm('energie').slice(7));
	assert.doesNotMatch(r.text, /primary|secondary|<|small/i);
	assert.deepEqual(find('defect_median_days', 'acknowledge', undefined, undefined, undefined, undefined, 'strassenschaden').slice(7), ['3', '0', '']);
	assert.deepEqual(find('participants', 'distinct_participants', '2019-03').slice(7), ['5', '0', '']);
	// Each number of the JSON's series is in the CSV, and no other.
	const d = (await api(Q)).json;
	for (const [metric, series] of Object.entries(d.series))
		for (const c of series) {
			const line = find('month', metric, c.month);
			assert.equal(line[7], c.n === null ? '' : String(c.n), `${metric} ${c.month}`);
			assert.equal(line[8], c.suppressed ? '1' : '0');
		}
	// And each period total of the JSON, lower bounds included.
	for (const [metric, c] of Object.entries(d.totals)) {
		if (c === null) continue;
		const line = find('total', metric);
		assert.deepEqual(line.slice(7), [c.n === null ? '' : String(c.n), c.suppressed ? '1' : '0',
			c.at_least === undefined ? '' : String(c.at_least)], metric);
	}
});

test('the inclusion monitor: channels and age bands beside the population', async () => {
	psql(`UPDATE settings SET value = 'under-18=16.2;18-29=17.5;30-44=19.3;45-64=27;65-79=14;80-plus=6'
		WHERE key = 'population_age'`);
	try {
		const r = await req(`/api/v1/stats/inclusion?${Q}`);
		assert.equal(r.status, 200, r.text);
		const online = r.json.channels.find((x) => x.channel === 'online');
		// ideas 15 + comments 5 + supports (3 hidden in March) → withheld,
		// at least ideas 15 + comments 5 + defect reports 8.
		assert.deepEqual(online.contributions, LOW(28));
		const notGiven = r.json.age_bands.find((x) => x.band === 'not-given');
		assert.equal(r.json.population_configured, true);
		const u18 = r.json.age_bands.find((x) => x.band === 'under-18');
		assert.equal(u18.population_share, 0.162);
		assert.deepEqual(u18.participant_months, cell(0));
		// 5 people in March (shown), 1 in April (hidden): the sum is
		// withheld, at least March's 5.
		assert.deepEqual(notGiven.participant_months, LOW(5));
		const mar = (await req('/api/v1/stats/inclusion?from=2019-03&to=2019-03')).json;
		assert.deepEqual(mar.age_bands.find((x) => x.band === 'not-given').participant_months, cell(5));
		assert.deepEqual(mar.channels.find((x) => x.channel === 'online').participant_months, cell(5));
	} finally {
		psql(`UPDATE settings SET value = '' WHERE key = 'population_age'`);
	}
});
