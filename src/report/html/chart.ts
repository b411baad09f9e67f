/**
 * A run chart as inline SVG: the points, the centre line (median), the aim, and the points a
 * rule flags, each flag drawn as its own shape so the chart reads without colour. Each point
 * carries its date and value (data-as-of, data-value) for anyone, or any test, reading it back.
 */
import { civilFromDay, type Day, formatDay } from '../../dates/days.js';
import { type SignalRule } from '../../measures/run-chart.js';
import { esc } from './page.js';

interface ChartPoint {
  day: Day;
  value: number | null;
  flags: readonly SignalRule[];
}

export interface ChartSpec {
  id: string;
  title: string;
  desc: string;
  points: readonly ChartPoint[];
  median: number | null;
  /** A horizontal aim line (percentages only). */
  aim: number | null;
  unit: '%' | 'days';
  /** Show each x label as a month (month and quarter series) or a full date (weeks). */
  monthly: boolean;
}

const CHART = { width: 900, height: 340, left: 58, right: 118, top: 18, bottom: 48 };
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "June 2019" for a month or quarter end; the date itself for a week. */
export function periodLabel(day: Day, monthly: boolean): string {
  if (!monthly) return formatDay(day);
  const [y, m] = civilFromDay(day);
  return `${MONTH_NAMES[m - 1]} ${y}`;
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The y axis: 0-100 for percentages; from 0 to a round number above the data for days. */
function yDomain(spec: Pick<ChartSpec, 'points' | 'median' | 'unit'>): { max: number; ticks: number[] } {
  if (spec.unit === '%') return { max: 100, ticks: [0, 25, 50, 75, 100] };
  const top = Math.max(1, spec.median ?? 0, ...spec.points.map((p) => p.value ?? 0));
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000].find((s) => top / s <= 5) ?? 10_000;
  const max = Math.ceil(top / step) * step;
  return { max, ticks: Array.from({ length: max / step + 1 }, (_, i) => i * step) };
}

const fmt = (v: number, unit: '%' | 'days') =>
  unit === '%' ? `${Number.isInteger(v) ? v : v.toFixed(1)}%` : `${Number.isInteger(v) ? v : v.toFixed(1)} days`;

