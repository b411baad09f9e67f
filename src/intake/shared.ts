/**
 * Reads a large plain export (read/fast.ts) in two threads that share out its children rather
 * than its bytes: each thread reads the whole file, and takes only the rows of the children on
 * its side (by the id's hash, half to each, valid rows or not; a rejected row with no id the fast
 * path reads is the first's: see `sideOf`), then builds their episodes. The second thread's
 * children, episodes, findings and rejected rows to explain are
 * then added to the first's. No child is in both threads, so nothing is looked up or joined at the
 * end, each thread's tables hold half the children, and the episodes are built in both threads at
 * once. Splitting the bytes instead gave each thread most of the children of a shuffled export,
 * and left taking in the second thread's store, and building every episode, to one thread.
 *
 * Reading the whole file twice costs little on the fast path, which finds a row's id and skips it
 * without reading the rest; csv-parse has no such path, so exports it reads are still cut in two
 * (see two-parts.ts). Figures, findings and line numbers are those of one thread (held equal by
 * test/fast-read.test.ts and test/two-parts.test.ts).
 */
import { inputError } from '../errors.js';
import { type Phase } from '../report/progress.js';
import { NotPlain } from '../read/fast.js';
import { Overtaken, readRecords, stopLine } from '../read/source.js';
import { type SourceInfo } from '../read/source-info.js';
import { type EpisodeData, type EpisodeTable } from '../timeline/episodes.js';
import { type SideData } from '../timeline/store.js';
import { type PackedStrings } from '../timeline/string-index.js';
import { type AuditParameters, summarise, type SummaryCounts, type SummaryTally } from '../measures/decision.js';
import { type FindingsData } from '../validate/findings.js';
import { letGo } from '../let-go.js';
import { buildAll } from './build.js';
import { sideBuilt, takeSideWorker } from './side-early.js';
import { type Failure } from './failure.js';
import { type Accounting, Intake, type IntakeOptions, type RejectedRow } from './intake.js';

export interface SideTask {
  source: SourceInfo;
  options: IntakeOptions;
  /** Post the rows taken so far, for a progress display. */
  progress: boolean;
  /** Where each thread's read stopped with an error, by line (NO_STOP: it did not); see `readShared`. */
  stops: Int32Array;
  /** Only the summary of this cohort is wanted: the thread sums up its own children's (see `readShared`). */
  summaryOf?: AuditParameters | undefined;
}

/** What the second thread hands over of its children: all of them, or with `summaryOf`, their sums. */
export type SideChildren =
  | { store: SideData; episodes: EpisodeData }
  | {
      summary: SummaryCounts;
      /** Its family names, and the ones (by index there) of the children summed. */
      families: PackedStrings;
      familiesMet: Int32Array;
    };

const NO_STOP = 0x7fffffff;

export type FromSide =
  | { t: 'rows'; rows: number }
  | {
      t: 'done';
      acc: Accounting;
      findings: FindingsData;
      children: SideChildren;
      kinds: Int32Array;
      /** Its rejected rows to explain, for the first thread: zod then loads in one thread only. */
      unexplained: RejectedRow[];
    }
  /** It read past the line where the first thread stopped, without stopping before it. */
  | { t: 'overtaken' }
  | Failure;

/** The worker's last word, or that it could not run at all (then one thread reads the export). */
type Done = Exclude<FromSide, { t: 'rows' }> | { t: 'gone'; why: string };

/**
 * The export taken in and its episodes built, or undefined when the second thread cannot run
 * (then the caller reads it in one thread). Rejects with NotPlain when the export leaves the fast
 * path's shape. Only for a plain UTF-8 file of the long layout, read for the whole cohort.
 */
export async function readShared(
  source: SourceInfo,
  options: IntakeOptions,
  onProgress?: (bytes: number, rows: number) => void,
  onPhase?: (phase: Phase, done: number, total: number) => void,
  summaryOf?: AuditParameters,
): Promise<
  { intake: Intake; built?: { episodes: EpisodeTable; kinds: Int32Array }; summary?: SummaryTally } | undefined
