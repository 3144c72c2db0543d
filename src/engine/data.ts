/**
 * Turns whatever `loadData()` returned into tensors the trainer can batch from, and refuses data
 * that cannot train — with the model file named and what to change.
 *
 * Accepted for `train` / `validation`: `{ xs, ys }` with tensors, nested number arrays or typed
 * arrays (flat typed arrays are shaped by the model's input/output), or a `tf.data.Dataset` of
 * `{ xs, ys }` elements (batched or not). Without `validation`, a seeded permutation holds out
 * `validationFraction` of the samples (the same split for the same seed, every run).
 */
import type * as tfjs from '@tensorflow/tfjs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import type { OptimizerName } from '../protocol/results';
import { mulberry32, permutation } from '../core/random';
import type { Tf } from './tfjs';
import type { LossFn, Split } from './trainer';
import type { UserModelModule } from './modelFile';

/** Largest dataset materialized from a tf.data.Dataset (samples); beyond it we say so. */
export const MAX_DATASET_SAMPLES = 2_000_000;

export interface PreparedData {
  readonly train: Split;
  readonly validation: Split;
  readonly validationFromFile: boolean;
}

export interface PrepareOptions {
  readonly file: string;
  readonly validationFraction: number;
  readonly seed: number;
}

function dataError(file: string, message: string, fix: string): LrLabError {
  return new LrLabError('data', message, { file, fix });
}

function isTensor(tf: Tf, value: unknown): value is tfjs.Tensor {
  return value instanceof tf.Tensor;
}

function isDataset(value: unknown): value is tfjs.data.Dataset<tfjs.TensorContainer> {
  const v = value as { toArray?: unknown; iterator?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.toArray === 'function' && typeof v.iterator === 'function';
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'batch' : String(d))).join(', ')}]`;
}

/** A value of xs or ys as a tensor whose first axis is the sample axis. */
function toTensor(tf: Tf, value: unknown, modelShape: readonly (number | null)[], what: string, file: string): tfjs.Tensor {
  if (isTensor(tf, value)) {
    if (value.dtype === 'string') throw dataError(file, `${what} is a string tensor; training needs numbers.`, 'Encode text/categories as numbers (e.g. one-hot) in loadData().');
    return value.rank === 0 ? tf.reshape(value, [1]) : value;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const flat = value as unknown as ArrayLike<number>;
    const inner = modelShape.slice(1).map((d) => d ?? 1);
    const per = inner.reduce((a, b) => a * b, 1);
    if (flat.length % per !== 0) {
      throw dataError(file, `${what} is a flat typed array of length ${flat.length}, which is not a multiple of the model's ${shapeText(modelShape)} (${per} values per sample).`, 'Give a tensor or nested arrays with the right shape.');
    }
    return tf.tensor(Array.from(flat), [flat.length / per, ...inner]);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return tf.zeros([0, ...modelShape.slice(1).map((d) => d ?? 1)]);
    try {
      const first = value[0] as unknown;
      if (typeof first === 'string' || (Array.isArray(first) && typeof first[0] === 'string')) throw new TypeError('strings');
      const t = tf.tensor(value as number[]);
      if (t.dtype === 'string') {
        t.dispose();
        throw new TypeError('strings');
      }
      return t;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (text === 'strings') throw dataError(file, `${what} contains strings; training needs numbers.`, 'Encode text/categories as numbers (e.g. one-hot) in loadData().');
      throw dataError(file, `${what} is not a rectangular array of numbers (${text.split('\n')[0] ?? text}).`, 'Every sample must have the same shape and contain only numbers.');
    }
  }
  throw dataError(file, `${what} is ${value === null ? 'null' : typeof value}; expected a tensor, nested number arrays or a typed array.`, 'Return { train: { xs, ys } } from loadData().');
}

