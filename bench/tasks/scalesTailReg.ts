/**
 * Advice-quality task (held out, round 7): a regression with heavy-tailed noise and inputs on
 * different scales, left unstandardized. 8 features: x0..x3 uniform in [−1, 1], x4..x7 uniform in
 * [0, 10]; target y = x0·x1 + 0.5·x2² − 0.3·x3 + 0.05·(x4 − 5)·(x5 − 5) + 0.2·sin(x6) + noise, the
 * noise Student-t with 3 degrees of freedom scaled by 0.1. 5,000 training / 2,000 validation rows,
 * MSE, 6 epochs.
 * Model: MLP 8-64-64-1 (relu), linear output, `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded, tableTensors } from './data';

const FEATURES = 8;
const ROWS = 7000;

function makeTable(): { xs: Float32Array; ys: Float32Array; count: number; width: number } {
  const uniform = seeded(4669);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, (_, j) => (j < 4 ? uniform() * 2 - 1 : uniform() * 10));
    x.forEach((v, j) => (xs[r * FEATURES + j] = v));
    // Student-t, 3 degrees of freedom: a normal over the root of a chi-square(3) / 3.
    const chi = normal() ** 2 + normal() ** 2 + normal() ** 2;
    const t = normal() / Math.sqrt(chi / 3);
    ys[r] = x[0]! * x[1]! + 0.5 * x[2]! ** 2 - 0.3 * x[3]! + 0.05 * (x[4]! - 5) * (x[5]! - 5) + 0.2 * Math.sin(x[6]!) + 0.1 * t;
  }
  return { xs, ys, count: ROWS, width: FEATURES };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): ReturnType<typeof tableTensors> {
  return tableTensors(makeTable(), 5000, null);
}

export const loss = 'meanSquaredError';
