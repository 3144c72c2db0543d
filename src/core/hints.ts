/**
 * What a range test's curve says to do next, as a decision table that names each case
 * (method.md, "Know the baseline"). The cases, in order:
 *
 * | case | when | advice | blocks suggestions |
 * |---|---|---|---|
 * | `nan-at-start` | NaN/Inf from the first step | check data and loss; lower --start-lr | (no curve) |
 * | `diverges-at-once` | diverged in the first fifth of the steps | lower --start-lr | (no curve) |
 * | `not-learned` | the fitted loss never clearly below the baseline | more --steps, a higher --end-lr, check data and labels — *not* a lower --start-lr | yes |
 * | `learning-at-start` | already below the baseline at the first points (flat curve), or falling steeply from the first points on | lower --start-lr | when flat |
 * | `too-noisy` | batch-to-batch scatter as large as the fall | raise --batch-size or --steps | when flat |
 * | `plateau` | fell, then flat up to --end-lr without turning up | raise --end-lr to find the edge | no |
 * | `flat` | flat, no baseline known to tell which of the above | either more --steps / --end-lr, or a lower --start-lr | yes |
 *
 * "Clearly below the baseline" is `LEARNED_BELOW_BASELINE` below it *and*
 * further than noise reaches (the fitted level's standard error × `BELOW_BASELINE_NOISE`): a loss
 * that only hovered at the chance level learned nothing, and lowering --start-lr cannot help it.
 *
 * Pure functions of the curve's shape (`CurveShape` from `curveShape.ts`; suggestions
 * call `blockingReason` for their flat/no-suggestion reasons) and the run's facts. The advice names
 * options as its reader passes them (`naming`: `--end-lr` for the CLI and the editor, `endLr` for
 * the library).
 */
import type { Baseline, RangeStopReason } from '../protocol/results';
import { formatLoss, formatLr } from '../protocol/format';
import type { OptionNaming } from '../protocol/optionNaming';
import { optionGiven, optionName } from '../protocol/optionNaming';
import type { CurveShape } from './curveShape';
import { FLAT_RELATIVE_DROP, blowUpLr, slopeNoise } from './curveShape';
import { baselineLevel, describeBaseline } from './baseline';

export type HintCase = 'nan-at-start' | 'diverges-at-once' | 'not-learned' | 'learning-at-start' | 'too-noisy' | 'plateau' | 'flat';

export interface Hint {
  readonly case: HintCase;
  readonly message: string;
  /** The curve gets no suggestion (its reasons say this message). */
  readonly blocking: boolean;
}

/**
 * "Learned": the range test's fitted loss got more than 10% below the baseline. Twice the
 * verdicts' `NEAR_BASELINE_FRACTION` (which judges a whole validation set): a range test reads
 * single training batches at a rising LR, and just before diverging a model at the chance level
 * dips for a few batches — measured: an embedding+GRU that had learned nothing dipped to 0.656
 * (5.4% below ln 2) for three batches and then blew up.
 */
export const LEARNED_BELOW_BASELINE = 0.1;
/**
 * "Further than noise reaches": the fitted loss must sit more than 6 standard errors (σ/√window,
 * σ the local per-batch noise) below the baseline. The same multiple the flat rule uses for a drop (on pure noise a drop of 6
 * standard errors is past the 99th percentile), for the same reason.
 */
export const BELOW_BASELINE_NOISE = 6;
/**
 * "Learning already under way at the first LR": the fitted slope at the first point with a whole
 * fit window falls faster than 25% of the curve's total drop per decade. A healthy test starts on
 * a flat stretch (slope near 0) and falls at 30–100% of its drop per decade only once the LR is
 * large enough; a curve already that steep at its start began falling before --start-lr.
 */
export const LEARNING_AT_START_SLOPE = 0.25;
/**
 * ... and further from 0 than noise takes a fitted slope: 3 of its standard errors (σ, the window,
 * the spacing). A conv1d forecaster's batches at 1e-7 scattered 0.51–0.72 (σ 0.065): its first
 * slope, -0.116 per decade, was 35% of the drop but under 2 standard errors (the next ones swung
 * from +0.19 to -0.20), and it read "learning already under way at --start-lr 1e-7".
 */
export const LEARNING_AT_START_NOISE = 3;
/**
 * "Too noisy to read well": the per-batch scatter (σ of the raw loss) exceeds a quarter of the
 * loss's total fall. Single batches then move the loss by a quarter of what the whole test shows,
 * and where the fall starts and ends is read off the smoother's window more than off the data.
 * Healthy curves sit far below: MNIST's MLP scatters 0.1–0.2 per batch on a fall of 2. (Above
 * about 0.6 the curve reads as flat and gets no suggestion at all: `FLAT_NOISE_MULTIPLE`.)
 */
