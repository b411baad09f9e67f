/**
 * The surface a new user meets: help, CSV of every report, the JSON contract's shared shapes,
 * tables that fit the terminal, lists cut to a screenful, and progress through every phase.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/commands/audit/audit.js';
import { parseDuration } from '../src/dates/duration.js';
import { defaultStageTargets } from '../src/measures/stages.js';
import { countingChunks, progressReporter } from '../src/report/progress.js';
import { fitTable, keepEnd, wrapText } from '../src/report/table.js';
import { cli, csv, csvFile, d, dir } from './helpers.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');
const SAMPLE_ARGS = ['audit', SAMPLE, '--as-of', '2018-11-01', '--from', '2017-11-01'];

describe('help', () => {
  it.each(['audit', 'validate', 'child', 'inspect', 'trend', 'changes'])(
    '%s --help ends with 2 to 4 real examples',
    (command) => {
      const r = cli([command, '--help']);
      expect(r.code).toBe(0);
      const examples = r.stdout.slice(r.stdout.lastIndexOf('Examples:')).trim().split('\n').slice(1);
      expect(r.stdout.trimEnd().endsWith(examples.at(-1)!)).toBe(true);
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(4);
      for (const e of examples) expect(e.trim()).toMatch(new RegExp(`^pace-audit ${command} `));
    },
  );

  it('says which formats each format-dependent option applies to', () => {
    const help = cli(['audit', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--report <name> .*table: any .*csv: one of .*json: summary writes the summary alone/);
    expect(help).toMatch(/--limit <n\|all> table only/);
    expect(help).toMatch(/--bom csv only/);
  });

  it('child --help offers no format that child rejects', () => {
    const format = cli(['child', '--help'])
      .stdout.split('\n')
      .find((l) => l.includes('--format'))!;
    expect(format).toContain('json');
    expect(format).not.toContain('csv');
    const r = cli(['child', 'C001', SAMPLE, '--format', 'csv']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('[INVALID_OPTION]')]);
  });

  it('no arguments at all: help on stderr and exit 2', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: pace-audit/);
  });

  it('an unknown command suggests the nearest, with exit 2', () => {
    const r = cli(['audt', SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean audit\?/i);
  });
});

/** Every cell of a CSV as text, parsed by csv-parse. */
const parsed = (text: string) => parse(text, { columns: true, bom: true }) as Record<string, string>[];
const FORMULA = /^[=+\-@\t\r]/;

