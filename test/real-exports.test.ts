import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { load } from '../src/load.js';
import { DEFAULT_MAPPING, type Mapping } from '../src/mapping.js';
import { cli, codes, csv, csvFile, d, dir, loadCsv } from './helpers.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const AUDIT = ['--as-of', '2018-11-01', '--from', '2017-11-01', '--format', 'json'];
const auditJson = (args: string[]) => {
  const r = cli(['audit', ...args, ...AUDIT]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('the sample cohort exported four ways gives the same figures', () => {
  const canonical = auditJson([join(FIX, 'sample-export.csv')]);
  const seed = (s: Record<string, unknown>) => ({ ...s, reentries: undefined });
  it.each([
    [
      'a records system\u2019s own headers and codes',
      ['export-own-codes.csv', '--config', join(FIX, 'export-own-codes.config.json')],
      'utf-8',
      ',',
    ],
    [
      'a one-row-per-child tracker',
      ['tracker-wide.csv', '--config', join(FIX, 'tracker-wide.config.json')],
      'utf-8',
      ',',
    ],
    ['Excel\u2019s Windows-1252, semicolon CSV', ['export-excel-1252.csv'], 'windows-1252', ';'],
  ])('%s', (_, [file, ...rest], encoding, delimiter) => {
    const j = auditJson([join(FIX, file), ...rest]);
    expect(seed(j.summary)).toEqual(seed(canonical.summary));
    expect(j.summary).toMatchObject({
      children: 32,
      families: 25,
      decided: 21,
      decidedWithinTarget: 20,
      decidedLate: 1,
      overdue: 4,
      inProgress: 7,
      percentOfDecidedWithinTarget: 95.2,
      percentWithinTarget: 80,
      aimMet: true,
    });
    expect(j.stages).toEqual(canonical.stages);
    expect([j.input.encoding, j.input.delimiter]).toEqual([encoding, delimiter]);
    expect(j.input.rowsRead).toBe(j.input.rowsAccepted + j.input.rowsRejected);
    expect(j.input.rowsRejected).toBe(0);
  });
  it('counts the rows a config ignores on purpose', () => {
    const j = auditJson([join(FIX, 'export-own-codes.csv'), '--config', join(FIX, 'export-own-codes.config.json')]);
    expect(j.input.ignored).toBe(18);
  });
  it('reads pace-audit.config.json from the working folder, and flags override its defaults', () => {
    const r = cli(['audit', join(FIX, 'export-own-codes.csv'), '--as-of', '2018-11-01', '--format', 'json'], {}, dir);
    expect(r.code).toBe(2); // no config in dir: the canonical columns are missing
    expect(r.stderr).toMatch(/\[MISSING_COLUMN\]/);
    expect(r.stderr).toMatch(/columns found: "Activity Date", "Client Ref", "Activity Type"/);
    expect(r.stderr).toMatch(
      /"child_id" \(closest: "Client Ref"\), "event" \(closest: "Activity Type"\), "event_date" \(closest: "Activity Date"\)/,
    );
    const withFlag = cli([
      'audit',
      join(FIX, 'export-own-codes.csv'),
      '--config',
      join(FIX, 'export-own-codes.config.json'),
      '--from',
      '2018-03-01',
      '--as-of',
      '2018-11-01',
      '--format',
      'json',
    ]);
    expect(JSON.parse(withFlag.stdout).parameters.from).toBe('2018-03-01');
    const r2 = cli([
      'audit',
      join(FIX, 'export-own-codes.csv'),
      '--config',
      join(FIX, 'export-own-codes.config.json'),
      '--as-of',
      '2018-11-01',
      '--format',
      'json',
    ]);
    expect(JSON.parse(r2.stdout).parameters.from).toBe('2017-11-01'); // the config's default
  });
});

describe('config mistakes stop the run with the key path', () => {
  it.each([
    ['{"columns": {"child_id": 5}}', /columns\.child_id/],
    ['{"colums": {}}', /colums|Unrecognized key/],
    ['{"events": {"LAAC": "placed"}}', /events\.LAAC/],
    ['{"dateFormat": "mm/dd/yy"}', /dateFormat/],
    ['{"layout": "wide", "columns": {"child_id": "Child"}}', /columns\.accommodated/],
    ['{"defaults": {"aim": 120}}', /defaults\.aim/],
    ['{ not json', /not valid JSON/],
    ['{"columns": {"child_id": "TODO: the column holding the child id"}}', /columns\.child_id: still says TODO/],
    ['{"events": {"Case Note": "TODO: one of ..."}}', /events\.Case Note/],
  ])('%s', (text, message) => {
    const file = csvFile(text, `config-${Math.random().toString(36).slice(2)}.json`);
    expect(() => loadConfig(file)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }),
    );
    const r = cli(['audit', join(FIX, 'sample-export.csv'), '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[CONFIG_INVALID\]/);
  });
});

describe('files as they come', () => {
  const text = csv('C1,Café’s,2010-01-01,accommodated,2018-01-01,', 'C1,Café’s,,review,2018-01-10,');
  it.each([
    ['utf-8', Buffer.from(text, 'utf8')],
    ['utf-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['utf-16le with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
    ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
    ['windows-1252', iconv.encode(text, 'windows-1252')],
  ])('%s: detected, and é and ’ survive', async (name, bytes) => {
    if (name === 'windows-1252') expect(bytes.includes(0x92)).toBe(true); // ’ is 0x92, in the range TextDecoder gets wrong
    const l = await load({ file: csvFile(bytes), asOf: d('2018-11-01') });
    expect(l.source.encoding).toBe(name.replace(' with BOM', ''));
    expect(l.accounting).toMatchObject({ rowsRead: 2, rowsAccepted: 2 });
    expect(l.children.familyName(1)).toBe('Café’s');
  });

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])('delimiter %j (%s) is detected from the header', async (delim) => {
    const body = [
      'child_id,family_id,date_of_birth,event,event_date,route',
      'C1,"F,1",2010-01-01,accommodated,2018-01-01,',
    ]
      .map((l) => l.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, delim))
      .join('\r\n');
    const l = await load({ file: csvFile(body), asOf: d('2018-11-01') });
    expect(l.source.delimiter).toBe(delim);
    expect(l.accounting.rowsAccepted).toBe(1);
  });

  it.each([
    [
      'a semicolon export whose last header has more commas than the header has semicolons',
      ';',
      [
        'child_id;family_id;date_of_birth;event;event_date;route;Notes, comments, etc, more, commas, here, and, more',
        'C1;F1;2010-01-01;accommodated;2018-01-01;;',
        'C1;F1;;permanence_decision;2018-03-01;home;seen, agreed',
      ],
    ],
    [
      'a comma export whose notes hold semicolons',
      ',',
      [
        'child_id,family_id,date_of_birth,event,event_date,route,notes',
        'C1,F1,2010-01-01,accommodated,2018-01-01,,a;b;c;d;e;f;g;h',
        'C1,F1,,permanence_decision,2018-03-01,home,',
      ],
    ],
    [
      'a comma export with ragged rows and a semicolon header cell',
      ',',
      [
        'child_id,family_id,date_of_birth,event,event_date,route,a;b;c;d;e;f;g;h',
        'C1,F1,2010-01-01,accommodated,2018-01-01',
        'C1,F1,,permanence_decision,2018-03-01,home,',
      ],
    ],
  ] as const)('%s: the delimiter that splits every record the same way', async (_, delim, lines) => {
    const l = await load({ file: csvFile(lines.join('\r\n') + '\r\n'), asOf: d('2018-11-01') });
    expect(l.source.delimiter).toBe(delim);
    expect(l.accounting).toMatchObject({ rowsRead: 2, rowsAccepted: 2 });
  });

  it('skips blank lines, trims cells, and reads quoted delimiters and newlines', async () => {
    const l = await loadCsv(
      [
        '  child_id , family_id,date_of_birth,event,event_date,route',
        '',
        ' C1 ,"F,\n1",2010-01-01, accommodated ,2018-01-01,',
        '   ',
        '',
      ].join('\n'),
    );
    expect(l.accounting).toMatchObject({ rowsRead: 1, rowsAccepted: 1, blankLines: 2 });
    expect([l.children.size, l.children.id(0)]).toEqual([1, 'C1']);
    expect(l.children.familyName(1)).toBe('F,\n1');
  });

  it.each([
    ['d/m/yyyy', '5/3/2018'],
    ['dd-mm-yyyy', '05-03-2018'],
    ['dd.mm.yyyy', '05.03.2018'],
    ['d MMM yyyy', '5 Mar 2018'],
    ['with a time', '05/03/2018 14:30'],
    ['ISO with a time', '2018-03-05T00:00:00'],
  ])('date format %s is read by default', async (_, date) => {
    const l = await loadCsv(csv(`C1,F1,2010-01-01,accommodated,${date},`));
    expect(l.episodes.start(0)).toBe(d('2018-03-05'));
  });

  it('reads Excel serial days and month-first dates only when the config says so', async () => {
    const mapping = (dateFormats: Mapping['dateFormats']): Mapping => ({ ...DEFAULT_MAPPING, dateFormats });
    const serial = csv('C1,F1,40179,accommodated,43164,');
    expect(codes((await loadCsv(serial)).findings)).toEqual(['INVALID_DATE', 'INVALID_DATE']);
    expect((await loadCsv(serial, '2018-11-01', mapping(['excel']))).episodes.start(0)).toBe(d('2018-03-05'));
    const us = csv('C1,F1,01/31/2010,accommodated,03/05/2018,');
    expect(codes((await loadCsv(us)).findings)).toEqual(['INVALID_DATE']); // 31st month: never guessed
    expect((await loadCsv(us, '2018-11-01', mapping(['mm/dd/yyyy']))).episodes.start(0)).toBe(d('2018-03-05'));
  });

  it('a malformed file stops the run with exit 2 and its line', () => {
    const r = cli([
      'audit',
      csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,', '"C2,F1,2010-01-01,accommodated,2018-01-01,')),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[MALFORMED_CSV\]/);
  });
  it('a binary file is not delimited text', () => {
    const r = cli(['audit', csvFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]))]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('[NOT_TEXT]')]);
  });
});

