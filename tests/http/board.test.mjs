// The board's assessment: weighted criteria, independent first judgements,
// the ranking by weighted mean, and criteria the city defines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, publishedIdea, postIdea, setting, expectError } from './lib.mjs';

let admin, mod, alice, anna, bernd;
// The strategy's four central criteria (section 4.4), the defaults.
const FOUR = ['buergernutzen', 'kosten-nutzen', 'strategische-wirkung', 'aussenwirkung'];
const all = (v) => Object.fromEntries(FOUR.map((c) => [c, v]));

test.before(async () => {
	admin = await member(['admin']);
	mod = await member(['moderator']);
	alice = await member();
	anna = await member(['board']);
	bernd = await member(['board']);
	await setting(admin, { moderation_mode: 'pre' });
});

const assess = (who, id, body) => json('PUT', `/api/v1/ideas/${id}/assessment`, body, as(who));
const view = (who, id) => req(`/api/v1/ideas/${id}/assessments`, { headers: as(who) });

test('criteria are listed with their weights: the strategy\'s four are active, the placeholders retired', async () => {
	const r = await req('/api/v1/board/criteria', { headers: as(anna) });
	assert.equal(r.status, 200);
	// Other test files may have added criteria of their own (inactive).
	const active = r.json.criteria.filter((c) => c.active);
	assert.deepEqual(active.map((c) => c.slug), FOUR);
	assert.deepEqual(active.map((c) => c.name_de), ['Bürgernutzen', 'Kosten-Nutzen-Verhältnis',
		'Strategische Wirkung', 'Außenwirkung']);
	assert.deepEqual(active.map((c) => c.weight), [1, 1, 1, 1]);
	assert.ok(active.every((c) => !c.is_demo), 'the four are the city\'s, not placeholders');
	// The five placeholders are gone or kept inactive, never asked for.
	const old = r.json.criteria.filter((c) => ['strategie', 'nutzen', 'reife', 'daten', 'machbarkeit'].includes(c.slug));
	assert.ok(old.every((c) => !c.active && c.is_demo), JSON.stringify(old));
	expectError(await req('/api/v1/board/criteria', { headers: as(alice) }), 403);
});

test('a member sees the others\' scores only after submitting their own', async () => {
	const idea = await publishedIdea(alice, mod);
	assert.equal((await assess(anna, idea.id, { scores: { buergernutzen: 3, 'kosten-nutzen': 2,
		'strategische-wirkung': 1, aussenwirkung: 0 }, comment: 'Passt gut zur Strategie.' })).status, 200);
	const before = await view(bernd, idea.id);
	assert.equal(before.status, 200);
	assert.equal(before.json.others, null);
	assert.equal(before.json.others_visible, false);
	assert.equal(before.json.weighted_mean, null);
	assert.equal(before.json.assessments, 1);
	assert.ok(!before.text.includes('Passt gut'), 'no comment leaks');

	const r = await assess(bernd, idea.id, { scores: all(1), comment: '' });
	assert.equal(r.status, 200);
	assert.equal(r.json.others_visible, true);
	assert.equal(r.json.others.length, 1);
	assert.equal(r.json.others[0].comment, 'Passt gut zur Strategie.');
	// Equal weights: anna (3 + 2 + 1 + 0) / 4 = 1.5; bernd 1; both 1.25.
	assert.equal(r.json.others[0].weighted_mean, 1.5);
	assert.equal(r.json.mine.weighted_mean, 1);
	assert.equal(r.json.weighted_mean, 1.25);
	assert.deepEqual(r.json.criteria.map((c) => c.slug), FOUR);
	// The member's own export holds the assessment.
	const ex = (await req('/api/v1/me/export', { headers: as(bernd) })).json;
	assert.deepEqual(ex.assessments.find((x) => x.idea_id === idea.id).scores, all(1));
	// A member may revise: the scores are replaced, not added.
	await assess(bernd, idea.id, { scores: all(2) });
	assert.equal(Number(psql(`SELECT count(*) FROM assessment_scores WHERE idea_id = ${idea.id}`)), 8);
});

