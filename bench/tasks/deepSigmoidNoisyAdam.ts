/**
 * Advice-quality task (held out, round 23): a five-layer sigmoid MLP on a noisy binary teacher under Adam, a
 * slow starter. 10 Gaussian features; the class is which of two scores of a fixed random two-layer tanh teacher
 * is larger, then half of the labels (training and validation alike) replaced by a fair coin; 4,000 training /
 * 1,000 validation rows, 6 epochs. Model: five dense 32 (sigmoid) → dense 2 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const HIDDEN = 12;
const ROWS = 5000;
const REDRAWN = 0.5;

function makeTable(): { xs: Float32Array; ys: Int32Array; count: number; width: number } {
  const uniform = seeded(23012);
  const normal = gaussian(uniform);
  const w1 = Array.from({ length: HIDDEN * FEATURES }, () => normal() / Math.sqrt(FEATURES / 2));
  const w2 = Array.from({ length: 2 * HIDDEN }, () => normal() / Math.sqrt(HIDDEN / 2));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    const h = Array.from({ length: HIDDEN }, (_, j) => Math.tanh(x.reduce((s, v, k) => s + v * w1[j * FEATURES + k]!, 0)));
    const scores = [0, 1].map((c) => h.reduce((s, v, j) => s + v * w2[c * HIDDEN + j]!, 0));
    ys[r] = uniform() < REDRAWN ? Math.floor(uniform() * 2) : scores[1]! > scores[0]! ? 1 : 0;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'sigmoid', inputShape: [FEATURES] }));
  for (let i = 0; i < 4; i++) model.add(tf.layers.dense({ units: 32, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, 2);
}

export const loss = 'categoricalCrossentropy';
