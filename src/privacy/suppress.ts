/**
 * --suppress-below <n>: aggregate reports that can be shared outside the children's services
 * team. Primary suppression hides every count from 1 to n-1 (0 stays: it discloses nobody).
 * Secondary suppression then hides more cells until no published total has exactly one hidden
 * member, so no hidden cell can be worked back by subtraction: for each such total (a sum and
 * its parts), the smallest non-zero visible part is hidden too (the total itself only when no
 * part is left). Percentages, medians, p90s and maxima computed from a hidden count are hidden
 * with it. A small count shows as "<n"; every other hidden cell as "[c]". Last, no hidden cell
 * may be pinned down by its bounds (see `suppress`). The rule is in the README ("Sharing outside
 * the team").
 */
import { fitTable, wrapText } from '../report/table.js';
import { formatDay, formatDayOrNull } from '../dates/days.js';
import { usageError } from '../errors.js';
import { type AuditReport } from '../commands/audit/audit.js';
import { type ReportName } from '../commands/audit/reports.js';
import { type Format } from '../commands/common.js';
import { csvText } from '../report/cells.js';
import { SCHEMA_VERSION, TOOL } from '../report/json.js';
import { accountingLine } from '../report/accounting.js';
import { SUMMARY_COUNTS } from '../measures/decision.js';

const SUPPRESSIBLE_REPORTS: readonly ReportName[] = ['summary', 'stages', 'routes'];

export function checkSuppressible(
  format: Format | 'html',
  report: ReportName | undefined,
  out: boolean,
): asserts format is Format {
  if (format === 'html')
    throw usageError(
      'INVALID_OPTION',
      '--suppress-below writes table, json, ndjson or csv: the HTML report lists children',
    );
  if (out)
    throw usageError('INVALID_OPTION', '--suppress-below cannot be used with --out: the pack holds a row per child');
  if (report !== undefined && !SUPPRESSIBLE_REPORTS.includes(report))
    throw usageError(
      'INVALID_OPTION',
      `--suppress-below writes aggregate reports only (${SUPPRESSIBLE_REPORTS.join(', ')}); --report ${report} lists children or families`,
    );
  if (format === 'csv' && report === undefined)
    throw usageError(
      'INVALID_OPTION',
      `--format csv writes one table: use --report ${SUPPRESSIBLE_REPORTS.join(', ')}`,
    );
}

/** A set of counts where total = sum of parts; `total` may be absent (not published). */
export interface Relation {
  total?: string;
  parts: string[];
}

/** The cells to hide: primary (1..n-1), then secondary until no relation has exactly one hidden member. */
export function suppressedCells(values: Map<string, number>, relations: Relation[], n: number): Set<string> {
  const hidden = new Set<string>();
  for (const [k, v] of values) if (v >= 1 && v < n) hidden.add(k);
  for (let changed = true; changed; ) {
    changed = false;
    for (const rel of relations) {
      const members = rel.total === undefined ? rel.parts : [rel.total, ...rel.parts];
      if (members.filter((m) => hidden.has(m)).length !== 1) continue;
      // Only a published total lets a lone hidden part be worked back.
      if (rel.total === undefined) continue;
      const visible = rel.parts
        .filter((p) => !hidden.has(p))
        .sort((a, b) => rank(values.get(a)!) - rank(values.get(b)!));
      hidden.add(visible[0] ?? rel.total);
      changed = true;
    }
  }
  return hidden;
}

// Prefer the smallest non-zero part: hiding a zero next to a small count protects it less.
const rank = (v: number) => (v === 0 ? Number.MAX_SAFE_INTEGER : v);

/**
 * The cells to hide, and among the small ones those to show as "[c]" rather than "<n" (`weak`).
 * After `suppressedCells`, no hidden cell may be pinned down by its bounds either: a "<n" cell is
 * at least 1 and at most n-1, so `decided` "<3" made of two "<3" parts is 1 + 1 = 2. While one is,
 * its own "<n" becomes "[c]" (no bound but 0); a "[c]" cell pinned gets another cell of its sums
 * hidden (the smallest non-zero shown part, else the total), or a "<n" one there turned "[c]".
 */
