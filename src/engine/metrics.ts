/**
 * The model's own metrics, by the names the user gave them: the model file's `metrics` export,
 * else its `model.compile({ metrics })`. Each becomes a function the trainer evaluates per batch
 * (`Trainer.evaluate`, and the training steps of a run that asks for it); results are keyed
 * exactly by the given name (`['mae']` → `valMetrics.mae`, `'acc'` stays `acc`).
 *
 * `accuracy`/`acc` and `crossentropy`/`ce` resolve like tfjs-layers' compile: binary when the
 * output has one unit or the loss is binary cross-entropy, sparse for sparse categorical
 * cross-entropy, else categorical; for a hinge or squared hinge, the sign of the margin (tfjs's
 * binaryAccuracy counts no -1 label right), and of the logit for tf.losses.sigmoidCrossEntropy. Other names: tfjs's metric functions, case-insensitively,
 * with their long and short names. A name LR Lab cannot compute is skipped with a warning.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from './tfjs';
import { returningTensor } from './loss';
import { ownValue } from '../protocol/own';

export type MetricFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

export interface MetricSpec {
  /** The key in `metrics`/`valMetrics`: the name as the user wrote it (a function's own name). */
  readonly name: string;
  readonly fn: MetricFn;
  /** What to know when reading its numbers (`train` says it beside its columns; runs that show no metrics do not). */
  readonly note?: string;
}

type MetricsNamespace = Tf['metrics'];
type MetricName = keyof MetricsNamespace;

/** Lower-cased names (and tfjs-layers' aliases) → the tf.metrics function. */
const BY_NAME: Readonly<Record<string, MetricName>> = {
  mse: 'meanSquaredError',
  meansquarederror: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  meanabsoluteerror: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  meanabsolutepercentageerror: 'meanAbsolutePercentageError',
  cosine: 'cosineProximity',
  cosineproximity: 'cosineProximity',
  binaryaccuracy: 'binaryAccuracy',
  categoricalaccuracy: 'categoricalAccuracy',
  sparsecategoricalaccuracy: 'sparseCategoricalAccuracy',
  binarycrossentropy: 'binaryCrossentropy',
  categoricalcrossentropy: 'categoricalCrossentropy',
  precision: 'precision',
  recall: 'recall',
  r2score: 'r2Score',
};

const KNOWN_METRICS = 'accuracy, acc, crossentropy, ce, mse, mae, mape, cosine, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, binaryCrossentropy, categoricalCrossentropy, precision, recall, r2Score';

function key(name: string): string {
  return name.toLowerCase().replace(/[_\s-]/g, '');
}

/** A metric name LR Lab computes (KNOWN_METRICS, in any case, with or without _ and -). */
export function isKnownMetricName(name: string): boolean {
  const k = key(name);
  return k in BY_NAME || ['accuracy', 'acc', 'crossentropy', 'ce'].includes(k);
}

/** The metric names/functions of `model.compile` (first output when given per output). */
/** The metrics model.compile was given (the first output's, where they are per output): names and functions. */
export function compiledMetrics(model: tfjs.LayersModel): unknown[] {
  // tfjs keeps the compiled metrics on the model without declaring them in its types.
  const metrics: unknown = Reflect.get(model, 'metrics');
  if (metrics === undefined || metrics === null) return [];
  if (Array.isArray(metrics)) return metrics as unknown[];
  if (typeof metrics === 'string' || typeof metrics === 'function') return [metrics];
  if (typeof metrics === 'object') {
    const first = Object.values(metrics as Record<string, unknown>)[0];
    return first === undefined ? [] : Array.isArray(first) ? (first as unknown[]) : [first];
  }
  return [];
}

/**
 * A hinge model's accuracy: the share of outputs whose margin is on its label's side (margin above
 * 0 against label above 0), per sample the mean over its outputs. tfjs-layers resolves `accuracy` to
 * `binaryAccuracy` here, which rounds at 0.5 and compares with the label itself: a -1 label is never right.
 */
function signAccuracy(tf: Tf): MetricFn {
  return (yTrue, yPred) => tf.mean(tf.cast(tf.equal(tf.greater(yTrue, 0), tf.greater(yPred, 0)), 'float32'), -1);
}

