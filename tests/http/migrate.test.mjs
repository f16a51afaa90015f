// Migrations: recorded, idempotent, one transaction per file, forward-only;
// functions in sql/functions/, applied again when their file changed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, cpSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psql, DATABASE_URL } from './lib.mjs';

const SQL_DIR = new URL('../../sql', import.meta.url).pathname;
const migrate = (dir) => spawnSync(process.env.MIGRATE_BIN, [dir], { encoding: 'utf8' });

test('every file is recorded in schema_migrations', () => {
	const versions = psql('SELECT string_agg(version::text, \',\' ORDER BY version) FROM schema_migrations');
	assert.match(versions, /^1,2(,\d+)*$/);
});

test('running the migrations twice is a no-op', () => {
	const before = psql('SELECT count(*) FROM schema_migrations');
	const r = migrate(SQL_DIR);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /migrate: 0 applied/);
	assert.equal(psql('SELECT count(*) FROM schema_migrations'), before);
});

test('a failing file rolls back completely and stops, naming the file', () => {
	const dir = mkdtempSync(join(tmpdir(), 'mw-migrate-'));
	try {
		cpSync(SQL_DIR, dir, { recursive: true });
		writeFileSync(join(dir, '900_broken.sql'),
			'CREATE TABLE half_written (x int);\nINSERT INTO half_written VALUES (1);\nSELECT * FROM no_such_table;\n');
		writeFileSync(join(dir, '901_after.sql'), 'CREATE TABLE never_reached (x int);\n');
		const before = psql('SELECT max(version) FROM schema_migrations');
		const r = migrate(dir);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /900_broken\.sql failed/);
		assert.match(r.stderr, /no_such_table/);
		assert.equal(psql('SELECT max(version) FROM schema_migrations'), before);
		assert.equal(psql("SELECT count(*) FROM pg_tables WHERE tablename IN ('half_written', 'never_reached')"), '0');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('badly named files and out-of-order versions are refused', () => {
	const dir = mkdtempSync(join(tmpdir(), 'mw-migrate-'));
	try {
		cpSync(SQL_DIR, dir, { recursive: true });
		writeFileSync(join(dir, 'add-stuff.sql'), 'SELECT 1;\n');
		let r = migrate(dir);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /add-stuff\.sql is not named NNN_words\.sql/);
		rmSync(join(dir, 'add-stuff.sql'));
		writeFileSync(join(dir, '000_early.sql'), 'CREATE TABLE too_late (x int);\n');
		r = migrate(dir);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /000_early\.sql is older than the applied version/);
		assert.equal(psql("SELECT count(*) FROM pg_tables WHERE tablename = 'too_late'"), '0');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

// --- repeatable files: sql/functions/, one function each -------------------

const FN_DIR = join(SQL_DIR, 'functions');
const ROOT = new URL('../..', import.meta.url).pathname;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const DEFINES = /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(FUNCTION|PROCEDURE|VIEW|MATERIALIZED\s+VIEW|TRIGGER)\s+(\w+)/gi;
const stripComments = (sql) => sql.replace(/--[^\n]*/g, '');

// What a database defines: every function in public that no extension
// owns, by signature, with its definition; and its triggers.
const CATALOGUE = `SELECT json_build_object(
	'functions', (SELECT coalesce(json_object_agg(p.oid::regprocedure::text,
		pg_get_functiondef(p.oid) ORDER BY p.oid::regprocedure::text), '{}')
		FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND
		NOT EXISTS (SELECT 1 FROM pg_depend d WHERE
		d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')),
	'triggers', (SELECT coalesce(json_object_agg(t.tgname, pg_get_triggerdef(t.oid)
		ORDER BY t.tgname), '{}') FROM pg_trigger t WHERE NOT t.tgisinternal),
	'versions', (SELECT json_agg(name ORDER BY version) FROM schema_migrations))`;

// Scratch databases on the test cluster, so the server's own is untouched.
function scratch(tag) {
	const name = `mw_${tag}_${process.pid}`;
	psql(`DROP DATABASE IF EXISTS ${name}`);
	psql(`CREATE DATABASE ${name}`);
	const url = DATABASE_URL + (DATABASE_URL.includes('?') ? '&' : '?') + `dbname=${name}`;
	const run = (sql) => {
		const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', url, '-c', sql],
			{ encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`psql ${name} failed: ${r.stderr}`);
		return r.stdout.trim();
	};
	return {
		name, sql: run,
		migrate: (dir) => spawnSync(process.env.MIGRATE_BIN, [dir],
			{ encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } }),
		catalogue: () => JSON.parse(run(CATALOGUE)),
		repeatables: () => JSON.parse(run(`SELECT coalesce(json_object_agg(name,
			json_build_object('checksum', checksum, 'applied_at', applied_at)), '{}')
			FROM schema_repeatables`)),
		drop: () => psql(`DROP DATABASE IF EXISTS ${name}`),
	};
}

function withCopy(fn) {
	const dir = mkdtempSync(join(tmpdir(), 'mw-migrate-'));
	const dbs = [];
	try {
		cpSync(SQL_DIR, dir, { recursive: true });
		return fn(dir, (tag) => { const db = scratch(tag); dbs.push(db); return db; });
	} finally {
		for (const db of dbs) db.drop();
		rmSync(dir, { recursive: true, force: true });
	}
}

test('every function, view and trigger is defined in exactly one file, in sql/functions/ under its name', () => {
	const outside = [];
	const walk = (dir) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, e.name);
			if (e.isDirectory()) {
				if (path !== FN_DIR) walk(path);
				continue;
			}
			for (const m of stripComments(readFileSync(path, 'utf8')).matchAll(DEFINES))
				outside.push(`${path.slice(SQL_DIR.length + 1)}: ${m[1]} ${m[2]}`);
		}
	};
	walk(SQL_DIR);
	assert.deepEqual(outside, [], 'definitions outside sql/functions/');
	const owner = {};
	const files = readdirSync(FN_DIR);
	assert.ok(files.length > 0);
	for (const f of files) {
		const text = stripComments(readFileSync(join(FN_DIR, f), 'utf8'));
		const fns = [...text.matchAll(DEFINES)].filter((m) => /FUNCTION|PROCEDURE|VIEW/i.test(m[1]));
		assert.ok(fns.length > 0, `${f} defines no function`);
		for (const m of fns) {
			assert.equal(`${m[2]}.sql`, f, `${f} defines ${m[2]}`);
			assert.match(m[0], /OR\s+REPLACE/i, `${f}: ${m[2]} without OR REPLACE cannot be applied again`);
			assert.ok(!owner[m[2]] || owner[m[2]] === f, `${m[2]} in ${owner[m[2]]} and ${f}`);
			owner[m[2]] = f;
		}
	}
});

