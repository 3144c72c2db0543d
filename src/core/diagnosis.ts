/**
 * Under/overfitting verdict from a training history (method.md, "Core idea"): tuning aims at
 * the point where validation loss flattens out — not still falling steeply (underfitting), not
 * rising again (overfitting).
 */
import type { Diagnosis, EpochRecord } from '../protocol/results';
import { formatLoss } from '../protocol/format';

/** Fewer epochs than this with a finite validation loss: no verdict (one or two points have no shape). */
export const MIN_EPOCHS = 3;
/**
 * Overfitting: the last validation loss is more than 5% above its minimum, and the minimum is
 * not at the end. Below 5% the rise is within the epoch-to-epoch noise of small validation sets.
 */
export const OVERFIT_RISE = 0.05;
/**
 * Overfitting, with evidence from the training loss: a smaller rise (over 2%) counts when the
 * training loss sits more than `OVERFIT_GAP` below the validation loss. A rise alone that small
 * could be noise; together with a wide gap it is the model memorizing the training set.
 */
export const OVERFIT_RISE_WITH_GAP = 0.02;
/** "Training loss well below validation loss": more than 25% of the validation loss below it. */
export const OVERFIT_GAP = 0.25;
/**
 * Underfitting: over the last quarter of training (at least 2 epochs) validation loss still
 * falls by more than 2% of its level per epoch. A converged run moves well under 1% per epoch at
 * the end; a run cut short moves several percent.
 */
export const UNDERFIT_DROP_PER_EPOCH = 0.02;
/**
 * Not learning at all: neither training nor validation loss fell by 2% from the first epoch.
 * Judged flat-at-the-end alone, such a run would pass as "good".
 */
export const NO_PROGRESS_DROP = 0.02;

/** Relative scale of a loss; near zero, a tiny absolute floor keeps ratios finite. */
function scaleOf(x: number): number {
  return Math.max(Math.abs(x), 1e-12);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function num(x: number): string {
  return formatLoss(x);
}

function isFiniteNumber(x: number | null): x is number {
  return x !== null && Number.isFinite(x);
}

export function diagnose(history: readonly EpochRecord[]): Diagnosis {
  const badVal = history.find((h) => !isFiniteNumber(h.valLoss));
  const badTrain = history.find((h) => h.trainLoss !== null && !Number.isFinite(h.trainLoss));
  if (badTrain !== undefined) {
    return { verdict: null, reason: `Training diverged: the training loss became NaN/Inf at epoch ${badTrain.epoch}. Lower the maximum LR.` };
  }
  const finite = history.filter((h) => isFiniteNumber(h.valLoss)).length;
  if (finite < MIN_EPOCHS) {
    return { verdict: null, reason: `Too few epochs with a finite validation loss (${finite}, need ${MIN_EPOCHS}) to judge the fit; train for more epochs.` };
  }
  if (badVal !== undefined) {
    return { verdict: null, reason: `Validation loss became NaN/Inf at epoch ${badVal.epoch}: training diverged; lower the maximum LR.` };
  }

  const val = history.map((h) => h.valLoss!);
  const n = val.length;
  const last = val[n - 1]!;
  let minIndex = 0;
  for (let i = 1; i < n; i++) if (val[i]! < val[minIndex]!) minIndex = i;
  const min = val[minIndex]!;
  const rise = (last - min) / scaleOf(min);
  const lastTrain = history[n - 1]!.trainLoss;
  // How far below the validation loss the training loss sits, as a share of the validation loss.
  const gap = lastTrain === null ? null : (last - lastTrain) / scaleOf(last);
  const bottom = `Validation loss bottomed at epoch ${history[minIndex]!.epoch} (${num(min)}) and rose ${pct(rise)} since`;

  if (minIndex < n - 1 && rise > OVERFIT_RISE) {
    const gapText = gap !== null && gap > 0 ? `; training loss is ${pct(gap)} below it` : '';
    return {
      verdict: 'overfitting',
      reason: `${bottom}${gapText}. More regularization (weight decay, dropout, a larger LR or smaller batch) or fewer epochs.`,
    };
  }
  if (minIndex < n - 1 && rise > OVERFIT_RISE_WITH_GAP && gap !== null && gap > OVERFIT_GAP) {
    return {
      verdict: 'overfitting',
      reason: `${bottom} while training loss is ${pct(gap)} below it: the model is memorizing the training set. More regularization (weight decay, dropout) or fewer epochs.`,
    };
  }

  const firstTrain = history[0]!.trainLoss;
  if (
    lastTrain !== null &&
    firstTrain !== null &&
    (val[0]! - min) / scaleOf(val[0]!) < NO_PROGRESS_DROP &&
    (firstTrain - lastTrain) / scaleOf(firstTrain) < NO_PROGRESS_DROP
  ) {
    return {
      verdict: 'underfitting',
      reason: `Neither training nor validation loss improved over ${n} epochs (validation ${num(val[0]!)} → ${num(last)}): the model is not learning. Check the LR (run the range test), the data and labels, or use a larger model.`,
    };
  }

  const tail = Math.max(2, Math.ceil(n / 4));
  const from = val[n - 1 - tail]!;
  const perEpoch = (from - last) / scaleOf(from) / tail;
  if (perEpoch > UNDERFIT_DROP_PER_EPOCH) {
    return {
      verdict: 'underfitting',
      reason: `Validation loss is still falling ${pct(perEpoch)} per epoch over the last ${tail} epochs. Train longer or raise the LR; if that does not help, less regularization or a larger model.`,
    };
  }
  return {
    verdict: 'good',
    reason: `Validation loss is flat at the end (${pct(Math.max(0, perEpoch))} per epoch over the last ${tail} epochs, ${pct(Math.max(0, rise))} above its minimum): regularization and schedule are in balance.`,
  };
}
