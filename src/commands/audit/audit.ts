/**
 * `pace-audit audit`: load the export, pick the cohort, measure it. Returns data; the CLI
 * renders it and decides the exit code. Each child's result is worked out again when it is
 * needed rather than kept, so a cohort of a million children costs a million integers here.
 */
import { type Accounting, load, type LoadOptions } from '../../load.js';
import {
  type AuditParameters,
  type ChildResult,
  inCohort,
  measureEpisode,
  type Summary,
  SummaryTally,
} from '../../measures/decision.js';
import {
  type Drift,
  drift,
  type DueSoon,
  dueSoon,
  FamilyTally,
  type FamilySummary,
  RouteTally,
  type RouteSummary,
} from '../../measures/journey.js';
import {
  measureStage,
  type StageResult,
  STAGES,
  stageTarget,
  type StageSummary,
  StageTally,
} from '../../measures/stages.js';
import { type SourceInfo } from '../../read/source-info.js';
import { type Episode, type EpisodeTable } from '../../timeline/episodes.js';
import { type ChildStore } from '../../timeline/store.js';
import { type Findings } from '../../validate/findings.js';

export interface AuditReport {
  parameters: AuditParameters;
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  summary: Summary;
  episodes: EpisodeTable;
  /** Cohort episodes as indexes into `episodes`, by child id then episode. */
  cohort: Int32Array;
  /** Overdue episodes as indexes into `episodes`, most overdue first. */
  overdue: Int32Array;
  stages: StageSummary[];
  drift: Drift[];
  routes: RouteSummary[];
  families: FamilySummary;
  /** Stages whose deadline is near, soonest first. */
  dueSoon: DueSoon[];
  /** Children in the cohort with more than one episode. */
  reentries: number;
}

/** Every stage of an episode, as of the audit date. */
export function stageResults(ep: Episode, p: AuditParameters): StageResult[] {
  return STAGES.map((s) => measureStage(s, ep, stageTarget(s.key, p.target, p.stageTargets), p.asOf));
}

/**
 * `summaryOnly` (for `--report summary`) measures each episode for the summary figures alone: no
 * child-id order, no overdue list, no stages, routes, families or due dates, which are left
 * empty. A summary needs each child's episodes together, which the episode table has already.
 */
export async function audit(
  params: AuditParameters,
  loadOptions: Omit<LoadOptions, 'asOf'>,
  summaryOnly = false,
): Promise<AuditReport> {
  const loaded = await load({ ...loadOptions, asOf: params.asOf });
  const { episodes, children } = loaded;
  const cohort = pickCohort(episodes, children, params, !summaryOnly);
  const tally = new CohortTally(children, episodes.length, params, summaryOnly);
  let k = 0;
  for (const i of cohort) {
    if ((k++ & 0x3fff) === 0) loadOptions.onPhase?.('measuring', k, cohort.length);
    tally.add(i, episodes.get(i));
  }
  return {
    parameters: params,
    source: loaded.source,
    accounting: loaded.accounting,
    findings: loaded.findings,
    episodes,
    cohort,
    ...tally.finish(),
  };
}

/**
 * The cohort's episodes (README "Counting rules" 7), by child id then episode; without `byId`, in
 * table order (a child's episodes still together), which is all a summary needs.
 */
function pickCohort(episodes: EpisodeTable, children: ChildStore, params: AuditParameters, byId: boolean): Int32Array {
  const picked = new Int32Array(episodes.length);
  let size = 0;
  for (let i = 0; i < episodes.length; i++)
    if (inCohort(episodes.start(i), episodes.dob(i), params)) picked[size++] = i;
  const cohort = size === picked.length ? picked : picked.slice(0, size);
  if (!byId) return cohort;
  const rank = childRanks(children.byId());
  // Exports are often in child order already; checking costs far less than sorting.
  let sorted = true;
  for (let k = 1; k < cohort.length && sorted; k++) {
    const a = rank[episodes.childOf(cohort[k - 1])];
    const b = rank[episodes.childOf(cohort[k])];
    sorted = a < b || (a === b && episodes.nOf(cohort[k - 1]) < episodes.nOf(cohort[k]));
  }
  // A child's episodes sit together in the table, in order, so a stable sort by child suffices.
  if (!sorted) sortByRank(cohort, (i) => rank[episodes.childOf(i)], children.size);
  return cohort;
}

/**
 * Everything the audit reports about the cohort, gathered in one pass over its episodes (each
 * measured once here; renderers measure again rather than keep a million results).
 */
