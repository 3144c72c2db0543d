/**
 * The headline: the one max LR LR Lab recommends for 1cycle (`FindLrResult.recommended`), with
 * `minLr = maxLr / 10` (method.md §1, one cycle).
 *
 * Judged by outcomes, not by where it sits on the curve (method.md §1). On the advice-quality
 * suite (bench/adviceQuality.ts; the study in bench/README.md, `bench/adviceStudy.ts`) the best
 * 1cycle max LR of classifiers sat where the range test's loss bottoms out, read lag-free and no
 * wider than the noise needs (within ±0.1 decade on 6 of 7 tuning classifiers, mean of 3 range
 * tests; the 7th, two spirals, is good over two decades that hold it), and that of the two
 * squared-error regressions 1.7–2x below it. So:
 *
 *   bottom = LR at the lowest point of the level fit (below)
 *   aim    = bottom × (squared-error loss ? SQUARED_ERROR_FACTOR : 1)
 *   maxLr  = clamp( aim,  blowUp / BLOW_UP_FLOOR,  blowUp / BLOW_UP_MARGIN )
 *
 * The level fit is a centred local-linear fit of the raw loss (median of 3 first) whose window
 * is the narrowest that makes the fitted level's noise (σ/√n) at most `LEVEL_NOISE` of the drop.
 * `curveShape`'s own fit is wider: it is sized for slopes, and on a sharp CNN dip it smears the
 * bottom up to half a decade to the left (the first headline sat 2–4x under the best LR on
 * classifiers for that reason); the narrowest fit (±2 points) reads a noise dip as the bottom on
 * a noisy floor (least squares). Sizing the window by the level's own noise does both.
 *
 * The blow-up LR is the first LR past the bottom where the lightly smoothed raw loss is back
 * above the loss the test started from; the cap matters when the bottom sits right at a cliff,
 * the floor when the loss bottoms out early and then holds for decades (below).
 *
 * Squared-error losses (`SQUARED_ERROR_LOSSES`) get half the bottom: their gradient grows with
 * the error, so once an LR overshoots, the error feeds its own growth, and 1cycle, which holds
 * its peak LR for many steps, turns unstable just past the point where a range test's few steps
 * per LR bottom out. Cross-entropy's gradient with respect to the logits is bounded (|p − y| ≤ 1),
 * and most classifiers trained well up to 3–7x past their range test's bottom (the GRU only 1.4x:
 * there the blow-up margin acts).
 *
 * No headline (`null`) where the curve gives none: too few points, or a flat curve (the loss
 * did not fall; `suggestions.ts` says why).
 *
 * Known limit (bench/README.md): one range test in three on two tuning tasks (Fashion-MNIST CNN
 * and MLP with Adam) bottomed 3–10x further right than the other seeds, past where 1cycle
 * collapses; no feature of a single curve told them apart, so the headline follows them.
 */
import type { LrRecommendation, RangePoint } from '../protocol/results';
import { formatLr } from '../protocol/format';
import type { OptionNaming } from '../protocol/optionNaming';
import { optionName } from '../protocol/optionNaming';
import type { CurveShape } from './curveShape';
import { MIN_HALF_WINDOW, argMin, blowUpLr, curveShape, localLinearFit, median3 } from './curveShape';
import type { CurveFacts } from './hints';
import { NO_FACTS, blockingReason } from './hints';

export { MIN_HALF_WINDOW, blowUpLr } from './curveShape';

/**
 * The level fit's window grows until the fitted level's noise (σ/√(2h+1)) is at most 5% of the
 * drop. Measured on the tuning tasks (bench/README.md): at 3% the window stays too wide on one
 * MNIST-CNN test and smears its dip left (0.86 points of regret against 0.12 at 5%); at 10% it is
 * too narrow on the least-squares curve, whose bottom moves from 0.066 to a noise dip at 0.004.
 */
export const LEVEL_NOISE = 0.05;

/**
 * Squared-error losses take this fraction of the bottom. On the two tuning regressions the best
 * 1cycle max LR sat 0.6x (Friedman #1 MLP) and 0.5x (least squares) of the bottom, and 1cycle
 * broke down 1.3–2.5x above it. Excess validation MSE at factors 1 / 0.71 / 0.5 / 0.35:
 * Friedman #1 12.7 / 2.0 / 1.5 / 2.3%, least squares 1.0 / 0.7 / 0.1 / 1.3%.
 */
export const SQUARED_ERROR_FACTOR = 0.5;

/** The losses whose gradient grows with the error (the reason above). Other losses take the bottom itself. */
export const SQUARED_ERROR_LOSSES: ReadonlySet<string> = new Set(['meanSquaredError']);

