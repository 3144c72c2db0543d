/**
 * The verdict on a training history (method.md, "Core idea" and "Know the baseline"): tuning
 * aims at the point where validation loss flattens out — not still falling (underfitting), not
 * rising again (overfitting) — and a model whose validation loss sits at the baseline learned
 * nothing, however flat its curve. The decision table, first match wins:
 *
 * | case | verdict |
 * |---|---|
 * | NaN/Inf | `unstable` (diverged) |
 * | fewer than `MIN_EPOCHS` finite epochs | `null`, with the reason |
 * | training loss rose materially at the end | `unstable` |
 * | validation loss climbed back over a quarter of its progress mid-run (or past the baseline from clearly below it), then fell with the LR | `good` ended converged (under 1% of it, the climb named), else `unstable` |
 * | no progress to weigh a climb against (no baseline, or above it from the first epoch) and validation loss over 3x its lowest so far for two epochs mid-run — or, without a baseline, up by over `CLIMB_OF_FIRST_EPOCH` of the first epoch's loss at half the peak LR or more, the training loss up too — then fell with the LR (`blowUpMidRun`) | the same |
 * | training loss above its own baseline mid-run (over `TRAIN_RISE` above its first epoch), neither loss clearly below its baseline by then, both below only after, as the LR fell (1d) | the same as a climb back mid-run |
 * | validation loss at the baseline, without falling (`PINNED_FALL`), while the LR was at a quarter of its peak or more, and clearly below it only after, as the LR annealed (1e) | `unstable` (3x lower) |
 * | validation loss never clearly below the baseline | `not-learning` (`unstable` where the training loss climbed mid-run and never got below its own baseline, or validation blew up mid-run — from the baseline's band too, to over `BLEW_UP_FACTOR` times the baseline for epochs on end; the rules below where validation accuracy is clearly above chance, `ABOVE_CHANCE_ERRORS`, and the training loss clearly below its own baseline) |
 * | both losses ended at their baselines (collapsed to a constant prediction) | `unstable` |
 * | neither loss moved by `NO_PROGRESS_DROP` of the baseline over the run, above `STILL_AT_START_SHARE` of it | `not-learning` (a max LR 10x higher or more) |
 * | 100% validation accuracy | `good` |
 * | validation loss rose materially since its minimum while training loss fell | `overfitting` |
 * | validation loss rose materially, training loss flat | `unstable` (LR too high to settle) |
 * | validation loss rose by `SMALL_RISE_ANNEALED` or less while the training loss fell at every epoch since (still above validation) and the LR annealed to zero | `good` (the last epochs gained nothing) |
 * | validation loss rose over `STAYED_UP` of itself since its lowest and stayed up, training loss far above it | `unstable` (3x lower) |
 * | last validation loss far below the baseline and no longer moving materially | `good` (converged) |
 * | both still falling materially over the last quarter (and in the last epoch, unless steeply; a new low in the last two) | `underfitting` (train longer; with training loss far below validation, keep the regularization) |
 * | flat at the end only as 1cycle took the LR down (`LEARNED_AFTER_PEAK` of a fall of at least `LATE_FALL` of the loss or `LATE_FALL_OF_BASELINE` of the baseline), training loss as high as validation | `underfitting` (a higher max LR first); `unstable` where validation climbed over `WARM_UP_CLIMB` times its lowest on the way up to the peak (3x lower) |
 * | otherwise (flat at the end) | `good` |
 *
 * A one-epoch spike that came straight back decides no verdict; a good, underfitting or overfitting
 * verdict's reason names it (`SPIKE_FACTOR`).
 *
 * "Materially" is both relative to the loss's own level and large against the baseline
 * (`lossScale.ts`), so a rise from 3e-5 to 5e-5 is no overfitting. A run whose losses reach zero or
 * below (Poisson, cosine proximity) takes every share — and every multiple — of its range instead of
 * the loss's level (`runRange`), and the reason says so. Every threshold is a named
 * constant with its reasoning; `test/unit/diagnosis.test.ts` holds the table on constructed
 * histories with known answers.
 */
import type { Baseline, Diagnosis, EpochRecord } from '../protocol/results';
import { formatCount, formatLoss, formatLr, printedLr } from '../protocol/format';
import type { ChanceAccuracy } from './baseline';
import { constantLabels, describeBaseline } from './baseline';
import { FEWEST_JUDGED, recommendedEpochs } from './epochs';
import { localLinearFit } from './curveShape';
import { MATERIAL_FRACTION_OF_BASELINE, NEAR_BASELINE_FRACTION, isFiniteNumber, isNearBaseline, pct, referenceLoss, runRange, validationBaseline } from './lossScale';

/** Fewer epochs than this with a finite validation loss: no verdict (one or two points have no shape). */

/** How the "still falling" underfitting verdict begins: the run ended while validation still improved (`endedStillFalling`). */
const STILL_FALLING = 'Validation loss is still falling';

/** Whether a run's verdict is that validation was still falling materially at its end ("train longer"). */
export function endedStillFalling(diagnosis: Diagnosis): boolean {
  return diagnosis.verdict === 'underfitting' && diagnosis.reason.startsWith(STILL_FALLING);
}

export const MIN_EPOCHS = FEWEST_JUDGED;
/**
 * Overfitting: the last validation loss is more than 5% above its minimum (and the rise is
 * material against the baseline), and the minimum is not at the end. Below 5% the rise is within
 * the epoch-to-epoch noise of small validation sets.
 */
export const OVERFIT_RISE = 0.05;
/**
 * Overfitting, with evidence from the training loss: a smaller rise (over 2%, still material)
 * counts when the training loss sits more than `OVERFIT_GAP` below the validation loss. A rise
 * alone that small could be noise; together with a wide gap it is the model memorizing.
 */
export const OVERFIT_RISE_WITH_GAP = 0.02;
/** "Training loss well below validation loss": more than 25% of the validation loss below it. */
export const OVERFIT_GAP = 0.25;
/** A validation rise this small (relative), with the training loss still falling and the LR annealed to zero, is the last epochs gaining nothing, not instability. */
export const SMALL_RISE_ANNEALED = 0.15;
/** With the training loss far above validation, a rise since the lowest epoch above this share is no epoch's luck. */
export const STAYED_UP = 0.5;
/**
 * Underfitting: over the last quarter of training (at least 2 epochs) validation loss still
 * falls by more than 2% of its level per epoch (and materially in total). A converged run moves
 * well under 1% per epoch at the end; a run cut short moves several percent.
 */
export const UNDERFIT_DROP_PER_EPOCH = 0.02;
/**
 * ... and, unless that trend is steep (over twice the rate: one flat epoch is then noise), the last
 * epoch itself still falls by more than a quarter of the rate. A user's imbalanced classifier went
 * 0.12 → 0.114 → 0.1097 → 0.1095 over 1cycle's annealing and read "underfitting: train longer" at
 * 2.0% per epoch; its last epoch fell 0.2%, and 15 and 40 epochs ended worse (0.1125, 0.1233).
 */
export const UNDERFIT_LAST_EPOCH_SHARE = 0.25;
/**
 * Unstable: the last training loss is more than 10% above its lowest epoch (and materially so,
 * `TRAIN_RISE_OF_VALIDATION`).
 * Mid-run bumps of 1cycle's rising LR recover before the end; one that did not is a too-high LR,
 * not overfitting (overfitting needs the training loss to keep falling).
 */
export const TRAIN_RISE = 0.1;
/**
 * ... and by more than this share of the last validation loss: a rise that small cannot be what
 * makes validation bad. A Fashion-MNIST MLP with dropout trained 100 epochs ended with its training
 * loss at 0.022 against a lowest 0.0193 (dropout's batches near zero loss), while validation had
 * risen from 0.485 (epoch 7) to 0.844: overfitting, which the rule had called "unstable: lower the LR".
 */
export const TRAIN_RISE_OF_VALIDATION = 0.02;
/**
 * Unstable at the end also needs the rise to be worth 2% of the baseline, where there is one: a
 * training loss near zero wanders by more than 0.1% of it between epochs of a few batches. A user's
 * 3-class model (5 batches an epoch, 100 epochs, 100% validation accuracy) ended at a training loss
 * of 0.036 against its lowest 0.019 — 1.5% of ln 3 — and read "unstable: lower the maximum LR",
 * which the recipe acted on (3x lower).
 */
export const TRAIN_RISE_OF_BASELINE = 0.02;
/**
 * Converged: the last validation loss is under 1% of the baseline and its fall over the last
 * quarter is immaterial (`MATERIAL_FRACTION_OF_BASELINE`). A loss that small still moving by a
 * large factor (7e-4 → 3e-4 against ln 10) is not underfitting; one still falling materially
 * (a regression's MSE 0.035 → 0.015 against a variance of 4.5) is.
 */
export const CONVERGED_FRACTION_OF_BASELINE = 0.01;
/**
 * Validation accuracy "held" between the lowest validation loss and the end where it fell by no more
 * than this many of the validation samples (`Baseline.valSamples`; none where their number is unknown).
 */
export const ACCURACY_HELD_SAMPLES = 2;
/** Validation accuracy this close to 1 is 100%. */
export const PERFECT_ACCURACY = 1 - 1e-9;
/**
 * Without a baseline (a loss with no known constant optimum): "not learning" when neither loss
 * fell by 2% of the first epoch's loss.
 */
export const NO_PROGRESS_DROP = 0.02;
/**
 * With a baseline, "did not move" is read only above this share of it (within 10%): the random start
 * of a user's 3-class MLP that did not move at max LR 1e-5 sat at 0.94 of ln 3. Further below, a flat
 * run may have converged in the first batches of its first epoch (noisy labels, a low-R² regression).
 */
export const STILL_AT_START_SHARE = 1 - 2 * NEAR_BASELINE_FRACTION;

/**
 * Unstable mid-run: validation loss climbing back more than this share of what it had gained (from
 * the baseline, else from the first epoch) before it came down again. A 1cycle run at a usable max LR
 * wobbles by a few percent of its progress (a 3-class MLP at 0.3: 2–5%); at 10x that LR it gave back
 * half (0.29 → 0.70 against ln 3).
 */
export const MID_RUN_CLIMB_OF_PROGRESS = 0.25;
/** A climb of one epoch counts as one (not a spike of noise) where it gave back more than this share of the progress. */
export const ONE_EPOCH_GIVE_BACK = 0.5;

/**
 * The largest climb of validation loss above its lowest so far (relative to the progress made by
 * that low, from `reference` down to it), at an epoch before the last two, by more than `minRise`,
 * for two epochs in a row at over half of it, with the training loss rising too (overfitting's validation climbs while training loss falls)
 * — or, without that, back into the baseline's band from a real gain, or to over BLEW_UP_FACTOR times
 * the low within two epochs (the caller counts a climb only where the LR then fell) — and come down
 * again by at least half of it by the last epoch (a climb that lasts to the end is the overfitting and
 * collapse rules' case). `null` when there is none.
 */
function midRunClimb(val: readonly number[], train: readonly (number | null)[], reference: number, minRise: number, past: { readonly ceiling: number; readonly gained: number } | null = null, nearPeakLr: (epoch: number) => boolean = () => false, level: (x: number) => number = shareLevel(null)): { low: number; peak: number; rise: number; progress: number } | null {
  let low = 0;
  let best: { low: number; peak: number; rise: number; progress: number } | null = null;
  for (let i = 1; i < val.length - 2; i++) {
    if (val[i]! < val[low]!) {
      low = i;
      continue;
    }
    const progress = reference - val[low]!;
    const rise = val[i]! - val[low]!;
    // Or a climb past the baseline (worse than knowing nothing), which overfitting does not come back
    // down from as the LR falls: a CNN at 10x its LR went 0.65 → 0.95 against ln 2 at the peak LR while
    // its epoch-mean training loss still fell (0.77 → 0.63), and read "underfitting: train longer".
    const ownRise = trainRoseDuring(train, low, i);
    // From a low that was a real gain (clearly below the baseline), not from noise inside its band.
    // Back at the baseline counts too: collapsed to a constant prediction (a user's LSTM went 0.404 →
    // 0.692 against ln 2, 49.8% accuracy, at the peak LR, and read "underfitting: train longer" — its
    // epoch-mean training loss had the untrained start in epoch 1's mean, so it did not rise).
    const viaCeiling = !ownRise && past !== null && val[i]! > past.gained && val[low]! < past.gained;
    // Or a jump to several times the low within an epoch or two, which overfitting's slow climb is not
    // (a user's RMSprop regression went 0.0586 → 0.336 at its peak LR while the epoch-mean training loss fell).
    const jumped = !ownRise && rise > (BLEW_UP_FACTOR - 1) * level(val[low]!) && i - low <= 2;
    // Or a climb with the training loss at or above validation at its top: overfitting's climb has the
    // training loss below it (it fits the training set better than it generalizes). A user's GRU at 3x its
    // headline went 0.598 → 0.771 at the peak LR, its epoch-mean training loss 0.89, 0.84, 0.80 falling
    // but above validation all the while, ended at 0.608 (the headline's 0.41), and read "underfitting:
    // train longer".
    const trainAt = train[i];
    const noGap = !ownRise && isFiniteNumber(trainAt) && trainAt >= val[i]!;
    const trainRose = ownRise || viaCeiling || jumped || noGap;
    // Two epochs up, not one spike (a validation loss of 1.22e-5 for one epoch between 9.6e-7s); or one
    // epoch at the peak LR that gave back over half of what the run had gained (ONE_EPOCH_GIVE_BACK): a
    // user's sparse 8-class model at 3x its headline went 0.519 → 1.63 (chance 2.08) for one epoch at the
    // peak, ended at 0.475 — twice the headline's 0.244 — and read "good". (Far below the peak, such a
    // blip is an overfitting run's: an imbalanced classifier's at half its peak LR, back to a new low the
    // next epochs, its training loss 5x below validation. And from a low clearly below a known baseline:
    // without one, a gain to weigh the epoch against is not known.)
    const lasted = [val[i - 1], val[i + 1]].some((v, k) => (k === 1 || i - 1 > low) && v! > val[low]! + rise / 2) || (rise > ONE_EPOCH_GIVE_BACK * progress && nearPeakLr(i) && past !== null && val[low]! < past.gained);
    if (progress > 0 && rise > minRise && trainRose && lasted && (best === null || rise / progress > best.rise / best.progress)) best = { low, peak: i, rise, progress };
  }
  return best !== null && val[val.length - 1]! < val[best.peak]! - best.rise / 2 ? best : null;
}

