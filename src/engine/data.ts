/**
 * Turns whatever `loadData()` returned into tensors the trainer can batch from, and refuses data
 * that cannot train — naming the model file, the split, the sample, and what to change.
 *
 * Accepted for `train` / `validation`: `{ xs, ys }` where each is a tensor, nested arrays of
 * numbers (or of typed arrays), an array of per-sample tensors, or a flat typed array (shaped by
 * the model's input/output); or a `tf.data.Dataset` of `{ xs, ys }` (or `[xs, ys]`) elements,
 * batched or not. A missing trailing axis of size 1 is added (`[n]` labels for a one-unit
 * output, `[n, 28, 28]` images for a `[28, 28, 1]` input); nothing else is reshaped.
 *
 * Validation: the `validation` split when loadData returns one; otherwise a held-out part of
 * `train`: the first round(n × validationFraction) indices of a Fisher–Yates permutation of
 * 0..n-1 drawn from mulberry32(seed) (seed 0 when none), so the same seed and data give the same
 * split on every run. Both parts keep the original sample order (the trainer shuffles).
 *
 * Tensors the user returned are never disposed (their loadData may cache and return them
 * again); only the copies made here are.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { LrLabError, OptionError } from '../protocol/errors';
import { mulberry32, permutation, seedBits } from '../core/random';
import { locateUserFrame } from './userFrames';
import { thrownText, throwIfAborted } from './errorMapping';
import type { Tf } from './tfjs';
import { readTensor } from './readTensor';
import type { Split } from './trainer';
import { fingerprints, readsDifferently } from './datasetCheck';
import { formatCount } from '../protocol/format';
import { OPTIONS } from '../protocol/options';
import { optionGiven, type OptionNaming } from '../protocol/optionNaming';

/** Most samples materialized from a tf.data.Dataset; LR Lab holds the data in memory. */
export const MAX_DATASET_SAMPLES = 1_000_000;
/** Most numbers materialized from a tf.data.Dataset (1 GiB of float32). */
export const MAX_DATASET_VALUES = 2 ** 28;

export type Shape = readonly (number | null)[];

export interface PreparedData {
  readonly train: Split;
  readonly validation: Split;
  /** Whether `validation` came from loadData (else it was split off `train`). */
  readonly validationFromFile: boolean;
  /** Held out from loadData's train: each split's sample i is train sample `origin.<split>[i]` there (messages name that index). */
  readonly origin?: { readonly train: Int32Array; readonly validation: Int32Array };
  /** The model's input and output shapes, batch axis `null`. */
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** What the user should know about the data (a dataset whose random map is frozen). */
  readonly warnings: readonly string[];
  /** The batch size of a batched train dataset (its first batch's samples), else `null`. */
  readonly trainBatchSize: number | null;
}

export interface PrepareOptions {
  readonly file: string;
  /** Fraction of `train` held out when loadData returns no `validation` (default 0.2). */
  readonly validationFraction?: number | undefined;
  readonly seed?: number | null | undefined;
  /** Cap on samples read from a tf.data.Dataset (default MAX_DATASET_SAMPLES). */
  readonly datasetSampleLimit?: number | undefined;
  /**
   * Say that a batched train dataset is batched again at --batch-size (a model file's loadData;
   * the script route keeps the fit call's batch size, the library takes it as an option).
   */
  readonly noteDatasetBatches?: boolean;
  /** Who reads the warnings: a model file's or script's user (`flag`, the default) or the library's caller, who passed the data itself. */
  readonly naming?: OptionNaming;
  /** Cancels reading a tf.data dataset (which yields to the event loop as it reads, so that the abort can arrive). */
  readonly signal?: AbortSignal | undefined;
  /** Told how far a long read of a tf.data dataset has got, every DATASET_PROGRESS_MS (an endless generator showed only "Loading" for 91 s). */
  readonly onProgress?: ((text: string) => void) | undefined;
}

/** Reading a tf.data dataset yields to the event loop this often (ms): its elements resolve as microtasks, which starve timers and aborts. */
const DATASET_YIELD_MS = 20;
/** A read of a tf.data dataset that takes longer than this says how far it has got, and again at this interval. */
export const DATASET_PROGRESS_MS = 2000;

/** How far reading a dataset into memory has got (`dataset`: "train dataset", …), as progress says it every DATASET_PROGRESS_MS, a model file's and a script's fitDataset call's alike. */
export function readingDatasetText(dataset: string, samples: number, seconds: number, limit: number): string {
  return `Reading the ${dataset} into memory: ${samples.toLocaleString('en')} samples in ${Math.round(seconds)} s (at most ${limit.toLocaleString('en')} are read)`;
}

type SplitName = 'train' | 'validation';

function dataError(file: string, message: string, fix: string): LrLabError {
  return new LrLabError('data', message, { file, fix });
}