function suppress(
  values: Map<string, number>,
  relations: Relation[],
  n: number,
): { hidden: Set<string>; weak: Set<string> } {
  const hidden = suppressedCells(values, relations, n);
  const weak = new Set<string>();
  const small = (k: string) => values.get(k)! >= 1 && values.get(k)! < n && !weak.has(k);
  const membersOf = (r: Relation) => (r.total === undefined ? r.parts : [...r.parts, r.total]);
  // Each step hides a cell or weakens one, so this ends.
  for (let step = 0; step <= 2 * values.size; step++) {
    const k = pinned(values, relations, n, hidden, weak)[0];
    if (k === undefined) break;
    if (small(k)) {
      weak.add(k);
      continue;
    }
    const around = relations.filter((r) => membersOf(r).includes(k)).flatMap(membersOf);
    const shown = [...new Set(around)].filter((m) => !hidden.has(m));
    const isTotal = (m: string) => relations.some((r) => r.total === m && membersOf(r).includes(k));
    shown.sort((a, b) => Number(isTotal(a)) - Number(isTotal(b)) || rank(values.get(a)!) - rank(values.get(b)!));
    if (shown.length) hidden.add(shown[0]);
    else {
      const strong = around.find((m) => hidden.has(m) && small(m));
      if (strong === undefined) break;
      weak.add(strong);
    }
  }
  return { hidden, weak };
}

/**
 * The hidden cells whose value follows from what is shown: bounds (a shown cell exactly its
 * value, a "<n" one 1 to n-1, a "[c]" one 0 and up) narrowed through every published sum until
 * they settle; a cell left with one possible value is pinned.
 */
function pinned(
  values: Map<string, number>,
  relations: Relation[],
  n: number,
  hidden: Set<string>,
  weak: Set<string>,
): string[] {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const [k, v] of values) {
    const [l, h] = !hidden.has(k) ? [v, v] : v >= 1 && v < n && !weak.has(k) ? [1, n - 1] : [0, Infinity];
    lo.set(k, l);
    hi.set(k, h);
  }
  const narrow = (k: string, l: number, h: number): boolean => {
    let changed = false;
    if (l > lo.get(k)!) {
      lo.set(k, l);
      changed = true;
    }
    if (h < hi.get(k)!) {
      hi.set(k, h);
      changed = true;
    }
    return changed;
  };
  const sum = (keys: string[], of: Map<string, number>) => keys.reduce((s, k) => s + of.get(k)!, 0);
  // Bounds only ever narrow, and the true values always fit them, so this settles.
  for (let changed = true, round = 0; changed && round < 1000; round++) {
    changed = false;
    for (const r of relations) {
      if (r.total === undefined) continue;
      changed = narrow(r.total, sum(r.parts, lo), sum(r.parts, hi)) || changed;
      for (const p of r.parts) {
        const others = r.parts.filter((q) => q !== p);
        changed = narrow(p, lo.get(r.total)! - sum(others, hi), hi.get(r.total)! - sum(others, lo)) || changed;
      }
    }
  }
  return [...values.keys()].filter((k) => hidden.has(k) && lo.get(k) === hi.get(k));
}

type Cell = number | string | boolean | null;

/** A cell hidden though not itself a small count (secondary suppression, or computed from one). */
const CONFIDENTIAL = '[c]';

