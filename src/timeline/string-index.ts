/**
 * Strings -> dense indexes 0, 1, 2... through an open-addressing table of Int32. For the ids of
 * 161,000 children a Map costs ~7 MiB beyond the strings themselves; this table costs 2 MiB.
 */
export class StringIndex {
  /** The strings, by index. */
  readonly values: string[] = [];
  private table = new Int32Array(1 << 10).fill(-1);

  /** The index of `s`, or -1. */
  get(s: string): number {
    const mask = this.table.length - 1;
    for (let h = hash(s) & mask; ; h = (h + 1) & mask) {
      const i = this.table[h];
      if (i < 0 || this.values[i] === s) return i;
    }
  }

  /** The index of `s`, added if new. */
  intern(s: string): number {
    const found = this.get(s);
    if (found >= 0) return found;
    const i = this.values.length;
    this.values.push(s);
    if (this.values.length * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(s, i);
    return i;
  }

  private place(s: string, i: number): void {
    const mask = this.table.length - 1;
    let h = hash(s) & mask;
    while (this.table[h] >= 0) h = (h + 1) & mask;
    this.table[h] = i;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size).fill(-1);
    this.values.forEach((s, i) => this.place(s, i));
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
