/**
 * A broken mapping measures nothing without a word: an export whose decision code is mapped to
 * something else (or to nothing) gives "0 decided, 17 overdue" from a file full of panels and
 * ADM decisions. When no child at all holds an event kind that the stages present require,
 * one warning for the whole file says so and points at the mapping.
 */
import { EVENT_LABELS, EVENTS, Ev } from '../model.js';
import { type Findings } from './findings.js';

const LABEL = (k: Ev) => EVENT_LABELS[EVENTS[k]];

/** Each kind, and the later kinds that cannot happen without it. */
const REQUIRED_BY: [Ev, Ev[]][] = [
  [Ev.Accommodated, [Ev.Review, Ev.Decision, Ev.Panel, Ev.Adm, Ev.Court, Ev.FinalOrder, Ev.Ceased]],
  [Ev.Decision, [Ev.Panel, Ev.Adm, Ev.Court, Ev.FinalOrder]],
  [Ev.Panel, [Ev.Adm]],
  [Ev.Court, [Ev.FinalOrder]],
];

const list = (words: string[]) =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;

/** An empty tally for buildEpisodes: children by the set of event kinds they hold. */
export const newKindTally = () => new Int32Array(1 << EVENTS.length);

/**
 * `tally[mask]`: how many children hold exactly the event kinds in `mask` (accepted, as of the
 * audit date). `column`: where the event codes are, for the finding (null in the wide layout).
 */
export function checkEventKinds(tally: Int32Array, findings: Findings, column: string | null, wide: boolean): void {
  const holding = (mask: number) => tally.reduce((n, count, m) => (m & mask ? n + count : n), 0);
  for (const [kind, later] of REQUIRED_BY) {
    if (holding(1 << kind) > 0) continue;
    const present = later.filter((k) => holding(1 << k) > 0);
    if (present.length === 0) continue;
    const children = holding(present.reduce((m, k) => m | (1 << k), 0));
    const where = wide
      ? `its date column mapped in the config's "columns" (as "${EVENTS[kind]}")`
      : `its code mapped to "${EVENTS[kind]}" in the config's "events"`;
    findings.add(
      'EVENT_KIND_MISSING',
      1,
      column,
      null,
      `no child has a ${LABEL(kind)}, but ${children} ${children === 1 ? 'child has' : 'children have'} a ${list(present.map((k) => LABEL(k)))}: is ${where}?`,
    );
  }
}