export function shapeText(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? 'batch' : String(d))).join(', ')}]`;
}

export function samplesText(shape: readonly number[]): string {
  return shapeText([null, ...shape.slice(1)]);
}

function isTensor(tf: Tf, value: unknown): value is tfjs.Tensor {
  return value instanceof tf.Tensor;
}

function isTypedArray(value: unknown): value is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function isDataset(value: unknown): value is tfjs.data.Dataset<tfjs.TensorContainer> {
  const v = value as { iterator?: unknown; toArray?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.iterator === 'function' && typeof v.toArray === 'function';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string '${value.length > 20 ? `${value.slice(0, 20)}…` : value}'`;
  if (typeof value === 'object') return `an object (${(value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

/** What fixes a dataset of [x, y] pairs that `batch()` turned into one tensor or could not batch. */
export const ZIP_OBJECT_FIX = 'Zip an object, tf.data.zip({ xs: xds, ys: yds }), before .batch(n): model.fitDataset needs elements { xs, ys }, and batch() turns [x, y] pairs into one tensor.';

/**
 * Whether reading a dataset failed inside tf.data's `batch()` (no frame of the user's): on wasm,
 * `tf.data.zip([xds, yds]).batch(n)` fails there ("Invalid typed array length: 256") because batch()
 * stacks tensors and objects of them, not arrays of tensors.
 */
export function failedInBatch(error: unknown, userFrame: unknown): boolean {
  return userFrame === null && error instanceof Error && /\bbatchConcat\b/.test(error.stack ?? '');
}

/** What a dataset that failed in `batch()` (`failedInBatch`) is said as: `name` the dataset's, `text` the error's first line. */
export function batchFailureText(name: string, text: string): string {
  return `tf.data's batch() could not batch the ${name} dataset (${text}): it stacks tensors and objects of them, not arrays of tensors such as tf.data.zip([xds, yds]) yields.`;
}

/** The message for an element that is not { xs, ys }, and its fix (`fix` when it is no tensor). */
export function notPairError(tf: Tf, element: unknown, index: number, name: string, fix: string): { message: string; fix: string } {
  // tf.data.zip([xds, yds]).batch(n) on the cpu backend: batch() made one tensor of the pairs.
  if (isTensor(tf, element)) return { message: `Element ${index} of the ${name} dataset is a tensor of shape [${element.shape.join(', ')}], not { xs, ys }.`, fix: `Give each element its labels as { xs, ys }. ${ZIP_OBJECT_FIX}` };
  return { message: `Element ${index} of the ${name} dataset is ${describe(element)}, not { xs, ys }.`, fix };
}

const ENCODE_FIX = 'Encode text and categories as numbers in loadData() (class indices, or one-hot with tf.oneHot).';

/** Tracks the tensors made here, so that only those are disposed. */
class Owned {
  private readonly tensors = new Set<tfjs.Tensor>();

  add<T extends tfjs.Tensor>(tensor: T): T {
    this.tensors.add(tensor);
    return tensor;
  }

  /** Disposes `tensor` when it was made here (a user's tensor is left alone). */
  drop(tensor: tfjs.Tensor): void {
    if (this.tensors.delete(tensor)) tensor.dispose();
  }

  /** Disposes everything made here that is still held. */
  dropAll(): void {
    for (const t of this.tensors) if (!t.isDisposed) t.dispose();
    this.tensors.clear();
  }

  /** Replaces `from` by `to`, disposing `from` when it was made here. */
  swap<T extends tfjs.Tensor>(from: tfjs.Tensor, to: T): T {
    if (from !== to) this.drop(from);
    return this.add(to);
  }
}

// ---------------------------------------------------------------------------------------------
// Arrays → tensors, with errors that name the offending value

function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v) || isTypedArray(v)) {
    const length = (v as ArrayLike<unknown>).length;
    shape.push(length);
    if (length === 0) break;
    v = (v as ArrayLike<unknown>)[0];
  }
  return shape;
}

/** Copies nested arrays into `out`, checking they are rectangular, numeric and finite. */
function fillNested(value: unknown, shape: readonly number[], depth: number, out: Float32Array, offset: number, at: string, file: string): number {
  if (depth === shape.length) {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw dataError(file, `${at} is ${value}: inputs and labels must be finite numbers.`, 'Clean or impute missing values in loadData().');
      out[offset] = value;
    } else if (typeof value === 'boolean') {
      out[offset] = value ? 1 : 0;
    } else {
      throw dataError(file, `${at} is ${describe(value)}; training needs numbers.`, typeof value === 'string' ? ENCODE_FIX : 'Every value of xs and ys must be a number.');
    }
    return offset + 1;
  }
  const expected = shape[depth]!;
  if (!Array.isArray(value) && !isTypedArray(value)) {
    throw dataError(file, `${at} is ${describe(value)}, but the first sample has ${expected} values at this depth: the data is not rectangular.`, 'Give every sample the same shape.');
  }
  const array = value as ArrayLike<unknown>;
  if (array.length !== expected) {
    throw dataError(file, `${at} has ${array.length} values where the first sample has ${expected}: the data is not rectangular.`, 'Give every sample the same shape.');
  }
  if (isTypedArray(value) && depth === shape.length - 1) {
    const typed = value as ArrayLike<number>;
    for (let i = 0; i < typed.length; i++) {
      const v = typed[i]!;
      if (!Number.isFinite(v)) throw dataError(file, `${at}[${i}] is ${v}: inputs and labels must be finite numbers.`, 'Clean or impute missing values in loadData().');
      out[offset + i] = v;
    }
    return offset + typed.length;
  }
  let next = offset;
  for (let i = 0; i < array.length; i++) next = fillNested(array[i], shape, depth + 1, out, next, `${at}[${i}]`, file);
  return next;
}

