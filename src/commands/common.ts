/** Options shared by every command that reads an export. */
import { type Command } from 'commander';
import { CONFIG_FILE, loadConfig, type LoadedConfig } from '../config.js';
import { type Day, today } from '../dates/days.js';
import { type LoadOptions } from '../load.js';
import { parseChoice, parseDateOption, parseEncoding } from '../options.js';
import { progressReporter } from '../report/progress.js';
import { writeFileAtomically, type Chunks } from '../output/sink.js';
import { statSync } from 'node:fs';
import { type ChalkInstance } from 'chalk';
import { colourFor } from '../report/colour.js';
import { type CommandIO } from './io.js';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface InputFlags {
  config?: string;
  asOf?: string;
  encoding?: string;
  progress: boolean;
  format: string;
  output?: string;
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', `how the export maps onto pace-audit's fields (default: ${CONFIG_FILE} in this folder, if there is one)`)
    .option('--as-of <date>', 'audit date: events after it are ignored as not yet happened (default: today)')
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--output <file>', 'write the report to a file (written whole or not at all) instead of stdout')
    .option('--no-progress', 'no progress display on stderr for large files');
}

export function asOfFrom(flags: InputFlags): Day {
  return flags.asOf === undefined ? today() : parseDateOption(flags.asOf, '--as-of');
}

export const formatFrom = (flags: InputFlags): Format => parseChoice(flags.format, '--format', FORMATS);

export function loadOptionsFrom(file: string, flags: InputFlags, io: CommandIO): Omit<LoadOptions, 'asOf'> & { done?: () => void; config: LoadedConfig['config'] } {
  const { mapping, config } = loadConfig(flags.config);
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // openSource reports a missing or unreadable file with its own code.
  }
  const progress = flags.progress ? progressReporter(size, { isTTY: io.stderrIsTTY, write: io.writeStderr }) : undefined;
  return {
    file,
    encoding: flags.encoding === undefined ? config.encoding : parseEncoding(flags.encoding),
    mapping,
    config,
    onProgress: progress?.report,
    done: progress?.done,
  };
}

/** Writes a report to --output (atomically) or stdout. */
export async function emit(io: CommandIO, flags: InputFlags, chunks: Chunks): Promise<void> {
  if (flags.output) await writeFileAtomically(flags.output, chunks);
  else await io.writeStdout(chunks);
}

/** Colour for the report: only when it goes to a terminal. */
export const stdoutColour = (io: CommandIO, flags: InputFlags): ChalkInstance => colourFor({ isTTY: !flags.output && io.stdoutIsTTY }, io.env);
export const stderrColour = (io: CommandIO): ChalkInstance => colourFor({ isTTY: io.stderrIsTTY }, io.env);
