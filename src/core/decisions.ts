/**
 * Decision rules of the recipe (method.md §4–7), as pure functions of measured curves so they
 * can be tested on synthetic data with known answers.
 */
import { formatLoss, formatLosses, formatLr, formatPercent, formatSeconds, printedLr } from '../protocol/format';
import { MATERIAL_FRACTION_OF_BASELINE, NEAR_BASELINE_FRACTION, isNearBaseline, pct } from './lossScale';
import type { TrialRoundOutcome } from '../protocol/results';

/**
 * Model size below which the "small data / shallow net" weight-decay grid applies (method.md
 * §5: smaller datasets and architectures need larger WD). 200k parameters separates MNIST-sized
 * MLPs and small CNNs (≤ 110k) from ResNet-style nets (≥ 270k for ResNet-20).
 */
export const SMALL_MODEL_PARAMETERS = 200_000;
export const SMALL_MODEL_WD_GRID: readonly number[] = [1e-2, 1e-3, 1e-4];
export const LARGE_MODEL_WD_GRID: readonly number[] = [1e-4, 1e-5, 1e-6, 0];

export function defaultWeightDecayGrid(parameterCount: number): readonly number[] {
  return parameterCount < SMALL_MODEL_PARAMETERS ? SMALL_MODEL_WD_GRID : LARGE_MODEL_WD_GRID;
}

export { bestBalance } from './balance';

/**
 * Two short runs (or batch sizes) whose validation losses differ by less than 3% of the loss are
 * "as low": at this length they are as good. 3% is about the spread of the early validation loss
 * between seeds on the tiny test problems; a real difference is larger.
 */
export const LOSS_TIE = 0.03;
/**
 * Below this, losses count as zero for the tie: 1e-7 and 9e-7 are both "fit the data
 * perfectly", and a relative comparison between them would call one of them worse.
 */
export const LOSS_FLOOR = 1e-3;

/**
 * The floor for a task whose baseline (the loss of knowing nothing) is below 1: LOSS_FLOOR of it. A
 * regression whose labels have σ 0.003 has a baseline of 8e-6 and every loss far below 1e-3, so the
 * absolute floor tied runs 10% apart (2.95e-6 and 3.24e-6) and called a 22x worse momentum "within
 * 3%". Losses on the scale of 1 keep the absolute floor.
 */
export function lossFloor(baseline: number | null): number {
  return baseline !== null && Number.isFinite(baseline) && baseline > 0 ? LOSS_FLOOR * Math.min(1, baseline) : LOSS_FLOOR;
}

/** A pick among alternatives; `tie`: another alternative was within the rule's tie band of it. */
export interface Decision {
  readonly best: number | null;
  readonly reason: string;
  readonly tie: boolean;
  /** `bestTrial` only: the lowest-loss run, where TRIAL_TIE moved the pick to a higher LR. */
  readonly lowest?: number;
  /** `bestTrial` only: the loss rule's pick, where a higher validation accuracy (ACCURACY_LEAD) overrode it. */
  readonly byLoss?: number;
}

/**
 * Losses as good as `lowest`: within LOSS_TIE of it (a share of `scale`), or above it by less than a
 * material change against the baseline (`immaterial`: MATERIAL_FRACTION_OF_BASELINE of it; 0 without
 * one). `onlyImmaterially`: tied by that band alone, past LOSS_TIE — which the reasons say.
 */
function lossTieBand(lowest: number, scale: number, baseline: number | null): { readonly immaterial: number; readonly within: (x: number) => boolean; readonly onlyImmaterially: (x: number) => boolean } {
  const immaterial = baseline !== null && Number.isFinite(baseline) && baseline > 0 ? MATERIAL_FRACTION_OF_BASELINE * baseline : 0;
  const relative = (x: number): boolean => (x - lowest) / scale <= LOSS_TIE;
  return { immaterial, within: (x) => relative(x) || x - lowest <= immaterial, onlyImmaterially: (x) => !relative(x) };
}

/** Evaluations in a row clearly below the baseline that show a short run learned, wherever it ended (one could be noise). */
const LEARNED_ON_THE_WAY = 2;

/** Whether a short run's validation loss was clearly below the baseline for LEARNED_ON_THE_WAY evaluations in a row. */
function learnedOnTheWay(records: readonly { readonly valLoss: number | null }[] | undefined, baseline: number): boolean {
  let run = 0;
  for (const { valLoss } of records ?? []) {
    run = valLoss !== null && Number.isFinite(valLoss) && !isNearBaseline(valLoss, baseline) ? run + 1 : 0;
    if (run >= LEARNED_ON_THE_WAY) return true;
  }
  return false;
}

/** Short runs none of which got clearly below the validation baseline: their order is noise. */
function noneClearlyBelow(baseline: number): string {
  return `no short run got clearly below the validation baseline (${formatLoss(baseline)}; clearly below means under ${formatLoss((1 - NEAR_BASELINE_FRACTION) * baseline)}): at this length they learned nothing, and their order is noise`;
}

/**
 * Momentum or weight decay from short runs (method.md §4–5): the lowest early validation loss.
 * A constant momentum within LOSS_TIE of the cyclical run does not beat it: with 1cycle, cyclical
 * momentum (0.95 → 0.85) is the recommendation at equal loss because it allows larger LRs. Runs
 * within LOSS_TIE of the pick are named as ties: at this length they are as good.
 */
export function bestShortRun(runs: readonly { readonly label: string; readonly earlyValLoss: number | null; readonly diverged: boolean; readonly cyclical?: boolean; readonly momentum?: number | null; readonly records?: readonly { readonly valLoss: number | null }[] }[], baseline: number | null = null): Decision {
  const usable = runs.map((r, i) => ({ r, i })).filter(({ r }) => !r.diverged && r.earlyValLoss !== null && Number.isFinite(r.earlyValLoss));
  if (usable.length === 0) return { best: null, tie: false, reason: 'Every short run diverged or gave no validation loss: lower the LR.' };
  // Every run at the baseline learned nothing, and which is lowest is noise (a recipe on random labels
  // named "wd 1e-2: lowest early validation loss (1.38)" against the chance level 1.39), as in find-lr's trials.
  // None clearly below it, some at it (the rest above). (Runs all far above it broke down, a case of
  // its own: leastBadOfFailures qualifies the least bad.) Not where a run was clearly below it on the
  // way (LEARNED_ON_THE_WAY evaluations in a row): it learned, then overfit back — a user's weight-decay
  // runs on 120 samples fell to 0.555 against ln 2 and rose, wd 1e-2 to 0.691, the others to 0.81, and
  // read "they learned nothing, and their order is noise"; wd 1e-2 was the one that trained best.
  const atBaseline = (x: number): boolean => x <= (1 + NEAR_BASELINE_FRACTION) * baseline!;
  if (baseline !== null && baseline > 0 && usable.every(({ r }) => isNearBaseline(r.earlyValLoss!, baseline)) && usable.some(({ r }) => atBaseline(r.earlyValLoss!)) && !usable.some(({ r }) => learnedOnTheWay(r.records, baseline))) {
    return { best: null, tie: false, reason: noneClearlyBelow(baseline) };
  }
  const lowest = usable.reduce((a, b) => (b.r.earlyValLoss! < a.r.earlyValLoss! ? b : a));
  const scale = Math.max(Math.abs(lowest.r.earlyValLoss!), lossFloor(baseline));
  // Within 3% — or by less than a material change against the baseline: runs at 1.96e-7, 4.91e-5 and
  // 1.63e-4 against ln 2 (all at 100% accuracy) were ranked, the cyclical run losing to a constant.
  const { immaterial, within, onlyImmaterially } = lossTieBand(lowest.r.earlyValLoss!, scale, baseline);
  const cyclical = usable.find(({ r }) => r.cyclical === true);
  // Constant momenta as good at this length: the lowest. Its steps are the smallest (SGD's effective
  // step is lr / (1 − momentum): 0.99 takes 10x the steps of 0.9), and short runs do not see what
  // that does over whole runs — on the decision bench 0.99 ended at 73.5% and 27.3% where 0.9 reached
  // 91.6% and 76.1%, and a recipe that picked 0.99 over a tied 0.97 blew up in its confirming run.
  const calmest = usable.filter(({ r }) => typeof r.momentum === 'number' && within(r.earlyValLoss!)).reduce<(typeof usable)[number] | null>((a, b) => (a === null || (b.r.momentum as number) < (a.r.momentum as number) ? b : a), null);
  const pick = cyclical !== undefined && within(cyclical.r.earlyValLoss!) ? cyclical : typeof lowest.r.momentum === 'number' && calmest !== null ? calmest : lowest;
  const diverged = runs.filter((r) => r.diverged).map((r) => r.label);
  // The pick's loss in the parentheses after `why`; the cyclical run's reason keeps its LR claim out of them.
  const why =
    pick === lowest
      ? 'lowest early validation loss'
      : pick === cyclical
        ? `as low as the best constant momentum (${lowest.r.label}, ${formatLoss(lowest.r.earlyValLoss)}), and a cycled momentum allows larger LRs; its early validation loss`
        : `as low as ${lowest.r.label} (${formatLoss(lowest.r.earlyValLoss)}) at this length, with smaller steps (a higher momentum's larger effective steps can fail over whole runs); its early validation loss`;
  const tied = usable.filter((u) => u !== pick && u !== lowest && within(u.r.earlyValLoss!));
  const ties = tied.map(({ r }) => `${r.label} (${formatLoss(r.earlyValLoss)})`);
  // Say which band tied them: 3% of the loss, or (near zero) a change immaterial against the baseline.
  const byMaterial = tied.some(({ r }) => onlyImmaterially(r.earlyValLoss!));
  const band = byMaterial ? `within ${LOSS_TIE * 100}% or ${formatLoss(immaterial)} (0.1% of the baseline, an immaterial difference)` : `within ${LOSS_TIE * 100}%`;
  // Where the pick is not the lowest (named in `why`), the band is the lowest's, and the ties are others beside both.
  const of = pick === lowest ? '' : ` of ${lowest.r.label}`;
  const tieText = ties.length === 0 ? '' : `; ${pick === lowest ? '' : 'also '}${band}${of}, as good at this length: ${ties.join(', ')}`;
  const tie = usable.some((u) => u !== pick && within(u.r.earlyValLoss!));
  return { best: pick.i, tie, reason: `${pick.r.label}: ${why} (${formatLoss(pick.r.earlyValLoss)})${tieText}${diverged.length > 0 ? `; diverged: ${diverged.join(', ')}` : ''}.` };
}

