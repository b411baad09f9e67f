/**
 * Where a report goes. To a file: written to a temporary file beside it and renamed into place,
 * so a killed run never leaves half a report for a cron job to pick up. To stdout: chunk by
 * chunk with backpressure, so a large JSON report never sits whole in memory, and a closed pipe
 * (`| head`) ends the writing quietly.
 */
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Writable } from 'node:stream';
import { inputError } from '../errors.js';

export type Chunks = Iterable<string>;

export async function writeChunks(out: Writable, chunks: Chunks): Promise<boolean> {
  let closed = false;
  let failure: Error | undefined;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else failure = e;
    out.destroy();
  };
  out.on('error', onError);
  try {
    let buffer = '';
    for (const chunk of chunks) {
      if (failure) throw failure;
      if (closed) return false;
      buffer += chunk;
      if (buffer.length < 64 * 1024) continue;
      if (!out.write(buffer)) await drained(out);
      buffer = '';
    }
    if (buffer && !closed && !failure) out.write(buffer);
    if (failure) throw failure;
    return !closed;
  } finally {
    out.off('error', onError);
  }
}

/** Resolves on 'drain' or 'close', leaving no listener behind. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Where a report is written before it is renamed into place (the main thread removes it if killed). */
export const temporaryPathFor = (file: string) => join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);

export async function writeFileAtomically(file: string, chunks: Chunks): Promise<void> {
  const tmp = temporaryPathFor(file);
  try {
    const out = createWriteStream(tmp);
    await once(out, 'open');
    await writeChunks(out, chunks);
    out.end();
    await once(out, 'finish');
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw inputError('OUTPUT_UNWRITABLE', `${file}: cannot be written (${code})`);
    throw e;
  }
}