/** `what` as a float32 tensor whose first axis is the sample axis. */
function toTensor(tf: Tf, owned: Owned, value: unknown, what: string, perSample: Shape, samples: number | null, file: string): tfjs.Tensor {
  if (isTensor(tf, value)) {
    if (value.isDisposed) throw dataError(file, `${what} is a disposed tensor.`, 'Do not dispose (or tf.tidy away) the tensors loadData() returns.');
    if (value.dtype === 'string') throw dataError(file, `${what} is a string tensor; training needs numbers.`, ENCODE_FIX);
    if (value.rank === 0) throw dataError(file, `${what} is a single number (a scalar tensor), not one value per sample.`, 'Give a tensor whose first axis is the sample axis.');
    return value.dtype === 'float32' ? value : owned.add(tf.cast(value, 'float32'));
  }
  if (isTypedArray(value)) {
    const flat = value;
    if (samples !== null && flat.length === samples) return owned.add(tf.tensor1d(Float32Array.from(flat)));
    const inner = perSample.map((d) => d ?? Number.NaN);
    const per = inner.reduce((a, b) => a * b, 1);
    if (!Number.isFinite(per) || per === 0 || flat.length % per !== 0) {
      throw dataError(
        file,
        `${what} is a flat ${value.constructor.name} of ${flat.length} values, which cannot be cut into samples of the model's shape ${shapeText([null, ...perSample])}.`,
        'Give a tensor (tf.tensor(values, shape)) or nested arrays with the shape of the data.',
      );
    }
    const values = Float32Array.from(flat);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw dataError(file, `${what} holds ${values[bad]} at index ${bad} (sample ${Math.floor(bad / per)}): inputs and labels must be finite numbers.`, 'Clean or impute missing values in loadData().');
    return owned.add(tf.tensor(values, [flat.length / per, ...(inner)]));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return owned.add(tf.zeros([0]));
    if (isTensor(tf, value[0])) {
      const first = value[0];
      value.forEach((t: unknown, i) => {
        if (!isTensor(tf, t) || t.shape.join() !== first.shape.join()) {
          throw dataError(file, `${what}[${i}] is ${isTensor(tf, t) ? `a tensor of shape ${shapeText(t.shape)}` : describe(t)}, but ${what}[0] is a tensor of shape ${shapeText(first.shape)}.`, 'Give every sample the same shape.');
        }
        if (t.dtype === 'string') throw dataError(file, `${what}[${i}] is a string tensor; training needs numbers.`, ENCODE_FIX);
      });
      return owned.add(tf.tidy(() => tf.cast(tf.stack(value as tfjs.Tensor[]), 'float32')));
    }
    const shape = nestedShape(value);
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    fillNested(value, shape, 0, out, 0, what, file);
    return owned.add(tf.tensor(out, shape));
  }
  throw dataError(file, `${what} is ${describe(value)}; expected a tensor, nested arrays of numbers or a typed array.`, 'Return { train: { xs, ys } } from loadData(), with xs the inputs and ys the labels.');
}

/** `[n, ...s]` → `[n, ...s, 1]` when that is exactly what the model wants. */
function addTrailingAxis(tf: Tf, owned: Owned, tensor: tfjs.Tensor, perSample: Shape): tfjs.Tensor {
  const want = perSample;
  const have = tensor.shape.slice(1);
  if (have.length + 1 !== want.length || want[want.length - 1] !== 1) return tensor;
  if (!have.every((d, i) => want[i] === null || want[i] === d)) return tensor;
  return owned.swap(tensor, tf.expandDims(tensor, -1));
}

// ---------------------------------------------------------------------------------------------
// tf.data.Dataset → tensors

