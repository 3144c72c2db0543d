/**
 * The schema of every result type and of a run as the history stores it, written field by field
 * against `results.ts` and `webviewMessages.ts` (`object<T>` wants exactly one schema per key of
 * `T`, and `Schema<T>` is invariant): adding, removing or retyping a field there stops this file
 * compiling until its rule is written here, so a field never loads unchecked. A field added within
 * a format version that older files lack is `defaulted(schema, value)`.
 *
 * Rules: numbers finite and in their range (an LR above 0, a share in [0, 1], a count whole),
 * identifiers of a fixed form, text without control characters and of bounded length, an index
 * within its list.
 */
import type { Fields, Schema } from './schema';
import { array, boolean, defaulted, dictionary, either, nullable, number, object, oneOf, optional, partial, record, refine, string, tagged } from './schema';
import type {
  AnyResult, BackendName, Baseline, BatchSizeResult, BatchSizeRun, Diagnosis, EpochRecord, FindLrResult, FindLrSettings, FittedPoint, LrRange, LrRecommendation, MetricValues, MomentumResult, MomentumRun,
  LrTrialRound, LrTrials, OptimizerReport, RangePoint, RangeTestSummary, Recommendation, RecipeResult, RecipeStep, ScheduleOptions, ShortRun, StepRecord, SweepCurve, SweepResult, TimePoint, TrainResult, TrainSettings, TrialPlacement, TrialRun, TrialSeedRun, WeightDecayResult, WeightDecayRun, WorkerInfo,
} from './results';
import { BACKEND_CHOICES, FIT_TEXT_MAX, OPTIMIZER_NAMES, SCHEDULE_POLICIES, TRIAL_ROUND_OUTCOMES } from './results';
import type { OptionName, OptionSource } from './options';
import { OPTION_NAMES } from './options';
import type { ProgressParams, StreamPoint } from './progress';
import type { RunSnapshot } from './webviewMessages';
import { RUN_ID } from './webviewMessages';

/** `startedAt`: `Date.prototype.toISOString()`. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

const runId = string({ max: 80, pattern: RUN_ID });
const isoTime = string({ max: 30, pattern: ISO_TIME });
const filePath = string({ max: 4096 });
/** A label, a series or curve name, a phase. */
const name = string({ max: 300 });
/** Messages, reasons, warnings: may break lines. */
const text = string({ max: 20_000, kind: 'text' });
const texts = array(text, { max: 10_000 });
/** A fit call's line of source (`FindLrResult['fitCall']['text']`). */
export const fitText = string({ max: FIT_TEXT_MAX, kind: 'text' });

const finite = number();
const lr = number({ exclusiveMin: 0 });
const share = number({ min: 0, max: 1 });
const seconds = number({ min: 0 });
const count = number({ integer: true, min: 0 });
const positiveCount = number({ integer: true, min: 1 });
const momentumValue = number({ min: 0, max: 1 });

const backendName: Schema<BackendName> = oneOf(BACKEND_CHOICES.filter((b): b is BackendName => b !== 'auto'));
const optimizerName = oneOf(OPTIMIZER_NAMES);
const optionSource: Schema<OptionSource> = oneOf(['flag', 'option', 'setting', 'model.compile', 'model.fit', 'dataset', 'default'] as const);
const optionName: Schema<OptionName> = oneOf(OPTION_NAMES);

/** The task's baseline (verdicts, #14): results written before it read as none. */
const baseline = defaulted(nullable(object<Baseline>({ loss: finite, valLoss: nullable(finite), kind: oneOf(['chance', 'mean'] as const), constant: optional(oneOf(['median', 'fitted'] as const)), accuracy: optional(number({ min: 0, max: 1 })), valSamples: optional(positiveCount), outputs: optional(positiveCount), floor: optional(object({ loss: finite, valLoss: nullable(finite) })) })), null);
/** A model's metrics, keyed as the model names them (`mae`, `acc`): rows written before them read as none. */
const metricValues: Schema<MetricValues> = dictionary(name, nullable(finite), { max: 100 });

export const lrRangeSchema: Schema<LrRange> = refine(object<LrRange>({ minLr: lr, maxLr: lr }), (r) => (r.minLr <= r.maxLr ? null : `minLr ${r.minLr} is above maxLr ${r.maxLr}`));
const suggestions = object<FindLrResult['suggestions']>({ steep: nullable(lr), valley: nullable(lr), minimum: nullable(lr) });

/** `best` indexes its list (or is null). */
function bestWithin<T extends { readonly best: number | null }>(inner: Schema<T>, list: (value: T) => readonly unknown[]): Schema<T> {
  return refine(inner, (v) => (v.best === null || v.best < list(v).length ? null : `best ${v.best} is not an index of its ${list(v).length} entries`));
}

