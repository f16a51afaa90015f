// The progressive survey page in Debian's chromium (playwright-core drives
// /usr/bin/chromium; no browser is downloaded): SurveyJS draws the
// definition served by the API, a person answers with the mouse and the
// keyboard, and the server stores exactly what the plain form would.
// Its refusals come back onto the questions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, json, psql, member, as, req } from './lib.mjs';

const CHROMIUM = '/usr/bin/chromium';

const DEF = {
	title: { default: 'Grünflächen', en: 'Green spaces' },
	pages: [{
		name: 'p1', elements: [
			{ type: 'radiogroup', name: 'visit', title: { default: 'Wie oft sind Sie im Park?', en: 'How often are you in the park?' },
				isRequired: true, choices: [{ value: 'daily', text: 'Täglich' }, { value: 'weekly', text: 'Wöchentlich' }] },
			{ type: 'checkbox', name: 'uses', title: 'Wofür?', choices: [{ value: 'walk', text: 'Spazieren' }, { value: 'sport', text: 'Sport' }] },
		],
	}, {
		name: 'p2', elements: [
			{ type: 'comment', name: 'note', title: 'Was fehlt?' },
		],
	}],
};

let browser;

test.before(async () => {
	assert.ok(existsSync(CHROMIUM), 'Debian chromium is installed (make test installs it)');
	browser = await chromium.launch({ executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-background-networking'] });
});

test.after(async () => {
	await browser?.close();
});

async function openSurvey() {
	const planner = await member(['planner']);
	const c = await json('POST', '/api/v1/surveys', { definition: DEF, access: 'open' }, as(planner));
	assert.equal(c.status, 201, c.text);
	const o = await req(`/api/v1/surveys/${c.json.id}/open`, { method: 'POST', headers: as(planner) });
	assert.equal(o.status, 200, o.text);
	return c.json.id;
}

test('SurveyJS page: answered in chromium, stored once, same verdict as the API', async () => {
	const id = await openSurvey();
	const page = await browser.newPage();
	const problems = [];
	// Console errors except a failed load, which is reported by its URL
	// below (the browser asks for /favicon.ico on its own).
	page.on('console', (m) => {
		if ((m.type() === 'error' || m.type() === 'warning') && !/Failed to load resource/.test(m.text()))
			problems.push(m.text());
	});
	page.on('response', (r) => {
		if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
			problems.push(`${r.status()} ${r.url()}`);
	});
	page.on('pageerror', (e) => problems.push(String(e)));
	page.on('request', (r) => {
		if (!r.url().startsWith(BASE))
			problems.push(`request outside the server: ${r.url()}`);
	});
	await page.goto(`${BASE}/umfragen/${id}/interaktiv?lang=de`);
	await page.getByText('Wie oft sind Sie im Park?').waitFor();
	assert.ok(await page.locator('#survey-fallback').isHidden(), 'the plain-form link hides once SurveyJS runs');

	if (process.env.SHOT)
		await page.screenshot({ path: process.env.SHOT, fullPage: true });
	// Next without the required answer: SurveyJS itself says so.
	await page.getByRole('button', { name: 'Weiter' }).click();
	await page.locator('.sd-question__erbox').first().waitFor();

	await page.getByText('Wöchentlich').click();
	await page.getByText('Sport').click();
	await page.getByRole('button', { name: 'Weiter' }).click();
	await page.getByText('Was fehlt?').waitFor();
	await page.locator('textarea').fill('Mehr Bänke; "schattige" Plätze');
	await page.getByRole('button', { name: 'Abschließen' }).click();
	await page.getByText('Ihre Antworten sind angekommen').waitFor();

	const stored = JSON.parse(psql(`SELECT json_agg(answers) FROM survey_responses WHERE survey_id = ${id}`));
	assert.deepEqual(stored, [{ visit: 'weekly', uses: ['sport'], note: 'Mehr Bänke; "schattige" Plätze' }]);
	assert.deepEqual(problems, []);

	// The same browser again: "open" surveys take one response per browser.
	const again = await browser.newPage();
	await again.context().addCookies(await page.context().cookies());
	await again.goto(`${BASE}/umfragen/${id}/interaktiv?lang=de`);
	await again.getByText('Täglich').click();
	await again.getByRole('button', { name: 'Weiter' }).click();
	await again.getByRole('button', { name: 'Abschließen' }).click();
	await again.locator('#survey-status').getByText('Sie haben an dieser Umfrage bereits teilgenommen').waitFor();
	assert.equal(psql(`SELECT count(*) FROM survey_responses WHERE survey_id = ${id}`), '1');
});
