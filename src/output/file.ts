/**
 * A report written to a file, safely; the writer for every file pace-audit writes.
 * - Only ever a regular file: a folder, a device (`/dev/full`, `/dev/null`), a FIFO or a socket
 *   is refused, and nothing is written in /dev, /proc or /sys (replacing `/dev/stdout` as root
 *   would break the machine until it restarts). Leave out --output to write to stdout.
 * - Never the export or the config being read (same device and inode: also through a hard link
 *   or a symbolic link): the report would replace the data it was made from.
 * - Written to a temporary file beside it, made with O_CREAT|O_EXCL|O_NOFOLLOW and a name no one
 *   can guess (a symbolic link planted there cannot send the report elsewhere), flushed to disk,
 *   and renamed into place only when complete: a killed run or a full disk never leaves half a
 *   report for a cron job to pick up. An existing report is replaced whole; a symbolic link at the
 *   output path is replaced by the report, and the file it pointed to is never written.
 * - Mode 0600: reports hold children's ids and dates. The umask can only narrow that.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PaceError } from '../errors.js';
import { outputError } from './errors.js';
import { missingFolders } from './folders.js';
import { writeChunksSync } from './fd.js';
import { type Chunk } from './fd.js';

export type Chunks = Iterable<Chunk>;

/** Who may read a report: its owner only. */
const OUTPUT_MODE = 0o600;

/** A run's part of its temporary files' names: made by the main thread, which removes them if the run is killed. */
export const newTemporaryToken = (): string => randomBytes(12).toString('hex');

export const temporaryPathFor = (file: string, token: string): string =>
  join(dirname(file), `.${basename(file)}.${token}.tmp`);

export interface OutputFileOptions {
  /** From newTemporaryToken(). */
  token: string;
  /** The files this run reads (the export, the config): the report may replace none of them. */
  inputs: readonly string[];
}

// Where files are kernel objects, not data. /dev/shm is an ordinary folder in memory.
const SYSTEM_FOLDER = /^\/(?:proc|sys)(?:\/|$)|^\/dev(?:\/(?!shm(?:\/|$))|$)/;

function kindOf(s: BigIntStats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Throws OUTPUT_UNWRITABLE or OUTPUT_IS_INPUT unless `file` may receive a report. Run before the work and again before the rename. */
export function checkOutputFile(file: string, inputs: readonly string[]): void {
  // An unset variable in a cron line (`--output "$OUT"`): say so, not "cannot be written".
  if (file === '') throw new PaceError('INVALID_OPTION', '--output needs a file name (or - for stdout)');
  let target: BigIntStats | undefined;
  let folder: string;
  try {
    target = statSync(file, { bigint: true, throwIfNoEntry: false });
    folder = realpathSync(dirname(resolve(file)));
  } catch (e) {
    throw outputError(file, e);
  }
  if (target && !target.isFile())
    throw new PaceError(
      'OUTPUT_UNWRITABLE',
      `${file}: is ${kindOf(target)}, not a regular file; leave out --output to write to stdout`,
    );
  if (SYSTEM_FOLDER.test(folder))
    throw new PaceError(
      'OUTPUT_UNWRITABLE',
      `${file}: pace-audit writes no report in ${folder}; leave out --output to write to stdout`,
    );
  if (target === undefined) return; // a new file, or a dangling link that the report will replace
  const input = inputAt(target, inputs);
  if (input !== undefined)
    throw new PaceError(
      'OUTPUT_IS_INPUT',
      `${file}: is the file this run reads (${input}); the report would replace it: choose another --output`,
    );
}

/**
 * Before the work, whether `--out <dir>` can take the pack: the deepest part of the path that
 * exists must be a folder this run may write in, outside /dev, /proc and /sys. Nothing is made
 * yet (a run that fails leaves no folder); a pack that then cannot be written still fails at the
 * end (a full disk), but a folder it could never write no longer waits for the whole export.
 */
export function checkOutFolder(dir: string): void {
  // The deepest level there, walked as the pack's folders will be made (missingFolders).
  const missing = missingFolders(dir);
  const at = missing.length ? dirname(missing[0]) : dir;
  try {
    const real = realpathSync(at);
    // Said first: a system folder's own refusal (EPERM in /proc) says less.
    if (SYSTEM_FOLDER.test(real))
      throw new PaceError(
        'OUTPUT_UNWRITABLE',
        `${dir}: pace-audit writes no pack in ${real}; name another --out folder`,
      );
    if (!statSync(real).isDirectory())
      throw new PaceError('OUTPUT_UNWRITABLE', `${dir}: ${at} is not a folder; --out needs a folder`);
    accessSync(real, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw outputError(dir, e);
  }
}

/** The input that is the file `target` describes (same device and inode), if any: --output and stdout both ask. */
export function inputAt(target: BigIntStats, inputs: readonly string[]): string | undefined {
  for (const input of inputs) {
    let s: BigIntStats | undefined;
    try {
      // `-` is stdin, which may be the very file (`--output x.csv < x.csv`).
      s = input === '-' ? fstatSync(0, { bigint: true }) : statSync(input, { bigint: true, throwIfNoEntry: false });
    } catch {
      continue; // an input we cannot stat is reported by whoever reads it
    }
    if (s && s.dev === target.dev && s.ino === target.ino) return input === '-' ? '<stdin>' : input;
  }
  return undefined;
}

/** Writes the chunks to `file` whole or not at all (see the top of this file). Throws PaceError. */
export function writeOutputFile(file: string, chunks: Chunks, options: OutputFileOptions): void {
  checkOutputFile(file, options.inputs);
  const tmp = temporaryPathFor(file, options.token);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, OUTPUT_MODE);
  } catch (e) {
    throw outputError(file, e); // and leave alone whatever is there: it is not ours
  }
  let renamed = false;
  try {
    try {
      writeChunksSync(fd, chunks);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The target may have changed while the report was made.
    checkOutputFile(file, options.inputs);
    renameSync(tmp, file);
    renamed = true;
  } catch (e) {
    throw outputError(file, e);
  } finally {
    if (!renamed) rmSync(tmp, { force: true });
  }
}