const optimizer: Schema<OptimizerReport> = object<OptimizerReport>({
  name: optimizerName,
  lr: nullable(lr),
  momentum: nullable(momentumValue),
  beta2: nullable(share),
  epsilon: nullable(number({ min: 0 })),
  rho: nullable(share),
  centered: nullable(boolean),
  initialAccumulatorValue: nullable(number({ min: 0 })),
  decay: nullable(number({ min: 0 })),
  sources: record(oneOf(['optimizer', 'lr', 'momentum', 'beta2', 'epsilon', 'rho', 'centered', 'initialAccumulatorValue', 'decay'] as const), optionSource),
});

const findLrSettingsFields: Fields<FindLrSettings> = {
  startLr: lr,
  endLr: lr,
  steps: positiveCount,
  sweep: oneOf(['exp', 'linear'] as const),
  signal: oneOf(['train', 'val'] as const),
  smoothing: number({ min: 0, exclusiveMax: 1 }),
  diverge: number({ exclusiveMin: 0 }),
  optimizer: optimizerName,
  momentum: momentumValue,
  weightDecay: number({ min: 0 }),
  batchSize: positiveCount,
  seed: nullable(number({ integer: true })),
  sources: optional(record(optionName, optionSource)),
};
const findLrSettings = object<FindLrSettings>(findLrSettingsFields);
/** A range test's settings (a scale-out job's trial carries them). */
export const findLrSettingsSchema = findLrSettings;

const rangePoint = object<RangePoint>({ lr, loss: nullable(finite), smoothed: nullable(finite) });
const points = array(rangePoint, { max: 1_000_000 });
/** A range test's points (a scale-out trial's curve, as a worker returns it). */
export const rangePointsSchema = points;
const trialSeedRun = object<TrialSeedRun>({ seed: number({ integer: true }), earlyValLoss: nullable(finite), earlyValAccuracy: nullable(share), diverged: boolean });
const trialRuns = array(object<TrialRun>({ maxLr: lr, earlyValLoss: nullable(finite), earlyValAccuracy: defaulted(nullable(share), null), diverged: boolean, bySeed: optional(array(trialSeedRun, { max: 10 })) }), { max: 100 });
const fittedPoint = object<FittedPoint>({ lr, loss: finite });
/** The headline (advice, #13) and the curve it is read from: results written before them read as none. */
const recommended = defaulted(nullable(refine(object<LrRecommendation>({ maxLr: lr, minLr: lr, reason: text, learned: defaulted(boolean, true), cut: optional(boolean) }), (r) => (r.minLr <= r.maxLr ? null : `minLr ${r.minLr} is above maxLr ${r.maxLr}`))), null);
const fitted = defaulted(array(fittedPoint, { max: 1_000_000 }), []);

const findLrResult = object<FindLrResult>({
  kind: oneOf(['find-lr'] as const),
  model: filePath,
  backend: backendName,
  backendNote: nullable(text),
  backendThreads: optional(positiveCount),
  seconds,
  settings: findLrSettings,
  points,
  divergedAt: nullable(lr),
  stopReason: oneOf(['completed', 'diverged', 'non-finite', 'cancelled'] as const),
  recommended,
  fitted,
  suggestions,
  range: nullable(lrRangeSchema),
  reasons: object<FindLrResult['reasons']>({ steep: text, valley: text, minimum: text, range: text }),
  optimizer: optional(optimizer),
  warnings: texts,
  baseline,
  rangeTests: optional(
    array(
      object<RangeTestSummary>({
        seed: nullable(number({ integer: true })),
        maxLr: nullable(lr),
        steps: count,
        stopReason: oneOf(['completed', 'diverged', 'non-finite', 'cancelled'] as const),
        divergedAt: nullable(lr),
        seconds,
        shown: boolean,
      }),
      { max: 100 },
    ),
  ),
  trials: optional(
    object<LrTrials>({
      steps: positiveCount,
      around: nullable(lr),
      runs: trialRuns,
      seeds: defaulted(number({ integer: true, min: 1, max: 10 }), 1),
      picked: nullable(lr),
      seconds,
      earlier: optional(array(object<LrTrialRound>({ steps: positiveCount, runs: trialRuns, outcome: oneOf(TRIAL_ROUND_OUTCOMES) }), { max: 10 })),
    }),
  ),
  fitCall: optional(object<NonNullable<FindLrResult['fitCall']>>({ line: positiveCount, method: oneOf(['fit', 'fitDataset'] as const), text: optional(fitText) })),
});

/** Scale-out (--redis): the worker and backend that ran a trial, and the run's workers. */
const placementFields: Fields<TrialPlacement> = { worker: optional(name), backend: optional(backendName) };
const workerInfo = object<WorkerInfo>({ id: name, backend: backendName, threads: positiveCount, cpu: name, cores: positiveCount, memoryGb: number({ min: 0 }), version: name });
export const workerInfoSchema = workerInfo;
const workers = optional(array(workerInfo, { max: 10_000 }));

