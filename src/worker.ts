/**
 * Runs one command in a worker thread. cli.ts starts it with a small young generation, which
 * the main thread cannot be given without command-line flags: streaming an export makes a
 * string per cell, and an 8 MiB young generation instead of V8's 32+ MiB keeps a million-row
 * audit within its memory budget at no cost in time (see npm run bench).
 *
 * The worker writes stdout and --output itself (see output/); it posts {t:'err'} text for stderr
 * and {t:'progress'} lines, then {t:'done', code} or {t:'fail', ...} for the main thread, which
 * alone sets the exit code. Report text is escaped for the terminal in run-task.ts, stderr in
 * program.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSideForArgs } from './intake/side-early.js';
import { type Chunk } from './output/fd.js';
import { type FromWorker, type Task } from './run-task.js';

// Started before the command line is read (see cli.ts), with its first argument (usually the
// command) and the rest. A big export is read by two threads: the second starts now, on a guess
// from the arguments, rather than once this thread has loaded its modules (~0.1 s later), which
// left it to finish last.
const given = workerData as { command?: unknown; args?: unknown[] } | undefined;
startSideForArgs(given?.command, given?.args ?? []);
const [{ commandRun, isCommandName }, { checkStdout, writeStdoutChunks }, { runTask }] = await Promise.all([
  import('./commands/registry.js'),
  import('./output/stdout.js'),
  import('./run-task.js'),
]);

const port = parentPort!;
/** The {t:'err'} messages posted so far. */
let posted = 0;
const post = (m: FromWorker) => {
  if (m.t === 'err') posted++;
  port.postMessage(m);
};

/**
 * Waits until the main thread has written the stderr text posted so far, for a second at most:
 * stdout is written from here at once, and a notice about the input (rejected rows, the config
 * used) came after the report about as often as before it where both streams meet (a terminal,
 * cron's mail, `2>&1`).
 */
function stderrFirst(written: Int32Array | undefined): void {
  if (!written) return;
  const until = Date.now() + 1000;
  for (let seen = Atomics.load(written, 0); seen < posted; seen = Atomics.load(written, 0)) {
    const left = until - Date.now();
    if (left <= 0) return;
    Atomics.wait(written, 0, seen, left);
  }
}

// The command it names first is loaded while the main thread reads the command line, and the
// task comes once it has. A wrong guess only loads a command not run.
const guess = given?.command;
if (isCommandName(guess)) void commandRun(guess).catch(() => {});
const task = await new Promise<Task>((resolve) => port.once('message', resolve));
const writeStdout = (chunks: Iterable<Chunk>) => {
  stderrFirst(task.stderrWritten);
  return writeStdoutChunks(chunks);
};
post(await runTask(task, { checkStdout, writeStdout, post }));
port.close();
