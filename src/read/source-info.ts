import { type Hash } from 'node:crypto';

/**
 * What opening an export found out about it. Its own module so that both source.ts (which opens
 * and streams) and cut.ts (which splits the file for two threads) can use it without importing
 * each other.
 */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

export interface SourceInfo {
  file: string;
  bytes: number;
  encoding: Encoding;
  bom: boolean;
  delimiter: Delimiter;
  /** The line end of the first record (csv-parse keeps to it), if the sample holds one. */
  recordDelimiter: '\n' | '\r\n' | '\r' | undefined;
  /** Try the fast path (read/fast.ts) before csv-parse: set by load() for UTF-8 exports. */
  fast?: boolean;
  /** Tests only (test/fast-diff.test.ts): bytes per read, for either reader (read/source.ts). */
  readBytes?: number | undefined;
  /** Tests only: cut for two threads after the first line feed at or after this byte, not at 52%. */
  cutAt?: number | undefined;
  /** A file's last change and identity when opened: a read that finds them changed fails (INPUT_CHANGED). */
  opened?: { mtimeMs: number; ino: number; dev: number } | undefined;
  /**
   * Set for stdin, a pipe, a FIFO or a process substitution: read once, as it comes, in one
   * thread; `bytes` is 0 until it has been read, then what was read.
   */
  stream?: StreamInput;
}

/** A stream's first bytes (read to detect the encoding and delimiter) and the rest, unread. */
interface StreamInput {
  head: Buffer[];
  rest: AsyncIterator<Buffer> | undefined;
  /** SHA-256 of every byte read, for the --out manifest. */
  hash: Hash;
  /** Where every byte read is kept, for a command that reads its input twice (see StreamCopy). */
  keep?: Buffer[] | undefined;
}

/**
 * A stream's bytes, kept in memory by a first reading for a second (`pace-audit changes` reads
 * its export as of two dates): a pipe cannot be read again. `read` is set once the first is done.
 */
export interface StreamCopy {
  chunks: Buffer[];
  read: boolean;
}
