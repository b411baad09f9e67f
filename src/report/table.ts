/**
 * Tables that fit the terminal: each column as wide as its widest cell, then, while the table is
 * wider than the terminal, the widest column shrinks by one, ids last. A cut cell ends in `…`
 * (CSV and JSON always hold it whole); prose columns wrap instead. Widths are display widths
 * (a CJK character takes two columns), as cli-table3 itself measures them.
 *
 * Every human table and its prose are made here. Each cell and heading is escaped before the
 * layout is worked out (see output/terminal.ts), so a control character in an id shows as
 * `\u001b` and the columns still line up; the text is escaped again on its way out, which changes
 * nothing already escaped.
 */
import { createRequire } from 'node:module';
import type TableClass from 'cli-table3';
import stringWidthOf from 'string-width';
import { escapeControls } from '../output/terminal.js';

export type Cell = string | number;

/**
 * How a table is shown: `bold` for headings, and whether colour is on (chalk's level). With
 * colour on, our colours are applied before a cell is given and kept here (so an id can at worst
 * colour text); with it off every escape sequence in a cell is shown escaped before it is
 * measured, as the way out would show it, so an id holding one does not push its column out.
 */
export interface TableStyle {
  bold(text: string): string;
  level: number;
}
const PLAIN: TableStyle = { bold: (s) => s, level: 0 };

const safe =
  (colour: boolean) =>
  (v: Cell): Cell =>
    typeof v === 'string' ? escapeControls(v, { colour, oneLine: true }) : v;

export interface Column {
  head: string;
  /** Shrunk only when nothing else is left to shrink (ids). */
  keep?: boolean;
  /** Wrapped onto more lines rather than cut (messages, prose). */
  wrap?: boolean;
  /** Left out, before anything is cut, when the table is wider than the terminal. */
  optional?: boolean;
}

/** Narrowest a shrunk column gets, its two padding spaces included: two characters and `…`. */
const MIN_COLUMN = 5;
/** Messages and ids keep this much (padding included) while anything else can give way. */
const READABLE = 22;

