/**
 * LR range test maths (method.md §1): the LR sweep, loss smoothing and the divergence stop.
 * The engine feeds one (lr, loss) pair per iteration to a `RangeTestTracker` and stops when it
 * says so; suggestions are computed afterwards from the recorded points (`suggestions.ts`).
 */
import type { RangePoint, RangeStopReason, SweepShape } from '../protocol/results';
import { OptionError, flagOf } from '../protocol/errors';
import { OPTIONS } from '../protocol/options';
import { checkNumberOption } from '../protocol/optionRules';

/** Longest sweep we accept; a typo like `--steps 1e9` must fail fast, not run for a week. */
export const MAX_RANGE_STEPS: number = OPTIONS.steps.range.max;
/** EMA factor β of fastai and Lightning. */
export const DEFAULT_SMOOTHING: number = OPTIONS.smoothing.default;
/** pytorch-lr-finder's `smooth_f` (weight of the new loss, no bias correction). */
export const LR_FINDER_SMOOTH_F = 0.05;
/** The k of `smooth > k × best`: 4 in fastai and Lightning (pytorch-lr-finder uses 5). */
export const DEFAULT_DIVERGE: number = OPTIONS.diverge.default;

export interface SweepOptions {
  readonly startLr: number;
  readonly endLr: number;
  readonly steps: number;
  readonly sweep: SweepShape;
}

/** Throws an `OptionError` naming the first bad option; the engine calls it before loading a model. */
export function checkSweepOptions(o: SweepOptions): void {
  for (const name of ['startLr', 'endLr'] as const) {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new OptionError(name, `${flagOf(name)} must be a number greater than 0, got ${String(v)}.`);
    }
    // The table's range: float32's (1e-320 ran as an LR of 0, and its ratio to --end-lr overflowed).
    checkNumberOption(name, v);
  }
  if (o.startLr >= o.endLr) {
    throw new OptionError('startLr', `${flagOf('startLr')} (${o.startLr}) must be below ${flagOf('endLr')} (${o.endLr}).`, 'The test sweeps the LR upwards, e.g. --start-lr 1e-7 --end-lr 10.');
  }
  if (typeof o.steps !== 'number' || !Number.isInteger(o.steps) || o.steps < 2 || o.steps > MAX_RANGE_STEPS) {
    throw new OptionError('steps', `${flagOf('steps')} must be a whole number between 2 and ${MAX_RANGE_STEPS}, got ${String(o.steps)}.`, 'About 100 steps is usual.');
  }
  if (o.sweep !== 'exp' && o.sweep !== 'linear') {
    throw new OptionError('sweep', `${flagOf('sweep')} must be exp or linear, got ${String(o.sweep)}.`);
  }
}

/**
 * The LR of iteration `i` of `steps`. Exponential uses `i/(N-1)` like pytorch-lr-finder, so the
 * last LR is exactly `endLr` (fastai's `i/N` stops one step short of it).
 */
export function sweepLr(o: SweepOptions, i: number): number {
  if (i === o.steps - 1) return o.endLr; // exact, whatever the rounding of the power
  const t = i / (o.steps - 1);
  return o.sweep === 'exp' ? o.startLr * (o.endLr / o.startLr) ** t : o.startLr + (o.endLr - o.startLr) * t;
}

export function lrSweep(o: SweepOptions): number[] {
  checkSweepOptions(o);
  return Array.from({ length: o.steps }, (_, i) => sweepLr(o, i));
}

/**
 * A running smoother of the loss. A non-finite loss returns `null` and leaves the state as it
 * was: one bad batch must not turn every later point into NaN.
 */
export interface LossSmoother {
  push(loss: number): number | null;
}

/**
 * fastai/Lightning: `avg = β·avg + (1-β)·loss; smooth = avg / (1 - β^n)`, n counting finite
 * losses only. The correction removes the pull towards the zero the average starts from.
 */
export class EmaSmoother implements LossSmoother {
  private average = 0;
  private count = 0;

  constructor(readonly beta = DEFAULT_SMOOTHING) {
    if (!(beta >= 0 && beta < 1)) throw new OptionError('smoothing', `${flagOf('smoothing')} must be in [0, 1), got ${beta}.`);
  }

