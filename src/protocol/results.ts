import type { OptionName, OptionSource } from './options';
import type { OptimizerHyperParameters } from './optimizerDefaults';
import type { ScheduleOptions, SchedulePolicy } from './scheduleTypes';

/**
 * Every result LR Lab prints (`lrlab ... --json`) and draws (webview) is defined here, once.
 * Plain JSON: no classes, no tfjs, no vscode. Numbers that can be NaN/Inf in a run are typed
 * `number | null` because JSON has no NaN; `null` always means "not computable / not finite".
 *
 * One name per option everywhere: CLI flag `--lr-trials` = setting `lrlab.lrTrials` = field `lrTrials`.
 */

/**
 * Bumped when a result shape changes (history files store it). 2: `optimizer`, `settings.sources`,
 * `recommended`/`fitted` (range tests, sweep curves), `baseline`, epoch `metrics`/`valMetrics`, a
 * recipe's `failure` and `epochsReason`, `'not-learning'`. v1 files still load: `resultSchema.ts`
 * reads what they lack as empty (range tests through `rangeView.ts`). 5: `trials.earlier`. 6: train's
 * `normStats`, short runs' `records[].valAccuracy`. 7: `trials.runs[].earlyValAccuracy`. 8: `trials.seeds`,
 * `trials.runs[].bySeed`. 9: `baseline.constant` ('median' under absolute error). 10: `trials.earlier[].outcome`
 * 'barely learned'. 11: 'still learned nothing' (runs 3x as long learned nothing either: 9x lower next).
 * 12: sweep curves' `noHeadline` (why a curve has no max LR). 13: `recommended.learned` (false: nothing
 * was seen to learn, the LR is the curve's alone). 14: a recipe step's `compared` (the confirming run
 * again, 3x lower, after one that broke down); the verdict `unstable`. 15: `baseline.constant` 'fitted' (the
 * best constant under Huber or log-cosh loss); `baseline.accuracy`, `baseline.valSamples` (the chance accuracy).
 * 16: find-lr's `fitCall` (a training script's tested fit call). 17: a recipe step's `checked` (the
 * recommended epochs, fewer than the confirming run's, run once as a cycle of their own). 18:
 * `fitCall.text` (the fit call's line as the script had it: the editor finds the call again after edits).
 * 19: epoch `trainPenalty` (the model's own regularization terms, apart from `trainLoss`). 20: train's
 * `settings` (batch size, epochs asked, weight decay, dropout, seed: what the run was, beside its schedule).
 * 21: `baseline.outputs` (a multi-label classifier's labels per sample, each scored apart by its accuracy);
 * `baseline.floor` (soft labels' own entropy, the lowest loss any model reaches under cross-entropy).
 * 22: `recommended.cut` (read from a range test the cancel cut short). 23: a batch-size study's
 * `trainSamples` (the training split's size, where a size was larger).
 */
export const RESULT_FORMAT_VERSION = 23;

/** The longest fit-call line a result keeps as `fitCall.text` (UTF-16 units, trimmed). */
export const FIT_TEXT_MAX = 300;

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The engine's optimizers: its own SGD/Nesterov/Adam/AdamW, and tfjs's Adamax, RMSprop, Adagrad and Adadelta updates. */
export type OptimizerName = 'sgd' | 'nesterov' | 'adam' | 'adamw' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'nesterov', 'adam', 'adamw', 'adamax', 'rmsprop', 'adagrad', 'adadelta'];
/** Optimizers whose LRs (and hyper-parameters) are alike: SGD with or without momentum and Nesterov; Adam and AdamW. */
export type OptimizerFamily = 'sgd' | 'adam' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';
export const OPTIMIZER_FAMILY: Readonly<Record<OptimizerName, OptimizerFamily>> = { sgd: 'sgd', nesterov: 'sgd', adam: 'adam', adamw: 'adam', adamax: 'adamax', rmsprop: 'rmsprop', adagrad: 'adagrad', adadelta: 'adadelta' };

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

/**
 * Baseline: the loss of a model that learned nothing, the best constant prediction's, from the
 * labels (`src/core/baseline.ts`): `chance` for classification (the entropy of the class
 * frequencies: ln C for C balanced classes, the binary entropy for sigmoid outputs), `mean` for
 * regression (MSE: the label variance; MAE: the mean absolute deviation from the median), `chance`
 * for hinge and squared hinge (the best constant margin's loss).
 * `valLoss`: the training split's constant on the validation labels. `null` on a result when the
 * loss has no known constant optimum (custom losses, categorical hinge, ...); the warnings then say why.
 */
