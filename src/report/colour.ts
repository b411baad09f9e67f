import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colour only on a terminal and never with NO_COLOR set to anything non-empty (no-color.org).
 * chalk 5 reads neither reliably for a given stream, so we decide here.
 */
export function colourFor(stream: { isTTY?: boolean }, env: { NO_COLOR?: string | undefined; TERM?: string | undefined }): ChalkInstance {
  const on = stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
  return new Chalk({ level: on ? 1 : 0 });
}