/**
 * The level a share of a loss is taken of: the loss itself (its distance from zero, the floor of a
 * loss that stays above it), or, for a run whose losses reach zero or below, the run's range
 * (`span`, from `runRange`): a climb to 3x or 1.25x a negative loss, or a third of it, means nothing.
 */
function shareLevel(span: number | null): (x: number) => number {
  return (x) => (span !== null ? span : Math.max(Math.abs(x), 1e-12));
}

/** Whether epoch `i` ran at half the run's peak LR or more (`false` without LRs). */
function nearPeakLr(history: readonly EpochRecord[], i: number): boolean {
  const lr = history[i]?.lr;
  const lrs = history.map((h) => h.lr).filter(isFiniteNumber);
  return isFiniteNumber(lr) && lrs.length > 0 && lr >= 0.5 * Math.max(...lrs);
}

/**
 * Whether the training loss rose with a validation climb from epoch `low` to `i` (unknown counts as
 * risen). From a low at the first epoch, whose mean training loss has the untrained start in it, it
 * rose where it went up between any two later epochs of the climb (to `i + 1`): a user's 10-class model
 * at 3x its headline went 1.46 → 1.60 in validation at the peak LR and stayed above 1.46 for 7 epochs,
 * its training loss 1.61, 1.44, 1.53, 1.54, and read "good: in balance" (3x lower reached 1.25).
 */
function trainRoseDuring(train: readonly (number | null)[], low: number, i: number): boolean {
  const trainLow = train[low];
  const trainAt = train[i];
  if (!isFiniteNumber(trainLow) || !isFiniteNumber(trainAt)) return true;
  if (low > 0) return trainAt > trainLow;
  for (let k = 2; k <= Math.min(i + 1, train.length - 1); k++) {
    const now = train[k];
    const before = train[k - 1];
    if (!isFiniteNumber(now) || !isFiniteNumber(before) || now > before) return true;
  }
  return false;
}

/**
 * Without a baseline, a validation climb from the first epoch's loss by more than this share of the
 * run's own scale (`referenceLoss`: the first epoch's loss, the stand-in for a baseline) at half the
 * peak LR or more, with the training loss up too, is a blow-up however short — the "gave back over half
 * of what it had gained" of a run with a baseline (`ONE_EPOCH_GIVE_BACK`), where the first epoch's loss
 * is all there is to weigh it against. A user's MAPE regression at 10x its headline went 11.0 → 19.9 at
 * the peak LR (its training loss 12.6 → 13.3, over the first epoch's mean that has the untrained start in
 * it), fell only as the LR came down (5.13, where the headline reached 3.8), and read "underfitting: train
 * longer" — 15 epochs there ended at 7.01. Measured on that scale, not as a multiple of the loss, it holds
 * for a loss that goes below zero as well.
 */
export const CLIMB_OF_FIRST_EPOCH = 0.5;

/**
 * A blow-up mid-run from the lowest validation loss so far where 1b has no progress to weigh it
 * against (`reference` − that low ≤ 0: the first epoch was that lowest and there is no baseline, or the
 * run was still above its baseline there): validation loss over BLEW_UP_FACTOR times that low for two
 * epochs in a row at an epoch before the last two, with the training loss up too — or, without a
 * baseline (`scale`: the run's `referenceLoss`), up by over CLIMB_OF_FIRST_EPOCH of that scale at half
 * the peak LR or more (`nearPeak`), the training loss up too (above the first epoch's mean counts) —
 * and down again by at least half of the climb by the last epoch. `null` when there is none (the
 * largest such climb otherwise, against `level`).
 */
function blowUpMidRun(val: readonly number[], train: readonly (number | null)[], reference: number, scale: number | null = null, nearPeak: (epoch: number) => boolean = () => false, level: (x: number) => number = shareLevel(null)): { low: number; peak: number; weighed: boolean } | null {
  let low = 0;
  let best: { low: number; peak: number; weighed: boolean } | null = null;
  const size = (b: { low: number; peak: number }): number => (val[b.peak]! - val[b.low]!) / level(val[b.low]!);
  for (let i = 1; i < val.length - 2; i++) {
    if (val[i]! < val[low]!) {
      low = i;
      continue;
    }
    const above = (v: number | undefined): boolean => v !== undefined && v > BLEW_UP_FACTOR * val[low]!;
    const trainRose = trainRoseDuring(train, low, i);
    const lasted = (i - 1 > low && above(val[i - 1])) || above(val[i + 1]);
    // Three times its low, the training loss rising with it, for two epochs at the peak LR: a blow-up
    // however small against the progress from the baseline (1b weighs the climb against that). A user's
    // 50-class model at 3x its headline went 0.083 → 0.426 (epoch 3, training 0.09 → 0.44) → 0.059
    // against a baseline of 3.94 — 9% of its progress — and read "underfitting: train longer"; its
    // headline ended at 0.023.
    const threeFold = val[low]! > 0 && above(val[i]) && trainRose && lasted;
    // Otherwise only from a low with no progress to weigh the climb against (1b weighs every other).
    const weighed = reference - val[low]! > 0;
    if (weighed && !(threeFold && nearPeak(i))) continue;
    const [trainLow, trainAt] = [train[low], train[i]];
    const trainUp = trainRose || (isFiniteNumber(trainLow) && isFiniteNumber(trainAt) && trainAt > trainLow);
    const ofScale = scale !== null && val[i]! - val[low]! > CLIMB_OF_FIRST_EPOCH * scale && nearPeak(i) && trainUp;
    if ((threeFold || ofScale) && (best === null || size({ low, peak: i }) > size(best))) best = { low, peak: i, weighed };
  }
  return best !== null && val[val.length - 1]! < val[best.peak]! - (val[best.peak]! - val[best.low]!) / 2 ? best : null;
}

/**
 * Of a run's fall in validation loss (first epoch to last), the share that came after the peak LR
 * (from the lowest it had reached by then) above which a run that ended flat was still learning when
 * the schedule took the LR down. On a user trial's 1cycle grids (9 models, 145 runs), runs at 3–400x
 * below their model's best max LR had 43–61% of their fall after the peak and read "good: in
 * balance" (an Adam spiral at 3e-4: 47.6% accuracy, where 0.12 reached 100%); runs at the best LR,
 * 1–25% (41% once, on an imbalanced classifier 1.7x below its best, whose training loss was well
 * below validation).
 */
export const LEARNED_AFTER_PEAK = 0.4;
/** The fall after the peak that counts: at least this share of the validation loss reached by then... */
export const LATE_FALL = 0.05;
/**
 * ...or of the baseline, where there is one: near the baseline, 5% of the loss is nearly 5% of the
 * baseline, which a run at a max LR 150x too low did not reach. A user's 3-class MLP at 0.01 (1.5
 * reached 0.062) fell 1.034 → 1.019 by the peak and 0.987 at the end against ln 3 — 68% of its fall
 * after the peak, 2.9% of the baseline — and read "good: in balance". Soft labels at their floor
 * (1.49 → 1.47, 1.3%) and a run flat from its first epoch stay below it.
 */
export const LATE_FALL_OF_BASELINE = 0.025;
/** After the peak, epochs at this share of the peak LR or more are "still high"... */
export const HIGH_LR_SHARE = 0.5;
/** ...and a run still learning at its peak falls by at least this share of its loss by the peak while there. */
export const FALL_AT_HIGH_LR = 0.025;
/** Validation above this multiple of its lowest so far, on the way up to the peak: the peak was too high. */
export const WARM_UP_CLIMB = 1.25;
/** An epoch at this share of the run's highest LR or more is at its peak (1cycle's epoch-end LRs pass within a hair of it). */
const PEAK_SHARE = 0.98;
/** After the peak, 1cycle anneals gradually: at least two epochs still at this share of the peak LR or more. */
const ANNEAL_SHARE = 0.25;

/** Over the high-LR part of a run (1e), a fitted fall in validation loss of this share of the baseline or more is learning, slowly, not a pinned loss. */
const PINNED_FALL = NEAR_BASELINE_FRACTION / 2;

/**
 * Rule 1e: the run's validation loss sat at the baseline (not clearly below it, and its fitted trend not
 * falling by PINNED_FALL of it) through every epoch whose LR was ANNEAL_SHARE of the peak or more — at
 * least three, the peak among them — then got clearly below it only after, in the anneal, and ended
 * there. Returns where (the first epoch clearly below, the last high one, the range it sat in), else null.
 */
function pinnedUntilAnneal(history: readonly EpochRecord[], base: number | null, maxLr: number | null): { first: number; lastHigh: number; low: number; high: number } | null {
  if (base === null || !(base > 0) || maxLr === null || !(maxLr > 0)) return null;
  const val = history.map((h) => h.valLoss);
  const lrs = history.map((h) => h.lr);
  if (!val.every(isFiniteNumber) || !lrs.every(isFiniteNumber)) return null;
  const last = val.at(-1)!;
  const first = val.findIndex((v) => !isNearBaseline(v, base));
  const lastHigh = lrs.reduce((at, lr, i) => (lr >= ANNEAL_SHARE * maxLr ? i : at), -1);
  const peak = argMax(lrs);
  if (isNearBaseline(last, base) || lastHigh < 2 || peak > lastHigh || first <= lastHigh) return null;
  const phase = val.slice(0, lastHigh + 1);
  // The least-squares trend over those epochs (a window as wide as the phase fits one line to all of it):
  // one noisy epoch neither makes nor breaks a fall.
  const k = phase.length;
  const slope = localLinearFit(phase.map((_, i) => i), phase, k).slope[0]!;
  if (-slope * (k - 1) > PINNED_FALL * base) return null;
  return { first, lastHigh, low: Math.min(...phase), high: Math.max(...phase) };
}

/**
 * Where a run's LR peaked and then came down to under half of it, the share of its fall in validation
 * loss after the peak (`LEARNED_AFTER_PEAK` and above), else `null`; `before`: the lowest validation
 * loss by the peak epoch (a bounce at the peak is not progress made after it).
 */
function stillLearningAtPeak(history: readonly EpochRecord[], level: (x: number) => number = shareLevel(null), base: number | null = null): { peak: number; before: number; share: number; climb: { from: number; at: number } | null } | null {
  const n = history.length;
  const lrs = history.map((h) => h.lr);
  const val = history.map((h) => h.valLoss);
  if (n < 3 || !lrs.every(isFiniteNumber) || !val.every(isFiniteNumber)) return null;
  // The last epoch at (about) the highest LR: a schedule held at its peak for epochs peaks at the last of them.
  const top = Math.max(...lrs);
  let peak = 0;
  for (let i = 0; i < n; i++) if (lrs[i]! >= PEAK_SHARE * top) peak = i;
  // 1cycle's shape only: a warm-up before the peak (a schedule that starts there leaves nothing learned
  // before it to compare with), and after it a gradual fall — never up again (cyclic schedules: each
  // cycle is more training), and at least two epochs still at a quarter of the peak or more (a step
  // decay's drop, after which a loss falls sharply, is no sign of a too-low LR) — down to under half of it.
  const after = lrs.slice(peak + 1);
  const gradual = after.every((lr, i) => lr <= (i === 0 ? lrs[peak]! : after[i - 1]!)) && after.filter((lr) => lr >= ANNEAL_SHARE * lrs[peak]!).length >= 2;
  if (peak < 1 || peak > n - 3 || !gradual || !(lrs[n - 1]! < 0.5 * lrs[peak]!)) return null;
  const before = Math.min(...(val.slice(0, peak + 1)));
  const last = val[n - 1]!;
  // A fall after the peak too small to matter is no sign of a too-low LR, whatever its share: a run
  // flat from its first epoch (an L2-heavy MLP, 0.133 by the peak and 0.133 at the end) had "100% of
  // its fall" after the peak, and soft labels at their floor (1.49 → 1.47) read "a higher max LR first".
  // Against the baseline only where the fall after the peak is at least twice the warm-up's: a run at
  // a noise floor falls a little all run (30% label noise: 0.020 by the peak, 0.025 after, at its best LR).
  const lateFall = before - last;
  if (!(lateFall >= LATE_FALL * level(before) || (base !== null && lateFall >= LATE_FALL_OF_BASELINE * base && lateFall >= 2 * (val[0]! - before)))) return null;
  // Still learning at the peak means falling while the LR is still high after it: a loss flat or
  // noisy there that falls only once the LR is low was held up by the LR's noise, which annealing
  // removes — a higher max LR would add to it. Soft labels at 0.561 went 1.135 by the peak, 1.138 /
  // 1.152 / 1.137 while the LR came down to 0.34, then 1.08 at the end, and read "a higher max LR
  // first: compare 1.68", where 1.68 read "unstable: 3x lower" and was worse at two seeds.
  const high = val.slice(peak + 1).filter((_, i) => lrs[peak + 1 + i]! >= HIGH_LR_SHARE * lrs[peak]!);
  if (high.length >= 2 && !(before - Math.min(...high) >= FALL_AT_HIGH_LR * level(before))) return null;
  const total = val[0]! - last;
  const share = total > 0 ? (before - last) / total : 0;
  if (share < LEARNED_AFTER_PEAK) return null;
  // Validation climbing well above its lowest so far on the way up to the peak: what it gained after
  // the peak was won back as the LR came down, not missed for want of a higher one.
  let low = 0;
  let climb: { from: number; at: number } | null = null;
  for (let i = 1; i <= peak; i++) {
    const up = (from: number, at: number): number => (val[at]! - val[from]!) / level(val[from]!);
    if (up(low, i) > WARM_UP_CLIMB - 1 && (climb === null || up(low, i) > up(climb.from, climb.at))) climb = { from: low, at: i };
    if (val[i]! < val[low]!) low = i;
  }
  return { peak, before, share, climb };
}

/** "As high as validation": a training loss less than this share below it. */
export const NO_GAP = 0.1;
/** A flat validation loss above this share of the baseline is far from what a fit model reaches. */
export const HIGH_SHARE_OF_BASELINE = 0.1;

/** A validation loss climbing past this multiple of where it started (or of its lowest) blew up. */
export const BLEW_UP_FACTOR = 3;

function argMax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