export interface ResolvedMetrics {
  readonly metrics: readonly MetricSpec[];
  readonly warnings: readonly string[];
}

/**
 * The metrics to report: `exported` (the model file's export) when given, else the compile's.
 * `lossName` and `outputUnits` decide what `accuracy` means, as in tfjs-layers.
 */
export function resolveMetrics(tf: Tf, exported: readonly string[] | undefined, model: tfjs.LayersModel, lossName: string, outputUnits: number): ResolvedMetrics {
  const given: unknown[] = exported !== undefined ? [...exported] : compiledMetrics(model);
  const metrics: MetricSpec[] = [];
  const warnings: string[] = [];
  const loss = key(lossName);
  const flavour = outputUnits === 1 || loss === 'binarycrossentropy' ? 'binary' : loss === 'sparsecategoricalcrossentropy' ? 'sparse' : 'categorical';
  // Outputs positive above 0, where tfjs's binaryAccuracy rounds at 0.5: a hinge's margins, a sigmoid's logits.
  const signed =
    loss === 'hinge' || loss === 'squaredhinge'
      ? { outputs: 'margins (above 0: positive; labels -1/1 or 0/1)', fit: 'thresholds at 0.5 and counts no -1 label right' }
      : loss === 'sigmoidcrossentropy'
        ? { outputs: 'logits (above 0: positive)', fit: 'thresholds the logits at 0.5' }
        : null;
  for (const item of given) {
    if (typeof item === 'function') {
      const fn = item as MetricFn;
      const name = fn.name === '' ? `metric${metrics.length + 1}` : fn.name;
      if (!metrics.some((m) => m.name === name)) metrics.push({ name, fn: returningTensor(fn, `The metric ${name}${exported !== undefined ? ' (the metrics export)' : ' (model.compile)'}`) });
      continue;
    }
    if (typeof item !== 'string') continue;
    if (metrics.some((m) => m.name === item)) continue;
    const k = key(item);
    let fn: MetricFn | undefined;
    if ((k === 'accuracy' || k === 'acc') && signed !== null) {
      fn = signAccuracy(tf);
      warnings.push(`'${item}' of a ${lossName} model is read from the sign of its ${signed.outputs}, as LR Lab's short runs read it; tfjs's model.fit ${signed.fit}, so it shows another number.`);
    } else if (k === 'accuracy' || k === 'acc') {
      fn = flavour === 'binary' ? tf.metrics.binaryAccuracy : flavour === 'sparse' ? tf.metrics.sparseCategoricalAccuracy : tf.metrics.categoricalAccuracy;
    } else if (k === 'crossentropy' || k === 'ce') {
      fn = flavour === 'binary' ? tf.metrics.binaryCrossentropy : flavour === 'categorical' ? tf.metrics.categoricalCrossentropy : undefined;
    } else {
      const name = ownValue(BY_NAME, k);
      fn = name === undefined ? undefined : (tf.metrics[name]);
    }
    if (fn === undefined) {
      warnings.push(`The metric '${item}' is not one LR Lab can compute (known: ${KNOWN_METRICS}); it is left out.`);
      continue;
    }
    // tfjs's own precision and recall compare outputs to exactly 1 and 0 (tfjs-layers metrics.js
    // truePositives): a sigmoid's probabilities count as neither, so a model at 95% accuracy read 0.0%.
    metrics.push({ name: item, fn, ...(k === 'precision' || k === 'recall' ? { note: unthresholdedNote(item, k) } : {}) });
  }
  return { metrics, warnings };
}

/** Why tfjs's `precision`/`recall` read 0% beside a high accuracy, and the metric that thresholds. */
export function unthresholdedNote(name: string, which: 'precision' | 'recall'): string {
  const counted = which === 'precision' ? 'an output of exactly 1' : 'an output of exactly 1 or exactly 0';
  return `'${name}' is tfjs's own ${which}, which counts only ${counted} as a prediction: it does not threshold probabilities at 0.5 as Keras does, so a sigmoid's outputs read near 0% however well the model does (model.fit shows the same). For ${which} at 0.5, give a metric function that thresholds, e.g. (y, p) => tf.metrics.${which}(y, tf.cast(tf.greater(p, 0.5), 'float32')).`;
}
