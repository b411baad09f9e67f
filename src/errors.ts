/**
 * Errors a user can cause (bad flags, unreadable or invalid input) carry a stable code and an
 * exit code. They are thrown anywhere and caught once, in cli.ts. Anything else is our bug.
 */
export type ExitCode = 0 | 1 | 2;

/**
 * Every code of an error that stops the run, with its exit code and what it means. The README's
 * "Errors that stop the run" table must list exactly these (test/docs.test.ts): add a code here
 * and there.
 */
export const ERROR_CODES = {
  USAGE: {
    exit: 2,
    meaning: 'the command line names an unknown command or option, or an argument is missing or one too many',
  },
  INVALID_OPTION: { exit: 2, meaning: 'a flag or argument has a value pace-audit cannot use' },
  INVALID_DURATION: { exit: 2, meaning: 'a target is not a duration such as 7.5m, 12w or 14d' },
  CONFIG_INVALID: { exit: 2, meaning: 'the config file cannot be read, is not JSON, or does not fit the schema' },
  FILE_NOT_FOUND: { exit: 2, meaning: 'the input file does not exist' },
  FILE_UNREADABLE: { exit: 2, meaning: 'the input cannot be read (permissions, a folder)' },
  INPUT_CHANGED: {
    exit: 2,
    meaning: 'the input file changed while it was read (written to, cut short or replaced)',
  },
  EMPTY_FILE: { exit: 2, meaning: 'the input holds no header' },
  NOT_TEXT: { exit: 2, meaning: 'the input holds binary data, not delimited text' },
  MALFORMED_CSV: { exit: 2, meaning: 'the CSV cannot be parsed (usually an unclosed quote)' },
  INVALID_ENCODING: {
    exit: 2,
    meaning:
      'text that is not valid in its encoding (bytes that are not UTF-8, a lone UTF-16 surrogate), or a byte-order mark that --encoding contradicts',
  },
  HEADER_CHANGED: {
    exit: 2,
    meaning: 'the header row comes again with its columns in another order (two exports joined)',
  },
  DUPLICATE_COLUMN: { exit: 2, meaning: 'two columns with the same header, for a column pace-audit reads' },
  MISSING_COLUMN: { exit: 2, meaning: 'a required column is missing from the header' },
  REJECTED_ROWS: { exit: 2, meaning: 'rows were rejected and --strict is set' },
  OUTPUT_UNWRITABLE: {
    exit: 2,
    meaning:
      'the --output file, the --out folder or stdout cannot be written (a full disk, a closed stdout, not a regular file)',
  },
  OUTPUT_IS_INPUT: {
    exit: 2,
    meaning: 'the --output file, or a stdout appended to, is the export or config being read',
  },
  NO_WORKING_FOLDER: { exit: 2, meaning: 'the folder pace-audit was run from has been removed' },
  CHILD_NOT_FOUND: { exit: 2, meaning: 'no row has the child id asked for' },
  KEY_MISSING: { exit: 2, meaning: '--pseudonymise without PACE_AUDIT_KEY or --key-file' },
  KEY_UNREADABLE: { exit: 2, meaning: 'the --key-file cannot be read' },
  KEY_FILE_OPEN: { exit: 2, meaning: 'the --key-file may be read by group or others' },
  KEY_TOO_SHORT: { exit: 2, meaning: 'the pseudonymisation key is under 16 characters' },
} as const satisfies Record<string, { exit: ExitCode; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The folder pace-audit was run from is gone (`code`: the system's, as ENOENT). */
export const noWorkingFolder = (code: string | undefined) =>
  new PaceError(
    'NO_WORKING_FOLDER',
    `the working folder no longer exists (${code ?? 'error'}); run pace-audit from one that does`,
  );

export class PaceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly exitCode: ExitCode = ERROR_CODES[code].exit,
  ) {
    super(message);
    this.name = 'PaceError';
  }
}

/** How an error that stops the run is told on stderr: one line, with its code. */
export const errorLine = (e: PaceError) => `pace-audit: ${e.message} [${e.code}]\n`;

/** A mistake in how the command was called. */
export const usageError = (code: ErrorCode, message: string) => new PaceError(code, message);

/** The input cannot be used at all (missing, empty, not CSV, required column absent, --strict). */
export const inputError = (code: ErrorCode, message: string) => new PaceError(code, message);
