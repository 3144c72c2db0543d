/** Axis bounds for the panel's charts: pure arithmetic, no DOM (unit-tested like lttb.ts). */
import { formatLoss, formatLr } from '../src/protocol/format';

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

/**
 * An LR axis's labels in the LR style used everywhere ("3e-6", not Chart.js's "0.000003"): the powers of
 * ten where the axis holds one, else its ends only (a constant LR's narrow axis). Chart.js labelled
 * every 1–9 × 10^k tick, "0.010000" over "0.007000" and under the axis title.
 */
export function lrTick(value: number | string, index: number, ticks: readonly { value: number }[]): string {
  const isPower = (v: number): boolean => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  const v = Number(value);
  if (ticks.some((t) => isPower(t.value))) return isPower(v) ? formatLr(v) : '';
  return index === 0 || index === ticks.length - 1 ? formatLr(v) : '';
}

/**
 * The top of the studies' loss axis where a few points would flatten the rest: a range test's last steps
 * (a batch-size study's reached 80 against curves at 1e-3) are cut at 1.5× the baseline or 1.2× the 95th
 * percentile of the values, whichever is higher; `null` (Chart.js's own) where nothing is that far up.
 */
export function progressYMax(values: readonly number[], baseline: { readonly loss: number; readonly valLoss: number | null } | null): number | null {
  const ys = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (ys.length === 0) return null;
  const level = baseline === null ? null : (baseline.valLoss ?? baseline.loss);
  const p95 = ys[Math.floor(0.95 * (ys.length - 1))]!;
  const cap = Math.max(level !== null && level > 0 ? 1.5 * level : Number.NEGATIVE_INFINITY, p95 > 0 ? 1.2 * p95 : Number.NEGATIVE_INFINITY);
  return Number.isFinite(cap) && ys[ys.length - 1]! > cap ? Number(cap.toPrecision(2)) : null;
}

/**
 * A logarithmic loss axis's labels (a batch-size study's, seriesStyle.ts): 1, 2 and 5 × 10^k where the
 * axis holds one, only the powers of ten where it holds 3 or more (over many decades "1" and "0.5"
 * touched), else its ends only. Chart.js labelled every 1–9 × 10^k tick, which overlap.
 */
export function logLossTick(value: number | string, index: number, ticks: readonly { value: number }[]): string {
  const mantissaIn = (v: number, of: readonly number[]): boolean => {
    if (!(v > 0)) return false;
    const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return of.some((k) => Math.abs(mantissa - k) < 1e-6 * k);
  };
  const powers = ticks.filter((t) => mantissaIn(t.value, [1, 10])).length;
  const nice = (v: number): boolean => mantissaIn(v, powers >= 3 ? [1, 10] : [1, 2, 5, 10]);
  const v = Number(value);
  if (ticks.some((t) => nice(t.value))) return nice(v) ? formatLoss(v) : '';
  return index === 0 || index === ticks.length - 1 ? formatLoss(v) : '';
}
