/** Axis bounds for the panel's charts: pure arithmetic, no DOM (unit-tested like lttb.ts). */

/** Smallest and largest finite value (a loop: spreading 100,000 points into Math.min overflows the stack). */
export function extent(values: Iterable<number>): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}
