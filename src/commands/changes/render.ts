/** Turns Changes into JSON, CSV or tables. */
import { type Cell, fitTable, wrapText } from '../../report/table.js';
import { type ChalkInstance } from 'chalk';
import { formatDay, formatDayOrNull } from '../../dates/days.js';
import { type ChildResult } from '../../measures/decision.js';
import { type DueSoon } from '../../measures/journey.js';
import { STAGES } from '../../measures/stages.js';
import { routeName } from '../../model.js';
import { accountingLine } from '../../report/accounting.js';
import { csvText } from '../../report/cells.js';
import { inputJson, TOOL } from '../../report/json.js';
import { type ShownFinding } from '../../validate/findings.js';
import { type Changes } from './index.js';

/** changes' own JSON contract: add fields, never rename or remove them without a new version. */
const CHANGES_SCHEMA_VERSION = 1;

const child = (c: ChildResult) => ({
  childId: c.childId,
  episode: c.episode,
  familyId: c.familyId,
  accommodatedOn: formatDay(c.accommodatedOn),
  deadline: formatDay(c.deadline),
  decisionOn: formatDayOrNull(c.decisionOn),
  leftCareOn: formatDayOrNull(c.source.end),
  status: c.status,
  route: routeName(c.route),
  lagDays: c.lagDays,
  daysOverdue: c.daysOverdue,
});
const STAGE_LABEL = Object.fromEntries(STAGES.map((s) => [s.key, s.label]));
const due = (d: DueSoon) => ({
  childId: d.childId,
  episode: d.episode,
  familyId: d.familyId,
  stage: d.stage,
  stageLabel: STAGE_LABEL[d.stage],
  deadline: formatDay(d.deadline),
  daysLeft: d.daysLeft,
});
const finding = (f: ShownFinding) => ({
  code: f.code,
  severity: f.severity,
  line: f.line,
  column: f.column,
  childId: f.childId,
  message: f.message,
});

function changesJson(c: Changes) {
  const p = c.params;
  return {
    schemaVersion: CHANGES_SCHEMA_VERSION,
    report: 'changes',
    tool: TOOL,
    parameters: {
      since: formatDay(c.since),
      asOf: formatDay(p.asOf),
      from: formatDayOrNull(p.from),
      to: formatDayOrNull(p.to),
      maxAge: p.maxAge,
      target: p.target.text,
      aim: p.aim,
      comingDays: c.comingDays,
    },
    input: inputJson(c.source, c.accounting, c.findings),
    since: formatDay(c.since),
    asOf: formatDay(p.asOf),
    counts: {
      becameOverdue: c.becameOverdue.length,
      decided: c.decided.length,
      accommodated: c.accommodated.length,
      leftCare: c.leftCare.length,
      dueSoon: c.dueSoon.length,
      newFindings: c.newFindings.length,
    },
    becameOverdue: c.becameOverdue.map(child),
    decided: c.decided.map(child),
    accommodated: c.accommodated.map(child),
    leftCare: c.leftCare.map(child),
    dueSoon: c.dueSoon.map(due),
    newFindings: c.newFindings.map(finding),
  };
}

export function* renderChangesJson(c: Changes): Generator<string> {
  yield JSON.stringify(changesJson(c), null, 2) + '\n';
}

const CSV_HEAD = [
  'list',
  'childId',
  'episode',
  'familyId',
  'accommodatedOn',
  'deadline',
  'decisionOn',
  'leftCareOn',
  'status',
  'daysOverdue',
  'stage',
  'daysLeft',
  'code',
  'line',
];

/** One table: a `list` column says which list each row is on. */
export function* renderChangesCsv(c: Changes): Generator<string> {
  const rows: unknown[][] = [CSV_HEAD];
  const j = changesJson(c);
  for (const list of ['becameOverdue', 'decided', 'accommodated', 'leftCare'] as const)
    for (const e of j[list])
      rows.push([
        list,
        e.childId,
        e.episode,
        e.familyId ?? '',
        e.accommodatedOn,
        e.deadline,
        e.decisionOn ?? '',
        e.leftCareOn ?? '',
        e.status,
        e.daysOverdue ?? '',
        '',
        '',
        '',
        '',
      ]);
  for (const d of j.dueSoon)
    rows.push([
      'dueSoon',
      d.childId,
      d.episode,
      d.familyId ?? '',
      '',
      d.deadline,
      '',
      '',
      '',
      '',
      d.stage,
      d.daysLeft,
      '',
      '',
    ]);
  for (const f of j.newFindings)
    rows.push(['newFindings', f.childId ?? '', '', '', '', '', '', '', '', '', '', '', f.code, f.line ?? '']);
  yield csvText(rows);
}

const label = (o: { childId: string; episode: number }) =>
  o.episode > 1 ? `${o.childId} (episode ${o.episode})` : o.childId;

/** `width`: the terminal's (see report/table.ts); every list fits it, the child id cut last. */
export function renderChangesTable(c: Changes, k: ChalkInstance, width: number): string {
  const since = formatDay(c.since);
  const asOf = formatDay(c.params.asOf);
  const parts: string[] = [
    wrapText(`${k.bold('Changes')} from ${since} to ${asOf} (after ${since}, up to and including ${asOf})`, width),
  ];
  const section = (title: string, head: string[], rows: Cell[][]) => {
    if (rows.length === 0) return parts.push(wrapText(`${title}: none.`, width));
    const t = fitTable(
      head.map((h, i) => ({ head: h, keep: i === 0 })),
      rows,
      width,
      k,
    );
    parts.push(`${title}: ${rows.length}\n${t.text}`);
  };
  section(
    'Became overdue',
    ['Child', 'Family', 'Accommodated', 'Deadline', 'Days overdue'],
    c.becameOverdue.map((o) => [
      label(o),
      o.familyId ?? '',
      formatDay(o.accommodatedOn),
      formatDay(o.deadline),
      k.red(String(o.daysOverdue)),
    ]),
  );
  section(
    'Decided',
    ['Child', 'Family', 'Decision', 'Deadline', 'Within target?', 'Route'],
    c.decided.map((o) => [
      label(o),
      o.familyId ?? '',
      formatDay(o.decisionOn),
      formatDay(o.deadline),
      o.status === 'within' ? k.green('within') : k.red('late'),
      routeName(o.route) ?? '',
    ]),
  );
  section(
    'Newly accommodated',
    ['Child', 'Family', 'Accommodated', 'Decision deadline'],
    c.accommodated.map((o) => [label(o), o.familyId ?? '', formatDay(o.accommodatedOn), formatDay(o.deadline)]),
  );
  section(
    'Left care',
    ['Child', 'Family', 'Left care', 'Decision'],
    c.leftCare.map((o) => [
      label(o),
      o.familyId ?? '',
      formatDay(o.source.end),
      formatDayOrNull(o.decisionOn) ?? 'none',
    ]),
  );
  section(
    `Due in the coming ${c.comingDays} days`,
    ['Child', 'Family', 'Stage', 'Deadline', 'Days left'],
    c.dueSoon.map((d) => [
      label(d),
      d.familyId ?? '',
      STAGE_LABEL[d.stage],
      formatDay(d.deadline),
      k.yellow(String(d.daysLeft)),
    ]),
  );
  section(
    'New findings',
    ['Code', 'Line', 'Column', 'Child'],
    c.newFindings.map((f) => [f.code, f.line ?? '', f.column ?? '', f.childId ?? '']),
  );
  parts.push(wrapText(accountingLine(c.accounting), width));
  return parts.join('\n\n') + '\n';
}
