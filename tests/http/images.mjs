// Photo fixtures for the HTTP tests and the benchmark: deterministic and
// fast, made by build/imagegen (the unit tests' own generator,
// tests/unit/images.c) and, for metadata, by exiftool, the reference
// reader and writer.  Every function returns a Buffer; results are cached.
// exifFields(buffer) reads a photo's tags with exiftool, so a test can
// assert that no GPS or EXIF tag survived without trusting our code.
//
// The image "quad" is red top left, green top right, blue bottom left,
// white bottom right: where a corner lands shows a rotation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IMAGEGEN = process.env.IMAGEGEN_BIN || join(ROOT, 'build/imagegen');
const cache = new Map();

function cached(key, make) {
	if (!cache.has(key)) cache.set(key, make());
	return cache.get(key);
}

// imagegen jpeg|png W H quad|noise|zeros [q=N] [meta=N] [flags...]
export function imagegen(...args) {
	return cached(`gen ${args.join(' ')}`, () =>
		execFileSync(IMAGEGEN, args.map(String), { maxBuffer: 64 << 20 }));
}

function withTemp(fn) {
	const dir = mkdtempSync(join(tmpdir(), 'mw-images-'));
	try {
		return fn(dir);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// A plain JPEG (640 x 480 "quad" unless told otherwise).
export const jpeg = ({ width = 640, height = 480, pattern = 'quad', quality = 90 } = {}) =>
	imagegen('jpeg', width, height, pattern, `q=${quality}`);

// About 3 MB (2048 x 1536 of noise): the benchmark's upload.
export const bigJpeg = () => imagegen('jpeg', 2048, 1536, 'noise', 'q=92');

// What a phone sends: EXIF (orientation 6 unless told, camera, date),
// GPS, XMP and a comment, all written by exiftool.
export function exifJpeg(orientation = 6) {
	return cached(`exif ${orientation}`, () => withTemp((dir) => {
		const f = join(dir, 'p.jpg');
		writeFileSync(f, jpeg({ width: 64, height: 48 }));
		execFileSync('exiftool', ['-q', '-overwrite_original', `-Orientation#=${orientation}`,
			'-Make=FixturePhone', '-Model=Test 1', '-DateTimeOriginal=2024:05:01 12:00:00',
			'-GPSLatitude=52.520008', '-GPSLatitudeRef=N', '-GPSLongitude=13.404954',
			'-GPSLongitudeRef=E', '-XMP-dc:Creator=Erika Mustermann',
			'-XMP-exif:GPSLatitude=52.520008 N', '-Comment=Musterstrasse 1, Berlin', f]);
		return readFileSync(f);
	}));
}

// The unit tests' metadata block (EXIF with GPS, XMP, ICC APP2, COM), by
// hand rather than by exiftool: both kinds of writer are covered.
export const metaJpeg = (orientation = 6) => imagegen('jpeg', 64, 48, 'quad', `meta=${orientation}`);

export const png = ({ width = 320, height = 240 } = {}) => imagegen('png', width, height, 'quad');
// The right half fully transparent: stored as white.
export const pngAlpha = () => imagegen('png', 320, 240, 'quad', 'alpha');
export const png16 = () => imagegen('png', 320, 240, 'quad', '16bit', 'alpha');
export const pngPalette = () => imagegen('png', 320, 240, 'quad', 'palette');
export const pngInterlaced = () => imagegen('png', 320, 240, 'quad', 'interlace');
export const cmykJpeg = () => imagegen('jpeg', 320, 240, 'quad', 'cmyk');
export const progressiveJpeg = () => imagegen('jpeg', 320, 240, 'quad', 'progressive');

const ZIP_TAIL = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x00\x00', 'latin1'),
	Buffer.from('shell.php<?php system($_GET["c"]); ?>PK\x05\x06', 'latin1')]);
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

// Polyglots: a valid image that is also something else.  The stored photo
// must contain neither tail (search it for "PK\x03\x04" and "<script").
export const polyglotZip = () => Buffer.concat([jpeg({ width: 64, height: 48 }), ZIP_TAIL]);
export const polyglotHtml = () => Buffer.concat([jpeg({ width: 64, height: 48 }), HTML]);
export const polyglotPngHtml = () => Buffer.concat([png({ width: 64, height: 48 }), HTML]);
// Starts as a PNG, is HTML: no IHDR, refused as damaged (422).
export const pngThatIsHtml = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), HTML]);