export const NOISY_SIGMA_OF_DROP = 0.25;
/**
 * A curve without suggestions is also called noisy when its per-batch σ exceeds 10% of its
 * level: a first fall of a few percent (what a slowly starting model shows) is then hidden. A
 * regression at its mean with batch 64 scatters ~18% (χ² of 64 samples); cross-entropy at the
 * chance level hardly scatters at all.
 */
export const NOISY_SIGMA_OF_LEVEL = 0.1;
/**
 * Plateau: from its lowest point to the end the fitted loss stays within 10% of the total drop
 * (it neither turned up nor diverged) over at least one decade of LR before --end-lr.
 */
export const PLATEAU_BAND = 0.1;
export const PLATEAU_MIN_DECADES = 1;
/** The narrowest window the local noise near a point is read on: ±5 points (10 second differences). */
export const LOCAL_NOISE_HALF_WINDOW = 5;
/**
 * A flat curve (no baseline known) that rises within this many decades of the start LR may have
 * been too high from the start; one that stays flat longer learned little before the LR got too
 * high (measured: a conv1d and an RMSprop classifier at chance after 100 steps from 1e-7, rising
 * only past 0.1), and a lower --start-lr would not help them: more steps would.
 */
export const EARLY_RISE_DECADES = 2;
/** `diverges-at-once`: the test stopped within the first fifth of its steps. */
export const EARLY_STOP_FRACTION = 0.2;

export interface RangeFacts {
  /** The curve's shape, `null` when too few usable points. */
  readonly shape: CurveShape | null;
  /** Points recorded, and how many of them had a finite loss. */
  readonly recorded: number;
  readonly finite: number;
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
  readonly settings: { readonly startLr: number; readonly endLr: number; readonly steps: number; readonly signal?: 'train' | 'val'; readonly sweep?: 'exp' | 'linear'; readonly batchSize?: number };
  /** The training samples the batches are drawn from: a batch cannot be raised past them (the noisy advice says so). */
  readonly trainSamples?: number | undefined;
  readonly baseline: Baseline | null;
  /** Whether the model's inputs are far from scale 1 (its warning says which): a curve that learned nothing is sent there first. */
  readonly inputsOffScale?: boolean;
}

/**
 * What makes a noisy curve readable: larger batches or more steps. Not a batch larger than the data:
 * on 64 samples at batch size 64 it said "raise --batch-size", which the data cannot give.
 */
function noisyAdvice(naming: OptionNaming, facts?: Pick<RangeFacts, 'settings' | 'trainSamples'>): string {
  const more = `run more ${optionName('steps', naming)}`;
  const batch = facts?.settings.batchSize;
  const samples = facts?.trainSamples;
  if (batch === undefined || samples === undefined || 2 * batch <= samples) return `raise ${optionName('batchSize', naming)} or ${more}`;
  if (batch >= samples) return `${more} (each batch is already the whole training set of ${samples} samples)`;
  return `raise ${optionName('batchSize', naming)} (up to ${samples}, the whole training set) or ${more}`;
}
/** The first batches of a range test, whose losses are the freshly built model's (the LR is still --start-lr). */
const INITIAL_POINTS = 3;
/**
 * A model as built (fresh, or with weights it loaded) whose first batches' loss is under this share
 * of the baseline already fits the labels: there is nothing left to learn, and no LR to find (a user's two-class model on a feature
 * of ±10 started at 1.19e-7 against ln 2; its short runs all tied there, and the upward tie named LR 100).
 */
export const FIT_AT_START = 0.01;

/**
 * The model-as-built's loss (the mean of a test's first batches) where it is under FIT_AT_START of
 * the baseline `level` — it fits the labels before any step — else null.
 */
export function fitAtStart(points: readonly { readonly loss: number | null }[], level: number | null): number | null {
  if (level === null || !(level > 0)) return null;
  const first = points.slice(0, INITIAL_POINTS).map((p) => p.loss);
  if (first.length < INITIAL_POINTS || first.some((v) => v === null || !Number.isFinite(v))) return null;
  const initial = (first as number[]).reduce((sum, v) => sum + v, 0) / first.length;
  return initial < FIT_AT_START * level ? initial : null;
}

