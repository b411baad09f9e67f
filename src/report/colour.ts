import { Chalk, type ChalkInstance } from 'chalk';

import { type ColourEnv, colourOn } from './colour-on.js';

/** chalk 5 reads neither a stream's terminal nor NO_COLOR reliably, so colourOn decides. */
export function colourFor(stream: { isTTY?: boolean }, env: ColourEnv): ChalkInstance {
  return new Chalk({ level: colourOn(stream, env) ? 1 : 0 });
}
