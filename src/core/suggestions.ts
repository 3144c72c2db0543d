/**
 * Learning-rate suggestions from a finished range test (method.md §1), each with the reason a
 * user can check against the plot: steep, valley, minimum and Smith's range. Which points count
 * and the lag-free curve they read are in `curveShape.ts`; the headline is in `headline.ts`.
 *
 * Which curve each suggestion reads:
 * - `valley` and `minimum` follow fastai exactly, on the recorded EMA (`smoothed`).
 * - `steep` and Smith's `range` read the lag-free centred fit of the raw loss (`curveShape.ts`).
 * - A flat curve (the loss did not fall), or one that never got clearly below the baseline
 *   (`hints.ts`), gets no suggestion at all: on noise every rule still returns some LR, and a
 *   confident-looking LR read off noise is worse than none.
 */
import type { LrRange, RangePoint, SuggestionName } from '../protocol/results';
import { formatCount, formatLr } from '../protocol/format';
import type { OptionNaming } from '../protocol/optionNaming';
import { optionName } from '../protocol/optionNaming';
import type { CurveShape } from './curveShape';
import { CLEARLY_FALLING_PER_DECADE, FALL_ENDS_PER_DECADE, MIN_POINTS, TRIM_END_POINTS, argMin, curveShape, finitePrefix, firstRagged, formatNumber, trimBounds } from './curveShape';
import { valley } from './peerRules';
import type { CurveFacts } from './hints';
import { NO_FACTS, blockingReason, fitsAsBuilt } from './hints';

export { MIN_POINTS, curveShape, noiseSigma } from './curveShape';
export { valley, valleyIndex } from './peerRules';

export interface Suggestions {
  readonly suggestions: Record<SuggestionName, number | null>;
  readonly range: LrRange | null;
  readonly reasons: Record<SuggestionName | 'range', string>;
}

/**
 * Where the readable part of the curve ends: at the turn-up, at the first ragged point (slopes
 * read off scatter are noise, and noise makes the steepest slopes), or at the end of the
 * candidates. A curve ragged from its very first candidate has no "typical" scatter to compare
 * with, so raggedness is only looked for after it.
 */
function readable(shape: CurveShape): { end: number; ragged: number | null } {
  const ragged = firstRagged(shape, shape.lo + 1, Math.min(shape.hi, shape.minIndex + 1));
  return { end: Math.min(shape.hi, shape.minIndex + 1, ragged ?? Number.POSITIVE_INFINITY), ragged };
}

/** The most negative fitted slope among the readable candidates. */
export function steepestIndex(shape: CurveShape): number {
  return argMin(shape.slopes, shape.lo, Math.max(shape.lo + 1, readable(shape).end));
}

export interface FallingStretch {
  readonly first: number;
  readonly last: number;
  /** What follows `last`: the loss stops clearly falling, gets ragged, or the points end while it still falls. */
  readonly end: 'flattens' | 'ragged' | 'trim';
  readonly endIndex: number;
}

/**
 * The falling stretch around the steepest point, inside the readable candidates: it runs while
 * the slope stays below `FALL_ENDS_PER_DECADE`, and its ends are its outermost clearly falling
 * points. Contiguous on purpose: a lone noisy dip on the plateau after the fall must not become
 * maxLr. `null` when even the steepest point is not clearly falling.
 */
export function fallingStretch(shape: CurveShape): FallingStretch | null {
  const threshold = -CLEARLY_FALLING_PER_DECADE * shape.drop;
  const steep = steepestIndex(shape);
  if (!(shape.slopes[steep]! <= threshold)) return null;
  const exit = -FALL_ENDS_PER_DECADE * shape.drop;
  const { end: stop, ragged } = readable(shape);
  let last = steep;
  let i = steep;
  while (i + 1 < stop && shape.slopes[i + 1]! <= exit) {
    i++;
    if (shape.slopes[i]! <= threshold) last = i;
  }
  let first = steep;
  for (let j = steep - 1; j >= shape.lo && shape.slopes[j]! <= exit; j--) if (shape.slopes[j]! <= threshold) first = j;
  const next = i + 1;
  const stillFalling = next === stop && shape.slopes[Math.min(next, shape.slopes.length - 1)]! <= exit;
  const end = next === ragged ? 'ragged' : stillFalling ? 'trim' : 'flattens';
  return { first, last, end, endIndex: Math.min(next, shape.lrs.length - 1) };
}

function perDecade(x: number): string {
  return `${formatNumber(x)} per decade`;
}

/** Smith's range: `maxLr` the largest LR still clearly falling before the turn-up or raggedness. */
export function smithRange(shape: CurveShape, facts: CurveFacts = NO_FACTS, naming: OptionNaming = 'flag'): { range: LrRange | null; reason: string } {
  if (shape.flat) return { range: null, reason: blockingReason(shape, facts, naming)?.message ?? 'the loss barely fell' };
  const stretch = fallingStretch(shape);
  if (stretch === null) {
    const steep = shape.slopes[steepestIndex(shape)]!;
    return { range: null, reason: `the loss never clearly falls (steepest ${perDecade(steep)}; clearly falling means below ${perDecade(-CLEARLY_FALLING_PER_DECADE * shape.drop)})` };
  }
  const maxLr = shape.lrs[stretch.last]!;
  const why =
    stretch.end === 'ragged'
      ? `before the loss gets ragged at ${formatLr(shape.lrs[stretch.endIndex])}`
      : stretch.end === 'trim'
        ? `and still falling at the last point read (the last ${TRIM_END_POINTS} points and the fit's edge are not)`
        : `before it flattens (lowest at ${formatLr(shape.lrs[shape.minIndex])})`;
  return {
    range: { minLr: maxLr / 10, maxLr },
    reason: `loss still clearly falling (${perDecade(shape.slopes[stretch.last]!)}) at ${formatLr(maxLr)}, ${why}; minLr = maxLr/10 for one cycle`,
  };
}

