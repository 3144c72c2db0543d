/**
 * Advice-quality task (held out, round 19): a conv1d under Adam classifying the width of a bump.
 * Signals of 32 samples with one Gaussian bump (s.d. 1, 2.5 or 5 samples: the class) at a random place
 * and height 0.5–1.5, plus noise (s.d. 0.3); 3,000 training / 1,000 validation signals. Model: conv1d
 * 8×5 (relu) → max pool 2 → conv1d 8×5 (relu) → global max pool → dense 3 (softmax), `tf.train.adam(1e-3)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 32;
const ROWS = 4000;
const TRAIN = 3000;
const WIDTHS = [1, 2.5, 5];

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalMaxPooling1d());
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(19007);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const labels = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const c = r % 3;
    labels[r] = c;
    const centre = 4 + uniform() * (LENGTH - 8);
    const height = 0.5 + uniform();
    for (let t = 0; t < LENGTH; t++) xs[r * LENGTH + t] = height * Math.exp(-(((t - centre) / WIDTHS[c]!) ** 2) / 2) + 0.3 * normal();
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
      ys: tf.oneHot(tf.tensor1d(labels.subarray(from, to), 'int32'), 3).toFloat(),
    }));
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'categoricalCrossentropy';
