// Reading messy exports: line ends that change, unclosed quotes, legacy encodings that show late,
// duplicate columns, caps on records and cells, and inputs that are not regular files. Each case
// must either audit correctly or stop with a stable code naming the line: never merge or lose rows.
import iconv from 'iconv-lite';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { load } from '../src/load.js';
import { DEFAULT_MAPPING, type Mapping } from '../src/mapping.js';
import { BIN, cli, csv, csvFile, d, dir, HEADER, loadCsv } from './helpers.js';

const row = (id: string, family = 'F1') => `${id},${family},2010-01-01,accommodated,2018-01-01,`;
const ids = (l: Awaited<ReturnType<typeof load>>) =>
  Array.from({ length: l.children.size }, (_, c) => l.children.id(c)).sort();
/** The error a load stops with, as code and message. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { code?: string; message: string }) => ({ code: e.code, message: e.message }),
  );
/** ASCII rows enough to fill the first 64 KiB (the sample the encoding is guessed from). */
const filler = Array.from({ length: 1700 }, (_, i) => row(`K${i}`, `G${i}`));

describe('line ends that change mid-file never merge records', () => {
  it.each([
    ['a CRLF header, then LF rows', `${HEADER}\r\n${row('C1')}\n${row('C2')}\n`, 2],
    ['LF rows, then CRLF rows', `${HEADER}\n${row('C1')}\n${row('C2')}\r\n${row('C3')}\r\n`, 3],
    ['CR only', `${HEADER}\r${row('C1')}\r${row('C2')}\r`, 2],
    ['CR rows after LF rows, no final line end', `${HEADER}\n${row('C1')}\r${row('C2')}\r${row('C3')}`, 3],
    ['a blank CRLF line among LF rows', `${HEADER}\n${row('C1')}\r\n\r\n${row('C2')}\n`, 2],
  ])('%s', async (_, text, n) => {
    const l = await loadCsv(text);
    expect(l.accounting).toMatchObject({ rowsRead: n, rowsAccepted: n, rowsRejected: 0 });
    expect(l.children.size).toBe(n);
  });

  it('keeps a quoted line break of another kind inside its cell', async () => {
    const l = await loadCsv(`${HEADER}\r\nC1,"F\n1",2010-01-01,accommodated,2018-01-01,\r\n${row('C2')}\n`);
    expect(l.accounting).toMatchObject({ rowsRead: 2, rowsAccepted: 2 });
    expect(l.children.familyName(1)).toBe('F\n1');
  });

  it('on the command line: every row of a glued file is read', () => {
    const r = cli([
      'validate',
      csvFile(`${HEADER}\r\n${row('C1')}\n${row('C2')}\n`),
      '--as-of',
      '2018-11-01',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).input).toMatchObject({ rowsRead: 2, rowsAccepted: 2 });
  });
});

