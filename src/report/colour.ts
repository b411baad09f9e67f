import { Chalk, type ChalkInstance } from 'chalk';

import { colourOn } from './colour-on.js';

/** chalk 5 reads neither a stream's terminal nor NO_COLOR reliably, so colourOn decides. */
export function colourFor(
  stream: { isTTY?: boolean },
  env: { NO_COLOR?: string | undefined; FORCE_COLOR?: string | undefined; TERM?: string | undefined },
): ChalkInstance {
  return new Chalk({ level: colourOn(stream, env) ? 1 : 0 });
}