test('a fresh database has each function once, from its file, with its checksum recorded', () => {
	const counts = {};
	const files = readdirSync(FN_DIR);
	for (const f of files)
		for (const m of stripComments(readFileSync(join(FN_DIR, f), 'utf8')).matchAll(DEFINES))
			if (/FUNCTION/i.test(m[1])) counts[m[2]] = (counts[m[2]] || 0) + 1;
	const inDb = {};
	const cat = JSON.parse(psql(CATALOGUE));
	for (const sig of Object.keys(cat.functions)) {
		const name = sig.replace(/\(.*/, '');
		inDb[name] = (inDb[name] || 0) + 1;
	}
	assert.deepEqual(inDb, counts);
	assert.ok(cat.triggers.account_roles_last_admin, 'the last-admin trigger');
	const rows = JSON.parse(psql(`SELECT json_object_agg(name, checksum) FROM schema_repeatables`));
	const want = {};
	for (const f of files) want[f] = sha256(readFileSync(join(FN_DIR, f)));
	assert.deepEqual(rows, want);
});

test('a changed file re-applies only itself, records its checksum; running again is a no-op', () => {
	withCopy((dir, db) => {
		const d = db('change');
		let r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		const before = d.repeatables();
		const file = join(dir, 'functions', 'setting.sql');
		const text = readFileSync(file, 'utf8').replace('WHERE key = p_key', 'WHERE key = p_key /* changed */');
		writeFileSync(file, text);
		r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		assert.deepEqual(r.stdout.match(/applied functions\/\S+/g), ['applied functions/setting.sql']);
		assert.match(r.stdout, /migrate: 1 of \d+ repeatables applied/);
		assert.match(d.sql("SELECT pg_get_functiondef('setting'::regproc)"), /changed/);
		const after = d.repeatables();
		assert.equal(after['setting.sql'].checksum, sha256(text));
		assert.notEqual(after['setting.sql'].applied_at, before['setting.sql'].applied_at);
		delete after['setting.sql'];
		delete before['setting.sql'];
		assert.deepEqual(after, before, 'the other files were left alone');
		r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /migrate: 0 applied/);
		assert.match(r.stdout, /migrate: 0 of \d+ repeatables applied/);
		assert.doesNotMatch(r.stdout, /applied functions\//);
	});
});

test('a failing repeatable rolls back every function and stops, naming the file', () => {
	withCopy((dir, db) => {
		const d = db('broken');
		let r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		const before = d.repeatables();
		const defs = d.catalogue().functions;
		// A good change in one file, a body that names no table in another:
		// only validation with every function in place can find it.
		const good = join(dir, 'functions', 'author_json.sql');
		writeFileSync(good, readFileSync(good, 'utf8').replace('SELECT CASE', 'SELECT /* new */ CASE'));
		const bad = join(dir, 'functions', 'setting.sql');
		const fine = readFileSync(bad, 'utf8');
		writeFileSync(bad, fine.replace('FROM settings', 'FROM no_such_table'));
		r = d.migrate(dir);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /functions\/setting\.sql failed/);
		assert.match(r.stderr, /no_such_table/);
		assert.deepEqual(d.repeatables(), before);
		assert.deepEqual(d.catalogue().functions, defs, 'no function changed');
		// Fixed, both go in.
		writeFileSync(bad, fine.replace('WHERE key', 'WHERE /* fixed */ key'));
		r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		assert.deepEqual(r.stdout.match(/applied functions\/\S+/g),
			['applied functions/author_json.sql', 'applied functions/setting.sql']);
		// A badly named file stops the migrator before anything runs.
		writeFileSync(join(dir, 'functions', 'Bad-Name.sql'), 'SELECT 1;\n');
		writeFileSync(join(dir, '900_after.sql'), 'CREATE TABLE never_made (x int);\n');
		r = d.migrate(dir);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /Bad-Name\.sql is not named words\.sql/);
		assert.equal(d.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'never_made'"), '0');
	});
});

