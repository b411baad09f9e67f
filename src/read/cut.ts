/**
 * Where to cut an export in two, so that each part can be parsed by its own thread, and how many
 * records come before the cut. Both are found by scanning bytes for quotes and line ends, not by
 * parsing, so both are checked afterwards: the thread that parses the first part must end at
 * the cut outside quotes, on the same number of records, or the export is read in one thread.
 *
 * The same scan tells the reader (source.ts) when a quoted cell holds a line end, so that it
 * looks closely at the records from there on (an unclosed quote may have swallowed rows).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { type SourceInfo } from './source-info.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** The line end of the first record outside quotes, if any (the fast path keeps to it). */
export function recordDelimiterOf(text: string, delimiter: string): '\n' | '\r\n' | '\r' | undefined {
  const d = delimiter.charCodeAt(0);
  let quoting = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoting) {
      if (c !== QUOTE) continue;
      if (text.charCodeAt(i + 1) === QUOTE) i++;
      else quoting = false;
    } else if (c === LF) return '\n';
    else if (c === CR) return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    else if (c === QUOTE && (i === 0 || text.charCodeAt(i - 1) === d || text.charCodeAt(i - 1) === 0xfeff))
      quoting = true;
  }
  return undefined;
}

/**
 * Follows quotes and line ends as csv-parse splits records with our options: relax_quotes (a
 * quote opens a quoted cell only at the start of a cell; "" inside one is a quote; any other
 * quote closes it) and CRLF, LF and CR all ending a record, mixed as they come.
 */
export class ByteScanner {
  /** Records ended so far (blank ones too), when counting. */
  records = 0;
  /** Whether a line end inside a quoted cell has been seen. */
  quotedLineEnd = false;
  private quoting = false;
  private quoteInQuotes = false;
  private prev = LF; // the byte before the next chunk: the file starts a record

  constructor(
    private readonly delimiter: number,
    private readonly count: boolean,
  ) {}

  feed(buf: Buffer): void {
    const n = buf.length;
    if (n === 0) return;
    const prev = this.prev;
    const before = (i: number) => (i > 0 ? buf[i - 1] : prev);
    // The next LF and CR at or after a position, remembered: searching afresh from every quote
    // for a byte the chunk may not hold at all would scan the rest of the chunk each time.
    let lf = -2;
    let cr = -2;
    const lfFrom = (i: number) => (lf === -1 || lf >= i ? lf : (lf = buf.indexOf(LF, i)));
    const crFrom = (i: number) => (cr === -1 || cr >= i ? cr : (cr = buf.indexOf(CR, i)));
    let i = 0;
    while (i < n) {
      if (this.quoting) {
        if (this.quoteInQuotes) {
          this.quoteInQuotes = false;
          if (buf[i] === QUOTE) {
            i++; // "" is a quote inside the cell
            continue;
          }
          this.quoting = false; // the cell's closing quote; buf[i] is outside quotes
        } else {
          const q = buf.indexOf(QUOTE, i);
          const stop = q < 0 ? n : q;
          if (!this.quotedLineEnd) {
            const l = lfFrom(i);
            const c = crFrom(i);
            if ((l >= 0 && l < stop) || (c >= 0 && c < stop)) this.quotedLineEnd = true;
          }
          if (q < 0) break;
          this.quoteInQuotes = true;
          i = q + 1;
          continue;
        }
      }
      // Outside quotes, native searches skip from line end to line end up to the next quote.
      const q = buf.indexOf(QUOTE, i);
      const stop = q < 0 ? n : q;
      if (this.count) {
        for (let j = lfFrom(i); j >= 0 && j < stop; j = lfFrom(j + 1)) if (before(j) !== CR) this.records++;
        for (let j = crFrom(i); j >= 0 && j < stop; j = crFrom(j + 1)) this.records++;
      }
      if (q < 0) break;
      const b = before(q);
      if (b === this.delimiter || b === LF || b === CR) this.quoting = true;
      i = q + 1;
    }
    this.prev = buf[n - 1];
  }
}

/**
 * Just after the first line feed at or after 52% of a UTF-8 file, if any: the thread reading the
 * second part starts later (it boots, then counts the records before its part). Cutting after a
 * line feed never splits a CRLF; a file with only CR line ends is read in one thread.
 */
export function cutPoint(src: SourceInfo): number | undefined {
  const mid = src.cutAt ?? Math.floor(src.bytes * 0.52);
  const fd = openSync(src.file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, mid);
    const at = buf.subarray(0, n).indexOf(LF);
    const cut = at < 0 ? -1 : mid + at + 1;
    return cut > 0 && cut < src.bytes ? cut : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Records (blank lines included) that end before byte `end`, as csv-parse would split them. */
export function countRecords(src: SourceInfo, end: number): number {
  const scanner = new ByteScanner(src.delimiter.charCodeAt(0), true);
  const fd = openSync(src.file, 'r');
  const chunk = Buffer.alloc(1024 * 1024);
  try {
    let pos = src.bom ? 3 : 0;
    while (pos < end) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - pos), pos);
      if (n === 0) break;
      scanner.feed(chunk.subarray(0, n));
      pos += n;
    }
    return scanner.records;
  } finally {
    closeSync(fd);
  }
}
