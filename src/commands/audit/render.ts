/** Turns an AuditReport into table text, JSON or CSV chunks. */
import { type ChalkInstance } from 'chalk';
import { formatDay, formatDayOrNull } from '../../dates/days.js';
import { type ChildResult } from '../../measures/decision.js';
import { routeName } from '../../model.js';
import { csvText } from '../../report/cells.js';
import {
  type ArrayWriter,
  findingsSummaryJson,
  inputJson,
  SCHEMA_VERSION,
  streamObject,
  TOOL,
} from '../../report/json.js';
import { ascii, JsonBytes, stringRoom } from '../../report/json-bytes.js';
import { type ChildStore } from '../../timeline/store.js';
import { type Chunk } from '../../output/fd.js';
import { accountingLine } from '../../report/accounting.js';
import { type AuditReport, results, stageResults } from './audit.js';
import { type AuditParameters } from '../../measures/decision.js';
import { type DueSoon, type FamilySpan } from '../../measures/journey.js';
import { type StageResult, STAGES, stageTargetText } from '../../measures/stages.js';

import { type ReportName, TABLE_DEFAULT } from './reports.js';
import { type Cell, type Column, fitTable, wrapText } from '../../report/table.js';
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
 * definition of a `children` entry; childrenJson writes the same text fast, as bytes.
 */
export function childJourneyJson(c: ChildResult, p: AuditParameters) {
  const stages: Record<string, unknown> = {};
  for (const [i, s] of stageResults(c.source, p).entries()) stages[STAGES[i].key] = stageJson(s);
  return { ...childJson(c), episodes: c.source.episodes, reentered: c.source.episodes > 1, stages };
}

/** One stage of one episode, as JSON: dates as yyyy-mm-dd, absent values null. */
export const stageJson = (s: StageResult) => ({
  start: formatDayOrNull(s.start),
  on: formatDayOrNull(s.on),
  deadline: formatDayOrNull(s.deadline),
  lagDays: s.lagDays,
  status: s.status,
});

// The fixed text of a `children` entry, as bytes once.
const K = {
  childId: ascii('{"childId":'),
  episode: ascii(',"episode":'),
  familyId: ascii(',"familyId":'),
  age: ascii(',"ageAtAccommodation":'),
  accommodatedOn: ascii(',"accommodatedOn":'),
  deadline: ascii(',"deadline":'),
  decisionOn: ascii(',"decisionOn":'),
  lagDays: ascii(',"lagDays":'),
  route: ascii(',"route":'),
  status: ascii(',"status":'),
  daysOverdue: ascii(',"daysOverdue":'),
  daysRemaining: ascii(',"daysRemaining":'),
  episodes: ascii(',"episodes":'),
  reentered: ascii(',"reentered":'),
  stages: STAGES.map((st, i) => ascii(`${i ? '},' : ',"stages":{'}"${st.key}":{"start":`)),
  on: ascii(',"on":'),
  stageDeadline: ascii(',"deadline":'),
  stageLag: ascii(',"lagDays":'),
  stageStatus: ascii(',"status":'),
  end: ascii('}}}'),
  true: ascii('true'),
  false: ascii('false'),
  null: ascii('null'),
};
const quotedBytes = new Map<string, Uint8Array>();
/** A key-like value ("in_progress", "adoption") as quoted bytes, made once each. */
const quoted = (s: string) => quotedBytes.get(s) ?? quotedBytes.set(s, ascii(JSON.stringify(s))).get(s)!;
const emptyStages = STAGES.map(() => new Map<string, Uint8Array>());
/** Stage i's whole entry when it has no date and no lag, as bytes made once per status. */
function emptyStage(i: number, status: string): Uint8Array {
  let bytes = emptyStages[i].get(status);
  if (bytes === undefined) {
    const parts = [K.stages[i], K.null, K.on, K.null, K.stageDeadline, K.null, K.stageLag, K.null, K.stageStatus];
    bytes = new Uint8Array([...parts.flatMap((b) => [...b]), ...quoted(status)]);
    emptyStages[i].set(status, bytes);
  }
  return bytes;
}
// Room for everything in an entry but its two ids: the keys, 25 dates and numbers, with margin.
const ENTRY_ROOM = 2048;

