// The moderation desk (issue 16): tabs with counts, filters and orders as
// links, keyset paging, the flagged tab, per-item errors that stay with
// their item, bulk decisions, undo inside and outside its window and
// after a conflicting decision, the edit forms with their audit entries.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, psql, member, login, json, as, setting, clientIp, expectError } from './lib.mjs';

let admin, mod, mod2, alice, flaggers, district, district2;

async function browser(roles = []) {
	const m = await member(roles);
	const s = await login(m.email, { kind: 'cookie' });
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp() };
}

const get = (who, path) => req(path, { headers: { cookie: who.cookie, 'x-forwarded-for': who.ip } });
const post = (who, path, fields) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie,
		'x-forwarded-for': who.ip },
	body: new URLSearchParams({ csrf_token: who.csrf, ...fields }).toString() });
const state = (id) => psql(`SELECT state FROM ideas WHERE id = ${id}`);
const tabCount = (html, label) => {
	const m = html.match(new RegExp(`>${label} \\((\\d+)\\)</a>`));
	assert.ok(m, `tab ${label} in the page`);
	return Number(m[1]);
};
const rowIds = (html, kind = 'idea') => [...html.matchAll(new RegExp(`<li class="desk-row[^"]*" id="${kind}-(\\d+)"`, 'g'))]
	.map((m) => Number(m[1]));
// Ideas straight into the table: the API limits submissions per account,
// and a desk needs more than a citizen may send.  The statistics triggers
// count them as any other.
let seq = 0;
async function postIdea(author, { title, field = 'mobilitaet', district: d = null,
	description = 'Eine ausführliche Beschreibung, warum diese Idee der Stadt hilft.' } = {}) {
	seq++;
	const q = (v) => `'${String(v).replaceAll("'", "''")}'`;
	const id = Number(psql(`INSERT INTO ideas (title, description, field_id, district_id, author_id, state)
		VALUES (${q(title || `Idee ${seq} am Schreibtisch`)}, ${q(description)},
		(SELECT id FROM fields WHERE slug = ${q(field)}),
		${d ? `(SELECT id FROM districts WHERE slug = ${q(d)})` : 'NULL'}, ${author.account.id}, 'pending')
		RETURNING id`));
	return { id, title };
}
const tag = () => `${Date.now() % 1000000}-${Math.floor(Math.random() * 1000)}`;

test.before(async () => {
	admin = await member(['admin']);
	mod = await browser(['moderator']);
	mod2 = await browser(['moderator']);
	alice = await browser();
	flaggers = await Promise.all([1, 2, 3, 4].map(() => member()));
	await setting(admin, { moderation_mode: 'pre', flag_threshold: 3 });
	const d = await req('/api/v1/districts');
	const list = d.json.districts || d.json;
	district = list[0].slug;
	district2 = list[1].slug;
});