const sweepCurve = object<SweepCurve>({
  label: name,
  weightDecay: number({ min: 0 }),
  dropout: nullable(share),
  momentum: nullable(momentumValue),
  points,
  divergedAt: nullable(lr),
  /** Added within format 2 (#21): older sweep files read as "no blow-up found", and show divergedAt. */
  blowUpLr: defaulted(nullable(lr), null),
  minSmoothedLoss: nullable(finite),
  lrAtMinLoss: nullable(lr),
  stableRange: nullable(lrRangeSchema),
  stableDecades: number({ min: 0 }),
  suggestions,
  recommended,
  /** Format 12: older sweep files read as "no reason recorded". */
  noHeadline: defaulted(nullable(text), null),
  fitted,
  ...placementFields,
});

/** What every study result (sweep, momentum, weight decay, batch size) carries besides its own runs. */
const studyFields = { model: filePath, backend: backendName, seconds, best: nullable(count), reason: text, optimizer: optional(optimizer), warnings: texts, workers, baseline };

const sweepResult = bestWithin(object<SweepResult>({
  kind: oneOf(['sweep'] as const),
  ...studyFields,
  settings: findLrSettings,
  curves: array(sweepCurve, { max: 10_000 }),
}), (r) => r.curves);

const stepRecord = object<StepRecord>({ step: count, lr, momentum: nullable(momentumValue), trainLoss: nullable(finite), valLoss: nullable(finite), valAccuracy: defaulted(nullable(share), null), seconds });
const shortRunFields = { label: name, records: array(stepRecord, { max: 1_000_000 }), earlyValLoss: nullable(finite), diverged: boolean, ...placementFields };
/** One short run (a scale-out trial's value). */
export const shortRunSchema = object<ShortRun>(shortRunFields);

const momentumRun = object<MomentumRun>({ ...shortRunFields, momentum: either(momentumValue, object<{ readonly max: number; readonly min: number }>({ max: momentumValue, min: momentumValue })) });
const momentumResult = bestWithin(object<MomentumResult>({
  kind: oneOf(['momentum'] as const),
  ...studyFields,
  lr: lrRangeSchema,
  runs: array(momentumRun, { max: 10_000 }),
}), (r) => r.runs);

const weightDecayRun = object<WeightDecayRun>({ ...shortRunFields, weightDecay: number({ min: 0 }) });
const weightDecayResult = bestWithin(object<WeightDecayResult>({
  kind: oneOf(['weight-decay'] as const),
  ...studyFields,
  runs: array(weightDecayRun, { max: 10_000 }),
}), (r) => r.runs);

const timePoint = object<TimePoint>({ seconds, epoch: count, valLoss: nullable(finite), valAccuracy: nullable(share) });
const batchSizeRun = object<BatchSizeRun>({
  batchSize: positiveCount,
  status: oneOf(['ok', 'skipped', 'failed'] as const),
  reason: nullable(text),
  maxLr: nullable(lr),
  stepsPerSecond: nullable(number({ min: 0 })),
  curve: array(timePoint, { max: 1_000_000 }),
  timeToTarget: nullable(seconds),
  finalValLoss: nullable(finite),
  finalValAccuracy: nullable(share),
  ...placementFields,
});
export const batchSizeResultSchema = bestWithin(object<BatchSizeResult>({
  kind: oneOf(['batch-size'] as const),
  ...studyFields,
  budgetSeconds: number({ exclusiveMin: 0 }),
  target: nullable(object<NonNullable<BatchSizeResult['target']>>({ metric: oneOf(['accuracy', 'loss'] as const), value: finite })),
  runs: array(batchSizeRun, { max: 10_000 }),
  trainSamples: optional(positiveCount),
}), (r) => r.runs);

const scheduleOptions = object<ScheduleOptions>({
  maxLr: optional(lr),
  baseLr: optional(lr),
  minLr: optional(lr),
  totalSteps: optional(positiveCount),
  pctStart: optional(share),
  divFactor: optional(number({ exclusiveMin: 0 })),
  finalDivFactor: optional(number({ exclusiveMin: 0 })),
  anneal: optional(oneOf(['cos', 'linear'] as const)),
  threePhase: optional(boolean),
  baseMomentum: optional(momentumValue),
  maxMomentum: optional(momentumValue),
  cycleMomentum: optional(boolean),
  stepSizeUp: optional(positiveCount),
  stepSizeDown: optional(positiveCount),
  gamma: optional(number({ exclusiveMin: 0 })),
  scaleMode: optional(oneOf(['cycle', 'iterations'] as const)),
  annihilationPct: optional(share),
  annihilationDiv: optional(number({ exclusiveMin: 0 })),
  lr: optional(lr),
  momentum: optional(momentumValue),
});

