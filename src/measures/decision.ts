/**
 * The permanence-decision measure (README "Counting rules" 4, 5, 7, 8): which episodes are in the cohort,
 * the status of each against its deadline as of the audit date, and the compliance figures.
 * Pure: typed episodes and a clock in, data out.
 */
import { ageOn, type Day } from '../dates/days.js';
import { deadline, type Duration } from '../dates/duration.js';
import { Ev, type RouteCode } from '../model.js';
import { type Episode, type EpisodeTable } from '../timeline/episodes.js';
import { type StageTargets } from './stages.js';

type Status = 'within' | 'late' | 'overdue' | 'in_progress' | 'left_care';

export interface AuditParameters {
  asOf: Day;
  from: Day; // NaN = open
  to: Day; // NaN = open
  maxAge: number;
  target: Duration;
  aim: number; // percent
  /** Later stages' targets; the decision stage always uses `target`. */
  stageTargets: StageTargets;
  /** How far ahead of the audit date a deadline counts as due soon. */
  dueWithin: Duration;
}

export interface ChildResult {
  childId: string;
  episode: number;
  familyId: string | null;
  ageAtAccommodation: number;
  accommodatedOn: Day;
  deadline: Day;
  decisionOn: Day; // NaN when none
  /** Days from accommodation to the decision, or without one to leaving care or the audit date. */
  lagDays: number;
  route: RouteCode;
  status: Status;
  daysOverdue: number | null;
  daysRemaining: number | null;
  /** The episode itself, for later stages. */
  source: Episode;
}

/** Rule 7: accommodated in [from, to] (and by the audit date), under the age limit on that day. */
export function inCohort(start: Day, dob: Day, p: AuditParameters): boolean {
  return !(start < p.from) && !(start > p.to) && start <= p.asOf && ageOn(dob, start) < p.maxAge;
}

export function measureEpisode(ep: Episode, p: AuditParameters): ChildResult {
  const due = deadline(ep.start, p.target);
  const decided = ep.first[Ev.Decision];
  let status: Status;
  if (!Number.isNaN(decided)) status = decided <= due ? 'within' : 'late';
  else if (!Number.isNaN(ep.end)) status = 'left_care';
  else status = p.asOf > due ? 'overdue' : 'in_progress';
  const stop = Number.isNaN(decided) ? (Number.isNaN(ep.end) ? p.asOf : ep.end) : decided;
  return new Result(ep, due, decided, stop - ep.start, status, p.asOf);
}

/** A class, not an object literal, for the reason given at measures/stages.ts `Stage`. */
class Result implements ChildResult {
  readonly episode: number;
  readonly ageAtAccommodation: number;
  readonly accommodatedOn: Day;
  readonly route: RouteCode;
  readonly daysOverdue: number | null;
  readonly daysRemaining: number | null;
  constructor(
    readonly source: Episode,
    readonly deadline: Day,
    readonly decisionOn: Day,
    readonly lagDays: number,
    readonly status: Status,
    asOf: Day,
  ) {
    this.episode = source.n;
    this.ageAtAccommodation = ageOn(source.dob, source.start);
    this.accommodatedOn = source.start;
    this.route = source.route;
    this.daysOverdue = status === 'overdue' ? asOf - deadline : null;
    this.daysRemaining = status === 'in_progress' ? deadline - asOf : null;
  }

  // Read from the episode only when a report needs them: ids are kept as bytes (see string-index.ts).
  get childId(): string {
    return this.source.childId;
  }
  get familyId(): string | null {
    return this.source.familyId || null;
  }
}

/** The counts of a Summary, in the order every report lists them (JSON, CSV, the suppressed figures). */
export const SUMMARY_COUNTS = [
  'episodes',
  'children',
  'families',
  'decided',
  'decidedWithinTarget',
  'decidedLate',
  'overdue',
  'inProgress',
  'leftCare',
] as const;

/** Every field of a Summary, in report order: a CSV head built from this cannot drift from the JSON. */
export const SUMMARY_FIELDS = [
  ...SUMMARY_COUNTS,
  'percentOfDecidedWithinTarget',
  'percentWithinTarget',
  'aim',
  'aimMet',
] as const satisfies readonly (keyof Summary)[];

export interface Summary {
  episodes: number;
  children: number;
  families: number;
  decided: number;
  decidedWithinTarget: number;
  decidedLate: number;
  overdue: number;
  inProgress: number;
  leftCare: number;
  percentOfDecidedWithinTarget: number | null;
  percentWithinTarget: number | null;
  aim: number;
  aimMet: boolean;
}

/** A percentage to one decimal place; null without a denominator (never 0 or 100). */
export const percent = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