describe('checks on the data: a code for each', () => {
  it('warnings keep the row', async () => {
    const { findings, accounting } = await loadCsv(
      csv(
        'C1,F1,1985-01-01,accommodated,1990-01-01,', // more than 25 years before the audit date
        'C2,F1,1995-01-01,accommodated,2018-01-01,', // 23 at accommodation
      ),
    );
    expect(codes(findings)).toEqual(['IMPLAUSIBLE_DATE', 'AGE_OVER_18']);
    expect(accounting.rowsRejected).toBe(0);
  });

  describe('a wide tracker: a second row for a child', () => {
    const mapping: Mapping = {
      ...DEFAULT_MAPPING,
      layout: 'wide',
      columns: { ...DEFAULT_MAPPING.columns, child_id: 'Child', route: 'Route' },
      milestones: { accommodated: 'Accommodated', permanence_decision: 'Decided' },
      dateFormats: ['yyyy-mm-dd'],
    };
    const header = 'Child,Accommodated,Decided,Route,date_of_birth';
    const tracker = (...rows: string[]) => loadCsv([header, ...rows].join('\n'), '2018-11-01', mapping);

    it('that disagrees with the first rejects both, in either order', async () => {
      const rows = [
        'C1,2018-01-01,2018-03-01,home,2010-01-01',
        'C1,2018-01-01,,,2010-01-01',
        'C2,2018-02-30,,,2010-01-01',
        'C3,2018-01-01,2018-03-01,,2010-01-01',
        'C4,2018-01-01,,,2010-01-01',
      ];
      for (const order of [rows, [rows[1], rows[0], ...rows.slice(2)]]) {
        const { findings, accounting, episodes } = await tracker(...order);
        expect(findings.list().map((f) => [f.line, f.code, f.column])).toEqual([
          [2, 'DUPLICATE_CHILD_ROW', 'Child'],
          [3, 'DUPLICATE_CHILD_ROW', 'Child'],
          [4, 'INVALID_DATE', 'Accommodated'],
          [5, 'MISSING_ROUTE', 'Route'],
        ]);
        expect(accounting).toMatchObject({ rowsRead: 5, rowsAccepted: 1, rowsRejected: 4 });
        expect(episodes.length).toBe(1);
        expect(episodes.childId(0)).toBe('C4');
      }
    });

    it('that repeats the first is rejected and the first kept', async () => {
      const { findings, accounting, episodes } = await tracker(
        'C1,2018-01-01,2018-03-01,home,2010-01-01',
        'C1,2018-01-01,2018-03-01,home,2010-01-01',
      );
      expect(findings.list().map((f) => [f.line, f.code])).toEqual([[3, 'DUPLICATE_CHILD_ROW']]);
      expect(accounting).toMatchObject({ rowsRead: 2, rowsAccepted: 1, rowsRejected: 1 });
      expect(episodes.length).toBe(1);
    });
  });
});