async function fromDataset(tf: Tf, owned: Owned, dataset: tfjs.data.Dataset<tfjs.TensorContainer>, name: SplitName, shapes: IoShapes, limit: number, file: string, signal?: AbortSignal, onProgress?: (text: string) => void): Promise<{ xs: tfjs.Tensor; ys: tfjs.Tensor; batchSize: number | null }> {
  const inputRank = shapes.input.length;
  // An endless dataset (.repeat() without a count) is refused before a million samples are read
  // (a user's library call blocked for 22 s before it said so).
  if (dataset.size === Number.POSITIVE_INFINITY) {
    throw dataError(file, `The ${name} dataset is endless (its size is Infinity: .repeat() without a count): LR Lab reads a tf.data dataset into memory once and does not stream it.`, 'Use .take(n) on the dataset (a few thousand samples are enough to tune the LR and the schedule), or .repeat() only in your own fitDataset.');
  }
  const xsList: tfjs.Tensor[] = [];
  const ysList: tfjs.Tensor[] = [];
  const release = (): void => {
    for (const t of [...xsList, ...ysList]) owned.drop(t);
  };
  let samples = 0;
  let values = 0;
  let batched: boolean | null = null;
  /** The element being read: fresh tensors of the dataset's, disposed when it is refused (a refused element leaked its two). */
  let reading: unknown = null;
  try {
    const iterator = await dataset.iterator();
    const began = performance.now();
    let yielded = began;
    let told = began;
    for (let index = 0; ; index++) {
      if (performance.now() - yielded >= DATASET_YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
        if (onProgress !== undefined && yielded - told >= DATASET_PROGRESS_MS) {
          told = yielded;
          onProgress(readingDatasetText(`${name} dataset`, samples, (yielded - began) / 1000, limit));
        }
      }
      throwIfAborted(signal);
      const result = (await iterator.next()) as IteratorResult<unknown, unknown>;
      if (result.done === true) break;
      const element = result.value;
      reading = element;
      const pair = elementPair(tf, element, shapes);
      if (typeof pair !== 'object' || pair === null || pair.xs === undefined || pair.ys === undefined) {
        const wrong = notPairError(tf, element, index, name, 'Map the dataset to ({ xs, ys }) in loadData(), e.g. dataset.map(({ image, label }) => ({ xs: image, ys: label })).');
        throw dataError(file, wrong.message, wrong.fix);
      }
      if (!isTensor(tf, pair.xs) || !isTensor(tf, pair.ys)) {
        const xs = toTensor(tf, owned, [pair.xs], `element ${index} xs of the ${name} dataset`, [], null, file);
        const ys = toTensor(tf, owned, [pair.ys], `element ${index} ys of the ${name} dataset`, [], null, file);
        xsList.push(owned.swap(xs, tf.squeeze(xs, [0])));
        ysList.push(owned.swap(ys, tf.squeeze(ys, [0])));
      } else {
        if (pair.xs.dtype === 'string' || pair.ys.dtype === 'string') throw dataError(file, `Element ${index} of the ${name} dataset holds string tensors; training needs numbers.`, ENCODE_FIX);
        // Elements are LR Lab's to release: dataset elements are fresh tensors per iteration.
        xsList.push(owned.add(pair.xs));
        ysList.push(owned.add(pair.ys));
      }
      reading = null;
      const xs = xsList[xsList.length - 1]!;
      // A batched dataset's xs has the model's batch axis already; a per-sample one does not.
      batched ??= xs.rank === inputRank;
      samples += batched ? (xs.shape[0] ?? 0) : 1;
      values += xs.size + ysList[ysList.length - 1]!.size;
      if (samples > limit || values > MAX_DATASET_VALUES) {
        throw dataError(
          file,
          // "Holds more than" read wrong for an endless .repeat() of 200 samples (a user trial): it never ends.
          samples > limit
            ? `The ${name} dataset did not end within ${limit.toLocaleString('en')} samples: it is endless (.repeat() without a count, a generator that never returns) or larger than LR Lab keeps: LR Lab reads a tf.data dataset into memory once and does not stream it.`
            : `The ${name} dataset holds more than ${MAX_DATASET_VALUES.toLocaleString('en')} numbers: LR Lab reads a tf.data dataset into memory once and does not stream it.`,
          'Use .take(n) on the dataset in loadData(): a few thousand samples are enough to tune the LR and the schedule.',
        );
      }
    }
  } catch (error) {
    release();
    if (reading !== null) tf.dispose(reading as tfjs.TensorContainer);
    if (error instanceof LrLabError) throw error;
    const at = locateUserFrame(error);
    const text = error instanceof Error ? error.message.split('\n')[0] ?? '' : thrownText(error);
    if (failedInBatch(error, at)) throw dataError(file, batchFailureText(name, text), ZIP_OBJECT_FIX);
    throw new LrLabError('data', `Reading the ${name} dataset failed: ${text}`, {
      file: at?.file ?? file,
      ...(at === null ? {} : { line: at.line }),
      fix: 'Fix the dataset pipeline built in loadData().',
      cause: error,
    });
  }
  if (xsList.length === 0) return { xs: owned.add(tf.zeros([0])), ys: owned.add(tf.zeros([0])), batchSize: null };
  // The dataset's own batch size (its first batch): runs batch the samples themselves.
  const batchSize = batched === true ? (xsList[0]!.shape[0] ?? null) : null;
  try {
    const join = (list: tfjs.Tensor[], what: string): tfjs.Tensor => {
      const first = list[0]!;
      const odd = list.findIndex((t) => t.rank !== first.rank || (batched === true ? t.shape.slice(1) : t.shape).join() !== (batched === true ? first.shape.slice(1) : first.shape).join());
      if (odd >= 0) {
        throw dataError(file, `Element ${odd} of the ${name} dataset has ${what} of shape ${shapeText(list[odd]!.shape)}, element 0 has ${shapeText(first.shape)}.`, 'Give every element the same shape (and batch with .batch(n) only at the end).');
      }
      return owned.add(tf.tidy(() => tf.cast(batched === true ? tf.concat(list, 0) : tf.stack(list), 'float32')));
    };
    return { xs: join(xsList, 'xs'), ys: join(ysList, 'ys'), batchSize };
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------------------------
// One split

/** The model's one input and one output: their shapes, and the layers' names (`fit` keys data by them). */
interface IoShapes {
  readonly input: Shape;
  readonly output: Shape;
  readonly inputName: string | undefined;
  readonly outputName: string | undefined;
}

/**
 * How to bring a model with several inputs or outputs to one of each. Not only "concatenate": a
 * user's ids that go through an embedding beside numeric features cannot be merged as they are.
 */
export function oneInputFix(severalInputs: boolean, severalOutputs: boolean): string {
  const input = 'one array of all the features, split apart inside the model where some must go their own way (ids into an embedding: a layer that slices its input)';
  // Only what is several: a user's one-input, two-output model read "Give the model one input" first.
  if (!severalOutputs) return `Give the model one input: ${input}. Or tune a single-input version of the model.`;
  if (!severalInputs) return 'Give the model one output: its outputs merged into one (tf.layers.concatenate), with labels of as many columns in the same order. Or tune a version of the model with one of its outputs.';
  return `Give the model one input: ${input}, and one output likewise (tf.layers.concatenate merges outputs). Or tune a single-input, single-output version of the model.`;
}

function singleInputOutput(model: tfjs.LayersModel, file: string): IoShapes {
  const inputs = model.inputs;
  const outputs = model.outputs;
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new LrLabError('shape', `The model has ${formatCount(inputs.length, 'input')} and ${formatCount(outputs.length, 'output')}; LR Lab trains models with one input and one output.`, {
      file,
      fix: oneInputFix(inputs.length !== 1, outputs.length !== 1),
    });
  }
  // An uncompiled Sequential lists no input/output names yet: its symbolic tensors carry the layers' names.
  const inputName = model.inputNames[0] ?? inputs[0]!.name;
  const outputName = model.outputNames[0] ?? outputs[0]!.name.split('/')[0];
  return { input: inputs[0]!.shape, output: outputs[0]!.shape, inputName, outputName };
}

/**
 * The one tensor of an input or output as `fit` takes it for a one-input, one-output model: the
 * tensor, an array of one (`fit([xs], [ys])`) or an object of one (`fit({ feats: xs }, …)`) — with
 * `names` (the model's input or output names), only one keyed by its own single name. `null` else.
 */
export function soleTensor(tf: Tf, value: unknown, names?: readonly string[]): tfjs.Tensor | null {
  if (isTensor(tf, value)) return value;
  if (Array.isArray(value)) return value.length === 1 && isTensor(tf, value[0]) ? value[0] : null;
  if (typeof value !== 'object' || value === null) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || (names !== undefined && (names.length !== 1 || keys[0] !== names[0]))) return null;
  const only = (value as Record<string, unknown>)[keys[0]!];
  return isTensor(tf, only) ? only : null;
}

