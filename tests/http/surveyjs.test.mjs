// Our survey modules against the real SurveyJS library (survey-core), no
// server needed: every definition in tests/surveys/valid/ is accepted by
// build/surveycheck and loads in survey-core without errors or warnings;
// every one in tests/surveys/invalid/ is refused at the path that
// invalid/expected.json names; and visibleIf conditions evaluate the same
// in C (surveycheck batch) as in survey-core's ConditionRunner over many
// random answers.  The binary comes from SURVEYCHECK_BIN (tests/run.sh),
// else MITWIRKEN_BUILD or build/.
//
// Documented deviations (src/lib/expr.c), which the generator avoids:
// case folding beyond ASCII, strings ordered by UTF-16 unit, arithmetic,
// functions, and answers a survey cannot produce (booleans, nested arrays).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Model, ConditionRunner } from 'survey-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const BIN = process.env.SURVEYCHECK_BIN ||
	join(resolve(root, process.env.MITWIRKEN_BUILD || 'build'), 'surveycheck');
const SURVEYS = join(root, 'tests/surveys');

function check(args, input) {
	const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
	if (r.error) throw r.error;
	return r;
}

function loadInSurveyCore(json) {
	const warnings = [];
	const warn = console.warn;
	console.warn = (...a) => warnings.push(a.join(' '));
	let model;
	try {
		model = new Model(json);
	} finally {
		console.warn = warn;
	}
	return { model, warnings };
}

test('the surveycheck binary exists', () => {
	assert.ok(existsSync(BIN), `${BIN} is missing: make ${BIN}`);
});

const validFiles = readdirSync(join(SURVEYS, 'valid')).filter((f) => f.endsWith('.json')).sort();

test('valid definitions: accepted by surveycheck and by survey-core', () => {
	assert.ok(validFiles.length >= 3);
	const types = new Set();
	for (const f of validFiles) {
		const text = readFileSync(join(SURVEYS, 'valid', f), 'utf8');
		const r = check(['def'], text);
		assert.equal(r.status, 0, `${f}: ${r.stdout}${r.stderr}`);
		const out = JSON.parse(r.stdout);
		assert.equal(out.ok, true, f);
		const json = JSON.parse(text);
		const { model, warnings } = loadInSurveyCore(json);
		assert.ok(!model.jsonErrors || model.jsonErrors.length === 0,
			`${f}: ${JSON.stringify(model.jsonErrors)}`);
		assert.deepEqual(warnings, [], f);
		assert.equal(model.getAllQuestions().length, out.questions, f);
		for (const q of model.getAllQuestions()) types.add(q.getType());
	}
	for (const t of ['radiogroup', 'dropdown', 'checkbox', 'rating', 'text', 'comment', 'ranking', 'matrix'])
		assert.ok(types.has(t), `no valid definition uses ${t}`);
});

test('invalid definitions: refused at the expected path', () => {
	const expected = JSON.parse(readFileSync(join(SURVEYS, 'invalid', 'expected.json'), 'utf8'));
	const files = readdirSync(join(SURVEYS, 'invalid')).filter((f) => f.endsWith('.json') && f !== 'expected.json');
	assert.deepEqual(files.sort(), Object.keys(expected).sort(), 'every file has an expected path');
	for (const f of files) {
		const r = check(['def'], readFileSync(join(SURVEYS, 'invalid', f), 'utf8'));
		assert.equal(r.status, 1, `${f}: ${r.stdout}${r.stderr}`);
		const out = JSON.parse(r.stdout);
		assert.equal(out.ok, false, f);
		const paths = out.problems.map((p) => p.path);
		assert.ok(paths.includes(expected[f]), `${f}: want ${expected[f]}, got ${JSON.stringify(out.problems)}`);
		for (const p of out.problems) assert.ok(p.reason.length > 0, f);
	}
});

test('answers: visibility drops hidden answers as SurveyJS does on completion', () => {
	const defFile = join(SURVEYS, 'valid', 'radverkehr.json');
	const def = JSON.parse(readFileSync(defFile, 'utf8'));
	const given = { fahrrad: 'nein', haeufigkeit: 'taeglich', zwecke: ['arbeit'], sicherheit: 4, ortsteil: 'Mitte' };
	const r = check(['answers', defFile], JSON.stringify(given));
	assert.equal(r.status, 0, r.stdout);
	const ours = JSON.parse(r.stdout);
	const { model } = loadInSurveyCore(def);
	model.data = given;
	model.doComplete();
	assert.deepEqual(ours, model.data);
	assert.deepEqual(ours, { fahrrad: 'nein', sicherheit: 4, ortsteil: 'Mitte' });
});

// A deliberate deviation (docs/plan: dependency order): km depends on the
// hidden haeufigkeit.  survey-core decides km's visibility before it clears
// haeufigkeit and keeps km; we drop the hidden answer first, so km goes too.
test('answers: a chain of hidden questions is dropped as a whole', () => {
	const defFile = join(SURVEYS, 'valid', 'radverkehr.json');
	const given = { fahrrad: 'nein', haeufigkeit: 'taeglich', km: 12, sicherheit: 4 };
	const r = check(['answers', defFile], JSON.stringify(given));
	assert.equal(r.status, 0, r.stdout);
	assert.deepEqual(JSON.parse(r.stdout), { fahrrad: 'nein', sicherheit: 4 });
});

