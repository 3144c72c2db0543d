/**
 * Reading a finished range test's curve (method.md §1): which points count, the lag-free curve
 * every suggestion is read from, and the facts about its shape (flat, ragged, where it bottoms).
 *
 * Which points count:
 * - Like fastai's `lr_find`, everything stops at the first non-finite point (`loss`, `smoothed`
 *   or `lr`): what comes after a NaN was trained from broken weights. A NaN point never becomes
 *   a suggestion.
 * - Suggestions are picked only among points `[N//10 : N-5]` (N = points recorded, fastai's
 *   trim): the first tenth is the EMA's warm-up, the last five the blow-up. When that slice
 *   holds fewer than `MIN_POINTS` finite points, there is no shape (`curveShape` is `null`).
 *   (fastai counts N as the planned iterations; we only see the recorded ones, so a test
 *   stopped early trims a little less.)
 *
 * The lag-free curve: a *centred* local-linear fit of the raw loss. The EMA lags (β 0.98
 * averages ~50 iterations, several decades of LR in a 100-step test), which would put the
 * steepest point and the end of the fall too far right; once the run is over the whole curve is
 * known, so a centred fit has no lag. Its window widens with the noise (`chooseFit`), which is
 * what keeps noisy curves readable. This is the curve the plots draw bold (`FindLrResult.fitted`).
 */
import type { FittedPoint, RangePoint } from '../protocol/results';

/** Fewer finite points than this in `[N//10 : N-5]`: no suggestion, say so. */
export const MIN_POINTS = 10;
/** fastai's trim: drop the first `N // TRIM_START_DIVISOR` points ... */
export const TRIM_START_DIVISOR = 10;
/** ... and the last `TRIM_END_POINTS`. */
export const TRIM_END_POINTS = 5;

/**
 * "Clearly falling": the fitted loss falls faster than 10% of the test's total drop per decade
 * of LR. A typical curve loses most of its drop within 1–3 decades (30–100% per decade there);
 * on the plateau before the turn-up the slope goes to zero. 10% separates the two with margin on
 * both sides, and being relative to the drop it is the same rule for any loss scale.
 */
export const CLEARLY_FALLING_PER_DECADE = 0.1;
/**
 * Where a falling stretch ends: the slope rises above −5% of the drop per decade. Half the
 * "clearly falling" threshold, as a Schmitt trigger: noise that nudges a steep fall just past the
 * threshold does not end the stretch, and maxLr is still the last point that is clearly falling.
 */
export const FALL_ENDS_PER_DECADE = 0.05;
/**
 * "Flat", part 1: the loss fell by less than 5% of its starting level. Then no LR is better than
 * another: the LR range is too low, or the model cannot learn from this data.
 */
export const FLAT_RELATIVE_DROP = 0.05;
/**
 * "Flat", part 2: the drop is under 6 standard errors of the fitted loss (σ/√window). On pure
 * noise the start-to-lowest drop of a 100-point fitted curve is a median 1.8 and a 99th
 * percentile 5.5 standard errors (300 seeded curves), so a drop under 6 is what noise alone
 * produces; a real 20% fall under 10% per-batch noise still clears it at 100 steps.
 */
export const FLAT_NOISE_MULTIPLE = 6;
/**
 * "Ragged": around a point, the batch-to-batch scatter of the raw loss (median |second
 * difference| over ±`RAGGED_HALF_WINDOW` points, as a std) exceeds 5× the typical scatter (the
 * larger of the median before that window and over the whole curve) *and* 5% of the total
 * drop. Neighbouring second differences share raw points, so steady noise makes clusters: at 3×
 * a seeded 5%-noise curve was called ragged 13 times in 100, at 5× never; real raggedness before
 * divergence is 10× or more. Medians make one wild batch a spike, not raggedness. The drop term
 * keeps a nearly noiseless curve (typical scatter ~0) from being called ragged at every bend.
 */
export const RAGGED_NOISE_RATIO = 5;
export const RAGGED_FRACTION_OF_DROP = 0.05;
export const RAGGED_HALF_WINDOW = 4;
/** Second differences needed before a window for "typical scatter" to mean anything. */
export const RAGGED_MIN_REFERENCE = 10;
/**
 * Longest series the shape is read on. A 1000-point curve resolves LR to ~0.01 decade, far finer
 * than any suggestion needs, and keeps the fit and raggedness scans (quadratic in places) well
 * under a second even for a 100 000-step test.
 */
