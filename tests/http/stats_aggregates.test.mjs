// The statistics tables (sql/017_stats.sql) against the base tables: a
// seeded random mix of writes through the real API leaves them equal to a
// recount; a constructed dataset gives exactly the expected cells; a
// tampered cell makes `mitwirken-admin stats-check` fail naming it, and
// stats-rebuild repairs it; parallel writers into one cell are all counted
// without deadlocks.  Also the profile's optional age band.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { req, json, psql, member, as, clientIp, decide, expectError, postIdea,
	publishedIdea, ideaBody } from './lib.mjs';

const BANDS = ['under-18', '18-29', '30-44', '45-64', '65-79', '80-plus'];
const FIELDS = ['mobilitaet', 'energie', 'verwaltung'];
const DISTRICTS = psql('SELECT string_agg(slug, \' \' ORDER BY id) FROM districts').split(' ');

const recount = () => JSON.parse(psql(`SELECT coalesce(json_agg(r), '[]') FROM stats_recount() r`));
const admin = (cmd) => spawnSync(process.env.ADMIN_BIN, [cmd], { encoding: 'utf8', env: process.env });
const cell = (where) => Number(psql(`SELECT coalesce(sum(n), 0) FROM stats_counts WHERE ${where}`));

// mulberry32: small, seeded, the same sequence on every machine.
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let mod, staff, planner;
test.before(async () => {
	mod = await member(['moderator']);
	staff = await member(['staff'], 'tiefbau-und-verkehr');
	planner = await member(['planner']);
});

const SURVEY = {
	title: { default: 'Kurze Umfrage', en: 'Short survey' },
	pages: [{ name: 'p1', elements: [{ type: 'radiogroup', name: 'q', choices: ['a', 'b'] }] }],
};

async function openSurvey() {
	const s = await json('POST', '/api/v1/surveys', { definition: SURVEY, access: 'account' }, as(planner));
	assert.equal(s.status, 201, s.text);
	const o = await req(`/api/v1/surveys/${s.json.id}/open`, { method: 'POST', headers: as(planner) });
	assert.equal(o.status, 200, o.text);
	return s.json.id;
}

