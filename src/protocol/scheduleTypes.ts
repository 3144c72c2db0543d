/**
 * The schedule types (`lrlab schedule`, the 1cycle a run trains with): a part of `results.ts`,
 * re-exported there, kept apart so that file stays one screenful per result kind.
 */
export type SchedulePolicy = 'onecycle' | 'smith' | 'fastai' | 'triangular' | 'triangular2' | 'exp_range' | 'constant';
export const SCHEDULE_POLICIES: readonly SchedulePolicy[] = ['onecycle', 'smith', 'fastai', 'triangular', 'triangular2', 'exp_range', 'constant'];

export type AnnealStrategy = 'cos' | 'linear';
export type CyclicScaleMode = 'cycle' | 'iterations';

/**
 * Options of every schedule, PyTorch-named. Each policy reads the ones it knows; defaults are
 * documented on the policy in `src/core/schedules.ts`.
 */
export interface ScheduleOptions {
  readonly maxLr?: number;
  readonly baseLr?: number;
  readonly minLr?: number;
  readonly totalSteps?: number;
  readonly pctStart?: number;
  readonly divFactor?: number;
  readonly finalDivFactor?: number;
  readonly anneal?: AnnealStrategy;
  readonly threePhase?: boolean;
  readonly baseMomentum?: number;
  readonly maxMomentum?: number;
  readonly cycleMomentum?: boolean;
  readonly stepSizeUp?: number;
  readonly stepSizeDown?: number;
  readonly gamma?: number;
  readonly scaleMode?: CyclicScaleMode;
  readonly annihilationPct?: number;
  readonly annihilationDiv?: number;
  readonly lr?: number;
  /** The constant policy's momentum, or the one a cycling policy holds with `cycleMomentum: false`. */
  readonly momentum?: number;
}

export interface ScheduleStep {
  readonly step: number;
  readonly lr: number;
  /** `null` when the policy does not drive momentum (`cycleMomentum: false` without a `momentum`). */
  readonly momentum: number | null;
}

/** `lrlab schedule --json`: exactly `{ policy, steps: [{ step, lr, momentum }] }`. */
export interface ScheduleResult {
  readonly policy: SchedulePolicy;
  readonly steps: readonly ScheduleStep[];
}
