/**
 * A report written to a file: to a temporary file beside it, then renamed into place, so a
 * killed run never leaves half a report for a cron job to pick up (and cli.ts removes the
 * temporary file if the run is killed). Reports go to stdout through the same writer (fd.ts).
 */
import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../errors.js';
import { writeChunksSync } from './fd.js';

export type Chunks = Iterable<string>;

/** Where a report is written before it is renamed into place (the main thread removes it if killed). */
export const temporaryPathFor = (file: string) => join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);

export function writeFileAtomically(file: string, chunks: Chunks): void {
  const tmp = temporaryPathFor(file);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeChunksSync(fd, chunks);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw inputError('OUTPUT_UNWRITABLE', `${file}: cannot be written (${code})`);
    throw e;
  }
}
