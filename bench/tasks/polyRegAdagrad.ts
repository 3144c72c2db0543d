/**
 * Advice-quality task (held out, round 12): a regression under Adagrad. Data: 6 features uniform in
 * [-1, 1]; target 1.5x1x2 − x3² + 0.8 sin(2x4) + 0.5x5 − 0.3x6³ + noise (σ 0.1) (MSE); 4,000
 * training / 2,000 validation rows. Model: dense 64 (relu) → dense 64 (relu) → dense 1,
 * `tf.train.adagrad(0.05)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 6;
const ROWS = 6000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(97531);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => 2 * uniform() - 1);
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    ys[r] = 1.5 * x[0]! * x[1]! - x[2]! ** 2 + 0.8 * Math.sin(2 * x[3]!) + 0.5 * x[4]! - 0.3 * x[5]! ** 3 + 0.1 * normal();
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adagrad(0.05), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'meanSquaredError';