test('assessments are validated', async () => {
	const idea = await publishedIdea(alice, mod);
	const bad = [
		{ scores: { buergernutzen: 3 } },
		{ scores: { ...all(2), kosten: 1 } },
		// A retired placeholder is no longer asked for, nor taken.
		{ scores: { ...all(2), strategie: 1 } },
		{ scores: { strategie: 2, nutzen: 2, reife: 2, daten: 2, machbarkeit: 2 } },
		{ scores: all(4) },
		{ scores: { ...all(2), buergernutzen: 1.5 } },
		{ scores: { ...all(2), aussenwirkung: '2' } },
		{ scores: all(2), comment: 'x'.repeat(2001) },
		{ scores: [] },
		{ comment: 'ohne Punkte' },
	];
	for (const body of bad) {
		const r = await assess(anna, idea.id, body);
		expectError(r, 422);
	}
	assert.equal(Number(psql(`SELECT count(*) FROM assessments WHERE idea_id = ${idea.id}`)), 0);
	const pending = await postIdea(alice);
	expectError(await assess(anna, pending.id, { scores: all(2) }), 404);
	expectError(await view(anna, pending.id), 404);
});

test('the ranking orders assessed ideas by weighted mean; unassessed show no mean', async () => {
	const low = await publishedIdea(alice, mod, { field: 'wirtschaft-und-tourismus' });
	const high = await publishedIdea(alice, mod, { field: 'wirtschaft-und-tourismus' });
	const open = await publishedIdea(alice, mod, { field: 'wirtschaft-und-tourismus' });
	await assess(anna, low.id, { scores: all(1) });
	await assess(anna, high.id, { scores: all(3) });
	await assess(bernd, open.id, { scores: all(3) });
	const r = await req('/api/v1/board/ranking?field=wirtschaft-und-tourismus', { headers: as(anna) });
	assert.equal(r.status, 200);
	const ids = r.json.ideas.map((i) => i.id);
	assert.ok(ids.indexOf(high.id) < ids.indexOf(low.id));
	assert.ok(ids.indexOf(low.id) < ids.indexOf(open.id));
	const o = r.json.ideas.find((i) => i.id === open.id);
	assert.equal(o.assessed_by_me, false);
	assert.equal(o.weighted_mean, null, 'no mean before one\'s own judgement');
	assert.equal(o.assessments, 1);
	assert.equal(r.json.ideas.find((i) => i.id === high.id).weighted_mean, 3);
});

test('only the board assesses; the board cannot moderate', async () => {
	const idea = await publishedIdea(alice, mod);
	for (const who of [alice, mod, admin]) {
		expectError(await assess(who, idea.id, { scores: all(2) }), 403);
		expectError(await view(who, idea.id), 403);
		expectError(await req('/api/v1/board/ranking', { headers: as(who) }), 403);
	}
	expectError(await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [idea.id], decision: 'hide',
		reason: 'spam' }, as(anna)), 403);
});

