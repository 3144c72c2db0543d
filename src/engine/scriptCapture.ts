/**
 * What a training script's first `fit`/`fitDataset` call holds, as plain data that crosses the
 * worker boundary (scriptWorker.ts captures it, scriptRun.ts receives it, capturedModel.ts turns
 * it back into a model and data on the engine's tf). Tensors travel as typed arrays (transferred,
 * not copied); the model as its Keras-format topology, its initial weights, the compiled loss and
 * optimizer; the call as the options that decide what "the same training" means here.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { LrLabError } from '../protocol/errors';
import type { LrLabErrorData } from '../protocol/errors';
import type { Tf } from './tfjs';
import { oneInputFix, soleTensor } from './data';
import type { TrainableState } from './trainableState';

export interface TensorData {
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/** One element of a dataset passed to `fitDataset`: `{ xs, ys }` (batched or not). */
export interface ElementData {
  readonly xs: TensorData;
  readonly ys: TensorData;
}

/** Training or validation data: tensors from `fit`, or the elements one pass over a dataset gave. */
export type CapturedData = { readonly kind: 'tensors'; readonly xs: TensorData; readonly ys: TensorData } | { readonly kind: 'elements'; readonly elements: readonly ElementData[] };

/** The options of the captured call that LR Lab honours. */
export interface FitSettings {
  readonly method: 'fit' | 'fitDataset';
  /** `fit`'s batchSize (tfjs' default 32 when absent); for `fitDataset` the dataset's batch size, when it is batched. */
  readonly batchSize: number | null;
  readonly epochs: number;
  /** `fit`'s validationSplit: tfjs holds out the *last* fraction of the samples, unshuffled. */
  readonly validationSplit: number | null;
  readonly batchesPerEpoch: number | null;
  /** Where the call is: the user's file and line, when the stack shows it. */
  readonly at: { readonly file: string; readonly line: number } | null;
  /** The model files the script loaded on its way to the call (`tf.loadLayersModel('file://…')`: fileSystemIO's `modelFilesLoaded`). */
  readonly modelFilesLoaded?: readonly string[];
  /** Options of the call that change training and that LR Lab's runs do not reproduce (classWeight, …). */
  readonly notApplied?: readonly string[];
  /**
   * The line at `at`, trimmed, as the script's file held it both before and after the script ran to
   * its call (absent where the file changed meanwhile or cannot be read): the source that ran, which
   * the editor finds the call by after edits (`FindLrResult['fitCall']['text']`). Set by `loadScript`.
   */
  readonly lineText?: string;
}

export interface ScriptCapture {
  /** The script's lines on the taken call's stack: its own line and those of the calls it was made through (a wrapper's `new Net().fit(…)`). */
  readonly fitThrough?: readonly number[];
  /** `model.toJSON(null, false)`: what `tf.models.modelFromJSON` rebuilds. */
  readonly topology: unknown;
  /** The script's initial weights at the call, in `modelWeights` order (trainableState.ts: what `setModelWeights` takes back). */
  readonly weights: readonly TensorData[];
  /** Which layers and weights train (a frozen nested model's flag is not in the topology; `getWeights()`'s order follows it). */
  readonly trainable: TrainableState;
  /** The compiled loss: a tfjs loss name, or the name of a custom function (which cannot cross). */
  readonly loss: { readonly name: string; readonly custom: boolean } | null;
  readonly optimizer: { readonly className: string; readonly config: unknown } | null;
  /** The compiled metrics, in order: a name tfjs takes, or the name of a function (which cannot cross; `tf.metrics.*` are found again by name). */
  readonly metrics: readonly { readonly name: string; readonly custom: boolean }[];
  readonly train: CapturedData;
  readonly validation: CapturedData | null;
  readonly fit: FitSettings;
  /** The backends the script asked `tf.setBackend` for before the call (not applied: LR Lab's backend runs). */
  readonly backendsAsked?: readonly string[];
}

