/**
 * Runs one command in a worker thread. cli.ts starts it with a small young generation, which
 * the main thread cannot be given without command-line flags: streaming an export makes a
 * string per cell, and a 12 MiB young generation instead of V8's 32+ MiB keeps a million-row
 * audit within its memory budget at no cost in time (see npm run bench).
 *
 * Protocol: the worker posts {t:'out'} chunks (and waits for {t:'ack'} or {t:'closed'}),
 * {t:'err'} text, then {t:'done', code} or {t:'fail', ...}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PaceError } from './errors.js';
import { COMMANDS, type CommandName } from './commands/registry.js';
import { type CommandIO } from './commands/io.js';

export interface Task {
  command: CommandName;
  file: string;
  flags: object;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: { NO_COLOR?: string; TERM?: string };
}

export type FromWorker =
  | { t: 'out'; data: string }
  | { t: 'err'; data: string }
  | { t: 'done'; code: number }
  | { t: 'fail'; code: string; message: string; exitCode: number }
  | { t: 'bug'; stack: string };

const port = parentPort!;
const task = workerData as Task;
const post = (m: FromWorker) => port.postMessage(m);

let stdoutClosed = false;
let waiting: (() => void) | undefined;
port.on('message', (m: { t: 'ack' | 'closed' }) => {
  if (m.t === 'closed') stdoutClosed = true;
  const w = waiting;
  waiting = undefined;
  w?.();
});

const CHUNK = 256 * 1024;

const io: CommandIO = {
  stdoutIsTTY: task.stdoutIsTTY,
  stderrIsTTY: task.stderrIsTTY,
  env: task.env,
  async writeStdout(chunks) {
    let buffer = '';
    const flush = async () => {
      post({ t: 'out', data: buffer });
      buffer = '';
      await new Promise<void>((resolve) => (waiting = resolve));
    };
    for (const chunk of chunks) {
      if (stdoutClosed) return;
      buffer += chunk;
      if (buffer.length >= CHUNK) await flush();
    }
    if (buffer && !stdoutClosed) await flush();
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
