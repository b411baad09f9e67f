/** Period ends between two days, for `trend --every`. Calendar arithmetic on day numbers only. */
import { addMonths } from 'date-fns/addMonths';
import { civilFromDay, type Day, dayFromCivil, daysInMonth } from './days.js';
import { type Duration } from './duration.js';

export const PERIODS = ['month', 'quarter', 'week'] as const;
export type Period = (typeof PERIODS)[number];

/** Every end of a period (last day of a month or quarter; a Sunday for weeks) in [start, end]. */
export function periodEnds(start: Day, end: Day, every: Period): Day[] {
  const out: Day[] = [];
  if (every === 'week') {
    // Day 0 (1970-01-01) was a Thursday: Sundays are the days d with (d + 4) % 7 === 0.
    let d = start + ((((3 - start) % 7) + 7) % 7);
    for (; d <= end; d += 7) out.push(d);
    return out;
  }
  let [y, m] = civilFromDay(start);
  const step = every === 'month' ? 1 : 3;
  if (every === 'quarter') m = Math.ceil(m / 3) * 3;
  for (;;) {
    const last = dayFromCivil(y, m, daysInMonth(y, m));
    if (last > end) return out;
    if (last >= start) out.push(last);
    m += step;
    if (m > 12) {
      m -= 12;
      y++;
    }
  }
}

/**
 * The first day of a rolling window that ends on `end`: `--window 12m` on 2018-12-31 starts on
 * 2018-01-01, so the window holds exactly the 12 months up to and including `end`.
 */
export function windowStart(end: Day, window: Duration): Day {
  let day = end;
  if (window.months) {
    const [y, m, d] = civilFromDay(end);
    // Local noon, as in duration.ts: no daylight-saving step can move it into another day.
    const back = addMonths(new Date(y, m - 1, d, 12), -window.months);
    day = dayFromCivil(back.getFullYear(), back.getMonth() + 1, back.getDate());
  }
  return day - window.days + 1;
}