test('tabs count what waits, what is flagged below the threshold, and what was decided', async () => {
	let r = await get(mod, '/moderation');
	assert.equal(r.status, 200);
	const before = { ideas: tabCount(r.text, 'Ideen prüfen'), comments: tabCount(r.text, 'Kommentare prüfen'),
		flagged: tabCount(r.text, 'Gemeldet'), decided: tabCount(r.text, 'Entschieden \\(24 Std\\.\\)') };
	const a = await postIdea(alice, { title: `Zählen A ${tag()}` });
	const b = await postIdea(alice, { title: `Zählen B ${tag()}` });
	await postIdea(alice, { title: `Zählen C ${tag()}` });
	r = await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [a.id, b.id], decision: 'publish' }, as(mod));
	assert.equal(r.status, 200);
	assert.ok(r.json.decision_id > 0, 'the decision has an id for undo');
	// One flag on a: below the threshold of 3, still published.
	r = await json('POST', `/api/v1/ideas/${a.id}/flags`, { reason: 'spam' }, as(flaggers[0]));
	assert.ok([200, 201].includes(r.status), r.text);
	assert.equal(state(a.id), 'published');
	r = await get(mod, '/moderation');
	assert.equal(tabCount(r.text, 'Ideen prüfen'), before.ideas + 1);
	assert.equal(tabCount(r.text, 'Kommentare prüfen'), before.comments);
	assert.equal(tabCount(r.text, 'Gemeldet'), before.flagged + 1);
	assert.equal(tabCount(r.text, 'Entschieden \\(24 Std\\.\\)'), before.decided + 1);
	assert.match(r.text, /href="\/moderation\/maengel\?lang=de">Mängel: Texte und Fotos \(\d+\)/);

	// The flagged tab lists a (below the threshold), not b (no flags).
	r = await get(mod, '/moderation?tab=flagged&kind=idea&sort=newest');
	assert.match(r.text, /aria-current="page">Gemeldet/);
	assert.ok(rowIds(r.text).includes(a.id));
	assert.ok(!rowIds(r.text).includes(b.id));
	assert.match(r.text, /<option value="keep">Behalten \(Meldungen erledigt\)<\/option>/);
	// At the threshold it is hidden and moves to the review tab.
	for (const f of flaggers.slice(1, 3))
		await json('POST', `/api/v1/ideas/${a.id}/flags`, { reason: 'spam' }, as(f));
	assert.equal(state(a.id), 'hidden');
	r = await get(mod, '/moderation?tab=flagged&kind=idea&sort=newest');
	assert.ok(!rowIds(r.text).includes(a.id), 'auto-hidden: no longer in the flagged tab');
	r = await get(mod, '/moderation?tab=review&kind=idea&state=hidden&sort=newest');
	assert.ok(rowIds(r.text).includes(a.id), 'auto-hidden: in the review tab');
	assert.match(r.text, new RegExp(`id="idea-${a.id}"[^]*?3 Meldungen · Ausgeblendet`));

	// "Keep" resolves the flags of a flagged item and it leaves the tab.
	const c = await postIdea(alice, { title: `Behalten ${tag()}` });
	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [c.id], decision: 'publish' }, as(mod));
	await json('POST', `/api/v1/ideas/${c.id}/flags`, { reason: 'off-topic' }, as(flaggers[3]));
	r = await post(mod, `/moderation/entscheidungen?tab=flagged&kind=idea&item=${c.id}`, { kind: 'idea',
		decision: 'keep', [`id-${c.id}`]: 'on' });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT count(*) FROM flags WHERE kind = 'idea' AND target_id = ${c.id} AND resolved_at IS NULL`), '0');
	assert.equal(state(c.id), 'published');
});

test('filters by kind, field, district and age, three orders, keyset paging; all links', async () => {
	const t = tag();
	const ideas = [];
	for (let i = 0; i < 5; i++)
		ideas.push(await postIdea(alice, { title: `Filter ${t} Nr ${i}`, field: i % 2 ? 'energie' : 'mobilitaet',
			district: i < 3 ? district : district2 }));
	// Ages: 0 is ten days old, 1 four days, 2 two days, the rest new.
	psql(`UPDATE ideas SET created_at = now() - interval '10 days' WHERE id = ${ideas[0].id}`);
	psql(`UPDATE ideas SET created_at = now() - interval '4 days' WHERE id = ${ideas[1].id}`);
	psql(`UPDATE ideas SET created_at = now() - interval '2 days' WHERE id = ${ideas[2].id}`);
	const mine = (html) => rowIds(html).filter((id) => ideas.some((i) => i.id === id));
	const ids = (...n) => n.map((i) => ideas[i].id);

	let r = await get(mod, `/moderation?tab=review&kind=idea&district=${district}&sort=oldest`);
	assert.equal(r.status, 200);
	assert.deepEqual(mine(r.text), ids(0, 1, 2));
	r = await get(mod, `/moderation?tab=review&kind=idea&district=${district}&field=energie`);
	assert.deepEqual(mine(r.text), ids(1));
	r = await get(mod, `/moderation?tab=review&kind=idea&district=${district2}&sort=newest`);
	assert.deepEqual(mine(r.text), ids(4, 3));
	r = await get(mod, `/moderation?tab=review&kind=idea&age=3&district=${district}`);
	assert.deepEqual(mine(r.text), ids(0, 1));
	r = await get(mod, `/moderation?tab=review&kind=idea&age=7&district=${district}`);
	assert.deepEqual(mine(r.text), ids(0));
	r = await get(mod, `/moderation?tab=review&kind=comment&district=${district}`);
	assert.deepEqual(mine(r.text), [], 'comments only');
	// The chosen filters are selected in the form, and the row shows field, district, time.
	r = await get(mod, `/moderation?tab=review&kind=idea&age=3&district=${district}&field=energie&sort=newest`);
	assert.match(r.text, /<option value="3" selected>älter als 3 Tage<\/option>/);
	assert.match(r.text, /<option value="newest" selected>Neueste zuerst<\/option>/);
	assert.match(r.text, new RegExp(`<option value="${district}" selected>`));
	assert.match(r.text, new RegExp(`id="idea-${ideas[1].id}"[^]*?Energie · [^·]+ · <time datetime="[^"]+">\\d{1,2}\\. [A-Za-zä]+ \\d{4}, \\d{2}:\\d{2}</time>`));

	// Most flags first: two of ours published and flagged 2 and 1 times.
	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: ids(3, 4), decision: 'publish' }, as(mod));
	await json('POST', `/api/v1/ideas/${ideas[3].id}/flags`, { reason: 'spam' }, as(flaggers[0]));
	await json('POST', `/api/v1/ideas/${ideas[4].id}/flags`, { reason: 'spam' }, as(flaggers[0]));
	await json('POST', `/api/v1/ideas/${ideas[4].id}/flags`, { reason: 'spam' }, as(flaggers[1]));
	r = await get(mod, `/moderation?tab=flagged&kind=idea&district=${district2}&sort=flags`);
	assert.deepEqual(mine(r.text), ids(4, 3));
	r = await get(mod, `/moderation?tab=flagged&kind=idea&district=${district2}&sort=oldest`);
	assert.deepEqual(mine(r.text), ids(3, 4));

	// Paging: 20 a page (50 KB); a page after a cursor continues without overlap.
	psql(`INSERT INTO ideas (title, description, field_id, district_id, author_id, state)
		SELECT 'Seite ${t} Nr ' || n, 'Eine ausführliche Beschreibung für die Seitenprobe.',
		(SELECT id FROM fields WHERE slug = 'mobilitaet'), (SELECT id FROM districts WHERE slug = '${district2}'),
		${alice.account.id}, 'pending' FROM generate_series(1, 52) n`);
	r = await get(mod, `/moderation?tab=review&kind=idea&district=${district2}`);
	const first = rowIds(r.text);
	assert.equal(first.length, 20);
	const next = r.text.match(/href="\/moderation\?([^"]+)" rel="next"/);
	assert.ok(next, 'a next link');
	const href = next[1].replaceAll('&amp;', '&');
	assert.match(href, new RegExp(`district=${district2}`), 'the filter goes with the page');
	r = await get(mod, `/moderation?${href}`);
	const second = rowIds(r.text);
	assert.ok(second.length >= 2);
	assert.ok(second.every((id) => !first.includes(id)), 'no overlap');
	assert.match(r.text, /Zum Anfang der Liste/);
	// A tampered cursor is refused, not a 500.
	for (const bad of ['1.2.3', '1.2.3.x', '99999999999999999.1.1.1', "1.2.3.4'--"]) {
		r = await get(mod, `/moderation?after=${encodeURIComponent(bad)}`);
		assert.ok([400, 422].includes(r.status), `${bad}: ${r.status}`);
	}
});

