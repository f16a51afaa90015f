// Ideas: submission and validation, visibility under pre- and
// post-moderation, supports, comments, the public status, search,
// similarity, pagination, the map feed, staff entries and rate limits.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, postIdea, ideaBody, decide,
	publishedIdea, setting, expectError, accountWith, clientIp } from './lib.mjs';

let admin, mod, alice, bob;

test.before(async () => {
	admin = await member(['admin']);
	mod = await member(['moderator']);
	alice = await member();
	bob = await member();
	await setting(admin, { moderation_mode: 'pre', flag_threshold: 3 });
});

const count = (sql) => Number(psql(sql));

test('an idea needs a title, a description and a field, each checked', async () => {
	const before = count('SELECT count(*) FROM ideas');
	const cases = [
		[{}, ['title', 'description', 'field']],
		[{ title: 'Kurz', description: 'zu kurz', field: 'mobilitaet' }, ['title', 'description']],
		[ideaBody({ title: 'x'.repeat(121) }), ['title']],
		[ideaBody({ title: 'Zwei\nZeilen im Titel' }), ['title']],
		[ideaBody({ description: 'y'.repeat(5001) }), ['description']],
		[ideaBody({ title: '      ' }), ['title']],
		[ideaBody({ title: 5 }), ['title']],
		[ideaBody({ lat: 52.27 }), ['lon']],
		[ideaBody({ lat: 48.1, lon: 11.5 }), ['lat']],
		[ideaBody({ lat: '52.2', lon: 10.5 }), ['lat']],
		[ideaBody({ goals: 'staedtische-ziele-umsetzen' }), ['goals']],
		[ideaBody({ colour: 'rot' }), ['colour']],
		[ideaBody({ channel: 'fax' }), ['channel']],
		[ideaBody({ citizen_id: 5 }), ['citizen_id']],
		// Text-direction overrides and isolates (a title that shows
		// otherwise than it reads).
		[ideaBody({ title: 'Ampel \u202Etkefed tsi' }), ['title']],
		[ideaBody({ description: 'Eine lange Beschreibung \u2066mit Isolat\u2069.' }), ['description']],
	];
	for (const [body, fields] of cases) {
		const r = await json('POST', '/api/v1/ideas', body, as(alice));
		const e = expectError(r, 422, 'validation_failed');
		for (const f of fields) assert.ok(e.fields[f], `${JSON.stringify(body)}: ${f} in ${r.text}`);
	}
	// The database knows the taxonomy: unknown slugs name their field.
	for (const [extra, field] of [[{ field: 'raumfahrt' }, 'field'],
		[{ goals: ['weltfrieden'] }, 'goals'], [{ district: 'demo-atlantis' }, 'district']]) {
		const r = await json('POST', '/api/v1/ideas', ideaBody(extra), as(alice));
		assert.ok(expectError(r, 422).fields[field], r.text);
	}
	assert.equal(count('SELECT count(*) FROM ideas'), before, 'nothing half-written was stored');
});

test('lengths count characters, not bytes, and white space around is trimmed', async () => {
	const idea = await postIdea(alice, { title: '  Öffi-Ärger  ', description: 'ä'.repeat(20) });
	assert.equal(idea.title, 'Öffi-Ärger');
	assert.equal(idea.description, 'ä'.repeat(20));
});

test('anonymous visitors cannot submit; unverified accounts are told to verify', async () => {
	expectError(await json('POST', '/api/v1/ideas', ideaBody()), 401);
	const fresh = await accountWith();
	expectError(await json('POST', '/api/v1/ideas', ideaBody(), as(fresh)), 403, 'unverified');
});