/**
 * `find-lr`'s short 1cycle trials (`--lr-trials`): the studies' rule (`bestShortRun`: the lowest
 * early validation loss), among the trials that learned something. A trial whose validation loss
 * ended near the baseline (within NEAR_BASELINE_FRACTION of the loss of predicting the label
 * distribution or the mean) learned nothing in its steps, and which of several such trials is
 * "lowest" is noise: on a task that learns only over epochs, three trials at chance would otherwise
 * name an LR as the best. Where none learned, `best` is null and the reason says why; the caller
 * keeps the range tests' headline (or its absence). Without a baseline (a custom loss) every
 * finished trial counts. `runs` are in ascending LR: a higher run within TRIAL_TIE of the lowest
 * loss is the pick. Where the runs report validation accuracy, a candidate more than ACCURACY_LEAD
 * above the loss rule's pick overrides it (`byLoss` names the run it overrode) — and more than one
 * of the `validationSamples` the accuracies were counted on, where given: on 60 of them one sample is
 * 1.7 points, and a user's pick moved on one sample's difference.
 */
export function bestTrial(runs: readonly { readonly label: string; readonly earlyValLoss: number | null; readonly diverged: boolean; readonly earlyValAccuracy?: number | null }[], baselineValLoss: number | null, validationSamples?: number): Decision {
  const learned = learnedAgainst(baselineValLoss);
  const byLoss = lossTrial(runs, baselineValLoss);
  if (byLoss.best === null) return byLoss;
  const picked = runs[byLoss.best]!;
  const accuracy = (r: (typeof runs)[number]): number | null => (typeof r.earlyValAccuracy === 'number' && Number.isFinite(r.earlyValAccuracy) ? r.earlyValAccuracy : null);
  const own = accuracy(picked);
  if (own === null) return byLoss;
  // Candidates: what the loss rule could have picked (finished, clearly below the baseline).
  const ownLoss = picked.earlyValLoss!;
  const lossBound = (r: (typeof runs)[number]): boolean => !(ownLoss > 0) || r.earlyValLoss! <= ACCURACY_LEAD_LOSS_RATIO * ownLoss;
  const candidates = runs.map((r, i) => ({ r, i, a: accuracy(r) })).filter(({ r, a }) => a !== null && finishedRun(r) && learned(r) && lossBound(r));
  if (candidates.length === 0) return byLoss;
  const top = candidates.reduce((a, b) => (b.a! > a.a! ? b : a));
  // A lead of exactly the bar must not pass on rounding (0.9 − 0.89 > 0.01).
  if (!(top.a! - own > accuracyLeadBar(validationSamples, own) + 1e-9)) return byLoss;
  // The loss rule's pick is its lowest loss, or (TRIAL_TIE) a higher LR within 2% of it.
  const lossPick = byLoss.lowest === undefined ? 'the lowest early validation loss' : `within ${TRIAL_TIE * 100}% of the lowest early validation loss (${runs[byLoss.lowest]!.label}'s) at a higher LR`;
  const reason = `${top.r.label}: validation accuracy ${formatPercent(top.a)} against ${formatPercent(own)} at ${picked.label}, the loss rule's pick (${lossPick}; early validation loss ${formatLoss(top.r.earlyValLoss)} against ${formatLoss(picked.earlyValLoss)}): ${accuracyLeadText(validationSamples, own)} more of the labels right is the better run, whatever its loss.`;
  return { best: top.i, tie: false, reason, byLoss: byLoss.best };
}

/** A short run that neither diverged nor ended without a finite early validation loss. */
function finishedRun(r: { readonly earlyValLoss: number | null; readonly diverged: boolean }): boolean {
  return !r.diverged && r.earlyValLoss !== null && Number.isFinite(r.earlyValLoss);
}

/** Whether a run got clearly below the baseline; without a usable baseline (none, zero, NaN) every run did. */
function learnedAgainst(baselineValLoss: number | null): (r: { readonly earlyValLoss: number | null }) => boolean {
  return (r) => baselineValLoss === null || !(baselineValLoss > 0) || r.earlyValLoss === null || !isNearBaseline(r.earlyValLoss, baselineValLoss);
}

/** `bestTrial` on the early validation loss alone (with TRIAL_TIE's upward tie). */
function lossTrial(runs: readonly { readonly label: string; readonly earlyValLoss: number | null; readonly diverged: boolean }[], baselineValLoss: number | null): Decision {
  const learned = learnedAgainst(baselineValLoss);
  const finished = runs.filter(finishedRun);
  if (finished.length > 0 && !finished.some(learned)) {
    return { best: null, tie: false, reason: noneClearlyBelow(baselineValLoss!) };
  }
  const kept = runs.map((r, i) => ({ r, i })).filter(({ r }) => learned(r));
  const pick = bestShortRun(kept.map(({ r }) => r), baselineValLoss);
  const atBaseline = runs.filter((r) => !learned(r)).map((r) => r.label);
  const note = atBaseline.length === 0 ? '' : ` At or above the baseline (learned nothing yet, not candidates): ${atBaseline.join(', ')}.`;
  if (pick.best === null) return { ...pick, best: null, reason: pick.reason + note };
  // Runs are in ascending LR: a higher one as low as the lowest (within TRIAL_TIE) is the pick.
  const lowest = kept[pick.best]!;
  const low = lowest.r.earlyValLoss!;
  const asLow = kept.filter(({ r, i }) => i > lowest.i && finishedRun(r) && (r.earlyValLoss! - low) / Math.max(Math.abs(low), lossFloor(baselineValLoss)) <= TRIAL_TIE);
  if (asLow.length === 0) return { ...pick, best: lowest.i, reason: pick.reason + note };
  const higher = asLow.at(-1)!;
  const reason = `${higher.r.label}: the highest LR within ${TRIAL_TIE * 100}% of the lowest early validation loss (${formatLoss(higher.r.earlyValLoss)} against ${lowest.r.label}'s ${formatLoss(low)}): as good at this length, and the largest LR that trains as well is the one to cycle to.`;
  return { best: higher.i, tie: true, reason: reason + note, lowest: lowest.i };
}

/**
 * find-lr's trials (`bestTrial`): a run at a higher LR whose early validation loss is within this
 * fraction of the lowest is as good at 100 steps, and is the pick — Smith's rule is the largest LR
 * that still trains well. Chosen on the advice bench's 66 tasks of rounds 1–13: a batch-16
 * regression whose runs ended 1.3% apart picked its lowest LR, a tenth of its best (20.5 points of
 * regret; at 2%: 4.9), while at 3% two tasks lose (a ring-parity MLP 5.0 → 10.5, an RMSprop MLP
 * 0.1 → 1.4), so the band stays below the studies' LOSS_TIE. Round 14 judges it (bench/README.md).
 */
