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

export interface FamilySpan {
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
  /** Groups of more than one child, widest span first, then by family id. */
  groups: LazyList<FamilySpan>;
}

/**
 * A long list read on demand, each entry made as it is read: a national extract can have
 * millions of sibling groups or due dates, which as objects cost ~100 bytes each while the report
 * is written.
 */
export class LazyList<T> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly make: (i: number) => T,
  ) {}

  at(i: number): T {
    return this.make(i);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.make(i);
  }

  slice(from = 0, to = this.length): T[] {
    const out: T[] = [];
    for (let i = from; i < Math.min(to, this.length); i++) out.push(this.make(i));
    return out;
  }

  map<U>(f: (t: T) => U): U[] {
    const out: U[] = [];
    for (let i = 0; i < this.length; i++) out.push(f(this.make(i)));
    return out;
  }
}

/** Sibling groups, in typed columns indexed by family: a county has tens of thousands. */
export class FamilyTally {
  private readonly children: Int32Array;
  private readonly decided: Int32Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  /** The last child counted in each family, as its child index + 1. */
  private lastChild: Int32Array;

  constructor(
    private readonly count: number,
    private readonly name: (f: number) => string,
    /** Every family index (0 included) in the code-unit order of its id. */
    private readonly byName: () => Int32Array,
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

  private spanOf(f: number): number | null {
    return this.decided[f] >= 2 ? this.last[f] - this.first[f] : null;
  }

  summary(): FamilySummary {
    let siblingGroups = 0;
    let groups = 0;
    let widest = 0;
    for (let f = 1; f < this.count; f++) {
      if (this.children[f] === 0) continue;
      siblingGroups++;
      if (this.children[f] < 2) continue;
      groups++;
      widest = Math.max(widest, this.spanOf(f) ?? 0);
    }
    // Widest span first (none last), then family id: one number per group, sorted natively.
    // (widest + 2) * count stays well inside 2^53 for any span of real dates.
    const keys = new Float64Array(groups);
    const byName = groups ? this.byName() : new Int32Array(0);
    let k = 0;
    for (let rank = 0; rank < byName.length; rank++) {
      const f = byName[rank];
      if (f === 0 || this.children[f] < 2) continue;
      keys[k++] = (widest - (this.spanOf(f) ?? -1)) * this.count + rank;
    }
    keys.sort();
    this.lastChild = new Int32Array(0);
    // A loop, not Int32Array.from(keys, f), which lists every value on the heap first.
    const order = new Int32Array(groups);
    for (let i = 0; i < groups; i++) order[i] = byName[keys[i] % this.count];
    return {
      siblingGroups,
      groupsOfMoreThanOne: groups,
      groups: new LazyList(order.length, (i) => this.span(order[i])),
    };
  }

  private span(f: number): FamilySpan {
    return {
      familyId: this.name(f),
      children: this.children[f],
      decided: this.decided[f],
      firstDecisionOn: this.first[f],
      lastDecisionOn: this.last[f],
      spanDays: this.spanOf(f),
    };
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
/** Whether a stage is due soon: in progress, its deadline no later than `horizon` (see dueHorizon). */
export const isDueSoon = (s: StageResult, horizon: Day) =>
  s.status === 'in_progress' && !Number.isNaN(s.deadline) && s.deadline <= horizon;

/** The last deadline that is due soon as of `asOf`. */
export const dueHorizon = (asOf: Day, within: Duration) => deadline(asOf, within);

export function dueSoon(r: ChildResult, stageResults: StageResult[], asOf: Day, within: Duration): DueSoon[] {
  const horizon = dueHorizon(asOf, within);
  const out: DueSoon[] = [];
  stageResults.forEach((s, i) => {
    if (!isDueSoon(s, horizon)) return;
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
