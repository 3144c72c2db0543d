import type { OptionName, OptionSource } from './options';
import type { OptimizerHyperParameters } from './optimizerDefaults';

/**
 * Every result LR Lab prints (`lrlab ... --json`) and draws (webview) is defined here, once.
 * Plain JSON: no classes, no tfjs, no vscode. Numbers that can be NaN/Inf in a run are typed
 * `number | null` because JSON has no NaN; `null` always means "not computable / not finite".
 *
 * One name per option everywhere: CLI flag `--max-lr` = setting `lrlab.maxLr` = field `maxLr`.
 */

/**
 * Bumped when a result shape changes (history files store it). 2: `optimizer` and
 * `settings.sources` on results that train; `recommended` (the headline LR) and `fitted` (the
 * lag-free curve) on range tests and sweep curves. v1 files lack them and still load (read
 * range tests through `src/protocol/rangeView.ts`, which treats the missing fields as absent).
 */
export const RESULT_FORMAT_VERSION = 2;

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The engine's optimizers: its own SGD/Nesterov/Adam/AdamW, and tfjs's Adamax, RMSprop, Adagrad and Adadelta updates. */
export type OptimizerName = 'sgd' | 'nesterov' | 'adam' | 'adamw' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'nesterov', 'adam', 'adamw', 'adamax', 'rmsprop', 'adagrad', 'adadelta'];

/**
 * The optimizer a run trained with, its values, and where each came from: a flag, a setting, the
 * user's `model.compile`, or the default. `lr` is the compiled LR when the run used it (a constant
 * schedule); `null` where LR Lab's sweep or schedule drives the LR.
 */
export interface OptimizerReport extends OptimizerHyperParameters {
  readonly name: OptimizerName;
  readonly lr: number | null;
  readonly sources: Readonly<Partial<Record<'optimizer' | 'lr' | keyof OptimizerHyperParameters, OptionSource>>>;
}

/** Which backend ran, where its tfjs came from, and (for a slow or fallback choice) why. */
export interface BackendReport {
  readonly name: BackendName;
  readonly requested: BackendChoice;
  /** `workspace`: the user's own tfjs-node; `extension`: LR Lab's optional tfjs-node; `bundled`: LR Lab's tfjs. */
  readonly source: 'workspace' | 'extension' | 'bundled';
  readonly tfjsVersion: string;
  readonly threads: number;
  /** Human text: why this backend (always set when `cpu` runs). */
  readonly note: string | null;
  /** wasm only: the kernels LR Lab registered or replaced for training (src/engine/wasmKernels). */
  readonly wasmKernels?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Scale-out: where a trial ran (`--redis`; absent on local runs)

/** An `lrlab worker` process: its id, backend and the hardware that makes its wall times what they are. */
export interface WorkerInfo {
  /** `<host>:<pid>`. */
  readonly id: string;
  readonly backend: BackendName;
  readonly threads: number;
  /** CPU model, as the OS names it. */
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  /** LR Lab version of the worker. */
  readonly version: string;
}

/** Set on every trial that a worker ran (`curves[i]`, short runs, batch-size runs). */
export interface TrialPlacement {
  /** `<host>:<pid>` of the worker (a `WorkerInfo.id` of the result's `workers`). */
  readonly worker?: string;
  readonly backend?: BackendName;
}

// ---------------------------------------------------------------------------------------------
// Schedules

export type SchedulePolicy =
  | 'onecycle'
  | 'smith'
  | 'fastai'
  | 'triangular'
  | 'triangular2'
  | 'exp_range'
  | 'constant';
export const SCHEDULE_POLICIES: readonly SchedulePolicy[] = [
  'onecycle',
  'smith',
  'fastai',
  'triangular',
  'triangular2',
  'exp_range',
  'constant',
];

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
  readonly momentum?: number;
}

export interface ScheduleStep {
  readonly step: number;
  readonly lr: number;
  /** `null` when the policy does not drive momentum (`cycleMomentum: false`). */
  readonly momentum: number | null;
}

/** `lrlab schedule --json`: exactly `{ policy, steps: [{ step, lr, momentum }] }`. */
export interface ScheduleResult {
  readonly policy: SchedulePolicy;
  readonly steps: readonly ScheduleStep[];
}

// ---------------------------------------------------------------------------------------------
// LR range test

export type SweepShape = 'exp' | 'linear';
export type LossSignal = 'train' | 'val';
export type SuggestionName = 'steep' | 'valley' | 'minimum';

export interface RangePoint {
  readonly lr: number;
  /** Raw loss of this iteration (`null` when NaN/Inf). */
  readonly loss: number | null;
  /** Bias-corrected EMA of the loss (`null` when not finite). */
  readonly smoothed: number | null;
}

export interface LrRange {
  readonly minLr: number;
  readonly maxLr: number;
}

