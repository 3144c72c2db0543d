/**
 * Peers' suggestion rules, reimplemented from their documented behaviour so that LR Lab's own
 * headline can be compared with them on the same curves (bench/adviceQuality.ts) and shown as
 * alternatives.
 */
import type { RangePoint } from '../protocol/results';
import { LR_FINDER_SMOOTH_F } from './rangeTest';


/** pytorch-lr-finder's `diverge_th`: its test stops once the smoothed loss passes 5 × its best. */
export const LR_FINDER_DIVERGE = 5;
/** pytorch-lr-finder's `plot(skip_start=10, skip_end=5)`: points left out of its suggestion. */
export const LR_FINDER_SKIP_START = 10;
export const LR_FINDER_SKIP_END = 5;

/**
 * pytorch-lr-finder's "steepest gradient" suggestion, replayed on our raw losses: its smoother
 * (`smooth_f` 0.05, no bias correction, the first loss taken as is), its stop at the first
 * smoothed loss above 5 × the best so far (that point is kept, as it records before checking),
 * then `skip_start` 10 and `skip_end` 5, and the LR at the most negative `np.gradient` of the
 * remaining smoothed losses (central differences inside, one-sided at the two ends; per index,
 * not per LR). It stops at the first non-finite loss as our tracker does. `null` when fewer
 * than 2 points remain (numpy raises there).
 */
export function lrFinderSuggestion(points: readonly RangePoint[]): number | null {
  const lrs: number[] = [];
  const losses: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const p of points) {
    if (p.loss === null || !Number.isFinite(p.loss)) break;
    const smooth = losses.length === 0 ? p.loss : LR_FINDER_SMOOTH_F * p.loss + (1 - LR_FINDER_SMOOTH_F) * losses[losses.length - 1]!;
    if (smooth < best) best = smooth;
    lrs.push(p.lr);
    losses.push(smooth);
    if (smooth > LR_FINDER_DIVERGE * best) break;
  }
  const kept = losses.slice(LR_FINDER_SKIP_START, Math.max(LR_FINDER_SKIP_START, losses.length - LR_FINDER_SKIP_END));
  if (kept.length < 2) return null;
  const n = kept.length;
  const gradient = kept.map((_, i) => (i === 0 ? kept[1]! - kept[0]! : i === n - 1 ? kept[n - 1]! - kept[n - 2]! : (kept[i + 1]! - kept[i - 1]!) / 2));
  let at = 0;
  for (let i = 1; i < n; i++) if (gradient[i]! < gradient[at]!) at = i;
  return lrs[LR_FINDER_SKIP_START + at]!;
}

export interface Valley {
  /** fastai's pick. */
  readonly index: number;
  /** First and last index of the longest decreasing subsequence, and its length. */
  readonly first: number;
  readonly last: number;
  readonly length: number;
}

/**
 * fastai's valley: the longest decreasing subsequence (not necessarily contiguous), then
 * `idx = max_start + int(sections) + int(sections/2)` with `sections = (max_end - max_start)/3`
 * and fastai's `max_start = max_end - lds[max_end]` (the subsequence's length back from its end,
 * so it can be -1; the pick is clamped to the series). `max_end` is the earliest index where the
 * longest length is reached, as in fastai's loop.
 *
 * fastai computes `lds[i]` (the longest decreasing subsequence ending at i) with the O(n²)
 * double loop; patience sorting gives the same `lds[i]` in O(n log n), which matters for the
 * 100 000-step tests we accept. `first` is the start of one longest subsequence ending at
 * `max_end` (for the reason text; several can exist).
 */
export function valley(values: readonly number[]): Valley | null {
  const n = values.length;
  if (n === 0) return null;
  const lds = new Array<number>(n).fill(1);
  // tails[k]: the largest last value of a decreasing subsequence of length k+1 seen so far (tails decrease).
  const tails: number[] = [];
  let maxEnd = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let a = 0;
    let b = tails.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (tails[m]! > v) a = m + 1;
      else b = m;
    }
    tails[a] = v;
    lds[i] = a + 1;
    if (lds[i]! > lds[maxEnd]!) maxEnd = i;
  }
  let first = maxEnd;
  for (let j = maxEnd - 1; j >= 0 && lds[first]! > 1; j--) {
    if (lds[j] === lds[first]! - 1 && values[j]! > values[first]!) first = j;
  }
  const maxStart = maxEnd - lds[maxEnd]!;
  const sections = (maxEnd - maxStart) / 3;
  const index = Math.min(n - 1, Math.max(0, maxStart + Math.trunc(sections) + Math.trunc(sections / 2)));
  return { index, first, last: maxEnd, length: lds[maxEnd]! };
}

export function valleyIndex(values: readonly number[]): number | null {
  return valley(values)?.index ?? null;
}
