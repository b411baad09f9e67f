/**
 * Strings -> dense indexes 0, 1, 2..., through an open-addressing table. Each string is kept
 * once, as UTF-8 bytes in shared blocks rather than as a JS string, right after a header holding
 * its index and length: the ids of 161,000 children cost ~2.5 MiB here, against ~6.5 MiB as
 * strings in an array (plus the work of the garbage collector walking them). A slot holds an
 * ASCII string of up to 9 characters itself, seven bits each, with its index: looking up such an
 * id (most are) in a shuffled export is one cache miss, the slot, where reading the kept bytes
 * and their header made it two. A longer string's slot holds its hash and where its bytes are,
 * so probing and growing never read a string back (it was 35% slower when the slot held the
 * index and where the string was had to be looked up by it).
 */
import { Column } from './column.js';

const SHIFT = 16;
const BLOCK = 1 << SHIFT;

/** Int32s a slot of the table takes. */
const SLOT = 3;
/** The most characters a string held in its slot may have: 9 of 7 bits fill 63 of 64. */
const SHORT = 9;
/** Where a slot's kind starts in its last Int32: below it, a short string's index. */
const KIND = 27;
const INDEX = (1 << KIND) - 1;
/** The kind of a slot that holds a hash and where the bytes are (a short one's: its length + 1). */
const LONG = 15;

/** Where the first empty slot from hash h's on starts. */
function free(t: Int32Array, h: number): number {
  const mask = t.length / SLOT - 1;
  let p = h & mask;
  while (t[p * SLOT + 2] !== 0) p = (p + 1) & mask;
  return p * SLOT;
}

/** What `packed` and `packedText` packed last: characters 0-3 and 4's low bits, then the rest. */
let packedLow = 0;
let packedHigh = 0;

/**
 * Packs bytes [from, from + n) seven bits each (the first lowest) into packedLow and packedHigh,
 * when they are at most SHORT characters of ASCII: with the length, the string exactly.
 */
function packed(b: Uint8Array, from: number, n: number): boolean {
  if (n > SHORT) return false;
  // Unrolled, with no branch on a character's place: an export's ids mostly have one length, so
  // each `n >` test is predicted.
  return pack(
    n > 0 ? b[from] : 0,
    n > 1 ? b[from + 1] : 0,
    n > 2 ? b[from + 2] : 0,
    n > 3 ? b[from + 3] : 0,
    n > 4 ? b[from + 4] : 0,
    n > 5 ? b[from + 5] : 0,
    n > 6 ? b[from + 6] : 0,
    n > 7 ? b[from + 7] : 0,
    n > 8 ? b[from + 8] : 0,
  );
}

/** `packed` for the characters of a string. */
function packedText(s: string): boolean {
  const n = s.length;
  if (n > SHORT) return false;
  const at = (k: number) => (k < n ? s.charCodeAt(k) : 0);
  return pack(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), at(8));
}

/** The packing itself, of up to nine characters (0 past the end): false unless all are ASCII. */
function pack(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  c4: number,
  c5: number,
  c6: number,
  c7: number,
  c8: number,
): boolean {
  if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8) >= 0x80) return false;
  packedLow = c0 | (c1 << 7) | (c2 << 14) | (c3 << 21) | (c4 << 28);
  packedHigh = (c4 >>> 4) | (c5 << 3) | (c6 << 10) | (c7 << 17) | (c8 << 24);
  return true;
}

