import { type Accounting } from '../load.js';

/** Every row accounted for, in one line: read = accepted + rejected, and what the accepted hold. */
export function accountingLine(a: Accounting): string {
  const of: string[] = [];
  if (a.duplicates) of.push(`${a.duplicates} duplicate${a.duplicates === 1 ? '' : 's'} counted once`);
  if (a.ignored) of.push(`${a.ignored} ignored on purpose`);
  if (a.eventsAfterAsOf) of.push(`${a.eventsAfterAsOf} dated after the audit date`);
  const blank = a.blankLines ? `; ${a.blankLines} blank line${a.blankLines === 1 ? '' : 's'} skipped` : '';
  return `Rows: ${a.rowsRead} read = ${a.rowsAccepted} accepted + ${a.rowsRejected} rejected${of.length ? ` (accepted include ${of.join(', ')})` : ''}${blank}`;
}
