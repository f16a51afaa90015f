// Defect photos over HTTP: sent with the report as multipart/form-data,
// checked by content before decoding, stored re-encoded without metadata
// (read back with exiftool, not with the code under test), public only
// after moderation, blurred or removed by a moderator, and served so no
// browser takes them for anything but a JPEG.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BASE, req, json, psql, member, as, clientIp, expectError } from './lib.mjs';
import { jpeg, exifJpeg, png, pngAlpha, polyglotZip, polyglotHtml, polyglotPngHtml, pngThatIsHtml,
	floodPng, floodJpeg, deflateBombPng, truncatedJpeg, truncatedPng, gif, webp, svg, oversizeJpeg,
	photoForm, exifFields, privateTags } from './images.mjs';

let mod, tiefbau, citizen;

test.before(async () => {
	mod = await member(['moderator']);
	tiefbau = await member(['staff'], 'tiefbau-und-verkehr');
	citizen = await member();
});

const FIELDS = { category: 'strassenschaden', lat: '52,2645', lon: '10,5236',
	description: 'Ein Schlagloch mit Foto aus dem Test.' };

// A form body without a session is believed from this site's own pages
// (Origin), as a browser sends it; see README "Login CSRF".
const anon = () => ({ 'x-forwarded-for': clientIp(), origin: new URL(BASE).origin });
const send = (files, headers = anon(), fields = FIELDS) =>
	req('/api/v1/defects', { method: 'POST', headers, body: photoForm(fields, files) });

