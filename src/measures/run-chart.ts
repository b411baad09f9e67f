/**
 * Run-chart analysis (README "Run charts"): a centre line frozen from a baseline, and the rules
 * that tell a real change from noise. Pure: numbers in, signals out. Points are indexes into
 * the series; a null value (no denominator) takes no part in any rule.
 *
 * IHI rules: Perla, Provost & Murray, "The run chart: a simple analytical tool for learning from
 * variation in healthcare processes", BMJ Qual Saf 2011;20:46-51.
 * Anhøj rules: Anhøj & Olesen, PLoS ONE 2014;9(11):e113825, as qicharts2 computes them.
 */

export const RULE_SETS = ['ihi', 'anhoej'] as const;
export type RuleSet = (typeof RULE_SETS)[number];

export type SignalRule =
  | 'shift'
  | 'trend'
  | 'too_few_runs'
  | 'too_many_runs'
  | 'long_run'
  | 'few_crossings'
  | 'small_number';
type Direction = 'above' | 'below' | 'up' | 'down' | null;

export interface Signal {
  rule: SignalRule;
  direction: Direction;
  /** Indexes of the points involved, in order. */
  points: number[];
}

export const SIGNAL_LABELS: Record<SignalRule, string> = {
  shift: 'Shift: 6 or more points in a row on one side of the median',
  trend: 'Trend: 5 or more points in a row all going up or all going down',
  too_few_runs: 'Too few runs: the line crosses the median less often than chance allows',
  too_many_runs: 'Too many runs: the line crosses the median more often than chance allows',
  long_run: 'Unusually long run on one side of the median (Anhøj)',
  few_crossings: 'Unusually few crossings of the median (Anhøj)',
  small_number: 'Small number: fewer than 10 children in the denominator',
};

export interface RunChartOptions {
  rules: RuleSet;
  /** Points whose median is the centre line (default: the first 12). */
  baseline?: number | undefined;
  /** Each point's denominator, for the small-number flag. */
  denominators?: readonly (number | null)[];
}

export interface RunChart {
  rules: RuleSet;
  baselinePoints: number;
  /** The centre line; null when the baseline holds no value. */
  median: number | null;
  signals: Signal[];
  /** Points not on the median (and not null). */
  usefulObservations: number;
  runs: number | null;
  /** IHI: the table's limits for this many useful observations; null when the rule cannot be applied. */
  runsLimits: { min: number; max: number } | null;
  /** Why the runs rule was not applied, when it was not. */
  runsNote: string | null;
  /** Anhøj only. */
  longestRun: number | null;
  longestRunMax: number | null;
  crossings: number | null;
  crossingsMin: number | null;
}

const DEFAULT_BASELINE = 12;
const SMALL_NUMBER = 10;

/** Median of the values given (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Perla, Provost & Murray (2011), Table 1 (after Swed & Eisenhart, 1943): the least and the most
 * runs expected by chance for 10 to 60 useful observations. Fewer runs than `min` or more than
 * `max` is a signal. Index: useful observations - 10.
 */
export const RUNS_TABLE: readonly (readonly [number, number])[] = [
  [3, 9],
  [3, 10],
  [3, 11],
  [4, 11],
  [4, 12],
  [5, 12],
  [5, 13],
  [5, 13],
  [6, 14],
  [6, 15], // 10-19
  [6, 16],
  [7, 16],
  [7, 17],
  [7, 17],
  [8, 18],
  [8, 18],
  [9, 19],
  [10, 19],
  [10, 20],
  [10, 20], // 20-29
  [11, 21],
  [11, 22],
  [11, 23],
  [12, 23],
  [12, 24],
  [13, 24],
  [13, 25],
  [13, 25],
  [14, 26],
  [14, 26], // 30-39
  [15, 27],
  [15, 27],
  [16, 28],
  [16, 28],
  [17, 29],
  [17, 30],
  [17, 31],
  [18, 31],
  [18, 32],
  [19, 32], // 40-49
  [19, 33],
  [20, 33],
  [20, 34],
  [21, 35],
  [21, 35],
  [22, 36],
  [22, 36],
  [23, 37],
  [23, 37],
  [24, 38], // 50-59
  [24, 38], // 60
];

export function runsLimits(useful: number): { min: number; max: number } | null {
  const row = RUNS_TABLE[useful - 10];
  return row ? { min: row[0], max: row[1] } : null;
}

/** qicharts2: round(log2(n)) + 3 (Schilling 2012). */
export const longestRunMax = (useful: number) => Math.round(Math.log2(useful)) + 3;