test('pre-moderation: a new idea is invisible until a moderator publishes it', async () => {
	const r = await json('POST', '/api/v1/ideas', ideaBody({
		goals: ['staedtische-ziele-umsetzen', 'forschungsstandort-staerken'],
		district: 'mitte', lat: 52.2689, lon: 10.5268 }), as(alice));
	assert.equal(r.status, 201);
	const idea = r.json;
	assert.equal(r.headers.get('location'), `/api/v1/ideas/${idea.id}`);
	assert.equal(idea.state, 'pending');
	assert.equal(idea.status, 'submitted');
	assert.deepEqual(idea.goals.map((g) => g.slug), ['staedtische-ziele-umsetzen', 'forschungsstandort-staerken']);
	assert.equal(idea.district.slug, 'mitte');
	assert.deepEqual(idea.location, { lat: 52.2689, lon: 10.5268 });
	assert.equal(idea.author.pseudonym, alice.account.pseudonym);

	assert.equal((await req(`/api/v1/ideas/${idea.id}`)).status, 404);
	assert.equal((await req(`/api/v1/ideas/${idea.id}`, { headers: as(bob) })).status, 404);
	assert.equal((await req(`/api/v1/ideas/${idea.id}`, { headers: as(alice) })).json.state, 'pending');
	assert.equal((await req(`/api/v1/ideas/${idea.id}`, { headers: as(mod) })).json.state, 'pending');
	const list = await req('/api/v1/ideas?limit=100');
	assert.ok(!list.json.ideas.some((i) => i.id === idea.id));

	assert.equal((await decide(mod, 'idea', [idea.id], 'publish')).status, 200);
	const pub = await req(`/api/v1/ideas/${idea.id}`);
	assert.equal(pub.status, 200);
	assert.equal(pub.json.state, 'published');
	assert.equal(pub.json.moderation, null, 'moderation details are not public');
	assert.ok((await req('/api/v1/ideas?limit=100')).json.ideas.some((i) => i.id === idea.id));
});

test('post-moderation: a new idea is visible at once', async () => {
	await setting(admin, { moderation_mode: 'post' });
	try {
		const idea = await postIdea(alice);
		assert.equal(idea.state, 'published');
		assert.equal((await req(`/api/v1/ideas/${idea.id}`)).status, 200);
	} finally {
		await setting(admin, { moderation_mode: 'pre' });
	}
	const later = await postIdea(alice);
	assert.equal(later.state, 'pending');
});

test('settings are checked and only administrators change them', async () => {
	expectError(await json('PUT', '/api/v1/admin/settings', { moderation_mode: 'egal' }, as(admin)), 422);
	expectError(await json('PUT', '/api/v1/admin/settings', { flag_threshold: 0 }, as(admin)), 422);
	expectError(await json('PUT', '/api/v1/admin/settings', { moderation_mode: 'post' }, as(mod)), 403);
	const r = await req('/api/v1/admin/settings', { headers: as(admin) });
	const { moderation_mode, flag_threshold, ...others } = r.json;
	assert.deepEqual({ moderation_mode, flag_threshold }, { moderation_mode: 'pre', flag_threshold: 3 });
	// The statistics' and the evaluation's settings (sql/016) as shipped.
	assert.deepEqual(others, { stats_k: 5, stats_k_internal: 5, strategy_adopted_on: '', evaluation_first_months: 12,
		evaluation_every_months: 24, opendata_license: 'dl-de/by-2-0', population_age: '' });
});

test('supports: one per account and idea, even under 50 parallel requests; withdrawable', async () => {
	const idea = await publishedIdea(alice, mod);
	const rs = await Promise.all(Array.from({ length: 50 }, () =>
		req(`/api/v1/ideas/${idea.id}/supports`, { method: 'POST', headers: as(bob) })));
	const statuses = rs.map((r) => r.status).sort();
	assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join());
	assert.equal(statuses.filter((s) => s === 200).length, 49, statuses.join());
	assert.equal(count(`SELECT count(*) FROM supports WHERE idea_id = ${idea.id}`), 1);
	assert.equal((await req(`/api/v1/ideas/${idea.id}`)).json.supports, 1);
	assert.equal((await req(`/api/v1/ideas/${idea.id}`, { headers: as(bob) })).json.supported, true);

	const del = await req(`/api/v1/ideas/${idea.id}/supports`, { method: 'DELETE', headers: as(bob) });
	assert.equal(del.status, 200);
	assert.deepEqual(del.json, { supports: 0, supported: false });
	expectError(await req(`/api/v1/ideas/${idea.id}/supports`, { method: 'DELETE', headers: as(bob) }), 404);
	assert.equal(count(`SELECT support_count FROM ideas WHERE id = ${idea.id}`), 0);

	const pending = await postIdea(alice);
	expectError(await req(`/api/v1/ideas/${pending.id}/supports`, { method: 'POST', headers: as(bob) }), 404);
	expectError(await req(`/api/v1/ideas/${idea.id}/supports`, { method: 'POST' }), 401);
});

