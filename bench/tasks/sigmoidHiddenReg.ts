/**
 * Advice-quality task (held out, round 16): a wide, shallow regression MLP with sigmoid hidden units
 * under momentum. Data: 8 uniform features in [-2, 2]; target = tanh(x₁ + x₂) + 0.5·sin(3x₃)·x₄ +
 * 0.2·x₅² + noise (s.d. 0.05), MSE; 5,000 training / 2,000 validation rows. Model: dense 256
 * (sigmoid) → dense 1, `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(86603);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => 4 * uniform() - 2);
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    ys[r] = Math.tanh(x[0]! + x[1]!) + 0.5 * Math.sin(3 * x[2]!) * x[3]! + 0.2 * x[4]! ** 2 + 0.05 * normal();
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, activation: 'sigmoid', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'meanSquaredError';