  push(loss: number): number | null {
    if (!Number.isFinite(loss)) return null;
    this.count++;
    this.average = this.beta * this.average + (1 - this.beta) * loss;
    return this.average / (1 - this.beta ** this.count);
  }
}

/**
 * pytorch-lr-finder: `avg = f·loss + (1-f)·avg`, starting at the first loss, no bias
 * correction (`smooth_f` f = 0.05). Kept for comparing curves with that library.
 */
export class LrFinderSmoother implements LossSmoother {
  private average = 0;
  private started = false;

  constructor(readonly smoothF = LR_FINDER_SMOOTH_F) {
    if (!(smoothF > 0 && smoothF <= 1)) throw new OptionError('smoothing', `smooth_f must be in (0, 1], got ${smoothF}.`);
  }

  push(loss: number): number | null {
    if (!Number.isFinite(loss)) return null;
    this.average = this.started ? this.smoothF * loss + (1 - this.smoothF) * this.average : loss;
    this.started = true;
    return this.average;
  }
}

/**
 * Points recorded before the divergence rule may fire. The first few smoothed values rest on a
 * handful of batches, and at `startLr` nothing can have diverged yet that the next points will
 * not confirm; 5 costs at most 5 iterations of a ~100-step test.
 */
export const DIVERGENCE_WARMUP = 5;
/**
 * Smallest allowed rise scale in the divergence rule, as a fraction of the first smoothed loss.
 * A loss that reached ~1e-7 would otherwise "diverge" on a rise to 4e-7, which is noise; a rise
 * of (k-1) × 1% of where the loss started is a real change on every loss we have seen.
 */
export const DIVERGENCE_FLOOR_FRACTION = 0.01;
/** Absolute floor under the scale, for a test whose first loss is exactly 0. */
export const DIVERGENCE_FLOOR = 1e-8;

/**
 * Divergence: `smooth - best > (k - 1) * max(|best|, floor)`. For positive losses this is the
 * peers' `smooth > k * best`; written as a difference it also works for negative losses
 * (log-likelihoods), where `k * best` would sit *below* best.
 */
export function hasDiverged(smoothed: number, best: number, k: number, floor = DIVERGENCE_FLOOR): boolean {
  return smoothed - best > (k - 1) * Math.max(Math.abs(best), floor);
}

/**
 * The raw loss diverged, seen over this many consecutive batches. The EMA can miss a blow-up:
 * β 0.98 trails by ~49 iterations and tfjs caps cross-entropy near 16.1, so in a 100-step test
 * a raw loss of 9–15 from step 92 on leaves the smoothed loss under 4 × its best (method.md,
 * trap b). One batch above the line is a spike; three in a row (0.24 decade of LR in a
 * 100-step, 8-decade test) is not noise on any curve we have seen, and stopping 3 batches after
 * the blow-up still leaves the 5 trimmed end points inside it.
 */
export const RAW_DIVERGE_STEPS = 3;
/**
 * Where the raw rule takes the starting loss from: the median of the first raw losses (one odd
 * first batch must not set the bar), the same count as `DIVERGENCE_WARMUP`.
 */
const RAW_START_POINTS = DIVERGENCE_WARMUP;
/**
 * tfjs clips probabilities to [ε, 1 − ε] with ε = 1e-7 (float32) before the log, so one sample's
 * cross-entropy cannot exceed −ln(1e-7) ≈ 16.12: a classifier that is confidently wrong on
 * every sample sits there instead of at infinity.
 */
export const CROSS_ENTROPY_CAP = -Math.log(1e-7);
/**
 * "Pinned at the cap": the raw loss is at least half the cap. A saturated binary classifier that
 * is wrong on half its samples scores 0.5 × cap, a saturated 10-class one ~0.9 × cap; a model
 * still learning stays near or below its chance loss (ln C: 2.3 for 10 classes, 4.6 for 100),
 * far under 8.06. It matters when k × the start is above the cap (≥ ~55 classes at k = 4).
 */
export const CAP_PINNED_FRACTION = 0.5;
/** ...and the pinned loss must also be this far above the starting loss, so a test that starts near the cap is not "diverged" at once. */
export const CAP_MIN_RISE = 1.5;

