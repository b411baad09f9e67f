/**
 * What we keep of every child while the export streams past, in typed arrays rather than an
 * object per child: 28 bytes per child side by side (8 once its episodes are built), its id once
 * as bytes (see string-index.ts), and 12 bytes per accepted event.
 *
 * Every accepted event is kept, whatever order the rows come in: a day, kind and route packed in
 * one Int32 key, its line, and a link to the child's previous event (events of all children
 * share the three columns, in blocks, so adding one never copies). Nothing is decided while
 * reading: duplicates, conflicts and episodes are worked out once the whole export is read, on
 * each child's events sorted by key then line (`sortedEvents`), so every finding and figure is a
 * function of the set of rows and not of their order, nor of where a two-thread read cut them.
 */
import { type Day } from '../dates/days.js';
import { type RouteCode } from '../model.js';
import { Column, Records } from './column.js';
import { type PackedBytes, type PackedStrings, StringIndex, word } from './string-index.js';

/** An absent date in an Int32 column. */
export const NO_DAY = -0x80000000;
const OFFSET = 200_000; // day numbers from the year 1422 on stay positive when packed

/** The fields of a child's record, and their values before anything is known. */
const FAMILY = 0;
const DOB = 1;
const DOB_LINE = 2;
const ROWS = 3;
/** The child's latest event, a list linked through `prev` back to its first. */
const LAST = 4;
/**
 * How many bytes the family id has, and the bytes themselves when they are 8 or fewer (packed
 * four to a field by `word`), else where they are kept: a row's family is checked against them,
 * and on a shuffled export reading them from the family index would be one more cache miss a row.
 */
const FAMILY_BYTES = 5;
const FAMILY_HEAD = 6;
const FAMILY_TAIL = 7;
/** Family ids of at most this many bytes are held in the child's record itself. */
const INLINE = 8;
const KID = [0, NO_DAY, 0, 0, -1, 0, 0, 0];

/** Event key: sorts by date, then event kind (accommodated first, ceased last), then route. */
const pack = (date: Day, event: number, route: RouteCode) => ((date + OFFSET) * 8 + event) * 8 + route;
export const dateOf = (key: number) => Math.floor(key / 64) - OFFSET;
export const eventOf = (key: number) => Math.floor(key / 8) % 8;
export const routeOf = (key: number) => (key % 8) as RouteCode;

/**
 * What another thread hands over of its store: each column's blocks (see `Column.take`) and the
 * packed ids, moved rather than copied, so that nothing is held twice at the end of a read.
 */
export interface StoreData {
  ids: PackedStrings;
  familyNames: PackedStrings;
  /** The blocks of the per-child columns. */
  /** The blocks of the per-child records (see `KID`). */
  children: Int32Array[];
  /** Children whose rows disagree on the date of birth, and the line that disagreed, in pairs. */
  dobConflicts: Int32Array;
  /** The blocks of the event columns: key, line, and the child's previous event. */
  events: { keys: Int32Array[]; lines: Int32Array[]; prev: Int32Array[] };
}

/** What a thread of a shared read hands over of its children (see `ChildStore.toSide`). */
export interface SideData {
  ids: PackedBytes;
  familyNames: PackedStrings;
  family: Int32Array;
  dob: Int32Array;
  episodes: Int32Array;
}

/** Events in three columns; each child's are a list from its latest back through `prev`. */
interface EventColumns {
  key: Column;
  line: Column;
  prev: Column;
}

/** A child's events sorted by key, then line; valid until the next call that fills it. */
export interface SortedEvents {
  count: number;
  keys: Int32Array;
  lines: Int32Array;
}