export interface Rendered {
  text: string;
  /** Whether some cell was cut short to fit. */
  cut: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the colour codes chalk adds, to measure a cell without them
const ANSI = /\u001b\[[0-9;]*m/g;
/** Dates, numbers, percentages: cut last but for ids, since half a date is no date. */
const FIXED = /^[-+\d.,/: %]*$/;

/**
 * Each column starts as wide as its widest cell and its whole heading; while the table is wider
 * than `width`, columns give way in turn, the widest first: optional columns are left out,
 * headings wrap onto more lines, wrapped columns (messages) narrow down to their longest word,
 * short text columns are cut, then ids down to a readable width, then dates and numbers, then
 * anything to the minimum.
 */
export function fitTable(
  unsafeColumns: Column[],
  unsafeRows: Cell[][],
  width: number,
  style: TableStyle = PLAIN,
  /** Draws the whole table with cli-table3, as `rowLines` must: for tests to compare. */
  reference = false,
): Rendered {
  const escapeCell = safe(style.level > 0);
  const allColumns = unsafeColumns.map((c) => ({ ...c, head: escapeCell(c.head) as string }));
  const allRows = unsafeRows.map((r) => r.map(escapeCell));
  // Optional columns go first, the rightmost first, while the table is too wide.
  const natural = allColumns.map(
    (c, i) =>
      2 +
      Math.max(
        widest(c.head),
        maxOf(allRows, (r) => widest(String(r[i] ?? ''))),
      ),
  );
  const kept = allColumns.map((_, i) => i);
  const total = () => kept.reduce((n, i) => n + natural[i] + 1, 1);
  for (let i = allColumns.length - 1; i >= 0 && total() > width; i--)
    if (allColumns[i].optional) kept.splice(kept.indexOf(i), 1);
  const columns = kept.map((i) => allColumns[i]);
  const rows = allRows.map((r) => kept.map((i) => r[i]));
  const cellWidth = columns.map((_, i) => maxOf(rows, (r) => widest(String(r[i] ?? ''))));
  const full = columns.map((c, i) => 2 + Math.max(cellWidth[i], widest(c.head)));
  // What each column is, for the order in which columns give way.
  const kind = columns.map((c, i) =>
    c.keep
      ? 'keep'
      : c.wrap
        ? 'wrap'
        : rows.every((r) => FIXED.test(String(r[i] ?? '').replace(ANSI, '')))
          ? 'fixed'
          : 'text',
  );
  const floor = (limits: Partial<Record<(typeof kind)[number], number>>) => kind.map((k) => limits[k] ?? Infinity);
  // A wrapped column can go down to its longest word without cutting anything.
  const longestWord = columns.map(
    (c, i) =>
      2 +
      maxOf([c.head, ...rows.map((r) => String(r[i] ?? '').replace(ANSI, ''))], (t) =>
        maxOf(t.split(/\s+/), stringWidth),
      ),
  );
  const wrapFloor = kind.map((k, i) => (k === 'wrap' ? Math.min(READABLE, longestWord[i]) : Infinity));
  const floors = [
    // headings wrap onto more lines
    columns.map((c, i) => 2 + Math.max(cellWidth[i], ...c.head.split(/\s+/).map((w) => stringWidth(w)))),
    wrapFloor,
    floor({ text: MIN_COLUMN, wrap: READABLE }).map((f, i) => Math.min(f, wrapFloor[i])),
    floor({ text: MIN_COLUMN, wrap: READABLE, keep: READABLE }).map((f, i) => Math.min(f, wrapFloor[i])),
    floor({ text: MIN_COLUMN, wrap: MIN_COLUMN, keep: READABLE, fixed: MIN_COLUMN }),
    floor({ text: MIN_COLUMN, wrap: MIN_COLUMN, keep: MIN_COLUMN, fixed: MIN_COLUMN }),
  ];
  const widths = [...full];
  // A table of n columns has n + 1 border characters.
  let excess = widths.reduce((a, b) => a + b, 0) + columns.length + 1 - width;
  for (const floor of floors) {
    while (excess > 0) {
      let at = -1;
      widths.forEach((w, i) => {
        if (w > Math.min(floor[i], full[i]) && w > MIN_COLUMN && (at < 0 || w > widths[at])) at = i;
      });
      if (at < 0) break;
      widths[at]--;
      excess--;
    }
  }
  let cut = false;
  const cells = rows.map((r) =>
    r.map((v, i) => {
      const content = String(v ?? '');
      if (widest(content) + 2 <= widths[i]) return content;
      if (columns[i].wrap) return { content, wordWrap: true, wrapOnWordBoundary: true };
      cut = true;
      return clipped(content, widths[i]);
    }),
  );
  const draw = (part: typeof cells, withHead: boolean) => {
    const t = new (cliTable3())({
      head: withHead
        ? (columns.map((c) => ({
            content: style.bold(c.head),
            wordWrap: true,
            wrapOnWordBoundary: true,
          })) as unknown as string[])
        : [],
      colWidths: widths,
      style: { head: [], border: [], compact: true },
    });
    for (const r of part) t.push(r as string[]);
    return t.toString();
  };
  // No column left (all optional, all too wide): cli-table3 draws nothing, and so do we.
  if (reference || columns.length === 0) return { text: draw(cells, true), cut };
  // The heading and the first row by cli-table3, which gives the borders too; every other row
  // drawn here as cli-table3 draws it (see `rowLines`). A compact table draws no line between
  // rows, so they join into exactly the one table.
  const lines = draw(cells.slice(0, 1), true).split('\n');
  const bottom = lines.pop()!;
  const memo = widths.map(() => new Map<string, string[]>());
  for (let k = 1; k < cells.length; k++) rowLines(cells[k], widths, memo, lines);
  lines.push(bottom);
  return { text: lines.join('\n'), cut };
}

/**
 * A cell to be cut, first cut down to far more than its column shows: cli-table3 cuts a cell by
 * taking one character off its end at a time and measuring it again, so a 30,000-character id
 * took 28 s to draw, and the 256 KiB a cell may hold would take hours. Cut at 8 characters a
 * column (a character is at most two columns wide), the cell is still wider than its column, and
 * cli-table3 shows the same start of it. A cell with escape sequences (colours) is left whole,
 * lest one be cut in two.
 */
function clipped(content: string, width: number): string {
  const keep = 8 * width + 64;
  if (content.length <= keep || content.includes('\u001b')) return content;
  // Not between the two halves of a surrogate pair.
  const end = content.charCodeAt(keep - 1) >= 0xd800 && content.charCodeAt(keep - 1) <= 0xdbff ? keep - 1 : keep;
  return content.slice(0, end);
}

/** cli-table3's own helpers (src/utils.js), for drawing a row as it does (see `rowLines`). */
interface TableUtils {
  colorizeLines(lines: string[]): string[];
  truncate(text: string, width: number): string;
  pad(text: string, width: number, with_: string, align: undefined): string;
  wordWrap(width: number, text: string, onWordBoundary: boolean): string[];
}
// cli-table3 is loaded when a table is first drawn: a JSON or CSV run never needs it, and its
// ~20 ms came before the read started.
const require = createRequire(import.meta.url);
let loadedTable: typeof TableClass | undefined;
const cliTable3 = () => (loadedTable ??= require('cli-table3') as typeof TableClass);
let loadedUtils: TableUtils | undefined;
const tableUtils = () => (loadedUtils ??= require('cli-table3/src/utils.js') as TableUtils);

/** A cell as given to cli-table3: text, or text it wraps at word boundaries. */
type DrawnCell = string | { content: string; wordWrap: boolean; wrapOnWordBoundary: boolean };

/**
 * Adds a row's lines as cli-table3 draws them with our options (compact, default borders and
 * alignment, no colours of its own): each cell's text split into lines (wrapped to the column
 * less its two spaces, where asked) and colorized, then each line truncated and padded to that
 * width; a cell with fewer lines than the row's tallest shows spaces. cli-table3 itself takes
 * 0.3-1 ms a row to lay out a table, in work our tables do not need (34,000 overdue children took
 * 10 s), and more than linear time in the rows. Plain one-line ASCII needs none of its helpers;
 * other cells (colours, wide characters, cut or wrapped text) go through them, each text once
 * per column since most are a status, a route or a message that recurs.
 */
function rowLines(row: readonly DrawnCell[], widths: readonly number[], memo: Map<string, string[]>[], out: string[]) {
  const parts: string[][] = [];
  let height = 1;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    const room = widths[i] - 2;
    const text = typeof cell === 'string' ? cell : cell.content;
    const wrap = typeof cell !== 'string' && cell.wordWrap;
    let shown: string[] | undefined;
    if (!wrap && text.length <= room && PRINTABLE_ASCII.test(text)) shown = [text + ' '.repeat(room - text.length)];
    else {
      const key = wrap ? `${cell.wrapOnWordBoundary ? 'w' : 'c'}${text}` : `s${text}`;
      shown = memo[i].get(key);
      if (shown === undefined) {
        const utils = tableUtils();
        const split = wrap ? utils.wordWrap(room, text, cell.wrapOnWordBoundary) : text.split('\n');
        shown = utils.colorizeLines(split).map((line) => utils.pad(utils.truncate(line, room), room, ' ', undefined));
        memo[i].set(key, shown);
      }
    }
    parts.push(shown);
    height = Math.max(height, shown.length);
  }
  for (let l = 0; l < height; l++) {
    let line = '│';
    for (let i = 0; i < parts.length; i++)
      line += l < parts[i].length ? ` ${parts[i][l]} │` : `${' '.repeat(widths[i])}│`;
    out.push(line);
  }
}

/** The greatest of f over the items, 0 for none: Math.max(...a) overflows the stack past ~120k items. */
function maxOf<T>(items: readonly T[], f: (item: T) => number): number {
  let m = 0;
  for (const item of items) m = Math.max(m, f(item));
  return m;
}

/** Columns a string takes; printable ASCII is its length (string-width builds a regex per call). */
const stringWidth = (text: string): number => (PRINTABLE_ASCII.test(text) ? text.length : stringWidthOf(text));
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const widest = (text: string) => maxOf(text.split('\n'), stringWidth);

/** A word longer than the line, in pieces that fit. */
function chop(word: string, width: number): string[] {
  if (stringWidth(word) <= width || width < 1) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (stringWidth(piece + ch) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  return [...pieces, piece];
}

/** Text cut to the width from the left, keeping its end (a file path's name): `…/exports/a.csv`. */
export function keepEnd(unsafeText: string, width: number): string {
  const text = escapeControls(unsafeText, { colour: true, oneLine: true });
  if (stringWidth(text) <= width) return text;
  const chars = [...text];
  while (chars.length && stringWidth('…' + chars.join('')) > width) chars.shift();
  return '…' + chars.join('');
}

/** Prose wrapped at word boundaries to the width; continuation lines are indented by two. */
export function wrapText(text: string, width: number): string {
  // Escaped first, so the width measured is the width shown; line breaks are the prose's own.
  return escapeControls(text, { colour: true })
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      const indent = /^\s*/.exec(line)![0];
      for (const word of line
        .trim()
        .split(/ +/)
        .flatMap((w) => chop(w, width - indent.length - 2))) {
        const next = current ? `${current} ${word}` : `${indent}${word}`;
        if (current && stringWidth(next) > width) {
          out.push(current);
          current = `${indent}  ${word}`;
        } else current = next;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

/**
 * The terminal's width: the terminal's own when the report goes to it, else $COLUMNS, else 80.
 * Never narrower than 40, where no table is readable anyway.
 */
export function widthFor(terminalColumns: number | undefined, env: { COLUMNS?: string | undefined }): number {
  const fromEnv = Number(env.COLUMNS);
  const w =
    terminalColumns && terminalColumns > 0 ? terminalColumns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
  return Math.max(40, w);
}
