/**
 * The training-script route (design.md "Beyond the contract"): a JS/TS file that exports neither
 * `createModel` nor `loadData` but calls `model.fit`/`fitDataset` is run up to that call
 * (scriptRun.ts), and what the call held becomes a `LoadedModel` (capturedModel.ts): the model
 * rebuilt from its topology with the script's initial weights and compiled loss/optimizer, the
 * call's data, and its settings — batch size (unless set explicitly), validation data or
 * `validationSplit` (tfjs' way: the last fraction, unshuffled). Its epochs are only named: `train`
 * runs `--epochs` (a loop of one-epoch fits would otherwise train one), and says so when they differ.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { modelFitCallLines, runsAsTrainingScript, sourceLine } from '../core/modelFileText';
import { LrLabError, flagOf } from '../protocol/errors';
import { OPTIONS } from '../protocol/options';
import type { CommonRunOptions } from '../protocol/requests';
import type { RequestSources } from '../protocol/options';
import type { BackendReport } from '../protocol/results';
import { capturedModel, heldOutWarning } from './capturedModel';
import type { CapturedModel } from './capturedModel';
import type { CapturedData, ScriptCapture } from './scriptCapture';
import { dataToTensor } from './scriptCapture';
import { captureScript } from './scriptRun';
import type { LoadedModel } from './session';
import type { Tf } from './tfjs';
import { thrownText } from './errorMapping';
import { applyTrainableState, setModelWeights } from './trainableState';
import { placeInScript, sameFile } from './userFrames';

/** Whether `file` takes the script route (`runsAsTrainingScript`). */
export function isTrainingScript(file: string): boolean {
  if (!/\.(m|c)?(t|j)sx?$/i.test(file)) return false;
  try {
    // Only a regular file is read here: a FIFO would block until a writer came (the contract route names it).
    if (!statSync(file).isFile()) return false;
    return runsAsTrainingScript(readFileSync(file, 'utf8'));
  } catch {
    return false; // unreadable: the contract route reports it
  }
}

function toData(tf: Tf, data: CapturedData): unknown {
  if (data.kind === 'tensors') return { xs: dataToTensor(tf, data.xs), ys: dataToTensor(tf, data.ys) };
  return tf.data.array(data.elements.map((e) => ({ xs: dataToTensor(tf, e.xs), ys: dataToTensor(tf, e.ys) })));
}

/** The model of the captured call, on the engine's tf: topology, initial weights, compiled loss and optimizer. */
async function rebuild(tf: Tf, capture: ScriptCapture, file: string, warnings: string[]): Promise<tfjs.LayersModel> {
  const name = path.basename(file);
  const at = capture.fit.at;
  const where = { file: at?.file ?? file, ...(at === null ? {} : { line: at.line }) };
  // A tfjs op from tf.losses (its name carries the op scope, `sigmoidCrossEntropy__op`) is the engine's same op.
  const builtIn = capture.loss?.custom === true ? tfLossesOp(tf, capture.loss.name) : null;
  if (capture.loss?.custom === true && builtIn === null) {
    throw new LrLabError('loss', `${name} compiles the model with a custom loss function${capture.loss.name === '' ? '' : ` (${capture.loss.name})`}, which LR Lab cannot take out of a running script.`, {
      ...where,
      fix: "Use a tfjs loss name in model.compile, or call LR Lab's library from the script: `await findLr(model, { xs, ys })` (README: \"Use it from your code\").",
    });
  }
  let model: tfjs.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: capture.topology as tfjs.io.ModelJSON['modelTopology'] });
  } catch (error) {
    const text = error instanceof Error ? error.message.split('\n')[0] ?? '' : thrownText(error);
    // tfjs's "Unknown layer: Scale. This may be due to one of the following reasons:" ends on a colon whose reasons are on later lines.
    const unknown = /^Unknown (layer|activation|initializer|regularizer|constraint): ([^\s.]+)/.exec(text);
    const why = unknown === null ? text.replace(/[\s:]+$/, '') : `it uses a custom ${unknown[1]}, ${unknown[2]}`;
    throw new LrLabError('model-build', `The model of ${name}'s ${capture.fit.method} call cannot be rebuilt from its topology: ${why}.`, {
      ...where,
      fix: "Custom layers live only inside the running script: use LR Lab's library from the script (`await findLr(model, data)`), or export createModel and loadData.",
    });
  }
  const weights = capture.weights.map((w) => dataToTensor(tf, w));
  applyTrainableState(model, capture.trainable);
  setModelWeights(model, weights);
  tf.dispose(weights);
  const entry = capture.optimizer === null ? undefined : tf.serialization.SerializationMap.getMap().classNameMap[capture.optimizer.className];
  const optimizer = entry === undefined || capture.optimizer === null ? 'sgd' : (entry[1](entry[0], capture.optimizer.config as tfjs.serialization.ConfigDict) as tfjs.Optimizer);
  type Metric = string | ((yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor);
  const metrics = capture.metrics.flatMap((m): Metric[] => {
    if (!m.custom) return [m.name];
    const fn = tfMetric(tf, m.name);
    if (fn !== null) return [fn];
    warnings.push(`${name} compiles the model with a custom metric function${m.name === '' ? '' : ` (${m.name})`}, which LR Lab cannot take out of a running script: left out of the runs' columns. Use a metric name in model.compile (e.g. 'accuracy', 'mae').`);
    return [];
  });
  model.compile({ loss: builtIn ?? capture.loss?.name ?? 'meanSquaredError', optimizer, ...(metrics.length === 0 ? {} : { metrics }) });
  return model;
}