export interface TrackerOptions {
  /** β of the EMA (default 0.98). With `biasCorrection: false`, `smooth_f = 1 - β` (default 0.05). */
  readonly smoothing?: number;
  /** `false`: pytorch-lr-finder's smoother instead of fastai's. */
  readonly biasCorrection?: boolean;
  /** The k of the divergence rule (default 4), for the smoothed loss against its best and the raw loss against its start. */
  readonly diverge?: number;
  /** The framework's ceiling on one batch's loss (`CROSS_ENTROPY_CAP` for cross-entropy), or none. */
  readonly lossCap?: number | null;
}

export type TrackerStop = Exclude<RangeStopReason, 'completed' | 'cancelled'> | null;

/** Records a range test point by point and says when to stop. */
export class RangeTestTracker {
  readonly points: RangePoint[] = [];
  private readonly smoother: LossSmoother;
  private readonly k: number;
  private readonly cap: number | null;
  private best = Number.POSITIVE_INFINITY;
  private floor = DIVERGENCE_FLOOR;
  private readonly firstRaw: number[] = [];
  private rawStart: number | null = null;
  /** Index of the first point of the current run of raw losses over the line, else `null`. */
  private rawRunFrom: number | null = null;
  /** The LR where the run stopped for divergence (the first point of the raw rule's streak), else `null`. */
  divergedAt: number | null = null;

  constructor(options: TrackerOptions = {}) {
    this.smoother =
      options.biasCorrection === false
        ? new LrFinderSmoother(options.smoothing === undefined ? LR_FINDER_SMOOTH_F : 1 - options.smoothing)
        : new EmaSmoother(options.smoothing ?? DEFAULT_SMOOTHING);
    this.k = options.diverge ?? DEFAULT_DIVERGE;
    this.cap = options.lossCap ?? null;
    if (!Number.isFinite(this.k) || this.k <= 1) throw new OptionError('diverge', `${flagOf('diverge')} must be greater than 1, got ${this.k}.`);
  }

  /** Lowest smoothed loss so far (`null` before the first finite one). */
  get bestLoss(): number | null {
    return Number.isFinite(this.best) ? this.best : null;
  }

  push(lr: number, loss: number): { point: RangePoint; stop: TrackerStop } {
    const smoothed = this.smoother.push(loss);
    const point: RangePoint = { lr, loss: Number.isFinite(loss) ? loss : null, smoothed };
    this.points.push(point);
    if (smoothed === null) {
      this.divergedAt = lr;
      return { point, stop: 'non-finite' };
    }
    if (this.best === Number.POSITIVE_INFINITY) this.floor = Math.max(DIVERGENCE_FLOOR, DIVERGENCE_FLOOR_FRACTION * Math.abs(smoothed));
    const warm = this.points.length > DIVERGENCE_WARMUP;
    const emaDiverged = warm && hasDiverged(smoothed, this.best, this.k, this.floor);
    if (smoothed < this.best) this.best = smoothed;
    const rawFrom = this.rawDiverged(loss);
    if (emaDiverged || (warm && rawFrom !== null)) {
      this.divergedAt = rawFrom === null ? lr : this.points[rawFrom]!.lr;
      return { point, stop: 'diverged' };
    }
    return { point, stop: null };
  }

  /** Whether this raw loss is over the line (k × the start, or pinned at the cap). */
  rawOverLine(loss: number): boolean {
    if (this.rawStart === null) return false;
    const start = this.rawStart;
    if (hasDiverged(loss, start, this.k, this.floor)) return true;
    return this.cap !== null && loss >= CAP_PINNED_FRACTION * this.cap && hasDiverged(loss, start, CAP_MIN_RISE, this.floor);
  }

  /** Index of the first point of a streak of `RAW_DIVERGE_STEPS` raw losses over the line, else `null`. */
  private rawDiverged(loss: number): number | null {
    if (this.rawStart === null) {
      this.firstRaw.push(loss);
      if (this.firstRaw.length === RAW_START_POINTS) this.rawStart = [...this.firstRaw].sort((a, b) => a - b)[RAW_START_POINTS >> 1]!;
      return null;
    }
    if (!this.rawOverLine(loss)) {
      this.rawRunFrom = null;
      return null;
    }
    this.rawRunFrom ??= this.points.length - 1;
    return this.points.length - this.rawRunFrom >= RAW_DIVERGE_STEPS ? this.rawRunFrom : null;
  }
}
