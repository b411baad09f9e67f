/**
 * What we keep of every child while the export streams past, in columns of typed arrays rather
 * than an object per child, so memory grows with the number of children (about 60 bytes each
 * plus 12 per kept event) and not with the size of the file.
 *
 * Only the first event of each kind in an episode is ever measured, so when a later event of the
 * same kind falls in an episode that already holds an earlier one, it is dropped ("pruned"). That
 * is only safe while no accommodation or ceasing arrives later that would split the episode
 * between the two; if one does, the child is marked dirty and the loader reads its rows again
 * without pruning. Exports in date order within each child never need that second look.
 */
import { type Day } from '../dates/days.js';
import { Ev, type RouteCode } from '../model.js';
import { Column } from './column.js';
import { type PackedStrings, StringIndex } from './string-index.js';

/** An absent date in an Int32 column. */
export const NO_DAY = -0x80000000;
const OFFSET = 200_000; // day numbers from the year 1422 on stay positive when packed

/** Event key: sorts by date, then event kind (accommodated first, ceased last), then route. */
export const pack = (date: Day, event: number, route: RouteCode) => ((date + OFFSET) * 8 + event) * 8 + route;
export const dateOf = (key: number) => Math.floor(key / 64) - OFFSET;
export const eventOf = (key: number) => Math.floor(key / 8) % 8;
export const routeOf = (key: number) => (key % 8) as RouteCode;
const isBoundary = (event: number) => event === Ev.Accommodated || event === Ev.Ceased;

export type AddResult = 'added' | 'duplicate' | 'pruned';

/**
 * What another thread hands over of its store, packed in flat arrays: one large allocation each,
 * which the system takes back whole once absorbed, where a column's many blocks would linger in
 * that thread's malloc arena.
 */
export interface StoreData {
  ids: PackedStrings;
  familyNames: PackedStrings;
  /** Per child, PACKED_FIELDS. */
  children: Int32Array;
  /** Per child, its kept events in the order they were added: key, line. */
  events: Int32Array;
}
const PACKED_FIELDS = 8; // family, dob, dobLine, dobConflictLine, rows, maxPruned, dirty, events

export class ChildStore {
  private readonly index = new StringIndex();
  private readonly familyIndex = new StringIndex();
  /** A child's id, by child index. */
  id(c: number): string {
    return this.index.value(c);
  }
  /** A family's id; index 0 is "no family id". */
  familyName(f: number): string {
    return this.familyIndex.value(f);
  }
  get families(): number {
    return this.familyIndex.size;
  }

  constructor() {
    this.familyIndex.intern('');
  }

  readonly family = new Column();
  readonly dob = new Column(NO_DAY);
  readonly dobLine = new Column();
  /** Line of a row whose date of birth disagrees with `dobLine`'s, 0 if none. */
  readonly dobConflictLine = new Column();
  /** Accepted rows of each child, so a child-level error can reject them all. */
  readonly rows = new Column();
  readonly maxPruned = new Column(NO_DAY);
  readonly dirty = new Column();
  /** Episodes built for the child (set once the whole child is read). */
  readonly episodes = new Column();
  /** First of the child's kept events, a list linked through evNext. */
  private readonly head = new Column(-1);

  private readonly evKey = new Column();
  private readonly evLine = new Column();
  private readonly evNext = new Column();
  private evCount = 0;
  /** Line of the earlier row that the last `add` found duplicated. */
  duplicateOf = 0;

  get size(): number {
    return this.index.size;
  }

  private lastId = '';
  private lastChild = -1;

  /** The index of a child, added if new. */
  childOf(id: string): number {
    // Exports usually list a child's rows together: skip the hash look-up for a repeat.
    if (id === this.lastId) return this.lastChild;
    const c = this.index.intern(id);
    if (c === this.index.size - 1) {
      for (const col of [this.family, this.dob, this.dobLine, this.dobConflictLine, this.rows, this.maxPruned, this.dirty, this.episodes, this.head]) col.reserve(c);
    }
    this.lastId = id;
    this.lastChild = c;
    return c;
  }

  countRow(c: number): void {
    this.rows.set(c, this.rows.get(c) + 1);
  }

  setFamily(c: number, name: string): void {
    if (this.family.get(c) !== 0 || name === '') return;
    this.family.set(c, this.familyIndex.intern(name));
  }

  setDob(c: number, dob: Day, line: number): void {
    const known = this.dob.get(c);
    if (known === NO_DAY) {
      this.dob.set(c, dob);
      this.dobLine.set(c, line);
    } else if (known !== dob && this.dobConflictLine.get(c) === 0) this.dobConflictLine.set(c, line);
  }

  add(c: number, date: Day, event: number, route: RouteCode, line: number, prune: boolean): AddResult {
    const key = pack(date, event, route);
    const { evKey, evNext } = this;
    const head = this.head.get(c);
    const boundary = isBoundary(event);
    // One walk finds a duplicate, the latest boundary before this event (in key order) and the
    // latest earlier-dated event of the same kind: pruning needs both of the last two.
    let prev = -1;
    let sameKind = -1;
    for (let e = head; e >= 0; e = evNext.get(e)) {
      const k = evKey.get(e);
      if (k === key) {
        this.duplicateOf = this.evLine.get(e);
        return 'duplicate';
      }
      if (k < key) {
        if (k > prev && isBoundary(eventOf(k))) prev = k;
        if (k > sameKind && eventOf(k) === event && dateOf(k) < date) sameKind = k;
      }
    }
    if (boundary) {
      if (date <= this.maxPruned.get(c)) this.dirty.set(c, 1);
    } else if (prune && prev >= 0 && eventOf(prev) === Ev.Accommodated && sameKind > prev) {
      // An earlier event of this kind in the same episode already counts: this one cannot.
      if (date > this.maxPruned.get(c)) this.maxPruned.set(c, date);
      return 'pruned';
    }
    const e = this.evCount++;
    evKey.reserve(e);
    this.evLine.reserve(e);
    evNext.reserve(e);
    evKey.set(e, key);
    this.evLine.set(e, line);
    evNext.set(e, head);
    this.head.set(c, e);
    return 'added';
  }