/** `tf.metrics.<name>` of the engine's tfjs for a captured metric function of that name (`tf.metrics.meanAbsoluteError`), else `null`. */
function tfMetric(tf: Tf, name: string): ((yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor) | null {
  if (name === '' || !Object.hasOwn(tf.metrics, name)) return null;
  const fn = (tf.metrics as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor) : null;
}

/** `tf.losses.<name>` of the engine's tfjs for a captured function named `<name>__op` (tfjs's op scope), else `null`. */
function tfLossesOp(tf: Tf, captured: string): ((yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor) | null {
  const match = /^(\w+)__op$/.exec(captured);
  const name = match?.[1];
  if (name === undefined || !Object.hasOwn(tf.losses, name)) return null;
  const fn = (tf.losses as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') return null;
  // Named as the op is, so the run reports the loss by its tfjs name (loss.ts customLossName).
  const op = fn as (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;
  return Object.defineProperty((yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => op(yTrue, yPred), 'name', { value: captured });
}

/** Train and validation as prepareData takes them, following the call's validation settings unless `--validation-split` is set. */
function splits(tf: Tf, capture: ScriptCapture, explicitSplit: number | undefined): unknown {
  const train = toData(tf, capture.train);
  if (explicitSplit !== undefined) return { train };
  // As tfjs reads them: validationData first; validationSplit only without it.
  if (capture.validation !== null) return { train, validation: toData(tf, capture.validation) };
  if (splitsOff(capture)) {
    // tfjs: the last fraction of the samples, unshuffled.
    const fraction = capture.fit.validationSplit ?? 0;
    const { xs, ys } = train as { xs: tfjs.Tensor; ys: tfjs.Tensor };
    const n = xs.shape[0] ?? 0;
    const at = Math.floor(n * (1 - fraction));
    const parts = { train: { xs: tf.slice(xs, 0, at), ys: tf.slice(ys, 0, at) }, validation: { xs: tf.slice(xs, at), ys: tf.slice(ys, at) } };
    tf.dispose([xs, ys]);
    return parts;
  }
  return { train };
}

/** Whether the call's validationSplit holds samples out (tfjs: a fraction strictly between 0 and 1 of `fit`'s tensors, where no validationData is given). */
function splitsOff(capture: ScriptCapture): boolean {
  const fraction = capture.fit.validationSplit;
  return capture.validation === null && fraction !== null && fraction > 0 && fraction < 1 && capture.train.kind === 'tensors';
}

/** A file's text, or null where it cannot be read. */
function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Runs the script to its fit call and turns the capture into a `LoadedModel`. */
export async function loadScript(options: CommonRunOptions, tf: Tf, backend: BackendReport, signal: AbortSignal, notice?: (text: string) => void): Promise<CapturedModel> {
  const file = path.resolve(options.model);
  const before = readText(file);
  const capture = await captureScript(file, { seed: options.seed ?? null, fitTimeout: options.fitTimeout, backend: backend.name === 'cpu' ? 'cpu' : 'wasm', signal, args: options.scriptArgs, fitLine: options.fitLine, notice });
  const after = readText(file);
  const lineText = capture.fit.at !== null && sameFile(capture.fit.at.file, file) && before !== null && after === before ? sourceLine(before, capture.fit.at.line) : null;
  const metricWarnings: string[] = [];
  const model = await rebuild(tf, capture, file, metricWarnings);
  try {
    const at = capture.fit.at === null ? path.basename(file) : placeInScript(file, capture.fit.at);
    // The call's validation as tfjs applies it: validationData, else a validationSplit that holds samples out (0 holds none).
    const own = capture.validation !== null ? ['validationData'] : splitsOff(capture) ? [`validationSplit ${capture.fit.validationSplit}`] : [];
    // --validation-split replaces the call's validation (splits): say so where the call had one (it read "validationSplit 0.2" under --validation-split 0.1).
    const validation = options.validationSplit === undefined ? own : [`${flagOf('validationSplit')} ${options.validationSplit}${own.length === 0 ? '' : ` instead of its ${own.join(' and ')}`}`];
    // A call without validation trains on every sample; LR Lab's runs need a validation split, so they train on fewer: said, as the script never did.
    const heldOut = validation.length > 0 ? '' : ` ${heldOutWarning(OPTIONS.validationSplit.default, 'flag', capture.fit.method)}`;
    // --batch-size replaces the call's: said, as for --validation-split (the note named the call's 32 beside a run at 128).
    const callBatch = capture.fit.batchSize === null ? null : `batch size ${capture.fit.batchSize}`;
    const batch = options.batchSize === undefined ? callBatch : `${flagOf('batchSize')} ${options.batchSize}${callBatch === null || capture.fit.batchSize === options.batchSize ? '' : ` instead of its ${callBatch}`}`;
    const settings = [batch, `${capture.fit.epochs} epoch${capture.fit.epochs === 1 ? '' : 's'}`, ...validation]
      .filter((s) => s !== null)
      .join(', ');
    const notApplied = capture.fit.notApplied ?? [];
    return await capturedModel({
      tf,
      file,
      backend,
      model,
      data: splits(tf, capture, options.validationSplit),
      validationFraction: options.validationSplit ?? OPTIONS.validationSplit.default,
      seed: options.seed ?? null,
      script: lineText === null ? capture.fit : { ...capture.fit, lineText },
      warnings: [
        `${SCRIPT_SOURCE_NOTE}${capture.fit.method} call at ${at} (${settings}); the script stopped there.${heldOut}`,
        ...otherFitCalls(file, after, capture, options.fitLine),
        ...(notApplied.length === 0 ? [] : [notAppliedWarning(capture.fit.method, notApplied)]),
        ...backendNotApplied(file, capture.backendsAsked ?? [], backend.name),
        ...nativeNotLoaded(file, after, backend),
        ...metricWarnings,
      ],
    });
  } finally {
    // Declared always set, but undefined when the script never compiled the model.
    const { optimizer }: { optimizer?: { dispose?: () => void } } = model;
    model.dispose();
    optimizer?.dispose?.();
  }
}

/** How a training script's note on where its model and data came from starts (the batch-size study says it once: `studyScriptNote`). */
export const SCRIPT_SOURCE_NOTE = 'Model and data taken from the model.';

/**
 * A script's `tf.setBackend('cpu')` is not applied (LR Lab's backend runs every experiment): said
 * where it asked for another, as the script would otherwise read as having run on its own choice.
 */
export function backendNotApplied(file: string, names: readonly string[], running: string): string[] {
  const others = [...new Set(names)].filter((name) => name !== running);
  if (others.length === 0) return [];
  return [`${path.basename(file)} calls tf.setBackend(${others.map((n) => `'${n}'`).join(', ')}); LR Lab runs every experiment on its own backend, ${running} here, so the call is not applied (${flagOf('backend')} or the lrlab.backend setting chooses it).`];
}

/**
 * A script that imports the native backend, where LR Lab could not load it: every run is on the
 * backend that did run, and without a note the user never learned their fast path was not in use
 * (auto says nothing where no tfjs-node is installed at all: wasm is its default).
 */
export function nativeNotLoaded(file: string, text: string | null, backend: BackendReport): string[] {
  if (backend.name === 'tensorflow' || backend.requested !== 'auto' || backend.note !== null || text === null) return [];
  const imported = /['"](@tensorflow\/tfjs-node(?:-gpu)?)['"]/.exec(text)?.[1];
  if (imported === undefined) return [];
  return [`${path.basename(file)} imports ${imported}, which is not installed where LR Lab looks (the workspace's node_modules, then its own): every run here is on ${backend.name}, several times slower than the native backend. Install it in the workspace (npm install ${imported}; with npm 11, npm install-scripts approve ${imported} && npm rebuild ${imported}), or choose ${backend.name} with ${flagOf('backend')} ${backend.name}.`];
}

/**
 * A script that trains more than once (a warm-up fit, then the main one) gave LR Lab its first call:
 * the note says where the others are and how to take one (`--fit-line`, or its lens in the editor).
 */
function otherFitCalls(file: string, text: string | null, capture: ScriptCapture, fitLine: number | undefined): string[] {
  const at = capture.fit.at;
  if (fitLine !== undefined || at === null || !sameFile(at.file, file) || text === null) return [];
  // Not the lines the taken call was made through (`await new Net().fit(…)`, whose method calls
  // model.fit: `--fit-line` there takes the same call), nor one-argument `.fit(raw)` calls (modelFitCallLines).
  const through = new Set([at.line, ...(capture.fitThrough ?? [])]);
  const others = modelFitCallLines(text).filter((line) => !through.has(line));
  if (others.length === 0) return [];
  const suggested = others.find((line) => line > at.line) ?? others[0];
  return [
    `${path.basename(file)} calls fit at line${others.length === 1 ? '' : 's'} ${others.join(', ')} too; LR Lab took the first call the script makes (line ${at.line}), with the model, weights, optimizer and batch size it has there. To take another, e.g. the main fit after a warm-up, give its line: ${flagOf('fitLine')} ${suggested} (the calls before it then run as in the script; in the editor, click the Find learning rate lens above it).`,
  ];
}

/**
 * A request as an experiment should read it: a training script's fit call supplies the batch
 * size when the caller left it unset (flags and explicitly set settings win); the result names
 * `model.fit` as its source.
 */
export function withScriptDefaults<T extends { readonly batchSize?: number; readonly sources?: RequestSources }>(request: T, loaded: LoadedModel): T {
  const batchSize = loaded.script?.batchSize ?? null;
  if (request.batchSize !== undefined || batchSize === null) return request;
  return { ...request, batchSize: Math.min(batchSize, loaded.data.train.count), sources: { ...request.sources, batchSize: 'model.fit' } };
}

/**
 * The fit options LR Lab's runs do not reproduce, each with what it changes (a user's shuffle: false
 * was told about class weighting): weights scale the loss and its gradients; initialEpoch and
 * shuffle: false only change where and in which order the batches start.
 */
function notAppliedWarning(method: string, notApplied: readonly string[]): string {
  const weights: readonly string[] = notApplied.filter((o) => o === 'classWeight' || o === 'sampleWeight');
  const callbacks = notApplied.filter((o) => o.startsWith('callbacks'));
  const order = notApplied.filter((o) => !weights.includes(o) && !callbacks.includes(o));
  const why = [
    ...(callbacks.length === 0 ? [] : ["LR Lab's runs call none of the script's callbacks (their own schedule drives the LR), so one that stops training early (earlyStopping) or sets the LR changes how long and how your fit trains, not what the runs measure"]),
    ...(weights.length === 0 ? [] : [`LR Lab's runs weigh every sample equally, so they read the plain loss; ${weights.join(' and ')} ${weights.length === 1 ? 'scales' : 'scale'} the loss and its gradients, so the LR your fit tolerates can differ: check the pick with your own fit`]),
    ...(order.length === 0 ? [] : [`LR Lab's runs start from a fresh model and draw their own shuffled batches (${order.join(', ')} only ${order.length === 1 ? 'changes' : 'change'} where training starts and the order of the batches, not the loss a run reads)`]),
  ];
  return `The model.${method} call's ${notApplied.join(', ')} ${notApplied.length === 1 && callbacks.length === 0 ? 'is' : 'are'} not applied: ${why.join('; ')}.`;
}