/** The hash of a short string from its packed characters and length (murmur3's mixing steps). */
function mixed(low: number, high: number, n: number): number {
  let h = Math.imul(low ^ (low >>> 16), 0x85ebca6b) ^ high;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ n;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The `hash` of the short string in slot q. */
const slotHash = (t: Int32Array, q: number): number => mixed(t[q], t[q + 1], (t[q + 2] >>> KIND) - 1);

/** An index's strings as arrays, for handing to another thread. */
export interface PackedBytes {
  bytes: Uint8Array;
  /** Where each string's bytes end. */
  ends: Int32Array;
}

/** PackedBytes for a receiver that looks the strings up. */
export interface PackedStrings extends PackedBytes {
  /** Each string's hash, so that the receiver need not decode and hash it again. */
  hashes: Int32Array;
}

export class StringIndex {
  /**
   * Slot p, three Int32s from 3p: the last holds the slot's kind in its top bits (see KIND), and
   * is 0 when the slot is empty. A short string (kind: its length + 1) is its characters packed by
   * `packed`, then its index in the low bits; a LONG one is its hash, then where its bytes are
   * (block * BLOCK + offset).
   */
  private table = new Int32Array(SLOT << 10);
  /**
   * Each string: its index (4 bytes), then its length as one byte, or for 255 bytes and more as
   * 255 after 4 bytes of length, then its bytes (see `put`).
   */
  private readonly blocks: Buffer[] = [];
  /** Per string i, where its bytes are (block * BLOCK + offset), for reading strings by index. */
  private readonly loc = new Column();
  private used = BLOCK; // bytes used of the last block: none yet
  size = 0;

  /** The string at index i. */
  value(i: number): string {
    const at = this.loc.get(i);
    const block = this.blocks[at >>> SHIFT];
    const start = at & (BLOCK - 1);
    return block.toString('utf8', start, start + lengthAt(block, start));
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
    this.add(h, i, this.store(i, s));
    return i;
  }

  /**
   * The index of the string in bytes [from, from + n), added if new: for ASCII bytes only (the
   * fast path's ids), whose hash and bytes are those of the string (see `hash`).
   */
  internAscii(buf: Uint8Array, from: number, n: number): number {
    // Packed once, for the hash and the look-up.
    const short = packed(buf, from, n);
    const h = short ? mixed(packedLow, packedHigh, n) : fnv(buf, from, n);
    const found = this.findIn(this.searchable(), h, short, buf, from, n);
    if (found >= 0) return found;
    const i = this.size++;
    const at = this.put(i, n);
    copyBytes(buf, from, this.blocks[at >>> SHIFT], at & (BLOCK - 1), n);
    this.add(h, i, at);
    return i;
  }

  /** The index of string k of another index's packed strings, or -1: nothing decoded. */
  findPacked(p: PackedStrings, k: number): number {
    const from = k === 0 ? 0 : p.ends[k - 1];
    // Strings appended by appendPacked are not in the table: the caller's are distinct.
    if (this.dropped) throw new Error('the index is no longer searchable');
    const n = p.ends[k] - from;
    return this.findIn(this.table, p.hashes[k], packed(p.bytes, from, n), p.bytes, from, n);
  }

  /**
   * The index of the bytes [from, from + n) with hash h, or -1; `short` when `packed` just packed
   * them. Bytes that are not short cannot be a short slot's string (it is other characters).
   */
  private findIn(t: Int32Array, h: number, short: boolean, bytes: Uint8Array, from: number, n: number): number {
    const mask = t.length / SLOT - 1;
    const kind = short ? n + 1 : -1;
    const low = packedLow;
    const high = packedHigh;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const q = p * SLOT;
      const meta = t[q + 2];
      if (meta === 0) return -1;
      const k = meta >>> KIND;
      if (k === LONG) {
        if (t[q] !== h) continue;
        const at = t[q + 1];
        const block = this.blocks[at >>> SHIFT];
        const start = at & (BLOCK - 1);
        if (lengthAt(block, start) === n && sameBytes(block, start, bytes, from, n)) return indexAt(block, start);
      } else if (k === kind && t[q] === low && t[q + 1] === high) return meta & INDEX;
    }
  }

  /**
   * Adds string k of another index's packed strings, known to be new, without entering it in the
   * hash table (no table growth for a part's new ids at the end of a read): no look-up may follow.
   */
  appendPacked(p: PackedBytes, k: number): number {
    const from = k === 0 ? 0 : p.ends[k - 1];
    const n = p.ends[k] - from;
    const i = this.size++;
    const at = this.put(i, n);
    copyBytes(p.bytes, from, this.blocks[at >>> SHIFT], at & (BLOCK - 1), n);
    this.stale = true;
    return i;
  }

  /**
   * A new index of the same strings, string k being string order[k] here: for reading them in
   * that order, one after another. It cannot be searched (no hash table).
   */
  permuted(order: Int32Array): StringIndex {
    const out = new StringIndex();
    out.dropTable();
    for (let k = 0; k < order.length; k++) {
      const at = this.loc.get(order[k]);
      const from = this.blocks[at >>> SHIFT];
      const start = at & (BLOCK - 1);
      const n = lengthAt(from, start);
      out.size++;
      const to = out.put(k, n);
      copyBytes(from, start, out.blocks[to >>> SHIFT], to & (BLOCK - 1), n);
    }
    return out;
  }

  /** Lets go of the hash table: strings are read back by index only from here on. */
  dropTable(): void {
    this.table = new Int32Array(0);
    this.stale = this.dropped = true;
  }

  /** Set once strings were added without the table, or it was dropped. */
  private stale = false;
  private dropped = false;

  private searchable(): Int32Array {
    if (this.stale) throw new Error('the index is no longer searchable');
    return this.table;
  }

  /** Enters string i, with hash h, kept at `at`, in the table. */
  private add(h: number, i: number, at: number): void {
    // Up to 3/4 full: with the string or its hash in the slot, a longer probe costs little.
    if (this.size * 4 > (this.table.length / SLOT) * 3) this.rehash(this.table.length * 2);
    const t = this.table;
    const q = free(t, h);
    const block = this.blocks[at >>> SHIFT];
    const start = at & (BLOCK - 1);
    const n = lengthAt(block, start);
    if (i <= INDEX && packed(block, start, n)) {
      t[q] = packedLow;
      t[q + 1] = packedHigh;
      t[q + 2] = ((n + 1) << KIND) | i;
    } else {
      t[q] = h;
      t[q + 1] = at;
      t[q + 2] = LONG << KIND;
    }
  }

  private find(s: string, h: number): number {
    const t = this.searchable();
    const mask = t.length / SLOT - 1;
    const kind = packedText(s) ? s.length + 1 : -1;
    const low = packedLow;
    const high = packedHigh;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const q = p * SLOT;
      const meta = t[q + 2];
      if (meta === 0) return -1;
      const k = meta >>> KIND;
      if (k === LONG) {
        if (t[q] === h && this.equalsAt(t[q + 1], s))
          return indexAt(this.blocks[t[q + 1] >>> SHIFT], t[q + 1] & (BLOCK - 1));
      } else if (k === kind && t[q] === low && t[q + 1] === high) return meta & INDEX;
    }
  }

  pack(): PackedStrings {
    const { bytes, ends } = this.packBytes();
    const hashes = new Int32Array(this.size);
    const t = this.searchable();
    for (let q = 0; q < t.length; q += SLOT) {
      const meta = t[q + 2];
      if (meta === 0) continue;
      if (meta >>> KIND === LONG) hashes[indexAt(this.blocks[t[q + 1] >>> SHIFT], t[q + 1] & (BLOCK - 1))] = t[q];
      else hashes[meta & INDEX] = slotHash(t, q);
    }
    return { bytes, ends, hashes };
  }

  /** The strings as bytes alone, for a receiver that only appends them (no table needed). */
  packBytes(): PackedBytes {
    const ends = new Int32Array(this.size);
    let total = 0;
    for (let i = 0; i < this.size; i++) ends[i] = total += this.byteLength(i);
    const bytes = new Uint8Array(total);
    for (let i = 0; i < this.size; i++) {
      const at = this.loc.get(i);
      const n = ends[i] - (i === 0 ? 0 : ends[i - 1]);
      copyBytes(this.blocks[at >>> SHIFT], at & (BLOCK - 1), bytes, ends[i] - n, n);
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
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const at = this.loc.get(i);
      const block = this.blocks[at >>> SHIFT];
      const start = at & (BLOCK - 1);
      for (let k = start, end = start + lengthAt(block, start); k < end; k++) if (block[k] >= 0xf0) return undefined;
    }
    if (n >= 1 << POSITION_BITS) return undefined;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Read in place (no packed copy): exports sorted by child id are in order already, or in two
    // runs once the two threads of a shared read join theirs (intake/shared.ts).
    const strings = { blocks: this.blocks, loc: this.loc };
    const ascending = (from: number) => {
      let i = from + 1;
      while (i < n && compareFrom(strings, i - 1, i, 0) < 0) i++;
      return i;
    };
    const firstRun = ascending(0);
    if (firstRun === n) return order;
    if (ascending(firstRun) === n) mergeRuns(strings, order, firstRun);
    // Ids share their first bytes ("CH000..."): sorting starts after those, where they differ,
    // rather than spend a whole pass on keys that are all equal.
    else sortBytes(strings, order, 0, n, commonPrefix(strings, n));
    return order;
  }

  static unpack(p: PackedStrings, i: number): string {
    return Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString(
      'utf8',
      i === 0 ? 0 : p.ends[i - 1],
      p.ends[i],
    );
  }

  /** Keeps `s` as string i: where its bytes are. */
  private store(i: number, s: string): number {
    // Ids are ASCII: copy their codes; other text goes through the UTF-8 encoder.
    let ascii = true;
    for (let k = 0; k < s.length && ascii; k++) ascii = s.charCodeAt(k) < 0x80;
    const n = ascii ? s.length : Buffer.byteLength(s, 'utf8');
    const at = this.put(i, n);
    const block = this.blocks[at >>> SHIFT];
    const start = at & (BLOCK - 1);
    if (ascii) for (let k = 0; k < n; k++) block[start + k] = s.charCodeAt(k);
    else block.write(s, start, 'utf8');
    return at;
  }

  /** Makes room for string i of n bytes and writes its header: where its bytes go. */
  private put(i: number, n: number): number {
    const long = n >= 255;
    if (this.used + (long ? 9 : 5) + n > BLOCK || this.blocks.length === 0) {
      this.blocks.push(Buffer.alloc(Math.max(BLOCK, 9 + n)));
      this.used = 0;
    }
    const b = this.blocks.length - 1;
    const block = this.blocks[b];
    let u = this.used;
    writeInt(block, u, i);
    u += 4;
    if (long) {
      writeInt(block, u, n);
      u += 4;
    }
    block[u++] = long ? 255 : n;
    // A string longer than a block has a block of its own, with nothing after it.
    this.used = Math.min(u + n, BLOCK);
    this.loc.reserve(i);
    this.loc.set(i, b * BLOCK + u);
    return b * BLOCK + u;
  }

  /** Whether the string at index i is `s`: no hashing, no decoding of ASCII. */
  equals(i: number, s: string): boolean {
    return this.equalsAt(this.loc.get(i), s);
  }

  private equalsAt(at: number, s: string): boolean {
    const block = this.blocks[at >>> SHIFT];
    const start = at & (BLOCK - 1);
    const n = lengthAt(block, start);
    // Ids are ASCII: compare in place, and decode only for other text.
    if (n === s.length) {
      let k = 0;
      while (k < n && s.charCodeAt(k) === block[start + k] && block[start + k] < 0x80) k++;
      if (k === n) return true;
      if (s.charCodeAt(k) < 0x80 && block[start + k] < 0x80) return false;
    } else if (n < s.length) return false; // UTF-8 never takes fewer bytes than UTF-16 units
    return block.toString('utf8', start, start + n) === s;
  }

  /** Where the bytes of the string at index i are kept (see `bytesAt`), and how many. */
  location(i: number): number {
    return this.loc.get(i);
  }
  byteLength(i: number): number {
    const at = this.loc.get(i);
    return lengthAt(this.blocks[at >>> SHIFT], at & (BLOCK - 1));
  }

  /** Copies string i's bytes to buf[pos...] and returns how many: no string decoded. */
  copyInto(i: number, buf: Uint8Array, pos: number): number {
    const at = this.loc.get(i);
    const block = this.blocks[at >>> SHIFT];
    const start = at & (BLOCK - 1);
    const n = lengthAt(block, start);
    copyBytes(block, start, buf, pos, n);
    return n;
  }

  /** Whether the n bytes kept at `at` (a block and offset, as in `loc`) are bytes [from, from + n). */
  bytesAt(at: number, bytes: Uint8Array, from: number, n: number): boolean {
    return sameBytes(this.blocks[at >>> SHIFT], at & (BLOCK - 1), bytes, from, n);
  }

  /** Bytes 4k to 4k + 3 of string i as `word` packs them. */
  word(i: number, k: number): number {
    const at = this.loc.get(i);
    const block = this.blocks[at >>> SHIFT];
    const start = at & (BLOCK - 1);
    const n = lengthAt(block, start);
    return word(block, start + 4 * k, n - 4 * k);
  }

  private rehash(size: number): void {
    const old = this.table;
    const t = (this.table = new Int32Array(size));
    for (let q = 0; q < old.length; q += SLOT) {
      const meta = old[q + 2];
      if (meta === 0) continue;
      const to = free(t, meta >>> KIND === LONG ? old[q] : slotHash(old, q));
      t[to] = old[q];
      t[to + 1] = old[q + 1];
      t[to + 2] = meta;
    }
  }
}

