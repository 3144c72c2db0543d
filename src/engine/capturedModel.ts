/**
 * The seam between a model someone else built and LR Lab's experiments: a compiled tfjs model
 * plus its data become a `LoadedModel`, exactly what the contract route (`createModel` +
 * `loadData`, session.ts) produces, so every experiment runs on it unchanged. Two callers: a
 * training script's captured `fit` call (scriptModel.ts) and the library's `findLr(model, data)`.
 *
 * The model itself is only read: its architecture (`getConfig`), its current weights (copied
 * once, by value), its compiled loss and optimizer. Every `buildModel` is a fresh copy —
 * same architecture, those initial weights — so each run starts where the model stood, and the
 * model's own variables and optimizer are never touched (its weights stay bit-identical).
 */
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { LrLabError, OptionError, flagOf } from '../protocol/errors';
import type { BackendReport } from '../protocol/results';
import type { OptionNaming } from '../protocol/optionNaming';
import { optionName } from '../protocol/optionNaming';
import { prepareData } from './data';
import { checkLabels, inferredLossWarning, resolveLoss } from './loss';
import { resolveCompiledOptimizer } from './compiledOptimizer';
import type { UserModelModule } from './modelFile';
import type { FitSettings } from './scriptCapture';
import type { LoadedModel } from './session';
import { disposeModel, modelMeasures } from './session';
import type { Tf } from './tfjs';
import { allTrainable, applyTrainableState, modelWeights, setModelWeights, trainableState } from './trainableState';
import { sameFile } from './userFrames';

export interface ModelParts {
  readonly tf: Tf;
  /** What messages and results name: the script, or (library) the model. */
  readonly file: string;
  readonly backend: BackendReport;
  /** A compiled model: read and copied, never trained or disposed here. */
  readonly model: tfjs.LayersModel;
  /** The data, as `loadData()` may return it: `{ train, validation? }` (tensors, arrays or datasets). */
  readonly data: unknown;
  /** Share held out (seeded) when `data` has no validation split. */
  readonly validationFraction: number;
  readonly seed: number | null;
  /** The training script's fit call, when the model came from one. */
  readonly script?: FitSettings;
  readonly warnings?: readonly string[];
  /** How warnings name what to change: the CLI's flags (absent: a training script) or the library's options. */
  readonly naming?: OptionNaming;
  /** Cancels reading a tf.data dataset. */
  readonly signal?: AbortSignal | undefined;
}

export interface CapturedModel extends LoadedModel {
  /** Disposes what was made here (weight copies, data copies); never the caller's tensors. */
  release(): void;
  /** The batch size a batched train dataset came in (what the app's fitDataset trains at), else `null`. */
  readonly datasetBatchSize: number | null;
}

/**
 * A model file's words for its data (`loadData()`, `train.xs`) in a training script's: its fit call's
 * `x`, `y` and `validationData` ("loadData() gave 4 samples … return a validation split from
 * loadData()" was said of a script that has no loadData).
 */
export function scriptWords(text: string): string {
  return text
    .replace(/\breturn a validation split from loadData\(\)( \(it may repeat the training samples for a toy task\))?/g, 'give the fit call validationData$1')
    .replace(/\ba larger validation split from loadData\b/g, 'more validationData in the fit call')
    .replace(/\breturn only train from loadData\(\)/g, 'leave validationData out of the fit call')
    .replace(/\bReturn \{ train: \{ xs, ys \} \} from loadData\(\), with xs the inputs and ys the labels/g, 'Give the fit call the inputs as x and the labels as y')
    .replace(/\bReturn \{ train: \{ xs, ys \} \}(, validation: \{ xs, ys \} \})? from loadData\(\)( \(validation is optional\))?/g, 'Give the fit call x and y (and validationData if you have it)')
    .replace(/\bReturn it without the random map from loadData\(\)/g, 'Give it to fitDataset without the random map')
    .replace(/\bloadData\(\) gave\b/g, "the fit call's data gave")
    .replace(/\bloadData\(\) returned\b/g, 'the fit call was given')
    .replace(/\bin loadData\(\)/g, 'in the script')
    .replace(/\bloadData\(\)/g, "the fit call's data")
    .replace(/\btrain\.xs\b/g, "the fit call's x")
    .replace(/\btrain\.ys\b/g, "the fit call's y")
    .replace(/\bvalidation\.xs\b/g, "validationData's x")
    .replace(/\bvalidation\.ys\b/g, "validationData's y");
}

/**
 * An engine error about a script's data, in the script's words (`scriptWords`), and at the fit call
 * (`at`) where it names the script without a line: "the fit call's x has shape [batch, 5] …" named
 * the file alone, its siblings `file:line`. An option's error stays the flag's.
 */
