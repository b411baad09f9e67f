import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/commands/audit/audit.js';
import { measureFor, trend } from '../src/commands/trend/index.js';
import { formatDay } from '../src/dates/days.js';
import { parseDuration } from '../src/dates/duration.js';
import { periodEnds, windowStart } from '../src/dates/periods.js';
import { type AuditParameters } from '../src/measures/decision.js';
import { defaultStageTargets } from '../src/measures/stages.js';
import { cli, csvFile, d } from './helpers.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');

const params = (over: Partial<AuditParameters> = {}): AuditParameters => ({
  asOf: d('2019-12-31'),
  from: NaN,
  to: NaN,
  maxAge: 12,
  target: parseDuration('7.5m'),
  aim: 75,
  stageTargets: defaultStageTargets(),
  dueWithin: parseDuration('28d'),
  ...over,
});

describe('periods', () => {
  it('month, quarter and week ends between two days, both included', () => {
    expect(periodEnds(d('2018-01-31'), d('2018-04-30'), 'month').map(formatDay)).toEqual([
      '2018-01-31',
      '2018-02-28',
      '2018-03-31',
      '2018-04-30',
    ]);
    expect(periodEnds(d('2018-01-15'), d('2018-04-29'), 'month').map(formatDay)).toEqual([
      '2018-01-31',
      '2018-02-28',
      '2018-03-31',
    ]);
    expect(periodEnds(d('2019-12-01'), d('2020-03-31'), 'month').map(formatDay)).toEqual([
      '2019-12-31',
      '2020-01-31',
      '2020-02-29',
      '2020-03-31',
    ]);
    expect(periodEnds(d('2018-02-01'), d('2019-01-01'), 'quarter').map(formatDay)).toEqual([
      '2018-03-31',
      '2018-06-30',
      '2018-09-30',
      '2018-12-31',
    ]);
    // 2018-11-04 and 2018-11-11 were Sundays.
    expect(periodEnds(d('2018-11-04'), d('2018-11-17'), 'week').map(formatDay)).toEqual(['2018-11-04', '2018-11-11']);
    expect(periodEnds(d('2018-11-05'), d('2018-11-10'), 'week')).toEqual([]);
  });
});

describe('trend over the sample: each point is audit --as-of that day', { timeout: 60_000 }, () => {
  const points = periodEnds(d('2016-05-01'), d('2019-12-31'), 'month');

  for (const cohort of [{}, { from: d('2017-11-01') }, { from: d('2017-01-01'), to: d('2018-06-30'), maxAge: 8 }]) {
    it(`month by month, cohort ${JSON.stringify(Object.fromEntries(Object.entries(cohort).map(([k, v]) => [k, k === 'maxAge' ? v : formatDay(v as number)])))}`, async () => {
      const t = await trend(
        { params: params(cohort), points, measure: measureFor('within-target')!, rules: 'ihi' },
        { file: SAMPLE },
      );
      expect(t.points).toHaveLength(points.length);
      let nonEmpty = 0;
      for (const [k, point] of t.points.entries()) {
        const a = await audit(params({ ...cohort, asOf: points[k] }), { file: SAMPLE });
        expect({ asOf: formatDay(point.asOf), ...point.summary }).toEqual({ asOf: formatDay(points[k]), ...a.summary });
        expect(point.stages).toEqual(a.stages);
        if (a.summary.episodes > 0) nonEmpty++;
      }
      expect(nonEmpty).toBeGreaterThan(10);
    });
  }

  it("--window 12m: each point is audit --as-of that day --from the window's first day", async () => {
    expect(formatDay(windowStart(d('2018-12-31'), parseDuration('12m')))).toBe('2018-01-01');
    expect(formatDay(windowStart(d('2018-02-28'), parseDuration('12m')))).toBe('2017-03-01');
    expect(formatDay(windowStart(d('2018-03-31'), parseDuration('1m')))).toBe('2018-03-01');
    expect(formatDay(windowStart(d('2018-03-31'), parseDuration('28d')))).toBe('2018-03-04');
    const window = parseDuration('12m');
    const t = await trend(
      {
        params: params({ from: d('2017-06-01') }),
        points,
        measure: measureFor('within-target')!,
        rules: 'ihi',
        window,
      },
      { file: SAMPLE },
    );
    let moved = 0;
    for (const [k, point] of t.points.entries()) {
      const from = Math.max(d('2017-06-01'), windowStart(points[k], window));
      if (from > d('2017-06-01')) moved++;
      expect(point.from).toBe(from);
      const a = await audit(params({ asOf: points[k], from }), { file: SAMPLE });
      expect(point.summary).toEqual(a.summary);
      expect(point.stages).toEqual(a.stages);
    }
    expect(moved).toBeGreaterThan(10);
  });

  it('rows in any order (shuffled) give the same points', async () => {
    const [header, ...rows] = readFileSync(SAMPLE, 'utf8').trim().split('\n');
    // A fixed shuffle: reversed, then every third row moved to the end.
    const shuffled = [...rows].reverse();
    const moved = [...shuffled.filter((_, i) => i % 3), ...shuffled.filter((_, i) => i % 3 === 0)];
    const file = csvFile([header, ...moved].join('\r\n') + '\r\n');
    const m = measureFor('within-target')!;
    const a = await trend({ params: params(), points, measure: m, rules: 'ihi' }, { file: SAMPLE });
    const b = await trend({ params: params(), points, measure: m, rules: 'ihi' }, { file });
    expect(b.points).toEqual(a.points);
    expect(b.runChart).toEqual(a.runChart);
  });
});

