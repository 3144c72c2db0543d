/**
 * Advice-quality task (held out, round 23): a regression whose noise is most of the target's variance, under
 * plain SGD: the best possible MSE is near seven tenths of the mean's. 6 uniform features in [-1, 1]; target
 * 0.6·x1 + sin(3·x1)·x2 + 0.5·x3² + Gaussian noise of s.d. 0.84 (signal variance about 0.3 of 1.0); 4,000 training /
 * 2,000 validation rows, 6 epochs. Model: dense 64 (tanh) → dense 64 (tanh) → dense 1, MSE,
 * `tf.train.sgd(0.05)` (momentum 0).
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 6;
const ROWS = 6000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(23004);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = 2 * uniform() - 1;
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = 0.6 * x(0) + Math.sin(3 * x(0)) * x(1) + 0.5 * x(2) * x(2) + 0.84 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 4000, null);
}

export const loss = 'meanSquaredError';
