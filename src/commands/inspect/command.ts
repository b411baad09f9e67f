/**
 * `pace-audit inspect <file>`: what an unfamiliar export holds, and a suggested config, so that
 * a new export can be mapped in minutes. Reads the whole file but keeps only counts and at most
 * a few dozen distinct values per column; it never prints a cell of a column that looks like
 * names or free text, only of the column that looks like event codes.
 */
import { type Command } from 'commander';
import { addExamples, type InputFlags } from '../common.js';
import { type Dispatch } from '../io.js';

export function registerInspect(program: Command, dispatch: Dispatch) {
  const cmd = program
    .command('inspect')
    .description(
      'describe an export (encoding, delimiter, headers, date format, event codes) and suggest a config for it',
    )
    .argument('<file>', 'CSV export')
    .option('--encoding <name>', 'input encoding (default: detected)')
    .option('--format <format>', 'table or json', 'table')
    .action((file: string, flags: InputFlags) => dispatch('inspect', file, flags));
  addExamples(cmd, [
    'pace-audit inspect new-export.csv                  # headers, codes, date format, a suggested config',
    'pace-audit inspect new-export.csv --format json',
    'pace-audit inspect old-export.csv --encoding windows-1252',
  ]);
}
