/**
 * Every human table is made here. Each cell is escaped before the layout is worked out (see
 * output/terminal.ts), so a control character in an id shows as `\u001b` and the columns still
 * line up; the text is escaped again on its way out, which changes nothing already escaped.
 */
import Table from 'cli-table3';
import { escapeControls } from '../output/terminal.js';

type Cell = string | number;

// Our colours are applied before a cell is pushed and are kept here; the way out decides.
const safe = (v: Cell): Cell => (typeof v === 'string' ? escapeControls(v, { colour: true, oneLine: true }) : v);

export interface TextTable {
  push(...rows: Cell[][]): void;
  toString(): string;
}

/** `compact` leaves out the rules between rows (trend, changes). */
export function textTable(head: string[], { compact = false }: { compact?: boolean } = {}): TextTable {
  const t = new Table({ head: head.map((h) => safe(h) as string), style: { head: [], border: [], compact } });
  return {
    push: (...rows) => void t.push(...rows.map((r) => r.map(safe))),
    toString: () => t.toString(),
  };
}
