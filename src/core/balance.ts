/**
 * The best regularization balance among a sweep's range tests (method.md §5): the lowest loss
 * over the widest stable LR range — compared only on differences that matter. Each curve's facts
 * come from `sweepCurve.ts` (the lag-free reading the headline uses).
 */
import type { LrRange } from '../protocol/results';
import { formatLoss as num, formatLr } from '../protocol/format';

/**
 * Two lowest losses closer than 5% of the loss scale (the baseline loss: what a model that learned
 * nothing scores; without one, the loss the test started from) are a tie. That is the spread of
 * a range test's lowest fitted loss between seeds: over the 9 tasks of the advice bench (3 seeds
 * each, bench/advice/*.json) the seeds' lowest losses spanned a median 2.8% of the starting loss,
 * up to 11%; inside it, which curve is lower is the seed's doing. Curves that all reach ~zero
 * loss (1e-7 vs 8e-4 vs 4e-3 from a start of 0.7) are far inside it: a difference no training
 * outcome would show.
 */
export const TIE_FRACTION_OF_SCALE = 0.05;
/**
 * ... or closer than 3 standard errors of the two fitted levels (a curve whose per-batch noise
 * is large can be read no finer than that, whatever the scale).
 */
export const TIE_NOISE_MULTIPLE = 3;
/** A stable range wider by this many decades counts as wider (one sweep step is ~0.08 decades at 100 steps over 8). */
export const WIDER_DECADES = 0.25;

export interface CurveFacts {
  readonly label: string;
  readonly minLoss: number | null;
  readonly lrAtMinLoss: number | null;
  readonly stableRange: LrRange | null;
  readonly stableDecades: number;
  /** Where the loss blows up (`CurveSummary.blowUpLr`), else `null`. */
  readonly divergedAt: number | null;
  /** The fitted loss at the start of the test (the scale when there is no baseline). */
  readonly startLoss?: number | null;
  /** Standard error of a fitted level (`CurveSummary.levelNoise`). */
  readonly levelNoise?: number | null;
  /** The curve's regularization, to say whether another curve has more or less of it. */
  readonly weightDecay?: number;
  /** Its momentum where the sweep varies it: curves at other momenta are not compared on regularization. */
  readonly momentum?: number | null;
  readonly dropout?: number | null;
}

export interface Balance {
  /** Index into the curves, `null` when none reached a finite loss. */
  readonly best: number | null;
  readonly reason: string;
  /** Another curve's lowest loss is within the tie band of the pick's: the loss did not decide. */
  readonly tie: boolean;
}

/** Orders curves by regularization: weight decay first, then dropout (negative: a has less). */
function regularizationOrder(a: CurveFacts, b: CurveFacts): number {
  return (a.weightDecay ?? 0) - (b.weightDecay ?? 0) || (a.dropout ?? 0) - (b.dropout ?? 0);
}

/** a has less regularization than b: no more of either kind and strictly less of one, at the same momentum. */
function lessRegularized(a: CurveFacts, b: CurveFacts): boolean {
  const [aw, bw, ad, bd] = [a.weightDecay ?? 0, b.weightDecay ?? 0, a.dropout ?? 0, b.dropout ?? 0];
  // At another momentum the difference is momentum's too: not a regularization verdict.
  if ((a.momentum ?? null) !== (b.momentum ?? null)) return false;
  return aw <= bw && ad <= bd && (aw < bw || ad < bd);
}

/** Labels in a list: one that holds a comma ("wd 1e-4, dropout 0") goes in parentheses. */
function listOf(curves: readonly CurveFacts[]): string {
  return curves.map((c) => (c.label.includes(',') ? `(${c.label})` : c.label)).join(', ');
}

function rangeText(c: CurveFacts): string {
  return c.stableRange === null ? 'no clear stable range' : `stable from ${formatLr(c.stableRange.minLr)} to ${formatLr(c.stableRange.maxLr)} (${c.stableDecades.toFixed(1)} decades)`;
}

/**
 * The loss scale differences are judged on: the baseline loss when known, else the largest
 * starting loss among the curves, else (older callers without either) the lowest loss itself.
 */
function lossScale(usable: readonly CurveFacts[], baselineLoss: number | null): { scale: number; what: string } {
  if (baselineLoss !== null && Number.isFinite(baselineLoss) && baselineLoss > 0) return { scale: baselineLoss, what: `the baseline loss ${num(baselineLoss)}` };
  const starts = usable.map((c) => c.startLoss).filter((s): s is number => s !== null && s !== undefined && Number.isFinite(s) && s > 0);
  if (starts.length > 0) return { scale: Math.max(...starts), what: `the starting loss ${num(Math.max(...starts))}` };
  const lowest = Math.min(...usable.map((c) => Math.abs(c.minLoss!)));
  return { scale: lowest, what: 'the lowest loss' };
}

/**
 * The best balance: among the curves whose lowest loss ties with the lowest (within the tie
 * band), the one with the widest stable range (wider by `WIDER_DECADES` to count); on a tie of
 * both, the least regularized. The reason says whether it was a tie and what decided it.
 */