export const TRIAL_TIE = 0.02;

/**
 * find-lr's trials (`bestTrial`): a run whose validation accuracy at the judged checkpoints is more
 * than this (a share: 0.01 = one point) above the loss rule's pick is the pick. The loss weighs
 * confidence as well as correctness: an Adam GRU's runs at 0.0214 / 0.0714 ended at loss 0.607 /
 * 0.626 and accuracy 60.7% / 62.9%, and 1cycle over the oracle's epochs is 50% / 56% there (over 10
 * epochs 62% / 78%). On the advice bench's 64 classification tasks of rounds 1-16 this lead moved 2
 * picks, both better (12.10 -> 9.76, 1.30 -> 0.12 points); ranking by accuracy alone moved 6, 2 of
 * them worse. Held out it moved two of 24: 0.03 -> 0.22 and 1.61 -> 0.72 (bench/README.md, rounds 17
 * and 18). A point is near the sampling noise of a few hundred validation samples, so the winner's loss is
 * bounded (ACCURACY_LEAD_LOSS_RATIO).
 */
export const ACCURACY_LEAD = 0.01;

/**
 * The lead bestTrial asks for, in standard errors of the loss rule's pick's accuracy on the
 * `validationSamples` (√(p(1−p)/n)), where that is more than ACCURACY_LEAD. A user's GRU (400
 * validation samples) moved from 0.0246 to 0.222 on 79.7% against 78.6% — half a standard error (2.05
 * points), and the seeds of find-lr itself picked 0.0739 and 0.0792 — and whole runs at 0.222 broke
 * down at 3 of 4 seeds (8 epochs: 62% against 83% at 0.0739). On the advice bench (the validation
 * split's size read back from each task's oracle accuracies) a bar of up to 0.8 standard errors moves
 * no pick; at 0.9 and above one held-out task loses the lead's gain (gru-recall-noisy-adamax, 0.04 → 0.50
 * points).
 */
export const ACCURACY_LEAD_ERRORS = 0.75;

/**
 * The lead bestTrial asks for: ACCURACY_LEAD, one of the `validationSamples` where that is more (on 60
 * samples one is 1.7 points), or ACCURACY_LEAD_ERRORS standard errors of `accuracy` (the loss rule's
 * pick's) on them where that is more still. The accuracies compared are means (of the last
 * evaluations, of seeds), so "one sample" is one on average.
 */
export function accuracyLeadBar(validationSamples?: number, accuracy?: number | null): number {
  const n = validationSamples !== undefined && validationSamples > 0 ? validationSamples : null;
  const noise = n !== null && typeof accuracy === 'number' && accuracy > 0 && accuracy < 1 ? ACCURACY_LEAD_ERRORS * Math.sqrt((accuracy * (1 - accuracy)) / n) : 0;
  return Math.max(ACCURACY_LEAD, n !== null ? 1 / n : 0, noise);
}

/** The bar in words: "over 1 point", "over one validation sample (1.7% of 60)", or "over 1.5 points (0.75 standard errors of 78.6% on 400 samples)". */
export function accuracyLeadText(validationSamples?: number, accuracy?: number | null): string {
  const bar = accuracyLeadBar(validationSamples, accuracy);
  const sample = validationSamples !== undefined && validationSamples > 0 ? 1 / validationSamples : 0;
  if (bar > ACCURACY_LEAD && bar > sample) return `over ${formatPoints(bar)} (${ACCURACY_LEAD_ERRORS} standard errors of ${formatPercent(accuracy ?? 0)} on ${validationSamples} validation samples)`;
  return bar > ACCURACY_LEAD ? `over one validation sample (${formatPercent(bar)} of ${validationSamples})` : `over ${ACCURACY_LEAD * 100} point${ACCURACY_LEAD * 100 === 1 ? '' : 's'}`;
}

function formatPoints(share: number): string {
  return `${(100 * share).toFixed(1)} points`;
}

/**
 * find-lr's trials (`bestTrial`): the accuracy lead moves the pick only to a run whose early
 * validation loss is at most this multiple of the loss rule's pick. A user's 4-class Adam MLP
 * (400 validation samples) had its pick moved from 0.141 (loss 0.0608, 97.0%) to 1.27 (loss 0.162,
 * 2.66x, 98.3%: five samples); 5 epochs of 1cycle at the headline that followed went unstable mid-run
 * (validation loss 0.0875 → 0.646), at 0.141 they ended at 0.038 (98.5%). On the advice bench the
 * lead moves 11 picks of 181 tasks (3 tuning, 8 held out, at one or two seeds), every one to a run
 * whose loss is within 1.25x of the loss rule's pick's (all but one within 1.1x): with 1.5 none of
 * them changes (`bench/adviceQuality.ts --score`, the bound set to 0.5 / 1.1 / 1.25 / 1.5).
 */
export const ACCURACY_LEAD_LOSS_RATIO = 1.5;

/**
 * find-lr's pick "barely learned" when its early validation loss is above this share of the
 * baseline: then the runs' order says little at their length, and the result says so. On the
 * advice bench (76 picks with a baseline, when it was set) the 5 such picks missed the best 1cycle LR
 * by 2.87 points at the median (worst 15.77: an Adam GRU at 88% of ln 2), the other 71 by 0.25 (worst
 * 4.88); on the 83 tuning picks of rounds 1-16 since the accuracy lead and the oracle's extra seeds,
 * 6 such picks by 1.99 (worst 9.76), the other 77 by 0.20 (worst 8.70).
 * Labels that leave little to learn (30% flipped: the best loss is 88% of ln 2) end there too.
 * Around a headline, find-lr runs such a round again 3x as long (once, where no round ran longer
 * yet): on the bench's 5 tuning picks of this kind the longer runs picked the same LRs where they
 * could run (two had run 300 steps already), and on a deep tanh MLP they moved a 51.8-point miss to the best.
 */
export const BARELY_LEARNED = 0.8;

/**
 * The pick's loss is above BARELY_LEARNED of the way from the labels' floor (`floor`: soft labels'
 * entropy, `Baseline.floor`; else 0) to the baseline (no baseline or none above the floor: never).
 */
export function barelyLearned(loss: number | null, baseline: number | null, floor = 0): boolean {
  return loss !== null && baseline !== null && baseline > floor && baseline > 0 && loss - floor > BARELY_LEARNED * (baseline - floor);
}

/**
 * A run whose seeds disagree on whether it learned at all: some ended near the baseline (learned
 * nothing), others clearly below it — below SPLIT_LEARNED × the baseline, so that seeds on either
 * side of the near-baseline band's edge are no split (a user's tabular model: 0.333 and 0.332
 * against 0.351, where whole runs learned at both seeds). Their mean can still be the lowest loss:
 * a user's slow-starting LSTM picked 0.0889 from seeds at 0.691 (ln 2 = 0.693) and 3.7e-6, and whole
 * runs there learned on 1 seed of 4, where 0.01 learned on all 4. `null` unless the seeds split that
 * way (no baseline, one seed).
 */
export function splitSeeds(bySeed: readonly { readonly seed: number; readonly earlyValLoss: number | null; readonly diverged: boolean }[] | undefined, baseline: number | null): { readonly nothing: readonly { seed: number; loss: number }[]; readonly learned: readonly { seed: number; loss: number }[] } | null {
  if (bySeed === undefined || baseline === null || !(baseline > 0)) return null;
  const done = bySeed.filter((r) => !r.diverged && r.earlyValLoss !== null && Number.isFinite(r.earlyValLoss)).map((r) => ({ seed: r.seed, loss: r.earlyValLoss! }));
  const nothing = done.filter((r) => isNearBaseline(r.loss, baseline));
  const learned = done.filter((r) => r.loss < SPLIT_LEARNED * baseline);
  return nothing.length > 0 && learned.length > 0 ? { nothing, learned } : null;
}

/** `splitSeeds`: a seed "learned" below this share of the baseline, twice the near-baseline band (NEAR_BASELINE_FRACTION) from it. */
export const SPLIT_LEARNED = 1 - 2 * NEAR_BASELINE_FRACTION;

/** A run whose every seed finished clearly below the baseline (no baseline, or a non-positive one: every finished seed counts). */
export function learnedAtEverySeed(run: { readonly earlyValLoss: number | null; readonly diverged: boolean; readonly bySeed?: readonly { readonly earlyValLoss: number | null; readonly diverged: boolean }[] }, baseline: number | null): boolean {
  const learned = learnedAgainst(baseline);
  return finishedRun(run) && (run.bySeed ?? [run]).every((r) => finishedRun(r) && learned(r));
}

