/**
 * How the studies' chart draws its series: pure, no DOM (unit-tested like bounds.ts).
 *
 * A batch-size study has two series per size, "batch 32 range test" (LR against steps, run first) and
 * "batch 32" (the 1cycle run the study compares, against wall time). Drawn alike, each in the next
 * colour of the palette, the range tests' blow-ups (to 13 where the runs ended near 0.03) flattened the
 * runs the pick is read from, and eight series cycled six colours ("batch 32" and "batch 128" were two
 * oranges). A size's two series now share its colour; its range test is drawn thin and dotted, and hidden
 * (the legend shows it) once the size's run has started.
 */
import { RANGE_TEST_SUFFIX } from '../src/protocol/progress';

export interface SeriesStyle {
  /** Index into the palette: one per size (or per series where none pairs). */
  readonly color: number;
  /** This series is the range test of the series named here, which has started. */
  readonly rangeTestOf: string | null;
  readonly hidden: boolean;
}

/** The styles of `names` (in the order drawn); `pairs`: a batch-size study's range test shares its size's colour. */
export function seriesStyles(names: readonly string[], pairs: boolean): SeriesStyle[] {
  const present = new Set(names);
  const baseOf = (name: string): string => (pairs && name.endsWith(RANGE_TEST_SUFFIX) ? name.slice(0, -RANGE_TEST_SUFFIX.length) : name);
  const bases = [...new Set(names.map(baseOf))];
  return names.map((name) => {
    const base = baseOf(name);
    const rangeTestOf = base !== name && present.has(base) ? base : null;
    return { color: bases.indexOf(base), rangeTestOf, hidden: rangeTestOf !== null };
  });
}

/**
 * Whether the studies' loss axis is logarithmic: a batch-size study's runs end a few hundredths apart
 * near their best (0.0305 against 0.0925) under a baseline of 2.3, which a linear axis draws as one
 * line. Only where every value drawn is above 0 and they span more than a factor of 10.
 */
export function logLossAxis(values: readonly number[]): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v <= 0) return false;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return max > 0 && max / min > 10;
}
