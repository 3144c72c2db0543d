/**
 * The loss LR Lab minimises, and labels checked against it: the model file's `loss` export, else
 * the loss of its `model.compile`, else one inferred from the output layer and the labels; then
 * one-hot rows for categorical, class indices for sparse, [0, 1] for binary. Errors name the file
 * and the fix.
 */
import type * as tfjs from '@tensorflow/tfjs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import type { UserModelModule } from './modelFile';
import type { Tf } from './tfjs';
import { readTensor } from './readTensor';
import type { LossFn, Split } from './trainer';
import { fits, samplesText, shapeText } from './data';
import { CUSTOM_LOSS } from '../core/baseline';
import { fusedCategoricalCrossentropy, fusedLossEnabled } from './fusedLoss';
import { ownValue } from '../protocol/own';

// ---------------------------------------------------------------------------------------------
// Labels against the loss

function lossKey(name: string): string {
  return name.toLowerCase().replace(/[_\s-]/g, '');
}

/** tfjs-layers' name of a loss given by name, or undefined. */
function canonicalLoss(name: string): string | undefined {
  return ownValue(LOSS_NAMES, lossKey(name));
}

function valuesOf(tensor: tfjs.Tensor): Float32Array {
  return tensor.dataSync() as Float32Array;
}

/** Labels that fit the loss: one-hot rows for categorical, class indices for sparse, [0, 1] for binary. */
/** `origin[i]`: the index in loadData's own array of the split's sample i (a held-out split), so messages point at the user's data. */
export function checkLabels(tf: Tf, split: Split, lossName: string, model: tfjs.LayersModel, name: string, file: string, origin?: Int32Array): void {
  const output = model.outputs[0]?.shape ?? [null];
  const units = output[output.length - 1] ?? 1;
  const ys = split.ys;
  const key = lossKey(lossName);
  const fail = (message: string, fix: string): never => {
    throw new LrLabError('loss', message, { file, fix });
  };
  // Softmax over one unit is 1 whatever its input: every gradient is 0 and no LR trains it (a user's
  // binary classifier read "nothing learned yet: run more --steps", then "Even 1 is too high").
  const layer = outputLayerOf(model);
  const softmaxAxis = layer?.getClassName() === 'Softmax' ? layer.getConfig()['axis'] : -1;
  if (units === 1 && activationOf(model) === 'softmax' && (softmaxAxis === -1 || softmaxAxis === output.length - 1)) {
    throw new LrLabError('model-build', `The model's last layer (${layer?.getClassName() ?? 'layer'} '${layer?.name ?? ''}') applies softmax to 1 unit: softmax over one unit is always 1, whatever the input, so nothing can train it (every gradient is 0).`, {
      file,
      fix: key === 'binarycrossentropy' ? "For a binary classifier, give the last layer activation: 'sigmoid' (1 unit, labels 0/1)." : "For a binary classifier, use activation: 'sigmoid' with binaryCrossentropy; for C classes, give the last layer C units with softmax.",
    });
  }
  // A class per position (sequence tagging, segmentation): the output and the labels have extra
  // dimensions between the batch and the classes. Accuracy, the baseline and the label checks read one
  // label per sample, so such a model is refused with what LR Lab can tune instead.
  const perPosition = output.length > 2 && (key === 'categoricalcrossentropy' ? ys.rank === output.length : key === 'sparsecategoricalcrossentropy' && ys.rank >= output.length - 1 && ys.rank > 1 && ys.shape[1] !== 1);
  if (perPosition) {
    fail(
      `${lossName} with a class per position: the model outputs ${shapeText(output)} and ${name}.ys has shape ${samplesText(ys.shape)}; LR Lab tunes models with one label per sample.`,
      'Find the LR on a version of the model that predicts one class per sample (e.g. a pooling or last-step layer before the output, with one label per sequence or image), and use it for the per-position model.',
    );
  }
  if (key === 'sparsecategoricalcrossentropy') {
    if (ys.rank > 2 || (ys.rank === 2 && ys.shape[1] !== 1)) {
      fail(`${lossName} needs one class index per sample, but ${name}.ys has shape ${samplesText(ys.shape)}${ys.shape[1] === units ? ' (one-hot rows)' : ''}.`, 'Use categoricalCrossentropy for one-hot labels, or give class indices (tf.argMax(ys, -1)).');
    }
    const values = valuesOf(ys);
    const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= units);
    if (bad >= 0) {
      const v = values[bad]!;
      fail(
        `${lossName} needs class indices 0..${units - 1} (the model has ${units} output units), but ${name}.ys sample ${origin?.[bad] ?? bad} is ${v}.`,
        Number.isInteger(v) ? `Use class indices 0..${units - 1}, or give the last layer as many units as there are classes.` : 'Use integer class indices, or a regression loss such as meanSquaredError.',
      );
    }
    return;
  }
  if (key === 'categoricalcrossentropy') {
    if (ys.rank !== 2 || ys.shape[1] !== units) {
      fail(
        `${lossName} needs one-hot labels of shape [batch, ${units}], but ${name}.ys has shape ${samplesText(ys.shape)}.`,
        ys.rank === 1 || ys.shape[1] === 1 ? 'These look like class indices: use sparseCategoricalCrossentropy, or one-hot encode them with tf.oneHot(labels, units).' : `Match the last layer's ${units} units to the labels.`,
      );
    }
    const bad = readTensor(tf, () => {
      const outside = tf.logicalOr(tf.less(ys, 0), tf.greater(ys, 1));
      const rowOff = tf.greater(tf.abs(tf.sub(tf.sum(ys, -1), 1)), 1e-3);
      return tf.logicalOr(tf.any(outside, -1), rowOff);
    });
    const row = bad.findIndex((v) => v === 1);
    if (row >= 0) {
      const values = Array.from(readTensor(tf, () => tf.slice(ys, row, 1))).map((v) => Number(v.toFixed(4)));
      fail(`${lossName} needs one-hot rows (probabilities summing to 1), but ${name}.ys sample ${origin?.[row] ?? row} is [${values.join(', ')}].`, 'One-hot encode class indices with tf.oneHot(labels, units); for several labels per sample use sigmoid outputs with binaryCrossentropy.');
    }
    return;
  }
  if (key === 'binarycrossentropy') {
    const values = valuesOf(ys);
    const bad = values.findIndex((v) => v < 0 || v > 1);
    const perSample = Math.max(1, values.length / Math.max(1, split.count));
    // At the user's own index (a split held out of loadData's train reads through `origin`), as the class-index check does.
    const sample = Math.floor(bad / perSample);
    if (bad >= 0) fail(`${lossName} needs labels in [0, 1], but ${name}.ys sample ${origin?.[sample] ?? sample} holds ${values[bad]}.`, 'Use 0/1 labels, or a loss that fits the labels (sparseCategoricalCrossentropy for class indices, meanSquaredError for values).');
    // One label per sample under a 2-unit softmax read "internal error: logits and labels must have the same shape" at the first step.
    if (!fits(ys.shape, output)) {
      fail(
        `${lossName} compares each label with one output unit, but ${name}.ys has shape ${samplesText(ys.shape)} and the model outputs ${shapeText(output)}.`,
        (ys.rank === 1 || ys.shape[1] === 1) && units > 1
          ? `For one 0/1 label per sample, give the last layer 1 unit with activation 'sigmoid'; for ${units} classes, one-hot the labels (tf.oneHot(labels, ${units})) and use categoricalCrossentropy with softmax.`
          : 'Give labels with the shape of the model output (one 0/1 value per output unit), or change the last layer.',
      );
    }
    return;
  }
  if (!fits(ys.shape, output)) {
    throw new LrLabError('shape', `${lossName} compares labels with the model output element by element, but ${name}.ys has shape ${samplesText(ys.shape)} and the model outputs ${shapeText(output)}.`, {
      file,
      fix: ys.rank === 1 || ys.shape[1] === 1 ? 'For class indices use sparseCategoricalCrossentropy; otherwise give labels with the output shape.' : 'Give labels with the shape of the model output, or change the last layer.',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The loss: the file's export, else model.compile's, else inferred

/** tfjs-layers' loss names (what model.compile accepts), with common short names. */
const LOSS_NAMES: Readonly<Record<string, string>> = {
  meansquarederror: 'meanSquaredError',
  mse: 'meanSquaredError',
  meanabsoluteerror: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  meanabsolutepercentageerror: 'meanAbsolutePercentageError',
  mape: 'meanAbsolutePercentageError',
  meansquaredlogarithmicerror: 'meanSquaredLogarithmicError',
  msle: 'meanSquaredLogarithmicError',
  squaredhinge: 'squaredHinge',
  hinge: 'hinge',
  categoricalhinge: 'categoricalHinge',
  logcosh: 'logcosh',
  categoricalcrossentropy: 'categoricalCrossentropy',
  sparsecategoricalcrossentropy: 'sparseCategoricalCrossentropy',
  binarycrossentropy: 'binaryCrossentropy',
  kullbackleiblerdivergence: 'kullbackLeiblerDivergence',
  kld: 'kullbackLeiblerDivergence',
  poisson: 'poisson',
  cosineproximity: 'cosineProximity',
};

export interface ResolvedLoss {
  readonly fn: LossFn;
  readonly name: string;
  readonly source: 'export' | 'compile' | 'inferred';
  /** For messages: where the loss came from. */
  readonly reason: string;
}

type LayersLossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

const layersLosses = new WeakMap<object, Map<string, LayersLossFn>>();

/**
 * tfjs-layers keeps its loss table private; compiling a weightless scratch model with the name is
 * the supported way to get exactly the function `model.fit` would use. Zero initializers: no
 * draw from the (possibly seeded) Math.random.
 */
export function layersLoss(tf: Tf, canonical: string): LayersLossFn {
  let cache = layersLosses.get(tf.sequential);
  if (cache === undefined) {
    cache = new Map();
    layersLosses.set(tf.sequential, cache);
  }
  const known = cache.get(canonical);
  if (known !== undefined) return known;
  // A functional model: a Sequential keeps lossFunctions on an inner model.
  const input = tf.input({ shape: [1] });
  const output = tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'zeros' }).apply(input) as tfjs.SymbolicTensor;
  const scratch = tf.model({ inputs: input, outputs: output });
  try {
    scratch.compile({ optimizer: 'sgd', loss: canonical });
    const fn: LayersLossFn = scratch.lossFunctions[0]!;
    cache.set(canonical, fn);
    return fn;
  } finally {
    const optimizer = scratch.optimizer as tfjs.Optimizer | undefined;
    scratch.dispose();
    optimizer?.dispose();
  }
}

function meanOf(tf: Tf, fn: (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor): LossFn {
  return (yTrue, yPred) => tf.tidy(() => tf.mean(fn(yTrue, yPred)));
}

/** What a user's loss or metric returned instead of a tensor of numbers, for the message. */
function returnedText(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return `the number ${value} (a plain number carries no gradient)`;
  const dtype = typeof value === 'object' ? (value as { dtype?: unknown }).dtype : undefined;
  if (dtype === 'string') return 'a string tensor';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'Object'})` : `a ${typeof value}`;
}

/**
 * A user's loss or metric function (`what`: "The loss function in model.compile"), checked for what it
 * returns each time it runs. A body in braces without `return` gives undefined, which tfjs's mean
 * reported as "Argument 'x' passed to 'mean' must be a Tensor or TensorLike, but got 'null'" — an
 * internal error of LR Lab's, to the user.
 */
export function returningTensor(fn: (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor, what: string, file?: string): (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor {
  return (yTrue, yPred) => {
    const out: unknown = fn(yTrue, yPred);
    const tensor = typeof out === 'object' && out !== null && typeof (out as { dataSync?: unknown }).dataSync === 'function' && Array.isArray((out as { shape?: unknown }).shape);
    if (tensor && (out as { dtype?: unknown }).dtype !== 'string') return out as tfjs.Tensor;
    throw new LrLabError('loss', `${what} returned ${returnedText(out)}, not a tensor of numbers.`, {
      ...(file === undefined ? {} : { file }),
      fix: 'Return the tensor it computes: a function body in braces needs `return` ((yTrue, yPred) => { return tf.losses.meanSquaredError(yTrue, yPred); }).',
    });
  };
}

function namedLoss(tf: Tf, name: string, file: string, source: ResolvedLoss['source'], reason: string): ResolvedLoss {
  const canonical = canonicalLoss(name);
  if (canonical === undefined) {
    const names = [...new Set(Object.values(LOSS_NAMES))].join(', ');
    throw new LrLabError('loss', `Unknown loss '${name}' (${reason}).`, { file, fix: `Use one of ${names}, or export a loss function (yTrue, yPred) => tensor.` });
  }
  // The categorical cross-entropy of model.fit as one taped op: the same numbers, ~40 fewer kernels a step (fusedLoss.ts).
  const fn = canonical === 'categoricalCrossentropy' && fusedLossEnabled() ? fusedCategoricalCrossentropy(tf) : meanOf(tf, layersLoss(tf, canonical));
  return { fn, name: canonical, source, reason };
}

/** The layer whose output the loss reads: the first output layer, else the last layer. */
function outputLayerOf(model: tfjs.LayersModel): tfjs.layers.Layer | undefined {
  // tfjs types outputLayers as always set; a Sequential not yet built has none.
  const outputLayers: readonly tfjs.layers.Layer[] | undefined = model.outputLayers;
  return outputLayers?.[0] ?? model.layers[model.layers.length - 1];
}

/** The output layer's activation ('softmax' for a Softmax layer; 'linear' where none is named). */
export function activationOf(model: tfjs.LayersModel): string {
  const layer = outputLayerOf(model);
  if (layer === undefined) return 'linear';
  if (layer.getClassName() === 'Softmax') return 'softmax';
  const activation = layer.getConfig()['activation'];
  return typeof activation === 'string' ? activation : 'linear';
}

/**
 * A logits loss (`tf.losses.softmaxCrossEntropy`, `sigmoidCrossEntropy`) on a model whose last layer
 * already applies that activation: the warning, else `null`. The outputs are squashed twice, so the
 * loss cannot reach 0 and its gradients shrink (on a 10-class CNN every short run tied at one floor).
 */
export function doubleActivation(lossName: string, model: tfjs.LayersModel): string | null {
  const key = lossKey(lossName);
  const pair = key === 'softmaxcrossentropy' ? (['softmax', 'categoricalCrossentropy'] as const) : key === 'sigmoidcrossentropy' ? (['sigmoid', 'binaryCrossentropy'] as const) : null;
  if (pair === null || activationOf(model) !== pair[0]) return null;
  return `The model's last layer applies ${pair[0]}, and its loss, tf.losses.${lossName}, applies ${pair[0]} again (it takes logits): the outputs are squashed twice, so the loss cannot reach 0 and its gradients shrink. Drop the last layer's activation (apply ${pair[0]} when predicting), or use the loss '${pair[1]}'.`;
}

/** Last layers whose own activation is the model's output's (a custom layer's may squash without saying so). */
const ACTIVATED_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose', 'Activation', 'SimpleRNN', 'GRU', 'LSTM', 'TimeDistributed']);

/**
 * A cross-entropy that takes probabilities on a last layer without the activation that makes them
 * (a linear Dense under categoricalCrossentropy): the warning, else `null`. tfjs divides such outputs
 * by their sum and clips them, so the loss is not the model's cross-entropy (negative outputs, sums
 * near 0), and training stalls or turns NaN; nothing said so.
 */
export function missingActivation(lossName: string, model: tfjs.LayersModel): string | null {
  const key = lossKey(lossName);
  const wants = key === 'categoricalcrossentropy' || key === 'sparsecategoricalcrossentropy' ? 'softmax' : key === 'binarycrossentropy' ? 'sigmoid' : null;
  if (wants === null) return null;
  const layer = outputLayerOf(model);
  if (layer === undefined || !ACTIVATED_LAYERS.has(layer.getClassName())) return null;
  if (activationOf(model) !== 'linear') return null;
  const logits = wants === 'softmax' ? 'tf.losses.softmaxCrossEntropy' : 'tf.losses.sigmoidCrossEntropy';
  return `The model's last layer (${layer.getClassName()} '${layer.name}') has no activation, but its loss, ${lossName}, takes probabilities: its outputs can be negative and need not sum to 1, so what tfjs computes (the outputs clipped${wants === 'softmax' ? ' and divided by their sum' : ''}) is not the model's cross-entropy, and training stalls or turns NaN. Give the last layer activation: '${wants}', or keep it linear and train with a loss that takes logits (${logits}).`;
}

/**
 * A loss function's own name; none (an arrow) or the `loss` key's it was given under: CUSTOM_LOSS.
 * tfjs's own ops carry their op scope (`tf.losses.huberLoss` is named `huberLoss__op`): the name
 * without it, so a message says 'huberLoss' and `tf.losses.meanSquaredError` gets its baseline.
 */
function customLossName(fn: { readonly name: string }): string {
  const name = fn.name.replace(/__op$/, '');
  return name === '' || name === 'loss' ? CUSTOM_LOSS : name;
}

/**
 * The loss to minimise, as a scalar-valued function and its name: the model file's `loss`
 * export, else the loss of its `model.compile`, else inferred from the output layer and labels
 * (softmax + one-hot → categoricalCrossentropy, softmax + class indices →
 * sparseCategoricalCrossentropy, sigmoid → binaryCrossentropy, otherwise meanSquaredError).
 */
/** Said in every result whose loss was inferred: the model came without one (not compiled, no loss export). */
export function inferredLossWarning(loss: ResolvedLoss, fix: string): string {
  return `The model has no loss of its own (it is not compiled): LR Lab trains it with ${loss.name}, ${loss.reason}. ${fix}`;
}

/** The (first output's) loss `model.compile` was given: a name, a function, or undefined before compile, whatever tfjs's type says. */
function compiledLoss(model: tfjs.LayersModel): unknown {
  const compiled: unknown = model.loss;
  return Array.isArray(compiled) ? (compiled[0] as unknown) : typeof compiled === 'object' && compiled !== null ? (Object.values(compiled)[0] as unknown) : compiled;
}

/**
 * Where the model file's `loss` export and its `model.compile` name different losses, the export is the
 * one LR Lab trains with: say so (a user's export 'meanSquaredError' on a model compiled with
 * 'categoricalCrossentropy' trained a classifier on squared error without a word). `null` where they
 * agree, or either is missing or a function.
 */
export function lossExportConflict(mod: UserModelModule, model: tfjs.LayersModel): string | null {
  const exported = mod.loss;
  const first = compiledLoss(model);
  // tfjs-layers' short names are the same losses ('mse' is meanSquaredError).
  const canonical = (name: string): string => canonicalLoss(name) ?? lossKey(name);
  if (typeof exported !== 'string' || typeof first !== 'string' || canonical(exported) === canonical(first)) return null;
  return `${path.basename(mod.file)} exports loss '${exported}' and compiles the model with '${first}': LR Lab trains with the export, '${exported}' (model.fit would use '${first}'). Remove the one you do not mean, so that both agree.`;
}

export function resolveLoss(tf: Tf, mod: UserModelModule, model: tfjs.LayersModel, ys?: tfjs.Tensor): ResolvedLoss {
  const file = mod.file;
  const exported = mod.loss;
  if (typeof exported === 'function') {
    return { fn: meanOf(tf, returningTensor(exported, `The loss export of ${path.basename(file)}`, file)), name: customLossName(exported), source: 'export', reason: `the loss export of ${path.basename(file)}` };
  }
  if (typeof exported === 'string') return namedLoss(tf, exported, file, 'export', `the loss export of ${path.basename(file)}`);
  const first = compiledLoss(model);
  if (typeof first === 'string') return namedLoss(tf, first, file, 'compile', 'the loss in model.compile');
  if (typeof first === 'function') {
    const fn = first as LayersLossFn;
    return { fn: meanOf(tf, returningTensor(fn, 'The loss function in model.compile', file)), name: customLossName(fn), source: 'compile', reason: 'the loss function in model.compile' };
  }
  const activation = activationOf(model);
  const units = model.outputs[0]?.shape.at(-1) ?? 1;
  if (activation === 'softmax') {
    const oneHot = ys === undefined || (ys.rank === 2 && ys.shape[1] === units && units > 1);
    return oneHot
      ? namedLoss(tf, 'categoricalCrossentropy', file, 'inferred', 'inferred from the softmax output and one-hot labels')
      : namedLoss(tf, 'sparseCategoricalCrossentropy', file, 'inferred', 'inferred from the softmax output and class-index labels');
  }
  if (activation === 'sigmoid') return namedLoss(tf, 'binaryCrossentropy', file, 'inferred', 'inferred from the sigmoid output');
  return namedLoss(tf, 'meanSquaredError', file, 'inferred', `inferred from the ${activation} output`);
}
