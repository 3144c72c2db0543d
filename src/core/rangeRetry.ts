/**
 * When the recipe's range test gives no headline LR, what to try next within the budget
 * (method.md, "Know the baseline"): the hints' case (`hints.ts`) says whether the test was too
 * short or too narrow (nothing learned yet: more steps, a wider range) or started too high
 * (learning already under way, or diverging at once: a lower start).
 */
import type { FindLrResult, FindLrSettings, LrRecommendation } from '../protocol/results';
import { formatLr } from '../protocol/format';
import type { OptionNaming } from '../protocol/optionNaming';
import { optionName } from '../protocol/optionNaming';
import { FEWEST_READABLE_STEPS, MIN_POINTS, TRIM_END_POINTS, curveShape } from './curveShape';
import { constantLabels } from './baseline';
import type { HintCase } from './hints';
import { fitsAsBuilt, rangeHints, startedHigh } from './hints';

/** Range tests after the first that the recipe may run when none gave a headline. */
export const MAX_RANGE_RETRIES = 2;
/**
 * A retry multiplies the steps by 3: a model that sits at the chance level for most of a
 * 100-step test gets three times the iterations per decade of LR (measured: an embedding+GRU that
 * learned nothing in 100 steps showed a clear valley in 300).
 */
export const RETRY_STEP_FACTOR = 3;
/** A retry widens the range by one decade at the top (when the test did not diverge) ... */
export const RETRY_WIDEN_DECADES = 1;
/** ... but never beyond this end LR (no optimizer we drive trains above it). */
export const MAX_RETRY_END_LR = 1000;
/** A retry for a test that started too high starts two decades lower. */
export const RETRY_LOWER_START_DECADES = 2;
/** A retry may use at most this share of the budget left, so a found LR still gets its confirming run. */
export const RETRY_BUDGET_SHARE = 0.5;

/** The headline LR of a range test, in one place: `FindLrResult.recommended` (`headline.ts`). */
export function headlineOf(result: FindLrResult): LrRecommendation | null {
  return result.recommended;
}

export interface RetryPlan {
  readonly settings: Pick<FindLrSettings, 'startLr' | 'endLr' | 'steps'>;
  /** The case that asked for it and what changes, for the recipe's step message. */
  readonly why: string;
  /** Estimated seconds, from the seconds per step of the test before. */
  readonly seconds: number;
}

/** The hint cases of a finished range test (`rangeHints` on its points). */
/** What a retry is planned from: a range test's curve, how it stopped, its settings and time. */
export type RangeAttempt = Pick<FindLrResult, 'points' | 'stopReason' | 'divergedAt' | 'settings' | 'baseline' | 'seconds'>;

export function hintCasesOf(result: RangeAttempt): HintCase[] {
  return rangeHints({
    shape: curveShape(result.points),
    recorded: result.points.length,
    finite: result.points.filter((p) => p.loss !== null).length,
    stopReason: result.stopReason,
    divergedAt: result.divergedAt,
    settings: result.settings,
    baseline: result.baseline,
  }).map((h) => h.case);
}

/**
 * The next range test after one without a headline, or why there is none. `secondsLeft`: the
 * budget left; `maxSteps`: the longest test accepted; `naming`: how its words name options.
 */
export function planRangeRetry(result: RangeAttempt, secondsLeft: number, maxSteps: number, naming: OptionNaming = 'flag'): RetryPlan | { readonly none: string } {
  // Constant labels: nothing to learn, so no longer or wider test finds an LR (the recipe ran three).
  if (constantLabels(result.baseline)) return { none: 'every training label is the same: there is nothing to learn, so no longer test finds an LR' };
  const cases = hintCasesOf(result);
  const s = result.settings;
  if (cases.includes('nan-at-start')) return { none: 'the loss was NaN/Inf from the first step: a data or loss problem that no LR range fixes' };
  if (fitsAsBuilt(result.points, result.baseline, s.signal)) return { none: 'no longer or wider test finds an LR for a model that fits its labels as built' };
  let next: RetryPlan['settings'];
  let why: string;
  // A retry runs at least a readable curve's steps, and at most the longest test accepted.
  const retrySteps = (steps: number): number => Math.min(maxSteps, Math.max(FEWEST_READABLE_STEPS, steps));
  // Nothing learned on a sweep that started high: lower, not longer or wider (hints.ts startedHigh).
  const learnedNothingHigh = cases.includes('not-learned') && startedHigh(s);
  if (cases.includes('diverges-at-once') || cases.includes('learning-at-start') || learnedNothingHigh) {
    const startLr = Number((s.startLr / 10 ** RETRY_LOWER_START_DECADES).toPrecision(12));
    next = { startLr, endLr: s.endLr, steps: retrySteps(s.steps * 2) };
    why = `${cases.includes('diverges-at-once') ? 'it diverged at once' : learnedNothingHigh ? `nothing was learned from ${optionName('startLr', naming)} ${formatLr(s.startLr)} up` : 'learning was already under way at the first LR'}; retrying from ${optionName('startLr', naming)} ${formatLr(startLr)} with ${next.steps} steps`;
  } else {
    const diverged = result.stopReason === 'diverged' || result.stopReason === 'non-finite';
    const endLr = diverged ? s.endLr : Math.min(MAX_RETRY_END_LR, s.endLr * 10 ** RETRY_WIDEN_DECADES);
    next = { startLr: s.startLr, endLr, steps: retrySteps(s.steps * RETRY_STEP_FACTOR) };
    // `--steps 5` read "the curve gave no usable LR": no curve that short is read at all.
    const what =
      s.steps < FEWEST_READABLE_STEPS
        ? `${s.steps} steps are too few to read (a curve is read from at least ${MIN_POINTS} points after its first tenth and before its last ${TRIM_END_POINTS}: ${optionName('steps', naming)} ${FEWEST_READABLE_STEPS} or more)`
        : cases.includes('not-learned')
          ? 'nothing was learned yet'
          : cases.includes('too-noisy')
            ? 'the curve was too noisy to read'
            : 'the curve gave no usable LR';
    why = `${what}; retrying with ${next.steps} steps${endLr > s.endLr ? ` up to ${optionName('endLr', naming)} ${formatLr(endLr)}` : ''}`;
  }
  if (next.steps <= s.steps && next.startLr === s.startLr && next.endLr === s.endLr) return { none: `a longer or wider test is not possible (${s.steps} steps, ${formatLr(s.startLr)} – ${formatLr(s.endLr)})` };
  if (secondsLeft <= 0) return { none: `${why.split(';')[0]!}, but the budget is spent (the range test alone took longer); give a larger --budget` };
  const perStep = result.seconds / Math.max(1, result.points.length);
  const seconds = perStep * next.steps;
  if (seconds > RETRY_BUDGET_SHARE * secondsLeft) {
    return { none: `${why.split(';')[0]!}, but a retry (${next.steps} steps, about ${seconds.toFixed(0)} s) does not fit in half of the ${secondsLeft.toFixed(0)} s left; give a larger --budget` };
  }
  return { settings: next, why, seconds };
}
