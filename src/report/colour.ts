import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colour only on a terminal and never with NO_COLOR set to anything non-empty (no-color.org).
 * chalk 5 reads neither reliably for a given stream, so we decide here.
 */
export const colourOn = (
  stream: { isTTY?: boolean },
  env: { NO_COLOR?: string | undefined; TERM?: string | undefined },
): boolean => stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';

export function colourFor(
  stream: { isTTY?: boolean },
  env: { NO_COLOR?: string | undefined; TERM?: string | undefined },
): ChalkInstance {
  return new Chalk({ level: colourOn(stream, env) ? 1 : 0 });
}
