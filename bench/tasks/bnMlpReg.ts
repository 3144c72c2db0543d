/**
 * Advice-quality task (held out, round 4): a regression MLP with batch normalization.
 * 6 Gaussian features; y = 4 tanh(x₁x₂) + 2 sin(2x₃) + x₄² − 1 + 0.5 x₅ + N(0, 0.3²) (target
 * variance ≈ 12, left unstandardized as many users do); MSE; 4,000 training / 2,000 validation rows.
 * Model: dense 64 → BN → relu → dense 64 → BN → relu → dense 1, `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 6;
const ROWS = 6000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(6021);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    ys[r] = 4 * Math.tanh(x[0]! * x[1]!) + 2 * Math.sin(2 * x[2]!) + x[3]! * x[3]! - 1 + 0.5 * x[4]! + 0.3 * normal();
    x.forEach((v, j) => (xs[r * FEATURES + j] = v));
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [FEATURES] }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: 64 }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 4000, null);
}

export const loss = 'meanSquaredError';