/**
 * Whether `within` of `counted` is at least `threshold` percent, on the unrounded share: 1,499 of
 * 2,000 is 74.95%, which does not reach 75 although it prints as 75.0 at one decimal. Divided
 * rather than multiplied out, so a threshold such as 74.95 meets exactly 1,499 of 2,000 (both
 * sides are then the nearest double to one number).
 */
export const reaches = (within: number, counted: number, threshold: number): boolean =>
  counted > 0 && (within * 100) / counted >= threshold;

/**
 * The figures of README "Counting rules" 8, one result at a time. Results must come with each
 * child's episodes together, as the cohort lists them.
 */
export class SummaryTally {
  private readonly n = { within: 0, late: 0, overdue: 0, in_progress: 0, left_care: 0 };
  private episodes = 0;
  private children = 0;
  /** Children in the cohort with more than one episode. */
  reentries = 0;
  private previous = -1;
  // Families by their index in the store: a set of 100,000 family names costs megabytes.
  private familySeen = new Uint8Array(1024);
  private families = 0;

  add(r: ChildResult): void {
    this.n[r.status]++;
    this.episodes++;
    const newChild = r.source.childIndex !== this.previous;
    if (newChild) this.children++;
    if (newChild && r.source.episodes > 1) this.reentries++;
    this.previous = r.source.childIndex;
    const f = r.source.familyIndex;
    // A child with no family id is a family of one.
    if (f === 0) this.families += newChild ? 1 : 0;
    else {
      if (f >= this.familySeen.length) {
        const grown = new Uint8Array(Math.max(f + 1, this.familySeen.length * 2));
        grown.set(this.familySeen);
        this.familySeen = grown;
      }
      if (!this.familySeen[f]) this.families++;
      this.familySeen[f] = 1;
    }
  }

  /** Whether a child of family `f` (its index in the store) was added. */
  hasFamily(f: number): boolean {
    return f > 0 && f < this.familySeen.length && this.familySeen[f] === 1;
  }

  /** The families (their indexes in the store, 0 never) of the children added. */
  familiesMet(): Int32Array {
    let n = 0;
    for (let f = 1; f < this.familySeen.length; f++) n += this.familySeen[f];
    const met = new Int32Array(n);
    for (let f = 1, k = 0; f < this.familySeen.length; f++) if (this.familySeen[f]) met[k++] = f;
    return met;
  }

  /** The counts so far, as plain data for another thread (see `absorb`). */
  toCounts(): SummaryCounts {
    const { n, episodes, children, reentries, families } = this;
    return { n: { ...n }, episodes, children, reentries, families };
  }

  /**
   * Adds another tally's counts, of children none of whom were added here (each thread of a
   * shared read tallies its own: intake/shared.ts), `shared` of whose families were met here too.
   */
  absorb(c: SummaryCounts, shared: number): void {
    for (const k of Object.keys(this.n) as Status[]) this.n[k] += c.n[k];
    this.episodes += c.episodes;
    this.children += c.children;
    this.reentries += c.reentries;
    this.families += c.families - shared;
  }

  summary(aim: number): Summary {
    const n = this.n;
    const counted = n.within + n.late + n.overdue;
    return {
      episodes: this.episodes,
      children: this.children,
      families: this.families,
      decided: n.within + n.late,
      decidedWithinTarget: n.within,
      decidedLate: n.late,
      overdue: n.overdue,
      inProgress: n.in_progress,
      leftCare: n.left_care,
      percentOfDecidedWithinTarget: percent(n.within, n.within + n.late),
      percentWithinTarget: percent(n.within, counted),
      aim,
      aimMet: reaches(n.within, counted, aim),
    };
  }
}

/** A SummaryTally's counts as plain data. */
export interface SummaryCounts {
  n: Record<Status, number>;
  episodes: number;
  children: number;
  reentries: number;
  families: number;
}

/**
 * The summary figures of the cohort's episodes in a table (rule 7 picks them), in table order:
 * each child's episodes are together there, as SummaryTally needs. `onEpisode` is told every
 * 16,384 episodes, for a progress display.
 */
export function summarise(
  episodes: EpisodeTable,
  p: AuditParameters,
  onEpisode?: (done: number, total: number) => void,
): SummaryTally {
  const tally = new SummaryTally();
  for (let i = 0; i < episodes.length; i++) {
    if ((i & 0x3fff) === 0) onEpisode?.(i, episodes.length);
    if (inCohort(episodes.start(i), episodes.dob(i), p)) tally.add(measureEpisode(episodes.get(i), p));
  }
  return tally;
}