export class ChildStore {
  private index = new StringIndex();
  private familyIndex = new StringIndex();
  /** A child's id, by child index. */
  id(c: number): string {
    return this.index.value(c);
  }
  /** The children's ids as bytes, by child index (for writing them without decoding: report/json-bytes.ts). */
  get ids(): StringIndex {
    return this.index;
  }
  /** The family ids as bytes, by family index (index 0: "", no family id). */
  get familyIds(): StringIndex {
    return this.familyIndex;
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

  // Per child: eight Int32s side by side (see KID), so that a million children cost 32 MB here
  // while reading and a row of a shuffled export touches one place for its child, not eight.
  private readonly kid = new Records(KID);
  /** Once the events are let go of, a child's family and date of birth alone, in columns. */
  private kept: { family: Column; dob: Column } | undefined;
  readonly family = {
    get: (c: number): number => (this.kept ? this.kept.family.get(c) : this.kid.get(c, FAMILY)),
  };
  readonly dob = { get: (c: number): number => (this.kept ? this.kept.dob.get(c) : this.kid.get(c, DOB)) };
  readonly dobLine = this.kid.field(DOB_LINE);
  /** Accepted rows of each child, so a child-level error can reject them all. */
  readonly rows = this.kid.field(ROWS);
  /** Line of a row whose date of birth disagrees with `dobLine`'s, by child: rare, so a map. */
  private readonly dobConflicts = new Map<number, number>();
  /** Episodes built for the child (set once the whole child is read). */
  episodes = new Column();
  private readonly ev: EventColumns = { key: new Column(), line: new Column(), prev: new Column() };
  private evCount = 0;
  /** The events of the part of the export another thread read, and each child's latest there. */
  private part: EventColumns | undefined;
  private readonly partLast = new Column(-1);

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
    if (c === this.index.size - 1) this.reserve(c);
    this.lastId = id;
    this.lastChild = c;
    return c;
  }

  /** The index of the child whose id is the ASCII bytes [from, from + n), added if new. */
  childOfAscii(buf: Uint8Array, from: number, n: number): number {
    const c = this.index.internAscii(buf, from, n);
    if (c === this.index.size - 1) this.reserve(c);
    return c;
  }

  private reserve(c: number): void {
    this.kid.reserve(c);
  }

  /** Every child's index, in the code-unit order of their ids (the order of `<`). */
  byId(): Int32Array {
    const order = this.index.order();
    if (order) return order;
    const ids = Array.from({ length: this.size }, (_, c) => this.id(c));
    return Int32Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  }

  /** Every family's index (0, no family id, first), in the code-unit order of their ids. */
  familiesByName(): Int32Array {
    const order = this.familyIndex.order();
    if (order) return order;
    const names = Array.from({ length: this.families }, (_, f) => this.familyName(f));
    return Int32Array.from(names.keys()).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  }

  /** The index of a child, or -1 if it has none (while reading only: see releaseEvents). */
  indexOf(id: string): number {
    return this.index.get(id);
  }

  /**
   * Lets go of the children's hash table once every row is read and matched: building the
   * episodes, when the most is held, reads children by index alone.
   */
  forgetIds(): void {
    this.index.dropTable();
  }

  /** How two family ids of a child are ordered to choose one (see setFamily and FamilyOrder). */
  familyBefore = (a: string, b: string): boolean => a < b;

  countRow(c: number): void {
    this.kid.set(c, ROWS, this.kid.get(c, ROWS) + 1);
  }

  /**
   * When a child's rows disagree on the family id, the smallest id (in code-unit order, or in
   * `familyBefore`'s) is kept, so that the choice does not depend on the order of the rows.
   */
  setFamily(c: number, name: string): void {
    if (name === '') return;
    const known = this.kid.get(c, FAMILY);
    if (known !== 0 && this.familyIndex.equals(known, name)) return;
    this.setFamilyIndex(c, this.familyIndex.intern(name));
  }

  /** setFamily for a family id that is the ASCII bytes [from, from + n), n > 0. */
  setFamilyAscii(c: number, buf: Uint8Array, from: number, n: number): void {
    // The bytes' place is in the child's record: checking reads them, not the family's index too.
    const kid = this.kid;
    const head = word(buf, from, n);
    const tail = word(buf, from + 4, n - 4);
    if (
      kid.get(c, FAMILY) !== 0 &&
      kid.get(c, FAMILY_BYTES) === n &&
      (n <= INLINE
        ? kid.get(c, FAMILY_HEAD) === head && kid.get(c, FAMILY_TAIL) === tail
        : this.familyIndex.bytesAt(kid.get(c, FAMILY_HEAD), buf, from, n))
    )
      return;
    // Its length and words come from the row, not from the family's kept bytes (anywhere in memory).
    this.setFamilyOf(c, this.familyIndex.internAscii(buf, from, n), n, head, tail);
  }

