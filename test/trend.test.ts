import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/commands/audit/index.js';
import { measureFor, trend } from '../src/commands/trend/index.js';
import { formatDay } from '../src/dates/days.js';
import { parseDuration } from '../src/dates/duration.js';
import { periodEnds } from '../src/dates/periods.js';
import { type AuditParameters } from '../src/measures/decision.js';
import { defaultStageTargets } from '../src/measures/stages.js';
import { csvFile, d } from './helpers.js';

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
    expect(periodEnds(d('2018-01-31'), d('2018-04-30'), 'month').map(formatDay)).toEqual(['2018-01-31', '2018-02-28', '2018-03-31', '2018-04-30']);
    expect(periodEnds(d('2018-01-15'), d('2018-04-29'), 'month').map(formatDay)).toEqual(['2018-01-31', '2018-02-28', '2018-03-31']);
    expect(periodEnds(d('2019-12-01'), d('2020-03-31'), 'month').map(formatDay)).toEqual(['2019-12-31', '2020-01-31', '2020-02-29', '2020-03-31']);
    expect(periodEnds(d('2018-02-01'), d('2019-01-01'), 'quarter').map(formatDay)).toEqual(['2018-03-31', '2018-06-30', '2018-09-30', '2018-12-31']);
    // 2018-11-04 and 2018-11-11 were Sundays.
    expect(periodEnds(d('2018-11-04'), d('2018-11-17'), 'week').map(formatDay)).toEqual(['2018-11-04', '2018-11-11']);
    expect(periodEnds(d('2018-11-05'), d('2018-11-10'), 'week')).toEqual([]);
  });
});

describe('trend over the sample: each point is audit --as-of that day', () => {
  const points = periodEnds(d('2016-05-01'), d('2019-12-31'), 'month');

  for (const cohort of [{}, { from: d('2017-11-01') }, { from: d('2017-01-01'), to: d('2018-06-30'), maxAge: 8 }]) {
    it(`month by month, cohort ${JSON.stringify(Object.fromEntries(Object.entries(cohort).map(([k, v]) => [k, k === 'maxAge' ? v : formatDay(v as number)])))}`, async () => {
      const t = await trend({ params: params(cohort), points, measure: measureFor('within-target')!, rules: 'ihi' }, { file: SAMPLE });
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
