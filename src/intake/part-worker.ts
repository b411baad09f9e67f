/**
 * A thread that takes in the second part of an export (see two-parts.ts): it counts the records
 * before its part, so that its lines are the export's own, reads its part into an Intake of its
 * own, and hands that over as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { countRecords } from '../read/cut.js';
import { readRecords } from '../read/source.js';
import { type SourceInfo } from '../read/source-info.js';
import { type FindingsData } from '../validate/findings.js';
import { type StoreData } from '../timeline/store.js';
import { type Failure, failureOf } from './failure.js';
import { type Accounting, Intake, type IntakeOptions } from './intake.js';

export interface PartTask {
  source: SourceInfo;
  start: number;
  header: string[];
  options: IntakeOptions;
  /** Post bytes read, for a progress display. */
  progress: boolean;
}

export type FromPart =
  | { t: 'bytes'; bytes: number; rows: number }
  | {
      t: 'done';
      firstLine: number;
      acc: Accounting;
      findings: FindingsData;
      store: StoreData;
      /** Under --pseudonymise, what is known of each family read (Intake.familiesKnown). */
      familiesKnown: [string, string][] | undefined;
    }
  // firstLine is -1 when the records before the part could not be counted. On notPlain the
  // whole export is read with csv-parse instead.
  | (Failure & { firstLine: number });

const port = parentPort!;
const task = workerData as PartTask;

let firstLine = -1;
try {
  const intake = new Intake(task.options);
  intake.useHeader(task.header);
  firstLine = countRecords(task.source, task.start);
  const onBytes = task.progress
    ? (bytes: number) => port.postMessage({ t: 'bytes', bytes, rows: intake.acc.rowsRead } satisfies FromPart)
    : undefined;
  await readRecords(task.source, intake.handlers(onBytes), {
    start: task.start,
    end: task.source.bytes,
    firstLine,
    header: task.header,
  });
  const { data, transfer } = intake.children.toData();
  const done: FromPart = {
    t: 'done',
    firstLine,
    acc: intake.acc,
    findings: intake.findings.toData(),
    store: data,
    familiesKnown: intake.familiesKnown(),
  };
  port.postMessage(done, transfer);
} catch (e) {
  port.postMessage({ ...failureOf(e), firstLine } satisfies FromPart);
}
