/**
 * Advice-quality task (held out, round 5): a regression with three outputs (MSE over all three).
 * 8 uniform features in [-1, 1]; targets sin(πx₁)·x₂, x₃² − x₄, and a step 0.5·sign(x₅ + x₆) plus
 * N(0, 0.1²) noise each; 4,000 training / 2,000 validation rows.
 * Model: MLP 8-96-96-3 (relu), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const FEATURES = 8;
const OUTPUTS = 3;
const ROWS = 6000;
const TRAIN = 4000;

function makeTable(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(2718);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * FEATURES);
  const ys = new Float32Array(ROWS * OUTPUTS);
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: FEATURES }, () => 2 * uniform() - 1);
    x.forEach((v, j) => (xs[r * FEATURES + j] = v));
    ys[r * OUTPUTS] = Math.sin(Math.PI * x[0]!) * x[1]! + 0.1 * normal();
    ys[r * OUTPUTS + 1] = x[2]! * x[2]! - x[3]! + 0.1 * normal();
    ys[r * OUTPUTS + 2] = 0.5 * Math.sign(x[4]! + x[5]!) + 0.1 * normal();
  }
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 96, activation: 'relu', inputShape: [FEATURES] }));
  model.add(tf.layers.dense({ units: 96, activation: 'relu' }));
  model.add(tf.layers.dense({ units: OUTPUTS }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeTable();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor2d(xs.subarray(from * FEATURES, to * FEATURES), [to - from, FEATURES]),
    ys: tf.tensor2d(ys.subarray(from * OUTPUTS, to * OUTPUTS), [to - from, OUTPUTS]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