test('administrators define the criteria and their weights', async () => {
	const put = (slug, body, who = admin) => json('PUT', `/api/v1/admin/criteria/${slug}`, body, as(who));
	const klima = { name_de: 'Klimawirkung', name_en: 'Climate impact', weight: 2.5, position: 20 };
	expectError(await put('klima', { ...klima, weight: 2 }, anna), 403);
	assert.ok(expectError(await put('klima', { ...klima, weight: 0 }), 422).fields.weight);
	assert.ok(expectError(await put('klima', { ...klima, name_de: '' }), 422).fields.name_de);
	const r = await put('klima', klima);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.is_demo, false);
	assert.equal(r.json.active, true, 'a new criterion starts active');
	try {
		const idea = await publishedIdea(alice, mod);
		expectError(await assess(anna, idea.id, { scores: all(2) }), 422);
		const a = await assess(anna, idea.id, { scores: { ...all(2), klima: 3 } });
		assert.equal(a.status, 200, a.text);
		// (4 · 2·1 + 3·2.5) / 6.5 = 15.5 / 6.5
		assert.equal(a.json.mine.weighted_mean, 2.385);
		const en = await req(`/api/v1/ideas/${idea.id}/assessments?lang=en`, { headers: as(anna) });
		assert.ok(en.json.criteria.some((c) => c.name === 'Climate impact'));

		// Retired: no longer asked for, no longer counted, still shown
		// on the sheet that scored it.
		const off = await put('klima', { ...klima, active: false });
		assert.equal(off.json.active, false);
		// Leaving "active" out keeps it retired.
		assert.equal((await put('klima', { ...klima, weight: 3 })).json.active, false);
		const v = await view(anna, idea.id);
		assert.ok(!v.json.criteria.some((c) => c.slug === 'klima'), 'not asked for');
		assert.deepEqual(v.json.columns.find((c) => c.slug === 'klima'),
			{ slug: 'klima', name: 'Klimawirkung', weight: 3, active: false });
		assert.equal(v.json.mine.scores.klima, 3, 'the past score stays');
		assert.equal(v.json.mine.weighted_mean, 2, 'and no longer counts');
		assert.equal(v.json.weighted_mean, 2);
		const page = await req(`/gremium/ideen/${idea.id}`, { headers: as(anna) });
		assert.ok(!page.text.includes('name="score-klima"'), 'the form does not ask for it');
		expectError(await assess(anna, idea.id, { scores: { ...all(2), klima: 3 } }), 422);
		assert.equal((await assess(bernd, idea.id, { scores: all(1) })).status, 200);
		const b = await view(bernd, idea.id);
		assert.equal(b.json.others[0].scores.klima, 3);
		assert.ok(b.json.columns.some((c) => c.slug === 'klima' && !c.active), 'shown beside the others');
		assert.equal(b.json.weighted_mean, 1.5);
		const bpage = await req(`/gremium/ideen/${idea.id}`, { headers: as(bernd) });
		assert.match(bpage.text, /Klimawirkung/);
		const rank = await req('/api/v1/board/ranking', { headers: as(anna) });
		assert.equal(rank.json.ideas.find((i) => i.id === idea.id).weighted_mean, 1.5);

		// The last active criterion stays active: assessments need one.
		for (const slug of FOUR.slice(1)) {
			assert.equal((await put(slug, { name_de: slug, name_en: slug, weight: 1, position: 30,
				active: false })).status, 200);
		}
		const last = expectError(await put('buergernutzen', { name_de: 'Bürgernutzen',
			name_en: 'Benefit to citizens', weight: 1, position: 11, active: false }), 409);
		assert.ok(last.fields.active);
		assert.equal(psql("SELECT active FROM criteria WHERE slug = 'buergernutzen'"), 't');
	} finally {
		const names = { 'kosten-nutzen': ['Kosten-Nutzen-Verhältnis', 'Cost-benefit ratio', 12],
			'strategische-wirkung': ['Strategische Wirkung', 'Strategic impact', 13],
			aussenwirkung: ['Außenwirkung', 'External impact', 14] };
		for (const [slug, [de, en, position]] of Object.entries(names)) {
			await put(slug, { name_de: de, name_en: en, weight: 1, position, active: true });
		}
		await put('klima', { ...klima, active: false });
	}
	assert.equal(psql(`SELECT detail->>'slug' FROM audit_log WHERE action = 'admin.criterion' ORDER BY id DESC LIMIT 1`), 'klima');
});

test('the audit log never shows scores; moderators see no board entries; revisions after seeing others are recorded', async () => {
	const idea = await publishedIdea(alice, mod);
	await assess(anna, idea.id, { scores: all(3), comment: 'Sehr gut.' });
	await assess(bernd, idea.id, { scores: all(0) });
	// bernd has seen anna's scores now; he moves towards them.
	await assess(bernd, idea.id, { scores: all(2) });
	const path = `/api/v1/moderation/log?kind=idea&id=${idea.id}`;
	const m = await req(path, { headers: as(mod) });
	assert.equal(m.status, 200);
	assert.ok(!m.json.entries.some((e) => e.action.startsWith('board.')), 'moderators see no board entries');
	const a = await req(path, { headers: as(admin) });
	assert.equal(a.status, 200);
	const board = a.json.entries.filter((e) => e.action.startsWith('board.')).reverse();
	assert.deepEqual(board.map((e) => e.actor), [anna.account.pseudonym, bernd.account.pseudonym,
		bernd.account.pseudonym]);
	assert.ok(!a.text.includes('"scores"') && !a.text.includes('Sehr gut'), 'no scores, no comment: ' + a.text);
	assert.deepEqual(board.map((e) => [e.detail.revision, e.detail.others_seen]),
		[[false, 0], [false, 0], [true, 1]]);
	// Not even the database keeps a second copy of the scores in the log.
	assert.equal(Number(psql(`SELECT count(*) FROM audit_log WHERE target_id = ${idea.id}
		AND action = 'board.assess' AND detail ? 'scores'`)), 0);
});