  private setFamilyIndex(c: number, f: number): void {
    const names = this.familyIndex;
    this.setFamilyOf(c, f, names.byteLength(f), names.word(f, 0), names.word(f, 1));
  }

  /**
   * Sets family f, of n bytes whose first two words are head and tail, if it comes first: a short
   * id keeps its words, a longer one where its bytes are.
   */
  private setFamilyOf(c: number, f: number, n: number, head: number, tail: number): void {
    const known = this.kid.get(c, FAMILY);
    if (f !== known && (known === 0 || this.familyBefore(this.familyName(f), this.familyName(known)))) {
      const short = n <= INLINE;
      this.kid.set(c, FAMILY, f);
      this.kid.set(c, FAMILY_BYTES, n);
      this.kid.set(c, FAMILY_HEAD, short ? head : this.familyIndex.location(f));
      this.kid.set(c, FAMILY_TAIL, short ? tail : 0);
    }
  }

  setDob(c: number, dob: Day, line: number): void {
    const known = this.kid.get(c, DOB);
    if (known === NO_DAY) {
      this.kid.set(c, DOB, dob);
      this.kid.set(c, DOB_LINE, line);
    } else if (known !== dob && !this.dobConflicts.has(c)) this.dobConflicts.set(c, line);
  }

  /** The line of the first row whose date of birth disagrees with `dobLine`'s, 0 if none. */
  dobConflictLine(c: number): number {
    return this.dobConflicts.get(c) ?? 0;
  }

  /** Keeps one accepted event of child `c`; nothing is judged until the whole export is read. */
  add(c: number, date: Day, event: number, route: RouteCode, line: number): void {
    const e = this.evCount++;
    const { key, line: lines, prev } = this.ev;
    key.reserve(e);
    lines.reserve(e);
    prev.reserve(e);
    key.set(e, pack(date, event, route));
    lines.set(e, line);
    prev.set(e, this.kid.get(c, LAST));
    this.kid.set(c, LAST, e);
  }

  /** How many events child `c` has kept, repeats included. */
  eventCount(c: number): number {
    return this.sortedEvents(c).count;
  }

  /** Sets how many episodes child `c` has, once built. */
  setEpisodes(c: number, n: number): void {
    this.episodes.reserve(c);
    this.episodes.set(c, n);
  }

  private sorted: SortedEvents = { count: 0, keys: new Int32Array(64), lines: new Int32Array(64) };

  /**
   * Child `c`'s events sorted by key (date, kind, route), then line, in arrays reused from call
   * to call: repeats of one event end up next to each other, the earliest line first.
   */
  sortedEvents(c: number): SortedEvents {
    if (this.released) throw new Error('the events were released');
    // Lists run newest first: the absorbed part's, then this part's, then all reversed, so that
    // the arrays are in the order added, which the insertion sort likes best.
    let n = 0;
    if (this.part) n = this.fill(this.part, this.partLast.get(c), n);
    n = this.fill(this.ev, this.kid.get(c, LAST), n);
    const { keys, lines } = this.sorted;
    for (let a = 0, b = n - 1; a < b; a++, b--) {
      const k = keys[a];
      keys[a] = keys[b];
      keys[b] = k;
      const l = lines[a];
      lines[a] = lines[b];
      lines[b] = l;
    }
    if (n <= 32) insertionSort(keys, lines, n);
    else indexSort(keys, lines, n);
    this.sorted.count = n;
    return this.sorted;
  }

