/**
 * "Did you mean ...?" for a mistyped name: the nearest of a fixed vocabulary (event and route
 * names, config keys), so a typo is fixed from the message rather than from the README.
 */

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

const fold = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, '');

/**
 * The candidate closest to `value`, when it is close enough to be a typo of it (about one edit in
 * three characters); undefined otherwise, and for values too long to be a mistyped name.
 */
export function nearest(value: string, candidates: Iterable<string>): string | undefined {
  const v = fold(value);
  if (v === '' || v.length > 60) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(v, fold(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && best !== value && bestDistance <= Math.max(1, Math.floor(v.length / 3)) ? best : undefined;
}

/** " (did you mean `x`?)", or nothing. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const n = nearest(value, candidates);
  return n === undefined ? '' : ` (did you mean \`${n}\`?)`;
}
