// Defect reports through the JSON API: validation, the workflow and who
// may take each step (departments never touch each other's reports), the
// reporter's status link, feedback within the window, "already reported
// nearby", supports, the dialogue and its moderation, mail to the
// reporter through the outbox, and the personal export.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, as, clientIp, decide, expectError, mailsTo,
	uniqueEmail } from './lib.mjs';

let admin, mod, tiefbau, gruen, citizen, other;

test.before(async () => {
	admin = await member(['admin']);
	mod = await member(['moderator']);
	// strassenschaden is routed to tiefbau-und-verkehr, parks to stadtgruen.
	tiefbau = await member(['staff'], 'tiefbau-und-verkehr');
	gruen = await member(['staff'], 'stadtgruen');
	citizen = await member();
	other = await member();
});

// A point in Braunschweig, moved east by `metres`.
const point = (metres = 0) => ({ lat: 52.2645, lon: 10.5236 + metres / (111195 * Math.cos(52.2645 * Math.PI / 180)) });

let seq = 0;
export function defectBody(extra = {}) {
	seq++;
	return { category: 'strassenschaden', ...point(seq * 500 % 9000),
		description: `Tiefes Schlagloch Nummer ${seq} mitten auf der Fahrbahn.`, ...extra };
}

const anon = () => ({ 'x-forwarded-for': clientIp() });

