/**
 * Decision rules of the recipe (method.md §4–7), as pure functions of measured curves so they
 * can be tested on synthetic data with known answers.
 */
import type { LrRange } from '../protocol/results';

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

/**
 * Two curves whose lowest losses differ by less than 3% of the loss are "as low": then the one
 * that stays stable over a wider LR range is the better balance (it tolerates a larger LR, which
 * regularizes and trains faster). 3% is about the spread of the minimum between seeds on the
 * tiny test problems; a real difference is larger.
 */
export const LOSS_TIE = 0.03;
/**
 * Below this, losses count as zero for the tie: 1e-7 and 9e-7 are both "fit the training batches
 * perfectly", and a relative comparison between them would call one of them worse.
 */
export const LOSS_FLOOR = 1e-3;
/** A stable range wider by this many decades counts as wider (one sweep step is ~0.08 decades at 100 steps over 8). */
export const WIDER_DECADES = 0.25;

export interface CurveFacts {
  readonly label: string;
  readonly minLoss: number | null;
  readonly lrAtMinLoss: number | null;
  readonly stableRange: LrRange | null;
  readonly stableDecades: number;
  readonly divergedAt: number | null;
  /** The curve's regularization, to say whether another curve has more or less of it. */
  readonly weightDecay?: number;
  readonly dropout?: number | null;
}

/** a has less regularization than b: no more of either kind and strictly less of one. */
function lessRegularized(a: CurveFacts, b: CurveFacts): boolean {
  const [aw, bw, ad, bd] = [a.weightDecay ?? 0, b.weightDecay ?? 0, a.dropout ?? 0, b.dropout ?? 0];
  return aw <= bw && ad <= bd && (aw < bw || ad < bd);
}

function fmt(x: number): string {
  return x >= 0.01 && x < 1000 ? String(Number(x.toPrecision(3))) : x.toExponential(1);
}

/**
 * The best regularization balance among range tests (method.md §5): the lowest loss over the
 * widest stable LR range, with words for why and for what the others show.
 */
export function bestBalance(curves: readonly CurveFacts[]): { best: number | null; reason: string } {
  const usable = curves.map((c, i) => ({ c, i })).filter(({ c }) => c.minLoss !== null && Number.isFinite(c.minLoss));
  if (usable.length === 0) return { best: null, reason: 'No curve reached a finite loss: nothing to compare. Lower --start-lr or check the data.' };
  const lowest = usable.reduce((a, b) => (b.c.minLoss! < a.c.minLoss! ? b : a));
  const tieScale = Math.max(Math.abs(lowest.c.minLoss!), LOSS_FLOOR);
  const contenders = usable.filter(({ c }) => (c.minLoss! - lowest.c.minLoss!) / tieScale <= LOSS_TIE);
  let pick = lowest;
  for (const candidate of contenders) {
    if (candidate.c.stableDecades > pick.c.stableDecades + WIDER_DECADES) pick = candidate;
  }
  const best = pick.c;
  const range = best.stableRange === null ? 'no clear stable range' : `stays stable up to ${fmt(best.stableRange.maxLr)}`;
  const parts = [`${best.label} reaches ${pick === lowest ? 'the lowest' : 'an equally low'} loss (${best.minLoss!.toPrecision(3)}) and ${range}`];
  for (const { c } of usable) {
    if (c === best) continue;
    const higher = (c.minLoss! - best.minLoss!) / tieScale > LOSS_TIE;
    const early = best.lrAtMinLoss !== null && c.lrAtMinLoss !== null && c.lrAtMinLoss < best.lrAtMinLoss / 3;
    if (!higher) {
      if (c.stableDecades + WIDER_DECADES < best.stableDecades) parts.push(`${c.label} is as low but stable over a narrower range`);
    } else if (early && lessRegularized(c, best)) {
      parts.push(`${c.label} bottoms early (at ${fmt(c.lrAtMinLoss)}) and rises: too little regularization`);
    } else if (lessRegularized(best, c)) {
      parts.push(`${c.label} stays higher (${c.minLoss!.toPrecision(3)}): too much regularization`);
    } else {
      parts.push(`${c.label} stays higher (${c.minLoss!.toPrecision(3)})`);
    }
  }
  for (const c of curves) if (c.minLoss === null) parts.push(`${c.label} gave no finite loss`);
  return { best: pick.i, reason: `${parts.join('; ')}.` };
}

