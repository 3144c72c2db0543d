/**
 * The engine's training loop primitives: one optimizer step on a batch, and evaluation on a
 * fixed subset. Experiments (range test, sweeps, training runs) drive these per batch with a
 * core schedule. Every step runs inside `tidy`/`variableGrads` and disposes what it made, so
 * `tf.memory().numTensors` stays flat across steps (tested).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { OptimizerSettings, TrainableVariable } from './optimizer';
import { EngineOptimizer, decaysByDefault } from './optimizer';
import type { Tf } from './tfjs';
import type { MetricSpec } from './metrics';
import { gatherBatch, sliceRows } from './batches';

export type LossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

/** Samples per forward pass when evaluating (no gradients: larger than training batches, bounded in memory). */
export const EVAL_BATCH_SIZE = 256;

/**
 * How accuracy is read off predictions, from the loss in use (`null`: no accuracy, e.g. regression).
 * `sign`: a hinge loss's margins, positive above 0 (labels -1/1 or 0/1), where `binary` reads
 * probabilities, positive above 0.5: a hinge output of 0.3 is a positive prediction. Also the logits
 * of `tf.losses.sigmoidCrossEntropy`.
 */
export type AccuracyKind = 'categorical' | 'sparse' | 'binary' | 'sign' | null;

export function accuracyKindOf(lossName: string): AccuracyKind {
  const name = lossName.toLowerCase().replace(/[_\s]/g, '');
  // tf.losses' logits ops: argmax reads logits as it reads probabilities; a sigmoid's logit is positive above 0.
  if (name === 'softmaxcrossentropy') return 'categorical';
  if (name === 'sigmoidcrossentropy') return 'sign';
  if (name === 'logloss') return 'binary';
  if (name.includes('sparsecategorical')) return 'sparse';
  if (name.includes('categorical')) return 'categorical';
  if (name === 'hinge' || name === 'squaredhinge') return 'sign';
  if (name.includes('binary')) return 'binary';
  return null;
}

export interface Split {
  readonly xs: tfjs.Tensor;
  readonly ys: tfjs.Tensor;
  readonly count: number;
}

export interface TrainerOptions {
  readonly optimizer: OptimizerSettings;
  /** Decay every trainable weight, not only kernels (method.md: kernels only unless asked). */
  readonly decayAll?: boolean;
  /** The model's metrics: evaluated in `evaluate`, and on the training batches with `trainMetrics`. */
  readonly metrics?: readonly MetricSpec[];
  /** Also compute the metrics on each training batch (read with `takeTrainMetrics`). */
  readonly trainMetrics?: boolean;
}

/** Metric name → value; `null` when not finite. */
export type MetricValues = Record<string, number | null>;

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number | null;
  readonly metrics: MetricValues;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * A mean of float32 metric values to the 7 significant digits float32 carries: the float noise below them
 * read as data (`valMetrics.accuracy` 0.5400000381469726 beside `valAccuracy` 0.54 for the same epoch).
 */
function float32Digits(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(7)) : x;
}

/**
 * Runs a step's `variableGrads` so that a failure leaks nothing: tfjs keeps the tensors its backward
 * pass needs (the forward's activations) until that pass ends, and a pass that throws — a gradient
 * kernel the backend lacks (stock tfjs-backend-wasm has no `Conv2DBackpropFilter`) — left them all,
 * with the forward's output: a library user's conv net on wasm leaked 19 tensors (200 KB) per findLr
 * call that failed so. The step is synchronous, so the scope holds only its own tensors.
 */
function withTapeReleased<T>(tf: Tf, kept: { metrics: tfjs.Tensor | null; data: tfjs.Tensor | null }, step: () => T): T {
  const engine = tf.engine();
  engine.startScope();
  let result: T;
  try {
    result = step();
  } catch (error) {
    // tfjs's own state: the tape of the gradient that failed, which only a finished backward pass clears.
    const state = (engine as unknown as { state: { gradientDepth: number; activeTape: { saved?: tfjs.Tensor[] }[] | null } }).state;
    if (state.gradientDepth === 0 && state.activeTape !== null) {
      for (const node of state.activeTape) tf.dispose(node.saved ?? []);
      state.activeTape = null;
    }
    tf.dispose([kept.metrics, kept.data].filter((t) => t !== null));
    kept.metrics = null;
    kept.data = null;
    engine.endScope();
    throw error;
  }
  engine.endScope(result as tfjs.TensorContainer);
  return result;
}

