// Who may call which endpoint: one table, every role.
import test from 'node:test';
import assert from 'node:assert/strict';
import { req, json, psql, accountWith, bearer, uniqueEmail, register, login, expectError } from './lib.mjs';

const ROLES = ['anonymous', 'citizen', 'moderator', 'staff', 'planner', 'board', 'admin'];
const everyone = (status) => Object.fromEntries(ROLES.map((r) => [r, status]));
const signedIn = (status) => ({ ...everyone(status), anonymous: 401 });
const adminOnly = (status) => ({ ...everyone(403), anonymous: 401, admin: status });
const only = (roles, status) => ({ ...everyone(403), anonymous: 401,
	...Object.fromEntries(roles.map((r) => [r, status])) });
const all = (v) => ({ strategie: v, nutzen: v, reife: v, daten: v, machbarkeit: v });

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

	// Ideas: public reads; contributions need an account; moderation,
	// status and assessment need their role.
	['GET', () => '/api/v1/ideas', undefined, everyone(200)],
	['GET', () => '/api/v1/ideas.geojson', undefined, everyone(200)],
	['GET', () => '/api/v1/ideas/similar?q=Radweg', undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/ideas/${t.idea}`, undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/ideas/${t.pending}`, undefined, { ...everyone(404), moderator: 200 }],
	['POST', () => '/api/v1/ideas', () => ({ title: 'Eine Idee aus der Tabelle',
		description: 'Beschreibung einer Idee aus der Rollentabelle.', field: 'energie' }), signedIn(201)],
	['POST', (c, t) => `/api/v1/ideas/${t.idea}/supports`, undefined, signedIn(201)],
	['DELETE', (c, t) => `/api/v1/ideas/${t.idea}/supports`, undefined, signedIn(200)],
	['POST', (c, t) => `/api/v1/ideas/${t.idea}/comments`, () => ({ body: 'Ein Kommentar.' }), signedIn(201)],
	['POST', (c, t) => `/api/v1/ideas/${t.idea}/flags`, () => ({ reason: 'spam' }), signedIn(201)],
	['POST', (c, t) => `/api/v1/comments/${t.comment}/flags`, () => ({ reason: 'spam' }), signedIn(201)],
	['POST', (c, t) => `/api/v1/ideas/${t.statusIdea[c?.role || "anonymous"]}/status`,
		() => ({ status: 'under_review', justification: 'Wird geprüft, versprochen.' }),
		only(['moderator', 'staff', 'planner'], 200)],
	['GET', (c, t) => `/api/v1/ideas/${t.idea}/assessments`, undefined, only(['board'], 200)],
	['PUT', (c, t) => `/api/v1/ideas/${t.idea}/assessment`, () => ({ scores: all(2) }), only(['board'], 200)],
	['GET', () => '/api/v1/board/ranking', undefined, only(['board'], 200)],
	['GET', () => '/api/v1/board/criteria', undefined, only(['board', 'admin'], 200)],
	['GET', () => '/api/v1/moderation/queue', undefined, only(['moderator'], 200)],
	['POST', () => '/api/v1/moderation/decisions', (c, t) => ({ kind: 'idea', ids: [t.pending],
		decision: 'reject', reason: 'spam' }), only(['moderator'], 200)],
	['PATCH', (c, t) => `/api/v1/moderation/ideas/${t.idea}`, () => ({ title: 'Ein neuer Titel',
		note: 'Aus der Tabelle' }), only(['moderator'], 200)],
	['PATCH', (c, t) => `/api/v1/moderation/comments/${t.comment}`, () => ({ body: 'Gekürzt.',
		note: 'Aus der Tabelle' }), only(['moderator'], 200)],
	['GET', () => '/api/v1/moderation/log', undefined, only(['moderator', 'admin'], 200)],
	['GET', () => '/api/v1/moderation/reasons', undefined, everyone(200)],
	['GET', () => '/api/v1/admin/settings', undefined, adminOnly(200)],
	['PUT', () => '/api/v1/admin/settings', () => ({ flag_threshold: 100 }), adminOnly(200)],
	['PUT', () => '/api/v1/admin/criteria/tabelle', () => ({ name_de: 'Tabelle', name_en: 'Table', weight: 1,
		position: 99, active: false }), adminOnly(200)],
];

// What the idea rows act on: a published idea with a published comment, a
// pending idea, and one published idea per role for status changes.
async function ideaTargets(target) {
	const mod = who.moderator;
	const post = async (author) => (await json('POST', '/api/v1/ideas', { title: 'Zielidee der Tabelle',
		description: 'Eine Idee, an der die Rollentabelle arbeitet.', field: 'energie' }, bearer(author))).json.id;
	const publish = (kind, id) => json('POST', '/api/v1/moderation/decisions',
		{ kind, ids: [id], decision: 'publish' }, bearer(mod));
	target.idea = await post(target);
	await publish('idea', target.idea);
	target.pending = await post(target);
	target.comment = (await json('POST', `/api/v1/ideas/${target.idea}/comments`, { body: 'Zielkommentar' },
		bearer(target))).json.id;
	await publish('comment', target.comment);
	target.statusIdea = {};
	for (const role of ROLES) {
		target.statusIdea[role] = await post(target);
		await publish('idea', target.statusIdea[role]);
	}
}

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
	for (const role of ROLES.slice(1)) {
		who[role].role = role;
		psql(`UPDATE accounts SET verified_at = now() WHERE id = ${who[role].account.id}`);
	}
	psql(`UPDATE accounts SET verified_at = now() WHERE id = ${target.account.id}`);
	psql("UPDATE settings SET value = 'pre' WHERE key = 'moderation_mode'");
	psql("UPDATE settings SET value = '100' WHERE key = 'flag_threshold'");
	await ideaTargets(target);

	for (const [method, path, body, expect] of TABLE) {
		for (const role of ROLES) {
			const caller = who[role];
			// Signing out ends the caller's session: give each a fresh one.
			const session = caller && method === 'DELETE' && path(caller, target) === '/api/v1/session'
				? await login(caller.email) : caller;
			const p = path(session, target);
			const headers = { ...(body ? { 'content-type': 'application/json' } : {}),
				...(session ? bearer(session) : {}), 'x-forwarded-for': `10.77.0.${ROLES.indexOf(role) + 1}` };
			const r = await req(p, { method, headers,
				body: body ? JSON.stringify(body(session || { account: { id: 0 } }, target)) : undefined });
			await t.test(`${role} ${method} ${p} → ${expect[role]}`, () => {
				assert.equal(r.status, expect[role], r.text);
				if (r.status >= 400) expectError(r, r.status);
			});
		}
	}
	// The target's session survived every stranger's attempt to end it.
	assert.equal((await req('/api/v1/me', { headers: bearer(target) })).status, 200);
	psql("UPDATE settings SET value = '3' WHERE key = 'flag_threshold'");
	psql("DELETE FROM criteria WHERE slug = 'tabelle'");
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