/** Whether a test's model fits its labels as built (`fitAtStart` against the baseline of the loss it read, `signal`). */
export function fitsAsBuilt(points: readonly { readonly loss: number | null }[], baseline: Baseline | null, signal: 'train' | 'val' = 'train'): boolean {
  return fitAtStart(points, baselineLevel(baseline, signal)) !== null;
}

/** What the hints need beyond the curve (the baseline tells "nothing learned yet" from "start LR too high"). */
export type CurveFacts = Pick<RangeFacts, 'baseline' | 'stopReason' | 'divergedAt' | 'settings' | 'inputsOffScale' | 'trainSamples'>;
/** Facts of a test whose baseline and settings are unknown: flat curves get the baseline-free reasons. */
export const NO_FACTS: CurveFacts = { baseline: null, stopReason: 'completed', divergedAt: null, settings: { startLr: 0, endLr: 0, steps: 0 } };

function endLevel(shape: CurveShape): number {
  return shape.curve[Math.max(0, shape.curve.length - 1 - shape.halfWindow)]!;
}

function lowest(shape: CurveShape): number {
  return shape.curve[shape.minIndex]!;
}

/**
 * The per-batch noise (σ) of the raw loss around point `i`: the median |second difference| over
 * the fit window (at least ±`LOCAL_NOISE_HALF_WINDOW` points), as a std. Local, because a loss's
 * scatter shrinks with its level (an MSE falling from 30 to 2.6 scatters ten times less at the
 * bottom than at the top): the curve-wide σ would hide a real fall below the baseline.
 */
function localNoise(shape: CurveShape, i: number): number {
  const h = Math.max(shape.halfWindow, LOCAL_NOISE_HALF_WINDOW);
  const raw = shape.raw.slice(Math.max(0, i - h - 1), Math.min(shape.raw.length, i + h + 2));
  const diffs: number[] = [];
  for (let k = 1; k < raw.length - 1; k++) diffs.push(Math.abs(raw[k - 1]! - 2 * raw[k]! + raw[k + 1]!));
  if (diffs.length === 0) return shape.noise;
  diffs.sort((a, b) => a - b);
  const m = diffs.length >> 1;
  const median = diffs.length % 2 === 1 ? diffs[m]! : (diffs[m - 1]! + diffs[m]!) / 2;
  return (1.4826 * median) / Math.sqrt(6);
}

/** The fitted loss at point `i` (`level`) got clearly below the baseline level `b`. */
function clearlyBelow(shape: CurveShape, i: number, level: number, b: number): boolean {
  const noise = (BELOW_BASELINE_NOISE * localNoise(shape, i)) / Math.sqrt(2 * shape.halfWindow + 1);
  return level < (1 - LEARNED_BELOW_BASELINE) * b && b - level > noise;
}

function steps(n: number): number {
  return Math.max(300, Math.ceil((3 * n) / 100) * 100);
}

/** "run more --steps (… e.g. --steps 300)": a test with three times the steps, rounded up to hundreds. */
function moreSteps(facts: CurveFacts, naming: OptionNaming, why = ''): string {
  return `run more ${optionName('steps', naming)} (${why}e.g. ${optionGiven('steps', steps(facts.settings.steps), naming)})`;
}

