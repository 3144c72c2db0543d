/**
 * Advice-quality task (held out, round 6): a sequence regression with a conv net, Adam-compiled.
 * Each row is 32 samples of a noisy sum of two sines (random frequencies, amplitudes and phases);
 * the target is the mean square of the clean signal (its energy), standardized. MSE loss;
 * 4,000 training / 1,000 validation rows, 6 epochs.
 * Model: conv1d 8 (kernel 5, relu) → conv1d 8 (kernel 5, relu) → global average pool → dense 1,
 * `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 32;
const ROWS = 5000;
const TRAIN = 4000;

function makeRows(): { xs: Float32Array; ys: Float32Array } {
  const uniform = seeded(2718);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const raw = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const waves = [0, 1].map(() => ({ a: 0.2 + uniform(), f: 0.05 + 0.4 * uniform(), p: 2 * Math.PI * uniform() }));
    let energy = 0;
    for (let t = 0; t < LENGTH; t++) {
      const clean = waves.reduce((s, w) => s + w.a * Math.sin(2 * Math.PI * w.f * t + w.p), 0);
      energy += clean * clean;
      xs[r * LENGTH + t] = clean + 0.3 * normal();
    }
    raw[r] = energy / LENGTH;
  }
  let mean = 0;
  for (let r = 0; r < TRAIN; r++) mean += raw[r]! / TRAIN;
  let variance = 0;
  for (let r = 0; r < TRAIN; r++) variance += (raw[r]! - mean) ** 2 / TRAIN;
  const ys = raw.map((v) => (v - mean) / Math.sqrt(variance));
  return { xs, ys };
}

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const { xs, ys } = makeRows();
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'meanSquaredError';