/** The length of the string whose bytes start at `start` (see `put`). */
function lengthAt(block: Uint8Array, start: number): number {
  const n = block[start - 1];
  return n < 255 ? n : readInt(block, start - 5);
}

/** The index of the string whose bytes start at `start`. */
function indexAt(block: Uint8Array, start: number): number {
  return readInt(block, block[start - 1] < 255 ? start - 5 : start - 9);
}

const readInt = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

function writeInt(b: Uint8Array, p: number, v: number): void {
  b[p] = v & 0xff;
  b[p + 1] = (v >>> 8) & 0xff;
  b[p + 2] = (v >>> 16) & 0xff;
  b[p + 3] = v >>> 24;
}

/**
 * Up to four bytes [from, from + n) as one Int32, the first lowest, missing ones 0: a string of at
 * most 8 bytes is known by its length and two words, compared with no read of the kept bytes.
 */
export function word(b: Uint8Array, from: number, n: number): number {
  if (n <= 0) return 0;
  let w = b[from];
  if (n > 1) w |= b[from + 1] << 8;
  if (n > 2) w |= b[from + 2] << 16;
  if (n > 3) w |= b[from + 3] << 24;
  return w;
}

function sameBytes(block: Uint8Array, start: number, bytes: Uint8Array, from: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (block[start + k] !== bytes[from + k]) return false;
  return true;
}