test('a numbered migration that drops a function gets it back from its unchanged file', () => {
	withCopy((dir, db) => {
		const d = db('dropped');
		let r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		const defs = d.catalogue().functions;
		writeFileSync(join(dir, '900_drop_setting.sql'), 'DROP FUNCTION setting(text);\n');
		r = d.migrate(dir);
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /applied 900_drop_setting\.sql/);
		assert.match(r.stdout, /applied functions\/setting\.sql/);
		assert.deepEqual(d.catalogue().functions, defs);
	});
});

// The tree before sql/functions/ existed: the parent of the commit that
// added it.  Its files are applied by this migrator, which (with no
// functions/ folder) records exactly what the old one did; the
// schema_repeatables table it adds is dropped, as the old one had none.
function branchPoint() {
	const git = (...args) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
	const added = git('log', '--diff-filter=A', '--format=%H', '--', 'sql/functions');
	if (added.status !== 0 || !added.stdout.trim()) return null;
	const base = added.stdout.trim().split('\n').pop() + '^';
	const files = git('ls-tree', '--name-only', base, 'sql/');
	if (files.status !== 0) return null;
	return { base, files: files.stdout.trim().split('\n').filter((f) => f.endsWith('.sql')),
		show: (f) => git('show', `${base}:${f}`).stdout };
}

