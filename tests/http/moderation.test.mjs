// Moderation: every transition legal and illegal, bulk decisions, reasons
// owed to authors, edits with history, flags and auto-hiding, the queue,
// the audit log, and that moderators never see an e-mail address.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, postIdea, decide, publishedIdea, setting,
	expectError } from './lib.mjs';

let admin, mod, alice, bob;

test.before(async () => {
	admin = await member(['admin']);
	mod = await member(['moderator']);
	alice = await member();
	bob = await member();
	await setting(admin, { moderation_mode: 'pre', flag_threshold: 3 });
});

const state = (id, table = 'ideas') => psql(`SELECT state FROM ${table} WHERE id = ${id}`);

// An idea brought into the given moderation state.
async function ideaIn(s) {
	const idea = await postIdea(alice);
	const steps = { pending: [], published: ['publish'], hidden: ['publish', 'hide'],
		rejected: ['reject'] }[s];
	for (const d of steps) {
		const r = await decide(mod, 'idea', [idea.id], d, d === 'publish' ? {} : { reason: 'spam' });
		assert.equal(r.status, 200, r.text);
	}
	assert.equal(state(idea.id), s);
	return idea;
}

const next = {
	pending: { publish: 'published', reject: 'rejected' },
	published: { hide: 'hidden' },
	hidden: { reject: 'rejected', restore: 'published' },
	rejected: { restore: 'published' },
};

for (const from of Object.keys(next)) {
	for (const decision of ['publish', 'reject', 'hide', 'restore']) {
		const to = next[from][decision];
		test(`${decision} from ${from}: ${to ? `→ ${to}` : '409'}`, async () => {
			const idea = await ideaIn(from);
			const r = await decide(mod, 'idea', [idea.id], decision,
				['reject', 'hide'].includes(decision) ? { reason: 'offensive', explanation: 'Bitte sachlich bleiben.' } : {});
			if (to) {
				assert.equal(r.status, 200, r.text);
				assert.deepEqual(r.json.items, [{ id: idea.id, from, to }]);
				assert.equal(state(idea.id), to);
			} else {
				expectError(r, 409, 'illegal_transition');
				assert.equal(state(idea.id), from, 'an illegal decision changes nothing');
			}
		});
	}
}

test('comments follow the same transitions', async () => {
	const idea = await publishedIdea(alice, mod);
	const c = (await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Ein Kommentar.' }, as(bob))).json;
	expectError(await decide(mod, 'comment', [c.id], 'hide', { reason: 'spam' }), 409);
	assert.equal((await decide(mod, 'comment', [c.id], 'publish')).status, 200);
	assert.equal((await decide(mod, 'comment', [c.id], 'hide', { reason: 'spam' })).status, 200);
	assert.equal(state(c.id, 'comments'), 'hidden');
	assert.equal((await req(`/api/v1/ideas/${idea.id}`)).json.comments.length, 0);
	assert.equal((await decide(mod, 'comment', [c.id], 'restore')).status, 200);
	assert.equal((await req(`/api/v1/ideas/${idea.id}`)).json.comments.length, 1);
	expectError(await decide(mod, 'idea', [c.id + 1000000], 'publish'), 404);
});

test('rejecting and hiding need a reason, which the author sees', async () => {
	const idea = await postIdea(alice);
	assert.ok(expectError(await decide(mod, 'idea', [idea.id], 'reject'), 422).fields.reason);
	assert.ok(expectError(await decide(mod, 'idea', [idea.id], 'reject', { reason: 'erfunden' }), 422).fields.reason);
	assert.ok(expectError(await decide(mod, 'idea', [idea.id], 'reject', { reason: 'other' }), 422).fields.explanation);
	assert.ok(expectError(await decide(mod, 'idea', [idea.id], 'vergessen'), 422).fields.decision);
	assert.ok(expectError(await decide(mod, 'idea', [], 'publish'), 422).fields.ids);
	assert.ok(expectError(await decide(mod, 'idea', ['x'], 'publish'), 422).fields.ids);
	assert.ok(expectError(await decide(mod, 'thread', [idea.id], 'publish'), 422).fields.kind);
	assert.equal(state(idea.id), 'pending');
	const r = await decide(mod, 'idea', [idea.id], 'reject', { reason: 'personal-data',
		explanation: 'Bitte ohne Namen und Telefonnummer neu einreichen.' });
	assert.equal(r.status, 200);
	const seen = (await req(`/api/v1/ideas/${idea.id}`, { headers: as(alice) })).json;
	assert.equal(seen.state, 'rejected');
	assert.equal(seen.moderation.reason, 'personal-data');
	assert.equal(seen.moderation.reason_label, 'Enthält personenbezogene Daten');
	assert.equal(seen.moderation.explanation, 'Bitte ohne Namen und Telefonnummer neu einreichen.');
	const en = (await req(`/api/v1/ideas/${idea.id}?lang=en`, { headers: as(alice) })).json;
	assert.equal(en.moderation.reason_label, 'Contains personal data');
	assert.equal((await req(`/api/v1/ideas/${idea.id}`, { headers: as(bob) })).status, 404);
	const reasons = (await req('/api/v1/moderation/reasons')).json.reasons;
	assert.ok(reasons.some((x) => x.slug === 'spam' && x.flaggable));
	assert.ok(reasons.some((x) => x.slug === 'illegal' && !x.flaggable));
});

test('bulk decisions apply to all items or, if one is illegal, to none', async () => {
	const a = await postIdea(alice);
	const b = await postIdea(alice);
	const c = await ideaIn('published');
	expectError(await decide(mod, 'idea', [a.id, b.id, c.id], 'publish'), 409);
	assert.deepEqual([state(a.id), state(b.id), state(c.id)], ['pending', 'pending', 'published']);
	const r = await decide(mod, 'idea', [a.id, b.id], 'publish');
	assert.equal(r.status, 200);
	assert.equal(r.json.items.length, 2);
	assert.deepEqual([state(a.id), state(b.id)], ['published', 'published']);
	expectError(await decide(mod, 'idea', Array.from({ length: 101 }, (_, k) => k + 1), 'publish'), 422);
});

test('moderator edits keep the previous text and say why', async () => {
	const idea = await ideaIn('published');
	const path = `/api/v1/moderation/ideas/${idea.id}`;
	assert.ok(expectError(await json('PATCH', path, { title: 'Neuer Titel der Idee' }, as(mod)), 422).fields.note);
	assert.ok(expectError(await json('PATCH', path, { note: 'nichts geändert' }, as(mod)), 422).fields.title);
	expectError(await json('PATCH', path, { title: 'Neuer Titel der Idee', note: 'Tippfehler' }, as(alice)), 403);
	const r = await json('PATCH', path, { title: 'Neuer Titel der Idee', note: 'Telefonnummer entfernt' }, as(mod));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.revisions, 1);
	const after = (await req(`/api/v1/ideas/${idea.id}`)).json;
	assert.equal(after.title, 'Neuer Titel der Idee');
	assert.equal(after.edited, true, 'the public sees that moderation changed it');
	assert.equal(after.moderation, null);
	const seen = (await req(`/api/v1/ideas/${idea.id}`, { headers: as(alice) })).json;
	assert.deepEqual(seen.moderation.revisions.map((r) => [r.title, r.note]),
		[[idea.title, 'Telefonnummer entfernt']], 'the author sees what it was and why');
	assert.equal(psql(`SELECT title || '|' || note FROM idea_revisions WHERE kind = 'idea' AND target_id = ${idea.id}`),
		`${idea.title}|Telefonnummer entfernt`);
	expectError(await json('PATCH', '/api/v1/moderation/ideas/999999999', { title: 'Neuer Titel', note: 'x y z' }, as(mod)), 404);
});