describe('pace-audit trend (CLI)', { timeout: 60_000 }, () => {
  const args = ['trend', SAMPLE, '--start', '2017-01-01', '--end', '2019-06-30'];

  it('JSON: schemaVersion, parameters, one entry per month end, the run chart with named signals', async () => {
    const r = cli([...args, '--from', '2017-11-01', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.report).toBe('trend');
    expect(j.parameters).toMatchObject({
      start: '2017-01-01',
      end: '2019-06-30',
      every: 'month',
      from: '2017-11-01',
      measure: 'within-target',
      rules: 'ihi',
    });
    expect(j.points).toHaveLength(30);
    expect(Object.keys(j.points[0])).toEqual([
      'asOf',
      'cohortFrom',
      'episodes',
      'children',
      'families',
      'decided',
      'decidedWithinTarget',
      'decidedLate',
      'overdue',
      'inProgress',
      'leftCare',
      'percentOfDecidedWithinTarget',
      'percentWithinTarget',
      'aim',
      'aimMet',
      'stages',
    ]);
    expect(j.points[0].stages.decision).toMatchObject({ label: 'Permanence decision', target: '7.5m' });
    // Same figures as audit --as-of at one month end.
    const a = JSON.parse(
      cli(['audit', SAMPLE, '--as-of', '2018-10-31', '--from', '2017-11-01', '--format', 'json']).stdout,
    );
    const p = j.points.find((x: { asOf: string }) => x.asOf === '2018-10-31');
    for (const k of [
      'episodes',
      'children',
      'decided',
      'decidedWithinTarget',
      'decidedLate',
      'overdue',
      'inProgress',
      'leftCare',
      'percentWithinTarget',
      'aimMet',
    ])
      expect(p[k], k).toEqual(a.summary[k]);
    expect(Object.keys(j.runChart)).toEqual(
      expect.arrayContaining([
        'measure',
        'rules',
        'baselinePoints',
        'median',
        'signals',
        'runs',
        'usefulObservations',
        'runsLimits',
      ]),
    );
    for (const s of j.runChart.signals) {
      expect(['shift', 'trend', 'too_few_runs', 'too_many_runs', 'small_number']).toContain(s.rule);
      expect(typeof s.label).toBe('string');
      for (const d of s.points) expect(j.points.map((x: { asOf: string }) => x.asOf)).toContain(d);
    }
  });

  it('table: a sparkline in block characters under a UTF-8 locale, plain characters otherwise', async () => {
    const utf8 = cli(args, { LANG: 'en_GB.UTF-8', LC_ALL: '', LC_CTYPE: '' });
    expect(utf8.code).toBe(0);
    expect(utf8.stdout).toMatch(/Chart \(30 points, low to high ▁…█\): [ ▁▂▃▄▅▆▇█]{30}\n/);
    const plain = cli(args, { LANG: 'C', LC_ALL: '', LC_CTYPE: '' });
    expect(plain.stdout).toMatch(/Chart \(30 points, low to high _ … @\): [ _.\-=+*#@]{30}\n/);
    expect(plain.stdout).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(plain.stdout).toMatch(/Centre line: /);
  });

  it('CSV: one row per point, spreadsheet-safe', async () => {
    const r = cli([...args, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(31);
    expect(lines[0]).toMatch(/^asOf,cohortFrom,episodes,children,families,decided,/);
    expect(lines[1]).toMatch(/^2017-01-31,/);
    // Booleans as JSON writes them: a missed aim is `false`, not an empty cell that reads as missing.
    const head = lines[0].split(',');
    const points = JSON.parse(cli([...args, '--format', 'json']).stdout).points as { aimMet: boolean }[];
    const aimMet = lines.slice(1).map((l) => l.split(',')[head.indexOf('aimMet')]);
    expect(aimMet).toEqual(points.map((p) => String(p.aimMet)));
    expect(new Set(aimMet)).toEqual(new Set(['true', 'false']));
    // Each stage's columns go by the names --measure takes (README, trend): a contract.
    expect(head.slice(head.indexOf('signals') + 1)).toEqual(
      ['early_review', 'statutory_review', 'decision', 'panel', 'adm', 'court_application', 'final_order'].flatMap(
        (s) => [`${s}.percentWithinTarget`, `${s}.median`, `${s}.p90`],
      ),
    );
  });

  it('--rules anhoej, --measure a stage, --every quarter', async () => {
    const j = JSON.parse(
      cli([...args, '--every', 'quarter', '--rules', 'anhoej', '--measure', 'panel.median', '--format', 'json']).stdout,
    );
    expect(j.points.map((p: { asOf: string }) => p.asOf)).toEqual([
      '2017-03-31',
      '2017-06-30',
      '2017-09-30',
      '2017-12-31',
      '2018-03-31',
      '2018-06-30',
      '2018-09-30',
      '2018-12-31',
      '2019-03-31',
      '2019-06-30',
    ]);
    expect(j.runChart).toMatchObject({ measure: 'panel.median', rules: 'anhoej' });
  });

  it('usage errors: unknown measure, rules, period; start after end; no period end between', async () => {
    for (const extra of [
      ['--measure', 'nope'],
      ['--rules', 'western'],
      ['--every', 'day'],
      ['--baseline', '0'],
    ]) {
      const r = cli([...args, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/\[INVALID_OPTION\]/);
    }
    expect(cli(['trend', SAMPLE, '--start', '2019-01-01', '--end', '2018-01-01']).code).toBe(2);
    expect(cli(['trend', SAMPLE, '--start', '2019-01-02', '--end', '2019-01-20']).stderr).toMatch(
      /no month ends between/,
    );
    expect(cli(['trend', SAMPLE, '--end', '2019-01-20']).code).toBe(2); // --start is required
  });
});