function inScriptWords(error: unknown, script: string, at: FitSettings['at'] | undefined): unknown {
  if (!(error instanceof LrLabError)) return error;
  const message = scriptWords(error.message);
  const fix = error.fix === null ? null : scriptWords(error.fix);
  if (error instanceof OptionError) return message === error.message && fix === error.fix ? error : new OptionError(error.option ?? '', message, fix ?? undefined);
  const place = error.line === null && at !== null && at !== undefined && (error.file === null || sameFile(error.file, script)) ? at : null;
  if (message === error.message && fix === error.fix && place === null) return error;
  const file = place?.file ?? error.file;
  const line = place?.line ?? error.line;
  return new LrLabError(error.code, message, { ...(fix === null ? {} : { fix }), ...(file === null ? {} : { file }), ...(line === null ? {} : { line }), ...(error.option === null ? {} : { option: error.option }), cause: error.cause ?? error });
}

/**
 * Said where a caller's fit call (a training script's) or findLr call gave no validation data: LR
 * Lab's runs then validate on a random `fraction` of its samples and train on the rest, which the
 * caller's own fit never did. One text for both (the library held out 20% without a word while the
 * CLI said this).
 */
export function heldOutWarning(fraction: number, naming: OptionNaming, method: 'fit' | 'fitDataset' = 'fit'): string {
  // fitDataset takes no validationSplit (tfjs's FitDatasetArgs): only validationData chooses them there.
  const choose = naming === 'option' ? 'pass validationData to choose them' : method === 'fitDataset' ? 'give the call validationData to choose them' : 'give the call validationData or a validationSplit to choose them';
  return `The call has no validation data, so LR Lab holds out a random ${Number((fraction * 100).toPrecision(3))}% of its samples to validate on and trains on the rest: ${choose} (or ${optionName('validationSplit', naming)} for another share).`;
}

/** A `LoadedModel` whose every `buildModel` is a fresh copy of `parts.model` at its current weights. */
export async function capturedModel(parts: ModelParts): Promise<CapturedModel> {
  const { tf, model, file } = parts;
  // By value, in an order setModelWeights takes back (tfjs's setWeights cannot, for a frozen nested model).
  const initial = modelWeights(model).map((w) => tf.tensor(w.dataSync().slice(), w.shape, w.dtype));
  const sequential = model instanceof tf.Sequential;
  const fromConfig = (config: tfjs.serialization.ConfigDict): tfjs.LayersModel => (sequential ? tf.Sequential.fromConfig<tfjs.Sequential>(tf.Sequential, config) : tf.LayersModel.fromConfig<tfjs.LayersModel>(tf.LayersModel, config));
  const what = parts.script === undefined ? `findLr(): the model${model.name === undefined ? '' : ` (${model.name})`}` : `The model of ${path.basename(file)}'s fit call`;
  if (model.trainableWeights.length === 0) {
    tf.dispose(initial);
    // tfjs's fit refuses it too ("variableGrads() expects at least one of the input variables to be trainable").
    throw new LrLabError('model-build', `${what} has no trainable weights (${model.trainable ? 'every layer with weights is frozen: trainable = false' : 'model.trainable is false'}), so there is nothing to train: model.fit refuses it too.`, {
      ...(parts.script === undefined ? {} : { file }),
      fix: 'Set trainable = true on the layers (or the nested model) to tune, as you would before training them.',
    });
  }
  // A nested model's `trainable` (a frozen base) and the model's own are not in its config.
  const trainable = trainableState(model);
  const mirror = !allTrainable(trainable);
  let config: string;
  const copy = (): tfjs.LayersModel => {
    const clone = withoutPartialWeights(tf, () => fromConfig(JSON.parse(config) as tfjs.serialization.ConfigDict));
    if (mirror) applyTrainableState(clone, trainable);
    setModelWeights(clone, initial);
    return clone;
  };
  try {
    // fromConfig consumes its argument (Sequential's deletes `layers`): a fresh copy per build.
    config = JSON.stringify(model.getConfig());
    disposeModel(copy());
  } catch (error) {
    tf.dispose(initial);
    throw uncopyable(error, what, parts.script === undefined ? null : file);
  }
  const build = (hp: { dropout?: number }): tfjs.LayersModel => {
    if (hp.dropout !== undefined) throw dropoutNeedsCreateModel(parts.file, parts.script !== undefined);
    return copy();
  };
  const mod: UserModelModule = { file, createModel: build, loadData: async () => parts.data };
  // A training script's fit call gave the data: messages say so in its words.
  const script = parts.script !== undefined;
  let prepared: Awaited<ReturnType<typeof prepareData>>;
  try {
    prepared = await prepareData(parts.data, tf, model, { file, validationFraction: parts.validationFraction, seed: parts.seed ?? 0, naming: parts.naming ?? 'flag', signal: parts.signal });
  } catch (error) {
    tf.dispose(initial);
    throw script ? inScriptWords(error, file, parts.script?.at) : error;
  }
  const userTensors = new Set(tensorsIn(parts.data));
  const release = (): void => {
    tf.dispose(initial);
    for (const t of [prepared.train.xs, prepared.train.ys, prepared.validation.xs, prepared.validation.ys]) if (!userTensors.has(t) && !t.isDisposed) t.dispose();
  };
  try {
    const loss = resolveLoss(tf, mod, model, prepared.train.ys);
    checkLabels(tf, prepared.train, loss.name, model, 'train', file);
    checkLabels(tf, prepared.validation, loss.name, model, 'validation', file);
    const warnings = [...(parts.backend.note === null ? [] : [parts.backend.note]), ...(parts.warnings ?? []), ...prepared.warnings];
    if (loss.source === 'inferred') warnings.push(inferredLossWarning(loss, 'Compile the model with the loss it trains with.'));
    const measures = modelMeasures(tf, undefined, model, loss, prepared, warnings, parts.naming);
    if (script) warnings.splice(0, warnings.length, ...warnings.map(scriptWords));
    return {
      tf,
      file,
      backend: parts.backend,
      buildModel: async (hp) => build(hp),
      disposeModel,
      data: { train: prepared.train, validation: prepared.validation },
      loss,
      ...measures,
      compiledOptimizer: resolveCompiledOptimizer(model),
      usesDropout: false,
      parameterCount: model.countParams(),
      warnings,
      ...(parts.script === undefined ? {} : { script: parts.script }),
      release,
      datasetBatchSize: prepared.trainBatchSize,
    };
  } catch (error) {
    release();
    throw script ? inScriptWords(error, file, parts.script?.at) : error;
  }
}

