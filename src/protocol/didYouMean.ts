/** "Did you mean `--steps`?": the closest known name to a mistyped flag or command. */

/** Levenshtein distance (insertions, deletions, substitutions; a swap of neighbours counts 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `typed`, when it is close enough to be a typo: at most 1 edit for
 * names up to 4 characters, 2 up to 8, else 3 (or `typed` is a prefix of exactly one name).
 * `undefined` when nothing is that close or two names are equally close.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const limit = lower.length <= 4 ? 1 : lower.length <= 8 ? 2 : 3;
  const scored = known.map((name) => ({ name, distance: editDistance(lower, name.toLowerCase()) })).sort((x, y) => x.distance - y.distance);
  const best = scored[0];
  if (best !== undefined && best.distance <= limit && scored[1]?.distance !== best.distance) return best.name;
  const prefixed = known.filter((name) => name.startsWith(lower));
  return lower.length >= 3 && prefixed.length === 1 ? prefixed[0] : undefined;
}
