// Who may call which endpoint: one table, every role, every route.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { req, json, psql, accountWith, bearer, uniqueEmail, register, login, expectError, mailsTo,
	linkToken, sleep, PASSWORD, member, postIdea, decide } from './lib.mjs';

const ROLES = ['anonymous', 'citizen', 'moderator', 'staff', 'planner', 'board', 'admin'];
const everyone = (status) => Object.fromEntries(ROLES.map((r) => [r, status]));
const signedIn = (status) => ({ ...everyone(status), anonymous: 401 });
const adminOnly = (status) => ({ ...everyone(403), anonymous: 401, admin: status });
const only = (roles, status) => ({ ...everyone(403), anonymous: 401,
	...Object.fromEntries(roles.map((r) => [r, status])) });
const all = (v) => ({ buergernutzen: v, 'kosten-nutzen': v, 'strategische-wirkung': v, aussenwirkung: v });

// Pages answer people: without a session they are sent to the sign-in
// page ('303 /anmelden': status, then the Location's path, {id} for any
// number), without the role they get an HTML 403 page.
const TO_LOGIN = '303 /anmelden';
const pageSignedIn = (v) => ({ ...everyone(v), anonymous: TO_LOGIN });
const pageOnly = (roles, v) => ({ ...everyone(403), anonymous: TO_LOGIN,
	...Object.fromEntries(roles.map((r) => [r, v])) });

