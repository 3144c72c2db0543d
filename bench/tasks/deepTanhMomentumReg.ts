/**
 * Advice-quality task (held out, round 20): a deep narrow tanh regression under SGD momentum. 4 uniform
 * features in [−1, 1]; target sin(π x1) · cos(π x2) + x3 · x4 + noise (s.d. 0.05); 5,000 training /
 * 2,000 validation rows. Model: five dense 32 (tanh) → dense 1, `tf.train.momentum(0.01, 0.9)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 4;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [FEATURES] }));
  for (let i = 0; i < 4; i++) model.add(tf.layers.dense({ units: 32, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(20008);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = 2 * uniform() - 1;
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = Math.sin(Math.PI * x(0)) * Math.cos(Math.PI * x(1)) + x(2) * x(3) + 0.05 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
