import { type Command } from 'commander';
import { addExamples, addInputOptions, addPseudonymiseOptions, type InputFlags } from '../common.js';
import { type Dispatch } from '../io.js';

export interface ValidateFlags extends InputFlags {
  limit?: string;
  bom?: boolean;
}

export function registerValidate(program: Command, dispatch: Dispatch) {
  const cmd = program
    .command('validate')
    .description('check an export and list every finding: exit 0 with no errors, 1 with errors')
    .argument('<file>', 'case-event CSV export');
  addPseudonymiseOptions(addInputOptions(cmd))
    .option('--limit <n|all>', 'table only: findings listed, in file order (default: 20)')
    .option('--bom', 'csv only: start the file with a UTF-8 byte-order mark, for Excel')
    .action((file: string, flags: ValidateFlags) => dispatch('validate', file, flags));
  addExamples(cmd, [
    'pace-audit validate export.csv                     # every finding, with its line',
    'pace-audit validate export.csv --format csv --output findings.csv',
    'pace-audit validate export.csv --config pace-audit.config.json --format json',
  ]);
}