// Every route of the server, read from its one table (src/routes.c).
const ROUTES = [...readFileSync(new URL('../../src/routes.c', import.meta.url), 'utf8')
	.matchAll(/\{\s*M_(GET|POST|PUT|PATCH|DELETE),\s*"([^"]+)",\s*(ROUTE_[A-Z0-9]+)/g)]
	.map(([, method, pattern, kind]) => ({ method, pattern, kind, re: patternRe(pattern) }));

// "/ideen/{id}/melden" → /^\/ideen\/[^/]+\/melden$/: a name is one segment.
function patternRe(pattern) {
	return new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\/]/g, '\\$&').replace(/\{[a-z_]+\}/g, '[^/]+')}$`);
}

// The route a request lands on: the first of its method that matches, as
// the router takes it (so /ideen/neu is not /ideen/{id}).
const routeOf = (method, path) => ROUTES.find((r) => r.method === method && r.re.test(path.split('?')[0]));

let who = {};
let dept;
let boardScores = {};

const FORM = 'application/x-www-form-urlencoded';
const ipOf = (role) => `10.77.0.${ROLES.indexOf(role) + 1}`;
const alive = async (s) => (await req('/api/v1/me', { headers: bearer(s) })).status === 200;

// A token from a mail: a new account's verification, or a password reset.
async function verifyToken() {
	const email = uniqueEmail('tblverify');
	await register(email);
	return { token: linkToken(mailsTo(email)[0]) };
}
async function resetToken() {
	const email = uniqueEmail('tblreset');
	await register(email);
	const r = await json('POST', '/api/v1/password-reset', { email });
	assert.equal(r.status, 202, r.text);
	return { token: linkToken(mailsTo(email).find((m) => m.includes('passwort-neu'))) };
}

// An unsubscribe link from a notification: someone's idea decided.
async function unsubscribeToken() {
	const author = await member();
	const idea = await postIdea(author);
	const r = await decide(who.moderator, 'idea', [idea.id], 'publish');
	assert.equal(r.status, 200, r.text);
	const mail = mailsTo(author.email).find((m) => /^List-Unsubscribe:/m.test(m));
	return { t: mail.match(/abbestellen\?t=([^>\s]+)/)[1], author };
}

// The form stamp /ideen/neu shows its caller (none for the anonymous).
async function formStamp(c, t, role) {
	if (!c) return { stamp: '' };
	const r = await req('/ideen/neu', { headers: { ...bearer(c), 'x-forwarded-for': ipOf(role) } });
	assert.equal(r.status, 200, r.text);
	return { stamp: r.text.match(/name="form_stamp" value="([^"]+)"/)[1] };
}

// The Open311 key form's one-time stamp (admins only see the form).
async function keyFormStamp(c, t, role) {
	if (!c || role !== 'admin') return { stamp: '' };
	const r = await req('/verwaltung/open311', { headers: { ...bearer(c), 'x-forwarded-for': ipOf(role) } });
	assert.equal(r.status, 200, r.text);
	return { stamp: r.text.match(/name="form_stamp" value="([^"]+)"/)[1] };
}

// The form stamp of the report form's second step, for every caller.
async function defectStamp(c, t, role) {
	const r = await req('/maengel/neu?schritt=2&category=strassenschaden&lat=52,2641&lon=10,5229',
		{ headers: { ...(c ? bearer(c) : {}), 'x-forwarded-for': ipOf(role) } });
	assert.equal(r.status, 200, r.text);
	return { stamp: r.text.match(/name="form_stamp" value="([^"]+)"/)[1] };
}

// The gebaerdensprache texts as they are: a row writes them back unchanged.
async function siteTexts() {
	const t = (await req('/api/v1/site')).json.texts.gebaerdensprache;
	return { de: t.de.body, en: t.en.body };
}

// Another session of the caller's own, for ending it by its id.
async function ownOtherSession(c) {
	if (!c) return { id: 1 };
	const other = await login(c.email);
	const list = await req('/api/v1/me/sessions', { headers: bearer(other) });
	return { id: list.json.sessions.find((s) => s.current).id, other };
}

// What rows that end sessions or accounts must leave behind.
const endsThisSession = async ({ caller, role }) => {
	assert.equal(await alive(caller), false, 'the session is over');
	assert.equal(await alive(who[role]), true, 'the caller\'s other sessions remain');
};
const endsAllSessions = async ({ caller, role }) => {
	assert.equal(await alive(caller), false, 'the session is over');
	assert.equal(await alive(who[role]), false, 'so are the caller\'s other sessions');
};
const replacesSession = async ({ r, caller, role }) => {
	assert.equal(await alive(caller), false, 'the session signed in with is replaced');
	assert.equal(await alive(who[role]), true, 'the caller\'s other sessions remain');
	const token = r.json?.token;
	const cookie = (r.headers.get('set-cookie') || '').match(/^(mw_session=[^;]+)/)?.[1];
	assert.ok(token || cookie, 'a new session');
	const me = await req('/api/v1/me', { headers: token ? { authorization: `Bearer ${token}` } : { cookie } });
	assert.equal(me.json.id, caller.account.id, 'the new session is the caller\'s');
};
// The last-admin rule: an admin may go only while another remains.
const adminsRemain = async (c) => {
	if (c?.role === 'admin')
		assert.ok(Number(psql("SELECT count(*) FROM account_roles WHERE role = 'admin'")) > 1);
	return {};
};
const erasesAccount = async ({ caller }) => {
	assert.equal(await alive(caller), false, 'the session went with the account');
	assert.equal(psql(`SELECT deleted_at IS NOT NULL AND email_lookup IS NULL FROM accounts
		WHERE id = ${caller.account.id}`), 't', 'the account is erased');
};

// Each row: method, path and body (functions of the caller, a target
// account and what the row's prep made), the expected status per role,
// and options:
//   fresh: 'session'  the caller acts with a new session of their own
//          'account'  the caller is a new account of that role
//   prep(caller, target, role)  per caller, before the requests
//   settle  milliseconds to wait between the preps and the requests
//   type    the request's content type (else JSON, or a form for pages)
//   text    what a successful (2xx) answer's body shows
//   check({ r, caller, role, target, x })  more assertions, signed in only
const TABLE = [
	['GET', () => '/api/v1/me', undefined, signedIn(200)],
	['PATCH', (c) => '/api/v1/me', (c) => ({ pseudonym: `neu-${c.account.id}-x` }), signedIn(200)],
	// The optional age band: one's own only (there is no other's to name).
	['PATCH', () => '/api/v1/me', () => ({ age_band: '30-44' }), signedIn(200),
		{ check: ({ caller }) => assert.equal(psql(`SELECT age_band FROM accounts WHERE id = ${caller.account.id}`), '30-44') }],
	['GET', () => '/api/v1/me/export', undefined, signedIn(200)],
	['GET', () => '/api/v1/me/contributions', undefined, signedIn(200)],
	['GET', () => '/api/v1/me/contributions?limit=5&offset=0', undefined, signedIn(200)],
	['GET', () => '/api/v1/me/sessions', undefined, signedIn(200)],
	['GET', () => '/api/v1/me/notifications', undefined, signedIn(200)],
	['PATCH', () => '/api/v1/me/notifications', () => ({ idea_status: false }), signedIn(200),
		{ check: ({ caller }) => assert.equal(psql(`SELECT idea_status FROM notification_settings
			WHERE account_id = ${caller.account.id}`), 'f') }],
	['POST', () => '/api/v1/me/consent-code', undefined, signedIn(201)],
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
	['DELETE', () => '/api/v1/session', undefined, signedIn(204), { fresh: 'session', check: endsThisSession }],

	// The rest of the account API: tokens from real mails, sessions and
	// accounts of the caller's own that may end.
	['POST', () => '/api/v1/accounts/verify', (c, t, x) => ({ token: x.token }), everyone(200),
		{ prep: verifyToken, text: /"verified":true/ }],
	// Signing in replaces the session the request came with (no fixation).
	['POST', () => '/api/v1/session', (c, t) => ({ email: (c.email || t.email), password: PASSWORD,
		kind: 'bearer' }), everyone(200), { fresh: 'session', check: replacesSession }],
	['POST', () => '/api/v1/password-reset/confirm', (c, t, x) => ({ token: x.token,
		password: 'ein anderes langes Passwort' }), everyone(200),
	{ prep: resetToken, text: /"password_changed":true/ }],
	['DELETE', (c, t, x) => `/api/v1/me/sessions/${x.id}`, undefined, signedIn(200), { prep: ownOtherSession,
		check: async ({ x }) => assert.equal(await alive(x.other), false, 'the own other session is over') }],
	['DELETE', () => '/api/v1/me/sessions', undefined, signedIn(204), { fresh: 'session', check: endsAllSessions }],
	// Admins may erase themselves while other admins remain (who.admin).
	['DELETE', () => '/api/v1/me', undefined, signedIn(204),
		{ fresh: 'account', prep: adminsRemain, check: erasesAccount }],

	// Ideas: public reads; contributions need an account; moderation,
	// status and assessment need their role.
	['GET', () => '/api/v1/ideas', undefined, everyone(200)],
	['GET', () => '/api/v1/ideas.geojson', undefined, everyone(200)],
	['GET', () => '/api/v1/ideas/similar?q=Radweg', undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/ideas/${t.idea}`, undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/comments/${t.comment}`, undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/ideas/${t.idea}/comments`, undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/ideas/${t.pending}/comments`, undefined, { ...everyone(404), moderator: 200 }],
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
	// The board's selection of projects: only the board; each role
	// decides on a project of its own, so the one who may does it once.
	['GET', (c, t) => `/api/v1/projects/${t.project}/assessments`, undefined, only(['board'], 200)],
	['PUT', (c, t) => `/api/v1/projects/${t.project}/assessment`, () => ({ scores: all(2) }), only(['board'], 200)],
	['GET', () => '/api/v1/board/projects', undefined, only(['board'], 200)],
	['POST', (c, t) => `/api/v1/projects/${t.decideProject[c?.role || 'anonymous']}/decision`,
		() => ({ decision: 'selected', reason: 'Aus der Rollentabelle.' }), only(['board'], 200)],
	['GET', () => '/api/v1/moderation/queue', undefined, only(['moderator'], 200)],
	['POST', () => '/api/v1/moderation/decisions', (c, t) => ({ kind: 'idea', ids: [t.pending],
		decision: 'reject', reason: 'spam' }), only(['moderator'], 200)],
	['POST', (c, t) => `/api/v1/moderation/decisions/${t.undoDecision}/undo`, () => ({}), only(['moderator'], 200)],
	['PATCH', (c, t) => `/api/v1/moderation/ideas/${t.idea}`, () => ({ title: 'Ein neuer Titel',
		note: 'Aus der Tabelle' }), only(['moderator'], 200)],
	['PATCH', (c, t) => `/api/v1/moderation/comments/${t.comment}`, () => ({ body: 'Gekürzt.',
		note: 'Aus der Tabelle' }), only(['moderator'], 200)],
	['GET', () => '/api/v1/moderation/log', undefined, only(['moderator', 'admin'], 200)],
	['GET', () => '/api/v1/moderation/reasons', undefined, everyone(200)],

	// Surveys: exports are the planners'.
	['GET', (c, t) => `/api/v1/surveys/${t.survey.open}/export`, undefined, only(['planner'], 200)],
	['GET', (c, t) => `/api/v1/surveys/${t.survey.open}/export?format=spss`, undefined, only(['planner'], 200)],
	['GET', () => '/api/v1/admin/settings', undefined, adminOnly(200)],
	// The taxonomy an admin keeps: names of fields and goals, districts.
	['PUT', () => '/api/v1/admin/fields/energie', () => ({ description_en: 'Energy, from the table.' }), adminOnly(200)],
	['PUT', () => '/api/v1/admin/goals/staedtische-ziele-umsetzen', () => ({ description_en: 'From the table.' }),
		adminOnly(200)],
	['POST', () => '/api/v1/admin/districts', (c) => ({ slug: `tbl-${c?.role || 'anon'}-${Date.now() % 1e6}`,
		name: 'Bezirk der Tabelle' }), adminOnly(201), { check: () => psql("UPDATE districts SET active = false WHERE slug LIKE 'tbl%'") }],
	['PUT', (c, t, x) => `/api/v1/admin/districts/${x.slug}`, () => ({ name: 'Umbenannt aus der Tabelle' }),
		adminOnly(200), { prep: tableDistrict }],
	// The administration's pages: admins only, the rest a 403 page.
	['GET', () => '/verwaltung', undefined, pageOnly(['admin'], 200)],
	['GET', () => '/verwaltung/konten?q=a', undefined, pageOnly(['admin'], 200)],
	['GET', (c, t) => `/verwaltung/konten/${t.account.id}`, undefined, pageOnly(['admin'], 200)],
	['POST', (c, t) => `/verwaltung/konten/${t.account.id}/rollen`, () => ({ role: 'planner', department: '',
		confirm: 'ja' }), pageOnly(['admin'], '303 /verwaltung/konten/{id}')],
	['POST', (c, t) => `/verwaltung/konten/${t.account.id}/rollen/entziehen`, () => ({ role: 'planner',
		confirm: 'ja' }), pageOnly(['admin'], '303 /verwaltung/konten/{id}'), { prep: plannerRole }],
	['GET', () => '/verwaltung/einstellungen', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/einstellungen', () => ({ flag_threshold: '100' }),
		pageOnly(['admin'], '303 /verwaltung/einstellungen')],
	['GET', () => '/verwaltung/kriterien', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/kriterien/tabelle', () => ({ name_de: 'Tabelle', name_en: 'Table', weight: '1',
		position: '99' }), pageOnly(['admin'], '303 /verwaltung/kriterien')],
	['GET', () => '/verwaltung/taxonomie', undefined, pageOnly(['admin'], 200)],
	['GET', () => '/verwaltung/taxonomie/felder/energie', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/taxonomie/felder/energie', () => ({ description_de: 'Energie, per Formular.' }),
		pageOnly(['admin'], '303 /verwaltung/taxonomie')],
	['GET', () => '/verwaltung/taxonomie/ziele/staedtische-ziele-umsetzen', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/taxonomie/ziele/staedtische-ziele-umsetzen', () => ({ description_de: 'Per Formular.' }),
		pageOnly(['admin'], '303 /verwaltung/taxonomie')],
	['POST', () => '/verwaltung/taxonomie/bezirke', (c) => ({ slug: `tblf-${c?.role || 'anon'}-${Date.now() % 1e6}`,
		name: 'Bezirk per Formular' }), pageOnly(['admin'], '303 /verwaltung/taxonomie/bezirke/{slug}'),
		{ check: () => psql("UPDATE districts SET active = false WHERE slug LIKE 'tbl%'") }],
	['GET', (c, t, x) => `/verwaltung/taxonomie/bezirke/${x.slug}`, undefined, pageOnly(['admin'], 200),
		{ prep: tableDistrict }],
	['POST', (c, t, x) => `/verwaltung/taxonomie/bezirke/${x.slug}`, () => ({ name: 'Per Formular umbenannt' }),
		pageOnly(['admin'], '303 /verwaltung/taxonomie/bezirke/{slug}'), { prep: tableDistrict }],
	// The table's districts start retired; bringing one back is the change.
	['POST', (c, t, x) => `/verwaltung/taxonomie/bezirke/${x.slug}/aktiv`, () => ({ active: 'true', confirm: 'ja' }),
		pageOnly(['admin'], '303 /verwaltung/taxonomie/bezirke/{slug}'),
		{ prep: tableDistrict, check: () => psql("UPDATE districts SET active = false WHERE slug LIKE 'tbl%'") }],
	['GET', () => '/verwaltung/kategorien', undefined, pageOnly(['admin'], 200)],
	['GET', () => '/verwaltung/kategorien/spielplatz', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/kategorien/spielplatz', () => ({ department: 'stadtgruen', ack_days: '2',
		resolve_days: '14', active: 'true' }), pageOnly(['admin'], '303 /verwaltung/kategorien')],
	// A new criterion from the form; sent without "active" it starts retired,
	// so the board's other tests still score the criteria they know.
	['POST', () => '/verwaltung/kriterien', (c) => ({ slug: `tblk-${c?.role || 'anon'}-${Date.now() % 1e6}`,
		name_de: 'Tabelle', name_en: 'Table', weight: '1', position: '99' }),
		pageOnly(['admin'], '303 /verwaltung/kriterien'),
		{ check: () => psql("DELETE FROM criteria WHERE slug LIKE 'tblk-%'") }],
	['GET', () => '/verwaltung/open311', undefined, pageOnly(['admin'], 200)],
	// The key form is spent with its stamp (one key per form): a fresh one.
	['POST', () => '/verwaltung/open311', (c, t, x) => ({ name: 'Per Formular', form_stamp: x.stamp }),
		pageOnly(['admin'], 200), { prep: keyFormStamp, text: /<code class="secret">/ }],
	['POST', (c, t, x) => `/verwaltung/open311/${x.id}/widerrufen`, () => ({ confirm: 'ja' }),
		pageOnly(['admin'], '303 /verwaltung/open311'), { prep: open311Key }],
	['PUT', () => '/api/v1/admin/settings', () => ({ flag_threshold: 100 }), adminOnly(200)],
	['PUT', () => '/api/v1/admin/criteria/tabelle', () => ({ name_de: 'Tabelle', name_en: 'Table', weight: 1,
		position: 99, active: false }), adminOnly(200)],

	// Surveys: drafts only for planners; responses as the access mode says;
	// results public only when published.
	['GET', () => '/api/v1/surveys', undefined, everyone(200)],
	['POST', () => '/api/v1/surveys', () => ({ definition: SURVEY_DEF }), only(['planner'], 201)],
	['GET', (c, t) => `/api/v1/surveys/${t.survey.open}`, undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/surveys/${t.survey.draft}`, undefined, { ...everyone(404), planner: 200 }],
	['PUT', (c, t) => `/api/v1/surveys/${t.survey.draft}`, () => ({ definition: SURVEY_DEF }), only(['planner'], 200)],
	['POST', (c, t) => `/api/v1/surveys/${t.survey.open}/copy`, undefined, only(['planner'], 201)],
	['POST', (c, t) => `/api/v1/surveys/${t.survey.drafts[c?.role || 'anonymous']}/open`, undefined,
		only(['planner'], 200)],
	['POST', (c, t) => `/api/v1/surveys/${t.survey.opens[c?.role || 'anonymous']}/close`, undefined,
		only(['planner'], 200)],
	['POST', (c, t) => `/api/v1/surveys/${t.survey.open}/responses`, () => ({ answers: { mode: 'bus' } }),
		everyone(201)],
	['POST', (c, t) => `/api/v1/surveys/${t.survey.account}/responses`, () => ({ answers: { mode: 'rad' } }),
		signedIn(201)],
	['GET', (c, t) => `/api/v1/surveys/${t.survey.drafty}/draft`, undefined, signedIn(200), { prep: surveyDraft }],
	['PUT', (c, t) => `/api/v1/surveys/${t.survey.open}/draft`, () => ({ answers: { mode: 'auto' } }),
		signedIn(409), { check: async ({ r }) => assert.equal(r.json.error.code, 'already_responded') }],
	['PUT', (c, t) => `/api/v1/surveys/${t.survey.drafty}/draft`, () => ({ answers: { mode: 'auto' } }),
		signedIn(200)],
	['DELETE', (c, t) => `/api/v1/surveys/${t.survey.drafty}/draft`, undefined, signedIn(204), { prep: surveyDraft }],
	['POST', (c, t) => `/api/v1/surveys/${t.survey.codes}/codes`, () => ({ count: 2 }), only(['planner'], 201)],
	['GET', (c, t) => `/api/v1/surveys/${t.survey.open}/results`, undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/surveys/${t.survey.account}/results`, undefined, { ...everyone(403), planner: 200 }],
	// Survey pages for respondents (drafts only for planners; results when published).
	['GET', () => '/umfragen', undefined, everyone(200)],
	['GET', (c, t) => `/umfragen/${t.survey.page}`, undefined, everyone(200)],
	['GET', (c, t) => `/umfragen/${t.survey.draft}`, undefined, { ...everyone(404), planner: 200 }],
	['POST', (c, t) => `/umfragen/${t.survey.page}`, () => ({ page: '0', action: 'submit', q_mode: 'bus' }),
		everyone('303 /umfragen/{id}/danke')],
	['GET', (c, t) => `/umfragen/${t.survey.open}/danke`, undefined, everyone(200)],
	['GET', (c, t) => `/umfragen/${t.survey.page}/interaktiv`, undefined, everyone(200)],
	['GET', (c, t) => `/umfragen/${t.survey.open}/ergebnisse`, undefined, everyone(200)],
	['GET', (c, t) => `/umfragen/${t.survey.account}/ergebnisse`, undefined, { ...everyone(403), planner: 200 }],
	// The forum dashboard: public; the internal view (stats_k_internal)
	// for planners only.
	['GET', () => '/api/v1/stats/dashboard', undefined, everyone(200)],
	['GET', () => '/api/v1/stats/dashboard?internal=1', undefined, { ...everyone(403), anonymous: 401, planner: 200 }],
	['GET', () => '/api/v1/stats/dashboard.csv', undefined, everyone(200)],
	['GET', () => '/api/v1/stats/dashboard.csv?internal=1', undefined, { ...everyone(403), anonymous: 401, planner: 200 }],
	['GET', () => '/api/v1/stats/inclusion', undefined, everyone(200)],
	['GET', () => '/api/v1/stats/inclusion?internal=1', undefined, { ...everyone(403), anonymous: 401, planner: 200 }],
	['GET', () => '/statistik', undefined, everyone(200)],
	['GET', () => '/statistik/handlungsfelder', undefined, everyone(200)],
	['GET', () => '/statistik/teilhabe', undefined, everyone(200)],

	// Defect reports: anyone reports, reads and supports; the staff of the
	// report's department (and admins) work it; staff of another
	// department may not (the "elsewhere" rows: department swaps).
	['GET', () => '/api/v1/defects', undefined, everyone(200)],
	['POST', () => '/api/v1/defects', () => DEFECT, everyone(201)],
	['GET', () => '/api/v1/defects.geojson', undefined, everyone(200)],
	// Open data for everyone; the evaluation report for planners.
	['GET', () => '/api/v1/opendata', undefined, everyone(200)],
	['GET', () => '/api/v1/opendata/ideas.csv', undefined, everyone(200)],
	['GET', () => '/api/v1/opendata/survey-results.json', undefined, everyone(200)],
	['GET', () => '/offene-daten', undefined, everyone(200)],
	['GET', () => '/api/v1/evaluation?from=2018-03-01&to=2018-04-30', undefined, only(['planner'], 200)],
	['GET', () => '/planung/auswertung', undefined, pageOnly(['planner'], 200)],
	['GET', () => '/planung/auswertung?from=2018-03-01&to=2018-04-30', undefined, pageOnly(['planner'], 200)],
	['GET', () => '/api/v1/defects/nearby?category=strassenschaden&lat=52.26&lon=10.52', undefined, everyone(200)],
	['GET', (c, t) => `/api/v1/defects/${t.defect.here}`, undefined, everyone(200)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.here}/supports`, undefined, everyone(201)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.status[c?.role || 'anonymous']}/status`, () => DEFECT_STATUS,
		only(['staff', 'admin'], 200)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.elsewhere[c?.role || 'anonymous']}/status`, () => DEFECT_STATUS,
		only(['admin'], 200)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.reassign[c?.role || 'anonymous']}/department`,
		() => ({ department: 'buergerservice', note: 'Bitte weiterleiten an den Bürgerservice.' }),
		only(['staff', 'admin'], 200)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.elsewhere2[c?.role || 'anonymous']}/department`,
		() => ({ department: 'buergerservice', note: 'Bitte weiterleiten an den Bürgerservice.' }),
		only(['admin'], 200)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.here}/messages`, () => ({ body: 'Eine Rückfrage des Amts.' }),
		{ ...everyone(404), anonymous: 401, staff: 201, admin: 201 }],
	['POST', (c, t) => `/api/v1/defects/${t.defect.elsewhere.admin}/messages`,
		() => ({ body: 'Eine Rückfrage des falschen Amts.' }),
		{ ...everyone(404), anonymous: 401, staff: 403, admin: 201 }],
	['POST', (c, t) => `/api/v1/defects/${t.defect.here}/messages`,
		(c, t) => ({ body: 'Eine Antwort über den Link.', token: t.defect.token }), everyone(201)],
	['POST', (c, t) => `/api/v1/defects/${t.defect.resolved[c?.role || 'anonymous']}/feedback`,
		(c, t) => ({ action: 'confirm', token: t.defect.tokens[c?.role || 'anonymous'] }), everyone(200)],
	['GET', (c, t) => `/api/v1/defects/${t.defect.photo}/photos/1`, undefined,
		{ ...everyone(404), moderator: 200, staff: 200, admin: 200 }],
	['GET', (c, t) => `/api/v1/defect-status/${t.defect.token}`, undefined, everyone(200)],
	['DELETE', (c, t) => `/api/v1/defect-status/${t.defect.tokens[c?.role || 'anonymous']}/email`, undefined,
		everyone(200)],
	['GET', () => '/api/v1/staff/defects', undefined, only(['staff', 'admin'], 200)],
	['GET', () => '/api/v1/moderation/defects', undefined, only(['moderator'], 200)],
	['PUT', () => '/api/v1/admin/categories/spielplatz', () => ({ ack_days: 3 }), adminOnly(200)],
	['POST', (c, t) => `/api/v1/moderation/defect-photos/${t.defect.photoId}`, () => ({ decision: 'publish' }),
		only(['moderator'], 200)],
	// Defect pages: the same rules as plain forms; another department's
	// staff get the 403 page.
	['GET', () => '/maengel', undefined, everyone(200)],
	['GET', () => '/maengel/neu?schritt=2&category=strassenschaden&lat=52,2641&lon=10,5229', undefined,
		everyone(200)],
	['POST', () => '/maengel/neu', (c, t, x) => ({ form_stamp: x.stamp, website: '', category: 'strassenschaden',
		lat: '52,2641', lon: '10,5229', description: 'Ein Schlagloch per Formular aus der Tabelle.' }),
	everyone('303 /maengel/status/{token}'), { prep: defectStamp, settle: 1100 }],
	['GET', (c, t) => `/maengel/${t.defect.here}`, undefined, everyone(200)],
	['POST', (c, t) => `/maengel/${t.defect.here}/unterstuetzen`, undefined, everyone('303 /maengel/{id}')],
	['GET', (c, t) => `/maengel/status/${t.defect.token}`, undefined, everyone(200)],
	['POST', (c, t) => `/maengel/status/${t.defect.token}/nachricht?id=${t.defect.here}`,
		(c, t) => ({ token: t.defect.token, body: 'Eine Nachricht per Formular.' }),
		everyone('303 /maengel/status/{token}')],
	['POST', (c, t) => `/maengel/status/${t.defect.pageTokens[c?.role || 'anonymous']}/rueckmeldung` +
		`?id=${t.defect.pageResolved[c?.role || 'anonymous']}`,
	(c, t) => ({ token: t.defect.pageTokens[c?.role || 'anonymous'], action: 'confirm' }),
	everyone('303 /maengel/status/{token}')],
	['POST', (c, t) => `/maengel/status/${t.defect.pageTokens[c?.role || 'anonymous']}/email-loeschen`, undefined,
		everyone('303 /maengel/status/{token}')],
	['GET', () => '/fachbereich', undefined, pageOnly(['staff', 'admin'], 200)],
	['GET', (c, t) => `/fachbereich/maengel/${t.defect.here}`, undefined, pageOnly(['staff', 'admin'], 200)],
	['POST', (c, t) => `/fachbereich/maengel/${t.defect.pageStatus[c?.role || 'anonymous']}/status`,
		() => DEFECT_STATUS, pageOnly(['staff', 'admin'], '303 /fachbereich/maengel/{id}')],
	['POST', (c, t) => `/fachbereich/maengel/${t.defect.pageElsewhere[c?.role || 'anonymous']}/status`,
		() => DEFECT_STATUS, pageOnly(['admin'], '303 /fachbereich/maengel/{id}')],
	['POST', (c, t) => `/fachbereich/maengel/${t.defect.pageReassign[c?.role || 'anonymous']}/fachbereich`,
		() => ({ department: 'buergerservice', note: 'Bitte weiterleiten an den Bürgerservice.' }),
		pageOnly(['staff', 'admin'], '303 /fachbereich/maengel/{id}')],
	['POST', (c, t) => `/fachbereich/maengel/${t.defect.here}/nachricht`, () => ({ body: 'Eine Rückfrage per Formular.' }),
		pageOnly(['staff', 'admin'], '303 /fachbereich/maengel/{id}')],
	['GET', () => '/moderation/maengel', undefined, pageOnly(['moderator'], 200)],
	['POST', (c, t) => `/moderation/maengel/fotos/${t.defect.photoId}`, () => ({ decision: 'publish' }),
		pageOnly(['moderator'], '303 /moderation/maengel')],

	// Public, unauthenticated: taxonomy, the contract, operations, assets,
	// CSP reports.
	['GET', () => '/api/v1/fields', undefined, everyone(200)],
	['GET', () => '/api/v1/fields/mobilitaet', undefined, everyone(200)],
	['GET', () => '/api/v1/goals', undefined, everyone(200)],
	['GET', () => '/api/v1/districts', undefined, everyone(200)],
	['GET', () => '/api/v1/categories', undefined, everyone(200)],
	['GET', () => '/api/v1/openapi.json', undefined, everyone(200)],
	['POST', () => '/api/v1/csp-reports', () => ({ 'csp-report': { 'document-uri': 'http://127.0.0.1/ideen',
		'blocked-uri': 'inline', 'violated-directive': 'script-src' } }), everyone(204),
		{ type: 'application/csp-report' }],
	['GET', () => '/healthz', undefined, everyone(200)],
	['GET', () => '/readyz', undefined, everyone(200)],
	['GET', () => '/metrics', undefined, everyone(200)],
	['GET', () => '/assets/style.css', undefined, everyone(200)],

	// The pages.  Account forms first: open to everyone.
	['GET', () => '/', undefined, everyone(200)],
	['GET', () => '/registrieren', undefined, everyone(200)],
	['POST', () => '/registrieren', () => ({ email: uniqueEmail('tblform'), password: PASSWORD }), everyone(200),
		{ text: /<h1>Fast geschafft<\/h1>/ }],
	['GET', () => '/anmelden', undefined, everyone(200)],
	['POST', () => '/anmelden', (c, t) => ({ email: c.email || t.email, password: PASSWORD }),
		everyone('303 /konto'), { fresh: 'session', check: replacesSession }],
	['GET', () => `/bestaetigen?token=${'x'.repeat(43)}`, undefined, everyone(200)],
	['POST', () => '/bestaetigen', (c, t, x) => ({ token: x.token }), everyone(200),
		{ prep: verifyToken, text: /<h1>E-Mail-Adresse bestätigt<\/h1>/ }],
	['GET', () => '/passwort-vergessen', undefined, everyone(200)],
	['POST', () => '/passwort-vergessen', () => ({ email: uniqueEmail('tblform') }), everyone(200),
		{ text: /<h1>E-Mail unterwegs<\/h1>/ }],
	['GET', () => `/passwort-neu?token=${'x'.repeat(43)}`, undefined, everyone(200)],
	['POST', () => '/passwort-neu', (c, t, x) => ({ token: x.token, password: 'ein anderes langes Passwort' }),
		everyone(200), { prep: resetToken, text: /<h1>Passwort geändert<\/h1>/ }],

	// The account page and its forms: one's own only.
	['GET', () => '/konto', undefined, pageSignedIn(200)],
	['GET', () => '/konto/beitraege', undefined, pageSignedIn(200)],
	['GET', () => '/konto/export', undefined, pageSignedIn(200)],
	['POST', () => '/konto/pseudonym', (c) => ({ pseudonym: `seite-${c.account.id}-x` }), pageSignedIn('303 /konto')],
	['POST', () => '/konto/altersgruppe', () => ({ age_band: '' }), pageSignedIn('303 /konto'),
		{ check: ({ caller }) => assert.equal(psql(`SELECT coalesce(age_band, 'keine') FROM accounts
			WHERE id = ${caller.account.id}`), 'keine') }],
	['POST', (c, t) => `/konto/sitzungen/${t.sessionId}/beenden`, undefined, pageSignedIn(404),
		{ check: async ({ target }) => assert.equal(await alive(target), true, 'the target\'s session remains') }],
	['POST', (c, t, x) => `/konto/sitzungen/${x.id}/beenden`, undefined, pageSignedIn('303 /konto'),
		{ prep: ownOtherSession,
			check: async ({ x }) => assert.equal(await alive(x.other), false, 'the own other session is over') }],
	['POST', () => '/konto/sitzungen/beenden', undefined, pageSignedIn('303 /anmelden'),
		{ fresh: 'session', check: endsAllSessions }],
	['POST', () => '/abmelden', undefined, pageSignedIn('303 /'), { fresh: 'session', check: endsThisSession }],
	['GET', () => '/konto/benachrichtigungen', undefined, pageSignedIn(200)],
	['POST', () => '/konto/benachrichtigungen', () => ({ idea_decision: 'on', lang: 'en' }),
		pageSignedIn('303 /konto/benachrichtigungen'),
		{ check: ({ caller }) => assert.equal(psql(`SELECT lang || idea_decision || idea_status
			FROM notification_settings WHERE account_id = ${caller.account.id}`), 'entruefalse') }],
	// Unsubscribing from a mail: anyone holding the link, signed in or not.
	['GET', (c, t, x) => `/abbestellen?t=${x.t}`, undefined, everyone(200),
		{ prep: unsubscribeToken, text: /Möchten Sie diese E-Mails abbestellen/,
			check: ({ x }) => assert.equal(psql(`SELECT count(*) FROM notification_settings
				WHERE account_id = ${x.author.account.id}`), '0', 'GET changes nothing') }],
	['POST', () => '/abbestellen', (c, t, x) => ({ t: x.t }), everyone(200),
		{ prep: unsubscribeToken, text: /keine E-Mails mehr/,
			check: ({ x }) => assert.equal(psql(`SELECT idea_decision FROM notification_settings
				WHERE account_id = ${x.author.account.id}`), 'f') }],
	['GET', () => `/abbestellen?t=1.1.idea_status.${'x'.repeat(43)}`, undefined, everyone(400)],
	['POST', () => '/abbestellen', () => ({ t: `1.1.idea_status.${'x'.repeat(43)}` }), everyone(400)],
	['POST', () => '/konto/loeschen', () => ({ confirm: 'ja' }), pageSignedIn(200),
		{ fresh: 'account', prep: adminsRemain, check: erasesAccount, text: /<h1>Konto gelöscht<\/h1>/ }],

	// Idea pages.
	['GET', () => '/ideen', undefined, everyone(200)],
	['GET', (c, t) => `/ideen/${t.idea}`, undefined, everyone(200)],
	['GET', (c, t) => `/ideen/${t.pendingView}`, undefined, { ...everyone(404), moderator: 200 }],
	['GET', () => '/ideen/neu', undefined, pageSignedIn(200)],
	['POST', () => '/ideen/neu', (c, t, x) => ({ form_stamp: x.stamp, website: '',
		title: 'Eine Idee aus dem Formular der Tabelle',
		description: 'Beschreibung einer Idee aus der Rollentabelle, per Formular.', field: 'energie' }),
	pageSignedIn('303 /ideen/{id}'), { prep: formStamp, settle: 1100 }],
	['POST', (c, t) => `/ideen/${t.idea}/unterstuetzen`, undefined, pageSignedIn('303 /ideen/{id}')],
	['POST', (c, t) => `/ideen/${t.idea}/unterstuetzung-zurueckziehen`, undefined, pageSignedIn('303 /ideen/{id}')],
	['POST', (c, t) => `/ideen/${t.idea}/kommentare`, () => ({ body: 'Ein Kommentar per Formular.' }),
		pageSignedIn('303 /ideen/{id}')],
	['POST', (c, t) => `/ideen/${t.idea2}/melden`, () => ({ reason: 'spam' }), pageSignedIn('303 /ideen/{id}')],
	['POST', (c, t) => `/kommentare/${t.comment2}/melden?idee=${t.idea}`, () => ({ reason: 'off-topic' }),
		pageSignedIn('303 /ideen/{id}')],
	['POST', (c, t) => `/ideen/${t.pageStatusIdea[c?.role || 'anonymous']}/status`,
		() => ({ status: 'under_review', justification: 'Wird geprüft, per Formular.' }),
		pageOnly(['moderator', 'staff', 'planner'], '303 /ideen/{id}')],

	// Moderation and board pages.
	['GET', () => '/moderation', undefined, pageOnly(['moderator'], 200)],
	['POST', () => '/moderation/entscheidungen?state=pending', (c, t) => ({ kind: 'idea', decision: 'reject',
		reason: 'spam', [`id-${t.pendingForm}`]: 'on' }), pageOnly(['moderator'], '303 /moderation')],
	['POST', (c, t) => `/moderation/entscheidungen/${t.pageUndoDecision}/rueckgaengig?tab=review&kind=idea`, () => ({}),
		pageOnly(['moderator'], '303 /moderation')],
	['GET', (c, t) => `/moderation/ideen/${t.idea}/bearbeiten`, undefined, pageOnly(['moderator'], 200)],
	['POST', (c, t) => `/moderation/ideen/${t.idea}/bearbeiten`, (c, t) => ({ title: 'Zielidee der Tabelle',
		description: 'Eine Idee, an der die Rollentabelle arbeitet.', note: 'Per Formular geprüft.',
		version: psql(`SELECT count(*) FROM idea_revisions WHERE kind = 'idea' AND target_id = ${t.idea}`) }),
		pageOnly(['moderator'], '303 /moderation/ideen/{id}/bearbeiten')],
	['GET', (c, t) => `/moderation/kommentare/${t.comment}/bearbeiten`, undefined, pageOnly(['moderator'], 200)],
	['POST', (c, t) => `/moderation/kommentare/${t.comment}/bearbeiten`, (c, t) => ({ body: 'Zielkommentar',
		note: 'Per Formular geprüft.',
		version: psql(`SELECT count(*) FROM idea_revisions WHERE kind = 'comment' AND target_id = ${t.comment}`) }), pageOnly(['moderator'], '303 /moderation/kommentare/{id}/bearbeiten')],
	['GET', () => '/gremium', undefined, pageOnly(['board'], 200)],
	['GET', (c, t) => `/gremium/ideen/${t.idea}`, undefined, pageOnly(['board'], 200)],
	['POST', (c, t) => `/gremium/ideen/${t.idea}`, () => ({ ...boardScores, comment: 'Per Formular.' }),
		pageOnly(['board'], '303 /gremium/ideen/{id}')],
	['GET', () => '/gremium/projekte', undefined, pageOnly(['board'], 200)],
	['GET', (c, t) => `/gremium/projekte/${t.project}`, undefined, pageOnly(['board'], 200)],
	['POST', (c, t) => `/gremium/projekte/${t.project}`, () => ({ ...boardScores, comment: 'Per Formular.' }),
		pageOnly(['board'], '303 /gremium/projekte/{id}')],
	['POST', (c, t) => `/gremium/projekte/${t.pageDecideProject[c?.role || 'anonymous']}/entscheidung`,
		() => ({ decision: 'rejected', reason: 'Per Formular.' }), pageOnly(['board'], '303 /gremium/projekte/{id}')],

	// The planners' survey pages: only planners; each survey acted on is
	// its own, so the one planner who may changes it once.
	['GET', () => '/planung/umfragen', undefined, pageOnly(['planner'], 200)],
	['POST', () => '/planung/umfragen', () => ({ definition: JSON.stringify(SURVEY_DEF), access: 'open' }),
		pageOnly(['planner'], '303 /planung/umfragen/{id}')],
	['GET', (c, t) => `/planung/umfragen/${t.survey.draft}`, undefined, pageOnly(['planner'], 200)],
	['POST', (c, t) => `/planung/umfragen/${t.survey.pageSave}`, () => ({ definition: JSON.stringify(SURVEY_DEF),
		version: '1' }), pageOnly(['planner'], '303 /planung/umfragen/{id}')],
	['POST', (c, t) => `/planung/umfragen/${t.survey.pageOpen}/oeffnen`, undefined,
		pageOnly(['planner'], '303 /planung/umfragen/{id}')],
	['POST', (c, t) => `/planung/umfragen/${t.survey.pageClose}/schliessen`, undefined,
		pageOnly(['planner'], '303 /planung/umfragen/{id}')],
	['POST', (c, t) => `/planung/umfragen/${t.survey.open}/kopieren`, undefined,
		pageOnly(['planner'], '303 /planung/umfragen/{id}')],
	['POST', (c, t) => `/planung/umfragen/${t.survey.codes}/codes`, () => ({ count: '2' }), pageOnly(['planner'], 201),
		{ text: /<p class="code">[A-Z2-9]{10}<\/p>/ }],
	['GET', (c, t) => `/planung/umfragen/${t.survey.draft}/vorschau?seite=1`, undefined, pageOnly(['planner'], 200)],

	// Open311: public, a POST needs an API key (not a session); the keys
	// are the admins'.
	['GET', () => '/open311/v2/discovery.json', undefined, everyone(200)],
	['GET', () => '/open311/v2/discovery.xml', undefined, everyone(200)],
	['GET', () => '/open311/v2/services.json', undefined, everyone(200)],
	['GET', () => '/open311/v2/services.xml', undefined, everyone(200)],
	['GET', () => '/open311/v2/services/strassenschaden.json', undefined, everyone(200)],
	['GET', () => '/open311/v2/requests.json', undefined, everyone(200)],
	['GET', () => '/open311/v2/requests.xml', undefined, everyone(200)],
	['POST', () => '/open311/v2/requests.json', (c, t) => ({ api_key: t.open311Key, service_code: 'strassenschaden',
		lat: '52.2689', long: '10.5211' }), everyone(200), { type: FORM }],
	['POST', () => '/open311/v2/requests.xml', () => ({ service_code: 'strassenschaden',
		lat: '52.2689', long: '10.5211' }), everyone(403), { type: FORM }],
	['GET', (c, t) => `/open311/v2/requests/${t.open311Report.service_request_id}.xml`, undefined, everyone(200)],
	['GET', (c, t) => `/open311/v2/tokens/${t.open311Report.token}.json`, undefined, everyone(200)],
	['GET', () => '/api/v1/admin/open311-keys', undefined, adminOnly(200)],
	['POST', () => '/api/v1/admin/open311-keys', () => ({ name: 'Aus der Tabelle' }), adminOnly(201)],
	['DELETE', (c, t, x) => `/api/v1/admin/open311-keys/${x.id}`, undefined, adminOnly(200), { prep: open311Key }],

	// The project registry: public reads; the planners maintain
	// Steckbriefe, status steps, criteria and measurements (each target
	// used once: only the planner gets past the role check).
	['GET', () => '/api/v1/projects', undefined, everyone(200)],
	['POST', () => '/api/v1/projects', () => PROJECT, only(['planner'], 201)],
	['GET', (c, t) => `/api/v1/projects/${t.registry.id}`, undefined, everyone(200)],
	['PUT', (c, t) => `/api/v1/projects/${t.registry.put}`, () => ({ ...PROJECT, version: 1 }),
		only(['planner'], 200)],
	['POST', (c, t) => `/api/v1/projects/${t.registry.selected}/status`,
		() => ({ status: 'in_implementation', note: 'Vergeben aus der Tabelle.' }), only(['planner'], 200)],
	['GET', (c, t) => `/api/v1/projects/${t.registry.id}/criteria`, undefined, everyone(200)],
	['POST', (c, t) => `/api/v1/projects/${t.registry.id}/criteria`, () => CRITERION, only(['planner'], 201)],
	['PUT', (c, t) => `/api/v1/projects/${t.registry.id}/criteria/${t.registry.criterion}`,
		() => ({ ...CRITERION, name_de: 'Geändert aus der Tabelle' }), only(['planner'], 200)],
	['DELETE', (c, t) => `/api/v1/projects/${t.registry.id}/criteria/${t.registry.doomed}`, undefined,
		only(['planner'], 200)],
	['POST', (c, t) => `/api/v1/projects/${t.registry.id}/criteria/${t.registry.criterion}/measurements`,
		() => ({ value: 3, measured_on: '2026-03-01', note: 'Aus der Tabelle' }), only(['planner'], 201)],
	['DELETE', (c, t) => `/api/v1/projects/${t.registry.id}/criteria/${t.registry.criterion}/measurements/` +
		`${t.registry.measurement}`, undefined, only(['planner'], 200)],
	// Project pages: public list and Steckbrief; the planners' forms.
	['GET', () => '/projekte', undefined, everyone(200)],
	['GET', (c, t) => `/projekte/${t.registry.id}`, undefined, everyone(200)],
	['GET', () => '/planung/projekte', undefined, pageOnly(['planner'], 200)],
	['GET', () => '/planung/projekte/neu', undefined, pageOnly(['planner'], 200)],
	['POST', () => '/planung/projekte/neu', () => PROJECT_FORM, pageOnly(['planner'], '303 /planung/projekte')],
	['GET', (c, t) => `/planung/projekte/${t.registry.id}`, undefined, pageOnly(['planner'], 200)],
	['POST', (c, t) => `/planung/projekte/${t.registry.pagePut}`, () => ({ ...PROJECT_FORM, version: '1' }),
		pageOnly(['planner'], '303 /planung/projekte/{id}')],
	['POST', (c, t) => `/planung/projekte/${t.registry.pageSelected}/status`,
		() => ({ status: 'in_implementation', note: 'Vergeben per Formular.' }),
		pageOnly(['planner'], '303 /planung/projekte/{id}')],
	['POST', (c, t) => `/planung/projekte/${t.registry.id}/kriterien`,
		() => ({ name_de: 'Kriterium per Formular', baseline: '1', baseline_on: '2026-01-01', target: '5',
			target_on: '2026-12-31', derivation: 'manual' }), pageOnly(['planner'], '303 /planung/projekte/{id}')],
	['POST', (c, t) => `/planung/projekte/${t.registry.id}/kriterien/${t.registry.criterion}/messungen`,
		() => ({ value: '4,5', measured_on: '2026-04-01', note: 'Per Formular' }),
		pageOnly(['planner'], '303 /planung/projekte/{id}')],
	// The site's own pages and files (issue 16): legal texts for everyone,
	// their editing and the city's appearance for admins only.
	['GET', () => '/impressum', undefined, everyone(200)],
	['GET', () => '/datenschutz', undefined, everyone(200)],
	['GET', () => '/barrierefreiheit', undefined, everyone(200)],
	// No form stamp: refused as a bot's would be, nothing sent.
	['POST', () => '/barrierefreiheit', () => ({ message: 'Eine Rückmeldung aus der Tabelle.' }), everyone(422)],
	['GET', () => '/leichte-sprache', undefined, everyone(200)],
	['GET', () => '/gebaerdensprache', undefined, everyone(200)],
	['GET', () => '/favicon.ico', undefined, everyone(200)],
	['GET', () => '/assets/site.css', undefined, everyone(200)],
	['GET', () => '/assets/icon.svg', undefined, everyone(200)],
	['GET', () => '/assets/logo', undefined, everyone(404)],
	['GET', () => '/api/v1/site', undefined, everyone(200)],
	['GET', () => '/verwaltung/texte', undefined, pageOnly(['admin'], 200)],
	['GET', () => '/verwaltung/texte/gebaerdensprache', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/texte/gebaerdensprache', (c, t, x) => x,
		pageOnly(['admin'], '303 /verwaltung/texte/gebaerdensprache'), { prep: siteTexts }],
	['PUT', () => '/api/v1/admin/site/texts/gebaerdensprache', (c, t, x) => x, adminOnly(200),
		{ prep: siteTexts }],
	['GET', () => '/verwaltung/auftritt', undefined, pageOnly(['admin'], 200)],
	['POST', () => '/verwaltung/auftritt', () => ({}), pageOnly(['admin'], '303 /verwaltung/auftritt')],
	// The logo form is multipart: a urlencoded body is the wrong type.
	['POST', () => '/verwaltung/auftritt/logo', () => ({}), pageOnly(['admin'], 415)],
	['POST', () => '/verwaltung/auftritt/logo-entfernen', undefined,
		pageOnly(['admin'], '303 /verwaltung/auftritt')],
	['PUT', () => '/api/v1/admin/site', () => ({}), adminOnly(200)],
	['PUT', () => '/api/v1/admin/site/logo', () => ({}), adminOnly(415)],
	['DELETE', () => '/api/v1/admin/site/logo', undefined, adminOnly(200)],
];

// What the project registry's rows act on (the board's rows have their
// own, target.project), made by the planner: a project with a
// manual criterion and one measurement, a criterion to delete, projects
// to save (version 1) and selected ones to move on, for the API and the
// pages each.
const PROJECT = { title_de: 'Projekt der Rollentabelle', summary_de: 'Ein Steckbrief, an dem die Tabelle arbeitet.',
	fields: ['energie'] };
const PROJECT_FORM = { title_de: 'Formularprojekt der Tabelle',
	summary_de: 'Ein Steckbrief, an dem die Tabelle per Formular arbeitet.', 'field-energie': 'on' };
const CRITERION = { name_de: 'Kriterium der Tabelle', unit: '%', baseline: 1, baseline_on: '2026-01-01',
	target: 5, target_on: '2026-12-31' };

async function registryTargets(target) {
	const h = bearer(who.planner);
	const make = async () => {
		const r = await json('POST', '/api/v1/projects', PROJECT, h);
		assert.equal(r.status, 201, r.text);
		return r.json.id;
	};
	const selected = async () => {
		const id = await make();
		psql(`UPDATE projects SET status = 'selected', decided_at = now(), decision_reason = 'Tabelle'
			WHERE id = ${id}`);
		return id;
	};
	const criterion = async (id) => {
		const r = await json('POST', `/api/v1/projects/${id}/criteria`, CRITERION, h);
		assert.equal(r.status, 201, r.text);
		return r.json.id;
	};
	const id = await make();
	target.registry = { id, put: await make(), pagePut: await make(), selected: await selected(),
		pageSelected: await selected(), criterion: await criterion(id), doomed: await criterion(id) };
	const m = await json('POST', `/api/v1/projects/${id}/criteria/${target.registry.criterion}/measurements`,
		{ value: 2, measured_on: '2026-02-01' }, h);
	assert.equal(m.status, 201, m.text);
	target.registry.measurement = m.json.id;
}

// An Open311 key of its own to revoke, issued by the admin.
// A district of the row's own (districts are never deleted).
async function tableDistrict(c) {
	const slug = `tbld-${c?.role || 'anon'}-${Date.now() % 1e6}`;
	psql(`INSERT INTO districts (id, slug, name, position, active) SELECT max(id) + 1, '${slug}', 'Tabelle',
		max(position) + 1, false FROM districts`);
	return { slug };
}

// The target holds the planner role, for a row that revokes it.
async function plannerRole(c, t) {
	psql(`INSERT INTO account_roles (account_id, role) VALUES (${t.account.id}, 'planner') ON CONFLICT DO NOTHING`);
	return {};
}

async function open311Key() {
	const r = await json('POST', '/api/v1/admin/open311-keys', { name: 'Zum Widerrufen' }, bearer(who.admin));
	assert.equal(r.status, 201, r.text);
	return { id: r.json.id };
}

// What the Open311 rows act on: a key and a report made with it.
async function open311Targets(target) {
	const k = await json('POST', '/api/v1/admin/open311-keys', { name: 'Tabelle' }, bearer(who.admin));
	assert.equal(k.status, 201, k.text);
	target.open311Key = k.json.key;
	const r = await req('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': FORM },
		body: new URLSearchParams({ api_key: target.open311Key, service_code: 'strassenschaden', lat: '52.2689',
			long: '10.5211' }).toString() });
	assert.equal(r.status, 200, r.text);
	target.open311Report = r.json[0];
}

// What the defect rows act on: reports of the staff's department
// (strassenschaden → tiefbau-und-verkehr) and of another (graffiti →
// stadtreinigung), per role where a row uses one up, each with a status
// link; one with a photo waiting for moderation.
const DEFECT = { category: 'strassenschaden', lat: 52.2641, lon: 10.5229,
	description: 'Ein Schlagloch aus der Rollentabelle.' };
const DEFECT_STATUS = { status: 'acknowledged', note: 'Angenommen aus der Rollentabelle.' };

// Proposed projects for the board's rows, made in SQL (the registry's
// own rows are the projects helper's): one to assess, one per role to
// decide on by the API and by the form.
function projectTargets(target) {
	const make = () => Number(psql(`INSERT INTO projects (title_de, summary_de) VALUES
		('Projekt der Rollentabelle', 'Ein Projekt, über das das Gremium entscheidet.') RETURNING id`));
	target.project = make();
	target.decideProject = Object.fromEntries(ROLES.map((r) => [r, make()]));
	target.pageDecideProject = Object.fromEntries(ROLES.map((r) => [r, make()]));
}

async function defectTargets(target) {
	const post = async (extra = {}, ip = '10.77.2.1') => {
		const r = await json('POST', '/api/v1/defects', { ...DEFECT, email: 'melder@example.org', ...extra },
			{ 'x-forwarded-for': ip });
		assert.equal(r.status, 201, r.text);
		return r.json;
	};
	const staff = bearer(who.staff);
	const here = await post();
	target.defect = { here: here.defect.id, token: here.status_token, status: {}, elsewhere: {}, reassign: {},
		elsewhere2: {}, resolved: {}, tokens: {}, pageStatus: {}, pageElsewhere: {}, pageReassign: {},
		pageResolved: {}, pageTokens: {} };
	for (const role of ROLES) {
		target.defect.status[role] = (await post()).defect.id;
		target.defect.elsewhere[role] = (await post({ category: 'graffiti' })).defect.id;
		target.defect.reassign[role] = (await post()).defect.id;
		target.defect.elsewhere2[role] = (await post({ category: 'graffiti' })).defect.id;
		const done = await post();
		const r = await json('POST', `/api/v1/defects/${done.defect.id}/status`,
			{ status: 'resolved', note: 'Erledigt für die Rollentabelle.' }, staff);
		assert.equal(r.status, 200, r.text);
		target.defect.resolved[role] = done.defect.id;
		target.defect.tokens[role] = done.status_token;
		// The pages' own, from another address (submission limits).
		target.defect.pageStatus[role] = (await post({}, '10.77.2.2')).defect.id;
		target.defect.pageElsewhere[role] = (await post({ category: 'graffiti' }, '10.77.2.2')).defect.id;
		target.defect.pageReassign[role] = (await post({}, '10.77.2.2')).defect.id;
		const fixed = await post({}, '10.77.2.2');
		const f = await json('POST', `/api/v1/defects/${fixed.defect.id}/status`,
			{ status: 'resolved', note: 'Erledigt für die Seiten der Tabelle.' }, staff);
		assert.equal(f.status, 200, f.text);
		target.defect.pageResolved[role] = fixed.defect.id;
		target.defect.pageTokens[role] = fixed.status_token;
	}
	const withPhoto = await post();
	target.defect.photo = withPhoto.defect.id;
	target.defect.photoId = psql(`INSERT INTO defect_photos (report_id, position, image, thumb, width,
		height, thumb_width, thumb_height) VALUES (${withPhoto.defect.id}, 1, '\\xffd8ffd9', '\\xffd8ffd9',
		1, 1, 1, 1) RETURNING id`);
}

// What the idea rows act on: a published idea with a published comment, a
// pending idea, and one published idea per role for status changes; for
// the pages the same again where the API rows used them up.
async function ideaTargets(target) {
	const mod = who.moderator;
	const as = { ...bearer(target), 'x-forwarded-for': '10.77.1.1' };
	const post = async (author) => (await json('POST', '/api/v1/ideas', { title: 'Zielidee der Tabelle',
		description: 'Eine Idee, an der die Rollentabelle arbeitet.', field: 'energie' }, as)).json.id;
	const publish = (kind, id) => json('POST', '/api/v1/moderation/decisions',
		{ kind, ids: [id], decision: 'publish' }, bearer(mod));
	const comment = async (idea) => (await json('POST', `/api/v1/ideas/${idea}/comments`,
		{ body: 'Zielkommentar' }, as)).json.id;
	target.idea = await post(target);
	await publish('idea', target.idea);
	target.pending = await post(target);
	target.comment = await comment(target.idea);
	await publish('comment', target.comment);
	target.statusIdea = {};
	target.pageStatusIdea = {};
	for (const role of ROLES) {
		for (const ideas of [target.statusIdea, target.pageStatusIdea]) {
			ideas[role] = await post(target);
			await publish('idea', ideas[role]);
		}
	}
	target.idea2 = await post(target);
	await publish('idea', target.idea2);
	target.comment2 = await comment(target.idea);
	await publish('comment', target.comment2);
	target.pendingView = await post(target);
	target.pendingForm = await post(target);
	// Decisions to undo, one for the API row and one for the page's.
	for (const k of ['undoDecision', 'pageUndoDecision'])
		target[k] = (await publish('idea', await post(target))).json.decision_id;
}

// What the survey rows act on, made by the planner: an open survey open
// to everyone (published results), one for accounts, one with codes, one
// kept for drafts, a draft, and per role a draft to open and an open one
// to close.
const SURVEY_DEF = { title: 'Tabellenumfrage', pages: [{ name: 'p', elements: [
	{ type: 'radiogroup', name: 'mode', isRequired: true, choices: ['bus', 'rad', 'auto'] }] }] };

async function surveyTargets(target) {
	const h = bearer(who.planner);
	const make = async (extra = {}) => (await json('POST', '/api/v1/surveys', { definition: SURVEY_DEF, ...extra },
		h)).json.id;
	const open = async (extra) => {
		const id = await make(extra);
		await req(`/api/v1/surveys/${id}/open`, { method: 'POST', headers: h });
		return id;
	};
	target.survey = { open: await open({ access: 'open', results_public: true }),
		account: await open({ access: 'account' }), codes: await open({ access: 'codes' }),
		drafty: await open({ access: 'account' }), draft: await make(), drafts: {}, opens: {},
		page: await open({ access: 'open' }),
		pageSave: await make(), pageOpen: await make(), pageClose: await open() };
	for (const role of ROLES) {
		target.survey.drafts[role] = await make();
		target.survey.opens[role] = await open();
	}
}

// A draft of the caller's own to read or discard.
async function surveyDraft(caller, target) {
	if (caller)
		await json('PUT', `/api/v1/surveys/${target.survey.drafty}/draft`, { answers: { mode: 'bus' } }, bearer(caller));
	return {};
}

// A new account of the role, for rows that erase their caller.
async function freshAccount(role) {
	const a = await accountWith(role === 'citizen' ? [] : [role], dept);
	psql(`UPDATE accounts SET verified_at = now() WHERE id = ${a.account.id}`);
	return { ...a, role };
}

// '303 /ideen/{id}' → { status: 303, location: /^\/ideen\/[^/]+$/ }
function expected(v) {
	if (typeof v === 'number') return { status: v };
	const [status, location] = v.split(' ');
	return { status: Number(status), location, re: patternRe(location) };
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
	await surveyTargets(target);
	await defectTargets(target);
	projectTargets(target);
	await open311Targets(target);
	await registryTargets(target);
	// The assessment form scores every active criterion.
	const sheet = await req(`/gremium/ideen/${target.idea}`, { headers: bearer(who.board) });
	boardScores = Object.fromEntries([...sheet.text.matchAll(/name="(score-[a-z0-9-]+)"/g)].map((m) => [m[1], '2']));
	assert.ok(Object.keys(boardScores).length > 0, 'the board form has criteria');

	for (const [method, path, body, expect, opts = {}] of TABLE) {
		// Preparation for every caller first, so one wait serves them all.
		const ctx = {};
		for (const role of ROLES) {
			let caller = who[role];
			if (caller && opts.fresh === 'session') caller = { ...caller, ...(await login(caller.email)) };
			if (caller && opts.fresh === 'account') caller = await freshAccount(role);
			const x = opts.prep ? await opts.prep(caller, target, role) : {};
			ctx[role] = { caller, x };
		}
		if (opts.settle) await sleep(opts.settle);
		for (const role of ROLES) {
			const { caller, x } = ctx[role];
			const p = path(caller, target, x);
			const route = routeOf(method, p);
			const fields = body ? body(caller || { account: { id: 0 } }, target, x) : undefined;
			let type;
			let payload;
			let sameOrigin = {};
			if (opts.type === FORM) {
				type = FORM;
				payload = new URLSearchParams(fields || {}).toString();
			} else if (opts.type) {
				type = opts.type;
				payload = JSON.stringify(fields);
			} else if (route?.kind === 'ROUTE_PAGE' && method === 'POST') {
				// Posted from the site's own page by a current browser
				// (login_csrf.test.mjs covers browsers that say nothing).
				type = FORM;
				sameOrigin = { 'sec-fetch-site': 'same-origin' };
				payload = new URLSearchParams(fields || {}).toString();
			} else if (fields) {
				type = 'application/json';
				payload = JSON.stringify(fields);
			}
			const headers = { ...(type ? { 'content-type': type } : {}), ...(caller ? bearer(caller) : {}),
				'x-forwarded-for': ipOf(role), ...sameOrigin };
			const r = await req(p, { method, headers, body: payload });
			const want = expected(expect[role]);
			await t.test(`${role} ${method} ${p} → ${expect[role]}`, async () => {
				assert.ok(route, `${method} ${p} is no route`);
				assert.equal(r.status, want.status, r.text.slice(0, 2000));
				if (r.status >= 300 && r.status < 400) {
					assert.ok(want.location, 'a redirect row names its target');
					const loc = r.headers.get('location') || '';
					assert.match(loc.split('?')[0], want.re, `Location ${loc}`);
				}
				if (r.status >= 400 && route.kind === 'ROUTE_PAGE') {
					assert.match(r.headers.get('content-type'), /^text\/html/);
					assert.ok(!r.json, 'a page, not a JSON error');
					// A 403 says why: not allowed, or (survey results) not published yet.
					if (r.status === 403) assert.match(r.text, /Das dürfen Sie hier nicht|noch nicht veröffentlicht/);
					if (r.status === 404) assert.match(r.text, /Diese Seite gibt es nicht/);
				} else if (r.status >= 400 && route.kind === 'ROUTE_OPEN311') {
					// The spec's error array, in the path's format.
					assert.match(r.text, new RegExp(p.includes('.xml')
						? `<errors><error><code>${r.status}</code>` : `^\\[\\{"code":${r.status},`));
				} else if (r.status >= 400) {
					expectError(r, r.status);
				}
				if (opts.text && r.status < 300) assert.match(r.text, opts.text);
				if (opts.check && caller && r.status === want.status)
					await opts.check({ r, caller, role, target, x });
			});
			// Ending every session also ended the shared one: a new one.
			if (caller && opts.fresh === 'session' && !(await alive(who[role])))
				who[role] = { ...who[role], ...(await login(who[role].email)) };
		}
	}
	// The target's session survived every stranger's attempt to end it.
	assert.equal((await req('/api/v1/me', { headers: bearer(target) })).status, 200);
	psql("UPDATE settings SET value = '3' WHERE key = 'flag_threshold'");
	psql("DELETE FROM criteria WHERE slug = 'tabelle'");
});

// The table covers the server: every route in src/routes.c is exercised
// by a row, every row lands on a route, every row names every role.
test('the table covers every route', () => {
	assert.ok(ROUTES.length > 70, `routes.c parsed: ${ROUTES.length} routes`);
	// Stands in for callers, targets and preps: every property is one.
	const any = new Proxy(function () {}, {
		get: (_, k) => (k === Symbol.toPrimitive ? () => 1 : any),
	});
	const covered = new Set();
	const strays = [];
	for (const [method, path, , expect] of TABLE) {
		const p = path(any, any, any);
		const route = routeOf(method, p);
		if (route) covered.add(route);
		else strays.push(`${method} ${p}`);
		assert.deepEqual(Object.keys(expect).sort(), [...ROLES].sort(), `${method} ${p}: every role`);
	}
	const missing = ROUTES.filter((r) => !covered.has(r)).map((r) => `${r.method} ${r.pattern}`);
	assert.deepEqual({ missing, strays }, { missing: [], strays: [] },
		`routes no row exercises:\n${missing.join('\n')}\nrows that match no route:\n${strays.join('\n')}`);
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
