/**
 * Runs one command in a worker thread. cli.ts starts it with a small young generation, which
 * the main thread cannot be given without command-line flags: streaming an export makes a
 * string per cell, and an 8 MiB young generation instead of V8's 32+ MiB keeps a million-row
 * audit within its memory budget at no cost in time (see npm run bench).
 *
 * The worker writes stdout and --output itself (see output/); it posts {t:'err'} text for stderr
 * and {t:'progress'} lines, then {t:'done', code} or {t:'fail', ...} for the main thread, which
 * alone sets the exit code. Report text is escaped for the terminal here, stderr in cli.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ErrorCode, type ExitCode, PaceError } from './errors.js';
import { COMMANDS } from './commands/registry.js';
import { type CommandIO, type CommandName } from './commands/io.js';
import { CONFIG_FILE } from './config-file.js';
import { checkOutputFile, writeOutputFile } from './output/file.js';
import { checkStdout, writeStdoutChunks } from './output/stdout.js';
import { escapeChunks } from './output/terminal.js';
import { colourOn } from './report/colour.js';

export interface Task {
  command: CommandName;
  file: string;
  flags: object;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdoutColumns?: number | undefined;
  env: {
    NO_COLOR?: string | undefined;
    TERM?: string | undefined;
    LANG?: string | undefined;
    LC_ALL?: string | undefined;
    LC_CTYPE?: string | undefined;
    COLUMNS?: string | undefined;
  };
  /** Names this run's temporary files (output/file.ts); the main thread removes them if killed. */
  temporaryToken: string;
}

export type FromWorker =
  | { t: 'err'; data: string }
  | { t: 'progress'; data: string }
  | { t: 'done'; code: number }
  | { t: 'fail'; code: ErrorCode; message: string; exitCode: ExitCode }
  | { t: 'bug'; stack: string };

const port = parentPort!;
const task = workerData as Task;
const post = (m: FromWorker) => port.postMessage(m);

const flags = task.flags as { output?: string; config?: string };
// What the run reads, which no report may replace.
const inputs = [task.file, flags.config ?? CONFIG_FILE];
let readerGone = false;

const io: CommandIO = {
  stdoutIsTTY: task.stdoutIsTTY,
  stderrIsTTY: task.stderrIsTTY,
  stdoutColumns: task.stdoutColumns,
  env: task.env,
  async writeStdout(chunks, kind) {
    if (readerGone) return;
    readerGone = !writeStdoutChunks(
      kind === 'text' ? escapeChunks(chunks, { colour: colourOn({ isTTY: task.stdoutIsTTY }, task.env) }) : chunks,
    );
  },
  writeFile(file, chunks, kind) {
    writeOutputFile(file, kind === 'text' ? escapeChunks(chunks) : chunks, { token: task.temporaryToken, inputs });
  },
  writeStderr: (text) => post({ t: 'err', data: text }),
  writeProgress: (text) => post({ t: 'progress', data: text }),
};

try {
  // Before the work: an output that cannot take the report fails now, not after reading 2 GB.
  // `--output -` is stdout; with --out the reports go to the pack and stdout carries none.
  if (flags.output !== undefined && flags.output !== '-') checkOutputFile(flags.output, inputs);
  else if ((flags as { out?: string }).out === undefined) checkStdout(inputs);
  post({ t: 'done', code: await COMMANDS[task.command](task.file, task.flags as never, io) });
} catch (e) {
  if (e instanceof PaceError) post({ t: 'fail', code: e.code, message: e.message, exitCode: e.exitCode });
  else post({ t: 'bug', stack: (e as Error)?.stack ?? String(e) });
}
port.close();
