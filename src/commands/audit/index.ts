/**
 * `pace-audit audit`: load the export, measure every cohort episode, summarise. Returns data;
 * the CLI renders it and decides the exit code.
 */
import { type Accounting, load, type LoadOptions } from '../../load.js';
import { type AuditParameters, type ChildResult, inCohort, measureEpisode, summarise, type Summary } from '../../measures/decision.js';
import { type SourceInfo } from '../../read/source.js';
import { type Findings } from '../../validate/findings.js';

export interface AuditReport {
  parameters: AuditParameters;
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  summary: Summary;
  /** One per cohort episode, by child id then episode. */
  children: ChildResult[];
}

export async function audit(params: AuditParameters, loadOptions: Omit<LoadOptions, 'asOf'>): Promise<AuditReport> {
  const loaded = await load({ ...loadOptions, asOf: params.asOf });
  const children: ChildResult[] = [];
  for (const ep of loaded.episodes) if (inCohort(ep, params)) children.push(measureEpisode(ep, params));
  children.sort((a, b) => (a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : a.episode - b.episode));
  return {
    parameters: params,
    source: loaded.source,
    accounting: loaded.accounting,
    findings: loaded.findings,
    summary: summarise(children, params.aim),
    children,
  };
}

/** Overdue episodes, most overdue first. */
export const overdueList = (children: ChildResult[]) =>
  children.filter((c) => c.status === 'overdue').sort((a, b) => b.daysOverdue! - a.daysOverdue! || cmp(a.childId, b.childId));

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
