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
import { type FromSide, type SideTask } from './shared.js';

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
  const table = episodes.toData();
  const store = intake.children.toSide();
  const done: FromSide = {
    t: 'done',
    acc: intake.acc,
    findings: intake.findings.toData(),
    store: store.data,
    episodes: table.data,
    kinds,
    unexplained: intake.unexplained,
  };
  port.postMessage(done, [...store.transfer, ...table.transfer, kinds.buffer as ArrayBuffer]);
} catch (e) {
  port.postMessage((e instanceof Overtaken ? { t: 'overtaken' } : failureOf(e)) satisfies FromSide);
}