async function fromDataset(tf: Tf, dataset: tfjs.data.Dataset<tfjs.TensorContainer>, name: string, inputRank: number, file: string): Promise<{ xs: tfjs.Tensor; ys: tfjs.Tensor }> {
  const elements = (await dataset.take(MAX_DATASET_SAMPLES + 1).toArray()) as { xs?: unknown; ys?: unknown }[];
  if (elements.length > MAX_DATASET_SAMPLES) {
    throw dataError(file, `The ${name} dataset has more than ${MAX_DATASET_SAMPLES} elements; LR Lab holds the data in memory.`, 'Use .take(n) on the dataset in loadData() for tuning runs.');
  }
  const first = elements[0];
  if (first === undefined) return { xs: tf.zeros([0]), ys: tf.zeros([0]) };
  if (!elements.every((e) => isTensor(tf, e.xs) && isTensor(tf, e.ys))) {
    throw dataError(file, `Elements of the ${name} dataset must be { xs, ys } objects of tensors.`, 'Map the dataset to ({ xs, ys }) in loadData().');
  }
  const xsList = elements.map((e) => e.xs as tfjs.Tensor);
  const ysList = elements.map((e) => e.ys as tfjs.Tensor);
  // A batched dataset's xs already has the model's batch axis: concatenate; single samples: stack.
  const batched = xsList[0]!.rank === inputRank;
  const xs = batched ? tf.concat(xsList, 0) : tf.stack(xsList);
  const ys = batched ? tf.concat(ysList, 0) : tf.stack(ysList);
  tf.dispose([...xsList, ...ysList]);
  return { xs, ys };
}

async function normalizeSplit(tf: Tf, raw: unknown, name: string, model: tfjs.LayersModel, file: string): Promise<Split> {
  let xs: tfjs.Tensor;
  let ys: tfjs.Tensor;
  if (isDataset(raw)) {
    ({ xs, ys } = await fromDataset(tf, raw, name, model.inputs[0]?.shape.length ?? 2, file));
  } else {
    const split = raw as { xs?: unknown; ys?: unknown } | null;
    if (typeof split !== 'object' || split === null || split.xs === undefined || split.ys === undefined) {
      throw dataError(file, `loadData() returned a ${name} split without xs and ys.`, `Return { ${name}: { xs, ys } } where xs are the inputs and ys the labels.`);
    }
    const inputShape = model.inputs[0]?.shape ?? [null];
    const outputShape = model.outputs[0]?.shape ?? [null];
    xs = toTensor(tf, split.xs, inputShape, `${name}.xs`, file);
    ys = toTensor(tf, split.ys, outputShape, `${name}.ys`, file);
  }
  const count = xs.shape[0] ?? 0;
  if (count === 0) throw dataError(file, `The ${name} data is empty (0 samples).`, 'Check that loadData() finds its data files.');
  if ((ys.shape[0] ?? 0) !== count) {
    throw dataError(file, `${name}.xs has ${count} samples but ${name}.ys has ${ys.shape[0] ?? 0}.`, 'Give one label per input sample.');
  }
  if (xs.dtype !== 'float32') xs = tf.cast(xs, 'float32');
  if (ys.dtype === 'bool') ys = tf.cast(ys, 'float32');
  return { xs, ys, count };
}

function checkInputShape(tf: Tf, split: Split, model: tfjs.LayersModel, name: string, file: string): void {
  const expected = model.inputs[0]?.shape;
  if (expected === undefined) return;
  const actual = split.xs.shape;
  const fits = actual.length === expected.length && expected.every((d, i) => i === 0 || d === null || d === actual[i]);
  if (!fits) {
    throw new LrLabError('shape', `${name}.xs has shape ${shapeText([null, ...actual.slice(1)])} but the model expects inputs of shape ${shapeText(expected)}.`, {
      file,
      fix: `Reshape xs in loadData() (e.g. xs.reshape([-1, ${expected.slice(1).map((d) => d ?? -1).join(', ')}])) or change the model's inputShape.`,
    });
  }
  const finite = tf.tidy(() => tf.all(tf.isFinite(split.xs)).dataSync()[0]);
  if (finite !== 1) throw dataError(file, `${name}.xs contains NaN or Infinity.`, 'Clean or impute missing values in loadData().');
}

