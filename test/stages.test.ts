import { describe, expect, it } from 'vitest';
import { audit, results } from '../src/commands/audit/audit.js';
import { childJourneyJson } from '../src/commands/audit/render.js';
import { parseDuration } from '../src/dates/duration.js';
import { applyStageTarget, defaultStageTargets, Lags, percentile } from '../src/measures/stages.js';
import { cli, csv, csvFile, d, ZONED_RUN } from './helpers.js';

const params = (asOf = '2018-11-01', over: { dueWithin?: string; stageTargets?: string[] } = {}) => ({
  asOf: d(asOf),
  from: NaN,
  to: NaN,
  maxAge: 12,
  target: parseDuration('7.5m'),
  aim: 75,
  stageTargets: (over.stageTargets ?? []).reduce(applyStageTarget, defaultStageTargets()),
  dueWithin: parseDuration(over.dueWithin ?? '28d'),
});

async function run(text: string, asOf = '2018-11-01', over = {}) {
  const p = params(asOf, over);
  const r = await audit(p, { file: csvFile(text) });
  return { ...r, rows: [...results(r)].map((c) => childJourneyJson(c, p)) };
}

const ev = (id: string, event: string, date: string, route = '', family = 'F1') =>
  `${id},${family},${event === 'accommodated' ? '2012-01-01' : ''},${event},${date},${route}`;

