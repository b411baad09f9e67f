/**
 * Turns one input row into canonical events, for either layout:
 * - long: a row per event (child, event, date, route);
 * - wide: a row per child with a date column per milestone (a PACE tracker), each non-empty
 *   milestone becoming the event the long layout would have had, so every check and measure
 *   is shared and both layouts give the same figures for the same children.
 */
import { type DateParser } from '../dates/parse.js';
import { eventReader, isRequired, type Mapping, routeReader } from '../mapping.js';
import { EVENTS, type EventName, FIELDS, type Field, ROUTES } from '../model.js';
import { locateColumns } from '../read/columns.js';
import { suggester } from '../suggest.js';
import { checkRow, type EventRow, explainRow, newEventRow, type RowProblem, type RowRules, rowSchema } from './row.js';

/**
 * How the family ids of one child are ordered to choose between them (README: Counting rules):
 * the ids behind --pseudonymise's tokens, not the tokens, so that the key never moves a child.
 */
export interface FamilyOrder {
  /** Whether family `a` comes before family `b`. */
  before(a: string, b: string): boolean;
  /** Every family this order knows, with what it knows of it, for the thread that joins them. */
  known(): [string, string][];
  /** Takes in what another thread's `known` gave. */
  learn(known: [string, string][]): void;
}

export interface Layout {
  childId(cells: string[]): string;
  /** Fills `rows` with the row's events and returns how many; -1 when the row is invalid. */
  read(cells: string[]): number;
  readonly rows: EventRow[];
  /** Why an invalid row is invalid, naming the export's own columns. */
  explain(cells: string[]): (RowProblem & { header: string })[];
  /** A long layout's rules (its columns and readers), for reading rows from bytes (intake/plain.ts). */
  readonly long?: RowRules;
  /** How family ids are ordered, when not by `<` (see FamilyOrder). */
  readonly families?: FamilyOrder;
}

export function makeLayout(file: string, header: string[], mapping: Mapping, parseDate: DateParser): Layout {
  return mapping.layout === 'wide'
    ? wideLayout(file, header, mapping, parseDate)
    : longLayout(file, header, mapping, parseDate);
}

function longLayout(file: string, header: string[], mapping: Mapping, parseDate: DateParser): Layout {
  const col = locateColumns(
    file,
    header,
    FIELDS.map((f) => ({ key: f, header: mapping.columns[f], required: isRequired(f) })),
  ) as Record<Field, number>;
  const rules: RowRules = {
    col,
    header: mapping.columns,
    parseDate,
    eventOf: eventReader(mapping),
    routeOf: routeReader(mapping),
    suggestEvent: suggester([...EVENTS, ...Object.keys(mapping.events ?? {})]),
    suggestRoute: suggester([...ROUTES, ...Object.keys(mapping.routes ?? {})]),
  };
  const rows = [newEventRow()];
  let schema: ReturnType<typeof rowSchema> | undefined;
  return {
    rows,
    long: rules,
    childId: (cells) => (cells[col.child_id] ?? '').trim(),
    read: (cells) => (checkRow(cells, rules, rows[0]) ? 1 : -1),
    explain(cells) {
      schema ??= rowSchema(rules);
      return explainRow(cells, rules, schema).map((p) => ({ ...p, header: mapping.columns[p.column] }));
    },
  };
}

/** Canonical cells, in FIELDS order, for one milestone of a wide row. */
const CANONICAL: Record<Field, number> = {
  child_id: 0,
  family_id: 1,
  date_of_birth: 2,
  event: 3,
  event_date: 4,
  route: 5,
};

function wideLayout(file: string, header: string[], mapping: Mapping, parseDate: DateParser): Layout {
  const milestones = Object.entries(mapping.milestones ?? {}) as [EventName, string][];
  const wanted = [
    ...(['child_id', 'family_id', 'date_of_birth', 'route'] as const).map((f) => ({
      key: f,
      header: mapping.columns[f],
      required: f === 'child_id',
    })),
    ...milestones.map(([event, h]) => ({ key: event, header: h, required: event === 'accommodated' })),
  ];
  const col = locateColumns(file, header, wanted);
  const routeOf = routeReader(mapping);
  const eventOf = (v: string) => EVENTS.indexOf(v as EventName);
  const suggestRoute = suggester([...ROUTES, ...Object.keys(mapping.routes ?? {})]);
  // One set of rules per milestone, so that messages name the milestone's own date column.
  const rulesFor = new Map(
    milestones.map(([event, h]) => [
      event,
      {
        col: CANONICAL,
        header: { ...mapping.columns, event_date: h },
        parseDate,
        eventOf,
        routeOf,
        suggestRoute,
      } satisfies RowRules,
    ]),
  );
  const present = milestones.filter(([event]) => col[event] >= 0);
  const cellOf = (cells: string[], key: string) => (col[key] >= 0 ? (cells[col[key]] ?? '').trim() : '');
  const rows: EventRow[] = present.map(() => newEventRow());
  const canonical = (cells: string[], event: EventName): string[] => [
    cellOf(cells, 'child_id'),
    cellOf(cells, 'family_id'),
    event === 'accommodated' ? cellOf(cells, 'date_of_birth') : '',
    event,
    cellOf(cells, event),
    event === 'permanence_decision' ? cellOf(cells, 'route') : '',
  ];
  // A milestone with no date has not happened; the accommodation date is always required.
  const applies = (cells: string[], event: EventName) => event === 'accommodated' || cellOf(cells, event) !== '';
  const schemas = new Map<EventName, ReturnType<typeof rowSchema>>();
  return {
    rows,
    childId: (cells) => cellOf(cells, 'child_id'),
    read(cells) {
      let n = 0;
      for (const [event] of present) {
        if (!applies(cells, event)) continue;
        if (!checkRow(canonical(cells, event), rulesFor.get(event)!, rows[n])) return -1;
        n++;
      }
      return n;
    },
    explain(cells) {
      const out: (RowProblem & { header: string })[] = [];
      const seen = new Set<string>();
      for (const [event] of present) {
        if (!applies(cells, event)) continue;
        const rules = rulesFor.get(event)!;
        let schema = schemas.get(event);
        if (!schema) schemas.set(event, (schema = rowSchema(rules)));
        for (const p of explainRow(canonical(cells, event), rules, schema)) {
          const h = p.column === 'event_date' ? rules.header.event_date : mapping.columns[p.column];
          if (seen.has(h)) continue;
          seen.add(h);
          out.push({ ...p, header: h });
        }
      }
      return out;
    },
  };
}