/** One `children` entry; the caller has made room for it. Kept out of the generator, which V8 optimises less. */
function writeChild(out: JsonBytes, c: ChildResult, ids: ChildStore, p: AuditParameters, head: Uint8Array): void {
  out.raw(head);
  out.stringAt(ids.ids, c.source.childIndex);
  out.raw(K.episode);
  out.int(c.episode);
  out.raw(K.familyId);
  // Family index 0 is "no family id": null, as ChildResult.familyId gives it.
  const family = c.source.familyIndex;
  if (family === 0) out.raw(K.null);
  else out.stringAt(ids.familyIds, family);
  out.raw(K.age);
  out.int(c.ageAtAccommodation);
  out.raw(K.accommodatedOn);
  out.day(c.accommodatedOn);
  out.raw(K.deadline);
  out.day(c.deadline);
  out.raw(K.decisionOn);
  out.day(c.decisionOn);
  out.raw(K.lagDays);
  out.int(c.lagDays);
  out.raw(K.route);
  const route = routeName(c.route);
  out.raw(route === null ? K.null : quoted(route));
  out.raw(K.status);
  out.raw(quoted(c.status));
  out.raw(K.daysOverdue);
  out.int(c.daysOverdue);
  out.raw(K.daysRemaining);
  out.int(c.daysRemaining);
  out.raw(K.episodes);
  out.int(c.source.episodes);
  out.raw(K.reentered);
  out.raw(c.source.episodes > 1 ? K.true : K.false);
  const stages = stageResults(c.source, p);
  for (let i = 0; i < stages.length; i++) {
    const st = stages[i];
    // Half the stages of a big audit are not started or not applicable: all null, one copy.
    if (Number.isNaN(st.start) && Number.isNaN(st.on) && Number.isNaN(st.deadline) && st.lagDays === null) {
      out.raw(emptyStage(i, st.status));
      continue;
    }
    out.raw(K.stages[i]);
    out.day(st.start);
    out.raw(K.on);
    out.day(st.on);
    out.raw(K.stageDeadline);
    out.day(st.deadline);
    out.raw(K.stageLag);
    out.int(st.lagDays);
    out.raw(K.stageStatus);
    out.raw(quoted(st.status));
  }
  out.raw(K.end);
}

/**
 * Writes each child's entry after `before(n)` (n: entries so far) and yields each block as it
 * fills; returns how many were written. One loop, so that JSON and NDJSON make room alike.
 */
function* childEntries(
  out: JsonBytes,
  children: Iterable<ChildResult>,
  ids: ChildStore,
  p: AuditParameters,
  head: Uint8Array,
  before: (n: number) => Uint8Array,
  after: Uint8Array,
): Generator<Chunk, number> {
  let n = 0;
  for (const c of children) {
    const family = c.source.familyIndex;
    // No family id (index 0) is written as null: 4 bytes.
    const full = out.room(
      ENTRY_ROOM + stringRoom(ids.ids, c.source.childIndex) + (family === 0 ? 4 : stringRoom(ids.familyIds, family)),
    );
    if (full) yield full;
    out.raw(before(n++));
    writeChild(out, c, ids, p, head);
    out.raw(after);
  }
  return n;
}

/**
 * The `children` array, written as UTF-8 bytes in blocks of 64 KiB: JSON.stringify of each
 * child's childJourneyJson, without a string per child (a national extract has millions).
 */
export const childrenJson = (children: Iterable<ChildResult>, p: AuditParameters, ids: ChildStore): ArrayWriter =>
  function* (indent: string): Generator<Chunk> {
    const out = new JsonBytes();
    const first = ascii(`[\n${indent}  `);
    const next = ascii(`,\n${indent}  `);
    const n = yield* childEntries(out, children, ids, p, K.childId, (k) => (k === 0 ? first : next), NOTHING);
    const full = out.room(indent.length + 2);
    if (full) yield full;
    out.raw(ascii(n === 0 ? '[]' : `\n${indent}]`));
    const rest = out.rest();
    if (rest) yield rest;
  };