export class Trainer {
  readonly optimizer: EngineOptimizer;
  private readonly variables: tfjs.Variable[];
  private readonly metrics: readonly MetricSpec[];
  private readonly trainMetrics: boolean;
  /** Sums of each metric over the training batches since the last `takeTrainMetrics`. */
  private trainMetricSums: number[];
  private trainMetricBatches = 0;
  /**
   * Whether the model has regularizers of its own (kernelRegularizer etc.): their terms join the
   * loss the optimizer minimizes, and are summed apart (`takePenalty`), for `step` returns the data
   * loss alone — what the validation loss, the baselines and the plots measure. tfjs's own fit logs
   * count the penalty in the training loss only: a model with L2 0.05 read a training loss of 1.98
   * against a validation loss of 1.31 and a chance level of 1.39, and "fits its training set no
   * better than it generalizes".
   */
  get penalized(): boolean {
    return this.sawPenalty;
  }
  /** Set by the first step with regularization terms (an uncompiled Sequential has none before it is built). */
  private sawPenalty = false;
  private penaltySum = 0;
  private penaltyBatches = 0;

  constructor(
    private readonly tf: Tf,
    readonly model: tfjs.LayersModel,
    private readonly loss: LossFn,
    private readonly accuracy: AccuracyKind,
    options: TrainerOptions,
  ) {
    const params: TrainableVariable[] = model.trainableWeights.map((w) => ({
      variable: w.read() as tfjs.Variable,
      decay: options.decayAll === true || decaysByDefault(w.originalName),
    }));
    this.variables = params.map((p) => p.variable);
    this.optimizer = new EngineOptimizer(tf, params, options.optimizer.name, options.optimizer);
    this.metrics = options.metrics ?? [];
    this.trainMetrics = options.trainMetrics === true && this.metrics.length > 0;
    this.trainMetricSums = this.metrics.map(() => 0);
  }

  /**
   * The mean of the model's own regularization terms over the steps since the last call (what they
   * added to the loss the optimizer minimized); `null` for a model without regularizers or no step.
   */
  takePenalty(): number | null {
    const mean = this.penaltyBatches > 0 ? this.penaltySum / this.penaltyBatches : null;
    this.penaltySum = 0;
    this.penaltyBatches = 0;
    return mean === null ? null : finiteOrNull(mean);
  }

  /** Each metric's batch mean as one tensor (read with one `dataSync`). */
  private metricValues(ys: tfjs.Tensor, prediction: tfjs.Tensor): tfjs.Tensor1D {
    const tf = this.tf;
    return tf.stack(this.metrics.map((m) => tf.mean(m.fn(ys, prediction)))) as tfjs.Tensor1D;
  }

  /** The mean of each metric over the training batches since the last call (training mode, like Keras' epoch logs). */
  takeTrainMetrics(): MetricValues {
    const out: MetricValues = {};
    if (!this.trainMetrics) return out;
    this.metrics.forEach((m, i) => {
      out[m.name] = this.trainMetricBatches === 0 ? null : finiteOrNull(this.trainMetricSums[i]! / this.trainMetricBatches);
    });
    this.trainMetricSums = this.metrics.map(() => 0);
    this.trainMetricBatches = 0;
    return out;
  }

  /** The user's own regularizers (kernelRegularizer etc.) are part of the loss we minimise. */
  private regularization(): tfjs.Scalar[] {
    return this.model.calculateLosses();
  }

