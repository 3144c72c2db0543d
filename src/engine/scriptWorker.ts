/**
 * Runs a training script in a worker thread until its first `fit`/`fitDataset` call, captures
 * what that call holds (scriptCapture.ts), and never lets the script go on.
 *
 * How the script is stopped: `LayersModel.prototype.fit`/`fitDataset` (and Sequential's) are
 * replaced on the worker's own tf. The `fit` replacement copies model, weights and data
 * synchronously, posts them, and then blocks the thread in `Atomics.wait` — it never returns
 * and never throws — until scriptRun.ts terminates the worker (V8's TerminateExecution: no
 * `catch`, `finally`, `exit` handler or timer runs). So nothing after the call can run in any
 * style: awaited, `.then`, not awaited, inside try/catch.
 *
 * `fitDataset` must read the dataset, which is asynchronous: its replacement returns a promise
 * that never settles (awaited code, `.then`, `catch` and `finally` after it never run) and reads
 * the dataset before blocking. Code that does not wait for the call (the rest of a function that
 * did not await it, timers set earlier) may run meanwhile, so from the first call on the worker
 * is sealed: the `fs`, `fs/promises`, `child_process` and `worker_threads` the script requires
 * refuse to write, spawn or start threads (also through references it took before the call), the
 * real modules' write functions do the same, and `process.exit` is refused.
 *
 * The worker's tf is LR Lab's bundled tfjs (wasm, single thread; cpu when the engine runs cpu);
 * the script's `@tensorflow/*` imports get the same namespace view as model files.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import Module, { createRequire } from 'node:module';
import { LrLabError } from '../protocol/errors';
import { firstLine, toLrLabError } from './errorMapping';
import type { Bundle } from './bundler';
import { evaluateBundle } from './bundler';
import { frameLinesIn, locateUserFrame } from './userFrames';
import { backendsAsked, userFacingTf } from './userTf';
import { DATASET_PROGRESS_MS, MAX_DATASET_SAMPLES, ZIP_OBJECT_FIX, batchFailureText, failedInBatch, notPairError } from './data';
import { compiledMetrics } from './metrics';
import { seedProcess } from './seed';
import type { Tf } from './tfjs';
import { loadTf } from './tfjs';
import { modelFilesLoaded } from './fileSystemIO';
import type { CapturedData, ElementData, FitSettings, ScriptCapture, WorkerMessage } from './scriptCapture';
import { singleTensor, tensorData, transferList } from './scriptCapture';
import { modelWeights, trainableState } from './trainableState';

export interface ScriptWorkerData {
  readonly lrlab: 'script-capture';
  readonly file: string;
  readonly bundle: Bundle;
  readonly seed: number | null;
  readonly backend: 'wasm' | 'cpu';
  /** The script's own arguments (`lrlab find-lr script.js -- …`). */
  readonly args?: readonly string[];
  /** `--fit-line`: the line (in `file`) of the call to capture, or of a call on the way to it; the calls before it run. Absent: the first call. */
  readonly fitLine?: number | null;
}

export function isScriptWorkerData(value: unknown): value is ScriptWorkerData {
  return typeof value === 'object' && value !== null && (value as { lrlab?: unknown }).lrlab === 'script-capture';
}

