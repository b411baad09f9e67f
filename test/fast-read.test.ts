// The fast path must give exactly the records csv-parse gives, or step aside (NotPlain): checked on
// generated awkward files, at many read sizes, down to a byte at a time.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { NotPlain, PlainRecords } from '../src/read/fast.js';
import { csvFile, d, episodesById, seeded } from './helpers.js';

const OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false } as const;

function fast(bytes: Buffer, delimiter: string, chunk: number): string[][] {
  const out: string[][] = [];
  const r = new PlainRecords(delimiter, (row) => out.push(row.cells()), 1 << 20);
  for (let i = 0; i < bytes.length; i += chunk) r.push(bytes.subarray(i, i + chunk));
  r.end();
  return out;
}

const reference = (bytes: Buffer, delimiter: string) => parse(bytes, { ...OPTIONS, delimiter }) as string[][];

const CELLS = [
  'C001',
  '',
  'accommodated',
  '2017-11-10',
  '10/11/2017',
  'ZOË',
  'ZOÈ',
  'kinship',
  ' spaced ',
  '£5',
  '日本',
  '"quoted, comma"',
  '"say ""hi"""',
  '""',
  '"x"',
];
const AWKWARD = ['"two\nlines"', 'a"b', '"open', '"x"y', '\0', '\r'];

/** A file of `rows` rows; `awkward` lets in the shapes the fast path must refuse. */
function generate(rand: () => number, delimiter: string, crlf: boolean, awkward: boolean): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const lines = ['child_id,event,event_date,route,notes'.replaceAll(',', delimiter)];
  const rows = 1 + Math.floor(rand() * 30);
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.08) {
      lines.push(rand() < 0.5 ? '' : delimiter.repeat(3));
      continue;
    }
    const n = 1 + Math.floor(rand() * 7);
    const cells = Array.from({ length: n }, () =>
      (awkward && rand() < 0.05 ? pick(AWKWARD) : pick(CELLS)).replaceAll(',', delimiter === ',' ? ',' : delimiter),
    );
    lines.push(cells.join(delimiter));
  }
  const end = crlf ? '\r\n' : '\n';
  let text = lines.join(end);
  if (rand() < 0.7) text += end;
  if (awkward && rand() < 0.2) text += crlf ? 'x\ny\n' : 'x\r\ny\r\n'; // line ends that change mid-file
  return (rand() < 0.2 ? '\uFEFF' : '') + text;
}