test('comments: moderated like ideas, replies one level deep', async () => {
	const idea = await publishedIdea(alice, mod);
	const c = await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Gute Idee, unbedingt!' }, as(bob));
	assert.equal(c.status, 201);
	assert.equal(c.json.state, 'pending');
	assert.equal(c.headers.get('location'), `/api/v1/comments/${c.json.id}`);
	// Its Location is the comment: there for its author, not yet for others.
	assert.equal((await req(c.headers.get('location'))).status, 404);
	assert.equal((await req(c.headers.get('location'), { headers: as(bob) })).json.body, 'Gute Idee, unbedingt!');
	let pub = await req(`/api/v1/ideas/${idea.id}`);
	assert.equal(pub.json.comments.length, 0, 'pending comments are not public');
	assert.equal((await req(`/api/v1/ideas/${idea.id}`, { headers: as(bob) })).json.comments.length, 1,
		'the author sees their pending comment');
	assert.equal((await decide(mod, 'comment', [c.json.id], 'publish')).status, 200);
	assert.equal((await req(c.headers.get('location'))).json.state, 'published');

	const reply = await json('POST', `/api/v1/ideas/${idea.id}/comments`,
		{ body: 'Finde ich auch.', parent_id: c.json.id }, as(alice));
	assert.equal(reply.status, 201);
	await decide(mod, 'comment', [reply.json.id], 'publish');
	pub = await req(`/api/v1/ideas/${idea.id}`);
	assert.equal(pub.json.comments.length, 1);
	assert.equal(pub.json.comments[0].replies[0].body, 'Finde ich auch.');

	const deeper = await json('POST', `/api/v1/ideas/${idea.id}/comments`,
		{ body: 'Antwort auf eine Antwort', parent_id: reply.json.id }, as(bob));
	assert.ok(expectError(deeper, 422).fields.parent_id);
	expectError(await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'x' }, as(bob)), 422);
	const pending = await postIdea(alice);
	expectError(await json('POST', `/api/v1/ideas/${pending.id}/comments`, { body: 'Hallo dort' }, as(bob)), 404);
});

