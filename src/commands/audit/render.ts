/** Turns an AuditReport into table text, JSON or CSV chunks. */
import { type ChalkInstance } from 'chalk';
import { stringify } from 'csv-stringify/sync';
import { formatDay, formatDayOrNull, jsonDay } from '../../dates/days.js';
import { type ChildResult } from '../../measures/decision.js';
import { routeName } from '../../model.js';
import { neutralise } from '../../report/cells.js';
import { textTable } from '../../report/table.js';
import { inputJson, SCHEMA_VERSION, streamObject, TOOL } from '../../report/json.js';
import { accountingLine } from '../../report/accounting.js';
import { type AuditReport, results, stageResults } from './audit.js';
import { type AuditParameters } from '../../measures/decision.js';
import { type DueSoon, type FamilySummary } from '../../measures/journey.js';
import { type StageResult, STAGES, stageTargetText } from '../../measures/stages.js';

import { type ReportName } from './reports.js';
export { CSV_REPORTS, REPORTS, type ReportName } from './reports.js';

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

/**
 * childJson plus the whole journey: re-entry and every stage's dates and status. The readable
 * definition of a `children` entry; childJsonLine writes the same text fast.
 */
export function childJourneyJson(c: ChildResult, p: AuditParameters) {
  const stages: Record<string, unknown> = {};
  for (const [i, s] of stageResults(c.source, p).entries()) stages[STAGES[i].key] = stageJson(s);
  return { ...childJson(c), episodes: c.source.episodes, reentered: c.source.episodes > 1, stages };
}

/** One stage of one episode, as JSON: dates as yyyy-mm-dd, absent values null. */
export const stageJson = (s: StageResult) => ({ start: formatDayOrNull(s.start), on: formatDayOrNull(s.on), deadline: formatDayOrNull(s.deadline), lagDays: s.lagDays, status: s.status });

const day = jsonDay;
const num = (n: number | null) => (n === null ? 'null' : String(n));

/**
 * JSON.stringify(childJourneyJson(c, p)), written directly: a million children must not cost a
 * million object graphs (test/stages.test.ts holds the two to the same text).
 */
export function childJsonLine(c: ChildResult, p: AuditParameters): string {
  const route = routeName(c.route);
  let s = `{"childId":${JSON.stringify(c.childId)},"episode":${c.episode},"familyId":${c.familyId === null ? 'null' : JSON.stringify(c.familyId)},"ageAtAccommodation":${c.ageAtAccommodation},"accommodatedOn":${day(c.accommodatedOn)},"deadline":${day(c.deadline)},"decisionOn":${day(c.decisionOn)},"lagDays":${c.lagDays},"route":${route === null ? 'null' : `"${route}"`},"status":"${c.status}","daysOverdue":${num(c.daysOverdue)},"daysRemaining":${num(c.daysRemaining)},"episodes":${c.source.episodes},"reentered":${c.source.episodes > 1},"stages":{`;
  const stages = stageResults(c.source, p);
  for (let i = 0; i < stages.length; i++) {
    const st = stages[i];
    s += `${i ? ',' : ''}"${STAGES[i].key}":{"start":${day(st.start)},"on":${day(st.on)},"deadline":${day(st.deadline)},"lagDays":${num(st.lagDays)},"status":"${st.status}"}`;
  }
  return s + '}}';
}

const dueJson = (d: DueSoon) => ({ ...d, deadline: formatDay(d.deadline) });
const familyGroupJson = (g: FamilySummary['groups'][number]) => ({ ...g, firstDecisionOn: formatDayOrNull(g.firstDecisionOn), lastDecisionOn: formatDayOrNull(g.lastDecisionOn) });

/** `config`: the config file applied, as named or found; null for none. */
export function parametersJson(r: AuditReport, config: string | null = null) {
  const p = r.parameters;
  return {
    asOf: formatDay(p.asOf),
    from: formatDayOrNull(p.from),
    to: formatDayOrNull(p.to),
    maxAge: p.maxAge,
    target: p.target.text,
    aim: p.aim,
    stageTargets: Object.fromEntries(STAGES.map((s) => [s.key, stageTargetText(s.key, p.target, p.stageTargets)])),
    dueWithin: p.dueWithin.text,
    config,
  };
}