/** A coin-toss pick (`stepDownFromSplit`) with no run below it is decided by one more run this many times lower: the trials' own spacing. */
export const SPLIT_STEP_DOWN = 3;

/**
 * find-lr's pick whose seeds split (`splitSeeds`: some learned nothing, others learned) is a coin
 * toss over whole runs: where the run one candidate lower learned at every seed, that run is the
 * recommendation. Returns its index in `runs` (ascending LR); 'below' where the pick is the lowest
 * run (one more run, SPLIT_STEP_DOWN lower, decides: it is the pick if it learned at every seed);
 * `null` where the pick stands (its seeds agree, or the run below it split or learned nothing too).
 * On the advice bench two picks of 180 split: a count regression's 0.0752 (seed 2 at the mean's
 * loss; whole runs collapse to the mean above ~0.015 on some seeds) went from 313% to 120% over the
 * best MSE with 0.0251, which learned at both seeds; a GRU's run below split too, so its pick stands.
 * Both are held-out tasks: the rule comes from a user's LSTM (`splitSeeds`), and these confirm it.
 */
export function stepDownFromSplit(runs: readonly { readonly earlyValLoss: number | null; readonly diverged: boolean; readonly bySeed?: readonly { readonly seed: number; readonly earlyValLoss: number | null; readonly diverged: boolean }[] }[], pick: number, baseline: number | null): number | 'below' | null {
  if (splitSeeds(runs[pick]?.bySeed, baseline) === null) return null;
  if (pick === 0) return 'below';
  return learnedAtEverySeed(runs[pick - 1]!, baseline) ? pick - 1 : null;
}

/**
 * find-lr's short runs around a headline (findLr.ts `withTrials`, and the advice bench's mirror
 * `productRounds`): whether the round just run is followed by another, and why, given the outcomes
 * of the rounds before it (in order); `null`: this round decides. Each at most once, in this order:
 * the first round's runs all broke down (`brokeDown`, against `start`, the loss the model started
 * from) → the same factors LOWER_TRIALS lower; no run got clearly below the baseline (some finished,
 * none broke down) → the same LRs LONGER_TRIALS as long, and where those longer runs again got
 * nothing (`still learned nothing`) → the same factors LOWER_TRIALS lower at that length; the pick
 * (`bestTrial`) barely learned (`barelyLearned`) where no round ran longer yet → the same,
 * LONGER_TRIALS as long. Runs in ascending LR.
 */
export function nextTrialRound(
  runs: readonly { readonly earlyValLoss: number | null; readonly diverged: boolean; readonly earlyValAccuracy?: number | null }[],
  earlier: readonly TrialRoundOutcome[],
  baseline: number | null,
  start: number | null,
  validationSamples?: number,
  floor = 0,
): TrialRoundOutcome | null {
  // The pick find-lr makes (the same validation count: a one-sample lead moves neither).
  const pick = (): number | null => bestTrial(runs.map((r, i) => ({ label: String(i), earlyValLoss: r.earlyValLoss, earlyValAccuracy: r.earlyValAccuracy ?? null, diverged: r.diverged })), baseline, validationSamples).best;
  const learnedNothing = (): boolean => pick() === null && runs.some((r) => r.earlyValLoss !== null) && !brokeDown(runs, baseline, start);
  // Runs 3x as long learned nothing either, around a headline: the LRs, not the length, are what
  // fails (a range test's dip can be a passing one where whole runs saturate); lower ones next.
  if (earlier.length === 1 && earlier[0] === 'learned nothing') return learnedNothing() ? 'still learned nothing' : null;
  if (earlier.some((o) => o !== 'broke down')) return null;
  if (earlier.length === 0 && brokeDown(runs, baseline, start)) return 'broke down';
  const best = pick();
  if (best === null) return learnedNothing() ? 'learned nothing' : null;
  return barelyLearned(runs[best]!.earlyValLoss, baseline, floor) ? 'barely learned' : null;
}

/**
 * One candidate LR's short runs at several seeds, as one run: the mean early validation loss and
 * accuracy; diverged where any seed diverged (an LR that breaks down on one seed of two is no
 * pick); no loss where any seed has none (diverged, or cut short); no accuracy unless every seed
 * has one. A third of find-lr's picks at one seed were the seed's (the advice bench: a second seed
 * picked another LR on 28 of 84 tasks); two seeds' mean cut the regret of a fresh seed's pick from
 * 1.32 to 0.91 points on average, its worst from 20.7 to 10.5 (bench/README.md, "Two seeds").
 */
export function meanOverSeeds(runs: readonly { readonly earlyValLoss: number | null; readonly earlyValAccuracy: number | null; readonly diverged: boolean }[]): { earlyValLoss: number | null; earlyValAccuracy: number | null; diverged: boolean } {
  const diverged = runs.some((r) => r.diverged);
  const losses = runs.map((r) => r.earlyValLoss);
  const accuracies = runs.map((r) => r.earlyValAccuracy);
  const mean = (xs: readonly (number | null)[]): number | null => (runs.length === 0 || xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + x!, 0) / xs.length);
  return { earlyValLoss: diverged ? null : mean(losses), earlyValAccuracy: diverged ? null : mean(accuracies), diverged };
}

/** find-lr, around a headline: short runs that all learned nothing are repeated once this many times as long. */
export const LONGER_TRIALS = 3;
/** find-lr, around a headline: short runs that all broke down are followed once by the same factors this many times lower. */
export const LOWER_TRIALS = 9;
/**
 * A short run whose early validation loss ends above this many times the baseline (the loss of
 * knowing nothing) broke down: training made the model worse than predicting the chance level or
 * the mean. Of the 60 advice tasks only two had all three runs above 1.2x (at 1.69x and 4.9x).
 */
export const BROKE_DOWN = 1.5;

/**
 * Every run diverged or ended above BROKE_DOWN × the baseline and above `start`, the loss the model
 * started from (the range test's first losses; without a baseline: every run diverged). A run that
 * ended below where it started still learned: a regression whose labels sit far from 0 (mean 300,
 * σ 10) starts near 1,000× the loss of predicting the mean, and its 100-step runs at good LRs
 * ended at 2–5× that baseline on their way down; read as broken down, they sent the runs 9x lower.
 */
export function brokeDown(runs: readonly { readonly earlyValLoss: number | null; readonly diverged: boolean }[], baseline: number | null, start: number | null = null): boolean {
  return runs.length > 0 && runs.every((r) => r.diverged || (r.earlyValLoss !== null && baseline !== null && baseline > 0 && r.earlyValLoss > BROKE_DOWN * baseline && (start === null || !(r.earlyValLoss < start))));
}

/** Runs "below" the LRs that broke down: under this share of the lowest of them (0.143 and 0.144 are one LR printed twice). */
export const UNDER_BREAKDOWN = 0.9;

/**
 * Where short runs at and around the headline broke down and the rounds after them named no LR, the
 * run to recommend instead of the headline they broke down at: of the runs under the lowest LR that
 * broke down (`UNDER_BREAKDOWN`), the one that ended lowest, clearly below the baseline (out of its
 * near-baseline band), from the latest round that has one (runs of another length are not compared).
 * `null` where no round broke down, the headline is under where they did, or no run below ended
 * clearly below the baseline. A user's wide MLP on
 * 300 noisy samples: runs at 0.144–1.29 broke down, 9x lower 0.016 ended at 0.651 against ln 2 (then
 * lost it over 300 steps), and the recommendation stayed the range tests' 0.431 (whole runs there:
 * 3.2–3.6, five times the chance level; 0.014 gave 0.613).
 */
export function underBreakdown<R extends { readonly maxLr: number; readonly earlyValLoss: number | null; readonly diverged: boolean }>(
  rounds: readonly { readonly outcome: TrialRoundOutcome | null; readonly runs: readonly R[] }[],
  headline: number,
  baseline: number | null,
): R | null {
  const broke = rounds.filter((r) => r.outcome === 'broke down').flatMap((r) => r.runs.map((x) => x.maxLr));
  if (baseline === null || broke.length === 0) return null;
  const ceiling = UNDER_BREAKDOWN * Math.min(...broke);
  if (headline < ceiling) return null;
  for (const round of [...rounds].reverse()) {
    if (round.outcome === 'broke down') continue;
    const learned = round.runs.filter((x) => !x.diverged && x.maxLr < ceiling && x.earlyValLoss !== null && x.earlyValLoss < (1 - NEAR_BASELINE_FRACTION) * baseline);
    if (learned.length > 0) return learned.reduce((a, b) => (b.earlyValLoss! < a.earlyValLoss! ? b : a));
  }
  return null;
}

