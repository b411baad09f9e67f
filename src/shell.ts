/**
 * The thin shell: the process's side of the program (program.ts). It writes the descriptors,
 * runs the command in the worker thread cli.ts started (worker.ts), cleans up when killed, and
 * sets the exit code.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { type Worker } from 'node:worker_threads';
import { bundleTemporaryName } from './commands/audit/bundle-name.js';
import { type CommandName } from './commands/io.js';
import { noWorkingFolder } from './errors.js';
import { outputError } from './output/errors.js';
import { newTemporaryToken, temporaryPathFor } from './output/file.js';
import { missingFolders, removeEmptyFolders } from './output/folders.js';
import { writeAllSync } from './output/fd.js';
import { type Host, main, type Relay } from './program.js';
import { colourOn } from './report/colour-on.js';
import { type FromWorker, type Outcome, type Task } from './run-task.js';

// An unwritable stderr (`2>&-`, `2>/dev/full`) leaves nothing to tell: carry on without it.
process.stderr.on('error', () => {});

const host: Omit<Host, 'run'> = {
  stderrColour: colourOn({ isTTY: isatty(2) }, process.env),
  // Help and the version go to stdout through the same writer as reports (not process.stdout,
  // which would make a pipe non-blocking for the worker).
  writeOut(text) {
    try {
      writeAllSync(1, text);
    } catch (e) {
      throw outputError('stdout', e);
    }
  },
  writeErr: (text) => process.stderr.write(text),
};

/** How the worker thread stopped: with the error it could not handle, or on its own. */
export interface WorkerEnd {
  error?: unknown;
}

/**
 * Runs the command line, with the worker thread that will run its command, if any, and its end
 * (which may come before its task: then a run stops as our bug, rather than waiting for it).
 */
export async function shell(worker: Worker, stopped: Promise<WorkerEnd>): Promise<void> {
  process.exitCode = await main(process.argv, {
    ...host,
    run: (command, file, flags, relay) => inWorker(worker, stopped, command, file, flags, relay),
  });
}

/** Runs a command in the worker thread (see worker.ts) and relays its output here. */
function inWorker(
  worker: Worker,
  stopped: Promise<WorkerEnd>,
  command: CommandName,
  file: string,
  flags: object,
  relay: Relay,
): Promise<Outcome> {
  // The stderr messages written here, counted for the worker to wait on before stdout (worker.ts).
  const stderrWritten = new Int32Array(new SharedArrayBuffer(4));
  const task: Task = {
    command,
    file,
    flags,
    // isatty, not process.stdout.isTTY: opening the stdout stream here would make a pipe
    // non-blocking under the worker, which writes to the descriptor directly.
    stdoutIsTTY: isatty(1),
    stderrIsTTY: isatty(2),
    // A terminal's stream is safe to open (it is no pipe), and only it knows its width.
    stdoutColumns: isatty(1) ? process.stdout.columns : undefined,
    env: {
      NO_COLOR: process.env.NO_COLOR,
      FORCE_COLOR: process.env.FORCE_COLOR,
      TERM: process.env.TERM,
      LANG: process.env.LANG,
      LC_ALL: process.env.LC_ALL,
      LC_CTYPE: process.env.LC_CTYPE,
      COLUMNS: process.env.COLUMNS,
    },
    temporaryToken: newTemporaryToken(),
    stderrWritten,
  };
  return new Promise((resolve, reject) => {
    // Killed part-way (Ctrl-C, a cron timeout): leave neither half a report nor its temporary file.
    const { output, out } = flags as { output?: string; out?: string };
    const leftovers = [
      output && output !== '-' ? temporaryPathFor(output, task.temporaryToken) : undefined,
      out === undefined ? undefined : join(out, bundleTemporaryName(process.pid)),
    ].filter((p) => p !== undefined);
    // The folders this run would make for its pack (the pack's and any above it): made and left
    // empty, they are taken away too.
    const made = out === undefined ? [] : missingFolders(out);
    // A progress line on the terminal (relayed below) when the run is stopped: cleared, or the
    // shell's prompt comes after "reading: 12/48 MiB" on the same line.
    let progressShown = false;
    if (leftovers.length || task.stderrIsTTY) {
      for (const [signal, code] of [
        ['SIGINT', 130],
        ['SIGTERM', 143],
      ] as const)
        process.once(signal, () => {
          if (progressShown) writeAllSync(2, '\r\u001b[K');
          for (const p of leftovers) rmSync(p, { force: true, recursive: true });
          removeEmptyFolders(made); // only empty ones: nothing of anyone's is removed
          // Then die by the signal, as a run with nothing to tidy does (its default action): a
          // shell sees the run was interrupted, and nothing waits for the worker thread, which
          // process.exit would, however long its read of a stalled pipe lasts. `exit` is for
          // where the signal is ignored.
          process.kill(process.pid, signal);
          process.exit(code);
        });
    }
    // Only now, with the leftovers known (a pack folder it makes is not there yet) and the
    // signals handled, does the waiting worker get its task.
    worker.postMessage(task);
    // Until now it was not to keep the process alive (help, a usage error: no task for it).
    worker.ref();
    let outcome: Outcome | undefined;
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'err') {
        relay.err(m.data);
        Atomics.add(stderrWritten, 0, 1);
        Atomics.notify(stderrWritten, 0);
      } else if (m.t === 'progress') {
        relay.progress(m.data);
        progressShown = m.data !== '';
      } else outcome = m;
    });
    void stopped.then(({ error }) => {
      // The working folder removed as the thread started (it asks for it first): as cli.ts says.
      if ((error as NodeJS.ErrnoException | undefined)?.syscall === 'uv_cwd')
        reject(noWorkingFolder((error as NodeJS.ErrnoException).code));
      else if (error !== undefined) reject(error);
      else if (outcome) resolve(outcome);
      else reject(new Error('the worker stopped without a result'));
    });
  });
}
