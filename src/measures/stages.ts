/**
 * The stages of a child's journey after accommodation (the README's "Stages" table), each
 * measured from its own start event, applying only on the routes that pass through it. Pure:
 * episodes and a clock in, data out.
 */
import { type Day } from '../dates/days.js';
import { deadline, type Duration, parseDuration } from '../dates/duration.js';
import { usageError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { Ev, type RouteCode, ROUTES } from '../model.js';
import { type Episode } from '../timeline/episodes.js';

const STAGE_KEYS = [
  'early_review',
  'statutory_review',
  'decision',
  'panel',
  'adm',
  'court_application',
  'final_order',
] as const;
export type StageKey = (typeof STAGE_KEYS)[number];

/** Where a stage's clock starts: accommodation or the stage before it. */
export type StartKey = 'accommodation' | StageKey;
const START_LABELS: Record<StartKey, string> = {
  accommodation: 'Accommodation',
  early_review: 'First review (early)',
  statutory_review: 'First review (statutory)',
  decision: 'Permanence decision',
  panel: 'Permanence panel',
  adm: 'ADM decision',
  court_application: 'Court application',
  final_order: 'Final order',
};

export interface StageDef {
  key: StageKey;
  label: string;
  /** The event that completes the stage, and the one that starts its clock. */
  event: Ev;
  from: Ev;
  /** The stage that starts this one's clock, as a key and as words. */
  fromKey: StartKey;
  fromLabel: string;
  defaultTarget: string | null;
  source: string;
}

export const STAGES: readonly StageDef[] = [
  {
    key: 'early_review',
    label: 'First review (early)',
    event: Ev.Review,
    from: Ev.Accommodated,
    fromKey: 'accommodation',
    fromLabel: START_LABELS.accommodation,
    defaultTarget: '14d',
    source: 'PACE two-week review test',
  },
  {
    key: 'statutory_review',
    label: 'First review (statutory)',
    event: Ev.Review,
    from: Ev.Accommodated,
    fromKey: 'accommodation',
    fromLabel: START_LABELS.accommodation,
    defaultTarget: '42d',
    source: 'LAC (Scotland) Regs 2009 reg. 45',
  },
  {
    key: 'decision',
    label: 'Permanence decision',
    event: Ev.Decision,
    from: Ev.Accommodated,
    fromKey: 'accommodation',
    fromLabel: START_LABELS.accommodation,
    defaultTarget: '7.5m',
    source: 'Midlothian PACE aim',
  },
  {
    key: 'panel',
    label: 'Permanence panel',
    event: Ev.Panel,
    from: Ev.Decision,
    fromKey: 'decision',
    fromLabel: START_LABELS.decision,
    defaultTarget: '12w',
    source: 'PACE council aims (e.g. Aberdeen)',
  },
  {
    key: 'adm',
    label: 'ADM decision',
    event: Ev.Adm,
    from: Ev.Panel,
    fromKey: 'panel',
    fromLabel: START_LABELS.panel,
    defaultTarget: '14d',
    source: 'Adoption Agencies (Scotland) Regs 2009 reg. 13',
  },
  {
    key: 'court_application',
    label: 'Court application',
    event: Ev.Court,
    from: Ev.Adm,
    fromKey: 'adm',
    fromLabel: START_LABELS.adm,
    defaultTarget: null,
    source: 'no statutory limit',
  },
  {
    key: 'final_order',
    label: 'Final order',
    event: Ev.FinalOrder,
    from: Ev.Court,
    fromKey: 'court_application',
    fromLabel: START_LABELS.court_application,
    defaultTarget: null,
    source: 'none',
  },
];

const ORDER_ROUTES: RouteCode[] = [3, 4]; // permanence_order, adoption
const KINSHIP: RouteCode = 2;

/**
 * Whether a stage applies to an episode: panel, ADM and court for permanence orders and
 * adoption; a kinship order may go to court (its clock then starts at the decision), so for
 * kinship the court stages apply only once an application is lodged; `home` passes through none.
 */
function applies(stage: StageDef, ep: Episode): boolean {
  if (stage.from === Ev.Accommodated) return true;
  if (ORDER_ROUTES.includes(ep.route)) return true;
  if (ep.route === KINSHIP && (stage.key === 'court_application' || stage.key === 'final_order'))
    return !Number.isNaN(ep.first[Ev.Court]);
  return false;
}

/** When a stage's clock starts for an episode (NaN: not started). */
function stageStart(stage: StageDef, ep: Episode): Day {
  if (stage.key === 'court_application' && ep.route === KINSHIP) return ep.first[Ev.Decision];
  return stage.from === Ev.Accommodated ? ep.start : ep.first[stage.from];
}

/** As the decision's statuses, plus `reached` (a stage without a target) and the two that exclude it. */
type StageStatus =
  | 'within'
  | 'late'
  | 'reached'
  | 'in_progress'
  | 'overdue'
  | 'not_started'
  | 'not_applicable'
  | 'left_care';

export interface StageResult {
  start: Day; // NaN when not started
  on: Day; // NaN when not reached
  deadline: Day; // NaN without a target or a start
  lagDays: number | null;
  status: StageStatus;
}

export type StageTargets = Record<StageKey, Duration | null>;

export function defaultStageTargets(decisionTarget?: Duration): StageTargets {
  const t = Object.fromEntries(
    STAGES.map((s) => [s.key, s.defaultTarget === null ? null : parseDuration(s.defaultTarget)]),
  ) as StageTargets;
  if (decisionTarget) t.decision = decisionTarget;
  return t;
}

/** `--stage-target panel=12w` (or `court_application=none`) over the defaults. */
export function applyStageTarget(targets: StageTargets, spec: string): StageTargets {
  const m = /^\s*([a-z_]+)\s*=\s*(\S+)\s*$/i.exec(spec);
  const key = m?.[1].toLowerCase() as StageKey;
  // One value, one flag: --stage-target decision=... beside --target would leave a reader
  // guessing which wins, and the decision cannot be "none" (the aim is measured on it).
  if (key === 'decision')
    throw usageError(
      'INVALID_OPTION',
      `--stage-target "${spec}": the decision's target is set with --target (e.g. --target 6m)`,
    );
  if (!m || !STAGE_KEYS.includes(key))
    throw usageError(
      'INVALID_OPTION',
      `--stage-target "${spec}" must be STAGE=DURATION with STAGE one of ${STAGE_KEYS.filter((k) => k !== 'decision').join(', ')}${m ? didYouMean(m[1], STAGE_KEYS) : ''}`,
    );
  return { ...targets, [key]: m[2].toLowerCase() === 'none' ? null : parseDuration(m[2], `--stage-target ${key}`) };
}

/** The target a stage is measured against, or null for none: the decision's is always --target. */
export const stageTarget = (key: StageKey, decision: Duration, targets: StageTargets): Duration | null =>
  key === 'decision' ? decision : targets[key];

/** The same, as written ("12w"). */
export const stageTargetText = (key: StageKey, decision: Duration, targets: StageTargets): string | null =>
  stageTarget(key, decision, targets)?.text ?? null;

/**
 * A class, not an object literal: V8 may decide that every object made by a literal outlives the
 * young generation ("pretenuring"), and then a report's millions of short-lived results filled
 * the old generation (40 MiB more memory, in about one run in three).
 */
class Stage implements StageResult {
  constructor(
    readonly start: Day,
    readonly on: Day,
    readonly deadline: Day,
    readonly lagDays: number | null,
    readonly status: StageStatus,
  ) {}
}

/**
 * One rule for every stage's lag (README "Stages"): days from its start to the day it was reached
 * or, if not reached, to the day care ended or the audit date, whichever came first; null when
 * the stage has not started. `children[].lagDays` follows the same rule.
 */
export function measureStage(stage: StageDef, ep: Episode, target: Duration | null, asOf: Day): StageResult {
  // Undecided: nobody knows yet whether the route will pass through panel or court.
  if (stage.from !== Ev.Accommodated && Number.isNaN(ep.first[Ev.Decision]))
    return new Stage(NaN, NaN, NaN, null, 'not_started');
  if (!applies(stage, ep)) return new Stage(NaN, NaN, NaN, null, 'not_applicable');
  const start = stageStart(stage, ep);
  if (Number.isNaN(start)) return new Stage(NaN, NaN, NaN, null, 'not_started');
  const due = target ? deadline(start, target) : NaN;
  const on = ep.first[stage.event];
  if (!Number.isNaN(on) && on >= start)
    return new Stage(start, on, due, on - start, target ? (on <= due ? 'within' : 'late') : 'reached');
  if (!Number.isNaN(ep.end)) return new Stage(start, NaN, due, ep.end - start, 'left_care');
  return new Stage(start, NaN, due, asOf - start, target && asOf > due ? 'overdue' : 'in_progress');
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface LagStats {
  count: number;
  median: number | null;
  p90: number | null;
  max: number | null;
}

/**
 * Lags counted by value: lags are whole days, so a few thousand distinct values describe a
 * million children exactly, and the percentiles come out the same as from the sorted list.
 */
export class Lags {
  private readonly counts = new Map<number, number>();
  count = 0;
  add(lag: number): void {
    this.counts.set(lag, (this.counts.get(lag) ?? 0) + 1);
    this.count++;
  }
  /** Nearest rank, as `percentile`. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const [lag, n] of [...this.counts].sort((a, b) => a[0] - b[0])) if ((seen += n) >= rank) return lag;
    return null;
  }
  stats(): LagStats {
    return { count: this.count, median: this.percentile(50), p90: this.percentile(90), max: this.percentile(100) };
  }
}

export interface StageSummary extends LagStats {
  stage: StageKey;
  label: string;
  from: StartKey;
  fromLabel: string;
  target: string | null;
  source: string;
  reachedWithin: number;
  reachedLate: number;
  /** Reached, for a stage without a target. */
  reached: number;
  waitingWithin: number;
  waitingOverdue: number;
  byRoute: Record<string, LagStats>;
}

/** Accumulates stage results over the cohort, one episode at a time. */
export class StageTally {
  private readonly rows = STAGES.map(() => ({
    within: 0,
    late: 0,
    reached: 0,
    in_progress: 0,
    overdue: 0,
    lags: new Lags(),
    byRoute: new Map<RouteCode, Lags>(),
  }));

  add(ep: Episode, results: StageResult[]): void {
    results.forEach((r, i) => {
      const row = this.rows[i];
      if (r.status === 'within' || r.status === 'late' || r.status === 'reached') {
        row[r.status]++;
        row.lags.add(r.lagDays!);
        let lags = row.byRoute.get(ep.route);
        if (!lags) row.byRoute.set(ep.route, (lags = new Lags()));
        lags.add(r.lagDays!);
      } else if (r.status === 'in_progress' || r.status === 'overdue') row[r.status]++;
    });
  }

  summaries(decision: Duration, targets: StageTargets): StageSummary[] {
    return STAGES.map((s, i) => {
      const row = this.rows[i];
      const byRoute: Record<string, LagStats> = {};
      for (const code of [0, 1, 2, 3, 4] as RouteCode[]) {
        const lags = row.byRoute.get(code);
        if (lags) byRoute[code === 0 ? 'undecided' : ROUTES[code - 1]] = lags.stats();
      }
      return {
        stage: s.key,
        label: s.label,
        from: s.fromKey,
        fromLabel: s.fromLabel,
        target: stageTargetText(s.key, decision, targets),
        source: s.source,
        reachedWithin: row.within,
        reachedLate: row.late,
        reached: row.reached + row.within + row.late,
        waitingWithin: row.in_progress,
        waitingOverdue: row.overdue,
        ...row.lags.stats(),
        byRoute,
      };
    });
  }
}