/** The audit's aggregate figures with the suppression applied: hidden cells are the string "<n". */
function suppressedFigures(r: AuditReport, n: number) {
  const s = { ...r.summary, reentries: r.reentries };
  const values = new Map<string, number>();
  const put = (k: string, v: number) => values.set(k, v);
  for (const k of [...SUMMARY_COUNTS, 'reentries'] as const) put(`summary.${k}`, s[k]);
  for (const x of r.routes) put(`routes.${x.route}.decisions`, x.decisions);
  for (const st of r.stages)
    for (const k of ['count', 'reachedWithin', 'reachedLate', 'reached', 'waitingWithin', 'waitingOverdue'] as const)
      put(`stages.${st.stage}.${k}`, st[k]);
  const relations: Relation[] = [
    { total: 'summary.decided', parts: ['summary.decidedWithinTarget', 'summary.decidedLate'] },
    {
      total: 'summary.episodes',
      parts: ['summary.decided', 'summary.overdue', 'summary.inProgress', 'summary.leftCare'],
    },
    { total: 'summary.decided', parts: r.routes.map((x) => `routes.${x.route}.decisions`) },
    ...r.stages.flatMap((st) => {
      const k = (f: string) => `stages.${st.stage}.${f}`;
      // A stage's count is of the lags of the episodes that reached it: the same number.
      const same: Relation[] = [{ total: k('count'), parts: [k('reached')] }];
      // A stage without a target is reached neither within nor late.
      return st.target === null
        ? same
        : [...same, { total: k('reached'), parts: [k('reachedWithin'), k('reachedLate')] }];
    }),
    // The decision stage is the summary under other names: a cell hidden in one is hidden in the
    // other (a one-part sum is an equality), or the summary's hidden cells could be read there.
    ...(
      [
        ['decided', 'reached'],
        ['decidedWithinTarget', 'reachedWithin'],
        ['decidedLate', 'reachedLate'],
        ['inProgress', 'waitingWithin'],
        ['overdue', 'waitingOverdue'],
      ] as const
    ).map(([summary, stage]) => ({ total: `summary.${summary}`, parts: [`stages.decision.${stage}`] })),
  ];
  const { hidden, weak } = suppress(values, relations, n);
  // "<n" only where it is true: a count hidden to protect another, or a figure computed from a
  // hidden count, may be 20 or 80%, and "<5" there would be read as a fact.
  const cell = (k: string): Cell => {
    const v = values.get(k)!;
    return !hidden.has(k) ? v : v >= 1 && v < n && !weak.has(k) ? `<${n}` : CONFIDENTIAL;
  };
  const unless = (keys: string[], v: Cell): Cell => (keys.some((k) => hidden.has(k)) ? CONFIDENTIAL : v);
  const pctWithin = unless(
    ['summary.decidedWithinTarget', 'summary.decided', 'summary.overdue'],
    s.percentWithinTarget,
  );
  const summary = {
    episodes: cell('summary.episodes'),
    children: cell('summary.children'),
    families: cell('summary.families'),
    decided: cell('summary.decided'),
    decidedWithinTarget: cell('summary.decidedWithinTarget'),
    decidedLate: cell('summary.decidedLate'),
    overdue: cell('summary.overdue'),
    inProgress: cell('summary.inProgress'),
    leftCare: cell('summary.leftCare'),
    percentOfDecidedWithinTarget: unless(
      ['summary.decidedWithinTarget', 'summary.decided'],
      s.percentOfDecidedWithinTarget,
    ),
    percentWithinTarget: pctWithin,
    aim: s.aim,
    aimMet: pctWithin === CONFIDENTIAL ? CONFIDENTIAL : s.aimMet,
    reentries: cell('summary.reentries'),
  };
  const stages = r.stages.map((st) => {
    const k = (f: string) => `stages.${st.stage}.${f}`;
    const stats = (v: number | null) => unless([k('count')], v);
    return {
      stage: st.stage,
      label: st.label,
      from: st.from,
      fromLabel: st.fromLabel,
      target: st.target,
      reachedWithin: cell(k('reachedWithin')),
      reachedLate: cell(k('reachedLate')),
      reached: cell(k('reached')),
      waitingWithin: cell(k('waitingWithin')),
      waitingOverdue: cell(k('waitingOverdue')),
      count: cell(k('count')),
      median: stats(st.median),
      p90: stats(st.p90),
      max: stats(st.max),
    };
  });
  const routes = r.routes.map((x) => {
    const k = `routes.${x.route}.decisions`;
    return {
      route: x.route,
      label: x.label,
      decisions: cell(k),
      share: unless([k], x.share),
      median: unless([k], x.lag.median),
      p90: unless([k], x.lag.p90),
      max: unless([k], x.lag.max),
    };
  });
  return { summary, stages, routes };
}

