/**
 * Strings -> dense indexes 0, 1, 2..., through an open-addressing table of Int32 (each string's
 * hash is kept, so growing the table reads no string back). Each string is
 * kept once, as UTF-8 bytes in shared blocks rather than as a JS string: the ids of 161,000
 * children cost ~2.5 MiB here, against ~6.5 MiB as strings in an array (plus the work of the
 * garbage collector walking them).
 */
import { Column } from './column.js';

const BLOCK = 64 * 1024;

/** An index's strings as two arrays, for handing to another thread. */
export interface PackedStrings {
  bytes: Uint8Array;
  /** Where each string's bytes end. */
  ends: Int32Array;
}

export class StringIndex {
  private table = new Int32Array(1 << 10).fill(-1);
  private readonly blocks: Buffer[] = [];
  /** Per string: its block and offset (block * BLOCK + offset), its length in bytes, its hash. */
  private readonly at = new Column();
  private readonly bytes = new Column();
  private readonly hashes = new Column();
  private used = BLOCK; // bytes used of the last block: none yet
  size = 0;

  /** The string at index i. */
  value(i: number): string {
    const start = this.startOf(i);
    return this.blockOf(i).toString('utf8', start, start + this.bytes.get(i));
  }

  private blockOf(i: number): Buffer {
    return this.blocks[Math.floor(this.at.get(i) / BLOCK)];
  }

  private startOf(i: number): number {
    return this.at.get(i) % BLOCK;
  }

  /** The index of `s`, or -1. */
  get(s: string): number {
    // Kept as UTF-8, a lone surrogate would read back as U+FFFD: look that up instead.
    // (isWellFormed is immediate for the one-byte strings V8 keeps ASCII ids in.)
    if (!s.isWellFormed()) return this.get(s.toWellFormed());
    return this.find(s, hash(s));
  }

  /** The index of `s`, added if new. */
  intern(s: string): number {
    if (!s.isWellFormed()) return this.intern(s.toWellFormed());
    const h = hash(s);
    const found = this.find(s, h);
    if (found >= 0) return found;
    const i = this.size++;
    this.store(i, s, h);
    if (this.size * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(h, i);
    return i;
  }

  private find(s: string, h: number): number {
    const mask = this.table.length - 1;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const i = this.table[p];
      if (i < 0 || (this.hashes.get(i) === h && this.equals(i, s))) return i;
    }
  }

  pack(): PackedStrings {
    const ends = new Int32Array(this.size);
    let total = 0;
    for (let i = 0; i < this.size; i++) ends[i] = total += this.bytes.get(i);
    const bytes = new Uint8Array(total);
    for (let i = 0; i < this.size; i++) {
      const start = this.startOf(i);
      bytes.set(this.blockOf(i).subarray(start, start + this.bytes.get(i)), ends[i] - this.bytes.get(i));
    }
    return { bytes, ends };
  }

  /**
   * Every index in the code-unit order of its string (the order of `<`), or undefined when that
   * order cannot be read off the bytes. UTF-8 bytes sort as code points, and code points sort as
   * UTF-16 code units except when a character beyond U+FFFF (lead byte 0xF0 and up) meets one
   * from U+E000: without those, a radix sort of the bytes gives the order of `<` without
   * decoding a string (a comparison sort of 310,000 decoded ids took seconds).
   */
  order(): Int32Array | undefined {
    const { bytes, ends } = this.pack();
    for (let k = 0; k < bytes.length; k++) if (bytes[k] >= 0xf0) return undefined;
    const n = this.size;
    if (n >= 1 << POSITION_BITS) return undefined;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    sortBytes(bytes, ends, order, 0, n, 0);
    return order;
  }

  static unpack(p: PackedStrings, i: number): string {
    return Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('utf8', i === 0 ? 0 : p.ends[i - 1], p.ends[i]);
  }