async function report(who, extra = {}, headers = {}) {
	const r = await json('POST', '/api/v1/defects', defectBody(extra), { ...(who ? as(who) : anon()), ...headers });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

const row = (id, cols = 'status, department_id, state') =>
	psql(`SELECT row_to_json(r)::text FROM (SELECT ${cols} FROM defect_reports WHERE id = ${id}) r`);

const setStatus = (who, id, status, extra = {}) => json('POST', `/api/v1/defects/${id}/status`,
	{ status, note: 'Eine öffentliche Notiz zum neuen Stand.', ...extra }, as(who));

test('an anonymous report: 201 with the report, a status link and nothing personal', async () => {
	const email = uniqueEmail('melder');
	const r = await json('POST', '/api/v1/defects', defectBody({ email, address: 'Bohlweg 1' }), anon());
	assert.equal(r.status, 201, r.text);
	assert.match(r.headers.get('location'), /^\/api\/v1\/defects\/\d+$/);
	const d = r.json.defect;
	assert.equal(d.status, 'open');
	assert.equal(d.category.code, 'strassenschaden');
	assert.equal(d.department.slug, 'tiefbau-und-verkehr', 'routed by its category');
	assert.match(r.json.status_token, /^[A-Za-z0-9_-]{43}$/);
	assert.ok(r.json.status_url.endsWith(`/maengel/status/${r.json.status_token}`));
	assert.ok(!r.text.includes(email), 'the address never comes back');
	// Stored as MAC and ciphertext, and the token only as its hash.
	const stored = psql(`SELECT encode(email_lookup, 'hex') || encode(email_ct, 'hex') ||
		encode(status_hash, 'hex') || reporter_id IS NULL FROM defect_reports WHERE id = ${d.id}`);
	assert.ok(!stored.includes(Buffer.from(email).toString('hex')));
	assert.ok(!stored.includes(Buffer.from(r.json.status_token).toString('hex')));
	assert.ok(stored.endsWith('t'), 'an anonymous report has no account');
	// The confirmation mail carries the status link.
	const mails = mailsTo(email);
	assert.equal(mails.length, 1);
	assert.ok(mails[0].includes(`/maengel/status/${r.json.status_token}`), mails[0]);
});

for (const [name, body, field] of [
	['no location', { lat: undefined, lon: undefined }, 'location'],
	['a point outside the city', { lat: 48.137, lon: 11.575 }, 'lat'],
	['latitude without longitude', { lon: undefined }, 'lon'],
	['an unknown category', { category: 'ufo-landung' }, 'category'],
	['a description over 4000 characters', { description: 'x'.repeat(4001) }, 'description'],
	['a too short description', { description: 'kaputt' }, 'description'],
	['HTML in the description', { description: 'Loch <script>alert(1)</script> hier' }, 'description'],
	['an unknown attribute', { attributes: { colour: 'rot' } }, 'attributes'],
	['an attribute of the wrong type', { attributes: { depth: 'tief' } }, 'attributes'],
	['a value not in the list', { attributes: { size: 'huge' } }, 'attributes'],
	['an invalid e-mail', { email: 'not-an-address' }, 'email'],
	['an unknown field', { colour: 'red' }, 'colour'],
]) {
	test(`refused: ${name} (422 naming ${field}, nothing stored)`, async () => {
		const before = psql('SELECT count(*) FROM defect_reports');
		const r = await json('POST', '/api/v1/defects', defectBody(body), anon());
		expectError(r, 422);
		assert.ok(r.json.error.fields[field], `${field} in ${r.text}`);
		assert.equal(psql('SELECT count(*) FROM defect_reports'), before);
	});
}

test('attributes of the category are stored; an address alone is a location', async () => {
	const r = await json('POST', '/api/v1/defects', defectBody({ lat: undefined, lon: undefined,
		address: 'Am Wendentor 3', attributes: { depth: 12, size: 'medium' } }), anon());
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(r.json.defect.attributes, { depth: 12, size: 'medium' });
	assert.equal(r.json.defect.location, null);
});

test('a citizen cannot give an e-mail: mail goes to the account; notify false is kept', async () => {
	let r = await json('POST', '/api/v1/defects', defectBody({ email: uniqueEmail() }), as(citizen));
	expectError(r, 422);
	r = await json('POST', '/api/v1/defects', defectBody({ notify: false }), as(citizen));
	assert.equal(r.status, 201);
	assert.equal(psql(`SELECT notify FROM defect_reports WHERE id = ${r.json.defect.id}`), 'f');
});

test('the public sees the report but the text only after moderation', async () => {
	const d = (await report(citizen)).defect;
	let r = await req(`/api/v1/defects/${d.id}`);
	assert.equal(r.status, 200);
	assert.equal(r.json.description, null, 'not yet moderated');
	assert.equal(r.json.state, 'pending');
	r = await req(`/api/v1/defects/${d.id}`, { headers: as(citizen) });
	assert.ok(r.json.description, 'the reporter sees their own text');
	assert.equal(r.json.mine, true);
	r = await decide(mod, 'defect', [d.id], 'publish');
	assert.equal(r.status, 200, r.text);
	r = await req(`/api/v1/defects/${d.id}`);
	assert.ok(r.json.description.startsWith('Tiefes Schlagloch'));
	r = await decide(mod, 'defect', [d.id], 'hide', { reason: 'offensive' });
	assert.equal(r.status, 200, r.text);
	// Hidden, the report leaves every public view; its reporter and the
	// department still see it.
	assert.equal((await req(`/api/v1/defects/${d.id}`)).status, 404);
	assert.equal((await req(`/api/v1/defects/${d.id}`, { headers: as(citizen) })).status, 200);
	assert.equal((await req(`/api/v1/defects/${d.id}`, { headers: as(tiefbau) })).status, 200);
	assert.ok(!(await req('/api/v1/defects?limit=100')).json.defects.some((x) => x.id === d.id));
	const box = `${d.location.lon - 0.001},${d.location.lat - 0.001},${d.location.lon + 0.001},${d.location.lat + 0.001}`;
	assert.ok(!JSON.parse((await req(`/api/v1/defects.geojson?bbox=${box}`)).text).features.some((f) => f.id === d.id));
	assert.equal((await req(`/open311/v2/requests/${d.id}.json`)).status, 404);
	assert.equal((await req('/api/v1/defects/999999999')).status, 404);
});

// Every step of the workflow from every status, as the report's department.
const steps = {
	open: ['acknowledged', 'in_progress', 'resolved', 'not_responsible', 'duplicate', 'rejected'],
	acknowledged: ['in_progress', 'resolved', 'not_responsible', 'duplicate', 'rejected'],
	in_progress: ['resolved', 'not_responsible', 'duplicate', 'rejected'],
	resolved: [], not_responsible: [], duplicate: [], rejected: [],
};
const all = Object.keys(steps).filter((s) => s !== 'open');
const extraFor = (to, dup) => to === 'duplicate' ? { duplicate_of: dup }
	: to === 'not_responsible' ? { forwarded_to: 'Landesstraßenbauverwaltung' } : {};

async function reportIn(status, dup) {
	const d = (await report(null)).defect;
	const path = { open: [], acknowledged: ['acknowledged'], in_progress: ['acknowledged', 'in_progress'] }[status]
		|| ['acknowledged', status];
	for (const s of path) {
		const r = await setStatus(tiefbau, d.id, s, extraFor(s, dup));
		assert.equal(r.status, 200, r.text);
	}
	return d;
}

test('every workflow transition: allowed ones 200, the rest 409 changing nothing', async () => {
	const dup = (await report(null)).defect.id;
	for (const from of Object.keys(steps)) {
		for (const to of all) {
			const d = await reportIn(from, dup);
			const r = await setStatus(tiefbau, d.id, to, extraFor(to, dup));
			if (steps[from].includes(to)) {
				assert.equal(r.status, 200, `${from} → ${to}: ${r.text}`);
				assert.equal(r.json.status, to);
				assert.equal(JSON.parse(row(d.id)).status, to);
			} else {
				expectError(r, 409, 'illegal_transition');
				assert.equal(JSON.parse(row(d.id)).status, from, `${from} → ${to} changed it`);
			}
		}
	}
});

test('a change records the note, the times and the audit trail', async () => {
	const d = (await report(null)).defect;
	let r = await setStatus(tiefbau, d.id, 'acknowledged', { note: 'Wir schauen uns das diese Woche an.' });
	assert.equal(r.status, 200);
	r = await setStatus(tiefbau, d.id, 'resolved', { note: 'Das Loch ist verfüllt und asphaltiert.' });
	const pub = (await req(`/api/v1/defects/${d.id}`)).json;
	assert.deepEqual(pub.history.map((h) => h.status), ['open', 'acknowledged', 'resolved']);
	assert.equal(pub.history[2].note, 'Das Loch ist verfüllt und asphaltiert.');
	assert.ok(pub.acknowledged_at && pub.closed_at);
	assert.equal(psql(`SELECT count(*) FROM audit_log WHERE target_kind = 'defect' AND target_id = ${d.id}
		AND action = 'defect.status' AND actor_id = ${tiefbau.account.id}`), '2');
});

test('status changes need a note, a duplicate target, a forwarding authority', async () => {
	const d = (await report(null)).defect;
	expectError(await setStatus(tiefbau, d.id, 'acknowledged', { note: 'kurz' }), 422);
	expectError(await setStatus(tiefbau, d.id, 'duplicate'), 422);
	expectError(await setStatus(tiefbau, d.id, 'duplicate', { duplicate_of: d.id }), 422);
	expectError(await setStatus(tiefbau, d.id, 'not_responsible'), 422);
	expectError(await setStatus(tiefbau, d.id, 'open'), 422);
	expectError(await setStatus(tiefbau, d.id, 'resolved', { forwarded_to: 'Bund' }), 422);
	assert.equal(JSON.parse(row(d.id)).status, 'open');
});

test('department swap: staff of another department get 403 for every change', async () => {
	const d = (await report(null)).defect;
	expectError(await setStatus(gruen, d.id, 'acknowledged'), 403);
	expectError(await json('POST', `/api/v1/defects/${d.id}/department`,
		{ department: 'stadtgruen', note: 'Das gehört doch zu uns hier.' }, as(gruen)), 403);
	expectError(await json('POST', `/api/v1/defects/${d.id}/messages`,
		{ body: 'Eine Nachricht vom falschen Amt.' }, as(gruen)), 403);
	// Citizens and moderators are not staff at all.
	expectError(await setStatus(citizen, d.id, 'acknowledged'), 403);
	expectError(await setStatus(mod, d.id, 'acknowledged'), 403);
	assert.equal(row(d.id), '{"status":"open","department_id":1,"state":"pending"}');
	// The queue of one department does not show another's, nor may staff ask.
	const q = await req('/api/v1/staff/defects?limit=200', { headers: as(gruen) });
	assert.equal(q.status, 200);
	assert.ok(!q.json.defects.some((x) => x.id === d.id));
	expectError(await req('/api/v1/staff/defects?department=tiefbau-und-verkehr', { headers: as(gruen) }), 403);
	// Reassigned, it becomes the other department's and leaves the first.
	let r = await json('POST', `/api/v1/defects/${d.id}/department`,
		{ department: 'stadtgruen', note: 'Der Baum gehört zur Grünfläche.' }, as(tiefbau));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.department.slug, 'stadtgruen');
	expectError(await setStatus(tiefbau, d.id, 'acknowledged'), 403);
	assert.equal((await setStatus(gruen, d.id, 'acknowledged')).status, 200);
	// An admin may act anywhere.
	assert.equal((await setStatus(admin, d.id, 'in_progress')).status, 200);
});