function argMin(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[best]!) best = i;
  return best;
}

/**
 * A validation loss that never got down to the baseline but fell more than this share in the last
 * epoch is still on its way down (from a start far above the baseline), not settled at it.
 */
export const STILL_FALLING_PER_EPOCH = 0.1;

/** A run never down to its baseline is "pinned" where every epoch after the first is within this share of its last loss. */
export const PINNED = 0.005;

/** Each loss finite and below the one before it. */
function fellEveryEpoch(losses: readonly (number | null)[]): boolean {
  return losses.every((v, i) => isFiniteNumber(v) && (i === 0 || v < losses[i - 1]!));
}

/** The last epoch's validation accuracy: `valAccuracy`, else a metric named like accuracy. */
function lastAccuracy(record: EpochRecord): number | null {
  if (isFiniteNumber(record.valAccuracy)) return record.valAccuracy;
  const metrics = (record.valMetrics as EpochRecord['valMetrics'] | undefined) ?? {};
  for (const [name, value] of Object.entries(metrics)) if (/^(acc|accuracy|.*Accuracy)$/.test(name) && isFiniteNumber(value)) return value;
  return null;
}

const PEAK_REACHED = 0.9;

/**
 * The max LR a verdict quotes: the schedule's --max-lr where the steps reached it (1cycle's discrete
 * steps pass within a hair of it: 0.518 for 0.519; a cycle clocked by time, a budget-bound recipe's,
 * samples its peak more coarsely: 1.24 for 1.31, and its "3x lower (max LR 0.413)" read beside the
 * recipe's "3x, to 0.437"), else the highest LR a step used (a run cut on its way up); null before any step.
 */
export function quotedPeak(peak: number, maxLr: number | undefined): number | null {
  if (!Number.isFinite(peak)) return null;
  return maxLr !== undefined && peak >= PEAK_REACHED * maxLr && peak <= maxLr ? maxLr : peak;
}

/**
 * How far to lower a max LR that broke down, as words: 3x (the recipe's step), with the value where the
 * run's max LR is known. Not "run lrlab find-lr": a user whose run at find-lr's own headline broke down
 * was sent back to find-lr, which answered the same LR again.
 */
export function lowerAdvice(maxLr: number | null): string {
  return maxLr !== null && Number.isFinite(maxLr) && maxLr > 0 ? `train again 3x lower (max LR ${formatLr(printedLr(maxLr / 3))}) and compare where the runs end` : 'train again 3x lower and compare where the runs end';
}

function guard(history: readonly EpochRecord[], maxLr: number | null): Judged | null {
  const badTrain = history.find((h) => h.trainLoss !== null && !Number.isFinite(h.trainLoss));
  if (badTrain !== undefined) {
    return { reason: `Training diverged: the training loss became NaN/Inf at epoch ${badTrain.epoch}. Lower the maximum LR: ${lowerAdvice(maxLr)}.`, breakdown: 'it diverged (a NaN/Inf training loss)' };
  }
  const finite = history.filter((h) => isFiniteNumber(h.valLoss)).length;
  // Before the epoch count: a run whose validation loss turned NaN/Inf after epochs of finite ones
  // diverged, however few those were (20 epochs, the third at training loss 2.3e29, read "too few
  // epochs with a finite validation loss (2): train for more epochs").
  const badVal = history.find((h) => !isFiniteNumber(h.valLoss));
  if (badVal !== undefined && finite > 0) {
    return { reason: `Validation loss became NaN/Inf at epoch ${badVal.epoch}: training diverged. Lower the maximum LR: ${lowerAdvice(maxLr)}.`, breakdown: 'it diverged (a NaN/Inf validation loss)' };
  }
  if (finite < MIN_EPOCHS) {
    return { verdict: null, reason: `Too few epochs with a finite validation loss (${finite}, need ${MIN_EPOCHS}) to judge the fit; train for more epochs.` };
  }
  return null;
}

/**
 * A verdict, or how the run broke down where it found the max LR past what the model tolerates —
 * whose verdict is `unstable` (`diagnose`), whichever rule found it.
 */
type Judged = Diagnosis | { readonly reason: string; readonly breakdown: string };

/**
 * `peakLr`: the highest LR the run's steps used, where known (each record keeps only its epoch's last
 * LR). A run whose own course broke down (`breakdownOf`) is `unstable`, whatever the rule that found
 * it: a user's runs at 3–10x their best LR read `underfitting` ("train longer" to a script reading
 * the field) or `not-learning` (after learning to 0.35 and diverging), each with a reason saying
 * "too-high LR".
 */
export function diagnose(history: readonly EpochRecord[], baseline: Baseline | null = null, peakLr: number | null = null, chance: ChanceAccuracy | null = null, annealsLater = false): Diagnosis {
  const judged = judge(history, baseline, peakLr, annealsLater);
  if ('breakdown' in judged) {
    // A loss back at the baseline is also what a large penalty does (it pulls the weights to zero); not a NaN.
    const penalty = /diverged/.test(judged.breakdown) ? null : penaltyNote(history);
    return { verdict: 'unstable', reason: penalty === null ? judged.reason : `${judged.reason} ${penalty}` };
  }
  // No loss baseline (a custom loss function), but a classifier's chance accuracy: ending at chance, it
  // learned nothing that generalizes (a breakdown its own course shows is unstable, above, first).
  const atChance = baseline === null && chance !== null ? endedAtChance(history, chance) : null;
  if (atChance !== null) return atChance;
  const judgedOnly = judged.verdict === null || judged.verdict === 'not-learning';
  const span = runRange(history);
  // Said where the reason gives shares: of what they are.
  const shares = span !== null && /\d%/.test(judged.reason) ? `(Its shares are of the run's range, ${formatLoss(span)}: from its highest loss — validation, or the first epoch's training loss — down to its lowest; the loss goes to zero or below, where a share of its value means nothing.)` : null;
  const notes = [...(judgedOnly ? [] : [accuracyNote(history, baseline), majorityNote(history, baseline), oneEpochSpike(history, baseline)]), shares, judged.verdict === 'overfitting' ? null : penaltyNote(history), judgedOnly || baseline !== null || chance !== null ? null : SHAPE_ONLY].filter((x): x is string => x !== null);
  return notes.length === 0 ? judged : { verdict: judged.verdict, reason: [judged.reason, ...notes].join(' ') };
}

/**
 * Said beside a verdict on a run whose loss has no baseline (and no chance accuracy to stand in): its
 * rules read the curve's shape, which a model that learned nothing has too (a Poisson model on
 * shuffled counts, flat at −1.44 where predicting the mean scores −1.62, read "good: in balance").
 */
export const SHAPE_ONLY = "This loss has no baseline (see the warnings), so the verdict reads the curve's shape alone: it cannot tell a model that learned from one that predicts a constant. Compare its validation loss with what predicting the labels' mean scores under this loss.";

/** A training loss within this share of the way from the labels' floor (`Baseline.floor`) up to the baseline is at the floor. */
const FLOOR_REACHED = 0.05;

/** Training and validation baselines further apart than this share: the train/validation gap compares each loss to its own. */
const SPLIT_BASELINES_DIFFER = 0.1;
/** A run that climbed mid-run and ended under this share of the low it climbed from: recovered, not broken. */
export const CLIMB_RECOVERED_SHARE = 1 / 3;
/** A validation baseline over this many times the training one: its loss is its extreme labels', no verdict from it. */
export const SPLITS_FAR_APART = 3;

/** An end LR below this share of the run's peak: the schedule annealed it to near zero (1cycle ends at peak/10⁴). */
const ANNEALED_END_SHARE = 0.1;

/**
 * A training loss more than half below validation: where validation still fell only as the LR
 * annealed, the verdict does not say "train longer". Between the evidence: a user's RMSprop
 * regression 28% below, still falling at 15 epochs, gained at 30 (0.0108 → 0.00768); a 10-class MLP
 * 75% below, still falling at 8, ended worse at every longer length tried.
 */
const FAR_BELOW_GAP = 0.5;

/**
 * The share of the data loss at which a model's own regularization terms (`EpochRecord.trainPenalty`)
 * are named in its verdict: a quarter. A 4-class model with L2 0.05 on its kernels stayed at 95% of
 * the chance level at every LR, its penalty half its data loss, and read "good" at 10 epochs and
 * "collapsed: a too-high LR" at 30, the regularizer never named.
 */
export const LARGE_PENALTY_SHARE = 0.25;

/**
 * Where a model's own regularization terms were a large share of its data loss in some epoch (the
 * largest share is named: once they have pulled the weights to zero, the penalty is small), a
 * sentence saying so; else `null`.
 */
function penaltyNote(history: readonly EpochRecord[]): string | null {
  let worst: { record: EpochRecord; penalty: number; data: number } | null = null;
  for (const record of history) {
    const { trainPenalty: penalty, trainLoss: data } = record;
    if (!isFiniteNumber(penalty) || !isFiniteNumber(data) || penalty <= 0 || data <= 0) continue;
    if (worst === null || penalty / data > worst.penalty / worst.data) worst = { record, penalty, data };
  }
  if (worst === null || worst.penalty < LARGE_PENALTY_SHARE * worst.data) return null;
  const { record, penalty, data } = worst;
  const when = record === history.at(-1) ? 'in the last epoch' : `in epoch ${record.epoch}`;
  return `The model's own regularizers (kernelRegularizer and the like) added ${formatLoss(penalty)} to the loss it minimized ${when}, ${Math.round((100 * penalty) / data)}% of its training loss (${formatLoss(data)}; the losses here are without it): a penalty that large holds the weights near zero — where the model underfits or collapses, lower it before the LR.`;
}

/**
 * Validation accuracy clearly above the chance accuracy (`Baseline.accuracy`: always the most frequent
 * class) is learning, whatever the loss: above it by three standard errors of that accuracy on the
 * validation samples, and by at least `ABOVE_CHANCE_MIN`. A user's wide MLP on 300 noisy samples (1,000
 * clean validation samples, 50% chance) ended at 64.5% accuracy with its validation loss 15% above ln 2
 * (confident mistakes on what it memorized) and read "learned nothing that generalizes … check the data".
 */
export const ABOVE_CHANCE_ERRORS = 3;
export const ABOVE_CHANCE_MIN = 0.02;

/** How far above `chance` an accuracy on `samples` validation samples must be to count as clearly above it. */
function chanceMargin(chance: number, samples: number): number {
  return Math.max(ABOVE_CHANCE_MIN, ABOVE_CHANCE_ERRORS * Math.sqrt((chance * (1 - chance)) / Math.max(1, samples)));
}

/**
 * The decisions a baseline's accuracy is a share of: its validation samples, times its outputs for a
 * multi-label classifier (each label scored on its own: 100 samples of 4 labels are 400 decisions, and
 * a margin read on 100 asked 10.9 points where 5.5 tell), or `undefined` without a chance accuracy.
 */
function scoredDecisions(baseline: Baseline | null): number | undefined {
  const samples = baseline?.valSamples;
  return samples === undefined ? undefined : samples * (baseline?.outputs ?? 1);
}

/** What a constant prediction that scores the chance accuracy is, in words: one class, or each output's label of a multi-label classifier. */
export function constantPredictionText(baseline: Baseline | null): string {
  return (baseline?.outputs ?? 1) > 1 ? "always predicting each output's more frequent label" : 'always predicting the most frequent class';
}

/** Whether `accuracy`, a share of `decisions`, is clearly above `chance` (`chanceMargin`). */
function clearlyAbove(accuracy: number | null, chance: number, decisions: number): accuracy is number {
  return accuracy !== null && accuracy > chance + chanceMargin(chance, decisions);
}

/** Whether `accuracy` is clearly above a chance accuracy read without a loss baseline (`chanceMargin`). */
export function clearlyAboveChanceAccuracy(accuracy: number | null, chance: ChanceAccuracy): boolean {
  return clearlyAbove(accuracy, chance.accuracy, chance.valSamples);
}

/** Whether `accuracy` on the baseline's validation samples is clearly above its chance accuracy (`chanceMargin`); false without one. */
export function clearlyAboveChance(accuracy: number | null, baseline: Baseline | null): boolean {
  const chance = baseline?.accuracy;
  const samples = scoredDecisions(baseline);
  return chance !== undefined && samples !== undefined && clearlyAbove(accuracy, chance, samples);
}

/** The last epoch's validation accuracy and the chance accuracy where the first is clearly above the second, else `null`. */
function aboveChance(history: readonly EpochRecord[], baseline: Baseline | null): { accuracy: number; chance: number } | null {
  const chance = baseline?.accuracy;
  const samples = scoredDecisions(baseline);
  const last = history.at(-1);
  if (chance === undefined || samples === undefined || last === undefined) return null;
  const accuracy = lastAccuracy(last);
  return clearlyAbove(accuracy, chance, samples) ? { accuracy, chance } : null;
}

/**
 * A classifier whose loss has no baseline (a custom loss function) whose last validation accuracy is
 * not clearly above its chance accuracy (`aboveChance`'s margin): not-learning, the one verdict its
 * accuracy can give without a baseline for its loss — where an earlier epoch was clearly above
 * chance, it learned and fell back (a collapse: too high a max LR for whole runs). A user's
 * label-smoothed softmaxCrossEntropy at 10x its headline ended at 16.8% against 16.7% (6 classes)
 * and read "good — flat at the end". `null` where an epoch has no validation accuracy, or the last is
 * clearly above chance.
 */
function endedAtChance(history: readonly EpochRecord[], chance: ChanceAccuracy): Diagnosis | null {
  const accuracies = history.map(lastAccuracy);
  if (accuracies.length === 0 || !accuracies.every(isFiniteNumber)) return null;
  const margin = chanceMargin(chance.accuracy, chance.valSamples);
  const last = accuracies.at(-1)!;
  if (last > chance.accuracy + margin) return null;
  const n = history.length;
  const bestIndex = argMax(accuracies);
  const best = accuracies[bestIndex]!;
  const against = `always predicting the most frequent class scores ${pct(chance.accuracy)} on the ${formatCount(chance.valSamples, 'validation sample')}`;
  const ending = `Its loss has no baseline to judge it by (see the warnings), so its accuracy decides.`;
  if (best > chance.accuracy + margin) {
    const lr = history[bestIndex]!.lr;
    return {
      verdict: 'not-learning',
      reason: `Validation accuracy ended at chance (${pct(last)}; ${against}) after reaching ${pct(best)} at epoch ${history[bestIndex]!.epoch}${isFiniteNumber(lr) ? ` (LR ${formatLr(lr)})` : ''}: the model learned, then lost it — a collapse to a constant prediction, as a max LR too high for whole runs leaves a model. ${ending} Train again at a max LR 3–10x lower.`,
    };
  }
  return {
    verdict: 'not-learning',
    reason: `Validation accuracy stayed at chance over ${formatCount(n, 'epoch')} (${pct(accuracies[0]!)} → ${pct(last)}, highest ${pct(best)}; ${against}): the model learned nothing that generalizes. ${ending} Train again at a max LR 3–10x lower and at one 3–10x higher to see which way it learns; if neither does, check the data, the labels and the loss function.`,
  };
}