/** Labels that fit the loss: one-hot for categorical, integer classes for sparse, [0,1] for binary. */
export function checkLabels(tf: Tf, split: Split, lossName: string, model: tfjs.LayersModel, name: string, file: string): void {
  const output = model.outputs[0]?.shape ?? [null];
  const units = output[output.length - 1] ?? 1;
  const ys = split.ys;
  const stats = tf.tidy(() => {
    const finite = tf.all(tf.isFinite(ys)).dataSync()[0] ?? 0;
    return { finite, min: tf.min(ys).dataSync()[0] ?? 0, max: tf.max(ys).dataSync()[0] ?? 0 };
  });
  if (stats.finite !== 1) throw dataError(file, `${name}.ys contains NaN or Infinity.`, 'Clean the labels in loadData().');
  const key = lossName.toLowerCase().replace(/[_\s]/g, '');
  const fail = (message: string, fix: string): never => {
    throw new LrLabError('loss', message, { file, fix });
  };
  if (key.includes('sparsecategorical')) {
    if (ys.rank > 2 || (ys.rank === 2 && ys.shape[1] !== 1)) fail(`${lossName} needs one integer class per sample, but ${name}.ys has shape ${shapeText(ys.shape)}.`, 'Use integer labels, or categoricalCrossentropy for one-hot labels.');
    const integer = tf.tidy(() => tf.all(tf.equal(ys, tf.round(ys))).dataSync()[0]);
    if (integer !== 1 || stats.min < 0 || stats.max >= units) fail(`${lossName} needs integer classes 0..${units - 1}, but ${name}.ys ranges over ${stats.min}..${stats.max}${integer === 1 ? '' : ' with fractions'}.`, `Use class indices 0..${units - 1} matching the ${units} output units.`);
  } else if (key.includes('categorical')) {
    if (ys.rank !== 2 || ys.shape[1] !== units) fail(`${lossName} needs one-hot labels of shape [batch, ${units}], but ${name}.ys has shape ${shapeText(ys.shape)}.`, ys.rank === 1 || ys.shape[1] === 1 ? 'These look like class indices: use sparseCategoricalCrossentropy, or one-hot encode them (tf.oneHot).' : `Match the model's ${units} output units.`);
    if (stats.min < 0 || stats.max > 1) fail(`${lossName} needs probabilities in [0, 1], but ${name}.ys ranges over ${stats.min}..${stats.max}.`, 'One-hot encode the labels (tf.oneHot).');
  } else if (key.includes('binary')) {
    if (stats.min < 0 || stats.max > 1) fail(`${lossName} needs labels in [0, 1], but ${name}.ys ranges over ${stats.min}..${stats.max}.`, 'Use 0/1 labels, or a different loss.');
  } else {
    const expected = output.slice(1);
    const actual = ys.shape.slice(1);
    const fits = actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
    if (!fits) throw new LrLabError('shape', `${name}.ys has shape ${shapeText([null, ...actual])} but the model outputs ${shapeText(output)}.`, { file, fix: 'Reshape the labels or change the last layer.' });
  }
}

export async function prepareData(raw: unknown, tf: Tf, model: tfjs.LayersModel, options: PrepareOptions): Promise<PreparedData> {
  const { file } = options;
  if (typeof raw !== 'object' || raw === null) {
    throw dataError(file, `loadData() returned ${raw === null ? 'null' : typeof raw}, not { train, validation? }.`, 'Return { train: { xs, ys }, validation: { xs, ys } } (validation is optional).');
  }
  const record = raw as { train?: unknown; validation?: unknown; xs?: unknown };
  const trainRaw = record.train ?? (record.xs !== undefined ? raw : undefined);
  if (trainRaw === undefined) {
    const keys = Object.keys(raw);
    throw dataError(file, `loadData() returned an object without train (keys: ${keys.length === 0 ? 'none' : keys.join(', ')}).`, 'Return { train: { xs, ys }, validation: { xs, ys } }.');
  }
  const all = await normalizeSplit(tf, trainRaw, 'train', model, file);
  checkInputShape(tf, all, model, 'train', file);
  if (record.validation !== undefined && record.validation !== null) {
    const validation = await normalizeSplit(tf, record.validation, 'validation', model, file);
    checkInputShape(tf, validation, model, 'validation', file);
    return { train: all, validation, validationFromFile: true };
  }
  const fraction = options.validationFraction;
  if (!(fraction > 0 && fraction < 1)) {
    throw new LrLabError('bad-option', `--validation-split must be between 0 and 1, got ${fraction}.`, { option: 'validationSplit' });
  }
  if (all.count < 2) throw dataError(file, `Only ${all.count} training sample: cannot hold out a validation split.`, 'Give more data, or a validation split in loadData().');
  const order = permutation(all.count, mulberry32(options.seed));
  const valCount = Math.min(all.count - 1, Math.max(1, Math.round(all.count * fraction)));
  const valIdx = tf.tensor1d(Array.from(order.slice(0, valCount)).sort((a, b) => a - b), 'int32');
  const trainIdx = tf.tensor1d(Array.from(order.slice(valCount)).sort((a, b) => a - b), 'int32');
  const split = {
    train: { xs: tf.gather(all.xs, trainIdx), ys: tf.gather(all.ys, trainIdx), count: all.count - valCount },
    validation: { xs: tf.gather(all.xs, valIdx), ys: tf.gather(all.ys, valIdx), count: valCount },
    validationFromFile: false,
  };
  tf.dispose([valIdx, trainIdx, all.xs, all.ys]);
  return split;
}

