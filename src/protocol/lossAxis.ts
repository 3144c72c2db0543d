/**
 * The loss axis of a range-test chart (panel, PNG/HTML plot, terminal sketch): from the lowest
 * loss up to 1.6 × the first smoothed loss's height above it, so the final blow-up does not
 * squash the part of the curve the advice is read from. A curve that never goes below its start
 * is shown whole.
 */

/** How far above the lowest loss the axis reaches, in multiples of the first loss's height above it. */
export const LOSS_AXIS_HEADROOM = 1.6;

/**
 * `smoothed`: the curve the axis is fitted to (its first finite value is the start); `others`:
 * further losses drawn on the same axis (the raw loss), which may only lower its bottom.
 * `null` when there is no finite smoothed value.
 */
export function lossAxisRange(smoothed: readonly (number | null)[], others: readonly (number | null)[] = []): { min: number; max: number } | null {
  const finite = (values: readonly (number | null)[]): number[] => values.filter((v): v is number => v !== null && Number.isFinite(v));
  const curve = finite(smoothed);
  const first = curve[0];
  if (first === undefined) return null;
  // Loops, not Math.min(...values): spreading a 100,000-step run overflows the stack.
  const min = [...curve, ...finite(others)].reduce((a, b) => (b < a ? b : a), first);
  const max = first > min ? min + (first - min) * LOSS_AXIS_HEADROOM : curve.reduce((a, b) => (b > a ? b : a), first);
  return { min, max: max > min ? max : min + 1e-9 };
}

/** The y bounds stretched to show the baseline when it lies a little above them (never squashing the curve more than 2×): the panel's and the plot files'. */
export function withBaseline(bounds: { min?: number; max?: number }, level: number | null): { min?: number; max?: number } {
  if (level === null || bounds.max === undefined || bounds.min === undefined) return bounds;
  if (level <= bounds.max || level > bounds.min + 2 * (bounds.max - bounds.min)) return bounds;
  return { min: bounds.min, max: level + (level - bounds.min) * 0.05 };
}
