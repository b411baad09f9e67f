import { describe, expect, it } from 'vitest';
import { parseDateOption, parseEncoding, parseNumberOption } from '../src/options.js';
import { cli, csv, csvFile } from './helpers.js';
import { d } from './helpers.js';

describe('option values', () => {
  it('reads encodings and their common names', () => {
    expect(parseEncoding('UTF8')).toBe('utf-8');
    expect(parseEncoding('cp1252')).toBe('windows-1252');
    expect(parseEncoding('latin1')).toBe('windows-1252');
    expect(parseEncoding('utf-16le')).toBe('utf-16le');
    expect(() => parseEncoding('ebcdic')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
  it('reads dates in either accepted order, and numbers within bounds', () => {
    expect(parseDateOption('01/11/2018', '--as-of')).toBe(d('2018-11-01'));
    expect(() => parseDateOption('11/31/2018', '--as-of')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(parseNumberOption('75%', '--aim', { max: 100 })).toBe(75);
    expect(() => parseNumberOption('101', '--aim', { max: 100 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => parseNumberOption('11.5', '--max-age', { integer: true })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('end to end', () => {
  const file = csvFile(
    csv(
      'C1,F1,2010-01-01,accommodated,2018-01-01,',
      'C1,F1,,permanence_decision,2018-08-10,home',
      'C2,=cmd,,accommodated,2018-02-30,',
    ),
  );
  it('--target in weeks moves the deadline and the status', () => {
    const j = (t: string) =>
      JSON.parse(cli(['audit', file, '--as-of', '2018-11-01', '--target', t, '--format', 'json']).stdout).children[0];
    expect(j('32w')).toMatchObject({ deadline: '2018-08-13', status: 'within' });
    expect(j('6m')).toMatchObject({ deadline: '2018-07-01', status: 'late' });
  });
  it('validate --format csv lists findings in line then code order, and exits 1', () => {
    const r = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'csv']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('file,line,column,code,severity,childId,message,lines');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 6))).toEqual([
      ['4', 'event_date', 'INVALID_DATE', 'error', 'C2'],
      ['4', 'date_of_birth', 'MISSING_VALUE', 'error', 'C2'],
    ]);
    // At a terminal the accounting follows on stderr; piped, the findings on stdout say it all.
    expect(r.stderr).not.toMatch(/Rows:/);
  });
  it('--encoding overrides detection', () => {
    const r = cli(['audit', file, '--as-of', '2018-11-01', '--encoding', 'windows-1252', '--format', 'json']);
    expect(JSON.parse(r.stdout).input.encoding).toBe('windows-1252');
  });
});

describe('--format', () => {
  const file = csvFile(csv('C1,F1,2012-01-01,accommodated,2018-01-01,'));
  it('a refused value names every format the command writes, html for audit but not validate', () => {
    const audit = cli(['audit', file, '--as-of', '2018-11-01', '--format', 'xml']);
    expect(audit.code).toBe(2);
    expect(audit.stderr).toContain('[INVALID_OPTION]');
    expect(audit.stderr).toMatch(/table, json, csv, ndjson, html/);
    const validate = cli(['validate', file, '--format', 'html']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('[INVALID_OPTION]');
    expect(validate.stderr).not.toMatch(/ndjson, html/);
  });
});