// ---------------------------------------------------------------------------------------------
// Loss and optimizer from the user's file or model.compile

const LOSS_ALIASES: Record<string, string> = {
  categoricalcrossentropy: 'categoricalCrossentropy',
  sparsecategoricalcrossentropy: 'sparseCategoricalCrossentropy',
  binarycrossentropy: 'binaryCrossentropy',
  meansquarederror: 'meanSquaredError',
  mse: 'meanSquaredError',
  meanabsoluteerror: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
};

function lossByName(tf: Tf, name: string, file: string): { fn: LossFn; name: string } {
  const canonical = LOSS_ALIASES[name.toLowerCase().replace(/[_\s]/g, '')];
  const metrics = tf.metrics as unknown as Record<string, LossFn | undefined>;
  if (canonical === 'sparseCategoricalCrossentropy') {
    // tfjs-layers has this loss but does not export it: categorical cross-entropy on one-hot indices.
    const fn: LossFn = (yTrue, yPred) =>
      tf.tidy(() => tf.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), yPred.shape[yPred.rank - 1] ?? 1), yPred));
    return { fn, name: canonical };
  }
  const fn = canonical === undefined ? undefined : metrics[canonical];
  if (canonical === undefined || fn === undefined) {
    throw new LrLabError('loss', `Unknown loss '${name}'.`, { file, fix: `Use one of ${Object.values(LOSS_ALIASES).filter((v, i, a) => a.indexOf(v) === i).join(', ')}, or export a loss function.` });
  }
  return { fn: (yTrue, yPred) => fn(yTrue, yPred), name: canonical };
}

/** `export const loss`, else the compiled loss, else inferred from the last layer and the labels. */
export function resolveLoss(tf: Tf, mod: UserModelModule, model: tfjs.LayersModel, ys: tfjs.Tensor): { fn: LossFn; name: string } {
  const file = mod.file;
  if (typeof mod.loss === 'function') return { fn: mod.loss, name: mod.loss.name || 'custom' };
  if (typeof mod.loss === 'string') return lossByName(tf, mod.loss, file);
  const compiled = (model as unknown as { loss?: unknown }).loss;
  const first = Array.isArray(compiled) ? (compiled[0] as unknown) : compiled;
  if (typeof first === 'string') return lossByName(tf, first, file);
  if (typeof first === 'function') return { fn: first as LossFn, name: (first as { name?: string }).name ?? 'custom' };
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig()['activation'] as string | undefined) ?? 'linear';
  const units = model.outputs[0]?.shape.at(-1) ?? 1;
  if (activation === 'softmax') {
    return lossByName(tf, ys.rank === 2 && ys.shape[1] === units ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy', file);
  }
  if (activation === 'sigmoid') return lossByName(tf, 'binaryCrossentropy', file);
  return lossByName(tf, 'meanSquaredError', file);
}

/** The optimizer in the user's model.compile, in our names; `null` when none or one we do not drive. */
export function resolveOptimizerName(model: tfjs.LayersModel): OptimizerName | null {
  const optimizer = (model as unknown as { optimizer?: { getClassName?: () => string; useNesterov?: boolean } }).optimizer;
  const name = optimizer?.getClassName?.();
  switch (name) {
    case 'SGD':
      return 'sgd';
    case 'Momentum':
      return optimizer?.useNesterov === true ? 'nesterov' : 'sgd';
    case 'Adam':
    case 'Adamax':
      return 'adam';
    default:
      return null;
  }
}

/** For messages: the model file's name. */
export function modelName(file: string): string {
  return path.basename(file);
}