test('a database migrated by the tree before sql/functions/ upgrades to what a fresh install has', (t) => {
	const bp = branchPoint();
	if (!bp) {
		t.skip('not a git checkout with the history of sql/functions/');
		return;
	}
	withCopy((dir, db) => {
		const old = join(dir, 'old');
		mkdirSync(old);
		for (const f of bp.files) writeFileSync(join(old, f.replace(/^sql\//, '')), bp.show(f));
		assert.ok(bp.files.length >= 7, bp.files.join(' '));
		const o = db('old');
		let r = o.migrate(old);
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /0 of 0 repeatables applied/);
		o.sql('DROP TABLE schema_repeatables');
		// Someone with something in every part of the export.
		const id = o.sql(`INSERT INTO accounts (pseudonym, email_lookup, email_ct,
			password_hash, verified_at) VALUES ('export-probe',
			decode(repeat('ab', 32), 'hex'), '\\x00', 'x', now()) RETURNING id`);
		const idea = o.sql(`INSERT INTO ideas (title, description, field_id, author_id,
			state, published_at, lat, lon) VALUES ('A probe idea',
			'Long enough to be a description.', 1, ${id}, 'published', now(),
			52.26, 10.52) RETURNING id`);
		o.sql(`INSERT INTO account_roles (account_id, role) VALUES (${id}, 'admin'), (${id}, 'board');
			INSERT INTO sessions (token_hash, account_id, kind, csrf_token, expires_at)
			VALUES (decode(repeat('cd', 32), 'hex'), ${id}, 'bearer', 'c', now() + interval '1 day');
			INSERT INTO comments (idea_id, author_id, body, state, published_at)
			VALUES (${idea}, ${id}, 'A comment', 'published', now());
			INSERT INTO supports (idea_id, account_id) VALUES (${idea}, ${id});
			INSERT INTO flags (kind, target_id, account_id, reason, note)
			VALUES ('idea', ${idea}, ${id}, 'spam', 'probe');
			INSERT INTO assessments (idea_id, member_id, comment) VALUES (${idea}, ${id}, 'ok');
			INSERT INTO assessment_scores (idea_id, member_id, criterion, score)
			SELECT ${idea}, ${id}, slug, 2 FROM criteria`);
		const outputs = `SELECT json_build_array(account_export(${id}),
			idea_json(${idea}, ${id}, true, 'en'))::text`;
		const exported = o.sql(outputs);
		// An idea in a demo district, which the real Stadtbezirke replace.
		const other = o.sql(`INSERT INTO accounts (pseudonym, email_lookup, email_ct,
			password_hash) VALUES ('demo-probe', decode(repeat('ef', 32), 'hex'), '\\x00', 'x')
			RETURNING id`);
		o.sql(`INSERT INTO ideas (title, description, field_id, author_id, state, district_id)
			VALUES ('In a demo district', 'Long enough to be a description.', 1, ${other}, 'pending',
			(SELECT id FROM districts WHERE slug = 'demo-nord'))`);
		assert.match(exported, /"flags": \[\{/);
		const sheet = `SELECT assessments_json(${idea}, ${id}, 'de')`;
		const scored = JSON.parse(o.sql(sheet)).mine.scores;
		assert.equal(Object.keys(scored).length, 5, 'scored on the five criteria shipped before');

		r = o.migrate(SQL_DIR);
		assert.equal(r.status, 0, r.stderr);
		// Only the numbered files added since the branch point run.
		const newer = readdirSync(SQL_DIR).filter((f) => /^\d+_.*\.sql$/.test(f)
			&& !bp.files.includes(`sql/${f}`)).length;
		assert.match(r.stdout, new RegExp(`migrate: ${newer} applied`));
		const fresh = db('fresh');
		r = fresh.migrate(SQL_DIR);
		assert.equal(r.status, 0, r.stderr);
		assert.deepEqual(o.catalogue(), fresh.catalogue());
		// The named demo district is retired, the unused ones are gone, and
		// both databases offer the same twelve Stadtbezirke.
		const offered = "SELECT string_agg(number || ' ' || slug, ',' ORDER BY position) FROM districts WHERE active";
		assert.equal(o.sql(offered), fresh.sql(offered));
		assert.match(fresh.sql(offered), /^111 hondelage-volkmarode,.*,330 nordstadt-schunteraue$/);
		assert.equal(o.sql("SELECT string_agg(slug || ':' || active, ',') FROM districts WHERE is_demo"),
			'demo-nord:false');
		assert.equal(fresh.sql('SELECT count(*) FROM districts WHERE is_demo'), '0');
		assert.deepEqual(o.repeatables() && Object.keys(o.repeatables()).sort(),
			Object.keys(fresh.repeatables()).sort());
		// The export now takes the person's survey pseudonyms and adds
		// their drafts, defect supports, project work and the optional age
		// band (not given) and notification switches (the defaults); an idea names the projects that take it up (none);
		// everything else reads as before.
		const now = outputs.replace(`account_export(${id})`,
			`account_export(${id}, '') - 'survey_drafts' - 'defect_supports' - 'projects_created' - 'project_measurements' -
				'project_assessments' - 'project_decisions' - 'notifications' #- '{account,age_band}'`)
			.replace(`idea_json(${idea}, ${id}, true, 'en')`, `idea_json(${idea}, ${id}, true, 'en')::jsonb - 'projects'`);
		assert.equal(o.sql(`SELECT idea_json(${idea}, ${id}, true, 'en')->>'projects'`), '[]');
		assert.equal(o.sql(now), exported, 'the export and the idea read as before');
		assert.equal(o.sql(`SELECT account_export(${id}, '')->'account'->>'age_band' IS NULL`), 't');
		// The board now selects by the strategy's four criteria: the old
		// scores stay on the sheet under their retired criteria, and no
		// longer count in a mean.
		const after = JSON.parse(o.sql(sheet));
		assert.deepEqual(after.mine.scores, scored, 'the old scores are kept');
		assert.deepEqual(after.criteria.map((c) => c.slug),
			['buergernutzen', 'kosten-nutzen', 'strategische-wirkung', 'aussenwirkung']);
		assert.deepEqual(after.columns.filter((c) => !c.active).map((c) => c.slug).sort(), Object.keys(scored).sort());
		assert.equal(after.mine.weighted_mean, null);
		r = o.migrate(SQL_DIR);
		assert.match(r.stdout, /0 of \d+ repeatables applied/);
	});
});
