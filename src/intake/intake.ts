/**
 * Takes in the records of an export, or of one part of it, one at a time: accepts or rejects
 * every row with a reason, keeps the accounting, and files accepted events in a ChildStore. The
 * same code runs on each part when an export is read in two threads (see two-parts.ts).
 */
import { civilFromDay, type Day, dayFromCivil } from '../dates/days.js';
import { dateParser } from '../dates/parse.js';
import { type Mapping } from '../mapping.js';
import { EVENTS, REQUIRED_FIELDS } from '../model.js';
import { type PassOver, type PlainRow } from '../read/fast.js';
import { inputError } from '../errors.js';
import { HeaderMarks, normaliseHeader } from '../read/columns.js';
import { isBlankRecord, type ReadHandlers } from '../read/source.js';
import { ChildStore, type StoreData } from '../timeline/store.js';
import { hash, hashAscii } from '../timeline/string-index.js';
import { Findings, type FindingsData } from '../validate/findings.js';
import { type Layout, makeLayout } from '../validate/layout.js';
import { pseudonymousLayout, type Pseudonymiser } from '../privacy/pseudonymise.js';
import { PlainReader } from './plain.js';

export interface Accounting {
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Of the accepted rows: repeats of an event (same child, event, date, route), counted once. */
  duplicates: number;
  /** Of the accepted rows: events the mapping ignores on purpose. */
  ignored: number;
  /** Of the accepted rows: events dated after the audit date, ignored as not yet happened. */
  eventsAfterAsOf: number;
  /** Blank lines, skipped; not rows. */
  blankLines: number;
}

const newAccounting = (): Accounting => ({
  rowsRead: 0,
  rowsAccepted: 0,
  rowsRejected: 0,
  duplicates: 0,
  ignored: 0,
  eventsAfterAsOf: 0,
  blankLines: 0,
});

export interface IntakeOptions {
  file: string;
  asOf: Day;
  mapping: Mapping;
  keepPerCode?: number | undefined;
  /** Take only this child's rows, keeping every event (for `pace-audit child`). */
  onlyChild?: string | undefined;
  /** Child and family ids become keyed tokens as they are read (--pseudonymise). */
  pseudonymiser?: Pseudonymiser | undefined;
  /**
   * Two threads each read the whole export and take the children on their side (see `sideOf`):
   * this one takes side 0 or 1. A row is its id's side, valid or not, when the fast path reads
   * that id from bytes (see `PlainReader.id`); other rejected rows, and blank lines, are side 0's.
   */
  side?: 0 | 1 | undefined;
}

/**
 * Which of two threads takes a child (intake/shared.ts): its id's hash, multiplied through so that
 * it depends on every bit of the hash, halved. Each thread passes over the other's rows on the id
 * alone, the rest of the row unsplit (see `passOver`), rejected rows included: when the first
 * thread took every rejected row, it had to read every row of the other side's whole to find
 * them, and read for longer than the second.
 */
const sideOf = (hash: number): 0 | 1 => (Math.imul(hash, 0x9e3779b1) >>> 31) as 0 | 1;

/**
 * A rejected row's child id as findings show it, or null where it is likely no id at all: a cell
 * holding a delimiter is a whole row of an export with another delimiter (dates of birth and
 * all), and one of more than 64 characters is free text or worse.
 */
const shownId = (id: string): string | null => (id === '' || id.length > 64 || /[,;\t]/.test(id) ? null : id);

/** A rejected row whose explanation waits (see `Intake.unexplained`). */
export interface RejectedRow {
  line: number;
  cells: string[];
}

/**
 * Rejected rows a shared read keeps to explain at the end, at most, and characters in their cells:
 * past either (an export mostly rejected, as with a wrong mapping, or rows of long free text) the
 * rest are explained as they come, so that what is kept stays a few MiB.
 */
const UNEXPLAINED_AT_MOST = 10_000;
const UNEXPLAINED_CHARS = 2 * 1024 * 1024;

/** More than 25 years before the audit date: likely a mistyped year. */
const IMPLAUSIBLE_YEARS = 25;

/** A tracker's first row for a child: what it gave, to compare later rows for the child with. */
interface TrackerRow {
  line: number;
  content: string;
  ignored: number;
  afterAsOf: number;
  /** Lines of later rows for the child that gave something else. */
  disagreeing: number[];
}

