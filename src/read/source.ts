/**
 * Opens an export as it comes: detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM,
 * else Windows-1252) and the delimiter from the header line, then streams records as arrays of
 * cells to a callback. Nothing here holds more than a parser chunk of the file in memory.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import { inputError } from '../errors.js';
import { recordDelimiterOf } from './cut.js';
import { NotPlain, PlainRecords } from './fast.js';
import { type Delimiter, type Encoding, type SourceInfo } from './source-info.js';

export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

const SNIFF_BYTES = 64 * 1024;

export function openSource(file: string, encoding?: Encoding): SourceInfo {
  let fd: number;
  let bytes: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw inputError('FILE_UNREADABLE', `${file}: is a folder, not a CSV file`);
    bytes = st.size;
    fd = openSync(file, 'r');
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT')
      throw inputError('FILE_NOT_FOUND', `${file}: no such file`);
    if (e instanceof Error && e.name === 'PaceError') throw e;
    throw inputError('FILE_UNREADABLE', `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, bytes));
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.length === 0) throw inputError('EMPTY_FILE', `${file}: the file is empty`);
  const detected = detectEncoding(head);
  const enc = encoding ?? detected.encoding;
  const bom = detected.bom;
  const text = decodeHead(head, enc);
  if (text.includes('\u0000')) throw inputError('NOT_TEXT', `${file}: is not delimited text (it holds binary data)`);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw inputError('EMPTY_FILE', `${file}: the file is empty`);
  const delimiter = detectDelimiter(text);
  return { file, bytes, encoding: enc, bom, delimiter, recordDelimiter: recordDelimiterOf(text, delimiter) };
}

function detectEncoding(head: Buffer): { encoding: Encoding; bom: boolean } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  try {
    // stream: true lets a multi-byte character cut off at the end of the sample pass.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false };
  }
}

// iconv-lite (~7 MB loaded) is only needed for files that are not UTF-8. Node 20's own
// TextDecoder('windows-1252') mis-decodes bytes 0x80-0x9F (the euro sign, curly quotes).
let iconvLite: typeof Iconv | undefined;
const iconv = () => (iconvLite ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv);

function decodeHead(head: Buffer, enc: Encoding): string {
  return enc === 'utf-8' ? head.toString('utf8') : iconv().decode(head, enc);
}

/** The delimiter that splits the header line most often, outside quotes. */
function detectDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (counts[','] + counts[';'] + counts['\t'] > 0) break;
    } else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t'] ? ';' : counts['\t'] > counts[','] ? '\t' : ',';
}

/** A blank line (or one of only delimiters and spaces): skipped, not a row. */
export function isBlankRecord(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i] !== '' && cells[i].trim() !== '') return false;
  return true;
}

/**
 * Bytes per read. Each read is a fresh buffer; 256 KiB buffers, freed as they are parsed, left the
 * threads' malloc heaps about 4 MiB larger at a million rows than 64 KiB ones, at no cost in time.
 */
const READ_BYTES = 64 * 1024;

export interface ReadHandlers {
  /** Called once per record with its cells and its line as a spreadsheet shows it (header = 1). */
  onRecord(cells: string[], line: number): void;
  /** Bytes of the file read so far, for progress. */
  onBytes?: ((bytesRead: number) => void) | undefined;
}

/** A part of a file: bytes [start, end), whose first record has line firstLine + 1. */
export interface Part {
  start: number;
  end: number;
  firstLine: number;
}

/** A part ended inside a quoted cell: it was not cut at a record boundary. */
export class CutInsideQuotes extends Error {}

/**
 * Streams every record (of the whole file, or of a part) and resolves with the last line.
 * A spreadsheet shows one row per record (a quoted newline stays inside its cell) and shows blank
 * lines as rows, so the line of a record is its index, counting blank ones.
 */
export function readRecords(src: SourceInfo, handlers: ReadHandlers, part?: Part): Promise<number> {
  if (src.fast && src.encoding === 'utf-8') return readPlain(src, handlers, part);
  return new Promise((resolve, reject) => {
    const file = createReadStream(src.file, { highWaterMark: READ_BYTES, ...(part && { start: part.start, end: part.end - 1 }) });
    const parser = parse({
      delimiter: src.delimiter,
      bom: true,
      relax_column_count: true,
      // A quote inside an unquoted cell (=HYPERLINK("x"), 5'10") is text, not an error.
      relax_quotes: true,
      skip_empty_lines: false,
      // A part after the first cannot see the first line end: give it the one csv-parse found there.
      ...(part && part.start > 0 && src.recordDelimiter && { record_delimiter: src.recordDelimiter }),
    });
    let line = part?.firstLine ?? 0;
    let bytesRead = 0;
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      file.destroy();
      if (part && part.end < src.bytes && e instanceof CsvError && e.code === 'CSV_QUOTE_NOT_CLOSED') reject(new CutInsideQuotes());
      else reject(csvError(src.file, e, line));
    };
    file.on('error', fail);
    parser.on('error', fail);
    if (handlers.onBytes) {
      const onBytes = handlers.onBytes;
      file.on('data', (chunk) => onBytes((bytesRead += chunk.length)));
    }
    parser.on('data', (cells: string[]) => {
      try {
        handlers.onRecord(cells, ++line);
      } catch (e) {
        parser.destroy();
        fail(e);
      }
    });
    parser.on('end', () => resolve(line));
    if (src.encoding === 'utf-8') file.pipe(parser);
    else {
      const decoder = iconv().decodeStream(src.encoding);
      decoder.on('error', fail);
      file.pipe(decoder).pipe(parser);
    }
  });
}

/** Bytes a record may hold on the fast path; a longer one is left to csv-parse. */
const PLAIN_RECORD_BYTES = 1024 * 1024;

/** readRecords on the fast path: rejects with NotPlain when the file leaves its shape. */
function readPlain(src: SourceInfo, handlers: ReadHandlers, part?: Part): Promise<number> {
  return new Promise((resolve, reject) => {
    const file = createReadStream(src.file, { highWaterMark: READ_BYTES, start: part?.start, end: part && part.end - 1 });
    let line = part?.firstLine ?? 0;
    let bytesRead = 0;
    const records = new PlainRecords(src.delimiter, (cells) => handlers.onRecord(cells, ++line), PLAIN_RECORD_BYTES, part && part.start > 0 ? src.recordDelimiter : undefined);
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      file.destroy();
      reject(e instanceof NotPlain ? e : csvError(src.file, e, line));
    };
    file.on('error', fail);
    file.on('data', (chunk) => {
      try {
        records.push(chunk as Buffer);
        handlers.onBytes?.((bytesRead += chunk.length));
      } catch (e) {
        fail(e);
      }
    });
    file.on('end', () => {
      try {
        records.end();
        resolve(line);
      } catch (e) {
        fail(e);
      }
    });
  });
}

function csvError(file: string, e: unknown, line: number) {
  const err = e as { code?: string };
  if (e instanceof CsvError)
    return inputError('MALFORMED_CSV', `${file}:${line + 1}: the CSV is malformed near this line (${err.code}); check its quotes`);
  if (err.code === 'EACCES' || err.code === 'EISDIR') return inputError('FILE_UNREADABLE', `${file}: cannot be read (${err.code})`);
  return e;
}