/**
 * Copies n bytes one by one: a string here is an id of a few bytes, for which Buffer#copy, or set
 * with a subarray, costs more per call than the copy (~100 of ~200 ms to permute 310k ids).
 */
function copyBytes(from: Uint8Array, start: number, to: Uint8Array, at: number, n: number): void {
  for (let d = 0; d < n; d++) to[at + d] = from[start + d];
}

/**
 * A string's hash: for a short one (see `packed`) mixed from its packed characters, so that growing
 * the table need not read its bytes; for any other FNV-1a over its UTF-16 code units.
 */
export function hash(s: string): number {
  if (packedText(s)) return mixed(packedLow, packedHigh, s.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** `hash` of the ASCII string in bytes [from, from + n). */
export function hashAscii(buf: Uint8Array, from: number, n: number): number {
  return packed(buf, from, n) ? mixed(packedLow, packedHigh, n) : fnv(buf, from, n);
}

/** FNV-1a over bytes: over ASCII, `hash`'s of the string. */
function fnv(buf: Uint8Array, from: number, n: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < from + n; k++) h = Math.imul(h ^ buf[k], 0x01000193);
  return h | 0;
}

/** Strings where a StringIndex keeps them: per string i, at loc i its block and offset (its length just before). */
interface Strings {
  blocks: Uint8Array[];
  loc: Column;
}

const KEY_BYTES = 5;
const POSITION_BITS = 24;
/** A key's place in its range, in its low POSITION_BITS. */
const POSITION = (1 << POSITION_BITS) - 1;

/**
 * Sorts order[lo, hi) by the strings' bytes from `depth` on (all equal before it). Each string's
 * next five bytes and its place in the range are packed into one 64-bit integer, which the
 * engine's native sort orders; runs equal in those five bytes go round again, further in.
 * Ten bytes a round, in two sorts (the last five first), took ~30% less time on 310k ids of a
 * prefix and six digits, but three times the memory while sorting: ~70 MiB more for 3 million
 * children, past their budget (see npm run bench). Instead the five bytes after those are read
 * in the same pass, as one number per string (`next`): a run of a few strings that tie (ids
 * that differ in their last digit) is put in order by those numbers, where comparing the strings
 * themselves read each from anywhere in memory, twice per comparison (~130 of ~170 ms for 310k
 * shuffled ids; ~50 ms now).
 */
function sortBytes(strings: Strings, order: Int32Array, lo: number, hi: number, depth: number): void {
  const n = hi - lo;
  if (n < 2) return;
  if (n <= 16 || depth > 256) {
    for (let i = lo + 1; i < hi; i++) {
      const v = order[i];
      let j = i;
      for (; j > lo && compareFrom(strings, v, order[j - 1], depth) < 0; j--) order[j] = order[j - 1];
      order[j] = v;
    }
    return;
  }
  const { blocks, loc } = strings;
  const keys = new BigUint64Array(n);
  const words = new Uint32Array(keys.buffer); // little-endian: the low word first
  const next = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[lo + k];
    const at = loc.get(i);
    const bytes = blocks[at >>> SHIFT];
    const from = (at & (BLOCK - 1)) + depth;
    const length = lengthAt(bytes, at & (BLOCK - 1)) - depth;
    // Bytes d..d+4 of the string (0 past its end) in the top 40 bits, the position in the low 24.
    let high = 0;
    for (let b = 0; b < 4; b++) high = high * 256 + (b < length ? bytes[from + b] : 0);
    const fifth = 4 < length ? bytes[from + 4] : 0;
    words[2 * k + 1] = high >>> 0;
    words[2 * k] = ((fifth << POSITION_BITS) | k) >>> 0;
    next[k] = nextKey(bytes, from + KEY_BYTES, length - KEY_BYTES);
  }
  keys.sort();
  const was = order.slice(lo, hi);
  for (let k = 0; k < n; k++) order[lo + k] = was[words[2 * k] & POSITION];
  // Runs that tie on these bytes: the strings differ further in (they are distinct).
  for (let k = 0; k < n; ) {
    let e = k + 1;
    while (
      e < n &&
      words[2 * e + 1] === words[2 * k + 1] &&
      words[2 * e] >>> POSITION_BITS === words[2 * k] >>> POSITION_BITS
    )
      e++;
    if (e - k > SMALL_RUN) sortBytes(strings, order, lo + k, lo + e, depth + KEY_BYTES);
    else if (e - k > 1) sortRun(strings, order, lo + k, e - k, words, k, next, depth + KEY_BYTES);
    k = e;
  }
}

