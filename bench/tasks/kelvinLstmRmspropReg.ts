/**
 * Advice-quality task (held out, round 21): tomorrow's temperature in kelvin from the last 12 days, inputs
 * and target left in kelvin (about 288, σ about 8), under RMSprop. A seasonal cycle (amplitude 9 K, random
 * phase per series) plus weather noise (AR(1), s.d. 2 K); 3,000 training / 1,000 validation windows.
 * Model: LSTM 16 → dense 1, `tf.train.rmsprop(1e-3)`, MSE. Labels off centre, and unscaled inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 12;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 16, inputShape: [LENGTH, 1] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(21002);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const phase = uniform() * 365;
    let weather = 2 * normal();
    for (let t = 0; t <= LENGTH; t++) {
      weather = 0.7 * weather + 1.4 * normal();
      const v = 288 + 9 * Math.sin((2 * Math.PI * (phase + t)) / 365) + weather;
      if (t < LENGTH) xs[r * LENGTH + t] = v;
      else ys[r] = v;
    }
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, 3000), validation: part(3000, ROWS) };
}

export const loss = 'meanSquaredError';