describe('each stage from its own start event', () => {
  const adoption = csv(
    ev('A', 'accommodated', '2018-01-01'),
    ev('A', 'review', '2018-01-10'), // early: due 01-15, within (9 days); statutory: due 02-12, within
    ev('A', 'permanence_decision', '2018-05-01', 'adoption'), // due 2018-08-16: within, 120 days
    ev('A', 'permanence_panel', '2018-07-01'), // 12 weeks from the decision: due 07-24, within, 61 days
    ev('A', 'adm_decision', '2018-07-20'), // 14 days from the panel: due 07-15, late, 19 days
    ev('A', 'court_application', '2018-09-01'), // no target: reached, 43 days
  );
  it('gives each stage its start, deadline, lag and status', async () => {
    const { rows } = await run(adoption);
    const s = rows[0].stages as Record<
      string,
      { start: string; on: string; deadline: string | null; lagDays: number; status: string }
    >;
    expect(s.early_review).toEqual({
      start: '2018-01-01',
      on: '2018-01-10',
      deadline: '2018-01-15',
      lagDays: 9,
      status: 'within',
    });
    expect(s.statutory_review).toEqual({
      start: '2018-01-01',
      on: '2018-01-10',
      deadline: '2018-02-12',
      lagDays: 9,
      status: 'within',
    });
    expect(s.decision).toMatchObject({ on: '2018-05-01', deadline: '2018-08-16', lagDays: 120, status: 'within' });
    expect(s.panel).toEqual({
      start: '2018-05-01',
      on: '2018-07-01',
      deadline: '2018-07-24',
      lagDays: 61,
      status: 'within',
    });
    expect(s.adm).toEqual({
      start: '2018-07-01',
      on: '2018-07-20',
      deadline: '2018-07-15',
      lagDays: 19,
      status: 'late',
    });
    expect(s.court_application).toEqual({
      start: '2018-07-20',
      on: '2018-09-01',
      deadline: null,
      lagDays: 43,
      status: 'reached',
    });
    // Waiting for the final order, with no target: in progress, 61 days so far.
    expect(s.final_order).toEqual({
      start: '2018-09-01',
      on: null,
      deadline: null,
      lagDays: 61,
      status: 'in_progress',
    });
  });

  it('sums stages over the cohort', async () => {
    const { stages } = await run(adoption);
    const panel = stages.find((s) => s.stage === 'panel')!;
    expect(panel).toMatchObject({
      target: '12w',
      reachedWithin: 1,
      reachedLate: 0,
      waitingWithin: 0,
      waitingOverdue: 0,
      median: 61,
      p90: 61,
      max: 61,
    });
    expect(panel.byRoute).toEqual({ adoption: { count: 1, median: 61, p90: 61, max: 61 } });
    expect(stages.find((s) => s.stage === 'adm')).toMatchObject({ reachedWithin: 0, reachedLate: 1 });
  });

  it('a stage past its target with no event yet is overdue; one ceased is out of it', async () => {
    const text = csv(
      ev('A', 'accommodated', '2018-01-01'),
      ev('A', 'permanence_decision', '2018-02-01', 'permanence_order'),
      ev('B', 'accommodated', '2018-01-01'),
      ev('B', 'permanence_decision', '2018-02-01', 'adoption'),
      ev('B', 'ceased_accommodated', '2018-03-01'),
    );
    const { rows, stages } = await run(text);
    expect(rows.map((r) => (r.stages as Record<string, { status: string }>).panel.status)).toEqual([
      'overdue',
      'left_care',
    ]);
    expect(stages.find((s) => s.stage === 'panel')).toMatchObject({ waitingOverdue: 1, waitingWithin: 0 });
  });

  it('honours --stage-target, and none for a stage reports lags only', async () => {
    const { rows } = await run(adoption, '2018-11-01', { stageTargets: ['adm=21d', 'panel=none'] });
    const s = rows[0].stages as Record<string, { status: string; deadline: string | null }>;
    expect(s.adm).toMatchObject({ status: 'within', deadline: '2018-07-22' });
    expect(s.panel).toMatchObject({ status: 'reached', deadline: null });
    expect(() => applyStageTarget(defaultStageTargets(), 'tea=5d')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('routes decide which stages apply', () => {
  it('home goes through no later stage; kinship only to court once an application is lodged', async () => {
    const text = csv(
      ev('H', 'accommodated', '2018-01-01'),
      ev('H', 'permanence_decision', '2018-02-01', 'home'),
      ev('K', 'accommodated', '2018-01-01'),
      ev('K', 'permanence_decision', '2018-02-01', 'kinship'),
      ev('L', 'accommodated', '2018-01-01'),
      ev('L', 'permanence_decision', '2018-02-01', 'kinship'),
      ev('L', 'court_application', '2018-04-02'),
    );
    const { rows, stages } = await run(text);
    const status = (i: number, k: string) => (rows[i].stages as Record<string, { status: string; lagDays: number }>)[k];
    for (const k of ['panel', 'adm', 'court_application', 'final_order'])
      expect(status(0, k).status).toBe('not_applicable');
    for (const k of ['panel', 'adm', 'court_application', 'final_order'])
      expect(status(1, k).status).toBe('not_applicable');
    expect(status(2, 'panel').status).toBe('not_applicable');
    expect(status(2, 'court_application')).toMatchObject({ status: 'reached', lagDays: 60 }); // from the decision
    expect(status(2, 'final_order').status).toBe('in_progress');
    // Nobody on the home route is ever "waiting for panel".
    expect(stages.find((s) => s.stage === 'panel')).toMatchObject({
      waitingWithin: 0,
      waitingOverdue: 0,
      reachedWithin: 0,
    });
  });

  it('counts decisions and their lag by route', async () => {
    const text = csv(
      ev('A', 'accommodated', '2018-01-01'),
      ev('A', 'permanence_decision', '2018-02-01', 'home'),
      ev('B', 'accommodated', '2018-01-01'),
      ev('B', 'permanence_decision', '2018-03-01', 'home'),
      ev('C', 'accommodated', '2018-01-01'),
      ev('C', 'permanence_decision', '2018-04-01', 'adoption'),
      ev('D', 'accommodated', '2018-01-01'),
    );
    const { routes } = await run(text);
    expect(routes).toEqual([
      { route: 'home', label: 'Home', decisions: 2, share: 66.7, lag: { count: 2, median: 31, p90: 59, max: 59 } },
      {
        route: 'kinship',
        label: 'Kinship care',
        decisions: 0,
        share: 0,
        lag: { count: 0, median: null, p90: null, max: null },
      },
      {
        route: 'permanence_order',
        label: 'Permanence order',
        decisions: 0,
        share: 0,
        lag: { count: 0, median: null, p90: null, max: null },
      },
      {
        route: 'adoption',
        label: 'Adoption',
        decisions: 1,
        share: 33.3,
        lag: { count: 1, median: 90, p90: 90, max: 90 },
      },
    ]);
  });
});

describe('percentiles: nearest rank', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
    [[1, 2, 3, 4], 50, 2],
    [[7], 90, 7],
    [[], 50, null],
  ])('%j at %i -> %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
    const l = new Lags();
    for (const v of values) l.add(v);
    expect(l.percentile(p)).toBe(expected);
  });
  it('counting by value agrees with sorting, on many values', () => {
    let s = 1;
    const values = Array.from({ length: 5000 }, () => (s = (s * 48271) % 2147483647) % 400);
    const l = new Lags();
    for (const v of values) l.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [1, 10, 50, 90, 99, 100]) expect(l.percentile(p)).toBe(percentile(sorted, p));
  });
});