async function reportWith(files, headers) {
	const r = await send(files, headers);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

const photoOf = (id, n = 1, headers = {}, query = '') =>
	req(`/api/v1/defects/${id}/photos/${n}${query}`, { headers });
const bytesOf = async (id, n, headers, query) => {
	const res = await fetch(`${process.env.BASE_URL}/api/v1/defects/${id}/photos/${n}${query || ''}`, { headers });
	assert.equal(res.status, 200);
	return Buffer.from(await res.arrayBuffer());
};
const photoRow = (id) => psql(`SELECT id FROM defect_photos WHERE report_id = ${id} ORDER BY position`).split('\n');

test('a photo with EXIF, GPS, XMP and a comment is stored without any of them, turned upright', async () => {
	const original = exifJpeg(6);
	assert.ok(privateTags(original).some((t) => /GPS/.test(t)), 'the fixture carries GPS tags');
	const r = await reportWith([['photos', original, 'IMG_0001.JPG']]);
	const p = r.defect.photos[0];
	assert.equal(p.state, 'pending');
	const stored = await bytesOf(r.defect.id, 1, as(tiefbau));
	assert.deepEqual(privateTags(stored), [], 'no private tag left');
	const tags = exifFields(stored);
	assert.equal(tags['File:FileType'], 'JPEG');
	// Orientation 6: the 64×48 original is stored upright as 48×64.
	assert.equal(tags['File:ImageWidth'], 48);
	assert.equal(tags['File:ImageHeight'], 64);
	assert.equal(p.width, 48);
	for (const needle of ['Exif\0\0', 'GPS', 'http://ns.adobe.com/xap']) assert.ok(!stored.includes(needle), needle);
	const thumb = await bytesOf(r.defect.id, 1, as(tiefbau), '?size=thumb');
	assert.deepEqual(privateTags(thumb), []);
});

test('up to three photos, JPEG and PNG (with alpha), each with a thumbnail', async () => {
	const r = await reportWith([['photos', jpeg()], ['photos', png(), 'a.png'], ['photos', pngAlpha(), 'b.png']]);
	assert.deepEqual(r.defect.photos.map((p) => p.position), [1, 2, 3]);
	for (const n of [1, 2, 3]) {
		const b = await bytesOf(r.defect.id, n, as(tiefbau));
		assert.equal(b[0], 0xff);
		assert.equal(b[1], 0xd8, 'every photo is stored as JPEG');
	}
	assert.equal(r.defect.photos[0].thumb_width, 320);
});

test('polyglots keep nothing of their payload', async () => {
	for (const [name, buf, needle] of [['zip', polyglotZip(), 'PK\x03\x04'], ['html', polyglotHtml(), '<script'],
		['png+html', polyglotPngHtml(), '<script']]) {
		const r = await reportWith([['photos', buf, `x.${name}`]]);
		const stored = await bytesOf(r.defect.id, 1, as(tiefbau));
		assert.ok(!stored.includes(needle), `${name}: the payload is gone`);
	}
});

for (const [name, make, status] of [
	['an HTML file with a PNG signature', pngThatIsHtml, 422],
	['a GIF', gif, 415],
	['a WebP', webp, 415],
	['an SVG', svg, 415],
	['a 30000×30000 PNG header (pixel flood)', () => floodPng(), 422],
	['a 30000×30000 JPEG header (pixel flood)', () => floodJpeg(), 422],
	['a deflate bomb of zeros', () => deflateBombPng(8000, 8000), 422],
	['a truncated JPEG', truncatedJpeg, 422],
	['a truncated PNG', truncatedPng, 422],
	['a photo over 10 MB', () => oversizeJpeg(), 413],
]) {
	test(`refused: ${name} (${status} naming the field, nothing stored)`, async () => {
		const before = psql('SELECT count(*) FROM defect_reports');
		const r = await send([['photos', make(), 'photo.jpg']]);
		expectError(r, status);
		assert.ok(r.json.error.fields.photos, r.text);
		assert.equal(psql('SELECT count(*) FROM defect_reports'), before);
	});
}

test('four photos are one too many; a bad text field refuses the photos too', async () => {
	const before = psql('SELECT count(*) FROM defect_photos');
	expectError(await send([['photos', jpeg()], ['photos', jpeg()], ['photos', jpeg()], ['photos', jpeg()]]), 422);
	expectError(await send([['photos', jpeg()]], anon(), { ...FIELDS, category: 'ufo' }), 422);
	// From another site's page: refused before anything is read.
	expectError(await send([['photos', jpeg()]], { ...anon(), origin: 'https://evil.example' }), 403);
	assert.equal(psql('SELECT count(*) FROM defect_photos'), before);
});

test('public only after moderation; the reporter sees it by the status link; safe headers', async () => {
	const r = await reportWith([['photos', jpeg()]]);
	const id = r.defect.id;
	assert.equal((await photoOf(id)).status, 404, 'not public before moderation');
	assert.equal((await photoOf(id, 1, as(citizen))).status, 404);
	assert.equal((await photoOf(id, 1, {}, `?token=${r.status_token}`)).status, 200, 'the reporter by token');
	assert.equal((await req(`/api/v1/defects/${id}`)).json.photos.length, 0, 'not listed publicly');
	const [photo] = photoRow(id);
	const d = await json('POST', `/api/v1/moderation/defect-photos/${photo}`, { decision: 'publish' }, as(mod));
	assert.equal(d.status, 200, d.text);
	const pub = await photoOf(id);
	assert.equal(pub.status, 200);
	assert.equal(pub.headers.get('content-type'), 'image/jpeg');
	assert.equal(pub.headers.get('x-content-type-options'), 'nosniff');
	assert.match(pub.headers.get('content-disposition'), /^inline; filename="maengel-\d+-1\.jpg"$/);
	assert.match(pub.headers.get('content-security-policy'), /default-src 'none'/);
	assert.equal((await req(`/api/v1/defects/${id}`)).json.photos.length, 1);
	assert.equal(psql(`SELECT count(*) FROM audit_log WHERE action = 'moderation.photo_publish'
		AND target_id = ${photo}`), '1');
});

test('a moderator blurs an area (only there) and removes a photo', async () => {
	const r = await reportWith([['photos', jpeg({ width: 400, height: 300, pattern: 'noise' })]]);
	const id = r.defect.id;
	const [photo] = photoRow(id);
	const before = await bytesOf(id, 1, as(mod));
	const area = { x: 0.5, y: 0.5, w: 0.25, h: 0.25 };
	expectError(await json('POST', `/api/v1/moderation/defect-photos/${photo}`,
		{ decision: 'blur', areas: [{ x: 0.9, y: 0.9, w: 0.5, h: 0.5 }] }, as(mod)), 422);
	expectError(await json('POST', `/api/v1/moderation/defect-photos/${photo}`, { decision: 'blur' }, as(mod)), 422);
	const b = await json('POST', `/api/v1/moderation/defect-photos/${photo}`, { decision: 'blur', areas: [area] }, as(mod));
	assert.equal(b.status, 200, b.text);
	assert.equal(b.json.blurred, true);
	const after = await bytesOf(id, 1, as(mod));
	assert.notDeepEqual(after, before);
	assert.deepEqual(privateTags(after), []);
	assert.equal(psql(`SELECT blurred AND state = 'pending' FROM defect_photos WHERE id = ${photo}`), 't');
	assert.equal(psql(`SELECT detail->'areas'->0->>'w' FROM audit_log WHERE action = 'moderation.photo_blur'
		AND target_id = ${photo}`), '0.25');
	// Blurring as a form: percent.
	const f = await req(`/api/v1/moderation/defect-photos/${photo}`, { method: 'POST',
		headers: { ...as(mod), 'content-type': 'application/x-www-form-urlencoded' },
		body: 'decision=blur&x=10&y=10&w=20&h=20' });
	assert.equal(f.status, 200, f.text);
	expectError(await json('POST', `/api/v1/moderation/defect-photos/${photo}`, { decision: 'blur', areas: [area] },
		as(tiefbau)), 403);
	const x = await json('POST', `/api/v1/moderation/defect-photos/${photo}`, { decision: 'remove' }, as(mod));
	assert.equal(x.status, 200, x.text);
	assert.equal(psql(`SELECT image IS NULL AND thumb IS NULL FROM defect_photos WHERE id = ${photo}`), 't');
	assert.equal((await photoOf(id, 1, as(mod))).status, 404);
	assert.equal((await json('POST', `/api/v1/moderation/defect-photos/${photo}`, { decision: 'publish' }, as(mod))).status, 404);
});