  /** Appends a list of events to the sorted arrays from `at`, newest first; returns the new end. */
  private fill(ev: EventColumns, last: number, at: number): number {
    let { keys, lines } = this.sorted;
    let i = at;
    for (let e = last; e >= 0; e = ev.prev.get(e)) {
      if (i === keys.length) {
        const grown = { count: 0, keys: new Int32Array(i * 2), lines: new Int32Array(i * 2) };
        grown.keys.set(keys);
        grown.lines.set(lines);
        this.sorted = grown;
        ({ keys, lines } = grown);
      }
      keys[i] = ev.key.get(e);
      lines[i++] = ev.line.get(e);
    }
    return i;
  }

  /** A child's distinct events in key order, each with its first line (for `pace-audit child`). */
  events(c: number): { keys: number[]; lines: number[] } {
    const { count, keys, lines } = this.sortedEvents(c);
    const out: { keys: number[]; lines: number[] } = { keys: [], lines: [] };
    for (let i = 0; i < count; i++) {
      if (i > 0 && keys[i] === keys[i - 1]) continue;
      out.keys.push(keys[i]);
      out.lines.push(lines[i]);
    }
    return out;
  }

  /** The store as plain data for another thread, and the buffers to transfer with it. */
  toData(): { data: StoreData; transfer: ArrayBuffer[] } {
    if (this.part) throw new Error('a store that absorbed another cannot be handed over');
    const ids = this.index.pack();
    const familyNames = this.familyIndex.pack();
    const children = this.kid.take();
    // Handed over whole: nothing of the children stays here.
    this.kept = { family: new Column(), dob: new Column(NO_DAY) };
    const dobConflicts = Int32Array.from([...this.dobConflicts].flat());
    const events = { keys: this.ev.key.take(), lines: this.ev.line.take(), prev: this.ev.prev.take() };
    this.releaseEvents();
    const transfer = [
      ids.bytes,
      ids.ends,
      ids.hashes,
      familyNames.bytes,
      familyNames.ends,
      familyNames.hashes,
      dobConflicts,
      ...children,
      ...events.keys,
      ...events.lines,
      ...events.prev,
    ].map((a) => a.buffer as ArrayBuffer);
    return { data: { ids, familyNames, children, dobConflicts, events }, transfer };
  }

  /**
   * Files the store of a later part of the same export (read by another thread) after this
   * one's, as if its rows had come next: children new to this store are added in the order the
   * part met them. The part's events stay in the columns it handed over; each child's list there
   * is linked to the child here. Since nothing was judged while reading, that is all a join needs.
   * No child is looked up by id afterwards: ids new here are kept but not entered in the index.
   */
  absorb(data: StoreData): void {
    if (this.part) throw new Error('a store absorbs one part only');
    this.part = {
      key: Column.of(data.events.keys),
      line: Column.of(data.events.lines),
      prev: Column.of(data.events.prev),
    };
    const kid = Records.of(KID, data.children);
    const conflicts = new Map<number, number>();
    for (let k = 0; k < data.dobConflicts.length; k += 2) conflicts.set(data.dobConflicts[k], data.dobConflicts[k + 1]);
    // Ids are matched as bytes with the part's own hashes: nothing decoded, nothing hashed again.
    // The part's ids are distinct, so one new here is appended without entering the hash table.
    const familyOf = this.familiesFrom(data.familyNames);
    const n = data.ids.ends.length;
    for (let p = 0; p < n; p++) {
      let c = this.index.findPacked(data.ids, p);
      if (c < 0) {
        c = this.index.appendPacked(data.ids, p);
        this.reserve(c);
      }
      this.kid.set(c, ROWS, this.kid.get(c, ROWS) + kid.get(p, ROWS));
      const f = kid.get(p, FAMILY);
      if (f !== 0) this.setFamilyIndex(c, familyOf(f));
      const d = kid.get(p, DOB);
      if (d !== NO_DAY) {
        this.setDob(c, d, kid.get(p, DOB_LINE));
        const conflict = conflicts.get(p);
        if (conflict !== undefined && !this.dobConflicts.has(c)) this.dobConflicts.set(c, conflict);
      }
      this.partLast.reserve(c);
      this.partLast.set(c, kid.get(p, LAST));
    }
    if (this.size > 0) this.partLast.reserve(this.size - 1);
  }