describe('drift, families and re-entry', () => {
  const text = csv(
    ev('A', 'accommodated', '2018-01-01', '', 'F1'),
    ev('A', 'permanence_decision', '2018-02-01', 'adoption', 'F1'),
    ev('A', 'permanence_panel', '2018-06-01', '', 'F1'),
    ev('B', 'accommodated', '2018-01-01', '', 'F1'),
    ev('B', 'permanence_decision', '2018-05-01', 'adoption', 'F1'),
    ev('C', 'accommodated', '2018-01-01', '', 'F1'),
    ev('D', 'accommodated', '2018-01-01', '', 'F2'),
    ev('D', 'permanence_decision', '2018-03-01', 'home', 'F2'),
    ev('E', 'accommodated', '2018-01-01', '', 'F2'),
    ev('G', 'accommodated', '2018-01-01', '', 'F3'),
    ev('R', 'accommodated', '2016-01-01', '', 'F4'),
    ev('R', 'ceased_accommodated', '2016-06-01', '', 'F4'),
    ev('R', 'accommodated', '2018-01-01', '', 'F4'),
  );
  it('span between siblings\u2019 decisions, widest first', async () => {
    const { families } = await run(text);
    expect(families.siblingGroups).toBe(4);
    expect([...families.groups]).toEqual([
      {
        familyId: 'F1',
        children: 3,
        decided: 2,
        firstDecisionOn: d('2018-02-01'),
        lastDecisionOn: d('2018-05-01'),
        spanDays: 89,
      },
      {
        familyId: 'F2',
        children: 2,
        decided: 1,
        firstDecisionOn: d('2018-03-01'),
        lastDecisionOn: d('2018-03-01'),
        spanDays: null,
      },
    ]);
  });
  it('flags children with more than one episode', async () => {
    const { rows, reentries } = await run(text);
    expect(reentries).toBe(1);
    expect(rows.filter((r) => r.reentered).map((r) => [r.childId, r.episode])).toEqual([
      ['R', 1],
      ['R', 2],
    ]);
  });
  it('drift names the stage holding the longest waits first', async () => {
    const { drift } = await run(text);
    expect(drift.map((x) => [x.to, x.median, x.p90])).toEqual(
      [
        ['panel', 120, 120], // 2018-02-01 -> 2018-06-01
        ['decision', 59, 120],
        ['adm', null, null],
        ['court_application', null, null],
        ['final_order', null, null],
      ].sort((a, b) => ((b[2] as number) ?? -1) - ((a[2] as number) ?? -1)),
    );
  });
});

describe('due soon', () => {
  // Accommodated 2018-01-01: the decision is due 2018-08-16.
  const text = csv(ev('A', 'accommodated', '2018-01-01'));
  it.each([
    ['2018-07-19', 28, true], // exactly 28 days away: due soon
    ['2018-07-18', 29, false],
    ['2018-08-16', 0, true], // the deadline day itself
    ['2018-08-17', -1, false], // past it: overdue, not due soon
  ])('as of %s (%i days left): %s', async (asOf, daysLeft, listed) => {
    const { dueSoon } = await run(text, asOf);
    expect([...dueSoon]).toEqual(
      listed
        ? [{ childId: 'A', episode: 1, familyId: 'F1', stage: 'decision', deadline: d('2018-08-16'), daysLeft }]
        : [],
    );
  });
  it('lists later stages with a target too, soonest first', async () => {
    const t = csv(
      ev('A', 'accommodated', '2018-01-01'),
      ev('A', 'permanence_decision', '2018-02-01', 'adoption'),
      ev('B', 'accommodated', '2018-03-01'),
    );
    // A's panel is due 2018-04-26 (decision + 12 weeks). B's reviews are due 2018-03-15 (14 days)
    // and 2018-04-12 (42 days), its decision 2018-10-16.
    const { dueSoon } = await run(t, '2018-04-10', { dueWithin: '4w' });
    expect(dueSoon.map((x) => [x.childId, x.stage, x.daysLeft])).toEqual([
      ['B', 'statutory_review', 2],
      ['A', 'panel', 16],
    ]);
    const early = await run(t, '2018-03-05');
    expect(early.dueSoon.map((x) => [x.childId, x.stage, x.daysLeft])).toEqual([['B', 'early_review', 10]]);
  });
});

