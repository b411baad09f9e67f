import { type Command, InvalidArgumentError } from 'commander';
import { addCohortOptions, addExamples, addInputOptions, addPseudonymiseOptions, type InputFlags } from '../common.js';
import { type Dispatch } from '../io.js';
import { type ThresholdFlags } from './thresholds.js';
import { AUDIT_FORMATS, CSV_REPORTS, REPORTS, TABLE_DEFAULT } from './reports.js';

export interface AuditFlags extends InputFlags, ThresholdFlags {
  from?: string;
  to?: string;
  maxAge?: string;
  target?: string;
  aim?: string;
  report?: string;
  strict?: boolean;
  failUnder?: string;
  stageTarget?: string[];
  dueWithin: string;
  limit?: string;
  bom?: boolean;
  out?: string;
  suppressBelow?: string;
}

export function registerAudit(program: Command, dispatch: Dispatch) {
  const cmd = program
    .command('audit')
    .description("measure each child's permanence-decision lag and report compliance and overdue children")
    .argument('<file>', 'case-event CSV export');
  addCohortOptions(addInputOptions(cmd, AUDIT_FORMATS))
    .option(
      '--report <name>',
      `${REPORTS.join(', ')}. table: any (default: ${TABLE_DEFAULT.join(', ')}); csv: one of ${CSV_REPORTS.join(', ')} (default: overdue); json: summary writes the summary alone, any other every report; html: ignored, it has its own sections`,
    )
    .option('--limit <n|all>', 'table only: rows shown per list, most urgent first (default: 20)')
    .option('--bom', 'csv only: start the file with a UTF-8 byte-order mark, so Excel reads non-ASCII ids correctly')
    .option(
      '--due-within <duration>',
      'the due-soon report: stages whose deadline falls within this of the audit date',
      '28d',
    )
    .option('--strict', 'stop with exit 2 if any row is rejected')
    .option('--fail-under <percent>', 'exit 1 when the percentage within target is below this (or has no denominator)')
    .option('--fail-on-overdue [n]', 'exit 1 when more than n episodes are overdue (default n: 0)', overdueCount)
    .option('--max-rejected <n|p%>', 'exit 1 when more than n rows (or p% of the rows read) are rejected')
    .option('--fail-on-findings <codes>', 'exit 1 when any finding has one of these codes (comma-separated)')
    .option('--out <dir>', 'write the whole pack (JSON, CSVs, manifest) into <dir>/<as-of>/')
    .option(
      '--suppress-below <n>',
      'aggregate reports only, with counts under n shown as <n (and enough others hidden that none can be worked back)',
    )
    .addHelpText(
      'after',
      '\n--format html writes one self-contained report for managers (no script, nothing fetched; prints on A4).',
    );
  addPseudonymiseOptions(cmd).action((file: string, flags: AuditFlags) => dispatch('audit', file, flags));
  addExamples(cmd, [
    'pace-audit audit export.csv --as-of 2018-11-01 --from 2017-11-01',
    'pace-audit audit export.csv --format json --output audit.json',
    'pace-audit audit export.csv --format csv --report children --bom > children.csv',
    'pace-audit audit export.csv --fail-under 75        # exit 1 below the aim (for cron)',
  ]);
}

/**
 * The optional n of --fail-on-overdue takes the next word: `--fail-on-overdue export.csv` would
 * make the file n and report the file missing. A value that is no whole number is named instead.
 */
function overdueCount(value: string): string {
  if (!/^\s*\d+\s*$/.test(value))
    throw new InvalidArgumentError(
      'n is a whole number of episodes (--fail-on-overdue 3); bare, it means 0 and takes the next word as n unless that starts with -, so give the file first',
    );
  return value;
}