  private store(i: number, s: string, h: number): void {
    let n = s.length;
    if (this.used + n > BLOCK || this.blocks.length === 0) this.newBlock(n);
    let b = this.blocks.length - 1;
    // Ids are ASCII: copy their codes; other text goes through the UTF-8 encoder.
    const block = this.blocks[b];
    let k = 0;
    for (const at = this.used; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) break;
      block[at + k] = c;
    }
    if (k < n) {
      n = Buffer.byteLength(s, 'utf8');
      if (this.used + n > BLOCK) this.newBlock(n);
      b = this.blocks.length - 1;
      this.blocks[b].write(s, this.used, 'utf8');
    }
    this.at.reserve(i);
    this.bytes.reserve(i);
    this.hashes.reserve(i);
    this.hashes.set(i, h);
    // A string longer than a block has a block of its own, with nothing after it.
    this.at.set(i, b * BLOCK + this.used);
    this.bytes.set(i, n);
    this.used = n > BLOCK ? BLOCK : this.used + n;
  }

  private newBlock(bytes: number): void {
    this.blocks.push(Buffer.alloc(Math.max(BLOCK, bytes)));
    this.used = 0;
  }

  /** Whether the string at index i is `s`: no hashing, no decoding of ASCII. */
  equals(i: number, s: string): boolean {
    const n = this.bytes.get(i);
    const block = this.blockOf(i);
    const start = this.startOf(i);
    // Ids are ASCII: compare in place, and decode only for other text.
    if (n === s.length) {
      let k = 0;
      while (k < n && s.charCodeAt(k) === block[start + k] && block[start + k] < 0x80) k++;
      if (k === n) return true;
      if (s.charCodeAt(k) < 0x80 && block[start + k] < 0x80) return false;
    } else if (n < s.length) return false; // UTF-8 never takes fewer bytes than UTF-16 units
    return this.value(i) === s;
  }

  private place(h: number, i: number): void {
    const mask = this.table.length - 1;
    let p = h & mask;
    while (this.table[p] >= 0) p = (p + 1) & mask;
    this.table[p] = i;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size).fill(-1);
    for (let i = 0; i < this.size; i++) this.place(this.hashes.get(i), i);
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Byte d of string i, or 0 past its end. */
const byteAt = (bytes: Uint8Array, ends: Int32Array, i: number, d: number) => {
  const at = (i === 0 ? 0 : ends[i - 1]) + d;
  return at < ends[i] ? bytes[at] : 0;
};

const KEY_BYTES = 5;
const POSITION_BITS = 24;

/**
 * Sorts order[lo, hi) by the strings' bytes from `depth` on (all equal before it). Each string's
 * next five bytes and its place in the range are packed into one 64-bit integer, which the
 * engine's native sort orders; runs equal in those five bytes go round again, further in.
 */
function sortBytes(bytes: Uint8Array, ends: Int32Array, order: Int32Array, lo: number, hi: number, depth: number): void {
  const n = hi - lo;
  if (n < 2) return;
  if (n <= 16 || depth > 256) {
    for (let i = lo + 1; i < hi; i++) {
      const v = order[i];
      let j = i;
      for (; j > lo && compareFrom(bytes, ends, v, order[j - 1], depth) < 0; j--) order[j] = order[j - 1];
      order[j] = v;
    }
    return;
  }
  const keys = new BigUint64Array(n);
  const words = new Uint32Array(keys.buffer); // little-endian: the low word first
  for (let k = 0; k < n; k++) {
    const i = order[lo + k];
    let from = (i === 0 ? 0 : ends[i - 1]) + depth;
    const end = ends[i];
    // Bytes d..d+4 of the string (0 past its end) in the top 40 bits, the position in the low 24.
    let high = 0;
    for (let b = 0; b < 4; b++) high = high * 256 + (from < end ? bytes[from++] : 0);
    const fifth = from < end ? bytes[from] : 0;
    words[2 * k + 1] = high >>> 0;
    words[2 * k] = ((fifth << POSITION_BITS) | k) >>> 0;
  }
  keys.sort();
  const was = order.slice(lo, hi);
  for (let k = 0; k < n; k++) order[lo + k] = was[words[2 * k] & ((1 << POSITION_BITS) - 1)];
  // Runs that tie on these bytes: the strings differ further in (they are distinct).
  for (let k = 0; k < n; ) {
    let e = k + 1;
    while (e < n && words[2 * e + 1] === words[2 * k + 1] && words[2 * e] >>> POSITION_BITS === words[2 * k] >>> POSITION_BITS) e++;
    if (e - k > 1) sortBytes(bytes, ends, order, lo + k, lo + e, depth + KEY_BYTES);
    k = e;
  }
}

/** Compares strings a and b from byte `depth` on; a string that ends first sorts first. */
function compareFrom(bytes: Uint8Array, ends: Int32Array, a: number, b: number, depth: number): number {
  const la = ends[a] - (a === 0 ? 0 : ends[a - 1]);
  const lb = ends[b] - (b === 0 ? 0 : ends[b - 1]);
  for (let d = depth; d < la && d < lb; d++) {
    const x = byteAt(bytes, ends, a, d);
    const y = byteAt(bytes, ends, b, d);
    if (x !== y) return x - y;
  }
  return la - lb;
}
