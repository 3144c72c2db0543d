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
 * For a run whose losses reach zero or below (Poisson's, cosine proximity's, a negative
 * log-likelihood), its range: from the highest of its validation losses and its first epoch's
 * training loss (whose mean has the untrained start in it) down to the lowest loss it reached,
 * training or validation. `null` for a run whose losses stay above zero, whose shares are of the
 * loss itself (its distance from zero, the floor of such a loss). Below zero the floor is unknown
 * and a share of the value means nothing (a share of −0.0157 read "still falling 2908.4% per
 * epoch"); the validation range alone, the rule before, is what the first epoch left to learn — a
 * cosine-proximity model at −0.834 after one epoch moved 0.022 in validation over the run, and a
 * 0.0018 rise read "overfitting — rose 8.1%" where 15 epochs did much better, its training loss
 * 0.0233 lower "104.2% below validation".
 */
export function runRange(history: readonly EpochRecord[]): number | null {
  const losses = history.flatMap((h) => [h.valLoss, h.trainLoss]).filter(isFiniteNumber);
  if (!losses.some((v) => v <= 0)) return null;
  const val = history.map((h) => h.valLoss).filter(isFiniteNumber);
  if (val.length === 0) return null;
  const top = Math.max(...val, ...[history[0]?.trainLoss].filter(isFiniteNumber));
  return Math.max(top - Math.min(...losses), 1e-12);
}

/**
 * The scale material changes are measured on: the validation baseline when known; else the
 * larger of the first epoch's training and validation losses (the loss before much was learned;
 * the first epoch's training loss averages the early, high losses of that epoch) — and, for a run
 * whose losses reach zero or below, of its range (`runRange`: a Poisson loss's first epoch can sit
 * next to zero, which makes every change material).
 */
export function referenceLoss(history: readonly EpochRecord[], baseline: Baseline | null): number {
  const b = validationBaseline(baseline);
  if (b !== null && b > 0) return b;
  const first = history[0];
  const candidates = [first?.trainLoss, first?.valLoss].filter(isFiniteNumber).map(Math.abs);
  return Math.max(1e-12, ...candidates, runRange(history) ?? 0);
}

/** At or above the baseline, or less than `NEAR_BASELINE_FRACTION` below it. */
export function isNearBaseline(loss: number, baselineLevel: number): boolean {
  return loss >= (1 - NEAR_BASELINE_FRACTION) * baselineLevel;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