test('a row\'s missing reason stays with that row; its choice and text are kept', async () => {
	const a = await postIdea(alice, { title: `Ohne Grund ${tag()}` });
	const view = 'tab=review&kind=idea&sort=newest';
	const r = await post(mod, `/moderation/entscheidungen?${view}&item=${a.id}`, { kind: 'idea',
		decision: 'reject', explanation: 'Mein getippter Text', [`id-${a.id}`]: 'on' });
	assert.equal(r.status, 422);
	assert.equal(state(a.id), 'pending', 'nothing decided');
	const row = r.text.slice(r.text.indexOf(`id="idea-${a.id}"`));
	assert.match(row, /^[^]*?<details open>/);
	assert.match(row, /<input type="radio" name="decision" value="reject" checked> Ablehnen/);
	assert.match(row, /<textarea id="idea-\d+-explanation" name="explanation" rows="2">Mein getippter Text<\/textarea>/);
	assert.match(row, new RegExp(`<p class="error" id="idea-${a.id}-reason-error">Bitte ausfüllen`));
	assert.match(r.text, new RegExp(`<a href="#idea-${a.id}-reason">Grund: Bitte ausfüllen\\.</a>`));
	// The form's action brings the browser back to the row.
	assert.ok(r.text.includes(`&amp;item=${a.id}#idea-${a.id}"`));
	// The bulk form is untouched: nothing preselected, no error there.
	const bulk = r.text.slice(r.text.indexOf('<form id="bulk"'), r.text.indexOf('</form>', r.text.indexOf('<form id="bulk"')));
	assert.ok(!/selected/.test(bulk), 'no decision preselected in the bulk form');
	assert.ok(!bulk.includes('class="error"'));
	// Other rows show no error.
	assert.equal((r.text.match(/<details open>/g) || []).length, 1);
});

