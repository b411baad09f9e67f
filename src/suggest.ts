/**
 * "Did you mean ...?" for a mistyped name: the nearest of a fixed vocabulary (event and route
 * names, config keys), so a typo is fixed from the message rather than from the README.
 */

/** Edit distance counting a swap of two neighbouring letters as one edit ("panle" for "panel"). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cur[j] = Math.min(cur[j], before[j - 2] + 1);
    }
    [before, prev] = [prev, cur];
  }
  return prev[b.length];
}

const fold = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

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
  return best !== undefined && best !== value && bestDistance <= Math.max(1, Math.floor(v.length / 3))
    ? best
    : undefined;
}

/** " (did you mean `x`?)", or nothing. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const n = nearest(value, candidates);
  return n === undefined ? '' : ` (did you mean \`${n}\`?)`;
}

/**
 * didYouMean over a fixed vocabulary, remembered per value: a broken mapping can reject a
 * million rows with a handful of distinct codes, and each would otherwise cost a search.
 */
export function suggester(candidates: readonly string[]): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    let hint = seen.get(value);
    if (hint === undefined) {
      hint = didYouMean(value, candidates);
      if (seen.size < 10_000) seen.set(value, hint);
    }
    return hint;
  };
}