test('comments come in pages of 50 threads, oldest first, for the API and the page', async () => {
	const idea = await publishedIdea(alice, mod);
	// 120 threads straight into the table (the write path is tested above):
	// every tenth pending, every published one with a published reply.
	psql(`INSERT INTO comments (idea_id, author_id, body, state, published_at)
		SELECT ${idea.id}, ${bob.account.id}, 'Kommentar ' || g,
		 CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'published' END,
		 CASE WHEN g % 10 = 0 THEN NULL ELSE now() END
		FROM generate_series(1, 120) g ORDER BY g`);
	psql(`INSERT INTO comments (idea_id, parent_id, author_id, body, state, published_at)
		SELECT idea_id, id, ${alice.account.id}, 'Antwort', 'published', now()
		FROM comments WHERE idea_id = ${idea.id} AND state = 'published' ORDER BY id`);
	const published = psql(`SELECT id FROM comments WHERE idea_id = ${idea.id}
		AND parent_id IS NULL AND state = 'published' ORDER BY id`).split('\n').map(Number);
	assert.equal(published.length, 108);

	const walk = async (first, headers) => {
		const seen = [...first.comments.map((c) => c.id)];
		let next = first.comments_next;
		while (next !== null) {
			const r = await req(`/api/v1/ideas/${idea.id}/comments?after=${next}`, { headers });
			assert.equal(r.status, 200, r.text);
			assert.ok(r.json.comments.length <= 50);
			assert.equal(r.json.comments_total, first.comments_total);
			seen.push(...r.json.comments.map((c) => c.id));
			next = r.json.comments_next;
		}
		return seen;
	};
	const pub = (await req(`/api/v1/ideas/${idea.id}`)).json;
	assert.equal(pub.comments.length, 50, 'the idea carries the first page only');
	assert.equal(pub.comments_next, published[49]);
	assert.equal(pub.comments_total, 108 * 2, 'threads and their replies');
	assert.equal(pub.comments[0].replies.length, 1);
	assert.deepEqual(await walk(pub, {}), published, 'every published thread once, in order');

	// The moderator's pages hold the pending ones as well.
	const all = (await req(`/api/v1/ideas/${idea.id}`, { headers: as(mod) })).json;
	assert.equal(all.comments_total, 120 + 108);
	assert.equal((await walk(all, as(mod))).length, 120);

	const small = await req(`/api/v1/ideas/${idea.id}/comments?after=${published[0]}&limit=2`);
	assert.deepEqual(small.json.comments.map((c) => c.id), published.slice(1, 3));
	assert.equal(small.json.comments_next, published[2]);
	const last = await req(`/api/v1/ideas/${idea.id}/comments?after=${published[107]}`);
	assert.deepEqual([last.json.comments, last.json.comments_next], [[], null]);
	for (const q of ['limit=0', 'limit=101', 'after=-1', 'after=x']) {
		const r = await req(`/api/v1/ideas/${idea.id}/comments?${q}`);
		assert.ok(r.status === 422 || r.status === 400, `${q}: ${r.status}`);
	}
	const pending = await postIdea(alice);
	assert.equal((await req(`/api/v1/ideas/${pending.id}/comments`)).status, 404);
	assert.equal((await req(`/api/v1/ideas/${pending.id}/comments`, { headers: as(alice) })).status, 200);

	// The page: 50 threads, a link onwards, and one back from later pages.
	const first = await req(`/ideen/${idea.id}?lang=de`);
	assert.ok(first.text.includes(`id="kommentar-${published[49]}"`));
	assert.ok(!first.text.includes(`id="kommentar-${published[50]}"`));
	assert.ok(first.text.includes(`href="/ideen/${idea.id}?lang=de&amp;after=${published[49]}#kommentare"`));
	const second = await req(`/ideen/${idea.id}?lang=de&after=${published[49]}`);
	assert.ok(second.text.includes(`id="kommentar-${published[50]}"`));
	assert.ok(!second.text.includes(`id="kommentar-${published[49]}"`));
	assert.ok(second.text.includes('Zurück zu den ersten Kommentaren'));
});