const NDJSON_HEAD = ascii('{"type":"child","childId":');
const NEWLINE = ascii('\n');
const NOTHING = new Uint8Array(0);

/** `--format ndjson`'s child lines: each entry of `children` with its type in front, one a line. */
export function* childrenNdjson(
  children: Iterable<ChildResult>,
  p: AuditParameters,
  ids: ChildStore,
): Generator<Chunk> {
  const out = new JsonBytes();
  yield* childEntries(out, children, ids, p, NDJSON_HEAD, () => NOTHING, NEWLINE);
  const rest = out.rest();
  if (rest) yield rest;
}

const dueJson = (d: DueSoon) => ({ ...d, deadline: formatDay(d.deadline) });
const familyGroupJson = (g: FamilySpan) => ({
  ...g,
  firstDecisionOn: formatDayOrNull(g.firstDecisionOn),
  lastDecisionOn: formatDayOrNull(g.lastDecisionOn),
});

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

const summaryJson = (r: AuditReport) => ({ ...r.summary, reentries: r.reentries, ...findingsSummaryJson(r.findings) });

export function renderJson(r: AuditReport, config: string | null = null): Iterable<Chunk> {
  return streamObject(
    {
      schemaVersion: SCHEMA_VERSION,
      tool: TOOL,
      parameters: parametersJson(r, config),
      input: inputJson(r.source, r.accounting, r.findings),
      summary: summaryJson(r),
      stages: r.stages,
      drift: r.drift,
      routes: r.routes,
      families: { ...r.families, groups: [] },
    },
    // Streamed: a national extract has tens of thousands of sibling groups and due dates.
    {
      'families.groups': mapIter(r.families.groups, familyGroupJson),
      dueSoon: mapIter(r.dueSoon, dueJson),
      children: childrenJson(results(r), r.parameters, r.episodes.store),
      issues: (function* () {
        yield* r.findings.list();
      })(),
    },
  );
}

/**
 * `--format json --report summary`: the document's head (parameters, input, summary) and
 * nothing per child, stage, family or issue; `report` says it is not the whole audit.
 */
export function renderJsonSummary(r: AuditReport, config: string | null = null): Iterable<string> {
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    report: 'summary',
    parameters: parametersJson(r, config),
    input: inputJson(r.source, r.accounting, r.findings),
    summary: summaryJson(r),
  };
  return [JSON.stringify(doc, null, 2) + '\n'];
}

function* mapIter<T, U>(items: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const t of items) yield f(t);
}

/**
 * CSV: one table per report, column names the JSON's field names (a nested object's fields
 * joined to its name: `lag.median` is `lagMedian`), absent values empty, dates yyyy-mm-dd text,
 * and no cell a spreadsheet could run as a formula.
 */
const CSV_COLUMNS = [
  'childId',
  'episode',
  'familyId',
  'ageAtAccommodation',
  'accommodatedOn',
  'deadline',
  'decisionOn',
  'lagDays',
  'route',
  'status',
  'daysOverdue',
  'daysRemaining',
] as const;

const csvTable = (head: readonly string[], rows: unknown[][]) => csvText([head, ...rows]);