function notLearned(shape: CurveShape, facts: CurveFacts, b: number, naming: OptionNaming): string {
  const head = `nothing learned yet: the loss never got clearly below ${describeBaseline(facts.baseline!, facts.settings.signal ?? 'train')} (from ${formatLoss(shape.start)}, lowest ${formatLoss(lowest(shape))} at LR ${formatLr(shape.lrs[shape.minIndex])}; clearly below means under ${formatLoss((1 - LEARNED_BELOW_BASELINE) * b)})`;
  // A linear sweep spends its steps evenly: from 1e-7 to 10 in 100 steps its second LR is already 0.1, so
  // the LRs a model learns at were never tried. Raising --end-lr makes that worse (a user's Adam model
  // learned at 0.0556 on the exponential sweep and was told "raise --end-lr" on the linear one).
  const { startLr, endLr, steps: n } = facts.settings;
  if (facts.settings.sweep === 'linear' && n > 1) {
    return `${head}: a linear sweep (${optionGiven('sweep', 'linear', naming)}) tries LRs in equal steps, so after its first point it tried none below ${formatLr(startLr + (endLr - startLr) / (n - 1))}. Run the default exponential sweep (${optionGiven('sweep', 'exp', naming)}), or lower ${optionName('endLr', naming)}${CHECK_THE_DATA}`;
  }
  // Inputs far from scale 1: no LR or length makes up for them (a user's feature at 1e6 under Adam read
  // "run more --steps or raise --end-lr", and its short runs at LR 1–10 learned nothing either).
  if (facts.inputsOffScale === true) {
    return `${head}: the inputs are far from scale 1 (a warning names them), which can keep a model at its baseline at every LR — standardize them first, then run the test again${CHECK_THE_DATA}`;
  }
  // A sweep that started high never tried the LRs most models learn at: a lower start is the cure, not
  // more steps or a higher end (a user's --start-lr 3, past where their CNN collapses at ~0.5, read
  // "run more --steps … A lower --start-lr cannot help", and its retry went up to --end-lr 100).
  if (startedHigh(facts.settings)) {
    const ended = facts.stopReason === 'diverged' || facts.stopReason === 'non-finite' ? `; it diverged at LR ${formatLr(facts.divergedAt)}` : '';
    return `${head}${ended}. The sweep started at LR ${formatLr(startLr)}, above where many models learn and past where some break down: lower ${optionName('startLr', naming)} (e.g. ${optionGiven('startLr', 1e-7, naming)}, the default)${CHECK_THE_DATA}`;
  }
  // Back above its start past its lowest, short of the divergence rule: higher LRs made it worse already
  // (a shuffled multi-label model read "raise --end-lr" beside "the loss climbed back above its start at LR 3.27").
  // A climb 5% above the start on the fitted curve (noise at the start is none), named where the header's
  // "climbed back above its start at" names it (blowUpLr): a user's CNN read 0.242 there and 1.87 here,
  // the fitted curve's own 5% crossing.
  const climbed = shape.curve.findIndex((v, i) => i > shape.minIndex && v > shape.start + FLAT_RELATIVE_DROP * Math.abs(shape.start));
  const climbedAt = climbed < 0 ? null : (blowUpLr(shape, shape.minIndex + 1) ?? shape.lrs[climbed]!);
  const how =
    facts.stopReason === 'diverged' || facts.stopReason === 'non-finite'
      ? `; it diverged at LR ${formatLr(facts.divergedAt)} before it got there, so ${moreSteps(facts, naming, 'each LR then gets more iterations, ')}`
      : shape.rising
        ? `; it rose from LR ${formatLr(shape.lrs[shape.minIndex])} on, so ${moreSteps(facts, naming, 'each LR then gets more iterations, ')}`
        : climbedAt !== null
          ? `; it climbed back above its start at LR ${formatLr(climbedAt)}, so ${moreSteps(facts, naming, 'each LR then gets more iterations, ')}`
          : `: ${moreSteps(facts, naming)} or raise ${optionName('endLr', naming)}`;
  return `${head}${how}${CHECK_THE_DATA}. A lower ${optionName('startLr', naming)} cannot help`;
}

/** A --start-lr at or above this: the sweep skips the LRs many models learn at (Adam's 1e-3, SGD's 0.01). */
export const HIGH_START_LR = 0.01;

/** Whether a range test started at `HIGH_START_LR` or above. */
export function startedHigh(settings: { readonly startLr: number }): boolean {
  return settings.startLr >= HIGH_START_LR;
}

/** The words of a "nothing learned yet" reason that find-lr drops where its short runs learned (the data are then not in doubt). */
export const CHECK_THE_DATA = '; also check the data and labels';

/**
 * The reason a curve gets no suggestion, or `null` when it gets them: flat curves (which case
 * of flat, told apart by the baseline) and curves that never got clearly below the baseline.
 */
