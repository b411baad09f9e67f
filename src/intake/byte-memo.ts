/**
 * The value of a pure function of a short cell, remembered by the cell's bytes: an export repeats
 * a few thousand dates and a handful of event and route codes a million times, so each distinct
 * value is decoded and read once and later rows cost a hash of their bytes. Exact by
 * construction: the value is whatever the function gives for the cell's text.
 */

/** Cells longer than this are read each time, not remembered. */
const KEY_BYTES = 32;

export class ByteMemo {
  /** Slot p: the key's hash at 2p, its entry + 1 at 2p + 1 (0: empty). Half full at most. */
  private readonly table: Int32Array;
  private readonly keys: Uint8Array;
  private readonly lengths: Uint8Array;
  private readonly values: Float64Array;
  private size = 0;

  /**
   * `read` takes the cell's text, decoded as Latin-1: give it ASCII cells only. Up to `entries`
   * distinct values (a power of two) are remembered; once full, new ones are read each time.
   * Small is fast: the tables stay in cache next to the ids'.
   */
  constructor(
    private readonly read: (text: string) => number,
    private readonly entries: number,
  ) {
    this.table = new Int32Array(entries * 4);
    this.keys = new Uint8Array(entries * KEY_BYTES);
    this.lengths = new Uint8Array(entries);
    this.values = new Float64Array(entries);
  }

  /** read(bytes [from, to) as text). */
  get(buf: Uint8Array, from: number, to: number): number {
    const n = to - from;
    if (n > KEY_BYTES) return this.read(latin1(buf, from, to));
    let h = 0x811c9dc5;
    for (let k = from; k < to; k++) h = Math.imul(h ^ buf[k], 0x01000193);
    const t = this.table;
    const mask = (t.length >> 1) - 1;
    let p = h & mask;
    for (; ; p = (p + 1) & mask) {
      const e = t[2 * p + 1];
      if (e === 0) break;
      if (t[2 * p] !== h || this.lengths[e - 1] !== n) continue;
      const at = (e - 1) * KEY_BYTES;
      let k = 0;
      while (k < n && this.keys[at + k] === buf[from + k]) k++;
      if (k === n) return this.values[e - 1];
    }
    const value = this.read(latin1(buf, from, to));
    if (this.size < this.entries) {
      const e = this.size++;
      this.keys.set(buf.subarray(from, to), e * KEY_BYTES);
      this.lengths[e] = n;
      this.values[e] = value;
      t[2 * p] = h;
      t[2 * p + 1] = e + 1;
    }
    return value;
  }
}

const latin1 = (buf: Uint8Array, from: number, to: number) =>
  Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
