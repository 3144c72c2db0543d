/**
 * Advice-quality task (held out, round 19): a GRU regression under RMSprop. Sequences of 10 values in
 * [0, 1); the target is the sum of the last three, centred (minus 1.5), plus noise (s.d. 0.05);
 * 3,000 training / 1,000 validation sequences. Model: GRU 12 → dense 1, `tf.train.rmsprop(1e-3)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 10;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.gru({ units: 12, inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(19004);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = uniform();
    ys[r] = xs[r * LENGTH + 7]! + xs[r * LENGTH + 8]! + xs[r * LENGTH + 9]! - 1.5 + 0.05 * normal();
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