export interface Baseline {
  readonly loss: number;
  readonly valLoss: number | null;
  readonly kind: 'chance' | 'mean';
  /** The constant of a `'mean'` baseline where it is not the mean: the median under absolute error (format 9), the best constant found under Huber or log-cosh loss, `'fitted'` (format 15); absent: the mean. */
  readonly constant?: 'median' | 'fitted';
  /**
   * A classifier's chance accuracy: the best validation accuracy of a constant prediction (always its
   * most frequent class; per output for sigmoid outputs), and the validation samples it was read on
   * (format 15; absent without validation labels, for regressions, and in older files).
   */
  readonly accuracy?: number;
  readonly valSamples?: number;
  /**
   * Labels per sample that the accuracy scores one by one, where there are several: a multi-label
   * classifier's sigmoid (or hinge) outputs. Its accuracy and chance accuracy are shares of
   * `valSamples × outputs` decisions (format 21; absent: one per sample).
   */
  readonly outputs?: number;
  /**
   * The lowest loss any model reaches, where it is not 0: soft labels' own entropy under
   * cross-entropy (label-smoothed or distilled targets), on the training and validation labels
   * (format 21; absent: 0, as for one-hot labels and every regression).
   */
  readonly floor?: { readonly loss: number; readonly valLoss: number | null };
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

// Schedules: `scheduleTypes.ts`.
export type { AnnealStrategy, CyclicScaleMode, SchedulePolicy, ScheduleOptions, ScheduleResult, ScheduleStep } from './scheduleTypes';
export { SCHEDULE_POLICIES } from './scheduleTypes';

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
  /**
   * Whether anything was seen to learn: `false` where no range test got clearly below the baseline
   * and no short 1cycle run did either — the LR is where the loss curve bottoms out, unconfirmed
   * (unlearnable labels, or a model that learns slowly: the warnings say what to compare), and the
   * reason starts with "unconfirmed". Files older than format 13 read as `true`.
   */
  readonly learned: boolean;
  /**
   * `true` where it is read from a range test the cancel cut short (no test ran whole): the LRs above
   * where it stopped were never tried, so it is no recommendation to insert or train at. Absent otherwise.
   */
  readonly cut?: boolean;
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
  /** From the model build to the last point, first steps' compilation included; with several range tests (`rangeTests`), their sum; the short runs of `trials` not included (their own `seconds`). */
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
  readonly baseline: Baseline | null;
  /**
   * With `rangeTests` above 1 (format 3): every range test run, in order; the result's curve,
   * suggestions and headline are those of the test whose headline is the median.
   */
  readonly rangeTests?: readonly RangeTestSummary[];
  /**
   * With `--lr-trials N` (format 4): the short 1cycle runs around the range tests' headline; the
   * best of them is `recommended`.
   */
  readonly trials?: LrTrials;
  /**
   * A training script's run (format 16): the fit call in `model` whose model, data and optimizer
   * were tested (1-based line). The editor offers the schedule only above fits of that model: a
   * file's other model, compiled with another optimizer, was offered this one's LR. `text` (format
   * 18): that line as the script had it while it ran to the call, trimmed (absent where the file
   * changed meanwhile, or the line is longer than `FIT_TEXT_MAX` or holds control characters): after
   * edits that move lines, the editor finds the call by it instead of taking whatever fit is at `line` now.
   */
  readonly fitCall?: { readonly line: number; readonly method: 'fit' | 'fitDataset'; readonly text?: string };
}