test('a seeded random mix of writes, decisions, status changes and erasures equals a recount', async () => {
	const seed = Number(process.env.STATS_SEED || 20240315);
	// Pre-moderation, whatever an earlier test file left behind.
	psql("UPDATE settings SET value = 'pre' WHERE key = 'moderation_mode'");
	const rand = rng(seed);
	const pick = (a) => a[Math.floor(rand() * a.length)];
	const people = [];
	for (let i = 0; i < 8; i++)
		people.push(await member());
	const survey = await openSurvey();
	const ideas = [];		// { id, state, status }
	const comments = [];		// { id, state }
	const supports = [];		// [person, idea id]
	const defects = [];		// { id, status }
	const answered = new Set();
	const done = {};
	const STATUS_NEXT = { submitted: 'under_review', under_review: 'accepted', accepted: 'in_implementation',
		in_implementation: 'implemented' };
	const ops = {
		async idea() {
			const p = pick(people);
			const r = await json('POST', '/api/v1/ideas', ideaBody({ field: pick(FIELDS),
				district: rand() < 0.3 ? undefined : pick(DISTRICTS) }), as(p));
			if (r.status === 201) ideas.push({ id: r.json.id, state: r.json.state, status: 'submitted' });
			return r.status === 201;
		},
		async moderate() {
			const i = ideas.find((x) => x.state === 'pending');
			if (!i) return false;
			const decision = rand() < 0.75 ? 'publish' : 'reject';
			const r = await decide(mod, 'idea', [i.id], decision, decision === 'reject' ? { reason: 'off-topic' } : {});
			assert.equal(r.status, 200, r.text);
			i.state = decision === 'publish' ? 'published' : 'rejected';
			return true;
		},
		async hide() {
			const i = ideas.find((x) => x.state === 'published' && rand() < 0.3);
			if (!i) return false;
			const r = await decide(mod, 'idea', [i.id], 'hide', { reason: 'spam' });
			if (r.status !== 200) return false;
			i.state = 'hidden';
			return true;
		},
		async status() {
			const i = ideas.find((x) => x.state === 'published' && STATUS_NEXT[x.status]);
			if (!i) return false;
			const r = await json('POST', `/api/v1/ideas/${i.id}/status`, { status: STATUS_NEXT[i.status],
				justification: 'Der Stand hat sich geändert, siehe Begründung.' }, as(mod));
			assert.equal(r.status, 200, r.text);
			i.status = STATUS_NEXT[i.status];
			return true;
		},
		async comment() {
			const i = ideas.filter((x) => x.state === 'published');
			if (i.length === 0) return false;
			const r = await json('POST', `/api/v1/ideas/${pick(i).id}/comments`, { body: 'Ein Kommentar dazu.' },
				as(pick(people)));
			if (r.status === 201)
				comments.push({ id: r.json.id ?? r.json.comment?.id, state: r.json.state ?? r.json.comment?.state });
			return r.status === 201;
		},
		async commentDecision() {
			const c = comments.find((x) => x.state === 'pending');
			if (!c) return false;
			const decision = rand() < 0.7 ? 'publish' : 'reject';
			const r = await decide(mod, 'comment', [c.id], decision, decision === 'reject' ? { reason: 'spam' } : {});
			assert.equal(r.status, 200, r.text);
			c.state = decision;
			return true;
		},
		async support() {
			const i = ideas.filter((x) => x.state === 'published');
			if (i.length === 0) return false;
			const p = pick(people), id = pick(i).id;
			const r = await req(`/api/v1/ideas/${id}/supports`, { method: 'POST', headers: as(p) });
			if (r.status === 201) supports.push([p, id]);
			return r.status === 201;
		},
		async unsupport() {
			if (supports.length === 0) return false;
			const [p, id] = supports.splice(Math.floor(rand() * supports.length), 1)[0];
			const r = await req(`/api/v1/ideas/${id}/supports`, { method: 'DELETE', headers: as(p) });
			return r.status === 200 || r.status === 204;
		},
		async respond() {
			const p = people.find((x) => !answered.has(x.account.id));
			if (!p) return false;
			answered.add(p.account.id);
			const r = await json('POST', `/api/v1/surveys/${survey}/responses`, { answers: { q: pick(['a', 'b']) },
				district: rand() < 0.5 ? pick(DISTRICTS) : undefined }, as(p));
			return r.status === 201;
		},
		async defect() {
			const who = rand() < 0.5 ? as(pick(people)) : { 'x-forwarded-for': clientIp() };
			const r = await json('POST', '/api/v1/defects', { category: pick(['strassenschaden', 'radweg']),
				lat: 52.2645, lon: 10.5236 + rand() / 50, district: rand() < 0.5 ? pick(DISTRICTS) : undefined,
				description: 'Ein Schaden auf dem Weg, bitte beheben.' }, who);
			if (r.status === 201) defects.push({ id: r.json.defect.id, status: 'open' });
			return r.status === 201;
		},
		async defectStatus() {
			const d = defects.find((x) => x.status !== 'resolved');
			if (!d) return false;
			const next = d.status === 'open' && rand() < 0.5 ? 'acknowledged' : 'resolved';
			const r = await json('POST', `/api/v1/defects/${d.id}/status`,
				{ status: next, note: 'Eine öffentliche Notiz zum neuen Stand.' }, as(staff));
			assert.equal(r.status, 200, r.text);
			d.status = next;
			return true;
		},
		async ageBand() {
			const p = pick(people);
			const r = await json('PATCH', '/api/v1/me', { age_band: rand() < 0.2 ? null : pick(BANDS) }, as(p));
			assert.equal(r.status, 200, r.text);
			return true;
		},
		async erase() {
			if (people.length < 5) return false;
			const p = people.splice(Math.floor(rand() * people.length), 1)[0];
			const r = await req('/api/v1/me', { method: 'DELETE', headers: as(p) });
			assert.equal(r.status, 204, r.text);
			for (let k = supports.length - 1; k >= 0; k--)
				if (supports[k][0] === p) supports.splice(k, 1);
			return true;
		},
	};
	const weights = { idea: 6, moderate: 5, hide: 1, status: 4, comment: 5, commentDecision: 4, support: 5,
		unsupport: 2, respond: 2, defect: 4, defectStatus: 3, ageBand: 3, erase: 1 };
	const bag = Object.entries(weights).flatMap(([k, w]) => Array(w).fill(k));
	for (let step = 0; step < 120; step++) {
		const op = pick(bag);
		if (await ops[op]()) done[op] = (done[op] || 0) + 1;
		// After every 30 steps the tables must already agree.
		if (step % 30 === 29)
			assert.deepEqual(recount(), [], `seed ${seed}, after step ${step}`);
	}
	for (const op of ['idea', 'moderate', 'status', 'comment', 'commentDecision', 'support', 'defect',
		'defectStatus', 'ageBand'])
		assert.ok(done[op] > 0, `seed ${seed}: no ${op} in ${JSON.stringify(done)}`);
	assert.deepEqual(recount(), [], `seed ${seed}: ${JSON.stringify(done)}`);
	const check = admin('stats-check');
	assert.equal(check.status, 0, check.stdout + check.stderr);
	assert.match(check.stdout, /the statistics equal a recount/);
});

