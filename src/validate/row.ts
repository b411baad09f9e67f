/**
 * One input row -> one canonical event, or the reasons it is rejected.
 *
 * The zod schema below is the definition of a valid row. Running zod on every row of a million-row
 * export would cost more than parsing the file, so `checkRow` is a hand-written hot path that must
 * accept exactly what the schema accepts (test/validate-row.test.ts holds them to that); zod runs
 * only on rows the hot path turns down, to say precisely why.
 */
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { type Day } from '../dates/days.js';
import { DATE_RANGE_TEXT, type DateParser } from '../dates/parse.js';
import { Ev, EVENTS, type Field, type RouteCode, ROUTES } from '../model.js';
import { suggester } from '../suggest.js';
import { type FindingCode } from './finding-codes.js';

export interface RowRules {
  /** Index of each canonical field's column, -1 when the export has no such column. */
  col: Record<Field, number>;
  /** Column header of each field as the export names it, for messages. */
  header: Record<Field, string>;
  parseDate: DateParser;
  /** An event value -> event code; null when the value is ignored on purpose; undefined when unknown. */
  eventOf(value: string): number | null | undefined;
  routeOf(value: string): RouteCode | undefined;
  /** " (did you mean `x`?)" for an unknown event or route value, or "" (see suggest.ts). */
  suggestEvent?: (value: string) => string;
  suggestRoute?: (value: string) => string;
}

/** A valid row; one object is reused for every row on the hot path. */
export interface EventRow {
  childId: string;
  familyId: string;
  dob: Day; // NaN when not given
  event: number; // Ev, or -1 when the row's event is ignored on purpose
  date: Day;
  route: RouteCode;
}

export const newEventRow = (): EventRow => ({ childId: '', familyId: '', dob: NaN, event: 0, date: NaN, route: 0 });

const cell = (cells: string[], i: number): string => (i < 0 ? '' : (cells[i] ?? '').trim());

/** The hot path: fills `out` and returns true for a valid row, false otherwise. */
export function checkRow(cells: string[], rules: RowRules, out: EventRow): boolean {
  const c = rules.col;
  const childId = cell(cells, c.child_id);
  if (childId === '') return false;
  const ev = rules.eventOf(cell(cells, c.event));
  if (ev === undefined) return false;
  const dateText = cell(cells, c.event_date);
  const date = dateText === '' ? NaN : rules.parseDate(dateText);
  if (Number.isNaN(date)) return false;
  const dobText = cell(cells, c.date_of_birth);
  let dob = NaN;
  if (dobText !== '') {
    dob = rules.parseDate(dobText);
    if (Number.isNaN(dob) || dob > date) return false;
  } else if (ev === Ev.Accommodated) return false;
  let route: RouteCode = 0;
  if (ev === Ev.Decision) {
    const r = rules.routeOf(cell(cells, c.route));
    if (r === undefined) return false;
    route = r;
  }
  out.childId = childId;
  out.familyId = cell(cells, c.family_id);
  out.dob = dob;
  out.event = ev ?? -1;
  out.date = date;
  out.route = route;
  return true;
}

export interface RowProblem {
  column: Field;
  code: FindingCode;
  message: string;
}

export type RawRow = Record<Field, string>;

// zod costs ~13 MB of memory to load; a clean export never needs it, so it loads on the first bad row.
let zod: typeof Zod | undefined;
const loadZod = () => (zod ??= createRequire(import.meta.url)('zod') as typeof Zod);

/**
 * The definition of a valid row; its issues carry our codes as their messages. explainRow asks it
 * once per `verdictKey`: a rule that reads more of a row than that key holds must be added there.
 */
export function rowSchema(rules: RowRules) {
  const z = loadZod().z;
  const dateOk = (v: string) => !Number.isNaN(rules.parseDate(v));
  const text = z.string().trim();
  const required = text.min(1, { error: 'MISSING_VALUE' });
  return z
    .object({
      child_id: required,
      family_id: text,
      event: required.refine((v) => rules.eventOf(v) !== undefined, { error: 'UNKNOWN_EVENT' }),
      event_date: required.refine(dateOk, { error: 'INVALID_DATE' }),
      date_of_birth: text.refine((v) => v === '' || dateOk(v), { error: 'INVALID_DATE' }),
      route: text,
    })
    .superRefine((row, ctx) => {
      const ev = rules.eventOf(row.event);
      if (ev === Ev.Accommodated && row.date_of_birth === '')
        ctx.addIssue({ code: 'custom', path: ['date_of_birth'], message: 'MISSING_VALUE' });
      if (ev === Ev.Decision) {
        if (row.route === '') ctx.addIssue({ code: 'custom', path: ['route'], message: 'MISSING_ROUTE' });
        else if (rules.routeOf(row.route) === undefined)
          ctx.addIssue({ code: 'custom', path: ['route'], message: 'UNKNOWN_ROUTE' });
      }
      const dob = rules.parseDate(row.date_of_birth);
      if (dob > rules.parseDate(row.event_date))
        ctx.addIssue({ code: 'custom', path: ['date_of_birth'], message: 'DOB_AFTER_EVENT' });
    });
}

