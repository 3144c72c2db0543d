/**
 * `findLr(model, data, options)`: the LR range test of `lrlab find-lr` on a model the application
 * already has, in its own process, on its own tf and backend.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { FindLrRequest } from '../protocol/requests';
import type { OptionName, OptionValue, OptionsOf, RequestSources } from '../protocol/options';
import { OPTIONS, optionsOf } from '../protocol/options';
import type { BackendName, FindLrResult } from '../protocol/results';
import { capturedModel, heldOutWarning } from '../engine/capturedModel';
import { soleTensor } from '../engine/data';
import { findLr as rangeTest } from '../engine/experiments/findLr';
import { Reporter, silentSink } from '../engine/reporter';
import type { ReporterSink } from '../engine/reporter';
import type { StreamPoint } from '../protocol/progress';
import { appTf } from './appTf';
import type { Tf } from '../engine/tfjs';
import { LrLabError } from '../protocol/errors';
import { formatCount, formatLr } from '../protocol/format';
import type { ValueKind } from './libraryOptions';
import { checkLibraryOptions, kindOfOption, libraryError } from './libraryOptions';

/** `lrlab find-lr` options that make no sense for a model already in memory (the backend is the app's). */
const NOT_FOR_LIBRARY = ['data', 'label', 'workspace', 'backend', 'fitTimeout', 'fitLine', 'dropout', 'plot', 'json', 'force'] as const;
type NotForLibrary = (typeof NOT_FOR_LIBRARY)[number];

/** What `findLr`'s options take, by name: find-lr's options here, and `validationData`. */
const OPTION_KINDS: Readonly<Record<string, ValueKind>> = {
  ...Object.fromEntries(optionsOf('find-lr').filter((name) => !(NOT_FOR_LIBRARY as readonly string[]).includes(name)).map((name) => [name, kindOfOption(name)])),
  validationData: 'any',
  abortSignal: 'any',
  onProgress: 'any',
  onPoints: 'any',
};

/** What `onProgress` gets, as the CLI's progress line shows it. */
export interface FindLrProgress {
  /**
   * The phase: 'range-test' (the range tests), 'short-run' (the short 1cycle runs), …, and last
   * 'done' (fraction 1) when the call ran to its end, or 'cancelled' (the fraction reached) when its
   * abortSignal cut it short.
   */
  readonly phase: string;
  /** A line for a status bar, as the CLI's progress line shows it ("Short 1cycle run 1 of 3 at max LR 0.752, seed 1 (1 of 2)"). */
  readonly message: string;
  /** How far the whole call is, 0..1; null where that is not known. */
  readonly fraction: number | null;
}

/**
 * The options of `lrlab find-lr` (src/protocol/options.ts), named as its flags in camelCase
 * (`--start-lr` → `startLr`), plus `validationData`.
 */
export type FindLrOptions = { readonly [K in Exclude<OptionsOf<'find-lr'>, NotForLibrary>]?: OptionValue<K> } & {
  /** Validation data, as `fit` takes it: `[xs, ys]` (or `{ xs, ys }`, or a dataset); else `validationSplit` of the data is held out (seeded). */
  readonly validationData?: readonly [FindLrTensors, FindLrTensors] | { readonly xs: unknown; readonly ys: unknown } | tfjs.data.Dataset<tfjs.TensorContainer>;
  /**
   * Cancels the test (an `AbortController`'s signal): during a range test it stops within a step and
   * resolves with what was measured (`stopReason: 'cancelled'`, a warning saying so); aborted before
   * any was measured, it rejects with an `LrLabError` whose `code` is 'cancelled'. The model is left
   * as it was either way. (`signal` is the loss the test reads, 'train' or 'val'.)
   */
  readonly abortSignal?: AbortSignal;
  /** Called as the test runs (up to ten times a second within a phase, and at each phase's start), for a progress bar. */
  readonly onProgress?: (progress: FindLrProgress) => void;
  /**
   * Called with each new stretch of the curve, as the editor's panel draws it live: the points since
   * the last call (`loss` raw, `smoothed` the lag-free fit once there is one). `restart` true: the
   * curve starts again with these points (the next range test, or one run again longer).
   */
  readonly onPoints?: (points: readonly StreamPoint[], restart: boolean) => void;
};