describe('an unclosed quote never swallows rows silently', () => {
  it('stops at the line where the quote opened when it takes in the next row', async () => {
    const text = csv(
      row('C1'),
      'M1,"unclosed,2010-01-01,accommodated,2018-01-01,',
      'C2,"F2",2010-01-01,accommodated,2018-01-01,',
      row('C3'),
    );
    const e = await failure(loadCsv(text));
    expect(e).toMatchObject({
      code: 'MALFORMED_CSV',
      message: expect.stringMatching(/:3: a quoted cell in column 2 \("family_id"\)/),
    });
  });

  it('stops when the quoted cell holds whole rows', async () => {
    const header = `${HEADER},notes`;
    const text = [
      header,
      `${row('C1')},"unclosed note`,
      `${row('C2')},`,
      `${row('C3')},`,
      `${row('C4')},"closed"`,
      '',
    ].join('\n');
    expect(await failure(loadCsv(text))).toMatchObject({
      code: 'MALFORMED_CSV',
      message: expect.stringMatching(/:2: .*column 7 \("notes"\)/),
    });
  });

  it('stops at the line where a quote opened that is never closed', async () => {
    expect(
      await failure(loadCsv(csv(row('C1'), 'M1,"unclosed,2010-01-01,accommodated,2018-01-01,', row('C2')))),
    ).toMatchObject({
      code: 'MALFORMED_CSV',
      message: expect.stringMatching(/:3: a quote opened on this line is never closed/),
    });
  });

  it('still reads notes with line breaks and commas', async () => {
    const header = `${HEADER},notes`;
    const text = [
      header,
      `${row('C1')},"seen at home, well\nnext visit, with social worker, in March"`,
      `${row('C2')},"a, b, c, d, e\nf"`,
      `${row('C3')},"x\n\ny, z"`,
      '',
    ].join('\n');
    const l = await loadCsv(text);
    expect(l.accounting).toMatchObject({ rowsRead: 3, rowsAccepted: 3 });
  });

  it('on the command line: exit 2, the code, no stack trace', () => {
    const r = cli([
      'audit',
      csvFile(csv('M1,"unclosed,2010-01-01,accommodated,2018-01-01,', 'C2,"F2",2010-01-01,accommodated,2018-01-01,')),
      '--as-of',
      '2018-11-01',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[MALFORMED_CSV\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('an encoding that only shows late never merges ids', () => {
  const late = [row('ZOÉ', 'FA'), row('ZOÈ', 'FB')];
  const win1252 = iconv.encode(csv(...filler, ...late), 'windows-1252');

  it('a Windows-1252 export whose first 64 KiB are ASCII is read again as Windows-1252', async () => {
    expect(win1252.subarray(0, 64 * 1024).every((b) => b < 0x80)).toBe(true);
    const l = await load({ file: csvFile(win1252), asOf: d('2018-11-01') });
    expect(l.source.encoding).toBe('windows-1252');
    expect(l.children.size).toBe(filler.length + 2);
    expect(ids(l)).toEqual(expect.arrayContaining(['ZOÉ', 'ZOÈ']));
    expect(l.accounting).toMatchObject({ rowsRead: filler.length + 2, rowsAccepted: filler.length + 2 });
  });

  it('inspect reports it as Windows-1252', () => {
    const r = cli(['inspect', csvFile(win1252), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ encoding: 'windows-1252', rows: filler.length + 2 });
  });

  it('with --encoding utf-8 it stops at the line, suggesting windows-1252', () => {
    const r = cli(['audit', csvFile(win1252), '--encoding', 'utf-8', '--as-of', '2018-11-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`:${filler.length + 2}: .*--encoding windows-1252.*\\[INVALID_ENCODING\\]`));
  });

  it.each([
    ['UTF-8', [0xef, 0xbb, 0xbf], 'utf8', 'windows-1252'],
    ['UTF-16LE', [0xff, 0xfe], 'utf-16le', 'utf-8'],
  ] as const)('a %s byte-order mark and another --encoding: stops before reading, naming both', (_, bom, as, given) => {
    const bytes = Buffer.concat([Buffer.from(bom), iconv.encode(csv(row('A1')), as)]);
    const r = cli(['audit', csvFile(bytes), '--encoding', given, '--as-of', '2018-11-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/byte-order mark of .*--encoding (utf-8|utf-16le).*\[INVALID_ENCODING\]/);
    expect(r.stderr).not.toMatch(/\u00ef\u00bb|MISSING_COLUMN/);
    expect(r.stdout).toBe('');
  });

  it('UTF-8 text, then bytes that are not UTF-8: stops at the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from(csv(row('Zoë'), ...filler), 'utf8'),
      iconv.encode(late.join('\n') + '\n', 'windows-1252'),
    ]);
    expect(await failure(load({ file: csvFile(bytes), asOf: d('2018-11-01') }))).toMatchObject({
      code: 'INVALID_ENCODING',
      message: expect.stringContaining(`:${filler.length + 3}:`),
    });
  });

  it('UTF-16 with lone surrogates: stops at the line', async () => {
    const text = csv(row('A\uD800'), row('A\uD801'));
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    expect(await failure(load({ file: csvFile(bytes), asOf: d('2018-11-01') }))).toMatchObject({
      code: 'INVALID_ENCODING',
      message: expect.stringContaining(':2:'),
    });
  });

  it('Windows-1252 bytes it does not define: stops at the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from(csv(row('A1')), 'latin1'),
      Buffer.from([0x41, 0x81]),
      Buffer.from(',F,2010-01-01,accommodated,2018-01-01,\n'),
    ]);
    const e = await failure(load({ file: csvFile(bytes), asOf: d('2018-11-01'), encoding: 'windows-1252' }));
    expect(e).toMatchObject({ code: 'INVALID_ENCODING', message: expect.stringContaining(':3:') });
  });
});

describe('a column named twice is DUPLICATE_COLUMN', () => {
  it.each([
    [
      'the same name',
      'child_id,family_id,date_of_birth,event,child_id,event_date,route',
      /column 1 \(A\) and column 5 \(E\)/,
    ],
    [
      'after case and space normalisation',
      'Child_ID ,family_id,date_of_birth,event,event_date,route, child_ID',
      /column 1 \(A\) and column 7 \(G\)/,
    ],
  ])('%s', async (_, header, positions) => {
    const e = await failure(loadCsv(`${header}\nC1,F1,2010-01-01,accommodated,C1,2018-01-01,\n`));
    expect(e).toMatchObject({ code: 'DUPLICATE_COLUMN', message: expect.stringMatching(positions) });
  });

  it('for a header a config maps a field to', async () => {
    const mapping: Mapping = { ...DEFAULT_MAPPING, columns: { ...DEFAULT_MAPPING.columns, child_id: 'Client Ref' } };
    const text =
      'Client Ref,family_id,date_of_birth,event,event_date,route,client  ref\nC1,F1,2010-01-01,accommodated,2018-01-01,,C2\n';
    expect(await failure(loadCsv(text, '2018-11-01', mapping))).toMatchObject({
      code: 'DUPLICATE_COLUMN',
      message: expect.stringMatching(/column 1 \(A\) and column 7 \(G\)/),
    });
  });

  it('for a wide tracker\u2019s milestone column', async () => {
    const config = csvFile(
      JSON.stringify({
        layout: 'wide',
        columns: { child_id: 'Child', accommodated: 'Accommodated', permanence_panel: 'Panel' },
      }),
      'wide-dup.json',
    );
    const text = 'Child,Accommodated,Panel,Panel\nC1,2018-01-01,2018-05-01,2018-06-01\n';
    expect(await failure(loadCsv(text, '2018-11-01', loadConfig(config).mapping))).toMatchObject({
      code: 'DUPLICATE_COLUMN',
      message: expect.stringMatching(/column 3 \(C\) and column 4 \(D\)/),
    });
  });

  it('but not for a column that is not read', async () => {
    const l = await loadCsv(`${HEADER},notes,Notes\n${row('C1')},a,b\n`);
    expect(l.accounting).toMatchObject({ rowsRead: 1, rowsAccepted: 1 });
  });

  it('on the command line: exit 2', () => {
    const r = cli(['audit', csvFile(`${HEADER},child_id\n${row('C1')},C2\n`), '--as-of', '2018-11-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column 1 \(A\) and column 7 \(G\).*\[DUPLICATE_COLUMN\]/);
  });
});

describe('caps on records and cells, and inputs that are not regular files', () => {
  it('a record of more than 1 MiB stops at its line', async () => {
    const text = csv(...filler, `X1,"${'a'.repeat(2 * 1024 * 1024)}",2010-01-01,accommodated,2018-01-01,`, row('C2'));
    expect(await failure(loadCsv(text))).toMatchObject({
      code: 'MALFORMED_CSV',
      message: expect.stringContaining(`:${filler.length + 2}: the record starting on this line is longer than 1 MiB`),
    });
  });

  it('a cell of more than 256 KiB stops at its line', async () => {
    const text = csv(row('C1'), `X1,${'a'.repeat(300 * 1024)},2010-01-01,accommodated,2018-01-01,`);
    expect(await failure(loadCsv(text))).toMatchObject({
      code: 'MALFORMED_CSV',
      message: expect.stringMatching(/:3: the cell in column 2 \("family_id"\) is longer than 256 KiB/),
    });
  });

  it('NUL bytes after the first 64 KiB stop with NOT_TEXT at the line', async () => {
    const bytes = Buffer.concat([Buffer.from(csv(...filler)), Buffer.alloc(3 * 1024 * 1024)]);
    expect(await failure(load({ file: csvFile(bytes), asOf: d('2018-11-01') }))).toMatchObject({
      code: 'NOT_TEXT',
      message: expect.stringContaining(`:${filler.length + 2}:`),
    });
  });

  it('UTF-16 without a byte-order mark is NOT_TEXT naming the --encoding that reads it', async () => {
    const text = csv(row('C1'));
    for (const [enc, name] of [
      ['utf-16le', 'utf16le'],
      ['utf-16be', 'utf16be'],
    ] as const) {
      const bytes = name === 'utf16le' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf16le').swap16();
      const file = csvFile(bytes);
      expect(await failure(load({ file, asOf: d('2018-11-01') }))).toMatchObject({
        code: 'NOT_TEXT',
        message: expect.stringContaining(`give --encoding ${enc}`),
      });
      const l = await load({ file, asOf: d('2018-11-01'), encoding: enc });
      expect(l.accounting).toMatchObject({ rowsRead: 1, rowsAccepted: 1 });
    }
    // Binary data is not mistaken for it.
    expect(await failure(load({ file: csvFile(Buffer.alloc(4096, 0)), asOf: d('2018-11-01') }))).toMatchObject({
      code: 'NOT_TEXT',
      message: expect.not.stringMatching(/UTF-16/),
    });
  });

  it('a NUL inside a cell stops with NOT_TEXT at the line', async () => {
    expect(await failure(loadCsv(csv(...filler, 'X1,F\u0000,2010-01-01,accommodated,2018-01-01,')))).toMatchObject({
      code: 'NOT_TEXT',
      message: expect.stringContaining(`:${filler.length + 2}:`),
    });
  });

  // A FIFO as the input is read as a stream (issue 13; test/unattended.test.ts), not refused.
  it('a FIFO with no writer as config is refused at once', () => {
    const fifo = join(dir, 'fifo.csv');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo on this system
    // The timeout only turns a hang into a failure; nothing here measures time.
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 15_000 });
    const config = run(['audit', csvFile(csv(row('C1'))), '--config', fifo, '--as-of', '2018-11-01']);
    expect([config.status, config.stderr]).toEqual([
      2,
      expect.stringMatching(/not a regular file.*\[CONFIG_INVALID\]/),
    ]);
  });

  it('--config /dev/zero is refused, and so is a config of more than 1 MiB', () => {
    expect(() => loadConfig('/dev/zero')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/not a regular file/) }),
    );
    const big = csvFile(`{"layout": "long", "x": "${'a'.repeat(1024 * 1024)}"}`, 'big.json');
    expect(() => loadConfig(big)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/larger than 1 MiB/) }),
    );
  });

  it('a stream whose first non-UTF-8 byte comes late stops at its line, which --encoding mends', () => {
    // A file is read again as Windows-1252 (README "Pipes"); a stream cannot be read again.
    const rows = Array.from({ length: 3000 }, (_, i) => row(`C${i}`));
    const bytes = Buffer.concat([
      Buffer.from(csv(...rows)),
      Buffer.from('C9,F1,2010-01-01,accommodated,2018-01-01,caf\xe9\n', 'latin1'),
    ]);
    const audit = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [BIN, 'audit', '-', '--as-of', '2018-11-01', '--format', 'json', '--report', 'summary', ...extra],
        {
          encoding: 'utf8',
          input: bytes,
          timeout: 15_000,
        },
      );
    const stopped = audit();
    expect([stopped.status, stopped.stdout]).toEqual([2, '']);
    expect(stopped.stderr).toMatch(/^pace-audit: <stdin>:3002: .*--encoding windows-1252 \[INVALID_ENCODING\]\n$/);
    const mended = audit('--encoding', 'windows-1252');
    expect(mended.status).toBe(0);
    expect(JSON.parse(mended.stdout).input).toMatchObject({ rowsRead: 3001, rowsRejected: 0 });
  });

  it('a pipe carrying data is never called empty', () => {
    const r = spawnSync(process.execPath, [BIN, 'audit', '/dev/stdin', '--as-of', '2018-11-01', '--format', 'json'], {
      encoding: 'utf8',
      input: csv(row('C1')),
      timeout: 15_000,
    });
    expect(r.stderr).not.toMatch(/empty/);
    // Read as a stream (issue 13): the one child is counted.
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).input).toMatchObject({ rowsRead: 1, rowsAccepted: 1 });
  });
});
