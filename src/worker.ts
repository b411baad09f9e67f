/**
 * Runs one command in a worker thread. cli.ts starts it with a small young generation, which
 * the main thread cannot be given without command-line flags: streaming an export makes a
 * string per cell, and an 8 MiB young generation instead of V8's 32+ MiB keeps a million-row
 * audit within its memory budget at no cost in time (see npm run bench).
 *
 * The worker writes stdout itself (see output/fd.ts); it posts {t:'err'} text for stderr, then
 * {t:'done', code} or {t:'fail', ...} for the main thread, which alone sets the exit code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ErrorCode, type ExitCode, PaceError } from './errors.js';
import { COMMANDS } from './commands/registry.js';
import { type CommandIO, type CommandName } from './commands/io.js';
import { writeChunksSync } from './output/fd.js';

export interface Task {
  command: CommandName;
  file: string;
  flags: object;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: { NO_COLOR?: string | undefined; TERM?: string | undefined; LANG?: string | undefined; LC_ALL?: string | undefined; LC_CTYPE?: string | undefined };
}

export type FromWorker =
  | { t: 'err'; data: string }
  | { t: 'done'; code: number }
  | { t: 'fail'; code: ErrorCode; message: string; exitCode: ExitCode }
  | { t: 'bug'; stack: string };

const port = parentPort!;
const task = workerData as Task;
const post = (m: FromWorker) => port.postMessage(m);

let stdoutClosed = false;

const io: CommandIO = {
  stdoutIsTTY: task.stdoutIsTTY,
  stderrIsTTY: task.stderrIsTTY,
  env: task.env,
  async writeStdout(chunks) {
    if (!stdoutClosed) stdoutClosed = !writeChunksSync(1, chunks);
  },
  writeStderr: (text) => post({ t: 'err', data: text }),
};

try {
  post({ t: 'done', code: await COMMANDS[task.command](task.file, task.flags as never, io) });
} catch (e) {
  if (e instanceof PaceError) post({ t: 'fail', code: e.code, message: e.message, exitCode: e.exitCode });
  else post({ t: 'bug', stack: (e as Error)?.stack ?? String(e) });
}
port.close();