/** Training data as `fit`/`fitDataset` take it: `{ xs, ys }` or `[xs, ys]` tensors (or nested arrays), or a `tf.data.Dataset` of `{ xs, ys }` (batched: the test runs at its batch size unless `batchSize` is given). */
/** One side of the data as `fit` takes it for one input or output: a tensor, nested arrays of numbers, a typed array, an array of one tensor, or an object keyed by the model's input/output name. */
export type FindLrTensors = tfjs.Tensor | tfjs.TensorLike | readonly tfjs.Tensor[] | { readonly [name: string]: tfjs.Tensor | tfjs.TensorLike };
export type FindLrData = { readonly xs: unknown; readonly ys: unknown } | readonly [FindLrTensors, FindLrTensors] | tfjs.data.Dataset<tfjs.TensorContainer>;

/**
 * The LR range test (Smith; `lrlab find-lr`) on `model` and `data`; resolves to the same
 * `FindLrResult` as `lrlab find-lr --json`: the curve, the suggestions with their reasons and
 * the LR range for 1cycle.
 *
 * The model is left exactly as it was: the test trains a copy (same architecture, the model's
 * current weights copied by value) with LR Lab's own optimizer, so the model's weights stay
 * bit-identical and its optimizer is not touched at all — `model.optimizer` is the same object,
 * with the same learning rate, momentum, iteration count and slot variables (Adam's moments,
 * momentum accumulators) as before. Runs on the application's current tf backend and never
 * calls `setBackend`. With `seed`, `Math.random` is seeded for the test and restored after (after the last of overlapping calls).
 */
export async function findLr(model: tfjs.LayersModel, data: FindLrData, options: FindLrOptions = {}): Promise<FindLrResult> {
  try {
    return await rangeTestOn(model, data, options);
  } catch (error) {
    const name = (model as { name?: unknown } | null | undefined)?.name;
    throw libraryError('findLr', missingKernel(error) ?? abortedWithReason(error, options) ?? error, Object.keys(OPTION_KINDS), typeof name === 'string' ? name : null);
  }
}

/**
 * A cancel with the reason the app's `abort(reason)` gave as the error's `cause` (it read only "The run was
 * cancelled.", the app's own reason lost). `null` where there is none to add.
 */
function abortedWithReason(error: unknown, options: FindLrOptions | null | undefined): LrLabError | null {
  const signal: unknown = options?.abortSignal;
  if (!(error instanceof LrLabError) || error.code !== 'cancelled' || !(signal instanceof AbortSignal) || !signal.aborted || error.cause !== undefined) return null;
  const reason: unknown = signal.reason;
  // Without a reason of its own, abort() gives a DOMException "This operation was aborted": nothing the app said.
  if (reason instanceof DOMException && reason.name === 'AbortError') return null;
  return new LrLabError('cancelled', error.message, { ...(error.fix === null ? {} : { fix: error.fix }), cause: reason });
}

/**
 * tfjs's "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" in the library's words: the
 * app's own backend lacks a gradient its model needs (stock tfjs-backend-wasm 4.x has no convolution
 * gradients; the lrlab CLI's engine registers its own). A user's conv net got the raw tfjs error.
 */
function missingKernel(error: unknown): LrLabError | null {
  const found = error instanceof Error ? /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(error.message) : null;
  if (found === null) return null;
  const [, kernel, backend] = found;
  return new LrLabError('backend', `findLr(): the app's tf backend '${backend}' has no '${kernel}' kernel, which training this model needs (tfjs implements it on other backends).`, {
    fix: `Run findLr on a backend that has it — tf.setBackend('cpu') (slow), or @tensorflow/tfjs-node (native) — or run the lrlab CLI on a model file, whose engine adds ${backend === 'wasm' ? 'the convolution gradients to WebAssembly' : 'its own kernels'}.`,
    cause: error,
  });
}

