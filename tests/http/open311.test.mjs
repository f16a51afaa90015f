// Open311 GeoReport v2 at /open311/v2/: every endpoint in JSON and XML,
// the JSON against the schemas of open311/schema-validation
// (tests/open311/schema/), the XML well-formed (xmllint) and the same
// document as the JSON; API keys (403), the list's filters and limits.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { req, json, psql, accountWith, bearer, clientIp } from './lib.mjs';

const FORM = 'application/x-www-form-urlencoded';
const SCHEMA_DIR = new URL('../open311/schema/', import.meta.url);
const schema = (name) => JSON.parse(readFileSync(new URL(name, SCHEMA_DIR), 'utf8'));

// The schemas carry no $schema (draft 4 style) and keywords ajv's strict
// mode does not know (swagger's "format": "uid"): not strict.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('uid', true);
for (const f of ['service.json', 'services.json', 'service-definition.json', 'request.json', 'requests.json'])
	ajv.addSchema(schema(f), f);
ajv.addSchema(schema('swagger.json'), 'swagger.json');
const validators = {
	services: ajv.getSchema('services.json'),
	definition: ajv.getSchema('service-definition.json'),
	requests: ajv.getSchema('requests.json'),
	created: ajv.compile({ type: 'array', minItems: 1, items: { $ref: 'swagger.json#/definitions/RequestResponse' } }),
	token: ajv.compile({ type: 'array', minItems: 1, items: { $ref: 'swagger.json#/definitions/TokenResponse' } }),
};
// The spec's error array (the schema repository has none for it).
validators.errors = ajv.compile({ type: 'array', minItems: 1, items: { type: 'object',
	required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } } } });
validators.discovery = ajv.compile({ type: 'object', required: ['changeset', 'contact', 'endpoints'],
	properties: { changeset: { type: 'string', format: 'date-time' }, endpoints: { type: 'array', minItems: 1,
		items: { type: 'object', required: ['specification', 'url', 'changeset', 'type', 'formats'],
			properties: { formats: { type: 'array', items: { type: 'string' } } } } } } });

function valid(kind, doc) {
	const v = validators[kind];
	assert.ok(v(doc), `${kind}: ${JSON.stringify(v.errors, null, 1)}\n${JSON.stringify(doc).slice(0, 1500)}`);
}

// --- XML: well-formed by xmllint, then read into a tree ---------------------

function wellFormed(xml) {
	const r = spawnSync('xmllint', ['--noout', '--encode', 'utf-8', '-'], { input: xml, encoding: 'utf8' });
	assert.equal(r.status, 0, `xmllint: ${r.stderr}\n${xml.slice(0, 1000)}`);
	assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?>\n</);
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s) => s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_, e) =>
	e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
		: ENTITIES[e]);

// Our XML has elements and text only: { name, children } or { name, text }.
function parseXml(xml) {
	const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '').trim();
	let i = 0;
	function element() {
		const open = body.slice(i).match(/^<([A-Za-z_][\w.-]*)>/);
		assert.ok(open, `an element at ${i}: ${body.slice(i, i + 60)}`);
		i += open[0].length;
		const name = open[1];
		const children = [];
		let text = '';
		while (!body.startsWith('</', i)) {
			if (body[i] === '<') {
				children.push(element());
			} else {
				const end = body.indexOf('<', i);
				text += body.slice(i, end);
				i = end;
			}
		}
		const close = `</${name}>`;
		assert.ok(body.startsWith(close, i), `closes ${name}`);
		i += close.length;
		return children.length ? { name, children } : { name, text: unescape(text) };
	}
	const root = element();
	assert.equal(i, body.length, 'one root element');
	return root;
}

const SINGULAR = { service_requests: 'request', services: 'service', attributes: 'attribute', values: 'value',
	endpoints: 'endpoint', formats: 'format', errors: 'error' };