export function renderJson(r: AuditReport, config: string | null = null): Iterable<string> {
  return streamObject(
    {
      schemaVersion: SCHEMA_VERSION,
      tool: TOOL,
      parameters: parametersJson(r, config),
      input: inputJson(r.source, r.accounting, r.findings),
      summary: { ...r.summary, reentries: r.reentries },
      stages: r.stages,
      drift: r.drift,
      routes: r.routes,
      families: { ...r.families, groups: [] },
    },
    // Streamed: a national extract has tens of thousands of sibling groups and due dates.
    {
      'families.groups': mapIter(r.families.groups, familyGroupJson),
      dueSoon: mapIter(r.dueSoon, dueJson),
      children: mapIter(results(r), (c) => childJsonLine(c, r.parameters)),
      issues: (function* () {
        yield* r.findings.list();
      })(),
    },
    ['children'],
  );
}

/**
 * `--format json --report summary`: the document's head (parameters, input, summary) and
 * nothing per child, stage, family or issue; `report` says it is not the whole audit.
 */
export function renderJsonSummary(r: AuditReport, config: string | null = null): Iterable<string> {
  const doc = { schemaVersion: SCHEMA_VERSION, tool: TOOL, report: 'summary', parameters: parametersJson(r, config), input: inputJson(r.source, r.accounting, r.findings), summary: { ...r.summary, reentries: r.reentries } };
  return [JSON.stringify(doc, null, 2) + '\n'];
}

function* mapIter<T, U>(items: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const t of items) yield f(t);
}

const CSV_COLUMNS = ['childId', 'episode', 'familyId', 'ageAtAccommodation', 'accommodatedOn', 'deadline', 'decisionOn', 'lagDays', 'route', 'status', 'daysOverdue', 'daysRemaining'] as const;

const safe = (row: unknown[]) => row.map((v) => (typeof v === 'string' ? neutralise(v) : v));

