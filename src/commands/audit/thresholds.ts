/**
 * Alert thresholds for unattended runs: each one crossed is named in one line on stderr and makes
 * the run exit 1 (shell.ts sets it from the command's result). --fail-under stays in run.ts.
 */
import { usageError } from '../../errors.js';
import { parseNumberOption } from '../../options.js';
import { FINDING_CODES, type FindingCode } from '../../validate/finding-codes.js';
import { type AuditReport } from './audit.js';

export interface ThresholdFlags {
  failOnOverdue?: string | boolean;
  maxRejected?: string;
  failOnFindings?: string;
}

export interface Thresholds {
  /** More overdue episodes than this fails. */
  failOnOverdue?: number;
  /** More rejected rows than this many, or than this percentage of the rows read, fails. */
  maxRejected?: { count: number; percent: false } | { count: number; percent: true };
  failOnFindings?: FindingCode[];
}

type Defaults = {
  failOnOverdue?: number | boolean | undefined;
  maxRejected?: string | number | undefined;
  failOnFindings?: string | string[] | undefined;
};

export function thresholdsFrom(flags: ThresholdFlags, d: Defaults): Thresholds {
  const t: Thresholds = {};
  const overdue = flags.failOnOverdue ?? d.failOnOverdue;
  // A bare --fail-on-overdue means "any overdue at all".
  if (overdue !== undefined && overdue !== false)
    t.failOnOverdue = overdue === true ? 0 : parseNumberOption(overdue, '--fail-on-overdue', { integer: true });
  const rejected = flags.maxRejected ?? d.maxRejected;
  if (rejected !== undefined) {
    const text = String(rejected).trim();
    const percent = text.endsWith('%');
    t.maxRejected = {
      count: parseNumberOption(text, '--max-rejected', percent ? { max: 100 } : { integer: true }),
      percent,
    } as NonNullable<Thresholds['maxRejected']>;
  }
  const codes = flags.failOnFindings ?? d.failOnFindings;
  if (codes !== undefined) {
    const list = (Array.isArray(codes) ? codes : codes.split(','))
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c !== '');
    const unknown = list.filter((c) => !(c in FINDING_CODES));
    if (list.length === 0 || unknown.length)
      throw usageError(
        'INVALID_OPTION',
        `--fail-on-findings: ${unknown.length ? `unknown code ${unknown.join(', ')}` : 'no code given'}; codes are ${Object.keys(FINDING_CODES).join(', ')}`,
      );
    t.failOnFindings = list as FindingCode[];
  }
  return t;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line per threshold crossed; empty when none is. */
export function crossedThresholds(
  t: Thresholds,
  r: Pick<AuditReport, 'summary' | 'accounting' | 'findings'>,
): string[] {
  const out: string[] = [];
  if (t.failOnOverdue !== undefined && r.summary.overdue > t.failOnOverdue)
    out.push(`${plural(r.summary.overdue, 'overdue episode')}, more than --fail-on-overdue ${t.failOnOverdue}`);
  const m = t.maxRejected;
  if (m) {
    const { rowsRejected, rowsRead } = r.accounting;
    // Compared unrounded: 1 of 3 rows is 33.33...%, over a limit of 33.3%.
    if (m.percent ? rowsRead > 0 && (rowsRejected * 100) / rowsRead > m.count : rowsRejected > m.count)
      out.push(
        `${plural(rowsRejected, 'row')} rejected of ${rowsRead} read, more than --max-rejected ${m.count}${m.percent ? '%' : ''}`,
      );
  }
  if (t.failOnFindings) {
    const found = t.failOnFindings
      .filter((c) => (r.findings.counts.get(c) ?? 0) > 0)
      .map((c) => `${c} (${r.findings.counts.get(c)})`);
    if (found.length) out.push(`findings named in --fail-on-findings: ${found.join(', ')}`);
  }
  return out;
}