  /** The family names, packed with their hashes, for another thread to look up (`findFamily`). */
  packFamilies(): PackedStrings {
    return this.familyIndex.pack();
  }

  /** The index here of family `f` of another thread's `packFamilies`, or -1 if none here has it. */
  findFamily(names: PackedStrings, f: number): number {
    return this.familyIndex.findPacked(names, f);
  }

  /**
   * Another thread's family f (in its packed names) as a family of this store, each matched once
   * as bytes with the other's hashes, and appended if new (the other's names are distinct).
   */
  private familiesFrom(names: PackedStrings): (f: number) => number {
    const mapped = new Int32Array(names.ends.length).fill(-1);
    return (f) => {
      if (mapped[f] < 0) {
        const known = this.findFamily(names, f);
        mapped[f] = known >= 0 ? known : this.familyIndex.appendPacked(names, f);
      }
      return mapped[f];
    };
  }

  /**
   * What a thread of a shared read hands over once it has built its children's episodes (see
   * intake/shared.ts): their ids and family names packed, and per child its family, date of birth
   * and episode count (the ids without their hashes: they are appended, never looked up). Its
   * events are let go of.
   */
  toSide(): { data: SideData; transfer: ArrayBuffer[] } {
    const ids = this.index.packBytes();
    const familyNames = this.familyIndex.pack();
    const n = this.size;
    const family = new Int32Array(n);
    const dob = new Int32Array(n);
    const episodes = new Int32Array(n);
    if (n > 0) this.episodes.reserve(n - 1);
    for (let c = 0; c < n; c++) {
      family[c] = this.kid.get(c, FAMILY);
      dob[c] = this.kid.get(c, DOB);
      episodes[c] = this.episodes.get(c);
    }
    this.releaseEvents();
    const transfer = [ids.bytes, ids.ends, familyNames.bytes, familyNames.ends, familyNames.hashes];
    return {
      data: { ids, familyNames, family, dob, episodes },
      transfer: [...transfer, family, dob, episodes].map((a) => a.buffer as ArrayBuffer),
    };
  }

  /**
   * Adds the children another thread of a shared read took, none of whom is here (each thread
   * takes the children of its side), after this store's: returns the index the first gets. In an
   * export listed by child id, each thread met its children in id order: `byId` then merges the
   * two runs rather than sorting every id.
   * Family names are matched as bytes with their hashes, as in `absorb`.
   */
  mergeSide(data: SideData): number {
    const kept = this.kept;
    if (!kept) throw new Error('release the events before merging');
    const offset = this.size;
    const familyOf = this.familiesFrom(data.familyNames);
    for (let p = 0; p < data.family.length; p++) {
      const c = this.index.appendPacked(data.ids, p);
      kept.family.reserve(c);
      kept.dob.reserve(c);
      const f = data.family[p];
      if (f !== 0) kept.family.set(c, familyOf(f));
      kept.dob.set(c, data.dob[p]);
      this.setEpisodes(c, data.episodes[p]);
    }
    this.familyIndex.dropTable();
    return offset;
  }

  /**
   * Numbers the children in the order of their ids (the order reports list them in), once their
   * events are let go of, and returns each child's new number by its old one; undefined when they
   * are in that order already. On a shuffled export every pass in id order (measuring, writing)
   * otherwise reads each child's episode, id, family and date of birth from anywhere. Families are
   * numbered again too, in the order their first child comes in (see `familyOrder`).
   */
  renumberById(): Int32Array | undefined {
    const kept = this.kept;
    if (!kept) throw new Error('let go of the events before renumbering');
    const order = this.byId();
    const n = order.length;
    let same = true;
    for (let k = 0; k < n && same; k++) same = order[k] === k;
    if (same) return undefined;
    const rank = new Int32Array(n);
    for (let k = 0; k < n; k++) rank[order[k]] = k;
    this.index = this.index.permuted(order);
    const families = this.familyOrder(order, kept.family);
    const family = Column.sized(n);
    const dob = Column.sized(n, NO_DAY);
    const episodes = Column.sized(n);
    if (n > 0) this.episodes.reserve(n - 1);
    for (let k = 0; k < n; k++) {
      const c = order[k];
      family.set(k, families ? families[kept.family.get(c)] : kept.family.get(c));
      dob.set(k, kept.dob.get(c));
      episodes.set(k, this.episodes.get(c));
    }
    this.kept = { family, dob };
    this.episodes = episodes;
    this.lastId = '';
    this.lastChild = -1;
    return rank;
  }