/** Blocks this thread for good; scriptRun.ts terminates the worker. */
function blockForever(): never {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

// ---------------------------------------------------------------------------------------------
// The seal

let sealed = false;

const READS = /^(read|stat|lstat|fstat|exists|access|realpath|opendir|readdir|readlink|watch|unwatchFile|createReadStream|close|constants|Stats|Dirent|Dir$|promises$)/;
const READ_FLAGS = new Set([undefined, 'r', 'rs', 'sr', 0]);

/** What the seal refuses the script's code from the fit call on: a write, a spawn, a server. */
class SealError extends Error {
  readonly call: string;
  constructor(call: string) {
    super(`LR Lab stopped this script at model.fit; ${call} is not allowed after that point.`);
    this.call = call;
  }
}

function refused(name: string): Error {
  return new SealError(name);
}

/** Whether a call of `module.name(...args)` writes, spawns or starts something. */
function writes(moduleId: string, name: string, args: readonly unknown[]): boolean {
  if (moduleId === 'fs' || moduleId === 'fs/promises') {
    if (name === 'open' || name === 'openSync') return !READ_FLAGS.has(args[1] as string | number | undefined);
    return !READS.test(name);
  }
  return true; // child_process, worker_threads: everything they offer starts something
}

/** A view of a built-in module whose functions check the seal at call time. */
function guarded(moduleId: string, real: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(real)) {
    const value = real[key];
    if (typeof value === 'function') {
      const fn = function (this: unknown, ...args: unknown[]): unknown {
        if (sealed && writes(moduleId, key, args)) throw refused(`${moduleId}.${key}`);
        const current = real[key] as (...a: unknown[]) => unknown;
        return new.target === undefined ? current.apply(this, args) : Reflect.construct(current, args);
      };
      view[key] = Object.assign(fn, value);
    } else if (key === 'promises' && typeof value === 'object' && value !== null) {
      view[key] = guarded('fs/promises', value as Record<string, unknown>);
    } else {
      Object.defineProperty(view, key, { enumerable: true, get: () => real[key] });
    }
  }
  return view;
}

const SEALED_MODULES = ['fs', 'fs/promises', 'child_process', 'worker_threads'] as const;

function seal(require: NodeJS.Require): void {
  sealed = true;
  // The real modules too, for packages that call them by property.
  for (const id of SEALED_MODULES) {
    const real = require(`node:${id}`) as Record<string, unknown>;
    for (const key of Object.keys(real)) {
      const value = real[key];
      if (typeof value !== 'function' || !writes(id, key, [])) continue;
      try {
        real[key] = Object.assign(() => {
          throw refused(`${id}.${key}`);
        }, value);
      } catch {
        // a read-only property stays as it is
      }
    }
  }
  process.exit = (): never => {
    throw refused('process.exit');
  };
}

// ---------------------------------------------------------------------------------------------
// Capturing the call

function isLayersModel(tf: Tf, value: unknown): value is tfjs.LayersModel {
  return value instanceof tf.LayersModel;
}

function describeThis(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return (value as { constructor?: { name?: string } }).constructor?.name ?? typeof value;
}

/** The compile call's metrics (tfjs keeps them on the model, undeclared): names, and functions by their names. */
function compiledMetricNames(model: tfjs.LayersModel): ScriptCapture['metrics'] {
  return compiledMetrics(model).flatMap((item): { name: string; custom: boolean }[] =>
    typeof item === 'string' ? [{ name: item, custom: false }] : typeof item === 'function' ? [{ name: (item as { name?: string }).name ?? '', custom: true }] : [],
  );
}

function compiledParts(model: tfjs.LayersModel, file: string): Pick<ScriptCapture, 'loss' | 'optimizer' | 'metrics'> {
  // Declared always set, but undefined until compile: read through a view that says so.
  const m: { loss?: unknown; optimizer?: { getClassName?: () => string; getConfig?: () => unknown } } = model;
  if (m.optimizer === undefined || m.loss === undefined) {
    throw new LrLabError('model-build', 'model.fit was called on a model that was not compiled.', { file, fix: 'Call model.compile({ optimizer, loss }) before model.fit, as tfjs requires.' });
  }
  const raw: unknown = Array.isArray(m.loss) ? (m.loss[0] as unknown) : typeof m.loss === 'object' && m.loss !== null ? (Object.values(m.loss)[0] as unknown) : m.loss;
  const loss = typeof raw === 'string' ? { name: raw, custom: false } : typeof raw === 'function' ? { name: (raw as { name?: string }).name ?? '', custom: true } : null;
  const opt = m.optimizer;
  const optimizer = typeof opt.getClassName === 'function' && typeof opt.getConfig === 'function' ? { className: opt.getClassName(), config: opt.getConfig() } : null;
  return { loss, optimizer, metrics: compiledMetricNames(model) };
}

interface FitArgs {
  batchSize?: number;
  epochs?: number;
  validationSplit?: number;
  validationData?: unknown;
  batchesPerEpoch?: number;
  /** fitDataset: the batches of a validation dataset each evaluation reads (an endless one needs it). */
  validationBatches?: number;
  classWeight?: unknown;
  sampleWeight?: unknown;
  initialEpoch?: number;
  shuffle?: unknown;
  callbacks?: unknown;
}

