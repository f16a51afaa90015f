// /statistik, /statistik/handlungsfelder and /statistik/teilhabe: the
// same numbers as the JSON (a dataset moved to May 2019), suppression
// alike in the tables and the SVG, every SVG well-formed (xmllint) with a
// title and a desc, no script, readable at 320 px (no horizontal scroll
// of the page), each page at most 50 KB of HTML.
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
	// The small multiples are a page of their own, linked with the period
	// the document resolved (and no field: they show every field).
	assert.doesNotMatch(r.text, /chart-multiple/);
	assert.match(r.text, /<a class="button" href="\/statistik\/handlungsfelder\?lang=de&amp;from=2019-05&amp;to=2019-06">Entwicklung je Handlungsfeld<\/a>/);
	// Every published field total of the JSON is in the page's table.
	for (const row of d.by_field) {
		const c = row.counts.ideas_submitted;
		const text = c.at_least > 0 ? `mind. ${c.at_least}` : c.suppressed ? 'geschützt' : c.n;
		if (row.name) assert.ok(r.text.includes(`<th scope="row">${row.name}</th><td class="num">${text}</td>`), row.name);
	}
	assert.equal((await req('/statistik?from=2019-13')).status, 422);
});

// The small multiples per Handlungsfeld and month: the same document as
// /statistik (same cells, same suppression), every panel an image with a
// title and a desc whose numbers are the table's.
test('the Handlungsfeld page: small multiples, their tables and gaps', async () => {
	const r = await req(`/statistik/handlungsfelder?${Q}&utm_source=x`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
	assert.doesNotMatch(r.text, /<script/);
	assert.match(r.text, /<h1>Entwicklung je Handlungsfeld<\/h1>/);
	assert.match(r.text, /<p class="hint">„geschützt“: zum Schutz der Beteiligten nicht gezeigt, weil kleiner als 5 /);
	assert.match(r.text, /<a href="\/statistik\?lang=de&amp;from=2019-05&amp;to=2019-06">/, 'back with the same months');
	const d = (await req(`/api/v1/stats/dashboard?${Q}`)).json;
	const all = svgs(r.text);
	const panels = all.filter((x) => x.includes('chart-multiple'));
	// Two metrics, a panel per field (and "ohne Zuordnung").
	assert.equal(panels.length, 2 * d.by_field_series.length, `${panels.length} panels`);
	assert.ok(panels.length >= 22, `${panels.length} panels`);
	for (const svg of all) {
		assert.equal(xmllint(svg), '', svg.slice(0, 200));
		const id = svg.match(/aria-labelledby="([^ "]+) ([^"]+)"/);
		assert.ok(id, 'aria-labelledby names title and desc');
		assert.match(svg, new RegExp(`<title id="${id[1]}">[^<]+</title>`));
		assert.match(svg, new RegExp(`<desc id="${id[2]}">[^<]+</desc>`));
		assert.match(svg, /role="img"/);
	}
	// Each metric's table: a row per field, a cell per month; the panel's
	// desc says the same numbers in the same words, and both are the JSON's.
	const text = (c) => (c.suppressed ? 'geschützt' : String(c.n));
	const tables = [...r.text.matchAll(/<table>[\s\S]*?<\/table>/g)].map((m) => m[0]);
	assert.equal(tables.length, 2);
	for (const [k, metric] of ['ideas_submitted', 'defect_reports'].entries()) {
		for (const [i, f] of d.by_field_series.entries()) {
			const name = f.name ?? 'ohne Zuordnung';
			const cells = f.series[metric].map(text);
			const row = tables[k].match(new RegExp(`<th scope="row">${name}</th>((?:<td class="num">[^<]*</td>)+)</tr>`));
			assert.ok(row, `${metric}: a row for ${name}`);
			assert.deepEqual([...row[1].matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]), cells, `${metric} ${name}: table`);
			const svg = panels[k * d.by_field_series.length + i];
			assert.match(svg, new RegExp(`<title id="[^"]+">${name}</title>`));
			const desc = svg.match(/<desc id="[^"]+">([^<]*)<\/desc>/)[1];
			for (const [j, month] of d.months.entries())
				assert.ok(desc.includes(`${month} ${cells[j]}`), `${metric} ${name}: desc "${desc}" has ${month} ${cells[j]}`);
		}
	}
	// May, small (Bildung, 3) and partner (Umwelt, 8) read alike in the
	// table and in the panels: the page must not tell which one is small.
	const may = (name) => tables[0].match(new RegExp(`<th scope="row">${name}</th><td class="num">([^<]*)</td><td class="num">[^<]*</td></tr>`))[1];
	assert.equal(may('Bildung und Forschung'), 'geschützt');
	assert.equal(may('Umwelt und Klimaschutz'), 'geschützt');
	const panel = (name) => panels.find((x) => x.includes(`>${name}</title>`));
	const gapOf = (svg) => svg.match(/<text [^>]*class="chart-gap">[^<]*<\/text>/)[0];
	assert.equal(gapOf(panel('Umwelt und Klimaschutz')), gapOf(panel('Bildung und Forschung')));
	assert.match(panel('Umwelt und Klimaschutz'), /2019-05 geschützt; 2019-06 6\./);
	assert.doesNotMatch(r.text, /&lt; ?5|< ?5\b/);
	// The district filter travels both ways and narrows the panels like
	// the JSON; a bad month is refused as on /statistik.
	const district = (await req('/api/v1/districts')).json.districts.find((x) => x.slug === 'oestliches-ringgebiet');
	assert.ok(district, 'the district of the dataset');
	const dash = await req(`/statistik?${Q}&district=${district.slug}&field=umwelt-und-klimaschutz`);
	const link = `/statistik/handlungsfelder?lang=de&amp;from=2019-05&amp;to=2019-06&amp;district=${district.slug}`;
	assert.ok(dash.text.includes(`href="${link}"`), 'the link carries the district, not the field');
	const there = await req(link.replaceAll('&amp;', '&'));
	assert.equal(there.status, 200);
	assert.ok(there.text.includes(`<option value="${district.slug}" selected>`));
	const dj = (await req(`/api/v1/stats/dashboard?${Q}&district=${district.slug}`)).json;
	const umwelt = dj.by_field_series.find((f) => f.name === 'Umwelt und Klimaschutz').series.ideas_submitted.map(text);
	assert.match(there.text, new RegExp(`<th scope="row">Umwelt und Klimaschutz</th><td class="num">${umwelt[0]}</td><td class="num">${umwelt[1]}</td></tr>`));
	assert.equal((await req('/statistik/handlungsfelder?from=2019-13')).status, 422);
	const en = await req(`/statistik/handlungsfelder?${Q}&lang=en`);
	assert.match(en.text, /<h1>Trends by field of action<\/h1>/);
	assert.match(en.text, /<th scope="row">Education and Research<\/th><td class="num">withheld<\/td>/);
	assert.match((await req(`/statistik?${Q}&lang=en`)).text, /href="\/statistik\/handlungsfelder\?lang=en&amp;[^"]*">Trends by field of action</);
});

