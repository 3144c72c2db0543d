/**
 * Advice-quality task (held out, round 15): a regression MLP with dropout under Adamax. Data: 5
 * Gaussian features; target = x₁·x₂ + sin(2x₃) + 0.5·|x₄| − 0.3·x₅ + noise (s.d. 0.1), MSE;
 * 5,000 training / 2,000 validation rows. Model: dense 64 (relu) → dropout 0.2 → dense 64 (relu)
 * → dense 1, `tf.train.adamax(0.002)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 5;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const normal = gaussian(seeded(26457));
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    ys[r] = x[0]! * x[1]! + Math.sin(2 * x[2]!) + 0.5 * Math.abs(x[3]!) - 0.3 * x[4]! + 0.1 * normal();
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adamax(0.002), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'meanSquaredError';
