/**
 * Advice-quality task (held out, round 18): three regression targets at different scales under SGD
 * momentum. Data: 8 Gaussian features; targets x1·x2 + noise, 3·tanh(x3 + x4) + noise and
 * 0.3·(x5² − 1) + noise (noise s.d. 0.2); 5,000 training / 2,000 validation rows. Model: dense 64
 * (relu) → dense 64 (relu) → dense 3, `tf.train.momentum(0.01, 0.9)`, mean squared error over the
 * three outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const FEATURES = 8;
const ROWS = 7000;
const TRAIN = 5000;

function makeTable(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(18011);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS * 3);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => normal());
    x.forEach((v, k) => (xs[r * FEATURES + k] = v));
    ys[r * 3] = x[0]! * x[1]! + 0.2 * normal();
    ys[r * 3 + 1] = 3 * Math.tanh(x[2]! + x[3]!) + 0.2 * normal();
    ys[r * 3 + 2] = 0.3 * (x[4]! ** 2 - 1) + 0.2 * normal();
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 3 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeTable();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(xs.subarray(from * FEATURES, to * FEATURES), [to - from, FEATURES]),
    ys: tf.tensor2d(ys.subarray(from * 3, to * 3), [to - from, 3]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