/**
 * Options of the fit call that change what training does and that LR Lab's runs (which draw their
 * own shuffled batches of equally weighted samples from the start) do not reproduce.
 */
function notApplied(options: FitArgs): string[] {
  const out: string[] = [];
  if (options.classWeight !== undefined && options.classWeight !== null) out.push('classWeight');
  if (options.sampleWeight !== undefined && options.sampleWeight !== null) out.push('sampleWeight');
  if (typeof options.initialEpoch === 'number' && options.initialEpoch > 0) out.push(`initialEpoch ${options.initialEpoch}`);
  if (options.shuffle === false) out.push('shuffle: false');
  // A user's earlyStopping was dropped without a word: it changes how long the script trains.
  const callbacks = options.callbacks === undefined || options.callbacks === null ? [] : Array.isArray(options.callbacks) ? (options.callbacks as unknown[]) : [options.callbacks];
  const names = callbacks.filter((c) => typeof c === 'object' && c !== null).map((c) => {
    const name = (c as { constructor?: { name?: unknown } }).constructor?.name;
    // Bundlers number a class whose name is taken twice (tfjs's EarlyStopping reads "EarlyStopping2").
    return typeof name === 'string' && name !== '' && name !== 'Object' ? name.replace(/(?<=[A-Za-z])\d+$/, '') : 'a plain object';
  });
  if (names.length > 0) out.push(`callbacks (${names.join(', ')})`);
  return out;
}