describe('fast path (PlainRecords)', () => {
  it('gives what csv-parse gives on plain files, at every read size', () => {
    const rand = seeded(1);
    for (let n = 0; n < 300; n++) {
      const delimiter = [',', ';', '\t'][n % 3];
      const bytes = Buffer.from(generate(rand, delimiter, n % 2 === 1, false));
      const expected = reference(bytes, delimiter);
      for (const chunk of [1, 2, 3, 7, 13, 64, 4096]) expect(fast(bytes, delimiter, chunk)).toEqual(expected);
    }
  });

  it('either gives what csv-parse gives or steps aside, on files with awkward shapes', () => {
    const rand = seeded(2);
    let refused = 0;
    for (let n = 0; n < 400; n++) {
      const delimiter = [',', ';', '\t'][n % 3];
      const bytes = Buffer.from(generate(rand, delimiter, n % 2 === 1, true));
      let expected: string[][] | undefined;
      try {
        expected = reference(bytes, delimiter);
      } catch {
        expected = undefined; // csv-parse refuses it: the fast path must too
      }
      for (const chunk of [1, 5, 64, 4096]) {
        try {
          const got = fast(bytes, delimiter, chunk);
          expect(got).toEqual(expected);
        } catch (e) {
          if (!(e instanceof NotPlain)) throw e;
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(100); // the awkward shapes really were met
  });

  it('steps aside on each shape it does not read', () => {
    const cases: [string, string][] = [
      ['quoted line break', 'a,b\n"x\ny",z\n'],
      ['stray quote', 'a,b\nx"y,z\n'],
      ['text after a closing quote', 'a,b\n"x"y,z\n'],
      ['unclosed quote', 'a,b\n"x,z\nc,d\n'],
      ['LF then CRLF', 'a,b\nc,d\r\n'],
      ['CRLF then LF', 'a,b\r\nc,d\n'],
      ['CR only', 'a,b\rc,d\r'],
      ['NUL', 'a,b\nc,\0\n'],
    ];
    for (const [, text] of cases)
      for (const chunk of [1, 4096]) expect(() => fast(Buffer.from(text), ',', chunk)).toThrow(NotPlain);
    // Invalid UTF-8, even when a multi-byte character is split across reads.
    const latin1 = Buffer.concat([Buffer.from('a,b\nZO'), Buffer.from([0xc9]), Buffer.from(',x\n')]);
    for (const chunk of [1, 3, 4096]) expect(() => fast(latin1, ',', chunk)).toThrow(NotPlain);
    const split = Buffer.from('a,b\nZOË,x\n');
    for (const chunk of [1, 2, 3, 7])
      expect(fast(split, ',', chunk)).toEqual([
        ['a', 'b'],
        ['ZOË', 'x'],
      ]);
  });

  it('refuses a record longer than the limit', () => {
    const r = new PlainRecords(',', () => {}, 100);
    expect(() => r.push(Buffer.alloc(200, 0x61))).toThrow(NotPlain);
  });
});

// Whole loads: the fast path, or csv-parse when it steps aside, must give exactly what csv-parse
// alone gives: accounting, findings with their lines, and episodes. The compiled modules are
// used so that the two-thread read (a worker) runs too.
describe('load() with and without the fast path', async () => {
  const { join } = await import('node:path');
  const { readFileSync } = await import('node:fs');
  const dist = (m: string) => join(import.meta.dirname, '..', 'dist', m);
  const { load }: typeof import('../src/load.js') = await import(dist('load.js'));
  const FIX = join(import.meta.dirname, '..', 'fixtures');

  async function loaded(file: string, reader: 'auto' | 'csv-parse', splitFrom: number) {
    const l = await load({ file, asOf: d('2018-11-01'), splitFrom, reader });
    const episodes = episodesById(l.episodes);
    return {
      reader: l.reader,
      same: { accounting: l.accounting, findings: l.findings.list(), byCode: l.findings.byCode(), episodes },
    };
  }

  const rows = readFileSync(join(FIX, 'sample-export.csv'), 'utf8').trimEnd().split(/\r?\n/);
  const plain = rows.filter((r) => !r.includes('"'));
  const [header, ...body] = plain;
  const variants: [string, string, boolean][] = [
    ['the sample export', readFileSync(join(FIX, 'sample-export.csv'), 'utf8'), true],
    ['plain rows, LF', `${plain.join('\n')}\n`, true],
    ['plain rows, CRLF, BOM, no final line end', `\uFEFF${plain.join('\r\n')}`, true],
    [
      'plain rows with blank lines and quoted cells',
      `${[header, '', ...body.map((r, i) => (i % 3 ? r : r.replace(/^([^,]*),/, '"$1",'))), ',,,'].join('\n')}\n`,
      true,
    ],
    ['rows reversed', `${[header, ...[...body].reverse()].join('\n')}\n`, true],
    [
      'a quoted line break',
      `${[header, ...body.slice(0, 5), 'C900,F900,2010-01-01,accommodated,2017-12-01,,"two\nlines"', ...body.slice(5)].join('\n')}\n`,
      false,
    ],
    ['line ends that change', `${[header, ...body.slice(0, 9)].join('\n')}\n${body.slice(9).join('\r\n')}\r\n`, false],
    [
      'a stray quote',
      `${[header, ...body.slice(0, 3), 'C901,F901,2010-01-01,review,2017-12-01,,5\'10"', ...body.slice(3)].join('\n')}\n`,
      false,
    ],
  ];
  for (const [name, text, fast] of variants) {
    it(`${name}: the same whichever reader, in one thread or two`, async () => {
      const file = csvFile(text);
      const reference = await loaded(file, 'csv-parse', Infinity);
      for (const splitFrom of [Infinity, 0]) {
        const got = await loaded(file, 'auto', splitFrom);
        expect(got.reader).toBe(fast ? 'fast' : 'csv-parse');
        expect(got.same).toEqual(reference.same);
      }
    });
  }
});