/**
 * A classifier that learned though its validation loss says not: validation accuracy clearly above
 * chance, and a training loss clearly below its own baseline (it fits the training set; its confident
 * mistakes on validation keep that loss up). A run whose training loss sits at or above its baseline
 * too learned nothing the losses show, whatever a few points of accuracy say: its rules stand.
 * "Clearly below": by FITS_TRAINING_SET, twice the near-baseline band (the training loss is an
 * epoch's mean, noisier than validation): an 8-layer tanh MLP at 61.5% against 50%, its training loss
 * 5.2% under ln 2, read "good: in balance", and the same model at 3x the LR, 4.8% under, "learned
 * little so far: train longer, compare 3x higher and lower" — the second is what both needed (40
 * epochs at 9x: 69.7%).
 */
export const FITS_TRAINING_SET = 2 * NEAR_BASELINE_FRACTION;

function learnedDespiteLoss(history: readonly EpochRecord[], baseline: Baseline | null): boolean {
  const lastTrain = history.at(-1)?.trainLoss;
  return baseline !== null && aboveChance(history, baseline) !== null && isFiniteNumber(lastTrain) && lastTrain < (1 - FITS_TRAINING_SET) * baseline.loss;
}

/**
 * What a verdict adds where the validation loss never got clearly below the baseline but the model
 * learned (`learnedDespiteLoss`: the not-learning rule stood aside): `null` elsewhere.
 */
function accuracyNote(history: readonly EpochRecord[], baseline: Baseline | null): string | null {
  const base = validationBaseline(baseline);
  const val = history.map((h) => h.valLoss).filter(isFiniteNumber);
  const above = aboveChance(history, baseline);
  if (base === null || val.length === 0 || above === null || !learnedDespiteLoss(history, baseline) || !isNearBaseline(Math.min(...val), base)) return null;
  return `Its validation loss never got clearly below the baseline, but its validation accuracy, ${pct(above.accuracy)}, is clearly above the ${pct(above.chance)} of ${constantPredictionText(baseline)}: it learned what generalizes, and confident mistakes keep its loss up.`;
}

/**
 * A classifier whose validation loss ended clearly below the baseline while its validation accuracy is
 * not clearly above the chance accuracy (always the most frequent class): a sentence saying what it
 * learned is in its probabilities, not in the class it predicts; else `null`. A user's 95/5 classifier
 * ended at 0.168 against 0.196 with 95.2% accuracy against 95.1% for the majority class, and read
 * only "good: in balance".
 */
function majorityNote(history: readonly EpochRecord[], baseline: Baseline | null): string | null {
  const base = validationBaseline(baseline);
  const last = history.at(-1);
  const chance = baseline?.accuracy;
  if (base === null || last === undefined || chance === undefined || baseline?.valSamples === undefined) return null;
  const accuracy = lastAccuracy(last);
  const loss = last.valLoss;
  if (accuracy === null || !isFiniteNumber(loss) || !(loss < base) || isNearBaseline(loss, base) || clearlyAboveChance(accuracy, baseline)) return null;
  const multiLabel = (baseline.outputs ?? 1) > 1;
  return `Its validation loss is clearly below the baseline (${formatLoss(loss)} against ${formatLoss(base)}), but its validation accuracy, ${pct(accuracy)}, is not clearly above the ${pct(chance)} of ${constantPredictionText(baseline)}: what it learned shows in its loss, and accuracy cannot tell it from that constant prediction on these samples, whatever it predicts for the rarer ${multiLabel ? 'labels' : 'classes'}. Judge it by a metric that counts them (precision and recall, or AUC), not by accuracy.`;
}

/**
 * A one-epoch spike: a validation loss over this multiple of both neighbouring epochs'. The
 * mid-run climb needs two epochs up (one epoch of 1.22e-5 between 9.6e-7s is noise), so a spike
 * that came straight back decides no verdict; the verdict says it was seen. A user's batch-norm CNN
 * at 3x its headline went 0.314 → 0.803 → 0.294 at the peak LR (epoch 5 of 10) and read only "good".
 */
export const SPIKE_FACTOR = 2;

/**
 * The largest one-epoch spike of validation loss (over `SPIKE_FACTOR` times both neighbours, and above
 * the higher of them by more than the near-baseline band, `NEAR_BASELINE_FRACTION` of the baseline — of the first
 * epoch's loss without one — so a spike at losses far below the baseline is immaterial), as a
 * sentence for the verdict's reason; `null` where there is none.
 */
function oneEpochSpike(history: readonly EpochRecord[], baseline: Baseline | null): string | null {
  const val = history.map((h) => h.valLoss);
  const scale = referenceLoss(history, baseline);
  let best: { i: number; ratio: number } | null = null;
  for (let i = 1; i < val.length - 1; i++) {
    const [before, at, after] = [val[i - 1], val[i], val[i + 1]];
    if (!isFiniteNumber(before) || !isFiniteNumber(at) || !isFiniteNumber(after) || before <= 0 || after <= 0) continue;
    const ratio = at / Math.max(before, after);
    if (ratio > SPIKE_FACTOR && at - Math.max(before, after) > NEAR_BASELINE_FRACTION * scale && (best === null || ratio > best.ratio)) best = { i, ratio };
  }
  if (best === null) return null;
  const { i } = best;
  const lr = history[i]!.lr;
  // Near the run's peak LR, the spike says where that LR stands; far below it (or with no LRs), only that the run recovered.
  const atPeak = nearPeakLr(history, i);
  return `Validation loss spiked for one epoch (${formatLoss(val[i - 1])} → ${formatLoss(val[i])} at epoch ${history[i]!.epoch}${isFiniteNumber(lr) ? `, LR ${formatLr(lr)}` : ''}, back to ${formatLoss(val[i + 1])} the next): ${atPeak ? 'this run recovered, but its maximum LR is near the edge of what the model tolerates — at another seed a run may not come back' : 'this run recovered; at another seed a run may not'}.`;
}

/**
 * How a run broke down where its own course says its max LR was too high for the model — it
 * diverged, turned unstable (at the end or mid-run), blew up far above its baseline, collapsed back
 * to a constant prediction, or rose without settling while its training loss did not fall — in a
 * few words; `null` where it did not. The recipe reads it from its confirming run.
 */
export function breakdownOf(history: readonly EpochRecord[], baseline: Baseline | null = null): string | null {
  const judged = judge(history, baseline);
  return 'breakdown' in judged ? judged.breakdown : null;
}

/**
 * A run whose validation loss never got clearly below the baseline, its training loss at its own,
 * that is learning all the same, slowly: its validation loss fell in every epoch, by over half the
 * near-baseline band, to below the baseline by over a tenth of it (`creeping`), or its validation accuracy is clearly above
 * chance (`begun`); else null. Its `not-learning` verdict then says to train longer or higher, not
 * that nothing was learned (the recipe reads it so too).
 */
export function slowLearning(history: readonly EpochRecord[], baseline: Baseline | null): 'creeping' | 'begun' | null {
  const base = validationBaseline(baseline);
  if (baseline === null || base === null || history.length === 0) return null;
  const val = history.map((h) => h.valLoss!);
  const n = val.length;
  const last = val[n - 1]!;
  const lastTrain = history[n - 1]!.trainLoss;
  const constant = isFiniteNumber(lastTrain) && Math.abs(lastTrain - baseline.loss) <= NEAR_BASELINE_FRACTION * baseline.loss;
  // Below the baseline by more than a tenth of the band: a single logistic unit on concentric circles fell
  // 0.71 → 0.6929 (ln 2 = 0.6931) in every epoch, back to chance from above, and read "learning, slowly".
  if (constant && n >= 3 && base - last > (NEAR_BASELINE_FRACTION / 10) * base && fellEveryEpoch(val) && val[0]! - last > (NEAR_BASELINE_FRACTION / 2) * base) return 'creeping';
  // Begun: a training loss that does not yet fit the training set (`FITS_TRAINING_SET`), with accuracy above chance.
  const notFitting = isFiniteNumber(lastTrain) && lastTrain >= (1 - FITS_TRAINING_SET) * baseline.loss && lastTrain <= (1 + NEAR_BASELINE_FRACTION) * baseline.loss;
  return notFitting && aboveChance(history, baseline) !== null ? 'begun' : null;
}

