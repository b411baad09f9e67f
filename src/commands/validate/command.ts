import { type Command } from 'commander';
import { addInputOptions, addPseudonymiseOptions, type InputFlags } from '../common.js';
import { type Dispatch } from '../io.js';

export function registerValidate(program: Command, dispatch: Dispatch) {
  const cmd = program
    .command('validate')
    .description('check an export and list every finding: exit 0 with no errors, 1 with errors')
    .argument('<file>', 'case-event CSV export');
  addPseudonymiseOptions(addInputOptions(cmd)).action((file: string, flags: InputFlags) => dispatch('validate', file, flags));
}