test('the queue: oldest first, counts, overdue marked, filters, paging', async () => {
	const a = (await report(null)).defect;
	const b = (await report(null)).defect;
	psql(`UPDATE defect_reports SET created_at = now() - interval '10 days' WHERE id = ${a.id}`);
	const q = await req('/api/v1/staff/defects?limit=200', { headers: as(tiefbau) });
	assert.equal(q.status, 200, q.text);
	const ids = q.json.defects.map((x) => x.id);
	assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), 'oldest first');
	assert.equal(q.json.defects.find((x) => x.id === a.id).overdue, true);
	assert.equal(q.json.defects.find((x) => x.id === b.id).overdue, false);
	assert.ok(q.json.counts.open >= 2 && q.json.counts.overdue >= 1);
	const over = await req('/api/v1/staff/defects?overdue=true&limit=200', { headers: as(tiefbau) });
	assert.ok(over.json.defects.every((x) => x.overdue));
	const p1 = await req('/api/v1/staff/defects?limit=1', { headers: as(tiefbau) });
	assert.equal(p1.json.defects.length, 1);
	assert.match(p1.json.next, /^q\.\d+\.\d+$/);
	const p2 = await req(`/api/v1/staff/defects?limit=1&after=${p1.json.next}`, { headers: as(tiefbau) });
	assert.notEqual(p2.json.defects[0].id, p1.json.defects[0].id);
	expectError(await req('/api/v1/staff/defects?after=nonsense', { headers: as(tiefbau) }), 422);
	expectError(await req('/api/v1/staff/defects', { headers: as(citizen) }), 403);
});

