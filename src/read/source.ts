/**
 * Opens an export as it comes: detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM,
 * else Windows-1252) and the delimiter from the header line, then streams records as arrays of
 * cells to a callback. Nothing here holds more than a parser chunk of the file in memory.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, openSync, read, readSync, type Stats, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { descriptorOf } from './descriptor.js';
import { isatty } from 'node:tty';
import type * as CsvParse from 'csv-parse';
import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import { inputError, PaceError, usageError } from '../errors.js';
import { ByteScanner, recordDelimiterOf } from './cut.js';
import { NotPlain, type PassOver, PlainRecords, type PlainRow } from './fast.js';
import { type Delimiter, type Encoding, type SourceInfo, type StreamCopy } from './source-info.js';

export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

/** `-` is stdin; a path that is not a regular file (a pipe, /dev/stdin, <(...)) is a stream too. */
export function isStreamInput(file: string): boolean {
  if (file === '-') return true;
  try {
    const st = statSync(file);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/** The name an input goes by in messages and outputs. */
const inputName = (file: string) => (file === '-' ? '<stdin>' : file);

const SNIFF_BYTES = 64 * 1024;

/**
 * Opens stdin or a pipe: reads up to SNIFF_BYTES (or to its end) to detect the encoding and
 * delimiter as for a file, and keeps them to be replayed before the rest. Never stats a size:
 * a pipe's is 0 whatever it holds.
 */
async function openStream(file: string, encoding?: Encoding, copy?: StreamCopy): Promise<SourceInfo> {
  const name = inputName(file);
  // Read before: the second reading takes the bytes the first kept.
  if (copy?.read) {
    const rest = (async function* () {
      yield* copy.chunks;
    })();
    return headOf(name, rest, encoding);
  }
  let fd = descriptorOf(file);
  let handle: FileHandle | undefined;
  if (fd === undefined) {
    try {
      handle = await open(file, 'r');
    } catch (e) {
      throw inputError('FILE_UNREADABLE', `${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    fd = handle.fd;
  }
  // Nothing is piped in (`-`, /dev/tty, /dev/pts/3...): the run would wait for typing. Say what
  // `-` is for instead.
  if (isatty(fd)) {
    await handle?.close();
    throw usageError(
      'USAGE',
      `${name} is a terminal, not an export: pipe one in (... - < export.csv) or name the file`,
    );
  }
  const info = await headOf(name, descriptorChunks(fd, handle), encoding);
  info.stream!.keep = copy?.chunks;
  return info;
}

/**
 * A descriptor's bytes to its end. One that is non-blocking (another process sharing the pipe
 * set it so) answers EAGAIN whenever the writer is behind: that is a wait, not an error.
 */
async function* descriptorChunks(fd: number, handle?: FileHandle): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(READ_BYTES);
  try {
    let wait = 1;
    for (;;) {
      let n: number;
      try {
        n = await new Promise<number>((done, fail) =>
          read(fd, buf, 0, buf.length, null, (e, k) => (e ? fail(e) : done(k))),
        );
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        await sleep(wait);
        wait = Math.min(wait * 2, 50);
        continue;
      }
      if (n === 0) return;
      wait = 1;
      // A copy of what came: a pipe gives a few KiB a read, and a kept chunk must not hold 64.
      yield Buffer.from(buf.subarray(0, n));
    }
  } finally {
    await handle?.close();
  }
}

/** A stream's first SNIFF_BYTES, read to know its encoding and delimiter, and the rest unread. */
async function headOf(name: string, rest: AsyncIterator<Buffer>, encoding?: Encoding): Promise<SourceInfo> {
  const head: Buffer[] = [];
  let size = 0;
  try {
    while (size < SNIFF_BYTES) {
      const r = await rest.next();
      if (r.done) break;
      head.push(r.value);
      size += r.value.length;
    }
  } catch (e) {
    throw inputError('FILE_UNREADABLE', `${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const info = sniff(name, Buffer.concat(head).subarray(0, SNIFF_BYTES), 0, encoding);
  return { ...info, stream: { head, rest, hash: createHash('sha256') } };
}

/** @public Also used, compiled, by the two-thread tests. */
export function openSource(file: string, encoding?: Encoding): SourceInfo {
  let fd: number;
  let bytes: number;
  let opened: SourceInfo['opened'];
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw inputError('FILE_UNREADABLE', `${file}: is a folder, not a CSV file`);
    // A pipe or device could block for ever or never end, and its size says nothing.
    if (!st.isFile())
      throw inputError(
        'FILE_UNREADABLE',
        `${file}: is not a regular file (a pipe, socket or device); save the export to a file and give its name`,
      );
    bytes = st.size;
    opened = { mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev };
    // O_NONBLOCK: should the path become a FIFO after the check, opening it does not wait.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
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
  return { ...sniff(file, head, bytes, encoding), opened };
}

const ENCODING_NAMES: Record<Encoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-1252': 'Windows-1252',
};

/** Encoding, delimiter and line end from an input's first bytes. */
function sniff(file: string, head: Buffer, bytes: number, encoding?: Encoding): SourceInfo {
  if (head.length === 0) throw inputError('EMPTY_FILE', `${file}: the file is empty`);
  const detected = detectEncoding(head);
  // A byte-order mark says what the file is: read as another encoding, it would become text in
  // the first header ("ï»¿child_id") and a missing column.
  if (encoding !== undefined && detected.bom && encoding !== detected.encoding)
    throw inputError(
      'INVALID_ENCODING',
      `${file}: starts with the byte-order mark of ${ENCODING_NAMES[detected.encoding]}, so it is not ${ENCODING_NAMES[encoding]}; leave out --encoding, or give --encoding ${detected.encoding}`,
    );
  const enc = encoding ?? detected.encoding;
  const bom = detected.bom;
  const text = decodeHead(head, enc);
  if (text.includes('\u0000'))
    throw inputError('NOT_TEXT', `${file}: is not delimited text (it holds binary data)${utf16Hint(head)}`);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw inputError('EMPTY_FILE', `${file}: the file is empty`);
  const delimiter = detectDelimiter(text);
  return { file, bytes, encoding: enc, bom, delimiter, recordDelimiter: recordDelimiterOf(text, delimiter) };
}

/**
 * UTF-16 without a byte-order mark looks like binary to the sniffer (a NUL beside each ASCII
 * letter): say so, and which --encoding reads it, rather than only "binary data".
 */
function utf16Hint(head: Buffer): string {
  const n = Math.min(head.length, 512) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0 && head[i + 1] !== 0) even++;
    if (head[i + 1] === 0 && head[i] !== 0) odd++;
  }
  const pairs = n / 2;
  if (pairs >= 8 && odd >= pairs * 0.9)
    return '; it looks like UTF-16 without a byte-order mark: give --encoding utf-16le';
  if (pairs >= 8 && even >= pairs * 0.9)
    return '; it looks like UTF-16 without a byte-order mark: give --encoding utf-16be';
  return '';
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

// csv-parse is only needed off the fast path: a plain export, in either thread, never loads it.
let csvParse: typeof CsvParse | undefined;
const csv = () => (csvParse ??= createRequire(import.meta.url)('csv-parse') as typeof CsvParse);
/** Whether e is csv-parse's error (csv-parse is loaded if it could have made one). */
const isCsvError = (e: unknown): e is CsvParse.CsvError => csvParse !== undefined && e instanceof csvParse.CsvError;

// iconv-lite (~7 MB loaded) is only needed for files that are not UTF-8. Node 20's own
// TextDecoder('windows-1252') mis-decodes bytes 0x80-0x9F (the euro sign, curly quotes).
let iconvLite: typeof Iconv | undefined;
const iconv = () => (iconvLite ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv);

function decodeHead(head: Buffer, enc: Encoding): string {
  return enc === 'utf-8' ? head.toString('utf8') : iconv().decode(head, enc);
}

/**
 * The delimiter that splits the header line most often, outside quotes; unless that one splits
 * the next records of the sample unevenly while another splits the header and each of them the
 * same number of times, or splits none of them while another splits them all. A header cell such
 * as "Notes, comments, etc" in a semicolon export has more commas than the header has
 * semicolons, but its rows have none.
 */
function detectDelimiter(text: string): Delimiter {
  const records: Record<Delimiter, number>[] = [];
  let counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  // Up to 20 records; a last one cut off by the end of the sample is not counted.
  for (let i = 0; i < text.length && records.length < 20; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      // A line with no delimiter (blank, or a one-column header) is passed over, as before.
      if (counts[','] + counts[';'] + counts['\t'] > 0) {
        records.push(counts);
        counts = { ',': 0, ';': 0, '\t': 0 };
      }
    } else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const header = records[0] ?? counts;
  const byHeader: Delimiter =
    header[';'] > header[','] && header[';'] >= header['\t'] ? ';' : header['\t'] > header[','] ? '\t' : ',';
  const rows = records.slice(1);
  const even = (d: Delimiter) => header[d] > 0 && rows.every((r) => r[d] === header[d]);
  if (rows.length === 0 || even(byHeader)) return byHeader;
  const others = DELIMITERS.filter((d) => d !== byHeader && even(d));
  if (others.length === 1) return others[0];
  // The header's choice splits none of the records after it, and one other splits them all
  // (ragged rows split unevenly): the header's was punctuation in a cell.
  const inAll = DELIMITERS.filter((d) => d !== byHeader && rows.every((r) => r[d] > 0));
  return inAll.length === 1 && rows.every((r) => r[byHeader] === 0) ? inAll[0] : byHeader;
}

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

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

/** The longest record read (in characters): longer is a quote left open or not an export at all. */
const MAX_RECORD_CHARS = 1024 * 1024;
/** The longest cell read (in characters). */
const MAX_CELL_CHARS = 256 * 1024;

/** Every line end ends a record, mixed as they come (files glued from two tools). CRLF before CR. */
const RECORD_DELIMITERS = ['\n', '\r\n', '\r'];

export interface ReadHandlers {
  /** Called once per record with its cells and its line as a spreadsheet shows it (header = 1). */
  onRecord(cells: string[], line: number): void;
  /**
   * On the fast path, offered each record as bytes first (read/fast.ts): returns true when it
   * took the record, false to have it given to `onRecord` as cells instead.
   */
  onPlainRow?: ((row: PlainRow, line: number) => boolean) | undefined;
  /** Bytes of the file read so far, for progress. */
  onBytes?: ((bytesRead: number) => void) | undefined;
  /** On the fast path, passes over records on one cell (see PassOver). */
  passOver?: PassOver | undefined;
  /**
   * On the fast path, a line past which the read need not go: another thread reading the same
   * export stopped there (see intake/shared.ts). Asked between reads; past it, the read stops
   * with Overtaken.
   */
  stopAt?: (() => number) | undefined;
}

/**
 * The line of the record at which a read on the fast path stopped with this error. Two threads
 * sharing out an export each read only some rows whole, so each may stop where the other does
 * not: the error to report is the one of the earlier line, as one thread would have met it.
 */
const stops = new WeakMap<object, number>();
export const stopLine = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null ? stops.get(e) : undefined;

/** A read on the fast path stopped because another thread had stopped at an earlier line. */
export class Overtaken extends Error {}

/** A part of a file: bytes [start, end), whose first record has line firstLine + 1. */
export interface Part {
  start: number;
  end: number;
  firstLine: number;
  /** The export's header, for a part that starts after it. */
  header?: string[] | undefined;
}

/** A part ended inside a quoted cell: it was not cut at a record boundary. */
export class CutInsideQuotes extends Error {}

/**
 * Bytes that are not UTF-8 in a file read as UTF-8. `couldBe1252` when the encoding was only
 * guessed and nothing before them was outside ASCII: then the whole file is read again as
 * Windows-1252 (see readingAs).
 */
class NotUtf8 extends PaceError {
  constructor(
    message: string,
    readonly couldBe1252: boolean,
  ) {
    super('INVALID_ENCODING', message);
  }
}

/**
 * Opens the export and runs a read of it. A file guessed to be UTF-8 from its first 64 KiB that
 * turns out later to hold bytes that are not UTF-8, with nothing but ASCII before them, is a
 * Windows-1252 export whose accents come late: it is read again, whole, as Windows-1252. Bytes
 * that are not UTF-8 after real UTF-8 text, or in a file said to be UTF-8 (--encoding, or a UTF-8
 * BOM), stop the run instead: decoding them would turn different ids into one. A stream (stdin,
 * a pipe) is read once only: there, such bytes stop the run, and --encoding windows-1252 reads it.
 */
export async function readingAs<T>(
  file: string,
  encoding: Encoding | undefined,
  run: (src: SourceInfo) => Promise<T>,
  copy?: StreamCopy,
): Promise<T> {
  // stdin or a pipe is read once, as it comes: it cannot be read again in another encoding.
  if (isStreamInput(file)) return run(await openStream(file, encoding, copy));
  const src = openSource(file, encoding);
  try {
    return await run(src);
  } catch (e) {
    // Not a file whose BOM says UTF-8: read as Windows-1252, its BOM would spoil the first header.
    if (encoding === undefined && !src.bom && e instanceof NotUtf8 && e.couldBe1252)
      return run(openSource(file, 'windows-1252'));
    throw e;
  }
}

/**
 * Streams every record (of the whole file, or of a part) and resolves with the last line.
 * A spreadsheet shows one row per record (a quoted newline stays inside its cell) and shows blank
 * lines as rows, so the line of a record is its index, counting blank ones.
 *
 * Records are looked at closely (binary data, undecodable text, a quoted cell that swallowed
 * rows) only where they might need it: from the first bytes that are NUL, not UTF-8, or a line
 * end inside quotes, as a byte scan sees them ahead of the parser; in other encodings, always.
 */
export function readRecords(src: SourceInfo, handlers: ReadHandlers, part?: Part): Promise<number> {
  if (src.fast && src.encoding === 'utf-8') return readPlain(src, handlers, part);
  return new Promise((resolve, reject) => {
    const file = src.stream
      ? replay(src)
      : createReadStream(src.file, {
          highWaterMark: src.readBytes ?? READ_BYTES,
          // No further than the file's size when opened (see readPlain).
          ...(part ? { start: part.start, end: part.end - 1 } : src.bytes > 0 && { end: src.bytes - 1 }),
        });
    const parser = csv().parse({
      delimiter: src.delimiter,
      // Only the file's own BOM: a later part starting with U+FEFF holds it as text, as one read does.
      bom: !part || part.start === 0,
      relax_column_count: true,
      // A quote inside an unquoted cell (=HYPERLINK("x"), 5'10") is text, not an error.
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: RECORD_DELIMITERS,
      max_record_size: MAX_RECORD_CHARS,
    });
    const utf8 = src.encoding === 'utf-8';
    const check = new RecordCheck(src, part?.header);
    let careful = !utf8;
    let line = part?.firstLine ?? 0;
    let bytesRead = 0;
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      file.destroy();
      if (part && part.end < src.bytes && isCsvError(e) && e.code === 'CSV_QUOTE_NOT_CLOSED')
        reject(new CutInsideQuotes());
      else reject(csvError(src.file, e, line, check));
    };
    file.on('error', fail);
    parser.on('error', fail);
    if (utf8) {
      // Registered before the pipe: each chunk is scanned before the parser sees it.
      const scanner = new ByteScanner(src.delimiter.charCodeAt(0), false);
      let first = !part || part.start === 0;
      let carry: Buffer | undefined; // a character cut off at the end of the last chunk
      let nonAscii = false;
      file.on('data', (chunk: Buffer | string) => {
        if (typeof chunk === 'string') return; // never: the stream has no encoding
        const bytes = first && src.bom ? chunk.subarray(3) : chunk;
        first = false;
        if (!careful) {
          scanner.feed(bytes);
          if (scanner.quotedLineEnd) careful = true;
        }
        if (!check.sawNul && bytes.indexOf(0) >= 0) careful = check.sawNul = true;
        if (check.badUtf8) return;
        const all = carry ? Buffer.concat([carry, bytes]) : bytes;
        const whole = all.length - incompleteTail(all);
        const body = all.subarray(0, whole);
        carry = whole < all.length ? Buffer.from(all.subarray(whole)) : undefined;
        if (isUtf8(body)) {
          nonAscii ||= !isAscii(body);
          return;
        }
        careful = true;
        check.badUtf8 = { couldBe1252: !nonAscii && !hasUtf8Sequence(body) };
      });
      file.on('end', () => {
        if (carry && !check.badUtf8) {
          careful = true;
          check.badUtf8 = { couldBe1252: !nonAscii };
        }
      });
    }
    const onBytes = handlers.onBytes;
    file.on('data', (chunk: Buffer) => {
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
    });
    parser.on('data', (cells: string[]) => {
      try {
        ++line;
        check.sizes(cells, line);
        if (careful) check.record(cells, line);
        handlers.onRecord(cells, line);
      } catch (e) {
        parser.destroy();
        fail(e);
      }
    });
    parser.on('end', () => {
      if (check.badUtf8) return fail(check.notUtf8(undefined));
      try {
        unchanged(src, bytesRead, part);
      } catch (e) {
        return fail(e);
      }
      resolve(line);
    });
    if (utf8) file.pipe(parser);
    else {
      const decoder = iconv().decodeStream(src.encoding);
      decoder.on('error', fail);
      if (src.encoding !== 'windows-1252') {
        // csv-parse turns a lone surrogate into U+FFFD: look for them in the text it is given.
        let high = '';
        decoder.on('data', (text: string) => {
          if (check.badUtf8) return;
          const all = high + text;
          high = /[\uD800-\uDBFF]$/.test(all) ? all.slice(-1) : '';
          if (LONE_SURROGATE.test(high ? all.slice(0, -1) : all)) check.badUtf8 = { couldBe1252: false };
        });
        decoder.on('end', () => {
          if (high) check.badUtf8 ??= { couldBe1252: false };
        });
      }
      file.pipe(decoder).pipe(parser);
    }
  });
}

/**
 * Fails unless `bytesRead` (of the whole file, or of `part`) is what the file held when opened,
 * and the file is still as it was then (see `checkUnchanged`). An export its records system is
 * still writing, or replaces, or one cut short, read at once (a cron job's), would otherwise be
 * reported on in part, or two versions at once (each reading thread opens the file), with exit
 * 0. Called once the last byte is read: the run stops with this error, and makes no report.
 */
function unchanged(src: SourceInfo, bytesRead: number, part: Part | undefined): void {
  if (src.stream || !src.opened) return; // nothing known of it when opened to hold it to
  const expected = Math.min(part?.end ?? src.bytes, src.bytes) - (part?.start ?? 0);
  if (bytesRead !== expected) throw changed(src.file, `${bytesRead} bytes read of ${expected}`);
  checkUnchanged(src);
}

/**
 * Fails (INPUT_CHANGED) unless the file is as it was when opened: its size, its last change and
 * which file the name leads to. Also for what reads it again: `changes` (a second reading), the
 * pack's hash of its input. stdin and pipes have nothing to compare.
 */
export function checkUnchanged(src: SourceInfo): void {
  if (src.stream || !src.opened) return;
  let now: Stats | undefined;
  try {
    now = statSync(src.file);
  } catch {
    throw changed(src.file, 'it is gone');
  }
  const was = src.opened;
  if (now.size !== src.bytes) throw changed(src.file, `${src.bytes} bytes when opened, ${now.size} now`);
  if (now.ino !== was.ino || now.dev !== was.dev) throw changed(src.file, 'another file has taken its name');
  if (now.mtimeMs !== was.mtimeMs) throw changed(src.file, 'written to since it was opened');
}

const changed = (file: string, how: string) =>
  inputError(
    'INPUT_CHANGED',
    `${file}: changed while it was read (${how}): run again once the tool writing it has finished`,
  );

/** Bytes a record may hold on the fast path; a longer one is left to csv-parse. */
const PLAIN_RECORD_BYTES = 1024 * 1024;

/**
 * Bytes per read on the fast path. It reads with readSync into one buffer, used again for each
 * read, after the part of a record the last read cut off: a stream left the thread waiting for
 * each 64 KiB read to come back through the event loop, and a buffer made per read (and joined
 * to the last one's tail) left megabytes for the garbage collector.
 */
const PLAIN_READ_BYTES = 1024 * 1024;

/** readRecords on the fast path: rejects with NotPlain when the file leaves its shape. */
async function readPlain(src: SourceInfo, handlers: ReadHandlers, part?: Part): Promise<number> {
  let line = part?.firstLine ?? 0;
  // The fast path takes no NUL, bad byte or quoted line end: only the sizes need checking.
  const check = new RecordCheck(src, part?.header);
  const { onPlainRow } = handlers;
  const onRecord = (row: PlainRow) => {
    ++line;
    // A cell of more bytes than the limit's characters may be too long: the cells path checks.
    if (onPlainRow && row.widest() <= MAX_CELL_CHARS && onPlainRow(row, line)) return;
    const cells = row.cells();
    check.sizes(cells, line);
    handlers.onRecord(cells, line);
  };
  const records = new PlainRecords(
    src.delimiter,
    onRecord,
    PLAIN_RECORD_BYTES,
    part && part.start > 0 ? src.recordDelimiter : undefined,
    !part || part.start === 0,
    handlers.passOver,
    () => ++line,
  );
  let fd: number;
  try {
    fd = openSync(src.file, 'r');
  } catch (e) {
    throw csvError(src.file, e, line);
  }
  try {
    const readBytes = src.readBytes ?? PLAIN_READ_BYTES;
    // Room for a read after the start of a record the last read cut off (at most the limit).
    const buf = Buffer.allocUnsafe(readBytes + PLAIN_RECORD_BYTES);
    let held = 0;
    let pos = part?.start ?? 0;
    // No further than the file's size when opened: a writer appending as fast as it is read
    // would otherwise be followed for ever. That it grew is found at the end (`unchanged`).
    const end = Math.min(part?.end ?? Number.POSITIVE_INFINITY, src.bytes);
    let bytesRead = 0;
    while (pos < end) {
      let n: number;
      try {
        n = readSync(fd, buf, held, Math.min(readBytes, end - pos), pos);
      } catch (e) {
        throw csvError(src.file, e, line);
      }
      if (n === 0) break;
      pos += n;
      const length = held + n;
      const cut = records.feed(buf, length);
      buf.copy(buf, 0, cut, length);
      held = length - cut;
      bytesRead += n;
      handlers.onBytes?.(bytesRead);
      if (handlers.stopAt !== undefined && line >= handlers.stopAt()) throw new Overtaken();
      // Lets messages (progress, the other thread's) through between reads.
      await new Promise((resolve) => setImmediate(resolve));
    }
    unchanged(src, bytesRead, part);
    records.finish(buf, held);
    return line;
  } catch (e) {
    const error =
      e instanceof NotPlain || e instanceof PaceError || e instanceof Overtaken ? e : csvError(src.file, e, line);
    // The fast path's shape is checked as a record is split, before it is counted; anything else
    // stops the read inside the record's handler, once counted.
    if (typeof error === 'object' && error !== null) stops.set(error, e instanceof NotPlain ? line + 1 : line);
    throw error;
  } finally {
    closeSync(fd);
  }
}

const LINE_END = /\r\n|\n|\r/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The checks on each record: sizes always, the rest once `careful` (see readRecords). */
class RecordCheck {
  /** Set once bytes that are not UTF-8 (or, in UTF-16, a lone surrogate) have been seen. */
  badUtf8: { couldBe1252: boolean } | undefined;
  /** Set once a NUL byte has been seen (in UTF-8), or a record held a NUL character. */
  sawNul = false;
  private header: string[] | undefined;

  constructor(
    private readonly src: SourceInfo,
    header: string[] | undefined,
  ) {
    this.header = header;
  }

  private column(i: number) {
    const h = this.header?.[i]?.replace(/^\uFEFF/, '').trim();
    return h ? `column ${i + 1} (${JSON.stringify(h)})` : `column ${i + 1}`;
  }

  sizes(cells: string[], line: number): void {
    for (let i = 0; i < cells.length; i++)
      if (cells[i].length > MAX_CELL_CHARS)
        throw inputError(
          'MALFORMED_CSV',
          `${this.src.file}:${line}: the cell in ${this.column(i)} is longer than ${MAX_CELL_CHARS / 1024} KiB; a quote left open?`,
        );
    if (this.header === undefined && !isBlankRecord(cells)) this.header = cells;
  }

  notUtf8(line: number | undefined): NotUtf8 {
    const where = line === undefined ? this.src.file : `${this.src.file}:${line}`;
    if (this.src.encoding !== 'utf-8')
      return new NotUtf8(
        `${where}: holds a broken ${this.src.encoding.toUpperCase()} character (a lone surrogate); is the encoding right? (--encoding)`,
        false,
      );
    return new NotUtf8(
      `${where}: holds bytes that are not valid UTF-8; if the export comes from Excel on Windows, give --encoding windows-1252`,
      this.badUtf8?.couldBe1252 ?? false,
    );
  }

  record(cells: string[], line: number): void {
    const { file, encoding } = this.src;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell.includes('\u0000')) {
        this.sawNul = true;
        throw inputError(
          'NOT_TEXT',
          `${file}:${line}: holds binary data (a NUL character in ${this.column(i)}); is this a CSV export?`,
        );
      }
      // A byte that is not text in the encoding decodes to U+FFFD: two ids could become one.
      if (cell.includes('\uFFFD')) {
        if (this.badUtf8) throw this.notUtf8(line);
        if (encoding === 'windows-1252')
          throw inputError(
            'INVALID_ENCODING',
            `${file}:${line}: holds a byte that Windows-1252 does not define (in ${this.column(i)}); is the encoding right? (--encoding)`,
          );
      }
      if ((cell.includes('\n') || cell.includes('\r')) && this.swallowed(cells, i))
        throw inputError(
          'MALFORMED_CSV',
          `${file}:${line}: a quoted cell in ${this.column(i)} opens on this line and runs over ${cell.split(LINE_END).length - 1} line end(s), taking in what look like whole rows; is a closing quote missing?`,
        );
    }
  }

  /**
   * Whether the quoted cell i, which holds line ends, looks like an unclosed quote that ran on
   * over rows: a line inside it holds exactly a row's worth of cells, or its first line completes
   * a row's worth of cells and its last line starts one. A note with line breaks rarely does.
   */
  private swallowed(cells: string[], i: number): boolean {
    const width = this.header?.length ?? 0;
    if (width < 3) return false;
    const delimiter = this.src.delimiter;
    const count = (s: string) => {
      let n = 0;
      for (let at = s.indexOf(delimiter); at >= 0; at = s.indexOf(delimiter, at + 1)) n++;
      return n;
    };
    const lines = cells[i].split(LINE_END);
    for (let k = 1; k < lines.length - 1; k++) if (count(lines[k]) === width - 1) return true;
    return i + count(lines[0]) + 1 === width && count(lines[lines.length - 1]) + cells.length - i === width;
  }
}

/** How many bytes at the end of buf are the start of a UTF-8 character cut off by the chunk. */
function incompleteTail(buf: Buffer): number {
  for (let k = 1; k <= 3 && k <= buf.length; k++) {
    const b = buf[buf.length - k];
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return len > k ? k : 0;
    }
  }
  return 0;
}