const csvRows = (rows: Record<string, Cell>[]) => csvText([Object.keys(rows[0] ?? {}), ...rows.map(Object.values)]);

/** `width`: how wide a table may be (tables fit the terminal, as every other report's do). */
export function* renderSuppressed(
  r: AuditReport,
  format: Format,
  report: ReportName | undefined,
  n: number,
  width = 80,
): Generator<string> {
  const f = suppressedFigures(r, n);
  const p = r.parameters;
  const acc = r.accounting;
  const run = {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    parameters: {
      asOf: formatDay(p.asOf),
      from: formatDayOrNull(p.from),
      to: formatDayOrNull(p.to),
      maxAge: p.maxAge,
      target: p.target.text,
      aim: p.aim,
      suppressBelow: n,
    },
    input: { rowsRead: acc.rowsRead, rowsAccepted: acc.rowsAccepted, rowsRejected: acc.rowsRejected },
  };
  const want = (name: ReportName) => report === undefined || report === name;
  if (format === 'json') {
    const doc: Record<string, unknown> = { ...run };
    if (want('summary')) doc.summary = f.summary;
    if (want('stages')) doc.stages = f.stages;
    if (want('routes')) doc.routes = f.routes;
    yield JSON.stringify(doc, null, 2) + '\n';
  } else if (format === 'ndjson') {
    yield JSON.stringify({ type: 'run', ...run }) + '\n';
    if (want('summary')) yield JSON.stringify({ type: 'summary', ...f.summary }) + '\n';
    if (want('stages')) for (const st of f.stages) yield JSON.stringify({ type: 'stage', ...st }) + '\n';
    if (want('routes')) for (const x of f.routes) yield JSON.stringify({ type: 'route', ...x }) + '\n';
  } else if (format === 'csv') {
    if (report === 'summary') yield csvText([['field', 'value'], ...Object.entries(f.summary)]);
    else if (report === 'stages') yield csvRows(f.stages);
    else yield csvRows(f.routes);
  } else {
    const parts = [
      wrapText(
        `Suppressed: counts under ${n} show as <${n}; [c] hides others so that none can be worked back, and the figures computed from hidden counts (as of ${run.parameters.asOf})`,
        width,
      ),
    ];
    const show = (v: Cell) => (v === null ? '' : String(v));
    let cut = false;
    const table = (heads: string[], rows: string[][]) => {
      const t = fitTable(
        heads.map((head, i) => ({ head, keep: i === 0 })),
        rows,
        width,
      );
      cut ||= t.cut;
      parts.push(t.text);
    };
    if (want('summary'))
      table(
        ['Figure', 'Value'],
        Object.entries(f.summary).map(([k, v]) => [k, show(v)]),
      );
    if (want('stages'))
      table(
        ['Stage', 'Target', 'Reached within / late', 'Reached', 'Waiting within / overdue', 'Median', 'p90', 'Longest'],
        f.stages.map((st) => [
          st.label,
          st.target ?? 'none',
          `${show(st.reachedWithin)} / ${show(st.reachedLate)}`,
          show(st.reached),
          `${show(st.waitingWithin)} / ${show(st.waitingOverdue)}`,
          show(st.median),
          show(st.p90),
          show(st.max),
        ]),
      );
    if (want('routes'))
      table(
        ['Route', 'Decisions', 'Share', 'Median lag', 'p90 lag'],
        f.routes.map((x) => [x.label, show(x.decisions), show(x.share), show(x.median), show(x.p90)]),
      );
    if (cut)
      parts.push(
        wrapText('Cells ending in … are cut to fit the terminal; --format csv or json holds them whole.', width),
      );
    parts.push(wrapText(accountingLine(acc), width));
    yield parts.join('\n\n') + '\n';
  }
}
