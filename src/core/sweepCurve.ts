/**
 * Reading one curve of a sweep (method.md §5) the way the headline LR reads a range test
 * (`curveShape.ts`, `headline.ts`): the lowest loss of the fitted curve (the bold curve the panel
 * draws) and its LR, where it blows up (the headline's raw-loss rule, past the headline's bottom),
 * and its stable range. What the table says is what the bold curve shows.
 */
import type { LrRange, RangePoint } from '../protocol/results';
import type { CurveShape } from './curveShape';
import { curveShape } from './curveShape';
import { blowUpLr, bottomOf } from './headline';
import { fallingStretch } from './suggestions';

/**
 * The loss counts as "still at its lowest" while the fitted curve stays within 10% of the
 * test's drop above its minimum. A curve that bottoms out on a long floor (the loss of a
 * separable problem at ~1e-7 from LR 0.7 to 4) is stable along the whole floor; a curve that
 * turns up sharply leaves the band within a few points of its minimum.
 */
export const STABLE_RISE_OF_DROP = 0.1;

/** Facts a sweep compares across curves. */
export interface CurveSummary {
  /**
   * The lowest point of the fitted curve (the bold curve the panel draws; not the EMA, which lags and
   * sits above the loss reached) where the headline reads it (past the first points, short of the last
   * half window); `lrAtMinLoss` is its LR. Where the loss reached zero, the headline's bottom: where it got there.
   */
  readonly minSmoothedLoss: number | null;
  readonly lrAtMinLoss: number | null;
  readonly stableRange: LrRange | null;
  /** log10(maxLr / minLr) of the stable range, 0 when none. */
  readonly stableDecades: number;
  /**
   * The first LR past the bottom where the lightly smoothed raw loss is back above
   * the loss the test started from (`blowUpLr`, the headline's rule), else `null`.
   */
  readonly blowUpLr: number | null;
  /** The fitted loss at the start of the test (the scale when there is no baseline). */
  readonly startLoss: number | null;
  /** Standard error of a fitted level (per-batch noise / √window). */
  readonly levelNoise: number | null;
}

const NONE: CurveSummary = { minSmoothedLoss: null, lrAtMinLoss: null, stableRange: null, stableDecades: 0, blowUpLr: null, startLoss: null, levelNoise: null };

/**
 * Index of the last point of the stable range: from the bottom on, the last one before the fitted
 * loss leaves `STABLE_RISE_OF_DROP` of the drop above its minimum or the raw loss blows up,
 * whichever comes first. A curve still falling when the points end reaches the last point.
 */
function stableEnd(shape: CurveShape, bottom: number, blowUp: number | null): number {
  const ceiling = shape.curve[shape.minIndex]! + STABLE_RISE_OF_DROP * shape.drop;
  let end = bottom;
  while (end + 1 < shape.lrs.length && shape.curve[end + 1]! <= ceiling && (blowUp === null || shape.lrs[end + 1]! < blowUp)) end++;
  return end;
}

/**
 * A curve's facts for a sweep. The stable range runs from the first clearly falling LR (the
 * start of the falling stretch around the steepest point) to the last LR where the loss is still
 * at its lowest and has not blown up (`stableEnd`): how much LR the regularization tolerates.
 * `null` for flat curves or when nothing clearly falls.
 */
export function summarizeCurve(points: readonly RangePoint[]): CurveSummary {
  const shape = curveShape(points);
  if (shape === null) return NONE;
  const { index: headlineBottom, atZero } = bottomOf(shape);
  const bottom = shape.flat ? shape.minIndex : headlineBottom;
  const blowUp = blowUpLr(shape, bottom);
  const stretch = shape.flat ? null : fallingStretch(shape);
  const range = stretch === null ? null : { minLr: shape.lrs[stretch.first]!, maxLr: shape.lrs[Math.max(stretch.last, stableEnd(shape, bottom, blowUp))]! };
  // The bold curve's own lowest point (where the headline reads it: past the first points, short of the
  // last half window), not its value at the headline's bottom: that bottom is read on a narrower level fit,
  // and at a sharp bottom just before a blow-up the wide fit there sits far above the loss reached. A
  // user's Adam sweep printed wd 1e-2 0.867, 1e-3 0.953, 1e-4 1.09 (the curves' lowest: 0.763, 0.723,
  // 0.703) and picked wd 1e-2, whose whole runs ended 53% worse. Where the loss reached zero (the
  // headline's AT_ZERO), the headline's bottom: where it got there.
  const lowest = !shape.flat && atZero ? bottom : shape.minIndex;
  return {
    minSmoothedLoss: shape.curve[lowest]!,
    lrAtMinLoss: shape.lrs[lowest]!,
    stableRange: range,
    stableDecades: range === null ? 0 : Math.log10(range.maxLr / range.minLr),
    blowUpLr: blowUp,
    startLoss: shape.start,
    levelNoise: shape.noise / Math.sqrt(2 * shape.halfWindow + 1),
  };
}

/** The stable range alone (see `summarizeCurve`). */
export function stableRange(points: readonly RangePoint[]): LrRange | null {
  return summarizeCurve(points).stableRange;
}