test('the reporter hears of each status change and staff message through the outbox', async () => {
	const email = uniqueEmail('post');
	const r = await json('POST', '/api/v1/defects', defectBody({ email }), anon());
	const id = r.json.defect.id;
	assert.equal(mailsTo(email).length, 1, 'the confirmation');
	assert.equal((await setStatus(tiefbau, id, 'acknowledged')).status, 200);
	let mails = mailsTo(email);
	assert.equal(mails.length, 2);
	assert.match(mails[1], /Stand Ihrer Meldung hat sich/);
	assert.ok(mails[1].includes(`/maengel/status/${r.json.status_token}`), 'the same status link');
	const m = await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Wie tief ist das Loch etwa?' }, as(tiefbau));
	assert.equal(m.status, 201, m.text);
	assert.equal(m.json.state, 'published', 'staff messages show at once');
	mails = mailsTo(email);
	assert.equal(mails.length, 3);
	// Without an address, or after erasing it, nothing is queued.
	const quiet = await report(null);
	const before = psql('SELECT count(*) FROM outbox');
	await setStatus(tiefbau, quiet.defect.id, 'acknowledged');
	assert.equal(psql('SELECT count(*) FROM outbox'), before);
	const e = await req(`/api/v1/defect-status/${r.json.status_token}/email`, { method: 'DELETE' });
	assert.equal(e.status, 200, e.text);
	assert.equal(psql(`SELECT email_ct IS NULL AND email_lookup IS NULL AND NOT notify FROM defect_reports WHERE id = ${id}`), 't');
	await setStatus(tiefbau, id, 'in_progress');
	assert.equal(mailsTo(email).length, 3, 'no mail after erasure');
});

