/**
 * Batch-normalization statistics re-estimated before a short run is judged ("precise BN", Wu &
 * Johnson 2021, "Rethinking 'Batch' in BatchNorm"). A BatchNormalization layer normalizes with the
 * batch's statistics while it trains and with its moving averages when it predicts; those move by
 * 1 − momentum (0.01 in tfjs and Keras) per step, so after 100 steps 37% of their initial values
 * (mean 0, variance 1) is still in them, and the weights have moved under them all along. A
 * 100-step run that learned well can then score several times the chance-level loss on validation
 * data: on the advice bench's residual CNN three such runs read 3.9–5.6 against a baseline of 2.30
 * ("broke down") and 1.0–1.3 once the statistics were re-estimated. Short runs compare
 * hyper-parameters by that loss, so it must measure the weights, not the lag of the averages.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { mulberry32 } from '../core/random';
import { gatherBatch } from './batches';
import type { Tf } from './tfjs';

/** Training samples the statistics are re-estimated from (in batches of the run's size). */
export const NORM_STATS_SAMPLES = 1024;
/** At most this many batches (tiny batch sizes). */
export const NORM_STATS_MAX_BATCHES = 64;

/** Seed of the re-estimation's own random stream (dropout masks in its forward passes). */
const NORM_STATS_SEED = 0x0b47c4;

/** What the re-estimation touches of a tfjs BatchNormalization layer (its moving averages' momentum is a plain field). */
interface MovingAverages {
  momentum: number;
}

/** The model's BatchNormalization layers, those inside nested models and wrappers (TimeDistributed, Bidirectional) included. */
export function batchNormLayers(model: tfjs.LayersModel): MovingAverages[] {
  const found: MovingAverages[] = [];
  const seen = new Set<unknown>();
  const visit = (layer: unknown): void => {
    if (layer === null || typeof layer !== 'object' || seen.has(layer)) return;
    seen.add(layer);
    const l = layer as { getClassName?: () => string; layers?: unknown[]; layer?: unknown; forwardLayer?: unknown; backwardLayer?: unknown; momentum?: unknown };
    if (typeof l.getClassName === 'function' && l.getClassName() === 'BatchNormalization' && typeof l.momentum === 'number') found.push(l as MovingAverages);
    for (const inner of l.layers ?? []) visit(inner);
    visit(l.layer);
    visit(l.forwardLayer);
    visit(l.backwardLayer);
  };
  visit(model);
  return found;
}

/**
 * Replaces the moving mean and variance of every BatchNormalization layer by the average of the
 * batch statistics over NORM_STATS_SAMPLES training samples (evenly spaced rows, interleaved
 * between the batches: a batch of consecutive rows of a split sorted by class would hold one class,
 * and its variance would miss the spread between classes), in forward passes in training mode at the
 * run's batch size: momentum i/(i+1) at the i-th batch makes tfjs's own moving-average update an
 * exact running mean. Weights are untouched; the
 * passes' dropout masks come from a stream of their own.
 * Returns how many layers were re-estimated from how many distinct samples (0 layers: no batch
 * normalization, nothing ran).
 */
export function reestimateNormStats(tf: Tf, model: tfjs.LayersModel, layers: readonly MovingAverages[], train: { xs: tfjs.Tensor; ys: tfjs.Tensor; count: number }, batchSize: number): { layers: number; samples: number } {
  if (layers.length === 0 || train.count === 0) return { layers: 0, samples: 0 };
  const size = Math.max(1, Math.min(batchSize, train.count));
  const batches = Math.max(1, Math.min(NORM_STATS_MAX_BATCHES, Math.ceil(NORM_STATS_SAMPLES / size)));
  const total = batches * size;
  const saved = layers.map((l) => l.momentum);
  // Dropout masks of these passes draw from their own stream: the run's (seed.ts) is left where it was,
  // so a run that evaluates more often trains exactly as one that evaluates less (shortRun's 'judged').
  const random = Math.random;
  Math.random = mulberry32(NORM_STATS_SEED);
  try {
    for (let b = 0; b < batches; b++) {
      layers.forEach((l) => (l.momentum = b / (b + 1)));
      const indices = new Int32Array(size);
      // Interleaved: batch b holds slots b, b + batches, b + 2·batches, … of `total` evenly spaced
      // rows, so every batch spans the whole split, as shuffled training batches do.
      for (let j = 0; j < size; j++) indices[j] = Math.floor(((j * batches + b) * train.count) / total);
      const [xs, ys] = gatherBatch(tf, train.xs, train.ys, indices);
      try {
        tf.tidy(() => {
          model.apply(xs, { training: true });
        });
      } finally {
        xs.dispose();
        ys.dispose();
      }
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i]!));
    Math.random = random;
  }
  // Distinct samples: a split smaller than NORM_STATS_SAMPLES is passed over more than once.
  return { layers: layers.length, samples: Math.min(total, train.count) };
}

/**
 * Sets every BatchNormalization layer's momentum to 0, so its moving averages are always the last
 * training batch's statistics (`find-lr --signal val`: a validation pass after each step of a sweep).
 * Returns what puts the layers' momenta back.
 */
export function useBatchStatistics(model: tfjs.LayersModel): () => void {
  const layers = batchNormLayers(model);
  const saved = layers.map((l) => l.momentum);
  layers.forEach((l) => (l.momentum = 0));
  return () => layers.forEach((l, i) => (l.momentum = saved[i]!));
}