test('known answers: a constructed month gives exactly these cells', () => {
	// March 2014 (Berlin time) belongs to this test alone.
	const acct = (name, band) => psql(`INSERT INTO accounts (pseudonym, email_lookup, email_ct, age_band)
		VALUES ('${name}-' || txid_current(), decode(md5(random()::text) || md5(random()::text), 'hex'), '\\x00', ${band ? `'${band}'` : 'NULL'})
		RETURNING id`);
	const a = acct('ka-alpha', '30-44'), b = acct('ka-beta', null), c = acct('ka-gamma', '65-79');
	const f = (slug) => `(SELECT id FROM fields WHERE slug = '${slug}')`;
	const d1 = psql('SELECT min(id) FROM districts');
	const ideas = psql(`INSERT INTO ideas (title, description, field_id, district_id, author_id, state, status,
		published_at, created_at, entered_by, channel) VALUES
		('Bekannte Idee eins', 'Eine Beschreibung, lang genug dafür.', ${f('energie')}, ${d1}, ${a}, 'published',
		 'implemented', '2014-03-05', '2014-03-01 00:30+01', NULL, 'online'),
		('Bekannte Idee zwei', 'Eine Beschreibung, lang genug dafür.', ${f('energie')}, ${d1}, ${b}, 'published',
		 'accepted', '2014-03-05', '2014-03-31 23:30+02', NULL, 'online'),
		('Bekannte Idee drei', 'Eine Beschreibung, lang genug dafür.', ${f('energie')}, NULL, ${a}, 'rejected',
		 'submitted', NULL, '2014-03-10', NULL, 'online'),
		-- 28 February 23:30 UTC is 1 March in Berlin.
		('Bekannte Idee vier', 'Eine Beschreibung, lang genug dafür.', ${f('energie')}, NULL, NULL, 'pending',
		 'submitted', NULL, '2014-02-28 23:30+00', ${a}, 'paper')
		RETURNING id`).split('\n');
	psql(`INSERT INTO comments (idea_id, author_id, body, state, published_at, created_at) VALUES
		(${ideas[0]}, ${c}, 'Eins', 'published', '2014-03-06', '2014-03-06'),
		(${ideas[0]}, ${c}, 'Zwei', 'published', '2014-03-06', '2014-03-07'),
		(${ideas[0]}, ${b}, 'Drei', 'pending', NULL, '2014-03-07')`);
	psql(`INSERT INTO supports (idea_id, account_id, created_at) VALUES
		(${ideas[0]}, ${b}, '2014-03-08'), (${ideas[0]}, ${c}, '2014-03-08'), (${ideas[1]}, ${c}, '2014-04-01 12:00+02')`);
	const cat = psql(`SELECT id || ' ' || department_id FROM defect_categories WHERE code = 'radweg'`).split(' ');
	psql(`INSERT INTO defect_reports (category_id, department_id, reporter_id, status_nonce, status_hash,
		open311_token, address, description, status, created_at, acknowledged_at, closed_at, channel) VALUES
		(${cat[0]}, ${cat[1]}, ${c}, decode(md5(random()::text), 'hex'), decode(md5(random()::text) || md5(random()::text), 'hex'), 'ka-' || gen_random_uuid(), 'Hier',
		 'Eins', 'resolved', '2014-03-02 10:00', '2014-03-04 09:00', '2014-03-12 10:00', 'online'),
		(${cat[0]}, ${cat[1]}, NULL, decode(md5(random()::text), 'hex'), decode(md5(random()::text) || md5(random()::text), 'hex'), 'ka-' || gen_random_uuid(), 'Hier',
		 'Zwei', 'rejected', '2014-03-03 10:00', '2014-03-03 11:00', '2014-03-05 10:00', 'open311')`);
	const got = (table, cols, where) => psql(`SELECT coalesce(string_agg(${cols}, '; ' ORDER BY ${cols}), '')
		FROM ${table} WHERE month = '2014-03-01' AND n <> 0 ${where || ''}`);
	const E = psql(`SELECT ${f('energie')}`), M = psql(`SELECT field_id FROM defect_categories WHERE code = 'radweg'`);
	assert.equal(got('stats_counts', `metric || ' ' || field_id || ' ' || district_id || ' ' || channel || ' ' || n`), [
		`comments ${E} ${d1} online 2`,
		`defect_reports ${M} 0 online 1`, `defect_reports ${M} 0 open311 1`,
		`ideas_accepted ${E} ${d1} online 2`,
		`ideas_implemented ${E} ${d1} online 1`,
		`ideas_published ${E} ${d1} online 2`,
		`ideas_submitted ${E} 0 online 1`, `ideas_submitted ${E} 0 paper 1`, `ideas_submitted ${E} ${d1} online 2`,
		`supports ${E} ${d1} online 2`,
	].sort().join('; '));
	assert.equal(got('stats_durations', `kind || ' ' || days || ' ' || n`, `AND category_id = ${cat[0]}`),
		['ack 0 1', 'ack 1 1', 'resolve 10 1'].sort().join('; '));
	// Participants: a (2 ideas), b (idea, support), c (2 comments, support, report).
	assert.equal(got('stats_distinct', `scope || key || '=' || n`, `AND scope IN ('a', 'g', 'c')`),
		['a0=3', 'c1=3', 'g0=1', 'g3=1', 'g5=1'].sort().join('; '));
	assert.equal(psql(`SELECT refs FROM stats_people WHERE month = '2014-03-01' AND scope = 'a'
		AND account_id = ${c}`), '4');
	// c's band changes: the 'g' cells move, nothing else does.
	psql(`UPDATE accounts SET age_band = NULL WHERE id = ${c}`);
	assert.equal(got('stats_distinct', `scope || key || '=' || n`, `AND scope = 'g'`), 'g0=2; g3=1');
	// A rejection and a status step back move their cells.
	psql(`UPDATE ideas SET state = 'rejected' WHERE id = ${ideas[0]}`);
	assert.equal(got('stats_counts', `metric || ' ' || n`, `AND metric LIKE 'ideas_%' AND district_id = ${d1}`),
		'ideas_accepted 1; ideas_published 1; ideas_submitted 2');
	assert.deepEqual(recount(), []);
});