/** `find-lr --lr-trials N`: short 1cycle runs at candidate max LRs, judged on early validation loss (and accuracy, where the model has one: core `bestTrial`). */
export interface LrTrials {
  /** Steps of each run. */
  readonly steps: number;
  /** The range tests' headline the candidates were spread around (`null`: none; they came from where the test stopped). */
  readonly around: number | null;
  /**
   * One per candidate, ascending LR; where the best's seeds split and it was the lowest, one more
   * below it (core `stepDownFromSplit`). `earlyValLoss` is `null` where the run diverged or was cancelled;
   * `earlyValAccuracy` (format 7) is the validation accuracy at the same checkpoints, `null` without
   * one (a regression, a custom loss; and in older files).
   */
  readonly runs: readonly TrialRun[];
  /** Format 8: the seeds each candidate ran at (`--trial-seeds`; 1 in older files); its run is their mean (core `meanOverSeeds`). */
  readonly seeds: number;
  /**
   * The candidate chosen (core `bestTrial`: the lowest early validation loss, a higher LR within 2%
   * of it, or a run over a point more accurate than that; the run one candidate lower where that
   * one's seeds split and every seed learned at the lower: core `stepDownFromSplit`), or `null` when
   * none was. The recommended max LR is this one, or half a step lower where it sits at the range
   * test's blow-up edge (core `backOffFromEdge`; its reason says so).
   */
  readonly picked: number | null;
  /** The short runs' time (`FindLrResult.seconds` is the range tests' alone), `first` included. */
  readonly seconds: number;
  /**
   * Format 5: around a headline, the rounds that ran before the one `steps`/`runs`/`picked` are read
   * from, in order: a round whose runs all broke down (diverged, or ended above BROKE_DOWN × the
   * baseline) is followed by the same factors 9x lower; one whose runs all learned nothing yet (at
   * the baseline) by the same LRs 3x as long, and so is one whose pick barely learned (core
   * BARELY_LEARNED) where no round ran longer yet; a longer round that learned nothing either
   * (format 11: 'still learned nothing') by the same factors 9x lower, as long. Absent when the first
   * round decided.
   */
  readonly earlier?: readonly LrTrialRound[];
}

/** One candidate of find-lr's short runs: with several seeds, their mean (diverged where any seed diverged) and each seed's run. */
export interface TrialRun {
  readonly maxLr: number;
  readonly earlyValLoss: number | null;
  readonly earlyValAccuracy: number | null;
  readonly diverged: boolean;
  /** Format 8, with more than one seed: each seed's run in order, up to the first that diverged (absent with one seed). */
  readonly bySeed?: readonly TrialSeedRun[];
}

/** One seed's short run at a candidate LR (`TrialRun.bySeed`). */
export interface TrialSeedRun {
  readonly seed: number;
  readonly earlyValLoss: number | null;
  readonly earlyValAccuracy: number | null;
  readonly diverged: boolean;
}

/** Why a round of find-lr's short runs was followed by another (core `nextTrialRound` decides). */
export const TRIAL_ROUND_OUTCOMES = ['broke down', 'learned nothing', 'barely learned', 'still learned nothing'] as const;
export type TrialRoundOutcome = (typeof TRIAL_ROUND_OUTCOMES)[number];

/** One round of find-lr's short runs that was followed by another, and why (`LrTrials.earlier`). */
export interface LrTrialRound {
  readonly steps: number;
  readonly runs: LrTrials['runs'];
  readonly outcome: TrialRoundOutcome;
}

/** One of several range tests of a `find-lr` run (different seeds). */
export interface RangeTestSummary {
  /** Its seed (`null`: unseeded). */
  readonly seed: number | null;
  /** Its headline max LR (`null` when it gave none). */
  readonly maxLr: number | null;
  /** Points it recorded (after its own second test, if it ran one). */
  readonly steps: number;
  readonly stopReason: RangeStopReason;
  readonly divergedAt: number | null;
  readonly seconds: number;
  /** Whether this is the test the result's curve, suggestions and headline are (the median). */
  readonly shown: boolean;
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
  /** Why it has none (the rule's reason, as find-lr gives it), `null` where it has one (format 12; older files: `null`). */
  readonly noHeadline: string | null;
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
  readonly baseline: Baseline | null;
}

// ---------------------------------------------------------------------------------------------
// Short-run studies: momentum and weight decay

export interface StepRecord {
  readonly step: number;
  readonly lr: number;
  readonly momentum: number | null;
  readonly trainLoss: number | null;
  readonly valLoss: number | null;
  /** Validation accuracy at this evaluation (format 6); `null` for a loss without accuracy, or read from an older file. */
  readonly valAccuracy: number | null;
  readonly seconds: number;
}

export interface ShortRun extends TrialPlacement {
  readonly label: string;
  readonly records: readonly StepRecord[];
  /**
   * Mean validation loss over the last evaluations of the run (the "early validation loss"); a model
   * with batch normalization is evaluated with its moving statistics re-estimated from training
   * samples first (engine/normStats.ts): after 100 steps they still hold 37% of their start.
   */
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
  readonly baseline: Baseline | null;
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
  readonly baseline: Baseline | null;
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
  /**
   * Seconds of training at the validation pass from which the target held to the end of the run
   * (a pass that met it and a later one that did not: not reached there); `null` without one.
   */
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
  readonly baseline: Baseline | null;
  /** The training split's samples, where a size was larger (format 23): no size above it can train. */
  readonly trainSamples?: number;
}

// ---------------------------------------------------------------------------------------------
// Training and diagnosis