/**
 * One point of the lag-free curve the suggestions are read from (a centred local-linear fit of
 * the raw loss, `src/core/curveShape.ts`). Its LRs are the recorded ones (averaged groups past
 * 1,000 points).
 */
export interface FittedPoint {
  readonly lr: number;
  readonly loss: number;
}

/**
 * The one LR range LR Lab recommends for 1cycle (the headline): `maxLr` from the rule in
 * `src/core/headline.ts`, `minLr = maxLr / 10`, and the reason in words.
 */
export interface LrRecommendation {
  readonly maxLr: number;
  readonly minLr: number;
  readonly reason: string;
}

export type RangeStopReason = 'completed' | 'diverged' | 'non-finite' | 'cancelled';

export interface FindLrSettings {
  readonly startLr: number;
  readonly endLr: number;
  readonly steps: number;
  readonly sweep: SweepShape;
  readonly signal: LossSignal;
  readonly smoothing: number;
  readonly diverge: number;
  readonly optimizer: OptimizerName;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly seed: number | null;
  /** Where each setting came from (absent in results of format 1). */
  readonly sources?: Readonly<Partial<Record<OptionName, OptionSource>>>;
}

/** `lrlab find-lr --json`. */
export interface FindLrResult {
  readonly kind: 'find-lr';
  readonly model: string;
  readonly backend: BackendName;
  readonly backendNote: string | null;
  /** Threads the backend computes with (wasm's threaded build: one per CPU); absent in older results. */
  readonly backendThreads?: number;
  readonly seconds: number;
  readonly settings: FindLrSettings;
  readonly points: readonly RangePoint[];
  /** The LR at which the run stopped for divergence or a non-finite loss, else `null`. */
  readonly divergedAt: number | null;
  readonly stopReason: RangeStopReason;
  /** The headline: the one max LR LR Lab recommends for 1cycle (`null` when the curve gives none). */
  readonly recommended: LrRecommendation | null;
  /** The lag-free curve every suggestion is read from (empty when too few points). */
  readonly fitted: readonly FittedPoint[];
  /** Alternatives, by their peers' definitions (`minimum` = LR at the lowest smoothed loss ÷ 10). */
  readonly suggestions: Readonly<Record<SuggestionName, number | null>>;
  /** Smith's range: `maxLr` still clearly falling, `minLr = maxLr / 10`. */
  readonly range: LrRange | null;
  readonly reasons: Readonly<Record<SuggestionName | 'range', string>>;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Regularization sweep (one range test per combination)

export interface SweepCurve extends TrialPlacement {
  readonly label: string;
  readonly weightDecay: number;
  readonly dropout: number | null;
  readonly momentum: number | null;
  readonly points: readonly RangePoint[];
  /** Where the run stopped for divergence or a non-finite loss (as in `FindLrResult`), else `null`. */
  readonly divergedAt: number | null;
  /**
   * Where the loss blows up, by the headline's rule: the first LR past the lowest fitted point
   * where the lightly smoothed raw loss is back above its start; `null` when it does not (and in
   * results written before it).
   */
  readonly blowUpLr: number | null;
  /** Lowest loss of the fitted curve (the name predates the fit; older results: of the EMA). */
  readonly minSmoothedLoss: number | null;
  readonly lrAtMinLoss: number | null;
  /**
   * Stable range: from the first clearly falling LR to the last LR where the fitted loss is still
   * at its lowest (within 10% of the drop) and has not blown up; a curve still falling at the end
   * of the test reaches its last point.
   */
  readonly stableRange: LrRange | null;
  /** log10(maxLr / minLr) of the stable range, 0 when none. */
  readonly stableDecades: number;
  readonly suggestions: Readonly<Record<SuggestionName, number | null>>;
  /** This curve's headline LR (as in `FindLrResult.recommended`). */
  readonly recommended: LrRecommendation | null;
  /** This curve's lag-free fit (as in `FindLrResult.fitted`). */
  readonly fitted: readonly FittedPoint[];
}

/** `lrlab sweep --json`. */
export interface SweepResult {
  readonly kind: 'sweep';
  readonly model: string;
  readonly backend: BackendName;
  readonly seconds: number;
  readonly settings: FindLrSettings;
  readonly curves: readonly SweepCurve[];
  /** Index into `curves`, or `null` when nothing could be chosen. */
  readonly best: number | null;
  readonly reason: string;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
  /** The workers that ran its trials (`--redis`); absent on local runs. */
  readonly workers?: readonly WorkerInfo[];
}

// ---------------------------------------------------------------------------------------------
// Short-run studies: momentum and weight decay

export interface StepRecord {
  readonly step: number;
  readonly lr: number;
  readonly momentum: number | null;
  readonly trainLoss: number | null;
  readonly valLoss: number | null;
  readonly seconds: number;
}

export interface ShortRun extends TrialPlacement {
  readonly label: string;
  readonly records: readonly StepRecord[];
  /** Mean validation loss over the last evaluations of the run (the "early validation loss"). */
  readonly earlyValLoss: number | null;
  readonly diverged: boolean;
}

export interface MomentumRun extends ShortRun {
  /** Constant momentum, or the cyclical range (max → min while LR rises). */
  readonly momentum: number | { readonly max: number; readonly min: number };
}

/** `lrlab sweep --momentum ... --short-runs --json`. */
export interface MomentumResult {
  readonly kind: 'momentum';
  readonly model: string;
  readonly backend: BackendName;
  readonly seconds: number;
  readonly lr: LrRange;
  readonly runs: readonly MomentumRun[];
  readonly best: number | null;
  readonly reason: string;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
  /** The workers that ran its trials (`--redis`); absent on local runs. */
  readonly workers?: readonly WorkerInfo[];
}

export interface WeightDecayRun extends ShortRun {
  readonly weightDecay: number;
}

export interface WeightDecayResult {
  readonly kind: 'weight-decay';
  readonly model: string;
  readonly backend: BackendName;
  readonly seconds: number;
  readonly runs: readonly WeightDecayRun[];
  readonly best: number | null;
  readonly reason: string;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
  /** The workers that ran its trials (`--redis`); absent on local runs. */
  readonly workers?: readonly WorkerInfo[];
}

// ---------------------------------------------------------------------------------------------
// Batch size by wall-clock time

export interface TimePoint {
  readonly seconds: number;
  readonly epoch: number;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
}

export interface BatchSizeRun extends TrialPlacement {
  readonly batchSize: number;
  readonly status: 'ok' | 'skipped' | 'failed';
  /** Why a size was skipped or failed (out of memory, larger than the data, ...). */
  readonly reason: string | null;
  readonly maxLr: number | null;
  /** Training steps per second at this size in its timed run (per-epoch evaluations included); `null` before a second epoch. */
  readonly stepsPerSecond: number | null;
  readonly curve: readonly TimePoint[];
  readonly timeToTarget: number | null;
  readonly finalValLoss: number | null;
  readonly finalValAccuracy: number | null;
}

export type TargetMetric = 'accuracy' | 'loss';

export interface BatchSizeResult {
  readonly kind: 'batch-size';
  readonly model: string;
  readonly backend: BackendName;
  readonly seconds: number;
  readonly budgetSeconds: number;
  readonly target: { readonly metric: TargetMetric; readonly value: number } | null;
  readonly runs: readonly BatchSizeRun[];
  readonly best: number | null;
  readonly reason: string;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
  /** The workers that ran its trials (`--redis`); absent on local runs. */
  readonly workers?: readonly WorkerInfo[];
}

// ---------------------------------------------------------------------------------------------
// Training and diagnosis

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number | null;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  /** LR and momentum at the end of the epoch. */
  readonly lr: number;
  readonly momentum: number | null;
  /** Wall time since the start of training. */
  readonly seconds: number;
}