test('flags: one per account, 50 parallel flags make one row, the Nth hides pending review', async () => {
	const idea = await ideaIn('published');
	const flag = (who, body = { reason: 'spam' }) => json('POST', `/api/v1/ideas/${idea.id}/flags`, body, as(who));
	assert.ok(expectError(await flag(bob, {}), 422).fields.reason);
	assert.ok(expectError(await flag(bob, { reason: 'illegal' }), 422).fields.reason, 'not a citizen reason');
	const rs = await Promise.all(Array.from({ length: 50 }, () => flag(bob)));
	assert.equal(rs.filter((r) => r.status === 201).length, 1);
	assert.equal(rs.filter((r) => r.status === 200).length, 49);
	assert.equal(Number(psql(`SELECT count(*) FROM flags WHERE target_id = ${idea.id} AND kind = 'idea'`)), 1);
	assert.equal(state(idea.id), 'published');

	const others = [await member(), await member(), await member()];
	assert.equal((await flag(others[0], { reason: 'offensive', note: 'Beleidigt Nachbarn.' })).json.hidden, false);
	// The third and fourth flags arrive together: exactly one hides it.
	const [x, y] = await Promise.all([flag(others[1]), flag(others[2])]);
	assert.ok([x, y].some((r) => r.status === 404 || r.json.hidden), `${x.text} ${y.text}`);
	assert.equal(state(idea.id), 'hidden');
	assert.equal((await req(`/api/v1/ideas/${idea.id}`)).status, 404);
	assert.equal(Number(psql(`SELECT count(*) FROM audit_log WHERE action = 'moderation.auto_hide' AND target_id = ${idea.id}`)), 1);

	const q = await req('/api/v1/moderation/queue?state=hidden&limit=200', { headers: as(mod) });
	const item = q.json.items.find((i) => i.id === idea.id);
	assert.ok(item, 'hidden by flags, it waits in the queue');
	assert.deepEqual(item.flags, { spam: 2, offensive: 1 });
	// Review: restored; the flags are resolved, and counting starts again.
	assert.equal((await decide(mod, 'idea', [idea.id], 'restore')).status, 200);
	assert.equal(state(idea.id), 'published');
	assert.equal(Number(psql(`SELECT count(*) FROM flags WHERE target_id = ${idea.id} AND resolved_at IS NULL`)), 0);
	expectError(await json('POST', '/api/v1/ideas/999999999/flags', { reason: 'spam' }, as(bob)), 404);
});

