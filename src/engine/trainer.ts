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
import { gatherBatch } from './batches';

export type LossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

/** Samples per forward pass when evaluating (no gradients: larger than training batches, bounded in memory). */
export const EVAL_BATCH_SIZE = 256;

/** How accuracy is read off predictions, from the loss in use (`null`: no accuracy, e.g. regression). */
export type AccuracyKind = 'categorical' | 'sparse' | 'binary' | null;

export function accuracyKindOf(lossName: string): AccuracyKind {
  const name = lossName.toLowerCase().replace(/[_\s]/g, '');
  if (name.includes('sparsecategorical')) return 'sparse';
  if (name.includes('categorical')) return 'categorical';
  if (name.includes('binary') || name === 'hinge' || name === 'squaredhinge') return 'binary';
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
}

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number | null;
}

export class Trainer {
  readonly optimizer: EngineOptimizer;
  private readonly variables: tfjs.Variable[];

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
  }

  /** The user's own regularizers (kernelRegularizer etc.) are part of the loss we minimise. */
  private regularization(): tfjs.Scalar[] {
    return this.model.calculateLosses();
  }

  /** One forward/backward/update on a batch; returns the batch loss (NaN/Inf are returned, not thrown). */
  step(xs: tfjs.Tensor, ys: tfjs.Tensor): number {
    const tf = this.tf;
    const { value, grads } = tf.variableGrads(() => {
      const prediction = this.model.apply(xs, { training: true }) as tfjs.Tensor;
      let total = tf.mean<tfjs.Scalar>(this.loss(ys, prediction));
      for (const extra of this.regularization()) total = tf.add(total, extra);
      return total;
    }, this.variables);
    const loss = value.dataSync()[0] ?? Number.NaN;
    value.dispose();
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

  /** Mean loss (and accuracy) over the first `limit` samples of a split, in batches of EVAL_BATCH_SIZE, dropout off. */
  evaluate(split: Split, limit = split.count, batchSize = EVAL_BATCH_SIZE): Evaluation {
    const tf = this.tf;
    const count = Math.min(limit, split.count);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start);
      const [batchLoss, batchCorrect] = tf.tidy(() => {
        const xs = tf.slice(split.xs, start, size);
        const ys = tf.slice(split.ys, start, size);
        const prediction = this.model.apply(xs, { training: false }) as tfjs.Tensor;
        const l = tf.mean(this.loss(ys, prediction));
        const c = this.correct(ys, prediction);
        return [l.dataSync()[0] ?? Number.NaN, c === null ? 0 : (c.dataSync()[0] ?? 0)];
      });
      lossSum += batchLoss * size;
      correct += batchCorrect;
    }
    return { loss: lossSum / count, accuracy: this.accuracy === null ? null : correct / count };
  }

  private correct(ys: tfjs.Tensor, prediction: tfjs.Tensor): tfjs.Tensor | null {
    const tf = this.tf;
    switch (this.accuracy) {
      case 'categorical':
        return tf.sum(tf.cast(tf.equal(tf.argMax(ys, -1), tf.argMax(prediction, -1)), 'float32'));
      case 'sparse':
        return tf.sum(tf.cast(tf.equal(tf.cast(tf.reshape(ys, [-1]), 'int32'), tf.argMax(prediction, -1)), 'float32'));
      case 'binary':
        return tf.sum(tf.cast(tf.equal(tf.greater(ys, 0.5), tf.greater(prediction, 0.5)), 'float32'));
      default:
        return null;
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