/** `annealsLater`: the run was cut before its schedule's anneal (a 1cycle run cancelled mid-cycle): annealing is no cure to advise there either. */
function judge(history: readonly EpochRecord[], baseline: Baseline | null, peakLr: number | null = null, annealsLater = false): Judged {
  // The run's peak: each record keeps its epoch's last LR, which under 1cycle is below the peak (0.46 quoted for --max-lr 0.519).
  const recordedLrs = history.map((h) => h.lr).filter(isFiniteNumber);
  const maxLr = peakLr !== null && Number.isFinite(peakLr) ? peakLr : recordedLrs.length > 0 ? Math.max(...recordedLrs) : null;
  const lower = lowerAdvice(maxLr);
  const guarded = guard(history, maxLr);
  if (guarded !== null) return guarded;
  // Constant labels: predicting them is perfect, nothing to learn and nothing to judge (a loss of 0
  // read "not learning"; one above it "—x the baseline").
  if (constantLabels(baseline)) {
    return { verdict: null, reason: 'Every training label is the same (the baseline loss is 0): there is nothing to learn, so no verdict. Check the labels the data gives.' };
  }

  const val = history.map((h) => h.valLoss!);
  const n = val.length;
  const epochOf = (i: number): number => history[i]!.epoch;
  const last = val[n - 1]!;
  const minIndex = argMin(val);
  const min = val[minIndex]!;
  const scale = referenceLoss(history, baseline);
  const material = MATERIAL_FRACTION_OF_BASELINE * scale;
  const base = validationBaseline(baseline);
  const baseText = baseline === null ? '' : `; baseline: ${describeBaseline(baseline, 'val')}`;
  // Converged: the last validation loss under 1% of the baseline (CONVERGED_FRACTION_OF_BASELINE).
  const farBelow = base !== null && last < CONVERGED_FRACTION_OF_BASELINE * base;
  const train = history.map((h) => h.trainLoss);
  const lastTrain = train[n - 1] ?? null;
  const trainFinite = train.filter(isFiniteNumber);
  // The level a share is taken of: the loss itself, or, where the losses reach zero or below, the run's range (runRange).
  const span = runRange(history);
  const level = shareLevel(span);
  // Where the schedule brought the LR near zero (1cycle's end): the last epochs' fall is its anneal, and annealing is no cure to advise.
  const endLr = history[n - 1]!.lr;
  const annealedToZero = maxLr !== null && isFiniteNumber(endLr) && endLr < ANNEALED_END_SHARE * maxLr;

  // 1. Unstable: the training loss itself rose at the end.
  if (isFiniteNumber(lastTrain) && trainFinite.length >= 2) {
    const tMinIndex = argMin(train.map((t) => (isFiniteNumber(t) ? t : Number.POSITIVE_INFINITY)));
    const tMin = train[tMinIndex]!;
    const rise = lastTrain - tMin;
    // A rise only at LRs a tenth of the peak or lower (1cycle's annihilation) is not the LR's doing: a
    // user's 150-sample run, 2 batches an epoch, rose 0.209 → 0.233 at LR 1.5e-5 → 2.7e-9 of a 6.6e-4
    // peak, its validation loss flat and the best of its grid, and read "unstable: lower the max LR".
    const lrsSince = history.slice(tMinIndex + 1).map((h) => h.lr).filter(isFiniteNumber);
    const annealed = maxLr !== null && lrsSince.length > 0 && Math.max(...lrsSince) <= maxLr / 10;
    // Nor a rise that came only as the LR fell, while validation ended at its lowest: batch norm's and
    // dropout's noise in the training-mode loss, not the LR (a user's BN model at 0.0058 rose 0.442 →
    // 0.488 over the last epochs at 98.3% and its lowest validation loss, as good as 3x and 9x higher,
    // and read "unstable: lower the max LR").
    const lrAtMin = history[tMinIndex]!.lr;
    const onlyAsLrFell = isFiniteNumber(lrAtMin) && lrsSince.length > 0 && lrsSince.every((lr) => lr < lrAtMin);
    const valAtBest = isFiniteNumber(last) && last - min <= NEAR_BASELINE_FRACTION * level(min);
    if (tMinIndex < n - 1 && !annealed && !(onlyAsLrFell && valAtBest) && rise > TRAIN_RISE * level(tMin) && rise > material && rise > TRAIN_RISE_OF_VALIDATION * level(last) && (base === null || rise > TRAIN_RISE_OF_BASELINE * base)) {
      const atBaseline = base !== null && isNearBaseline(last, base);
      // "At" only within the band around it: far above it the model does worse than knowing nothing.
      const where = !atBaseline ? '' : last > (1 + NEAR_BASELINE_FRACTION) * base ? ', worse than the baseline' : ', at the baseline';
      return {
        reason: `Unstable: the training loss rose from ${formatLoss(tMin)} (epoch ${epochOf(tMinIndex)}) to ${formatLoss(lastTrain)}, and validation loss ended at ${formatLoss(last)}${where} (epoch ${epochOf(n - 1)}${baseText}). That is a too-high LR, not overfitting: lower the maximum LR — ${lower}.`,
        breakdown: 'unstable: its training loss rose at the end',
      };
    }
  }

  // 1b. Unstable mid-run: validation loss climbed back a large part of the way it had come and only
  // came down again as the schedule lowered the LR. 1cycle at 10x the LR a model tolerates ends
  // "still falling" (0.29 → 0.70 at the peak LR → 0.20 at the end, where 0.3 ends at 0.03), and
  // read as underfitting it advised raising the LR.
  const climb = midRunClimb(val, train, base ?? val[0]!, base === null ? material : Math.max(material, NEAR_BASELINE_FRACTION * base), base === null ? null : { ceiling: (1 + NEAR_BASELINE_FRACTION) * base, gained: (1 - NEAR_BASELINE_FRACTION) * base }, (epoch) => nearPeakLr(history, epoch), level);
  // A climb back counts where the LR then fell: its verdict says it "came down only as the LR fell"
  // (a constant LR's climb back is not that).
  const lrFell = (peak: number): boolean => {
    const [at, end] = [history[peak]!.lr, history[n - 1]!.lr];
    return !isFiniteNumber(at) || !isFiniteNumber(end) || end < at;
  };
  /**
   * The verdict of a climb back mid-run that came down as the LR fell (1b, 1c): `climbed` says where, `lost`
   * how much of the progress it gave back (none where there was none to weigh). Ended converged all the
   * same (under 1% of the baseline), the run is good and the climb a risk to know of: a user's LSTM ended
   * at 100% validation accuracy and 1.3e-4 after climbing to 0.829 at epoch 16, and read "underfitting".
   */
  const climbedBack = (climbed: string, lost: string | null, from: number | null = null): Judged => {
    // Recovered to far below where it climbed from (under a third of that low): the climb cost the run
    // nothing it kept. A user's 8-layer tanh MLP at its headline climbed 0.141 → 0.543 at the peak LR,
    // ended at 0.0235 (99.5%), and read "unstable: train again 3x lower" — which ended at 0.0884.
    if (from !== null && isFiniteNumber(last) && from - last > (1 - CLIMB_RECOVERED_SHARE) * level(from) && !farBelow) {
      return {
        verdict: 'good',
        reason: `Validation loss ended at ${formatLoss(last)} (epoch ${epochOf(n - 1)}${baseText}), far below where it stood before it climbed mid-run (${climbed}): the run recovered as the LR fell and ended lower than it had been. At this max LR it is at the edge of what the model tolerates: a run 3x lower${maxLr === null ? '' : ` (max LR ${formatLr(printedLr(maxLr / 3))})`} takes less risk — compare where the two end before choosing.`,
      };
    }
    if (farBelow) {
      return {
        verdict: 'good',
        reason: `Converged: validation loss ${formatLoss(last)} at epoch ${epochOf(n - 1)} is under ${pct(CONVERGED_FRACTION_OF_BASELINE)} of the baseline (${describeBaseline(baseline!, 'val')}), though unstable mid-run: ${climbed}, and came down as the LR fell. A lower maximum LR would get there with less risk (a run that does not come back down ends far worse).`,
      };
    }
    return {
      reason: `Unstable mid-run: ${climbed}${lost === null ? '' : `, ${lost}`}, and came down only as the LR fell (${formatLoss(last)} at epoch ${epochOf(n - 1)}${baseText}). The maximum LR is past what the model tolerates: ${lower}.`,
      breakdown: 'unstable mid-run: its validation loss climbed back, and came down only as the LR fell',
    };
  };
  if (climb !== null && climb.rise > MID_RUN_CLIMB_OF_PROGRESS * climb.progress && lrFell(climb.peak)) {
    const lrAt = history[climb.peak]!.lr;
    const climbed = `validation loss climbed from ${formatLoss(val[climb.low])} (epoch ${epochOf(climb.low)}) to ${formatLoss(val[climb.peak])} (epoch ${epochOf(climb.peak)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''})`;
    // A climb that gave back all it had gained, or back into the baseline's band (a collapse to knowing nothing), stays a breakdown however the run ended.
    const collapsed = climb.rise >= climb.progress || (base !== null && val[climb.peak]! >= (1 - NEAR_BASELINE_FRACTION) * base);
    return climbedBack(climbed, climb.rise >= climb.progress ? `giving back all it had gained${climb.rise > climb.progress ? ' and more' : ''}` : `back over ${pct(climb.rise / climb.progress)} of what it had gained`, collapsed ? null : val[climb.low]!);
  }

  // 1c. Blew up mid-run from where it was lowest, where 1b has no progress to weigh the climb against
  // (the first epoch was the lowest before it). A user's pinball-loss model (no baseline) at 10x went
  // 0.375 → 4.47 (epoch 4) → 0.23 and an MAE model 1.20 → 7.01 → 0.986; both read "underfitting: train longer".
  // (Where validation never got clearly below the baseline, rule 2 names a blow-up in its own words;
  // but not where it sat at the baseline, with a climb to several times it between: a user's LSTM
  // regression at max LR 0.54 went 0.0745 → 0.545 → 0.0452 against 0.0452 and read "learned
  // nothing … train again 3–10x lower, and at one 3–10x higher".)
  const blewPastBaseline = base !== null && min <= (1 + NEAR_BASELINE_FRACTION) * base && Math.max(...val) > BLEW_UP_FACTOR * base;
  const blew = base === null || !isNearBaseline(min, base) || blewPastBaseline ? blowUpMidRun(val, train, base ?? val[0]!, base === null ? scale : null, (epoch) => nearPeakLr(history, epoch), level) : null;
  if (blew !== null && lrFell(blew.peak)) {
    const lrAt = history[blew.peak]!.lr;
    // A multiple of a loss at or below zero means nothing: there, how far it climbed.
    const [from, to] = [val[blew.low]!, val[blew.peak]!];
    const how = from > 0 && span === null ? `${formatLoss(to / from)}x` : `up ${formatLoss(to - from)}`;
    // From a low with progress behind it, a run that recovered far below it kept what it had (1b's rule).
    return climbedBack(`validation loss climbed from ${formatLoss(from)} (epoch ${epochOf(blew.low)}) to ${formatLoss(to)} (epoch ${epochOf(blew.peak)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''}), ${how}`, null, blew.weighed ? from : null);
  }

  // 1d. Learned only in the anneal: the training loss climbed well above its own baseline mid-run
  // (over WARM_UP_CLIMB times it: a slow starter's wobble near chance, 0.775 against ln 2, is no
  // climb), validation was never clearly below its baseline by then, and both got below only after,
  // as the LR fell — the high LR made the predictions worse than a constant, and the run learned what
  // it kept as the LR came down. A user's XOR-like binary classifier at 3x its headline:
  // training 0.731, 0.735, 1.24 (the peak LR), 0.754, 0.56 and validation 0.758 → 1.11 → 0.583 against
  // ln 2 read "underfitting: train longer … a higher max LR is the riskier cure". A training loss below
  // its baseline before the climb (an epoch's mean that fits some of the training set) does not make it
  // one: a user's multi-label model at 3x its headline, training 0.584 (baseline 0.632) → 1.09 at the
  // peak LR → 0.562, validation 0.634 (baseline 0.623) → 1.25 → 0.571, read "underfitting: train
  // longer" (its headline ended at 0.330). (Where validation never got below its baseline at all, rule
  // 2 says so in its own words.)
  if (base !== null && baseline !== null && baseline.loss > 0 && !isNearBaseline(min, base)) {
    const trainBase = baseline.loss;
    const tPeak = argMax(train.map((t, i) => (i > 0 && i < n - 1 && isFiniteNumber(t) ? t : Number.NEGATIVE_INFINITY)));
    const [tFirst, tPeakValue] = [train[0], train[tPeak]];
    const untilPeak = (xs: readonly (number | null)[], floor: number): boolean => xs.slice(0, tPeak + 1).every((x) => !isFiniteNumber(x) || x >= (1 - NEAR_BASELINE_FRACTION) * floor);
    if (
      tPeak > 0 && isFiniteNumber(tFirst) && isFiniteNumber(tPeakValue) &&
      tPeakValue > WARM_UP_CLIMB * trainBase && tPeakValue > (1 + TRAIN_RISE) * tFirst && tPeakValue - tFirst > material &&
      untilPeak(val, base) && train.slice(tPeak + 1).some((t) => isFiniteNumber(t) && t < trainBase) && lrFell(tPeak)
    ) {
      const lrAt = history[tPeak]!.lr;
      const lowBefore = Math.min(...val.slice(0, tPeak + 1));
      return climbedBack(`the training loss climbed from ${formatLoss(tFirst)} (epoch ${epochOf(0)}) to ${formatLoss(tPeakValue)} (epoch ${epochOf(tPeak)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''}), above its own baseline (${formatLoss(trainBase)}), while validation loss was never clearly below its baseline (lowest ${formatLoss(lowBefore)} by then)`, null, lowBefore);
    }
  }

  // 1e. Learned only in the anneal, without a climb to show it: validation at its baseline — not falling
  // (a slow learner at a low LR creeps down epoch by epoch) — for as long as the LR stayed at a quarter of
  // its peak or more, and clearly below it only after, as the LR annealed: at the max LR the model did not
  // learn. A user's SimpleRNN at 3x its headline sat at ln 2 (0.693–0.700) for 12 of 15 epochs and fell to
  // 0.654 (62%) in the last two, where the headline reached 98%; it read "good: in balance". A run at 3x
  // too low an LR that crept down every epoch (0.701 → 0.659 by the anneal) keeps its verdict.
  const pinned = pinnedUntilAnneal(history, base, maxLr);
  if (pinned !== null) {
    const lrAt = history[pinned.first]!.lr;
    return {
      reason: `Validation loss stayed at the baseline while the LR was high (${formatLoss(pinned.low)} to ${formatLoss(pinned.high)} through epoch ${epochOf(pinned.lastHigh)}${baseText}) and got clearly below it only as the LR annealed (${formatLoss(val[pinned.first])} at epoch ${epochOf(pinned.first)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''}; ${formatLoss(last)} at the end): at the max LR the model did not learn, and what it learned came in the last epochs. ${lower[0]!.toUpperCase()}${lower.slice(1)}.`,
      breakdown: 'it learned only as the LR annealed: at the max LR its validation loss stayed at the baseline',
    };
  }

  // 2a. Validation labels spread far more than the training labels (their constant's loss many times
  // the training split's): a few extreme validation labels make up nearly all of its loss, which no
  // model of the training data can predict, so its loss cannot show what the model learned. A user's
  // MSE regression with 5% of validation labels off by ±20 (baselines 26.6 against 0.86) fell 26.6 →
  // 25.8 — all of the training labels' spread — and read "not-learning: check the data and labels";
  // the same model without the outliers reached 0.016 against 0.82.
  if (base !== null && baseline !== null && baseline.loss > 0 && base > SPLITS_FAR_APART * baseline.loss && isNearBaseline(min, base) && isFiniteNumber(lastTrain) && !isNearBaseline(lastTrain, baseline.loss) && lastTrain < baseline.loss) {
    const fell = base - min;
    return {
      verdict: null,
      reason: `The validation labels spread far more than the training labels (the loss of predicting a constant is ${formatLoss(base)} on validation, ${formatLoss(baseline.loss)} on training), so a few extreme validation labels make up nearly all of its loss, and no model of the training data predicts them. Validation fell ${formatLoss(fell)} (${formatLoss(val[0])} → ${formatLoss(last)}, lowest ${formatLoss(min)}), ${fell >= 0.5 * baseline.loss ? 'about what the training labels\' whole spread allows' : `against the training labels' whole spread of ${formatLoss(baseline.loss)}`}; the training loss fell to ${formatLoss(lastTrain)}. Judge the run on a validation set drawn like the training data, or with a loss less swayed by outliers (mean absolute error, Huber), and check those validation labels.`,
    };
  }
  // 2. Not learning: validation loss never got clearly below the baseline. (One that did and
  // then rose back to it is judged by the rules below: overfitting when training loss fell.)
  if (base !== null && isNearBaseline(min, base)) {
    // Fits the training set (FITS_TRAINING_SET below its baseline) where validation does not: memorizing.
    const memorized = isFiniteNumber(lastTrain) && lastTrain < (1 - FITS_TRAINING_SET) * baseline!.loss;
    // Validation never below its baseline and training ending at its own: a constant prediction,
    // which a model that cannot learn here ends in, and so does one that learned for a few steps and
    // collapsed (units that stopped firing at a max LR too high for whole runs). The epochs cannot
    // tell them apart: on the advice bench a CNN regression's 100-step run learned at 0.0752 (0.86
    // against 2.97), and its 4-epoch 1cycle runs at that max LR (seeds 1-3) all ended at 2.96-2.97.
    // A run at a lower max LR tells. "At" its baseline: within the band on both sides, not far above.
    const constant = isFiniteNumber(lastTrain) && Math.abs(lastTrain - baseline!.loss) <= NEAR_BASELINE_FRACTION * baseline!.loss;
    // Fell in every epoch, by over half the near-baseline band, and ended below the baseline: on its
    // way down, slowly — a collapse sits at the baseline, and a model that cannot learn comes down to
    // it from above (pure-noise targets: 7.29 → 3.5 against 3.48). A user's multi-label CNN at a
    // thirtieth of its best max LR went 0.673 → 0.636 (against 0.646) epoch by epoch and read "train
    // again 3–10x lower", which did worse (0.653).
    const slow = slowLearning(history, baseline);
    const creeping = slow === 'creeping';
    // Validation accuracy clearly above chance, though both losses sit at their baselines: no constant
    // prediction — it has begun to tell the classes apart. A user's LSTM on a long-range dependency
    // read "it predicts a constant … train again 3–10x lower" at 65% against 50% after 10 epochs at
    // max LR 0.01 (0.692 → 0.666 against ln 2); 3x lower reached 54%, 3x higher 52%.
    const begun = slow === 'begun' ? aboveChance(history, baseline) : null;
    const creepingAbove = creeping ? aboveChance(history, baseline) : null;
    // Learned in an epoch before the peak LR (training loss clearly below its baseline), then lost it as the
    // LR rose (above its baseline at a later epoch): the collapse, which a too-low LR does not give — only
    // "3–10x lower" then. A user's 30%-noise classifier at 10x its batch-8 headline: training 1.29 at epoch 1
    // (LR 0.118), 1.40–1.45 from epoch 2 (baseline 1.37), read "… and at one 3–10x higher".
    const lrPeak = argMax(history.map((h) => (isFiniteNumber(h.lr) ? h.lr : Number.NEGATIVE_INFINITY)));
    const learnedEarly = constant && lrPeak > 0 ? train.slice(0, lrPeak).findIndex((t) => isFiniteNumber(t) && t < (1 - NEAR_BASELINE_FRACTION) * baseline!.loss) : -1;
    const lostAt = learnedEarly < 0 ? -1 : train.findIndex((t, i) => i > learnedEarly && isFiniteNumber(t) && t > baseline!.loss);
    const collapsedEarly = learnedEarly >= 0 && lostAt > learnedEarly;
    // Both ways: a user's deep tanh MLP at a tenth of its headline sat at ln 3 for 5 epochs (33.8%,
    // training loss 1.090 → 1.083) and read "train again 3–10x lower"; the headline reached 77%.
    const why = begun !== null
      ? ` Its validation accuracy, ${pct(begun.accuracy)}, is clearly above the ${pct(begun.chance)} of ${constantPredictionText(baseline)}, so it does not predict a constant: it has begun to learn, slowly (training loss ${formatLoss(lastTrain)}, still at its baseline too). Train for more epochs, and compare a max LR 3x higher and 3x lower over them; if none does better, check the model, the data and the labels.`
      : creeping
      ? ` Its training loss is at its baseline too (${formatLoss(lastTrain)}), but its validation loss fell in every epoch (${formatLoss(val[0])} → ${formatLoss(last)})${creepingAbove === null ? '' : ` and its validation accuracy, ${pct(creepingAbove.accuracy)}, is clearly above the ${pct(creepingAbove.chance)} of ${constantPredictionText(baseline)}`}, which a model that collapsed does not: it is learning, slowly. Train again at a max LR 3–10x higher (lrlab find-lr says what the model tolerates), or for more epochs; if the higher LR does no better, check the model, the data and the labels.`
      : collapsedEarly
      ? ` Its training loss is at its baseline too (${formatLoss(lastTrain)}), but it was clearly below it at epoch ${epochOf(learnedEarly)} (${formatLoss(train[learnedEarly])}, LR ${formatLr(history[learnedEarly]!.lr)}) and above it from epoch ${epochOf(lostAt)} (${formatLoss(train[lostAt])}, LR ${formatLr(history[lostAt]!.lr)}): the model learned while the LR was low and lost it as the LR rose, the collapse a max LR too high for whole runs gives. ${lower[0]!.toUpperCase()}${lower.slice(1)}.`
      : constant
      ? ` Its training loss is at its baseline too (${formatLoss(lastTrain)}): it fits the training set no better than a constant prediction would — either it cannot learn this in ${n} epochs at this LR, or it learned in the first steps and collapsed (units that stop firing at a max LR too high for whole runs; a short run, such as find-lr's, can learn at an LR where whole runs collapse). Train again at a max LR 3–10x lower to tell, and at one 3–10x higher (a max LR far too low leaves a model as still as a collapse does): keep whichever learns; if neither does, check the data and labels, the LR (lrlab find-lr with more --steps), or the model — a slow starter (a recurrent net on a long-range dependency, at chance for epochs before it learns) may need more epochs instead.`
      : ` Check the data and labels, the LR (lrlab find-lr with more --steps), or the model.`;
    // Never down to the baseline at all (its lowest clearly above it): "stayed at" would misstate it;
    // a loss still falling fast there is on its way down from far above (a model whose outputs start
    // far from the labels: the warnings say so), not a model at its baseline.
    const above = min > (1 + NEAR_BASELINE_FRACTION) * base;
    const previous = n >= 2 ? val[n - 2] : undefined;
    const falling = above && isFiniteNumber(previous) && isFiniteNumber(last) && previous > 0 && 1 - last / previous > STILL_FALLING_PER_EPOCH ? 1 - last / previous : null;
    // (Which of these it says is chosen once blewUp is known, below.)
    const stayedText = (blewUp: boolean): string => above
      ? `Validation loss never got down to the baseline over ${n} epochs (${formatLoss(val[0])} → ${formatLoss(last)}, lowest ${formatLoss(min)}, ${formatLoss(min / base)}x the baseline${baseText})`
      : last > (1 + NEAR_BASELINE_FRACTION) * base
        ? // Up from the baseline by the end: "stayed at" would misstate it (a user's 120-sample model read
          // "stayed at the baseline … (1.14 → 2.43, 120.7% above it at the end)").
          `Validation loss never got clearly below the baseline over ${n} epochs and ended above it (${formatLoss(val[0])} → ${formatLoss(last)}, ${pct(last / base - 1)} above it at the end, lowest ${formatLoss(min)}${baseText})`
        : blewUp
          ? // Nor for a run that went far above it on the way.
            `Validation loss never got clearly below the baseline over ${n} epochs (${formatLoss(val[0])} → ${formatLoss(last)}, lowest ${formatLoss(min)}${baseText})`
          : `Validation loss stayed at the baseline over ${n} epochs (${formatLoss(val[0])} → ${formatLoss(last)}, lowest ${formatLoss(min)}${baseText})`;
    // Far above the baseline, the run's own course says more than the generic checks: a loss that
    // climbed many-fold mid-run (a regression's 2.6e4 → 1.6e7 at max LR 30) had too high an LR; one
    // that fell by half or more over the run (8.9e4 → 1960, the last epoch only 1.5% at 1cycle's
    // near-zero LR) is on its way down from outputs that started far from the labels.
    // What starts a model's outputs where its labels are, named here: the warnings say it only where
    // the fresh outputs were measured off (a user's sequence model read "(see the warnings)" beside none).
    const startWhereLabelsAre = baseline!.kind === 'chance'
      ? "start the model's outputs at the class balance (the output layer's bias at the log of the class frequencies)"
      : "bring the labels and the model's outputs to the same scale (standardize the labels, or start the output layer's bias at their mean)";
    const worse = baseline!.kind === 'chance' ? 'the chance level' : baseline!.constant === 'median' ? "the labels' median" : baseline!.constant === 'fitted' ? 'the best constant prediction' : "the labels' mean";
    const peak = argMax(val);
    // Or from the baseline's band: up to several times the baseline for epochs on end, back to it only as
    // the LR fell. A user's GRU at 3x its headline went 1.39 → 5.52 (epoch 6, 8x the baseline) → 0.694
    // against 0.695 and read "stayed at the baseline … check the data and labels".
    const blewUpFromBand = !above && peak > 0 && peak < n - 1 && val[peak]! > BLEW_UP_FACTOR * Math.max(val[0]!, min) && [val[peak - 1], val[peak + 1]].some((v) => isFiniteNumber(v) && v > BLEW_UP_FACTOR * base) && lrFell(peak);
    const blewUp = (above && peak > 0 && peak < n - 1 && val[peak]! > BLEW_UP_FACTOR * Math.max(val[0]!, min)) || blewUpFromBand;
    const stayed = stayedText(blewUp);
    const fellFar = above && last < val[0]! / 2;
    // Its training loss climbed mid-run too, and never got below its own baseline: training made the
    // predictions worse than a constant and came back only as the LR fell. A sparse 4-class model at
    // 10x its LR (training 4.23 → 6.4 → 4.49, validation 6.1 → 3.97 against ln 4, accuracy 62–74%)
    // read "learned nothing … still falling: train longer, or bring the labels and outputs to scale".
    const tPeak = argMax(train.map((t) => (isFiniteNumber(t) ? t : Number.NEGATIVE_INFINITY)));
    const tFirst = train[0];
    const tPeakValue = train[tPeak];
    // Above its own baseline all run; or never clearly below it before the climb, above it at the peak,
    // and back below it only after, as the LR fell: a user's 95/5 classifier at 3x its headline went
    // 0.206 → 0.336 → 0.182 (baseline 0.205) while validation stayed 1.2-1.4x its baseline, and read
    // "learned nothing … it memorizes labels with no pattern: check the data"; 3x lower reached 0.112.
    const allAbove = trainFinite.every((t) => t > (1 + NEAR_BASELINE_FRACTION) * baseline!.loss);
    const backAsLrFell =
      !allAbove && isFiniteNumber(tPeakValue) && tPeakValue > (1 + NEAR_BASELINE_FRACTION) * baseline!.loss &&
      train.slice(0, tPeak).every((t) => !isFiniteNumber(t) || t > (1 - NEAR_BASELINE_FRACTION) * baseline!.loss) &&
      train.slice(tPeak + 1).some((t) => isFiniteNumber(t) && t < baseline!.loss) && lrFell(tPeak);
    // Not a bump on a long way down: where both losses ended under half their first epoch's, the run is
    // on its way down from outputs far from the labels (a user's regression with labels at scale 1e-3 went
    // 3.03e-3 → 7.71e-7 in validation, its training loss up one epoch at the peak LR, and read "unstable:
    // train again 3x lower" — where 3x lower ended 4x worse, at two seeds).
    const trainFellFar = fellFar && isFiniteNumber(lastTrain) && isFiniteNumber(tFirst) && lastTrain < tFirst / 2;
    const trainClimbed =
      above && !blewUp && !trainFellFar && isFiniteNumber(tFirst) && isFiniteNumber(tPeakValue) && tPeak > 0 && tPeak < n - 1 &&
      tPeakValue > (1 + TRAIN_RISE) * tFirst && tPeakValue - tFirst > material &&
      (allAbove || backAsLrFell);
    if (trainClimbed) {
      const tLow = Math.min(...trainFinite);
      const stayedAbove = allAbove
        ? `stayed above its own baseline all run (lowest ${formatLoss(tLow)} against ${formatLoss(baseline!.loss)})`
        : `got back below its own baseline (${formatLoss(baseline!.loss)}) only as the LR fell (${formatLoss(lastTrain)} at the end)`;
      const lrAt = history[tPeak]!.lr;
      const accuracy = lastAccuracy(history[n - 1]!);
      const accuracyText = accuracy === null ? '' : ` (validation accuracy ${pct(accuracy)}: where it tells the classes apart its loss does not show it — the predictions it gets wrong, it gets confidently wrong)`;
      return {
        reason: `Unstable: validation loss never got down to the baseline over ${n} epochs (${formatLoss(val[0])} → ${formatLoss(last)}, lowest ${formatLoss(min)}, ${formatLoss(min / base)}x the baseline${baseText}), and the training loss climbed from ${formatLoss(tFirst)} (epoch ${epochOf(0)}) to ${formatLoss(tPeakValue)} (epoch ${epochOf(tPeak)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''}) and ${stayedAbove}: training made the predictions worse than ${worse}${accuracyText}. The maximum LR is too high for this model: ${lower}.`,
        breakdown: 'unstable: its training loss climbed mid-run, above the baseline',
      };
    }
    // Back to the baseline's band only at the end, having swung to several times it on the way, while
    // the training loss stayed above its own baseline all run (and did not fall by half: not a model
    // on its way down from far-off outputs): training never beat a constant prediction, and the
    // validation loss landed near the baseline by chance. A user's GRU at 20x its recommended max LR
    // went 1.17, 2.71, 0.972, 1.08, 1.29, 0.722 against 0.692, training 1.27-1.70, and read
    // "stayed at the baseline … check the data and labels".
    const swung = !above && !blewUp && allAbove && peak > 0 && val[peak]! > BLEW_UP_FACTOR * base && val[peak]! > val[0]! && isFiniteNumber(lastTrain) && isFiniteNumber(tFirst) && lastTrain > tFirst / 2;
    if (swung) {
      const lrAt = history[peak]!.lr;
      return {
        reason: `Unstable: validation loss never got clearly below the baseline over ${n} epochs (${val.map((v) => formatLoss(v)).join(', ')}${baseText}): it swung to ${formatLoss(val[peak])} (epoch ${epochOf(peak)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''}), ${formatLoss(val[peak]! / base)}x the baseline, and the training loss stayed above its own baseline all run (${formatLoss(Math.min(...trainFinite))}–${formatLoss(Math.max(...trainFinite))} against ${formatLoss(baseline!.loss)}): training never predicted better than ${worse}. The maximum LR is too high for this model: ${lower}.`,
        breakdown: 'unstable: its training loss stayed above the baseline while validation swung',
      };
    }
    const peakLr = history[peak]!.lr;
    // Far above the baseline and not moving after its first epoch (within PINNED): worse than a constant
    // prediction and stuck there, as saturated outputs or dead units leave a model at a max LR too high
    // for it (a user's autoencoder at 10x its best max LR: 0.1155, then 0.1139 for 7 epochs, against 0.086).
    // (A loss that falls in every epoch, however little, is a too-low LR's, not pinned.)
    const after = val.slice(1);
    const pinned = above && n >= 3 && !blewUp && !fellFar && after.every((v) => isFiniteNumber(v) && Math.abs(v - last) <= PINNED * last) && !fellEveryEpoch(after);
    // Worse than a constant from the first epoch and worse still at the end, the training loss above its
    // own baseline all run: what a max LR too high for the model does from its first steps. A user's Adam
    // compiled at LR 0.5 (find-lr: 4.2x its recommendation), trained at that constant LR, went 7.01 →
    // 7.18 → 7.93 against ln 3 (training 8.49, 6.82, 7.24) and read "check the data and labels".
    const worsened = above && n >= 2 && !blewUp && !fellFar && !pinned && falling === null && allAbove && trainFinite.length === n && isFiniteNumber(last) && last > val[0]!;
    const still = blewUp
      ? ` It climbed from ${formatLoss(val[0])} to ${formatLoss(val[peak])} (epoch ${epochOf(peak)}${isFiniteNumber(peakLr) ? `, LR ${formatLr(peakLr)}` : ''}) before coming back down: the maximum LR is too high for this model — ${lower}.`
      : falling !== null
        ? ` It was still falling ${pct(falling)} in the last epoch: it predicts worse than ${worse}, on its way down — train longer, or ${startWhereLabelsAre}.`
        : fellFar
          ? ` It fell from ${formatLoss(val[0])} to ${formatLoss(last)} over the run and still predicts worse than ${worse}: on its way down from far above — ${startWhereLabelsAre}, or train longer.`
          : pinned
            ? ` From epoch ${epochOf(1)} on it did not move (within ${pct(PINNED)} of ${formatLoss(last)}), worse than ${worse}: pinned, as saturated outputs or dead units leave a model at a max LR too high for it. Train again at a max LR 3–10x lower; if that does no better, check that the labels and the model's outputs are on the same scale.`
            : worsened
              ? ` It was worse than ${worse} from the first epoch and ended worse still, and the training loss stayed above its own baseline all run (${formatLoss(Math.min(...trainFinite))}–${formatLoss(Math.max(...trainFinite))} against ${formatLoss(baseline!.loss)}): training made the predictions worse than a constant, as a max LR too high for the model does from its first steps. Train again at a max LR 3–10x lower (lrlab find-lr says what the model tolerates); if that does no better, check that the labels and the model's outputs are on the same scale.`
              : '';
    // Learning, slowly, is not "nothing": a user's conv1d at 61% against 51.5% read "learned nothing that
    // generalizes … it is learning, slowly".
    const reason = `${stayed}: the model ${begun !== null || creeping ? 'learned little so far' : 'learned nothing that generalizes'}${memorized ? ` (training loss fell to ${formatLoss(lastTrain)}: what it fits in the training set does not carry over — it memorizes labels with no pattern, or the validation data follow another rule or distribution)` : ''}.${still === '' ? why : still}`;
    if (blewUp) return { reason, breakdown: 'its validation loss blew up mid-run' };
    // Accuracy clearly above chance: it learned what generalizes, whatever its loss (the rules below judge the run).
    if (!learnedDespiteLoss(history, baseline)) return { verdict: 'not-learning', reason };
  }
  // A model that learned and then collapsed to the constant prediction (dead units, too high an
  // LR): both losses end at their baselines. Not overfitting: the training set is not fit either.
  // The training loss's band is twice as wide: at a too-high LR it is the mean over a noisy epoch (a
  // 95/5 classifier at max LR 2.07 predicted the majority class for all 5 epochs, its training loss
  // 6% under the baseline, and read "overfitting: more regularization").
  if (base !== null && isNearBaseline(last, base) && isFiniteNumber(lastTrain) && lastTrain >= (1 - 2 * NEAR_BASELINE_FRACTION) * baseline!.loss && !learnedDespiteLoss(history, baseline)) {
    return {
      reason: `Collapsed: validation loss reached ${formatLoss(min)} at epoch ${epochOf(minIndex)} but both losses ended at the baseline (validation ${formatLoss(last)}, training ${formatLoss(lastTrain)}${baseText}): the model predicts a constant. Usually a too-high LR (dead units): ${lower}.`,
      breakdown: 'it collapsed to a constant prediction',
    };
  }
  // Neither loss moved over the run, far from converged: at this max LR the weights barely changed. A
  // user's 3-class MLP at max LR 1e-5 (1.5 reached 0.062) read 1.04 in validation and 1.05 in training
  // at every epoch — below the baseline (ln 3) from its random start — and read "good: in balance".
  // Only within STILL_AT_START_SHARE of the baseline, and not where validation accuracy is clearly
  // above chance: a model that converged in the first batches of a long first epoch is flat from
  // there, wherever its data let it get (a noisy tabular task flat at 0.45 against ln 2 has learned).
  const trainSpread = trainFinite.length === n ? Math.max(...trainFinite) - Math.min(...trainFinite) : null;
  if (base !== null && min > STILL_AT_START_SHARE * base && aboveChance(history, baseline) === null && trainSpread !== null && (Math.max(...val) - min) / scale < NO_PROGRESS_DROP && trainSpread / scale < NO_PROGRESS_DROP) {
    return {
      verdict: 'not-learning',
      reason: `Neither loss moved by ${pct(NO_PROGRESS_DROP)} of the baseline over ${n} epochs (validation ${formatLoss(val[0])} → ${formatLoss(last)}, training ${formatLoss(train[0])} → ${formatLoss(lastTrain)}${baseText}): at this max LR${maxLr !== null ? ` (${formatLr(maxLr)})` : ''} the weights barely changed. Train again at a max LR 10x higher or more (lrlab find-lr says what the model tolerates); if that does not move either, check the model, the data and the labels.`,
    };
  }
  if (base === null) {
    const firstTrain = train[0] ?? null;
    if (isFiniteNumber(lastTrain) && isFiniteNumber(firstTrain) && (val[0]! - min) / scale < NO_PROGRESS_DROP && (firstTrain - lastTrain) / scale < NO_PROGRESS_DROP) {
      return {
        verdict: 'not-learning',
        reason: `Neither training nor validation loss improved over ${n} epochs (validation ${formatLoss(val[0])} → ${formatLoss(last)}): the model is not learning. Check the LR (run the range test), the data and labels, or use a larger model.`,
      };
    }
  }

  // The trend over the last quarter (at least 2 epochs), from the median of the three epochs around
  // its start: one spike there (a validation loss of 1.22e-5 at epoch 75 of 100, between epochs at
  // 9.5e-7) read as "still falling 3.7% per epoch" a run that was flat for its last 14 epochs.
  const tail = Math.max(2, Math.ceil(n / 4));
  const at = Math.max(0, n - 1 - tail);
  const around = [val[at - 1], val[at], val[at + 1]].filter((v, k) => isFiniteNumber(v) && (k !== 2 || at + 1 < n - 1)) as number[];
  const from = around.length === 3 ? [...around].sort((a, b) => a - b)[1]! : val[at]!;
  // Where the median is another epoch's value, the message says so (it quoted epoch 2's 0.0716 as the start of "the last 2 epochs" of 5).
  const fromText = around.length === 3 && from !== val[at] ? `${formatLoss(from)}, the median of epochs ${epochOf(at - 1)}–${epochOf(at + 1)},` : formatLoss(from);
  const drop = from - last;
  const perEpoch = drop / level(from) / tail;
  const before = val[n - 2]!;
  const lastFall = (before - last) / level(before);
  // A steep trend ignores one flat last epoch (noise), not two: where neither of the last two epochs
  // went below the epoch before them both, the fall is over, however the last one moved (a user's spiral at
  // 99.9% accuracy went 0.0159 → 0.00708 → 0.00599 → 0.00654 → 0.00623 against ln 5 and read "still
  // falling 15.2% per epoch: train longer"; 30 epochs ended at 0.0107).
  // A new low by at least what the last epoch must fall (UNDERFIT_LAST_EPOCH_SHARE of the rate) over
  // each of the two: a user's 1-D CNN at 1cycle's end went 0.1283 → 0.1288 → 0.1273 (0.8% in two epochs)
  // after a noisy climb down at the peak LR and read "still falling 5.0% per epoch: train longer"; 30
  // epochs ended at 0.135.
  const newLowLately = n < 3 || Math.min(val[n - 1]!, val[n - 2]!) < val[n - 3]! - 2 * UNDERFIT_LAST_EPOCH_SHARE * UNDERFIT_DROP_PER_EPOCH * level(val[n - 3]!);
  /** What the last two epochs gained on the epoch before them (a share of its loss; below 0: none). */
  const lateGain = n < 3 ? 0 : (val[n - 3]! - Math.min(val[n - 1]!, val[n - 2]!)) / level(val[n - 3]!);
  const lastFalls = newLowLately && (perEpoch > 2 * UNDERFIT_DROP_PER_EPOCH || lastFall > UNDERFIT_LAST_EPOCH_SHARE * UNDERFIT_DROP_PER_EPOCH);
  const stillFalling = perEpoch > UNDERFIT_DROP_PER_EPOCH && drop > material && lastFalls;

  // 3. Perfect validation accuracy: converged when the loss is already far below the baseline
  // (7e-4 against ln 10, still halving per epoch, is done) or no longer falls materially. At 100%
  // with a loss still well up and falling (0.33 against ln 3), rule 6 says underfitting.
  const accuracy = lastAccuracy(history[n - 1]!);
  const perfect = accuracy !== null && accuracy >= PERFECT_ACCURACY;
  if (perfect && (farBelow || !stillFalling)) {
    const enough = recommendedEpochs(history, baseline).epochs;
    const fewer = enough < epochOf(n - 1) ? ` Validation loss stopped improving materially by epoch ${enough}: fewer epochs would do.` : '';
    return { verdict: 'good', reason: `Converged: 100% validation accuracy, validation loss ${formatLoss(last)} (epoch ${epochOf(n - 1)}${baseText}).${fewer}` };
  }

  // 4. Overfitting: a material rise of validation loss since its minimum.
  const rise = last - min;
  const relativeRise = rise / level(min);
  // Each loss against its own split's baseline where those differ (heavy-tailed labels: an MAE model's
  // training split's was 3.23, validation's 4.31, and a run flat at validation 3.32 read "the training
  // loss is 34.9% below validation … more epochs will overfit" from that difference alone).
  const splitBases = base !== null && baseline !== null && span === null && base > 0 && baseline.loss > 0 && last > 0 && Math.abs(baseline.loss / base - 1) > SPLIT_BASELINES_DIFFER ? { train: baseline.loss, val: base } : null;
  const gap = !isFiniteNumber(lastTrain) ? null : splitBases !== null ? 1 - lastTrain / splitBases.train / (last / splitBases.val) : (last - lastTrain) / level(last);
  const gapBasis = splitBases === null ? '' : ` (each against its own split's baseline: training ${formatLoss(splitBases.train)}, validation ${formatLoss(splitBases.val)})`;
  const trainAtMin = train[minIndex] ?? null;
  // Overfitting fits the training set better than validation: where the last training loss is not
  // below the last validation loss, the rise is the model worse on both, not memorization. A user's
  // Adam LSTM learned at epoch 14 (validation 0.425, 85.6%), jumped to a training loss of 0.726 (above
  // ln 2) the next epoch and ended at 0.595 / 0.590; against epoch 14's average 0.676 its training
  // loss "kept falling", and it read "overfitting: more regularization".
  const trainFell = isFiniteNumber(lastTrain) && isFiniteNumber(trainAtMin) && lastTrain < trainAtMin && !(gap !== null && gap <= 0);
  const backAtBaseline = base !== null && isNearBaseline(last, base) ? (last > base ? ', above the baseline' : ', back at the baseline') : '';
  const bottom = `Validation loss bottomed at epoch ${epochOf(minIndex)} (${formatLoss(min)}) and rose ${pct(relativeRise)} since (to ${formatLoss(last)}${backAtBaseline}${baseText})`;
  // Training loss far above validation (dropout, batch norm in training mode): the training set is
  // fit no better than validation, so a validation loss a few percent off its lowest epoch is that
  // epoch's luck, not overfitting (epochs bouncing 0.219 → 0.189 → 0.195 after a low of 0.177 at
  // epoch 34 of 40, training loss 0.29, accuracy at its best, read "overfitting: more regularization").
  const trainFarAbove = gap !== null && gap < -OVERFIT_GAP;
  const risesMaterially = !trainFarAbove && minIndex < n - 1 && rise > material && (relativeRise > OVERFIT_RISE || (relativeRise > OVERFIT_RISE_WITH_GAP && gap !== null && gap > OVERFIT_GAP));
  // A rise immaterial to what the model does: under CONVERGED_FRACTION_OF_BASELINE of the baseline
  // (less than a converged run may sit above zero) while validation accuracy held. A user's GRU on
  // noise-free labels went 0.009 → 0.015 against ln 3 at 99.4% accuracy throughout and read
  // "overfitting: more regularization"; its predictions only grew more confident.
  const accuracyAtMin = lastAccuracy(history[minIndex]!);
  const accuracyLast = lastAccuracy(history[n - 1]!);
  // Held: down by no more than ACCURACY_HELD_SAMPLES of the validation samples, where their number is
  // known (a spiral at 99.8% of 1,000 for its last 20 epochs had one epoch at 100% and 9.67e-4, against
  // 0.0109 at the end: "overfitting — rose 1025.5%", under 1% of ln 5).
  const heldBy = baseline?.valSamples === undefined ? 0 : ACCURACY_HELD_SAMPLES / baseline.valSamples;
  const accuracyHeld = accuracyAtMin !== null && accuracyLast !== null && accuracyLast >= accuracyAtMin - heldBy - 1e-9;
  if (risesMaterially && trainFell && accuracyHeld && base !== null && rise < CONVERGED_FRACTION_OF_BASELINE * base) {
    return {
      verdict: 'good',
      reason: `${bottom}, under ${pct(CONVERGED_FRACTION_OF_BASELINE)} of the baseline, while validation accuracy held (${pct(accuracyAtMin)} → ${pct(accuracyLast)}${heldBy > 0 && accuracyLast < accuracyAtMin - 1e-9 ? `, within ${ACCURACY_HELD_SAMPLES} of its ${baseline?.valSamples ?? 0} samples` : ''}): converged, with its predictions growing more confident rather than worse. Fewer epochs would do (the lowest validation loss came at epoch ${epochOf(minIndex)}); more regularization would gain nothing material.`,
    };
  }
  // The training loss climbed past its own baseline after validation's low and came back down only
  // as the LR fell: the max LR broke training, whatever the end's gap says (a user's 2048-unit MLP on
  // 200 samples at 3x its headline: training 0.556 → 1.09 against 0.679 at the peak LR, 0.147 at the
  // end, read "overfitting … while the training loss kept falling").
  const trainPeak = risesMaterially && trainFell && baseline !== null && baseline.loss > 0 ? argMax(train.map((t, i) => (i > minIndex && i < n - 1 && isFiniteNumber(t) ? t : Number.NEGATIVE_INFINITY))) : -1;
  const trainPeakLoss = trainPeak >= 0 ? train[trainPeak] : null;
  if (trainPeak > minIndex && isFiniteNumber(trainPeakLoss) && trainPeakLoss > (1 + NEAR_BASELINE_FRACTION) * baseline!.loss && lrFell(trainPeak)) {
    const lrAt = history[trainPeak]!.lr;
    return {
      reason: `${bottom}, and the training loss climbed above its own baseline on the way (${formatLoss(trainAtMin)} at epoch ${epochOf(minIndex)} → ${formatLoss(trainPeakLoss)} at epoch ${epochOf(trainPeak)}${isFiniteNumber(lrAt) ? `, LR ${formatLr(lrAt)}` : ''}, against ${formatLoss(baseline!.loss)}) and came back down only as the LR fell (${formatLoss(lastTrain)} at the end): the max LR broke training. ${lower[0]!.toUpperCase()}${lower.slice(1)}; if validation still rises off its low there, that is overfitting: more regularization then.`,
      breakdown: 'its training loss climbed above its baseline mid-run, and came down only as the LR fell',
    };
  }
  if (risesMaterially && trainFell) {
    // Not "a larger LR" (Smith's regularizer): in a user's trial raising it made every overfitting run
    // worse, and on three small or noisy sets a max LR 10x below find-lr's headline generalized
    // best over 15-20 epochs (text 0.183 against 0.389, 25% label noise 0.943 against 1.023, a
    // 95/5 classifier 0.125 against 0.203), where at 5 epochs the headline was best.
    return {
      verdict: 'overfitting',
      reason: `${bottom} while the training loss kept falling (${formatLoss(trainAtMin)} → ${formatLoss(lastTrain)}${gap !== null && gap > 0 ? `, ${pct(gap)} below validation${gapBasis}` : ''}). More regularization (weight decay, dropout, a smaller batch), fewer epochs, or a lower max LR (on small or noisy data, long runs at a high one fit the noise).`,
    };
  }
  if (risesMaterially) {
    // Fell, but ended no lower than validation (above): worse on both, not memorization.
    const fellNotBelow = isFiniteNumber(lastTrain) && isFiniteNumber(trainAtMin) && lastTrain < trainAtMin;
    // Nor a too-high LR where the training loss fell at every epoch since validation's low and the
    // schedule annealed to zero: an LR too high to settle does not fit the training set better as it
    // falls. A small rise there is the last epochs gaining nothing (a user's 3-epoch 1cycle at find-lr's
    // headline went 0.242 → 0.206 → 0.216 against ln 3, training 0.669 → 0.292 → 0.266, and read
    // "unstable: train again 3x lower"; 3x lower ended at 0.227).
    const trainKeptFalling = history.slice(minIndex).every((h, i, after) => isFiniteNumber(h.trainLoss) && (i === 0 || h.trainLoss < after[i - 1]!.trainLoss!));
    if (fellNotBelow && trainKeptFalling && annealedToZero && relativeRise <= SMALL_RISE_ANNEALED) {
      return {
        verdict: 'good',
        reason: `${bottom}, while the training loss kept falling (${formatLoss(trainAtMin)} → ${formatLoss(lastTrain)}, still above validation) and the LR annealed to ${formatLr(endLr)}: not a too-high LR, which does not fit the training set better as it falls; the epochs after ${epochOf(minIndex)} gained nothing on validation${n > FEWEST_JUDGED ? ', so fewer would do' : ''}. If longer runs widen the rise, that is overfitting: more regularization then.`,
      };
    }
    const train = fellNotBelow ? `the training loss ended no lower than it (${formatLoss(lastTrain)} against ${formatLoss(last)}), so the model got worse on what it trained on too` : 'the training loss did not fall';
    // Annealing is a cure only where the schedule did not (a 1cycle run at 3x its headline read "or anneal it
    // (1cycle)"), nor will (a 1cycle run cancelled at epoch 345 of 400 read the same).
    return {
      reason: `${bottom} while ${train}: the LR is too high to settle, not overfitting: ${lower}${annealedToZero || annealsLater ? '' : ', or anneal it (1cycle)'}.`,
      breakdown: 'its validation loss rose without settling',
    };
  }
  // Far above its lowest with the training loss above it (dropout, noise in training): not an epoch's
  // luck, which is what the training-far-above guard is for, nor a model fitting its training set by
  // heart. A user's conv1d under Poisson loss (dropout 0.6) went from −1.06 at epoch 1 to −0.5 as the LR
  // rose and stayed there (its MAE doubled, no better than a constant) and read "good: in balance".
  if (trainFarAbove && minIndex < n - 1 && rise > material && relativeRise > STAYED_UP) {
    return {
      reason: `${bottom} and stayed up, with the training loss above it (${formatLoss(lastTrain)}: dropout or noise in training, not a model fitting its training set by heart): the run got worse as it trained and did not recover, which a too-high LR does: ${lower}.`,
      breakdown: 'its validation loss rose and stayed up',
    };
  }

  // 5. Converged far below the baseline, and no longer moving materially (7e-4 → 3e-4 against ln 10 is not moving).
  if (farBelow && drop <= material) {
    return { verdict: 'good', reason: `Converged: validation loss ${formatLoss(last)} is under ${pct(CONVERGED_FRACTION_OF_BASELINE)} of the baseline (${describeBaseline(baseline!, 'val')}) and no longer moves materially; what is left to gain is immaterial.` };
  }
  // 6. Underfitting: still falling materially at the end.
  if (stillFalling && annealedToZero && gap !== null && gap > FAR_BELOW_GAP && base !== null && last > HIGH_SHARE_OF_BASELINE * base) {
    // Falling only as 1cycle annealed, with the training set fit far better than validation: not
    // underfitting, and more epochs are no cure. A user's 10-class RMSprop MLP (one-hot labels) went
    // 0.67 → 0.611 → 0.605 over 8 epochs' anneal, training loss 0.151 (75% below), and read
    // "underfitting: train longer"; 10, 12 and 16 epochs ended at 0.652, 0.741 and 0.801.
    return {
      verdict: 'good',
      reason: `Validation loss fell to the end (${fromText} → ${formatLoss(last)} over the last ${tail} epochs${baseText}) as the schedule brought the LR down to near zero: that fall is the anneal, not a sign that more epochs help. The training loss is ${pct(gap)} below validation (${formatLoss(lastTrain)})${gapBasis}: the model fits its training set much better than it generalizes, so a longer cycle is as likely to overfit (compare one side by side before taking it); more regularization (weight decay, dropout) or more data is where validation can surely gain.`,
    };
  }
  if (stillFalling) {
    const trainFrom = train[Math.max(0, n - 1 - tail)] ?? null;
    const trainText = isFiniteNumber(trainFrom) && isFiniteNumber(lastTrain) ? `; training loss ${trainFrom > lastTrain ? 'too' : 'however not'} (${formatLoss(trainFrom)} → ${formatLoss(lastTrain)})` : '';
    // Training loss far below validation: the model already fits the training set much better than
    // it generalizes. Validation still improves, so more epochs help, but less regularization or a
    // larger model (the usual cure for underfitting) would widen the gap: a 12-epoch run with its
    // training loss 4x below validation read "less regularization or a larger model".
    // Not "or raise the LR" as the first cure: in a user trial of five fresh models, 9 of 10 runs at
    // find-lr's headline read underfitting after 4-5 epochs, and 3x higher was worse on all three
    // tested (a recurrent net 99.9% -> 43.8%, a strided CNN 78.7% -> 10.5% (collapsed), a deep tanh
    // MLP 39.3% -> 35.2%, where 3x lower gave 91%).
    // Wide in absolute terms too, where a baseline says what is small: 0.0099 against 0.0158 (37% apart)
    // read "fits the training set much better than it generalizes" beside a baseline of 1.61.
    const wide = gap !== null && gap > OVERFIT_GAP && (base === null || !isFiniteNumber(lastTrain) || last - lastTrain > CONVERGED_FRACTION_OF_BASELINE * base);
    const advice = wide
      ? ` Train longer: validation still improves. But the training loss is ${pct(gap)} below validation${gapBasis} — the model fits the training set much better than it generalizes — so keep the regularization and the model's size; if validation turns up while training longer, that is overfitting: add regularization (weight decay, dropout) then.`
      : ' Train longer (more epochs). A higher max LR is the riskier cure: one that trains well for a few epochs often sits just under where whole runs break down, so compare a run at 3x higher side by side before taking it. If longer runs do not help, less regularization or a larger model. (If validation turns up in a longer run, the longer run overfits: keep this length.)';
    return {
      verdict: 'underfitting',
      reason: `${STILL_FALLING} ${pct(perEpoch)} per epoch over the last ${tail} epochs (${fromText} → ${formatLoss(last)}${baseText})${trainText}${perfect ? '; validation accuracy is already 100%, the predictions are still firming up' : ''}.${advice}`,
    };
  }
  // Flat, with the training loss as high as validation and still a good share of the baseline: the
  // model fits the training set no better than it generalizes (a linear model on a nonlinear task:
  // 0.426 against 0.432, where an MLP reaches 0.03). In balance, but more epochs will not help.
  const noGap = isFiniteNumber(lastTrain) && last - lastTrain <= NO_GAP * level(last) && base !== null && last > HIGH_SHARE_OF_BASELINE * base;
  // Flat only because the schedule took the LR down: as high as validation, well up from zero, and a
  // large share of its fall came after the peak LR — the model was still learning when the LR came
  // down, which a too-low max LR does.
  const annealed = noGap ? stillLearningAtPeak(history, level, base) : null;
  // "As high": the training loss may be far higher still (label outliers only in the training set).
  const asHigh = isFiniteNumber(lastTrain) && lastTrain - last > NO_GAP * level(last) ? `higher still (${formatLoss(lastTrain)})` : `as high (${formatLoss(lastTrain)})`;
  if (annealed?.climb) {
    // A climb on the way up to the peak: the fall after it was the run recovering as the LR came down.
    // A regression at 9x its best max LR went 2.34 → 3.22 as the LR rose, ended at 1.89 (0.30 at its
    // best LR), and read "underfitting: compare a run 3x higher" — which collapsed.
    const { from, at } = annealed.climb;
    const atLr = history[at]!.lr;
    return {
      verdict: 'unstable',
      reason: `Validation loss climbed as the LR rose (epoch ${epochOf(from)} → ${epochOf(at)}: ${formatLoss(history[from]!.valLoss)} → ${formatLoss(history[at]!.valLoss)}${isFiniteNumber(atLr) ? ` at LR ${formatLr(atLr)}` : ''}) and fell only as the schedule brought the LR down (${formatLoss(annealed.before)} by the peak, ${formatLoss(last)} at the end${baseText}): the peak LR was past what the model takes, and the run spent its last epochs recovering: ${lower}.`,
    };
  }
  if (annealed !== null) {
    const { peak, before } = annealed;
    const peakAt = history[peak]!.lr;
    return {
      verdict: 'underfitting',
      reason: `Validation loss flattened only as the LR came down: ${pct(annealed.share)} of its fall came after the peak LR (epoch ${epochOf(peak)}${isFiniteNumber(peakAt) ? `, LR ${formatLr(peakAt)}` : ''}: ${formatLoss(before)} by then, ${formatLoss(last)} at the end${baseText}), and the training loss is ${asHigh}: the model was still learning when the schedule lowered the LR. A higher max LR first${maxLr !== null ? ` (this run's was ${formatLr(maxLr)}: compare a run 3x higher, ${formatLr(printedLr(3 * maxLr))}, side by side)` : ''}, then more epochs.`,
    };
  }
  // Flat at 1cycle's end is also where a too-low max LR leaves a model (an autoencoder at 0.0536 ended
  // at 0.087 this way; at 0.536 it reached 0.017, at 1.6 0.014): the LR is the first thing to check.
  // Soft labels: a training loss at their own entropy is as low as any model gets (a user's soft
  // targets at 1.01 read "if this loss is not good enough it underfits … then capacity").
  const floor = baseline?.floor;
  const atFloor = floor !== undefined && isFiniteNumber(lastTrain) && baseline !== null && lastTrain - floor.loss <= FLOOR_REACHED * (baseline.loss - floor.loss);
  const checkLrFirst = `check the max LR first (${maxLr !== null ? `this run's was ${formatLr(maxLr)}; ` : ''}lrlab find-lr says what the model tolerates), then capacity (a larger model, less regularization).`;
  // Between no gap and a wide one, still a good share of the baseline: as likely a max LR too low. A
  // user's regression at a tenth of its headline ended flat at 1.37 (training 1.23, 10.4% below it,
  // against a baseline of 4.61) where the headline reached 0.40, and read only "in balance" — at a third
  // of that LR, 9% below, it said to check the max LR first.
  const closeGap = !noGap && gap !== null && gap <= OVERFIT_GAP && base !== null && last > HIGH_SHARE_OF_BASELINE * base && !atFloor;
  const capacity = noGap
    ? atFloor
      ? ` The training loss is at the labels' floor, ${formatLoss(floor.loss)}${floor.valLoss === null ? '' : ` (validation ${formatLoss(floor.valLoss)})`}: their own entropy, the lowest any model scores on soft labels, so nothing is left to fit.`
      : ` The training loss is ${asHigh}: the model fits its training set no better than it generalizes, so if this loss is not good enough it underfits — ${checkLrFirst}`
    : closeGap
      ? ` The training loss is close to it (${formatLoss(lastTrain)}, ${pct(gap)} below${gapBasis}), and validation is still ${pct(last / base)} of the baseline: if this loss is not good enough, ${checkLrFirst}`
      : '';
  // Flat, with the training loss far below validation and validation still well up from zero: in
  // balance at this length, but not "in balance" as a model that generalizes. A user's 512×512 MLP
  // on 200 samples ended at 0.336 against 0.642 (88% against 65.6% accuracy) and read only "in balance".
  const wideGap = gap !== null && gap > OVERFIT_GAP && base !== null && last > HIGH_SHARE_OF_BASELINE * base;
  // Where the schedule brought the LR near zero (annealedToZero), a flat end says little about a longer
  // run: an Adam MLP flat at 0.183 after 10 epochs read "more epochs will overfit", and 25 reached 0.108.
  const gapText = wideGap
    ? ` But the training loss is ${pct(gap)} below validation (${formatLoss(lastTrain)})${gapBasis}: the model fits its training set much better than it generalizes — ${annealedToZero ? 'a longer cycle may still gain (the end is flat because the LR came down to near zero; compare one side by side), but' : 'more epochs will overfit, and'} more regularization (weight decay, dropout) or more data is where validation can surely gain.`
    : '';
  return {
    verdict: 'good',
    reason: `Validation loss is flat at the end (${formatLoss(last)}: ${perEpoch > UNDERFIT_DROP_PER_EPOCH ? `${newLowLately ? `its last epoch fell ${pct(Math.max(0, lastFall))}` : lateGain > 0 ? `its last two epochs gained only ${pct(lateGain)}` : `no new low in its last two epochs`}, after ${pct(perEpoch)} per epoch over the last ${tail} epochs as the LR annealed` : `${pct(Math.max(0, perEpoch))} per epoch over the last ${tail} epochs`}, ${pct(Math.max(0, relativeRise))} above its minimum ${formatLoss(min)}${baseText}): regularization and schedule are in balance${wideGap ? ' at this length' : ''}.${capacity}${gapText}`,
  };
}
