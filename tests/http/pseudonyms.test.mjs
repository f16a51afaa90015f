// A pseudonym given up (changed away from, or freed by erasure) stays
// reserved for a while, so no one else can appear under it at once and
// be taken for its former owner; the retention sweep frees it later.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, accountWith, bearer, uniqueEmail, expectError,
	PASSWORD, mailerSweeps } from './lib.mjs';

const rename = (s, pseudonym) => json('PATCH', '/api/v1/me', { pseudonym }, bearer(s));
const holders = (name) => psql(`SELECT count(*) FROM accounts WHERE pseudonym = '${name}'`);
const unique = (tag) => `${tag}-${process.pid % 1000}-${Date.now() % 1000000}`;

test('a pseudonym changed away from is reserved: 409 for others, the owner may take it back', async () => {
	const a = unique('alt');
	const b = unique('neu');
	const owner = await accountWith();
	const other = await accountWith();
	assert.equal((await rename(owner, a)).status, 200);
	assert.equal((await rename(owner, b)).status, 200);
	const e = expectError(await rename(other, a), 409);
	assert.equal(e.fields.pseudonym, 'is already taken');
	assert.equal(holders(a), '0');
	// Registration still answers 202, and the newcomer gets a random name.
	assert.equal((await json('POST', '/api/v1/accounts', { email: uniqueEmail(), password: PASSWORD,
		pseudonym: a })).status, 202);
	assert.equal(holders(a), '0');
	// The one who gave it up may return to it.
	assert.equal((await rename(owner, a)).status, 200);
	assert.equal((await req('/api/v1/me', { headers: bearer(owner) })).json.pseudonym, a);
	// Now b is the reserved one.
	expectError(await rename(other, b), 409);
});

test('an erased account frees its pseudonym only after the period', async () => {
	const s = await accountWith();
	const victim = await accountWith();
	const vname = unique('opfer');
	assert.equal((await rename(victim, vname)).status, 200);
	assert.equal((await req('/api/v1/me', { method: 'DELETE', headers: bearer(victim) })).status, 204);
	expectError(await rename(s, vname), 409);
	psql(`UPDATE pseudonyms_released SET released_at = now() - interval '91 days'
	      WHERE pseudonym = '${vname}'`);
	await mailerSweeps();
	assert.equal(psql(`SELECT count(*) FROM pseudonyms_released WHERE pseudonym = '${vname}'`), '0');
	assert.equal((await rename(s, vname)).status, 200, 'free after the period');
});
