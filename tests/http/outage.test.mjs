// PostgreSQL down → 503 with Retry-After (never 500, no crashed worker);
// PostgreSQL back → the pool recovers by itself, without a burst of errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, pgctl, expectError, PGDIR, koreLog, psql, sleep } from './lib.mjs';

const skip = PGDIR ? false : 'needs the private test cluster (DATABASE_URL was given)';

async function burst(path, n) {
	return Promise.all(Array.from({ length: n }, () => req(path)));
}

test('database outage and recovery', { skip }, async (t) => {
	// Open several pooled connections in each worker first.
	for (const r of await burst('/api/v1/fields', 40)) assert.equal(r.status, 200);

	await t.test('stopped PostgreSQL → 503 + Retry-After, JSON for the API, HTML for pages', async () => {
		pgctl('down', 'fast');
		try {
			for (const path of ['/readyz', '/api/v1/fields', '/api/v1/categories', '/api/v1/fields/energie']) {
				const r = await req(path);
				expectError(r, 503, 'database_unavailable');
				assert.match(r.headers.get('retry-after'), /^\d+$/);
			}
			for (const r of await burst('/api/v1/goals', 30)) assert.equal(r.status, 503);
			const page = await req('/');
			assert.equal(page.status, 503);
			assert.match(page.headers.get('content-type'), /^text\/html/);
			assert.ok(page.headers.get('retry-after'));
			const h = await req('/healthz');
			assert.equal(h.status, 200, 'liveness does not depend on the database');
		} finally {
			pgctl('up');
		}
	});

	await t.test('after restart every request succeeds, without restarting Kore', async () => {
		for (let i = 0; i < 20; i++) assert.equal((await req('/readyz')).status, 200);
		for (const r of await burst('/api/v1/fields', 40)) assert.equal(r.status, 200);
	});

	await t.test('a restart while idle leaves stale connections that are healed, not surfaced', async () => {
		for (const r of await burst('/api/v1/districts', 40)) assert.equal(r.status, 200);
		pgctl('down', 'immediate');
		pgctl('up');
		const results = await burst('/api/v1/districts', 40);
		assert.deepEqual(results.map((r) => r.status), Array(40).fill(200));
	});

	await t.test('no worker crashed', () => {
		assert.doesNotMatch(koreLog(), /sandbox violation|worker \d+ .*exited|fatal/i);
	});
});

const retriesNow = async () =>
	Number((await req('/metrics')).text.match(/mitwirken_db_retries_total (\d+)/)[1]);

// Connections killed under load (an operator's pg_terminate_backend, a
// failover) are found stale before use and replaced.
test('reads survive idle connections being killed under load', async () => {
	// Idle ones only, as the name says (a connection killed while its
	// statement runs is the next test's case), in rounds far enough apart
	// for the replacements to be made: a reconnect with a password over
	// TCP takes ~0.1 s, and one killed as it is made fails its read too.
	const kill = `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	              WHERE datname = current_database() AND pid <> pg_backend_pid()
	              AND state = 'idle'`;
	const statuses = [];
	let running = true;
	// Bounded: each client stops after 2000 requests or when told to.
	const clients = Array.from({ length: 8 }, async () => {
		for (let n = 0; running && n < 2000; n++)
			statuses.push((await req('/api/v1/fields')).status);
	});
	let killed = 0;
	try {
		for (let i = 0; i < 6; i++) {
			await sleep(150);
			killed += Number(psql(kill));
		}
	} finally {
		running = false;
		await Promise.all(clients);
	}
	assert.ok(killed > 0, 'some connections were terminated');
	assert.ok(statuses.length > 50);
	assert.deepEqual([...new Set(statuses)], [200]);
});

// A read whose connection dies while the statement runs is retried once on
// a fresh connection.  The table is slowed down (in this throwaway test
// database) so the statements are certainly running when killed.
test('a read killed mid-statement is retried once and succeeds', async () => {
	psql(`ALTER TABLE districts RENAME TO districts_real;
	      CREATE VIEW districts AS SELECT d.* FROM districts_real d, pg_sleep(0.4);
	      GRANT SELECT ON districts TO PUBLIC`);
	try {
		const before = await retriesNow();
		const pending = Array.from({ length: 4 }, () => req('/api/v1/districts'));
		await sleep(150);
		const killed = Number(psql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'active' AND query LIKE '%districts%'
			AND pid <> pg_backend_pid()`));
		const results = await Promise.all(pending);
		assert.ok(killed >= 1, 'statements were running when killed');
		assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200]);
		assert.ok(await retriesNow() - before >= killed, 'each killed read was retried');
	} finally {
		psql('DROP VIEW districts; ALTER TABLE districts_real RENAME TO districts');
	}
});