/**
 * Where no short run learned and the range tests' headline stands, it stays under every LR a short
 * run diverged at (at any seed, in any round): the highest run below the lowest of those that
 * diverged at no seed, else a third of that lowest. `null` where no run diverged at or below the
 * headline. A regression with labels at ~1,000 (not standardized) read 0.0156 from its range tests;
 * its 100-step run there diverged at seed 1, and whole runs there went to NaN in the second epoch,
 * while 0.00521, the run below, trained (at the baseline, with its outputs still far off).
 */
export function belowDivergence(headline: number, runs: readonly { readonly maxLr: number; readonly diverged: boolean }[]): { readonly maxLr: number; readonly divergedAt: number; readonly ran: boolean } | null {
  const diverged = runs.filter((r) => r.diverged).map((r) => r.maxLr);
  if (diverged.length === 0) return null;
  const lowest = Math.min(...diverged);
  if (headline < UNDER_BREAKDOWN * lowest) return null;
  const safe = runs.filter((r) => !r.diverged && r.maxLr < UNDER_BREAKDOWN * lowest).map((r) => r.maxLr);
  return { maxLr: safe.length > 0 ? Math.max(...safe) : lowest / 3, divergedAt: lowest, ran: safe.length > 0 };
}

/** A trial pick within this factor of the range tests' blow-up edge is backed off (`backOffFromEdge`): half a step of the trials' 3x. */
export const EDGE_BACK_OFF = Math.sqrt(3);

/**
 * find-lr's short runs pick an LR; where that LR is within EDGE_BACK_OFF of the range tests'
 * blow-up edge (where the loss climbed back above its start: `blowUpEdge`), the recommendation is
 * the geometric middle of it and the next lower run's LR instead; `null`: no back-off. A 100-step
 * run at the edge can win and whole runs there still break down: on the advice bench a Fashion-MNIST
 * CNN's runs picked 0.201 at its edge, where one of three 3-epoch 1cycle runs at 0.237 ended at
 * chance (regret 10.05 points; backed off: 0.25). Of the 49 tasks it moves 4 picks: 10.05 -> 0.25,
 * 1.57 -> 0.00, 0.91 -> 0.05 and 0.32 -> 2.72; median regret 0.28 -> 0.21 (bench/README.md, "Round 11").
 */
export function backOffFromEdge(picked: number, lower: number | null, edge: number | null): number | null {
  if (edge === null || lower === null || !(lower < picked) || picked * EDGE_BACK_OFF < edge) return null;
  return printedLr(Math.sqrt(picked * lower));
}

/**
 * The recipe's max LR when its batch-size study moves to another size (larger batches allow larger
 * LRs). Where find-lr's short runs chose the current LR (`byTrials`), it moves by the ratio of the
 * two sizes' range tests in the study, which keeps the runs' correction of the range test (they
 * moved a 256-unit MLP's 1.29 to 0.431); else, or without both range tests, it is the new size's
 * own range test. Either way it moves no further than the batch sizes' ratio, the linear scaling
 * rule's most (`bounded`: the factor it moved by instead; `null` where it was within): a user's Adam
 * regression went from batch 64 to 128 and its range tests' ratio, 12, took the max LR from 0.255 to
 * 3.1, where the confirming run broke down (and 3x lower too), while 0.344 trained 12% better.
 */
export function lrForBatchSize(current: number, byTrials: boolean, sameSizeLr: number | null, newSizeLr: number, sizes: { readonly from: number; readonly to: number }): { maxLr: number; ratio: number | null; bounded: number | null } {
  const ratio = byTrials && sameSizeLr !== null && sameSizeLr > 0 && Number.isFinite(sameSizeLr) ? newSizeLr / sameSizeLr : null;
  const wanted = ratio === null ? newSizeLr : current * ratio;
  const scale = sizes.to / sizes.from;
  const maxLr = Math.min(current * Math.max(1, scale), Math.max(current * Math.min(1, scale), wanted));
  return { maxLr, ratio, bounded: maxLr === wanted ? null : maxLr / current };
}

/** A weight decay as people write it (one rule, in src/protocol/format.ts). */
export { formatWeightDecay } from '../protocol/format';

/**
 * Refining a weight-decay grid (method.md §5): bisect the exponent between the best value and its
 * neighbours in the grid (1e-3 best of 1e-2/1e-3/1e-4 → 10^-2.5 and 10^-3.5); at an end of the
 * grid, half a decade beyond it. Two significant figures; values already tested are left out.
 * When 0 wins there is no exponent to bisect: nothing to add.
 */
export function refineWeightDecay(tested: readonly number[], best: number): number[] {
  if (!(best > 0)) return [];
  const e = Math.log10(best);
  const above = tested.filter((v) => v > best).reduce<number | null>((a, v) => (a === null || v < a ? v : a), null);
  const below = tested.filter((v) => v > 0 && v < best).reduce<number | null>((a, v) => (a === null || v > a ? v : a), null);
  const candidates = [
    above === null ? e + 0.5 : (e + Math.log10(above)) / 2,
    below === null ? e - 0.5 : (e + Math.log10(below)) / 2,
  ].map((x) => Number((10 ** x).toPrecision(2)));
  return candidates.filter((v, i) => v < 1 && candidates.indexOf(v) === i && !tested.some((t) => Math.abs(t - v) <= 1e-6 * v));
}

/**
 * What a study's ranking is worth when its runs did worse than knowing nothing: every candidate
 * ended above the baseline (more than NEAR_BASELINE_FRACTION over it), so the pick is the least bad
 * of runs that learned nothing that generalizes (three batch sizes ending 2.5–2.8x the chance level,
 * each having been at 0.8x of it mid-run, ranked without a word). `null` when one did better, or
 * without a baseline. `lowest`, where known, is a run's lowest validation loss along the way.
 */
export function allAboveBaseline(runs: readonly { readonly label: string; readonly final: number | null; readonly lowest?: number | null }[], baseline: number | null, what: 'size' | 'run'): string | null {
  const finished = runs.filter((r) => r.final !== null && Number.isFinite(r.final));
  if (baseline === null || !(baseline > 0) || finished.length === 0) return null;
  if (!finished.every((r) => r.final! > (1 + NEAR_BASELINE_FRACTION) * baseline)) return null;
  const dipped = finished.filter((r) => r.lowest !== undefined && r.lowest !== null && r.lowest < baseline);
  const along = dipped.length === 0 ? '' : ` On the way, ${dipped.map((r) => `${r.label} was at ${formatLoss(r.lowest)}`).join(', ')}: they learned, then got worse (overfitting, or a max LR too high for whole runs).`;
  return `Every ${what} ended above the baseline (${formatLoss(baseline)}; ${finished.map((r) => `${r.label} ${formatLoss(r.final)}`).join(', ')}): ${LEAST_BAD_OF_FAILURES}.${along} Fix that first — lrlab train at one setting shows its verdict — then compare again.`;
}

/** The words of `allAboveBaseline`'s warning that the recipe looks for in a study's warnings (to show it beside the step that says "see the warning"). */
export const LEAST_BAD_OF_FAILURES = 'none predicts better than knowing nothing, so the pick is the least bad of failures';

/**
 * A study's pick where `allAboveBaseline` found every candidate above the baseline: the reason says
 * it is the least bad of failures, since the recipe's step line and the CLI show the reason alone
 * ("cyclical 0.95→0.85: lowest early validation loss (3.02)" stood as a pick beside a chance level
 * of 0.709, the failure only in a warning).
 */
export function leastBadOfFailures(reason: string, baseline: number, what: 'size' | 'run'): string {
  return `${reason.replace(/\.$/, '')} — the least bad of ${what}s that all ended above the baseline (${formatLoss(baseline)}): none learned what generalizes; see the warning.`;
}

/**
 * The note for runs that ended above the baseline while others did not: at the setting they ran
 * with, they broke down (a momentum study's 0.99 sat at 8.22 against ln 2 from step 149 on, at 49%
 * accuracy, and the table showed only its loss). `null` where none did, or where every run did
 * (`allAboveBaseline` says that).
 */