export function runChartSvg(spec: ChartSpec): string {
  const { width, height, left, right, top, bottom } = CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const { max, ticks } = yDomain(spec);
  const n = spec.points.length;
  const x = (i: number) => left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => top + plotH - (Math.min(Math.max(v, 0), max) / max) * plotH;
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" id="${spec.id}" data-plot-top="${top}" data-plot-bottom="${top + plotH}" data-y-max="${max}">`,
    `<title id="${spec.id}-title">${esc(spec.title)}</title>`,
    `<desc id="${spec.id}-desc">${esc(spec.desc)}</desc>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fbfcfd" stroke="#c9d1d9"/>`,
  );
  for (const t of ticks) {
    out.push(
      `<line class="tick" data-tick="${t}" x1="${left}" x2="${left + plotW}" y1="${r2(y(t))}" y2="${r2(y(t))}" stroke="#e1e6eb"/>`,
    );
    out.push(
      `<text x="${left - 8}" y="${r2(y(t)) + 4}" text-anchor="end" font-size="12" fill="#4a5560">${esc(fmt(t, spec.unit))}</text>`,
    );
  }
  // X labels: at most about 12, evenly spread, counted back from the last point, which is always labelled.
  const every = Math.max(1, Math.ceil(n / 12));
  spec.points.forEach((p, i) => {
    if ((n - 1 - i) % every !== 0) return;
    const [yy, mm] = civilFromDay(p.day);
    const label = spec.monthly ? `${MONTHS[mm - 1]} ${yy}` : formatDay(p.day);
    out.push(`<line x1="${r2(x(i))}" x2="${r2(x(i))}" y1="${top + plotH}" y2="${top + plotH + 5}" stroke="#4a5560"/>`);
    out.push(
      `<text x="${r2(x(i))}" y="${top + plotH + 20}" text-anchor="middle" font-size="12" fill="#4a5560">${esc(label)}</text>`,
    );
  });
  if (spec.aim !== null) {
    const ya = r2(y(spec.aim));
    out.push(
      `<line class="aim" x1="${left}" x2="${left + plotW}" y1="${ya}" y2="${ya}" stroke="#1b6e3a" stroke-width="2" stroke-dasharray="8 5"/>`,
    );
    out.push(
      `<text x="${left + plotW + 8}" y="${ya + 4}" font-size="12" fill="#1b6e3a" font-weight="600">Aim ${esc(fmt(spec.aim, spec.unit))}</text>`,
    );
  }
  if (spec.median !== null) {
    const ym = r2(y(spec.median));
    out.push(
      `<line class="median" x1="${left}" x2="${left + plotW}" y1="${ym}" y2="${ym}" stroke="#4a5560" stroke-width="2"/>`,
    );
    // Keep the two labels apart when the lines are close.
    const clash = spec.aim !== null && Math.abs(y(spec.aim) - y(spec.median)) < 14;
    const ly = clash ? (y(spec.median) > y(spec.aim!) ? ym + 16 : ym - 8) : ym + 4;
    out.push(
      `<text x="${left + plotW + 8}" y="${r2(ly)}" font-size="12" fill="#1b1f24" font-weight="600">Median ${esc(fmt(spec.median, spec.unit))}</text>`,
    );
  }
  // The line, broken where a point has no value.
  let path = '';
  let pen = false;
  spec.points.forEach((p, i) => {
    if (p.value === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${r2(x(i))} ${r2(y(p.value))} `;
    pen = true;
  });
  if (path) out.push(`<path d="${path.trim()}" fill="none" stroke="#1f4e79" stroke-width="2"/>`);
  spec.points.forEach((p, i) => {
    if (p.value === null) return;
    const cx = r2(x(i));
    const cy = r2(y(p.value));
    const small = p.flags.includes('small_number');
    const label = `${formatDay(p.day)}: ${fmt(p.value, spec.unit)}${p.flags.length ? ` (${p.flags.join(', ')})` : ''}`;
    out.push(`<g><title>${esc(label)}</title>`);
    if (p.flags.includes('shift') || p.flags.includes('long_run'))
      out.push(
        `<rect class="mark-shift" x="${cx - 8}" y="${cy - 8}" width="16" height="16" fill="none" stroke="#a4262c" stroke-width="2"/>`,
      );
    if (p.flags.includes('trend'))
      out.push(
        `<path class="mark-trend" d="M${cx} ${r2(cy - 12)} L${r2(cx + 10)} ${r2(cy + 7)} L${r2(cx - 10)} ${r2(cy + 7)} Z" fill="none" stroke="#7a5200" stroke-width="2"/>`,
      );
    out.push(
      `<circle class="point" data-as-of="${formatDay(p.day)}" data-value="${p.value}" cx="${cx}" cy="${cy}" r="4.5" fill="${small ? '#ffffff' : '#1f4e79'}" stroke="#1f4e79" stroke-width="2"/></g>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The key to the chart's lines and shapes, as small inline SVGs beside words. */
export function legendHtml(hasAim: boolean): string {
  const sw = (inner: string) => `<svg width="30" height="18" viewBox="0 0 30 18" aria-hidden="true">${inner}</svg>`;
  const items = [
    [
      sw(
        '<line x1="0" x2="30" y1="9" y2="9" stroke="#1f4e79" stroke-width="2"/><circle cx="15" cy="9" r="4.5" fill="#1f4e79"/>',
      ),
      'Measure at each period end',
    ],
    [
      sw('<line x1="0" x2="30" y1="9" y2="9" stroke="#4a5560" stroke-width="2"/>'),
      'Median (centre line, from the baseline)',
    ],
    ...(hasAim
      ? [[sw('<line x1="0" x2="30" y1="9" y2="9" stroke="#1b6e3a" stroke-width="2" stroke-dasharray="8 5"/>'), 'Aim']]
      : []),
    [
      sw('<rect x="7" y="1" width="16" height="16" fill="none" stroke="#a4262c" stroke-width="2"/>'),
      'Point in a shift (square)',
    ],
    [
      sw('<path d="M15 0 L25 17 L5 17 Z" fill="none" stroke="#7a5200" stroke-width="2"/>'),
      'Point in a trend (triangle)',
    ],
    [
      sw('<circle cx="15" cy="9" r="4.5" fill="#fff" stroke="#1f4e79" stroke-width="2"/>'),
      'Fewer than 10 children (hollow)',
    ],
  ];
  return `<ul class="legend">${items.map(([s, t]) => `<li>${s}<span>${esc(t)}</span></li>`).join('')}</ul>`;
}
