/**
 * Advice-quality task (held out, round 20): an unstandardized regression under Adam. 6 Gaussian features;
 * target 300·x1 + 200·x2·x3 + 100·|x4| + noise (s.d. 20), left in its own units (variance ≈ 1.5e5);
 * 5,000 training / 2,000 validation rows. Model: dense 64 (relu) → dense 64 (relu) → dense 1,
 * `tf.train.adam(1e-3)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 6;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(20005);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = 300 * x(0) + 200 * x(1) * x(2) + 100 * Math.abs(x(3)) + 20 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
