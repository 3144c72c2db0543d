/**
 * Advice-quality task (held out, round 17): a regression with heteroscedastic noise under Adam.
 * Data: 10 Gaussian features; y = sin(x1) + 0.5·x2·x3 − 0.3·x4² + 0.2·x5 + noise whose s.d. is
 * 0.1 + 0.4·|x6|; 5,000 training / 2,000 validation rows. Model: dense 64 (selu, LeCun normal) →
 * dense 32 (selu, LeCun normal) → dense 1, `tf.train.adam(1e-3)`, mean squared error.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 10;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(17006);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    ys[r] = Math.sin(x[0]!) + 0.5 * x[1]! * x[2]! - 0.3 * x[3]! ** 2 + 0.2 * x[4]! + (0.1 + 0.4 * Math.abs(x[5]!)) * normal();
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'selu', kernelInitializer: 'leCunNormal', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 32, activation: 'selu', kernelInitializer: 'leCunNormal' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'meanSquaredError';
