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