export function* renderCsv(r: AuditReport, report: ReportName): Generator<string> {
  switch (report) {
    case 'summary': {
      // One row, so a monthly run can append to a running sheet; the parameters say which run.
      const p = parametersJson(r);
      const s = summaryJson(r);
      const row: Record<string, unknown> = {
        asOf: p.asOf,
        from: p.from,
        to: p.to,
        maxAge: p.maxAge,
        target: p.target,
        ...s,
      };
      yield csvTable(Object.keys(row), [Object.values(row)]);
      return;
    }
    case 'stages':
      yield csvTable(
        [
          'stage',
          'label',
          'from',
          'fromLabel',
          'target',
          'reachedWithin',
          'reachedLate',
          'reached',
          'waitingWithin',
          'waitingOverdue',
          'count',
          'median',
          'p90',
          'max',
        ],
        r.stages.map((s) => [
          s.stage,
          s.label,
          s.from,
          s.fromLabel,
          s.target,
          s.reachedWithin,
          s.reachedLate,
          s.reached,
          s.waitingWithin,
          s.waitingOverdue,
          s.count,
          s.median,
          s.p90,
          s.max,
        ]),
      );
      return;
    case 'drift': {
      const rows: unknown[][] = [];
      for (const d of r.drift) {
        rows.push([d.from, d.fromLabel, d.to, d.toLabel, 'all', d.count, d.median, d.p90]);
        for (const [route, st] of Object.entries(d.byRoute))
          rows.push([d.from, d.fromLabel, d.to, d.toLabel, route, st.count, st.median, st.p90]);
      }
      yield csvTable(['from', 'fromLabel', 'to', 'toLabel', 'route', 'count', 'median', 'p90'], rows);
      return;
    }
    case 'routes':
      yield csvTable(
        ['route', 'label', 'decisions', 'share', 'lagCount', 'lagMedian', 'lagP90', 'lagMax'],
        r.routes.map((x) => [x.route, x.label, x.decisions, x.share, x.lag.count, x.lag.median, x.lag.p90, x.lag.max]),
      );
      return;
    case 'families':
      yield csvTable(
        ['familyId', 'children', 'decided', 'firstDecisionOn', 'lastDecisionOn', 'spanDays'],
        r.families.groups.map((g) => [
          g.familyId,
          g.children,
          g.decided,
          formatDayOrNull(g.firstDecisionOn),
          formatDayOrNull(g.lastDecisionOn),
          g.spanDays,
        ]),
      );
      return;
    case 'due-soon':
      yield csvTable(
        ['childId', 'episode', 'familyId', 'stage', 'deadline', 'daysLeft'],
        r.dueSoon.map((d) => [d.childId, d.episode, d.familyId, d.stage, formatDay(d.deadline), d.daysLeft]),
      );
      return;
    case 'overdue':
    case 'children': {
      yield csvTable(CSV_COLUMNS, []);
      let batch: unknown[][] = [];
      for (const c of report === 'overdue' ? results(r, r.overdue) : results(r)) {
        const j = childJson(c);
        batch.push(CSV_COLUMNS.map((k) => j[k]));
        if (batch.length === 1000) {
          yield csvText(batch);
          batch = [];
        }
      }
      if (batch.length) yield csvText(batch);
      return;
    }
    case 'all':
      throw new Error('--format csv writes one report at a time'); // refused in run.ts
  }
}

