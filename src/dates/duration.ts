/**
 * Targets such as 7.5m, 12w, 14d and the deadlines they give (README "Counting rules" 4): whole months
 * by calendar-month arithmetic with date-fns `addMonths` (31 Aug + 6 months = 28/29 Feb), the
 * fraction of a month as round(fraction x 30) days, weeks and days as days.
 */
// The subpath: date-fns' main entry loads every function (~19 MB of memory) for this one.
import { addMonths } from 'date-fns/addMonths';
import { type Day, civilFromDay, dayFromCivil } from './days.js';
import { usageError } from '../errors.js';

export interface Duration {
  months: number; // whole calendar months
  days: number;
  text: string; // as the user wrote it, normalised: "7.5m", "12w", "14d"
  /** Deadlines already worked out, by start day: cohorts share a few thousand start days. */
  cache?: Map<Day, Day>;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|mo|months?|w|wk|weeks?|d|days?)$/i;

/**
 * The longest target or window pace-audit accepts, 20 years in each unit: a child's whole
 * childhood, and far inside what calendar arithmetic can date (4000000m gave "0NaN-NaN-NaN").
 */
const MAX_DURATION = { m: 240, w: 1043, d: 7305 } as const;
const MAX_DURATION_TEXT = '240m, 1043w or 7305d (20 years)';

export function parseDuration(text: string, what = 'duration'): Duration {
  const m = DURATION.exec(String(text).trim());
  if (!m)
    throw usageError(
      'INVALID_DURATION',
      `${what} "${text}" is not a duration: use months (7.5m), weeks (12w) or days (14d)`,
    );
  const n = Number(m[1]);
  const unit = m[2][0].toLowerCase() as keyof typeof MAX_DURATION;
  if (n > MAX_DURATION[unit])
    throw usageError(
      'INVALID_DURATION',
      `${what} "${text}" is longer than pace-audit accepts: at most ${MAX_DURATION_TEXT}`,
    );
  if (unit === 'm') {
    const whole = Math.floor(n);
    return { months: whole, days: Math.round((n - whole) * 30), text: `${n}m` };
  }
  if (!Number.isInteger(n))
    throw usageError('INVALID_DURATION', `${what} "${text}": weeks and days must be whole numbers`);
  return { months: 0, days: unit === 'w' ? n * 7 : n, text: `${n}${unit}` };
}

/** The last day within target for a clock started on `start`. */
export function deadline(start: Day, target: Duration): Day {
  if (!target.months) return start + target.days;
  const cache = (target.cache ??= new Map());
  let due = cache.get(start);
  if (due === undefined) cache.set(start, (due = addTarget(start, target)));
  return due;
}

function addTarget(start: Day, target: Duration): Day {
  let day = start;
  if (target.months) {
    const [y, mo, d] = civilFromDay(start);
    // Local noon: no daylight-saving step can move noon into another day.
    const shifted = addMonths(new Date(y, mo - 1, d, 12), target.months);
    day = dayFromCivil(shifted.getFullYear(), shifted.getMonth() + 1, shifted.getDate());
  }
  return day + target.days;
}
