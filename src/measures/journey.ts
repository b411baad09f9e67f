/**
 * Where the time goes across the cohort (issue: whole journey): drift between consecutive
 * stages, decisions by route, sibling groups decided apart, and who is due soon. Pure.
 */
import { type Day } from '../dates/days.js';
import { deadline, type Duration } from '../dates/duration.js';
import { ROUTE_LABELS, ROUTES, type RouteName } from '../model.js';
import { type ChildResult, percent } from './decision.js';
import {
  Lags,
  type LagStats,
  STAGES,
  type StageKey,
  type StageResult,
  type StageSummary,
  type StartKey,
} from './stages.js';

/** Keys (`from`, `to`) for scripts; labels for people. */
export interface Drift {
  from: StartKey;
  fromLabel: string;
  to: StageKey;
  toLabel: string;
  count: number;
  median: number | null;
  p90: number | null;
  byRoute: Record<string, LagStats>;
}

/** Each consecutive pair of stages from accommodation on, the longest waits (by p90) first. */
export function drift(stages: StageSummary[]): Drift[] {
  return stages
    .filter((s) => s.stage !== 'early_review' && s.stage !== 'statutory_review')
    .map((s) => ({
      from: s.from,
      fromLabel: s.fromLabel,
      to: s.stage,
      toLabel: s.label,
      count: s.count,
      median: s.median,
      p90: s.p90,
      byRoute: s.byRoute,
    }))
    .sort((a, b) => (b.p90 ?? -1) - (a.p90 ?? -1) || (b.median ?? -1) - (a.median ?? -1));
}

export interface RouteSummary {
  route: RouteName;
  label: string;
  decisions: number;
  share: number | null;
  lag: LagStats;
}

export class RouteTally {
  private readonly lags = ROUTES.map(() => new Lags());
  add(r: ChildResult): void {
    if (r.status === 'within' || r.status === 'late') this.lags[r.route - 1].add(r.lagDays);
  }
  summaries(): RouteSummary[] {
    const total = this.lags.reduce((n, l) => n + l.count, 0);
    return ROUTES.map((route, i) => ({
      route,
      label: ROUTE_LABELS[route],
      decisions: this.lags[i].count,
      share: percent(this.lags[i].count, total),
      lag: this.lags[i].stats(),
    }));
  }
}

interface FamilySpan {
  familyId: string;
  children: number;
  decided: number;
  firstDecisionOn: Day;
  lastDecisionOn: Day;
  /** Days between the first and last decision among its children; null with fewer than two. */
  spanDays: number | null;
}

export interface FamilySummary {
  siblingGroups: number;
  groupsOfMoreThanOne: number;
  groups: FamilySpan[];
}

/** Sibling groups, in typed columns indexed by family: a county has tens of thousands. */
export class FamilyTally {
  private readonly children: Int32Array;
  private readonly decided: Int32Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  /** The last child counted in each family, as its child index + 1. */
  private readonly lastChild: Int32Array;

  constructor(
    private readonly count: number,
    private readonly name: (f: number) => string,
  ) {
    this.children = new Int32Array(count);
    this.decided = new Int32Array(count);
    this.first = new Float64Array(count).fill(NaN);
    this.last = new Float64Array(count).fill(NaN);
    this.lastChild = new Int32Array(count);
  }

  add(r: ChildResult): void {
    const f = r.source.familyIndex;
    if (f === 0) return; // no family id
    if (this.lastChild[f] !== r.source.childIndex + 1) this.children[f]++;
    this.lastChild[f] = r.source.childIndex + 1;
    if (Number.isNaN(r.decisionOn)) return;
    this.decided[f]++;
    if (!(r.decisionOn >= this.first[f])) this.first[f] = r.decisionOn;
    if (!(r.decisionOn <= this.last[f])) this.last[f] = r.decisionOn;
  }

  summary(): FamilySummary {
    const groups: FamilySpan[] = [];
    let siblingGroups = 0;
    for (let f = 1; f < this.count; f++) {
      if (this.children[f] === 0) continue;
      siblingGroups++;
      if (this.children[f] < 2) continue;
      const d = this.decided[f];
      groups.push({
        familyId: this.name(f),
        children: this.children[f],
        decided: d,
        firstDecisionOn: this.first[f],
        lastDecisionOn: this.last[f],
        spanDays: d >= 2 ? this.last[f] - this.first[f] : null,
      });
    }
    groups.sort((a, b) => (b.spanDays ?? -1) - (a.spanDays ?? -1) || (a.familyId < b.familyId ? -1 : 1));
    return { siblingGroups, groupsOfMoreThanOne: groups.length, groups };
  }
}

export interface DueSoon {
  childId: string;
  episode: number;
  familyId: string | null;
  stage: StageKey;
  deadline: Day;
  daysLeft: number;
}

/**
 * Stages not yet reached whose deadline falls between the audit date and the end of the
 * window, both inclusive: a deadline exactly `within` away is due soon.
 */
export function dueSoon(r: ChildResult, stageResults: StageResult[], asOf: Day, within: Duration): DueSoon[] {
  const horizon = deadline(asOf, within);
  const out: DueSoon[] = [];
  stageResults.forEach((s, i) => {
    if (s.status !== 'in_progress' || Number.isNaN(s.deadline) || s.deadline > horizon) return;
    out.push({
      childId: r.childId,
      episode: r.episode,
      familyId: r.familyId,
      stage: STAGES[i].key,
      deadline: s.deadline,
      daysLeft: s.deadline - asOf,
    });
  });
  return out;
}
