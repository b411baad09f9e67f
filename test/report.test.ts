import { describe, expect, it } from 'vitest';
import { colourFor } from '../src/report/colour.js';
import { progressReporter } from '../src/report/progress.js';
import { Findings } from '../src/validate/findings.js';
import { accountingLine } from '../src/report/accounting.js';

describe('colour', () => {
  it('only on a terminal, never with NO_COLOR set, never on a dumb terminal', () => {
    expect(colourFor({ isTTY: true }, {}).level).toBeGreaterThan(0);
    expect(colourFor({ isTTY: false }, {}).level).toBe(0);
    expect(colourFor({ isTTY: true }, { NO_COLOR: '1' }).level).toBe(0);
    expect(colourFor({ isTTY: true }, { TERM: 'dumb' }).level).toBe(0);
    expect(colourFor({ isTTY: true }, { NO_COLOR: '' }).level).toBeGreaterThan(0); // no-color.org: set and non-empty
    // FORCE_COLOR=0 or false turns colour off, as in chalk; any other value never colours a pipe.
    expect(colourFor({ isTTY: true }, { FORCE_COLOR: '0' }).level).toBe(0);
    expect(colourFor({ isTTY: true }, { FORCE_COLOR: 'false' }).level).toBe(0);
    for (const off of ['00', ' 0']) expect(colourFor({ isTTY: true }, { FORCE_COLOR: off }).level).toBe(0);
    for (const on of ['', 'true', '2'])
      expect(colourFor({ isTTY: true }, { FORCE_COLOR: on }).level).toBeGreaterThan(0);
    expect(colourFor({ isTTY: true }, { FORCE_COLOR: '1' }).level).toBeGreaterThan(0);
    expect(colourFor({ isTTY: false }, { FORCE_COLOR: '3' }).level).toBe(0);
  });
});

describe('findings', () => {
  it('counts every finding but keeps only the first N of each code, with lines', () => {
    const f = new Findings(2);
    for (let line = 2; line < 1002; line++) f.add('INVALID_DATE', line, 'event_date', 'C1', 'x');
    f.add('DUPLICATE_ROW', 5, null, 'C1', 'x');
    expect(f.counts.get('INVALID_DATE')).toBe(1000);
    expect(f.list().map((x) => [x.line, x.code])).toEqual([
      [2, 'INVALID_DATE'],
      [3, 'INVALID_DATE'],
      [5, 'DUPLICATE_ROW'],
    ]);
    expect(f.truncated).toBe(true);
    expect(f.count('error')).toBe(1000);
    expect(f.count('warning')).toBe(1);
    expect(f.byCode()).toEqual([
      { code: 'INVALID_DATE', severity: 'error', count: 1000, firstLines: [2, 3] },
      { code: 'DUPLICATE_ROW', severity: 'warning', count: 1, firstLines: [5] },
    ]);
  });

  it('names each first line once, where a row holds the same problem twice', () => {
    const f = new Findings();
    for (const line of [8, 9, 10]) {
      f.add('INVALID_DATE', line, 'event_date', 'C1', 'x');
      f.add('INVALID_DATE', line, 'date_of_birth', 'C1', 'x');
    }
    expect(f.byCode()).toEqual([{ code: 'INVALID_DATE', severity: 'error', count: 6, firstLines: [8, 9, 10] }]);
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => ({
    isTTY,
    text: '',
    show(t: string) {
      this.text += t;
    },
  });
  it('shows only on a terminal, and only for large files', () => {
    expect(progressReporter(500 * 1024 * 1024, sink(false))).toBeUndefined();
    expect(progressReporter(1024, sink(true))).toBeUndefined();
    const s = sink(true);
    const p = progressReporter(100 * 1024 * 1024, s)!;
    p.report(50 * 1024 * 1024, 100 * 1024 * 1024, 1000);
    expect(s.text).toMatch(/50\/100 MiB/);
  });
});

it('the accounting line reconciles and says rows for rows and events for events', () => {
  expect(
    accountingLine({
      rowsRead: 10,
      rowsAccepted: 8,
      rowsRejected: 2,
      duplicates: 1,
      ignored: 2,
      eventsAfterAsOf: 3,
      blankLines: 1,
    }),
  ).toBe(
    'Rows: 10 read = 8 accepted + 2 rejected; of the accepted rows, 1 repeats an earlier row (counted once) and 2 are ignored on purpose; 3 events on the rows read dated after the audit date (not yet happened); 1 blank line skipped',
  );
});