/** Whether buf holds a well-formed UTF-8 sequence of more than one byte (real UTF-8 text). */
function hasUtf8Sequence(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b < 0xc2 || b > 0xf4) continue;
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    let ok = i + len <= buf.length;
    for (let j = 1; ok && j < len; j++) ok = (buf[i + j] & 0xc0) === 0x80;
    if (ok) return true;
  }
  return false;
}

/** A stream's bytes from the start, once: its head, then the rest as it comes. */
function replay(src: SourceInfo): Readable {
  const stream = src.stream!;
  const rest = stream.rest;
  // A second read of a stream would be a bug: nothing is left to read.
  if (!rest) throw new Error('a piped input can only be read once');
  stream.rest = undefined;
  const head = stream.head.splice(0);
  return Readable.from(
    (async function* () {
      for (const chunk of head) yield count(chunk);
      for (let r = await rest.next(); !r.done; r = await rest.next()) yield count(r.value);
    })(),
    { objectMode: false },
  );
  function count(chunk: Buffer): Buffer {
    src.bytes += chunk.length;
    stream.hash.update(chunk);
    stream.keep?.push(chunk);
    return chunk;
  }
}

function csvError(file: string, e: unknown, line: number, check?: RecordCheck) {
  const err = e as { code?: string };
  if (isCsvError(e)) {
    if (err.code === 'CSV_MAX_RECORD_SIZE')
      return check?.sawNul
        ? inputError('NOT_TEXT', `${file}:${line + 1}: holds binary data from this line on; is this a CSV export?`)
        : inputError(
            'MALFORMED_CSV',
            `${file}:${line + 1}: the record starting on this line is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB; a quote left open, or not a CSV export?`,
          );
    if (err.code === 'CSV_QUOTE_NOT_CLOSED')
      return inputError('MALFORMED_CSV', `${file}:${line + 1}: a quote opened on this line is never closed`);
    return inputError(
      'MALFORMED_CSV',
      `${file}:${line + 1}: the CSV is malformed near this line (${err.code}); check its quotes`,
    );
  }
  if (err.code === 'EACCES' || err.code === 'EISDIR')
    return inputError('FILE_UNREADABLE', `${file}: cannot be read (${err.code})`);
  // It was there when the run began (openSource): removed since, as the read opened it again.
  if (err.code === 'ENOENT') return changed(file, 'it is gone');
  return e;
}