/** The stack of a fit call, deep enough to reach the script's own frames under a helper or two. */
function callStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  try {
    return new Error('fit call');
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function tensorsData(tf: Tf, x: unknown, y: unknown, what: string, file: string): CapturedData {
  return { kind: 'tensors', xs: tensorData(singleTensor(tf, x, `${what}x`, file), `${what}x`, file), ys: tensorData(singleTensor(tf, y, `${what}y`, file), `${what}y`, file) };
}

function isDataset(value: unknown): value is tfjs.data.Dataset<tfjs.TensorContainer> {
  return typeof value === 'object' && value !== null && typeof (value as { iterator?: unknown }).iterator === 'function';
}

/** One pass over a dataset (at most `batches` elements), as element copies. */
async function readDataset(tf: Tf, dataset: tfjs.data.Dataset<tfjs.TensorContainer>, batches: number | null, inputRank: number, what: string, file: string, progress: (samples: number, seconds: number) => void): Promise<{ data: CapturedData; batchSize: number | null }> {
  const elements: ElementData[] = [];
  let samples = 0;
  let batchSize: number | null = null;
  // Said as it goes: an endless dataset (.repeat() without batchesPerEpoch) read for a minute up to the cap in silence.
  const began = performance.now();
  let told = began;
  // At once, with 0: the call is reached (the engine stops waiting for it, its --fit-timeout too).
  progress(0, 0);
  try {
    const iterator = await dataset.iterator();
    while (batches === null || elements.length < batches) {
      const now = performance.now();
      if (now - told >= DATASET_PROGRESS_MS) {
        told = now;
        progress(samples, (now - began) / 1000);
      }
      const next = await iterator.next();
      if (next.done) break;
      const value = next.value as unknown;
      const pair = (Array.isArray(value) ? { xs: value[0] as unknown, ys: value[1] as unknown } : value) as { xs?: unknown; ys?: unknown } | null;
      if (typeof pair !== 'object' || pair === null || pair.xs === undefined || pair.ys === undefined) {
        const wrong = notPairError(tf, value, elements.length, what, 'Map the dataset to ({ xs, ys }) before model.fitDataset, as tfjs requires.');
        throw new LrLabError('data', wrong.message, { file, fix: wrong.fix });
      }
      const xs = singleTensor(tf, pair.xs, 'xs', file);
      const ys = singleTensor(tf, pair.ys, 'ys', file);
      elements.push({ xs: tensorData(xs, `${what} xs`, file), ys: tensorData(ys, `${what} ys`, file) });
      const batched = xs.rank === inputRank;
      if (elements.length === 1 && batched) batchSize = xs.shape[0] ?? null;
      samples += batched ? (xs.shape[0] ?? 0) : 1;
      tf.dispose(value as tfjs.TensorContainer);
      if (samples > MAX_DATASET_SAMPLES) {
        throw new LrLabError('data', `The ${what} dataset did not end within ${MAX_DATASET_SAMPLES.toLocaleString('en')} samples: it is endless (.repeat() without a count, a generator that never returns) or larger than LR Lab keeps in memory.`, { file, fix: what === 'validation' ? 'Pass validationBatches to model.fitDataset (an endless validation dataset needs it), or .take(n) on the dataset.' : 'Pass batchesPerEpoch to model.fitDataset (an endless dataset needs it), or .take(n) on the dataset.' });
      }
    }
  } catch (error) {
    if (error instanceof LrLabError) throw error;
    const at = locateUserFrame(error);
    const where = { file: at?.file ?? file, ...(at === null ? {} : { line: at.line }) };
    // Not a broken pipeline but LR Lab's rule while it reads one (a user's generator that appends to a log file ran fine under node and read "Fix the dataset pipeline").
    if (error instanceof SealError) {
      throw new LrLabError('data', `The ${what} dataset passed to model.fitDataset calls ${error.call} as LR Lab reads it: LR Lab runs a script only up to its fit call, and from there lets it read but not write files, start processes or servers.`, { ...where, fix: 'Move that call out of the dataset pipeline (before the fitDataset call), or export createModel and loadData from a model file instead.' });
    }
    if (failedInBatch(error, at)) {
      throw new LrLabError('data', batchFailureText(what, firstLine(error)), { file, fix: ZIP_OBJECT_FIX });
    }
    throw new LrLabError('data', `Reading the ${what} dataset passed to model.fitDataset failed: ${firstLine(error)}`, { ...where, fix: 'Fix the dataset pipeline.' });
  }
  return { data: { kind: 'elements', elements }, batchSize };
}

function modelParts(model: tfjs.LayersModel, file: string): Pick<ScriptCapture, 'topology' | 'weights' | 'trainable' | 'loss' | 'optimizer' | 'metrics'> {
  const compiled = compiledParts(model, file);
  return { ...compiled, topology: model.toJSON(null, false), weights: modelWeights(model).map((w, i) => tensorData(w, `weight ${i}`, file)), trainable: trainableState(model) };
}

/**
 * The fit call's own counts, checked as the script wrote them: a `batchSize: 0` there read "--batch-size
 * must be a whole number ≥ 1", a flag the user never gave.
 */
function checkFitCounts(options: FitArgs, method: 'fit' | 'fitDataset', file: string, at: FitSettings['at']): void {
  for (const key of ['batchSize', 'epochs', 'batchesPerEpoch', 'validationBatches'] as const) {
    const value = options[key];
    if (value === undefined || (Number.isSafeInteger(value) && value >= 1)) continue;
    throw new LrLabError('model-file', `The script's ${method} call gives ${key}: ${String(value)}; tfjs needs a whole number ≥ 1 there.`, { file: at?.file ?? file, ...(at === null || at === undefined ? {} : { line: at.line }), fix: `Give ${key} a whole number ≥ 1 in that ${method} call (or leave it out for tfjs's default).` });
  }
}

function captureFit(tf: Tf, model: tfjs.LayersModel, args: unknown[], file: string, at: FitSettings['at']): ScriptCapture {
  const options = (args[2] ?? {}) as FitArgs;
  checkFitCounts(options, 'fit', file, at);
  const validationData = Array.isArray(options.validationData) ? (options.validationData as unknown[]) : null;
  return {
    ...modelParts(model, file),
    train: tensorsData(tf, args[0], args[1], '', file),
    validation: validationData === null ? null : tensorsData(tf, validationData[0], validationData[1], 'validation ', file),
    fit: { method: 'fit', batchSize: options.batchSize ?? 32, epochs: options.epochs ?? 1, validationSplit: options.validationSplit ?? null, batchesPerEpoch: null, at, notApplied: notApplied(options) },
  };
}

async function captureFitDataset(tf: Tf, model: tfjs.LayersModel, args: unknown[], file: string, at: FitSettings['at'], progress: (what: string, samples: number, seconds: number) => void): Promise<ScriptCapture> {
  const parts = modelParts(model, file);
  const options = (args[1] ?? {}) as FitArgs;
  checkFitCounts(options, 'fitDataset', file, at);
  if (!isDataset(args[0])) throw new LrLabError('data', 'model.fitDataset was not given a tf.data.Dataset.', { file, fix: 'Pass a tf.data.Dataset of { xs, ys }, as tfjs requires.' });
  const inputRank = model.inputs[0]?.shape.length ?? 0;
  const train = await readDataset(tf, args[0], options.batchesPerEpoch ?? null, inputRank, 'training', file, (samples, seconds) => progress('training', samples, seconds));
  const v = options.validationData;
  // validationBatches as tfjs reads it: that many batches of the validation dataset (an endless
  // generator with validationBatches: 6 read a million samples, then "did not end … pass batchesPerEpoch").
  const validation = isDataset(v) ? (await readDataset(tf, v, options.validationBatches ?? null, inputRank, 'validation', file, (samples, seconds) => progress('validation', samples, seconds))).data : Array.isArray(v) ? tensorsData(tf, v[0], v[1], 'validation ', file) : null;
  return { ...parts, train: train.data, validation, fit: { method: 'fitDataset', batchSize: train.batchSize, epochs: options.epochs ?? 1, validationSplit: null, batchesPerEpoch: options.batchesPerEpoch ?? null, at, notApplied: notApplied(options) } };
}

// ---------------------------------------------------------------------------------------------

export async function runScriptWorker(data: ScriptWorkerData): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const file = data.file;
  const require = createRequire(file);
  let stopped = false;
  const send = (message: WorkerMessage): void => port.postMessage(message, message.type === 'captured' ? transferList(message.capture) : []);
  const fail = (error: unknown, what: string, at: FitSettings['at'] = null): never => {
    let lrlab = error instanceof LrLabError ? error : scriptError(error, file, what, (data.args ?? []).length > 0);
    // An error about the call itself points at the call.
    if (at !== null && lrlab.line === null) lrlab = LrLabError.fromData({ ...lrlab.toData(), file: at.file, line: at.line });
    // LR Lab's own error raised inside the script (its `tf.node` on wasm): at the script's line that raised it.
    const raisedAt = lrlab.file === null ? locateUserFrame(error) : null;
    if (raisedAt !== null) lrlab = LrLabError.fromData({ ...lrlab.toData(), file: raisedAt.file, line: raisedAt.line });
    send({ type: 'error', error: lrlab.toData() });
    return blockForever();
  };
  const onStray = (error: unknown): void => {
    if (stopped) return; // after the call the script's own failures do not matter
    stopped = true;
    fail(error, 'threw before calling model.fit');
  };
  forwardOutput(send);
  chdirThroughEngine(send);
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);

  // As under `node script.js`: argv[1] is the script (ESM "am I the main module" checks read it).
  process.argv = [process.execPath, file, ...(data.args ?? [])];
  seedProcess(data.seed);
  const { tf } = await loadTf({ backend: data.backend, threads: 1 });
  const fitLine = data.fitLine ?? null;
  // The capture, with the backends the script asked for on its way to the call (a note says they were not applied).
  const captured = (capture: ScriptCapture): void => send({ type: 'captured', capture: { ...capture, fit: { ...capture.fit, modelFilesLoaded: modelFilesLoaded() }, backendsAsked: backendsAsked(userFacingTf(tf)) } });
  const intercept = (self: unknown, method: 'fit' | 'fitDataset', args: unknown[], original: (self: unknown, args: unknown[]) => unknown): unknown => {
    if (stopped) return new Promise<never>(() => undefined);
    const stack = callStack();
    if (fitLine !== null && !frameLinesIn(stack, file).includes(fitLine)) {
      // A call before the chosen one (a warm-up fit): it trains, as in the script.
      send({ type: 'fit-run', method, at: locateUserFrame(stack) });
      return original(self, args);
    }
    stopped = true;
    const at = locateUserFrame(stack);
    const fitThrough = frameLinesIn(stack, file);
    seal(require);
    if (!isLayersModel(tf, self)) {
      return fail(new LrLabError('model-build', `model.${method} was called on ${describeThis(self)}, not a tfjs LayersModel.`, { file: at?.file ?? file, ...(at === null ? {} : { line: at.line }), fix: 'Call fit on a model built with tf.sequential() or tf.model().' }), '');
    }
    if (method === 'fit') {
      try {
        captured({ ...captureFit(tf, self, args, file, at), fitThrough });
      } catch (error) {
        fail(error, 'failed in model.fit', at);
      }
      return blockForever();
    }
    void captureFitDataset(tf, self, args, file, at, (what, samples, seconds) => send({ type: 'reading', what, samples, seconds })).then(
      (capture) => captured({ ...capture, fitThrough }),
      (error: unknown) => fail(error, 'failed in model.fitDataset', at),
    ).finally(blockForever);
    return new Promise<never>(() => undefined);
  };
  for (const proto of [tf.LayersModel.prototype, tf.Sequential.prototype]) {
    for (const method of ['fit', 'fitDataset'] as const) {
      const found: unknown = Reflect.get(proto, method);
      if (typeof found !== 'function') continue;
      const original = (self: unknown, args: unknown[]): unknown => Reflect.apply(found, self, args);
      Object.defineProperty(proto, method, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          return intercept(this, method, args, original);
        },
      });
    }
  }
  // A loop of the script's own (optimizer.minimize) runs as written; its first call is told to the
  // engine, which names it if the script then ends without a fit call (it read only "ran to the end
  // without calling model.fit", after the whole loop had trained).
  // model.trainOnBatch (which calls minimize itself) is named as the loop's own call, at the script's line
  // (a trainOnBatch loop read "with optimizer.minimize", no line).
  let told = false;
  for (const [owner, name] of [[tf.LayersModel.prototype, 'trainOnBatch'], [tf.Optimizer.prototype, 'minimize']] as const) {
    const original: unknown = Reflect.get(owner, name);
    if (typeof original !== 'function') continue;
    Object.defineProperty(owner, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]): unknown {
        if (!told && !stopped) {
          told = true;
          send({ type: 'custom-loop', at: locateUserFrame(callStack()), via: name });
        }
        return Reflect.apply(original, this, args);
      },
    });
  }
  // process.exit before the fit call ends the worker as the script asks, said first: a script's
  // `process.exit(0)` read "an unsettled top-level await" (an exit within the worker is no error).
  const realExit = process.exit.bind(process);
  process.exit = (code?: number | string | null): never => {
    const numeric = Number(code ?? process.exitCode ?? 0);
    send({ type: 'exit-called', code: Number.isFinite(numeric) ? numeric : 1, at: locateUserFrame(callStack()) });
    return realExit(code);
  };
  redirectTfjs(userFacingTf(tf));
  const views = new Map<string, Record<string, unknown>>();
  const override = (id: string): unknown => {
    const name = id.replace(/^node:/, '');
    if (!(SEALED_MODULES as readonly string[]).includes(name)) return undefined;
    let view = views.get(name);
    if (view === undefined) {
      view = guarded(name, require(`node:${name}`) as Record<string, unknown>);
      views.set(name, view);
    }
    return view;
  };
  const threw = (error: unknown): void => {
    if (stopped) return;
    stopped = true;
    fail(error, 'threw before calling model.fit');
  };
  try {
    const { done } = evaluateBundle(file, data.bundle, userFacingTf(tf), { override, main: true });
    if (done === null) send({ type: 'ended' });
    else done.then(() => send({ type: 'ended' }), threw);
  } catch (error) {
    threw(error);
  }
}

