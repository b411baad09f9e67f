/** Turns a TrendReport into JSON, CSV or a table with a small chart. */
import { type ChalkInstance } from 'chalk';
import { type Cell, type Column, fitTable, wrapText } from '../../report/table.js';
import { type Day, formatDay, formatDayOrNull } from '../../dates/days.js';
import { type Period } from '../../dates/periods.js';
import { type RuleSet, type RunChart, SIGNAL_LABELS, type SignalRule } from '../../measures/run-chart.js';
import { STAGES, stageTargetText } from '../../measures/stages.js';
import { accountingLine } from '../../report/accounting.js';
import { csvText } from '../../report/cells.js';
import { inputJson, TOOL } from '../../report/json.js';
import { stagePercent, type TrendPoint, type TrendReport } from './index.js';
import { SUMMARY_FIELDS } from '../../measures/decision.js';

/** A point's CSV columns before the run chart's: its date, its cohort start, then audit's summary fields. */
const POINT_FIELDS = ['asOf', 'cohortFrom', ...SUMMARY_FIELDS] as const;

/** trend's own JSON contract: add fields, never rename or remove them without a new version. */
const TREND_SCHEMA_VERSION = 1;

export interface TrendInput {
  report: TrendReport;
  every: Period;
  start: Day;
  end: Day;
  /** The config file used, or null (as audit's `parameters.config`). */
  config?: string | null;
}

export const RULE_LABELS: Record<RuleSet, string> = {
  ihi: 'IHI run-chart rules (Perla, Provost & Murray 2011): shift, trend, runs',
  anhoej: 'Anhøj rules (Anhøj & Olesen 2014): unusually long runs, unusually few crossings',
};

function trendParametersJson(t: TrendInput) {
  const o = t.report.options;
  const p = o.params;
  return {
    start: formatDay(t.start),
    end: formatDay(t.end),
    every: t.every,
    from: formatDayOrNull(p.from),
    to: formatDayOrNull(p.to),
    window: o.window?.text ?? null,
    maxAge: p.maxAge,
    target: p.target.text,
    aim: p.aim,
    stageTargets: Object.fromEntries(STAGES.map((s) => [s.key, stageTargetText(s.key, p.target, p.stageTargets)])),
    measure: o.measure.key,
    measureLabel: o.measure.label,
    rules: o.rules,
    rulesLabel: RULE_LABELS[o.rules],
    config: t.config ?? null,
  };
}

function pointJson(p: TrendPoint) {
  const s = p.summary;
  return {
    asOf: formatDay(p.asOf),
    cohortFrom: formatDayOrNull(p.from),
    episodes: s.episodes,
    children: s.children,
    families: s.families,
    decided: s.decided,
    decidedWithinTarget: s.decidedWithinTarget,
    decidedLate: s.decidedLate,
    overdue: s.overdue,
    inProgress: s.inProgress,
    leftCare: s.leftCare,
    percentOfDecidedWithinTarget: s.percentOfDecidedWithinTarget,
    percentWithinTarget: s.percentWithinTarget,
    aim: s.aim,
    aimMet: s.aimMet,
    stages: Object.fromEntries(
      p.stages.map((st) => [
        st.stage,
        {
          label: st.label,
          target: st.target,
          reachedWithin: st.reachedWithin,
          reachedLate: st.reachedLate,
          reached: st.reached,
          waitingWithin: st.waitingWithin,
          waitingOverdue: st.waitingOverdue,
          percentWithinTarget: stagePercent(st),
          count: st.count,
          median: st.median,
          p90: st.p90,
        },
      ]),
    ),
  };
}

function runChartJson(c: RunChart, points: readonly TrendPoint[], measure: { key: string; label: string }) {
  return {
    measure: measure.key,
    measureLabel: measure.label,
    rules: c.rules,
    rulesLabel: RULE_LABELS[c.rules],
    baselinePoints: c.baselinePoints,
    median: c.median,
    signals: c.signals.map((s) => ({
      rule: s.rule,
      label: SIGNAL_LABELS[s.rule],
      direction: s.direction,
      points: s.points.map((i) => formatDay(points[i].asOf)),
    })),
    runs: c.runs,
    usefulObservations: c.usefulObservations,
    runsLimits: c.runsLimits,
    runsNote: c.runsNote,
    longestRun: c.longestRun,
    longestRunMax: c.longestRunMax,
    crossings: c.crossings,
    crossingsMin: c.crossingsMin,
  };
}

function trendJson(t: TrendInput) {
  const r = t.report;
  return {
    schemaVersion: TREND_SCHEMA_VERSION,
    report: 'trend',
    tool: TOOL,
    parameters: trendParametersJson(t),
    input: inputJson(r.source, r.accounting, r.findings),
    points: r.points.map(pointJson),
    runChart: runChartJson(r.runChart, r.points, r.options.measure),
  };
}

export function* renderTrendJson(t: TrendInput): Generator<string> {
  yield JSON.stringify(trendJson(t), null, 2) + '\n';
}

/** The rules that flag each point, by index. */
export function signalsByPoint(c: RunChart, n: number): SignalRule[][] {
  const by: SignalRule[][] = Array.from({ length: n }, () => []);
  for (const s of c.signals) for (const i of s.points) if (!by[i].includes(s.rule)) by[i].push(s.rule);
  return by;
}