describe('CSV of every report, parsed back', () => {
  const json = JSON.parse(cli([...SAMPLE_ARGS, '--format', 'json']).stdout);
  const report = (name: string) => {
    const r = cli([...SAMPLE_ARGS, '--format', 'csv', '--report', name]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parsed(r.stdout);
    for (const row of rows)
      for (const [k, v] of Object.entries(row)) {
        if (!/^-?\d+(\.\d+)?$/.test(v)) expect(v, k).not.toMatch(FORMULA); // text is never a formula
        if (/On$|^deadline$|^asOf$|^from$|^to$/.test(k) && v && !/[a-z]/.test(v))
          expect(v, k).toMatch(/^\d{4}-\d{2}-\d{2}$/); // dates stay ISO text
      }
    return rows;
  };

  it('summary: one row of the JSON summary, with the run it describes', () => {
    const rows = report('summary');
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ asOf: '2018-11-01', from: '2017-11-01', to: '', maxAge: '12', target: '7.5m' });
    for (const [k, v] of Object.entries(json.summary)) expect(row[k], k).toBe(String(v));
    expect(row.percentWithinTarget).toBe('80');
    expect(row.aimMet).toBe('true');
  });

  it('routes, with the lag flattened to lag* columns', () => {
    const rows = report('routes');
    expect(rows.map((r) => [r.route, r.label, Number(r.decisions), Number(r.lagMedian)])).toEqual(
      json.routes.map((r: { route: string; label: string; decisions: number; lag: { median: number } }) => [
        r.route,
        r.label,
        r.decisions,
        r.lag.median,
      ]),
    );
  });

  it('families: one row per sibling group of more than one child', () => {
    const rows = report('families');
    expect(rows).toHaveLength(json.families.groupsOfMoreThanOne);
    expect(
      rows.map((r) => [
        r.familyId,
        Number(r.children),
        r.firstDecisionOn || null,
        r.spanDays === '' ? null : Number(r.spanDays),
      ]),
    ).toEqual(
      json.families.groups.map(
        (g: { familyId: string; children: number; firstDecisionOn: string | null; spanDays: number | null }) => [
          g.familyId,
          g.children,
          g.firstDecisionOn,
          g.spanDays,
        ],
      ),
    );
  });

  it.each([
    ['stages', 7, 'stage'],
    ['drift', null, 'from'],
    ['due-soon', null, 'childId'],
    ['overdue', 4, 'childId'],
    ['children', 32, 'childId'],
  ])('%s', (name, count, first) => {
    const rows = report(name);
    if (count !== null) expect(rows).toHaveLength(count);
    expect(Object.keys(rows[0])[0]).toBe(first);
  });

  it('drift: keys and labels, one row for all routes and one per route', () => {
    const rows = report('drift');
    const expected = json.drift.flatMap(
      (x: { from: string; to: string; count: number; byRoute: Record<string, { count: number }> }) => [
        [x.from, x.to, 'all', x.count],
        ...Object.entries(x.byRoute).map(([route, s]) => [x.from, x.to, route, s.count]),
      ],
    );
    expect(rows.map((r) => [r.from, r.to, r.route, Number(r.count)])).toEqual(expected);
    expect(rows[0].fromLabel).toBe('Accommodation');
  });

  it('findings (validate), file first and every finding', () => {
    const file = csvFile(
      csv(
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,,permanence_decision,2018-02-01,foster',
        '=C2,F2,2010-01-01,accommodated,2018-02-30,',
      ),
    );
    const r = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'csv']);
    expect(r.code).toBe(1);
    const rows = parsed(r.stdout);
    expect(Object.keys(rows[0])).toEqual(['file', 'line', 'column', 'code', 'severity', 'childId', 'message', 'lines']);
    expect(rows.map((x) => [x.file, x.line, x.code, x.childId])).toEqual([
      [file, '3', 'UNKNOWN_ROUTE', 'C1'],
      [file, '4', 'INVALID_DATE', "'=C2"],
    ]);
  });

  it('--bom writes a UTF-8 byte-order mark first, so Excel reads ZOË as ZOË', () => {
    const file = csvFile(csv('ZOË,F1,2010-01-01,accommodated,2017-01-01,'));
    const out = join(dir, 'bom.csv');
    expect(
      cli(['audit', file, '--as-of', '2018-11-01', '--format', 'csv', '--report', 'children', '--bom', '--output', out])
        .code,
    ).toBe(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parsed(bytes.toString('utf8'))[0].childId).toBe('ZOË');
    const plain = cli(['audit', file, '--as-of', '2018-11-01', '--format', 'csv', '--report', 'children']).stdout;
    expect(plain.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('options for another format are usage errors, not ignored', () => {
    for (const args of [
      ['--format', 'json', '--bom'],
      ['--format', 'csv', '--limit', '5'],
      ['--format', 'csv', '--report', 'all'],
      ['--limit', '0'],
    ]) {
      const r = cli([...SAMPLE_ARGS, ...args]);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringContaining('[INVALID_OPTION]')]);
    }
  });
});

