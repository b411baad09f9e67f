/**
 * Takes in the records of an export, or of one part of it, one at a time: accepts or rejects
 * every row with a reason, keeps the accounting, and files accepted events in a ChildStore. The
 * same code runs on each part when an export is read in two threads (see two-parts.ts).
 */
import { civilFromDay, type Day, dayFromCivil } from '../dates/days.js';
import { dateParser } from '../dates/parse.js';
import { type Mapping } from '../mapping.js';
import { EVENTS } from '../model.js';
import { isBlankRecord } from '../read/source.js';
import { ChildStore, type StoreData } from '../timeline/store.js';
import { Findings, type FindingsData } from '../validate/findings.js';
import { type Layout, makeLayout } from '../validate/layout.js';

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

const newAccounting = (): Accounting => ({ rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, duplicates: 0, ignored: 0, eventsAfterAsOf: 0, blankLines: 0 });

export interface IntakeOptions {
  file: string;
  asOf: Day;
  mapping: Mapping;
  keepPerCode?: number;
  /** Take only this child's rows, keeping every event (for `pace-audit child`). */
  onlyChild?: string;
}

/** More than 25 years before the audit date: likely a mistyped year. */
const IMPLAUSIBLE_YEARS = 25;

export class Intake {
  readonly acc = newAccounting();
  readonly findings: Findings;
  readonly children = new ChildStore();
  layout: Layout | undefined;
  /** The header's cells, once read. */
  header: string[] | undefined;
  private readonly parseDate;
  private readonly implausibleBefore: Day;
  private readonly dateHeader: string | null;
  // Wide trackers hold one row per child: a second row for a child is an error.
  private readonly seenWide: Map<string, number> | undefined;

  constructor(readonly opts: IntakeOptions) {
    const { mapping } = opts;
    this.findings = new Findings(opts.keepPerCode);
    this.parseDate = dateParser(mapping.dateFormats);
    const [y, m, d] = civilFromDay(opts.asOf);
    this.implausibleBefore = dayFromCivil(y - IMPLAUSIBLE_YEARS, m, d);
    this.dateHeader = mapping.layout === 'wide' ? null : mapping.columns.event_date;
    this.seenWide = mapping.layout === 'wide' ? new Map() : undefined;
  }

  /** For a part of the export that starts after the header: reads rows with this header. */
  useHeader(header: string[]): void {
    this.header = header;
    this.layout = makeLayout(this.opts.file, header, this.opts.mapping, this.parseDate);
  }

  /** One record and its line as a spreadsheet shows it. The first non-blank one is the header. */
  take(cells: string[], line: number): void {
    const { acc, findings, children, opts } = this;
    if (isBlankRecord(cells)) {
      acc.blankLines++;
      return;
    }
    const layout = this.layout;
    if (!layout) return this.useHeader(cells);
    if (opts.onlyChild !== undefined && layout.childId(cells) !== opts.onlyChild) return;
    acc.rowsRead++;
    const n = layout.read(cells);
    if (n < 0) {
      acc.rowsRejected++;
      const childId = layout.childId(cells) || null;
      for (const p of layout.explain(cells)) findings.add(p.code, line, p.header, childId, p.message);
      return;
    }
    if (this.seenWide) {
      const id = layout.childId(cells);
      const first = this.seenWide.get(id);
      if (first !== undefined) {
        acc.rowsRejected++;
        findings.add('DUPLICATE_CHILD_ROW', line, opts.mapping.columns.child_id, id, `a second row for this child (the first is line ${first}); a tracker holds one row per child`, [first, line]);
        return;
      }
      this.seenWide.set(id, line);
    }
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
      if (row.date < this.implausibleBefore)
        findings.add('IMPLAUSIBLE_DATE', line, this.dateHeader ?? opts.mapping.milestones?.[EVENTS[row.event]] ?? null, row.childId, `the date is more than ${IMPLAUSIBLE_YEARS} years before the audit date; is the year mistyped?`);
      children.add(c, row.date, row.event, row.route, line);
    }
  }

  /** Takes in the Intake of the part of the export that follows this one (see two-parts.ts). */
  absorb(part: { acc: Accounting; findings: FindingsData; store: StoreData }): void {
    for (const k of Object.keys(this.acc) as (keyof Accounting)[]) this.acc[k] += part.acc[k];
    this.findings.absorb(part.findings);
    this.children.absorb(part.store);
  }
}
