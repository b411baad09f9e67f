/**
 * One command run, as the worker thread does it (worker.ts): the output checks before the work,
 * the command, and its outcome as a message for the main thread, which alone turns it into an
 * exit code (program.ts). Where stdout, stderr and progress go is the caller's: the worker writes
 * stdout's descriptor and posts the rest; the test suite's in-process runner keeps them in memory.
 */
import { type ErrorCode, type ExitCode, PaceError } from './errors.js';
import { commandRun } from './commands/registry.js';
import { type CommandIO, type CommandName } from './commands/io.js';
import { CONFIG_FILE } from './config-file.js';
import { checkOutputFile, writeOutputFile } from './output/file.js';
import { type Chunk } from './output/fd.js';
import { escapeChunks } from './output/terminal.js';
import { dropSideEarly, SHARED_READS, startSideEarly } from './intake/side-early.js';
import { colourOn } from './report/colour-on.js';

export interface Task {
  command: CommandName;
  file: string;
  flags: object;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdoutColumns?: number | undefined;
  env: CommandIO['env'];
  /** Names this run's temporary files (output/file.ts); the main thread removes them if killed. */
  temporaryToken: string;
  /**
   * How many of the run's {t:'err'} messages the main thread has written to stderr (shared
   * memory): the worker waits for them before it writes stdout (see worker.ts).
   */
  stderrWritten?: Int32Array | undefined;
}

/** What a run sends to the main thread: stderr text and progress lines, then one outcome. */
export type FromWorker =
  | { t: 'err'; data: string }
  | { t: 'progress'; data: string }
  | { t: 'done'; code: number }
  | { t: 'fail'; code: ErrorCode; message: string; exitCode: ExitCode }
  | { t: 'bug'; stack: string };

export type Outcome = Extract<FromWorker, { t: 'done' | 'fail' | 'bug' }>;

export interface TaskSinks {
  /** Throws before the work when stdout cannot take the report (output/stdout.ts). */
  checkStdout(inputs: readonly string[]): void;
  /** Writes a report (text escaped, data exact); false once the reader has gone (`| head`). */
  writeStdout(chunks: Iterable<Chunk>): boolean;
  post(m: Extract<FromWorker, { t: 'err' | 'progress' }>): void;
}

export async function runTask(task: Task, sinks: TaskSinks): Promise<Outcome> {
  const flags = task.flags as { output?: string; config?: string; out?: string };
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
      readerGone = !sinks.writeStdout(
        kind === 'text' ? escapeChunks(chunks, { colour: colourOn({ isTTY: task.stdoutIsTTY }, task.env) }) : chunks,
      );
    },
    writeFile(file, chunks, kind) {
      writeOutputFile(file, kind === 'text' ? escapeChunks(chunks) : chunks, { token: task.temporaryToken, inputs });
    },
    writeStderr: (text) => sinks.post({ t: 'err', data: text }),
    writeProgress: (text) => sinks.post({ t: 'progress', data: text }),
  };

  try {
    // Before the work: an output that cannot take the report fails now, not after reading 2 GB.
    // `--output -` is stdout; with --out the reports go to the pack and stdout carries none.
    if (flags.output !== undefined && flags.output !== '-') checkOutputFile(flags.output, inputs);
    else if (flags.out === undefined) sinks.checkStdout(inputs);
    // While the command loads: a big export is read by two threads (intake/shared.ts).
    if (SHARED_READS.has(task.command)) startSideEarly(task.file);
    const run = await commandRun(task.command);
    return { t: 'done', code: await run(task.file, task.flags as never, io) };
  } catch (e) {
    if (e instanceof PaceError) return { t: 'fail', code: e.code, message: e.message, exitCode: e.exitCode };
    return { t: 'bug', stack: (e as Error)?.stack ?? String(e) };
  } finally {
    dropSideEarly();
  }
}
