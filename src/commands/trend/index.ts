/**
 * `pace-audit trend`: the audit as of each period end, from one read of the export. Timelines
 * are built once, to the last point; each point then measures the cohort as known on its day
 * (timeline/known-on.ts), so a point means exactly what `audit --as-of` that day means.
 */
import { type Day } from '../../dates/days.js';
import { type Duration } from '../../dates/duration.js';
import { windowStart } from '../../dates/periods.js';
import { type Accounting, load, type LoadOptions } from '../../load.js';
import {
  type AuditParameters,
  type ChildResult,
  inCohort,
  measureEpisode,
  percent,
  SummaryTally,
  type Summary,
} from '../../measures/decision.js';
import { type DueSoon, dueSoon } from '../../measures/journey.js';
import { analyse, type RuleSet, type RunChart } from '../../measures/run-chart.js';
import { STAGES, type StageSummary, StageTally } from '../../measures/stages.js';
import { type SourceInfo } from '../../read/source-info.js';
import { type Episode } from '../../timeline/episodes.js';
import { knownOn } from '../../timeline/known-on.js';
import { type Findings } from '../../validate/findings.js';
import { stageResults } from '../audit/audit.js';

export interface TrendPoint {
  asOf: Day;
  /** The cohort's first accommodation date at this point (moves with --window); NaN for open. */
  from: Day;
  summary: Summary;
  stages: StageSummary[];
}

/** What the run chart plots: the headline percentage, or one stage's percentage or median. */
export interface Measure {
  key: string;
  label: string;
  /** The value plotted, and the denominator behind it (for the small-number flag). */
  of(p: TrendPoint): { value: number | null; denominator: number };
  unit: '%' | 'days';
}

export interface TrendOptions {
  /** The audit's parameters; `asOf` is replaced by each point's day. */
  params: AuditParameters;
  points: Day[];
  measure: Measure;
  rules: RuleSet;
  baseline?: number | undefined;
  /** A rolling cohort: accommodated within this long up to each point (and within --from/--to). */
  window?: Duration | undefined;
}

export interface TrendReport {
  options: TrendOptions;
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  points: TrendPoint[];
  runChart: RunChart;
  /** As of the last point: who is overdue (most overdue first) and whose deadline is near. */
  latest: { overdue: ChildResult[]; dueSoon: DueSoon[] };
}

/** A stage's within-target share: reached within, of reached plus overdue (as the decision's). */
export const stagePercent = (s: StageSummary): number | null =>
  s.target === null ? null : percent(s.reachedWithin, s.reachedWithin + s.reachedLate + s.waitingOverdue);

export function measureFor(key: string): Measure | undefined {
  if (key === 'within-target')
    return {
      key,
      label: 'Within target, of decided + overdue',
      unit: '%',
      of: (p) => ({ value: p.summary.percentWithinTarget, denominator: p.summary.decided + p.summary.overdue }),
    };
  if (key === 'decided-within-target')
    return {
      key,
      label: 'Decided within target, of decided',
      unit: '%',
      of: (p) => ({ value: p.summary.percentOfDecidedWithinTarget, denominator: p.summary.decided }),
    };
  const m = /^([a-z_]+)\.(within|median)$/.exec(key);
  const i = STAGES.findIndex((s) => s.key === m?.[1]);
  if (!m || i < 0) return undefined;
  const label = STAGES[i].label;
  if (m[2] === 'median')
    return {
      key,
      label: `${label}: median days`,
      unit: 'days',
      of: (p) => ({ value: p.stages[i].median, denominator: p.stages[i].count }),
    };
  return {
    key,
    label: `${label}: within target, of reached + overdue`,
    unit: '%',
    of: (p) => ({
      value: stagePercent(p.stages[i]),
      denominator: p.stages[i].reachedWithin + p.stages[i].reachedLate + p.stages[i].waitingOverdue,
    }),
  };
}

export const MEASURE_KEYS = [
  'within-target',
  'decided-within-target',
  ...STAGES.flatMap((s) => [`${s.key}.within`, `${s.key}.median`]),
] as readonly string[];

export async function trend(opts: TrendOptions, loadOptions: Omit<LoadOptions, 'asOf'>): Promise<TrendReport> {
  const last = opts.points[opts.points.length - 1];
  const loaded = await load({ ...loadOptions, asOf: last });
  const { episodes } = loaded;
  // The cohort as of the last point holds every earlier point's: only `start <= asOf` moves.
  const cohort: Episode[] = [];
  const lastParams = { ...opts.params, asOf: last };
  for (let i = 0; i < episodes.length; i++)
    if (inCohort(episodes.start(i), episodes.dob(i), lastParams)) cohort.push(episodes.get(i));
  const points = opts.points.map((asOf) => measurePoint(cohort, pointParameters(opts, asOf)));
  const series = points.map((p) => opts.measure.of(p));
  const runChart = analyse(
    series.map((s) => s.value),
    {
      rules: opts.rules,
      baseline: opts.baseline,
      denominators: series.map((s) => (s.value === null ? null : s.denominator)),
    },
  );
  return {
    options: opts,
    source: loaded.source,
    accounting: loaded.accounting,
    findings: loaded.findings,
    points,
    runChart,
    latest: listsAsOf(cohort, pointParameters(opts, last)),
  };
}

/** The overdue and due-soon lists of `audit` as of the last point, in audit's order. */
function listsAsOf(cohort: readonly Episode[], p: AuditParameters): TrendReport['latest'] {
  const overdue: ChildResult[] = [];
  const due: DueSoon[] = [];
  for (const ep of cohort) {
    if (!inCohort(ep.start, ep.dob, p)) continue;
    const r = measureEpisode(ep, p);
    if (r.status === 'overdue') overdue.push(r);
    due.push(...dueSoon(r, stageResults(ep, p), p.asOf, p.dueWithin));
  }
  const byChild = (a: { childId: string; episode: number }, b: { childId: string; episode: number }) =>
    a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : a.episode - b.episode;
  overdue.sort((a, b) => b.daysOverdue! - a.daysOverdue! || byChild(a, b));
  due.sort((a, b) => a.daysLeft - b.daysLeft || byChild(a, b));
  return { overdue, dueSoon: due };
}

/** The audit's parameters at one point: its day, and with --window the window's first day. */
function pointParameters(opts: Pick<TrendOptions, 'params' | 'window'>, asOf: Day): AuditParameters {
  const p = opts.params;
  if (!opts.window) return { ...p, asOf };
  const start = windowStart(asOf, opts.window);
  return { ...p, asOf, from: Number.isNaN(p.from) ? start : Math.max(p.from, start) };
}

/** One point: the cohort as known on `p.asOf`, measured as `audit` measures it. */
function measurePoint(cohort: readonly Episode[], p: AuditParameters): TrendPoint {
  const stages = new StageTally();
  const tally = new SummaryTally();
  for (const full of cohort) {
    const ep = knownOn(full, p.asOf);
    if (!ep || !inCohort(ep.start, ep.dob, p)) continue;
    stages.add(ep, stageResults(ep, p));
    tally.add(measureEpisode(ep, p));
  }
  const summary = tally.summary(p.aim);
  return { asOf: p.asOf, from: p.from, summary, stages: stages.summaries(p.target, p.stageTargets) };
}
