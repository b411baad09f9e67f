/** Findings as text: the short summary on stderr, and the full list for `validate`. */
import { type ChalkInstance } from 'chalk';
import { type Findings, type ShownFinding } from '../validate/findings.js';
import { csvText } from './cells.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function findingsSummary(findings: Findings, rowsRejected: number, file: string, c: ChalkInstance): string {
  const errors = findings.count('error');
  const warnings = findings.count('warning');
  const rejected = errors
    ? c.red(`${plural(rowsRejected, 'row')} rejected (${plural(errors, 'error')})`)
    : 'no rows rejected';
  const lines = [`${file}: ${rejected}, ${plural(warnings, 'warning')} on rows kept`];
  for (const b of findings.byCode()) {
    // A finding about the whole file (a broken mapping) is only any use with its message.
    if (b.code === 'EVENT_KIND_MISSING')
      for (const f of findings.list())
        if (f.code === b.code) lines.push(`  ${b.code.padEnd(30)} ${c.yellow(f.message)}`);
    if (b.code !== 'EVENT_KIND_MISSING')
      lines.push(
        `  ${b.code.padEnd(30)} ${String(b.count).padStart(7)}${b.firstLines.length ? `  first at line ${b.firstLines.join(', ')}` : ''}`.trimEnd(),
      );
  }
  lines.push(`  run "pace-audit validate ${file}" for every finding`);
  return lines.join('\n') + '\n';
}

/**
 * Findings as one CSV table, safe to open in a spreadsheet: validate's CSV columns, the JSON's
 * `issues` fields, with the file first and `lines` space-separated.
 */
export function findingsCsv(file: string, list: ShownFinding[]): string {
  return csvText([
    ['file', 'line', 'column', 'code', 'severity', 'childId', 'message', 'lines'],
    ...list.map((f) => [file, f.line, f.column, f.code, f.severity, f.childId, f.message, f.lines?.join(' ')]),
  ]);
}