/**
 * xs or ys as model.fit also takes them for a one-input (one-output) model: an array of one tensor of
 * all the samples (`fit([xs], [ys])`: its rank the model's, batch axis included), or an object keyed by
 * the layer's own name (`fit({ feats: xs }, …)`); anything else as given. loadData's `{ xs: { feats: xs } }`
 * read "train.xs is an object (Object)", and `{ xs: [xs] }` "train.xs has shape [batch, 500, 4]", where
 * the library and training scripts took both.
 */
function asFitTakesIt(tf: Tf, value: unknown, shape: Shape, name: string | undefined, what: string, file: string): unknown {
  // A list of one sample's tensor (its rank the sample's) stays a list of samples.
  if (Array.isArray(value) && !(isTensor(tf, value[0]) && value[0].rank === shape.length)) return value;
  const sole = soleTensor(tf, value, name === undefined ? [] : [name]);
  if (sole !== null) return sole;
  // Keyed by another name than the model's layer: fit refuses it too. Said so, not as "is an object
  // (Object); expected a tensor" (a user's { xs: { features: xs } } for an input named 'feat').
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) && !isTensor(tf, value) && Object.getPrototypeOf(value) === Object.prototype ? Object.keys(value) : [];
  if (name !== undefined && keys.length > 0 && keys.every((k) => isTensor(tf, (value as Record<string, unknown>)[k]))) {
    const side = what.endsWith('.ys') ? 'output' : 'input';
    throw dataError(file, `${what} is keyed by ${keys.map((k) => `'${k}'`).join(', ')}, and the model's ${side} is named '${name}' (model.${side}Names): as fit, LR Lab takes an object keyed by that name.`, `Key it by '${name}' ({ ${JSON.stringify(name)}: tensor }), give the tensor itself, or name the ${side} layer ${keys.length === 1 ? `'${keys[0]}'` : 'after the key'} (tf.input({ name }) / the layer's name).`);
  }
  return value;
}

export function fits(actual: readonly number[], expected: Shape): boolean {
  return actual.length === expected.length && expected.every((d, i) => i === 0 || d === null || d === actual[i]);
}

