/**
 * Advice-quality task (held out, round 16): batch normalization after each hidden layer of a tabular
 * classifier under Adamax. Data: 10 Gaussian features with scales 0.1–30; 3 classes, the argmax of a
 * fixed random teacher network on the standardized features (10-20-3, tanh), 5% of the labels
 * redrawn; 5,000 training / 2,000 validation rows. Model: dense 64 → BN → relu → dense 64 → BN →
 * relu → dense 3 (softmax), `tf.train.adamax(0.002)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const HIDDEN = 20;
const CLASSES = 3;
const ROWS = 7000;
const SCALES = [0.1, 0.3, 1, 3, 10, 30, 0.5, 2, 5, 20];

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(31623);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: CLASSES * HIDDEN }, () => normal() / Math.sqrt(HIDDEN / 4));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const z = Array.from({ length: FEATURES }, () => normal());
    z.forEach((v, k) => (xs[r * FEATURES + k] = v * SCALES[k]!));
    const h = Array.from({ length: HIDDEN }, (_, i) => Math.tanh(z.reduce((s, v, k) => s + v * w1[i * FEATURES + k]!, 0)));
    const scores = Array.from({ length: CLASSES }, (_, c) => h.reduce((s, v, i) => s + v * w2[c * HIDDEN + i]!, 0));
    ys[r] = uniform() < 0.05 ? Math.floor(uniform() * CLASSES) : scores.indexOf(Math.max(...scores));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [FEATURES], useBias: false }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: 64, useBias: false }));
  model.add(tf.layers.batchNormalization({}));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adamax(0.002), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, CLASSES);
}

export const loss = 'categoricalCrossentropy';
