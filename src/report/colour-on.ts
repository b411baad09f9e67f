/**
 * Whether to colour a stream: only on a terminal, and never with NO_COLOR set to anything
 * non-empty (no-color.org), nor with FORCE_COLOR=0 or false (the switch chalk and most Node tools
 * read, as chalk reads it; its other values do not colour a pipe or a file here: colour is for a
 * terminal only).
 *
 * Apart from colour.ts because the shell needs it on the main thread, where chalk must never
 * load: its supports-color imports node:process, whose ES module reads process.stdin, and that
 * sets a piped stdin non-blocking, so the worker's reads of the export from `-` failed with
 * EAGAIN whenever the writer was slower than the reader.
 */
/** What of the environment decides colour. */
export interface ColourEnv {
  NO_COLOR?: string | undefined;
  FORCE_COLOR?: string | undefined;
  TERM?: string | undefined;
}

export const colourOn = (stream: { isTTY?: boolean }, env: ColourEnv): boolean =>
  stream.isTTY === true && !env.NO_COLOR && !forcedOff(env.FORCE_COLOR) && env.TERM !== 'dumb';

/** FORCE_COLOR as supports-color reads "off": `false`, or a number that reads as 0 (`0`, `00`, ` 0`). */
const forcedOff = (v: string | undefined) => v !== undefined && (v === 'false' || Number.parseInt(v, 10) === 0);
