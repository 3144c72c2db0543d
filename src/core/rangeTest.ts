/**
 * LR range test maths (method.md §1): the LR sweep, loss smoothing and the divergence stop.
 * The engine feeds one (lr, loss) pair per iteration to a `RangeTestTracker` and stops when it
 * says so; suggestions are computed afterwards from the recorded points (`suggestions.ts`).
 */
import type { RangePoint, RangeStopReason, SweepShape } from '../protocol/results';
import { OptionError, flagOf } from '../protocol/errors';

/** Longest sweep we accept; a typo like `--steps 1e9` must fail fast, not run for a week. */
export const MAX_RANGE_STEPS = 100_000;

export interface SweepOptions {
  readonly startLr: number;
  readonly endLr: number;
  readonly steps: number;
  readonly sweep: SweepShape;
}

export function checkSweepOptions(o: SweepOptions): void {
  for (const name of ['startLr', 'endLr'] as const) {
    const v = o[name];
    if (!Number.isFinite(v) || v <= 0) throw new OptionError(name, `${flagOf(name)} must be a number greater than 0, got ${String(v)}.`);
  }
  if (o.startLr >= o.endLr) {
    throw new OptionError('startLr', `${flagOf('startLr')} (${o.startLr}) must be below ${flagOf('endLr')} (${o.endLr}).`, 'The test sweeps the LR upwards, e.g. --start-lr 1e-7 --end-lr 10.');
  }
  if (!Number.isInteger(o.steps) || o.steps < 2 || o.steps > MAX_RANGE_STEPS) {
    throw new OptionError('steps', `${flagOf('steps')} must be a whole number between 2 and ${MAX_RANGE_STEPS}, got ${String(o.steps)}.`, 'About 100 steps is usual.');
  }
  if (o.sweep !== 'exp' && o.sweep !== 'linear') {
    throw new OptionError('sweep', `${flagOf('sweep')} must be exp or linear, got ${String(o.sweep)}.`);
  }
}

/**
 * The LR of iteration `i` of `steps`: exponential `start*(end/start)^(i/(N-1))` (pytorch-lr-finder;
 * the last LR is `end`, unlike fastai's `i/N`) or linear.
 */
export function sweepLr(o: SweepOptions, i: number): number {
  const t = i / (o.steps - 1);
  return o.sweep === 'exp' ? o.startLr * (o.endLr / o.startLr) ** t : o.startLr + (o.endLr - o.startLr) * t;
}

export function lrSweep(o: SweepOptions): number[] {
  checkSweepOptions(o);
  return Array.from({ length: o.steps }, (_, i) => sweepLr(o, i));
}

/**
 * Exponential moving average of the loss. With `biasCorrection` (fastai, Lightning; β 0.98):
 * `avg = β·avg + (1-β)·loss; smooth = avg / (1 - β^(n))`. Without it (pytorch-lr-finder,
 * `smooth_f = 1-β = 0.05`): the first value is the loss itself. A non-finite loss returns
 * `null` and leaves the average untouched, so one bad batch does not poison the curve.
 */
export class LossSmoother {
  private average = 0;
  private count = 0;

  constructor(
    readonly beta = 0.98,
    readonly biasCorrection = true,
  ) {
    if (!(beta >= 0 && beta < 1)) throw new OptionError('smoothing', `${flagOf('smoothing')} must be in [0, 1), got ${beta}.`);
  }

  push(loss: number): number | null {
    if (!Number.isFinite(loss)) return null;
    this.count++;
    if (this.biasCorrection) {
      this.average = this.beta * this.average + (1 - this.beta) * loss;
      return this.average / (1 - this.beta ** this.count);
    }
    this.average = this.count === 1 ? loss : (1 - this.beta) * loss + this.beta * this.average;
    return this.average;
  }
}

/** Points seen before the divergence rule may fire: the first smoothed values are too noisy. */
export const DIVERGENCE_WARMUP = 5;
/**
 * Absolute floor under |best| in the divergence test, so that a best loss of ~0 does not make
 * every wobble count as divergence. Losses are O(1e-3..1e1) in practice; 1e-8 only matters
 * for losses that are essentially zero.
 */
export const DIVERGENCE_FLOOR = 1e-8;

/**
 * Divergence: `smooth - best > (k - 1) * max(|best|, floor)`. For positive losses this is the
 * peers' `smooth > k * best` (k = 4 fastai/Lightning, 5 pytorch-lr-finder); written as a
 * difference it also works for negative losses (log-likelihoods) and losses near zero.
 */
export function hasDiverged(smoothed: number, best: number, k: number): boolean {
  return smoothed - best > (k - 1) * Math.max(Math.abs(best), DIVERGENCE_FLOOR);
}

export interface TrackerOptions {
  readonly smoothing?: number;
  readonly biasCorrection?: boolean;
  /** The k of the divergence rule (default 4). */
  readonly diverge?: number;
}

export type TrackerStop = Exclude<RangeStopReason, 'completed' | 'cancelled'> | null;

/** Records a range test point by point and says when to stop. */
export class RangeTestTracker {
  readonly points: RangePoint[] = [];
  private readonly smoother: LossSmoother;
  private readonly k: number;
  private best = Number.POSITIVE_INFINITY;

  constructor(options: TrackerOptions = {}) {
    this.smoother = new LossSmoother(options.smoothing ?? 0.98, options.biasCorrection ?? true);
    this.k = options.diverge ?? 4;
    if (!Number.isFinite(this.k) || this.k <= 1) throw new OptionError('diverge', `${flagOf('diverge')} must be greater than 1, got ${this.k}.`);
  }

  push(lr: number, loss: number): { point: RangePoint; stop: TrackerStop } {
    const smoothed = this.smoother.push(loss);
    const point: RangePoint = { lr, loss: Number.isFinite(loss) ? loss : null, smoothed };
    this.points.push(point);
    if (smoothed === null) return { point, stop: 'non-finite' };
    const diverged = this.points.length > DIVERGENCE_WARMUP && hasDiverged(smoothed, this.best, this.k);
    if (smoothed < this.best) this.best = smoothed;
    return { point, stop: diverged ? 'diverged' : null };
  }
}
