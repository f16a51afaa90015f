// The whole site in Debian's chromium (playwright-core drives
// /usr/bin/chromium; no browser is downloaded), signed out and as each
// role, page by page from site_pages_list.mjs:
//  - axe-core (WCAG 2.0/2.1, A and AA) finds no violation;
//  - at 320 px nothing is wider than the viewport (WCAG 1.4.10; a box
//    that scrolls inside itself is fine);
//  - every page is at most 50 KB of HTML (the weights are printed) and
//    the static assets it loads may be cached;
//  - after a failed submission, focus is on the error summary (without
//    JavaScript: autofocus) and each entry links to its field;
//  - keyboard only (Tab, Space, Enter, typing; no clicks) a person submits
//    an idea, answers a survey and reports a defect, and sees where the
//    focus is (an outline of 3:1 against white) at every step;
//  - the same three flows with JavaScript off.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BASE, req, json, psql, member, login, as, clientIp, publishedIdea, postIdea, setting } from './lib.mjs';
import { PAGES } from './site_pages_list.mjs';

const CHROMIUM = '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MAX_HTML = 50 * 1024;
const ROLES = {
	citizen: [[]],
	moderator: [['moderator']],
	staff: [['staff'], 'tiefbau-und-verkehr'],
	planner: [['planner']],
	board: [['board']],
	admin: [['admin']],
};

let browser;
const fx = {};		// the objects the pages show
const who = {};		// role -> { email, cookie, ... }
const contexts = {};	// role -> browser context, JavaScript on

// One survey page with each kind of question a person answers by keyboard.
const SURVEY = {
	title: { default: 'Wie kommen Sie in die Innenstadt?', en: 'How do you get to the city centre?' },
	pages: [{
		name: 'p1', elements: [
			{ type: 'radiogroup', name: 'mode', title: 'Womit kommen Sie meistens?', isRequired: true,
				choices: [{ value: 'bike', text: 'Fahrrad' }, { value: 'bus', text: 'Bus und Bahn' }, { value: 'car', text: 'Auto' }] },
			{ type: 'checkbox', name: 'why', title: 'Was ist Ihnen wichtig?',
				choices: [{ value: 'fast', text: 'Schnell ankommen' }, { value: 'cheap', text: 'Wenig bezahlen' }] },
			{ type: 'dropdown', name: 'often', title: 'Wie oft?',
				choices: [{ value: 'daily', text: 'Täglich oder fast täglich, auch am Wochenende und an Feiertagen' }, { value: 'rare', text: 'Selten' }] },
			{ type: 'comment', name: 'note', title: 'Was fehlt Ihnen?' },
		],
	}],
};

const fill = (path) => path.replace(/\{(\w+)\}/g, (_, k) => {
	if (fx[k] === undefined) throw new Error(`no fixture {${k}} for ${path}`);
	return fx[k];
});

async function signedIn(role) {
	const [roles, dept] = ROLES[role];
	const m = await member(roles, dept);
	const s = await login(m.email, { kind: 'cookie', headers: { 'x-forwarded-for': m.ip } });
	return { ...m, cookie: s.cookie };
}

async function newContext(role, extra = {}) {
	const context = await browser.newContext({ locale: 'de-DE',
		extraHTTPHeaders: { 'x-forwarded-for': clientIp() }, ...extra });
	if (role !== 'anon') {
		const [name, value] = who[role].cookie.split(/=(.*)/s);
		await context.addCookies([{ name, value, url: BASE }]);
	}
	return context;
}

