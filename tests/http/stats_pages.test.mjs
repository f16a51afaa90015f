// /statistik and /statistik/teilhabe: the same numbers as the JSON (a
// dataset moved to May 2019), suppression alike in the tables and the
// SVG, every SVG well-formed (xmllint) with a title and a desc, no
// script, readable at 320 px (no horizontal scroll of the page).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { req, psql, member, postIdea, setting, BASE } from './lib.mjs';

const CHROMIUM = '/usr/bin/chromium';
const Q = 'from=2019-05&to=2019-06';
let browser;

test.before(async () => {
	const admin = await member(['admin']);
	const alice = await member();
	await setting(admin, { moderation_mode: 'post' });
	// May: 8 ideas in Umwelt (shown), 3 in Bildung (hidden); June: 6 in Umwelt.
	const mk = (field, n) => Promise.all(Array.from({ length: n }, () =>
		postIdea(alice, { field, district: 'oestliches-ringgebiet', title: `Baum & <Bank> Idee ${Math.random()}` })));
	const may = [...await mk('umwelt-und-klimaschutz', 8), ...await mk('bildung-und-forschung', 3)];
	const jun = await mk('umwelt-und-klimaschutz', 6);
	psql(`UPDATE ideas SET created_at = '2019-05-10 12:00+02' WHERE id IN (${may.map((x) => x.id)})`);
	psql(`UPDATE ideas SET created_at = '2019-06-10 12:00+02' WHERE id IN (${jun.map((x) => x.id)})`);
	browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
});

test.after(async () => { await browser?.close(); });

const svgs = (html) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);

function xmllint(xml) {
	const r = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
	return r.status === 0 ? '' : r.stderr;
}

test('the dashboard page: tables and charts carry the JSON numbers and gaps', async () => {
	const r = await req(`/statistik?${Q}&utm_source=x`);
	assert.equal(r.status, 200, r.text);
	assert.doesNotMatch(r.text, /<script/);
	const d = (await req(`/api/v1/stats/dashboard?${Q}`)).json;
	assert.equal(d.totals.ideas_submitted.n, 17);
	// The month table: May 11, June 6 for ideas submitted.
	assert.match(r.text, /<th scope="row">2019-05<\/th><td class="num">11<\/td>/);
	assert.match(r.text, /<th scope="row">2019-06<\/th><td class="num">6<\/td>/);
	// One neutral word for every withheld value, explained once near the
	// top with k; never "< 5", which would be false for a partner.
	assert.match(r.text, /<p class="hint">„geschützt“: zum Schutz der Beteiligten nicht gezeigt, weil kleiner als 5 [^<]*klein oder groß sein\. „mind\.“: Summe ohne die geschützten Monate\.<\/p>/);
	assert.doesNotMatch(r.text, /&lt; ?5|< ?5\b/);
	// Bildung: 3 in May, withheld in the table and as a gap in the bar chart.
	assert.match(r.text, /<th scope="row">Bildung und Forschung<\/th><td class="num">geschützt<\/td>/);
	const all = svgs(r.text);
	assert.ok(all.length >= 4, `${all.length} charts`);
	for (const svg of all) {
		assert.equal(xmllint(svg), '', svg.slice(0, 200));
		const id = svg.match(/aria-labelledby="([^ "]+) ([^"]+)"/);
		assert.ok(id, 'aria-labelledby names title and desc');
		assert.match(svg, new RegExp(`<title id="${id[1]}">[^<]+</title>`));
		assert.match(svg, new RegExp(`<desc id="${id[2]}">[^<]+</desc>`));
		assert.match(svg, /role="img"/);
		assert.match(svg, /viewBox="0 0 \d+ \d+" width="100%"/);
	}
	const fields = all.find((s) => s.includes('id="chart-by_field-title"'));
	assert.match(fields, /Bildung und Forschung geschützt/, 'the desc names the gap');
	assert.match(fields, /class="chart-gap">geschützt</);
	// Umwelt (8 in May) is the partner in that district: its May cell is
	// withheld too, so its May-June total is only "at least" June's 6:
	// in the table, as a bar drawn to 6 with an open end, and in the desc.
	assert.match(r.text, /<th scope="row">Umwelt und Klimaschutz<\/th><td class="num">mind\. 6<\/td>/);
	assert.match(fields, /Umwelt und Klimaschutz mind\. 6/);
	assert.match(fields, />Umwelt und Klimaschutz<\/text>\n<rect [^>]*class="chart-bar"\/>\n<rect [^>]*class="chart-more"\/>\n<text [^>]*>≥ 6<\/text>/);
	// May, small (Bildung) and partner (Umwelt) read alike in the folded
	// table and in the small multiples: the page must not tell which one
	// is small.
	const may = (name) => r.text.match(new RegExp(`<th scope="row">${name}</th><td class="num">([^<]*)</td><td class="num">[^<]*</td></tr>`))[1];
	assert.equal(may('Bildung und Forschung'), 'geschützt');
	assert.equal(may('Umwelt und Klimaschutz'), 'geschützt');
	const panel = (name) => all.find((x) => x.includes(`>${name}</title>`) && x.includes('chart-multiple'));
	const gapOf = (svg) => svg.match(/<text [^>]*class="chart-gap">[^<]*<\/text>/)[0];
	assert.equal(gapOf(panel('Umwelt und Klimaschutz')), gapOf(panel('Bildung und Forschung')));
	assert.match(panel('Umwelt und Klimaschutz'), /2019-05 geschützt; 2019-06 6\./);
	// Every published field total of the JSON is in the page's table.
	for (const row of d.by_field) {
		const c = row.counts.ideas_submitted;
		const text = c.at_least > 0 ? `mind. ${c.at_least}` : c.suppressed ? 'geschützt' : c.n;
		if (row.name) assert.ok(r.text.includes(`<th scope="row">${row.name}</th><td class="num">${text}</td>`), row.name);
	}
	assert.equal((await req('/statistik?from=2019-13')).status, 422);
});

test('the inclusion page and the English dashboard', async () => {
	const r = await req(`/statistik/teilhabe?${Q}`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /keine Angabe/);
	assert.match(r.text, /<p class="hint">„geschützt“: zum Schutz der Beteiligten nicht gezeigt, weil kleiner als 5 /);
	const en = await req(`/statistik?${Q}&lang=en`);
	assert.match(en.text, /Ideas submitted/);
	assert.match(en.text, /<th scope="row">Education and Research<\/th><td class="num">withheld<\/td>/);
	assert.match(en.text, /“withheld”: not shown to protect participants, because below 5 or only so that no small number can be recomputed/);
	assert.match(en.text, /<th scope="row">Environment and Climate Protection<\/th><td class="num">at least 6<\/td>/);
});

test('readable at 320 px and in print; screenshots at 1280 and 375', async () => {
	for (const width of [320, 375, 1280]) {
		const context = await browser.newContext({ viewport: { width, height: 900 } });
		const page = await context.newPage();
		await page.goto(`${BASE}/statistik?${Q}`);
		const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(scroll <= width, `no horizontal scroll at ${width}px: ${scroll}`);
		if (process.env.STATS_SHOTS)
			await page.screenshot({ path: `${process.env.STATS_SHOTS}/statistik-${width}.png`, fullPage: true });
		if (width === 1280 && process.env.STATS_SHOTS) {
			await page.emulateMedia({ media: 'print' });
			await page.screenshot({ path: `${process.env.STATS_SHOTS}/statistik-print.png`, fullPage: true });
		}
		await context.close();
	}
});