export const MAX_SHAPE_POINTS = 1000;
/** Narrowest fit window: ±2 points (5 points) already averages out single-batch spikes. */
export const MIN_HALF_WINDOW = 2;
/**
 * Widest fit window: ±0.5 decade of LR (and never more than an eighth of the curve). A wide
 * window blurs the end of the fall into the turn-up and moves Smith's maxLr down by up to half
 * its width (measured: 0.35–0.4 decade on a fall that ends in a sharp corner): a safe-side error
 * the method can afford; more would not be.
 */
export const MAX_HALF_WINDOW_DECADES = 0.5;
/**
 * The window is widened until the expected noise of a fitted slope is under a third of the
 * "clearly falling" threshold: then noise alone flips a clearly falling point (slope well past
 * the threshold) to "not falling" well under once per curve.
 */
export const SLOPE_NOISE_MARGIN = 3;

export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2).replace('e+', 'e');
}

function isFiniteNumber(x: number | null): x is number {
  return x !== null && Number.isFinite(x);
}

/** Points up to (not including) the first one that is not usable. */
export function finitePrefix(points: readonly RangePoint[]): RangePoint[] {
  const out: RangePoint[] = [];
  for (const p of points) {
    if (!(Number.isFinite(p.lr) && p.lr > 0 && isFiniteNumber(p.loss) && isFiniteNumber(p.smoothed))) break;
    out.push(p);
  }
  return out;
}

/** Index bounds `[lo, hi)` of fastai's trim of N recorded points, cut at the first bad point. */
export function trimBounds(recorded: number, finite: number): { lo: number; hi: number } {
  const lo = Math.floor(recorded / TRIM_START_DIVISOR);
  return { lo, hi: Math.max(lo, Math.min(finite, recorded - TRIM_END_POINTS)) };
}

/** The fewest steps whose curve can be read at all: MIN_POINTS left after the trims (16). */
export const FEWEST_READABLE_STEPS = ((): number => {
  let n = MIN_POINTS;
  for (let b = trimBounds(n, n); b.hi - b.lo < MIN_POINTS; b = trimBounds(n, n)) n++;
  return n;
})();

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Index of the smallest value in `[from, to)` (the first one on ties). */
export function argMin(xs: readonly number[], from = 0, to = xs.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (xs[i]! < xs[best]!) best = i;
  return best;
}

/** Median of 3: removes single-batch spikes, keeps monotone stretches exactly. */
export function median3(values: readonly number[]): number[] {
  return values.map((v, i) => (i === 0 || i === values.length - 1 ? v : median([values[i - 1]!, v, values[i + 1]!])));
}

/** |second differences| (entry k is centred on value k+1): batch-to-batch scatter, any linear trend removed. */
function secondDifferences(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length - 1; i++) out.push(Math.abs(values[i - 1]! - 2 * values[i]! + values[i + 1]!));
  return out;
}

/**
 * Standard deviation of the per-batch noise, from the median |second difference|: for white
 * noise of std σ a second difference has std σ·√6, and 1.4826 × median|·| estimates a std
 * robustly (spikes and the blow-up do not move a median).
 */
export function noiseSigma(values: readonly number[]): number {
  return (1.4826 * median(secondDifferences(values))) / Math.sqrt(6);
}

export interface LinearFit {
  /** The fitted value at each point. */
  readonly level: number[];
  /** The fitted slope at each point, per unit of x (a decade when x = log10 lr). */
  readonly slope: number[];
}

/**
 * Centred least-squares line over `[i-h, i+h]` (clipped at the ends) for each point. A line, not
 * a mean, so a steadily falling stretch is neither bent towards its neighbours nor lagged.
 */
export function localLinearFit(xs: readonly number[], ys: readonly number[], h: number): LinearFit {
  const level: number[] = [];
  const slope: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const a = Math.max(0, i - h);
    const b = Math.min(xs.length - 1, i + h);
    let sx = 0;
    let sy = 0;
    for (let j = a; j <= b; j++) {
      sx += xs[j]!;
      sy += ys[j]!;
    }
    const n = b - a + 1;
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let sxy = 0;
    for (let j = a; j <= b; j++) {
      sxx += (xs[j]! - mx) ** 2;
      sxy += (xs[j]! - mx) * (ys[j]! - my);
    }
    const m = sxx > 0 ? sxy / sxx : 0;
    slope.push(m);
    level.push(my + m * (xs[i]! - mx));
  }
  return { level, slope };
}

