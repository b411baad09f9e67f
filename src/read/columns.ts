/**
 * Finds the columns we need in the header row: names matched case-insensitively with surrounding
 * spaces ignored, in any order. A required column that is missing stops the run, naming what
 * the header does hold and the closest header to each missing name.
 */
import { inputError } from '../errors.js';
import { type Field } from '../model.js';
import { describeHeaderRow, headerText, showableHeaders } from './header-cells.js';

/** A header as matched: case, surrounding spaces and a leading byte-order mark ignored. */
export const normaliseHeader = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

/**
 * The first header's names, to know the header row should it come again, as where two exports
 * were joined end to end. Normalised once: a record is checked against them cell by cell.
 */
export class HeaderMarks {
  /** Every named column's name. */
  readonly names: Set<string>;
  private readonly required: string[];
  private readonly read: { at: number; name: string }[];

  /** `required` and `read`: indexes in `header` of the required columns and of every column read. */
  constructor(header: string[], required: readonly number[], read: readonly number[]) {
    const name = (i: number) => normaliseHeader(header[i]);
    this.names = new Set(header.map(normaliseHeader).filter((h) => h !== ''));
    this.required = required.map(name);
    this.read = read.map((at) => ({ at, name: name(at) }));
  }

  /**
   * Whether `cells` is the header again: the required columns' names all among them. 'same' when
   * every column read is where the first header has it; 'moved' when one is elsewhere or missing,
   * since the rows after it would be read by the wrong columns. A row without every required name
   * but with at least half the header's names (two at least) is a header too, one whose other tool
   * renamed a column it needs: 'moved' as well, rather than a rejected row after which the next
   * export's rows would be read by this one's columns.
   */
  test(cells: string[]): 'same' | 'moved' | undefined {
    if (this.required.length === 0) return undefined;
    const row = cells.map(normaliseHeader);
    if (this.required.every((name) => row.includes(name)))
      return this.read.every(({ at, name }) => row[at] === name) ? 'same' : 'moved';
    let present = 0;
    for (const name of new Set(row)) if (this.names.has(name)) present++;
    return present >= 2 && present * 2 >= this.names.size ? 'moved' : undefined;
  }
}

export interface ColumnWanted {
  key: string; // our name for it
  header: string; // the export's header that holds it
  required: boolean;
}

/** Index of each wanted column in the header, -1 for an absent optional one. */
export function locateColumns(file: string, header: string[], wanted: ColumnWanted[]): Record<string, number> {
  const found = header.map(normaliseHeader);
  const index: Record<string, number> = {};
  const missing: ColumnWanted[] = [];
  for (const w of wanted) {
    index[w.key] = found.indexOf(normaliseHeader(w.header));
    if (index[w.key] < 0 && w.required) missing.push(w);
  }
  if (missing.length) {
    // Never the whole first row: in an export without a header row it is a child's data.
    const showable = new Set(showableHeaders(header));
    const taken = new Set([
      ...Object.values(index).filter((i) => i >= 0),
      ...header.map((_, i) => i).filter((i) => !showable.has(i)),
    ]);
    const hints = missing.map((w) => {
      const near = closest(normaliseHeader(w.header), found, taken);
      if (near !== undefined) taken.add(near);
      return `"${w.header}"${near === undefined ? '' : ` (closest: ${headerText(header[near])})`}`;
    });
    throw inputError(
      'MISSING_COLUMN',
      `${file}:1: missing required column${missing.length > 1 ? 's' : ''} ${hints.join(', ')}; ${describeHeaderRow(header)}`,
    );
  }
  for (const w of wanted) {
    const i = index[w.key];
    const j = i < 0 ? -1 : found.indexOf(found[i], i + 1);
    if (j >= 0)
      throw inputError(
        'DUPLICATE_COLUMN',
        `${file}:1: two columns are called ${JSON.stringify(w.header)}: column ${i + 1} (${letters(i)}) and column ${j + 1} (${letters(j)}); rename or remove one, as it is not clear which to read`,
      );
  }
  return index;
}

/** A column's letters as a spreadsheet shows them: 0 is A, 26 is AA. */
function letters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * What exports commonly call our columns (headers lower-cased): for the "closest" hint when a
 * name differs outright, and for inspect's suggested config.
 */
export const LIKELY_HEADERS: Record<Field, RegExp> = {
  child_id: /(child|client|person|young ?person|service ?user).*(id|ref|no|number)|^(child|client)$/i,
  family_id: /family|sibling|household/i,
  date_of_birth: /birth|dob/i,
  event: /event|activity|type|episode/i,
  event_date: /date/i,
  route: /route|plan|permanence ?type|outcome/i,
};

function closest(name: string, candidates: string[], taken: Set<number>): number | undefined {
  const likely = LIKELY_HEADERS[name as Field];
  if (likely) {
    const i = candidates.findIndex(
      (c, j) =>
        !taken.has(j) &&
        likely.test(c) &&
        !(name !== 'date_of_birth' && /birth|dob/.test(c)) &&
        !(name === 'event' && /date/.test(c)),
    );
    if (i >= 0) return i;
  }
  let best: number | undefined;
  let bestDistance = Infinity;
  candidates.forEach((c, i) => {
    if (taken.has(i)) return;
    const d = distance(name.replace(/[\s_-]/g, ''), c.replace(/[\s_-]/g, ''));
    if (d < bestDistance) [best, bestDistance] = [i, d];
  });
  return bestDistance <= Math.max(3, name.length / 2) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
