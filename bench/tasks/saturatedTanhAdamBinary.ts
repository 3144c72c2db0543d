/**
 * Advice-quality task (held out, round 24): a six-layer tanh MLP initialized large (kernels normal, s.d. 1.2: its
 * units start saturated) with one sigmoid output under Adam, on a noisy binary teacher. 10 Gaussian features; the
 * label is the sign of a fixed random two-layer tanh teacher, then 30% of the labels (both splits) flipped; 4,000
 * training / 1,000 validation rows, 8 epochs. Model: six dense 24 (tanh, kernels normal s.d. 1.2) → dense 1
 * (sigmoid), binary cross-entropy, `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const DATA_SEED = 24003;
const FEATURES = 10;
const HIDDEN = 8;
const ROWS = 5000;
const FLIPPED = 0.3;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(DATA_SEED);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 3));
  const w2 = Array.from({ length: HIDDEN }, () => normal());
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const score = w2.reduce((s, w, j) => s + w * Math.tanh(x.reduce((a, v, k) => a + v * w1[j * FEATURES + k]!, 0)), 0);
    const label = score > 0 ? 1 : 0;
    ys[r] = uniform() < FLIPPED ? 1 - label : label;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const large = (): ReturnType<typeof tf.initializers.randomNormal> => tf.initializers.randomNormal({ mean: 0, stddev: 1.2 });
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 24, activation: 'tanh', kernelInitializer: large(), inputShape: [FEATURES] }));
  for (let i = 0; i < 5; i++) model.add(tf.layers.dense({ units: 24, activation: 'tanh', kernelInitializer: large() }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'binaryCrossentropy';
