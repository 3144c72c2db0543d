/**
 * What crosses Redis, checked before it is used: whoever can write to that Redis can write a job,
 * its return value, or an event that claims one. So a worker parses a job's data against
 * `TrialJobData` (the trial of its kind, the model source, the bundle's hash) and the bundle
 * against `ModelBundle` and its hash; a run parses a trial's result against the shape its kind
 * returns locally (`TrialValues`) and the worker that sent it against `WorkerInfo` — with the
 * result schemas' rules: finite numbers in range, text without control characters, bounded
 * lists. So is a progress event (`parseTrialProgress`): whoever can write to Redis can add one to the
 * stream, and its worker's name, series and points reach the terminal, the JSON and the panel.
 * `parse` gives a fresh copy built only from the named fields.
 */
import { createHash } from 'node:crypto';
import type { Fields, Schema } from '../../protocol/schema';
import { SchemaError, array, boolean, describeValue, nullable, number, object, oneOf, optional, record, string, tagged } from '../../protocol/schema';
import { batchSizeResultSchema, findLrSettingsSchema, lrRangeSchema, rangePointsSchema, shortRunSchema, streamPointSchema, workerInfoSchema } from '../../protocol/resultSchema';
import type { BatchSizeTrialRequest, CommonRunOptions, ModelBundle } from '../../protocol/requests';
import type { WorkerInfo } from '../../protocol/results';
import { BACKEND_CHOICES, OPTIMIZER_NAMES } from '../../protocol/results';
import { OPTION_NAMES } from '../../protocol/options';
import type { RangeCurve } from '../experiments/findLr';
import type { ShortRunSpec } from '../experiments/shortRun';
import type { OptimizerChoice } from '../optimizerChoice';
import type { Trial, TrialKind, TrialValues } from '../experiments/trials';
import type { TrialJobData, TrialProgress } from './jobs';

/** `RangeCurve.points` is a mutable list (the result schemas' lists are read-only). */
const curvePoints: Schema<RangeCurve['points']> = { parse: (value, at) => [...rangePointsSchema.parse(value, at)], absent: 'refuse' };

const rangeCurveSchema = object<RangeCurve>({
  points: curvePoints,
  stopReason: oneOf(['completed', 'diverged', 'non-finite', 'cancelled'] as const),
  divergedAt: nullable(number({ exclusiveMin: 0 })),
  seconds: number({ min: 0 }),
  streamed: array(streamPointSchema, { max: 1_000_000 }),
});

const valueSchemas: { readonly [K in TrialKind]: Schema<TrialValues[K]> } = {
  'range-test': rangeCurveSchema,
  'short-run': shortRunSchema,
  'batch-size': batchSizeResultSchema,
};

/** A completed job's return value (`TrialJobResult`) for a trial of `kind`; throws a `SchemaError` naming the first field at fault. */
export function parseTrialResult<K extends TrialKind>(kind: K, raw: unknown): { readonly value: TrialValues[K]; readonly worker: WorkerInfo } {
  const result = object<{ value: TrialValues[K]; worker: WorkerInfo }>({ value: valueSchemas[kind], worker: workerInfoSchema });
  return result.parse(raw, 'result');
}

/** Slack on what a result may claim against the trial's own limits (seconds: clocks, start-up). */
const SECONDS_SLACK = 5;

/**
 * Why a parsed result cannot be the trial that was queued, or null where it can be: a result of the
 * right shape is still anyone's writing. A stand-in worker relabelled both short runs of a sweep
 * "wd 0.5" (a value never in the grid, then recommended), and answered a batch-size trial of 32
 * with size 999 at a validation loss of 0.01 and "trained 10 s" in a study that took 2 s; both were
 * used. `elapsed`: seconds since the run queued the trial (no honest worker ran it for longer).
 */