// Both pages at most 50 KB of HTML with the widest period this file's
// data is read in (a year, as the default, around the dataset) and with
// every field and district: the weights are printed.
test('weights: /statistik and /statistik/handlungsfelder at most 50 KB', async (t) => {
	const rows = [];
	for (const q of ['', 'from=2018-07&to=2019-06', Q, 'from=2018-07&to=2019-06&lang=en']) {
		for (const path of ['/statistik', '/statistik/handlungsfelder']) {
			const r = await req(`${path}?${q}`);
			assert.equal(r.status, 200);
			const bytes = Buffer.byteLength(r.text);
			rows.push(`${String(bytes).padStart(7)}  ${path}?${q}`);
			assert.ok(bytes <= 50 * 1024, `${path}?${q}: ${bytes} bytes of HTML`);
		}
	}
	// Longer periods widen the tables: shown, not held to the limit.
	for (const path of ['/statistik', '/statistik/handlungsfelder']) {
		const r = await req(`${path}?from=2017-07&to=2019-06`);
		rows.push(`${String(Buffer.byteLength(r.text)).padStart(7)}  ${path}?from=2017-07&to=2019-06 (two years, not checked)`);
	}
	for (const row of rows) t.diagnostic(`HTML bytes: ${row}`);
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
	for (const [name, path] of [['statistik', '/statistik'], ['handlungsfelder', '/statistik/handlungsfelder']]) {
		for (const width of [320, 375, 1280]) {
			const context = await browser.newContext({ viewport: { width, height: 900 } });
			const page = await context.newPage();
			await page.goto(`${BASE}${path}?${Q}`);
			const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(scroll <= width, `${path}: no horizontal scroll at ${width}px: ${scroll}`);
			if (process.env.STATS_SHOTS)
				await page.screenshot({ path: `${process.env.STATS_SHOTS}/${name}-${width}.png`, fullPage: true });
			if (width === 1280 && process.env.STATS_SHOTS) {
				await page.emulateMedia({ media: 'print' });
				await page.screenshot({ path: `${process.env.STATS_SHOTS}/${name}-print.png`, fullPage: true });
			}
			await context.close();
		}
	}
});
