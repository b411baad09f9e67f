/**
 * An episode as it stood on an earlier day: only events dated on or before that day, the rule
 * `--as-of` applies when it reads an export. Timelines are built once, to the latest day a
 * command needs, and viewed as of each earlier day (trend's points, changes' `--since`).
 *
 * This is exact because episodes are built from each child's events in date order and only the
 * first of each kind in an episode counts (timeline/episodes.ts): the events up to a day build
 * the same episodes, cut off at that day. An episode that began after the day did not exist then.
 */
import { type Day } from '../dates/days.js';
import { Ev, type RouteCode } from '../model.js';
import { type Episode } from './episodes.js';

class KnownOn implements Episode {
  readonly first: Float64Array;
  readonly end: Day;
  readonly route: RouteCode;
  constructor(
    private readonly ep: Episode,
    day: Day,
  ) {
    const first = Float64Array.from(ep.first as ArrayLike<number>);
    for (let k = 0; k < first.length; k++) if (first[k] > day) first[k] = NaN;
    this.first = first;
    this.end = first[Ev.Ceased];
    // The route comes with the decision: none before it.
    this.route = Number.isNaN(first[Ev.Decision]) ? 0 : ep.route;
  }
  get start() {
    return this.ep.start;
  }
  get startLine() {
    return this.ep.startLine;
  }
  get n() {
    return this.ep.n;
  }
  get dob() {
    return this.ep.dob;
  }
  get childIndex() {
    return this.ep.childIndex;
  }
  get familyIndex() {
    return this.ep.familyIndex;
  }
  /** The child's episodes as of the last day read, not this one: no report of an earlier day uses it. */
  get episodes() {
    return this.ep.episodes;
  }
  get childId() {
    return this.ep.childId;
  }
  get familyId() {
    return this.ep.familyId;
  }
}

/** The episode as known on `day` (itself when nothing in it is later); undefined if it began after. */
export function knownOn(ep: Episode, day: Day): Episode | undefined {
  if (ep.start > day) return undefined;
  let later = false;
  for (let k = 0; k < ep.first.length && !later; k++) later = ep.first[k] > day;
  return later ? new KnownOn(ep, day) : ep;
}
