/**
 * Errors a user can cause (bad flags, unreadable or invalid input) carry a stable code and an
 * exit code. They are thrown anywhere and caught once, in cli.ts. Anything else is our bug.
 */
export type ExitCode = 0 | 1 | 2;

export class PaceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = 2,
  ) {
    super(message);
    this.name = 'PaceError';
  }
}

/** A mistake in how the command was called. */
export const usageError = (code: string, message: string) => new PaceError(code, message, 2);

/** The input cannot be used at all (missing, empty, not CSV, required column absent, --strict). */
export const inputError = (code: string, message: string) => new PaceError(code, message, 2);