  /**
   * One forward/backward/update on a batch; returns the batch's data loss, without the model's own
   * regularization terms (those are minimized too, and summed for `takePenalty`). NaN/Inf are
   * returned, not thrown: NaN where the minimized total is not finite.
   */
  step(xs: tfjs.Tensor, ys: tfjs.Tensor): number {
    const tf = this.tf;
    const kept: { metrics: tfjs.Tensor1D | null; data: tfjs.Scalar | null } = { metrics: null, data: null };
    const { value, grads } = withTapeReleased(tf, kept, () => tf.variableGrads(() => {
      const prediction = this.model.apply(xs, { training: true }) as tfjs.Tensor;
      // LR Lab's losses are batch means already (a scalar): a mean of one value would only add kernels.
      const raw = this.loss(ys, prediction);
      const data = (raw.rank === 0 ? raw : tf.mean(raw)) as tfjs.Scalar;
      let total = data;
      const extras = this.regularization();
      if (extras.length > 0) {
        for (const extra of extras) total = tf.add(total, extra);
        kept.data = tf.keep(data);
      }
      // Off the gradient path: kept past the tape's tidy, read and disposed below.
      if (this.trainMetrics) kept.metrics = tf.keep(this.metricValues(ys, prediction));
      return total;
    }, this.variables));
    const minimized = value.dataSync()[0] ?? Number.NaN;
    value.dispose();
    let loss = minimized;
    if (kept.data !== null) {
      this.sawPenalty = true;
      const data = kept.data.dataSync()[0] ?? Number.NaN;
      kept.data.dispose();
      if (Number.isFinite(minimized) && Number.isFinite(data)) {
        this.penaltySum += minimized - data;
        this.penaltyBatches++;
        loss = data;
      } else loss = Number.NaN;
    }
    if (kept.metrics !== null) {
      const values = kept.metrics.dataSync();
      kept.metrics.dispose();
      if (Number.isFinite(loss)) {
        values.forEach((v, i) => (this.trainMetricSums[i]! += v));
        this.trainMetricBatches++;
      }
    }
    if (Number.isFinite(loss)) {
      this.optimizer.step(this.variables.map((v) => grads[v.name]!));
    }
    tf.dispose(grads);
    return loss;
  }

  /** One step on the samples at `indices` of a split (rows copied straight into the batch: batches.ts). */
  stepOn(split: Split, indices: Int32Array): number {
    const [xs, ys] = gatherBatch(this.tf, split.xs, split.ys, indices);
    try {
      return this.step(xs, ys);
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }

  /**
   * Mean loss, accuracy and the model's metrics over the first `limit` samples of a split, in
   * batches of EVAL_BATCH_SIZE, dropout off; one read per batch. Metrics are batch means weighted
   * by batch size (exact for per-sample metrics; precision, recall and r2Score are per-batch ratios).
   */
  evaluate(split: Split, limit = split.count, batchSize = EVAL_BATCH_SIZE): Evaluation {
    const tf = this.tf;
    const count = Math.min(limit, split.count);
    const sums = new Array<number>(2 + this.metrics.length).fill(0);
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start);
      const [xs, ys] = sliceRows(tf, split.xs, split.ys, start, size);
      let values: Float32Array | Int32Array | Uint8Array;
      try {
        values = tf.tidy(() => {
          const prediction = this.model.apply(xs, { training: false }) as tfjs.Tensor;
          const parts: tfjs.Tensor[] = [tf.reshape(tf.mean(this.loss(ys, prediction)), [1]), tf.reshape(this.correct(ys, prediction) ?? tf.scalar(0), [1])];
          if (this.metrics.length > 0) parts.push(tf.mul(this.metricValues(ys, prediction), size));
          return tf.concat(parts).dataSync();
        });
      } finally {
        xs.dispose();
        ys.dispose();
      }
      sums[0]! += values[0]! * size;
      for (let i = 1; i < sums.length; i++) sums[i]! += values[i]!;
    }
    const metrics: MetricValues = {};
    this.metrics.forEach((m, i) => {
      metrics[m.name] = count === 0 ? null : finiteOrNull(float32Digits(sums[2 + i]! / count));
    });
    return { loss: sums[0]! / count, accuracy: this.accuracy === null ? null : sums[1]! / count, metrics };
  }

  private correct(ys: tfjs.Tensor, prediction: tfjs.Tensor): tfjs.Tensor | null {
    const tf = this.tf;
    // Every sample counts once, as the share of its labels right (tfjs's accuracies): a multi-label
    // model with five sigmoid outputs read 434% summed over labels; a class per position (a
    // categorical hinge over a sequence; the cross-entropies refuse such models at load) read 0.70
    // over 4 steps where 17.5% were right.
    const perSample = (right: tfjs.Tensor): tfjs.Tensor => (right.rank < 2 ? tf.sum(right) : tf.sum(tf.mean(tf.reshape(right, [right.shape[0], -1]), -1)));
    switch (this.accuracy) {
      case 'categorical':
        return perSample(tf.cast(tf.equal(tf.argMax(ys, -1), tf.argMax(prediction, -1)), 'float32'));
      case 'sparse':
        return tf.sum(tf.cast(tf.equal(tf.cast(tf.reshape(ys, [-1]), 'int32'), tf.argMax(prediction, -1)), 'float32'));
      case 'binary':
      case 'sign': {
        const at = this.accuracy === 'sign' ? 0 : 0.5;
        return perSample(tf.cast(tf.equal(tf.greater(ys, at), tf.greater(prediction, at)), 'float32'));
      }
      default:
        return null;
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
