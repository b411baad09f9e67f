// Reading an export in two threads must give exactly what one thread gives. The worker only
// exists compiled, so these tests use dist/ (npm test builds first).
import { describe, expect, it } from 'vitest';
import {
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { csv, csvFile, d, episodesById, spawnCli } from './helpers.js';
import { awkwardRows, exportText, threeOrders } from './orders.js';
import { Ev } from '../src/model.js';

type LoadModule = typeof import('../src/load.js');
type CutModule = typeof import('../src/read/cut.js');
type SourceModule = typeof import('../src/read/source.js');
type AuditModule = typeof import('../src/commands/audit/audit.js');
type RenderModule = typeof import('../src/commands/audit/render.js');
const dist = (m: string) => join(import.meta.dirname, '..', 'dist', m);
const { load }: LoadModule = await import(dist('load.js'));
const { countRecords, cutPoint }: CutModule = await import(dist('read/cut.js'));
const { checkUnchanged, openSource }: SourceModule = await import(dist('read/source.js'));
const { audit }: AuditModule = await import(dist('commands/audit/audit.js'));
const { renderJson, renderJsonSummary }: RenderModule = await import(dist('commands/audit/render.js'));
const { defaultStageTargets }: typeof import('../src/measures/stages.js') = await import(dist('measures/stages.js'));
const { parseDuration }: typeof import('../src/dates/duration.js') = await import(dist('dates/duration.js'));
const { readInTwoParts }: typeof import('../src/intake/two-parts.js') = await import(dist('intake/two-parts.js'));
const { DEFAULT_MAPPING }: typeof import('../src/mapping.js') = await import(dist('mapping.js'));
const { loadConfig }: typeof import('../src/config.js') = await import(dist('config.js'));

const FIX = join(import.meta.dirname, '..', 'fixtures');
const ONE = Infinity;
const TWO = 0;

async function loaded(
  file: string,
  splitFrom: number,
  asOf = '2018-11-01',
  mapping?: Parameters<LoadModule['load']>[0]['mapping'],
) {
  const l = await load({ file, asOf: d(asOf), splitFrom, mapping });
  const episodes = episodesById(l.episodes);
  return {
    accounting: l.accounting,
    findings: l.findings.list(),
    byCode: l.findings.byCode(),
    ids: Array.from({ length: l.children.size }, (_, c) => l.children.id(c)).sort(),
    episodes,
  };
}

/** Whether the two parts were read and joined, rather than the export read again in one thread. */
const joined = async (file: string, asOf = '2018-11-01', mapping = DEFAULT_MAPPING) =>
  (await readInTwoParts(openSource(file), { file, asOf: d(asOf), mapping })) !== undefined;

const paramsOf = (asOf: string, from = NaN, to = NaN, maxAge = 12) => ({
  asOf: d(asOf),
  from,
  to,
  maxAge,
  target: parseDuration('7.5m'),
  aim: 75,
  stageTargets: defaultStageTargets(),
  dueWithin: parseDuration('28d'),
});

async function auditJson(file: string, splitFrom: number, asOf = '2026-11-01') {
  return [...renderJson(await audit(paramsOf(asOf), { file, splitFrom }))].join('');
}

describe('reading in two threads', () => {
  it('gives what one thread gives on the sample export', async () => {
    const file = join(FIX, 'sample-export.csv');
    expect(await joined(file)).toBe(true);
    expect(await loaded(file, TWO)).toEqual(await loaded(file, ONE));
    expect(await auditJson(file, TWO)).toBe(await auditJson(file, ONE));
  });

  it('gives what one thread gives on an export with its own codes', async () => {
    const mapping = loadConfig(join(FIX, 'export-own-codes.config.json')).mapping;
    const file = join(FIX, 'export-own-codes.csv');
    expect(await loaded(file, TWO, '2018-11-01', mapping)).toEqual(await loaded(file, ONE, '2018-11-01', mapping));
  });

  // Date order and shuffling spread every child over both parts, so repeats, conflicting
  // decisions, dates of birth and family ids meet across the cut.
  const orders = threeOrders(awkwardRows(800, 5), 7);
  for (const [name, rows] of Object.entries(orders))
    it(`gives what one thread gives, duplicates and conflicts included, on rows ${name === 'grouped' ? 'grouped by child' : name === 'byDate' ? 'sorted by date' : 'shuffled'}`, async () => {
      const file = csvFile(exportText(rows), `synth-${name}.csv`);
      expect(await joined(file)).toBe(true);
      const one = await loaded(file, ONE);
      expect(one.accounting.duplicates).toBeGreaterThan(30);
      expect(one.byCode.find((b) => b.code === 'CONFLICTING_EVENT')?.count).toBeGreaterThan(30);
      expect(await loaded(file, TWO)).toEqual(one);
      if (name === 'shuffled')
        expect(await auditJson(file, TWO, '2018-11-01')).toBe(await auditJson(file, ONE, '2018-11-01'));
    });

  it('finds the same repeats whatever part they fall in', async () => {
    // Repeats of rows from the start of the export at its end: the original in the first part,
    // the repeat in the second; many are of reviews that cannot count.
    const rows = awkwardRows(400, 8);
    const file = csvFile(exportText([...rows, ...rows.slice(0, 500)]));
    expect(await joined(file)).toBe(true);
    const one = await loaded(file, ONE);
    expect(await loaded(file, TWO)).toEqual(one);
    expect(one.accounting.duplicates).toBeGreaterThan(300);
  });

  const filler = (n: number) => Array.from({ length: n }, (_, i) => `K${i},F${i},2010-01-01,accommodated,2018-01-01,`);

  it('reports a row in the second part that repeats one in the first, with both lines', async () => {
    const file = csvFile(
      csv('D1,F1,2010-01-01,accommodated,2018-01-01,', ...filler(200), 'D1,F1,2010-01-01,accommodated,2018-01-01,'),
    );
    expect(await joined(file)).toBe(true);
    const two = await loaded(file, TWO);
    expect(two).toEqual(await loaded(file, ONE));
    expect(two.accounting.duplicates).toBe(1);
    expect(two.findings.find((f) => f.code === 'DUPLICATE_ROW')).toMatchObject({
      line: 203,
      childId: 'D1',
      message: expect.stringContaining('line 2'),
    });
  });

  it('builds episodes from both parts when one ends the episode the other holds', async () => {
    // Part one ends the child's first episode; part two holds it, out of date order, with a
    // second review outside the episode.
    const file = csvFile(
      csv(
        'P1,F1,2010-01-01,ceased_accommodated,2018-03-01,',
        ...filler(200),
        'P1,F1,2010-01-01,accommodated,2018-01-01,',
        'P1,F1,2010-01-01,review,2018-01-15,',
        'P1,F1,2010-01-01,review,2018-08-01,',
      ),
    );
    expect(await joined(file)).toBe(true);
    const one = await loaded(file, ONE);
    expect(await loaded(file, TWO)).toEqual(one);
    expect(one.findings.filter((f) => f.childId === 'P1').map((f) => [f.code, f.line])).toEqual([
      ['EVENT_OUTSIDE_EPISODE', 205],
    ]);
  });

  it('keeps the first date of birth and reports a different one across the cut', async () => {
    const file = csvFile(
      csv('B1,F1,2010-01-01,accommodated,2018-01-01,', ...filler(200), 'B1,F1,2011-01-01,review,2018-01-15,'),
    );
    expect(await joined(file)).toBe(true);
    const two = await loaded(file, TWO);
    expect(two).toEqual(await loaded(file, ONE));
    expect(two.findings.map((f) => [f.code, f.line])).toEqual([['CONFLICTING_DOB', 203]]);
  });

  it('reads in one thread when the cut falls inside a quoted line break, with the same lines', async () => {
    const half = csv(...filler(200));
    const text =
      half +
      `Q1,"${'x'.repeat(400)}\n${'y'.repeat(400)}\n${'z'.repeat(Buffer.byteLength(half) - 800)}",2010-01-01,accommodated,2018-01-01,\n` +
      'Z1,F1,,bogus,2018-01-01,\n';
    const file = csvFile(text);
    // The cut (the first line end after 52% of the file) is inside the quoted cell.
    const src = openSource(file);
    expect(cutPoint(src)).toBeGreaterThan(Buffer.byteLength(half) + 400);
    expect(cutPoint(src)).toBeLessThan(Buffer.byteLength(half) + 810);
    expect(await joined(file)).toBe(false);
    const two = await loaded(file, TWO);
    expect(two).toEqual(await loaded(file, ONE));
    expect(two.findings.map((f) => [f.code, f.line])).toEqual([['UNKNOWN_EVENT', 203]]);
  });

  it('reads a file whose line ends change, across the cut, as one thread does', async () => {
    // LF rows, then CRLF rows from before the cut, then CR-only rows after it: no record merges.
    const rows = filler(300);
    const text =
      'child_id,family_id,date_of_birth,event,event_date,route\r\n' +
      rows.slice(0, 100).join('\n') +
      '\n' +
      rows.slice(100, 200).join('\r\n') +
      '\r\n' +
      rows.slice(200).join('\r') +
      '\r';
    const file = csvFile(text);
    expect(cutPoint(openSource(file))).toBeDefined();
    expect(await joined(file)).toBe(true);
    const two = await loaded(file, TWO);
    expect(two).toEqual(await loaded(file, ONE));
    expect(two.accounting).toMatchObject({ rowsRead: 300, rowsAccepted: 300 });
    expect(two.ids).toHaveLength(300);
  });

  it('stops on an unclosed quote in the second part at the line one thread reports', async () => {
    const file = csvFile(
      csv(
        ...filler(200),
        'M1,"unclosed,2010-01-01,accommodated,2018-01-01,',
        'C2,"F2",2010-01-01,accommodated,2018-01-01,',
        ...filler(3),
      ),
    );
    const err = (splitFrom: number) =>
      load({ file, asOf: d('2018-11-01'), splitFrom }).then(
        () => null,
        (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
      );
    const two = await err(TWO);
    expect(two).toMatchObject({ code: 'MALFORMED_CSV', message: expect.stringContaining(':202:') });
    expect(two).toEqual(await err(ONE));
  });

  it('reads a Windows-1252 export whose accents come after the cut again, whole, as Windows-1252', async () => {
    const file = csvFile(
      Buffer.from(
        csv(
          ...filler(2000),
          'ZO\u00c9,FA,2010-01-01,accommodated,2018-01-01,',
          'ZO\u00c8,FB,2010-01-01,accommodated,2018-01-01,',
        ),
        'latin1',
      ),
    );
    const two = await loaded(file, TWO);
    expect(two).toEqual(await loaded(file, ONE));
    expect(two.ids).toEqual(expect.arrayContaining(['ZO\u00c9', 'ZO\u00c8']));
    expect(two.accounting.rowsRead).toBe(2002);
  });

  it('reports malformed CSV in the second part at the line one thread reports', async () => {
    const file = csvFile(csv(...filler(200), 'M1,"unclosed,2010-01-01,accommodated,2018-01-01,'));
    const err = (splitFrom: number) =>
      load({ file, asOf: d('2018-11-01'), splitFrom }).then(
        () => null,
        (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
      );
    const two = await err(TWO);
    expect(two).toMatchObject({ code: 'MALFORMED_CSV' });
    expect(two).toEqual(await err(ONE));
  });

  // A first date more than 65,534 days after its episode's start is kept aside from the table's
  // 16-bit fields (timeline/episodes.ts `far`); the second thread's must move with its episodes
  // when a shared read appends them, or those dates are lost.
  it('keeps first dates far from their start when the second thread’s episodes are appended', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 40; i++)
      rows.push(
        `Y${i},F${i % 7},1901-01-01,accommodated,1902-01-${String(1 + (i % 9)).padStart(2, '0')},`,
        `Y${i},F${i % 7},,permanence_panel,208${i % 5}-01-01,`,
        `Y${i},F${i % 7},,permanence_decision,209${i % 5}-01-01,home`,
      );
    const file = csvFile(csv(...rows.reverse()), 'far-firsts.csv');
    const two = await loaded(file, TWO, '2098-11-01');
    expect(two).toEqual(await loaded(file, ONE, '2098-11-01'));
    const y7 = two.episodes.find((e) => e.childId === 'Y7')!;
    expect([y7.first[Ev.Panel], y7.first[Ev.Decision]]).toEqual([d('2082-01-01'), d('2092-01-01')]);
    const json = await auditJson(file, TWO, '2098-11-01');
    expect(json).toBe(await auditJson(file, ONE, '2098-11-01'));
    // The report numbers the children in id order (rows here are not), far first dates and all.
    const children = JSON.parse(json).children as { childId: string; decisionOn: string }[];
    expect(children.find((c) => c.childId === 'Y7')?.decisionOn).toBe('2092-01-01');
    expect(children.find((c) => c.childId === 'Y13')?.decisionOn).toBe('2093-01-01');
  });
});

describe('a summary only, read in two threads that each sum up their own children', () => {
  it('gives the summary one thread gives, and the whole audit: families on both sides, re-entries, cohort bounds', async () => {
    // Families of up to 40 children, so most have children in both threads; some children have
    // no family id (each a family of one); awkwardRows adds re-entries and a family id changed.
    // Ids the fast path reads from bytes, and ids or rows it leaves to be read as cells, whose
    // side each thread must work out alike: quoted, spaced (trimmed), a control character,
    // non-ASCII, doubled quotes; and some rows of a plain id read as cells (a non-ASCII family).
    const shapes = [
      (id: string) => `"${id}"`,
      (id: string) => ` ${id}\t`,
      (id: string) => `${id}\u0001`,
      (id: string) => `${id}é`,
      (id: string) => `"${id}""q"`,
    ];
    let k = 0;
    const rows = awkwardRows(700, 41).map((row) => {
      const [id, family, ...rest] = row.split(',');
      const c = Number(id.slice(1));
      let grouped = c % 9 === 0 ? '' : c % 3 === 0 ? `G${c % 17}` : family;
      if (c % 7 === 0 && k++ % 2 === 0) grouped = `Gé${c % 5}`;
      const shape = c % 11 < shapes.length ? shapes[c % 11] : (x: string) => x;
      return [shape(id), grouped, ...rest].join(',');
    });
    const cases = [
      paramsOf('2018-11-01'),
      paramsOf('2017-08-01', d('2016-06-01'), d('2017-06-30'), 9),
      paramsOf('2019-12-31', d('2016-03-01')),
    ];
    for (const [name, order] of Object.entries(threeOrders(rows, 5))) {
      const file = csvFile(exportText(order));
      for (const params of cases) {
        const context = `${name}, as of ${params.asOf}, from ${params.from}`;
        const sums = await load({ file, asOf: params.asOf, splitFrom: TWO, summaryOf: params });
        expect(sums.summary, context).toBeDefined(); // summed in two threads, not read in one
        const one = await audit(params, { file, splitFrom: ONE }, true);
        const two = await audit(params, { file, splitFrom: TWO }, true);
        const whole = await audit(params, { file, splitFrom: ONE });
        expect(two.summary, context).toEqual(one.summary);
        expect(two.summary, context).toEqual(whole.summary);
        expect(two.reentries, context).toBe(whole.reentries);
        expect(renderJsonSummary(two), context).toEqual(renderJsonSummary(one));
      }
    }
    // The cases hold what they are there for; a progress display hears of the measuring too.
    const phases = new Set<string>();
    const all = await audit(
      cases[0],
      { file: csvFile(exportText(rows)), splitFrom: TWO, onPhase: (p) => phases.add(p) },
      true,
    );
    expect([...phases]).toEqual(['building episodes', 'measuring']);
    expect(all.reentries).toBeGreaterThan(20);
    expect(all.summary.families).toBeLessThan(all.summary.children);
    expect(all.summary.families).toBeGreaterThan(60);
  });
});

describe('--pseudonymise puts each child in the family a plain run does', () => {
  // A child whose rows disagree on the family id is put in the smallest (README: Counting rules).
  // Under --pseudonymise that must be the smallest original id, not the smallest token: tokens
  // order at random, so the families, and their count, would depend on the key.
  const key = new Uint8Array(32).fill(9);
  /** Each family's number of children, largest first: the grouping, whatever the ids look like. */
  const familySizes = (l: Awaited<ReturnType<LoadModule['load']>>) => {
    const sizes = new Map<number, number>();
    for (let c = 0; c < l.children.size; c++) {
      const f = l.children.family.get(c);
      if (f !== 0) sizes.set(f, (sizes.get(f) ?? 0) + 1);
    }
    return [...sizes.values()].sort((a, b) => b - a);
  };

  it('when a child’s rows disagree on it, in one thread or two, in any row order', async () => {
    const rows = awkwardRows(700, 43);
    // The rows of some children name a second family, F<n>X after F<n>.
    expect(rows.filter((r) => /^C\d+,F\d+X,/.test(r)).length).toBeGreaterThan(20);
    // And children whose first row and last are a whole export apart, either side of any cut,
    // each naming another family (the smaller one first, or last), the smaller a sibling's.
    const first = (k: number) => `D${k},${k % 2 ? `G${k}` : `G${k}A`},2012-01-01,accommodated,2017-01-01,`;
    const last = (k: number) => `D${k},${k % 2 ? `G${k}A` : `G${k}`},,review,2017-02-01,`;
    const sibling = (k: number) => `E${k},G${k},2012-01-01,accommodated,2017-01-01,`;
    const apart = Array.from({ length: 60 }, (_, k) => k);
    const withApart = (some: string[]) => [...apart.map(first), ...some, ...apart.map(sibling), ...apart.map(last)];
    const plain = familySizes(
      await load({ file: csvFile(exportText(withApart(rows))), asOf: d('2018-11-01'), splitFrom: ONE }),
    );
    expect(plain.length).toBeGreaterThan(300);
    for (const [order, some] of Object.entries(threeOrders(rows, 44))) {
      const file = csvFile(exportText(withApart(some)));
      const options = { file, asOf: d('2018-11-01'), pseudonymiser: { key } };
      // The two-thread read really cuts this export (a part read by another thread, then joined).
      expect(await readInTwoParts(openSource(file), { ...options, mapping: DEFAULT_MAPPING })).toBeDefined();
      for (const splitFrom of [ONE, TWO])
        expect(familySizes(await load({ ...options, splitFrom })), `${order}, split from ${splitFrom}`).toEqual(plain);
    }
  }, 60_000);
});

describe('a second thread started while the command loads', () => {
  it('is let go of when the export is read some other way, and the run ends as it would', () => {
    // Over 8 MiB, so the thread that would share out its children starts ahead of the command;
    // read as Windows-1252 (csv-parse, in one thread: only UTF-8 is cut in two) it is never given a task.
    const rows = Array.from({ length: 190_000 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2018-01-01,`);
    const file = csvFile(`child_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\n`);
    const run = (...extra: string[]) =>
      spawnCli(['audit', file, '--as-of', '2018-11-01', '--format', 'json', '--report', 'summary', ...extra]);
    const shared = run();
    const other = run('--encoding', 'windows-1252');
    expect([shared.code, other.code, other.stderr]).toEqual([0, 0, '']);
    expect(JSON.parse(other.stdout).summary).toEqual(JSON.parse(shared.stdout).summary);
    expect(JSON.parse(shared.stdout).summary.children).toBe(190_000);
  });

  it('is started on a guess from the arguments, and a guess that names no export read changes nothing', () => {
    // Before the command line is parsed, an argument naming a file over 8 MiB starts the thread,
    // but for the files other options name: here the report's own --output (last month's, big),
    // which the run then writes over, and a big file mistaken for the audit date.
    const rows = Array.from({ length: 190_000 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2018-01-01,`);
    const big = csvFile(`child_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\n`);
    expect(statSync(big).size).toBeGreaterThan(8 * 1024 * 1024);
    const args = ['audit', join(FIX, 'sample-export.csv'), '--as-of', '2018-11-01', '--format', 'json'];
    const plain = spawnCli(args);
    const guessed = spawnCli([...args, '--output', big]);
    expect([plain.code, guessed.code, guessed.stdout, guessed.stderr]).toEqual([0, 0, '', plain.stderr]);
    expect(readFileSync(big, 'utf8')).toBe(plain.stdout);
    expect(statSync(big).mode & 0o777).toBe(0o600);
    writeFileSync(big, `child_id\n${'C0\n'.repeat(3_000_000)}`);
    const mistaken = spawnCli(['audit', join(FIX, 'sample-export.csv'), '--as-of', big]);
    expect([mistaken.code, mistaken.stdout, mistaken.stderr]).toEqual([
      2,
      '',
      expect.stringContaining('[INVALID_OPTION]'),
    ]);
  });
});

describe('an export that changes while it is read', () => {
  // A cron job may start before the records system has finished writing the export: a report of
  // part of it, or of two versions (each thread opens the file), would be a silent wrong answer.
  const HEAD = 'child_id,family_id,date_of_birth,event,event_date,route\n';
  const rows = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => `C${from + i},F${from + i},2010-01-01,accommodated,2018-01-01,\n`).join('');
  const changes = {
    grows: (file: string) => appendFileSync(file, rows(50_000, 10)),
    'is cut short': (file: string) => truncateSync(file, 5000),
    'is replaced': (file: string) => {
      writeFileSync(`${file}.new`, `${HEAD}${rows(0, 100)}`);
      renameSync(`${file}.new`, file);
    },
    'is replaced by one of the same size': (file: string) => {
      writeFileSync(`${file}.new`, readFileSync(file, 'utf8').replace('C1,F1,', 'C1,F2,'));
      renameSync(`${file}.new`, file);
    },
    'is written over in place, its size the same': (file: string) => {
      const fd = openSync(file, 'r+');
      writeSync(fd, 'C9,', 60); // the first byte of the second row's id onwards
      closeSync(fd);
    },
    'is removed': (file: string) => unlinkSync(file),
  };
  for (const reader of ['auto', 'csv-parse'] as const)
    for (const splitFrom of [ONE, TWO])
      for (const [name, change] of Object.entries(changes))
        it(`${reader === 'auto' ? 'fast path' : reader}, ${splitFrom === ONE ? 'one thread' : 'two threads'}: stops with INPUT_CHANGED when it ${name}`, async () => {
          const file = csvFile(`${HEAD}${rows(0, 20_000)}`);
          const options = { file, asOf: d('2018-11-01'), splitFrom, readBytes: 4096, reader };
          // Read whole, it is as it was: the check itself stops nothing.
          expect((await load(options)).accounting.rowsRead).toBe(20_000);
          let changed = false;
          const onProgress = () => {
            if (!changed) change(file);
            changed = true;
          };
          await expect(load({ ...options, onProgress })).rejects.toMatchObject({ code: 'INPUT_CHANGED' });
          expect(changed).toBe(true);
        });

  it('is read no further than its size when opened, then stops with INPUT_CHANGED', async () => {
    // Each read of 4 KiB is followed by ~5 KiB more: a reader that went to the end would chase it.
    const file = csvFile(`${HEAD}${rows(0, 2_000)}`);
    const size = statSync(file).size;
    for (const reader of ['auto', 'csv-parse'] as const) {
      let reads = 0;
      const onProgress = () => {
        if (++reads < 2_000) appendFileSync(file, rows(0, 120));
      };
      const options = { file, asOf: d('2018-11-01'), splitFrom: ONE, readBytes: 4096, reader, onProgress };
      await expect(load(options), reader).rejects.toMatchObject({ code: 'INPUT_CHANGED' });
      expect(reads, reader).toBeLessThanOrEqual(Math.ceil(size / 4096) + 1);
      writeFileSync(file, `${HEAD}${rows(0, 2_000)}`);
    }
  });

  it('checkUnchanged holds a file to what it was when opened', () => {
    const file = csvFile(`${HEAD}${rows(1, 1)}`);
    const src = openSource(file);
    expect(() => checkUnchanged(src)).not.toThrow();
    writeFileSync(file, readFileSync(file, 'utf8').replace('F1', 'F2'));
    expect(() => checkUnchanged(src)).toThrow(expect.objectContaining({ code: 'INPUT_CHANGED' }));
  });
});

describe('with no thread to spare', () => {
  it('a big export is read in one thread, and the run ends as it would in two', () => {
    // test/no-spare-thread.mjs refuses every thread a second one, as a limit on threads does:
    // neither the thread that shares out a plain export's children nor the one reading the
    // second part of a pseudonymised one (cut in two by bytes) can start.
    const rows = Array.from({ length: 190_000 }, (_, i) => `C${i},F${i % 90_000},2010-01-01,accommodated,2018-01-01,`);
    const file = csvFile(`child_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\n`);
    const key = { PACE_AUDIT_KEY: 'a key of the test, long enough to be one' };
    const refused = { NODE_OPTIONS: `--import=${join(import.meta.dirname, 'no-spare-thread.mjs')}` };
    for (const extra of [[], ['--pseudonymise']]) {
      const args = ['audit', file, '--as-of', '2018-11-01', '--format', 'json', '--report', 'summary', ...extra];
      const two = spawnCli(args, key);
      const one = spawnCli(args, { ...key, ...refused });
      expect([one.code, one.stderr, one.stdout], extra.join(' ')).toEqual([0, two.stderr, two.stdout]);
      expect(JSON.parse(one.stdout).summary.children).toBe(190_000);
    }
  });
});

describe('counting records before the cut', () => {
  const cases: Record<string, string> = {
    plain: 'a,b\n1,2\n\n3,4\n',
    crlf: 'a,b\r\n1,2\r\n\r\n3,4\r\n',
    'quoted line breaks and escaped quotes': 'a,b\n"x\ny",2\n"say ""hi""\n",3\n4,"""\n"""\n',
    'quotes inside unquoted cells': 'a,b\n5\'10",x\nq"r,"s\nt"\nu,v\n',
    'a BOM before a quoted header': '\uFEFF"a","b"\n1,2\n',
    'lone line feeds in a CRLF file': 'a,b\r\n1,x\ny\r\n2,3\r\n',
    'a CRLF header, then LF rows': 'a,b\r\n1,2\n3,4\n',
    'LF rows, then CRLF rows': 'a,b\n1,2\n3,4\r\n5,6\r\n',
    'CR only, with a quoted CR': 'a,b\r1,"x\ry"\r\r3,4\r',
    'LF then CR: a blank line between': 'a,b\n\r1,2\n',
  };
  for (const [name, text] of Object.entries(cases))
    it(name, () => {
      const file = csvFile(text);
      const src = openSource(file);
      // Every line end ends a record, as the reader is told (spelt out here, not imported).
      const records = parse(text, {
        bom: true,
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: false,
        record_delimiter: ['\n', '\r\n', '\r'],
      });
      expect(countRecords(src, Buffer.byteLength(text))).toBe(records.length);
    });

  it('counts CRLF, LF and CR alike, mixed, and a CRLF across its read chunks once', () => {
    const count = (text: string) => countRecords(openSource(csvFile(text)), Buffer.byteLength(text));
    expect(count('a,b\r\n1,2\n3,4\r5,6\r\n')).toBe(4);
    const pad = 'a,b\n' + 'x'.repeat(1024 * 1024 - 5);
    expect(Buffer.byteLength(pad)).toBe(1024 * 1024 - 1); // the CR ends the first chunk, the LF starts the next
    expect(count(pad + '\r\n1,2\r\n')).toBe(3);
  });

  it('crosses its own read chunks', () => {
    const row = '"quoted, with a\nline break",2\n';
    const text = 'a,b\n' + row.repeat(Math.ceil((3 * 1024 * 1024) / row.length));
    expect(countRecords(openSource(csvFile(text)), Buffer.byteLength(text))).toBe(
      1 + Math.ceil((3 * 1024 * 1024) / row.length),
    );
  });
});