export type Verdict = 'underfitting' | 'overfitting' | 'good';

export interface Diagnosis {
  /** `null` when the history is too short or not finite: `reason` says why. */
  readonly verdict: Verdict | null;
  readonly reason: string;
}

/** `lrlab train --json`. */
export interface TrainResult {
  readonly kind: 'train';
  readonly model: string;
  readonly backend: BackendName;
  readonly seconds: number;
  readonly policy: SchedulePolicy;
  readonly schedule: ScheduleOptions;
  readonly history: readonly EpochRecord[];
  readonly diagnosis: Diagnosis;
  readonly savedTo: string | null;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The recipe (Smith, Section 5)

export interface Recommendation {
  /** The range test's headline (`FindLrResult.recommended`; after a batch-size change, that size's headline). */
  readonly lr: LrRange;
  readonly momentum: { readonly max: number; readonly min: number };
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly schedule: SchedulePolicy;
}

export type RecipeStepName = 'range-test' | 'batch-size' | 'momentum' | 'weight-decay' | 'train';

export interface RecipeStep {
  readonly name: RecipeStepName;
  readonly status: 'done' | 'shortened' | 'skipped';
  readonly message: string;
  readonly seconds: number;
  readonly evidence:
    | FindLrResult
    | BatchSizeResult
    | MomentumResult
    | WeightDecayResult
    | TrainResult
    | null;
}

export interface RecipeResult {
  readonly kind: 'recipe';
  readonly model: string;
  readonly backend: BackendName;
  readonly seconds: number;
  readonly budgetSeconds: number;
  readonly estimatedSeconds: number;
  readonly steps: readonly RecipeStep[];
  readonly recommendation: Recommendation | null;
  readonly diagnosis: Diagnosis | null;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
}

export type AnyResult =
  | FindLrResult
  | SweepResult
  | MomentumResult
  | WeightDecayResult
  | BatchSizeResult
  | TrainResult
  | RecipeResult;