test('public status: legal steps with justification, illegal ones 409, history visible', async () => {
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const planner = await member(['planner']);
	const idea = await publishedIdea(alice, mod);
	const post = (who, body) => json('POST', `/api/v1/ideas/${idea.id}/status`, body, as(who));

	expectError(await post(alice, { status: 'accepted', justification: 'Ich finde das gut.' }), 403);
	expectError(await post(staff, { status: 'implemented', justification: 'Schon erledigt, fertig.' }), 409,
		'illegal_transition');
	assert.ok(expectError(await post(staff, { status: 'under_review' }), 422).fields.justification);
	assert.ok(expectError(await post(staff, { status: 'verschollen', justification: 'Gibt es nicht.' }), 422)
		.fields.status);
	const steps = [[staff, 'under_review'], [planner, 'accepted'], [mod, 'in_implementation'],
		[staff, 'implemented']];
	for (const [who, status] of steps) {
		const r = await post(who, { status, justification: `Begründung für ${status}.` });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.status, status);
	}
	expectError(await post(staff, { status: 'under_review', justification: 'Noch einmal prüfen.' }), 409);
	const pub = (await req(`/api/v1/ideas/${idea.id}`)).json;
	assert.deepEqual(pub.status_history.map((h) => h.status),
		['submitted', 'under_review', 'accepted', 'in_implementation', 'implemented']);
	assert.equal(pub.status_history[2].justification, 'Begründung für accepted.');

	const other = await publishedIdea(bob, mod);
	const dup = (body) => json('POST', `/api/v1/ideas/${other.id}/status`, body, as(staff));
	assert.ok(expectError(await dup({ status: 'duplicate', justification: 'Gibt es schon einmal.' }), 422)
		.fields.duplicate_of);
	assert.ok(expectError(await dup({ status: 'duplicate', justification: 'Gibt es schon einmal.',
		duplicate_of: other.id }), 422).fields.duplicate_of);
	const d = await dup({ status: 'duplicate', justification: 'Gibt es schon einmal.', duplicate_of: idea.id });
	assert.equal(d.status, 200, d.text);
	assert.equal(d.json.duplicate_of, idea.id);

	const pending = await postIdea(alice);
	const change = (who, id) => json('POST', `/api/v1/ideas/${id}/status`,
		{ status: 'under_review', justification: 'Wir schauen es uns an.' }, as(who));
	// Staff and planners cannot see a pending idea: it answers as one that
	// does not exist, so its existence does not leak.
	const missing = expectError(await change(staff, 9007199254740990), 404);
	for (const who of [staff, planner]) {
		const e = expectError(await change(who, pending.id), 404);
		assert.deepEqual([e.code, e.message, e.fields], [missing.code, missing.message, missing.fields]);
	}
	// A moderator sees it, and learns why it has no public status yet.
	expectError(await change(mod, pending.id), 409);
});

test('German full-text search and similar ideas', async () => {
	const a = await publishedIdea(alice, mod, { title: 'Sichere Radwege an der Hamburger Straße',
		description: 'Die Radfahrer brauchen breitere und sichere Wege entlang der Hauptstraße.' });
	const b = await publishedIdea(alice, mod, { title: 'Mehr Trinkbrunnen in der Innenstadt',
		description: 'Im Sommer fehlen öffentliche Trinkwasserstellen für alle Menschen.' });
	const found = (await req(`/api/v1/ideas?q=${encodeURIComponent('Radweg')}&limit=100`)).json.ideas;
	assert.ok(found.some((i) => i.id === a.id), 'stemming finds Radwege for Radweg');
	assert.ok(!found.some((i) => i.id === b.id));
	const brunnen = (await req(`/api/v1/ideas?q=${encodeURIComponent('trinkbrunnen innenstadt')}`)).json.ideas;
	assert.ok(brunnen.some((i) => i.id === b.id));

	const sim = await req(`/api/v1/ideas/similar?q=${encodeURIComponent('Radwege Hamburger Strasse sicherer')}`);
	assert.equal(sim.status, 200);
	assert.equal(sim.json.ideas[0].id, a.id, sim.text);
	assert.ok(sim.json.ideas[0].similarity > 0);
	expectError(await req('/api/v1/ideas/similar?q=ab'), 422);
	expectError(await req('/api/v1/ideas/similar'), 422);
});

test('filters by field, district, status and goal', async () => {
	const i = await publishedIdea(alice, mod, { field: 'energie', district: 'oestliches-ringgebiet',
		goals: ['raum-fuer-initiativen-schaffen'] });
	const ids = async (qs) => (await req(`/api/v1/ideas?limit=100&${qs}`)).json.ideas.map((x) => x.id);
	assert.ok((await ids('field=energie')).includes(i.id));
	assert.ok(!(await ids('field=verwaltung')).includes(i.id));
	assert.ok((await ids('district=oestliches-ringgebiet')).includes(i.id));
	assert.ok(!(await ids('district=weststadt')).includes(i.id));
	assert.ok((await ids('goal=raum-fuer-initiativen-schaffen')).includes(i.id));
	assert.ok((await ids('status=submitted&field=energie')).includes(i.id));
	assert.ok(!(await ids('status=accepted&field=energie')).includes(i.id));
	const one = (await req(`/api/v1/ideas?field=energie&district=oestliches-ringgebiet`)).json.ideas.find((x) => x.id === i.id);
	assert.equal(one.field.slug, 'energie');
	assert.equal(one.district.slug, 'oestliches-ringgebiet');
	expectError(await req('/api/v1/ideas?status=irgendwie'), 422);
	expectError(await req('/api/v1/ideas?sort=random'), 422);
	expectError(await req('/api/v1/ideas?limit=1000'), 422);
	expectError(await req('/api/v1/ideas?after=garbage'), 422);
	expectError(await req('/api/v1/ideas?sort=supported&after=n.1.2'), 422);
});