export function* renderTrendCsv(t: TrendInput): Generator<string> {
  const r = t.report;
  const flags = signalsByPoint(r.runChart, r.points.length);
  const head: string[] = [...POINT_FIELDS, 'measure', 'value', 'median', 'signals'];
  for (const s of STAGES) head.push(`${s.key}.percentWithinTarget`, `${s.key}.median`, `${s.key}.p90`);
  const rows: unknown[][] = [head];
  r.points.forEach((p, i) => {
    const j = pointJson(p);
    const row: unknown[] = [
      ...POINT_FIELDS.map((k) => j[k] ?? ''),
      r.options.measure.key,
      r.options.measure.of(p).value ?? '',
      r.runChart.median ?? '',
      flags[i].join(';'),
    ];
    for (const st of p.stages) row.push(stagePercent(st) ?? '', st.median ?? '', st.p90 ?? '');
    rows.push(row);
  });
  yield csvText(rows);
}

const BLOCKS = '▁▂▃▄▅▆▇█';
const ASCII = '_.-=+*#@';

/** One character per point, scaled between the series' least and greatest value; a gap for none. */
function sparkline(values: readonly (number | null)[], utf8: boolean): string {
  const chars = utf8 ? BLOCKS : ASCII;
  const known = values.filter((v): v is number => v !== null);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values
    .map((v) => (v === null ? ' ' : chars[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (chars.length - 1))]))
    .join('');
}

/** Rules about the whole series rather than some of its points. */
export const WHOLE_SERIES: readonly SignalRule[] = ['too_few_runs', 'too_many_runs', 'few_crossings'];

const SHORT: Record<SignalRule, string> = {
  shift: 'shift',
  trend: 'trend',
  too_few_runs: 'few runs',
  too_many_runs: 'many runs',
  long_run: 'long run',
  few_crossings: 'few crossings',
  small_number: 'small n',
};
const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const value = (v: number | null, unit: '%' | 'days') => (v === null ? 'n/a' : unit === '%' ? pct(v) : `${v} d`);

/** `width`: the terminal's (see report/table.ts); the points table fits it, the signals wrap. */
export function renderTrendTable(t: TrendInput, c: ChalkInstance, utf8: boolean, width: number): string {
  const r = t.report;
  const m = r.options.measure;
  const p = r.options.params;
  const chart = r.runChart;
  const flags = signalsByPoint(chart, r.points.length);
  const window = r.options.window
    ? `within the ${r.options.window.text} up to each point${Number.isNaN(p.from) ? '' : ` and from ${formatDay(p.from)}`}`
    : `${formatDayOrNull(p.from) ?? 'any date'} to ${formatDayOrNull(p.to) ?? 'each point'}`;
  const cohort = `accommodated ${window}${r.options.window && !Number.isNaN(p.to) ? ` to ${formatDay(p.to)}` : ''}, aged under ${p.maxAge}; target ${p.target.text}, aim ${p.aim}%`;
  const columns: Column[] = [
    { head: 'As of', keep: true },
    { head: 'Children' },
    { head: 'Decided within / late' },
    { head: 'Overdue' },
    { head: 'In progress' },
    { head: m.label.length > 24 ? 'Measure' : m.label },
    { head: 'Aim' },
    { head: 'Run-chart signals', wrap: true },
  ];
  const rows: Cell[][] = r.points.map((pt, i) => {
    const s = pt.summary;
    return [
      formatDay(pt.asOf),
      s.children,
      `${s.decidedWithinTarget} / ${s.decidedLate}`,
      s.overdue,
      s.inProgress,
      value(m.of(pt).value, m.unit),
      s.percentWithinTarget === null ? 'n/a' : s.aimMet ? c.green('met') : c.red('not met'),
      flags[i].map((f) => SHORT[f]).join(', '),
    ];
  });
  const table = fitTable(columns, rows, width, c);
  const values = r.points.map((pt) => m.of(pt).value);
  const lines = [
    `${c.bold('Trend')}: ${m.label}, every ${t.every} end from ${formatDay(r.points[0].asOf)} to ${formatDay(r.points[r.points.length - 1].asOf)}`,
    `Cohort: ${cohort}`,
    table.text,
    '',
    `Chart (${r.points.length} points, low to high ${utf8 ? '▁…█' : '_ … @'}): ${sparkline(values, utf8)}`,
    `Centre line: ${chart.median === null ? 'none (no values in the baseline)' : `${value(chart.median, m.unit)}, the median of the first ${chart.baselinePoints} point${chart.baselinePoints === 1 ? '' : 's'}`}`,
    `Rules: ${RULE_LABELS[chart.rules]}`,
  ];
  if (chart.rules === 'ihi') {
    if (chart.runs !== null)
      lines.push(
        `Runs: ${chart.runs} over ${chart.usefulObservations} useful observations${chart.runsLimits ? ` (expected ${chart.runsLimits.min} to ${chart.runsLimits.max})` : `; ${chart.runsNote}`}`,
      );
  } else if (chart.longestRun !== null)
    lines.push(
      `Longest run: ${chart.longestRun} (limit ${chart.longestRunMax}); crossings: ${chart.crossings} (at least ${chart.crossingsMin} expected)`,
    );
  const real = chart.signals.filter((s) => s.rule !== 'small_number');
  if (chart.median === null) lines.push('Signals: none; there are no values to chart.');
  else if (real.length === 0) lines.push('Signals: none; the variation looks random (no evidence of change).');
  for (const s of chart.signals) {
    const where = WHOLE_SERIES.includes(s.rule)
      ? `all ${s.points.length} points off the median`
      : s.points.map((i) => formatDay(r.points[i].asOf)).join(', ');
    lines.push(`  ${c.bold(SIGNAL_LABELS[s.rule])}${s.direction ? ` (${s.direction})` : ''}: ${where}`);
  }
  lines.push(accountingLine(r.accounting));
  // Prose wraps to the terminal like the table; the table's own lines already fit.
  return lines.map((l) => (l === table.text ? l : wrapText(l, width))).join('\n') + '\n';
}
