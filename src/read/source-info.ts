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
}
