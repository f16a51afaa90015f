// The taxonomy slice: fields of action, goals, districts, categories.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, expectError } from './lib.mjs';

const FIELDS = ['Bauen und Wohnen', 'Bildung und Forschung', 'Digitale Infrastruktur', 'Energie',
	'Gesundheit und Soziales', 'Gesellschaft und Kultur', 'Mobilität', 'Umwelt und Klimaschutz',
	'Verwaltung', 'Wirtschaft und Tourismus'];

const CATEGORIES = ['Straßenschaden', 'Straßenbeleuchtung', 'Illegale Müllablagerung', 'Verschmutzung',
	'Grünanlagen und Bäume', 'Spielplatz', 'Verkehrszeichen und Ampeln', 'Radweg', 'Graffiti', 'Sonstiges'];

test('GET /api/v1/fields lists the ten Handlungsfelder in order, in German and English', async () => {
	const r = await req('/api/v1/fields');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8/);
	assert.deepEqual(r.json.fields.map((f) => f.name.de), FIELDS);
	for (const f of r.json.fields) {
		assert.match(f.slug, /^[a-z0-9-]+$/);
		assert.ok(f.name.en.length > 2 && f.description.de.length > 20 && f.description.en.length > 20);
	}
});

test('GET /api/v1/fields/{slug}: one field, unknown → 404, impossible slug → 404', async () => {
	const r = await req('/api/v1/fields/mobilitaet');
	assert.equal(r.status, 200);
	assert.equal(r.json.name.de, 'Mobilität');
	expectError(await req('/api/v1/fields/gibt-es-nicht'), 404, 'not_found');
	expectError(await req('/api/v1/fields/GROSS'), 404, 'not_found');
	expectError(await req('/api/v1/fields/%00'), 404, 'not_found');
});

test('GET /api/v1/goals: nine goals in three groups', async () => {
	const r = await req('/api/v1/goals');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.groups.map((g) => g.name.de), ['Anspruch', 'Rolle', 'Ausrichtung']);
	assert.deepEqual(r.json.groups.map((g) => g.goals.length), [3, 3, 3]);
	assert.equal(r.json.groups[0].goals[0].name.de, 'Städtische Ziele umsetzen');
	assert.equal(r.json.groups[2].goals[2].name.de, 'Den Forschungsstandort Braunschweig stärken');
});

// Braunschweig's twelve Stadtbezirke in force since 1 November 2021
// (braunschweig.de, "Stadtbezirksräte"), with their official numbers.
const DISTRICTS = [['111', 'Hondelage-Volkmarode'], ['112', 'Wabe-Schunter-Beberbach'],
	['120', 'Östliches Ringgebiet'], ['130', 'Mitte'], ['211', 'Braunschweig-Süd'],
	['212', 'Südstadt-Rautheim-Mascherode'], ['221', 'Weststadt'], ['222', 'Südwest'],
	['310', 'Westliches Ringgebiet'], ['321', 'Lehndorf-Watenbüttel'],
	['322', 'Nördliche Schunter-/Okeraue'], ['330', 'Nordstadt-Schunteraue']];

test('GET /api/v1/districts: the twelve Stadtbezirke in their order, no demo entries', async () => {
	const r = await req('/api/v1/districts');
	assert.equal(r.status, 200);
	const active = r.json.districts.filter((d) => d.active);
	assert.deepEqual(active.map((d) => [d.number, d.name]), DISTRICTS);
	for (const d of active) {
		assert.equal(d.is_demo, false);
		assert.match(d.slug, /^[a-z0-9-]+$/);
	}
	assert.ok(!r.json.districts.some((d) => d.is_demo), 'a fresh install has no demo district');
});

test('GET /api/v1/categories: ten categories, each routed to a department; filter', async () => {
	const r = await req('/api/v1/categories');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.categories.map((c) => c.name.de), CATEGORIES);
	for (const c of r.json.categories) assert.match(c.department.slug, /^[a-z0-9-]+$/);
	const dept = r.json.categories[0].department.slug;
	const f = await req(`/api/v1/categories?department=${dept}`);
	assert.equal(f.status, 200);
	assert.ok(f.json.categories.length >= 1 && f.json.categories.length < 10);
	for (const c of f.json.categories) assert.equal(c.department.slug, dept);
	const none = await req('/api/v1/categories?department=no-such-dept');
	assert.deepEqual(none.json.categories, []);
});

test('bad parameters are reported by name, never silently dropped', async () => {
	let e = expectError(await req('/api/v1/categories?department=Not%20A%20Slug'), 422, 'validation_failed');
	assert.match(e.fields.department, /a-z/);
	e = expectError(await req('/api/v1/categories?departmnt=tiefbau'), 422, 'validation_failed');
	assert.equal(e.fields.departmnt, 'unknown parameter');
	e = expectError(await req('/api/v1/fields?limit=5'), 422);
	assert.equal(e.fields.limit, 'unknown parameter');
	e = expectError(await req('/api/v1/categories?department=a&department=b'), 400, 'malformed_query');
	assert.ok(e.fields.department);
	expectError(await req('/api/v1/categories?department=%E0%A4'), 400, 'malformed_query');
});
