/**
 * Advice-quality task (held out, round 21): a sensor's baseline level (about 100, σ about 3) from 32 noisy
 * readings with a drifting sine on top, inputs and target in the sensor's units, under Adam. 3,000 training /
 * 1,000 validation windows. Model: conv1d 8×5 (relu) → max pool 2 → conv1d 8×3 (relu) → global average
 * pool → dense 1, `tf.train.adam(1e-3)`, MSE. Labels off centre, and unscaled inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 32;
const ROWS = 4000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(21004);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const level = 100 + 3 * normal();
    const amplitude = 1 + 2 * uniform();
    const frequency = 0.1 + 0.3 * uniform();
    const phase = 2 * Math.PI * uniform();
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = level + amplitude * Math.sin(frequency * t + phase) + 0.8 * normal();
    ys[r] = level;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } => ({
    xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
    ys: tf.tensor2d(ys.subarray(from, to), [to - from, 1]),
  });
  return { train: part(0, 3000), validation: part(3000, ROWS) };
}

export const loss = 'meanSquaredError';