export class Intake {
  readonly acc = newAccounting();
  readonly findings: Findings;
  readonly children = new ChildStore();
  /**
   * In a shared read (see `sideOf`), rejected rows whose explanation waits for the end of it
   * (`explainRejected`): zod, which says why a row is rejected, costs ~12 MiB to load, and loaded
   * while the other thread builds its episodes it made the peak of npm run bench's 310,000
   * children; once that thread is gone it costs nothing at the peak. The second thread hands its
   * own over to the first (intake/shared.ts), so that zod loads in one thread only.
   */
  readonly unexplained: RejectedRow[] = [];
  layout: Layout | undefined;
  /** The header's cells, once read. */
  header: string[] | undefined;
  private readonly parseDate;
  private readonly implausibleBefore: Day;
  private readonly dateHeader: string | null;
  // Wide trackers hold one row per child: a second row for a child is an error.
  private readonly trackerRows: Map<string, TrackerRow> | undefined;

  constructor(readonly opts: IntakeOptions) {
    const { mapping } = opts;
    this.findings = new Findings(opts.keepPerCode);
    this.parseDate = dateParser(mapping.dateFormats);
    const [y, m, d] = civilFromDay(opts.asOf);
    this.implausibleBefore = dayFromCivil(y - IMPLAUSIBLE_YEARS, m, d);
    this.dateHeader = mapping.layout === 'wide' ? null : mapping.columns.event_date;
    this.trackerRows = mapping.layout === 'wide' ? new Map() : undefined;
  }

  /** For a part of the export that starts after the header: reads rows with this header. */
  useHeader(header: string[]): void {
    this.header = header;
    const layout = makeLayout(this.opts.file, header, this.opts.mapping, this.parseDate);
    // The columns read, and the required ones, whose names mark the header row should it come
    // again (a long layout's fields; every named column of a wide tracker).
    const named = header.flatMap((h, i) => (h.trim() === '' ? [] : [i]));
    const rules = layout.long;
    this.marks = rules
      ? new HeaderMarks(
          header,
          REQUIRED_FIELDS.map((f) => rules.col[f]),
          Object.values(rules.col).filter((i) => i >= 0),
        )
      : new HeaderMarks(header, named, named);
    this.layout = this.opts.pseudonymiser ? pseudonymousLayout(layout, this.opts.pseudonymiser) : layout;
    const families = this.layout.families;
    if (families) this.children.familyBefore = (a, b) => families.before(a, b);
    // Rows are read from bytes only where nothing is done to them by id (see plain.ts).
    const long = this.layout.long;
    this.plain = long && this.opts.onlyChild === undefined ? new PlainReader(long) : undefined;
    if (this.plain && this.opts.side !== undefined) this.passOver.cell = long!.col.child_id;
  }

  /** The header's names, set with it. */
  private marks: HeaderMarks | undefined;

  /** Reads valid rows from bytes on the fast path, once the header is known. */
  private plain: PlainReader | undefined;

  /**
   * In a shared read, passes over a record of the other side's on its id cell, as `takePlain`
   * would (a plain ASCII id, trimmed, hashed to the other side), without splitting the rest of it.
   * Its cell is set with the header.
   */
  readonly passOver: PassOver = {
    cell: -1,
    test: (buf, from, to) => this.plain!.idIn(buf, from, to) && this.othersId(buf),
  };

  /** Whether the id `PlainReader.id` or `idIn` just found is the other side's child's. */
  private othersId(buf: Uint8Array): boolean {
    const v = this.plain!.out;
    return sideOf(hashAscii(buf, v.idFrom, v.idTo - v.idFrom)) !== this.opts.side;
  }

  /** What a read hands its records to: each offered as bytes first (`takePlain`), else as cells. */
  handlers(onBytes?: (bytesRead: number) => void): ReadHandlers {
    return {
      onRecord: (cells, line) => this.take(cells, line),
      onPlainRow: (row, line) => this.takePlain(row, line),
      onBytes,
      passOver: this.opts.side === undefined ? undefined : this.passOver,
    };
  }