// ---- the differential test of visibleIf ----

// mulberry32: a fixed seed, so a failure can be reproduced.
let seed = Number(process.env.SURVEYJS_SEED || 20261203);
function rnd(n) {
	seed = (seed + 0x6d2b79f5) | 0;
	let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return (((t ^ (t >>> 14)) >>> 0) % n);
}
const pick = (a) => a[rnd(a.length)];

const NAMES = ['a', 'b', 'c', 'd'];
const ANSWERS = [undefined, 0, 1, 2, 3, 2.5, -1, 10, '1', '2', '01', '2.5', '10', 'ja', 'Ja', ' ja ',
	'nein', '', 'abc', 'true', 'false', [], ['ja'], ['ja', 'nein'], ['nein', 'ja'], ['1', '2'], [1, 2], [2, 1],
	[3], ['Ja'], {}, { r1: 1 }, { r1: 1, r2: 2 }, { r1: '' }, '1,5', '0.5', ' 2 ', '-3', '1e2', '0x1A',
	'TRUE', 'Straße', 'straße', 'ÄRGER', 'ärger', 'Öl', 'a b', ['1,5'], [0], ['']];
const CONSTS = ['1', '2', '0', '-1', '2.5', '10', "'ja'", "'Ja'", '"nein"', "'1'", "''", "'abc'", "'a'",
	'true', 'false', "['ja', 'nein']", '[1, 2]', "['1']", '[]', "['ja']", '0x10', "'1,5'", '1.5', '0.5',
	"' 2 '", "'STRASSE'", "'straße'", "'ärger'", "'ÖL'", "'RGER'", "'b'", "['a b', 1]", '100'];
const CMP = ['=', '==', '!=', '<>', '<', '<=', '>', '>=', 'equal', 'notequal', 'less', 'greater',
	'lessorequal', 'greaterorequal', 'contains', 'notcontains', 'anyof', 'allof', 'noneof', 'contain'];

function operand() {
	return rnd(3) ? `{${pick(NAMES)}}` : pick(CONSTS);
}

function expression(depth) {
	const k = rnd(depth > 2 ? 3 : 7);
	if (k === 0 || k === 1)
		return `${rnd(4) ? `{${pick(NAMES)}}` : operand()} ${pick(CMP)} ${operand()}`;
	if (k === 2)
		return rnd(2) ? `{${pick(NAMES)}} ${pick(['empty', 'notempty'])}` : `{${pick(NAMES)}}`;
	if (k === 3)
		return `${expression(depth + 1)} ${pick(['and', 'or', '&&', '||', 'AND'])} ${expression(depth + 1)}`;
	if (k === 4)
		return `(${expression(depth + 1)})`;
	if (k === 5)
		return `!(${expression(depth + 1)})`;
	return `negate (${expression(depth + 1)})`;
}

function answers() {
	const a = {};
	for (const n of NAMES) {
		const v = pick(ANSWERS);
		if (v !== undefined) a[rnd(5) ? n : n.toUpperCase()] = v;
	}
	return a;
}

function visibleIfs() {
	const out = [];
	for (const f of validFiles) {
		const def = JSON.parse(readFileSync(join(SURVEYS, 'valid', f), 'utf8'));
		for (const p of def.pages)
			for (const e of p.elements)
				if (e.visibleIf) out.push({ expr: e.visibleIf, def });
	}
	return out;
}

test('visibleIf: C and survey-core agree over random answers', () => {
	const cases = [];
	for (let i = 0; i < Number(process.env.SURVEYJS_CASES || 4000); i++) {
		const answersRaw = answers();
		cases.push({ expr: expression(0), answers: answersRaw });
	}
	// The definitions' own conditions over answers of their questions.
	for (const { expr, def } of visibleIfs()) {
		const qs = def.pages.flatMap((p) => p.elements);
		for (let i = 0; i < 60; i++) {
			const a = {};
			for (const q of qs) {
				if (rnd(3) === 0) continue;
				const choices = (q.choices || q.rateValues || [1, 2, 3, 4, 5]).map((c) => (typeof c === 'object' ? c.value : c));
				if (q.type === 'checkbox') a[q.name] = choices.filter(() => rnd(2));
				else if (q.type === 'text' && q.inputType === 'number') a[q.name] = rnd(100) - 10;
				else if (q.type === 'text' || q.type === 'comment') a[q.name] = pick(['', 'x', 'ja', '12']);
				else if (q.type === 'matrix') a[q.name] = {};
				else a[q.name] = pick(choices);
			}
			cases.push({ expr, answers: a });
		}
	}
	const input = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
	const r = check(['batch'], input);
	assert.equal(r.status, 0, r.stderr);
	const ours = r.stdout.trim().split('\n');
	assert.equal(ours.length, cases.length);
	const mismatches = [];
	cases.forEach((c, i) => {
		const theirs = String(new ConditionRunner(c.expr).runValues(c.answers));
		if (ours[i] !== theirs)
			mismatches.push(`${c.expr} over ${JSON.stringify(c.answers)}: C ${ours[i]}, survey-core ${theirs}`);
	});
	assert.deepEqual(mismatches.slice(0, 25), [], `${mismatches.length} of ${cases.length} differ`);
});
