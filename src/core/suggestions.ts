/**
 * Learning-rate suggestions from a finished range test (method.md §1), each with the reason a
 * user can check against the plot. All work on the finite points only: a NaN/Inf point never
 * becomes a suggestion.
 *
 * - `valley` and `minimum` follow fastai exactly, on the EMA-smoothed loss, trimmed to
 *   `[N//10 : -5]`.
 * - `steep` and Smith's `range` read a *centred* smoothing of the raw loss instead: the EMA
 *   lags (β 0.98 averages ~50 iterations, several decades of LR in a 100-step test), which
 *   would put the steepest point and the turn-up too far right. After the run the whole curve
 *   is known, so a centred window has no lag.
 */
import type { LrRange, RangePoint, SuggestionName } from '../protocol/results';

/** Fewer finite points than this after trimming: no suggestion, say so. */
export const MIN_POINTS = 10;
/** Half-width (in points) of the centred smoothing of the raw loss: median of 5, then mean of 5. */
export const CENTRED_HALF_WINDOW = 2;
/** Half-width (points) of the central difference used for slopes per decade. */
export const SLOPE_HALF_WINDOW = 2;
/**
 * "Flat": the loss fell by less than 5% of its starting level over the whole test. Then no LR
 * is better than another; the range is too low or the model cannot learn from this data.
 */
export const FLAT_RELATIVE_DROP = 0.05;
/**
 * "Clearly falling": the loss falls faster than 10% of the test's total drop per decade of LR.
 * A typical curve loses most of its drop within 1–3 decades (30–100%/decade there); near the
 * minimum the slope goes to zero. 10% separates the two with margin on both sides.
 */
export const CLEARLY_FALLING_PER_DECADE = 0.1;
/**
 * "Ragged": the raw loss scatters around the centred curve by more than 25% of the test's total
 * drop (mean absolute residual over a ±2-point window). Past that point single batches jump more
 * than the signal we read, which in practice happens just before divergence.
 */
export const RAGGED_FRACTION = 0.25;

export interface Suggestions {
  readonly suggestions: Record<SuggestionName, number | null>;
  readonly range: LrRange | null;
  readonly reasons: Record<SuggestionName | 'range', string>;
}

interface Series {
  readonly lrs: number[];
  readonly values: number[];
}

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-2 && a < 1e3 ? String(Number(x.toPrecision(3))) : x.toExponential(2).replace('e+', 'e');
}

/** Finite (lr, value) pairs, trimmed to fastai's `[N//10 : -5]` of the recorded points. */
function trimmedSmoothed(points: readonly RangePoint[]): Series {
  const n = points.length;
  const slice = points.slice(Math.floor(n / 10), Math.max(Math.floor(n / 10), n - 5));
  const lrs: number[] = [];
  const values: number[] = [];
  for (const p of slice) {
    if (p.smoothed !== null && Number.isFinite(p.smoothed) && Number.isFinite(p.lr)) {
      lrs.push(p.lr);
      values.push(p.smoothed);
    }
  }
  return { lrs, values };
}

/** Finite raw (lr, loss) pairs from `N//10` to the end (the turn-up lives at the end). */
function rawFromTenth(points: readonly RangePoint[]): Series {
  const lrs: number[] = [];
  const values: number[] = [];
  for (const p of points.slice(Math.floor(points.length / 10))) {
    if (p.loss !== null && Number.isFinite(p.loss) && Number.isFinite(p.lr) && p.lr > 0) {
      lrs.push(p.lr);
      values.push(p.loss);
    }
  }
  return { lrs, values };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function window<T>(xs: readonly T[], i: number, half: number): T[] {
  return xs.slice(Math.max(0, i - half), Math.min(xs.length, i + half + 1));
}

/** Median of 5 (drops single-batch spikes), then mean of 5 (smooths the steps the median leaves). */
export function centredSmooth(values: readonly number[]): number[] {
  const med = values.map((_, i) => median(window(values, i, CENTRED_HALF_WINDOW)));
  return med.map((_, i) => {
    const w = window(med, i, CENTRED_HALF_WINDOW);
    return w.reduce((s, x) => s + x, 0) / w.length;
  });
}

/** d(loss)/d(log10 lr) by central differences over ±SLOPE_HALF_WINDOW points. */
export function slopesPerDecade(lrs: readonly number[], values: readonly number[]): number[] {
  return values.map((_, i) => {
    const a = Math.max(0, i - SLOPE_HALF_WINDOW);
    const b = Math.min(values.length - 1, i + SLOPE_HALF_WINDOW);
    const dx = Math.log10(lrs[b]!) - Math.log10(lrs[a]!);
    return dx > 0 ? (values[b]! - values[a]!) / dx : 0;
  });
}

function argMin(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[best]!) best = i;
  return best;
}

