/** A failed write, said plainly: which output, why, and the system's code for it. */
import { PaceError } from '../errors.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for this disk',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  EBADF: 'it is closed',
  EIO: 'an input/output error',
  EEXIST: 'a file of that name appeared while writing',
  ELOOP: 'a symbolic link is in the way',
  ENAMETOOLONG: 'the name is too long',
};

/** `where` is the --output path, or "stdout". A PaceError passes through unchanged. */
export function outputError(where: string, e: unknown): Error {
  if (e instanceof PaceError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (!code) return e as Error;
  return new PaceError(
    'OUTPUT_UNWRITABLE',
    `${where}: cannot be written: ${REASONS[code] ?? 'the system refused'} (${code})`,
  );
}
