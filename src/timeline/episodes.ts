/**
 * A child's events -> episodes of accommodation (README "Counting rules" 2), plus the checks that need
 * the whole child: conflicting decisions, a second accommodation while one is open, events
 * outside any episode, decisions before accommodation, implausible ages. Episodes are kept in
 * rows of Int32s; `EpisodeTable.get` hands out a plain object for the measures.
 */
import { ageOn, type Day } from '../dates/days.js';
import { Ev, EVENT_LABELS, EVENTS, type RouteCode } from '../model.js';
import { type Findings } from '../validate/findings.js';
import { type ChildStore, dateOf, eventOf, NO_DAY, routeOf } from './store.js';

export interface Episode {
  childId: string;
  familyId: string;
  /** Index of the child in the store. */
  childIndex: number;
  /** Index into the store's family names; 0 for none. */
  familyIndex: number;
  /** How many episodes the child has in all (as of the audit date): more than one is a re-entry. */
  episodes: number;
  dob: Day;
  /** Counts from 1 for each child. */
  n: number;
  start: Day;
  startLine: number;
  /** Date the episode ceased, NaN while still accommodated. */
  end: Day;
  /** First date of each event kind in the episode, indexed by Ev; NaN when none. */
  first: ArrayLike<Day>;
  route: RouteCode;
}

const fromColumn = (v: number) => (v === NO_DAY ? NaN : v);

/** An episode's fields, side by side in one row of eight Int32s (32 bytes). */
const CHILD = 0;
/** n * 8 + route. */
const N_ROUTE = 1;
const START_LINE = 2;
/** The accommodated date; the first date of every other kind is a Uint16 from here on. */
const START = 3;
/** Where the Uint16s start, in Uint16s from the row's start. */
const FIRST16 = 2 * 4;
const FIELDS = 8;
const SHIFT = 12;
const PER_BLOCK = 1 << SHIFT;
/** A first date as a Uint16: 0 none, else days after the start + 1; OVER: kept in a map. */
const OVER = 0xffff;

/**
 * Episodes in rows of FIELDS Int32s, in blocks: reports read them in child-id order, which on a
 * shuffled export is at random, and one row is one cache line where a column per field cost a
 * cache miss per field. Every event of an episode is on or after its start, so the first date of
 * each kind is kept as days after it in 16 bits (180 years; a longer gap, only in a file of
 * mistyped years, goes to a map): 32 bytes an episode, not 48.
 */
const EMPTY = new Int32Array(0);

/** An EpisodeTable as plain data: its blocks of rows, and the first dates kept apart, in pairs. */
export interface EpisodeData {
  blocks: Int32Array[];
  length: number;
  far: Float64Array;
}

export class EpisodeTable {
  private readonly blocks: Int32Array[] = [];
  private readonly halves: Uint16Array[] = [];
  /** First dates too far from their start for 16 bits, by episode * 8 + kind. */
  private readonly far = new Map<number, Day>();
  length = 0;

  constructor(readonly store: ChildStore) {}

  private row(i: number): Int32Array {
    return this.blocks[i >>> SHIFT];
  }

  /** A block of rows more, with its view as Uint16s (the first dates). */
  private addBlock(): void {
    const block = new Int32Array(PER_BLOCK * FIELDS);
    this.blocks.push(block);
    this.halves.push(new Uint16Array(block.buffer));
  }

  open(child: number, n: number, start: Day, line: number): number {
    const i = this.length++;
    if ((i & (PER_BLOCK - 1)) === 0) this.addBlock();
    const b = this.row(i);
    const o = (i & (PER_BLOCK - 1)) * FIELDS;
    b[o + CHILD] = child;
    b[o + N_ROUTE] = n * 8;
    b[o + START_LINE] = line;
    b[o + START] = start;
    return i;
  }

  private field(i: number, f: number): number {
    return this.row(i)[(i & (PER_BLOCK - 1)) * FIELDS + f];
  }

  childOf = (i: number): number => this.field(i, CHILD);
  nOf = (i: number): number => this.field(i, N_ROUTE) >>> 3;
  start = (i: number): Day => this.field(i, START);
  dob = (i: number): Day => fromColumn(this.store.dob.get(this.childOf(i)));
  childId = (i: number): string => this.store.id(this.childOf(i));

