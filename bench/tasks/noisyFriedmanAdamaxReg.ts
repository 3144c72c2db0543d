/**
 * Advice-quality task (held out, round 23): Friedman #1 buried in noise under Adamax: the best possible MSE
 * is about three quarters of the mean's. 10 uniform features in [0, 1] (5 informative); target Friedman #1
 * (variance about 24) plus Gaussian noise of s.d. 8.5, divided by 10; 4,000 training / 2,000 validation rows,
 * 5 epochs. Model: dense 64 (relu) → dense 64 (relu) → dense 1, MSE, `tf.train.adamax(2e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 6000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adamax(2e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  const uniform = seeded(23010);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let k = 0; k < FEATURES; k++) xs[r * FEATURES + k] = uniform();
    const x = (k: number): number => xs[r * FEATURES + k]!;
    const friedman = 10 * Math.sin(Math.PI * x(0) * x(1)) + 20 * (x(2) - 0.5) ** 2 + 10 * x(3) + 5 * x(4);
    ys[r] = (friedman + 8.5 * normal()) / 10;
  }
  return tableTensors({ xs, ys, count: ROWS, width: FEATURES }, 4000, null);
}

export const loss = 'meanSquaredError';