test.before(async () => {
	assert.ok(existsSync(CHROMIUM), 'Debian chromium is installed (make test installs it)');
	for (const role of Object.keys(ROLES))
		who[role] = await signedIn(role);
	await setting(who.admin, { moderation_mode: 'pre' });
	const district = (await req('/api/v1/districts')).json.districts?.[0]?.slug;
	fx.idea = (await publishedIdea(who.citizen, who.moderator, { district,
		title: 'Mehr Bänke und Schatten am Radweg entlang der Oker' })).id;
	fx.pending = (await postIdea(who.citizen, { title: 'Trinkbrunnen auf dem Kohlmarkt und am Hauptbahnhof' })).id;
	let r = await json('POST', `/api/v1/ideas/${fx.idea}/comments`, { body: 'Gute Idee, vor allem im Sommer.' }, as(who.citizen));
	assert.equal(r.status, 201, r.text);
	fx.comment = r.json.id;
	r = await json('POST', '/api/v1/surveys', { definition: SURVEY, access: 'open', results_public: true }, as(who.planner));
	assert.equal(r.status, 201, r.text);
	fx.survey = r.json.id;
	r = await req(`/api/v1/surveys/${fx.survey}/open`, { method: 'POST', headers: as(who.planner) });
	assert.equal(r.status, 200, r.text);
	r = await json('POST', '/api/v1/defects', { category: 'strassenschaden', lat: 52.2645, lon: 10.5236,
		address: 'Bohlweg 1', description: 'Tiefes Schlagloch mitten auf der Fahrbahn vor dem Schloss.',
		email: 'melder@example.org' }, { 'x-forwarded-for': clientIp() });
	assert.equal(r.status, 201, r.text);
	fx.defect = r.json.defect.id;
	fx.token = r.json.status_token;
	r = await json('POST', '/api/v1/projects', { title_de: 'Digitale Parkraumsteuerung in der Innenstadt',
		title_en: 'Digital parking guidance', summary_de: 'Sensoren zeigen freie Parkplätze in der Innenstadt an.',
		partners: 'Verkehrsbetriebe', starts_on: '2026-01-01', ends_on: '2027-12-31', budget_eur: 250000.5,
		fields: ['mobilitaet'], goals: [], idea_ids: [fx.idea] }, as(who.planner));
	assert.equal(r.status, 201, r.text);
	fx.project = r.json.id;
	browser = await chromium.launch({ executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-background-networking'] });
	contexts.anon = await newContext('anon');
	for (const role of Object.keys(ROLES))
		contexts[role] = await newContext(role);
	// axe in every page of these contexts, before the page's own scripts.
	for (const context of Object.values(contexts))
		await context.addInitScript({ content: AXE });
});

test.after(async () => {
	await browser?.close();
});

// axe's violations, one readable block each.
function axeReport(violations) {
	return violations.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5)
		.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`).join('\n'))
		.join('\n');
}

async function axe(page) {
	return page.evaluate(async (tags) => {
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags },
			resultTypes: ['violations'] });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
	}, AXE_TAGS);
}

// What sticks out at the right beyond the viewport, outside any box that
// scrolls by itself: the elements that make the page scroll sideways.
const tooWide = (page) => page.evaluate(() => {
	const vw = document.documentElement.clientWidth;
	const scrolls = (e) => {
		for (let p = e.parentElement; p; p = p.parentElement) {
			const o = getComputedStyle(p).overflowX;
			if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
		}
		return false;
	};
	const out = [];
	for (const e of document.body.querySelectorAll('*')) {
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > vw + 0.5 && !scrolls(e))
			out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : ''} right=${Math.round(r.right)}`);
	}
	return { width: document.documentElement.scrollWidth, vw, out: out.length ? out.slice(0, 8)
		: ['(an element inside a clipping box, positioned outside it?)'] };
});

const weights = new Map();
const assets = new Set();

// Looks at each page; returns its problems, one readable line or block each.
async function checkPages(entries) {
	const problems = [];
	for (const entry of entries) {
		const context = contexts[entry.role];
		const page = await context.newPage();
		let path;
		try {
			path = entry.setup ? await entry.setup({ fx, who: who[entry.role], roles: who }) : fill(entry.path);
			const where = `${entry.role} ${path}${entry.submit ? ' (after the button)' : ''}`;
			page.on('response', (r) => {
				if (r.url().startsWith(`${BASE}/assets/`)) assets.add(r.url().slice(BASE.length));
			});
			// One look at 320 px, where reflow and scrolling boxes show;
			// the markup axe reads is the same at every width.
			await page.setViewportSize({ width: 320, height: 640 });
			let res = await page.goto(BASE + path);
			if (entry.submit && res.status() === 200)
				[res] = await Promise.all([page.waitForNavigation(), page.locator(entry.submit).click()]);
			if (res.status() !== 200) {
				problems.push(`${where}: HTTP ${res.status()}`);
				continue;
			}
			const bytes = (await res.body()).length;
			weights.set(where, bytes);
			if (bytes > MAX_HTML) problems.push(`${where}: ${bytes} bytes of HTML (more than ${MAX_HTML})`);
			const w = await tooWide(page);
			if (w.width > w.vw) problems.push(`${where}: ${w.width} px wide at 320 px:\n    ${w.out.join('\n    ')}`);
			const v = await axe(page);
			if (v.length) problems.push(`${where}: axe\n${axeReport(v)}`);
		} catch (e) {
			problems.push(`${entry.role} ${path ?? entry.path}: ${e.message}`);
		} finally {
			await page.close();
		}
	}
	return problems;
}

test('every page, signed out and as each role: axe finds nothing, 320 px wide, at most 50 KB', async (t) => {
	const problems = await checkPages(PAGES.filter((p) => !p.todo));
	const rows = [...weights].map(([k, n]) => `${String(n).padStart(7)}  ${k}`);
	t.diagnostic(`HTML bytes per page:\n${rows.join('\n')}`);
	assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
});

