/**
 * The fast path for the common export: UTF-8, one record per line, LF or CRLF throughout, quotes
 * only around whole cells and never around a line break. Such a file is split on its bytes, with
 * no string made per line or cell: each record comes as the byte ranges of its cells (a
 * `PlainRow`), which a reader may take straight from the bytes (intake/plain.ts) or turn into
 * the strings csv-parse would give (`cells()`). It gives exactly the records csv-parse gives it
 * (held equal by test/fast-read.test.ts). At the first byte outside that shape (invalid UTF-8, a
 * NUL, a quoted line break, a stray quote or CR, a change of line end, an oversized record) it
 * stops with `NotPlain`, and the caller reads the whole file again with csv-parse, which stays
 * the reference for everything unusual.
 */
import { isUtf8 } from 'node:buffer';

/** The file left the shape the fast path reads: read it with csv-parse instead. */
export class NotPlain extends Error {
  constructor(readonly why: string) {
    super(`not a plain export: ${why}`);
  }
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * One record as byte ranges of the buffer it was read from; valid only during the callback. Cell
 * i's value is bytes [start[i], end[i]) (inside its quotes, if quoted); `escaped[i]` is 1 when
 * those bytes hold doubled quotes ("") that stand for one.
 */
export class PlainRow {
  buf: Buffer = Buffer.alloc(0);
  count = 0;
  start = new Int32Array(16);
  end = new Int32Array(16);
  escaped = new Uint8Array(16);
  /** The record's bytes, quotes and all (its line without the line end). */
  lineStart = 0;
  lineEnd = 0;
  /** Whether the record holds a quote anywhere. */
  quoted = false;

  constructor(private readonly delimiter: string) {}

  /** The cells as csv-parse gives them. */
  cells(): string[] {
    if (!this.quoted) return this.buf.toString('utf8', this.lineStart, this.lineEnd).split(this.delimiter);
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const text = this.buf.toString('utf8', this.start[i], this.end[i]);
      out.push(this.escaped[i] ? text.replaceAll('""', '"') : text);
    }
    return out;
  }

  /** The most bytes any cell holds. */
  widest(): number {
    let most = 0;
    for (let i = 0; i < this.count; i++) if (this.end[i] - this.start[i] > most) most = this.end[i] - this.start[i];
    return most;
  }

  push(start: number, end: number, escaped: number): void {
    const i = this.count++;
    if (i === this.start.length) {
      const start = new Int32Array(i * 2);
      const end = new Int32Array(i * 2);
      const escaped = new Uint8Array(i * 2);
      start.set(this.start);
      end.set(this.end);
      escaped.set(this.escaped);
      this.start = start;
      this.end = end;
      this.escaped = escaped;
    }
    this.start[i] = start;
    this.end[i] = end;
    this.escaped[i] = escaped;
  }
}

/**
 * Lets a reader pass over a record on one cell alone, the rest of it left unsplit: a thread of a
 * shared read (intake/shared.ts) takes only the rows of its own children, and tells them by id.
 * `cell` is that cell's index (-1: none yet); `test` sees its bytes, when the cell is not quoted
 * and a delimiter follows it, and says whether to pass over the record. Only what comes before
 * the cell has then been checked for the fast path's shape: a thread that passes over a record
 * must leave it to one that reads it whole.
 */
export interface PassOver {
  cell: number;
  test(buf: Uint8Array, from: number, to: number): boolean;
}

