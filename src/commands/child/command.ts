/** `pace-audit child <id> <file>`: one child's timeline, for a data officer chasing one case. */
import { type Command } from 'commander';
import { addExamples, addInputOptions, type InputFlags } from '../common.js';
import { type Dispatch } from '../io.js';

export const CHILD_FORMATS = ['table', 'json'] as const;

export interface ChildFlags extends InputFlags {
  target: string;
  stageTarget?: string[];
}

export function registerChild(program: Command, dispatch: Dispatch) {
  const cmd = program
    .command('child')
    .description(
      "one child's timeline: every event, each stage's deadline and status, and warnings about the child's data",
    )
    .argument('<id>', 'the child id')
    .argument('<file>', 'case-event CSV export');
  addInputOptions(cmd, CHILD_FORMATS)
    .option('--target <duration>', 'decision target from accommodation', '7.5m')
    .option(
      '--stage-target <stage=duration>',
      "a later stage's target (repeatable)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .action((id: string, file: string, flags: ChildFlags) => dispatch('child', file, { ...flags, id }));
  addExamples(cmd, [
    'pace-audit child C0042 export.csv --as-of 2018-11-01',
    'pace-audit child C0042 export.csv --format json',
    'pace-audit child C0042 export.csv --stage-target panel=10w',
  ]);
}
