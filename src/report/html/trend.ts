/** `trend --format html`: the run chart, its signals named, and each period's figures. */
import { formatDay } from '../../dates/days.js';
import { SIGNAL_LABELS } from '../../measures/run-chart.js';
import { RULE_LABELS, signalsByPoint, type TrendInput, WHOLE_SERIES } from '../../commands/trend/render.js';
import { legendHtml, periodLabel, runChartSvg } from './chart.js';
import { esc, page, pct, table } from './page.js';
import {
  dataQualitySection,
  dueSoonSection,
  overdueSection,
  parameterRows,
  stagesSection,
  summarySection,
} from './sections.js';

const TAG: Record<string, string> = {
  shift: 'bad',
  long_run: 'bad',
  trend: 'warn',
  too_few_runs: 'bad',
  too_many_runs: 'bad',
  few_crossings: 'bad',
  small_number: 'warn',
};
const SHORT: Record<string, string> = {
  shift: 'shift',
  long_run: 'long run',
  trend: 'trend',
  too_few_runs: 'too few runs',
  too_many_runs: 'too many runs',
  few_crossings: 'few crossings',
  small_number: 'small number',
};

export function renderTrendHtml(t: TrendInput): string {
  const r = t.report;
  const m = r.options.measure;
  const p = r.options.params;
  const chart = r.runChart;
  const first = formatDay(r.points[0].asOf);
  const lastPoint = r.points[r.points.length - 1];
  const last = formatDay(lastPoint.asOf);
  const flags = signalsByPoint(chart, r.points.length);
  const values = r.points.map((pt) => m.of(pt).value);
  const fmt = (v: number | null) => (v === null ? 'n/a' : m.unit === '%' ? pct(v) : `${v} days`);

  const real = chart.signals.filter((s) => s.rule !== 'small_number');
  const verdict =
    chart.median === null
      ? 'No values to chart yet.'
      : real.length === 0
        ? 'No signal: the variation looks random, with no evidence of a change.'
        : `${real.length} signal${real.length === 1 ? '' : 's'} of non-random variation: ${real.map((s) => SHORT[s.rule] + (s.direction ? ` (${s.direction})` : '')).join(', ')}.`;
  const signalItems = chart.signals.map((s) => {
    const where = WHOLE_SERIES.includes(s.rule)
      ? `over all ${s.points.length} points off the median`
      : `${s.points.length} point${s.points.length === 1 ? '' : 's'}: ${s.points.map((i) => formatDay(r.points[i].asOf)).join(', ')}`;
    return `<li><span class="tag ${TAG[s.rule]}">${esc(SHORT[s.rule])}</span> <strong>${esc(SIGNAL_LABELS[s.rule])}</strong>${s.direction ? ` (${esc(s.direction)})` : ''}, ${esc(where)}.</li>`;
  });
  const runsLine =
    chart.rules === 'ihi'
      ? chart.runs === null
        ? ''
        : `Runs: ${chart.runs} over ${chart.usefulObservations} points off the median${chart.runsLimits ? `; between ${chart.runsLimits.min} and ${chart.runsLimits.max} expected by chance` : `; ${chart.runsNote}`}.`
      : chart.longestRun === null
        ? ''
        : `Longest run: ${chart.longestRun} (more than ${chart.longestRunMax} is a signal); crossings: ${chart.crossings} (fewer than ${chart.crossingsMin} is a signal).`;

  const desc = `Run chart of ${m.label.toLowerCase()} at each ${t.every} end from ${first} to ${last}: ${values.map((v, i) => `${formatDay(r.points[i].asOf)} ${fmt(v)}`).join('; ')}. Median ${fmt(chart.median)}${m.key === 'within-target' ? `, aim ${p.aim}%` : ''}. ${verdict}`;
  const svg = runChartSvg({
    id: 'run-chart',
    title: `${m.label}, ${t.every} by ${t.every}`,
    desc,
    points: r.points.map((pt, i) => ({ day: pt.asOf, value: values[i], flags: flags[i] })),
    median: chart.median,
    // The aim is the decision measure's; a stage's percentage has none.
    aim: m.key === 'within-target' ? p.aim : null,
    unit: m.unit,
    monthly: t.every !== 'week',
  });

  const rows = r.points.map((pt, i) => {
    const s = pt.summary;
    return [
      esc(formatDay(pt.asOf)),
      esc(s.children),
      esc(s.decidedWithinTarget),
      esc(s.decidedLate),
      esc(s.overdue),
      esc(s.inProgress),
      esc(fmt(values[i])),
      s.percentWithinTarget === null
        ? '<span class="note">n/a</span>'
        : s.aimMet
          ? '<span class="tag good">met</span>'
          : '<span class="tag bad">not met</span>',
      flags[i].map((f) => `<span class="tag ${TAG[f]}">${esc(SHORT[f])}</span>`).join(' '),
    ];
  });

  return page({
    title: `Permanence decisions, ${t.every} by ${t.every}: ${periodLabel(r.points[0].asOf, t.every !== 'week')} to ${periodLabel(lastPoint.asOf, t.every !== 'week')}`,
    subtitle: `${m.label}, judged by run-chart rules rather than any one ${t.every}'s figure.`,
    parameters: [
      [
        'Points',
        `each ${t.every} end from ${first} to ${last} (${r.points.length}); each uses only events dated on or before it`,
      ],
      ...parameterRows(p, 'each point').map(([k, v]): [string, string] =>
        k === 'Cohort' && r.options.window
          ? [
              k,
              `accommodated within the ${r.options.window.text} up to and including each point${v.includes('accommodated on any date') ? '' : ` (and ${v})`}`,
            ]
          : [k, v],
      ),
      [
        'Chart',
        `${m.label}; centre line the median of the first ${chart.baselinePoints} point${chart.baselinePoints === 1 ? '' : 's'}`,
      ],
      ['Rules', RULE_LABELS[chart.rules]],
    ],
    body: [
      summarySection(lastPoint.summary, `Latest: as of ${last}`),
      `<section><h2>Run chart</h2><p><strong>${esc(verdict)}</strong></p>
<figure class="chart">${svg}<figcaption>${esc(m.label)} at each ${esc(t.every)} end. Points carry their values; hover for the figure.</figcaption></figure>
${legendHtml(m.key === 'within-target')}
<h3>Signals</h3>${signalItems.length ? `<ul class="signals">${signalItems.join('')}</ul>` : '<p class="none">None.</p>'}
<p class="note">${esc(runsLine)} Astronomical points are a matter of judgement and are not detected.</p></section>`,
      `<section class="list"><h2>Each ${esc(t.every)}</h2>${table({
        caption: 'The figures mean what they mean in the audit of that day. Rows with a signal are shaded and tagged.',
        head: [
          'As of',
          'Children',
          'Decided within',
          'Decided late',
          'Overdue',
          'In progress',
          m.unit === '%' ? 'Measure (%)' : 'Measure (days)',
          'Aim',
          'Signals',
        ],
        rows,
        numeric: [1, 2, 3, 4, 5, 6],
        rowHeader: true,
        rowClass: (i) => (flags[i].some((f) => f !== 'small_number') ? 'flagged' : ''),
      })}</section>`,
      overdueSection(r.latest.overdue, last),
      dueSoonSection(r.latest.dueSoon, p.dueWithin.text),
      stagesSection(lastPoint.stages, `Stages of the journey as of ${last}`),
      dataQualitySection(r.source, r.accounting, r.findings, `the last point (${last})`),
    ],
  });
}