/**
 * Momentum from short runs (method.md §4): the lowest early validation loss. A constant
 * momentum within LOSS_TIE of the cyclical run does not beat it: with 1cycle, cyclical momentum
 * (0.95 → 0.85) is the recommendation at equal loss because it allows larger LRs.
 */
export function bestShortRun(runs: readonly { readonly label: string; readonly earlyValLoss: number | null; readonly diverged: boolean; readonly cyclical?: boolean }[]): { best: number | null; reason: string } {
  const usable = runs.map((r, i) => ({ r, i })).filter(({ r }) => !r.diverged && r.earlyValLoss !== null && Number.isFinite(r.earlyValLoss));
  if (usable.length === 0) return { best: null, reason: 'Every short run diverged or gave no validation loss: lower the LR.' };
  const lowest = usable.reduce((a, b) => (b.r.earlyValLoss! < a.r.earlyValLoss! ? b : a));
  const cyclical = usable.find(({ r }) => r.cyclical === true);
  const pick = cyclical !== undefined && (cyclical.r.earlyValLoss! - lowest.r.earlyValLoss!) / Math.max(Math.abs(lowest.r.earlyValLoss!), 1e-12) <= LOSS_TIE ? cyclical : lowest;
  const diverged = runs.filter((r) => r.diverged).map((r) => r.label);
  const why = pick === lowest ? 'lowest early validation loss' : `as low as the best constant momentum (${lowest.r.label}, ${lowest.r.earlyValLoss!.toPrecision(3)}) and allows larger LRs`;
  return { best: pick.i, reason: `${pick.r.label}: ${why} (${pick.r.earlyValLoss!.toPrecision(3)})${diverged.length > 0 ? `; diverged: ${diverged.join(', ')}` : ''}.` };
}

export interface BatchSizeFacts {
  readonly batchSize: number;
  readonly ok: boolean;
  readonly timeToTarget: number | null;
  readonly finalValLoss: number | null;
}

/**
 * Batch size by wall-clock time (method.md §6): with a target, the size that reaches it soonest;
 * without one, the lowest validation loss at the end of the same budget. Within LOSS_TIE the
 * larger batch wins (it allows larger LRs and uses the hardware better).
 */
export function bestBatchSize(runs: readonly BatchSizeFacts[], hasTarget: boolean): { best: number | null; reason: string } {
  const ok = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.ok);
  if (ok.length === 0) return { best: null, reason: 'No batch size completed its run.' };
  if (hasTarget) {
    const reached = ok.filter(({ r }) => r.timeToTarget !== null);
    if (reached.length > 0) {
      const pick = reached.reduce((a, b) => (b.r.timeToTarget! < a.r.timeToTarget! ? b : a));
      return { best: pick.i, reason: `batch ${pick.r.batchSize} reaches the target first, in ${pick.r.timeToTarget!.toFixed(1)} s.` };
    }
  }
  const finite = ok.filter(({ r }) => r.finalValLoss !== null && Number.isFinite(r.finalValLoss));
  if (finite.length === 0) return { best: null, reason: 'No batch size ended with a finite validation loss.' };
  const lowest = finite.reduce((a, b) => (b.r.finalValLoss! < a.r.finalValLoss! ? b : a));
  const scale = Math.max(Math.abs(lowest.r.finalValLoss!), LOSS_FLOOR);
  const tied = finite.filter(({ r }) => (r.finalValLoss! - lowest.r.finalValLoss!) / scale <= LOSS_TIE);
  const pick = tied.reduce((a, b) => (b.r.batchSize > a.r.batchSize ? b : a));
  const prefix = hasTarget ? 'no size reached the target; ' : '';
  return {
    best: pick.i,
    reason: pick === lowest
      ? `${prefix}batch ${pick.r.batchSize} ends the equal-time budget with the lowest validation loss (${pick.r.finalValLoss!.toPrecision(3)}).`
      : `${prefix}batch ${pick.r.batchSize} ends as low as batch ${lowest.r.batchSize} (${pick.r.finalValLoss!.toPrecision(3)} vs ${lowest.r.finalValLoss!.toPrecision(3)}) and is larger.`,
  };
}
