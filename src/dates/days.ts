/**
 * Calendar dates as day numbers (days since 1970-01-01), never instants: no time zone or
 * daylight-saving rule can move them, comparisons are integer comparisons and a lag is a
 * subtraction. Algorithms from H. Hinnant, "chrono-compatible low-level date algorithms".
 */
export type Day = number;

export function dayFromCivil(y: number, m: number, d: number): Day {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDay(day: Day): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d];
}

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** A day number for y-m-d, or NaN when no such date exists (never rolled over). */
export function validDay(y: number, m: number, d: number): Day {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  return dayFromCivil(y, m, d);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

// Days from 1900 to 2099, the dates of any real audit, formatted once each when first asked for
// (here as strings, in report/json-bytes.ts as bytes).
const CACHED_FROM = -25_567; // 1900-01-01
export const CACHED_DAYS = 73_049;
/** A day's place in the date caches, or -1 outside them (NaN included). */
export const cached = (day: Day) => (day >= CACHED_FROM && day < CACHED_FROM + CACHED_DAYS ? day - CACHED_FROM : -1);
const formatted: string[] = new Array<string>(CACHED_DAYS).fill('');

/** yyyy-mm-dd. A report formats a few thousand distinct dates millions of times. */
export function formatDay(day: Day): string {
  const i = cached(day);
  if (i >= 0 && formatted[i] !== '') return formatted[i];
  const [y, m, d] = civilFromDay(day);
  const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  if (i >= 0) formatted[i] = s;
  return s;
}

export const formatDayOrNull = (day: Day): string | null => (Number.isNaN(day) ? null : formatDay(day));

/** Today's calendar date where the user is: the only place the machine's clock and zone are read. */
export function today(now: Date = new Date()): Day {
  return dayFromCivil(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/**
 * Whole years of age on `on` for someone born on `dob`. Comparing (month, day) pairs means a child
 * born on 29 February turns a year older on 1 March in common years, as the Age of Legal Capacity
 * (Scotland) Act 1991 s.6 provides.
 */
export function ageOn(dob: Day, on: Day): number {
  const [by, bm, bd] = civilFromDay(dob);
  const [y, m, d] = civilFromDay(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
