// PostgreSQL down → 503 with Retry-After (never 500, no crashed worker);
// PostgreSQL back → the pool recovers by itself, without a burst of errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, pgctl, expectError, PGDIR, koreLog } from './lib.mjs';

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
