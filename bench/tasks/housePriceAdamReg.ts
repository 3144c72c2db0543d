/**
 * Advice-quality task (held out, round 21): house prices in thousands, left in their units (mean about
 * 250, σ about 40), under Adam. 8 Gaussian features; price 250 + 30·x1 + 15·x2·x3 + 10·|x4| − 8·x5 +
 * noise (s.d. 8); 5,000 training / 2,000 validation rows. Model: dense 64 (relu) → dense 64 (relu) →
 * dense 1, `tf.train.adam(1e-3)`, MSE. The fresh model predicts near 0: labels off centre.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
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
  const uniform = seeded(21001);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = normal();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    ys[r] = 250 + 30 * x(0) + 15 * x(1) * x(2) + 10 * Math.abs(x(3)) - 8 * x(4) + 8 * normal();
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 5000, null);
}

export const loss = 'meanSquaredError';
