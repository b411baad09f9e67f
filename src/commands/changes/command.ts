import { type Command } from 'commander';
import { CONFIG_FILE } from '../../config-file.js';
import { addCohortOptions, addExamples, QUIET_HELP } from '../common.js';
import { type Dispatch } from '../io.js';

export interface ChangesFlags {
  quiet?: boolean;
  since: string;
  asOf?: string;
  from?: string;
  to?: string;
  maxAge?: string;
  target?: string;
  aim?: string;
  stageTarget?: string[];
  config?: string;
  encoding?: string;
  format: string;
  output?: string;
  progress: boolean;
}

export function registerChanges(program: Command, dispatch: Dispatch) {
  const cmd = addCohortOptions(
    program
      .command('changes')
      .description(
        'what changed between two audit dates: became overdue, decided, accommodated, left care, due next, new findings',
      )
      .argument('<file>', 'case-event CSV export')
      .requiredOption('--since <date>', "the earlier audit date (last month's meeting)")
      .option('--as-of <date>', 'the later audit date (default: today)'),
  )
    .option(
      '--config <file>',
      `how the export maps onto pace-audit's fields (default: ${CONFIG_FILE} in this folder, if there is one)`,
    )
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--output <file>', 'write the report to a file (written whole or not at all) instead of stdout')
    .option('--no-progress', 'no progress display on stderr for large files')
    .option('-q, --quiet', QUIET_HELP)
    .action((file: string, flags: ChangesFlags) => dispatch('changes', file, flags));
  addExamples(cmd, [
    'pace-audit changes export.csv --since 2018-10-01 --as-of 2018-11-01',
    'pace-audit changes export.csv --since 2018-10-01 --as-of 2018-11-01 --format csv --output changes.csv',
    'pace-audit changes export.csv --since 2018-10-01 --format json',
  ]);
}
