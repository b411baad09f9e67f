/**
 * The fast path for the common export: UTF-8, one record per line, LF or CRLF throughout, quotes
 * only around whole cells and never around a line break. Such a file is split with the engine's
 * native string search, many times faster than csv-parse, and gives exactly the records csv-parse
 * gives it (held equal by test/fast-read.test.ts). At the first byte outside that shape (invalid
 * UTF-8, a NUL, a quoted line break, a stray quote or CR, a change of line end, an oversized
 * record) it stops with `NotPlain`, and the caller reads the whole file again with csv-parse,
 * which stays the reference for everything unusual.
 */
import { isUtf8 } from 'node:buffer';

/** The file left the shape the fast path reads: read it with csv-parse instead. */
export class NotPlain extends Error {
  constructor(readonly why: string) {
    super(`not a plain export: ${why}`);
  }
}

const QUOTE = '"';

export class PlainRecords {
  private tail: Buffer | undefined;
  private first = true;
  /** Decided by the first line end: every later one must be the same. */
  private crlf: boolean | undefined;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (cells: string[]) => void,
    private readonly maxRecordBytes: number,
    /** The file's line end when already known (a later part must keep to the first part's). */
    lineEnd?: '\n' | '\r\n' | '\r',
  ) {
    if (lineEnd === '\r') throw new NotPlain('CR line ends');
    this.crlf = lineEnd === undefined ? undefined : lineEnd === '\r\n';
  }

  /** Takes the next bytes; emits every record that ends in them. */
  push(chunk: Buffer): void {
    const buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    // A record ends at a LF; a CR last in the chunk may be the first half of a CRLF.
    const cut = buf.lastIndexOf(0x0a) + 1;
    if (cut === 0) {
      if (buf.length > this.maxRecordBytes) throw new NotPlain('a record longer than the limit');
      this.tail = Buffer.from(buf);
      return;
    }
    this.lines(buf, cut);
    this.tail = cut < buf.length ? Buffer.from(buf.subarray(cut)) : undefined;
    if (this.tail && this.tail.length > this.maxRecordBytes) throw new NotPlain('a record longer than the limit');
  }

  /** The last record, if the file does not end with a line end. */
  end(): void {
    if (this.tail) this.lines(this.tail, this.tail.length, true);
    this.tail = undefined;
  }

  private lines(buf: Buffer, end: number, last = false): void {
    // Line ends never fall inside a UTF-8 sequence, so whole lines validate on their own.
    const bytes = buf.subarray(0, end);
    if (!isUtf8(bytes)) throw new NotPlain('not valid UTF-8');
    let text = bytes.toString('utf8');
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.indexOf('\0') >= 0) throw new NotPlain('a NUL character');
    const cr = text.indexOf('\r');
    if (this.crlf === undefined) {
      const lf = text.indexOf('\n');
      this.crlf = lf > 0 && text.charCodeAt(lf - 1) === 13;
    }
    if (!this.crlf && cr >= 0) throw new NotPlain('a CR in a file of LF line ends');
    const stop = text.length;
    let pos = 0;
    while (pos < stop) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) {
        if (!last) throw new NotPlain('a line without its end'); // cannot happen: cut after a LF
        nl = stop;
      }
      let lineEnd = nl;
      if (this.crlf && nl < stop) {
        if (text.charCodeAt(nl - 1) !== 13 || nl - 1 < pos) throw new NotPlain('a LF in a file of CRLF line ends');
        lineEnd = nl - 1;
      }
      const line = text.slice(pos, lineEnd);
      if (this.crlf && line.indexOf('\r') >= 0) throw new NotPlain('a CR inside a line');
      this.onRecord(line.indexOf(QUOTE) < 0 ? line.split(this.delimiter) : this.quoted(line));
      pos = nl + 1;
    }
  }

  /** A line holding quotes: each must open a cell, close it before a delimiter, or be doubled inside it. */
  private quoted(line: string): string[] {
    const d = this.delimiter;
    const cells: string[] = [];
    let i = 0;
    for (;;) {
      if (line.charCodeAt(i) === 34) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = line.indexOf(QUOTE, from);
          if (q < 0) throw new NotPlain('a quoted cell that runs past its line');
          if (line.charCodeAt(q + 1) === 34) {
            value += line.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += line.slice(from, q);
          i = q + 1;
          break;
        }
        cells.push(value);
        if (i === line.length) return cells;
        if (line[i] !== d) throw new NotPlain('text after a closing quote');
        i++;
      } else {
        const next = line.indexOf(d, i);
        const cell = next < 0 ? line.slice(i) : line.slice(i, next);
        if (cell.indexOf(QUOTE) >= 0) throw new NotPlain('a quote inside an unquoted cell');
        cells.push(cell);
        if (next < 0) return cells;
        i = next + 1;
      }
    }
  }
}