/** Expected std of a fitted slope: σ / (d·√(n(n²-1)/12)) for n points spaced d apart. */
export function slopeNoise(sigma: number, spacing: number, h: number): number {
  const n = 2 * h + 1;
  return sigma / (spacing * Math.sqrt((n * (n * n - 1)) / 12));
}

/**
 * The fitted loss `h` points in from an end: the first point whose window is whole. Nearer the
 * end the line is extrapolated and more than twice as noisy, which on a flat noisy curve alone
 * would fake a drop.
 */
export function levelNear(level: readonly number[], h: number, end: 'start' | 'end'): number {
  const i = end === 'start' ? Math.min(h, level.length - 1) : Math.max(0, level.length - 1 - h);
  return level[i]!;
}

/**
 * Index of the lowest fitted loss from `lo` on, among points whose window is whole (the last
 * `h` are extrapolated, and their extra noise would make a minimum out of nothing). A curve
 * still falling at the end thus bottoms `h` points early, which costs nothing: suggestions come
 * from before the last 5 points anyway.
 */
export function lowestIndex(level: readonly number[], h: number, lo: number): number {
  return argMin(level, lo, Math.max(lo + 1, level.length - h));
}

/**
 * The narrowest window whose slope noise is under `threshold / SLOPE_NOISE_MARGIN`, capped at
 * `MAX_HALF_WINDOW_DECADES` (and an eighth of the curve). A flat or pure-noise curve gets the
 * widest window, which is also the one its flatness is judged on.
 */
function chooseFit(xs: readonly number[], ys: readonly number[], sigma: number, lo: number): { h: number; fit: LinearFit } {
  const spacing = median(xs.slice(1).map((x, i) => x - xs[i]!));
  const byDecades = spacing > 0 ? Math.floor(MAX_HALF_WINDOW_DECADES / spacing) : MIN_HALF_WINDOW;
  const hMax = Math.max(MIN_HALF_WINDOW, Math.min(byDecades, Math.floor(xs.length / 8)));
  for (let h = MIN_HALF_WINDOW; ; h++) {
    const fit = localLinearFit(xs, ys, h);
    const drop = levelNear(fit.level, h, 'start') - fit.level[lowestIndex(fit.level, h, lo)]!;
    const threshold = CLEARLY_FALLING_PER_DECADE * drop;
    if (h >= hMax || (spacing > 0 && threshold > 0 && slopeNoise(sigma, spacing, h) <= threshold / SLOPE_NOISE_MARGIN)) return { h, fit };
  }
}

export interface CurveShape {
  /** LRs of the finite points (all of them, from the first). */
  readonly lrs: number[];
  /** The fitted (centred, local-linear) loss at each LR. */
  readonly curve: number[];
  /** The raw loss. */
  readonly raw: number[];
  /** d(loss)/d(log10 lr) of the fit. */
  readonly slopes: number[];
  /** Half-width in points of the fit window. */
  readonly halfWindow: number;
  /** Estimated per-batch noise (std) of the raw loss. */
  readonly noise: number;
  /** The loss level at the start of the test. */
  readonly start: number;
  /** Index of the lowest fitted loss at or after `lo` (where the curve turns up). */
  readonly minIndex: number;
  /** `start - curve[minIndex]`. */
  readonly drop: number;
  readonly flat: boolean;
  /** Flat, and the end of the curve is clearly above its start: the loss only rose. */
  readonly rising: boolean;
  /** Suggestions come only from indices `[lo, hi)`: fastai's `[N//10 : N-5]`. */
  readonly lo: number;
  readonly hi: number;
}

/**
 * The shape facts suggestions, warnings and sweep comparisons share; `null` when fewer than
 * `MIN_POINTS` usable points lie in `[N//10 : N-5]`.
 */
