import { describe, expect, it } from 'vitest';
import { dateParser } from '../src/dates/parse.js';
import { DEFAULT_MAPPING, eventReader, routeReader } from '../src/mapping.js';
import { FIELDS, type Field } from '../src/model.js';
import {
  checkRow,
  explainRow,
  newEventRow,
  rawRow,
  type RowRules,
  rowSchema,
  zodVerdict,
} from '../src/validate/row.js';
import { codes, csv, loadCsv } from './helpers.js';

const rules: RowRules = {
  col: Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>,
  header: DEFAULT_MAPPING.columns,
  parseDate: dateParser(),
  eventOf: eventReader(DEFAULT_MAPPING),
  routeOf: routeReader(DEFAULT_MAPPING),
};
const schema = rowSchema(rules);
const problems = (cells: string[]) => explainRow(cells, rules, schema).map((p) => [p.column, p.code]);

describe('row rejection codes', () => {
  it.each([
    [['', 'F1', '2010-01-01', 'accommodated', '2018-01-01', ''], [['child_id', 'MISSING_VALUE']]],
    [['C1', 'F1', '2010-01-01', '', '2018-01-01', ''], [['event', 'MISSING_VALUE']]],
    [['C1', 'F1', '2010-01-01', 'accommodated', '', ''], [['event_date', 'MISSING_VALUE']]],
    [['C1', 'F1', '', 'accommodated', '2018-01-01', ''], [['date_of_birth', 'MISSING_VALUE']]],
    [['C1', 'F1', '2010-01-01', 'accommodated', '2018-02-30', ''], [['event_date', 'INVALID_DATE']]],
    [['C1', 'F1', '31/04/2010', 'accommodated', '2018-02-03', ''], [['date_of_birth', 'INVALID_DATE']]],
    [['C1', 'F1', '', 'placed', '2018-01-01', ''], [['event', 'UNKNOWN_EVENT']]],
    [['C1', 'F1', '', 'permanence_decision', '2018-01-01', ''], [['route', 'MISSING_ROUTE']]],
    [['C1', 'F1', '', 'permanence_decision', '2018-01-01', 'foster'], [['route', 'UNKNOWN_ROUTE']]],
    [['C1', 'F1', '2018-06-01', 'accommodated', '2018-01-01', ''], [['date_of_birth', 'DOB_AFTER_EVENT']]],
    [
      ['', 'F1', '', 'nonsense', 'soon', ''],
      [
        ['child_id', 'MISSING_VALUE'],
        ['event', 'UNKNOWN_EVENT'],
        ['event_date', 'INVALID_DATE'],
      ],
    ],
  ])('%j -> %j', (cells, expected) => {
    expect(checkRow(cells, rules, newEventRow())).toBe(false);
    expect(problems(cells)).toEqual(expected);
  });

  it('reads event codes case-insensitively with spaces and hyphens as underscores', () => {
    const row = newEventRow();
    expect(checkRow([' C1 ', '', '', 'Permanence Decision', '2018-01-01', 'Permanence-Order'], rules, row)).toBe(true);
    expect(row).toMatchObject({ childId: 'C1', event: 2, route: 3 });
  });

  it('never echoes more than the offending value', () => {
    const [p] = explainRow(
      ['C1', 'F1', '', 'a very long free text value that might hold a name', '2018-01-01', ''],
      rules,
      schema,
    );
    expect(p.message).not.toContain('might hold a name');
  });
});

describe('the hot path accepts exactly what the zod schema accepts', () => {
  const values: Record<Field, string[]> = {
    child_id: ['C1', '', '  '],
    family_id: ['F1', ''],
    date_of_birth: ['', '2010-05-01', '2018-06-01', '31/02/2010', 'x'],
    event: ['accommodated', 'review', 'Permanence Decision', 'ceased-accommodated', 'final_order', 'bogus', ''],
    event_date: ['2018-01-01', '01/01/2018', '2018-02-30', '', '1 Jan 2018 10:00'],
    route: ['', 'home', 'KINSHIP', 'adoption ', 'foster'],
  };
  it('on every combination of awkward values', () => {
    let rows = 0;
    const rec = (i: number, cells: string[]) => {
      if (i === FIELDS.length) {
        rows++;
        const fast = checkRow(cells, rules, newEventRow());
        const zod = schema.safeParse(Object.fromEntries(FIELDS.map((f, j) => [f, cells[j]]))).success;
        expect(fast, JSON.stringify(cells)).toBe(zod);
        return;
      }
      for (const v of values[FIELDS[i]]) rec(i + 1, [...cells, v]);
    };
    rec(0, []);
    expect(rows).toBe(3 * 2 * 5 * 7 * 5 * 5);
  });
});