test('a comment is hidden after N flags too', async () => {
	await setting(admin, { flag_threshold: 2 });
	try {
		const idea = await ideaIn('published');
		const c = (await json('POST', `/api/v1/ideas/${idea.id}/comments`, { body: 'Kauft Uhren!' }, as(bob))).json;
		await decide(mod, 'comment', [c.id], 'publish');
		for (const who of [alice, await member()])
			await json('POST', `/api/v1/comments/${c.id}/flags`, { reason: 'spam' }, as(who));
		assert.equal(state(c.id, 'comments'), 'hidden');
	} finally {
		await setting(admin, { flag_threshold: 3 });
	}
});

test('the queue: pending and hidden items, oldest first, filtered and paged', async () => {
	const a = await postIdea(alice, { field: 'energie' });
	const b = await postIdea(bob, { field: 'energie' });
	const q = await req('/api/v1/moderation/queue?field=energie&limit=200', { headers: as(mod) });
	assert.equal(q.status, 200);
	const ids = q.json.items.map((i) => i.id);
	assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), 'oldest first');
	assert.ok(q.json.items.every((i) => ['pending', 'hidden'].includes(i.state)));
	const one = q.json.items.find((i) => i.id === a.id);
	assert.equal(one.author.pseudonym, alice.account.pseudonym);
	assert.equal(one.author.channel, 'online');
	const p1 = await req('/api/v1/moderation/queue?limit=1', { headers: as(mod) });
	const p2 = await req(`/api/v1/moderation/queue?limit=1&after=${p1.json.next}`, { headers: as(mod) });
	assert.ok(p2.json.items[0].id > p1.json.items[0].id);
	const comments = await req('/api/v1/moderation/queue?kind=comment&state=pending', { headers: as(mod) });
	assert.ok(comments.json.items.every((i) => i.kind === 'comment'));
	expectError(await req('/api/v1/moderation/queue?state=lost', { headers: as(mod) }), 422);
});

test('moderators never see an e-mail address', async () => {
	const idea = await postIdea(alice);
	const local = alice.email.split('@')[0];
	const texts = [
		(await req('/api/v1/moderation/queue?limit=200', { headers: as(mod) })).text,
		(await req(`/api/v1/ideas/${idea.id}`, { headers: as(mod) })).text,
		(await req('/api/v1/moderation/log?limit=500', { headers: as(mod) })).text,
	];
	for (const t of texts) {
		assert.ok(!t.includes(alice.email) && !t.includes(local), 'no address or local part');
		assert.ok(!t.includes('@example.org'));
	}
});

test('the audit log holds every decision: who, when, what, why', async () => {
	const staff = await member(['staff'], 'stadtgruen');
	const idea = await postIdea(alice);
	await decide(mod, 'idea', [idea.id], 'publish');
	await json('PATCH', `/api/v1/moderation/ideas/${idea.id}`, { description: 'Eine überarbeitete, sachliche Beschreibung.',
		note: 'Sachlicher formuliert' }, as(mod));
	await json('POST', `/api/v1/ideas/${idea.id}/status`, { status: 'under_review', justification: 'Das prüft das Grünflächenamt.' }, as(staff));
	await decide(mod, 'idea', [idea.id], 'hide', { reason: 'off-topic', explanation: 'Passt nicht hierher.' });
	await decide(mod, 'idea', [idea.id], 'restore');
	const log = await req(`/api/v1/moderation/log?kind=idea&id=${idea.id}`, { headers: as(mod) });
	assert.equal(log.status, 200);
	const entries = log.json.entries.reverse();
	assert.deepEqual(entries.map((e) => e.action), ['idea.submit', 'moderation.publish', 'moderation.edit',
		'idea.status', 'moderation.hide', 'moderation.restore']);
	assert.deepEqual(entries.map((e) => e.actor), [alice.account.pseudonym, mod.account.pseudonym,
		mod.account.pseudonym, staff.account.pseudonym, mod.account.pseudonym, mod.account.pseudonym]);
	assert.ok(entries.every((e) => e.at && e.kind === 'idea' && e.target_id === idea.id));
	assert.equal(entries[2].detail.note, 'Sachlicher formuliert');
	assert.equal(entries[3].detail.justification, 'Das prüft das Grünflächenamt.');
	assert.deepEqual([entries[4].detail.reason, entries[4].detail.explanation, entries[4].detail.from],
		['off-topic', 'Passt nicht hierher.', 'published']);
	// Every state change of an idea in the database has its log entry.
	const changes = Number(psql(`SELECT count(*) FROM audit_log WHERE target_kind = 'idea' AND target_id = ${idea.id}`));
	assert.equal(changes, 6);
	expectError(await req('/api/v1/moderation/log', { headers: as(alice) }), 403);
	assert.equal((await req('/api/v1/moderation/log?action=moderation.', { headers: as(admin) })).status, 200);
});
