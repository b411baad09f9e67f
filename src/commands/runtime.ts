/** The worker's side of the shared flags: turning them into load options and writing output. */
import { statSync } from 'node:fs';
import { type ChalkInstance } from 'chalk';
import { loadConfig, type LoadedConfig } from '../config.js';
import { PaceError, usageError } from '../errors.js';
import { civilFromDay, type Day, dayFromCivil, today } from '../dates/days.js';
import { type Pseudonymiser, pseudonymiserFrom } from '../privacy/pseudonymise.js';
import { isStreamInput } from '../read/source.js';
import { type LoadOptions } from '../load.js';
import { parseChoice, parseDateOption, parseEncoding, parseNumberOption } from '../options.js';
import { widthFor } from '../report/table.js';
import { colourFor } from '../report/colour.js';
import { countingChunks, type Progress, progressReporter } from '../report/progress.js';
import { FORMATS, type Format, type InputFlags } from './common.js';
import { type CommandIO, type ReportKind } from './io.js';
import { type Chunk } from '../output/fd.js';

/**
 * The audit date: a date, or `today`, `last-month-end`, `last-quarter-end` worked out once from
 * the machine's calendar date (so a cron job needs no date arithmetic).
 */
export function asOfFrom(flags: InputFlags, fallback?: string, now: Date = new Date()): Day {
  const value = flags.asOf ?? fallback;
  return value === undefined
    ? today(now)
    : resolveAsOf(value, flags.asOf === undefined ? 'defaults.asOf' : '--as-of', now);
}

const AS_OF_WORDS = ['today', 'last-month-end', 'last-quarter-end'] as const;

export function resolveAsOf(value: string, flag: string, now: Date): Day {
  const word = value.trim().toLowerCase();
  if (!(AS_OF_WORDS as readonly string[]).includes(word)) return parseDateOption(value, flag);
  const day = today(now);
  if (word === 'today') return day;
  const [y, m] = civilFromDay(day);
  // The day before the first of this month, or of this quarter's first month.
  const firstMonth = word === 'last-month-end' ? m : m - ((m - 1) % 3);
  return dayFromCivil(y, firstMonth, 1) - 1;
}

/** The report's format; `choices` is what this command writes, all named when a value is refused. */
export const formatFrom = <F extends string = Format>(
  flags: InputFlags,
  fallback?: string,
  choices: readonly F[] = FORMATS as readonly string[] as readonly F[],
): F =>
  parseChoice(
    flags.format ?? fallback ?? 'table',
    flags.format === undefined && fallback !== undefined ? 'defaults.format' : '--format',
    choices,
  );

/** Whether the report goes to stdout (no --output, or --output -). */
const toStdout = (flags: InputFlags) => flags.output === undefined || flags.output === '-';

/** What audit and validate say of an export that holds a header and no rows. */
export const emptyExport = (file: string) => `pace-audit: ${file}: no rows after the header; is the export complete?\n`;

/** stderr as --quiet allows: `notice` is dropped under --quiet; `alert` needs a person and always shows. */
export function stderrFor(io: CommandIO, flags: InputFlags) {
  return {
    notice: (text: string) => (flags.quiet ? undefined : io.writeStderr(text)),
    alert: (text: string) => io.writeStderr(text),
  };
}

/** The pseudonymisation key when --pseudonymise is set (the run stops without one). */
function pseudonymiserOf(flags: InputFlags, file: string): Pseudonymiser | undefined {
  if (!flags.pseudonymise) {
    if (flags.keyFile !== undefined) throw usageError('INVALID_OPTION', '--key-file is only used with --pseudonymise');
    return undefined;
  }
  return pseudonymiserFrom(flags.keyFile, process.env, file);
}

export interface ConfigUsed {
  /** The config file as named (--config) or found (pace-audit.config.json here); null for none. */
  file: string | null;
  found: boolean;
}

