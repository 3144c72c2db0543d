/**
 * What counts as "learned" and as a material change of a loss, shared by the range-test hints
 * (`hints.ts`), the training verdicts (`diagnosis.ts`) and the recipe's epoch count
 * (`epochs.ts`). Changes are measured against the task's baseline (the loss of a model that
 * learned nothing, `baseline.ts`), not against the loss itself: relative to a loss near zero,
 * 3e-5 → 5e-5 is a 67% rise, yet against a chance level of 0.69 it is nothing.
 */
import type { Baseline, EpochRecord } from '../protocol/results';

/**
 * "Near the baseline": a loss above 95% of the baseline. Beating the constant prediction by 5%
 * is what a model that learned anything reliably does (binary cross-entropy 0.658 against
 * ln 2 = 0.693 is a calibrated ~63% accuracy; for MSE, R² = 0.05), while sampling noise of a
 * validation loss on a few hundred samples and chance-level memorization of random labels stay
 * within a few percent of it.
 */
export const NEAR_BASELINE_FRACTION = 0.05;

/**
 * A change of a loss smaller than 0.1% of the reference loss (the baseline, see `referenceLoss`)
 * is immaterial, however large it is relative to the loss itself: 0.0023 for ten classes
 * (ln 10), 0.0007 for a balanced binary task, R² moving by 0.001 for a regression. MNIST's
 * validation loss moving 0.10 → 0.08 counts, and so does a regression's MSE moving 0.88 → 0.69
 * against a label variance of 40; 3e-5 → 5e-5 against ln 2 does not. This is what keeps ratios
 * from blowing up near zero.
 */
export const MATERIAL_FRACTION_OF_BASELINE = 0.001;

export function isFiniteNumber(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && Number.isFinite(x);
}

/** The baseline level for validation losses (the training one when there is no validation baseline). */
export function validationBaseline(baseline: Baseline | null): number | null {
  if (baseline === null) return null;
  return baseline.valLoss ?? baseline.loss;
}

/**
 * The scale material changes are measured on: the validation baseline when known; else the
 * larger of the first epoch's training and validation losses (the loss before much was learned;
 * the first epoch's training loss averages the early, high losses of that epoch).
 */
export function referenceLoss(history: readonly EpochRecord[], baseline: Baseline | null): number {
  const b = validationBaseline(baseline);
  if (b !== null && b > 0) return b;
  const first = history[0];
  const candidates = [first?.trainLoss, first?.valLoss].filter(isFiniteNumber).map(Math.abs);
  return Math.max(1e-12, ...candidates);
}

/** At or above the baseline, or less than `NEAR_BASELINE_FRACTION` below it. */
export function isNearBaseline(loss: number, baselineLevel: number): boolean {
  return loss >= (1 - NEAR_BASELINE_FRACTION) * baselineLevel;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