/**
 * The script's stdout and stderr, as messages on the port the capture takes. The worker's own
 * streams post one chunk and hold the rest until the engine acknowledges it, which a thread
 * blocked at fit never reads: only a script's first line came out. On the port every write
 * arrives, in order, before the capture or the error.
 */
function forwardOutput(send: (message: WorkerMessage) => void): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      const text = typeof chunk === 'string' ? (typeof encoding === 'string' && Buffer.isEncoding(encoding) ? Buffer.from(chunk, encoding).toString('utf8') : chunk) : Buffer.from(chunk as Uint8Array).toString('utf8');
      send({ type: 'output', text });
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
    Object.defineProperty(stream, 'write', { configurable: true, writable: true, value: write });
  }
}

/** How long the worker waits for the engine's main thread to change folder for it. */
const CHDIR_WAIT_MS = 10_000;
/** Node's errno values (Linux) of the failures `chdirThroughEngine` reports, as its own chdir's errors carry them. */
const CHDIR_ERRNO: Readonly<Record<string, number>> = { ENOENT: -2, ENOTDIR: -20, EACCES: -13, ETIMEDOUT: -110 };

/**
 * `process.chdir(dir)` as under `node script.js`: a worker thread cannot change folder (Node throws
 * "process.chdir() is not supported in workers"; `process.chdir(__dirname)` is many scripts' first
 * line), so the engine's main thread changes the process's folder, which the worker shares, while
 * the worker waits. A folder that does not exist fails as Node's own chdir does.
 */