/** Index of the first sample with a non-finite value, or -1. */
function firstNonFiniteSample(tf: Tf, tensor: tfjs.Tensor): number {
  const count = tensor.shape[0] ?? 0;
  if (count === 0) return -1;
  const ok = readTensor(tf, () => tf.all(tf.isFinite(tf.reshape(tensor, [count, -1])), 1));
  return ok.findIndex((v) => v === 0);
}

/**
 * A dataset element's xs and ys as `fitDataset` takes them for a one-input, one-output model: `[xs, ys]`
 * or `{ xs, ys }`, each a tensor or keyed by the model's input (output) name — `{ xs: { feats: x }, ys }`
 * trained in tfjs and read "element 0 xs … is an object (Object); training needs numbers" here.
 */
function elementPair(tf: Tf, element: unknown, shapes: IoShapes): { xs?: unknown; ys?: unknown } | null {
  const pair = Array.isArray(element) ? { xs: element[0] as unknown, ys: element[1] as unknown } : (element as { xs?: unknown; ys?: unknown } | null);
  if (typeof pair !== 'object' || pair === null) return pair;
  const keyed = (value: unknown, layer: string | undefined): unknown => (Array.isArray(value) || isTensor(tf, value) || layer === undefined ? value : (soleTensor(tf, value, [layer]) ?? value));
  return { xs: keyed(pair.xs, shapes.inputName), ys: keyed(pair.ys, shapes.outputName) };
}

/** The xs of one dataset element with the sample axis first, or null when it cannot be made (for `readsDifferently`). */
function elementSamples(tf: Tf, element: unknown, shapes: IoShapes): tfjs.Tensor | null {
  const inputRank = shapes.input.length;
  const xs = elementPair(tf, element, shapes)?.xs;
  if (isTensor(tf, xs)) return xs.rank === inputRank ? tf.clone(xs) : tf.expandDims(xs, 0);
  try {
    return tf.tensor([xs as number[]]);
  } catch {
    return null;
  }
}

/** Said where it matters (every result that trains over epochs) when a dataset's random map is frozen. */
function frozenAugmentationWarning(name: SplitName, naming: OptionNaming): string {
  const plain = naming === 'flag' ? 'Return it without the random map from loadData()' : 'Pass it without the random map';
  return `The ${name} dataset gives different values each time it is read (a random .map(), e.g. augmentation): LR Lab reads it into memory once, so every epoch repeats the same augmented samples and runs see less regularization than your own training will. ${plain} to tune on the plain data, or keep it knowing the augmentation is drawn once.`;
}

async function normalizeSplit(tf: Tf, owned: Owned, raw: unknown, name: SplitName, shapes: IoShapes, limit: number, file: string, warnings: string[], naming: OptionNaming, noteBatches = false, found: { batchSize: number | null } = { batchSize: null }, signal?: AbortSignal, onProgress?: (text: string) => void): Promise<Split> {
  let xs: tfjs.Tensor;
  let ys: tfjs.Tensor;
  if (isDataset(raw)) {
    let batchSize: number | null;
    ({ xs, ys, batchSize } = await fromDataset(tf, owned, raw, name, shapes, limit, file, signal, onProgress));
    found.batchSize = batchSize !== null && batchSize > 1 ? batchSize : null;
    if (noteBatches && name === 'train' && batchSize !== null && batchSize > 1) warnings.push(`The train dataset comes in batches of ${batchSize}: LR Lab reads its samples into memory and batches them itself at --batch-size (${OPTIONS.batchSize.default} unless you give it), so runs use that size, not the dataset's${batchSize === OPTIONS.batchSize.default ? '' : ` (--batch-size ${batchSize} keeps yours)`}.`);
    if (await readsDifferently(tf, raw, fingerprints(tf, xs), (element) => elementSamples(tf, element, shapes))) warnings.push(frozenAugmentationWarning(name, naming));
  } else {
    // `[xs, ys]`, as fit takes them and as the library's findLr does (a user's `{ train: [xs, ys] }` read
    // "a train split without xs (keys: 0, 1)").
    const split = (Array.isArray(raw) && raw.length === 2 ? { xs: raw[0] as unknown, ys: raw[1] as unknown } : raw) as { xs?: unknown; ys?: unknown } | null;
    if (typeof split !== 'object' || split === null || split.xs === undefined || split.ys === undefined) {
      const keys = typeof split === 'object' && split !== null ? Object.keys(split) : [];
      throw dataError(
        file,
        `loadData() returned a ${name} split ${typeof split === 'object' && split !== null ? `without ${split.xs === undefined ? 'xs' : 'ys'} (keys: ${keys.length === 0 ? 'none' : keys.join(', ')})` : `that is ${describe(split)}`}.`,
        `Return { ${name}: { xs, ys } } where xs are the inputs and ys the labels (or ${name}: [xs, ys], or a tf.data.Dataset of { xs, ys }).`,
      );
    }
    xs = toTensor(tf, owned, asFitTakesIt(tf, split.xs, shapes.input, shapes.inputName, `${name}.xs`, file), `${name}.xs`, shapes.input.slice(1), null, file);
    ys = toTensor(tf, owned, asFitTakesIt(tf, split.ys, shapes.output, shapes.outputName, `${name}.ys`, file), `${name}.ys`, shapes.output.slice(1), xs.shape[0] ?? 0, file);
  }
  const count = xs.shape[0] ?? 0;
  if (count === 0) throw dataError(file, `The ${name} data is empty (0 samples).`, 'Check that loadData() finds and reads its data.');
  if ((ys.shape[0] ?? 0) !== count) {
    throw dataError(file, `${name}.xs has ${count} samples but ${name}.ys has ${ys.shape[0] ?? 0}.`, 'Give exactly one label per input sample.');
  }
  xs = addTrailingAxis(tf, owned, xs, shapes.input.slice(1));
  ys = addTrailingAxis(tf, owned, ys, shapes.output.slice(1));
  if (!fits(xs.shape, shapes.input)) {
    const inner = shapes.input.slice(1);
    throw new LrLabError('shape', `${name}.xs has shape ${samplesText(xs.shape)} but the model expects inputs of shape ${shapeText(shapes.input)}.`, {
      file,
      // The training split is read first and fits the model: where validation alone differs, it is the
      // one to change (a user was told "Change the model's inputShape to [4]" for a validation split of width 4).
      fix: xs.size === count * inner.reduce<number>((a, d) => a * (d ?? 1), 1)
        ? `Reshape ${name}.xs in loadData() (xs.reshape([-1, ${inner.map((d) => d ?? -1).join(', ')}]))${name === 'validation' ? ', as the training inputs are' : ", or change the model's inputShape"}.`
        : name === 'validation'
          ? `The training inputs fit the model: give validation inputs of the same shape, ${shapeText(shapes.input)} (check that loadData() builds both splits the same way).`
          : `Change the model's inputShape to [${xs.shape.slice(1).join(', ')}] or give inputs of shape ${shapeText(shapes.input)}.`,
    });
  }
  checkLabelShape(ys, shapes.output, name, file);
  const badX = firstNonFiniteSample(tf, xs);
  if (badX >= 0) throw dataError(file, `${name}.xs sample ${badX} contains NaN or Infinity.`, 'Clean or impute missing values in loadData().');
  const badY = firstNonFiniteSample(tf, ys);
  if (badY >= 0) throw dataError(file, `${name}.ys sample ${badY} contains NaN or Infinity.`, 'Clean the labels in loadData().');
  return { xs, ys, count };
}