  firstOf(i: number, ev: number): Day {
    const start = this.start(i);
    if (ev === Ev.Accommodated) return start;
    const v = this.halves[i >>> SHIFT][(i & (PER_BLOCK - 1)) * FIELDS * 2 + FIRST16 + ev - 1];
    return v === 0 ? NaN : v === OVER ? this.far.get(i * 8 + ev)! : start + v - 1;
  }

  setFirst(i: number, ev: number, date: Day, route: RouteCode): void {
    if (ev === Ev.Accommodated) return; // the start, set by open
    const h = this.halves[i >>> SHIFT];
    const at = (i & (PER_BLOCK - 1)) * FIELDS * 2 + FIRST16 + ev - 1;
    if (h[at] !== 0) return;
    const days = date - this.start(i);
    if (days >= 0 && days + 1 < OVER) h[at] = days + 1;
    else {
      h[at] = OVER;
      this.far.set(i * 8 + ev, date);
    }
    if (ev === Ev.Decision) this.row(i)[(i & (PER_BLOCK - 1)) * FIELDS + N_ROUTE] |= route;
  }

  /** The table as plain data for another thread (see intake/shared.ts), and its buffers. */
  toData(): { data: EpisodeData; transfer: ArrayBuffer[] } {
    const far = Float64Array.from([...this.far].flat());
    return {
      data: { blocks: [...this.blocks], length: this.length, far },
      transfer: [...this.blocks.map((b) => b.buffer as ArrayBuffer), far.buffer],
    };
  }

  /** Adds another thread's episodes after these, their children's indexes moved by `childOffset`. */
  append(data: EpisodeData, childOffset: number): void {
    const base = this.length;
    for (let i = 0; i < data.length; i++) {
      const from = data.blocks[i >>> SHIFT];
      const o = (i & (PER_BLOCK - 1)) * FIELDS;
      const j = this.open(from[o + CHILD] + childOffset, 0, 0, 0);
      const to = this.row(j);
      const q = (j & (PER_BLOCK - 1)) * FIELDS;
      for (let k = 1; k < FIELDS; k++) to[q + k] = from[o + k];
      // Each block let go of once copied: never both tables whole at once.
      if (((i + 1) & (PER_BLOCK - 1)) === 0) data.blocks[i >>> SHIFT] = EMPTY;
    }
    data.blocks.length = 0;
    for (let k = 0; k < data.far.length; k += 2) {
      const key = data.far[k];
      this.far.set((Math.floor(key / 8) + base) * 8 + (key % 8), data.far[k + 1]);
    }
  }

  /**
   * Puts the rows in the order of the children's new numbers (`ChildStore.renumberById`), each
   * child's episodes still together and in order. Each block of the old rows is let go of once read.
   */
  renumber(rank: Int32Array): void {
    const n = this.length;
    const next = new Int32Array(rank.length + 1);
    for (let i = 0; i < n; i++) next[rank[this.childOf(i)] + 1]++;
    for (let c = 1; c <= rank.length; c++) next[c] += next[c - 1];
    const old = this.blocks.splice(0);
    this.halves.length = 0;
    for (let i = 0; i < n; i += PER_BLOCK) this.addBlock();
    const moved = this.far.size > 0 ? new Int32Array(n) : undefined;
    for (let i = 0; i < n; i++) {
      const from = old[i >>> SHIFT];
      const o = (i & (PER_BLOCK - 1)) * FIELDS;
      const c = rank[from[o + CHILD]];
      const j = next[c]++;
      const to = this.row(j);
      const q = (j & (PER_BLOCK - 1)) * FIELDS;
      for (let k = 1; k < FIELDS; k++) to[q + k] = from[o + k];
      to[q + CHILD] = c;
      if (moved) moved[i] = j;
      if (((i + 1) & (PER_BLOCK - 1)) === 0) old[i >>> SHIFT] = EMPTY;
    }
    if (moved) {
      const far = [...this.far];
      this.far.clear();
      for (const [key, day] of far) this.far.set(moved[Math.floor(key / 8)] * 8 + (key % 8), day);
    }
  }

