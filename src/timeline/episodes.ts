/**
 * A child's events -> episodes of accommodation (domain.md rule 2), plus the checks that need
 * the whole child: conflicting decisions, a second accommodation while one is open, events
 * outside any episode, decisions before accommodation, implausible ages.
 */
import { ageOn, type Day } from '../dates/days.js';
import { Ev, type RouteCode } from '../model.js';
import { type Findings } from '../validate/findings.js';
import { type ChildState, dateOf, eventOf, routeOf } from './child.js';

/** Stage events measured from an episode, in journey order (index = Ev - 1). */
export const STAGE_EVENTS = [Ev.Review, Ev.Decision, Ev.Panel, Ev.Adm, Ev.Court, Ev.FinalOrder] as const;

export interface Episode {
  childId: string;
  familyId: string;
  dob: Day;
  /** Counts from 1 for each child. */
  n: number;
  start: Day;
  startLine: number;
  /** Date the episode ceased, NaN while still accommodated. */
  end: Day;
  /** First date of each event kind in the episode, indexed by Ev; NaN when none. */
  first: Day[];
  route: RouteCode;
}

export interface ChildTimeline {
  episodes: Episode[];
  /** Accepted rows that the whole-child checks rejected. */
  rejectedRows: number;
}

export function buildEpisodes(childId: string, child: ChildState, findings: Findings): ChildTimeline {
  if (child.dobConflictLine) {
    findings.add('CONFLICTING_DOB', child.dobConflictLine, 'date_of_birth', childId,
      `date of birth differs from line ${child.dobLine}; all ${child.rows} rows of this child are rejected`, [child.dobLine, child.dobConflictLine]);
    return { episodes: [], rejectedRows: child.rows };
  }
  const order = child.keys.map((_, i) => i).sort((a, b) => child.keys[a] - child.keys[b]);
  const keys = order.map((i) => child.keys[i]);
  const lines = order.map((i) => child.lines[i]);

  // Two decisions on one day naming different routes: we cannot know which is right.
  const conflicted = new Set<number>();
  for (let i = 1; i < keys.length; i++) {
    if (eventOf(keys[i]) === Ev.Decision && eventOf(keys[i - 1]) === Ev.Decision && dateOf(keys[i]) === dateOf(keys[i - 1])) {
      conflicted.add(i - 1).add(i);
    }
  }
  for (const i of conflicted)
    findings.add('CONFLICTING_EVENT', lines[i], 'route', childId, 'another permanence decision on the same date names a different route; both rows are rejected',
      [...conflicted].filter((j) => dateOf(keys[j]) === dateOf(keys[i])).map((j) => lines[j]));

  const episodes: Episode[] = [];
  let open: Episode | null = null;
  for (let i = 0; i < keys.length; i++) {
    if (conflicted.has(i)) continue;
    const date = dateOf(keys[i]);
    const event = eventOf(keys[i]);
    if (event === Ev.Accommodated) {
      if (open) {
        findings.add('SECOND_ACCOMMODATED', lines[i], 'event', childId, `accommodated again while the episode from line ${open.startLine} is open; the clock is not restarted`);
        continue;
      }
      open = { childId, familyId: child.familyId, dob: child.dob, n: episodes.length + 1, start: date, startLine: lines[i], end: NaN, first: [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], route: 0 };
      episodes.push(open);
      if (ageOn(child.dob, date) >= 18)
        findings.add('AGE_OVER_18', lines[i], 'date_of_birth', childId, 'date of birth makes the child 18 or over at accommodation');
    } else if (!open) {
      if (event === Ev.Decision && episodes.length === 0)
        findings.add('DECISION_BEFORE_ACCOMMODATION', lines[i], 'event_date', childId, 'permanence decision dated before the child was accommodated; it counts nowhere');
      else findings.add('EVENT_OUTSIDE_EPISODE', lines[i], 'event_date', childId, 'event dated outside any episode of accommodation; it counts nowhere');
    } else if (event === Ev.Ceased) {
      open.end = date;
      open.first[Ev.Ceased] = date;
      open = null;
    } else if (Number.isNaN(open.first[event])) {
      open.first[event] = date;
      if (event === Ev.Decision) open.route = routeOf(keys[i]);
    }
  }
  return { episodes, rejectedRows: conflicted.size };
}