/** Labels either match the output exactly, or are one class index per sample for a multi-unit output. */
function checkLabelShape(ys: tfjs.Tensor, output: Shape, name: SplitName, file: string): void {
  const units = output[output.length - 1] ?? null;
  const classIndices = output.length === 2 && units !== null && units > 1 && (ys.rank === 1 || (ys.rank === 2 && ys.shape[1] === 1));
  if (classIndices || fits(ys.shape, output)) return;
  const perSample = ys.shape.slice(1);
  // One output unit (a binary classifier, one regression target) against several values per label:
  // tf.oneHot(labels, 1) would be no fix (a user's one-hot rows of two classes under a sigmoid unit).
  const fix =
    output.length === 2 && ys.rank === 2 && units === 1
      ? `If the labels are one-hot rows of two classes, keep the positive class's column (ys.slice([0, 1], [-1, 1])) for the sigmoid unit, or make the last layer ${perSample[0]} units with softmax and use categoricalCrossentropy; for ${perSample[0]} regression targets, make the last layer ${perSample[0]} units.`
      : output.length === 2 && ys.rank === 2
        ? wideLabelsFix(ys, perSample[0]!, units)
        : `Reshape the labels in loadData() to ${shapeText(output)}, or change the last layer.`;
  throw new LrLabError('shape', `${name}.ys has shape ${samplesText(ys.shape)} but the model outputs ${shapeText(output)}.`, { file, fix });
}

/**
 * What to do about labels of `columns` values per sample against `units` outputs: the last layer to
 * match them, and only where no more of their columns are ever set than the model has units, labels
 * encoded with that many (a user's 4-class one-hot rows under 3 units read "or one-hot encode class
 * indices with tf.oneHot(labels, 3)", which would make every label of the fourth class a row of zeros).
 */
function wideLabelsFix(ys: tfjs.Tensor, columns: number, units: number | null): string {
  const values = ys.dataSync();
  const used = new Set<number>();
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) used.add(i % columns);
  const match = `Make the last layer have ${columns} units to match the labels' ${columns} columns`;
  // Narrower labels than outputs, or more columns set than there are units: the last layer is the fix.
  if (units === null || columns < units || used.size > units) return `${match} (${used.size} of them are set in some row: one per class or per target).`;
  return `${match}, or, if the model is right, give labels of ${units} columns (only ${used.size} of the ${columns} are ever set: one-hot encoded with too many, e.g. tf.oneHot(classIndices, ${units})).`;
}

/**
 * Fewer training samples than this are refused: one or two samples (a user's loadData gave two, and
 * the range test "learned" the one it trained on, with a chance level of 1e-7 and a 1-sample
 * validation) measure nothing about a learning rate. Four lets XOR's four points train when the
 * validation split comes from loadData.
 */
export const MIN_TRAINING_SAMPLES = 4;