  /**
   * Numbers the families in the order their first child comes in `order` (0, no family id, stays
   * 0; a family no child kept comes last) and keeps their names in that order: returns each
   * family's new number by its old one, or undefined when they are in that order already. Family
   * ids usually follow child ids, so the names are then in order too (familiesByName finds one
   * run rather than sorting them), and a report in child order reads each child's family name
   * from next to the last child's, not from anywhere (the order a shuffled export met them in).
   */
  private familyOrder(order: Int32Array, family: Column): Int32Array | undefined {
    const count = this.familyIndex.size;
    const rank = new Int32Array(count).fill(-1);
    const byRank = new Int32Array(count);
    rank[0] = 0;
    let next = 1;
    for (let k = 0; k < order.length; k++) {
      const f = family.get(order[k]);
      if (rank[f] < 0) {
        rank[f] = next;
        byRank[next++] = f;
      }
    }
    for (let f = 1; f < count; f++)
      if (rank[f] < 0) {
        rank[f] = next;
        byRank[next++] = f;
      }
    let same = true;
    for (let f = 0; f < count && same; f++) same = rank[f] === f;
    if (same) return undefined;
    this.familyIndex = this.familyIndex.permuted(byRank);
    return rank;
  }

  private released = false;

  /**
   * Lets go of every child's events, once their episodes are built (most of the memory), with
   * what only building them needed: the rows and dob lines, and the hash tables of the ids.
   * `keepFamilies` keeps the family names' table, for `mergeSide`.
   */
  releaseEvents(keepFamilies = false): void {
    // Of the children's records, their family and date of birth stay: they are reported.
    if (!this.kept) {
      const n = this.size;
      const kept = { family: Column.sized(n), dob: Column.sized(n, NO_DAY) };
      for (let c = 0; c < n; c++) {
        kept.family.set(c, this.kid.get(c, FAMILY));
        kept.dob.set(c, this.kid.get(c, DOB));
      }
      this.kid.clear();
      this.kept = kept;
    }
    for (const col of [this.partLast, this.ev.key, this.ev.line, this.ev.prev]) col.clear();
    this.dobConflicts.clear();
    this.index.dropTable();
    // A shared read still matches the other thread's family names against these (mergeSide).
    if (!keepFamilies) this.familyIndex.dropTable();
    this.part = undefined;
    this.evCount = 0;
    this.released = true;
  }
}

const before = (k1: number, l1: number, k2: number, l2: number) => k1 < k2 || (k1 === k2 && l1 < l2);

/** Most children have a handful of events. */
function insertionSort(keys: Int32Array, lines: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const k = keys[i];
    const l = lines[i];
    let j = i;
    for (; j > 0 && before(k, l, keys[j - 1], lines[j - 1]); j--) {
      keys[j] = keys[j - 1];
      lines[j] = lines[j - 1];
    }
    keys[j] = k;
    lines[j] = l;
  }
}

/** A child with many events (a long history, or a file of repeats): O(n log n). */
function indexSort(keys: Int32Array, lines: Int32Array, n: number): void {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => keys[a] - keys[b] || lines[a] - lines[b]);
  const k = keys.slice(0, n);
  const l = lines.slice(0, n);
  for (let i = 0; i < n; i++) {
    keys[i] = k[order[i]];
    lines[i] = l[order[i]];
  }
}