// A page with a known, not yet fixed problem says so in its entry (todo:
// why); it is checked all the same and its problems reported, without
// failing the run.
for (const entry of PAGES.filter((p) => p.todo)) {
	test(`known problem: ${entry.role} ${entry.path}`, { todo: entry.todo }, async () => {
		const problems = await checkPages([entry]);
		assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
	});
}

test('static assets may be cached; versioned ones for good', async () => {
	assert.ok(assets.size > 0, 'the pages loaded assets');
	for (const url of assets) {
		const r = await req(url);
		assert.equal(r.status, 200, url);
		const cc = r.headers.get('cache-control') || '';
		assert.match(cc, /max-age=\d+/, `${url}: Cache-Control "${cc}"`);
		assert.ok(r.headers.get('etag'), `${url}: an ETag to revalidate`);
		if (/[?&]v=/.test(url))
			assert.match(cc, /max-age=31536000, immutable/, `${url} is versioned: Cache-Control "${cc}"`);
	}
});

// --- keyboard ----------------------------------------------------------

// Relative luminance and contrast (WCAG 2.1) of rgb()/rgba() strings.
function lum(c) {
	const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
		v /= 255;
		return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
	const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
	return (x + 0.05) / (y + 0.05);
};

// The focused element and how its focus shows: the outline (colour,
// width) or, failing that, a box-shadow ring.
const focused = (page) => page.evaluate(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return null;
	const s = getComputedStyle(e);
	return { tag: e.tagName.toLowerCase(), id: e.id, type: e.type || '', name: e.name || '',
		text: (e.textContent || '').trim().slice(0, 60), value: e.value ?? '',
		hidden: e.classList.contains('visually-hidden'),
		outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor,
		shadow: s.boxShadow };
});

function focusVisible(f, where) {
	const desc = `${where}: focus on <${f.tag}${f.id ? ' id=' + f.id : ''}> "${f.text}"`;
	assert.ok(f.outline !== 'none' && f.outlineWidth >= 2, `${desc} has no outline (${f.outline} ${f.outlineWidth}px)`);
	assert.ok(contrast(f.outlineColor, 'rgb(255,255,255)') >= 3,
		`${desc}: outline ${f.outlineColor} is below 3:1 against white`);
}

// Tabs forward until `match` holds for the focused element, checking at
// every stop that the focus can be seen.
async function tabTo(page, match, what, max = 120) {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		const f = await focused(page);
		if (!f) continue;
		focusVisible(f, `${page.url()} (looking for ${what})`);
		if (match(f)) return f;
	}
	throw new Error(`${page.url()}: ${what} not reached by Tab`);
}

const byId = (id) => (f) => f.id === id;
const submit = (re) => (f) => (f.tag === 'button' || f.type === 'submit') && !f.hidden && re.test(f.text);

async function ideaFlow(context) {
	const page = await context.newPage();
	const title = `Tastatur-Idee ${Math.random().toString(36).slice(2, 8)} für mehr Fahrradständer`;
	await page.goto(`${BASE}/ideen/neu`);
	await tabTo(page, byId('title'), 'the title');
	await page.keyboard.type(title);
	await tabTo(page, byId('description'), 'the description');
	await page.keyboard.type('Am Bahnhof fehlen überdachte Fahrradständer, morgens ist alles voll.');
	await tabTo(page, byId('field'), 'the Handlungsfeld');
	await page.keyboard.press('ArrowDown');
	await tabTo(page, (f) => f.type === 'checkbox', 'a goal');
	await page.keyboard.press('Space');
	await page.waitForTimeout(1100);	// the form's minimum time
	await tabTo(page, submit(/einreichen/i), 'the submit button');
	await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
	await page.waitForLoadState('load');
	const n = psql(`SELECT count(*) FROM ideas WHERE title = '${title}'`);
	const body = await page.textContent('main');
	await page.close();
	assert.equal(n, '1', `the idea was stored once; the page says: ${body}`);
}

async function surveyFlow(context) {
	const page = await context.newPage();
	const before = Number(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${fx.survey}`));
	await page.goto(`${BASE}/umfragen/${fx.survey}`);
	await tabTo(page, (f) => f.type === 'radio', 'the first answer');
	await page.keyboard.press('Space');
	await tabTo(page, (f) => f.type === 'checkbox', 'a checkbox');
	await page.keyboard.press('Space');
	await tabTo(page, (f) => f.tag === 'select', 'the dropdown');
	await page.keyboard.press('ArrowDown');
	await tabTo(page, (f) => f.tag === 'textarea', 'the comment');
	await page.keyboard.type('Mehr Busse am Abend.');
	await tabTo(page, submit(/senden|absenden|abschicken/i), 'the submit button');
	await Promise.all([page.waitForURL(/\/danke/), page.keyboard.press('Enter')]);
	await page.close();
	const after = Number(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${fx.survey}`));
	assert.equal(after, before + 1, 'one response stored');
}

