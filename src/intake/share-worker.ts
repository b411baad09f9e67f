/**
 * The second thread of a shared read (see shared.ts): reads the whole export, takes the children
 * of side 1, builds their episodes and hands the lot over as plain data.
 */
import { parentPort } from 'node:worker_threads';
import { NotPlain } from '../read/fast.js';
import { Overtaken, readRecords, stopLine } from '../read/source.js';
import { buildAll } from './build.js';
import { failureOf } from './failure.js';
import { Intake } from './intake.js';
import { summarise } from '../measures/decision.js';
import { type FromSide, type SideChildren, type SideTask } from './shared.js';

const port = parentPort!;
// Its task comes as a message: the thread may be started before the task is known (see shared.ts).
const task = await new Promise<SideTask>((resolve) => port.once('message', resolve));
const { stops } = task;

try {
  const intake = new Intake(task.options);
  const onBytes = task.progress
    ? () => port.postMessage({ t: 'rows', rows: intake.acc.rowsRead } satisfies FromSide)
    : undefined;
  try {
    await readRecords(task.source, { ...intake.handlers(onBytes), stopAt: () => Atomics.load(stops, 0) });
  } catch (e) {
    // Said at once: the first thread need read no further than here.
    const line = stopLine(e);
    if (line !== undefined && !(e instanceof Overtaken)) Atomics.store(stops, 1, line);
    throw e;
  }
  if (!intake.layout) throw new NotPlain('no header'); // the first thread says so
  const { episodes, kinds } = buildAll(intake);
  const done = (children: SideChildren): FromSide => ({
    t: 'done',
    acc: intake.acc,
    findings: intake.findings.toData(),
    children,
    kinds,
    unexplained: intake.unexplained,
  });
  if (task.summaryOf) {
    // Only the sums are wanted: the children and their episodes stay here.
    const summary = summarise(episodes, task.summaryOf);
    const families = intake.children.packFamilies();
    const familiesMet = summary.familiesMet();
    port.postMessage(done({ summary: summary.toCounts(), families, familiesMet }), [
      families.bytes.buffer as ArrayBuffer,
      families.ends.buffer as ArrayBuffer,
      families.hashes.buffer as ArrayBuffer,
      familiesMet.buffer as ArrayBuffer,
      kinds.buffer as ArrayBuffer,
    ]);
  } else {
    const table = episodes.toData();
    const store = intake.children.toSide();
    port.postMessage(done({ store: store.data, episodes: table.data }), [
      ...store.transfer,
      ...table.transfer,
      kinds.buffer as ArrayBuffer,
    ]);
  }
} catch (e) {
  port.postMessage((e instanceof Overtaken ? { t: 'overtaken' } : failureOf(e)) satisfies FromSide);
}
