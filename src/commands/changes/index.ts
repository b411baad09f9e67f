/**
 * `pace-audit changes`: what moved between two audit dates, for the monthly meeting. Both dates
 * are audited with the same cohort options; the earlier one sees the export as known then
 * (timeline/known-on.ts). Findings are compared by code and line between the two readings.
 */
import { checkUnchanged } from '../../read/source.js';
import { type Day } from '../../dates/days.js';
import { parseDuration } from '../../dates/duration.js';
import { type Accounting, load, type LoadOptions } from '../../load.js';
import { type AuditParameters, type ChildResult, inCohort, measureEpisode } from '../../measures/decision.js';
import { type DueSoon, dueSoon } from '../../measures/journey.js';
import { type SourceInfo, type StreamCopy } from '../../read/source-info.js';
import { knownOn } from '../../timeline/known-on.js';
import { type Findings, type ShownFinding } from '../../validate/findings.js';
import { stageResults } from '../audit/audit.js';

export interface Changes {
  params: AuditParameters;
  since: Day;
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  /** Overdue now; not overdue, or not yet in the cohort, then. Most overdue first. */
  becameOverdue: ChildResult[];
  /** Decided after `since`, on or before `asOf`. */
  decided: ChildResult[];
  /** Accommodated after `since` (and in the cohort). */
  accommodated: ChildResult[];
  /** Ceased to be accommodated after `since`; decided or not. */
  leftCare: ChildResult[];
  /** Stage deadlines in the coming period: as long after `asOf` as `asOf` is after `since`. */
  dueSoon: DueSoon[];
  comingDays: number;
  newFindings: ShownFinding[];
}

const between = (day: Day, since: Day, asOf: Day) => day > since && day <= asOf;
const byChild = (a: { childId: string; episode: number }, b: { childId: string; episode: number }) =>
  a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : a.episode - b.episode;

export async function changes(
  params: AuditParameters,
  since: Day,
  loadOptions: Omit<LoadOptions, 'asOf'>,
): Promise<Changes> {
  // Read twice (as of both dates): stdin or a pipe is kept in memory for the second reading.
  const copy: StreamCopy = { chunks: [], read: false };
  const loaded = await load({ ...loadOptions, asOf: params.asOf, streamCopy: copy });
  copy.read = true;
  const comingDays = params.asOf - since;
  const p = { ...params, dueWithin: parseDuration(`${comingDays}d`) };
  const then = { ...p, asOf: since };
  const out: Changes = {
    params: p,
    since,
    source: loaded.source,
    accounting: loaded.accounting,
    findings: loaded.findings,
    becameOverdue: [],
    decided: [],
    accommodated: [],
    leftCare: [],
    dueSoon: [],
    comingDays,
    newFindings: [],
  };
  const { episodes } = loaded;
  for (let i = 0; i < episodes.length; i++) {
    if (!inCohort(episodes.start(i), episodes.dob(i), p)) continue;
    const ep = episodes.get(i);
    const now = measureEpisode(ep, p);
    const old = knownOn(ep, since);
    const wasOverdue =
      old !== undefined && inCohort(old.start, old.dob, then) && measureEpisode(old, then).status === 'overdue';
    if (now.status === 'overdue' && !wasOverdue) out.becameOverdue.push(now);
    if (between(now.decisionOn, since, p.asOf)) out.decided.push(now);
    if (between(ep.start, since, p.asOf)) out.accommodated.push(now);
    if (between(ep.end, since, p.asOf)) out.leftCare.push(now);
    out.dueSoon.push(...dueSoon(now, stageResults(ep, p), p.asOf, p.dueWithin));
  }
  out.becameOverdue.sort((a, b) => b.daysOverdue! - a.daysOverdue! || byChild(a, b));
  out.decided.sort((a, b) => a.decisionOn - b.decisionOn || byChild(a, b));
  out.accommodated.sort((a, b) => a.accommodatedOn - b.accommodatedOn || byChild(a, b));
  out.leftCare.sort((a, b) => a.source.end - b.source.end || byChild(a, b));
  out.dueSoon.sort((a, b) => a.daysLeft - b.daysLeft || byChild(a, b));
  // Findings depend on what was known: read again as of `since` and keep what is new.
  const before = await load({ ...loadOptions, onProgress: undefined, asOf: since, streamCopy: copy });
  // Each reading checked itself; between them the file may have changed, and the two be of two versions.
  checkUnchanged(loaded.source);
  const key = (f: ShownFinding) => `${f.code}\u0000${f.line}\u0000${f.column ?? ''}`;
  const old = new Set(before.findings.list().map(key));
  out.newFindings = loaded.findings.list().filter((f) => !old.has(key(f)));
  return out;
}