/**
 * Runs a synchronous model rebuild so that one that fails leaks no weights: the layers built before
 * the one tfjs cannot rebuild (an unregistered custom layer) had made their weights, which nothing
 * could dispose — two tensors per findLr call that a library user's model with such a layer leaked.
 */
function withoutPartialWeights<T>(tf: Tf, rebuild: () => T): T {
  const variables = (tf.engine() as unknown as { state: { registeredVariables: Record<string, tfjs.Variable> } }).state.registeredVariables;
  const before = new Set(Object.keys(variables));
  try {
    return rebuild();
  } catch (error) {
    for (const [name, variable] of Object.entries(variables)) if (!before.has(name)) variable.dispose();
    throw error;
  }
}

/**
 * A model LR Lab cannot copy to train: a custom layer (or activation, initializer, …) tfjs cannot
 * rebuild from the config because it is not registered, or one without a `getConfig`. Was tfjs's
 * "Unknown layer: Scale. This may be due to one of the following reasons: …" with its stack.
 */
function uncopyable(error: unknown, what: string, file: string | null): LrLabError {
  if (error instanceof LrLabError) return error;
  const text = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const unknown = /^Unknown (layer|activation|initializer|regularizer|constraint): ([^\s.]+)/.exec(text);
  const why = unknown === null ? text.replace(/[\s:]+$/, '') : `it uses a custom ${unknown[1]}, ${unknown[2]}, that tfjs does not know by name`;
  const fix = unknown === null
    ? 'LR Lab trains a copy of the model rebuilt from model.getConfig(): give each custom layer a getConfig() that returns its constructor arguments, and register it with tf.serialization.registerClass.'
    : `Register its class before the call, as a saved model needs it too: tf.serialization.registerClass(TheClass), the class having static className = '${unknown[2]}' and a getConfig() that returns its constructor arguments. LR Lab trains a copy of the model rebuilt from its config.`;
  return new LrLabError('model-build', `${what} cannot be copied to train: ${why}.`, { ...(file === null ? {} : { file }), fix, cause: error });
}

/** The tensors a caller handed over (never disposed by LR Lab). */
function tensorsIn(value: unknown, depth = 0): unknown[] {
  if (value === null || typeof value !== 'object' || depth > 3) return [];
  if (typeof (value as { dataSync?: unknown }).dataSync === 'function') return [value];
  return Object.values(value as Record<string, unknown>).flatMap((v) => tensorsIn(v, depth + 1));
}

/** A dropout sweep needs a model builder that reads `hp.dropout`; a fixed model has none. */
export function dropoutNeedsCreateModel(file: string, isScript: boolean): OptionError {
  const what = isScript ? `${file.split(/[\\/]/).pop() ?? file} is a training script: its model` : 'A model passed to findLr';
  return new OptionError(
    'dropout',
    `${what} has a fixed architecture, so ${flagOf('dropout')} cannot change its dropout.`,
    'To compare dropout, export `function createModel(hp)` that builds the model with `tf.layers.dropout({ rate: hp.dropout })`, and `async function loadData()` returning { train: { xs, ys } } (README: "lrlab find-lr").',
  );
}
