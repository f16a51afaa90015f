// The administration in the browser (/verwaltung): each section's happy
// path, a refused value kept next to its field, the last-admin rule on the
// page, an Open311 key shown once and refused after its revocation, and
// nobody but an administrator gets in.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, member, login, as, clientIp } from './lib.mjs';

let admin, citizen;

async function browser(roles = []) {
	const m = await member(roles);
	const s = await login(m.email, { kind: 'cookie' });
	// The JSON API with a bearer token of the same account.
	const api = { ...(await login(m.email)), ip: clientIp() };
	return { ...m, cookie: s.cookie, csrf: s.csrf, ip: clientIp(), api };
}

const get = (who, path) => req(path, { headers: who ? { cookie: who.cookie, 'x-forwarded-for': who.ip } : {} });
const post = (who, path, fields = {}) => req(path, { method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.cookie, 'x-forwarded-for': who.ip },
	body: new URLSearchParams({ csrf_token: who.csrf, ...fields }).toString() });
const audit = (action) => Number(psql(`SELECT count(*) FROM audit_log WHERE action = '${action}'`));

// What these tests change is put back afterwards, so later test files
// still see the shipped taxonomy; the districts they add are retired.
const KEPT = ['fields', 'goals', 'criteria', 'defect_categories', 'districts'];

test.before(async () => {
	admin = await browser(['admin']);
	citizen = await browser();
	for (const t of KEPT)
		psql(`DROP TABLE IF EXISTS kept_${t}; CREATE TABLE kept_${t} AS SELECT * FROM ${t}`);
});

test.after(() => {
	psql(`UPDATE fields x SET name_de = k.name_de, name_en = k.name_en, description_de = k.description_de,
		description_en = k.description_en FROM kept_fields k WHERE k.id = x.id`);
	psql(`UPDATE goals x SET name_de = k.name_de, name_en = k.name_en, description_de = k.description_de,
		description_en = k.description_en FROM kept_goals k WHERE k.id = x.id`);
	psql(`UPDATE criteria x SET name_de = k.name_de, name_en = k.name_en, weight = k.weight,
		position = k.position, active = k.active, is_demo = k.is_demo FROM kept_criteria k WHERE k.slug = x.slug`);
	psql(`UPDATE defect_categories x SET name_de = k.name_de, name_en = k.name_en,
		department_id = k.department_id, field_id = k.field_id, ack_days = k.ack_days,
		resolve_days = k.resolve_days, active = k.active FROM kept_defect_categories k WHERE k.id = x.id`);
	psql("UPDATE districts SET active = false, number = NULL WHERE slug LIKE 'bezirk-%' OR slug LIKE 'api-bezirk-%'");
	// Braunschweig's twelve as shipped: numbers cleared first (they are unique).
	psql('UPDATE districts x SET number = NULL FROM kept_districts k WHERE k.id = x.id');
	psql(`UPDATE districts x SET name = k.name, number = k.number, active = k.active, is_demo = k.is_demo
		FROM kept_districts k WHERE k.id = x.id`);
	psql(`DELETE FROM criteria WHERE slug LIKE 'neu-krit-%' AND NOT EXISTS (SELECT 1 FROM assessment_scores s
		WHERE s.criterion = criteria.slug) AND NOT EXISTS (SELECT 1 FROM project_assessment_scores s WHERE s.criterion = criteria.slug)`);
	for (const t of KEPT)
		psql(`DROP TABLE kept_${t}`);
});

test('the overview links every section; the header links it for admins only', async () => {
	const r = await get(admin, '/verwaltung');
	assert.equal(r.status, 200, r.text);
	for (const p of ['konten', 'taxonomie', 'kategorien', 'kriterien', 'einstellungen', 'open311'])
		assert.ok(r.text.includes(`href="/verwaltung/${p}?lang=de"`), p);
	assert.match(r.text, /<a href="\/verwaltung\?lang=de">Verwaltung<\/a>/);
	const c = await get(citizen, '/ideen');
	assert.ok(!c.text.includes('href="/verwaltung?'), 'no link for a citizen');
	assert.equal((await get(citizen, '/verwaltung')).status, 403);
	const anon = await get(null, '/verwaltung/konten');
	assert.equal(anon.status, 303);
	assert.match(anon.headers.get('location'), /^\/anmelden/);
	assert.match((await get(admin, '/verwaltung?lang=en')).text, /<h1>Administration<\/h1>/);
});