test('a tampered cell makes stats-check fail naming it; stats-rebuild repairs it', () => {
	const key = psql(`SELECT metric || '|' || month || '|' || field_id || '|' || district_id || '|' || channel
		FROM stats_counts WHERE n > 0 ORDER BY month DESC LIMIT 1`).split('|');
	const where = `metric = '${key[0]}' AND month = '${key[1]}' AND field_id = ${key[2]} AND district_id = ${key[3]}
		AND channel = '${key[4]}'`;
	psql(`UPDATE stats_counts SET n = n + 3 WHERE ${where}`);
	let r = admin('stats-check');
	assert.equal(r.status, 1, r.stdout + r.stderr);
	const line = r.stdout.split('\n').find((l) => l.startsWith('stats_counts ')) || '';
	assert.ok(line.includes(`"metric": "${key[0]}"`) && line.includes(`"month": "${key[1]}"`), r.stdout);
	assert.match(line, /stored \d+, recounted \d+$/);
	assert.match(r.stdout, /1 cells differ from a recount/);
	psql(`DELETE FROM stats_people WHERE ctid = (SELECT ctid FROM stats_people LIMIT 1)`);
	r = admin('stats-check');
	assert.equal(r.status, 1);
	assert.match(r.stdout, /^stats_people /m);
	r = admin('stats-rebuild');
	assert.equal(r.status, 0, r.stdout + r.stderr);
	r = admin('stats-check');
	assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('parallel writers into one cell are all counted, without deadlocks', async () => {
	const authors = await Promise.all(Array.from({ length: 16 }, () => member()));
	const month = psql(`SELECT stats_month(now())`);
	const where = `metric = 'ideas_submitted' AND month = '${month}' AND channel = 'online'
		AND field_id = (SELECT id FROM fields WHERE slug = 'bildung-und-forschung') AND district_id = 0`;
	const before = cell(where);
	const results = await Promise.all(authors.map((p) => json('POST', '/api/v1/ideas',
		ideaBody({ field: 'bildung-und-forschung' }), as(p))));
	assert.deepEqual(results.map((r) => r.status), authors.map(() => 201), results.map((r) => r.text).join('\n'));
	assert.equal(cell(where), before + authors.length);
	// Supports of one idea from all of them at once, then all withdrawn.
	const idea = await publishedIdea(authors[0], mod, { field: 'bildung-und-forschung' });
	const sup = `metric = 'supports' AND month = '${month}'
		AND field_id = (SELECT id FROM fields WHERE slug = 'bildung-und-forschung') AND district_id = 0`;
	const s0 = cell(sup);
	const adds = await Promise.all(authors.map((p) => req(`/api/v1/ideas/${idea.id}/supports`,
		{ method: 'POST', headers: as(p) })));
	assert.deepEqual(adds.map((r) => r.status), authors.map(() => 201));
	assert.equal(cell(sup), s0 + authors.length);
	const dels = await Promise.all(authors.map((p) => req(`/api/v1/ideas/${idea.id}/supports`,
		{ method: 'DELETE', headers: as(p) })));
	assert.ok(dels.every((r) => r.status < 300), dels.map((r) => r.status).join());
	assert.equal(cell(sup), s0);
	assert.deepEqual(recount(), []);
});

test('the age band: set, shown, cleared, refused by name, exported, erased', async () => {
	const p = await member();
	let r = await json('PATCH', '/api/v1/me', { age_band: '45-64' }, as(p));
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(Object.keys(r.json).sort(), ['age_band', 'pseudonym']);
	assert.equal(r.json.age_band, '45-64');
	assert.equal((await req('/api/v1/me', { headers: as(p) })).json.age_band, '45-64');
	// A pseudonym change alone leaves the band.
	r = await json('PATCH', '/api/v1/me', { pseudonym: `band-${p.account.id}-x` }, as(p));
	assert.equal(r.json.age_band, '45-64');
	let e = expectError(await json('PATCH', '/api/v1/me', { age_band: '46-64' }, as(p)), 422);
	assert.match(e.fields.age_band, /under-18, 18-29/);
	e = expectError(await json('PATCH', '/api/v1/me', { age_band: 45 }, as(p)), 422);
	assert.ok(e.fields.age_band);
	e = expectError(await json('PATCH', '/api/v1/me', {}, as(p)), 422);
	assert.ok(e.fields.pseudonym);
	assert.equal(psql(`SELECT age_band FROM accounts WHERE id = ${p.account.id}`), '45-64', 'nothing half-written');
	const exp = await req('/api/v1/me/export', { headers: as(p) });
	assert.equal(exp.json.account.age_band, '45-64');
	r = await json('PATCH', '/api/v1/me', { age_band: null }, as(p));
	assert.equal(r.json.age_band, null);
	assert.equal((await req('/api/v1/me', { headers: as(p) })).json.age_band, null);
	// Erasure clears it (and moves the account's rows to "not given").
	await json('PATCH', '/api/v1/me', { age_band: '18-29' }, as(p));
	await postIdea(p);
	assert.equal(psql(`SELECT key FROM stats_people WHERE account_id = ${p.account.id} AND scope = 'g'`), '2');
	assert.equal((await req('/api/v1/me', { method: 'DELETE', headers: as(p) })).status, 204);
	assert.equal(psql(`SELECT coalesce(age_band, 'none') FROM accounts WHERE id = ${p.account.id}`), 'none');
	assert.equal(psql(`SELECT key FROM stats_people WHERE account_id = ${p.account.id} AND scope = 'g'`), '0');
	assert.deepEqual(recount(), []);
});

test('the profile page offers the age band as optional and says what it is for', async () => {
	const p = await member();
	await json('PATCH', '/api/v1/me', { age_band: '65-79' }, as(p));
	const r = await req('/konto', { headers: as(p) });
	assert.equal(r.status, 200);
	assert.match(r.text, /<select id="age_band" name="age_band" aria-describedby="age-text">/);
	assert.match(r.text, /<option value="">keine Angabe<\/option>/);
	assert.match(r.text, /<option value="65-79" selected>65 bis 79<\/option>/);
	assert.match(r.text, /nur für die anonyme Teilhabe-Statistik/);
});
