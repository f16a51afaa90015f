// Migrations: recorded, idempotent, one transaction per file, forward-only.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, cpSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psql } from './lib.mjs';

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