const epochRecord = object<EpochRecord>({
  epoch: count,
  trainLoss: nullable(finite),
  trainPenalty: optional(nullable(finite)),
  valLoss: nullable(finite),
  valAccuracy: nullable(share),
  metrics: defaulted(metricValues, {}),
  valMetrics: defaulted(metricValues, {}),
  lr,
  momentum: nullable(momentumValue),
  seconds,
});
const diagnosis = object<Diagnosis>({ verdict: nullable(oneOf(['not-learning', 'underfitting', 'overfitting', 'good', 'unstable'] as const)), reason: text });

const trainResult = object<TrainResult>({
  kind: oneOf(['train'] as const),
  model: filePath,
  backend: backendName,
  seconds,
  policy: oneOf(SCHEDULE_POLICIES),
  schedule: scheduleOptions,
  history: array(epochRecord, { max: 100_000 }),
  diagnosis,
  savedTo: nullable(filePath),
  optimizer: optional(optimizer),
  warnings: texts,
  baseline,
  normStats: optional(object<NonNullable<TrainResult['normStats']>>({ layers: positiveCount, samples: positiveCount })),
  settings: optional(object<TrainSettings>({ batchSize: positiveCount, epochs: positiveCount, weightDecay: number({ min: 0 }), dropout: nullable(share), seed: nullable(number({ integer: true })) })),
});

const recommendation = object<Recommendation>({
  lr: lrRangeSchema,
  momentum: object<Recommendation['momentum']>({ max: momentumValue, min: momentumValue }),
  weightDecay: number({ min: 0 }),
  batchSize: positiveCount,
  epochs: positiveCount,
  /** Recipes written before it: the epochs were the confirming run's. */
  epochsReason: defaulted(text, "the confirming run's length"),
  schedule: oneOf(SCHEDULE_POLICIES),
});

const recipeStep = object<RecipeStep>({
  name: oneOf(['range-test', 'batch-size', 'momentum', 'weight-decay', 'train'] as const),
  status: oneOf(['done', 'shortened', 'skipped'] as const),
  message: text,
  seconds,
  evidence: nullable(tagged<NonNullable<RecipeStep['evidence']>, 'kind'>('kind', { 'find-lr': findLrResult, 'batch-size': batchSizeResultSchema, momentum: momentumResult, 'weight-decay': weightDecayResult, train: trainResult })),
  compared: optional(trainResult),
  checked: optional(trainResult),
});

const recipeResult = object<RecipeResult>({
  kind: oneOf(['recipe'] as const),
  model: filePath,
  backend: backendName,
  seconds,
  budgetSeconds: number({ exclusiveMin: 0 }),
  estimatedSeconds: number({ min: 0 }),
  steps: array(recipeStep, { max: 100 }),
  recommendation: nullable(recommendation),
  failure: defaulted(nullable(text), null),
  diagnosis: nullable(diagnosis),
  optimizer: optional(optimizer),
  warnings: texts,
  baseline,
});

/** Any result, by its `kind`. */
export const anyResultSchema: Schema<AnyResult> = tagged<AnyResult, 'kind'>('kind', {
  'find-lr': findLrResult,
  sweep: sweepResult,
  momentum: momentumResult,
  'weight-decay': weightDecayResult,
  'batch-size': batchSizeResultSchema,
  train: trainResult,
  recipe: recipeResult,
});

export const streamPointSchema = object<StreamPoint>({
  step: count,
  lr,
  momentum: nullable(momentumValue),
  loss: nullable(finite),
  smoothed: nullable(finite),
  valLoss: nullable(finite),
  valAccuracy: nullable(share),
  metrics: optional(metricValues),
  valMetrics: optional(metricValues),
  seconds,
});

const progress = object<ProgressParams>({ runId: string({ max: 80, pattern: /^[\w.-]{0,80}$/ }), phase: name, message: text, fraction: nullable(share) });

/** A run as the history and a webview's saved state hold it. */
export const runSnapshotSchema: Schema<RunSnapshot> = object<RunSnapshot>({
  runId,
  kind: oneOf(['find-lr', 'sweep', 'momentum', 'weight-decay', 'batch-size', 'train', 'recipe'] as const),
  model: filePath,
  label: name,
  startedAt: isoTime,
  state: oneOf(['running', 'done', 'failed', 'cancelled'] as const),
  settings: partial<FindLrSettings>(findLrSettingsFields),
  series: dictionary(name, array(streamPointSchema, { max: 1_000_000 }), { max: 1000 }),
  progress: nullable(progress),
  result: nullable(anyResultSchema),
  chosenRange: nullable(refine(lrRangeSchema, (r) => (r.minLr < r.maxLr ? null : 'the chosen range is empty'))),
  error: nullable(text),
});