  /** One record and its line as a spreadsheet shows it. The first non-blank one is the header. */
  take(cells: string[], line: number): void {
    const { acc, findings, children, opts } = this;
    if (isBlankRecord(cells)) {
      if (opts.side !== 1) acc.blankLines++;
      return;
    }
    const layout = this.layout;
    if (!layout) {
      this.useHeader(cells);
      return;
    }
    if (opts.onlyChild !== undefined && layout.childId(cells) !== opts.onlyChild) {
      // Another child's row, not read; but the header again with its columns moved would still
      // make the child's later rows be read by the wrong columns. Its id cell holds a column name.
      if (this.marks!.names.has(normaliseHeader(layout.childId(cells)))) this.headerAgain(cells, line);
      return;
    }
    const n = layout.read(cells);
    // A row goes to its child's side when valid, or when its id is one the fast path reads from
    // bytes (then the other thread passed over it, valid or not: see takePlain); any other
    // rejected row, which may have no id, to side 0.
    if (
      opts.side !== undefined &&
      (n >= 0 || this.plain?.hasId(cells) ? sideOf(hash(layout.childId(cells))) : 0) !== opts.side
    )
      return;
    acc.rowsRead++;
    if (n < 0) {
      // Only a rejected row can be the header again: its dates and event are column names.
      const again = this.headerAgain(cells, line);
      acc.rowsRejected++;
      if (again) {
        findings.add(
          'REPEATED_HEADER',
          line,
          null,
          null,
          'the header row again, as where two exports are joined; skipped',
        );
        return;
      }
      if (opts.side !== undefined && this.keepsUnexplained(cells)) this.unexplained.push({ line, cells });
      else this.explain(layout, cells, line);
      return;
    }
    // Warned about whether or not the row is then rejected as a tracker's second row for its
    // child, so that which rows are warned about does not depend on which came first.
    for (let i = 0; i < n; i++) {
      const row = layout.rows[i];
      if (this.implausible(row.event, row.date)) this.warnImplausible(line, row.event, row.childId);
    }
    if (this.trackerRows && this.repeatsTrackerChild(layout, cells, n, line)) return;
    acc.rowsAccepted++;
    let counted = false;
    for (let i = 0; i < n; i++) {
      const row = layout.rows[i];
      if (row.event < 0) {
        acc.ignored++;
        continue;
      }
      const c = children.childOf(row.childId);
      if (!counted) children.countRow(c);
      counted = true;
      if (row.familyId !== '') children.setFamily(c, row.familyId);
      if (!Number.isNaN(row.dob)) children.setDob(c, row.dob, line);
      if (row.date > opts.asOf) {
        acc.eventsAfterAsOf++;
        continue;
      }
      children.add(c, row.date, row.event, row.route, line);
    }
  }

  /** Says why a rejected row is, in findings. */
  private explain(layout: Layout, cells: string[], line: number): void {
    const childId = shownId(layout.childId(cells));
    for (const p of layout.explain(cells)) this.findings.add(p.code, line, p.header, childId, p.message);
  }

  /** Characters in the cells of `unexplained`. */
  private unexplainedChars = 0;

  /** Whether a rejected row with these cells may wait in `unexplained`, counting it if so. */
  private keepsUnexplained(cells: string[]): boolean {
    if (this.unexplained.length >= UNEXPLAINED_AT_MOST) return false;
    let chars = 0;
    for (const c of cells) chars += c.length;
    if (this.unexplainedChars + chars > UNEXPLAINED_CHARS) return false;
    this.unexplainedChars += chars;
    return true;
  }

  /** Says why each rejected row in `unexplained` is, as `take` would have, and lets go of them. */
  explainRejected(): void {
    for (const { line, cells } of this.unexplained) this.explain(this.layout!, cells, line);
    this.unexplained.length = 0;
    this.unexplainedChars = 0;
  }

  /**
   * Whether the record is the header row again, columns in place (two exports joined end to
   * end). Again with the columns read in other places, it stops the run: the rows after it would
   * be read by the wrong columns.
   */
  private headerAgain(cells: string[], line: number): boolean {
    const again = this.marks!.test(cells);
    if (again === 'moved')
      throw inputError(
        'HEADER_CHANGED',
        `${this.opts.file}:${line}: the header row comes again with the columns read in other places, or without some of them, as where two exports are joined; the rows after it would be read by the wrong columns: audit each export on its own`,
      );
    return again === 'same';
  }

  private implausible(event: number, date: Day): boolean {
    return event >= 0 && date <= this.opts.asOf && date < this.implausibleBefore;
  }

  private warnImplausible(line: number, event: number, childId: string): void {
    this.findings.add(
      'IMPLAUSIBLE_DATE',
      line,
      this.dateHeader ?? this.opts.mapping.milestones?.[EVENTS[event]] ?? null,
      childId,
      `the date is more than ${IMPLAUSIBLE_YEARS} years before the audit date; is the year mistyped?`,
    );
  }