  /** A child's kept events in key order (date, then kind), with their lines. */
  events(c: number): { keys: number[]; lines: number[] } {
    if (this.released) throw new Error('the events were released');
    const keys: number[] = [];
    const lines: number[] = [];
    for (let e = this.head.get(c); e >= 0; e = this.evNext.get(e)) {
      // The list is newest first; insert in key order (a child has a handful of events).
      const k = this.evKey.get(e);
      const line = this.evLine.get(e);
      let i = keys.length;
      keys.push(k);
      lines.push(line);
      for (; i > 0 && keys[i - 1] > k; i--) {
        keys[i] = keys[i - 1];
        lines[i] = lines[i - 1];
      }
      keys[i] = k;
      lines[i] = line;
    }
    return { keys, lines };
  }

  /** The store as plain data for another thread, and the buffers to transfer with it. */
  toData(): { data: StoreData; transfer: ArrayBuffer[] } {
    const n = this.size;
    const children = new Int32Array(n * PACKED_FIELDS);
    const events = new Int32Array(this.evCount * 2);
    let k = 0;
    const order: number[] = [];
    for (let c = 0; c < n; c++) {
      order.length = 0;
      for (let e = this.head.get(c); e >= 0; e = this.evNext.get(e)) order.push(e);
      // The list is newest first: reversed, it is in the order the events were added.
      for (let i = order.length - 1; i >= 0; i--) {
        events[k++] = this.evKey.get(order[i]);
        events[k++] = this.evLine.get(order[i]);
      }
      children.set([this.family.get(c), this.dob.get(c), this.dobLine.get(c), this.dobConflictLine.get(c), this.rows.get(c), this.maxPruned.get(c), this.dirty.get(c), order.length], c * PACKED_FIELDS);
    }
    const ids = this.index.pack();
    const familyNames = this.familyIndex.pack();
    return { data: { ids, familyNames, children, events: events.subarray(0, k) }, transfer: [children.buffer, events.buffer, ids.bytes.buffer as ArrayBuffer, ids.ends.buffer as ArrayBuffer, familyNames.bytes.buffer as ArrayBuffer, familyNames.ends.buffer as ArrayBuffer] };
  }

  /**
   * Files the store of a later part of the same export (read by another thread) after this
   * one's, as if its rows had come next: children new to this store are added in the order the
   * part met them, and each of their kept events is added again, in the order the part added
   * them. An event the part pruned was pruned against that part's events only, so if this store
   * holds an episode boundary that could have split the episode it was pruned from, the child
   * is marked dirty and read again, as for rows out of date order.
   */
  absorb(part: StoreData, onDuplicate: (line: number, firstLine: number, childId: string) => void): void {
    const { children, events } = part;
    let k = 0;
    for (let p = 0; p < part.ids.ends.length; p++) {
      const [family, dob, dobLine, dobConflictLine, rows, partPruned, dirty, count] = children.subarray(p * PACKED_FIELDS, (p + 1) * PACKED_FIELDS);
      const id = StringIndex.unpack(part.ids, p);
      const c = this.childOf(id);
      this.rows.set(c, this.rows.get(c) + rows);
      if (family !== 0) this.setFamily(c, StringIndex.unpack(part.familyNames, family));
      if (dob !== NO_DAY) {
        this.setDob(c, dob, dobLine);
        if (dobConflictLine !== 0 && this.dobConflictLine.get(c) === 0) this.dobConflictLine.set(c, dobConflictLine);
      }
      const end = k + count * 2;
      if (partPruned !== NO_DAY) {
        let firstAccommodated = Infinity;
        for (let i = k; i < end; i += 2) if (eventOf(events[i]) === Ev.Accommodated) firstAccommodated = Math.min(firstAccommodated, dateOf(events[i]));
        if (this.hasBoundaryBetween(c, firstAccommodated, partPruned)) this.dirty.set(c, 1);
      }
      if (dirty) this.dirty.set(c, 1);
      for (; k < end; k += 2) {
        const key = events[k];
        if (this.add(c, dateOf(key), eventOf(key), routeOf(key), events[k + 1], true) === 'duplicate') onDuplicate(events[k + 1], this.duplicateOf, id);
      }
      if (partPruned > this.maxPruned.get(c)) this.maxPruned.set(c, partPruned);
    }
  }

  private hasBoundaryBetween(c: number, from: Day, to: Day): boolean {
    for (let e = this.head.get(c); e >= 0; e = this.evNext.get(e)) {
      const k = this.evKey.get(e);
      if (isBoundary(eventOf(k)) && dateOf(k) >= from && dateOf(k) <= to) return true;
    }
    return false;
  }

  private released = false;

  /** Lets go of every child's events, once their episodes are built: a third of the memory. */
  releaseEvents(): void {
    for (const col of [this.head, this.evKey, this.evLine, this.evNext]) col.clear();
    this.evCount = 0;
    this.released = true;
  }

  /** Forgets a child's events before they are read again. */
  clearEvents(c: number): void {
    this.head.set(c, -1);
    this.maxPruned.set(c, NO_DAY);
    this.dirty.set(c, 0);
  }
}
