/**
 * Advice-quality task (held out, round 21): a count-like target around 50 (σ about 6), left in its units,
 * under SGD momentum. 6 uniform features in [−1, 1]; target 50 + 4·x1 − 3·x2 + 6·x3² + 2·x4·x5 + noise
 * (s.d. 1.5); 5,000 training / 2,000 validation rows. Model: dense 32 (tanh) → dense 32 (tanh) → dense 1,
 * `tf.train.momentum(0.01, 0.9)`, MSE. Labels off centre.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 6;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 32, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(21003);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = 2 * uniform() - 1;
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = 50 + 4 * x(0) - 3 * x(1) + 6 * x(2) * x(2) + 2 * x(3) * x(4) + 1.5 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