export function someAboveBaseline(runs: readonly { readonly label: string; readonly final: number | null; readonly trained?: number | null }[], baseline: number | null, picked: number | null = null): string | null {
  const finished = runs.filter((r) => r.final !== null && Number.isFinite(r.final));
  if (baseline === null || !(baseline > 0) || finished.length === 0) return null;
  const aboveAll = finished.filter((r) => r.final! > (1 + NEAR_BASELINE_FRACTION) * baseline);
  if (aboveAll.length === 0 || aboveAll.length === finished.length) return null;
  // Not the pick (a tie can pick a run just past the band): the note names the failures beside it.
  const above = aboveAll.filter((r) => picked === null || r !== runs[picked]);
  if (above.length === 0) return null;
  // Far below the baseline on training data while above it on validation: they overfit, they did not break
  // down (a user's wd 0 and 1e-4 runs on 120 samples read "broke down", which weight decay is there to fix).
  const overfit = (r: (typeof above)[number]): boolean => typeof r.trained === 'number' && Number.isFinite(r.trained) && r.trained < OVERFIT_TRAIN_SHARE * baseline;
  const listed = (rs: readonly (typeof above)[number][]): string => rs.map((r) => `${r.label} (${formatLoss(r.final)}${overfit(r) ? `; training ${formatLoss(r.trained)}` : ''})`).join(', ');
  const fit = above.filter(overfit);
  const broke = above.filter((r) => !overfit(r));
  const parts = [
    ...(broke.length === 0 ? [] : [`${listed(broke)} ended above the baseline (${formatLoss(baseline)}): worse than knowing nothing — with ${broke.length === 1 ? 'its setting it' : 'their settings they'} broke down.`]),
    ...(fit.length === 0 ? [] : [`${listed(fit)} ended above the baseline (${formatLoss(baseline)}) on validation while far below it on training: ${fit.length === 1 ? 'it' : 'they'} overfit, which more regularization (weight decay, dropout) or fewer steps fixes.`]),
  ];
  return parts.join(' ');
}

/** A run whose training loss ended under this share of the baseline learned its training data (`someAboveBaseline`: overfit, not broken down). */
const OVERFIT_TRAIN_SHARE = 0.5;

export interface BatchSizeFacts {
  readonly batchSize: number;
  readonly ok: boolean;
  /** When the run reached the target for good (`targetReached`), in seconds of its training. */
  readonly timeToTarget: number | null;
  /**
   * The validation pass before that, when the target was not yet held (0 when the first pass held
   * it): the run got there somewhere in between. Absent: known exactly.
   */
  readonly notYetAt?: number;
  readonly finalValLoss: number | null;
  /** The last validation pass's accuracy, where the model reports one. */
  readonly finalValAccuracy?: number | null;
}

/**
 * When a run reached a target for good: the first validation pass from which every later pass
 * meets it, and the pass before (0 for the first). A run that met it once and fell back (a
 * 300-sample validation set's accuracy wobbles by a point or more) has not reached it there; one
 * that does not meet it at its last pass has not reached it at all.
 */
export function targetReached(passes: readonly { readonly seconds: number; readonly meets: boolean }[]): { seconds: number; notYetAt: number } | null {
  let k = passes.length;
  while (k > 0 && passes[k - 1]!.meets) k--;
  if (k === passes.length) return null;
  return { seconds: passes[k]!.seconds, notYetAt: k === 0 ? 0 : passes[k - 1]!.seconds };
}

/** Sizes whose training times differ by more than this share (the shortest under it times the longest) trained unequal times. */
export const UNEQUAL_TIMES = 0.85;

/**
 * Batch size by wall-clock time (method.md §6): with a target, the size that reaches it soonest;
 * without one, the lowest validation loss at the end of the same budget. Where the soonest cannot
 * be told from another — that one's previous validation pass came before the soonest reached the
 * target, so it may have got there first — and within LOSS_TIE without a target, the larger batch
 * wins (it allows larger LRs and uses the hardware better: "as large as memory allows, checked by
 * wall time to a target").
 */
