/**
 * Flags shared by every command that reads an export. This side runs in the main thread, so it
 * imports nothing heavier than commander; runtime.ts does the work in the worker.
 */
import { type Command } from 'commander';
import { CONFIG_FILE } from '../config-file.js';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface InputFlags {
  config?: string;
  asOf?: string | undefined;
  encoding?: string;
  progress: boolean;
  format: string;
  output?: string;
}

/** The help's closing examples: real command lines, as the README gives them. */
export function addExamples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

/** `formats` is what this command writes: its help offers no format it would reject. */
export function addInputOptions(cmd: Command, formats: readonly string[] = FORMATS): Command {
  return cmd
    .option('--config <file>', `how the export maps onto pace-audit's fields (default: ${CONFIG_FILE} in this folder, if there is one)`)
    .option('--as-of <date>', 'audit date: events after it are ignored as not yet happened (default: today)')
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)')
    .option('--format <format>', formats.join(', '), 'table')
    .option('--output <file>', 'write the report to a file (written whole or not at all) instead of stdout')
    .option('--no-progress', 'no progress display on stderr for large files');
}
