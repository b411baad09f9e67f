/**
 * A report written to stdout. A full disk (`> /dev/full`) or a stdout that is gone is
 * OUTPUT_UNWRITABLE; a reader that stops early (`| head`) is not an error: writing stops quietly
 * and the exit code is the run's own.
 */
import { type BigIntStats, fstatSync, readFileSync, statSync } from 'node:fs';
import { PaceError } from '../errors.js';
import { outputError } from './errors.js';
import { type Chunk, writeChunksSync } from './fd.js';
import { inputAt } from './file.js';

const O_ACCMODE = 3;
const O_RDWR = 2;

/**
 * Whether stdout was closed when pace-audit was started (`>&-`). Node puts /dev/null on a closed
 * stdout before any of our code runs, opened for reading and writing, as libuv does for a child
 * started with stdio 'ignore'; a shell's `> /dev/null` opens it for writing only, and stays
 * allowed (the caller chose to discard the report). Only Linux says how a descriptor was opened;
 * elsewhere this cannot tell and says no.
 */
function stdoutWasClosed(fd = 1): boolean {
  try {
    const out = fstatSync(fd);
    if (!out.isCharacterDevice() || out.rdev !== statSync('/dev/null').rdev) return false;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags !== null && (parseInt(flags[1], 8) & O_ACCMODE) === O_RDWR;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EBADF';
  }
}

/**
 * Throws before the work when a report sent to stdout would be lost (OUTPUT_UNWRITABLE), or would
 * land in a file the run reads (`>> export.csv`: OUTPUT_IS_INPUT).
 */
export function checkStdout(inputs: readonly string[], fd = 1): void {
  if (stdoutWasClosed(fd))
    throw new PaceError(
      'OUTPUT_UNWRITABLE',
      'stdout: is closed, so the report would be lost; redirect it to a file or use --output <file>',
    );
  let out: BigIntStats;
  try {
    out = fstatSync(fd, { bigint: true });
  } catch {
    return; // the first write says what is wrong
  }
  if (!out.isFile()) return;
  const input = inputAt(out, inputs);
  if (input !== undefined)
    throw new PaceError(
      'OUTPUT_IS_INPUT',
      `stdout: is the file this run reads (${input}); the report would be written into it: redirect stdout elsewhere`,
    );
}

/** Writes the chunks to stdout; false once the reader has gone (`| head`). Throws OUTPUT_UNWRITABLE. */
export function writeStdoutChunks(chunks: Iterable<Chunk>, fd = 1): boolean {
  try {
    return writeChunksSync(fd, chunks);
  } catch (e) {
    throw outputError('stdout', e);
  }
}