describe('JSON schemaVersion 2', () => {
  const ev = (id: string, event: string, date: string, route = '') =>
    `${id},F${id},${event === 'accommodated' ? '2012-01-01' : ''},${event},${date},${route}`;
  const file = csvFile(
    csv(
      ev('U', 'accommodated', '2018-01-01'), // undecided, still accommodated
      ev('L', 'accommodated', '2018-01-01'),
      ev('L', 'ceased_accommodated', '2018-03-01'), // left care undecided
      ev('P', 'accommodated', '2018-01-01'),
      ev('P', 'permanence_decision', '2018-02-01', 'adoption'),
      ev('P', 'ceased_accommodated', '2018-04-02'), // left before panel
      ev('X', 'accommodated', '2018-01-01'),
      ev('X', 'permanence_decision', '2018-02-01', 'unknown'), // rejected row
    ),
  );
  const auditJson = JSON.parse(cli(['audit', file, '--as-of', '2018-11-01', '--format', 'json']).stdout);
  const validateJson = JSON.parse(cli(['validate', file, '--as-of', '2018-11-01', '--format', 'json']).stdout);

  it('audit and validate share their shapes', () => {
    for (const j of [auditJson, validateJson]) {
      expect(j.schemaVersion).toBe(2);
      expect(Object.keys(j).slice(0, 5)).toEqual(['schemaVersion', 'tool', 'parameters', 'input', 'summary']);
      expect(Array.isArray(j.summary)).toBe(false);
      expect(typeof j.summary).toBe('object');
    }
    expect(Object.keys(validateJson.input)).toEqual(Object.keys(auditJson.input));
    expect(validateJson.input).toEqual(auditJson.input);
    expect(validateJson.parameters.asOf).toBe(auditJson.parameters.asOf);
    expect({ errors: validateJson.summary.errors, warnings: validateJson.summary.warnings }).toEqual({
      errors: auditJson.summary.errors,
      warnings: auditJson.summary.warnings,
    });
    expect(auditJson.summary.errors).toBe(1);
    expect(validateJson.summary.byCode).toEqual([
      { code: 'UNKNOWN_ROUTE', severity: 'error', count: 1, firstLines: [9] },
    ]);
    expect(validateJson.issues).toEqual(auditJson.issues);
  });

  it('enumerated values are keys; labels are separate fields', () => {
    const starts = [
      'accommodation',
      'early_review',
      'statutory_review',
      'decision',
      'panel',
      'adm',
      'court_application',
      'final_order',
    ];
    for (const x of auditJson.drift) {
      expect(starts).toContain(x.from);
      expect(starts).toContain(x.to);
      expect(x.fromLabel).toMatch(/^[A-Z]/);
      expect(x.toLabel).toMatch(/^[A-Z]/);
    }
    expect(auditJson.drift.find((x: { to: string }) => x.to === 'panel')).toMatchObject({
      from: 'decision',
      fromLabel: 'Permanence decision',
      toLabel: 'Permanence panel',
    });
    for (const s of auditJson.stages) expect(starts).toContain(s.from);
    expect(auditJson.routes.map((r: { route: string; label: string }) => [r.route, r.label])).toEqual([
      ['home', 'Home'],
      ['kinship', 'Kinship care'],
      ['permanence_order', 'Permanence order'],
      ['adoption', 'Adoption'],
    ]);
  });

  const child = (id: string) => auditJson.children.find((c: { childId: string }) => c.childId === id);

  it('an undecided episode\u2019s route stages have not started', () => {
    for (const id of ['U', 'L'])
      for (const k of ['panel', 'adm', 'court_application', 'final_order'])
        expect(child(id).stages[k], `${id} ${k}`).toMatchObject({ status: 'not_started', lagDays: null });
  });

  it('one lag rule when care ended first: children[].lagDays equals stages.decision.lagDays', () => {
    expect(child('L')).toMatchObject({ status: 'left_care', lagDays: 59 });
    expect(child('L').stages.decision).toMatchObject({ status: 'left_care', lagDays: 59 });
    expect(child('P').stages.panel).toMatchObject({ status: 'left_care', lagDays: 60 }); // decision to ceasing
    const sample = JSON.parse(cli([...SAMPLE_ARGS, '--format', 'json']).stdout);
    for (const c of [...auditJson.children, ...sample.children])
      expect(c.stages.decision.lagDays, c.childId).toBe(c.lagDays);
  });
});

