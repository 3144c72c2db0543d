/**
 * How many epochs the recipe recommends, from the evidence of its confirming run: the first
 * epoch whose validation loss is within a material distance (`MATERIAL_FRACTION_OF_BASELINE` of
 * the baseline, `lossScale.ts`) of the best the run reached. Never more than the run measured:
 * a run still improving at its end recommends its own length and says that more may help. A
 * task solved in 2 epochs of a 20-epoch run thus gets 2, not 20: a loss of 1e-4 against a chance
 * level of 0.69 has nothing material left to gain.
 */
import type { Baseline, EpochRecord } from '../protocol/results';
import { MATERIAL_FRACTION_OF_BASELINE, isFiniteNumber, referenceLoss } from './lossScale';
import { formatCount, formatLoss, formatLr, formatSeconds } from '../protocol/format';

export interface EpochAdvice {
  readonly epochs: number;
  readonly reason: string;
}

export function recommendedEpochs(history: readonly EpochRecord[], baseline: Baseline | null): EpochAdvice {
  const n = history.length;
  if (n === 0) return { epochs: 1, reason: 'the confirming run measured no epoch' };
  const val = history.map((h) => h.valLoss);
  const finite = val.filter(isFiniteNumber);
  if (finite.length === 0) return { epochs: n, reason: `no finite validation loss to judge; the confirming run's ${n} epochs` };
  const best = Math.min(...finite);
  const bestIndex = val.findIndex((v) => v === best);
  const tolerance = MATERIAL_FRACTION_OF_BASELINE * referenceLoss(history, baseline);
  const index = val.findIndex((v) => isFiniteNumber(v) && v <= best + tolerance);
  const epoch = history[index]!.epoch;
  if (index === n - 1) {
    // Not "still improving": under 1cycle the last epoch's fall is often the LR annealing to its end, and the
    // verdict beside it read "flat at the end" (a 1 s recipe printed both). Whether a longer cycle gains, only one can tell.
    return { epochs: epoch, reason: `validation loss reached its best at the last epoch measured (${formatLoss(best)} at epoch ${epoch}), no earlier epoch within a material distance of it: train at least this long; a longer cycle than the budget allowed may gain more (only a run of one can tell)` };
  }
  const bestText = bestIndex === index ? `its best, ${formatLoss(best)}` : `within ${formatLoss(tolerance)} of its best (${formatLoss(best)} at epoch ${history[bestIndex]!.epoch})`;
  return { epochs: epoch, reason: `validation loss reached ${bestText} by epoch ${epoch} of ${n}; later epochs gained nothing material` };
}

/**
 * How many epochs a run measured when its last epoch may be partial (a time-driven cycle stops at
 * its budget mid-epoch, then evaluates): the whole epochs before it plus the last one's share,
 * estimated from its duration against the median of the whole epochs' (each epoch's `seconds` is
 * the run's clock at its end, evaluation included). One epoch alone counts as one.
 */
export function epochsMeasured(history: readonly EpochRecord[]): number {
  const n = history.length;
  if (n < 2) return n;
  const durations = history.map((h, i) => h.seconds - (i === 0 ? 0 : history[i - 1]!.seconds));
  const whole = durations.slice(0, -1).sort((a, b) => a - b)[Math.floor((n - 1) / 2)]!;
  const share = whole > 0 ? Math.min(1, Math.max(0, durations[n - 1]! / whole)) : 1;
  return n - 1 + share;
}

/**
 * `recommendedEpochs` for a run whose last epoch may be partial (`measured` from epochsMeasured):
 * where the advice is that last epoch, whole epochs only — never more than the run measured.
 */
export function recommendedWholeEpochs(history: readonly EpochRecord[], baseline: Baseline | null, measured: number): EpochAdvice {
  const advice = recommendedEpochs(history, baseline);
  const n = history.length;
  if (n === 0 || advice.epochs < n || measured >= n - 1e-9) return advice;
  // Its best at the partial last epoch: "at least this long" is the whole epochs that hold it, the partial
  // one counted (a user's recipe measured 1.8 epochs, its best at the end, and said "1 epoch … train at
  // least this long": less than it had measured).
  const whole = Math.max(1, Math.ceil(measured - 1e-9));
  return whole === advice.epochs && measured === whole ? advice : { epochs: whole, reason: `${advice.reason} (the run's last epoch was partial: its cycle ended at the budget after ${measured.toFixed(1)} epochs, so ${formatCount(whole, 'whole epoch')} at least)` };
}

