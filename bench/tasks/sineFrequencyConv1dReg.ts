/**
 * Advice-quality task (held out, round 20): a conv1d regression under Adam: the frequency of a noisy
 * sine. Signals of 48 samples, sin(2π f t / 48 + φ) with f uniform in [1, 6] and a random phase, noise
 * s.d. 0.2; the target is (f − 3.5) / 1.5; 3,000 training / 1,000 validation signals. Model: conv1d 8×7
 * (relu) → max pool 2 → conv1d 8×5 (relu) → global average pool → dense 1, `tf.train.adam(1e-3)`, MSE.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 48;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 7, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(20003);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const f = 1 + 5 * uniform();
    const phase = 2 * Math.PI * uniform();
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = Math.sin((2 * Math.PI * f * t) / LENGTH + phase) + 0.2 * normal();
    ys[r] = (f - 3.5) / 1.5;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