/** Display width, measured here without the library the tables use: wide East Asian characters take two columns. */
function displayWidth(line: string): number {
  let w = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips colour codes to measure what the terminal shows
  for (const ch of line.replace(/\u001b\[[0-9;]*m/g, '')) {
    if (/\p{Mn}/u.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

describe('tables fit the terminal', () => {
  const long = 'C-with-a-very-long-identifier-from-the-records-system-000000000001';
  const rows: string[] = [];
  for (let i = 0; i < 30; i++)
    rows.push(
      `${i === 0 ? long : i === 1 ? '漢字のID' : i === 2 ? 'Zoe\u0301' : `C${String(i).padStart(3, '0')}`},FAMILY-GROUP-WITH-A-LONG-NAME-${i % 10},2010-01-01,accommodated,2017-0${1 + (i % 9)}-01,`,
    );
  rows.push(
    'C900,F9,2010-01-01,accommodated,2018-02-30,',
    'C901,F9,,permanence_decision,2018-02-01,a-route-nobody-has-heard-of-in-any-council',
  );
  const file = csvFile(csv(...rows), 'a-long-file-name-for-an-export-from-a-records-system-in-november.csv');

  const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

  it.each([
    ['audit, every report', ['audit', file, '--as-of', '2018-11-01', '--report', 'all', '--limit', 'all']],
    ['validate', ['validate', file, '--as-of', '2018-11-01']],
    ['child', ['child', long, file, '--as-of', '2018-11-01']],
    ['the sample, every report', [...SAMPLE_ARGS, '--report', 'all']],
    ['trend', ['trend', file, '--start', '2017-01-01', '--end', '2018-10-31']],
    ['changes', ['changes', file, '--since', '2017-03-01', '--as-of', '2018-11-01']],
  ])('%s: within 80 columns when the width is unknown, and within $COLUMNS', (_, args) => {
    const r = cli(args as string[], { COLUMNS: '' });
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(widest(cli(args as string[], { COLUMNS: '60' }).stdout)).toBeLessThanOrEqual(60);
    // A wide terminal gets the cells whole.
    // (trend's chart legend, `low to high ▁…█`, is no cut cell)
    expect(cli(args as string[], { COLUMNS: '400' }).stdout.replace(/low to high [^)]*\)/, '')).not.toContain('…');
  });

  it('cuts long cells with … and says where they are whole; ids stay whole in CSV and JSON', () => {
    const table = cli(['audit', file, '--as-of', '2018-11-01', '--report', 'overdue', '--limit', 'all']).stdout;
    expect(table).toContain('…');
    expect(table.replace(/\s+/g, ' ')).toMatch(/--format csv or json holds them whole/);
    expect(table).not.toContain(long);
    expect(cli(['audit', file, '--as-of', '2018-11-01', '--format', 'csv']).stdout).toContain(long);
    expect(cli(['audit', file, '--as-of', '2018-11-01', '--format', 'json']).stdout).toContain(long);
  });

  it('validate names the file once, above the table', () => {
    const r = cli(['validate', file, '--as-of', '2018-11-01'], { COLUMNS: '400' });
    expect(r.stdout.split(file).length - 1).toBe(1);
    expect(r.stdout.indexOf(file)).toBeLessThan(r.stdout.indexOf('┌'));
  });
});

describe('fitted tables and prose escape control characters before measuring', () => {
  const ESC = '\u001b';
  it('a cell and a heading show \\u001b, and every line of the table is as wide as the others', () => {
    const t = fitTable(
      [{ head: `Id${ESC}[2J` }, { head: 'Note', wrap: true }],
      [
        [`C${ESC}[2J1`, `two\nlines ${ESC}]52;c;eA==\u0007 and more words to wrap`],
        ['C2', 'plain'],
      ],
      40,
    ).text;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding a raw control character is the test
    expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(t).toContain('C\\u001b[2J1');
    expect(t).toContain('Id\\u001b[2J');
    expect(new Set(t.split('\n').map((l) => [...l].length)).size).toBe(1);
  });

  it('an id of 30,000 characters is cut as one of a few hundred is (it took 28 s, cut a character at a time)', () => {
    const columns = [{ head: 'Id' }, { head: 'Note' }];
    for (const ch of ['子', 'a', 'e\u0301', '👩']) {
      const draw = (n: number) =>
        fitTable(
          columns,
          [
            [ch.repeat(n), 'x'],
            ['C2', 'y'],
          ],
          60,
        ).text;
      expect(draw(30_000)).toBe(draw(200));
    }
  });

  it('with colour off, an id holding a colour sequence is shown escaped and its column still lines up', () => {
    const rows = [
      [`${ESC}[31mAB`, 'x'],
      ['C2', 'y'],
    ];
    const off = fitTable([{ head: 'Id' }, { head: 'Note' }], rows, 80).text;
    expect(off).toContain('\\u001b[31mAB');
    expect(off).not.toContain(ESC);
    expect(new Set(off.split('\n').map((l) => [...l].length)).size).toBe(1);
    // With colour on, our own colour codes (and so an id's) pass, as zero-width.
    const on = fitTable([{ head: 'Id' }, { head: 'Note' }], rows, 80, { bold: (h) => h, level: 1 }).text;
    expect(on).toContain(`${ESC}[31mAB`);
  });

  it('prose keeps its own line breaks; keepEnd keeps one line', () => {
    const w = wrapText(`first${ESC}[2J\nsecond`, 40);
    expect(w.split('\n')).toEqual(['first\\u001b[2J', 'second']);
    expect(keepEnd(`a${ESC}b\nc.csv`, 80)).toBe('a\\u001bb\\u000ac.csv');
  });
});

describe('long tables', () => {
  const columns = [{ head: 'Child' }, { head: 'Accommodated' }, { head: 'Note', wrap: true }];
  const rows = Array.from({ length: 700 }, (_, i) => [
    `C${i}`,
    '2018-01-01',
    i % 7 === 0 ? 'a note long enough that it has to wrap onto a second line here' : 'short',
  ]);

  it('are drawn a row at a time into exactly the table cli-table3 draws', () => {
    const whole = fitTable(columns, rows, 50, undefined, true);
    expect(fitTable(columns, rows, 50).text).toBe(whole.text);
    const lines = whole.text.split('\n');
    expect(lines.filter((l) => l.startsWith('┌')).length).toBe(1);
    expect(lines.filter((l) => l.startsWith('└')).length).toBe(1);
  });

  // One test per colour level and width: together they took most of a minute on a busy machine.
  it.each([0, 1].flatMap((level) => [40, 72, 200].map((width) => [level, width])))(
    'rows drawn without cli-table3 are the rows it draws, whatever the cells hold or wrap (colour level %i, %i columns)',
    (level, width) => {
      // Cells of every kind a row can hold: colours (closed, left open, nested), wide and
      // combining characters, emoji, control characters, empty cells, numbers, ids too long to
      // fit, and a message to wrap now and then, at widths that cut some and not others.
      let seed = 7;
      const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      const pieces = [
        'C12',
        'CH0001234',
        '2018-01-01',
        '\u001b[31moverdue\u001b[39m',
        '\u001b[1m\u001b[33mdue\u001b[39m soon\u001b[22m',
        '\u001b[32mopen',
        '子供',
        'e\u0301',
        '👩‍👧',
        'tab\there',
        '',
        ' padded ',
        'x'.repeat(40),
        '…',
      ];
      const cell = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(pieces)).join('');
      const columns = [
        { head: 'Child', keep: true },
        { head: 'Status' },
        { head: 'Days' },
        { head: 'Note', wrap: true },
      ];
      for (let t = 0; t < 30; t++) {
        const rows = Array.from({ length: 1 + Math.floor(random() * 40) }, () => [
          cell(),
          cell(),
          random() < 0.3 ? Math.floor(random() * 1000) : cell(),
          random() < 0.3
            ? Array.from({ length: Math.floor(random() * 12) }, cell).join(pick([' ', '  ', '\t']))
            : cell(),
        ]);
        const style = { bold: (h: string) => `\u001b[1m${h}\u001b[22m`, level };
        expect(fitTable(columns, rows, width, style).text).toBe(fitTable(columns, rows, width, style, true).text);
      }
      // Every column optional and left out for width: no table at all, either way.
      const none = [{ head: 'A heading far wider than the forty columns of this table', optional: true }];
      for (const rows of [[['x']], [['x'], ['y']]])
        expect(fitTable(none, rows, 40).text).toBe(fitTable(none, rows, 40, undefined, true).text);
    },
  );
});

describe('a screenful per list', () => {
  // 30 overdue children, all accommodated long before the audit date.
  const file = csvFile(
    csv(
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `C${String(i).padStart(2, '0')},F${i},2010-01-01,accommodated,2017-01-${String(i + 1).padStart(2, '0')},`,
      ),
    ),
  );
  const overdueRows = (out: string) =>
    out.slice(out.indexOf('Overdue:'), out.indexOf('Due soon')).match(/^│ C\d\d /gm)?.length ?? 0;

  it('shows the 20 most overdue, then says how many more and where they all are', () => {
    const r = cli(['audit', file, '--as-of', '2018-11-01']);
    expect(r.stdout).toMatch(/Overdue: 30, most overdue first/);
    expect(overdueRows(r.stdout)).toBe(20);
    expect(r.stdout).toMatch(/and 10 more: `--report overdue --format csv` lists them all/);
    // Most overdue first: the earliest accommodated.
    expect(r.stdout.indexOf('│ C00 ')).toBeLessThan(r.stdout.indexOf('│ C19 '));
    expect(r.stdout).not.toContain('│ C20 ');
  });

  it('--limit N and --limit all', () => {
    const five = cli(['audit', file, '--as-of', '2018-11-01', '--limit', '5']).stdout;
    expect(overdueRows(five)).toBe(5);
    expect(five).toMatch(/and 25 more/);
    const all = cli(['audit', file, '--as-of', '2018-11-01', '--limit', 'all']).stdout;
    expect(overdueRows(all)).toBe(30);
    expect(all).not.toMatch(/more: `--report overdue/);
  });

  it('validate lists the first 20 findings, then how many more', () => {
    const bad = csvFile(
      csv(...Array.from({ length: 25 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2018-02-30,`)),
    );
    const r = cli(['validate', bad, '--as-of', '2018-11-01']);
    expect(r.stdout.match(/INVALID_DATE/g)!.length).toBe(21); // 20 listed + the table by code
    expect(r.stdout).toMatch(/and 5 more: `--format csv` lists them all/);
  });
});

