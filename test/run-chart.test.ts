import { describe, expect, it } from 'vitest';
import {
  analyse,
  crossingsMin,
  longestRunMax,
  median,
  RUNS_TABLE,
  runsLimits,
  trends,
} from '../src/measures/run-chart.js';

const rules = (c: ReturnType<typeof analyse>) =>
  c.signals.map((s) => `${s.rule}${s.direction ? `:${s.direction}` : ''}`);

describe('run chart: IHI rules (hand-worked series)', () => {
  // Balestracci's worked example: 16 points in runs of 7, 7, 1 and 1 around the median.
  const sevenSevenOneOne = [...Array(7).fill(10), ...Array(7).fill(1), 10, 1];

  it('16 points in runs of 7, 7, 1, 1: 4 runs, too few for 16 useful observations (5 to 13)', () => {
    const c = analyse(sevenSevenOneOne, { rules: 'ihi', baseline: 16 });
    expect(c.median).toBe(5.5);
    expect(c.usefulObservations).toBe(16);
    expect(c.runs).toBe(4);
    expect(c.runsLimits).toEqual({ min: 5, max: 13 });
    expect(rules(c)).toEqual(['shift:above', 'shift:below', 'too_few_runs']);
    expect(c.signals[0].points).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(c.signals[1].points).toEqual([7, 8, 9, 10, 11, 12, 13]);
  });

  it('shift: 6 points above; a point on the median neither counts nor breaks the run', () => {
    // Baseline median of the first 5 (4, 5, 5, 5, 6) is 5.
    const six = analyse([4, 5, 5, 5, 6, 6, 6, 5, 6, 6, 6], { rules: 'ihi', baseline: 5 });
    expect(six.median).toBe(5);
    const shift = six.signals.filter((s) => s.rule === 'shift');
    expect(shift).toEqual([{ rule: 'shift', direction: 'above', points: [4, 5, 6, 8, 9, 10] }]);
    // Only 5 above (the 5s on the median do not count): no shift.
    const five = analyse([4, 5, 5, 5, 6, 6, 5, 6, 6, 6], { rules: 'ihi', baseline: 4 });
    expect(five.median).toBe(5);
    expect(five.signals.filter((s) => s.rule === 'shift')).toEqual([]);
  });

  it('shift below, and a point across the median breaks it', () => {
    const c = analyse([5, 5, 5, 1, 1, 1, 1, 1, 9, 1, 1, 1], { rules: 'ihi', baseline: 3 });
    expect(c.median).toBe(5);
    expect(c.signals.filter((s) => s.rule === 'shift')).toEqual([]);
    const d = analyse([5, 5, 5, 1, 1, 1, 1, 1, 1], { rules: 'ihi', baseline: 3 });
    expect(d.signals.filter((s) => s.rule === 'shift')).toEqual([
      { rule: 'shift', direction: 'below', points: [3, 4, 5, 6, 7, 8] },
    ]);
  });

  it('trend: 5 points going up; a repeated value neither counts nor breaks it', () => {
    expect(trends([1, 2, 2, 3, 4, 5])).toEqual([{ rule: 'trend', direction: 'up', points: [0, 1, 3, 4, 5] }]);
    expect(trends([1, 2, 3, 3, 4])).toEqual([]); // 4 distinct steps' worth of points only
    expect(trends([9, 7, 5, 3, 1])).toEqual([{ rule: 'trend', direction: 'down', points: [0, 1, 2, 3, 4] }]);
    expect(trends([5, 4, 3, 2, 6, 1])).toEqual([]); // broken by the 6
    // The turning point ends one trend and starts the next.
    expect(trends([1, 2, 3, 4, 5, 4, 3, 2, 1])).toEqual([
      { rule: 'trend', direction: 'up', points: [0, 1, 2, 3, 4] },
      { rule: 'trend', direction: 'down', points: [4, 5, 6, 7, 8] },
    ]);
    // Points without a value are skipped, not a break.
    expect(trends([1, 2, null, 3, 4, 5])).toEqual([{ rule: 'trend', direction: 'up', points: [0, 1, 3, 4, 5] }]);
  });

  it('too many runs: 12 points alternating about the median is 12 runs (3 to 11 expected)', () => {
    const c = analyse([1, 9, 1, 9, 1, 9, 1, 9, 1, 9, 1, 9], { rules: 'ihi' });
    expect(c.median).toBe(5);
    expect(c.runs).toBe(12);
    expect(c.runsLimits).toEqual({ min: 3, max: 11 });
    expect(rules(c)).toEqual(['too_many_runs']);
  });

  it('a random-looking series of 10 has no signal', () => {
    const c = analyse([3, 7, 4, 8, 2, 6, 9, 1, 5, 7], { rules: 'ihi' });
    expect(c.median).toBe(5.5);
    expect(c.runs).toBe(8);
    expect(c.runsLimits).toEqual({ min: 3, max: 9 });
    expect(c.signals).toEqual([]);
  });

  it('fewer than 10 useful observations: the runs rule cannot be applied, and says so', () => {
    // 11 points, 2 on the median: 9 useful.
    const c = analyse([1, 9, 5, 1, 9, 5, 1, 9, 1, 9, 1], { rules: 'ihi', baseline: 3 });
    expect(c.median).toBe(5);
    expect(c.usefulObservations).toBe(9);
    expect(c.runsLimits).toBeNull();
    expect(c.runsNote).toMatch(/at least 10/);
    expect(c.signals.filter((s) => s.rule === 'too_few_runs' || s.rule === 'too_many_runs')).toEqual([]);
  });

  it('the centre line is the median of the baseline, frozen and extended', () => {
    const c = analyse([10, 20, 30, 90, 90, 90], { rules: 'ihi', baseline: 3 });
    expect(c.baselinePoints).toBe(3);
    expect(c.median).toBe(20);
    expect(median([])).toBeNull();
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('points without a value take no part; a series with none has no centre line', () => {
    const c = analyse([null, null], { rules: 'ihi' });
    expect(c.median).toBeNull();
    expect(c.runs).toBeNull();
    expect(c.signals).toEqual([]);
  });

  it('small number: a denominator under 10 flags the point', () => {
    const c = analyse([50, 60, 70], { rules: 'ihi', denominators: [9, 10, 3] });
    expect(c.signals).toEqual([{ rule: 'small_number', direction: null, points: [0, 2] }]);
  });
});

describe('run chart: the runs table', () => {
  it('holds the published limits for 10 to 60 useful observations', () => {
    expect(RUNS_TABLE).toHaveLength(51);
    // The issue's copy of Perla et al. (2011) Table 1, 10 to 20.
    const published: Record<number, [number, number]> = {
      10: [3, 9],
      11: [3, 10],
      12: [3, 11],
      13: [4, 11],
      14: [4, 12],
      15: [5, 12],
      16: [5, 13],
      17: [5, 13],
      18: [6, 14],
      19: [6, 15],
      20: [6, 16],
    };
    for (const [n, [min, max]] of Object.entries(published)) expect(runsLimits(Number(n))).toEqual({ min, max });
    expect(runsLimits(9)).toBeNull();
    expect(runsLimits(61)).toBeNull();
  });

  it('agrees within one run with the exact distribution of runs (2.5% in each tail, halves of n)', () => {
    const choose = (n: number, k: number) => {
      let r = 1;
      for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
      return r;
    };
    const pmf = (a: number, b: number, r: number) => {
      const k = Math.floor(r / 2);
      const w =
        r % 2 === 0
          ? 2 * choose(a - 1, k - 1) * choose(b - 1, k - 1)
          : choose(a - 1, k) * choose(b - 1, k - 1) + choose(a - 1, k - 1) * choose(b - 1, k);
      return w / choose(a + b, a);
    };
    for (let n = 10; n <= 60; n++) {
      const a = Math.floor(n / 2);
      let cum = 0;
      let lo = 2;
      while ((cum += pmf(a, n - a, lo)) <= 0.025) lo++;
      cum = 0;
      let hi = n;
      while ((cum += pmf(a, n - a, hi)) <= 0.025) hi--;
      const t = runsLimits(n)!;
      expect(Math.abs(t.min - lo), `min for ${n}`).toBeLessThanOrEqual(1);
      expect(Math.abs(t.max - hi), `max for ${n}`).toBeLessThanOrEqual(1);
      // Limits never narrow as the series grows.
      if (n > 10) expect(t.min).toBeGreaterThanOrEqual(runsLimits(n - 1)!.min);
    }
  });
});

describe('run chart: Anhøj rules, as qicharts2', () => {
  it('limits: longest run round(log2(n)) + 3, crossings the 5th percentile of Binomial(n - 1, 0.5)', () => {
    // qicharts2's own summary example: 24 useful observations -> 8 and 8.
    expect(longestRunMax(24)).toBe(8);
    expect(crossingsMin(24)).toBe(8);
    // By hand: Binomial(15, 0.5) has P(X <= 3) = 0.0176, P(X <= 4) = 0.0592.
    expect(longestRunMax(16)).toBe(7);
    expect(crossingsMin(16)).toBe(4);
    expect(longestRunMax(10)).toBe(6);
    expect(crossingsMin(10)).toBe(2); // P(X <= 1) = 0.0195, P(X <= 2) = 0.0898 for Binomial(9, 0.5)
    expect(crossingsMin(1)).toBe(0);
    expect(crossingsMin(3000)).toBeGreaterThan(1400); // no underflow on a long series
  });

  it('7, 7, 1, 1: the longest run (7) is not over 7, but 3 crossings are under 4', () => {
    const c = analyse([...Array(7).fill(10), ...Array(7).fill(1), 10, 1], { rules: 'anhoej', baseline: 16 });
    expect(c.longestRun).toBe(7);
    expect(c.longestRunMax).toBe(7);
    expect(c.crossings).toBe(3);
    expect(c.crossingsMin).toBe(4);
    expect(rules(c)).toEqual(['few_crossings']);
  });

  it('a run of 8 in 16 is unusually long (over 7)', () => {
    // Sorted: five 1s, three 8s, eight 10s: the median is (8 + 10) / 2 = 9; no point on it.
    const c = analyse([...Array(8).fill(10), 1, 8, 1, 8, 1, 8, 1, 1], { rules: 'anhoej', baseline: 16 });
    expect(c.median).toBe(9);
    expect(c.usefulObservations).toBe(16);
    expect(c.longestRun).toBe(8);
    expect(rules(c)).toEqual(['long_run:above', 'long_run:below', 'few_crossings']);
  });
});
