/**
 * Under/overfitting verdict from a training history (method.md, "Core idea"): tuning aims at
 * the point where validation loss flattens out — not still falling steeply (underfitting), not
 * rising again (overfitting).
 */
import type { Diagnosis, EpochRecord } from '../protocol/results';

/** Fewer finite validation losses than this: no verdict. */
export const MIN_EPOCHS = 3;
/**
 * Overfitting: the last validation loss is more than 5% above its minimum, and the minimum is
 * not at the end. Below 5% the rise is within epoch-to-epoch noise of small validation sets.
 */
export const OVERFIT_RISE = 0.05;
/**
 * Underfitting: over the last quarter of training (at least 2 epochs) validation loss still
 * falls by more than 2% of its level per epoch. A converged run moves well under 1% per epoch at
 * the end; a run cut short moves several percent.
 */
export const UNDERFIT_DROP_PER_EPOCH = 0.02;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function diagnose(history: readonly EpochRecord[]): Diagnosis {
  const rows = history.filter((h): h is EpochRecord & { valLoss: number } => h.valLoss !== null && Number.isFinite(h.valLoss));
  if (rows.length < MIN_EPOCHS) {
    return { verdict: null, reason: `Too few epochs with a finite validation loss (${rows.length}, need ${MIN_EPOCHS}) to judge; train longer.` };
  }
  if (rows.length < history.length) {
    const bad = history.find((h) => h.valLoss === null || !Number.isFinite(h.valLoss));
    return { verdict: null, reason: `Validation loss became NaN/Inf at epoch ${bad?.epoch ?? '?'}: training diverged; lower the maximum LR.` };
  }
  const val = rows.map((r) => r.valLoss);
  const last = val[val.length - 1]!;
  let minIndex = 0;
  for (let i = 1; i < val.length; i++) if (val[i]! < val[minIndex]!) minIndex = i;
  const min = val[minIndex]!;
  const scale = Math.max(Math.abs(min), 1e-12);
  const rise = (last - min) / scale;
  const lastRow = rows[rows.length - 1]!;
  // How far below the validation loss the training loss sits, as a share of the validation loss.
  const gap = lastRow.trainLoss === null ? null : (last - lastRow.trainLoss) / Math.max(Math.abs(last), 1e-12);

  if (minIndex < val.length - 1 && rise > OVERFIT_RISE) {
    const gapText = gap !== null && gap > 0 ? `; training loss is ${pct(gap)} below it` : '';
    return {
      verdict: 'overfitting',
      reason: `Validation loss bottomed at epoch ${rows[minIndex]!.epoch} (${min.toPrecision(3)}) and rose ${pct(rise)} since${gapText}. More regularization (weight decay, dropout, a larger LR or smaller batch) or fewer epochs.`,
    };
  }

  const tail = Math.max(2, Math.ceil(val.length / 4));
  const from = val[val.length - 1 - tail]!;
  const perEpoch = (from - last) / Math.max(Math.abs(from), 1e-12) / tail;
  if (perEpoch > UNDERFIT_DROP_PER_EPOCH) {
    return {
      verdict: 'underfitting',
      reason: `Validation loss is still falling ${pct(perEpoch)} per epoch over the last ${tail} epochs. Train longer, raise the LR, or reduce regularization; a larger model if that does not help.`,
    };
  }
  return {
    verdict: 'good',
    reason: `Validation loss is flat at the end (${pct(Math.max(0, perEpoch))} per epoch over the last ${tail} epochs, ${pct(Math.max(0, rise))} above its minimum): regularization and schedule are in balance.`,
  };
}
