// Who may call which account and admin endpoint: one table, every role.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, accountWith, bearer, uniqueEmail, register, login, expectError } from './lib.mjs';

const ROLES = ['anonymous', 'citizen', 'moderator', 'staff', 'planner', 'board', 'admin'];
const everyone = (status) => Object.fromEntries(ROLES.map((r) => [r, status]));
const signedIn = (status) => ({ ...everyone(status), anonymous: 401 });
const adminOnly = (status) => ({ ...everyone(403), anonymous: 401, admin: status });

let who = {};
let dept;

// Each row: method, path (a function of the caller and a target account),
// body, and the expected status per role.
const TABLE = [
	['GET', () => '/api/v1/me', undefined, signedIn(200)],
	['PATCH', (c) => '/api/v1/me', (c) => ({ pseudonym: `neu-${c.account.id}-x` }), signedIn(200)],
	['GET', () => '/api/v1/me/export', undefined, signedIn(200)],
	['GET', () => '/api/v1/me/sessions', undefined, signedIn(200)],
	['DELETE', (c, t) => `/api/v1/me/sessions/${t.sessionId}`, undefined, signedIn(404)],
	['GET', () => '/api/v1/admin/accounts', undefined, adminOnly(200)],
	['PUT', (c, t) => `/api/v1/admin/accounts/${t.account.id}/roles/board`, undefined, adminOnly(200)],
	['DELETE', (c, t) => `/api/v1/admin/accounts/${t.account.id}/roles/board`, undefined,
		{ ...adminOnly(204) }],
	['PUT', (c, t) => `/api/v1/admin/accounts/${t.account.id}/roles/staff`, () => ({ department: dept }),
		adminOnly(200)],
	['DELETE', (c, t) => `/api/v1/admin/accounts/${t.account.id}/roles/staff`, undefined, adminOnly(204)],
	['POST', () => '/api/v1/accounts', () => ({ email: uniqueEmail('tbl'), password: 'ein langes Passwort' }),
		everyone(202)],
	['POST', () => '/api/v1/password-reset', () => ({ email: uniqueEmail('tbl') }), everyone(202)],
	['DELETE', () => '/api/v1/session', undefined, signedIn(204)],
];

test('role × endpoint × status', async (t) => {
	const cats = await req('/api/v1/categories');
	dept = cats.json.categories[0].department.slug;
	who = { anonymous: null };
	for (const role of ROLES.slice(1)) {
		who[role] = await accountWith(role === 'citizen' ? [] : [role], dept);
	}
	// The target: somebody else, with a session of their own.
	const target = await accountWith([]);
	const sessions = await req('/api/v1/me/sessions', { headers: bearer(target) });
	target.sessionId = sessions.json.sessions[0].id;

	for (const [method, path, body, expect] of TABLE) {
		for (const role of ROLES) {
			const caller = who[role];
			// Signing out ends the caller's session: give each a fresh one.
			const session = caller && method === 'DELETE' && path(caller, target) === '/api/v1/session'
				? await login(caller.email) : caller;
			const p = path(session, target);
			const headers = { ...(body ? { 'content-type': 'application/json' } : {}),
				...(session ? bearer(session) : {}) };
			const r = await req(p, { method, headers,
				body: body ? JSON.stringify(body(session || { account: { id: 0 } })) : undefined });
			await t.test(`${role} ${method} ${p} → ${expect[role]}`, () => {
				assert.equal(r.status, expect[role], r.text);
				if (r.status >= 400) expectError(r, r.status);
			});
		}
	}
	// The target's session survived every stranger's attempt to end it.
	assert.equal((await req('/api/v1/me', { headers: bearer(target) })).status, 200);
});