let crcTable;
function crc32(buf) {
	if (!crcTable) {
		crcTable = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c >>> 0;
		}
	}
	let c = 0xffffffff;
	for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'latin1');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

function pngOf(width, height, idat) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8;	// depth
	ihdr[9] = 0;	// greyscale
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

// A pixel flood by its header only: a valid IHDR claiming 30000 x 30000,
// a few bytes of data.  Refused before decoding (422).
export const floodPng = (width = 30000, height = 30000) =>
	cached(`flood ${width} ${height}`, () => pngOf(width, height, zlib.deflateSync(Buffer.alloc(16))));

// The same for a JPEG: a small real one whose frame header claims more.
export function floodJpeg(width = 30000, height = 30000) {
	return cached(`floodjpeg ${width} ${height}`, () => {
		const b = Buffer.from(jpeg({ width: 16, height: 16 }));
		const sof = b.indexOf(Buffer.from([0xff, 0xc0]));
		b.writeUInt16BE(height, sof + 5);
		b.writeUInt16BE(width, sof + 7);
		return b;
	});
}

// A real deflate bomb: width x height black grey pixels, every row whole,
// compressed at level 9 (8000 x 8000 = 64 MP in about 64 KB; over the
// 40 MP limit, refused by its header).  6000 x 6000 (36 MP, about 35 KB)
// is under it: decoded row by row in bounded memory, and stored.
export function deflateBombPng(width = 8000, height = 8000) {
	return cached(`bomb ${width} ${height}`, () => {
		const raw = Buffer.alloc(height * (width + 1));	// filter 0, zeros
		return pngOf(width, height, zlib.deflateSync(raw, { level: 9 }));
	});
}

// Cut in the middle of the entropy-coded data: "is damaged or truncated".
export const truncatedJpeg = () => cached('truncated', () => {
	const b = imagegen('jpeg', 320, 240, 'noise', 'q=90');
	return b.subarray(0, Math.floor(b.length * 0.6));
});
export const truncatedPng = () => cached('truncatedpng', () => {
	const b = imagegen('png', 320, 240, 'noise');
	return b.subarray(0, Math.floor(b.length * 0.6));
});

// Wrong types (415), whatever name or Content-Type they are sent with.
export const gif = () => Buffer.from('474946383961010001008000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
export const webp = () => Buffer.from('524946462400000057454250565038201800000030010' +
	'09d012a0100010002003425a400037000fefb94000000', 'hex');
export const svg = () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
	'<script>alert(1)</script></svg>');

// Over 10 MiB (the default limit) by one byte: a valid JPEG, then zeros.
export const oversizeJpeg = (limit = 10 * 1024 * 1024) => cached(`oversize ${limit}`, () => {
	const head = jpeg({ width: 64, height: 48 });
	return Buffer.concat([head, Buffer.alloc(limit + 1 - head.length)]);
});

// A multipart body for fetch: fields, then files as [field, Buffer, name?].
export function photoForm(fields = {}, files = []) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
	for (const [field, buf, name = 'photo.jpg'] of files)
		form.append(field, new Blob([buf]), name);
	return form;
}

// exiftool's tags of a photo, group-prefixed ("EXIF:GPSLatitude",
// "XMP:Creator", "File:Comment", "JFIF:JFIFVersion").
export function exifFields(buffer) {
	return withTemp((dir) => {
		const f = join(dir, 'photo');
		writeFileSync(f, buffer);
		const out = execFileSync('exiftool', ['-j', '-G', f], { maxBuffer: 16 << 20 });
		return JSON.parse(out.toString())[0];
	});
}

// The tags that would give a person away; [] on a clean photo.
export function privateTags(buffer) {
	return Object.keys(exifFields(buffer)).filter((k) =>
		/^(EXIF|XMP|IPTC|ICC_Profile|MakerNotes|Photoshop|Composite:GPS)|GPS|Comment|Orientation/.test(k));
}