/** Runs of ties up to this long are put in order by `next` (see sortBytes). */
const SMALL_RUN = 64;
const runKeys = new Float64Array(SMALL_RUN);

/**
 * The order of the `length` bytes from `from` (length may be 0 or less: the string has ended),
 * from the five bytes there and how many there are: bytes 0 past the end, in the top 40 bits
 * of 43, and below them how many of the five the string has, 6 when it goes on past them. A
 * string that ends sorts before one that goes on with the same bytes, and a byte past the end
 * (0) is never more than a byte there, so for strings equal before `from`, a smaller key is a
 * smaller string, and equal keys are equal strings unless both go on (6).
 */
function nextKey(bytes: Uint8Array, from: number, length: number): number {
  let v = 0;
  for (let b = 0; b < KEY_BYTES; b++) v = v * 256 + (b < length ? bytes[from + b] : 0);
  return v * 8 + (length > KEY_BYTES ? KEY_BYTES + 1 : Math.max(length, 0));
}

/**
 * Sorts order[at, at + count), strings equal in their bytes before `depth`, by their keys in
 * `next` (by place in the range sorted, which `words` holds at [first, first + count)): an
 * insertion sort of numbers held here, not of strings read from memory. Ties (strings that go
 * on past the key, or end in NULs) go round again from depth + 5.
 */
