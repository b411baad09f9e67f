// Property test: randomly corrupted exports (seeded) either audit or stop with a stable code,
// never crash; every row read is accepted or rejected; and the figures do not depend on the
// order of the rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/commands/audit/audit.js';
import { renderJson } from '../src/commands/audit/render.js';
import { parseDuration } from '../src/dates/duration.js';
import { PaceError } from '../src/errors.js';
import { defaultStageTargets } from '../src/measures/stages.js';
import { cli, csvFile, d } from './helpers.js';

const [HEAD, ...ROWS] = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv'), 'utf8')
  .trimEnd()
  .split('\n');
/** The codes the README documents for input that cannot be read. */
const INPUT_CODES = [
  'NOT_TEXT',
  'MALFORMED_CSV',
  'INVALID_ENCODING',
  'MISSING_COLUMN',
  'DUPLICATE_COLUMN',
  'EMPTY_FILE',
];
const ENDS = ['\n', '\r\n', '\r'];

function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const shuffle = <T>(a: T[]) => {
    const b = [...a];
    for (let i = b.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [b[i], b[j]] = [b[j], b[i]];
    }
    return b;
  };
  return { next, int, shuffle };
}

/**
 * Corruptions that stay inside a row (a row stays one record): each row keeps its own line end,
 * which switches at random points; bytes flipped (never to a quote or a line end); cells shuffled.
 */
function rowLocal(seed: number): { text: string; end: string }[] {
  const r = random(seed);
  let end = ENDS[r.int(3)];
  return ROWS.map((row) => {
    if (r.next() < 0.05) end = ENDS[r.int(3)];
    let text = row;
    if (r.next() < 0.04) text = r.shuffle(text.split(',')).join(',');
    if (r.next() < 0.04) {
      const bytes = Buffer.from(text, 'latin1');
      let b = r.int(256);
      while (b === 0x22 || b === 0x0a || b === 0x0d) b = r.int(256);
      bytes[r.int(bytes.length)] = b;
      text = bytes.toString('latin1');
    }
    return { text, end };
  });
}

const fileOf = (rows: { text: string; end: string }[]) =>
  csvFile(Buffer.from(HEAD + '\n' + rows.map((x) => x.text + x.end).join(''), 'latin1'));

/** Anything, including quotes dropped or added and line ends inside quotes. */
function anyCorruption(seed: number): string {
  const r = random(seed);
  const rows = r.next() < 0.5 ? r.shuffle(rowLocal(seed)) : rowLocal(seed);
  const lines = rows.map((x) => x.text + x.end);
  for (let k = r.int(4); k > 0; k--) {
    const i = r.int(lines.length);
    const at = r.int(lines[i].length);
    // Add a quote, or drop the row's first one.
    lines[i] = r.next() < 0.6 ? lines[i].slice(0, at) + '"' + lines[i].slice(at) : lines[i].replace('"', '');
  }
  if (r.next() < 0.3) {
    const i = r.int(lines.length);
    lines[i] = lines[i].replace(',', ',"'); // a quote that opens a cell and may never close
  }
  return csvFile(Buffer.from(HEAD + '\n' + lines.join(''), 'latin1'));
}

const PARAMS = {
  asOf: d('2018-11-01'),
  from: NaN,
  to: NaN,
  maxAge: 12,
  target: parseDuration('7.5m'),
  aim: 75,
  stageTargets: defaultStageTargets(),
  dueWithin: parseDuration('28d'),
};

type Outcome =
  | { code: string }
  | { input: Record<string, unknown>; summary: Record<string, unknown>; byCode: Record<string, number> };

/** An audit of the file in this process: its figures, or the code it stopped with. Anything else throws. */
async function outcome(file: string): Promise<Outcome> {
  try {
    const json = JSON.parse([...renderJson(await audit(PARAMS, { file }))].join(''));
    const { file: _, ...input } = json.input;
    expect(input.rowsRead).toBe(input.rowsAccepted + input.rowsRejected);
    const byCode: Record<string, number> = {};
    for (const issue of json.issues ?? []) byCode[issue.code] = (byCode[issue.code] ?? 0) + 1;
    return { input, summary: json.summary, byCode };
  } catch (e) {
    if (e instanceof PaceError && INPUT_CODES.includes(e.code)) return { code: e.code };
    throw e;
  }
}

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

describe('randomly corrupted exports', () => {
  it('never crash, and read = accepted + rejected, whatever the corruption', async () => {
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      const o = await outcome(anyCorruption(seed));
      seen.add('code' in o ? o.code : 'audited');
    }
    // The corruptions reach both ends: some exports audit, some stop.
    expect(seen.has('audited')).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('give the same figures and the same counts per finding code in any row order', async () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const rows = rowLocal(seed);
      const inOrder = await outcome(fileOf(rows));
      const shuffled = await outcome(fileOf(random(seed + 1000).shuffle(rows)));
      expect(shuffled, `seed ${seed}`).toEqual(inOrder);
    }
  });

  it('on the command line: no stack trace, only the documented exit codes', () => {
    for (const seed of SEEDS.slice(0, 6)) {
      const r = cli(['audit', anyCorruption(seed + 500), '--as-of', '2018-11-01']);
      expect([0, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      if (r.code === 2) expect(r.stderr).toMatch(/\[[A-Z_]+\]/);
    }
  });
});
