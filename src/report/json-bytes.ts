/**
 * JSON written as UTF-8 bytes, for the reports' per-child arrays. A million children written as
 * strings cost a string per child, built from dozens of pieces, flattened and then encoded: most
 * of a big audit's time went on that and on collecting the garbage. Here constants are copied as
 * bytes, numbers and dates are written digit by digit, and only text from the export (ids) goes
 * through the encoder. The result is byte for byte what JSON.stringify gives (test/json-bytes.test.ts).
 */
import { CACHED_DAYS, cached, type Day, formatDay } from '../dates/days.js';

const BLOCK = 64 * 1024;

/** Each ASCII string's bytes, made once: the keys and fixed values of a report. */
export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

export class JsonBytes {
  private buf: Buffer = Buffer.allocUnsafe(BLOCK);
  private pos = 0;

  /**
   * Makes room for `n` more bytes. Returns the block filled so far when a new one was needed
   * (the caller hands it on), else undefined. Blocks are never reused: a reader may keep them.
   */
  room(n: number): Buffer | undefined {
    if (this.pos + n <= this.buf.length) return undefined;
    const full = this.pos > 0 ? this.buf.subarray(0, this.pos) : undefined;
    this.buf = Buffer.allocUnsafe(Math.max(BLOCK, n));
    this.pos = 0;
    return full;
  }

  /** What is written and not yet handed on. */
  rest(): Buffer | undefined {
    if (this.pos === 0) return undefined;
    const rest = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(BLOCK);
    this.pos = 0;
    return rest;
  }

  raw(bytes: Uint8Array): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < bytes.length; i++) b[p++] = bytes[i];
    this.pos = p;
  }

  /** An integer (or null); anything else (a fraction, a huge value) as JSON.stringify writes it. */
  int(n: number | null): void {
    if (n === null || !Number.isFinite(n)) {
      this.raw(NULL);
      return;
    }
    if (!Number.isInteger(n) || Math.abs(n) >= 1e15) {
      this.pos += this.buf.write(String(n), this.pos, 'latin1');
      return;
    }
    const b = this.buf;
    if (n < 0) {
      b[this.pos++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      b[--p] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** A calendar date as "yyyy-mm-dd", or null for NaN (no date). */
  day(day: Day): void {
    const i = cached(day);
    if (i >= 0) {
      // The dates of any real audit: each day's 12 bytes made once, then copied.
      if (dayMade[i] === 0) makeDay(i, day);
      const b = this.buf;
      let p = this.pos;
      for (let k = i * 12, end = k + 12; k < end; k++) b[p++] = dayBytes[k];
      this.pos = p;
      return;
    }
    if (Number.isNaN(day)) {
      this.raw(NULL);
      return;
    }
    this.pos += this.buf.write(`"${formatDay(day)}"`, this.pos, 'latin1');
  }

  /**
   * String i of `strings`, as `text` writes it: its bytes copied between quotes where none needs
   * escaping (ids, always), so that no JS string is made and encoded again per child. The bytes
   * are UTF-8 of a well-formed string (timeline/string-index.ts), which JSON leaves as they are.
   */
  stringAt(strings: ByteStrings, i: number): void {
    const b = this.buf;
    const from = this.pos + 1;
    const n = strings.copyInto(i, b, from);
    for (let k = from; k < from + n; k++)
      if (escaped(b[k])) {
        this.text(strings.value(i));
        return;
      }
    b[this.pos] = 0x22;
    b[from + n] = 0x22;
    this.pos = from + n + 1;
  }

  /** A string from the export, quoted and escaped exactly as JSON.stringify does; or null. */
  text(s: string | null): void {
    if (s === null) {
      this.raw(NULL);
      return;
    }
    if (!plainJson(s)) {
      this.pos += this.buf.write(JSON.stringify(s), this.pos, 'utf8');
      return;
    }
    // No quoted copy of the string made: the quotes are written around it.
    const b = this.buf;
    b[this.pos] = 0x22;
    this.pos += 1 + b.write(s, this.pos + 1, 'utf8');
    b[this.pos++] = 0x22;
  }
}

/** Strings kept as UTF-8 bytes (timeline/string-index.ts). */
export interface ByteStrings {
  /** Copies string i's UTF-8 bytes to buf[pos...]; returns how many. */
  copyInto(i: number, buf: Uint8Array, pos: number): number;
  value(i: number): string;
  byteLength(i: number): number;
}

/**
 * The most bytes `stringAt(strings, i)` can take: its fallback `text` writes at most 6 characters
 * per UTF-16 unit (\u001f), each 1 byte, or 3 bytes for one unit; and a string has at least as
 * many UTF-8 bytes as UTF-16 units.
 */
export const stringRoom = (strings: ByteStrings, i: number) => strings.byteLength(i) * 6 + 2;

const NULL = ascii('null');

// The days dates/days.ts caches as strings, as bytes: 876 KiB, filled as days are asked for.
const dayBytes = new Uint8Array(CACHED_DAYS * 12);
const dayMade = new Uint8Array(CACHED_DAYS);
function makeDay(i: number, day: Day): void {
  dayBytes.set(ascii(`"${formatDay(day)}"`), i * 12);
  dayMade[i] = 1;
}

/** Whether JSON.stringify escapes this character (code unit, or a byte of UTF-8): a control character, quote or backslash. */
const escaped = (c: number) => c < 0x20 || c === 0x22 || c === 0x5c;

/** Whether `s` needs no escape in JSON: no quote, backslash, control character or lone surrogate. */
function plainJson(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (escaped(c)) return false;
    if (c >= 0xd800 && c <= 0xdfff) {
      // A pair is written as its UTF-8 bytes; a lone half is escaped by JSON.stringify.
      const next = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}