export function blockingReason(shape: CurveShape, facts: CurveFacts, naming: OptionNaming = 'flag'): { case: HintCase; message: string } | null {
  const stepsOption = optionName('steps', naming);
  const startLr = optionName('startLr', naming);
  const endLr = optionName('endLr', naming);
  const b = baselineLevel(facts.baseline, facts.settings.signal ?? 'train');
  const fell = `${formatLoss(shape.start)} → ${formatLoss(lowest(shape))}`;
  if (b !== null) {
    if (shape.flat && clearlyBelow(shape, Math.min(shape.halfWindow, shape.curve.length - 1), shape.start, b)) {
      // Below the baseline from the first batches — their losses come before the first steps change
      // anything at --start-lr — is where the freshly built model starts (its initial weights fit part
      // of the labels), not learning the test missed: a lower --start-lr cannot help (a regression's
      // fresh model at 0.77 against a median's 0.88 read "lower --start-lr", and at 1e-9 read it again).
      const first = shape.raw.slice(0, INITIAL_POINTS);
      const initial = first.reduce((sum, v) => sum + v, 0) / Math.max(1, first.length);
      // (fitAtStart's rule, on the first batches' mean just taken: the curve's raw losses are finite.)
      if (first.length === INITIAL_POINTS && b > 0 && initial < FIT_AT_START * b) {
        return { case: 'flat', message: `the model as built already fits the labels: its first batches' loss is ${formatLoss(initial)} against ${describeBaseline(facts.baseline!)}, before any step changed it, so there is nothing left to learn and no LR to find. Check that no input gives the label away and that the labels are the ones meant (a model loaded already trained has nothing left to learn here either)` };
      }
      if (first.length === INITIAL_POINTS && initial < (1 - LEARNED_BELOW_BASELINE) * b) {
        // Its weights at the start: a model file's fresh ones, or what a script loaded or trained before
        // its fit call (a user's fine-tuning script read "the freshly built model"). A test that diverged
        // was not short of LR: "raise --end-lr" cannot help it.
        return { case: 'flat', message: `the loss barely fell (${fell}): the model was already below ${describeBaseline(facts.baseline!)} at its first batches (${formatLoss(initial)}), before the steps changed anything — its weights at the start (initial ones, or ones loaded or trained before) fit part of the labels — and the test learned little on top of that: ${moreSteps(facts, naming)}${facts.stopReason === 'diverged' ? '' : ` or raise ${endLr}`}` };
      }
      return { case: 'learning-at-start', message: `the loss barely fell (${fell}) but was already well below ${describeBaseline(facts.baseline!)} at the first points: the model learned before the test could read it; lower ${startLr}` };
    }
    if (!clearlyBelow(shape, shape.minIndex, lowest(shape), b)) {
      // Far enough below the baseline, but within what the scatter reaches: the noise hides whether it learned.
      if (lowest(shape) < (1 - LEARNED_BELOW_BASELINE) * b) {
        // The scatter the decision read: around the lowest point, not the whole curve's (a GRU's whole-curve
        // σ 8.4e-4 was quoted against a fall of 0.4, where the loss near its lowest jumped by tenths).
        return { case: 'too-noisy', message: `the loss may have fallen below ${describeBaseline(facts.baseline!)} (${fell}), but its batch-to-batch scatter around its lowest point (σ ${formatLoss(localNoise(shape, shape.minIndex))}) is too large to tell: ${noisyAdvice(naming, facts)}` };
      }
      return { case: 'not-learned', message: notLearned(shape, facts, b, naming) };
    }
    if (shape.flat) {
      return { case: 'too-noisy', message: `the loss fell (${fell}) but its batch-to-batch scatter (σ ${formatLoss(shape.noise)}) is too large to read where: ${noisyAdvice(naming, facts)}` };
    }
    return null;
  }
  if (!shape.flat) return null;
  if (shape.rising) {
    const riseAt = shape.curve.findIndex((v) => v > shape.start + FLAT_RELATIVE_DROP * Math.abs(shape.start));
    const rise = shape.lrs[riseAt < 0 ? shape.lrs.length - 1 : riseAt]!;
    if (rise / shape.lrs[0]! >= 10 ** EARLY_RISE_DECADES) {
      return { case: 'flat', message: `the loss barely fell before it rose at ${formatLr(rise)} (${formatLoss(shape.start)} → ${formatLoss(endLevel(shape))}): the model learned little in this test, run more ${stepsOption}` };
    }
    return { case: 'flat', message: `the loss barely fell and then rose (${formatLoss(shape.start)} → ${formatLoss(endLevel(shape))}): either nothing was learned yet (run more ${stepsOption} or raise ${endLr}) or learning happened before the first points (lower ${startLr}); this loss has no known baseline to tell which` };
  }
  return { case: 'flat', message: `the loss barely fell (${fell}): the LR range is too low (raise ${endLr}), the test too short (more ${stepsOption}), or the model cannot learn this data` };
}

/**
 * The first step's loss is computed from the initial weights, before any update: non-finite there,
 * it is the model's outputs against the loss, or the data, and no LR changes it. (A Poisson model with
 * a linear output: the log of its negative outputs, NaN at step 1, read as "try a lower --start-lr",
 * and short runs at 1e-9 that all "diverged".)
 */