export class PlainRecords {
  private tail: Buffer | undefined;
  /** Whether a BOM may come next: only at the start of the file, never of a later part. */
  private first: boolean;
  /** Decided by the first line end: every later one must be the same. */
  private crlf: boolean | undefined;
  private readonly row: PlainRow;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly onRecord: (row: PlainRow) => void,
    private readonly maxRecordBytes: number,
    /** The file's line end when already known (a later part must keep to the first part's). */
    lineEnd?: '\n' | '\r\n' | '\r',
    /**
     * Whether the bytes start the file. A later part may start on a line that begins with U+FEFF
     * (two exports glued together): csv-parse reading the whole file keeps that as text.
     */
    fileStart = true,
    private readonly pass?: PassOver,
    /** Told of each record passed over, in place of `onRecord`. */
    private readonly onPassed?: () => void,
  ) {
    this.first = fileStart;
    if (lineEnd === '\r') throw new NotPlain('CR line ends');
    this.crlf = lineEnd === undefined ? undefined : lineEnd === '\r\n';
    this.row = new PlainRow(delimiter);
    this.delim = delimiter.charCodeAt(0);
  }

  /** Takes the next bytes; emits every record that ends in them (see `feed`, which it uses). */
  push(chunk: Buffer): void {
    const buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = this.feed(buf, buf.length);
    this.tail = cut < buf.length ? Buffer.from(buf.subarray(cut)) : undefined;
  }

  /** The last record, if the file does not end with a line end. */
  end(): void {
    if (this.tail) this.finish(this.tail, this.tail.length);
    this.tail = undefined;
  }

  /**
   * `push` for a caller that keeps the bytes itself, in one buffer reused from read to read (no
   * buffer made per read): emits every record that ends in buf[0, length) and returns where the
   * unfinished one starts, for the caller to move to the front before the next read.
   */
  feed(buf: Buffer, length: number): number {
    // A record ends at a LF; a CR last in the chunk may be the first half of a CRLF.
    const cut = length === 0 ? 0 : buf.lastIndexOf(LF, length - 1) + 1;
    if (cut > 0) this.lines(buf, cut);
    if (length - cut > this.maxRecordBytes) throw new NotPlain('a record longer than the limit');
    return cut;
  }

  /** `end` for `feed`: the last record, held in buf[0, length). */
  finish(buf: Buffer, length: number): void {
    if (length > 0) this.lines(buf, length, true);
  }

  private lines(buf: Buffer, stop: number, last = false): void {
    // Line ends never fall inside a UTF-8 sequence, so whole lines validate on their own.
    if (!isUtf8(buf.subarray(0, stop))) throw new NotPlain('not valid UTF-8');
    let pos = 0;
    if (this.first) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    const nul = buf.indexOf(0, pos);
    if (nul >= 0 && nul < stop) throw new NotPlain('a NUL character');
    if (this.crlf === undefined) {
      const lf = buf.indexOf(LF, pos);
      this.crlf = lf > pos && lf < stop && buf[lf - 1] === CR;
    }
    if (!this.crlf) {
      const cr = buf.indexOf(CR, pos);
      if (cr >= 0 && cr < stop) throw new NotPlain('a CR in a file of LF line ends');
    }
    const row = this.row;
    row.buf = buf;
    while (pos < stop) {
      let nl = buf.indexOf(LF, pos);
      if (nl < 0 || nl >= stop) {
        if (!last) throw new NotPlain('a line without its end'); // cannot happen: cut after a LF
        nl = stop;
      }
      let lineEnd = nl;
      if (this.crlf && nl < stop) {
        if (nl - 1 < pos || buf[nl - 1] !== CR) throw new NotPlain('a LF in a file of CRLF line ends');
        lineEnd = nl - 1;
      }
      if (this.split(buf, pos, lineEnd)) this.onRecord(row);
      else this.onPassed!();
      pos = nl + 1;
    }
    row.buf = Buffer.alloc(0);
  }

  /**
   * Finds the cells of the line [from, to); a quote must open a cell, close it, or be doubled in
   * it. False when `pass` passed over the record.
   */
  private split(buf: Buffer, from: number, to: number): boolean {
    const row = this.row;
    const d = this.delim;
    // The count of cells at which the cell to test is complete (0: no test).
    const testAt = this.pass === undefined ? 0 : this.pass.cell + 1;
    row.count = 0;
    row.lineStart = from;
    row.lineEnd = to;
    row.quoted = false;
    let cell = from;
    let i = from;
    while (i < to) {
      const b = buf[i];
      if (b === d) {
        row.push(cell, i, 0);
        if (row.count === testAt && this.pass!.test(buf, cell, i)) return false;
        cell = ++i;
      } else if (b === QUOTE) {
        row.quoted = true;
        if (i !== cell) throw new NotPlain('a quote inside an unquoted cell');
        let escaped = 0;
        let q = i + 1;
        for (;;) {
          while (q < to && buf[q] !== QUOTE) {
            if (buf[q] === CR) throw new NotPlain('a CR inside a line');
            q++;
          }
          if (q >= to) throw new NotPlain('a quoted cell that runs past its line');
          if (q + 1 < to && buf[q + 1] === QUOTE) {
            escaped = 1;
            q += 2;
            continue;
          }
          break;
        }
        row.push(i + 1, q, escaped);
        i = q + 1;
        if (i === to) return true;
        if (buf[i] !== d) throw new NotPlain('text after a closing quote');
        cell = ++i;
      } else if (b === CR) throw new NotPlain('a CR inside a line');
      else i++;
    }
    row.push(cell, to, 0);
    return true;
  }
}