export function loadOptionsFrom(
  file: string,
  flags: InputFlags,
  io: CommandIO,
): Omit<LoadOptions, 'asOf'> & {
  done?: (() => void) | undefined;
  progress?: Progress | undefined;
  config: LoadedConfig['config'];
  configUsed: ConfigUsed;
} {
  const { mapping, config, file: configFile } = loadConfig(flags.config);
  let size = 0;
  try {
    // A pipe's size says nothing: a stream gets no progress display.
    if (!isStreamInput(file)) size = statSync(file).size;
  } catch {
    // openSource reports a missing or unreadable file with its own code.
  }
  const progress =
    flags.progress && !flags.quiet
      ? progressReporter(size, { isTTY: io.stderrIsTTY, show: io.writeProgress })
      : undefined;
  return {
    file,
    encoding: flags.encoding === undefined ? config.encoding : parseEncoding(flags.encoding),
    mapping,
    config,
    configUsed: { file: configFile, found: configFile !== null && flags.config === undefined },
    onProgress: progress?.report,
    onPhase: progress?.phase,
    done: progress?.done,
    progress,
    pseudonymiser: pseudonymiserOf(flags, file),
  };
}

/**
 * Writes a report to --output (whole or not at all) or stdout, showing the writing phase if
 * `progress`. Text is escaped for the terminal on the way out; pass 'data' for JSON, CSV and
 * HTML, which are written exact.
 */
export async function emit(
  io: CommandIO,
  flags: InputFlags,
  chunks: Iterable<Chunk>,
  kind: ReportKind = 'text',
  progress?: Progress,
): Promise<void> {
  const counted = countingChunks(chunks, progress);
  if (!toStdout(flags)) io.writeFile(flags.output!, counted, kind);
  else await io.writeStdout(counted, kind);
}

/** Colour for the report: only when it goes to a terminal. */
export const stdoutColour = (io: CommandIO, flags: InputFlags): ChalkInstance =>
  colourFor({ isTTY: toStdout(flags) && io.stdoutIsTTY }, io.env);
/** How wide a table may be: the terminal's width when the report goes to one, else $COLUMNS or 80. */
export const tableWidth = (io: CommandIO, flags: InputFlags): number =>
  widthFor(toStdout(flags) ? io.stdoutColumns : undefined, io.env);

/** `--limit N|all`: rows per list in a table (20 by default); tables only. */
export function limitFrom(flags: InputFlags & { limit?: string }, format: string): number {
  if (flags.limit === undefined) return 20;
  if (format !== 'table')
    throw usageError('INVALID_OPTION', `--limit applies to tables; --format ${format} always lists every row`);
  if (flags.limit.trim().toLowerCase() === 'all') return Infinity;
  return parseNumberOption(flags.limit, '--limit', { min: 1, integer: true });
}

/** `--bom`: CSV only, a UTF-8 byte-order mark first, which Excel needs to read UTF-8 as UTF-8. */
export function bomFrom(flags: { bom?: boolean }, format: string): boolean {
  if (flags.bom && format !== 'csv') throw usageError('INVALID_OPTION', `--bom applies to --format csv only`);
  return flags.bom === true;
}

export function* withBom(bom: boolean, chunks: Iterable<Chunk>): Generator<Chunk> {
  if (bom) yield '\uFEFF';
  yield* chunks;
}

export const stderrColour = (io: CommandIO): ChalkInstance => colourFor({ isTTY: io.stderrIsTTY }, io.env);

/**
 * Which config shaped the figures, said on every run (a config found in the working folder can
 * change them without a word otherwise): for stderr, beside table and CSV reports.
 */
export function configNotice(used: ConfigUsed): string {
  if (used.file === null)
    return "pace-audit: config: none (the export must use pace-audit's own column names and codes)\n";
  return `pace-audit: config: ${used.file}${used.found ? ' (found in the working folder)' : ''}\n`;
}

/**
 * A required column missing usually means the wrong config, or none: the message says which was
 * applied and how to get one that fits.
 */
export function explainMissingColumn(file: string, used: ConfigUsed): (e: unknown) => never {
  return (e) => {
    if (!(e instanceof PaceError) || e.code !== 'MISSING_COLUMN') throw e;
    const applied =
      used.file === null
        ? "no config was applied, so pace-audit's own column names were expected"
        : `the config applied was ${used.file}${used.found ? ' (found in the working folder)' : ''}`;
    throw new PaceError(
      e.code,
      `${e.message}; ${applied}: run "pace-audit inspect ${file}" for a suggested config, then pass it with --config`,
      e.exitCode,
    );
  };
}