describe.skipIf(ZONED_RUN)('pace-audit child', () => {
  const file = csvFile(
    csv(
      ev('A', 'accommodated', '2018-01-01'),
      ev('A', 'review', '2018-01-20'),
      ev('A', 'review', '2018-03-01'),
      ev('A', 'permanence_decision', '2018-02-01', 'kinship'),
      ev('A', 'review', '2017-12-01'),
      ev('B', 'accommodated', '2018-01-01'),
    ),
  );
  it('lists every event with days since accommodation, each stage, and the child\u2019s warnings', () => {
    const r = cli(['child', 'A', file, '--as-of', '2018-11-01', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(
      j.events.map((e: { date: string; event: string; daysSinceAccommodation: number | null }) => [
        e.date,
        e.event,
        e.daysSinceAccommodation,
      ]),
    ).toEqual([
      ['2017-12-01', 'review', null],
      ['2018-01-01', 'accommodated', 0],
      ['2018-01-20', 'review', 19],
      ['2018-02-01', 'permanence_decision', 31],
      ['2018-03-01', 'review', 59],
    ]);
    expect(j.episodes[0].stages.find((s: { stage: string }) => s.stage === 'early_review')).toMatchObject({
      status: 'late',
      lagDays: 19,
    });
    expect(j.issues.map((i: { code: string; line: number }) => [i.code, i.line])).toEqual([
      ['EVENT_OUTSIDE_EPISODE', 6],
    ]);
    expect(r.stdout).not.toContain('"B"');
  });
  it('a day one episode ceases and the next starts: the accommodated row is the new one\u2019s, the rest the old one\u2019s', () => {
    const same = csvFile(
      csv(
        ev('H', 'accommodated', '2016-10-10'),
        ev('H', 'permanence_decision', '2017-06-30', 'home'),
        ev('H', 'ceased_accommodated', '2017-06-30'),
        ev('H', 'accommodated', '2017-06-30'),
        ev('H', 'review', '2017-07-10'),
      ),
    );
    const j = JSON.parse(cli(['child', 'H', same, '--as-of', '2017-07-31', '--format', 'json']).stdout);
    expect(
      j.events.map((e: { event: string; episode: number; daysSinceAccommodation: number }) => [
        e.event,
        e.episode,
        e.daysSinceAccommodation,
      ]),
    ).toEqual([
      ['accommodated', 1, 0],
      ['accommodated', 2, 0],
      ['permanence_decision', 1, 263],
      ['ceased_accommodated', 1, 263],
      ['review', 2, 10],
    ]);
    // The stage table says the same of the decision: episode 1's, 263 days.
    expect(j.episodes[0].stages.find((s: { stage: string }) => s.stage === 'decision')).toMatchObject({
      lagDays: 263,
    });
  });
  it('exits 2 when the id is not in the file', () => {
    const r = cli(['child', 'Z', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[CHILD_NOT_FOUND\]/);
  });
});

describe.skipIf(ZONED_RUN)('CSV reports of the journey', () => {
  const file = csvFile(
    csv(
      ev('A', 'accommodated', '2018-01-01'),
      ev('A', 'permanence_decision', '2018-02-01', 'adoption'),
      ev('B', 'accommodated', '2018-10-01'),
    ),
  );
  it.each([
    [
      'stages',
      'stage,label,from,fromLabel,target,reachedWithin,reachedLate,reached,waitingWithin,waitingOverdue,count,median,p90,max',
      8,
    ],
    ['drift', 'from,fromLabel,to,toLabel,route,count,median,p90', 7],
    ['due-soon', 'childId,episode,familyId,stage,deadline,daysLeft', 2],
  ])('--report %s', (report, header, lines) => {
    const r = cli(['audit', file, '--as-of', '2018-10-05', '--format', 'csv', '--report', report]);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n');
    expect(out[0]).toBe(header);
    expect(out).toHaveLength(lines);
  });
  it('--format csv refuses a report that is not one table', () => {
    expect(cli(['audit', file, '--format', 'csv', '--report', 'all']).code).toBe(2);
  });
});
