import { type Command } from 'commander';
import { CONFIG_FILE } from '../../config-file.js';
import { addExamples } from '../common.js';
import { type Dispatch } from '../io.js';

export interface ChangesFlags {
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
  const cmd = program
    .command('changes')
    .description(
      'what changed between two audit dates: became overdue, decided, accommodated, left care, due next, new findings',
    )
    .argument('<file>', 'case-event CSV export')
    .requiredOption('--since <date>', "the earlier audit date (last month's meeting)")
    .option('--as-of <date>', 'the later audit date (default: today)')
    .option('--from <date>', 'cohort: accommodated on or after this date (as audit)')
    .option('--to <date>', 'cohort: accommodated on or before this date (as audit)')
    .option('--max-age <years>', 'cohort: under this age on the accommodation date (default: 12)')
    .option('--target <duration>', 'decision target from accommodation (default: 7.5m)')
    .option('--aim <percent>', 'share of children to decide within target (default: 75)')
    .option(
      '--stage-target <stage=duration>',
      "a later stage's target, as audit (repeatable)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .option(
      '--config <file>',
      `how the export maps onto pace-audit's fields (default: ${CONFIG_FILE} in this folder, if there is one)`,
    )
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--output <file>', 'write the report to a file (written whole or not at all) instead of stdout')
    .option('--no-progress', 'no progress display on stderr for large files')
    .action((file: string, flags: ChangesFlags) => dispatch('changes', file, flags));
  addExamples(cmd, [
    'pace-audit changes export.csv --since 2018-10-01 --as-of 2018-11-01',
    'pace-audit changes export.csv --since 2018-10-01 --as-of 2018-11-01 --format csv --output changes.csv',
    'pace-audit changes export.csv --since 2018-10-01 --format json',
  ]);
}
