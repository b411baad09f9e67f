/**
 * What a command may do to the outside world. Commands run in a worker thread (see shell.ts), so
 * they never touch process.stdout or process.exitCode: they write through this and return
 * their exit code.
 */
import { type Chunk } from '../output/fd.js';
export interface CommandIO {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The terminal's width when stdout is one (tables fit it; see report/table.ts). */
  stdoutColumns?: number | undefined;
  env: {
    NO_COLOR?: string | undefined;
    FORCE_COLOR?: string | undefined;
    TERM?: string | undefined;
    LANG?: string | undefined;
    LC_ALL?: string | undefined;
    LC_CTYPE?: string | undefined;
    COLUMNS?: string | undefined;
  };
  /** Resolves once written (or once stdout has closed: a `| head` is not an error). */
  writeStdout(chunks: Iterable<Chunk>, kind: ReportKind): Promise<void>;
  /** Writes a report file whole or not at all, 0600, never over a device or the input (output/file.ts). */
  writeFile(file: string, chunks: Iterable<Chunk>, kind: ReportKind): void;
  /** Human text: control characters are shown escaped (output/terminal.ts). */
  writeStderr(text: string): void;
  /** Replaces the progress line on stderr; '' clears it. */
  writeProgress(text: string): void;
}

/**
 * `text` is for people: control characters and bidi overrides are shown escaped on the way out
 * (output/terminal.ts). `data` (JSON, CSV) is written exact.
 */
export type ReportKind = 'text' | 'data';

export type CommandResult = 0 | 1;

export type CommandName = 'audit' | 'validate' | 'child' | 'inspect' | 'trend' | 'changes';

/**
 * How a command's options reach its implementation in the worker thread. Declared here, not in
 * registry.ts, so that the main thread's command definitions never import the registry (and
 * with it every command's implementation).
 */
export type Dispatch = (command: CommandName, file: string, flags: object) => Promise<void>;
