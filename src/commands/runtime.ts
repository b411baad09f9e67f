/** The worker's side of the shared flags: turning them into load options and writing output. */
import { statSync } from 'node:fs';
import { type ChalkInstance } from 'chalk';
import { loadConfig, type LoadedConfig } from '../config.js';
import { type Day, today } from '../dates/days.js';
import { type LoadOptions } from '../load.js';
import { parseChoice, parseDateOption, parseEncoding } from '../options.js';
import { writeFileAtomically, type Chunks } from '../output/sink.js';
import { colourFor } from '../report/colour.js';
import { progressReporter } from '../report/progress.js';
import { FORMATS, type Format, type InputFlags } from './common.js';
import { type CommandIO } from './io.js';

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
  if (flags.output) writeFileAtomically(flags.output, chunks);
  else await io.writeStdout(chunks);
}

/** Colour for the report: only when it goes to a terminal. */
export const stdoutColour = (io: CommandIO, flags: InputFlags): ChalkInstance => colourFor({ isTTY: !flags.output && io.stdoutIsTTY }, io.env);
export const stderrColour = (io: CommandIO): ChalkInstance => colourFor({ isTTY: io.stderrIsTTY }, io.env);
