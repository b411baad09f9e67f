import { type Accounting } from '../load.js';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Every row accounted for, in one line: read = accepted + rejected, then what the accepted rows
 * hold. Rows are said where rows are counted and events where events are: a wide tracker's row
 * holds many events, so "36 accepted (accepted include 129 dated after the audit date)" read as
 * though there were more late rows than rows. Events after the audit date are counted as read,
 * so they are not claimed to be among the accepted rows.
 */
export function accountingLine(a: Accounting): string {
  const rows: string[] = [];
  if (a.duplicates)
    rows.push(`${a.duplicates} ${a.duplicates === 1 ? 'repeats' : 'repeat'} an earlier row (counted once)`);
  if (a.ignored) rows.push(`${a.ignored} ${a.ignored === 1 ? 'is' : 'are'} ignored on purpose`);
  const ofRows = rows.length ? `; of the accepted rows, ${rows.join(' and ')}` : '';
  const events = a.eventsAfterAsOf
    ? `; ${count(a.eventsAfterAsOf, 'event')} on the rows read dated after the audit date (not yet happened)`
    : '';
  const blank = a.blankLines ? `; ${count(a.blankLines, 'blank line')} skipped` : '';
  return `Rows: ${a.rowsRead} read = ${a.rowsAccepted} accepted + ${a.rowsRejected} rejected${ofRows}${events}${blank}`;
}