  get(i: number): Episode {
    const b = this.row(i);
    const o = (i & (PER_BLOCK - 1)) * FIELDS;
    const c = b[o + CHILD];
    // A class below, not a literal: see measures/stages.ts `Stage` for why. `first` is an array
    // literal of doubles: allocating a Float64Array per episode cost more than all the measuring.
    const first = [
      b[o + START],
      this.firstOf(i, 1),
      this.firstOf(i, 2),
      this.firstOf(i, 3),
      this.firstOf(i, 4),
      this.firstOf(i, 5),
      this.firstOf(i, 6),
      this.firstOf(i, 7),
    ];
    const store = this.store;
    const family = store.family.get(c);
    return new EpisodeRecord(
      store,
      c,
      family,
      store.episodes.get(c),
      fromColumn(store.dob.get(c)),
      b[o + N_ROUTE] >>> 3,
      b[o + START_LINE],
      first,
      (b[o + N_ROUTE] & 7) as RouteCode,
    );
  }
}

class EpisodeRecord implements Episode {
  readonly start: Day;
  readonly end: Day;
  constructor(
    private readonly store: ChildStore,
    readonly childIndex: number,
    readonly familyIndex: number,
    readonly episodes: number,
    readonly dob: Day,
    readonly n: number,
    readonly startLine: number,
    readonly first: readonly number[],
    readonly route: RouteCode,
  ) {
    this.start = first[Ev.Accommodated];
    this.end = first[Ev.Ceased];
  }

  // Decoded only when asked for: the summary of a million episodes never needs them.
  get childId(): string {
    return this.store.id(this.childIndex);
  }
  get familyId(): string {
    return this.store.familyName(this.familyIndex);
  }
}

/** What building the episodes changes in the row accounting. */
export interface EpisodeTally {
  /** Rows rejected by a check on the whole child. */
  rejected: number;
  /** Repeats of an event already kept: counted once. */
  duplicates: number;
  /**
   * When given, children by the set of event kinds they hold, as a bit mask of Ev (256 entries;
   * see validate/event-kinds.ts).
   */
  kinds?: Int32Array;
}

const duplicateMessage = (firstLine: number) => `repeats line ${firstLine}; counted once`;

/**
 * Opens child c's episode n on `date` (its accommodated row at `line`), with the warning an age
 * of 18 or over gets. A function of its own, not a closure in buildEpisodes: one made per child
 * would put that loop's counters in a heap context.
 */
function openEpisode(
  table: EpisodeTable,
  findings: Findings,
  c: number,
  childId: string,
  dob: Day,
  n: number,
  date: Day,
  line: number,
): number {
  const open = table.open(c, n, date, line);
  if (ageOn(dob, date) >= 18)
    findings.add(
      'AGE_OVER_18',
      line,
      'date_of_birth',
      childId,
      'date of birth makes the child 18 or over at accommodation',
    );
  return open;
}

/** Whether the events from `from` on that fall on `date` include a ceasing (it sorts last of its day). */
function ceasesOn(keys: Int32Array, from: number, n: number, date: Day): boolean {
  let last = -1;
  for (let k = from; k < n && dateOf(keys[k]) === date; k++) last = k;
  return last >= 0 && eventOf(keys[last]) === Ev.Ceased;
}

/**
 * Builds child `c`'s episodes into `table` from all its events, sorted, so that what it finds
 * does not depend on the order of the rows: repeats of an event, two decisions on one date
 * naming different routes, then the episodes themselves. Adds to `tally`.
 */
