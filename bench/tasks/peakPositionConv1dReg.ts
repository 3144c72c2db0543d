/**
 * Advice-quality task (held out, round 22): a conv1d regression with an unstandardized target under SGD
 * momentum: where a bump sits in a noisy signal. Signals of 48 samples, a Gaussian bump (width 2–4
 * samples, height 1–2) centred at a uniform position in [4, 44] plus noise s.d. 0.3; the target is the
 * position in samples (mean 24, variance about 133); 3,000 training / 1,000 validation signals, 4 epochs.
 * Model: conv1d 8×5 (relu) → max pool 2 → conv1d 16×5 (relu) → flatten → dense 1,
 * `tf.train.momentum(1e-3, 0.9)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 48;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.momentum(1e-3, 0.9), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(22008);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const centre = 4 + 40 * uniform();
    const width = 2 + 2 * uniform();
    const height = 1 + uniform();
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = height * Math.exp(-(((t - centre) / width) ** 2) / 2) + 0.3 * normal();
    ys[r] = centre;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
