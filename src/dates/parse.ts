/**
 * Our own strict date parser for the hot path: every date cell goes through here, so it must be
 * cheap (date-fns `parse` costs ~2.5 µs a cell) and it must never guess: `new Date(string)`
 * reads 05/03/2018 as 3 May and shifts ISO strings with the time zone. Impossible dates give NaN.
 */
import { type Day, dayFromCivil, validDay } from './days.js';
import { usageError } from '../errors.js';

export const DATE_FORMATS = [
  'yyyy-mm-dd',
  'dd/mm/yyyy', // also d/m/yyyy
  'dd-mm-yyyy',
  'dd.mm.yyyy',
  'd MMM yyyy', // 5 Mar 2018, 05-Mar-2018, 5 March 2018
  'mm/dd/yyyy', // US order: only when a config names it, never guessed
  'excel', // Excel serial day numbers (1900 system): only when a config names it
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Every unambiguous, day-first format: what a UK export may use without any configuration. */
export const DEFAULT_DATE_FORMATS: readonly DateFormat[] = [
  'yyyy-mm-dd',
  'dd/mm/yyyy',
  'dd-mm-yyyy',
  'dd.mm.yyyy',
  'd MMM yyyy',
];

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const NAMED = /^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})$/;
const SERIAL = /^\d{1,6}(?:\.\d+)?$/;
// A time of day after the date (Excel and most systems add one); it is dropped, never converted.
const TIME = /[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?$/;

export interface DateParser {
  (text: string): Day;
  formats: readonly DateFormat[];
  /** The same parser without the range check: tells "out of range" from "not a date" in messages. */
  unbounded: (text: string) => Day;
  /**
   * The same parser on an ASCII cell's bytes [from, to), for its commonest shapes only: a day,
   * NaN, or NOT_FAST for a cell to read as text.
   */
  bytes: (b: Uint8Array, from: number, to: number) => Day;
}

/**
 * The dates pace-audit accepts, in every cell and option: 1900-01-01 to 9999-12-31. Earlier is a
 * mistyped year (0217 for 2017); the range also keeps every day number and deadline exact.
 */
const FIRST_DAY = dayFromCivil(1900, 1, 1);
const LAST_DAY = dayFromCivil(9999, 12, 31);
export const DATE_RANGE_TEXT = '1900-01-01 to 9999-12-31';

export function dateParser(formats: readonly DateFormat[] = DEFAULT_DATE_FORMATS): DateParser {
  const iso = formats.includes('yyyy-mm-dd');
  const slash = formats.includes('dd/mm/yyyy');
  const dash = formats.includes('dd-mm-yyyy');
  const dot = formats.includes('dd.mm.yyyy');
  const us = formats.includes('mm/dd/yyyy');
  const named = formats.includes('d MMM yyyy');
  const excel = formats.includes('excel');
  if (slash && us)
    throw usageError(
      'CONFIG_INVALID',
      'dateFormat cannot hold both dd/mm/yyyy and mm/dd/yyyy: the order would be a guess',
    );

  // The commonest cells, digit by digit: yyyy-mm-dd and dd/mm/yyyy. One copy of the rules, over
  // character codes, serves both a string (copied into `codes`) and a cell's bytes (fast path).
  const fast10 = (b: Uint8Array, o: number): Day => {
    const c2 = b[o + 2];
    if (iso && b[o + 4] === 45 && b[o + 7] === 45) {
      const y = digits(b, o, o + 4),
        m = digits(b, o + 5, o + 7),
        d = digits(b, o + 8, o + 10);
      return y < 0 || m < 0 || d < 0 ? NaN : validDay(y, m, d);
    }
    if (c2 === b[o + 5] && ((c2 === 47 && slash && !us) || (c2 === 45 && dash) || (c2 === 46 && dot))) {
      const d = digits(b, o, o + 2),
        m = digits(b, o + 3, o + 5),
        y = digits(b, o + 6, o + 10);
      return y < 0 || m < 0 || d < 0 ? NaN : validDay(y, m, d);
    }
    return NOT_FAST;
  };
  const codes = new Uint8Array(10);

  const parse = (raw: string): Day => {
    let s = raw;
    if (s.length === 10) {
      // A code past ASCII is never a digit or separator: 0 keeps it one after the copy.
      for (let k = 0; k < 10; k++) {
        const c = s.charCodeAt(k);
        codes[k] = c < 0x80 ? c : 0;
      }
      const day = fast10(codes, 0);
      if (day !== NOT_FAST) return day;
    }
    if (s.length > 10) {
      const t = TIME.exec(s);
      if (t) s = s.slice(0, t.index);
    }
    let m: RegExpExecArray | null;
    if (iso && (m = ISO.exec(s))) return validDay(+m[1], +m[2], +m[3]);
    if ((m = NUMERIC.exec(s))) {
      const sep = m[2];
      if (sep === '/' && us) return validDay(+m[4], +m[1], +m[3]);
      if ((sep === '/' && slash) || (sep === '-' && dash) || (sep === '.' && dot)) return validDay(+m[4], +m[3], +m[1]);
      return NaN;
    }
    if (named && (m = NAMED.exec(s))) {
      const month = MONTHS[m[2].toLowerCase()];
      return month ? validDay(+m[3], month, +m[1]) : NaN;
    }
    if (excel && SERIAL.test(s)) {
      // Serial 25569 is 1970-01-01; serials below 61 fall before Excel's phantom 29 Feb 1900.
      const serial = Math.floor(+s);
      return serial >= 61 ? serial - 25569 : NaN;
    }
    return NaN;
  };
  const inRange = (day: Day): Day => (day >= FIRST_DAY && day <= LAST_DAY ? day : NaN);
  const bounded = (raw: string): Day => inRange(parse(raw));
  const bytes = (b: Uint8Array, from: number, to: number): Day => {
    if (to - from !== 10) return NOT_FAST;
    const day = fast10(b, from);
    return day === NOT_FAST ? day : inRange(day);
  };
  return Object.assign(bounded, { formats, unbounded: parse, bytes });
}

/** What DateParser.bytes gives for a cell not in a fast shape: read it as text instead. */
export const NOT_FAST = Number.POSITIVE_INFINITY;

/** The number written in b[from, to), or -1 unless every code is a digit. */
function digits(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Which single formats fit a value: used by `inspect` to suggest a dateFormat. */
export function formatsFitting(value: string): DateFormat[] {
  return DATE_FORMATS.filter((f) => f !== 'excel' && !Number.isNaN(dateParser([f])(value)));
}