function allReasons(why: string): Suggestions {
  return {
    suggestions: { steep: null, valley: null, minimum: null },
    range: null,
    reasons: { steep: why, valley: why, minimum: why, range: why },
  };
}

/** "5 of 3000 steps" (the steps a cut test ran, of those asked for where known). */
function stepsRun(count: number, facts: CurveFacts): string {
  return `${count}${facts.settings.steps > 0 ? ` of ${facts.settings.steps}` : ''} steps`;
}

function notEnough(points: readonly RangePoint[], facts: CurveFacts, naming: OptionNaming): Suggestions {
  const finite = finitePrefix(points);
  const { lo, hi } = trimBounds(points.length, finite.length);
  const bad = points[finite.length];
  const nan = bad === undefined ? '' : ` (the loss became NaN/Inf at LR ${formatLr(bad.lr)})`;
  const counted = `${hi - lo} finite points after trimming the first 10% and the last ${TRIM_END_POINTS}${nan}, need ≥ ${MIN_POINTS}`;
  // Cut short by the user: more steps were asked for already (a Ctrl-C after 5 of 3,000 steps read "run more --steps").
  if (facts.stopReason === 'cancelled' && bad === undefined) {
    return allReasons(`cancelled after ${stepsRun(points.length, facts)}: too few points to read (${counted})`);
  }
  // Diverged before enough points: more steps end at the same place (a user's test at --start-lr 0.5
  // diverged after 6 steps and read "run more --steps"); a lower start is what gives the curve room.
  // (A loss that turned NaN/Inf says so below, with both ways out: the data may be at fault.)
  if (bad === undefined && (facts.stopReason === 'diverged' || facts.divergedAt !== null)) {
    const at = facts.divergedAt === null ? '' : ` at LR ${formatLr(facts.divergedAt)}`;
    return allReasons(`diverged${at} after ${formatCount(points.length, 'step')}, too few to read (${counted}): lower ${optionName('startLr', naming)}`);
  }
  // NaN/Inf at the first step is the initial weights' loss: neither more steps nor a lower start change it (NAN_BEFORE_ANY_UPDATE).
  if (bad !== undefined && finite.length === 0) return allReasons(`the loss was NaN/Inf at the first step, before any update (LR ${formatLr(bad.lr)}): no learning rate changes that — see the warnings`);
  return allReasons(`not enough points: ${counted}: run more ${optionName('steps', naming)}${nan === '' ? '' : ` or lower ${optionName('startLr', naming)}`}`);
}

/**
 * steep, valley, minimum and Smith's range, each with its reason; none when the hints (`hints.ts`)
 * block the curve. Reasons name options as `naming` says (`--steps`, or the library's `steps`).
 */
export function suggest(points: readonly RangePoint[], facts: CurveFacts = NO_FACTS, naming: OptionNaming = 'flag'): Suggestions {
  const shape = curveShape(points);
  if (shape === null) return notEnough(points, facts, naming);
  const blocked = blockingReason(shape, facts, naming);
  // Cut by the user before it learned: the whole test, not "more steps", is what was missing (a
  // library call aborted at LR 2e-6 read "nothing learned yet … run more steps (e.g. steps: 900)").
  // (Not a model that fits its labels as built: the whole test would find no LR for it either.)
  if (blocked !== null && facts.stopReason === 'cancelled' && (blocked.case === 'not-learned' || blocked.case === 'flat') && !fitsAsBuilt(points, facts.baseline, facts.settings.signal)) {
    return allReasons(`cancelled at LR ${formatLr(points.at(-1)?.lr)} after ${stepsRun(points.length, facts)}, before the loss showed where the model learns: no LR to read yet — run the whole test`);
  }
  if (blocked !== null) return allReasons(blocked.message);

  // fastai's valley and minimum: the recorded EMA over the trimmed candidates.
  // fastai's [N//10 : N-5] of the recorded points: the shape's lo/hi index its binned curve, which past
  // MAX_SHAPE_POINTS is shorter (a 30,000-step sweep read its "minimum" among the first 3,000 points).
  const finite = finitePrefix(points);
  const trim = trimBounds(points.length, finite.length);
  const candidates = finite.slice(trim.lo, trim.hi);
  const ema = candidates.map((p) => p.smoothed!);
  const iMin = argMin(ema);
  const v = valley(ema)!;
  const steep = steepestIndex(shape);
  const smith = smithRange(shape, facts, naming);

  return {
    suggestions: { steep: shape.lrs[steep]!, valley: candidates[v.index]!.lr, minimum: candidates[iMin]!.lr / 10 },
    range: smith.range,
    reasons: {
      steep: `steepest descent of the loss: ${perDecade(shape.slopes[steep]!)} at ${formatLr(shape.lrs[steep])}`,
      // Said as the loss's EMA, fastai's curve: it trails the fitted curve drawn (MNIST: "lowest smoothed loss
      // 1.81 at 0.423" under a plotted curve at 0.84 there).
      valley: `fastai's valley: a third to half of the way along the longest decreasing sequence of the loss's EMA (${v.length} points from ${formatLr(candidates[v.first]!.lr)} to ${formatLr(candidates[v.last]!.lr)}; the EMA lags the plotted curve)`,
      minimum: `lowest EMA of the loss, ${formatNumber(ema[iMin]!)} at ${formatLr(candidates[iMin]!.lr)} (of the points read; the EMA lags the plotted curve), divided by 10`,
      range: smith.reason,
    },
  };
}