describe('progress through every phase', () => {
  // Each line shown, in order; '' is the line cleared (the terminal gate draws it, output/terminal.ts).
  const sink = () => ({
    isTTY: true,
    shown: [] as string[],
    show(t: string) {
      this.shown.push(t);
    },
  });

  it('audit reports building episodes and measuring; writing is counted as it goes', async () => {
    const phases: string[] = [];
    const file = csvFile(csv('A,F1,2010-01-01,accommodated,2018-01-01,', 'B,F2,2010-01-01,accommodated,2018-02-01,'));
    const params = {
      asOf: d('2018-11-01'),
      from: NaN,
      to: NaN,
      maxAge: 12,
      target: parseDuration('7.5m'),
      aim: 75,
      stageTargets: defaultStageTargets(),
      dueWithin: parseDuration('28d'),
    };
    await audit(params, { file, onPhase: (p) => phases.push(p) });
    expect([...new Set(phases)]).toEqual(['building episodes', 'measuring']);

    const s = sink();
    const p = progressReporter(100 * 1024 * 1024, s)!;
    expect([...countingChunks(['a', 'b'], p)]).toEqual(['a', 'b']);
    expect(s.shown.join('\n')).toMatch(/writing the report/);
    expect(s.shown.at(-1)).toBe(''); // the line is cleared at the end
  });

  it('each phase is drawn as it starts, and done clears the line', () => {
    const s = sink();
    const p = progressReporter(100 * 1024 * 1024, s)!;
    p.report(50 * 1024 * 1024, 100 * 1024 * 1024, 1000);
    p.phase('building episodes', 0, 1000);
    p.phase('measuring', 500, 1000);
    expect(s.shown[0]).toMatch(/^reading: 50\/100 MiB, /);
    expect(s.shown.slice(1)).toEqual(['building episodes: 0% of 1,000', 'measuring: 50% of 1,000']);
    p.done();
    expect(s.shown.at(-1)).toBe('');
  });
});