async function defectFlow(context) {
	const page = await context.newPage();
	const text = `Laterne flackert ${Math.random().toString(36).slice(2, 8)} seit einer Woche am Abend.`;
	await page.goto(`${BASE}/maengel/neu`);
	await tabTo(page, (f) => f.type === 'radio', 'the first category');
	await page.keyboard.press('Space');
	await tabTo(page, byId('address'), 'the address');
	await page.keyboard.type('Am Magnitor 3');
	await tabTo(page, byId('lat'), 'the latitude');
	await page.keyboard.type('52,2631');
	await tabTo(page, byId('lon'), 'the longitude');
	await page.keyboard.type('10,5262');
	await tabTo(page, submit(/weiter/i), 'the next button');
	await Promise.all([page.waitForURL(/schritt=2/), page.keyboard.press('Enter')]);
	await page.waitForTimeout(1100);	// the form's minimum time
	await tabTo(page, byId('description'), 'the description');
	await page.keyboard.type(text);
	await tabTo(page, byId('email'), 'the e-mail address');
	await page.keyboard.type('tastatur@example.org');
	await tabTo(page, submit(/melden|absenden|senden/i), 'the submit button');
	await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
	await page.waitForLoadState('load');
	const body = await page.textContent('main');
	await page.close();
	assert.equal(psql(`SELECT count(*) FROM defect_reports WHERE description = '${text}'`), '1',
		`the report was stored once; the page says: ${body}`);
}

test('keyboard only, JavaScript on: an idea, a survey, a defect; the focus always visible', async () => {
	await ideaFlow(contexts.citizen);
	await surveyFlow(contexts.anon);
	await defectFlow(contexts.anon);
});

test('keyboard only, JavaScript off: the same three flows', async () => {
	const citizen = await newContext('citizen', { javaScriptEnabled: false });
	const anon = await newContext('anon', { javaScriptEnabled: false });
	try {
		await ideaFlow(citizen);
		await surveyFlow(anon);
		await defectFlow(anon);
	} finally {
		await citizen.close();
		await anon.close();
	}
});

// --- error summaries -----------------------------------------------------

// Forms sent empty or wrong: the page comes back with the summary focused
// (autofocus, so without JavaScript too) and each entry's link finds its
// field.
const FORMS = [
	{ role: 'anon', path: '/registrieren' },
	{ role: 'anon', path: '/anmelden' },
	{ role: 'anon', path: '/passwort-vergessen' },
	{ role: 'citizen', path: '/ideen/neu', button: /einreichen/i },
	{ role: 'anon', path: '/maengel/neu', button: /weiter/i },
	{ role: 'anon', path: '/maengel/neu?schritt=2&category=strassenschaden&lat=52%2C2645&lon=10%2C5236', button: /melden|absenden/i },
	{ role: 'anon', path: '/umfragen/{survey}' },
	{ role: 'citizen', path: '/ideen/{idea}', button: /kommentieren|kommentar/i },
	{ role: 'planner', path: '/planung/projekte/neu' },
	{ role: 'moderator', path: '/moderation?tab=review&kind=idea', button: /Auf Auswahl anwenden/ },
	{ role: 'moderator', path: '/moderation/ideen/{pending}/bearbeiten', button: /speichern/i },
	{ role: 'moderator', path: '/moderation/kommentare/{comment}/bearbeiten', button: /speichern/i },
];

test('after a failed submission the error summary has the focus and links to each field', async () => {
	const problems = [];
	for (const form of FORMS) {
		const context = await newContext(form.role, { javaScriptEnabled: false });
		const page = await context.newPage();
		const where = `${form.role} ${form.path}`;
		try {
			await page.goto(BASE + fill(form.path));
			const buttons = page.locator('main form button[type=submit]:not(.visually-hidden)');
			const button = form.button ? buttons.filter({ hasText: form.button }).first() : buttons.last();
			await Promise.all([page.waitForNavigation(), button.click()]);
			const summary = page.locator('#form-message');
			if (await summary.count() !== 1) {
				problems.push(`${where}: no error summary`);
				continue;
			}
			const active = await page.evaluate(() => document.activeElement?.id);
			if (active !== 'form-message') problems.push(`${where}: focus is on "${active}", not the summary`);
			const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			const plain = await summary.locator('li:not(:has(a))').allTextContents();
			if (plain.length) problems.push(`${where}: summary entries without a link: ${plain.join('; ')}`);
			for (const href of links) {
				const id = (href || '').replace(/^#/, '');
				if (!href?.startsWith('#') || await page.locator(`[id="${id}"]`).count() !== 1)
					problems.push(`${where}: summary link ${href} has no target`);
			}
		} catch (e) {
			problems.push(`${where}: ${e.message}`);
		} finally {
			await context.close();
		}
	}
	assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
});
