/**
 * A growable column of 32-bit integers kept in fixed blocks: growing never copies, so there is no
 * old array left for the garbage collector and no more than one block of slack.
 */
const SHIFT = 14;
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;

export class Column {
  private readonly blocks: Int32Array[] = [];
  constructor(private readonly initial = 0) {}

  get(i: number): number {
    return this.blocks[i >>> SHIFT][i & MASK];
  }

  set(i: number, v: number): void {
    this.blocks[i >>> SHIFT][i & MASK] = v;
  }

  /** The blocks, for handing to another thread: index i is in block i >> 14 at i & 16383. */
  take(): Int32Array[] {
    const blocks = [...this.blocks];
    this.blocks.length = 0;
    return blocks;
  }

  /** A column over blocks another column handed over with `take`. */
  static of(blocks: Int32Array[]): Column {
    const col = new Column();
    col.blocks.push(...blocks);
    return col;
  }

  /** Lets go of every block. */
  clear(): void {
    this.blocks.length = 0;
  }

  /** Makes room for index i. */
  reserve(i: number): void {
    while (this.blocks.length <= i >>> SHIFT) {
      const b = new Int32Array(SIZE);
      if (this.initial) b.fill(this.initial);
      this.blocks.push(b);
    }
  }
}
