/**
 * The descriptor behind `-`, /dev/stdin or /dev/fd/N, to be read directly: Linux cannot open a
 * socket (how Node and some other programs hand over stdin) by its /dev/fd path (ENXIO).
 */
export function descriptorOf(file: string): number | undefined {
  if (file === '-' || file === '/dev/stdin') return 0;
  const m = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(file);
  return m ? Number(m[1]) : undefined;
}