/** How a table is laid out: the terminal's width, and how many rows each list shows. */
export interface TableLayout {
  width: number;
  limit: number;
  colour: ChalkInstance;
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const count = (n: number) => n.toLocaleString('en-GB');

/** Without --report: the summary, the overdue list, who is due soon, and the stage table. */
export function renderTable(r: AuditReport, report: ReportName | undefined, layout: TableLayout): string {
  const parts: string[] = [];
  const show = (name: ReportName) =>
    report === name || report === 'all' || (report === undefined && TABLE_DEFAULT.includes(name));
  let cut = false;
  const table = (columns: Column[], rows: Cell[][]) => {
    const t = fitTable(columns, rows, layout.width, layout.colour);
    cut ||= t.cut;
    return t.text;
  };
  if (show('summary')) parts.push(summaryTable(r, layout));
  // A broken mapping makes every figure above wrong: say so beside them, not only on stderr.
  for (const f of r.findings.list())
    if (f.code === 'EVENT_KIND_MISSING')
      parts.push(layout.colour.yellow(wrapText(`Warning [${f.code}]: ${f.message}`, layout.width)));
  if (show('overdue')) parts.push(overdueTable(r, layout, table));
  if (show('due-soon')) parts.push(dueSoonTable(r, layout, table));
  if (show('stages')) parts.push(stagesTable(r, table));
  if (show('drift')) parts.push(driftTable(r, table));
  if (show('routes')) parts.push(routesTable(r, table));
  if (show('families')) parts.push(familiesTable(r, layout, table));
  if (show('children')) parts.push(childrenTable(r, layout, table));
  if (cut)
    parts.push(
      wrapText('Cells ending in … are cut to fit the terminal; --format csv or json holds them whole.', layout.width),
    );
  parts.push(wrapText(accountingLine(r.accounting), layout.width));
  return parts.join('\n\n') + '\n';
}

type TableFn = (columns: Column[], rows: Cell[][]) => string;

/** The first `limit` items, and the line that says how many more there are and how to get them. */
function firstOf(items: { length: number }, layout: TableLayout, report: ReportName): { shown: number; more: string } {
  const shown = Math.min(items.length, layout.limit);
  const left = items.length - shown;
  const more =
    left > 0
      ? `\n${wrapText(`and ${count(left)} more: \`--report ${report} --format csv\` lists them all (or --limit all)`, layout.width)}`
      : '';
  return { shown, more };
}

function summaryTable(r: AuditReport, { colour: c, width }: TableLayout): string {
  const s = r.summary;
  const p = r.parameters;
  const cohort = `accommodated ${formatDayOrNull(p.from) ?? 'any date'} to ${formatDayOrNull(p.to) ?? 'the audit date'}, aged under ${p.maxAge}`;
  const rows: Cell[][] = [
    ['Cohort', cohort],
    ['Target', `decision within ${p.target.text} of accommodation`],
    [
      'Children (families)',
      `${s.children} (${s.families})${s.episodes !== s.children ? `, ${s.episodes} episodes` : ''}`,
    ],
    ['Decided', `${s.decided}: ${s.decidedWithinTarget} within target, ${s.decidedLate} late`],
    ['Overdue (no decision, past deadline)', c.red(String(s.overdue))],
    ['In progress (not yet due)', String(s.inProgress)],
    ['Left care without a decision', String(s.leftCare)],
    ['Decided within target, of decided', pct(s.percentOfDecidedWithinTarget)],
    ['Within target, of decided + overdue', c.bold(pct(s.percentWithinTarget))],
    ['Aim', `${s.aim}%: ${s.aimMet ? c.green('met') : c.red('not met')}`],
  ];
  return fitTable(
    [
      { head: 'Permanence decisions', wrap: true },
      { head: `as of ${formatDay(p.asOf)}`, wrap: true },
    ],
    rows,
    width,
    c,
  ).text;
}

function overdueTable(r: AuditReport, layout: TableLayout, table: TableFn): string {
  if (r.overdue.length === 0) return 'Overdue: none.';
  const { shown, more } = firstOf(r.overdue, layout, 'overdue');
  const rows: Cell[][] = [];
  for (const o of results(r, r.overdue.subarray(0, shown)))
    rows.push([
      episodeLabel(o),
      o.familyId ?? '',
      formatDay(o.accommodatedOn),
      formatDay(o.deadline),
      layout.colour.red(String(o.daysOverdue)),
    ]);
  const t = table(
    [
      { head: 'Child', keep: true },
      { head: 'Family' },
      { head: 'Accommodated' },
      { head: 'Deadline' },
      { head: 'Days overdue' },
    ],
    rows,
  );
  return `Overdue: ${count(r.overdue.length)}, most overdue first\n${t}${more}`;
}

function childrenTable(r: AuditReport, layout: TableLayout, table: TableFn): string {
  const { shown, more } = firstOf(r.cohort, layout, 'children');
  const rows: Cell[][] = [];
  for (const o of results(r, r.cohort.subarray(0, shown)))
    rows.push([
      episodeLabel(o),
      o.familyId ?? '',
      o.ageAtAccommodation,
      formatDay(o.accommodatedOn),
      formatDay(o.deadline),
      formatDayOrNull(o.decisionOn) ?? '',
      routeName(o.route) ?? '',
      o.lagDays,
      o.status,
    ]);
  // Age and deadline give way first on a narrow terminal: CSV and JSON hold them.
  const columns: Column[] = [
    { head: 'Child', keep: true },
    { head: 'Family' },
    { head: 'Age', optional: true },
    { head: 'Accommodated' },
    { head: 'Deadline', optional: true },
    { head: 'Decision' },
    { head: 'Route' },
    { head: 'Lag (days)' },
    { head: 'Status' },
  ];
  return `Children: ${count(r.cohort.length)}\n${table(columns, rows)}${more}`;
}

const STAGE_LABEL = Object.fromEntries(STAGES.map((s) => [s.key, s.label]));
const days = (n: number | null) => (n === null ? '' : String(n));

function dueSoonTable(r: AuditReport, layout: TableLayout, table: TableFn): string {
  const within = r.parameters.dueWithin.text;
  if (r.dueSoon.length === 0) return `Due soon (within ${within}): none.`;
  const { shown, more } = firstOf(r.dueSoon, layout, 'due-soon');
  const rows = r.dueSoon
    .slice(0, shown)
    .map((d) => [
      episodeLabel(d),
      d.familyId ?? '',
      STAGE_LABEL[d.stage],
      formatDay(d.deadline),
      layout.colour.yellow(String(d.daysLeft)),
    ]);
  const t = table(
    [{ head: 'Child', keep: true }, { head: 'Family' }, { head: 'Stage' }, { head: 'Deadline' }, { head: 'Days left' }],
    rows,
  );
  return `Due soon (deadline within ${within}): ${count(r.dueSoon.length)}, soonest first\n${t}${more}`;
}

function stagesTable(r: AuditReport, table: TableFn): string {
  const rows = r.stages.map((s) => [
    s.label,
    s.fromLabel,
    s.target ?? 'none',
    s.target ? `${s.reachedWithin} / ${s.reachedLate}` : `${s.reached} reached`,
    s.target ? `${s.waitingWithin} / ${s.waitingOverdue}` : `${s.waitingWithin} waiting`,
    days(s.median),
    days(s.p90),
    days(s.max),
  ]);
  const columns: Column[] = [
    { head: 'Stage', wrap: true },
    { head: 'From', wrap: true },
    ...['Target', 'Reached within / late', 'Waiting within / overdue', 'Median days', 'p90 days'].map((h) => ({
      head: h,
    })),
    { head: 'Longest', optional: true },
  ];
  return `Stages (lags of stages reached; percentiles by nearest rank)\n${table(columns, rows)}`;
}

function driftTable(r: AuditReport, table: TableFn): string {
  const rows: Cell[][] = [];
  for (const d of r.drift) {
    rows.push([d.fromLabel, d.toLabel, 'all', d.count, days(d.median), days(d.p90)]);
    for (const [route, st] of Object.entries(d.byRoute))
      rows.push(['', '', route, st.count, days(st.median), days(st.p90)]);
  }
  const columns: Column[] = [
    { head: 'From', wrap: true },
    { head: 'To', wrap: true },
    ...['Route', 'Count', 'Median days', 'p90 days'].map((h) => ({ head: h })),
  ];
  return `Drift between stages, longest waits first\n${table(columns, rows)}`;
}

function routesTable(r: AuditReport, table: TableFn): string {
  const rows = r.routes.map((x) => [x.label, x.decisions, pct(x.share), days(x.lag.median), days(x.lag.p90)]);
  return `Decisions by route\n${table(
    ['Route', 'Decisions', 'Share', 'Median lag', 'p90 lag'].map((h) => ({ head: h })),
    rows,
  )}`;
}

function familiesTable(r: AuditReport, layout: TableLayout, table: TableFn): string {
  const f = r.families;
  const head = wrapText(
    `Sibling groups: ${count(f.siblingGroups)}, of which ${count(f.groupsOfMoreThanOne)} with more than one child in the cohort; re-entries: ${count(r.reentries)}`,
    layout.width,
  );
  if (f.groups.length === 0) return head;
  const title = wrapText('Sibling groups of more than one child, widest span between decisions first', layout.width);
  const { shown, more } = firstOf(f.groups, layout, 'families');
  const rows = f.groups
    .slice(0, shown)
    .map((g) => [
      g.familyId,
      g.children,
      g.decided,
      formatDayOrNull(g.firstDecisionOn) ?? '',
      formatDayOrNull(g.lastDecisionOn) ?? '',
      days(g.spanDays),
    ]);
  const t = table(
    [
      { head: 'Family', keep: true },
      ...['Children', 'Decided', 'First decision', 'Last decision', 'Span (days)'].map((h) => ({ head: h })),
    ],
    rows,
  );
  return `${head}\n\n${title}\n${t}${more}`;
}

const episodeLabel = (o: { childId: string; episode: number }) =>
  o.episode > 1 ? `${o.childId} (episode ${o.episode})` : o.childId;