/** One table per report, safe to open in a spreadsheet. */
export function* renderCsv(r: AuditReport, report: ReportName): Generator<string> {
  if (report === 'stages') {
    yield stringify([
      ['stage', 'from', 'target', 'reachedWithin', 'reachedLate', 'reached', 'waitingWithin', 'waitingOverdue', 'median', 'p90', 'max'],
      ...r.stages.map((s) => safe([s.stage, s.from, s.target ?? '', s.reachedWithin, s.reachedLate, s.reached, s.waitingWithin, s.waitingOverdue, s.median, s.p90, s.max])),
    ]);
    return;
  }
  if (report === 'drift') {
    const rows: unknown[][] = [['from', 'to', 'route', 'count', 'median', 'p90']];
    for (const d of r.drift) {
      rows.push(safe([d.from, d.to, 'all', d.count, d.median, d.p90]));
      for (const [route, st] of Object.entries(d.byRoute)) rows.push(safe([d.from, d.to, route, st.count, st.median, st.p90]));
    }
    yield stringify(rows);
    return;
  }
  if (report === 'due-soon') {
    yield stringify([['childId', 'episode', 'familyId', 'stage', 'deadline', 'daysLeft'], ...r.dueSoon.map((d) => safe([d.childId, d.episode, d.familyId ?? '', d.stage, formatDay(d.deadline), d.daysLeft]))]);
    return;
  }
  yield stringify([CSV_COLUMNS as unknown as string[]]);
  let batch: unknown[][] = [];
  for (const c of report === 'overdue' ? results(r, r.overdue) : results(r)) {
    const j = childJson(c);
    batch.push(safe(CSV_COLUMNS.map((k) => j[k])));
    if (batch.length === 1000) {
      yield stringify(batch);
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch);
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const plainTable = textTable;

/** Without --report: the summary, the overdue list, who is due soon, and the stage table. */
export function renderTable(r: AuditReport, report: ReportName | undefined, c: ChalkInstance): string {
  const parts: string[] = [];
  const show = (name: ReportName, byDefault: boolean) => report === name || report === 'all' || (report === undefined && byDefault);
  if (show('summary', true)) parts.push(summaryTable(r, c));
  // A broken mapping makes every figure above wrong: say so beside them, not only on stderr.
  for (const f of r.findings.list()) if (f.code === 'EVENT_KIND_MISSING') parts.push(c.yellow(`Warning [${f.code}]: ${f.message}`));
  if (show('overdue', true)) parts.push(overdueTable(r, c));
  if (show('due-soon', true)) parts.push(dueSoonTable(r, c));
  if (show('stages', true)) parts.push(stagesTable(r));
  if (show('drift', false)) parts.push(driftTable(r));
  if (show('routes', false)) parts.push(routesTable(r));
  if (show('families', false)) parts.push(familiesTable(r));
  if (show('children', false)) parts.push(childrenTable(r));
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

const STAGE_LABEL = Object.fromEntries(STAGES.map((s) => [s.key, s.label]));
const days = (n: number | null) => (n === null ? '' : String(n));

function dueSoonTable(r: AuditReport, c: ChalkInstance): string {
  const within = r.parameters.dueWithin.text;
  if (r.dueSoon.length === 0) return `Due soon (within ${within}): none.`;
  const t = plainTable(['Child', 'Family', 'Stage', 'Deadline', 'Days left'].map((h) => c.bold(h)));
  for (const d of r.dueSoon) t.push([episodeLabel(d), d.familyId ?? '', STAGE_LABEL[d.stage], formatDay(d.deadline), c.yellow(String(d.daysLeft))]);
  return `Due soon (deadline within ${within}): ${r.dueSoon.length}, soonest first\n${t.toString()}`;
}

function stagesTable(r: AuditReport): string {
  const t = plainTable(['Stage', 'From', 'Target', 'Reached within / late', 'Waiting within / overdue', 'Median days', 'p90 days', 'Longest']);
  for (const s of r.stages)
    t.push([s.label, s.from, s.target ?? 'none', s.target ? `${s.reachedWithin} / ${s.reachedLate}` : `${s.reached} reached`, s.target ? `${s.waitingWithin} / ${s.waitingOverdue}` : `${s.waitingWithin} waiting`, days(s.median), days(s.p90), days(s.max)]);
  return `Stages (lags of stages reached; percentiles by nearest rank)\n${t.toString()}`;
}

function driftTable(r: AuditReport): string {
  const t = plainTable(['From', 'To', 'Route', 'Count', 'Median days', 'p90 days']);
  for (const d of r.drift) {
    t.push([d.from, d.to, 'all', d.count, days(d.median), days(d.p90)]);
    for (const [route, st] of Object.entries(d.byRoute)) t.push(['', '', route, st.count, days(st.median), days(st.p90)]);
  }
  return `Drift between stages, longest waits first\n${t.toString()}`;
}

function routesTable(r: AuditReport): string {
  const t = plainTable(['Route', 'Decisions', 'Share', 'Median lag', 'p90 lag']);
  for (const x of r.routes) t.push([x.route, x.decisions, pct(x.share), days(x.lag.median), days(x.lag.p90)]);
  return `Decisions by route\n${t.toString()}`;
}

function familiesTable(r: AuditReport): string {
  const f = r.families;
  const head = `Sibling groups: ${f.siblingGroups}, of which ${f.groupsOfMoreThanOne} with more than one child in the cohort; re-entries: ${r.reentries}`;
  if (f.groups.length === 0) return head;
  const t = plainTable(['Family', 'Children', 'Decided', 'First decision', 'Last decision', 'Span (days)']);
  for (const g of f.groups) t.push([g.familyId, g.children, g.decided, formatDayOrNull(g.firstDecisionOn) ?? '', formatDayOrNull(g.lastDecisionOn) ?? '', days(g.spanDays)]);
  return `${head}\n${t.toString()}`;
}

const episodeLabel = (o: { childId: string; episode: number }) => (o.episode > 1 ? `${o.childId} (episode ${o.episode})` : o.childId);