export function bestBatchSize(runs: readonly BatchSizeFacts[], hasTarget: boolean, trainedFor: { readonly min: number; readonly max: number } | null = null, validationSamples?: number, baseline: number | null = null): Decision {
  // Sizes whose start-up and range test took unequal shares of the budget trained unequal times: the
  // ranking stands (each ended its own cycle), but it is not "the equal-time budget" (a user's study
  // starred a size beside "The sizes trained for unequal times (3.1 s to 8.2 s)").
  const budget = trainedFor === null || trainedFor.min >= UNEQUAL_TIMES * trainedFor.max ? 'the equal-time budget' : `its share of the budget (the sizes trained unequal times, ${formatSeconds(trainedFor.min)} to ${formatSeconds(trainedFor.max)})`;
  const ok = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.ok);
  if (ok.length === 0) return { best: null, tie: false, reason: 'No batch size completed its run.' };
  if (hasTarget) {
    const reached = ok.filter(({ r }) => r.timeToTarget !== null);
    if (reached.length > 0) {
      const soonest = reached.reduce((a, b) => (b.r.timeToTarget! < a.r.timeToTarget! ? b : a));
      const tied = reached.filter((x) => x === soonest || (x.r.notYetAt ?? x.r.timeToTarget!) < soonest.r.timeToTarget!);
      const pick = tied.reduce((a, b) => (b.r.batchSize > a.r.batchSize ? b : a));
      if (pick === soonest) {
        return { best: pick.i, tie: tied.length > 1, reason: `batch ${pick.r.batchSize} reaches the target first, in ${formatSeconds(pick.r.timeToTarget)}.` };
      }
      return {
        best: pick.i,
        tie: true,
        reason: `batch ${pick.r.batchSize} reaches the target in ${formatSeconds(pick.r.timeToTarget)}, as soon as batch ${soonest.r.batchSize} (${formatSeconds(soonest.r.timeToTarget)}) as far as its validation passes tell (${pick.r.notYetAt === 0 ? 'its first one already held it' : `the one before, at ${formatSeconds(pick.r.notYetAt)}, had not`}), and is larger.`,
      };
    }
  }
  const finite = ok.filter(({ r }) => r.finalValLoss !== null && Number.isFinite(r.finalValLoss));
  if (finite.length === 0) return { best: null, tie: false, reason: 'No batch size ended with a finite validation loss.' };
  const lowest = finite.reduce((a, b) => (b.r.finalValLoss! < a.r.finalValLoss! ? b : a));
  const scale = Math.max(Math.abs(lowest.r.finalValLoss!), LOSS_FLOOR);
  // Within LOSS_TIE, or by less than a material change against the baseline, as the short-run studies tie
  // (a user's sizes ended at 2.75e-6, 5.85e-6, 7.74e-6 and 1.83e-5 against 4.79, and one was "the lowest").
  const { immaterial, within, onlyImmaterially } = lossTieBand(lowest.r.finalValLoss!, scale, baseline);
  const tied = finite.filter(({ r }) => within(r.finalValLoss!));
  const byMaterial = tied.some(({ r }) => onlyImmaterially(r.finalValLoss!));
  const pick = tied.reduce((a, b) => (b.r.batchSize > a.r.batchSize ? b : a));
  const prefix = hasTarget ? 'no size reached the target; ' : '';
  // As find-lr's trials (accuracyLeadBar: a point, and over ACCURACY_LEAD_ERRORS standard errors on the
  // validation samples): a size that much more accurate, at a loss within ACCURACY_LEAD_LOSS_RATIO of the
  // pick's, is the pick — the loss weighs confidence as well as correctness.
  const accuracy = (r: BatchSizeFacts): number | null => (typeof r.finalValAccuracy === 'number' && Number.isFinite(r.finalValAccuracy) ? r.finalValAccuracy : null);
  const own = accuracy(pick.r);
  const ownLoss = pick.r.finalValLoss!;
  // bestTrial's bound and guard: within the loss ratio, and a lead of exactly a point does not pass on rounding.
  const bar = accuracyLeadBar(validationSamples, own);
  const leads = own === null ? [] : finite.filter(({ r }) => accuracy(r) !== null && accuracy(r)! - own > bar + 1e-9 && (!(ownLoss > 0) || r.finalValLoss! <= ACCURACY_LEAD_LOSS_RATIO * ownLoss));
  if (leads.length > 0) {
    const lead = leads.reduce((a, b) => (accuracy(b.r)! > accuracy(a.r)! || (accuracy(b.r) === accuracy(a.r) && b.r.batchSize > a.r.batchSize) ? b : a));
    const lossPick = pick === lowest ? 'the lowest validation loss' : `as low as batch ${lowest.r.batchSize}'s and larger`;
    return {
      best: lead.i,
      tie: false,
      reason: `${prefix}batch ${lead.r.batchSize} ends ${budget} more accurate than batch ${pick.r.batchSize}, the loss rule's pick (${lossPick}): ${formatPercent(accuracy(lead.r))} vs ${formatPercent(own)}, at a loss within ${ACCURACY_LEAD_LOSS_RATIO}x (${formatLosses([lead.r.finalValLoss, ownLoss]).join(' vs ')}).`,
    };
  }
  return {
    best: pick.i,
    tie: tied.length > 1,
    reason: pick === lowest
      ? `${prefix}batch ${pick.r.batchSize} ends ${budget} with the lowest validation loss (${formatLoss(pick.r.finalValLoss)})${tied.length > 1 ? `; ${tied.filter((t) => t !== pick).map((t) => `batch ${t.r.batchSize} (${formatLoss(t.r.finalValLoss)})`).join(', ')} ${byMaterial ? `under ${formatLoss(immaterial)} above it (0.1% of the baseline): as good, and it is the largest` : 'as low, and it is the largest'}` : ''}.`
      : `${prefix}batch ${pick.r.batchSize} ends as low as batch ${lowest.r.batchSize} (${formatLosses([pick.r.finalValLoss, lowest.r.finalValLoss]).join(' vs ')}${byMaterial ? `: under ${formatLoss(immaterial)} apart, 0.1% of the baseline` : ''}) and is larger.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Wall-clock planning (the batch-size study's equal time and the recipe's --budget)

/**
 * Seconds per training step from timestamps of a run (`seconds` since its start at `step`): the
 * median of the per-step times between consecutive points. The first step of a process carries
 * the backend's warm-up (kernel compilation: ~2–3 s on wasm, 30+ steps' worth), so a plain
 * `total time / steps` overstates the cost of every later step; the median ignores it.
 * `null` with fewer than 3 points.
 */
export function medianStepSeconds(points: readonly { readonly step: number; readonly seconds: number }[]): number | null {
  const rates: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const steps = points[i]!.step - points[i - 1]!.step;
    const seconds = points[i]!.seconds - points[i - 1]!.seconds;
    if (steps > 0 && seconds >= 0) rates.push(seconds / steps);
  }
  if (rates.length < 2) return null;
  rates.sort((a, b) => a - b);
  const mid = rates.length >> 1;
  return rates.length % 2 === 1 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
}

export type RecipePlanStepName = 'batch-size' | 'momentum' | 'weight-decay' | 'train';

/**
 * How the recipe shares what is left of its budget after the range test (method.md §7). The
 * confirming run gets the largest part: it is the result; the studies only need to rank values.
 */
export const RECIPE_SHARES: Readonly<Record<RecipePlanStepName, number>> = { 'batch-size': 0.25, momentum: 0.15, 'weight-decay': 0.15, train: 0.45 };
/** Below this many seconds for its share, the batch-size study cannot give each size a real run. */
export const MIN_BATCH_SIZE_SECONDS = 30;
/**
 * What each size of the batch-size study pays before its timed run: a process start, tfjs and the
 * data loaded again, the backend's warm-up, and its own range test (measured 4–7 s on MNIST, wasm).
 */
export const CHILD_RUN_SECONDS = 6;
/** Fewest seconds of training per batch size worth comparing. */
export const MIN_SECONDS_PER_SIZE = 3;
/** Fewest iterations a short run is worth; shorter ones only measure noise. */
export const MIN_SHORT_RUN_STEPS = 50;
/** Short runs never go past this (method.md §4–5: "a few hundred iterations"). */
export const MAX_SHORT_RUN_STEPS = 300;
/** The confirming run never plans more epochs than this (tiny models would otherwise plan thousands). */
export const MAX_RECIPE_EPOCHS = 100;
/** Evaluations of the validation set per short run (its early validation loss is the mean of the last few). */
export const SHORT_RUN_EVALUATIONS = 10;
/**
 * Margin on measured step and evaluation times: model builds, garbage collection, progress and
 * streaming add 5–10% to a loop of bare steps (measured on MNIST, wasm). A plan that comes out
 * short leaves time unused; one that comes out long stops the confirming run before its cycle ends.
 */
export const PLAN_MARGIN = 1.1;

export interface RecipePlanInput {
  /** Budget left, seconds. */
  readonly remainingSeconds: number;
  /** Seconds per training step at the current batch size, warm (see `medianStepSeconds`). */
  readonly stepSeconds: number;
  /** Seconds for one evaluation of the validation set. */
  readonly evalSeconds: number;
  readonly stepsPerEpoch: number;
  /** The steps still to run, in order. */
  readonly todo: readonly RecipePlanStepName[];
  readonly batchSizes: number;
  readonly momentumRuns: number;
  readonly weightDecayRuns: number;
  /**
   * Seconds the recipe's own start took to load the model file and its data: each size of the
   * batch-size study loads them again in its own engine, so a slow `loadData` raises what a size
   * pays before its timed run above `CHILD_RUN_SECONDS` (a 25 s loadData left sizes given 12 s each
   * nothing but "ran out before its range test began").
   */
  readonly loadSeconds?: number;
}

/** What each size of the batch-size study pays before its timed run, with `loadSeconds` measured. */
export function childRunSeconds(loadSeconds = 0): number {
  return Math.max(CHILD_RUN_SECONDS, loadSeconds + CHILD_START_SECONDS);
}

/** A child engine's own start-up beside its loadData (Node, tfjs and the backend, the bundle from the cache). */
const CHILD_START_SECONDS = 2;

export interface PlannedStep {
  readonly name: RecipePlanStepName;
  /** Why the step is skipped (`null`: it runs). */
  readonly skipped: string | null;
  /** Planned wall time. */
  readonly seconds: number;
  /** Short runs: iterations per run. */
  readonly steps?: number;
  /** Batch-size study: timed training per size. */
  readonly secondsPerSize?: number;
  /** Confirming run. */
  readonly epochs?: number;
}

export interface RecipePlan {
  readonly steps: readonly PlannedStep[];
  readonly estimatedSeconds: number;
}

/**
 * Shares the remaining budget among the steps still to do (RECIPE_SHARES, renormalized). A step
 * whose share is too short to be worth running is skipped and its share goes to the others; a
 * short-run study capped at MAX_SHORT_RUN_STEPS leaves its unused time to the confirming run, and
 * what the confirming run (capped at MAX_RECIPE_EPOCHS) leaves too, to a skipped batch-size study.
 * The confirming run always runs (at least one epoch; the engine stops it at the budget).
 */
export function planRecipe(input: RecipePlanInput): RecipePlan {
  // What the batch-size study needs to give every size a real run (its skip reason and the spare time's test).
  const child = childRunSeconds(input.loadSeconds);
  const batchNeed = Math.max(MIN_BATCH_SIZE_SECONDS, Math.max(1, input.batchSizes) * (child + MIN_SECONDS_PER_SIZE));
  const slowLoad = child > CHILD_RUN_SECONDS ? `; each size's engine loads the data again (${formatSeconds(input.loadSeconds ?? 0)} here)` : '';
  const remaining = Math.max(0, input.remainingSeconds);
  const step = Math.max(input.stepSeconds, 1e-6);
  const evaluation = Math.max(input.evalSeconds, 0);
  const runsOf = (name: 'momentum' | 'weight-decay'): number => Math.max(1, name === 'momentum' ? input.momentumRuns : input.weightDecayRuns);
  /** Iterations per run that fit `seconds` for the whole study. */
  const shortSteps = (name: 'momentum' | 'weight-decay', seconds: number): number => Math.max(0, Math.floor((seconds / (runsOf(name) * PLAN_MARGIN) - SHORT_RUN_EVALUATIONS * evaluation) / step));
  const shortSeconds = (name: 'momentum' | 'weight-decay', steps: number): number => runsOf(name) * (steps * step + SHORT_RUN_EVALUATIONS * evaluation) * PLAN_MARGIN;
  const skipped = new Map<RecipePlanStepName, string>();
  for (;;) {
    const active = input.todo.filter((name) => !skipped.has(name));
    const total = active.reduce((sum, name) => sum + RECIPE_SHARES[name], 0);
    const share = (name: RecipePlanStepName): number => (total > 0 ? (remaining * RECIPE_SHARES[name]) / total : 0);
    let changed = false;
    // One skip at a time: its share goes to the others, which may then fit.
    for (const name of active) {
      const seconds = share(name);
      if (name === 'batch-size') {
        const perSize = seconds / Math.max(1, input.batchSizes) - child;
        if (seconds < MIN_BATCH_SIZE_SECONDS || perSize < MIN_SECONDS_PER_SIZE) {
          // Rounded down: a share of 29.6 s must not read "30 s … (needs 30 s)".
          skipped.set(name, `its share of the budget (${formatSeconds(Math.floor(seconds))}) is too short to give ${input.batchSizes} sizes a real run (needs ${formatSeconds(batchNeed)}${slowLoad})`);
          changed = true;
          break;
        }
      } else if (name === 'momentum' || name === 'weight-decay') {
        const steps = shortSteps(name, seconds);
        if (steps < MIN_SHORT_RUN_STEPS) {
          skipped.set(name, `only ${steps} iterations per run fit its share of the budget (need ${MIN_SHORT_RUN_STEPS})`);
          changed = true;
          break;
        }
      }
    }
    if (changed) continue;
    const steps: PlannedStep[] = [];
    let used = 0;
    for (const name of input.todo) {
      const reason = skipped.get(name);
      if (reason !== undefined) {
        steps.push({ name, skipped: reason, seconds: 0 });
      } else if (name === 'batch-size') {
        const seconds = share(name);
        steps.push({ name, skipped: null, seconds, secondsPerSize: seconds / Math.max(1, input.batchSizes) - child });
        used += seconds;
      } else if (name === 'momentum' || name === 'weight-decay') {
        const n = Math.min(MAX_SHORT_RUN_STEPS, shortSteps(name, share(name)));
        const seconds = shortSeconds(name, n);
        steps.push({ name, skipped: null, seconds, steps: n });
        used += seconds;
      }
    }
    const trainIndex = input.todo.indexOf('train');
    if (trainIndex >= 0) {
      const epochSeconds = (Math.max(1, input.stepsPerEpoch) * step + evaluation) * PLAN_MARGIN;
      const epochs = Math.min(MAX_RECIPE_EPOCHS, Math.max(1, Math.floor((remaining - used) / epochSeconds)));
      const seconds = epochs * epochSeconds;
      steps.splice(trainIndex, 0, { name: 'train', skipped: null, seconds, epochs });
      used += seconds;
    }
    // A batch-size study skipped for its share alone runs on the time the capped steps leave
    // unused (short runs at MAX_SHORT_RUN_STEPS, the confirming run at MAX_RECIPE_EPOCHS: a small
    // model under --budget 2m used 40 s and skipped the study "for too short a share"), when that
    // time gives every size a real run: the least that does, so the plan stays within the budget.
    const batchIndex = steps.findIndex((p) => p.name === 'batch-size' && p.skipped !== null);
    if (batchIndex >= 0 && remaining - used >= batchNeed) {
      steps[batchIndex] = { name: 'batch-size', skipped: null, seconds: batchNeed, secondsPerSize: batchNeed / Math.max(1, input.batchSizes) - child };
      used += batchNeed;
    }
    return { steps, estimatedSeconds: used };
  }
}