test('one citizen cannot read or change another\'s data', async () => {
	const a = await accountWith([]);
	const b = await accountWith([]);
	const meB = await req('/api/v1/me', { headers: bearer(b) });
	assert.equal(meB.json.id, b.account.id, 'me is always the caller');
	const exportB = JSON.parse((await req('/api/v1/me/export', { headers: bearer(b) })).text);
	assert.equal(exportB.account.email, b.email);
	assert.ok(!JSON.stringify(exportB).includes(a.email));
	const sa = (await req('/api/v1/me/sessions', { headers: bearer(a) })).json.sessions[0].id;
	expectError(await req(`/api/v1/me/sessions/${sa}`, { method: 'DELETE', headers: bearer(b) }), 404);
	expectError(await req(`/api/v1/admin/accounts/${a.account.id}/roles/admin`, { method: 'PUT',
		headers: bearer(b) }), 403);
	assert.equal(psql(`SELECT count(*) FROM account_roles WHERE account_id = ${b.account.id}`), '0');
	// Every denial is logged.
	const { koreLog } = await import('./lib.mjs');
	assert.match(koreLog(), new RegExp(`denied id=\\S+ account=${b.account.id} route=PUT /api/v1/admin/accounts/\\{id\\}/roles/\\{role\\} status=403`));
});

test('admins grant and revoke roles; staff need a department; the last admin stays; all audited', async () => {
	const admin = await accountWith(['admin']);
	const x = await accountWith([]);
	const put = (role, body) => req(`/api/v1/admin/accounts/${x.account.id}/roles/${role}`, { method: 'PUT',
		headers: { ...bearer(admin), ...(body ? { 'content-type': 'application/json' } : {}) },
		body: body && JSON.stringify(body) });
	let e = expectError(await put('staff'), 422);
	assert.ok(e.fields.department);
	e = expectError(await put('staff', { department: 'gibt-es-nicht' }), 422);
	e = expectError(await put('moderator', { department: dept }), 422);
	e = expectError(await put('root'), 404);
	let r = await put('moderator');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, { account_id: x.account.id, role: 'moderator', department: null });
	const xs = await login(x.email);
	assert.ok(xs.account.roles.includes('moderator'));
	const list = await req('/api/v1/admin/accounts?role=moderator', { headers: bearer(admin) });
	assert.ok(list.json.accounts.some((a) => a.id === x.account.id));
	assert.ok(!list.text.includes('@'), 'administrators never see addresses');
	r = await req(`/api/v1/admin/accounts/${x.account.id}/roles/moderator`, { method: 'DELETE', headers: bearer(admin) });
	assert.equal(r.status, 204);
	expectError(await req(`/api/v1/admin/accounts/${x.account.id}/roles/moderator`, { method: 'DELETE',
		headers: bearer(admin) }), 404);
	expectError(await req('/api/v1/admin/accounts/999999999/roles/board', { method: 'PUT', headers: bearer(admin) }), 404);
	const audit = psql(`SELECT string_agg(action || ':' || (detail->>'role'), ',' ORDER BY id)
		FROM audit_log WHERE target_id = ${x.account.id} AND actor_id = ${admin.account.id}`);
	assert.equal(audit, 'role_grant:moderator,role_revoke:moderator');

	// Only admins left are the ones in this database; revoke all but one.
	const admins = psql("SELECT string_agg(account_id::text, ',') FROM account_roles WHERE role = 'admin'").split(',');
	for (const id of admins.slice(1))
		psql(`DELETE FROM account_roles WHERE role = 'admin' AND account_id = ${id}`);
	const last = admins[0];
	const lastAdmin = Number(last) === admin.account.id ? admin : null;
	if (lastAdmin) {
		e = expectError(await req(`/api/v1/admin/accounts/${last}/roles/admin`, { method: 'DELETE',
			headers: bearer(admin) }), 409, 'last_admin');
	} else {
		psql(`INSERT INTO account_roles (account_id, role) VALUES (${admin.account.id}, 'admin')`);
		psql(`DELETE FROM account_roles WHERE role = 'admin' AND account_id = ${last}`);
		e = expectError(await req(`/api/v1/admin/accounts/${admin.account.id}/roles/admin`, { method: 'DELETE',
			headers: bearer(admin) }), 409, 'last_admin');
	}
	// Erasing the last administrator would leave nobody to grant roles.
	expectError(await req('/api/v1/me', { method: 'DELETE', headers: bearer(admin) }), 409, 'last_admin');
	assert.equal(psql(`SELECT count(*) FROM account_roles WHERE role = 'admin'`), '1');
});
