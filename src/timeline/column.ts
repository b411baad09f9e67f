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

  /** A column with room for indexes 0 to n - 1. */
  static sized(n: number, initial = 0): Column {
    const col = new Column(initial);
    if (n > 0) col.reserve(n - 1);
    return col;
  }
}

/**
 * Several Int32 fields per index, side by side in blocks: the fields of one child are read and
 * written together for every row, and on a shuffled export each column read apart would be a
 * cache miss of its own.
 */
export class Records {
  private readonly blocks: Int32Array[] = [];
  private readonly stride: number;

  /** One field per initial value. */
  constructor(private readonly initial: readonly number[]) {
    this.stride = initial.length;
  }

  get(i: number, field: number): number {
    return this.blocks[i >>> SHIFT][(i & MASK) * this.stride + field];
  }

  set(i: number, field: number, v: number): void {
    this.blocks[i >>> SHIFT][(i & MASK) * this.stride + field] = v;
  }

  /** Makes room for index i. */
  reserve(i: number): void {
    while (this.blocks.length <= i >>> SHIFT) {
      const b = new Int32Array(SIZE * this.stride);
      for (let f = 0; f < this.stride; f++)
        if (this.initial[f]) for (let k = f; k < b.length; k += this.stride) b[k] = this.initial[f];
      this.blocks.push(b);
    }
  }

  /** The blocks, for handing to another thread (see Column.take). */
  take(): Int32Array[] {
    const blocks = [...this.blocks];
    this.blocks.length = 0;
    return blocks;
  }

  /** Records over blocks that Records of the same fields handed over with `take`. */
  static of(initial: readonly number[], blocks: Int32Array[]): Records {
    const r = new Records(initial);
    r.blocks.push(...blocks);
    return r;
  }

  /** A view of one field, read and written like a Column. */
  field(f: number): { get(i: number): number; set(i: number, v: number): void } {
    return { get: (i) => this.get(i, f), set: (i, v) => this.set(i, f, v) };
  }

  /** Lets go of every block. */
  clear(): void {
    this.blocks.length = 0;
  }
}