// The XML document must say what the JSON says, element for element.
function sameDocument(node, value, name = node.name) {
	assert.equal(node.name, name);
	if (Array.isArray(value) || (value && typeof value === 'object')) {
		const entries = Array.isArray(value) ? value.map((v) => [SINGULAR[name], v]) : Object.entries(value);
		const kids = node.children || [];
		assert.equal(kids.length, entries.length, `children of <${name}>`);
		entries.forEach(([k, v], n) => sameDocument(kids[n], v, k));
	} else if (typeof value === 'number') {
		assert.equal(Number(node.text), value, `<${name}>`);
	} else {
		assert.equal(node.text ?? '', value === null ? '' : String(value), `<${name}>`);
	}
}

// Both formats of a GET: the JSON checked by the schema, the XML by
// xmllint and against the JSON.
async function both(path, kind, root, status = 200) {
	const [base, query] = path.split('?');
	const q = query ? `?${query}` : '';
	const j = await req(`${base}.json${q}`);
	assert.equal(j.status, status, j.text.slice(0, 500));
	assert.match(j.headers.get('content-type'), /^application\/json/);
	valid(kind, j.json);
	const x = await req(`${base}.xml${q}`);
	assert.equal(x.status, status, x.text.slice(0, 500));
	assert.match(x.headers.get('content-type'), /^text\/xml; charset=utf-8/);
	wellFormed(x.text);
	sameDocument(parseXml(x.text), j.json, root);
	return { json: j.json, xml: x.text };
}

// --- keys and reports -------------------------------------------------------

let admin;
let key;
const ip = clientIp();

async function newKey(name) {
	const r = await json('POST', '/api/v1/admin/open311-keys', { name }, bearer(admin));
	assert.equal(r.status, 201, r.text);
	return r.json;
}

const post = (fields, { format = 'json', k = key } = {}) => req(`/open311/v2/requests.${format}`, {
	method: 'POST', headers: { 'content-type': FORM, 'x-forwarded-for': ip },
	body: new URLSearchParams({ ...(k ? { api_key: k } : {}), ...fields }).toString() });

const POINT = { lat: '52.2689', long: '10.5211' };

async function report(fields = {}) {
	const r = await post({ service_code: 'strassenschaden', ...POINT, description: 'Ein Schlagloch.', ...fields });
	assert.equal(r.status, 200, r.text);
	return r.json[0];
}

test.before(async () => {
	admin = await accountWith(['admin']);
	key = (await newKey('Test-App')).key;
});

test('discovery', async () => {
	const { json: d } = await both('/open311/v2/discovery', 'discovery', 'discovery');
	const e = d.endpoints[0];
	assert.equal(e.specification, 'http://wiki.open311.org/GeoReport_v2');
	assert.match(e.url, /\/open311\/v2$/);
	assert.equal(e.type, 'production');
	assert.deepEqual(e.formats, ['text/xml', 'application/json']);
});

test('services: every active category, German by default', async () => {
	const { json: s, xml } = await both('/open311/v2/services', 'services', 'services');
	const active = psql('SELECT count(*) FROM defect_categories WHERE active');
	assert.equal(s.length, Number(active));
	const road = s.find((x) => x.service_code === 'strassenschaden');
	assert.equal(road.service_name, 'Straßenschaden');
	assert.equal(road.metadata, true);
	assert.equal(road.type, 'realtime');
	assert.ok(road.group && road.keywords.includes(','));
	assert.equal(s.find((x) => x.service_code === 'graffiti')?.metadata ?? false, false);
	assert.ok(xml.includes('<service_name>Straßenschaden</service_name>'), 'UTF-8 in the XML');
	const en = await req('/open311/v2/services.json?lang=en');
	assert.equal(en.json.find((x) => x.service_code === 'strassenschaden').service_name, 'Road damage');
	const al = await req('/open311/v2/services.json', { headers: { 'accept-language': 'en' } });
	assert.equal(al.json.find((x) => x.service_code === 'strassenschaden').service_name, 'Road damage');
});