test('keyset pagination stays stable while new ideas arrive', async () => {
	await setting(admin, { moderation_mode: 'post' });
	try {
		const authors = [await member(), await member()];
		for (let k = 0; k < 24; k++) await postIdea(authors[k % 2], { field: 'verwaltung' });
		const page = (after) => req(`/api/v1/ideas?field=verwaltung&limit=10${after ? `&after=${after}` : ''}`);
		const snapshot = [];
		let next = null;
		for (;;) {
			const r = await page(next);
			snapshot.push(...r.json.ideas.map((i) => i.id));
			next = r.json.next;
			if (!next) break;
		}
		const p1 = await page();
		// New ideas arrive between pages: they must not shift what follows.
		for (let k = 0; k < 5; k++) await postIdea(authors[k % 2], { field: 'verwaltung' });
		const p2 = await page(p1.json.next);
		const p3 = await page(p2.json.next);
		const seen = [...p1.json.ideas, ...p2.json.ideas, ...p3.json.ideas].map((i) => i.id);
		assert.equal(new Set(seen).size, seen.length, 'no idea twice');
		assert.deepEqual(seen.slice(0, snapshot.length), snapshot, 'same order, nothing skipped');
		assert.equal(p3.json.next, null);

		// Most supported first, with its own cursor.
		const top = snapshot[snapshot.length - 1];
		await req(`/api/v1/ideas/${top}/supports`, { method: 'POST', headers: as(bob) });
		const s1 = await req('/api/v1/ideas?field=verwaltung&sort=supported&limit=5');
		assert.equal(s1.json.ideas[0].id, top);
		assert.match(s1.json.next, /^s\.\d+\.\d+$/);
		const s2 = await req(`/api/v1/ideas?field=verwaltung&sort=supported&limit=5&after=${s1.json.next}`);
		assert.ok(!s2.json.ideas.some((i) => s1.json.ideas.some((j) => j.id === i.id)));
	} finally {
		await setting(admin, { moderation_mode: 'pre' });
	}
});

test('GeoJSON feed of published ideas with a point', async () => {
	const i = await publishedIdea(alice, mod, { lat: 52.2625, lon: 10.5211, field: 'energie' });
	const r = await req('/api/v1/ideas.geojson?field=energie');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^application\/geo\+json/);
	const doc = JSON.parse(r.text);
	assert.equal(doc.type, 'FeatureCollection');
	const f = doc.features.find((x) => x.id === i.id);
	assert.deepEqual(f.geometry, { type: 'Point', coordinates: [10.5211, 52.2625] });
	assert.equal(f.properties.url, `/ideen/${i.id}`);
	assert.ok(doc.features.every((x) => x.geometry.coordinates.length === 2));
});

