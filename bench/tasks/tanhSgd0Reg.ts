/**
 * Advice-quality task (held out, round 19): a tanh MLP regression under plain SGD (momentum 0).
 * 12 Gaussian features; target sin(x1) + x2·x3 + 0.5·x4 + noise (s.d. 0.1); 5,000 training / 2,000
 * validation rows. Model: dense 64 (tanh) → dense 64 (tanh) → dense 1, `tf.train.sgd(0.01)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 12;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(19005);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = Math.sin(x(0)) + x(1) * x(2) + 0.5 * x(3) + 0.1 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
