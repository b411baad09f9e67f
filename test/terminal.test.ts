/**
 * Control sequences from the export (ids, family ids, event values, headers, file names) never
 * reach a terminal raw: every human-text output shows them escaped. JSON and CSV stay exact.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cli, dir } from './helpers.js';
import { escapeControls, progressLine } from '../src/output/terminal.js';

// Any of these reaching a terminal can act on it: C0 but newline, DEL, C1, bidi overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for the characters that must never pass
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const ESC = '\u001b';
const HOSTILE = {
  clear: `C${ESC}[2J1`,
  clipboard: `C${ESC}]52;c;cm0gLXJmIH4=\u00072`, // OSC 52: writes the clipboard
  link: `C${ESC}]8;;https://evil.example/${ESC}\\3`, // OSC 8: a hidden link
  title: `C${ESC}]0;pwned\u00074`, // the window title
  cr: 'C5\rC0001',
  rlo: 'C6\u202eFDP.exe',
  c1: 'C7\u009b2J\u0085',
  isolate: 'C8\u2066x\u2069',
  soh: 'C9\u0001\u007f', // (a NUL would make the file binary: NOT_TEXT)
};
const ids = Object.values(HOSTILE);

// A folder and a file name with control characters, as a user could be handed.
const hostileDir = join(dir, `in${ESC}[2Jbox`);
mkdirSync(hostileDir, { recursive: true });
const file = join(hostileDir, `export${ESC}]0;t\u0007.csv`);
const header = `child_id,family_id,date_of_birth,event,event_date,route,notes${ESC}[31m`;
// Ids are quoted, as a real export writes a cell holding a CR: outside quotes a CR ends the line.
const rows = ids
  .map((id) => `"${id}"`)
  .flatMap((id, i) => [
    `${id},F${ESC}[8m${i % 3}\u202e,2010-01-01,accommodated,2017-01-0${(i % 9) + 1},,`,
    // every other child decided, so the decided and the overdue tables both hold hostile ids
    i % 2
      ? `${id},F${ESC}[8m${i % 3}\u202e,2010-01-01,permanence_decision,2017-05-01,adoption,`
      : `${id},,2010-01-01,review,2017-02-01,,`,
    // values that findings echo: an unknown event, a route and a date with control characters
    `${id},,2010-01-01,decision${ESC}[2J\u202e,2017-06-01,,`,
    `${id},,2010-01-01,permanence_decision,2017-06-02,home${ESC}]52;c;eA==\u0007,`,
    `${id},,2010-01-01,review,2017-06-03${ESC}[2J,,`,
  ]);
writeFileSync(file, [header, ...rows].join('\n') + '\n');
// A file whose required columns are missing: the message names the headers.
const badHeaders = join(hostileDir, 'headers.csv');
writeFileSync(badHeaders, `child${ESC}]0;x\u0007,when\u202e\nA,2017-01-01\n`);

function expectNoRawControl(text: string, where: string) {
  const m = RAW_CONTROL.exec(text);
  expect(
    m,
    `${where}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 30))}`,
  ).toBeNull();
}

const AS_OF = ['--as-of', '2018-11-01'];
const RUNS: [string, string[]][] = [
  ['audit, every table', ['audit', file, ...AS_OF, '--report', 'all', '--due-within', '2000d']],
  ['audit --fail-under', ['audit', file, ...AS_OF, '--fail-under', '100']],
  [
    'audit --format csv (accounting on stderr)',
    ['audit', file, ...AS_OF, '--format', 'csv', '--output', join(dir, 'hostile.csv')],
  ],
  ['validate', ['validate', file, ...AS_OF]],
  ['child', ['child', HOSTILE.clear, file, ...AS_OF]],
  ['changes', ['changes', file, '--since', '2017-03-01', ...AS_OF]],
  ['trend', ['trend', file, '--start', '2017-01-01', '--end', '2018-11-01']],
  ['child with a hostile id that is absent', ['child', `${ESC}]52;c;eA==\u0007`, file, ...AS_OF]],
  ['inspect', ['inspect', file]],
  ['inspect of hostile headers', ['inspect', badHeaders]],
  ['audit of hostile headers (MISSING_COLUMN)', ['audit', badHeaders, ...AS_OF]],
  ['validate --strict of hostile headers', ['validate', badHeaders, ...AS_OF]],
  ['a bad option value', ['audit', file, '--format', `${ESC}[2Jcsv\u202e`]],
  ['a missing file', ['audit', join(hostileDir, `gone${ESC}[2J.csv`)]],
  ['an unknown option', ['audit', file, `--x${ESC}]52;c;eA==\u0007`]],
  ['an unknown command', [`x${ESC}[2J`]],
];

describe('no control character reaches a terminal', () => {
  it.each(RUNS)('%s: stdout and stderr hold none raw', (_name, args) => {
    const r = cli(args);
    expect(r.code).not.toBe(70);
    expectNoRawControl(r.stdout, 'stdout');
    expectNoRawControl(r.stderr, 'stderr');
  });

  it('shows them visibly rather than dropping them', () => {
    const r = cli(['audit', file, ...AS_OF, '--report', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('C\\u001b[2J1');
    expect(r.stdout).toContain('C6\\u202eFDP.exe');
    expect(r.stdout).toContain('C7\\u009b2J\\u0085');
    expect(r.stdout).toContain('C5\\u000dC0001');
    // Wide enough that the message column holds the quoted value whole (tables fit the terminal).
    const v = cli(['validate', file, ...AS_OF], { COLUMNS: '400' });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('decision\\u001b[2J\\u202e'); // quoted in the message, the same form
  });

  it('keeps table columns aligned around an escaped id', () => {
    const r = cli(['audit', file, ...AS_OF, '--report', 'children']);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌'));
    const widths = new Set(lines.map((l) => [...l].length));
    expect(widths.size).toBe(1);
  });

  it('keeps the changes table aligned around an escaped id', () => {
    const r = cli(['changes', file, '--since', '2017-03-01', ...AS_OF]);
    expect(r.code).toBe(0);
    // The first table (became overdue) holds the hostile ids.
    const table = r.stdout.split('\n\n').find((p) => p.startsWith('Became overdue'))!;
    const lines = table.split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌'));
    expect(lines.length).toBeGreaterThan(3);
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
  });

  it('JSON stays exact: ids parse back to the very characters of the export', () => {
    const r = cli(['audit', file, ...AS_OF, '--format', 'json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout).children.map((c: { childId: string }) => c.childId);
    expect(new Set(got)).toEqual(new Set(ids));
    const c = JSON.parse(cli(['child', HOSTILE.rlo, file, ...AS_OF, '--format', 'json']).stdout);
    expect(c.childId).toBe(HOSTILE.rlo);
  });

  it('CSV stays exact apart from formula safety', () => {
    const r = cli(['audit', file, ...AS_OF, '--format', 'csv', '--report', 'children']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(HOSTILE.rlo);
    expect(r.stdout).toContain(HOSTILE.clear);
    const c = cli(['changes', file, '--since', '2017-03-01', ...AS_OF, '--format', 'csv']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain(HOSTILE.rlo);
    expect(c.stdout).not.toContain('\\u');
  });
});

describe('escapeControls', () => {
  it('shows C0, DEL, C1 and bidi controls as escapes and leaves other text alone', () => {
    expect(escapeControls('a\u001b[2Jb\rc\td\u007f\u0085\u202e\u2066\u200f e\n')).toBe(
      'a\\u001b[2Jb\\u000dc\\u0009d\\u007f\\u0085\\u202e\\u2066\\u200f e\n',
    );
    expect(escapeControls('Zoë, 東京, C:\\data\\x.csv')).toBe('Zoë, 東京, C:\\data\\x.csv');
    expect(escapeControls('a\nb', { oneLine: true })).toBe('a\\u000ab');
  });

  it('keeps our own colours only when asked, and no other sequence', () => {
    const red = '\u001b[31m5\u001b[39m';
    expect(escapeControls(`${red} \u001b[2J`, { colour: true })).toBe(`${red} \\u001b[2J`);
    expect(escapeControls(red)).toBe('\\u001b[31m5\\u001b[39m');
  });

  it('is idempotent, and a JSON string stays valid JSON with the same meaning', () => {
    const once = escapeControls(ids.join(' '));
    expect(escapeControls(once)).toBe(once);
    expect(JSON.parse(escapeControls(JSON.stringify(ids)))).toEqual(ids);
  });

  it('the progress line carries no control character but its own', () => {
    expect(progressLine(`10 MiB ${ESC}]0;x\u0007`, false)).toBe('\r10 MiB \\u001b]0;x\\u0007\u001b[K');
  });
});