function sortRun(
  strings: Strings,
  order: Int32Array,
  at: number,
  count: number,
  words: Uint32Array,
  first: number,
  next: Float64Array,
  depth: number,
): void {
  const keys = runKeys;
  for (let j = 0; j < count; j++) {
    const key = next[words[2 * (first + j)] & POSITION];
    const v = order[at + j];
    let q = j;
    for (; q > 0 && keys[q - 1] > key; q--) {
      keys[q] = keys[q - 1];
      order[at + q] = order[at + q - 1];
    }
    keys[q] = key;
    order[at + q] = v;
  }
  let tie = false;
  for (let j = 1; j < count && !tie; j++) tie = keys[j] === keys[j - 1];
  if (!tie) return;
  // Rare: runKeys is reused by the sorts below, so the keys are copied first.
  const sorted = keys.slice(0, count);
  for (let j = 0; j < count; ) {
    let e = j + 1;
    while (e < count && sorted[e] === sorted[j]) e++;
    if (e - j > 1) sortBytes(strings, order, at + j, at + e, depth + KEY_BYTES);
    j = e;
  }
}

/** Fills `order` with strings [0, n) in order, where [0, mid) and [mid, n) each are already. */
function mergeRuns(strings: Strings, order: Int32Array, mid: number): void {
  const n = order.length;
  let a = 0;
  let b = mid;
  for (let k = 0; k < n; k++) order[k] = b === n || (a < mid && compareFrom(strings, a, b, 0) < 0) ? a++ : b++;
}

