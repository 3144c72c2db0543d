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

/** About this many steps between the loss axis's bottom and top (`onTickGrid`). */
const AXIS_STEPS = 7;

/**
 * The loss axis's bounds moved out to the nearest multiples of a round step (1, 2 or 5 × 10^k, about
 * `AXIS_STEPS` of them across), with that step for chart.js's ticks: bounds off the grid get a
 * tick of their own, so a PNG's axis read 0.18, 0.4, 0.6, … — its lowest gap uneven. Never below 0
 * for a loss that is not.
 */
export function onTickGrid(bounds: { min?: number; max?: number }): { min?: number; max?: number; stepSize?: number } {
  const { min, max } = bounds;
  if (min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) return bounds;
  const raw = (max - min) / AXIS_STEPS;
  const decade = 10 ** Math.floor(Math.log10(raw));
  // Not 2.5: its ticks need a digit more than the labels give (1.25 read "1.3"). Up to a quarter
  // finer than `raw`, so that 0.203 takes 0.2 (8 steps), not 0.5 (4).
  const stepSize = ([1, 2, 5, 10].find((m) => m * decade >= raw * 0.75) ?? 10) * decade;
  // Rounded to the step's own digits, so that 0.6000000000000001 reads 0.6.
  const digits = Math.max(0, -Math.floor(Math.log10(stepSize)) + 2);
  const snap = (x: number): number => Number(x.toFixed(digits));
  const low = snap(Math.floor(min / stepSize + 1e-9) * stepSize);
  return { min: min >= 0 ? Math.max(0, low) : low, max: snap(Math.ceil(max / stepSize - 1e-9) * stepSize), stepSize };
}

/**
 * The loss axis a range-test chart draws (the panel's and the plot files' alike): `lossAxisRange`'s
 * bounds with 5% room below (not below 0 where no loss is), stretched to show the baseline
 * (`withBaseline`), on a round step's grid (`onTickGrid`). The panel's, padded below 0 before it was
 * put on the grid, began a whole step below zero (−0.5 under an MNIST curve from 0.1 to 3.6).
 */
export function chartLossAxis(axis: { min: number; max: number }, baselineLevel: number | null): { min?: number; max?: number; stepSize?: number } {
  const padded = axis.min - (axis.max - axis.min) * 0.05;
  return onTickGrid(withBaseline({ min: axis.min >= 0 ? Math.max(0, padded) : padded, max: axis.max }, baselineLevel));
}
