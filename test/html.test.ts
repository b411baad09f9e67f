import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { esc } from '../src/report/html/page.js';
import { cli, csv, csvFile, dir } from './helpers.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');

/** Whatever could make a browser fetch something or run code. */
function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toMatch(/<(img|link|iframe|object|embed|video|audio|source)\b/i);
  expect(html).not.toMatch(/<[^>]*\s(src|href|xlink:href)\s*=/i);
  expect(html).not.toMatch(/url\(|@import/i);
  expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
}

describe('HTML reports', { timeout: 60_000 }, () => {
  it('esc makes any text safe in content and in attributes, and drops control characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(esc('a\u0007b\u009bc\td')).toBe('a\ufffdb\ufffdc\td');
    expect(esc(null)).toBe('');
  });

  it('audit --format html is one self-contained file with the summary, lists and data quality', () => {
    const r = cli(['audit', SAMPLE, '--as-of', '2018-11-01', '--from', '2017-11-01', '--format', 'html']);
    expect(r.code).toBe(0);
    expectSelfContained(r.stdout);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(r.stdout).toContain('<title>Permanence decisions as of 2018-11-01</title>');
    expect(r.stdout).toMatch(/Aim (not )?met/);
    expect(r.stdout).toMatch(/<th scope="col"[^>]*>Days overdue<\/th>/);
    expect(r.stdout).toContain('Rows read');
    // The stage table names where each clock starts in words (JSON v2 keeps the key in `from`).
    expect(r.stdout).toMatch(/<th scope="row">Permanence panel<\/th><td>Permanence decision<\/td>/);
    // The same overdue count as the JSON contract.
    const json = JSON.parse(
      cli(['audit', SAMPLE, '--as-of', '2018-11-01', '--from', '2017-11-01', '--format', 'json']).stdout,
    );
    expect(r.stdout).toContain(`Overdue: ${json.summary.overdue} child`);
  });

  it('trend --format html holds the chart with a title, a description, median and aim lines', () => {
    const r = cli(['trend', SAMPLE, '--start', '2017-01-01', '--end', '2019-06-30', '--format', 'html']);
    expect(r.code).toBe(0);
    expectSelfContained(r.stdout);
    expect(r.stdout).toMatch(/<svg [^>]*role="img"[^>]*aria-labelledby="run-chart-title run-chart-desc"/);
    expect(r.stdout).toContain('<title id="run-chart-title">');
    expect(r.stdout).toContain('<desc id="run-chart-desc">');
    expect(r.stdout).toContain('class="median"');
    expect(r.stdout).toContain('class="aim"');
    expect(r.stdout.match(/class="point"/g)).toHaveLength(30);
  });

  it('hostile ids are escaped: no markup from the data reaches the page, and long lists are complete', () => {
    const rows: string[] = [];
    rows.push('<script>alert(1)</script>,"""><img src=x onerror=alert(2)>",2012-01-01,accommodated,2017-01-02,');
    for (let i = 0; i < 300; i++) rows.push(`C${String(i).padStart(4, '0')},F${i},2012-01-01,accommodated,2017-01-02,`);
    const file = csvFile(csv(...rows));
    const r = cli(['audit', file, '--as-of', '2018-11-01', '--format', 'html']);
    expect(r.code).toBe(0);
    expectSelfContained(r.stdout);
    expect(r.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.stdout).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(r.stdout).toContain('Overdue: 301 children');
    expect(r.stdout).toContain('C0299');
  });

  it('--output writes the report to a file', () => {
    const out = join(dir, 'report.html');
    const r = cli([
      'trend',
      SAMPLE,
      '--start',
      '2018-01-01',
      '--end',
      '2018-12-31',
      '--format',
      'html',
      '--output',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/<\/html>\n$/);
  });
});