/** How many bytes the first n strings all start with. */
function commonPrefix({ blocks, loc }: Strings, n: number): number {
  if (n === 0) return 0;
  const at0 = loc.get(0);
  const first = blocks[at0 >>> SHIFT];
  const s0 = at0 & (BLOCK - 1);
  let common = lengthAt(first, s0);
  for (let i = 1; i < n && common > 0; i++) {
    const at = loc.get(i);
    const bytes = blocks[at >>> SHIFT];
    const s = at & (BLOCK - 1);
    const len = lengthAt(bytes, s);
    if (len < common) common = len;
    let d = 0;
    while (d < common && bytes[s + d] === first[s0 + d]) d++;
    common = d;
  }
  return common;
}

/** Compares strings a and b from byte `depth` on; a string that ends first sorts first. */
function compareFrom({ blocks, loc }: Strings, a: number, b: number, depth: number): number {
  const atA = loc.get(a);
  const atB = loc.get(b);
  const x = blocks[atA >>> SHIFT];
  const y = blocks[atB >>> SHIFT];
  const sa = atA & (BLOCK - 1);
  const sb = atB & (BLOCK - 1);
  const la = lengthAt(x, sa);
  const lb = lengthAt(y, sb);
  for (let d = depth; d < la && d < lb; d++) if (x[sa + d] !== y[sb + d]) return x[sa + d] - y[sb + d];
  return la - lb;
}