/** A confirming run that broke down at its max LR: the recommendation comes down by this factor (find-lr's short runs are a third apart). */
export const LOWER_AFTER_BREAKDOWN = 3;

/**
 * The recipe's LR after its confirming 1cycle run: kept where the run held, lowered
 * `LOWER_AFTER_BREAKDOWN`x where the run's own course says the max LR was too high (it diverged,
 * turned unstable, blew up or collapsed: diagnosis `lrTooHigh`) — an LR whose whole run broke
 * down is no recommendation, though no run of the recipe confirms the lower one (the warning says so).
 */
export function lrAfterConfirmingRun(lr: { readonly maxLr: number; readonly minLr: number }, brokeDownAtMax: boolean): { maxLr: number; minLr: number; lowered: boolean } {
  if (!brokeDownAtMax) return { ...lr, lowered: false };
  return { maxLr: lr.maxLr / LOWER_AFTER_BREAKDOWN, minLr: lr.minLr / LOWER_AFTER_BREAKDOWN, lowered: true };
}

/**
 * The end of a confirming 1cycle run, to compare it with another: its max LR, its last validation
 * loss (`null` where it was not finite, or the run stopped on a NaN/Inf), its last validation
 * accuracy where the model reports one, and whether its own course broke down (diagnosis `breakdownOf`).
 */
export interface ConfirmingRunEnd {
  readonly maxLr: number;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly brokeDown: boolean;
}

/**
 * After a confirming run that broke down at its max LR, the recipe (time allowing) runs the same
 * 1cycle `LOWER_AFTER_BREAKDOWN`x lower and keeps the LR whose run ended better: the lower one,
 * unless the broken-down run ended clearly better — by more than ACCURACY_LEAD of validation
 * accuracy where both runs report one (accuracy alone decides then, within the loss bound
 * ACCURACY_LEAD_LOSS_RATIO of find-lr's accuracy lead), else by more than LOSS_TIE of validation
 * loss (relative to the lower run's, by its size). A tie goes to the
 * lower LR, whose run held. A blind cut cost a user's noisy Adam regression 9% of validation MSE
 * (4 seeds): its run at the max LR spiked mid-run ("unstable mid-run") and ended the best of any LR;
 * a CNN at 10x its LR also came back down, to twice the loss of a run 3x lower — one run cannot tell
 * the two apart, a second one can. One comparison is one seed: a user's runs ended 3.8% apart where
 * four seeds put the lower LR 3% ahead, so a margin near LOSS_TIE is a coin toss either way.
 */
export function keepAfterLowerRun(high: ConfirmingRunEnd, low: ConfirmingRunEnd): { readonly keep: 'high' | 'low'; readonly reason: string } {
  const [atHigh, atLow] = [`at ${formatLr(high.maxLr)}`, `at ${formatLr(low.maxLr)}`];
  if (high.valLoss === null) return { keep: 'low', reason: low.valLoss === null ? 'neither run ended with a finite validation loss' : `the run ${atHigh} ended without a finite validation loss, the one ${atLow} at ${formatLoss(low.valLoss)}` };
  if (low.valLoss === null) return { keep: 'high', reason: `the run ${atLow} ended without a finite validation loss, the one ${atHigh} at ${formatLoss(high.valLoss)}` };
  const bothBrokeDown = low.brokeDown ? '; both broke down' : '';
  const safer = `, and the lower LR is the safer one${bothBrokeDown}`;
  const lossText = `validation loss ${formatLoss(high.valLoss)} ${atHigh} against ${formatLoss(low.valLoss)} ${atLow}`;
  if (high.valAccuracy !== null && low.valAccuracy !== null && Number.isFinite(high.valAccuracy) && Number.isFinite(low.valAccuracy)) {
    const lead = high.valAccuracy - low.valAccuracy;
    const versus = `validation accuracy ${formatPercent(high.valAccuracy)} ${atHigh} against ${formatPercent(low.valAccuracy)} ${atLow}`;
    const point = `${ACCURACY_LEAD * 100} point${ACCURACY_LEAD * 100 === 1 ? '' : 's'}`;
    // Accuracies are counts over the validation split: a lead of exactly a point must not pass on rounding.
    if (lead > ACCURACY_LEAD + 1e-9) {
      // The loss bound only where the ratio means something (a positive loss), as in bestTrial.
      if (!(low.valLoss > 0) || high.valLoss <= ACCURACY_LEAD_LOSS_RATIO * low.valLoss) return { keep: 'high', reason: `${versus}: over ${point} more of the labels right${bothBrokeDown}` };
      return { keep: 'low', reason: `${versus}, but ${lossText}: over ${ACCURACY_LEAD_LOSS_RATIO}x, a lead too costly to trust${safer}` };
    }
    return { keep: 'low', reason: `${versus}: ${lead < -ACCURACY_LEAD - 1e-9 ? `${(-lead * 100).toFixed(1)} points worse${bothBrokeDown}` : `within ${point}${safer}`}` };
  }
  // Relative to the lower run's loss, by its size (a loss can be negative: cosine proximity).
  const gain = (low.valLoss - high.valLoss) / Math.max(Math.abs(low.valLoss), Number.MIN_VALUE);
  if (gain > LOSS_TIE) return { keep: 'high', reason: `${lossText}: ${pct(gain)} lower${bothBrokeDown}` };
  return { keep: 'low', reason: `${lossText}: ${-gain > LOSS_TIE ? `${pct(-gain)} higher${bothBrokeDown}` : `within ${LOSS_TIE * 100}%${safer}`}` };
}

/**
 * The recipe's batch-size study is read only where its best size ended no worse than this many times
 * find-lr's short run at the LR it picked (after 100 steps): a whole run of a size, longer, that ends
 * worse than that broke down at its range test's LR, and a ranking of breakdowns picks no batch size.
 */
export const STUDY_BROKE_DOWN = 1.5;

/**
 * Whether the batch-size study's best size (`final`: its last validation loss) ended over
 * STUDY_BROKE_DOWN times worse than find-lr's short run at its pick (`shortRun`: its early validation
 * loss): its sizes broke down at their range tests' LRs. A user's 100-class model's sizes ended 3.4–9.02 at
 * 0.126–0.147 against 0.563 after the short runs' 100 steps at 0.0318, and the recipe picked the least
 * bad size without a word. Not for losses at or below zero (no multiple of them means "worse").
 */
export function endedWorseThanShortRun(final: number | null, shortRun: number | null): boolean {
  return final !== null && shortRun !== null && Number.isFinite(final) && shortRun > 0 && final > STUDY_BROKE_DOWN * shortRun;
}