export function curveShape(points: readonly RangePoint[]): CurveShape | null {
  const finite = finitePrefix(points);
  const trimmed = trimBounds(points.length, finite.length);
  if (trimmed.hi - trimmed.lo < MIN_POINTS) return null;
  const { lrs, raw, lo, hi } = binned(finite, trimmed);
  const noise = noiseSigma(raw);
  const { h, fit } = chooseFit(lrs.map((lr) => Math.log10(lr)), median3(raw), noise, lo);
  const curve = fit.level;
  const start = levelNear(curve, h, 'start');
  const minIndex = lowestIndex(curve, h, lo);
  const drop = start - curve[minIndex]!;
  // Standard error of a fitted level: about σ/√n for a window of n points.
  const flatBelow = Math.max(FLAT_RELATIVE_DROP * Math.abs(start), (FLAT_NOISE_MULTIPLE * noise) / Math.sqrt(2 * h + 1));
  const flat = !(drop > flatBelow);
  const rising = flat && levelNear(curve, h, 'end') - start > flatBelow;
  return { lrs, curve, raw, slopes: fit.slope, halfWindow: h, noise, start, minIndex, drop, flat, rising, lo, hi };
}

/**
 * Past `MAX_SHAPE_POINTS`, consecutive points are averaged in equal groups (each group keeps
 * the LR of its middle point, a recorded one), and `[lo, hi)` shrinks to the groups wholly
 * inside it. The shape is then read on at most that many points.
 */
function binned(finite: readonly RangePoint[], trimmed: { lo: number; hi: number }): { lrs: number[]; raw: number[]; lo: number; hi: number } {
  const g = Math.ceil(finite.length / MAX_SHAPE_POINTS);
  if (g <= 1) return { lrs: finite.map((p) => p.lr), raw: finite.map((p) => p.loss!), ...trimmed };
  const lrs: number[] = [];
  const raw: number[] = [];
  for (let a = 0; a < finite.length; a += g) {
    const group = finite.slice(a, a + g);
    lrs.push(group[(group.length - 1) >> 1]!.lr);
    raw.push(group.reduce((sum, p) => sum + p.loss!, 0) / group.length);
  }
  return { lrs, raw, lo: Math.ceil(trimmed.lo / g), hi: Math.floor(trimmed.hi / g) };
}

/** Inserts into an ascending array, keeping it sorted. */
function insertSorted(sorted: number[], x: number): void {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sorted[m]! < x) a = m + 1;
    else b = m;
  }
  sorted.splice(a, 0, x);
}

/**
 * Index of the first ragged point in `[from, to)`, else `null`. The scatter around a point is
 * compared with the typical scatter *before* its window, so a loss whose noise shrinks as it
 * falls (noise proportional to the loss, as with cross-entropy) is never ragged, and one whose
 * noise was large from the start is not either; only scatter that grows counts.
 */
export function firstRagged(shape: CurveShape, from: number, to = shape.raw.length): number | null {
  const diffs = secondDifferences(shape.raw); // diffs[k] is centred on raw[k + 1]
  const overall = median(diffs);
  const before: number[] = [];
  let next = 0;
  for (let i = Math.max(1, from); i < to; i++) {
    const a = Math.max(0, i - 1 - RAGGED_HALF_WINDOW);
    const b = Math.min(diffs.length, i + RAGGED_HALF_WINDOW);
    for (; next < a; next++) insertSorted(before, diffs[next]!);
    if (before.length < RAGGED_MIN_REFERENCE || b <= a) continue;
    // Medians on both sides: one wild batch is a spike, not a ragged curve.
    const local = (1.4826 * median(diffs.slice(a, b))) / Math.sqrt(6);
    const typical = (1.4826 * Math.max(median(before), overall)) / Math.sqrt(6);
    if (local > RAGGED_NOISE_RATIO * typical && local > RAGGED_FRACTION_OF_DROP * shape.drop) return i;
  }
  return null;
}

/** The fitted curve as the result carries it (`FindLrResult.fitted`): empty when there is no shape. */
export function fittedCurve(shape: CurveShape | null): FittedPoint[] {
  return shape === null ? [] : shape.lrs.map((lr, i) => ({ lr, loss: shape.curve[i]! }));
}

/**
 * The first LR at or after `from` where the lightly smoothed raw loss (median of 3, then a ±2
 * point centred line) is back above the starting loss, else `null`. Light on purpose: the blow-up
 * is sharp and the wide fit of `curveShape` would move it right by up to half a decade. The
 * headline's blow-up edge (headline.ts `blowUpEdge`) and the hints' "climbed back above its start"
 * both read it, so that one result names one LR for it.
 */
export function blowUpLr(shape: CurveShape, from: number): number | null {
  const light = localLinearFit(shape.lrs.map((lr) => Math.log10(lr)), median3(shape.raw), MIN_HALF_WINDOW).level;
  for (let i = from; i < light.length; i++) if (light[i]! > shape.start) return shape.lrs[i]!;
  return null;
}