test('select all, bulk decision with a reason, confirmation and undo', async () => {
	const t = tag();
	const a = await postIdea(alice, { title: `Bulk ${t} A`, district });
	const b = await postIdea(alice, { title: `Bulk ${t} B`, district });
	const view = `tab=review&kind=idea&district=${district}&sort=newest`;
	let r = await get(mod, `/moderation?${view}&alle=1`);
	for (const i of [a, b])
		assert.ok(r.text.includes(`id="sel-idea-${i.id}" name="id-${i.id}" value="on" checked>`));
	r = await get(mod, `/moderation?${view}`);
	assert.ok(r.text.includes(`id="sel-idea-${a.id}" name="id-${a.id}" value="on">`), 'unchecked without alle');
	assert.match(r.text, /Alle auf dieser Seite auswählen/);

	// Bulk reject without a reason: the error in the bulk form, the selection kept.
	r = await post(mod, `/moderation/entscheidungen?${view}`, { kind: 'idea', decision: 'reject',
		[`id-${a.id}`]: 'on', [`id-${b.id}`]: 'on' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="bulk-reason-error">Bitte ausfüllen/);
	assert.match(r.text, /<option value="reject" selected>Ablehnen<\/option>/);
	assert.ok(r.text.includes(`name="id-${a.id}" value="on" checked>`));

	r = await post(mod, `/moderation/entscheidungen?${view}`, { kind: 'idea', decision: 'reject', reason: 'spam',
		explanation: 'Werbung.', [`id-${a.id}`]: 'on', [`id-${b.id}`]: 'on' });
	assert.equal(r.status, 303);
	const loc = r.headers.get('location');
	assert.match(loc, new RegExp(`^/moderation\\?lang=de&tab=review&kind=idea&district=${district}&sort=newest&erledigt=\\d+$`));
	assert.equal(state(a.id) + state(b.id), 'rejectedrejected');
	const decision = Number(loc.match(/erledigt=(\d+)/)[1]);
	r = await get(mod, loc);
	assert.match(r.text, /2 Ideen abgelehnt\./);
	assert.match(r.text, new RegExp(`action="/moderation/entscheidungen/${decision}/rueckgaengig\\?`));

	// Undo by the form: both back to waiting, reason gone, audit written.
	r = await post(mod, `/moderation/entscheidungen/${decision}/rueckgaengig?${view}`, {});
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), new RegExp(`rueckgaengig=${decision}$`));
	assert.equal(psql(`SELECT string_agg(state || ':' || coalesce(reason, '-') || ':' || coalesce(reason_text, '-'), ',' ORDER BY id)
		FROM ideas WHERE id IN (${a.id}, ${b.id})`), 'pending:-:-,pending:-:-');
	assert.equal(psql(`SELECT count(*) FROM audit_log WHERE action = 'moderation.undo' AND target_kind = 'idea'
		AND target_id IN (${a.id}, ${b.id}) AND (detail->>'decision_id')::bigint = ${decision}`), '2');
	r = await get(mod, r.headers.get('location'));
	assert.match(r.text, /Rückgängig gemacht: 2 Ideen abgelehnt\./);
	// Twice: refused, nothing changed.
	r = await post(mod, `/moderation/entscheidungen/${decision}/rueckgaengig?${view}`, {});
	assert.equal(r.status, 409);
	assert.match(r.text, /bereits zurückgenommen/);

	// A single publish: "Idee „…“ veröffentlicht." and the decided tab lists it.
	r = await post(mod, `/moderation/entscheidungen?${view}&item=${a.id}`, { kind: 'idea', decision: 'publish',
		[`id-${a.id}`]: 'on' });
	assert.equal(r.status, 303);
	r = await get(mod, r.headers.get('location'));
	assert.match(r.text, new RegExp(`Idee „Bulk ${t} A“ veröffentlicht\\.`));
	r = await get(mod, '/moderation?tab=decided');
	assert.match(r.text, /aria-current="page">Entschieden/);
	assert.match(r.text, new RegExp(`Idee „Bulk ${t} A“ veröffentlicht\\.`));
	assert.match(r.text, new RegExp(`2 Ideen abgelehnt\\.[^]*?zurückgenommen|zurückgenommen[^]*?2 Ideen abgelehnt`));
});