export function trialMismatch(trial: Trial, value: TrialValues[TrialKind], elapsed: number): string | null {
  if (trial.kind === 'short-run') {
    const { spec } = trial;
    const run = value as TrialValues['short-run'];
    if (run.label !== spec.label) return `it is labelled "${run.label}", not "${spec.label}"`;
    if (run.records.length > spec.steps + 1) return `it has ${run.records.length} step records for a run of ${spec.steps} steps`;
    const beyond = run.records.find((r) => r.step >= spec.steps);
    if (beyond !== undefined) return `it records step ${beyond.step} of a run of ${spec.steps} steps`;
    const late = run.records.find((r) => r.seconds > elapsed + SECONDS_SLACK);
    if (late !== undefined) return `it records ${late.seconds.toFixed(1)} s of training, and the trial was queued ${elapsed.toFixed(1)} s ago`;
    if (run.records.length === 0 && run.earlyValLoss !== null) return 'it has a validation loss and no step records';
    return null;
  }
  if (trial.kind === 'range-test') {
    const { settings } = trial;
    const curve = value as TrialValues['range-test'];
    if (curve.points.length > settings.steps) return `it has ${curve.points.length} points for a test of ${settings.steps} steps`;
    const [low, high] = [settings.startLr * (1 - 1e-9), settings.endLr * (1 + 1e-9)];
    const outside = curve.points.find((p) => p.lr < low || p.lr > high);
    if (outside !== undefined) return `its point at LR ${outside.lr} is outside the test's ${settings.startLr} – ${settings.endLr}`;
    if (curve.seconds > elapsed + SECONDS_SLACK) return `it claims ${curve.seconds.toFixed(1)} s, and the trial was queued ${elapsed.toFixed(1)} s ago`;
    return null;
  }
  const { request } = trial;
  const result = value as TrialValues['batch-size'];
  if (result.runs.length !== 1 || result.runs[0]!.batchSize !== request.batchSize) return `it holds batch sizes ${result.runs.map((r) => r.batchSize).join(', ') || 'none'}, not the trial's ${request.batchSize}`;
  if (result.seconds > elapsed + SECONDS_SLACK) return `it claims ${result.seconds.toFixed(1)} s, and the trial was queued ${elapsed.toFixed(1)} s ago`;
  // (A trial's own `seconds` is not its training time: the curve's seconds are checked against the clock.)
  const trained = result.runs[0]!.curve.at(-1)?.seconds ?? 0;
  if (trained > elapsed + SECONDS_SLACK) return `it claims ${trained.toFixed(1)} s of training, and the trial was queued ${elapsed.toFixed(1)} s ago`;
  return null;
}

const path = string({ max: 4096 });
/** A label, a worker's or submitter's name. */
const name = string({ max: 300 });
const finite = number();
const positive = number({ exclusiveMin: 0 });
const nonNegative = number({ min: 0 });
const count = number({ integer: true, min: 0 });
const positiveCount = number({ integer: true, min: 1 });
const share = number({ min: 0, max: 1 });
const sha256 = string({ max: 64, pattern: /^[0-9a-f]{64}$/ });
const optimizerName = oneOf(OPTIMIZER_NAMES);

/** Everything a model source carries but its batch size (a batch-size trial sets its own). */
const sourceFields: Fields<Omit<CommonRunOptions, 'batchSize'>> = {
  model: path,
  data: optional(path),
  label: optional(name),
  workspace: optional(path),
  backend: optional(oneOf(BACKEND_CHOICES)),
  seed: optional(number({ integer: true })),
  optimizer: optional(optimizerName),
  momentum: optional(finite),
  beta2: optional(finite),
  epsilon: optional(finite),
  weightDecay: optional(nonNegative),
  dropout: optional(share),
  validationSplit: optional(share),
  fitTimeout: optional(positive),
  fitLine: optional(positiveCount),
  scriptArgs: optional(array(string({ max: 4096 }), { max: 1000 })),
  sources: optional(record(oneOf(OPTION_NAMES), oneOf(['flag', 'option', 'setting', 'model.fit', 'dataset'] as const))),
};
const source = object<CommonRunOptions>({ ...sourceFields, batchSize: optional(positiveCount) });

/** A bundled model file: its code is whatever the bundler wrote (any text), its hash must be that code's. */
const code: Schema<string> = {
  parse: (value, at) => {
    if (typeof value !== 'string') throw new SchemaError(at, `must be text, not ${describeValue(value)}`);
    return value;
  },
  absent: 'refuse',
};
const modelBundle = object<ModelBundle>({ file: path, code, hash: sha256, external: array(string({ max: 300 }), { max: 10_000 }) });

