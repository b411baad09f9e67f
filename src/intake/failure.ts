/**
 * How a thread reading an export (part-worker.ts, share-worker.ts) says why it stopped: the file
 * left the fast path's shape (read it with csv-parse instead), the input is at fault (a PaceError,
 * reported as one thread would), or our own bug.
 */
import { type ErrorCode, PaceError } from '../errors.js';
import { NotPlain } from '../read/fast.js';
import { stopLine } from '../read/source.js';

/** `line`: where a read on the fast path stopped (see `stopLine`), if it stopped reading. */
export type Failure =
  | { t: 'notPlain'; why: string; line?: number | undefined }
  | { t: 'fail'; code: ErrorCode; message: string; line?: number | undefined }
  | { t: 'bug'; stack: string };

export function failureOf(e: unknown): Failure {
  if (e instanceof NotPlain) return { t: 'notPlain', why: e.why, line: stopLine(e) };
  if (e instanceof PaceError) return { t: 'fail', code: e.code, message: e.message, line: stopLine(e) };
  return { t: 'bug', stack: (e as Error)?.stack ?? String(e) };
}