test('a signed-in reporter gets mail at the account address', async () => {
	const d = (await report(citizen)).defect;
	const before = mailsTo(citizen.email).length;
	await setStatus(tiefbau, d.id, 'acknowledged');
	const mails = mailsTo(citizen.email);
	assert.equal(mails.length, before + 1);
	assert.match(mails.at(-1), /\/maengel\/status\/[A-Za-z0-9_-]{43}/);
});

test('the status link shows the report to its reporter; a wrong token is 404', async () => {
	const r = await report(null, { email: uniqueEmail() });
	const t = await req(`/api/v1/defect-status/${r.status_token}`);
	assert.equal(t.status, 200, t.text);
	assert.equal(t.json.id, r.defect.id);
	assert.ok(t.json.description, 'the reporter sees the text before moderation');
	assert.equal(t.json.email, true);
	assert.equal(t.json.can_reopen, false);
	assert.equal((await req(`/api/v1/defect-status/${'A'.repeat(43)}`)).status, 404);
	assert.equal((await req('/api/v1/defect-status/short')).status, 404);
});

test('the reporter confirms or reopens within the window, not after', async () => {
	const r = await report(null);
	const id = r.defect.id;
	const fb = (body) => json('POST', `/api/v1/defects/${id}/feedback`, { token: r.status_token, ...body }, anon());
	expectError(await fb({ action: 'confirm' }), 409);
	await setStatus(tiefbau, id, 'resolved');
	expectError(await fb({ action: 'reopen' }), 422, undefined);
	let x = await fb({ action: 'reopen', note: 'Das Loch ist immer noch da, sogar größer.' });
	assert.equal(x.status, 200, x.text);
	assert.equal(x.json.status, 'open');
	assert.equal(x.json.reopened, 1);
	assert.equal(x.json.history.at(-1).by, 'reporter');
	await setStatus(tiefbau, id, 'resolved');
	x = await fb({ action: 'confirm' });
	assert.equal(x.status, 200, x.text);
	assert.ok(x.json.confirmed_at);
	expectError(await fb({ action: 'confirm' }), 409);
	// Past the window (MITWIRKEN_REOPEN_DAYS, 14 by default): 409 too_late.
	psql(`UPDATE defect_reports SET closed_at = now() - interval '15 days', confirmed_at = NULL WHERE id = ${id}`);
	expectError(await fb({ action: 'reopen', note: 'Wieder kaputt nach zwei Wochen.' }), 409, 'too_late');
	psql(`UPDATE defect_reports SET closed_at = now() - interval '13 days' WHERE id = ${id}`);
	assert.equal((await fb({ action: 'reopen', note: 'Wieder kaputt nach zwei Wochen.' })).status, 200);
	// Someone else's token or none: no feedback.
	expectError(await json('POST', `/api/v1/defects/${id}/feedback`, { action: 'confirm' }, anon()), 401);
	expectError(await json('POST', `/api/v1/defects/${id}/feedback`, { action: 'confirm' }, as(other)), 404);
});