/**
 * Layers whose gradient tfjs 4.x computes wrongly on a backend (the lrlab CLI's engine registers its own
 * kernels for them, `src/engine/wasmKernels`; the library runs on the app's backend as it is). On wasm,
 * MaxPoolGrad sends a window's gradient to its first position when the window's maximum is ≤ 0: a user's
 * dense → maxPooling1d → dense model trained so with nothing said, and a check on values of both signs
 * lost 25 of 54 windows' gradients. On cpu, the nearest-neighbour resize gradient behind upSampling2d
 * missed the adjoint of its forward by 150% in a check.
 */
const WRONG_GRADIENTS: Readonly<Record<string, { readonly layers: readonly string[]; readonly kernel: string }>> = {
  wasm: { layers: ['MaxPooling1D', 'MaxPooling2D'], kernel: "tfjs-backend-wasm's max-pooling gradient (MaxPoolGrad) sends a window's gradient to its first position, not its maximum, where the window's values are all ≤ 0" },
  cpu: { layers: ['UpSampling2D'], kernel: "tfjs's cpu nearest-neighbour resize gradient (ResizeNearestNeighborGrad), behind upSampling2d, puts gradients on the wrong pixels" },
};

/** The warning for the layers of `model` (nested models included) whose gradient `backend` gets wrong. */
function wrongGradientWarnings(model: tfjs.LayersModel, backend: string): string[] {
  const wrong = WRONG_GRADIENTS[backend];
  if (wrong === undefined) return [];
  const found = new Set<string>();
  const visit = (layers: readonly tfjs.layers.Layer[]): void => {
    for (const layer of layers) {
      const nested = (layer as { layers?: unknown }).layers;
      if (Array.isArray(nested)) visit(nested as tfjs.layers.Layer[]);
      else if (wrong.layers.includes(layer.getClassName())) found.add(layer.name);
    }
  };
  visit(model.layers);
  if (found.size === 0) return [];
  const names = [...found].map((n) => `'${n}'`).join(', ');
  return [
    `The app's tf backend '${backend}' trains ${names} with a wrong gradient: ${wrong.kernel}. This range test and the short runs train with it, as your own model.fit on this backend does. For trustworthy numbers, run findLr and your training on @tensorflow/tfjs-node${backend === 'wasm' ? " or tf.setBackend('cpu')" : ''}, or run the lrlab CLI on a model file: its engine replaces that gradient with a correct one.`,
  ];
}

/** "shape [64, 4]": a tensor as the messages name it. */
function tensorShape(t: unknown): string {
  return `shape [${(t as tfjs.Tensor).shape.join(', ')}]`;
}

/** `[xs, ys]` (as `fit` takes them) or `{ xs, ys }` or a dataset; anything else refused, saying what findLr takes. */
function dataArgument(tf: Tf, value: unknown, what: 'data' | 'validationData'): unknown {
  const isDataset = value instanceof tf.data.Dataset;
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new LrLabError('data', `findLr(): ${what} is an array of ${value.length}, not [xs, ys].`, { fix: `Pass ${what} as [xs, ys], { xs, ys } or a tf.data.Dataset of { xs, ys }.` });
    return { xs: value[0] as unknown, ys: value[1] as unknown };
  }
  if (isDataset) return value;
  if (typeof value === 'object' && value !== null && 'xs' in value && 'ys' in value) return value;
  const hint = what === 'validationData' && typeof value === 'number' ? ' To hold out a share of the data, use validationSplit (e.g. validationSplit: 0.2).' : '';
  const got = value === undefined ? 'nothing' : value === null ? 'null' : value instanceof tf.Tensor ? `one tensor (${tensorShape(value)}), without its labels` : typeof value === 'object' ? `an object with keys ${Object.keys(value).join(', ') || 'none'}` : `a ${typeof value}`;
  throw new LrLabError('data', `findLr(): ${what} must be { xs, ys }, [xs, ys] or a tf.data.Dataset of { xs, ys }, got ${got}.${hint}`);
}

