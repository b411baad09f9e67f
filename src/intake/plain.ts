/**
 * Reads a record of a long export straight from its bytes (read/fast.ts), with no string made:
 * ids are interned from their bytes, dates, events and routes read through a ByteMemo. It takes
 * only rows it can be sure of, valid ones whose cells are plain ASCII, and turns down every other
 * (a cell with non-ASCII text or doubled quotes, and every row checkRow would refuse) before
 * changing anything, to be read as cells by `Intake.take`, which says why. So a row gives the
 * same outcome on either path: test/fast-read.test.ts holds whole loads equal.
 */
import { NOT_FAST } from '../dates/parse.js';
import { Ev, type RouteCode } from '../model.js';
import { type PlainRow } from '../read/fast.js';
import { type RowRules } from '../validate/row.js';
import { ByteMemo } from './byte-memo.js';

/** ByteMemo values for eventOf's undefined (unknown) and null (ignored on purpose). */
const UNKNOWN = -2;
const IGNORED = -1;

/** A valid row's values, filled by `PlainReader.read`. */
export interface PlainEvent {
  idFrom: number;
  idTo: number;
  familyFrom: number;
  familyTo: number;
  /** The event code, or -1 when the mapping ignores the event. */
  event: number;
  date: number;
  dob: number;
  route: RouteCode;
}

/** What String.prototype.trim takes off an ASCII string. */
const space = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

export class PlainReader {
  private readonly events: ByteMemo;
  private readonly dates: ByteMemo;
  private readonly routes: ByteMemo;
  readonly out: PlainEvent = { idFrom: 0, idTo: 0, familyFrom: 0, familyTo: 0, event: 0, date: 0, dob: 0, route: 0 };
  // The trimmed cell found by `cell`.
  private s = 0;
  private e = 0;

  constructor(private readonly rules: RowRules) {
    this.events = new ByteMemo((t) => {
      const v = rules.eventOf(t);
      return v === undefined ? UNKNOWN : v === null ? IGNORED : v;
    }, 64);
    this.dates = new ByteMemo(rules.parseDate, 8192);
    this.routes = new ByteMemo((t) => rules.routeOf(t) ?? -1, 64);
  }

  /**
   * Finds cell i trimmed as String.prototype.trim would (`s`, `e`; empty for a column the row
   * lacks); false when the cell is not plain ASCII, so the row must be read as cells.
   */
  private cell(row: PlainRow, i: number): boolean {
    if (i < 0 || i >= row.count) {
      this.s = this.e = 0;
      return true;
    }
    return !row.escaped[i] && this.ascii(row.buf, row.start[i], row.end[i]);
  }

  /** `cell` for bytes [s, e) of an unquoted cell (or one without doubled quotes). */
  private ascii(buf: Uint8Array, s: number, e: number): boolean {
    for (let k = s; k < e; k++) if (buf[k] >= 0x80) return false;
    while (s < e && space(buf[s])) s++;
    while (e > s && space(buf[e - 1])) e--;
    this.s = s;
    this.e = e;
    return true;
  }

  /** The date in the cell `cell` found: its commonest shapes read in place, others remembered. */
  private date(buf: Uint8Array): number {
    const day = this.rules.parseDate.bytes(buf, this.s, this.e);
    return day === NOT_FAST ? this.dates.get(buf, this.s, this.e) : day;
  }

  /**
   * Finds the id alone (`out.idFrom`, `out.idTo`): true when it is plain ASCII and not empty, as
   * in every row `read` accepts. For a thread that may pass over a row on its id alone.
   */
  id(row: PlainRow): boolean {
    return this.cell(row, this.rules.col.child_id) && this.found();
  }

  /** `id` for the id's cell alone, bytes [from, to) of an unquoted cell (see read/fast.ts PassOver). */
  idIn(buf: Uint8Array, from: number, to: number): boolean {
    return this.ascii(buf, from, to) && this.found();
  }

  /** Takes the cell `cell` found as the id, when not empty. */
  private found(): boolean {
    if (this.s === this.e) return false;
    this.out.idFrom = this.s;
    this.out.idTo = this.e;
    return true;
  }

  /**
   * `id` for a record read as cells (rows.cells()): whether `id` would find the id, and so
   * whether a shared read gives the row to the id's side, valid or not. A cell holding a quote
   * was a quoted one with doubled quotes, which `cell` turns down; one of ASCII is trimmed alike.
   */
  hasId(cells: string[]): boolean {
    const raw = cells[this.rules.col.child_id];
    if (raw === undefined) return false;
    let any = false;
    for (let k = 0; k < raw.length; k++) {
      const c = raw.charCodeAt(k);
      if (c >= 0x80 || c === 0x22) return false;
      if (!space(c)) any = true;
    }
    return any;
  }

  /** Fills `out` and returns true for a row checkRow accepts; false for any row to read as cells. */
  read(row: PlainRow): boolean {
    const { col } = this.rules;
    const { buf } = row;
    const out = this.out;
    if (!this.id(row)) return false;
    if (!this.cell(row, col.event)) return false;
    const ev = this.events.get(buf, this.s, this.e);
    if (ev === UNKNOWN) return false;
    if (!this.cell(row, col.event_date) || this.s === this.e) return false;
    const date = this.date(buf);
    if (Number.isNaN(date)) return false;
    if (!this.cell(row, col.date_of_birth)) return false;
    let dob = Number.NaN;
    if (this.s !== this.e) {
      dob = this.date(buf);
      if (Number.isNaN(dob) || dob > date) return false;
    } else if (ev === Ev.Accommodated) return false;
    let route = 0;
    if (ev === Ev.Decision) {
      if (!this.cell(row, col.route)) return false;
      route = this.routes.get(buf, this.s, this.e);
      if (route < 0) return false;
    }
    if (!this.cell(row, col.family_id)) return false;
    out.familyFrom = this.s;
    out.familyTo = this.e;
    out.event = ev;
    out.date = date;
    out.dob = dob;
    out.route = route as RouteCode;
    return true;
  }
}