/**
 * The headline stays this factor below the blow-up LR. It acts only where the bottom sits close
 * to the cliff (a CNN's sharp dip, a GRU's or conv1d's late bottom), and overshooting there costs
 * everything: training collapses to chance. History, honestly: the rule was frozen with 1.5 (on
 * the tuning tasks 1.5 scored best: MNIST CNN 0.12 points, GRU 1.7, against 2.0 and 4.0 at 3).
 * On a fresh held-out task (conv1d motifs) 1cycle collapsed 1.3x below its range test's blow-up,
 * and 1.5 sent two range tests of three there (39 points lost each). After that one look the
 * margin went back to 3, its value before this round, not to a value fitted to the held-out task.
 */
export const BLOW_UP_MARGIN = 3;

/**
 * The headline is never more than this factor below the blow-up LR. Some curves bottom out early
 * and then hold, a little above their bottom but far below their start, for a decade or more
 * before they blow up: a batch-normalized CNN (bottom 0.055–0.079, blow-up 1.6–2.7, best 1cycle
 * max LR 0.32) and a regression whose first fall is the output learning the target's mean (Friedman
 * #3: bottom 0.004, blow-up 0.35–0.42, best 0.24). There the bottom marks where the first, easy
 * part of the fall ended, not where training stops being stable, and 1cycle, whose LR anneals,
 * uses the stretch that holds. Measured on the 17 tasks of rounds 1–3 (bench/README.md, round 4):
 * floors of 6 / 8 / 10 / 12 / 15 gave the BN CNN 6.7 / 2.0 / 1.2 / 1.7 / 2.3 points of regret (13.3
 * without) and Friedman #3 5.7 / 8.1 / 10.0 / 11.5 / 12.4% excess MSE ÷ 10 (16.2 without), and at 8
 * or more no task lost more than 0.1; 10, one decade, was taken.
 */
export const BLOW_UP_FLOOR = 10;

/**
 * The level fit's half-window: the narrowest from ±`MIN_HALF_WINDOW` points whose level noise is
 * under `LEVEL_NOISE` of the drop, and never wider than the shape's own fit.
 */
export function levelHalfWindow(shape: CurveShape): number {
  let h = MIN_HALF_WINDOW;
  while (h < shape.halfWindow && shape.noise / Math.sqrt(2 * h + 1) > LEVEL_NOISE * shape.drop) h++;
  return h;
}

/**
 * A loss below this share of the starting loss is at zero: the model fits its batches perfectly
 * (a memorised training set), and what is left is rounding. A user's LSTM reached 1.4e-7 at LR
 * 0.03 and crept on to 1e-7 up to LR 100, where "the lowest point" then sat: Adam's headline 89.1,
 * "still falling, raise --end-lr", and a recipe that trained at it.
 */
export const AT_ZERO = 1e-3;

/**
 * Index of the lowest point of the level fit among the candidates `[lo, hi)` — or, where the loss
 * reached zero (AT_ZERO of its start), the first candidate already there: where it got there, not
 * where the rounding left its last creep.
 */
export function bottomIndex(shape: CurveShape): number {
  return bottomOf(shape).index;
}

/**
 * `bottomIndex`, and whether the loss reached zero there (AT_ZERO). Zero is a floor only for a loss
 * that cannot go below it: one whose readings do (Poisson, cosine proximity, a user's own loss: a
 * Poisson range test fell from 1.2 through 0 to −2) is read at its lowest point, like any other.
 */
export function bottomOf(shape: CurveShape): { index: number; atZero: boolean } {
  const level = localLinearFit(shape.lrs.map((lr) => Math.log10(lr)), median3(shape.raw), levelHalfWindow(shape)).level;
  const hi = Math.max(shape.lo + 1, shape.hi);
  const at = argMin(level, shape.lo, hi);
  const signed = shape.raw.some((loss) => loss < -AT_ZERO * shape.start);
  if (signed || !(shape.start > 0) || !(level[at]! < AT_ZERO * shape.start)) return { index: at, atZero: false };
  for (let i = shape.lo; i < at; i++) if (level[i]! < AT_ZERO * shape.start) return { index: i, atZero: true };
  return { index: at, atZero: true };
}

/**
 * A range test's blow-up edge: past its bottom, the first LR where its loss climbs back above its
 * start (`blowUpLr` from `bottomIndex`); `null` where it never does or there is no curve. The
 * headline keeps BLOW_UP_MARGIN below it; find-lr's trials back off from it (`backOffFromEdge`).
 */