export function buildEpisodes(
  store: ChildStore,
  c: number,
  findings: Findings,
  table: EpisodeTable,
  tally: EpisodeTally,
): void {
  const childId = store.id(c);
  const conflictLine = store.dobConflictLine(c);
  if (conflictLine) {
    // Every row of the child is rejected, repeats included: none is a duplicate of an accepted row.
    const rows = store.rows.get(c);
    const dobLine = store.dobLine.get(c);
    findings.add(
      'CONFLICTING_DOB',
      conflictLine,
      'date_of_birth',
      childId,
      `date of birth differs from line ${dobLine}; all ${rows} rows of this child are rejected`,
      [dobLine, conflictLine],
    );
    tally.rejected += rows;
    return;
  }
  const sorted = store.sortedEvents(c);
  const { keys, lines } = sorted;

  // Repeats sort next to the event they repeat, after it (same key, later line): keep the first.
  let n = 0;
  for (let i = 0; i < sorted.count; i++) {
    if (n > 0 && keys[i] === keys[n - 1]) {
      tally.duplicates++;
      findings.add('DUPLICATE_ROW', lines[i], null, childId, duplicateMessage(lines[n - 1]));
      continue;
    }
    keys[n] = keys[i];
    lines[n++] = lines[i];
  }

  // Two decisions on one day naming different routes: we cannot know which is right.
  let conflicted: Set<number> | undefined;
  for (let i = 1; i < n; i++) {
    if (
      eventOf(keys[i]) === Ev.Decision &&
      eventOf(keys[i - 1]) === Ev.Decision &&
      dateOf(keys[i]) === dateOf(keys[i - 1])
    )
      (conflicted ??= new Set()).add(i - 1).add(i);
  }
  if (conflicted)
    for (const i of conflicted)
      findings.add(
        'CONFLICTING_EVENT',
        lines[i],
        'route',
        childId,
        'another permanence decision on the same date names a different route; both rows are rejected',
        [...conflicted].filter((j) => dateOf(keys[j]) === dateOf(keys[i])).map((j) => lines[j]),
      );

  const dob = store.dob.get(c);
  let open = -1;
  let openLine = 0;
  let episodes = 0;
  let seen = 0;
  // One warning per episode: the first later stage with no decision before it.
  let stageWarned = -1;
  // An accommodated row on the day the open episode ceases: it opens the next episode once that
  // one is closed (README "Counting rules" 2: the day's other events belong to the ceasing one).
  let reopen = -1;
  for (let i = 0; i < n; i++) {
    if (conflicted?.has(i)) continue;
    const date = dateOf(keys[i]);
    const event = eventOf(keys[i]);
    seen |= 1 << event;
    if (event === Ev.Accommodated) {
      if (open >= 0) {
        if (ceasesOn(keys, i + 1, n, date)) {
          reopen = i;
          continue;
        }
        findings.add(
          'SECOND_ACCOMMODATED',
          lines[i],
          'event',
          childId,
          `accommodated again while the episode from line ${openLine} is open; the clock is not restarted`,
        );
        continue;
      }
      open = openEpisode(table, findings, c, childId, dob, ++episodes, date, (openLine = lines[i]));
    } else if (open < 0) {
      if (event === Ev.Decision && episodes === 0)
        findings.add(
          'DECISION_BEFORE_ACCOMMODATION',
          lines[i],
          'event_date',
          childId,
          'permanence decision with no accommodation of the child on or before its date; it counts nowhere',
        );
      else
        findings.add(
          'EVENT_OUTSIDE_EPISODE',
          lines[i],
          'event_date',
          childId,
          'event dated outside any episode of accommodation; it counts nowhere',
        );
    } else {
      // A panel, ADM, court application or final order needs a decision first (same-day
      // decisions sort first): without one, the decision is missing or its code unmapped.
      if (
        event >= Ev.Panel &&
        event <= Ev.FinalOrder &&
        stageWarned !== open &&
        Number.isNaN(table.firstOf(open, Ev.Decision))
      ) {
        stageWarned = open;
        findings.add(
          'STAGE_WITHOUT_DECISION',
          lines[i],
          'event',
          childId,
          `${EVENT_LABELS[EVENTS[event]]} with no permanence decision before it in this episode: is the decision missing, rejected, or its code not mapped?`,
        );
      }
      table.setFirst(open, event, date, routeOf(keys[i]));
      if (event === Ev.Ceased) {
        open = -1;
        if (reopen >= 0)
          open = openEpisode(table, findings, c, childId, dob, ++episodes, date, (openLine = lines[reopen]));
        reopen = -1;
      }
    }
  }
  store.setEpisodes(c, episodes);
  if (tally.kinds) tally.kinds[seen]++;
  tally.rejected += conflicted?.size ?? 0;
}
