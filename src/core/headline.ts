/**
 * The headline: the one max LR LR Lab recommends for 1cycle (`FindLrResult.recommended`), with
 * `minLr = maxLr / 10` (method.md §1, one cycle).
 *
 * Judged by outcomes, not by where it sits on the curve (method.md §1): on the advice-quality
 * suite (bench/adviceQuality.ts, bench/README.md) the best 1cycle max LR sat close to where the
 * lag-free curve bottoms out, and training collapsed (chance accuracy, or the MSE of the mean)
 * within half a decade above the point where the raw loss climbs back over its starting level.
 * Undershooting costs a little, overshooting everything. So:
 *
 *   maxLr = min( LR at the lowest point of the fitted curve,  blow-up LR / BLOW_UP_MARGIN )
 *
 * where the fitted curve is the centred fit every suggestion reads (`curveShape.ts`) and the
 * blow-up LR is the first LR past that lowest point where the lightly smoothed raw loss is back
 * above the loss the test started from. The second term matters when the fitted curve, widened by
 * noise, stays low past a sharp dip (a CNN whose raw loss falls steeply and blows up within a
 * few steps): there the lowest fitted point can sit right at the cliff.
 *
 * No headline (`null`) where the curve gives none: too few points, or a flat curve (the loss
 * did not fall; `suggestions.ts` says why).
 *
 * Known limit (bench/README.md): noise widens the fit, which blurs a sharp turn-up and moves the
 * lowest fitted point left, so on CNNs and MLPs the headline tends to sit 2–4x under the best LR
 * (median regret 0.79 points on the tuning tasks, 3.54 on the held-out ones).
 */
import type { LrRecommendation, RangePoint } from '../protocol/results';
import { formatLr } from '../protocol/format';
import type { CurveShape } from './curveShape';
import { MIN_HALF_WINDOW, curveShape, localLinearFit, median3 } from './curveShape';

/**
 * The headline stays this factor below the blow-up LR. On the tuning tasks of the advice suite
 * the best 1cycle max LRs sat 1.6–2.8x below the blow-up (MNIST MLP), 2–3x (MNIST CNN), 2x and
 * more (tabular classification), 4x and more (the two regressions). The term decides only where
 * the fitted minimum sits close to the blow-up (one MNIST-CNN range test in three: there the
 * fitted minimum was at the blow-up itself); margins 2.5–3.5 score alike on the tuning tasks
 * (median regret 0.79, worst 1.9–2.3 points), 2 lets that CNN test reach its cliff, 4 and more
 * start cutting MLP tests that were fine. Where the blow-up is far (an Adam model's long
 * plateau, 8–28x), the lowest fitted point is the smaller term and the margin does not act.
 */
export const BLOW_UP_MARGIN = 3;

/**
 * The first LR at or after `from` where the lightly smoothed raw loss (median of 3, then a ±2
 * point centred line) is back above the starting loss, else `null`. Light on purpose: the blow-up
 * is sharp and the wide fit of `curveShape` would move it right by up to half a decade.
 */
export function blowUpLr(shape: CurveShape, from: number): number | null {
  const light = localLinearFit(shape.lrs.map((lr) => Math.log10(lr)), median3(shape.raw), MIN_HALF_WINDOW).level;
  for (let i = from; i < light.length; i++) if (light[i]! > shape.start) return shape.lrs[i]!;
  return null;
}

export function recommend(points: readonly RangePoint[]): LrRecommendation | null {
  const shape = curveShape(points);
  if (shape === null || shape.flat) return null;
  // Like every suggestion, from the candidates `[N//10 : N-5]` only.
  const at = Math.max(shape.lo, Math.min(shape.minIndex, shape.hi - 1));
  const lowest = shape.lrs[at]!;
  const blowUp = blowUpLr(shape, at);
  const capped = blowUp !== null && blowUp / BLOW_UP_MARGIN < lowest;
  const maxLr = capped ? blowUp / BLOW_UP_MARGIN : lowest;
  const atEnd = at === shape.hi - 1;
  const reason = capped
    ? `a third of ${formatLr(blowUp)}, where the loss climbs back above its start (the fitted loss is lowest at ${formatLr(lowest)}, too close to that edge for a whole cycle)`
    : atEnd
      ? `the fitted loss is still falling at ${formatLr(lowest)}, the last point read: raise --end-lr to see where it bottoms out`
      : `where the fitted loss is lowest${blowUp === null ? '' : `, a safe ${Number((blowUp / lowest).toPrecision(2))}x below where it climbs back above its start (${formatLr(blowUp)})`}`;
  return { maxLr, minLr: maxLr / 10, reason };
}
