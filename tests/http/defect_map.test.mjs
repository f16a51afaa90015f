// The defect reporter's map in Debian's chromium (playwright-core drives
// /usr/bin/chromium; no browser is downloaded).  With no tile URL
// configured the map is a plain grid with the city's outline: a click
// fills latitude and longitude (with a decimal comma), typing moves the
// point; the list shows the reports from the GeoJSON feed.  Nothing is
// fetched from outside the server and the page's CSP is never violated.
// With JavaScript off the same form is a plain form that reports a defect.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, json, clientIp } from './lib.mjs';

const CHROMIUM = '/usr/bin/chromium';

let browser;

test.before(async () => {
	assert.ok(existsSync(CHROMIUM), 'Debian chromium is installed (make test installs it)');
	browser = await chromium.launch({ executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-background-networking'] });
});

test.after(async () => {
	await browser?.close();
});

// A page that records every console error, failed request, CSP violation
// and request to another host.
async function watched(context) {
	const page = await context.newPage();
	const problems = [];
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
		if (!r.url().startsWith(BASE) && !r.url().startsWith('data:'))
			problems.push(`request outside the server: ${r.url()}`);
	});
	return { page, problems };
}

const number = (v) => Number(v.replace(',', '.'));

test('map picker on a plain grid: a click fills latitude and longitude, typing moves the point', async () => {
	const context = await browser.newContext();
	const { page, problems } = await watched(context);
	await page.goto(`${BASE}/maengel/neu?lang=de`);
	const map = page.locator('#defect-map');
	await map.waitFor({ state: 'visible' });
	assert.ok(await map.evaluate((el) => el.classList.contains('grid')), 'no tile URL: the grid');
	assert.equal(await page.locator('#defect-map .leaflet-tile').count(), 0, 'no tiles without a tile URL');
	assert.ok(await page.locator('#defect-map path.leaflet-interactive, #defect-map path').count() > 10,
		'grid lines and the city outline are drawn');
	assert.match(await page.locator('#map-hint').textContent(), /Klicken oder tippen Sie auf die Karte/);
	const box = await map.boundingBox();
	await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
	const lat = await page.locator('#lat').inputValue();
	const lon = await page.locator('#lon').inputValue();
	assert.match(lat, /^52,\d+$/, `latitude with a decimal comma: ${lat}`);
	assert.match(lon, /^10,\d+$/, `longitude with a decimal comma: ${lon}`);
	const [minLon, minLat, maxLon, maxLat] = (await map.getAttribute('data-bbox')).split(',').map(Number);
	assert.ok(number(lat) > minLat && number(lat) < maxLat && number(lon) > minLon && number(lon) < maxLon);
	assert.equal(await page.locator('#defect-map path.leaflet-interactive').count(), 1, 'one point set');

	// Typed coordinates move the point; the keyboard sets it at the centre.
	await page.locator('#lat').fill('52,2689');
	await page.locator('#lon').fill('10,5268');
	await page.locator('#lon').dispatchEvent('change');
	await map.focus();
	await page.keyboard.press('ArrowUp');
	await page.keyboard.press('Enter');
	assert.notEqual(await page.locator('#lat').inputValue(), '52,2689', 'Enter sets the point at the centre');

	await page.getByLabel('Straßenschaden').check();
	await page.getByRole('button', { name: 'Weiter' }).click();
	await page.getByText('Schritt 2 von 2').waitFor();
	assert.deepEqual(problems, []);
	await context.close();
});

test('the list shows the reports of the GeoJSON feed on the map', async () => {
	const r = await json('POST', '/api/v1/defects', { category: 'graffiti', lat: 52.2641, lon: 10.5229,
		description: 'Frische Schmiererei an der Brücke.' }, { 'x-forwarded-for': clientIp() });
	assert.equal(r.status, 201, r.text);
	const context = await browser.newContext();
	const { page, problems } = await watched(context);
	const feed = page.waitForResponse((res) => res.url().includes('/api/v1/defects.geojson?bbox='));
	await page.goto(`${BASE}/maengel?lang=de`);
	assert.equal((await feed).status(), 200);
	await page.locator('#defect-map path.leaflet-interactive').first().waitFor();
	assert.ok(await page.locator('#defect-map path.leaflet-interactive').count() >= 1);
	assert.deepEqual(problems, []);
	await context.close();
});

test('with JavaScript off the map stays hidden and the form reports a defect', async () => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const { page, problems } = await watched(context);
	await page.goto(`${BASE}/maengel/neu?lang=de`);
	assert.ok(await page.locator('#defect-map').isHidden());
	await page.getByLabel('Straßenbeleuchtung').check();
	await page.getByLabel('Adresse oder Ort').fill('Am Magnitor 3');
	await page.getByLabel('Breitengrad').fill('52,2631');
	await page.getByLabel('Längengrad').fill('10,5262');
	await page.getByRole('button', { name: 'Weiter' }).click();
	await page.getByText('Schritt 2 von 2').waitFor();
	await page.getByLabel('Beschreibung').fill('Die Laterne vor dem Haus flackert seit einer Woche.');
	await page.waitForTimeout(1100);
	await page.getByRole('button', { name: 'Meldung absenden' }).click();
	await page.getByText('Bewahren Sie diesen Link auf').waitFor();
	assert.match(page.url(), /\/maengel\/status\/[A-Za-z0-9_-]+\?lang=de&neu=1$/);
	assert.deepEqual(problems, []);
	await context.close();
});