export function bestBalance(curves: readonly CurveFacts[], baselineLoss: number | null = null, options: { readonly trainSignal?: boolean } = {}): Balance {
  const usable = curves.map((c, i) => ({ c, i })).filter(({ c }) => c.minLoss !== null && Number.isFinite(c.minLoss));
  if (usable.length === 0) return { best: null, tie: false, reason: 'No curve reached a finite loss: nothing to compare. Lower --start-lr or check the data.' };
  const { scale, what } = lossScale(usable.map(({ c }) => c), baselineLoss);
  const band = (a: CurveFacts, b: CurveFacts): number => Math.max(TIE_FRACTION_OF_SCALE * scale, TIE_NOISE_MULTIPLE * Math.hypot(a.levelNoise ?? 0, b.levelNoise ?? 0));
  const ties = (a: CurveFacts, b: CurveFacts): boolean => Math.abs(a.minLoss! - b.minLoss!) <= band(a, b);
  const lowest = usable.reduce((a, b) => (b.c.minLoss! < a.c.minLoss! ? b : a));
  const contenders = usable.filter(({ c }) => ties(c, lowest.c));
  let widest = lowest;
  for (const candidate of contenders) if (candidate.c.stableDecades > widest.c.stableDecades + WIDER_DECADES) widest = candidate;
  // As low and as stable as the widest: these range tests do not separate them. Then the least
  // regularization of them: what the range tests show no use for is not added.
  const even = contenders.filter((u) => u.c.stableDecades + WIDER_DECADES >= widest.c.stableDecades);
  const pick = even.reduce((a, b) => (regularizationOrder(b.c, a.c) < 0 ? b : a));
  const best = pick.c;
  const tied = contenders.filter((u) => u !== pick);
  const parts: string[] = [];
  if (tied.length === 0) {
    parts.push(`${best.label} reaches the lowest loss (${num(best.minLoss)}), ${rangeText(best)}`);
  } else {
    const names = listOf([best, ...tied.map(({ c }) => c)]);
    // Say what set the band: 5% of the loss scale, or (noisier curves) the fitted levels' noise.
    const widestBand = Math.max(...tied.map(({ c }) => band(c, lowest.c)), band(best, lowest.c));
    const byScale = widestBand <= TIE_FRACTION_OF_SCALE * scale * (1 + 1e-9);
    const why = byScale ? `${TIE_FRACTION_OF_SCALE * 100}% of ${what}, about the spread between seeds` : `${TIE_NOISE_MULTIPLE}× the noise of the difference between the curves' fitted lowest levels, more than ${TIE_FRACTION_OF_SCALE * 100}% of ${what}`;
    const within = `lowest losses within ${num(widestBand)} of the lowest (${why}): a difference ${byScale ? 'no training outcome would show' : 'these range tests cannot tell from noise'}`;
    const narrower = tied.filter(({ c }) => c.stableDecades + WIDER_DECADES < widest.c.stableDecades);
    const same = even.filter((u) => u !== pick);
    if (same.length === 0) {
      parts.push(`A tie on loss — ${names} reach ${within}; decided by the stable range: ${best.label} is ${rangeText(best)}, the widest`);
    } else {
      parts.push(`A tie — ${names} reach ${within}, and ${listOf(same.map(({ c }) => c))} ${same.length === 1 ? 'is' : 'are'} as stable as ${best.label} (within ${WIDER_DECADES} decade): these range tests do not separate them; ${best.label} is listed as the least regularization of them (${rangeText(best)}); compare them with short runs (lrlab sweep --short-runs)`);
    }
    for (const { c } of narrower) parts.push(`${c.label} is as low but ${rangeText(c)}`);
  }
  for (const { c } of usable) {
    if (contenders.some((u) => u.c === c)) continue;
    const early = best.lrAtMinLoss !== null && c.lrAtMinLoss !== null && c.lrAtMinLoss < best.lrAtMinLoss / 3;
    if (early && lessRegularized(c, best)) parts.push(`${c.label} bottoms early (at ${formatLr(c.lrAtMinLoss)}) and rises: too little regularization`);
    // On the training loss a curve with more dropout is measured with that dropout on: it sits higher
    // by its noise as well, so "too much regularization" is more than these curves show.
    else if (lessRegularized(best, c) && options.trainSignal === true && (c.dropout ?? 0) > (best.dropout ?? 0)) parts.push(`${c.label} stays higher (${num(c.minLoss)}): on the training loss, partly dropout's own noise (--signal val tells how much is too much regularization)`);
    else if (lessRegularized(best, c)) parts.push(`${c.label} stays higher (${num(c.minLoss)}): too much regularization`);
    else parts.push(`${c.label} stays higher (${num(c.minLoss)})`);
  }
  for (const c of curves) if (c.minLoss === null) parts.push(`${c.label} gave no finite loss`);
  return { best: pick.i, tie: tied.length > 0, reason: `${parts.join('; ')}.` };
}