export type WorkerMessage =
  | { readonly type: 'captured'; readonly capture: ScriptCapture }
  /** What the script wrote to its stdout or stderr, in order with the capture (the engine writes it to stderr). */
  | { readonly type: 'output'; readonly text: string }
  /** A call before the `--fit-line` one: it ran, as in the script. */
  | { readonly type: 'fit-run'; readonly method: 'fit' | 'fitDataset'; readonly at: FitSettings['at'] }
  /** The script's first optimizer.minimize call: a training loop of its own, which LR Lab cannot drive. */
  | { readonly type: 'custom-loop'; readonly at: FitSettings['at']; readonly via?: 'trainOnBatch' | 'minimize' }
  | { readonly type: 'error'; readonly error: LrLabErrorData }
  /** The script called `process.exit` before its fit call (with this code; where, where a frame of the script names it). */
  | { readonly type: 'exit-called'; readonly code: number; readonly at: FitSettings['at'] }
  /** How far reading the fit call's dataset into memory has got (every `DATASET_PROGRESS_MS`): samples so far, seconds since it began. */
  | { readonly type: 'reading'; readonly what: string; readonly samples: number; readonly seconds: number }
  /** The script's top-level code finished (an async one: its top-level awaits settled); absent where the worker ends without it, waiting on an await nothing settles. */
  | { readonly type: 'ended' }
  /**
   * The script's `process.chdir(dir)` (a worker thread cannot change folder): the engine's main
   * thread changes the process's, then stores 1 in `done[0]` (2: it failed) and wakes the worker.
   */
  | { readonly type: 'chdir'; readonly dir: string; readonly done: SharedArrayBuffer };

/** A copy of a tensor's values (dataSync may return the backend's own buffer). */
export function tensorData(tensor: tfjs.Tensor, what: string, file: string): TensorData {
  if (tensor.dtype === 'string' || tensor.dtype === 'complex64') {
    throw new LrLabError('data', `${what} is a ${tensor.dtype} tensor; training needs numbers.`, { file, fix: 'Encode text and categories as numbers before model.fit.' });
  }
  const values = tensor.dataSync();
  const copy = values instanceof Float32Array ? values.slice() : values instanceof Int32Array ? values.slice() : Uint8Array.from(values as ArrayLike<number>);
  return { shape: [...tensor.shape], dtype: tensor.dtype, values: copy };
}

export function dataToTensor(tf: Tf, data: TensorData): tfjs.Tensor {
  return tf.tensor(data.values, data.shape, data.dtype);
}

/** The buffers of every tensor in a capture, for postMessage's transfer list. */
export function transferList(capture: ScriptCapture): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  const add = (t: TensorData): void => {
    if (t.values.buffer instanceof ArrayBuffer && !buffers.includes(t.values.buffer)) buffers.push(t.values.buffer);
  };
  const addData = (d: CapturedData | null): void => {
    if (d === null) return;
    if (d.kind === 'tensors') {
      add(d.xs);
      add(d.ys);
    } else {
      for (const e of d.elements) {
        add(e.xs);
        add(e.ys);
      }
    }
  };
  capture.weights.forEach(add);
  addData(capture.train);
  addData(capture.validation);
  return buffers;
}

/** `fit`'s x or y: one tensor (a one-element array or object of tensors is that tensor). */
export function singleTensor(tf: Tf, value: unknown, what: string, file: string): tfjs.Tensor {
  const sole = soleTensor(tf, value);
  if (sole !== null) return sole;
  const list = Array.isArray(value) ? (value as unknown[]) : typeof value === 'object' && value !== null ? Object.values(value) : [];
  // Numbers or arrays of numbers, not tensors (tfjs's fit takes only tensors): not several inputs, data to wrap.
  // Only for fit's own x and y (a dataset element's xs is another matter): an array, not named inputs.
  if (Array.isArray(value) && /^(validation )?[xy]$/.test(what) && list.length > 0 && list.every((item) => typeof item === 'number' || Array.isArray(item))) {
    throw new LrLabError('data', `model.fit's ${what} is a JavaScript array (of ${list.length} ${typeof list[0] === 'number' ? 'numbers' : 'arrays'}), not a tensor: tfjs's fit takes tensors.`, { file, fix: 'Wrap it in a tensor, e.g. tf.tensor2d(rows) for rows of numbers (tf.tensor(values) for any shape).' });
  }
  if (list.length > 1) {
    throw new LrLabError('shape', `model.fit was given ${list.length} ${what} tensors; LR Lab tunes models with one input and one output.`, {
      file,
      // x (or xs) several: inputs; y (ys): outputs.
      fix: oneInputFix(!/ys?$/.test(what), /ys?$/.test(what)),
    });
  }
  throw new LrLabError('data', `model.fit's ${what} is not a tensor.`, { file, fix: 'Pass tensors to model.fit, as tfjs requires.' });
}