test('services/{code}: the definition with its attributes', async () => {
	const { json: d } = await both('/open311/v2/services/strassenschaden', 'definition', 'service_definition');
	assert.equal(d.service_code, 'strassenschaden');
	assert.deepEqual(d.attributes.map((a) => [a.code, a.datatype, a.order]), [['depth', 'number', 1],
		['size', 'singlevaluelist', 2]]);
	assert.equal(d.attributes[0].variable, true);
	assert.deepEqual(d.attributes[1].values.map((v) => v.key), ['small', 'medium', 'large']);
	const none = await both('/open311/v2/services/graffiti', 'definition', 'service_definition');
	assert.deepEqual(none.json.attributes, []);
	const missing = await both('/open311/v2/services/gibt-es-nicht', 'errors', 'errors', 404);
	assert.equal(missing.json[0].code, 404);
	assert.equal((await req('/open311/v2/services/strassenschaden.html')).status, 404);
});

test('admin keys: shown once, listed without the key, revoked; no Idempotency-Key', async () => {
	const k = await newKey('Zweite App');
	assert.match(k.key, /^[A-Za-z0-9_-]{43}$/);
	assert.equal(k.name, 'Zweite App');
	assert.equal(k.revoked_at, null);
	const list = await req('/api/v1/admin/open311-keys', { headers: bearer(admin) });
	assert.equal(list.status, 200);
	const row = list.json.keys.find((x) => x.id === k.id);
	assert.deepEqual(Object.keys(row).sort(), ['created_at', 'id', 'last_used_at', 'name', 'revoked_at']);
	assert.ok(!list.text.includes(k.key), 'the key is never listed');
	assert.equal(psql(`SELECT count(*) FROM open311_keys WHERE id = ${k.id} AND key_hash <> convert_to('${k.key}', 'UTF8')`), '1');
	const idem = await json('POST', '/api/v1/admin/open311-keys', { name: 'x' },
		{ ...bearer(admin), 'idempotency-key': 'open311-key-1' });
	assert.equal(idem.status, 422, idem.text);
	assert.equal((await json('POST', '/api/v1/admin/open311-keys', { name: '' }, bearer(admin))).status, 422);
	await report({ api_key: k.key });
	assert.notEqual(psql(`SELECT last_used_at FROM open311_keys WHERE id = ${k.id}`), '');
	const del = await req(`/api/v1/admin/open311-keys/${k.id}`, { method: 'DELETE', headers: bearer(admin) });
	assert.equal(del.status, 200, del.text);
	assert.ok(del.json.revoked_at);
	assert.equal((await req('/api/v1/admin/open311-keys/999999999', { method: 'DELETE',
		headers: bearer(admin) })).status, 404);
	assert.equal(psql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_log
		WHERE target_kind = 'open311_key' AND target_id = ${k.id}`), 'open311_key.create,open311_key.revoke');
	// A revoked key: 403, in either format.
	for (const format of ['json', 'xml']) {
		const r = await post({ service_code: 'strassenschaden', ...POINT }, { format, k: k.key });
		assert.equal(r.status, 403, r.text);
		if (format === 'json') valid('errors', r.json);
		else wellFormed(r.text);
		assert.match(r.text, /revoked/);
	}
});

test('mitwirken-admin --open311-key issues a working key', async () => {
	const r = spawnSync(process.env.ADMIN_BIN, ['--open311-key', 'Aus der Shell'], { encoding: 'utf8',
		env: process.env });
	assert.equal(r.status, 0, r.stderr);
	const k = r.stdout.match(/^  ([A-Za-z0-9_-]{43})$/m)?.[1];
	assert.ok(k, r.stdout);
	await report({ api_key: k });
	assert.equal(psql("SELECT count(*) FROM open311_keys WHERE name = 'Aus der Shell' AND last_used_at IS NOT NULL"),
		'1');
});

test('POST requests: 403 without a key or with an unknown one', async () => {
	for (const k of [null, 'kein-schluessel', 'A'.repeat(43)]) {
		const r = await post({ service_code: 'strassenschaden', ...POINT }, { k });
		assert.equal(r.status, 403, r.text);
		valid('errors', r.json);
		assert.equal(r.json[0].code, 403);
	}
	const x = await post({ service_code: 'strassenschaden', ...POINT }, { format: 'xml', k: null });
	assert.equal(x.status, 403);
	wellFormed(x.text);
	sameDocument(parseXml(x.text), [{ code: 403, description: 'api_key is required' }], 'errors');
});

test('POST requests: 400 naming what is wrong', async () => {
	const cases = [
		[{ ...POINT }, /service_code: required/],
		[{ service_code: 'gibt-es-nicht', ...POINT }, /service_code: is not a service/],
		[{ service_code: 'strassenschaden', lat: '48.137', long: '11.575' }, /lat: the point lies outside/],
		[{ service_code: 'strassenschaden' }, /lat: a location is required/],
		[{ service_code: 'strassenschaden', ...POINT, description: 'x'.repeat(4001) },
			/description: must be 0 to 4000 characters long/],
		[{ service_code: 'strassenschaden', ...POINT, farbe: 'rot' }, /farbe: unknown parameter/],
		[{ service_code: 'strassenschaden', ...POINT, 'attribute[depth]': 'tief' }, /attribute\[depth\] must be a number/],
		[{ service_code: 'strassenschaden', ...POINT, 'attribute[size]': 'riesig' }, /attribute\[size\] is not one of/],
		[{ service_code: 'strassenschaden', ...POINT, 'attribute[farbe]': 'rot' }, /attribute\[farbe\] is not asked/],
		[{ service_code: 'strassenschaden', ...POINT, media_url: 'file:///etc/passwd' }, /media_url/],
		[{ service_code: 'strassenschaden', ...POINT, email: 'keine-adresse' }, /email/],
	];
	for (const [fields, why] of cases) {
		const r = await post(fields);
		assert.equal(r.status, 400, `${JSON.stringify(fields).slice(0, 100)}: ${r.text}`);
		valid('errors', r.json);
		assert.match(r.json[0].description, why);
	}
	const x = await post({ service_code: 'strassenschaden' }, { format: 'xml' });
	assert.equal(x.status, 400);
	wellFormed(x.text);
	assert.match(x.text, /<errors><error><code>400<\/code><description>lat: a location is required/);
	// The wrong Content-Type: still the spec's array.
	const j = await req('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: '{}' });
	assert.equal(j.status, 415);
	valid('errors', j.json);
});

test('POST requests: created, personal fields sealed and never shown', async () => {
	const r = await post({ service_code: 'strassenschaden', ...POINT, description: 'Loch <b>&"\'</b> am Kreisel ä',
		'attribute[depth]': '12', 'attribute[size]': 'large', email: 'melder@example.org', first_name: 'Erika',
		last_name: 'Mustermann', phone: '0531 4711', device_id: 'geraet-1', account_id: 'konto-1',
		media_url: 'https://example.org/foto.jpg', jurisdiction_id: 'braunschweig.de' });
	assert.equal(r.status, 200, r.text);
	valid('created', r.json);
	const { service_request_id: id, token } = r.json[0];
	assert.match(id, /^\d+$/);
	assert.ok(token);
	assert.ok(r.json[0].service_notice);
	const row = psql(`SELECT channel, api_key_id IS NOT NULL, reporter_id IS NULL, contact_ct IS NOT NULL,
		email_ct IS NOT NULL, attributes::text, media_url FROM defect_reports WHERE id = ${id}`);
	assert.equal(row, 'open311|t|t|t|t|{"size": "large", "depth": 12}|https://example.org/foto.jpg');
	const secret = psql(`SELECT encode(contact_ct, 'escape') FROM defect_reports WHERE id = ${id}`);
	assert.ok(!secret.includes('Erika'), 'the contact is sealed');
	// Published, the text shows; escaped in the XML.
	psql(`UPDATE defect_reports SET state = 'published' WHERE id = ${id}`);
	const one = await both(`/open311/v2/requests/${id}`, 'requests', 'service_requests');
	assert.equal(one.json.length, 1);
	const got = one.json[0];
	assert.equal(got.description, 'Loch <b>&"\'</b> am Kreisel ä');
	assert.ok(one.xml.includes('<description>Loch &lt;b&gt;&amp;&quot;&apos;&lt;/b&gt; am Kreisel ä</description>'));
	assert.equal(got.status, 'open');
	assert.equal(got.service_code, 'strassenschaden');
	assert.equal(got.lat, 52.2689);
	assert.equal(got.long, 10.5211);
	assert.equal(got.media_url, null, 'the client\'s media_url is not passed on');
	for (const text of [one.xml, JSON.stringify(one.json), (await req('/open311/v2/requests.json')).text]) {
		for (const personal of ['Erika', 'Mustermann', '4711', 'melder@example.org', 'geraet-1', 'konto-1'])
			assert.ok(!text.includes(personal), `${personal} never shown`);
	}
	// Tokens lead to the id.
	const t = await both(`/open311/v2/tokens/${token}`, 'token', 'service_requests');
	assert.deepEqual(t.json, [{ service_request_id: id, token }]);
	await both('/open311/v2/tokens/gibt-es-nicht', 'errors', 'errors', 404);
	await both('/open311/v2/requests/999999999', 'errors', 'errors', 404);
	assert.equal((await req('/open311/v2/requests/abc.json')).status, 404);
	// An address instead of a point; an XML answer to a POST.
	const x = await post({ service_code: 'graffiti', address_string: 'Bohlweg 1, 38100 Braunschweig' },
		{ format: 'xml' });
	assert.equal(x.status, 200, x.text);
	wellFormed(x.text);
	assert.match(x.text, /^<\?xml[^>]*\?>\n<service_requests><request><service_request_id>\d+<\/service_request_id><token>/);
});

test('GET requests: unpublished text withheld, statuses mapped with notes', async () => {
	const a = await report({ description: 'Noch nicht moderiert.' });
	const b = await report();
	psql(`UPDATE defect_reports SET status = 'resolved', closed_at = now(), state = 'published'
		WHERE id = ${b.service_request_id}`);
	psql(`INSERT INTO defect_history (report_id, status, department_id, note, actor_kind)
		SELECT id, 'resolved', department_id, 'Das Loch ist verfüllt.', 'staff' FROM defect_reports
		WHERE id = ${b.service_request_id}`);
	psql(`UPDATE defect_reports SET status = 'in_progress' WHERE id = ${a.service_request_id}`);
	const { json: list } = await both(`/open311/v2/requests?service_request_id=${a.service_request_id},${b.service_request_id}`,
		'requests', 'service_requests');
	const byId = Object.fromEntries(list.map((x) => [x.service_request_id, x]));
	assert.equal(byId[a.service_request_id].description, null);
	assert.equal(byId[a.service_request_id].status, 'open');
	assert.equal(byId[b.service_request_id].status, 'closed');
	assert.equal(byId[b.service_request_id].status_notes, 'Das Loch ist verfüllt.');
	const closed = (await req('/open311/v2/requests.json?status=closed')).json;
	assert.ok(closed.every((x) => x.status === 'closed') && closed.some((x) => x.service_request_id === b.service_request_id));
	const open = (await req('/open311/v2/requests.json?status=open&service_code=strassenschaden')).json;
	assert.ok(open.every((x) => x.status === 'open' && x.service_code === 'strassenschaden'));
	assert.ok(open.some((x) => x.service_request_id === a.service_request_id));
});

test('GET requests: the 90-day window, date filters and 400s', async () => {
	const old = await report({ description: 'Alt.' });
	psql(`UPDATE defect_reports SET created_at = '2026-01-10T12:00:00Z' WHERE id = ${old.service_request_id}`);
	const ids = (r) => r.json.map((x) => x.service_request_id);
	assert.ok(!ids(await req('/open311/v2/requests.json')).includes(old.service_request_id), 'older than 90 days');
	const within = await both('/open311/v2/requests?start_date=2026-01-10T00:00:00Z&end_date=2026-01-11T00:00:00%2B01:00',
		'requests', 'service_requests');
	assert.deepEqual(within.json.map((x) => x.service_request_id), [old.service_request_id]);
	assert.equal(within.json[0].requested_datetime, '2026-01-10T12:00:00Z');
	assert.deepEqual(ids(await req('/open311/v2/requests.json?start_date=2026-01-10')), [old.service_request_id]);
	assert.deepEqual(ids(await req('/open311/v2/requests.json?end_date=2026-01-10T12:00:01Z')), [old.service_request_id]);
	assert.deepEqual(ids(await req('/open311/v2/requests.json?start_date=2026-01-10T12:00:01Z&end_date=2026-01-11')), []);
	for (const [q, why] of [['start_date=2026-01-01&end_date=2026-05-01', /end_date: the range may not span more than 90 days/],
		['start_date=2026-02-01&end_date=2026-01-01', /end_date: is before start_date/],
		['start_date=gestern', /start_date: must be an ISO 8601/],
		['end_date=2026-01-10T12:00:00', /end_date: must be an ISO 8601/],
		['status=pending', /status: must be open, closed/],
		['service_code=A%20B', /service_code: must be service codes/],
		['page_size=1001', /page_size/],
		['page=0', /page/],
		['farbe=rot', /farbe: unknown parameter/]]) {
		const r = await req(`/open311/v2/requests.json?${q}`);
		assert.equal(r.status, 400, `${q}: ${r.text}`);
		valid('errors', r.json);
		assert.match(r.json[0].description, why, q);
		const x = await req(`/open311/v2/requests.xml?${q}`);
		assert.equal(x.status, 400);
		wellFormed(x.text);
	}
});

test('GET requests: at most 1000 per page, newest first, page by page', async () => {
	psql(`INSERT INTO defect_reports (category_id, department_id, channel, status_nonce, status_hash,
		open311_token, lat, lon, description, created_at)
		SELECT 3, c.department_id, 'open311', decode(md5('t' || g), 'hex'), sha256(('test-' || g)::bytea),
			'test-' || g, 52.25, 10.52, 'Viel Müll ' || g, now() - g * interval '1 second'
		FROM generate_series(1, 1005) g JOIN defect_categories c ON c.id = 3`);
	const all = await req('/open311/v2/requests.json?service_code=illegale-muellablagerung');
	assert.equal(all.status, 200);
	assert.equal(all.json.length, 1000, 'the spec\'s maximum');
	valid('requests', all.json);
	const times = all.json.map((x) => x.requested_datetime);
	assert.deepEqual([...times].sort().reverse(), times, 'newest first');
	const p2 = await req('/open311/v2/requests.json?service_code=illegale-muellablagerung&page=2');
	assert.ok(p2.json.length >= 5);
	assert.ok(!p2.json.some((x) => all.json.some((y) => y.service_request_id === x.service_request_id)));
	const small = await both('/open311/v2/requests?service_code=illegale-muellablagerung&page_size=2&page=3',
		'requests', 'service_requests');
	assert.deepEqual(small.json.map((x) => x.service_request_id), all.json.slice(4, 6).map((x) => x.service_request_id));
	const xml = await req('/open311/v2/requests.xml?service_code=illegale-muellablagerung');
	wellFormed(xml.text);
	assert.equal(xml.text.match(/<request>/g).length, 1000);
});

test('Open311 errors from the dispatcher come in the spec\'s format too', async () => {
	const nf = await req('/open311/v2/nichts.json');
	assert.equal(nf.status, 404);
	valid('errors', nf.json);
	const nfx = await req('/open311/v2/nichts.xml');
	assert.equal(nfx.status, 404);
	wellFormed(nfx.text);
	const m = await req('/open311/v2/services.json', { method: 'DELETE' });
	assert.equal(m.status, 405);
	valid('errors', m.json);
});