test('undo by the API: exact restore with flags and statistics, the window, a later decision', async () => {
	// A flagged-and-hidden idea rejected, then undone: hidden again, flags open.
	const a = await postIdea(alice, { title: `Undo API ${tag()}` });
	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [a.id], decision: 'publish' }, as(mod));
	const publishedAt = psql(`SELECT published_at FROM ideas WHERE id = ${a.id}`);
	for (const f of flaggers.slice(0, 3))
		await json('POST', `/api/v1/ideas/${a.id}/flags`, { reason: 'spam' }, as(f));
	assert.equal(state(a.id), 'hidden');
	let r = await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [a.id], decision: 'reject',
		reason: 'spam' }, as(mod));
	assert.equal(r.status, 200);
	const d = r.json.decision_id;
	assert.equal(psql(`SELECT count(*) FROM flags WHERE kind = 'idea' AND target_id = ${a.id} AND resolved_at IS NULL`), '0');
	r = await json('POST', `/api/v1/moderation/decisions/${d}/undo`, {}, as(mod));
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items, [{ id: a.id, from: 'rejected', to: 'hidden' }]);
	assert.equal(psql(`SELECT state || '|' || coalesce(reason, '-') || '|' || published_at FROM ideas WHERE id = ${a.id}`),
		`hidden|-|${publishedAt}`);
	assert.equal(psql(`SELECT count(*) FROM flags WHERE kind = 'idea' AND target_id = ${a.id} AND resolved_at IS NULL`), '3');
	expectError(await json('POST', `/api/v1/moderation/decisions/${d}/undo`, {}, as(mod)), 409, 'already_undone');
	expectError(await json('POST', '/api/v1/moderation/decisions/999999999/undo', {}, as(mod)), 404);
	expectError(await json('POST', `/api/v1/moderation/decisions/${d}/undo`, { force: true }, as(mod)), 422);

	// Undo of a publish: pending again, published_at as before (none); statistics follow.
	const b = await postIdea(alice, { title: `Undo Statistik ${tag()}` });
	r = await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [b.id], decision: 'publish' }, as(mod));
	r = await json('POST', `/api/v1/moderation/decisions/${r.json.decision_id}/undo`, {}, as(mod2));
	assert.equal(r.status, 200);
	assert.equal(psql(`SELECT state || '|' || (published_at IS NULL) FROM ideas WHERE id = ${b.id}`), 'pending|true');
	assert.equal(psql('SELECT count(*) FROM stats_recount()'), '0', 'statistics kept in step');

	// Outside the window: refused, nothing changed.
	r = await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [b.id], decision: 'publish' }, as(mod));
	const late = r.json.decision_id;
	psql(`UPDATE moderation_decisions SET decided_at = now() - interval '11 minutes' WHERE id = ${late}`);
	expectError(await json('POST', `/api/v1/moderation/decisions/${late}/undo`, {}, as(mod)), 409, 'undo_expired');
	assert.equal(state(b.id), 'published');
	let page = await post(mod, `/moderation/entscheidungen/${late}/rueckgaengig?tab=review&kind=idea`, {});
	assert.equal(page.status, 409);
	assert.match(page.text, /Die Zeit zum Rückgängigmachen ist abgelaufen/);

	// Someone decided since: refused.
	r = await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [b.id], decision: 'hide',
		reason: 'off-topic' }, as(mod));
	const hid = r.json.decision_id;
	r = await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [b.id], decision: 'restore' }, as(mod2));
	assert.equal(r.status, 200);
	expectError(await json('POST', `/api/v1/moderation/decisions/${hid}/undo`, {}, as(mod)), 409, 'undo_conflict');
	assert.equal(state(b.id), 'published');
	page = await post(mod, `/moderation/entscheidungen/${hid}/rueckgaengig?tab=review&kind=idea`, {});
	assert.equal(page.status, 409);
	assert.match(page.text, /Inzwischen hat jemand anders/);
	assert.equal(psql('SELECT count(*) FROM stats_recount()'), '0');
});

