/**
 * What we keep of one child while the export streams past: its few distinct events packed into
 * integers, so memory grows with the number of children rather than the size of the file.
 *
 * Only the first event of each kind in an episode is ever measured, so when a later event of the
 * same kind falls in an episode that already holds an earlier one, it is dropped ("pruned"). That
 * is only safe while no accommodation or ceasing arrives later that would split the episode
 * between the two; if one does, the child is marked `dirty` and the pipeline reads its rows again
 * without pruning. Exports in date order never need that second look.
 */
import { type Day } from '../dates/days.js';
import { Ev, type RouteCode } from '../model.js';

const OFFSET = 200_000; // day numbers from the year 1422 stay positive
export const pack = (date: Day, event: number, route: RouteCode) => ((date + OFFSET) * 8 + event) * 8 + route;
export const dateOf = (key: number) => Math.floor(key / 64) - OFFSET;
export const eventOf = (key: number) => Math.floor(key / 8) % 8;
export const routeOf = (key: number) => (key % 8) as RouteCode;
const isBoundary = (event: number) => event === Ev.Accommodated || event === Ev.Ceased;

export type AddResult = 'added' | 'duplicate' | 'pruned';

export class ChildState {
  familyId = '';
  dob = NaN;
  dobLine = 0;
  /** Line of a row whose date of birth disagrees with `dobLine`'s, if any. */
  dobConflictLine = 0;
  /** Accepted rows of this child, so that a child-level error can reject them all. */
  rows = 0;
  keys: number[] = [];
  lines: number[] = [];
  maxPruned = -Infinity;
  dirty = false;
  /** Line of the first duplicate found by the last `add`. */
  duplicateOf = 0;

  add(date: Day, event: number, route: RouteCode, line: number, prune: boolean): AddResult {
    const key = pack(date, event, route);
    const keys = this.keys;
    let prev = -1; // the latest boundary before this event, in (date, event kind) order
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === key) {
        this.duplicateOf = this.lines[i];
        return 'duplicate';
      }
      if (k < key && k > prev && isBoundary(eventOf(k))) prev = k;
    }
    if (isBoundary(event)) {
      if (date <= this.maxPruned) this.dirty = true;
    } else if (prune && prev >= 0 && eventOf(prev) === Ev.Accommodated) {
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (k > prev && k < key && eventOf(k) === event && dateOf(k) < date) {
          if (date > this.maxPruned) this.maxPruned = date;
          return 'pruned';
        }
      }
    }
    keys.push(key);
    this.lines.push(line);
    return 'added';
  }
}