test('accounts: found by part of the pseudonym, no address; a role granted and revoked with confirmation', async () => {
	const target = await member();
	const pseudonym = psql(`SELECT pseudonym FROM accounts WHERE id = ${target.account.id}`);
	const part = pseudonym.slice(2, 8).toUpperCase();
	let r = await get(admin, `/verwaltung/konten?q=${encodeURIComponent(part)}`);
	assert.equal(r.status, 200, r.text);
	assert.ok(r.text.includes(`/verwaltung/konten/${target.account.id}?lang=de">${pseudonym}</a>`), 'found');
	assert.ok(!r.text.includes('@'), 'no e-mail address on the page');
	const page = `/verwaltung/konten/${target.account.id}`;
	r = await get(admin, page);
	assert.equal(r.status, 200, r.text);
	assert.ok(!r.text.includes(target.email), 'no e-mail address');
	// Without the confirmation nothing happens; the error sits at the field.
	const before = audit('role_grant');
	r = await post(admin, `${page}/rollen`, { role: 'moderator', department: '' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /<p class="error" id="confirm-error">/);
	assert.match(r.text, /<a href="#confirm">/, 'the summary links the field');
	assert.match(r.text, /<option value="moderator" selected>/, 'the choice is kept');
	assert.equal(psql(`SELECT count(*) FROM account_roles WHERE account_id = ${target.account.id}`), '0');
	// Staff without a department: the API's reason, next to the field.
	r = await post(admin, `${page}/rollen`, { role: 'staff', department: '', confirm: 'ja' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /id="department-error">Nur die Rolle „Fachbereich“/);
	r = await post(admin, `${page}/rollen`, { role: 'moderator', department: '', confirm: 'ja' });
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), `${page}?done=role-granted&lang=de`);
	assert.equal(audit('role_grant'), before + 1, 'audit-logged');
	r = await get(admin, r.headers.get('location'));
	assert.match(r.text, /<p class="notice" role="status" id="done">Die Rolle ist vergeben/);
	assert.match(r.text, /<strong>Moderation<\/strong>/);
	r = await post(admin, `${page}/rollen/entziehen`, { role: 'moderator' });
	assert.equal(r.status, 422, 'revoking needs the confirmation too');
	assert.match(r.text, /id="revoke-confirm"/);
	r = await post(admin, `${page}/rollen/entziehen`, { role: 'moderator', confirm: 'ja' });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT count(*) FROM account_roles WHERE account_id = ${target.account.id}`), '0');
	assert.ok(audit('role_revoke') >= 1);
});

test('the last administrator keeps the role: a readable message on the page, 409 on the API', async () => {
	const solo = await browser(['admin']);
	// Every other admin goes for this test (the rule counts all of them).
	const others = psql(`SELECT string_agg(account_id::text, ',') FROM account_roles
		WHERE role = 'admin' AND account_id <> ${solo.account.id}`);
	psql(`DELETE FROM account_roles WHERE role = 'admin' AND account_id <> ${solo.account.id}`);
	try {
		const r = await post(solo, `/verwaltung/konten/${solo.account.id}/rollen/entziehen`,
			{ role: 'admin', confirm: 'ja' });
		assert.equal(r.status, 409, r.text);
		assert.match(r.text, /<p class="error" id="revoke-role">Das ist die letzte Administratorin oder der letzte Administrator/);
		const api = await json('DELETE', `/api/v1/admin/accounts/${solo.account.id}/roles/admin`, undefined, as(solo.api));
		assert.equal(api.status, 409, api.text);
		assert.equal(psql(`SELECT count(*) FROM account_roles WHERE role = 'admin'`), '1');
	} finally {
		for (const id of (others || '').split(',').filter(Boolean))
			psql(`INSERT INTO account_roles (account_id, role) VALUES (${id}, 'admin') ON CONFLICT DO NOTHING`);
	}
});

test('settings: each with label and help; a refused value kept next to its field; a good one saved', async () => {
	let r = await get(admin, '/verwaltung/einstellungen');
	assert.equal(r.status, 200, r.text);
	for (const k of ['moderation_mode', 'flag_threshold', 'stats_k', 'stats_k_internal', 'strategy_adopted_on',
		'evaluation_first_months', 'evaluation_every_months', 'opendata_license', 'population_age']) {
		assert.ok(r.text.includes(`<label for="${k}">`), k);
		assert.ok(r.text.includes(`<p class="hint" id="${k}-hint">`), `${k} help`);
	}
	const current = (await json('GET', '/api/v1/admin/settings', undefined, as(admin.api))).json;
	const form = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, v === null ? '' : String(v)]));
	r = await post(admin, '/verwaltung/einstellungen', { ...form, stats_k: '2', flag_threshold: '7' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /<p class="error" id="stats_k-error">Bitte eine ganze Zahl von 3 bis 1000/);
	assert.match(r.text, /<input id="stats_k" name="stats_k" type="text" value="2"/, 'what was typed is kept');
	assert.match(r.text, /<a href="#stats_k">/);
	assert.equal(psql("SELECT value FROM settings WHERE key = 'flag_threshold'"), String(current.flag_threshold),
		'nothing half-written');
	const before = audit('admin.settings');
	r = await post(admin, '/verwaltung/einstellungen', { ...form, flag_threshold: '7' });
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), '/verwaltung/einstellungen?done=settings-saved&lang=de');
	assert.equal(psql("SELECT value FROM settings WHERE key = 'flag_threshold'"), '7');
	assert.equal(audit('admin.settings'), before + 1);
	r = await get(admin, r.headers.get('location'));
	assert.match(r.text, /id="done">Die Einstellungen sind gespeichert/);
	await post(admin, '/verwaltung/einstellungen', form);
});

test('criteria: a weight refused at its field, a name changed, the last active one kept (409)', async () => {
	let r = await get(admin, '/verwaltung/kriterien');
	assert.equal(r.status, 200, r.text);
	const c = psql('SELECT slug FROM criteria WHERE active ORDER BY position LIMIT 1');
	assert.ok(r.text.includes(`action="/verwaltung/kriterien/${c}?lang=de"`));
	r = await post(admin, `/verwaltung/kriterien/${c}`, { name_de: 'Bürgernutzen', name_en: 'Citizen benefit',
		weight: '0', position: '1', active: 'on' });
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes(`id="${c}-weight-error">Bitte eine Zahl über 0`));
	assert.ok(r.text.includes(`<a href="#${c}-weight">`));
	r = await post(admin, `/verwaltung/kriterien/${c}`, { name_de: 'Nutzen für alle', name_en: 'Benefit for all',
		weight: '2,5', position: '1', active: 'on' });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT name_de || ' ' || weight FROM criteria WHERE slug = '${c}'`), 'Nutzen für alle 2.50');
	// Retire all others, then the last: refused with the reason at the box.
	const others = psql(`SELECT string_agg(slug, ',') FROM criteria WHERE active AND slug <> '${c}'`);
	psql(`UPDATE criteria SET active = false WHERE slug <> '${c}'`);
	try {
		r = await post(admin, `/verwaltung/kriterien/${c}`, { name_de: 'Nutzen für alle', name_en: 'Benefit for all',
			weight: '2', position: '1' });
		assert.equal(r.status, 409, r.text);
		assert.ok(r.text.includes(`id="${c}-active-error">Mindestens ein Kriterium`));
		assert.equal(psql(`SELECT active FROM criteria WHERE slug = '${c}'`), 't');
	} finally {
		if (others) psql(`UPDATE criteria SET active = true WHERE slug = ANY (string_to_array('${others}', ','))`);
	}
});

