/**
 * Advice-quality task (held out, round 13): small batches on a regression. Data: 8 features
 * uniform in [-1, 1]; target exp(x1) − 2 x2 x3 + |x4| + 0.5 x5 + noise (σ 0.1) (MSE); 2,000 training /
 * 1,000 validation rows; every run at batch size 16 (the task's flags). Model: dense 48 (tanh) →
 * dense 48 (tanh) → dense 1, `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const ROWS = 3000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(16180);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => 2 * uniform() - 1);
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    ys[r] = Math.exp(x[0]!) - 2 * x[1]! * x[2]! + Math.abs(x[3]!) + 0.5 * x[4]! + 0.1 * normal();
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 48, activation: 'tanh', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 48, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 2000, null);
}

export const loss = 'meanSquaredError';