const optimizerParams = object<OptimizerChoice['params']>({
  name: optimizerName,
  momentum: finite,
  beta2: optional(finite),
  epsilon: optional(finite),
  rho: optional(finite),
  centered: optional(boolean),
  initialAccumulatorValue: optional(finite),
  decay: optional(finite),
});

const shortRunSpec = object<ShortRunSpec>({ label: name, lr: lrRangeSchema, momentum: nullable(share), weightDecay: nonNegative, steps: positiveCount, batchSize: positiveCount, seed: number({ integer: true }), valSamples: count });

const batchSizeTrialRequest = object<BatchSizeTrialRequest>({
  ...sourceFields,
  kind: oneOf(['batch-size-trial'] as const),
  batchSize: positiveCount,
  budgetSeconds: positive,
  trainSeconds: optional(positive),
  targetAccuracy: optional(finite),
  targetLoss: optional(finite),
  rangeSteps: optional(positiveCount),
  startLr: optional(positive),
  endLr: optional(positive),
  modelBundle: optional(modelBundle),
});

const trial = tagged<Trial, 'kind'>('kind', {
  'range-test': object<Extract<Trial, { kind: 'range-test' }>>({ kind: oneOf(['range-test'] as const), label: name, settings: findLrSettingsSchema, dropout: nullable(share), valSamples: optional(count), optimizer: optimizerParams }),
  'short-run': object<Extract<Trial, { kind: 'short-run' }>>({ kind: oneOf(['short-run'] as const), label: name, spec: shortRunSpec, optimizer: optimizerParams }),
  'batch-size': object<Extract<Trial, { kind: 'batch-size' }>>({ kind: oneOf(['batch-size'] as const), label: name, request: batchSizeTrialRequest }),
});

const jobData = object<TrialJobData>({
  format: number({ integer: true }),
  runId: string({ max: 80, pattern: /^[\w-]{1,80}$/ }),
  index: count,
  submitter: name,
  source,
  bundle: nullable(sha256),
  trial,
});

/** A trial job's data as a worker takes it; throws a `SchemaError` naming the first field at fault. */
export function parseJobData(raw: unknown): TrialJobData {
  return jobData.parse(raw, 'job');
}

/** A model bundle as stored under `bundleKey(hash)`; throws a `SchemaError` when it is not one, or not the code of that hash. */
export function parseModelBundle(text: string, hash: string): ModelBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SchemaError('bundle', 'is not JSON');
  }
  const bundle = modelBundle.parse(raw, 'bundle');
  if (bundle.hash !== hash || createHash('sha256').update(bundle.code).digest('hex') !== hash) throw new SchemaError('bundle.code', `is not the code of hash ${hash.slice(0, 12)}`);
  return bundle;
}

/** Points in one progress event: a worker sends what its reporter gathered in ~100 ms. */
export const MAX_EVENT_POINTS = 100_000;
/** The longest progress event read (its JSON text), before it is parsed. */
export const MAX_EVENT_CHARS = 32 * 2 ** 20;

const trialProgress = tagged<TrialProgress, 't'>('t', {
  start: object<Extract<TrialProgress, { t: 'start' }>>({ t: oneOf(['start'] as const), worker: workerInfoSchema }),
  points: object<Extract<TrialProgress, { t: 'points' }>>({ t: oneOf(['points'] as const), w: name, series: name, points: array(streamPointSchema, { max: MAX_EVENT_POINTS }) }),
  progress: object<Extract<TrialProgress, { t: 'progress' }>>({ t: oneOf(['progress'] as const), w: name, message: string({ max: 2_000 }), fraction: nullable(share) }),
  data: object<Extract<TrialProgress, { t: 'data' }>>({ t: oneOf(['data'] as const), w: name, train: count, validation: count, labels: string({ max: 16, pattern: /^[0-9a-f]{16}$/ }) }),
});

/** A progress event's data as a worker writes it (`TrialProgress`, JSON); throws a `SchemaError` naming the first field at fault. */
export function parseTrialProgress(text: string): TrialProgress {
  if (text.length > MAX_EVENT_CHARS) throw new SchemaError('progress', `is ${text.length} characters long (at most ${MAX_EVENT_CHARS})`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SchemaError('progress', 'is not JSON');
  }
  return trialProgress.parse(raw, 'progress');
}