/** What the recipe's confirming run measured, for `confirmingRunEpochs`. */
export interface ConfirmingRun {
  readonly history: readonly EpochRecord[];
  readonly baseline: Baseline | null;
  /** The plan's length for the budget, from a step time measured before the run. */
  readonly planned: number;
  /** The cycle followed the clock (the budget bound), so its last epoch may be partial. */
  readonly clocked: boolean;
  readonly cancelled: boolean;
  /** Why the run's curve says nothing about the length: it broke down (e.g. "the confirming run broke down at max LR 1.29, so ..."); `null` where it held. */
  readonly brokeDown: string | null;
  /** Its verdict: validation was still falling materially at its end ("underfitting: train longer"). */
  readonly stillFalling?: boolean;
}

/**
 * The epochs the recipe recommends after its confirming run. Cancelled, the run measured no whole
 * cycle: the plan's length. Broken down, its curve says nothing about the length at a lower LR, but a
 * clocked run still measured how many epochs fit the budget — those whole epochs, never more (a CI run
 * recommended the plan's 38 after 37 fitted: the plan's step time was taken before the run). Otherwise
 * where validation stopped improving materially, in whole epochs the run measured.
 */
/** A run's length in epochs (`epochsMeasured` where its clocked last epoch may be partial) and as people read it. */
export function runLength(history: readonly EpochRecord[], clocked: boolean): { readonly measured: number; readonly text: string } {
  const n = history.length;
  const measured = clocked ? epochsMeasured(history) : n;
  return { measured, text: clocked && measured < n ? `${measured.toFixed(1)} epochs` : formatCount(n, 'epoch') };
}

export function confirmingRunEpochs(run: ConfirmingRun): EpochAdvice {
  const n = run.history.length;
  const { measured, text: length } = runLength(run.history, run.clocked);
  if (run.cancelled) {
    return { epochs: Math.max(1, run.planned), reason: `the confirming run was cancelled after ${length}, before its schedule ended, so it measured no whole cycle: the plan's length for this budget` };
  }
  if (run.brokeDown !== null) {
    const why = run.brokeDown;
    if (!run.clocked || n === 0) return { epochs: Math.max(1, run.planned), reason: `${why}: the plan's length for this budget` };
    const fitted = Math.max(1, Math.floor(measured + 1e-9));
    return { epochs: fitted, reason: `${why}: the ${formatCount(fitted, 'whole epoch')} that fitted this budget in it` };
  }
  const measuredAdvice = run.clocked ? recommendedWholeEpochs(run.history, run.baseline, measured) : recommendedEpochs(run.history, run.baseline);
  // The verdict says validation was still falling at the end: the length is the run's, at least, not an
  // earlier epoch "within a material distance of its best". A 2 s recipe on MNIST read "3 epochs: later
  // epochs gained nothing material" beside "underfitting — still falling 7.0% per epoch: train longer"
  // (its "later epoch" was the last 0.1 of one, cut by the budget).
  // "At least this long": the partial last epoch counted whole, as recommendedWholeEpochs counts it.
  const whole = Math.max(1, Math.ceil(measured - 1e-9));
  const advice = run.stillFalling === true && n > 0
    ? { epochs: Math.max(measuredAdvice.epochs, whole), reason: `validation loss was still falling at the end of the run (${runLength(run.history, run.clocked).text}; the verdict: underfitting): train at least this long; more epochs${run.clocked ? ' than the budget allowed' : ''} may help` }
    : measuredAdvice;
  // Never fewer than a verdict can judge, where the run measured that many: a user's recipe said 2
  // epochs (its best validation loss at epoch 2 of 100, while the cycle's LR was still low) and the
  // pasted command then ended above chance with "too few epochs to judge".
  if (advice.epochs < FEWEST_JUDGED && measured >= FEWEST_JUDGED) {
    return { epochs: FEWEST_JUDGED, reason: `${advice.reason}; ${FEWEST_JUDGED} epochs, not ${advice.epochs}: the fewest whose run a verdict can judge, and a cycle of ${formatCount(advice.epochs, 'epoch')} is another schedule than the first ${formatCount(advice.epochs, 'epoch')} of a longer one — confirm it with lrlab train` };
  }
  return { epochs: Math.max(1, advice.epochs), reason: advice.reason };
}

/** The fewest epochs the verdict judges: one value for both, diagnosis.ts's `MIN_EPOCHS` is this (one or two points have no shape). */
export const FEWEST_JUDGED = 3;

