/** Turns an AuditReport into table text, JSON or CSV chunks. */
import Table from 'cli-table3';
import { type ChalkInstance } from 'chalk';
import { stringify } from 'csv-stringify/sync';
import { formatDay, formatDayOrNull } from '../../dates/days.js';
import { type ChildResult } from '../../measures/decision.js';
import { routeName } from '../../model.js';
import { neutralise } from '../../report/cells.js';
import { inputJson, SCHEMA_VERSION, streamObject, TOOL } from '../../report/json.js';
import { accountingLine } from '../../report/accounting.js';
import { type AuditReport, results } from './index.js';

export const REPORTS = ['summary', 'overdue', 'children', 'all'] as const;
export type ReportName = (typeof REPORTS)[number];

export function childJson(c: ChildResult) {
  return {
    childId: c.childId,
    episode: c.episode,
    familyId: c.familyId,
    ageAtAccommodation: c.ageAtAccommodation,
    accommodatedOn: formatDay(c.accommodatedOn),
    deadline: formatDay(c.deadline),
    decisionOn: formatDayOrNull(c.decisionOn),
    lagDays: c.lagDays,
    route: routeName(c.route),
    status: c.status,
    daysOverdue: c.daysOverdue,
    daysRemaining: c.daysRemaining,
  };
}

export function parametersJson(r: AuditReport) {
  const p = r.parameters;
  return { asOf: formatDay(p.asOf), from: formatDayOrNull(p.from), to: formatDayOrNull(p.to), maxAge: p.maxAge, target: p.target.text, aim: p.aim };
}

export function renderJson(r: AuditReport): Iterable<string> {
  return streamObject(
    { schemaVersion: SCHEMA_VERSION, tool: TOOL, parameters: parametersJson(r), input: inputJson(r.source, r.accounting, r.findings), summary: r.summary },
    { children: mapIter(results(r), childJson), issues: r.findings.list() },
  );
}

function* mapIter<T, U>(items: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const t of items) yield f(t);
}

const CSV_COLUMNS = ['childId', 'episode', 'familyId', 'ageAtAccommodation', 'accommodatedOn', 'deadline', 'decisionOn', 'lagDays', 'route', 'status', 'daysOverdue', 'daysRemaining'] as const;

/** One row per child (children) or per overdue child (overdue), safe to open in a spreadsheet. */
export function* renderCsv(r: AuditReport, report: 'children' | 'overdue'): Generator<string> {
  yield stringify([CSV_COLUMNS as unknown as string[]]);
  let batch: unknown[][] = [];
  for (const c of report === 'overdue' ? results(r, r.overdue) : results(r)) {
    const j = childJson(c);
    batch.push(CSV_COLUMNS.map((k) => (typeof j[k] === 'string' ? neutralise(j[k] as string) : j[k])));
    if (batch.length === 1000) {
      yield stringify(batch);
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch);
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const plainTable = (head: string[]) => new Table({ head, style: { head: [], border: [], compact: false } });

/** Without --report: the summary, then the overdue list. */
export function renderTable(r: AuditReport, report: ReportName | undefined, c: ChalkInstance): string {
  const parts: string[] = [];
  if (report === undefined || report === 'summary' || report === 'all') parts.push(summaryTable(r, c));
  if (report === undefined || report === 'overdue' || report === 'all') parts.push(overdueTable(r, c));
  if (report === 'children' || report === 'all') parts.push(childrenTable(r));
  parts.push(accountingLine(r.accounting));
  return parts.join('\n\n') + '\n';
}

function summaryTable(r: AuditReport, c: ChalkInstance): string {
  const s = r.summary;
  const p = r.parameters;
  const cohort = `accommodated ${formatDayOrNull(p.from) ?? 'any date'} to ${formatDayOrNull(p.to) ?? 'the audit date'}, aged under ${p.maxAge}`;
  const t = plainTable([c.bold('Permanence decisions'), c.bold(`as of ${formatDay(p.asOf)}`)]);
  t.push(
    ['Cohort', cohort],
    ['Target', `decision within ${p.target.text} of accommodation`],
    ['Children (families)', `${s.children} (${s.families})${s.episodes !== s.children ? `, ${s.episodes} episodes` : ''}`],
    ['Decided', `${s.decided}: ${s.decidedWithinTarget} within target, ${s.decidedLate} late`],
    ['Overdue (no decision, past deadline)', c.red(String(s.overdue))],
    ['In progress (not yet due)', String(s.inProgress)],
    ['Left care without a decision', String(s.leftCare)],
    ['Decided within target, of decided', pct(s.percentOfDecidedWithinTarget)],
    ['Within target, of decided + overdue', c.bold(pct(s.percentWithinTarget))],
    ['Aim', `${s.aim}%: ${s.aimMet ? c.green('met') : c.red('not met')}`],
  );
  return t.toString();
}

function overdueTable(r: AuditReport, c: ChalkInstance): string {
  const list = [...results(r, r.overdue)];
  if (list.length === 0) return 'Overdue: none.';
  const t = plainTable(['Child', 'Family', 'Accommodated', 'Deadline', 'Days overdue'].map((h) => c.bold(h)));
  for (const o of list) t.push([episodeLabel(o), o.familyId ?? '', formatDay(o.accommodatedOn), formatDay(o.deadline), c.red(String(o.daysOverdue))]);
  return `Overdue: ${list.length}, most overdue first\n${t.toString()}`;
}

function childrenTable(r: AuditReport): string {
  const t = plainTable(['Child', 'Family', 'Age', 'Accommodated', 'Deadline', 'Decision', 'Route', 'Lag (days)', 'Status']);
  for (const o of results(r))
    t.push([episodeLabel(o), o.familyId ?? '', o.ageAtAccommodation, formatDay(o.accommodatedOn), formatDay(o.deadline), formatDayOrNull(o.decisionOn) ?? '', routeName(o.route) ?? '', o.lagDays, o.status]);
  return `Children: ${r.cohort.length}\n${t.toString()}`;
}

const episodeLabel = (o: ChildResult) => (o.episode > 1 ? `${o.childId} (episode ${o.episode})` : o.childId);
