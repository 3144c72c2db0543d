/**
 * The headline learning rate: the one max LR LR Lab recommends for 1cycle (placeholder while the
 * benchmark is generated; calibrated in bench/adviceQuality.ts).
 */
import type { LrRecommendation, RangePoint } from '../protocol/results';
import { curveShape } from './suggestions';

export function recommend(points: readonly RangePoint[]): LrRecommendation | null {
  const shape = curveShape(points);
  if (shape === null || shape.flat) return null;
  const maxLr = shape.lrs[shape.minIndex]!;
  return { maxLr, minLr: maxLr / 10, reason: 'lowest point of the fitted loss' };
}
