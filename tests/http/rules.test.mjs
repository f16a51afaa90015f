// A rule the C code and the database both need lives in one list per side,
// and these tests hold the sides together: a status added in one place and
// not the other fails here, not in front of a citizen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { psql } from './lib.mjs';

const IDEAS_C = new URL('../../src/ideas/ideas.c', import.meta.url);

function cStatuses() {
	const src = readFileSync(IDEAS_C, 'utf8');
	const m = src.match(/const char \*const ideas_statuses\[\] = \{([^}]*)\}/);
	assert.ok(m, 'ideas_statuses[] not found in src/ideas/ideas.c');
	return [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]);
}

test('idea statuses: the C list is the ideas.status CHECK of the database', () => {
	const def = psql(`SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
	    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
	    WHERE c.conrelid = 'ideas'::regclass AND c.contype = 'c' AND a.attname = 'status'`);
	const sql = [...new Set([...def.matchAll(/'([a-z_]+)'::text/g)].map((x) => x[1]))];
	assert.deepEqual([...sql].sort(), [...cStatuses()].sort());
});

test('idea statuses: every step status_allowed knows is between listed statuses', () => {
	const list = cStatuses();
	const arr = `'{${list.join(',')}}'::text[]`;
	const steps = psql(`SELECT f || '>' || t FROM unnest(${arr}) AS f,
	    unnest(${arr}) AS t WHERE status_allowed(f, t)`);
	assert.ok(steps.length > 0, 'no allowed step at all');
	const from = psql(`SELECT string_agg(DISTINCT s, ',') FROM (SELECT unnest(regexp_matches(
	    pg_get_functiondef('status_allowed(text,text)'::regprocedure), '''([a-z_]+)''', 'g')) AS s) x`);
	for (const s of from.split(','))
		assert.ok(list.includes(s), `status_allowed names ${s}, which src/ideas/ideas.c does not list`);
	// Every status but the first can be reached.
	for (const s of list.slice(1))
		assert.ok(steps.split('\n').some((l) => l.endsWith(`>${s}`)), `no step leads to ${s}`);
});