test('staff enter ideas on a citizen\'s behalf, and the channel is recorded', async () => {
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const ideas = () => Number(psql('SELECT count(*) FROM ideas'));
	// An account id alone puts words under someone's pseudonym without
	// their consent: refused, naming the field.
	let before = ideas();
	assert.ok(expectError(await json('POST', '/api/v1/ideas', ideaBody({ channel: 'phone',
		citizen_id: bob.account.id }), as(staff)), 422).fields.citizen_id);
	assert.equal(ideas(), before);
	// The citizen gives a short-lived code from their account instead.
	const c = await req('/api/v1/me/consent-code', { method: 'POST', headers: as(bob) });
	assert.equal(c.status, 201, c.text);
	assert.match(c.json.code, /^[A-Z2-9]{8}$/);
	assert.ok(Date.parse(c.json.expires_at) > Date.now());
	// A submission that fails does not use the code up.
	expectError(await json('POST', '/api/v1/ideas', ideaBody({ channel: 'phone', field: 'nope',
		citizen_code: c.json.code }), as(staff)), 422);
	const r = await json('POST', '/api/v1/ideas', ideaBody({ channel: 'phone',
		citizen_code: c.json.code.toLowerCase() }), as(staff));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.author.pseudonym, bob.account.pseudonym);
	assert.equal(r.json.author.channel, 'phone');
	const row = psql(`SELECT author_id || ' ' || entered_by || ' ' || channel FROM ideas WHERE id = ${r.json.id}`);
	assert.equal(row, `${bob.account.id} ${staff.account.id} phone`);
	const audit = JSON.parse(psql(`SELECT detail FROM audit_log WHERE action = 'idea.submit' AND target_id = ${r.json.id}`));
	assert.equal(audit.channel, 'phone');
	assert.equal(audit.on_behalf_of, bob.account.id);
	// A paper submission from someone without an account.
	const paper = await json('POST', '/api/v1/ideas', ideaBody({ channel: 'paper' }), as(staff));
	assert.equal(paper.status, 201);
	assert.equal(paper.json.author.pseudonym, null);
	assert.equal(paper.json.author.channel, 'paper');
	// Only staff may.
	expectError(await json('POST', '/api/v1/ideas', ideaBody({ channel: 'paper' }), as(alice)), 403);
	// A used, an expired, an unknown code, and a code online: refused,
	// nothing stored.
	const expired = (await req('/api/v1/me/consent-code', { method: 'POST', headers: as(bob) })).json.code;
	psql(`UPDATE consent_codes SET expires_at = now() - interval '1 second' WHERE code = '${expired}'`);
	before = ideas();
	for (const [code, channel] of [[c.json.code, 'phone'], [expired, 'paper'], ['ZZZZ2222', 'paper'],
		['x', 'paper']]) {
		const e = expectError(await json('POST', '/api/v1/ideas', ideaBody({ channel,
			citizen_code: code }), as(staff)), 422);
		assert.ok(e.fields.citizen_code, code);
	}
	const fresh = (await req('/api/v1/me/consent-code', { method: 'POST', headers: as(bob) })).json.code;
	assert.ok(expectError(await json('POST', '/api/v1/ideas', ideaBody({ citizen_code: fresh }), as(alice)),
		422).fields.citizen_code, 'only for staff entries');
	assert.equal(ideas(), before);
	// A comment entered by staff takes a code the same way.
	const cm = await json('POST', `/api/v1/ideas/${(await publishedIdea(alice, mod)).id}/comments`,
		{ body: 'Am Telefon gesagt.', channel: 'phone', citizen_code: fresh }, as(staff));
	assert.equal(cm.status, 201, cm.text);
	assert.equal(cm.json.author.pseudonym, bob.account.pseudonym);
});