function chdirThroughEngine(send: (message: WorkerMessage) => void): void {
  const chdir = (directory: string): void => {
    if (typeof directory !== 'string') throw new TypeError(`The "directory" argument must be of type string. Received ${typeof directory}`);
    const target = path.resolve(process.cwd(), directory);
    const failed = (code: string, what: string): Error => Object.assign(new Error(`${code}: ${what}, chdir ${process.cwd()} -> '${directory}'`), { code, errno: CHDIR_ERRNO[code], syscall: 'chdir', path: process.cwd(), dest: directory });
    if (!existsSync(target)) throw failed('ENOENT', 'no such file or directory');
    if (!statSync(target).isDirectory()) throw failed('ENOTDIR', 'not a directory');
    const done = new SharedArrayBuffer(4);
    send({ type: 'chdir', dir: target, done });
    const flag = new Int32Array(done);
    if (Atomics.wait(flag, 0, 0, CHDIR_WAIT_MS) === 'timed-out' && Atomics.load(flag, 0) === 0) throw failed('ETIMEDOUT', `LR Lab's engine did not change the folder within ${CHDIR_WAIT_MS / 1000} s`);
    if (Atomics.load(flag, 0) !== 1) throw failed('EACCES', 'permission denied');
  };
  Object.defineProperty(process, 'chdir', { configurable: true, writable: true, value: chdir });
}