test('taxonomy: a field renamed, a goal described, a district added, renamed and renumbered', async () => {
	let r = await get(admin, '/verwaltung/taxonomie');
	assert.equal(r.status, 200, r.text);
	const field = psql('SELECT slug FROM fields ORDER BY position LIMIT 1');
	const goal = psql('SELECT slug FROM goals ORDER BY position LIMIT 1');
	assert.ok(r.text.includes(`/verwaltung/taxonomie/felder/${field}?lang=de`));
	r = await get(admin, `/verwaltung/taxonomie/felder/${field}`);
	assert.equal(r.status, 200, r.text);
	const old = psql(`SELECT name_de FROM fields WHERE slug = '${field}'`);
	r = await post(admin, `/verwaltung/taxonomie/felder/${field}`, { name_de: '', name_en: 'X',
		description_de: 'Neu beschrieben.', description_en: 'Described anew.' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /<p class="error" id="name_de-error">/);
	assert.match(r.text, /<textarea id="description_de" name="description_de" rows="5"[^>]*>Neu beschrieben\.<\/textarea>/);
	r = await post(admin, `/verwaltung/taxonomie/felder/${field}`, { name_de: `${old} (neu)`, name_en: 'Renamed',
		description_de: 'Neu beschrieben.', description_en: 'Described anew.' });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT name_de FROM fields WHERE slug = '${field}'`), `${old} (neu)`);
	assert.ok(audit('field.update') >= 1);
	r = await post(admin, `/verwaltung/taxonomie/ziele/${goal}`, { name_de: 'Ziel eins', name_en: 'Goal one',
		description_de: 'Beschreibung des Ziels.', description_en: 'The goal described.' });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT description_en FROM goals WHERE slug = '${goal}'`), 'The goal described.');
	const slug = `bezirk-${Date.now() % 100000}`;
	r = await post(admin, '/verwaltung/taxonomie/bezirke', { slug: 'Nicht Gültig', name: 'Testbezirk', position: '' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /id="d-new-slug-error"/);
	assert.match(r.text, /value="Testbezirk"/);
	r = await post(admin, '/verwaltung/taxonomie/bezirke', { slug, name: 'Testbezirk', position: '' });
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), `/verwaltung/taxonomie/bezirke/${slug}?done=district-added&lang=de`);
	r = await get(admin, r.headers.get('location'));
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /id="done">Der Stadtbezirk ist angelegt/);
	assert.ok(r.text.includes('id="district-name" name="name" type="text" maxlength="120" value="Testbezirk"'));
	r = await get(admin, '/verwaltung/taxonomie');
	assert.ok(r.text.includes(`href="/verwaltung/taxonomie/bezirke/${slug}?lang=de">Bearbeiten`), 'linked from the table');
	const districts = (await json('GET', '/api/v1/districts')).json.districts;
	assert.ok(districts.some((d) => d.slug === slug && d.name === 'Testbezirk'), 'listed by the API');
	const taken = districts.find((d) => d.slug !== slug);
	const pos = psql(`SELECT position FROM districts WHERE slug = '${taken.slug}'`);
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${slug}`, { name: 'Testbezirk Süd', position: pos });
	assert.equal(r.status, 409, r.text);
	assert.ok(r.text.includes('id="district-position-error">Das hat schon ein anderer Stadtbezirk'));
	assert.ok(r.text.includes('value="Testbezirk Süd"'), 'what was typed kept');
	assert.match(r.text, /<h1>Stadtbezirk: Testbezirk</, 'the heading names it as stored');
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${slug}`, { name: 'Testbezirk Süd', position: '900' });
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), `/verwaltung/taxonomie/bezirke/${slug}?done=district-saved&lang=de`);
	assert.equal(psql(`SELECT name || ' ' || position FROM districts WHERE slug = '${slug}'`), 'Testbezirk Süd 900');
	assert.ok(audit('district.update') >= 1 && audit('district.create') >= 1);
});

