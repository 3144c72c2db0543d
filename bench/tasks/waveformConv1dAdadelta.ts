/**
 * Advice-quality task (held out, round 22): a conv1d classifier under Adadelta: which of four waveforms
 * (sine, square, triangle, sawtooth) a noisy signal of 40 samples is. Period 8–20 samples, random phase,
 * amplitude 0.5–1.5, noise s.d. 0.4; 3,000 training / 1,000 validation signals, 3 epochs. Model: conv1d 8×5
 * (relu) → max pool 2 → conv1d 16×5 (relu) → global average pool → dense 4 (softmax),
 * `tf.train.adadelta(1, 0.95)`.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seeded } from './data';

const LENGTH = 40;
const CLASSES = 4;
const ROWS = 4000;
const TRAIN = 3000;

export function createModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [LENGTH, 1] }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adadelta(1, 0.95), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function loadData(): { train: { xs: tf.Tensor; ys: tf.Tensor }; validation: { xs: tf.Tensor; ys: tf.Tensor } } {
  const uniform = seeded(22011);
  const normal = gaussian(uniform);
  const xs = new Float32Array(ROWS * LENGTH);
  const labels = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const kind = Math.floor(uniform() * CLASSES);
    const period = 8 + 12 * uniform();
    const phase = uniform();
    const amplitude = 0.5 + uniform();
    for (let t = 0; t < LENGTH; t++) {
      const u = (t / period + phase) % 1; // position in the cycle, [0, 1)
      const wave = kind === 0 ? Math.sin(2 * Math.PI * u) : kind === 1 ? (u < 0.5 ? 1 : -1) : kind === 2 ? 4 * Math.abs(u - 0.5) - 1 : 2 * u - 1;
      xs[r * LENGTH + t] = amplitude * wave + 0.4 * normal();
    }
    labels[r] = kind;
  }
  const part = (from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } =>
    tf.tidy(() => ({
      xs: tf.tensor3d(xs.subarray(from * LENGTH, to * LENGTH), [to - from, LENGTH, 1]),
      ys: tf.oneHot(tf.tensor1d(labels.subarray(from, to), 'int32'), CLASSES).toFloat(),
    }));
  return { train: part(0, TRAIN), validation: part(TRAIN, ROWS) };
}

export const loss = 'categoricalCrossentropy';