describe('explainRow asks zod once per verdict key, and says what zod says of every row', () => {
  // Values the rules tell apart, with spaces, formats and codes that read alike.
  const values: Record<Field, string[]> = {
    child_id: ['C1', '', '  '],
    family_id: ['F1'],
    date_of_birth: ['', ' ', '2010-05-01', ' 01/05/2010', '2018-06-01', '2018-01-01', '31/02/2010', 'x'],
    event: [
      'accommodated',
      ' review ',
      'Permanence Decision',
      'permanence-decision',
      'final_order',
      'bogus',
      'BOGUS',
      '',
      ' ',
    ],
    event_date: ['2018-01-01', '01/01/2018 ', '2018-06-01', '2018-02-30', '', ' ', '1 Jan 2018 10:00'],
    route: ['', ' ', 'home', 'KINSHIP', 'adoption ', 'foster', 'Foster'],
  };
  const rows: string[][] = [];
  const rec = (i: number, cells: string[]) => {
    if (i === FIELDS.length) rows.push(cells);
    else for (const v of values[FIELDS[i]]) rec(i + 1, [...cells, v]);
  };
  rec(0, []);
  // Each order fills the memo from other rows first; a fresh schema is a fresh memo.
  it.each([
    ['in order', rows],
    ['reversed', [...rows].reverse()],
    ['interleaved', rows.filter((_, i) => i % 2).concat(rows.filter((_, i) => i % 2 === 0))],
  ])('%s', (_, order) => {
    const fresh = rowSchema(rules);
    let rejected = 0;
    for (const cells of order) {
      const direct = zodVerdict(rawRow(cells, rules), fresh);
      if (direct.length) rejected++;
      expect(
        explainRow(cells, rules, fresh).map((p) => ({ column: p.column, code: p.code })),
        JSON.stringify(cells),
      ).toEqual(direct);
    }
    expect(rejected).toBeGreaterThan(order.length / 2);
  });
});

describe('row accounting', () => {
  it('reconciles read = accepted + rejected on a file with every kind of bad row', async () => {
    const text = [
      'Child_ID , Family_ID,Date_Of_Birth,EVENT,event_date,route,notes',
      'C1,F1,2010-01-01,accommodated,2018-01-01,,',
      ',F1,2010-01-01,accommodated,2018-01-01,,missing id',
      'C2,F2,2010-01-01,accommodated,2018-02-30,,impossible date',
      'C3,F3,,accommodated,2018-01-01,,no dob',
      'C4,F4,2010-01-01,placed,2018-01-01,,unknown event',
      'C1,F1,,permanence_decision,2018-03-01,,no route',
      'C1,F1,,permanence_decision,2018-03-02,fostering,unknown route',
      'C5,F5,2019-01-01,accommodated,2018-01-01,,dob after',
      '',
      'C1,F1,2010-01-01,accommodated,2018-01-01,,duplicate',
      'C6,F6,2010-01-01,accommodated,2018-01-01,,',
      'C6,F6,2011-01-01,review,2018-01-10,,dob differs',
      'C7,F7,2010-01-01,accommodated,2018-01-01,,',
      'C7,F7,,permanence_decision,2018-02-01,home,',
      'C7,F7,,permanence_decision,2018-02-01,adoption,conflict',
      'C1,F1,,review,2019-01-01,,after as-of',
      '"C8","F8","2010-01-01","accommodated","2018-01-01","","quoted, with comma',
      'and a newline"',
      'C8,F8,,review,2018-30-01,,bad date after a quoted newline',
    ].join('\r\n');
    const { accounting: a, findings } = await loadCsv(text);
    expect(a.rowsRead).toBe(a.rowsAccepted + a.rowsRejected);
    expect(a).toMatchObject({
      rowsRead: 17,
      rowsRejected: 12,
      rowsAccepted: 5,
      duplicates: 1,
      eventsAfterAsOf: 1,
      blankLines: 1,
    });
    expect(codes(findings)).toEqual([
      'MISSING_VALUE',
      'INVALID_DATE',
      'MISSING_VALUE',
      'UNKNOWN_EVENT',
      'MISSING_ROUTE',
      'UNKNOWN_ROUTE',
      'DOB_AFTER_EVENT',
      'DUPLICATE_ROW',
      'CONFLICTING_DOB',
      'CONFLICTING_EVENT',
      'CONFLICTING_EVENT',
      'INVALID_DATE',
    ]);
    const lines = findings.list().map((f) => f.line);
    expect(lines).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 13, 15, 16, 19]);
  });
});

it('a spreadsheet line is the record index counting blank lines, not the text line', async () => {
  const { findings } = await loadCsv(
    csv('"C1","F1","2010-01-01","accommodated","2018-01-01","a\nb\nc"', '', '', 'C2,F2,,accommodated,2018-01-01,'),
  );
  expect(findings.list()).toMatchObject([{ line: 5, code: 'MISSING_VALUE', column: 'date_of_birth', childId: 'C2' }]);
});
