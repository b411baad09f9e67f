/**
 * What a command may do to the outside world. Commands run in a worker thread (see cli.ts), so
 * they never touch process.stdout or process.exitCode: they write through this and return
 * their exit code.
 */
export interface CommandIO {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: { NO_COLOR?: string; TERM?: string };
  /** Resolves once written (or once stdout has closed: a `| head` is not an error). */
  writeStdout(chunks: Iterable<string>): Promise<void>;
  writeStderr(text: string): void;
}

export type CommandResult = 0 | 1;
