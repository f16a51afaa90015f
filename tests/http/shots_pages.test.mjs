// Temporary: screenshots of the defect pages (not committed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { BASE, json, clientIp, member, login, psql } from './lib.mjs';

test('screenshots', async () => {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-background-networking'] });
	const reps = [];
	for (let i = 0; i < 4; i++) {
		const r = await json('POST', '/api/v1/defects', { category: i % 2 ? 'strassenschaden' : 'strassenbeleuchtung',
			lat: 52.26 + i * 0.0002, lon: 10.52, address: `Bohlweg ${i + 1}`, email: `m${i}@example.org`,
			description: 'Ein tiefes Schlagloch mitten auf der Fahrbahn, Radfahrer müssen ausweichen.' },
		{ 'x-forwarded-for': clientIp() });
		assert.equal(r.status, 201, r.text);
		reps.push(r.json);
	}
	psql(`UPDATE defect_reports SET created_at = now() - interval '20 days' WHERE id = ${reps[0].defect.id}`);
	const staff = await member(['staff'], 'tiefbau-und-verkehr');
	const s = await login(staff.email, { kind: 'cookie' });
	await json('POST', `/api/v1/defects/${reps[1].defect.id}/status`, { status: 'resolved', note: 'Das Loch wurde verfüllt.' },
		{ authorization: `Bearer ${staff.token}` });
	const cookie = s.cookie.split('=');
	const pages = [
		['form1', '/maengel/neu?lang=de', null],
		['form1err', '/maengel/neu?lang=de&schritt=2&lat=52,27&lon=abc', null],
		['form2', '/maengel/neu?lang=de&schritt=2&category=strassenschaden&lat=52,2601&lon=10,52&address=Bohlweg', null],
		['status', `/maengel/status/${reps[1].status_token}?lang=de&neu=1`, null],
		['queue', '/fachbereich?lang=de', cookie],
		['list', '/maengel?lang=de', null],
		['staffdetail', `/fachbereich/maengel/${reps[0].defect.id}?lang=de`, cookie],
	];
	for (const width of [1280, 375, 320]) {
		for (const [name, path, ck] of pages) {
			const ctx = await browser.newContext({ viewport: { width, height: 900 } });
			if (ck) await ctx.addCookies([{ name: ck[0], value: ck.slice(1).join('='), url: BASE }]);
			const page = await ctx.newPage();
			await page.goto(BASE + path);
			await page.waitForTimeout(600);
			await page.screenshot({ path: `/tmp/shots-pages/${name}-${width}.png`, fullPage: true });
			const over = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
			if (over) console.log(`OVERFLOW ${name} ${width}`);
			await ctx.close();
		}
	}
	await browser.close();
});