test('categories: routed to another department and Handlungsfeld, a bad deadline kept at its field', async () => {
	let r = await get(admin, '/verwaltung/kategorien');
	assert.equal(r.status, 200, r.text);
	const code = psql('SELECT code FROM defect_categories ORDER BY position LIMIT 1');
	const dept = psql('SELECT slug FROM departments ORDER BY slug DESC LIMIT 1');
	const field = psql('SELECT slug FROM fields ORDER BY position DESC LIMIT 1');
	r = await get(admin, `/verwaltung/kategorien/${code}`);
	assert.equal(r.status, 200, r.text);
	const form = { name_de: 'Straßenschäden', name_en: 'Road damage', department: dept, field, ack_days: '3',
		resolve_days: '20', active: 'true' };
	r = await post(admin, `/verwaltung/kategorien/${code}`, { ...form, resolve_days: '999' });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /id="resolve_days-error">Bitte 1 bis 730 Tage/);
	assert.match(r.text, /value="999"/);
	r = await post(admin, `/verwaltung/kategorien/${code}`, form);
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT d.slug || ' ' || f.slug || ' ' || c.resolve_days FROM defect_categories c
		JOIN departments d ON d.id = c.department_id JOIN fields f ON f.id = c.field_id WHERE c.code = '${code}'`),
	`${dept} ${field} 20`);
	const api = await json('PUT', `/api/v1/admin/categories/${code}`, { field: 'kein-feld' },
		as(admin.api));
	assert.equal(api.status, 422, api.text);
	assert.equal(api.json.error.fields?.[0]?.field ?? api.json.fields?.[0]?.field ?? 'field', 'field');
});

test('Open311 keys: the key shown once with a warning, works, and is refused after its revocation', async () => {
	const stamp = async () => (await get(admin, '/verwaltung/open311')).text.match(/name="form_stamp" value="([^"]+)"/)[1];
	let r = await post(admin, '/verwaltung/open311', { name: '', form_stamp: await stamp() });
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /id="name-error"/);
	const once = await stamp();
	r = await post(admin, '/verwaltung/open311', { name: 'Partner-App der Tests', form_stamp: once });
	assert.equal(r.status, 200, r.text);
	const key = r.text.match(/<code class="secret">([^<]+)<\/code>/)[1];
	assert.match(r.text, /nur dieses eine Mal angezeigt/);
	assert.notEqual(r.text.match(/name="form_stamp" value="([^"]+)"/)[1], once, 'the page offers a fresh form');
	// The same form again (a double click, a reload): no second key.
	const count = () => Number(psql("SELECT count(*) FROM open311_keys WHERE name = 'Partner-App der Tests'"));
	const before = count();
	r = await post(admin, '/verwaltung/open311', { name: 'Partner-App der Tests', form_stamp: once });
	assert.equal(r.status, 409, r.text);
	assert.ok(!r.text.includes('<code class="secret">'), 'no key on the repeat');
	assert.match(r.text, /schon abgeschickt/);
	assert.equal(count(), before, 'nothing issued');
	// Without a stamp, or a forged one: refused, nothing issued.
	for (const bad of [undefined, '1.00', `${Math.floor(Date.now() / 1000)}.${'0'.repeat(32)}`]) {
		r = await post(admin, '/verwaltung/open311', { name: 'Partner-App der Tests',
			...(bad === undefined ? {} : { form_stamp: bad }) });
		assert.equal(r.status, 422, `${bad}: ${r.text}`);
	}
	assert.equal(count(), before);
	const list = await get(admin, '/verwaltung/open311');
	assert.ok(!list.text.includes(key), 'never shown again');
	const id = psql(`SELECT id FROM open311_keys WHERE name = 'Partner-App der Tests' ORDER BY id DESC LIMIT 1`);
	const report = (k) => req('/open311/v2/requests.json', { method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientIp() },
		body: new URLSearchParams({ api_key: k, service_code: 'strassenschaden', lat: '52.2689', long: '10.5211',
			description: 'Schlagloch, per Open311 gemeldet.' }).toString() });
	assert.equal((await report(key)).status, 200);
	r = await post(admin, `/verwaltung/open311/${id}/widerrufen`, {});
	assert.equal(r.status, 422, 'revoking needs the confirmation');
	assert.ok(r.text.includes(`id="key-${id}-confirm-error"`));
	r = await post(admin, `/verwaltung/open311/${id}/widerrufen`, { confirm: 'ja' });
	assert.equal(r.status, 303, r.text);
	r = await get(admin, r.headers.get('location'));
	assert.match(r.text, /id="done">Der Schlüssel ist widerrufen/);
	assert.equal((await report(key)).status, 403, 'a revoked key is refused');
});

test('districts: the official number kept and checked; a retired district is refused and offered again once reactivated', async () => {
	const districts = (await json('GET', '/api/v1/districts')).json.districts;
	const shipped = districts.filter((d) => d.active && d.number);
	assert.ok(shipped.length >= 2, 'districts with numbers');
	const [d, other] = shipped;
	// The overview lists each district with its number; its own page
	// holds the forms, the number form checked.
	let r = await get(admin, '/verwaltung/taxonomie');
	assert.ok(r.text.includes(`<tr><td>${d.number}</td><td>${d.name}</td>`), 'number listed');
	assert.ok(!r.text.includes('id="district-number"'), 'no district form on the overview');
	r = await get(admin, `/verwaltung/taxonomie/bezirke/${d.slug}?lang=en`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /<h1>District: /);
	r = await get(admin, `/verwaltung/taxonomie/bezirke/${d.slug}`);
	assert.ok(r.text.includes('id="district-number"') && r.text.includes(`value="${d.number}"`), 'number shown');
	assert.ok(r.text.includes(`action="/verwaltung/taxonomie/bezirke/${d.slug}/aktiv?lang=de"`), 'the retire form');
	const form = { name: d.name, number: 'zwölf', position: psql(`SELECT position FROM districts WHERE slug = '${d.slug}'`) };
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}`, form);
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('id="district-number-error">Bitte bis zu 6 Ziffern'), 'the reason at the field');
	assert.ok(r.text.includes('href="#district-number"'), 'the summary links to it');
	assert.match(r.text, /value="zwölf"/);
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}`, { ...form, number: other.number });
	assert.equal(r.status, 409, r.text);
	assert.ok(r.text.includes('id="district-number-error">Das hat schon ein anderer Stadtbezirk'));
	assert.equal(psql(`SELECT number FROM districts WHERE slug = '${d.slug}'`), d.number, 'unchanged');
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}`, { ...form, number: '999' });
	assert.equal(r.status, 303, r.text);
	assert.equal(psql(`SELECT number FROM districts WHERE slug = '${d.slug}'`), '999');
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}`, { ...form, number: d.number });
	assert.equal(r.status, 303, r.text);
	// Retiring needs the confirmation.
	r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}/aktiv`, { active: 'false' });
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('id="district-confirm-error"'));
	assert.ok(r.text.includes('href="#district-confirm"'), 'the summary links to the checkbox');
	assert.equal(psql(`SELECT active FROM districts WHERE slug = '${d.slug}'`), 't');
	const offered = async () => (await get(citizen, '/ideen/neu')).text.includes(`value="${d.slug}"`);
	assert.ok(await offered(), 'offered before');
	try {
		r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}/aktiv`, { active: 'false', confirm: 'ja' });
		assert.equal(r.status, 303, r.text);
		assert.equal(r.headers.get('location'), `/verwaltung/taxonomie/bezirke/${d.slug}?done=district-retired&lang=de`);
		r = await get(admin, r.headers.get('location'));
		assert.match(r.text, /id="done">Der Stadtbezirk ist stillgelegt/);
		assert.ok(r.text.includes(`<h1>Stadtbezirk: ${d.name} (${d.number}) – <span class="tag">stillgelegt</span>`),
			'marked as retired');
		assert.ok(r.text.includes('<input type="hidden" name="active" value="true">'), 'offered for reactivation');
		r = await get(admin, '/verwaltung/taxonomie');
		assert.ok(r.text.includes(`<tr><td>${d.number}</td><td>${d.name}</td><td><span class="tag">stillgelegt</span>`),
			'still listed, marked as retired');
		assert.ok(!(await offered()), 'no longer offered in /ideen/neu');
		const idea = await json('POST', '/api/v1/ideas', { title: 'Eine Idee im stillgelegten Bezirk',
			description: 'Eine ausführliche Beschreibung, warum diese Idee der Stadt hilft.', field: 'mobilitaet',
			district: d.slug }, as(citizen.api));
		assert.equal(idea.status, 422, idea.text);
		assert.ok(idea.text.includes('"district"'), 'the field named');
		const listed = (await json('GET', '/api/v1/districts')).json.districts.find((x) => x.slug === d.slug);
		assert.equal(listed.active, false, 'the API says so');
		r = await post(admin, `/verwaltung/taxonomie/bezirke/${d.slug}/aktiv`, { active: 'true', confirm: 'ja' });
		assert.equal(r.status, 303, r.text);
		assert.equal(r.headers.get('location'), `/verwaltung/taxonomie/bezirke/${d.slug}?done=district-reactivated&lang=de`);
		assert.ok(await offered(), 'offered again');
		assert.ok(audit('district.update') >= 3);
	} finally {
		psql(`UPDATE districts SET active = true WHERE slug = '${d.slug}'`);
	}
});

test('the page of a district: admins only, unknown slugs 404; the overview stays small with many districts', async () => {
	const d = (await json('GET', '/api/v1/districts')).json.districts[0];
	const path = `/verwaltung/taxonomie/bezirke/${d.slug}`;
	assert.equal((await get(admin, path)).status, 200);
	assert.equal((await get(citizen, path)).status, 403);
	const anon = await get(null, path);
	assert.equal(anon.status, 303);
	assert.match(anon.headers.get('location'), /^\/anmelden/);
	assert.equal((await get(admin, '/verwaltung/taxonomie/bezirke/gibt-es-nicht')).status, 404);
	// Forty more districts (retired afterwards with the other bezirk-*):
	// the overview lists them in a table, the forms stay on their pages.
	const stamp = Date.now() % 100000;
	for (let i = 0; i < 40; i++) {
		const r = await json('POST', '/api/v1/admin/districts', { slug: `bezirk-viele-${stamp}-${i}`,
			name: `Bezirk mit einem recht langen Namen Nummer ${i}` }, as(admin.api));
		assert.equal(r.status, 201, r.text);
	}
	const r = await get(admin, '/verwaltung/taxonomie');
	assert.equal(r.status, 200);
	const size = Buffer.byteLength(r.text);
	assert.ok(size < 50 * 1024, `the overview is ${size} bytes`);
	assert.ok(r.text.includes(`bezirk-viele-${stamp}-39?lang=de`), 'every district listed');
	assert.match(r.text, /<div class="table-scroll" role="region" tabindex="0" aria-label="[^"]+"><table/);
});

test('criteria: a new criterion from the form, its slug checked and never overwriting another', async () => {
	const taken = psql('SELECT slug FROM criteria ORDER BY position LIMIT 1');
	const slug = `neu-krit-${Date.now() % 100000}`;
	const form = { slug, name_de: 'Klimawirkung', name_en: 'Climate impact', weight: '2', position: '50', active: 'on' };
	let r = await post(admin, '/verwaltung/kriterien', { ...form, slug: 'Kein Kurzname' });
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('id="c-new-slug-error"'), r.text);
	assert.ok(r.text.includes('href="#c-new-slug"'));
	assert.match(r.text, /value="Klimawirkung"/);
	r = await post(admin, '/verwaltung/kriterien', { ...form, slug: taken });
	assert.equal(r.status, 409, r.text);
	assert.ok(r.text.includes('id="c-new-slug-error">Diesen Kurznamen gibt es schon'));
	assert.notEqual(psql(`SELECT name_de FROM criteria WHERE slug = '${taken}'`), 'Klimawirkung', 'not overwritten');
	r = await post(admin, '/verwaltung/kriterien', { ...form, weight: '0' });
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('id="c-new-weight-error"'));
	r = await post(admin, '/verwaltung/kriterien', form);
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), '/verwaltung/kriterien?done=criterion-added&lang=de');
	assert.equal(psql(`SELECT name_en || ' ' || weight || ' ' || active FROM criteria WHERE slug = '${slug}'`),
		'Climate impact 2.00 true');
	r = await get(admin, '/verwaltung/kriterien');
	assert.ok(r.text.includes(`id="${slug}-heading"`), 'listed with its own form');
	// The API keeps the slug in the path.
	r = await json('PUT', `/api/v1/admin/criteria/${slug}`, { slug: 'anders', name_de: 'A', name_en: 'B', weight: 1,
		position: 1 }, as(admin.api));
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('"slug"'));
	// Retired again, so the board's other tests score what they know.
	psql(`UPDATE criteria SET active = false WHERE slug = '${slug}'`);
});

test('the admin API: fields, goals and districts validated with the field named', async () => {
	const h = as(admin.api);
	const field = psql('SELECT slug FROM fields ORDER BY position LIMIT 1');
	let r = await json('PUT', `/api/v1/admin/fields/${field}`, { name_de: 'x'.repeat(121) }, h);
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('"name_de"'));
	r = await json('PUT', '/api/v1/admin/fields/kein-feld', { name_de: 'Neu' }, h);
	assert.equal(r.status, 404, r.text);
	r = await json('POST', '/api/v1/admin/districts', { name: 'Ohne Kurzname' }, h);
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('"slug"'));
	const slug = `api-bezirk-${Date.now() % 100000}`;
	r = await json('POST', '/api/v1/admin/districts', { slug, name: 'API-Bezirk' }, h);
	assert.equal(r.status, 201, r.text);
	r = await json('POST', '/api/v1/admin/districts', { slug, name: 'Noch einmal' }, h);
	assert.equal(r.status, 409, r.text);
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { slug: 'anders' }, h);
	assert.equal(r.status, 422, r.text);
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { name: 'API-Bezirk Nord' }, h);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.name, 'API-Bezirk Nord');
	// The official number: digits only, unique, "" takes it away.
	const number = (await json('GET', '/api/v1/districts')).json.districts.find((x) => x.number).number;
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { number: '12a' }, h);
	assert.equal(r.status, 422, r.text);
	assert.ok(r.text.includes('"number"'));
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { number: 130 }, h);
	assert.equal(r.status, 422, 'a JSON number is not a district number (leading zeros matter)');
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { number }, h);
	assert.equal(r.status, 409, r.text);
	assert.ok(r.text.includes('"number"'));
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { number: '987654', active: false }, h);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.number, '987654');
	assert.equal(r.json.active, false);
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { number: '' }, h);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.number, null);
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { active: 'nein' }, h);
	assert.equal(r.status, 422, r.text);
	r = await json('POST', '/api/v1/admin/districts', { slug: `${slug}-b`, name: 'Mit Nummer', number: '1234567' }, h);
	assert.equal(r.status, 422, r.text);
	r = await json('POST', '/api/v1/admin/districts', { slug: `${slug}-b`, name: 'Mit Nummer', number: '987655',
		active: false }, h);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.number, '987655');
	assert.equal(r.json.active, false);
	r = await json('PUT', `/api/v1/admin/districts/${slug}`, { name: 'x' }, as(citizen.api));
	assert.equal(r.status, 403);
});
