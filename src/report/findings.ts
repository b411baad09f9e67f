/** Findings as text: the short summary on stderr, and the full list for `validate`. */
import { type ChalkInstance } from 'chalk';
import { type Findings } from '../validate/findings.js';

export function findingsSummary(findings: Findings, file: string, c: ChalkInstance): string {
  const errors = findings.count('error');
  const warnings = findings.count('warning');
  const lines = [
    `${file}: ${errors ? c.red(`${errors} error${errors === 1 ? '' : 's'}`) : 'no errors'} (rows rejected), ${warnings} warning${warnings === 1 ? '' : 's'} (rows kept)`,
  ];
  for (const b of findings.byCode()) lines.push(`  ${b.code.padEnd(30)} ${String(b.count).padStart(7)}  first at line ${b.firstLines.join(', ')}`);
  lines.push(`  run "pace-audit validate ${file}" for every finding`);
  return lines.join('\n') + '\n';
}