export type RowSchema = ReturnType<typeof rowSchema>;

export function rawRow(cells: string[], rules: RowRules): RawRow {
  const raw = {} as RawRow;
  for (const f of Object.keys(rules.col) as Field[]) raw[f] = rules.col[f] < 0 ? '' : (cells[rules.col[f]] ?? '');
  return raw;
}

/** zod's verdict on a row: which columns are wrong and why, one code per column, in column order. */
type Verdict = { column: Field; code: FindingCode }[];

/** zod's verdict, asked every time: the reference explainRow's memo is held to (tests). */
export function zodVerdict(raw: RawRow, schema: RowSchema): Verdict {
  const result = schema.safeParse(raw);
  if (result.success) return [];
  const seen = new Set<Field>();
  const verdict: Verdict = [];
  for (const issue of result.error.issues) {
    const column = issue.path[0] as Field;
    if (seen.has(column)) continue;
    seen.add(column);
    verdict.push({ column, code: issue.message as FindingCode });
  }
  return verdict;
}

/**
 * What rowSchema's rules read of a row, and nothing else: whether each value (trimmed) is empty,
 * the event's code, whether the route reads as one, whether each date parses, and whether the
 * birth comes after the event. Rows with the same key get the same verdict, so zod is asked once per key: a failing
 * parse costs ~30 us (most of it zod building its error), and an export with a wrong mapping
 * rejects every row. A rule that reads anything more must be added here
 * (test/validate-row.test.ts holds the two equal on every combination of awkward values).
 */
function verdictKey(raw: RawRow, rules: RowRules): string {
  const event = raw.event.trim();
  const dateText = raw.event_date.trim();
  const date = rules.parseDate(dateText);
  const dobText = raw.date_of_birth.trim();
  const dob = rules.parseDate(dobText);
  const route = raw.route.trim();
  const flags =
    (raw.child_id.trim() === '' ? 1 : 0) |
    (event === '' ? 2 : 0) |
    (dateText === '' ? 4 : 0) |
    (Number.isNaN(date) ? 8 : 0) |
    (dobText === '' ? 16 : 0) |
    (Number.isNaN(dob) ? 32 : 0) |
    (dob > date ? 64 : 0) |
    (route === '' ? 128 : 0) |
    (rules.routeOf(route) === undefined ? 256 : 0);
  return `${flags} ${rules.eventOf(event)}`;
}

// Per schema (so per set of rules): verdicts by key.
const verdicts = new WeakMap<RowSchema, Map<string, Verdict>>();

/** Why a row the hot path turned down is invalid: one problem per column, in column order. */
export function explainRow(cells: string[], rules: RowRules, schema: RowSchema): RowProblem[] {
  const raw = rawRow(cells, rules);
  let known = verdicts.get(schema);
  if (!known) verdicts.set(schema, (known = new Map()));
  const key = verdictKey(raw, rules);
  let verdict = known.get(key);
  if (!verdict) known.set(key, (verdict = zodVerdict(raw, schema)));
  return verdict.map(({ column, code }) => ({
    column,
    code,
    message: describe(code, column, raw[column].trim(), rules),
  }));
}

const defaultEventHint = suggester(EVENTS);
const defaultRouteHint = suggester(ROUTES);

/** Dates, event and route codes are safe to echo; anything longer is cut so free text never leaks. */
const show = (v: string) => JSON.stringify(v.length > 30 ? `${v.slice(0, 27)}...` : v);

function describe(code: FindingCode, column: Field, value: string, rules: RowRules): string {
  const name = rules.header[column];
  switch (code) {
    case 'MISSING_VALUE':
      return column === 'date_of_birth' ? `${name} is required on an accommodated row` : `${name} is empty`;
    case 'INVALID_DATE': {
      // A date of birth is personal data: name the column and the problem, never the value.
      const what = column === 'date_of_birth' ? name : `${name} ${show(value)}`;
      if (!Number.isNaN(rules.parseDate.unbounded(value)))
        return `${what} is outside the dates pace-audit accepts (${DATE_RANGE_TEXT}); is the year mistyped?`;
      return `${what} is not a real date in an accepted format (${rules.parseDate.formats.join(', ')})`;
    }
    case 'UNKNOWN_EVENT':
      return `${name} ${show(value)} is not a known event${(rules.suggestEvent ?? defaultEventHint)(value)}`;
    case 'MISSING_ROUTE':
      return `${name} is required on a permanence decision`;
    case 'UNKNOWN_ROUTE':
      return `${name} ${show(value)} is not a known route (home, kinship, permanence_order, adoption)${(rules.suggestRoute ?? defaultRouteHint)(value)}`;
    case 'DOB_AFTER_EVENT':
      return `${name} is after the event date`;
    default:
      return code;
  }
}
