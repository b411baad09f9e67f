/**
 * Every check that needs a whole child, run once every row is in: each child's events become
 * episodes (README "Counting rules" 2), with what that finds. The same step runs in each thread
 * of a shared read (see shared.ts), on the children that thread took.
 */
import { type Phase } from '../report/progress.js';
import { buildEpisodes, EpisodeTable, type EpisodeTally } from '../timeline/episodes.js';
import { newKindTally } from '../validate/event-kinds.js';
import { type Intake } from './intake.js';

/** Builds the episodes of every child the intake holds, and settles its accounting with them. */
export function buildAll(
  intake: Intake,
  onPhase?: (phase: Phase, done: number, total: number) => void,
): { episodes: EpisodeTable; kinds: Int32Array } {
  const { acc, findings, children } = intake;
  const episodes = new EpisodeTable(children);
  const kinds = newKindTally();
  const tally: EpisodeTally = { rejected: 0, duplicates: 0, kinds };
  const rejected = intake.rejectDisagreeingTrackerRows();
  children.forgetIds();
  for (let c = 0; c < children.size; c++) {
    if ((c & 0x3fff) === 0) onPhase?.('building episodes', c, children.size);
    if (!rejected.has(c)) buildEpisodes(children, c, findings, episodes, tally);
  }
  acc.rowsAccepted -= tally.rejected;
  acc.rowsRejected += tally.rejected;
  acc.duplicates += tally.duplicates;
  return { episodes, kinds };
}