test('edit forms: the text as it is, a required note, saved with an audit entry', async () => {
	const a = await postIdea(alice, { title: `Bearbeiten ${tag()}`,
		description: 'Rufen Sie mich an unter 0531 123456, dann erkläre ich die Idee genauer.' });
	let r = await get(mod, `/moderation/ideen/${a.id}/bearbeiten`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('0531 123456'));
	assert.match(r.text, /<input id="edit-note" name="note"/);
	r = await post(mod, `/moderation/ideen/${a.id}/bearbeiten`, { title: a.title,
		description: 'Rufen Sie mich an, dann erkläre ich die Idee genauer.', note: '', version: '0' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="edit-note-error">Bitte ausfüllen/);
	assert.ok(r.text.includes('Rufen Sie mich an, dann erkläre ich die Idee genauer.'), 'typed text kept');
	r = await post(mod, `/moderation/ideen/${a.id}/bearbeiten`, { title: a.title,
		description: 'Rufen Sie mich an, dann erkläre ich die Idee genauer.', note: 'Telefonnummer entfernt', version: '0' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/moderation/ideen/${a.id}/bearbeiten?lang=de&gespeichert=1`);
	assert.equal(psql(`SELECT description FROM ideas WHERE id = ${a.id}`), 'Rufen Sie mich an, dann erkläre ich die Idee genauer.');
	assert.equal(psql(`SELECT detail->>'note' FROM audit_log WHERE action = 'moderation.edit' AND target_kind = 'idea'
		AND target_id = ${a.id}`), 'Telefonnummer entfernt');
	r = await get(mod, r.headers.get('location'));
	assert.match(r.text, /Die Änderung ist gespeichert und protokolliert\./);
	assert.match(r.text, /Telefonnummer entfernt/);
	// The note's time in the one date format of the site (when.c), on Berlin's clock.
	assert.match(r.text, /<time datetime="[^"]+">\d{1,2}\. [A-Za-zä]+ \d{4}, \d{2}:\d{2}<\/time> · \S+: Telefonnummer entfernt/);

	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [a.id], decision: 'publish' }, as(mod));
	const c = await json('POST', `/api/v1/ideas/${a.id}/comments`, { body: 'Mein Name ist Erika Mustermann.' }, as(alice));
	assert.equal(c.status, 201, c.text);
	r = await get(mod, `/moderation/kommentare/${c.json.id}/bearbeiten`);
	assert.equal(r.status, 200);
	assert.match(r.text, /<textarea id="edit-body" name="body"[^>]*>Mein Name ist Erika Mustermann\./);
	assert.match(r.text, /<input type="hidden" name="version" value="0">/);
	r = await post(mod, `/moderation/kommentare/${c.json.id}/bearbeiten`, { body: 'Mein Name ist [entfernt].',
		note: 'Namen entfernt', version: '0' });
	assert.equal(r.status, 303);
	assert.equal(psql(`SELECT body FROM comments WHERE id = ${c.json.id}`), 'Mein Name ist [entfernt].');
	r = await get(mod, '/moderation/kommentare/999999999/bearbeiten');
	assert.equal(r.status, 404);
	r = await get(alice, `/moderation/ideen/${a.id}/bearbeiten`);
	assert.equal(r.status, 403);
});

test('English words, and user text escaped in rows and confirmations', async () => {
	const a = await postIdea(alice, { title: `<b>Fett</b> ${tag()}` });
	let r = await get(mod, '/moderation?lang=en&tab=review&kind=idea&sort=newest');
	assert.match(r.text, /Review ideas \(\d+\)/);
	assert.ok(r.text.includes('&lt;b&gt;Fett&lt;/b&gt;'));
	assert.ok(!r.text.includes('<b>Fett</b>'));
	assert.match(r.text, /<time datetime="[^"]+">\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}<\/time>/);
	r = await post(mod, `/moderation/entscheidungen?lang=en&tab=review&kind=idea&item=${a.id}`, { kind: 'idea',
		decision: 'publish', [`id-${a.id}`]: 'on' });
	r = await get(mod, r.headers.get('location'));
	assert.match(r.text, /Idea “&lt;b&gt;Fett&lt;\/b&gt; [\d-]+” published\./);
});

test('edits check the version: a second moderator editing the same text since is told, nothing overwritten unseen', async () => {
	const a = await postIdea(alice, { title: `Zwei Bearbeiter ${tag()}` });
	let r = await get(mod, `/moderation/ideen/${a.id}/bearbeiten`);
	assert.match(r.text, /<input type="hidden" name="version" value="0">/);
	r = await get(mod2, `/moderation/ideen/${a.id}/bearbeiten`);
	assert.match(r.text, /name="version" value="0"/);
	// The second moderator saves first.
	r = await post(mod2, `/moderation/ideen/${a.id}/bearbeiten`, { title: 'Fassung der Zweiten',
		description: 'Eine ausführliche Beschreibung der zweiten Moderatorin.', note: 'Tippfehler', version: '0' });
	assert.equal(r.status, 303);
	// The first, still at version 0: 409, their text kept, the error in the summary and at the field.
	r = await post(mod, `/moderation/ideen/${a.id}/bearbeiten`, { title: 'Fassung des Ersten',
		description: 'Eine ausführliche Beschreibung des ersten Moderators.', note: 'Name entfernt', version: '0' });
	assert.equal(r.status, 409, r.text.slice(0, 300));
	assert.match(r.text, /<a href="#edit-version">Bearbeitungsstand: Jemand anderes hat diesen Text bearbeitet/);
	assert.match(r.text, /id="edit-version"[^>]*>Jemand anderes hat diesen Text bearbeitet[^<]*Ihre Fassung steht unten/);
	assert.ok(r.text.includes('Fassung des Ersten'), 'what they typed is kept');
	assert.match(r.text, /name="version" value="1"/, 'saving again is a deliberate choice');
	assert.equal(psql(`SELECT title FROM ideas WHERE id = ${a.id}`), 'Fassung der Zweiten');
	// A form without the version is refused with words, nothing saved.
	r = await post(mod, `/moderation/ideen/${a.id}/bearbeiten`, { title: 'Ohne Stand', note: 'ohne Stand' });
	assert.equal(r.status, 422);
	assert.match(r.text, /href="#edit-version"/);
	assert.match(r.text, /id="edit-version"[^>]*>Der Bearbeitungsstand fehlt/);
	// The API: If-Match or "version"; stale is 409 edit_conflict naming version, current passes.
	const path = `/api/v1/moderation/ideas/${a.id}`;
	let x = await json('PATCH', path, { title: 'Über die Schnittstelle', note: 'per API' }, as(mod, { 'if-match': '"0"' }));
	assert.match(expectError(x, 409).fields.version, /someone else edited this text/);
	x = await json('PATCH', path, { title: 'Über die Schnittstelle', note: 'per API', version: 0 }, as(mod));
	assert.ok(expectError(x, 409).fields.version);
	x = await json('PATCH', path, { title: 'Über die Schnittstelle', note: 'per API' }, as(mod, { 'if-match': 'drei' }));
	assert.ok(expectError(x, 422).fields['If-Match']);
	x = await json('PATCH', path, { title: 'Über die Schnittstelle', note: 'per API', version: -1 }, as(mod));
	assert.ok(expectError(x, 422).fields.version);
	x = await json('PATCH', path, { title: 'Über die Schnittstelle', note: 'per API' }, as(mod, { 'if-match': '"1"' }));
	assert.equal(x.status, 200, x.text);
	assert.equal(x.json.version, 2);
	assert.equal(psql(`SELECT title FROM ideas WHERE id = ${a.id}`), 'Über die Schnittstelle');
	// Comments the same way.
	await json('POST', '/api/v1/moderation/decisions', { kind: 'idea', ids: [a.id], decision: 'publish' }, as(mod));
	const c = await json('POST', `/api/v1/ideas/${a.id}/comments`, { body: 'Ein Kommentar mit Fehlre.' }, as(alice));
	x = await json('PATCH', `/api/v1/moderation/comments/${c.json.id}`, { body: 'Ein Kommentar mit Fehler.', note: 'Tippfehler', version: 0 }, as(mod));
	assert.equal(x.status, 200, x.text);
	x = await json('PATCH', `/api/v1/moderation/comments/${c.json.id}`, { body: 'Noch einmal.', note: 'Tippfehler', version: 0 }, as(mod2));
	assert.ok(expectError(x, 409).fields.version);
});

test('a full page of long pending ideas stays within 50 KB of HTML', async () => {
	const long = 'Eine sehr ausführliche Beschreibung mit vielen Einzelheiten zur Lage, zum Nutzen und zu den Kosten. '.repeat(49);
	psql(`INSERT INTO ideas (title, description, field_id, district_id, author_id, state)
		SELECT 'Lange Idee Nummer ' || g || ' mit einem Titel, der fast die größte erlaubte Länge erreicht, damit es zählt',
		${`'${long.slice(0, 4990)}'`}, (SELECT id FROM fields ORDER BY id LIMIT 1),
		(SELECT id FROM districts ORDER BY position LIMIT 1), ${alice.account.id}, 'pending'
		FROM generate_series(1, 60) g`);
	for (const path of ['/moderation?tab=review&kind=idea', '/moderation?tab=review&kind=idea&sort=newest&alle=1',
		'/moderation?lang=en&tab=review&kind=idea&sort=newest']) {
		const r = await get(mod, path);
		assert.equal(r.status, 200);
		const bytes = Buffer.byteLength(r.text);
		console.log(`# ${path}: ${bytes} bytes, ${rowIds(r.text).length} rows`);
		assert.ok(bytes <= 50 * 1024, `${path}: ${bytes} bytes of HTML`);
		assert.match(r.text, /rel="next"/, 'the rest on the next page');
		assert.equal(rowIds(r.text).length, 20);
	}
	psql(`UPDATE ideas SET state = 'rejected', reason = 'spam' WHERE title LIKE 'Lange Idee Nummer %' AND state = 'pending'`);
});

test('a row: one click for what needs no reason, its full form with reasons when opened', async () => {
	const a = await postIdea(alice, { title: `Ein Klick ${tag()}` });
	let r = await get(mod, '/moderation?tab=review&kind=idea&sort=newest');
	let row = r.text.match(new RegExp(`<li class="desk-row" id="idea-${a.id}">[^]*?</li>`))[0];
	assert.match(row, /<button type="submit" name="decision" value="publish">Veröffentlichen<\/button>/);
	assert.ok(!row.includes('name="reason"'), 'no reasons select in a closed row');
	const open = row.match(/<a href="\/moderation\?([^"]+entscheiden=\d+)#idea-\d+">/);
	assert.ok(open, 'a link to decide with a reason');
	r = await get(mod, `/moderation?${open[1].replaceAll('&amp;', '&')}`);
	row = r.text.match(new RegExp(`<li class="desk-row" id="idea-${a.id}">[^]*?</li>`))[0];
	assert.match(row, /<details open>/);
	assert.match(row, new RegExp(`<select id="idea-${a.id}-reason" name="reason"`));
	assert.match(row, /value="reject"/);
	// The one click publishes and comes back to the same view.
	r = await post(mod, `/moderation/entscheidungen?tab=review&kind=idea&sort=newest&item=${a.id}`, { kind: 'idea',
		[`id-${a.id}`]: 'on', decision: 'publish' });
	assert.equal(r.status, 303);
	assert.equal(state(a.id), 'published');
});
