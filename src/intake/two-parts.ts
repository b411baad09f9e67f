/**
 * Reads a large export in two threads, cut in two by bytes: exports csv-parse reads (and the fast
 * path's under --pseudonymise). A plain export is shared out by child instead (see shared.ts).
 * csv-parse is most of the time an audit takes and it runs on one core; a laptop has at least two. This thread parses the first part while a worker
 * parses the rest, each into an Intake of its own; the worker's is then absorbed into this one
 * as if its rows had come next, so the figures and findings are those of one thread.
 *
 * The cut is found by scanning bytes, not by parsing (read/cut.ts), so it is checked: the first
 * part must end at the cut outside quotes, on the record count the worker assumed. If not (a
 * quoted line break at the cut, or quotes the scan read differently), the caller reads the
 * export again in one thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inputError } from '../errors.js';
import { cutPoint } from '../read/cut.js';
import { NotPlain } from '../read/fast.js';
import { CutInsideQuotes, readRecords } from '../read/source.js';
import { type SourceInfo } from '../read/source-info.js';
import { Intake, type IntakeOptions } from './intake.js';
import { type FromPart, type PartTask } from './part-worker.js';

const PART_WORKER = new URL('./part-worker.js', import.meta.url);
type Done = Extract<FromPart, { t: 'done' | 'fail' | 'bug' | 'notPlain' }>;

/** The whole export taken in, or undefined when it must be read in one thread instead. */
export async function readInTwoParts(
  source: SourceInfo,
  options: IntakeOptions,
  onProgress?: (bytes: number, rows: number) => void,
): Promise<Intake | undefined> {
  const cut = cutPoint(source);
  // Run from TypeScript sources (as tests do) there is no compiled worker to start.
  if (cut === undefined || !existsSync(fileURLToPath(PART_WORKER))) return undefined;
  const intake = new Intake(options);
  let worker: Worker | undefined;
  let second: Promise<Done> | undefined;
  let partBytes = 0;
  let partRows = 0;
  let ownBytes = 0;

  const start = (header: string[]) => {
    const task: PartTask = { source, start: cut, header, options, progress: onProgress !== undefined };
    let w: Worker;
    try {
      w = worker = new Worker(PART_WORKER, { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: 6 } });
    } catch (e) {
      // No thread to spare (a limit on threads, say): as one that cannot run, below.
      return Promise.resolve<Done>({ t: 'bug', firstLine: -1, stack: String(e) });
    }
    const done = new Promise<Done>((resolve) => {
      w.on('message', (m: FromPart) => {
        if (m.t !== 'bytes') return resolve(m);
        partBytes = m.bytes;
        partRows = m.rows;
        onProgress?.(ownBytes + partBytes, intake.acc.rowsRead + partRows);
      });
      // A worker that cannot run (out of memory, say) leaves the export to one thread.
      w.on('error', (e) => resolve({ t: 'bug', firstLine: -1, stack: e.stack ?? String(e) }));
      w.on('exit', (code) =>
        resolve({ t: 'bug', firstLine: -1, stack: `the thread reading the second part stopped (exit code ${code})` }),
      );
    });
    return done;
  };

  try {
    let lines: number;
    try {
      lines = await readRecords(
        source,
        {
          onRecord(cells, line) {
            intake.take(cells, line);
            if (second === undefined && intake.header) second = start(intake.header);
          },
          onPlainRow: (row, line) => intake.takePlain(row, line),
          onBytes: onProgress && ((b) => onProgress((ownBytes = b) + partBytes, intake.acc.rowsRead + partRows)),
        },
        { start: 0, end: cut, firstLine: 0 },
      );
    } catch (e) {
      if (e instanceof CutInsideQuotes) return undefined;
      throw e;
    }
    if (!second) return undefined;
    const part = await second;
    // The message is delivered inside a native handle scope that the rest of this run, continued
    // from it as microtasks, would otherwise keep open: everything the worker sent stays alive.
    await new Promise((resolve) => setImmediate(resolve));
    // A worker that failed before counting, or could not run at all, leaves it to one thread.
    if (part.firstLine !== lines) return undefined;
    if (part.t === 'notPlain') throw new NotPlain(part.why);
    if (part.t === 'bug') throw new Error(`in the thread reading the second part: ${part.stack}`);
    // Bytes that are not UTF-8 may mean a Windows-1252 file: only a read from the start can tell.
    if (part.t === 'fail' && part.code === 'INVALID_ENCODING') return undefined;
    if (part.t === 'fail') throw inputError(part.code, part.message);
    intake.absorb(part);
    return intake;
  } finally {
    // Let go of the worker and what it sent (its listeners hold the promise holding the part).
    worker?.removeAllListeners();
    second = undefined;
    void worker?.terminate();
  }
}
