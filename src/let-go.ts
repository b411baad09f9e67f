/**
 * Frees, now, the big typed arrays a phase has let go of. Their memory goes back only when the
 * garbage collector next runs, and after the reading a run allocates too little for it to run
 * soon: the events of every child (let go of once the episodes are built), another thread's
 * tables (once merged) and the rows before renumbering stayed in memory through the measuring and
 * writing, 20-30 MiB on an export of 310,000 children. A full collection at those points takes a
 * few milliseconds: the heap holds little but those arrays.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/** Children from which a load has let go of enough to be worth a collection. */
const WORTH_IT_FROM = 20_000;

/** Frees what a load of `children` children has let go of, if that is worth a collection. */
export function letGo(children = Infinity): void {
  if (children < WORTH_IT_FROM) return;
  if (collect === undefined) {
    // The one way to ask for a collection without starting node with --expose-gc: the flag
    // exposes `gc` to contexts made after it is set. Where it does not, nothing is asked.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  }
  collect?.();
}