/**
 * Packages the script requires from node_modules get this worker's tf for `@tensorflow/*` too
 * (the script's own imports are redirected by the bundler): a model built by a package with its
 * own copy of tfjs would otherwise train for real, past the fit hook. CommonJS requires only.
 */
function redirectTfjs(tf: Tf): void {
  const load = Module._load;
  Module._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    return request.startsWith('@tensorflow/') ? tf : load.call(this, request, parent, isMain);
  };
}

/** An error of the script's own code, at its line, in one line; `argsGiven`: whether it got arguments after `--`. */
function scriptError(error: unknown, file: string, what: string, argsGiven: boolean): LrLabError {
  const at = locateUserFrame(error);
  const message = firstLine(error);
  const mapped = toLrLabError(error);
  if (mapped.code === 'out-of-memory') return mapped;
  const notModel = /(\w+(?:\.\w+)*)\.(fit|fitDataset) is not a function/.exec(message);
  const text = notModel !== null ? `${notModel[1]}.${notModel[2]} is not a function: fit was called on something that is not a tfjs LayersModel` : `${file.split(/[\\/]/).pop() ?? file} ${what}: ${message}`;
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
  // A relative path the script cannot open: say where relative paths resolve (the script's folder).
  const notFound = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
  const fix =
    notModel !== null
      ? 'Call fit on a model built with tf.sequential() or tf.model() and compiled with model.compile().'
      : missing !== undefined
        ? `Install ${missing} in your workspace (npm install ${missing}).`
        : notFound
          ? `Relative paths in the script resolve from ${process.cwd()}, the folder lrlab runs in (as under node ${path.basename(file)}): run lrlab from the folder the script expects, or give the path as an argument after -- (lrlab find-lr script.js -- --data …).`
          : argsGiven
            ? 'Fix the script: LR Lab runs it up to its first model.fit call.'
            : // A script run bare that reads process.argv fails here (a usage error, readFileSync(undefined)).
              'Fix the script (LR Lab runs it up to its first model.fit call); a script that needs arguments gets them after -- (lrlab find-lr script.js -- --data train.csv).';
  return new LrLabError(notModel !== null ? 'model-build' : 'model-file', text, { file: at?.file ?? file, ...(at === null ? {} : { line: at.line }), fix });
}
