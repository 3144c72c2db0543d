/**
 * Advice-quality task (held out, round 23): a smooth nonlinear regression with little noise, elu units under
 * RMSprop. 8 Gaussian features; target x1² − x2·x3 + 0.3·x4 + Gaussian noise of s.d. 0.1; 5,000 training /
 * 2,000 validation rows, 5 epochs. Model: dense 32 (elu) → dense 32 (elu) → dense 1, MSE,
 * `tf.train.rmsprop(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const ROWS = 7000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'elu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 32, activation: 'elu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(23011);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = x(0) * x(0) - x(1) * x(2) + 0.3 * x(3) + 0.1 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