  /**
   * A record offered as bytes on the fast path: taken, as `take` would take its cells, when it is
   * a valid row of plain ASCII (see plain.ts); otherwise false, and it comes to `take` instead.
   */
  takePlain(row: PlainRow, line: number): boolean {
    const reader = this.plain;
    if (reader === undefined) return false;
    const { acc, children, opts } = this;
    const v = reader.out;
    const buf = row.buf;
    // A row of the other side's child, valid or not, is passed over (as `passOver` does, where
    // the id's cell is not quoted nor last). A row whose id is not plain ASCII fails `read` too,
    // and `take` tells whose it is.
    if (opts.side !== undefined && reader.id(row) && this.othersId(buf)) return true;
    if (!reader.read(row)) return false;
    acc.rowsRead++;
    if (this.implausible(v.event, v.date))
      this.warnImplausible(line, v.event, buf.toString('latin1', v.idFrom, v.idTo));
    acc.rowsAccepted++;
    if (v.event < 0) {
      acc.ignored++;
      return true;
    }
    const c = children.childOfAscii(buf, v.idFrom, v.idTo - v.idFrom);
    children.countRow(c);
    if (v.familyTo > v.familyFrom) children.setFamilyAscii(c, buf, v.familyFrom, v.familyTo - v.familyFrom);
    if (!Number.isNaN(v.dob)) children.setDob(c, v.dob, line);
    if (v.date > opts.asOf) acc.eventsAfterAsOf++;
    else children.add(c, v.date, v.event, v.route, line);
    return true;
  }

  /**
   * A tracker holds one row per child. A second row that gives the same events is rejected and
   * the first kept; rows that disagree are all rejected (see `rejectDisagreeingTrackerRows`),
   * since we cannot know which is right and keeping the first would depend on row order.
   */
  private repeatsTrackerChild(layout: Layout, cells: string[], n: number, line: number): boolean {
    const id = layout.childId(cells);
    let content = '';
    for (let i = 0; i < n; i++) {
      const r = layout.rows[i];
      content += `${r.familyId}\t${r.dob}\t${r.event}\t${r.date}\t${r.route}\n`;
    }
    const first = this.trackerRows!.get(id);
    if (first === undefined) {
      let ignored = 0;
      let afterAsOf = 0;
      for (let i = 0; i < n; i++) {
        if (layout.rows[i].event < 0) ignored++;
        else if (layout.rows[i].date > this.opts.asOf) afterAsOf++;
      }
      this.trackerRows!.set(id, { line, content, ignored, afterAsOf, disagreeing: [] });
      return false;
    }
    this.acc.rowsRejected++;
    const column = this.opts.mapping.columns.child_id;
    if (content === first.content)
      this.findings.add(
        'DUPLICATE_CHILD_ROW',
        line,
        column,
        id,
        `repeats line ${first.line}; a tracker holds one row per child, so it is counted once`,
        [first.line, line],
      );
    else {
      first.disagreeing.push(line);
      this.findings.add(
        'DUPLICATE_CHILD_ROW',
        line,
        column,
        id,
        `a second row for this child that disagrees with line ${first.line}; a tracker holds one row per child, so all of its rows are rejected`,
        [first.line, line],
      );
    }
    return true;
  }

  /**
   * Rejects the first row of each tracker child whose later rows disagreed with it (the later
   * ones were rejected as they came), and returns those children's indexes in the store.
   */
  rejectDisagreeingTrackerRows(): Set<number> {
    const rejected = new Set<number>();
    for (const [id, first] of this.trackerRows ?? []) {
      if (first.disagreeing.length === 0) continue;
      const { acc } = this;
      acc.rowsAccepted--;
      acc.rowsRejected++;
      acc.ignored -= first.ignored;
      acc.eventsAfterAsOf -= first.afterAsOf;
      this.findings.add(
        'DUPLICATE_CHILD_ROW',
        first.line,
        this.opts.mapping.columns.child_id,
        id,
        `${first.disagreeing.length + 1} rows for this child disagree; a tracker holds one row per child, so all of its rows are rejected`,
        [first.line, ...first.disagreeing],
      );
      const c = this.children.indexOf(id);
      if (c >= 0) rejected.add(c);
    }
    return rejected;
  }

  /** What the layout knows of the families read, for the thread that joins them (FamilyOrder). */
  familiesKnown(): [string, string][] | undefined {
    return this.layout?.families?.known();
  }

  /** Takes in the Intake of the part of the export that follows this one (see two-parts.ts). */
  absorb(part: {
    acc: Accounting;
    findings: FindingsData;
    store: StoreData;
    familiesKnown?: [string, string][] | undefined;
  }): void {
    for (const k of Object.keys(this.acc) as (keyof Accounting)[]) this.acc[k] += part.acc[k];
    this.findings.absorb(part.findings);
    // The part's families are chosen between by the ids behind them, which its thread knew.
    if (part.familiesKnown) this.layout?.families?.learn(part.familiesKnown);
    this.children.absorb(part.store);
  }
}