function tooFewToTrain(file: string, count: number, split: { total: number; held: number; fraction: number; naming: OptionNaming } | null): LrLabError {
  const what = split === null
    ? `loadData() gave ${formatCount(count, 'training sample')}`
    : `loadData() gave ${formatCount(split.total, 'sample')}; holding out ${split.held} for validation (${optionGiven('validationSplit', split.fraction, split.naming)}) leaves ${count} to train on`;
  return dataError(file, `${what}: too few to measure anything about a learning rate (at least ${MIN_TRAINING_SAMPLES} are needed to train on).`, split === null ? 'Give more training data.' : 'Give more data, or return a validation split from loadData() (it may repeat the training samples for a toy task).');
}

/** Normalizes, checks and splits loadData()'s result (see the file comment). */
export async function prepareData(raw: unknown, tf: Tf, model: tfjs.LayersModel, options: PrepareOptions): Promise<PreparedData> {
  const owned = new Owned();
  try {
    return await prepareOwned(raw, tf, model, options, owned);
  } catch (error) {
    // What was made here before the data was refused (a user's library calls with a wrong shape
    // left one tensor each): never the caller's own.
    owned.dropAll();
    throw error;
  }
}

async function prepareOwned(raw: unknown, tf: Tf, model: tfjs.LayersModel, options: PrepareOptions, owned: Owned): Promise<PreparedData> {
  const { file } = options;
  const fraction = options.validationFraction ?? 0.2;
  const limit = options.datasetSampleLimit ?? MAX_DATASET_SAMPLES;
  const shapes = singleInputOutput(model, file);
  if (raw === null || (typeof raw !== 'object' && !isDataset(raw))) {
    throw dataError(file, `loadData() returned ${describe(raw)}, not { train, validation? }.`, 'Return { train: { xs, ys }, validation: { xs, ys } } from loadData() (validation is optional).');
  }
  const record = raw as { train?: unknown; validation?: unknown; xs?: unknown };
  // A bare { xs, ys } or a bare dataset is the training data.
  const trainRaw = isDataset(raw) ? raw : (record.train ?? (record.xs !== undefined ? raw : undefined));
  if (trainRaw === undefined || trainRaw === null) {
    const keys = Object.keys(raw);
    // `{ train: undefined }` read "an object without train (keys: train)".
    const what = 'train' in record ? `train: ${String(record.train)}` : `an object without train (keys: ${keys.length === 0 ? 'none' : keys.join(', ')})`;
    throw dataError(file, `loadData() returned ${what}.`, 'Return { train: { xs, ys }, validation: { xs, ys } } from loadData() (validation is optional).');
  }
  const warnings: string[] = [];
  const found: { batchSize: number | null } = { batchSize: null };
  const naming = options.naming ?? 'flag';
  const all = await normalizeSplit(tf, owned, trainRaw, 'train', shapes, limit, file, warnings, naming, options.noteDatasetBatches === true, found, options.signal, options.onProgress);
  const trainBatchSize = found.batchSize;
  const validationRaw = isDataset(raw) ? undefined : record.validation;
  if (validationRaw !== undefined && validationRaw !== null) {
    const validation = await normalizeSplit(tf, owned, validationRaw, 'validation', shapes, limit, file, warnings, naming, false, { batchSize: null }, options.signal, options.onProgress);
    if (all.count < MIN_TRAINING_SAMPLES) throw tooFewToTrain(file, all.count, null);
    return { train: all, validation, validationFromFile: true, inputShape: shapes.input, outputShape: shapes.output, warnings, trainBatchSize };
  }
  if (!(fraction > 0 && fraction < 1)) {
    throw new OptionError('validationSplit', `--validation-split must be between 0 and 1 (exclusive), got ${fraction}.`, 'Use e.g. --validation-split 0.2, or return a validation split from loadData().');
  }
  if (all.count < 2) {
    throw dataError(file, `The train data has only ${all.count} sample: none can be held out for validation.`, 'Give more data, or return a validation split from loadData().');
  }
  const valCount = Math.min(all.count - 1, Math.max(1, Math.round(all.count * fraction)));
  if (all.count - valCount < MIN_TRAINING_SAMPLES) throw tooFewToTrain(file, all.count - valCount, { total: all.count, held: valCount, fraction, naming });
  const order = permutation(all.count, mulberry32(seedBits(options.seed ?? 0)));
  const origin = { train: Int32Array.from(order.subarray(valCount)).sort(), validation: Int32Array.from(order.subarray(0, valCount)).sort() };
  const valIdx = tf.tensor1d(origin.validation, 'int32');
  const trainIdx = tf.tensor1d(origin.train, 'int32');
  const train: Split = { xs: tf.gather(all.xs, trainIdx), ys: tf.gather(all.ys, trainIdx), count: all.count - valCount };
  const validation: Split = { xs: tf.gather(all.xs, valIdx), ys: tf.gather(all.ys, valIdx), count: valCount };
  tf.dispose([valIdx, trainIdx]);
  owned.drop(all.xs);
  owned.drop(all.ys);
  return { train, validation, validationFromFile: false, origin, inputShape: shapes.input, outputShape: shapes.output, warnings, trainBatchSize };
}

