/**
 * The second thread of a shared read (shared.ts), started before the command that will want it
 * has loaded. Kept apart from shared.ts, which loads the whole reading code: the thread running
 * the command starts this one first (see worker.ts), so both begin to read at about the same time.
 */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CommandName } from '../commands/io.js';

const SIDE_WORKER = new URL('./share-worker.js', import.meta.url);

/** Below this a second thread costs more to start than it saves. */
export const SPLIT_FROM = 8 * 1024 * 1024;

/** Commands that read a whole export for every child, and so may share it out between threads. */
export const SHARED_READS: ReadonlySet<string> = new Set<CommandName>(['audit', 'validate', 'trend', 'changes']);

/** Whether there is a compiled second thread to start: run from TypeScript sources (as tests do) there is none. */
export const sideBuilt = (): boolean => existsSync(fileURLToPath(SIDE_WORKER));

/** A new second thread, or undefined when none can be had (EAGAIN under a limit on threads): one thread reads then. */
function sideWorker(): Worker | undefined {
  try {
    return new Worker(SIDE_WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 6 } });
  } catch {
    return undefined;
  }
}

/** A second thread started ahead of its task (see `startSideEarly`); `gone` once it stopped. */
let early: { worker: Worker; gone: boolean } | undefined;

/**
 * Starts the second thread of a shared read for `file`, if it is big enough to be shared out:
 * a thread takes ~0.15 s to start and load its modules, which otherwise came after the first
 * thread had begun to read, and the second thread finished last. One left unused goes at
 * `dropSideEarly`. Whether it is used is decided by the file the command reads, not this one.
 */
export function startSideEarly(file: string): void {
  if (early || !sideBuilt()) return;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size < SPLIT_FROM) return;
  } catch {
    return; // the command says what is wrong with the file
  }
  const worker = sideWorker();
  if (!worker) return;
  const started = { worker, gone: false };
  started.worker.unref();
  started.worker.once('error', () => (started.gone = true));
  started.worker.once('exit', () => (started.gone = true));
  early = started;
}

/**
 * As the thread that runs the command starts, before the main thread has parsed the command
 * line (see worker.ts): starts the second thread if `command`
 * shares out its reads and any argument not an option names a file big enough. A guess: the
 * files other options name are passed over (last month's big report as `--output`), and so is
 * a run for help, which reads nothing; an option's value still taken for the export leaves the
 * thread unused, costing its start (and the address space a thread reserves).
 */
export function startSideForArgs(command: unknown, args: readonly unknown[]): void {
  if (typeof command !== 'string' || !SHARED_READS.has(command)) return;
  if (args.some((a) => typeof a === 'string' && NO_READ.has(a))) return;
  for (let k = 0; k < args.length && !early; k++) {
    const a = args[k];
    if (typeof a !== 'string' || a === '' || a.startsWith('-')) continue;
    if (k > 0 && OTHER_FILES.has(args[k - 1] as string)) continue;
    startSideEarly(a);
  }
}
const NO_READ = new Set(['-h', '--help', '-V', '--version']);
/** Options whose value names a file or folder that is not the export. */
const OTHER_FILES = new Set(['--output', '--out', '--config', '--key-file']);

/** Lets go of a second thread started early and never given a task. */
export function dropSideEarly(): void {
  void early?.worker.terminate();
  early = undefined;
}

/** The thread started early, if it is still there, or a new one (undefined: none can be had). */
export function takeSideWorker(): Worker | undefined {
  const taken = early;
  early = undefined;
  if (!taken || taken.gone) return sideWorker();
  taken.worker.removeAllListeners();
  taken.worker.ref();
  return taken.worker;
}
