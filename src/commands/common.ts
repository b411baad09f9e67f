/**
 * Flags shared by every command that reads an export. This side runs in the main thread, so it
 * imports nothing heavier than commander; runtime.ts does the work in the worker.
 */
import { type Command } from 'commander';
import { CONFIG_FILE } from '../config-file.js';

export const FORMATS = ['table', 'json', 'csv', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

export interface InputFlags {
  config?: string;
  asOf?: string | undefined;
  encoding?: string;
  progress: boolean;
  format?: string;
  output?: string;
  quiet?: boolean;
  pseudonymise?: boolean;
  keyFile?: string;
}

/** The cohort and target options: declared once, so they mean the same in audit, trend and changes. */
export function addCohortOptions(cmd: Command): Command {
  return cmd
    .option('--from <date>', 'cohort: accommodated on or after this date')
    .option('--to <date>', 'cohort: accommodated on or before this date')
    .option('--max-age <years>', 'cohort: under this age on the accommodation date (default: 12)')
    .option('--target <duration>', 'decision target from accommodation: 7.5m, 228d, 32w (default: 7.5m)')
    .option('--aim <percent>', 'share of children to decide within target (default: 75)')
    .option(
      '--stage-target <stage=duration>',
      "a later stage's target, e.g. panel=12w or court_application=none (repeatable)",
      (v: string, all: string[] = []) => [...all, v],
    );
}

/** The help's closing examples: real command lines, as the README gives them. */
export function addExamples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

export const QUIET_HELP = 'nothing on stderr unless it needs a person: an error, a crossed threshold, an empty export';

/** `formats` is what this command writes: its help offers no format it would reject. */
export function addInputOptions(cmd: Command, formats: readonly string[] = FORMATS): Command {
  return cmd
    .option(
      '--config <file>',
      `how the export maps onto pace-audit's fields (default: ${CONFIG_FILE} in this folder, if there is one)`,
    )
    .option(
      '--as-of <date>',
      'audit date (yyyy-mm-dd, today, last-month-end or last-quarter-end): events after it are ignored as not yet happened (default: today)',
    )
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)')
    .option('--format <format>', `${formats.join(', ')} (default: table)`)
    .option(
      '--output <file>',
      'write the report to a file (written whole or not at all) instead of stdout; - is stdout',
    )
    .option('--no-progress', 'no progress display on stderr for large files')
    .option('-q, --quiet', QUIET_HELP);
}

/** --pseudonymise and its key, for commands whose reports carry ids. */
export function addPseudonymiseOptions(cmd: Command): Command {
  return cmd
    .option(
      '--pseudonymise',
      'child and family ids become keyed tokens (c_..., f_...); the key from PACE_AUDIT_KEY or --key-file',
    )
    .option(
      '--key-file <file>',
      'the pseudonymisation key, in a file only you can read (never the key itself on the command line)',
    );
}