/**
 * Two separately trained runs' final validation losses differ by this share from their seeds alone: a
 * user's dropout/L2 model ended 3 epochs at 0.3148 and 0.3091 (seeds 1 and 2), 100 epochs at 0.3119 and
 * 0.3125 — and the recipe chose 100 epochs for the 3-epoch cycle's 1% more, 33x the compute.
 */
export const RUN_TO_RUN_SPREAD = 0.02;

/**
 * The recommended epochs after the recipe ran them as a cycle of their own (fewer than the confirming
 * run's `long.epochs`: a 1cycle fitted to them anneals sooner than that run's first epochs did). Where
 * it ended materially worse than the long run — by more than `material` and than two runs' own spread
 * (RUN_TO_RUN_SPREAD) — or not finitely, the long run's length stands: a user's 8 epochs (best at
 * epoch 8 of 100) ended at 0.662, the 100-epoch run at 0.541.
 */
export interface ShorterCycle {
  /** Its last validation loss. */
  readonly end: number;
  /** Its verdict says still falling at its end (underfitting). */
  readonly stillFalling?: boolean;
  /** Its lowest epoch, where its verdict is overfitting or unstable. */
  readonly bottom?: { readonly epoch: number; readonly loss: number } | null;
  /** Its verdict is unstable. */
  readonly unstable?: boolean;
}

export function afterShorterCycle(advice: EpochAdvice, long: { readonly epochs: number; readonly end: number }, short: ShorterCycle, bands: { readonly material: number; readonly converged?: number | null }): EpochAdvice {
  const { end: shortEnd, stillFalling: shortStillFalling = false, bottom: shortBottom = null, unstable: shortUnstable = false } = short;
  const { material, converged = null } = bands;
  // Unstable by its own verdict, that cycle is no confirmation, however it ended: the recipe printed
  // "good" (the long run's verdict) above a pasted line whose run read "unstable: train again 3x lower"
  // (a user's BatchNorm/dropout model, 91 epochs of 100). The long run's length, with its verdict.
  if (shortUnstable) {
    const bottomed = shortBottom === null ? '' : ` bottomed at epoch ${shortBottom.epoch} (${formatLoss(shortBottom.loss)}) and`;
    return { epochs: long.epochs, reason: `${advice.reason}; but ${formatCount(advice.epochs, 'epoch')} as a cycle of their own${bottomed} ended at validation loss ${formatLoss(shortEnd)}, a run lrlab train calls unstable (the LR too high to settle): the ${long.epochs}-epoch run's length` };
  }
  const tolerance = Math.max(material, RUN_TO_RUN_SPREAD * Math.abs(long.end));
  // Both under `converged` (CONVERGED_FRACTION_OF_BASELINE of the baseline): converged alike, however their
  // tiny losses compare — a user's LSTM at 100% accuracy was recommended 100 epochs over 19, whose cycle
  // ended at 0.00264 against 1.11e-4 (0.23% of the baseline 1.08), under a verdict saying "fewer epochs would do".
  const bothConverged = converged !== null && Number.isFinite(shortEnd) && shortEnd < converged && long.end < converged;
  if (!bothConverged && (!Number.isFinite(shortEnd) || shortEnd > long.end + tolerance)) {
    return { epochs: long.epochs, reason: `${advice.reason}; but ${formatCount(advice.epochs, 'epoch')} as a cycle of their own ended at validation loss ${formatLoss(shortEnd)}, worse than the ${long.epochs}-epoch run's ${formatLoss(long.end)}: that run's length` };
  }
  const within = !(shortEnd > long.end) ? '' : bothConverged && shortEnd > long.end + tolerance ? `, both under ${formatLoss(converged)}: converged alike` : ', within what two runs differ by from their seeds alone';
  // Still falling at its end, that cycle reads "underfitting: train longer" under lrlab train — the
  // pasted command contradicted the recipe's line without a word (a user's 10 epochs, best at epoch
  // 10 of 100). Said here, with the length between the two that may end lower.
  const between = Math.min(long.epochs, 2 * advice.epochs);
  const falling = shortStillFalling && between > advice.epochs ? `; that cycle's validation loss was still falling at its end (lrlab train calls it underfitting): ${formatCount(between, 'epoch')} may end lower — compare the two` : '';
  // Overfit by its own verdict (it bottomed before its end and rose since), that cycle reads "overfitting"
  // under lrlab train, and the pasted command contradicted the recipe's "good" without a word (a user's
  // 86 epochs bottomed at epoch 68). Said here, as the cycle's own reading.
  const rose = shortBottom === null || falling !== '' ? '' : `; that cycle's validation loss bottomed at epoch ${shortBottom.epoch} (${formatLoss(shortBottom.loss)}) and rose after it (lrlab train calls it overfitting: regularization, or fewer epochs still)`;
  return { epochs: advice.epochs, reason: `${advice.reason}; run as a cycle of their own, they ended at validation loss ${formatLoss(shortEnd)} (the ${long.epochs}-epoch run: ${formatLoss(long.end)}${within})${falling}${rose}` };
}