/**
 * xs and ys as `fit` also takes them for a one-input, one-output model: an array of one tensor
 * (`fit([xs], [ys])`) or an object keyed by the model's input/output name (`fit({ feats: xs }, …)`),
 * the tensor itself. A user's `findLr(model, { xs: [xs], ys: [ys] })` read "train.xs has shape
 * [batch, 300, 4]" (the array taken as nested data); the CLI's script mode took both.
 */
function asFitTakesThem(tf: Tf, model: tfjs.LayersModel, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof tf.data.Dataset || !('xs' in value) || !('ys' in value)) return value;
  const pair = value;
  return { ...pair, xs: soleTensor(tf, pair.xs, model.inputNames) ?? pair.xs, ys: soleTensor(tf, pair.ys, model.outputNames) ?? pair.ys };
}

async function rangeTestOn(model: tfjs.LayersModel, data: FindLrData, options: FindLrOptions): Promise<FindLrResult> {
  // An AbortSignal as `signal` (the web's name for it) is the loss signal here: say where it goes.
  const given = options as { signal?: unknown; abortSignal?: unknown } | null | undefined;
  if (typeof given === 'object' && given !== null && given.signal instanceof AbortSignal) {
    throw new LrLabError('bad-option', "findLr(): signal is the loss the test reads, 'train' or 'val', got an AbortSignal.", { option: 'signal', fix: 'To cancel the test, pass the AbortSignal as abortSignal: findLr(model, data, { abortSignal: controller.signal }).' });
  }
  const tf = appTf();
  if (!(model instanceof tf.LayersModel)) {
    throw new LrLabError('model-build', 'findLr(): the first argument must be a tf.LayersModel (from tf.sequential() or tf.model()) of the @tensorflow/tfjs the app imports.', { fix: 'Pass the model, then the data: findLr(model, { xs, ys }, options).' });
  }
  // A disposed model read "LayersVariable dense_Dense2/kernel is already disposed." (a disposed tensor in the data has its own message).
  const gone = model.weights.find((w) => (w as unknown as { val?: { isDisposed?: unknown } }).val?.isDisposed === true);
  if (gone !== undefined) {
    throw new LrLabError('model-build', `findLr(): the model is disposed (its weight ${gone.name} is): model.dispose(), or a tf.dispose/tf.tidy that took its weights, ran before findLr.`, { fix: 'Pass a model still in use (dispose it after findLr), or build a fresh one.' });
  }
  // Tensors where findLr takes its data and its options: fit's (xs, ys, options) order, or xs alone
  // (they read "unknown option \"kept\"" and "got an object with keys kept, isDisposedInternal, …").
  const givenData: unknown = data;
  const givenOptions: unknown = options;
  const fix = 'Pass the inputs and the labels as one argument: findLr(model, [xs, ys], options) or findLr(model, { xs, ys }, options).';
  if (givenData instanceof tf.Tensor) {
    const order = givenOptions instanceof tf.Tensor ? ', and the options another: that is fit\'s (xs, ys) order' : '';
    throw new LrLabError('data', `findLr(): data is one tensor (${tensorShape(givenData)})${order}; findLr takes the inputs and the labels together, as its second argument.`, { fix });
  }
  if (givenOptions instanceof tf.Tensor) {
    throw new LrLabError('bad-option', `findLr(): the options are a tensor (${tensorShape(givenOptions)}); findLr takes (model, data, options), its options an object like { steps: 100, seed: 1 }, and the labels go with the inputs in data.`, { option: 'options', fix: 'Give the options as an object, e.g. findLr(model, [xs, ys], { steps: 100 }), or leave them out.' });
  }
  checkLibraryOptions('findLr', options, OPTION_KINDS, '{ steps: 100, seed: 1 }');
  if (options.abortSignal !== undefined && !(options.abortSignal instanceof AbortSignal)) {
    throw new LrLabError('bad-option', `findLr(): abortSignal must be an AbortSignal (an AbortController's signal), got ${typeof options.abortSignal === 'object' ? 'another object' : `a ${typeof options.abortSignal}`}.`, { option: 'abortSignal', fix: 'Pass new AbortController().signal, and call abort() on the controller to cancel.' });
  }
  // Undefined until compile, whatever tfjs's type says.
  if ((model as { optimizer?: unknown }).optimizer === undefined || (model as { loss?: unknown }).loss === undefined) {
    throw new LrLabError('model-build', 'findLr(): the model is not compiled: findLr reads its loss and optimizer from model.compile.', { fix: "Call model.compile({ optimizer, loss }) first, as for model.fit." });
  }
  for (const name of ['onProgress', 'onPoints'] as const) {
    const callback: unknown = options[name];
    if (callback !== undefined && typeof callback !== 'function') {
      throw new LrLabError('bad-option', `findLr(): ${name} must be a function, got ${callback === null ? 'null' : typeof callback}.`, { option: name, fix: `Pass a function, e.g. ${name === 'onProgress' ? '({ message }) => console.log(message)' : '(points) => plot(points)'}, or leave ${name} out.` });
    }
  }
  const { validationData, abortSignal, onProgress, onPoints, ...flags } = options;
  const train = asFitTakesThem(tf, model, dataArgument(tf, data, 'data'));
  const validation: unknown = validationData === undefined ? undefined : asFitTakesThem(tf, model, dataArgument(tf, validationData, 'validationData'));
  const name = model.name;
  holdRandom();
  const validationFraction = options.validationSplit ?? OPTIONS.validationSplit.default;
  let loaded: Awaited<ReturnType<typeof capturedModel>>;
  try {
    loaded = await capturedModel({
      tf,
      file: name,
      backend: { name: tf.getBackend() as BackendName, requested: 'auto', source: 'workspace', tfjsVersion: tf.version.tfjs, threads: 1, note: null },
      model,
      data: validation === undefined ? { train } : { train, validation },
      validationFraction,
      seed: options.seed ?? null,
      // No validationData and no validationSplit: the share held out is said, as the CLI says it of a script's fit call.
      warnings: [...(validation === undefined && options.validationSplit === undefined ? [heldOutWarning(validationFraction, 'option')] : []), ...wrongGradientWarnings(model, tf.getBackend())],
      naming: 'option',
      signal: abortSignal,
    });
  } catch (error) {
    // A model or data refused while loading (it may have seeded already): the app's generator still comes back.
    releaseRandom();
    throw error;
  }
  try {
    // A batched dataset's batch size is the one the app trains at (fitDataset): the test runs at it
    // unless batchSize is given (the CLI's model files say instead that --batch-size re-batches).
    const batched = flags.batchSize === undefined && loaded.datasetBatchSize !== null ? { batchSize: Math.min(loaded.datasetBatchSize, loaded.data.train.count) } : {};
    // Where each value came from, as the result's `settings.sources` says: the call's options, the dataset's batches.
    const sources: RequestSources = {
      ...Object.fromEntries(Object.entries(flags).flatMap(([key, value]) => (value === undefined ? [] : [[key as OptionName, 'option' as const]]))),
      ...(batched.batchSize === undefined ? {} : { batchSize: 'dataset' as const }),
    };
    const request: FindLrRequest = { kind: 'find-lr', model: name, ...flags, ...batched, sources };
    // A callback that returns a promise which rejects (an async callback that throws) ends the call with
    // that error, as a synchronous throw does: a user's `onPoints: async () => { throw … }` went past
    // their try/catch as an unhandled rejection and ended their process.
    const stop = new AbortController();
    const forward = (): void => stop.abort(abortSignal?.reason);
    if (abortSignal?.aborted === true) forward();
    else abortSignal?.addEventListener('abort', forward, { once: true });
    let rejected: { error: unknown } | null = null;
    const settled = (returned: unknown): void => {
      if (typeof (returned as PromiseLike<unknown> | null)?.then !== 'function') return;
      (returned as PromiseLike<unknown>).then(undefined, (error: unknown) => {
        rejected ??= { error };
        stop.abort(error);
      });
    };
    // Advice in the result names the call's options (`raise endLr`), not the CLI's flags.
    /** How far the call got, for a cancelled call's last word (a bar at 100% read as finished). */
    let reached: number | null = null;
    const sink: ReporterSink = {
      ...silentSink,
      progress: ({ phase, message, fraction }) => {
        if (fraction !== null) reached = fraction;
        settled(onProgress?.({ phase, message, fraction }));
      },
      append: ({ points, restart }) => settled(onPoints?.(points, restart === true)),
    };
    // Progress up to ten times a second within a phase (every point still reaches onPoints, in batches).
    const reporter = new Reporter(name, sink, onProgress === undefined && onPoints === undefined ? 0 : 100);
    try {
      const result = await rangeTest(request, { reporter, signal: stop.signal, naming: 'option' }, loaded).catch((error: unknown) => {
        throw rejected === null ? error : rejected.error;
      });
      // A rejection that came in as the run ended: still the call's error.
      await new Promise((resolve) => setImmediate(resolve));
      if (rejected !== null) throw (rejected as { error: unknown }).error;
      // The bar ends full: the last progress of a throttled stream was a short run's (0.944 in a user's call).
      // A cancelled call says so (it read "Done: no recommended LR", as a test that found none).
      const cancelled = stop.signal.aborted || result.stopReason === 'cancelled';
      const ended = cancelled ? `Cancelled after ${formatCount(result.points.length, 'point')}${result.recommended === null ? '' : `: recommended max LR so far ${formatLr(result.recommended.maxLr)}`}` : result.recommended === null ? 'Done: no recommended LR' : `Done: recommended max LR ${formatLr(result.recommended.maxLr)}`;
      settled(onProgress?.(cancelled ? { phase: 'cancelled', message: ended, fraction: reached } : { phase: 'done', message: ended, fraction: 1 }));
      // Both given: validationData is used, as tfjs's fit does (a user's call with both ran with no word of which).
      if (validationData !== undefined && options.validationSplit !== undefined) {
        return { ...result, warnings: [`validationSplit (${options.validationSplit}) is not used: validationData was given, and it is the validation set (as in tfjs's fit, where validationData overrides validationSplit). Leave one of them out.`, ...result.warnings] };
      }
      return result;
    } finally {
      abortSignal?.removeEventListener('abort', forward);
      // The points still batched go out, also when the test failed (a callback that throws ends it with its error).
      try {
        reporter.flush();
      } catch {
        // the call already ends with the first error
      }
    }
  } finally {
    loaded.release();
    releaseRandom();
  }
}

/**
 * The app's own `Math.random`, kept while any findLr call runs (each seeds the process's generator):
 * put back when the last of them ends. Each call kept what was current at its start and put that back,
 * so of two overlapping seeded calls the later one, ending last, put back the first one's seeded
 * generator, and the app drew the same "random" numbers in every process from then on.
 */
let appRandom: (() => number) | null = null;
let runningCalls = 0;

function holdRandom(): void {
  if (runningCalls === 0) appRandom = Math.random;
  runningCalls++;
}

function releaseRandom(): void {
  runningCalls--;
  if (runningCalls > 0 || appRandom === null) return;
  Math.random = appRandom;
  appRandom = null;
}