test('submissions are rate-limited per account and per address, with Retry-After, and reset', async () => {
	const c = await member();
	for (let k = 0; k < 30; k++) await postIdea(c);
	const before = count('SELECT count(*) FROM ideas');
	const r = await json('POST', '/api/v1/ideas', ideaBody(), as(c));
	expectError(r, 429, 'too_many_requests');
	assert.ok(Number(r.headers.get('retry-after')) > 0);
	assert.equal(count('SELECT count(*) FROM ideas'), before, 'the refused idea was not stored');
	// Comments count too.
	const idea = await publishedIdea(alice, mod);
	expectError(await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Noch etwas.' }, as(c)), 429);
	psql(`UPDATE submission_counts SET window_start = now() - interval '2 hours' WHERE key = 'a:${c.account.id}'`);
	assert.equal((await json('POST', '/api/v1/ideas', ideaBody(), as(c))).status, 201, 'the window reset');

	// Per address: many accounts behind one address.
	const ip = clientIp();
	const crowd = [await member(), await member(), await member()];
	let limited = null;
	for (let k = 0; k < 61 && !limited; k++) {
		const who = { ...crowd[k % 3], ip };
		const x = await json('POST', '/api/v1/ideas', ideaBody(), as(who));
		if (x.status === 429) limited = k;
		else assert.equal(x.status, 201);
	}
	assert.equal(limited, 60, 'the 61st submission from one address is refused');
});

test('the personal export lists ideas, comments, supports and flags', async () => {
	const c = await member();
	const idea = await publishedIdea(c, mod);
	const other = await publishedIdea(alice, mod);
	await json('POST', `/api/v1/ideas/${other.id}/comments`, { body: 'Meine Meinung.' }, as(c));
	await req(`/api/v1/ideas/${other.id}/supports`, { method: 'POST', headers: as(c) });
	await json('POST', `/api/v1/ideas/${other.id}/flags`, { reason: 'off-topic' }, as(c));
	const ex = (await req('/api/v1/me/export', { headers: as(c) })).json;
	assert.deepEqual(ex.ideas.map((i) => i.id), [idea.id]);
	assert.equal(ex.comments[0].body, 'Meine Meinung.');
	assert.deepEqual(ex.supports.map((s) => s.idea_id), [other.id]);
	assert.equal(ex.flags[0].reason, 'off-topic');
	// After erasure the idea stays, under "gelöschtes Konto".
	await req('/api/v1/me', { method: 'DELETE', headers: as(c) });
	const after = (await req(`/api/v1/ideas/${idea.id}`)).json;
	assert.equal(after.author.pseudonym, null);
	assert.equal(after.author.deleted, true);
});

test('a cached list page is never stale: any committed change shows at once', async () => {
	const c = await member();
	const idea = await publishedIdea(c, mod, { field: 'gesellschaft-und-kultur' });
	const find = async () => (await req('/api/v1/ideas?limit=100')).json.ideas.find((i) => i.id === idea.id);
	// Twice, so the second answer may come from a worker's copy.
	assert.equal((await find()).supports, 0);
	assert.equal((await find()).author, c.account.pseudonym);
	await req(`/api/v1/ideas/${idea.id}/supports`, { method: 'POST', headers: as(bob) });
	assert.equal((await find()).supports, 1);
	await req('/api/v1/me', { method: 'DELETE', headers: as(c) });
	assert.equal((await find()).author, null, 'an erased author disappears from the list at once');
	await decide(mod, 'idea', [idea.id], 'hide', { reason: 'spam' });
	assert.equal(await find(), undefined);
});

test('GeoJSON feed is paged: at most 500 features, then a cursor; still a FeatureCollection', async () => {
	// 520 points carrying one made-up word, so q= isolates them.
	const word = 'geopage' + Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'x');
	psql(`INSERT INTO ideas (title, description, field_id, lat, lon, state, published_at)
		SELECT 'Punkt ' || n || ' ${word}', 'Eine Beschreibung, lang genug für die Prüfung.',
		(SELECT min(id) FROM fields), 52.26, 10.52, 'published', now()
		FROM generate_series(1, 520) n`);
	const first = await req(`/api/v1/ideas.geojson?q=${word}`);
	assert.equal(first.status, 200);
	const doc = JSON.parse(first.text);
	assert.equal(doc.type, 'FeatureCollection');
	assert.equal(doc.features.length, 500);
	assert.equal(doc.next_after, doc.features[499].id);
	const rest = JSON.parse((await req(`/api/v1/ideas.geojson?q=${word}&after=${doc.next_after}`)).text);
	assert.equal(rest.features.length, 20);
	assert.equal(rest.next_after, null);
	assert.ok(rest.features.every((f) => f.id > doc.next_after));
	// A smaller page on request; larger than 1000 is refused by name.
	const small = JSON.parse((await req(`/api/v1/ideas.geojson?q=${word}&limit=7`)).text);
	assert.equal(small.features.length, 7);
	expectError(await req(`/api/v1/ideas.geojson?limit=1001`), 422);
});
