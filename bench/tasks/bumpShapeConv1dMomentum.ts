/**
 * Advice-quality task (held out, round 23): a conv1d classifier of bump shapes with heavy label noise under
 * SGD with momentum. 32 samples of Gaussian noise (s.d. 0.3) with one bump of height 1 and half-width 3 at a random
 * place: a Gaussian, a box or a triangle; 45% of the labels (training and validation alike) replaced by a
 * uniformly drawn class. 3,000 training / 1,000 validation signals, 5 epochs. Model: conv1d 8×5 (relu) →
 * max pool 2 → conv1d 8×5 (relu) → global average pool → dense 3 (softmax), `tf.train.momentum(0.01, 0.9)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 32;
const CLASSES = 3;
const ROWS = 4000;
const TRAIN = 3000;
const REDRAWN = 0.45;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(23007);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const ys = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const shape = Math.floor(uniform() * CLASSES);
    const centre = 5 + uniform() * (LENGTH - 10);
    for (let t = 0; t < LENGTH; t++) {
      const d = Math.abs(t - centre);
      const bump = shape === 0 ? Math.exp(-(d * d) / (2 * 1.5 * 1.5)) : shape === 1 ? (d <= 3 ? 1 : 0) : Math.max(0, 1 - d / 3);
      xs[r * LENGTH + t] = bump + 0.3 * normal();
    }
    ys[r] = uniform() < REDRAWN ? Math.floor(uniform() * CLASSES) : shape;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
      ys: tf.oneHot(tf.tensor1d(ys.subarray(from, to), 'int32'), CLASSES).toFloat(),
    }));
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'categoricalCrossentropy';