export const NAN_BEFORE_ANY_UPDATE =
  "The loss was NaN/Inf at the first step, before any update: it comes from the model's initial outputs, so no learning rate changes it. Check the data for NaN/huge values, and that the loss can take the model's outputs: a loss that takes their log ('poisson', or a loss function of your own) needs positive outputs (an output activation such as 'softplus' or 'exponential').";

/** Every hint for a finished range test, blocking ones included (flagged). */
export function rangeHints(facts: RangeFacts, naming: OptionNaming = 'flag'): Hint[] {
  const startLr = optionName('startLr', naming);
  const endLr = optionName('endLr', naming);
  const hints: Hint[] = [];
  const { shape, settings } = facts;
  const stoppedEarly = facts.stopReason === 'diverged' || facts.stopReason === 'non-finite';
  if (facts.stopReason === 'non-finite' && facts.finite === 0) {
    hints.push({ case: 'nan-at-start', blocking: true, message: NAN_BEFORE_ANY_UPDATE });
    return hints;
  }
  if (facts.stopReason === 'non-finite' && facts.finite === 1) {
    hints.push({ case: 'nan-at-start', blocking: true, message: `The loss was NaN/Inf from the first step at LR ${formatLr(settings.startLr)}: check the data for NaN/huge values and that the loss fits the labels; try a lower ${startLr}.` });
    return hints;
  }
  if (stoppedEarly && facts.recorded < settings.steps * EARLY_STOP_FRACTION) {
    hints.push({ case: 'diverges-at-once', blocking: false, message: `The loss diverged after only ${facts.recorded} of ${settings.steps} steps (LR ${formatLr(facts.divergedAt)}): lower ${startLr} (it is probably already too high).` });
  }
  if (shape === null) return hints;
  const blocked = blockingReason(shape, facts, naming);
  if (blocked !== null) hints.push({ ...blocked, message: capitalize(blocked.message) + '.', blocking: true });
  if (blocked !== null && blocked.case !== 'too-noisy' && shape.noise > NOISY_SIGMA_OF_LEVEL * Math.abs(shape.start)) {
    hints.push({ case: 'too-noisy', blocking: false, message: `The loss is noisy (σ ${formatLoss(shape.noise)} per batch): ${noisyAdvice(naming, facts)}.` });
  }
  if (blocked !== null) return hints;

  const first = Math.min(shape.halfWindow, shape.slopes.length - 1);
  // Not on a curve too noisy to read: its slope at the first points is the scatter's (a plain-SGD
  // regression at 1e-7 with batch losses 3.3, 3.84, 2.68, 2.7, 3.21 read "learning already under way").
  const readable = !(shape.noise > NOISY_SIGMA_OF_DROP * shape.drop);
  const spacing = shape.lrs.length < 2 ? 0 : Math.log10(shape.lrs[shape.lrs.length - 1]! / shape.lrs[0]!) / (shape.lrs.length - 1);
  const beyondNoise = spacing > 0 && shape.slopes[first]! < -LEARNING_AT_START_NOISE * slopeNoise(shape.noise, spacing, shape.halfWindow);
  if (readable && beyondNoise && shape.slopes[first]! < -LEARNING_AT_START_SLOPE * shape.drop && shape.minIndex > first) {
    hints.push({ case: 'learning-at-start', blocking: false, message: `Learning was already under way at ${startLr} ${formatLr(settings.startLr)} (the loss falls steeply from the first points): lower ${startLr} to see where it begins; suggestions near the start of the curve are uncertain.` });
  }
  if (shape.noise > NOISY_SIGMA_OF_DROP * shape.drop) {
    hints.push({ case: 'too-noisy', blocking: false, message: `Too noisy to read well: the per-batch scatter (σ ${formatLoss(shape.noise)}) is over half the loss's whole fall (${formatLoss(shape.drop)}); ${noisyAdvice(naming, facts)}.` });
  }
  const decadesLeft = Math.log10(shape.lrs[shape.lrs.length - 1]! / shape.lrs[shape.minIndex]!);
  if (!stoppedEarly && facts.stopReason !== 'cancelled' && endLevel(shape) - lowest(shape) <= PLATEAU_BAND * shape.drop && decadesLeft >= PLATEAU_MIN_DECADES && shape.minIndex < shape.curve.length - 1 - shape.halfWindow) {
    hints.push({ case: 'plateau', blocking: false, message: `The loss plateaued at ${formatLoss(lowest(shape))} from LR ${formatLr(shape.lrs[shape.minIndex])} to ${endLr} without turning up: the test did not reach the edge of stability; raise ${endLr} to find it (the range may be too low).` });
  }
  return hints;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
