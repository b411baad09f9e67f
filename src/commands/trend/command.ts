import { type Command } from 'commander';
import { CONFIG_FILE } from '../../config-file.js';
import { addCohortOptions, addExamples, QUIET_HELP } from '../common.js';
import { type Dispatch } from '../io.js';

export interface TrendFlags {
  quiet?: boolean;
  start?: string;
  end?: string;
  every: string;
  from?: string;
  to?: string;
  maxAge?: string;
  target?: string;
  aim?: string;
  stageTarget?: string[];
  window?: string;
  measure: string;
  rules: string;
  baseline?: string;
  config?: string;
  encoding?: string;
  format: string;
  output?: string;
  progress: boolean;
  strict?: boolean;
}

export function registerTrend(program: Command, dispatch: Dispatch) {
  const cmd = addCohortOptions(
    program
      .command('trend')
      .description('the audit as of each month (quarter, week) end, as a run chart judged by run-chart rules')
      .argument('<file>', 'case-event CSV export')
      .requiredOption(
        '--start <date>',
        'first day of the series: the first point is the first period end on or after it',
      )
      .option('--end <date>', 'last day of the series (default: today)')
      .option('--every <period>', 'month, quarter or week (weeks end on Sunday)', 'month'),
  )
    .option(
      '--window <duration>',
      'rolling cohort: accommodated within this long up to each point, e.g. 12m (within --from/--to)',
    )
    .option(
      '--measure <name>',
      'what the run chart plots: within-target, decided-within-target, STAGE.within or STAGE.median (e.g. panel.median)',
      'within-target',
    )
    .option('--rules <set>', 'run-chart rules: ihi (shift, trend, runs) or anhoej (long runs, few crossings)', 'ihi')
    .option('--baseline <points>', 'points whose median is the centre line (default: the first 12)')
    .option(
      '--config <file>',
      `how the export maps onto pace-audit's fields (default: ${CONFIG_FILE} in this folder, if there is one)`,
    )
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)')
    .option('--format <format>', 'table, json, csv or html', 'table')
    .option('--output <file>', 'write the report to a file (written whole or not at all) instead of stdout')
    .option('--strict', 'stop with exit 2 if any row is rejected')
    .option('--no-progress', 'no progress display on stderr for large files')
    .option('-q, --quiet', QUIET_HELP)
    .action((file: string, flags: TrendFlags) => dispatch('trend', file, flags));
  addExamples(cmd, [
    'pace-audit trend export.csv --start 2017-11-01 --end 2018-10-31 --from 2017-11-01',
    'pace-audit trend export.csv --start 2016-01-01 --end 2018-12-31 --every quarter --rules anhoej',
    'pace-audit trend export.csv --start 2017-01-01 --end 2019-06-30 --format html --output trend.html',
  ]);
}
