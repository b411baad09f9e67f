/**
 * What of a header row may be shown in a message. An export without a header row has a child's
 * data in its first row (a name, a date of birth, free text): a message that named every "header"
 * would print them. So messages name only the cells that look like headers, cut short, and never
 * a cell that reads as a date or a number.
 */
import { formatsFitting } from '../dates/parse.js';

/** Longest header shown whole; longer ones are cut. */
const SHOWN = 30;
/** More than this many characters is not a header but a value (free text). */
const LONGEST_HEADER = 60;
/** At most this many headers are named in one message. */
const MOST = 20;

const DATE_LIKE = /\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,4}|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4}/;
const NUMBER_LIKE = /^[\d\s.,:/+()-]+$/;
// Words that headers are made of: when the row also holds dates or numbers (so it is probably
// data), only a cell made of such words is still shown as a header.
const HEADER_WORDS =
  /\b(id|ref|reference|no|num|number|code|date|dob|birth|event|activity|type|episode|route|plan|outcome|family|sibling|household|group|child|client|person|name|status|stage|notes?|comments?|worker|team|gender|sex|age)\b/i;

const looksLikeDate = (cell: string) => DATE_LIKE.test(cell) || formatsFitting(cell.trim()).length > 0;

/** Whether a cell could be a column's name rather than a value. */
function looksLikeHeader(cell: string): boolean {
  const v = cell.replace(/^\uFEFF/, '').trim();
  return v !== '' && v.length <= LONGEST_HEADER && !NUMBER_LIKE.test(v) && !looksLikeDate(v);
}

/** The first row holds a date or a number: it is data, and the export has no header row. */
export const rowLooksLikeData = (cells: readonly string[]) => cells.some((c) => c.trim() !== '' && !looksLikeHeader(c));

/** A header as a message shows it: quoted, cut short. */
export function headerText(cell: string): string {
  const v = cell.replace(/^\uFEFF/, '').trim();
  return JSON.stringify(v.length > SHOWN ? `${v.slice(0, SHOWN - 3)}...` : v);
}

/** Which of the row's cells a message may name: indexes. */
export function showableHeaders(cells: readonly string[]): number[] {
  const data = rowLooksLikeData(cells);
  const shown: number[] = [];
  cells.forEach((c, i) => {
    if (looksLikeHeader(c) && (!data || HEADER_WORDS.test(c.replace(/[_-]+/g, ' ')))) shown.push(i);
  });
  return shown;
}

/** "columns found: ..." for a message: the header-like cells, and a count of the rest. */
export function describeHeaderRow(cells: readonly string[]): string {
  const shown = showableHeaders(cells);
  const named = shown.slice(0, MOST).map((i) => headerText(cells[i]));
  const filled = cells.filter((c) => c.trim() !== '').length;
  const rest = filled - named.length;
  let text = named.length
    ? `columns found: ${named.join(', ')}${rest > 0 ? `, and ${rest} more cell${rest === 1 ? '' : 's'} not shown` : ''}`
    : `none of the first row's ${filled} cells looks like a column name`;
  if (rowLooksLikeData(cells)) text += ' (the first row holds dates or numbers: is the header row missing?)';
  return text;
}