class CohortTally {
  private readonly summary = new SummaryTally();
  private readonly stages = new StageTally();
  private readonly routes = new RouteTally();
  private readonly families: FamilyTally;
  /** Overdue episodes, cohort order, and by episode how many days overdue. */
  private overdue: Int32Array;
  private overdueCount = 0;
  private readonly daysOverdue: Int32Array;
  private readonly due: DueSoon[] = [];
  private reentries = 0;
  private previousChild = -1;

  constructor(
    children: ChildStore,
    episodes: number,
    private readonly params: AuditParameters,
    /** Only the summary figures (see `audit`). */
    private readonly summaryOnly: boolean,
  ) {
    this.families = new FamilyTally(
      children.families,
      (f) => children.familyName(f),
      () => children.familiesByName(),
    );
    // By episode: a typed array, not a Map, for a sort over every overdue child.
    this.daysOverdue = new Int32Array(episodes);
    this.overdue = new Int32Array(summaryOnly ? 0 : 1024);
  }

  /** Episode `i` of the table, in cohort order. */
  add(i: number, ep: Episode): void {
    const p = this.params;
    const r = measureEpisode(ep, p);
    this.summary.add(r);
    if (ep.episodes > 1 && ep.childIndex !== this.previousChild) this.reentries++;
    this.previousChild = ep.childIndex;
    if (this.summaryOnly) return;
    const s = stageResults(ep, p);
    this.stages.add(ep, s);
    this.routes.add(r);
    this.families.add(r);
    if (r.status === 'overdue') {
      if (this.overdueCount === this.overdue.length) {
        const grown = new Int32Array(this.overdueCount * 2);
        grown.set(this.overdue);
        this.overdue = grown;
      }
      this.overdue[this.overdueCount++] = i;
      this.daysOverdue[i] = r.daysOverdue!;
    }
    for (const d of dueSoon(r, s, p.asOf, p.dueWithin)) this.due.push(d);
  }

  finish(): Omit<AuditReport, 'parameters' | 'source' | 'accounting' | 'findings' | 'episodes' | 'cohort'> {
    const { params } = this;
    const overdue = mostOverdueFirst(this.overdue.subarray(0, this.overdueCount), this.daysOverdue);
    this.due.sort((a, b) => a.daysLeft - b.daysLeft);
    const stages = this.stages.summaries(params.target, params.stageTargets);
    return {
      summary: this.summary.summary(params.aim),
      overdue,
      stages,
      drift: drift(stages),
      routes: this.routes.summaries(),
      families: this.families.summary(),
      dueSoon: this.due,
      reentries: this.reentries,
    };
  }
}

/**
 * Overdue episodes most overdue first, ties in the order given (cohort order: child id, episode):
 * one number per episode, sorted natively, where a comparison sort of a million took seconds.
 */
function mostOverdueFirst(overdue: Int32Array, daysOverdue: Int32Array): Int32Array {
  const n = overdue.length;
  let most = 0;
  for (let k = 0; k < n; k++) most = Math.max(most, daysOverdue[overdue[k]]);
  // (most - days) * n + k: exact in a double for any real dates and cohort.
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (most - daysOverdue[overdue[k]]) * n + k;
  keys.sort();
  // A loop, not Int32Array.from(keys, f), which lists every value on the heap first.
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = overdue[keys[k] % n];
  return out;
}

/** Each child's place in child-id order. */
function childRanks(byId: Int32Array): Int32Array {
  const rank = new Int32Array(byId.length);
  for (let r = 0; r < byId.length; r++) rank[byId[r]] = r;
  return rank;
}

/** Sorts `items` in place by a key in [0, keys), keeping the order of equal keys (counting sort). */
function sortByRank(items: Int32Array, key: (item: number) => number, keys: number): void {
  const starts = new Int32Array(keys + 1);
  for (const item of items) starts[key(item) + 1]++;
  for (let k = 1; k <= keys; k++) starts[k] += starts[k - 1];
  const copy = items.slice();
  for (const item of copy) items[starts[key(item)]++] = item;
}

/** Each episode's result, in the order given (the cohort by default). */
export function* results(
  r: Pick<AuditReport, 'episodes' | 'cohort' | 'parameters'>,
  which: Int32Array = r.cohort,
): Generator<ChildResult> {
  for (const i of which) yield measureEpisode(r.episodes.get(i), r.parameters);
}
