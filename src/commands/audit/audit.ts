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
  summarise,
  SummaryTally,
} from '../../measures/decision.js';
import {
  type Drift,
  drift,
  type DueSoon,
  dueHorizon,
  isDueSoon,
  LazyList,
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
import { type Day } from '../../dates/days.js';
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
  /** Cohort episodes as indexes into `episodes`, by child id then episode; none for a summary only. */
  cohort: Int32Array;
  /** Overdue episodes as indexes into `episodes`, most overdue first. */
  overdue: Int32Array;
  stages: StageSummary[];
  drift: Drift[];
  routes: RouteSummary[];
  families: FamilySummary;
  /** Stages whose deadline is near, soonest first. */
  dueSoon: LazyList<DueSoon>;
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
  // A report that lists children reads them in id order, from wherever the export put them.
  const loaded = await load({
    ...loadOptions,
    asOf: params.asOf,
    inIdOrder: !summaryOnly,
    summaryOf: summaryOnly ? params : undefined,
  });
  const { episodes, children } = loaded;
  const report = (cohort: Int32Array, tally: CohortTally) => ({
    parameters: params,
    source: loaded.source,
    accounting: loaded.accounting,
    findings: loaded.findings,
    episodes,
    cohort,
    ...tally.finish(episodes),
  });
  if (summaryOnly) {
    // Two threads that read the export each summed their own children (see load's `summaryOf`).
    const onEpisode = (done: number, total: number) => loadOptions.onPhase?.('measuring', done, total);
    const summary = loaded.summary ?? summarise(episodes, params, onEpisode);
    return report(new Int32Array(0), new CohortTally(children, 0, params, summary));
  }
  const cohort = pickCohort(episodes, children, params);
  const tally = new CohortTally(children, episodes.length, params);
  let k = 0;
  for (const i of cohort) {
    if ((k++ & 0x3fff) === 0) loadOptions.onPhase?.('measuring', k, cohort.length);
    tally.add(i, episodes.get(i));
  }
  return report(cohort, tally);
}

/** The cohort's episodes (README "Counting rules" 7), by child id then episode. */
function pickCohort(episodes: EpisodeTable, children: ChildStore, params: AuditParameters): Int32Array {
  const picked = new Int32Array(episodes.length);
  let size = 0;
  for (let i = 0; i < episodes.length; i++)
    if (inCohort(episodes.start(i), episodes.dob(i), params)) picked[size++] = i;
  const cohort = size === picked.length ? picked : picked.slice(0, size);
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
  private readonly summary: SummaryTally;
  private readonly stages = new StageTally();
  private readonly routes = new RouteTally();
  private readonly families: FamilyTally;
  /** Overdue episodes, cohort order, and by episode how many days overdue. */
  private readonly overdue = new IntList();
  private readonly daysOverdue: Int32Array;
  /** Stages due soon, as episode * 8 + stage, with their deadlines. */
  private readonly due = new IntList();
  private readonly dueDeadlines = new IntList();
  private readonly horizon: Day;

  constructor(
    children: ChildStore,
    episodes: number,
    private readonly params: AuditParameters,
    /** Only the summary figures, already tallied (see `audit`): nothing is added. */
    summary?: SummaryTally,
  ) {
    this.summary = summary ?? new SummaryTally();
    this.families = new FamilyTally(
      children.families,
      (f) => children.familyName(f),
      () => children.familiesByName(),
    );
    // By episode: a typed array, not a Map, for a sort over every overdue child.
    this.daysOverdue = new Int32Array(episodes);
    this.horizon = dueHorizon(params.asOf, params.dueWithin);
  }

  /** Episode `i` of the table, in cohort order. */
  add(i: number, ep: Episode): void {
    const p = this.params;
    const r = measureEpisode(ep, p);
    this.summary.add(r);
    const s = stageResults(ep, p);
    this.stages.add(ep, s);
    this.routes.add(r);
    this.families.add(r);
    if (r.status === 'overdue') {
      this.overdue.push(i);
      this.daysOverdue[i] = r.daysOverdue!;
    }
    for (let k = 0; k < s.length; k++)
      if (isDueSoon(s[k], this.horizon)) {
        this.due.push(i * 8 + k);
        this.dueDeadlines.push(s[k].deadline);
      }
  }

  finish(
    episodes: EpisodeTable,
  ): Omit<AuditReport, 'parameters' | 'source' | 'accounting' | 'findings' | 'episodes' | 'cohort'> {
    const { params } = this;
    // Most overdue first; ties in cohort order (child id, episode), as added.
    const overdueAt = this.overdue.values();
    const overdue = inOrderOf(overdueAt.length, (k) => -this.daysOverdue[overdueAt[k]]);
    for (let k = 0; k < overdue.length; k++) overdue[k] = overdueAt[overdue[k]];
    // Soonest first; ties in cohort order, then stage order, as added.
    const due = this.due.values();
    const deadlines = this.dueDeadlines.values();
    const soonest = inOrderOf(due.length, (k) => deadlines[k]);
    const { asOf } = params;
    const dueSoon = new LazyList(soonest.length, (k): DueSoon => {
      const at = soonest[k];
      const ep = episodes.get(due[at] >>> 3);
      return {
        childId: ep.childId,
        episode: ep.n,
        familyId: ep.familyId || null,
        stage: STAGES[due[at] & 7].key,
        deadline: deadlines[at],
        daysLeft: deadlines[at] - asOf,
      };
    });
    const stages = this.stages.summaries(params.target, params.stageTargets);
    return {
      summary: this.summary.summary(params.aim),
      overdue,
      stages,
      drift: drift(stages),
      routes: this.routes.summaries(),
      families: this.families.summary(),
      dueSoon,
      reentries: this.summary.reentries,
    };
  }
}

/** A growable list of Int32s. */
class IntList {
  private items = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = v;
  }

  values(): Int32Array {
    return this.items.subarray(0, this.length);
  }
}

/**
 * Places 0..n-1 sorted by key(place) ascending, ties in place order: one number per place,
 * (key - least) * n + place, sorted natively, where a comparison sort of a million items took
 * seconds. Exact in a double for keys of real dates and any cohort.
 */
function inOrderOf(n: number, key: (place: number) => number): Int32Array {
  const keys = new Float64Array(n);
  let least = 0;
  for (let k = 0; k < n; k++) least = Math.min(least, (keys[k] = key(k)));
  for (let k = 0; k < n; k++) keys[k] = (keys[k] - least) * n + k;
  keys.sort();
  // A loop, not Int32Array.from(keys, f), which lists every value on the heap first.
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = keys[k] % n;
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
