/**
 * The HTML reports in a real browser: Debian's chromium (installed by .ci/run), headless, with
 * every request intercepted. Never downloads a browser.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');
const SHOTS = join(tmpdir(), 'pace-audit-screenshots');

let context: BrowserContext;

beforeAll(async () => {
  if (!once) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`);
  mkdirSync(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'pace-audit-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
    offline: true,
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
});

/** Opens a report; returns what it asked for beyond itself and what went wrong on the console. */
async function open(html: string, name: string) {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  page.on('request', (r) => {
    if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  const shot = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  return { page, requests, errors, shot };
}

// A browser is slow to start and knows nothing of the TZ the suite repeats under: run it once,
// in the UTC pass (or when no TZ is set).
const once = !process.env.TZ || process.env.TZ === 'UTC';

describe.skipIf(!once)('HTML reports in headless Chromium', () => {
  it('the trend report: no request, no console error, every point where the data puts it', async () => {
    const args = ['trend', SAMPLE, '--start', '2017-01-01', '--end', '2019-06-30'];
    const html = cli([...args, '--format', 'html']);
    const json = JSON.parse(cli([...args, '--format', 'json']).stdout);
    expect(html.code).toBe(0);
    const { page, requests, errors } = await open(html.stdout, 'trend');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);

    // Where the browser drew the 0% and 100% grid lines: the scale the points must follow.
    const tick = async (t: number) => (await page.locator(`#run-chart line[data-tick="${t}"]`).boundingBox())!;
    const y0 = (await tick(0)).y;
    const y100 = (await tick(100)).y;
    expect(y0).toBeGreaterThan(y100);
    const points = await page.locator('#run-chart circle.point').evaluateAll((cs) =>
      cs.map((c) => {
        const b = c.getBoundingClientRect();
        return { asOf: c.getAttribute('data-as-of'), x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }),
    );
    const expected = json.points.filter((p: { percentWithinTarget: number | null }) => p.percentWithinTarget !== null);
    expect(points.map((p) => p.asOf)).toEqual(expected.map((p: { asOf: string }) => p.asOf));
    points.forEach((p, i) => {
      const want = y0 + ((y100 - y0) * expected[i].percentWithinTarget) / 100;
      expect(Math.abs(p.y - want), `${p.asOf}`).toBeLessThan(1);
      if (i > 0) expect(p.x).toBeGreaterThan(points[i - 1].x);
    });
    // Month ends one apart are one step apart.
    const steps = points.slice(1).map((p, i) => p.x - points[i].x);
    for (const s of steps) expect(Math.abs(s - steps[0])).toBeLessThan(0.5);

    // The centre line and the aim where the JSON puts them.
    const lineY = async (cls: string) => (await page.locator(`#run-chart line.${cls}`).boundingBox())!.y;
    expect(Math.abs((await lineY('median')) - (y0 + ((y100 - y0) * json.runChart.median) / 100))).toBeLessThan(1.5);
    expect(Math.abs((await lineY('aim')) - (y0 + ((y100 - y0) * json.parameters.aim) / 100))).toBeLessThan(1.5);

    // Each signal point is marked with its shape; the signals are named in words.
    const shift = json.runChart.signals.find((s: { rule: string }) => s.rule === 'shift');
    expect(shift).toBeDefined();
    expect(await page.locator('#run-chart rect.mark-shift').count()).toBe(shift.points.length);
    await expect(page.locator('ul.signals').textContent()).resolves.toContain('Shift');
    await expect(page.title()).resolves.toMatch(/^Permanence decisions, month by month/);
    await page.close();
  }, 60_000);

  it('the audit report: no request, no console error; hostile ids stay text', async () => {
    const html = cli(['audit', SAMPLE, '--as-of', '2018-11-01', '--from', '2017-11-01', '--format', 'html']);
    const { page, requests, errors } = await open(html.stdout, 'audit');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Permanence decisions as of 2018-11-01');
    expect(await page.locator('table thead th').count()).toBeGreaterThan(10);
    await page.close();

    const hostile = join(dir, 'hostile.csv');
    writeFileSync(
      hostile,
      'child_id,family_id,date_of_birth,event,event_date,route\n"<img src=http://192.0.2.1/x.png>",<script>fetch(1)</script>,2012-01-01,accommodated,2017-01-02,\n',
    );
    const bad = await open(
      cli(['audit', hostile, '--as-of', '2018-11-01', '--format', 'html']).stdout,
      'audit-hostile',
    );
    expect(bad.requests).toEqual([]);
    expect(bad.errors).toEqual([]);
    expect(await bad.page.locator('img, script').count()).toBe(0);
    await expect(bad.page.locator('section.list tbody th').first().textContent()).resolves.toBe(
      '<img src=http://192.0.2.1/x.png>',
    );
    await bad.page.close();
  }, 60_000);

  it('the guard itself: a page that fetches something is caught', async () => {
    const leaky = await open(
      '<!DOCTYPE html><html><head><title>x</title></head><body><img src="http://192.0.2.1/x.png" alt=""></body></html>',
      'guard',
    );
    expect(leaky.requests).toContain('http://192.0.2.1/x.png');
    await leaky.page.close();
  }, 60_000);
});