/** The batch-size study's run ended at under this share of the confirming run's end: far below it. */
export const FAR_BELOW_SHARE = 0.5;

/**
 * Where the batch-size study's run at the recommended batch size — a 1cycle over its share of the
 * time, often far more epochs than the recipe's cap — ended far below the confirming run (under
 * FAR_BELOW_SHARE of its end, by more than `material`): the model gains from many more epochs than
 * the recipe recommends, which nothing else says. A user's price regression: the study's batch 64
 * ran ~2,456 epochs to a validation MSE of 529, the 81 recommended epochs ended at 8,950 with "good …
 * later epochs gained nothing material"; 3,500 epochs reached 520.
 */
export function moreEpochsNote(study: { readonly batchSize: number; readonly epochs: number; readonly seconds: number; readonly end: number; readonly maxLr: number | null } | null, confirm: { readonly epochs: number; readonly end: number }, material: number): string | null {
  if (study === null || !isFiniteNumber(study.end) || !isFiniteNumber(confirm.end) || !(confirm.end > 0)) return null;
  if (!(study.epochs > confirm.epochs) || !(study.end < FAR_BELOW_SHARE * confirm.end) || !(confirm.end - study.end > material)) return null;
  const epochs = study.epochs >= 100 ? Math.round(study.epochs / 10) * 10 : Math.round(study.epochs);
  return `The batch-size study's run at batch ${study.batchSize}${study.maxLr === null ? '' : ` (max LR ${formatLr(study.maxLr)})`} trained about ${formatCount(epochs, 'epoch')} in its ${formatSeconds(study.seconds)} and ended at validation loss ${formatLoss(study.end)}, far below the confirming run's ${formatLoss(confirm.end)} after ${formatCount(confirm.epochs, 'epoch')}: this model gains from far more epochs than the recipe recommends. Compare the line below with --epochs ${epochs}.`;
}

/** The batch-size study's run trained at under this share of the confirming run's max LR: a lower LR, not the same one. */
export const LOWER_LR_SHARE = 0.8;

/**
 * Where the batch-size study's run at the recommended batch size — a 1cycle at that size's own range
 * test's LR, lower than the one the confirming run took from the short runs — ended below the
 * confirming run by more than `material`, in no more epochs: at equal length the lower LR would do no
 * worse, so the recommendation takes it, and says why. The short runs rank LRs over 100 steps; where
 * their LR is carried to a whole run (and to another batch size by the range tests' ratio) it can sit
 * too high: a user's Fashion-MNIST CNN, recommended 0.164 at batch 32, ended its 6.3 epochs at 0.408
 * beside the study's 1-epoch run at 0.048 ending at 0.36; 3 epochs at 0.048 reached 89.5% against
 * 85.7% at 0.164. Not where the confirming run overfit (its end is then no measure of its LR).
 */
export function studyLrBeatConfirming(study: { readonly batchSize: number; readonly epochs: number; readonly end: number; readonly maxLr: number | null } | null, confirm: { readonly epochs: number; readonly end: number; readonly maxLr: number; readonly overfit: boolean }, material: number): string | null {
  if (study === null || study.maxLr === null || !isFiniteNumber(study.end) || !isFiniteNumber(confirm.end) || confirm.overfit) return null;
  if (!(study.maxLr < LOWER_LR_SHARE * confirm.maxLr) || !(study.epochs <= confirm.epochs) || !(confirm.end - study.end > material)) return null;
  const epochs = study.epochs < 10 ? study.epochs.toFixed(1).replace(/\.0$/, '') : String(Math.round(study.epochs));
  return `The batch-size study's run at batch ${study.batchSize} and max LR ${formatLr(study.maxLr)} ended at validation loss ${formatLoss(study.end)} after ${epochs} epoch${epochs === '1' ? '' : 's'}, below the confirming run's ${formatLoss(confirm.end)} after ${formatCount(confirm.epochs, 'epoch')} at max LR ${formatLr(confirm.maxLr)}: the lower LR trained better in no more epochs, so it is the recommended one (the confirming run's came from the short runs; its length still comes from that run — confirm both with the line below).`;
}