test('the dialogue: the reporter writes, moderation publishes, the department sees it at once', async () => {
	const r = await report(citizen);
	const id = r.defect.id;
	let m = await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Es ist etwa zehn Zentimeter tief.' }, as(citizen));
	assert.equal(m.status, 201, m.text);
	assert.equal(m.json.state, 'pending');
	assert.equal((await req(`/api/v1/defects/${id}`)).json.messages.length, 0, 'not public yet');
	assert.equal((await req(`/api/v1/defects/${id}`, { headers: as(tiefbau) })).json.messages.length, 1);
	const queue = await req('/api/v1/moderation/defects', { headers: as(mod) });
	assert.equal(queue.status, 200, queue.text);
	assert.ok(queue.json.messages.some((x) => x.id === m.json.id));
	assert.ok(queue.json.waiting.messages >= 1, 'how many wait in all');
	assert.equal((await decide(mod, 'defect_message', [m.json.id], 'publish')).status, 200);
	assert.equal((await req(`/api/v1/defects/${id}`)).json.messages.length, 1);
	// Others may not write into someone else's report.
	expectError(await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Ich mische mich ein.' }, as(other)), 404);
	expectError(await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Anonym ohne Link.' }, anon()), 401);
	// By status link, anonymously.
	m = await json('POST', `/api/v1/defects/${id}/messages`, { body: 'Noch ein Hinweis per Link.', token: r.status_token }, anon());
	assert.equal(m.status, 201, m.text);
});

test('already reported: open reports of the same category within the radius, nearest first', async () => {
	const base = { lat: 52.2701, lon: 10.5302 };
	const east = (m) => ({ lat: base.lat, lon: base.lon + m / (111195 * Math.cos(base.lat * Math.PI / 180)) });
	const near = (await report(null, east(30))).defect;
	const edge = (await report(null, east(48))).defect;
	const far = (await report(null, east(60))).defect;
	const otherCat = (await report(null, { category: 'graffiti', ...east(10) })).defect;
	const closed = (await report(null, east(5))).defect;
	await setStatus(tiefbau, closed.id, 'rejected');
	const r = await req(`/api/v1/defects/nearby?category=strassenschaden&lat=${base.lat}&lon=${base.lon}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.radius, 50);
	const ids = r.json.defects.map((x) => x.id);
	assert.ok(ids.includes(near.id) && ids.includes(edge.id));
	assert.ok(!ids.includes(far.id), 'beyond 50 m');
	assert.ok(!ids.includes(otherCat.id), 'another category');
	assert.ok(!ids.includes(closed.id), 'closed');
	assert.ok(ids.indexOf(near.id) < ids.indexOf(edge.id), 'nearest first');
	assert.ok(Math.abs(r.json.defects.find((x) => x.id === near.id).distance - 30) <= 1);
	// German decimal comma, and points outside the city.
	const c = await req(`/api/v1/defects/nearby?category=strassenschaden&lat=${String(base.lat).replace('.', ',')}&lon=${String(base.lon).replace('.', ',')}`);
	assert.equal(c.status, 200, c.text);
	expectError(await req('/api/v1/defects/nearby?category=strassenschaden&lat=48.1&lon=11.5'), 422);
});

test('supports: one per person, counted, shown; closed reports take none', async () => {
	const d = (await report(null)).defect;
	const path = `/api/v1/defects/${d.id}/supports`;
	let r = await req(path, { method: 'POST', headers: as(citizen) });
	assert.equal(r.status, 201, r.text);
	r = await req(path, { method: 'POST', headers: as(citizen) });
	assert.equal(r.status, 200);
	assert.equal(r.json.supports, 1);
	const ip = anon();
	assert.equal((await req(path, { method: 'POST', headers: ip })).status, 201);
	assert.equal((await req(path, { method: 'POST', headers: ip })).status, 200);
	assert.equal((await req(`/api/v1/defects/${d.id}`)).json.supports, 2);
	await setStatus(tiefbau, d.id, 'rejected');
	expectError(await req(path, { method: 'POST', headers: as(other) }), 404);
});

test('the list and the map: filters, paging, a bounding box, GeoJSON', async () => {
	const d = (await report(null, { category: 'graffiti' })).defect;
	let r = await req('/api/v1/defects?category=graffiti&limit=100');
	assert.equal(r.status, 200);
	assert.ok(r.json.defects.some((x) => x.id === d.id));
	assert.ok(r.json.defects.every((x) => x.category.code === 'graffiti'));
	r = await req('/api/v1/defects?limit=1');
	assert.equal(r.json.defects.length, 1);
	const p2 = await req(`/api/v1/defects?limit=1&after=${r.json.next}`);
	assert.ok(p2.json.defects[0].id < r.json.defects[0].id);
	const g = await req(`/api/v1/defects.geojson?bbox=${d.location.lon - 0.001},${d.location.lat - 0.001},${d.location.lon + 0.001},${d.location.lat + 0.001}`);
	assert.equal(g.status, 200);
	assert.match(g.headers.get('content-type'), /application\/geo\+json/);
	const fc = JSON.parse(g.text);
	assert.equal(fc.type, 'FeatureCollection');
	const f = fc.features.find((x) => x.id === d.id);
	assert.deepEqual(f.geometry.coordinates, [d.location.lon, d.location.lat], 'lon before lat');
	expectError(await req('/api/v1/defects.geojson?bbox=1,2,3'), 422);
	expectError(await req('/api/v1/defects?utm_source=x'), 422);
});

test('a staff member enters a phone report for a citizen; the channel is kept', async () => {
	const r = await json('POST', '/api/v1/defects', defectBody({ channel: 'phone' }), as(tiefbau));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.defect.channel, 'phone');
	expectError(await json('POST', '/api/v1/defects', defectBody({ channel: 'phone' }), as(citizen)), 403);
});

test('the personal export holds own reports and supports, never anonymous ones', async () => {
	const p = await member();
	const mine = (await report(p)).defect;
	const other = (await report(null)).defect;
	await req(`/api/v1/defects/${other.id}/supports`, { method: 'POST', headers: as(p) });
	const r = await req('/api/v1/me/export', { headers: as(p) });
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.defect_reports.map((x) => x.id), [mine.id]);
	assert.deepEqual(r.json.defect_supports.map((x) => x.report), [other.id]);
});

test('an admin routes a category to another department; new reports follow, old ones stay', async () => {
	const before = (await report(null, { category: 'radweg' })).defect;
	assert.equal(before.department.slug, 'tiefbau-und-verkehr');
	let r = await json('PUT', '/api/v1/admin/categories/radweg', { department: 'stadtreinigung', ack_days: 3 }, as(admin));
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { code: 'radweg', department: 'stadtreinigung', ack_days: 3, resolve_days: 14,
		active: true, field: 'mobilitaet', name_de: 'Radweg', name_en: 'Cycle path' });
	const after = (await report(null, { category: 'radweg' })).defect;
	assert.equal(after.department.slug, 'stadtreinigung');
	assert.equal((await req(`/api/v1/defects/${before.id}`)).json.department.slug, 'tiefbau-und-verkehr');
	expectError(await json('PUT', '/api/v1/admin/categories/radweg', { department: 'nirgendwo' }, as(admin)), 422);
	expectError(await json('PUT', '/api/v1/admin/categories/radweg', { ack_days: 0 }, as(admin)), 422);
	expectError(await json('PUT', '/api/v1/admin/categories/radweg', { department: 'stadtgruen' }, as(tiefbau)), 403);
	assert.equal((await json('PUT', '/api/v1/admin/categories/ufo', { ack_days: 2 }, as(admin))).status, 404);
	r = await json('PUT', '/api/v1/admin/categories/radweg', { department: 'tiefbau-und-verkehr', ack_days: 2 }, as(admin));
	assert.equal(r.status, 200);
	assert.equal(psql(`SELECT count(*) FROM audit_log WHERE action = 'category.update'
		AND actor_id = ${admin.account.id}`), '2');
});

test('a form sends attributes as text: numbers are read as numbers, words refused by name', async () => {
	const form = (extra) => req('/api/v1/defects', { method: 'POST', headers: { ...anon(),
		'content-type': 'application/x-www-form-urlencoded', origin: new URL(process.env.BASE_URL).origin },
	body: new URLSearchParams({ category: 'strassenschaden', lat: '52,2645', lon: '10,5236',
		description: 'Ein Schlagloch aus einem Formular.', ...extra }).toString() });
	const r = await form({ 'attribute-depth': '12', 'attribute-size': 'small' });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(r.json.defect.attributes, { depth: 12, size: 'small' });
	expectError(await form({ 'attribute-depth': 'tief' }), 422);
	// JSON says what it means: a string is not a number there.
	expectError(await json('POST', '/api/v1/defects', defectBody({ attributes: { depth: '12' } }), anon()), 422);
});