/** The 5th percentile of Binomial(n - 1, 0.5), as R's qbinom(0.05, n - 1, 0.5) (Chen 2010). */
export function crossingsMin(useful: number): number {
  const trials = Math.max(useful - 1, 0);
  // Summed in logs: 0.5^trials underflows past about 1,074 trials.
  let logPmf = trials * Math.log(0.5); // P(X = 0)
  let cum = 0;
  for (let x = 0; x <= trials; x++) {
    cum += Math.exp(logPmf);
    // qbinom's own fuzz, so that a sum landing a hair under 0.05 by rounding still counts.
    if (cum >= 0.05 * (1 - 64 * Number.EPSILON)) return x;
    logPmf += Math.log(trials - x) - Math.log(x + 1);
  }
  return trials;
}

/** Which side of the centre line each point is on: 1 above, -1 below, 0 on it or no value. */
function sides(values: readonly (number | null)[], centre: number): number[] {
  return values.map((v) => (v === null ? 0 : Math.sign(v - centre)));
}

/** Runs of consecutive useful points on one side; points on the median or null are skipped. */
function runsOf(side: readonly number[]): { side: number; points: number[] }[] {
  const runs: { side: number; points: number[] }[] = [];
  side.forEach((s, i) => {
    if (s === 0) return;
    const last = runs[runs.length - 1];
    if (last && last.side === s) last.points.push(i);
    else runs.push({ side: s, points: [i] });
  });
  return runs;
}

/**
 * Trends: 5 or more points in a row all going up (or all down). A value equal to the one before
 * it neither counts nor breaks the trend; null values are skipped.
 */
export function trends(values: readonly (number | null)[], length = 5): Signal[] {
  // The series without repeats: each kept point is the first of its repeated values.
  const kept: number[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    if (kept.length && values[kept[kept.length - 1]] === v) return;
    kept.push(i);
  });
  const out: Signal[] = [];
  let start = 0;
  let dir = 0;
  const close = (end: number) => {
    if (dir !== 0 && end - start + 1 >= length)
      out.push({ rule: 'trend', direction: dir > 0 ? 'up' : 'down', points: kept.slice(start, end + 1) });
  };
  for (let k = 1; k < kept.length; k++) {
    const d = Math.sign(values[kept[k]]! - values[kept[k - 1]]!);
    if (d !== dir) {
      close(k - 1);
      start = k - 1;
      dir = d;
    }
  }
  close(kept.length - 1);
  return out;
}

export function analyse(values: readonly (number | null)[], opts: RunChartOptions): RunChart {
  const baselinePoints = Math.min(opts.baseline ?? DEFAULT_BASELINE, values.length);
  const centre = median(values.slice(0, baselinePoints).filter((v): v is number => v !== null));
  const signals: Signal[] = [];
  const chart: RunChart = {
    rules: opts.rules,
    baselinePoints,
    median: centre,
    signals,
    usefulObservations: 0,
    runs: null,
    runsLimits: null,
    runsNote: null,
    longestRun: null,
    longestRunMax: null,
    crossings: null,
    crossingsMin: null,
  };
  if (centre !== null) {
    const runs = runsOf(sides(values, centre));
    const useful = runs.reduce((n, r) => n + r.points.length, 0);
    chart.usefulObservations = useful;
    chart.runs = runs.length;
    const direction = (r: { side: number }): Direction => (r.side > 0 ? 'above' : 'below');
    const allUseful = () => runs.flatMap((r) => r.points);
    if (opts.rules === 'ihi') {
      for (const r of runs)
        if (r.points.length >= 6) signals.push({ rule: 'shift', direction: direction(r), points: r.points });
      signals.push(...trends(values));
      chart.runsLimits = runsLimits(useful);
      if (useful < 10) chart.runsNote = `the runs rule needs at least 10 points off the median; there are ${useful}`;
      else if (!chart.runsLimits)
        chart.runsNote = `the published table of runs stops at 60 points off the median; there are ${useful} (try --rules anhoej)`;
      else if (runs.length < chart.runsLimits.min)
        signals.push({ rule: 'too_few_runs', direction: null, points: allUseful() });
      else if (runs.length > chart.runsLimits.max)
        signals.push({ rule: 'too_many_runs', direction: null, points: allUseful() });
    } else if (useful > 0) {
      const longest = runs.reduce((a, r) => (r.points.length > a.points.length ? r : a));
      chart.longestRun = longest.points.length;
      chart.longestRunMax = longestRunMax(useful);
      chart.crossings = runs.length - 1;
      chart.crossingsMin = crossingsMin(useful);
      for (const r of runs)
        if (r.points.length > chart.longestRunMax)
          signals.push({ rule: 'long_run', direction: direction(r), points: r.points });
      if (chart.crossings < chart.crossingsMin)
        signals.push({ rule: 'few_crossings', direction: null, points: allUseful() });
    }
  }
  const small: number[] = [];
  opts.denominators?.forEach((d, i) => {
    if (d !== null && d < SMALL_NUMBER) small.push(i);
  });
  if (small.length) signals.push({ rule: 'small_number', direction: null, points: small });
  return chart;
}