describe('inspect', () => {
  it('two exports joined end to end: the header again is named, not counted or suggested as a code', () => {
    const own = readFileSync(join(FIX, 'export-own-codes.csv'), 'utf8');
    const [header, ...rest] = own.trimEnd().split('\n');
    const once = JSON.parse(cli(['inspect', join(FIX, 'export-own-codes.csv'), '--format', 'json']).stdout);
    const glued = csvFile(`${header}\n${rest.join('\n')}\n${header}\n${rest.join('\n')}\n`, 'glued.csv');
    const j = JSON.parse(cli(['inspect', glued, '--format', 'json']).stdout);
    expect(j.headerAgain).toEqual({ same: [rest.length + 2], moved: [] });
    expect(j.rows).toBe(2 * once.rows);
    expect(j.suggestedConfig).toEqual(once.suggestedConfig);
    expect(j.eventColumn.values.map(([v]: [string]) => v)).toEqual(once.eventColumn.values.map(([v]: [string]) => v));
    // The second export's columns in another order: audit would stop there, and inspect says so.
    const cells = header.split(',');
    const swapped = [cells[1], cells[0], ...cells.slice(2)].join(',');
    const moved = csvFile(`${header}\n${rest[0]}\n${swapped}\n${rest[1]}\n`, 'moved.csv');
    const m = cli(['inspect', moved]);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/line 3\b.*HEADER_CHANGED/);
    expect(JSON.parse(cli(['inspect', moved, '--format', 'json']).stdout).headerAgain).toEqual({
      same: [],
      moved: [3],
    });
    // Without a column, or with one renamed: flagged too (audit stops there when it reads it).
    for (const second of [cells.slice(1).join(','), ['Date', ...cells.slice(1)].join(',')]) {
      const f = csvFile(`${header}\n${rest[0]}\n${second}\n${rest[1]}\n`, 'changed.csv');
      expect(JSON.parse(cli(['inspect', f, '--format', 'json']).stdout).headerAgain).toEqual({ same: [], moved: [3] });
    }
    expect(
      JSON.parse(cli(['inspect', join(FIX, 'export-own-codes.csv'), '--format', 'json']).stdout).headerAgain,
    ).toEqual({
      same: [],
      moved: [],
    });
  });

  it('names encoding, delimiter, date format and event codes, and suggests a working config', () => {
    const r = cli(['inspect', join(FIX, 'export-own-codes.csv'), '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ encoding: 'utf-8', delimiter: ',', rows: 174 });
    expect(j.eventColumn.header).toBe('Activity Type');
    expect(j.suggestedConfig.columns).toMatchObject({
      child_id: 'Client Ref',
      family_id: 'Sibling Group',
      date_of_birth: 'Date of Birth',
      event: 'Activity Type',
      event_date: 'Activity Date',
      route: 'Plan',
    });
    expect(j.suggestedConfig.dateFormat).toBe('dd/mm/yyyy');
    expect(j.suggestedConfig.events['LAAC Start']).toBe('accommodated');
    expect(j.suggestedConfig.events['Case Note']).toMatch(/^TODO/);
    expect(r.stdout).not.toContain('visit, see file'); // free text is never echoed
  });

  it.each([
    [
      'export-own-codes.csv',
      (c: { events: Record<string, string | null> }) => {
        c.events['Case Note'] = null;
        return c;
      },
    ],
    ['tracker-wide.csv', (c: unknown) => c],
  ])('its suggestion for %s, TODOs settled, audits to the seed figures', (file, settle) => {
    const j = JSON.parse(cli(['inspect', join(FIX, file), '--format', 'json']).stdout);
    if (file === 'tracker-wide.csv') expect(j.suggestedConfig.layout).toBe('wide');
    expect(j.eventColumn === null).toBe(file === 'tracker-wide.csv');
    const config = csvFile(JSON.stringify(settle(j.suggestedConfig)), `suggested-${file}.json`);
    const audit = auditJson([join(FIX, file), '--config', config]);
    expect(audit.summary).toMatchObject({
      children: 32,
      families: 25,
      decidedWithinTarget: 20,
      decidedLate: 1,
      overdue: 4,
      inProgress: 7,
    });
  });
});

describe('streaming', () => {
  it('a quoted newline across a parser chunk boundary keeps later line numbers right', async () => {
    const filler = Array.from({ length: 6000 }, (_, i) => `K${i},F${i},2010-01-01,accommodated,2018-01-01,`);
    // ~250 KiB of rows, then a quoted cell with newlines around 256 KiB, a read boundary.
    const before = csv(...filler);
    const pad = 'x'.repeat(Math.max(0, 256 * 1024 - Buffer.byteLength(before) - 20));
    const text =
      before +
      `Q1,"${pad}\nstill\nthe same cell",2010-01-01,accommodated,2018-01-01,\n` +
      'Z1,F1,,accommodated,2018-01-01,\n';
    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024);
    const { findings, accounting } = await loadCsv(text);
    expect(accounting).toMatchObject({ rowsRead: 6002, rowsRejected: 1 });
    // header 1, filler 2-6001, the long quoted cell 6002 (one row however many text lines), Z1 6003
    expect(findings.list()).toMatchObject([{ line: 6003, code: 'MISSING_VALUE', childId: 'Z1' }]);
  });
});