/** A model's metrics, keyed exactly as its `metrics` export or `compile` names them (`mae`, `acc`, ...). */
export type MetricValues = Readonly<Record<string, number | null>>;

export interface EpochRecord {
  readonly epoch: number;
  /** The mean loss of the epoch's training batches: the data loss, as `valLoss` is (the model's own regularization terms apart, in `trainPenalty`). */
  readonly trainLoss: number | null;
  /**
   * The mean of the model's own regularization terms (kernelRegularizer and the like) over the
   * epoch's batches: what they added to the loss the optimizer minimized. Absent for a model without.
   */
  readonly trainPenalty?: number | null;
  readonly valLoss: number | null;
  /** Accuracy read off the loss in use (classification), `null` otherwise; kept beside `valMetrics` for older readers. */
  readonly valAccuracy: number | null;
  /** The model's metrics on the training batches of this epoch (their mean, training mode, like Keras). */
  readonly metrics: MetricValues;
  /** The model's metrics on the validation evaluation of this epoch. */
  readonly valMetrics: MetricValues;
  /** LR and momentum at the end of the epoch. */
  readonly lr: number;
  readonly momentum: number | null;
  /** Wall time since the start of training. */
  readonly seconds: number;
}

/** `unstable` (format 14): the run broke down at its max LR — diverged, climbed back mid-run, blew up, collapsed to a constant prediction, or rose without settling: lower the max LR. */
export type Verdict = 'not-learning' | 'underfitting' | 'overfitting' | 'good' | 'unstable';

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
  readonly baseline: Baseline | null;
  /**
   * Batch normalization (format 6): before each validation pass the moving mean and variance of
   * `layers` BatchNormalization layers were re-estimated from `samples` training samples, so the
   * validation loss (and the saved model) reflect the weights, not averages that lag them. Absent:
   * the model has none.
   */
  readonly normStats?: { readonly layers: number; readonly samples: number };
  /** What the run trained with beside its schedule and optimizer (format 20; absent in older files). */
  readonly settings?: TrainSettings;
}

/** A training run's own settings: with `schedule` and `optimizer`, what repeats it. */
export interface TrainSettings {
  /** The batch size that trained (a script's fit call's, --batch-size, or the default; fitted to the data). */
  readonly batchSize: number;
  /** Epochs asked for (the history says how many ran: fewer where it was cancelled, diverged or ran out of budget). */
  readonly epochs: number;
  /** Decoupled weight decay (0: none). */
  readonly weightDecay: number;
  /** The dropout rate passed to createModel; `null`: none passed (the model's own). */
  readonly dropout: number | null;
  /** `null`: unseeded. */
  readonly seed: number | null;
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
  /** Why that many epochs: where validation stopped improving in the confirming run. */
  readonly epochsReason: string;
  readonly schedule: SchedulePolicy;
}

export type RecipeStepName = 'range-test' | 'batch-size' | 'momentum' | 'weight-decay' | 'train';

/**
 * Each recipe step's number, as its progress lines say it ("Step 3/5: momentum …"): a retried range
 * test adds a row to `steps`, so a row's index is not its number (notes read "Step 3 (batch-size)" beside
 * "Step 2/5: batch sizes").
 */
export const RECIPE_STEP_NUMBER: Readonly<Record<RecipeStepName, number>> = { 'range-test': 1, 'batch-size': 2, momentum: 3, 'weight-decay': 4, train: 5 };

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
  /**
   * The confirming step only (format 14): where its run broke down at the max LR, the same run
   * `LOWER_AFTER_BREAKDOWN`x lower, which decided the recommendation (the step's message says which
   * was kept and why). Absent where none ran.
   */
  readonly compared?: TrainResult;
  /**
   * The confirming step only (format 17): where the recommendation trains fewer epochs than the
   * confirming run did, those epochs run once as a 1cycle of their own at the recommended LR; where it
   * ended materially worse than the long run, the long run's length stands (the recommendation's
   * `epochsReason` says which). Absent where none ran, or it was cut short.
   */
  readonly checked?: TrainResult;
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
  /** Why there is no recommendation (no usable LR within the budget); `null` when there is one or the run was cancelled. The CLI then exits 1. */
  readonly failure: string | null;
  readonly diagnosis: Diagnosis | null;
  /** What trained and where its values came from (absent in results of format 1). */
  readonly optimizer?: OptimizerReport;
  readonly warnings: readonly string[];
  readonly baseline: Baseline | null;
}

export type AnyResult =
  | FindLrResult
  | SweepResult
  | MomentumResult
  | WeightDecayResult
  | BatchSizeResult
  | TrainResult
  | RecipeResult;