> {
  if (!sideBuilt()) return undefined;
  const src: SourceInfo = { ...source, fast: true };
  let otherRows = 0;
  // Each thread reads only its own rows whole, so each may stop with an error at a row the other
  // passed over: the one to report is the earlier, as one thread reading every row meets it. A
  // thread that stops says where; the other reads on to there at most, then stops too.
  const stops = new Int32Array(new SharedArrayBuffer(8)).fill(NO_STOP);
  const task: SideTask = {
    source: src,
    options: { ...options, side: 1 },
    progress: onProgress !== undefined,
    stops,
    summaryOf,
  };
  const worker = takeSideWorker();
  if (!worker) return undefined;
  worker.postMessage(task);
  let other: Promise<Done> | undefined = new Promise<Done>((resolve) => {
    worker.on('message', (m: FromSide) => {
      if (m.t === 'rows') otherRows = m.rows;
      else resolve(m);
    });
    // A thread that cannot run (out of memory, say) leaves the export to one thread.
    worker.on('error', (e) => resolve({ t: 'gone', why: String(e) }));
    worker.on('exit', (code) => resolve({ t: 'gone', why: `exit code ${code}` }));
  });
  try {
    const intake = new Intake({ ...options, side: 0 });
    try {
      await readRecords(src, {
        ...intake.handlers(onProgress && ((b) => onProgress(b, intake.acc.rowsRead + otherRows))),
        stopAt: () => Atomics.load(stops, 1),
      });
    } catch (e) {
      const line = stopLine(e);
      if (line === undefined) throw e;
      if (!(e instanceof Overtaken)) Atomics.store(stops, 0, line);
      return await stopped(e, e instanceof Overtaken ? NO_STOP : line, other!);
    }
    // No header: the caller says so.
    if (!intake.layout) return { intake };
    const built = buildAll(intake, onPhase);
    // Summed while the other thread still reads or builds.
    const summary =
      summaryOf && summarise(built.episodes, summaryOf, onPhase && ((d, t) => onPhase('measuring', d, t)));
    // Only the episodes are needed from here on: the events go before the other thread's come.
    intake.children.releaseEvents(true);
    // Freed while the other thread still reads, before its tables come.
    letGo(intake.children.size);
    const part = await other;
    // The message is delivered inside a native handle scope that the rest of this run, continued
    // from it as microtasks, would otherwise keep open: everything the worker sent stays alive.
    await new Promise((resolve) => setImmediate(resolve));
    // Its last word is in: the thread's own memory (its heap, tens of MiB) goes now, not after
    // the merge.
    await worker.terminate();
    if (part.t === 'gone') return undefined;
    if (part.t !== 'done') throw errorOf(part);
    // The other thread is gone: now zod may load to say why the rejected rows of both are.
    for (const row of part.unexplained) intake.unexplained.push(row);
    intake.explainRejected();
    for (const k of Object.keys(intake.acc) as (keyof Accounting)[]) intake.acc[k] += part.acc[k];
    intake.findings.absorb(part.findings);
    for (let m = 0; m < built.kinds.length; m++) built.kinds[m] += part.kinds[m];
    const theirs = part.children;
    if ('summary' in theirs) {
      if (!summary) throw new Error('the second thread summed its children unasked');
      // A family with children on both sides is one family.
      let shared = 0;
      for (const f of theirs.familiesMet)
        if (summary.hasFamily(intake.children.findFamily(theirs.families, f))) shared++;
      summary.absorb(theirs.summary, shared);
      return { intake, built, summary };
    }
    const offset = intake.children.mergeSide(theirs.store);
    built.episodes.append(theirs.episodes, offset);
    return { intake, built };
  } finally {
    // Let go of the worker and what it sent (its listeners hold the promise holding the part).
    worker.removeAllListeners();
    other = undefined;
    void worker.terminate();
  }
}

/**
 * This thread's read stopped with `error` at `line` (NO_STOP: overtaken, the other stopped first):
 * rejects with the error of the earlier line, once the other thread has stopped or read past it,
 * or resolves with undefined when that thread could not run (then one thread reads the export).
 */
async function stopped(error: unknown, line: number, other: Promise<Done>): Promise<undefined> {
  const part = await other;
  if (part.t === 'gone') return undefined;
  if ((part.t === 'fail' || part.t === 'notPlain') && (part.line ?? NO_STOP) < line) throw errorOf(part);
  if (part.t === 'bug') throw errorOf(part);
  // Overtaken, the other thread must have stopped first.
  if (error instanceof Overtaken)
    throw new Error('this thread was told to stop, but the second thread did not stop first');
  throw error;
}

/** The error of the other thread's last word, when it is not its work done. */
function errorOf(part: Exclude<Done, { t: 'done' | 'gone' }>): Error {
  switch (part.t) {
    case 'fail':
      return inputError(part.code, part.message);
    // The file leaves the fast path's shape in a row this thread passed over.
    case 'notPlain':
      return new NotPlain(part.why);
    case 'bug':
      return new Error(`in the second thread: ${part.stack}`);
    case 'overtaken':
      return new Error('the second thread was told to stop, but this one did not stop');
  }
}