/**
 * fastai's valley: the longest decreasing subsequence (not necessarily contiguous, O(n²)), then
 * the index `start + int(len/3) + int(len/3/2)` into it (about halfway), with fastai's
 * `start = end - lds[end]`.
 */
export function valleyIndex(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  const lds = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (values[i]! < values[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  return Math.min(n - 1, Math.max(0, maxStart + Math.trunc(sections) + Math.trunc(sections / 2)));
}

export interface CurveShape {
  /** Finite points from N//10 on, centred-smoothed. */
  readonly lrs: number[];
  readonly curve: number[];
  readonly raw: number[];
  readonly slopes: number[];
  readonly start: number;
  readonly minIndex: number;
  readonly drop: number;
  readonly flat: boolean;
}

/** The shape facts suggestions and sweep comparisons share; `null` when too few points. */
export function curveShape(points: readonly RangePoint[]): CurveShape | null {
  const { lrs, values } = rawFromTenth(points);
  if (values.length < MIN_POINTS) return null;
  const curve = centredSmooth(values);
  const slopes = slopesPerDecade(lrs, curve);
  const start = median(curve.slice(0, Math.max(3, Math.floor(curve.length / 20))));
  const minIndex = argMin(curve);
  const drop = start - curve[minIndex]!;
  const flat = drop <= FLAT_RELATIVE_DROP * Math.max(Math.abs(start), 1e-12);
  return { lrs, curve, raw: values, slopes, start, minIndex, drop, flat };
}

/** Index of the first ragged point at or after `from`, else `null`. */
function firstRagged(shape: CurveShape, from: number): number | null {
  for (let i = from; i < shape.curve.length; i++) {
    const w = window(shape.raw, i, 2).map((x, k) => Math.abs(x - shape.curve[Math.max(0, i - 2) + k]!));
    const scatter = w.reduce((s, x) => s + x, 0) / w.length;
    if (scatter > RAGGED_FRACTION * shape.drop) return i;
  }
  return null;
}

/** Smith's range: the largest LR still clearly falling before the turn-up or raggedness. */
export function smithRange(shape: CurveShape): { range: LrRange | null; reason: string } {
  if (shape.flat) {
    return { range: null, reason: `the loss barely fell (${fmt(shape.start)} → ${fmt(shape.curve[shape.minIndex]!)}): raise --end-lr, or check that the model can learn this data` };
  }
  const threshold = -CLEARLY_FALLING_PER_DECADE * shape.drop;
  const steepest = argMin(shape.slopes.slice(0, shape.minIndex + 1));
  const ragged = firstRagged(shape, steepest);
  const limit = Math.min(shape.minIndex, ragged === null ? Number.POSITIVE_INFINITY : ragged);
  let pick: number | null = null;
  for (let i = steepest; i <= limit; i++) {
    if (shape.slopes[i]! <= threshold) pick = i;
    else if (pick !== null) break;
  }
  if (pick === null) return { range: null, reason: 'no stretch where the loss clearly falls' };
  const maxLr = shape.lrs[pick]!;
  const why = ragged !== null && ragged <= shape.minIndex ? `before the loss gets ragged at ${fmt(shape.lrs[ragged]!)}` : `before it flattens and turns up at ${fmt(shape.lrs[shape.minIndex]!)}`;
  return {
    range: { minLr: maxLr / 10, maxLr },
    reason: `loss still clearly falling (${fmt(shape.slopes[pick]!)} per decade) at ${fmt(maxLr)}, ${why}; minLr = maxLr/10 for one cycle`,
  };
}

export function suggest(points: readonly RangePoint[]): Suggestions {
  const none = (why: string): Suggestions => ({
    suggestions: { steep: null, valley: null, minimum: null },
    range: null,
    reasons: { steep: why, valley: why, minimum: why, range: why },
  });
  const smoothed = trimmedSmoothed(points);
  const shape = curveShape(points);
  if (smoothed.values.length < MIN_POINTS || shape === null) {
    const finite = points.filter((p) => p.loss !== null).length;
    return none(`not enough points: ${finite} finite of ${points.length} recorded, need at least ${MIN_POINTS} after trimming the first 10% and last 5 — run more --steps or lower --start-lr`);
  }

  const reasons: Record<SuggestionName | 'range', string> = { steep: '', valley: '', minimum: '', range: '' };
  const suggestions: Record<SuggestionName, number | null> = { steep: null, valley: null, minimum: null };

  const iMin = argMin(smoothed.values);
  suggestions.minimum = smoothed.lrs[iMin]! / 10;
  reasons.minimum = `lowest smoothed loss ${fmt(smoothed.values[iMin]!)} at ${fmt(smoothed.lrs[iMin]!)}, divided by 10`;

  const v = valleyIndex(smoothed.values);
  if (v !== null) {
    suggestions.valley = smoothed.lrs[v]!;
    reasons.valley = `inside the longest stretch where the smoothed loss keeps falling (fastai's valley), ${fmt(smoothed.lrs[v]!)}`;
  }

  if (shape.flat) {
    suggestions.steep = null;
    reasons.steep = 'the loss did not fall: no steepest point';
  } else {
    const i = argMin(shape.slopes.slice(0, shape.minIndex + 1));
    suggestions.steep = shape.lrs[i]!;
    reasons.steep = `steepest descent: ${fmt(shape.slopes[i]!)} per decade at ${fmt(shape.lrs[i]!)}`;
  }

  const smith = smithRange(shape);
  reasons.range = smith.reason;
  if (shape.flat) {
    reasons.valley = `${reasons.valley} (unreliable: the loss barely fell)`;
    reasons.minimum = `${reasons.minimum} (unreliable: the loss barely fell)`;
  }
  return { suggestions, range: smith.range, reasons };
}

/** Facts a sweep compares across curves. */
export interface CurveSummary {
  readonly minSmoothedLoss: number | null;
  readonly lrAtMinLoss: number | null;
  readonly stableRange: LrRange | null;
  readonly stableDecades: number;
}

/**
 * Stable range of a curve: from the first LR where the loss clearly falls to the largest LR
 * where it still does (Smith's maxLr). Its width in decades is how much LR the regularization
 * tolerates.
 */
export function summarizeCurve(points: readonly RangePoint[]): CurveSummary {
  const shape = curveShape(points);
  if (shape === null) return { minSmoothedLoss: null, lrAtMinLoss: null, stableRange: null, stableDecades: 0 };
  let stableRange: LrRange | null = null;
  if (!shape.flat) {
    const smith = smithRange(shape).range;
    const threshold = -CLEARLY_FALLING_PER_DECADE * shape.drop;
    const first = shape.slopes.findIndex((s) => s <= threshold);
    if (smith !== null && first >= 0 && shape.lrs[first]! <= smith.maxLr) stableRange = { minLr: shape.lrs[first]!, maxLr: smith.maxLr };
  }
  // The centred curve, not the EMA: the EMA lags by tens of points and its minimum sits well
  // above the loss the model actually reached, which would blur comparisons between curves.
  return {
    minSmoothedLoss: shape.curve[shape.minIndex]!,
    lrAtMinLoss: shape.lrs[shape.minIndex]!,
    stableRange,
    stableDecades: stableRange === null ? 0 : Math.log10(stableRange.maxLr / stableRange.minLr),
  };
}