export function blowUpEdge(points: readonly RangePoint[]): number | null {
  const shape = curveShape(points);
  return shape === null || shape.flat ? null : blowUpLr(shape, bottomIndex(shape));
}

/**
 * The headline for a finished range test; `loss` is the loss's name (tfjs's, e.g.
 * 'meanSquaredError'). None where the suggestions get none: a flat curve, or one the hints
 * block (`hints.ts`: it never got clearly below the baseline). Its reason names options as `naming` says.
 */
export function recommend(points: readonly RangePoint[], loss = '', facts: CurveFacts = NO_FACTS, naming: OptionNaming = 'flag'): LrRecommendation | null {
  const shape = curveShape(points);
  if (shape === null || shape.flat || blockingReason(shape, facts, naming) !== null) return null;
  const { index: at, atZero } = bottomOf(shape);
  const bottom = shape.lrs[at]!;
  const squared = SQUARED_ERROR_LOSSES.has(loss);
  const aim = squared ? bottom * SQUARED_ERROR_FACTOR : bottom;
  const blowUp = blowUpLr(shape, at);
  const capped = blowUp !== null && blowUp / BLOW_UP_MARGIN < aim;
  const floored = blowUp !== null && !capped && aim < blowUp / BLOW_UP_FLOOR;
  const maxLr = capped ? blowUp / BLOW_UP_MARGIN : floored ? blowUp / BLOW_UP_FLOOR : aim;
  const atEnd = at === shape.hi - 1 && !atZero;
  const edge = blowUp === null ? '' : ` (it climbs back above its start at ${formatLr(blowUp)})`;
  // The test's last points are not read (a fit at its edge is unreliable): say so, or "the last point
  // read" at 3.94 reads wrong beside a test that went to 10.
  const unread = shape.lrs.length - shape.hi;
  const lastRead = `${formatLr(bottom)}, the last point read${unread > 0 ? ` (the test's last ${unread === 1 ? 'point' : `${unread} points`}, to ${formatLr(shape.lrs.at(-1))}, ${unread === 1 ? 'is' : 'are'} left out: a fit at its edge is unreliable)` : ''}`;
  const reason = capped
    ? `${BLOW_UP_MARGIN}x below ${formatLr(blowUp)}, where the loss climbs back above its start: it bottoms out at ${formatLr(bottom)}, too close to that edge for a whole cycle`
    : floored
      ? `${BLOW_UP_FLOOR}x below ${formatLr(blowUp)}, where the loss climbs back above its start, and no lower: it bottoms out at ${formatLr(bottom)}${squared ? ' (halved for a squared-error loss)' : ''}, ${Math.log10(blowUp / bottom).toFixed(1)} decades before that edge, a stretch a whole cycle can use`
      : atEnd
      ? blowUp !== null
        ? // The last points are not read (fastai's trim), but a climb past the start there is seen: no higher --end-lr needed.
          `the loss is still falling at ${lastRead}${squared ? ' (halved for a squared-error loss)' : ''}; past it, it climbs back above its start at ${formatLr(blowUp)}`
        : `the loss is still falling at ${lastRead}${squared ? ' (halved for a squared-error loss)' : ''}: raise ${optionName('endLr', naming)} to see where it bottoms out`
      : atZero
        ? `${squared ? `half of ${formatLr(bottom)}, ` : ''}where the loss reaches zero (under ${AT_ZERO * 100}% of its start: the batches are fitted perfectly from there, and lower readings are rounding)${edge}`
        : squared
          ? `half of ${formatLr(bottom)}, where the loss bottoms out: a squared-error loss turns unstable soon past its bottom${edge}`
          : `where the loss bottoms out${edge}`;
  // With the run's facts a curve that never got clearly below the baseline has no headline at all, so
  // this one learned; find-lr, which reads the curve alone, marks its own where it did not.
  return { maxLr, minLr: maxLr / 10, reason, learned: true };
}

/**
 * The median of several range tests' headlines (`find-lr --range-tests N`): the index in `items`
 * of the one whose headline is the median, the lower middle of an even count (the safer side of
 * two); items without a headline (`null`) are no candidates; -1 where none has one. Ties keep
 * their order in `items`.
 */
export function medianPick(headlines: readonly (number | null)[]): number {
  const ranked = headlines.flatMap((lr, k) => (lr === null ? [] : [{ lr, k }])).sort((a, b) => a.lr - b.lr || a.k - b.k);
  return ranked.length === 0 ? -1 : ranked[Math.floor((ranked.length - 1) / 2)]!.k;
}
